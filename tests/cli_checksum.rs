//! `bundlec checksum`: verdicts, exit codes and JSON output.

mod common;

use std::path::PathBuf;

use common::{bundlec, conformance_dir};

fn exports() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(conformance_dir().join("txbuilder-exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("txb-"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    files
}

#[test]
fn real_exports_pass() {
    bundlec().arg("checksum").args(exports()).assert().success();
}

#[test]
fn a_changed_file_fails_with_exit_1_and_json_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let original = &exports()[0];
    let text = std::fs::read_to_string(original).unwrap();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(
        &tampered,
        text.replacen("\"value\": \"0\"", "\"value\": \"1\"", 1),
    )
    .unwrap();
    assert_ne!(
        std::fs::read_to_string(&tampered).unwrap(),
        text,
        "fixture must change"
    );

    let output = bundlec()
        .arg("checksum")
        .arg("--json")
        .arg(original)
        .arg(&tampered)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdicts: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdicts[0]["valid"], true);
    assert_eq!(verdicts[1]["valid"], false);
    assert_eq!(verdicts[0]["stored"], verdicts[0]["computed"]);
    assert_ne!(verdicts[1]["stored"], verdicts[1]["computed"]);
}

#[test]
fn any_json_object_gets_a_verdict_and_a_missing_checksum_is_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [
        (
            "no-checksum.json",
            r#"{"version":"1.0","meta":{"name":"x"},"transactions":[]}"#,
        ),
        ("no-meta.json", r#"{"hello":"world"}"#),
        ("empty.json", "{}"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let output = bundlec().arg("checksum").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("MISMATCH"));
    }
}

#[test]
fn unreadable_or_non_object_files_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"version\": \"1.0\",\n  oops\n}").unwrap();
    let array = dir.path().join("array.json");
    std::fs::write(&array, "[1, 2]").unwrap();
    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let missing = dir.path().join("missing.json");
    for (path, needle) in [
        (&broken, "line 3, column 3"),
        (&array, "JSON object"),
        (&binary, "UTF-8"),
        (&missing, "cannot read"),
    ] {
        let output = bundlec().arg("checksum").arg(path).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    }
    bundlec().arg("checksum").assert().code(2);
}
