//! How a mock server is set up: keys, clock, lifecycle timings, wire options.

use std::time::Duration;

/// The documented demo access key, accepted unless other keys are configured.
pub const DEMO_ACCESS_KEY: &str = "WSCMOCKDEMOACCESSKEY";
/// The documented demo secret key (not a secret: it only opens the mock).
pub const DEMO_SECRET_KEY: &str = "wsc-mock-demo-secret-key-not-for-real-use";

/// The language of `status` labels in job records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Korean labels (`URL 수집중`, `진단 완료`, ...), as the seeds show.
    #[default]
    Korean,
    /// Japanese labels (`予約`, `診断完了`, ...).
    Japanese,
}

/// What createJob answers on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CreateResponse {
    /// The success envelope with `resources: null` (the readable docs show no id).
    #[default]
    NullResources,
    /// The success envelope with `resources: {"instanceNo": "<id>"}`.
    WithId,
}

/// How long each phase of a job lasts on the simulated clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// URL collection pending.
    pub url_pending: Duration,
    /// URL collection in progress.
    pub collecting: Duration,
    /// URL collection completed, before diagnosis is queued.
    pub collected: Duration,
    /// Diagnosis pending.
    pub diagnosis_pending: Duration,
    /// Diagnosis in progress.
    pub diagnosing: Duration,
    /// Stopping, before stopped.
    pub stopping: Duration,
}

impl Default for Timings {
    /// A compressed lifecycle of about 20 simulated seconds.
    fn default() -> Self {
        Self {
            url_pending: Duration::from_secs(2),
            collecting: Duration::from_secs(6),
            collected: Duration::from_secs(1),
            diagnosis_pending: Duration::from_secs(2),
            diagnosing: Duration::from_secs(9),
            stopping: Duration::from_secs(1),
        }
    }
}

/// The set-up of a mock server.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Access key the gateway accepts.
    pub access_key: String,
    /// Its secret key.
    pub secret_key: String,
    /// Seed for every pseudo-random choice (findings, fault probabilities).
    pub seed: u64,
    /// Simulated seconds per real second (0 freezes the clock; advance it by hand).
    pub clock_speed: f64,
    /// Phase durations.
    pub timings: Timings,
    /// Status label language.
    pub language: Language,
    /// createJob's success body.
    pub create_response: CreateResponse,
    /// Preload the demo jobs (completed, running, reserved, failed, cancelled).
    pub preload_demo_jobs: bool,
    /// Largest request body accepted (larger → gateway 413/430).
    pub max_body_bytes: usize,
    /// Port to bind on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Serve HTTPS with a certificate from a CA generated at start-up
    /// ([`MockServer::ca_pem`](crate::MockServer::ca_pem)).
    pub tls: bool,
    /// How long a connection may take to send a request's headers (and the
    /// TLS handshake), also while idle between requests; then it is closed.
    pub header_read_timeout: Duration,
    /// How long a connection may go without a byte read or written while the
    /// server waits on it (a slow body, a client that stopped reading, a
    /// half-open connection, and the faults that send nothing); then it is
    /// closed.
    pub idle_timeout: Duration,
    /// A job created through createJob appears in getJobs and searchJobs only
    /// this long (real time) after it was created, as from a service whose
    /// listing lags behind; `get`-style lookups by listing do not see it
    /// either. Zero (the default) lists it at once.
    pub listing_delay: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            access_key: DEMO_ACCESS_KEY.into(),
            secret_key: DEMO_SECRET_KEY.into(),
            seed: 1,
            clock_speed: 0.0,
            timings: Timings::default(),
            language: Language::Korean,
            create_response: CreateResponse::NullResources,
            preload_demo_jobs: false,
            max_body_bytes: 64 * 1024,
            port: 0,
            tls: false,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            listing_delay: Duration::ZERO,
        }
    }
}

impl MockConfig {
    /// The set-up for demos and manual use: demo jobs, a clock running at 1×.
    pub fn demo() -> Self {
        Self {
            preload_demo_jobs: true,
            clock_speed: 1.0,
            ..Self::default()
        }
    }
}
