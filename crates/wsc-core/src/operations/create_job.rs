use std::fmt;
use std::str::FromStr;

use http::{HeaderName, HeaderValue, Method, Response, Uri};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Operation, OperationKind, PathBuilder};
use crate::create_tag::{CreateTag, TAG_MEMO_LEN};
use crate::invalid_input::InvalidInput;
use crate::model::InstanceId;
use crate::response::{Parts, parse_maybe_enveloped};
use crate::{Error, REDACTED};

/// The browser the scanner presents itself as (`UserAgent`, reserved words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UserAgent {
    /// `PC Chrome` (the default).
    #[default]
    PcChrome,
    /// `PC IE`.
    PcIe,
    /// `Android`.
    Android,
    /// `iPhone`.
    Iphone,
}

impl UserAgent {
    /// The reserved word sent on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            Self::PcChrome => "PC Chrome",
            Self::PcIe => "PC IE",
            Self::Android => "Android",
            Self::Iphone => "iPhone",
        }
    }

    /// The CLI spelling (`pc-chrome`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::PcChrome => "pc-chrome",
            Self::PcIe => "pc-ie",
            Self::Android => "android",
            Self::Iphone => "iphone",
        }
    }
}

impl FromStr for UserAgent {
    type Err = InvalidInput;
    /// Accepts the CLI spelling or the wire's reserved word, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "pc-chrome" | "chrome" => Ok(Self::PcChrome),
            "pc-ie" | "ie" => Ok(Self::PcIe),
            "android" => Ok(Self::Android),
            "iphone" => Ok(Self::Iphone),
            _ => Err(InvalidInput::new(
                "user agent",
                "must be one of pc-chrome, pc-ie, android, iphone",
            )),
        }
    }
}

/// Scan speed (`Speed`, sent as the *string* `"1"`–`"3"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Speed {
    /// `"1"`: normal (the default; lightest on the target).
    #[default]
    Normal,
    /// `"2"`: a bit faster.
    Faster,
    /// `"3"`: fast.
    Fast,
}

impl Speed {
    /// The wire value.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Normal => "1",
            Self::Faster => "2",
            Self::Fast => "3",
        }
    }

    /// The CLI spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Faster => "faster",
            Self::Fast => "fast",
        }
    }
}

impl FromStr for Speed {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" | "normal" => Ok(Self::Normal),
            "2" | "faster" => Ok(Self::Faster),
            "3" | "fast" => Ok(Self::Fast),
            _ => Err(InvalidInput::new(
                "speed",
                "must be normal (1), faster (2) or fast (3)",
            )),
        }
    }
}

/// createJob: start a scan (`PUT /api/v1/job`). **Billed per call, starts at once.**
///
/// Built with [`CreateJob::builder`], which validates every field. `Debug`
/// never shows `Headers` values (they are the target site's secrets).
///
/// ```
/// use wsc_core::operations::{CreateJob, Speed};
/// let job = CreateJob::builder("https://www.example.com")
///     .exclude_url("https://www.example.com/logout")
///     .header("Cookie", "SESSION=abc")
///     .speed(Speed::Faster)
///     .memo("nightly")
///     .build()
///     .unwrap();
/// assert!(!format!("{job:?}").contains("SESSION"));
/// assert!(CreateJob::builder("ftp://x").build().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CreateJob {
    start_url: String,
    exclude_urls: Vec<String>,
    headers: Vec<(String, String)>,
    vuln_items: Vec<String>,
    user_agent: UserAgent,
    speed: Speed,
    memo: Option<String>,
    tag: Option<CreateTag>,
    rescan_of: Option<InstanceId>,
}

/// Collects createJob fields; [`CreateJobBuilder::build`] validates them.
#[derive(Clone, Default)]
pub struct CreateJobBuilder {
    start_url: String,
    exclude_urls: Vec<String>,
    headers: Vec<(String, String)>,
    vuln_items: Vec<String>,
    user_agent: UserAgent,
    speed: Speed,
    memo: Option<String>,
    tag: Option<CreateTag>,
    rescan_of: Option<InstanceId>,
}

impl fmt::Debug for CreateJobBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateJobBuilder")
            .field("start_url", &self.start_url)
            .finish_non_exhaustive()
    }
}

