//! The Transaction Builder's `meta.checksum`.
//!
//! The Safe UI shows a "This batch contains some changed properties" warning
//! when the checksum of an imported file does not match, so a file bundlec
//! writes must carry the exact value the UI computes, and `bundlec verify` must
//! reach the same verdict the UI would on any file.
//!
//! The algorithm (the app's `src/lib/checksum.ts`, safe-react-apps apps/tx-builder):
//! take the parsed object, drop `meta.checksum`, set `meta.name` to null, run
//! it through the serializer [`serialize_for_checksum`] (not JSON: keys are
//! listed once as a sorted array, values follow with trailing commas) and
//! hash the UTF-8 bytes with Keccak-256.

use std::{fmt, io};

use alloy_primitives::{B256, Keccak256, hex};
use serde_json::Value;

use super::ChecksumError;
use super::js;
use super::tree::{Json, JsonTree, Node};

/// The serializer the Transaction Builder hashes.
///
/// Arrays: `[` + elements joined by `,` + `]`. Objects: `{` + the JSON array
/// of keys sorted by UTF-16 code units + each value followed by `,` + `}`
/// (so `{}` becomes `{[]}`). Scalars: `JSON.stringify` with JS semantics.
///
/// The checksum itself never builds this string: [`write_value`] streams the
/// same text into the hasher ([`KeccakWriter`]).
pub fn serialize_for_checksum(v: &impl JsonTree) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_value(v, &mut out);
    out
}

/// Writes the checksum form of `v` (see [`serialize_for_checksum`]) to any
/// sink.
pub fn write_value<J: JsonTree, W: fmt::Write + ?Sized>(v: &J, out: &mut W) -> fmt::Result {
    match v.node() {
        Node::Array(items) => {
            out.write_char('[')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                write_value(item, out)?;
            }
            out.write_char(']')
        }
        Node::Object => {
            let mut fields: Vec<(&str, Part<'_, J>)> = v
                .fields()
                .map(|(key, value)| (key, Part::Json(value)))
                .collect();
            write_object(&mut fields, out)
        }
        Node::Null => out.write_str("null"),
        Node::Bool(true) => out.write_str("true"),
        Node::Bool(false) => out.write_str("false"),
        Node::Number(n) => js::write_number(&n, out),
        Node::String(s) => js::write_quoted(s, out),
    }
}

/// How to write one value of an object in the checksum form: a parsed JSON
/// value, a string, `null`, or anything else a writer knows how to put.
pub enum Part<'a, J = Value> {
    Null,
    Str(&'a str),
    Json(&'a J),
    With(&'a dyn Fn(&mut dyn fmt::Write) -> fmt::Result),
}

impl<J: JsonTree> Part<'_, J> {
    fn write<W: fmt::Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        match self {
            Part::Null => out.write_str("null"),
            Part::Str(s) => js::write_quoted(s, out),
            Part::Json(v) => write_value(*v, out),
            // `&mut W` is itself a sized `fmt::Write`, which is what a
            // `dyn` writer can be made of when `W` may be unsized.
            Part::With(write) => write(&mut &mut *out),
        }
    }
}

/// Writes an object in the checksum form from its fields in any order: keys
/// sorted by UTF-16 code units, each key once with the last of its values
/// (as `JSON.parse` keeps the last of duplicate keys). Sorts `fields`.
pub fn write_object<J: JsonTree, W: fmt::Write + ?Sized>(
    fields: &mut [(&str, Part<'_, J>)],
    out: &mut W,
) -> fmt::Result {
    // Stable, so equal keys stay in their order and the last one is kept.
    fields.sort_by(|(a, _), (b, _)| js::compare_utf16(a, b));
    out.write_str("{[")?;
    for (i, (key, _)) in kept(fields).enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        js::write_quoted(key, out)?;
    }
    out.write_char(']')?;
    for (_, part) in kept(fields) {
        part.write(out)?;
        out.write_char(',')?;
    }
    out.write_char('}')
}

/// The fields of a sorted slice, the last of each run of equal keys.
fn kept<'f, 'a, J>(
    fields: &'f [(&'a str, Part<'a, J>)],
) -> impl Iterator<Item = &'f (&'a str, Part<'a, J>)> {
    let mut fields = fields.iter().peekable();
    std::iter::from_fn(move || {
        loop {
            let field = fields.next()?;
            if fields.peek().is_none_or(|next| next.0 != field.0) {
                return Some(field);
            }
        }
    })
}

/// A sink that hashes what is written to it with Keccak-256, so the
/// checksum form is hashed as it is produced instead of being built as a
/// string first. Small writes are gathered into blocks before they reach
/// the hasher.
pub struct KeccakWriter {
    hasher: Keccak256,
    pending: Vec<u8>,
}

