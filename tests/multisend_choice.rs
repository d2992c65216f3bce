//! Which MultiSendCallOnly a batch goes through (`[safe] singleton`,
//! `deployment_type`, `multi_send_call_only` and verify's flags), chains the
//! table does not know, and an empty batch, through the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::bundlec;
use serde_json::Value;

const SAFE: &str = "0x5afe000000000000000000000000000000000001";
const DEVNET_MSCO: &str = "0x1234000000000000000000000000000000005678";

/// A directory with the example address book for `chain` and `p.toml`.
fn workspace(chain: u64, version: &str, safe_extra: &str) -> tempfile::TempDir {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deployments")).unwrap();
    let book = fs::read_to_string(root.join("fixtures/runbooks/deployments/example.toml"))
        .unwrap()
        .replace("\nchain_id = 1\n", &format!("\nchain_id = {chain}\n"));
    fs::write(dir.path().join("deployments/example.toml"), book).unwrap();
    let intent = format!(
        "[bundle]\nname = \"t\"\ncreated_at = 1764374400000\nmax_gas = 10000000\n\n\
         [safe]\naddress = \"{SAFE}\"\nchain_id = {chain}\nversion = \"{version}\"\nnonce = 1\n{safe_extra}\n\n\
         [deployment]\nfile = \"deployments/example.toml\"\n\n\
         [[intent]]\nkind = \"pause\"\nmodules = \"all\"\n"
    );
    fs::write(dir.path().join("p.toml"), intent).unwrap();
    dir
}

fn build(dir: &Path) -> (i32, String) {
    let out = bundlec()
        .current_dir(dir)
        .args(["build", "p.toml"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `to` of the batch's Safe transaction in the manifest.
fn manifest_to(dir: &Path) -> String {
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("p.safe.json")).unwrap()).unwrap();
    manifest["batches"][0]["safe_tx"]["to"]
        .as_str()
        .unwrap()
        .to_string()
}

fn verify(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = bundlec()
        .current_dir(dir)
        .args(["verify", "p.json", "--json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn target(chain: &str, version: &str) -> Vec<String> {
    [
        "--chain-id",
        chain,
        "--safe",
        SAFE,
        "--safe-version",
        version,
        "--nonce",
        "1",
        "--manifest",
        "p.safe.json",
    ]
    .map(str::to_string)
    .to_vec()
}

#[test]
fn zksync_batches_through_the_multi_send_call_only_of_the_master_copys_type() {
    let cases = [
        // (version, [safe] key, expected MultiSendCallOnly, verify flags that agree)
        (
            "1.3.0",
            "",
            "0xf220D3b4DFb23C4ade8C88E526C1353AbAcbC38F",
            vec![],
        ),
        (
            "1.3.0",
            "deployment_type = \"zksync\"",
            "0xf220D3b4DFb23C4ade8C88E526C1353AbAcbC38F",
            vec!["--deployment-type", "zksync"],
        ),
        (
            "1.3.0",
            "deployment_type = \"canonical\"",
            "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D",
            vec!["--deployment-type", "canonical"],
        ),
        (
            "1.3.0",
            "singleton = \"0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552\"",
            "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D",
            vec!["--singleton", "0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552"],
        ),
        (
            "1.3.0",
            "deployment_type = \"eip155\"",
            "0xA1dabEF33b3B82c7814B6D82A79e50F4AC44102B",
            vec!["--deployment-type", "eip155"],
        ),
        (
            "1.3.0+L2",
            "singleton = \"0x1727c2c531cf966f902E5927b98490fDFb3b2b70\"",
            "0xf220D3b4DFb23C4ade8C88E526C1353AbAcbC38F",
            vec!["--singleton", "0x1727c2c531cf966f902E5927b98490fDFb3b2b70"],
        ),
        (
            "1.4.1",
            "",
            "0x0408EF011960d02349d50286D20531229BCef773",
            vec![],
        ),
        (
            "1.4.1",
            "singleton = \"0x29fcB43b46531BcA003ddC8FCB67FFE91900C762\"",
            "0x9641d764fc13c8B624c04430C7356C1C7C8102e2",
            vec!["--singleton", "0x29fcB43b46531BcA003ddC8FCB67FFE91900C762"],
        ),
        (
            "1.4.1",
            "deployment_type = \"canonical\"",
            "0x9641d764fc13c8B624c04430C7356C1C7C8102e2",
            vec!["--deployment-type", "canonical"],
        ),
    ];
    for (version, key, expected, flags) in cases {
        let dir = workspace(324, version, key);
        let (code, stderr) = build(dir.path());
        assert_eq!(code, 0, "{version} {key}: {stderr}");
        assert_eq!(manifest_to(dir.path()), expected, "{version} {key}");

        // The intent picks the same contract.
        let (code, report, stderr) = verify(dir.path(), &["--intent", "p.toml"]);
        assert_eq!(code, 0, "{version} {key}: {stderr} {report}");

        // The signer's flags alone verify the batch against its manifest.
        let mut args = target("324", version);
        args.extend(flags.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, report, stderr) = verify(dir.path(), &args);
        assert_eq!(code, 0, "{version} {key}: {stderr} {report}");
        assert_eq!(report["verdict"], "verified");
    }
}

#[test]
fn verify_without_the_master_copy_flag_disagrees_with_a_canonical_zksync_batch() {
    let dir = workspace(324, "1.3.0", "deployment_type = \"canonical\"");
    assert_eq!(build(dir.path()).0, 0);
    let args = target("324", "1.3.0");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report, _) = verify(dir.path(), &args);
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"manifest-mismatch".into()));
}