/// The vulnerability items the API documentation names (`VulnItems`). The
/// full list is not published, so [`CreateJobBuilder::vuln_item`] accepts any
/// name; the command line accepts only these.
pub const DOCUMENTED_VULN_ITEMS: [&str; 3] = ["ALL", "XSS", "SSI Injection"];

/// The documented item `name` stands for, in its canonical spelling: case,
/// spaces, `-` and `_` do not matter (`ssi-injection` is `SSI Injection`).
///
/// ```
/// use wsc_core::operations::documented_vuln_item;
/// assert_eq!(documented_vuln_item("ssi_injection"), Some("SSI Injection"));
/// assert_eq!(documented_vuln_item("xss"), Some("XSS"));
/// assert_eq!(documented_vuln_item("SQLi"), None);
/// ```
pub fn documented_vuln_item(name: &str) -> Option<&'static str> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = key(name);
    DOCUMENTED_VULN_ITEMS
        .into_iter()
        .find(|item| key(item) == wanted)
}

/// Limits on createJob input, so that oversized input fails here, clearly.
const MAX_URL: usize = 2048;
const MAX_LIST: usize = 100;
const MAX_HEADER_VALUE: usize = 8192;
const MAX_MEMO: usize = 1000;

impl CreateJob {
    /// Starts building a job that scans `start_url`.
    pub fn builder(start_url: impl Into<String>) -> CreateJobBuilder {
        CreateJobBuilder {
            start_url: start_url.into(),
            ..CreateJobBuilder::default()
        }
    }

