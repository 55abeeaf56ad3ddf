//! Walking every page of getJobs/searchJobs: a pure iterator state.
//!
//! The shell asks [`Pager::next_page`] which page to fetch, fetches it, and gives
//! the page to [`Pager::observe`], which returns only records not seen before.
//! Bounded against a server that keeps inventing pages: the walk stops at the
//! last page the *first* page announced (`total_page_cnt`), on an empty page,
//! on a page that brings nothing new (a repeated page), or at a hard cap of
//! [`DEFAULT_MAX_PAGES`] pages or [`MAX_RECORDS`] records. Whenever it stops
//! before the announced end — a repeated page or a cap — [`Pager::truncated`]
//! says so, so nothing is silently lost. Totals that shift between pages can
//! repeat records; they never cause a duplicate.

use std::collections::HashSet;

use crate::model::{InstanceId, JobPage, JobRecord, PageNumber};

/// The default cap on pages fetched by one walk.
pub const DEFAULT_MAX_PAGES: u32 = 500;

/// The cap on records gathered by one walk.
pub const MAX_RECORDS: usize = 10_000;

/// The state of one walk through the pages.
#[derive(Debug, Clone)]
pub struct Pager {
    next: Option<PageNumber>,
    seen: HashSet<InstanceId>,
    fetched: u32,
    max_pages: u32,
    truncated: bool,
    total: Option<u64>,
    /// The last page, as the first page fetched announced it.
    last_page: Option<u64>,
}

impl Pager {
    /// Starts a walk at `first`.
    pub fn new(first: PageNumber) -> Self {
        Self::with_max_pages(first, DEFAULT_MAX_PAGES)
    }

    /// Starts a walk that fetches at most `max_pages` pages.
    pub fn with_max_pages(first: PageNumber, max_pages: u32) -> Self {
        Self {
            next: Some(first),
            seen: HashSet::new(),
            fetched: 0,
            max_pages: max_pages.max(1),
            truncated: false,
            total: None,
            last_page: None,
        }
    }

    /// The page to fetch next, or `None` when the walk is over.
    pub fn next_page(&self) -> Option<PageNumber> {
        self.next
    }

    /// True when the walk stopped at the page cap while more pages remained.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The latest `total_cnt` reported by the server.
    pub fn reported_total(&self) -> Option<u64> {
        self.total
    }

    /// Feeds the page just fetched; returns its records not seen before.
    pub fn observe(&mut self, page: JobPage) -> Vec<JobRecord> {
        let Some(current) = self.next else {
            return Vec::new();
        };
        self.fetched += 1;
        self.total = page.total_count.or(self.total);
        let was_empty = page.records.is_empty();
        let fresh: Vec<JobRecord> = page
            .records
            .into_iter()
            .filter(|r| self.seen.insert(r.instance_no))
            .collect();
        let last_page = *self.last_page.get_or_insert(page.total_pages.unwrap_or(0));
        let announced_more = u64::from(current.get()) < last_page;
        let repeated = !was_empty && fresh.is_empty();
        let capped = self.fetched >= self.max_pages || self.seen.len() >= MAX_RECORDS;
        self.next = match current.next() {
            Some(next) if announced_more && !was_empty && !repeated && !capped => Some(next),
            _ => None,
        };
        self.truncated |= announced_more && (repeated || capped);
        fresh
    }
}

/// Finding one job by id: walks getJobs pages (100 per page) until the id
/// shows up or the pages end.
#[derive(Debug, Clone)]
pub struct JobFinder {
    id: InstanceId,
    pager: Pager,
    found: bool,
}

impl JobFinder {
    /// Starts looking for `id`.
    pub fn new(id: InstanceId) -> Self {
        Self {
            id,
            pager: Pager::new(PageNumber::FIRST),
            found: false,
        }
    }

    /// The next page to fetch, or `None` when every page was seen.
    pub fn next_query(&self) -> Option<crate::operations::ListJobs> {
        if self.found {
            return None;
        }
        let limit = crate::Limit::new(crate::Limit::MAX).ok()?;
        self.pager
            .next_page()
            .map(|page| crate::operations::ListJobs::new(limit, page))
    }

