//! The conformance suite every HTTP stack under the client passes: the
//! bundled adapters (`wsc-ureq`, `wsc-hyper`) and any stack of your own.
//!
//! The client's logic is tested once, in `wsc-core`, on virtual time. What a
//! stack adds is I/O, and the one judgement only it can make: whether a
//! failed request may have reached the service. Each check here starts
//! [`MockServer`] on loopback in the situation it needs (a closed port, an
//! unknown host, an untrusted certificate, a reset after the request was
//! read, silence, a body too large, a redirect, a lost createJob reply) and
//! checks what the stack made of it, through the real client with retries
//! off.
//!
//! Run the whole suite as one `#[test]` per check:
//!
//! ```ignore
//! // tests/conformance.rs of a blocking stack's crate
//! wsc_mock::blocking_conformance_tests!(|setup: &wsc_mock::conformance::Setup| {
//!     setup
//!         .configure(wsc_core::Client::builder(setup.credentials(), setup.endpoint()))
//!         .build_with(MyStack::trusting(setup.ca_pem()))
//! });
//! ```
//!
//! (`async_conformance_tests!` takes an [`AsyncClient`] the same way.)

use std::time::Duration;

use wsc_core::CreateOutcome;
use wsc_core::RetryPolicy;
use wsc_core::transport::{AsyncHttpClient, FromSettings, HttpClient};
use wsc_core::{AsyncClient, Client, ClientBuilder};
use wsc_core::{CreateJob, ListJobs};
use wsc_core::{Credentials, Endpoint, Error, JobPage, Timeouts};

mod checks;

pub use checks::*;

use crate::MockServer;

/// What a stack under test is built for: where the server is, which CA (if
/// any) to trust, and the limits to run with.
#[derive(Debug, Clone)]
pub struct Setup {
    credentials: Credentials,
    endpoint: Endpoint,
    ca_pem: Option<String>,
    attempt: Duration,
    max_body_bytes: Option<usize>,
}

impl Setup {
    fn for_server(server: &MockServer) -> Self {
        Self {
            credentials: server.credentials(),
            endpoint: endpoint(server.base_url()),
            ca_pem: server.ca_pem().map(str::to_owned),
            attempt: Duration::from_secs(5),
            max_body_bytes: None,
        }
    }

    /// The keys the server accepts.
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// The server's base URL.
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint.clone()
    }

    /// The PEM of the CA to trust, for an HTTPS server; `None` when the
    /// check wants the server's certificate untrusted (or serves HTTP).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Applies the check's settings to a client builder: retries off, the
    /// attempt timeout, the body cap and the CA to trust (for stacks built
    /// from the builder's transport options).
    pub fn configure<C: FromSettings>(&self, builder: ClientBuilder<C>) -> ClientBuilder<C> {
        let mut builder = builder.retry_policy(RetryPolicy::never()).timeouts(
            Timeouts::default()
                .with_connect(self.attempt)
                .with_attempt(self.attempt)
                .with_overall(self.attempt.saturating_mul(4)),
        );
        if let Some(max) = self.max_body_bytes {
            builder = builder.max_body_bytes(max);
        }
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_bundle_pem(pem.as_bytes().to_vec());
        }
        builder
    }
}

pub(super) fn endpoint(url: &str) -> Endpoint {
    Endpoint::parse(url).unwrap_or_else(|e| panic!("the mock's URL {url}: {e}"))
}

/// The client calls a check makes, on either kind of client.
pub trait Driver {
    /// getJobs, first page.
    fn list_jobs(&self) -> Result<JobPage, Error>;
    /// createJob, then the job it started.
    fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome;
}

impl<H: HttpClient> Driver for Client<H> {
    fn list_jobs(&self) -> Result<JobPage, Error> {
        Client::list_jobs(self, &ListJobs::default())
    }
    fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome {
        Client::create_and_identify(self, op)
    }
}

/// An async client driven on a runtime of its own.
struct OnRuntime<H> {
    client: AsyncClient<H>,
    runtime: tokio::runtime::Runtime,
}

impl<H: AsyncHttpClient> Driver for OnRuntime<H> {
    fn list_jobs(&self) -> Result<JobPage, Error> {
        self.runtime
            .block_on(self.client.list_jobs(&ListJobs::default()))
    }
    fn create_and_identify(&self, op: &CreateJob) -> CreateOutcome {
        self.runtime.block_on(self.client.create_and_identify(op))
    }
}

