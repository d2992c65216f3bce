//! The fuzz targets on the stable toolchain: every input of each target's
//! seed corpus (`fuzz/corpus/<target>/`) and of its crash regressions
//! (`fuzz/regressions/<target>/`) replayed through the same harness the
//! libFuzzer binaries run (`fuzz/harness.rs`), plus a short proptest per
//! target over random bytes and randomly edited corpus inputs. The long
//! libFuzzer runs are a manual step: see fuzz/README.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir`, sorted by name; none when the folder does not exist.
/// Dot files (`.gitkeep`) are not inputs.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn harness_of(target: &str) -> harness::Harness {
    harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("no harness for {target}"))
}

/// The seed corpora, read once for the proptests' edits.
static SEEDS: LazyLock<BTreeMap<&'static str, Vec<Vec<u8>>>> = LazyLock::new(|| {
    harness::TARGETS
        .iter()
        .map(|(name, _)| {
            let seeds = files(&fuzz_dir().join("corpus").join(name))
                .into_iter()
                .map(|(_, bytes)| bytes)
                .collect();
            (*name, seeds)
        })
        .collect()
});

/// Runs every corpus and regression input of `target`; fails naming each
/// input that panics (the panic message is printed above by the hook).
fn replay(target: &str) {
    let run = harness_of(target);
    let corpus = files(&fuzz_dir().join("corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ has no seed inputs"
    );
    let regressions = files(&fuzz_dir().join("regressions").join(target));
    let mut failed = Vec::new();
    for (path, bytes) in corpus.iter().chain(&regressions) {
        if catch_unwind(AssertUnwindSafe(|| run(bytes))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs of {target} panic:\n  {}",
        failed.len(),
        corpus.len() + regressions.len(),
        failed.join("\n  ")
    );
}

#[test]
fn batch_verify_corpus() {
    replay("batch_verify");
}

#[test]
fn multisend_decode_corpus() {
    replay("multisend_decode");
}

#[test]
fn calldata_decode_corpus() {
    replay("calldata_decode");
}

#[test]
fn runbook_compile_corpus() {
    replay("runbook_compile");
}

#[test]
fn contract_inputs_corpus() {
    replay("contract_inputs");
}

/// The fuzz crate declares a binary for every harness target, and each
/// target has a corpus and a regressions folder.
#[test]
fn every_target_is_wired_up() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in harness::TARGETS {
        let source = format!("fuzz_targets/{name}.rs");
        assert!(
            fuzz_dir().join(&source).is_file(),
            "fuzz/{source} is missing"
        );
        assert!(
            manifest.contains(&format!("path = \"{source}\"")),
            "fuzz/Cargo.toml declares no binary for {name}"
        );
        let body = std::fs::read_to_string(fuzz_dir().join(&source)).unwrap();
        assert!(
            body.contains(&format!("harness::{name}(")),
            "fuzz/{source} does not run harness::{name}"
        );
        for folder in ["corpus", "regressions"] {
            assert!(
                fuzz_dir().join(folder).join(name).is_dir(),
                "fuzz/{folder}/{name}/ is missing"
            );
        }
    }
}

/// A corpus input with a few bytes overwritten, inserted or removed.
fn edited(target: &str, pick: usize, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let seeds = &SEEDS[target];
    if seeds.is_empty() {
        return Vec::new();
    }
    let mut bytes = seeds[pick % seeds.len()].clone();
    for &(at, byte, kind) in edits {
        let len = bytes.len();
        match kind % 3 {
            0 if len > 0 => bytes[at % len] = byte,
            1 => bytes.insert(at % (len + 1), byte),
            2 if len > 0 => {
                bytes.remove(at % len);
            }
            _ => bytes.push(byte),
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)
}

fn random_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..400)
}

proptest! {
    // Modest on purpose: the whole file takes a few seconds in a debug
    // build. The libFuzzer runs (fuzz/run.sh) do the real searching.
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn batch_verify_random(bytes in random_bytes(), pick in any::<usize>(), edits in edits()) {
        harness::batch_verify(&bytes);
        harness::batch_verify(&edited("batch_verify", pick, &edits));
    }

    #[test]
    fn multisend_decode_random(bytes in random_bytes(), pick in any::<usize>(), edits in edits()) {
        harness::multisend_decode(&bytes);
        harness::multisend_decode(&edited("multisend_decode", pick, &edits));
    }

    #[test]
    fn calldata_decode_random(bytes in random_bytes(), pick in any::<usize>(), edits in edits()) {
        harness::calldata_decode(&bytes);
        harness::calldata_decode(&edited("calldata_decode", pick, &edits));
    }

    #[test]
    fn runbook_compile_random(bytes in random_bytes(), pick in any::<usize>(), edits in edits()) {
        harness::runbook_compile(&bytes);
        harness::runbook_compile(&edited("runbook_compile", pick, &edits));
    }

    #[test]
    fn contract_inputs_random(bytes in random_bytes(), pick in any::<usize>(), edits in edits()) {
        harness::contract_inputs(&bytes);
        harness::contract_inputs(&edited("contract_inputs", pick, &edits));
    }
}
