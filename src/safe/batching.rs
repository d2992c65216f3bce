//! The Safe{Wallet} batching rule, in one place: how a list of calls becomes
//! the single Safe transaction the owners sign.

use alloy_primitives::{Address, Bytes, U256};

use super::deployments::{self, MultiSendChoice, MultiSendError};
use super::tx::{Operation, SafeTx};
use super::version::SafeVersion;
use crate::multisend::{self, MultiSendRecord};

/// A call the Safe makes: what a Transaction Builder batch lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Call {
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchingError {
    #[error("a batch needs at least one transaction")]
    Empty,
    #[error(transparent)]
    MultiSendCallOnly(Box<MultiSendError>),
}

/// One call is proposed as it is (CALL). Several are wrapped in `multiSend` on
/// the version's MultiSendCallOnly for the chain (the default, or the one
/// `choice` picks: see [`deployments::choose_multi_send_call_only`]),
/// executed with DELEGATECALL and value 0 so the inner calls come from the
/// Safe itself.
pub fn safe_tx_for_calls(
    calls: &[Call],
    version: SafeVersion,
    chain_id: u64,
    nonce: U256,
    choice: MultiSendChoice,
) -> Result<SafeTx, BatchingError> {
    match calls {
        [] => Err(BatchingError::Empty),
        [call] => Ok(SafeTx::new(
            call.to,
            call.value,
            call.data.clone(),
            Operation::Call,
            nonce,
        )),
        _ => {
            let multi_send_call_only =
                deployments::choose_multi_send_call_only(version, chain_id, choice)
                    .map_err(|e| BatchingError::MultiSendCallOnly(Box::new(e)))?;
            let records: Vec<MultiSendRecord> = calls
                .iter()
                .map(|call| MultiSendRecord {
                    operation: Operation::Call,
                    to: call.to,
                    value: call.value,
                    data: call.data.clone(),
                })
                .collect();
            Ok(SafeTx::new(
                multi_send_call_only,
                U256::ZERO,
                multisend::encode(&records),
                Operation::DelegateCall,
                nonce,
            ))
        }
    }
}
