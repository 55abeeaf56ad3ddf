//! Which certificate authorities a default HTTP stack trusts, and where the
//! operating system keeps them: the policy every adapter shares. The adapters
//! do the reading, once, when their first HTTPS connection is made; an
//! `http://` endpoint never reads a trust store at all.

/// The roots a default stack trusts, on top of any extra bundle
/// ([`ClientBuilder::ca_bundle_pem`](crate::client::ClientBuilder::ca_bundle_pem)).
///
/// To trust something else altogether (a `rustls::ClientConfig` of your own,
/// a platform verifier), build the stack yourself and pass it to
/// [`ClientBuilder::build_with`](crate::client::ClientBuilder::build_with).
///
/// ```
/// use wsc_core::transport::{TransportOptions, TrustRoots};
/// assert_eq!(TransportOptions::default().trust_roots, TrustRoots::Os);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustRoots {
    /// The operating system's store (one source: a bundle file, else the
    /// hashed directories, else the platform's own), read at the first
    /// HTTPS connection; the bundled webpki roots when it holds none.
    #[default]
    Os,
    /// The Mozilla roots compiled into the program (`webpki-roots`): no file
    /// is read, the same roots on every machine.
    WebPki,
}
