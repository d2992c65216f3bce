//! The verify report as a signer reads it, and as data (`--json`, described
//! in docs/verify-json.md).
//!
//! The verdict comes first and last, so it is what a hurried signer sees;
//! on FAILED the hashes stay in the report for the incident record, under a
//! heading that says not to sign them. Every string from input is escaped
//! (`crate::text::untrusted`), so only this module breaks lines.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::findings::{self, Severity, Status};
use super::{Report, Verdict};
use crate::address_book::AddressBook;
use crate::decode::render::{tree_json, tree_text};
use crate::safe::view::{self, SafeTxView};
use crate::text::untrusted;

pub fn report_json(report: &Report, book: &AddressBook) -> Value {
    let transactions: Vec<Value> = report
        .transactions
        .iter()
        .map(|t| {
            json!({
                "to": view::address(t.call.to),
                "value": t.call.value.to_string(),
                "data": alloy_primitives::hex::encode_prefixed(&t.call.data),
                "summary": t.summary,
                "intended": t.intended,
                "decoded": t.tree.as_ref().map_or(Value::Null, |tree| tree_json(tree, book)),
            })
        })
        .collect();
    let mut safe_transactions = vec![with_role(
        SafeTxView::new(&report.safe_tx, &report.hashes),
        "batch",
        report.target.safe,
        &report.target.version.to_string(),
    )];
    if let Some((owner, tx, hashes)) = &report.nested {
        safe_transactions.push(with_role(
            SafeTxView::new(tx, hashes),
            "nested-approve-hash",
            owner.safe,
            &owner.version.to_string(),
        ));
    }
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "severity": f.severity,
                "status": f.status,
                "blocking": f.blocks(report.strict),
                "path": f.path,
                "message": f.message,
            })
        })
        .collect();
    let effects: Vec<Value> = report
        .effects
        .iter()
        .map(|e| {
            json!({
                "path": e.effect.path,
                "kind": e.effect.kind,
                "function": e.effect.function,
                "on": e.effect.on.map(view::address),
                "gainer": e.effect.gainer.map(view::address),
                "renounces": e.effect.renounces,
                "intended": e.intended,
            })
        })
        .collect();
    json!({
        "verdict": report.verdict,
        "ok": report.ok,
        "strict": report.strict,
        "references": report.references,
        "address_book": report.book_origin.as_ref().map(|b| json!({
            "file": b.file,
            "keccak256": b.keccak256.to_string(),
            "signers_own": b.signers_own,
        })),
        "accepted": report.accepted.iter().map(|a| format!("{}@{}", a.code.as_str(), a.path)).collect::<Vec<_>>(),
        "checksum": {
            "stored": report.checksum.stored,
            "computed": report.checksum.computed.as_ref().map(crate::txbuilder::format_checksum),
            "valid": report.checksum.valid,
        },
        "chain_id": report.target.chain_id.to_string(),
        "safe": view::address(report.target.safe),
        "safe_version": report.target.version.to_string(),
        "nonce": report.target.nonce.to_string(),
        "safe_tx_gas_assumed": report.safe_tx_gas_assumed,
        "transactions": transactions,
        "effects": effects,
        "safe_transactions": safe_transactions,
        "findings": findings,
    })
}

fn with_role(
    view: SafeTxView,
    role: &str,
    safe: alloy_primitives::Address,
    version: &str,
) -> Value {
    let mut value = serde_json::to_value(view).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("role".into(), Value::String(role.into()));
        map.insert("safe".into(), Value::String(view::address(safe)));
        map.insert("safe_version".into(), Value::String(version.into()));
    }
    value
}

