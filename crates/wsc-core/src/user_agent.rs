//! The `User-Agent` every transport sends: `wsc-rs/<version> (<transport>)`,
//! extended by an embedder's suffix.

use http::HeaderValue;

/// Builds the `User-Agent` value; an invalid suffix is dropped rather than
/// failing the client.
///
/// ```
/// assert_eq!(wsc_core::user_agent::value("ureq", Some("my-tool/2")), format!("wsc-rs/{} (ureq) my-tool/2", wsc_core::VERSION));
/// ```
pub fn value(transport: &str, suffix: Option<&str>) -> HeaderValue {
    let base = format!("wsc-rs/{} ({transport})", crate::VERSION);
    let with_suffix = match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{base} {s}"),
        None => base.clone(),
    };
    HeaderValue::from_str(&with_suffix)
        .or_else(|_| HeaderValue::from_str(&base))
        .unwrap_or_else(|_| HeaderValue::from_static("wsc-rs"))
}
