//! What every command shares: configuration, the client, dry-run printing,
//! where output goes, and recording.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wsc_core::cassette::Recorder;
use wsc_core::client::{ClientBuilder, FromSettings};
use wsc_core::config::{self, ConfigFile, Overrides, ResolvedConfig};
use wsc_core::dry_run::{DryRun, DryRunRequest};
use wsc_core::error::TransportFailureKind;
use wsc_core::operations::{Operation, OperationKind};
use wsc_core::retry::RetryPolicy;
use wsc_core::{Credentials, Endpoint, SecretKey, Timeouts};
use wsc_ureq::Client;

use crate::cli::{GlobalArgs, Output};
use crate::exit::{AUTH, Failure, OTHER, USAGE};

/// The stack `wsc` sends through (`wsc_ureq`), as its `User-Agent` names
/// it: a dry run's request carries the same.
const STACK_NAME: &str = "ureq";

/// The most of `~/.ncloud/configure` read (1 MiB; a real one is a few lines).
const CONFIG_FILE_LIMIT: u64 = 1 << 20;

/// Shared state of one `wsc` invocation.
pub struct Ctx {
    pub global: GlobalArgs,
    pub request_timeout: Option<u64>,
    pub env: HashMap<String, String>,
    pub stderr_tty: bool,
    pub stdin_tty: bool,
    pub color: bool,
    /// Progress may redraw a line in place: stderr is a terminal, `NO_COLOR`
    /// is unset and `TERM` is not `dumb`.
    pub fancy: bool,
    recorder: Option<Arc<Recorder>>,
    /// The first error writing to stdout; later output is skipped.
    stdout_error: RefCell<Option<std::io::Error>>,
    /// The progress bar shown on a terminal, once something shows progress.
    bar: RefCell<Option<indicatif::ProgressBar>>,
    /// The profile [`Ctx::client`] resolved.
    profile: RefCell<Option<String>>,
}

impl Drop for Ctx {
    /// A progress bar never outlives the command (an error is printed after).
    fn drop(&mut self) {
        self.progress_done();
    }
}

impl Ctx {
    pub fn new(mut global: GlobalArgs, request_timeout: Option<u64>) -> Self {
        // An empty variable (`WSC_ENDPOINT=`) means "not set", as in most tools.
        for value in [&mut global.endpoint, &mut global.site, &mut global.profile] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        // Non-UTF-8 variables cannot be credentials; skip rather than panic.
        let env: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let plain_env = env.contains_key("NO_COLOR")
            || env
                .get("TERM")
                .is_some_and(|t| t.eq_ignore_ascii_case("dumb"));
        let color = std::io::stdout().is_terminal() && !plain_env;
        let stderr_tty = std::io::stderr().is_terminal();
        let fancy = stderr_tty && !plain_env;
        crate::interrupt::set_fancy(fancy);
        let recorder = global.record.as_ref().map(|_| Arc::new(Recorder::new()));
        if let (Some(path), Some(recorder)) = (&global.record, &recorder) {
            crate::interrupt::set_recording(path.clone(), recorder.clone());
        }
        Self {
            global,
            request_timeout,
            env,
            stderr_tty,
            stdin_tty: std::io::stdin().is_terminal(),
            color,
            fancy,
            recorder,
            stdout_error: RefCell::new(None),
            bar: RefCell::new(None),
            profile: RefCell::new(None),
        }
    }

    pub fn json(&self) -> bool {
        self.global.output == Output::Json
    }

    /// True once stdout failed: notices stop too (the output they describe
    /// is lost, and after a closed pipe the run ends quietly).
    fn output_lost(&self) -> bool {
        self.stdout_error.borrow().is_some()
    }

