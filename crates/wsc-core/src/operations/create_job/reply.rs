//! Reading createJob's reply: the new job's id, in whatever shape the
//! service sends it (the documentation does not say it sends one).

use http::Response;
use serde_json::Value;

use crate::Error;
use crate::model::InstanceId;
use crate::response::{Parts, parse_maybe_enveloped};

/// The result of createJob: the new job's id when the response carries one,
/// and the response's payload verbatim.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreatedJob {
    /// The new job's id, if the response named it (the docs do not say it will).
    pub instance_no: Option<InstanceId>,
    /// The `resources` payload (or unwrapped body), if any.
    pub raw: Option<Value>,
}

/// Parses createJob's response into the id it names, if any, and its payload.
pub(super) fn parse<B: AsRef<[u8]>>(response: &Response<B>) -> Result<CreatedJob, Error> {
    let raw = parse_maybe_enveloped(&Parts::of(response))?;
    let instance_no = raw.as_ref().and_then(find_instance_id);
    Ok(CreatedJob { instance_no, raw })
}

/// Finds an id in whatever shape the create response carries.
fn find_instance_id(value: &Value) -> Option<InstanceId> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| InstanceId::new(n).ok()),
        Value::String(s) => s.parse().ok(),
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| {
                let k = k.to_ascii_lowercase().replace('_', "");
                k == "instanceno" || k == "instanceid"
            })
            .and_then(|(_, v)| find_instance_id(v)),
        Value::Array(items) if items.len() == 1 => find_instance_id(&items[0]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_found_in_any_reasonable_shape() {
        for v in [
            serde_json::json!(12),
            serde_json::json!("12"),
            serde_json::json!({"instanceNo": "12"}),
            serde_json::json!([{"instance_no": 12}]),
        ] {
            assert_eq!(
                find_instance_id(&v),
                Some(InstanceId::new(12).unwrap()),
                "{v}"
            );
        }
        assert_eq!(find_instance_id(&serde_json::json!({"other": 1})), None);
    }
}
