//! EIP-712 hashing of Safe transactions and messages, for every Safe version.
//!
//! The domain and struct encodings come from alloy-sol-types' EIP-712
//! implementation; this module only decides, per version, which domain fields
//! and which SafeTx type string apply (see [`SafeVersion`]).

use alloy_primitives::{Address, B256, Bytes, Keccak256, U256, eip191_hash_message, keccak256};
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
    // alloy encodes a `bytes` member by copying it (packed) and hashing the
    // copy; a large MultiSend's data takes megabytes. So the struct is
    // encoded with empty data, and the data's word (keccak256 of the bytes,
    // as EIP-712 encodes `bytes`) put in its place.
    let (type_hash, mut words) = SolSafeTx::new(version, tx, Bytes::new()).encoded();
    let Some(word) = words.get_mut(DATA_WORD) else {
        // Every SafeTx type has `data` third: not reached.
        return alloy_struct_hash(version, tx);
    };
    word.copy_from_slice(keccak256(&tx.data).as_slice());
    let mut hasher = Keccak256::new();
    hasher.update(type_hash);
    hasher.update(&words);
    hasher.finalize()
}

/// Where the `data` member's word sits in SafeTx's encoded data (third of
/// ten words, in every version).
const DATA_WORD: std::ops::Range<usize> = 64..96;

/// alloy's own struct hash of `tx`, data and all.
fn alloy_struct_hash(version: SafeVersion, tx: &SafeTx) -> B256 {
    SolSafeTx::new(version, tx, tx.data.clone()).hash_struct()
}

/// `tx` with `data` as alloy's SafeTx struct of `version`.
enum SolSafeTx {
    /// 0.1.0's, with `dataGas`.
    Legacy(types::legacy::SafeTx),
    Current(types::SafeTx),
}

impl SolSafeTx {
    fn new(version: SafeVersion, tx: &SafeTx, data: Bytes) -> Self {
        if version.uses_data_gas() {
            SolSafeTx::Legacy(types::legacy::SafeTx {
                to: tx.to,
                value: tx.value,
                data,
                operation: tx.operation,
                safeTxGas: tx.safe_tx_gas,
                dataGas: tx.base_gas,
                gasPrice: tx.gas_price,
                gasToken: tx.gas_token,
                refundReceiver: tx.refund_receiver,
                nonce: tx.nonce,
            })
        } else {
            SolSafeTx::Current(types::SafeTx {
                to: tx.to,
                value: tx.value,
                data,
                operation: tx.operation,
                safeTxGas: tx.safe_tx_gas,
                baseGas: tx.base_gas,
                gasPrice: tx.gas_price,
                gasToken: tx.gas_token,
                refundReceiver: tx.refund_receiver,
                nonce: tx.nonce,
            })
        }
    }

    /// The type hash and the encoded members (EIP-712 `encodeData`).
    fn encoded(&self) -> (B256, Vec<u8>) {
        match self {
            SolSafeTx::Legacy(s) => (s.eip712_type_hash(), s.eip712_encode_data()),
            SolSafeTx::Current(s) => (s.eip712_type_hash(), s.eip712_encode_data()),
        }
    }

    /// alloy's `hashStruct`.
    fn hash_struct(&self) -> B256 {
        match self {
            SolSafeTx::Legacy(s) => s.eip712_hash_struct(),
            SolSafeTx::Current(s) => s.eip712_hash_struct(),
        }
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
    use alloy_primitives::b256;

    #[test]
    fn the_struct_hash_is_alloys_for_data_of_any_length() {
        for version in ["0.1.0", "1.0.0", "1.3.0", "1.4.1", "1.5.0"] {
            let version: SafeVersion = version.parse().unwrap();
            for length in [0usize, 1, 31, 32, 33, 135, 136, 137, 4096, 100_003] {
                let data: Vec<u8> = (0..length).map(|i| (i * 7 + length) as u8).collect();
                let mut tx = SafeTx::new(
                    Address::repeat_byte(0x42),
                    U256::from(length),
                    data.into(),
                    super::super::Operation::DelegateCall,
                    U256::from(9),
                );
                tx.safe_tx_gas = U256::from(3);
                tx.base_gas = U256::from(5);
                tx.gas_price = U256::from(11);
                tx.gas_token = Address::repeat_byte(0x77);
                tx.refund_receiver = Address::repeat_byte(0x88);
                // alloy's `eip712_hash_struct`, data and all.
                let expected = alloy_struct_hash(version, &tx);
                assert_eq!(
                    safe_tx_struct_hash(version, &tx),
                    expected,
                    "{version} {length}"
                );
            }
        }
    }

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
