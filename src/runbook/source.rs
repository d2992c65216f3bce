//! Where things are in an input file: every runbook error names the file, line
//! and column, so an operator under pressure can go straight to the mistake.

use std::fmt;
use std::ops::Range;

/// A text input and the name it is reported under (usually its path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count().saturating_add(1);
        let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
        let column = before
            .get(line_start..)
            .map_or(0, |s| s.chars().count())
            .saturating_add(1);
        Location {
            file: self.name.clone(),
            line,
            column,
        }
    }

    pub fn span_location(&self, span: &Range<usize>) -> Location {
        self.location(span.start)
    }

    /// Refuses `value`, written at `span`, when it holds a character that
    /// [`crate::text::is_unsafe_char`] calls unsafe (except those in
    /// `allowed`): text from input that bundlec writes into a batch or a
    /// manifest, where Safe{Wallet} or a reviewer would see it, carries no
    /// bidi control, invisible or control character. The error points at the
    /// character itself when the file has it raw, else at the value.
    pub fn refuse_unsafe_text(
        &self,
        span: &Range<usize>,
        value: &str,
        what: &str,
        allowed: &[char],
    ) -> Result<(), InputError> {
        let Some((c, kind)) = value
            .chars()
            .filter(|c| !allowed.contains(c))
            .find_map(|c| crate::text::unsafe_char_kind(c).map(|kind| (c, kind)))
        else {
            return Ok(());
        };
        let offset = self
            .text
            .get(span.clone())
            .and_then(|written| written.find(c))
            .map_or(span.start, |i| span.start.saturating_add(i));
        Err(InputError::new(
            self.location(offset),
            format!(
                "{what} contains {} ({kind}): bundlec writes no bidi control, invisible or control \
                 character from its input into a batch or manifest, where Safe{{Wallet}} would show it; \
                 remove it",
                crate::text::code_point(c)
            ),
        ))
    }
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub at: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, at: Location) -> Self {
        Located { value, at }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            at: self.at,
        }
    }
}

/// An error in an input file: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct InputError {
    pub at: Location,
    pub message: String,
}

impl InputError {
    pub fn new(at: Location, message: impl Into<String>) -> Self {
        InputError {
            at,
            message: message.into(),
        }
    }
}

/// A TOML syntax or shape error, placed where the parser stopped.
pub fn toml_error(source: &Source, err: &toml::de::Error) -> InputError {
    let at = match err.span() {
        Some(span) => source.span_location(&span),
        None => Location {
            file: source.name.clone(),
            line: 1,
            column: 1,
        },
    };
    InputError::new(at, err.message().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_lines_and_character_columns() {
        let source = Source::new("f.toml", "a = 1\nbé = 2\n");
        assert_eq!(source.location(0).to_string(), "f.toml:1:1");
        assert_eq!(source.location(6).to_string(), "f.toml:2:1");
        // `=` after a two-byte character is the fourth character of line 2.
        assert_eq!(source.location(10).column, 4);
        assert_eq!(source.location(1000).line, 3);
    }
}
