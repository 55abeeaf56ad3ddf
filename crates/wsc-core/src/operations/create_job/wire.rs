//! createJob's body in the wire's own JSON form, both ways: the body sent
//! (or its printable copy with `Headers` values masked), and a job read from
//! such a document (`wsc create --from-file`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CreateJob;
use crate::REDACTED;
use crate::invalid_input::InvalidInput;

impl CreateJob {
    /// Parses and validates a job in the wire's own JSON form (the body of a
    /// createJob request: `StartUrl`, `ExcludeUrl`, `Headers`, `VulnItems`,
    /// `UserAgent`, `Speed`, `Memo`, `MasterInstanceNo`).
    ///
    /// ```
    /// use wsc_core::CreateJob;
    /// let job = CreateJob::from_wire_json(br#"{"StartUrl":"https://a.example","Speed":"2"}"#).unwrap();
    /// assert_eq!(job.start_url(), "https://a.example");
    /// assert!(CreateJob::from_wire_json(br#"{"StartUrl":"https://a.example","Colour":1}"#).is_err());
    /// ```
    pub fn from_wire_json(json: &[u8]) -> Result<Self, InvalidInput> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wire {
            #[serde(rename = "StartUrl")]
            start_url: String,
            #[serde(rename = "ExcludeUrl", default)]
            exclude_url: Vec<String>,
            #[serde(rename = "Headers", default)]
            headers: Option<Map<String, Value>>,
            #[serde(rename = "VulnItems", default)]
            vuln_items: Vec<String>,
            #[serde(rename = "UserAgent", default)]
            user_agent: Option<String>,
            #[serde(rename = "Speed", default)]
            speed: Option<Value>,
            #[serde(rename = "Memo", default)]
            memo: Option<String>,
            #[serde(rename = "MasterInstanceNo", default)]
            master_instance_no: Option<Value>,
        }
        let wire: Wire = serde_json::from_slice(json).map_err(|e| {
            // serde's message names the field and position, never a value.
            InvalidInput::new(
                "job file",
                format!("is not a valid createJob JSON document: {e}"),
            )
        })?;
        let mut b = CreateJob::builder(wire.start_url);
        b.exclude_urls = wire.exclude_url;
        for (name, value) in wire.headers.unwrap_or_default() {
            let Value::String(value) = value else {
                return Err(InvalidInput::new(
                    "header",
                    format!("value of {name:?} must be a string"),
                ));
            };
            b = b.header(name, value);
        }
        b.vuln_items = wire.vuln_items;
        if let Some(ua) = wire.user_agent {
            b = b.user_agent(ua.parse()?);
        }
        if let Some(speed) = wire.speed {
            let text = match speed {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                _ => return Err(InvalidInput::new("speed", "must be \"1\", \"2\" or \"3\"")),
            };
            b = b.speed(text.parse()?);
        }
        b.memo = wire.memo.filter(|m| !m.is_empty());
        if let Some(master) = wire.master_instance_no {
            let text = match master {
                Value::String(s) if s.is_empty() => None,
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                Value::Null => None,
                _ => return Err(InvalidInput::new("MasterInstanceNo", "must be a job id")),
            };
            if let Some(text) = text {
                b = b.rescan_of(text.parse()?);
            }
        }
        b.build()
    }

    /// The request body with every `Headers` value replaced by `** redacted **`:
    /// safe to print or record.
    pub fn redacted_body(&self) -> Vec<u8> {
        self.wire_body(true)
    }

    /// The body as sent, or with the `Headers` values masked.
    pub(super) fn wire_body(&self, redact: bool) -> Vec<u8> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "StartUrl")]
            start_url: &'a str,
            #[serde(rename = "ExcludeUrl")]
            exclude_url: &'a [String],
            #[serde(rename = "Headers", skip_serializing_if = "Map::is_empty")]
            headers: Map<String, Value>,
            #[serde(rename = "VulnItems")]
            vuln_items: &'a [String],
            #[serde(rename = "UserAgent")]
            user_agent: &'static str,
            #[serde(rename = "Speed")]
            speed: &'static str,
            #[serde(rename = "Memo", skip_serializing_if = "Option::is_none")]
            memo: Option<String>,
            #[serde(rename = "MasterInstanceNo", skip_serializing_if = "Option::is_none")]
            master_instance_no: Option<String>,
        }
        let headers = self
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    Value::String(if redact {
                        REDACTED.to_owned()
                    } else {
                        v.clone()
                    }),
                )
            })
            .collect();
        let body = Body {
            start_url: &self.start_url,
            exclude_url: &self.exclude_urls,
            headers,
            vuln_items: &self.vuln_items,
            user_agent: self.user_agent.wire(),
            speed: self.speed.wire(),
            memo: self.sent_memo(),
            master_instance_no: self.rescan_of.map(|id| id.to_string()),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceId;
    use crate::operations::{ScanUserAgent, Speed};

    #[test]
    fn body_has_exact_keys_and_wire_types() {
        let job = CreateJob::builder("https://a.example")
            .rescan_of(InstanceId::new(77).unwrap())
            .build()
            .unwrap();
        let body: Value = serde_json::from_slice(&job.wire_body(false)).unwrap();
        assert_eq!(body["ExcludeUrl"], serde_json::json!([]));
        assert_eq!(body["Speed"], "1");
        assert_eq!(body["MasterInstanceNo"], "77");
        assert_eq!(body["VulnItems"], serde_json::json!(["ALL"]));
        assert_eq!(body["UserAgent"], "PC Chrome");
    }

    #[test]
    fn wire_json_round_trips_through_the_builder() {
        let job = CreateJob::builder("https://a.example")
            .exclude_url("https://a.example/logout")
            .header("Cookie", "S=1")
            .vuln_item("XSS")
            .user_agent(ScanUserAgent::Iphone)
            .speed(Speed::Fast)
            .memo("m")
            .rescan_of(InstanceId::new(5).unwrap())
            .build()
            .unwrap();
        assert_eq!(
            CreateJob::from_wire_json(&job.wire_body(false)).unwrap(),
            job
        );
    }

    #[test]
    fn redacted_body_hides_header_values() {
        let job = CreateJob::builder("https://a.example")
            .header("Authorization", "Bearer xyz")
            .build()
            .unwrap();
        let body = String::from_utf8(job.redacted_body()).unwrap();
        assert!(!body.contains("xyz") && body.contains(REDACTED), "{body}");
    }
}