    /// True when the walk stopped early (a repeated page, or the cap) while
    /// the server announced more pages: the job's absence then proves nothing.
    pub fn truncated(&self) -> bool {
        !self.found && self.pager.truncated()
    }

    /// Feeds a fetched page; returns the job when it is on it.
    pub fn observe(&mut self, page: JobPage) -> Option<JobRecord> {
        let found = self
            .pager
            .observe(page)
            .into_iter()
            .find(|r| r.instance_no == self.id);
        self.found |= found.is_some();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[u64], total_pages: u64) -> JobPage {
        let records: Vec<_> = ids
            .iter()
            .map(|i| serde_json::json!({"instanceNo": i.to_string()}))
            .collect();
        serde_json::from_value(serde_json::json!({"total_page_cnt": total_pages, "total_cnt": 99, "record_data": records})).unwrap()
    }

    #[test]
    fn a_finder_stopped_by_a_repeated_page_says_so() {
        let mut finder = JobFinder::new(InstanceId::new(9).unwrap());
        let mut walked = 0;
        while finder.next_query().is_some() && walked < 10 {
            walked += 1;
            assert!(finder.observe(page(&[1, 2], 3)).is_none());
        }
        assert!(finder.truncated(), "walked {walked} pages");

        let mut finder = JobFinder::new(InstanceId::new(9).unwrap());
        assert!(finder.observe(page(&[1, 2], 1)).is_none());
        assert!(finder.next_query().is_none() && !finder.truncated());
    }

    #[test]
    fn walks_to_the_last_page() {
        let mut p = Pager::new(PageNumber::FIRST);
        let mut all = Vec::new();
        for ids in [[1, 2], [3, 4], [5, 6]] {
            assert!(p.next_page().is_some());
            all.extend(
                p.observe(page(&ids, 3))
                    .into_iter()
                    .map(|r| r.instance_no.get()),
            );
        }
        assert_eq!(all, [1, 2, 3, 4, 5, 6]);
        assert_eq!(p.next_page(), None);
        assert!(!p.truncated());
    }

    #[test]
    fn shifting_totals_cause_no_duplicates_and_no_endless_loop() {
        let mut p = Pager::new(PageNumber::FIRST);
        // A new job arrives between pages: page 2 repeats record 2.
        assert_eq!(p.observe(page(&[1, 2], 5)).len(), 2);
        assert_eq!(p.observe(page(&[2, 3], 5)).len(), 1);
        // A server that keeps returning the same page is stopped, and the
        // walk says it is incomplete.
        assert_eq!(p.observe(page(&[2, 3], 5)).len(), 0);
        assert_eq!(p.next_page(), None);
        assert!(p.truncated());
    }

    #[test]
    fn pages_announced_after_the_first_are_not_followed() {
        let mut p = Pager::new(PageNumber::FIRST);
        p.observe(page(&[1], 2));
        // The second page claims a thousand pages: the walk still ends here.
        p.observe(page(&[2], 1000));
        assert_eq!(p.next_page(), None);
        assert!(!p.truncated());
    }

    #[test]
    fn a_server_inventing_pages_is_capped_by_records() {
        let mut p = Pager::new(PageNumber::FIRST);
        let mut fetched = 0u64;
        while p.next_page().is_some() {
            let ids: Vec<u64> = (fetched * 100..fetched * 100 + 100)
                .map(|i| i + 1)
                .collect();
            p.observe(page(&ids, u64::from(u32::MAX)));
            fetched += 1;
        }
        assert_eq!(fetched, 100, "10,000 records at 100 a page");
        assert!(p.truncated());
    }

    #[test]
    fn an_empty_page_ends_the_walk() {
        let mut p = Pager::new(PageNumber::FIRST);
        p.observe(page(&[], 10));
        assert_eq!(p.next_page(), None);
    }

    #[test]
    fn the_page_cap_is_reported_not_silent() {
        let mut p = Pager::with_max_pages(PageNumber::FIRST, 2);
        p.observe(page(&[1], 5));
        p.observe(page(&[2], 5));
        assert_eq!(p.next_page(), None);
        assert!(p.truncated());
    }
}
