//! The signer's independent check: recompute everything from the batch bytes,
//! decode every call, compare with whatever else the signer was given (the
//! intent, a manifest, a proposed Safe transaction, a hash), and report
//! findings. Pure: the caller reads the files and picks the expectations.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod batch;
pub mod effects;
pub mod findings;
pub mod given;
pub mod render;
pub mod scan;

use alloy_primitives::{Address, B256, U256};

use crate::abi::registry::AbiRegistry;
use crate::address_book::AddressBook;
use crate::decode::{CallNode, CallSite, Decoder};
use crate::safe::batching::{Call, safe_tx_for_calls};
use crate::safe::deployments::MultiSendChoice;
use crate::safe::view::SafeTxView;
use crate::safe::{self, Operation, SafeTx, SafeTxHashes, SafeVersion, nested};
use crate::txbuilder::{self, ChecksumReport, JsonTree};

pub use batch::{BatchContents, BatchError, read_batch};
pub use effects::{Effect, EffectKind};
pub use findings::{Acceptance, Code, Finding, Findings, Severity, Status};
pub use given::{GivenSafeTx, GivenSafeTxError, parse_given_safe_tx};

/// Which Safe is to sign, where, and at which nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub chain_id: u64,
    pub safe: Address,
    pub version: SafeVersion,
    pub nonce: U256,
    /// Which MultiSendCallOnly a batch of several calls goes through (the
    /// chain's default when empty). Its address may come from the intent,
    /// which the batch's author wrote: it picks, it does not vouch.
    pub multi_send: MultiSendChoice,
    /// A MultiSendCallOnly the signer named themselves (`--multi-send-call-only`):
    /// the only address outside the table that a DELEGATECALL may go to
    /// without an `untrusted-delegatecall` danger.
    pub trusted_multi_send_call_only: Option<Address>,
}

/// An owner Safe that approves the batch's hash with `approveHash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedOwner {
    pub safe: Address,
    pub version: SafeVersion,
    pub nonce: U256,
}

/// Where the address book that names addresses came from: verify says which
/// book it trusted, because a book that travels with the batch can lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookOrigin {
    /// The file as the signer named it (or the intent file, for an inline book).
    pub file: String,
    pub keccak256: B256,
    /// Given with `--deployment`: the signer's own copy.
    pub signers_own: bool,
}

/// A finding the caller found before verifying (unchecked values, overridden
/// flags, an address book that disagrees with the signer's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preliminary {
    pub code: Code,
    pub path: String,
    pub message: String,
}

/// A batch file as verify reads it ([`read`]): the checksum the UI would
/// compute, the calls the Safe would make, and what reading them found. It
/// holds nothing of the file, so the caller can free the file before the
/// calls are decoded (on a large batch, the file and its tree are half of
/// what verify holds).
#[derive(Debug, Clone)]
pub struct BatchRead {
    pub checksum: ChecksumReport,
    pub contents: BatchContents,
    /// The checksum's and the calls' labels' findings, in the order found.
    findings: Findings,
}

/// Reads a batch file for [`verify`]: the UI's checksum check, then its
/// calls. The errors are the file's: not an object, no transactions, a
/// transaction the Transaction Builder would not load.
pub fn read(batch: &impl JsonTree) -> Result<BatchRead, VerifyError> {
    let mut findings = Findings::new();
    let checksum = txbuilder::check(batch).map_err(|_| VerifyError::NotAnObject)?;
    match &checksum.stored {
        None => findings.add(
            Code::ChecksumMissing,
            "batch",
            "the batch has no meta.checksum, so nothing shows it is the file that was written",
        ),
        Some(_) if !checksum.valid => findings.add(
            Code::ChecksumMismatch,
            "batch",
            "meta.checksum does not match the contents: the file was changed after it was written",
        ),
        Some(_) => {}
    }

    if batch
        .get("transactions")
        .and_then(JsonTree::as_array)
        .is_some_and(<[_]>::is_empty)
    {
        return Err(VerifyError::NothingToSign);
    }
    let contents = read_batch(batch, &mut findings)?;
    Ok(BatchRead {
        checksum,
        contents,
        findings,
    })
}

