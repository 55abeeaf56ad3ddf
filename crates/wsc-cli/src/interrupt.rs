//! Ctrl-C, SIGTERM and SIGHUP: exit at once (130 / 143 / 129, as shells
//! report signals) with a message saying what happened — for `wait`, that the
//! scan goes on and how to resume; for `create`, that the billed scan may have
//! started and how to find it — after saving an active `--record` cassette.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use wsc_core::cassette::Recorder;

static MESSAGE: Mutex<Option<String>> = Mutex::new(None);
/// The `--record` cassette to save if a signal ends the run.
static RECORDING: Mutex<Option<(PathBuf, Arc<Recorder>)>> = Mutex::new(None);
/// Whether the message may first clear a progress line in place.
static FANCY: AtomicBool = AtomicBool::new(false);

/// Starts the thread that turns SIGINT and SIGTERM into a message and an exit.
pub fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let message = MESSAGE
                .lock()
                .ok()
                .and_then(|m| m.clone())
                .unwrap_or_else(|| "interrupted".to_owned());
            crate::terminal::restore();
            if let Some((path, recorder)) = RECORDING.lock().ok().and_then(|r| r.clone()) {
                let json = recorder.cassette().to_json();
                if let Err(e) = crate::fsutil::write_atomic(&path, json.as_bytes(), true) {
                    eprintln!("cannot write the recording {}: {e}", path.display());
                }
            }
            if FANCY.load(Ordering::Relaxed) {
                eprintln!("\r\x1b[2K{message}");
            } else {
                eprintln!("{message}");
            }
            let code = if signal == SIGINT {
                i32::from(crate::exit::INTERRUPTED)
            } else {
                128 + signal
            };
            std::process::exit(code);
        }
    });
}

/// The cassette a signal must save before the process exits.
pub fn set_recording(path: PathBuf, recorder: Arc<Recorder>) {
    if let Ok(mut r) = RECORDING.lock() {
        *r = Some((path, recorder));
    }
}

/// What to print if a signal arrives from now on.
pub fn set_message(message: String) {
    if let Ok(mut m) = MESSAGE.lock() {
        *m = Some(message);
    }
}

/// Back to the plain "interrupted".
pub fn clear_message() {
    if let Ok(mut m) = MESSAGE.lock() {
        *m = None;
    }
}

/// Whether stderr may take escape codes (a terminal, no `NO_COLOR`, no `TERM=dumb`).
pub fn set_fancy(fancy: bool) {
    FANCY.store(fancy, Ordering::Relaxed);
}
