//! Errors that teach: each mistake a new user makes in a first try names its
//! exact place and says what to write instead, through the binary (exit 2,
//! nothing written). Also the explicit pause state refunds depend on.

mod common;

use std::path::Path;

use common::bundlec;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Builds `fixtures/runbooks/<fixture>` into an empty directory and checks
/// the one error line: exit 2, `error: <place>: `, every fragment, no file.
fn assert_build_error(fixture: &str, place: &str, fragments: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = bundlec()
        .current_dir(ROOT)
        .args([
            "build",
            &format!("fixtures/runbooks/{fixture}"),
            "--out-dir",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{fixture}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{fixture}: {stderr}");
    let start = format!("error: fixtures/runbooks/{place}: ");
    assert!(
        stderr.starts_with(&start),
        "{fixture}: expected {start}…, got {stderr}"
    );
    for fragment in fragments {
        assert!(
            stderr.contains(fragment),
            "{fixture}: no `{fragment}` in {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "{fixture}: a file was written"
    );
    stderr
}

/// An intent file beside a copy of the fixtures' address book.
fn runbook_dir(body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("deployments")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("fixtures/runbooks/deployments/example.toml"),
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    let text = format!(
        r#"[bundle]
name = "generated"
created_at = 1764374400000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 42

[deployment]
file = "deployments/example.toml"

{body}"#
    );
    std::fs::write(dir.path().join("runbook.toml"), text).unwrap();
    dir
}

fn build_in(dir: &Path) -> std::process::Output {
    bundlec()
        .current_dir(dir)
        .args(["build", "runbook.toml"])
        .output()
        .unwrap()
}

fn manifest_summaries(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("runbook.safe.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["batches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["calls"].as_array().unwrap().clone())
        .map(|c| c["summary"].as_str().unwrap().to_owned())
        .collect()
}

// ---- the pause state refunds depend on --------------------------------------

#[test]
fn a_refund_under_system_pause_must_say_whether_the_protocol_is_paused() {
    assert_build_error(
        "refund-without-system-paused.toml",
        "refund-without-system-paused.toml:21:1",
        &[
            "`refund-jobs` needs `system_paused = true` or `system_paused = false`",
            "JobRegistry refuses refunds while it or StakeManager is paused",
            "no earlier intent of this file pauses or unpauses JobRegistry or StakeManager",
        ],
    );
}

#[test]
fn an_earlier_intent_must_set_the_state_of_every_contract_the_refund_needs() {
    // JobRegistry was unpaused earlier; StakeManager's state is still unknown.
    assert_build_error(
        "refund-after-partial-unpause.toml",
        "refund-after-partial-unpause.toml:25:1",
        &[
            "needs `system_paused = true` or `system_paused = false`",
            "no earlier intent of this file pauses or unpauses StakeManager.",
        ],
    );
}

#[test]
fn a_state_set_earlier_in_the_file_needs_no_system_paused() {
    let dir = runbook_dir(
        "[[intent]]\nkind = \"unpause\"\nmodules = [\"StakeManager\", \"JobRegistry\"]\n\n[[intent]]\nkind = \"refund-jobs\"\ndelist = [5]\n",
    );
    let output = build_in(dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        manifest_summaries(dir.path()),
        [
            "unpause StakeManager via SystemPause",
            "unpause JobRegistry via SystemPause",
            "JobRegistry.delistJob(5) via SystemPause"
        ]
    );
    // Paused earlier: the refund without the wrap would revert.
    let dir = runbook_dir(
        "[[intent]]\nkind = \"pause\"\nmodules = \"all\"\n\n[[intent]]\nkind = \"refund-jobs\"\ndelist = [5]\n",
    );
    let output = build_in(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: runbook.toml:18:1: JobRegistry is already paused"),
        "{stderr}"
    );
    assert!(stderr.contains("set `system_paused = true`"), "{stderr}");
}

#[test]
fn a_raw_refund_call_follows_the_same_rule() {
    assert_build_error(
        "raw-refund-call.toml",
        "raw-refund-call.toml:23:12",
        &[
            "JobRegistry.delistJob depends on the pause state",
            "JobRegistry refuses refunds while it or StakeManager is paused",
            "write it as a `refund-jobs` intent (`delist`)",
        ],
    );
    // Once the file says the state, the raw call builds.
    let dir = runbook_dir(
        "[[intent]]\nkind = \"unpause\"\nmodules = [\"JobRegistry\", \"StakeManager\"]\n\n[[intent]]\nkind = \"call\"\ncontract = \"JobRegistry\"\nfunction = \"delistJob\"\nargs = [5]\n",
    );
    let output = build_in(dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---- errors that teach --------------------------------------------------------

#[test]
fn a_single_range_or_id_is_a_one_element_list() {
    let dir = runbook_dir(
        "[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = false\ndelist = \"1..3\"\nclaim_timeout = 7\n",
    );
    let output = build_in(dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        manifest_summaries(dir.path()),
        [
            "JobRegistry.delistJob(1) via SystemPause",
            "JobRegistry.delistJob(2) via SystemPause",
            "JobRegistry.delistJob(3) via SystemPause",
            "JobRegistry.claimTimeout(7) via SystemPause",
        ]
    );
    // A lone value keeps the key's place in errors.
    let dir = runbook_dir(
        "[[intent]]\nkind = \"refund-jobs\"\nsystem_paused = false\ndelist = \"9..1\"\n",
    );
    let output = build_in(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: runbook.toml:17:10: job range `9..1` runs backwards"),
        "{stderr}"
    );
}

#[test]
fn a_dashed_range_says_how_ranges_are_written() {
    assert_build_error(
        "job-range-dash.toml",
        "job-range-dash.toml:23:14",
        &[
            "`10-500` is not a uint256",
            "ranges are written \"from..to\"",
            "write \"10..500\"",
        ],
    );
}

#[test]
fn a_quoted_nonce_shows_the_line_to_write() {
    assert_build_error(
        "nonce-as-string.toml",
        "nonce-as-string.toml:9:9",
        &["nonce must be a number, not the string \"17\": write nonce = 17"],
    );
}

#[test]
fn every_module_without_a_pause_is_reported_at_once() {
    let stderr = assert_build_error(
        "non-pausable-modules.toml",
        "non-pausable-modules.toml:22:27",
        &[
            "`Thermostat` and `JobRouter` have no pause()",
            "Thermostat at 22:27, JobRouter at 22:52",
            "remove them from `modules`",
            "the pausable modules are JobRegistry, StakeManager, ValidationModule, DisputeModule, \
             PlatformRegistry, FeePool, ReputationEngine, ArbitratorCommittee, CertificateNFT, AttestationRegistry",
        ],
    );
    assert!(!stderr.contains("FeePool` "), "{stderr}");
}

#[test]
fn a_manifest_given_as_the_batch_says_to_pass_it_with_manifest() {
    let output = bundlec()
        .current_dir(ROOT)
        .args(["verify", "bundles/pause.safe.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim_end(),
        "error: bundles/pause.safe.json: this is a bundlec manifest (it has `batches`), not a Transaction \
         Builder batch: pass it with --manifest beside its batch: bundlec verify bundles/pause.json \
         --manifest bundles/pause.safe.json"
    );
    // The suggested command is one that works.
    let output = bundlec()
        .current_dir(ROOT)
        .args([
            "verify",
            "bundles/pause.json",
            "--manifest",
            "bundles/pause.safe.json",
        ])
        .output()
        .unwrap();
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_labels_table_is_spelled_as_the_edited_file_spells_it() {
    let stderr = assert_build_error(
        "rotate-to-unlabelled.toml",
        "rotate-to-unlabelled.toml:22:6",
        &["Add it to [labels] of deployments/example.toml or set `confirm_unlabelled = true`"],
    );
    assert!(!stderr.contains("[deployment.labels]"), "{stderr}");
    assert_build_error(
        "rotate-to-unlabelled-inline.toml",
        "rotate-to-unlabelled-inline.toml:25:6",
        &["Add it to [deployment.labels] or set `confirm_unlabelled = true`"],
    );
}

#[test]
fn when_one_of_several_runbooks_fails_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    let output = bundlec()
        .current_dir(ROOT)
        .args([
            "build",
            "bundles/pause.toml",
            "fixtures/runbooks/nonce-as-string.toml",
            "--out-dir",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("error: fixtures/runbooks/nonce-as-string.toml:9:9: "),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "error: nothing was written: 1 of 2 runbooks failed; fix the errors above and build again"
    );
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing is written"
    );
    assert!(String::from_utf8_lossy(&output.stdout).is_empty());
}

#[test]
fn a_safe_threshold_error_points_at_the_key() {
    assert_build_error(
        "safe-threshold-out-of-range.toml",
        "safe-threshold-out-of-range.toml:15:13",
        &["[safe] threshold 5 is out of range for its 3 owners"],
    );
}

#[test]
fn a_call_value_error_points_at_the_key() {
    assert_build_error(
        "call-value-not-payable.toml",
        "call-value-not-payable.toml:24:9",
        &["TaxPolicy.bumpPolicyVersion() is not payable, so `value` must be 0 (got 1000 wei)"],
    );
    assert_build_error(
        "call-value-through-hub.toml",
        "call-value-through-hub.toml:25:9",
        &["which forwards no ETH: `value` must be 0 (got 7 wei)"],
    );
}
