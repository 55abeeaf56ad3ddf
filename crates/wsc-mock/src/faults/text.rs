//! Faults as the command line writes them (`OP:WHEN:KIND`), both ways: each
//! `Display` prints what its `FromStr` reads back.

use std::time::Duration;

use wsc_core::sans_io::OperationKind;

use super::{Fault, FaultRule, LostReply, Route, When};

/// A fault rule, route, count or kind that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad fault rule {input:?}: {reason}")]
pub struct FaultParseError {
    input: String,
    reason: &'static str,
}

impl FaultParseError {
    fn new(input: &str, reason: &'static str) -> Self {
        Self {
            input: input.to_owned(),
            reason,
        }
    }
}

const OPERATIONS: [OperationKind; 6] = [
    OperationKind::ListJobs,
    OperationKind::SearchJobs,
    OperationKind::CreateJob,
    OperationKind::CancelJob,
    OperationKind::StopJob,
    OperationKind::GetReport,
];

impl std::str::FromStr for Route {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("any") {
            return Ok(Route::Any);
        }
        OPERATIONS
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(s))
            .map(Route::Op)
            .ok_or_else(|| {
                FaultParseError::new(
                    s,
                    "the operation is any, getJobs, searchJobs, createJob, cancelJob, stopJob or getReport",
                )
            })
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Route::Any => f.write_str("any"),
            Route::Op(op) => f.write_str(op.name()),
        }
    }
}

impl std::str::FromStr for When {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const WHY: &str = "the count is always, first, next=N, nth=N (N >= 1) or p=F (0 <= F <= 1)";
        let bad = || FaultParseError::new(s, WHY);
        let count = |v: &str| v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(bad);
        match s.split_once('=') {
            None if s == "always" => Ok(When::Always),
            None if s == "first" => Ok(When::Nth(1)),
            Some(("next", n)) => count(n).map(When::Next),
            Some(("nth", n)) => count(n).map(When::Nth),
            Some(("p", p)) => p
                .parse::<f64>()
                .ok()
                .filter(|p| (0.0..=1.0).contains(p))
                .map(When::Probability)
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            When::Always => f.write_str("always"),
            When::Next(n) => write!(f, "next={n}"),
            When::Nth(n) => write!(f, "nth={n}"),
            When::Probability(p) => write!(f, "p={p}"),
        }
    }
}

/// The names [`Fault`]'s `FromStr` accepts, for help texts.
pub const FAULT_NAMES: &str = "quota[=S], throttle[=S], rate[=S] (429 with Retry-After S), \
endpoint-error, endpoint-timeout, unexpected-error, api-call-fail=STATUS, html-502, garbage, \
slow-headers=MS, slow-body=MS, reset-before-read, reset-after-read, truncated, never-answer, \
dribble[=MS] (one body byte per MS, default 1000), headers-then-stall, \
acted-then-{endpoint-error|endpoint-timeout|unexpected-error|html-502|garbage|reset|truncated|never-answer|throttled}, \
acted-twice-then-{...the same}";

