//! Every published vector in conformance/published/safe-hashes.jsonl
//! reproduces all the hashes it lists, through the library and through
//! `bundlec hash --json`.

mod common;

use alloy_primitives::{B256, U256};
use bundlec::parse::{parse_address, parse_hex_bytes, parse_uint256};
use bundlec::safe::{self, SafeMessage, SafeTx, SafeVersion, nested};
use common::{bundlec, conformance_dir, read_jsonl, str_field};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let vectors = read_jsonl(&conformance_dir().join("published/safe-hashes.jsonl"));
    assert!(vectors.len() >= 11, "expected the full vector file");
    vectors
}

fn hash(v: &Value, key: &str) -> Option<B256> {
    v.get(key).map(|h| h.as_str().unwrap().parse().unwrap())
}

fn safe_tx(v: &Value) -> SafeTx {
    SafeTx {
        to: parse_address(str_field(v, "to")).unwrap(),
        value: parse_uint256(str_field(v, "value")).unwrap(),
        data: parse_hex_bytes(str_field(v, "data")).unwrap(),
        operation: v["operation"].as_u64().unwrap() as u8,
        safe_tx_gas: parse_uint256(str_field(v, "safeTxGas")).unwrap(),
        base_gas: parse_uint256(str_field(v, "baseGas")).unwrap(),
        gas_price: parse_uint256(str_field(v, "gasPrice")).unwrap(),
        gas_token: parse_address(str_field(v, "gasToken")).unwrap(),
        refund_receiver: parse_address(str_field(v, "refundReceiver")).unwrap(),
        nonce: parse_uint256(str_field(v, "nonce")).unwrap(),
    }
}

/// Asserts every hash the vector lists; returns how many it checked.
fn check_listed(v: &Value, pairs: &[(&str, B256)]) -> usize {
    let mut checked = 0;
    for (key, actual) in pairs {
        if let Some(expected) = hash(v, key) {
            assert_eq!(*actual, expected, "{} {key}", str_field(v, "id"));
            checked += 1;
        }
    }
    checked
}

#[test]
fn library_reproduces_every_vector() {
    for v in vectors() {
        let version: SafeVersion = str_field(&v, "version").parse().unwrap();
        let chain_id = v["chainId"].as_u64().unwrap();
        let safe_address = parse_address(str_field(&v, "safe")).unwrap();
        let checked = match str_field(&v, "kind") {
            "tx" => {
                let h = safe::safe_tx_hashes(version, chain_id, safe_address, &safe_tx(&v));
                check_listed(
                    &v,
                    &[
                        ("domainHash", h.domain_hash),
                        ("messageHash", h.message_hash),
                        ("safeTxHash", h.safe_tx_hash),
                    ],
                )
            }
            "message" => {
                let message = SafeMessage::Text(str_field(&v, "messageText").to_string());
                let eip191 = B256::from_slice(&message.message_bytes());
                let h = safe::safe_message_hashes(version, chain_id, safe_address, &message);
                check_listed(
                    &v,
                    &[
                        ("messageHashedEip191", eip191),
                        ("domainHash", h.domain_hash),
                        ("messageHash", h.message_hash),
                        ("safeMessageHash", h.safe_message_hash),
                    ],
                )
            }
            other => panic!("unknown vector kind {other}"),
        };
        assert!(checked > 0, "{} lists no hash", str_field(&v, "id"));
    }
}

#[test]
fn raw_message_bytes_hash_like_the_text_they_came_from() {
    let v = vectors()
        .into_iter()
        .find(|v| v["kind"] == "message")
        .unwrap();
    let version: SafeVersion = str_field(&v, "version").parse().unwrap();
    let safe_address = parse_address(str_field(&v, "safe")).unwrap();
    let chain_id = v["chainId"].as_u64().unwrap();
    let eip191 = parse_hex_bytes(str_field(&v, "messageHashedEip191")).unwrap();
    let h = safe::safe_message_hashes(version, chain_id, safe_address, &SafeMessage::Bytes(eip191));
    assert_eq!(Some(h.safe_message_hash), hash(&v, "safeMessageHash"));
}

