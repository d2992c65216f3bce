//! `verify --intent` compares a batch with the planned batches
//! (`build::plan_batches`), not with a build: these are the batches build
//! writes, call for call, and an intent that build refuses is refused by
//! `verify --intent` with the same error.

mod common;

use std::path::{Path, PathBuf};

use bundlec::abi::registry::AbiRegistry;
use bundlec::build::{self, BuildRequest, InputFile, Inputs, OutputRole};
use bundlec::plan::plan_runbook;
use bundlec::runbook::{DeploymentSource, Source, parse_deployment, parse_runbook};
use bundlec::safe::safe_tx_hashes;
use bundlec::txbuilder::parse_json;
use bundlec::verify::{self, Findings};
use common::bundlec;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tomls(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn planned_batches_are_the_batches_build_writes() {
    let registry = AbiRegistry::embedded().unwrap();
    let bundles = tomls(&root().join("bundles"));
    assert!(bundles.len() >= 8, "expected the committed bundles");
    let (mut parts, mut accept, mut ranged) = (false, false, false);
    for path in bundles {
        let text = std::fs::read_to_string(&path).unwrap();
        let runbook =
            parse_runbook(&Source::new(path.display().to_string(), text.clone())).unwrap();
        let DeploymentSource::File(file) = &runbook.deployment else {
            panic!("{}: the bundles use an address book file", path.display())
        };
        let book = path.parent().unwrap().join(&file.value);
        let book_text = std::fs::read_to_string(&book).unwrap();
        let deployment =
            parse_deployment(&Source::new(book.display().to_string(), book_text)).unwrap();
        let plan = plan_runbook(&runbook, &deployment, &registry).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let inputs = Inputs {
            intent: InputFile::new(format!("{stem}.toml"), text.as_bytes()),
            deployment: None,
            abis: Default::default(),
        };
        let outputs = build::build(&BuildRequest {
            stem: &stem,
            runbook: &runbook,
            deployment: &deployment,
            plan: &plan,
            registry: &registry,
            inputs: &inputs,
            bundlec_version: "test",
        })
        .unwrap();
        let batches = build::plan_batches(&stem, &runbook, &deployment, &plan).unwrap();

        let built: Vec<_> = outputs
            .iter()
            .filter(|o| o.role == OutputRole::Batch)
            .collect();
        let names: Vec<&str> = batches.iter().map(|b| b.file.as_str()).collect();
        let built_names: Vec<&str> = built.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, built_names, "{}", path.display());
        let manifest: Value =
            serde_json::from_str(&outputs.last().unwrap().contents.text().unwrap()).unwrap();
        for (planned, output) in batches.iter().zip(&built) {
            let at = format!("{}: {}", path.display(), planned.file);
            let summary = output.batch.as_ref().unwrap();
            assert_eq!(planned.kind, summary.kind, "{at}");
            assert_eq!(planned.safe, summary.safe, "{at}");
            assert_eq!(planned.nonce, summary.nonce, "{at}");
            assert_eq!(planned.calls.len(), summary.calls, "{at}");
            assert_eq!(planned.gas, summary.gas, "{at}");
            let tx = planned.safe_tx().unwrap();
            let hashes = safe_tx_hashes(planned.version, planned.chain_id, planned.safe, &tx);
            assert_eq!(hashes.safe_tx_hash, summary.safe_tx_hash, "{at}");

            // The calls verify reads from the built file are the planned ones.
            let file = parse_json(&output.contents.text().unwrap()).unwrap();
            let read = verify::read_batch(&file, &mut Findings::new()).unwrap();
            assert_eq!(read.calls, planned.safe_calls(), "{at}");
            assert_eq!(file["meta"]["name"], planned.meta_name.as_str(), "{at}");
            assert_eq!(file["chainId"], planned.chain_id.to_string(), "{at}");

            // And so are the summaries the manifest records.
            let entry = manifest["batches"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["file"] == planned.file.as_str())
                .unwrap();
            assert_eq!(entry["safe_version"], planned.version.to_string(), "{at}");
            let recorded: Vec<&str> = entry["calls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["summary"].as_str().unwrap())
                .collect();
            let summaries: Vec<&str> = planned.calls.iter().map(|c| &*c.summary).collect();
            assert_eq!(recorded, summaries, "{at}");
            let presigned: Vec<u64> = entry["presigned"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|p| p["nonce"].as_str().unwrap().parse().unwrap())
                        .collect()
                })
                .unwrap_or_else(|| vec![planned.nonce]);
            assert_eq!(presigned, planned.nonces(), "{at}");
        }
        parts |= batches.len() > 2;
        accept |= batches.iter().any(|b| b.kind == build::BatchKind::Accept);
        ranged |= batches.iter().any(|b| b.nonce_range.is_some());
    }
    assert!(
        parts && accept && ranged,
        "the bundles cover parts, an accept batch and a nonce range"
    );
}

