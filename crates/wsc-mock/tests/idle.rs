//! Idle and half-open connections are closed: a few slow clients (silent,
//! half a request head, half a body, idle after a keep-alive request, waiting
//! on a reply that never comes) are all disconnected by the server, and it
//! keeps answering others.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{call, encode, read_head, signed};
use wsc_core::ListJobs;
use wsc_core::sans_io::OperationKind;
use wsc_mock::{Fault, MockConfig, MockServer, Route, When};

fn server() -> MockServer {
    MockServer::start(MockConfig {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(600),
        ..MockConfig::default()
    })
    .unwrap()
}

/// Reads until the server closes the connection; panics if it has not after
/// 20 s (the configured timeouts are under a second).
fn closed_by_server(stream: &mut TcpStream, what: &str) {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return,
            // Hyper may answer 408 to a partial head before closing.
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
            Err(e) => panic!("{what}: the server kept the connection open ({e})"),
        }
    }
}

fn connect(s: &MockServer) -> TcpStream {
    TcpStream::connect(s.addr()).unwrap()
}

#[test]
fn slow_and_idle_connections_are_closed() {
    let s = server();
    let request = encode(&s.addr().to_string(), &signed(&s, &ListJobs::default()));
    let head_end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap();

    let silent = connect(&s);

    let mut half_head = connect(&s);
    half_head.write_all(&request[..head_end / 2]).unwrap();

    let mut half_body = connect(&s);
    half_body
        .write_all(
            b"PUT /api/v1/job HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"startUrl\"",
        )
        .unwrap();

    let mut keep_alive = connect(&s);
    let text = String::from_utf8(request.clone()).unwrap();
    keep_alive
        .write_all(
            text.replace("connection: close", "connection: keep-alive")
                .as_bytes(),
        )
        .unwrap();
    keep_alive
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let (head, mut body) = read_head(&mut keep_alive).unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    let mut buf = [0u8; 4096];
    while body.len() < length {
        let n = keep_alive.read(&mut buf).unwrap();
        assert!(n > 0);
        body.extend_from_slice(&buf[..n]);
    }

    s.inject(
        Route::Op(OperationKind::ListJobs),
        When::Next(1),
        Fault::NeverAnswer,
    );
    let mut unanswered = connect(&s);
    unanswered.write_all(&request).unwrap();

    let mut streams = [
        ("silent", silent),
        ("half a head", half_head),
        ("half a body", half_body),
        ("idle keep-alive", keep_alive),
        ("never answered", unanswered),
    ];
    for (what, stream) in &mut streams {
        closed_by_server(stream, what);
    }
    // Every task has ended (bounded wait: 100 × 50 ms).
    for _ in 0..100 {
        if s.open_connections() == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(s.open_connections(), 0);
    assert!(s.connections_accepted() >= 5);
    // Others are still served.
    assert_eq!(call(&s, &ListJobs::default()).unwrap().status, 200);
}

#[test]
fn a_tls_handshake_that_never_comes_is_closed() {
    let s = MockServer::start(MockConfig {
        tls: true,
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(600),
        ..MockConfig::default()
    })
    .unwrap();
    let mut silent = connect(&s);
    closed_by_server(&mut silent, "silent TLS client");
}
