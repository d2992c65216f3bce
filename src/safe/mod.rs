//! The Safe itself: versions, transactions, EIP-712 hashes, deployments, and
//! how Safe{Wallet} turns a list of calls into one Safe transaction.

pub mod batching;
pub mod chains;
pub mod deployments;
pub mod hash;
pub mod nested;
pub mod tx;
pub mod version;
pub mod view;

pub use hash::{SafeMessage, SafeMessageHashes, SafeTxHashes, safe_message_hashes, safe_tx_hashes};
pub use tx::{Operation, SafeTx};
pub use version::{Release, SafeVersion, UnsupportedSafeVersion};
