//! The call tree: calldata decoded recursively through every known forwarder,
//! and through any `bytes` argument that reads exactly as a known call.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::{Function, Param};
use alloy_primitives::{Address, Bytes, U256};

use super::arguments::{ArgumentError, decode_arguments_of};
use crate::abi::registry::AbiRegistry;
use crate::address_book::AddressBook;
use crate::multisend::{self, MultiSendError};
use crate::safe::Operation;
use crate::safe::deployments::Contract;

/// How deep calls may nest before decoding stops: a Safe batch through
/// SystemPause into a timelock is four levels; hostile data can go further.
pub const DEFAULT_MAX_DEPTH: usize = 8;

/// The forwarders whose inner calls are read from their known structure
/// (target, value, operation where the function states them). Every other
/// function is searched by the generic rule instead (see [`Decoder`]).
pub const KNOWN_FORWARDERS: [&str; 12] = [
    "multiSend(bytes)",
    "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
    "execTransactionFromModule(address,uint256,bytes,uint8)",
    "execTransactionFromModuleReturnData(address,uint256,bytes,uint8)",
    "executeGovernanceCall(address,bytes)",
    "forwardPauseCall(bytes)",
    "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
    "execute(address,uint256,bytes,bytes32,bytes32)",
    "scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)",
    "executeBatch(address[],uint256[],bytes[],bytes32,bytes32)",
    "configure(address,bytes,bytes32,bytes32,bytes,bytes)",
    "configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])",
];

/// Whether `signature` is one of [`KNOWN_FORWARDERS`].
pub fn is_known_forwarder(signature: &str) -> bool {
    KNOWN_FORWARDERS.contains(&signature)
}

/// One call and what it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct CallNode {
    /// Where the call sits in the tree, e.g. `3.0.1`.
    pub path: String,
    /// The called address, when known: the data says it (a forwarded pause
    /// call does not), or the generic rule found exactly one address argument
    /// beside the bytes.
    pub to: Option<Address>,
    pub to_name: Option<String>,
    /// CALL or DELEGATECALL when the enclosing structure says which; `None`
    /// for calls found by the generic rule, where nothing says how the
    /// contract uses the bytes.
    pub operation: Option<Operation>,
    /// The account the call is made from (its `msg.sender`), when known: the
    /// verified Safe at the top, the wrapper that forwards it below. Under
    /// DELEGATECALL the called code runs *as* this account (see `runs_as`).
    pub executor: Option<Address>,
    pub value: Option<U256>,
    pub data: Bytes,
    pub call: Decoded,
    pub children: Vec<CallNode>,
    /// Where this call's calldata sits in its parent's arguments: the
    /// argument's index, then element or field indices inside it (`[2, 1]` is
    /// element 1 of argument 2; `[0, 3, 1]` field 1 of element 3 of argument
    /// 0). Every record of a MultiSend has `[0]`, its one `bytes` argument.
    /// Empty at the root.
    pub arg_path: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// No calldata: a plain value transfer.
    Empty,
    /// No known function has this selector (or the data is shorter than one).
    Unknown {
        selector: Option<[u8; 4]>,
    },
    Function(FunctionCall),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// The ABI the call was read with. This and every other name of the
    /// function are shared by all the calls a decoder reads with it.
    pub abi: Rc<str>,
    pub signature: Rc<str>,
    pub name: Rc<str>,
    pub args: Vec<Argument>,
    /// What the ABI says the function may do to state: a `view` or `pure`
    /// function changes nothing, anything else may.
    pub state_mutability: alloy_json_abi::StateMutability,
    /// The other signatures in the registry with the same selector, sorted
    /// (only when the target has no ABI of its own). Those that also decode
    /// these bytes are in `alternatives` too.
    pub collides_with: Vec<String>,
    /// Other ABIs that also decode these bytes, with a different meaning
    /// (another signature, or the same signature under other parameter names,
    /// such as ERC-20 `approve(spender, value)` against ERC-721
    /// `approve(to, tokenId)`). Only filled when the target has no ABI of its
    /// own. One entry per (signature, parameter names), in the registry's
    /// order of contract names; the reading above is the first in that order.
    /// Each alternative has no alternatives itself, and the tree's children
    /// come from the reading above only.
    pub alternatives: Vec<FunctionCall>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: Rc<str>,
    pub ty: Rc<str>,
    pub value: DynSolValue,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("call {path}: {source}")]
    Arguments {
        path: String,
        #[source]
        source: ArgumentError,
    },
    #[error("call {path}: {source}")]
    MultiSend {
        path: String,
        #[source]
        source: MultiSendError,
    },
    #[error("call {path}: {reason}")]
    Malformed { path: String, reason: String },
    #[error("call {path}: calls nest deeper than {max} levels")]
    TooDeep { path: String, max: usize },
}

