//! # wsc-rustls — the TLS trust the Web Security Checker adapters share
//!
//! One place for what every default HTTP stack of this project trusts:
//!
//! - [`certificates`]: the roots as DER certificates, for a stack that takes
//!   a list (ureq);
//! - [`client_config`]: a `rustls::ClientConfig` whose roots are read at its
//!   first handshake, for a stack that takes a configuration (hyper,
//!   reqwest), so that an `http://` endpoint never reads a trust store;
//! - [`parse_bundle`]: an extra PEM bundle, refused when it holds no usable
//!   certificate, before anything is sent;
//! - [`check_proxy_variables`]: beside the trust, the other setup a default
//!   stack must refuse rather than skip: a proxy variable it cannot use.
//!
//! The roots are those [`TrustRoots`] names: the operating system's store,
//! read from the one source [`OsTrustStore::locate`] chooses, or the Mozilla
//! roots compiled in (`webpki-root-certs`), which also stand in for an empty
//! system store. The verification itself is rustls's own.
//!
//! ```
//! use wsc_core::transport::{TransportOptions, TrustRoots};
//! // The compiled-in roots: no file is read.
//! let roots = wsc_rustls::certificates(TrustRoots::WebPki, &[]);
//! assert!(roots.len() > 100);
//! // An extra bundle that holds no certificate is refused.
//! assert!(wsc_rustls::parse_bundle(b"not a certificate").is_err());
//! let config = wsc_rustls::client_config(&TransportOptions::default())?;
//! assert!(config.alpn_protocols.is_empty());
//! # Ok::<(), wsc_core::transport::TransportError>(())
//! ```

mod lazy;
mod proxy;
mod store;

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use wsc_core::transport::{Delivery, TransportError, TransportFailureKind};
use wsc_core::transport::{TransportOptions, TrustRoots};

pub use proxy::check_proxy_variables;
pub use rustls;
pub use store::OsTrustStore;

/// The crypto provider: the one the program installed as the process default
/// (`CryptoProvider::install_default`, e.g. aws-lc-rs with post-quantum key
/// exchange), else ring's. rustls deprecates ring's provider because it has
/// no post-quantum key exchange; ring stays the default here because it
/// builds everywhere this project does (static musl, no cmake), and a
/// program that wants post-quantum key exchange installs its provider.
pub fn provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default().cloned().unwrap_or_else(|| {
        #[allow(deprecated)]
        let ring = rustls::crypto::ring::default_provider();
        Arc::new(ring)
    })
}

/// The roots to trust, as certificates: those `roots` names (the bundled
/// ones when the operating system's store is empty), then `extra`. Reads the
/// system's store (files, or the platform's) for [`TrustRoots::Os`].
pub fn certificates(
    roots: TrustRoots,
    extra: &[CertificateDer<'static>],
) -> Vec<CertificateDer<'static>> {
    let mut certs = match roots {
        TrustRoots::WebPki => Vec::new(),
        _ => os_certificates(),
    };
    if certs.is_empty() {
        certs = webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec();
    }
    certs.extend(extra.iter().cloned());
    certs
}

/// A client configuration trusting `options.trust_roots` plus
/// `options.extra_ca_pem` (parsed here, so an unusable bundle fails before
/// anything is sent), with the roots read at the first handshake.
pub fn client_config(options: &TransportOptions) -> Result<rustls::ClientConfig, TransportError> {
    let provider = provider();
    let extra = match options.extra_ca_pem.as_deref() {
        Some(pem) => parse_bundle(pem)?,
        None => Vec::new(),
    };
    let verifier = lazy::LazyRoots::new(options.trust_roots, extra, provider.clone());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup_error(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// The certificates of an extra PEM bundle; none usable, or a broken one,
/// is a setup error (nothing was sent).
pub fn parse_bundle(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TransportError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| setup_error(format!("unusable CA bundle: {e}")))?;
    let (usable, _) = RootCertStore::empty().add_parsable_certificates(certs.iter().cloned());
    if usable == 0 {
        return Err(setup_error(
            "unusable CA bundle: no usable PEM certificate in it".into(),
        ));
    }
    Ok(certs)
}

/// Whether a TLS error proves the request was never written. Only errors
/// rustls raises while verifying the server or negotiating, before the
/// handshake completes (and so before a stack writes the request), do; anything
/// else — a bad record, an alert, a decryption failure — can come while the
/// response is read, after the request was written.
pub fn handshake_delivery(error: &rustls::Error) -> Delivery {
    use rustls::Error as R;
    match error {
        R::InvalidCertificate(_)
        | R::NoCertificatesPresented
        | R::UnsupportedNameType
        | R::InvalidCertRevocationList(_)
        | R::PeerIncompatible(_)
        | R::HandshakeNotComplete => Delivery::NotSent,
        _ => Delivery::MaybeSent,
    }
}

/// A failure to set a stack up: nothing was sent.
pub fn setup_error(detail: String) -> TransportError {
    TransportError::new(TransportFailureKind::Setup, Delivery::NotSent, detail)
}

/// The operating system's certificates, from the one source
/// [`OsTrustStore::locate`] chooses.
fn os_certificates() -> Vec<CertificateDer<'static>> {
    let probe = openssl_probe::probe();
    match OsTrustStore::locate(probe.cert_file, probe.cert_dir, std::path::Path::is_file) {
        OsTrustStore::File(file) => {
            rustls_native_certs::load_certs_from_paths(Some(&file), None).certs
        }
        OsTrustStore::Dirs(dirs) => dirs
            .iter()
            .flat_map(|dir| rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs)
            .collect(),
        _ => rustls_native_certs::load_native_certs().certs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn an_extra_bundle_is_added_after_the_chosen_roots() {
        let extra = parse_bundle(ca_pem().as_bytes()).unwrap();
        assert_eq!(extra.len(), 1);
        let all = certificates(TrustRoots::WebPki, &extra);
        assert_eq!(
            all.len(),
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 1
        );
        assert_eq!(all.last(), extra.first());
    }

    #[test]
    fn an_unusable_bundle_is_a_setup_error_that_sent_nothing() {
        for pem in [
            &b""[..],
            b"garbage",
            b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        ] {
            let error = parse_bundle(pem).unwrap_err();
            assert_eq!(error.kind, TransportFailureKind::Setup);
            assert_eq!(error.delivery, Delivery::NotSent);
            assert!(error.to_string().contains("unusable CA bundle"), "{error}");
        }
    }

    #[test]
    fn a_config_with_a_broken_bundle_is_refused_at_once() {
        let mut options = TransportOptions::default();
        options.extra_ca_pem = Some(b"garbage".to_vec());
        assert!(client_config(&options).is_err());
        options.extra_ca_pem = Some(ca_pem().into_bytes());
        assert!(client_config(&options).is_ok());
    }
}
