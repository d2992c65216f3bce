//! A range of Safe nonces, `"42..46"`: the same Safe transaction pre-signed at
//! each of them, so that whichever nonce is next when an incident starts, a
//! fully signed transaction for it already exists.
//!
//! Both ends are included. The range is bounded ([`MAX_NONCE_RANGE`]) because
//! every nonce is one more transaction every signer signs, and every unused
//! one stays valid until its nonce is used or burned.

// The bounds come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::fmt;

/// The most nonces one range may cover.
pub const MAX_NONCE_RANGE: u64 = 256;

/// An inclusive, non-empty range of nonces of at most [`MAX_NONCE_RANGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NonceRange {
    first: u64,
    last: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NonceRangeError {
    #[error(
        "nonce range `{0}` is not \"first..last\": write two whole numbers with `..` between them, both ends included (\"42..46\")"
    )]
    Malformed(String),
    #[error("nonce range `{text}`: `{bound}` is not a nonce (a whole number below 2^64)")]
    Bound { text: String, bound: String },
    #[error(
        "nonce range `{0}` runs backwards: the first nonce comes first (\"{low}..{high}\")",
        low = .1, high = .2
    )]
    Backwards(String, u64, u64),
    #[error(
        "nonce range `{text}` covers {count} nonces, more than {max}: each is one more transaction every signer signs and one more pre-signed pause that stays valid until used or burned; pre-sign fewer"
    , max = MAX_NONCE_RANGE)]
    TooLong { text: String, count: u128 },
}

impl NonceRange {
    /// The range `first..=last`, if it is one bundlec accepts.
    pub fn new(first: u64, last: u64) -> Result<Self, NonceRangeError> {
        let text = format!("{first}..{last}");
        if last < first {
            return Err(NonceRangeError::Backwards(text, last, first));
        }
        let count = u128::from(last)
            .saturating_sub(u128::from(first))
            .saturating_add(1);
        if count > u128::from(MAX_NONCE_RANGE) {
            return Err(NonceRangeError::TooLong { text, count });
        }
        Ok(NonceRange { first, last })
    }

    pub fn first(self) -> u64 {
        self.first
    }

    pub fn last(self) -> u64 {
        self.last
    }

    /// Every nonce of the range, in order.
    pub fn nonces(self) -> impl Iterator<Item = u64> {
        self.first..=self.last
    }

    pub fn len(self) -> usize {
        self.nonces().count()
    }

    /// Never true: a range has at least one nonce. For clippy's `len` rule.
    pub fn is_empty(self) -> bool {
        false
    }

    pub fn contains(self, nonce: u64) -> bool {
        (self.first..=self.last).contains(&nonce)
    }
}

impl fmt::Display for NonceRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

/// Whether `text` is written as a range (it has `..`), whatever else is wrong with it.
pub fn looks_like_range(text: &str) -> bool {
    text.contains("..")
}

/// Parses `"first..last"` (decimal, both ends included; spaces around the
/// numbers are allowed).
pub fn parse_nonce_range(text: &str) -> Result<NonceRange, NonceRangeError> {
    let Some((first, last)) = text.split_once("..") else {
        return Err(NonceRangeError::Malformed(text.to_owned()));
    };
    let bound = |s: &str| {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(if s.is_empty() || s.contains('.') {
                NonceRangeError::Malformed(text.to_owned())
            } else {
                NonceRangeError::Bound {
                    text: text.to_owned(),
                    bound: s.to_owned(),
                }
            });
        }
        s.parse::<u64>().map_err(|_| NonceRangeError::Bound {
            text: text.to_owned(),
            bound: s.to_owned(),
        })
    };
    let (first, last) = (bound(first)?, bound(last)?);
    NonceRange::new(first, last).map_err(|e| match e {
        NonceRangeError::Backwards(_, low, high) => {
            NonceRangeError::Backwards(text.to_owned(), low, high)
        }
        NonceRangeError::TooLong { count, .. } => NonceRangeError::TooLong {
            text: text.to_owned(),
            count,
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inclusive_ranges() {
        let r = parse_nonce_range("42..46").unwrap();
        assert_eq!(r.nonces().collect::<Vec<_>>(), [42, 43, 44, 45, 46]);
        assert_eq!(r.len(), 5);
        assert_eq!(r.to_string(), "42..46");
        assert_eq!(parse_nonce_range(" 7 .. 7 ").unwrap().len(), 1);
        let top = parse_nonce_range("18446744073709551615..18446744073709551615").unwrap();
        assert_eq!(top.nonces().count(), 1);
    }

    #[test]
    fn refuses_bad_ranges_with_reasons() {
        let err = |t: &str| parse_nonce_range(t).unwrap_err().to_string();
        assert!(
            err("46..42").contains("runs backwards"),
            "{}",
            err("46..42")
        );
        assert!(err("46..42").contains("\"42..46\""));
        assert!(err("0..256").contains("257 nonces, more than 256"));
        assert!(parse_nonce_range("0..255").is_ok());
        assert!(err("1..18446744073709551616").contains("not a nonce"));
        assert!(err("..5").contains("not \"first..last\""));
        assert!(err("5..").contains("not \"first..last\""));
        assert!(err("1...5").contains("not \"first..last\""));
        assert!(err("0x2a..0x2e").contains("not a nonce"));
        assert!(err("-1..5").contains("not a nonce"));
        assert!(err("42").contains("not \"first..last\""));
    }
}
