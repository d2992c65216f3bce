//! What a decoded call does, derived from what the call is.
//!
//! Judgement is data: [`RULES`] lists the functions of the standards bundlec
//! knows (Safe, Ownable, AccessControl, ERC-20/721/1155, the AGI Jobs
//! governance and pauser setters, the forwarders) with their effect and the
//! argument that gains from it; [`NAME_HINTS`] says what an address argument
//! of any other state-changing function receives, from its name. A function
//! that no rule names still has effects: every address argument of a call
//! that may change state (per the ABI's `stateMutability`) may receive
//! authority or funds. Nothing here is keyed on a function name alone: a rule
//! names the full signature, and Safe rules apply only to readings made with
//! a Safe ABI.

use std::borrow::Cow;
use std::rc::Rc;

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::StateMutability;
use alloy_primitives::Address;
use serde::Serialize;

use crate::decode::{CallNode, Decoded, FunctionCall};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EffectKind {
    /// Who may act on a contract changes: owner, governance, roles, pausers,
    /// code, or a dependency the contract trusts or pays.
    Control,
    /// Tokens or native coin move, or a spending right over them is created.
    Funds,
    /// The call makes other calls; they are decoded and judged in turn.
    Forward,
    /// An authorization that counts as a signature is created or used.
    Signature,
    /// A Safe's owners, threshold, modules, guards, handler or code change.
    SafeConfig,
    Pause,
}

impl EffectKind {
    /// What joins the effect and its gainer: "hands governance of JobRegistry
    /// → X", or ", approved by X" for a signature that counts as X's.
    pub fn gainer_preposition(self) -> &'static str {
        match self {
            EffectKind::Signature => ", approved by",
            _ => " →",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Control => "control",
            EffectKind::Funds => "funds",
            EffectKind::Forward => "forward",
            EffectKind::Signature => "signature",
            EffectKind::SafeConfig => "safe-config",
            EffectKind::Pause => "pause",
        }
    }
}

/// Who gains from an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gainer {
    /// The argument at this index (for a forwarder: the forwarded target).
    Arg(usize),
    /// The account making the call (`acceptOwnership()`).
    Caller,
    /// Nobody: authority is given up (`renounceOwnership()`).
    Nobody,
    /// No single party (a removal, a threshold, a pause).
    NoOne,
}

/// Which readings a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Any ABI: the signature is a standard's.
    Any,
    /// Only a reading made with this ABI (the Safe's own functions).
    Abi(&'static str),
}

struct Rule {
    signature: &'static str,
    reading: Reading,
    kind: EffectKind,
    gainer: Gainer,
    /// What the call does, completed with its subject: "adds an owner to".
    does: &'static str,
}

const fn rule(
    signature: &'static str,
    reading: Reading,
    kind: EffectKind,
    gainer: Gainer,
    does: &'static str,
) -> Rule {
    Rule {
        signature,
        reading,
        kind,
        gainer,
        does,
    }
}

use EffectKind::{Control, Forward, Funds, Pause, SafeConfig, Signature};
use Gainer::{Arg, Caller, NoOne, Nobody};
use Reading::{Abi, Any};

