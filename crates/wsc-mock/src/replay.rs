//! Replay mode: serve a recorded cassette in order, verifying auth and matching
//! each request (method, request-target, body ignoring key order).

use serde_json::Value;
use wsc_core::cassette::{Cassette, Exchange};
use wsc_core::redact::redact_json_bytes;

use crate::reply::Reply;

#[derive(Debug)]
pub(crate) struct Replay {
    exchanges: Vec<Exchange>,
    next: usize,
}

fn bodies_match(recorded: &[u8], received: &[u8]) -> bool {
    match (
        serde_json::from_slice::<Value>(recorded),
        serde_json::from_slice::<Value>(received),
    ) {
        // Object equality ignores key order.
        (Ok(a), Ok(b)) => a == b,
        _ => recorded == received,
    }
}

fn describe(method: &str, target: &str, body: &[u8]) -> String {
    let body = String::from_utf8_lossy(body);
    if body.is_empty() {
        format!("{method} {target}")
    } else {
        format!("{method} {target} {body}")
    }
}

impl Replay {
    pub fn new(cassette: Cassette) -> Self {
        Self {
            exchanges: cassette.exchanges,
            next: 0,
        }
    }

    pub fn remaining(&self) -> usize {
        self.exchanges.len() - self.next
    }

    pub fn handle(&mut self, method: &str, target: &str, body: &[u8]) -> (Reply, Option<String>) {
        let received = redact_json_bytes(body);
        let Some(expected) = self.exchanges.get(self.next) else {
            let msg = format!(
                "wsc-mock replay: cassette exhausted after {} exchange(s); received {}",
                self.exchanges.len(),
                describe(method, target, &received)
            );
            return (
                Reply::raw(500, "text/plain;charset=UTF-8", msg.clone()),
                Some(msg),
            );
        };
        let recorded_body = expected.request.body.to_bytes().unwrap_or_default();
        if expected.request.method != method
            || expected.request.target != target
            || !bodies_match(&recorded_body, &received)
        {
            let msg = format!(
                "wsc-mock replay mismatch at exchange #{}: expected {}, received {}",
                self.next + 1,
                describe(
                    &expected.request.method,
                    &expected.request.target,
                    &recorded_body
                ),
                describe(method, target, &received)
            );
            return (
                Reply::raw(500, "text/plain;charset=UTF-8", msg.clone()),
                Some(msg),
            );
        }
        self.next += 1;
        let response = &expected.response;
        let mut reply = Reply::raw(
            response.status,
            "application/json",
            response.body.to_bytes().unwrap_or_default(),
        );
        reply.headers.clear();
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("content-length")
                || name.eq_ignore_ascii_case("date")
                || name.eq_ignore_ascii_case("transfer-encoding")
            {
                continue;
            }
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                reply.headers.push((n, v));
            }
        }
        (reply, None)
    }
}
