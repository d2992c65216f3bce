//! Judging a decoded call tree, node by node, at every depth and on every
//! Safe in it: the effects of each call (see `effects`), the addresses it
//! names, the DELEGATECALLs it makes, and the Safe transaction's own
//! execution parameters.

use alloy_primitives::Address;

use super::Target;
use super::effects::{self, Effect, EffectKind, SENTINEL};
use super::findings::{Code, Findings, Severity};
use crate::address_book::AddressBook;
use crate::decode::{CallNode, Decoded, FunctionCall};
use crate::memo::Eip55;
use crate::safe::deployments::{self, Contract};
use crate::safe::{Operation, SafeTx};
use crate::text::untrusted;

/// What the judgement depends on besides the tree.
pub struct Scope<'a> {
    pub target: &'a Target,
    pub book: &'a AddressBook,
    /// The signer gave an address book (their own or the intent's): an
    /// address outside it is then a danger, not just unnamed.
    pub book_given: bool,
    /// Every address a finding spells, spelled once.
    pub eip55: Eip55,
}

impl Scope<'_> {
    /// In the address book, or a Safe contract of this chain.
    fn knows(&self, address: Address) -> bool {
        self.book.entry(address).is_some() || self.book.safe_deployment(address).is_some()
    }

    /// `0x… (name)`, the name escaped.
    fn show(&self, address: Address) -> String {
        match self.book.name_of(address) {
            Some(name) => format!("{} ({})", self.eip55.of(address), untrusted(&name)),
            None => self.eip55.of(address).to_string(),
        }
    }
}

/// Checks a DELEGATECALL target: only Safe's own libraries are trusted code.
fn check_delegatecall(to: Address, path: &str, scope: &Scope, findings: &mut Findings) {
    let known = deployments::identify(Some(scope.target.chain_id), to);
    let trusted = known.iter().any(|d| {
        matches!(
            d.contract,
            Contract::MultiSendCallOnly | Contract::SignMessageLib | Contract::SafeMigration
        )
    });
    // Beyond the table, only the MultiSendCallOnly the signer named on the
    // command line: never one the batch or its intent names by itself.
    if trusted || scope.target.trusted_multi_send_call_only == Some(to) {
        return;
    }
    if known.iter().any(|d| d.contract == Contract::MultiSend) {
        findings.add(
            Code::FullMultiSend,
            path,
            format!(
                "the batch runs through the full MultiSend at {}, which can also DELEGATECALL; Safe{{Wallet}} uses MultiSendCallOnly",
                scope.eip55.of(to)
            ),
        );
    } else {
        // On a chain the table does not know, say how a signer vouches for
        // the chain's MultiSendCallOnly.
        let unknown_chain =
            deployments::multi_send_call_only(scope.target.version, scope.target.chain_id).is_err();
        findings.add(
            Code::UntrustedDelegatecall,
            path,
            format!(
                "DELEGATECALL to {}, which is not a Safe library on chain {}: that code would run with full control of the account that calls it{}",
                scope.show(to),
                scope.target.chain_id,
                if unknown_chain {
                    "; bundlec does not know this chain's Safe contracts: if this is its MultiSendCallOnly, confirm the address out of band and pass it with --multi-send-call-only"
                } else {
                    ""
                }
            ),
        );
    }
}

/// The execution parameters of a Safe transaction: operation and gas refunds.
pub fn scan_safe_tx(tx: &SafeTx, path: &str, target: &Target, findings: &mut Findings) {
    let book = AddressBook::new(Some(target.chain_id));
    let scope = Scope {
        target,
        book: &book,
        book_given: false,
        eip55: Eip55::new(),
    };
    if tx.operation == Operation::DelegateCall.as_u8() {
        check_delegatecall(tx.to, path, &scope, findings);
    }
    if !tx.gas_price.is_zero() {
        findings.add(
            Code::GasPrice,
            path,
            format!(
                "gasPrice is {}: the Safe pays a gas refund to whoever executes it",
                tx.gas_price
            ),
        );
    }
    if !tx.gas_token.is_zero() {
        findings.add(
            Code::GasToken,
            path,
            format!(
                "the gas refund is paid in token {}, which can hide a transfer of funds",
                tx.gas_token.to_checksum(None)
            ),
        );
    }
    if !tx.refund_receiver.is_zero() {
        findings.add(
            Code::RefundReceiver,
            path,
            format!(
                "gas refunds go to {}, which can hide a transfer of funds",
                tx.refund_receiver.to_checksum(None)
            ),
        );
    }
    if !tx.value.is_zero() {
        findings.add(
            Code::NativeValue,
            path,
            format!("the Safe sends {} wei of the native coin", tx.value),
        );
    }
}

/// Judges every node of a decoded tree; returns the effects found.
pub fn scan_tree(root: &CallNode, scope: &Scope, findings: &mut Findings) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        effects.extend(scan_node(node, scope, findings));
        stack.extend(node.children.iter().rev());
    }
    effects
}

