//! Lenient deserializers for the wire's loose types. Each accepts exactly the
//! variants the service is known to send and fails (with a message that ends up
//! next to a JSON path) on anything else.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// Counts and percents: a number, a numeric string, `""` or `null` (→ `None`).
pub(crate) fn deserialize_optional_u64<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(OptionalU64)
}

/// Ids and page totals: a number or a numeric string, never empty.
pub(crate) fn deserialize_required_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(OptionalU64)?.ok_or_else(|| {
        de::Error::custom("expected a number or a numeric string, found an empty value")
    })
}

/// Dates and optional text: a string (`""` → `None`) or `null`.
pub(crate) fn deserialize_optional_text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptionalText::<String>(PhantomData))
}

/// [`deserialize_optional_text`], borrowing from the input when the text has
/// no escapes: for envelope fields read on every response and only kept when
/// something went wrong.
pub(crate) fn deserialize_optional_text_borrowed<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(OptionalText::<Cow<'de, str>>(PhantomData))
}

/// Text that the docs show as a string, but which may be `null` or a number.
pub(crate) fn deserialize_lenient_text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<String, D::Error> {
    Ok(d.deserialize_any(OptionalText::<String>(PhantomData))?
        .unwrap_or_default())
}

struct OptionalU64;

impl<'de> Visitor<'de> for OptionalU64 {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer, a numeric string, \"\" or null")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        u64::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("negative number {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.is_finite() && v >= 0.0 && v < u64::MAX as f64 {
            Ok(Some(v.round() as u64))
        } else {
            Err(E::custom(format!("number {v} out of range")))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // Padding around a number is ASCII; the cheaper trim also keeps any
        // other Unicode space, which the number parse then rejects.
        let t = v.trim_ascii();
        if t.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = t.parse::<u64>() {
            return Ok(Some(n));
        }
        match t.parse::<f64>() {
            Ok(f) => self.visit_f64(f),
            Err(_) => Err(E::custom(format!(
                "expected a number, found the string {:?}",
                short(t)
            ))),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Reads optional text as `T`: an owned `String`, or a `Cow` that borrows
/// what it can from the input.
struct OptionalText<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for OptionalText<T>
where
    T: From<&'de str> + From<String>,
{
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then(|| T::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then(|| T::from(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then(|| T::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn short(s: &str) -> String {
    s.chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Probe {
        #[serde(deserialize_with = "deserialize_optional_u64")]
        n: Option<u64>,
    }

    #[test]
    fn optional_counts_accept_every_documented_shape() {
        for (json, want) in [
            (r#"{"n": 3}"#, Some(3)),
            (r#"{"n": "3"}"#, Some(3)),
            (r#"{"n": " 12 "}"#, Some(12)),
            (r#"{"n": ""}"#, None),
            (r#"{"n": null}"#, None),
            (r#"{"n": 45.6}"#, Some(46)),
        ] {
            assert_eq!(
                serde_json::from_str::<Probe>(json).unwrap().n,
                want,
                "{json}"
            );
        }
        for bad in [
            r#"{"n": "abc"}"#,
            r#"{"n": -1}"#,
            r#"{"n": true}"#,
            r#"{"n": []}"#,
        ] {
            assert!(serde_json::from_str::<Probe>(bad).is_err(), "{bad}");
        }
    }
}
