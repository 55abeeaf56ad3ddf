//! Paging, finding one job, and waiting for a job to end: the client's loops
//! around the sans-IO [`Pager`], [`JobFinder`] and [`Waiter`].

use std::time::{Duration, Instant};

use crate::client::asynchronous::AsyncClient;
use crate::client::http::AsyncHttpClient;
use crate::error::UnexpectedResponse;
use crate::operations::Paged;
use crate::paging::{JobFinder, Pager};
use crate::wait::{WaitEnd, WaitOptions, WaitReport, WaitStep, Waiter};
use crate::{Error, InstanceId, JobRecord, PageNumber};

/// Every record of a paged query, as [`AsyncClient::all_pages`] returns it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AllPages {
    /// The records, without duplicates, in the order served.
    pub records: Vec<JobRecord>,
    /// True when the walk stopped at a cap, or on a repeated page, before the
    /// last page the server announced: records may be missing.
    pub truncated: bool,
    /// The total the server reported, if it did.
    pub reported_total: Option<u64>,
}

impl<H: AsyncHttpClient> AsyncClient<H> {
    /// Every record of a paged query, from its page onwards, without
    /// duplicates; `on_page` sees each page number and the server's page
    /// count as it is fetched. Bounded: at most 500 pages and 10 000 records
    /// ([`AllPages::truncated`] says when it stopped early).
    pub async fn all_pages<P>(
        &self,
        query: &P,
        mut on_page: impl FnMut(PageNumber, Option<u64>),
    ) -> Result<AllPages, Error>
    where
        P: Paged,
    {
        let mut pager = Pager::new(query.page_number());
        let mut records = Vec::new();
        while let Some(page) = pager.next_page() {
            let fetched = self.execute(&query.at_page(page)).await?;
            on_page(page, fetched.total_pages);
            records.extend(pager.observe(fetched));
        }
        Ok(AllPages {
            records,
            truncated: pager.truncated(),
            reported_total: pager.reported_total(),
        })
    }

    /// Finds one job by id, paging through getJobs (100 per page). `Ok(None)`
    /// means every page was seen without it; a walk that stopped early (the
    /// server repeated a page, or the cap of 500 pages was reached) is an
    /// [`Error::UnexpectedResponse`], as the job's absence then proves nothing.
    pub async fn find_job(&self, id: InstanceId) -> Result<Option<JobRecord>, Error> {
        self.find_job_until(id, None).await
    }

    async fn find_job_until(
        &self,
        id: InstanceId,
        stop: Option<Instant>,
    ) -> Result<Option<JobRecord>, Error> {
        let mut finder = JobFinder::new(id);
        while let Some(query) = finder.next_query() {
            let page = self.execute_until(&query, stop).await?;
            if let Some(found) = finder.observe(page) {
                return Ok(Some(found));
            }
        }
        if finder.truncated() {
            return Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: http::StatusCode::OK,
                content_type: None,
                reason: format!(
                    "the job listing repeated a page or passed the paging cap before job {id} was found; \
                     its absence proves nothing"
                ),
                json_path: None,
                excerpt: String::new(),
            }));
        }
        Ok(None)
    }

    /// Waits for a job to end, polling with `options`; `on_progress` sees
    /// every record polled. The wait's timeout bounds every poll too: a
    /// request still running at the deadline ends it ([`WaitEnd::TimedOut`]).
    /// Never cancels or stops the scan.
    pub async fn wait(
        &self,
        id: InstanceId,
        options: WaitOptions,
        mut on_progress: impl FnMut(&JobRecord),
    ) -> Result<WaitReport, Error> {
        let clock = &self.shared.clock;
        let origin = clock.now().instant();
        let elapsed = || clock.now().instant().saturating_duration_since(origin);
        let stop = options.timeout().and_then(|t| origin.checked_add(t));
        let mut waiter = Waiter::new(options, Duration::ZERO);
        let mut last = None;
        let mut polls = 0;
        loop {
            let record = match self.find_job_until(id, stop).await {
                Ok(record) => record,
                Err(_) if stop.is_some_and(|s| clock.now().instant() >= s) => {
                    return Ok(WaitReport::new(WaitEnd::TimedOut, last, polls));
                }
                Err(error) => return Err(error),
            };
            polls += 1;
            if let Some(r) = &record {
                on_progress(r);
                last = Some(r.clone());
            }
            match waiter.observe(elapsed(), record.as_ref()) {
                WaitStep::PollAt(at) => self.shared.clock.pause(at.saturating_sub(elapsed())).await,
                WaitStep::Done(outcome) => {
                    return Ok(WaitReport::new(WaitEnd::Finished(outcome), last, polls));
                }
                WaitStep::TimedOut { .. } => {
                    return Ok(WaitReport::new(WaitEnd::TimedOut, last, polls));
                }
                WaitStep::NotFound => return Ok(WaitReport::new(WaitEnd::NotFound, last, polls)),
            }
        }
    }
}
