//! The conformance checks themselves: each starts a wsc-mock (or a raw
//! socket) on loopback, drives the stack under test through it, and says
//! what went wrong.

use std::time::{Duration, Instant};

use wsc_core::CreateOutcome;
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::{Delivery, TransportFailureKind as Kind};
use wsc_core::{CreateJob, ListJobs};
use wsc_core::{Credentials, Error, JobPage};

use super::{Driver, Setup, endpoint};
use crate::{Fault, LostReply, MockConfig, MockServer, Route, When};

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