    /// Parses and validates a job in the wire's own JSON form (the body of a
    /// createJob request: `StartUrl`, `ExcludeUrl`, `Headers`, `VulnItems`,
    /// `UserAgent`, `Speed`, `Memo`, `MasterInstanceNo`).
    pub fn from_wire_json(json: &[u8]) -> Result<Self, InvalidInput> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wire {
            #[serde(rename = "StartUrl")]
            start_url: String,
            #[serde(rename = "ExcludeUrl", default)]
            exclude_url: Vec<String>,
            #[serde(rename = "Headers", default)]
            headers: Option<Map<String, Value>>,
            #[serde(rename = "VulnItems", default)]
            vuln_items: Vec<String>,
            #[serde(rename = "UserAgent", default)]
            user_agent: Option<String>,
            #[serde(rename = "Speed", default)]
            speed: Option<Value>,
            #[serde(rename = "Memo", default)]
            memo: Option<String>,
            #[serde(rename = "MasterInstanceNo", default)]
            master_instance_no: Option<Value>,
        }
        let wire: Wire = serde_json::from_slice(json).map_err(|e| {
            // serde's message names the field and position, never a value.
            InvalidInput::new(
                "job file",
                format!("is not a valid createJob JSON document: {e}"),
            )
        })?;
        let mut b = CreateJob::builder(wire.start_url);
        b.exclude_urls = wire.exclude_url;
        for (name, value) in wire.headers.unwrap_or_default() {
            let Value::String(value) = value else {
                return Err(InvalidInput::new(
                    "header",
                    format!("value of {name:?} must be a string"),
                ));
            };
            b = b.header(name, value);
        }
        b.vuln_items = wire.vuln_items;
        if let Some(ua) = wire.user_agent {
            b = b.user_agent(ua.parse()?);
        }
        if let Some(speed) = wire.speed {
            let text = match speed {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                _ => return Err(InvalidInput::new("speed", "must be \"1\", \"2\" or \"3\"")),
            };
            b = b.speed(text.parse()?);
        }
        b.memo = wire.memo.filter(|m| !m.is_empty());
        if let Some(master) = wire.master_instance_no {
            let text = match master {
                Value::String(s) if s.is_empty() => None,
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                Value::Null => None,
                _ => return Err(InvalidInput::new("MasterInstanceNo", "must be a job id")),
            };
            if let Some(text) = text {
                b = b.rescan_of(text.parse()?);
            }
        }
        b.build()
    }

    /// The target URL.
    pub fn start_url(&self) -> &str {
        &self.start_url
    }

    /// The memo, if one was set.
    pub fn memo(&self) -> Option<&str> {
        self.memo.as_deref()
    }

    /// The tag appended to the memo, if one was set.
    pub fn tag(&self) -> Option<CreateTag> {
        self.tag
    }

    /// The memo as sent: the caller's memo followed by the tag (see
    /// [`CreateTag::memo_with_tag`]), or the caller's memo alone without a tag.
    pub fn sent_memo(&self) -> Option<String> {
        match self.tag {
            Some(tag) => Some(tag.memo_with_tag(self.memo.as_deref())),
            None => self.memo.clone(),
        }
    }

    /// This job with `tag` (for a job read with
    /// [`CreateJob::from_wire_json`]); the memo's length is checked again.
    pub fn with_tag(mut self, tag: CreateTag) -> Result<Self, InvalidInput> {
        let room = MAX_MEMO - TAG_MEMO_LEN;
        if self.memo.as_ref().is_some_and(|m| m.chars().count() > room) {
            return Err(InvalidInput::new(
                "memo",
                format!(
                    "is longer than {room} characters ({MAX_MEMO} less the {TAG_MEMO_LEN} of the create tag)"
                ),
            ));
        }
        self.tag = Some(tag);
        Ok(self)
    }

    /// The id of the job this re-scans, if any.
    pub fn rescan_of(&self) -> Option<InstanceId> {
        self.rescan_of
    }

    /// The header names (values are secrets and are not exposed here).
    pub fn header_names(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().map(|(n, _)| n.as_str())
    }

    /// The request body with every `Headers` value replaced by `** redacted **`:
    /// safe to print or record.
    pub fn redacted_body(&self) -> Vec<u8> {
        self.wire_body(true)
    }

    fn wire_body(&self, redact: bool) -> Vec<u8> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "StartUrl")]
            start_url: &'a str,
            #[serde(rename = "ExcludeUrl")]
            exclude_url: &'a [String],
            #[serde(rename = "Headers", skip_serializing_if = "Map::is_empty")]
            headers: Map<String, Value>,
            #[serde(rename = "VulnItems")]
            vuln_items: &'a [String],
            #[serde(rename = "UserAgent")]
            user_agent: &'static str,
            #[serde(rename = "Speed")]
            speed: &'static str,
            #[serde(rename = "Memo", skip_serializing_if = "Option::is_none")]
            memo: Option<String>,
            #[serde(rename = "MasterInstanceNo", skip_serializing_if = "Option::is_none")]
            master_instance_no: Option<String>,
        }
        let headers = self
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    Value::String(if redact {
                        REDACTED.to_owned()
                    } else {
                        v.clone()
                    }),
                )
            })
            .collect();
        let body = Body {
            start_url: &self.start_url,
            exclude_url: &self.exclude_urls,
            headers,
            vuln_items: &self.vuln_items,
            user_agent: self.user_agent.wire(),
            speed: self.speed.wire(),
            memo: self.sent_memo(),
            master_instance_no: self.rescan_of.map(|id| id.to_string()),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl fmt::Debug for CreateJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, _)| (n.as_str(), REDACTED))
            .collect();
        f.debug_struct("CreateJob")
            .field("start_url", &self.start_url)
            .field("exclude_urls", &self.exclude_urls)
            .field("headers", &headers)
            .field("vuln_items", &self.vuln_items)
            .field("user_agent", &self.user_agent)
            .field("speed", &self.speed)
            .field("memo", &self.memo)
            .field("tag", &self.tag)
            .field("rescan_of", &self.rescan_of)
            .finish()
    }
}

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

    /// Sets the user agent (default `PC Chrome`).
    pub fn user_agent(mut self, user_agent: UserAgent) -> Self {
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
        if self.headers.len() > MAX_LIST {
            return Err(InvalidInput::new(
                "header",
                format!("at most {MAX_LIST} are accepted"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (index, (name, value)) in self.headers.iter().enumerate() {
            // An invalid name may be a mistyped `Name=value`: never shown.
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
            // `HeaderValue` rejects CR, LF and NUL; the value itself is never echoed.
            if value.len() > MAX_HEADER_VALUE || HeaderValue::from_str(value).is_err() {
                return Err(InvalidInput::new(
                    "header",
                    format!(
                        "the value of {name:?} is not a valid HTTP header value (control characters or too long)"
                    ),
                ));
            }
        }
        let mut vuln_items = self.vuln_items;
        if vuln_items.is_empty() {
            vuln_items.push("ALL".to_owned());
        }
        if vuln_items.len() > MAX_LIST {
            return Err(InvalidInput::new(
                "vulnerability item",
                format!("at most {MAX_LIST} are accepted"),
            ));
        }
        for item in &vuln_items {
            if item.trim().is_empty() || item.len() > 200 || item.chars().any(char::is_control) {
                return Err(InvalidInput::new(
                    "vulnerability item",
                    format!("{:?} is not a valid item name", shorten(item)),
                ));
            }
        }
        let memo = self.memo.filter(|m| !m.is_empty());
        if let Some(memo) = &memo {
            let room = match self.tag {
                Some(_) => MAX_MEMO - TAG_MEMO_LEN,
                None => MAX_MEMO,
            };
            if memo.chars().count() > room {
                let why = match self.tag {
                    Some(_) => format!(
                        "is longer than {room} characters ({MAX_MEMO} less the {TAG_MEMO_LEN} of the create tag)"
                    ),
                    None => format!("is longer than {MAX_MEMO} characters"),
                };
                return Err(InvalidInput::new("memo", why));
            }
            if memo
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                return Err(InvalidInput::new("memo", "contains control characters"));
            }
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

/// The result of createJob: the new job's id when the response carries one,
/// and the response's payload verbatim.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreatedJob {
    /// The new job's id, if the response named it (the docs do not say it will).
    pub instance_no: Option<InstanceId>,
    /// The `resources` payload (or unwrapped body), if any.
    pub raw: Option<Value>,
}

/// Finds an id in whatever shape the create response carries.
fn find_instance_id(value: &Value) -> Option<InstanceId> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| InstanceId::new(n).ok()),
        Value::String(s) => s.parse().ok(),
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| {
                let k = k.to_ascii_lowercase().replace('_', "");
                k == "instanceno" || k == "instanceid"
            })
            .and_then(|(_, v)| find_instance_id(v)),
        Value::Array(items) if items.len() == 1 => find_instance_id(&items[0]),
        _ => None,
    }
}

