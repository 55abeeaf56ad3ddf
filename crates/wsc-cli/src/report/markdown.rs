//! `-o markdown`: fits `$GITHUB_STEP_SUMMARY` and a merge-request comment.

use wsc_core::RiskLevel;

use super::{Extras, Summary, baseline::signed, one_line};

/// Server text made inert in Markdown (and in the HTML Markdown allows): one
/// line, HTML special characters as entities, Markdown punctuation escaped
/// (so `|` cannot break a table and `[x](y)` cannot become a link).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' | '@' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

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
        out.push_str(&format!("- **login info:** {}\n", wsc_core::REDACTED));
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

    #[test]
    fn hostile_text_cannot_break_a_table_or_inject_html() {
        let e = escape("a|b\n<script>x</script> [l](http://e)");
        assert!(!e.contains('\n'));
        assert!(!e.contains("<script>"));
        assert!(!e.replace("\\|", "").contains('|'));
        assert!(!e.contains("[l]("));
    }
}
