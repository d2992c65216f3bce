//! A Safe transaction someone says is the one to sign: as the Safe Transaction
//! Service API returns it (camelCase), as the body that proposes it to the
//! service (`contractTransactionHash` for the hash; `sender`, `signature` and
//! `origin` are not read: see `safe::proposal`), or in bundlec's manifest form
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

/// A field under its name or one of its other spellings. Two spellings at
/// once are refused: which one a tool reads would decide what is signed.
fn field<'a>(
    object: &'a serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
) -> Result<Option<&'a Value>, GivenSafeTxError> {
    let mut found = std::iter::once(name)
        .chain(aliases.iter().copied())
        .filter_map(|n| object.get(n).map(|v| (n, v)));
    let first = found.next();
    if let (Some((a, _)), Some((b, _))) = (first, found.next()) {
        return Err(GivenSafeTxError(format!("both `{a}` and `{b}` are given")));
    }
    Ok(first.map(|(_, v)| v).filter(|v| !v.is_null()))
}

/// A required field: the Transaction Service and manifests always write all
/// ten, so a missing one is not silently zero.
fn required<'a>(
    object: &'a serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
) -> Result<&'a Value, GivenSafeTxError> {
    field(object, name, aliases)?.ok_or_else(|| GivenSafeTxError(format!("`{name}` is missing")))
}

fn uint(
    object: &serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
) -> Result<U256, GivenSafeTxError> {
    match required(object, name, aliases)? {
        Value::String(s) => {
            parse_uint256(s).map_err(|e| GivenSafeTxError(format!("`{name}`: {e}")))
        }
        Value::Number(n) => n
            .as_u64()
            .map(U256::from)
            .ok_or_else(|| GivenSafeTxError(format!("`{name}` must be a non-negative integer"))),
        _ => Err(GivenSafeTxError(format!(
            "`{name}` must be a number or a decimal string"
        ))),
    }
}

fn address(
    object: &serde_json::Map<String, Value>,
    name: &str,
    aliases: &[&str],
) -> Result<Address, GivenSafeTxError> {
    match required(object, name, aliases)? {
        Value::String(s) => {
            parse_address(s).map_err(|e| GivenSafeTxError(format!("`{name}`: {e}")))
        }
        _ => Err(GivenSafeTxError(format!(
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
    // The Transaction Service writes `data: null` for a call without data.
    let data: Bytes = match field(object, "data", &[])? {
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
    let operation = uint(object, "operation", &[])?;
    let operation = u8::try_from(operation)
        .map_err(|_| GivenSafeTxError(format!("`operation` {operation} is not a uint8")))?;
    let tx = SafeTx {
        to: address(object, "to", &[])?,
        value: uint(object, "value", &[])?,
        data,
        operation,
        safe_tx_gas: uint(object, "safeTxGas", &["safe_tx_gas"])?,
        base_gas: uint(object, "baseGas", &["base_gas", "dataGas"])?,
        gas_price: uint(object, "gasPrice", &["gas_price"])?,
        gas_token: address(object, "gasToken", &["gas_token"])?,
        refund_receiver: address(object, "refundReceiver", &["refund_receiver"])?,
        nonce: uint(object, "nonce", &[])?,
    };
    let claimed_hash =
        match field(
            object,
            "safeTxHash",
            &["safe_tx_hash", "contractTransactionHash"],
        )? {
            None => None,
            Some(Value::String(s)) => Some(s.parse::<B256>().map_err(|_| {
                GivenSafeTxError("`safeTxHash` must be 0x and 64 hex digits".into())
            })?),
            Some(_) => return Err(GivenSafeTxError("`safeTxHash` must be a string".into())),
        };
    Ok(GivenSafeTx { tx, claimed_hash })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service() -> Value {
        json!({
            "to": "0x5555555555555555555555555555555555555555", "value": "0", "data": null,
            "operation": 0, "safeTxGas": "0", "baseGas": "0", "gasPrice": "0",
            "gasToken": "0x0000000000000000000000000000000000000000",
            "refundReceiver": "0x0000000000000000000000000000000000000000", "nonce": 3,
            "dataDecoded": { "method": "anything" },
        })
    }

    #[test]
    fn reads_the_service_form() {
        let given = parse_given_safe_tx(&service()).unwrap();
        assert_eq!(given.tx.nonce, U256::from(3));
        assert!(given.tx.data.is_empty());
    }

    #[test]
    fn reads_the_proposal_form() {
        let mut v = service();
        let hash = format!("0x{}", "ab".repeat(32));
        v["contractTransactionHash"] = json!(hash);
        v["sender"] = Value::Null;
        v["signature"] = Value::Null;
        v["origin"] = json!("{\"name\":\"bundlec\"}");
        let given = parse_given_safe_tx(&v).unwrap();
        assert_eq!(given.claimed_hash, Some(hash.parse().unwrap()));
    }

    #[test]
    fn missing_fields_and_double_spellings_are_refused() {
        for key in [
            "gasPrice",
            "gasToken",
            "refundReceiver",
            "safeTxGas",
            "baseGas",
            "nonce",
        ] {
            let mut v = service();
            v.as_object_mut().unwrap().remove(key);
            let err = parse_given_safe_tx(&v).unwrap_err();
            assert!(err.to_string().contains(key), "{err}");
        }
        let mut v = service();
        v["safeTxHash"] = json!(format!("0x{}", "11".repeat(32)));
        v["contractTransactionHash"] = json!(format!("0x{}", "22".repeat(32)));
        let err = parse_given_safe_tx(&v).unwrap_err();
        assert!(
            err.to_string()
                .contains("both `safeTxHash` and `contractTransactionHash`"),
            "{err}"
        );
        let mut v = service();
        v["dataGas"] = json!("5");
        let err = parse_given_safe_tx(&v).unwrap_err();
        assert!(
            err.to_string().contains("both `baseGas` and `dataGas`"),
            "{err}"
        );
    }
}
