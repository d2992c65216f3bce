//! `bundlec archive BUNDLE.toml [--out DIR]`: the incident archive folder
//! `DIR/<YYYY-MM-DD>-<name>/` (see `bundlec::archive`).
//!
//! The runbook is reviewed first (compiled, checked against the files on
//! disk, every batch verified); nothing is archived unless that passes. The
//! folder is written whole into a temporary folder beside it and renamed into
//! place, so it either exists complete or not at all. An existing archive
//! with the same files and bytes is left as it is (running again is a no-op);
//! one that differs is refused unless `--force`, which replaces it whole.

use std::fs;
use std::path::{Path, PathBuf};

use alloy_primitives::keccak256;
use bundlec::archive::{self, ArchiveFile};
use clap::Args;

use super::build::parent_dir;
use super::{CliError, Outcome, args};

/// Where archives go by default, as the incident playbook keeps them.
pub const DEFAULT_OUT: &str = "reports/incidents";

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The runbook's intent file; its batches and manifest must be beside it, as `bundlec build` wrote them
    #[arg(value_name = "BUNDLE.toml")]
    bundle: PathBuf,
    /// The folder that holds the incident archives
    #[arg(long, value_name = "DIR", default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// Your own address book (deployment TOML), as verify takes it, for the review
    #[arg(long, value_name = "FILE.toml")]
    deployment: Option<PathBuf>,
    /// Replace an existing archive folder whose files differ
    #[arg(long)]
    force: bool,
}

pub fn run(args: ArchiveArgs) -> Result<Outcome, CliError> {
    let reviewed = match super::review::review(&args.bundle, args.deployment.as_deref())? {
        Ok(reviewed) => reviewed,
        Err(lines) => {
            super::review::report_differences(&lines, &args.bundle)?;
            super::print_error("nothing was archived");
            return Ok(Outcome::CheckFailed);
        }
    };
    if !reviewed.ok {
        super::print_error(&format!(
            "{}: verification failed (run `bundlec review {}` to see why): nothing was archived",
            args.bundle.display(),
            args.bundle.display()
        ));
        return Ok(Outcome::CheckFailed);
    }
    let stem = args
        .bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = archive::folder_name(reviewed.compiled.intent.bundle().created_at, &stem)?;
    let intent_shown = args.bundle.display().to_string();

    // The inputs the manifest records, read again and held to the keccak256
    // it records, so the archive holds exactly what the batches were built from.
    let dir = parent_dir(&args.bundle);
    let mut inputs = Vec::new();
    for input in &reviewed.manifest.inputs {
        match input.role.as_str() {
            "intent" | "deployment" | "abi" => {}
            // bundlec's own ABIs: the manifest's keccak256 names them.
            "embedded-abi" => continue,
            other => {
                return Err(CliError(format!(
                    "{}: the manifest lists an input of role `{other}` ({}), which archive does not copy",
                    args.bundle.display(),
                    bundlec::text::untrusted(&input.name)
                )));
            }
        }
        if !archive::is_inside(&input.name) {
            return Err(archive::ArchiveError::OutsidePath(input.name.clone()).into());
        }
        let path = dir.join(&input.name);
        let bytes = args::read_input(&path)
            .map_err(|e| CliError(format!("cannot read {}: {e}", path.display())))?;
        if keccak256(&bytes).to_string() != input.keccak256 {
            return Err(CliError(format!(
                "{} changed while it was archived (its keccak256 is not the manifest's): run again",
                path.display()
            )));
        }
        inputs.push(ArchiveFile {
            path: input.name.clone(),
            contents: bytes,
        });
    }
    let pir = archive::post_incident_review(&reviewed.manifest, &intent_shown);
    let files = archive::files(inputs, reviewed.compiled.outputs(), reviewed.markdown, pir)?;

    let target = args.out.join(&folder);
    if fs::symlink_metadata(&target).is_ok() {
        if same_contents(&target, &files) {
            if !super::quiet() {
                outln!(
                    "unchanged: {} already holds this archive, byte for byte",
                    target.display()
                )?;
            }
            return Ok(Outcome::Success);
        }
        if !args.force {
            return Err(CliError(format!(
                "{} exists and differs from this archive: bundlec never overwrites an archive; give --force to replace it whole",
                target.display()
            )));
        }
    }
    write_folder(&args.out, &folder, &files, args.force)?;
    if !super::quiet() {
        outln!("archived {}: {} files", target.display(), files.len())?;
        for file in &files {
            outln!("  {}", file.path)?;
        }
    }
    Ok(Outcome::Success)
}

