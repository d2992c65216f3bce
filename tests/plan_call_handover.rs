//! A handover written as a raw `call` moves authority like a rotation: a later
//! intent that still needs it would revert on chain, so it is refused.

mod plan_support;

use plan_support::{decoded, intent, plan_error, runbook};

fn call(contract: &str, function: &str, args: &str) -> String {
    intent(
        "call",
        &format!("contract = \"{contract}\"\nfunction = \"{function}\"\nargs = {args}"),
    )
}

#[test]
fn a_call_that_hands_authority_away_blocks_later_calls_that_need_it() {
    // SystemPause handed to the backup Safe, then pauseAll: NotGovernance on chain.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}",
            call("SystemPause", "setGovernance", "[\"backup-safe\"]"),
            intent("pause", r#"modules = "all""#)
        ),
    );
    let err = plan_error(&text).to_string();
    assert!(err.contains("authority over SystemPause"), "{err}");

    // The same for a module the Safe owns directly.
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            call("JobRegistry", "transferOwnership", "[\"backup-safe\"]"),
            intent("pause", r#"modules = ["JobRegistry"]"#)
        ),
    );
    assert!(
        plan_error(&text)
            .to_string()
            .contains("authority over JobRegistry")
    );

    // FeePool's setGovernance moves only its withdrawal authority: the Safe
    // still owns FeePool and may pause it.
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            call("FeePool", "setGovernance", "[\"backup-safe\"]"),
            intent("pause", r#"modules = ["FeePool"]"#)
        ),
    );
    assert_eq!(decoded(&text).len(), 2);
}
