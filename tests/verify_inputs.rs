//! Where `bundlec verify` takes the Safe, chain, version and nonce from, and
//! what it refuses to guess.

mod common;

use common::bundlec;
use serde_json::Value;

const BATCH: &str = "bundles/pause.json";
const INTENT: &str = "bundles/pause.toml";
const MANIFEST: &str = "bundles/pause.safe.json";

fn run(args: &[&str]) -> (i32, Value, String) {
    let output = bundlec()
        .arg("verify")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap(), json, stderr)
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_version_and_nonce_are_never_guessed() {
    let (code, _, stderr) = run(&[BATCH]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--safe-version"), "{stderr}");
    let (code, _, stderr) = run(&[BATCH, "--safe-version=1.4.1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--nonce"), "{stderr}");
}

#[test]
fn flags_override_the_intent_and_the_manifest() {
    // The intent says nonce 42; --nonce wins, so the manifest no longer agrees.
    let (code, report, _) = run(&[
        BATCH,
        "--intent",
        INTENT,
        "--manifest",
        MANIFEST,
        "--nonce=43",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["nonce"], "43");
    assert!(codes(&report).contains(&"manifest-mismatch".into()));
    // A chain flag overrides the intent's chain, and the batch is then for another chain.
    let (code, report, _) = run(&[BATCH, "--intent", INTENT, "--chain-id=5"]);
    assert_eq!(code, 1);
    assert_eq!(report["chain_id"], "5");
    assert!(codes(&report).contains(&"chain-mismatch".into()));
}

#[test]
fn the_intent_comes_before_the_manifest_and_the_manifest_before_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(MANIFEST).unwrap()).unwrap();
    manifest["batches"][0]["safe_tx"]["nonce"] = Value::String("7".into());
    let path = dir.path().join("pause.safe.json");
    std::fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let path = path.display().to_string();
    // With the intent, the intent's nonce (42) is used and the manifest's 7 is a mismatch.
    let (_, report, _) = run(&[BATCH, "--intent", INTENT, "--manifest", &path]);
    assert_eq!(report["nonce"], "42");
    assert!(codes(&report).contains(&"manifest-mismatch".into()));
    // Without it, the manifest supplies version and nonce (7).
    let (_, report, _) = run(&[BATCH, "--manifest", &path]);
    assert_eq!(report["nonce"], "7");
    assert_eq!(report["safe_version"], "1.4.1");
    // What only the batch or its manifest says is used, and marked as unchecked.
    let unchecked = |report: &Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "unchecked")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let messages = unchecked(&report);
    assert_eq!(messages.len(), 4, "{messages:?}");
    for (what, flag) in [
        ("chain id", "--chain-id"),
        ("Safe", "--safe"),
        ("Safe version", "--safe-version"),
        ("nonce", "--nonce"),
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("the {what} came from")) && m.contains(flag)),
            "{what}: {messages:?}"
        );
    }
    let (_, report, _) = run(&[BATCH, "--safe-version=1.4.1", "--nonce=42"]);
    assert_eq!(unchecked(&report).len(), 2);
    let (_, report, _) = run(&[BATCH, "--intent", INTENT]);
    assert!(unchecked(&report).is_empty());
    let text = bundlec()
        .args(["verify", BATCH, "--safe-version=1.4.1", "--nonce=42"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout
            .contains("notice unchecked [batch] the chain id came from the batch or its manifest"),
        "{stdout}"
    );
    // Unchecked values are notices: they fail the run under --strict.
    let strict = bundlec()
        .args([
            "verify",
            BATCH,
            "--safe-version=1.4.1",
            "--nonce=42",
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_proposed_transaction_must_be_complete_and_never_supplies_the_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(MANIFEST).unwrap()).unwrap();
    let mut safe_tx = manifest["batches"][0]["safe_tx"].clone();
    let path = dir.path().join("safe-tx.json");
    std::fs::write(&path, serde_json::to_string(&safe_tx).unwrap()).unwrap();
    let path_text = path.display().to_string();
    // The proposed transaction's nonce does not stand in for --nonce.
    let (code, _, stderr) = run(&[BATCH, "--safe-version=1.4.1", "--safe-tx", &path_text]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--nonce"));
    // The manifest form verifies; so does the whole manifest given as --safe-tx.
    let (code, _, stderr) = run(&[BATCH, "--intent", INTENT, "--safe-tx", &path_text]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&[BATCH, "--intent", INTENT, "--safe-tx", MANIFEST]);
    assert_eq!(code, 0, "{stderr}");
    // A missing gas field is not read as zero.
    safe_tx.as_object_mut().unwrap().remove("gas_price");
    std::fs::write(&path, serde_json::to_string(&safe_tx).unwrap()).unwrap();
    let (code, _, stderr) = run(&[BATCH, "--intent", INTENT, "--safe-tx", &path_text]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("gasPrice") && stderr.contains("missing"),
        "{stderr}"
    );
}

#[test]
fn an_address_book_for_another_chain_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("bundles/deployments/example.toml")
        .unwrap()
        .replace("chain_id = 1", "chain_id = 10");
    let path = dir.path().join("other-chain.toml");
    std::fs::write(&path, text).unwrap();
    let path = path.display().to_string();
    let (code, _, stderr) = run(&[BATCH, "--manifest", MANIFEST, "--deployment", &path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("chain 10"), "{stderr}");
}

#[test]
fn below_1_3_0_the_proposed_safe_tx_gas_is_taken() {
    // Safe{Wallet} estimates safeTxGas for Safes below 1.3.0; from 1.3.0 it is 0.
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(MANIFEST).unwrap()).unwrap();
    let mut safe_tx = manifest["batches"][0]["safe_tx"].clone();
    safe_tx["to"] = Value::String("0x40A2aCCbd92BCA938b02010E17A5b8929b49130D".into());
    safe_tx["safe_tx_gas"] = Value::String("50000".into());
    for key in ["domain_hash", "message_hash", "safe_tx_hash"] {
        safe_tx.as_object_mut().unwrap().remove(key);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("proposed.json");
    std::fs::write(&path, serde_json::to_string(&safe_tx).unwrap()).unwrap();
    let path = path.display().to_string();
    let (code, report, stderr) = run(&[
        BATCH,
        "--safe-version=1.2.0",
        "--nonce=42",
        "--safe-tx",
        &path,
    ]);
    assert_eq!(code, 0, "{stderr} {report:#}");
    assert_eq!(report["safe_transactions"][0]["safe_tx_gas"], "50000");
    let (code, report, _) = run(&[
        BATCH,
        "--safe-version=1.3.0",
        "--nonce=42",
        "--safe-tx",
        &path,
    ]);
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"safe-tx-mismatch".into()));
}