/// Every regular file under `dir`, as `/`-separated relative paths; `None`
/// when something else (a link, a special file) is there or it cannot be read.
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Option<()> {
    for entry in fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().into_string().ok()?;
        let path = format!("{prefix}{name}");
        let kind = entry.file_type().ok()?;
        if kind.is_dir() {
            list_files(&entry.path(), &format!("{path}/"), out)?;
        } else if kind.is_file() {
            out.push(path);
        } else {
            return None;
        }
    }
    Some(())
}

/// Whether `dir` holds exactly `files`: the same paths, the same bytes.
fn same_contents(dir: &Path, files: &[ArchiveFile]) -> bool {
    let mut found = Vec::new();
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        || list_files(dir, "", &mut found).is_none()
    {
        return false;
    }
    found.sort();
    let mut expected: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    expected.sort_unstable();
    found == expected
        && files
            .iter()
            .all(|f| fs::read(dir.join(&f.path)).is_ok_and(|bytes| bytes == f.contents))
}

/// Writes `files` into `out/folder` whole: into a temporary folder beside
/// it, then renamed into place (replacing an existing folder under `force`,
/// which is put back if the rename fails). On failure nothing is left.
fn write_folder(
    out: &Path,
    folder: &str,
    files: &[ArchiveFile],
    force: bool,
) -> Result<(), CliError> {
    let mut created = Vec::new();
    let mut missing = Vec::new();
    let mut dir = out.to_path_buf();
    while !dir.as_os_str().is_empty() && fs::symlink_metadata(&dir).is_err() {
        missing.push(dir.clone());
        if !dir.pop() {
            break;
        }
    }
    for dir in missing.into_iter().rev() {
        fs::create_dir(&dir)
            .map_err(|e| CliError(format!("cannot create {}: {e}", dir.display())))?;
        created.push(dir);
    }
    let undo_created = |created: &[PathBuf]| {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    };
    let pid = std::process::id();
    let temp = out.join(format!(".{folder}.bundlec-{pid}.tmp"));
    let old = out.join(format!(".{folder}.bundlec-{pid}.old"));
    let target = out.join(folder);
    let result = fill(&temp, files).and_then(|()| {
        let replacing = force && fs::symlink_metadata(&target).is_ok();
        if replacing {
            fs::rename(&target, &old)
                .map_err(|e| CliError(format!("cannot move {} aside: {e}", target.display())))?;
        } else if fs::symlink_metadata(&target).is_ok() {
            return Err(CliError(format!(
                "{} appeared while the archive was written: nothing was changed",
                target.display()
            )));
        }
        if let Err(e) = fs::rename(&temp, &target) {
            if replacing {
                let _ = fs::rename(&old, &target);
            }
            return Err(CliError(format!("cannot write {}: {e}", target.display())));
        }
        if replacing {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp);
        undo_created(&created);
    }
    result
}

/// Writes every file into the new folder `temp`.
fn fill(temp: &Path, files: &[ArchiveFile]) -> Result<(), CliError> {
    fs::create_dir(temp).map_err(|e| CliError(format!("cannot create {}: {e}", temp.display())))?;
    for file in files {
        let path = temp.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| CliError(format!("cannot create {}: {e}", parent.display())))?;
        }
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, &file.contents).and_then(|()| f.sync_all())
            })
            .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
