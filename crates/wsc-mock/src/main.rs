//! `wsc-mock`: run the offline Web Security Checker from the command line.
//!
//! ```text
//! wsc-mock serve [--port N] [--seed N] [--speed X] [--no-demo-jobs] [--create-response null|id] [--japanese] [--fault OP:WHEN:KIND]...
//! wsc-mock replay FILE [--port N] [--fault OP:WHEN:KIND]...
//! ```
//! Binds 127.0.0.1 only and prints `listening on http://127.0.0.1:PORT` as the
//! first line of stdout. Keys: `WSC_MOCK_ACCESS_KEY` / `WSC_MOCK_SECRET_KEY`, or
//! the documented demo pair.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use wsc_mock::{
    CreateResponse, DEMO_ACCESS_KEY, DEMO_SECRET_KEY, FaultRule, Language, MockConfig, MockServer,
};

/// The long help of `--fault`.
const FAULT_HELP: &str =
    "Inject a fault: OP:WHEN:KIND (repeatable; the first rule that fires wins).
OP: any, getJobs, searchJobs, createJob, cancelJob, stopJob, getReport.
WHEN: always, first, next=N, nth=N, p=F.
KIND: ";

#[derive(Parser)]
#[command(
    name = "wsc-mock",
    version,
    about = "The offline Web Security Checker API (loopback only)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a stateful WSC with demo jobs.
    Serve {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Seed for findings and random faults.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Simulated seconds per real second.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Start with no jobs.
        #[arg(long)]
        no_demo_jobs: bool,
        /// What createJob answers: `null` resources (as documented) or the new `id`.
        #[arg(long, default_value = "null", value_parser = ["null", "id"])]
        create_response: String,
        /// Japanese status labels instead of Korean.
        #[arg(long)]
        japanese: bool,
        /// Also preload N completed jobs (for paging and benchmarks).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100_000))]
        extra_jobs: u32,
        /// Inject a fault, e.g. `createJob:first:acted-then-endpoint-error`.
        #[arg(long = "fault", value_name = "OP:WHEN:KIND", long_help = fault_help())]
        faults: Vec<FaultRule>,
    },
    /// Replay a recorded cassette.
    Replay {
        /// The cassette (JSON).
        file: std::path::PathBuf,
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Inject a fault, e.g. `any:nth=2:never-answer`.
        #[arg(long = "fault", value_name = "OP:WHEN:KIND", long_help = fault_help())]
        faults: Vec<FaultRule>,
    },
}

fn fault_help() -> String {
    format!("{FAULT_HELP}{}", wsc_mock::FAULT_NAMES)
}

fn keys() -> (String, String) {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    (
        get("WSC_MOCK_ACCESS_KEY").unwrap_or_else(|| DEMO_ACCESS_KEY.into()),
        get("WSC_MOCK_SECRET_KEY").unwrap_or_else(|| DEMO_SECRET_KEY.into()),
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (access_key, secret_key) = keys();
    let base = MockConfig {
        access_key,
        secret_key,
        ..MockConfig::default()
    };
    let (extra, faults) = match &cli.command {
        Command::Serve {
            extra_jobs, faults, ..
        } => (*extra_jobs, faults.clone()),
        Command::Replay { faults, .. } => (0, faults.clone()),
    };
    let started = match cli.command {
        Command::Serve {
            port,
            seed,
            speed,
            no_demo_jobs,
            create_response,
            japanese,
            ..
        } => MockServer::start(MockConfig {
            port,
            seed,
            clock_speed: speed,
            preload_demo_jobs: !no_demo_jobs,
            create_response: if create_response == "id" {
                CreateResponse::WithId
            } else {
                CreateResponse::NullResources
            },
            language: if japanese {
                Language::Japanese
            } else {
                Language::Korean
            },
            ..base
        }),
        Command::Replay { file, port, .. } => {
            let cassette = match std::fs::read(&file)
                .map_err(|e| e.to_string())
                .and_then(|bytes| wsc_core::cassette::Cassette::from_json(&bytes))
            {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("wsc-mock: cannot read cassette {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            MockServer::start_replay(MockConfig { port, ..base }, cassette)
        }
    };
    let server = match started {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wsc-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    for i in 0..extra {
        server.preload(wsc_mock::PreloadJob {
            start_url: format!("https://site{i}.example.com"),
            memo: format!("extra {i}"),
            held: Some(wsc_mock::Phase::Completed),
            findings: wsc_mock::Findings {
                high: 0,
                medium: 1,
                low: 2,
            },
        });
    }
    for rule in faults {
        server.inject_rule(rule);
    }
    println!("listening on {}", server.base_url());
    let _ = std::io::stdout().flush();
    eprintln!("wsc-mock: Ctrl-C to stop");
    // Park until killed; the server runs on its own threads.
    loop {
        std::thread::park();
    }
}
