//! Configuring a client: one builder for the blocking and the async client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::cassette::Recorder;
use crate::client::clock::{Clock, SystemClock};
use crate::client::http::{MaybeSend, MaybeSync};
use crate::client::trust::TrustRoots;
use crate::error::TransportError;
use crate::journal::CreateJournal;
use crate::retry::RetryPolicy;
use crate::{Credentials, Endpoint, Timeouts};

/// The default cap on a response body (16 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What a transport's default stack is built from: the settings every HTTP
/// stack understands. Transports read what applies to them.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportOptions {
    /// Opening a connection (DNS, TCP, TLS) must take no longer than this.
    pub connect_timeout: Duration,
    /// Extra trusted CA certificates (PEM), on top of `trust_roots`: for
    /// TLS-inspecting proxies and test CAs.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Idle connections kept per host.
    pub max_idle_per_host: usize,
    /// The roots trusted besides `extra_ca_pem` (default: the operating
    /// system's store, read at the first HTTPS connection).
    pub trust_roots: TrustRoots,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Timeouts::default().connect(),
            extra_ca_pem: None,
            max_idle_per_host: 128,
            trust_roots: TrustRoots::default(),
        }
    }
}

impl std::fmt::Debug for TransportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportOptions")
            .field("connect_timeout", &self.connect_timeout)
            .field(
                "extra_ca_pem_bytes",
                &self.extra_ca_pem.as_ref().map(Vec::len),
            )
            .field("max_idle_per_host", &self.max_idle_per_host)
            .field("trust_roots", &self.trust_roots)
            .finish()
    }
}

/// An HTTP stack that can build its default setup (TLS roots, proxies from
/// the environment, timeouts) from [`TransportOptions`]: what makes
/// [`ClientBuilder::build`] available.
pub trait DefaultTransport: Sized {
    /// Builds the default stack.
    fn from_options(options: &TransportOptions) -> Result<Self, TransportError>;
}

/// Everything a client is configured with: made by [`ClientBuilder`], and
/// not nameable outside this crate.
pub struct Settings {
    pub(crate) credentials: Credentials,
    pub(crate) endpoint: Endpoint,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_bytes: usize,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) recorder: Option<Arc<Recorder>>,
    pub(crate) transport: TransportOptions,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) create_tags: bool,
    pub(crate) random: Arc<dyn RandomSource>,
    pub(crate) journal: Option<Arc<dyn CreateJournal>>,
}

/// A source of 32 random bits for a create's tag (see
/// [`ClientBuilder::random_source`]).
pub(crate) trait RandomSource: MaybeSend + MaybeSync {
    fn bits(&self) -> Option<u32>;
}

impl<F: Fn() -> Option<u32> + MaybeSend + MaybeSync> RandomSource for F {
    fn bits(&self) -> Option<u32> {
        self()
    }
}

/// The operating system's random source, where there is one.
fn os_random() -> Option<u32> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        getrandom::u32().ok()
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        None
    }
}

/// The two clients, [`Client`](crate::client::Client) and
/// [`AsyncClient`](crate::client::AsyncClient): what a [`ClientBuilder`]
/// builds over an HTTP stack. Sealed.
pub trait FromSettings: sealed::Sealed {
    /// The HTTP stack this client sends through.
    type Http;
    /// The client, from its settings and stack (called by [`ClientBuilder`]).
    #[doc(hidden)]
    fn from_settings(settings: Settings, http: Self::Http) -> Self;
}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// Builds a [`Client`](crate::client::Client) or an
/// [`AsyncClient`](crate::client::AsyncClient).
///
/// ```
/// use std::time::Duration;
/// use wsc_core::transport::AttemptLimits;
/// use wsc_core::Client;
/// use wsc_core::{Credentials, Endpoint, Timeouts};
/// # let http = |_: http::Request<Vec<u8>>, _: AttemptLimits| -> Result<http::Response<bytes::Bytes>, wsc_core::transport::TransportError> { unreachable!() };
/// let timeouts = Timeouts::default().with_overall(Duration::from_secs(60));
/// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:8080")?)
///     .timeouts(timeouts)
///     .user_agent_suffix("my-scanner/2.1")
///     .build_with(http);
/// # drop(client);
/// # Ok::<(), wsc_core::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder<C> {
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.settings.endpoint)
            .field("timeouts", &self.settings.timeouts)
            .finish_non_exhaustive()
    }
}

impl<C: FromSettings> ClientBuilder<C> {
    pub(crate) fn new(credentials: Credentials, endpoint: Endpoint) -> Self {
        Self {
            settings: Settings {
                credentials,
                endpoint,
                timeouts: Timeouts::default(),
                retry: RetryPolicy::default(),
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                user_agent_suffix: None,
                recorder: None,
                transport: TransportOptions::default(),
                clock: Arc::new(SystemClock),
                create_tags: true,
                random: Arc::new(os_random),
                journal: None,
            },
            client: PhantomData,
        }
    }

