//! `cargo xtask bench [--quick]`: every benchmark, one table.
//!
//! Runs the benchmark targets: criterion measures each side of a comparison on
//! its own (reports in `target/bench/criterion`), then `bench_support`
//! interleaves `ours` and its `baseline` in short samples in the same process
//! and prints the median of the per-pair ratios, which the table judges. Then
//! it counts allocations;
//! then runs the process-level measures against a warm `wsc-mock` on loopback,
//! then instruction counts under callgrind when valgrind is installed. Prints
//! one table; writes it to `target/bench/table.md`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use bench_support::PairSummary;
use wsc_core::ListJobs;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::build_request;
use wsc_core::{Credentials, Endpoint, Limit, PageNumber};

const ACCESS: &str = "WSCMOCKDEMOACCESSKEY";
const SECRET: &str = "wsc-mock-demo-secret-key-not-for-real-use";

struct Row {
    what: String,
    ours: String,
    baseline: String,
    ratio: String,
    target: String,
    pass: Option<bool>,
}

fn judge(ratio: f64, target: &str) -> Option<bool> {
    let (op, value) = target.trim().split_once(' ')?;
    let value: f64 = value.trim().trim_end_matches(['×', 'x']).parse().ok()?;
    Some(match op {
        "<=" => ratio <= value,
        ">=" => ratio >= value,
        _ => return None,
    })
}

/// Where criterion writes its reports (`<group>/<side>/...`).
fn criterion_home() -> PathBuf {
    crate::target_dir().join("bench").join("criterion")
}

/// Runs one bench target (criterion per side, then the interleaved pairs),
/// passing its output through, and returns the pair summaries it printed.
///
/// `--quick` skips the criterion half and shortens everything.
fn run_pairs(package: &str, bench: &str, quick: bool) -> Result<Vec<PairSummary>, String> {
    let home = criterion_home();
    let mut envs = vec![("CRITERION_HOME", home.to_str().unwrap_or("target/bench"))];
    let mut args = vec![
        "bench", "--quiet", "-p", package, "--bench", bench, "--", "--noplot",
    ];
    if quick {
        envs.extend([("WSC_BENCH_QUICK", "1"), ("WSC_BENCH_PAIRED_ONLY", "1")]);
    } else {
        args.extend(["--warm-up-time", "1", "--measurement-time", "3"]);
    }
    eprintln!("$ cargo {}", args.join(" "));
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(&args)
        .envs(envs.iter().copied())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    eprint!("{text}");
    if !out.status.success() {
        return Err(format!("the {package} `{bench}` benchmark failed"));
    }
    Ok(text
        .lines()
        .filter_map(PairSummary::from_report_line)
        .collect())
}

/// The summary named `name` among `found`.
fn summary<'a>(found: &'a [PairSummary], name: &str) -> Result<&'a PairSummary, String> {
    found
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| format!("the benchmark printed no `{name}` result"))
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// How a paired measure reads: a time (ours over baseline, lower is better) or
/// a throughput over batches of `calls` (baseline time over ours, higher is better).
enum Reading {
    Time,
    Throughput { calls: u64 },
}

/// One table row from a paired comparison: the median ratio, with the
/// interquartile range of the per-pair ratios beside it.
fn paired_row(what: &str, s: &PairSummary, reading: Reading, target: &str) -> Row {
    let (ratio, low, high, ours, baseline) = match reading {
        Reading::Time => (
            s.ratio_median,
            s.ratio_q1,
            s.ratio_q3,
            fmt_ns(s.ours_ns),
            fmt_ns(s.baseline_ns),
        ),
        Reading::Throughput { calls } => {
            let rate = |ns: f64| format!("{:.0} req/s", calls as f64 / (ns / 1e9));
            (
                1.0 / s.ratio_median,
                1.0 / s.ratio_q3,
                1.0 / s.ratio_q1,
                rate(s.ours_ns),
                rate(s.baseline_ns),
            )
        }
    };
    Row {
        what: what.into(),
        ours,
        baseline,
        ratio: format!("{ratio:.3}× (IQR {low:.2}–{high:.2}, {} pairs)", s.pairs),
        target: target.into(),
        pass: judge(ratio, target),
    }
}

