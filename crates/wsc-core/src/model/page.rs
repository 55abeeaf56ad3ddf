use serde::{Deserialize, Serialize};

use super::{JobRecord, wire};
use crate::invalid_input::InvalidInput;

/// Records per page (`limit`): 1 to [`Limit::MAX`].
///
/// ```
/// use wsc_core::Limit;
/// assert_eq!(Limit::new(20).unwrap().get(), 20);
/// assert!(Limit::new(0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Limit(u32);

impl Limit {
    /// The largest page size this client asks for (the API publishes no maximum;
    /// see `docs/api-notes.md`).
    pub const MAX: u32 = 100;
    /// The documented default page size.
    pub const DEFAULT: Limit = Limit(20);

    /// Validates a page size.
    pub fn new(limit: u32) -> Result<Self, InvalidInput> {
        if (1..=Self::MAX).contains(&limit) {
            Ok(Self(limit))
        } else {
            Err(InvalidInput::new(
                "limit",
                format!("must be between 1 and {}, got {limit}", Self::MAX),
            ))
        }
    }

    /// The value.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A 1-based page number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PageNumber(u32);

impl PageNumber {
    /// The first page.
    pub const FIRST: PageNumber = PageNumber(1);

    /// Validates a page number (1 or more).
    pub fn new(page: u32) -> Result<Self, InvalidInput> {
        if page == 0 {
            Err(InvalidInput::new(
                "page",
                "must be 1 or more (pages are numbered from 1)",
            ))
        } else {
            Ok(Self(page))
        }
    }

    /// The value.
    pub fn get(self) -> u32 {
        self.0
    }

    /// The following page, if it does not overflow.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }
}

impl Default for PageNumber {
    fn default() -> Self {
        Self::FIRST
    }
}

/// One page of getJobs/searchJobs results, as the wire has it: it reads the
/// wire and is not written back (a program's own output has its own types),
/// so no serialized page can be read back as an empty one.
///
/// ```compile_fail
/// fn serializable<T: serde::Serialize>() {}
/// serializable::<wsc_core::JobPage>(); // wire types only deserialize
/// ```
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct JobPage {
    /// `total_cnt`: records across all pages.
    #[serde(
        rename = "total_cnt",
        deserialize_with = "wire::deserialize_optional_u64",
        default
    )]
    pub total_count: Option<u64>,
    /// `total_page_cnt`: the last page number.
    #[serde(
        rename = "total_page_cnt",
        deserialize_with = "wire::deserialize_optional_u64",
        default
    )]
    pub total_pages: Option<u64>,
    /// `current_start_page`: first page of the current 10-page block.
    #[serde(
        rename = "current_start_page",
        deserialize_with = "wire::deserialize_optional_u64",
        default
    )]
    pub block_start_page: Option<u64>,
    /// `current_end_page`: last page of the current 10-page block.
    #[serde(
        rename = "current_end_page",
        deserialize_with = "wire::deserialize_optional_u64",
        default
    )]
    pub block_end_page: Option<u64>,
    /// `record_data` (`null` or missing → empty).
    #[serde(rename = "record_data", deserialize_with = "records_or_null", default)]
    pub records: Vec<JobRecord>,
}

fn records_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<JobRecord>, D::Error> {
    Ok(Option::<Vec<JobRecord>>::deserialize(d)?.unwrap_or_default())
}
