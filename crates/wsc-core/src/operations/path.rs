//! The buffer an operation writes its path and query into. Public only to
//! the operations' sealed trait: no other crate can name it.

/// A small stack buffer that operations write their path and query into,
/// so building a request costs no allocation for it.
pub struct PathBuilder {
    buf: [u8; 256],
    len: usize,
    overflow: bool,
}

impl PathBuilder {
    /// An empty buffer.
    pub(super) fn new() -> Self {
        Self {
            buf: [0; 256],
            len: 0,
            overflow: false,
        }
    }

    /// Appends `s`; text beyond 256 bytes makes [`prepare`](super::prepare) fail cleanly.
    pub fn push_str(&mut self, s: &str) {
        let end = self.len + s.len();
        if end > self.buf.len() {
            self.overflow = true;
            return;
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
    }

    /// What was written so far, as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Whether more than fits was written (the path is then unusable).
    pub(super) fn overflowed(&self) -> bool {
        self.overflow
    }
}
