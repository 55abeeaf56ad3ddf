use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::wire;
use super::{InstanceId, JobStatus};

/// What the console offers for a job (`result_button`): a language-free hint
/// of its state.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ResultButton {
    /// `report`: completed, a report is available.
    Report,
    /// `cancel`: pending, can be cancelled.
    Cancel,
    /// `terminate`: running, can be stopped.
    Terminate,
    /// `expired`: the report has expired.
    Expired,
    /// `cause`: failed, a cause can be viewed.
    Cause,
    /// Empty or missing.
    #[default]
    None,
    /// Any other value, kept verbatim.
    Other(String),
}

impl ResultButton {
    /// Parses the wire value.
    pub fn from_wire(value: &str) -> Self {
        let word = value.trim();
        let is = |known: &str| word.eq_ignore_ascii_case(known);
        if word.is_empty() {
            Self::None
        } else if is("report") {
            Self::Report
        } else if is("cancel") {
            Self::Cancel
        } else if is("terminate") || is("stop") {
            Self::Terminate
        } else if is("expired") {
            Self::Expired
        } else if is("cause") {
            Self::Cause
        } else {
            Self::Other(value.to_owned())
        }
    }

    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Report => "report",
            Self::Cancel => "cancel",
            Self::Terminate => "terminate",
            Self::Expired => "expired",
            Self::Cause => "cause",
            Self::None => "",
            Self::Other(v) => v,
        }
    }

    /// The status this button implies, when the label alone is not understood.
    pub fn implied_status(&self) -> Option<JobStatus> {
        match self {
            Self::Report => Some(JobStatus::Completed),
            Self::Cancel => Some(JobStatus::Reserved),
            Self::Terminate => Some(JobStatus::DiagnosisRunning),
            Self::Expired => Some(JobStatus::Expired),
            Self::Cause => Some(JobStatus::Failed),
            Self::None | Self::Other(_) => None,
        }
    }
}

/// One scan job as getJobs/searchJobs return it (a wire type: it
/// deserializes the wire and is not `Serialize`).
///
/// Documented fields are typed. The three fields the API returns but does not
/// document (`result_desc`, `rescan_button`, `slave_data`) are kept verbatim as
/// JSON in their own fields, and any field the API adds later is kept in
/// [`JobRecord::extra`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobRecord {
    /// `instanceNo`.
    pub instance_no: InstanceId,
    /// `start_date` (`YYYY-MM-DD hh:mm:ss`, KST); `None` when unset.
    pub start_date: Option<String>,
    /// `end_date`; `None` when unset.
    pub end_date: Option<String>,
    /// The raw, localized `status` label.
    pub status_label: String,
    /// `progress` in percent, when reported.
    pub progress: Option<u64>,
    /// `start_url`.
    pub start_url: String,
    /// `crawl_cnt`: URLs collected.
    pub crawl_count: Option<u64>,
    /// `scan_cnt`: vulnerabilities found.
    pub scan_count: Option<u64>,
    /// `memo` (`""` when none).
    pub memo: String,
    /// `result_button` ([`JobRecord::result_button`]).
    pub(crate) result_button: ResultButton,
    /// `result_desc` (undocumented), verbatim; `Null` when absent.
    pub result_desc: Value,
    /// `rescan_button` (undocumented), verbatim; `Null` when absent.
    pub rescan_button: Value,
    /// `slave_data` (undocumented), verbatim; `Null` when absent.
    pub slave_data: Value,
    /// Every field not named above, verbatim (empty for the fields the API
    /// sends today).
    pub extra: Map<String, Value>,
}

impl JobRecord {
    /// `start_date` as a time: the service writes KST (UTC+9); `None` when
    /// unset or not a date.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use wsc_core::JobRecord;
    /// let r: JobRecord = serde_json::from_str(
    ///     r#"{"instanceNo":"1","start_date":"1970-01-01 09:00:01","end_date":""}"#,
    /// ).unwrap();
    /// assert_eq!(r.started_at(), Some(UNIX_EPOCH + Duration::from_secs(1)));
    /// assert_eq!(r.ended_at(), None);
    /// ```
    pub fn started_at(&self) -> Option<std::time::SystemTime> {
        self.start_date.as_deref().and_then(super::kst::parse_kst)
    }

    /// `end_date` as a time (KST on the wire); `None` when unset or not a date.
    pub fn ended_at(&self) -> Option<std::time::SystemTime> {
        self.end_date.as_deref().and_then(super::kst::parse_kst)
    }

    /// `result_button` as the service sent it (`"report"`, `"expired"`, `""`
    /// when none, or an undocumented value verbatim).
    pub fn result_button(&self) -> &str {
        self.result_button.as_str()
    }

    /// The typed status: from the label, or from `result_button` when the label
    /// is not recognised.
    pub fn status(&self) -> JobStatus {
        match JobStatus::from_label(&self.status_label) {
            JobStatus::Unknown(label) => self
                .result_button
                .implied_status()
                .unwrap_or(JobStatus::Unknown(label)),
            known => {
                // `expired` outranks the label: the report is gone.
                if self.result_button == ResultButton::Expired && known == JobStatus::Completed {
                    JobStatus::Expired
                } else {
                    known
                }
            }
        }
    }
}

impl<'de> Deserialize<'de> for JobRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordVisitor)
    }
}

/// Hand-written so unknown fields go straight into `extra` without serde's
/// buffering `flatten` (this is the hot path of every list call).
struct RecordVisitor;

