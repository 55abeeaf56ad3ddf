//! Scriptable fault injection: which requests fail, and how.

use std::time::Duration;

use wsc_core::operations::OperationKind;

/// One way a request can go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Gateway 429 with code 400 (quota), 410 (throttle) or 420 (rate), and an
    /// optional `Retry-After` in seconds.
    TooManyRequests {
        /// `"400"`, `"410"` or `"420"`.
        code: u16,
        /// `Retry-After` seconds, if sent.
        retry_after: Option<u64>,
    },
    /// Gateway 503 / 500 Endpoint Error.
    EndpointError,
    /// Gateway 504 / 510 Endpoint Timeout.
    EndpointTimeout,
    /// Gateway 500 / 900 Unexpected Error.
    UnexpectedError,
    /// WSC 901 API Call Fail with the given HTTP status (200, 400 or 401 are documented).
    ServiceUnavailable {
        /// HTTP status to send it with.
        status: u16,
    },
    /// An HTML 502 page from a proxy.
    HtmlBadGateway,
    /// Wait before sending the response headers.
    SlowHeaders(Duration),
    /// Send half the body, wait, then the rest.
    SlowBody(Duration),
    /// Close the connection without reading the request: the service never sees it.
    ResetBeforeRead,
    /// Read the request (the service acts on it), then close without answering.
    ResetAfterRead,
    /// Act on the request, then send a `Content-Length` larger than the bytes sent.
    TruncatedBody,
    /// Answer 200 with a JSON content type and bytes that are not JSON.
    Garbage,
}

impl Fault {
    /// Every kind, with representative parameters (for soak tests).
    pub fn all_kinds() -> Vec<Fault> {
        vec![
            Fault::TooManyRequests {
                code: 410,
                retry_after: None,
            },
            Fault::TooManyRequests {
                code: 420,
                retry_after: Some(0),
            },
            Fault::TooManyRequests {
                code: 400,
                retry_after: None,
            },
            Fault::EndpointError,
            Fault::EndpointTimeout,
            Fault::UnexpectedError,
            Fault::ServiceUnavailable { status: 200 },
            Fault::HtmlBadGateway,
            Fault::SlowHeaders(Duration::from_millis(20)),
            Fault::SlowBody(Duration::from_millis(20)),
            Fault::ResetBeforeRead,
            Fault::ResetAfterRead,
            Fault::TruncatedBody,
            Fault::Garbage,
        ]
    }

    /// True when the service never acts on a request that meets this fault.
    pub fn prevents_service(&self) -> bool {
        matches!(
            self,
            Fault::TooManyRequests { .. }
                | Fault::ResetBeforeRead
                | Fault::EndpointError
                | Fault::HtmlBadGateway
        )
    }
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Every operation.
    Any,
    /// One operation.
    Op(OperationKind),
}

/// When, among the requests a rule matches, it fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// The next `n` matching requests.
    Next(u32),
    /// Only the n-th matching request (1-based, counted from when the rule was added).
    Nth(u32),
    /// Every matching request.
    Always,
    /// Each matching request with this probability (seeded, deterministic).
    Probability(f64),
}

#[derive(Debug, Clone)]
struct Rule {
    route: Route,
    when: When,
    fault: Fault,
    seen: u32,
}

/// The script of fault rules; the first rule that fires wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct FaultScript {
    rules: Vec<Rule>,
    rng: u64,
}

impl FaultScript {
    pub fn new(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            rng: seed ^ 0x9E37_79B9_7F4A_7C15,
        }
    }

    pub fn add(&mut self, route: Route, when: When, fault: Fault) {
        self.rules.push(Rule {
            route,
            when,
            fault,
            seen: 0,
        });
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for the next request of `op` (`None` for unknown routes), if any.
    pub fn next_fault(&mut self, op: Option<OperationKind>) -> Option<Fault> {
        let mut fired = None;
        for i in 0..self.rules.len() {
            let matches = match self.rules[i].route {
                Route::Any => true,
                Route::Op(o) => Some(o) == op,
            };
            if !matches {
                continue;
            }
            self.rules[i].seen += 1;
            let seen = self.rules[i].seen;
            let fires = match self.rules[i].when {
                When::Next(n) => seen <= n,
                When::Nth(n) => seen == n,
                When::Always => true,
                When::Probability(p) => {
                    let roll = crate::splitmix(&mut self.rng) as f64 / u64::MAX as f64;
                    roll < p
                }
            };
            if fires && fired.is_none() {
                fired = Some(self.rules[i].fault.clone());
            }
        }
        self.rules
            .retain(|r| !matches!(r.when, When::Next(n) | When::Nth(n) if r.seen >= n));
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_and_nth_count_per_rule() {
        let mut s = FaultScript::new(1);
        s.add(
            Route::Op(OperationKind::ListJobs),
            When::Next(2),
            Fault::EndpointError,
        );
        s.add(Route::Any, When::Nth(4), Fault::Garbage);
        assert_eq!(s.next_fault(Some(OperationKind::CreateJob)), None); // Any: 1
        assert_eq!(
            s.next_fault(Some(OperationKind::ListJobs)),
            Some(Fault::EndpointError)
        ); // Any: 2
        assert_eq!(
            s.next_fault(Some(OperationKind::ListJobs)),
            Some(Fault::EndpointError)
        ); // Any: 3
        assert_eq!(
            s.next_fault(Some(OperationKind::ListJobs)),
            Some(Fault::Garbage)
        ); // Any: 4
        assert_eq!(s.next_fault(Some(OperationKind::ListJobs)), None);
    }

    #[test]
    fn probability_is_deterministic_per_seed() {
        let run = |seed| {
            let mut s = FaultScript::new(seed);
            s.add(Route::Any, When::Probability(0.3), Fault::EndpointError);
            (0..200)
                .map(|_| s.next_fault(None).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let hits = run(7).iter().filter(|h| **h).count();
        assert!((30..90).contains(&hits), "{hits}");
    }
}
