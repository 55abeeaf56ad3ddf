//! The tag a create leaves in its job's memo, so that the job can be found
//! exactly, even when the reply is lost or another caller starts the same scan
//! at the same moment.
//!
//! A tag is 32 random bits written as eight lower-case hex digits inside
//! `[wsc:` … `]`, appended to the caller's memo after one space:
//!
//! ```text
//! weekly scan [wsc:7f3a9c1e]
//! ```
//!
//! The randomness is the caller's (the core stays sans-IO): a transport or the
//! CLI draws the bits and hands them to [`CreateTag::from_bits`].
//!
//! ```
//! use wsc_core::CreateTag;
//!
//! let tag = CreateTag::from_bits(0x7f3a_9c1e);
//! assert_eq!(tag.to_string(), "[wsc:7f3a9c1e]");
//! assert_eq!(tag.memo_with_tag(Some("weekly scan")), "weekly scan [wsc:7f3a9c1e]");
//! assert!(tag.is_in("weekly scan [wsc:7f3a9c1e]"));
//! assert_eq!(CreateTag::find_in("weekly scan [wsc:7f3a9c1e]"), Some(tag));
//! assert_eq!("7f3a9c1e".parse::<CreateTag>(), Ok(tag));
//! ```

use std::fmt;
use std::str::FromStr;

use crate::invalid_input::InvalidInput;

const OPEN: &str = "[wsc:";
const CLOSE: char = ']';
const HEX_DIGITS: usize = 8;

/// How many characters a tag adds to a memo: the space, `[wsc:`, eight hex
/// digits and `]`.
pub const TAG_MEMO_LEN: usize = 1 + OPEN.len() + HEX_DIGITS + 1;

/// A create's tag: 32 caller-supplied random bits, shown as `[wsc:xxxxxxxx]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreateTag(u32);

impl CreateTag {
    /// The tag for 32 random bits drawn by the caller.
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// The tag's bits.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// The memo a create sends: the caller's memo (if any, and not blank),
    /// one space, then the tag; the tag alone without a memo.
    pub fn memo_with_tag(self, memo: Option<&str>) -> String {
        match memo.filter(|m| !m.trim().is_empty()) {
            Some(memo) => format!("{memo} {self}"),
            None => self.to_string(),
        }
    }

    /// Whether `memo` carries this tag.
    pub fn is_in(self, memo: &str) -> bool {
        tags_in(memo).any(|t| t == self)
    }

    /// The last tag in `memo`, if it carries one.
    pub fn find_in(memo: &str) -> Option<Self> {
        tags_in(memo).last()
    }

    /// `memo` without the tags this crate appended (and the space before
    /// each): what the user wrote.
    pub fn strip_from(memo: &str) -> String {
        let mut out = String::with_capacity(memo.len());
        let mut rest = memo;
        while let Some(at) = rest.find(OPEN) {
            let after = &rest[at..];
            if parse_bracketed(after).is_some() {
                out.push_str(rest[..at].strip_suffix(' ').unwrap_or(&rest[..at]));
                rest = &after[TAG_MEMO_LEN - 1..];
            } else {
                out.push_str(&rest[..at + OPEN.len()]);
                rest = &rest[at + OPEN.len()..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// Every well-formed tag in `memo`, in order.
fn tags_in(memo: &str) -> impl Iterator<Item = CreateTag> + '_ {
    memo.match_indices(OPEN)
        .filter_map(move |(at, _)| parse_bracketed(&memo[at..]))
}

/// `[wsc:xxxxxxxx]` at the start of `s`.
fn parse_bracketed(s: &str) -> Option<CreateTag> {
    let digits = s.strip_prefix(OPEN)?.get(..HEX_DIGITS + 1)?;
    let digits = digits.strip_suffix(CLOSE)?;
    parse_digits(digits)
}

fn parse_digits(digits: &str) -> Option<CreateTag> {
    let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if digits.len() != HEX_DIGITS || !digits.bytes().all(lower_hex) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok().map(CreateTag)
}

impl fmt::Display for CreateTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{OPEN}{:08x}{CLOSE}", self.0)
    }
}

impl fmt::Debug for CreateTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreateTag({:08x})", self.0)
    }
}

