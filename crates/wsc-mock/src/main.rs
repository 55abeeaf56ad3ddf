//! `wsc-mock`: run the offline Web Security Checker from the command line.
//!
//! ```text
//! wsc-mock serve [--seed N] [--speed X] [--no-demo-jobs] [--create-response null|id] [--japanese] [COMMON]
//! wsc-mock replay FILE [COMMON]
//! COMMON: [--port N] [--fault OP:WHEN:KIND]... [--tls [--ca-out FILE]] [--header-timeout SECS] [--idle-timeout SECS]
//! ```
//! Binds 127.0.0.1 only and prints `listening on http://127.0.0.1:PORT` as the
//! first line of stdout (`https://` with `--tls`, then `ca certificate: FILE`),
//! then the keys and an `export` line for the CLI. Keys: `WSC_MOCK_ACCESS_KEY` /
//! `WSC_MOCK_SECRET_KEY`, or the documented demo pair.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
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
        #[command(flatten)]
        common: Common,
    },
    /// Replay a recorded cassette.
    Replay {
        /// The cassette (JSON).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
}

/// Options of both modes.
#[derive(Args)]
struct Common {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Inject a fault, e.g. `createJob:first:acted-then-endpoint-error`.
    #[arg(long = "fault", value_name = "OP:WHEN:KIND", long_help = fault_help())]
    faults: Vec<FaultRule>,
    /// Serve HTTPS with a certificate from a CA generated at start-up; its PEM
    /// is written to --ca-out (default: wsc-mock-ca-PORT.pem in the temporary
    /// directory) and the path printed.
    #[arg(long)]
    tls: bool,
    /// Where --tls writes the CA certificate (PEM).
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_out: Option<PathBuf>,
    /// Seconds a connection may take to send a request's headers (also while
    /// idle between requests) before it is closed.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    header_timeout: u64,
    /// Seconds a connection may go with no byte moving either way while the
    /// server waits on it before it is closed.
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    idle_timeout: u64,
}

impl Common {
    /// The connection settings of `base` with this command line's.
    fn apply(&self, base: MockConfig) -> MockConfig {
        MockConfig {
            port: self.port,
            tls: self.tls,
            header_read_timeout: std::time::Duration::from_secs(self.header_timeout),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout),
            ..base
        }
    }
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

/// What to print after the address: the CA file (with `--tls`), the keys and
/// an `export` line for the CLI. A secret key that is not the demo one is never
/// printed: the export line refers to its variable instead.
fn banner(url: &str, access_key: &str, secret_key: &str, ca_file: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(ca) = ca_file {
        out.push_str(&format!("ca certificate: {ca}\n"));
    }
    let secret = if secret_key == DEMO_SECRET_KEY {
        out.push_str(&format!(
            "access key: {access_key}\nsecret key: {DEMO_SECRET_KEY} (the demo key: it opens nothing but the mock)\n"
        ));
        DEMO_SECRET_KEY.to_owned()
    } else {
        out.push_str(&format!(
            "access key: {access_key}\nsecret key: from $WSC_MOCK_SECRET_KEY\n"
        ));
        "\"$WSC_MOCK_SECRET_KEY\"".to_owned()
    };
    out.push_str(&format!(
        "export WSC_ENDPOINT={url} NCLOUD_ACCESS_KEY_ID={access_key} NCLOUD_SECRET_ACCESS_KEY={secret}"
    ));
    if let Some(ca) = ca_file {
        out.push_str(&format!(" WSC_CA_BUNDLE={ca}"));
    }
    out.push('\n');
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (access_key, secret_key) = keys();
    let base = MockConfig {
        access_key: access_key.clone(),
        secret_key: secret_key.clone(),
        ..MockConfig::default()
    };
    let (started, common, extra) = match cli.command {
        Command::Serve {
            seed,
            speed,
            no_demo_jobs,
            create_response,
            japanese,
            extra_jobs,
            common,
        } => (
            MockServer::start(MockConfig {
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
                ..common.apply(base)
            }),
            common,
            extra_jobs,
        ),
        Command::Replay { file, common } => {
            let cassette = match std::fs::read(&file)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    wsc_core::cassette::Cassette::from_json(&bytes).map_err(|e| e.to_string())
                }) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("wsc-mock: cannot read cassette {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let config = common.apply(base);
            (MockServer::start_replay(config, cassette), common, 0)
        }
    };
    let server = match started {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wsc-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ca_file = match server.ca_pem() {
        Some(pem) => {
            let path = common.ca_out.unwrap_or_else(|| {
                std::env::temp_dir().join(format!("wsc-mock-ca-{}.pem", server.addr().port()))
            });
            if let Err(e) = std::fs::write(&path, pem) {
                eprintln!(
                    "wsc-mock: cannot write the CA certificate to {}: {e}",
                    path.display()
                );
                return ExitCode::FAILURE;
            }
            Some(path.display().to_string())
        }
        None => None,
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
    for rule in common.faults {
        server.inject_rule(rule);
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on {}", server.base_url());
    let _ = write!(
        stdout,
        "{}",
        banner(
            server.base_url(),
            &access_key,
            &secret_key,
            ca_file.as_deref()
        )
    );
    let _ = stdout.flush();
    drop(stdout);
    eprintln!("wsc-mock: Ctrl-C to stop");
    // Park until killed; the server runs on its own threads.
    loop {
        std::thread::park();
    }
}
