//! The address book as a root of trust, through the binary: one rule for
//! names, one name per address, a literal address always that address, no
//! lookalikes, and ABI files from the book that may only add functions. Each
//! refusal is exit 2 with `file:line:column`, names the rule, and writes
//! nothing.

mod common;

use std::fs;
use std::path::Path;

use common::bundlec;
use serde_json::Value;

const BOOK: &str = include_str!("../bundles/deployments/example.toml");
const SLASHING: &str = include_str!("../bundles/tabletop-validator-slashing.toml");
const STAKE_MANAGER_ABI: &str = include_str!("../abis/StakeManager.json");
const REWARD_ENGINE_ABI: &str = include_str!("../abis/RewardEngineMB.json");

const SAFE: &str = "0x5afe000000000000000000000000000000000001";

fn intent(intents: &str) -> String {
    format!(
        r#"[bundle]
name = "names"
created_at = 1764374400000

[safe]
address = "{SAFE}"
chain_id = 1
version = "1.4.1"
nonce = 42
owners = [
  "0xa11ce00000000000000000000000000000000001",
  "0xb0b0000000000000000000000000000000000002",
  "0xca70100000000000000000000000000000000003",
]
threshold = 2

[accept]
nonce = 0
version = "1.4.1"

[deployment]
file = "deployments/example.toml"

{intents}"#
    )
}

const ROTATE: &str =
    "[[intent]]\nkind = \"rotate-governance\"\nto = \"backup-safe\"\nmodules = [\"Thermostat\"]\n";

struct Run {
    code: Option<i32>,
    stderr: String,
    written: Vec<String>,
    dir: tempfile::TempDir,
}

/// Builds `run.toml` with `deployments/example.toml` (and `files`, by path)
/// into an empty `out/`.
fn build(run: &str, book: &str, files: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("deployments")).unwrap();
    fs::write(dir.path().join("deployments/example.toml"), book).unwrap();
    fs::write(dir.path().join("run.toml"), run).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    fs::create_dir(dir.path().join("out")).unwrap();
    let output = bundlec()
        .current_dir(dir.path())
        .args(["build", "run.toml", "--out-dir", "out"])
        .output()
        .unwrap();
    let mut written: Vec<String> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    Run {
        code: output.status.code(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        written,
        dir,
    }
}

/// The 1-based line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

/// A refusal: exit 2, the error at `file:line:`, every fragment in it, and
/// nothing written.
fn refused(run: &Run, place: &str, fragments: &[&str]) {
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("error: {place}")),
        "expected the error at {place}: {}",
        run.stderr
    );
    for fragment in fragments {
        assert!(
            run.stderr.contains(fragment),
            "`{fragment}` missing: {}",
            run.stderr
        );
    }
    assert!(run.written.is_empty(), "wrote {:?}", run.written);
}

fn book_with(label_lines: &str) -> String {
    BOOK.replace("[labels]\n", &format!("[labels]\n{label_lines}"))
}

// ---- names -------------------------------------------------------------

#[test]
fn a_label_spelled_like_an_address_is_refused() {
    let book = book_with(
        "\"0x5afe000000000000000000000000000000000002\" = \"0xbad00000000000000000000000000000000000ff\"\n",
    );
    let line = line_of(&book, "\"0x5afe000000000000000000000000000000000002\" =");
    let run = build(
        &intent(
            "[[intent]]\nkind = \"rotate-governance\"\nto = \"0x5afe000000000000000000000000000000000002\"\nmodules = [\"Thermostat\"]\n",
        ),
        &book,
        &[],
    );
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "looks like an address",
            "an address in an intent is always that address",
        ],
    );
}

