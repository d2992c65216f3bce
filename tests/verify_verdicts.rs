//! The three verdicts as a signer sees them, text and JSON, snapshotted.
//! The binary runs from the repository root with relative paths, so the
//! paths it prints are the same on every machine.

mod common;

use common::bundlec;

/// The fixture flags of tests/verify_fixtures.rs: the signer's own book and
/// values, so only the batch decides the verdict.
const FIXTURE_FLAGS: &[&str] = &[
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
];

/// Runs `bundlec verify ARGS` as text and as JSON; returns both with the exit code.
fn verify(args: &[&str]) -> (i32, String, serde_json::Value) {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = bundlec()
        .current_dir(root)
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    let json = bundlec()
        .current_dir(root)
        .arg("verify")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let code = text.status.code().unwrap();
    assert_eq!(json.status.code(), Some(code), "text and JSON disagree");
    let stdout = String::from_utf8(text.stdout).unwrap();
    let report = serde_json::from_slice(&json.stdout).unwrap();
    (code, stdout, report)
}

/// The verdict is the first and the last line.
fn assert_verdict_frames(text: &str, verdict: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.first().unwrap().starts_with(verdict), "{text}");
    assert_eq!(lines.first(), lines.last(), "{text}");
}

#[test]
fn verified() {
    let (code, text, report) = verify(&[
        "bundles/pause.json",
        "--intent",
        "bundles/pause.toml",
        "--deployment",
        "bundles/deployments/example.toml",
    ]);
    assert_eq!(code, 0, "{text}");
    assert_verdict_frames(&text, "VERIFIED");
    assert_eq!(report["verdict"], "verified");
    insta::assert_snapshot!("verified_text", text);
    insta::assert_json_snapshot!("verified_json", report);
}

#[test]
fn no_reference() {
    let mut args = vec!["fixtures/verify/clean-pause.json"];
    args.extend_from_slice(FIXTURE_FLAGS);
    let (code, text, report) = verify(&args);
    assert_eq!(code, 0, "{text}");
    assert_verdict_frames(&text, "NO REFERENCE");
    assert_eq!(report["verdict"], "no-reference");
    insta::assert_snapshot!("no_reference_text", text);
    insta::assert_json_snapshot!("no_reference_json", report);
}

#[test]
fn failed() {
    let mut args = vec!["fixtures/verify/hidden-add-owner.json"];
    args.extend_from_slice(FIXTURE_FLAGS);
    let (code, text, report) = verify(&args);
    assert_eq!(code, 1, "{text}");
    assert_verdict_frames(&text, "FAILED");
    assert_eq!(report["verdict"], "failed");
    // The hashes come only under a heading that says not to sign them.
    let warning = text.find("DO NOT SIGN").unwrap_or_else(|| panic!("{text}"));
    let hash = text.find("safeTxHash").unwrap_or_else(|| panic!("{text}"));
    assert!(warning < hash, "{text}");
    insta::assert_snapshot!("failed_text", text);
    insta::assert_json_snapshot!("failed_json", report);
}

/// One cause at several places is one line, with how many times.
#[test]
fn repeated_findings_are_one_line_with_a_count() {
    use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
    use alloy_primitives::{U256, address};
    use bundlec::abi::registry::AbiRegistry;
    use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction};

    let registry = AbiRegistry::embedded().unwrap();
    let handover = registry
        .function("TaxPolicy", "transferOwnership")
        .unwrap()
        .abi_encode_input(&[DynSolValue::Address(address!(
            "a77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2"
        ))])
        .unwrap();
    let tx = BatchTransaction::raw(
        address!("f333333333333333333333333333333333333333"),
        U256::ZERO,
        handover.into(),
    );
    let batch = BatchFile::new(
        1,
        1_764_374_400_000,
        BatchMeta::new(
            "repeated",
            address!("5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe"),
        ),
        vec![tx.clone(), tx.clone(), tx],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeated.json");
    std::fs::write(&path, batch.to_json_string().unwrap()).unwrap();
    let path = path.display().to_string();
    let mut args = vec![path.as_str()];
    args.extend_from_slice(FIXTURE_FLAGS);
    let (code, text, _) = verify(&args);
    assert_eq!(code, 1, "{text}");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("unlabelled-recipient"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("[3 times: tx 0, tx 1, tx 2]"), "{text}");
}
