//! A runbook that now builds fewer batch parts must not leave the old parts
//! behind: they carry valid checksums and the next nonces.

mod common;

use common::bundlec;

/// A folder of its own holding the example address book, and the text of
/// the shipped runbook `bundles/{name}.toml` (the caller writes it there,
/// changed as it needs, under the name it needs).
fn example_folder(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("deployments")).unwrap();
    std::fs::copy(
        "bundles/deployments/example.toml",
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(format!("bundles/{name}.toml")).unwrap();
    (dir, text)
}

/// The example unpause runbook (split into parts by `max_calls = 2`) and its
/// address book, copied into a folder of their own: the folder, the runbook's
/// path there, and its text.
fn unpause_in_a_folder() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (dir, text) = example_folder("unpause");
    let intent = dir.path().join("unpause.toml");
    (dir, intent, text)
}

#[test]
fn parts_a_build_no_longer_produces_are_reported_and_removed() {
    let (dir, intent, text) = unpause_in_a_folder();
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

/// A previous manifest that cannot be read as one (not JSON, or over
/// `--max-input-bytes`, like any input) removes nothing: the build says so
/// and writes its outputs; the parts it listed stay.
#[test]
fn a_manifest_that_cannot_be_read_removes_nothing() {
    let (dir, intent, text) = unpause_in_a_folder();
    std::fs::write(&intent, &text).unwrap();
    bundlec().arg("build").arg(&intent).assert().success();
    let part = dir.path().join("unpause.3.json");
    assert!(part.exists());
    std::fs::write(&intent, text.replace("max_calls = 2", "max_calls = 100")).unwrap();
    let manifest = dir.path().join("unpause.safe.json");
    let listed = std::fs::read_to_string(&manifest).unwrap();

    // One byte under the manifest: the runbook and its address book still fit.
    let under = (listed.len() - 1).to_string();
    let cases: [(&str, String, Option<&str>); 2] = [
        ("not JSON", format!("{listed}}}"), None),
        ("over the limit", listed.clone(), Some(under.as_str())),
    ];
    for (what, contents, limit) in cases {
        std::fs::write(&manifest, &contents).unwrap();
        let mut command = bundlec();
        if let Some(limit) = limit {
            command.args(["--max-input-bytes", limit]);
        }
        let build = command.arg("build").arg(&intent).output().unwrap();
        let stdout = String::from_utf8_lossy(&build.stdout);
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert!(build.status.success(), "{what}: {stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("is not a manifest bundlec can read"),
            "{what}: {stdout} {stderr}"
        );
        assert!(part.exists(), "{what}: a listed part was removed");
        std::fs::write(&intent, &text).unwrap();
        bundlec().arg("build").arg(&intent).assert().success();
        std::fs::write(&intent, text.replace("max_calls = 2", "max_calls = 100")).unwrap();
    }
}

/// What a successful `bundlec build INTENT` says, on both streams.
fn rebuilt(intent: &std::path::Path) -> String {
    let build = bundlec().arg("build").arg(intent).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(build.status.success(), "{said}");
    said
}

/// A rebuild that writes every file the folder already holds for the
/// runbook has nothing stale to remove, so its previous manifest is not
/// read at all: not even one that is not JSON draws the note. With a part
/// on disk that the rebuild does not write, it is read (and that note is
/// given, above).
#[test]
fn a_rebuild_of_the_same_files_does_not_read_the_previous_manifest() {
    let (dir, intent, text) = unpause_in_a_folder();
    std::fs::write(&intent, &text).unwrap();
    bundlec().arg("build").arg(&intent).assert().success();
    let manifest = dir.path().join("unpause.safe.json");
    assert!(dir.path().join("unpause.3.json").exists());
    std::fs::write(&manifest, "not a manifest").unwrap();
    let said = rebuilt(&intent);
    assert!(
        !said.contains("is not a manifest bundlec can read"),
        "{said}"
    );
    // The manifest is written again, and lists the parts once more.
    let listed = std::fs::read_to_string(&manifest).unwrap();
    assert!(listed.contains("\"unpause.3.json\""), "{listed}");

    // A file named like an output of the runbook, which it does not write,
    // makes the manifest worth reading.
    std::fs::write(&manifest, "not a manifest").unwrap();
    std::fs::write(dir.path().join("UNPAUSE.9.json"), "{}").unwrap();
    let said = rebuilt(&intent);
    assert!(
        said.contains("is not a manifest bundlec can read"),
        "{said}"
    );
    assert!(dir.path().join("UNPAUSE.9.json").exists());
}

/// A runbook named beyond ASCII (a final sigma lower-cases differently at
/// the end of a word and before a dot): its pre-signed files for a nonce the
/// range no longer holds are still found, read from its manifest, and
/// removed.
#[test]
fn a_shrunk_nonce_range_removes_its_files_whatever_the_runbook_is_named() {
    let (dir, text) = example_folder("pause-presigned");
    assert!(
        text.contains("nonce = \"42..44\""),
        "the fixture pre-signs 42..44"
    );
    for stem in ["pause-presigned", "ΟΔΟΣ"] {
        let intent = dir.path().join(format!("{stem}.toml"));
        std::fs::write(&intent, &text).unwrap();
        bundlec().arg("build").arg(&intent).assert().success();
        let at_44 = [
            dir.path().join(format!("{stem}.nonce-44.typed.json")),
            dir.path().join(format!("{stem}.nonce-44.proposal.json")),
        ];
        assert!(at_44.iter().all(|p| p.exists()), "{stem}");
        std::fs::write(&intent, text.replace("\"42..44\"", "\"42..43\"")).unwrap();
        let build = bundlec().arg("build").arg(&intent).output().unwrap();
        assert!(build.status.success(), "{stem}");
        let said = String::from_utf8_lossy(&build.stdout).into_owned();
        for path in &at_44 {
            assert!(!path.exists(), "{stem}: {} was kept", path.display());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(said.contains(&name), "{stem}: {said}");
        }
        assert!(
            dir.path()
                .join(format!("{stem}.nonce-43.typed.json"))
                .exists()
        );
    }
}
