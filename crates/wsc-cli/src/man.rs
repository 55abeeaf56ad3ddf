//! `wsc man`: the man pages, rendered by clap_mangen with a SYNOPSIS of our
//! own: each option with its value placeholder (`--url URL`), required ones
//! without brackets, repeatable ones with `...`, and the global options as
//! one `[GLOBAL OPTIONS]` (they are described under OPTIONS, and in wsc(1)).

use std::path::{Path, PathBuf};

use clap::ArgAction;

/// `text` as roff text: backslashes and hyphens escaped.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// One option or argument in a synopsis.
fn item(arg: &clap::Arg) -> Option<String> {
    let value = || {
        arg.get_value_names()
            .map(|names| {
                names
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
    };
    let takes_value = arg.get_action().takes_values();
    let mut text = match (arg.get_long(), arg.get_short()) {
        _ if arg.is_positional() => format!("\\fI{}\\fR", roff(&value())),
        (Some(long), _) => format!("\\fB\\-\\-{}\\fR", roff(long)),
        (None, Some(short)) => format!("\\fB\\-{short}\\fR"),
        (None, None) => return None,
    };
    if takes_value && !arg.is_positional() {
        text.push_str(&format!(" \\fI{}\\fR", roff(&value())));
    }
    let repeats = matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
        || arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    let mut text = if arg.is_required_set() {
        text
    } else {
        format!("[{text}]")
    };
    if repeats {
        text.push_str("...");
    }
    Some(text)
}

/// The SYNOPSIS line of `cmd` (its bin name set by `Command::build`).
pub fn synopsis(cmd: &clap::Command) -> String {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut parts = vec![format!("\\fB{}\\fR", roff(name))];
    let mut globals = false;
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if arg.is_hide_set() || matches!(id, "help" | "version") {
            continue;
        }
        if arg.is_global_set() {
            globals = true;
            continue;
        }
        parts.extend(item(arg));
    }
    if globals {
        parts.push("[\\fIGLOBAL OPTIONS\\fR]".into());
    }
    if cmd.has_subcommands() {
        parts.push("\\fICOMMAND\\fR".into());
    }
    parts.join(" ")
}

/// The page of `cmd`, clap_mangen's with our SYNOPSIS.
fn page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let line = synopsis(&cmd);
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    let text = String::from_utf8(out).map_err(std::io::Error::other)?;
    let Some(start) = text.find(".SH SYNOPSIS\n") else {
        return Ok(text.into_bytes());
    };
    let body = start + ".SH SYNOPSIS\n".len();
    let end = text[body..]
        .find("\n.SH ")
        .map_or(text.len(), |at| body + at + 1);
    Ok(format!("{}{line}\n{}", &text[..body], &text[end..]).into_bytes())
}

/// The built command line, as the pages describe it.
fn built(cmd: clap::Command) -> clap::Command {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// `wsc.1`.
pub fn main_page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    page(built(cmd))
}

/// Writes `wsc.1` and a page per visible subcommand (`wsc-create.1`, ...)
/// into `dir`.
pub fn write_pages(cmd: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let cmd = built(cmd);
    let mut written = Vec::new();
    let subs: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    for sub in subs.into_iter().chain([cmd]) {
        let path = dir.join(clap_mangen::Man::new(sub.clone()).get_filename());
        crate::fsutil::write_atomic(&path, &page(sub)?, false)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(name: &str) -> clap::Command {
        let cmd = built(crate::command());
        cmd.find_subcommand(name).unwrap().clone()
    }

    #[test]
    fn a_synopsis_names_each_value_and_keeps_globals_apart() {
        let create = synopsis(&sub("create"));
        for wanted in [
            "\\fBwsc create\\fR",
            "\\fB\\-\\-url\\fR \\fIURL\\fR",
            "[\\fB\\-\\-exclude\\fR \\fIURL\\fR]...",
            "[\\fB\\-\\-memo\\fR \\fITEXT\\fR]",
            "[\\fB\\-\\-yes\\fR]",
            "[\\fIGLOBAL OPTIONS\\fR]",
        ] {
            assert!(create.contains(wanted), "{wanted} not in {create}");
        }
        for global in ["endpoint", "profile", "retries", "verbose", "dry\\-run"] {
            assert!(
                !create.contains(&format!("\\-\\-{global}")),
                "{global}: {create}"
            );
        }
        let report = synopsis(&sub("report"));
        assert!(
            report.contains("\\fIID\\fR") && report.contains("[\\fB\\-\\-out\\fR \\fIFILE\\fR]"),
            "{report}"
        );
        let top = synopsis(&built(crate::command()));
        assert!(
            top.ends_with("[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR"),
            "{top}"
        );
    }

    #[test]
    fn each_page_has_one_synopsis_and_its_options() {
        let text = String::from_utf8(page(sub("create")).unwrap()).unwrap();
        assert_eq!(text.matches(".SH SYNOPSIS").count(), 1);
        let synopsis_at = text.find(".SH SYNOPSIS").unwrap();
        let next = text[synopsis_at + 4..].find(".SH ").unwrap() + synopsis_at + 4;
        assert_eq!(
            text[synopsis_at..next].lines().count(),
            2,
            "{}",
            &text[synopsis_at..next]
        );
        assert!(text.contains(".SH OPTIONS") && text.contains("\\-\\-endpoint"));
        assert!(text.contains(".SH DESCRIPTION"));
    }
}
