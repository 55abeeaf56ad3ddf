//! The scan's own settings a createJob carries: the browser the scanner
//! presents itself as, its speed, and the vulnerability items the API
//! documentation names.

use std::str::FromStr;

use crate::invalid_input::InvalidInput;

/// The browser the scanner presents itself as to the target site (the
/// createJob `UserAgent` field, one of its reserved words).
///
/// ```
/// use wsc_core::ScanUserAgent;
/// let agent: ScanUserAgent = "iphone".parse().unwrap();
/// assert_eq!(agent, ScanUserAgent::Iphone);
/// assert_eq!(agent.wire(), "iPhone");
/// assert_eq!("PC Chrome".parse::<ScanUserAgent>().unwrap(), ScanUserAgent::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ScanUserAgent {
    /// `PC Chrome` (the default).
    #[default]
    PcChrome,
    /// `PC IE`.
    PcIe,
    /// `Android`.
    Android,
    /// `iPhone`.
    Iphone,
}

impl ScanUserAgent {
    /// The reserved word sent on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            Self::PcChrome => "PC Chrome",
            Self::PcIe => "PC IE",
            Self::Android => "Android",
            Self::Iphone => "iPhone",
        }
    }

    /// The CLI spelling (`pc-chrome`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::PcChrome => "pc-chrome",
            Self::PcIe => "pc-ie",
            Self::Android => "android",
            Self::Iphone => "iphone",
        }
    }
}

impl FromStr for ScanUserAgent {
    type Err = InvalidInput;
    /// Accepts the CLI spelling or the wire's reserved word, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "pc-chrome" | "chrome" => Ok(Self::PcChrome),
            "pc-ie" | "ie" => Ok(Self::PcIe),
            "android" => Ok(Self::Android),
            "iphone" => Ok(Self::Iphone),
            _ => Err(InvalidInput::new(
                "user agent",
                "must be one of pc-chrome, pc-ie, android, iphone",
            )),
        }
    }
}

/// Scan speed (`Speed`, sent as the *string* `"1"`–`"3"`).
///
/// ```
/// use wsc_core::Speed;
/// assert_eq!("faster".parse::<Speed>().unwrap().wire(), "2");
/// assert_eq!("3".parse::<Speed>().unwrap(), Speed::Fast);
/// assert!("warp".parse::<Speed>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Speed {
    /// `"1"`: normal (the default; lightest on the target).
    #[default]
    Normal,
    /// `"2"`: a bit faster.
    Faster,
    /// `"3"`: fast.
    Fast,
}

impl Speed {
    /// The wire value.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Normal => "1",
            Self::Faster => "2",
            Self::Fast => "3",
        }
    }

    /// The CLI spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Faster => "faster",
            Self::Fast => "fast",
        }
    }
}

impl FromStr for Speed {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" | "normal" => Ok(Self::Normal),
            "2" | "faster" => Ok(Self::Faster),
            "3" | "fast" => Ok(Self::Fast),
            _ => Err(InvalidInput::new(
                "speed",
                "must be normal (1), faster (2) or fast (3)",
            )),
        }
    }
}

/// The vulnerability items the API documentation names (`VulnItems`). The
/// full list is not published, so
/// [`CreateJobBuilder::vuln_item`](super::CreateJobBuilder::vuln_item)
/// accepts any name; the command line accepts only these.
pub const DOCUMENTED_VULN_ITEMS: [&str; 3] = ["ALL", "XSS", "SSI Injection"];

/// The documented item `name` stands for, in its canonical spelling: case,
/// spaces, `-` and `_` do not matter (`ssi-injection` is `SSI Injection`).
///
/// ```
/// use wsc_core::sans_io::documented_vuln_item;
/// assert_eq!(documented_vuln_item("ssi_injection"), Some("SSI Injection"));
/// assert_eq!(documented_vuln_item("xss"), Some("XSS"));
/// assert_eq!(documented_vuln_item("SQLi"), None);
/// ```
pub fn documented_vuln_item(name: &str) -> Option<&'static str> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = key(name);
    DOCUMENTED_VULN_ITEMS
        .into_iter()
        .find(|item| key(item) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_user_agent_parses_from_its_cli_name_and_its_wire_word() {
        for agent in [
            ScanUserAgent::PcChrome,
            ScanUserAgent::PcIe,
            ScanUserAgent::Android,
            ScanUserAgent::Iphone,
        ] {
            assert_eq!(agent.name().parse::<ScanUserAgent>().unwrap(), agent);
            assert_eq!(agent.wire().parse::<ScanUserAgent>().unwrap(), agent);
        }
        assert!("Firefox".parse::<ScanUserAgent>().is_err());
    }

    #[test]
    fn every_speed_parses_from_its_name_and_its_wire_value() {
        for speed in [Speed::Normal, Speed::Faster, Speed::Fast] {
            assert_eq!(speed.name().parse::<Speed>().unwrap(), speed);
            assert_eq!(speed.wire().parse::<Speed>().unwrap(), speed);
        }
    }
}
