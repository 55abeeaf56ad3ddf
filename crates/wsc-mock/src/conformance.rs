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

use std::time::{Duration, Instant};

use wsc_core::CreateOutcome;
use wsc_core::RetryPolicy;
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::{AsyncHttpClient, FromSettings, HttpClient};
use wsc_core::transport::{Delivery, TransportFailureKind as Kind};
use wsc_core::{AsyncClient, Client, ClientBuilder};
use wsc_core::{CreateJob, ListJobs};
use wsc_core::{Credentials, Endpoint, Error, JobPage, Timeouts};

use crate::{Fault, LostReply, MockConfig, MockServer, Route, When};

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

fn endpoint(url: &str) -> Endpoint {
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

fn start(config: MockConfig) -> Result<MockServer, String> {
    MockServer::start(config).map_err(|e| format!("cannot start wsc-mock: {e}"))
}

fn transport(error: &Error) -> Option<(Kind, Delivery)> {
    match error {
        Error::Transport(t) => Some((t.kind, t.delivery)),
        _ => None,
    }
}

fn expect_failure(
    what: &str,
    result: Result<JobPage, Error>,
    kind: Kind,
    delivery: Delivery,
) -> Result<Error, String> {
    let error = match result {
        Ok(_) => return Err(format!("{what}: the call succeeded")),
        Err(error) => error,
    };
    match transport(&error) {
        Some((k, d)) if k == kind && d == delivery => Ok(error),
        _ => Err(format!(
            "{what}: expected a {kind:?} transport error ({delivery:?}), got {error:?}"
        )),
    }
}

/// A signed request reaches the server intact and the body is read whole.
pub fn answers_a_signed_request(make: &dyn Fn(&Setup) -> Box<dyn Driver>) -> Result<(), String> {
    let server = start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })?;
    let page = make(&Setup::for_server(&server))
        .list_jobs()
        .map_err(|e| format!("getJobs against the mock failed: {e:?}"))?;
    if page.records.len() != crate::demo_jobs().len() {
        return Err(format!(
            "expected the {} demo jobs, got {}",
            crate::demo_jobs().len(),
            page.records.len()
        ));
    }
    Ok(())
}

/// A refused connection is `Connect`, and nothing was sent.
pub fn a_refused_connection_was_never_sent(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    // A port that was just free: nothing listens on it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?;
    let mut setup = Setup::for_server(&server);
    setup.endpoint = endpoint(&format!("http://{closed}"));
    expect_failure(
        "a closed port",
        make(&setup).list_jobs(),
        Kind::Connect,
        Delivery::NotSent,
    )?;
    Ok(())
}

/// A host name that does not resolve is `Dns`, and nothing was sent.
pub fn a_failed_lookup_was_never_sent(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    let mut setup = Setup::for_server(&server);
    setup.endpoint = endpoint("https://nosuchhost.invalid");
    let error = expect_failure(
        "an unknown host",
        make(&setup).list_jobs(),
        Kind::Dns,
        Delivery::NotSent,
    )?;
    if std::error::Error::source(&error).is_none() {
        return Err("the stack's own error is not kept as the source".into());
    }
    Ok(())
}

/// An untrusted certificate fails the handshake: `Tls`, nothing sent, and
/// never a fallback to plain HTTP.
pub fn an_untrusted_certificate_was_never_sent(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })?;
    let mut setup = Setup::for_server(&server);
    setup.ca_pem = None;
    expect_failure(
        "an untrusted certificate",
        make(&setup).list_jobs(),
        Kind::Tls,
        Delivery::NotSent,
    )?;
    if !server.requests().is_empty() {
        return Err("a request reached the server without a trusted handshake".into());
    }
    // Trusted, the same server answers.
    make(&Setup::for_server(&server))
        .list_jobs()
        .map_err(|e| format!("with the mock's CA trusted: {e:?}"))?;
    Ok(())
}

/// A connection closed after the request was read may have been acted on.
pub fn a_reset_after_the_request_may_have_arrived(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    server.inject(Route::Any, When::Next(1), Fault::ResetAfterRead);
    let error = match make(&Setup::for_server(&server)).list_jobs() {
        Ok(_) => return Err("a reset after the request: the call succeeded".into()),
        Err(error) => error,
    };
    if !error.may_have_reached_service() {
        return Err(format!(
            "a reset after the request was read was classified as never sent: {error:?}"
        ));
    }
    Ok(())
}

/// Silence ends at the attempt's timeout as a `Timeout` that may have arrived.
pub fn silence_is_a_timeout_at_the_attempt_limit(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    server.inject(Route::Any, When::Always, Fault::NeverAnswer);
    let mut setup = Setup::for_server(&server);
    setup.attempt = Duration::from_millis(400);
    let client = make(&setup);
    let started = Instant::now();
    expect_failure(
        "no answer",
        client.list_jobs(),
        Kind::Timeout,
        Delivery::MaybeSent,
    )?;
    let took = started.elapsed();
    // Generous: the point is that it ends, near its limit, not how fast.
    if took > Duration::from_secs(10) {
        return Err(format!("a 400 ms attempt took {took:?} to time out"));
    }
    Ok(())
}

/// A body trickling in past the attempt's timeout ends at that timeout.
pub fn a_dribbled_body_ends_at_the_attempt_limit(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })?;
    server.inject(
        Route::Any,
        When::Always,
        Fault::DribbleBody(Duration::from_millis(50)),
    );
    let mut setup = Setup::for_server(&server);
    setup.attempt = Duration::from_millis(500);
    let started = Instant::now();
    expect_failure(
        "a dribbled body",
        make(&setup).list_jobs(),
        Kind::Timeout,
        Delivery::MaybeSent,
    )?;
    let took = started.elapsed();
    if took > Duration::from_secs(10) {
        return Err(format!("a 500 ms attempt took {took:?} on a dribbled body"));
    }
    Ok(())
}

