//! Where requests go: the site presets and custom base URLs.
//!
//! A base URL is `scheme://host[:port][/prefix]`; the API paths (`/api/v1/...`)
//! are appended to it. `https://` is required except for loopback hosts, which
//! may use `http://` (the local simulator, tests). There is deliberately no `fin`
//! preset: no readable source confirms its host, so users pass it as a custom URL.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use http::uri::{Authority, PathAndQuery, Scheme, Uri};

use crate::invalid_input::InvalidInput;

/// The base path under which every WSC operation lives.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// An NCP site with a known WSC host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Site {
    /// The public site, `https://wsc.apigw.ntruss.com` (the default).
    #[default]
    Public,
    /// The government site, `https://wsc.apigw.gov-ntruss.com`.
    Gov,
}

impl Site {
    /// The site's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Site::Public => "https://wsc.apigw.ntruss.com",
            Site::Gov => "https://wsc.apigw.gov-ntruss.com",
        }
    }

    /// The site's name as users spell it (`public`, `gov`).
    pub fn name(self) -> &'static str {
        match self {
            Site::Public => "public",
            Site::Gov => "gov",
        }
    }
}

impl FromStr for Site {
    type Err = InvalidInput;

    /// Parses `public` or `gov` (any case). `fin` is refused with a hint to pass
    /// an endpoint, because its host is not confirmed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" | "pub" | "" => Ok(Site::Public),
            "gov" => Ok(Site::Gov),
            "fin" => Err(InvalidInput::new(
                "site",
                "`fin` has no confirmed Web Security Checker host; pass its base URL as the endpoint instead (the known sites are `public` and `gov`)",
            )),
            _ => Err(InvalidInput::new(
                "site",
                "must be `public` or `gov` (or pass an endpoint URL)",
            )),
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A validated base URL that requests are built against.
///
/// ```
/// use wsc_core::{Endpoint, Site};
/// let e = Endpoint::from_site(Site::Gov);
/// assert_eq!(e.to_string(), "https://wsc.apigw.gov-ntruss.com");
///
/// let local = Endpoint::parse("http://127.0.0.1:8080/prefix/").unwrap();
/// assert_eq!(local.to_string(), "http://127.0.0.1:8080/prefix");
///
/// assert!(Endpoint::parse("http://example.com").is_err()); // plain http off loopback
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: Scheme,
    authority: Authority,
    /// Path prefix without a trailing slash (`""` for none).
    prefix: String,
}

impl Endpoint {
    /// The preset endpoint of a site.
    pub fn from_site(site: Site) -> Self {
        // The presets are constants known to parse.
        Self::parse(site.base_url()).unwrap_or_else(|_| unreachable!("site presets are valid"))
    }

