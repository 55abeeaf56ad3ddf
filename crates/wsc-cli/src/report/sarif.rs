//! `-o sarif`: SARIF 2.1.0 (serde-sarif) for code-scanning and
//! vulnerability-management tools, shaped for GitHub code scanning as its
//! "SARIF support for code scanning" page documents it. Tool `wsc`; one rule
//! per risk level, each with what GitHub requires of a rule (`id`,
//! `shortDescription`, `fullDescription`, `help` as text and Markdown) and
//! what it reads (`name`, `helpUri`, `defaultConfiguration.level`, and the
//! properties `security-severity`, `precision` and `tags` with `security`);
//! one result per level with findings (error/warning/note for
//! high/medium/low). A result's location is relative to the `TARGET` base
//! (`run.originalUriBaseIds`, the target's origin), with a region at line 1:
//! GitHub refuses locations with a scheme and empty ones. A stable
//! fingerprint per target and level, and `automationDetails.id` naming the
//! target, let re-runs update alerts. The checked vulnerability categories,
//! the job id and the report date are in the run's properties.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use wsc_core::report::RiskLevel;

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

/// The service's documentation, each rule's `helpUri`.
pub const HELP_URI: &str = "https://www.ncloud.com/product/security/webSecurityChecker";

/// GitHub's `precision` of a rule: how often its results are true. A level's
/// count is what the service's scan reported, not a guess of this tool's.
const PRECISION: &str = "high";

/// What a level means and what to do about it: a rule's `fullDescription`.
fn meaning(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::High => {
            "The Web Security Checker scan found vulnerabilities it rates high risk: \
             flaws an attacker can exploit directly, such as injection or cross-site \
             scripting, that can expose data or take over sessions."
        }
        RiskLevel::Medium => {
            "The Web Security Checker scan found vulnerabilities it rates medium risk: \
             flaws that need other conditions to exploit or expose less, such as \
             missing protections or information disclosure."
        }
        RiskLevel::Low => {
            "The Web Security Checker scan found vulnerabilities it rates low risk: \
             weaknesses of configuration or hygiene that make other attacks easier."
        }
    }
}

