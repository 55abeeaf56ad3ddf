//! Masking the target site's secrets in anything written out: the one routine
//! every output that can carry a report or a createJob body goes through
//! (reports in every format, saved files, cassettes, dry runs, error excerpts).
//!
//! Two kinds of values are masked, at any depth, in objects and in arrays:
//! - every `Login_Info` value (any letter case): the report's copy of the
//!   login the scan used, often a cookie;
//! - every value inside a `Headers` object (any letter case): createJob's
//!   headers for the target site (cookies, tokens). The names stay.
//!
//! Masked values become [`REDACTED`]; empty and `null` values stay as they are
//! (they hold nothing, and "none was set" is worth seeing).
//!
//! ```
//! use serde_json::json;
//! use wsc_core::redact::redact_json;
//!
//! let mut doc = json!({
//!     "Memo": "weekly",
//!     "Scan_Setting": {"login_info": "Cookie: SESSION=abc"},
//!     "Profiles": [{"Headers": {"Authorization": "Bearer t"}}]
//! });
//! assert!(redact_json(&mut doc));
//! let text = doc.to_string();
//! assert!(!text.contains("SESSION=abc") && !text.contains("Bearer t"));
//! assert_eq!(doc["Profiles"][0]["Headers"]["Authorization"], "** redacted **");
//! assert_eq!(doc["Memo"], "weekly");
//! ```

use serde_json::{Map, Value};

use crate::REDACTED;

/// Keys whose whole value is a secret.
const SECRET_VALUE_KEYS: &[&str] = &["Login_Info"];
/// Keys of objects whose every member value is a secret (the names are not).
const SECRET_MEMBER_KEYS: &[&str] = &["Headers"];

fn is_one_of(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| key.eq_ignore_ascii_case(k))
}

fn holds_something(value: &Value) -> bool {
    !matches!(value, Value::Null) && value.as_str() != Some("")
}

fn mask(value: &mut Value) -> bool {
    if holds_something(value) && value.as_str() != Some(REDACTED) {
        *value = Value::String(REDACTED.to_owned());
        true
    } else {
        false
    }
}

/// Masks every secret in `value` in place (see the module docs); returns
/// whether anything changed.
pub fn redact_json(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => redact_map(map),
        Value::Array(items) => items.iter_mut().fold(false, |c, v| redact_json(v) | c),
        _ => false,
    }
}

/// [`redact_json`] for a JSON object's members.
pub(crate) fn redact_map(map: &mut Map<String, Value>) -> bool {
    let mut changed = false;
    for (key, member) in map.iter_mut() {
        if is_one_of(key, SECRET_VALUE_KEYS) {
            changed |= mask(member);
        } else if is_one_of(key, SECRET_MEMBER_KEYS) {
            changed |= match member {
                Value::Object(headers) => headers.values_mut().fold(false, |c, v| mask(v) | c),
                // A `Headers` that is not an object is masked whole: its
                // shape is unknown, so all of it may be secret.
                other => mask(other),
            };
        } else {
            changed |= redact_json(member);
        }
    }
    changed
}

/// A JSON body with every secret masked; a body that is not JSON is returned
/// as it is (it cannot carry the fields above in a form this can find).
///
/// ```
/// use wsc_core::redact::redact_json_bytes;
/// let body = br#"{"resources":[{"LOGIN_INFO":{"Cookie":"s=1"}}]}"#;
/// assert_eq!(
///     String::from_utf8(redact_json_bytes(body)).unwrap(),
///     r#"{"resources":[{"LOGIN_INFO":"** redacted **"}]}"#
/// );
/// assert_eq!(redact_json_bytes(b"not json"), b"not json");
/// ```
pub fn redact_json_bytes(body: &[u8]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    if redact_json(&mut value) {
        serde_json::to_vec(&value).unwrap_or_default()
    } else {
        body.to_vec()
    }
}

/// Where `text` first names a secret field (`login_info` or `headers`, any
/// case), for text that could not be parsed and masked as JSON.
pub(crate) fn first_secret_name(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    SECRET_VALUE_KEYS
        .iter()
        .chain(SECRET_MEMBER_KEYS)
        .filter_map(|key| lower.find(&key.to_ascii_lowercase()))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const SECRET: &str = "s3cr3t-cookie";

    #[test]
    fn names_are_matched_in_any_case_and_values_of_any_type_are_masked() {
        let mut doc = json!({
            "login_info": {"Cookie": SECRET},
            "x": [{"LOGIN_INFO": [SECRET]}, {"Login_Info": 7}],
            "HEADERS": {"Cookie": SECRET, "X-Token": SECRET},
        });
        assert!(redact_json(&mut doc));
        assert!(!doc.to_string().contains(SECRET));
        assert_eq!(doc["x"][1]["Login_Info"], REDACTED);
        assert!(doc["HEADERS"].get("X-Token").is_some(), "header names stay");
    }

    #[test]
    fn empty_values_stay_and_nothing_else_changes() {
        let mut doc = json!({"Login_Info": "", "Headers": {}, "Memo": SECRET, "n": null});
        let before = doc.clone();
        assert!(!redact_json(&mut doc));
        assert_eq!(doc, before);
    }

    #[test]
    fn a_headers_value_that_is_not_an_object_is_masked_whole() {
        let mut doc = json!({"Headers": format!("Cookie: {SECRET}")});
        assert!(redact_json(&mut doc));
        assert_eq!(doc["Headers"], REDACTED);
    }

    #[test]
    fn masking_twice_changes_nothing_the_second_time() {
        let mut doc = json!({"a": {"Login_Info": SECRET}});
        assert!(redact_json(&mut doc));
        assert!(!redact_json(&mut doc));
    }

    /// Any JSON value, with secrets planted under the secret keys at random
    /// depths among ordinary members.
    fn tree() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[a-z_]{1,6}", inner.clone()), 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                // A secret under any spelling of a secret key, beside other members.
                (
                    prop::sample::select(vec!["Login_Info", "login_info", "LOGIN_INFO"]),
                    inner.clone()
                )
                    .prop_map(|(k, other)| json!({ k: {"Cookie": SECRET, "nested": other} })),
                (
                    prop::sample::select(vec!["Headers", "headers"]),
                    inner.clone()
                )
                    .prop_map(|(k, other)| json!({ k: {"Cookie": SECRET}, "sibling": other })),
                inner.prop_map(|other| json!({"Login_Info": SECRET, "next": [other]})),
            ]
        })
    }

    #[test]
    fn text_that_names_a_secret_field_is_found_at_the_name() {
        let cut = r#"{"resources":{"Memo":"m","LOGIN_info":{"Cookie":"s"#;
        assert_eq!(first_secret_name(cut), cut.find("LOGIN_info"));
        assert_eq!(first_secret_name("nothing here"), None);
    }

    proptest! {
        #[test]
        fn no_planted_secret_survives_any_nesting(mut doc in tree()) {
            redact_json(&mut doc);
            prop_assert!(!doc.to_string().contains(SECRET), "{}", doc);
            let bytes = redact_json_bytes(doc.to_string().as_bytes());
            prop_assert!(!String::from_utf8_lossy(&bytes).contains(SECRET));
        }
    }
}
