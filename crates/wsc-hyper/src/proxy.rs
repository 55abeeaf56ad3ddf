//! The connector under TLS: HTTPS destinations go through the proxy the
//! environment names (a CONNECT tunnel), everything else connects directly.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A TCP connector that tunnels through the environment's proxy when it applies.
#[derive(Clone)]
pub(crate) struct ProxyAware {
    tcp: HttpConnector,
    matcher: Arc<Matcher>,
}

impl ProxyAware {
    /// Reads `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` once.
    pub(crate) fn from_env(tcp: HttpConnector) -> Self {
        Self {
            tcp,
            matcher: Arc::new(Matcher::from_env()),
        }
    }
}

fn is_loopback(uri: &Uri) -> bool {
    let host = uri.host().unwrap_or_default().trim_matches(['[', ']']);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Service<Uri> for ProxyAware {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let https = dst.scheme() == Some(&http::uri::Scheme::HTTPS);
        let intercept = (https && !is_loopback(&dst))
            .then(|| self.matcher.intercept(&dst))
            .flatten();
        let mut tcp = self.tcp.clone();
        match intercept {
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), tcp);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move { tunnel.call(dst).await.map_err(Into::into) })
            }
            None => Box::pin(async move { tcp.call(dst).await.map_err(Into::into) }),
        }
    }
}
