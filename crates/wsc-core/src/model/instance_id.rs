use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::invalid_input::InvalidInput;

/// A job id (`instanceNo` on the wire, `{instanceId}` in paths).
///
/// Always a plain positive integer: construction rejects signs, spaces, zero,
/// and anything that is not ASCII digits, so an id can never smuggle a path
/// segment or query into a request. Serializes as a JSON number; deserializes
/// from a number or a numeric string (the wire sends strings).
///
/// ```
/// use wsc_core::InstanceId;
/// assert_eq!("1234567890".parse::<InstanceId>().unwrap().get(), 1234567890);
/// assert!("12/../3".parse::<InstanceId>().is_err());
/// assert!("0".parse::<InstanceId>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId(pub(crate) u64);

impl InstanceId {
    /// Wraps a non-zero id.
    pub fn new(id: u64) -> Result<Self, InvalidInput> {
        if id == 0 {
            return Err(InvalidInput::new(
                "instance id",
                "must be a positive integer, not 0",
            ));
        }
        Ok(Self(id))
    }

    /// The numeric value.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl FromStr for InstanceId {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const FIELD: &str = "instance id";
        if s.is_empty() {
            return Err(InvalidInput::new(FIELD, "is empty"));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidInput::new(
                FIELD,
                format!(
                    "must be a plain positive integer such as 1234567890, got {:?}",
                    shorten(s)
                ),
            ));
        }
        let id = s
            .parse::<u64>()
            .map_err(|_| InvalidInput::new(FIELD, "is too large for a job id"))?;
        Self::new(id)
    }
}

fn shorten(s: &str) -> String {
    s.chars().take(32).collect()
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for InstanceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for InstanceId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = super::wire::deserialize_required_u64(d)?;
        InstanceId::new(n).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_everything_but_plain_digits() {
        for bad in [
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            "1e3",
            "0x10",
            "1/2",
            "１２",
            "99999999999999999999999",
        ] {
            assert!(bad.parse::<InstanceId>().is_err(), "{bad:?}");
        }
        assert_eq!("007".parse::<InstanceId>().unwrap().get(), 7);
    }

    #[test]
    fn deserializes_from_string_or_number_and_serializes_as_number() {
        let a: InstanceId = serde_json::from_str("\"42\"").unwrap();
        let b: InstanceId = serde_json::from_str("42").unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), "42");
        assert!(serde_json::from_str::<InstanceId>("\"\"").is_err());
        assert!(serde_json::from_str::<InstanceId>("0").is_err());
    }
}
