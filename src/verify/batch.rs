//! Reading a Transaction Builder batch from anywhere (bundlec's own, a
//! colleague's, an export from the Safe UI) into the calls the Safe will make.
//!
//! The rules are the Transaction Builder's: a truthy `data` string is sent as
//! it is and `contractMethod`/`contractInputsValues` are then only a label;
//! without `data` the call is encoded from method and values. A structurally
//! broken file (the UI would refuse it) is bad input; a label that disagrees
//! with the bytes is a finding.

use alloy_primitives::{Address, Bytes};

use super::findings::{Code, Findings};
use crate::memo::Selectors;
use crate::parse::{parse_address, parse_hex_bytes, parse_uint256};
use crate::safe::batching::Call;
use crate::txbuilder::encode::{AppEncoding, PreparedMethod, method_label, refused_for_numbers};
use crate::txbuilder::tree::{JsonTree, Node, identical};

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
pub fn batch_identity(batch: &impl JsonTree) -> (Option<String>, Option<String>) {
    let chain_id = batch.get("chainId").and_then(|chain| match chain.node() {
        Node::Null => None,
        Node::String(s) => Some(s.to_string()),
        _ => Some(format!(
            "{} (not a string, which the Safe app reads as another chain)",
            chain.as_value()
        )),
    });
    let created_from_safe = batch
        .get("meta")
        .and_then(|m| m.get("createdFromSafeAddress"))
        .and_then(JsonTree::as_str)
        .map(str::to_string);
    (chain_id, created_from_safe)
}

/// Reads the batch's calls; label checks go to `findings` under `tx N`.
pub fn read_batch(
    batch: &impl JsonTree,
    findings: &mut Findings,
) -> Result<BatchContents, BatchError> {
    if !batch.is_object() {
        return bad("batch", "a batch file must be a JSON object");
    }
    let (chain_id, created_from_safe) = batch_identity(batch);
    let Some(transactions) = batch.get("transactions").and_then(JsonTree::as_array) else {
        return bad("batch", "`transactions` must be an array");
    };
    if transactions.is_empty() {
        return bad(
            "batch",
            "`transactions` is empty: the Transaction Builder loads it as an empty batch, but there is nothing to sign",
        );
    }
    let mut calls = Vec::with_capacity(transactions.len());
    let selectors = Selectors::new();
    let mut last_method = None;
    for (index, tx) in transactions.iter().enumerate() {
        let call = read_transaction(index, tx, &selectors, &mut last_method, findings)?;
        calls.push(call);
    }
    Ok(BatchContents {
        chain_id,
        created_from_safe,
        calls,
    })
}

/// The last `contractMethod` read, as the app's encoding reads it: a batch
/// of thousands of calls to one function repeats the same method in each.
type LastMethod<'a, J> = Option<(&'a J, MethodRead)>;

/// A `contractMethod` copied as a `serde_json` value, and read once for the
/// app's encoding.
struct MethodRead {
    json: serde_json::Value,
    prepared: PreparedMethod,
}

