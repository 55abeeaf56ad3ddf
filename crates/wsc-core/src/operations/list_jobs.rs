use http::{Method, Response};

use super::{Operation, OperationKind, PathBuilder, sealed};
use crate::Error;
use crate::model::{JobPage, Limit, PageNumber};
use crate::response::{Parts, parse_enveloped};

/// getJobs: one page of the account's scan jobs (`GET /api/v1/jobs?limit=&page=`).
///
/// Both parameters are always sent, `limit` first (see `docs/api-notes.md`).
///
/// ```
/// use wsc_core::ListJobs;
/// use wsc_core::sans_io::{Paged, prepare};
/// use wsc_core::{Endpoint, Limit, PageNumber};
/// let first = ListJobs::new(Limit::new(50)?, PageNumber::FIRST);
/// let second = first.at_page(PageNumber::new(2)?);
/// let request = prepare(&second, &Endpoint::default_public())?;
/// assert_eq!(request.request_target(), "/api/v1/jobs?limit=50&page=2");
/// assert_eq!(ListJobs::default().limit(), Limit::DEFAULT);
/// # Ok::<(), wsc_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListJobs {
    limit: Limit,
    page: PageNumber,
}

impl ListJobs {
    /// A request for `page` with `limit` records per page.
    pub fn new(limit: Limit, page: PageNumber) -> Self {
        Self { limit, page }
    }

    /// Records per page.
    pub fn limit(&self) -> Limit {
        self.limit
    }

    /// The page asked for.
    pub fn page(&self) -> PageNumber {
        self.page
    }
}

impl sealed::Request for ListJobs {
    fn method(&self) -> Method {
        Method::GET
    }

    fn write_path(&self, out: &mut PathBuilder) {
        let mut buf = itoa::Buffer::new();
        out.push_str("/jobs?limit=");
        out.push_str(buf.format(self.limit.get()));
        out.push_str("&page=");
        out.push_str(buf.format(self.page.get()));
    }

    fn body(&self) -> Vec<u8> {
        Vec::new()
    }
}

impl Operation for ListJobs {
    type Output = JobPage;
    const KIND: OperationKind = OperationKind::ListJobs;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<JobPage, Error> {
        Ok(parse_enveloped(&Parts::of(response), false)?.unwrap_or_default())
    }
}
