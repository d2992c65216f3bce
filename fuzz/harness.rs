//! The bodies of the fuzz targets, shared by the libFuzzer binaries in
//! `fuzz/fuzz_targets/` and by `tests/fuzz_corpora.rs`, which replays the
//! corpora on the stable toolchain. Both include this file with
//! `#[path = ...] mod harness;`, so the fuzzer and CI run the same code.
//!
//! Every function takes arbitrary bytes and must return normally: a panic
//! is a bug, either a crash in bundlec or a broken property (asserted here).
//! Inputs that are not in the target's format (not UTF-8, say) just return.
//!
//! Input formats (see fuzz/README.md):
//! - `batch_verify`, `runbook_compile`: the file's bytes, as is.
//! - `multisend_decode`: raw calldata.
//! - `calldata_decode`: one control byte, then calldata. The low nibble picks
//!   a wrapper selector to put in front (0 and 11..15: none), bits 4..6 the
//!   `to` of the call, bit 7 its operation.
//! - `contract_inputs`: one control byte, then UTF-8 text. `control % 14`
//!   below 12 picks one ABI parameter and the text is its
//!   `contractInputsValues` string; 12 and 13 read the text as a whole
//!   `contractInputsValues` JSON object for one of two functions.
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::{Function, Param};
use alloy_primitives::{Address, U256, address, keccak256};
use bundlec::abi::registry::AbiRegistry;
use bundlec::abi::values::{
    args_from_contract_inputs, contract_inputs_values, from_contract_input, to_contract_input,
    value_from_str,
};
use bundlec::address_book::AddressBook;
use bundlec::build::{self, BatchKind, BuildRequest, InputFile, Inputs};
use bundlec::decode::{CallSite, Decoder};
use bundlec::plan::plan_runbook;
use bundlec::runbook::{
    Deployment, DeploymentSource, Runbook, Source, parse_deployment, parse_runbook,
};
use bundlec::safe::{Operation, SafeVersion};
use bundlec::verify::{self, Request, Target};
use serde_json::{Map, Value};

/// The body of one fuzz target.
pub type Harness = fn(&[u8]);

/// Every target, by the name of its fuzz binary and corpus folder.
pub const TARGETS: [(&str, Harness); 5] = [
    ("batch_verify", batch_verify),
    ("multisend_decode", multisend_decode),
    ("calldata_decode", calldata_decode),
    ("runbook_compile", runbook_compile),
    ("contract_inputs", contract_inputs),
];

/// The Safe every fuzzed batch is verified for (the bundles' governance Safe).
pub const SAFE: Address = address!("5afe000000000000000000000000000000000001");

/// The deployment the bundles use; also stands in for `[deployment] file`,
/// which the harness does not read from disk.
pub const EXAMPLE_DEPLOYMENT: &str = include_str!("../bundles/deployments/example.toml");

static REGISTRY: LazyLock<AbiRegistry> =
    LazyLock::new(|| AbiRegistry::embedded().expect("the embedded ABIs load"));

static DEPLOYMENT: LazyLock<Deployment> = LazyLock::new(|| {
    parse_deployment(&Source::new("deployments/example.toml", EXAMPLE_DEPLOYMENT))
        .expect("the example deployment parses")
});

/// Names for the example deployment run by [`SAFE`], on chain 1 (so Safe
/// infrastructure is recognised too).
static BOOK: LazyLock<AddressBook> =
    LazyLock::new(|| AddressBook::for_deployment(&DEPLOYMENT, SAFE));

fn target() -> Target {
    Target {
        chain_id: 1,
        safe: SAFE,
        version: "1.4.1".parse::<SafeVersion>().expect("1.4.1 is supported"),
        nonce: U256::ZERO,
        multi_send: Default::default(),
        trusted_multi_send_call_only: None,
    }
}

// ---- batch_verify -----------------------------------------------------------

