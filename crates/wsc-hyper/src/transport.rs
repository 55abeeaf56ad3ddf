//! The stack: hyper-util's pooled client, rustls, and one exchange within one
//! timeout on tokio.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;
use wsc_core::transport::TransportError;
use wsc_core::transport::{AsyncHttpClient, AttemptLimits, DefaultTransport, TransportOptions};

use crate::classify;
use crate::proxy::ProxyAware;

type Exchange<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'a>>;

/// Any hyper-util client, behind one object-safe call.
trait Send1: Send + Sync {
    fn exchange(&self, request: http::Request<Full<Bytes>>, max_body: usize) -> Exchange<'_>;
}

impl<C> Send1 for HyperClient<C, Full<Bytes>>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    fn exchange(&self, request: http::Request<Full<Bytes>>, max_body: usize) -> Exchange<'_> {
        Box::pin(async move {
            let response = self.request(request).await.map_err(classify::request)?;
            let (parts, body) = response.into_parts();
            let collected = Limited::new(body, max_body)
                .collect()
                .await
                .map_err(classify::body)?;
            Ok(http::Response::from_parts(parts, collected.to_bytes()))
        })
    }
}

/// Sends WSC requests with a hyper-util client on tokio.
#[derive(Clone)]
pub struct Transport {
    http: Arc<dyn Send1>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl Transport {
    /// Uses a caller-built hyper-util client as is (connector, pool, proxy, TLS).
    pub fn from_hyper<C>(client: HyperClient<C, Full<Bytes>>) -> Self
    where
        C: Connect + Clone + Send + Sync + 'static,
    {
        Self {
            http: Arc::new(client),
        }
    }
}

impl DefaultTransport for Transport {
    /// rustls (ring) trusting `trust_roots` (by default the operating
    /// system's store, read from one source at the first TLS handshake; the
    /// bundled webpki roots when it is empty) plus `extra_ca_pem`, parsed
    /// here; HTTPS through the proxy named by
    /// `HTTPS_PROXY`/`ALL_PROXY` (CONNECT) unless `NO_PROXY` or a loopback
    /// host says otherwise; hyper-util's pool; redirects are never followed.
    fn from_options(options: &TransportOptions) -> Result<Self, TransportError> {
        Self::with_tls_config(wsc_rustls::client_config(options)?, options)
    }
}

impl Transport {
    /// The default stack (proxies, pool, timeouts from `options`) over your
    /// own rustls configuration: your roots or verifier, your crypto
    /// provider. `options.trust_roots` and `options.extra_ca_pem` are not
    /// used; the configuration decides what is trusted. Fails, sending
    /// nothing, on a proxy variable the tunnel could not use.
    ///
    /// ```no_run
    /// # fn roots() -> rustls::RootCertStore { rustls::RootCertStore::empty() }
    /// use wsc_core::transport::TransportOptions;
    /// // The process's default provider (ring's, from rustls's features).
    /// let tls = rustls::ClientConfig::builder()
    ///     .with_root_certificates(roots())
    ///     .with_no_client_auth();
    /// let transport = wsc_hyper::Transport::with_tls_config(tls, &TransportOptions::default())?;
    /// # Ok::<(), wsc_core::transport::TransportError>(())
    /// ```
    pub fn with_tls_config(
        tls: rustls::ClientConfig,
        options: &TransportOptions,
    ) -> Result<Self, TransportError> {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(options.connect_timeout));
        tcp.set_nodelay(true);
        let connector: HttpsConnector<ProxyAware> = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(ProxyAware::from_env(tcp)?);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(options.max_idle_per_host)
            .build(connector);
        Ok(Self::from_hyper(client))
    }
}

impl AsyncHttpClient for Transport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: AttemptLimits,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let exchange = self.http.exchange(
            request.map(|body| Full::new(Bytes::from(body))),
            limits.max_body_bytes,
        );
        match tokio::time::timeout(limits.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(classify::timed_out(limits.timeout)),
        }
    }

    fn name(&self) -> &'static str {
        "hyper"
    }
}
