//! # wsc-mock — the offline Web Security Checker
//!
//! A real HTTP/1.1 server on `127.0.0.1` that behaves like the WSC API gateway
//! and service closely enough for transports, the CLI and your own integration
//! tests to run with no network and no NCP account:
//!
//! - **gateway fidelity**: the three auth headers are checked like the gateway
//!   does (Signature V2 over method + exact request-target + timestamp + access
//!   key, a 5-minute window, a known key, constant-time comparison); failures get
//!   the gateway's error shape; every response carries `Date`;
//! - **simulate mode** (default): a stateful WSC whose jobs move through the real
//!   lifecycle on a compressed, controllable clock;
//! - **replay mode**: serves a recorded [`wsc_core::cassette::Cassette`] in order;
//! - **fault injection**: scriptable per route and per attempt ([`Fault`],
//!   [`FaultRule`]), including failures after the service acted;
//! - **observation**: every request is journaled without secrets ([`ReceivedRequest`]);
//! - **HTTPS** ([`MockConfig::tls`]): a certificate from a CA generated at
//!   start-up, whose PEM [`MockServer::ca_pem`] returns;
//! - **hygiene**: idle and half-open connections are closed
//!   ([`MockConfig::header_read_timeout`], [`MockConfig::idle_timeout`]).
//!
//! ```
//! use wsc_mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig::default()).unwrap();
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! assert!(server.requests().is_empty());
//! // Dropping the server stops it.
//! ```

pub mod canned;
mod clock;
mod config;
pub mod conformance;
mod demo;
mod faults;
mod gateway;
mod idle;
mod job;
mod journal;
mod replay;
mod reply;
mod routes;
mod server;
mod simulator;
mod start_error;
mod tls;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

pub use config::{CreateResponse, DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Language, MockConfig, Timings};
pub use demo::demo_jobs;
pub use faults::{FAULT_NAMES, Fault, FaultParseError, FaultRule, LostReply, Route, When};
pub use job::{Findings, Phase};
pub use journal::ReceivedRequest;
pub use simulator::PreloadJob;
pub use start_error::StartError;
use wsc_core::cassette::Cassette;
use wsc_core::sans_io::OperationKind;
use wsc_core::{Credentials, InstanceId};

/// A deterministic 64-bit generator step (SplitMix64).
pub(crate) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) enum Mode {
    Simulate(simulator::Simulator),
    Replay(replay::Replay),
}

pub(crate) struct State {
    pub clock: clock::SimClock,
    pub faults: faults::FaultScript,
    pub journal: Vec<ReceivedRequest>,
    pub mode: Mode,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    pub config: MockConfig,
    pub credentials: Credentials,
    /// TCP connections accepted so far (outside the state lock: counted per accept).
    pub connections: std::sync::atomic::AtomicU64,
    /// TCP connections open right now.
    pub open_connections: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// The state lock; a panic elsewhere never wedges the server.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running mock server on `127.0.0.1`; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a simulating server.
    pub fn start(config: MockConfig) -> Result<Self, StartError> {
        let sim = simulator::Simulator::new(&config);
        Self::launch(config, Mode::Simulate(sim))
    }

    /// Starts a server that replays `cassette`.
    pub fn start_replay(config: MockConfig, cassette: Cassette) -> Result<Self, StartError> {
        Self::launch(config, Mode::Replay(replay::Replay::new(cassette)))
    }

