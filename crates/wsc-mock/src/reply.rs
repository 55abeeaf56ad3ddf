//! A response the server is about to send, and how it is delivered (normally,
//! slowly, truncated, or not at all).

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use http_body::{Body, Frame, SizeHint};
use serde_json::{Value, json};

/// How the bytes of a reply reach the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    Normal,
    SlowHeaders(Duration),
    SlowBody(Duration),
    Truncated,
    /// Close the connection without a response.
    Reset,
    /// Send nothing until the client goes away.
    Never,
    /// Headers, then one body byte per interval.
    Dribble(Duration),
    /// Headers, then nothing until the client goes away.
    Stall,
}

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
    pub delivery: Delivery,
}

const JSON_TYPE: &str = "application/json;charset=UTF-8";

impl Reply {
    pub fn json(status: u16, body: &Value) -> Self {
        Self::raw(
            status,
            JSON_TYPE,
            serde_json::to_vec(body).unwrap_or_default(),
        )
    }

    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: vec![(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            )],
            body: body.into(),
            delivery: Delivery::Normal,
        }
    }

    /// The success envelope around `resources`.
    pub fn success(resources: Value) -> Self {
        Self::json(
            200,
            &json!({"returnCode": "0", "returnDesc": "Request Success", "returnMessage": "Success", "resources": resources}),
        )
    }

    /// A gateway error: string code, optional details.
    pub fn gateway(status: u16, code: &str, message: &str, details: Option<&str>) -> Self {
        let mut error = json!({"errorCode": code, "message": message});
        if let Some(d) = details {
            error["details"] = json!(d);
        }
        Self::json(status, &json!({ "error": error }))
    }

    /// A WSC service error: numeric code.
    pub fn service(status: u16, code: u64, message: &str) -> Self {
        Self::json(
            status,
            &json!({"error": {"errorCode": code, "message": message}}),
        )
    }

    /// 901 API Call Fail, the service's answer to a wrong id or state.
    pub fn api_call_fail() -> Self {
        Self::service(400, 901, "API Call Fail")
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        if let Ok(v) = HeaderValue::from_str(&value) {
            self.headers.push((HeaderName::from_static(name), v));
        }
        self
    }
}

/// The body of a reply: chunks with an optional pause between them, and an
/// optional error (which makes hyper abort the connection) or stall at the end.
pub(crate) struct ReplyBody {
    chunks: VecDeque<Bytes>,
    pause: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    fail_at_end: bool,
    stall_at_end: bool,
    declared: u64,
}

impl ReplyBody {
    pub fn new(body: Bytes, delivery: Delivery) -> Self {
        let declared = body.len() as u64;
        let half = body.len() / 2;
        match delivery {
            Delivery::SlowBody(pause) if body.len() > 1 => Self {
                chunks: VecDeque::from([body.slice(..half), body.slice(half..)]),
                pause: Some(pause),
                sleep: None,
                fail_at_end: false,
                stall_at_end: false,
                declared,
            },
            // The first sleep comes before the first byte: the head goes out alone.
            Delivery::Dribble(pause) => Self {
                chunks: (0..body.len()).map(|i| body.slice(i..=i)).collect(),
                pause: Some(pause),
                sleep: Some(Box::pin(tokio::time::sleep(pause))),
                fail_at_end: false,
                stall_at_end: false,
                declared,
            },
            Delivery::Stall => Self {
                chunks: VecDeque::new(),
                pause: None,
                sleep: None,
                fail_at_end: false,
                stall_at_end: true,
                declared,
            },
            // The pause lets hyper flush the head and the first half before the
            // error aborts the connection.
            Delivery::Truncated => Self {
                chunks: VecDeque::from([body.slice(..half)]),
                pause: Some(Duration::from_millis(50)),
                sleep: None,
                fail_at_end: true,
                stall_at_end: false,
                declared,
            },
            _ => Self {
                chunks: VecDeque::from([body]),
                pause: None,
                sleep: None,
                fail_at_end: false,
                stall_at_end: false,
                declared,
            },
        }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(sleep) = self.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.sleep = None;
        }
        match self.chunks.pop_front() {
            Some(chunk) => {
                let more = !self.chunks.is_empty() || self.fail_at_end;
                if let (Some(pause), true) = (self.pause, more) {
                    self.sleep = Some(Box::pin(tokio::time::sleep(pause)));
                }
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            // Never woken: hyper drops the body when the client goes away.
            None if self.stall_at_end => Poll::Pending,
            None if self.fail_at_end => {
                self.fail_at_end = false;
                Poll::Ready(Some(Err(std::io::Error::other(
                    "wsc-mock: injected truncation",
                ))))
            }
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}
