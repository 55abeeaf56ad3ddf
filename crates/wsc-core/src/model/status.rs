use std::fmt;
use std::str::FromStr;

use crate::invalid_input::InvalidInput;

/// The lifecycle state of a scan job.
///
/// Built from the record's localized `status` label (Korean, Japanese or
/// English, with or without spaces); a label this table does not know becomes
/// [`JobStatus::Unknown`] with the label kept, and [`crate::JobRecord::status`]
/// then falls back on the language-free `result_button`.
///
/// ```
/// use wsc_core::JobStatus;
/// assert_eq!(JobStatus::from_label("URL 수집중"), JobStatus::UrlCollecting);
/// assert_eq!(JobStatus::from_label("診断完了"), JobStatus::Completed);
/// assert_eq!(JobStatus::from_label("Diagnosis in progress"), JobStatus::DiagnosisRunning);
/// assert!(matches!(JobStatus::from_label("???"), JobStatus::Unknown(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JobStatus {
    /// Reserved in the console (예약 / 予約), not started: cancellable.
    Reserved,
    /// 12 — URL collection pending.
    UrlCollectionPending,
    /// 13 — URL collection in progress.
    UrlCollecting,
    /// 14 — URL collection completed.
    UrlCollected,
    /// 15 — URL collection failed.
    UrlCollectionFailed,
    /// 2 — diagnosis pending.
    DiagnosisPending,
    /// 3 — diagnosis in progress.
    DiagnosisRunning,
    /// 4 — diagnosis completed: a report is available.
    Completed,
    /// 5 — diagnosis failed.
    Failed,
    /// 91 — cancelled before it started.
    Cancelled,
    /// 92 — stopping.
    Stopping,
    /// 93 — stopped while running.
    Stopped,
    /// The report has expired (`result_button: expired`).
    Expired,
    /// A label this version does not recognise (kept verbatim).
    Unknown(String),
}

/// (stable name, numeric code, labels). Labels are compared after removing
/// whitespace and lower-casing, so `URL 수집 진행 중` and `URL수집진행중` match.
const TABLE: &[(JobStatus, &str, Option<u8>, &[&str])] = &[
    (
        JobStatus::Reserved,
        "reserved",
        None,
        &["예약", "予約", "reserved", "reservation"],
    ),
    (
        JobStatus::UrlCollectionPending,
        "url_collection_pending",
        Some(12),
        &[
            "url수집대기",
            "url収集待ち",
            "urlcollectionpending",
            "urlcollectionwaiting",
        ],
    ),
    (
        JobStatus::UrlCollecting,
        "url_collecting",
        Some(13),
        &[
            "url수집진행중",
            "url수집중",
            "url収集進行中",
            "url収集中",
            "urlcollectioninprogress",
            "urlcollecting",
        ],
    ),
    (
        JobStatus::UrlCollected,
        "url_collected",
        Some(14),
        &[
            "url수집완료",
            "url収集完了",
            "urlcollectioncompleted",
            "urlcollected",
        ],
    ),
    (
        JobStatus::UrlCollectionFailed,
        "url_collection_failed",
        Some(15),
        &["url수집실패", "url収集失敗", "urlcollectionfailed"],
    ),
    (
        JobStatus::DiagnosisPending,
        "diagnosis_pending",
        Some(2),
        &[
            "진단대기",
            "診断待ち",
            "diagnosispending",
            "diagnosiswaiting",
            "pending",
        ],
    ),
    (
        JobStatus::DiagnosisRunning,
        "diagnosis_running",
        Some(3),
        &[
            "진단진행중",
            "진단중",
            "診断進行中",
            "診断中",
            "diagnosisinprogress",
            "inprogress",
            "running",
        ],
    ),
    (
        JobStatus::Completed,
        "completed",
        Some(4),
        &[
            "진단완료",
            "診断完了",
            "diagnosiscompleted",
            "diagnosiscomplete",
            "completed",
            "complete",
        ],
    ),
    (
        JobStatus::Failed,
        "failed",
        Some(5),
        &["진단실패", "診断失敗", "diagnosisfailed", "failed"],
    ),
    (
        JobStatus::Cancelled,
        "cancelled",
        Some(91),
        &[
            "진단취소",
            "취소",
            "診断キャンセル",
            "キャンセル",
            "diagnosiscancelled",
            "diagnosiscanceled",
            "cancelled",
            "canceled",
        ],
    ),
    (
        JobStatus::Stopping,
        "stopping",
        Some(92),
        &["중지중", "停止中", "stopping"],
    ),
    (
        JobStatus::Stopped,
        "stopped",
        Some(93),
        &[
            "작업중지",
            "중지",
            "ジョブ停止",
            "停止",
            "jobstopped",
            "stopped",
        ],
    ),
    (
        JobStatus::Expired,
        "expired",
        None,
        &["만료", "期限切れ", "expired"],
    ),
];

