//! A Safe transaction as EIP-712 typed data, the JSON `eth_signTypedData_v4`
//! takes: what a wallet shows field by field and signs, whose signing hash is
//! the safeTxHash.
//!
//! ```text
//! {
//!   "types": {
//!     "EIP712Domain": [ {"name": "chainId", "type": "uint256"},     from Safe 1.3.0 only
//!                       {"name": "verifyingContract", "type": "address"} ],
//!     "SafeTx": [ to, value, data, operation, safeTxGas,
//!                 baseGas (dataGas below 1.0.0), gasPrice, gasToken, refundReceiver, nonce ]
//!   },
//!   "primaryType": "SafeTx",
//!   "domain": { "chainId": 1, "verifyingContract": "0x…" },  chainId from 1.3.0, a JSON number
//!   "message": { "to": "0x…", "value": "0", "data": "0x…", "operation": "1", …, "nonce": "42" }
//! }
//! ```
//!
//! Numbers in `message` are decimal strings (a uint256 does not fit a JSON
//! number), addresses EIP-55, `data` 0x hex. The version rules are
//! [`SafeVersion::domain_has_chain_id`] and [`SafeVersion::uses_data_gas`],
//! the same ones [`super::hash`] hashes with.

use alloy_primitives::{Address, Bytes};
use serde::Serialize;

use super::tx::SafeTx;
use super::version::SafeVersion;
use super::view::address;
use crate::hex_text::PrefixedHex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypedField {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Types {
    #[serde(rename = "EIP712Domain")]
    pub eip712_domain: Vec<TypedField>,
    #[serde(rename = "SafeTx")]
    pub safe_tx: Vec<TypedField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_id: Option<u64>,
    pub verifying_contract: String,
}

/// The SafeTx message; `gas_name` decides whether the gas field is written
/// `baseGas` or `dataGas` (see [`Message::serialize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub value: String,
    /// Written as `0x` hex in pieces: a large MultiSend's data is never held
    /// as text (and shares its bytes with the Safe transaction).
    pub data: Bytes,
    pub operation: String,
    pub safe_tx_gas: String,
    pub base_gas: String,
    pub gas_name: &'static str,
    pub gas_price: String,
    pub gas_token: String,
    pub refund_receiver: String,
    pub nonce: String,
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(10))?;
        map.serialize_entry("to", &self.to)?;
        map.serialize_entry("value", &self.value)?;
        map.serialize_entry("data", &PrefixedHex(&self.data))?;
        map.serialize_entry("operation", &self.operation)?;
        map.serialize_entry("safeTxGas", &self.safe_tx_gas)?;
        map.serialize_entry(self.gas_name, &self.base_gas)?;
        map.serialize_entry("gasPrice", &self.gas_price)?;
        map.serialize_entry("gasToken", &self.gas_token)?;
        map.serialize_entry("refundReceiver", &self.refund_receiver)?;
        map.serialize_entry("nonce", &self.nonce)?;
        map.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeTxTypedData {
    pub types: Types,
    pub primary_type: &'static str,
    pub domain: Domain,
    pub message: Message,
}

/// The name of the SafeTx gas field after `safeTxGas` in `version`.
pub fn gas_field_name(version: SafeVersion) -> &'static str {
    if version.uses_data_gas() {
        "dataGas"
    } else {
        "baseGas"
    }
}

/// The typed data of `tx` executed by `safe` (of `version`) on `chain_id`.
pub fn safe_tx_typed_data(
    version: SafeVersion,
    chain_id: u64,
    safe: Address,
    tx: &SafeTx,
) -> SafeTxTypedData {
    let field = |name, kind| TypedField { name, kind };
    let mut eip712_domain = Vec::with_capacity(2);
    if version.domain_has_chain_id() {
        eip712_domain.push(field("chainId", "uint256"));
    }
    eip712_domain.push(field("verifyingContract", "address"));
    let gas_name = gas_field_name(version);
    SafeTxTypedData {
        types: Types {
            eip712_domain,
            safe_tx: vec![
                field("to", "address"),
                field("value", "uint256"),
                field("data", "bytes"),
                field("operation", "uint8"),
                field("safeTxGas", "uint256"),
                field(gas_name, "uint256"),
                field("gasPrice", "uint256"),
                field("gasToken", "address"),
                field("refundReceiver", "address"),
                field("nonce", "uint256"),
            ],
        },
        primary_type: "SafeTx",
        domain: Domain {
            chain_id: version.domain_has_chain_id().then_some(chain_id),
            verifying_contract: address(safe),
        },
        message: Message {
            to: address(tx.to),
            value: tx.value.to_string(),
            data: tx.data.clone(),
            operation: tx.operation.to_string(),
            safe_tx_gas: tx.safe_tx_gas.to_string(),
            base_gas: tx.base_gas.to_string(),
            gas_name,
            gas_price: tx.gas_price.to_string(),
            gas_token: address(tx.gas_token),
            refund_receiver: address(tx.refund_receiver),
            nonce: tx.nonce.to_string(),
        },
    }
}

impl SafeTxTypedData {
    /// Two-space pretty JSON ending in a newline, as build writes it.
    pub fn write_json<W: std::io::Write>(&self, mut sink: W) -> Result<(), serde_json::Error> {
        crate::pretty::to_writer(&mut sink, self)?;
        sink.write_all(b"\n").map_err(serde_json::Error::io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{U256, address};

    #[test]
    fn version_rules_shape_the_domain_and_the_gas_field() {
        let tx = SafeTx::new(
            address!("0x5555555555555555555555555555555555555555"),
            U256::ZERO,
            Default::default(),
            super::super::Operation::Call,
            U256::from(7),
        );
        let safe = address!("0x1111111111111111111111111111111111111111");
        let old: SafeVersion = "0.1.0".parse().unwrap();
        let json = serde_json::to_value(safe_tx_typed_data(old, 1, safe, &tx)).unwrap();
        assert!(json["domain"].get("chainId").is_none());
        assert_eq!(json["message"]["dataGas"], "0");
        assert!(json["message"].get("baseGas").is_none());
        assert_eq!(json["types"]["EIP712Domain"].as_array().unwrap().len(), 1);
        let new: SafeVersion = "1.3.0".parse().unwrap();
        let json = serde_json::to_value(safe_tx_typed_data(new, 10, safe, &tx)).unwrap();
        assert_eq!(json["domain"]["chainId"], 10);
        assert_eq!(json["message"]["baseGas"], "0");
        assert_eq!(json["message"]["nonce"], "7");
        assert_eq!(json["primaryType"], "SafeTx");
    }
}
