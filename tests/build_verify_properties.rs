//! Properties over generated runbooks: whatever valid intent file an operator
//! writes, its build verifies and rebuilds byte for byte, and no one-field
//! change to a built batch (checksum recomputed) verifies against the intent.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use alloy_primitives::U256;
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::build::{BuildRequest, InputFile, Inputs, OutputFile, build};
use bundlec::plan::plan_runbook;
use bundlec::runbook::{DeploymentSource, Source, parse_runbook};
use bundlec::safe::batching::Call;
use bundlec::txbuilder::{compute_checksum, format_checksum};
use bundlec::verify::{self, Code, Findings, Request, Target};
use proptest::prelude::*;
use serde_json::Value;

static REGISTRY: LazyLock<AbiRegistry> = LazyLock::new(|| AbiRegistry::embedded().unwrap());

const SAFE: &str = "0x5afe000000000000000000000000000000000001";
const OWNERS: [&str; 3] = [
    "0xa11ce00000000000000000000000000000000001",
    "0xb0b0000000000000000000000000000000000002",
    "0xca70100000000000000000000000000000000003",
];
const PAUSABLE: [&str; 10] = [
    "JobRegistry",
    "StakeManager",
    "ValidationModule",
    "DisputeModule",
    "PlatformRegistry",
    "FeePool",
    "ReputationEngine",
    "ArbitratorCommittee",
    "CertificateNFT",
    "AttestationRegistry",
];

fn deployment(layout: &str) -> String {
    format!(
        r#"[deployment]
chain_id = 1
layout = "{layout}"
[deployment.contracts]
SystemPause = "0x5555555555555555555555555555555555555555"
StakeManager = "0x6666666666666666666666666666666666666666"
JobRegistry = "0x7777777777777777777777777777777777777777"
FeePool = "0x9999999999999999999999999999999999999999"
PlatformRegistry = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
ValidationModule = "0xdddddddddddddddddddddddddddddddddddddddd"
ReputationEngine = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
DisputeModule = "0xf000000000000000000000000000000000000000"
ArbitratorCommittee = "0xf111111111111111111111111111111111111111"
CertificateNFT = "0xf222222222222222222222222222222222222222"
AttestationRegistry = "0xf555555555555555555555555555555555555555"
[deployment.labels]
backup-safe = "0x5afe000000000000000000000000000000000002"
signer-alice = "0xa11ce00000000000000000000000000000000001"
signer-bob = "0xb0b0000000000000000000000000000000000002"
signer-carol = "0xca70100000000000000000000000000000000003"
signer-dave = "0xda7e000000000000000000000000000000000004"
"#
    )
}

/// An intent file in a shape operators write: independent calls and
/// refunds first, signer changes next, a pause last (so nothing after it
/// needs an unpaused module).
#[derive(Debug, Clone)]
struct Runbook {
    layout: &'static str,
    max_calls: usize,
    calls: Vec<(usize, u64)>,
    refunds: Vec<u64>,
    swap: Option<usize>,
    pause: Option<Vec<usize>>,
}

fn runbook_strategy() -> impl Strategy<Value = Runbook> {
    (
        prop::sample::select(vec!["system-pause", "direct"]),
        1usize..8,
        proptest::collection::vec((0usize..3, 0u64..1_000_000), 0..3),
        proptest::collection::btree_set(0u64..500, 0..6),
        proptest::option::of(0usize..3),
        proptest::option::of(proptest::collection::btree_set(
            0usize..PAUSABLE.len(),
            1..5,
        )),
    )
        .prop_map(|(layout, max_calls, calls, refunds, swap, pause)| Runbook {
            layout,
            max_calls,
            calls,
            refunds: refunds.into_iter().collect(),
            swap,
            pause: pause.map(|set| set.into_iter().collect()),
        })
        .prop_filter("something to do", |r| {
            !r.calls.is_empty() || !r.refunds.is_empty() || r.swap.is_some() || r.pause.is_some()
        })
}

fn to_toml(r: &Runbook) -> String {
    let mut text = format!(
        "[bundle]\nname = \"generated\"\ncreated_at = 1764374400000\nmax_calls = {}\n# FeePool.governanceWithdraw and the other `call`s have no gas figure.\ngas_per_call = 500000\n\n[safe]\naddress = \"{SAFE}\"\nchain_id = 1\nversion = \"1.4.1\"\nnonce = 9\nowners = [\"{}\", \"{}\", \"{}\"]\nthreshold = 2\n\n{}\n",
        r.max_calls,
        OWNERS[0],
        OWNERS[1],
        OWNERS[2],
        deployment(r.layout)
    );
    for (kind, amount) in &r.calls {
        let call = match kind {
            0 => format!(
                "contract = \"FeePool\"\nfunction = \"governanceWithdraw\"\nargs = {{ to = \"backup-safe\", amount = \"{amount}\" }}"
            ),
            1 => "contract = \"JobRegistry\"\nfunction = \"setFeePool\"\nargs = [\"FeePool\"]"
                .to_string(),
            _ => format!(
                "contract = \"DisputeModule\"\nfunction = \"resolveDispute\"\nargs = [{amount}, true]"
            ),
        };
        text.push_str(&format!("[[intent]]\nkind = \"call\"\n{call}\n\n"));
    }
    if !r.refunds.is_empty() {
        let ids: Vec<String> = r.refunds.iter().map(u64::to_string).collect();
        text.push_str(&format!(
            "[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = false\ndelist = [{}]\n\n",
            ids.join(", ")
        ));
    }
    if let Some(old) = r.swap {
        text.push_str(&format!(
            "[[intent]]\nkind = \"rotate-signers\"\nswap = [{{ old = \"{}\", new = \"signer-dave\" }}]\n\n",
            OWNERS[old]
        ));
    }
    if let Some(modules) = &r.pause {
        let names: Vec<String> = modules
            .iter()
            .map(|&i| format!("\"{}\"", PAUSABLE[i]))
            .collect();
        text.push_str(&format!(
            "[[intent]]\nkind = \"pause\"\nmodules = [{}]\n\n",
            names.join(", ")
        ));
    }
    text
}