/// The verdict line, printed first and last (and alone under `--quiet`).
pub fn verdict_line(report: &Report, batch_name: &str) -> String {
    let count = |severity: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.blocks(report.strict))
            .count()
    };
    let name = untrusted(batch_name);
    match report.verdict {
        Verdict::Verified => format!(
            "VERIFIED  {name}: matches the {}, nothing dangerous left unexplained",
            report.references.join(", ")
        ),
        Verdict::NoReference => format!(
            "NO REFERENCE  {name}: decoded and scanned, nothing dangerous found, but nothing said what it is meant to do: this is not a verification"
        ),
        Verdict::Failed => format!(
            "FAILED  {name}: do not sign ({} error(s), {} danger(s){})",
            count(Severity::Error),
            count(Severity::Danger),
            if report.strict {
                format!(", {} notice(s) under --strict", count(Severity::Notice))
            } else {
                String::new()
            }
        ),
    }
}

pub fn report_text(report: &Report, book: &AddressBook, batch_name: &str) -> String {
    let mut out = String::new();
    let verdict = verdict_line(report, batch_name);
    let _ = writeln!(out, "{verdict}");
    let t = &report.target;
    let _ = writeln!(
        out,
        "Safe {} on chain {}, version {}, nonce {}",
        show(book, t.safe),
        t.chain_id,
        t.version,
        t.nonce
    );
    match &report.book_origin {
        Some(origin) => {
            let _ = writeln!(
                out,
                "Address book trusted: {} (keccak256 {}){}",
                untrusted(&origin.file),
                origin.keccak256,
                if origin.signers_own {
                    ", your own copy"
                } else {
                    ", the one the intent names: check it against your own with --deployment"
                }
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Address book trusted: none (give your own with --deployment)"
            );
        }
    }
    for a in &report.accepted {
        let _ = writeln!(
            out,
            "Accepted by you: {}@{}",
            a.code.as_str(),
            untrusted(&a.path)
        );
    }

    let _ = writeln!(out, "\nCalls ({})", report.transactions.len());
    for (index, tx) in report.transactions.iter().enumerate() {
        if let Some(summary) = &tx.summary {
            let _ = writeln!(out, "  tx {index}: {summary}");
        }
        match &tx.tree {
            Some(tree) => {
                for line in tree_text(tree, book).lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "    {} value {} data {} (unreadable)",
                    view::address(tx.call.to),
                    tx.call.value,
                    alloy_primitives::hex::encode_prefixed(&tx.call.data)
                );
            }
        }
    }

    write_effects(&mut out, report, book);

    let _ = writeln!(out, "\nFindings ({})", report.findings.len());
    let lines = finding_lines(report);
    if lines.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }

    if report.verdict == Verdict::Failed {
        let _ = writeln!(
            out,
            "\nHashes for the incident record only: DO NOT SIGN THIS TRANSACTION"
        );
    } else if report.verdict == Verdict::NoReference {
        let _ = writeln!(
            out,
            "\nSafe transaction (not verified: sign only if its safeTxHash matches one you got from a source you trust)"
        );
    } else {
        let _ = writeln!(out, "\nSafe transaction to sign");
    }
    write_safe_tx(
        &mut out,
        book,
        report.target.version,
        &report.safe_tx,
        &report.hashes,
    );
    if report.safe_tx_gas_assumed {
        let _ = writeln!(
            out,
            "  (safeTxGas 0 is assumed: Safe {} needs one, which Safe{{Wallet}} estimates; check with --safe-tx)",
            report.target.version
        );
    }
    if let Some((owner, tx, hashes)) = &report.nested {
        let _ = writeln!(
            out,
            "\nNested Safe {} (version {}, nonce {}) approves it with approveHash",
            view::address(owner.safe),
            owner.version,
            owner.nonce
        );
        write_safe_tx(&mut out, book, owner.version, tx, hashes);
        if !owner.version.safe_tx_gas_optional() {
            let _ = writeln!(
                out,
                "  (safeTxGas 0 is assumed: Safe {} needs one, which Safe{{Wallet}} estimates)",
                owner.version
            );
        }
    }
    let _ = writeln!(out, "\n{verdict}");
    out
}

