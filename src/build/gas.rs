//! How much gas a Safe transaction of a batch may use, estimated before it is
//! signed, and how much one is allowed to use (`[bundle] max_gas`).
//!
//! A batch's Safe transaction is `execTransaction` on the Safe, which (for
//! more than one call) DELEGATECALLs `multiSend` on MultiSendCallOnly, which
//! CALLs each target in turn. Its estimate is the sum of:
//!
//! - a fixed part ([`SAFE_TX_BASE`]) and [`PER_SIGNATURE`] for each signature
//!   the Safe checks;
//! - for each call ([`call_gas`]): what the call itself runs (its execution
//!   gas: the protocol profile's figure for a function the planner knows, see
//!   `plan::agijobs` and `plan::signers`, else `[bundle] gas_per_call`), the
//!   MultiSend record's overhead ([`MULTISEND_PER_CALL`], plus
//!   [`CALL_VALUE`] and [`NEW_ACCOUNT`] when it sends ETH), the record's
//!   calldata (EIP-2028) and its copies in memory ([`MEMORY_PER_BYTE`]);
//! - the quadratic part of the memory those copies take ([`memory_quadratic`]).
//!
//! Every figure is an upper bound: a part of one call, which Safe{Wallet}
//! proposes without MultiSend, is still counted as if it went through it.
//! The estimate only decides where a runbook is split; Safe{Wallet} and the
//! wallet still estimate the transaction's gas limit themselves.
//!
//! Gas costs are those of the Cancun/Prague EVM: EIP-2929 (cold access),
//! EIP-2200 / EIP-3529 (SSTORE), EIP-2028 (calldata) and EIP-7623 (the
//! calldata floor).

// Gas sums come from input sizes: overflow must be an error, not a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use alloy_primitives::{Address, U256};

use crate::plan::PlannedCall;

/// What the EVM charges, and what the estimates are built from.
pub mod evm {
    /// Every transaction's intrinsic cost (Yellow Paper, `G_transaction`).
    pub const TX_INTRINSIC: u64 = 21_000;
    /// A first access to an account: CALL, DELEGATECALL, EXTCODESIZE (EIP-2929).
    pub const COLD_ACCOUNT: u64 = 2_600;
    /// A first read of a storage slot (EIP-2929).
    pub const COLD_SLOAD: u64 = 2_100;
    /// The most one storage write can cost: a cold slot set from zero to
    /// non-zero, 20,000 (EIP-2200) + 2,100 (EIP-2929). Every write of a
    /// profile figure is counted at this price.
    pub const SSTORE_SET: u64 = 22_100;
    /// A bound on one event: LOG 375 + 375 per topic (4 at most) + 8 per
    /// data byte (128 bytes: 1,024) = 2,899.
    pub const LOG: u64 = 3_000;
    /// A bound on the rest of one function's code (dispatch, access and state
    /// checks, ABI decoding, memory): a margin, not a measurement.
    pub const CODE: u64 = 10_000;
    /// `ecrecover` (precompile 0x01, Yellow Paper).
    pub const ECRECOVER: u64 = 3_000;
    /// Calldata, per byte (EIP-2028).
    pub const CALLDATA_NONZERO: u64 = 16;
    pub const CALLDATA_ZERO: u64 = 4;
    /// The calldata floor, per byte (EIP-7623: 10 per token, a non-zero
    /// byte is 4 tokens).
    pub const FLOOR_NONZERO: u64 = 40;
    pub const FLOOR_ZERO: u64 = 10;
}

use evm::*;

