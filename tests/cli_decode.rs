//! `bundlec decode` as a user meets it.

mod common;

use common::bundlec;

const FORWARDED_DELIST: &str = "0xa64cfe10000000000000000000000000777777777777777777777777777777777777777700000000000000000000000000000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000000024e63079e3000000000000000000000000000000000000000000000000000000000000002a00000000000000000000000000000000000000000000000000000000";

#[test]
fn decodes_hex_and_at_file_alike() {
    let direct = bundlec()
        .args(["decode", FORWARDED_DELIST])
        .output()
        .unwrap();
    assert!(
        direct.status.success(),
        "{}",
        String::from_utf8_lossy(&direct.stderr)
    );
    let text = String::from_utf8(direct.stdout.clone()).unwrap();
    assert!(
        text.contains("executeGovernanceCall(") && text.contains("delistJob(jobId=42)"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calldata.hex");
    std::fs::write(&file, format!("{FORWARDED_DELIST}\n")).unwrap();
    let from_file = bundlec()
        .arg("decode")
        .arg(format!("@{}", file.display()))
        .output()
        .unwrap();
    assert_eq!(from_file.stdout, direct.stdout);
}

#[test]
fn json_gives_the_same_tree_as_data() {
    let output = bundlec()
        .args(["decode", FORWARDED_DELIST, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let tree: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(tree["signature"], "executeGovernanceCall(address,bytes)");
    assert_eq!(tree["children"][0]["signature"], "delistJob(uint256)");
    assert_eq!(tree["children"][0]["args"][0]["value"], "42");
    assert_eq!(
        tree["children"][0]["to"],
        "0x7777777777777777777777777777777777777777"
    );
}

#[test]
fn abi_dir_adds_and_overrides_abis() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Custom.json"),
        r#"[{"type":"function","name":"rescue","inputs":[{"name":"who","type":"address"}],"outputs":[],"stateMutability":"nonpayable"}]"#,
    )
    .unwrap();
    // rescue(address)
    let selector = "0x839006f2";
    let data =
        format!("{selector}0000000000000000000000002222222222222222222222222222222222222222");
    let without = bundlec().args(["decode", &data]).output().unwrap();
    assert!(String::from_utf8_lossy(&without.stdout).contains("UNKNOWN"));
    let with = bundlec()
        .args(["decode", &data, "--abi-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert!(
        String::from_utf8_lossy(&with.stdout)
            .contains("rescue(who=0x2222222222222222222222222222222222222222)")
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Broken.json"), "[{").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["decode".into(), "0xabc".into()], "hex"),
        (
            vec!["decode".into(), "@/nonexistent/calldata".into()],
            "/nonexistent/calldata",
        ),
        (
            vec![
                "decode".into(),
                "0x8456cb59".into(),
                "--abi-dir".into(),
                dir.path().display().to_string(),
            ],
            "Broken.json",
        ),
        // delistJob(uint256) with a truncated argument.
        (
            vec!["decode".into(), "0xe63079e30000".into()],
            "delistJob(uint256)",
        ),
        (
            vec![
                "decode".into(),
                "0x8456cb59".into(),
                "--to".into(),
                "0xAbc".into(),
            ],
            "--to",
        ),
    ];
    for (args, needle) in cases {
        let output = bundlec().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

/// A `bytesN` argument keeps only N bytes of its word on screen: bytes
/// hidden in the rest of the word are refused, not silently dropped.
#[test]
fn bytes_hidden_in_fixed_bytes_padding_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Collider.json"),
        r#"[{"type":"function","name":"collate_propagate_storage","inputs":[{"name":"x","type":"bytes16"}],"outputs":[],"stateMutability":"nonpayable"}]"#,
    )
    .unwrap();
    let word = |last: &str| format!("0x42966c68{}{last}", "0".repeat(62));
    let output = common::bundlec()
        .args(["decode", "--abi-dir"])
        .arg(dir.path())
        .arg(word("01"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("padding"));
    let clean = common::bundlec()
        .args(["decode", "--abi-dir"])
        .arg(dir.path())
        .arg(word("00"))
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
}
