//! The benchmark input, shared by `examples/gen_refund.rs` and the criterion
//! benches: a refund runbook of `n` `delistJob` calls through SystemPause in
//! one batch, a pure function of `n`.

/// The largest job range one intent may name (`runbook::MAX_RANGE_LEN`).
const RANGE: u64 = 10_000;

/// The runbook text for `n` delisted jobs (ids `1..=n`), all in one batch.
pub fn refund_runbook(n: u64) -> String {
    let mut ranges = Vec::new();
    let mut first = 1;
    while first <= n {
        let last = n.min(first + RANGE - 1);
        ranges.push(format!("\"{first}..{last}\""));
        first = last + 1;
    }
    format!(
        r#"[bundle]
name = "refund {n} jobs"
created_at = 1764374400000
max_calls = {max_calls}
# One Safe transaction whatever its gas: the benchmark measures one batch of N calls.
max_gas = 1000000000000

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
delist = [{ranges}]
system_paused = true
"#,
        max_calls = n + 10,
        ranges = ranges.join(", "),
    )
}
