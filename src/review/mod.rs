//! The Markdown review of a built runbook (`bundlec review`): what each Safe
//! transaction does, its effects and findings, the hashes a signer compares
//! on the device, a checklist per signer and the inputs' keccak256.
//!
//! Pure: it writes no file and judges nothing. The words are the planner's
//! (each call's summary, as the manifest records it and verify shows it), the
//! judgement is verify's (its [`Report`] per batch: effects, findings,
//! verdict), and the hashes are the ones verify recomputed from the batch. The
//! caller compiles the intent, checks that the files on disk are what it
//! builds, and verifies each batch; this module only lays them out.
//!
//! Every string from input goes through [`markdown::text`] or
//! [`markdown::code`]; text that verify already laid out (the Safe
//! transaction's fields and hashes) stays in a fenced code block, where
//! Markdown reads nothing.

pub mod markdown;

use std::fmt::Write as _;

use alloy_primitives::Address;

use crate::address_book::AddressBook;
use crate::build::manifest::{BatchView, Manifest};
use crate::safe::view;
use crate::verify::{Report, Verdict, render};

/// Who signs one Safe transaction, for the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signers {
    /// The Safe's owners, as the intent lists them (`[safe] owners`), and
    /// how many of them must sign (`[safe] threshold`), when known.
    Owners {
        owners: Vec<Address>,
        threshold: Option<u64>,
    },
    /// Not known (no owners listed, or another Safe's batch): this many
    /// blank entries to fill in by hand.
    Unknown(usize),
}

/// Blank checklist entries when a Safe's owners are not known.
pub const BLANK_SIGNERS: usize = 3;

/// One Safe transaction: the manifest's record of it, verify's report of its
/// batch file, the address book that report named addresses with, and who
/// signs it.
pub struct SafeTransaction<'a> {
    pub batch: &'a BatchView,
    pub report: &'a Report,
    pub book: &'a AddressBook,
    pub signers: Signers,
}

/// Everything one review shows.
pub struct Review<'a> {
    /// The intent file as the command was given it (`bundles/pause.toml`).
    pub intent: &'a str,
    /// The manifest the intent builds (equal to the one on disk).
    pub manifest: &'a Manifest,
    /// Every Safe transaction, in the runbook's order.
    pub transactions: Vec<SafeTransaction<'a>>,
    /// The command each signer runs to verify every batch, as shell words.
    pub verify_command: Vec<String>,
}

impl Review<'_> {
    /// Every batch verified (no error, no open danger).
    pub fn ok(&self) -> bool {
        self.transactions.iter().all(|t| t.report.ok)
    }
}

/// `created_at` (epoch ms, as the manifest writes it) as a UTC date and time,
/// or the raw text when it is not a number.
fn created(created_at: &str) -> String {
    match created_at.parse::<u64>() {
        Ok(ms) => format!(
            "{} ({})",
            crate::archive::utc_date_time(ms),
            markdown::code(&format!("created_at = {ms}"))
        ),
        Err(_) => markdown::code(created_at),
    }
}

