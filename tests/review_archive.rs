//! `bundlec review` and `bundlec archive` through the binary: the review of
//! every committed runbook (snapshotted), refusals when the files on disk are
//! not what the intent builds, Markdown-safe text, and archives that are
//! deterministic, atomic and never overwritten by accident. The committed
//! worked example under reports/incidents/ must be what `bundlec archive`
//! writes now (`BUNDLEC_REGENERATE=1` rewrites it).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::bundlec;

const BOOK: &str = "bundles/deployments/example.toml";
/// The tabletop exercise archived in the repository as the worked example.
const EXAMPLE: &str = "bundles/tabletop-feepool-drain.toml";
const EXAMPLE_FOLDER: &str = "reports/incidents/2025-11-29-tabletop-feepool-drain";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn runbooks() -> Vec<String> {
    let mut stems: Vec<String> = fs::read_dir(root().join("bundles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_owned))
        .collect();
    stems.sort();
    stems
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = bundlec().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
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

/// Every file under `dir`, relative, `/`-separated, sorted, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push((name, fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// The bundles/ folder copied into a fresh temporary folder.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    copy_dir(&root().join("bundles"), &work.path().join("bundles"));
    let dir = work.path().to_path_buf();
    (work, dir)
}

/// One Safe transaction of a batch: nonce, domain hash, message hash,
/// safeTxHash, as the manifest records them.
type SignedAt = (String, String, String, String);

#[test]
fn every_runbook_has_a_review_and_it_is_snapshotted() {
    let stems = runbooks();
    assert_eq!(stems.len(), 8, "{stems:?}");
    for stem in &stems {
        let intent = format!("bundles/{stem}.toml");
        let (code, review, stderr) = run(&root(), &["review", &intent, "--deployment", BOOK]);
        assert_eq!(code, 0, "{stem}: {stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        assert!(!review.contains(&*root().to_string_lossy()), "{review}");
        assert!(review.starts_with("# Review: "), "{review}");
        assert!(review.contains("**VERIFIED**"), "{review}");
        // One section per Safe transaction, each with the three hashes the
        // verify report prints for that batch.
        let manifest: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(root().join(format!("bundles/{stem}.safe.json"))).unwrap(),
        )
        .unwrap();
        let batches = manifest["batches"].as_array().unwrap();
        // A pre-signed range is one Safe transaction per nonce of the range.
        let sections: Vec<(&serde_json::Value, Vec<SignedAt>)> = batches
            .iter()
            .map(|batch| {
                let tx = &batch["safe_tx"];
                let field = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap().to_string();
                let at = match batch["presigned"].as_array() {
                    Some(entries) => entries
                        .iter()
                        .map(|e| {
                            (
                                field(e, "nonce"),
                                field(e, "domain_hash"),
                                field(e, "message_hash"),
                                field(e, "safe_tx_hash"),
                            )
                        })
                        .collect(),
                    None => vec![(
                        field(tx, "nonce"),
                        field(tx, "domain_hash"),
                        field(tx, "message_hash"),
                        field(tx, "safe_tx_hash"),
                    )],
                };
                (batch, at)
            })
            .collect();
        let total: usize = sections.iter().map(|(_, at)| at.len()).sum();
        let mut i = 0;
        for (batch, at) in &sections {
            let file = batch["file"].as_str().unwrap();
            for (nonce, domain_hash, message_hash, safe_tx_hash) in at {
                i += 1;
                assert!(
                    review.contains(&format!(
                        "## Safe transaction {i} of {total}: `{file}` at nonce {nonce}"
                    )),
                    "{review}"
                );
                for hash in [domain_hash, message_hash] {
                    let ledger = format!("0x{}", hash[2..].to_uppercase());
                    assert!(review.contains(&ledger), "{stem} {hash}");
                }
                assert!(review.contains(&format!("safeTxHash      {safe_tx_hash}")));
            }
            // Every call's summary, one line each.
            for (k, call) in batch["calls"].as_array().unwrap().iter().enumerate() {
                let summary = call["summary"].as_str().unwrap();
                // The summaries of bundles/ need no escaping but `_`.
                let shown = summary.replace('_', "\\_");
                assert!(
                    review.contains(&format!("\n{}. {shown}\n", k + 1)),
                    "{stem}: {summary}"
                );
            }
        }
        for input in manifest["inputs"].as_array().unwrap() {
            assert!(review.contains(input["keccak256"].as_str().unwrap()));
        }
        // The same bytes twice, and with -o.
        let (_, again, _) = run(&root(), &["review", &intent, "--deployment", BOOK]);
        assert_eq!(again, review, "{stem}: not deterministic");
        insta::assert_snapshot!(format!("{stem}.review.md"), review);
    }
}

#[test]
fn review_to_a_file_is_the_same_document() {
    let (_work, dir) = scratch();
    let (code, stdout, stderr) = run(
        &dir,
        &["review", EXAMPLE, "--deployment", BOOK, "-o", "review.md"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "wrote review.md\n");
    let (_, printed, _) = run(&dir, &["review", EXAMPLE, "--deployment", BOOK]);
    assert_eq!(fs::read_to_string(dir.join("review.md")).unwrap(), printed);
    // No temporary file is left beside it.
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // An input is never the output.
    let (code, _, stderr) = run(&dir, &["review", EXAMPLE, "-o", EXAMPLE]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is an input of the review"), "{stderr}");
}

#[test]
fn review_refuses_files_that_are_not_what_the_intent_builds() {
    let (_work, dir) = scratch();
    let intent = dir.join("bundles/refund-jobs.toml");
    let edited = fs::read_to_string(&intent)
        .unwrap()
        .replace("cancel_expired = [95]", "cancel_expired = [96]");
    fs::write(&intent, edited).unwrap();
    let (code, stdout, stderr) = run(
        &dir,
        &["review", "bundles/refund-jobs.toml", "-o", "review.md"],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("differs: bundles/refund-jobs.json"),
        "{stdout}"
    );
    assert!(
        stdout.contains("differs: bundles/refund-jobs.safe.json"),
        "{stdout}"
    );
    assert!(!dir.join("review.md").exists());
    // A missing part is named too.
    fs::remove_file(dir.join("bundles/unpause.3.json")).unwrap();
    let (code, stdout, _) = run(&dir, &["review", "bundles/unpause.toml"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("missing: bundles/unpause.3.json"),
        "{stdout}"
    );
    assert!(!stdout.contains("# Review"), "{stdout}");
}

#[test]
fn a_failed_verification_says_do_not_sign_and_exits_1() {
    let (_work, dir) = scratch();
    // The signer's own book disagrees on where backup-safe is.
    let book = fs::read_to_string(dir.join(BOOK)).unwrap().replace(
        "backup-safe = \"0x5afe000000000000000000000000000000000002\"",
        "backup-safe = \"0x5afe000000000000000000000000000000000009\"",
    );
    fs::write(dir.join("mine.toml"), book).unwrap();
    let (code, review, stderr) = run(&dir, &["review", EXAMPLE, "--deployment", "mine.toml"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(review.contains("**FAILED: do not sign.**"), "{review}");
    assert!(review.contains("address-book-mismatch"), "{review}");
    assert!(
        review.contains("### Hashes for the incident record only: DO NOT SIGN"),
        "{review}"
    );
    assert!(stderr.contains("do not sign"), "{stderr}");
    // Nothing is archived from it.
    let (code, _, stderr) = run(
        &dir,
        &[
            "archive",
            EXAMPLE,
            "--deployment",
            "mine.toml",
            "--out",
            "archive",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("nothing was archived"), "{stderr}");
    assert!(!dir.join("archive").exists());
}

#[test]
fn text_from_input_cannot_change_the_markdown() {
    let (_work, dir) = scratch();
    let intent: String = fs::read_to_string(dir.join("bundles/pause.toml"))
        .unwrap()
        .lines()
        .map(|line| {
            if line.starts_with("name = ") {
                "name = \"# x | `y` <b>*z*</b> [l](http://e)\"".to_owned()
            } else if line.starts_with("description = ") {
                "description = \"\"\"- first\n## not a heading\n| a | b |\"\"\"".to_owned()
            } else {
                line.to_owned()
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(dir.join("bundles/hostile.toml"), intent).unwrap();
    let (code, _, stderr) = run(&dir, &["build", "bundles/hostile.toml"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, review, stderr) = run(&dir, &["review", "bundles/hostile.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        review
            .starts_with("# Review: \\# x \\| \\`y\\` \\<b\\>\\*z\\*\\</b\\> \\[l\\](http://e)\n"),
        "{review}"
    );
    assert!(
        review.contains(
            "- **What it is for:** \\- first\\\\u000a\\#\\# not a heading\\\\u000a\\| a \\| b \\|\n"
        ),
        "{review}"
    );
    // The only headings are the review's own.
    for line in review.lines().filter(|l| l.starts_with('#')) {
        assert!(
            ["# Review: ", "## ", "### ", "#### "]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
    }
    // The post-incident review escapes the same way.
    let (code, _, stderr) = run(&dir, &["archive", "bundles/hostile.toml", "--out", "a"]);
    assert_eq!(code, 0, "{stderr}");
    let pir = fs::read_to_string(dir.join("a/2025-11-29-hostile/post-incident-review.md")).unwrap();
    assert!(
        pir.starts_with("# Post-incident review: \\# x \\| \\`y\\`"),
        "{pir}"
    );
}

#[test]
fn an_archive_is_byte_identical_across_runs_and_never_overwritten_by_accident() {
    let (_work, dir) = scratch();
    let args = |out: &'static str| ["archive", EXAMPLE, "--deployment", BOOK, "--out", out];
    let (code, stdout, stderr) = run(&dir, &args("one"));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("archived one/2025-11-29-tabletop-feepool-drain: 8 files\n"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&dir, &args("two"));
    assert_eq!(code, 0, "{stderr}");
    let one = tree(&dir.join("one"));
    assert_eq!(one, tree(&dir.join("two")));
    let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "2025-11-29-tabletop-feepool-drain/deployments/example.toml",
            "2025-11-29-tabletop-feepool-drain/post-incident-review.md",
            "2025-11-29-tabletop-feepool-drain/review.md",
            "2025-11-29-tabletop-feepool-drain/tabletop-feepool-drain.json",
            "2025-11-29-tabletop-feepool-drain/tabletop-feepool-drain.proposal.json",
            "2025-11-29-tabletop-feepool-drain/tabletop-feepool-drain.safe.json",
            "2025-11-29-tabletop-feepool-drain/tabletop-feepool-drain.toml",
            "2025-11-29-tabletop-feepool-drain/tabletop-feepool-drain.typed.json",
        ]
    );
    // The copies are the files, byte for byte.
    for (name, bytes) in &one {
        let inside = name.split_once('/').unwrap().1;
        let source = dir.join("bundles").join(inside);
        if source.exists() {
            assert_eq!(&fs::read(source).unwrap(), bytes, "{name}");
        }
    }
    // The archived runbook rebuilds in place: its outputs are up to date.
    let archived = dir.join("one/2025-11-29-tabletop-feepool-drain");
    let (code, stdout, stderr) = run(
        &archived,
        &["build", "--check", "tabletop-feepool-drain.toml"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");

    // Again into the same folder: identical, so nothing to do.
    let (code, stdout, _) = run(&dir, &args("one"));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("unchanged: "), "{stdout}");
    assert_eq!(tree(&dir.join("one")), one);

    // A folder that differs is refused, then replaced whole with --force.
    let review = archived.join("review.md");
    fs::write(&review, "edited by hand\n").unwrap();
    fs::write(archived.join("notes.txt"), "extra\n").unwrap();
    let (code, _, stderr) = run(&dir, &args("one"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("give --force"), "{stderr}");
    assert_eq!(fs::read_to_string(&review).unwrap(), "edited by hand\n");
    let mut forced = args("one").to_vec();
    forced.push("--force");
    let (code, _, stderr) = run(&dir, &forced);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(tree(&dir.join("one")), one);
    // No temporary folder is left in --out.
    assert_eq!(fs::read_dir(dir.join("one")).unwrap().count(), 1);
}

#[test]
fn an_archive_of_stale_outputs_leaves_nothing_behind() {
    let (_work, dir) = scratch();
    let intent = dir.join(EXAMPLE);
    let edited = fs::read_to_string(&intent)
        .unwrap()
        .replace("nonce = 51", "nonce = 52");
    fs::write(&intent, edited).unwrap();
    let (code, stdout, stderr) = run(&dir, &["archive", EXAMPLE, "--out", "reports/incidents"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("differs: bundles/tabletop-feepool-drain.safe.json"),
        "{stdout}"
    );
    assert!(stderr.contains("nothing was archived"), "{stderr}");
    assert!(!dir.join("reports").exists());
    // Malformed input is exit 2, and nothing either.
    fs::write(&intent, "[bundle\n").unwrap();
    let (code, _, stderr) = run(&dir, &["archive", EXAMPLE]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!dir.join("reports").exists());
    let (code, _, stderr) = run(&dir, &["review", "-"]);
    assert_eq!(code, 2, "{stderr}");
}

/// The worked example: the tabletop exercise's archive, committed under
/// reports/incidents/, is what `bundlec archive` writes now.
#[test]
fn the_committed_tabletop_archive_is_what_archive_writes() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("incidents");
    let output = bundlec()
        .current_dir(root())
        .args(["archive", EXAMPLE, "--deployment", BOOK, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fresh = tree(&out.join("2025-11-29-tabletop-feepool-drain"));
    let committed_dir = root().join(EXAMPLE_FOLDER);
    for (name, bytes) in &fresh {
        let path = committed_dir.join(name);
        if let Some(parent) = path.parent()
            && std::env::var_os("BUNDLEC_REGENERATE").is_some()
        {
            fs::create_dir_all(parent).unwrap();
        }
        common::sync_generated(&path, std::str::from_utf8(bytes).unwrap(), "review_archive");
    }
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&tree(&committed_dir)),
        names(&fresh),
        "{EXAMPLE_FOLDER} holds other files than the archive"
    );
}

/// An archive keeps inputs at the paths the runbook names them by: an
/// address book outside the runbook's folder cannot be, so it is refused
/// (exit 2) and nothing is written.
#[test]
fn an_input_outside_the_runbooks_folder_is_refused() {
    let (_work, dir) = scratch();
    fs::create_dir(dir.join("bundles/sub")).unwrap();
    let intent = fs::read_to_string(dir.join(EXAMPLE))
        .unwrap()
        .replace("deployments/example.toml", "../deployments/example.toml");
    fs::write(dir.join("bundles/sub/drain.toml"), intent).unwrap();
    let (code, _, stderr) = run(&dir, &["build", "bundles/sub/drain.toml"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&dir, &["archive", "bundles/sub/drain.toml", "--out", "a"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "../deployments/example.toml is not a relative path inside the runbook's folder"
        ),
        "{stderr}"
    );
    assert!(!dir.join("a").exists());
    // Its review is fine: nothing is copied.
    let (code, _, stderr) = run(&dir, &["review", "bundles/sub/drain.toml"]);
    assert_eq!(code, 0, "{stderr}");
}
