//! `bundlec::build` on hand-made plans: chunking, nonces, self-contained
//! chunks, the accept batch, the manifest, determinism, and that every
//! batch transaction's contractInputsValues encode to its data.

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_primitives::{Address, Bytes, U256, address};
use bundlec::abi::registry::AbiRegistry;
use bundlec::build::{
    self, BatchKind, BuildError, BuildRequest, InputFile, Inputs, OutputFile,
    encode_contract_inputs,
};
use bundlec::plan::agijobs::PROFILE;
use bundlec::plan::{AcceptPlan, Plan, PlannedCall, SignerChange, Step};
use bundlec::runbook::{Deployment, DeploymentSource, Runbook, Source, parse_runbook};
use bundlec::txbuilder::{ContractMethod, check, parse_json};
use serde_json::Value;

const SYSTEM_PAUSE: Address = address!("0x5555555555555555555555555555555555555555");
const STAKE_MANAGER: Address = address!("0x6666666666666666666666666666666666666666");
const JOB_REGISTRY: Address = address!("0x7777777777777777777777777777777777777777");
const TAX_POLICY: Address = address!("0xf333333333333333333333333333333333333333");
const SAFE: Address = address!("0x5afe000000000000000000000000000000000001");
const BACKUP: Address = address!("0x5afe000000000000000000000000000000000002");

