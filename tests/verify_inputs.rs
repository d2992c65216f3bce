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

const BOOK: &str = "bundles/deployments/example.toml";

/// The five parts of the gradual unpause, as a shell glob gives them (in name order).
fn unpause_parts() -> Vec<String> {
    (1..=5)
        .map(|k| format!("bundles/unpause.{k}.json"))
        .collect()
}

#[test]
fn several_parts_verify_together_each_at_its_own_nonce() {
    let parts = unpause_parts();
    let mut args: Vec<&str> = parts.iter().map(String::as_str).collect();
    args.extend(["--intent", "bundles/unpause.toml", "--deployment", BOOK]);
    let (code, report, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr} {report:#}");
    assert_eq!(report["verdict"], "verified");
    let reported = report["parts"].as_array().unwrap();
    assert_eq!(reported.len(), 5);
    let first_nonce: u64 = reported[0]["nonce"].as_str().unwrap().parse().unwrap();
    for (k, part) in reported.iter().enumerate() {
        assert_eq!(part["part"]["index"], k + 1);
        assert_eq!(part["part"]["of"], 5);
        assert_eq!(part["file"], format!("unpause.{}.json", k + 1));
        assert_eq!(
            part["nonce"].as_str().unwrap(),
            (first_nonce + k as u64).to_string()
        );
    }
    // The text says which part each report is.
    let text = bundlec().arg("verify").args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("== part 3 of 5: unpause.3.json =="),
        "{stdout}"
    );
    assert!(
        stdout
            .trim_end()
            .ends_with("VERIFIED: 5 parts, each verified at its own nonce")
    );
}

#[test]
fn a_missing_extra_or_swapped_part_fails() {
    let parts = unpause_parts();
    // Part 4 missing.
    let mut args: Vec<&str> = parts.iter().map(String::as_str).collect();
    args.remove(3);
    args.extend(["--intent", "bundles/unpause.toml", "--deployment", BOOK]);
    let (code, report, _) = run(&args);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "failed");
    assert!(codes(&report["parts"][0]).contains(&"part-mismatch".to_string()));

    // A file that is not a part of this runbook.
    let mut args: Vec<&str> = parts.iter().map(String::as_str).collect();
    args.push(BATCH);
    args.extend(["--intent", "bundles/unpause.toml", "--deployment", BOOK]);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a part of this runbook"), "{stderr}");

    // Parts 2 and 3 swapped under each other's names: each part is checked
    // against what the runbook builds under that name.
    let dir = tempfile::tempdir().unwrap();
    for k in 1..=5 {
        let from = match k {
            2 => 3,
            3 => 2,
            k => k,
        };
        std::fs::copy(
            format!("bundles/unpause.{from}.json"),
            dir.path().join(format!("unpause.{k}.json")),
        )
        .unwrap();
    }
    let swapped: Vec<String> = (1..=5)
        .map(|k| {
            dir.path()
                .join(format!("unpause.{k}.json"))
                .display()
                .to_string()
        })
        .collect();
    let mut args: Vec<&str> = swapped.iter().map(String::as_str).collect();
    args.extend(["--intent", "bundles/unpause.toml", "--deployment", BOOK]);
    let (code, report, _) = run(&args);
    assert_eq!(code, 1);
    for k in [1, 2] {
        assert!(
            codes(&report["parts"][k]).contains(&"intent-mismatch".to_string()),
            "part {}: {:#}",
            k + 1,
            report["parts"][k]["findings"]
        );
    }

    // Several parts need something that says what the parts are.
    let args: Vec<&str> = parts.iter().map(String::as_str).collect();
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2);
    assert!(stderr.contains("--intent"), "{stderr}");
}

#[test]
fn the_signers_own_book_must_agree_with_the_intents() {
    // A copy of the example book in which backup-safe is someone else.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(BOOK).unwrap().replace(
        "backup-safe = \"0x5afe000000000000000000000000000000000002\"",
        "backup-safe = \"0x5afe000000000000000000000000000000000099\"",
    );
    let own = dir.path().join("mine.toml");
    std::fs::write(&own, text).unwrap();
    let own = own.display().to_string();
    let (code, report, _) = run(&[
        "bundles/rotate-governance.json",
        "--intent",
        "bundles/rotate-governance.toml",
        "--deployment",
        &own,
    ]);
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"address-book-mismatch".to_string()));
    assert_eq!(report["address_book"]["file"], own.as_str());
    assert_eq!(report["address_book"]["signers_own"], true);
    // The same runbook against the book it names: the report says so, and
    // that the book is not the signer's.
    let (code, report, _) = run(&[
        "bundles/rotate-governance.json",
        "--intent",
        "bundles/rotate-governance.toml",
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["address_book"]["signers_own"], false);
    assert!(
        report["address_book"]["file"]
            .as_str()
            .unwrap()
            .ends_with("deployments/example.toml")
    );
    assert!(codes(&report).contains(&"address-book-not-yours".to_string()));
}

