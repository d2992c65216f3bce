//! bundlec: compile incident runbooks into Safe transaction batches and verify
//! them offline.
//!
//! The library is a pure core: it never touches the file system, the network
//! or the clock. The `bundlec` binary (src/main.rs, src/cli/) is a thin shell
//! that reads files, calls into these modules, prints and sets exit codes.
//! See ARCHITECTURE.md for the map.

// No panic on any input (ARCHITECTURE.md, Invariants): outside tests, every
// failure is a returned error. `#[cfg(test)]` code is compiled with `test`
// set, so unit tests may still unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod abi;
pub mod address_book;
pub mod archive;
pub mod build;
pub mod decode;
pub mod hex_text;
pub mod memo;
pub mod multisend;
pub mod parse;
pub mod plan;
pub mod pretty;
pub mod review;
pub mod runbook;
pub mod safe;
pub mod text;
pub mod txbuilder;
pub mod verify;
