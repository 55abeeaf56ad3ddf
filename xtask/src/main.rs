//! Project automation, run as `cargo xtask <command>`.
//!
//! - `ci`: what CI checks — fmt, clippy (all targets, warnings denied), tests, docs,
//!   that the published crates package, `features`, `public-api`, that `wsc-core` builds
//!   for `wasm32-unknown-unknown`, and that the README's tour is the demo's output
//!   (`demo --check-readme`).
//! - `public-api [--bless]`: each library's public API against its checked-in
//!   snapshot (`crates/<crate>/public-api.txt`); `--bless` rewrites them.
//! - `features`: no library crate pulls a server or signal handling into its
//!   users' builds, and no adapter depends on a random source itself.
//! - `demo`: the real `wsc` binary against `wsc-mock`, offline (see README).
//! - `bench`: every benchmark against its baseline, one table.
//! - `fuzz`: the cargo-fuzz targets for a time budget each; `soak`: the fault soak.
//! - `completions`, `man`: shell completions and the man pages into `target/`.
//! - `dist`: release archives of `wsc` with `SHA256SUMS`, installed and run as a check.
//! - `wheels [--check]`: the Python wheels; `--check` installs them fresh and runs the Python suite.

use std::env;
use std::process::{Command, ExitCode};

mod bench;
mod demo;
mod dist;
mod features;
mod fuzz;
mod mock;
mod public_api;
mod usage;
mod wheels;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let spec = match usage::parse(&args) {
        Ok(usage::Asked::Run(spec)) => spec,
        Ok(usage::Asked::Help(text)) => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(text) => {
            eprintln!("{text}");
            return ExitCode::from(2);
        }
    };
    let rest = &args[1..];
    let result = match spec.name {
        "ci" => ci(),
        "demo" => demo::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "soak" => cargo(
            &[
                "test",
                "-p",
                "wsc-hyper",
                "--release",
                "--test",
                "soak",
                "--",
                "--ignored",
                "--nocapture",
            ],
            &[],
        ),
        "features" => features::check(),
        "public-api" => public_api::run(rest),
        "completions" => completions(),
        "man" => man(),
        "dist" => dist::run(rest),
        "wheels" => wheels::run(rest),
        other => Err(format!("{other} is in the usage table but not run here")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a cargo subcommand, failing with its description when it fails.
pub(crate) fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ cargo {}", args.join(" "));
    let mut child = Command::new(cargo)
        .args(args)
        .envs(envs.iter().copied())
        .spawn()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let status = wait_saying_so(&mut child, args.first().copied().unwrap_or("cargo"))
        .map_err(|e| format!("could not wait for cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// Runs a cargo subcommand that must print no warning (its stderr is shown).
fn cargo_without_warnings(args: &[&str]) -> Result<(), String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ cargo {}", args.join(" "));
    let out = Command::new(cargo)
        .args(args)
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    let warnings = stderr.lines().filter(|l| l.starts_with("warning")).count();
    if !out.status.success() {
        Err(format!(
            "`cargo {}` failed ({})",
            args.join(" "),
            out.status
        ))
    } else if warnings > 0 {
        Err(format!(
            "`cargo {}` printed {warnings} warning(s)",
            args.join(" ")
        ))
    } else {
        Ok(())
    }
}

/// How often a long cargo step says it is still at work when its output is
/// not a terminal (on one, cargo's own progress bar moves).
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

/// Waits for `child`, printing a line every [`HEARTBEAT`] when stderr is not
/// a terminal: a step that compiles one large crate for a while (or links)
/// prints nothing itself, and silence reads as a hang.
fn wait_saying_so(
    child: &mut std::process::Child,
    what: &str,
) -> std::io::Result<std::process::ExitStatus> {
    use std::io::IsTerminal;
    let started = std::time::Instant::now();
    let on_terminal = std::io::stderr().is_terminal();
    let mut next = HEARTBEAT;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        let elapsed = started.elapsed();
        if !on_terminal && elapsed >= next {
            eprintln!("  ... cargo {what} still running ({} s)", elapsed.as_secs());
            next += HEARTBEAT;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The steps of `ci` that ran, with how long each took, for the summary.
#[derive(Default)]
struct Steps(Vec<(&'static str, std::time::Duration)>);

impl Steps {
    fn run(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        let started = std::time::Instant::now();
        let result = step();
        self.0.push((name, started.elapsed()));
        result.map_err(|e| format!("{e}\n{}", self.summary(Some(name))))
    }

    /// One line: every step and its time, and which failed.
    fn summary(&self, failed: Option<&str>) -> String {
        let total: std::time::Duration = self.0.iter().map(|(_, d)| *d).sum();
        let steps: Vec<String> = self
            .0
            .iter()
            .map(|(name, d)| format!("{name} {}s", d.as_secs()))
            .collect();
        match failed {
            None => format!(
                "ci: all {} steps passed in {}s: {}",
                self.0.len(),
                total.as_secs(),
                steps.join(" · ")
            ),
            Some(step) => format!(
                "ci: {step} failed after {}s: {}",
                total.as_secs(),
                steps.join(" · ")
            ),
        }
    }
}

/// The library crates whose HTML docs `ci` builds (their `target/doc` names).
const DOCUMENTED: [&str; 5] = [
    "wsc_core",
    "wsc_rustls",
    "wsc_ureq",
    "wsc_hyper",
    "wsc_mock",
];

fn ci() -> Result<(), String> {
    let mut steps = Steps::default();
    steps.run("fmt", || cargo(&["fmt", "--all", "--", "--check"], &[]))?;
    steps.run("clippy", || {
        cargo(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    steps.run("test", || cargo(&["test", "--workspace"], &[]))?;
    // Before the HTML docs: the rustdoc JSON it renders replaces a crate's
    // HTML in target/doc.
    steps.run("public-api", || public_api::run(&[]))?;
    steps.run("doc", || {
        cargo(
            &["doc", "--workspace", "--no-deps"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )?;
        // The test kit, behind a feature the command above does not turn on.
        cargo(
            &[
                "doc",
                "-p",
                "wsc-core",
                "--no-deps",
                "--features",
                "testing",
            ],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )?;
        let missing: Vec<&str> = DOCUMENTED
            .into_iter()
            .filter(|name| {
                !target_dir()
                    .join("doc")
                    .join(name)
                    .join("index.html")
                    .is_file()
            })
            .collect();
        if missing.is_empty() {
            eprintln!(
                "docs: {}",
                target_dir()
                    .join("doc")
                    .join("wsc_core")
                    .join("index.html")
                    .display()
            );
            Ok(())
        } else {
            Err(format!(
                "no HTML docs in target/doc for {}",
                missing.join(", ")
            ))
        }
    })?;
    // Dev-dependencies on workspace crates are path-only, so this packages
    // (bench-support, unpublished, is packaged too but never uploaded).
    steps.run("package", || {
        cargo_without_warnings(&[
            "package",
            "--workspace",
            "--exclude",
            "xtask",
            "--no-verify",
            "--allow-dirty",
        ])
    })?;
    steps.run("features", features::check)?;
    // The core builds where there is no operating system (a browser).
    steps.run("wasm", || {
        let _ = Command::new("rustup")
            .args(["target", "add", "wasm32-unknown-unknown"])
            .status();
        cargo(
            &[
                "check",
                "-p",
                "wsc-core",
                "--target",
                "wasm32-unknown-unknown",
            ],
            &[],
        )
    })?;
    // The README's tour is the demo's real output.
    steps.run("tour", || demo::run(&["--check-readme".to_owned()]))?;
    eprintln!("{}", steps.summary(None));
    Ok(())
}

/// The workspace's root directory.
pub(crate) fn workspace_root() -> std::path::PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR for the running binary too: prefer it
    // over the path compiled in, which names whichever checkout built this
    // binary (two checkouts sharing one target directory would disagree).
    let xtask_dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    xtask_dir.join("..")
}

/// The workspace's `target/` directory.
pub(crate) fn target_dir() -> std::path::PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Runs the freshly built `wsc` and returns its stdout.
pub(crate) fn wsc_output(args: &[&str]) -> Result<Vec<u8>, String> {
    cargo(&["build", "--quiet", "-p", "ncloud-wsc"], &[])?;
    let bin = target_dir()
        .join("debug")
        .join(format!("wsc{}", env::consts::EXE_SUFFIX));
    let out = Command::new(bin)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run wsc: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wsc {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

/// Each shell `wsc completions` supports, and the file its script goes in.
pub(crate) const COMPLETIONS: [(&str, &str); 5] = [
    ("bash", "wsc.bash"),
    ("zsh", "_wsc"),
    ("fish", "wsc.fish"),
    ("powershell", "_wsc.ps1"),
    ("elvish", "wsc.elv"),
];

fn completions() -> Result<(), String> {
    let dir = target_dir().join("completions");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for (shell, file) in COMPLETIONS {
        std::fs::write(dir.join(file), wsc_output(&["completions", shell])?)
            .map_err(|e| e.to_string())?;
        println!("wrote {}", dir.join(file).display());
    }
    Ok(())
}

fn man() -> Result<(), String> {
    let dir = target_dir().join("man");
    write_man_pages(&dir)?;
    println!("wrote the man pages in {}", dir.display());
    Ok(())
}

/// Writes `wsc`'s man pages (`wsc.1` and one per subcommand) into `dir`.
pub(crate) fn write_man_pages(dir: &std::path::Path) -> Result<(), String> {
    let dir = dir.to_str().ok_or("the man page directory is not UTF-8")?;
    wsc_output(&["man", "--dir", dir]).map(drop)
}
