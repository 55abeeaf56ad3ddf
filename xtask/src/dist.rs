//! `cargo xtask dist [--target TRIPLE]... [--out DIR] [--no-check]`: release
//! archives of `wsc`, one per target, with `SHA256SUMS`.
//!
//! Each archive is `ncloud-wsc-VERSION-TARGET.tar.gz` (`.zip` for Windows)
//! holding one directory of the same name: the `wsc` binary, `README.md`,
//! `CHANGELOG.md`, both licences, `man/` (a page per command) and
//! `completions/`. Beside each archive, `ARCHIVE.sha256`; `SHA256SUMS` lists
//! every archive in the output directory, so archives built on several
//! machines combine by copying them into one directory and running `dist`'s
//! `sums` step again (`cargo xtask dist --sums-only`).
//!
//! Unless `--no-check`, every archive this machine can run is then installed
//! the way the GitHub Action and the GitLab template install it
//! (`ci/install-wsc.sh`, checksum verified, from a `file://` release URL) and
//! the installed binary is run in an empty environment: `--version` must
//! name this version and `wsc list` must succeed against `wsc-mock`.
//!
//! Targets default to the host's. Entries are sorted and carry one
//! modification time (tar: `SOURCE_DATE_EPOCH`, else the last commit's time;
//! zip: 1980-01-01), so the same binary gives the same archive.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// The package whose binary is released, and the archives' name prefix.
const PACKAGE: &str = "ncloud-wsc";

/// One file in an archive: where it goes (under the top directory), its
/// bytes, and whether it is executable.
struct Entry {
    path: String,
    bytes: Vec<u8>,
    executable: bool,
}

struct Options {
    targets: Vec<String>,
    out: PathBuf,
    check: bool,
    sums_only: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        targets: Vec::new(),
        out: crate::target_dir().join("dist"),
        check: true,
        sums_only: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--target" => options
                .targets
                .push(args.next().ok_or("--target needs a target triple")?.clone()),
            "--out" => options.out = args.next().ok_or("--out needs a directory")?.into(),
            "--no-check" => options.check = false,
            "--sums-only" => options.sums_only = true,
            other => return Err(format!("dist: unknown argument {other:?}")),
        }
    }
    Ok(options)
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    std::fs::create_dir_all(&options.out)
        .map_err(|e| format!("cannot create {}: {e}", options.out.display()))?;
    let options = Options {
        out: options
            .out
            .canonicalize()
            .map_err(|e| format!("{}: {e}", options.out.display()))?,
        ..options
    };
    if options.sums_only {
        return write_sums(&options.out);
    }
    let host = host_triple()?;
    let targets = if options.targets.is_empty() {
        vec![host.clone()]
    } else {
        options.targets.clone()
    };
    let version = package_version()?;
    let mtime = source_date_epoch();
    // The man pages and completions are text, the same for every target:
    // the host's debug build writes them.
    crate::cargo(&["build", "-p", PACKAGE, "-p", "wsc-mock"], &[])?;
    let docs = documentation()?;

    let mut built = Vec::new();
    for target in &targets {
        crate::cargo(
            &[
                "build",
                "--release",
                "--locked",
                "-p",
                PACKAGE,
                "--target",
                target,
                "--config",
                "profile.release.strip=\"symbols\"",
            ],
            &[],
        )?;
        let exe = if target.contains("windows") {
            "wsc.exe"
        } else {
            "wsc"
        };
        let binary = crate::target_dir().join(target).join("release").join(exe);
        let mut entries = vec![Entry {
            path: exe.to_owned(),
            bytes: read(&binary)?,
            executable: true,
        }];
        for file in ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            entries.push(Entry {
                path: file.to_owned(),
                bytes: read(&crate::workspace_root().join(file))?,
                executable: false,
            });
        }
        entries.extend(docs.iter().map(|(path, bytes)| Entry {
            path: path.clone(),
            bytes: bytes.clone(),
            executable: false,
        }));
        entries.sort_by(|a, b| a.path.cmp(&b.path));

        let stem = archive_stem(&version, target);
        // Written beside, then renamed: an interrupted run leaves no
        // archive that looks whole.
        let name = if target.contains("windows") {
            format!("{stem}.zip")
        } else {
            format!("{stem}.tar.gz")
        };
        let archive = options.out.join(&name);
        let partial = options.out.join(format!("{name}.partial"));
        if target.contains("windows") {
            write_zip(&partial, &stem, &entries)?;
        } else {
            write_tar_gz(&partial, &stem, &entries, mtime)?;
        }
        std::fs::rename(&partial, &archive)
            .map_err(|e| format!("cannot rename {}: {e}", partial.display()))?;
        write_digest(&archive)?;
        println!("wrote {}", archive.display());
        built.push((target.clone(), archive));
    }
    write_sums(&options.out)?;

    if options.check {
        for (target, archive) in &built {
            if runs_here(target, &host) {
                check(&options.out, target, &version)?;
                println!("checked {}: installed and ran", archive.display());
            } else {
                println!(
                    "not checked {}: a {target} binary does not run on this {host} machine",
                    archive.display()
                );
            }
        }
    }
    Ok(())
}