    /// Sets the timeouts (the connect timeout also goes to the default stack;
    /// any timeout past [`MAX_TIMEOUT`](crate::client::MAX_TIMEOUT) means no limit).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.settings.transport.connect_timeout =
            timeouts.connect().min(crate::client::MAX_TIMEOUT);
        self.settings.timeouts = timeouts;
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Caps response bodies (default 16 MiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_body_bytes = bytes;
        self
    }

    /// Appends to the `User-Agent` (`wsc-rs/<version> (<transport>) <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.settings.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Records every exchange (secrets redacted) into `recorder`.
    pub fn recorder(mut self, recorder: Arc<Recorder>) -> Self {
        self.settings.recorder = Some(recorder);
        self
    }

    /// Trusts these CA certificates (PEM) too, in the default stack. The
    /// default stacks parse them when the client is built, so an unusable
    /// bundle fails there, before anything is sent.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.transport.extra_ca_pem = Some(pem.into());
        self
    }

    /// Chooses the roots the default stack trusts besides the extra bundle
    /// (default [`TrustRoots::Os`]).
    pub fn trust_roots(mut self, roots: TrustRoots) -> Self {
        self.settings.transport.trust_roots = roots;
        self
    }

    /// Idle connections the default stack keeps per host: set it to
    /// at least the number of calls you run at once (default 128).
    pub fn max_idle_connections_per_host(mut self, connections: usize) -> Self {
        self.settings.transport.max_idle_per_host = connections;
        self
    }

    /// Reads time from `clock`, and pauses on it, instead of the system
    /// clock (for tests, or a runtime's own timer); the retry jitter is
    /// seeded from its first reading.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.settings.clock = Arc::new(clock);
        self
    }

    /// Whether `create_and_identify` tags a create that carries no tag, with
    /// bits from the random source (default on). Off, such a create is found
    /// by target, memo and start time, which concurrent identical creates
    /// can confuse.
    pub fn create_tags(mut self, on: bool) -> Self {
        self.settings.create_tags = on;
        self
    }

    /// Draws a create's tag bits from `source` instead of the operating
    /// system's random source (the default, where there is one; on
    /// `wasm32-unknown-unknown` there is none, and untagged creates stay
    /// untagged unless a source is given here). `None` from the source
    /// leaves that create untagged. A source fit for identifiers: two
    /// programs must not draw the same bits.
    ///
    /// ```
    /// use wsc_core::transport::AttemptLimits;
    /// use wsc_core::Client;
    /// use wsc_core::{Credentials, Endpoint};
    /// # let http = |_: http::Request<Vec<u8>>, _: AttemptLimits| -> Result<http::Response<bytes::Bytes>, wsc_core::transport::TransportError> { unreachable!() };
    /// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:1")?)
    ///     .random_source(|| Some(0x5eed_0001))
    ///     .build_with(http);
    /// # drop(client);
    /// # Ok::<(), wsc_core::Error>(())
    /// ```
    pub fn random_source(
        mut self,
        source: impl Fn() -> Option<u32> + MaybeSend + MaybeSync + 'static,
    ) -> Self {
        self.settings.random = Arc::new(source);
        self
    }

    /// Records every billed create in `journal` before it is sent (a
    /// create it cannot record is not sent) and settles it when it ends:
    /// after a crash, [`journal::recover`](crate::journal::recover) names
    /// the job of each create still pending. Off by default.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use wsc_core::journal::{CreateJournal, PendingCreate, Settled};
    /// use wsc_core::transport::AttemptLimits;
    /// use wsc_core::{Client, Credentials, Endpoint};
    /// # let http = |_: http::Request<Vec<u8>>, _: AttemptLimits| -> Result<http::Response<bytes::Bytes>, wsc_core::transport::TransportError> { unreachable!() };
    /// struct Stdout;
    /// impl CreateJournal for Stdout {
    ///     fn record(&self, create: &PendingCreate) -> std::io::Result<()> {
    ///         println!("sending {} ({})", create.target(), create.id());
    ///         Ok(())
    ///     }
    ///     fn settle(&self, create: &PendingCreate, settled: Settled) {
    ///         println!("{}: {settled:?}", create.id());
    ///     }
    /// }
    /// let client = Client::builder(Credentials::new("AK", "SK")?, Endpoint::parse("http://127.0.0.1:1")?)
    ///     .journal(Arc::new(Stdout))
    ///     .build_with(http);
    /// # drop(client);
    /// # Ok::<(), wsc_core::Error>(())
    /// ```
    pub fn journal(mut self, journal: Arc<dyn CreateJournal>) -> Self {
        self.settings.journal = Some(journal);
        self
    }

    /// The options the default stack will be built from.
    pub fn transport_options(&self) -> &TransportOptions {
        &self.settings.transport
    }

    /// Builds the client over the transport's default stack.
    pub fn build(self) -> Result<C, crate::error::BuildError>
    where
        C::Http: DefaultTransport,
    {
        let http = C::Http::from_options(&self.settings.transport)?;
        Ok(C::from_settings(self.settings, http))
    }

    /// Builds the client over `http`, a stack you configured.
    pub fn build_with(self, http: C::Http) -> C {
        C::from_settings(self.settings, http)
    }
}