impl DecodeError {
    /// A bound on the work decoding may do was hit (nesting depth, record
    /// count): the input is refused as a whole rather than read in part.
    pub fn is_limit(&self) -> bool {
        match self {
            DecodeError::TooDeep { .. } => true,
            DecodeError::MultiSend { source, .. } => source.limit_exceeded,
            _ => false,
        }
    }
}

/// What a call looks like from outside: target, value and operation where the
/// enclosing structure states them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallSite {
    pub to: Option<Address>,
    pub value: Option<U256>,
    pub operation: Option<Operation>,
    /// The account making the call (see `CallNode::executor`).
    pub executor: Option<Address>,
    /// `to` is address 0 in code that MultiSend 1.5.0 runs as `executor`
    /// (the Safe that delegatecalls it), which replaces address 0 with
    /// `address(this)`: the node shows `executor`, not address 0. Set by the
    /// decoder for MultiSend records; a caller sets it for the calls of a
    /// batch that a Safe >= 1.5.0 sends through MultiSendCallOnly.
    pub zero_means_safe: bool,
}

/// Decodes calldata into a [`CallNode`] tree.
///
/// Children come from two places:
/// - the known forwarders ([`KNOWN_FORWARDERS`]): MultiSend records,
///   `execTransaction`, `execTransactionFromModule(ReturnData)` (operation 0
///   CALL or 1 DELEGATECALL, anything else is malformed), SystemPause
///   `executeGovernanceCall`, `forwardPauseCall`, timelock `schedule`,
///   `execute`, `scheduleBatch`, `executeBatch`, and OwnerConfigurator
///   `configure` / `configureBatch` (a CALL to each `target` with its
///   `callData`); their inner data must decode, or the whole call is an error;
/// - the generic rule, for every other function: each top-level `bytes`
///   argument, and each element of a top-level `bytes[]`, whose content reads
///   exactly as a known function becomes a child. Its target is the
///   function's one top-level `address` argument if there is exactly one,
///   else unknown; its operation and value are unknown. Bytes that do not
///   read as a function, or whose own inner calls do not decode, are left as
///   they are (the argument shows them as hex), with no error; only a bound
///   on the work (depth, MultiSend size) is an error there.
pub struct Decoder<'a> {
    pub registry: &'a AbiRegistry,
    pub book: &'a AddressBook,
    pub max_depth: usize,
    /// Not consulted by decoding: which Safe a MultiSend 1.5.0 runs a call to
    /// address 0 on is the executor of the DELEGATECALL into it
    /// (`CallSite::executor`). Kept so that existing callers still build.
    pub safe: Option<Address>,
    /// The names of every function read so far (see [`Names`]).
    names: Names<'a>,
}

/// The names a decoded call shows of its function (ABI, signature, name,
/// and each argument's name and type), made once per function of the
/// registry and shared by every call read with it: a batch of 100,000 calls
/// to one function holds them once, not 100,000 times.
#[derive(Default)]
struct Names<'a> {
    /// By the function's place in the registry, which outlives the decoder
    /// (`'a`), so no other function can take that place meanwhile; then by
    /// the ABI it was read under. Only looked up, never iterated.
    made: RefCell<HashMap<*const Function, Vec<Rc<FunctionNames>>>>,
    registry: std::marker::PhantomData<&'a Function>,
}

struct FunctionNames {
    abi: Rc<str>,
    signature: Rc<str>,
    name: Rc<str>,
    /// Each input's name and type.
    inputs: Vec<(Rc<str>, Rc<str>)>,
}

impl FunctionNames {
    fn new(abi: &str, function: &Function) -> Self {
        FunctionNames {
            abi: abi.into(),
            signature: function.signature().into(),
            name: function.name.as_str().into(),
            inputs: function
                .inputs
                .iter()
                .map(|param| (param.name.as_str().into(), param.selector_type().into()))
                .collect(),
        }
    }
}

