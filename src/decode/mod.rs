//! Reading calldata: every byte a signer is asked to sign, decoded offline
//! against the ABI registry into a tree of calls, through every known
//! forwarder (MultiSend batches, Safe `execTransaction` and module execution,
//! SystemPause forwarding, timelock operations, OwnerConfigurator) and
//! through any `bytes` argument that reads exactly as a known call (see
//! [`tree::Decoder`]).

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod arguments;
pub mod layout;
pub mod render;
pub mod tree;

pub use arguments::{ArgumentError, decode_arguments};
pub use tree::{
    Argument, CallNode, CallSite, DEFAULT_MAX_DEPTH, DecodeError, Decoded, Decoder, FunctionCall,
    KNOWN_FORWARDERS, is_known_forwarder,
};
