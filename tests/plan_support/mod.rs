//! Helpers for the plan_* tests: intent files written as TOML text against the
//! placeholder AGI Jobs address book (the CI placeholders of AGI Jobs v0's
//! owner scripts, lower-cased), planned, then read back by decoding the calldata.
#![allow(dead_code)]

use std::path::PathBuf;

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, Bytes, hex};
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallNode, CallSite, Decoder};
use bundlec::plan::{Plan, PlannedCall, Step, plan_runbook};
use bundlec::runbook::{Deployment, DeploymentSource, InputError, Runbook, Source, parse_runbook};
use bundlec::safe::Operation;

pub const FILE: &str = "plan.toml";
/// The governing Safe (the placeholder book's "governance").
pub const SAFE: &str = "0x1111111111111111111111111111111111111111";
/// The backup Safe (the placeholder book's "owner"), labelled `backup-safe`.
pub const BACKUP: &str = "0x2222222222222222222222222222222222222222";
pub const SIGNER_A: &str = "0x00000000000000000000000000000000000000a1";
pub const SIGNER_B: &str = "0x00000000000000000000000000000000000000b2";
pub const SIGNER_C: &str = "0x00000000000000000000000000000000000000c3";

/// Every placeholder contract, by ABI name.
pub const CONTRACTS: &[(&str, &str)] = &[
    (
        "HGMControlModule",
        "0x3333333333333333333333333333333333333333",
    ),
    ("Thermostat", "0x4444444444444444444444444444444444444444"),
    ("SystemPause", "0x5555555555555555555555555555555555555555"),
    ("StakeManager", "0x6666666666666666666666666666666666666666"),
    ("JobRegistry", "0x7777777777777777777777777777777777777777"),
    (
        "RewardEngineMB",
        "0x8888888888888888888888888888888888888888",
    ),
    ("FeePool", "0x9999999999999999999999999999999999999999"),
    (
        "PlatformRegistry",
        "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ),
    (
        "PlatformIncentives",
        "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ),
    ("JobRouter", "0xcccccccccccccccccccccccccccccccccccccccc"),
    (
        "ValidationModule",
        "0xdddddddddddddddddddddddddddddddddddddddd",
    ),
    (
        "ReputationEngine",
        "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
    ),
    (
        "DisputeModule",
        "0xf000000000000000000000000000000000000000",
    ),
    (
        "ArbitratorCommittee",
        "0xf111111111111111111111111111111111111111",
    ),
    (
        "CertificateNFT",
        "0xf222222222222222222222222222222222222222",
    ),
    ("TaxPolicy", "0xf333333333333333333333333333333333333333"),
    (
        "IdentityRegistry",
        "0xf444444444444444444444444444444444444444",
    ),
    (
        "AttestationRegistry",
        "0xf555555555555555555555555555555555555555",
    ),
    (
        "RandaoCoordinator",
        "0xf666666666666666666666666666666666666666",
    ),
];

pub fn addr(text: &str) -> Address {
    text.parse().unwrap()
}

pub fn contract_address(name: &str) -> Address {
    addr(CONTRACTS.iter().find(|(n, _)| *n == name).unwrap().1)
}

/// The `[deployment]` table with the given contracts (all when `None`).
/// Every other pausable or rotatable AGI Jobs contract is listed in
/// `absent`, as a complete address book must.
pub fn deployment_toml(layout: &str, only: Option<&[&str]>) -> String {
    let listed = |name: &str| {
        CONTRACTS.iter().any(|(n, _)| *n == name) && only.is_none_or(|names| names.contains(&name))
    };
    let absent: Vec<String> = bundlec::plan::agijobs::PROFILE
        .contracts
        .iter()
        .filter(|c| c.pausable || c.access != bundlec::plan::profile::Access::Timelock)
        .filter(|c| !listed(c.name))
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    let mut text = format!(
        "[deployment]\nchain_id = 1\nlayout = \"{layout}\"\nabsent = [{}]\n\n[deployment.contracts]\n",
        absent.join(", ")
    );
    for (name, address) in CONTRACTS {
        if only.is_none_or(|names| names.contains(name)) {
            text.push_str(&format!("{name} = \"{address}\"\n"));
        }
    }
    text.push_str(&format!(
        "\n[deployment.labels]\nbackup-safe = \"{BACKUP}\"\nsigner-a = \"{SIGNER_A}\"\n"
    ));
    text
}

/// A whole intent file: the header, the deployment, then `intents`.
pub fn runbook_with(deployment: &str, intents: &str) -> String {
    format!(
        r#"[bundle]
name = "plan test"
created_at = 1764374400000

[safe]
address = "{SAFE}"
chain_id = 1
version = "1.4.1"
nonce = 42
owners = ["{SIGNER_A}", "{SIGNER_B}", "{SIGNER_C}"]
threshold = 2

[accept]
nonce = 7
version = "1.4.1"

{deployment}
{intents}"#
    )
}

pub fn runbook(layout: &str, intents: &str) -> String {
    runbook_with(&deployment_toml(layout, None), intents)
}

pub fn parse(text: &str) -> Runbook {
    parse_runbook(&Source::new(FILE, text)).unwrap_or_else(|e| panic!("parse: {e}\n{text}"))
}

pub fn deployment(runbook: &Runbook) -> &Deployment {
    match &runbook.deployment {
        DeploymentSource::Inline(d) => d,
        DeploymentSource::File(_) => panic!("tests inline the deployment"),
    }
}

/// The embedded registry, loaded once per test binary.
pub fn registry() -> &'static AbiRegistry {
    static REGISTRY: std::sync::OnceLock<AbiRegistry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| AbiRegistry::embedded().unwrap())
}

