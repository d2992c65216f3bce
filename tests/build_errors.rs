//! Broken intent and deployment files: each `bundlec build` exits 2 with
//! `error: file:line:column: message` pointing at the mistake, and writes
//! nothing.

mod common;

use common::bundlec;

/// (fixture, the place the error names, a fragment of the message).
const CASES: &[(&str, &str, &str)] = &[
    (
        "unknown-key.toml",
        "unknown-key.toml:16:1",
        "unknown field `treshold`",
    ),
    (
        "unknown-module.toml",
        "unknown-module.toml:22:12",
        "unknown module `JobRegistery`",
    ),
    (
        "non-pausable-module.toml",
        "non-pausable-module.toml:22:27",
        "`Thermostat` has no pause()",
    ),
    (
        "bad-address.toml",
        "bad-address.toml:6:11",
        "is not an address",
    ),
    (
        "eip55-failure.toml",
        "eip55-failure.toml:10:11",
        "not a valid EIP-55 checksum",
    ),
    (
        "deployment-eip55-failure.toml",
        "deployments/bad-checksum.toml:8:20",
        "contracts.PlatformRegistry",
    ),
    (
        "overflowing-uint.toml",
        "overflowing-uint.toml:24:8",
        "256 does not fit in uint8",
    ),
    (
        "duplicate-job-id.toml",
        "duplicate-job-id.toml:24:18",
        "job 5 is listed twice",
    ),
    (
        "job-range-backwards.toml",
        "job-range-backwards.toml:23:11",
        "runs backwards",
    ),
    (
        "missing-nonce.toml",
        "missing-nonce.toml:5:1",
        "missing field `nonce`",
    ),
    (
        "unknown-safe-version.toml",
        "unknown-safe-version.toml:8:11",
        "unsupported Safe version `1.4.0`",
    ),
    (
        "unknown-layout.toml",
        "deployments/unknown-layout.toml:3:10",
        "unknown layout `hub-and-spoke`",
    ),
    (
        "unknown-intent-kind.toml",
        "unknown-intent-kind.toml:21:8",
        "unknown intent kind `freeze`",
    ),
    (
        "rotate-to-zero.toml",
        "rotate-to-zero.toml:22:6",
        "zero address",
    ),
    (
        "rotate-to-unlabelled.toml",
        "rotate-to-unlabelled.toml:22:6",
        "confirm_unlabelled = true",
    ),
    (
        "unknown-old-owner.toml",
        "unknown-old-owner.toml:22:17",
        "signer-dave is not an owner",
    ),
    (
        "threshold-above-owners.toml",
        "threshold-above-owners.toml:23:13",
        "threshold 3 is out of range",
    ),
    (
        "missing-accept.toml",
        "missing-accept.toml:20:1",
        "needs an [accept] table",
    ),
    (
        "file-and-inline-deployment.toml",
        "file-and-inline-deployment.toml:11:1",
        "has `file` and inline keys",
    ),
    (
        "max-calls-too-small.toml",
        "max-calls-too-small.toml:4:13",
        "max_calls = 4 is too small",
    ),
    (
        "missing-deployment-file.toml",
        "missing-deployment-file.toml:18:8",
        "cannot read the deployment file",
    ),
    (
        "missing-abi-file.toml",
        "deployments/missing-abi.toml:8:1",
        "cannot read the ABI of FeePool",
    ),
    (
        "contract-name-typo.toml",
        "deployments/contract-name-typo.toml:22:1",
        "`JobRegistery` is not a contract of AGI Jobs (did you mean JobRegistry?): [contracts] holds only",
    ),
    (
        "unknown-contract.toml",
        "deployments/unknown-contract.toml:18:1",
        "`Treasury` is not a contract of AGI Jobs: [contracts] holds only its contracts",
    ),
    (
        "absent-and-listed.toml",
        "deployments/absent-and-listed.toml:15:3",
        "`ArbitratorCommittee` is listed in `absent` (not deployed) and in [contracts]",
    ),
    (
        "unknown-absent-name.toml",
        "deployments/unknown-absent-name.toml:15:3",
        "`ArbitratorComittee` in `absent` is not a contract of AGI Jobs (did you mean ArbitratorCommittee?)",
    ),
    (
        "pause-all-missing-module.toml",
        "pause-all-missing-module.toml:22:11",
        "no address for ArbitratorCommittee: add it to [contracts], or, if it is not deployed, write `absent = [\"ArbitratorCommittee\"]`",
    ),
    (
        "chain-mismatch.toml",
        "chain-mismatch.toml:5:1",
        "the Safe is on chain 10 but the deployment is for chain 1",
    ),
];

#[test]
fn every_broken_file_names_its_place_and_exits_2() {
    assert!(CASES.len() >= 15);
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (fixture, place, fragment) in CASES {
        let path = format!("fixtures/runbooks/{fixture}");
        let output = bundlec()
            .current_dir(root)
            .args(["build", &path, "--out-dir"])
            .arg(out.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected_start = format!("error: fixtures/runbooks/{place}: ");
        if output.status.code() != Some(2)
            || !stderr.starts_with(&expected_start)
            || !stderr.contains(fragment)
            || stderr.lines().count() != 1
        {
            failures.push(format!(
                "{fixture}: exit {:?}, expected `{expected_start}…{fragment}…`, got: {stderr}",
                output.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing is written"
    );
}

#[test]
fn errors_of_several_files_are_all_reported() {
    let output = bundlec()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "fixtures/runbooks/unknown-module.toml",
            "fixtures/runbooks/rotate-to-zero.toml",
            "--check",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("error: fixtures/runbooks/unknown-module.toml:22:12: "));
    assert!(lines[1].starts_with("error: fixtures/runbooks/rotate-to-zero.toml:22:6: "));
}

#[test]
fn an_unreadable_intent_file_is_bad_input() {
    let output = bundlec()
        .args(["build", "no/such/intent.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot read no/such/intent.toml: "),
        "{stderr}"
    );
}
