//! `-o markdown`: fits `$GITHUB_STEP_SUMMARY` and a merge-request comment.

use wsc_core::report::RiskLevel;

use super::{Extras, Summary, baseline::signed, one_line};

/// Server text made inert in Markdown (and in the HTML Markdown allows): one
/// line, HTML special characters as entities, Markdown punctuation escaped
/// (so `|` cannot break a table and `[x](y)` cannot become a link), and the
/// patterns GitHub turns into links without any markup — `http://`,
/// `https://`, `ftp://`, `www.` and `name@host` — broken by a zero-width space
/// (`&#8203;`), so a URL from the report reads as text, never as a link.
pub fn escape(s: &str) -> String {
    let text = one_line(s);
    let mut out = String::with_capacity(text.len());
    let lower = text.to_ascii_lowercase();
    for (at, c) in text.char_indices() {
        // Before the `://` of a scheme, and before the dot of `www.`.
        let rest = &lower[at..];
        if rest.starts_with("://") || (rest.starts_with('.') && lower[..at].ends_with("www")) {
            out.push_str(ZERO_WIDTH_SPACE);
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' => {
                out.push_str("\\@");
                out.push_str(ZERO_WIDTH_SPACE);
            }
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A zero-width space, as an entity: invisible, and it breaks an autolink.
const ZERO_WIDTH_SPACE: &str = "&#8203;";

/// The Markdown report.
pub fn render(s: &Summary, x: &Extras) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "## Web Security Checker: job {}\n\n",
        escape(&s.id)
    ));
    for (label, value) in &s.fields {
        out.push_str(&format!("- **{label}:** {}\n", escape(value)));
    }
    if s.has_login_info {
        out.push_str(&format!(
            "- **login info:** {}\n",
            wsc_core::sans_io::REDACTED
        ));
    }
    out.push('\n');

    out.push_str("### Findings by risk level\n\n");
    match &s.risk {
        Some(counts) => {
            match &x.delta {
                Some(_) => {
                    out.push_str("| level | findings | baseline | change |\n|---|---:|---:|---:|\n")
                }
                None => out.push_str("| level | findings |\n|---|---:|\n"),
            }
            for level in RiskLevel::ALL {
                let n = counts.at(level);
                match &x.delta {
                    Some(d) => out.push_str(&format!(
                        "| {} | {n} | {} | {} |\n",
                        level.name(),
                        d.before.at(level),
                        signed(d.change(level))
                    )),
                    None => out.push_str(&format!("| {} | {n} |\n", level.name())),
                }
            }
            out.push_str(&format!("| **total** | **{}** |", counts.total));
            if x.delta.is_some() {
                out.push_str(" | |");
            }
            out.push('\n');
        }
        None => out.push_str("The report has no risk counts.\n"),
    }
    if let Some(d) = &x.delta {
        out.push_str(&format!("\nChange since the baseline: {}\n", d.summary()));
        if let Some(level) = x.fail_on_new {
            let grew = d.grew_at_or_above(level);
            if grew.is_empty() {
                out.push_str(&format!(
                    "\n**No new findings at or above {}.**\n",
                    level.name()
                ));
            } else {
                out.push_str(&format!(
                    "\n**New findings at or above {}:** {}\n",
                    level.name(),
                    grew.iter()
                        .map(|l| d.line(*l))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }

    if !s.domains.is_empty() {
        out.push_str(
            "\n### Findings by domain\n\n| domain | high | medium | low |\n|---|---:|---:|---:|\n",
        );
        for d in &s.domains {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                escape(&d.domain),
                d.high,
                d.medium,
                d.low
            ));
        }
    }
    if !s.categories.is_empty() {
        out.push_str("\n### Categories\n\n");
        for c in &s.categories {
            out.push_str(&format!("- {}\n", escape(c)));
        }
    }
    for (label, items) in &s.lists {
        out.push_str(&format!(
            "\n**{label}:** {}\n",
            items
                .iter()
                .map(|i| escape(i))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/cli.md shows the entity where the output has it, and says why.
    #[test]
    fn the_docs_show_the_zero_width_space_as_written() {
        let docs = include_str!("../../../../docs/cli.md");
        let target = format!("- **target:** {}", escape("https://shop.example.com"));
        assert!(
            docs.contains(&target),
            "docs/cli.md lacks the line {target:?}"
        );
        for (text, shown) in [
            (
                "https://shop.example.com",
                "https&#8203;://shop.example.com",
            ),
            ("admin@example.com", "admin\\@&#8203;example.com"),
        ] {
            assert_eq!(escape(text), shown);
            assert!(docs.contains(&format!("`{shown}`")), "{shown}");
        }
        assert!(docs.contains(ZERO_WIDTH_SPACE) && docs.contains("zero-width space"));
    }

    #[test]
    fn hostile_text_cannot_break_a_table_or_inject_html() {
        let e = escape("a|b\n<script>x</script> [l](http://e)");
        assert!(!e.contains('\n'));
        assert!(!e.contains("<script>"));
        assert!(!e.replace("\\|", "").contains('|'));
        assert!(!e.contains("[l]("));
    }

    /// Hostile report text, rendered: a CommonMark parser (with tables and
    /// strikethrough, as GitHub's) finds no link, image, HTML, emphasis or
    /// heading made of it, and none of GitHub's bare-link patterns survive.
    #[test]
    fn report_text_never_becomes_a_link_or_markup() {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let hostile = [
            "https://evil.example/phish",
            "HTTP://EVIL.EXAMPLE",
            "visit www.evil.example now",
            "ftp://files.evil.example",
            "mail admin@evil.example",
            "[click](javascript:alert(1))",
            "![img](https://evil.example/x.png)",
            "<img src=x onerror=alert(1)>",
            "**bold** _it_ ~~gone~~",
            "a|b|c\n# heading",
            "<https://evil.example>",
        ];
        let doc = serde_json::json!({
            "Target_Info": hostile[0],
            "Memo": hostile.join(" "),
            "Vulnerability_Category": hostile,
            "Scanned_Domain_List": hostile,
            "Classify_byRisk_Level": {"Total": 1, "High": 1, "Medium": 0, "Low": 0},
            "Classify_byRisk_Domain": hostile.iter().map(|h| serde_json::json!({"Domain": h, "High": 1})).collect::<Vec<_>>(),
        });
        let report = wsc_core::Report::from_object(doc.as_object().unwrap().clone()).unwrap();
        let text = render(&Summary::new("42", &report), &Extras::default());

        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for event in Parser::new_ext(&text, options) {
            match &event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Strikethrough)
                | Event::Html(_)
                | Event::InlineHtml(_) => panic!("{event:?} in:\n{text}"),
                Event::Start(Tag::Emphasis | Tag::Strong) => {
                    // Only the renderer's own labels are bold.
                }
                _ => {}
            }
        }
        let lower = text.to_ascii_lowercase();
        for pattern in ["http://", "https://", "ftp://", "www.", "admin@evil"] {
            assert!(!lower.contains(pattern), "{pattern} survived in:\n{text}");
        }
        // The text is still there for a reader.
        assert!(text.contains("evil.example/phish"), "{text}");
        // Bold comes only from the renderer: `**bold**` from the report is escaped.
        assert!(!text.contains("**bold**"), "{text}");
    }
}