/// The fixed part of a Safe transaction, besides its signatures:
/// the intrinsic 21,000; the proxy reading its singleton (cold slot 0, 2,100)
/// and DELEGATECALLing it (2,600); reading threshold, nonce, guard and the
/// domain's inputs (4 cold slots, 8,400); writing the nonce (22,100, counted
/// at the worst); DELEGATECALLing MultiSendCallOnly (2,600); the
/// `ExecutionSuccess` event (3,000); the transaction's calldata besides the
/// MultiSend payload and the signatures (selector, 10 words, 2 length words,
/// 62 padding bytes: 450 bytes at 16, 7,200); the code (10,000).
pub const SAFE_TX_BASE: u64 = 79_000;
/// Each signature the Safe checks: `ecrecover` (3,000), reading
/// `owners[signer]` (2,100) and its 65 bytes of calldata (1,040), plus 1,000
/// for the loop: 7,140.
pub const PER_SIGNATURE: u64 = 7_140;
/// Signatures counted when the Safe's threshold is not known (no `[safe]
/// threshold`, no `owners`, and the accept batch's Safe).
pub const DEFAULT_SIGNATURES: u64 = 10;
/// One MultiSend record: the CALL's cold account access (2,600), and 1,000
/// for the loop that reads the record (about 40 opcodes).
pub const MULTISEND_PER_CALL: u64 = 3_600;
/// A CALL that sends ETH (Yellow Paper `G_callvalue`)…
pub const CALL_VALUE: u64 = 9_000;
/// …to an account that may not exist yet (`G_newaccount`).
pub const NEW_ACCOUNT: u64 = 25_000;
/// Memory, per payload byte: the payload is copied three times (the Safe
/// hashes it and passes it to MultiSend, MultiSend decodes it), each copy 3
/// per word to copy and 3 per word of memory, plus keccak256's 6 per word:
/// 24 per word, rounded up to 1 per byte.
pub const MEMORY_PER_BYTE: u64 = 1;
/// The bytes of a MultiSend record besides the call's data: operation (1),
/// to (20), value (32), data length (32).
pub const RECORD_HEADER: usize = 85;

/// Gas limits per chain: the block gas limit `max_gas` defaults to a fraction
/// of, and where the figure comes from. The figure is a floor the chain has
/// held to (a chain that raises its limit keeps the default safe).
pub const CHAINS: &[ChainGas] = &[
    ChainGas {
        chain_id: 1,
        name: "Ethereum",
        block_gas_limit: 30_000_000,
        source: "30M since London (2021), raised since (36M, 45M, 60M); a transaction may \
                 not exceed 2^24 = 16,777,216 since Fusaka (EIP-7825)",
    },
    ChainGas {
        chain_id: 11_155_111,
        name: "Sepolia",
        block_gas_limit: 30_000_000,
        source: "follows Ethereum: 30M, raised since; EIP-7825's 16,777,216 per transaction",
    },
    ChainGas {
        chain_id: 10,
        name: "OP Mainnet",
        block_gas_limit: 30_000_000,
        source: "OP Stack default 30M (Optimism docs), raised since",
    },
    ChainGas {
        chain_id: 8_453,
        name: "Base",
        block_gas_limit: 30_000_000,
        source: "OP Stack 30M at launch (2023), raised many times since",
    },
    ChainGas {
        chain_id: 42_161,
        name: "Arbitrum One",
        block_gas_limit: 32_000_000,
        source: "32M per block and per transaction (Arbitrum docs, ArbOS)",
    },
    ChainGas {
        chain_id: 137,
        name: "Polygon PoS",
        block_gas_limit: 30_000_000,
        source: "30M (Polygon docs), raised since",
    },
    ChainGas {
        chain_id: 100,
        name: "Gnosis",
        block_gas_limit: 17_000_000,
        source: "17M (Gnosis docs)",
    },
    ChainGas {
        chain_id: 43_114,
        name: "Avalanche C-Chain",
        block_gas_limit: 15_000_000,
        source: "15M since Apricot Phase 1 (Avalanche docs)",
    },
];

/// `max_gas` defaults to this fraction of the block gas limit: half, so
/// that a Safe transaction fits beside other transactions in a block, leaves
/// the gas each call level keeps back (EIP-150: 1/64 per level, 4 levels) and
/// the estimate's own error room, and stays under EIP-7825's per-transaction
/// cap on Ethereum.
pub const BLOCK_FRACTION_NUMERATOR: u64 = 1;
pub const BLOCK_FRACTION_DENOMINATOR: u64 = 2;

/// A chain's block gas limit and where the figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainGas {
    pub chain_id: u64,
    pub name: &'static str,
    pub block_gas_limit: u64,
    pub source: &'static str,
}

impl ChainGas {
    /// The `max_gas` default on this chain.
    pub fn default_max_gas(&self) -> u64 {
        self.block_gas_limit
            .saturating_mul(BLOCK_FRACTION_NUMERATOR)
            .checked_div(BLOCK_FRACTION_DENOMINATOR)
            .unwrap_or(self.block_gas_limit)
    }
}

