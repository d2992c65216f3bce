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
    // ASCII: the controls are C0 and DEL, exactly what `is_control` says;
    // none of the characters listed below is ASCII.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
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

/// The first unsafe character of `text` and what kind it is
/// ([`unsafe_char_kind`]), with newlines allowed when `newlines_ok`.
pub fn first_unsafe_char(text: &str, newlines_ok: bool) -> Option<(char, &'static str)> {
    let start = first_not_printable_ascii(text, newlines_ok)?;
    // The bytes before `start` are printable ASCII (or newlines when allowed):
    // `start` is a character boundary, and nothing before it is unsafe.
    let rest = text.get(start..)?;
    rest.chars()
        .filter(|&c| !(newlines_ok && c == '\n'))
        .find_map(|c| unsafe_char_kind(c).map(|kind| (c, kind)))
}

/// The byte offset of the first byte that is not printable ASCII (nor a
/// newline when `newlines_ok`): the only place unsafe text can start. Most
/// text (hex calldata, names, JSON layout) is all printable ASCII, and this
/// settles it without decoding characters.
fn first_not_printable_ascii(text: &str, newlines_ok: bool) -> Option<usize> {
    let flagged = |b: u8| !(b' '..=b'~').contains(&b) & !(newlines_ok & (b == b'\n'));
    let mut offset = 0usize;
    for chunk in text.as_bytes().chunks(64) {
        // No early exit inside a chunk, so the compiler checks it with
        // vector instructions; only a flagged chunk is read byte by byte.
        if chunk.iter().fold(false, |any, &b| any | flagged(b)) {
            return chunk
                .iter()
                .position(|&b| flagged(b))
                .map(|i| offset.saturating_add(i));
        }
        offset = offset.saturating_add(chunk.len());
    }
    None
}

/// `U+202E`: how errors name a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with every unsafe character written as a `\u{…}`-style escape
/// (`\u000a` for a newline), so the result is one line of visible characters.
pub fn untrusted(text: &str) -> Cow<'_, str> {
    let Some(start) = first_not_printable_ascii(text, false) else {
        return Cow::Borrowed(text);
    };
    // Everything before `start` is printable ASCII, so `start` is a character
    // boundary and only the rest needs reading character by character.
    let (clean, rest) = text.split_at_checked(start).unwrap_or(("", text));
    if !rest.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(8));
    out.push_str(clean);
    for c in rest.chars() {
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
        assert!(matches!(untrusted("caf\u{e9}"), Cow::Borrowed(_)));
        assert_eq!(untrusted("caf\u{e9}\u{200b}x"), "caf\u{e9}\\u200bx");
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_character_rules() {
        for b in 0u8..=0x7f {
            let c = char::from(b);
            let slow = c.is_control();
            assert_eq!(is_unsafe_char(c), slow, "{b:#x}");
            assert_eq!(untrusted(&c.to_string()) != c.to_string(), slow, "{b:#x}");
        }
        assert_eq!(first_unsafe_char("a\nb", true), None);
        assert_eq!(
            first_unsafe_char("a\nb", false),
            Some(('\n', "a control character"))
        );
        assert_eq!(
            first_unsafe_char("ok\n\u{e9}\u{202e}", true),
            Some(('\u{202e}', "a bidirectional control"))
        );
        assert_eq!(first_unsafe_char("\u{e9}\u{e8}", false), None);
        // Past the first chunk of the byte scan, and at its edges.
        for at in [0, 63, 64, 65, 130] {
            let mut text = "x\n".repeat(100);
            text.insert(at, '\u{7f}');
            assert_eq!(first_not_printable_ascii(&text, true), Some(at));
            assert_eq!(
                first_unsafe_char(&text, true),
                Some(('\u{7f}', "a control character"))
            );
        }
    }
}
