//! `cargo xtask wheels [--check]`: the Python distributions into
//! `target/wheels/`: `ncloud-wsc` (the abi3 extension, `crates/wsc-py`) and
//! `ncloud-wsc-cli` (the `wsc` binary, built for manylinux_2_28 with zig).
//! maturin, zig and the checkers come, pinned, into a virtual environment
//! under `target/py-venv` (made when missing).
//!
//! `--check` installs both wheels into a fresh environment and, with no
//! Rust toolchain on `PATH`, runs `mypy.stubtest`, `mypy --strict` on a user
//! script, the pytest suite against `wsc-mock` on loopback (`crates/wsc-py/tests`),
//! the Python examples in `docs/python.md`, `wsc --version`, and the
//! benchmark row against the docs' `requests` + `hmac` sample (a report).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, target_dir, workspace_root};

/// The build tools and checkers, pinned.
const TOOLS: [&str; 5] = [
    "maturin==1.9.4",
    "ziglang==0.13.0",
    "pytest==8.3.4",
    "mypy==1.13.0",
    "pip==24.3.1",
];

/// The manylinux the CLI wheel is built for.
const CLI_MANYLINUX: &str = "manylinux_2_28";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask wheels [--check]".into()),
    };
    // crates/wsc-py is its own workspace: the root's fmt and clippy skip it.
    let manifest = workspace_root().join("crates/wsc-py/Cargo.toml");
    let manifest = manifest.to_string_lossy();
    cargo(&["fmt", "--manifest-path", &manifest, "--", "--check"], &[])?;
    cargo(
        &[
            "clippy",
            "--manifest-path",
            &manifest,
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    let venv = target_dir().join("py-venv");
    let python = ensure_venv(&venv, &TOOLS)?;
    let out = target_dir().join("wheels");
    let _ = std::fs::remove_dir_all(&out);
    let root = workspace_root();
    let maturin = venv.join("bin").join("maturin");
    let zig_env = venv.join("bin");
    run_cmd(
        Command::new(&maturin)
            .args(["build", "--release", "--out"])
            .arg(&out)
            .arg("-m")
            .arg(root.join("crates/wsc-py/Cargo.toml")),
        "maturin build (ncloud-wsc)",
    )?;
    run_cmd(
        Command::new(&maturin)
            .args([
                "build",
                "--release",
                "--zig",
                "--compatibility",
                CLI_MANYLINUX,
                "--out",
            ])
            .arg(&out)
            .arg("-m")
            .arg(root.join("crates/wsc-cli/Cargo.toml"))
            .env("PATH", prepend_path(&zig_env)),
        "maturin build (ncloud-wsc-cli)",
    )?;
    let extension = find_wheel(&out, "ncloud_wsc-", "-cp310-abi3-manylinux")?;
    let cli = find_wheel(
        &out,
        "ncloud_wsc_cli-",
        &format!("-py3-none-{CLI_MANYLINUX}"),
    )?;
    eprintln!("wheels: {}\n        {}", extension.display(), cli.display());
    if check {
        self_check(&python, &extension, &cli)?;
    }
    Ok(())
}

/// The venv's python, the venv made and `tools` installed when missing.
fn ensure_venv(venv: &Path, tools: &[&str]) -> Result<PathBuf, String> {
    let python = venv.join("bin").join("python");
    if !python.exists() {
        run_cmd(
            Command::new("python3").args(["-m", "venv"]).arg(venv),
            "python3 -m venv",
        )?;
    }
    run_cmd(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(tools),
        "pip install (pinned tools)",
    )?;
    Ok(python)
}

fn find_wheel(dir: &Path, prefix: &str, contains: &str) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(prefix) && name.contains(contains) && name.ends_with(".whl")
        })
        .ok_or_else(|| format!("no {prefix}*{contains}*.whl in {}", dir.display()))
}

/// Both wheels in a fresh venv, no Rust toolchain on PATH; then the checks.
fn self_check(tools_python: &Path, extension: &Path, cli: &Path) -> Result<(), String> {
    cargo(&["build", "-p", "wsc-mock"], &[])?;
    let mock = target_dir().join("debug").join("wsc-mock");
    let venv = target_dir().join("py-test");
    let _ = std::fs::remove_dir_all(&venv);
    run_cmd(
        Command::new(tools_python).args(["-m", "venv"]).arg(&venv),
        "python -m venv (fresh)",
    )?;
    let bin = venv.join("bin");
    let python = bin.join("python");
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let py = |what: &str| {
        let mut command = Command::new(&python);
        command
            .env_clear()
            .env("PATH", &path)
            .env("HOME", target_dir().join("py-home"))
            .env("WSC_MOCK_BIN", &mock)
            .env("LANG", "C.UTF-8");
        let _ = what;
        command
    };
    run_cmd(
        py("pip")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(extension)
            .arg(cli)
            .args(["pytest==8.3.4", "mypy==1.13.0", "requests==2.32.3"]),
        "pip install (the wheels, in a fresh venv)",
    )?;
    let tests = workspace_root().join("crates/wsc-py/tests");
    run_cmd(
        py("stubtest")
            .args(["-m", "mypy.stubtest", "ncloud_wsc"])
            .current_dir(&tests),
        "mypy.stubtest ncloud_wsc",
    )?;
    run_cmd(
        py("mypy")
            .args(["-m", "mypy", "--strict", "typing_user.py"])
            .current_dir(&tests),
        "mypy --strict (a user script)",
    )?;
    run_cmd(
        py("pytest")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "."])
            .current_dir(&tests),
        "pytest crates/wsc-py/tests",
    )?;
    // The benchmark row (a report): against a release build of the mock, so
    // that the server's own cost does not hide the clients'.
    cargo(&["build", "--release", "-p", "wsc-mock"], &[])?;
    run_cmd(
        py("bench")
            .env(
                "WSC_MOCK_BIN",
                target_dir().join("release").join("wsc-mock"),
            )
            .args(["bench_list.py"])
            .current_dir(&tests),
        "bench_list.py (ncloud_wsc vs the docs' requests + hmac sample)",
    )?;
    let version = Command::new(bin.join("wsc"))
        .env_clear()
        .env("PATH", &path)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run wsc from the CLI wheel: {e}"))?;
    let text = String::from_utf8_lossy(&version.stdout);
    if !version.status.success() || !text.starts_with("wsc ") {
        return Err(format!("wsc --version from the CLI wheel printed {text:?}"));
    }
    eprintln!("wheels: checked ({})", text.trim());
    Ok(())
}

fn prepend_path(dir: &Path) -> String {
    match std::env::var("PATH") {
        Ok(path) => format!("{}:{path}", dir.display()),
        Err(_) => dir.display().to_string(),
    }
}

fn run_cmd(command: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("$ {what}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
