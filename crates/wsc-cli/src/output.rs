//! Rendering for people (aligned tables, summaries) and for programs (the
//! stable JSON schema documented in docs/cli.md).

use serde_json::{Value, json};
use wsc_core::{JobPage, JobRecord, JobStatus, REDACTED, Report, RiskCounts};

/// Display width, counting East Asian wide characters as two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let cp = c as u32;
            let wide = (0x1100..=0x115F).contains(&cp)
                || (0x2E80..=0xA4CF).contains(&cp)
                || (0xAC00..=0xD7A3).contains(&cp)
                || (0xF900..=0xFAFF).contains(&cp)
                || (0xFE30..=0xFE4F).contains(&cp)
                || (0xFF00..=0xFF60).contains(&cp)
                || (0xFFE0..=0xFFE6).contains(&cp);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad(s: &str, to: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', to.saturating_sub(width(s))));
    out
}

/// Terminal-safe text: control characters from the server become spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// An aligned table; the last column is not padded.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let line = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&pad(cell, widths[i]));
                out.push_str("  ");
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = vec![line(headers.iter().map(|h| h.to_string()).collect())];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}

fn paint(status: &JobStatus, text: String, color: bool) -> String {
    if !color {
        return text;
    }
    let code = match status {
        JobStatus::Completed => "32",
        JobStatus::Failed | JobStatus::UrlCollectionFailed => "31",
        JobStatus::Cancelled | JobStatus::Stopped | JobStatus::Stopping | JobStatus::Expired => {
            "90"
        }
        JobStatus::Unknown(_) => "35",
        _ => "33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn opt(n: Option<u64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "-".into())
}

/// The job table.
pub fn jobs_table(records: &[JobRecord], color: bool) -> String {
    if records.is_empty() {
        return "no jobs".into();
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let status = r.status();
            // Pad before painting so escape codes do not break alignment.
            let label = status.describe().to_owned();
            vec![
                r.instance_no.to_string(),
                label,
                r.progress
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "-".into()),
                opt(r.crawl_count),
                opt(r.scan_count),
                r.start_date.clone().unwrap_or_else(|| "-".into()),
                clean(&r.start_url),
                clean(&r.memo),
            ]
        })
        .collect();
    let text = table(
        &[
            "ID", "STATUS", "PROGRESS", "URLS", "FOUND", "STARTED", "TARGET", "MEMO",
        ],
        &rows,
    );
    if !color {
        return text;
    }
    // Colour the status cells in the rendered lines (header untouched).
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (line, r) in lines.iter_mut().skip(1).zip(records) {
        let status = r.status();
        let label = status.describe();
        if let Some(pos) = line.find(label) {
            let painted = paint(&status, label.to_owned(), true);
            line.replace_range(pos..pos + label.len(), &painted);
        }
    }
    lines.join("\n")
}

/// The JSON of a page (or of all pages).
pub fn jobs_json(
    records: &[JobRecord],
    page: Option<&JobPage>,
    page_number: Option<u32>,
    limit: u32,
    truncated: bool,
) -> Value {
    json!({
        "page": page_number,
        "limit": limit,
        "total_count": page.and_then(|p| p.total_count).unwrap_or(records.len() as u64),
        "total_pages": page.and_then(|p| p.total_pages),
        "truncated": truncated,
        "jobs": records,
    })
}

