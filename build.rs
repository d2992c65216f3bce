//! Records the git commit bundlec is built from, for `bundlec --version`.
//!
//! Never the clock: the commit comes from `BUNDLEC_GIT_COMMIT` when set (a
//! packager building from a tarball), else from `git rev-parse HEAD`, marked
//! `-dirty` when the work tree differs from it; its date is the commit's own
//! (`git log -1 --format=%cs`). Without git or `.git` it is `unknown`. This
//! script never fails the build.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn main() {
    println!("cargo:rerun-if-env-changed=BUNDLEC_GIT_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    // Source edits change `-dirty`; rerunning costs three git commands.
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");

    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    // Only bundlec's own repository counts: a source tarball unpacked inside
    // another repository must not take that repository's commit.
    let own_repo = git(&["-C", &manifest_dir, "rev-parse", "--show-toplevel"])
        .and_then(|top| std::fs::canonicalize(top).ok())
        .is_some_and(|top| std::fs::canonicalize(&manifest_dir).is_ok_and(|m| m == top));
    let git = |args: &[&str]| if own_repo { git(args) } else { None };
    // The files whose change means another commit: HEAD, the ref it points
    // to, and the packed refs (a ref can move there). In a worktree `.git`
    // is a file naming the real git directory, which git resolves for us.
    if let Some(git_dir) = git(&["-C", &manifest_dir, "rev-parse", "--absolute-git-dir"]) {
        let git_dir = Path::new(&git_dir);
        println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
        if let Some(reference) = git(&["-C", &manifest_dir, "symbolic-ref", "-q", "HEAD"]) {
            let common = git(&["-C", &manifest_dir, "rev-parse", "--git-common-dir"])
                .map(|c| {
                    let c = Path::new(&c);
                    if c.is_absolute() {
                        c.to_path_buf()
                    } else {
                        Path::new(&manifest_dir).join(c)
                    }
                })
                .unwrap_or_else(|| git_dir.to_path_buf());
            println!(
                "cargo:rerun-if-changed={}",
                common.join(&reference).display()
            );
            println!(
                "cargo:rerun-if-changed={}",
                common.join("packed-refs").display()
            );
        }
        // The index changes when files are staged or committed, which is
        // when `-dirty` may change; edits to tracked sources rebuild anyway.
        println!("cargo:rerun-if-changed={}", git_dir.join("index").display());
    }

    let (commit, date) = match std::env::var("BUNDLEC_GIT_COMMIT") {
        Ok(commit) if !commit.trim().is_empty() => (commit.trim().to_owned(), None),
        _ => match git(&["-C", &manifest_dir, "rev-parse", "HEAD"]) {
            Some(hash) => {
                let dirty = Command::new("git")
                    .args(["-C", &manifest_dir, "diff", "--quiet", "HEAD", "--"])
                    .status()
                    .map(|s| s.code() == Some(1))
                    .unwrap_or(false);
                let short: String = hash.chars().take(12).collect();
                let commit = if dirty {
                    format!("{short}-dirty")
                } else {
                    short
                };
                let date = git(&["-C", &manifest_dir, "log", "-1", "--format=%cs"]);
                (commit, date)
            }
            None => ("unknown".to_owned(), None),
        },
    };
    println!("cargo:rustc-env=BUNDLEC_GIT_COMMIT={commit}");
    println!(
        "cargo:rustc-env=BUNDLEC_GIT_COMMIT_DATE={}",
        date.unwrap_or_default()
    );
}
