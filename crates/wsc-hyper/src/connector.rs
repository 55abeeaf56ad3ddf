//! The default HTTP stack: rustls with the ring provider and webpki roots,
//! proxies from the environment, and a bounded single-origin pool.

use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use wsc_core::Endpoint;
use wsc_core::error::{Delivery, TransportError, TransportFailureKind};

use crate::http_send::Stack;
use crate::pool::{OriginPool, PoolLimits};

/// Idle connections kept per host by the default stack: at least the number of
/// calls an application runs at once, or every response beyond it closes its
/// connection and the next call pays a new TCP (and TLS) handshake.
pub(crate) const DEFAULT_MAX_IDLE_PER_HOST: usize = 128;

/// How long an idle connection is kept for reuse (servers commonly close
/// theirs after 60 s or more).
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds the default stack for `endpoint`.
pub(crate) fn default_stack(
    endpoint: &Endpoint,
    connect_timeout: Duration,
    max_idle_per_host: usize,
) -> Result<Stack, TransportError> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(connect_timeout));
    http.set_nodelay(true);

    let builder = || {
        hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| {
                TransportError::new(TransportFailureKind::Tls, Delivery::NotSent, e.to_string())
            })
    };
    let limits = PoolLimits {
        max_idle: max_idle_per_host,
        idle_timeout: IDLE_TIMEOUT,
    };

    // A proxy from HTTPS_PROXY/ALL_PROXY/NO_PROXY applies to https endpoints
    // through a CONNECT tunnel; loopback endpoints are never proxied.
    let target: http::Uri = endpoint.to_string().parse().unwrap_or_default();
    let intercept = (endpoint.is_https() && !endpoint.is_loopback())
        .then(|| hyper_util::client::proxy::matcher::Matcher::from_env().intercept(&target))
        .flatten();
    if let Some(intercept) = intercept {
        let mut tunnel =
            hyper_util::client::legacy::connect::proxy::Tunnel::new(intercept.uri().clone(), http);
        if let Some(auth) = intercept.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        let https = builder()?
            .https_or_http()
            .enable_http1()
            .wrap_connector(tunnel);
        return Ok(Stack::Tunneled(OriginPool::new(https, &target, limits)?));
    }
    let https = builder()?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Stack::Direct(OriginPool::new(https, &target, limits)?))
}
