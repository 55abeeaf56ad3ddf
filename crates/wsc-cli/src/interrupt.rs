//! Ctrl-C: exit cleanly (code 130) with a message saying what happened — for
//! `wait`, that the scan goes on and how to resume.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static MESSAGE: Mutex<Option<String>> = Mutex::new(None);
/// Whether the message may first clear a progress line in place.
static FANCY: AtomicBool = AtomicBool::new(false);

pub fn install() {
    let _ = ctrlc::set_handler(|| {
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
        std::process::exit(i32::from(crate::exit::INTERRUPTED));
    });
}

pub fn set_message(message: String) {
    if let Ok(mut m) = MESSAGE.lock() {
        *m = Some(message);
    }
}

pub fn clear_message() {
    if let Ok(mut m) = MESSAGE.lock() {
        *m = None;
    }
}

/// Whether stderr may take escape codes (a terminal, no `NO_COLOR`, no `TERM=dumb`).
pub fn set_fancy(fancy: bool) {
    FANCY.store(fancy, Ordering::Relaxed);
}