    fn launch(config: MockConfig, mode: Mode) -> Result<Self, StartError> {
        let credentials = Credentials::new(config.access_key.clone(), config.secret_key.clone())
            .map_err(StartError::Credentials)?;
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", config.port)).map_err(|source| {
                StartError::Bind {
                    port: config.port,
                    source,
                }
            })?;
        listener.set_nonblocking(true).map_err(StartError::Io)?;
        let addr = listener.local_addr().map_err(StartError::Io)?;
        let tls = if config.tls {
            Some(tls::generate(addr).map_err(StartError::Tls)?)
        } else {
            None
        };
        let (acceptor, ca_pem) = match tls {
            Some(t) => (Some(t.acceptor), Some(t.ca_pem)),
            None => (None, None),
        };
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                clock: clock::SimClock::new(config.clock_speed),
                faults: faults::FaultScript::new(config.seed),
                journal: Vec::new(),
                mode,
            }),
            config,
            credentials,
            connections: std::sync::atomic::AtomicU64::new(0),
            open_connections: std::sync::atomic::AtomicU64::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("wsc-mock")
            .enable_all()
            .build()
            .map_err(StartError::Io)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let serve_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("wsc-mock-accept".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => server::serve(listener, acceptor, serve_shared, rx).await,
                        Err(e) => eprintln!("wsc-mock: {e}"),
                    }
                });
                runtime.shutdown_timeout(Duration::from_millis(200));
            })
            .map_err(StartError::Io)?;
        Ok(Self {
            addr,
            base_url: format!("{scheme}://{addr}"),
            ca_pem,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` with [`MockConfig::tls`]): pass it
    /// as the client's endpoint.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// With [`MockConfig::tls`], the PEM of the certificate authority generated
    /// at start-up, which issued the server's certificate (for `localhost` and
    /// `127.0.0.1`): trust it, and only it, to reach this server. `None` over
    /// plain HTTP.
    ///
    /// ```
    /// use wsc_mock::{MockConfig, MockServer};
    /// let server = MockServer::start(MockConfig { tls: true, ..MockConfig::default() }).unwrap();
    /// assert!(server.base_url().starts_with("https://127.0.0.1:"));
    /// assert!(server.ca_pem().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    /// ```
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Credentials the server accepts.
    pub fn credentials(&self) -> Credentials {
        self.shared.credentials.clone()
    }

    /// Adds a fault rule.
    ///
    /// ```
    /// use wsc_core::sans_io::OperationKind;
    /// use wsc_mock::{Fault, MockConfig, MockServer, Route, When};
    /// let server = MockServer::start(MockConfig::default()).unwrap();
    /// server.inject(Route::Op(OperationKind::ListJobs), When::Next(2), Fault::EndpointError);
    /// ```
    pub fn inject(&self, route: Route, when: When, fault: Fault) {
        self.shared.lock().faults.add(route, when, fault);
    }

    /// Adds a parsed fault rule (see [`FaultRule`] for the `OP:WHEN:KIND` syntax).
    pub fn inject_rule(&self, rule: FaultRule) {
        self.inject(rule.route, rule.when, rule.fault);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Moves the simulated clock forward.
    pub fn advance(&self, by: Duration) {
        self.shared.lock().clock.advance(by);
    }

    /// Skews the gateway's wall clock (Date header and timestamp window) by
    /// `offset_ms` (positive: the server is ahead).
    pub fn set_clock_skew_ms(&self, offset_ms: i64) {
        self.shared.lock().clock.set_wall_skew(offset_ms);
    }

    /// Adds a job (simulate mode); returns its id.
    pub fn preload(&self, job: PreloadJob) -> Option<InstanceId> {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        match &mut state.mode {
            Mode::Simulate(sim) => InstanceId::new(sim.preload(job, now)).ok(),
            Mode::Replay(_) => None,
        }
    }

    /// The phase of a job right now (simulate mode).
    pub fn phase(&self, id: InstanceId) -> Option<Phase> {
        let state = self.shared.lock();
        let now = state.clock.now();
        match &state.mode {
            Mode::Simulate(sim) => sim
                .jobs
                .iter()
                .find(|j| j.id == id.get())
                .map(|j| job::phase_at(j, now, &self.shared.config.timings).0),
            Mode::Replay(_) => None,
        }
    }

    /// Ids of every job, newest first (simulate mode).
    pub fn job_ids(&self) -> Vec<InstanceId> {
        let state = self.shared.lock();
        match &state.mode {
            Mode::Simulate(sim) => {
                let mut ids: Vec<_> = sim
                    .jobs
                    .iter()
                    .filter_map(|j| InstanceId::new(j.id).ok())
                    .collect();
                ids.sort_by_key(|id| std::cmp::Reverse(*id));
                ids
            }
            Mode::Replay(_) => Vec::new(),
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().journal.clone()
    }

    /// How many TCP connections the server has accepted: a client that reuses
    /// its connections keeps this flat across calls.
    pub fn connections_accepted(&self) -> u64 {
        self.shared
            .connections
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many connections are open right now: idle and half-open ones are
    /// closed after [`MockConfig::header_read_timeout`] (waiting for a request)
    /// or [`MockConfig::idle_timeout`] (no byte moving either way).
    pub fn open_connections(&self) -> u64 {
        self.shared
            .open_connections
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets the requests received so far (long runs keep memory flat).
    pub fn clear_requests(&self) {
        self.shared.lock().journal.clear();
    }

    /// How many requests of `op` the service acted on.
    pub fn served(&self, op: OperationKind) -> usize {
        self.shared
            .lock()
            .journal
            .iter()
            .filter(|r| r.operation == Some(op) && r.reached_service)
            .count()
    }

    /// Recorded exchanges not yet replayed (replay mode; 0 otherwise).
    pub fn replay_remaining(&self) -> usize {
        match &self.shared.lock().mode {
            Mode::Replay(r) => r.remaining(),
            Mode::Simulate(_) => 0,
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
