//! Text from a hostile file must not be able to repaint the terminal: a
//! method name carrying escape sequences cannot turn FAILED into VERIFIED.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction, ContractMethod};
use common::bundlec;

#[test]
fn control_and_bidi_characters_from_input_are_escaped() {
    let hostile = "pauseAll\u{1b}[2J\u{1b}[HVERIFIED\u{202e}\u{9b}";
    let mut tx = BatchTransaction::raw(
        Address::repeat_byte(0x55),
        U256::ZERO,
        Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]),
    );
    tx.contract_method = Some(
        ContractMethod {
            inputs: vec![],
            name: hostile.into(),
            payable: false,
        }
        .into(),
    );
    tx.contract_inputs_values = Some(vec![]);
    let batch = BatchFile::new(
        1,
        0,
        BatchMeta::new("x", Address::repeat_byte(0x5a)),
        vec![tx],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, batch.to_json_string().unwrap()).unwrap();

    let text = bundlec()
        .arg("verify")
        .arg(&path)
        .args(["--safe-version=1.4.1", "--nonce=0"])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(stdout.starts_with("FAILED"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("pauseAll\\u001b[2J"), "{stdout}");

    // In JSON the escape is the same string, so data is not lost.
    let json = bundlec()
        .arg("verify")
        .arg(&path)
        .args(["--safe-version=1.4.1", "--nonce=0", "--json"])
        .output()
        .unwrap();
    let raw = String::from_utf8(json.stdout).unwrap();
    assert!(!raw.contains('\u{202e}') && !raw.contains('\u{9b}'));
    let report: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let label = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "label-mismatch")
        .unwrap();
    let message = label["message"].as_str().unwrap();
    assert!(message.contains(hostile), "{message:?}");

    // Errors quoting input go through the same escaping.
    let broken = dir.path().join("broken\u{1b}[31m.json");
    std::fs::write(&broken, "{").unwrap();
    let output = bundlec().arg("checksum").arg(&broken).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stderr).contains('\u{1b}'));
}

/// A method name whose raw newlines paint a clean report after the real
/// one. The batch is fixtures/verify/forged-report-text.json, generated with
/// a valid checksum by tests/verify_fixtures.rs.
#[test]
fn a_method_name_cannot_paint_a_fake_report() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = bundlec()
        .current_dir(root)
        .args([
            "verify",
            "fixtures/verify/forged-report-text.json",
            "--deployment",
            "fixtures/verify/deployment.toml",
            "--safe-version",
            "1.4.1",
            "--nonce",
            "7",
            "--chain-id",
            "1",
            "--safe",
            "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.first().unwrap().starts_with("FAILED"), "{stdout}");
    assert!(lines.last().unwrap().starts_with("FAILED"), "{stdout}");
    for line in &lines {
        assert_ne!(*line, "Findings (0)", "{stdout}");
        assert!(
            !line.starts_with("  safeTxHash      0xdeadbeef"),
            "{line:?} in {stdout}"
        );
        assert!(!line.starts_with("VERIFIED"), "{line:?} in {stdout}");
    }
    assert!(
        stdout.contains("pauseAll\\u000aFindings (0)\\u000a  none"),
        "{stdout}"
    );
}
