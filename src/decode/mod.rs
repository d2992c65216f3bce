//! Reading calldata: every byte a signer is asked to sign, decoded offline
//! against the ABI registry into a tree of calls, through MultiSend batches,
//! Safe `execTransaction`, SystemPause forwarding and timelock operations.

pub mod arguments;
pub mod render;
pub mod tree;

pub use arguments::{ArgumentError, decode_arguments};
pub use tree::{Argument, CallNode, CallSite, DecodeError, Decoded, Decoder, FunctionCall};
