//! When the trust store is read: never for an `http://` endpoint, once for
//! an HTTPS one, and from one source (the bundle file, not its directory as
//! well). Linux's inotify reports every open of the files the test points
//! `SSL_CERT_FILE` and `SSL_CERT_DIR` at.
#![cfg(target_os = "linux")]

mod support;

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};
use support::{json, run, world, world_with};
use wsc_mock::MockConfig;

/// A bundle file and a certificate directory, both holding `pem`, watched
/// for opens.
struct Store {
    dir: tempfile::TempDir,
    inotify: Inotify,
    top: WatchDescriptor,
    certs_d: WatchDescriptor,
}

impl Store {
    fn new(pem: &[u8]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bundle.pem"), pem).unwrap();
        std::fs::create_dir(dir.path().join("certs.d")).unwrap();
        std::fs::write(dir.path().join("certs.d").join("ca.pem"), pem).unwrap();
        let inotify = Inotify::init().unwrap();
        let top = inotify.watches().add(dir.path(), WatchMask::OPEN).unwrap();
        let certs_d = inotify
            .watches()
            .add(dir.path().join("certs.d"), WatchMask::OPEN)
            .unwrap();
        Self {
            dir,
            inotify,
            top,
            certs_d,
        }
    }

    fn bundle(&self) -> std::path::PathBuf {
        self.dir.path().join("bundle.pem")
    }

    fn certs_d(&self) -> std::path::PathBuf {
        self.dir.path().join("certs.d")
    }

    /// Opens since the last call: (of the bundle, of anything in or of certs.d).
    fn opens(&mut self) -> (usize, usize) {
        let mut buffer = [0u8; 16 * 1024];
        let (mut bundle, mut certs_d) = (0, 0);
        loop {
            let events = match self.inotify.read_events(&mut buffer) {
                Ok(events) => events,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("inotify: {e}"),
            };
            let mut any = false;
            for event in events {
                any = true;
                if !event.mask.contains(EventMask::OPEN) {
                    continue;
                }
                if event.wd == self.certs_d {
                    certs_d += 1;
                } else if event.wd == self.top {
                    match event.name.and_then(|n| n.to_str()) {
                        Some("bundle.pem") => bundle += 1,
                        Some("certs.d") => certs_d += 1,
                        _ => {}
                    }
                }
            }
            if !any {
                break;
            }
        }
        (bundle, certs_d)
    }
}

fn with_store(cmd: &mut assert_cmd::Command, store: &Store) {
    cmd.env("SSL_CERT_FILE", store.bundle())
        .env("SSL_CERT_DIR", store.certs_d());
}

#[test]
fn an_http_endpoint_reads_no_trust_store() {
    let w = world();
    // Any PEM will do: it must not be read at all.
    let mut store = Store::new(b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    let mut cmd = w.wsc();
    with_store(&mut cmd, &store);
    let (code, out, err) = run(cmd.args(["list", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert!(json(&out)["jobs"].is_array());
    assert_eq!(
        store.opens(),
        (0, 0),
        "the trust store was read for http://"
    );
}

#[test]
fn an_https_endpoint_reads_the_bundle_once_and_not_its_directory() {
    let w = world_with(MockConfig {
        tls: true,
        preload_demo_jobs: true,
        ..MockConfig::default()
    });
    let mut store = Store::new(w.server.ca_pem().unwrap().as_bytes());
    assert_eq!(
        store.opens(),
        (0, 0),
        "the test's own writes are not counted"
    );
    let mut cmd = w.wsc();
    with_store(&mut cmd, &store);
    // Five pages: five requests, at least one TLS handshake, one read.
    let (code, out, err) = run(cmd.args(["list", "--all", "--limit", "1", "-o", "json"]));
    assert_eq!(code, 0, "trusted through SSL_CERT_FILE alone: {err}");
    assert_eq!(json(&out)["jobs"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        store.opens(),
        (1, 0),
        "one read of the bundle, none of certs.d"
    );
    assert!(w.server.requests().len() >= 5);
}

#[test]
fn a_bad_extra_bundle_is_a_configuration_error_before_anything_is_sent() {
    let w = world();
    let bad = w.home.path().join("bad.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    for cmd in [
        w.wsc().args(["list", "--ca-bundle"]).arg(&bad),
        w.wsc().env("WSC_CA_BUNDLE", &bad).arg("list"),
    ] {
        let (code, _, err) = run(cmd);
        assert_eq!(code, 2, "{err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.contains("--ca-bundle") && first.contains("bad.pem"),
            "{err}"
        );
    }
    let missing = w.home.path().join("missing.pem");
    let (code, _, err) = run(w.wsc().args(["list", "--ca-bundle"]).arg(&missing));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.pem"), "{err}");
    assert!(w.server.requests().is_empty(), "nothing was sent");
}

#[test]
fn an_empty_ca_bundle_variable_means_none() {
    let w = world();
    let (code, out, err) = run(w
        .wsc()
        .env("WSC_CA_BUNDLE", "")
        .args(["list", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["jobs"].as_array().map(Vec::len), Some(5));
}

#[test]
fn a_malformed_proxy_variable_is_refused_without_showing_it() {
    let w = world();
    for name in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
        let (code, _, err) = run(w
            .wsc()
            .env(name, "http://user:pa55word@[not-a-host")
            .arg("list"));
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(name), "{err}");
        assert!(!err.contains("pa55word"), "the value is shown: {err}");
    }
    assert!(w.server.requests().is_empty(), "nothing was sent");
}
