//! Plans that would break on chain are refused, or built so that they cannot:
//! an unpause and its later re-pause never land in two Safe transactions,
//! a job is refunded at most once per runbook, Safe administration through
//! `call` is confirmed by name, and forwarded calldata written by hand is
//! read and tracked like the intent it stands for. Through the binary:
//! every refusal is exit 2 at `file:line:column`, and writes nothing.

mod common;
mod plan_support;

use common::bundlec;
use plan_support::*;
use serde_json::Value;

/// Builds `text` as `plan.toml` in a fresh directory; returns the directory,
/// the exit code and stderr.
fn build(text: &str) -> (tempfile::TempDir, Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE), text).unwrap();
    let output = bundlec()
        .current_dir(dir.path())
        .args(["build", FILE])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (dir, output.status.code(), stderr)
}

/// The build of `text` is refused at `place` with every fragment, and no
/// file but the runbook is left in its directory.
fn assert_refused(text: &str, place: &str, fragments: &[&str]) -> String {
    let (dir, code, stderr) = build(text);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {place}: ")),
        "expected the error at {place}, got {stderr}"
    );
    for fragment in fragments {
        assert!(stderr.contains(fragment), "no `{fragment}` in {stderr}");
    }
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, [FILE], "a file was written");
    stderr
}

/// The summaries of the transactions of each batch the build wrote.
fn built_parts(text: &str) -> Vec<Vec<String>> {
    let (dir, code, stderr) = build(text);
    assert_eq!(code, Some(0), "{stderr}");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.safe.json")).unwrap())
            .unwrap();
    let parts = parts_of(&manifest);
    assert!(!parts.is_empty(), "{manifest:#}");
    parts
        .iter()
        .map(|part| {
            let batch: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.path().join(part)).unwrap())
                    .unwrap();
            batch["transactions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    t["contractMethod"]["name"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect()
        })
        .collect()
}

