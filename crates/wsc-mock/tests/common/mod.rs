//! A minimal blocking HTTP/1.1 client over `std::net::TcpStream`, so these tests
//! drive the mock with plain bytes and no client library in the way.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime};

use wsc_core::sans_io::ClockSkew;
use wsc_core::sans_io::{Operation, build_request};
use wsc_core::{Credentials, Endpoint};
use wsc_mock::MockServer;

/// What came back: status, headers, body, and whether the connection ended early.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub complete: bool,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn to_http(&self) -> http::Response<Vec<u8>> {
        let mut b = http::Response::builder().status(self.status);
        for (n, v) in &self.headers {
            b = b.header(n, v);
        }
        b.body(self.body.clone()).unwrap()
    }
}

/// Sends `req` and reads the response; `Err` when no status line arrived.
pub fn send(addr: SocketAddr, req: &http::Request<Vec<u8>>) -> Result<Raw, String> {
    let mut stream = write_request(addr, req, Duration::from_secs(10))?;
    let mut bytes = Vec::new();
    let read_ok = stream.read_to_end(&mut bytes).is_ok();
    parse(&bytes, read_ok)
}

/// Connects, writes `req` (with `connection: close`) and returns the stream,
/// whose reads give up after `read_timeout`.
pub fn write_request(
    addr: SocketAddr,
    req: &http::Request<Vec<u8>>,
    read_timeout: Duration,
) -> Result<TcpStream, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(read_timeout)).unwrap();
    stream
        .write_all(&encode(&addr.to_string(), req))
        .map_err(|e| e.to_string())?;
    Ok(stream)
}

/// `req` as HTTP/1.1 bytes for `host`, with `connection: close`.
pub fn encode(host: &str, req: &http::Request<Vec<u8>>) -> Vec<u8> {
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n",
        req.method(),
        target
    );
    for (n, v) in req.headers() {
        head.push_str(&format!("{n}: {}\r\n", v.to_str().unwrap()));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", req.body().len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(req.body());
    bytes
}

/// Reads until the end of the response head (or EOF, or the read timeout):
/// the head's text and any body bytes that came with it.
pub fn read_head(stream: &mut TcpStream) -> Result<(String, Vec<u8>), String> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            return Ok((head, bytes[end + 4..].to_vec()));
        }
        match stream.read(&mut buf) {
            Ok(0) => return Err(format!("closed after {} bytes", bytes.len())),
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) => return Err(format!("{e} after {} bytes", bytes.len())),
        }
    }
}

/// Builds and signs (now) `op` for the mock.
pub fn signed<O: Operation>(server: &MockServer, op: &O) -> http::Request<Vec<u8>> {
    let endpoint = Endpoint::parse(server.base_url()).unwrap();
    build_request(
        op,
        &endpoint,
        &server.credentials(),
        ClockSkew::NONE.timestamp(SystemTime::now()),
    )
    .unwrap()
}

/// Parses a whole response as received; `read_ok` says the read ended cleanly.
pub fn parse_bytes(bytes: &[u8], read_ok: bool) -> Result<Raw, String> {
    parse(bytes, read_ok)
}

fn parse(bytes: &[u8], read_ok: bool) -> Result<Raw, String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("connection closed before a response")?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|e| e.to_string())?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("bad status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut complete = read_ok;
    if chunked {
        let (decoded, ok) = dechunk(&body);
        body = decoded;
        complete &= ok;
    } else if let Some(len) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        complete &= body.len() >= len;
        body.truncate(len);
    }
    Ok(Raw {
        status,
        headers,
        body,
        complete,
    })
}

fn dechunk(mut data: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") else {
            return (out, false);
        };
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end]).unwrap_or("x").trim(),
            16,
        );
        let Ok(size) = size else { return (out, false) };
        if size == 0 {
            return (out, true);
        }
        let start = line_end + 2;
        if data.len() < start + size {
            out.extend_from_slice(&data[start..]);
            return (out, false);
        }
        out.extend_from_slice(&data[start..start + size]);
        data = &data[(start + size + 2).min(data.len())..];
    }
}

/// Builds, signs (now) and sends an operation to the mock.
pub fn call<O: Operation>(server: &MockServer, op: &O) -> Result<Raw, String> {
    call_as(server, op, &server.credentials(), SystemTime::now())
}

pub fn call_as<O: Operation>(
    server: &MockServer,
    op: &O,
    creds: &Credentials,
    at: SystemTime,
) -> Result<Raw, String> {
    let endpoint = Endpoint::parse(server.base_url()).unwrap();
    let req = build_request(op, &endpoint, creds, ClockSkew::NONE.timestamp(at)).unwrap();
    send(server.addr(), &req)
}

/// Calls and parses with the core's own parser.
pub fn parsed<O: Operation>(server: &MockServer, op: &O) -> Result<O::Output, wsc_core::Error> {
    let raw = call(server, op).expect("a response");
    op.parse_response(&raw.to_http())
}

/// A blocking rustls client for the mock's HTTPS.
pub mod tls {
    use std::net::{SocketAddr, TcpStream};
    use std::sync::Arc;
    use std::time::Duration;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

    /// A client trusting exactly the CAs in `pems`.
    pub fn client(pems: &[&str]) -> Arc<ClientConfig> {
        let mut roots = RootCertStore::empty();
        for pem in pems {
            roots
                .add(CertificateDer::from_pem_slice(pem.as_bytes()).unwrap())
                .unwrap();
        }
        #[allow(deprecated)] // ring: no post-quantum key exchange, none needed on loopback
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }

    /// Connects and completes the TLS handshake as `name`.
    pub fn handshake(
        addr: SocketAddr,
        config: Arc<ClientConfig>,
        name: &str,
    ) -> Result<StreamOwned<ClientConnection, TcpStream>, rustls::Error> {
        let tcp = TcpStream::connect(addr).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let name = ServerName::try_from(name.to_owned()).unwrap();
        let mut stream = StreamOwned::new(ClientConnection::new(config, name).unwrap(), tcp);
        while stream.conn.is_handshaking() {
            if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
                return Err(match e.into_inner() {
                    Some(inner) => match inner.downcast::<rustls::Error>() {
                        Ok(tls) => *tls,
                        Err(other) => rustls::Error::General(other.to_string()),
                    },
                    None => rustls::Error::General("i/o error during the handshake".into()),
                });
            }
        }
        Ok(stream)
    }
}
