//! `bundlec verify` against the committed bundles: every batch verifies with
//! and without its intent, and a tamper matrix shows that any change to a
//! call or a Safe parameter, with the checksum recomputed so only the semantic
//! checks can catch it, fails verification with the right finding.

mod common;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use alloy_primitives::{Address, U256};
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::runbook::{Source, parse_deployment};
use bundlec::safe::SafeTx;
use bundlec::safe::batching::Call;
use bundlec::txbuilder::{compute_checksum, format_checksum};
use bundlec::verify::{self, Code, Findings, GivenSafeTx, Request, Target};
use common::{bundlec, conformance_dir};
use serde_json::Value;

static REGISTRY: LazyLock<AbiRegistry> = LazyLock::new(|| AbiRegistry::embedded().unwrap());

fn bundles_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bundles")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every batch under bundles/ with its intent file and manifest entry.
struct BundleBatch {
    batch: PathBuf,
    intent: PathBuf,
    manifest: PathBuf,
    entry: Value,
    chain_id: u64,
}

fn bundle_batches() -> Vec<BundleBatch> {
    let mut out = Vec::new();
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(bundles_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".safe.json"))
        .collect();
    manifests.sort();
    for manifest in manifests {
        let value = read_json(&manifest);
        let stem = manifest
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".safe.json")
            .to_string();
        for entry in value["batches"].as_array().unwrap() {
            out.push(BundleBatch {
                batch: bundles_dir().join(entry["file"].as_str().unwrap()),
                intent: bundles_dir().join(format!("{stem}.toml")),
                manifest: manifest.clone(),
                entry: entry.clone(),
                chain_id: value["chain_id"].as_str().unwrap().parse().unwrap(),
            });
        }
    }
    assert!(out.len() >= 10, "expected the committed bundles");
    out
}

/// The dangers a clean bundle carries by design, each intended by its intent.
fn expected_warnings(b: &BundleBatch) -> Vec<Code> {
    if b.batch.to_string_lossy().contains("rotate-signers") {
        vec![Code::SafeConfigChange]
    } else {
        vec![]
    }
}

fn run_json(args: &[String]) -> (i32, Value) {
    let output = bundlec().args(args).output().unwrap();
    let stdout: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), stdout)
}

/// The per-transaction reports of a verify --json run, each with the Safe
/// transaction the manifest entry records for it: the one report, or for a
/// batch pre-signed at a range of nonces, one per nonce (`nonces`) with the
/// entry's `safe_tx` at that nonce (its `presigned` hashes).
fn per_nonce(report: &Value, entry: &Value) -> Vec<(Value, Value)> {
    let Some(reports) = report.get("nonces") else {
        return vec![(report.clone(), entry["safe_tx"].clone())];
    };
    let presigned = entry["presigned"].as_array().unwrap();
    assert_eq!(reports.as_array().unwrap().len(), presigned.len());
    reports
        .as_array()
        .unwrap()
        .iter()
        .zip(presigned)
        .map(|(r, p)| {
            assert_eq!(r["nonce"], p["nonce"]);
            let mut safe_tx = entry["safe_tx"].clone();
            for key in ["nonce", "domain_hash", "message_hash", "safe_tx_hash"] {
                safe_tx[key] = p[key].clone();
            }
            (r.clone(), safe_tx)
        })
        .collect()
}

