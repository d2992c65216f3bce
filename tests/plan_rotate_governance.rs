//! rotate-governance under both layouts: which calls, in which order, and the
//! accept batch for Ownable2Step contracts.

mod plan_support;

use plan_support::*;

fn rotate(to: &str, modules: &str) -> String {
    intent(
        "rotate-governance",
        &format!("to = \"{to}\"\nmodules = {modules}"),
    )
}

/// Checks the ordering rule on decoded calls, independently of the planner:
/// no call that needs an authority comes after the call that gives it away.
/// A direct call to M needs M; a forwarded call needs SystemPause and M.
/// `setGovernance` / `transferOwnership` on M gives M away, except
/// FeePool.setGovernance (the withdrawal authority only) and transfers of the
/// Ownable2Step contracts (the owner stays until the new one accepts).
fn assert_no_call_after_its_authority_left(calls: &[String]) {
    let two_step = ["TaxPolicy", "IdentityRegistry", "HGMControlModule"];
    let mut gone: Vec<(String, usize)> = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let hops: Vec<&str> = call.split(" -> ").collect();
        let targets: Vec<String> = hops
            .iter()
            .map(|h| h.split('.').next().unwrap().to_owned())
            .collect();
        for target in &targets {
            if let Some((_, at)) = gone.iter().find(|(g, _)| g == target) {
                panic!("call {i} `{call}` needs {target}, given away by call {at}:\n{calls:#?}");
            }
        }
        let last = hops.last().unwrap();
        let target = targets.last().unwrap();
        let gives = (last.contains(".setGovernance(") && target != "FeePool")
            || (last.contains(".transferOwnership(") && !two_step.contains(&target.as_str()));
        if gives {
            gone.push((target.clone(), i));
        }
    }
}

#[test]
fn all_under_system_pause_moves_fee_pool_governance_before_system_pause() {
    let text = runbook("system-pause", &rotate("backup-safe", "\"all\""));
    let calls = decoded(&text);
    assert_eq!(
        calls,
        [
            "CertificateNFT.transferOwnership(backup-safe)",
            "AttestationRegistry.transferOwnership(backup-safe)",
            "RewardEngineMB.setGovernance(backup-safe)",
            "Thermostat.setGovernance(backup-safe)",
            "PlatformIncentives.transferOwnership(backup-safe)",
            "JobRouter.transferOwnership(backup-safe)",
            "RandaoCoordinator.transferOwnership(backup-safe)",
            "TaxPolicy.transferOwnership(backup-safe)",
            "IdentityRegistry.transferOwnership(backup-safe)",
            "HGMControlModule.transferOwnership(backup-safe)",
            "SystemPause.executeGovernanceCall(FeePool, <call>) -> FeePool.setGovernance(backup-safe)",
            "SystemPause.setGovernance(backup-safe)",
        ]
    );
    assert_no_call_after_its_authority_left(&calls);

    let plan = plan(&text);
    let last = plan.calls().last().copied().unwrap();
    assert_vector(last, "SystemPause.setGovernance(backup)");
    assert!(last.summary.starts_with(
        "SystemPause.setGovernance(backup-safe): hands SystemPause and the eight core modules"
    ));
    assert_vector(plan.calls()[7], "TaxPolicy.transferOwnership(backup)");

    let accept = plan.accept.as_ref().expect("an accept batch");
    assert_eq!(accept.new_owner, addr(BACKUP));
    let accepted = decoded_calls(&text, &accept.calls.iter().collect::<Vec<_>>());
    assert_eq!(
        accepted,
        [
            "TaxPolicy.acceptOwnership()",
            "IdentityRegistry.acceptOwnership()",
            "HGMControlModule.acceptOwnership()",
        ]
    );
    assert_vector(&accept.calls[0], "TaxPolicy.acceptOwnership");
}

