//! The `[dependencies]` the docs tell users to add name crates this
//! workspace publishes, at versions that match them.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every line of every ```toml block in README.md and docs/*.md, with its page.
fn toml_lines() -> Vec<(String, String)> {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut lines = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let mut in_toml = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_toml = !in_toml && line.trim_start_matches('`').starts_with("toml");
                continue;
            }
            if in_toml {
                lines.push((page.display().to_string(), line.to_owned()));
            }
        }
    }
    lines
}

/// The workspace's published crates: name → version.
fn published() -> Vec<(String, String)> {
    let version = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .expect("the workspace version");
    let mut crates = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        if text.contains("publish = false") {
            continue;
        }
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|v| v.trim_matches('"').to_owned())
            .expect("a package name");
        crates.push((name, version.clone()));
    }
    crates
}

#[test]
fn documented_dependencies_are_published_crates_at_matching_versions() {
    let published = published();
    let mut checked = 0;
    for (page, line) in toml_lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        let Some((name, requirement)) = line.split_once('=') else {
            continue;
        };
        let requirement = requirement.trim();
        // `{ version = "0.1", features = [...] }`: the version inside.
        let requirement = match requirement.strip_prefix('{') {
            Some(table) => table
                .split(',')
                .find_map(|part| part.trim().strip_prefix("version"))
                .and_then(|v| v.trim().strip_prefix('='))
                .unwrap_or_else(|| panic!("{page}: `{line}` names no version"))
                .trim(),
            None => requirement,
        };
        let (name, requirement) = (name.trim(), requirement.trim_matches('"'));
        let Some((_, version)) = published.iter().find(|(n, _)| n == name) else {
            panic!("{page}: `{name}` is not a crate this workspace publishes");
        };
        assert!(
            version.starts_with(requirement),
            "{page}: `{name} = \"{requirement}\"` does not match version {version}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "no documented dependency was found to check");
}
