//! The conformance suite: every vector under conformance/, produced by an
//! independent implementation (see conformance/suites.toml and
//! conformance/SOURCES), checked offline against bundlec.
//!
//! The test counts each suite's cases and agreements and renders the results
//! table of docs/conformance.md from them, so the published numbers are
//! always the numbers this test measured. A stale table fails the test;
//! `BUNDLEC_REGENERATE=1 cargo test --test conformance` rewrites it.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use alloy_primitives::{B256, Bytes};
use bundlec::multisend::{self, MultiSendRecord};
use bundlec::parse::{parse_address, parse_hex_bytes, parse_uint256};
use bundlec::safe::{self, Operation, SafeMessage, SafeTx, SafeVersion};
use bundlec::txbuilder::encode::{AppEncoding, app_encode, refused_for_numbers};
use bundlec::txbuilder::{compute_checksum, format_checksum, parse_json};
use common::{conformance_dir, read_jsonl, sync_generated};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Suites {
    suite: Vec<Suite>,
}

#[derive(Deserialize)]
struct Suite {
    file: String,
    check: Check,
    implementation: String,
    version: Version,
    compares: String,
    made_by: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Check {
    SafeHashes,
    Multisend,
    TxbuilderEncoding,
    TxbuilderChecksum,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Version {
    Literal(String),
    Recorded { file: String, keys: Vec<String> },
}

impl Version {
    /// The version as written, or as the suite's generator recorded it.
    fn resolve(&self) -> String {
        match self {
            Version::Literal(text) => text.clone(),
            Version::Recorded { file, keys } => {
                let path = conformance_dir().join(file);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let recorded: Value = serde_json::from_str(&text).unwrap();
                let version = |key: &String| {
                    recorded[key.as_str()]
                        .as_str()
                        .unwrap_or_else(|| panic!("{}: no {key}", path.display()))
                        .to_string()
                };
                match keys.as_slice() {
                    [only] => version(only),
                    _ => keys
                        .iter()
                        .map(|key| format!("{key} {}", version(key)))
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            }
        }
    }
}

/// One suite's result: how many cases, how many of them bundlec's own
/// (chosen by the project, answered by the implementation), and every case
/// that disagrees.
#[derive(Default)]
struct Tally {
    cases: usize,
    own: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn record(&mut self, case: &Value, outcome: Result<(), String>) {
        let id = case["id"].as_str().expect("every case has an id");
        self.cases += 1;
        if id.starts_with("own-") {
            assert!(
                case["reason"]
                    .as_str()
                    .is_some_and(|r| !r.trim().is_empty()),
                "{id}: an own case says in one line why it is there"
            );
            self.own += 1;
        }
        if let Err(why) = outcome {
            self.disagreements.push(format!("{id}: {why}"));
        }
    }

    fn agree(&self) -> usize {
        self.cases - self.disagreements.len()
    }
}

fn text<'a>(case: &'a Value, key: &str) -> Result<&'a str, String> {
    case[key].as_str().ok_or_else(|| format!("no {key}"))
}

fn compare(listed: Option<&Value>, actual: B256, name: &str) -> Result<bool, String> {
    let Some(listed) = listed else {
        return Ok(false);
    };
    let expected: B256 = listed
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{name} is not a hash"))?;
    if expected == actual {
        Ok(true)
    } else {
        Err(format!("{name}: listed {expected}, bundlec {actual}"))
    }
}

/// Every hash a case lists must be bundlec's; a case must list at least one.
fn check_hashes(case: &Value, pairs: &[(&str, B256)]) -> Result<(), String> {
    let mut compared = 0;
    for (key, actual) in pairs {
        if compare(case.get(*key), *actual, key)? {
            compared += 1;
        }
    }
    if compared == 0 {
        return Err("lists no hash".into());
    }
    Ok(())
}

fn safe_hashes(case: &Value) -> Result<(), String> {
    let version: SafeVersion = text(case, "version")?.parse().map_err(|e| format!("{e}"))?;
    let chain_id = case["chainId"].as_u64().ok_or("no chainId")?;
    let safe_address = parse_address(text(case, "safe")?).map_err(|e| e.to_string())?;
    match text(case, "kind")? {
        "tx" => {
            let field = |key: &str| text(case, key);
            let uint = |key: &str| -> Result<_, String> {
                parse_uint256(field(key)?).map_err(|e| format!("{key}: {e}"))
            };
            let address = |key: &str| -> Result<_, String> {
                parse_address(field(key)?).map_err(|e| format!("{key}: {e}"))
            };
            let tx = SafeTx {
                to: address("to")?,
                value: uint("value")?,
                data: parse_hex_bytes(field("data")?).map_err(|e| e.to_string())?,
                operation: case["operation"].as_u64().ok_or("no operation")? as u8,
                safe_tx_gas: uint("safeTxGas")?,
                base_gas: uint("baseGas")?,
                gas_price: uint("gasPrice")?,
                gas_token: address("gasToken")?,
                refund_receiver: address("refundReceiver")?,
                nonce: uint("nonce")?,
            };
            let h = safe::safe_tx_hashes(version, chain_id, safe_address, &tx);
            check_hashes(
                case,
                &[
                    ("domainHash", h.domain_hash),
                    ("messageHash", h.message_hash),
                    ("safeTxHash", h.safe_tx_hash),
                ],
            )
        }
        "message" => {
            let message = match (case.get("messageText"), case.get("messageBytes")) {
                (Some(text), None) => SafeMessage::Text(text.as_str().ok_or("text")?.into()),
                (None, Some(bytes)) => SafeMessage::Bytes(
                    parse_hex_bytes(bytes.as_str().ok_or("bytes")?).map_err(|e| e.to_string())?,
                ),
                _ => return Err("needs exactly one of messageText and messageBytes".into()),
            };
            let signed = message.message_bytes();
            let h = safe::safe_message_hashes(version, chain_id, safe_address, &message);
            let mut pairs = vec![
                ("domainHash", h.domain_hash),
                ("messageHash", h.message_hash),
                ("safeMessageHash", h.safe_message_hash),
            ];
            if let SafeMessage::Text(_) = message {
                pairs.push(("messageHashedEip191", B256::from_slice(&signed)));
            }
            check_hashes(case, &pairs)
        }
        other => Err(format!("unknown kind {other}")),
    }
}

fn records_of(case: &Value) -> Result<Vec<MultiSendRecord>, String> {
    let transactions = case["transactions"].as_array().ok_or("no transactions")?;
    transactions
        .iter()
        .map(|t| {
            let operation = t["operation"].as_u64().ok_or("no operation")? as u8;
            Ok(MultiSendRecord {
                operation: Operation::try_from(operation).map_err(|e| format!("{e:?}"))?,
                to: parse_address(text(t, "to")?).map_err(|e| e.to_string())?,
                value: parse_uint256(text(t, "value")?).map_err(|e| e.to_string())?,
                data: parse_hex_bytes(text(t, "data")?).map_err(|e| e.to_string())?,
            })
        })
        .collect()
}

fn multisend(case: &Value) -> Result<(), String> {
    let records = records_of(case)?;
    let expected: Bytes = parse_hex_bytes(text(case, "calldata")?).map_err(|e| e.to_string())?;
    if multisend::encode(&records) != expected {
        return Err("calldata differs".into());
    }
    if let Some(length) = case["packedLength"].as_u64() {
        let packed = multisend::encode_records(&records).len() as u64;
        if packed != length {
            return Err(format!("packed length: listed {length}, bundlec {packed}"));
        }
    }
    match multisend::decode(&expected) {
        Ok(decoded) if decoded == records => Ok(()),
        Ok(_) => Err("decodes to other transactions".into()),
        Err(e) => Err(format!("does not decode: {e}")),
    }
}

/// What the app does with a one-transaction file, in the vectors' terms.
fn app_outcome(method: Option<&Value>, values: Option<&Value>) -> Result<String, String> {
    if refused_for_numbers(values) {
        return Ok("refused".into());
    }
    match app_encode(method, values) {
        Ok(AppEncoding::Calldata(encoded)) => Ok(encoded.data.to_string()),
        Ok(AppEncoding::Empty(_)) => Ok("0x".into()),
        Err(err) => Err(format!("refused by bundlec's limits: {err}")),
    }
}

fn listed_outcome(app: &Value) -> Result<String, String> {
    match app["outcome"].as_str() {
        Some("loaded") => match (app["data"].as_str(), app["sends"].as_str()) {
            (Some(data), None) => Ok(data.to_lowercase()),
            (None, Some("0x")) => Ok("0x".into()),
            _ => Err(format!("unreadable app result {app}")),
        },
        Some("rejected-numbers") => Ok("refused".into()),
        other => Err(format!("unknown outcome {other:?}")),
    }
}

fn txbuilder_encoding(case: &Value) -> Result<(), String> {
    let want = listed_outcome(&case["app"])?;
    let got = app_outcome(case.get("contractMethod"), case.get("contractInputsValues"))?;
    if got == want {
        Ok(())
    } else {
        Err(format!("app {want}, bundlec {got}"))
    }
}

/// A real export's stored checksum is the one bundlec computes. Files whose
/// checksum is empty on purpose (the app's own unit-test object) are not
/// exports and are checked in tests/txbuilder_checksum.rs instead.
fn checksum_cases(dir: &Path) -> Vec<Value> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let batch = parse_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stored = batch["meta"]["checksum"].as_str().unwrap_or_default();
            (!stored.is_empty()).then(|| {
                let id = path.file_name().unwrap().to_string_lossy().into_owned();
                serde_json::json!({"id": id, "batch": batch})
            })
        })
        .collect()
}

