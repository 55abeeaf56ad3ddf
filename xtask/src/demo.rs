//! `cargo xtask demo [--keep-running]`: the real `wsc` binary against
//! `wsc-mock` on a random loopback port, as a narrated tour. Offline.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// Keys the mock accepts (its documented demo pair).
const ACCESS: &str = "WSCMOCKDEMOACCESSKEY";
const SECRET: &str = "wsc-mock-demo-secret-key-not-for-real-use";

/// ANSI styling only on a terminal, and never with `NO_COLOR`.
fn style(code: &str, text: &str) -> String {
    if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Stops the mock however the demo ends.
struct MockGuard(Child);

impl Drop for MockGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Tour {
    wsc: PathBuf,
    endpoint: String,
    home: PathBuf,
    step: u32,
}

impl Tour {
    fn heading(&mut self, text: &str) {
        self.step += 1;
        println!("\n{}", style("1", &format!("{}. {text}", self.step)));
    }

    /// Runs `wsc args` on the terminal, echoing the command; returns its exit code.
    fn wsc(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Result<i32, String> {
        self.echo(args, extra_env);
        let status = self
            .command(args)
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run wsc: {e}"))?;
        let code = status.code().unwrap_or(-1);
        if code != 0 {
            println!("{}", style("2", &format!("(exit code {code})")));
        }
        Ok(code)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.wsc);
        c.args(args)
            .env("WSC_ENDPOINT", &self.endpoint)
            .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
            .env("NCLOUD_SECRET_ACCESS_KEY", SECRET)
            .env("HOME", &self.home);
        c
    }

    fn echo(&self, args: &[&str], extra_env: &[(&str, &str)]) {
        let shown: Vec<String> = args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    (*a).to_owned()
                }
            })
            .collect();
        let prefix: String = extra_env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        println!(
            "{}",
            style("36", &format!("$ {prefix}wsc {}", shown.join(" ")))
        );
    }

    /// Runs `wsc args`, echoing the command and its output; returns (exit code, stdout).
    fn wsc_capture(&self, args: &[&str]) -> Result<(i32, String), String> {
        self.echo(args, &[]);
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run wsc: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        print!("{stdout}");
        Ok((output.status.code().unwrap_or(-1), stdout))
    }

    /// Runs without echoing (the demo's own bookkeeping).
    fn quiet(&self, args: &[&str]) -> Result<String, String> {
        let output = self
            .command(args)
            .output()
            .map_err(|e| format!("cannot run wsc: {e}"))?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn expect(&self, got: i32, want: i32, what: &str) -> Result<(), String> {
        if got == want {
            Ok(())
        } else {
            Err(format!("{what}: expected exit code {want}, got {got}"))
        }
    }
}

/// The id of the job in `status` with the most findings.
fn job_with_status(list_json: &str, status: &str) -> Option<String> {
    let v: Value = serde_json::from_str(list_json).ok()?;
    v["jobs"]
        .as_array()?
        .iter()
        .filter(|j| j["status"] == status)
        .max_by_key(|j| j["scan_count"].as_u64())
        .map(|j| j["id"].to_string())
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let keep_running = args.iter().any(|a| a == "--keep-running");
    crate::cargo(
        &["build", "--quiet", "-p", "wsc-cli", "-p", "wsc-mock"],
        &[],
    )?;
    let target = crate::target_dir();
    let bin = |name: &str| {
        target
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    };

    let mut child = Command::new(bin("wsc-mock"))
        .args(["serve", "--speed", "4", "--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start wsc-mock: {e}"))?;
    let stdout = child.stdout.take().ok_or("wsc-mock has no stdout")?;
    let guard = MockGuard(child);
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .map_err(|e| format!("wsc-mock did not start: {e}"))?;
    let endpoint = first
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected wsc-mock output: {first:?}"))?
        .to_owned();

    let home = std::env::temp_dir().join(format!("wsc-demo-{}", std::process::id()));
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let mut t = Tour {
        wsc: bin("wsc"),
        endpoint: endpoint.clone(),
        home: home.clone(),
        step: 0,
    };

    println!(
        "{} — the real `wsc` binary against wsc-mock (offline) at {endpoint}",
        style("1", "wsc demo")
    );
    println!("To repeat any step by hand (with --keep-running):");
    println!(
        "  export WSC_ENDPOINT={endpoint} NCLOUD_ACCESS_KEY_ID={ACCESS} NCLOUD_SECRET_ACCESS_KEY={SECRET}"
    );

    t.heading("List the account's scan jobs");
    let code = t.wsc(&["list"], &[])?;
    t.expect(code, 0, "list")?;
    let json = t.quiet(&["list", "-o", "json"])?;

    t.heading("Search: completed jobs only");
    let code = t.wsc(&["search", "--status", "completed"], &[])?;
    t.expect(code, 0, "search")?;

    t.heading("Start a scan (billed in real life: --yes confirms it in scripts)");
    let (code, out) = t.wsc_capture(&[
        "create",
        "--url",
        "https://www.example.com",
        "--memo",
        "demo scan",
        "--yes",
        "-o",
        "json",
    ])?;
    t.expect(code, 0, "create")?;
    let created: Value = serde_json::from_str(&out).map_err(|e| format!("create output: {e}"))?;
    let id = created["id"].to_string();

    t.heading("Wait for it, with progress (Ctrl-C would stop waiting, not the scan)");
    let code = t.wsc(&["wait", &id, "--interval", "1"], &[])?;
    t.expect(code, 0, "wait")?;

    t.heading("Its report summary");
    let code = t.wsc(&["report", &id], &[])?;
    t.expect(code, 0, "report")?;

    t.heading("A CI gate: fail when a report has high findings (exit 10)");
    let shop = job_with_status(&json, "completed").ok_or("no completed demo job")?;
    let code = t.wsc(&["report", &shop, "--fail-on", "high", "-q"], &[])?;
    t.expect(code, 10, "fail-on gate")?;

    t.heading("Cancel a job that has not started");
    let reserved = job_with_status(&json, "reserved").ok_or("no reserved demo job")?;
    let code = t.wsc(&["cancel", &reserved], &[])?;
    t.expect(code, 0, "cancel")?;

    t.heading("A dry run: the exact request, secrets redacted, nothing sent");
    let code = t.wsc(
        &[
            "create",
            "--url",
            "https://www.example.com",
            "--header",
            "Cookie: SESSION=secret-cookie",
            "--dry-run",
        ],
        &[],
    )?;
    t.expect(code, 0, "dry run")?;

    t.heading("What a wrong secret key produces (exit 4)");
    let code = t.wsc(&["list"], &[("NCLOUD_SECRET_ACCESS_KEY", "not-the-secret")])?;
    t.expect(code, 4, "wrong secret")?;

    println!(
        "\n{} Every step above ran the real binary; nothing left this machine.",
        style("1", "Done.")
    );
    if keep_running {
        println!("wsc-mock keeps running at {endpoint}; press Ctrl-C to stop it.");
        println!(
            "  export WSC_ENDPOINT={endpoint} NCLOUD_ACCESS_KEY_ID={ACCESS} NCLOUD_SECRET_ACCESS_KEY={SECRET}"
        );
        loop {
            std::thread::park();
        }
    }
    drop(guard);
    let _ = std::fs::remove_dir_all(&home);
    Ok(())
}
