//! `cargo xtask public-api [--bless]`: the library crates' public APIs, one
//! item per line, against the snapshots checked in as
//! `crates/<crate>/public-api.txt`, so every change to a public API shows in
//! review as a change to that file.
//!
//! rustdoc JSON comes from the stable toolchain (`RUSTC_BOOTSTRAP=1` lets it
//! take `-Z unstable-options --output-format json`); the `public-api` crate,
//! pinned to the version whose rustdoc JSON format matches this toolchain,
//! renders it. A toolchain whose rustdoc writes another format version fails
//! with a message saying so, not with a wrong snapshot.
//!
//! `cargo semver-checks` compares a crate against its last released version,
//! so it runs only once a release tag (`v*`) exists; until then this says it
//! is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, target_dir, workspace_root};

/// The library crates whose public APIs are kept.
const LIBRARIES: [&str; 5] = [
    "wsc-core",
    "wsc-rustls",
    "wsc-ureq",
    "wsc-hyper",
    "wsc-mock",
];

/// The crates `cargo semver-checks` compares with the last release: those
/// published to crates.io (`wsc-mock` is a test helper, never released).
const RELEASED: [&str; 3] = ["wsc-core", "wsc-ureq", "wsc-hyper"];

/// The rustdoc JSON format version the pinned `public-api` crate reads.
const FORMAT_VERSION: u64 = 57;

/// Checks (or, with `--bless`, rewrites) every library's snapshot, then runs
/// `cargo semver-checks` when a release tag exists.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let bless = match args {
        [] => false,
        [flag] if flag == "--bless" => true,
        _ => return Err("usage: cargo xtask public-api [--bless]".into()),
    };
    let mut changed = Vec::new();
    for library in LIBRARIES {
        let api = render(library)?;
        let snapshot = snapshot_path(library);
        if library == "wsc-core" {
            let surface = Surface::of(&api);
            eprintln!("wsc-core: {surface}");
            surface.check()?;
        }
        if bless {
            std::fs::write(&snapshot, &api)
                .map_err(|e| format!("cannot write {}: {e}", snapshot.display()))?;
            eprintln!("wrote {}", snapshot.display());
            continue;
        }
        let kept = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if kept != api {
            eprintln!("{}", describe_change(library, &kept, &api));
            changed.push(library);
        }
    }
    if !changed.is_empty() {
        return Err(format!(
            "the public API of {} differs from its snapshot; if the change is meant, \
             run `cargo xtask public-api --bless` and commit the snapshot",
            changed.join(", ")
        ));
    }
    if !bless {
        semver_checks()?;
    }
    Ok(())
}

/// Where `library`'s snapshot is kept.
fn snapshot_path(library: &str) -> PathBuf {
    workspace_root()
        .join("crates")
        .join(library)
        .join("public-api.txt")
}

/// Builds `library`'s rustdoc JSON and renders its public API, one item a line.
fn render(library: &str) -> Result<String, String> {
    cargo(
        &[
            "rustdoc",
            "--quiet",
            "-p",
            library,
            "--lib",
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ],
        &[("RUSTC_BOOTSTRAP", "1")],
    )?;
    let json = target_dir()
        .join("doc")
        .join(format!("{}.json", library.replace('-', "_")));
    check_format_version(&json)?;
    // Blanket impls (`impl<T> From<T> for T`, ...) follow from the items
    // listed and would be most of the file; auto-trait impls (Send, Sync,
    // Unpin, ...) stay, because losing one breaks users.
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .build()
        .map_err(|e| format!("cannot read the public API of {library}: {e}"))?;
    Ok(api.to_string())
}

/// The most type names `wsc-core` re-exports at its root: the everyday
/// client API. Everything else is in one module.
const MAX_ROOT_TYPES: usize = 32;

/// The shape of a public API: its type names (structs, enums, traits,
/// aliases) and the paths they are reachable by.
#[derive(Debug, PartialEq)]
struct Surface {
    /// Distinct type names.
    types: usize,
    /// Type names re-exported at the crate root.
    root: usize,
    /// Type names reachable by more than one path.
    twice: Vec<String>,
}

