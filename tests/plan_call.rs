//! `call` intents: targets by name, label or address, functions by name or
//! signature, arguments by position or name, and hub routing.

mod plan_support;

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::U256;
use plan_support::*;

fn call(body: &str) -> String {
    intent("call", body)
}

#[test]
fn a_core_module_call_is_forwarded_under_system_pause_and_direct_otherwise() {
    let body = r#"contract = "JobRegistry"
function = "setFeePool"
args = ["0x9999999999999999999999999999999999999999"]"#;
    let text = runbook("system-pause", &call(body));
    assert_eq!(
        decoded(&text),
        [
            "SystemPause.executeGovernanceCall(JobRegistry, <call>) -> JobRegistry.setFeePool(FeePool)"
        ]
    );
    let plan = plan(&text);
    let forwarded = plan.calls()[0];
    assert_eq!(forwarded.to, contract_address("SystemPause"));
    assert_eq!(
        &*forwarded.summary,
        "JobRegistry.setFeePool(FeePool) via SystemPause"
    );
    let (_, inner) = vector("JobRegistry.setFeePool");
    assert_eq!(forwarded.args[1], DynSolValue::Bytes(inner.to_vec()));

    let text = runbook("direct", &call(body));
    assert_eq!(decoded(&text), ["JobRegistry.setFeePool(FeePool)"]);
    assert_vector(
        plan_support::plan(&text).calls()[0],
        "JobRegistry.setFeePool",
    );
}

#[test]
fn arguments_by_name_and_by_position_encode_the_same() {
    for layout in ["direct", "system-pause"] {
        let by_name = runbook(
            layout,
            &call(
                "contract = \"DisputeModule\"\nfunction = \"resolveDispute\"\nargs = { employerWins = true, jobId = 7 }",
            ),
        );
        let by_position = runbook(
            layout,
            &call(
                "contract = \"DisputeModule\"\nfunction = \"resolveDispute(uint256,bool)\"\nargs = [\"7\", true]",
            ),
        );
        assert_eq!(
            plan(&by_name).calls()[0].data,
            plan(&by_position).calls()[0].data
        );
    }
    let text = runbook(
        "direct",
        &call(
            "contract = \"DisputeModule\"\nfunction = \"resolveDispute\"\nargs = { employerWins = true, jobId = 7 }",
        ),
    );
    assert_vector(
        plan(&text).calls()[0],
        "DisputeModule.resolveDispute(7,true)",
    );
    let text = runbook(
        "direct",
        &call(
            "contract = \"JobRegistry\"\nfunction = \"escalateToDispute\"\nargs = [7, \"incident\"]",
        ),
    );
    assert_vector(
        plan(&text).calls()[0],
        "JobRegistry.escalateToDispute(7,\"incident\")",
    );
}

#[test]
fn system_pause_itself_is_called_directly() {
    let text = runbook(
        "system-pause",
        &call(&format!(
            "contract = \"SystemPause\"\nfunction = \"setGlobalPauser\"\nargs = [\"{BACKUP}\"]"
        )),
    );
    assert_eq!(decoded(&text), ["SystemPause.setGlobalPauser(backup-safe)"]);
    assert_vector(
        plan(&text).calls()[0],
        "SystemPause.setGlobalPauser(backup)",
    );
}

