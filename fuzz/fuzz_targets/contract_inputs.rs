//! Fuzz target `contract_inputs`: the body is `harness::contract_inputs` (fuzz/harness.rs), which
//! tests/fuzz_corpora.rs also runs over this target's corpus.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::contract_inputs(data));
