//! What goes wrong when a create journal cannot record a create.

use crate::error::sanitize_server_text;

/// A [`CreateJournal`](crate::journal::CreateJournal) could not record a
/// create before it was sent, so it was **not sent**: no scan was started,
/// nothing was billed. Comes back as
/// [`CreateOutcome::NotStarted`](crate::CreateOutcome::NotStarted) with
/// [`NotStartedReason::NotSent`](crate::NotStartedReason::NotSent).
///
/// ```
/// use wsc_core::error::JournalError;
/// let error = JournalError::from(std::io::Error::other("disk full"));
/// assert_eq!(error.kind(), std::io::ErrorKind::Other);
/// assert_eq!(error.to_string(), "the create journal cannot record the create: disk full");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the create journal cannot record the create: {message}")]
pub struct JournalError {
    kind: std::io::ErrorKind,
    message: String,
}

impl JournalError {
    /// The kind of the journal's I/O failure.
    pub fn kind(&self) -> std::io::ErrorKind {
        self.kind
    }

    /// The journal's own words (one line, bounded).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<std::io::Error> for JournalError {
    fn from(error: std::io::Error) -> Self {
        Self {
            kind: error.kind(),
            message: sanitize_server_text(&error.to_string()),
        }
    }
}
