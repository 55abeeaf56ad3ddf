//! `-o junit`: one test suite per scan and one test case per risk level. A
//! case fails exactly when the gate fails on it: `--fail-on LEVEL` fails the
//! levels at or above it that have findings, and `--fail-on-new` adds one
//! case that fails when a level grew since the baseline. Without a gate no
//! case fails; the counts (and each domain's) are in each case's system-out,
//! so every finding is counted once. Text from the service is made XML 1.0
//! text first: characters XML forbids (controls, U+FFFE, U+FFFF, lone
//! surrogates cannot occur in Rust strings) become U+FFFD.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use wsc_core::report::RiskLevel;

use super::{Extras, Summary, one_line};

/// `s` with every character XML 1.0 does not allow replaced by U+FFFD.
pub fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// One line of XML-safe text.
fn line(s: &str) -> String {
    xml_text(&one_line(s))
}

fn level_case(name: String, count: u64, level: RiskLevel, fail_on: Option<RiskLevel>) -> TestCase {
    let status = match fail_on {
        Some(threshold) if crate::gate::fails_at(level, count, threshold) => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "{count} {} finding(s) (fails at {} or above)",
                level.name(),
                threshold.name()
            ))
            .set_type("findings");
            s
        }
        _ => TestCaseStatus::success(),
    };
    TestCase::new(name, status)
}

/// The JUnit XML report.
pub fn render(s: &Summary, x: &Extras) -> Result<String, String> {
    let fail_on = x.fail_on;
    let target = s.target.as_deref().map(line).unwrap_or_default();
    let suite_name = if target.is_empty() {
        format!("wsc job {}", line(&s.id))
    } else {
        format!("wsc job {} ({target})", line(&s.id))
    };
    let mut suite = TestSuite::new(suite_name);
    suite.add_property(("job_id", line(&s.id).as_str()));
    if !target.is_empty() {
        suite.add_property(("target", target.as_str()));
    }
    if let Some(date) = &s.report_date {
        suite.add_property(("report_date", line(date).as_str()));
    }
    suite.add_property((
        "fail_on",
        fail_on.map(RiskLevel::name).unwrap_or("none (no gate)"),
    ));
    let classname = format!("wsc.job{}", line(&s.id));
    match &s.risk {
        Some(counts) => {
            for level in RiskLevel::ALL {
                let n = counts.at(level);
                let mut c = level_case(format!("{} findings", level.name()), n, level, fail_on);
                c.set_classname(classname.as_str());
                let mut out = format!("{n} {} finding(s)", level.name());
                for d in &s.domains {
                    out.push_str(&format!("\n{}: {}", line(&d.domain), d.at(level)));
                }
                if let Some(d) = &x.delta {
                    out.push_str(&format!("\nbaseline: {}", d.line(level)));
                }
                c.set_system_out(xml_text(&out));
                suite.add_test_case(c);
            }
        }
        None => {
            let gate = fail_on.is_some() || x.fail_on_new.is_some();
            let status = if gate {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message("the report has no risk counts: the gate cannot be evaluated");
                status
            } else {
                TestCaseStatus::success()
            };
            let mut c = TestCase::new("risk counts", status);
            c.set_system_out("the report has no risk counts");
            suite.add_test_case(c);
        }
    }
    if let (Some(d), Some(level)) = (&x.delta, x.fail_on_new) {
        let status = match crate::gate::gate_message(d, level, &s.id) {
            Some(message) => {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                st.set_message(xml_text(&message)).set_type("new findings");
                st
            }
            None => TestCaseStatus::success(),
        };
        let mut c = TestCase::new(
            format!("no new findings at or above {}", level.name()),
            status,
        );
        c.set_classname(classname.as_str());
        c.set_system_out(xml_text(&d.summary()));
        suite.add_test_case(c);
    }
    let mut report = Report::new("wsc");
    report.add_test_suite(suite);
    report.to_string().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(
            xml_text("a\u{1}b\u{FFFE}c\u{FFFF}d\u{1b}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}"
        );
        assert_eq!(
            xml_text("tab\there 한글 \u{1F600}"),
            "tab\there 한글 \u{1F600}"
        );
    }
}
