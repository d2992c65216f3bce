//! The one rule for the names of an address book (labels, `[contracts]` and
//! `[other_contracts]` keys, `absent` names), and how a name an intent wrote
//! that matches none of them is explained.
//!
//! A name is an ASCII identifier: letters, digits, `-` and `_`, starting with
//! a letter. So it can never be read as an address, and it cannot hide a
//! character that looks like another (Cyrillic `а` for Latin `a`), one that
//! shows nothing (a zero-width space) or one that reorders what is shown (a
//! bidi override).

use crate::text::{is_unsafe_char, untrusted};

/// Why a name breaks the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error(
        "a name may not be empty: names are ASCII letters, digits, `-` and `_`, starting with a letter"
    )]
    Empty,
    #[error(
        "`{0}` looks like an address: a name may never be read as one (an address in an intent is always that \
         address); names are ASCII letters, digits, `-` and `_`, starting with a letter"
    )]
    LooksLikeAddress(String),
    #[error(
        "`{name}` is not an ASCII name: it has {what} at character {position}; names are ASCII letters, digits, \
         `-` and `_`, starting with a letter"
    )]
    NotAscii {
        name: String,
        what: String,
        position: usize,
    },
}

/// Checks `name` against the one rule for names in an address book.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if looks_like_address(name) {
        return Err(NameError::LooksLikeAddress(untrusted(name).into_owned()));
    }
    for (index, c) in name.chars().enumerate() {
        let allowed = if index == 0 {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_alphanumeric() || c == '-' || c == '_'
        };
        if !allowed {
            return Err(NameError::NotAscii {
                name: untrusted(name).into_owned(),
                what: describe_char(c, index == 0),
                position: index.saturating_add(1),
            });
        }
    }
    Ok(())
}

/// `0x…`, or forty hex digits: text that could be taken for an address.
pub fn looks_like_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let digits = lower
        .strip_prefix("0x")
        .map_or((lower.as_str(), false), |rest| (rest, true));
    match digits {
        (_, true) => true,
        (hex, false) => hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
    }
}

fn describe_char(c: char, first: bool) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if is_unsafe_char(c) {
        format!("the invisible or bidi control {code}")
    } else if !c.is_ascii() {
        format!("the non-ASCII character {code} (`{c}`)")
    } else if first {
        format!("`{c}` first, where a letter must be")
    } else {
        format!("`{c}`")
    }
}

/// The form used to find the name someone meant: invisible and bidi
/// characters dropped, letters that look Latin (Cyrillic, Greek, full-width)
/// made Latin, lower case.
pub fn skeleton(text: &str) -> String {
    text.chars()
        .filter(|c| !is_unsafe_char(*c))
        .map(latin_lookalike)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name written with a bidi override shows its characters after the
/// override in reverse: `\u{202e}efas-pukcab` is seen as `backup-safe`.
pub fn as_displayed(text: &str) -> Option<String> {
    let (before, after) = text.split_once(['\u{202e}', '\u{2067}'])?;
    let mut shown = before.to_owned();
    shown.extend(after.chars().rev());
    Some(shown)
}

fn latin_lookalike(c: char) -> char {
    match c {
        'а' => 'a',
        'А' | 'Α' => 'A',
        'в' => 'b',
        'В' | 'Β' => 'B',
        'с' | 'ϲ' => 'c',
        'С' | 'Ϲ' => 'C',
        'е' => 'e',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'і' => 'i',
        'І' | 'Ι' => 'I',
        'ј' => 'j',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'о' | 'ο' => 'o',
        'О' | 'Ο' => 'O',
        'р' | 'ρ' => 'p',
        'Р' | 'Ρ' => 'P',
        'ѕ' => 's',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'у' => 'y',
        'У' | 'Υ' => 'Y',
        'х' | 'χ' => 'x',
        'Х' | 'Χ' => 'X',
        'Ζ' => 'Z',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c).wrapping_sub(0xfee0)).unwrap_or(c),
        '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        _ => c,
    }
}

/// The known names `written` was probably meant to be: the same once
/// invisible characters are dropped, lookalike letters made Latin and case
/// ignored (also as a bidi override shows it), or at most two edits away.
pub fn close_names<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut forms = vec![skeleton(written.trim())];
    if let Some(shown) = as_displayed(written.trim()) {
        forms.push(skeleton(&shown));
    }
    let mut close: Vec<&str> = known
        .into_iter()
        .filter(|name| {
            let target = name.to_lowercase();
            forms.iter().any(|form| {
                *form == target
                    || (form.chars().count().abs_diff(target.chars().count()) <= 2
                        && crate::abi::registry::edit_distance(form, &target) <= 2)
            })
        })
        .collect();
    close.sort_unstable();
    close.dedup();
    close
}

/// ` (did you mean X?)` for the close names, or nothing.
pub fn did_you_mean<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match close_names(written, known).as_slice() {
        [] => String::new(),
        names => format!(" (did you mean {}?)", names.join(" or ")),
    }
}

/// What to say about a name that is not ASCII, before the did-you-mean.
pub fn not_ascii_note(written: &str) -> String {
    match check_name(written.trim()) {
        Err(e @ NameError::NotAscii { .. }) => format!(" ({e})"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        assert!(check_name("backup-safe").is_ok());
        assert!(check_name("JobRegistry").is_ok());
        assert!(check_name("a_1-b").is_ok());
        assert!(matches!(
            check_name("0x5afe000000000000000000000000000000000002"),
            Err(NameError::LooksLikeAddress(_))
        ));
        assert!(matches!(
            check_name("deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"),
            Err(NameError::LooksLikeAddress(_))
        ));
        assert!(check_name("backup-s\u{430}fe").is_err());
        assert!(check_name("backup-safe\u{200b}").is_err());
        assert!(check_name("1abc").is_err());
        assert!(check_name("-abc").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
    }

    #[test]
    fn lookalikes_find_the_ascii_name() {
        let known = ["backup-safe", "JobRegistry", "signer-dave"];
        assert_eq!(close_names("backup-s\u{430}fe", known), ["backup-safe"]);
        assert_eq!(close_names("backup-safe\u{200b}", known), ["backup-safe"]);
        assert_eq!(close_names("\u{202e}efas-pukcab", known), ["backup-safe"]);
        assert_eq!(close_names("jobregistry", known), ["JobRegistry"]);
        assert!(close_names("treasury", known).is_empty());
    }
}
