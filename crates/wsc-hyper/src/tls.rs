//! The default stack's TLS: rustls with ring, trusting the chosen roots plus
//! the extra bundle, with the trust store read at the first TLS handshake
//! (so that an `http://` endpoint never reads it, and an HTTPS one reads it
//! once per transport).
//!
//! The verification itself is rustls's own `WebPkiServerVerifier`; what is
//! here only decides *when* its roots are loaded.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use wsc_core::client::{OsTrustStore, TransportOptions, TrustRoots};
use wsc_core::error::{Delivery, TransportError, TransportFailureKind};

/// The crypto provider: the one the program installed as the process default
/// (`CryptoProvider::install_default`, e.g. aws-lc-rs with post-quantum key
/// exchange), else ring's. rustls deprecates ring's provider because it has
/// no post-quantum key exchange; ring stays the default here because it
/// builds everywhere this crate does (static musl, no cmake), and a program
/// that wants post-quantum key exchange installs its provider, or passes its
/// own `rustls::ClientConfig`.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default().cloned().unwrap_or_else(|| {
        #[allow(deprecated)]
        let ring = rustls::crypto::ring::default_provider();
        Arc::new(ring)
    })
}

/// The client configuration for `options`; the extra bundle is parsed here,
/// so that an unusable one fails before anything is sent.
pub(crate) fn client_config(
    options: &TransportOptions,
) -> Result<rustls::ClientConfig, TransportError> {
    let provider = provider();
    let extra = match options.extra_ca_pem.as_deref() {
        Some(pem) => parse_bundle(pem)?,
        None => Vec::new(),
    };
    let verifier = LazyRoots {
        trust_roots: options.trust_roots,
        extra,
        provider: provider.clone(),
        verifier: OnceLock::new(),
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup_error(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// rustls's web PKI verifier, built with its roots at the first handshake.
#[derive(Debug)]
struct LazyRoots {
    trust_roots: TrustRoots,
    extra: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
    verifier: OnceLock<Result<Arc<WebPkiServerVerifier>, rustls::Error>>,
}

impl LazyRoots {
    fn verifier(&self) -> Result<&Arc<WebPkiServerVerifier>, rustls::Error> {
        self.verifier
            .get_or_init(|| {
                let roots = Arc::new(self.root_store());
                WebPkiServerVerifier::builder_with_provider(roots, self.provider.clone())
                    .build()
                    .map_err(|e| rustls::Error::General(format!("no usable trust roots: {e}")))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The chosen roots (the bundled webpki roots when the operating
    /// system's store is empty) plus the extra bundle.
    fn root_store(&self) -> RootCertStore {
        let mut store = RootCertStore::empty();
        if self.trust_roots != TrustRoots::WebPki {
            store.add_parsable_certificates(os_roots());
        }
        if store.is_empty() {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        store.add_parsable_certificates(self.extra.iter().cloned());
        store
    }
}

impl ServerCertVerifier for LazyRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The operating system's certificates, from the one source
/// [`OsTrustStore::locate`] chooses.
fn os_roots() -> Vec<CertificateDer<'static>> {
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

/// The certificates of an extra PEM bundle; none, or a broken one, is an error.
fn parse_bundle(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TransportError> {
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

pub(crate) fn setup_error(detail: String) -> TransportError {
    TransportError::new(TransportFailureKind::Setup, Delivery::NotSent, detail)
}
