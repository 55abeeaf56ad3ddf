//! A minimal loopback server that answers every request with one canned
//! response, checking nothing: the fixed point that throughput benchmarks
//! compare clients against (any server work would dilute the comparison).

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A running canned server; stops when dropped.
pub struct CannedServer {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for CannedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CannedServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl CannedServer {
    /// Serves `body` (as `application/json`, status 200) on 127.0.0.1, with
    /// `threads` runtime worker threads.
    pub fn start(body: Vec<u8>, threads: usize) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let body = Bytes::from(body);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("wsc-canned")
            .enable_all()
            .build()?;
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("wsc-canned-accept".into()).spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                let body = Arc::new(body);
                loop {
                    tokio::select! {
                        _ = &mut rx => return,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let _ = stream.set_nodelay(true);
                            let body = body.clone();
                            tokio::spawn(async move {
                                let service = service_fn(move |_req| {
                                    let body = (*body).clone();
                                    async move {
                                        let mut resp = http::Response::new(Full::new(body));
                                        resp.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json;charset=UTF-8"));
                                        Ok::<_, std::convert::Infallible>(resp)
                                    }
                                });
                                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                            });
                        }
                    }
                }
            });
            runtime.shutdown_background();
        })?;
        Ok(Self {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A getJobs page of `records` records with the wire's quirks, for benchmarks.
pub fn sample_page(records: usize) -> Vec<u8> {
    let items: Vec<String> = (0..records)
        .map(|i| {
            format!(
                r#"{{"instanceNo":"{}","start_date":"2024-07-10 13:42:38","end_date":"","status":"{}","progress":{},"start_url":"https://site{i}.example.com","crawl_cnt":"{}","scan_cnt":"","memo":"","result_button":"report","result_desc":"","rescan_button":"","slave_data":null}}"#,
                1_234_567_000 + i,
                if i % 2 == 0 { "진단 완료" } else { "URL 수집중" },
                if i % 2 == 0 { "\"100\"".to_owned() } else { "null".to_owned() },
                40 + i
            )
        })
        .collect();
    format!(
        r#"{{"returnCode":"0","returnDesc":"Request Success","returnMessage":"Success","resources":{{"total_cnt":{records},"total_page_cnt":1,"current_start_page":1,"current_end_page":1,"record_data":[{}]}}}}"#,
        items.join(",")
    )
    .into_bytes()
}
