//! The error for caller input rejected before anything is built or sent.
//!
//! A leaf module (it depends on nothing else in the crate), so that `config`,
//! `endpoint` and the operations can reject input without depending on the
//! crate's error enum, which in turn wraps configuration errors.

/// A field of the caller's input that was rejected, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("invalid {field}: {reason}")]
pub struct InvalidInput {
    /// The field that was rejected (`start URL`, `limit`, `instance id`, ...).
    pub field: &'static str,
    /// Why, in words that never include a secret value.
    pub reason: String,
}

impl InvalidInput {
    /// A new input error for `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}