/// Everything a verification compares.
pub struct Request<'a> {
    /// The batch file as [`read`] reads it.
    pub batch: &'a BatchRead,
    pub target: Target,
    /// The calls the intent recompiles to, when `--intent` was given.
    pub intent_calls: Option<&'a [Call]>,
    /// What each call is for, in the words of the intent (recompiled by the signer).
    pub summaries: Option<&'a [std::rc::Rc<str>]>,
    /// The manifest's record of this batch's Safe transaction.
    pub manifest_safe_tx: Option<&'a SafeTxView>,
    pub given_safe_tx: Option<&'a GivenSafeTx>,
    pub expect_safe_tx_hash: Option<B256>,
    pub nested: Option<NestedOwner>,
    pub registry: &'a AbiRegistry,
    pub book: &'a AddressBook,
    pub book_origin: Option<BookOrigin>,
    pub accept: &'a [Acceptance],
    pub preliminary: &'a [Preliminary],
    pub strict: bool,
}

/// The three answers verify gives, distinct so nobody mistakes one for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Compared with a reference (intent, manifest or expected hash), and
    /// nothing failed.
    Verified,
    /// Decoded and scanned, nothing dangerous, but nothing said what was
    /// meant: not a verification.
    NoReference,
    /// Do not sign.
    Failed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "VERIFIED",
            Verdict::NoReference => "NO REFERENCE",
            Verdict::Failed => "FAILED",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedTransaction {
    pub call: Call,
    pub tree: Option<CallNode>,
    /// The intent's words for this call.
    pub summary: Option<String>,
    /// The intent compiles to exactly this call.
    pub intended: bool,
}

/// An effect found in the tree, and whether the intent asked for its call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportedEffect {
    #[serde(flatten)]
    pub effect: Effect,
    pub intended: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub verdict: Verdict,
    pub ok: bool,
    pub strict: bool,
    pub checksum: ChecksumReport,
    pub target: Target,
    pub transactions: Vec<VerifiedTransaction>,
    pub safe_tx: SafeTx,
    pub hashes: SafeTxHashes,
    /// Below 1.3.0: no proposed transaction gave a safeTxGas, so the hashes
    /// assume 0, which Safe{Wallet} does not propose.
    pub safe_tx_gas_assumed: bool,
    pub nested: Option<(NestedOwner, SafeTx, SafeTxHashes)>,
    pub findings: Vec<Finding>,
    pub effects: Vec<ReportedEffect>,
    /// What the batch was compared with: `intent`, `manifest`, `expected-hash`.
    pub references: Vec<&'static str>,
    pub book_origin: Option<BookOrigin>,
    pub accepted: Vec<Acceptance>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the batch is not one the Transaction Builder would load: {0}")]
    Batch(#[from] BatchError),
    #[error("the batch is not a JSON object")]
    NotAnObject,
    /// The Transaction Builder loads it (as an empty batch), but there is no
    /// Safe transaction to check or sign.
    #[error(
        "the batch has no transactions: the Transaction Builder loads it as an empty batch, but there is nothing to sign and nothing to verify"
    )]
    NothingToSign,
    #[error(transparent)]
    Batching(#[from] crate::safe::batching::BatchingError),
    #[error("the batch exceeds what bundlec reads: {0}")]
    Limit(crate::decode::DecodeError),
}

/// The lowest `safeTxGas` bundlec accepts per call for Safes below 1.3.0,
/// where the Safe gives the inner call exactly that much gas and a call that
/// runs out fails without reverting (the nonce is used, nothing happens).
/// Far below what a state-changing call needs, so it only catches the
/// absurd (2300, a stipend); the real value is Safe{Wallet}'s estimate.
pub const MIN_SAFE_TX_GAS_PER_CALL: u64 = 10_000;