/// Where a `max_gas` comes from, for the build summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxGasSource {
    /// `[bundle] max_gas`.
    Written,
    /// Half the block gas limit of a chain in [`CHAINS`].
    Chain(&'static ChainGas),
    /// The chain is not in [`CHAINS`]: the smallest default of the table.
    Fallback,
}

/// The `max_gas` default for `chain_id`, and why.
pub fn default_max_gas(chain_id: u64) -> (u64, MaxGasSource) {
    match CHAINS.iter().find(|c| c.chain_id == chain_id) {
        Some(chain) => (chain.default_max_gas(), MaxGasSource::Chain(chain)),
        None => (fallback_max_gas(), MaxGasSource::Fallback),
    }
}

/// The `max_gas` of a chain bundlec does not know: the smallest default of
/// [`CHAINS`] (half of Avalanche's 15M, 7,500,000).
pub fn fallback_max_gas() -> u64 {
    CHAINS
        .iter()
        .map(ChainGas::default_max_gas)
        .min()
        .unwrap_or(7_500_000)
}

/// A call whose execution gas neither the profile nor the runbook gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bundlec has no gas figure for {summary}: only the calls bundlec plans itself (pauses, \
     rotations, refunds, owner changes) have one. Write `gas_per_call = N` under [bundle], the \
     most gas any such call of this runbook may use, so that the runbook is split into Safe \
     transactions that fit in a block (for example gas_per_call = 500000)"
)]
pub struct UnknownGas {
    pub summary: String,
}

/// The estimates of one build: the execution gas for calls without a
/// profile figure, and how many signatures each Safe transaction carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GasModel {
    pub gas_per_call: Option<u64>,
    pub signatures: u64,
}

impl GasModel {
    /// What one call adds to its Safe transaction's estimate: its execution
    /// gas and MultiSend record, calldata and linear memory, or the
    /// EIP-7623 floor of its calldata when that is more.
    pub fn call_gas(&self, call: &PlannedCall) -> Result<u64, UnknownGas> {
        let execution = call.gas.or(self.gas_per_call).ok_or_else(|| UnknownGas {
            summary: call.summary.to_string(),
        })?;
        Ok(call_gas(call.to, call.value, &call.data, execution))
    }

    /// The fixed part of every Safe transaction.
    pub fn base(&self) -> u64 {
        SAFE_TX_BASE.saturating_add(PER_SIGNATURE.saturating_mul(self.signatures))
    }

    /// A Safe transaction's estimate: [`GasModel::base`], its calls' gas
    /// summed and the quadratic memory of `payload` bytes of MultiSend records.
    pub fn total(&self, calls_gas: u64, payload: u64) -> u64 {
        self.base()
            .saturating_add(calls_gas)
            .saturating_add(memory_quadratic(payload))
    }
}

/// [`GasModel::call_gas`] with the execution gas known.
pub fn call_gas(to: Address, value: U256, data: &[u8], execution: u64) -> u64 {
    let (zero, nonzero) = record_bytes(to, value, data);
    let calldata = zero
        .saturating_mul(CALLDATA_ZERO)
        .saturating_add(nonzero.saturating_mul(CALLDATA_NONZERO));
    let floor = zero
        .saturating_mul(FLOOR_ZERO)
        .saturating_add(nonzero.saturating_mul(FLOOR_NONZERO));
    let record = zero.saturating_add(nonzero);
    let send = if value.is_zero() {
        0
    } else {
        CALL_VALUE.saturating_add(NEW_ACCOUNT)
    };
    let standard = execution
        .saturating_add(MULTISEND_PER_CALL)
        .saturating_add(send)
        .saturating_add(calldata)
        .saturating_add(record.saturating_mul(MEMORY_PER_BYTE));
    standard.max(floor)
}

/// The length of a call's MultiSend record.
pub fn record_len(data: &[u8]) -> u64 {
    u64::try_from(data.len().saturating_add(RECORD_HEADER)).unwrap_or(u64::MAX)
}

