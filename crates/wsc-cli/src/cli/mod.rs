//! The command line: the global options and how each command's help shows
//! them ([`commands`]: every command and its options; [`values`]: the
//! values options take).

mod commands;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser};

pub use commands::*;
pub use values::*;

/// Exit codes, shown in `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  other error
  2  usage error (bad option or input)
  3  wait timed out (the scan continues)
  4  missing credentials or authentication failed
  5  API or service error
  6  the job ended failed, cancelled, stopped or expired
  7  could not reach the service
  10 findings at or above --fail-on, or new findings at or above --fail-on-new
  130 interrupted (Ctrl-C; 143 for SIGTERM)
  141 stdout closed (a pipe whose reader quit)

Credentials: NCLOUD_ACCESS_KEY_ID/NCLOUD_ACCESS_KEY and NCLOUD_SECRET_ACCESS_KEY/NCLOUD_SECRET_KEY,
then the profile in ~/.ncloud/configure (see `wsc configure`). The secret key is never an argument:
use --secret-key-stdin to pipe it in.";

/// wsc — NAVER Cloud Platform Web Security Checker from the command line.
#[derive(Debug, Parser)]
#[command(name = "wsc", version, about = "Run and read NAVER Cloud Platform Web Security Checker scans", after_help = EXIT_CODES_HELP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[arg(long, value_name = "SECS", help = TIMEOUT_HELP, help_heading = GLOBAL, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,

    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the options every command accepts.
pub const GLOBAL: &str = "Global options";

/// `--timeout`'s help, with the defaults of `Timeouts::default()`.
pub(super) const TIMEOUT_HELP: &str =
    "Per-request timeout in seconds [default: 30; 120 for a report]";

/// `--retries`'s help, with the default of `RetryPolicy::default()`.
const RETRIES_HELP: &str = "Retries for transient failures (createJob is never retried once it may have arrived) [default: 3]";

/// Options accepted before or after the subcommand.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// WSC base URL (http:// only for loopback) [env: WSC_ENDPOINT].
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL)]
    pub endpoint: Option<String>,

    /// NCP site, when no endpoint is given [env: NCLOUD_SITE].
    #[arg(long, global = true, value_name = "SITE", value_parser = SITE_PARSER, help_heading = GLOBAL)]
    pub site: Option<String>,

    /// Profile in ~/.ncloud/configure.
    #[arg(long, global = true, env = "NCLOUD_PROFILE", value_name = "NAME", help_heading = GLOBAL)]
    pub profile: Option<String>,

    /// Output format.
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = Output::Table, help_heading = GLOBAL)]
    pub output: Output,

    #[arg(long, global = true, value_name = "N", help = RETRIES_HELP, help_heading = GLOBAL, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: Option<u32>,

    /// Print the requests that would be sent (secrets redacted) and send nothing.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub dry_run: bool,

    /// Record every exchange (secrets redacted) to this cassette file.
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub record: Option<PathBuf>,

    /// Extra CA certificates to trust (PEM), e.g. a TLS-inspecting proxy's
    /// (an empty value means none).
    #[arg(long, global = true, env = "WSC_CA_BUNDLE", value_name = "FILE", value_parser = parse_ca_bundle, help_heading = GLOBAL)]
    pub ca_bundle: Option<CaBundle>,

    /// Read the secret key from standard input (first line).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub secret_key_stdin: bool,

    /// More logs on stderr (-v, -vv, -vvv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,

    /// Only errors and results; no progress or notices.
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
}

/// The global flags `command` ignores, hidden from its help.
pub fn ignored_globals(command: &str) -> &'static [&'static str] {
    const ALL: &[&str] = &[
        "endpoint",
        "site",
        "profile",
        "output",
        "retries",
        "dry_run",
        "record",
        "ca_bundle",
        "secret_key_stdin",
        "verbose",
        "quiet",
    ];
    match command {
        "configure" => &[
            "retries",
            "record",
            "ca_bundle",
            "secret_key_stdin",
            "verbose",
        ],
        "completions" | "man" => ALL,
        _ => &[],
    }
}

/// The help of the global flags that mean something else to `command`.
pub fn global_help(command: &str) -> &'static [(&'static str, &'static str)] {
    match command {
        "configure" => &[
            (
                "endpoint",
                "WSC base URL to save in the profile (wsc_endpoint), used by every later command of the profile; asked for when neither --site nor --endpoint is given",
            ),
            (
                "site",
                "NCP site to save in the profile (api_url): public or gov; asked for when neither --site nor --endpoint is given",
            ),
            ("profile", "Profile to write [default: DEFAULT]"),
            (
                "output",
                "table (a line saying what was saved) or json (the saved profile, secret redacted)",
            ),
            (
                "dry_run",
                "Show what would be saved (secret redacted) and write nothing",
            ),
        ],
        _ => &[],
    }
}
