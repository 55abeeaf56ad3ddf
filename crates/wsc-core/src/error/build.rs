//! What can go wrong while a client is configured and built: found before
//! anything is sent, and never by a call.

use crate::config::ConfigError;
use crate::error::TransportError;

/// Why a client could not be configured or built. Nothing was sent.
///
/// [`config::resolve`](crate::config::resolve) fails with a
/// [`ConfigError`]; [`ClientBuilder::build`](crate::ClientBuilder::build)
/// (and `Client::new`) with [`BuildError::Setup`]. Both convert, so one
/// function can do both with `?`:
///
/// ```
/// use std::collections::HashMap;
/// use wsc_core::config::{self, Overrides};
/// use wsc_core::error::BuildError;
/// use wsc_core::transport::DryRun;
///
/// fn client(env: &HashMap<String, String>) -> Result<wsc_core::Client<DryRun>, BuildError> {
///     let config = config::resolve(&Overrides::default(), env, None)?;
///     Ok(wsc_core::Client::builder(config.credentials, config.endpoint).build_with(DryRun::named("dry-run")))
/// }
/// let error = client(&HashMap::new()).unwrap_err(); // no credentials anywhere
/// assert!(matches!(error, BuildError::Config(_)), "{error}");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Credentials, profile or endpoint could not be resolved.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The HTTP stack could not be set up as configured: an unusable extra
    /// CA bundle, a malformed proxy URL (a [`TransportError`] of kind
    /// [`Setup`](crate::transport::TransportFailureKind::Setup)).
    #[error(transparent)]
    Setup(#[from] TransportError),
}
