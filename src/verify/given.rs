//! A Safe transaction someone says is the one to sign: as the Safe Transaction
//! Service API returns it (camelCase) or in bundlec's manifest form
//! (snake_case). Its `dataDecoded` is never read: only bytes are trusted.

use alloy_primitives::{Address, B256, Bytes, U256};
use serde_json::Value;

use crate::parse::{parse_address, parse_hex_bytes, parse_uint256};
use crate::safe::SafeTx;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenSafeTx {
    pub tx: SafeTx,
    /// The hash the source claims for it, if it states one.
    pub claimed_hash: Option<B256>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Safe transaction: {0}")]
pub struct GivenSafeTxError(pub String);

/// Reads a field by its name or, failing that, by one of its other spellings.
fn field<'a>(
    object: &'a serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
) -> Option<&'a Value> {
    std::iter::once(name)
        .chain(aliases.iter().copied())
        .find_map(|n| object.get(n))
        .filter(|v| !v.is_null())
}

fn uint(
    object: &serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
    default_zero: bool,
) -> Result<U256, GivenSafeTxError> {
    match field(object, name, aliases) {
        None if default_zero => Ok(U256::ZERO),
        None => Err(GivenSafeTxError(format!("`{name}` is missing"))),
        Some(Value::String(s)) => {
            parse_uint256(s).map_err(|e| GivenSafeTxError(format!("`{name}`: {e}")))
        }
        Some(Value::Number(n)) => n
            .as_u64()
            .map(U256::from)
            .ok_or_else(|| GivenSafeTxError(format!("`{name}` must be a non-negative integer"))),
        Some(_) => Err(GivenSafeTxError(format!(
            "`{name}` must be a number or a decimal string"
        ))),
    }
}

fn address(
    object: &serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
    default_zero: bool,
) -> Result<Address, GivenSafeTxError> {
    match field(object, name, aliases) {
        None if default_zero => Ok(Address::ZERO),
        None => Err(GivenSafeTxError(format!("`{name}` is missing"))),
        Some(Value::String(s)) => {
            parse_address(s).map_err(|e| GivenSafeTxError(format!("`{name}`: {e}")))
        }
        Some(_) => Err(GivenSafeTxError(format!(
            "`{name}` must be an address string"
        ))),
    }
}

/// Parses either form. A manifest (with `safe_transactions` or `batches`)
/// is not accepted here: the caller picks the transaction from it.
pub fn parse_given_safe_tx(value: &Value) -> Result<GivenSafeTx, GivenSafeTxError> {
    let Some(object) = value.as_object() else {
        return Err(GivenSafeTxError("expected a JSON object".into()));
    };
    let data: Bytes = match field(object, "data", &[]) {
        None => Bytes::new(),
        Some(Value::String(s)) => {
            parse_hex_bytes(s).map_err(|e| GivenSafeTxError(format!("`data`: {e}")))?
        }
        Some(_) => {
            return Err(GivenSafeTxError(
                "`data` must be a hex string or null".into(),
            ));
        }
    };
    let operation = uint(object, "operation", &[], false)?;
    let operation = u8::try_from(operation)
        .map_err(|_| GivenSafeTxError(format!("`operation` {operation} is not a uint8")))?;
    let tx = SafeTx {
        to: address(object, "to", &[], false)?,
        value: uint(object, "value", &[], false)?,
        data,
        operation,
        safe_tx_gas: uint(object, "safeTxGas", &["safe_tx_gas"], true)?,
        base_gas: uint(object, "baseGas", &["base_gas", "dataGas"], true)?,
        gas_price: uint(object, "gasPrice", &["gas_price"], true)?,
        gas_token: address(object, "gasToken", &["gas_token"], true)?,
        refund_receiver: address(object, "refundReceiver", &["refund_receiver"], true)?,
        nonce: uint(object, "nonce", &[], false)?,
    };
    let claimed_hash =
        match field(object, "safeTxHash", &["safe_tx_hash"]) {
            None => None,
            Some(Value::String(s)) => Some(s.parse::<B256>().map_err(|_| {
                GivenSafeTxError("`safeTxHash` must be 0x and 64 hex digits".into())
            })?),
            Some(_) => return Err(GivenSafeTxError("`safeTxHash` must be a string".into())),
        };
    Ok(GivenSafeTx { tx, claimed_hash })
}
