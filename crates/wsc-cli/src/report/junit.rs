//! `-o junit`: one test suite per scan, one test case per risk level (and per
//! domain and level), failing where a level at or above `--fail-on` (default
//! high) has findings. quick-junit serialises and escapes (control characters
//! are dropped, so the XML is well-formed whatever the server sent).

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use wsc_core::RiskLevel;

use super::{Extras, LEVELS, Summary, count_at, level_name, one_line};

fn case(name: String, count: u64, level: RiskLevel, threshold: RiskLevel) -> TestCase {
    let status = if Summary::fails(level, count, threshold) {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(format!(
            "{count} {} finding(s) (fails at {} or above)",
            level_name(level),
            level_name(threshold)
        ))
        .set_type("findings");
        s
    } else {
        TestCaseStatus::success()
    };
    TestCase::new(name, status)
}

/// The JUnit XML report.
pub fn render(s: &Summary, x: &Extras) -> Result<String, String> {
    let threshold = x.threshold();
    let target = s.target.as_deref().map(one_line).unwrap_or_default();
    let suite_name = if target.is_empty() {
        format!("wsc job {}", s.id)
    } else {
        format!("wsc job {} ({target})", s.id)
    };
    let mut suite = TestSuite::new(suite_name);
    suite.add_property(("job_id", s.id.as_str()));
    if !target.is_empty() {
        suite.add_property(("target", target.as_str()));
    }
    if let Some(date) = &s.report_date {
        suite.add_property(("report_date", one_line(date).as_str()));
    }
    suite.add_property(("fail_on", level_name(threshold)));
    let classname = format!("wsc.job{}", s.id);
    match &s.risk {
        Some(counts) => {
            for level in LEVELS {
                let n = count_at(counts, level);
                let mut c = case(
                    format!("{} findings", level_name(level)),
                    n,
                    level,
                    threshold,
                );
                c.set_classname(classname.as_str());
                let mut out = format!("{n} {} finding(s)", level_name(level));
                if let Some(d) = &x.delta {
                    out.push_str(&format!("\nbaseline: {}", d.line(level)));
                }
                c.set_system_out(out);
                suite.add_test_case(c);
            }
        }
        None => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message("the report has no risk counts");
            suite.add_test_case(TestCase::new("risk counts", status));
        }
    }
    for d in &s.domains {
        let domain = one_line(&d.domain);
        for level in LEVELS {
            let mut c = case(
                format!("{domain}: {} findings", level_name(level)),
                d.at(level),
                level,
                threshold,
            );
            c.set_classname(format!("{classname}.domain"));
            suite.add_test_case(c);
        }
    }
    if let (Some(d), Some(level)) = (&x.delta, x.fail_on_new) {
        let status = match super::baseline::gate_message(d, level, &s.id) {
            Some(message) => {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                st.set_message(message).set_type("new findings");
                st
            }
            None => TestCaseStatus::success(),
        };
        let mut c = TestCase::new(
            format!("no new findings at or above {}", level_name(level)),
            status,
        );
        c.set_classname(classname.as_str());
        c.set_system_out(d.summary());
        suite.add_test_case(c);
    }
    let mut report = Report::new("wsc");
    report.add_test_suite(suite);
    report.to_string().map_err(|e| e.to_string())
}
