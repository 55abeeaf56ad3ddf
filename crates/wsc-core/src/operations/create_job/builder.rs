//! Collecting a createJob's fields and validating them, so that a bad target
//! URL, header or memo fails here, clearly, before anything is built or sent.

use http::{HeaderName, HeaderValue, Uri};

use super::{CreateJob, CreateJobBuilder, MAX_MEMO, ScanUserAgent, Speed};
use crate::create_tag::{CreateTag, TAG_MEMO_LEN};
use crate::invalid_input::InvalidInput;
use crate::model::InstanceId;

/// The longest target URL accepted.
const MAX_URL: usize = 2048;
/// The most exclude URLs, headers or vulnerability items accepted.
const MAX_LIST: usize = 100;
/// The longest header value accepted.
const MAX_HEADER_VALUE: usize = 8192;

impl CreateJobBuilder {
    /// Adds a URL the scan must not visit (e.g. a logout link).
    pub fn exclude_url(mut self, url: impl Into<String>) -> Self {
        self.exclude_urls.push(url.into());
        self
    }

    /// Adds a header the scanner sends to the target (cookies, tokens).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a header given as one `Name: value` line (the CLI's `--header`).
    /// The value is validated, and never echoed, by [`CreateJobBuilder::build`].
    pub fn header_line(self, line: &str) -> Result<Self, InvalidInput> {
        let (name, value) = line.split_once(':').ok_or_else(|| {
            InvalidInput::new(
                "header",
                format!(
                    "#{} must look like 'Name: value' (it has no colon; its text is not shown)",
                    self.headers.len() + 1
                ),
            )
        })?;
        Ok(self.header(name.trim(), value.trim_start()))
    }

    /// Adds a vulnerability item (`XSS`, `SSI Injection`, ...). None means `ALL`.
    pub fn vuln_item(mut self, item: impl Into<String>) -> Self {
        self.vuln_items.push(item.into());
        self
    }

    /// Sets the browser the scanner presents itself as (default `PC Chrome`).
    pub fn user_agent(mut self, user_agent: ScanUserAgent) -> Self {
        self.user_agent = user_agent;
        self
    }

    /// Sets the speed (default normal).
    pub fn speed(mut self, speed: Speed) -> Self {
        self.speed = speed;
        self
    }

    /// Sets a memo.
    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = Some(memo.into());
        self
    }

    /// Tags the job: the memo sent ends with the tag, so that the job can be
    /// told apart from every other (see [`CreateTag`]).
    pub fn tag(mut self, tag: CreateTag) -> Self {
        self.tag = Some(tag);
        self
    }

    /// Makes this a re-scan of a completed job (`MasterInstanceNo`).
    pub fn rescan_of(mut self, id: InstanceId) -> Self {
        self.rescan_of = Some(id);
        self
    }

    /// Validates every field and returns the job.
    pub fn build(self) -> Result<CreateJob, InvalidInput> {
        let start_url = validate_url("start URL", &self.start_url)?;
        if self.exclude_urls.len() > MAX_LIST {
            return Err(InvalidInput::new(
                "exclude URL",
                format!("at most {MAX_LIST} are accepted"),
            ));
        }
        let exclude_urls = self
            .exclude_urls
            .iter()
            .map(|url| validate_url("exclude URL", url))
            .collect::<Result<Vec<_>, _>>()?;
        validate_headers(&self.headers)?;
        let vuln_items = validate_vuln_items(self.vuln_items)?;
        let memo = self.memo.filter(|m| !m.is_empty());
        if let Some(memo) = &memo {
            validate_memo(memo, self.tag.is_some())?;
        }
        Ok(CreateJob {
            start_url,
            exclude_urls,
            headers: self.headers,
            vuln_items,
            user_agent: self.user_agent,
            speed: self.speed,
            memo,
            tag: self.tag,
            rescan_of: self.rescan_of,
        })
    }
}

