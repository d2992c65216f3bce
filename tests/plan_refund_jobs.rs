//! refund-jobs under both layouts, with and without the unpause / re-pause wrap.

mod plan_support;

use bundlec::plan::Step;
use plan_support::*;

const IDS: &str =
    "delist = [42, 43]\nclaim_timeout = [7]\ncancel_expired = [\"8..9\"]\nfinalize = [10]";

fn refund(extra: &str) -> String {
    intent("refund-jobs", &format!("{IDS}\n{extra}"))
}

#[test]
fn refunds_under_system_pause_go_through_execute_governance_call_in_kind_order() {
    let text = runbook("system-pause", &refund("system_paused = false"));
    let via = |call: &str| {
        format!("SystemPause.executeGovernanceCall(JobRegistry, <call>) -> JobRegistry.{call}")
    };
    assert_eq!(
        decoded(&text),
        [
            via("delistJob(42)"),
            via("delistJob(43)"),
            via("claimTimeout(7)"),
            via("cancelExpiredJob(8)"),
            via("cancelExpiredJob(9)"),
            via("finalize(10)"),
        ]
    );
    let plan = plan(&text);
    assert_eq!(step_shapes(&plan), vec!["call"; 6]);
    assert_vector(
        plan.calls()[0],
        "SystemPause.executeGovernanceCall(JobRegistry, delistJob(42))",
    );
    assert_eq!(
        &*plan.calls()[0].summary,
        "JobRegistry.delistJob(42) via SystemPause"
    );
}

#[test]
fn refunds_under_direct_call_job_registry() {
    let text = runbook(
        "direct",
        &intent(
            "refund-jobs",
            "finalize = [10]\ncancel_expired = [8]\nclaim_timeout = [7]\ndelist = [42]",
        ),
    );
    assert_eq!(
        decoded(&text),
        [
            "JobRegistry.delistJob(42)",
            "JobRegistry.claimTimeout(7)",
            "JobRegistry.cancelExpiredJob(8)",
            "JobRegistry.finalize(10)",
        ]
    );
    let plan = plan(&text);
    let calls = plan.calls();
    assert_vector(calls[0], "JobRegistry.delistJob(42)");
    assert_vector(calls[1], "JobRegistry.claimTimeout(7)");
    let text = runbook("direct", &intent("refund-jobs", "finalize = [7]"));
    assert_vector(
        plan_support::plan(&text).calls()[0],
        "JobRegistry.finalize(7)",
    );
    let text = runbook("direct", &intent("refund-jobs", "cancel_expired = [7]"));
    assert_vector(
        plan_support::plan(&text).calls()[0],
        "JobRegistry.cancelExpiredJob(7)",
    );
    assert_eq!(&*calls[0].summary, "JobRegistry.delistJob(42)");
}

#[test]
fn while_paused_under_system_pause_the_refunds_are_wrapped() {
    let text = runbook("system-pause", &refund("system_paused = true"));
    let plan = plan(&text);
    assert_eq!(step_shapes(&plan), ["wrapped(2, 6, 2)"]);
    let Step::Wrapped {
        before,
        body,
        after,
    } = &plan.steps[0]
    else {
        unreachable!()
    };
    let via = |module: &str, call: &str| {
        format!("SystemPause.executeGovernanceCall({module}, <call>) -> {module}.{call}")
    };
    assert_eq!(
        decoded_calls(&text, &before.iter().collect::<Vec<_>>()),
        [
            via("JobRegistry", "unpause()"),
            via("StakeManager", "unpause()")
        ]
    );
    assert_eq!(
        decoded_calls(&text, &after.iter().collect::<Vec<_>>()),
        [
            via("StakeManager", "pause()"),
            via("JobRegistry", "pause()")
        ]
    );
    assert_eq!(body.len(), 6);
    assert_vector(
        &before[0],
        "SystemPause.executeGovernanceCall(JobRegistry, unpause())",
    );
    assert_vector(
        &body[0],
        "SystemPause.executeGovernanceCall(JobRegistry, delistJob(42))",
    );
    // The flat order: unpause both, refund, pause both again.
    let all = decoded(&text);
    assert!(
        all[0].ends_with("JobRegistry.unpause()") && all[1].ends_with("StakeManager.unpause()")
    );
    assert!(all[8].ends_with("StakeManager.pause()") && all[9].ends_with("JobRegistry.pause()"));
}

#[test]
fn while_paused_under_direct_the_refunds_are_wrapped() {
    let text = runbook(
        "direct",
        &intent("refund-jobs", "delist = [42]\nsystem_paused = true"),
    );
    let plan = plan(&text);
    assert_eq!(step_shapes(&plan), ["wrapped(2, 1, 2)"]);
    assert_eq!(
        decoded(&text),
        [
            "JobRegistry.unpause()",
            "StakeManager.unpause()",
            "JobRegistry.delistJob(42)",
            "StakeManager.pause()",
            "JobRegistry.pause()",
        ]
    );
    assert_vector(plan.calls()[0], "JobRegistry.unpause");
    assert_vector(plan.calls()[4], "JobRegistry.pause");
}

#[test]
fn refunds_respect_the_pause_states_the_file_sets() {
    for layout in ["system-pause", "direct"] {
        // Paused earlier in the file: refunds need the wrap.
        let text = runbook(
            layout,
            &format!(
                "{}{}",
                intent("pause", "modules = \"all\""),
                intent("refund-jobs", "delist = [42]")
            ),
        );
        let err = plan_error(&text);
        assert_error(
            &err,
            &location(&text, "[[intent]]\nkind = \"refund-jobs\"", "[[intent]]"),
            &["JobRegistry is already paused", "system_paused = true"],
        );
        // With the wrap it works, and a second wrapped refund starts paused again.
        let text = runbook(
            layout,
            &format!(
                "{}{}{}",
                intent("pause", "modules = \"all\""),
                intent("refund-jobs", "delist = [42]\nsystem_paused = true"),
                intent("refund-jobs", "finalize = [43]\nsystem_paused = true"),
            ),
        );
        let shapes = step_shapes(&plan(&text));
        assert!(
            shapes.ends_with(&["wrapped(2, 1, 2)".to_owned(), "wrapped(2, 1, 2)".to_owned()]),
            "{shapes:?}"
        );
        // Unpaused earlier in the file: the wrap's unpause would revert.
        let text = runbook(
            layout,
            &format!(
                "{}{}",
                intent("unpause", "modules = [\"StakeManager\"]"),
                intent("refund-jobs", "delist = [42]\nsystem_paused = true")
            ),
        );
        let err = plan_error(&text);
        assert!(
            err.message.contains("StakeManager is already unpaused"),
            "{err}"
        );
    }
}

#[test]
fn refunds_need_job_registry_and_the_wrap_needs_stake_manager() {
    let text = runbook_with(
        &deployment_toml("direct", Some(&["StakeManager"])),
        &intent("refund-jobs", "delist = [42]"),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &["refund-jobs calls JobRegistry", "not in the deployment"],
    );

    let only = ["JobRegistry", "SystemPause"];
    let text = runbook_with(
        &deployment_toml("system-pause", Some(&only)),
        &intent("refund-jobs", "delist = [42]\nsystem_paused = false"),
    );
    assert_eq!(decoded(&text).len(), 1);
    let text = runbook_with(
        &deployment_toml("system-pause", Some(&only)),
        &intent("refund-jobs", "delist = [42]\nsystem_paused = true"),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &["StakeManager"],
    );
}
