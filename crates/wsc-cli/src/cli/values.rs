//! The values options take: parsed and listed where they are wrong.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use clap::builder::{PossibleValue, TypedValueParser};

/// `--ca-bundle` / `WSC_CA_BUNDLE`: a PEM file, or none when the value is
/// empty (so that `WSC_CA_BUNDLE=` unsets it, as an unset variable would).
#[derive(Debug, Clone)]
pub struct CaBundle(Option<PathBuf>);

impl CaBundle {
    /// The file, unless the value was empty.
    pub fn path(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

pub(super) fn parse_ca_bundle(value: &str) -> Result<CaBundle, String> {
    Ok(CaBundle((!value.is_empty()).then(|| PathBuf::from(value))))
}

/// A flag whose values are a fixed, listed set (shown in `--help`), parsed
/// by a function that names the problem with a refused value.
#[derive(Debug, Clone, Copy)]
pub struct ListedParser {
    flag: &'static str,
    values: &'static [&'static str],
    parse: fn(&str) -> Result<String, String>,
}

/// `--site`: `public` or `gov` (any case; empty means unset). `fin` has no
/// confirmed host: it is refused with a hint to pass `--endpoint`.
pub const SITE_PARSER: ListedParser = ListedParser {
    flag: "--site",
    values: &["public", "gov"],
    parse: |text| {
        if text.trim().is_empty() {
            return Ok(String::new());
        }
        text.parse::<wsc_core::Site>()
            .map(|site| site.name().to_owned())
            .map_err(|e| e.reason)
    },
};

/// `--vuln`: one of the documented items, in their canonical spelling.
pub const VULN_PARSER: ListedParser = ListedParser {
    flag: "--vuln",
    values: &wsc_core::sans_io::DOCUMENTED_VULN_ITEMS,
    parse: |text| {
        wsc_core::sans_io::documented_vuln_item(text)
            .map(str::to_owned)
            .ok_or_else(|| {
                format!(
                    "the documented items are {} (other item names: use --from-file)",
                    wsc_core::sans_io::DOCUMENTED_VULN_ITEMS.join(", ")
                )
            })
    },
};

impl TypedValueParser for ListedParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        (self.parse)(&text).map_err(|reason| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "invalid value {:?} for '{}': {reason}\n",
                    text.chars().take(40).collect::<String>(),
                    self.flag
                ),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.values.iter().copied().map(PossibleValue::new),
        ))
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned, human-readable.
    Table,
    /// Stable JSON on stdout (see docs/cli.md).
    Json,
    /// `report` only: Markdown (job summaries, merge-request comments).
    Markdown,
    /// `report` only: JUnit XML (CI test tabs).
    Junit,
    /// `report` only: SARIF 2.1.0 (code-scanning tools).
    Sarif,
    /// `report` only: one self-contained HTML page with charts.
    Html,
}

impl Output {
    /// The value as typed.
    pub fn name(self) -> &'static str {
        match self {
            Output::Table => "table",
            Output::Json => "json",
            Output::Markdown => "markdown",
            Output::Junit => "junit",
            Output::Sarif => "sarif",
            Output::Html => "html",
        }
    }

    /// Formats only `wsc report` writes.
    pub fn report_only(self) -> bool {
        !matches!(self, Output::Table | Output::Json)
    }
}

/// Risk levels for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on high findings.
    High,
    /// Fail on medium or high findings.
    Medium,
    /// Fail on any finding.
    Low,
}

impl FailOn {
    /// The level's name as typed.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::High => "high",
            FailOn::Medium => "medium",
            FailOn::Low => "low",
        }
    }
}

impl From<FailOn> for wsc_core::report::RiskLevel {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::High => Self::High,
            FailOn::Medium => Self::Medium,
            FailOn::Low => Self::Low,
        }
    }
}
