//! Recorded exchanges ("cassettes"): the one format every crate shares.
//!
//! A client built with a [`Recorder`]
//! ([`ClientBuilder::recorder`](crate::client::ClientBuilder::recorder))
//! writes each exchange here; `wsc-mock` replays them. Secrets never reach a cassette: the signature and access-key
//! headers are replaced by `** redacted **` (replay verifies auth instead of
//! comparing it), and request and response bodies go through
//! [`redact_json_bytes`] (createJob's `Headers` values and every `Login_Info`,
//! at any depth). Bodies are kept as UTF-8 text, or base64 when they are not
//! UTF-8 (a garbage response must replay byte for byte).

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::REDACTED;
use crate::redact::redact_json_bytes;
use crate::signing::{ACCESS_KEY_HEADER, SIGNATURE_HEADER};

/// The current format version.
pub const VERSION: u32 = 1;

/// A sequence of recorded exchanges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cassette {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The exchanges, in the order they happened.
    pub exchanges: Vec<Exchange>,
}

impl Default for Cassette {
    fn default() -> Self {
        Self {
            version: VERSION,
            exchanges: Vec::new(),
        }
    }
}

/// Why a cassette, or an exchange in it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CassetteError {
    /// The text is not a cassette's JSON.
    #[error("not a cassette: {0}")]
    NotACassette(String),
    /// A cassette of another format version.
    #[error("unsupported cassette version {found} (this build reads {VERSION})")]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
    },
    /// A recorded body's `body_base64` does not decode.
    #[error("bad body_base64: {0}")]
    BadBody(String),
    /// A recorded response cannot be rebuilt (e.g. an invalid status).
    #[error("bad recorded response: {0}")]
    BadResponse(String),
}

impl Cassette {
    /// A cassette of the current format [`VERSION`] holding `exchanges`.
    pub fn new(exchanges: Vec<Exchange>) -> Self {
        Self {
            version: VERSION,
            exchanges,
        }
    }

    /// Parses a cassette, rejecting unknown versions.
    ///
    /// ```
    /// use wsc_core::cassette::{Cassette, CassetteError};
    /// assert!(matches!(Cassette::from_json(b"[]"), Err(CassetteError::NotACassette(_))));
    /// assert!(matches!(
    ///     Cassette::from_json(br#"{"version": 99, "exchanges": []}"#),
    ///     Err(CassetteError::UnsupportedVersion { found: 99 })
    /// ));
    /// ```
    pub fn from_json(text: &[u8]) -> Result<Self, CassetteError> {
        let c: Cassette =
            serde_json::from_slice(text).map_err(|e| CassetteError::NotACassette(e.to_string()))?;
        if c.version != VERSION {
            return Err(CassetteError::UnsupportedVersion { found: c.version });
        }
        Ok(c)
    }

    /// Pretty JSON, stable key order.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Collects exchanges as a client makes them (thread-safe); the caller
/// saves [`Recorder::cassette`] wherever it wants — the core does no file I/O.
///
/// ```
/// use wsc_core::cassette::{Cassette, Recorder};
/// let recorder = Recorder::new();
/// let request = http::Request::builder()
///     .uri("https://wsc.apigw.ntruss.com/api/v1/jobs?limit=20&page=1")
///     .header("x-ncp-apigw-signature-v2", "c2lnbmF0dXJl")
///     .body(Vec::new())?;
/// recorder.record(&request, &http::Response::new(r#"{"returnCode":"0"}"#));
///
/// let saved = recorder.cassette().to_json();
/// assert!(!saved.contains("c2lnbmF0dXJl"), "the signature is never recorded");
/// let read = Cassette::from_json(saved.as_bytes())?;
/// assert_eq!(read.exchanges[0].request.target, "/api/v1/jobs?limit=20&page=1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Recorder {
    cassette: std::sync::Mutex<Cassette>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one exchange, redacting secrets.
    pub fn record<B: AsRef<[u8]>, C: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        response: &http::Response<C>,
    ) {
        self.record_response(RecordedRequest::from_http(request), response);
    }

    /// Records a response to a request captured (redacted) before it was
    /// handed to the HTTP stack, which takes the request itself.
    pub(crate) fn record_response<C: AsRef<[u8]>>(
        &self,
        request: RecordedRequest,
        response: &http::Response<C>,
    ) {
        let exchange = Exchange {
            request,
            response: RecordedResponse::from_http(response),
        };
        self.cassette
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .exchanges
            .push(exchange);
    }

    /// A copy of everything recorded so far.
    pub fn cassette(&self) -> Cassette {
        self.cassette
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// One request and the response it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Exchange {
    /// The request, secrets redacted.
    pub request: RecordedRequest,
    /// The response.
    pub response: RecordedResponse,
}

impl Exchange {
    /// `request` and the `response` it got.
    pub fn new(request: RecordedRequest, response: RecordedResponse) -> Self {
        Self { request, response }
    }
}

