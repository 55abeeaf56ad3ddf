//! Keep-alive connections to the one origin a client talks to.
//!
//! A [`crate::Client`] is bound to a single endpoint, so its pool needs no
//! per-host map: idle HTTP/1 connections wait on a stack (the most recently
//! used, most likely still open, comes out first). Each exchange takes one,
//! sends, reads the body and puts it back. Compared with hyper-util's
//! general-purpose pool this saves, per request, the hashed host lookup, the
//! `Host` header formatted anew, and the task spawned to wait for the
//! connection to become idle again (see `docs/performance.md`, #5).
//!
//! A request that a reused connection could not even start writing (the
//! server closed it while idle) moves on to another connection; one that may
//! have been written is never sent twice from here; that decision belongs to
//! the core's retry policy.

use std::error::Error as StdError;
use std::future::poll_fn;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::uri::{Parts, Uri};
use http::{HeaderValue, Request, Response};
use http_body_util::Full;
use hyper::client::conn::http1::{self, SendRequest};
use tower_service::Service;
use tracing::debug;
use wsc_core::error::{Delivery, TransportError, TransportFailureKind};

use crate::http_send::read_body;
use crate::transport_error;

type Sender = SendRequest<Full<Bytes>>;

/// An idle connection and when it became idle.
struct Idle {
    sender: Sender,
    since: Instant,
}

/// How many idle connections to keep, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolLimits {
    /// Idle connections kept at most; a connection returned to a full pool is closed.
    pub(crate) max_idle: usize,
    /// An idle connection older than this is closed instead of reused.
    pub(crate) idle_timeout: Duration,
}

/// A pool of HTTP/1 connections to one origin, opened with `C`.
pub(crate) struct OriginPool<C> {
    connector: C,
    /// `scheme://authority`: what the connector is asked to reach.
    origin: Uri,
    /// The `Host` header, computed once.
    host: HeaderValue,
    limits: PoolLimits,
    idle: Mutex<Vec<Idle>>,
}