/// `ncloud-wsc-VERSION-TARGET`: the archive's name without its extension,
/// and its top directory. `ci/install-wsc.sh` builds the same name.
fn archive_stem(version: &str, target: &str) -> String {
    format!("{PACKAGE}-{version}-{target}")
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn host_triple() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV named no host".to_owned())
}

/// The released package's version, as cargo resolves it.
fn package_version() -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(crate::workspace_root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err("cargo metadata failed".to_owned());
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == PACKAGE)
        .and_then(|p| p["version"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("cargo metadata lists no {PACKAGE}"))
}

/// `SOURCE_DATE_EPOCH`, else the last commit's time, else the epoch.
fn source_date_epoch() -> u64 {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return secs;
    }
    Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(crate::workspace_root())
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0)
}

/// The man pages and completions, as (path in the archive, bytes).
fn documentation() -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let pages = std::env::temp_dir().join(format!("wsc-dist-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&pages);
    crate::write_man_pages(&pages)?;
    let mut names: Vec<_> = std::fs::read_dir(&pages)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        files.push((format!("man/{name}"), read(&pages.join(&name))?));
    }
    let _ = std::fs::remove_dir_all(&pages);
    for (shell, file) in crate::COMPLETIONS {
        files.push((
            format!("completions/{file}"),
            crate::wsc_output(&["completions", shell])?,
        ));
    }
    Ok(files)
}

fn write_tar_gz(path: &Path, stem: &str, entries: &[Entry], mtime: u64) -> Result<(), String> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_mode(0o755);
    dir.set_mtime(mtime);
    dir.set_size(0);
    let mut dirs: Vec<String> = vec![String::new()];
    for entry in entries {
        if let Some((parent, _)) = entry.path.rsplit_once('/') {
            if !dirs.iter().any(|d| d == parent) {
                dirs.push(parent.to_owned());
            }
        }
    }
    let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    for d in &dirs {
        let name = if d.is_empty() {
            format!("{stem}/")
        } else {
            format!("{stem}/{d}/")
        };
        tar.append_data(&mut dir.clone(), name, std::io::empty())
            .map_err(io)?;
    }
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(if entry.executable { 0o755 } else { 0o644 });
        header.set_mtime(mtime);
        header.set_size(entry.bytes.len() as u64);
        tar.append_data(
            &mut header,
            format!("{stem}/{}", entry.path),
            entry.bytes.as_slice(),
        )
        .map_err(io)?;
    }
    let gz = tar.into_inner().map_err(io)?;
    let file = gz.finish().map_err(io)?;
    file.sync_all().map_err(io)
}

/// Zip entries carry zip's earliest time (1980-01-01): one fixed time, as
/// the tar entries carry theirs.
fn write_zip(path: &Path, stem: &str, entries: &[Entry]) -> Result<(), String> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let time = zip::DateTime::default();
    let err = |e: zip::result::ZipError| format!("cannot write {}: {e}", path.display());
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(if entry.executable { 0o755 } else { 0o644 });
        zip.start_file(format!("{stem}/{}", entry.path), options)
            .map_err(err)?;
        zip.write_all(&entry.bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    zip.finish().map_err(err)?;
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `ARCHIVE.sha256`: one `sha256sum` line for the archive.
fn write_digest(archive: &Path) -> Result<(), String> {
    let name = archive
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("archive name is not UTF-8")?;
    let line = format!("{}  {name}\n", sha256_hex(&read(archive)?));
    let path = archive.with_file_name(format!("{name}.sha256"));
    std::fs::write(&path, line).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `SHA256SUMS` from every `*.sha256` in `dir`, sorted by archive name, each
/// checked against its archive first.
fn write_sums(dir: &Path) -> Result<(), String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("sha256") {
            continue;
        }
        let line = String::from_utf8(read(&path)?)
            .map_err(|_| format!("{} is not UTF-8", path.display()))?;
        let (digest, name) = line
            .trim_end()
            .split_once("  ")
            .ok_or_else(|| format!("{} is not a sha256sum line", path.display()))?;
        let actual = sha256_hex(&read(&dir.join(name))?);
        if actual != digest {
            return Err(format!(
                "{name} does not match {} (rebuild it)",
                path.display()
            ));
        }
        lines.push(format!("{digest}  {name}\n"));
    }
    if lines.is_empty() {
        return Err(format!("no archives (*.sha256) in {}", dir.display()));
    }
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    let path = dir.join("SHA256SUMS");
    std::fs::write(&path, lines.concat())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {} ({} archives)", path.display(), lines.len());
    Ok(())
}

