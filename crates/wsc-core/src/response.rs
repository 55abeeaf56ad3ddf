//! Reading a response: the success envelope, the two error shapes, and every
//! way a body can fail to be what it should. Shared by every operation's parser.
//!
//! Classification keys on the error *code* (number or string) rather than only on
//! the HTTP status, because the service has sent 901 with HTTP 200, 400 and 401.

use std::borrow::Cow;

use http::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http::{HeaderMap, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::Error;
use crate::error::{
    ErrorCode, GatewayError, GatewayErrorKind, RetryAfter, ServiceError, UnexpectedResponse,
    body_excerpt, sanitize_server_text,
};
use crate::model::wire;

/// The parts of an `http::Response` a parser looks at.
pub(crate) struct Parts<'a> {
    pub status: StatusCode,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl<'a> Parts<'a> {
    pub fn of<B: AsRef<[u8]>>(response: &'a Response<B>) -> Self {
        Self {
            status: response.status(),
            headers: response.headers(),
            body: response.body().as_ref(),
        }
    }

    fn content_type(&self) -> Option<String> {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(sanitize_server_text)
    }

    pub fn unexpected(&self, reason: impl Into<String>, json_path: Option<String>) -> Error {
        Error::UnexpectedResponse(UnexpectedResponse {
            status: self.status,
            content_type: self.content_type(),
            reason: reason.into(),
            json_path,
            excerpt: body_excerpt(self.body),
        })
    }
}

/// The `error` object (or a top-level `errorCode`/`message`).
#[derive(Deserialize, Default)]
struct WireError {
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "wire::deserialize_optional_text"
    )]
    code: Option<String>,
    #[serde(default, deserialize_with = "wire::deserialize_optional_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "wire::deserialize_optional_text")]
    details: Option<String>,
}

/// The success envelope, with both error shapes folded in. The two fields
/// every success carries borrow from the body: they are only kept on failure.
#[derive(Deserialize)]
struct Envelope<'a, T> {
    #[serde(
        rename = "returnCode",
        default,
        borrow,
        deserialize_with = "wire::deserialize_optional_text_borrowed"
    )]
    return_code: Option<Cow<'a, str>>,
    #[serde(
        rename = "returnMessage",
        default,
        borrow,
        deserialize_with = "wire::deserialize_optional_text_borrowed"
    )]
    return_message: Option<Cow<'a, str>>,
    #[serde(default = "none")]
    resources: Option<T>,
    #[serde(default)]
    error: Option<WireError>,
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "wire::deserialize_optional_text"
    )]
    error_code: Option<String>,
    #[serde(default, deserialize_with = "wire::deserialize_optional_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "wire::deserialize_optional_text")]
    details: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

/// What an envelope holds once parsed: an error object, the return code and
/// message, and the resources.
type Unpacked<'a, T> = (
    Option<WireError>,
    Option<Cow<'a, str>>,
    Option<Cow<'a, str>>,
    Option<T>,
);

impl<'a, T> Envelope<'a, T> {
    fn into_error(self) -> Unpacked<'a, T> {
        let error = self.error.or(self.error_code.map(|code| WireError {
            code: Some(code),
            message: self.message,
            details: self.details,
        }));
        (error, self.return_code, self.return_message, self.resources)
    }
}

/// Turns an error body into the typed error it stands for.
fn error_from_wire(parts: &Parts<'_>, wire: WireError) -> Error {
    let code = ErrorCode::new(
        wire.code
            .as_deref()
            .map(sanitize_server_text)
            .unwrap_or_else(|| "?".into()),
    );
    let message = wire
        .message
        .as_deref()
        .map(sanitize_server_text)
        .unwrap_or_default();
    if GatewayErrorKind::is_gateway_code(&code) {
        Error::Gateway(GatewayError {
            status: parts.status,
            code,
            message,
            details: wire.details.as_deref().map(sanitize_server_text),
            retry_after: parts
                .headers
                .get(RETRY_AFTER)
                .and_then(|v| RetryAfter::parse(v.as_bytes())),
        })
    } else {
        Error::Service(ServiceError {
            status: parts.status,
            code,
            message,
        })
    }
}

/// Checks what must hold before any JSON is read: a body, and no redirect.
fn precheck(parts: &Parts<'_>, empty_ok: bool) -> Result<bool, Error> {
    if parts.status.is_redirection() {
        let to = parts
            .headers
            .get(LOCATION)
            .map(|v| body_excerpt(v.as_bytes()))
            .unwrap_or_default();
        return Err(parts.unexpected(
            format!("redirect to {to:?} (redirects are never followed with credentials)"),
            None,
        ));
    }
    if parts.body.iter().all(u8::is_ascii_whitespace) {
        if parts.status.is_success() && (empty_ok || parts.status == StatusCode::NO_CONTENT) {
            return Ok(false);
        }
        return Err(parts.unexpected("empty body", None));
    }
    Ok(true)
}

fn json_failure(parts: &Parts<'_>, err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let reason = if parts.status.is_success() {
        if inner.is_eof() {
            "truncated JSON body".to_owned()
        } else if inner.is_syntax() {
            "body is not valid JSON".to_owned()
        } else {
            format!("JSON does not have the expected shape: {inner}")
        }
    } else {
        "error status with a body that is not the API's JSON error".to_owned()
    };
    let path = (path != "." && !path.is_empty() && parts.status.is_success()).then_some(path);
    parts.unexpected(reason, path)
}

