//! Lists README.md and every `docs/*.md` as doctest sources, so that a new
//! page's examples are compiled without anyone remembering to add it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../..");
    let mut pages = vec![root.join("README.md")];
    let docs = root.join("docs");
    println!("cargo:rerun-if-changed={}", docs.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("README.md").display()
    );
    if let Ok(entries) = std::fs::read_dir(&docs) {
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        found.sort();
        pages.extend(found);
    }
    let mut out = String::new();
    for page in &pages {
        println!("cargo:rerun-if-changed={}", page.display());
        let path = page.canonicalize().unwrap_or_else(|_| page.clone());
        writeln!(
            out,
            "/// `{}`\n#[doc = include_str!({:?})]\npub struct {};",
            name(page),
            path.display().to_string(),
            item_name(page),
        )
        .expect("writing to a String");
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("pages.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// `api-notes.md` → `ApiNotes`: the doctests are named after their page.
fn item_name(page: &Path) -> String {
    let stem = page
        .file_stem()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    stem.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
}

fn name(page: &Path) -> String {
    page.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
