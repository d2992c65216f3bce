//! The incident archive (`bundlec archive`): one folder per runbook,
//! `<YYYY-MM-DD>-<name>/`, holding copies of what was built and signed, the
//! review, and a post-incident review to complete.
//!
//! Pure: it names the folder and lists its files with their contents; the
//! CLI reads the inputs and writes the folder atomically. The date is the
//! intent's `[bundle] created_at` in UTC, never the clock; `<name>` is the
//! intent file's stem as a slug.
//!
//! [`files`] is the one list of what an archive holds: the inputs the
//! manifest records (as read), every file the build makes (batches, the
//! manifest, and whatever else a build comes to write), `review.md` and
//! `post-incident-review.md`.

use std::fmt::Write as _;

use crate::build::manifest::Manifest;
use crate::build::{BuildError, OutputFile};
use crate::review::markdown;

/// The review's file name in an archive.
pub const REVIEW_FILE: &str = "review.md";
/// The post-incident review skeleton's file name in an archive.
pub const PIR_FILE: &str = "post-incident-review.md";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error(
        "the runbook's file name `{0}` has no letter or digit to name its archive folder: rename it"
    )]
    NoSlug(String),
    #[error(
        "{0} is not a relative path inside the runbook's folder (no `..`, no absolute path): an archive keeps every input at the path the runbook names it by, so that the archived runbook builds as it is; move the file beside the runbook"
    )]
    OutsidePath(String),
    #[error("two files of the archive would be named {0}")]
    Duplicate(String),
    /// A build output that cannot be rendered (the manifest is rendered here).
    #[error(transparent)]
    Output(Box<BuildError>),
}

/// One file of the archive: its path inside the archive folder (`/`
/// separated, relative) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Days since 1970-01-01 as a proleptic Gregorian (year, month, day), by
/// Howard Hinnant's `civil_from_days`. Exact for every `u64` of milliseconds
/// divided into days.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe.saturating_add(era.saturating_mul(400));
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = if m <= 2 { y.saturating_add(1) } else { y };
    (
        y,
        u32::try_from(m).unwrap_or_default(),
        u32::try_from(d).unwrap_or_default(),
    )
}

const MS_PER_DAY: u64 = 86_400_000;

/// Epoch milliseconds as the UTC date `YYYY-MM-DD`.
pub fn utc_date(epoch_ms: u64) -> String {
    let days = i64::try_from(epoch_ms / MS_PER_DAY).unwrap_or(i64::MAX);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Epoch milliseconds as `YYYY-MM-DD HH:MM:SS UTC` (milliseconds dropped).
pub fn utc_date_time(epoch_ms: u64) -> String {
    let seconds = (epoch_ms % MS_PER_DAY) / 1000;
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        utc_date(epoch_ms),
        seconds / 3600,
        (seconds % 3600) / 60,
        seconds % 60
    )
}

