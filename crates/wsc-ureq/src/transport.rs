//! The agent: TLS roots, proxy, pool, and one request within one timeout.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};
use wsc_core::client::{AttemptLimits, DefaultTransport, HttpClient, TransportOptions};
use wsc_core::error::{Delivery, TransportError, TransportFailureKind};

use crate::classify::classify;

/// Sends WSC requests with a [`ureq::Agent`].
#[derive(Debug, Clone)]
pub struct Transport {
    agent: ureq::Agent,
}

impl Transport {
    /// Uses a caller-built agent as is (pool, proxy, TLS); each request still
    /// refuses redirects and reads error statuses as responses.
    pub fn from_agent(agent: ureq::Agent) -> Self {
        Self { agent }
    }
}

impl DefaultTransport for Transport {
    /// rustls (ring) trusting the operating system's store plus
    /// `extra_ca_pem` (the bundled webpki roots when the system store is
    /// empty and no bundle is given); proxies from `HTTPS_PROXY`, `ALL_PROXY`
    /// and `NO_PROXY`; no redirects.
    fn from_options(options: &TransportOptions) -> Result<Self, TransportError> {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(root_certs(options.extra_ca_pem.as_deref())?)
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(ureq::Proxy::try_from_env())
            .timeout_connect(Some(options.connect_timeout))
            .max_idle_connections(options.max_idle_per_host.max(1).saturating_mul(2))
            .max_idle_connections_per_host(options.max_idle_per_host.max(1))
            .max_idle_age(Duration::from_secs(30))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .build()
            .into();
        Ok(Self { agent })
    }
}

/// The operating system's certificates plus the extra bundle.
fn root_certs(extra_pem: Option<&[u8]>) -> Result<RootCerts, TransportError> {
    let mut roots: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .into_iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if let Some(pem) = extra_pem {
        let before = roots.len();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => roots.push(cert),
                Ok(_) => {}
                Err(e) => return Err(bad_bundle(e.to_string())),
            }
        }
        if roots.len() == before {
            return Err(bad_bundle("no PEM certificate in it".into()));
        }
    }
    Ok(if roots.is_empty() {
        RootCerts::WebPki
    } else {
        RootCerts::Specific(Arc::new(roots))
    })
}

fn bad_bundle(why: String) -> TransportError {
    TransportError::new(
        TransportFailureKind::Tls,
        Delivery::NotSent,
        format!("unusable CA bundle: {why}"),
    )
}

impl HttpClient for Transport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let request = self
            .agent
            .configure_request(request)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            // One budget for the whole attempt, name resolution included.
            .timeout_per_call(Some(limits.timeout))
            .build();
        let classify = |e| classify(e, limits.timeout);
        let (parts, mut body) = self.agent.run(request).map_err(classify)?.into_parts();
        let bytes = body
            .with_config()
            .limit(limits.max_body_bytes as u64)
            .read_to_vec()
            .map_err(classify)?;
        Ok(http::Response::from_parts(parts, Bytes::from(bytes)))
    }

    fn name(&self) -> &'static str {
        "ureq"
    }
}
