//! `cargo xtask demo`: until the CLI lands, runs the core's offline example.

pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    crate::cargo(
        &["run", "--quiet", "-p", "wsc-core", "--example", "tour"],
        &[],
    )
}
