//! `cargo xtask demo [--keep-running | --readme | --check-readme]`: the real
//! `wsc` binary against `wsc-mock` on a random loopback port, as a narrated
//! tour. Offline.
//!
//! The README's "30-second tour" is this tour's real output: `--readme`
//! rewrites it from a run, `--check-readme` (part of `cargo xtask ci`) fails
//! when it no longer matches one, up to what changes from run to run (dates,
//! elapsed times, the progress lines a wait prints on its way).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::mock::{ACCESS, Mock, SECRET};

/// ANSI styling only on a terminal, and never with `NO_COLOR`.
fn style(code: &str, text: &str) -> String {
    if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

struct Tour {
    wsc: PathBuf,
    endpoint: String,
    home: PathBuf,
    step: u32,
    /// Capture every command's output (and print it afterwards) instead of
    /// letting it reach the terminal directly.
    capture: bool,
    /// The README's tour: the commands marked for it, with their output.
    readme: String,
}

impl Tour {
    fn heading(&mut self, text: &str) {
        self.step += 1;
        println!("\n{}", style("1", &format!("{}. {text}", self.step)));
    }

    /// Runs `wsc args`, echoing the command; returns its exit code and stdout
    /// (captured when `capture_stdout` or the tour captures everything, else
    /// empty). Commands marked `in_readme` join the README's tour.
    fn run(
        &mut self,
        args: &[&str],
        extra_env: &[(&str, &str)],
        capture_stdout: bool,
        in_readme: bool,
    ) -> Result<(i32, String), String> {
        let shown = shown_command(args, extra_env);
        println!("{}", style("36", &shown));
        let mut command = self.command(args);
        command.envs(extra_env.iter().copied()).stdin(Stdio::null());
        let (code, stdout, stderr) = if capture_stdout {
            if !self.capture {
                command.stderr(Stdio::inherit());
            }
            let output = command
                .output()
                .map_err(|e| format!("cannot run wsc: {e}"))?;
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            print!("{stdout}");
            eprint!("{stderr}");
            (output.status.code().unwrap_or(-1), stdout, stderr)
        } else if self.capture {
            // Both streams into one file, so the transcript keeps their order.
            let path = self.home.join("output.txt");
            let file = std::fs::File::create(&path).map_err(|e| e.to_string())?;
            let err = file.try_clone().map_err(|e| e.to_string())?;
            let status = command
                .stdout(file)
                .stderr(err)
                .status()
                .map_err(|e| format!("cannot run wsc: {e}"))?;
            let both = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            print!("{both}");
            (status.code().unwrap_or(-1), both, String::new())
        } else {
            let status = command
                .status()
                .map_err(|e| format!("cannot run wsc: {e}"))?;
            (status.code().unwrap_or(-1), String::new(), String::new())
        };
        if code != 0 {
            println!("{}", style("2", &format!("(exit code {code})")));
        }
        if in_readme {
            self.readme
                .push_str(&transcript(&shown, &stdout, &stderr, code));
        }
        Ok((code, stdout))
    }

    /// Runs `wsc args` on the terminal, echoing the command; returns its exit code.
    fn wsc(
        &mut self,
        args: &[&str],
        extra_env: &[(&str, &str)],
        in_readme: bool,
    ) -> Result<i32, String> {
        self.run(args, extra_env, false, in_readme)
            .map(|(code, _)| code)
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

/// `$ ENV=value wsc args`, quoting arguments that contain spaces.
fn shown_command(args: &[&str], extra_env: &[(&str, &str)]) -> String {
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
    format!("$ {prefix}wsc {}", shown.join(" "))
}

/// One command of the README's tour: the command, its stdout, its stderr and
/// its exit code when not 0.
fn transcript(shown: &str, stdout: &str, stderr: &str, code: i32) -> String {
    let mut out = format!("{shown}\n");
    for stream in [stdout, stderr] {
        out.push_str(stream);
        if !stream.is_empty() && !stream.ends_with('\n') {
            out.push('\n');
        }
    }
    if code != 0 {
        out.push_str(&format!("(exit code {code})\n"));
    }
    out
}

/// Where the README's tour block starts and ends.
const TOUR_BEGIN: &str = "<!-- tour:begin (generated by `cargo xtask demo --readme`; checked by `cargo xtask ci`) -->\n```text\n";
const TOUR_END: &str = "```\n<!-- tour:end -->";

/// `readme` with its tour block replaced by `tour`.
fn with_tour(readme: &str, tour: &str) -> Result<String, String> {
    let (before, rest) = readme
        .split_once(TOUR_BEGIN)
        .ok_or("README.md has no tour:begin marker")?;
    let (_, after) = rest
        .split_once(TOUR_END)
        .ok_or("README.md has no tour:end marker")?;
    Ok(format!("{before}{TOUR_BEGIN}{tour}{TOUR_END}{after}"))
}

/// The README's tour block.
fn tour_of(readme: &str) -> Result<&str, String> {
    let (_, rest) = readme
        .split_once(TOUR_BEGIN)
        .ok_or("README.md has no tour:begin marker")?;
    Ok(rest
        .split_once(TOUR_END)
        .ok_or("README.md has no tour:end marker")?
        .0)
}

/// A tour with what changes from run to run made fixed: dates and times
/// (`2026-11-22 22:25:38`, also with `/`), elapsed times (`0m05s`), and of the
/// progress lines `wsc wait` prints on its way (`job ID ... · 0m01s`) only the
/// last of each run of them.
fn normalized(tour: &str) -> String {
    let lines: Vec<String> = tour.lines().map(|l| fixed_tags(&fixed_times(l))).collect();
    let progress = |l: &str| l.starts_with("job ") && l.contains(" · ");
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let next_is_progress = lines.get(i + 1).is_some_and(|n| progress(n));
        if progress(line) && next_is_progress {
            continue;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `line` with each create tag (`[wsc:` and eight hex digits, random per
/// create) replaced by a fixed one.
fn fixed_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("[wsc:") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let is_tag = after.len() >= 14
            && after.as_bytes()[5..13].iter().all(u8::is_ascii_hexdigit)
            && after.as_bytes()[13] == b']';
        if is_tag {
            out.push_str("[wsc:TAG]");
            rest = &after[14..];
        } else {
            out.push_str("[wsc:");
            rest = &after[5..];
        }
    }
    out.push_str(rest);
    out
}

/// `line` with each date-time and elapsed time replaced by a fixed one.
fn fixed_times(line: &str) -> String {
    let shape_of = |s: &[u8], pattern: &[u8]| {
        s.len() >= pattern.len()
            && pattern.iter().zip(s).all(|(p, c)| match p {
                b'9' => c.is_ascii_digit(),
                b'/' => *c == b'/' || *c == b'-',
                other => other == c,
            })
    };
    const DATE: &[u8] = b"9999/99/99 99:99:99";
    const ELAPSED: &[u8] = b"9m99s";
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_digit();
        if boundary && shape_of(&bytes[i..], DATE) {
            out.push_str("YYYY-MM-DD hh:mm:ss");
            i += DATE.len();
        } else if boundary
            && shape_of(&bytes[i..], ELAPSED)
            && bytes
                .get(i + ELAPSED.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            out.push_str("NmSSs");
            i += ELAPSED.len();
        } else {
            let c = line[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
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

/// What the run does with the README's tour.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Readme {
    Ignore,
    Write,
    Check,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let keep_running = args.iter().any(|a| a == "--keep-running");
    let readme = if args.iter().any(|a| a == "--readme") {
        Readme::Write
    } else if args.iter().any(|a| a == "--check-readme") {
        Readme::Check
    } else {
        Readme::Ignore
    };
    // Not quiet: the first build takes a while; cargo shows its progress, and
    // `crate::cargo` says it is still at work when cargo prints nothing.
    eprintln!(
        "Building wsc and wsc-mock: the first build takes about 2 minutes on 2 cores, seconds after that..."
    );
    crate::cargo(&["build", "-p", "ncloud-wsc", "-p", "wsc-mock"], &[])?;
    let target = crate::target_dir();
    let bin = |name: &str| {
        target
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    };

    let guard = Mock::start(&bin("wsc-mock"), &["--speed", "4", "--seed", "7"])?;
    let endpoint = guard.endpoint().to_owned();

    let home = std::env::temp_dir().join(format!("wsc-demo-{}", std::process::id()));
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let mut t = Tour {
        wsc: bin("wsc"),
        endpoint: endpoint.clone(),
        home: home.clone(),
        step: 0,
        capture: readme != Readme::Ignore,
        readme: String::new(),
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
    let code = t.wsc(&["list"], &[], true)?;
    t.expect(code, 0, "list")?;
    let json = t.quiet(&["list", "-o", "json"])?;

    t.heading("Search: completed jobs only");
    let code = t.wsc(&["search", "--status", "completed"], &[], false)?;
    t.expect(code, 0, "search")?;

    t.heading("Start a scan (billed in real life: --yes confirms it in scripts)");
    let (code, out) = t.run(
        &[
            "create",
            "--url",
            "https://www.example.com",
            "--memo",
            "demo scan",
            "--yes",
            "-o",
            "json",
        ],
        &[],
        true,
        true,
    )?;
    t.expect(code, 0, "create")?;
    let created: Value = serde_json::from_str(&out).map_err(|e| format!("create output: {e}"))?;
    let id = created["id"].to_string();

    t.heading("Wait for it, with progress (Ctrl-C would stop waiting, not the scan)");
    let code = t.wsc(&["wait", &id, "--interval", "1"], &[], true)?;
    t.expect(code, 0, "wait")?;

    t.heading("Its report summary");
    let code = t.wsc(&["report", &id], &[], false)?;
    t.expect(code, 0, "report")?;

    t.heading("A CI gate: fail when a report has high findings (exit 10)");
    let shop = job_with_status(&json, "completed").ok_or("no completed demo job")?;
    let code = t.wsc(&["report", &shop, "--fail-on", "high", "-q"], &[], true)?;
    t.expect(code, 10, "fail-on gate")?;

    t.heading("Cancel a job that has not started");
    let reserved = job_with_status(&json, "reserved").ok_or("no reserved demo job")?;
    let code = t.wsc(&["cancel", &reserved], &[], false)?;
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
        false,
    )?;
    t.expect(code, 0, "dry run")?;

    t.heading("What a wrong secret key produces (exit 4)");
    let code = t.wsc(
        &["list"],
        &[("NCLOUD_SECRET_ACCESS_KEY", "not-the-secret")],
        true,
    )?;
    t.expect(code, 4, "wrong secret")?;

    println!(
        "\n{} Every step above ran the real binary; nothing left this machine.",
        style("1", "Done.")
    );
    let readme_result = match readme {
        Readme::Ignore => Ok(()),
        Readme::Write => write_readme(&t.readme),
        Readme::Check => check_readme(&t.readme),
    };
    if keep_running && readme_result.is_ok() {
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
    readme_result
}

fn readme_path() -> PathBuf {
    crate::workspace_root().join("README.md")
}

/// Rewrites the README's tour from this run.
fn write_readme(tour: &str) -> Result<(), String> {
    let path = readme_path();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(&path, with_tour(&text, tour)?)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote the tour into {}", path.display());
    Ok(())
}

/// Fails, showing the first difference, when the README's tour is not this run's.
fn check_readme(tour: &str) -> Result<(), String> {
    let path = readme_path();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (want, got) = (normalized(tour), normalized(tour_of(&text)?));
    if want == got {
        eprintln!("README.md's tour matches the demo's output");
        return Ok(());
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(w, g)| w != g)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    Err(format!(
        "README.md's tour differs from the demo's output at its line {}:\n  README: {:?}\n  demo:   {:?}\nrun `cargo xtask demo --readme` to regenerate it",
        line + 1,
        got.lines().nth(line).unwrap_or("(end)"),
        want.lines().nth(line).unwrap_or("(end)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_elapsed_times_and_passing_progress_are_normalized() {
        let a = "$ wsc list\n1  completed  2026-11-22 22:25:38  https://a\n$ wsc wait 6\n\
                 job 6 collecting URLs 14% · 73 URLs · 0m01s\n\
                 job 6 completed 100% · 209 URLs · 7 found · 0m05s\n  started 2026/11/22 22:25:39\n";
        let b = "$ wsc list\n1  completed  2027-01-02 03:04:05  https://a\n$ wsc wait 6\n\
                 job 6 collecting URLs 40% · 99 URLs · 0m02s\n\
                 job 6 diagnosis in progress 74% · 209 URLs · 4 found · 0m04s\n\
                 job 6 completed 100% · 209 URLs · 7 found · 0m06s\n  started 2027-01-02 03:04:06\n";
        assert_eq!(normalized(a), normalized(b));
        assert!(normalized(a).contains("job 6 completed 100% · 209 URLs · 7 found · NmSSs"));
        // What does not vary still counts.
        let c = b.replace("7 found", "8 found");
        assert_ne!(normalized(a), normalized(&c));
        let d = b.replace("https://a", "https://b");
        assert_ne!(normalized(a), normalized(&d));
        assert_eq!(
            normalized("memo x [wsc:0123abcd]"),
            normalized("memo x [wsc:ffff0000]")
        );
        assert_ne!(
            normalized("memo [wsc:0123abcd]"),
            normalized("memo [wsc:0123abc]")
        );
        // Ids and other digit runs are left alone.
        assert_eq!(fixed_times("1234567001 12:00"), "1234567001 12:00");
    }

    #[test]
    fn the_tour_block_is_replaced_in_place() {
        let readme = format!("# x\n\nintro\n{TOUR_BEGIN}old\n{TOUR_END}\n\n## next\n");
        let new = with_tour(&readme, "$ wsc list\nrow\n").unwrap();
        assert_eq!(tour_of(&new).unwrap(), "$ wsc list\nrow\n");
        assert!(new.starts_with("# x\n\nintro\n") && new.ends_with("\n\n## next\n"));
        assert!(with_tour("no markers", "t").is_err());
    }

    #[test]
    fn transcripts_show_the_exit_code_only_when_not_zero() {
        assert_eq!(transcript("$ wsc list", "a\n", "", 0), "$ wsc list\na\n");
        assert_eq!(
            transcript("$ wsc x", "", "error: no", 4),
            "$ wsc x\nerror: no\n(exit code 4)\n"
        );
    }
}
