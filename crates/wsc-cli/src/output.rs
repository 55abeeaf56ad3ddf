//! Rendering for people (aligned tables, summaries) and for programs (the
//! stable JSON schema documented in docs/cli.md).

use serde_json::Value;
use wsc_core::report::RiskCounts;
use wsc_core::sans_io::REDACTED;
use wsc_core::{JobPage, JobRecord, JobStatus, Report};

/// Display width in terminal columns (East Asian wide characters and emoji
/// count two, combining marks none), per `unicode-width`.
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The zone the service reports its times in.
pub const ZONE_LABEL: &str = "KST";

/// A server-sent `YYYY-MM-DD hh:mm:ss` (KST) as RFC 3339 with its offset,
/// `YYYY-MM-DDThh:mm:ss+09:00`; other text is returned cleaned of control
/// characters, unchanged otherwise.
pub fn kst_rfc3339(s: &str) -> String {
    let b = s.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shaped = b.len() == 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b' ' || b[10] == b'T')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if shaped {
        let t = s.trim();
        format!("{}T{}+09:00", &t[..10], &t[11..])
    } else {
        terminal_safe(s)
    }
}

/// A server-sent date for a table: cleaned, `-` when unset.
pub fn date_cell(d: Option<&String>) -> String {
    match d.map(|d| terminal_safe(d.trim())) {
        Some(d) if !d.is_empty() => d,
        _ => "-".into(),
    }
}

/// One job as JSON, in the CLI's schema ([`crate::schema::JobOut`]).
pub fn job_json(record: &JobRecord) -> Value {
    serde_json::to_value(crate::schema::JobOut::from(record)).unwrap_or_default()
}

fn pad(s: &str, to: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', to.saturating_sub(width(s))));
    out
}

/// Text from the service made safe for a terminal: the one function every
/// human format passes server text through. C0 and C1 controls (escape
/// sequences start with one), DEL and the bidirectional overrides, isolates
/// and marks are shown escaped (`\u{1b}`), so nothing the service sends can
/// move the cursor, retitle the window or reorder what is shown. JSON output
/// keeps exact values instead, escaping the same characters ([`json_text`]).
pub fn terminal_safe(s: &str) -> String {
    escape(s, false)
}

/// [`terminal_safe`] for text of several lines: line feeds stay.
pub fn terminal_safe_lines(s: &str) -> String {
    escape(s, true)
}