#[test]
fn confusable_labels_in_the_book_are_refused() {
    // Cyrillic a, a trailing zero-width space, a bidi override, and a name
    // that differs from another only by case.
    for (label, rule) in [
        ("backup-s\\u0430fe", "U+0430"),
        ("backup-safe\\u200B", "U+200B"),
        ("\\u202Eefas-pukcab", "U+202E"),
        ("Backup-Safe", "differ only by case"),
    ] {
        let book = book_with(&format!(
            "\"{label}\" = \"0xbad00000000000000000000000000000000000ff\"\n"
        ));
        let line = line_of(&book, &format!("\"{label}\" ="));
        let run = build(&intent(ROTATE), &book, &[]);
        let place = format!("./deployments/example.toml:{line}:1:");
        if rule == "differ only by case" {
            // The name that sorts after the other is the one refused.
            assert_eq!(run.code, Some(2), "{}", run.stderr);
            assert!(run.stderr.contains(rule), "{}", run.stderr);
            assert!(run.written.is_empty());
        } else {
            refused(&run, &place, &["is not an ASCII name", rule]);
        }
    }
}

#[test]
fn confusable_names_in_an_intent_do_not_resolve() {
    for (to, meant) in [
        ("backup-s\\u0430fe", "backup-safe"),
        ("backup-safe\\u200B", "backup-safe"),
        ("\\u202Eefas-pukcab", "backup-safe"),
        ("Backup-Safe", "backup-safe"),
    ] {
        let run_text = intent(&format!(
            "[[intent]]\nkind = \"rotate-governance\"\nto = \"{to}\"\nmodules = [\"Thermostat\"]\n"
        ));
        let line = line_of(&run_text, "to = ");
        let run = build(&run_text, BOOK, &[]);
        refused(
            &run,
            &format!("run.toml:{line}:6:"),
            &[
                &format!("(did you mean {meant}?)"),
                "is neither a label of the deployment",
            ],
        );
    }
    let run_text =
        intent("[[intent]]\nkind = \"call\"\ncontract = \"jobregistry\"\nfunction = \"pause\"\n");
    let line = line_of(&run_text, "contract = ");
    let run = build(&run_text, BOOK, &[]);
    refused(
        &run,
        &format!("run.toml:{line}:12:"),
        &["unknown contract `jobregistry` (did you mean JobRegistry?)"],
    );
}

#[test]
fn a_label_named_like_a_protocol_contract_is_refused() {
    let book = book_with("AGITimelock = \"0xbad00000000000000000000000000000000000ff\"\n");
    let line = line_of(&book, "AGITimelock = \"0xbad");
    let run = build(&intent(ROTATE), &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:15:"),
        &["label `AGITimelock` is named like the AGI Jobs contract AGITimelock"],
    );
}

// ---- one address, one name ---------------------------------------------

#[test]
fn two_contracts_at_one_address_are_refused() {
    let book = BOOK.replace(
        "AttestationRegistry = \"0xf555555555555555555555555555555555555555\"",
        "AttestationRegistry = \"0xf222222222222222222222222222222222222222\"",
    );
    let line = line_of(&book, "AttestationRegistry = ");
    let run = build(&intent(ROTATE), &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "`AttestationRegistry` and `CertificateNFT`",
            "one address has one name in an address book",
        ],
    );
}

#[test]
fn a_contract_under_its_name_and_an_alias_is_refused() {
    // At one address: one address, one name.
    let book = BOOK.replace(
        "RewardEngineMB = \"0x8888888888888888888888888888888888888888\"\n",
        "RewardEngineMB = \"0x8888888888888888888888888888888888888888\"\nRewardEngine = \"0x8888888888888888888888888888888888888888\"\n",
    );
    let line = line_of(&book, "RewardEngine = ");
    let run = build(&intent(ROTATE), &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "`RewardEngine` and `RewardEngineMB`",
            "one address has one name",
        ],
    );
    // At two addresses: one contract, one entry.
    let book = BOOK.replace(
        "RewardEngineMB = \"0x8888888888888888888888888888888888888888\"\n",
        "RewardEngineMB = \"0x8888888888888888888888888888888888888888\"\nRewardEngine = \"0x8888000000000000000000000000000000000777\"\n",
    );
    let run = build(&intent(ROTATE), &book, &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("are the same contract, RewardEngineMB"),
        "{}",
        run.stderr
    );
    assert!(run.written.is_empty());
}

