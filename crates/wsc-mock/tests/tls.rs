//! `MockConfig::tls`: HTTPS with a certificate from a CA generated at start-up.
//! A rustls client that trusts that CA completes the handshake and gets
//! answers; one that does not trust it is refused.

mod common;

use std::io::{Read, Write};

use common::tls::{client, handshake};
use wsc_core::ListJobs;
use wsc_core::sans_io::Operation;
use wsc_mock::{MockConfig, MockServer};

fn tls_server() -> MockServer {
    MockServer::start(MockConfig {
        tls: true,
        preload_demo_jobs: true,
        ..MockConfig::default()
    })
    .unwrap()
}

#[test]
fn a_client_trusting_the_ca_lists_jobs_over_https() {
    let server = tls_server();
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let ca = server.ca_pem().unwrap();
    for name in ["127.0.0.1", "localhost"] {
        let mut stream = handshake(server.addr(), client(&[ca]), name)
            .unwrap_or_else(|e| panic!("handshake as {name}: {e}"));
        assert_eq!(
            stream.conn.alpn_protocol(),
            Some(&b"http/1.1"[..]),
            "{name}"
        );
        let req = common::signed(&server, &ListJobs::default());
        stream
            .write_all(&common::encode(&server.addr().to_string(), &req))
            .unwrap();
        let mut bytes = Vec::new();
        // The server may close without close_notify after `connection: close`.
        let _ = stream.read_to_end(&mut bytes);
        let raw = common::parse_bytes(&bytes, true).unwrap();
        assert_eq!(raw.status, 200, "{name}");
        let page = ListJobs::default().parse_response(&raw.to_http()).unwrap();
        assert_eq!(page.records.len(), 5, "{name}");
    }
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_client_without_the_ca_is_refused() {
    let server = tls_server();
    let other = tls_server();
    let other_ca = other.ca_pem().unwrap();
    assert_ne!(
        Some(other_ca),
        server.ca_pem(),
        "each server has its own CA"
    );
    for trusted in [&[][..], &[other_ca][..]] {
        let err = handshake(server.addr(), client(trusted), "127.0.0.1")
            .expect_err("the handshake must fail");
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
            ),
            "{err:?}"
        );
    }
    // The CA does not vouch for other names.
    let err = handshake(
        server.addr(),
        client(&[server.ca_pem().unwrap()]),
        "example.com",
    )
    .expect_err("wrong name");
    assert!(
        matches!(err, rustls::Error::InvalidCertificate(_)),
        "{err:?}"
    );
    assert!(server.requests().is_empty(), "nothing got through");
}

#[test]
fn plain_http_servers_have_no_ca() {
    let server = MockServer::start(MockConfig::default()).unwrap();
    assert!(server.base_url().starts_with("http://"));
    assert_eq!(server.ca_pem(), None);
}
