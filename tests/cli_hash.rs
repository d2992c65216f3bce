//! `bundlec hash` as a user meets it: its text output, and exit code 2 with a
//! message naming the argument for every bad input.

mod common;

use common::bundlec;

const MAINNET_BATCH: [&str; 14] = [
    "hash",
    "--chain-id=1",
    "--safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
    "--safe-version=1.4.1",
    "--to=0x9641d764fc13c8B624c04430C7356C1C7C8102e2",
    "--operation=1",
    "--nonce=6",
    "--data",
    "0x8d80ff0a0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000013200cfbfac74c26f8647cbdb8c5caf80bb5b32e4313400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000044dd43a79f000000000000000000000000f46c6d6e62f59d9222f3812874211df07cf7b318000000000000000000000000000000000000000000000000000000000000000100a0b86991c6218b36c1d19d4a2e9eb0ce3606eb4800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000044a9059cbb0000000000000000000000001fe27a73cd9f0b3c53b6e936d0b4f9b2f8ca3367000000000000000000000000000000000000000000000000000000002faf08000000000000000000000000000000",
    "--value=0",
    "--gas-price=0",
    "--safe-tx-gas=0",
    "--base-gas=0",
    "--refund-receiver=0x0000000000000000000000000000000000000000",
];

#[test]
fn human_output_for_a_published_vector() {
    let output = bundlec().args(MAINNET_BATCH).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    // Domain and message hash as the Ledger shows them (upper case), safeTxHash lower case.
    assert!(text.contains("0x58122EA8F001782FACC66EE5495A6B8B29730FADF352D8608CA86BD31569FCF5"));
    assert!(text.contains("0xE992E061576268328FAC9175D6AEA3DEFD4C3BEF83A0C6FE08F6AA5A222CBC45"));
    assert!(text.contains("0x27a0c4abf624b15b776f544a4b31ed4d50dee2b677c6497fbadf4f7a73be705e"));
    insta::assert_snapshot!(text);
}

