//! The proxy variables a default stack reads, refused when its stack could
//! not use them: a stack that skips an unusable one silently would connect
//! directly, around the proxy the user asked for.

use wsc_core::transport::TransportError;

/// Fails on the first of `names` whose value (from `var`, e.g.
/// `std::env::var(name).ok()`) is set, not blank, and not `usable` by the
/// stack. The value may hold a password: the error names the variable,
/// never the value.
///
/// ```
/// let env = |name: &str| (name == "HTTPS_PROXY").then(|| "http://user:pw@[bad".to_owned());
/// let usable = |value: &str| value.parse::<wsc_core::http::Uri>().is_ok();
/// let error = wsc_rustls::check_proxy_variables(env, &["ALL_PROXY", "HTTPS_PROXY"], usable).unwrap_err();
/// assert!(error.detail.contains("HTTPS_PROXY") && !error.detail.contains("pw"));
/// ```
pub fn check_proxy_variables(
    var: impl Fn(&str) -> Option<String>,
    names: &[&str],
    usable: impl Fn(&str) -> bool,
) -> Result<(), TransportError> {
    for name in names {
        let Some(value) = var(name) else {
            continue;
        };
        if !value.trim().is_empty() && !usable(&value) {
            return Err(crate::setup_error(format!(
                "{name} is not a usable proxy URL (expected e.g. http://proxy.example:3128; its value is not shown)"
            )));
        }
    }
    Ok(())
}