/// One job as key/value lines.
pub fn job_details(r: &JobRecord, color: bool) -> String {
    let status = r.status();
    let rows = vec![
        ("id", r.instance_no.to_string()),
        (
            "status",
            format!(
                "{} ({})",
                paint(&status, status.describe().to_owned(), color),
                clean(&r.status_label)
            ),
        ),
        (
            "progress",
            r.progress
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "-".into()),
        ),
        ("target", clean(&r.start_url)),
        (
            "started",
            r.start_date.clone().unwrap_or_else(|| "-".into()),
        ),
        ("ended", r.end_date.clone().unwrap_or_else(|| "-".into())),
        ("urls collected", opt(r.crawl_count)),
        ("findings", opt(r.scan_count)),
        (
            "memo",
            if r.memo.is_empty() {
                "-".into()
            } else {
                clean(&r.memo)
            },
        ),
        (
            "console action",
            if r.result_button.as_str().is_empty() {
                "-".into()
            } else {
                r.result_button.as_str().to_owned()
            },
        ),
    ];
    rows.into_iter()
        .map(|(k, v)| format!("{} {v}", pad(k, 15)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "total 7 · high 1 · medium 2 · low 4".
pub fn risk_line(c: &RiskCounts) -> String {
    format!(
        "total {} · high {} · medium {} · low {}",
        c.total, c.high, c.medium, c.low
    )
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => clean(s),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn count_of(v: &Value, key: &str) -> String {
    match v {
        Value::Object(m) => m
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| value_text(v))
            .unwrap_or_else(|| "-".into()),
        _ => "-".into(),
    }
}

/// The report summary (Login_Info and cookies masked).
pub fn report_summary(id: &str, report: &Report) -> String {
    let mut out = vec![format!("Report of job {id}")];
    let field = |label: &str, key: &str| {
        report
            .text(key)
            .map(|v| format!("  {} {}", pad(label, 12), clean(&v)))
    };
    for (label, key) in [
        ("target", "Target_Info"),
        ("report date", "report_date"),
        ("crawl time", "Crawl_Time"),
        ("scan time", "Scan_Time"),
        ("user agent", "User_Agent"),
        ("memo", "Memo"),
    ] {
        if let Some(line) = field(label, key) {
            out.push(line);
        }
    }
    for (label, key) in [
        ("categories", "Vulnerability_Category"),
        ("excluded", "Excluded_Url"),
        ("scanned", "Scanned_Domain_List"),
        ("not scanned", "Not_Scanned_Domain_List"),
    ] {
        let items = report.list(key);
        if !items.is_empty() {
            out.push(format!("  {} {}", pad(label, 12), clean(&items.join(", "))));
        }
    }
    if report
        .field("Login_Info")
        .is_some_and(|v| !v.is_null() && v != "")
    {
        out.push(format!("  {} {REDACTED}", pad("login info", 12)));
    }
    match report.risk_counts() {
        Some(c) => out.push(format!("  {} {}", pad("risk", 12), risk_line(&c))),
        None => out.push(format!("  {} not reported", pad("risk", 12))),
    }
    if let Some(domains) = report.field("Classify_byRisk_Domain") {
        let entries: Vec<(String, Value)> = match domains {
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    (
                        item.as_object()
                            .and_then(|m| {
                                m.iter()
                                    .find(|(k, _)| k.eq_ignore_ascii_case("domain"))
                                    .map(|(_, v)| value_text(v))
                            })
                            .unwrap_or_else(|| "?".into()),
                        item.clone(),
                    )
                })
                .collect(),
            Value::Object(map) => map.iter().map(|(k, v)| (clean(k), v.clone())).collect(),
            _ => Vec::new(),
        };
        if !entries.is_empty() {
            out.push("  by domain".into());
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|(d, v)| {
                    vec![
                        format!("    {d}"),
                        format!("high {}", count_of(v, "High")),
                        format!("medium {}", count_of(v, "Medium")),
                        format!("low {}", count_of(v, "Low")),
                    ]
                })
                .collect();
            let t = table(&["", "", "", ""], &rows);
            out.extend(t.lines().skip(1).map(str::to_owned));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_align() {
        let t = table(
            &["A", "B"],
            &[
                vec!["진단".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
        );
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(
            width(lines[1].split("x").next().unwrap()),
            width(lines[2].split("y").next().unwrap())
        );
    }

    #[test]
    fn server_text_cannot_move_the_cursor() {
        assert_eq!(clean("a\x1b[2Jb\n"), "a [2Jb ");
    }
}
