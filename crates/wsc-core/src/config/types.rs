//! What resolution takes and gives: the overrides, the resolved values with
//! where each came from, and why resolution can fail.

use std::fmt;

use crate::Credentials;
use crate::endpoint::Endpoint;
use crate::invalid_input::InvalidInput;

/// Values given explicitly (flags, or an embedding program). Start from
/// `Overrides::default()` and set the fields you have.
///
/// ```
/// let mut overrides = wsc_core::config::Overrides::default();
/// overrides.profile = Some("ci".into());
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// A profile name.
    pub profile: Option<String>,
    /// A site.
    pub site: Option<String>,
    /// A base URL.
    pub endpoint: Option<String>,
    /// Credentials (both keys).
    pub credentials: Option<Credentials>,
    /// Only the secret key (e.g. read from stdin); the access key comes from elsewhere.
    pub secret_key: Option<crate::SecretKey>,
}

/// Where a resolved value came from, for messages and `--verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Given explicitly.
    Explicit,
    /// From an environment variable.
    Env(&'static str),
    /// From the profile file, in this profile.
    Profile(String),
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Explicit => f.write_str("command line"),
            Source::Env(var) => write!(f, "environment variable {var}"),
            Source::Profile(p) => write!(f, "profile [{p}] of the configure file"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// The outcome of resolution.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResolvedConfig {
    /// The credentials.
    pub credentials: Credentials,
    /// Where the access key came from.
    pub credentials_source: Source,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Where the endpoint came from.
    pub endpoint_source: Source,
    /// The profile that was selected.
    pub profile: String,
}

/// A configuration problem, with what was looked at and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials anywhere.
    #[error("no credentials found: looked at {looked_at}")]
    MissingCredentials {
        /// A sentence listing the variables and file consulted.
        looked_at: String,
    },
    /// One key of the pair was found, the other was not.
    #[error("incomplete credentials: {found} is set but no {missing} was found")]
    IncompleteCredentials {
        /// What was found (a variable or file key name; never a value).
        found: String,
        /// What is missing.
        missing: String,
    },
    /// The named profile is not in the file.
    #[error("profile [{profile}] not found in {file}{}", if available.is_empty() { String::new() } else { format!(" (available: {})", available.join(", ")) })]
    ProfileNotFound {
        /// The profile asked for.
        profile: String,
        /// The file consulted.
        file: String,
        /// Profiles the file has.
        available: Vec<String>,
    },
    /// A value was found but is invalid.
    #[error("{source_desc}: {error}")]
    Invalid {
        /// Where the value came from.
        source_desc: String,
        /// What is wrong with it.
        error: InvalidInput,
    },
}
