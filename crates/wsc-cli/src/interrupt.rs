//! Ctrl-C and SIGTERM: exit at once (130 / 143, as shells report signals) with
//! a message saying what happened — for `wait`, that the scan goes on and how
//! to resume; for `create`, that the billed scan may have started and how to
//! check.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

static MESSAGE: Mutex<Option<String>> = Mutex::new(None);
/// Whether the message may first clear a progress line in place.
static FANCY: AtomicBool = AtomicBool::new(false);

/// Starts the thread that turns SIGINT and SIGTERM into a message and an exit.
pub fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
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
