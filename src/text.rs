//! Text that came from input, made safe to print.
//!
//! A batch, an ABI or an address book can carry any character: a raw newline
//! in a method name would start a line that looks like bundlec's own (a fake
//! "Findings (0)" block, a fake safeTxHash); terminal escapes move the cursor;
//! bidi overrides reorder what is shown; zero-width characters hide text.
//! Every string from input goes through [`untrusted`] before it is placed in
//! text output, so only bundlec's own text ever breaks a line.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must never reach a terminal raw: every control
/// character (newline and tab included), bidirectional controls, zero-width
/// and invisible formatting characters, and line or paragraph separators.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
        )
}

/// What kind of character [`is_unsafe_char`] refuses `c` as, for error
/// messages; `None` for a safe character.
pub fn unsafe_char_kind(c: char) -> Option<&'static str> {
    if !is_unsafe_char(c) {
        return None;
    }
    Some(match c {
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => "a bidirectional control",
        '\u{2028}' | '\u{2029}' => "a line separator",
        _ if c.is_control() => "a control character",
        _ => "an invisible character",
    })
}

/// `U+202E`: how errors name a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with every unsafe character written as a `\u{…}`-style escape
/// (`\u000a` for a newline), so the result is one line of visible characters.
pub fn untrusted(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(8));
    for c in text.chars() {
        if is_unsafe_char(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_tabs_and_bidi_are_escaped() {
        assert_eq!(untrusted("a\nb\tc\u{202e}d"), "a\\u000ab\\u0009c\\u202ed");
        assert_eq!(untrusted("plain (ok)"), "plain (ok)");
        assert!(matches!(untrusted("plain"), Cow::Borrowed(_)));
    }
}