/// The `error: …` line of a command that must fail with exit 2.
fn refusal(cmd: &mut assert_cmd::Command) -> Option<String> {
    let output = cmd.output().unwrap();
    (output.status.code() == Some(2)).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

fn build_refusal(dir: &Path, runbook: &Path) -> Option<String> {
    let out = tempfile::tempdir().unwrap();
    refusal(
        bundlec()
            .current_dir(dir)
            .arg("build")
            .arg(runbook)
            .arg("--out-dir")
            .arg(out.path()),
    )
}

fn verify_refusal(dir: &Path, runbook: &Path) -> Option<String> {
    refusal(
        bundlec()
            .current_dir(dir)
            .arg("verify")
            .arg(root().join("bundles/pause.json"))
            .arg("--intent")
            .arg(runbook),
    )
}

#[test]
fn every_broken_runbook_is_refused_by_verify_with_builds_error() {
    let dir = root();
    let mut compared = 0;
    for path in tomls(&dir.join("fixtures/runbooks")) {
        let relative = path.strip_prefix(&dir).unwrap();
        let Some(built) = build_refusal(&dir, relative) else {
            continue;
        };
        assert_eq!(
            verify_refusal(&dir, relative).as_deref(),
            Some(built.as_str()),
            "{}",
            relative.display()
        );
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} broken runbooks");
}

/// A runbook of five refunds through SystemPause on chain `chain`, with
/// `[safe]` keys `safe`.
fn refunds(chain: u64, bundle: &str, safe: &str) -> String {
    format!(
        r#"[bundle]
name = "Refunds"
created_at = 1764374400000
{bundle}
[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = {chain}
version = "1.4.1"
{safe}

[deployment]
chain_id = {chain}
layout = "system-pause"

[deployment.contracts]
SystemPause = "0x5555555555555555555555555555555555555555"
StakeManager = "0x6666666666666666666666666666666666666666"
JobRegistry = "0x7777777777777777777777777777777777777777"

[[intent]]
kind = "refund-jobs"
delist = ["1..5"]
system_paused = true
"#
    )
}

#[test]
fn refusals_of_the_layout_are_verifys_too() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // Pre-signed at three nonces, but split into parts.
        (
            "presigned-parts",
            refunds(1, "max_calls = 5", "nonce = \"42..44\""),
            "pre-signs the batch at each of 3 nonces",
        ),
        // Several calls on a chain the table does not know, with no
        // MultiSendCallOnly named.
        (
            "devnet",
            refunds(31337, "max_gas = 30000000", "nonce = 1"),
            "cannot be proposed",
        ),
        // One call too costly for max_gas.
        (
            "max-gas",
            refunds(1, "max_gas = 100000", "nonce = 1"),
            "max_gas = 100000 is too small",
        ),
    ];
    for (name, text, fragment) in cases {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let built = build_refusal(dir.path(), &path).unwrap_or_else(|| panic!("{name}: built"));
        assert!(built.contains(fragment), "{name}: {built}");
        assert_eq!(
            verify_refusal(dir.path(), &path).as_deref(),
            Some(built.as_str()),
            "{name}"
        );
    }
}

/// verify reads every batch file before it compiles the intent, but a file
/// that cannot be read is refused where it was before: after the intent's
/// own errors, and after the check of which parts were given.
#[test]
fn a_broken_intent_is_refused_before_an_unreadable_batch() {
    let dir = root();
    let broken = tomls(&dir.join("fixtures/runbooks"))
        .into_iter()
        .find_map(|path| {
            let relative = path.strip_prefix(&dir).unwrap().to_path_buf();
            build_refusal(&dir, &relative).map(|error| (relative, error))
        })
        .expect("a broken runbook");
    let (runbook, built) = broken;
    for batch in ["no-such-batch.json", "Cargo.toml"] {
        let error = refusal(
            bundlec()
                .current_dir(&dir)
                .arg("verify")
                .arg(batch)
                .arg("--intent")
                .arg(&runbook),
        );
        assert_eq!(error.as_deref(), Some(built.as_str()), "{batch}");
    }
    // With a sound intent, the unreadable file is the error.
    let error = refusal(
        bundlec()
            .current_dir(&dir)
            .arg("verify")
            .arg("no-such-batch.json")
            .arg("--intent")
            .arg("bundles/pause.toml"),
    )
    .expect("refused");
    assert!(error.contains("no-such-batch.json"), "{error}");
}

/// Standard input is read when its batch is checked, not before the intent
/// is compiled: an intent's error is given while the input is still open.
#[test]
fn a_broken_intent_is_refused_without_waiting_for_standard_input() {
    use std::io::Read as _;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let dir = root();
    let (runbook, built) = tomls(&dir.join("fixtures/runbooks"))
        .into_iter()
        .find_map(|path| {
            let relative = path.strip_prefix(&dir).unwrap().to_path_buf();
            build_refusal(&dir, &relative).map(|error| (relative, error))
        })
        .expect("a broken runbook");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bundlec"))
        .current_dir(&dir)
        .args(["verify", "-", "--intent"])
        .arg(&runbook)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Standard input stays open (and empty) until the command has ended.
    let stdin = child.stdin.take();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    let status = status.expect("verify waited for standard input to end");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, built);
}

/// A batch on standard input is read once, and verified at every nonce of
/// the intent's pre-signed range.
#[test]
fn a_batch_on_standard_input_is_verified_at_every_nonce_of_a_range() {
    let dir = root();
    let batch = std::fs::read(dir.join("bundles/pause-presigned.json")).unwrap();
    let output = bundlec()
        .current_dir(&dir)
        .args(["verify", "-", "--intent", "bundles/pause-presigned.toml"])
        .write_stdin(batch)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for nonce in [42, 43, 44] {
        assert!(
            stdout.contains(&format!("nonce {nonce} (")),
            "nonce {nonce}: {stdout}"
        );
    }
}