/// A Transaction Builder batch file: parse, checksum, verify (strict and not),
/// render. Properties: the two modes find the same things and differ only in
/// severity; verify's checksum report is `txbuilder::check`'s.
pub fn batch_verify(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = bundlec::txbuilder::parse_json(text) else {
        assert!(
            bundlec::txbuilder::parse_batch(text).is_err(),
            "parse_batch reads it, parse_json does not"
        );
        return;
    };
    // verify reads the file as a borrowed tree; both trees read any text alike.
    let batch = bundlec::txbuilder::parse_batch(text)
        .unwrap_or_else(|e| panic!("parse_json reads it, parse_batch does not: {e}"));
    assert_eq!(
        *bundlec::txbuilder::JsonTree::as_value(&batch),
        value,
        "the borrowed and the owned tree hold different values"
    );
    let checksum = bundlec::txbuilder::check(&batch);
    assert_eq!(
        checksum,
        bundlec::txbuilder::check(&value),
        "the borrowed and the owned tree give different checksum reports"
    );
    // The same JSON read as a proposed Safe transaction (`verify --safe-tx`).
    let given = verify::parse_given_safe_tx(&value).ok();
    let read = verify::read(&batch);
    match (&read, verify::read(&value)) {
        (Ok(a), Ok(b)) => assert_eq!(
            (&a.checksum, &a.contents),
            (&b.checksum, &b.contents),
            "the borrowed and the owned tree read different calls"
        ),
        (Err(a), Err(b)) => assert_eq!(a, &b, "the two trees fail to read differently"),
        (a, b) => panic!("one tree reads, the other does not: {a:?} / {b:?}"),
    }
    let Ok(read) = read else {
        return;
    };

    let run = |strict: bool| {
        verify::verify(&Request {
            batch: &read,
            target: target(),
            intent_calls: None,
            manifest_safe_tx: None,
            given_safe_tx: given.as_ref(),
            expect_safe_tx_hash: None,
            nested: None,
            registry: &REGISTRY,
            book: &BOOK,
            summaries: None,
            book_origin: None,
            accept: &[],
            preliminary: &[],
            strict,
        })
    };
    let lenient = run(false);
    let strict = run(true);

    match (&lenient, &strict) {
        (Ok(lenient), Ok(strict)) => {
            assert_eq!(
                Ok(&lenient.checksum),
                checksum.as_ref(),
                "verify's checksum report differs from txbuilder::check"
            );
            let found = |r: &verify::Report| -> Vec<(verify::Code, String, String)> {
                r.findings
                    .iter()
                    .map(|f| (f.code, f.path.clone(), f.message.to_string()))
                    .collect()
            };
            assert_eq!(
                found(lenient),
                found(strict),
                "--strict changed what verify found, not only its severity"
            );
            assert!(
                lenient.ok || !strict.ok,
                "a batch that fails without --strict passed with it"
            );
            for report in [lenient, strict] {
                let _ = verify::render::report_text(report, &BOOK, "fuzz.json");
                let _ = verify::render::report_json(report, &BOOK);
            }
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "verify failed differently under --strict"),
        _ => panic!("verify succeeded in one mode only: {lenient:?} / {strict:?}"),
    }
}

// ---- multisend_decode -------------------------------------------------------

/// `multiSend(bytes)` calldata. Property: decoding is strict, so whatever
/// decodes re-encodes to exactly the same bytes.
pub fn multisend_decode(data: &[u8]) {
    if let Ok(records) = bundlec::multisend::decode(data) {
        let encoded = bundlec::multisend::encode(&records);
        assert_eq!(
            encoded.as_ref(),
            data,
            "multisend::decode accepted bytes that encode differently: {records:?}"
        );
    }
}

// ---- calldata_decode --------------------------------------------------------

/// The forwarders the decoder recurses through.
pub const WRAPPERS: [&str; 10] = [
    "multiSend(bytes)",
    "executeGovernanceCall(address,bytes)",
    "forwardPauseCall(bytes)",
    "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
    "scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)",
    "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
    "execute(address,uint256,bytes,bytes32,bytes32)",
    "executeBatch(address[],uint256[],bytes[],bytes32,bytes32)",
    "execTransactionFromModule(address,uint256,bytes,uint8)",
    "configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])",
];

/// The `to` of a fuzzed call, picked by bits 4..6 of the control byte.
pub const CALL_TARGETS: [Option<Address>; 8] = [
    None,
    // SystemPause in the example deployment.
    Some(address!("5555555555555555555555555555555555555555")),
    // MultiSendCallOnly 1.4.1 on chain 1.
    Some(address!("9641d764fc13c8B624c04430C7356C1C7C8102e2")),
    // MultiSend 1.4.1 on chain 1.
    Some(address!("38869bf66a61cF6bDB996A6aE40D5853Fd43B526")),
    Some(SAFE),
    // JobRegistry in the example deployment.
    Some(address!("7777777777777777777777777777777777777777")),
    // A label without an ABI (backup-safe).
    Some(address!("5afe000000000000000000000000000000000002")),
    // Nothing anyone knows.
    Some(address!("1234567890123456789012345678901234567890")),
];

