//! The layout of every JSON file bundlec writes: serde_json's two-space
//! pretty printing, byte for byte, with each line break and its indentation
//! written in one piece.
//!
//! serde_json's `PrettyFormatter` writes a line's indentation two spaces at
//! a time, so a key ten levels deep costs eleven writes. A manifest's
//! decoded trees are that deep for every call, and each write goes through
//! the output's checking writer: the indentation alone was a seventh of
//! build's instructions. [`Pretty`] is the same layout through serde_json's
//! own `Formatter` extension point; only the number of writes differs.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// A comma, a line break and the indentation of 64 levels: every line break
/// is a slice of it (deeper lines write the rest of their spaces after).
const LINE: &[u8] = b",\n                                                                                                                                ";

/// The spaces after the line break in [`LINE`].
const SPACES: usize = LINE.len() - 2;

/// serde_json's `PrettyFormatter` with a two-space indent: the same bytes.
#[derive(Debug, Default, Clone)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// `,` when `comma`, then a line break and the indentation of the
    /// current depth.
    fn line<W: ?Sized + io::Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        let mut spaces = self.depth.saturating_mul(2);
        let now = spaces.min(SPACES);
        let start = usize::from(!comma);
        writer.write_all(LINE.get(start..2 + now).unwrap_or_default())?;
        spaces -= now;
        while spaces > 0 {
            let now = spaces.min(SPACES);
            writer.write_all(LINE.get(2..2 + now).unwrap_or_default())?;
            spaces -= now;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_add(1);
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, !first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` into `writer` as `serde_json::to_writer_pretty` writes it.
pub fn to_writer<W: io::Write, T: ?Sized + Serialize>(
    writer: W,
    value: &T,
) -> Result<(), serde_json::Error> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        writer,
        Pretty::default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn written(value: &Value) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Nested `depth` deep in alternating arrays and objects, with empty
    /// ones, scalars and several members at every level.
    fn nested(depth: usize) -> Value {
        (0..depth).fold(json!("leaf"), |inner, level| {
            if level % 2 == 0 {
                json!([inner, [], {}, level, null, [[]], [{}]])
            } else {
                json!({ "a": inner, "b": {}, "c": [], "d": "x\ny", "e": { "f": [1, 2.5] } })
            }
        })
    }

    #[test]
    fn the_same_bytes_as_serde_jsons_pretty_printer() {
        let values = [
            json!(null),
            json!([]),
            json!({}),
            json!([[]]),
            json!({"a": {}}),
            json!([1, "two", [3, [4, {"five": [6]}]]]),
            json!({"k": [{"x": 1}, {"y": [true, false]}], "z": {"w": {}}}),
        ];
        for value in values {
            assert_eq!(
                written(&value),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
        // Past the 64 levels written in one piece.
        for depth in [0, 1, 2, 31, 32, 33, 63, 64, 65, 66, 100, 129, 200] {
            let value = nested(depth);
            assert_eq!(
                written(&value),
                serde_json::to_string_pretty(&value).unwrap(),
                "depth {depth}"
            );
        }
    }
}
