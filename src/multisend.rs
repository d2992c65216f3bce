//! The `multiSend(bytes)` codec shared by MultiSend and MultiSendCallOnly.
//!
//! The argument is a packed list of records, each
//! `uint8 operation ‖ address to ‖ uint256 value ‖ uint256 length ‖ data`,
//! ABI-encoded as a single `bytes`. Decoding is strict: a signer must never be
//! shown a reading of bytes that the contract would read differently, so any
//! slack the contract tolerates (odd offsets, dirty padding, trailing bytes) is
//! refused here, with the byte offset of the problem.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, sol};

use crate::safe::Operation;

sol! {
    function multiSend(bytes transactions);
}

/// The 4-byte selector of `multiSend(bytes)`.
pub const MULTI_SEND_SELECTOR: [u8; 4] = multiSendCall::SELECTOR;

/// The most records one payload may hold: as many calls as the largest batch
/// bundlec accepts, so a payload of empty records cannot make a signer's
/// machine build millions of tree nodes.
pub const MAX_RECORDS: usize = 100_000;

/// Bytes before a record's data: operation (1), to (20), value (32), length (32).
const RECORD_HEADER_LEN: usize = 85;
/// selector (4) + offset word (32) + length word (32).
const ENVELOPE_LEN: usize = 68;

/// One call inside a multiSend batch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultiSendRecord {
    pub operation: Operation,
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
}

/// Why bytes are not a well-formed `multiSend` call; `offset` counts from the
/// first byte of the calldata (the selector).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed multiSend calldata at byte {offset}: {reason}")]
pub struct MultiSendError {
    pub offset: usize,
    pub reason: String,
    /// The payload is well-formed so far but exceeds [`MAX_RECORDS`].
    pub limit_exceeded: bool,
}

fn fail<T>(offset: usize, reason: impl Into<String>) -> Result<T, MultiSendError> {
    Err(MultiSendError {
        offset,
        reason: reason.into(),
        limit_exceeded: false,
    })
}

/// The packed `transactions` argument for `records`.
pub fn encode_records(records: &[MultiSendRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_len(records));
    write_records(records, &mut out);
    out
}

/// The packed records' length: only a capacity hint, so saturating is harmless.
fn payload_len(records: &[MultiSendRecord]) -> usize {
    records.iter().fold(0usize, |sum, r| {
        sum.saturating_add(RECORD_HEADER_LEN)
            .saturating_add(r.data.len())
    })
}

fn write_records(records: &[MultiSendRecord], out: &mut Vec<u8>) {
    for record in records {
        out.push(record.operation.as_u8());
        out.extend_from_slice(record.to.as_slice());
        out.extend_from_slice(&record.value.to_be_bytes::<32>());
        out.extend_from_slice(&U256::from(record.data.len()).to_be_bytes::<32>());
        out.extend_from_slice(&record.data);
    }
}

/// `multiSend(bytes)` calldata for `records`: the ABI form of one `bytes`
/// argument (selector, the argument's offset, its length, the packed
/// records, zeros to a whole word), written in one buffer. Building the
/// packed records first and ABI-encoding them held the payload twice, and a
/// batch of 100,000 calls carries tens of megabytes of it.
pub fn encode(records: &[MultiSendRecord]) -> Bytes {
    let payload = payload_len(records);
    let capacity = ENVELOPE_LEN.saturating_add(payload).saturating_add(31);
    let mut out = Vec::with_capacity(capacity);
    out.extend_from_slice(&MULTI_SEND_SELECTOR);
    out.extend_from_slice(&U256::from(32u8).to_be_bytes::<32>());
    // The length word is written once the records are: it is what they took.
    out.resize(ENVELOPE_LEN, 0);
    write_records(records, &mut out);
    let written = out.len().saturating_sub(ENVELOPE_LEN);
    if let Some(word) = out.get_mut(ENVELOPE_LEN.saturating_sub(32)..ENVELOPE_LEN) {
        word.copy_from_slice(&U256::from(written).to_be_bytes::<32>());
    }
    let padding = (32usize.saturating_sub(written % 32)) % 32;
    out.resize(out.len().saturating_add(padding), 0);
    out.into()
}