/// Zero and non-zero bytes of a call's MultiSend record.
fn record_bytes(to: Address, value: U256, data: &[u8]) -> (u64, u64) {
    let len = U256::from(data.len()).to_be_bytes::<32>();
    let value = value.to_be_bytes::<32>();
    // The operation byte is 0 (CALL). Each part counted on its own: a
    // plain loop over a slice, which the compiler vectorizes.
    let operation = [0u8];
    let parts: [&[u8]; 5] = [&operation, to.as_slice(), &value, &len, data];
    let mut zero = 0u64;
    let mut nonzero = 0u64;
    for part in parts {
        let zeros = part.iter().filter(|b| **b == 0).count();
        let others = part.len().saturating_sub(zeros);
        zero = zero.saturating_add(u64::try_from(zeros).unwrap_or(u64::MAX));
        nonzero = nonzero.saturating_add(u64::try_from(others).unwrap_or(u64::MAX));
    }
    (zero, nonzero)
}

/// The quadratic part of the memory the MultiSend payload takes: `w²/512`
/// per frame for `w` words (Yellow Paper), with two copies in the Safe's
/// frame (`(2w)²/512`) and one in MultiSend's (`w²/512`): `5w²/512`.
pub fn memory_quadratic(payload: u64) -> u64 {
    let words = payload.div_ceil(32);
    words.saturating_mul(words).saturating_mul(5).div_ceil(512)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calldata_is_priced_per_byte() {
        // Record header of a call to 0x00…01 with no value and 4 data bytes
        // 0xaabbcc00: 85 header bytes of which 2 non-zero (the address's 01
        // and the length's 04), then 3 non-zero and 1 zero data bytes.
        let to = Address::with_last_byte(1);
        let (zero, nonzero) = record_bytes(to, U256::ZERO, &[0xaa, 0xbb, 0xcc, 0]);
        assert_eq!((zero, nonzero), (84, 5));
        let gas = call_gas(to, U256::ZERO, &[0xaa, 0xbb, 0xcc, 0], 1_000);
        assert_eq!(gas, 1_000 + 3_600 + 84 * 4 + 5 * 16 + 89);
        // With ETH: the value transfer and a possible new account.
        let with_value = call_gas(to, U256::from(1), &[0xaa, 0xbb, 0xcc, 0], 1_000);
        assert_eq!(with_value, gas + 9_000 + 25_000 + 12);
        // Calldata-heavy with no execution: the EIP-7623 floor wins.
        let data = vec![0xffu8; 10_000];
        assert_eq!(
            call_gas(to, U256::ZERO, &data, 0),
            (82 * 10) + (10_003 * 40)
        );
    }

    #[test]
    fn defaults_are_half_the_block_and_unknown_chains_get_the_smallest() {
        assert_eq!(default_max_gas(1).0, 15_000_000);
        assert!(default_max_gas(1).0 < 16_777_216, "EIP-7825");
        assert_eq!(default_max_gas(100).0, 8_500_000);
        assert_eq!(
            default_max_gas(999_999),
            (7_500_000, MaxGasSource::Fallback)
        );
        for (i, chain) in CHAINS.iter().enumerate() {
            assert!(
                !CHAINS[..i].iter().any(|c| c.chain_id == chain.chain_id),
                "{} twice",
                chain.name
            );
        }
    }

    #[test]
    fn memory_grows_quadratically() {
        assert_eq!(memory_quadratic(0), 0);
        assert_eq!(memory_quadratic(32 * 512), 5 * 512);
    }

    #[test]
    fn the_fixed_part_sums_its_reasons() {
        let calldata = (4 + 10 * 32 + 2 * 32 + 62) * CALLDATA_NONZERO;
        assert_eq!(
            SAFE_TX_BASE,
            TX_INTRINSIC
                + COLD_SLOAD
                + COLD_ACCOUNT
                + 4 * COLD_SLOAD
                + SSTORE_SET
                + COLD_ACCOUNT
                + LOG
                + calldata
                + CODE
        );
        assert_eq!(
            PER_SIGNATURE,
            ECRECOVER + COLD_SLOAD + 65 * CALLDATA_NONZERO + 1_000
        );
        assert_eq!(MULTISEND_PER_CALL, COLD_ACCOUNT + 1_000);
    }
}