/// Parses `7f3a9c1e` or `[wsc:7f3a9c1e]` (eight lower-case hex digits).
impl FromStr for CreateTag {
    type Err = InvalidInput;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let found = if s.starts_with(OPEN) {
            parse_bracketed(s).filter(|_| s.len() == TAG_MEMO_LEN - 1)
        } else {
            parse_digits(s)
        };
        found.ok_or_else(|| {
            InvalidInput::new(
                "tag",
                "must be eight lower-case hex digits, alone or as [wsc:xxxxxxxx]",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_eight_lower_case_hex_digits_in_brackets() {
        assert_eq!(CreateTag::from_bits(0).to_string(), "[wsc:00000000]");
        assert_eq!(CreateTag::from_bits(u32::MAX).to_string(), "[wsc:ffffffff]");
        assert_eq!(
            CreateTag::from_bits(1).to_string().len() + 1,
            TAG_MEMO_LEN,
            "TAG_MEMO_LEN counts the space too"
        );
    }

    #[test]
    fn the_tag_follows_the_memo_after_one_space() {
        let tag = CreateTag::from_bits(0xdead_beef);
        assert_eq!(tag.memo_with_tag(Some("nightly")), "nightly [wsc:deadbeef]");
        assert_eq!(tag.memo_with_tag(None), "[wsc:deadbeef]");
        assert_eq!(tag.memo_with_tag(Some("  ")), "[wsc:deadbeef]");
    }

    #[test]
    fn only_the_exact_tag_is_found() {
        let tag = CreateTag::from_bits(0x0102_0304);
        assert!(tag.is_in("x [wsc:01020304]"));
        assert!(tag.is_in("[wsc:01020304] later text"));
        assert!(!tag.is_in("x [wsc:01020305]"));
        assert!(!tag.is_in("x [wsc:0102030]"), "seven digits");
        assert!(!tag.is_in("x [wsc:010203045]"), "nine digits");
        assert!(!tag.is_in("x [wsc:0102030A]"), "upper case");
        assert!(!tag.is_in("x [WSC:01020304]"));
        assert!(!tag.is_in(""));
    }

    #[test]
    fn the_last_tag_is_the_one_found() {
        let memo = "copied [wsc:00000001] then [wsc:00000002]";
        assert_eq!(CreateTag::find_in(memo), Some(CreateTag::from_bits(2)));
        assert_eq!(CreateTag::find_in("no tag"), None);
        assert_eq!(CreateTag::find_in("[wsc:"), None);
        assert_eq!(
            CreateTag::find_in("[wsc:ééééééé]"),
            None,
            "multibyte never panics"
        );
    }

    #[test]
    fn stripping_gives_back_the_users_memo() {
        let tag = CreateTag::from_bits(0xabc);
        assert_eq!(
            CreateTag::strip_from(&tag.memo_with_tag(Some("a b"))),
            "a b"
        );
        assert_eq!(CreateTag::strip_from(&tag.memo_with_tag(None)), "");
        assert_eq!(
            CreateTag::strip_from("keep [wsc:xyz] as is"),
            "keep [wsc:xyz] as is"
        );
    }

    #[test]
    fn parsing_takes_the_digits_or_the_bracketed_form() {
        let tag = CreateTag::from_bits(0x7f3a_9c1e);
        assert_eq!("7f3a9c1e".parse(), Ok(tag));
        assert_eq!("[wsc:7f3a9c1e]".parse(), Ok(tag));
        for bad in [
            "",
            "7f3a9c1",
            "7F3A9C1E",
            "[wsc:7f3a9c1e] ",
            "[wsc:7f3a9c1e",
            "+f3a9c1e",
        ] {
            assert!(bad.parse::<CreateTag>().is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_tag_round_trips_through_any_memo(bits: u32, memo in "\\PC{0,40}") {
            let tag = CreateTag::from_bits(bits);
            let sent = tag.memo_with_tag(Some(&memo));
            proptest::prop_assert!(tag.is_in(&sent));
            proptest::prop_assert_eq!(CreateTag::find_in(&sent), Some(tag));
            proptest::prop_assert_eq!(tag.to_string().parse::<CreateTag>(), Ok(tag));
        }
    }
}