pub fn verify(request: &Request) -> Result<Report, VerifyError> {
    let target = &request.target;
    let mut findings = Findings::new();
    for p in request.preliminary {
        findings.add(p.code, p.path.clone(), p.message.clone());
    }

    findings.extend(&request.batch.findings);
    let checksum = request.batch.checksum.clone();
    let contents = &request.batch.contents;
    if contents.chain_id.as_deref() != Some(target.chain_id.to_string().as_str()) {
        findings.add(
            Code::ChainMismatch,
            "batch",
            format!(
                "the batch is for chain {}, not chain {}",
                crate::text::untrusted(contents.chain_id.as_deref().unwrap_or("(none)")),
                target.chain_id
            ),
        );
    }
    let created_from = contents
        .created_from_safe
        .as_deref()
        .and_then(batch::loose_address);
    if created_from != Some(target.safe) {
        findings.add(
            Code::SafeMismatch,
            "batch",
            format!(
                "the batch was made for Safe {}, not {}",
                crate::text::untrusted(contents.created_from_safe.as_deref().unwrap_or("(none)")),
                target.safe.to_checksum(None)
            ),
        );
    }

    let mut decoder = Decoder::new(request.registry, request.book);
    decoder.safe = Some(target.safe);
    let scope = scan::Scope {
        target,
        book: request.book,
        book_given: request.book_origin.is_some(),
        eip55: crate::memo::Eip55::new(),
    };
    // A call is intended when the intent compiles to exactly it.
    let intended_at = |index: usize| {
        request
            .intent_calls
            .is_some_and(|expected| expected.get(index) == contents.calls.get(index))
    };
    // Several calls go through MultiSendCallOnly; from 1.5.0 it runs a call
    // to address 0 on the Safe itself, so that is what the signer must see.
    let batched_from_1_5 =
        contents.calls.len() > 1 && target.version.release() >= crate::safe::Release::V1_5_0;
    let mut transactions = Vec::with_capacity(contents.calls.len());
    let mut effects = Vec::new();
    for (index, call) in contents.calls.iter().enumerate() {
        let site = CallSite {
            to: Some(call.to),
            value: Some(call.value),
            operation: Some(Operation::Call),
            executor: Some(target.safe),
            zero_means_safe: batched_from_1_5 && call.to.is_zero(),
        };
        let path = format!("tx {index}");
        let intended = intended_at(index);
        let tree = match decoder.decode_shared(site, call.data.clone(), &path) {
            Ok(tree) => {
                effects.extend(
                    scan::scan_tree(&tree, &scope, &mut findings)
                        .into_iter()
                        .map(|effect| ReportedEffect { effect, intended }),
                );
                Some(tree)
            }
            Err(err) if err.is_limit() => return Err(VerifyError::Limit(err)),
            Err(err) => {
                findings.add(
                    Code::CalldataMalformed,
                    &path,
                    format!(
                        "the data cannot be read as the call it claims to be: {}",
                        crate::text::untrusted(&err.to_string())
                    ),
                );
                None
            }
        };
        transactions.push(VerifiedTransaction {
            call: call.clone(),
            tree,
            summary: request
                .summaries
                .and_then(|s| s.get(index))
                .map(|s| crate::text::untrusted(s).into_owned()),
            intended,
        });
    }

    let mut references = Vec::new();
    if let Some(expected) = request.intent_calls {
        references.push("intent");
        compare_with_intent(expected, &contents.calls, &decoder, &mut findings);
    }

    let mut safe_tx = safe_tx_for_calls(
        &contents.calls,
        target.version,
        target.chain_id,
        target.nonce,
        target.multi_send,
    )?;
    // Below 1.3.0 the Safe needs a gas limit for the inner call, so
    // Safe{Wallet} proposes an estimated safeTxGas instead of 0; nothing in
    // the batch fixes it. The proposed transaction's value is taken (every
    // other field is still checked), else 0 is assumed and said.
    let mut safe_tx_gas_assumed = false;
    if !target.version.safe_tx_gas_optional() {
        match request.given_safe_tx {
            Some(given) => {
                safe_tx.safe_tx_gas = given.tx.safe_tx_gas;
                let calls = u64::try_from(contents.calls.len())
                    .unwrap_or(u64::MAX)
                    .max(1);
                let floor = U256::from(calls).saturating_mul(U256::from(MIN_SAFE_TX_GAS_PER_CALL));
                if !safe_tx.safe_tx_gas.is_zero() && safe_tx.safe_tx_gas < floor {
                    findings.add(
                        Code::SafeTxGasTooLow,
                        "safe_tx",
                        format!(
                            "safeTxGas is {} for {} call(s): Safe {} gives the calls only that much gas, and a call that runs out fails without reverting, so the nonce is spent and nothing happens",
                            safe_tx.safe_tx_gas, contents.calls.len(), target.version
                        ),
                    );
                }
            }
            None => {
                safe_tx_gas_assumed = true;
                findings.add(
                    Code::SafeTxGasAssumed,
                    "safe_tx",
                    format!(
                        "Safe {} needs a safeTxGas, which Safe{{Wallet}} estimates: these hashes assume 0; give the proposed transaction with --safe-tx to check its own",
                        target.version
                    ),
                );
            }
        }
    }
    let hashes = safe::safe_tx_hashes(target.version, target.chain_id, target.safe, &safe_tx);
    scan::scan_safe_tx(&safe_tx, "safe_tx", target, &mut findings);

    if let Some(recorded) = request.manifest_safe_tx {
        references.push("manifest");
        let computed = SafeTxView::new(&safe_tx, &hashes);
        for (field, want, got) in view_differences(&computed, recorded) {
            findings.add(
                Code::ManifestMismatch,
                "manifest",
                format!(
                    "the manifest's {field} is {}, but this batch gives {want}",
                    crate::text::untrusted(&got)
                ),
            );
        }
    }

    if let Some(given) = request.given_safe_tx {
        compare_given(given, &safe_tx, &hashes, &decoder, &scope, &mut findings);
    }
    if let Some(expected) = request.expect_safe_tx_hash {
        references.push("expected-hash");
        if expected != hashes.safe_tx_hash {
            findings.add(
                Code::SafeTxHashMismatch,
                "safe_tx",
                format!(
                    "this batch gives safeTxHash {}, not the expected {expected}",
                    hashes.safe_tx_hash
                ),
            );
        }
    }

    if let Some(owner) = &request.nested
        && !owner.version.safe_tx_gas_optional()
    {
        findings.add(
            Code::SafeTxGasAssumed,
            "nested_safe_tx",
            format!(
                "the owner Safe is version {}, which needs a safeTxGas for its approveHash transaction that Safe{{Wallet}} estimates: its hashes here assume 0 and will not match the device",
                owner.version
            ),
        );
    }
    let nested = request.nested.clone().map(|owner| {
        let approve = nested::approve_hash_tx(target.safe, hashes.safe_tx_hash, owner.nonce);
        let approve_hashes =
            safe::safe_tx_hashes(owner.version, target.chain_id, owner.safe, &approve);
        (owner, approve, approve_hashes)
    });

    if references.is_empty() {
        findings.add(
            Code::NoReference,
            "batch",
            "nothing said what this batch is meant to do (no --intent, --manifest or --expect-safe-tx-hash): it was decoded and scanned, not verified",
        );
    }
    findings.mark_intended(|path| tx_index(path).is_some_and(intended_at));
    let unused = findings.accept(request.accept);
    for acceptance in &unused {
        findings.add(
            Code::AcceptUnused,
            "batch",
            format!(
                "--accept {}@{} matches no danger in this batch",
                acceptance.code.as_str(),
                crate::text::untrusted(&acceptance.path)
            ),
        );
    }

    let findings = findings.into_vec();
    let failed = findings.iter().any(|f| f.blocks(request.strict));
    let verdict = if failed {
        Verdict::Failed
    } else if references.is_empty() {
        Verdict::NoReference
    } else {
        Verdict::Verified
    };
    Ok(Report {
        verdict,
        ok: !failed,
        strict: request.strict,
        checksum,
        target: target.clone(),
        transactions,
        safe_tx,
        hashes,
        safe_tx_gas_assumed,
        nested,
        findings,
        effects,
        references,
        book_origin: request.book_origin.clone(),
        accepted: request.accept.to_vec(),
    })
}