#[test]
fn nested_approve_hash_vector() {
    let all = vectors();
    let by_id = |id: &str| all.iter().find(|v| v["id"] == id).unwrap().clone();
    let parent = by_id("stu-sepolia-eth-transfer");
    let owner = by_id("stu-sepolia-nested-approvehash");
    let parent_safe = parse_address(str_field(&parent, "safe")).unwrap();
    let version: SafeVersion = str_field(&parent, "version").parse().unwrap();
    let parent_hash =
        safe::safe_tx_hashes(version, 11155111, parent_safe, &safe_tx(&parent)).safe_tx_hash;
    let approve = nested::approve_hash_tx(parent_safe, parent_hash, U256::from(4));
    assert_eq!(approve, safe_tx(&owner));
    let owner_safe = parse_address(str_field(&owner, "safe")).unwrap();
    let h = safe::safe_tx_hashes(version, 11155111, owner_safe, &approve);
    assert_eq!(Some(h.safe_tx_hash), hash(&owner, "safeTxHash"));
    assert_eq!(Some(h.domain_hash), hash(&owner, "domainHash"));
    assert_eq!(Some(h.message_hash), hash(&owner, "messageHash"));
}

fn cli_json(args: &[String]) -> Value {
    let output = bundlec()
        .arg("hash")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn cli_reproduces_every_vector() {
    for v in vectors() {
        let mut args: Vec<String> = vec![
            "--chain-id".into(),
            v["chainId"].to_string(),
            "--safe".into(),
            str_field(&v, "safe").into(),
            "--safe-version".into(),
            str_field(&v, "version").into(),
        ];
        let pairs: &[(&str, &str)] = if v["kind"] == "tx" {
            for (flag, key) in [
                ("--to", "to"),
                ("--value", "value"),
                ("--data", "data"),
                ("--safe-tx-gas", "safeTxGas"),
                ("--base-gas", "baseGas"),
                ("--gas-price", "gasPrice"),
                ("--gas-token", "gasToken"),
                ("--refund-receiver", "refundReceiver"),
                ("--nonce", "nonce"),
            ] {
                args.push(flag.into());
                args.push(str_field(&v, key).into());
            }
            args.push("--operation".into());
            args.push(v["operation"].to_string());
            &[
                ("domainHash", "domain_hash"),
                ("messageHash", "message_hash"),
                ("safeTxHash", "safe_tx_hash"),
            ]
        } else {
            args.push("--message".into());
            args.push(str_field(&v, "messageText").into());
            &[
                ("domainHash", "domain_hash"),
                ("messageHash", "message_hash"),
                ("safeMessageHash", "safe_message_hash"),
            ]
        };
        let out = cli_json(&args);
        for (vector_key, json_key) in pairs {
            if let Some(expected) = v.get(*vector_key) {
                assert_eq!(
                    out[*json_key],
                    *expected,
                    "{} {json_key}",
                    str_field(&v, "id")
                );
            }
        }
    }
}

#[test]
fn cli_nested_safe_prints_the_approve_hash_hashes() {
    let out = cli_json(
        &[
            "--chain-id=11155111",
            "--safe=0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1",
            "--safe-version=1.3.0",
            "--to=0x255C3912f91eF11bFDadd405F13144a823Da8cc5",
            "--value=100000000000000000",
            "--nonce=4",
            "--nested-safe=0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251",
            "--nested-nonce=4",
        ]
        .map(String::from),
    );
    assert_eq!(
        out["nested"]["safe_tx_hash"],
        "0x86eb3f93f2670d119a4ecb8eeaa4dafe31a28abcafe06688d47e195a3dd7abb0"
    );
}

#[test]
fn message_file_with_crlf_hashes_like_lf() {
    let v = vectors()
        .into_iter()
        .find(|v| v["kind"] == "message")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("message.txt");
    std::fs::write(&path, str_field(&v, "messageText").replace('\n', "\r\n")).unwrap();
    let out = cli_json(&[
        "--chain-id".into(),
        v["chainId"].to_string(),
        "--safe".into(),
        str_field(&v, "safe").into(),
        "--safe-version".into(),
        str_field(&v, "version").into(),
        "--message-file".into(),
        path.display().to_string(),
    ]);
    assert_eq!(out["safe_message_hash"], v["safeMessageHash"]);
}
