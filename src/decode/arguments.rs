//! Decoding one call's arguments against its ABI function, strictly.
//!
//! alloy-dyn-abi does the decoding. This module adds what a signer needs on
//! top: the byte offset of whatever does not fit, and a canonical-encoding
//! check (re-encoding must give the input back), so dirty padding, odd offsets
//! or trailing bytes can never carry a second meaning past the decoder.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use alloy_json_abi::Function;

/// Why calldata does not match its function; offsets count from the selector.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calldata does not match {signature} at byte {offset}: {reason}")]
pub struct ArgumentError {
    pub signature: String,
    pub offset: usize,
    pub reason: String,
}

/// The resolved types of `function`'s inputs.
pub fn input_types(function: &Function) -> Result<Vec<DynSolType>, ArgumentError> {
    function
        .inputs
        .iter()
        .map(|param| {
            // Before resolving: decoding recurses once per level of the type.
            crate::abi::nesting::check_param(param).map_err(|e| ArgumentError {
                signature: function.name.clone(),
                offset: 0,
                reason: e.to_string(),
            })?;
            crate::abi::resolve(param).map_err(|e| ArgumentError {
                signature: function.signature(),
                offset: 0,
                reason: format!("the ABI's type `{}` cannot be used: {e}", param.ty),
            })
        })
        .collect()
}

/// Decodes `calldata` (selector included) as a call of `function`.
pub fn decode_arguments(
    function: &Function,
    calldata: &[u8],
) -> Result<Vec<DynSolValue>, ArgumentError> {
    decode_arguments_of(function, function.selector().0, calldata)
}

/// [`decode_arguments`] for a function whose selector the caller already
/// has: the registry indexes every function under its selector, so a function
/// found there by the calldata's selector is not hashed again for each call.
pub(crate) fn decode_arguments_of(
    function: &Function,
    selector_of_function: [u8; 4],
    calldata: &[u8],
) -> Result<Vec<DynSolValue>, ArgumentError> {
    let fail = |offset: usize, reason: String| ArgumentError {
        signature: function.signature(),
        offset,
        reason,
    };
    let Some((selector, body)) = calldata.split_first_chunk::<4>() else {
        return Err(fail(
            0,
            format!("{} bytes is too short for a selector", calldata.len()),
        ));
    };
    if *selector != selector_of_function {
        return Err(fail(0, "the selector is not this function's".into()));
    }
    decode_body(function, body)
}

/// Decodes the arguments after the selector (`body`) as `function`'s;
/// offsets in errors count from the selector.
fn decode_body(function: &Function, body: &[u8]) -> Result<Vec<DynSolValue>, ArgumentError> {
    let fail = |offset: usize, reason: String| ArgumentError {
        signature: function.signature(),
        offset,
        reason,
    };
    let types = input_types(function)?;
    // Before decoding: overlapping tails would make the decoder copy the same
    // bytes again and again (see `layout`).
    if let Err(err) = super::layout::check_layout(&types, body) {
        let argument = err
            .argument
            .and_then(|i| Some((i, function.inputs.get(i)?, types.get(i)?)))
            .map(|(i, param, ty)| {
                let name = if param.name.is_empty() {
                    String::new()
                } else {
                    format!(" `{}`", param.name)
                };
                format!("argument {i}{name} ({}): ", ty.sol_type_name())
            })
            .unwrap_or_default();
        return Err(fail(
            err.offset.saturating_add(4),
            format!("{argument}{}", err.reason),
        ));
    }
    let values = match DynSolType::Tuple(types.clone()).abi_decode_sequence(body) {
        Ok(DynSolValue::Tuple(values)) => values,
        Ok(_) => return Err(fail(4, "the decoder returned no argument list".into())),
        Err(err) => return Err(locate_failure(function, &types, body, &err.to_string())),
    };
    let reencoded = DynSolValue::Tuple(values.clone()).abi_encode_params();
    if reencoded != body {
        let first_difference = reencoded
            .iter()
            .zip(body)
            .position(|(a, b)| a != b)
            .unwrap_or(reencoded.len().min(body.len()));
        let extra = body.len().saturating_sub(reencoded.len());
        let reason = if extra > 0 && first_difference == reencoded.len() {
            format!("{extra} unexpected bytes after the arguments")
        } else {
            "the encoding is not canonical (dirty padding, unusual offsets or overlapping data)"
                .into()
        };
        // Offsets count from the selector; they stay within the calldata.
        return Err(fail(first_difference.saturating_add(4), reason));
    }
    // A `bytesN` value keeps its whole word, so the re-encoding above writes
    // back whatever padding it had; what people see is only its first N
    // bytes. Bytes hidden in that padding are refused here.
    if let Some(hidden) = dirty_fixed_bytes(&values) {
        return Err(fail(
            4,
            format!("a bytes{hidden} value has non-zero bytes in its padding, which no tool shows"),
        ));
    }
    Ok(values)
}

