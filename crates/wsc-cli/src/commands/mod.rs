//! One file per command; each returns the exit code of a completed run or a
//! [`Failure`].

pub mod configure;
pub mod create;
pub mod history;
pub mod jobs;
pub mod recover;
pub mod report;
pub mod wait;

use wsc_core::InstanceId;

use crate::exit::Failure;

/// Parses a job id from the command line (plain positive integer).
pub fn parse_id(text: &str) -> Result<InstanceId, Failure> {
    text.trim()
        .parse::<InstanceId>()
        .map_err(|e| Failure::usage(e.to_string()).hint("job ids are the numbers `wsc list` shows"))
}
