//! From the command line, the environment and `~/.ncloud/configure` to a
//! client: credentials (the secret from stdin too), timeouts, retries, the
//! CA bundle, recording; and where the journal of creates lives.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wsc_core::ClientBuilder;
use wsc_core::RetryPolicy;
use wsc_core::Timeouts;
use wsc_core::config::{self, ConfigFile, Overrides, ResolvedConfig};
use wsc_core::error::BuildError;
use wsc_core::sans_io::SecretKey;
use wsc_core::transport::FromSettings;
use wsc_ureq::Client;

use super::Ctx;
use crate::exit::{AUTH, Failure, OTHER};
use crate::journal::{Journal, RunJournal};

/// The most of `~/.ncloud/configure` read (1 MiB; a real one is a few lines).
const CONFIG_FILE_LIMIT: u64 = 1 << 20;

impl Ctx {
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

    pub(super) fn read_config_file(&self) -> Result<Option<ConfigFile>, Failure> {
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
    pub(super) fn overrides(&self) -> Overrides {
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
                other => Failure::from_config_error(&other),
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
    pub(super) fn configure<C: FromSettings>(
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
        Ok(self.build_client(true, None)?.0)
    }

    /// The blocking client for `wsc create`: with `create_tags` off, an
    /// untagged create stays untagged (`--no-tag`); every create is
    /// recorded in `journal`, with the endpoint and profile it is sent with.
    pub fn client_for_creates(
        &self,
        create_tags: bool,
        journal: Journal,
    ) -> Result<(Client, Arc<RunJournal>), Failure> {
        let (client, journal) = self.build_client(create_tags, Some(journal))?;
        let journal =
            journal.ok_or_else(|| Failure::new(OTHER, "the journal of creates was not set up"))?;
        Ok((client, journal))
    }

    fn build_client(
        &self,
        create_tags: bool,
        journal: Option<Journal>,
    ) -> Result<(Client, Option<Arc<RunJournal>>), Failure> {
        let config = self.resolve()?;
        tracing::info!(endpoint = %config.endpoint, profile = %config.profile, source = %config.credentials_source, "configuration");
        *self.profile.borrow_mut() = Some(config.profile.clone());
        let journal = journal.map(|journal| {
            let endpoint = config.endpoint.to_string();
            Arc::new(RunJournal::new(journal, endpoint, config.profile.clone()))
        });
        let mut builder = self.configure(
            Client::builder(config.credentials, config.endpoint),
            create_tags,
        );
        if let Some(recorder) = &self.recorder {
            builder = builder.recorder(recorder.clone());
        }
        if let Some(journal) = &journal {
            builder = builder.journal(journal.clone());
        }
        let ca_bundle = self.global.ca_bundle.as_ref().and_then(|b| b.path());
        if let Some(path) = ca_bundle {
            builder = builder.ca_bundle_pem(read_ca_bundle(path)?);
        }
        let client = builder.build().map_err(|e| match &e {
            BuildError::Setup(t) => {
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
            BuildError::Config(config) => Failure::from_config_error(config),
            other => Failure::new(OTHER, other.to_string()),
        })?;
        Ok((client, journal))
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
}

/// Reads a PEM CA bundle (at most 1 MiB: bundles are a few hundred KiB).
fn read_ca_bundle(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    crate::fsutil::read_limited(path, 1 << 20).map_err(|e| {
        Failure::usage(format!("cannot use --ca-bundle {}: {e}", path.display()))
            .hint("pass a PEM file of CA certificates (or unset WSC_CA_BUNDLE)")
    })
}
