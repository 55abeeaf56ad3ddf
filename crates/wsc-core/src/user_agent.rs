//! The `User-Agent` every transport sends: `wsc-rs/<version> (<transport>)`,
//! extended by an embedder's suffix.

use http::HeaderValue;

/// Builds the `User-Agent` value; an invalid suffix is dropped rather than
/// failing the client.
pub(crate) fn value(transport: &str, suffix: Option<&str>) -> HeaderValue {
    let base = format!("wsc-rs/{} ({transport})", crate::VERSION);
    let with_suffix = match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{base} {s}"),
        None => base.clone(),
    };
    HeaderValue::from_str(&with_suffix)
        .or_else(|_| HeaderValue::from_str(&base))
        .unwrap_or_else(|_| HeaderValue::from_static("wsc-rs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_follows_the_transport_and_a_bad_one_is_dropped() {
        let version = crate::VERSION;
        assert_eq!(
            value("ureq", Some("my-tool/2")),
            format!("wsc-rs/{version} (ureq) my-tool/2").as_str()
        );
        assert_eq!(
            value("hyper", Some("bad\nsuffix")),
            format!("wsc-rs/{version} (hyper)").as_str()
        );
        assert_eq!(
            value("ureq", Some("  ")),
            format!("wsc-rs/{version} (ureq)").as_str()
        );
    }
}
