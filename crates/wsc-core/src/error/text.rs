//! Server-supplied text made safe to keep in an error: one short line, no
//! control characters, no secrets.

/// Longest server-supplied message kept in an error.
pub(super) const MAX_MESSAGE_CHARS: usize = 200;
/// Longest body excerpt kept in an error.
pub(crate) const MAX_EXCERPT_CHARS: usize = 120;

/// Shortens server-supplied text and drops control characters so that an error
/// stays one line and a hostile body cannot inject terminal escapes.
pub(crate) fn sanitize_server_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// A short, printable excerpt of a body (lossy UTF-8, control characters
/// escaped, secrets masked: a JSON body goes through
/// [`redact_json`](crate::redact::redact_json); other text, such as a
/// truncated body, is cut where it first names a secret field).
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut value) => {
            crate::redact::redact_json(&mut value);
            value.to_string()
        }
        Err(_) => {
            let mut text = String::from_utf8_lossy(body).into_owned();
            if let Some(at) = crate::redact::first_secret_name(&text) {
                text.truncate(at);
                text.push_str("[the rest is not shown: it may hold a secret]");
            }
            text
        }
    };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_EXCERPT_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('�'),
            c => out.push(c),
        }
    }
    out
}
