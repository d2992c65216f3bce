//! Fuzz target `runbook_compile`: the body is `harness::runbook_compile` (fuzz/harness.rs), which
//! tests/fuzz_corpora.rs also runs over this target's corpus.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::runbook_compile(data));
