//! Safe Transaction Builder batch files.
//!
//! The Transaction Builder is the Safe{Wallet} app signers use to load a batch
//! of calls from a JSON file and propose it as one Safe transaction. bundlec
//! writes such files ([`batch`]) and checks files from elsewhere ([`checksum`]).
//!
//! The file carries `meta.checksum`, a Keccak-256 over a custom serialization
//! of the whole object except `meta.name`. The UI recomputes it on import and
//! warns that the batch "contains some changed properties" on a mismatch. The
//! warning is the only tamper signal a signer gets, so both sides must match
//! the UI exactly, down to how JavaScript prints numbers and orders keys
//! ([`js`]). Real exports and the app's own checksum test object are in
//! `conformance/txbuilder-exports/`.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod batch;
pub mod checksum;
pub mod encode;
pub mod js;
pub mod tree;

pub use batch::{
    BATCH_FORMAT_VERSION, BatchFile, BatchMeta, BatchTransaction, ContractMethod,
    TX_BUILDER_VERSION,
};
pub use checksum::{
    ChecksumReport, check, checksum_of_object_as_is, compute_checksum, format_checksum,
    parse_batch, parse_json, serialize_for_checksum,
};
pub use tree::{Json, JsonTree};

/// Why a batch file cannot be read or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("a batch file must be a JSON object, found {found}")]
    NotAnObject { found: &'static str },
    #[error(
        "the batch file has no `meta` object, so the Transaction Builder cannot compute its checksum"
    )]
    NoMetaObject,
}

/// Why a [`BatchFile`] could not be turned into its file content.
///
/// The writer serializes its own structs (string keys, no fallible
/// `Serialize` impls), so serde_json has no reason to fail; the error exists
/// so that writing a batch has no panic path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot serialize the batch file: {0}")]
pub struct WriteError(pub String);

impl From<serde_json::Error> for WriteError {
    fn from(err: serde_json::Error) -> Self {
        WriteError(err.to_string())
    }
}

impl From<ChecksumError> for WriteError {
    fn from(err: ChecksumError) -> Self {
        WriteError(err.to_string())
    }
}
