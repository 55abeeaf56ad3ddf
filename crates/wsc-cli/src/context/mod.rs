//! What every command shares, one concern a file: where output goes
//! ([`ui`]), from settings to a client ([`setup`]), and the dry run
//! ([`dry_run`]).

mod dry_run;
mod setup;
mod ui;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

use wsc_core::cassette::Recorder;

use crate::cli::GlobalArgs;

/// Shared state of one `wsc` invocation.
pub struct Ctx {
    pub global: GlobalArgs,
    pub request_timeout: Option<u64>,
    pub env: HashMap<String, String>,
    pub stderr_tty: bool,
    pub stdin_tty: bool,
    pub color: bool,
    /// Progress may redraw a line in place: stderr is a terminal, `NO_COLOR`
    /// is unset and `TERM` is not `dumb`.
    pub fancy: bool,
    recorder: Option<Arc<Recorder>>,
    /// The first error writing to stdout; later output is skipped.
    stdout_error: RefCell<Option<std::io::Error>>,
    /// The progress bar shown on a terminal, once something shows progress.
    bar: RefCell<Option<indicatif::ProgressBar>>,
    /// The profile [`Ctx::client`] resolved.
    profile: RefCell<Option<String>>,
}

impl Drop for Ctx {
    /// A progress bar never outlives the command (an error is printed after).
    fn drop(&mut self) {
        self.progress_done();
    }
}

impl Ctx {
    pub fn new(mut global: GlobalArgs, request_timeout: Option<u64>) -> Self {
        // An empty variable (`WSC_ENDPOINT=`) means "not set", as in most tools.
        for value in [&mut global.endpoint, &mut global.site, &mut global.profile] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        // Non-UTF-8 variables cannot be credentials; skip rather than panic.
        let env: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let plain_env = env.contains_key("NO_COLOR")
            || env
                .get("TERM")
                .is_some_and(|t| t.eq_ignore_ascii_case("dumb"));
        let color = std::io::stdout().is_terminal() && !plain_env;
        let stderr_tty = std::io::stderr().is_terminal();
        let fancy = stderr_tty && !plain_env;
        crate::interrupt::set_fancy(fancy);
        let recorder = global.record.as_ref().map(|_| Arc::new(Recorder::new()));
        if let (Some(path), Some(recorder)) = (&global.record, &recorder) {
            crate::interrupt::set_recording(path.clone(), recorder.clone());
        }
        Self {
            global,
            request_timeout,
            env,
            stderr_tty,
            stdin_tty: std::io::stdin().is_terminal(),
            color,
            fancy,
            recorder,
            stdout_error: RefCell::new(None),
            bar: RefCell::new(None),
            profile: RefCell::new(None),
        }
    }
}
