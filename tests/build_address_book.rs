//! Address books are complete and exact, through the binary: a `[contracts]`
//! key outside the protocol is refused with a did-you-mean, `modules = "all"`
//! refuses a book that lacks a contract unless `absent` says it is not
//! deployed (and the summary then names it), and under the system-pause
//! layout "all" is one `pauseAll()` whatever the book holds.

mod common;

use std::fs;

use common::bundlec;
use serde_json::Value;

const BOOK: &str = include_str!("../fixtures/runbooks/deployments/example.toml");

/// The fixture book with its `absent` list replaced by `absent` and every
/// `[contracts]` line naming one of `drop` removed.
fn book(absent: &[&str], drop: &[&str], layout: &str) -> String {
    let quoted: Vec<String> = absent.iter().map(|n| format!("\"{n}\"")).collect();
    let start = BOOK.find("absent = [").unwrap();
    let end = start + BOOK[start..].find("]\n").unwrap() + 2;
    let text = format!(
        "{}absent = [{}]\n{}",
        &BOOK[..start],
        quoted.join(", "),
        &BOOK[end..]
    )
    .replace(
        "layout = \"system-pause\"",
        &format!("layout = \"{layout}\""),
    );
    text.lines()
        .filter(|line| !drop.iter().any(|d| line.starts_with(&format!("{d} = "))))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Every profile contract the fixture book lacks, which a complete book
/// lists as absent.
const NOT_IN_FIXTURE: [&str; 7] = [
    "EnergyOracle",
    "HamiltonianMonitor",
    "Phase6ExpansionManager",
    "Phase8UniversalValueManager",
    "OwnerConfigurator",
    "AGITimelock",
    "TimelockController",
];

fn intent(intents: &str) -> String {
    format!(
        r#"[bundle]
name = "address book"
created_at = 1764374400000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 42

[accept]
nonce = 0
version = "1.4.1"

[deployment]
file = "book.toml"

{intents}"#
    )
}

const PAUSE_ALL: &str = "[[intent]]\nkind = \"pause\"\nmodules = \"all\"\n";
const ROTATE_ALL: &str =
    "[[intent]]\nkind = \"rotate-governance\"\nto = \"backup-safe\"\nmodules = \"all\"\n";

/// Builds `run.toml` with `book.toml` into an empty `out/`: the exit code,
/// stdout, stderr, and the files written.
fn build(book_text: &str, intents: &str) -> (Option<i32>, String, String, Vec<String>) {
    build_runbook(book_text, &intent(intents))
}

/// `build` for a whole runbook text.
fn build_runbook(book_text: &str, runbook: &str) -> (Option<i32>, String, String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("book.toml"), book_text).unwrap();
    fs::write(dir.path().join("run.toml"), runbook).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let output = bundlec()
        .current_dir(dir.path())
        .args(["build", "run.toml", "--out-dir", "out"])
        .output()
        .unwrap();
    let mut written: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    if written.iter().any(|n| n == "run.json") {
        // Keep the batch for the caller.
        let batch = fs::read_to_string(out.join("run.json")).unwrap();
        written.push(batch);
    }
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        written,
    )
}

