//! Fuzz target `batch_verify`: the body is `harness::batch_verify` (fuzz/harness.rs), which
//! tests/fuzz_corpora.rs also runs over this target's corpus.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::batch_verify(data));
