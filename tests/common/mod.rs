//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The vendored conformance vectors (see conformance/SOURCES), part of every
/// checkout.
pub fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// A vendored reference file under fixtures/reference (see fixtures/SOURCES).
pub fn reference_fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/reference")
        .join(path)
}

pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn bundlec() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("bundlec").unwrap()
}

pub fn str_field<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// Keeps a file the tests generate equal to what they generate now: a
/// difference fails, and `BUNDLEC_REGENERATE=1` rewrites the file instead.
pub fn sync_generated(path: &std::path::Path, contents: &str, test: &str) {
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != contents {
        if std::env::var_os("BUNDLEC_REGENERATE").is_some() {
            std::fs::write(path, contents).unwrap();
        } else {
            panic!(
                "{} is out of date: run `BUNDLEC_REGENERATE=1 cargo test --test {test}`",
                path.display()
            );
        }
    }
}