#[test]
fn a_label_and_a_contract_on_one_address_are_refused() {
    let book = book_with("treasury = \"0x9999999999999999999999999999999999999999\"\n");
    let line = line_of(&book, "treasury = ");
    let run = build(&intent(ROTATE), &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &["`treasury` and `FeePool`", "one address has one name"],
    );
}

#[test]
fn a_contract_at_the_safe_address_is_refused() {
    let book = BOOK
        .replace(
            "governance-safe = \"0x5afe000000000000000000000000000000000001\"\n",
            "",
        )
        .replace(
            "\n[labels]",
            "\n[other_contracts]\nERC20 = \"0x5afe000000000000000000000000000000000001\"\n\n[labels]",
        );
    let line = line_of(&book, "ERC20 = ");
    let run = build(&intent(ROTATE), &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "`ERC20`",
            "the Safe's own address",
            "may not sit at the Safe's address",
        ],
    );
}

// ---- lookalikes ----------------------------------------------------------

#[test]
fn a_lookalike_rotation_target_is_refused_even_when_confirmed() {
    // backup-safe is 0x5afe…0002.
    let run_text = intent(
        "[[intent]]\nkind = \"rotate-governance\"\nto = \"0x5afe00000000000000000000000000000bad0002\"\nconfirm_unlabelled = true\nmodules = [\"Thermostat\"]\n",
    );
    let line = line_of(&run_text, "to = ");
    let run = build(&run_text, BOOK, &[]);
    refused(
        &run,
        &format!("run.toml:{line}:6:"),
        &[
            "looks like `backup-safe` (",
            "same first and last four hex digits",
            "whatever `confirm_unlabelled` says",
        ],
    );
}

#[test]
fn a_lookalike_swap_target_is_refused() {
    // signer-dave is 0xda7e…0004.
    let run_text = intent(
        "[[intent]]\nkind = \"rotate-signers\"\nswap = [{ old = \"signer-bob\", new = \"0xda7e00000000000000000000000000000bad0004\" }]\n",
    );
    let line = line_of(&run_text, "swap = ");
    let run = build(&run_text, BOOK, &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("error: run.toml:{line}:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("looks like `signer-dave`"),
        "{}",
        run.stderr
    );
    assert!(run.written.is_empty());
}

#[test]
fn two_lookalike_entries_in_a_book_are_refused() {
    let book = book_with("cold-safe = \"0x5afe00000000000000000000000000000bad0002\"\n");
    let run = build(&intent(ROTATE), &book, &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("same first and last four hex digits"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`backup-safe`") && run.stderr.contains("`cold-safe`"));
    assert!(run.written.is_empty());
}

// ---- ABI files from the book --------------------------------------------

fn with_abi(book: &str, contract: &str, address: &str, abi: &str) -> String {
    let line = format!("{contract} = \"{address}\"");
    assert!(book.contains(&line));
    book.replace(
        &line,
        &format!("{contract} = {{ address = \"{address}\", abi = \"{abi}\" }}"),
    )
}

/// The embedded StakeManager ABI with governanceSlash's `user` and
/// `beneficiary` names swapped.
fn swapped_stake_manager() -> String {
    let mut abi: Vec<Value> = serde_json::from_str(STAKE_MANAGER_ABI).unwrap();
    for entry in &mut abi {
        if entry["name"] == "governanceSlash" {
            let inputs = entry["inputs"].as_array_mut().unwrap();
            inputs[0]["name"] = "beneficiary".into();
            inputs[3]["name"] = "user".into();
        }
    }
    serde_json::to_string_pretty(&abi).unwrap()
}

#[test]
fn a_book_abi_swapping_governance_slash_parameters_is_refused() {
    let book = with_abi(
        BOOK,
        "StakeManager",
        "0x6666666666666666666666666666666666666666",
        "abis/StakeManager.json",
    );
    let line = line_of(&book, "StakeManager = {");
    let run = build(
        SLASHING,
        &book,
        &[(
            "deployments/abis/StakeManager.json",
            &swapped_stake_manager(),
        )],
    );
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "declares `governanceSlash(address beneficiary, uint8 role, uint256 pctBps, address user) nonpayable`",
            "of `governanceSlash(address user, uint8 role, uint256 pctBps, address beneficiary) nonpayable`",
            "must have the same name, parameter names, types and state mutability",
        ],
    );
}

#[test]
fn an_absolute_abi_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("StakeManager.json");
    fs::write(&outside, STAKE_MANAGER_ABI).unwrap();
    let book = with_abi(
        BOOK,
        "StakeManager",
        "0x6666666666666666666666666666666666666666",
        &outside.display().to_string(),
    );
    let line = line_of(&book, "StakeManager = {");
    let run = build(SLASHING, &book, &[]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &["is an absolute path", "stays inside its folder"],
    );
}