#[test]
fn a_singleton_and_type_that_disagree_or_a_wrong_singleton_are_refused() {
    let dir = workspace(
        324,
        "1.3.0",
        "singleton = \"0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552\"\ndeployment_type = \"zksync\"",
    );
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("p.toml:12:"), "{stderr}");
    assert!(stderr.contains("disagree"), "{stderr}");

    // The 1.4.1 singleton for a 1.3.0 Safe: named, and the right ones listed.
    let dir = workspace(
        324,
        "1.3.0",
        "singleton = \"0x41675C099F32341bf84BFc5382aF534df5C7461a\"",
    );
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("p.toml:11:"), "{stderr}");
    assert!(stderr.contains("it is Safe 1.4.1 (canonical)"), "{stderr}");
    assert!(
        stderr.contains("0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552 (canonical)"),
        "{stderr}"
    );

    // A type the chain does not list for the release.
    let dir = workspace(324, "1.4.1", "deployment_type = \"eip155\"");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("only as"), "{stderr}");

    // The same through verify's flags.
    let dir = workspace(324, "1.3.0", "");
    assert_eq!(build(dir.path()).0, 0);
    let mut args = target("324", "1.3.0");
    args.extend(
        [
            "--singleton",
            "0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552",
            "--deployment-type",
            "zksync",
        ]
        .map(str::to_string),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = verify(dir.path(), &args);
    assert_eq!(code, 2);
    assert!(stderr.contains("disagree"), "{stderr}");
}

#[test]
fn a_known_chain_refuses_a_multi_send_call_only_it_does_not_list() {
    let dir = workspace(
        324,
        "1.3.0",
        &format!("multi_send_call_only = \"{DEVNET_MSCO}\""),
    );
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("p.toml:11:"), "{stderr}");
    assert!(
        stderr.contains("is not a MultiSendCallOnly 1.3.0 of chain 324"),
        "{stderr}"
    );
    // A listed one is accepted, and picks its type.
    let dir = workspace(
        324,
        "1.3.0",
        "multi_send_call_only = \"0x40A2aCCbd92BCA938b02010E17A5b8929b49130D\"",
    );
    assert_eq!(build(dir.path()).0, 0);
    assert_eq!(
        manifest_to(dir.path()),
        "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D"
    );
    // verify's flag cannot make an unlisted address trusted on a known chain.
    let mut args = target("324", "1.3.0");
    args.extend(["--multi-send-call-only", DEVNET_MSCO].map(str::to_string));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = verify(dir.path(), &args);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a MultiSendCallOnly"), "{stderr}");
}