/// The review, as one Markdown document.
pub fn markdown(review: &Review) -> String {
    let manifest = review.manifest;
    let mut out = String::new();
    let _ = writeln!(out, "# Review: {}\n", markdown::text(&manifest.bundle.name));
    let _ = writeln!(
        out,
        "<!-- Written by `bundlec review` from the intent and the files built from it. Do not edit: run it again. -->\n"
    );
    let count = review.transactions.len();
    if review.ok() {
        let _ = writeln!(
            out,
            "**VERIFIED**: the {} below {} what {} builds, byte for byte, and `bundlec verify` found nothing dangerous left unexplained. This review is not your check: run the verify command below on your own machine, with your own address book, before you sign.\n",
            plural(count, "Safe transaction", "Safe transactions"),
            if count == 1 { "is" } else { "are" },
            markdown::code(review.intent)
        );
    } else {
        let _ = writeln!(
            out,
            "**FAILED: do not sign.** `bundlec verify` failed for at least one Safe transaction below (see its findings). The hashes are shown for the incident record only.\n"
        );
    }
    let _ = writeln!(out, "- **Runbook:** {}", markdown::code(review.intent));
    let _ = writeln!(
        out,
        "- **What it is for:** {}",
        markdown::text(&manifest.bundle.description)
    );
    let _ = writeln!(
        out,
        "- **Created:** {}",
        created(&manifest.bundle.created_at)
    );
    if let Some(origin) = review
        .transactions
        .first()
        .and_then(|t| t.report.book_origin.as_ref())
    {
        let _ = writeln!(
            out,
            "- **Address book that named the addresses:** {} (keccak256 {}){}",
            markdown::code(&origin.file),
            markdown::code(&origin.keccak256.to_string()),
            if origin.signers_own {
                ", the reviewer's own copy"
            } else {
                ", the one the intent names: each signer checks against their own with `--deployment`"
            }
        );
    }
    let _ = writeln!(
        out,
        "- **Safe transactions:** {count}, each a separate signing round for every signer of its Safe\n"
    );

    let _ = writeln!(out, "## Confirm it yourself\n");
    let _ = writeln!(
        out,
        "Every signer runs, on their own machine, with the repository at the commit under review and their own copy of the address book in place of `YOUR-ADDRESS-BOOK.toml`:\n"
    );
    let _ = writeln!(out, "```sh\n{}\n```\n", shell_line(&review.verify_command));
    let _ = writeln!(
        out,
        "It must end in `VERIFIED`. Then, for each Safe transaction, tick your checklist below as the device shows each hash.\n"
    );

    for (index, tx) in review.transactions.iter().enumerate() {
        safe_transaction_section(&mut out, index, count, tx);
    }

    let _ = writeln!(out, "## Inputs\n");
    let _ = writeln!(
        out,
        "What the manifest records as read to build these batches (with {}):\n",
        markdown::code(&format!("bundlec {}", manifest.bundlec_version))
    );
    let _ = writeln!(out, "| role | file | keccak256 |\n|---|---|---|");
    for input in &manifest.inputs {
        let name = match &input.contract {
            Some(contract) => format!(
                "{} ({})",
                markdown::code(&input.name),
                markdown::text(contract)
            ),
            None => markdown::code(&input.name),
        };
        let _ = writeln!(
            out,
            "| {} | {name} | {} |",
            markdown::text(&input.role),
            markdown::code(&input.keccak256)
        );
    }
    out
}