    /// Parses and validates a custom base URL.
    ///
    /// Accepted: `https://host[:port][/prefix]`, or `http://` when the host is
    /// loopback (`localhost`, `127.0.0.0/8`, `[::1]`). A trailing `/api/v1` is
    /// dropped so that both `https://host` and `https://host/api/v1` work.
    /// Rejected with a reason: other schemes, user info (`user:pass@`), a query
    /// or fragment, an empty host.
    pub fn parse(url: &str) -> Result<Self, InvalidInput> {
        const FIELD: &str = "endpoint";
        let url = url.trim();
        if url.is_empty() {
            return Err(InvalidInput::new(FIELD, "is empty"));
        }
        let normalized = normalize_url(url).map_err(|reason| InvalidInput::new(FIELD, reason))?;
        let url = normalized.as_str();
        if url.contains('#') {
            return Err(InvalidInput::new(
                FIELD,
                "must not contain a fragment (`#...`)",
            ));
        }
        let uri: Uri = url.parse().map_err(|_| {
            InvalidInput::new(
                FIELD,
                "is not a valid URL (expected https://host[:port][/path])",
            )
        })?;
        let scheme = uri
            .scheme()
            .cloned()
            .ok_or_else(|| InvalidInput::new(FIELD, "needs a scheme: https://host"))?;
        let authority = uri
            .authority()
            .ok_or_else(|| InvalidInput::new(FIELD, "needs a host: https://host"))?;
        // Hosts are case-insensitive: keep one spelling (the lower-case one).
        let authority: Authority = authority
            .as_str()
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| InvalidInput::new(FIELD, "needs a valid host"))?;
        if authority.as_str().contains('@') {
            return Err(InvalidInput::new(
                FIELD,
                "must not embed credentials (`user:pass@host`)",
            ));
        }
        if authority.host().is_empty() {
            return Err(InvalidInput::new(FIELD, "needs a host"));
        }
        if uri.query().is_some() {
            return Err(InvalidInput::new(
                FIELD,
                "must not contain a query (`?...`)",
            ));
        }
        if scheme == Scheme::HTTP {
            if !is_loopback_host(authority.host()) {
                return Err(InvalidInput::new(
                    FIELD,
                    "uses http:// for a non-loopback host; use https:// (http is allowed only for localhost/127.0.0.1/[::1])",
                ));
            }
        } else if scheme != Scheme::HTTPS {
            return Err(InvalidInput::new(
                FIELD,
                "must use https:// (or http:// on loopback)",
            ));
        }
        let mut prefix = uri.path().trim_end_matches('/').to_owned();
        if prefix.ends_with(API_PREFIX) {
            prefix.truncate(prefix.len() - API_PREFIX.len());
        }
        Ok(Self {
            scheme,
            authority,
            prefix,
        })
    }

    /// The public site's endpoint (the default).
    pub fn default_public() -> Self {
        Self::from_site(Site::Public)
    }

    /// True when the host is a loopback address.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.authority.host())
    }

    /// True for `https://` endpoints.
    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::HTTPS
    }

    /// The host (without port).
    pub fn host(&self) -> &str {
        self.authority.host()
    }

    /// The request-target (`/prefix/api/v1/<path>`) for an operation path, as it
    /// will be sent on the wire and signed. `path_and_query` starts with `/`.
    pub(crate) fn request_target(
        &self,
        path_and_query: &[u8],
    ) -> Result<PathAndQuery, InvalidInput> {
        // Exactly sized, so `Bytes` adopts the buffer without reallocating; the
        // `PathAndQuery` check below admits only URI characters (ASCII).
        let mut target =
            Vec::with_capacity(self.prefix.len() + API_PREFIX.len() + path_and_query.len());
        target.extend_from_slice(self.prefix.as_bytes());
        target.extend_from_slice(API_PREFIX.as_bytes());
        target.extend_from_slice(path_and_query);
        PathAndQuery::from_maybe_shared(bytes::Bytes::from(target))
            .map_err(|_| InvalidInput::new("request path", "is not a valid URL path"))
    }

    /// The absolute URI of a request-target on this endpoint.
    pub(crate) fn uri_for(&self, target: PathAndQuery) -> Result<Uri, InvalidInput> {
        // `Parts` directly: the builder's conversions would re-check what is
        // already validated here.
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(target);
        Uri::from_parts(parts).map_err(|_| InvalidInput::new("request URL", "could not be built"))
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.prefix)
    }
}

impl FromStr for Endpoint {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<Site> for Endpoint {
    fn from(site: Site) -> Self {
        Self::from_site(site)
    }
}

/// Normalises an absolute URL's authority before it is parsed: the scheme and
/// host are lower-cased, an international host becomes its ASCII (punycode)
/// form, and a port must be 1-65535. The path and query are kept as written.
/// Text that is not `scheme://authority...`, or that embeds user info, is
/// returned unchanged for the caller's own checks to reject.
pub(crate) fn normalize_url(url: &str) -> Result<String, &'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok(url.to_owned());
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return Ok(url.to_owned());
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Ok(url.to_owned());
    }
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(close) => {
                let (host, after) = authority.split_at(close + 1);
                match after.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None if after.is_empty() => (host, None),
                    None => return Err("has text after the IPv6 address"),
                }
            }
            None => return Err("has an unclosed IPv6 address (`[`)"),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        if !port.is_empty()
            && (!port.bytes().all(|b| b.is_ascii_digit())
                || port.parse::<u16>().map_or(true, |p| p == 0))
        {
            return Err("has a port outside 1-65535");
        }
    }
    let host = if host.starts_with('[') || host.is_empty() {
        host.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(host).map_err(|_| "has a host that is not a valid domain name")?
    };
    let mut out = String::with_capacity(url.len() + 8);
    out.push_str(&scheme.to_ascii_lowercase());
    out.push_str("://");
    out.push_str(&host);
    if let Some(port) = port {
        out.push(':');
        out.push_str(port);
    }
    out.push_str(tail);
    Ok(out)
}