impl<'a> Names<'a> {
    fn of(&self, abi: &str, function: &'a Function) -> Rc<FunctionNames> {
        // Borrowed only here, never across a call out (see `memo::Eip55::of`);
        // were the borrow to fail, the names are made anew.
        let Ok(mut made) = self.made.try_borrow_mut() else {
            return Rc::new(FunctionNames::new(abi, function));
        };
        let under = made.entry(std::ptr::from_ref(function)).or_default();
        if let Some(names) = under.iter().find(|names| &*names.abi == abi) {
            return Rc::clone(names);
        }
        let names = Rc::new(FunctionNames::new(abi, function));
        under.push(Rc::clone(&names));
        names
    }
}

impl std::fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Names")
    }
}

/// A call carried inside another, before it is decoded.
struct Inner {
    site: CallSite,
    data: Bytes,
    arg_path: Vec<usize>,
}

impl<'a> Decoder<'a> {
    pub fn new(registry: &'a AbiRegistry, book: &'a AddressBook) -> Self {
        Decoder {
            registry,
            book,
            max_depth: DEFAULT_MAX_DEPTH,
            safe: None,
            names: Names::default(),
        }
    }

    /// Decodes `data` sent to `site`, and everything it wraps.
    pub fn decode(&self, site: CallSite, data: &[u8], path: &str) -> Result<CallNode, DecodeError> {
        self.decode_shared(site, Bytes::copy_from_slice(data), path)
    }

    /// [`Decoder::decode`] of data the caller keeps: the root node shares
    /// it instead of copying it (a large batch's calls are megabytes).
    pub fn decode_shared(
        &self,
        site: CallSite,
        data: Bytes,
        path: &str,
    ) -> Result<CallNode, DecodeError> {
        self.decode_at(site, data, path.to_string(), 0)
    }

    fn decode_at(
        &self,
        site: CallSite,
        data: Bytes,
        path: String,
        depth: usize,
    ) -> Result<CallNode, DecodeError> {
        if depth > self.max_depth {
            return Err(DecodeError::TooDeep {
                path,
                max: self.max_depth,
            });
        }
        let node = self.read_node(site, data, path)?;
        self.expand(node, depth)
    }

    /// The node for one call, with its function read but no children yet.
    fn read_node(
        &self,
        site: CallSite,
        data: Bytes,
        path: String,
    ) -> Result<CallNode, DecodeError> {
        let (to, to_name) = if site.zero_means_safe {
            match site.executor {
                Some(safe) => {
                    let name = self.book.name_of(safe).unwrap_or_else(|| "the Safe".into());
                    (
                        Some(safe),
                        Some(format!(
                            "{name}: address 0, which MultiSend 1.5.0 runs on the Safe itself"
                        )),
                    )
                }
                None => (
                    None,
                    Some(
                        "address 0, which MultiSend 1.5.0 runs on the Safe that \
                         delegatecalls it (not known here)"
                            .to_string(),
                    ),
                ),
            }
        } else {
            (site.to, site.to.and_then(|a| self.book.name_of(a)))
        };
        let mut node = CallNode {
            path,
            to,
            to_name,
            operation: site.operation,
            executor: site.executor,
            value: site.value,
            data,
            call: Decoded::Empty,
            children: Vec::new(),
            arg_path: Vec::new(),
        };
        let data = &node.data;
        let Some(selector) = data.first_chunk::<4>() else {
            node.call = if data.is_empty() {
                Decoded::Empty
            } else {
                Decoded::Unknown { selector: None }
            };
            return Ok(node);
        };
        node.call = match self.read_function(node.to, *selector, data, &node.path)? {
            Some(call) => Decoded::Function(call),
            None => Decoded::Unknown {
                selector: Some(*selector),
            },
        };
        Ok(node)
    }

    /// Decodes the calls `node` carries (it sits at `depth`).
    fn expand(&self, mut node: CallNode, depth: usize) -> Result<CallNode, DecodeError> {
        if let Decoded::Function(call) = &node.call {
            node.children = self.children_of(call, &node, depth)?;
        }
        Ok(node)
    }