/// A body over the cap is refused as `BodyTooLarge`.
pub fn a_body_over_the_cap_is_refused(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })?;
    let mut setup = Setup::for_server(&server);
    setup.max_body_bytes = Some(100);
    expect_failure(
        "a body over 100 bytes",
        make(&setup).list_jobs(),
        Kind::BodyTooLarge,
        Delivery::MaybeSent,
    )?;
    Ok(())
}

/// A body one byte over the default cap is refused, whether it comes with a
/// `Content-Length` or chunked.
pub fn a_body_over_the_default_cap_is_refused_with_either_framing(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    let over = vec![b' '; wsc_core::transport::DEFAULT_MAX_BODY_BYTES + 1];
    let url = serve_bodies(vec![(over.clone(), false), (over, true)])?;
    let mut setup = Setup::for_server(&server);
    setup.endpoint = endpoint(&url);
    let client = make(&setup);
    for framing in ["content-length", "chunked"] {
        expect_failure(
            framing,
            client.list_jobs(),
            Kind::BodyTooLarge,
            Delivery::MaybeSent,
        )?;
    }
    Ok(())
}

/// Timeouts of `Duration::MAX` (no limit) work, without overflowing.
pub fn unlimited_timeouts_work(make: &dyn Fn(&Setup) -> Box<dyn Driver>) -> Result<(), String> {
    let server = start(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })?;
    let mut setup = Setup::for_server(&server);
    setup.attempt = Duration::MAX;
    make(&setup)
        .list_jobs()
        .map(drop)
        .map_err(|e| format!("with unlimited timeouts: {e:?}"))
}

/// A loopback server answering each of `bodies.len()` connections with a 200
/// whose body is one of `bodies` (chunked when the flag is set). Returns its URL.
fn serve_bodies(bodies: Vec<(Vec<u8>, bool)>) -> Result<String, String> {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    std::thread::spawn(move || {
        for (body, chunked) in bodies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let Ok(read) = stream.try_clone() else { return };
            let mut reader = BufReader::new(read);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut out = stream;
            let head = if chunked {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_owned()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                )
            };
            let _ = out.write_all(head.as_bytes());
            if chunked {
                for chunk in body.chunks(1 << 16) {
                    let _ = out.write_all(format!("{:x}\r\n", chunk.len()).as_bytes());
                    let _ = out.write_all(chunk);
                    let _ = out.write_all(b"\r\n");
                }
                let _ = out.write_all(b"0\r\n\r\n");
            } else {
                let _ = out.write_all(&body);
            }
        }
    });
    Ok(url)
}

/// A redirect is an error: the signed request never goes to another host.
pub fn redirects_are_not_followed(make: &dyn Fn(&Setup) -> Box<dyn Driver>) -> Result<(), String> {
    use wsc_core::cassette::{Cassette, Exchange, RecordedRequest, RecordedResponse};
    let other = start(MockConfig::default())?;
    // A replayed 307 stands in for a misbehaving proxy, pointing at a second
    // server (the "other host") that counts what reaches it.
    let request = wsc_core::sans_io::build_request(
        &ListJobs::default(),
        &endpoint("http://127.0.0.1:1"),
        &Credentials::new("REC", "rec").map_err(|e| e.to_string())?,
        wsc_core::sans_io::TimestampMs(1),
    )
    .map_err(|e| e.to_string())?;
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let redirect = http::Response::builder()
        .status(307)
        .header("location", format!("{}{target}", other.base_url()))
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    let cassette = Cassette::new(vec![Exchange::new(
        RecordedRequest::from_http(&request),
        RecordedResponse::from_http(&redirect),
    )]);
    let server = MockServer::start_replay(MockConfig::default(), cassette)
        .map_err(|e| format!("cannot start wsc-mock: {e}"))?;
    match make(&Setup::for_server(&server)).list_jobs() {
        Ok(_) => return Err("a 307 redirect: the call succeeded".into()),
        Err(error) if !error.to_string().contains("redirect") => {
            return Err(format!("a 307 is not reported as a redirect: {error}"));
        }
        Err(_) => {}
    }
    if other.connections_accepted() != 0 {
        return Err("the redirect was followed to the other host".into());
    }
    Ok(())
}

/// A createJob whose reply is lost after the service acted is sent once, and
/// the job it started is named.
pub fn a_lost_create_reply_is_not_sent_again(
    make: &dyn Fn(&Setup) -> Box<dyn Driver>,
) -> Result<(), String> {
    let server = start(MockConfig::default())?;
    server.inject(
        Route::Op(OperationKind::CreateJob),
        When::Next(1),
        Fault::ActedThen(LostReply::Reset),
    );
    let op = CreateJob::builder("https://shop.example.com")
        .memo("conformance")
        .build()
        .map_err(|e| e.to_string())?;
    let outcome = make(&Setup::for_server(&server)).create_and_identify(&op);
    let creates = server.served(OperationKind::CreateJob);
    if creates != 1 {
        return Err(format!("createJob reached the service {creates} times"));
    }
    match outcome {
        CreateOutcome::Identified { id, .. } if server.job_ids().first() == Some(&id) => Ok(()),
        other => Err(format!("the started job was not named: {other:?}")),
    }
}

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
