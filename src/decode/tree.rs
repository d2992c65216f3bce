//! The call tree: calldata decoded recursively through every known wrapper.

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::Function;
use alloy_primitives::{Address, Bytes, U256};

use super::arguments::{ArgumentError, decode_arguments};
use crate::abi::registry::AbiRegistry;
use crate::address_book::AddressBook;
use crate::multisend::{self, MultiSendError};
use crate::safe::Operation;
use crate::safe::deployments::Contract;

/// How deep wrappers may nest before decoding stops: a Safe batch through
/// SystemPause into a timelock is four levels; hostile data can go further.
pub const DEFAULT_MAX_DEPTH: usize = 8;

/// One call and what it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct CallNode {
    /// Where the call sits in the tree, e.g. `3.0.1`.
    pub path: String,
    /// The called address, when the data says it (a forwarded pause call does not).
    pub to: Option<Address>,
    pub to_name: Option<String>,
    pub operation: Option<Operation>,
    /// The account the call is made from (its `msg.sender`), when known: the
    /// verified Safe at the top, the wrapper that forwards it below. Under
    /// DELEGATECALL the called code runs *as* this account (see `runs_as`).
    pub executor: Option<Address>,
    pub value: Option<U256>,
    pub data: Bytes,
    pub call: Decoded,
    pub children: Vec<CallNode>,
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
    /// The ABI the call was read with.
    pub abi: String,
    pub signature: String,
    pub name: String,
    pub args: Vec<Argument>,
    /// What the ABI says the function may do to state: a `view` or `pure`
    /// function changes nothing, anything else may.
    pub state_mutability: alloy_json_abi::StateMutability,
    /// Other signatures in the registry with the same selector: the bytes
    /// could mean any of them, and the reading above is only the first that fit.
    pub collides_with: Vec<String>,
    /// Other ABIs that also decode these bytes, with a different meaning
    /// (another signature, or the same types under other parameter names,
    /// such as ERC-20 `approve(spender, value)` against ERC-721
    /// `approve(to, tokenId)`). Only filled when the target has no ABI of its
    /// own; each alternative has no alternatives itself.
    pub alternatives: Vec<FunctionCall>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: String,
    pub ty: String,
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
    /// `to` is address 0 inside a MultiSend from Safe 1.5.0 on, which runs
    /// the call on the Safe itself: the node shows the Safe, not address 0.
    pub zero_means_safe: bool,
}

pub struct Decoder<'a> {
    pub registry: &'a AbiRegistry,
    pub book: &'a AddressBook,
    pub max_depth: usize,
    /// The Safe the calls run in, when known: MultiSend 1.5.0 sends calls to
    /// address 0 to it.
    pub safe: Option<Address>,
}

impl<'a> Decoder<'a> {
    pub fn new(registry: &'a AbiRegistry, book: &'a AddressBook) -> Self {
        Decoder {
            registry,
            book,
            max_depth: DEFAULT_MAX_DEPTH,
            safe: None,
        }
    }

    /// Decodes `data` sent to `site`, and everything it wraps.
    pub fn decode(&self, site: CallSite, data: &[u8], path: &str) -> Result<CallNode, DecodeError> {
        self.decode_at(site, data, path.to_string(), 0)
    }

    fn decode_at(
        &self,
        site: CallSite,
        data: &[u8],
        path: String,
        depth: usize,
    ) -> Result<CallNode, DecodeError> {
        if depth > self.max_depth {
            return Err(DecodeError::TooDeep {
                path,
                max: self.max_depth,
            });
        }
        let (to, to_name) = if site.zero_means_safe {
            let safe = self.safe.or(site.to);
            let name = safe
                .and_then(|a| self.book.name_of(a))
                .unwrap_or_else(|| "the Safe".into());
            (
                safe,
                Some(format!(
                    "{name}: address 0, which MultiSend 1.5.0 runs on the Safe itself"
                )),
            )
        } else {
            (site.to, site.to.and_then(|a| self.book.name_of(a)))
        };
        let site = CallSite { to, ..site };
        let mut node = CallNode {
            path,
            to: site.to,
            to_name,
            operation: site.operation,
            executor: site.executor,
            value: site.value,
            data: Bytes::copy_from_slice(data),
            call: Decoded::Empty,
            children: Vec::new(),
        };
        let Some(selector) = data.first_chunk::<4>() else {
            node.call = if data.is_empty() {
                Decoded::Empty
            } else {
                Decoded::Unknown { selector: None }
            };
            return Ok(node);
        };
        let Some(call) = self.read_function(site.to, *selector, data, &node.path)? else {
            node.call = Decoded::Unknown {
                selector: Some(*selector),
            };
            return Ok(node);
        };
        node.children = self.children_of(&call, data, &node.path, &node, depth)?;
        node.call = Decoded::Function(call);
        Ok(node)
    }