    /// A notice on stderr (suppressed by --quiet).
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.global.quiet && !self.output_lost() {
            eprintln!("{}", crate::output::terminal_safe_lines(text.as_ref()));
        }
    }

    /// A warning on stderr (suppressed by --quiet).
    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.global.quiet && !self.output_lost() {
            eprintln!(
                "warning: {}",
                crate::output::terminal_safe_lines(text.as_ref())
            );
        }
    }

    /// A warning on stderr that `--quiet` does not hide (security matters).
    pub fn warn_always(&self, text: impl AsRef<str>) {
        eprintln!(
            "warning: {}",
            crate::output::terminal_safe_lines(text.as_ref())
        );
    }

    /// Progress shown in place on a terminal (nothing otherwise, with
    /// `NO_COLOR`, `TERM=dumb` or --quiet).
    pub fn progress(&self, text: impl AsRef<str>) {
        self.progress_percent(None, text);
    }

    /// Progress with a percentage: a progress bar on a terminal (a spinner
    /// while the percentage is unknown); nothing otherwise.
    pub fn progress_percent(&self, percent: Option<u64>, text: impl AsRef<str>) {
        if !self.fancy || self.global.quiet {
            return;
        }
        let mut slot = self.bar.borrow_mut();
        let bar = slot.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        match percent {
            Some(p) => {
                if bar.length() != Some(100) {
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{bar:30} {pos:>3}% {msg}")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    bar.set_length(100);
                }
                bar.set_position(p.min(100));
            }
            None => {
                if bar.length().is_some() {
                    bar.set_style(indicatif::ProgressStyle::default_spinner());
                    bar.unset_length();
                }
            }
        }
        bar.set_message(crate::output::terminal_safe(text.as_ref()));
    }

    /// Clears the progress display.
    pub fn progress_done(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }

    /// Writes `text` and a newline to stdout. A write error is kept (see
    /// [`Ctx::stdout_failure`]) and every later write is skipped.
    pub fn print(&self, text: impl AsRef<str>) {
        let mut bytes = Vec::with_capacity(text.as_ref().len() + 1);
        bytes.extend_from_slice(text.as_ref().as_bytes());
        bytes.push(b'\n');
        self.print_bytes(&bytes);
    }

    /// Writes raw bytes to stdout (same error handling as [`Ctx::print`]).
    pub fn print_bytes(&self, bytes: &[u8]) {
        if self.stdout_error.borrow().is_some() {
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
            *self.stdout_error.borrow_mut() = Some(e);
        }
    }

    /// The failure to report when stdout could not be written: `None` when
    /// all went well. A closed pipe (`wsc list | head`) is quiet and exits
    /// 141, as a Unix tool killed by `SIGPIPE` does.
    pub fn stdout_failure(&self) -> Option<Failure> {
        let error = self.stdout_error.borrow();
        let e = error.as_ref()?;
        Some(if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::new(crate::exit::BROKEN_PIPE, "").silent()
        } else {
            Failure::new(OTHER, format!("cannot write the output: {e}"))
        })
    }

    /// Pretty JSON to stdout.
    pub fn print_json(&self, value: &serde_json::Value) {
        self.print(crate::output::json_text(value).unwrap_or_default());
    }

    fn home(&self) -> Option<PathBuf> {
        self.env
            .get("HOME")
            .or_else(|| self.env.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }

    /// The journal of billed creates (see [`crate::journal`]).
    pub fn journal(&self) -> Result<crate::journal::Journal, Failure> {
        let state = self.env.get("XDG_STATE_HOME").map(String::as_str);
        crate::journal::Journal::locate(state, self.home().as_deref()).ok_or_else(|| {
            Failure::usage("no state directory for the journal of creates: HOME is not set")
                .hint("set HOME, or XDG_STATE_HOME to an absolute directory")
        })
    }

    /// The profile the last [`Ctx::client`] resolved.
    pub fn profile(&self) -> String {
        self.profile
            .borrow()
            .clone()
            .unwrap_or_else(|| "default".into())
    }

    /// `~/.ncloud/configure`.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.home().map(|h| h.join(".ncloud").join("configure"))
    }

    fn read_config_file(&self) -> Result<Option<ConfigFile>, Failure> {
        let Some(path) = self.config_path() else {
            return Ok(None);
        };
        let read = crate::fsutil::read_limited(&path, CONFIG_FILE_LIMIT).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| std::io::Error::other("is not UTF-8 text"))
        });
        match read {
            Ok(text) => {
                if crate::fsutil::too_open(&path) {
                    self.warn_always(format!(
                        "{} is readable by other users; run `chmod 600 {}`",
                        path.display(),
                        path.display()
                    ));
                }
                Ok(Some(ConfigFile::parse(path.display().to_string(), &text)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Failure::new(
                AUTH,
                format!("cannot read {}: {e}", path.display()),
            )),
        }
    }

    fn read_secret_from_stdin(&self) -> Result<SecretKey, Failure> {
        use std::io::{BufRead, Read};
        // A secret key is 40 characters: the first line, within 4 KiB, and
        // never an endless stream (`< /dev/zero`).
        const MAX_LINE: u64 = 4096;
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| {
                Failure::new(
                    AUTH,
                    format!("cannot read the secret key from standard input: {e}"),
                )
            })?;
        if bytes.len() as u64 > MAX_LINE {
            return Err(Failure::new(
                AUTH,
                "the secret key on standard input has no line end within 4 KiB",
            )
            .hint("pipe the secret key alone, e.g. `printenv NCLOUD_SECRET_ACCESS_KEY | wsc --secret-key-stdin ...`"));
        }
        let line = String::from_utf8(bytes).map_err(|_| {
            Failure::new(AUTH, "the secret key on standard input is not UTF-8 text")
        })?;
        let secret = line.trim_end_matches(['\r', '\n']);
        SecretKey::new(secret)
            .map_err(|e| Failure::new(AUTH, format!("secret key from standard input: {e}")))
    }

    /// The profile, site and endpoint given as flags.
    fn overrides(&self) -> Overrides {
        let mut overrides = Overrides::default();
        overrides.profile = self.global.profile.clone();
        overrides.site = self.global.site.clone();
        overrides.endpoint = self.global.endpoint.clone();
        overrides
    }

    /// Resolves credentials, profile and endpoint (explicit > env > profile > default).
    pub fn resolve(&self) -> Result<ResolvedConfig, Failure> {
        // An unreadable file matters only if it is needed: credentials in the
        // environment still work, with a warning.
        let (file, file_error) = match self.read_config_file() {
            Ok(file) => (file, None),
            Err(failure) => (None, Some(failure)),
        };
        // --endpoint and --site are the flags alone: their variables
        // (WSC_ENDPOINT, NCLOUD_SITE) are read by `config::resolve`, after
        // both flags, and named when they are wrong.
        let mut overrides = self.overrides();
        if self.global.secret_key_stdin {
            overrides.secret_key = Some(self.read_secret_from_stdin()?);
        }
        let resolved = config::resolve(&overrides, &self.env, file.as_ref());
        match (resolved, file_error) {
            (Ok(config), Some(unread)) => {
                self.warn(format!(
                    "{}; using the credentials from the environment, without the profile's settings",
                    unread.message
                ));
                Ok(config)
            }
            (Err(_), Some(unread)) => Err(unread),
            (result, None) => result.map_err(|e| match e {
                config::ConfigError::Invalid { .. } => Failure::usage(e.to_string()),
                other => Failure::from_error(&other.into(), None, None),
            }),
        }
    }

    fn timeouts(&self) -> Timeouts {
        let t = Timeouts::default();
        match self.request_timeout {
            Some(secs) => t
                .with_attempt(Duration::from_secs(secs))
                .with_report_attempt(Duration::from_secs(secs))
                .with_overall(t.overall().max(Duration::from_secs(secs.saturating_mul(2)))),
            None => t,
        }
    }

    /// `builder` with the command line's timeouts, retries and tagging: the
    /// settings a real run and a dry run share.
    fn configure<C: FromSettings>(
        &self,
        builder: ClientBuilder<C>,
        create_tags: bool,
    ) -> ClientBuilder<C> {
        let retry = match self.global.retries {
            Some(n) => RetryPolicy::default().with_max_retries(n),
            None => RetryPolicy::default(),
        };
        builder
            .create_tags(create_tags)
            .timeouts(self.timeouts())
            .retry_policy(retry)
    }

    /// The blocking client for the resolved configuration.
    pub fn client(&self) -> Result<Client, Failure> {
        self.client_tagging(true)
    }

    /// The blocking client; `create_tags` off, an untagged create stays
    /// untagged (`wsc create --no-tag`).
    pub fn client_tagging(&self, create_tags: bool) -> Result<Client, Failure> {
        let config = self.resolve()?;
        tracing::info!(endpoint = %config.endpoint, profile = %config.profile, source = %config.credentials_source, "configuration");
        *self.profile.borrow_mut() = Some(config.profile.clone());
        let mut builder = self.configure(
            Client::builder(config.credentials, config.endpoint),
            create_tags,
        );
        if let Some(recorder) = &self.recorder {
            builder = builder.recorder(recorder.clone());
        }
        let ca_bundle = self.global.ca_bundle.as_ref().and_then(|b| b.path());
        if let Some(path) = ca_bundle {
            builder = builder.ca_bundle_pem(read_ca_bundle(path)?);
        }
        builder.build().map_err(|e| match &e {
            wsc_core::Error::Transport(t) if t.kind == TransportFailureKind::Setup => {
                let hint = match ca_bundle {
                    Some(path) => format!(
                        "check --ca-bundle {} (a PEM file of CA certificates; an empty WSC_CA_BUNDLE means none) and the proxy variables",
                        path.display()
                    ),
                    None => "check the proxy variables (HTTPS_PROXY, ALL_PROXY, HTTP_PROXY)".into(),
                };
                let what = match ca_bundle {
                    Some(path) if t.detail.contains("CA bundle") => {
                        format!("cannot use --ca-bundle {}", path.display())
                    }
                    _ => "cannot set up the connection".into(),
                };
                Failure::usage(format!("{what}: {}", t.detail)).hint(hint)
            }
            _ => Failure::from_error(&e, None, None),
        })
    }

    /// Saves the recording, if one was asked for (called on every exit path).
    pub fn save_recording(&self) -> Result<(), Failure> {
        if let (Some(path), Some(recorder)) = (&self.global.record, &self.recorder) {
            crate::fsutil::write_atomic(path, recorder.cassette().to_json().as_bytes(), true)
                .map_err(|e| {
                    Failure::new(
                        OTHER,
                        format!("cannot write the recording {}: {e}", path.display()),
                    )
                })?;
        }
        Ok(())
    }

    /// Prints a request a dry run kept, in the format `docs/cli.md` describes.
    fn print_dry_run(&self, kind: OperationKind, request: &DryRunRequest) {
        let body = String::from_utf8_lossy(request.body()).into_owned();
        if self.json() {
            let headers: serde_json::Map<String, serde_json::Value> = request
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                .collect();
            self.print_json(&serde_json::json!({
                "dry_run": true,
                "operation": kind.name(),
                "method": request.method().as_str(),
                "url": request.uri().to_string(),
                "headers": headers,
                "string_to_sign": request.string_to_sign(),
                "body": if body.is_empty() { serde_json::Value::Null } else { serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)) },
            }));
        } else {
            let mut out = format!(
                "# dry run: {} — nothing was sent\n{} {}\n",
                kind.name(),
                request.method(),
                request.uri()
            );
            for (n, v) in request.headers() {
                out.push_str(&format!("{n}: {v}\n"));
            }
            out.push_str("\n# string to sign\n");
            out.push_str(request.string_to_sign());
            out.push('\n');
            if !body.is_empty() {
                out.push_str("\n# body\n");
                out.push_str(&body);
                out.push('\n');
            }
            self.print(out.trim_end());
        }
    }

    /// `--dry-run`: prints the request `op` would send and sends nothing.
    pub fn dry_run<O: Operation>(&self, op: &O) -> Result<(), Failure> {
        let (credentials, endpoint, placeholder) = match self.resolve() {
            Ok(c) => (c.credentials, c.endpoint, false),
            Err(f) if f.code == AUTH => {
                let placeholder = Credentials::new("ACCESS_KEY", "placeholder")
                    .map_err(|e| Failure::new(USAGE, e.to_string()))?;
                // The endpoint as a real run would resolve it (flags, then
                // variables, then the profile), with the placeholder keys.
                let mut overrides = self.overrides();
                overrides.credentials = Some(placeholder.clone());
                let file = self.read_config_file().ok().flatten();
                let endpoint = match config::resolve(&overrides, &self.env, file.as_ref()) {
                    Ok(c) => c.endpoint,
                    Err(e @ config::ConfigError::Invalid { .. }) => {
                        return Err(Failure::usage(e.to_string()));
                    }
                    Err(_) => match &self.global.endpoint {
                        Some(url) => {
                            Endpoint::parse(url).map_err(|e| Failure::usage(e.to_string()))?
                        }
                        None => Endpoint::default_public(),
                    },
                };
                (placeholder, endpoint, true)
            }
            Err(f) => return Err(f),
        };
        // The real client, over a stack that keeps the signed request and
        // sends nothing: what is printed is what a real run would send.
        let client = self
            .configure(
                wsc_core::client::Client::builder(credentials, endpoint),
                true,
            )
            .build_with(DryRun::named(STACK_NAME));
        match client.execute(op) {
            Err(wsc_core::Error::Transport(t)) if t.kind == TransportFailureKind::DryRun => {}
            Err(e) => return Err(Failure::from_error(&e, Some(O::KIND), None)),
            Ok(_) => {
                return Err(Failure::new(
                    OTHER,
                    "the dry run was answered, though nothing was sent",
                ));
            }
        }
        let requests = client.http().requests();
        let Some(request) = requests.first() else {
            return Err(Failure::new(OTHER, "the dry run kept no request"));
        };
        self.print_dry_run(O::KIND, request);
        if placeholder {
            self.warn("no credentials configured: the dry run used a placeholder access key");
        }
        Ok(())
    }
}

/// Reads a PEM CA bundle (at most 1 MiB: bundles are a few hundred KiB).
fn read_ca_bundle(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    crate::fsutil::read_limited(path, 1 << 20).map_err(|e| {
        Failure::usage(format!("cannot use --ca-bundle {}: {e}", path.display()))
            .hint("pass a PEM file of CA certificates (or unset WSC_CA_BUNDLE)")
    })
}