fn assert_usage_error(args: &[&str], needles: &[&str]) {
    let output = bundlec().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: `{needle}` not in {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

const BASE: [&str; 5] = [
    "hash",
    "--chain-id=1",
    "--safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
    "--safe-version=1.4.1",
    "--nonce=1",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    BASE.iter().chain(extra).copied().collect()
}

#[test]
fn bad_addresses_name_the_argument() {
    assert_usage_error(
        &with(&["--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC333"]),
        &["--to", "EIP-55"],
    );
    assert_usage_error(&with(&["--to=0x1234"]), &["--to", "40 hex digits"]);
    assert_usage_error(
        &with(&[
            "--to=0x5ea1d9a6ddc3a0329378a327746d71a2019ec332",
            "--gas-token=0xABCDEFabcdef",
        ]),
        &["--gas-token"],
    );
    // All lower and all upper case carry no checksum and are accepted.
    for to in [
        "--to=0x5ea1d9a6ddc3a0329378a327746d71a2019ec332",
        "--to=0x5EA1D9A6DDC3A0329378A327746D71A2019EC332",
    ] {
        bundlec().args(with(&[to])).assert().success();
    }
}

#[test]
fn unsupported_versions_list_the_supported_ones() {
    assert_usage_error(
        &[
            "hash",
            "--chain-id=1",
            "--safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
            "--safe-version=1.4.0",
            "--nonce=1",
            "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        ],
        &[
            "--safe-version",
            "1.4.0",
            "0.1.0, 1.0.0, 1.1.1, 1.2.0, 1.3.0, 1.4.1, 1.5.0",
        ],
    );
}

#[test]
fn bad_numbers_and_data_name_the_argument() {
    let to = "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332";
    assert_usage_error(&with(&[to, "--value=-1"]), &["--value"]);
    assert_usage_error(&with(&[to, "--value=1e18"]), &["--value"]);
    let too_big =
        "--value=115792089237316195423570985008687907853269984665640564039457584007913129639936";
    assert_usage_error(&with(&[to, too_big]), &["--value", "does not fit"]);
    assert_usage_error(&with(&[to, "--data=0xabc"]), &["--data", "hex"]);
    assert_usage_error(&with(&[to, "--operation=256"]), &["--operation"]);
    assert_usage_error(&with(&[to, "--chain-id=x"]), &["--chain-id"]);
}

#[test]
fn missing_required_fields_are_usage_errors() {
    assert_usage_error(&BASE, &["--to"]);
    assert_usage_error(
        &[
            "hash",
            "--chain-id=1",
            "--safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
            "--safe-version=1.4.1",
            "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        ],
        &["--nonce"],
    );
    assert_usage_error(
        &with(&[
            "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
            "--nested-safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        ]),
        &["--nested-nonce"],
    );
    assert_usage_error(
        &with(&[
            "--message=hi",
            "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        ]),
        &["--to"],
    );
    assert_usage_error(
        &with(&["--message-file=/nonexistent/bundlec"]),
        &["/nonexistent/bundlec"],
    );
}

#[test]
fn help_documents_exit_codes() {
    for args in [
        vec!["--help"],
        vec!["hash", "--help"],
        vec!["checksum", "--help"],
    ] {
        let output = bundlec().args(&args).output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("Exit codes:") && text.contains("2  bad input"),
            "{args:?}"
        );
    }
}

/// Runs `hash` with `args`; returns the exit code and standard output.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = bundlec().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

const ARBITRARY: &str = "--to=0x1111111111111111111111111111111111111111";

#[test]
fn a_clean_transaction_has_no_findings() {
    let (code, text) = run(&with(&[
        "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        "--strict",
    ]));
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("\nChecks: none\n"), "{text}");
    assert!(!text.contains("DANGER"), "{text}");
}

#[test]
fn delegatecall_to_an_arbitrary_address_is_a_danger_failing_only_under_strict() {
    let args = with(&[ARBITRARY, "--operation=1"]);
    let (code, text) = run(&args);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("\nChecks\n  DANGER untrusted-delegatecall DELEGATECALL to 0x1111111111111111111111111111111111111111"),
        "{text}"
    );
    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    let (code, text) = run(&strict);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("DANGER untrusted-delegatecall"), "{text}");
    // The hashes are still printed, after the transaction.
    assert!(text.contains("safeTxHash"), "{text}");
}

#[test]
fn gas_refunds_are_each_reported() {
    let (code, text) = run(&with(&[
        ARBITRARY,
        "--gas-price=7",
        "--gas-token=0x2222222222222222222222222222222222222222",
        "--refund-receiver=0x3333333333333333333333333333333333333333",
    ]));
    assert_eq!(code, Some(0), "{text}");
    for line in [
        "  DANGER gas-price gasPrice is 7",
        "  DANGER gas-token the gas refund is paid in token 0x2222222222222222222222222222222222222222",
        "  DANGER refund-receiver gas refunds go to 0x3333333333333333333333333333333333333333",
    ] {
        assert!(text.contains(line), "`{line}` not in {text}");
    }
    assert!(!text.contains("untrusted-delegatecall"), "{text}");
}

#[test]
fn native_value_is_a_notice_failing_only_under_strict() {
    let args = with(&[ARBITRARY, "--value=5"]);
    let (code, text) = run(&args);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("  notice native-value the Safe sends 5 wei"),
        "{text}"
    );
    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    let (code, text) = run(&strict);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("  NOTICE native-value"), "{text}");
}

#[test]
fn json_carries_the_findings() {
    let (code, text) = run(&with(&[ARBITRARY, "--operation=1", "--value=5", "--json"]));
    assert_eq!(code, Some(0), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{json}");
    assert_eq!(findings[0]["code"], "untrusted-delegatecall");
    assert_eq!(findings[0]["severity"], "danger");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("0x1111111111111111111111111111111111111111")
    );
    assert_eq!(findings[1]["code"], "native-value");
    assert_eq!(findings[1]["severity"], "notice");
    // The existing keys are unchanged.
    assert_eq!(json["operation"], "1");
    assert!(json["safe_tx_hash"].is_string());

    let (code, text) = run(&with(&[
        "--to=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        "--json",
        "--strict",
    ]));
    assert_eq!(code, Some(0), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn multisend_call_only_by_delegatecall_is_clean() {
    // MultiSendCallOnly 1.4.1, canonical, on chain 1, with operation 1.
    let (code, text) = run(&MAINNET_BATCH
        .iter()
        .copied()
        .chain(["--strict"])
        .collect::<Vec<_>>());
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("operation       1 (DELEGATECALL)"), "{text}");
    assert!(text.contains("\nChecks: none\n"), "{text}");
}

#[test]
fn full_multisend_by_delegatecall_is_a_danger() {
    // MultiSend 1.4.1, canonical: it can itself DELEGATECALL.
    let (code, text) = run(&with(&[
        "--to=0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526",
        "--operation=1",
        "--strict",
    ]));
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("  DANGER full-multisend "), "{text}");
}

#[test]
fn nested_approve_hash_is_unchanged_and_unchecked() {
    let (code, text) = run(&with(&[
        ARBITRARY,
        "--operation=1",
        "--nested-safe=0x4444444444444444444444444444444444444444",
        "--nested-nonce=3",
    ]));
    assert_eq!(code, Some(0), "{text}");
    let (parent, nested) = text.split_once("Nested Safe").unwrap();
    assert!(parent.contains("DANGER untrusted-delegatecall"), "{text}");
    assert!(nested.contains("operation       0 (CALL)"), "{text}");
    assert!(!nested.contains("Checks"), "{text}");
    assert_eq!(text.matches("Checks").count(), 1, "{text}");
}

#[test]
fn messages_have_no_checks() {
    let (code, text) = run(&with(&["--message=hello"]));
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("Checks"), "{text}");
    let (_, json) = run(&with(&["--message=hello", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json.get("findings").is_none(), "{json}");
    assert_usage_error(&with(&["--message=hello", "--strict"]), &["--strict"]);
}

#[test]
fn only_a_multi_send_call_only_the_signer_names_is_trusted_on_an_unknown_chain() {
    let devnet = [
        "hash",
        "--chain-id=31337",
        "--safe=0x5EA1d9A6dDC3A0329378a327746D71A2019eC332",
        "--safe-version=1.4.1",
        "--to=0x1234000000000000000000000000000000005678",
        "--operation=1",
        "--nonce=6",
        "--strict",
    ];
    let (code, text) = run(&devnet);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("pass it with --multi-send-call-only"),
        "{text}"
    );
    let named: Vec<&str> = devnet
        .iter()
        .copied()
        .chain(["--multi-send-call-only=0x1234000000000000000000000000000000005678"])
        .collect();
    let (code, text) = run(&named);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("untrusted-delegatecall"), "{text}");
    // On a known chain the flag must name a listed MultiSendCallOnly.
    let mainnet: Vec<&str> = named
        .iter()
        .map(|a| {
            if *a == "--chain-id=31337" {
                "--chain-id=1"
            } else {
                a
            }
        })
        .collect();
    let output = bundlec().args(&mainnet).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not a MultiSendCallOnly 1.4.1 of chain 1"),
        "{stderr}"
    );
}
