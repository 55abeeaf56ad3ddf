//! Scriptable fault injection: which requests fail, and how.

use std::time::Duration;

use wsc_core::sans_io::OperationKind;

mod text;

pub use text::{FAULT_NAMES, FaultParseError};

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
    /// The service carries the request out (the job **is** created, the cancel
    /// **is** applied), then the reply is lost in the given way.
    ActedThen(LostReply),
    /// The request reaches the service twice (as when a proxy re-sends it:
    /// createJob makes two identical jobs), then the reply is lost. In replay
    /// mode the service acts once.
    ActedTwiceThen(LostReply),
    /// Read the request, then send nothing until the client gives up or
    /// [`MockConfig::idle_timeout`](crate::MockConfig::idle_timeout) passes
    /// (the service never sees it, like a gateway that holds the request).
    NeverAnswer,
    /// The service acts; the headers go out, then the body one byte per interval
    /// (a `Content-Length` announces the whole body).
    DribbleBody(Duration),
    /// The service acts; the headers go out, then nothing until the client
    /// gives up or [`MockConfig::idle_timeout`](crate::MockConfig::idle_timeout) passes.
    HeadersThenStall,
}

/// How a reply fails after the service carried the request out
/// ([`Fault::ActedThen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LostReply {
    /// Gateway 503 / 500 Endpoint Error.
    EndpointError,
    /// Gateway 504 / 510 Endpoint Timeout.
    EndpointTimeout,
    /// Gateway 500 / 900 Unexpected Error.
    UnexpectedError,
    /// An HTML 502 page from a proxy.
    HtmlBadGateway,
    /// 200 with a JSON content type and bytes that are not JSON.
    Garbage,
    /// The connection is closed without a response.
    Reset,
    /// A `Content-Length` larger than the bytes sent, then the connection closes.
    TruncatedBody,
    /// Nothing is sent until the client gives up.
    NeverAnswer,
    /// A gateway 429 / 410, although the service acted: a broken or hostile
    /// gateway (a real 429 means nothing was routed). Not in [`LostReply::ALL`]:
    /// a client may re-send after a 429, once a listing shows no job.
    Throttled,
}

impl LostReply {
    /// Every way a reply can be lost.
    pub const ALL: [LostReply; 8] = [
        LostReply::EndpointError,
        LostReply::EndpointTimeout,
        LostReply::UnexpectedError,
        LostReply::HtmlBadGateway,
        LostReply::Garbage,
        LostReply::Reset,
        LostReply::TruncatedBody,
        LostReply::NeverAnswer,
    ];

    fn name(self) -> &'static str {
        match self {
            LostReply::EndpointError => "endpoint-error",
            LostReply::EndpointTimeout => "endpoint-timeout",
            LostReply::UnexpectedError => "unexpected-error",
            LostReply::HtmlBadGateway => "html-502",
            LostReply::Garbage => "garbage",
            LostReply::Reset => "reset",
            LostReply::TruncatedBody => "truncated",
            LostReply::NeverAnswer => "never-answer",
            LostReply::Throttled => "throttled",
        }
    }
}

impl Fault {
    /// Every kind that ends by itself, with representative parameters (for
    /// soak tests). Left out: [`Fault::NeverAnswer`], [`Fault::HeadersThenStall`],
    /// [`Fault::DribbleBody`] and `ActedThen(NeverAnswer)`, which hold a
    /// connection until the client gives up.
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
            Fault::ActedThen(LostReply::EndpointError),
            Fault::ActedThen(LostReply::HtmlBadGateway),
            Fault::ActedThen(LostReply::Reset),
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
                | Fault::NeverAnswer
        )
    }
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Route {
    /// Every operation.
    Any,
    /// One operation.
    Op(OperationKind),
}

/// When, among the requests a rule matches, it fires.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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

/// A rule as written on the command line: `OP:WHEN:KIND`.
///
/// - `OP`: `any`, or an API operation name (`getJobs`, `searchJobs`,
///   `createJob`, `cancelJob`, `stopJob`, `getReport`; case-insensitive);
/// - `WHEN`: `always`, `first` (the first matching request only), `next=N`
///   (the next `N`), `nth=N` (only the `N`-th), `p=F` (probability `F`);
/// - `KIND`: see [`Fault`]'s `Display` (`acted-then-reset`, `never-answer`,
///   `dribble=1000`, `headers-then-stall`, `endpoint-error`, `throttle=2`, ...).
///
/// ```
/// use wsc_core::sans_io::OperationKind;
/// use wsc_mock::{Fault, FaultRule, LostReply, Route, When};
/// let rule: FaultRule = "createJob:first:acted-then-endpoint-error".parse().unwrap();
/// assert_eq!(rule.route, Route::Op(OperationKind::CreateJob));
/// assert_eq!(rule.when, When::Nth(1));
/// assert_eq!(rule.fault, Fault::ActedThen(LostReply::EndpointError));
/// assert!("createJob:first:explode".parse::<FaultRule>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// Which requests it applies to.
    pub route: Route,
    /// When, among them, it fires.
    pub when: When,
    /// What goes wrong.
    pub fault: Fault,
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
    fn every_fault_name_reads_back() {
        let mut kinds = Fault::all_kinds();
        kinds.extend(LostReply::ALL.map(Fault::ActedThen));
        kinds.extend(LostReply::ALL.map(Fault::ActedTwiceThen));
        kinds.extend([
            Fault::NeverAnswer,
            Fault::HeadersThenStall,
            Fault::DribbleBody(Duration::from_millis(250)),
            Fault::ServiceUnavailable { status: 401 },
        ]);
        for fault in kinds {
            let text = fault.to_string();
            assert_eq!(text.parse::<Fault>(), Ok(fault.clone()), "{text}");
            let rule = FaultRule {
                route: Route::Op(OperationKind::CancelJob),
                when: When::Next(3),
                fault,
            };
            assert_eq!(rule.to_string().parse::<FaultRule>(), Ok(rule));
        }
        assert_eq!(
            "dribble".parse::<Fault>(),
            Ok(Fault::DribbleBody(Duration::from_secs(1)))
        );
        for bad in [
            "createJob:first",
            "createjob:nth=0:garbage",
            "nope:always:garbage",
            "any:sometimes:garbage",
            "any:p=2:garbage",
            "any:always:garbage=1",
            "any:always:slow-body",
            "any:always:acted-then-explode",
            "any:always:acted-twice-then-",
            "any:always:api-call-fail=42",
        ] {
            assert!(bad.parse::<FaultRule>().is_err(), "{bad}");
        }
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
