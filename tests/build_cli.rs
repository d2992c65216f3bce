//! `bundlec build` as a user meets it: where outputs go, chunked batches,
//! determinism, atomic writes and `--check`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use alloy_primitives::{Address, hex};
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallSite, Decoder};
use bundlec::parse::{parse_address, parse_hex_bytes};
use common::bundlec;
use serde_json::Value;

const DEPLOYMENT: &str = "fixtures/runbooks/deployments/example.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A directory with `deployments/example.toml` and the given intent files.
fn workspace(intents: &[(&str, String)]) -> tempfile::TempDir {
    workspace_with_layout("system-pause", intents)
}

/// The same with the deployment's `layout` set to `layout`.
fn workspace_with_layout(layout: &str, intents: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deployments")).unwrap();
    let deployment = fs::read_to_string(root().join(DEPLOYMENT))
        .unwrap()
        .replace(
            "layout = \"system-pause\"",
            &format!("layout = \"{layout}\""),
        );
    assert!(deployment.contains(&format!("layout = \"{layout}\"")));
    fs::write(dir.path().join("deployments/example.toml"), deployment).unwrap();
    for (name, text) in intents {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn intent(nonce: u64, extra_bundle: &str, intents: &str) -> String {
    format!(
        r#"[bundle]
name = "test bundle"
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

fn pause_all(nonce: u64) -> String {
    intent(
        nonce,
        "",
        "[[intent]]\nkind = \"pause\"\nmodules = \"all\"\n",
    )
}

fn refund(nonce: u64, max_calls: usize, jobs: &str) -> String {
    intent(
        nonce,
        &format!("max_calls = {max_calls}\n"),
        &format!("[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = true\ndelist = [{jobs}]\n"),
    )
}

fn build_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bundlec()
        .current_dir(dir)
        .arg("build")
        .args(args)
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn outputs_go_beside_the_intent_file_and_the_summary_names_them() {
    let dir = workspace(&[("pause.toml", pause_all(42))]);
    let output = build_in(dir.path(), &["pause.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        names_in(dir.path()),
        [
            "deployments",
            "pause.json",
            "pause.proposal.json",
            "pause.safe.json",
            "pause.toml",
            "pause.typed.json"
        ]
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let manifest = read_json(&dir.path().join("pause.safe.json"));
    let hash = manifest["batches"][0]["safe_tx"]["safe_tx_hash"]
        .as_str()
        .unwrap();
    let gas = manifest["batches"][0]["estimated_gas"].as_str().unwrap();
    assert_eq!(gas, "671336");
    assert_eq!(
        stdout,
        format!(
            "pause.toml: 1 Safe transaction for Safe 0x5aFE000000000000000000000000000000000001 \
             (nonce 42): one signing round for every signer
  \
             nonce 42: pause.json, 3 calls, estimated gas 671,336
  \
             each Safe transaction: at most 100 calls and 15,000,000 gas (half of Ethereum's \
             30,000,000 block gas limit; [bundle] max_gas changes it)
\
             wrote ./pause.json: 3 calls for Safe 0x5aFE000000000000000000000000000000000001 \
             at nonce 42, safeTxHash {hash}
wrote ./pause.typed.json: EIP-712 typed data of the Safe transaction at nonce 42
wrote ./pause.proposal.json: Safe Transaction Service proposal at nonce 42 (fill in sender and signature)
wrote ./pause.safe.json (manifest)
\
             note: pause.toml:16:11: pause \"all\" is one SystemPause.pauseAll() for the eight modules \
             SystemPause manages on chain (JobRegistry, StakeManager, ValidationModule, DisputeModule, \
             PlatformRegistry, FeePool, ReputationEngine, ArbitratorCommittee), whatever the address book \
             lists; CertificateNFT, AttestationRegistry paused directly
"
        )
    );
    assert_eq!(manifest["inputs"][0]["name"], "pause.toml");
    assert_eq!(manifest["inputs"][1]["name"], "deployments/example.toml");
}

#[test]
fn out_dir_receives_the_same_files() {
    let dir = workspace(&[("pause.toml", pause_all(42))]);
    let beside = build_in(dir.path(), &["pause.toml"]);
    assert!(beside.status.success());
    let out = dir.path().join("out/nested");
    let elsewhere = build_in(dir.path(), &["pause.toml", "--out-dir", "out/nested"]);
    assert!(
        elsewhere.status.success(),
        "{}",
        String::from_utf8_lossy(&elsewhere.stderr)
    );
    let all = [
        "pause.json",
        "pause.proposal.json",
        "pause.safe.json",
        "pause.typed.json",
    ];
    assert_eq!(names_in(&out), all);
    for name in all {
        assert_eq!(
            fs::read(out.join(name)).unwrap(),
            fs::read(dir.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let intents = [
        ("pause.toml", pause_all(42)),
        ("refund.toml", refund(43, 6, "\"1..7\"")),
    ];
    let first = workspace(&intents);
    let second = workspace(&intents);
    for dir in [&first, &second] {
        let output = build_in(dir.path(), &["pause.toml", "refund.toml"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let names = names_in(first.path());
    assert_eq!(names, names_in(second.path()));
    for name in names.iter().filter(|n| n.ends_with(".json")) {
        assert_eq!(
            fs::read(first.path().join(name)).unwrap(),
            fs::read(second.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

/// `Contract.function` of each transaction of a batch file, looking through
/// `executeGovernanceCall`, decoded from the explicit `data`.
fn decoded_batch(batch: &Value) -> Vec<String> {
    let registry = AbiRegistry::embedded().unwrap();
    let deployment = bundlec::runbook::parse_deployment(&bundlec::runbook::Source::new(
        DEPLOYMENT,
        fs::read_to_string(root().join(DEPLOYMENT)).unwrap(),
    ))
    .unwrap();
    let safe: Address =
        parse_address(batch["meta"]["createdFromSafeAddress"].as_str().unwrap()).unwrap();
    let book = AddressBook::for_deployment(&deployment, safe);
    let decoder = Decoder::new(&registry, &book);
    batch["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, tx)| {
            let to = parse_address(tx["to"].as_str().unwrap()).unwrap();
            let data = parse_hex_bytes(tx["data"].as_str().unwrap()).unwrap();
            let site = CallSite {
                to: Some(to),
                ..CallSite::default()
            };
            let node = decoder.decode(site, &data, &i.to_string()).unwrap();
            let leaf = node.children.first().unwrap_or(&node);
            let function = leaf.function().unwrap();
            let args: Vec<String> = function
                .args
                .iter()
                .map(|a| bundlec::decode::render::value_text(&a.value, &book))
                .collect();
            format!(
                "{}.{}({})",
                leaf.to_name.as_deref().unwrap_or("?"),
                function.name,
                args.join(",")
            )
        })
        .collect()
}

#[test]
fn chunks_have_consecutive_nonces_and_each_restores_the_pause() {
    for layout in ["system-pause", "direct"] {
        chunked_refunds(layout);
    }
}

/// Refunds of jobs 1 to 5 with max_calls = 6: three chunks, each framed by
/// the unpauses and the pauses. Under `system-pause` every call goes through
/// SystemPause; under `direct` the Safe calls the modules itself.
fn chunked_refunds(layout: &str) {
    let dir = workspace_with_layout(layout, &[("refund.toml", refund(45, 6, "\"1..5\""))]);
    let output = build_in(dir.path(), &["refund.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        names_in(dir.path()),
        [
            "deployments",
            "refund.1.json",
            "refund.1.proposal.json",
            "refund.1.typed.json",
            "refund.2.json",
            "refund.2.proposal.json",
            "refund.2.typed.json",
            "refund.3.json",
            "refund.3.proposal.json",
            "refund.3.typed.json",
            "refund.safe.json",
            "refund.toml"
        ]
    );
    let manifest = read_json(&dir.path().join("refund.safe.json"));
    assert_eq!(manifest["layout"], layout);
    let mut refunded = Vec::new();
    for part in 1..=3 {
        let name = format!("refund.{part}.json");
        let batch = read_json(&dir.path().join(&name));
        assert_eq!(
            batch["meta"]["name"],
            format!("test bundle (part {part} of 3)")
        );
        let entry = &manifest["batches"][part - 1];
        assert_eq!(entry["file"], name.as_str());
        assert_eq!(entry["safe_tx"]["nonce"], (44 + part).to_string());
        let forwarded = batch["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|tx| tx["to"] == "0x5555555555555555555555555555555555555555");
        assert_eq!(forwarded, layout == "system-pause", "{name}");
        let calls = decoded_batch(&batch);
        let n = calls.len();
        assert!(n > 4 && n <= 6, "{calls:?}");
        assert_eq!(
            calls[..2],
            ["JobRegistry.unpause()", "StakeManager.unpause()"],
            "{name}"
        );
        assert_eq!(
            calls[n - 2..],
            ["StakeManager.pause()", "JobRegistry.pause()"],
            "{name}"
        );
        refunded.extend(calls[2..n - 2].iter().cloned());
    }
    let expected: Vec<String> = (1..=5)
        .map(|id| format!("JobRegistry.delistJob({id})"))
        .collect();
    assert_eq!(refunded, expected);
}

#[test]
fn a_failing_second_file_leaves_earlier_outputs_untouched() {
    let dir = workspace(&[
        ("a.toml", pause_all(42)),
        (
            "b.toml",
            intent(
                43,
                "",
                "[[intent]]\nkind = \"pause\"\nmodules = [\"Thermostat\"]\n",
            ),
        ),
    ]);
    fs::write(dir.path().join("a.json"), "old a").unwrap();
    let output = build_in(dir.path(), &["a.toml", "b.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: b.toml:"));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.json")).unwrap(),
        "old a"
    );
    assert_eq!(
        names_in(dir.path()),
        ["a.json", "a.toml", "b.toml", "deployments"]
    );
}

#[test]
fn a_failing_write_puts_every_file_back() {
    let dir = workspace(&[("a.toml", pause_all(42)), ("b.toml", pause_all(43))]);
    fs::write(dir.path().join("a.json"), "old a").unwrap();
    // b.safe.json cannot be replaced: it is a directory. It is written last.
    fs::create_dir(dir.path().join("b.safe.json")).unwrap();
    let output = build_in(dir.path(), &["a.toml", "b.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("b.safe.json") && stderr.contains("no file was changed"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.json")).unwrap(),
        "old a"
    );
    // No new output, no temporary or backup file left behind.
    assert_eq!(
        names_in(dir.path()),
        ["a.json", "a.toml", "b.safe.json", "b.toml", "deployments"]
    );
}

#[test]
fn check_names_every_changed_or_missing_file() {
    let dir = workspace(&[
        ("pause.toml", pause_all(42)),
        ("refund.toml", refund(43, 6, "1, 2")),
    ]);
    let built = build_in(dir.path(), &["pause.toml", "refund.toml"]);
    assert!(built.status.success());

    let clean = build_in(dir.path(), &["--check", "pause.toml", "refund.toml"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&clean.stdout),
        "8 files up to date\n"
    );

    let path = dir.path().join("pause.json");
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("\"value\": \"0\"", "\"value\": \"1\"");
    fs::write(&path, edited).unwrap();
    fs::remove_file(dir.path().join("refund.safe.json")).unwrap();
    let before = names_in(dir.path());
    let stale = build_in(dir.path(), &["--check", "pause.toml", "refund.toml"]);
    assert_eq!(stale.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert!(stdout.contains("differs: ./pause.json\n"), "{stdout}");
    assert!(stdout.contains("missing: ./refund.safe.json\n"), "{stdout}");
    assert!(
        !stdout.contains("pause.safe.json") && !stdout.contains("refund.json"),
        "{stdout}"
    );
    // --check writes nothing.
    assert_eq!(names_in(dir.path()), before);
}

#[test]
fn two_outputs_with_one_path_are_refused() {
    let dir = workspace(&[("a.toml", pause_all(42))]);
    let output = build_in(dir.path(), &["a.toml", "./a.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("two outputs would be written to"));
    assert_eq!(names_in(dir.path()), ["a.toml", "deployments"]);
}

#[test]
fn an_output_never_replaces_an_input() {
    // An intent file named like a batch: its batch would overwrite it.
    let dir = workspace(&[("odd.json", pause_all(42))]);
    let output = build_in(dir.path(), &["odd.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is an input file"));
    assert_eq!(
        fs::read_to_string(dir.path().join("odd.json")).unwrap(),
        pause_all(42)
    );
}

#[test]
fn abi_dir_files_are_recorded_when_used() {
    let dir = workspace(&[("pause.toml", pause_all(42))]);
    fs::create_dir(dir.path().join("abis")).unwrap();
    let text = fs::read(root().join("abis/SystemPause.json")).unwrap();
    fs::write(dir.path().join("abis/SystemPause.json"), &text).unwrap();
    fs::write(dir.path().join("abis/Unused.json"), "[]").unwrap();
    let output = build_in(dir.path(), &["pause.toml", "--abi-dir", "abis"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = read_json(&dir.path().join("pause.safe.json"));
    let inputs = manifest["inputs"].as_array().unwrap();
    let system_pause = inputs
        .iter()
        .find(|i| i["contract"] == "SystemPause")
        .unwrap();
    assert_eq!(system_pause["role"], "abi-dir");
    assert_eq!(system_pause["name"], "SystemPause.json");
    assert_eq!(
        system_pause["keccak256"],
        hex::encode_prefixed(alloy_primitives::keccak256(&text))
    );
    assert!(inputs.iter().all(|i| i["contract"] != "Unused"));
}

#[test]
fn deployment_abi_files_are_read_beside_the_deployment() {
    let dir = workspace(&[("pause.toml", pause_all(42))]);
    let deployment = dir.path().join("deployments/example.toml");
    let text = fs::read_to_string(&deployment).unwrap().replace(
        "CertificateNFT = \"0xf222222222222222222222222222222222222222\"",
        "CertificateNFT = { address = \"0xf222222222222222222222222222222222222222\", abi = \"abis/Cert.json\" }",
    );
    fs::write(&deployment, text).unwrap();
    fs::create_dir(dir.path().join("deployments/abis")).unwrap();
    let abi = fs::read(root().join("abis/CertificateNFT.json")).unwrap();
    fs::write(dir.path().join("deployments/abis/Cert.json"), &abi).unwrap();
    let output = build_in(dir.path(), &["pause.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = read_json(&dir.path().join("pause.safe.json"));
    let cert = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["contract"] == "CertificateNFT")
        .unwrap()
        .clone();
    assert_eq!(cert["role"], "abi");
    assert_eq!(cert["name"], "deployments/abis/Cert.json");
    assert_eq!(
        cert["keccak256"],
        hex::encode_prefixed(alloy_primitives::keccak256(&abi))
    );
}

#[test]
fn the_summary_says_the_signing_rounds_before_anything_else() {
    let dir = workspace(&[("refund.toml", refund(45, 6, "\"1..5\""))]);
    let output = build_in(dir.path(), &["refund.toml"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "refund.toml: 3 Safe transactions for Safe 0x5aFE000000000000000000000000000000000001 \
             (nonces 45, 46, 47): each is a separate signing round for every signer",
            "  nonce 45: refund.1.json, 6 calls, estimated gas 1,135,945",
            "  nonce 46: refund.2.json, 6 calls, estimated gas 1,135,945",
            "  nonce 47: refund.3.json, 5 calls, estimated gas 893,969",
            "  each Safe transaction: at most 6 calls and 15,000,000 gas (half of Ethereum's \
             30,000,000 block gas limit; [bundle] max_gas changes it)",
        ]
    );
    assert!(
        lines[5].starts_with("wrote ./refund.1.json: 6 calls"),
        "{stdout}"
    );
    let manifest = read_json(&dir.path().join("refund.safe.json"));
    let gas: Vec<&str> = manifest["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["estimated_gas"].as_str().unwrap())
        .collect();
    assert_eq!(gas, ["1135945", "1135945", "893969"]);
}

#[test]
fn a_written_max_gas_and_an_unknown_chain_are_named() {
    let text = intent(
        45,
        "max_gas = 2000000\n",
        "[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = true\ndelist = [\"1..10\"]\n",
    );
    let dir = workspace(&[("refund.toml", text)]);
    let output = build_in(dir.path(), &["refund.toml"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(
            "  each Safe transaction: at most 100 calls and 2,000,000 gas ([bundle] max_gas)\n"
        ),
        "{stdout}"
    );
    // Five refunds and the frame fit under 2,000,000; six do not.
    assert!(
        stdout.starts_with(
            "refund.toml: 2 Safe transactions for Safe 0x5aFE000000000000000000000000000000000001 \
             (nonces 45, 46): each is a separate signing round for every signer\n  \
             nonce 45: refund.1.json, 9 calls, estimated gas 1,861,877\n  \
             nonce 46: refund.2.json, 9 calls, estimated gas 1,861,877\n"
        ),
        "{stdout}"
    );
    // A chain bundlec does not know: the table's smallest default, and a word about it.
    let dir = workspace(&[(
        "pause.toml",
        pause_all(42).replace("chain_id = 1", "chain_id = 999"),
    )]);
    let deployment = dir.path().join("deployments/example.toml");
    let book = fs::read_to_string(&deployment)
        .unwrap()
        .replace("chain_id = 1", "chain_id = 999");
    fs::write(&deployment, book).unwrap();
    let output = build_in(dir.path(), &["pause.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(
            "7,500,000 gas (bundlec does not know chain 999's block gas limit: set [bundle] max_gas)"
        ),
        "{stdout}"
    );
}

#[test]
fn a_call_without_a_gas_figure_teaches_gas_per_call_and_writes_nothing() {
    let call = "[[intent]]\nkind = \"call\"\ncontract = \"FeePool\"\nfunction = \"governanceWithdraw\"\nargs = { to = \"backup-safe\", amount = \"1\" }\n";
    let dir = workspace(&[("drain.toml", intent(45, "", call))]);
    let output = build_in(dir.path(), &["drain.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: drain.toml:1:1: bundlec has no gas figure for FeePool.governanceWithdraw(backup-safe, 1) via SystemPause"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Write `gas_per_call = N` under [bundle]"),
        "{stderr}"
    );
    assert_eq!(names_in(dir.path()), ["deployments", "drain.toml"]);
    let dir = workspace(&[("drain.toml", intent(45, "gas_per_call = 300000\n", call))]);
    let output = build_in(dir.path(), &["drain.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A 10,000-job refund through the binary: every Safe transaction's estimate
/// (recomputed here from the batch bytes and the profile's figures) is within
/// max_gas, and none could take the next refund as well.
#[test]
fn a_10000_job_refund_respects_max_gas_in_the_fewest_safe_transactions() {
    use bundlec::build::gas::{GasModel, call_gas, record_len};
    use bundlec::plan::agijobs::PROFILE;

    let text = intent(
        18,
        "",
        "[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = true\ndelist = [\"1..10000\"]\n",
    );
    let dir = workspace(&[("refund.toml", text)]);
    let output = build_in(dir.path(), &["refund.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "refund.toml: 170 Safe transactions for Safe 0x5aFE000000000000000000000000000000000001 \
             (nonces 18 to 187): each is a separate signing round for every signer\n  \
             nonce 18: refund.1.json, 63 calls, estimated gas "
        ),
        "{}",
        &stdout[..400]
    );

    let max_gas = 15_000_000u64;
    let model = GasModel {
        gas_per_call: None,
        signatures: 10,
    };
    let forward = PROFILE.hub.forward_gas;
    let figure = |name: &str| PROFILE.function_gas("JobRegistry", name).unwrap() + forward;
    // (gas, record bytes) of each transaction of a batch file.
    let costs = |batch: &Value| -> Vec<(u64, u64)> {
        batch["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tx| {
                let data = parse_hex_bytes(tx["data"].as_str().unwrap()).unwrap();
                let to = parse_address(tx["to"].as_str().unwrap()).unwrap();
                // executeGovernanceCall(module, inner): the inner selector follows the
                // selector, the module, the offset and the length (4 + 3 × 32).
                let inner = &data[100..104];
                let execution = match inner {
                    [0x3f, 0x4b, 0xa8, 0x3a] => figure("unpause()"),
                    [0x84, 0x56, 0xcb, 0x59] => figure("pause()"),
                    [0xe6, 0x30, 0x79, 0xe3] => figure("delistJob(uint256)"),
                    other => panic!("unexpected call {other:?}"),
                };
                (
                    call_gas(to, alloy_primitives::U256::ZERO, &data, execution),
                    record_len(&data),
                )
            })
            .collect()
    };
    let total = |calls: &[(u64, u64)]| {
        model.total(
            calls.iter().map(|c| c.0).sum(),
            calls.iter().map(|c| c.1).sum(),
        )
    };
    let manifest = read_json(&dir.path().join("refund.safe.json"));
    let batches = manifest["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 170);
    let parts: Vec<Vec<(u64, u64)>> = (1..=170)
        .map(|part| costs(&read_json(&dir.path().join(format!("refund.{part}.json")))))
        .collect();
    let mut refunds = 0;
    for (i, part) in parts.iter().enumerate() {
        let gas = total(part);
        assert!(gas <= max_gas, "part {}: {gas}", i + 1);
        assert_eq!(batches[i]["estimated_gas"], gas.to_string());
        refunds += part.len() - 4;
        // The next part's first refund, added before this part's re-pause,
        // would not fit: no part could hold more, so no split has fewer.
        if let Some(next) = parts.get(i + 1) {
            let mut more = part.clone();
            more.insert(more.len() - 2, next[2]);
            assert!(total(&more) > max_gas, "part {} had room", i + 1);
        }
    }
    assert_eq!(refunds, 10_000);
}