/// One Safe transaction's section: its Safe, chain and nonce, what each call
/// does, the effects and findings verify reported, the fields and hashes the
/// device shows, and each signer's checklist. Called once per Safe
/// transaction (per batch; per nonce, when a batch is signed at several).
pub fn safe_transaction_section(
    out: &mut String,
    index: usize,
    count: usize,
    tx: &SafeTransaction,
) {
    let report = tx.report;
    let target = &report.target;
    let _ = writeln!(
        out,
        "## Safe transaction {} of {count}: {} at nonce {}\n",
        index.saturating_add(1),
        markdown::code(&tx.batch.file),
        target.nonce
    );
    let _ = writeln!(
        out,
        "- **Safe:** {}, version {}",
        markdown::text(&render::show(tx.book, target.safe)),
        target.version
    );
    let _ = writeln!(out, "- **Chain:** {}", target.chain_id);
    let _ = writeln!(out, "- **Nonce:** {}", target.nonce);
    let _ = writeln!(
        out,
        "- **Estimated gas:** {} (an upper bound; the wallet estimates its own)",
        markdown::text(&thousands(&tx.batch.estimated_gas))
    );
    let _ = writeln!(
        out,
        "- **verify:** {}\n",
        markdown::text(&render::verdict_line(report, &tx.batch.file))
    );

    let _ = writeln!(
        out,
        "### What it does ({})\n",
        plural(report.transactions.len(), "call", "calls")
    );
    for (i, call) in report.transactions.iter().enumerate() {
        let summary = call.summary.as_deref().unwrap_or("(no summary)");
        let _ = writeln!(out, "{}. {}", i.saturating_add(1), markdown::text(summary));
    }
    let _ = writeln!(out);

    let effects = render::effect_lines(report, tx.book);
    let _ = writeln!(out, "### Effects ({})\n", effects.len());
    if effects.is_empty() {
        let _ = writeln!(out, "none");
    }
    for line in &effects {
        let _ = writeln!(out, "- {}", labelled(line));
    }
    let _ = writeln!(out);

    let findings = render::finding_lines(report);
    let _ = writeln!(out, "### Findings ({})\n", report.findings.len());
    if findings.is_empty() {
        let _ = writeln!(out, "none");
    }
    for line in &findings {
        let _ = writeln!(out, "- {}", labelled(line));
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "### {}\n",
        if report.ok {
            "What the device shows"
        } else {
            "Hashes for the incident record only: DO NOT SIGN"
        }
    );
    let mut fields = String::new();
    render::write_safe_tx(
        &mut fields,
        tx.book,
        target.version,
        &report.safe_tx,
        &report.hashes,
    );
    if report.safe_tx_gas_assumed {
        let _ = writeln!(
            fields,
            "  (safeTxGas 0 is assumed: Safe {} needs one, which Safe{{Wallet}} estimates; check with --safe-tx)",
            target.version
        );
    }
    let _ = writeln!(out, "```text\n{fields}```\n");
    let _ = writeln!(
        out,
        "A Ledger shows the domain and message hashes in upper case, as above; compare every character, case aside.\n"
    );

    let _ = writeln!(out, "### Signers\n");
    let hashes = &report.hashes;
    let entries: Vec<String> = match &tx.signers {
        Signers::Owners { owners, .. } => owners
            .iter()
            .map(|owner| markdown::text(&render::show(tx.book, *owner)))
            .collect(),
        Signers::Unknown(n) => (1..=*n)
            .map(|i| format!("Signer {i}: name \\_\\_\\_\\_, address \\_\\_\\_\\_"))
            .collect(),
    };
    if let Signers::Owners { owners, threshold } = &tx.signers {
        let _ = writeln!(
            out,
            "The owners of this Safe, as the intent lists them{}. An owner whose key may be compromised does not sign.\n",
            match threshold {
                Some(t) => format!(": any {t} of the {} sign", owners.len()),
                None => String::new(),
            }
        );
    } else {
        let _ = writeln!(
            out,
            "The owners of this Safe are not listed in the intent: write each signer's name and address.\n"
        );
    }
    for entry in entries {
        let _ = writeln!(out, "#### {entry}\n");
        let _ = writeln!(
            out,
            "- [ ] I ran the verify command above on my own machine, with my own address book: `VERIFIED`"
        );
        let _ = writeln!(
            out,
            "- [ ] My device showed Domain hash {}",
            markdown::code(&view::ledger_hash(hashes.domain_hash))
        );
        let _ = writeln!(
            out,
            "- [ ] My device showed Message hash {}",
            markdown::code(&view::ledger_hash(hashes.message_hash))
        );
        let _ = writeln!(
            out,
            "- [ ] Safe{{Wallet}} showed safeTxHash {} at nonce {}",
            markdown::code(&view::hash(hashes.safe_tx_hash)),
            target.nonce
        );
        let _ = writeln!(out, "- [ ] Signed on: \\_\\_\\_\\_\n");
    }
}

/// A line of verify's effects or findings (`KIND rest`, the first word a
/// label bundlec wrote) as `**KIND** rest`, escaped.
fn labelled(line: &str) -> String {
    let line = collapse_spaces(line.trim());
    match line.split_once(' ') {
        Some((label, rest)) => format!("**{}** {}", markdown::text(label), markdown::text(rest)),
        None => markdown::text(&line),
    }
}

/// Runs of spaces as one: the text report pads columns, Markdown needs not.
fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c == ' ' {
            if !space {
                out.push(c);
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// `15000000` as `15,000,000`; other text as it is.
fn thousands(digits: &str) -> String {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_owned();
    }
    let mut out = String::with_capacity(digits.len().saturating_add(digits.len() / 3));
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len().saturating_sub(i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn shell_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| markdown::shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether the whole review is one a signer may act on.
pub fn verdict(review: &Review) -> Verdict {
    if review.ok() {
        Verdict::Verified
    } else {
        Verdict::Failed
    }
}