/// The size of the first `bytesN` value whose padding is not zero.
fn dirty_fixed_bytes(values: &[DynSolValue]) -> Option<usize> {
    let mut stack: Vec<&DynSolValue> = values.iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            DynSolValue::FixedBytes(word, size)
                if word
                    .get(*size..)
                    .is_some_and(|pad| pad.iter().any(|b| *b != 0)) =>
            {
                return Some(*size);
            }
            DynSolValue::Array(items)
            | DynSolValue::FixedArray(items)
            | DynSolValue::Tuple(items) => {
                stack.extend(items);
            }
            _ => {}
        }
    }
    None
}

/// Finds the first argument that does not decode by decoding ever longer
/// prefixes of the argument list; its head word is where the problem starts.
fn locate_failure(
    function: &Function,
    types: &[DynSolType],
    body: &[u8],
    message: &str,
) -> ArgumentError {
    let mut head_offset = 0usize;
    let mut prefix = Vec::with_capacity(types.len());
    for (index, ty) in types.iter().enumerate() {
        prefix.push(ty.clone());
        if let Err(err) = DynSolType::Tuple(prefix.clone()).abi_decode_sequence(body) {
            let name = function
                .inputs
                .get(index)
                .map(|p| p.name.as_str())
                .filter(|n| !n.is_empty())
                .map(|n| format!(" `{n}`"))
                .unwrap_or_default();
            return ArgumentError {
                signature: function.signature(),
                offset: head_offset.saturating_add(4),
                reason: format!(
                    "argument {index}{name} ({}) does not decode: {err}",
                    ty.sol_type_name()
                ),
            };
        }
        let head_words = if ty.is_dynamic() {
            1
        } else {
            ty.minimum_words()
        };
        head_offset = head_offset.saturating_add(head_words.saturating_mul(32));
    }
    ArgumentError {
        signature: function.signature(),
        offset: 4,
        reason: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(sig: &str) -> Function {
        Function::parse(sig).unwrap()
    }

    #[test]
    fn decodes_and_rejects_with_offsets() {
        let f = function("function transfer(address to, uint256 amount)");
        let mut data = f.selector().to_vec();
        data.extend_from_slice(&[0u8; 12]);
        data.extend_from_slice(&[0x11; 20]);
        data.extend_from_slice(&[0u8; 31]);
        data.push(5);
        let values = decode_arguments(&f, &data).unwrap();
        assert_eq!(values.len(), 2);

        // Dirty address padding: alloy may accept it, the canonical check does not.
        let mut dirty = data.clone();
        dirty[4] = 1;
        assert_eq!(decode_arguments(&f, &dirty).unwrap_err().offset, 4);

        let mut trailing = data.clone();
        trailing.push(0);
        let err = decode_arguments(&f, &trailing).unwrap_err();
        assert_eq!(err.offset, 68);
        assert!(err.reason.contains("unexpected bytes"), "{err}");

        // The address is whole, the amount is cut short: the error points at its head.
        let short = &data[..40];
        let err = decode_arguments(&f, short).unwrap_err();
        assert_eq!(err.offset, 36, "{err}");
        assert!(err.reason.contains("`amount`"), "{err}");
        assert!(err.to_string().contains("transfer(address,uint256)"));
    }

    #[test]
    fn names_the_failing_dynamic_argument() {
        let f = function("function f(uint256 a, bytes b)");
        let mut data = f.selector().to_vec();
        data.extend_from_slice(&[0u8; 32]);
        // Offset of `b` points far beyond the data.
        let mut offset = [0u8; 32];
        offset[31] = 0xff;
        data.extend_from_slice(&offset);
        let err = decode_arguments(&f, &data).unwrap_err();
        assert_eq!(err.offset, 36, "{err}");
        assert!(err.reason.contains("`b`"), "{err}");
    }
}