/// At most [`MAX_LIST`] headers, each a valid HTTP header given once; a
/// value is never echoed, and neither is a name that may be a mistyped
/// `Name=value`.
fn validate_headers(headers: &[(String, String)]) -> Result<(), InvalidInput> {
    if headers.len() > MAX_LIST {
        return Err(InvalidInput::new(
            "header",
            format!("at most {MAX_LIST} are accepted"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (index, (name, value)) in headers.iter().enumerate() {
        let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            InvalidInput::new(
                "header",
                format!(
                    "#{}: the name is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only; it is not shown)",
                    index + 1
                ),
            )
        })?;
        if !seen.insert(parsed) {
            return Err(InvalidInput::new(
                "header",
                format!("{name:?} is given twice"),
            ));
        }
        // `HeaderValue` rejects CR, LF and NUL.
        if value.len() > MAX_HEADER_VALUE || HeaderValue::from_str(value).is_err() {
            return Err(InvalidInput::new(
                "header",
                format!(
                    "the value of {name:?} is not a valid HTTP header value (control characters or too long)"
                ),
            ));
        }
    }
    Ok(())
}

/// The items as sent: `ALL` for none, at most [`MAX_LIST`], each a short
/// name without control characters.
fn validate_vuln_items(mut items: Vec<String>) -> Result<Vec<String>, InvalidInput> {
    if items.is_empty() {
        items.push("ALL".to_owned());
    }
    if items.len() > MAX_LIST {
        return Err(InvalidInput::new(
            "vulnerability item",
            format!("at most {MAX_LIST} are accepted"),
        ));
    }
    for item in &items {
        if item.trim().is_empty() || item.len() > 200 || item.chars().any(char::is_control) {
            return Err(InvalidInput::new(
                "vulnerability item",
                format!("{:?} is not a valid item name", shorten(item)),
            ));
        }
    }
    Ok(items)
}

/// A memo within [`MAX_MEMO`] characters (less the tag's length when the
/// job is tagged), without control characters other than newline and tab.
pub(super) fn validate_memo(memo: &str, tagged: bool) -> Result<(), InvalidInput> {
    let room = if tagged {
        MAX_MEMO - TAG_MEMO_LEN
    } else {
        MAX_MEMO
    };
    if memo.chars().count() > room {
        let why = if tagged {
            format!(
                "is longer than {room} characters ({MAX_MEMO} less the {TAG_MEMO_LEN} of the create tag)"
            )
        } else {
            format!("is longer than {MAX_MEMO} characters")
        };
        return Err(InvalidInput::new("memo", why));
    }
    if memo
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(InvalidInput::new("memo", "contains control characters"));
    }
    Ok(())
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

/// A target URL: absolute `http(s)://host...`, no credentials, no whitespace,
/// a port in 1-65535. Returns it with the scheme and host lower-cased and an
/// international host in punycode (see `endpoint::normalize_url`).
fn validate_url(field: &'static str, url: &str) -> Result<String, InvalidInput> {
    if url.is_empty() {
        return Err(InvalidInput::new(field, "is empty"));
    }
    if url.len() > MAX_URL {
        return Err(InvalidInput::new(
            field,
            format!("is longer than {MAX_URL} characters"),
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InvalidInput::new(
            field,
            "contains whitespace or control characters",
        ));
    }
    let normalized =
        crate::endpoint::normalize_url(url).map_err(|reason| InvalidInput::new(field, reason))?;
    let uri: Uri = normalized
        .parse()
        .map_err(|_| InvalidInput::new(field, format!("{:?} is not a valid URL", shorten(url))))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => {
            return Err(InvalidInput::new(
                field,
                format!("{:?} must start with http:// or https://", shorten(url)),
            ));
        }
    }
    let Some(authority) = uri.authority() else {
        return Err(InvalidInput::new(field, "has no host"));
    };
    if authority.as_str().contains('@') {
        return Err(InvalidInput::new(
            field,
            "must not embed credentials (user:password@); pass them as headers",
        ));
    }
    if authority.host().is_empty() {
        return Err(InvalidInput::new(field, "has no host"));
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_crlf_or_bad_names_are_rejected_without_echoing_values() {
        let err = CreateJob::builder("https://a.example")
            .header("X-A", "ok\r\nInjected: 1")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("Injected"), "{err}");
        assert!(
            CreateJob::builder("https://a.example")
                .header("Bad Name", "v")
                .build()
                .is_err()
        );
        assert!(
            CreateJob::builder("https://a.example")
                .header("X", "a\0b")
                .build()
                .is_err()
        );
    }

    #[test]
    fn urls_are_checked() {
        for bad in [
            "",
            "a.example",
            "ftp://a.example",
            "https://u:p@a.example",
            "https://a.example/x y",
            "https:///x",
        ] {
            assert!(CreateJob::builder(bad).build().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn target_urls_are_normalised_and_ports_bounded() {
        let job = CreateJob::builder("HTTPS://WWW.Example.COM:8443/Path?Q=1")
            .exclude_url("https://bücher.example/logout")
            .build()
            .unwrap();
        assert_eq!(job.start_url(), "https://www.example.com:8443/Path?Q=1");
        let body: serde_json::Value = serde_json::from_slice(&job.wire_body(false)).unwrap();
        assert_eq!(
            body["ExcludeUrl"],
            serde_json::json!(["https://xn--bcher-kva.example/logout"])
        );
        let err = CreateJob::builder("https://example.com:99999/")
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("port"), "{err}");
    }

    #[test]
    fn header_errors_never_show_the_header_text() {
        for line in ["Cookie=S=secretval", "Cookie S=secretval: x"] {
            let err = CreateJob::builder("https://a.example")
                .header_line(line)
                .and_then(CreateJobBuilder::build)
                .unwrap_err()
                .to_string();
            assert!(!err.contains("secretval"), "{err}");
            assert!(err.contains("#1"), "{err}");
        }
    }

    #[test]
    fn a_tag_ends_the_memo_sent_and_counts_against_its_length() {
        let tag = CreateTag::from_bits(0x7f3a_9c1e);
        let job = CreateJob::builder("https://a.example.com")
            .memo("nightly")
            .tag(tag)
            .build()
            .unwrap();
        assert_eq!(job.memo(), Some("nightly"));
        assert_eq!(job.tag(), Some(tag));
        let body: serde_json::Value = serde_json::from_slice(&job.redacted_body()).unwrap();
        assert_eq!(body["Memo"], "nightly [wsc:7f3a9c1e]");

        let untagged = CreateJob::builder("https://a.example.com")
            .tag(tag)
            .build()
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&untagged.redacted_body()).unwrap();
        assert_eq!(body["Memo"], "[wsc:7f3a9c1e]");

        let fits = "m".repeat(MAX_MEMO - TAG_MEMO_LEN);
        let b = CreateJob::builder("https://a.example.com").tag(tag);
        assert!(b.clone().memo(fits.clone()).build().is_ok());
        let err = b.memo(fits + "m").build().unwrap_err();
        assert!(err.reason.contains("create tag"), "{err}");
    }
}