#[test]
fn all_under_direct_rotates_every_module_fee_pool_governance_first() {
    let text = runbook("direct", &rotate("backup-safe", "\"all\""));
    let calls = decoded(&text);
    assert_eq!(
        calls,
        [
            "JobRegistry.setGovernance(backup-safe)",
            "StakeManager.setGovernance(backup-safe)",
            "ValidationModule.transferOwnership(backup-safe)",
            "DisputeModule.setGovernance(backup-safe)",
            "PlatformRegistry.transferOwnership(backup-safe)",
            "FeePool.setGovernance(backup-safe)",
            "FeePool.transferOwnership(backup-safe)",
            "ReputationEngine.transferOwnership(backup-safe)",
            "ArbitratorCommittee.transferOwnership(backup-safe)",
            "CertificateNFT.transferOwnership(backup-safe)",
            "AttestationRegistry.transferOwnership(backup-safe)",
            "SystemPause.setGovernance(backup-safe)",
            "RewardEngineMB.setGovernance(backup-safe)",
            "Thermostat.setGovernance(backup-safe)",
            "PlatformIncentives.transferOwnership(backup-safe)",
            "JobRouter.transferOwnership(backup-safe)",
            "RandaoCoordinator.transferOwnership(backup-safe)",
            "TaxPolicy.transferOwnership(backup-safe)",
            "IdentityRegistry.transferOwnership(backup-safe)",
            "HGMControlModule.transferOwnership(backup-safe)",
        ]
    );
    assert_no_call_after_its_authority_left(&calls);
    let plan = plan(&text);
    assert_vector(plan.calls()[0], "JobRegistry.setGovernance(backup)");
    assert_vector(plan.calls()[5], "FeePool.setGovernance(backup)");
    assert_eq!(plan.accept.unwrap().calls.len(), 3);
}

#[test]
fn core_modules_named_without_system_pause_leave_it_through_execute_governance_call() {
    let text = runbook(
        "system-pause",
        &rotate(
            "backup-safe",
            r#"["FeePool", "JobRegistry", "ValidationModule", "Thermostat"]"#,
        ),
    );
    let calls = decoded(&text);
    assert_eq!(
        calls,
        [
            "Thermostat.setGovernance(backup-safe)",
            "SystemPause.executeGovernanceCall(FeePool, <call>) -> FeePool.setGovernance(backup-safe)",
            "SystemPause.executeGovernanceCall(FeePool, <call>) -> FeePool.transferOwnership(backup-safe)",
            "SystemPause.executeGovernanceCall(JobRegistry, <call>) -> JobRegistry.setGovernance(backup-safe)",
            "SystemPause.executeGovernanceCall(ValidationModule, <call>) -> ValidationModule.transferOwnership(backup-safe)",
        ]
    );
    assert_no_call_after_its_authority_left(&calls);
    let plan = plan(&text);
    assert_vector(
        plan.calls()[3],
        "SystemPause.executeGovernanceCall(JobRegistry, setGovernance(backup))",
    );
    assert_vector(
        plan.calls()[4],
        "SystemPause.executeGovernanceCall(ValidationModule, transferOwnership(backup))",
    );
    assert!(plan.accept.is_none());
}

