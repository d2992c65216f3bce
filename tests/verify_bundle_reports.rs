//! The text report of `bundlec verify` for every committed bundle, as signers
//! read it, snapshotted one part per file: a change to what a bundle does, or
//! to how verify tells it, shows up in review. The commands are the CI
//! recipe's (docs/ci.md, docs/ci/check-bundles.sh): all batches of a runbook
//! at once, `--intent`, the signer's `--deployment`, `--strict`, run from the
//! repository root with relative paths so the report prints no machine path.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::bundlec;

const BOOK: &str = "bundles/deployments/example.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every runbook under bundles/ with its batch files, found as the script
/// finds them: `NAME.json`, then the parts `NAME.<digits>.json` and
/// `NAME.accept.json`.
fn runbooks() -> Vec<(String, Vec<String>)> {
    let names = |suffix: &str| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(root().join("bundles"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(suffix))
            .collect();
        names.sort();
        names
    };
    let files = names(".json");
    names(".toml")
        .into_iter()
        .map(|toml| {
            let stem = toml.trim_end_matches(".toml").to_string();
            // NAME.json first, then the others in name order, as the shell's
            // `NAME.json NAME.*.json` lists them.
            let mut batches: Vec<String> = files
                .iter()
                .filter(|f| {
                    let Some(rest) = f.strip_prefix(&format!("{stem}.")) else {
                        return false;
                    };
                    let part = rest.trim_end_matches(".json");
                    rest == "json"
                        || part == "accept"
                        || (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                })
                .cloned()
                .collect();
            batches.sort_by_key(|b| *b != format!("{stem}.json"));
            (stem, batches)
        })
        .collect()
}

/// `bundlec verify BATCHES --intent NAME.toml --deployment BOOK --strict`
/// from the repository root; its exit code and standard output.
fn verify(stem: &str, batches: &[String]) -> (i32, String) {
    verify_with(stem, batches, &[])
}

/// [`verify`] with `extra` arguments added.
fn verify_with(stem: &str, batches: &[String], extra: &[&str]) -> (i32, String) {
    let output = bundlec()
        .current_dir(root())
        .arg("verify")
        .args(batches.iter().map(|b| format!("bundles/{b}")))
        .args(["--intent", &format!("bundles/{stem}.toml")])
        .args(["--deployment", BOOK, "--strict"])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// Splits the report of several parts at its `== part k of n: FILE ==`
/// headers (or a pre-signed range's `== nonce N (k of n pre-signed): FILE ==`,
/// named `FILE@nonce-N`); returns each part's report by name and the closing line.
fn split_parts(report: &str) -> (Vec<(String, String)>, Option<String>) {
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut closing = None;
    for line in report.lines() {
        if let Some(header) = line.strip_prefix("== part ") {
            let file = header
                .split_once(": ")
                .and_then(|(_, rest)| rest.strip_suffix(" =="))
                .unwrap_or_else(|| panic!("bad part header {line:?}"));
            parts.push((file.to_string(), String::new()));
        } else if let Some(header) = line.strip_prefix("== nonce ") {
            let (nonce, file) = header
                .split_once(' ')
                .zip(header.split_once(": "))
                .and_then(|((nonce, _), (_, rest))| Some((nonce, rest.strip_suffix(" ==")?)))
                .unwrap_or_else(|| panic!("bad nonce header {line:?}"));
            parts.push((format!("{file}@nonce-{nonce}"), String::new()));
        } else if line.starts_with("VERIFIED: ") || line.starts_with("FAILED: ") {
            closing = Some(line.to_string());
        } else {
            let (_, text) = parts
                .last_mut()
                .unwrap_or_else(|| panic!("text before the first part: {report}"));
            text.push_str(line);
            text.push('\n');
        }
    }
    // The blank line that separates one part from the next is not the part's.
    for (_, text) in &mut parts {
        while text.ends_with("\n\n") {
            text.pop();
        }
    }
    (parts, closing)
}

#[test]
fn every_bundle_part_verifies_and_its_report_is_snapshotted() {
    let runbooks = runbooks();
    assert_eq!(runbooks.len(), 8, "{runbooks:?}");
    let mut snapshotted = 0;
    for (stem, batches) in &runbooks {
        assert!(!batches.is_empty(), "{stem}.toml has no batch");
        let (code, report) = verify(stem, batches);
        assert_eq!(code, 0, "{stem}:\n{report}");
        assert!(!report.contains(&*root().to_string_lossy()), "{report}");
        // A batch pre-signed at a range of nonces: one report per nonce,
        // each the report of that nonce verified alone.
        if report.starts_with("== nonce ") {
            let (parts, closing) = split_parts(&report);
            assert_eq!(
                closing.as_deref(),
                Some(
                    format!(
                        "VERIFIED: {} pre-signed nonces, each verified at its nonce",
                        parts.len()
                    )
                    .as_str()
                ),
                "{report}"
            );
            assert!(parts.len() > 1, "{report}");
            for (name, text) in parts {
                let (file, nonce) = name.split_once("@nonce-").unwrap();
                assert_eq!([file.to_owned()], batches.as_slice());
                let lines: Vec<&str> = text.lines().collect();
                assert!(
                    lines
                        .first()
                        .unwrap()
                        .starts_with(&format!("VERIFIED  {file}: ")),
                    "{text}"
                );
                assert_eq!(lines.first(), lines.last(), "{text}");
                assert!(
                    text.contains(&format!("  nonce           {nonce}\n")),
                    "{text}"
                );
                let alone = verify_with(stem, batches, &["--nonce", nonce]);
                assert_eq!(alone, (0, text.clone()), "{name} alone");
                insta::assert_snapshot!(name, text);
                snapshotted += 1;
            }
            continue;
        }
        let parts: Vec<(String, String)> = if batches.len() == 1 {
            vec![(batches[0].clone(), report.clone())]
        } else {
            let (parts, closing) = split_parts(&report);
            assert_eq!(
                closing.as_deref(),
                Some(
                    format!(
                        "VERIFIED: {} parts, each verified at its own nonce",
                        batches.len()
                    )
                    .as_str()
                ),
                "{report}"
            );
            parts
        };
        // Verify names the parts in the runbook's order; each is a report of
        // its own, framed by its verdict, as when the part is verified alone.
        let mut named: Vec<String> = parts.iter().map(|(f, _)| f.clone()).collect();
        let mut sorted = batches.clone();
        named.sort();
        sorted.sort();
        assert_eq!(named, sorted, "{report}");
        for (file, text) in parts {
            let lines: Vec<&str> = text.lines().collect();
            let verdict = format!("VERIFIED  {file}: ");
            assert!(lines.first().unwrap().starts_with(&verdict), "{text}");
            assert_eq!(lines.first(), lines.last(), "{text}");
            let alone = verify(stem, std::slice::from_ref(&file));
            assert_eq!(alone, (0, text.clone()), "{file} alone");
            insta::assert_snapshot!(file, text);
            snapshotted += 1;
        }
    }
    // 12 batches, and the pre-signed pause at 3 nonces.
    assert_eq!(snapshotted, 15);
}

/// The script the documented workflow runs (docs/ci/check-bundles.sh) runs
/// these same commands: its reports are the ones snapshotted above.
#[cfg(unix)]
#[test]
fn the_ci_script_passes_on_bundles_and_writes_these_reports() {
    let reports = tempfile::tempdir().unwrap();
    let output = std::process::Command::new("sh")
        .current_dir(root())
        .arg("docs/ci/check-bundles.sh")
        .arg("bundles")
        .arg(BOOK)
        .arg(reports.path())
        .env("BUNDLEC", env!("CARGO_BIN_EXE_bundlec"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    for (stem, batches) in runbooks() {
        assert!(
            stdout.contains(&format!(
                "== bundlec verify {} --intent bundles/{stem}.toml --deployment {BOOK} --strict\n",
                batches
                    .iter()
                    .map(|b| format!("bundles/{b}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            "{stdout}"
        );
        let written =
            fs::read_to_string(reports.path().join(format!("{stem}.verify.txt"))).unwrap();
        assert_eq!(written, verify(&stem, &batches).1, "{stem}");
    }
    assert!(
        stdout.starts_with("== bundlec build --check bundles/*.toml\n"),
        "{stdout}"
    );
}

/// What the script refuses: a batch no runbook builds, a part the runbook
/// does not build, a batch its edited intent no longer gives, and an
/// acceptance that matches nothing; every failure is shown in one run.
#[cfg(unix)]
#[test]
fn the_ci_script_fails_on_a_stray_or_stale_batch() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bundles");
    copy_dir(&root().join("bundles"), &dir);
    fs::copy(dir.join("pause.json"), dir.join("hand-made.json")).unwrap();
    fs::copy(dir.join("unpause.5.json"), dir.join("unpause.6.json")).unwrap();
    // Typed data no runbook writes is reported too, not taken for a batch.
    fs::copy(
        dir.join("pause.typed.json"),
        dir.join("hand-made.typed.json"),
    )
    .unwrap();
    let stale = fs::read_to_string(dir.join("refund-jobs.toml"))
        .unwrap()
        .replace("cancel_expired = [95]", "cancel_expired = [96]");
    fs::write(dir.join("refund-jobs.toml"), stale).unwrap();
    // An acceptance is passed as written, spaces included; one that matches
    // no danger fails under --strict.
    fs::write(
        dir.join("pause.verify-accept"),
        "# why: the test says so\nunlabelled-recipient@tx 3.0  # no such danger\n",
    )
    .unwrap();
    let output = std::process::Command::new("sh")
        .current_dir(work.path())
        .arg(root().join("docs/ci/check-bundles.sh"))
        .arg("bundles")
        .arg("bundles/deployments/example.toml")
        .env("BUNDLEC", env!("CARGO_BIN_EXE_bundlec"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let all = format!("{stdout}{stderr}");
    // The stray part is bad input to verify (exit 2): the worst code wins.
    assert_eq!(output.status.code(), Some(2), "{all}");
    for expected in [
        "differs: bundles/refund-jobs.json",
        "FAILED  refund-jobs.json",
        "bundles/unpause.6.json: not a part of this runbook",
        "bundles/hand-made.json: no intent in bundles builds this batch",
        "bundles/hand-made.typed.json: no intent in bundles writes this file",
        "--strict --accept unlabelled-recipient@tx 3.0\n",
        "NOTICE accept-unused [batch] --accept unlabelled-recipient@tx3.0",
        "VERIFIED  rotate-signers.json",
    ] {
        assert!(all.contains(expected), "{expected}:\n{all}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