/// Whether `c` must not reach a terminal as it is: a control character (C0,
/// DEL, C1) or a bidirectional override, isolate or mark.
fn unsafe_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `value` as pretty JSON in which every character [`terminal_safe`]
/// escapes is a `\uXXXX` escape too: serde_json escapes only C0, so C1
/// controls (U+009B is an 8-bit CSI), DEL and bidi controls from the
/// service would reach the terminal raw. Still exact JSON: it parses back
/// to the same value.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    use std::fmt::Write as _;
    let text = serde_json::to_string_pretty(value)?;
    if !text.chars().any(unsafe_on_terminal) {
        return Ok(text);
    }
    // Outside strings JSON is ASCII structure and whitespace (which C0
    // escaping already covers), so each such character is inside a string.
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_on_terminal(c) && !matches!(c, '\n' | ' ') {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn escape(s: &str, keep_line_feeds: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let unsafe_char = unsafe_on_terminal(c) && !(keep_line_feeds && c == '\n');
        if unsafe_char {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// An aligned table; the last column is not padded.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| terminal_safe(cell)).collect())
        .collect();
    let rows = rows.as_slice();
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
                date_cell(r.start_date.as_ref()),
                terminal_safe(&r.start_url),
                terminal_safe(&r.memo),
            ]
        })
        .collect();
    let text = table(
        &[
            "ID",
            "STATUS",
            "PROGRESS",
            "URLS",
            "FOUND",
            "STARTED (KST)",
            "TARGET",
            "MEMO",
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

/// The JSON of a page (or of all pages), in the CLI's schema
/// ([`crate::schema::JobsOut`]).
pub fn jobs_json(
    records: &[JobRecord],
    page: Option<&JobPage>,
    page_number: Option<u32>,
    limit: u32,
    truncated: bool,
) -> Value {
    let out = crate::schema::JobsOut::new(records, page, page_number, limit, truncated);
    serde_json::to_value(out).unwrap_or_default()
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
                paint(&status, terminal_safe(status.describe()), color),
                terminal_safe(&r.status_label)
            ),
        ),
        (
            "progress",
            r.progress
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "-".into()),
        ),
        ("target", terminal_safe(&r.start_url)),
        ("started", zoned(date_cell(r.start_date.as_ref()))),
        ("ended", zoned(date_cell(r.end_date.as_ref()))),
        ("urls collected", opt(r.crawl_count)),
        ("findings", opt(r.scan_count)),
        (
            "memo",
            if r.memo.is_empty() {
                "-".into()
            } else {
                terminal_safe(&r.memo)
            },
        ),
        (
            "console action",
            if r.result_button().is_empty() {
                "-".into()
            } else {
                terminal_safe(r.result_button())
            },
        ),
    ];
    rows.into_iter()
        .map(|(k, v)| format!("{} {v}", pad(k, 15)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table date with its zone (`-` stays `-`).
fn zoned(date: String) -> String {
    if date == "-" {
        date
    } else {
        format!("{date} {ZONE_LABEL}")
    }
}

/// "total 7 · high 1 · medium 2 · low 4".
pub fn risk_line(c: &RiskCounts) -> String {
    format!(
        "total {} · high {} · medium {} · low {}",
        c.total, c.high, c.medium, c.low
    )
}

/// The report summary (Login_Info and cookies masked): what
/// `wsc_core::report::ReportSummary` holds, as a table.
pub fn report_summary(id: &str, report: &Report) -> String {
    let summary = report.summary();
    let mut out = vec![format!("Report of job {id}")];
    let line = |label: &str, value: &str| format!("  {} {}", pad(label, 12), terminal_safe(value));
    for (label, value) in summary.fields() {
        out.push(line(label, value));
    }
    if !summary.categories().is_empty() {
        out.push(line("categories", &summary.categories().join(", ")));
    }
    for (label, items) in summary.lists() {
        out.push(line(label, &items.join(", ")));
    }
    if summary.has_login_info() {
        out.push(format!("  {} {REDACTED}", pad("login info", 12)));
    }
    match summary.risk() {
        Some(c) => out.push(format!("  {} {}", pad("risk", 12), risk_line(&c))),
        None => out.push(format!("  {} not reported", pad("risk", 12))),
    }
    if !summary.domains().is_empty() {
        out.push("  by domain".into());
        let rows: Vec<Vec<String>> = summary
            .domains()
            .iter()
            .map(|d| {
                vec![
                    format!("    {}", terminal_safe(&d.domain)),
                    format!("high {}", d.high),
                    format!("medium {}", d.medium),
                    format!("low {}", d.low),
                ]
            })
            .collect();
        let t = table(&["", "", "", ""], &rows);
        out.extend(t.lines().skip(1).map(str::to_owned));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_text_escapes_what_a_terminal_must_not_see_and_round_trips() {
        // Every character of the BMP's first planes that matter, one by one,
        // and all of them in one string (keys too).
        let chars: Vec<char> = (0u32..0x3000)
            .chain([0xFEFF, 0x1F600])
            .filter_map(char::from_u32)
            .collect();
        let all: String = chars.iter().collect();
        let mut cases: Vec<String> = chars.iter().map(|c| format!("a{c}b")).collect();
        cases.push(all);
        for text in cases {
            let value = serde_json::json!({ "memo": text, text.clone(): [text.clone()] });
            let out = json_text(&value).unwrap();
            assert!(
                !out.chars().any(|c| unsafe_on_terminal(c) && c != '\n'),
                "raw in {out:?}"
            );
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(back, value);
        }
        let shown = json_text(&serde_json::json!(["\u{9b}2J\u{202e}x\u{7f}\u{2066}"])).unwrap();
        for escaped in ["\\u009b", "\\u202e", "\\u007f", "\\u2066"] {
            assert!(shown.contains(escaped), "{escaped} in {shown}");
        }
    }

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
    fn emoji_and_combining_marks_align() {
        // 🔒 takes two columns; "e\u{301}" (e + combining acute) one.
        let t = table(
            &["A", "B"],
            &[
                vec!["🔒".into(), "x".into()],
                vec!["e\u{301}".into(), "y".into()],
                vec!["ab".into(), "z".into()],
            ],
        );
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(lines[1], "🔒  x");
        assert_eq!(lines[2], "e\u{301}   y");
        assert_eq!(lines[3], "ab  z");
    }

    #[test]
    fn dates_are_cleaned_and_state_their_zone() {
        assert_eq!(
            kst_rfc3339("2024-07-10 13:42:38"),
            "2024-07-10T13:42:38+09:00"
        );
        assert_eq!(kst_rfc3339("10 Jul\x1b[2J"), "10 Jul\\u{1b}[2J");
        let mut r: JobRecord = serde_json::from_str(
            r#"{"instanceNo":"5","start_date":"2024-07-10 13:42:38\u001b[31m","end_date":"2024-07-10 14:00:00","status":"진단 완료","start_url":"https://a.example"}"#,
        )
        .unwrap();
        let details = job_details(&r, false);
        assert!(!details.contains('\x1b'), "{details}");
        assert!(details.contains("2024-07-10 14:00:00 KST"), "{details}");
        let table = jobs_table(std::slice::from_ref(&r), false);
        assert!(
            !table.contains('\x1b') && table.contains("STARTED (KST)"),
            "{table}"
        );
        r.start_date = Some("2024-07-10 13:42:38".into());
        let v = job_json(&r);
        assert_eq!(v["start_date"], "2024-07-10T13:42:38+09:00");
        assert_eq!(v["end_date"], "2024-07-10T14:00:00+09:00");
    }

    #[test]
    fn server_text_cannot_move_the_cursor() {
        assert_eq!(terminal_safe("a\x1b[2Jb\n"), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(
            terminal_safe("\u{202e}x\u{2069}\u{9b}\u{7f}"),
            "\\u{202e}x\\u{2069}\\u{9b}\\u{7f}"
        );
        assert_eq!(terminal_safe_lines("a\nb\r"), "a\nb\\u{d}");
        assert_eq!(terminal_safe("한글 ok"), "한글 ok");
    }

    #[test]
    fn an_unknown_hostile_status_is_escaped_in_the_table_and_details() {
        let record: JobRecord = serde_json::from_value(serde_json::json!({
            "instanceNo": "1", "status": "\u{1b}]0;pwned\u{7}", "start_url": "https://a.example",
            "memo": "m", "result_button": "\u{1b}[31m"
        }))
        .unwrap();
        for text in [
            jobs_table(std::slice::from_ref(&record), false),
            job_details(&record, false),
        ] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{text:?}"
            );
            assert!(text.contains("\\u{1b}]0;pwned\\u{7}"), "{text}");
        }
    }
}
