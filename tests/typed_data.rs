//! The EIP-712 typed data bundlec writes (`build`'s `*.typed.json`, `hash
//! --typed-data`, `verify --typed-data`) hashed by an independent EIP-712
//! implementation, alloy's `TypedData` (alloy-dyn-abi), never bundlec's own
//! hasher: its signing hash must be the safeTxHash, for every Safe version
//! and every committed bundle.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use alloy_dyn_abi::TypedData;
use common::{bundlec, str_field};
use serde_json::Value;

const VERSIONS: [&str; 7] = [
    "0.1.0", "1.0.0", "1.1.1", "1.2.0", "1.3.0", "1.4.1", "1.5.0",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The signing hash of typed-data JSON, as alloy computes it.
fn alloy_hash(text: &str) -> String {
    let typed: TypedData = serde_json::from_str(text).unwrap();
    format!("{:#x}", typed.eip712_signing_hash().unwrap())
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_committed_bundle_typed_data_hashes_to_its_safe_tx_hash() {
    let dir = root().join("bundles");
    let mut manifests: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".safe.json"))
        .collect();
    manifests.sort();
    let mut checked = 0;
    for manifest in manifests {
        let manifest = read_json(&manifest);
        for batch in manifest["batches"].as_array().unwrap() {
            let stem = str_field(batch, "file").strip_suffix(".json").unwrap();
            // (file, safeTxHash, domain hash): the batch's, or each nonce's
            // of a pre-signed range.
            let expected: Vec<(String, &str, &str)> = match batch.get("presigned") {
                None => vec![(
                    format!("{stem}.typed.json"),
                    str_field(&batch["safe_tx"], "safe_tx_hash"),
                    str_field(&batch["safe_tx"], "domain_hash"),
                )],
                Some(list) => list
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            str_field(e, "typed_data").to_owned(),
                            str_field(e, "safe_tx_hash"),
                            str_field(e, "domain_hash"),
                        )
                    })
                    .collect(),
            };
            for (file, safe_tx_hash, domain_hash) in expected {
                let text = fs::read_to_string(dir.join(&file)).unwrap();
                assert_eq!(alloy_hash(&text), safe_tx_hash, "{file}");
                // The domain alloy reads is the manifest's too.
                let typed: TypedData = serde_json::from_str(&text).unwrap();
                assert_eq!(format!("{:#x}", typed.domain().separator()), domain_hash);
                checked += 1;
            }
        }
    }
    // 12 batches, and the pre-signed pause at 3 nonces.
    assert_eq!(
        checked, 15,
        "every Safe transaction of bundles/ has its typed data"
    );
}

/// `hash` arguments with every field non-zero, so a field dropped or
/// renamed in the typed data changes the hash.
fn hash_args(version: &str) -> Vec<String> {
    [
        "hash",
        "--chain",
        "10",
        "--safe",
        "0x5aFE000000000000000000000000000000000001",
        "--safe-version",
        version,
        "--to",
        "0x9641d764fc13c8B624c04430C7356C1C7C8102e2",
        "--value",
        "1000000000000000000",
        "--data",
        "0x8d80ff0a00ff",
        "--operation",
        "1",
        "--safe-tx-gas",
        "50000",
        "--base-gas",
        "21000",
        "--gas-price",
        "7",
        "--gas-token",
        "0x1111111111111111111111111111111111111111",
        "--refund-receiver",
        "0x2222222222222222222222222222222222222222",
        "--nonce",
        "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn hash_typed_data_hashes_to_the_safe_tx_hash_for_every_version() {
    for version in VERSIONS {
        let typed = bundlec()
            .args(hash_args(version))
            .arg("--typed-data")
            .output()
            .unwrap();
        assert_eq!(typed.status.code(), Some(0), "{version}");
        let text = String::from_utf8(typed.stdout).unwrap();
        let json = bundlec()
            .args(hash_args(version))
            .arg("--json")
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(
            alloy_hash(&text),
            str_field(&json, "safe_tx_hash"),
            "{version}"
        );

        // The version rules, as eth_signTypedData_v4 reads them.
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["primaryType"], "SafeTx");
        let with_chain = !matches!(version, "0.1.0" | "1.0.0" | "1.1.1" | "1.2.0");
        assert_eq!(
            value["domain"].get("chainId").is_some(),
            with_chain,
            "{version}"
        );
        if with_chain {
            assert_eq!(value["domain"]["chainId"], 10);
        }
        let gas = if version == "0.1.0" {
            "dataGas"
        } else {
            "baseGas"
        };
        assert_eq!(value["message"][gas], "21000", "{version}");
        assert_eq!(value["message"]["value"], "1000000000000000000");
        assert_eq!(value["message"]["operation"], "1");
    }
}

fn runbook(version: &str) -> String {
    format!(
        r#"[bundle]
name = "pause"
created_at = 1764374400000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "{version}"
nonce = 7

[deployment]
file = "deployments/example.toml"

[[intent]]
kind = "pause"
modules = ["CertificateNFT", "AttestationRegistry"]
"#
    )
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deployments")).unwrap();
    fs::copy(
        root().join("fixtures/runbooks/deployments/example.toml"),
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn built_typed_data_hashes_to_the_manifest_hash_for_every_version() {
    for version in VERSIONS {
        let dir = workspace();
        fs::write(dir.path().join("pause.toml"), runbook(version)).unwrap();
        let out = bundlec()
            .current_dir(dir.path())
            .args(["build", "pause.toml"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{version}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let manifest = read_json(&dir.path().join("pause.safe.json"));
        let safe_tx = &manifest["batches"][0]["safe_tx"];
        let text = fs::read_to_string(dir.path().join("pause.typed.json")).unwrap();
        assert_eq!(
            alloy_hash(&text),
            str_field(safe_tx, "safe_tx_hash"),
            "{version}"
        );

        // verify --typed-data prints the same object, on one line, for the
        // transaction it verified.
        let verified = bundlec()
            .current_dir(dir.path())
            .args([
                "verify",
                "pause.json",
                "--intent",
                "pause.toml",
                "--typed-data",
            ])
            .output()
            .unwrap();
        assert_eq!(verified.status.code(), Some(0), "{version}");
        let lines = String::from_utf8(verified.stdout).unwrap();
        let lines: Vec<&str> = lines.lines().collect();
        assert_eq!(lines.len(), 1);
        let printed: Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(printed, serde_json::from_str::<Value>(&text).unwrap());
    }
}

#[test]
fn verify_typed_data_prints_nothing_for_a_batch_that_fails() {
    let dir = workspace();
    fs::write(dir.path().join("pause.toml"), runbook("1.4.1")).unwrap();
    bundlec()
        .current_dir(dir.path())
        .args(["build", "pause.toml"])
        .assert()
        .success();
    let out = bundlec()
        .current_dir(dir.path())
        .args([
            "verify",
            "pause.json",
            "--intent",
            "pause.toml",
            "--nonce",
            "8",
            "--expect-safe-tx-hash",
            "0x0000000000000000000000000000000000000000000000000000000000000001",
            "--typed-data",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("FAILED") && stderr.contains("do not sign"),
        "{stderr}"
    );
}
