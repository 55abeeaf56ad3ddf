//! `wsc-mock` started as a child process on a random loopback port, stopped
//! when dropped: the demo and the release-archive check run `wsc` against it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Keys the mock accepts (its documented demo pair).
pub(crate) const ACCESS: &str = "WSCMOCKDEMOACCESSKEY";
/// The secret of [`ACCESS`] (a public, mock-only value).
pub(crate) const SECRET: &str = "wsc-mock-demo-secret-key-not-for-real-use";

/// A running mock; killed and reaped on drop, however the caller ends.
pub(crate) struct Mock {
    child: Child,
    endpoint: String,
}

impl Mock {
    /// Starts `bin serve` with `args` and waits for its `listening on URL` line.
    pub(crate) fn start(bin: &Path, args: &[&str]) -> Result<Self, String> {
        let mut child = Command::new(bin)
            .arg("serve")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("wsc-mock has no stdout")?;
        // From here on, dropping `mock` stops the child.
        let mut mock = Self {
            child,
            endpoint: String::new(),
        };
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .map_err(|e| format!("wsc-mock did not start: {e}"))?;
        mock.endpoint = first
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected wsc-mock output: {first:?}"))?
            .to_owned();
        Ok(mock)
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`).
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
