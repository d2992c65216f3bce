//! Bytes as `0x` and lower-case hex, written in pieces.
//!
//! Every output shows calldata this way: the batch's `data`, the decoded
//! trees, the typed data and the proposal. A large MultiSend's data takes
//! megabytes as hex, so it is written into its sink a piece at a time and
//! never held as one string.

use std::fmt;

use alloy_primitives::hex;
use serde::{Serialize, Serializer};

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
}
