//! A check of the ABI layout before any value is decoded: every dynamic value
//! must sit exactly where a canonical encoder puts it, its tail right after
//! the previous one. The decoder would also accept tails that overlap, and
//! each overlapping copy costs memory again: a few hundred kilobytes of
//! offsets all pointing at one large payload decode into gigabytes. With
//! every tail in its own place, decoding costs at most a small multiple of the
//! input, and the walk itself is linear in it.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;

/// Where the layout stops being canonical; `offset` counts from the first
/// argument byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub offset: usize,
    pub reason: String,
    /// The top-level argument the problem is in.
    pub argument: Option<usize>,
}

fn fail<T>(offset: usize, reason: impl Into<String>) -> Result<T, LayoutError> {
    Err(LayoutError {
        offset,
        reason: reason.into(),
        argument: None,
    })
}

/// Checks that `data` lays out the arguments `types` canonically, and returns
/// where their encoding ends (bytes after that are for the caller to judge).
pub fn check_layout(types: &[DynSolType], data: &[u8]) -> Result<usize, LayoutError> {
    let in_argument = |index: usize| {
        move |mut err: LayoutError| {
            err.argument = Some(index);
            err
        }
    };
    // The walk below recurses once per level of each type.
    for (index, ty) in types.iter().enumerate() {
        crate::abi::nesting::check_type(ty)
            .or_else(|e| fail(0, e.to_string()))
            .map_err(in_argument(index))?;
    }
    let mut head = 0usize;
    for (index, ty) in types.iter().enumerate() {
        head = match head.checked_add(head_size(ty)) {
            Some(end) if end <= data.len() => end,
            _ => {
                return fail(head, "the data ends inside this argument")
                    .map_err(in_argument(index));
            }
        };
    }
    let mut position = 0usize;
    let mut tail = head;
    for (index, ty) in types.iter().enumerate() {
        if ty.is_dynamic() {
            tail = dynamic_at(ty, data, 0, position, tail).map_err(in_argument(index))?;
        }
        position = position.saturating_add(head_size(ty));
    }
    Ok(tail)
}

/// Checks the offset word at `head` (relative to `start`) of a dynamic value
/// that must begin at `tail`, then the value; returns where it ends.
fn dynamic_at(
    ty: &DynSolType,
    data: &[u8],
    start: usize,
    head: usize,
    tail: usize,
) -> Result<usize, LayoutError> {
    let offset = word(data, head)?;
    let expected = tail.saturating_sub(start);
    if offset != expected {
        return fail(
            head,
            format!(
                "offset {offset} should be {expected}: each value must follow the previous one"
            ),
        );
    }
    value(ty, data, tail)
}

/// The bytes a value takes in its sequence's head: one offset word for a
/// dynamic value, its whole encoding for a static one.
fn head_size(ty: &DynSolType) -> usize {
    if ty.is_dynamic() {
        32
    } else {
        ty.minimum_words().saturating_mul(32)
    }
}

/// Reads the 32-byte word at `pos` as a length or offset that fits in memory.
fn word(data: &[u8], pos: usize) -> Result<usize, LayoutError> {
    let Some(bytes) = pos.checked_add(32).and_then(|end| data.get(pos..end)) else {
        return fail(pos, "the data ends inside a length or offset word");
    };
    let value = U256::from_be_slice(bytes);
    match usize::try_from(value) {
        Ok(n) if n <= data.len() => Ok(n),
        _ => fail(
            pos,
            format!(
                "the length or offset {value} points beyond the {} bytes of data",
                data.len()
            ),
        ),
    }
}

/// Walks a sequence (a tuple's or an array's elements) encoded from `start`;
/// returns the end of its last tail.
fn sequence<'a, I>(types: I, data: &[u8], start: usize) -> Result<usize, LayoutError>
where
    I: Iterator<Item = &'a DynSolType> + Clone,
{
    let mut head_len = 0usize;
    for ty in types.clone() {
        head_len = match head_len.checked_add(head_size(ty)) {
            Some(n) if start.saturating_add(n) <= data.len() => n,
            _ => return fail(start, "the data is too short for the values' head"),
        };
    }
    let mut head = start;
    let mut tail = start.saturating_add(head_len);
    for ty in types {
        if ty.is_dynamic() {
            tail = dynamic_at(ty, data, start, head, tail)?;
        }
        head = head.saturating_add(head_size(ty));
    }
    Ok(tail)
}

/// Checks the dynamic value encoded at `pos`; returns where it ends.
fn value(ty: &DynSolType, data: &[u8], pos: usize) -> Result<usize, LayoutError> {
    match ty {
        DynSolType::Bytes | DynSolType::String => {
            let len = word(data, pos)?;
            let padded = len.div_ceil(32).saturating_mul(32);
            match pos.checked_add(32).and_then(|p| p.checked_add(padded)) {
                Some(end) if end <= data.len() => Ok(end),
                _ => fail(
                    pos,
                    format!("a length of {len} bytes runs past the end of the data"),
                ),
            }
        }
        DynSolType::Array(inner) => {
            let count = word(data, pos)?;
            let start = pos.saturating_add(32);
            // Even an element that takes no room in the head must not make the
            // walk loop over a count the data cannot hold.
            let per_element = head_size(inner).max(32);
            if count.saturating_mul(per_element) > data.len().saturating_sub(start) {
                return fail(
                    pos,
                    format!("an array of {count} elements cannot fit in the data"),
                );
            }
            sequence(std::iter::repeat_n(inner.as_ref(), count), data, start)
        }
        DynSolType::FixedArray(inner, count) => {
            sequence(std::iter::repeat_n(inner.as_ref(), *count), data, pos)
        }
        DynSolType::Tuple(components) => sequence(components.iter(), data, pos),
        // Static values have no tail.
        _ => Ok(pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_dyn_abi::DynSolValue;

    fn ty(s: &str) -> DynSolType {
        s.parse().unwrap()
    }

    #[test]
    fn canonical_encodings_pass() {
        let value = DynSolValue::Tuple(vec![
            DynSolValue::Uint(U256::from(7), 256),
            DynSolValue::Bytes(vec![1, 2, 3]),
            DynSolValue::Array(vec![
                DynSolValue::String("a".into()),
                DynSolValue::String("bc".into()),
            ]),
            DynSolValue::Tuple(vec![
                DynSolValue::Bool(true),
                DynSolValue::Bytes(vec![9; 40]),
            ]),
        ]);
        let data = value.abi_encode_params();
        let types = [
            ty("uint256"),
            ty("bytes"),
            ty("string[]"),
            ty("(bool,bytes)"),
        ];
        assert_eq!(check_layout(&types, &data).unwrap(), data.len());
    }

    #[test]
    fn overlapping_tails_are_refused() {
        // Two `bytes` arguments whose offsets both point at the same tail.
        let value = DynSolValue::Tuple(vec![
            DynSolValue::Bytes(vec![1; 4]),
            DynSolValue::Bytes(vec![1; 4]),
        ]);
        let mut data = value.abi_encode_params();
        data[63] = 0x40;
        let err = check_layout(&[ty("bytes"), ty("bytes")], &data).unwrap_err();
        assert_eq!(err.offset, 32, "{err:?}");
    }

    #[test]
    fn lengths_beyond_the_data_are_refused() {
        let mut data = DynSolValue::Tuple(vec![DynSolValue::Array(vec![])]).abi_encode_params();
        data[63] = 0xff;
        let err = check_layout(&[ty("uint256[]")], &data).unwrap_err();
        assert!(
            err.reason.contains("cannot fit") || err.reason.contains("beyond"),
            "{err:?}"
        );
    }
}
