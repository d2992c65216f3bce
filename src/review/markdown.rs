//! Input text made safe to place in Markdown.
//!
//! A label, a summary or a file name can hold characters Markdown reads as
//! structure: `|` ends a table cell, a backtick opens code, `#` at the start
//! of a line makes a heading, `[`…`](…)` a link, `<` HTML. Every string from
//! input goes first through [`crate::text::untrusted`] (so it is one line of
//! visible characters), then through [`text`] (prose) or [`code`] (a code
//! span), so only the review's own text gives the document its structure.

use crate::text::untrusted;

/// Characters escaped with a backslash wherever they stand: every one that
/// can open or close emphasis, code, a link, an image, HTML, an entity, a
/// table cell, strike-through, or a heading; and the backslash itself.
const ALWAYS: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '!', '~', '&', '{', '}',
];

/// `input` as one line of Markdown prose that renders as the text itself:
/// unsafe characters escaped as `\u…`, Markdown punctuation backslash-escaped,
/// and a start that could begin a list, a quote or a heading (`-`, `+`, `=`,
/// `1.`) escaped too, so the text never changes the document's structure
/// wherever it is placed.
pub fn text(input: &str) -> String {
    let line = untrusted(input);
    let mut out = String::with_capacity(line.len().saturating_add(8));
    // A line that starts with digits then `.` or `)` is an ordered list item.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(line.chars().nth(digits), Some('.' | ')'));
    for (i, c) in line.chars().enumerate() {
        let at_start = i == 0 && matches!(c, '-' | '+' | '=');
        let list_mark = ordered && i == digits;
        if ALWAYS.contains(&c) || at_start || list_mark {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `input` as an inline code span: shown exactly (after
/// [`crate::text::untrusted`]), with a fence of backticks longer than any
/// run inside it. In a table cell, `|` is written `\|` (GFM reads that as
/// `|` inside code).
pub fn code(input: &str) -> String {
    let inner = untrusted(input).replace('|', "\\|");
    let mut longest = 0usize;
    let mut run = 0usize;
    for c in inner.chars() {
        if c == '`' {
            run = run.saturating_add(1);
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest.saturating_add(1));
    // A span that starts or ends with a backtick needs a space inside the
    // fence (stripped when rendered).
    let pad = if inner.starts_with('`') || inner.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

/// `word` for a shell command line: as it is when it is made of characters
/// no shell reads specially, else in single quotes.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_' | ':' | '@'));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", untrusted(word).replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_its_text_and_loses_its_structure() {
        assert_eq!(
            text("pause FeePool via SystemPause"),
            "pause FeePool via SystemPause"
        );
        assert_eq!(
            text("FeePool.setGovernance(backup-safe)"),
            "FeePool.setGovernance(backup-safe)"
        );
        assert_eq!(text("# heading"), "\\# heading");
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("12. item"), "12\\. item");
        assert_eq!(
            text("a | b `c` [d](e) <b>"),
            "a \\| b \\`c\\` \\[d\\](e) \\<b\\>"
        );
        assert_eq!(text("line\nbreak"), "line\\\\u000abreak");
        assert_eq!(text("signer_bob"), "signer\\_bob");
    }

    #[test]
    fn code_spans_outlast_backticks_inside() {
        assert_eq!(code("pause.json"), "`pause.json`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("bundles/pause.toml"), "bundles/pause.toml");
        assert_eq!(shell_word("my book.toml"), "'my book.toml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