/// The batch transaction a finding's path lies in: `tx 3.0.1` is in 3.
fn tx_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("tx ")?;
    let head = rest.split('.').next()?;
    head.parse().ok()
}

fn describe_call(call: &Call, decoder: &Decoder) -> String {
    let site = CallSite {
        to: Some(call.to),
        value: Some(call.value),
        operation: Some(Operation::Call),
        ..CallSite::default()
    };
    match decoder.decode(site, &call.data, "") {
        Ok(tree) => {
            let text = crate::decode::render::tree_text(&tree, decoder.book);
            text.lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("[] ")
                .to_string()
        }
        Err(_) => format!(
            "{} value {} data {}",
            call.to.to_checksum(None),
            call.value,
            alloy_primitives::hex::encode_prefixed(&call.data)
        ),
    }
}

fn compare_with_intent(
    expected: &[Call],
    actual: &[Call],
    decoder: &Decoder,
    findings: &mut Findings,
) {
    let first_difference =
        (0..expected.len().max(actual.len())).find(|&i| expected.get(i) != actual.get(i));
    let Some(index) = first_difference else {
        return;
    };
    let side = |call: Option<&Call>| {
        call.map_or_else(|| "(no call)".to_string(), |c| describe_call(c, decoder))
    };
    findings.add(
        Code::IntentMismatch,
        format!("tx {index}"),
        format!(
            "the batch differs from what the intent compiles to: expected {} but the batch has {}{}",
            side(expected.get(index)),
            side(actual.get(index)),
            if expected.len() != actual.len() {
                format!(" ({} calls expected, {} in the batch)", expected.len(), actual.len())
            } else {
                String::new()
            }
        ),
    );
}

