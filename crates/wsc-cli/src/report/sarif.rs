//! `-o sarif`: SARIF 2.1.0 (serde-sarif) for code-scanning and
//! vulnerability-management tools. Tool `wsc`; one rule per risk level and per
//! reported vulnerability category; one result per level with findings
//! (error/warning/note for high/medium/low) located at the target URL; the job
//! id and report date in the run's properties.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use wsc_core::RiskLevel;

use super::{Extras, LEVELS, Summary, count_at, level_name, one_line};

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule_id(level: RiskLevel) -> String {
    format!("wsc/risk/{}", level_name(level))
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
    let mut rules: Vec<ReportingDescriptor> = LEVELS
        .into_iter()
        .map(|level| {
            ReportingDescriptor::builder()
                .id(rule_id(level))
                .name(format!("{}RiskFindings", capitalised(level_name(level))))
                .short_description(text(format!(
                    "{}-risk findings of a Web Security Checker scan",
                    capitalised(level_name(level))
                )))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(sarif_level(level).to_string()))
                        .build(),
                )
                .properties(bag([("risk_level", json!(level_name(level)))]))
                .build()
        })
        .collect();
    for category in &s.categories {
        let category = one_line(category);
        rules.push(
            ReportingDescriptor::builder()
                .id(format!("wsc/category/{category}"))
                .short_description(text(format!("Vulnerability category checked: {category}")))
                .build(),
        );
    }

    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri(&target)).build())
                .build(),
        )
        .build();
    let mut results = Vec::new();
    if let Some(counts) = &s.risk {
        for (index, level) in LEVELS.into_iter().enumerate() {
            let n = count_at(counts, level);
            if n == 0 {
                continue;
            }
            let mut message = format!(
                "{n} {}-risk finding(s) at {target} (job {})",
                level_name(level),
                s.id
            );
            let mut props = vec![("count", json!(n))];
            if let Some(d) = &x.delta {
                message.push_str(&format!("; baseline: {}", d.line(level)));
                props.push(("baseline_count", json!(count_at(&d.before, level))));
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
                        format!("{}#{}", uri(&target), level_name(level)),
                    )]))
                    .properties(bag(props))
                    .build(),
            );
        }
    }

    let mut run_props = vec![("job_id", json!(s.id)), ("target", json!(target))];
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
        .information_uri("https://github.com/wsc-rs/wsc")
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
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
