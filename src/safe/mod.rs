//! The Safe itself: versions, transactions, EIP-712 hashes, deployments, and
//! how Safe{Wallet} turns a list of calls into one Safe transaction.

pub mod batching;
pub mod chains;
pub mod deployments;
pub mod hash;
pub mod nested;
pub mod nonces;
pub mod proposal;
pub mod tx;
pub mod typed_data;
pub mod version;
pub mod view;

pub use hash::{SafeMessage, SafeMessageHashes, SafeTxHashes, safe_message_hashes, safe_tx_hashes};
pub use nonces::{MAX_NONCE_RANGE, NonceRange, NonceRangeError, parse_nonce_range};
pub use tx::{Operation, SafeTx};
pub use version::{Release, SafeVersion, UnsupportedSafeVersion};