/// A request as recorded ([`RecordedRequest::from_http`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Method.
    pub method: String,
    /// Request-target (path and query, as signed).
    pub target: String,
    /// Headers in order, auth values redacted.
    pub headers: Vec<(String, String)>,
    /// Body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A response as recorded ([`RecordedResponse::from_http`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A body: text when it is UTF-8, base64 otherwise ([`RecordedBody::from_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct RecordedBody {
    /// UTF-8 body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Base64 of a body that is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

impl RecordedBody {
    /// Wraps raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok("") => Self::default(),
            Ok(text) => Self {
                body: Some(text.to_owned()),
                body_base64: None,
            },
            Err(_) => Self {
                body: None,
                body_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            },
        }
    }

    /// The raw bytes (an undecodable base64 field yields an error).
    pub fn to_bytes(&self) -> Result<Vec<u8>, CassetteError> {
        match (&self.body, &self.body_base64) {
            (_, Some(b64)) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| CassetteError::BadBody(e.to_string())),
            (Some(text), None) => Ok(text.clone().into_bytes()),
            (None, None) => Ok(Vec::new()),
        }
    }
}

fn header_pairs(headers: &http::HeaderMap, redact_auth: bool) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let secret = redact_auth
                && (*name == SIGNATURE_HEADER
                    || *name == ACCESS_KEY_HEADER
                    || value.is_sensitive());
            // Timestamps are kept (they are not secret); replay ignores them.
            let shown = if secret {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), shown)
        })
        .collect()
}

impl RecordedRequest {
    /// Records a request, redacting auth headers and createJob `Headers` values.
    pub fn from_http<B: AsRef<[u8]>>(request: &http::Request<B>) -> Self {
        Self {
            method: request.method().as_str().to_owned(),
            target: request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            headers: header_pairs(request.headers(), true),
            body: RecordedBody::from_bytes(&redact_json_bytes(request.body().as_ref())),
        }
    }
}

impl RecordedResponse {
    /// Records a response.
    pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        Self {
            status: response.status().as_u16(),
            headers: header_pairs(response.headers(), false),
            body: RecordedBody::from_bytes(&redact_json_bytes(response.body().as_ref())),
        }
    }

    /// Rebuilds the `http::Response` (invalid recorded headers are skipped).
    pub fn to_http(&self) -> Result<http::Response<Vec<u8>>, CassetteError> {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                builder = builder.header(n, v);
            }
        }
        builder
            .body(self.body.to_bytes()?)
            .map_err(|e| CassetteError::BadResponse(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::{CreateJob, build_request};
    use crate::signing::TimestampMs;
    use crate::{Credentials, Endpoint};

    #[test]
    fn recorded_create_has_no_secret() {
        let creds = Credentials::new("AKID", "SECRETKEY").unwrap();
        let job = CreateJob::builder("https://t.example")
            .header("Cookie", "SID=hunter2")
            .build()
            .unwrap();
        let req = build_request(
            &job,
            &Endpoint::parse("http://127.0.0.1:1").unwrap(),
            &creds,
            TimestampMs(1),
        )
        .unwrap();
        let sig = req.headers()[SIGNATURE_HEADER].to_str().unwrap().to_owned();
        let text = Cassette {
            version: VERSION,
            exchanges: vec![Exchange {
                request: RecordedRequest::from_http(&req),
                response: RecordedResponse::from_http(&http::Response::new(b"{}".to_vec())),
            }],
        }
        .to_json();
        for secret in ["SECRETKEY", "hunter2", sig.as_str(), "AKID"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(text.contains("Cookie"));
    }

    #[test]
    fn recorded_report_masks_login_info() {
        let body = br#"{"returnCode":"0","resources":{"Login_Info":{"Cookie":"SESSION=hunter2"},"Memo":"m"}}"#;
        let recorded = RecordedResponse::from_http(&http::Response::new(body.to_vec()));
        let text = recorded.body.body.unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains(REDACTED) && text.contains("\"Memo\":\"m\""),
            "{text}"
        );
        // Bodies without secrets are kept byte for byte.
        let plain = b"{ \"a\" : 1 }";
        assert_eq!(redact_json_bytes(plain), plain.to_vec());
    }

    #[test]
    fn binary_bodies_round_trip() {
        let bytes = vec![0xff, 0x00, 0x7b];
        let b = RecordedBody::from_bytes(&bytes);
        assert!(b.body_base64.is_some());
        assert_eq!(b.to_bytes().unwrap(), bytes);
        let c = Cassette {
            version: 1,
            exchanges: vec![],
        };
        assert_eq!(Cassette::from_json(c.to_json().as_bytes()).unwrap(), c);
        assert!(Cassette::from_json(br#"{"version":9,"exchanges":[]}"#).is_err());
    }
}