#[test]
fn an_unknown_chain_needs_the_multi_send_call_only_named() {
    let dir = workspace(31337, "1.4.1", "");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no MultiSendCallOnly 1.4.1 deployment is known on chain 31337"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[safe] multi_send_call_only = \"0x…\""),
        "{stderr}"
    );
    assert!(stderr.contains("--multi-send-call-only"), "{stderr}");

    let dir = workspace(
        31337,
        "1.4.1",
        &format!("multi_send_call_only = \"{DEVNET_MSCO}\""),
    );
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        manifest_to(dir.path()).to_lowercase(),
        DEVNET_MSCO.to_lowercase()
    );

    // Without the signer's flag, verify cannot pick the contract.
    let args = target("31337", "1.4.1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = verify(dir.path(), &args);
    assert_eq!(code, 2);
    assert!(stderr.contains("--multi-send-call-only"), "{stderr}");

    // With it, the batch verifies against its manifest.
    let mut flagged = target("31337", "1.4.1");
    flagged.extend(["--multi-send-call-only", DEVNET_MSCO].map(str::to_string));
    let flagged: Vec<&str> = flagged.iter().map(String::as_str).collect();
    let (code, report, stderr) = verify(dir.path(), &flagged);
    assert_eq!(code, 0, "{stderr} {report}");
    assert_eq!(report["verdict"], "verified");
}

#[test]
fn only_the_signer_can_vouch_for_a_multi_send_call_only_outside_the_table() {
    // An intent written by a compromised proposer names its own "MultiSendCallOnly".
    let dir = workspace(
        31337,
        "1.4.1",
        &format!("multi_send_call_only = \"{DEVNET_MSCO}\""),
    );
    assert_eq!(build(dir.path()).0, 0);
    let (code, report, _) = verify(dir.path(), &["--intent", "p.toml"]);
    assert_eq!(code, 1, "{report}");
    assert!(codes(&report).contains(&"untrusted-delegatecall".into()));
    let teaches = report["findings"].as_array().unwrap().iter().any(|f| {
        f["code"] == "untrusted-delegatecall"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("pass it with --multi-send-call-only")
    });
    assert!(teaches, "{report}");

    let (code, report, stderr) = verify(
        dir.path(),
        &["--intent", "p.toml", "--multi-send-call-only", DEVNET_MSCO],
    );
    assert_eq!(code, 0, "{stderr} {report}");
    assert!(!codes(&report).contains(&"untrusted-delegatecall".into()));

    // Another address from the signer: the Safe transaction the signer
    // computes goes there, not where the manifest says, so it fails.
    let (code, report, _) = verify(
        dir.path(),
        &[
            "--intent",
            "p.toml",
            "--multi-send-call-only",
            "0x9999000000000000000000000000000000009999",
            "--manifest",
            "p.safe.json",
        ],
    );
    assert_eq!(code, 1, "{report}");
    let found = codes(&report);
    assert!(found.contains(&"manifest-mismatch".into()), "{found:?}");
    assert!(found.contains(&"flag-override".into()), "{found:?}");
}

#[test]
fn an_empty_batch_loads_but_there_is_nothing_to_sign() {
    let dir = tempfile::tempdir().unwrap();
    let batch = serde_json::json!({
        "version": "1.0",
        "chainId": "1",
        "createdAt": 1764374400000u64,
        "meta": {"name": "empty", "createdFromSafeAddress": SAFE},
        "transactions": []
    });
    fs::write(dir.path().join("p.json"), batch.to_string()).unwrap();
    let args = [
        "--chain-id",
        "1",
        "--safe",
        SAFE,
        "--safe-version",
        "1.4.1",
        "--nonce",
        "1",
    ];
    let (code, _, stderr) = verify(dir.path(), &args);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("loads it as an empty batch, but there is nothing to sign"),
        "{stderr}"
    );
    assert!(!stderr.contains("would load"), "{stderr}");
}
