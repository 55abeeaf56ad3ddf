//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs each cargo-fuzz target
//! of `crates/wsc-core/fuzz` for a time budget and reports executions and
//! crashes. Needs `cargo install cargo-fuzz`; uses `RUSTC_BOOTSTRAP=1` so the
//! stable toolchain accepts the sanitizer flags libFuzzer needs.

use std::process::{Command, Stdio};

pub(crate) const TARGETS: &[&str] = &["parse_response", "config_file", "cassette", "user_input"];

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let seconds: u64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let chosen: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|t| args.iter().any(|a| a == t))
        .collect();
    let targets = if chosen.is_empty() {
        TARGETS.to_vec()
    } else {
        chosen
    };
    let root = crate::workspace_root().join("crates/wsc-core");
    let mut rows = Vec::new();
    for target in targets {
        // Work on a copy of the seed corpus so the committed seeds stay small.
        let work = crate::target_dir().join("fuzz-corpus").join(target);
        std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
        for seed in
            std::fs::read_dir(root.join("fuzz/corpus").join(target)).map_err(|e| e.to_string())?
        {
            let seed = seed.map_err(|e| e.to_string())?.path();
            if let Some(name) = seed.file_name() {
                let _ = std::fs::copy(&seed, work.join(name));
            }
        }
        eprintln!("$ cargo fuzz run {target} ({seconds}s)");
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--fuzz-dir", "fuzz", target])
            .arg(&work)
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-rss_limit_mb=2048",
                "-timeout=5",
            ])
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run cargo fuzz (cargo install cargo-fuzz): {e}"))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let runs = log
            .lines()
            .find_map(|l| {
                l.strip_prefix("Done ")
                    .and_then(|r| r.split(' ').next())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "?".into());
        let crashed = !out.status.success();
        if crashed {
            eprintln!(
                "{}",
                log.lines()
                    .rev()
                    .take(30)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        rows.push(format!(
            "| {target} | {seconds} s | {runs} | {} |",
            if crashed {
                "CRASH (see artifacts/)"
            } else {
                "0"
            }
        ));
    }
    println!("\n| target | budget | executions | crashes |\n|---|---|---|---|");
    for r in &rows {
        println!("{r}");
    }
    if rows.iter().any(|r| r.contains("CRASH")) {
        return Err("a fuzz target crashed".into());
    }
    Ok(())
}