fn scan_node(node: &CallNode, scope: &Scope, findings: &mut Findings) -> Vec<Effect> {
    let path = node.path.as_str();
    if node.operation == Some(Operation::DelegateCall)
        && let Some(to) = node.to
    {
        check_delegatecall(to, path, scope, findings);
    }
    if let Some(to) = node.to {
        if !scope.knows(to) {
            let (severity, why) = if scope.book_given {
                (
                    Severity::Danger,
                    "is not a contract or label of the address book",
                )
            } else {
                (
                    Severity::Notice,
                    "has no name: no address book was given (--deployment or --intent)",
                )
            };
            findings.add_as(
                Code::UnknownTarget,
                severity,
                path,
                format!("the call goes to {}, which {why}", scope.eip55.of(to)),
            );
        }
        check_lookalike(to, path, scope, findings);
    }
    match &node.call {
        Decoded::Unknown { selector } => {
            let what = selector.map_or_else(
                || "data shorter than a function selector".to_string(),
                |s| format!("selector {}", alloy_primitives::hex::encode_prefixed(s)),
            );
            findings.add(
                Code::UnknownSelector,
                path,
                format!("no known ABI explains this call ({what}): its effect cannot be judged"),
            );
        }
        Decoded::Empty => {}
        Decoded::Function(call) => {
            check_readings(call, path, findings);
            for reading in std::iter::once(call).chain(&call.alternatives) {
                for arg in &reading.args {
                    for address in effects::addresses_in(&arg.value) {
                        check_lookalike(address, path, scope, findings);
                    }
                }
                for (name, address) in effects::other_addresses(reading) {
                    if !trusted(address, scope) {
                        findings.add(
                            Code::UnlabelledRecipient,
                            path,
                            format!(
                                "{} names {} (argument `{}`), which is not in the address book",
                                untrusted(&reading.signature),
                                scope.eip55.of(address),
                                untrusted(name)
                            ),
                        );
                    }
                }
            }
        }
    }
    let effects = effects::effects_of(node);
    for effect in &effects {
        judge_effect(effect, scope, findings);
    }
    effects
}

/// Bytes that several ABIs read differently, or whose selector is shared.
fn check_readings(call: &FunctionCall, path: &str, findings: &mut Findings) {
    if !call.alternatives.is_empty() {
        let readings: Vec<String> = std::iter::once(call)
            .chain(&call.alternatives)
            .map(|r| {
                let names: Vec<String> = r
                    .args
                    .iter()
                    .map(|a| format!("{} {}", a.ty, untrusted(&a.name)))
                    .collect();
                format!(
                    "{}.{}({})",
                    untrusted(&r.abi),
                    untrusted(&r.name),
                    names.join(", ")
                )
            })
            .collect();
        findings.add(
            Code::AmbiguousReading,
            path,
            format!(
                "the target has no ABI in the address book and these bytes read as {}: which one runs depends on the contract",
                readings.join(" or as ")
            ),
        );
    } else if !call.collides_with.is_empty() {
        findings.add(
            Code::SelectorCollision,
            path,
            format!(
                "the selector of {} also belongs to {}: the call may do something else",
                untrusted(&call.signature),
                untrusted(&call.collides_with.join(", "))
            ),
        );
    }
}

fn judge_effect(effect: &Effect, scope: &Scope, findings: &mut Findings) {
    let path = effect.path.as_str();
    let on = effect
        .on
        .map_or_else(|| "the calling contract".to_string(), |a| scope.show(a));
    let function = untrusted(&effect.function);
    let gainer_text = effect.gainer.map(|g| {
        let arg = effect
            .gainer_arg
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| format!(" (argument `{}`)", untrusted(a)))
            .unwrap_or_default();
        format!(
            "{} {}{arg}",
            effect.kind.gainer_preposition(),
            scope.show(g)
        )
    });
    let sentence = format!(
        "{function} {} {on}{}",
        effect.does,
        gainer_text.clone().unwrap_or_default()
    );
    match effect.kind {
        EffectKind::SafeConfig => findings.add(Code::SafeConfigChange, path, sentence.clone()),
        EffectKind::Signature => findings.add(Code::SignatureEffect, path, sentence.clone()),
        EffectKind::Control if effect.renounces => findings.add(
            Code::ControlRenounced,
            path,
            format!("{sentence}: nobody will hold that authority"),
        ),
        EffectKind::Funds if effect.function.is_empty() => {
            findings.add(Code::NativeValue, path, sentence.clone());
        }
        _ => {}
    }
    if let Some(gainer) = effect.gainer
        && !trusted(gainer, scope)
    {
        let what = match effect.kind {
            EffectKind::Funds => "funds",
            EffectKind::Signature => "a signature",
            _ => "authority",
        };
        findings.add(
            Code::UnlabelledRecipient,
            path,
            format!(
                "{sentence}, which is not in the address book: {what} would go to an address nobody named"
            ),
        );
    }
}

/// An address that needs no name: in the book, a Safe contract of this
/// chain, address 0 or the Safe's list sentinel.
fn trusted(address: Address, scope: &Scope) -> bool {
    address.is_zero() || address == SENTINEL || scope.knows(address)
}

/// Same first four and last four hex digits as a known address, but not it:
/// the shape of an address-poisoning attack.
fn check_lookalike(address: Address, path: &str, scope: &Scope, findings: &mut Findings) {
    let book = scope.book;
    if book.entry(address).is_some() || address.is_zero() || address == SENTINEL {
        return;
    }
    // The first and last two bytes are the first and last four hex digits.
    let ends = |a: &Address| {
        let [a0, a1, .., b0, b1] = a.0.0;
        [a0, a1, b0, b1]
    };
    let candidate = ends(&address);
    for (known, entry) in book.entries() {
        if ends(known) == candidate {
            findings.add(
                Code::LookalikeAddress,
                path,
                format!(
                    "{} looks like {} ({}) but is a different address",
                    scope.eip55.of(address),
                    scope.eip55.of(*known),
                    untrusted(&entry.name)
                ),
            );
        }
    }
}