/// Recursive calldata decoding, with no `to` and with the one the control
/// byte picks (sent by [`SAFE`]), and both renderings of every tree that
/// decodes. Property: the text has one line per call and one per
/// alternative reading, whatever names and strings the input carries.
pub fn calldata_decode(data: &[u8]) {
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    let wrapper = usize::from(control & 0x0f)
        .checked_sub(1)
        .and_then(|i| WRAPPERS.get(i));
    let calldata: Vec<u8> = match wrapper {
        Some(signature) => {
            let mut out = keccak256(signature.as_bytes())[..4].to_vec();
            out.extend_from_slice(body);
            out
        }
        None => body.to_vec(),
    };
    let to = CALL_TARGETS[usize::from((control >> 4) & 0x07)];
    let operation = if control & 0x80 == 0 {
        Operation::Call
    } else {
        Operation::DelegateCall
    };

    let decoder = Decoder::new(&REGISTRY, &BOOK);
    let mut sites = vec![CallSite::default()];
    if to.is_some() {
        sites.push(CallSite {
            to,
            value: Some(U256::ZERO),
            operation: Some(operation),
            executor: Some(SAFE),
            ..CallSite::default()
        });
    }
    for site in sites {
        if let Ok(tree) = decoder.decode(site, &calldata, "") {
            let nodes = tree.walk();
            let readings: usize = nodes
                .iter()
                .map(|n| n.function().map_or(1, |f| 1 + f.alternatives.len()))
                .sum();
            let text = bundlec::decode::render::tree_text(&tree, &BOOK);
            assert_eq!(text.lines().count(), readings, "{text}");
            let _ = bundlec::decode::render::tree_json(&tree, &BOOK);
        }
    }
}

// ---- runbook_compile --------------------------------------------------------

/// An intent file: parse, plan with the embedded ABIs, build in memory; the
/// same text as a deployment file. A `[deployment] file` is replaced by the
/// example deployment, and ABI files a deployment names are not loaded.
/// Properties: every batch built has a valid checksum, and `verify` finds no
/// failed check in it and recomputes the safeTxHash the build reported.
pub fn runbook_compile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::new("fuzz.toml", text);
    let _ = parse_deployment(&source);

    let Ok(runbook) = parse_runbook(&source) else {
        return;
    };
    let (deployment, deployment_file) = match &runbook.deployment {
        DeploymentSource::Inline(deployment) => (deployment.clone(), None),
        DeploymentSource::File(file) => (
            DEPLOYMENT.clone(),
            Some(InputFile::new(
                file.value.clone(),
                EXAMPLE_DEPLOYMENT.as_bytes(),
            )),
        ),
    };
    let Ok(plan) = plan_runbook(&runbook, &deployment, &REGISTRY) else {
        return;
    };
    let inputs = Inputs {
        intent: InputFile::new("fuzz.toml", data),
        deployment: deployment_file,
        abis: BTreeMap::new(),
    };
    let Ok(outputs) = build::build(&BuildRequest {
        stem: "fuzz",
        runbook: &runbook,
        deployment: &deployment,
        plan: &plan,
        registry: &REGISTRY,
        inputs: &inputs,
        bundlec_version: "0.0.0-fuzz",
    }) else {
        return;
    };

    for output in &outputs {
        let Some(summary) = &output.batch else {
            continue;
        };
        let text = output.contents.text().expect("a batch is text");
        check_built_batch(&runbook, &deployment, &output.name, &text, summary);
    }
}

fn check_built_batch(
    runbook: &Runbook,
    deployment: &Deployment,
    name: &str,
    contents: &str,
    summary: &build::BatchSummary,
) {
    let batch = bundlec::txbuilder::parse_batch(contents)
        .unwrap_or_else(|e| panic!("built batch {name} is not JSON: {e}"));
    let checksum = bundlec::txbuilder::check(&batch)
        .unwrap_or_else(|e| panic!("built batch {name} has no checksum: {e}"));
    assert!(checksum.valid, "built batch {name} has a wrong checksum");

    let version = match summary.kind {
        BatchKind::Main => runbook.safe.version,
        BatchKind::Accept => match &runbook.accept {
            Some(accept) => accept.version,
            None => panic!("built an accept batch {name} without [accept]"),
        },
    };
    let book = AddressBook::for_deployment(deployment, summary.safe);
    let batch = verify::read(&batch)
        .unwrap_or_else(|e| panic!("verify cannot read built batch {name}: {e}"));
    let report = verify::verify(&Request {
        batch: &batch,
        target: Target {
            chain_id: runbook.safe.chain_id,
            safe: summary.safe,
            version,
            nonce: U256::from(summary.nonce),
            // The signer of this round trip takes the intent's word.
            multi_send: runbook.safe.multi_send,
            trusted_multi_send_call_only: runbook.safe.multi_send.address,
        },
        intent_calls: None,
        manifest_safe_tx: None,
        given_safe_tx: None,
        expect_safe_tx_hash: None,
        nested: None,
        registry: &REGISTRY,
        book: &book,
        summaries: None,
        book_origin: None,
        accept: &[],
        preliminary: &[],
        strict: false,
    })
    .unwrap_or_else(|e| panic!("verify cannot read built batch {name}: {e}"));
    let failed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code.is_check())
        .collect();
    assert!(
        failed.is_empty(),
        "verify fails built batch {name}: {failed:?}"
    );
    assert_eq!(
        report.hashes.safe_tx_hash, summary.safe_tx_hash,
        "verify recomputes another safeTxHash for built batch {name}"
    );
}

