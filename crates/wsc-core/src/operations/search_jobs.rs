use http::{Method, Response};
use serde::Serialize;

use super::{Operation, OperationKind, PathBuilder, sealed};
use crate::Error;
use crate::invalid_input::InvalidInput;
use crate::model::{JobPage, JobStatusCode, Limit, PageNumber};
use crate::response::{Parts, parse_enveloped};

/// What searchJobs matches on: every job, or a keyword in the target URL or
/// the memo (see [`SearchJobs`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SearchBy {
    /// Every job (`searchType: ""`).
    #[default]
    All,
    /// Jobs whose target URL/domain matches the keyword.
    Url(String),
    /// Jobs whose memo matches the keyword.
    Memo(String),
}

/// searchJobs: jobs filtered by URL or memo keyword and status
/// (`POST /api/v1/jobs/search`).
///
/// ```
/// use wsc_core::{SearchBy, SearchJobs};
/// use wsc_core::{JobStatus, Limit, PageNumber};
/// let s = SearchJobs::new(SearchBy::Url("target-domain.com".into()), JobStatus::Completed.code(), Limit::default(), PageNumber::FIRST).unwrap();
/// assert!(SearchJobs::new(SearchBy::Memo("".into()), None, Limit::default(), PageNumber::FIRST).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchJobs {
    by: SearchBy,
    status: Option<JobStatusCode>,
    limit: Limit,
    page: PageNumber,
}

/// Longest keyword accepted.
const MAX_KEYWORD: usize = 1000;

impl SearchJobs {
    /// Validates a search: a URL or memo keyword must be non-empty, at most
    /// 1000 characters and free of control characters.
    pub fn new(
        by: SearchBy,
        status: Option<JobStatusCode>,
        limit: Limit,
        page: PageNumber,
    ) -> Result<Self, InvalidInput> {
        if let SearchBy::Url(k) | SearchBy::Memo(k) = &by {
            if k.trim().is_empty() {
                return Err(InvalidInput::new(
                    "search keyword",
                    "is empty (omit it to search every job)",
                ));
            }
            if k.chars().count() > MAX_KEYWORD {
                return Err(InvalidInput::new(
                    "search keyword",
                    format!("is longer than {MAX_KEYWORD} characters"),
                ));
            }
            if k.chars().any(char::is_control) {
                return Err(InvalidInput::new(
                    "search keyword",
                    "contains control characters",
                ));
            }
        }
        Ok(Self {
            by,
            status,
            limit,
            page,
        })
    }

    /// The same search on another page.
    pub fn with_page(&self, page: PageNumber) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// The page this search asks for.
    pub fn page(&self) -> PageNumber {
        self.page
    }

    /// The page size.
    pub fn limit(&self) -> Limit {
        self.limit
    }
}

/// The wire body: every key always present, `statusCode: null` written out.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "searchType")]
    search_type: &'a str,
    #[serde(rename = "searchKeyword")]
    search_keyword: &'a str,
    #[serde(rename = "statusCode")]
    status_code: Option<JobStatusCode>,
    limit: u32,
    page: u32,
}

impl sealed::Request for SearchJobs {
    fn method(&self) -> Method {
        Method::POST
    }

    fn write_path(&self, out: &mut PathBuilder) {
        out.push_str("/jobs/search");
    }

    fn body(&self) -> Vec<u8> {
        let (search_type, search_keyword) = match &self.by {
            SearchBy::All => ("", ""),
            SearchBy::Url(k) => ("url", k.as_str()),
            SearchBy::Memo(k) => ("memo", k.as_str()),
        };
        let body = Body {
            search_type,
            search_keyword,
            status_code: self.status,
            limit: self.limit.get(),
            page: self.page.get(),
        };
        // Serializing strings and integers into a Vec cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl Operation for SearchJobs {
    type Output = JobPage;
    const KIND: OperationKind = OperationKind::SearchJobs;

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<JobPage, Error> {
        Ok(parse_enveloped(&Parts::of(response), false)?.unwrap_or_default())
    }
}