    /// Reads `data` with the function its selector names: the target's own ABI
    /// when the target is known, else every ABI in the registry, keeping every
    /// reading that decodes.
    fn read_function(
        &self,
        to: Option<Address>,
        selector: [u8; 4],
        data: &[u8],
        path: &str,
    ) -> Result<Option<FunctionCall>, DecodeError> {
        let arguments_error = |source| DecodeError::Arguments {
            path: path.to_string(),
            source,
        };
        let known_abi = to
            .and_then(|a| self.book.abi_of(a))
            .filter(|abi| self.registry.has_contract(abi));
        if let Some(abi) = known_abi {
            let Ok(function) = self.registry.function_by_selector_in(&abi, selector) else {
                return Ok(None);
            };
            // Found by `selector`: the registry's index of the function.
            let values = decode_arguments_of(function, selector, data).map_err(arguments_error)?;
            return Ok(Some(function_call(
                &self.names.of(&abi, function),
                function,
                values,
            )));
        }

        // The values depend on the types alone: decode once per signature.
        let mut decoded: Vec<(String, Result<Vec<DynSolValue>, ArgumentError>)> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut readings = Vec::new();
        let mut first_error = None;
        for m in self.registry.selector_matches(selector) {
            let signature = m.function.signature();
            let index = match decoded.iter().position(|(s, _)| *s == signature) {
                Some(index) => index,
                None => {
                    decoded.push((
                        signature.clone(),
                        decode_arguments_of(m.function, selector, data),
                    ));
                    decoded.len().saturating_sub(1)
                }
            };
            let Some((_, result)) = decoded.get(index) else {
                continue;
            };
            let values = match result {
                Ok(values) => values,
                Err(err) => {
                    first_error.get_or_insert_with(|| err.clone());
                    continue;
                }
            };
            if seen.insert((signature, parameter_names(&m.function.inputs))) {
                readings.push(function_call(
                    &self.names.of(m.contract, m.function),
                    m.function,
                    values.clone(),
                ));
            }
        }
        let mut readings = readings.into_iter();
        let Some(mut primary) = readings.next() else {
            return match first_error {
                Some(source) => Err(arguments_error(source)),
                None => Ok(None),
            };
        };
        primary.alternatives = readings.collect();
        primary.collides_with = self
            .registry
            .distinct_signatures(selector)
            .into_iter()
            .filter(|s| **s != *primary.signature)
            .collect();
        Ok(Some(primary))
    }

    /// The calls a decoded call carries inside it, decoded in turn.
    fn children_of(
        &self,
        call: &FunctionCall,
        parent: &CallNode,
        depth: usize,
    ) -> Result<Vec<CallNode>, DecodeError> {
        // MultiSend (call-only or not) 1.5.0 replaces a record's address 0
        // with `address(this)`: the Safe, when a Safe delegatecalls it.
        let zero_means_safe = parent.operation == Some(Operation::DelegateCall)
            && parent
                .to
                .and_then(|a| self.book.safe_deployment(a))
                .is_some_and(|d| {
                    d.release >= crate::safe::Release::V1_5_0
                        && matches!(
                            d.contract,
                            Contract::MultiSend | Contract::MultiSendCallOnly
                        )
                });
        let Some(inner) = forwarded_calls(call, &parent.data, &parent.path, zero_means_safe)?
        else {
            return self.embedded_calls(call, parent, depth);
        };
        let mut children = Vec::with_capacity(inner.len());
        for (i, inner) in inner.into_iter().enumerate() {
            let site = CallSite {
                executor: parent.runs_as(),
                ..inner.site
            };
            let mut child = self.decode_at(
                site,
                inner.data,
                format!("{}.{i}", parent.path),
                depth.saturating_add(1),
            )?;
            child.arg_path = inner.arg_path;
            children.push(child);
        }
        Ok(children)
    }