/// Known functions by effect (sources: docs/errors.md, and the standards'
/// own contracts). A `Reading::Abi` rule applies only when the call was read
/// with that ABI; the registry decodes a known target with its own ABI only.
const RULES: &[Rule] = &[
    // Safe: OwnerManager, ModuleManager, GuardManager, FallbackManager, singleton.
    rule(
        "addOwnerWithThreshold(address,uint256)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "adds an owner to",
    ),
    rule(
        "removeOwner(address,address,uint256)",
        Abi("Safe"),
        SafeConfig,
        NoOne,
        "removes an owner of",
    ),
    rule(
        "swapOwner(address,address,address)",
        Abi("Safe"),
        SafeConfig,
        Arg(2),
        "swaps an owner of",
    ),
    rule(
        "changeThreshold(uint256)",
        Abi("Safe"),
        SafeConfig,
        NoOne,
        "changes the threshold of",
    ),
    rule(
        "enableModule(address)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "enables a module, which acts without signatures, on",
    ),
    rule(
        "disableModule(address,address)",
        Abi("Safe"),
        SafeConfig,
        NoOne,
        "disables a module of",
    ),
    rule(
        "setGuard(address)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "sets the transaction guard of",
    ),
    rule(
        "setModuleGuard(address)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "sets the module guard of",
    ),
    rule(
        "setFallbackHandler(address)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "sets the fallback handler, which answers EIP-1271 signature checks, of",
    ),
    rule(
        "changeMasterCopy(address)",
        Abi("Safe"),
        SafeConfig,
        Arg(0),
        "replaces the code (singleton) of",
    ),
    rule(
        "setup(address[],uint256,address,bytes,address,address,uint256,address)",
        Abi("Safe"),
        SafeConfig,
        NoOne,
        "sets up owners and modules of",
    ),
    rule(
        "migrateSingleton()",
        Abi("SafeMigration"),
        SafeConfig,
        NoOne,
        "replaces the code (singleton) of",
    ),
    rule(
        "migrateWithFallbackHandler()",
        Abi("SafeMigration"),
        SafeConfig,
        NoOne,
        "replaces the code and fallback handler of",
    ),
    rule(
        "migrateL2Singleton()",
        Abi("SafeMigration"),
        SafeConfig,
        NoOne,
        "replaces the code (singleton) of",
    ),
    rule(
        "migrateL2WithFallbackHandler()",
        Abi("SafeMigration"),
        SafeConfig,
        NoOne,
        "replaces the code and fallback handler of",
    ),
    // Signatures.
    rule(
        "approveHash(bytes32)",
        Abi("Safe"),
        Signature,
        NoOne,
        "approves a Safe transaction hash, as an owner signature, on",
    ),
    rule(
        "signMessage(bytes)",
        Abi("Safe"),
        Signature,
        NoOne,
        "signs a message (EIP-1271) for",
    ),
    rule(
        "signMessage(bytes)",
        Abi("SignMessageLib"),
        Signature,
        NoOne,
        "signs a message (EIP-1271) for",
    ),
    // Forwarders: the inner calls are decoded and judged on their own; `Arg`
    // names the argument that holds the forwarded calls' targets.
    rule(
        "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
        Abi("Safe"),
        Forward,
        Arg(0),
        "executes a Safe transaction of",
    ),
    rule(
        "execTransactionFromModule(address,uint256,bytes,uint8)",
        Abi("Safe"),
        Forward,
        Arg(0),
        "executes, as a module, a transaction of",
    ),
    rule(
        "execTransactionFromModuleReturnData(address,uint256,bytes,uint8)",
        Abi("Safe"),
        Forward,
        Arg(0),
        "executes, as a module, a transaction of",
    ),
    rule(
        "multiSend(bytes)",
        Any,
        Forward,
        NoOne,
        "makes a batch of calls from",
    ),
    rule(
        "executeGovernanceCall(address,bytes)",
        Any,
        Forward,
        Arg(0),
        "forwards a governance call from",
    ),
    rule(
        "forwardPauseCall(bytes)",
        Any,
        Forward,
        NoOne,
        "forwards a pause call from",
    ),
    rule(
        "configure(address,bytes,bytes32,bytes32,bytes,bytes)",
        Any,
        Forward,
        Arg(0),
        "forwards a configuration call from",
    ),
    rule(
        "configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])",
        Any,
        Forward,
        Arg(0),
        "forwards configuration calls from",
    ),
    rule(
        "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
        Any,
        Forward,
        Arg(0),
        "schedules a call from",
    ),
    rule(
        "scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)",
        Any,
        Forward,
        Arg(0),
        "schedules calls from",
    ),
    rule(
        "execute(address,uint256,bytes,bytes32,bytes32)",
        Any,
        Forward,
        Arg(0),
        "executes a scheduled call from",
    ),
    rule(
        "executeBatch(address[],uint256[],bytes[],bytes32,bytes32)",
        Any,
        Forward,
        Arg(0),
        "executes scheduled calls from",
    ),
    rule(
        "multicall(bytes[])",
        Any,
        Forward,
        NoOne,
        "runs several of its own functions on",
    ),
    // Ownable, Ownable2Step, AccessControl, AGI Jobs Governable and pausers, proxies.
    rule(
        "transferOwnership(address)",
        Any,
        Control,
        Arg(0),
        "transfers ownership of",
    ),
    rule(
        "acceptOwnership()",
        Any,
        Control,
        Caller,
        "accepts ownership of",
    ),
    rule(
        "renounceOwnership()",
        Any,
        Control,
        Nobody,
        "gives up ownership of",
    ),
    rule(
        "setGovernance(address)",
        Any,
        Control,
        Arg(0),
        "hands governance of",
    ),
    rule(
        "grantRole(bytes32,address)",
        Any,
        Control,
        Arg(1),
        "grants a role on",
    ),
    rule(
        "revokeRole(bytes32,address)",
        Any,
        Control,
        NoOne,
        "revokes a role on",
    ),
    rule(
        "renounceRole(bytes32,address)",
        Any,
        Control,
        NoOne,
        "gives up a role on",
    ),
    rule(
        "beginDefaultAdminTransfer(address)",
        Any,
        Control,
        Arg(0),
        "starts handing the admin role of",
    ),
    rule(
        "acceptDefaultAdminTransfer()",
        Any,
        Control,
        Caller,
        "accepts the admin role of",
    ),
    rule(
        "setPauser(address)",
        Any,
        Control,
        Arg(0),
        "sets the pauser of",
    ),
    rule(
        "setPauserManager(address)",
        Any,
        Control,
        Arg(0),
        "sets the pauser manager of",
    ),
    rule(
        "setGlobalPauser(address)",
        Any,
        Control,
        Arg(0),
        "sets the pauser of every module of",
    ),
    rule(
        "upgradeTo(address)",
        Any,
        Control,
        Arg(0),
        "replaces the code of",
    ),
    rule(
        "upgradeToAndCall(address,bytes)",
        Any,
        Control,
        Arg(0),
        "replaces the code of",
    ),
    rule(
        "changeAdmin(address)",
        Any,
        Control,
        Arg(0),
        "changes the proxy admin of",
    ),
    rule(
        "delegate(address)",
        Any,
        Control,
        Arg(0),
        "delegates the voting power held on",
    ),
    // ERC-20, ERC-721, ERC-1155 and common extensions.
    rule(
        "transfer(address,uint256)",
        Any,
        Funds,
        Arg(0),
        "transfers tokens of",
    ),
    rule(
        "approve(address,uint256)",
        Any,
        Funds,
        Arg(0),
        "approves spending of tokens of",
    ),
    rule(
        "increaseAllowance(address,uint256)",
        Any,
        Funds,
        Arg(0),
        "raises an allowance of",
    ),
    rule(
        "transferFrom(address,address,uint256)",
        Any,
        Funds,
        Arg(1),
        "transfers tokens of",
    ),
    rule(
        "safeTransferFrom(address,address,uint256)",
        Any,
        Funds,
        Arg(1),
        "transfers a token of",
    ),
    rule(
        "safeTransferFrom(address,address,uint256,bytes)",
        Any,
        Funds,
        Arg(1),
        "transfers a token of",
    ),
    rule(
        "safeTransferFrom(address,address,uint256,uint256,bytes)",
        Any,
        Funds,
        Arg(1),
        "transfers tokens of",
    ),
    rule(
        "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)",
        Any,
        Funds,
        Arg(1),
        "transfers tokens of",
    ),
    rule(
        "setApprovalForAll(address,bool)",
        Any,
        Funds,
        Arg(0),
        "makes an operator of every token held in",
    ),
    rule(
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        Any,
        Funds,
        Arg(1),
        "grants an allowance by signature on",
    ),
    rule(
        "mint(address,uint256)",
        Any,
        Funds,
        Arg(0),
        "mints tokens of",
    ),
    // Pausing.
    rule("pause()", Any, Pause, NoOne, "pauses"),
    rule("unpause()", Any, Pause, NoOne, "unpauses"),
    rule("pauseAll()", Any, Pause, NoOne, "pauses every module of"),
    rule(
        "unpauseAll()",
        Any,
        Pause,
        NoOne,
        "unpauses every module of",
    ),
];

