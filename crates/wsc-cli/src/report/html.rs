//! `-o html`: one self-contained page (no scripts, no external fonts, styles
//! or images; a Content-Security-Policy that forbids loading anything) with
//! the scan's metadata, inline-SVG bar charts by risk level and by domain, the
//! categories and, with `--history N`, a line chart of the last N scans.
//! Every server string is escaped; the page reads well printed and in dark mode.

use super::{Extras, Point, Summary, baseline::signed};
use crate::gate::Verdict;
use wsc_core::report::RiskLevel;

/// HTML text and attribute escaping (control characters become spaces).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The page's stylesheet (light and dark, print), inline: the page loads nothing.
const STYLE: &str = include_str!("html.css");

fn class(level: RiskLevel) -> &'static str {
    level.name()
}

/// Bars of findings by level: one `rect.bar` per level.
fn level_chart(s: &Summary) -> String {
    let Some(counts) = &s.risk else {
        return "<p class=\"muted\">The report has no risk counts.</p>".into();
    };
    let max = RiskLevel::ALL
        .iter()
        .map(|l| counts.at(*l))
        .max()
        .unwrap_or(0)
        .max(1);
    let (height, base, bar_w, gap, left) = (180.0_f64, 200.0_f64, 70.0_f64, 40.0_f64, 40.0_f64);
    let mut out = format!(
        "<svg id=\"chart-levels\" role=\"img\" aria-label=\"Findings by risk level\" viewBox=\"0 0 {} 230\" width=\"{}\" height=\"230\" xmlns=\"http://www.w3.org/2000/svg\">",
        left + 3.0 * (bar_w + gap),
        left + 3.0 * (bar_w + gap)
    );
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>",
        left + 3.0 * (bar_w + gap)
    ));
    for (i, level) in RiskLevel::ALL.into_iter().enumerate() {
        let n = counts.at(level);
        let h = height * n as f64 / max as f64;
        let x = left + i as f64 * (bar_w + gap);
        out.push_str(&format!(
            "<rect class=\"bar bar-{c}\" data-level=\"{c}\" data-count=\"{n}\" x=\"{x}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{h:.1}\"><title>{c}: {n}</title></rect>",
            c = class(level),
            y = base - h
        ));
        out.push_str(&format!(
            "<text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"middle\">{n}</text><text x=\"{tx}\" y=\"218\" text-anchor=\"middle\">{c}</text>",
            tx = x + bar_w / 2.0,
            ty = base - h - 6.0,
            c = class(level)
        ));
    }
    out.push_str("</svg>");
    out
}

/// Stacked horizontal bars by domain: one `rect.bar` per domain and level.
fn domain_chart(s: &Summary) -> String {
    if s.domains.is_empty() {
        return "<p class=\"muted\">The report has no counts by domain.</p>".into();
    }
    let max = s
        .domains
        .iter()
        .map(wsc_core::report::DomainCounts::total)
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_w, bar_area, row_h) = (220.0_f64, 420.0_f64, 28.0_f64);
    let total_h = row_h * s.domains.len() as f64 + 10.0;
    let width = label_w + bar_area + 60.0;
    let mut out = format!(
        "<svg id=\"chart-domains\" role=\"img\" aria-label=\"Findings by domain\" viewBox=\"0 0 {width} {total_h}\" width=\"{width}\" height=\"{total_h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, d) in s.domains.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let name = escape(&d.domain);
        let short: String = d.domain.chars().take(30).collect();
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}<title>{name}</title></text>",
            label_w - 8.0,
            y + 15.0,
            escape(&short)
        ));
        let mut x = label_w;
        for level in RiskLevel::ALL {
            let n = d.at(level);
            let w = bar_area * n as f64 / max as f64;
            out.push_str(&format!(
                "<rect class=\"bar seg-{c}\" data-domain=\"{name}\" data-level=\"{c}\" data-count=\"{n}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"20\"><title>{name} {c}: {n}</title></rect>",
                c = class(level)
            ));
            x += w;
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 6.0,
            y + 15.0,
            d.total()
        ));
    }
    out.push_str("</svg>");
    out
}

