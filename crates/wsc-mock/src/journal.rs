//! What the server received, without secrets, so tests can assert what a client
//! actually sent (e.g. that a createJob arrived exactly once).

use std::time::Duration;

use wsc_core::sans_io::OperationKind;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// Method.
    pub method: String,
    /// Request-target (path and query).
    pub target: String,
    /// The operation the route maps to (`None` for unknown routes).
    pub operation: Option<OperationKind>,
    /// Headers; the signature and access key are redacted.
    pub headers: Vec<(String, String)>,
    /// Body with createJob `Headers` values redacted (lossy UTF-8).
    pub body: String,
    /// Whether the gateway accepted the signature.
    pub authenticated: bool,
    /// Whether the (simulated or replayed) service acted on the request.
    pub reached_service: bool,
    /// The fault injected, if any (its `Debug` form).
    pub fault: Option<String>,
    /// Why the gateway or service rejected it, if it did.
    pub rejection: Option<String>,
    /// Simulated time of arrival.
    pub at: Duration,
}

impl ReceivedRequest {
    /// A header value by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