/// What `bundlec build` would write for this intent file.
fn build_text(text: &str) -> (Vec<OutputFile>, AddressBook) {
    let runbook = parse_runbook(&Source::new("generated.toml", text))
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let DeploymentSource::Inline(deployment) = &runbook.deployment else {
        panic!("inline deployment expected")
    };
    let plan =
        plan_runbook(&runbook, deployment, &REGISTRY).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let inputs = Inputs {
        intent: InputFile::new("generated.toml", text.as_bytes()),
        deployment: None,
        abis: BTreeMap::new(),
    };
    let outputs = build(&BuildRequest {
        stem: "generated",
        runbook: &runbook,
        deployment,
        plan: &plan,
        registry: &REGISTRY,
        inputs: &inputs,
        bundlec_version: "test",
    })
    .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let book = AddressBook::for_deployment(deployment, SAFE.parse().unwrap());
    (outputs, book)
}

fn target(output: &OutputFile) -> Target {
    let summary = output.batch.as_ref().unwrap();
    Target {
        chain_id: 1,
        safe: summary.safe,
        version: "1.4.1".parse().unwrap(),
        nonce: U256::from(summary.nonce),
        multi_send: Default::default(),
        trusted_multi_send_call_only: None,
    }
}

fn calls_of(batch: &Value) -> Vec<Call> {
    verify::read_batch(batch, &mut Findings::new())
        .unwrap()
        .calls
}

fn verify_batch(
    batch: &Value,
    output: &OutputFile,
    intent_calls: &[Call],
    book: &AddressBook,
) -> verify::Report {
    let batch = verify::read(batch).unwrap();
    verify::verify(&Request {
        batch: &batch,
        target: target(output),
        intent_calls: Some(intent_calls),
        manifest_safe_tx: None,
        given_safe_tx: None,
        expect_safe_tx_hash: None,
        nested: None,
        registry: &REGISTRY,
        book,
        summaries: None,
        book_origin: None,
        accept: &[],
        preliminary: &[],
        strict: false,
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn built_batches_verify_and_rebuild_identically(r in runbook_strategy()) {
        let text = to_toml(&r);
        let (outputs, book) = build_text(&text);
        let (again, _) = build_text(&text);
        prop_assert_eq!(&outputs, &again, "a rebuild differs: --check would not be clean");
        for output in outputs.iter().filter(|o| o.batch.is_some()) {
            let batch: Value = serde_json::from_str(&output.contents.text().unwrap()).unwrap();
            let report = verify_batch(&batch, output, &calls_of(&batch), &book);
            prop_assert!(report.ok, "{}: {:?}\n{}", output.name, report.findings, text);
            prop_assert_eq!(report.hashes.safe_tx_hash, output.batch.as_ref().unwrap().safe_tx_hash);
        }
    }

    #[test]
    fn a_one_field_change_never_verifies_against_the_intent(
        r in runbook_strategy(),
        pick in any::<prop::sample::Index>(),
        field in 0usize..3,
        byte in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let text = to_toml(&r);
        let (outputs, book) = build_text(&text);
        let batches: Vec<&OutputFile> = outputs.iter().filter(|o| o.batch.is_some()).collect();
        let output = batches[pick.index(batches.len())];
        let original: Value = serde_json::from_str(&output.contents.text().unwrap()).unwrap();
        let intent_calls = calls_of(&original);
        let mut batch = original.clone();
        let tx_index = byte.index(intent_calls.len());
        let tx = &mut batch["transactions"][tx_index];
        match field {
            0 => tx["to"] = Value::String("0xa77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2".into()),
            1 => tx["value"] = Value::String("1".into()),
            _ => {
                let mut data = alloy_primitives::hex::decode(tx["data"].as_str().unwrap()).unwrap();
                let i = byte.index(data.len());
                data[i] ^= flip;
                tx["data"] = Value::String(alloy_primitives::hex::encode_prefixed(&data));
            }
        }
        let checksum = compute_checksum(&batch).unwrap();
        batch["meta"]["checksum"] = Value::String(format_checksum(&checksum));
        let report = verify_batch(&batch, output, &intent_calls, &book);
        prop_assert!(!report.ok);
        prop_assert!(report.findings.iter().any(|f| f.code == Code::IntentMismatch), "{:?}", report.findings);
    }
}
