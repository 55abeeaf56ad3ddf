//! A dry run through the real client: [`DryRun`] is an HTTP stack that keeps
//! each signed request the client hands it and sends nothing.
//!
//! A client built over it ([`ClientBuilder::build_with`](crate::client::ClientBuilder::build_with))
//! prepares, signs and stamps the request exactly as it would for the
//! network (the same `User-Agent`, timestamp and signature), then gets a
//! [`TransportFailureKind::DryRun`] failure back, which is never retried and
//! says the request was never sent. What was kept is a [`DryRunRequest`]: the
//! request with its secrets masked — the signature, all but four characters
//! of the access key, and the createJob `Headers` values — so it can be
//! printed as it is.
//!
//! ```
//! use wsc_core::Client;
//! use wsc_core::transport::DryRun;
//! use wsc_core::transport::TransportFailureKind;
//! use wsc_core::ListJobs;
//! use wsc_core::{Credentials, Endpoint, Error};
//!
//! let credentials = Credentials::new("C9zxQyBQVqcRNQmcAXKn", "a-secret-key")?;
//! let client = Client::builder(credentials, Endpoint::parse("https://wsc.apigw.ntruss.com")?)
//!     .build_with(DryRun::named("ureq"));
//!
//! let result = client.list_jobs(&ListJobs::default());
//! assert!(matches!(result, Err(Error::Transport(t)) if t.kind == TransportFailureKind::DryRun));
//!
//! let requests = client.http().requests();
//! assert_eq!(requests.len(), 1, "a dry run is never retried");
//! let request = &requests[0];
//! assert_eq!(request.method(), "GET");
//! assert_eq!(request.uri(), "https://wsc.apigw.ntruss.com/api/v1/jobs?limit=20&page=1");
//! assert_eq!(request.header("x-ncp-iam-access-key"), Some("C9zx****************"));
//! assert_eq!(request.header("x-ncp-apigw-signature-v2"), Some(wsc_core::sans_io::REDACTED));
//! assert!(request.header("user-agent").unwrap().ends_with("(ureq)"));
//! assert!(request.string_to_sign().starts_with("GET /api/v1/jobs?limit=20&page=1\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Mutex;

use bytes::Bytes;
use http::{Method, Request, Response, Uri};

use crate::client::{AttemptLimits, HttpClient};
use crate::credentials::AccessKey;
use crate::error::{Delivery, TransportError, TransportFailureKind};
use crate::signing::{ACCESS_KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, TimestampMs};
use crate::{REDACTED, redact};

/// An HTTP stack that records each request it is given and sends nothing
/// (the CLI's `--dry-run`).
pub struct DryRun {
    name: &'static str,
    requests: Mutex<Vec<DryRunRequest>>,
}

impl DryRun {
    /// A dry-run stack whose `User-Agent` names `name`: the name of the stack
    /// it stands in for (`"ureq"` for `wsc-ureq`), so the request shown is the
    /// one that stack would send.
    pub fn named(name: &'static str) -> Self {
        Self {
            name,
            requests: Mutex::new(Vec::new()),
        }
    }

    /// The requests kept so far, oldest first, secrets masked.
    pub fn requests(&self) -> Vec<DryRunRequest> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Default for DryRun {
    /// A dry-run stack named `dry-run`.
    fn default() -> Self {
        Self::named("dry-run")
    }
}

impl fmt::Debug for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DryRun")
            .field("name", &self.name)
            .field("requests", &self.requests())
            .finish()
    }
}

impl HttpClient for DryRun {
    fn send(
        &self,
        request: Request<Vec<u8>>,
        _limits: AttemptLimits,
    ) -> Result<Response<Bytes>, TransportError> {
        let kept = DryRunRequest::masking(&request);
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(kept);
        Err(TransportError::new(
            TransportFailureKind::DryRun,
            Delivery::NotSent,
            "dry run: the request was kept and not sent",
        ))
    }

    fn name(&self) -> &'static str {
        self.name
    }
}

/// One request a [`DryRun`] was given, with its secrets masked: safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunRequest {
    method: Method,
    uri: Uri,
    headers: Vec<(String, String)>,
    string_to_sign: String,
    body: Vec<u8>,
}

impl DryRunRequest {
    fn masking(request: &Request<Vec<u8>>) -> Self {
        let access_key = request
            .headers()
            .get(ACCESS_KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| AccessKey::new(v).ok());
        let masked_key = access_key.as_ref().map(AccessKey::masked);
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = if *name == SIGNATURE_HEADER {
                    REDACTED.to_owned()
                } else if *name == ACCESS_KEY_HEADER {
                    masked_key.clone().unwrap_or_else(|| REDACTED.to_owned())
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        let timestamp = request
            .headers()
            .get(TIMESTAMP_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .map(TimestampMs);
        let string_to_sign = match (access_key, timestamp) {
            (Some(key), Some(timestamp)) => {
                let target = request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let masked = masked_key.unwrap_or_default();
                crate::signing::string_to_sign(request.method(), target, timestamp, &key)
                    .replace(key.as_str(), &masked)
            }
            _ => String::new(),
        };
        Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers,
            string_to_sign,
            body: redact::redact_json_bytes(request.body()),
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The absolute URI, exactly as it would be sent and signed.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// Every header in the order sent, as `(name, value)`; the signature is
    /// [`REDACTED`] and the access key masked.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of header `name` (any case), as [`DryRunRequest::headers`] shows it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The string that was signed, with the access key masked (empty when
    /// the request carried no signature headers).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The body with createJob's `Headers` values masked (empty for none).
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::operations::CreateJob;
    use crate::{Credentials, Endpoint, Error};

    fn client() -> Client<DryRun> {
        let credentials = Credentials::new("AKIDEXAMPLE00000", "the-secret-key-value").unwrap();
        Client::builder(credentials, Endpoint::parse("https://wsc.example").unwrap())
            .build_with(DryRun::default())
    }

    #[test]
    fn a_dry_run_create_is_kept_once_with_every_secret_masked() {
        let client = client();
        let job = CreateJob::builder("https://target.example")
            .header("Cookie", "SESSION=hunter2")
            .build()
            .unwrap();
        let err = client.create_job(&job).unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.kind == TransportFailureKind::DryRun && t.delivery == Delivery::NotSent),
            "{err:?}"
        );
        assert!(!err.may_have_reached_service());
        let requests = client.http().requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(request.method(), Method::PUT);
        assert_eq!(request.uri(), "https://wsc.example/api/v1/job");
        let printed = format!("{request:?} {}", String::from_utf8_lossy(request.body()));
        for secret in ["hunter2", "the-secret-key-value", "AKIDEXAMPLE00000"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body["Headers"]["Cookie"], REDACTED);
        assert_eq!(body["StartUrl"], "https://target.example");
        assert!(request.string_to_sign().ends_with("\nAKID************"));
    }

    #[test]
    fn a_dry_run_read_is_not_retried() {
        let client = client();
        assert!(
            client
                .get_report(crate::InstanceId::new(7).unwrap())
                .is_err()
        );
        let requests = client.http().requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(
            requests[0].uri(),
            "https://wsc.example/api/v1/jobs/7/report"
        );
        assert_eq!(
            requests[0].header("X-NCP-APIGW-SIGNATURE-V2"),
            Some(REDACTED)
        );
    }
}