/// Lines of high/medium/low over the history, one labelled point per scan.
fn history_chart(points: &[Point]) -> String {
    let usable: Vec<&Point> = points.iter().filter(|p| p.risk.is_some()).collect();
    if usable.is_empty() {
        return "<p class=\"muted\">No completed scans of this target were found.</p>".into();
    }
    let max = usable
        .iter()
        .filter_map(|p| p.risk)
        .map(|c| c.high.max(c.medium).max(c.low))
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, top, plot_w, plot_h) = (40.0_f64, 20.0_f64, 600.0_f64, 200.0_f64);
    let step = if usable.len() > 1 {
        plot_w / (usable.len() - 1) as f64
    } else {
        0.0
    };
    let x_of = |i: usize| {
        if usable.len() > 1 {
            left + i as f64 * step
        } else {
            left + plot_w / 2.0
        }
    };
    let y_of = |n: u64| top + plot_h - plot_h * n as f64 / max as f64;
    let width = left + plot_w + 90.0;
    let height = top + plot_h + 60.0;
    let mut out = format!(
        "<svg id=\"chart-history\" role=\"img\" aria-label=\"Findings over the last scans\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b}\"/><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{max}</text><text x=\"{lx}\" y=\"{b}\" text-anchor=\"end\">0</text>",
        b = top + plot_h,
        r = left + plot_w,
        lx = left - 6.0,
        ty = top + 4.0
    ));
    for level in RiskLevel::ALL {
        let coords: Vec<String> = usable
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = p.risk.map(|c| c.at(level)).unwrap_or(0);
                format!("{:.1},{:.1}", x_of(i), y_of(n))
            })
            .collect();
        out.push_str(&format!(
            "<polyline class=\"line line-{c}\" data-level=\"{c}\" points=\"{}\"/>",
            coords.join(" "),
            c = class(level)
        ));
        for (i, p) in usable.iter().enumerate() {
            let n = p.risk.map(|c| c.at(level)).unwrap_or(0);
            let date = p
                .started
                .as_deref()
                .map(|d| format!("{} KST", escape(d)))
                .unwrap_or_default();
            out.push_str(&format!(
                "<circle class=\"point point-{c}\" data-job=\"{id}\" data-level=\"{c}\" data-count=\"{n}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>job {id} · {date} · {c} {n}</title></circle>",
                x_of(i),
                y_of(n),
                c = class(level),
                id = p.id
            ));
        }
    }
    for (i, level) in RiskLevel::ALL.into_iter().enumerate() {
        let y = top + 12.0 + i as f64 * 18.0;
        out.push_str(&format!(
            "<line class=\"line line-{c}\" x1=\"{x1:.1}\" y1=\"{y:.1}\" x2=\"{x2:.1}\" y2=\"{y:.1}\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\">{c}</text>",
            c = class(level),
            x1 = left + plot_w + 8.0,
            x2 = left + plot_w + 24.0,
            tx = left + plot_w + 28.0,
            ty = y + 4.0
        ));
    }
    for (i, p) in usable.iter().enumerate() {
        let date: String = p
            .started
            .as_deref()
            .map(|d| d.chars().take(10).collect())
            .unwrap_or_default();
        out.push_str(&format!(
            "<text class=\"label\" x=\"{x:.1}\" y=\"{y1}\" text-anchor=\"middle\">{id}</text><text class=\"label\" x=\"{x:.1}\" y=\"{y2}\" text-anchor=\"middle\">{}</text>",
            escape(&date),
            x = x_of(i),
            y1 = top + plot_h + 18.0,
            y2 = top + plot_h + 34.0,
            id = p.id
        ));
    }
    out.push_str("</svg>");
    out
}