/// The batch file names a manifest lists, in order.
fn parts_of(manifest: &Value) -> Vec<String> {
    manifest["batches"]
        .as_array()
        .map(|batches| {
            batches
                .iter()
                .filter_map(|b| b["file"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The plan tests' runbook, with a `[bundle] gas_per_call` for the calls
/// bundlec has no gas figure for.
fn runbook(layout: &str, intents: &str) -> String {
    plan_support::runbook(layout, intents).replacen(
        "created_at = 1764374400000\n",
        "created_at = 1764374400000\ngas_per_call = 500000\n",
        1,
    )
}

fn with_max_calls(text: &str, max_calls: usize) -> String {
    text.replacen(
        "created_at = 1764374400000\n",
        &format!("created_at = 1764374400000\nmax_calls = {max_calls}\n"),
        1,
    )
}

fn unpause_delist_pause() -> String {
    format!(
        "{}{}{}{}",
        intent("pause", "modules = [\"StakeManager\"]"),
        intent("unpause", "modules = [\"JobRegistry\"]"),
        intent(
            "call",
            "contract = \"JobRegistry\"\nfunction = \"setFeePool\"\nargs = [\"FeePool\"]"
        ),
        intent("pause", "modules = [\"JobRegistry\"]"),
    )
}

#[test]
fn an_unpause_and_its_re_pause_are_never_split_across_safe_transactions() {
    let text = with_max_calls(&runbook("direct", &unpause_delist_pause()), 3);
    // Greedy filling would give [pause, unpause, setFeePool] [pause]: the
    // first part alone leaves JobRegistry live. The span moves whole.
    assert_eq!(
        built_parts(&text),
        [vec!["pause"], vec!["unpause", "setFeePool", "pause"]]
    );
    // Too small for the span: refused at the unpause, naming the rule.
    let text = with_max_calls(&runbook("direct", &unpause_delist_pause()), 2);
    let place = location(&text, "kind = \"unpause\"", "\"JobRegistry");
    assert_refused(
        &text,
        &place,
        &[
            "JobRegistry must stay paused across every Safe transaction",
            "raise max_calls to at least 3",
        ],
    );
    // The same under the hub layout, where each call goes via SystemPause.
    let text = with_max_calls(&runbook("system-pause", &unpause_delist_pause()), 2);
    assert_refused(
        &text,
        &location(&text, "kind = \"unpause\"", "\"JobRegistry"),
        &["JobRegistry must stay paused"],
    );
}

#[test]
fn a_raw_unpause_call_and_a_later_pause_intent_form_a_span_too() {
    let intents = format!(
        "{}{}{}{}",
        intent("pause", "modules = [\"StakeManager\"]"),
        intent("call", "contract = \"JobRegistry\"\nfunction = \"unpause\""),
        intent(
            "call",
            "contract = \"JobRegistry\"\nfunction = \"setFeePool\"\nargs = [\"FeePool\"]"
        ),
        intent("call", "contract = \"JobRegistry\"\nfunction = \"pause\""),
    );
    let text = with_max_calls(&runbook("direct", &intents), 3);
    assert_eq!(
        built_parts(&text),
        [vec!["pause"], vec!["unpause", "setFeePool", "pause"]]
    );
}

#[test]
fn a_job_is_refunded_once_across_all_refund_intents() {
    let intents = format!(
        "{}{}",
        intent("refund-jobs", "system_paused = false\ndelist = [1, 2]"),
        intent("refund-jobs", "system_paused = false\nfinalize = [3, 2]"),
    );
    let text = runbook("direct", &intents);
    let place = location(&text, "finalize = [3, ", "2");
    let first = location(&text, "delist = [1, ", "2");
    assert_refused(
        &text,
        &place,
        &[
            &format!("job 2 is already refunded at {first}"),
            "unique across all refunds of a runbook",
        ],
    );
    // Different ids build.
    let intents = format!(
        "{}{}",
        intent("refund-jobs", "system_paused = false\ndelist = [1, 2]"),
        intent("refund-jobs", "system_paused = false\nfinalize = [3]"),
    );
    assert_eq!(built_parts(&runbook("direct", &intents))[0].len(), 3);
}

#[test]
fn enable_module_and_set_guard_through_call_need_confirm() {
    for function in ["enableModule", "setGuard"] {
        let body =
            format!("contract = \"{SAFE}\"\nfunction = \"{function}\"\nargs = [\"backup-safe\"]");
        let text = runbook("direct", &intent("call", &body));
        assert_refused(
            &text,
            &location(&text, "function = ", "\""),
            &[
                &format!("`{function}` is Safe administration"),
                &format!("needs `confirm = \"{function}\"`"),
            ],
        );
        let text = runbook(
            "direct",
            &intent("call", &format!("{body}\nconfirm = \"{function}\"")),
        );
        assert_eq!(built_parts(&text), [vec![function.to_owned()]]);
    }
}

/// `setGovernance(to)` calldata, written by hand.
fn set_governance(to: &str) -> String {
    let f = alloy_json_abi::Function::parse("setGovernance(address)").unwrap();
    format!(
        "0x{}{:0>64}",
        alloy_primitives::hex::encode(f.selector()),
        to.trim_start_matches("0x")
    )
}

fn pause_data() -> String {
    let f = alloy_json_abi::Function::parse("pause()").unwrap();
    format!("0x{}", alloy_primitives::hex::encode(f.selector()))
}

fn execute_governance_call(module: &str, data: &str) -> String {
    intent(
        "call",
        &format!(
            "contract = \"SystemPause\"\nfunction = \"executeGovernanceCall\"\nargs = [\"{module}\", \"{data}\"]"
        ),
    )
}

#[test]
fn a_raw_execute_governance_call_is_summarised_as_its_inner_call() {
    let text = runbook(
        "system-pause",
        &execute_governance_call("FeePool", &set_governance(BACKUP)),
    );
    assert_eq!(
        summaries(&plan(&text)),
        ["FeePool.setGovernance(backup-safe) via SystemPause.executeGovernanceCall"]
    );
    assert_eq!(built_parts(&text), [vec!["executeGovernanceCall"]]);
}

#[test]
fn a_raw_handover_or_pause_through_system_pause_is_tracked() {
    // JobRegistry's governance leaves SystemPause: a later governance call
    // to it through SystemPause would revert, as after a rotation.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}",
            execute_governance_call("JobRegistry", &set_governance(BACKUP)),
            intent(
                "call",
                "contract = \"JobRegistry\"\nfunction = \"setFeePool\"\nargs = [\"FeePool\"]"
            ),
        ),
    );
    assert_refused(
        &text,
        &location(&text, "function = \"setFeePool", "\""),
        &[
            "hands to backup-safe",
            "put this intent before that rotation",
        ],
    );
    // A pause written by hand: pausing JobRegistry again reverts.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}",
            execute_governance_call("JobRegistry", &pause_data()),
            intent("pause", "modules = [\"JobRegistry\"]"),
        ),
    );
    assert_refused(
        &text,
        &location(&text, "kind = \"pause\"", "\"JobRegistry"),
        &["JobRegistry is already paused", "EnforcedPause"],
    );
    // Calldata that is no known function teaches the intent to write.
    let text = runbook(
        "system-pause",
        &execute_governance_call("JobRegistry", "0xdeadbeef"),
    );
    assert_refused(
        &text,
        &location(&text, "function = \"executeGovernanceCall", "\""),
        &["write the forwarded call as a `call` intent to the module instead"],
    );
}

#[test]
fn overlapping_spans_join_into_one() {
    let intents = format!(
        "{}{}{}{}{}",
        intent("pause", "modules = [\"FeePool\"]"),
        intent("unpause", "modules = [\"JobRegistry\"]"),
        intent("unpause", "modules = [\"StakeManager\"]"),
        intent("pause", "modules = [\"JobRegistry\"]"),
        intent("pause", "modules = [\"StakeManager\"]"),
    );
    let text = with_max_calls(&runbook("direct", &intents), 4);
    assert_eq!(
        built_parts(&text),
        [vec!["pause"], vec!["unpause", "unpause", "pause", "pause"]]
    );
    let text = with_max_calls(&runbook("direct", &intents), 3);
    assert_refused(
        &text,
        &location(&text, "kind = \"unpause\"", "\"JobRegistry"),
        &[
            "JobRegistry and StakeManager must stay paused",
            "raise max_calls to at least 4",
        ],
    );
}