/// Strictly decodes `multiSend(bytes)` calldata into its records.
pub fn decode(calldata: &[u8]) -> Result<Vec<MultiSendRecord>, MultiSendError> {
    let Some((selector, arguments)) = calldata.split_first_chunk::<4>() else {
        return fail(
            0,
            format!(
                "{} bytes is too short for a function selector",
                calldata.len()
            ),
        );
    };
    if *selector != MULTI_SEND_SELECTOR {
        return fail(
            0,
            format!(
                "selector 0x{} is not multiSend(bytes) (0x8d80ff0a)",
                alloy_primitives::hex::encode(selector)
            ),
        );
    }
    let Some((offset_word, length_word, payload)) =
        split_word(arguments).and_then(|(offset, rest)| {
            split_word(rest).map(|(length, payload)| (offset, length, payload))
        })
    else {
        return fail(
            calldata.len(),
            format!(
                "calldata ends after {} bytes; the ABI envelope needs {ENVELOPE_LEN}",
                calldata.len()
            ),
        );
    };
    let offset_word = U256::from_be_bytes(*offset_word);
    if offset_word != U256::from(32) {
        return fail(
            4,
            format!("the bytes argument's offset is {offset_word}, expected 32"),
        );
    }
    let declared = U256::from_be_bytes(*length_word);
    let available = payload.len();
    let Some((packed, after_packed)) = usize::try_from(declared)
        .ok()
        .and_then(|n| payload.split_at_checked(n))
    else {
        return fail(
            36,
            format!("the bytes argument claims {declared} bytes but only {available} follow"),
        );
    };
    // Offsets in errors count from the selector; none exceeds calldata.len().
    let packed_end = ENVELOPE_LEN.saturating_add(packed.len());
    // Zero bytes up to the next multiple of 32: (-len) mod 32.
    let padding_len = packed.len().wrapping_neg() % 32;
    let padded_end = packed_end.saturating_add(padding_len);
    let Some((padding, trailing)) = after_packed.split_at_checked(padding_len) else {
        return fail(
            calldata.len(),
            format!("padding is cut short: calldata should end at byte {padded_end}"),
        );
    };
    if let Some(dirty) = padding.iter().position(|&b| b != 0) {
        return fail(
            packed_end.saturating_add(dirty),
            "ABI padding byte is not zero",
        );
    }
    if !trailing.is_empty() {
        return fail(
            padded_end,
            format!("{} trailing bytes after the bytes argument", trailing.len()),
        );
    }

    let records = decode_records(packed, ENVELOPE_LEN)?;
    // The checks above should make this impossible; it guards the guarantee
    // that what a signer is shown re-encodes to exactly what they sign.
    if encode(&records).as_ref() != calldata {
        return fail(0, "decoded records do not re-encode to the same bytes");
    }
    Ok(records)
}

/// The first 32-byte word of `bytes` and the rest.
fn split_word(bytes: &[u8]) -> Option<(&[u8; 32], &[u8])> {
    bytes.split_first_chunk::<32>()
}

/// A record's header: everything before its data.
struct RecordHeader<'a> {
    operation: u8,
    to: &'a [u8; 20],
    value: &'a [u8; 32],
    data_len: &'a [u8; 32],
}

/// Splits a record's header from the bytes after it; `None` when fewer than
/// [`RECORD_HEADER_LEN`] bytes remain.
fn split_header(bytes: &[u8]) -> Option<(RecordHeader<'_>, &[u8])> {
    let (operation, rest) = bytes.split_first()?;
    let (to, rest) = rest.split_first_chunk::<20>()?;
    let (value, rest) = split_word(rest)?;
    let (data_len, rest) = split_word(rest)?;
    let header = RecordHeader {
        operation: *operation,
        to,
        value,
        data_len,
    };
    Some((header, rest))
}