#[test]
fn naming_system_pause_covers_the_modules_it_governs() {
    let text = runbook(
        "system-pause",
        &rotate("backup-safe", r#"["SystemPause", "JobRegistry"]"#),
    );
    assert_eq!(
        decoded(&text),
        [
            "SystemPause.executeGovernanceCall(FeePool, <call>) -> FeePool.setGovernance(backup-safe)",
            "SystemPause.setGovernance(backup-safe)",
        ]
    );
    // Without FeePool in the deployment there is no withdrawal authority to move.
    let text = runbook_with(
        &deployment_toml("system-pause", Some(&["SystemPause", "JobRegistry"])),
        &rotate("backup-safe", "\"all\""),
    );
    assert_eq!(decoded(&text), ["SystemPause.setGovernance(backup-safe)"]);
}

#[test]
fn a_later_call_that_needs_a_rotated_authority_is_refused() {
    for layout in ["system-pause", "direct"] {
        let text = runbook(
            layout,
            &format!(
                "{}{}",
                rotate("backup-safe", "\"all\""),
                intent("pause", r#"modules = ["JobRegistry"]"#)
            ),
        );
        let err = plan_error(&text);
        assert_error(
            &err,
            &location(&text, "kind = \"pause\"", "\"JobRegistry\""),
            &[
                "would revert",
                "put this intent before that rotation",
                "backup-safe",
            ],
        );
    }
    // The other order is what the rule asks for.
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}",
            intent("pause", r#"modules = ["JobRegistry"]"#),
            rotate("backup-safe", "\"all\"")
        ),
    );
    assert_eq!(decoded(&text).len(), 13);
    // A pending Ownable2Step transfer leaves the Safe the owner.
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            rotate("backup-safe", r#"["TaxPolicy"]"#),
            intent(
                "call",
                "contract = \"TaxPolicy\"\nfunction = \"transferOwnership\"\nargs = [\"0x2222222222222222222222222222222222222222\"]"
            )
        ),
    );
    assert_eq!(decoded(&text).len(), 2);
}