    /// The generic rule: every top-level `bytes` argument (or element of a
    /// top-level `bytes[]`) that reads exactly as a known function. Each
    /// piece of data is read once; a piece that does not read as a function,
    /// or whose own inner calls do not decode, is not a child. Only a bound
    /// on the work (depth, MultiSend size) is an error.
    fn embedded_calls(
        &self,
        call: &FunctionCall,
        parent: &CallNode,
        depth: usize,
    ) -> Result<Vec<CallNode>, DecodeError> {
        let mut addresses = call.args.iter().filter_map(|a| match a.value {
            DynSolValue::Address(address) => Some(address),
            _ => None,
        });
        let target = match (addresses.next(), addresses.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        };
        let mut pieces: Vec<(Vec<usize>, &[u8])> = Vec::new();
        for (i, arg) in call.args.iter().enumerate() {
            match &arg.value {
                DynSolValue::Bytes(bytes) => pieces.push((vec![i], bytes)),
                DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
                    for (j, item) in items.iter().enumerate() {
                        if let DynSolValue::Bytes(bytes) = item {
                            pieces.push((vec![i, j], bytes));
                        }
                    }
                }
                _ => {}
            }
        }
        let child_depth = depth.saturating_add(1);
        let mut children = Vec::new();
        for (arg_path, bytes) in pieces {
            if bytes.len() < 4 {
                continue;
            }
            let site = CallSite {
                to: target,
                value: None,
                operation: None,
                executor: parent.runs_as(),
                zero_means_safe: false,
            };
            let path = format!("{}.{}", parent.path, children.len());
            let node = match self.read_node(site, Bytes::copy_from_slice(bytes), path) {
                Ok(node) => node,
                Err(err) if err.is_limit() => return Err(err),
                Err(_) => continue,
            };
            if !matches!(node.call, Decoded::Function(_)) {
                continue;
            }
            if child_depth > self.max_depth {
                return Err(DecodeError::TooDeep {
                    path: node.path,
                    max: self.max_depth,
                });
            }
            match self.expand(node, child_depth) {
                Ok(mut child) => {
                    child.arg_path = arg_path;
                    children.push(child);
                }
                Err(err) if err.is_limit() => return Err(err),
                Err(_) => {}
            }
        }
        Ok(children)
    }
}

/// A reading of `data` as `function` of the ABI `abi`.
fn function_call(
    names: &FunctionNames,
    function: &Function,
    values: Vec<DynSolValue>,
) -> FunctionCall {
    FunctionCall {
        abi: Rc::clone(&names.abi),
        signature: Rc::clone(&names.signature),
        name: Rc::clone(&names.name),
        state_mutability: function.state_mutability,
        collides_with: Vec::new(),
        alternatives: Vec::new(),
        args: names
            .inputs
            .iter()
            .zip(values)
            .map(|((name, ty), value)| Argument {
                name: Rc::clone(name),
                ty: Rc::clone(ty),
                value,
            })
            .collect(),
    }
}

/// Every parameter name, tuple components included, each with its nesting
/// depth (in order, which makes the list unambiguous whatever the names hold).
fn parameter_names(params: &[Param]) -> Vec<(usize, String)> {
    fn walk(params: &[Param], depth: usize, out: &mut Vec<(usize, String)>) {
        for param in params {
            out.push((depth, param.name.clone()));
            walk(&param.components, depth.saturating_add(1), out);
        }
    }
    let mut out = Vec::new();
    walk(params, 0, &mut out);
    out
}