/// What an address argument of a state-changing function no rule names
/// receives, from its parameter name (lower case, leading `_` dropped).
const NAME_HINTS: &[(&str, EffectKind, &str)] = &[
    ("to", Funds, "sends the funds of"),
    ("recipient", Funds, "sends the funds of"),
    ("receiver", Funds, "sends the funds of"),
    ("beneficiary", Funds, "sends the funds of"),
    ("dst", Funds, "sends the funds of"),
    ("treasury", Funds, "routes the funds of"),
    ("spender", Funds, "grants spending of the funds of"),
    ("operator", Funds, "grants operation of the funds of"),
];

/// One effect of one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effect {
    pub path: String,
    pub kind: EffectKind,
    /// The account whose authority, funds or configuration is at stake:
    /// the called contract, or under DELEGATECALL the account it runs as.
    pub on: Option<Address>,
    /// Who gains, when someone does.
    pub gainer: Option<Address>,
    /// Which argument names the gainer, for messages.
    #[serde(skip)]
    pub gainer_arg: Option<Rc<str>>,
    /// `true` when authority is given up (to nobody).
    pub renounces: bool,
    /// The function, for messages: `setGovernance(address)` (shared with
    /// the decoded call).
    pub function: Rc<str>,
    /// What it does, completed with `on`: "hands governance of" (mostly a
    /// phrase of the tables here).
    pub does: Cow<'static, str>,
}

/// Every effect of one node's call (not of its children).
pub fn effects_of(node: &CallNode) -> Vec<Effect> {
    let mut effects = Vec::new();
    let on = node.runs_as();
    if let Some(value) = node.value.filter(|v| !v.is_zero()) {
        effects.push(Effect {
            path: node.path.clone(),
            kind: Funds,
            on: node.executor,
            gainer: node.to,
            gainer_arg: None,
            renounces: false,
            function: "".into(),
            does: format!("sends {value} wei of the native coin from").into(),
        });
    }
    let Decoded::Function(call) = &node.call else {
        return effects;
    };
    for reading in std::iter::once(call).chain(&call.alternatives) {
        effects.extend(reading_effects(node, reading, on));
    }
    effects
}