/// The paired measures (1, 2, 4, 5, 6) and the allocation count (3).
fn library_rows(quick: bool) -> Result<Vec<Row>, String> {
    let core = run_pairs("wsc-core", "core", quick)?;
    let mut rows = vec![
        paired_row(
            "1. build + sign a complete getJobs `http::Request` vs bare keyed HMAC + base64",
            summary(&core, "build_sign")?,
            Reading::Time,
            "<= 1.60",
        ),
        paired_row(
            "2. sign alone, pre-keyed, vs bare HMAC from a cloned pre-keyed state + base64",
            summary(&core, "sign_prekeyed")?,
            Reading::Time,
            "<= 1.30",
        ),
    ];
    rows.push(allocation_row()?);
    rows.push(paired_row(
        "4. parse a 100-record page (wire quirks) into typed records vs `serde_json::Value`",
        summary(&core, "parse_page")?,
        Reading::Time,
        "<= 1.00",
    ));
    let hyper = run_pairs("wsc-hyper", "throughput", quick)?;
    let ureq = run_pairs("wsc-ureq", "throughput", quick)?;
    rows.push(throughput_row(
        &hyper,
        "hyper_64way",
        |calls| {
            format!("5. `wsc-hyper` {calls} getJobs calls at concurrency 64 vs bare hyper-util")
        },
        ">= 0.80",
    )?);
    rows.push(throughput_row(
        &ureq,
        "ureq_sequential",
        |calls| {
            format!("6. `wsc-ureq` {calls} sequential keep-alive getJobs calls vs bare ureq::Agent")
        },
        ">= 0.85",
    )?);
    rows.push(throughput_row(
        &ureq,
        "ureq_sequential_same_timeout",
        |calls| {
            format!(
                "6b. `wsc-ureq` {calls} calls vs bare ureq::Agent with the same per-call timeout"
            )
        },
        ">= 0.85",
    )?);
    Ok(rows)
}

/// Measures 5 and 6: a pair from a transport's `throughput` bench, whose
/// result says how many calls one iteration (one batch) makes; `what` names
/// the row for it.
fn throughput_row(
    found: &[PairSummary],
    name: &str,
    what: impl Fn(u64) -> String,
    target: &str,
) -> Result<Row, String> {
    let s = summary(found, name)?;
    let calls = s
        .calls_per_iteration
        .filter(|&calls| calls > 0)
        .ok_or_else(|| {
            format!("the `{name}` result does not say how many calls one iteration makes")
        })?;
    Ok(paired_row(
        &what(calls),
        s,
        Reading::Throughput { calls },
        target,
    ))
}

/// Measure 3, from the counting-allocator bench target.
fn allocation_row() -> Result<Row, String> {
    let args = [
        "bench",
        "--quiet",
        "-p",
        "wsc-core",
        "--bench",
        "allocations",
    ];
    eprintln!("$ cargo {}", args.join(" "));
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err("the allocations benchmark failed".into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let count: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("allocations_per_request "))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no allocation count in: {text}"))?;
    Ok(Row {
        what: "3. heap allocations per built + signed request".into(),
        ours: format!("{count}"),
        baseline: "-".into(),
        ratio: "-".into(),
        target: "<= 8".into(),
        pass: judge(count, "<= 8"),
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_run(cmd: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status})"));
    }
    Ok(elapsed)
}

/// Peak resident set size (KiB) of a command, by GNU time.
fn peak_rss_kib(program: &PathBuf, args: &[&str], envs: &[(&str, &str)]) -> Result<u64, String> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("/usr/bin/time: {e}"))?;
    let text = String::from_utf8_lossy(&out.stderr);
    text.lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("no RSS from /usr/bin/time: {text}"))
}

const PYTHON_SAMPLE: &str = r#"
import sys, time, hmac, hashlib, base64, requests, json
base, access_key, secret_key = sys.argv[1], sys.argv[2], sys.argv[3]
def make_signature(method, uri, timestamp):
    message = bytes(method + " " + uri + "\n" + timestamp + "\n" + access_key, 'UTF-8')
    return base64.b64encode(hmac.new(bytes(secret_key, 'UTF-8'), message, digestmod=hashlib.sha256).digest())