#[test]
fn targets_by_address_label_and_alias() {
    // A deployment contract's address uses its ABI, and routing. (A refund
    // call needs the registry's pause state, set here by the unpause.)
    let text = runbook(
        "system-pause",
        &format!(
            "{}{}",
            intent("unpause", "modules = [\"JobRegistry\", \"StakeManager\"]"),
            call(
                "contract = \"0x7777777777777777777777777777777777777777\"\nfunction = \"delistJob\"\nargs = [42]",
            )
        ),
    );
    assert_vector(
        plan(&text).calls()[2],
        "SystemPause.executeGovernanceCall(JobRegistry, delistJob(42))",
    );
    // An alias.
    let text = runbook(
        "direct",
        &call("contract = \"Router\"\nfunction = \"owner\""),
    );
    assert_eq!(decoded(&text), ["JobRouter.owner()"]);
    // A label or an unknown address has no ABI: a full signature is needed,
    // and then a value may be sent.
    let token = "0x1234567890abcdef1234567890abcdef12345678";
    let text = runbook(
        "direct",
        &call(&format!(
            "contract = \"{token}\"\nfunction = \"transfer(address to, uint256 amount)\"\nargs = {{ to = \"{BACKUP}\", amount = \"1000\" }}"
        )),
    );
    let planned = plan(&text);
    assert_eq!(hex(&planned.calls()[0].data[..4]), "a9059cbb");
    assert_eq!(
        planned.calls()[0].args[1],
        DynSolValue::Uint(U256::from(1000), 256)
    );
    let text = runbook(
        "direct",
        &call(
            "contract = \"backup-safe\"\nfunction = \"deposit()\"\nvalue = \"1000000000000000000\"",
        ),
    );
    let planned = plan(&text);
    assert_eq!(planned.calls()[0].to, addr(BACKUP));
    assert_eq!(planned.calls()[0].value, U256::from(10u64.pow(18)));
    assert_eq!(
        &*planned.calls()[0].summary,
        "backup-safe.deposit(), sends 1 ETH (1000000000000000000 wei)"
    );

    let text = runbook(
        "direct",
        &call("contract = \"backup-safe\"\nfunction = \"deposit\""),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "function = ", "\""),
        &["no ABI for backup-safe", "full signature"],
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn bad_targets_and_functions_are_refused_where_written() {
    let cases = [
        (
            "contract = \"JobRegistery\"\nfunction = \"pause\"",
            "contract = ",
            vec![
                "unknown contract `JobRegistery`",
                "JobRegistry",
                "backup-safe",
            ],
        ),
        (
            "contract = \"EnergyOracle\"\nfunction = \"governance\"",
            "contract = ",
            vec!["`EnergyOracle` is not in the deployment"],
        ),
        (
            "contract = \"0x77777777777777777777777777777777777777\"\nfunction = \"pause\"",
            "contract = ",
            vec!["not an address"],
        ),
        (
            "contract = \"JobRegistry\"\nfunction = \"raiseDispute\"\nargs = [1, \"x\"]",
            "function = ",
            vec![
                "2 functions named `raiseDispute`",
                "raiseDispute(uint256,bytes32)",
                "raiseDispute(uint256,string)",
            ],
        ),
        (
            "contract = \"JobRegistry\"\nfunction = \"delistJobs\"\nargs = [1]",
            "function = ",
            vec!["no function named `delistJobs`"],
        ),
        (
            "contract = \"JobRegistry\"\nfunction = \"delistJob(uint8)\"\nargs = [1]",
            "function = ",
            vec!["delistJob(uint256)"],
        ),
        // MultiSend 1.5.0 runs a record addressed to 0 on the Safe itself: a
        // call to address 0 would be Safe administration past its rules.
        (
            "contract = \"0x0000000000000000000000000000000000000000\"\nfunction = \"changeThreshold(uint256)\"\nargs = [1]",
            "contract = ",
            vec!["a call to address 0 is refused", "rotate-signers"],
        ),
    ];
    for (body, after, words) in cases {
        let text = runbook("system-pause", &call(body));
        let err = plan_error(&text);
        assert_error(&err, &location(&text, after, "\""), &words);
    }
}

#[test]
fn bad_arguments_are_refused_naming_the_parameter() {
    let cases = [
        (
            "function = \"resolveDispute\"\nargs = [7]",
            vec!["missing argument `employerWins`", "takes 2 arguments"],
        ),
        (
            "function = \"resolveDispute\"\nargs = [7, true, 1]",
            vec!["takes 2 arguments", "got 3"],
        ),
        (
            "function = \"resolveDispute\"\nargs = { jobId = 7 }",
            vec!["missing argument `employerWins`"],
        ),
        (
            "function = \"resolveDispute\"\nargs = { jobId = 7, employerWins = true, extra = 1 }",
            vec!["no parameter `extra`", "jobId, employerWins"],
        ),
        (
            "function = \"resolveDispute\"\nargs = [\"115792089237316195423570985008687907853269984665640564039457584007913129639936\", true]",
            vec!["jobId", "resolveDispute(uint256,bool)"],
        ),
        (
            "function = \"resolveDispute\"\nargs = [7, \"yes\"]",
            vec!["employerWins"],
        ),
        (
            "function = \"resolveDispute\"\nargs = 7",
            vec!["must be an array"],
        ),
    ];
    for (body, words) in cases {
        let text = runbook(
            "direct",
            &call(&format!("contract = \"DisputeModule\"\n{body}")),
        );
        let err = plan_error(&text);
        let expected = location(&text, "args = ", "args = ");
        // The value, just after `args = `.
        let (prefix, column) = expected.rsplit_once(':').unwrap();
        let column: usize = column.parse().unwrap();
        assert_error(
            &err,
            &format!("{prefix}:{}", column + "args = ".len()),
            &words,
        );
    }
    // No `args` for a function that takes some: placed at the intent.
    let text = runbook(
        "direct",
        &call("contract = \"DisputeModule\"\nfunction = \"resolveDispute\""),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &["takes 2 arguments (jobId, employerWins)"],
    );
}

#[test]
fn value_is_refused_where_it_cannot_go() {
    let text = runbook(
        "system-pause",
        &call("contract = \"JobRegistry\"\nfunction = \"delistJob\"\nargs = [1]\nvalue = 5"),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "value = 5", "5"),
        &["forwards no ETH"],
    );
    let text = runbook(
        "direct",
        &call("contract = \"JobRegistry\"\nfunction = \"delistJob\"\nargs = [1]\nvalue = 5"),
    );
    let err = plan_error(&text);
    assert_error(&err, &location(&text, "value = 5", "5"), &["not payable"]);
}

