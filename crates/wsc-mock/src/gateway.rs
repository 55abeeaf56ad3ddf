//! The API gateway's checks: the three auth headers, the 5-minute timestamp
//! window, the known access key and a constant-time signature comparison.

use std::time::SystemTime;

use http::request::Parts;
use subtle::ConstantTimeEq;
use wsc_core::Credentials;
use wsc_core::sans_io::TimestampMs;
use wsc_core::sans_io::{ACCESS_KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

use crate::reply::Reply;

/// The gateway's allowed clock difference, in milliseconds.
const WINDOW_MS: u64 = 5 * 60 * 1000;

/// Why authentication failed (kept in the journal; the client sees the gateway's shape).
pub(crate) fn verify(
    parts: &Parts,
    target: &str,
    credentials: &Credentials,
    now: SystemTime,
) -> Result<(), (Reply, String)> {
    let deny = |why: &str| {
        Err((
            Reply::gateway(
                401,
                "200",
                "Authentication Failed",
                Some("Invalid authentication information."),
            ),
            why.to_owned(),
        ))
    };
    let header = |name| {
        parts
            .headers
            .get(name)
            .map(|v: &http::HeaderValue| v.as_bytes())
    };
    let (Some(ts), Some(ak), Some(sig)) = (
        header(&TIMESTAMP_HEADER),
        header(&ACCESS_KEY_HEADER),
        header(&SIGNATURE_HEADER),
    ) else {
        return deny(
            "missing one of the x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2 headers",
        );
    };
    let Some(ts) = std::str::from_utf8(ts)
        .ok()
        .and_then(|t| t.parse::<u64>().ok())
    else {
        return deny("timestamp is not a decimal number of milliseconds");
    };
    let server_ms = TimestampMs::from_system_time(now).0;
    if ts.abs_diff(server_ms) > WINDOW_MS {
        return deny("timestamp is more than 5 minutes from the gateway clock");
    }
    if !bool::from(ak.ct_eq(credentials.access_key().as_str().as_bytes())) {
        return deny("unknown access key");
    }
    let expected = sign(&parts.method, target, TimestampMs(ts), credentials);
    if !bool::from(sig.ct_eq(expected.signature().as_bytes())) {
        return deny("signature mismatch");
    }
    Ok(())
}
