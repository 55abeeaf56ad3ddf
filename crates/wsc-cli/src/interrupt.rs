//! Ctrl-C: exit cleanly (code 130) with a message saying what happened — for
//! `wait`, that the scan goes on and how to resume.

use std::sync::Mutex;

static MESSAGE: Mutex<Option<String>> = Mutex::new(None);

pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let message = MESSAGE
            .lock()
            .ok()
            .and_then(|m| m.clone())
            .unwrap_or_else(|| "interrupted".to_owned());
        eprintln!("\r\x1b[2K{message}");
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
