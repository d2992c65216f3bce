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
    match (
        multi_send_for(calls.len(), version, chain_id, choice)?,
        calls,
    ) {
        (Some(multi_send_call_only), _) => {
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
        (None, [call]) => Ok(SafeTx::new(
            call.to,
            call.value,
            call.data.clone(),
            Operation::Call,
            nonce,
        )),
        // `multi_send_for` gives no address only for one call.
        (None, _) => Err(BatchingError::Empty),
    }
}

/// The MultiSendCallOnly a Safe transaction of `count` calls goes through:
/// `None` for one call (proposed as it is), an error for none, or for several
/// when `choice` picks no MultiSendCallOnly for the version and chain. What
/// [`safe_tx_for_calls`] refuses, decided without encoding the calls, so a
/// plan can be checked before anything is rendered.
pub fn multi_send_for(
    count: usize,
    version: SafeVersion,
    chain_id: u64,
    choice: MultiSendChoice,
) -> Result<Option<Address>, BatchingError> {
    match count {
        0 => Err(BatchingError::Empty),
        1 => Ok(None),
        _ => deployments::choose_multi_send_call_only(version, chain_id, choice)
            .map(Some)
            .map_err(|e| BatchingError::MultiSendCallOnly(Box::new(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `multi_send_for` refuses exactly what `safe_tx_for_calls` refuses, and
    /// names the contract the Safe transaction goes to.
    #[test]
    fn the_check_without_encoding_agrees_with_the_encoder() {
        let version: SafeVersion = "1.4.1".parse().unwrap();
        let call = Call {
            to: Address::repeat_byte(0x77),
            value: U256::ZERO,
            data: Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]),
        };
        // Chain 1 lists a MultiSendCallOnly 1.4.1; chain 31337 lists none.
        for chain_id in [1, 31337] {
            for count in 0..4 {
                let calls = vec![call.clone(); count];
                let choice = MultiSendChoice::default();
                let checked = multi_send_for(count, version, chain_id, choice);
                let built = safe_tx_for_calls(&calls, version, chain_id, U256::ZERO, choice);
                match (checked, built) {
                    (Ok(None), Ok(tx)) => {
                        assert_eq!(
                            (count, tx.to, tx.operation),
                            (1, call.to, Operation::Call as u8)
                        );
                    }
                    (Ok(Some(multi_send)), Ok(tx)) => {
                        assert!(count > 1);
                        assert_eq!(tx.to, multi_send);
                        assert_eq!(tx.operation, Operation::DelegateCall as u8);
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "chain {chain_id}, {count} calls"),
                    (a, b) => panic!("chain {chain_id}, {count} calls: {a:?} but {b:?}"),
                }
            }
        }
    }
}
