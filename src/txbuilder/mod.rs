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
//! ([`js`]). The format and algorithm are described in
//! `shared/reference/safe/txbuilder-format.md`.

pub mod batch;
pub mod checksum;
pub mod js;

pub use batch::{
    BATCH_FORMAT_VERSION, BatchFile, BatchMeta, BatchTransaction, ContractMethod,
    TX_BUILDER_VERSION,
};
pub use checksum::{
    ChecksumReport, check, checksum_of_object_as_is, compute_checksum, format_checksum, parse_json,
    serialize_for_checksum,
};

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

/// The error type of this module; checksums are the only fallible part.
pub type TxBuilderError = ChecksumError;
