//! How JavaScript sees a parsed JSON value.
//!
//! The Transaction Builder checksum is computed in the browser over the result
//! of `JSON.parse`, re-serialized with `JSON.stringify` and `Array.prototype.sort`.
//! To agree with it byte for byte on any file a signer may hand us, the pieces
//! here reproduce the ECMAScript behaviour rather than Rust's or serde_json's:
//!
//! - every JSON number is an IEEE double (`JSON.parse` has no integers), so
//!   `123456789012345678` is seen as `123456789012345680`;
//! - numbers print as `Number.prototype.toString` does (`1.0` -> `1`,
//!   `1e21` -> `1e+21`, `-0` -> `0`);
//! - strings are quoted as `JSON.stringify` quotes them (only the mandatory
//!   escapes; non-ASCII, U+2028 and `/` stay literal);
//! - strings sort by UTF-16 code units, which differs from Rust's `str`
//!   ordering once a string leaves the Basic Multilingual Plane.
//!
//! Known gaps, all of which only concern files no Safe UI would ever write:
//! serde_json rejects lone surrogate escapes (`"\ud800"`), numbers outside the
//! double range (`1e400`, which JS reads as `Infinity`) and nesting deeper than
//! 128 levels, all of which `JSON.parse` accepts. Such files fail to parse
//! instead of getting a checksum.

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Map, Number, Value};

/// The double JavaScript holds for a JSON number.
///
/// `as` rounds to nearest, ties to even, which is what parsing the decimal
/// text into a double does; serde_json's `float_roundtrip` feature keeps the
/// non-integer case correctly rounded too.
pub fn number_to_f64(n: &Number) -> f64 {
    if let Some(u) = n.as_u64() {
        u as f64
    } else if let Some(i) = n.as_i64() {
        i as f64
    } else {
        // Without `arbitrary_precision` every remaining Number is an f64.
        n.as_f64().unwrap_or(f64::NAN)
    }
}

/// `Number.prototype.toString()` (radix 10).
pub fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    // ryu-js implements the ECMAScript Number::toString layout (shortest
    // round-trip digits, plain notation for exponents up to 21, `e+`/`e-`
    // otherwise) and already prints -0 as "0".
    ryu_js::Buffer::new().format_finite(x).to_string()
}

/// `String(value)` for a parsed JSON value, as JavaScript converts a value
/// used as a property key: a number as `Number.prototype.toString` prints it
/// (`1.0` is `"1"`), a list as its items joined with `,` (`null` items
/// empty), an object as `[object Object]`.
pub fn to_js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(number_to_f64(n)),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                other => to_js_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_string(),
    }
}

/// Whether `String.prototype.trim` removes `c`: ECMAScript's WhiteSpace
/// (tab, vertical tab, form feed, space, no-break space, the byte order
/// mark, the Unicode space separators) and LineTerminator code points.
/// Rust's `str::trim` differs: it also removes U+0085 and keeps U+FEFF.
pub fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `String.prototype.trim`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_whitespace)
}

/// `JSON.stringify(number)`: like `toString`, except that non-finite values
/// become `null`. serde_json never holds one, but the rule costs nothing.
pub fn stringify_number(n: &Number) -> String {
    let x = number_to_f64(n);
    if x.is_finite() {
        number_to_string(x)
    } else {
        "null".to_string()
    }
}

/// Appends `JSON.stringify(s)` to `out`.
///
/// ECMAScript QuoteJSONString escapes only `"`, `\` and code points below
/// U+0020; everything else, including DEL, U+2028/U+2029 and astral
/// characters, is written as is. (Lone surrogates would be `\udxxx`, but a Rust
/// `str` cannot hold them.)
pub fn quote_json_string_into(s: &str, out: &mut String) {
    out.reserve(s.len().saturating_add(2));
    // Writing to a String cannot fail.
    let _ = write_quoted(s, out);
}

/// Whether QuoteJSONString escapes this byte: `"`, `\` and the C0
/// controls. A table, because strings are scanned for these a byte at a time
/// and the checksum of a large batch scans megabytes.
fn needs_escape(byte: u8) -> bool {
    // Evaluated at compile time, where an index out of range fails the build.
    #[allow(clippy::indexing_slicing)]
    const TABLE: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[b'"' as usize] = true;
        table[b'\\' as usize] = true;
        table
    };
    TABLE.get(usize::from(byte)).copied().unwrap_or(false)
}

/// Writes `JSON.stringify(s)` to any sink (a `String`, or the checksum's
/// hasher), runs of characters that need no escape in one piece.
pub fn write_quoted<W: fmt::Write + ?Sized>(s: &str, out: &mut W) -> fmt::Result {
    out.write_char('"')?;
    let mut rest = s;
    // Every byte that needs an escape is ASCII, so splitting there keeps
    // each piece on a character boundary.
    while let Some(at) = rest.bytes().position(needs_escape) {
        let Some((plain, tail)) = rest.split_at_checked(at) else {
            break;
        };
        out.write_str(plain)?;
        let mut chars = tail.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\u{8}' => out.write_str("\\b")?,
            '\u{c}' => out.write_str("\\f")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c => write!(out, "\\u{:04x}", c as u32)?,
        }
        rest = chars.as_str();
    }
    out.write_str(rest)?;
    out.write_char('"')
}

