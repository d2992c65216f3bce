//! The Safe transaction: the ten fields a Safe's owners sign.

use alloy_primitives::{Address, Bytes, U256};

/// How a Safe (or MultiSend) executes a call: `Enum.Operation` in the contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Call = 0,
    DelegateCall = 1,
}

impl Operation {
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    pub fn name(self) -> &'static str {
        match self {
            Operation::Call => "CALL",
            Operation::DelegateCall => "DELEGATECALL",
        }
    }
}

impl TryFrom<u8> for Operation {
    type Error = u8;

    fn try_from(value: u8) -> Result<Self, u8> {
        match value {
            0 => Ok(Operation::Call),
            1 => Ok(Operation::DelegateCall),
            other => Err(other),
        }
    }
}

/// The SafeTx struct that `execTransaction` checks signatures against.
///
/// `operation` is the raw `uint8` the EIP-712 struct hashes. On chain only 0
/// and 1 execute, but a hash exists for any byte, and a verifier has to be able
/// to reproduce (and then flag) whatever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SafeTx {
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
    pub operation: u8,
    pub safe_tx_gas: U256,
    /// `dataGas` in Safe 0.1.0; the value is hashed the same way.
    pub base_gas: U256,
    pub gas_price: U256,
    pub gas_token: Address,
    pub refund_receiver: Address,
    pub nonce: U256,
}

impl SafeTx {
    /// A transaction with every gas and refund parameter zero, as Safe{Wallet}
    /// proposes it.
    pub fn new(to: Address, value: U256, data: Bytes, operation: Operation, nonce: U256) -> Self {
        SafeTx {
            to,
            value,
            data,
            operation: operation.as_u8(),
            safe_tx_gas: U256::ZERO,
            base_gas: U256::ZERO,
            gas_price: U256::ZERO,
            gas_token: Address::ZERO,
            refund_receiver: Address::ZERO,
            nonce,
        }
    }

    /// The operation, if it is one the Safe can execute.
    pub fn known_operation(&self) -> Option<Operation> {
        Operation::try_from(self.operation).ok()
    }
}