/// A rule's `help`: what the level means, what to do next and where the
/// full report is, as plain text and as Markdown.
fn help(level: RiskLevel) -> MultiformatMessageString {
    let next = "Open the job's full report (`wsc report ID -o html`, or the NAVER Cloud \
                console's Web Security Checker) for each finding's URL and remedy, fix \
                the findings, and scan again to confirm";
    let text = format!(
        "{} What to do: {next}; `wsc report ID --baseline OLD.json` shows what changed. \
         The counts come from the service's report; this alert stands for all of them.",
        meaning(level)
    );
    let markdown = format!(
        "**{} risk.** {}\n\n**What to do:** {next}; `wsc report ID --baseline OLD.json` \
         shows what changed.\n\n**The full report:** this alert stands for every \
         {}-risk finding of the scan; the report of the job named in the alert's message \
         lists them. See [Web Security Checker]({HELP_URI}).",
        capitalised(level.name()),
        meaning(level),
        level.name()
    );
    MultiformatMessageString::builder()
        .text(text)
        .markdown(markdown)
        .build()
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
                .full_description(text(meaning(level)))
                .help(help(level))
                .help_uri(HELP_URI)
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(sarif_level(level).to_string()))
                        .build(),
                )
                .properties(bag([
                    ("risk_level", json!(level.name())),
                    ("security-severity", json!(security_severity(level))),
                    ("precision", json!(PRECISION)),
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
                // GitHub requires a region; a URL has no lines, so line 1.
                .region(Region::builder().start_line(1).build())
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
    crate::output::json_text(&log).map_err(|e| e.to_string())
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
    use wsc_core::report::RiskCounts;

    /// Whether `path` (`a.b.c`, `[]` for each element of an array) holds a
    /// non-empty value in `v`, for every element it reaches.
    fn every(v: &Value, path: &str) -> Result<usize, String> {
        let (head, rest) = path.split_once('.').unwrap_or((path, ""));
        let values: Vec<&Value> = match head.strip_suffix("[]") {
            Some(key) => v[key]
                .as_array()
                .ok_or(format!("{key} is not an array"))?
                .iter()
                .collect(),
            None => vec![&v[head]],
        };
        if values.is_empty() {
            return Err(format!("{head} is empty"));
        }
        let mut reached = 0;
        for value in values {
            let empty = match value {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if empty {
                return Err(format!("{head} is missing or empty"));
            }
            reached += if rest.is_empty() {
                1
            } else {
                every(value, rest)?
            };
        }
        Ok(reached)
    }

    fn log() -> Value {
        let summary = Summary {
            id: "1234567001".into(),
            target: Some("https://shop.example.com/app".into()),
            report_date: Some("2026/12/05 10:43:36".into()),
            fields: Vec::new(),
            lists: Vec::new(),
            categories: vec!["ALL".into()],
            risk: Some(RiskCounts::from_levels(1, 2, 4)),
            domains: Vec::new(),
            has_login_info: false,
        };
        serde_json::from_str(&render(&summary, &Extras::default()).unwrap()).unwrap()
    }

    /// Every property GitHub's "SARIF support for code scanning" lists as
    /// required, and those it reads for display and severity, object by
    /// object; each failure names GitHub's rule.
    #[test]
    fn every_property_github_code_scanning_documents_is_written() {
        let log = log();
        let documented = [
            ("sarifLog: $schema is required", "$schema"),
            ("sarifLog: version is required", "version"),
            ("sarifLog: runs[] is required", "runs[]"),
            ("run: tool.driver is required", "runs[].tool.driver"),
            ("run: results[] is required", "runs[].results[]"),
            ("toolComponent: name is required", "runs[].tool.driver.name"),
            (
                "toolComponent: version is read",
                "runs[].tool.driver.version",
            ),
            (
                "toolComponent: rules[] is required",
                "runs[].tool.driver.rules[]",
            ),
            (
                "reportingDescriptor: id is required",
                "runs[].tool.driver.rules[].id",
            ),
            (
                "reportingDescriptor: name is read",
                "runs[].tool.driver.rules[].name",
            ),
            (
                "reportingDescriptor: shortDescription.text is required",
                "runs[].tool.driver.rules[].shortDescription.text",
            ),
            (
                "reportingDescriptor: fullDescription.text is required",
                "runs[].tool.driver.rules[].fullDescription.text",
            ),
            (
                "reportingDescriptor: defaultConfiguration.level is read",
                "runs[].tool.driver.rules[].defaultConfiguration.level",
            ),
            (
                "reportingDescriptor: help.text is required",
                "runs[].tool.driver.rules[].help.text",
            ),
            (
                "reportingDescriptor: help.markdown is read (shown instead of help.text)",
                "runs[].tool.driver.rules[].help.markdown",
            ),
            (
                "reportingDescriptor: helpUri is read",
                "runs[].tool.driver.rules[].helpUri",
            ),
            (
                "reportingDescriptor: properties.tags[] is read",
                "runs[].tool.driver.rules[].properties.tags[]",
            ),
            (
                "reportingDescriptor: properties.precision is read",
                "runs[].tool.driver.rules[].properties.precision",
            ),
            (
                "reportingDescriptor: properties.security-severity is read",
                "runs[].tool.driver.rules[].properties.security-severity",
            ),
            ("result: ruleId is read", "runs[].results[].ruleId"),
            ("result: ruleIndex is read", "runs[].results[].ruleIndex"),
            ("result: level is read", "runs[].results[].level"),
            (
                "result: message.text is required",
                "runs[].results[].message.text",
            ),
            (
                "result: locations[] is required",
                "runs[].results[].locations[]",
            ),
            (
                "result: partialFingerprints is read",
                "runs[].results[].partialFingerprints",
            ),
            (
                "location: physicalLocation is required",
                "runs[].results[].locations[].physicalLocation",
            ),
            (
                "physicalLocation: artifactLocation.uri is required",
                "runs[].results[].locations[].physicalLocation.artifactLocation.uri",
            ),
            (
                "physicalLocation: region.startLine is required",
                "runs[].results[].locations[].physicalLocation.region.startLine",
            ),
            (
                "runAutomationDetails: id is read",
                "runs[].automationDetails.id",
            ),
        ];
        for (rule, path) in documented {
            if let Err(why) = every(&log, path) {
                panic!("GitHub: {rule} ({path}: {why})");
            }
        }
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), 3);
        for rule in rules {
            let props = &rule["properties"];
            // precision: one of GitHub's four values.
            assert!(
                ["very-high", "high", "medium", "low"]
                    .contains(&props["precision"].as_str().unwrap()),
                "GitHub: precision is very-high, high, medium or low: {rule}"
            );
            // security-severity: a score 0.0-10.0, used only with the security tag.
            let score: f64 = props["security-severity"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((0.0..=10.0).contains(&score), "{rule}");
            assert!(
                props["tags"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("security"))
            );
            // help says what to do next and where the full report is.
            let markdown = rule["help"]["markdown"].as_str().unwrap();
            for needed in ["What to do", "full report", HELP_URI] {
                assert!(markdown.contains(needed), "{needed}: {markdown}");
            }
            assert_ne!(rule["fullDescription"], rule["shortDescription"]);
            assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        }
        // Regions: lines start at 1.
        let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 1);
        // The checker is live: a rule without help is caught.
        let mut broken = log.clone();
        broken["runs"][0]["tool"]["driver"]["rules"][1]["help"] = Value::Null;
        assert!(every(&broken, "runs[].tool.driver.rules[].help.text").is_err());
    }

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
