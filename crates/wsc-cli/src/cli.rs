//! The command line: every command, option and its help text.

use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

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
const TIMEOUT_HELP: &str = "Per-request timeout in seconds [default: 30; 120 for a report]";

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

/// `--ca-bundle` / `WSC_CA_BUNDLE`: a PEM file, or none when the value is
/// empty (so that `WSC_CA_BUNDLE=` unsets it, as an unset variable would).
#[derive(Debug, Clone)]
pub struct CaBundle(Option<PathBuf>);

impl CaBundle {
    /// The file, unless the value was empty.
    pub fn path(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

fn parse_ca_bundle(value: &str) -> Result<CaBundle, String> {
    Ok(CaBundle((!value.is_empty()).then(|| PathBuf::from(value))))
}

/// A flag whose values are a fixed, listed set (shown in `--help`), parsed
/// by a function that names the problem with a refused value.
#[derive(Debug, Clone, Copy)]
pub struct ListedParser {
    flag: &'static str,
    values: &'static [&'static str],
    parse: fn(&str) -> Result<String, String>,
}

/// `--site`: `public` or `gov` (any case; empty means unset). `fin` has no
/// confirmed host: it is refused with a hint to pass `--endpoint`.
pub const SITE_PARSER: ListedParser = ListedParser {
    flag: "--site",
    values: &["public", "gov"],
    parse: |text| {
        if text.trim().is_empty() {
            return Ok(String::new());
        }
        text.parse::<wsc_core::Site>()
            .map(|site| site.name().to_owned())
            .map_err(|e| e.reason)
    },
};

/// `--vuln`: one of the documented items, in their canonical spelling.
pub const VULN_PARSER: ListedParser = ListedParser {
    flag: "--vuln",
    values: &wsc_core::operations::DOCUMENTED_VULN_ITEMS,
    parse: |text| {
        wsc_core::operations::documented_vuln_item(text)
            .map(str::to_owned)
            .ok_or_else(|| {
                format!(
                    "the documented items are {} (other item names: use --from-file)",
                    wsc_core::operations::DOCUMENTED_VULN_ITEMS.join(", ")
                )
            })
    },
};

impl TypedValueParser for ListedParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        (self.parse)(&text).map_err(|reason| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "invalid value {:?} for '{}': {reason}\n",
                    text.chars().take(40).collect::<String>(),
                    self.flag
                ),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.values.iter().copied().map(PossibleValue::new),
        ))
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned, human-readable.
    Table,
    /// Stable JSON on stdout (see docs/cli.md).
    Json,
    /// `report` only: Markdown (job summaries, merge-request comments).
    Markdown,
    /// `report` only: JUnit XML (CI test tabs).
    Junit,
    /// `report` only: SARIF 2.1.0 (code-scanning tools).
    Sarif,
    /// `report` only: one self-contained HTML page with charts.
    Html,
}

impl Output {
    /// The value as typed.
    pub fn name(self) -> &'static str {
        match self {
            Output::Table => "table",
            Output::Json => "json",
            Output::Markdown => "markdown",
            Output::Junit => "junit",
            Output::Sarif => "sarif",
            Output::Html => "html",
        }
    }

    /// Formats only `wsc report` writes.
    pub fn report_only(self) -> bool {
        !matches!(self, Output::Table | Output::Json)
    }
}

/// Risk levels for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on high findings.
    High,
    /// Fail on medium or high findings.
    Medium,
    /// Fail on any finding.
    Low,
}

impl FailOn {
    /// The level's name as typed.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::High => "high",
            FailOn::Medium => "medium",
            FailOn::Low => "low",
        }
    }
}

impl From<FailOn> for wsc_core::RiskLevel {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::High => Self::High,
            FailOn::Medium => Self::Medium,
            FailOn::Low => Self::Low,
        }
    }
}

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