uri = '/api/v1/jobs?limit=20&page=1'
timestamp = str(int(time.time() * 1000))
headers = {'x-ncp-apigw-signature-v2': make_signature('GET', uri, timestamp).decode('utf-8'),
           'x-ncp-apigw-timestamp': timestamp, 'x-ncp-iam-access-key': access_key, 'Content-Type': 'application/json'}
r = requests.request('GET', base + uri, headers=headers)
print(json.dumps(json.loads(r.text)))
"#;

/// A release `wsc-mock serve` on loopback, killed when dropped.
struct Mock {
    child: std::process::Child,
    endpoint: String,
}

impl Mock {
    /// Starts the mock with the demo's five jobs and `extra_jobs` more
    /// (`--tls` writes its throwaway CA to `tls_ca_out`).
    fn start(extra_jobs: u32, tls_ca_out: Option<&std::path::Path>) -> Result<Self, String> {
        let mut cmd = Command::new(release_bin("wsc-mock"));
        cmd.args([
            "serve",
            "--speed",
            "0",
            "--extra-jobs",
            &extra_jobs.to_string(),
        ]);
        if let Some(ca) = tls_ca_out {
            cmd.arg("--tls").arg("--ca-out").arg(ca);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start wsc-mock: {e}"))?;
        let mut first = String::new();
        let read = child.stdout.take().ok_or("no stdout").and_then(|out| {
            BufReader::new(out)
                .read_line(&mut first)
                .map_err(|_| "cannot read wsc-mock's address")
        });
        let mock = Self {
            child,
            endpoint: first.trim().trim_start_matches("listening on ").to_owned(),
        };
        read?;
        Ok(mock)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn release_bin(name: &str) -> PathBuf {
    crate::target_dir()
        .join("release")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// curl arguments for a listJobs call signed now (valid for 5 minutes).
fn curl_list_args(endpoint: &str) -> Result<Vec<String>, String> {
    let creds = Credentials::new(ACCESS, SECRET).map_err(|e| e.to_string())?;
    let ep = Endpoint::parse(endpoint).map_err(|e| e.to_string())?;
    let req = build_request(
        &ListJobs::new(
            Limit::new(20).map_err(|e| e.to_string())?,
            PageNumber::FIRST,
        ),
        &ep,
        &creds,
        TimestampMs::from_system_time(SystemTime::now()),
    )
    .map_err(|e| e.to_string())?;
    let mut args: Vec<String> = vec!["-s".into(), "-f".into(), "-o".into(), "/dev/null".into()];
    for (n, v) in req.headers() {
        args.push("-H".into());
        args.push(format!("{n}: {}", v.to_str().unwrap_or_default()));
    }
    args.push(req.uri().to_string());
    Ok(args)
}

/// The system's CA bundle, as OpenSSL (and so curl) finds it.
fn system_bundle() -> Option<PathBuf> {
    let from_env = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    from_env
        .into_iter()
        .chain(
            [
                "/etc/ssl/certs/ca-certificates.crt",
                "/etc/pki/tls/certs/ca-bundle.crt",
                "/etc/ssl/cert.pem",
            ]
            .map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn ratio_row(what: &str, ours: Duration, base: Duration, target: &str) -> Row {
    let ratio = ours.as_secs_f64() / base.as_secs_f64();
    Row {
        what: what.into(),
        ours: ms(ours),
        baseline: ms(base),
        ratio: format!("{ratio:.3}×"),
        target: target.into(),
        pass: judge(ratio, target),
    }
}

fn process_rows(quick: bool) -> Result<Vec<Row>, String> {
    crate::cargo(
        &[
            "build",
            "--quiet",
            "--release",
            "-p",
            "ncloud-wsc",
            "-p",
            "wsc-mock",
        ],
        &[],
    )?;
    let runs = if quick { 7 } else { 31 };
    let wsc = release_bin("wsc");
    let mut rows = Vec::new();

    // Plain HTTP: wsc, curl and the Python sample, interleaved, against 50 jobs.
    let mock = Mock::start(45, None)?;
    let endpoint = mock.endpoint.clone();
    let envs = [
        ("WSC_ENDPOINT", endpoint.as_str()),
        ("NCLOUD_ACCESS_KEY_ID", ACCESS),
        ("NCLOUD_SECRET_ACCESS_KEY", SECRET),
        ("HOME", "/nonexistent"),
    ];
    let wsc_cmd = |args: &[&str]| {
        let mut c = Command::new(&wsc);
        c.args(args).envs(envs.iter().copied());
        c
    };
    let curl_args = curl_list_args(&endpoint)?;
    let has_python = Command::new("python3")
        .args(["-c", "import requests"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let (mut ours, mut curl, mut python) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(time_run(&mut wsc_cmd(&["list", "-o", "json"]))?);
        curl.push(time_run(Command::new("curl").args(&curl_args))?);
        if has_python {
            python.push(time_run(Command::new("python3").args([
                "-c",
                PYTHON_SAMPLE,
                &endpoint,
                ACCESS,
                SECRET,
            ]))?);
        }
    }
    let o = median(ours);
    rows.push(ratio_row(
        "7. `wsc list -o json` (HTTP) as a cold process vs `curl` with pre-computed headers (median wall)",
        o,
        median(curl),
        "<= 1.00",
    ));
    if has_python {
        let p = median(python);
        let speedup = p.as_secs_f64() / o.as_secs_f64();
        rows.push(Row {
            what: "8. the same call: the docs' Python sample (requests + hmac) / wsc".into(),
            ours: ms(o),
            baseline: ms(p),
            ratio: format!("{speedup:.1}× faster"),
            target: ">= 30".into(),
            pass: judge(speedup, ">= 30"),
        });
    } else {
        rows.push(Row {
            what: "8. Python sample (requests not installed: skipped)".into(),
            ours: "-".into(),
            baseline: "-".into(),
            ratio: "-".into(),
            target: ">= 30".into(),
            pass: None,
        });
    }
    let rss_list = peak_rss_kib(
        &wsc,
        &["list", "--all", "--limit", "1", "-o", "json"],
        &envs,
    )?;
    let rss_report = peak_rss_kib(&wsc, &["report", "1234567001", "-o", "json"], &envs)?;
    drop(mock);

    // What a call adds to the process's start-up, against the demo's five
    // jobs (with 50, the mock itself spends about a millisecond per request).
    let mock = Mock::start(0, None)?;
    let (mut ours, mut version) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(time_run(
            Command::new(&wsc)
                .args(["list", "-o", "json"])
                .envs(envs.iter().copied())
                .env("WSC_ENDPOINT", &mock.endpoint),
        )?);
        version.push(time_run(Command::new(&wsc).arg("--version"))?);
    }
    rows.push(ratio_row(
        "7a. `wsc list -o json` (HTTP, demo jobs) vs `wsc --version`: what a call adds to start-up (no trust store is read)",
        median(ours),
        median(version),
        "<= 2.00",
    ));
    drop(mock);

    // HTTPS with a throwaway CA: wsc trusts the system store plus that CA;
    // curl is given the same roots in one file.
    let dir = crate::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let ca = dir.join("mock-ca.pem");
    let mock = Mock::start(45, Some(&ca))?;
    let roots = dir.join("system-and-mock-ca.pem");
    let mut pem = match system_bundle() {
        Some(bundle) => std::fs::read(bundle).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    pem.extend(std::fs::read(&ca).map_err(|e| e.to_string())?);
    std::fs::write(&roots, pem).map_err(|e| e.to_string())?;
    let ca_text = ca.display().to_string();
    let tls_envs = [
        ("WSC_ENDPOINT", mock.endpoint.as_str()),
        ("WSC_CA_BUNDLE", ca_text.as_str()),
        ("NCLOUD_ACCESS_KEY_ID", ACCESS),
        ("NCLOUD_SECRET_ACCESS_KEY", SECRET),
        ("HOME", "/nonexistent"),
    ];
    let mut tls_curl_args = vec!["--cacert".to_owned(), roots.display().to_string()];
    tls_curl_args.extend(curl_list_args(&mock.endpoint)?);
    let (mut ours, mut curl) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(time_run(
            Command::new(&wsc)
                .args(["list", "-o", "json"])
                .envs(tls_envs.iter().copied()),
        )?);
        curl.push(time_run(Command::new("curl").args(&tls_curl_args))?);
    }
    rows.push(ratio_row(
        "7b. `wsc list -o json` over HTTPS (system store + a throwaway CA) vs `curl --cacert` of the same roots",
        median(ours),
        median(curl),
        "<= 0.80",
    ));
    drop(mock);

    for (what, kib) in [
        ("9. peak RSS `wsc list --all` (50 pages)", rss_list),
        ("9. peak RSS `wsc report`", rss_report),
    ] {
        let mib = kib as f64 / 1024.0;
        rows.push(Row {
            what: what.into(),
            ours: format!("{mib:.1} MiB"),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "<= 15 MiB".into(),
            pass: Some(mib <= 15.0),
        });
    }
    Ok(rows)
}

/// Instructions per iteration under callgrind (stable on a noisy machine).
fn instruction_rows() -> Result<Vec<Row>, String> {
    if Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        return Ok(vec![Row {
            what: "instruction counts (valgrind not installed: skipped)".into(),
            ours: "-".into(),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "-".into(),
            pass: None,
        }]);
    }
    crate::cargo(
        &[
            "bench",
            "--quiet",
            "-p",
            "wsc-core",
            "--bench",
            "instructions",
            "--no-run",
        ],
        &[],
    )?;
    let deps = crate::target_dir().join("release").join("deps");
    let exe = std::fs::read_dir(&deps)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("instructions-") && !n.ends_with(".d"))
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .ok_or("instructions bench binary not found")?;
    let count = |item: &str, n: u64| -> Result<u64, String> {
        let out_file =
            std::env::temp_dir().join(format!("wsc-cg-{item}-{n}-{}", std::process::id()));
        let out = Command::new("valgrind")
            .args([
                "--tool=callgrind",
                &format!("--callgrind-out-file={}", out_file.display()),
            ])
            .arg(&exe)
            .args([item, &n.to_string()])
            .output()
            .map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&out_file);
        let text = String::from_utf8_lossy(&out.stderr);
        text.lines()
            .find_map(|l| l.split("refs:").nth(1))
            .and_then(|v| v.trim().replace(',', "").parse().ok())
            .ok_or_else(|| format!("no instruction count: {text}"))
    };
    let per = |item: &str| -> Result<f64, String> {
        let n = 2_000;
        Ok((count(item, n)? as f64 - count(item, 0)? as f64) / n as f64)
    };
    let (build, sign, hmac, parse, dom) = (
        per("build")?,
        per("sign")?,
        per("hmac")?,
        per("parse")?,
        per("dom")?,
    );
    let row = |what: &str, o: f64, b: f64, target: &str| Row {
        what: what.into(),
        ours: format!("{o:.0} instr"),
        baseline: format!("{b:.0} instr"),
        ratio: format!("{:.3}×", o / b),
        target: target.into(),
        pass: None,
    };
    Ok(vec![
        row(
            "instructions: build+sign vs bare HMAC (software SHA under valgrind)",
            build,
            hmac,
            "(tracked)",
        ),
        row(
            "instructions: sign pre-keyed vs bare HMAC",
            sign,
            hmac,
            "(tracked)",
        ),
        row(
            "instructions: typed page parse vs DOM parse",
            parse,
            dom,
            "(tracked)",
        ),
    ])
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let processes_only = args.iter().any(|a| a == "--processes");
    let mut rows = if processes_only {
        Vec::new()
    } else {
        library_rows(quick)?
    };
    rows.extend(process_rows(quick)?);
    if !processes_only && !args.iter().any(|a| a == "--no-callgrind") {
        rows.extend(instruction_rows()?);
    }
    let mut table = String::from(
        "| measure | ours | baseline | ratio | target | result |\n|---|---|---|---|---|---|\n",
    );
    for r in &rows {
        let result = match r.pass {
            Some(true) => "pass",
            Some(false) => "MISS",
            None => "-",
        };
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {result} |\n",
            r.what, r.ours, r.baseline, r.ratio, r.target
        ));
    }
    println!("\n{table}");
    let dir = crate::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("table.md"), &table).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", dir.join("table.md").display());
    Ok(())
}
