//! API credentials: the access key id and the secret key.
//!
//! The secret never leaves this module in printable form: `Debug` and `Display`
//! print `** redacted **`, there is no `Serialize`, and the bytes are zeroized on
//! drop. The HMAC-SHA256 state keyed with the secret is computed once here
//! (pre-keying) and cloned for every signature, so signing never re-hashes the key.
//! Where credentials come *from* (env, profile file) is [`crate::config`]'s job.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::invalid_input::InvalidInput;

/// What `Debug`/`Display` print in place of any secret value.
pub const REDACTED: &str = "** redacted **";

/// The HMAC state type used for Signature V2.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// An NCP access key id (sent in clear in `x-ncp-iam-access-key`).
///
/// Validated on construction: non-empty, at most 256 bytes, visible ASCII only,
/// so it is always a valid header value and a safe part of the string-to-sign.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessKey(String);

impl AccessKey {
    /// Validates and wraps an access key id.
    ///
    /// ```
    /// use wsc_core::sans_io::AccessKey;
    /// assert!(AccessKey::new("C9zxQyBQVqcRNQmcAXKn").is_ok());
    /// assert!(AccessKey::new("has space").is_err());
    /// ```
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        let value = value.into();
        let field = "access key";
        if value.is_empty() {
            return Err(InvalidInput::new(field, "is empty"));
        }
        if value.len() > 256 {
            return Err(InvalidInput::new(field, "is longer than 256 characters"));
        }
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInput::new(
                field,
                "must be printable ASCII without spaces or control characters",
            ));
        }
        Ok(Self(value))
    }

    /// The key id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key with all but its first four characters masked, for display.
    ///
    /// ```
    /// use wsc_core::sans_io::AccessKey;
    /// assert_eq!(AccessKey::new("C9zxQyBQVqcRNQmcAXKn").unwrap().masked(), "C9zx****************");
    /// ```
    pub fn masked(&self) -> String {
        let shown = self.0.len().min(4);
        let mut out = String::with_capacity(self.0.len());
        out.push_str(&self.0[..shown]);
        out.extend(std::iter::repeat_n('*', self.0.len() - shown));
        out
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AccessKey").field(&self.0).finish()
    }
}

impl fmt::Display for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An NCP secret key. Zeroized on drop; never printed.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<String>);

impl SecretKey {
    /// Wraps a secret key. Rejects an empty value or one with control characters
    /// (a pasted trailing newline is the usual cause), without echoing it.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        let value = Zeroizing::new(value.into());
        if value.is_empty() {
            return Err(InvalidInput::new("secret key", "is empty"));
        }
        if value.chars().any(char::is_control) {
            return Err(InvalidInput::new(
                "secret key",
                "contains a control character (a trailing newline?)",
            ));
        }
        Ok(Self(value))
    }

    /// The secret's bytes, for keying an HMAC. Do not log them.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An access key and secret key, with the HMAC state pre-keyed by the secret.
///
/// Cheap to clone relative to signing; share one value per client.
///
/// ```
/// use wsc_core::Credentials;
/// let creds = Credentials::new("C9zxQyBQVqcRNQmcAXKn", "NDgSdssXg4RiMMN1f5dqIe775GJXzSe8hWpd2X3g").unwrap();
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("** redacted **"));
/// assert!(!shown.contains("NDgS"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key: AccessKey,
    secret_key: SecretKey,
    keyed: HmacSha256,
    access_key_header: http::HeaderValue,
}

impl Credentials {
    /// Validates both keys and pre-keys the HMAC state.
    pub fn new(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Result<Self, InvalidInput> {
        Ok(Self::from_parts(
            AccessKey::new(access_key)?,
            SecretKey::new(secret_key)?,
        ))
    }

    /// Builds credentials from already validated parts.
    pub fn from_parts(access_key: AccessKey, secret_key: SecretKey) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let keyed = HmacSha256::new_from_slice(secret_key.expose_secret().as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC-SHA256 takes keys of any length"));
        // A validated access key is visible ASCII, always a valid header value.
        let access_key_header = http::HeaderValue::from_str(access_key.as_str())
            .unwrap_or_else(|_| http::HeaderValue::from_static(""));
        Self {
            access_key,
            secret_key,
            keyed,
            access_key_header,
        }
    }

    /// The access key id.
    pub fn access_key(&self) -> &AccessKey {
        &self.access_key
    }

    /// The secret key (redacted when printed).
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret_key
    }

    /// The access key as a ready header value (built once, cloned per request).
    pub(crate) fn access_key_header(&self) -> http::HeaderValue {
        self.access_key_header.clone()
    }

    /// A fresh copy of the pre-keyed HMAC state.
    pub(crate) fn keyed_hmac(&self) -> HmacSha256 {
        self.keyed.clone()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key.as_str())
            .field("secret_key", &format_args!("{REDACTED}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let secret = "TOPSECRETvalue1234";
        let creds = Credentials::new("AK123", secret).unwrap();
        for shown in [
            format!("{creds:?}"),
            format!("{creds:#?}"),
            format!("{:?}", creds.secret_key()),
            format!("{}", creds.secret_key()),
        ] {
            assert!(!shown.contains(secret), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
    }

    #[test]
    fn secret_with_trailing_newline_is_rejected_without_echo() {
        let err = SecretKey::new("abc\n").unwrap_err();
        assert!(err.to_string().contains("newline"));
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn access_key_rejects_empty_and_spaces() {
        assert!(AccessKey::new("").is_err());
        assert!(AccessKey::new("a b").is_err());
        assert!(AccessKey::new("a\r\nb").is_err());
    }

    #[test]
    fn masked_access_key_keeps_length_and_prefix() {
        assert_eq!(AccessKey::new("AB").unwrap().masked(), "AB");
        assert_eq!(AccessKey::new("ABCDEFG").unwrap().masked(), "ABCD***");
    }
}
