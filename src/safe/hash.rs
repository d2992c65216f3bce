//! EIP-712 hashing of Safe transactions and messages, for every Safe version.
//!
//! The domain and struct encodings come from alloy-sol-types' EIP-712
//! implementation; this module only decides, per version, which domain fields
//! and which SafeTx type string apply (see [`SafeVersion`]).

use alloy_primitives::{Address, B256, Bytes, U256, eip191_hash_message};
use alloy_sol_types::{Eip712Domain, SolStruct};

use super::tx::SafeTx;
use super::version::SafeVersion;

mod types {
    alloy_sol_types::sol! {
        /// SafeTx from 1.0.0 on.
        struct SafeTx {
            address to;
            uint256 value;
            bytes data;
            uint8 operation;
            uint256 safeTxGas;
            uint256 baseGas;
            uint256 gasPrice;
            address gasToken;
            address refundReceiver;
            uint256 nonce;
        }

        struct SafeMessage {
            bytes message;
        }
    }

    pub mod legacy {
        alloy_sol_types::sol! {
            /// SafeTx in 0.1.0, whose gas field was still called `dataGas`.
            struct SafeTx {
                address to;
                uint256 value;
                bytes data;
                uint8 operation;
                uint256 safeTxGas;
                uint256 dataGas;
                uint256 gasPrice;
                address gasToken;
                address refundReceiver;
                uint256 nonce;
            }
        }
    }
}

/// The hashes a signer compares with a hardware wallet for one Safe transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeTxHashes {
    /// The EIP-712 domain separator ("domain hash" on a Ledger).
    pub domain_hash: B256,
    /// The SafeTx struct hash ("message hash" on a Ledger).
    pub message_hash: B256,
    /// keccak256(0x1901 ‖ domain ‖ message): what owners sign and `approveHash` takes.
    pub safe_tx_hash: B256,
}

/// The hashes of an off-chain SafeMessage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeMessageHashes {
    pub domain_hash: B256,
    pub message_hash: B256,
    pub safe_message_hash: B256,
}

/// The EIP-712 domain of a Safe: `verifyingContract`, plus `chainId` from 1.3.0.
pub fn safe_domain(version: SafeVersion, chain_id: u64, safe: Address) -> Eip712Domain {
    let chain_id = version.domain_has_chain_id().then(|| U256::from(chain_id));
    Eip712Domain::new(None, None, chain_id, Some(safe), None)
}

/// keccak256 of the SafeTx struct, with the type string of `version`.
pub fn safe_tx_struct_hash(version: SafeVersion, tx: &SafeTx) -> B256 {
    if version.uses_data_gas() {
        types::legacy::SafeTx {
            to: tx.to,
            value: tx.value,
            data: tx.data.clone(),
            operation: tx.operation,
            safeTxGas: tx.safe_tx_gas,
            dataGas: tx.base_gas,
            gasPrice: tx.gas_price,
            gasToken: tx.gas_token,
            refundReceiver: tx.refund_receiver,
            nonce: tx.nonce,
        }
        .eip712_hash_struct()
    } else {
        types::SafeTx {
            to: tx.to,
            value: tx.value,
            data: tx.data.clone(),
            operation: tx.operation,
            safeTxGas: tx.safe_tx_gas,
            baseGas: tx.base_gas,
            gasPrice: tx.gas_price,
            gasToken: tx.gas_token,
            refundReceiver: tx.refund_receiver,
            nonce: tx.nonce,
        }
        .eip712_hash_struct()
    }
}

/// All three hashes of a Safe transaction executed by `safe` on `chain_id`.
pub fn safe_tx_hashes(
    version: SafeVersion,
    chain_id: u64,
    safe: Address,
    tx: &SafeTx,
) -> SafeTxHashes {
    let domain_hash = safe_domain(version, chain_id, safe).separator();
    let message_hash = safe_tx_struct_hash(version, tx);
    SafeTxHashes {
        domain_hash,
        message_hash,
        safe_tx_hash: eip712_digest(domain_hash, message_hash),
    }
}

/// The message a Safe signs off-chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SafeMessage {
    /// A text message, signed as its EIP-191 hash. CRLF line ends are
    /// normalised to LF first, as Safe{Wallet}'s tooling does, so a file
    /// saved on Windows hashes like the text the UI shows.
    Text(String),
    /// Raw bytes (a 32-byte hash, or anything else), hashed as given.
    Bytes(Bytes),
}

impl SafeMessage {
    /// The `bytes message` field of the SafeMessage struct.
    pub fn message_bytes(&self) -> Bytes {
        match self {
            SafeMessage::Text(text) => {
                let normalised = text.replace("\r\n", "\n");
                Bytes::copy_from_slice(eip191_hash_message(normalised.as_bytes()).as_slice())
            }
            SafeMessage::Bytes(bytes) => bytes.clone(),
        }
    }
}

/// The hashes of a SafeMessage signed by `safe` on `chain_id`.
pub fn safe_message_hashes(
    version: SafeVersion,
    chain_id: u64,
    safe: Address,
    message: &SafeMessage,
) -> SafeMessageHashes {
    let domain_hash = safe_domain(version, chain_id, safe).separator();
    let message_hash = types::SafeMessage {
        message: message.message_bytes(),
    }
    .eip712_hash_struct();
    SafeMessageHashes {
        domain_hash,
        message_hash,
        safe_message_hash: eip712_digest(domain_hash, message_hash),
    }
}

/// keccak256(0x19 ‖ 0x01 ‖ domain separator ‖ struct hash).
fn eip712_digest(domain_hash: B256, struct_hash: B256) -> B256 {
    let mut preimage = [0u8; 66];
    preimage[0] = 0x19;
    preimage[1] = 0x01;
    preimage[2..34].copy_from_slice(domain_hash.as_slice());
    preimage[34..].copy_from_slice(struct_hash.as_slice());
    alloy_primitives::keccak256(preimage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, keccak256};

    #[test]
    fn type_hashes_match_the_contract_constants() {
        assert_eq!(
            keccak256(types::SafeTx::eip712_encode_type().as_bytes()),
            b256!("bb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8")
        );
        assert_eq!(
            keccak256(types::legacy::SafeTx::eip712_encode_type().as_bytes()),
            b256!("14d461bc7412367e924637b363c7bf29b8f47e2f84869f4426e5633d8af47b20")
        );
        assert_eq!(
            keccak256(types::SafeMessage::eip712_encode_type().as_bytes()),
            b256!("60b3cbf8b4a223d68d641b3b6ddf9a298e7f33710cf3d3a9d1146b5a6150fbca")
        );
        let v = |s: &str| s.parse::<SafeVersion>().unwrap();
        assert_eq!(
            safe_domain(v("1.2.0"), 1, Address::ZERO).type_hash(),
            keccak256("EIP712Domain(address verifyingContract)")
        );
        assert_eq!(
            safe_domain(v("1.3.0"), 1, Address::ZERO).type_hash(),
            b256!("47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218")
        );
    }

    #[test]
    fn crlf_text_hashes_like_lf_text() {
        let crlf = SafeMessage::Text("a\r\nb".into());
        let lf = SafeMessage::Text("a\nb".into());
        assert_eq!(crlf.message_bytes(), lf.message_bytes());
    }
}
