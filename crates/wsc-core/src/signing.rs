//! NCP API Gateway Signature V2.
//!
//! ```text
//! string-to-sign = METHOD " " REQUEST-URI "\n" TIMESTAMP "\n" ACCESS-KEY
//! signature      = base64(HMAC-SHA256(secret key, string-to-sign))
//! ```
//!
//! **Contract:** `REQUEST-URI` is the path and query exactly as they go on the
//! wire — never re-encoded, re-ordered or normalised here. Request building
//! ([`crate::operations`]) signs the very `PathAndQuery` it puts in the request,
//! so the two cannot differ. The body is not signed. The timestamp is a
//! parameter: this module never reads a clock.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::Mac as _;
use http::Method;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::credentials::{Credentials, REDACTED};

/// `x-ncp-apigw-timestamp`.
pub const TIMESTAMP_HEADER: HeaderName = HeaderName::from_static("x-ncp-apigw-timestamp");
/// `x-ncp-iam-access-key`.
pub const ACCESS_KEY_HEADER: HeaderName = HeaderName::from_static("x-ncp-iam-access-key");
/// `x-ncp-apigw-signature-v2`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-ncp-apigw-signature-v2");

/// Milliseconds since the Unix epoch, as the gateway expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampMs(pub u64);

impl TimestampMs {
    /// The timestamp of a wall-clock instant (before 1970 counts as 0).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use wsc_core::sans_io::TimestampMs;
    /// let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
    /// assert_eq!(TimestampMs::from_system_time(t), TimestampMs(1_700_000_000_123));
    /// ```
    pub fn from_system_time(time: SystemTime) -> Self {
        let ms = time
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Self(u64::try_from(ms).unwrap_or(u64::MAX))
    }

    /// The wall-clock instant this timestamp names.
    pub fn to_system_time(self) -> SystemTime {
        UNIX_EPOCH + std::time::Duration::from_millis(self.0)
    }
}

/// Feeds the string-to-sign to `sink` piece by piece; the single definition of
/// its layout, shared by the signer (which hashes without building a string)
/// and by [`string_to_sign`].
fn feed_string_to_sign(
    method: &Method,
    request_uri: &str,
    timestamp: &[u8],
    access_key: &str,
    mut sink: impl FnMut(&[u8]),
) {
    sink(method.as_str().as_bytes());
    sink(b" ");
    sink(request_uri.as_bytes());
    sink(b"\n");
    sink(timestamp);
    sink(b"\n");
    sink(access_key.as_bytes());
}

/// The exact string that is signed, for diagnostics (`--dry-run`) and tests.
///
/// ```
/// use http::Method;
/// use wsc_core::sans_io::string_to_sign;
/// use wsc_core::sans_io::{AccessKey, TimestampMs};
/// let ak = AccessKey::new("AK").unwrap();
/// assert_eq!(
///     string_to_sign(&Method::GET, "/api/v1/jobs?limit=10&page=1", TimestampMs(1), &ak),
///     "GET /api/v1/jobs?limit=10&page=1\n1\nAK"
/// );
/// ```
pub fn string_to_sign(
    method: &Method,
    request_uri: &str,
    timestamp: TimestampMs,
    access_key: &crate::AccessKey,
) -> String {
    let mut buf = itoa::Buffer::new();
    let ts = buf.format(timestamp.0).as_bytes();
    let mut out = Vec::with_capacity(request_uri.len() + access_key.as_str().len() + 32);
    feed_string_to_sign(method, request_uri, ts, access_key.as_str(), |part| {
        out.extend_from_slice(part)
    });
    // Every part is UTF-8 (a Method, a &str, ASCII digits), so this is lossless.
    String::from_utf8(out).unwrap_or_default()
}

/// The three authentication headers of one signed request.
///
/// `Debug` prints the signature as `** redacted **`, and the signature's
/// `HeaderValue` is marked sensitive so HTTP stacks that honour the flag
/// (hyper's and ureq's debug output) hide it too.
#[derive(Clone)]
pub struct SignedHeaders {
    timestamp: HeaderValue,
    access_key: HeaderValue,
    signature: HeaderValue,
}

/// `Content-Type`, sent on every request (GET and PATCH too).
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Inserts the headers of a signed request, by name: content type,
/// timestamp, access key and signature.
pub(crate) fn insert_auth_headers(
    headers: &mut HeaderMap,
    timestamp: HeaderValue,
    access_key: HeaderValue,
    signature: HeaderValue,
) {
    headers.insert(http::header::CONTENT_TYPE, JSON);
    headers.insert(TIMESTAMP_HEADER, timestamp);
    headers.insert(ACCESS_KEY_HEADER, access_key);
    headers.insert(SIGNATURE_HEADER, signature);
}

impl SignedHeaders {
    /// The `x-ncp-apigw-timestamp` value.
    pub fn timestamp(&self) -> &HeaderValue {
        &self.timestamp
    }

    /// The `x-ncp-iam-access-key` value.
    pub fn access_key(&self) -> &HeaderValue {
        &self.access_key
    }

    /// The `x-ncp-apigw-signature-v2` value (sensitive: do not log it).
    pub fn signature(&self) -> &HeaderValue {
        &self.signature
    }

    /// Inserts the three headers into `headers`, replacing any previous values.
    pub fn apply_to(self, headers: &mut HeaderMap) {
        headers.insert(TIMESTAMP_HEADER, self.timestamp);
        headers.insert(ACCESS_KEY_HEADER, self.access_key);
        headers.insert(SIGNATURE_HEADER, self.signature);
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("timestamp", &self.timestamp)
            .field("access_key", &self.access_key)
            .field("signature", &format_args!("{REDACTED}"))
            .finish()
    }
}