/// The inner calls of the known forwarders, or `None` for any other function.
fn forwarded_calls(
    call: &FunctionCall,
    data: &[u8],
    path: &str,
    zero_means_safe: bool,
) -> Result<Option<Vec<Inner>>, DecodeError> {
    if !is_known_forwarder(&call.signature) {
        return Ok(None);
    }
    let args: Vec<&DynSolValue> = call.args.iter().map(|a| &a.value).collect();
    let malformed = |reason: &str| DecodeError::Malformed {
        path: path.to_string(),
        reason: format!("{}: {reason}", call.signature),
    };
    let inner = |to: Option<Address>,
                 value: U256,
                 operation: Operation,
                 data: &[u8],
                 arg_path: Vec<usize>| Inner {
        site: CallSite {
            to,
            value: Some(value),
            operation: Some(operation),
            executor: None,
            zero_means_safe: false,
        },
        data: Bytes::copy_from_slice(data),
        arg_path,
    };
    let safe_operation = |op: &U256| {
        u8::try_from(*op)
            .ok()
            .and_then(|op| Operation::try_from(op).ok())
            .ok_or_else(|| {
                malformed(&format!(
                    "operation {op} is neither CALL (0) nor DELEGATECALL (1)"
                ))
            })
    };
    let calls = match (&*call.signature, args.as_slice()) {
        ("multiSend(bytes)", _) => {
            let records = multisend::decode(data).map_err(|source| DecodeError::MultiSend {
                path: path.to_string(),
                source,
            })?;
            records
                .into_iter()
                .map(|r| Inner {
                    site: CallSite {
                        to: Some(r.to),
                        value: Some(r.value),
                        operation: Some(r.operation),
                        executor: None,
                        zero_means_safe: zero_means_safe && r.to.is_zero(),
                    },
                    data: r.data,
                    arg_path: vec![0],
                })
                .collect()
        }
        (
            "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)"
            | "execTransactionFromModule(address,uint256,bytes,uint8)"
            | "execTransactionFromModuleReturnData(address,uint256,bytes,uint8)",
            [
                DynSolValue::Address(to),
                DynSolValue::Uint(value, _),
                DynSolValue::Bytes(data),
                DynSolValue::Uint(op, _),
                ..,
            ],
        ) => vec![inner(Some(*to), *value, safe_operation(op)?, data, vec![2])],
        (
            "executeGovernanceCall(address,bytes)",
            [DynSolValue::Address(to), DynSolValue::Bytes(data)],
        ) => vec![inner(Some(*to), U256::ZERO, Operation::Call, data, vec![1])],
        // The manager calls its configured SystemPause, which the data does not name.
        ("forwardPauseCall(bytes)", [DynSolValue::Bytes(data)]) => {
            vec![inner(None, U256::ZERO, Operation::Call, data, vec![0])]
        }
        (
            "schedule(address,uint256,bytes,bytes32,bytes32,uint256)"
            | "execute(address,uint256,bytes,bytes32,bytes32)",
            [
                DynSolValue::Address(to),
                DynSolValue::Uint(value, _),
                DynSolValue::Bytes(data),
                ..,
            ],
        ) => vec![inner(Some(*to), *value, Operation::Call, data, vec![2])],
        (
            "scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)"
            | "executeBatch(address[],uint256[],bytes[],bytes32,bytes32)",
            [
                DynSolValue::Array(targets),
                DynSolValue::Array(values),
                DynSolValue::Array(payloads),
                ..,
            ],
        ) => {
            if targets.len() != values.len() || targets.len() != payloads.len() {
                return Err(malformed(&format!(
                    "{} targets, {} values and {} payloads do not line up",
                    targets.len(),
                    values.len(),
                    payloads.len()
                )));
            }
            let mut calls = Vec::with_capacity(targets.len());
            for (i, ((target, value), payload)) in
                targets.iter().zip(values).zip(payloads).enumerate()
            {
                match (target, value, payload) {
                    (
                        DynSolValue::Address(to),
                        DynSolValue::Uint(value, _),
                        DynSolValue::Bytes(data),
                    ) => calls.push(inner(Some(*to), *value, Operation::Call, data, vec![2, i])),
                    _ => return Err(malformed("unexpected argument types")),
                }
            }
            calls
        }
        // OwnerConfigurator: a CALL to `target` with `callData`. The other
        // fields (moduleKey, parameterKey, oldValue, newValue) only label the
        // event it emits and say nothing about the call.
        (
            "configure(address,bytes,bytes32,bytes32,bytes,bytes)",
            [DynSolValue::Address(to), DynSolValue::Bytes(data), ..],
        ) => vec![inner(Some(*to), U256::ZERO, Operation::Call, data, vec![1])],
        (
            "configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])",
            [DynSolValue::Array(entries)],
        ) => {
            let mut calls = Vec::with_capacity(entries.len());
            for (i, entry) in entries.iter().enumerate() {
                match entry {
                    DynSolValue::Tuple(fields) => match fields.as_slice() {
                        [DynSolValue::Address(to), DynSolValue::Bytes(data), ..] => calls.push(
                            inner(Some(*to), U256::ZERO, Operation::Call, data, vec![0, i, 1]),
                        ),
                        _ => return Err(malformed("unexpected argument types")),
                    },
                    _ => return Err(malformed("unexpected argument types")),
                }
            }
            calls
        }
        _ => return Err(malformed("unexpected argument types")),
    };
    Ok(Some(calls))
}

impl CallNode {
    /// This node and all below it, depth first.
    pub fn walk(&self) -> Vec<&CallNode> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }

    /// The account whose authority and storage the called code acts with:
    /// the executor under DELEGATECALL, the called address otherwise.
    pub fn runs_as(&self) -> Option<Address> {
        if self.operation == Some(Operation::DelegateCall) {
            self.executor
        } else {
            self.to
        }
    }

    pub fn function(&self) -> Option<&FunctionCall> {
        match &self.call {
            Decoded::Function(call) => Some(call),
            _ => None,
        }
    }
}
