//! The hyper accept loop and the per-request pipeline:
//! route → fault → read body → gateway auth → service (simulate or replay) → deliver.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use wsc_core::redact::redact_json_bytes;
use wsc_core::sans_io::{ACCESS_KEY_HEADER, SIGNATURE_HEADER};

use crate::faults::{Fault, LostReply};
use crate::idle::IdleTimeout;
use crate::journal::ReceivedRequest;
use crate::reply::{Delivery, Reply, ReplyBody};
use crate::{Mode, Shared, gateway, routes};

pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                shared.connections.fetch_add(1, Ordering::Relaxed);
                let open = OpenConnection::new(shared.clone());
                let shared = shared.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let stream = IdleTimeout::new(stream, shared.config.idle_timeout);
                    match tls {
                        None => serve_connection(stream, shared).await,
                        Some(acceptor) => {
                            let handshake = tokio::time::timeout(
                                shared.config.header_read_timeout,
                                acceptor.accept(stream),
                            );
                            // A failed handshake is the client's to report.
                            if let Ok(Ok(stream)) = handshake.await {
                                serve_connection(stream, shared).await;
                            }
                        }
                    }
                    drop(open);
                });
            }
        }
    }
}

/// Counts a connection as open until dropped.
struct OpenConnection(Arc<Shared>);

impl OpenConnection {
    fn new(shared: Arc<Shared>) -> Self {
        shared.open_connections.fetch_add(1, Ordering::Relaxed);
        Self(shared)
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open_connections.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let header_read_timeout = shared.config.header_read_timeout;
    let service = service_fn(move |req| handle(shared.clone(), req));
    // Errors here are clients that went away, idle connections closed, or
    // injected resets: not ours to report.
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .serve_connection(TokioIo::new(io), service)
        .await;
}

fn redacted_headers(parts: &http::request::Parts) -> Vec<(String, String)> {
    parts
        .headers
        .iter()
        .map(|(n, v)| {
            let value = if *n == SIGNATURE_HEADER || *n == ACCESS_KEY_HEADER {
                wsc_core::sans_io::REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (n.as_str().to_owned(), value)
        })
        .collect()
}

/// The injected failure that a fault produces in place of (or after) the service.
fn fault_reply(fault: &Fault) -> Option<Reply> {
    Some(match fault {
        Fault::TooManyRequests { code, retry_after } => {
            let message = match code {
                400 => "Quota Exceeded",
                410 => "Throttle Limited",
                _ => "Rate Limited",
            };
            let reply = Reply::gateway(429, &code.to_string(), message, None);
            match retry_after {
                Some(secs) => reply.with_header("retry-after", secs.to_string()),
                None => reply,
            }
        }
        Fault::EndpointError => Reply::gateway(503, "500", "Endpoint Error", None),
        Fault::EndpointTimeout => Reply::gateway(504, "510", "Endpoint Timeout", None),
        Fault::UnexpectedError => Reply::gateway(500, "900", "Unexpected Error", None),
        Fault::ServiceUnavailable { status } => Reply::service(*status, 901, "API Call Fail"),
        Fault::HtmlBadGateway => Reply::raw(
            502,
            "text/html",
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        ),
        Fault::Garbage => garbage(),
        _ => return None,
    })
}

/// 200 with a JSON content type and bytes that are not JSON.
fn garbage() -> Reply {
    Reply::raw(
        200,
        "application/json;charset=UTF-8",
        &b"\x00\x9f{\"returnCode\": \xff\xfe garbage"[..],
    )
}

/// Sends `delivery` in place of the reply's normal delivery.
fn delivered(mut reply: Reply, delivery: Delivery) -> Reply {
    reply.delivery = delivery;
    reply
}

/// What the client gets instead of `reply`, which the service already produced.
fn lose(lost: LostReply, reply: Reply) -> Reply {
    let stand_in = match lost {
        LostReply::EndpointError => Fault::EndpointError,
        LostReply::EndpointTimeout => Fault::EndpointTimeout,
        LostReply::UnexpectedError => Fault::UnexpectedError,
        LostReply::HtmlBadGateway => Fault::HtmlBadGateway,
        LostReply::Throttled => Fault::TooManyRequests {
            code: 410,
            retry_after: None,
        },
        LostReply::Garbage => return garbage(),
        LostReply::Reset => return delivered(reply, Delivery::Reset),
        LostReply::TruncatedBody => return delivered(reply, Delivery::Truncated),
        LostReply::NeverAnswer => return delivered(reply, Delivery::Never),
    };
    fault_reply(&stand_in).unwrap_or(reply)
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<ReplyBody>, std::io::Error> {
    let (parts, body) = req.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let routed = routes::route(&parts.method, &target);
    let op = routed.as_ref().map(|r| r.op);

    let (fault, at) = {
        let mut state = shared.lock();
        (state.faults.next_fault(op), state.clock.now())
    };
    let mut entry = ReceivedRequest {
        method: parts.method.as_str().to_owned(),
        target: target.clone(),
        operation: op,
        headers: redacted_headers(&parts),
        body: String::new(),
        authenticated: false,
        reached_service: false,
        fault: fault.as_ref().map(|f| format!("{f:?}")),
        rejection: None,
        at,
    };

    if fault == Some(Fault::ResetBeforeRead) {
        shared.lock().journal.push(entry);
        return Err(std::io::Error::other(
            "wsc-mock: injected reset before read",
        ));
    }

    let body = match Limited::new(body, shared.config.max_body_bytes)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            // Too large, or the client went away mid-body.
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                entry.rejection = Some("request body too large".into());
                shared.lock().journal.push(entry);
                return Ok(respond(
                    &shared,
                    Reply::gateway(413, "430", "Request Entity Too Large", None),
                ));
            }
            entry.rejection = Some("client disconnected mid-body".into());
            shared.lock().journal.push(entry);
            return Err(std::io::Error::other("wsc-mock: incomplete request body"));
        }
    };
    entry.body = String::from_utf8_lossy(&redact_json_bytes(&body)).into_owned();