/// `(to, method)` of every transaction of a batch.
fn calls(batch: &str) -> Vec<(String, String)> {
    let json: Value = serde_json::from_str(batch).unwrap();
    json["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tx| {
            (
                tx["to"].as_str().unwrap().to_lowercase(),
                tx["contractMethod"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn batch_of(written: &[String]) -> &str {
    written.last().unwrap()
}

const SYSTEM_PAUSE: &str = "0x5555555555555555555555555555555555555555";
const CERTIFICATE_NFT: &str = "0xf222222222222222222222222222222222222222";
const ATTESTATION_REGISTRY: &str = "0xf555555555555555555555555555555555555555";

#[test]
fn a_misspelt_contract_is_refused_with_a_did_you_mean_and_nothing_is_written() {
    let text =
        book(&NOT_IN_FIXTURE, &[], "system-pause").replace("JobRegistry = ", "JobRegistery = ");
    let line = text
        .lines()
        .position(|l| l.starts_with("JobRegistery = "))
        .unwrap()
        + 1;
    let (code, stdout, stderr, written) = build(&text, PAUSE_ALL);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: ./book.toml:{line}:1: `JobRegistery` is not a contract of AGI Jobs (did you mean JobRegistry?)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("[other_contracts]"), "{stderr}");
    assert_eq!(stdout, "");
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn a_contract_outside_the_profile_goes_under_other_contracts() {
    let token = "0x70ce000000000000000000000000000000000001";
    let transfer = "[[intent]]\nkind = \"call\"\ncontract = \"ERC20\"\nfunction = \"transfer\"\nargs = [\"backup-safe\", \"1\"]\n";
    let base = book(&NOT_IN_FIXTURE, &[], "system-pause");
    // Under [contracts] it is refused, naming the table to use.
    let wrong = base.replace(
        "[contracts]\n",
        &format!("[contracts]\nERC20 = \"{token}\"\n"),
    );
    let (code, _, stderr, written) = build(&wrong, transfer);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`ERC20` is not a contract of AGI Jobs: [contracts] holds only"),
        "{stderr}"
    );
    assert!(written.is_empty());
    // Under [other_contracts] it is called with its ABI.
    let right = format!("{base}\n[other_contracts]\nERC20 = \"{token}\"\n");
    // A call outside the profile needs its gas bound written.
    let runbook = intent(transfer).replace(
        "created_at = 1764374400000\n",
        "created_at = 1764374400000\ngas_per_call = 500000\n",
    );
    let (code, _, stderr, written) = build_runbook(&right, &runbook);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        calls(batch_of(&written)),
        [(token.to_owned(), "transfer".to_owned())]
    );
    // A protocol contract there is refused.
    let misplaced = format!(
        "{}\n[other_contracts]\nRouter = \"0xcccccccccccccccccccccccccccccccccccccccc\"\n",
        base.replace(
            "JobRouter = \"0xcccccccccccccccccccccccccccccccccccccccc\"\n",
            ""
        )
    );
    let (code, _, stderr, _) = build(&misplaced, PAUSE_ALL);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`Router` (JobRouter) is an AGI Jobs contract: list it under [contracts]"),
        "{stderr}"
    );
}

#[test]
fn pause_all_under_system_pause_is_one_pause_all_plus_the_direct_pauses() {
    let (code, stdout, stderr, written) =
        build(&book(&NOT_IN_FIXTURE, &[], "system-pause"), PAUSE_ALL);
    assert_eq!(code, Some(0), "{stderr}");
    let expected = [
        (SYSTEM_PAUSE.to_owned(), "pauseAll".to_owned()),
        (CERTIFICATE_NFT.to_owned(), "pause".to_owned()),
        (ATTESTATION_REGISTRY.to_owned(), "pause".to_owned()),
    ];
    assert_eq!(calls(batch_of(&written)), expected);
    assert!(
        stdout.contains(
            "note: run.toml:20:11: pause \"all\" is one SystemPause.pauseAll() for the eight modules SystemPause \
             manages on chain (JobRegistry, StakeManager, ValidationModule, DisputeModule, PlatformRegistry, \
             FeePool, ReputationEngine, ArbitratorCommittee), whatever the address book lists; CertificateNFT, \
             AttestationRegistry paused directly"
        ),
        "{stdout}"
    );

    // Whatever the book holds: with JobRegistry and FeePool declared absent
    // the same single pauseAll() goes out, and no forwarded pause().
    let mut absent = NOT_IN_FIXTURE.to_vec();
    absent.extend(["JobRegistry", "FeePool"]);
    let text = book(&absent, &["JobRegistry", "FeePool"], "system-pause");
    let (code, stdout, stderr, written) = build(&text, PAUSE_ALL);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(calls(batch_of(&written)), expected);
    assert!(stdout.contains("one SystemPause.pauseAll()"), "{stdout}");
    assert!(
        stdout.contains("pause \"all\" skipped JobRegistry, FeePool: the address book says they are not deployed"),
        "{stdout}"
    );
}

#[test]
fn pause_all_refuses_a_book_missing_a_pausable_contract_in_either_layout() {
    for layout in ["system-pause", "direct"] {
        let text = book(&NOT_IN_FIXTURE, &["CertificateNFT", "JobRegistry"], layout);
        let (code, stdout, stderr, written) = build(&text, PAUSE_ALL);
        assert_eq!(code, Some(2), "{layout}: {stderr}");
        assert!(
            stderr.starts_with(
                "error: run.toml:20:11: `modules = \"all\"` means every pausable contract of AGI Jobs, but the \
                 address book has no address for JobRegistry, CertificateNFT: add them to [contracts], or, if they \
                 are not deployed, write `absent = [\"JobRegistry\", \"CertificateNFT\"]`"
            ),
            "{layout}: {stderr}"
        );
        assert_eq!(stdout, "");
        assert!(written.is_empty(), "{written:?}");
    }
}

#[test]
fn pause_all_skips_an_absent_contract_and_the_summary_names_it() {
    let mut absent = NOT_IN_FIXTURE.to_vec();
    absent.push("CertificateNFT");
    for (layout, first) in [
        ("system-pause", (SYSTEM_PAUSE, "pauseAll")),
        (
            "direct",
            ("0x7777777777777777777777777777777777777777", "pause"),
        ),
    ] {
        let text = book(&absent, &["CertificateNFT"], layout);
        let (code, stdout, stderr, written) = build(&text, PAUSE_ALL);
        assert_eq!(code, Some(0), "{layout}: {stderr}");
        let calls = calls(batch_of(&written));
        assert_eq!(
            calls.first(),
            Some(&(first.0.to_owned(), first.1.to_owned()))
        );
        assert!(!calls.iter().any(|(to, _)| to == CERTIFICATE_NFT));
        assert_eq!(
            calls.last(),
            Some(&(ATTESTATION_REGISTRY.to_owned(), "pause".to_owned()))
        );
        assert!(
            stdout.contains(
                "note: run.toml:20:11: pause \"all\" skipped CertificateNFT: the address book says it is not \
                 deployed (`absent`)"
            ),
            "{layout}: {stdout}"
        );
    }
}

#[test]
fn rotate_all_refuses_a_missing_rotatable_contract_and_skips_an_absent_one() {
    // The fixture book lacks five rotatable contracts; without `absent`,
    // "all" is refused naming them.
    let text = book(&["AGITimelock", "TimelockController"], &[], "system-pause");
    let (code, _, stderr, written) = build(&text, ROTATE_ALL);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: run.toml:21:11: `modules = \"all\"` means every rotatable contract of AGI Jobs, but the address \
             book has no address for EnergyOracle, HamiltonianMonitor, Phase6ExpansionManager, \
             Phase8UniversalValueManager, OwnerConfigurator"
        ),
        "{stderr}"
    );
    assert!(written.is_empty());

    // Declared absent, they are skipped and the summary says so.
    let (code, stdout, stderr, written) =
        build(&book(&NOT_IN_FIXTURE, &[], "system-pause"), ROTATE_ALL);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "note: run.toml:21:11: rotate-governance \"all\" skipped EnergyOracle, HamiltonianMonitor, \
             Phase6ExpansionManager, Phase8UniversalValueManager, OwnerConfigurator: the address book says they \
             are not deployed (`absent`)"
        ),
        "{stdout}"
    );
    assert!(
        written.iter().any(|n| n == "run.accept.json"),
        "{written:?}"
    );

    // A timelock is never rotated, so "all" does not ask for one.
    let mut absent = NOT_IN_FIXTURE.to_vec();
    absent.retain(|n| !n.contains("Timelock"));
    let (code, stdout, stderr, _) = build(&book(&absent, &[], "direct"), ROTATE_ALL);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("Timelock"), "{stdout}");
}

#[test]
fn a_listed_absent_module_is_refused_as_not_deployed() {
    let mut absent = NOT_IN_FIXTURE.to_vec();
    absent.push("CertificateNFT");
    let text = book(&absent, &["CertificateNFT"], "direct");
    let (code, _, stderr, _) = build(
        &text,
        "[[intent]]\nkind = \"pause\"\nmodules = [\"CertificateNFT\"]\n",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`CertificateNFT` is not in the deployment's [contracts]")
            && stderr.contains("the address book says it is not deployed"),
        "{stderr}"
    );
}
