//! pause / unpause intents under both layouts, read back from the calldata.

mod plan_support;

use plan_support::*;

const CORE: [&str; 8] = [
    "JobRegistry",
    "StakeManager",
    "ValidationModule",
    "DisputeModule",
    "PlatformRegistry",
    "FeePool",
    "ReputationEngine",
    "ArbitratorCommittee",
];

#[test]
fn pause_all_under_system_pause_is_one_pause_all_then_the_direct_modules() {
    let text = runbook("system-pause", &intent("pause", r#"modules = "all""#));
    assert_eq!(
        decoded(&text),
        [
            "SystemPause.pauseAll()",
            "CertificateNFT.pause()",
            "AttestationRegistry.pause()",
        ]
    );
    let plan = plan(&text);
    assert_vector(plan.calls()[0], "SystemPause.pauseAll");
    assert_eq!(
        &*plan.calls()[0].summary,
        "pause all eight core modules via SystemPause"
    );
    assert_eq!(&*plan.calls()[1].summary, "pause CertificateNFT");
    assert!(plan.accept.is_none() && plan.signers.is_none());
}

#[test]
fn unpause_all_under_system_pause() {
    let text = runbook("system-pause", &intent("unpause", r#"modules = "all""#));
    let plan = plan(&text);
    assert_vector(plan.calls()[0], "SystemPause.unpauseAll");
    assert_eq!(
        decoded(&text),
        [
            "SystemPause.unpauseAll()",
            "CertificateNFT.unpause()",
            "AttestationRegistry.unpause()",
        ]
    );
}

#[test]
fn pause_all_under_direct_pauses_each_module_in_slot_order() {
    let text = runbook("direct", &intent("pause", r#"modules = "all""#));
    let mut expected: Vec<String> = CORE.iter().map(|m| format!("{m}.pause()")).collect();
    expected.push("CertificateNFT.pause()".into());
    expected.push("AttestationRegistry.pause()".into());
    assert_eq!(decoded(&text), expected);
    let plan = plan(&text);
    assert_vector(plan.calls()[0], "JobRegistry.pause");
    assert_eq!(&*plan.calls()[0].summary, "pause JobRegistry");
}

#[test]
fn a_subset_under_system_pause_goes_through_execute_governance_call() {
    let text = runbook(
        "system-pause",
        &intent(
            "unpause",
            r#"modules = ["JobRegistry", "CertificateNFT", "StakeManager"]"#,
        ),
    );
    assert_eq!(
        decoded(&text),
        [
            "SystemPause.executeGovernanceCall(JobRegistry, <call>) -> JobRegistry.unpause()",
            "CertificateNFT.unpause()",
            "SystemPause.executeGovernanceCall(StakeManager, <call>) -> StakeManager.unpause()",
        ]
    );
    let plan = plan(&text);
    assert_vector(
        plan.calls()[0],
        "SystemPause.executeGovernanceCall(JobRegistry, unpause())",
    );
    assert_eq!(
        &*plan.calls()[0].summary,
        "unpause JobRegistry via SystemPause"
    );
}

#[test]
fn a_subset_under_direct_is_called_directly_in_the_written_order() {
    let text = runbook(
        "direct",
        &intent("pause", r#"modules = ["StakeManager", "JobRegistry"]"#),
    );
    assert_eq!(
        decoded(&text),
        ["StakeManager.pause()", "JobRegistry.pause()"]
    );
}

#[test]
fn listing_all_eight_core_modules_is_one_pause_all() {
    let list = CORE
        .iter()
        .rev()
        .map(|m| format!("\"{m}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let text = runbook(
        "system-pause",
        &intent("pause", &format!("modules = [\"CertificateNFT\", {list}]")),
    );
    assert_eq!(
        decoded(&text),
        ["CertificateNFT.pause()", "SystemPause.pauseAll()"]
    );
}

#[test]
fn all_means_every_pausable_module_and_skips_only_the_absent_ones() {
    // deployment_toml lists every other pausable module in `absent`.
    let only = [
        "SystemPause",
        "JobRegistry",
        "StakeManager",
        "Thermostat",
        "CertificateNFT",
    ];
    let text = runbook_with(
        &deployment_toml("system-pause", Some(&only)),
        &intent("pause", r#"modules = "all""#),
    );
    // SystemPause pauses the modules it holds on chain, whatever the book lists.
    assert_eq!(
        decoded(&text),
        ["SystemPause.pauseAll()", "CertificateNFT.pause()"]
    );
    let notes: Vec<String> = plan(&text).notes.into_iter().map(|n| n.value).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("pause \"all\" skipped ValidationModule, DisputeModule, PlatformRegistry, FeePool, ReputationEngine, ArbitratorCommittee, AttestationRegistry:"),
        "{notes:?}"
    );
    assert!(notes[1].contains("one SystemPause.pauseAll()"), "{notes:?}");
    let text = runbook_with(
        &deployment_toml("direct", Some(&only)),
        &intent("pause", r#"modules = "all""#),
    );
    assert_eq!(
        decoded(&text),
        [
            "JobRegistry.pause()",
            "StakeManager.pause()",
            "CertificateNFT.pause()"
        ]
    );
}

#[test]
fn a_module_without_pause_is_refused_with_the_pausable_list() {
    for layout in ["system-pause", "direct"] {
        for (name, reason) in [
            ("Thermostat", "Thermostat"),
            ("RewardEngine", "RewardEngine"),
            ("Router", "Router"),
        ] {
            let text = runbook(
                layout,
                &intent("pause", &format!(r#"modules = ["JobRegistry", "{name}"]"#)),
            );
            let err = plan_error(&text);
            assert_error(
                &err,
                &location(&text, "kind = \"pause\"", &format!("\"{name}\"")),
                &[
                    reason,
                    "has no pause()",
                    "JobRegistry, StakeManager",
                    "CertificateNFT, AttestationRegistry",
                ],
            );
        }
    }
}

#[test]
fn unknown_and_undeployed_modules_are_refused() {
    let text = runbook("direct", &intent("pause", r#"modules = ["JobRegistery"]"#));
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "kind = \"pause\"", "\"JobRegistery\""),
        &[
            "unknown module `JobRegistery` (did you mean JobRegistry?)",
            "RewardEngine = RewardEngineMB",
        ],
    );

    let text = runbook_with(
        &deployment_toml("direct", Some(&["JobRegistry"])),
        &intent("pause", r#"modules = ["StakeManager"]"#),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "kind = \"pause\"", "\"StakeManager\""),
        &[
            "`StakeManager` is not in the deployment",
            "it has: JobRegistry",
        ],
    );
}

#[test]
fn system_pause_layout_without_system_pause_is_refused() {
    let text = runbook_with(
        &deployment_toml("system-pause", Some(&["JobRegistry"])),
        &intent("pause", r#"modules = ["JobRegistry"]"#),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "kind = \"pause\"", "\"JobRegistry\""),
        &["no SystemPause"],
    );
}

#[test]
fn pausing_twice_in_one_file_is_refused_because_it_would_revert() {
    let intents = format!(
        "{}{}",
        intent("pause", r#"modules = "all""#),
        intent("pause", r#"modules = ["JobRegistry"]"#)
    );
    for layout in ["system-pause", "direct"] {
        let text = runbook(layout, &intents);
        let err = plan_error(&text);
        assert_error(
            &err,
            &location(&text, "modules = [", "\"JobRegistry\""),
            &[
                "JobRegistry is already paused by the intent at plan.toml:",
                "EnforcedPause",
            ],
        );
    }
    // Staged unpause after a pause is fine, and so is pause-all after a
    // partial unpause of modules that were never known paused.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}{}",
            intent("pause", r#"modules = "all""#),
            intent("unpause", r#"modules = ["JobRegistry", "StakeManager"]"#),
            intent("unpause", r#"modules = ["FeePool"]"#),
        ),
    );
    assert_eq!(decoded(&text).len(), 6);
    // unpauseAll after a partial unpause would revert on the unpaused ones.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}{}",
            intent("pause", r#"modules = "all""#),
            intent("unpause", r#"modules = ["JobRegistry"]"#),
            intent("unpause", r#"modules = "all""#),
        ),
    );
    let err = plan_error(&text);
    assert!(
        err.message.contains("JobRegistry is already unpaused"),
        "{err}"
    );
    assert!(err.message.contains("unpauseAll()"), "{err}");
}
