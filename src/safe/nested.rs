//! Nested Safes: when an owner of Safe P is itself a Safe O, O's owners sign a
//! Safe transaction on O that calls `P.approveHash(safeTxHash)`.

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_sol_types::{SolCall, sol};

use super::tx::{Operation, SafeTx};

sol! {
    function approveHash(bytes32 hashToApprove);
}

/// The transaction the owner Safe proposes on itself (with its own `nonce`) to
/// approve `parent_safe_tx_hash` on `parent_safe`.
pub fn approve_hash_tx(parent_safe: Address, parent_safe_tx_hash: B256, nonce: U256) -> SafeTx {
    let data = approveHashCall {
        hashToApprove: parent_safe_tx_hash,
    }
    .abi_encode();
    SafeTx::new(
        parent_safe,
        U256::ZERO,
        Bytes::from(data),
        Operation::Call,
        nonce,
    )
}
