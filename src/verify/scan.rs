//! The dangerous patterns, looked for at every depth of a call tree.

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::Address;

use super::Target;
use super::findings::{Code, Findings};
use crate::address_book::AddressBook;
use crate::decode::{CallNode, Decoded};
use crate::safe::deployments::{self, Contract};
use crate::safe::{Operation, SafeTx};

/// Functions on the Safe itself that change who controls it or what code runs.
const SAFE_CONFIG_FUNCTIONS: [&str; 10] = [
    "addOwnerWithThreshold",
    "removeOwner",
    "swapOwner",
    "changeThreshold",
    "enableModule",
    "disableModule",
    "setGuard",
    "setModuleGuard",
    "setFallbackHandler",
    "changeMasterCopy",
];

/// Functions that hand authority to an address: (name, index of the
/// recipient). Ownership and roles in common contract bases, the Safe's own
/// owners, modules, guards and handlers (which run with its authority), and
/// the pause roles of the AGI Jobs modules.
const HANDOVER_FUNCTIONS: [(&str, usize); 12] = [
    ("setGovernance", 0),
    ("transferOwnership", 0),
    ("grantRole", 1),
    ("addOwnerWithThreshold", 0),
    ("swapOwner", 2),
    ("enableModule", 0),
    ("setGuard", 0),
    ("setModuleGuard", 0),
    ("setFallbackHandler", 0),
    ("setPauser", 0),
    ("setPauserManager", 0),
    ("setGlobalPauser", 0),
];

/// Checks a DELEGATECALL target: only Safe's own libraries are trusted.
fn check_delegatecall(to: Address, path: &str, target: &Target, findings: &mut Findings) {
    let known = deployments::identify(Some(target.chain_id), to);
    let trusted = known.iter().any(|d| {
        matches!(
            d.contract,
            Contract::MultiSendCallOnly | Contract::SignMessageLib | Contract::SafeMigration
        )
    });
    if trusted {
        return;
    }
    if known.iter().any(|d| d.contract == Contract::MultiSend) {
        findings.add(
            Code::FullMultiSend,
            path,
            format!(
                "the batch runs through the full MultiSend at {}, which can also DELEGATECALL; Safe{{Wallet}} uses MultiSendCallOnly",
                to.to_checksum(None)
            ),
        );
    } else {
        findings.add(
            Code::UntrustedDelegatecall,
            path,
            format!(
                "DELEGATECALL to {}, which is not a Safe library on chain {}: that code would run with full control of the Safe",
                to.to_checksum(None),
                target.chain_id
            ),
        );
    }
}

/// The execution parameters of a Safe transaction: operation and gas refunds.
pub fn scan_safe_tx(tx: &SafeTx, path: &str, target: &Target, findings: &mut Findings) {
    if tx.operation == Operation::DelegateCall.as_u8() {
        check_delegatecall(tx.to, path, target, findings);
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

/// Every node of a decoded tree.
pub fn scan_tree(root: &CallNode, target: &Target, book: &AddressBook, findings: &mut Findings) {
    for node in root.walk() {
        scan_node(node, target, book, findings);
    }
}

fn scan_node(node: &CallNode, target: &Target, book: &AddressBook, findings: &mut Findings) {
    let path = node.path.as_str();
    if node.operation == Some(Operation::DelegateCall)
        && let Some(to) = node.to
    {
        check_delegatecall(to, path, target, findings);
    }
    if let Some(value) = node.value.filter(|v| !v.is_zero()) {
        findings.add(
            Code::NativeValue,
            path,
            format!("this call sends {value} wei of the native coin"),
        );
    }
    if let Some(to) = node.to {
        if book.name_of(to).is_none() {
            findings.add(
                Code::UnknownTarget,
                path,
                format!(
                    "{} is not a contract or label of the address book",
                    to.to_checksum(None)
                ),
            );
        }
        check_lookalike(to, path, book, findings);
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
                format!("no known ABI explains this call ({what}): its effect cannot be shown"),
            );
        }
        Decoded::Empty => {}
        Decoded::Function(call) => {
            if !call.collides_with.is_empty() {
                findings.add(
                    Code::SelectorCollision,
                    path,
                    format!(
                        "the selector of {} also belongs to {}: the call may do something else",
                        call.signature,
                        call.collides_with.join(", ")
                    ),
                );
            }
            if node.to == Some(target.safe) && SAFE_CONFIG_FUNCTIONS.contains(&call.name.as_str()) {
                findings.add(
                    Code::SafeConfigChange,
                    path,
                    format!(
                        "{} changes who controls the Safe or what code it runs",
                        call.signature
                    ),
                );
            }
            if let Some((_, index)) = HANDOVER_FUNCTIONS
                .iter()
                .find(|(name, _)| *name == call.name)
                && let Some(DynSolValue::Address(recipient)) =
                    call.args.get(*index).map(|a| &a.value)
                && book.entry(*recipient).is_none()
            {
                findings.add(
                    Code::UnlabelledRecipient,
                    path,
                    format!(
                        "{} hands authority to {}, which is not in the address book",
                        call.name,
                        recipient.to_checksum(None)
                    ),
                );
            }
            for arg in &call.args {
                for address in addresses_in(&arg.value) {
                    check_lookalike(address, path, book, findings);
                }
            }
        }
    }
}

fn addresses_in(value: &DynSolValue) -> Vec<Address> {
    match value {
        DynSolValue::Address(a) => vec![*a],
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            items.iter().flat_map(addresses_in).collect()
        }
        _ => Vec::new(),
    }
}

/// Same first four and last four hex digits as a known address, but not it:
/// the shape of an address-poisoning attack.
fn check_lookalike(address: Address, path: &str, book: &AddressBook, findings: &mut Findings) {
    if book.entry(address).is_some() || address == Address::ZERO {
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
                    address.to_checksum(None),
                    known.to_checksum(None),
                    entry.name
                ),
            );
        }
    }
}
