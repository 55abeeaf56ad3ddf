//! What the scripted service does with one request.

use std::time::Duration;

use crate::error::{Delivery, TransportFailureKind};

/// What [`ScriptedHttp`](crate::testing::ScriptedHttp) does with one request.
///
/// ```
/// use std::time::Duration;
/// use wsc_core::transport::{Delivery, TransportFailureKind};
/// use wsc_core::testing::Reply;
/// let throttled = Reply::http(429, r#"{"error":{"errorCode":"410","message":"Throttle"}}"#)
///     .with_header("retry-after", "3");
/// let refused = Reply::fail(TransportFailureKind::Connect, Delivery::NotSent);
/// let slow = Reply::after(Duration::from_secs(2), Reply::service());
/// # let _ = (throttled, refused, slow);
/// ```
#[derive(Debug, Clone)]
pub struct Reply(pub(super) Kind);

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Service,
    Http {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    Fail(TransportFailureKind, Delivery),
    ActedThenFail {
        times: u32,
        kind: TransportFailureKind,
    },
    Hang,
    After(Duration, Box<Reply>),
}

impl Reply {
    /// The service's own answer: getJobs and searchJobs list the job table,
    /// createJob adds a job and answers the documented success (no id),
    /// cancelJob and stopJob end the job, getReport answers a report of
    /// zero findings.
    pub fn service() -> Self {
        Reply(Kind::Service)
    }

    /// An HTTP response of `status` with the JSON `body`; the service does
    /// not act.
    pub fn http(status: u16, body: impl Into<String>) -> Self {
        Reply(Kind::Http {
            status,
            body: body.into(),
            headers: Vec::new(),
        })
    }

    /// The response with a header added (an [`Reply::http`] reply; other
    /// replies are returned unchanged).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Kind::Http { headers, .. } = &mut self.0 {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// A transport failure; the service does not act.
    pub fn fail(kind: TransportFailureKind, delivery: Delivery) -> Self {
        Reply(Kind::Fail(kind, delivery))
    }

    /// The service acts on the request (createJob adds its job), then the
    /// reply is lost as a `kind` failure that may have reached the service.
    pub fn acted_then_fail(kind: TransportFailureKind) -> Self {
        Reply(Kind::ActedThenFail { times: 1, kind })
    }

    /// As [`Reply::acted_then_fail`], but the service acts twice (a proxy
    /// re-sent the request: createJob adds two identical jobs).
    pub fn acted_twice_then_fail(kind: TransportFailureKind) -> Self {
        Reply(Kind::ActedThenFail { times: 2, kind })
    }

    /// Nothing comes back: the clock moves to the end of the attempt's
    /// timeout, which fails as a timeout that may have reached the service.
    /// The service does not act.
    pub fn hang() -> Self {
        Reply(Kind::Hang)
    }

    /// `reply`, `delay` later; past the attempt's timeout it is a
    /// [`Reply::hang`].
    pub fn after(delay: Duration, reply: Reply) -> Self {
        Reply(Kind::After(delay, Box::new(reply)))
    }
}
