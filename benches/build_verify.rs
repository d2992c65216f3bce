//! How long the main jobs take on a large runbook: planning and building a
//! refund of 2,000 jobs (one batch of 2,000+ calls through SystemPause), and
//! verifying that batch against the same intent. Run with `cargo bench`.

use std::collections::BTreeMap;

use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::build::{BuildRequest, InputFile, Inputs, build};
use bundlec::plan::plan_runbook;
use bundlec::runbook::{DeploymentSource, Source, parse_runbook};
use bundlec::verify::{self, Findings, Request, Target};
use criterion::{Criterion, criterion_group, criterion_main};

const INTENT: &str = r#"
[bundle]
name = "refund 2,000 jobs"
created_at = 1764374400000
max_calls = 5000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 1

[deployment]
chain_id = 1
layout = "system-pause"
[deployment.contracts]
SystemPause = "0x5555555555555555555555555555555555555555"
StakeManager = "0x6666666666666666666666666666666666666666"
JobRegistry = "0x7777777777777777777777777777777777777777"

[[intent]]
kind = "refund-jobs"
delist = ["1..2000"]
system_paused = true
"#;

fn outputs(registry: &AbiRegistry) -> Vec<bundlec::build::OutputFile> {
    let runbook = parse_runbook(&Source::new("refund.toml", INTENT)).expect("intent");
    let DeploymentSource::Inline(deployment) = &runbook.deployment else {
        panic!("inline deployment")
    };
    let plan = plan_runbook(&runbook, deployment, registry).expect("plan");
    let inputs = Inputs {
        intent: InputFile::new("refund.toml", INTENT.as_bytes()),
        deployment: None,
        abis: BTreeMap::new(),
    };
    build(&BuildRequest {
        stem: "refund",
        runbook: &runbook,
        deployment,
        plan: &plan,
        registry,
        inputs: &inputs,
        bundlec_version: "bench",
    })
    .expect("build")
}

fn benches(c: &mut Criterion) {
    let registry = AbiRegistry::embedded().expect("registry");
    c.bench_function("build a 2,000-job refund", |b| {
        b.iter(|| outputs(&registry))
    });

    let built = outputs(&registry);
    let batch_file = built.iter().find(|o| o.batch.is_some()).expect("batch");
    let batch: serde_json::Value = serde_json::from_str(&batch_file.contents).expect("json");
    let calls = verify::read_batch(&batch, &mut Findings::new())
        .expect("calls")
        .calls;
    let runbook = parse_runbook(&Source::new("refund.toml", INTENT)).expect("intent");
    let DeploymentSource::Inline(deployment) = &runbook.deployment else {
        panic!("inline deployment")
    };
    let summary = batch_file.batch.as_ref().expect("summary");
    let book = AddressBook::for_deployment(deployment, summary.safe);
    c.bench_function("verify a 2,000-job refund against its intent", |b| {
        b.iter(|| {
            verify::verify(&Request {
                batch: &batch,
                target: Target {
                    chain_id: 1,
                    safe: summary.safe,
                    version: runbook.safe.version,
                    nonce: alloy_primitives::U256::from(summary.nonce),
                    multi_send: runbook.safe.multi_send,
                    trusted_multi_send_call_only: None,
                },
                intent_calls: Some(&calls),
                manifest_safe_tx: None,
                given_safe_tx: None,
                expect_safe_tx_hash: None,
                nested: None,
                registry: &registry,
                book: &book,
                summaries: None,
                book_origin: None,
                accept: &[],
                preliminary: &[],
                strict: true,
            })
            .expect("verify")
        })
    });
    c.bench_function("load the embedded ABIs", |b| b.iter(AbiRegistry::embedded));
}

criterion_group!(build_verify, benches);
criterion_main!(build_verify);
