//! A fresh clone with nothing beside it passes the README's first two
//! commands: building the shipped example gives the committed bundle byte for
//! byte, and the tests pass. This is what a signer or an adopting team does
//! first, and it fails the moment a test, build step or tool reads a file
//! outside the checkout.
//!
//! It builds the project again, so it is ignored by a plain `cargo test`;
//! `.ci/run` runs it with `--ignored`. It clones the committed tree: commit
//! before running it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The commands of the README's first `sh` block, comments removed.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README starts with a sh block of commands");
    block
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

fn run(dir: &Path, program: &str, args: &[&str], target: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "`{program} {}` failed in {}:\n{text}",
        args.join(" "),
        dir.display()
    );
    text
}

#[test]
fn readme_starts_with_the_example_build_and_the_tests() {
    let commands = readme_commands();
    assert_eq!(
        commands,
        [
            "cargo run --release -- build bundles/pause.toml",
            "cargo test"
        ]
    );
}

#[test]
#[ignore = "builds the project again in a fresh clone; .ci/run runs it"]
fn a_fresh_clone_alone_builds_the_example_and_passes_its_tests() {
    let repo = manifest_dir();
    if !repo.join(".git").exists() {
        eprintln!("skipped: {} is not a git checkout", repo.display());
        return;
    }
    // The clone is the only thing in its folder: nothing beside it to read.
    let parent = tempfile::tempdir().unwrap();
    let clone = parent.path().join("bundlec");
    let repo_text = repo.to_string_lossy().into_owned();
    let clone_text = clone.to_string_lossy().into_owned();
    // A build cache of its own, kept between runs, so that the clone's build
    // never waits on the lock of a cargo running this test. .ci/run runs the
    // test binary without cargo and points the clone at the main cache
    // instead, so that only bundlec itself is built again.
    let target = std::env::var_os("BUNDLEC_CLONE_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target").join("clone-alone"));
    run(
        parent.path(),
        "git",
        &[
            "clone",
            "--quiet",
            "--no-hardlinks",
            &repo_text,
            &clone_text,
        ],
        &target,
    );

    for command in readme_commands() {
        run(&clone, "sh", &["-c", &command], &target);
        // The example build writes the committed bundle again, byte for byte.
        let status = run(&clone, "git", &["status", "--porcelain"], &target);
        assert!(
            status.trim().is_empty(),
            "`{command}` changed the clone:\n{status}"
        );
    }
}
