//! The core of each command on a refund runbook of N `delistJob` calls in
//! one batch (`benches/support/input.rs`), for N = 100, 10,000 and 100,000,
//! beside the floor (`benches/support/floor.rs`): what the library does for
//! `build`, `verify`, `verify --intent` and `checksum` once the files are
//! read. The whole-process figures are `benches/run.sh`'s (BENCHMARKS.md).
//!
//! `cargo bench --bench commands`; `BUNDLEC_BENCH_SIZES=100,10000` picks the
//! sizes (the 100,000-call group takes minutes even at criterion's minimum
//! of 10 samples).

use std::collections::BTreeMap;
use std::time::Duration;

use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::build::{BuildRequest, InputFile, Inputs, OutputFile, build, plan_batches};
use bundlec::plan::plan_runbook;
use bundlec::runbook::{DeploymentSource, Source, parse_runbook};
use bundlec::txbuilder::{check, parse_batch};
use bundlec::verify::{self, Request, Target};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};

#[path = "support/floor.rs"]
mod floor;
#[path = "support/input.rs"]
mod input;

fn outputs(intent: &str, registry: &AbiRegistry) -> Vec<OutputFile> {
    let runbook = parse_runbook(&Source::new("refund.toml", intent)).expect("intent");
    let DeploymentSource::Inline(deployment) = &runbook.deployment else {
        panic!("inline deployment")
    };
    let plan = plan_runbook(&runbook, deployment, registry).expect("plan");
    let inputs = Inputs {
        intent: InputFile::new("refund.toml", intent.as_bytes()),
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

/// `bundlec verify`, with or without `--intent`, after the files are read:
/// parse the batch, recompile the intent when asked (as the CLI does: plan
/// it and lay out its batches, nothing rendered), check. Without `--intent`
/// the runbook only stands for the flags naming the Safe, chain and version.
fn verify_text(
    text: &str,
    intent: &str,
    with_intent: bool,
    registry: &AbiRegistry,
) -> verify::Report {
    let batch = parse_batch(text).expect("batch");
    let batch = verify::read(&batch).expect("read");
    let runbook = parse_runbook(&Source::new("refund.toml", intent)).expect("intent");
    let DeploymentSource::Inline(deployment) = &runbook.deployment else {
        panic!("inline deployment")
    };
    let intent_calls = with_intent.then(|| {
        let plan = plan_runbook(&runbook, deployment, registry).expect("plan");
        let batches = plan_batches("refund", &runbook, deployment, &plan).expect("batches");
        batches.first().expect("batch").safe_calls()
    });
    let book = AddressBook::for_deployment(deployment, runbook.safe.address);
    verify::verify(&Request {
        batch: &batch,
        target: Target {
            chain_id: 1,
            safe: runbook.safe.address,
            version: runbook.safe.version,
            nonce: alloy_primitives::U256::from(1u64),
            multi_send: runbook.safe.multi_send,
            trusted_multi_send_call_only: None,
        },
        intent_calls: intent_calls.as_deref(),
        manifest_safe_tx: None,
        given_safe_tx: None,
        expect_safe_tx_hash: None,
        nested: None,
        registry,
        book: &book,
        summaries: None,
        book_origin: None,
        accept: &[],
        preliminary: &[],
        strict: false,
    })
    .expect("verify")
}

fn sizes() -> Vec<u64> {
    std::env::var("BUNDLEC_BENCH_SIZES")
        .ok()
        .map(|s| {
            s.split(',')
                .map(|n| n.trim().parse().expect("size"))
                .collect()
        })
        .unwrap_or_else(|| vec![100, 10_000, 100_000])
}

fn benches(c: &mut Criterion) {
    let registry = AbiRegistry::embedded().expect("registry");
    c.bench_function("registry/embedded", |b| b.iter(AbiRegistry::embedded));

    for n in sizes() {
        let intent = input::refund_runbook(n);
        let built = outputs(&intent, &registry);
        let batch = built
            .iter()
            .find(|o| o.batch.is_some())
            .expect("batch")
            .contents
            .text()
            .expect("batch text");
        let batch = batch.as_ref();

        let mut group = c.benchmark_group(format!("{n} calls"));
        if n >= 10_000 {
            group
                .sampling_mode(SamplingMode::Flat)
                .sample_size(10)
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_secs(1));
        }
        group.bench_function(BenchmarkId::new("floor", n), |b| {
            b.iter(|| floor::floor(batch.as_bytes()).expect("floor"))
        });
        group.bench_function(BenchmarkId::new("build", n), |b| {
            b.iter(|| outputs(&intent, &registry))
        });
        group.bench_function(BenchmarkId::new("verify", n), |b| {
            b.iter(|| verify_text(batch, &intent, false, &registry))
        });
        group.bench_function(BenchmarkId::new("verify --intent", n), |b| {
            b.iter(|| verify_text(batch, &intent, true, &registry))
        });
        group.bench_function(BenchmarkId::new("checksum", n), |b| {
            b.iter(|| check(&parse_batch(batch).expect("batch")).expect("check"))
        });
        group.finish();
    }
}

criterion_group!(commands, benches);
criterion_main!(commands);