/// Runs `check` over blocking clients made by `make`; panics with the
/// check's finding when it fails.
pub fn run_blocking<H: HttpClient + 'static>(check: Check, make: impl Fn(&Setup) -> Client<H>) {
    if let Err(finding) = check(&|setup| Box::new(make(setup))) {
        panic!("{finding}");
    }
}

/// Runs `check` over async clients made by `make` (inside a Tokio runtime,
/// as hyper's needs); panics with the check's finding when it fails.
pub fn run_async<H: AsyncHttpClient + 'static>(
    check: Check,
    make: impl Fn(&Setup) -> AsyncClient<H>,
) {
    let result = check(&|setup| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("a Tokio runtime: {e}"));
        let client = {
            let _entered = runtime.enter();
            make(setup)
        };
        Box::new(OnRuntime { client, runtime })
    });
    if let Err(finding) = result {
        panic!("{finding}");
    }
}

/// A check: given a way to make a client for a [`Setup`], `Ok` or what went wrong.
pub type Check = fn(&dyn Fn(&Setup) -> Box<dyn Driver>) -> Result<(), String>;

/// Every check, by name, in the order the macros run them.
pub const CHECKS: &[(&str, Check)] = &[
    ("answers_a_signed_request", answers_a_signed_request),
    (
        "a_refused_connection_was_never_sent",
        a_refused_connection_was_never_sent,
    ),
    (
        "a_failed_lookup_was_never_sent",
        a_failed_lookup_was_never_sent,
    ),
    (
        "an_untrusted_certificate_was_never_sent",
        an_untrusted_certificate_was_never_sent,
    ),
    (
        "a_reset_after_the_request_may_have_arrived",
        a_reset_after_the_request_may_have_arrived,
    ),
    (
        "silence_is_a_timeout_at_the_attempt_limit",
        silence_is_a_timeout_at_the_attempt_limit,
    ),
    (
        "a_dribbled_body_ends_at_the_attempt_limit",
        a_dribbled_body_ends_at_the_attempt_limit,
    ),
    (
        "a_body_over_the_cap_is_refused",
        a_body_over_the_cap_is_refused,
    ),
    (
        "a_body_over_the_default_cap_is_refused_with_either_framing",
        a_body_over_the_default_cap_is_refused_with_either_framing,
    ),
    ("unlimited_timeouts_work", unlimited_timeouts_work),
    ("redirects_are_not_followed", redirects_are_not_followed),
    (
        "a_lost_create_reply_is_not_sent_again",
        a_lost_create_reply_is_not_sent_again,
    ),
];

/// One `#[test]` per conformance check for a blocking stack: give it a
/// closure from `&Setup` to a `wsc_core::Client`.
#[macro_export]
macro_rules! blocking_conformance_tests {
    ($make:expr) => {
        $crate::__conformance_tests!(run_blocking, $make);
    };
}

/// One `#[test]` per conformance check for an async stack: give it a
/// closure from `&Setup` to a `wsc_core::AsyncClient` (it runs
/// inside a Tokio runtime).
#[macro_export]
macro_rules! async_conformance_tests {
    ($make:expr) => {
        $crate::__conformance_tests!(run_async, $make);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_tests {
    ($runner:ident, $make:expr) => {
        $crate::__conformance_tests!(@each $runner, $make,
            answers_a_signed_request,
            a_refused_connection_was_never_sent,
            a_failed_lookup_was_never_sent,
            an_untrusted_certificate_was_never_sent,
            a_reset_after_the_request_may_have_arrived,
            silence_is_a_timeout_at_the_attempt_limit,
            a_dribbled_body_ends_at_the_attempt_limit,
            a_body_over_the_cap_is_refused,
            a_body_over_the_default_cap_is_refused_with_either_framing,
            unlimited_timeouts_work,
            redirects_are_not_followed,
            a_lost_create_reply_is_not_sent_again
        );
    };
    (@each $runner:ident, $make:expr, $($check:ident),+) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$runner($crate::conformance::$check, $make);
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_macros_run_every_check() {
        let source = include_str!("conformance.rs");
        let listed = source
            .split("(@each $runner, $make,")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap_or_default();
        for (name, _) in super::CHECKS {
            assert!(listed.contains(name), "{name} is not in the macro");
        }
    }
}
