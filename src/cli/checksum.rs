//! `bundlec checksum`: judge the `meta.checksum` of Transaction Builder files.
//!
//! It judges only the checksum, exactly as the Safe UI would compute it for
//! whatever JSON object the file holds; the meaning of the batch is `verify`'s
//! job. A file that cannot be read or is not a JSON object is bad input (exit
//! 2); any other file gets a verdict.

use std::path::{Path, PathBuf};

use bundlec::txbuilder::{self, ChecksumReport};
use clap::Args;
use serde::Serialize;

use super::style::Kind;
use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
pub struct ChecksumArgs {
    /// Transaction Builder batch files (JSON); - reads one from standard input
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print a JSON array, one object per file
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct FileVerdict {
    file: String,
    stored: Option<String>,
    computed: Option<String>,
    valid: bool,
}

fn judge(path: &Path) -> Result<ChecksumReport, CliError> {
    let bytes = args::read_file(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError(format!(
            "{}: not UTF-8 text, so not a batch file",
            path.display()
        ))
    })?;
    let value =
        txbuilder::parse_batch(&text).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
    let report = txbuilder::check(&value).map_err(|e| CliError(format!("{}: {e}", path.display())));
    super::free_at_exit(value);
    super::free_at_exit(text);
    report
}

pub fn run(args: ChecksumArgs) -> Result<Outcome, CliError> {
    let mut verdicts = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let report = judge(path)?;
        verdicts.push(FileVerdict {
            file: path.display().to_string(),
            stored: report.stored,
            computed: report.computed.as_ref().map(txbuilder::format_checksum),
            valid: report.valid,
        });
    }
    if args.json {
        super::hash::print_json(&verdicts)?;
    } else {
        // --quiet: one line per file that fails, nothing for valid ones (as
        // `sha256sum --check --quiet`); the exit code says the rest.
        let quiet = super::quiet();
        for v in verdicts.iter().filter(|v| !(quiet && v.valid)) {
            let (verdict, kind) = if v.valid {
                ("OK", Kind::Passed)
            } else {
                ("MISMATCH", Kind::Failed)
            };
            super::print_line(kind, &format!("{verdict}  {}", v.file))?;
            if quiet {
                continue;
            }
            let stored = match v.stored.as_deref() {
                None => "(none)",
                Some("") => "(empty)",
                Some(stored) => stored,
            };
            outln!("  stored    {stored}")?;
            outln!(
                "  computed  {}",
                v.computed
                    .as_deref()
                    .unwrap_or("(none: the file has no meta object)")
            )?;
        }
    }
    Ok(if verdicts.iter().all(|v| v.valid) {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}
