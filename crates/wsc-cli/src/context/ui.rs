//! Where a command's output goes: results on stdout (a lost stdout is kept
//! and reported once), notices, warnings and progress on stderr.

use std::io::Write;
use std::time::Duration;

use super::Ctx;
use crate::cli::Output;
use crate::exit::{Failure, OTHER};

impl Ctx {
    pub fn json(&self) -> bool {
        self.global.output == Output::Json
    }

    /// True once stdout failed: notices stop too (the output they describe
    /// is lost, and after a closed pipe the run ends quietly).
    fn output_lost(&self) -> bool {
        self.stdout_error.borrow().is_some()
    }

    /// A notice on stderr (suppressed by --quiet).
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.global.quiet && !self.output_lost() {
            eprintln!("{}", crate::output::terminal_safe_lines(text.as_ref()));
        }
    }

    /// A warning on stderr (suppressed by --quiet).
    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.global.quiet && !self.output_lost() {
            eprintln!(
                "warning: {}",
                crate::output::terminal_safe_lines(text.as_ref())
            );
        }
    }

    /// A warning on stderr that `--quiet` does not hide (security matters).
    pub fn warn_always(&self, text: impl AsRef<str>) {
        eprintln!(
            "warning: {}",
            crate::output::terminal_safe_lines(text.as_ref())
        );
    }

    /// Progress shown in place on a terminal (nothing otherwise, with
    /// `NO_COLOR`, `TERM=dumb` or --quiet).
    pub fn progress(&self, text: impl AsRef<str>) {
        self.progress_percent(None, text);
    }

    /// Progress with a percentage: a progress bar on a terminal (a spinner
    /// while the percentage is unknown); nothing otherwise.
    pub fn progress_percent(&self, percent: Option<u64>, text: impl AsRef<str>) {
        if !self.fancy || self.global.quiet {
            return;
        }
        let mut slot = self.bar.borrow_mut();
        let bar = slot.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        match percent {
            Some(p) => {
                if bar.length() != Some(100) {
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{bar:30} {pos:>3}% {msg}")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    bar.set_length(100);
                }
                bar.set_position(p.min(100));
            }
            None => {
                if bar.length().is_some() {
                    bar.set_style(indicatif::ProgressStyle::default_spinner());
                    bar.unset_length();
                }
            }
        }
        bar.set_message(crate::output::terminal_safe(text.as_ref()));
    }

    /// Clears the progress display.
    pub fn progress_done(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }

    /// Writes `text` and a newline to stdout. A write error is kept (see
    /// [`Ctx::stdout_failure`]) and every later write is skipped.
    pub fn print(&self, text: impl AsRef<str>) {
        let mut bytes = Vec::with_capacity(text.as_ref().len() + 1);
        bytes.extend_from_slice(text.as_ref().as_bytes());
        bytes.push(b'\n');
        self.print_bytes(&bytes);
    }

    /// Writes raw bytes to stdout (same error handling as [`Ctx::print`]).
    pub fn print_bytes(&self, bytes: &[u8]) {
        if self.stdout_error.borrow().is_some() {
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
            *self.stdout_error.borrow_mut() = Some(e);
        }
    }

    /// The failure to report when stdout could not be written: `None` when
    /// all went well. A closed pipe (`wsc list | head`) is quiet and exits
    /// 141, as a Unix tool killed by `SIGPIPE` does.
    pub fn stdout_failure(&self) -> Option<Failure> {
        let error = self.stdout_error.borrow();
        let e = error.as_ref()?;
        Some(if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::new(crate::exit::BROKEN_PIPE, "").silent()
        } else {
            Failure::new(OTHER, format!("cannot write the output: {e}"))
        })
    }

    /// Pretty JSON to stdout.
    pub fn print_json(&self, value: &serde_json::Value) {
        self.print(crate::output::json_text(value).unwrap_or_default());
    }
}