/// Field-by-field differences as (field, computed, recorded).
fn view_differences(
    computed: &SafeTxView,
    recorded: &SafeTxView,
) -> Vec<(&'static str, String, String)> {
    let (computed_data, recorded_data) = (computed.data.text(), recorded.data.text());
    let pairs: [(&'static str, &str, &str); 13] = [
        ("to", &computed.to, &recorded.to),
        ("value", &computed.value, &recorded.value),
        ("data", &computed_data, &recorded_data),
        ("operation", &computed.operation, &recorded.operation),
        ("safe_tx_gas", &computed.safe_tx_gas, &recorded.safe_tx_gas),
        ("base_gas", &computed.base_gas, &recorded.base_gas),
        ("gas_price", &computed.gas_price, &recorded.gas_price),
        ("gas_token", &computed.gas_token, &recorded.gas_token),
        (
            "refund_receiver",
            &computed.refund_receiver,
            &recorded.refund_receiver,
        ),
        ("nonce", &computed.nonce, &recorded.nonce),
        ("domain_hash", &computed.domain_hash, &recorded.domain_hash),
        (
            "message_hash",
            &computed.message_hash,
            &recorded.message_hash,
        ),
        (
            "safe_tx_hash",
            &computed.safe_tx_hash,
            &recorded.safe_tx_hash,
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| !a.eq_ignore_ascii_case(b))
        .map(|(field, a, b)| (field, a.to_owned(), b.to_owned()))
        .collect()
}

fn compare_given(
    given: &GivenSafeTx,
    computed: &SafeTx,
    hashes: &SafeTxHashes,
    decoder: &Decoder,
    scope: &scan::Scope,
    findings: &mut Findings,
) {
    let target = scope.target;
    let given_hashes =
        safe::safe_tx_hashes(target.version, target.chain_id, target.safe, &given.tx);
    if let Some(claimed) = given.claimed_hash
        && claimed != given_hashes.safe_tx_hash
    {
        findings.add(
            Code::SafeTxHashMismatch,
            "given_safe_tx",
            format!(
                "the given transaction claims safeTxHash {claimed}, but its fields hash to {}",
                given_hashes.safe_tx_hash
            ),
        );
    }
    let g = &given.tx;
    let fields: [(&str, String, String); 10] = [
        ("to", computed.to.to_checksum(None), g.to.to_checksum(None)),
        ("value", computed.value.to_string(), g.value.to_string()),
        (
            "data",
            alloy_primitives::hex::encode_prefixed(&computed.data),
            alloy_primitives::hex::encode_prefixed(&g.data),
        ),
        (
            "operation",
            computed.operation.to_string(),
            g.operation.to_string(),
        ),
        (
            "safeTxGas",
            computed.safe_tx_gas.to_string(),
            g.safe_tx_gas.to_string(),
        ),
        (
            "baseGas",
            computed.base_gas.to_string(),
            g.base_gas.to_string(),
        ),
        (
            "gasPrice",
            computed.gas_price.to_string(),
            g.gas_price.to_string(),
        ),
        (
            "gasToken",
            computed.gas_token.to_checksum(None),
            g.gas_token.to_checksum(None),
        ),
        (
            "refundReceiver",
            computed.refund_receiver.to_checksum(None),
            g.refund_receiver.to_checksum(None),
        ),
        ("nonce", computed.nonce.to_string(), g.nonce.to_string()),
    ];
    for (field, want, got) in fields {
        if want == got {
            continue;
        }
        let message = if field == "data" {
            let site = |tx: &SafeTx| CallSite {
                to: Some(tx.to),
                value: Some(tx.value),
                operation: tx.known_operation(),
                ..CallSite::default()
            };
            let read = |tx: &SafeTx| match decoder.decode(site(tx), &tx.data, "") {
                Ok(tree) => {
                    crate::decode::render::tree_text(&tree, decoder.book).replace('\n', " / ")
                }
                Err(err) => format!("unreadable data ({err})"),
            };
            format!(
                "the given transaction's data is {} but this batch needs {}",
                read(g),
                read(computed)
            )
        } else {
            format!("the given transaction has {field} {got}, but this batch needs {want}")
        };
        findings.add(Code::SafeTxMismatch, "given_safe_tx", message);
    }
    if given_hashes.safe_tx_hash != hashes.safe_tx_hash {
        findings.add(
            Code::SafeTxHashMismatch,
            "given_safe_tx",
            format!(
                "the given transaction hashes to {}, this batch to {}: do not sign it",
                given_hashes.safe_tx_hash, hashes.safe_tx_hash
            ),
        );
    }
    // The same transaction was judged above, call by call; one that differs
    // has failed already, and whatever it would run is judged too.
    if given_hashes.safe_tx_hash == hashes.safe_tx_hash {
        return;
    }
    scan::scan_safe_tx(g, "given_safe_tx", target, findings);
    let site = CallSite {
        to: Some(g.to),
        value: Some(g.value),
        operation: g.known_operation(),
        executor: Some(target.safe),
        ..CallSite::default()
    };
    if let Ok(tree) = decoder.decode(site, &g.data, "given_safe_tx") {
        scan::scan_tree(&tree, scope, findings);
    }
}