impl Operation for CreateJob {
    type Output = CreatedJob;
    const KIND: OperationKind = OperationKind::CreateJob;

    fn method(&self) -> Method {
        Method::PUT
    }

    fn write_path(&self, out: &mut PathBuilder) {
        out.push_str("/job");
    }

    fn body(&self) -> Vec<u8> {
        self.wire_body(false)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedJob, Error> {
        let raw = parse_maybe_enveloped(&Parts::of(response))?;
        let instance_no = raw.as_ref().and_then(find_instance_id);
        Ok(CreatedJob { instance_no, raw })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_exact_keys_and_wire_types() {
        let job = CreateJob::builder("https://a.example")
            .rescan_of(InstanceId::new(77).unwrap())
            .build()
            .unwrap();
        let body: Value = serde_json::from_slice(&job.body()).unwrap();
        assert_eq!(body["ExcludeUrl"], serde_json::json!([]));
        assert_eq!(body["Speed"], "1");
        assert_eq!(body["MasterInstanceNo"], "77");
        assert_eq!(body["VulnItems"], serde_json::json!(["ALL"]));
        assert_eq!(body["UserAgent"], "PC Chrome");
    }

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
        let body: Value = serde_json::from_slice(&job.body()).unwrap();
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
    fn wire_json_round_trips_through_the_builder() {
        let job = CreateJob::builder("https://a.example")
            .exclude_url("https://a.example/logout")
            .header("Cookie", "S=1")
            .vuln_item("XSS")
            .user_agent(UserAgent::Iphone)
            .speed(Speed::Fast)
            .memo("m")
            .rescan_of(InstanceId::new(5).unwrap())
            .build()
            .unwrap();
        assert_eq!(CreateJob::from_wire_json(&job.body()).unwrap(), job);
    }

    #[test]
    fn redacted_body_hides_header_values() {
        let job = CreateJob::builder("https://a.example")
            .header("Authorization", "Bearer xyz")
            .build()
            .unwrap();
        let body = String::from_utf8(job.redacted_body()).unwrap();
        assert!(!body.contains("xyz") && body.contains(REDACTED), "{body}");
    }

    #[test]
    fn id_is_found_in_any_reasonable_shape() {
        for v in [
            serde_json::json!(12),
            serde_json::json!("12"),
            serde_json::json!({"instanceNo": "12"}),
            serde_json::json!([{"instance_no": 12}]),
        ] {
            assert_eq!(
                find_instance_id(&v),
                Some(InstanceId::new(12).unwrap()),
                "{v}"
            );
        }
        assert_eq!(find_instance_id(&serde_json::json!({"other": 1})), None);
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