pub fn try_plan(text: &str) -> Result<Plan, InputError> {
    let runbook = parse(text);
    plan_runbook(&runbook, deployment(&runbook), registry())
}

pub fn plan(text: &str) -> Plan {
    try_plan(text).unwrap_or_else(|e| panic!("plan: {e}\n{text}"))
}

pub fn plan_error(text: &str) -> InputError {
    match try_plan(text) {
        Ok(plan) => panic!("expected an error, got {:#?}", summaries(&plan)),
        Err(e) => e,
    }
}

/// `file:line:column` of the first `needle` in `text` at or after the first
/// `after` (1-based, columns in characters).
pub fn location(text: &str, after: &str, needle: &str) -> String {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` not in the text"));
    let offset = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not after `{after}`"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{FILE}:{line}:{column}")
}

/// Asserts that the error is placed at `expected` and says every `words`.
pub fn assert_error(err: &InputError, expected: &str, words: &[&str]) {
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{expected}: ")),
        "expected the error at {expected}, got: {text}"
    );
    for w in words {
        assert!(text.contains(w), "expected `{w}` in: {text}");
    }
}

pub fn summaries(plan: &Plan) -> Vec<String> {
    plan.calls().iter().map(|c| c.summary.to_string()).collect()
}

/// The address book the decoder names things with.
pub fn book(runbook: &Runbook) -> AddressBook {
    let mut book = AddressBook::new(Some(1));
    let d = deployment(runbook);
    for (name, entry) in &d.contracts {
        book.insert(entry.address, name.clone(), Some(name.clone()));
    }
    for (label, address) in &d.labels {
        book.insert(address.value, label.clone(), None);
    }
    book.insert(runbook.safe.address, "Safe", Some("Safe".to_owned()));
    book
}

/// Each call decoded from its calldata alone, as
/// `To.function(args) -> Inner.function(args)` for forwarded calls.
pub fn decoded_calls(text: &str, calls: &[&PlannedCall]) -> Vec<String> {
    let runbook = parse(text);
    let registry = registry();
    let book = book(&runbook);
    let decoder = Decoder::new(registry, &book);
    calls
        .iter()
        .map(|call| {
            let site = CallSite {
                to: Some(call.to),
                value: Some(call.value),
                operation: Some(Operation::Call),
                ..CallSite::default()
            };
            let node = decoder.decode(site, &call.data, "0").unwrap();
            render(&node, &book)
        })
        .collect()
}

/// The main batch, decoded.
pub fn decoded(text: &str) -> Vec<String> {
    let plan = plan(text);
    decoded_calls(text, &plan.calls())
}

fn render(node: &CallNode, book: &AddressBook) -> String {
    let call = node
        .function()
        .unwrap_or_else(|| panic!("call {} does not decode: {:?}", node.path, node.data));
    let to = node.to.map_or("?".to_owned(), |a| {
        book.name_of(a).unwrap_or_else(|| a.to_string())
    });
    let args: Vec<String> = call
        .args
        .iter()
        .map(|a| match &a.value {
            DynSolValue::Bytes(_) if !node.children.is_empty() => "<call>".to_owned(),
            v => value(v, book),
        })
        .collect();
    let mut text = format!("{to}.{}({})", call.name, args.join(", "));
    for child in &node.children {
        text.push_str(" -> ");
        text.push_str(&render(child, book));
    }
    text
}

fn value(v: &DynSolValue, book: &AddressBook) -> String {
    match v {
        DynSolValue::Address(a) if *a == Address::with_last_byte(1) => "SENTINEL".to_owned(),
        DynSolValue::Address(a) => book.name_of(*a).unwrap_or_else(|| a.to_string()),
        DynSolValue::Uint(n, _) => n.to_string(),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::Bytes(b) => format!("0x{}", hex::encode(b)),
        DynSolValue::String(s) => format!("{s:?}"),
        other => format!("{other:?}"),
    }
}

/// A vendored reference file under fixtures/reference (see fixtures/SOURCES).
pub fn reference_fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/reference")
        .join(path)
}

/// `(to, data)` of a vector in calldata-vectors.json.
pub fn vector(name: &str) -> (Address, Bytes) {
    let path = reference_fixture("agijobs/calldata-vectors.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let v = json["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector `{name}`"));
    let to = v["to"].as_str().unwrap().to_lowercase().parse().unwrap();
    let data = hex::decode(v["data"].as_str().unwrap()).unwrap().into();
    (to, data)
}

/// Asserts that `call` has exactly the vector's target and calldata.
pub fn assert_vector(call: &PlannedCall, name: &str) {
    let (to, data) = vector(name);
    assert_eq!(call.to, to, "target of {name}");
    assert_eq!(call.data, data, "calldata of {name} ({})", call.summary);
    assert!(call.value.is_zero());
}

/// The steps, with wrapped steps shown as their three parts.
pub fn step_shapes(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| match s {
            Step::Call(_) => "call".to_owned(),
            Step::Wrapped {
                before,
                body,
                after,
            } => {
                format!("wrapped({}, {}, {})", before.len(), body.len(), after.len())
            }
            Step::Together { calls, .. } => format!("together({})", calls.len()),
        })
        .collect()
}

pub fn intent(kind: &str, body: &str) -> String {
    format!("[[intent]]\nkind = \"{kind}\"\n{body}\n")
}