/// Whether a `target` binary runs on this `host`: the host itself, or a
/// static (musl) Linux binary of the host's architecture.
fn runs_here(target: &str, host: &str) -> bool {
    if target == host {
        return true;
    }
    let arch = |t: &str| t.split('-').next().unwrap_or("").to_owned();
    host.contains("-linux-") && target.ends_with("-linux-musl") && arch(host) == arch(target)
}

/// Installs the archive with `ci/install-wsc.sh` from a `file://` release
/// URL and runs the installed binary with an empty environment.
fn check(out: &Path, target: &str, version: &str) -> Result<(), String> {
    if cfg!(windows) {
        return Err("the archive check runs ci/install-wsc.sh and needs a Unix shell".to_owned());
    }
    let root = crate::workspace_root();
    let scratch = std::env::temp_dir().join(format!("wsc-dist-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let bin_dir = scratch.join("bin");
    let home = scratch.join("home");
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let install = Command::new("bash")
        .arg(root.join("ci/install-wsc.sh"))
        .env("WSC_RELEASE_URL", format!("file://{}", out.display()))
        .env("WSC_VERSION", version)
        .env("WSC_TARGET", target)
        .env("WSC_INSTALL_DIR", &bin_dir)
        .env("WSC_SOURCE_DIR", "")
        .env_remove("GITHUB_PATH")
        .output()
        .map_err(|e| format!("cannot run ci/install-wsc.sh: {e}"))?;
    if !install.status.success() {
        return Err(format!(
            "ci/install-wsc.sh failed for {target}:\n{}",
            String::from_utf8_lossy(&install.stderr)
        ));
    }
    let wsc = bin_dir.join("wsc");
    let clean = |args: &[&str]| {
        let mut command = Command::new(&wsc);
        command.args(args).env_clear().env("HOME", &home);
        command
    };

    let shown = clean(&["--version"])
        .output()
        .map_err(|e| format!("cannot run the installed wsc: {e}"))?;
    let text = String::from_utf8_lossy(&shown.stdout);
    if !shown.status.success() || text.trim() != format!("wsc {version}") {
        return Err(format!(
            "the installed wsc --version printed {text:?} (exit {:?}), not \"wsc {version}\"",
            shown.status.code()
        ));
    }

    let mock_bin = crate::target_dir()
        .join("debug")
        .join(format!("wsc-mock{}", std::env::consts::EXE_SUFFIX));
    let mock = crate::mock::Mock::start(&mock_bin, &["--seed", "7"])?;
    let listed = clean(&["list", "-o", "json"])
        .env("WSC_ENDPOINT", mock.endpoint())
        .env("NCLOUD_ACCESS_KEY_ID", crate::mock::ACCESS)
        .env("NCLOUD_SECRET_ACCESS_KEY", crate::mock::SECRET)
        .output()
        .map_err(|e| format!("cannot run the installed wsc: {e}"))?;
    drop(mock);
    let json: Result<serde_json::Value, _> = serde_json::from_slice(&listed.stdout);
    if !listed.status.success() || json.is_err() {
        return Err(format!(
            "the installed wsc list failed against wsc-mock (exit {:?}): {}",
            listed.status.code(),
            String::from_utf8_lossy(&listed.stderr)
        ));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn musl_binaries_of_the_host_architecture_run_here() {
        let host = "x86_64-unknown-linux-gnu";
        assert!(runs_here(host, host));
        assert!(runs_here("x86_64-unknown-linux-musl", host));
        assert!(!runs_here("aarch64-unknown-linux-musl", host));
        assert!(!runs_here("x86_64-pc-windows-msvc", host));
        assert!(!runs_here(
            "x86_64-unknown-linux-musl",
            "aarch64-apple-darwin"
        ));
    }

    #[test]
    fn archive_names_match_the_install_script() {
        let script =
            std::fs::read_to_string(crate::workspace_root().join("ci/install-wsc.sh")).unwrap();
        assert_eq!(
            archive_stem("1.2.3", "x86_64-unknown-linux-musl"),
            "ncloud-wsc-1.2.3-x86_64-unknown-linux-musl"
        );
        assert!(
            script.contains("ncloud-wsc-${version}-${target}"),
            "ci/install-wsc.sh must name archives as dist does"
        );
    }
}