impl<C> OriginPool<C>
where
    C: Service<Uri> + Clone + Send + Sync + 'static,
    C::Response: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    C::Future: Send,
    C::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    /// A pool for the origin of `target` (any URI with a scheme and host).
    pub(crate) fn new(
        connector: C,
        target: &Uri,
        limits: PoolLimits,
    ) -> Result<Self, TransportError> {
        let invalid = || {
            TransportError::new(
                TransportFailureKind::Connect,
                Delivery::NotSent,
                format!("cannot connect to `{target}`: it has no scheme or host"),
            )
        };
        let (Some(scheme), Some(authority)) = (target.scheme(), target.authority()) else {
            return Err(invalid());
        };
        let mut parts = Parts::default();
        parts.scheme = Some(scheme.clone());
        parts.authority = Some(authority.clone());
        parts.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
        let origin = Uri::from_parts(parts).map_err(|_| invalid())?;
        // The port is named only when it is not the scheme's default, as
        // browsers and hyper-util do.
        let default_port = if *scheme == http::uri::Scheme::HTTPS {
            443
        } else {
            80
        };
        let host = match authority.port_u16() {
            Some(port) if port != default_port => format!("{}:{port}", authority.host()),
            _ => authority.host().to_owned(),
        };
        let host = HeaderValue::from_str(&host).map_err(|_| invalid())?;
        Ok(Self {
            connector,
            origin,
            host,
            limits,
            idle: Mutex::new(Vec::new()),
        })
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Idle>> {
        // The guarded list stays consistent even if a holder panicked.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The most recently returned connection that is still open and fresh.
    fn checkout(&self) -> Option<Sender> {
        let mut idle = self.idle();
        while let Some(entry) = idle.pop() {
            if !entry.sender.is_closed() && entry.since.elapsed() <= self.limits.idle_timeout {
                return Some(entry.sender);
            }
        }
        None
    }

    /// Returns a connection whose last response was read in full.
    fn checkin(&self, sender: Sender) {
        if sender.is_closed() || self.limits.max_idle == 0 {
            return;
        }
        let now = Instant::now();
        let timeout = self.limits.idle_timeout;
        let mut idle = self.idle();
        // The bottom of the stack is the longest idle: when it has expired,
        // sweep (closing each expired connection by dropping it).
        if idle
            .first()
            .is_some_and(|e| now.duration_since(e.since) > timeout)
        {
            idle.retain(|e| now.duration_since(e.since) <= timeout);
        }
        if idle.len() < self.limits.max_idle {
            idle.push(Idle { sender, since: now });
        }
    }

    /// The `Host` header requests to this origin carry.
    pub(crate) fn host(&self) -> &HeaderValue {
        &self.host
    }

    /// Opens a new connection and starts driving it on the runtime.
    async fn connect(&self) -> Result<Sender, TransportError> {
        let mut connector = self.connector.clone();
        poll_fn(|cx| connector.poll_ready(cx))
            .await
            .map_err(|e| transport_error::classify_connect(&*e.into()))?;
        let io = connector
            .call(self.origin.clone())
            .await
            .map_err(|e| transport_error::classify_connect(&*e.into()))?;
        let (sender, connection) = http1::handshake(io)
            .await
            .map_err(|e| transport_error::classify_connect(&e))?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                debug!(%error, "wsc connection ended with an error");
            }
        });
        Ok(sender)
    }

    /// The request as HTTP/1 sends it to an origin: a path-only target and a
    /// `Host` header (normally already there: see `Stack::host_header`).
    fn origin_form(&self, request: Request<Full<Bytes>>) -> Request<Full<Bytes>> {
        let (mut head, body) = request.into_parts();
        let path = std::mem::take(&mut head.uri).into_parts().path_and_query;
        let mut parts = Parts::default();
        parts.path_and_query = path;
        head.uri = Uri::from_parts(parts).unwrap_or_else(|_| Uri::from_static("/"));
        // `contains_key` first: `entry` reserves room for an insert even
        // when the header is there, regrowing the (full) map every time.
        if !head.headers.contains_key(http::header::HOST) {
            head.headers.insert(http::header::HOST, self.host.clone());
        }
        Request::from_parts(head, body)
    }

    /// Sends `request` on an idle connection, or a new one, and reads the
    /// response body, failing once it passes `max_body` bytes.
    pub(crate) async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        max_body: usize,
    ) -> Result<Response<Bytes>, TransportError> {
        let mut request = self.origin_form(request);
        while let Some(mut sender) = self.checkout() {
            if sender.ready().await.is_err() {
                continue; // closed while idle
            }
            match sender.try_send_request(request).await {
                Ok(response) => return self.finish(sender, response, max_body).await,
                Err(mut failed) => match failed.take_message() {
                    Some(unsent) => {
                        debug!(
                            "an idle connection closed before the request was written; trying another"
                        );
                        request = unsent;
                    }
                    None => return Err(transport_error::classify_send(failed.error(), true)),
                },
            }
        }
        // Boxed: a fresh connection (TCP, TLS, handshake) is the rare path,
        // and its large future would otherwise size every exchange's.
        Box::pin(self.run_fresh(request, max_body)).await
    }

    /// Sends `request` on a new connection.
    async fn run_fresh(
        &self,
        request: Request<Full<Bytes>>,
        max_body: usize,
    ) -> Result<Response<Bytes>, TransportError> {
        let mut sender = self.connect().await?;
        if let Err(error) = sender.ready().await {
            return Err(transport_error::classify_send(&error, false));
        }
        match sender.try_send_request(request).await {
            Ok(response) => self.finish(sender, response, max_body).await,
            Err(mut failed) => {
                let written = failed.take_message().is_none();
                Err(transport_error::classify_send(failed.error(), written))
            }
        }
    }

    async fn finish(
        &self,
        sender: Sender,
        response: Response<hyper::body::Incoming>,
        max_body: usize,
    ) -> Result<Response<Bytes>, TransportError> {
        // A body that failed or was cut short leaves the connection in an
        // unknown state: it is dropped (closed) with `sender`.
        let response = read_body(response, max_body).await?;
        self.checkin(sender);
        Ok(response)
    }

    #[cfg(test)]
    fn idle_count(&self) -> usize {
        self.idle().len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use hyper_util::client::legacy::connect::HttpConnector;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A raw HTTP/1.1 server on loopback: answers `{}` to each request and,
    /// when `close_after_each` is set, then closes the connection without
    /// saying so (as a server whose idle timeout fired would). Returns its
    /// address, the connections accepted, and the request heads it read.
    async fn raw_server(
        close_after_each: bool,
    ) -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let accepted = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (accepted.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    loop {
                        let Ok(n) = stream.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head: Vec<u8> = buf.drain(..end + 4).collect();
                            seen.lock()
                                .unwrap()
                                .push(String::from_utf8_lossy(&head).into());
                            let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
                            if stream.write_all(reply).await.is_err() || close_after_each {
                                return;
                            }
                        }
                    }
                });
            }
        });
        (addr, accepted, heads)
    }

    fn pool(addr: &str, limits: PoolLimits) -> OriginPool<HttpConnector> {
        let target: Uri = format!("http://{addr}/prefix/api/v1").parse().unwrap();
        OriginPool::new(HttpConnector::new(), &target, limits).unwrap()
    }

    const ROOMY: PoolLimits = PoolLimits {
        max_idle: 8,
        idle_timeout: Duration::from_secs(30),
    };

    fn get(addr: &str) -> Request<Full<Bytes>> {
        Request::get(format!("http://{addr}/prefix/api/v1/jobs?limit=20&page=1"))
            .body(Full::new(Bytes::new()))
            .unwrap()
    }

    #[tokio::test]
    async fn sequential_exchanges_share_one_connection_in_origin_form() {
        let (addr, accepted, heads) = raw_server(false).await;
        let pool = pool(&addr, ROOMY);
        for _ in 0..5 {
            let response = pool.exchange(get(&addr), 1024).await.unwrap();
            assert_eq!(response.body().as_ref(), b"{}");
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
        assert_eq!(pool.idle_count(), 1);
        let heads = heads.lock().unwrap();
        assert_eq!(heads.len(), 5);
        assert!(
            heads[0].starts_with("GET /prefix/api/v1/jobs?limit=20&page=1 HTTP/1.1\r\n"),
            "{}",
            heads[0]
        );
        assert!(
            heads[0]
                .to_ascii_lowercase()
                .contains(&format!("\r\nhost: {addr}\r\n")),
            "{}",
            heads[0]
        );
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_while_idle_is_replaced() {
        let (addr, accepted, _) = raw_server(true).await;
        let pool = pool(&addr, ROOMY);
        for _ in 0..3 {
            pool.exchange(get(&addr), 1024).await.unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn expired_connections_are_not_reused() {
        let (addr, accepted, _) = raw_server(false).await;
        let pool = pool(
            &addr,
            PoolLimits {
                max_idle: 8,
                idle_timeout: Duration::from_millis(1),
            },
        );
        for _ in 0..3 {
            pool.exchange(get(&addr), 1024).await.unwrap();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
        // The sweep on return closed the expired ones: only the last is kept.
        assert_eq!(pool.idle_count(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_pool_keeps_at_most_max_idle() {
        let (addr, _, _) = raw_server(false).await;
        let shared = Arc::new(pool(
            &addr,
            PoolLimits {
                max_idle: 2,
                idle_timeout: Duration::from_secs(30),
            },
        ));
        let calls: Vec<_> = (0..6)
            .map(|_| {
                let (pool, addr) = (shared.clone(), addr.clone());
                tokio::spawn(async move { pool.exchange(get(&addr), 1024).await.map(|_| ()) })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
        assert!(shared.idle_count() <= 2, "{}", shared.idle_count());
        let none = pool(
            &addr,
            PoolLimits {
                max_idle: 0,
                idle_timeout: Duration::from_secs(30),
            },
        );
        none.exchange(get(&addr), 1024).await.unwrap();
        assert_eq!(none.idle_count(), 0);
    }

    #[tokio::test]
    async fn an_oversized_body_fails_and_its_connection_is_not_kept() {
        let (addr, _, _) = raw_server(false).await;
        let pool = pool(&addr, ROOMY);
        let err = pool.exchange(get(&addr), 1).await.unwrap_err();
        assert_eq!(err.kind, TransportFailureKind::BodyTooLarge);
        assert_eq!(pool.idle_count(), 0);
    }

    #[tokio::test]
    async fn a_refused_connection_was_never_sent() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let err = pool(&addr, ROOMY)
            .exchange(get(&addr), 1024)
            .await
            .unwrap_err();
        assert_eq!(err.kind, TransportFailureKind::Connect);
        assert_eq!(err.delivery, Delivery::NotSent);
    }

    #[test]
    fn the_host_header_names_only_a_non_default_port() {
        let host = |uri: &str| {
            OriginPool::new(HttpConnector::new(), &uri.parse().unwrap(), ROOMY)
                .unwrap()
                .host
        };
        assert_eq!(host("https://wsc.example.com/api/v1"), "wsc.example.com");
        assert_eq!(host("https://wsc.example.com:443/"), "wsc.example.com");
        assert_eq!(
            host("https://wsc.example.com:8443/"),
            "wsc.example.com:8443"
        );
        assert_eq!(host("http://127.0.0.1:80/"), "127.0.0.1");
        assert_eq!(host("http://[::1]:8080/"), "[::1]:8080");
        assert!(
            OriginPool::new(HttpConnector::new(), &"/relative".parse().unwrap(), ROOMY).is_err()
        );
    }
}