impl std::str::FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why| FaultParseError::new(s, why);
        if let Some(lost) = s.strip_prefix("acted-twice-then-") {
            return LostReply::ALL
                .into_iter()
                .chain([LostReply::Throttled])
                .find(|l| l.name() == lost)
                .map(Fault::ActedTwiceThen)
                .ok_or_else(|| bad("unknown way to lose the reply"));
        }
        if let Some(lost) = s.strip_prefix("acted-then-") {
            return LostReply::ALL
                .into_iter()
                .chain([LostReply::Throttled])
                .find(|l| l.name() == lost)
                .map(Fault::ActedThen)
                .ok_or_else(|| bad("unknown way to lose the reply"));
        }
        let (name, arg) = match s.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let number = |a: Option<&str>| -> Result<Option<u64>, FaultParseError> {
            a.map(|a| {
                a.parse::<u64>()
                    .map_err(|_| bad("the value must be a whole number"))
            })
            .transpose()
        };
        let millis = |a: Option<&str>, default: Option<u64>| {
            number(a)?
                .or(default)
                .map(Duration::from_millis)
                .ok_or_else(|| bad("this fault needs =MILLISECONDS"))
        };
        let no_arg = |fault: Fault| match arg {
            None => Ok(fault),
            Some(_) => Err(bad("this fault takes no value")),
        };
        match name {
            "quota" | "throttle" | "rate" => Ok(Fault::TooManyRequests {
                code: match name {
                    "quota" => 400,
                    "throttle" => 410,
                    _ => 420,
                },
                retry_after: number(arg)?,
            }),
            "endpoint-error" => no_arg(Fault::EndpointError),
            "endpoint-timeout" => no_arg(Fault::EndpointTimeout),
            "unexpected-error" => no_arg(Fault::UnexpectedError),
            "api-call-fail" => match number(arg)? {
                Some(status @ 200..=599) => Ok(Fault::ServiceUnavailable {
                    status: status as u16,
                }),
                _ => Err(bad("api-call-fail needs =STATUS (200..=599)")),
            },
            "html-502" => no_arg(Fault::HtmlBadGateway),
            "garbage" => no_arg(Fault::Garbage),
            "slow-headers" => millis(arg, None).map(Fault::SlowHeaders),
            "slow-body" => millis(arg, None).map(Fault::SlowBody),
            "reset-before-read" => no_arg(Fault::ResetBeforeRead),
            "reset-after-read" => no_arg(Fault::ResetAfterRead),
            "truncated" => no_arg(Fault::TruncatedBody),
            "never-answer" => no_arg(Fault::NeverAnswer),
            "dribble" => millis(arg, Some(1000)).map(Fault::DribbleBody),
            "headers-then-stall" => no_arg(Fault::HeadersThenStall),
            _ => Err(bad("unknown fault")),
        }
    }
}

impl std::fmt::Display for Fault {
    /// The name `FromStr` reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: &Duration| d.as_millis();
        match self {
            Fault::TooManyRequests { code, retry_after } => {
                f.write_str(match code {
                    400 => "quota",
                    410 => "throttle",
                    _ => "rate",
                })?;
                match retry_after {
                    Some(s) => write!(f, "={s}"),
                    None => Ok(()),
                }
            }
            Fault::EndpointError => f.write_str("endpoint-error"),
            Fault::EndpointTimeout => f.write_str("endpoint-timeout"),
            Fault::UnexpectedError => f.write_str("unexpected-error"),
            Fault::ServiceUnavailable { status } => write!(f, "api-call-fail={status}"),
            Fault::HtmlBadGateway => f.write_str("html-502"),
            Fault::SlowHeaders(d) => write!(f, "slow-headers={}", ms(d)),
            Fault::SlowBody(d) => write!(f, "slow-body={}", ms(d)),
            Fault::ResetBeforeRead => f.write_str("reset-before-read"),
            Fault::ResetAfterRead => f.write_str("reset-after-read"),
            Fault::TruncatedBody => f.write_str("truncated"),
            Fault::Garbage => f.write_str("garbage"),
            Fault::ActedThen(lost) => write!(f, "acted-then-{}", lost.name()),
            Fault::ActedTwiceThen(lost) => write!(f, "acted-twice-then-{}", lost.name()),
            Fault::NeverAnswer => f.write_str("never-answer"),
            Fault::DribbleBody(d) => write!(f, "dribble={}", ms(d)),
            Fault::HeadersThenStall => f.write_str("headers-then-stall"),
        }
    }
}

impl std::str::FromStr for FaultRule {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(route), Some(when), Some(fault)) => Ok(FaultRule {
                route: route.parse()?,
                when: when.parse()?,
                fault: fault.parse()?,
            }),
            _ => Err(FaultParseError::new(s, "a rule is OP:WHEN:KIND")),
        }
    }
}

impl std::fmt::Display for FaultRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.route, self.when, self.fault)
    }
}