    let reply = pipeline(
        &shared,
        &parts,
        &target,
        routed,
        &body,
        fault.as_ref(),
        &mut entry,
    );
    shared.lock().journal.push(entry);

    match reply.delivery {
        Delivery::Reset => Err(std::io::Error::other("wsc-mock: injected reset after read")),
        Delivery::Never => {
            // Hyper drops this future when the client closes the connection.
            std::future::pending::<()>().await;
            Err(std::io::Error::other("wsc-mock: never answered"))
        }
        Delivery::SlowHeaders(d) => {
            tokio::time::sleep(d).await;
            Ok(respond(&shared, reply))
        }
        _ => Ok(respond(&shared, reply)),
    }
}

/// Everything between reading the body and delivering bytes: pure decisions
/// on the shared state, no awaits (the lock is never held across one).
fn pipeline(
    shared: &Shared,
    parts: &http::request::Parts,
    target: &str,
    routed: Option<routes::Routed>,
    body: &Bytes,
    fault: Option<&Fault>,
    entry: &mut ReceivedRequest,
) -> Reply {
    let Some(routed) = routed else {
        entry.rejection = Some("unknown route".into());
        return Reply::gateway(
            404,
            "300",
            "Not Found Exception",
            Some("No matching route."),
        );
    };
    let mut state = shared.lock();
    let wall_now = state.clock.wall_now();
    if let Err((reply, why)) = gateway::verify(parts, target, &shared.credentials, wall_now) {
        entry.rejection = Some(why);
        return reply;
    }
    entry.authenticated = true;

    // Faults the gateway produces before the service sees anything.
    if let Some(f) = fault.filter(|f| f.prevents_service()) {
        if *f == Fault::NeverAnswer {
            return delivered(Reply::raw(504, "text/plain", ""), Delivery::Never);
        }
        if let Some(reply) = fault_reply(f) {
            return reply;
        }
    }
    if let Some(f @ Fault::ServiceUnavailable { .. }) = fault {
        entry.reached_service = true;
        return fault_reply(f).unwrap_or_else(Reply::api_call_fail);
    }

    entry.reached_service = true;
    let now = state.clock.now();
    let (reply, rejection) = match &mut state.mode {
        Mode::Simulate(sim) => sim.handle(&routed, body, now, &shared.config),
        Mode::Replay(replay) => replay.handle(parts.method.as_str(), target, body),
    };
    entry.rejection = rejection;
    if let (Some(Fault::ActedTwiceThen(_)), Mode::Simulate(sim)) = (fault, &mut state.mode) {
        // The re-sent copy: acted on too, its reply lost with the first's.
        let _ = sim.handle(&routed, body, now, &shared.config);
    }

    // Faults that strike after the service acted.
    match fault {
        Some(f @ (Fault::EndpointTimeout | Fault::UnexpectedError | Fault::Garbage)) => {
            fault_reply(f).unwrap_or(reply)
        }
        Some(Fault::ResetAfterRead) => delivered(reply, Delivery::Reset),
        Some(Fault::TruncatedBody) => delivered(reply, Delivery::Truncated),
        Some(Fault::SlowHeaders(d)) => delivered(reply, Delivery::SlowHeaders(*d)),
        Some(Fault::SlowBody(d)) => delivered(reply, Delivery::SlowBody(*d)),
        Some(Fault::ActedThen(lost) | Fault::ActedTwiceThen(lost)) => lose(*lost, reply),
        Some(Fault::DribbleBody(d)) => delivered(reply, Delivery::Dribble(*d)),
        Some(Fault::HeadersThenStall) => delivered(reply, Delivery::Stall),
        _ => reply,
    }
}

fn respond(shared: &Shared, reply: Reply) -> Response<ReplyBody> {
    let wall_now = shared.lock().clock.wall_now();
    let mut response = Response::new(ReplyBody::new(reply.body, reply.delivery));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        headers.append(name, value);
    }
    if let Ok(date) = http::HeaderValue::from_str(&httpdate::fmt_http_date(wall_now)) {
        headers.insert(http::header::DATE, date);
    }
    response
}