/// A manifest is written by the batch's author: its free-text call summaries
/// could describe an unpause as a pause, so only the intent's are shown.
#[test]
fn a_manifests_summaries_are_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(MANIFEST).unwrap()).unwrap();
    for call in manifest["batches"][0]["calls"].as_array_mut().unwrap() {
        call["summary"] = Value::String("LIES: does nothing at all".into());
    }
    let path = dir.path().join("pause.safe.json");
    std::fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let output = bundlec()
        .args(["verify", BATCH, "--manifest"])
        .arg(&path)
        .args(["--deployment", BOOK])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("LIES"), "{stdout}");
    // The intent's own summaries are.
    let output = bundlec()
        .args(["verify", BATCH, "--intent", INTENT, "--deployment", BOOK])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("tx 0: pause all eight core modules via SystemPause"),
        "{stdout}"
    );
}

/// An owner Safe below 1.3.0 signs its approveHash with an estimated
/// safeTxGas: the hashes shown assume 0, and the report says so.
#[test]
fn a_nested_owner_below_1_3_0_is_told_its_hashes_assume_zero_gas() {
    let (code, report, _) = run(&[
        BATCH,
        "--intent",
        INTENT,
        "--nested-safe",
        "0x5afe000000000000000000000000000000000002",
        "--nested-nonce",
        "3",
        "--nested-safe-version",
        "1.1.1",
    ]);
    assert_eq!(code, 0);
    let notice = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "safe-tx-gas-assumed")
        .unwrap();
    assert_eq!(notice["path"], "nested_safe_tx");
    assert_eq!(notice["severity"], "notice");
}

/// Batches the Transaction Builder itself refuses are refused as the app
/// would, and the message says what the app does with them.
#[test]
fn files_the_app_refuses_are_refused_with_what_the_app_does() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, transaction: Value| {
        let batch = serde_json::json!({
            "version": "1.0",
            "chainId": "1",
            "createdAt": 0,
            "meta": { "name": "x", "createdFromSafeAddress": "0x5afe000000000000000000000000000000000001" },
            "transactions": [transaction],
        });
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_string(&batch).unwrap()).unwrap();
        path.display().to_string()
    };
    // An invalid `to` in a transaction without data: the import fails silently.
    let bad_to = write(
        "bad-to.json",
        serde_json::json!({
            "to": "0x1234", "value": "0", "data": null,
            "contractMethod": { "inputs": [], "name": "pause", "payable": false },
            "contractInputsValues": {}
        }),
    );
    let (code, _, stderr) = run(&[&bad_to, "--safe-version=1.4.1", "--nonce=0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the Transaction Builder fails to import this file and shows nothing"),
        "{stderr}"
    );
    // A JSON number among the values: the app refuses the whole file.
    let number = write(
        "number.json",
        serde_json::json!({
            "to": "0x7777777777777777777777777777777777777777", "value": "0", "data": null,
            "contractMethod": {
                "inputs": [{ "internalType": "uint256", "name": "jobId", "type": "uint256" }],
                "name": "delistJob", "payable": false
            },
            "contractInputsValues": { "jobId": 7 }
        }),
    );
    let (code, _, stderr) = run(&[&number, "--safe-version=1.4.1", "--nonce=0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("Make sure all numbers are encoded as strings"),
        "{stderr}"
    );
}

/// An intent's book that calls a deployed contract absent makes
/// `modules = "all"` leave it out: the signer's own book catches it.
#[test]
fn an_intent_book_that_hides_a_contract_as_absent_fails() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(BOOK).unwrap();
    let hidden = original
        .lines()
        .filter(|line| !line.starts_with("CertificateNFT = "))
        .map(|line| line.replace("absent = [", "absent = [\"CertificateNFT\","))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(hidden.contains("absent = [\"CertificateNFT\","));
    std::fs::create_dir(dir.path().join("deployments")).unwrap();
    std::fs::write(dir.path().join("deployments/example.toml"), hidden).unwrap();
    std::fs::copy(INTENT, dir.path().join("pause.toml")).unwrap();
    let build = bundlec()
        .current_dir(dir.path())
        .args(["build", "pause.toml"])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let batch = dir.path().join("pause.json").display().to_string();
    let intent = dir.path().join("pause.toml").display().to_string();
    // Against the book that came with it, the shorter pause verifies.
    let (code, _, _) = run(&[&batch, "--intent", &intent]);
    assert_eq!(code, 0);
    // Against the signer's own book, it fails.
    let (code, report, _) = run(&[&batch, "--intent", &intent, "--deployment", BOOK]);
    assert_eq!(code, 1);
    let mismatch = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "address-book-mismatch")
        .unwrap();
    assert!(
        mismatch["message"]
            .as_str()
            .unwrap()
            .contains("`CertificateNFT` is not deployed")
    );
}