/// `JSON.stringify(s)` for a string.
pub fn quote_json_string(s: &str) -> String {
    let mut out = String::new();
    quote_json_string_into(s, &mut out);
    out
}

/// The comparison `Array.prototype.sort()` applies to strings when no
/// comparator is given: lexicographic over UTF-16 code units.
///
/// Rust orders `str` by UTF-8 bytes (= by code point), which disagrees for
/// astral characters: their surrogates (U+D800..U+DFFF) sort before
/// U+E000..U+FFFF in UTF-16 but after them by code point.
pub fn compare_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `Object.keys(obj).sort()`.
///
/// JSON.parse keeps the last of duplicate keys; serde_json's map does the same,
/// so the key set matches. Insertion order is irrelevant after sorting.
pub fn sorted_keys(map: &Map<String, Value>) -> Vec<&String> {
    sorted_entries(map)
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

/// The entries of `map` in the order of [`sorted_keys`].
pub fn sorted_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|(a, _), (b, _)| compare_utf16(a, b));
    entries
}

/// Writes `JSON.stringify(number)` to any sink, without an intermediate
/// string.
pub fn write_number<W: fmt::Write + ?Sized>(n: &Number, out: &mut W) -> fmt::Result {
    let x = number_to_f64(n);
    if x.is_finite() {
        out.write_str(ryu_js::Buffer::new().format_finite(x))
    } else {
        out.write_str("null")
    }
}

/// Appends `JSON.stringify(v)` (no indentation) to `out`, for any value.
///
/// Object keys are written in the map's iteration order; callers hashing
/// values never reach this for objects (the checksum serializer walks objects
/// itself), it is used for scalars and the sorted key array.
pub fn stringify_into(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&stringify_number(n)),
        Value::String(s) => quote_json_string_into(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                stringify_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote_json_string_into(k, out);
                out.push(':');
                stringify_into(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn js_number(text: &str) -> String {
        let v: Value = serde_json::from_str(text).unwrap();
        match v {
            Value::Number(n) => stringify_number(&n),
            other => panic!("not a number: {other}"),
        }
    }

    #[test]
    fn numbers_print_like_javascript() {
        let cases = [
            ("1.0", "1"),
            ("1", "1"),
            ("123456789012345678", "123456789012345680"),
            ("9007199254740993", "9007199254740992"),
            ("18446744073709551615", "18446744073709552000"),
            ("-9223372036854775808", "-9223372036854776000"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123e20", "1.23e+22"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("0", "0"),
            ("0.1", "0.1"),
            ("1.5e-7", "1.5e-7"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("-1.25", "-1.25"),
            ("1646321521061", "1646321521061"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("100000000000000000000000", "1e+23"),
            ("0.30000000000000004", "0.30000000000000004"),
        ];
        for (input, expected) in cases {
            assert_eq!(js_number(input), expected, "input {input}");
        }
    }

    #[test]
    fn non_finite_numbers() {
        assert_eq!(number_to_string(f64::NAN), "NaN");
        assert_eq!(number_to_string(f64::INFINITY), "Infinity");
        assert_eq!(number_to_string(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(number_to_string(-0.0), "0");
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        let cases = [
            ("plain", r#""plain""#),
            ("a\"b", r#""a\"b""#),
            ("a\\b", r#""a\\b""#),
            ("\u{8}\u{c}\n\r\t", r#""\b\f\n\r\t""#),
            ("\u{0}\u{1}\u{b}\u{1f}", r#""\u0000\u0001\u000b\u001f""#),
            ("\u{7f}", "\"\u{7f}\""),
            ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
            ("a/b", r#""a/b""#),
            ("é😀", "\"é😀\""),
            ("\u{1b}[0m", r#""\u001b[0m""#),
        ];
        for (input, expected) in cases {
            assert_eq!(quote_json_string(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn the_escape_table_is_quote_json_strings_rule() {
        for byte in 0..=u8::MAX {
            let rule = byte < 0x20 || byte == b'"' || byte == b'\\';
            assert_eq!(needs_escape(byte), rule, "byte {byte:#04x}");
        }
    }

    #[test]
    fn utf16_order_differs_from_code_point_order() {
        let halfwidth = "\u{ff61}";
        let emoji = "\u{1F600}";
        // Code point / UTF-8 order puts U+FF61 first...
        assert!(halfwidth < emoji);
        // ...but the emoji's leading surrogate 0xD83D is below 0xFF61.
        assert_eq!(compare_utf16(emoji, halfwidth), Ordering::Less);
        assert_eq!(compare_utf16("a", "ab"), Ordering::Less);
        assert_eq!(compare_utf16("B", "a"), Ordering::Less);
        assert_eq!(compare_utf16("x", "x"), Ordering::Equal);
    }

    #[test]
    fn sorted_keys_are_strings_not_numbers() {
        let v = json!({"9": 0, "10": 0, "b": 0, "A": 0, "\u{ff61}": 0, "\u{1F600}": 0});
        let keys: Vec<&str> = sorted_keys(v.as_object().unwrap())
            .into_iter()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["10", "9", "A", "b", "\u{1F600}", "\u{ff61}"]);
    }

    #[test]
    fn stringify_compact() {
        let v = json!(["a", 1.0, null, true, {"k": [false]}]);
        let mut out = String::new();
        stringify_into(&v, &mut out);
        assert_eq!(out, r#"["a",1,null,true,{"k":[false]}]"#);
    }
}
