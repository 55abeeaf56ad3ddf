//! When two target URLs name the same site: the one rule every comparison
//! uses (finding a created job without a tag, `wsc history`, the baseline
//! gate).
//!
//! A target is compared in a normal form:
//! - the scheme is optional (`https` is assumed) and compared in lower case;
//! - the host is compared in lower case, an international host as punycode;
//! - a default port (`:443` for https, `:80` for http) is dropped;
//! - a trailing `/` is dropped (so `https://a.example/` is `https://a.example`);
//! - the path and query are otherwise compared as written.
//!
//! ```
//! use wsc_core::Target;
//! let a = Target::parse("shop.example.com");
//! assert!(a.same_as(&Target::parse("HTTPS://Shop.Example.com:443/")));
//! assert!(!a.same_as(&Target::parse("http://shop.example.com")));
//! assert!(Target::parse("https://bücher.example").same_as(&Target::parse("https://xn--bcher-kva.example")));
//! assert_eq!(a.to_string(), "https://shop.example.com");
//! ```

use std::fmt;

/// A target URL in the normal form that comparisons use.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    normal: String,
}

impl Target {
    /// The normal form of `url` (see the module docs). Text that is not a
    /// URL is kept, trimmed, so that it still equals itself.
    pub fn parse(url: &str) -> Self {
        let url = url.trim();
        let with_scheme = if url.contains("://") {
            url.to_owned()
        } else {
            format!("https://{url}")
        };
        let normal = crate::endpoint::normalize_url(&with_scheme).unwrap_or(with_scheme);
        let normal = drop_default_port(&normal);
        let normal = normal.trim_end_matches('/').to_owned();
        Self { normal }
    }

    /// Whether `self` and `other` name the same target.
    pub fn same_as(&self, other: &Target) -> bool {
        self == other
    }

    /// Whether the two URLs name the same target.
    pub fn same(a: &str, b: &str) -> bool {
        Target::parse(a) == Target::parse(b)
    }

    /// The text to search the service's listings with (`searchKeyword` of a
    /// URL search) to find every job whose target is equivalent to this one:
    /// the host, in its normal form, with a port that is not the default.
    ///
    /// The service matches the keyword as a substring of each job's URL, so
    /// a search with this keyword returns a superset of the equivalent jobs:
    /// keep those for which [`Target::same_as`] holds.
    ///
    /// ```
    /// use wsc_core::Target;
    /// for url in ["https://TREND.example.com/", "HTTPS://trend.example.com:443", "trend.example.com/app/"] {
    ///     assert_eq!(Target::parse(url).search_keyword(), "trend.example.com");
    /// }
    /// assert_eq!(Target::parse("http://a.example:8080/x").search_keyword(), "a.example:8080");
    /// ```
    pub fn search_keyword(&self) -> &str {
        let rest = self
            .normal
            .split_once("://")
            .map_or(self.normal.as_str(), |(_, rest)| rest);
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        // Credentials in a URL are not part of what a search should send.
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
    }
}

/// `https://host:443/...` → `https://host/...` (and `:80` for http).
fn drop_default_port(url: &str) -> String {
    for (scheme, port) in [("https://", ":443"), ("http://", ":80")] {
        let Some(rest) = url.strip_prefix(scheme) else {
            continue;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if let Some(host) = rest[..end].strip_suffix(port) {
            return format!("{scheme}{host}{}", &rest[end..]);
        }
    }
    url.to_owned()
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_of_equivalence() {
        let same = [
            // scheme optional, https assumed
            ("shop.example.com", "https://shop.example.com"),
            // scheme and host case
            ("HTTPS://SHOP.Example.COM", "https://shop.example.com"),
            // IDN and punycode
            ("https://bücher.example", "https://xn--bcher-kva.example"),
            // default ports
            ("https://a.example:443/x", "https://a.example/x"),
            ("http://a.example:80", "http://a.example"),
            // trailing slash
            ("https://a.example/", "https://a.example"),
            ("https://a.example/app/", "https://a.example/app"),
            ("  https://a.example  ", "https://a.example"),
        ];
        for (a, b) in same {
            assert!(Target::same(a, b), "{a} ~ {b}");
        }
        let different = [
            ("http://a.example", "https://a.example"),
            ("https://a.example:8443", "https://a.example"),
            ("https://a.example/App", "https://a.example/app"),
            ("https://a.example/?q=1", "https://a.example/?q=2"),
            ("https://a.example", "https://b.example"),
            ("https://a.example.com", "https://a.example"),
        ];
        for (a, b) in different {
            assert!(!Target::same(a, b), "{a} !~ {b}");
        }
    }

    #[test]
    fn every_equivalent_url_contains_the_search_keyword() {
        let variants = [
            "https://trend.example.com",
            "https://TREND.example.com/",
            "HTTPS://trend.example.com:443",
            "trend.example.com",
            "https://trend.example.com/app/?q=1",
        ];
        for v in variants {
            let keyword = Target::parse(v).search_keyword().to_owned();
            assert_eq!(keyword, "trend.example.com", "{v}");
            for w in variants {
                // What the service stores is a URL as a user typed it: the
                // keyword must be found in its lower-case form.
                assert!(w.to_lowercase().contains(&keyword), "{w} ∌ {keyword}");
            }
        }
        assert_eq!(
            Target::parse("https://bücher.example/").search_keyword(),
            "xn--bcher-kva.example"
        );
        assert_eq!(Target::parse("not a url").search_keyword(), "not a url");
    }

    #[test]
    fn text_that_is_not_a_url_still_equals_itself() {
        assert!(Target::same("", ""));
        assert!(Target::same("not a url", "not a url"));
    }
}