#[test]
fn an_abi_path_leaving_the_book_folder_is_refused() {
    let book = with_abi(
        BOOK,
        "StakeManager",
        "0x6666666666666666666666666666666666666666",
        "../StakeManager.json",
    );
    let line = line_of(&book, "StakeManager = {");
    let run = build(SLASHING, &book, &[("StakeManager.json", STAKE_MANAGER_ABI)]);
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "outside the address book's folder",
            "stays inside its folder",
        ],
    );
}

/// An override of RewardEngineMB: setGovernance as `declared`, plus a new
/// function.
fn reward_engine_override(declared: &str) -> String {
    format!(
        r#"[
  {{"type":"function","name":"setGovernance","inputs":[{{"name":"{declared}","type":"address"}}],"outputs":[],"stateMutability":"nonpayable"}},
  {{"type":"function","name":"syncRewardIndex","inputs":[{{"name":"account","type":"address"}}],"outputs":[],"stateMutability":"nonpayable"}}
]"#
    )
}

#[test]
fn an_override_may_add_functions_but_not_rename_a_shared_selector() {
    let book = with_abi(
        BOOK,
        "RewardEngineMB",
        "0x8888888888888888888888888888888888888888",
        "abis/RewardEngineMB.json",
    );
    let line = line_of(&book, "RewardEngineMB = {");
    // setGovernance(address) with another parameter name: refused.
    let run = build(
        &intent(ROTATE),
        &book,
        &[(
            "deployments/abis/RewardEngineMB.json",
            &reward_engine_override("newGov"),
        )],
    );
    refused(
        &run,
        &format!("./deployments/example.toml:{line}:1:"),
        &[
            "declares `setGovernance(address newGov) nonpayable` with the selector 0xab033ea9 of `setGovernance(address _governance) nonpayable`",
            "a selector may never name two functions of one contract",
        ],
    );

    // The same declaration as the embedded one, plus a new function: built,
    // and the manifest records the file and its keccak256 even though no
    // call uses RewardEngineMB.
    let text = reward_engine_override("_governance");
    let run = build(
        &intent(ROTATE),
        &book,
        &[("deployments/abis/RewardEngineMB.json", &text)],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(run.dir.path().join("out/run.safe.json")).unwrap(),
    )
    .unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    let entry = inputs
        .iter()
        .find(|i| i["contract"] == "RewardEngineMB")
        .unwrap_or_else(|| panic!("no RewardEngineMB input: {inputs:?}"));
    assert_eq!(entry["role"], "abi");
    assert_eq!(entry["name"], "deployments/abis/RewardEngineMB.json");
    assert_eq!(
        entry["keccak256"],
        alloy_primitives::hex::encode_prefixed(alloy_primitives::keccak256(text.as_bytes()))
    );
    // The embedded ABI is still whole under the override.
    assert!(REWARD_ENGINE_ABI.contains("setGovernance"));
    assert!(Path::new(&run.dir.path().join("out/run.json")).is_file());
}

#[test]
fn the_bundled_example_book_keeps_the_rules() {
    let run = build(&intent(ROTATE), BOOK, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