/// How many bytes [`KeccakWriter`] gathers before hashing them.
const KECCAK_BLOCK: usize = 8 * 1024;

impl KeccakWriter {
    pub fn new() -> Self {
        Self {
            hasher: Keccak256::new(),
            pending: Vec::with_capacity(KECCAK_BLOCK),
        }
    }

    #[inline]
    pub fn update(&mut self, bytes: &[u8]) {
        // The checksum form arrives a few bytes at a time (a quote, a comma,
        // a key): the common case is a copy into the block being gathered.
        if self.pending.len().saturating_add(bytes.len()) <= KECCAK_BLOCK {
            self.pending.extend_from_slice(bytes);
        } else {
            self.flush_and_update(bytes);
        }
    }

    #[cold]
    fn flush_and_update(&mut self, bytes: &[u8]) {
        self.hasher.update(&self.pending);
        self.pending.clear();
        if bytes.len() >= KECCAK_BLOCK {
            self.hasher.update(bytes);
        } else {
            self.pending.extend_from_slice(bytes);
        }
    }

    pub fn finalize(mut self) -> B256 {
        self.hasher.update(&self.pending);
        self.hasher.finalize()
    }
}

impl Default for KeccakWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Write for KeccakWriter {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.update(s.as_bytes());
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.update(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
}

impl io::Write for KeccakWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Keccak-256 of what `write` writes.
pub fn hash_with(write: impl FnOnce(&mut KeccakWriter) -> fmt::Result) -> B256 {
    let mut sink = KeccakWriter::new();
    // The hasher never refuses bytes, so the only error a writer could
    // return is its own, and the writers here have none.
    let _ = write(&mut sink);
    sink.finalize()
}

/// `0x` + 64 lowercase hex digits: the form the UI stores and compares.
pub fn format_checksum(checksum: &B256) -> String {
    hex::encode_prefixed(checksum)
}

/// The checksum of the object as the UI's `addChecksum` sees it: only
/// `meta.name` is replaced by null; a `meta.checksum` key, if present, is hashed
/// with everything else.
///
/// This is the generate path. bundlec computes over an object that has no
/// checksum key yet, where it agrees with [`compute_checksum`]; the upstream
/// unit test hashes an object that carries `"checksum": ""`, which only this
/// function reproduces.
///
/// JavaScript would hash a batch without a `meta` object as if it had
/// `meta: {name: null}`; no UI-generated batch lacks one, so this refuses,
/// like [`compute_checksum`].
pub fn checksum_of_object_as_is(batch: &impl JsonTree) -> Result<B256, ChecksumError> {
    hash_batch(batch, false)
}

/// The checksum the UI's import path (`validateChecksum`) computes: remove
/// `meta.checksum`, set `meta.name` to null (adding it if absent), serialize,
/// Keccak-256.
///
/// Errors when `batch` is not an object ([`ChecksumError::NotAnObject`]) or has
/// no `meta` object ([`ChecksumError::NoMetaObject`]). On the latter the UI
/// itself would throw (`meta` undefined) or compare against an `undefined`
/// stored checksum, so no checksum is ever accepted there either.
pub fn compute_checksum(batch: &impl JsonTree) -> Result<B256, ChecksumError> {
    hash_batch(batch, true)
}

/// Hashes the batch as if `meta.name` were null (and, when `drop_checksum`,
/// `meta.checksum` absent), without copying it: `meta` is written with those
/// two fields changed and everything else as it is.
fn hash_batch<J: JsonTree>(batch: &J, drop_checksum: bool) -> Result<B256, ChecksumError> {
    if !batch.is_object() {
        return Err(ChecksumError::NotAnObject {
            found: batch.kind(),
        });
    }
    let meta = batch
        .get("meta")
        .filter(|meta| meta.is_object())
        .ok_or(ChecksumError::NoMetaObject)?;
    let write_meta = |out: &mut dyn fmt::Write| {
        let mut fields: Vec<(&str, Part<'_, J>)> = meta
            .fields()
            .filter(|(key, _)| *key != "name" && !(drop_checksum && *key == "checksum"))
            .map(|(key, value)| (key, Part::Json(value)))
            .collect();
        fields.push(("name", Part::Null));
        write_object(&mut fields, out)
    };
    let mut fields: Vec<(&str, Part<'_, J>)> = batch
        .fields()
        .map(|(key, value)| {
            // Every `meta` is written as the last one: a duplicate `meta` key
            // keeps only the last, and that is the one read above.
            let part = if key == "meta" {
                Part::With(&write_meta)
            } else {
                Part::Json(value)
            };
            (key, part)
        })
        .collect();
    Ok(hash_with(|out| write_object(&mut fields, out)))
}

/// What the UI's checksum check concludes about a batch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumReport {
    /// `meta.checksum` as written in the file; `None` when absent or not a
    /// JSON string (the UI treats both the same: never equal).
    pub stored: Option<String>,
    /// What the UI computes; `None` when the batch has no `meta` object and
    /// there is nothing the UI could match.
    pub computed: Option<B256>,
    /// Whether the UI would accept the checksum (no "changed properties"
    /// warning).
    pub valid: bool,
}

/// Runs the UI's checksum check on a parsed batch file.
///
/// The only error is a top-level value that is not an object (such a file is
/// not a batch at all). Missing, non-string and wrong checksums, and a missing
/// `meta`, all give `valid: false`.
///
/// The comparison is exact string equality with the lowercase form, as the UI's
/// `===` is: a checksum written in uppercase hex makes the UI warn, so it is
/// reported as invalid here too.
pub fn check(batch: &impl JsonTree) -> Result<ChecksumReport, ChecksumError> {
    if !batch.is_object() {
        return Err(ChecksumError::NotAnObject {
            found: batch.kind(),
        });
    }
    let Some(meta) = batch.get("meta").filter(|meta| meta.is_object()) else {
        return Ok(ChecksumReport {
            stored: None,
            computed: None,
            valid: false,
        });
    };
    let stored = meta
        .get("checksum")
        .and_then(JsonTree::as_str)
        .map(str::to_string);
    let computed = compute_checksum(batch)?;
    let valid = stored.as_deref() == Some(format_checksum(&computed).as_str());
    Ok(ChecksumReport {
        stored,
        computed: Some(computed),
        valid,
    })
}

/// Parses batch file text the way the UI reads it.
///
/// A leading byte order mark is skipped, because the browser's `FileReader`
/// text decoding strips it before `JSON.parse` sees the text. Syntax errors
/// carry 1-based line and column. See [`super::js`] for the inputs JavaScript
/// accepts but this parser rejects.
pub fn parse_json(text: &str) -> Result<Value, ChecksumError> {
    parse_as(text)
}

/// Parses batch file text as [`parse_json`] does, into a tree that borrows
/// its strings from `text`: the form verify and checksum read a file in.
pub fn parse_batch(text: &str) -> Result<Json<'_>, ChecksumError> {
    parse_as(text)
}

fn parse_as<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, ChecksumError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        ChecksumError::Json {
            line: e.line(),
            column: e.column(),
            message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn micro_example_from_the_format_doc() {
        let v = parse_json(r#"{"b":1,"a":[true,null]}"#).unwrap();
        assert_eq!(serialize_for_checksum(&v), "{[\"a\",\"b\"][true,null],1,}");
    }

    #[test]
    fn empty_containers() {
        assert_eq!(serialize_for_checksum(&json!({})), "{[]}");
        assert_eq!(serialize_for_checksum(&json!([])), "[]");
        assert_eq!(
            serialize_for_checksum(&json!({"a": {}, "b": []})),
            "{[\"a\",\"b\"]{[]},[],}"
        );
    }

    #[test]
    fn scalars_at_top_level() {
        assert_eq!(serialize_for_checksum(&json!(null)), "null");
        assert_eq!(serialize_for_checksum(&json!("x\ny")), "\"x\\ny\"");
        assert_eq!(serialize_for_checksum(&json!(1.0)), "1");
    }

    #[test]
    fn keys_sort_by_utf16_and_as_strings() {
        let v = json!({"\u{ff61}": 1, "\u{1F600}": 2, "9": 3, "10": 4});
        assert_eq!(
            serialize_for_checksum(&v),
            "{[\"10\",\"9\",\"\u{1F600}\",\"\u{ff61}\"]4,3,2,1,}"
        );
    }

    #[test]
    fn keys_are_escaped_like_values() {
        let v = json!({"a\"b\u{1}": "\u{2028}"});
        assert_eq!(
            serialize_for_checksum(&v),
            "{[\"a\\\"b\\u0001\"]\"\u{2028}\",}"
        );
    }

    #[test]
    fn numbers_are_hashed_as_doubles() {
        let v = parse_json(r#"{"n":[1.0,123456789012345678,1e21,-0,0.1,1.5e-7]}"#).unwrap();
        assert_eq!(
            serialize_for_checksum(&v),
            "{[\"n\"][1,123456789012345680,1e+21,0,0.1,1.5e-7],}"
        );
        let rounded = parse_json(r#"{"meta":{},"n":123456789012345680}"#).unwrap();
        let exact = parse_json(r#"{"meta":{},"n":123456789012345678}"#).unwrap();
        assert_eq!(
            compute_checksum(&rounded).unwrap(),
            compute_checksum(&exact).unwrap()
        );
    }

    fn sample() -> Value {
        json!({
            "version": "1.0",
            "chainId": "1",
            "createdAt": 1700000000000u64,
            "meta": {"name": "x", "description": ""},
            "transactions": [{"to": "0x0000000000000000000000000000000000000001", "value": "0", "data": null}]
        })
    }

    #[test]
    fn null_and_absent_keys_hash_differently() {
        let with_null = sample();
        let mut absent = sample();
        absent["transactions"][0]
            .as_object_mut()
            .unwrap()
            .remove("data");
        assert_ne!(
            compute_checksum(&with_null).unwrap(),
            compute_checksum(&absent).unwrap()
        );
    }

    #[test]
    fn meta_name_never_matters() {
        let base = compute_checksum(&sample()).unwrap();
        let mut renamed = sample();
        renamed["meta"]["name"] = json!("something else entirely");
        assert_eq!(compute_checksum(&renamed).unwrap(), base);
        let mut nameless = sample();
        nameless["meta"].as_object_mut().unwrap().remove("name");
        assert_eq!(compute_checksum(&nameless).unwrap(), base);
        let mut odd = sample();
        odd["meta"]["name"] = json!({"nested": [1, 2]});
        assert_eq!(compute_checksum(&odd).unwrap(), base);
    }

    #[test]
    fn other_fields_matter() {
        let base = compute_checksum(&sample()).unwrap();
        for (pointer, replacement) in [
            ("/meta/description", json!(" ")),
            ("/createdAt", json!(1700000000001u64)),
            ("/chainId", json!(1)),
            ("/transactions/0/value", json!("1")),
        ] {
            let mut changed = sample();
            *changed.pointer_mut(pointer).unwrap() = replacement;
            assert_ne!(compute_checksum(&changed).unwrap(), base, "{pointer}");
        }
    }

    #[test]
    fn stored_checksum_is_ignored_by_the_import_path_only() {
        let mut with_key = sample();
        with_key["meta"]["checksum"] = json!("0xdeadbeef");
        assert_eq!(
            compute_checksum(&with_key).unwrap(),
            compute_checksum(&sample()).unwrap()
        );
        assert_eq!(
            checksum_of_object_as_is(&sample()).unwrap(),
            compute_checksum(&sample()).unwrap()
        );
        assert_ne!(
            checksum_of_object_as_is(&with_key).unwrap(),
            compute_checksum(&with_key).unwrap()
        );
    }

    #[test]
    fn check_verdicts() {
        let computed = compute_checksum(&sample()).unwrap();
        let good = format_checksum(&computed);
        assert_eq!(good.len(), 66);
        assert!(good.starts_with("0x"));

        let mut file = sample();
        file["meta"]["checksum"] = json!(good.clone());
        assert_eq!(
            check(&file).unwrap(),
            ChecksumReport {
                stored: Some(good.clone()),
                computed: Some(computed),
                valid: true
            }
        );

        file["meta"]["checksum"] = json!(format!("0x{}", good[2..].to_uppercase()));
        assert!(!check(&file).unwrap().valid);

        file["meta"]["checksum"] = json!(42);
        let report = check(&file).unwrap();
        assert_eq!((report.stored, report.valid), (None, false));
        assert_eq!(report.computed, Some(computed));

        file["meta"].as_object_mut().unwrap().remove("checksum");
        let report = check(&file).unwrap();
        assert_eq!((report.stored, report.valid), (None, false));

        for meta in [json!(null), json!("text"), json!([1]), json!(3)] {
            file["meta"] = meta;
            assert_eq!(
                check(&file).unwrap(),
                ChecksumReport {
                    stored: None,
                    computed: None,
                    valid: false
                }
            );
            assert!(matches!(
                compute_checksum(&file),
                Err(ChecksumError::NoMetaObject)
            ));
        }
        file.as_object_mut().unwrap().remove("meta");
        assert!(!check(&file).unwrap().valid);
    }

    #[test]
    fn check_rejects_non_objects() {
        for v in [json!([]), json!(null), json!("x"), json!(1), json!(true)] {
            assert!(matches!(check(&v), Err(ChecksumError::NotAnObject { .. })));
            assert!(matches!(
                compute_checksum(&v),
                Err(ChecksumError::NotAnObject { .. })
            ));
        }
    }

    #[test]
    fn parse_errors_have_positions() {
        match parse_json("{\n  \"a\": 1,\n  oops\n}") {
            Err(ChecksumError::Json {
                line,
                column,
                message,
            }) => {
                assert_eq!((line, column), (3, 3));
                assert!(!message.contains("at line"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = parse_json("{").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn parse_skips_bom_and_keeps_last_duplicate() {
        let v = parse_json("\u{feff}{\"a\":1,\"a\":2}").unwrap();
        assert_eq!(v, json!({"a": 2}));
    }
}