/// `localhost`, any `127.0.0.0/8` address, or `::1` (bracketed or not).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_presets_loopback_and_prefixes() {
        for (input, shown) in [
            (
                "https://wsc.apigw.ntruss.com",
                "https://wsc.apigw.ntruss.com",
            ),
            (
                "https://wsc.apigw.ntruss.com/",
                "https://wsc.apigw.ntruss.com",
            ),
            (
                "https://wsc.apigw.ntruss.com/api/v1",
                "https://wsc.apigw.ntruss.com",
            ),
            ("https://proxy.example/wsc/", "https://proxy.example/wsc"),
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
            ("http://127.3.4.5", "http://127.3.4.5"),
            ("http://localhost:1", "http://localhost:1"),
            ("http://[::1]:8080", "http://[::1]:8080"),
        ] {
            assert_eq!(
                Endpoint::parse(input).unwrap().to_string(),
                shown,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_unsafe_or_malformed_urls() {
        for (input, needle) in [
            ("http://example.com", "non-loopback"),
            ("http://127.0.0.1.example.com", "non-loopback"),
            ("ftp://example.com", "https"),
            ("https://user:pw@example.com", "credentials"),
            ("https://example.com/?a=1", "query"),
            ("https://example.com/#x", "fragment"),
            ("example.com", "scheme"),
            ("", "empty"),
            ("https://", "valid URL"),
        ] {
            let err = Endpoint::parse(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input}: {err}");
            assert!(!err.contains("pw@"), "{err}");
        }
    }

    #[test]
    fn preset_hosts_parse_to_the_same_endpoint_as_the_site() {
        for site in [Site::Public, Site::Gov] {
            let parsed = Endpoint::parse(site.base_url()).unwrap();
            assert_eq!(parsed, Endpoint::from_site(site));
            assert!(site.base_url().ends_with(parsed.host()));
        }
        // Hosts are case-insensitive: an upper-case preset host is the preset.
        let upper = Endpoint::parse("https://WSC.APIGW.NTRUSS.COM/api/v1").unwrap();
        assert_eq!(upper.to_string(), "https://wsc.apigw.ntruss.com");
        // Another port is another authority, kept as written.
        let port = Endpoint::parse("https://wsc.apigw.ntruss.com:8443").unwrap();
        assert_eq!(port.to_string(), "https://wsc.apigw.ntruss.com:8443");
    }

    #[test]
    fn ports_case_and_international_hosts_are_normalised() {
        let err = Endpoint::parse("https://example.com:99999/")
            .unwrap_err()
            .to_string();
        assert!(err.contains("port"), "{err}");
        assert!(Endpoint::parse("https://example.com:0").is_err());
        assert_eq!(
            Endpoint::parse("HTTPS://Proxy.EXAMPLE:8443/Wsc")
                .unwrap()
                .to_string(),
            "https://proxy.example:8443/Wsc"
        );
        assert_eq!(
            Endpoint::parse("https://bücher.example/").unwrap().host(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            Endpoint::parse("HTTP://[::1]:8080").unwrap().to_string(),
            "http://[::1]:8080"
        );
    }

    #[test]
    fn request_target_keeps_the_prefix() {
        let e = Endpoint::parse("https://h/p").unwrap();
        assert_eq!(
            e.request_target(b"/jobs?limit=1&page=1").unwrap().as_str(),
            "/p/api/v1/jobs?limit=1&page=1"
        );
    }

    #[test]
    fn fin_site_is_refused_with_a_hint() {
        let err = "fin".parse::<Site>().unwrap_err().to_string();
        assert!(err.contains("endpoint"), "{err}");
        assert_eq!("GOV".parse::<Site>().unwrap(), Site::Gov);
    }
}