/// The rule that describes `call`, if any.
fn rule_for(call: &FunctionCall) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.signature == &*call.signature
            && match r.reading {
                Any => true,
                Abi(abi) => &*call.abi == abi,
            }
    })
}

/// The address arguments of a state-changing call that no effect of
/// [`effects_of`] names as a gainer (a known function's other addresses:
/// `swapOwner`'s old owner, a forwarder's refund receiver), as (name, address).
/// They still point somewhere, so verify checks them against the book.
pub fn other_addresses(call: &FunctionCall) -> Vec<(&str, Address)> {
    let Some(rule) = rule_for(call) else {
        return Vec::new();
    };
    if !changes_state(call) {
        return Vec::new();
    }
    let named = match rule.gainer {
        Arg(index) => Some(index),
        _ => None,
    };
    call.args
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != named)
        .flat_map(|(_, arg)| {
            addresses_in(&arg.value)
                .into_iter()
                .map(move |a| (&*arg.name, a))
        })
        .collect()
}

fn reading_effects(node: &CallNode, call: &FunctionCall, on: Option<Address>) -> Vec<Effect> {
    let effect =
        |kind, gainer, gainer_arg: Option<Rc<str>>, renounces, does: &'static str| Effect {
            path: node.path.clone(),
            kind,
            on,
            gainer,
            gainer_arg,
            renounces,
            function: Rc::clone(&call.signature),
            does: Cow::Borrowed(does),
        };
    let mut effects = Vec::new();
    if let Some(rule) = rule_for(call) {
        let (gainer, gainer_arg, renounces) = match rule.gainer {
            // A forwarder's target is judged as the target of its inner call.
            Arg(_) if rule.kind == Forward => (None, None, false),
            Arg(index) => match call.args.get(index) {
                Some(arg) => match arg.value {
                    DynSolValue::Address(a) => (Some(a), Some(arg.name.clone()), a.is_zero()),
                    _ => (None, None, false),
                },
                None => (None, None, false),
            },
            Caller => (node.executor, None, false),
            Nobody => (None, None, true),
            NoOne => (None, None, false),
        };
        effects.push(effect(rule.kind, gainer, gainer_arg, renounces, rule.does));
        if call.signature.starts_with("execTransaction(")
            && let Some(owner) = prevalidated_signer(call)
        {
            effects.push(effect(
                Signature,
                Some(owner),
                Some("signatures".into()),
                false,
                "executes, with a pre-validated (v = 1) signature that counts as an owner's approval, a transaction of",
            ));
        }
        return effects;
    }
    if !changes_state(call) {
        return effects;
    }
    // No rule: every address argument of a state-changing call may receive
    // something: what, its name suggests; control when nothing does.
    for arg in &call.args {
        for address in addresses_in(&arg.value) {
            let key = arg.name.trim_start_matches('_').to_ascii_lowercase();
            let (kind, does) = NAME_HINTS
                .iter()
                .find(|(name, _, _)| *name == key)
                .map_or((Control, "may give authority over"), |(_, kind, does)| {
                    (*kind, *does)
                });
            effects.push(effect(
                kind,
                Some(address),
                Some(arg.name.clone()),
                false,
                does,
            ));
        }
    }
    effects
}

/// Whether the ABI says the function may change state.
pub fn changes_state(call: &FunctionCall) -> bool {
    !matches!(
        call.state_mutability,
        StateMutability::View | StateMutability::Pure
    )
}

/// Every address inside a value, arrays and tuples included.
pub fn addresses_in(value: &DynSolValue) -> Vec<Address> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            DynSolValue::Address(a) => out.push(*a),
            DynSolValue::Array(items)
            | DynSolValue::FixedArray(items)
            | DynSolValue::Tuple(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    out
}

/// The owner of the first pre-validated signature (`v = 1`) in an
/// `execTransaction`'s `signatures`: the Safe counts it as that owner's
/// approval when the owner is the caller or approved the hash before.
fn prevalidated_signer(call: &FunctionCall) -> Option<Address> {
    let DynSolValue::Bytes(signatures) = &call.args.get(9)?.value else {
        return None;
    };
    // Static parts are 65 bytes (r, s, v); contract signatures append their
    // data after them, so reading stops at the first part that is not one.
    for part in signatures.chunks_exact(65) {
        let (r, rest) = part.split_first_chunk::<32>()?;
        let v = *rest.get(32)?;
        match v {
            1 => return Some(Address::from_word(r.into())),
            0 | 27 | 28 | 31 | 32 => continue,
            _ => return None,
        }
    }
    None
}

/// The Safe sentinel (`address(0x1)`) that heads its owner and module lists.
pub const SENTINEL: Address =
    Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
