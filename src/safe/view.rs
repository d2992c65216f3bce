//! The data form of a Safe transaction and its hashes, shared by every output
//! that shows one (`bundlec hash --json`, manifests, `bundlec verify --json`),
//! so the same transaction always reads the same way.
//!
//! Numbers are decimal strings (uint256 does not fit a JSON number), hashes and
//! data are 0x-prefixed lower-case hex, addresses are EIP-55 checksummed.

use alloy_primitives::{Address, B256, hex};
use serde::{Deserialize, Serialize};

use super::hash::{SafeMessageHashes, SafeTxHashes};
use super::tx::SafeTx;
use crate::hex_text::HexField;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeTxView {
    pub to: String,
    pub value: String,
    pub data: HexField,
    pub operation: String,
    pub safe_tx_gas: String,
    pub base_gas: String,
    pub gas_price: String,
    pub gas_token: String,
    pub refund_receiver: String,
    pub nonce: String,
    pub domain_hash: String,
    pub message_hash: String,
    pub safe_tx_hash: String,
}

impl SafeTxView {
    /// The view of `tx`, sharing its data (written as hex only when the
    /// view is serialized).
    pub fn new(tx: &SafeTx, hashes: &SafeTxHashes) -> Self {
        SafeTxView {
            to: address(tx.to),
            value: tx.value.to_string(),
            data: HexField::Bytes(tx.data.clone()),
            operation: tx.operation.to_string(),
            safe_tx_gas: tx.safe_tx_gas.to_string(),
            base_gas: tx.base_gas.to_string(),
            gas_price: tx.gas_price.to_string(),
            gas_token: address(tx.gas_token),
            refund_receiver: address(tx.refund_receiver),
            nonce: tx.nonce.to_string(),
            domain_hash: hash(hashes.domain_hash),
            message_hash: hash(hashes.message_hash),
            safe_tx_hash: hash(hashes.safe_tx_hash),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafeMessageView {
    pub message: String,
    pub domain_hash: String,
    pub message_hash: String,
    pub safe_message_hash: String,
}

impl SafeMessageView {
    pub fn new(message_bytes: &[u8], hashes: &SafeMessageHashes) -> Self {
        SafeMessageView {
            message: hex::encode_prefixed(message_bytes),
            domain_hash: hash(hashes.domain_hash),
            message_hash: hash(hashes.message_hash),
            safe_message_hash: hash(hashes.safe_message_hash),
        }
    }
}

pub fn address(a: Address) -> String {
    a.to_checksum(None)
}

pub fn hash(h: B256) -> String {
    hex::encode_prefixed(h)
}

/// `0x` + upper-case hex: how a Ledger displays the domain and message hashes.
pub fn ledger_hash(h: B256) -> String {
    format!("0x{}", hex::encode_upper(h))
}

/// The signed fields of `tx` after `to`, one per line, as a signer checks
/// them on the device: `data` as the caller shows it, the operation with its
/// name, and the gas field under the name the version hashes it with
/// (`dataGas` in 0.1.0).
pub fn field_lines(tx: &SafeTx, version: super::SafeVersion, data: &str) -> String {
    let operation = match tx.known_operation() {
        Some(op) => format!("{} ({})", tx.operation, op.name()),
        None => format!("{} (not an operation a Safe can execute)", tx.operation),
    };
    let gas_name = if version.uses_data_gas() {
        "dataGas"
    } else {
        "baseGas"
    };
    format!(
        "  value           {}\n  data            {data}\n  operation       {operation}\n  safeTxGas       {}\n  {gas_name:<16}{}\n  gasPrice        {}\n  gasToken        {}\n  refundReceiver  {}\n  nonce           {}\n",
        tx.value,
        tx.safe_tx_gas,
        tx.base_gas,
        tx.gas_price,
        address(tx.gas_token),
        address(tx.refund_receiver),
        tx.nonce,
    )
}

/// The lines a signer compares with the hardware wallet: the domain and
/// message hashes as a Ledger shows them (upper case), then the final hash.
/// Every command that shows a signable hash prints it through here.
pub fn device_hash_lines(
    domain_hash: B256,
    message_hash: B256,
    final_label: &str,
    final_hash: B256,
) -> String {
    let width = final_label.len().max(15) + 1;
    format!(
        "  {:<width$}{}\n  {:<width$}{}\n  {:<width$}{}\n",
        "Domain hash",
        ledger_hash(domain_hash),
        "Message hash",
        ledger_hash(message_hash),
        final_label,
        hash(final_hash),
    )
}
