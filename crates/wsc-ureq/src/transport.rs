//! The agent: TLS roots, proxy, pool, and one request within one timeout.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use rustls::pki_types::CertificateDer;
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};
use wsc_core::transport::TransportError;
use wsc_core::transport::{
    AttemptLimits, DefaultTransport, HttpClient, TransportOptions, TrustRoots,
};

use crate::classify::classify;

/// Sends WSC requests with a [`ureq::Agent`].
///
/// The default stack reads no trust store until its first HTTPS request: an
/// `http://` endpoint never reads one, and an HTTPS one reads it once.
#[derive(Debug, Clone)]
pub struct Transport {
    agents: Arc<Agents>,
}

#[derive(Debug)]
enum Agents {
    /// The caller's agent, for every request.
    Given(ureq::Agent),
    /// The default stack: one agent for `http://`, and one for `https://`
    /// built at the first HTTPS request, when the trust roots are read.
    Default {
        setup: Setup,
        plain: ureq::Agent,
        tls: OnceLock<ureq::Agent>,
    },
}

/// What the default agents are built from.
#[derive(Debug)]
struct Setup {
    connect_timeout: Duration,
    max_idle_per_host: usize,
    trust_roots: TrustRoots,
    /// The extra bundle, parsed when the transport was built.
    extra: Vec<CertificateDer<'static>>,
}

impl Transport {
    /// Uses a caller-built agent as is (pool, proxy, TLS); each request still
    /// refuses redirects and reads error statuses as responses.
    pub fn from_agent(agent: ureq::Agent) -> Self {
        Self {
            agents: Arc::new(Agents::Given(agent)),
        }
    }

    /// The agent for `uri`'s scheme.
    fn agent_for(&self, uri: &http::Uri) -> &ureq::Agent {
        match &*self.agents {
            Agents::Given(agent) => agent,
            Agents::Default { setup, plain, tls } => {
                if uri.scheme() == Some(&http::uri::Scheme::HTTPS) {
                    tls.get_or_init(|| setup.agent(setup.root_certs()))
                } else {
                    plain
                }
            }
        }
    }
}

impl DefaultTransport for Transport {
    /// rustls (ring) trusting `trust_roots` (by default the operating
    /// system's store, read from one source at the first HTTPS request; the
    /// bundled webpki roots when it is empty) plus `extra_ca_pem`, parsed
    /// here; proxies from `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`; no
    /// redirects.
    fn from_options(options: &TransportOptions) -> Result<Self, TransportError> {
        let env = |name: &str| std::env::var(name).ok();
        wsc_rustls::check_proxy_variables(env, &PROXY_VARIABLES, |v| ureq::Proxy::new(v).is_ok())?;
        let setup = Setup {
            connect_timeout: options.connect_timeout,
            max_idle_per_host: options.max_idle_per_host,
            trust_roots: options.trust_roots,
            extra: match options.extra_ca_pem.as_deref() {
                Some(pem) => wsc_rustls::parse_bundle(pem)?,
                None => Vec::new(),
            },
        };
        // Never used for TLS: plain HTTP reads no roots.
        let plain = setup.agent(RootCerts::WebPki);
        Ok(Self {
            agents: Arc::new(Agents::Default {
                setup,
                plain,
                tls: OnceLock::new(),
            }),
        })
    }
}

impl Setup {
    fn agent(&self, roots: RootCerts) -> ureq::Agent {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(roots)
            .build();
        ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(ureq::Proxy::try_from_env())
            .timeout_connect(Some(self.connect_timeout))
            .max_idle_connections(self.max_idle_per_host.max(1).saturating_mul(2))
            .max_idle_connections_per_host(self.max_idle_per_host.max(1))
            .max_idle_age(Duration::from_secs(30))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .build()
            .into()
    }

    /// The roots to trust (see [`wsc_rustls::certificates`]).
    fn root_certs(&self) -> RootCerts {
        let certs = wsc_rustls::certificates(self.trust_roots, &self.extra);
        let certs = certs
            .iter()
            .map(|der| Certificate::from_der(der).to_owned());
        RootCerts::Specific(Arc::new(certs.collect()))
    }
}

/// The proxy variables ureq reads, in its order; one it could not use would
/// be skipped silently.
const PROXY_VARIABLES: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

impl HttpClient for Transport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let agent = self.agent_for(request.uri());
        let request = agent
            .configure_request(request)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            // One budget for the whole attempt, name resolution included.
            .timeout_per_call(Some(limits.timeout))
            .build();
        let classify = |e| classify(e, limits.timeout);
        let (parts, mut body) = agent.run(request).map_err(classify)?.into_parts();
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