#[test]
fn every_bundle_verifies_with_and_without_its_intent() {
    for b in bundle_batches() {
        let batch = b.batch.display().to_string();
        let with_intent = [
            "verify".into(),
            batch.clone(),
            "--intent".into(),
            b.intent.display().to_string(),
            "--json".into(),
        ];
        // Without the intent, the signer's own book names the addresses and
        // the dangers the intent would have explained are accepted on purpose.
        let mut without = vec![
            "verify".to_string(),
            batch.clone(),
            "--manifest".into(),
            b.manifest.display().to_string(),
            "--deployment".into(),
            bundles_dir()
                .join("deployments/example.toml")
                .display()
                .to_string(),
            "--json".into(),
        ];
        for code in expected_warnings(&b) {
            without.push("--accept".into());
            without.push(format!("{}@tx 0", code.as_str()));
        }
        for args in [with_intent.to_vec(), without.to_vec()] {
            let (code, report) = run_json(&args);
            assert_eq!(code, 0, "{args:?}: {report:#}");
            assert_eq!(report["ok"], true);
            for (report, expected) in per_nonce(&report, &b.entry) {
                let safe_tx = &report["safe_transactions"][0];
                for key in [
                    "to",
                    "value",
                    "data",
                    "operation",
                    "nonce",
                    "domain_hash",
                    "message_hash",
                    "safe_tx_hash",
                ] {
                    assert_eq!(safe_tx[key], expected[key], "{batch} {key}");
                }
            }
        }
        // With the intent every target is named and every danger left is
        // one the intent asked for (a signer rotation changes the Safe); the
        // only notice says the address book came with the intent.
        let (_, report) = run_json(&with_intent);
        assert_eq!(report["verdict"], "verified", "{batch}");
        for (report, _) in per_nonce(&report, &b.entry) {
            let open: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["status"] == "open")
                .map(|f| f["code"].as_str().unwrap())
                .collect();
            assert_eq!(open, ["address-book-not-yours"], "{batch}");
        }
        // Against the signer's own copy of the book, nothing is left but the
        // intended effects, even under --strict.
        let mut own = with_intent.to_vec();
        own.extend([
            "--deployment".into(),
            bundles_dir()
                .join("deployments/example.toml")
                .display()
                .to_string(),
            "--strict".into(),
        ]);
        let (code, report) = run_json(&own);
        assert_eq!(code, 0, "{batch}: {report:#}");
        for (report, _) in per_nonce(&report, &b.entry) {
            let found: Vec<(&str, &str)> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["code"].as_str().unwrap(), f["status"].as_str().unwrap()))
                .collect();
            let expected: Vec<(&str, &str)> = expected_warnings(&b)
                .iter()
                .map(|c| (c.as_str(), "intended"))
                .collect();
            assert_eq!(found, expected, "{batch}");
            assert_eq!(report["address_book"]["signers_own"], true);
        }
        // The manifest is cross-checked too when given with the intent.
        let mut both = own.clone();
        both.extend(["--manifest".into(), b.manifest.display().to_string()]);
        assert_eq!(run_json(&both).0, 0, "{batch}");
    }
}

fn book_for(safe: Address) -> AddressBook {
    let path = bundles_dir().join("deployments/example.toml");
    let source = Source::new(
        path.display().to_string(),
        std::fs::read_to_string(&path).unwrap(),
    );
    AddressBook::for_deployment(&parse_deployment(&source).unwrap(), safe)
}

