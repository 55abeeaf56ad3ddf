//! The terminal's settings around a hidden prompt: saved before echo is
//! turned off, so that Ctrl-C (which exits from another thread) can put echo
//! back before the process ends.

#[cfg(unix)]
mod imp {
    use std::fs::File;
    use std::sync::Mutex;

    use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};

    /// The terminal the hidden prompt reads (`/dev/tty`, as `rpassword`
    /// does) and its settings before the prompt.
    static SAVED: Mutex<Option<(File, Termios)>> = Mutex::new(None);

    pub fn save() {
        let Ok(tty) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
        else {
            return;
        };
        if let Ok(settings) = tcgetattr(&tty) {
            if let Ok(mut saved) = SAVED.lock() {
                *saved = Some((tty, settings));
            }
        }
    }

    pub fn restore() {
        let saved = SAVED.lock().ok().and_then(|mut s| s.take());
        if let Some((tty, settings)) = saved {
            let _ = tcsetattr(&tty, OptionalActions::Now, &settings);
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
