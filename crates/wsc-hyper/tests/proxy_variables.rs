//! A proxy variable the CONNECT tunnel could not use is refused when the
//! stack is built (never skipped, which would connect around the proxy).
//! The environment is the process's: each case runs in a child process of
//! this test binary, so no other test sees it.

use wsc_core::transport::{DefaultTransport, TransportFailureKind, TransportOptions};

const CHILD: &str = "WSC_HYPER_PROXY_CHILD";

#[test]
fn an_unusable_proxy_variable_is_refused_without_showing_it() {
    if let Ok(name) = std::env::var(CHILD) {
        // The child: the variable is set; building must fail, naming it.
        let error = wsc_hyper::Transport::from_options(&TransportOptions::default()).unwrap_err();
        assert_eq!(error.kind, TransportFailureKind::Setup);
        assert!(error.detail.contains(&name), "{}", error.detail);
        assert!(!error.detail.contains("pa55word"), "{}", error.detail);
        return;
    }
    let me = std::env::current_exe().unwrap();
    for (name, value) in [
        ("HTTPS_PROXY", "http://user:pa55word@[not-a-host"),
        ("https_proxy", "socks5://user:pa55word@proxy.example:1080"),
        ("ALL_PROXY", "http://"),
    ] {
        let out = std::process::Command::new(&me)
            .args([
                "--exact",
                "an_unusable_proxy_variable_is_refused_without_showing_it",
                "--nocapture",
            ])
            .env(CHILD, name)
            .env(name, value)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}={value}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And a usable one builds.
    let out = std::process::Command::new(&me)
        .args(["--exact", "a_usable_proxy_builds", "--nocapture"])
        .env("HTTPS_PROXY", "http://proxy.example:3128")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_usable_proxy_builds() {
    assert!(wsc_hyper::Transport::from_options(&TransportOptions::default()).is_ok());
}
