//! The `~/.ncloud/configure` format: INI with `[DEFAULT]` and named profiles,
//! `key = value` lines, `#`/`;` comments. Older tools write it without any
//! section header; those keys belong to `DEFAULT`.
//!
//! [`upsert_profile`] edits the text in place, line by line, so every other
//! profile, key, comment and the ordering survive a `wsc configure`.

use super::DEFAULT_PROFILE;

/// A parsed configure file. Unknown keys are kept; values are raw text.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    path: String,
    sections: Vec<Section>,
}

/// One profile's keys, in file order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Section {
    name: String,
    entries: Vec<(String, String)>,
}

impl Section {
    /// The value of `key` (case-insensitive), if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

enum Line<'a> {
    Header(&'a str),
    Entry(&'a str, &'a str),
    Other,
}

fn classify(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
        return Line::Other;
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return Line::Header(inner.trim());
    }
    match t.split_once('=') {
        Some((k, v)) => Line::Entry(k.trim(), v.trim()),
        None => Line::Other,
    }
}

pub(super) fn same_profile(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case(DEFAULT_PROFILE) && b.eq_ignore_ascii_case(DEFAULT_PROFILE))
}

impl ConfigFile {
    /// Parses the file's text; `path` is only used in messages. Never fails:
    /// lines that are neither headers, entries nor comments are ignored.
    pub fn parse(path: impl Into<String>, text: &str) -> Self {
        let mut sections: Vec<Section> = Vec::new();
        let mut current = DEFAULT_PROFILE.to_owned();
        for line in text.lines() {
            match classify(line) {
                Line::Header(name) => {
                    current = name.to_owned();
                    if !sections.iter().any(|s| same_profile(&s.name, name)) {
                        sections.push(Section {
                            name: name.to_owned(),
                            entries: Vec::new(),
                        });
                    }
                }
                Line::Entry(k, v) => {
                    let idx = match sections
                        .iter()
                        .position(|s| same_profile(&s.name, &current))
                    {
                        Some(i) => i,
                        None => {
                            sections.push(Section {
                                name: current.clone(),
                                entries: Vec::new(),
                            });
                            sections.len() - 1
                        }
                    };
                    sections[idx].entries.push((k.to_owned(), v.to_owned()));
                }
                Line::Other => {}
            }
            if let Line::Header(name) = classify(line) {
                if !sections.iter().any(|s| same_profile(&s.name, name)) {
                    sections.push(Section {
                        name: name.to_owned(),
                        entries: Vec::new(),
                    });
                }
            }
        }
        Self {
            path: path.into(),
            sections,
        }
    }

    /// The path given to [`ConfigFile::parse`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A profile by name (`DEFAULT` matches any case).
    pub(crate) fn profile(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| same_profile(&s.name, name))
    }

    /// The value of `key` (case-insensitive) in profile `profile` (`DEFAULT`
    /// matches any case); `None` when the profile or the key is absent.
    ///
    /// ```
    /// use wsc_core::config::ConfigFile;
    /// let file = ConfigFile::parse("configure", "[default]\nncloud_access_key_id = AK\n");
    /// assert_eq!(file.value("DEFAULT", "NCLOUD_ACCESS_KEY_ID"), Some("AK"));
    /// assert_eq!(file.value("other", "ncloud_access_key_id"), None);
    /// ```
    pub fn value(&self, profile: &str, key: &str) -> Option<&str> {
        self.profile(profile)?.get(key)
    }

    /// Every profile name, in file order.
    pub fn profiles(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.name.as_str())
    }
}

/// Sets `entries` in `profile`, returning the new file text.
///
/// Existing keys are changed on their own line; new keys are added after the
/// profile's last entry; a missing profile is appended at the end. Every other
/// line is kept byte for byte, and a file with CRLF line ends keeps them.
///
/// A profile that appears more than once (or `DEFAULT` keys both before the
/// first header and under `[DEFAULT]`) is one profile to [`ConfigFile::parse`],
/// whose later lines win; so every line of a key, in every copy, gets the new
/// value, and reading finds it whichever copy it looks at
/// ([`section_count`] tells how many copies there are).
///
/// ```
/// use wsc_core::config::upsert_profile;
/// let text = "# mine\n[DEFAULT]\nncloud_access_key_id = OLD\n\n[other]\nx = 1\n";
/// let out = upsert_profile(text, "DEFAULT", &[("ncloud_access_key_id", "NEW"), ("ncloud_secret_access_key", "S")]);
/// assert_eq!(out, "# mine\n[DEFAULT]\nncloud_access_key_id = NEW\nncloud_secret_access_key = S\n\n[other]\nx = 1\n");
/// ```
pub fn upsert_profile(text: &str, profile: &str, entries: &[(&str, &str)]) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (key, value) in entries {
        let ranges = section_ranges(&lines, profile);
        if ranges.is_empty() {
            if lines.last().is_some_and(|l| !l.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(format!("[{profile}]"));
            lines.push(format!("{key} = {value}"));
            continue;
        }
        let mut found = false;
        for &(start, end) in &ranges {
            for line in &mut lines[start..end] {
                if matches!(classify(line), Line::Entry(k, _) if k.eq_ignore_ascii_case(key)) {
                    *line = format!("{key} = {value}");
                    found = true;
                }
            }
        }
        if !found {
            // After the last entry of the first copy (or right after its header).
            let (start, end) = ranges[0];
            let at = (start..end)
                .rev()
                .find(|&i| matches!(classify(&lines[i]), Line::Entry(..)))
                .map(|i| i + 1)
                .unwrap_or(start);
            lines.insert(at, format!("{key} = {value}"));
        }
    }
    let mut out = lines.join(newline);
    out.push_str(newline);
    out
}

/// How many times `profile` appears in the file's text: its `[name]` headers,
/// plus one for `DEFAULT` keys written before any header.
///
/// ```
/// use wsc_core::config::section_count;
/// let text = "a = 1\n[DEFAULT]\nb = 2\n[ci]\nc = 3\n";
/// assert_eq!(section_count(text, "DEFAULT"), 2);
/// assert_eq!(section_count(text, "ci"), 1);
/// assert_eq!(section_count(text, "other"), 0);
/// ```
pub fn section_count(text: &str, profile: &str) -> usize {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    section_ranges(&lines, profile).len()
}

/// Every line range `[start, end)` holding `profile`'s entries, in file order.
/// Entries before the first header (or in a header-less file) are `DEFAULT`'s.
fn section_ranges(lines: &[String], profile: &str) -> Vec<(usize, usize)> {
    let headers: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match classify(l) {
            Line::Header(name) => Some((i, name)),
            _ => None,
        })
        .collect();
    let mut ranges = Vec::new();
    if same_profile(profile, DEFAULT_PROFILE) {
        let end = headers.first().map(|(i, _)| *i).unwrap_or(lines.len());
        if lines[..end]
            .iter()
            .any(|l| matches!(classify(l), Line::Entry(..)))
        {
            ranges.push((0, end));
        }
    }
    for (pos, (line, name)) in headers.iter().enumerate() {
        if same_profile(name, profile) {
            let end = headers.get(pos + 1).map(|(i, _)| *i).unwrap_or(lines.len());
            ranges.push((line + 1, end));
        }
    }
    ranges
}
