//! Pre-signed emergency transactions (`[safe] nonce = "a..b"`) and Safe
//! Transaction Service proposals, through the binary: what build writes, the
//! runbooks it refuses, and verify's round trips.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use alloy_dyn_abi::TypedData;
use common::{bundlec, str_field};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const SAFE: &str = "0x5aFE000000000000000000000000000000000001";

fn runbook(nonce: &str, extra_bundle: &str, intents: &str) -> String {
    format!(
        r#"[bundle]
name = "pause"
created_at = 1764374400000
{extra_bundle}
[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = {nonce}

[deployment]
file = "deployments/example.toml"

{intents}"#
    )
}

const PAUSE: &str =
    "[[intent]]\nkind = \"pause\"\nmodules = [\"CertificateNFT\", \"AttestationRegistry\"]\n";

fn workspace(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deployments")).unwrap();
    fs::copy(
        root().join("fixtures/runbooks/deployments/example.toml"),
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    fs::write(dir.path().join("pause.toml"), toml).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bundlec().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

fn alloy_hash(text: &str) -> String {
    let typed: TypedData = serde_json::from_str(text).unwrap();
    format!("{:#x}", typed.eip712_signing_hash().unwrap())
}

#[test]
fn a_range_writes_the_batch_once_and_every_nonce_beside_it() {
    let dir = workspace(&runbook("\"42..44\"", "", PAUSE));
    let (code, stdout, stderr) = run(dir.path(), &["build", "pause.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("3 pre-signed Safe transactions for Safe") && stdout.contains("42..44"),
        "{stdout}"
    );
    assert_eq!(
        names(dir.path()),
        [
            "pause.json",
            "pause.nonce-42.proposal.json",
            "pause.nonce-42.typed.json",
            "pause.nonce-43.proposal.json",
            "pause.nonce-43.typed.json",
            "pause.nonce-44.proposal.json",
            "pause.nonce-44.typed.json",
            "pause.safe.json",
        ]
    );
    let manifest = read_json(&dir.path().join("pause.safe.json"));
    let batches = manifest["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 1);
    let batch = &batches[0];
    // `safe_tx` is the first nonce's.
    assert_eq!(batch["safe_tx"]["nonce"], "42");
    let presigned = batch["presigned"].as_array().unwrap();
    assert_eq!(presigned.len(), 3);
    let mut hashes = Vec::new();
    for (entry, nonce) in presigned.iter().zip(42..) {
        assert_eq!(str_field(entry, "nonce"), nonce.to_string());
        let typed_name = str_field(entry, "typed_data");
        assert_eq!(typed_name, format!("pause.nonce-{nonce}.typed.json"));
        let typed = fs::read_to_string(dir.path().join(typed_name)).unwrap();
        // An independent EIP-712 implementation agrees with every hash.
        assert_eq!(alloy_hash(&typed), str_field(entry, "safe_tx_hash"));
        let proposal = read_json(&dir.path().join(str_field(entry, "proposal")));
        assert_eq!(proposal["nonce"], nonce.to_string());
        assert_eq!(
            proposal["contractTransactionHash"],
            entry["safe_tx_hash"].clone()
        );
        assert_eq!(proposal["data"], batch["safe_tx"]["data"]);
        hashes.push(str_field(entry, "safe_tx_hash").to_owned());
    }
    assert_eq!(
        presigned[0]["safe_tx_hash"],
        batch["safe_tx"]["safe_tx_hash"]
    );
    hashes.dedup();
    assert_eq!(hashes.len(), 3, "each nonce has its own hash");

    // The same hashes from bundlec hash, at each nonce.
    for entry in presigned {
        let (code, stdout, _) = run(
            dir.path(),
            &[
                "-q",
                "hash",
                "--chain",
                "1",
                "--safe",
                SAFE,
                "--safe-version",
                "1.4.1",
                "--to",
                str_field(&batch["safe_tx"], "to"),
                "--operation",
                "1",
                "--data",
                str_field(&batch["safe_tx"], "data"),
                "--nonce",
                str_field(entry, "nonce"),
            ],
        );
        assert_eq!(code, 0);
        assert_eq!(stdout.trim(), str_field(entry, "safe_tx_hash"));
    }

    // build --check covers every nonce's files.
    assert_eq!(run(dir.path(), &["build", "--check", "pause.toml"]).0, 0);
    fs::remove_file(dir.path().join("pause.nonce-43.typed.json")).unwrap();
    let (code, stdout, _) = run(dir.path(), &["build", "--check", "pause.toml"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("missing: ") && stdout.contains("pause.nonce-43.typed.json"),
        "{stdout}"
    );
}

#[test]
fn a_runbook_without_a_range_has_no_presigned_list() {
    let dir = workspace(&runbook("42", "", PAUSE));
    assert_eq!(run(dir.path(), &["build", "pause.toml"]).0, 0);
    let manifest = read_json(&dir.path().join("pause.safe.json"));
    assert!(manifest["batches"][0].get("presigned").is_none());
    assert_eq!(
        names(dir.path()),
        [
            "pause.json",
            "pause.proposal.json",
            "pause.safe.json",
            "pause.typed.json"
        ]
    );
}

#[test]
fn a_shorter_range_removes_the_files_of_the_nonces_it_dropped() {
    let dir = workspace(&runbook("\"42..44\"", "", PAUSE));
    assert_eq!(run(dir.path(), &["build", "pause.toml"]).0, 0);
    fs::write(
        dir.path().join("pause.toml"),
        runbook("\"42..43\"", "", PAUSE),
    )
    .unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["build", "pause.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("pause.nonce-44.typed.json: this build no longer produces it"),
        "{stdout}"
    );
    assert!(!dir.path().join("pause.nonce-44.proposal.json").exists());
    // Back to one nonce: every nonce's files go, the plain ones come.
    fs::write(dir.path().join("pause.toml"), runbook("42", "", PAUSE)).unwrap();
    assert_eq!(run(dir.path(), &["build", "pause.toml"]).0, 0);
    assert_eq!(
        names(dir.path()),
        [
            "pause.json",
            "pause.proposal.json",
            "pause.safe.json",
            "pause.typed.json"
        ]
    );
}

/// Builds `toml` and expects exit 2 with every needle in the error.
fn refused(toml: &str, needles: &[&str]) {
    let dir = workspace(toml);
    let (code, stdout, stderr) = run(dir.path(), &["build", "pause.toml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    assert_eq!(names(dir.path()), Vec::<String>::new(), "nothing written");
}

#[test]
fn bad_ranges_are_refused_where_they_are_written() {
    refused(
        &runbook("\"46..42\"", "", PAUSE),
        &["pause.toml:9:9", "runs backwards", "\"42..46\""],
    );
    refused(
        &runbook("\"0..256\"", "", PAUSE),
        &["pause.toml:9:9", "257 nonces, more than 256"],
    );
    refused(
        &runbook("\"1..18446744073709551616\"", "", PAUSE),
        &["pause.toml:9:9", "not a nonce"],
    );
    refused(
        &runbook("\"42..\"", "", PAUSE),
        &["pause.toml:9:9", "\"first..last\""],
    );
    refused(
        &runbook("\"42-46\"", "", PAUSE),
        &["pause.toml:9:9", "write \"42..46\""],
    );
    // The integer form's own error is unchanged.
    refused(
        &runbook("\"42\"", "", PAUSE),
        &["pause.toml:9:9", "write nonce = 42"],
    );
}

#[test]
fn a_range_of_several_safe_transactions_is_refused_with_the_reason() {
    // Two calls, one per part.
    refused(
        &runbook("\"42..46\"", "max_calls = 1\n", PAUSE),
        &[
            "pause.toml:10:9",
            "compiles to 2 Safe transactions (pause.1.json, pause.2.json)",
            "each pre-signed entry must be one self-contained Safe transaction",
            "max_calls",
        ],
    );
}

#[test]
fn a_range_with_an_accept_batch_is_refused_with_the_reason() {
    let intents = r#"[accept]
nonce = 0
version = "1.4.1"

[[intent]]
kind = "rotate-governance"
to = "backup-safe"
modules = ["TaxPolicy"]
"#;
    let dir = workspace(&runbook("\"42..46\"", "", intents));
    let (code, _, stderr) = run(dir.path(), &["build", "pause.toml"]);
    if code == 0 {
        panic!("a rotation with an accept batch was pre-signed");
    }
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pause.toml:9:9"), "{stderr}");
    assert!(stderr.contains("acceptOwnership() batch"), "{stderr}");
    assert!(
        stderr.contains("each pre-signed entry must be one self-contained Safe transaction"),
        "{stderr}"
    );
}

#[test]
fn verify_checks_every_nonce_of_the_range() {
    let dir = workspace(&runbook("\"42..44\"", "", PAUSE));
    assert_eq!(run(dir.path(), &["build", "pause.toml"]).0, 0);
    let d = dir.path();
    // From the intent: each nonce reported with its hashes.
    let (code, stdout, stderr) = run(d, &["verify", "pause.json", "--intent", "pause.toml"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let manifest = read_json(&d.join("pause.safe.json"));
    for entry in manifest["batches"][0]["presigned"].as_array().unwrap() {
        let nonce = str_field(entry, "nonce");
        assert!(stdout.contains(&format!("== nonce {nonce} (")), "{stdout}");
        assert!(
            stdout.contains(str_field(entry, "safe_tx_hash")),
            "{stdout}"
        );
    }
    assert!(stdout.ends_with("VERIFIED: 3 pre-signed nonces, each verified at its nonce\n"));

    // With the manifest: every hash it records.
    let with_manifest = [
        "verify",
        "pause.json",
        "--intent",
        "pause.toml",
        "--manifest",
        "pause.safe.json",
    ];
    assert_eq!(run(d, &with_manifest).0, 0);
    // The flag form, against the manifest alone.
    let (code, stdout, _) = run(
        d,
        &[
            "--quiet",
            "verify",
            "pause.json",
            "--manifest",
            "pause.safe.json",
            "--safe",
            SAFE,
            "--chain",
            "1",
            "--safe-version",
            "1.4.1",
            "--nonce",
            "42..44",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    // A range the manifest does not match: a nonce it lacks fails.
    let (code, stdout, _) = run(
        d,
        &[
            "verify",
            "pause.json",
            "--manifest",
            "pause.safe.json",
            "--safe-version",
            "1.4.1",
            "--nonce",
            "42..45",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("records no Safe transaction at nonce 45"),
        "{stdout}"
    );
    // …and so does one it lists that is not verified.
    let (code, stdout, _) = run(
        d,
        &[
            "verify",
            "pause.json",
            "--manifest",
            "pause.safe.json",
            "--safe-version",
            "1.4.1",
            "--nonce",
            "42..43",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("pre-signed nonce 44 outside the range"),
        "{stdout}"
    );

    // One tampered hash in the manifest fails the set.
    let text = fs::read_to_string(d.join("pause.safe.json")).unwrap();
    let third = str_field(&manifest["batches"][0]["presigned"][2], "safe_tx_hash").to_owned();
    let forged = format!("{}0", &third[..third.len() - 1]);
    let forged = if forged == third {
        format!("{}1", &third[..third.len() - 1])
    } else {
        forged
    };
    fs::write(d.join("pause.safe.json"), text.replace(&third, &forged)).unwrap();
    let (code, stdout, _) = run(d, &with_manifest);
    assert_eq!(code, 1);
    assert!(stdout.contains("manifest-mismatch"), "{stdout}");
    assert!(stdout.ends_with("FAILED: 3 pre-signed nonces: do not sign any of them\n"));

    // --typed-data: one object per nonce, each hashing to its nonce's hash.
    fs::write(d.join("pause.safe.json"), text).unwrap();
    let (code, stdout, _) = run(
        d,
        &[
            "verify",
            "pause.json",
            "--intent",
            "pause.toml",
            "--typed-data",
        ],
    );
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    for (line, entry) in lines
        .iter()
        .zip(manifest["batches"][0]["presigned"].as_array().unwrap())
    {
        assert_eq!(alloy_hash(line), str_field(entry, "safe_tx_hash"));
    }

    // --json: one report per nonce.
    let (code, stdout, _) = run(
        d,
        &["verify", "pause.json", "--intent", "pause.toml", "--json"],
    );
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["verdict"], "verified");
    let nonces: Vec<&str> = json["nonces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| str_field(r, "nonce"))
        .collect();
    assert_eq!(nonces, ["42", "43", "44"]);

    // One proposal is one nonce: --safe-tx needs --nonce N.
    let (code, _, stderr) = run(
        d,
        &[
            "verify",
            "pause.json",
            "--intent",
            "pause.toml",
            "--safe-tx",
            "pause.nonce-43.proposal.json",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("give --nonce N"), "{stderr}");
    let (code, stdout, _) = run(
        d,
        &[
            "--quiet",
            "verify",
            "pause.json",
            "--intent",
            "pause.toml",
            "--nonce",
            "43",
            "--strict",
            "--deployment",
            "deployments/example.toml",
            "--safe-tx",
            "pause.nonce-43.proposal.json",
        ],
    );
    assert_eq!(
        code, 0,
        "a nonce of the intent's range is no override: {stdout}"
    );
    assert!(stdout.starts_with("VERIFIED"), "{stdout}");
}

#[test]
fn a_proposal_round_trips_through_verify_and_tampering_fails() {
    let dir = workspace(&runbook("42", "", PAUSE));
    let d = dir.path();
    assert_eq!(run(d, &["build", "pause.toml"]).0, 0);
    let proposal = read_json(&d.join("pause.proposal.json"));
    let manifest = read_json(&d.join("pause.safe.json"));
    let safe_tx = &manifest["batches"][0]["safe_tx"];
    // The service's field names, numbers as it takes them, the hash and the
    // fields to fill in.
    let keys: Vec<&String> = proposal.as_object().unwrap().keys().collect();
    let mut expected = [
        "to",
        "value",
        "data",
        "operation",
        "safeTxGas",
        "baseGas",
        "gasPrice",
        "gasToken",
        "refundReceiver",
        "nonce",
        "contractTransactionHash",
        "sender",
        "signature",
        "origin",
    ];
    expected.sort();
    let mut keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!(proposal["contractTransactionHash"], safe_tx["safe_tx_hash"]);
    assert_eq!(proposal["operation"], 1);
    assert_eq!(proposal["nonce"], "42");
    assert_eq!(proposal["sender"], Value::Null);
    assert_eq!(proposal["signature"], Value::Null);
    let origin: Value = serde_json::from_str(str_field(&proposal, "origin")).unwrap();
    assert_eq!(origin["name"], "bundlec");
    assert_eq!(origin["runbook"], "pause");

    let verify = |file: &str| {
        run(
            d,
            &[
                "verify",
                "pause.json",
                "--intent",
                "pause.toml",
                "--safe-tx",
                file,
            ],
        )
    };
    let (code, stdout, _) = verify("pause.proposal.json");
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("VERIFIED"), "{stdout}");

    // Filled in by the proposer, as posted: still the same transaction.
    let mut filled = proposal.clone();
    filled["sender"] = Value::String("0x1111111111111111111111111111111111111111".into());
    filled["signature"] = Value::String(format!("0x{}", "ab".repeat(65)));
    fs::write(d.join("filled.json"), filled.to_string()).unwrap();
    assert_eq!(verify("filled.json").0, 0);

    // Changed data: the proposal is not this batch's transaction.
    let mut tampered = proposal.clone();
    let data = str_field(&proposal, "data");
    tampered["data"] = Value::String(format!("{}00", &data[..data.len() - 2]));
    if tampered["data"] == proposal["data"] {
        tampered["data"] = Value::String(format!("{}01", &data[..data.len() - 2]));
    }
    fs::write(d.join("data.json"), tampered.to_string()).unwrap();
    let (code, stdout, _) = verify("data.json");
    assert_eq!(code, 1);
    assert!(stdout.contains("safe-tx-mismatch"), "{stdout}");

    // A contractTransactionHash its fields do not hash to.
    let mut tampered = proposal.clone();
    tampered["contractTransactionHash"] = Value::String(format!("0x{}", "12".repeat(32)));
    fs::write(d.join("hash.json"), tampered.to_string()).unwrap();
    let (code, stdout, _) = verify("hash.json");
    assert_eq!(code, 1);
    assert!(stdout.contains("safe-tx-hash-mismatch"), "{stdout}");
}

#[test]
fn runbook_names_ending_like_the_new_outputs_are_refused() {
    for stem in ["pause.typed", "pause.proposal", "pause.nonce-42"] {
        let dir = workspace(&runbook("42", "", PAUSE));
        fs::rename(
            dir.path().join("pause.toml"),
            dir.path().join(format!("{stem}.toml")),
        )
        .unwrap();
        let (code, _, stderr) = run(dir.path(), &["build", &format!("{stem}.toml")]);
        assert_eq!(code, 2, "{stem}");
        assert!(stderr.contains("could be"), "{stem}: {stderr}");
    }
}

/// A manifest's `presigned` list is what build writes, or verify refuses it:
/// a repeated nonce, first hashes other than `safe_tx`'s, or other file
/// names could carry hashes no run checks. A single-nonce verification
/// fails on a manifest that records a range.
#[test]
fn a_presigned_list_other_than_builds_is_refused() {
    let dir = workspace(&runbook("\"42..44\"", "", PAUSE));
    assert_eq!(run(dir.path(), &["build", "pause.toml"]).0, 0);
    let d = dir.path();
    let manifest = read_json(&d.join("pause.safe.json"));
    let verify_with = |edited: &Value, extra: &[&str]| {
        std::fs::write(d.join("edited.safe.json"), edited.to_string()).unwrap();
        let mut args = vec!["verify", "pause.json", "--manifest", "edited.safe.json"];
        args.extend_from_slice(extra);
        run(d, &args)
    };
    let intent: &[&str] = &["--intent", "pause.toml"];

    // A second entry for nonce 43 with other hashes.
    let mut duplicated = manifest.clone();
    let list = duplicated["batches"][0]["presigned"]
        .as_array_mut()
        .unwrap();
    let mut twin = list[1].clone();
    twin["safe_tx_hash"] = Value::String(format!("0x{}", "66".repeat(32)));
    list.push(twin);
    let (code, _, stderr) = verify_with(&duplicated, intent);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("consecutive nonces"), "{stderr}");

    // `safe_tx`'s own hash differs from the first entry's.
    let mut lying = manifest.clone();
    lying["batches"][0]["safe_tx"]["safe_tx_hash"] =
        Value::String(format!("0x{}", "77".repeat(32)));
    let (code, _, stderr) = verify_with(&lying, intent);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not `safe_tx`'s"), "{stderr}");

    // An entry naming another typed-data file.
    let mut renamed = manifest.clone();
    renamed["batches"][0]["presigned"][2]["typed_data"] = Value::String("evil.typed.json".into());
    let (code, _, stderr) = verify_with(&renamed, intent);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not the files build writes"), "{stderr}");

    // One nonce verified against a manifest of three.
    let (code, stdout, stderr) =
        verify_with(&manifest, &["--intent", "pause.toml", "--nonce", "42"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("verify the whole range"), "{stdout}");
}
