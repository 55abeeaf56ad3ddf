//! Process-wide copies of the few short, public strings that every request
//! repeats: the access key id, the endpoint's host, the `Host` and
//! `User-Agent` values.
//!
//! Every signed request carries them. Held in an ordinary `HeaderValue` or
//! `Authority`, they live in a reference-counted buffer, and each request pays
//! an atomic increment to copy one and an atomic decrement to drop it: on the
//! benchmark machine, copying the header template took ~175 ns that way and
//! ~120 ns with the access key on a `'static` buffer. A value built on
//! a `'static` string copies and drops without either, so each distinct
//! string is copied once into memory that lives as long as the process.
//!
//! That memory is never freed, so the table is bounded: at most [`CAPACITY`]
//! strings of at most [`MAX_LEN`] bytes (16 KiB in all). Past the bound,
//! callers keep their reference-counted value, which works the same, only
//! slower. Only public values come here, never a secret.

use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use http::HeaderValue;
use http::uri::Authority;

/// The most distinct strings the process ever keeps.
pub(crate) const CAPACITY: usize = 64;
/// The longest string kept.
pub(crate) const MAX_LEN: usize = 256;

static TABLE: Mutex<Table> = Mutex::new(Table::new());

/// The strings kept so far. Lookup is a linear scan: it runs once per
/// credentials or endpoint, never per request.
struct Table {
    kept: Vec<&'static str>,
}

impl Table {
    const fn new() -> Self {
        Self { kept: Vec::new() }
    }

    /// The kept copy of `s`, keeping it first if there is room.
    fn get(&mut self, s: &str) -> Option<&'static str> {
        if let Some(found) = self.kept.iter().find(|kept| **kept == s) {
            return Some(found);
        }
        if s.len() > MAX_LEN || self.kept.len() >= CAPACITY {
            return None;
        }
        let kept: &'static str = Box::leak(s.to_owned().into_boxed_str());
        self.kept.push(kept);
        Some(kept)
    }
}

/// The process-wide copy of `s`, or `None` once the table is full.
fn kept(s: &str) -> Option<&'static str> {
    // The table is only ever appended to, so a panic elsewhere cannot leave it
    // half-written: a poisoned lock is safe to use.
    TABLE.lock().unwrap_or_else(PoisonError::into_inner).get(s)
}

/// `value` on a `'static` buffer when it is text and not marked sensitive;
/// otherwise (or when the table is full) `value` unchanged.
pub(crate) fn header_value(value: HeaderValue) -> HeaderValue {
    if value.is_sensitive() {
        return value;
    }
    let Some(text) = value.to_str().ok().and_then(kept) else {
        return value;
    };
    // The text came out of a valid header value, so it is one again.
    HeaderValue::from_maybe_shared(Bytes::from_static(text.as_bytes())).unwrap_or(value)
}

/// `authority` on a `'static` buffer (or unchanged when the table is full).
pub(crate) fn authority(authority: Authority) -> Authority {
    let Some(text) = kept(authority.as_str()) else {
        return authority;
    };
    // The text came out of a parsed authority, so it parses again.
    Authority::from_maybe_shared(Bytes::from_static(text.as_bytes())).unwrap_or(authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_copy() {
        let mut table = Table::new();
        let a = table.get("AKIDEXAMPLE").unwrap();
        let b = table.get(&String::from("AKIDEXAMPLE")).unwrap();
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_eq!(table.kept.len(), 1);
        assert_ne!(table.get("other").unwrap().as_ptr(), a.as_ptr());
    }

    #[test]
    fn the_table_stops_growing_at_its_bounds() {
        let mut table = Table::new();
        assert!(table.get(&"x".repeat(MAX_LEN + 1)).is_none());
        for i in 0..CAPACITY {
            assert!(table.get(&format!("key-{i}")).is_some());
        }
        assert!(table.get("one more").is_none());
        // Strings already kept are still found.
        assert!(table.get("key-0").is_some());
        assert_eq!(table.kept.len(), CAPACITY);
    }

    #[test]
    fn values_keep_their_text_and_sensitive_ones_stay_put() {
        let v = header_value(HeaderValue::from_str("127.0.0.1:8080").unwrap());
        assert_eq!(v, "127.0.0.1:8080");
        let again = header_value(HeaderValue::from_str("127.0.0.1:8080").unwrap());
        assert_eq!(v.as_bytes().as_ptr(), again.as_bytes().as_ptr());

        let mut secret = HeaderValue::from_str("token").unwrap();
        secret.set_sensitive(true);
        let out = header_value(secret.clone());
        assert!(out.is_sensitive());
        assert_eq!(out, secret);

        // Opaque (non-UTF-8) bytes pass through unchanged.
        let opaque = HeaderValue::from_bytes(b"caf\xe9").unwrap();
        assert_eq!(header_value(opaque.clone()), opaque);
    }

    #[test]
    fn authorities_keep_their_text() {
        let a = authority(Authority::from_static("example.com:8443"));
        assert_eq!(a.as_str(), "example.com:8443");
        assert_eq!(a.port_u16(), Some(8443));
    }
}
