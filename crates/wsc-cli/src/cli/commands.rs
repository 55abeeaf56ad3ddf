//! Every command and the options only it (or a few) take.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::values::{FailOn, VULN_PARSER};
use super::{GLOBAL, TIMEOUT_HELP};

/// The baseline gate (`report`, `wait`, `create --wait`).
#[derive(Debug, Args, Clone, Default)]
pub struct GateArgs {
    /// Compare with a report saved by `wsc report ID --out OLD.json`: shows the change per level.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: fail (exit 10) only when a level at or above LEVEL grew.
    #[arg(long, value_enum, value_name = "LEVEL", requires = "baseline")]
    pub fail_on_new: Option<FailOn>,
    /// With --baseline: accept a baseline of another target (refused otherwise, exit 2).
    #[arg(long, requires = "baseline")]
    pub baseline_any_target: bool,
}

/// Per-command request timeout (also accepted before the subcommand).
#[derive(Debug, Args, Clone, Copy)]
pub struct RequestTimeout {
    #[arg(long = "timeout", value_name = "SECS", help = TIMEOUT_HELP, help_heading = GLOBAL, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
}

/// Paging options.
#[derive(Debug, Args, Clone, Copy)]
pub struct PageArgs {
    /// Page to show (from 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Records per page (1-100).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
    /// Fetch every page.
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
}

/// Seconds between polls when `--interval` is not given.
pub const DEFAULT_INTERVAL: u64 = 15;

/// Waiting options.
#[derive(Debug, Args, Clone, Copy)]
pub struct WaitArgs {
    /// Most seconds between polls (the first come after 2 s, doubling up to this) [default: 15].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: Option<u64>,
    /// Fail with findings at or above this level (exit 10).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List scan jobs, newest first.
    List {
        #[command(flatten)]
        paging: PageArgs,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Search jobs by target URL or memo, and status.
    Search {
        /// Match jobs whose target URL contains KEYWORD; a URL with a scheme
        /// (https://...) matches the jobs of that target under any equivalent
        /// spelling (scheme and host case, default port, trailing slash).
        #[arg(long, value_name = "KEYWORD", conflicts_with = "memo")]
        url: Option<String>,
        /// Match jobs whose memo contains KEYWORD.
        #[arg(long, value_name = "KEYWORD")]
        memo: Option<String>,
        /// Status name (completed, running, cancelled, reserved, ...) or numeric code.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        #[command(flatten)]
        paging: PageArgs,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Show one job (found by paging through the list).
    Get {
        /// Job id.
        id: String,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Start a scan. BILLED per call, and it starts at once.
    Create(Box<CreateArgs>),
    /// Cancel a job that has not started.
    Cancel {
        /// Job id.
        id: String,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Stop a running job.
    Stop {
        /// Job id.
        id: String,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Wait for a job to finish (Ctrl-C stops waiting, not the scan).
    Wait {
        /// Job id.
        id: String,
        /// Give up waiting after SECS (exit 3; the scan continues).
        #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
        wait_timeout: Option<u64>,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        timeout: RequestTimeout,
        #[command(flatten)]
        gate: GateArgs,
    },
    /// Show or save a completed job's report (-o table, json, markdown, junit, sarif, html).
    Report {
        /// Job id.
        id: String,
        /// Write the report to FILE, atomically (mode 0600): the chosen format, or with
        /// -o table/json the whole JSON document as the service sent it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Fail with findings at or above this level (exit 10); JUnit test cases fail at it (default high).
        #[arg(long, value_enum, value_name = "LEVEL")]
        fail_on: Option<FailOn>,
        #[command(flatten)]
        gate: GateArgs,
        /// With -o html: chart the last N completed scans of the same target.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
        history: Option<u32>,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// List the completed scans of a target, oldest to newest, with their counts.
    History {
        /// Target URL (as given to `wsc create --url`; any equivalent spelling:
        /// scheme and host case, default port, trailing slash).
        #[arg(long, value_name = "URL")]
        url: String,
        /// The last N scans.
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Name the job of every billed create still without one (after a lost
    /// reply, a kill, a power cut), from the journal of creates, by its tag.
    Recover {
        #[command(flatten)]
        timeout: RequestTimeout,
    },
    /// Save credentials to ~/.ncloud/configure (prompts; mode 0600). Piped: access key, secret key, then an optional site and an optional endpoint, one a line.
    Configure,
    /// Print shell completions.
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one per command into a directory.
    Man {
        /// Write `wsc.1` and a page per subcommand (`wsc-create.1`, ...) into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

/// `wsc create` options.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Target URL.
    #[arg(long, value_name = "URL", required_unless_present = "from_file")]
    pub url: Option<String>,
    /// URL the scan must not visit (repeatable).
    #[arg(long = "exclude", value_name = "URL")]
    pub exclude: Vec<String>,
    /// Header for authenticated scanning, 'Name: value' (repeatable). Prefer --from-file for secrets.
    #[arg(long = "header", value_name = "'NAME: VALUE'")]
    pub header: Vec<String>,
    /// Vulnerability item (repeatable; default ALL).
    #[arg(long = "vuln", value_name = "ITEM", value_parser = VULN_PARSER)]
    pub vuln: Vec<String>,
    /// Browser to present as.
    #[arg(long, value_name = "AGENT", default_value = "pc-chrome", value_parser = ["pc-chrome", "pc-ie", "android", "iphone"])]
    pub user_agent: String,
    /// Scan speed.
    #[arg(long, value_name = "SPEED", default_value = "normal", value_parser = ["normal", "faster", "fast"])]
    pub speed: String,
    /// Memo.
    #[arg(long, value_name = "TEXT")]
    pub memo: Option<String>,
    /// Re-scan of this completed job.
    #[arg(long, value_name = "ID")]
    pub rescan_of: Option<String>,
    /// Read the job from a createJob JSON document (StartUrl, ExcludeUrl, Headers, ...).
    #[arg(long, value_name = "JOB.json", conflicts_with_all = ["url", "exclude", "header", "vuln", "memo", "rescan_of"])]
    pub from_file: Option<PathBuf>,
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Send no create tag in the memo: the job is then found by target, memo
    /// and start time, which concurrent identical creates can confuse.
    #[arg(long)]
    pub no_tag: bool,
    /// Wait for the scan to finish.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up waiting after SECS (exit 3).
    #[arg(long, value_name = "SECS", requires = "wait", value_parser = clap::value_parser!(u64).range(1..))]
    pub wait_timeout: Option<u64>,
    #[command(flatten)]
    pub wait_args: WaitArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    #[command(flatten)]
    pub timeout: RequestTimeout,
}