fn txbuilder_checksum(case: &Value) -> Result<(), String> {
    let batch = &case["batch"];
    let stored = batch["meta"]["checksum"].as_str().unwrap_or_default();
    let computed = compute_checksum(batch).map_err(|e| e.to_string())?;
    if format_checksum(&computed) == stored {
        Ok(())
    } else {
        Err(format!(
            "stored {stored}, bundlec {}",
            format_checksum(&computed)
        ))
    }
}

/// Checks one case: `Err` says how bundlec differs.
type CaseCheck = fn(&Value) -> Result<(), String>;

fn run(suite: &Suite) -> Tally {
    let path = conformance_dir().join(&suite.file);
    let (cases, check): (Vec<Value>, CaseCheck) = match suite.check {
        Check::SafeHashes => (read_jsonl(&path), safe_hashes),
        Check::Multisend => (read_jsonl(&path), multisend),
        Check::TxbuilderEncoding => (read_jsonl(&path), txbuilder_encoding),
        Check::TxbuilderChecksum => (checksum_cases(&path), txbuilder_checksum),
    };
    let mut tally = Tally::default();
    for case in &cases {
        tally.record(case, check(case));
    }
    tally
}

fn suites() -> Vec<Suite> {
    let path = conformance_dir().join("suites.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str::<Suites>(&text).unwrap().suite
}

const BEGIN: &str = "<!-- results: rendered by tests/conformance.rs -->";
const END: &str = "<!-- end of results -->";

fn render(results: &[(&Suite, Tally)]) -> String {
    let mut table = String::from(
        "| Implementation | Version | What is compared | Vectors | Made by | Cases | Own cases | Agree |\n\
         | --- | --- | --- | --- | --- | ---: | ---: | ---: |\n",
    );
    let mut totals = (0, 0, 0);
    for (suite, tally) in results {
        writeln!(
            table,
            "| {} | {} | {} | `conformance/{}` | {} | {} | {} | {} |",
            suite.implementation,
            suite.version.resolve(),
            suite.compares,
            suite.file,
            suite.made_by,
            tally.cases,
            tally.own,
            tally.agree(),
        )
        .unwrap();
        totals.0 += tally.cases;
        totals.1 += tally.own;
        totals.2 += tally.agree();
    }
    writeln!(
        table,
        "| **All** | | | | | **{}** | **{}** | **{}** |",
        totals.0, totals.1, totals.2
    )
    .unwrap();
    table
}

#[test]
fn every_conformance_vector_agrees_and_the_published_table_says_so() {
    let suites = suites();
    let mut files = BTreeMap::new();
    let results: Vec<(&Suite, Tally)> = suites
        .iter()
        .map(|suite| {
            assert!(
                files.insert(suite.file.clone(), ()).is_none(),
                "{} is listed twice",
                suite.file
            );
            let tally = run(suite);
            assert!(tally.cases > 0, "{} has no cases", suite.file);
            (suite, tally)
        })
        .collect();

    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/conformance.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let (before, rest) = doc
        .split_once(BEGIN)
        .expect("docs/conformance.md has the results marker");
    let (_, after) = rest
        .split_once(END)
        .expect("docs/conformance.md has the end marker");
    let rendered = format!("{before}{BEGIN}\n{}{END}{after}", render(&results));
    sync_generated(&doc_path, &rendered, "conformance");

    let disagreements: Vec<String> = results
        .iter()
        .flat_map(|(suite, tally)| {
            tally
                .disagreements
                .iter()
                .map(move |d| format!("{}: {d}", suite.file))
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn every_vector_file_is_in_a_suite_or_is_a_generator_input() {
    // A vector file nobody checks would make the suite look larger than it
    // is; generator inputs (own cases without answers) are the exception.
    let listed: Vec<String> = suites().into_iter().map(|s| s.file).collect();
    let mut unlisted = Vec::new();
    for dir in std::fs::read_dir(conformance_dir()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "jsonl") {
                let relative = path
                    .strip_prefix(conformance_dir())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if !listed.contains(&relative) && !relative.starts_with("own/") {
                    unlisted.push(relative);
                }
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "not in conformance/suites.toml: {unlisted:?}"
    );
}
