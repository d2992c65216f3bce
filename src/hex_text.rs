//! Bytes as `0x` and lower-case hex, written in pieces.
//!
//! Every output shows calldata this way: the batch's `data`, the decoded
//! trees, the typed data and the proposal. A large MultiSend's data takes
//! megabytes as hex, so it is written into its sink a piece at a time and
//! never held as one string.

use std::borrow::Cow;
use std::fmt;

use alloy_primitives::{Bytes, hex};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How many bytes are turned into digits at a time: large enough that the
/// cost of each write (escaping, checking) is spread over many digits.
const PIECE: usize = 256;

/// `0x` and the lower-case hex digits of the bytes: the same text as
/// `hex::encode_prefixed`. As `Display` it writes the digits; as `Serialize`
/// it is a JSON string of them.
#[derive(Clone, Copy, Debug)]
pub struct PrefixedHex<'a>(pub &'a [u8]);

impl fmt::Display for PrefixedHex<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str("0x")?;
        let mut digits = [0u8; 2 * PIECE];
        for piece in self.0.chunks(PIECE) {
            let digits = digits
                .get_mut(..piece.len().saturating_mul(2))
                .ok_or(fmt::Error)?;
            out.write_str(hex::encode_to_str(piece, digits).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl Serialize for PrefixedHex<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // serde_json writes what `collect_str` displays straight into its
        // writer, piece by piece.
        serializer.collect_str(self)
    }
}

/// For `#[serde(serialize_with)]` on a field of bytes.
pub fn serialize_prefixed<S: Serializer>(
    bytes: &impl AsRef<[u8]>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    PrefixedHex(bytes.as_ref()).serialize(serializer)
}

/// A field shown as `0x` hex: the bytes themselves when bundlec computed them
/// (written as [`PrefixedHex`], never held as text: a Safe transaction's data
/// is its whole MultiSend), or the text a file gave, kept as written (it is
/// compared, not trusted to be hex).
#[derive(Debug, Clone)]
pub enum HexField {
    Bytes(Bytes),
    Text(String),
}

impl HexField {
    /// The field's text: `0x` and lower-case digits for bytes.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            HexField::Bytes(bytes) => Cow::Owned(hex::encode_prefixed(bytes)),
            HexField::Text(text) => Cow::Borrowed(text),
        }
    }
}

/// Equal when the texts are: bytes are equal to the text they are written as.
impl PartialEq for HexField {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (HexField::Bytes(a), HexField::Bytes(b)) => a == b,
            (HexField::Text(a), HexField::Text(b)) => a == b,
            _ => self.text() == other.text(),
        }
    }
}

impl Eq for HexField {}

impl Serialize for HexField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            HexField::Bytes(bytes) => PrefixedHex(bytes).serialize(serializer),
            HexField::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for HexField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(HexField::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_as_encode_prefixed_at_every_piece_boundary() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3 * PIECE + 7).collect();
        for length in 0..=bytes.len() {
            let bytes = &bytes[..length];
            let expected = hex::encode_prefixed(bytes);
            assert_eq!(PrefixedHex(bytes).to_string(), expected);
            assert_eq!(
                serde_json::to_string(&PrefixedHex(bytes)).unwrap(),
                format!("\"{expected}\"")
            );
        }
    }

    #[test]
    fn a_hex_field_reads_back_as_the_text_it_writes() {
        let bytes = HexField::Bytes(Bytes::from_static(&[0x00, 0xab, 0xff]));
        let text = serde_json::to_string(&bytes).unwrap();
        assert_eq!(text, "\"0x00abff\"");
        let read: HexField = serde_json::from_str(&text).unwrap();
        assert!(matches!(&read, HexField::Text(t) if t == "0x00abff"));
        assert_eq!(read, bytes);
        assert_eq!(bytes.text(), "0x00abff");
        // A file's text is kept as written, whatever it holds.
        let odd: HexField = serde_json::from_str("\"0x00ABFF\"").unwrap();
        assert_ne!(odd, bytes);
        assert_eq!(odd.text(), "0x00ABFF");
    }
}
