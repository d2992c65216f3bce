//! A runbook that now builds fewer batch parts must not leave the old parts
//! behind: they carry valid checksums and the next nonces.

mod common;

use common::bundlec;

#[test]
fn parts_a_build_no_longer_produces_are_reported_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("deployments")).unwrap();
    std::fs::copy(
        "bundles/deployments/example.toml",
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    let intent = dir.path().join("unpause.toml");
    let text = std::fs::read_to_string("bundles/unpause.toml").unwrap();
    assert!(
        text.contains("max_calls = 2"),
        "the fixture relies on unpause being split"
    );
    std::fs::write(&intent, &text).unwrap();
    bundlec().arg("build").arg(&intent).assert().success();
    assert!(dir.path().join("unpause.3.json").exists());

    // Now in one batch: the numbered parts are stale.
    std::fs::write(&intent, text.replace("max_calls = 2", "max_calls = 100")).unwrap();
    let check = bundlec()
        .arg("build")
        .arg("--check")
        .arg(&intent)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("stale:") && stdout.contains("unpause.3.json"),
        "{stdout}"
    );

    let build = bundlec().arg("build").arg(&intent).output().unwrap();
    assert!(build.status.success());
    assert!(String::from_utf8_lossy(&build.stdout).contains("removed"));
    assert!(dir.path().join("unpause.json").exists());
    for part in 1..=5 {
        assert!(
            !dir.path().join(format!("unpause.{part}.json")).exists(),
            "part {part} left behind"
        );
    }
    assert!(dir.path().join("unpause.safe.json").exists());
    bundlec()
        .arg("build")
        .arg("--check")
        .arg(&intent)
        .assert()
        .success();
}
