//! `-o sarif`: SARIF 2.1.0 (serde-sarif) for code-scanning and
//! vulnerability-management tools, shaped for GitHub code scanning. Tool
//! `wsc`; one rule per risk level, each with a `security-severity` and the
//! `security` tag; one result per level with findings (error/warning/note for
//! high/medium/low). A result's location is relative to the `TARGET` base
//! (`run.originalUriBaseIds`, the target's origin): GitHub refuses locations
//! with a scheme and empty ones. A stable fingerprint per target and level,
//! and `automationDetails.id` naming the target, let re-runs update alerts.
//! The checked vulnerability categories, the job id and the report date are
//! in the run's properties.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use wsc_core::RiskLevel;

use super::{Extras, Summary, one_line};

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule_id(level: RiskLevel) -> String {
    format!("wsc/risk/{}", level.name())
}

/// GitHub's `security-severity` (0.1–10.0; high is 7.0 or more, medium 4.0
/// to 6.9, low below 4.0).
fn security_severity(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::High => "8.0",
        RiskLevel::Medium => "5.5",
        RiskLevel::Low => "2.0",
    }
}

/// The base every location is relative to.
pub const TARGET_BASE: &str = "TARGET";

/// The target split into its origin (`https://host[:port]/`, absolute, ending
/// with `/`) and the rest as a non-empty relative reference (`./` for the
/// origin itself). A target without a scheme is taken as https.
pub fn split_target(target: &str) -> (String, String) {
    let target = uri(target);
    let (scheme, rest) = match target.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            (scheme.to_ascii_lowercase(), rest.to_owned())
        }
        _ => ("https".to_owned(), target.clone()),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = match &rest[..end] {
        "" => "target.invalid",
        host => host,
    };
    let path = rest[end..].trim_start_matches('/');
    let relative = match path {
        "" => "./".to_owned(),
        // A first segment with a colon would read as a scheme.
        p if p.split('/').next().is_some_and(|seg| seg.contains(':')) => format!("./{p}"),
        p => p.to_owned(),
    };
    (format!("{scheme}://{authority}/"), relative)
}

fn sarif_level(level: RiskLevel) -> ResultLevel {
    match level {
        RiskLevel::High => ResultLevel::Error,
        RiskLevel::Medium => ResultLevel::Warning,
        RiskLevel::Low => ResultLevel::Note,
    }
}

/// Server text as a URI reference: characters a URI cannot hold are
/// percent-encoded, so a hostile `Target_Info` still yields a valid location.
pub fn uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        let keep = c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn bag(entries: impl IntoIterator<Item = (&'static str, Value)>) -> PropertyBag {
    let additional: BTreeMap<String, Value> = entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    PropertyBag::builder()
        .additional_properties(additional)
        .build()
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

/// The SARIF log as pretty JSON.
pub fn render(s: &Summary, x: &Extras) -> Result<String, String> {
    let target = s.target.as_deref().map(one_line).unwrap_or_default();
    let rules: Vec<ReportingDescriptor> = RiskLevel::ALL
        .into_iter()
        .map(|level| {
            ReportingDescriptor::builder()
                .id(rule_id(level))
                .name(format!("{}RiskFindings", capitalised(level.name())))
                .short_description(text(format!(
                    "{}-risk findings of a Web Security Checker scan",
                    capitalised(level.name())
                )))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(sarif_level(level).to_string()))
                        .build(),
                )
                .properties(bag([
                    ("risk_level", json!(level.name())),
                    ("security-severity", json!(security_severity(level))),
                    ("tags", json!(["security", "dast", "web"])),
                ]))
                .build()
        })
        .collect();
    let categories: Vec<String> = s.categories.iter().map(|c| one_line(c)).collect();

    let (origin, relative) = split_target(&target);
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(relative.clone())
                        .uri_base_id(TARGET_BASE)
                        .build(),
                )
                .build(),
        )
        .build();
    let mut results = Vec::new();
    if let Some(counts) = &s.risk {
        for (index, level) in RiskLevel::ALL.into_iter().enumerate() {
            let n = counts.at(level);
            if n == 0 {
                continue;
            }
            let mut message = format!(
                "{n} {}-risk finding(s) at {target} (job {})",
                level.name(),
                s.id
            );
            let mut props = vec![("count", json!(n))];
            if let Some(d) = &x.delta {
                message.push_str(&format!("; baseline: {}", d.line(level)));
                props.push(("baseline_count", json!(d.before.at(level))));
                props.push(("change", json!(d.change(level))));
            }
            results.push(
                SarifResult::builder()
                    .rule_id(rule_id(level))
                    .rule_index(index as i64)
                    .level(sarif_level(level))
                    .message(Message::builder().text(message).build())
                    .locations(vec![location.clone()])
                    // One alert per target and level across runs (code scanning
                    // cannot fingerprint a URL's "file" contents itself).
                    .partial_fingerprints(BTreeMap::from([(
                        "wscTargetLevel/v1".to_owned(),
                        format!("{origin}{relative}#{}", level.name()),
                    )]))
                    .properties(bag(props))
                    .build(),
            );
        }
    }

    let mut run_props = vec![
        ("job_id", json!(s.id)),
        ("target", json!(target)),
        ("categories", json!(categories)),
    ];
    if let Some(date) = &s.report_date {
        run_props.push(("report_date", json!(one_line(date))));
    }
    if let Some(c) = &s.risk {
        run_props.push(("risk", json!(c)));
    }
    if let Some(d) = &x.delta {
        run_props.push(("baseline", d.to_json()));
    }
    let driver = ToolComponent::builder()
        .name("wsc")
        .full_name("wsc: NAVER Cloud Platform Web Security Checker")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .original_uri_base_ids(BTreeMap::from([(
            TARGET_BASE.to_owned(),
            ArtifactLocation::builder().uri(origin.clone()).build(),
        )]))
        .automation_details(
            RunAutomationDetails::builder()
                .id(format!(
                    "wsc/{}/",
                    origin
                        .trim_end_matches('/')
                        .split("://")
                        .nth(1)
                        .unwrap_or("target")
                ))
                .build(),
        )
        .properties(bag(run_props))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log).map_err(|e| e.to_string())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_an_origin_and_a_relative_reference() {
        for (target, origin, relative) in [
            (
                "https://shop.example.com",
                "https://shop.example.com/",
                "./",
            ),
            (
                "https://shop.example.com/",
                "https://shop.example.com/",
                "./",
            ),
            (
                "HTTPS://a.example:8443/x/y?q=1",
                "https://a.example:8443/",
                "x/y?q=1",
            ),
            (
                "shop.example.com/login",
                "https://shop.example.com/",
                "login",
            ),
            ("https://a.example/p:q", "https://a.example/", "./p:q"),
            ("https://", "https://target.invalid/", "./"),
        ] {
            assert_eq!(
                split_target(target),
                (origin.into(), relative.into()),
                "{target}"
            );
        }
    }

    #[test]
    fn hostile_targets_become_valid_uris() {
        assert_eq!(
            uri("https://a.example/x y\"<"),
            "https://a.example/x%20y%22%3C"
        );
        assert_eq!(
            uri("https://진단.example"),
            "https://%EC%A7%84%EB%8B%A8.example"
        );
    }
}