/// Deserialize-with adapters usable through `MapAccess::next_value_seed`.
macro_rules! lenient {
    ($name:ident, $ty:ty, $f:path) => {
        struct $name($ty);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $f(d).map($name)
            }
        }
    };
}
lenient!(OptCount, Option<u64>, wire::deserialize_optional_u64);
lenient!(OptText, Option<String>, wire::deserialize_optional_text);
lenient!(Text, String, wire::deserialize_lenient_text);

/// `result_button`, read from the input without copying it first.
struct Button(ResultButton);

impl<'de> Deserialize<'de> for Button {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = wire::deserialize_optional_text_borrowed(d)?;
        Ok(Button(text.map_or(ResultButton::None, |t| {
            ResultButton::from_wire(&t)
        })))
    }
}

/// A record key; known keys are matched without allocating.
enum Key {
    InstanceNo,
    StartDate,
    EndDate,
    Status,
    Progress,
    StartUrl,
    CrawlCnt,
    ScanCnt,
    Memo,
    ResultButton,
    ResultDesc,
    RescanButton,
    SlaveData,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "instanceNo" => Key::InstanceNo,
                    "start_date" => Key::StartDate,
                    "end_date" => Key::EndDate,
                    "status" => Key::Status,
                    "progress" => Key::Progress,
                    "start_url" => Key::StartUrl,
                    "crawl_cnt" => Key::CrawlCnt,
                    "scan_cnt" => Key::ScanCnt,
                    "memo" => Key::Memo,
                    "result_button" => Key::ResultButton,
                    "result_desc" => Key::ResultDesc,
                    "rescan_button" => Key::RescanButton,
                    "slave_data" => Key::SlaveData,
                    other => Key::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = JobRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a job record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JobRecord, A::Error> {
        let mut instance_no = None;
        let mut record = JobRecord {
            instance_no: InstanceId::new(1).map_err(de::Error::custom)?,
            start_date: None,
            end_date: None,
            status_label: String::new(),
            progress: None,
            start_url: String::new(),
            crawl_count: None,
            scan_count: None,
            memo: String::new(),
            result_button: ResultButton::None,
            result_desc: Value::Null,
            rescan_button: Value::Null,
            slave_data: Value::Null,
            extra: Map::new(),
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::InstanceNo => instance_no = Some(map.next_value::<InstanceId>()?),
                Key::StartDate => record.start_date = map.next_value::<OptText>()?.0,
                Key::EndDate => record.end_date = map.next_value::<OptText>()?.0,
                Key::Status => record.status_label = map.next_value::<Text>()?.0,
                Key::Progress => record.progress = map.next_value::<OptCount>()?.0,
                Key::StartUrl => record.start_url = map.next_value::<Text>()?.0,
                Key::CrawlCnt => record.crawl_count = map.next_value::<OptCount>()?.0,
                Key::ScanCnt => record.scan_count = map.next_value::<OptCount>()?.0,
                Key::Memo => record.memo = map.next_value::<Text>()?.0,
                Key::ResultButton => record.result_button = map.next_value::<Button>()?.0,
                Key::ResultDesc => record.result_desc = map.next_value()?,
                Key::RescanButton => record.rescan_button = map.next_value()?,
                Key::SlaveData => record.slave_data = map.next_value()?,
                Key::Other(name) => {
                    let value = map.next_value::<Value>()?;
                    record.extra.insert(name, value);
                }
            }
        }
        record.instance_no = instance_no.ok_or_else(|| de::Error::missing_field("instanceNo"))?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_fills_in_for_an_unknown_label() {
        let json = r#"{"instanceNo":"7","status":"Nouveau","result_button":"terminate"}"#;
        let r: JobRecord = serde_json::from_str(json).unwrap();
        assert_eq!(r.status(), JobStatus::DiagnosisRunning);
        let json = r#"{"instanceNo":"7","status":"Nouveau","result_button":""}"#;
        let r: JobRecord = serde_json::from_str(json).unwrap();
        assert_eq!(r.status(), JobStatus::Unknown("Nouveau".into()));
    }

    #[test]
    fn buttons_are_read_in_any_case_and_kept_verbatim_when_unknown() {
        let cases = [
            ("report", ResultButton::Report),
            (" Report ", ResultButton::Report),
            ("CANCEL", ResultButton::Cancel),
            ("stop", ResultButton::Terminate),
            ("Terminate", ResultButton::Terminate),
            ("expired", ResultButton::Expired),
            ("cause", ResultButton::Cause),
            ("", ResultButton::None),
            ("  ", ResultButton::None),
            ("retry", ResultButton::Other("retry".into())),
        ];
        for (wire, expected) in cases {
            assert_eq!(ResultButton::from_wire(wire), expected, "{wire:?}");
        }
        let json = r#"{"instanceNo":"7","result_button":"Re\u0070ort"}"#;
        let r: JobRecord = serde_json::from_str(json).unwrap();
        assert_eq!(
            r.result_button,
            ResultButton::Report,
            "escaped text is decoded"
        );
        let json = r#"{"instanceNo":"7","result_button":null}"#;
        let r: JobRecord = serde_json::from_str(json).unwrap();
        assert_eq!(r.result_button, ResultButton::None);
    }

    #[test]
    fn missing_id_is_an_error() {
        let err = serde_json::from_str::<JobRecord>(r#"{"status":"예약"}"#).unwrap_err();
        assert!(err.to_string().contains("instanceNo"));
    }
}
