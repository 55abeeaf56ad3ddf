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

/// Routes `method target` with the core's routing table; `None` for
/// anything the API does not have. Adds what only a server reads: the
/// listing's `limit` and `page`, and no query on the POST/PUT routes.
pub(crate) fn route(method: &Method, target: &str) -> Option<Routed> {
    let (op, id) = OperationKind::route(method, target)?;
    let query = target.split_once('?').map_or("", |(_, query)| query);
    let mut routed = Routed {
        op,
        id,
        limit: None,
        page: None,
    };
    match op {
        OperationKind::ListJobs => {
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                match k {
                    "limit" => routed.limit = Some(v.parse().ok()?),
                    "page" => routed.page = Some(v.parse().ok()?),
                    _ => {}
                }
            }
        }
        OperationKind::SearchJobs | OperationKind::CreateJob if !query.is_empty() => return None,
        _ => {}
    }
    Some(routed)
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