/// The gates' verdict, first thing on the page: passed or failed, which gate,
/// and what grew or was reached; or that no gate was set.
fn verdict_banner(v: &Verdict) -> String {
    if v.failed() {
        let reasons: Vec<String> = v.failed.iter().map(|f| escape(&f.message)).collect();
        format!(
            "<div id=\"verdict\" class=\"verdict failed\" role=\"status\"><strong>Failed</strong> {}{}</div>",
            reasons.join("; "),
            if v.passed.is_empty() {
                String::new()
            } else {
                format!(
                    " <span class=\"muted\">(passed: {})</span>",
                    escape(&v.passed.join(", "))
                )
            }
        )
    } else if !v.passed.is_empty() {
        format!(
            "<div id=\"verdict\" class=\"verdict passed\" role=\"status\"><strong>Passed</strong> {}</div>",
            escape(&v.passed.join(", "))
        )
    } else {
        "<div id=\"verdict\" class=\"verdict none\" role=\"status\"><strong>No gate set</strong> <span class=\"muted\">(no --fail-on or --fail-on-new: the counts below are not judged)</span></div>".to_owned()
    }
}

/// The HTML page.
pub fn render(s: &Summary, x: &Extras) -> String {
    let target = s.target.as_deref().map(escape).unwrap_or_default();
    let mut body = String::new();
    body.push_str(&format!(
        "<header><h1>Web Security Checker report</h1><p class=\"muted\">job {} · {}</p></header>",
        escape(&s.id),
        if target.is_empty() {
            "no target".into()
        } else {
            target.clone()
        }
    ));
    body.push_str(&verdict_banner(&Verdict::of(
        s.risk,
        x.fail_on,
        x.fail_on_new,
        x.delta.as_ref(),
        &s.id,
    )));
    body.push_str("<section id=\"summary\"><div class=\"cards\">");
    for level in RiskLevel::ALL {
        let n = s.risk.map(|c| c.at(level).to_string());
        let change = x
            .delta
            .map(|d| {
                format!(
                    "<span class=\"muted\">baseline {} ({})</span>",
                    d.before.at(level),
                    signed(d.change(level))
                )
            })
            .unwrap_or_default();
        body.push_str(&format!(
            "<div class=\"card {c}\">{c}<b>{}</b>{change}</div>",
            n.unwrap_or_else(|| "–".into()),
            c = class(level)
        ));
    }
    if let Some(c) = &s.risk {
        body.push_str(&format!(
            "<div class=\"card\">total<b>{}</b></div>",
            c.total
        ));
    }
    body.push_str("</div>");
    body.push_str("<dl>");
    for (label, value) in &s.fields {
        // The service's dates and time ranges are in KST; say so.
        let zone = if matches!(*label, "report date" | "crawl time" | "scan time") {
            " <span class=\"muted\">KST (UTC+09:00)</span>"
        } else {
            ""
        };
        body.push_str(&format!("<dt>{label}</dt><dd>{}{zone}</dd>", escape(value)));
    }
    if s.has_login_info {
        body.push_str(&format!(
            "<dt>login info</dt><dd>{}</dd>",
            escape(wsc_core::sans_io::REDACTED)
        ));
    }
    for (label, items) in &s.lists {
        body.push_str(&format!(
            "<dt>{label}</dt><dd>{}</dd>",
            escape(&items.join(", "))
        ));
    }
    body.push_str("</dl></section>");

    body.push_str("<section id=\"by-level\"><h2>Findings by risk level</h2>");
    body.push_str(&level_chart(s));
    body.push_str("</section>");

    body.push_str("<section id=\"by-domain\"><h2>Findings by domain</h2>");
    body.push_str(&domain_chart(s));
    if !s.domains.is_empty() {
        body.push_str("<table><thead><tr><th>domain</th><th class=\"n\">high</th><th class=\"n\">medium</th><th class=\"n\">low</th></tr></thead><tbody>");
        for d in &s.domains {
            body.push_str(&format!(
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&d.domain),
                d.high,
                d.medium,
                d.low
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("</section>");

    if !x.history.is_empty() {
        body.push_str(&format!(
            "<section id=\"history\"><h2>Last {} scans of this target</h2>",
            x.history.len()
        ));
        body.push_str(&history_chart(&x.history));
        for p in x.history.iter().filter(|p| p.skipped.is_some()) {
            body.push_str(&format!(
                "<p class=\"note\">Job {} was skipped: its report cannot be read.</p>",
                p.id
            ));
        }
        body.push_str("</section>");
    }

    if !s.categories.is_empty() {
        body.push_str(
            "<section id=\"categories\"><h2>Vulnerability categories</h2><ul class=\"cats\">",
        );
        for c in &s.categories {
            body.push_str(&format!("<li>{}</li>", escape(c)));
        }
        body.push_str("</ul></section>");
    }
    body.push_str(&format!(
        "<footer class=\"muted\">Generated by wsc {} from the Web Security Checker report of job {}.</footer>",
        env!("CARGO_PKG_VERSION"),
        escape(&s.id)
    ));

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>wsc report: job {} · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(&s.id),
        target
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"x\"&'y'</script>\n"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt; "
        );
    }

    fn summary() -> Summary {
        let doc = serde_json::json!({
            "Target_Info": "https://shop.example.com",
            "report_date": "2026/11/30 10:00:00",
            "Scan_Time": "2026/11/30 09:00:00 ~ 2026/11/30 09:50:00",
            "Classify_byRisk_Level": {"Total": 3, "High": 1, "Medium": 2, "Low": 0},
        });
        Summary::new(
            "42",
            &wsc_core::Report::from_object(doc.as_object().unwrap().clone()).unwrap(),
        )
    }

    fn banner(page: &str) -> &str {
        let start = page.find("<div id=\"verdict\"").expect("a verdict banner");
        let end = page[start..].find("</div>").unwrap();
        &page[start..start + end]
    }

    #[test]
    fn the_verdict_comes_first_and_names_the_gate() {
        let failed = render(
            &summary(),
            &Extras {
                fail_on: Some(RiskLevel::High),
                ..Extras::default()
            },
        );
        let b = banner(&failed);
        assert!(b.contains("verdict failed") && b.contains("Failed"), "{b}");
        assert!(b.contains("1 finding(s) at or above high in job 42"), "{b}");
        assert!(
            failed.find("id=\"verdict\"") < failed.find("id=\"summary\""),
            "the banner leads"
        );

        let passed = render(
            &summary(),
            &Extras {
                fail_on: Some(RiskLevel::High),
                delta: Some(crate::report::Delta {
                    before: wsc_core::report::RiskCounts::from_levels(1, 2, 0),
                    after: wsc_core::report::RiskCounts::from_levels(1, 2, 0),
                }),
                fail_on_new: Some(RiskLevel::Medium),
                ..Extras::default()
            },
        );
        let b = banner(&passed);
        assert!(b.contains("Failed"), "--fail-on high still fails: {b}");
        assert!(b.contains("passed: --fail-on-new medium"), "{b}");

        let none = render(&summary(), &Extras::default());
        assert!(banner(&none).contains("No gate set"));
    }

    #[test]
    fn service_times_carry_their_timezone() {
        let page = render(&summary(), &Extras::default());
        for value in [
            "2026/11/30 10:00:00",
            "2026/11/30 09:00:00 ~ 2026/11/30 09:50:00",
        ] {
            let at = page.find(value).unwrap_or_else(|| panic!("{value}"));
            assert!(
                page[at..].starts_with(&format!(
                    "{value} <span class=\"muted\">KST (UTC+09:00)</span>"
                )),
                "{value} has no timezone"
            );
        }
    }
}
