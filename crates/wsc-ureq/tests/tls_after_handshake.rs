//! A TLS failure after the request was written is "may have arrived", never
//! "not sent": a billed createJob must not be sent again on its strength.
//! Only a failed handshake proves nothing was written.
//!
//! A loopback proxy between the client and wsc-mock (HTTPS) forwards the TLS
//! records untouched until the client has sent its request, then corrupts
//! the next record the server sends: the service acted, and the client's
//! rustls fails to decrypt the reply.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use wsc_core::CreateJob;
use wsc_core::sans_io::OperationKind;
use wsc_core::transport::Delivery;
use wsc_core::{Endpoint, Error, Timeouts};
use wsc_mock::{MockConfig, MockServer};
use wsc_ureq::Client;

/// TLS content type of application data (in TLS 1.3, every encrypted record).
const APPLICATION_DATA: u8 = 23;

/// Reads one TLS record (header and payload); `None` at the end of the stream.
fn read_record(from: &mut TcpStream) -> Option<Vec<u8>> {
    let mut header = [0u8; 5];
    from.read_exact(&mut header).ok()?;
    let len = u16::from_be_bytes([header[3], header[4]]) as usize;
    let mut record = header.to_vec();
    record.resize(5 + len, 0);
    from.read_exact(&mut record[5..]).ok()?;
    Some(record)
}

/// A proxy to `upstream` that corrupts the first server record after the
/// client's request on the first connection. Returns its port and the
/// number of records it corrupted.
fn corrupting_proxy(upstream: std::net::SocketAddr) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let corrupted = Arc::new(AtomicUsize::new(0));
    let count = corrupted.clone();
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().take(8).enumerate() {
            let Ok(mut client) = client else { return };
            let Ok(mut server) = TcpStream::connect(upstream) else {
                return;
            };
            let request_sent = Arc::new(AtomicBool::new(false));
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let flag = request_sent.clone();
            // Client to server: the client's Finished is its first encrypted
            // record; the request follows it.
            std::thread::spawn(move || {
                let mut encrypted = 0;
                while let Some(record) = read_record(&mut c_read) {
                    if record[0] == APPLICATION_DATA {
                        encrypted += 1;
                        if encrypted >= 2 {
                            flag.store(true, Ordering::SeqCst);
                        }
                    }
                    if s_write.write_all(&record).is_err() {
                        break;
                    }
                }
                let _ = s_write.shutdown(Shutdown::Write);
            });
            let count = count.clone();
            std::thread::spawn(move || {
                let mut done = false;
                while let Some(mut record) = read_record(&mut server) {
                    if n == 0 && !done && request_sent.load(Ordering::SeqCst) {
                        let last = record.len() - 1;
                        record[last] ^= 0x5a;
                        done = true;
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    if client.write_all(&record).is_err() {
                        break;
                    }
                }
                let _ = client.shutdown(Shutdown::Write);
            });
        }
    });
    (port, corrupted)
}

fn via(server: &MockServer, port: u16, trust: bool) -> Client {
    let base = server.base_url();
    let (scheme_host, _) = base.rsplit_once(':').unwrap();
    let endpoint = Endpoint::parse(&format!("{scheme_host}:{port}")).unwrap();
    let mut builder = Client::builder(server.credentials(), endpoint).timeouts(
        Timeouts::default()
            .with_attempt(Duration::from_secs(5))
            .with_overall(Duration::from_secs(10)),
    );
    if trust {
        builder = builder.ca_bundle_pem(server.ca_pem().unwrap().as_bytes().to_vec());
    }
    builder.build().unwrap()
}

#[test]
fn a_tls_failure_after_the_request_was_written_may_have_started_the_scan() {
    let server = MockServer::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .unwrap();
    let addr = server
        .base_url()
        .rsplit_once("//")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let (port, corrupted) = corrupting_proxy(addr);
    let client = via(&server, port, true);
    let op = CreateJob::builder("https://shop.example.com")
        .build()
        .unwrap();

    let error = client.create_job(&op).unwrap_err();

    assert_eq!(
        corrupted.load(Ordering::SeqCst),
        1,
        "the proxy corrupted no record"
    );
    // The corrupted record may be one the server sent before it finished
    // handling the request: give the service a moment to act on it.
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while server.served(OperationKind::CreateJob) == 0 && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.served(OperationKind::CreateJob), 1, "sent once");
    match &error {
        Error::Transport(t) => assert_eq!(t.delivery, Delivery::MaybeSent, "{error:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(error.may_have_reached_service(), "{error}");
    assert_eq!(server.job_ids().len(), 1, "the service acted on it");
}

#[test]
fn a_failed_handshake_proves_nothing_was_sent() {
    let server = MockServer::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .unwrap();
    let addr = server
        .base_url()
        .rsplit_once("//")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let (port, _) = corrupting_proxy(addr);
    // The mock's certificate is not trusted: the handshake fails.
    let client = via(&server, port, false);
    let op = CreateJob::builder("https://shop.example.com")
        .build()
        .unwrap();

    let error = client.create_job(&op).unwrap_err();

    assert!(!error.may_have_reached_service(), "{error:?}");
    assert_eq!(server.served(OperationKind::CreateJob), 0);
}