fn read_transaction<'a, J: JsonTree>(
    index: usize,
    tx: &'a J,
    selectors: &Selectors,
    last_method: &mut LastMethod<'a, J>,
    findings: &mut Findings,
) -> Result<Call, BatchError> {
    let path = format!("tx {index}");
    if !tx.is_object() {
        return bad(path, "a transaction must be a JSON object");
    }
    // JavaScript truthiness: "" and null are absent, "0x" is present (empty calldata).
    let raw_data = match tx.get("data").map(JsonTree::node) {
        None | Some(Node::Null) => None,
        Some(Node::String("")) => None,
        // Safe{Wallet} builds the MultiSend with viem, which reads only a
        // lowercase `0x` as hex: `0X…` would be sent as its characters.
        Some(Node::String(s)) if s.starts_with("0X") => {
            return bad(
                path,
                "`data` begins with `0X`: Safe{Wallet} reads only a lowercase `0x` as hex and would send these characters as text, not these bytes",
            );
        }
        Some(Node::String(s)) => {
            Some(parse_hex_bytes(s).or_else(|e| bad(&path, format!("`data`: {e}")))?)
        }
        Some(_) => return bad(path, "`data` must be a hex string or null"),
    };
    let to = match tx.get("to").and_then(JsonTree::as_str) {
        Some(s) if s.starts_with("0X") => {
            return bad(
                path,
                "`to` begins with `0X`: Safe{Wallet} reads only a lowercase `0x` as hex",
            );
        }
        Some(s) => parse_address(s).or_else(|e| {
            let app = if raw_data.is_none() {
                " (the Transaction Builder fails to import this file and shows nothing)"
            } else {
                ""
            };
            bad(&path, format!("`to`: {e}{app}"))
        })?,
        _ => return bad(path, "`to` must be an address string"),
    };
    // The UI refuses a batch whose value is a JSON number.
    let value = match tx.get("value").and_then(JsonTree::as_str) {
        Some(s) => parse_uint256(s).or_else(|e| bad(&path, format!("`value`: {e}")))?,
        _ => return bad(path, "`value` must be a decimal string of wei"),
    };
    // The app's encoding reads these as `serde_json` values: copied here,
    // one call's at a time (the method once while it repeats), when the
    // batch was read as borrowed text.
    let method = match tx.get("contractMethod").filter(|m| !m.is_null()) {
        Some(method) => {
            if last_method
                .as_ref()
                .is_none_or(|(last, _)| !identical(*last, method))
            {
                let json = method.as_value().into_owned();
                let prepared = PreparedMethod::new(Some(&json));
                *last_method = Some((method, MethodRead { json, prepared }));
            }
            last_method.as_ref().map(|(_, read)| read)
        }
        None => None,
    };
    let values = tx
        .get("contractInputsValues")
        .filter(|v| !v.is_null())
        .map(JsonTree::as_value);
    let values = values.as_deref();
    if refused_for_numbers(values) {
        return bad(
            path,
            "`contractInputsValues` holds a JSON number: the Transaction Builder refuses the whole file (\"Make sure all numbers are encoded as strings\")",
        );
    }
    // A method with values is a complete readable call, and must be the bytes.
    // A method without values next to explicit data is what the app exports
    // for custom data (it shows "Custom hex data" and ignores the method), so
    // it is no claim about the bytes; the decoded tree shows what they do.
    // Without data the app encodes the method from its values.
    let encoding = match (method, values, &raw_data) {
        (Some(method), Some(_), _) | (Some(method), None, None) => {
            Some(method.prepared.encode(values, selectors))
        }
        _ => None,
    };
    let method = method.map(|read| &read.json);
    let encoding = match encoding {
        // A bound on bundlec's work, not a label to judge: the batch is refused.
        Some(Err(err)) => return bad(path, format!("`contractMethod`: {err}")),
        Some(Ok(encoding)) => Some(encoding),
        None => None,
    };
    let label = method_label(method);
    let data = match (raw_data, encoding) {
        (Some(data), Some(AppEncoding::Calldata(encoded))) => {
            if encoded.data != data {
                findings.add(
                    Code::LabelMismatch,
                    &path,
                    format!(
                        "the readable method {} does not encode to this transaction's data: the bytes do something else",
                        encoded.signature
                    ),
                );
            }
            data
        }
        (Some(data), Some(AppEncoding::Empty(reason))) => {
            findings.add(
                Code::LabelMismatch,
                &path,
                format!("the readable method {label} cannot be encoded ({reason}), so it does not describe the data"),
            );
            data
        }
        (Some(data), None) => data,
        (None, Some(AppEncoding::Calldata(encoded))) => {
            findings.add(
                Code::EncodedByApp,
                &path,
                format!(
                    "this transaction has no data: the Safe app encodes {} from its values itself; the bytes and hashes shown are the ones bundlec's model of the app gives",
                    encoded.signature
                ),
            );
            if !encoded.differences.is_empty() {
                findings.add(
                    Code::AppEncodingDiffers,
                    &path,
                    format!(
                        "the Safe app's bytes for {} differ from what the file's text says: {}; the data and hashes shown are what the app sends",
                        encoded.signature,
                        encoded.differences.join("; ")
                    ),
                );
            }
            encoded.data
        }
        (None, Some(AppEncoding::Empty(reason))) => {
            findings.add(
                Code::ContractMethodUnencodable,
                &path,
                format!(
                    "the Safe app does not encode {label} ({reason}): it sends the call with empty data (`0x`) instead, without showing an error"
                ),
            );
            Bytes::new()
        }
        (None, None) => Bytes::new(),
    };
    Ok(Call { to, value, data })
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