/// The effects of the calls, one line per cause.
fn write_effects(out: &mut String, report: &Report, book: &AddressBook) {
    let lines = effect_lines(report, book);
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nEffects ({})", lines.len());
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }
}

/// The effects of the calls (forwarding aside), one line per cause with the
/// paths it was found at: `pause       pause() pauses 0x… (FeePool)  (intended)  [tx 0.0]`.
/// Every input string is escaped.
pub fn effect_lines(report: &Report, book: &AddressBook) -> Vec<String> {
    let listed = report
        .effects
        .iter()
        .filter(|e| e.effect.kind != super::EffectKind::Forward);
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    let mut index = std::collections::BTreeMap::<String, usize>::new();
    for e in listed {
        let effect = &e.effect;
        let on = effect
            .on
            .map_or_else(|| "the calling contract".to_string(), |a| show(book, a));
        let gainer = effect
            .gainer
            .map(|g| format!("{} {}", effect.kind.gainer_preposition(), show(book, g)))
            .unwrap_or_default();
        let function = if effect.function.is_empty() {
            String::new()
        } else {
            format!("{} ", untrusted(&effect.function))
        };
        let text = format!(
            "{:<11} {function}{} {on}{gainer}{}",
            effect.kind.as_str(),
            effect.does,
            if e.intended { "  (intended)" } else { "" }
        );
        match index.get(&text).and_then(|&i| lines.get_mut(i)) {
            Some((_, paths)) => paths.push(&effect.path),
            None => {
                index.insert(text.clone(), lines.len());
                lines.push((text, vec![&effect.path]));
            }
        }
    }
    lines
        .into_iter()
        .map(|(text, paths)| format!("{text}  [{}]", untrusted(&abbreviate(&paths))))
        .collect()
}

/// One line per group of findings with one cause, as the text report lists
/// them: `DANGER code [paths] message`, every input string escaped.
pub fn finding_lines(report: &Report) -> Vec<String> {
    findings::group(&report.findings)
        .iter()
        .map(|group| {
            let f = group.first;
            let label = match (f.severity, f.status) {
                (Severity::Error, _) => "ERROR ",
                (Severity::Danger, Status::Open) => "DANGER",
                (Severity::Danger, Status::Intended) => "intended",
                (Severity::Danger, Status::Accepted) => "accepted",
                (Severity::Notice, _) if report.strict => "NOTICE",
                (Severity::Notice, _) => "notice",
            };
            let paths = if group.paths.len() > 1 {
                format!("{} times: {}", group.paths.len(), abbreviate(&group.paths))
            } else {
                group.paths.join(", ")
            };
            format!(
                "{label} {} [{}] {}",
                f.code.as_str(),
                untrusted(&paths),
                untrusted(&f.message)
            )
        })
        .collect()
}

/// At most eight paths, then how many more.
fn abbreviate(paths: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        let _ = write!(text, " and {} more", paths.len().saturating_sub(SHOWN));
    }
    text
}

pub fn show(book: &AddressBook, address: alloy_primitives::Address) -> String {
    match book.name_of(address) {
        Some(name) => format!("{} ({})", view::address(address), untrusted(&name)),
        None => view::address(address),
    }
}

/// All ten signed fields, then the hashes the device shows.
pub fn write_safe_tx(
    out: &mut String,
    book: &AddressBook,
    version: crate::safe::SafeVersion,
    tx: &crate::safe::SafeTx,
    hashes: &crate::safe::SafeTxHashes,
) {
    let _ = writeln!(out, "  to              {}", show(book, tx.to));
    let data = format!(
        "{} bytes, keccak256 {}",
        tx.data.len(),
        alloy_primitives::keccak256(&tx.data)
    );
    out.push_str(&view::field_lines(tx, version, &data));
    out.push_str(&view::device_hash_lines(
        hashes.domain_hash,
        hashes.message_hash,
        "safeTxHash",
        hashes.safe_tx_hash,
    ));
}