impl Surface {
    /// Reads the rendered API (one item per line).
    fn of(api: &str) -> Self {
        let mut paths = std::collections::BTreeSet::new();
        for line in api.lines() {
            let mut rest = line.trim_start();
            while let Some(after) = rest.strip_prefix("#[") {
                rest = after.split_once("] ").map_or("", |(_, r)| r);
            }
            let Some(rest) = ["pub struct ", "pub enum ", "pub trait ", "pub type "]
                .iter()
                .find_map(|kw| rest.strip_prefix(kw))
            else {
                continue;
            };
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // An associated type (`Trait::Output`, `Type::Err`) is not a type name.
            let segments: Vec<&str> = path.split("::").collect();
            let parent_is_type =
                segments.len() > 2 && segments[segments.len() - 2].starts_with(char::is_uppercase);
            if !parent_is_type {
                paths.insert(path);
            }
        }
        let mut by_name: std::collections::BTreeMap<&str, usize> = Default::default();
        for path in &paths {
            *by_name
                .entry(path.rsplit("::").next().unwrap_or(""))
                .or_default() += 1;
        }
        Surface {
            types: by_name.len(),
            root: paths
                .iter()
                .filter(|p| p.matches("::").count() == 1)
                .count(),
            twice: by_name
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(name, _)| name.to_owned())
                .collect(),
        }
    }

    fn check(&self) -> Result<(), String> {
        if !self.twice.is_empty() {
            return Err(format!(
                "wsc-core: reachable by two paths: {} (export each type from one place)",
                self.twice.join(", ")
            ));
        }
        if self.root > MAX_ROOT_TYPES {
            return Err(format!(
                "wsc-core: {} type names at the root, over {MAX_ROOT_TYPES}: move the new ones into their module",
                self.root
            ));
        }
        Ok(())
    }
}

impl std::fmt::Display for Surface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} public type names, {} at the root, {} reachable by two paths",
            self.types,
            self.root,
            self.twice.len()
        )
    }
}

/// Fails naming both versions when rustdoc wrote a JSON format the pinned
/// parser does not read.
fn check_format_version(json: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(json)
        .map_err(|e| format!("cannot read {}: {e}", json.display()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", json.display()))?;
    match document.get("format_version").and_then(|v| v.as_u64()) {
        Some(FORMAT_VERSION) => Ok(()),
        found => Err(format!(
            "rustdoc wrote JSON format {found:?}, but the pinned `public-api` crate reads format \
             {FORMAT_VERSION}: pin the `public-api` version whose rustdoc-types reads the new \
             format in xtask/Cargo.toml, update FORMAT_VERSION, and bless the snapshots"
        )),
    }
}

/// The lines removed from and added to a snapshot, for the CI log.
fn describe_change(library: &str, kept: &str, now: &str) -> String {
    let kept_lines: std::collections::BTreeSet<&str> = kept.lines().collect();
    let now_lines: std::collections::BTreeSet<&str> = now.lines().collect();
    let mut out = format!("public API of {library} changed:");
    for line in kept_lines.difference(&now_lines) {
        out.push_str("\n- ");
        out.push_str(line);
    }
    for line in now_lines.difference(&kept_lines) {
        out.push_str("\n+ ");
        out.push_str(line);
    }
    out
}

/// Runs `cargo semver-checks` against the newest release tag, or says why it
/// is skipped.
fn semver_checks() -> Result<(), String> {
    let out = Command::new("git")
        .args(["tag", "--list", "v*", "--sort=-v:refname"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    let tags = String::from_utf8_lossy(&out.stdout);
    let Some(baseline) = tags.lines().next().filter(|_| out.status.success()) else {
        eprintln!(
            "cargo semver-checks: skipped, no release tag (v*) yet; after the first release \
             this compares {} with it",
            RELEASED.join(", ")
        );
        return Ok(());
    };
    let mut args = vec!["semver-checks", "check-release", "--baseline-rev", baseline];
    for library in RELEASED {
        args.extend(["-p", library]);
    }
    cargo(&args, &[]).map_err(|e| {
        format!("{e} (install the checker with `cargo install cargo-semver-checks --locked`)")
    })
}

#[cfg(test)]
mod surface_tests {
    use super::Surface;

    #[test]
    fn counts_types_roots_and_second_paths_and_skips_associated_types() {
        let api = "pub mod wsc_core\n\
                   pub struct wsc_core::Client\n\
                   #[non_exhaustive] pub enum wsc_core::Error\n\
                   pub trait wsc_core::transport::HttpClient\n\
                   pub type wsc_core::sans_io::Operation::Output\n\
                   pub struct wsc_core::error::Error\n\
                   pub fn wsc_core::Client::new() -> Self\n";
        let surface = Surface::of(api);
        assert_eq!(
            surface,
            Surface {
                types: 3,
                root: 2,
                twice: vec!["Error".to_owned()]
            }
        );
        assert!(surface.check().unwrap_err().contains("two paths: Error"));
    }
}