#[test]
fn the_target_must_be_a_label_or_a_confirmed_address() {
    // A label's address written out is as good as the label.
    let text = runbook("direct", &rotate(BACKUP, r#"["Thermostat"]"#));
    assert_eq!(decoded(&text), ["Thermostat.setGovernance(backup-safe)"]);

    let other = "0x3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a";
    let text = runbook("direct", &rotate(other, r#"["Thermostat"]"#));
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "to = ", "\""),
        &["no label", "confirm_unlabelled = true"],
    );

    let text = runbook(
        "direct",
        &intent(
            "rotate-governance",
            &format!("to = \"{other}\"\nmodules = [\"Thermostat\"]\nconfirm_unlabelled = true"),
        ),
    );
    assert_eq!(
        decoded(&text),
        [format!("Thermostat.setGovernance({})", addr(other))]
    );

    for (to, words) in [
        (
            "0x0000000000000000000000000000000000000000",
            vec!["zero address"],
        ),
        (SAFE, vec!["this Safe"]),
        (
            "backup-saf",
            vec!["neither a label", "backup-safe, signer-a"],
        ),
        (
            "0x2222222222222222222222222222222222222223x",
            vec!["not an address"],
        ),
        ("0xAbcdefabcdefabcdefabcdefabcdefabcdefabcd", vec!["EIP-55"]),
        (
            "0x7777777777777777777777777777777777777777",
            vec!["JobRegistry contract"],
        ),
    ] {
        let text = runbook(
            "direct",
            &intent(
                "rotate-governance",
                &format!("to = \"{to}\"\nmodules = \"all\"\nconfirm_unlabelled = true"),
            ),
        );
        let err = plan_error(&text);
        assert_error(&err, &location(&text, "to = ", "\""), &words);
    }
}

#[test]
fn timelocks_are_not_rotated() {
    let deployment = deployment_toml("direct", None).replace(
        "[deployment.contracts]\n",
        "[deployment.contracts]\nAGITimelock = \"0x1212121212121212121212121212121212121212\"\n",
    );
    let text = runbook_with(
        &deployment,
        &rotate("backup-safe", r#"["Thermostat", "AGITimelock"]"#),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "modules = [", "\"AGITimelock\""),
        &["`AGITimelock` is a timelock", "roles", "grantRole"],
    );
    // "all" leaves the timelock out.
    let text = runbook_with(&deployment, &rotate("backup-safe", "\"all\""));
    assert!(!decoded(&text).iter().any(|c| c.contains("AGITimelock")));
}

#[test]
fn ownable2step_needs_an_accept_table() {
    let text = runbook(
        "system-pause",
        &rotate("backup-safe", r#"["Thermostat", "IdentityRegistry"]"#),
    )
    .replace("[accept]\nnonce = 7\nversion = \"1.4.1\"\n", "");
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &[
            "IdentityRegistry",
            "needs an [accept] table with the new Safe's nonce and version",
        ],
    );
    // Without a two-step contract the table is not needed.
    let text = runbook("system-pause", &rotate("backup-safe", r#"["Thermostat"]"#))
        .replace("[accept]\nnonce = 7\nversion = \"1.4.1\"\n", "");
    assert!(plan(&text).accept.is_none());
}

#[test]
fn one_file_makes_one_accept_batch() {
    let other = "0x3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a";
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            rotate("backup-safe", r#"["TaxPolicy"]"#),
            intent(
                "rotate-governance",
                &format!(
                    "to = \"{other}\"\nmodules = [\"IdentityRegistry\"]\nconfirm_unlabelled = true"
                ),
            )
        ),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, &format!("to = \"{other}"), "\""),
        &["accept batch"],
    );
    // Two rotations to the same Safe share it.
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            rotate("backup-safe", r#"["TaxPolicy"]"#),
            rotate("backup-safe", r#"["IdentityRegistry"]"#)
        ),
    );
    assert_eq!(plan(&text).accept.unwrap().calls.len(), 2);
}

#[test]
fn aliases_and_listing_errors() {
    let text = runbook(
        "direct",
        &rotate("backup-safe", r#"["RewardEngine", "Router"]"#),
    );
    assert_eq!(
        decoded(&text),
        [
            "RewardEngineMB.setGovernance(backup-safe)",
            "JobRouter.transferOwnership(backup-safe)",
        ]
    );
    let text = runbook(
        "direct",
        &rotate("backup-safe", r#"["RewardEngine", "RewardEngineMB"]"#),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "modules = [", "\"RewardEngineMB\""),
        &["listed twice"],
    );
    let text = runbook("direct", &rotate("backup-safe", r#"["EnergyOracle"]"#));
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "modules = [", "\"EnergyOracle\""),
        &["not in the deployment"],
    );
}

#[test]
#[should_panic(expected = "given away by call 0")]
fn the_order_checker_catches_a_handover_before_a_forwarded_call() {
    assert_no_call_after_its_authority_left(&[
        "SystemPause.setGovernance(backup-safe)".to_owned(),
        "SystemPause.executeGovernanceCall(FeePool, <call>) -> FeePool.setGovernance(backup-safe)"
            .to_owned(),
    ]);
}

#[test]
fn a_deployment_may_list_contracts_under_their_aliases() {
    let deployment = deployment_toml("direct", Some(&["JobRouter", "RewardEngineMB"]))
        .replace("JobRouter =", "Router =")
        .replace("RewardEngineMB =", "RewardEngine =");
    let text = runbook_with(&deployment, &rotate("backup-safe", "\"all\""));
    assert_eq!(
        decoded(&text),
        [
            "RewardEngine.setGovernance(backup-safe)",
            "Router.transferOwnership(backup-safe)",
        ]
    );
    let text = runbook_with(&deployment, &rotate("backup-safe", r#"["JobRouter"]"#));
    assert_eq!(decoded(&text), ["Router.transferOwnership(backup-safe)"]);
}

#[test]
fn governance_may_move_to_the_deployment_timelock() {
    let timelock = "0x1212121212121212121212121212121212121212";
    let deployment = deployment_toml("direct", Some(&["Thermostat"])).replace(
        "[deployment.contracts]\n",
        &format!("[deployment.contracts]\nAGITimelock = \"{timelock}\"\n"),
    );
    for to in ["AGITimelock", timelock] {
        let text = runbook_with(&deployment, &rotate(to, "\"all\""));
        assert_eq!(decoded(&text), ["Thermostat.setGovernance(AGITimelock)"]);
    }
}
