//! Fuzz target `calldata_decode`: the body is `harness::calldata_decode` (fuzz/harness.rs), which
//! tests/fuzz_corpora.rs also runs over this target's corpus.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::calldata_decode(data));