/// Walks the packed records; `base` is their offset in the calldata, for errors.
fn decode_records(packed: &[u8], base: usize) -> Result<Vec<MultiSendRecord>, MultiSendError> {
    let mut records = Vec::new();
    let mut rest = packed;
    // The offset of `rest` in the calldata; it never exceeds the calldata's length.
    let mut at = base;
    while !rest.is_empty() {
        let index = records.len();
        if index == MAX_RECORDS {
            return Err(MultiSendError {
                offset: at,
                reason: format!("more than {MAX_RECORDS} records"),
                limit_exceeded: true,
            });
        }
        let Some((header, after_header)) = split_header(rest) else {
            return fail(
                at,
                format!(
                    "record {index} is truncated: its header needs {RECORD_HEADER_LEN} bytes, {} remain",
                    rest.len()
                ),
            );
        };
        let operation = match Operation::try_from(header.operation) {
            Ok(op) => op,
            Err(other) => {
                return fail(
                    at,
                    format!(
                        "record {index} has operation {other}; only 0 (CALL) and 1 (DELEGATECALL) exist"
                    ),
                );
            }
        };
        let declared = U256::from_be_bytes(*header.data_len);
        let remaining = after_header.len();
        let Some((data, next)) = usize::try_from(declared)
            .ok()
            .and_then(|n| after_header.split_at_checked(n))
        else {
            return fail(
                at.saturating_add(53),
                format!("record {index} claims {declared} data bytes but only {remaining} remain"),
            );
        };
        records.push(MultiSendRecord {
            operation,
            to: Address::from(*header.to),
            value: U256::from_be_bytes(*header.value),
            data: Bytes::copy_from_slice(data),
        });
        at = at
            .saturating_add(RECORD_HEADER_LEN)
            .saturating_add(data.len());
        rest = next;
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-buffer encoding is alloy's ABI encoding of the packed records,
    /// for payloads of every length modulo a word.
    #[test]
    fn encode_is_the_abi_encoding_of_the_packed_records() {
        for count in 0..3u8 {
            for len in 0..40usize {
                let records: Vec<MultiSendRecord> = (0..count)
                    .map(|n| record(n, &vec![n.wrapping_add(7); len]))
                    .collect();
                let alloy: Bytes = multiSendCall {
                    transactions: encode_records(&records).into(),
                }
                .abi_encode()
                .into();
                assert_eq!(encode(&records), alloy, "{count} records of {len} bytes");
            }
        }
    }

    fn record(n: u8, data: &[u8]) -> MultiSendRecord {
        MultiSendRecord {
            operation: Operation::Call,
            to: Address::repeat_byte(n),
            value: U256::from(n),
            data: Bytes::copy_from_slice(data),
        }
    }

    #[test]
    fn empty_batch_round_trips() {
        let calldata = encode(&[]);
        assert_eq!(calldata.len(), 68);
        assert_eq!(decode(&calldata).unwrap(), vec![]);
    }

    #[test]
    fn round_trips_and_reports_offsets() {
        let records = vec![record(1, &[0xaa; 3]), record(2, &[])];
        let calldata = encode(&records).to_vec();
        assert_eq!(decode(&calldata).unwrap(), records);

        let mut bad_op = calldata.clone();
        bad_op[68] = 2;
        assert_eq!(decode(&bad_op).unwrap_err().offset, 68);

        let mut dirty = calldata.clone();
        let last = dirty.len() - 1;
        dirty[last] = 1;
        assert_eq!(decode(&dirty).unwrap_err().offset, last);

        let mut trailing = calldata.clone();
        trailing.extend_from_slice(&[0; 32]);
        assert_eq!(decode(&trailing).unwrap_err().offset, calldata.len());

        let mut offset = calldata.clone();
        offset[35] = 0x40;
        assert_eq!(decode(&offset).unwrap_err().offset, 4);

        let mut long_len = calldata.clone();
        long_len[67] = 0xff;
        assert_eq!(decode(&long_len).unwrap_err().offset, 36);

        // A record whose length field claims more than the packed bytes hold.
        let mut overrun = calldata.clone();
        overrun[68 + 84] = 0xff;
        assert_eq!(decode(&overrun).unwrap_err().offset, 68 + 53);

        assert_eq!(decode(&[0x8d, 0x80]).unwrap_err().offset, 0);
        assert_eq!(decode(&[0, 0, 0, 0]).unwrap_err().offset, 0);
    }

    #[test]
    fn record_count_is_bounded() {
        let records = vec![record(0, &[]); MAX_RECORDS + 1];
        let err = decode(&encode(&records)).unwrap_err();
        assert!(err.limit_exceeded, "{err}");
        assert_eq!(err.offset, 68 + MAX_RECORDS * 85);
        assert_eq!(decode(&encode(&records[1..])).unwrap().len(), MAX_RECORDS);
    }

    #[test]
    fn truncated_record_header_is_rejected() {
        // A packed payload of 10 bytes cannot hold a record header.
        let calldata = multiSendCall {
            transactions: vec![0u8; 10].into(),
        }
        .abi_encode();
        let err = decode(&calldata).unwrap_err();
        assert_eq!(err.offset, 68);
        assert!(err.reason.contains("truncated"), "{err}");
    }
}