fn target_of(b: &BundleBatch) -> Target {
    Target {
        chain_id: b.chain_id,
        safe: b.entry["safe"].as_str().unwrap().parse().unwrap(),
        version: b.entry["safe_version"].as_str().unwrap().parse().unwrap(),
        nonce: b.entry["safe_tx"]["nonce"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        multi_send: Default::default(),
        trusted_multi_send_call_only: None,
    }
}

fn calls_of(batch: &Value) -> Vec<Call> {
    verify::read_batch(batch, &mut Findings::new())
        .unwrap()
        .calls
}

fn with_checksum(mut batch: Value) -> Value {
    let checksum = compute_checksum(&batch).unwrap();
    batch["meta"]["checksum"] = Value::String(format_checksum(&checksum));
    batch
}

/// Verifies `batch` against the untampered intent calls (what `--intent`
/// recompiles to, as the test above shows) and returns the finding codes.
fn codes(
    b: &BundleBatch,
    batch: &Value,
    expected_calls: &[Call],
    given: Option<&GivenSafeTx>,
) -> (bool, Vec<Code>) {
    let target = target_of(b);
    let book = book_for(target.safe);
    let batch = verify::read(batch).unwrap();
    let request = Request {
        batch: &batch,
        target,
        intent_calls: Some(expected_calls),
        manifest_safe_tx: None,
        given_safe_tx: given,
        expect_safe_tx_hash: None,
        nested: None,
        registry: &REGISTRY,
        book: &book,
        summaries: None,
        book_origin: None,
        accept: &[],
        preliminary: &[],
        strict: false,
    };
    let report = verify::verify(&request).unwrap();
    (report.ok, report.findings.iter().map(|f| f.code).collect())
}

fn hex_data(tx: &Value) -> Vec<u8> {
    alloy_primitives::hex::decode(tx["data"].as_str().unwrap()).unwrap()
}

#[test]
fn tampering_with_any_call_fails_against_the_intent() {
    for b in bundle_batches() {
        let original = read_json(&b.batch);
        let expected = calls_of(&original);
        let (ok, found) = codes(&b, &original, &expected, None);
        assert!(ok, "{}: {found:?}", b.batch.display());
        assert!(
            found.iter().all(|c| expected_warnings(&b).contains(c)),
            "{}: {found:?}",
            b.batch.display()
        );
        let count = original["transactions"].as_array().unwrap().len();
        for i in 0..count {
            let data = hex_data(&original["transactions"][i]);
            let mut variants: Vec<(String, Value)> = Vec::new();
            let mut tamper = |what: String, edit: &dyn Fn(&mut Value)| {
                let mut batch = original.clone();
                edit(&mut batch["transactions"][i]);
                variants.push((what, with_checksum(batch)));
            };
            tamper(format!("tx {i} to"), &|tx| {
                tx["to"] = Value::String("0xa77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2".into())
            });
            tamper(format!("tx {i} value"), &|tx| {
                tx["value"] = Value::String("1".into())
            });
            // Byte positions: the selector, the first argument word (its padding
            // for an address or small number), the last byte, and extra bytes.
            let mut positions = vec![("selector", 0usize)];
            if data.len() > 4 {
                positions.push(("first argument word", 4));
                positions.push(("last byte", data.len() - 1));
            }
            for (class, position) in positions {
                let mut changed = data.clone();
                changed[position] ^= 0x01;
                let text = alloy_primitives::hex::encode_prefixed(&changed);
                tamper(format!("tx {i} data {class}"), &|tx| {
                    tx["data"] = Value::String(text.clone())
                });
            }
            let mut longer = data.clone();
            longer.extend_from_slice(&[0u8; 32]);
            let text = alloy_primitives::hex::encode_prefixed(&longer);
            tamper(format!("tx {i} data appended"), &|tx| {
                tx["data"] = Value::String(text.clone())
            });
            for (what, batch) in variants {
                let (ok, found) = codes(&b, &batch, &expected, None);
                assert!(!ok, "{} {what}: verified", b.batch.display());
                assert!(
                    found.contains(&Code::IntentMismatch),
                    "{} {what}: {found:?}",
                    b.batch.display()
                );
            }
        }
        // Dropping or reordering calls is a difference too.
        if count > 1 {
            let mut dropped = original.clone();
            dropped["transactions"].as_array_mut().unwrap().pop();
            let (ok, found) = codes(&b, &with_checksum(dropped), &expected, None);
            assert!(
                !ok && found.contains(&Code::IntentMismatch),
                "{} dropped",
                b.batch.display()
            );
            let mut swapped = original.clone();
            swapped["transactions"]
                .as_array_mut()
                .unwrap()
                .swap(0, count - 1);
            if swapped != original {
                let (ok, found) = codes(&b, &with_checksum(swapped), &expected, None);
                assert!(
                    !ok && found.contains(&Code::IntentMismatch),
                    "{} reordered",
                    b.batch.display()
                );
            }
        }
    }
}

/// One change to one field of a Safe transaction.
type SafeTxEdit = Box<dyn Fn(&mut SafeTx)>;

#[test]
fn tampering_with_any_safe_parameter_fails() {
    let attacker: Address = "0xa77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2"
        .parse()
        .unwrap();
    for b in bundle_batches() {
        let original = read_json(&b.batch);
        let expected = calls_of(&original);
        let view = &b.entry["safe_tx"];
        let uint = |key: &str| view[key].as_str().unwrap().parse::<U256>().unwrap();
        let good = SafeTx {
            to: view["to"].as_str().unwrap().parse().unwrap(),
            value: uint("value"),
            data: view["data"].as_str().unwrap().parse().unwrap(),
            operation: view["operation"].as_str().unwrap().parse().unwrap(),
            safe_tx_gas: uint("safe_tx_gas"),
            base_gas: uint("base_gas"),
            gas_price: uint("gas_price"),
            gas_token: view["gas_token"].as_str().unwrap().parse().unwrap(),
            refund_receiver: view["refund_receiver"].as_str().unwrap().parse().unwrap(),
            nonce: uint("nonce"),
        };
        let given = |tx: SafeTx| GivenSafeTx {
            tx,
            claimed_hash: None,
        };
        let (ok, found) = codes(&b, &original, &expected, Some(&given(good.clone())));
        assert!(ok, "{}: {found:?}", b.batch.display());
        assert!(
            found.iter().all(|c| expected_warnings(&b).contains(c)),
            "{}: {found:?}",
            b.batch.display()
        );
        let edits: Vec<(&str, SafeTxEdit)> = vec![
            ("to", Box::new(move |t| t.to = attacker)),
            ("value", Box::new(|t| t.value += U256::from(1))),
            (
                "data",
                Box::new(|t| {
                    let mut data = t.data.to_vec();
                    let last = data.len() - 1;
                    data[last] ^= 1;
                    t.data = data.into();
                }),
            ),
            ("operation", Box::new(|t| t.operation ^= 1)),
            (
                "safeTxGas",
                Box::new(|t| t.safe_tx_gas = U256::from(21_000)),
            ),
            ("baseGas", Box::new(|t| t.base_gas = U256::from(1))),
            ("gasPrice", Box::new(|t| t.gas_price = U256::from(1))),
            ("gasToken", Box::new(move |t| t.gas_token = attacker)),
            (
                "refundReceiver",
                Box::new(move |t| t.refund_receiver = attacker),
            ),
            ("nonce", Box::new(|t| t.nonce += U256::from(1))),
        ];
        for (field, edit) in edits {
            let mut tampered = good.clone();
            edit(&mut tampered);
            let (ok, found) = codes(&b, &original, &expected, Some(&given(tampered)));
            assert!(!ok, "{} {field}: verified", b.batch.display());
            assert!(
                found.contains(&Code::SafeTxMismatch) && found.contains(&Code::SafeTxHashMismatch),
                "{} {field}: {found:?}",
                b.batch.display()
            );
        }
    }
}

#[test]
fn real_transaction_builder_exports_verify() {
    let dir = conformance_dir().join("txbuilder-exports");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("txb-"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for file in files {
        let args = [
            "verify".to_string(),
            file.display().to_string(),
            "--safe-version=1.3.0".into(),
            "--nonce=0".into(),
            "--json".into(),
        ];
        // Every call still decodes and no check fails. What is left are
        // dangers a signer must judge without an address book: unknown
        // selectors, native coin or authority sent to unnamed addresses.
        let (code, report) = run_json(&args);
        assert!(code == 0 || code == 1, "{}: {report:#}", file.display());
        for tx in report["transactions"].as_array().unwrap() {
            assert!(!tx["decoded"].is_null(), "{}: {tx:#}", file.display());
        }
        for finding in report["findings"].as_array().unwrap() {
            assert_ne!(
                finding["severity"],
                "error",
                "{}: {finding:#}",
                file.display()
            );
        }
    }
    // The upstream unit-test object stores an empty checksum on purpose: it fails.
    let args = [
        "verify".to_string(),
        dir.join("upstream-checksum-test-object.json")
            .display()
            .to_string(),
        "--safe-version=1.3.0".into(),
        "--nonce=0".into(),
        "--json".into(),
    ];
    let (code, report) = run_json(&args);
    assert_eq!(code, 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "checksum-mismatch")
    );
}

#[test]
fn a_nested_owner_gets_its_approve_hash_transaction() {
    let b = bundle_batches()
        .into_iter()
        .find(|b| b.batch.ends_with("pause.json"))
        .unwrap();
    let owner = "0x5afe000000000000000000000000000000000002";
    let (code, report) = run_json(&[
        "verify".into(),
        b.batch.display().to_string(),
        "--intent".into(),
        b.intent.display().to_string(),
        "--nested-safe".into(),
        owner.into(),
        "--nested-nonce".into(),
        "3".into(),
        "--json".into(),
    ]);
    assert_eq!(code, 0);
    let nested = &report["safe_transactions"][1];
    assert_eq!(nested["role"], "nested-approve-hash");
    // The same transaction `bundlec hash --nested-safe` computes.
    let safe_tx = &b.entry["safe_tx"];
    let output = bundlec()
        .args([
            "hash",
            "--chain-id=1",
            &format!("--safe={}", b.entry["safe"].as_str().unwrap()),
            &format!(
                "--safe-version={}",
                b.entry["safe_version"].as_str().unwrap()
            ),
            &format!("--to={}", safe_tx["to"].as_str().unwrap()),
            &format!("--data={}", safe_tx["data"].as_str().unwrap()),
            &format!("--operation={}", safe_tx["operation"].as_str().unwrap()),
            &format!("--nonce={}", safe_tx["nonce"].as_str().unwrap()),
            &format!("--nested-safe={owner}"),
            "--nested-nonce=3",
            "--json",
        ])
        .output()
        .unwrap();
    let hashed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(nested["safe_tx_hash"], hashed["nested"]["safe_tx_hash"]);
    assert_eq!(nested["data"], hashed["nested"]["data"]);
}

/// A field given twice counts as `JSON.parse` (and so the Transaction Builder)
/// reads it: the last one. The command reads the file's own text, so the
/// test writes the duplicate into the text: a decoy `to` before the real one
/// changes nothing (same checksum, VERIFIED); a hostile `to` after it is the
/// call the Safe makes, and fails against the intent even with the checksum
/// recomputed over what the app reads.
#[test]
fn a_field_given_twice_counts_as_the_last_one() {
    let b = &bundle_batches()[0];
    let text = std::fs::read_to_string(&b.batch).unwrap();
    let original = read_json(&b.batch);
    let real_to = original["transactions"][0]["to"]
        .as_str()
        .unwrap()
        .to_owned();
    let real_field = format!("\"to\": \"{real_to}\"");
    assert!(text.contains(&real_field), "{}", b.batch.display());
    let hostile = "0xa77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2";
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        run_json(&[
            "verify".into(),
            path.display().to_string(),
            "--intent".into(),
            b.intent.display().to_string(),
            "--json".into(),
        ])
    };

    let decoy_first = text.replacen(
        &real_field,
        &format!("\"to\": \"{hostile}\", {real_field}"),
        1,
    );
    let (code, report) = run(b.batch.file_name().unwrap().to_str().unwrap(), &decoy_first);
    assert_eq!(code, 0, "{report:#}");
    let (_, clean) = run_json(&[
        "verify".into(),
        b.batch.display().to_string(),
        "--intent".into(),
        b.intent.display().to_string(),
        "--json".into(),
    ]);
    // The whole report, hashes included, is the clean file's.
    assert_eq!(report, clean);

    let hostile_last = text.replacen(
        &real_field,
        &format!("{real_field}, \"to\": \"{hostile}\""),
        1,
    );
    let as_read = bundlec::txbuilder::parse_json(&hostile_last).unwrap();
    let stored = original["meta"]["checksum"].as_str().unwrap();
    let recomputed = format_checksum(&compute_checksum(&as_read).unwrap());
    let hostile_last = hostile_last.replacen(stored, &recomputed, 1);
    let (code, report) = run(
        b.batch.file_name().unwrap().to_str().unwrap(),
        &hostile_last,
    );
    assert_eq!(code, 1, "{report:#}");
    let text = report.to_string();
    assert!(text.contains("intent-mismatch"), "{report:#}");
    assert!(!text.contains("checksum-mismatch"), "{report:#}");
}