// ---- contract_inputs --------------------------------------------------------

/// The parameters `contract_inputs` reads strings for; the control byte picks one.
pub const PARAMS_JSON: &str = r#"[
    {"name": "addr", "type": "address"},
    {"name": "flag", "type": "bool"},
    {"name": "small", "type": "uint8"},
    {"name": "signed", "type": "int256"},
    {"name": "hash", "type": "bytes32"},
    {"name": "blob", "type": "bytes"},
    {"name": "text", "type": "string"},
    {"name": "amounts", "type": "uint256[]"},
    {"name": "pair", "type": "address[2]"},
    {"name": "names", "type": "string[]"},
    {"name": "grant", "type": "tuple", "components": [
        {"name": "amount", "type": "uint256"},
        {"name": "to", "type": "address"}
    ]},
    {"name": "records", "type": "tuple[]", "components": [
        {"name": "id", "type": "uint256"},
        {"name": "ok", "type": "bool"},
        {"name": "note", "type": "string"}
    ]}
]"#;

static PARAMS: LazyLock<Vec<Param>> =
    LazyLock::new(|| serde_json::from_str(PARAMS_JSON).expect("the fuzz parameters parse"));

/// Two functions for whole `contractInputsValues` objects: every parameter
/// by name, and two unnamed ones (keys "0" and "1").
static FUNCTIONS: LazyLock<[Function; 2]> = LazyLock::new(|| {
    let unnamed: Vec<Param> = serde_json::from_str(
        r#"[{"name": "", "type": "uint256"}, {"name": "", "type": "string[]"}]"#,
    )
    .expect("the unnamed parameters parse");
    let function = |name: &str, inputs: Vec<Param>| Function {
        name: name.to_string(),
        inputs,
        outputs: vec![],
        state_mutability: alloy_json_abi::StateMutability::NonPayable,
    };
    [
        function("everything", PARAMS.clone()),
        function("unnamed", unnamed),
    ]
});

/// `contractInputsValues` strings. Property: what reads, writes, and the
/// written form reads back as the same value (one parameter or a whole map).
pub fn contract_inputs(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let choice = usize::from(control) % 14;
    if let Some(param) = PARAMS.get(choice) {
        let _ = value_from_str(param, text);
        if let Ok(value) = from_contract_input(param, text) {
            round_trip_one(param, text, &value);
        }
        return;
    }
    let function = &FUNCTIONS[choice - PARAMS.len()];
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    if let Ok(args) = args_from_contract_inputs(function, &map) {
        let written = contract_inputs_values(function, &args)
            .unwrap_or_else(|e| panic!("arguments read from {text:?} cannot be written back: {e}"));
        let rewritten: Map<String, Value> = written
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect();
        let again = args_from_contract_inputs(function, &rewritten)
            .unwrap_or_else(|e| panic!("{rewritten:?} (written for {text:?}) does not read: {e}"));
        assert_eq!(
            again, args,
            "{text:?} and its written form {rewritten:?} read as different arguments"
        );
    }
}

fn round_trip_one(param: &Param, text: &str, value: &DynSolValue) {
    let written = to_contract_input(param, value).unwrap_or_else(|e| {
        panic!(
            "{} value read from {text:?} cannot be written back: {e}",
            param.ty
        )
    });
    let again = from_contract_input(param, &written).unwrap_or_else(|e| {
        panic!(
            "{} string {written:?} (written for {text:?}) does not read: {e}",
            param.ty
        )
    });
    assert_eq!(
        &again, value,
        "{} string {text:?} and its written form {written:?} read as different values",
        param.ty
    );
}