/// A computed signature: 44 base64 characters on the stack. `Debug` redacts it.
#[derive(Clone, Copy)]
pub struct Signature {
    bytes: [u8; 44],
}

impl Signature {
    /// The base64 text.
    pub fn as_str(&self) -> &str {
        // Base64 output is ASCII.
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }

    /// The base64 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// The Signature V2 value alone (HMAC-SHA256 with the pre-keyed state, then
/// base64): no allocation. `timestamp` is the decimal text of the ms timestamp.
///
/// The parts of the string-to-sign go straight into the HMAC's own block
/// buffer: no intermediate string, no zeroed scratch buffer.
pub fn signature(
    method: &Method,
    request_uri: &str,
    timestamp: &[u8],
    credentials: &Credentials,
) -> Signature {
    let mut mac = credentials.keyed_hmac();
    feed_string_to_sign(
        method,
        request_uri,
        timestamp,
        credentials.access_key().as_str(),
        |part| mac.update(part),
    );
    let digest = mac.finalize().into_bytes();
    let mut bytes = [0u8; 44];
    // 32 bytes of digest are always 44 base64 characters with padding.
    let _ = base64::engine::general_purpose::STANDARD.encode_slice(digest, &mut bytes);
    Signature { bytes }
}

/// Signs one request: a pure function of method, wire request-URI, timestamp and
/// credentials.
///
/// ```
/// use http::Method;
/// use wsc_core::Credentials;
/// use wsc_core::sans_io::{TimestampMs, sign};
/// let creds = Credentials::new("C9zxQyBQVqcRNQmcAXKn", "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g").unwrap();
/// let headers = sign(&Method::GET, "/api/v1/jobs?limit=10&page=1", TimestampMs(1_700_000_000_000), &creds);
/// assert_eq!(headers.signature(), "x3Nd7Xi2IEPCup9CrU+qgMfuqTBNuDOAHwZX50g1m/Q=");
/// assert!(headers.signature().is_sensitive());
/// ```
pub fn sign(
    method: &Method,
    request_uri: &str,
    timestamp: TimestampMs,
    credentials: &Credentials,
) -> SignedHeaders {
    let (timestamp, signature) = signed_values(method, request_uri, timestamp, credentials);
    SignedHeaders {
        timestamp,
        access_key: credentials.access_key_header(),
        signature,
    }
}

/// The two per-request header values: the timestamp and the signature (marked
/// sensitive). Request building uses this directly, so it never clones the
/// access-key value only to drop it.
pub(crate) fn signed_values(
    method: &Method,
    request_uri: &str,
    timestamp: TimestampMs,
    credentials: &Credentials,
) -> (HeaderValue, HeaderValue) {
    let mut ts_buf = itoa::Buffer::new();
    let ts = ts_buf.format(timestamp.0).as_bytes();
    let sig = signature(method, request_uri, ts, credentials);
    // Digits and base64 are always valid header bytes; the fallbacks below are
    // unreachable but keep this function panic-free.
    let timestamp = HeaderValue::from_bytes(ts).unwrap_or(HeaderValue::from_static("0"));
    let mut signature =
        HeaderValue::from_bytes(sig.as_bytes()).unwrap_or(HeaderValue::from_static(""));
    signature.set_sensitive(true);
    (timestamp, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_signature() {
        let creds = Credentials::new("AK", "SK").unwrap();
        let h = sign(&Method::GET, "/x", TimestampMs(5), &creds);
        let shown = format!("{h:?}");
        assert!(shown.contains(REDACTED));
        assert!(!shown.contains(h.signature().to_str().unwrap()));
    }

    #[test]
    fn a_signed_request_carries_every_header_by_name() {
        let creds = Credentials::new("AK", "SK").unwrap();
        let op = crate::operations::ListJobs::default();
        let endpoint = crate::Endpoint::parse("http://127.0.0.1:9").unwrap();
        let req = crate::operations::build_request(&op, &endpoint, &creds, TimestampMs(5)).unwrap();
        let signed = sign(
            &Method::GET,
            req.uri().path_and_query().unwrap().as_str(),
            TimestampMs(5),
            &creds,
        );
        let headers = req.headers();
        assert_eq!(headers.len(), 4);
        assert_eq!(headers[TIMESTAMP_HEADER], "5");
        assert_eq!(headers[ACCESS_KEY_HEADER], "AK");
        assert_eq!(headers[SIGNATURE_HEADER], signed.signature());
        assert!(headers[SIGNATURE_HEADER].is_sensitive());
        assert_eq!(headers[http::header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn signature_depends_on_every_input() {
        let creds = Credentials::new("AK", "SK").unwrap();
        let base = sign(&Method::GET, "/x", TimestampMs(5), &creds);
        let other_creds = Credentials::new("AK2", "SK").unwrap();
        let variants = [
            sign(&Method::POST, "/x", TimestampMs(5), &creds),
            sign(&Method::GET, "/y", TimestampMs(5), &creds),
            sign(&Method::GET, "/x", TimestampMs(6), &creds),
            sign(&Method::GET, "/x", TimestampMs(5), &other_creds),
            sign(
                &Method::GET,
                "/x",
                TimestampMs(5),
                &Credentials::new("AK", "SK2").unwrap(),
            ),
        ];
        for v in variants {
            assert_ne!(v.signature(), base.signature());
        }
    }
}
