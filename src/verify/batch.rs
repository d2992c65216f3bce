//! Reading a Transaction Builder batch from anywhere (bundlec's own, a
//! colleague's, an export from the Safe UI) into the calls the Safe will make.
//!
//! The rules are the Transaction Builder's: a truthy `data` string is sent as
//! it is and `contractMethod`/`contractInputsValues` are then only a label;
//! without `data` the call is encoded from method and values. A structurally
//! broken file (the UI would refuse it) is bad input; a label that disagrees
//! with the bytes is a finding.

use alloy_json_abi::Function;
use alloy_primitives::{Address, Bytes};
use serde_json::{Map, Value};

use super::findings::{Code, Findings};
use crate::parse::{parse_address, parse_hex_bytes, parse_uint256};
use crate::safe::batching::Call;
use crate::txbuilder::encode::{encode_method, method_function};

/// Why a batch file is not one the Transaction Builder would load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BatchError {
    pub path: String,
    pub message: String,
}

fn bad<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, BatchError> {
    Err(BatchError {
        path: path.into(),
        message: message.into(),
    })
}

/// The parts of a batch verify works with.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchContents {
    pub chain_id: Option<String>,
    pub created_from_safe: Option<String>,
    pub calls: Vec<Call>,
}

/// The chain and the Safe a batch says it was made for, as the Transaction
/// Builder reads them. The app compares `chainId` as a string with `!==`, so
/// a JSON number never matches any chain: it is kept, marked, so it cannot
/// compare equal either.
pub fn batch_identity(batch: &Value) -> (Option<String>, Option<String>) {
    let chain_id = match batch.get("chainId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(format!(
            "{other} (not a string, which the Safe app reads as another chain)"
        )),
    };
    let created_from_safe = batch
        .get("meta")
        .and_then(|m| m.get("createdFromSafeAddress"))
        .and_then(Value::as_str)
        .map(str::to_string);
    (chain_id, created_from_safe)
}

/// Reads the batch's calls; label checks go to `findings` under `tx N`.
pub fn read_batch(batch: &Value, findings: &mut Findings) -> Result<BatchContents, BatchError> {
    let Some(object) = batch.as_object() else {
        return bad("batch", "a batch file must be a JSON object");
    };
    let (chain_id, created_from_safe) = batch_identity(batch);
    let Some(transactions) = object.get("transactions").and_then(Value::as_array) else {
        return bad("batch", "`transactions` must be an array");
    };
    if transactions.is_empty() {
        return bad(
            "batch",
            "`transactions` is empty: the Transaction Builder loads it as an empty batch, but there is nothing to sign",
        );
    }
    let mut calls = Vec::with_capacity(transactions.len());
    for (index, tx) in transactions.iter().enumerate() {
        let call = read_transaction(index, tx, findings)?;
        calls.push(call);
    }
    Ok(BatchContents {
        chain_id,
        created_from_safe,
        calls,
    })
}

fn read_transaction(index: usize, tx: &Value, findings: &mut Findings) -> Result<Call, BatchError> {
    let path = format!("tx {index}");
    let Some(tx) = tx.as_object() else {
        return bad(path, "a transaction must be a JSON object");
    };
    let to = match tx.get("to") {
        Some(Value::String(s)) => parse_address(s).or_else(|e| bad(&path, format!("`to`: {e}")))?,
        _ => return bad(path, "`to` must be an address string"),
    };
    // The UI refuses a batch whose value is a JSON number.
    let value = match tx.get("value") {
        Some(Value::String(s)) => {
            parse_uint256(s).or_else(|e| bad(&path, format!("`value`: {e}")))?
        }
        _ => return bad(path, "`value` must be a decimal string of wei"),
    };
    let label = match tx.get("contractMethod") {
        None | Some(Value::Null) => None,
        Some(method) => Some(
            contract_method(method).or_else(|e| bad(&path, format!("`contractMethod`: {e}")))?,
        ),
    };
    let inputs = match tx.get("contractInputsValues") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => return bad(path, "`contractInputsValues` must be an object of strings"),
    };
    // JavaScript truthiness: "" and null are absent, "0x" is present (empty calldata).
    let raw_data = match tx.get("data") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => {
            Some(parse_hex_bytes(s).or_else(|e| bad(&path, format!("`data`: {e}")))?)
        }
        Some(_) => return bad(path, "`data` must be a hex string or null"),
    };
    // A method with values is a complete readable call, and must be the bytes.
    // A method without values next to explicit data is what the app exports
    // for custom data (it shows "Custom hex data" and ignores the method), so
    // it is no claim about the bytes; the decoded tree shows what they do.
    let labelled = match (&label, inputs, &raw_data) {
        (Some(function), Some(values), _) => Some(encode_method(function, values)),
        // Without data the app encodes the method from its values. With no
        // values object at all, reading the first input's value throws and
        // the app sends empty data; a method without inputs still encodes.
        (Some(function), None, None) if !function.inputs.is_empty() => {
            Some(Err("it has no contractInputsValues".into()))
        }
        (Some(function), None, None) => Some(encode_method(function, &Map::new())),
        _ => None,
    };
    // A bound on bundlec's work, not a label to judge: the batch is refused.
    if let Some(Err(err)) = &labelled
        && err.is_limit()
    {
        return bad(path, format!("`contractInputsValues`: {err}"));
    }
    let data = match (raw_data, labelled) {
        (Some(data), Some(Ok(encoded))) => {
            if encoded != data {
                findings.add(
                    Code::LabelMismatch,
                    &path,
                    format!(
                        "the readable method {} does not encode to this transaction's data: the bytes do something else",
                        signature_of(&label)
                    ),
                );
            }
            data
        }
        (Some(data), Some(Err(reason))) => {
            findings.add(
                Code::LabelMismatch,
                &path,
                format!("the readable method {} cannot be encoded ({reason}), so it does not describe the data", signature_of(&label)),
            );
            data
        }
        (Some(data), None) => data,
        (None, Some(Ok(encoded))) => {
            findings.add(
                Code::EncodedByApp,
                &path,
                format!(
                    "this transaction has no data: the Safe app will encode {} itself; the hashes shown assume it does so exactly as bundlec does",
                    signature_of(&label)
                ),
            );
            encoded
        }
        (None, Some(Err(reason))) => {
            findings.add(
                Code::ContractMethodUnencodable,
                &path,
                format!(
                    "the Safe app cannot encode {} ({reason}) and would silently send empty data instead",
                    signature_of(&label)
                ),
            );
            Bytes::new()
        }
        (None, None) => Bytes::new(),
    };
    Ok(Call { to, value, data })
}

fn signature_of(label: &Option<Function>) -> String {
    label
        .as_ref()
        .map_or_else(|| "?".into(), Function::signature)
}

/// The `contractMethod` object as an ABI function (`internalType` optional).
fn contract_method(method: &Value) -> Result<Function, String> {
    let name = method
        .get("name")
        .and_then(Value::as_str)
        .ok_or("`name` must be a string")?;
    let inputs = match method.get("inputs") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(inputs)) => inputs.as_slice(),
        Some(_) => return Err("`inputs` must be an array".into()),
    };
    let payable = method
        .get("payable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    method_function(name, inputs, payable).map_err(|e| e.to_string())
}

/// Reads `createdFromSafeAddress` leniently: any case, checksum not enforced
/// (the UI writes what the SDK gave it; the comparison is by value).
pub fn loose_address(text: &str) -> Option<Address> {
    let digits = text.strip_prefix("0x")?;
    if digits.len() != 40 {
        return None;
    }
    digits.parse().ok()
}