    /// Reads `data` with the function its selector names: the target's own ABI
    /// when the target is known, else every ABI in the registry.
    fn read_function(
        &self,
        to: Option<Address>,
        selector: [u8; 4],
        data: &[u8],
        path: &str,
    ) -> Result<Option<FunctionCall>, DecodeError> {
        let known_abi = to
            .and_then(|a| self.book.abi_of(a))
            .filter(|abi| self.registry.contract(abi).is_some());
        let candidates: Vec<(String, Function)> = match known_abi {
            Some(abi) => self
                .registry
                .function_by_selector_in(&abi, selector)
                .ok()
                .map(|f| vec![(abi.clone(), f.clone())])
                .unwrap_or_default(),
            None => {
                let mut seen = Vec::<String>::new();
                let mut distinct = Vec::new();
                for m in self.registry.selector_matches(selector) {
                    let signature = m.function.signature();
                    if !seen.contains(&signature) {
                        seen.push(signature);
                        distinct.push((m.contract.clone(), m.function.clone()));
                    }
                }
                distinct
            }
        };
        let mut first_error = None;
        for (index, (abi, function)) in candidates.iter().enumerate() {
            match decode_arguments(function, data) {
                Ok(values) => {
                    let collides_with = candidates
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != index)
                        .map(|(_, (_, f))| f.signature())
                        .collect();
                    return Ok(Some(FunctionCall {
                        abi: abi.clone(),
                        signature: function.signature(),
                        name: function.name.clone(),
                        state_mutability: function.state_mutability,
                        alternatives: Vec::new(),
                        args: function
                            .inputs
                            .iter()
                            .zip(values)
                            .map(|(param, value)| Argument {
                                name: param.name.clone(),
                                ty: param.selector_type().into_owned(),
                                value,
                            })
                            .collect(),
                        collides_with,
                    }));
                }
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        match first_error {
            Some(source) => Err(DecodeError::Arguments {
                path: path.to_string(),
                source,
            }),
            None => Ok(None),
        }
    }

    /// The calls a decoded call carries inside it, decoded in turn.
    fn children_of(
        &self,
        call: &FunctionCall,
        data: &[u8],
        path: &str,
        parent: &CallNode,
        depth: usize,
    ) -> Result<Vec<CallNode>, DecodeError> {
        // MultiSend (call-only or not) 1.5.0 replaces a record's address 0
        // with the Safe it runs in.
        let zero_means_safe = parent
            .to
            .and_then(|a| self.book.safe_deployment(a))
            .is_some_and(|d| {
                d.release >= crate::safe::Release::V1_5_0
                    && matches!(
                        d.contract,
                        Contract::MultiSend | Contract::MultiSendCallOnly
                    )
            });
        let inner = match inner_calls(call, data, path, zero_means_safe)? {
            Some(inner) => inner,
            None => return Ok(Vec::new()),
        };
        inner
            .into_iter()
            .enumerate()
            .map(|(i, (site, data))| {
                let site = CallSite {
                    executor: parent.runs_as(),
                    ..site
                };
                self.decode_at(site, &data, format!("{path}.{i}"), depth.saturating_add(1))
            })
            .collect()
    }
}

/// The wrapped calls of the wrappers bundlec understands, as (site, calldata).
fn inner_calls(
    call: &FunctionCall,
    data: &[u8],
    path: &str,
    zero_means_safe: bool,
) -> Result<Option<Vec<(CallSite, Bytes)>>, DecodeError> {
    let args: Vec<&DynSolValue> = call.args.iter().map(|a| &a.value).collect();
    let malformed = |reason: &str| DecodeError::Malformed {
        path: path.to_string(),
        reason: format!("{}: {reason}", call.signature),
    };
    let site = |to: Option<Address>, value: U256, operation: Operation| CallSite {
        to,
        value: Some(value),
        operation: Some(operation),
        executor: None,
        zero_means_safe: false,
    };
    let inner = match (call.signature.as_str(), args.as_slice()) {
        ("multiSend(bytes)", _) => {
            let records = multisend::decode(data).map_err(|source| DecodeError::MultiSend {
                path: path.to_string(),
                source,
            })?;
            records
                .into_iter()
                .map(|r| {
                    let mut record = site(Some(r.to), r.value, r.operation);
                    record.zero_means_safe = zero_means_safe && r.to.is_zero();
                    (record, r.data)
                })
                .collect()
        }
        (
            "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
            [
                DynSolValue::Address(to),
                DynSolValue::Uint(value, _),
                DynSolValue::Bytes(inner),
                DynSolValue::Uint(op, _),
                ..,
            ],
        ) => {
            let operation = u8::try_from(*op)
                .ok()
                .and_then(|op| Operation::try_from(op).ok())
                .ok_or_else(|| {
                    malformed(&format!(
                        "operation {op} is neither CALL (0) nor DELEGATECALL (1)"
                    ))
                })?;
            vec![(
                site(Some(*to), *value, operation),
                Bytes::copy_from_slice(inner),
            )]
        }
        (
            "executeGovernanceCall(address,bytes)",
            [DynSolValue::Address(to), DynSolValue::Bytes(inner)],
        ) => {
            vec![(
                site(Some(*to), U256::ZERO, Operation::Call),
                Bytes::copy_from_slice(inner),
            )]
        }
        // The manager calls its configured SystemPause, which the data does not name.
        ("forwardPauseCall(bytes)", [DynSolValue::Bytes(inner)]) => {
            vec![(
                site(None, U256::ZERO, Operation::Call),
                Bytes::copy_from_slice(inner),
            )]
        }
        (
            "schedule(address,uint256,bytes,bytes32,bytes32,uint256)"
            | "execute(address,uint256,bytes,bytes32,bytes32)",
            [
                DynSolValue::Address(to),
                DynSolValue::Uint(value, _),
                DynSolValue::Bytes(inner),
                ..,
            ],
        ) => vec![(
            site(Some(*to), *value, Operation::Call),
            Bytes::copy_from_slice(inner),
        )],
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
            let mut inner = Vec::with_capacity(targets.len());
            for ((target, value), payload) in targets.iter().zip(values).zip(payloads) {
                match (target, value, payload) {
                    (
                        DynSolValue::Address(to),
                        DynSolValue::Uint(value, _),
                        DynSolValue::Bytes(data),
                    ) => {
                        inner.push((
                            site(Some(*to), *value, Operation::Call),
                            Bytes::copy_from_slice(data),
                        ));
                    }
                    _ => return Err(malformed("unexpected argument types")),
                }
            }
            inner
        }
        _ => return Ok(None),
    };
    Ok(Some(inner))
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
