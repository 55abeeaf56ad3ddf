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
    for (name, value) in [
        ("HTTPS_PROXY", "http://user:pa55word@[not-a-host"),
        ("https_proxy", "socks5://user:pa55word@proxy.example:1080"),
        ("ALL_PROXY", "http://"),
    ] {
        in_child(
            "an_unusable_proxy_variable_is_refused_without_showing_it",
            &[(CHILD, name), (name, value)],
        );
    }
    // And a usable one builds.
    in_child(
        "a_usable_proxy_builds",
        &[("HTTPS_PROXY", "http://proxy.example:3128")],
    );
}

/// Runs the test `name` of this binary in a child process with `env` set,
/// and asserts that it passed.
fn in_child(name: &str, env: &[(&str, &str)]) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture"])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name} with {env:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_usable_proxy_builds() {
    assert!(wsc_hyper::Transport::from_options(&TransportOptions::default()).is_ok());
}
