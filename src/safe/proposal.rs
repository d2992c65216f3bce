//! The body the Safe Transaction Service takes to propose a Safe transaction
//! (`POST /api/v1/safes/{address}/multisig-transactions/`), as Safe's api-kit
//! `proposeTransaction` sends it:
//!
//! ```text
//! {
//!   "to": "0x…", "value": "0", "data": "0x…", "operation": 1,
//!   "safeTxGas": "0", "baseGas": "0", "gasPrice": "0",
//!   "gasToken": "0x0000…", "refundReceiver": "0x0000…", "nonce": "42",
//!   "contractTransactionHash": "0x…",   the safeTxHash
//!   "sender": null,                     the proposing owner's address: fill it in
//!   "signature": null,                  that owner's signature of the safeTxHash: fill it in
//!   "origin": "{\"name\":\"bundlec\",\"runbook\":\"pause\"}"
//! }
//! ```
//!
//! uint256 fields are decimal strings (the service's integer fields take
//! them, and they do not fit a JSON number), `operation` a number. The gas
//! field is `baseGas` for every version: the service's name for it.
//! bundlec never sends it: an operator fills in `sender` and `signature`
//! and posts it from a connected machine.

use alloy_primitives::{B256, Bytes};
use serde::Serialize;

use super::tx::SafeTx;
use super::view::{address, hash};
use crate::hex_text::serialize_prefixed;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    pub to: String,
    pub value: String,
    /// Written as `0x` hex in pieces: a large MultiSend's data is never held
    /// as text (and shares its bytes with the Safe transaction).
    #[serde(serialize_with = "serialize_prefixed")]
    pub data: Bytes,
    pub operation: u8,
    pub safe_tx_gas: String,
    pub base_gas: String,
    pub gas_price: String,
    pub gas_token: String,
    pub refund_receiver: String,
    pub nonce: String,
    pub contract_transaction_hash: String,
    /// Always `null` here: the proposer's address.
    pub sender: Option<String>,
    /// Always `null` here: the proposer's signature.
    pub signature: Option<String>,
    pub origin: String,
}

/// What `origin` says: bundlec and the runbook (its file name without `.toml`).
pub fn origin(runbook: &str) -> String {
    serde_json::json!({ "name": "bundlec", "runbook": runbook }).to_string()
}

impl Proposal {
    pub fn new(tx: &SafeTx, safe_tx_hash: B256, runbook: &str) -> Self {
        Proposal {
            to: address(tx.to),
            value: tx.value.to_string(),
            data: tx.data.clone(),
            operation: tx.operation,
            safe_tx_gas: tx.safe_tx_gas.to_string(),
            base_gas: tx.base_gas.to_string(),
            gas_price: tx.gas_price.to_string(),
            gas_token: address(tx.gas_token),
            refund_receiver: address(tx.refund_receiver),
            nonce: tx.nonce.to_string(),
            contract_transaction_hash: hash(safe_tx_hash),
            sender: None,
            signature: None,
            origin: origin(runbook),
        }
    }

    /// Two-space pretty JSON ending in a newline, as build writes it.
    pub fn write_json<W: std::io::Write>(&self, mut sink: W) -> Result<(), serde_json::Error> {
        crate::pretty::to_writer(&mut sink, self)?;
        sink.write_all(b"\n").map_err(serde_json::Error::io)
    }
}
