//! Mapping a request line to a WSC operation, as the gateway's routing does.

use http::Method;
use wsc_core::sans_io::OperationKind;

/// A routed request: the operation and its path/query parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Routed {
    pub op: OperationKind,
    pub id: Option<u64>,
    pub limit: Option<u32>,
    pub page: Option<u32>,
}

/// Routes `method target`; `None` for anything the API does not have.
pub(crate) fn route(method: &Method, target: &str) -> Option<Routed> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let rest = path.strip_prefix("/api/v1")?;
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let routed = |op, id| {
        Some(Routed {
            op,
            id,
            limit: None,
            page: None,
        })
    };
    match (method, segments.as_slice()) {
        (&Method::GET, ["jobs"]) => {
            let mut r = Routed {
                op: OperationKind::ListJobs,
                id: None,
                limit: None,
                page: None,
            };
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                match k {
                    "limit" => r.limit = Some(v.parse().ok()?),
                    "page" => r.page = Some(v.parse().ok()?),
                    _ => {}
                }
            }
            Some(r)
        }
        (&Method::POST, ["jobs", "search"]) if query.is_empty() => {
            routed(OperationKind::SearchJobs, None)
        }
        (&Method::PUT, ["job"]) if query.is_empty() => routed(OperationKind::CreateJob, None),
        (&Method::PATCH, ["jobs", id, "cancel"]) => {
            routed(OperationKind::CancelJob, Some(parse_id(id)?))
        }
        (&Method::PATCH, ["jobs", id, "stop"]) => {
            routed(OperationKind::StopJob, Some(parse_id(id)?))
        }
        (&Method::GET, ["jobs", id, "report"]) => {
            routed(OperationKind::GetReport, Some(parse_id(id)?))
        }
        _ => None,
    }
}

fn parse_id(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_route() {
        assert_eq!(
            route(&Method::GET, "/api/v1/jobs?limit=10&page=2")
                .unwrap()
                .page,
            Some(2)
        );
        assert_eq!(
            route(&Method::POST, "/api/v1/jobs/search").unwrap().op,
            OperationKind::SearchJobs
        );
        assert_eq!(
            route(&Method::PUT, "/api/v1/job").unwrap().op,
            OperationKind::CreateJob
        );
        assert_eq!(
            route(&Method::PATCH, "/api/v1/jobs/12/cancel").unwrap().id,
            Some(12)
        );
        assert_eq!(
            route(&Method::PATCH, "/api/v1/jobs/12/stop").unwrap().op,
            OperationKind::StopJob
        );
        assert_eq!(
            route(&Method::GET, "/api/v1/jobs/12/report").unwrap().op,
            OperationKind::GetReport
        );
        for (m, t) in [
            (Method::PATCH, "/api/v1/jobs/12/report"),
            (Method::PATCH, "/12/cancel"),
            (Method::GET, "/api/v1/jobs?limit=x"),
            (Method::PATCH, "/api/v1/jobs/-1/stop"),
            (Method::PUT, "/api/v1/jobs"),
        ] {
            assert!(route(&m, t).is_none(), "{m} {t}");
        }
    }
}