#[test]
fn owner_changes_must_use_rotate_signers() {
    let text = runbook(
        "direct",
        &call(&format!(
            "contract = \"{SAFE}\"\nfunction = \"changeThreshold\"\nargs = [1]"
        )),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "function = ", "\""),
        &["rotate-signers"],
    );
    // Even with a `confirm`: owner changes have one way in.
    let text = runbook(
        "direct",
        &call(&format!(
            "contract = \"{SAFE}\"\nfunction = \"changeThreshold\"\nargs = [1]\nconfirm = \"changeThreshold\""
        )),
    );
    assert_error(
        &plan_error(&text),
        &location(&text, "function = ", "\""),
        &["rotate-signers"],
    );
}

/// Safe administration through `call` (modules, guards, fallback handler,
/// singleton, setup) needs `confirm` naming the function.
#[test]
fn safe_administration_needs_confirm_naming_the_function() {
    for (function, args) in [
        ("enableModule", format!("[\"{BACKUP}\"]")),
        ("setGuard", format!("[\"{BACKUP}\"]")),
        ("setFallbackHandler", format!("[\"{BACKUP}\"]")),
    ] {
        let body = format!("contract = \"{SAFE}\"\nfunction = \"{function}\"\nargs = {args}");
        let text = runbook("direct", &call(&body));
        assert_error(
            &plan_error(&text),
            &location(&text, "function = ", "\""),
            &[
                "Safe administration",
                &format!("needs `confirm = \"{function}\"`"),
            ],
        );
        let text = runbook(
            "direct",
            &call(&format!("{body}\nconfirm = \"{function}\"")),
        );
        assert_eq!(
            decoded(&text),
            [format!("Safe.{function}(backup-safe)")],
            "{function}"
        );
        // A confirm naming another function is not a confirm of this one.
        let text = runbook("direct", &call(&format!("{body}\nconfirm = \"yes\"")));
        assert_error(
            &plan_error(&text),
            &location(&text, "confirm = ", "\""),
            &[&format!("`confirm = \"{function}\"`, not `yes`")],
        );
    }
    // `confirm` on a call that is not Safe administration is a mistake.
    let text = runbook(
        "direct",
        &call(
            "contract = \"JobRegistry\"\nfunction = \"delistJob\"\nargs = [1]\nconfirm = \"delistJob\"",
        ),
    );
    assert_error(
        &plan_error(&text),
        &location(&text, "confirm = ", "\""),
        &["applies only", "remove `confirm`"],
    );
    // approveHash signs a hash; it changes nothing of the Safe's configuration.
    let text = runbook(
        "direct",
        &call(&format!(
            "contract = \"{SAFE}\"\nfunction = \"approveHash\"\nargs = [\"0x{}\"]",
            "42".repeat(32)
        )),
    );
    assert_eq!(plan(&text).calls().len(), 1);
}

#[test]
fn calls_after_a_rotation_of_their_target_are_refused() {
    let text = runbook(
        "direct",
        &format!(
            "{}{}",
            intent(
                "rotate-governance",
                "to = \"backup-safe\"\nmodules = [\"JobRegistry\"]"
            ),
            call("contract = \"JobRegistry\"\nfunction = \"delistJob\"\nargs = [1]")
        ),
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "function = ", "\""),
        &["put this intent before that rotation"],
    );
}

/// Every published vector whose target is a contract of the placeholder
/// deployment, rebuilt as a `call` intent from its signature and arguments.
#[test]
fn call_intents_reproduce_the_published_calldata_vectors() {
    let path = reference_fixture("agijobs/calldata-vectors.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = Vec::new();
    for v in json["vectors"].as_array().unwrap() {
        let to = addr(&v["to"].as_str().unwrap().to_lowercase());
        let Some((contract, _)) = CONTRACTS.iter().find(|(_, a)| addr(a) == to) else {
            continue;
        };
        let args: Vec<String> = v["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| match a.as_str().unwrap() {
                "True" => "true".to_owned(),
                "False" => "false".to_owned(),
                s => format!("\"{s}\""),
            })
            .collect();
        let body = format!(
            "contract = \"{contract}\"\nfunction = \"{}\"\nargs = [{}]",
            v["signature"].as_str().unwrap(),
            args.join(", ")
        );
        let text = runbook("direct", &call(&body));
        let name = v["name"].as_str().unwrap();
        assert_vector(plan(&text).calls()[0], name);
        checked.push(name.to_owned());
    }
    assert!(checked.len() >= 20, "only {checked:?}");
}