fn normalize(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl JobStatus {
    /// Maps a localized label to a status (see the type docs).
    pub fn from_label(label: &str) -> Self {
        let key = normalize(label);
        TABLE
            .iter()
            .find(|(_, _, _, labels)| labels.contains(&key.as_str()))
            .map(|(status, ..)| status.clone())
            .unwrap_or_else(|| JobStatus::Unknown(label.to_owned()))
    }

    /// The stable snake_case name used in JSON output (`completed`, `url_collecting`, ...).
    pub fn name(&self) -> &str {
        match self {
            JobStatus::Unknown(_) => "unknown",
            known => TABLE
                .iter()
                .find(|(s, ..)| s == known)
                .map(|(_, n, ..)| *n)
                .unwrap_or("unknown"),
        }
    }

    /// The searchJobs `statusCode` of this status, when it has one.
    pub fn code(&self) -> Option<JobStatusCode> {
        TABLE
            .iter()
            .find(|(s, ..)| s == self)
            .and_then(|(_, _, c, _)| c.map(JobStatusCode))
    }

    /// True once the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            JobStatus::Completed
                | JobStatus::Failed
                | JobStatus::UrlCollectionFailed
                | JobStatus::Cancelled
                | JobStatus::Stopped
                | JobStatus::Expired
        )
    }

    /// True while the job is queued and can still be cancelled.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            JobStatus::Reserved | JobStatus::UrlCollectionPending | JobStatus::DiagnosisPending
        )
    }

    /// True while the job is running and can be stopped.
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            JobStatus::UrlCollecting | JobStatus::UrlCollected | JobStatus::DiagnosisRunning
        )
    }

    /// A short English label for people.
    pub fn describe(&self) -> &str {
        match self {
            JobStatus::Reserved => "reserved",
            JobStatus::UrlCollectionPending => "URL collection pending",
            JobStatus::UrlCollecting => "collecting URLs",
            JobStatus::UrlCollected => "URLs collected",
            JobStatus::UrlCollectionFailed => "URL collection failed",
            JobStatus::DiagnosisPending => "diagnosis pending",
            JobStatus::DiagnosisRunning => "diagnosis in progress",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Stopping => "stopping",
            JobStatus::Stopped => "stopped",
            JobStatus::Expired => "expired",
            JobStatus::Unknown(label) => label,
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A job's numeric status code, as searchJobs' `statusCode` filter takes it:
/// one of the documented codes ([`JobStatusCode::ALL`]).
///
/// Parses a documented code (`4`) or a status name (`completed`, `running`,
/// `cancelled`, `url_collecting`, ...); [`JobStatus::code`] gives the code of
/// a status.
///
/// ```
/// use wsc_core::{JobStatus, JobStatusCode};
/// let completed = "completed".parse::<JobStatusCode>().unwrap();
/// assert_eq!(completed.get(), 4);
/// assert_eq!(Some(completed), JobStatus::Completed.code());
/// assert_eq!("running".parse::<JobStatusCode>().unwrap(), JobStatusCode::new(3).unwrap());
/// assert_eq!("91".parse::<JobStatusCode>().unwrap().status(), JobStatus::Cancelled);
/// assert!("7".parse::<JobStatusCode>().is_err());
/// assert!(JobStatusCode::new(7).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct JobStatusCode(u8);

impl JobStatusCode {
    /// Every documented code.
    pub const ALL: [u8; 11] = [2, 3, 4, 5, 12, 13, 14, 15, 91, 92, 93];

    /// The code `code`, if it is a documented one.
    pub fn new(code: u8) -> Result<Self, InvalidInput> {
        if Self::ALL.contains(&code) {
            Ok(Self(code))
        } else {
            Err(InvalidInput::new(
                "status",
                format!("{code} is not a documented status code {:?}", Self::ALL),
            ))
        }
    }

    /// The number sent on the wire.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The status this code stands for.
    pub fn status(self) -> JobStatus {
        TABLE
            .iter()
            .find(|(_, _, c, _)| *c == Some(self.0))
            .map(|(s, ..)| s.clone())
            .unwrap_or_else(|| JobStatus::Unknown(self.0.to_string()))
    }

    /// Every accepted name, for help texts.
    pub fn names() -> Vec<&'static str> {
        TABLE
            .iter()
            .filter(|(_, _, c, _)| c.is_some())
            .map(|(_, n, ..)| *n)
            .collect()
    }
}

impl FromStr for JobStatusCode {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(n) = t.parse::<u8>() {
            if Self::ALL.contains(&n) {
                return Ok(JobStatusCode(n));
            }
        } else {
            let key = t.to_ascii_lowercase().replace('-', "_");
            if let Some(code) = TABLE
                .iter()
                .find(|(_, n, ..)| *n == key)
                .and_then(|(_, _, c, _)| *c)
            {
                return Ok(JobStatusCode(code));
            }
            if let Some(code) = JobStatus::from_label(t).code() {
                return Ok(code);
            }
        }
        Err(InvalidInput::new(
            "status",
            format!(
                "unknown status {:?}; use one of {} or a code {:?}",
                s.chars().take(32).collect::<String>(),
                Self::names().join(", "),
                Self::ALL
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_label_maps() {
        let cases: &[(&str, JobStatus)] = &[
            ("진단 대기", JobStatus::DiagnosisPending),
            ("진단 진행 중", JobStatus::DiagnosisRunning),
            ("진단 완료", JobStatus::Completed),
            ("진단 실패", JobStatus::Failed),
            ("URL 수집 대기", JobStatus::UrlCollectionPending),
            ("URL 수집 진행 중", JobStatus::UrlCollecting),
            ("URL 수집중", JobStatus::UrlCollecting),
            ("URL 수집 완료", JobStatus::UrlCollected),
            ("URL 수집 실패", JobStatus::UrlCollectionFailed),
            ("진단 취소", JobStatus::Cancelled),
            ("중지 중", JobStatus::Stopping),
            ("작업 중지", JobStatus::Stopped),
            ("예약", JobStatus::Reserved),
            ("診断待ち", JobStatus::DiagnosisPending),
            ("診断進行中", JobStatus::DiagnosisRunning),
            ("診断完了", JobStatus::Completed),
            ("診断失敗", JobStatus::Failed),
            ("URL収集待ち", JobStatus::UrlCollectionPending),
            ("URL収集進行中", JobStatus::UrlCollecting),
            ("URL収集完了", JobStatus::UrlCollected),
            ("URL収集失敗", JobStatus::UrlCollectionFailed),
            ("診断キャンセル", JobStatus::Cancelled),
            ("停止中", JobStatus::Stopping),
            ("ジョブ停止", JobStatus::Stopped),
            ("予約", JobStatus::Reserved),
            ("Diagnosis Completed", JobStatus::Completed),
            ("URL collection in progress", JobStatus::UrlCollecting),
        ];
        for (label, want) in cases {
            assert_eq!(&JobStatus::from_label(label), want, "{label}");
        }
    }

    #[test]
    fn names_and_codes_round_trip() {
        for code in JobStatusCode::ALL {
            let status = JobStatusCode(code).status();
            assert_eq!(status.code(), Some(JobStatusCode(code)));
            assert_eq!(
                status.name().parse::<JobStatusCode>().unwrap(),
                JobStatusCode(code)
            );
        }
    }

    #[test]
    fn unknown_label_is_kept_verbatim() {
        assert_eq!(
            JobStatus::from_label("新しい状態"),
            JobStatus::Unknown("新しい状態".into())
        );
        assert_eq!(JobStatus::Unknown("x".into()).name(), "unknown");
    }
}
