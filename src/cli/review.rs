//! `bundlec review BUNDLE.toml`: the Markdown review of a built runbook.
//!
//! The intent is compiled in memory and every file it builds must be on disk
//! beside it, byte for byte (as `build --check` checks), so a review never
//! describes a batch other than the files; then each batch is verified as
//! `bundlec verify BATCHES --intent BUNDLE.toml [--deployment BOOK]` does,
//! and `bundlec::review` lays out what the planner and verify said.

use std::fs;
use std::path::{Path, PathBuf};

use bundlec::build::BatchKind;
use bundlec::build::manifest::Manifest;
use bundlec::review::{self, BLANK_SIGNERS, SafeTransaction, Signers};
use clap::Args;

use super::build::{BuiltIntent, parent_dir, resolved};
use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The runbook's intent file; its batches and manifest must be beside it, as `bundlec build` wrote them
    #[arg(value_name = "BUNDLE.toml")]
    bundle: PathBuf,
    /// Your own address book (deployment TOML), as verify takes it: it names addresses, and every
    /// contract and label of the intent's book must agree with it
    #[arg(long, value_name = "FILE.toml")]
    deployment: Option<PathBuf>,
    /// Write the review to this file (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// A runbook reviewed: what it compiled to, its manifest, the review, and
/// whether every batch verified.
pub struct Reviewed {
    pub compiled: BuiltIntent,
    pub manifest: Manifest,
    pub markdown: String,
    pub ok: bool,
    /// Every file the review read: the intent, the built files, the book.
    pub read: Vec<PathBuf>,
}

/// The files `compiled` builds that are not on disk in `dir` as built:
/// `differs: PATH` / `missing: PATH`, as `build --check` names them.
fn differences(compiled: &BuiltIntent, dir: &Path) -> Vec<String> {
    compiled
        .outputs()
        .iter()
        .filter_map(|output| {
            let path = dir.join(&output.name);
            match super::build::same_as_file(&path, &output.contents) {
                Ok(Some(true)) => None,
                Ok(Some(false)) => Some(format!("differs: {}", path.display())),
                Ok(None) => Some(format!("missing: {}", path.display())),
                // `build_in_memory` rendered every output: nothing is refused here.
                Err(e) => Some(e.to_string()),
            }
        })
        .collect()
}

/// Compiles, checks and verifies `bundle`, and writes its review in memory.
/// `Ok(Err(lines))` when the files on disk are not what the intent builds:
/// the lines name them, and there is no review.
pub fn review(
    bundle: &Path,
    deployment: Option<&Path>,
) -> Result<Result<Reviewed, Vec<String>>, CliError> {
    if args::is_stdin(bundle) {
        return Err(CliError(
            "a runbook is read from a file, not standard input (-): its address book and outputs are found beside it".into(),
        ));
    }
    let compiled = super::build::build_in_memory(bundle, None)?;
    let dir = parent_dir(bundle);
    let differ = differences(&compiled, &dir);
    if !differ.is_empty() {
        return Ok(Err(differ));
    }
    let manifest_output = compiled
        .outputs()
        .iter()
        .find(|o| o.role == bundlec::build::OutputRole::Manifest)
        .ok_or_else(|| CliError(format!("{}: the build made no manifest", bundle.display())))?;
    let manifest_text = manifest_output
        .contents
        .text()
        .map_err(|e| CliError(e.to_string()))?;
    let manifest = Manifest::from_json_str(&manifest_text)
        .map_err(|e| CliError(format!("the manifest built from {}: {e}", bundle.display())))?;

    let batch_paths: Vec<PathBuf> = compiled
        .intent
        .batch_names()
        .iter()
        .map(|name| dir.join(name))
        .collect();
    let mut read = vec![bundle.to_path_buf()];
    read.extend(compiled.outputs().iter().map(|o| dir.join(&o.name)));
    read.push(PathBuf::from(&compiled.intent.book_file.0));
    if let Some(book) = deployment {
        read.push(book.to_path_buf());
    }
    let checked = super::verify::verify_built(
        bundle,
        &compiled.intent,
        batch_paths.clone(),
        deployment.map(Path::to_path_buf),
    )?;

    let safe = compiled.intent.safe();
    let mut transactions = Vec::with_capacity(checked.len());
    for c in &checked {
        let batch = manifest
            .batches
            .iter()
            .find(|b| b.file == c.name)
            .ok_or_else(|| CliError(format!("the manifest has no batch {}", c.name)))?;
        let main = compiled.intent.batch_kind(&c.name) == Some(BatchKind::Main);
        let signers = if main && !safe.owners.is_empty() {
            Signers::Owners {
                owners: safe.owners.iter().map(|o| o.value).collect(),
                threshold: safe.threshold.as_ref().map(|t| t.value),
            }
        } else {
            Signers::Unknown(BLANK_SIGNERS)
        };
        transactions.push(SafeTransaction {
            batch,
            report: &c.report,
            book: &c.book,
            signers,
        });
    }
    let mut command: Vec<String> = vec!["bundlec".into(), "verify".into()];
    command.extend(batch_paths.iter().map(|p| p.display().to_string()));
    command.extend([
        "--intent".into(),
        bundle.display().to_string(),
        "--deployment".into(),
        "YOUR-ADDRESS-BOOK.toml".into(),
        "--strict".into(),
    ]);
    let intent_shown = bundle.display().to_string();
    let document = review::Review {
        intent: &intent_shown,
        manifest: &manifest,
        transactions,
        verify_command: command,
    };
    let markdown = review::markdown(&document);
    let ok = document.ok();
    drop(document);
    Ok(Ok(Reviewed {
        compiled,
        manifest,
        markdown,
        ok,
        read,
    }))
}

/// Prints the files that differ from a fresh build, and what to do.
pub fn report_differences(lines: &[String], bundle: &Path) -> Result<(), CliError> {
    for line in lines {
        super::print_line(super::style::Kind::Notice, line)?;
    }
    if !super::quiet() {
        outln!(
            "{}: the files on disk are not what it builds ({} differ): nothing is reviewed until `bundlec build {}` is run and its changes reviewed",
            bundle.display(),
            lines.len(),
            bundle.display()
        )?;
    }
    Ok(())
}

pub fn run(args: ReviewArgs) -> Result<Outcome, CliError> {
    let reviewed = match review(&args.bundle, args.deployment.as_deref())? {
        Ok(reviewed) => reviewed,
        Err(lines) => {
            report_differences(&lines, &args.bundle)?;
            return Ok(Outcome::CheckFailed);
        }
    };
    match &args.output {
        None => super::print_out(&reviewed.markdown)?,
        Some(path) => {
            let real = resolved(path);
            if let Some(input) = reviewed.read.iter().find(|i| resolved(i) == real) {
                return Err(CliError(format!(
                    "{} is an input of the review (read as {}): choose another -o",
                    path.display(),
                    input.display()
                )));
            }
            write_file_atomically(path, reviewed.markdown.as_bytes())?;
            if !super::quiet() {
                outln!("wrote {}", path.display())?;
            }
        }
    }
    if reviewed.ok {
        Ok(Outcome::Success)
    } else {
        super::print_error(&format!(
            "{}: verification failed: the review says FAILED: do not sign",
            args.bundle.display()
        ));
        Ok(Outcome::CheckFailed)
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it into
/// place: `path` is either as it was or whole.
pub fn write_file_atomically(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.bundlec-{}.tmp", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, contents).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(CliError(format!("cannot write {}: {e}", path.display())));
    }
    Ok(())
}
