//! The verify report as a signer reads it, and as data (`--json`).
//!
//! JSON schema (documented in docs/verify-json.md): `ok`, `checksum` {stored, computed,
//! valid}, `chain_id`, `safe`, `safe_version`, `nonce`, `transactions` [{to,
//! value, data, decoded}], `safe_transactions` [SafeTxView…, the batch's own
//! first, then the nested owner's approveHash transaction if any, with `role`],
//! `findings` [{code, severity, path, message}].

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Report, Severity};
use crate::address_book::AddressBook;
use crate::decode::render::{tree_json, tree_text};
use crate::safe::view::{self, SafeTxView};

pub fn report_json(report: &Report, book: &AddressBook) -> Value {
    let transactions: Vec<Value> = report
        .transactions
        .iter()
        .map(|t| {
            json!({
                "to": view::address(t.call.to),
                "value": t.call.value.to_string(),
                "data": alloy_primitives::hex::encode_prefixed(&t.call.data),
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
    json!({
        "ok": report.ok,
        "checksum": {
            "stored": report.checksum.stored,
            "computed": report.checksum.computed.as_ref().map(crate::txbuilder::format_checksum),
            "valid": report.checksum.valid,
        },
        "chain_id": report.target.chain_id.to_string(),
        "safe": view::address(report.target.safe),
        "safe_version": report.target.version.to_string(),
        "nonce": report.target.nonce.to_string(),
        "transactions": transactions,
        "safe_transactions": safe_transactions,
        "findings": report.findings,
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

pub fn report_text(report: &Report, book: &AddressBook, batch_name: &str) -> String {
    let mut out = String::new();
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.findings.len().saturating_sub(errors);
    if report.ok {
        let _ = writeln!(out, "VERIFIED  {batch_name}  ({warnings} warning(s))");
    } else {
        let _ = writeln!(
            out,
            "FAILED  {batch_name}  ({errors} error(s), {warnings} warning(s)): do not sign"
        );
    }
    let t = &report.target;
    let _ = writeln!(
        out,
        "Safe {} on chain {}, version {}, nonce {}",
        view::address(t.safe),
        t.chain_id,
        t.version,
        t.nonce
    );
    let _ = writeln!(out, "\nCalls ({})", report.transactions.len());
    for tx in &report.transactions {
        match &tx.tree {
            Some(tree) => {
                for line in tree_text(tree, book).lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {} value {} data {} (unreadable)",
                    view::address(tx.call.to),
                    tx.call.value,
                    alloy_primitives::hex::encode_prefixed(&tx.call.data)
                );
            }
        }
    }
    let _ = writeln!(out, "\nFindings ({})", report.findings.len());
    if report.findings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for f in &report.findings {
        let severity = match f.severity {
            Severity::Error => "ERROR  ",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "  {severity} {} [{}] {}",
            f.code.as_str(),
            f.path,
            f.message
        );
    }
    let _ = writeln!(out, "\nSafe transaction to sign");
    write_safe_tx(&mut out, &report.safe_tx, &report.hashes);
    if let Some((owner, tx, hashes)) = &report.nested {
        let _ = writeln!(
            out,
            "\nNested Safe {} (version {}, nonce {}) approves it with approveHash",
            view::address(owner.safe),
            owner.version,
            owner.nonce
        );
        write_safe_tx(&mut out, tx, hashes);
    }
    out
}

fn write_safe_tx(out: &mut String, tx: &crate::safe::SafeTx, hashes: &crate::safe::SafeTxHashes) {
    let operation = tx.known_operation().map_or("?", |op| op.name());
    let _ = writeln!(out, "  to              {}", view::address(tx.to));
    let _ = writeln!(out, "  value           {}", tx.value);
    let _ = writeln!(out, "  operation       {} ({operation})", tx.operation);
    let _ = writeln!(
        out,
        "  data            {} bytes, keccak256 {}",
        tx.data.len(),
        alloy_primitives::keccak256(&tx.data)
    );
    let _ = writeln!(out, "  nonce           {}", tx.nonce);
    out.push_str(&view::device_hash_lines(
        hashes.domain_hash,
        hashes.message_hash,
        "safeTxHash",
        hashes.safe_tx_hash,
    ));
}
