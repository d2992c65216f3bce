//! docs/ci.md shows the GitHub Actions workflow a team copies; the file
//! docs/ci/bundlec.yml is that workflow. They must not drift, and both must
//! run the recipe that this repository's own CI (.ci/run) proves on bundles/.

use std::fs;
use std::path::PathBuf;

fn read(path: &str) -> String {
    fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The contents of every fenced block of `lang` in a Markdown text.
fn fenced_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line.trim_end() == format!("```{lang}") => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.push(current.take().unwrap()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    assert!(current.is_none(), "unclosed ```{lang} block");
    blocks
}

#[test]
fn the_workflow_in_the_doc_is_the_file() {
    let doc = read("docs/ci.md");
    let blocks = fenced_blocks(&doc, "yaml");
    assert_eq!(blocks.len(), 1, "docs/ci.md should show one ```yaml block");
    assert_eq!(
        blocks[0],
        read("docs/ci/bundlec.yml"),
        "docs/ci.md and docs/ci/bundlec.yml differ: copy the file into the ```yaml block"
    );
}

#[test]
fn the_workflow_installs_a_pinned_bundlec_and_runs_the_script() {
    let workflow = read("docs/ci/bundlec.yml");
    for expected in [
        "dtolnay/rust-toolchain@master",
        "RUST_TOOLCHAIN: 1.",
        "cargo install --locked --root ~/.bundlec --git \"$BUNDLEC_GIT\" --rev \"$BUNDLEC_REV\" bundlec",
        "sh ci/check-bundles.sh \"$BUNDLES_DIR\" \"$ADDRESS_BOOK\" \"$REPORTS_DIR\"",
        "git status --porcelain -- \"$REPORTS_DIR\"",
    ] {
        assert!(workflow.contains(expected), "{expected}");
    }
    // No floating branch of bundlec, no secrets.
    assert!(!workflow.contains("--branch"));
    assert!(!workflow.contains("secrets."));
    // This repository runs the same script on its own bundles, with the
    // release binary, in the CI it runs on every submission.
    let run = read(".ci/run");
    assert!(run.contains("cargo build --locked --release"), "{run}");
    assert!(
        run.contains(
            "BUNDLEC=target/release/bundlec sh docs/ci/check-bundles.sh bundles bundles/deployments/example.toml"
        ),
        "{run}"
    );
}
