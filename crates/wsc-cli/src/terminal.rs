//! The terminal's settings around a hidden prompt: saved before echo is
//! turned off, so that Ctrl-C (which exits from another thread) can put echo
//! back before the process ends.

#[cfg(unix)]
mod imp {
    use std::sync::Mutex;

    use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};

    static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

    pub fn save() {
        if let Ok(settings) = tcgetattr(std::io::stdin()) {
            if let Ok(mut saved) = SAVED.lock() {
                *saved = Some(settings);
            }
        }
    }

    pub fn restore() {
        let settings = SAVED.lock().ok().and_then(|mut s| s.take());
        if let Some(settings) = settings {
            let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, &settings);
        }
    }

    pub fn forget() {
        if let Ok(mut saved) = SAVED.lock() {
            *saved = None;
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn save() {}
    pub fn restore() {}
    pub fn forget() {}
}

/// Remembers stdin's terminal settings (before a hidden prompt).
pub fn save() {
    imp::save();
}

/// Puts back the remembered settings, if any (on Ctrl-C).
pub fn restore() {
    imp::restore();
}

/// Drops the remembered settings (the prompt ended normally).
pub fn forget() {
    imp::forget();
}