fn intent(max_calls: Option<usize>, accept: bool) -> String {
    let max_calls = max_calls.map_or(String::new(), |n| format!("max_calls = {n}\n"));
    let accept = if accept {
        "[accept]\nnonce = 7\nversion = \"1.3.0\"\n\n"
    } else {
        ""
    };
    format!(
        r#"[bundle]
name = "Refunds"
description = "hand-made plan"
created_at = 1764374400000
{max_calls}
[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 42

{accept}[deployment]
chain_id = 1
layout = "system-pause"

[deployment.contracts]
SystemPause = "0x5555555555555555555555555555555555555555"
StakeManager = "0x6666666666666666666666666666666666666666"
JobRegistry = "0x7777777777777777777777777777777777777777"
TaxPolicy = "0xf333333333333333333333333333333333333333"

[deployment.labels]
backup-safe = "0x5afe000000000000000000000000000000000002"

[[intent]]
kind = "refund-jobs"
delist = ["1..5"]
system_paused = true
"#
    )
}

struct Fixture {
    text: String,
    runbook: Runbook,
    deployment: Deployment,
    registry: AbiRegistry,
}

fn fixture(max_calls: Option<usize>, accept: bool) -> Fixture {
    let text = intent(max_calls, accept);
    let runbook = parse_runbook(&Source::new("refund.toml", text.clone())).unwrap();
    let DeploymentSource::Inline(deployment) = runbook.deployment.clone() else {
        panic!("inline deployment expected")
    };
    Fixture {
        text,
        runbook,
        deployment,
        registry: AbiRegistry::embedded().unwrap(),
    }
}

fn planned(
    registry: &AbiRegistry,
    contract: &str,
    to: Address,
    function: &str,
    args: Vec<DynSolValue>,
) -> PlannedCall {
    let function = registry.function(contract, function).unwrap().clone();
    let data = Bytes::from(function.abi_encode_input(&args).unwrap());
    PlannedCall {
        to,
        value: U256::ZERO,
        data,
        summary: format!("{contract}.{}", function.name).into(),
        gas: PROFILE.function_gas(contract, &function.signature()),
        function: function.into(),
        args,
    }
}

/// `SystemPause.executeGovernanceCall(module, inner)`.
fn forwarded(registry: &AbiRegistry, module: Address, inner: PlannedCall) -> PlannedCall {
    let mut call = planned(
        registry,
        "SystemPause",
        SYSTEM_PAUSE,
        "executeGovernanceCall",
        vec![
            DynSolValue::Address(module),
            DynSolValue::Bytes(inner.data.to_vec()),
        ],
    );
    call.summary = format!("{} via SystemPause", inner.summary).into();
    call.gas = inner.gas.map(|gas| gas + PROFILE.hub.forward_gas);
    call
}

fn module_call(
    registry: &AbiRegistry,
    contract: &str,
    module: Address,
    function: &str,
    args: Vec<DynSolValue>,
) -> PlannedCall {
    forwarded(
        registry,
        module,
        planned(registry, contract, module, function, args),
    )
}

fn refund_plan(registry: &AbiRegistry, jobs: u64) -> Plan {
    let toggle = |f: &str| {
        vec![
            module_call(registry, "JobRegistry", JOB_REGISTRY, f, vec![]),
            module_call(registry, "StakeManager", STAKE_MANAGER, f, vec![]),
        ]
    };
    let body = (1..=jobs)
        .map(|id| {
            module_call(
                registry,
                "JobRegistry",
                JOB_REGISTRY,
                "delistJob",
                vec![DynSolValue::Uint(U256::from(id), 256)],
            )
        })
        .collect();
    Plan {
        steps: vec![Step::Wrapped {
            before: toggle("unpause"),
            body,
            after: toggle("pause"),
        }],
        accept: None,
        signers: None,
        notes: Vec::new(),
    }
}

fn build_with(f: &Fixture, plan: &Plan) -> Result<Vec<OutputFile>, BuildError> {
    let inputs = Inputs {
        intent: InputFile::new("refund.toml", f.text.as_bytes()),
        deployment: None,
        abis: Default::default(),
    };
    build::build(&BuildRequest {
        stem: "refund",
        runbook: &f.runbook,
        deployment: &f.deployment,
        plan,
        registry: &f.registry,
        inputs: &inputs,
        bundlec_version: "test",
    })
}

fn json(output: &OutputFile) -> Value {
    serde_json::from_str(&output.contents.text().unwrap()).unwrap()
}

fn manifest(outputs: &[OutputFile]) -> Value {
    json(outputs.last().unwrap())
}

/// The inner function names of a manifest batch's calls, e.g. `unpause`,
/// `delistJob` (through executeGovernanceCall).
fn inner_functions(batch: &Value) -> Vec<String> {
    batch["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|call| {
            let decoded = &call["decoded"];
            assert_eq!(decoded["function"], "executeGovernanceCall");
            let child = &decoded["children"][0];
            format!(
                "{}.{}",
                child["to_name"].as_str().unwrap(),
                child["function"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn one_chunk_is_named_after_the_stem() {
    let f = fixture(None, false);
    let outputs = build_with(&f, &refund_plan(&f.registry, 5)).unwrap();
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "refund.json",
            "refund.typed.json",
            "refund.proposal.json",
            "refund.safe.json"
        ]
    );
    let batch = json(&outputs[0]);
    assert_eq!(batch["meta"]["name"], "Refunds");
    assert_eq!(batch["meta"]["description"], "hand-made plan");
    assert_eq!(batch["createdAt"], 1_764_374_400_000u64);
    assert_eq!(batch["chainId"], "1");
    assert_eq!(
        batch["meta"]["createdFromSafeAddress"],
        SAFE.to_checksum(None)
    );
    assert_eq!(batch["transactions"].as_array().unwrap().len(), 9);
    let summary = outputs[0].batch.as_ref().unwrap();
    assert_eq!(
        (summary.kind, summary.nonce, summary.calls),
        (BatchKind::Main, 42, 9)
    );
    assert!(outputs[1..].iter().all(|o| o.batch.is_none()));
}

#[test]
fn chunks_have_consecutive_nonces_and_restore_the_paused_state_themselves() {
    let f = fixture(Some(6), false);
    let outputs = build_with(&f, &refund_plan(&f.registry, 5)).unwrap();
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "refund.1.json",
            "refund.2.json",
            "refund.3.json",
            "refund.1.typed.json",
            "refund.1.proposal.json",
            "refund.2.typed.json",
            "refund.2.proposal.json",
            "refund.3.typed.json",
            "refund.3.proposal.json",
            "refund.safe.json"
        ]
    );
    let manifest = manifest(&outputs);
    let batches = manifest["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 3);
    let mut delisted = Vec::new();
    for (i, batch) in batches.iter().enumerate() {
        assert_eq!(batch["file"], names[i]);
        assert_eq!(batch["safe_tx"]["nonce"], (42 + i).to_string());
        assert_eq!(outputs[i].batch.as_ref().unwrap().nonce, 42 + i as u64);
        let file = json(&outputs[i]);
        assert_eq!(
            file["meta"]["name"],
            format!("Refunds (part {} of 3)", i + 1)
        );
        let functions = inner_functions(batch);
        assert_eq!(
            functions[..2],
            ["JobRegistry.unpause", "StakeManager.unpause"],
            "{functions:?}"
        );
        assert_eq!(
            functions[functions.len() - 2..],
            ["JobRegistry.pause", "StakeManager.pause"]
        );
        let body = &functions[2..functions.len() - 2];
        assert!(!body.is_empty() && body.iter().all(|f| f == "JobRegistry.delistJob"));
        for call in &batch["calls"].as_array().unwrap()[2..functions.len() - 2] {
            delisted.push(
                call["decoded"]["children"][0]["args"][0]["value"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    assert_eq!(delisted, ["1", "2", "3", "4", "5"]);
}

#[test]
fn too_small_a_max_calls_names_its_place() {
    let f = fixture(Some(4), false);
    let err = build_with(&f, &refund_plan(&f.registry, 5)).unwrap_err();
    assert_eq!(err.location().to_string(), "refund.toml:5:13");
    assert!(
        err.to_string()
            .starts_with("refund.toml:5:13: max_calls = 4 is too small"),
        "{err}"
    );
}

#[test]
fn builds_are_byte_identical() {
    let f = fixture(Some(6), false);
    let plan = refund_plan(&f.registry, 5);
    assert_eq!(
        build_with(&f, &plan).unwrap(),
        build_with(&f, &plan).unwrap()
    );
}

#[test]
fn every_transaction_reencodes_from_its_contract_inputs() {
    let f = fixture(Some(6), false);
    let outputs = build_with(&f, &refund_plan(&f.registry, 5)).unwrap();
    for output in outputs.iter().filter(|o| o.batch.is_some()) {
        let batch = parse_json(&output.contents.text().unwrap()).unwrap();
        assert!(check(&batch).unwrap().valid, "{}", output.name);
        for tx in batch["transactions"].as_array().unwrap() {
            let method: ContractMethod = ContractMethod {
                inputs: tx["contractMethod"]["inputs"].as_array().unwrap().clone(),
                name: tx["contractMethod"]["name"].as_str().unwrap().to_string(),
                payable: tx["contractMethod"]["payable"].as_bool().unwrap(),
            };
            let values: Vec<(String, String)> = tx["contractInputsValues"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let encoded = encode_contract_inputs(&method, &values).unwrap();
            assert_eq!(
                alloy_primitives::hex::encode_prefixed(encoded),
                tx["data"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn the_accept_batch_belongs_to_the_new_owner() {
    let f = fixture(None, true);
    let registry = &f.registry;
    let plan = Plan {
        steps: vec![Step::Call(planned(
            registry,
            "TaxPolicy",
            TAX_POLICY,
            "transferOwnership",
            vec![DynSolValue::Address(BACKUP)],
        ))],
        accept: Some(AcceptPlan {
            new_owner: BACKUP,
            calls: vec![planned(
                registry,
                "TaxPolicy",
                TAX_POLICY,
                "acceptOwnership",
                vec![],
            )],
        }),
        signers: None,
        notes: Vec::new(),
    };
    let outputs = build_with(&f, &plan).unwrap();
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "refund.json",
            "refund.accept.json",
            "refund.typed.json",
            "refund.proposal.json",
            "refund.accept.typed.json",
            "refund.accept.proposal.json",
            "refund.safe.json"
        ]
    );
    let accept = json(&outputs[1]);
    assert_eq!(
        accept["meta"]["createdFromSafeAddress"],
        BACKUP.to_checksum(None)
    );
    assert_eq!(accept["meta"]["name"], "Refunds: acceptOwnership");
    let summary = outputs[1].batch.as_ref().unwrap();
    assert_eq!(
        (summary.kind, summary.safe, summary.nonce),
        (BatchKind::Accept, BACKUP, 7)
    );
    let manifest = manifest(&outputs);
    let batch = &manifest["batches"][1];
    assert_eq!(batch["kind"], "accept");
    assert_eq!(batch["safe"], BACKUP.to_checksum(None));
    assert_eq!(batch["safe_version"], "1.3.0");
    // One call: proposed as it is, a CALL from the backup Safe.
    assert_eq!(batch["safe_tx"]["to"], TAX_POLICY.to_checksum(None));
    assert_eq!(batch["safe_tx"]["operation"], "0");
    assert_eq!(batch["calls"][0]["decoded"]["function"], "acceptOwnership");
    assert_eq!(
        manifest["batches"][0]["calls"][0]["decoded"]["args"][0]["value_name"],
        "backup-safe"
    );
}

#[test]
fn an_accept_batch_without_an_accept_table_is_an_error() {
    let f = fixture(None, false);
    let registry = &f.registry;
    let plan = Plan {
        steps: vec![Step::Call(planned(
            registry,
            "TaxPolicy",
            TAX_POLICY,
            "transferOwnership",
            vec![DynSolValue::Address(BACKUP)],
        ))],
        accept: Some(AcceptPlan {
            new_owner: BACKUP,
            calls: vec![planned(
                registry,
                "TaxPolicy",
                TAX_POLICY,
                "acceptOwnership",
                vec![],
            )],
        }),
        signers: None,
        notes: Vec::new(),
    };
    let err = build_with(&f, &plan).unwrap_err();
    assert!(err.to_string().contains("add an [accept] table"), "{err}");
}

#[test]
fn the_manifest_records_inputs_hashes_and_signers() {
    let f = fixture(None, false);
    let mut plan = refund_plan(&f.registry, 2);
    plan.signers = Some(SignerChange {
        owners: vec![
            address!("0xa11ce00000000000000000000000000000000001"),
            BACKUP,
        ],
        threshold: 2,
    });
    let outputs = build_with(&f, &plan).unwrap();
    let m = manifest(&outputs);
    let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "bundlec_version",
        "bundle",
        "inputs",
        "chain_id",
        "safe",
        "safe_version",
        "layout",
        "batches",
        "signers_after",
    ];
    expected.sort();
    assert_eq!(keys, expected);
    // Key order in the file is the schema's, not alphabetical.
    let text = outputs.last().unwrap().contents.text().unwrap();
    assert!(
        text.starts_with("{\n  \"bundlec_version\": \"test\",\n  \"bundle\": {"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
    assert_eq!(m["chain_id"], "1");
    assert_eq!(m["safe_version"], "1.4.1");
    assert_eq!(m["layout"], "system-pause");
    assert_eq!(m["signers_after"]["threshold"], "2");
    assert_eq!(m["signers_after"]["owners"][1], BACKUP.to_checksum(None));
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs[0]["role"], "intent");
    assert_eq!(inputs[0]["name"], "refund.toml");
    assert_eq!(
        inputs[0]["keccak256"],
        alloy_primitives::hex::encode_prefixed(alloy_primitives::keccak256(f.text.as_bytes()))
    );
    let abis: Vec<(&str, &str)> = inputs[1..]
        .iter()
        .map(|i| (i["role"].as_str().unwrap(), i["contract"].as_str().unwrap()))
        .collect();
    assert_eq!(
        abis,
        [
            ("embedded-abi", "JobRegistry"),
            ("embedded-abi", "StakeManager"),
            ("embedded-abi", "SystemPause")
        ]
    );
    // Several calls: MultiSendCallOnly 1.4.1 by DELEGATECALL.
    let tx = &m["batches"][0]["safe_tx"];
    assert_eq!(tx["operation"], "1");
    assert_eq!(tx["to"], "0x9641d764fc13c8B624c04430C7356C1C7C8102e2");
    assert_eq!(tx["value"], "0");
    for key in ["domain_hash", "message_hash", "safe_tx_hash"] {
        let hash = tx[key].as_str().unwrap();
        assert!(
            hash.len() == 66 && hash == hash.to_lowercase(),
            "{key}: {hash}"
        );
    }
    assert_eq!(
        m["batches"][0]["batch_checksum"],
        json(&outputs[0])["meta"]["checksum"]
    );
}

#[test]
fn a_plan_without_calls_is_an_error() {
    let f = fixture(None, false);
    let plan = Plan {
        steps: vec![],
        accept: None,
        signers: None,
        notes: Vec::new(),
    };
    let err = build_with(&f, &plan).unwrap_err();
    assert!(err.to_string().contains("nothing to build"), "{err}");
}

/// The fixture with `extra` lines under `[bundle]`.
fn fixture_with(extra: &str) -> Fixture {
    let text = intent(None, false).replace(
        "created_at = 1764374400000\n",
        &format!("created_at = 1764374400000\n{extra}"),
    );
    let runbook = parse_runbook(&Source::new("refund.toml", text.clone())).unwrap();
    let DeploymentSource::Inline(deployment) = runbook.deployment.clone() else {
        panic!("inline deployment expected")
    };
    Fixture {
        text,
        runbook,
        deployment,
        registry: AbiRegistry::embedded().unwrap(),
    }
}

fn call_counts(outputs: &[OutputFile]) -> Vec<usize> {
    outputs
        .iter()
        .filter_map(|o| o.batch.as_ref().map(|b| b.calls))
        .collect()
}

/// The calls of each part of a split refund of `plan`, rebuilt from the
/// parts' call counts: the frame around each part's share of the body.
fn parts<'a>(plan: &'a Plan, counts: &[usize]) -> Vec<Vec<&'a PlannedCall>> {
    let Step::Wrapped {
        before,
        body,
        after,
    } = &plan.steps[0]
    else {
        panic!("a wrapped step expected")
    };
    let mut rest = body.as_slice();
    let mut out = Vec::new();
    for count in counts {
        let (part, tail) = rest.split_at(count - before.len() - after.len());
        out.push(before.iter().chain(part).chain(after).collect());
        rest = tail;
    }
    assert!(rest.is_empty());
    out
}

#[test]
fn a_10000_job_refund_is_split_by_gas_into_the_fewest_parts() {
    // No max_gas: half of Ethereum's 30M. No threshold or owners: 10 signatures.
    let f = fixture(None, false);
    let plan = refund_plan(&f.registry, 10_000);
    let outputs = build_with(&f, &plan).unwrap();
    let counts = call_counts(&outputs);
    let max_gas = 15_000_000;
    let model = build::GasModel {
        gas_per_call: None,
        signatures: 10,
    };
    // max_calls (100) is not what binds: gas is.
    assert_eq!(counts.len(), 170, "{counts:?}");
    assert!(counts[..169].iter().all(|c| *c == 63), "{counts:?}");
    assert_eq!(counts[169], 33);
    assert_eq!(counts.iter().map(|c| c - 4).sum::<usize>(), 10_000);
    let manifest = manifest(&outputs);
    let Step::Wrapped { body, .. } = &plan.steps[0] else {
        unreachable!()
    };
    let mut next_body = 0;
    for (i, part) in parts(&plan, &counts).iter().enumerate() {
        let gas = build::batch_gas(part, &model).unwrap();
        assert!(gas <= max_gas, "part {i}: {gas}");
        assert_eq!(outputs[i].batch.as_ref().unwrap().gas, gas);
        assert_eq!(manifest["batches"][i]["estimated_gas"], gas.to_string());
        next_body += counts[i] - 4;
        // Fewest: this part with the next refund would exceed max_gas.
        if let Some(next) = body.get(next_body) {
            let mut more = part.clone();
            more.insert(more.len() - 2, next);
            let over = build::batch_gas(&more, &model).unwrap();
            assert!(over > max_gas, "part {i} had room: {over}");
        }
    }
}

#[test]
fn max_gas_sets_the_split_points() {
    // Frame and base about 650k, a refund through SystemPause about 242k:
    // one refund per Safe transaction fits under 1,000,000, two do not.
    let f = fixture_with("max_gas = 1000000\n");
    let plan = refund_plan(&f.registry, 5);
    let outputs = build_with(&f, &plan).unwrap();
    assert_eq!(call_counts(&outputs), [5, 5, 5, 5, 5]);
    let f = fixture_with("max_gas = 1500000\n");
    let outputs = build_with(&f, &plan).unwrap();
    assert_eq!(call_counts(&outputs), [7, 6]);
    // max_calls binds when it is the smaller limit.
    let f = fixture_with("max_gas = 1500000\nmax_calls = 6\n");
    let outputs = build_with(&f, &plan).unwrap();
    assert_eq!(call_counts(&outputs), [6, 6, 5]);
}

#[test]
fn too_small_a_max_gas_names_its_place() {
    let f = fixture_with("max_gas = 700000\n");
    let err = build_with(&f, &refund_plan(&f.registry, 5)).unwrap_err();
    assert_eq!(err.location().to_string(), "refund.toml:5:11");
    assert!(
        err.to_string().contains(
            "max_gas = 700000 is too small: a Safe transaction with 2 call(s) before, 2 after \
             and the call JobRegistry.delistJob via SystemPause alone is estimated at"
        ),
        "{err}"
    );
}

#[test]
fn a_call_without_a_gas_figure_needs_gas_per_call() {
    let f = fixture(None, false);
    let mut plan = refund_plan(&f.registry, 2);
    let Step::Wrapped { body, .. } = &mut plan.steps[0] else {
        unreachable!()
    };
    body[1].gas = None;
    let err = build_with(&f, &plan).unwrap_err();
    assert_eq!(err.location().to_string(), "refund.toml:1:1");
    assert!(
        err.to_string().contains(
            "bundlec has no gas figure for JobRegistry.delistJob via SystemPause: only the calls \
             bundlec plans itself"
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("Write `gas_per_call = N` under [bundle]")
    );
    // gas_per_call is that call's figure; the others keep theirs.
    let f = fixture_with("gas_per_call = 1000000\n");
    let outputs = build_with(&f, &plan).unwrap();
    let with_figure = build_with(&f, &refund_plan(&f.registry, 2)).unwrap();
    let gas = |o: &[OutputFile]| o[0].batch.as_ref().unwrap().gas;
    assert_eq!(
        gas(&outputs) - gas(&with_figure),
        1_000_000
            - PROFILE
                .function_gas("JobRegistry", "delistJob(uint256)")
                .unwrap()
            - PROFILE.hub.forward_gas
    );
}

/// The manifest build writes from its call trees (each call's `text`,
/// `decoded` and the Safe transaction's `data`, rendered as the file is
/// written) reads back as the same manifest, and each call's text is what
/// `bundlec decode` prints for it.
#[test]
fn the_manifest_reads_back_as_the_manifest_written() {
    use bundlec::address_book::AddressBook;
    use bundlec::build::manifest::ShownCall;
    use bundlec::build::{JsonDocument, OutputContents};
    use bundlec::decode::render::{tree_json, tree_text};

    let f = fixture(None, false);
    let outputs = build_with(&f, &refund_plan(&f.registry, 3)).unwrap();
    let output = outputs.last().unwrap();
    let OutputContents::Json(json) = &output.contents else {
        panic!("the manifest is not written from its value");
    };
    let JsonDocument::Manifest(built) = &json.document else {
        panic!("not a manifest");
    };
    let text = output.contents.text().unwrap();
    let read = build::Manifest::from_json_str(&text).unwrap();
    assert_eq!(&read, built);

    let book = AddressBook::for_deployment(&f.deployment, SAFE);
    let calls = &built.batches[0].calls;
    assert_eq!(calls.len(), 7, "two unpauses, three refunds, two pauses");
    for (call, written) in calls.iter().zip(&read.batches[0].calls) {
        let ShownCall::Tree { tree, .. } = &call.shown else {
            panic!("a built call without its tree");
        };
        let lines: Vec<String> = tree_text(tree, &book).lines().map(String::from).collect();
        assert_eq!(call.shown.text(), lines);
        assert_eq!(written.shown.text(), lines);
        assert_eq!(written.shown.decoded(), tree_json(tree, &book));
    }
    // The data is the MultiSend's, as hex.
    let tx = &read.batches[0].safe_tx;
    assert_eq!(tx.data, built.batches[0].safe_tx.data);
    assert!(
        tx.data.text().starts_with("0x8d80ff0a"),
        "{}",
        tx.data.text()
    );
}