/// `name` as a folder-name slug: ASCII letters and digits in lower case,
/// every other run of characters one `-`, none at either end; `None` when
/// nothing is left.
pub fn slug(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The archive folder's name: `<YYYY-MM-DD>-<slug of the intent file's stem>`,
/// the date from `created_at` (epoch ms) in UTC.
pub fn folder_name(created_at: u64, stem: &str) -> Result<String, ArchiveError> {
    let slug = slug(stem).ok_or_else(|| ArchiveError::NoSlug(stem.to_owned()))?;
    Ok(format!("{}-{slug}", utc_date(created_at)))
}

/// Whether `path` is relative and stays inside its base folder: `/`
/// separated parts, none empty, `.` or `..`, no drive or root.
pub fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Every file of the archive, in a fixed order: the inputs (as the manifest
/// names them, relative to the runbook), every build output, the review and
/// the post-incident review. Each path must be inside the folder and appear
/// once.
pub fn files(
    inputs: Vec<ArchiveFile>,
    outputs: &[OutputFile],
    review: String,
    post_incident_review: String,
) -> Result<Vec<ArchiveFile>, ArchiveError> {
    let mut all = inputs;
    for output in outputs {
        let text = output
            .contents
            .text()
            .map_err(|e| ArchiveError::Output(Box::new(e)))?;
        all.push(ArchiveFile {
            path: output.name.clone(),
            contents: text.into_owned().into_bytes(),
        });
    }
    all.push(ArchiveFile {
        path: REVIEW_FILE.to_owned(),
        contents: review.into_bytes(),
    });
    all.push(ArchiveFile {
        path: PIR_FILE.to_owned(),
        contents: post_incident_review.into_bytes(),
    });
    let mut seen = std::collections::BTreeSet::new();
    for file in &all {
        if !is_inside(&file.path) {
            return Err(ArchiveError::OutsidePath(file.path.clone()));
        }
        // One file per name, whatever the letter case (a case-insensitive disk).
        if !seen.insert(file.path.to_lowercase()) {
            return Err(ArchiveError::Duplicate(file.path.clone()));
        }
    }
    Ok(all)
}

/// The post-incident review skeleton: the playbook's five headings (Summary,
/// Root Cause, Mitigations, Detection Gaps, Lessons Learned), the timeline of
/// what was built and signed prefilled from the manifest (`created_at`, then
/// each Safe transaction with its nonce and safeTxHash, in order), and blanks
/// for the people who ran the incident.
pub fn post_incident_review(manifest: &Manifest, intent: &str) -> String {
    let mut out = String::new();
    let blank = "\\_\\_\\_\\_";
    let name = markdown::text(&manifest.bundle.name);
    let created = match manifest.bundle.created_at.parse::<u64>() {
        Ok(ms) => utc_date_time(ms),
        Err(_) => markdown::text(&manifest.bundle.created_at),
    };
    let _ = writeln!(out, "# Post-incident review: {name}\n");
    let _ = writeln!(
        out,
        "<!-- Written by `bundlec archive` as a skeleton: fill in every blank (____) and replace the prompts. -->\n"
    );
    let _ = writeln!(
        out,
        "Complete this review within 48 hours of resolution, keep it in this folder beside the runbook, its batches, the review and the logs, and track every follow-up task in the engineering backlog with an owner and a due date.\n"
    );
    let _ = writeln!(out, "- **Runbook:** {}", markdown::code(intent));
    let _ = writeln!(
        out,
        "- **What it was for:** {}",
        markdown::text(&manifest.bundle.description)
    );
    let _ = writeln!(out, "- **Severity (SEV-0 to SEV-3):** {blank}");
    let _ = writeln!(out, "- **Incident Commander:** {blank}");
    let _ = writeln!(
        out,
        "- **Operator who proposed the transactions (not the Incident Commander):** {blank}"
    );
    let _ = writeln!(out, "- **Resolved at (UTC):** {blank}");
    let _ = writeln!(out, "- **Review completed at (UTC):** {blank}\n");

    let _ = writeln!(out, "## 1. Summary\n");
    let _ = writeln!(
        out,
        "What happened, how it was found, who was affected: {blank}\n"
    );
    let _ = writeln!(out, "### Timeline\n");
    let _ = writeln!(
        out,
        "What was built and signed comes from the manifest; the rest is for you to fill in.\n"
    );
    let _ = writeln!(out, "| when (UTC) | what |\n|---|---|");
    let _ = writeln!(
        out,
        "| {blank} | alert received and confirmed; severity declared |"
    );
    let _ = writeln!(
        out,
        "| {created} | runbook {} written (`created_at` {}): {} Safe transaction(s) built |",
        markdown::code(intent),
        markdown::text(&manifest.bundle.created_at),
        manifest.batches.len()
    );
    for (i, batch) in manifest.batches.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {blank} | Safe transaction {} ({}), Safe {} nonce {}, safeTxHash {}: signed by {blank}, executed in transaction {blank} |",
            i.saturating_add(1),
            markdown::code(&batch.file),
            markdown::code(&batch.safe),
            markdown::text(&batch.safe_tx.nonce),
            markdown::code(&batch.safe_tx.safe_tx_hash)
        );
    }
    let _ = writeln!(
        out,
        "| {blank} | mitigation confirmed (events seen, monitoring clean) |"
    );
    let _ = writeln!(out, "| {blank} | resolved; sign-off by every responder |\n");

    let _ = writeln!(out, "## 2. Root Cause\n");
    let _ = writeln!(out, "- Technical factors: {blank}");
    let _ = writeln!(out, "- Organizational factors: {blank}\n");

    let _ = writeln!(out, "## 3. Mitigations\n");
    let _ = writeln!(out, "Fixes applied: {blank}\n");
    let _ = writeln!(out, "| follow-up task | owner | deadline |\n|---|---|---|");
    let _ = writeln!(out, "| {blank} | {blank} | {blank} |\n");

    let _ = writeln!(out, "## 4. Detection Gaps\n");
    let _ = writeln!(
        out,
        "Which monitor or alert should have caught this sooner, and what changes: {blank}\n"
    );

    let _ = writeln!(out, "## 5. Lessons Learned\n");
    let _ = writeln!(out, "- Runbooks to update: {blank}");
    let _ = writeln!(out, "- Simulations or tabletop exercises to run: {blank}");
    let _ = writeln!(out, "- Training needed: {blank}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days_from_epoch_ms() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_764_374_400_000), "2025-11-29");
        assert_eq!(utc_date(951_782_400_000), "2000-02-29");
        assert_eq!(utc_date(4_107_542_400_000), "2100-03-01");
        assert_eq!(utc_date(1_764_374_399_999), "2025-11-28");
        assert_eq!(utc_date_time(1_764_374_399_999), "2025-11-28 23:59:59 UTC");
        // The largest epoch ms still gives a date, not a panic.
        assert!(!utc_date(u64::MAX).is_empty());
    }

    #[test]
    fn civil_from_days_walks_every_day() {
        // Day by day from 1969 to 2101: dates increase by exactly one day.
        let mut last = civil_from_days(-366);
        for days in -365..48_000 {
            let (y, m, d) = civil_from_days(days);
            let (ly, lm, ld) = last;
            let next_day = (y, m, d) == (ly, lm, ld + 1);
            let next_month = (y, m, d) == (ly, lm + 1, 1);
            let next_year = (y, m, d) == (ly + 1, 1, 1);
            assert!(
                next_day || next_month || next_year,
                "{last:?} -> {y}-{m}-{d}"
            );
            last = (y, m, d);
        }
    }

    #[test]
    fn slugs_are_lower_case_ascii_with_dashes() {
        assert_eq!(
            slug("tabletop-feepool-drain").as_deref(),
            Some("tabletop-feepool-drain")
        );
        assert_eq!(slug("SEV0 Pause__now").as_deref(), Some("sev0-pause-now"));
        assert_eq!(slug("--é--x--").as_deref(), Some("x"));
        assert_eq!(slug("ééé"), None);
        assert_eq!(
            folder_name(1_764_374_400_000, "pause").unwrap(),
            "2025-11-29-pause"
        );
    }

    #[test]
    fn paths_stay_inside() {
        assert!(is_inside("deployments/example.toml"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "./a",
            "C:x",
            "a\\b",
        ] {
            assert!(!is_inside(bad), "{bad}");
        }
    }
}
