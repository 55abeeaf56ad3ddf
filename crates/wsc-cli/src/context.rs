//! What every command shares: configuration, the client, dry-run printing,
//! where output goes, and recording.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use wsc_core::cassette::{Recorder, redact_body};
use wsc_core::config::{self, ConfigFile, Overrides, ResolvedConfig};
use wsc_core::operations::{Operation, prepare};
use wsc_core::retry::RetryPolicy;
use wsc_core::signing::{ACCESS_KEY_HEADER, SIGNATURE_HEADER};
use wsc_core::{ClockSkew, Credentials, Endpoint, REDACTED, SecretKey, Timeouts};
use wsc_ureq::Client;

use crate::cli::{GlobalArgs, Output};
use crate::exit::{AUTH, Failure, OTHER, USAGE};

/// Shared state of one `wsc` invocation.
pub struct Ctx {
    pub global: GlobalArgs,
    pub request_timeout: Option<u64>,
    pub env: HashMap<String, String>,
    pub stderr_tty: bool,
    pub stdin_tty: bool,
    pub color: bool,
    recorder: Option<Arc<Recorder>>,
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
        let color = std::io::stdout().is_terminal() && !env.contains_key("NO_COLOR");
        let recorder = global.record.as_ref().map(|_| Arc::new(Recorder::new()));
        Self {
            global,
            request_timeout,
            env,
            stderr_tty: std::io::stderr().is_terminal(),
            stdin_tty: std::io::stdin().is_terminal(),
            color,
            recorder,
        }
    }

    pub fn json(&self) -> bool {
        self.global.output == Output::Json
    }

    /// A notice on stderr (suppressed by --quiet).
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.global.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    /// A warning on stderr (suppressed by --quiet).
    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.global.quiet {
            eprintln!("warning: {}", text.as_ref());
        }
    }

    /// Progress shown in place on a terminal (nothing otherwise, or with --quiet).
    pub fn progress(&self, text: impl AsRef<str>) {
        if self.stderr_tty && !self.global.quiet {
            eprint!("\r\x1b[2K{}", text.as_ref());
            let _ = std::io::stderr().flush();
        }
    }

    /// Clears an in-place progress line.
    pub fn progress_done(&self) {
        if self.stderr_tty && !self.global.quiet {
            eprint!("\r\x1b[2K");
        }
    }

    /// Writes `text` to stdout.
    pub fn print(&self, text: impl AsRef<str>) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", text.as_ref());
    }

    /// Pretty JSON to stdout.
    pub fn print_json(&self, value: &serde_json::Value) {
        self.print(serde_json::to_string_pretty(value).unwrap_or_default());
    }

    fn home(&self) -> Option<PathBuf> {
        self.env
            .get("HOME")
            .or_else(|| self.env.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }

    /// `~/.ncloud/configure`.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.home().map(|h| h.join(".ncloud").join("configure"))
    }

    fn read_config_file(&self) -> Result<Option<ConfigFile>, Failure> {
        let Some(path) = self.config_path() else {
            return Ok(None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                if crate::fsutil::too_open(&path) {
                    self.warn(format!(
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
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| {
            Failure::new(
                AUTH,
                format!("cannot read the secret key from standard input: {e}"),
            )
        })?;
        let secret = line.trim_end_matches(['\r', '\n']);
        SecretKey::new(secret)
            .map_err(|e| Failure::new(AUTH, format!("secret key from standard input: {e}")))
    }

    /// Resolves credentials, profile and endpoint (explicit > env > profile > default).
    pub fn resolve(&self) -> Result<ResolvedConfig, Failure> {
        let file = self.read_config_file()?;
        // Flags already absorbed their env vars (clap `env`); pass them as explicit.
        let overrides = Overrides {
            profile: self.global.profile.clone(),
            site: self.global.site.clone(),
            endpoint: self.global.endpoint.clone(),
            credentials: None,
            secret_key: if self.global.secret_key_stdin {
                Some(self.read_secret_from_stdin()?)
            } else {
                None
            },
        };
        config::resolve(&overrides, &self.env, file.as_ref()).map_err(|e| match e {
            config::ConfigError::Invalid { .. } => Failure::usage(e.to_string()),
            other => Failure::from_error(&other.into(), None, None),
        })
    }

    fn timeouts(&self) -> Timeouts {
        let mut t = Timeouts::default();
        if let Some(secs) = self.request_timeout {
            t.attempt = Duration::from_secs(secs);
            t.report_attempt = Duration::from_secs(secs.max(t.attempt.as_secs()));
            t.overall = t.overall.max(Duration::from_secs(secs * 2));
        }
        t
    }

    /// The blocking client for the resolved configuration.
    pub fn client(&self) -> Result<Client, Failure> {
        let config = self.resolve()?;
        tracing::info!(endpoint = %config.endpoint, profile = %config.profile, source = %config.credentials_source, "configuration");
        let mut retry = RetryPolicy::default();
        if let Some(n) = self.global.retries {
            retry.max_retries = n;
        }
        let mut builder = Client::builder(config.credentials, config.endpoint)
            .timeouts(self.timeouts())
            .retry_policy(retry);
        if let Some(recorder) = &self.recorder {
            builder = builder.recorder(recorder.clone());
        }
        if let Some(path) = &self.global.ca_bundle {
            builder = builder.ca_bundle_pem(read_ca_bundle(path)?);
        }
        builder
            .build()
            .map_err(|e| Failure::from_error(&e, None, None))
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

    /// `--dry-run`: prints the request `op` would send and sends nothing.
    pub fn dry_run<O: Operation>(&self, op: &O) -> Result<(), Failure> {
        let (credentials, endpoint, placeholder) = match self.resolve() {
            Ok(c) => (c.credentials, c.endpoint, false),
            Err(f) if f.code == AUTH => {
                let endpoint = match &self.global.endpoint {
                    Some(url) => Endpoint::parse(url).map_err(|e| Failure::usage(e.to_string()))?,
                    None => Endpoint::default_public(),
                };
                let placeholder = Credentials::new("ACCESS_KEY", "placeholder")
                    .map_err(|e| Failure::new(USAGE, e.to_string()))?;
                (placeholder, endpoint, true)
            }
            Err(f) => return Err(f),
        };
        let prepared =
            prepare(op, &endpoint).map_err(|e| Failure::from_error(&e, Some(O::KIND), None))?;
        let timestamp = ClockSkew::NONE.timestamp(SystemTime::now());
        let request = prepared.sign(&credentials, timestamp);
        let masked_key = credentials.access_key().masked();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| {
                let shown = if *n == SIGNATURE_HEADER {
                    REDACTED.to_owned()
                } else if *n == ACCESS_KEY_HEADER {
                    masked_key.clone()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (n.as_str().to_owned(), shown)
            })
            .collect();
        let string_to_sign = prepared
            .string_to_sign(&credentials, timestamp)
            .replace(credentials.access_key().as_str(), &masked_key);
        let body = String::from_utf8_lossy(&redact_body(prepared.body())).into_owned();
        if self.json() {
            let headers: serde_json::Map<String, serde_json::Value> = headers
                .into_iter()
                .map(|(n, v)| (n, serde_json::Value::String(v)))
                .collect();
            self.print_json(&serde_json::json!({
                "dry_run": true,
                "operation": O::KIND.name(),
                "method": request.method().as_str(),
                "url": request.uri().to_string(),
                "headers": headers,
                "string_to_sign": string_to_sign,
                "body": if body.is_empty() { serde_json::Value::Null } else { serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)) },
            }));
        } else {
            let mut out = format!(
                "# dry run: {} — nothing was sent\n{} {}\n",
                O::KIND.name(),
                request.method(),
                request.uri()
            );
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\n"));
            }
            out.push_str("\n# string to sign\n");
            out.push_str(&string_to_sign);
            out.push('\n');
            if !body.is_empty() {
                out.push_str("\n# body\n");
                out.push_str(&body);
                out.push('\n');
            }
            self.print(out.trim_end());
        }
        if placeholder {
            self.warn("no credentials configured: the dry run used a placeholder access key");
        }
        Ok(())
    }
}

/// Reads a PEM CA bundle (at most 1 MiB: bundles are a few hundred KiB).
fn read_ca_bundle(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    const MAX: u64 = 1024 * 1024;
    let fail = |why: String| {
        Failure::usage(format!("cannot use --ca-bundle {}: {why}", path.display()))
            .hint("pass a PEM file of CA certificates (or unset WSC_CA_BUNDLE)")
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut pem = Vec::new();
    file.take(MAX + 1)
        .read_to_end(&mut pem)
        .map_err(|e| fail(e.to_string()))?;
    if pem.len() as u64 > MAX {
        return Err(fail("larger than 1 MiB".into()));
    }
    Ok(pem)
}
