//! The committed bundles under bundles/: snapshots of every built file, a
//! clean `bundlec build --check`, valid checksums, and manifests whose Safe
//! transactions and hashes a signer can recompute with `bundlec hash` from
//! the batch files alone.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use alloy_primitives::{U256, hex, keccak256};
use bundlec::build::encode_contract_inputs;
use bundlec::parse::{parse_address, parse_hex_bytes};
use bundlec::safe::SafeVersion;
use bundlec::safe::batching::{Call, safe_tx_for_calls};
use bundlec::txbuilder::{ContractMethod, check, parse_json};
use common::{bundlec, str_field};
use serde_json::Value;

fn bundles_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bundles")
}

/// The files directly in bundles/ ending in `suffix`, sorted by name.
fn files(suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(bundles_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn manifests() -> Vec<PathBuf> {
    files(".safe.json")
}

const RUNBOOKS: [&str; 8] = [
    "pause-presigned.toml",
    "pause.toml",
    "refund-jobs.toml",
    "rotate-governance.toml",
    "rotate-signers.toml",
    "tabletop-feepool-drain.toml",
    "tabletop-validator-slashing.toml",
    "unpause.toml",
];

#[test]
fn every_runbook_is_committed_with_its_outputs() {
    let runbooks: Vec<String> = files(".toml").iter().map(|p| name(p)).collect();
    assert_eq!(runbooks, RUNBOOKS);
    let manifests: Vec<String> = manifests().iter().map(|p| name(p)).collect();
    let expected: Vec<String> = RUNBOOKS
        .iter()
        .map(|r| r.replace(".toml", ".safe.json"))
        .collect();
    assert_eq!(manifests, expected);
    // Every JSON file is a manifest, a batch one of them lists, or the typed
    // data or proposal of that batch's Safe transaction beside it.
    let mut listed: Vec<String> = manifests.clone();
    for manifest in self::manifests() {
        for batch in read_json(&manifest)["batches"].as_array().unwrap() {
            let file = str_field(batch, "file");
            listed.push(file.to_string());
            let stem = file.strip_suffix(".json").unwrap();
            match batch.get("presigned") {
                // A nonce range: the files of every nonce, as listed.
                Some(presigned) => {
                    for entry in presigned.as_array().unwrap() {
                        let nonce = str_field(entry, "nonce");
                        let typed = format!("{stem}.nonce-{nonce}.typed.json");
                        let proposal = format!("{stem}.nonce-{nonce}.proposal.json");
                        assert_eq!(str_field(entry, "typed_data"), typed);
                        assert_eq!(str_field(entry, "proposal"), proposal);
                        listed.extend([typed, proposal]);
                    }
                }
                None => {
                    listed.push(format!("{stem}.typed.json"));
                    listed.push(format!("{stem}.proposal.json"));
                }
            }
        }
    }
    listed.sort();
    let on_disk: Vec<String> = files(".json").iter().map(|p| name(p)).collect();
    assert_eq!(listed, on_disk);
}

#[test]
fn build_check_is_clean() {
    let output = bundlec()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("build")
        .arg("--check")
        .args(RUNBOOKS.iter().map(|r| format!("bundles/{r}")))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "bundles/ is stale; rebuild with `cargo run -- build bundles/*.toml`:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn snapshots_of_every_built_file() {
    for path in files(".json") {
        let contents = fs::read_to_string(&path).unwrap();
        insta::assert_snapshot!(name(&path), contents);
    }
}

/// The batch files a manifest lists, parsed, with their manifest entries.
fn batches_of(manifest: &Value) -> Vec<(Value, Value)> {
    manifest["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let text = fs::read_to_string(bundles_dir().join(str_field(entry, "file"))).unwrap();
            (parse_json(&text).unwrap(), entry.clone())
        })
        .collect()
}

#[test]
fn every_batch_checksum_validates() {
    for manifest in manifests() {
        for (batch, entry) in batches_of(&read_json(&manifest)) {
            let report = check(&batch).unwrap();
            assert!(report.valid, "{}: {report:?}", entry["file"]);
            assert_eq!(batch["meta"]["checksum"], entry["batch_checksum"]);
        }
    }
}

#[test]
fn contract_inputs_values_encode_to_the_data() {
    let mut transactions = 0;
    for path in files(".json").iter().filter(|p| {
        let name = name(p);
        ![".safe.json", ".typed.json", ".proposal.json"]
            .iter()
            .any(|e| name.ends_with(e))
    }) {
        for tx in read_json(path)["transactions"].as_array().unwrap() {
            let method = ContractMethod {
                inputs: tx["contractMethod"]["inputs"].as_array().unwrap().clone(),
                name: str_field(&tx["contractMethod"], "name").to_string(),
                payable: tx["contractMethod"]["payable"].as_bool().unwrap(),
            };
            let values: Vec<(String, String)> = tx["contractInputsValues"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let encoded = encode_contract_inputs(&method, &values).unwrap();
            assert_eq!(
                hex::encode_prefixed(encoded),
                str_field(tx, "data"),
                "{}",
                name(path)
            );
            transactions += 1;
        }
    }
    assert!(transactions > 30);
}

/// The manifest's Safe transaction is what the Safe{Wallet} batching rule
/// makes of the batch file's transactions, at the manifest's nonce.
#[test]
fn the_manifest_safe_tx_is_the_batch_as_safe_wallet_proposes_it() {
    for manifest_path in manifests() {
        let manifest = read_json(&manifest_path);
        let chain_id: u64 = str_field(&manifest, "chain_id").parse().unwrap();
        for (batch, entry) in batches_of(&manifest) {
            let calls: Vec<Call> = batch["transactions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|tx| Call {
                    to: parse_address(str_field(tx, "to")).unwrap(),
                    value: str_field(tx, "value").parse().unwrap(),
                    data: parse_hex_bytes(str_field(tx, "data")).unwrap(),
                })
                .collect();
            let version: SafeVersion = str_field(&entry, "safe_version").parse().unwrap();
            let nonce: U256 = str_field(&entry["safe_tx"], "nonce").parse().unwrap();
            let tx =
                safe_tx_for_calls(&calls, version, chain_id, nonce, Default::default()).unwrap();
            let view = &entry["safe_tx"];
            assert_eq!(str_field(view, "to"), tx.to.to_checksum(None));
            assert_eq!(str_field(view, "data"), hex::encode_prefixed(&tx.data));
            assert_eq!(str_field(view, "operation"), tx.operation.to_string());
            assert_eq!(str_field(view, "value"), tx.value.to_string());
            assert_eq!(batch["meta"]["createdFromSafeAddress"], entry["safe"]);
            assert_eq!(batch["chainId"], manifest["chain_id"]);
        }
    }
}

#[test]
fn manifest_hashes_equal_bundlec_hash() {
    for manifest_path in manifests() {
        let manifest = read_json(&manifest_path);
        for (_, entry) in batches_of(&manifest) {
            let tx = &entry["safe_tx"];
            let mut args: Vec<String> = vec![
                "hash".into(),
                "--json".into(),
                "--chain-id".into(),
                str_field(&manifest, "chain_id").into(),
                "--safe".into(),
                str_field(&entry, "safe").into(),
                "--safe-version".into(),
                str_field(&entry, "safe_version").into(),
            ];
            for (flag, key) in [
                ("--to", "to"),
                ("--value", "value"),
                ("--data", "data"),
                ("--operation", "operation"),
                ("--safe-tx-gas", "safe_tx_gas"),
                ("--base-gas", "base_gas"),
                ("--gas-price", "gas_price"),
                ("--gas-token", "gas_token"),
                ("--refund-receiver", "refund_receiver"),
                ("--nonce", "nonce"),
            ] {
                args.push(flag.into());
                args.push(str_field(tx, key).into());
            }
            let output = bundlec().args(&args).output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let hashed: Value = serde_json::from_slice(&output.stdout).unwrap();
            for key in ["domain_hash", "message_hash", "safe_tx_hash"] {
                assert_eq!(hashed[key], tx[key], "{} {key}", entry["file"]);
            }
        }
    }
}

#[test]
fn manifest_inputs_are_the_files_read() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for manifest_path in manifests() {
        let manifest = read_json(&manifest_path);
        for input in manifest["inputs"].as_array().unwrap() {
            let path = match str_field(input, "role") {
                "intent" | "deployment" | "abi" => bundles_dir().join(str_field(input, "name")),
                "embedded-abi" => root.join(str_field(input, "name")),
                other => panic!("unexpected role {other}"),
            };
            let bytes = fs::read(&path).unwrap();
            assert_eq!(
                str_field(input, "keccak256"),
                hex::encode_prefixed(keccak256(&bytes)),
                "{}",
                path.display()
            );
        }
        let intent = &manifest["inputs"][0];
        assert_eq!(intent["role"], "intent");
        assert_eq!(
            str_field(intent, "name"),
            name(&manifest_path).replace(".safe.json", ".toml")
        );
    }
}