/// Parses an enveloped response whose `resources` is a `T`.
/// `Ok(None)` means success without resources (`null`, absent, or an allowed empty body).
pub(crate) fn parse_enveloped<T: DeserializeOwned>(
    parts: &Parts<'_>,
    empty_ok: bool,
) -> Result<Option<T>, Error> {
    if !precheck(parts, empty_ok)? {
        return Ok(None);
    }
    // Fast path without path tracking; only a failure pays for a second,
    // tracked parse that names the JSON path.
    // A body that is valid UTF-8 as a whole (every well-formed one) is parsed
    // as `&str`, so serde_json does not re-validate each string inside it.
    let fast = match std::str::from_utf8(parts.body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(parts.body),
    };
    let envelope: Envelope<'_, T> = match fast {
        Ok(v) => v,
        Err(first) => {
            let mut de = serde_json::Deserializer::from_slice(parts.body);
            return Err(
                match serde_path_to_error::deserialize::<_, Envelope<'_, T>>(&mut de) {
                    Err(e) => json_failure(parts, e),
                    // Parsed this time: the first failure was trailing data.
                    Ok(_) if first.is_syntax() => {
                        parts.unexpected("trailing data after the JSON body", None)
                    }
                    Ok(_) => parts.unexpected(
                        format!("JSON does not have the expected shape: {first}"),
                        None,
                    ),
                },
            );
        }
    };
    finish(parts, envelope.into_error())
}

fn finish<T>(
    parts: &Parts<'_>,
    (error, return_code, return_message, resources): Unpacked<'_, T>,
) -> Result<Option<T>, Error> {
    if let Some(error) = error {
        return Err(error_from_wire(parts, error));
    }
    if let Some(code) = return_code.filter(|c| c.trim() != "0") {
        return Err(error_from_wire(
            parts,
            WireError {
                code: Some(code.into_owned()),
                message: return_message.map(Cow::into_owned),
                details: None,
            },
        ));
    }
    if !parts.status.is_success() {
        return Err(parts.unexpected("error status without an error object", None));
    }
    Ok(resources)
}

/// Parses a body that may or may not be wrapped in the success envelope
/// (getReport, createJob): the unwrapped JSON object is returned either way.
pub(crate) fn parse_maybe_enveloped(parts: &Parts<'_>) -> Result<Option<Value>, Error> {
    if !precheck(parts, false)? {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_slice(parts.body);
    let value: Value = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => return Err(json_failure(parts, e)),
    };
    let Value::Object(mut map) = value else {
        if parts.status.is_success() {
            return Err(parts.unexpected("expected a JSON object", None));
        }
        return Err(parts.unexpected(
            "error status with a body that is not the API's JSON error",
            None,
        ));
    };
    let enveloped = ["returnCode", "resources", "error", "errorCode"]
        .iter()
        .any(|k| map.contains_key(*k));
    if !enveloped {
        if !parts.status.is_success() {
            return Err(parts.unexpected("error status without an error object", None));
        }
        return Ok(Some(Value::Object(map)));
    }
    let take_text = |map: &mut Map<String, Value>, key: &str| {
        map.remove(key)
            .and_then(|v| wire::deserialize_optional_text(v).ok().flatten())
    };
    let error = match map.remove("error") {
        Some(v @ Value::Object(_)) => Some(WireError::deserialize(v).unwrap_or_default()),
        _ => None,
    };
    let error = error.or_else(|| {
        take_text(&mut map, "errorCode").map(|code| WireError {
            code: Some(code),
            message: take_text(&mut map, "message"),
            details: take_text(&mut map, "details"),
        })
    });
    let return_code = take_text(&mut map, "returnCode").map(Cow::Owned);
    let return_message = take_text(&mut map, "returnMessage").map(Cow::Owned);
    let resources = map.remove("resources").filter(|v| !v.is_null());
    finish(parts, (error, return_code, return_message, resources))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Option<Value>, Error> {
        let response = Response::new(body.as_bytes().to_vec());
        parse_enveloped::<Value>(&Parts::of(&response), false)
    }

    #[test]
    fn a_numeric_zero_return_code_is_success() {
        let out = parse(r#"{"returnCode":0,"returnMessage":"Success","resources":{"a":1}}"#);
        assert_eq!(out.unwrap().unwrap()["a"], 1);
    }

    #[test]
    fn a_failing_return_code_keeps_an_escaped_message() {
        // The message has an escape, so it cannot be borrowed from the body.
        let body = r#"{"returnCode":1234,"returnMessage":"Caf\u00e9 \"closed\"","resources":null}"#;
        match parse(body).unwrap_err() {
            Error::Service(e) => {
                assert_eq!(e.code.as_str(), "1234");
                assert_eq!(e.message, "Café \"closed\"");
            }
            other => panic!("{other:?}"),
        }
        let body = r#"{"returnCode":"1234","returnMessage":"plain","resources":null}"#;
        match parse(body).unwrap_err() {
            Error::Service(e) => {
                assert_eq!((e.code.as_str(), e.message.as_str()), ("1234", "plain"))
            }
            other => panic!("{other:?}"),
        }
    }
}
