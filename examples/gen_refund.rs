//! Writes a refund runbook of N `delistJob` calls in one batch, for the
//! benchmarks (`benches/run.sh`, `BENCHMARKS.md`): deterministic, so every
//! run measures the same bytes, and generated so that nothing large is
//! committed.
//!
//! `cargo run --release --example gen_refund -- N OUT.toml`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_refund N OUT.toml");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<u64>() else {
        eprintln!("N must be a number of calls");
        return ExitCode::from(2);
    };
    match std::fs::write(out, bundlec_bench_input::refund_runbook(n)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{out}: {e}");
            ExitCode::from(2)
        }
    }
}

#[path = "../benches/support/input.rs"]
mod bundlec_bench_input;
