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
use wsc_core::transport::TransportError;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A TCP connector that tunnels through the environment's proxy when it applies.
#[derive(Clone)]
pub(crate) struct ProxyAware {
    tcp: HttpConnector,
    matcher: Arc<Matcher>,
}

/// The proxy variables used here: HTTPS goes through a CONNECT tunnel.
const PROXY_VARIABLES: [&str; 4] = ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"];

impl ProxyAware {
    /// Reads `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` once, refusing a
    /// proxy the tunnel could not use (hyper-util's matcher would skip it
    /// and connect directly).
    pub(crate) fn from_env(tcp: HttpConnector) -> Result<Self, TransportError> {
        let env = |name: &str| std::env::var(name).ok();
        wsc_rustls::check_proxy_variables(env, &PROXY_VARIABLES, tunnel_can_use)?;
        Ok(Self {
            tcp,
            matcher: Arc::new(Matcher::from_env()),
        })
    }
}

/// Whether a proxy URL is one the CONNECT tunnel can use: an HTTP(S) proxy
/// with a host (no scheme means `http://`, as hyper-util reads it).
fn tunnel_can_use(value: &str) -> bool {
    let Ok(uri) = value.trim().parse::<Uri>() else {
        return false;
    };
    let httpish = uri
        .scheme()
        .is_none_or(|s| *s == http::uri::Scheme::HTTP || *s == http::uri::Scheme::HTTPS);
    httpish && uri.host().is_some_and(|h| !h.is_empty())
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

#[cfg(test)]
mod tests {
    use super::tunnel_can_use;

    #[test]
    fn only_an_http_proxy_with_a_host_is_usable() {
        for usable in [
            "http://proxy.example:3128",
            "https://u:p@proxy.example",
            "proxy.example:3128",
        ] {
            assert!(tunnel_can_use(usable), "{usable}");
        }
        for unusable in [
            "socks5://proxy.example:1080",
            "http://[bad",
            "http://",
            "not a url",
        ] {
            assert!(!tunnel_can_use(unusable), "{unusable}");
        }
    }
}
