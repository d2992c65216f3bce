//! Forwarded calldata written by hand: a `call` of a forwarder
//! (SystemPause `executeGovernanceCall`, Phase 6 / Phase 8
//! `forwardPauseCall`, timelock `schedule` / `execute` and their batch
//! forms, OwnerConfigurator `configure` / `configureBatch`) carries other
//! calls in its `bytes`. They are decoded with the decoder signers use,
//! summarised as the inner call, and, for the forwarders that run them now,
//! checked and tracked as the intent they stand for: a handover moves who
//! controls what, a pause or unpause sets the pause state. Bytes that do not
//! read as a known function are an error.

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::Function;
use alloy_primitives::{Address, U256};

use super::planner::{Module, Planner};
use super::profile::ProtocolProfile;
use crate::address_book::AddressBook;
use crate::decode::{CallNode, CallSite, Decoded, Decoder};
use crate::runbook::{InputError, Location};
use crate::safe::Operation;

/// The forwarders read here, and whether they run their calls now (a
/// timelock `schedule` only queues them).
const FORWARDERS: [(&str, bool); 8] = [
    ("executeGovernanceCall(address,bytes)", true),
    ("forwardPauseCall(bytes)", true),
    (
        "schedule(address,uint256,bytes,bytes32,bytes32,uint256)",
        false,
    ),
    ("execute(address,uint256,bytes,bytes32,bytes32)", true),
    (
        "scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)",
        false,
    ),
    (
        "executeBatch(address[],uint256[],bytes[],bytes32,bytes32)",
        true,
    ),
    ("configure(address,bytes,bytes32,bytes32,bytes,bytes)", true),
    (
        "configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])",
        true,
    ),
];

/// One call a forwarder makes.
pub(super) struct InnerCall {
    pub to: Address,
    pub name: String,
    pub args: Vec<DynSolValue>,
    /// The protocol contract at `to`, if it is one.
    pub module: Option<Module>,
}

/// The calls a hand-written forwarder call makes.
pub(super) struct Forwarded {
    /// "FeePool.setGovernance(backup-safe) via SystemPause.executeGovernanceCall".
    pub summary: String,
    /// The calls it runs now, innermost forwarders unwrapped; empty for a
    /// `schedule`.
    pub runs: Vec<InnerCall>,
}

impl Planner<'_> {
    /// Reads the calls inside `data`, a call of `f` on `to` (named
    /// `to_name`), when `f` is a forwarder; `None` for any other function.
    pub(super) fn read_forwarded(
        &self,
        to: Address,
        to_name: &str,
        f: &Function,
        data: &[u8],
        value: U256,
        at: &Location,
    ) -> Result<Option<Forwarded>, InputError> {
        let (function, signature) = (f.name.as_str(), f.signature());
        let Some((_, runs_now)) = FORWARDERS.iter().find(|(s, _)| *s == signature) else {
            return Ok(None);
        };
        let fix = format!(
            "write the forwarded call as a `call` intent to the module instead (bundlec forwards it through {} \
             itself where the layout needs it)",
            self.profile.hub.contract
        );
        let book = AddressBook::for_deployment(self.deployment, self.safe());
        let decoder = Decoder::new(self.registry, &book);
        let site = CallSite {
            to: Some(to),
            value: Some(value),
            operation: Some(Operation::Call),
            executor: Some(self.safe()),
            zero_means_safe: false,
        };
        let node = decoder.decode(site, data, "0").map_err(|e| {
            InputError::new(
                at.clone(),
                format!("the calldata {to_name}.{function} forwards does not decode: {e}; {fix}"),
            )
        })?;
        let mut leaves = Vec::new();
        self.leaves(&node, &mut leaves, at, &fix)?;
        if leaves.is_empty() {
            return Err(InputError::new(
                at.clone(),
                format!("{to_name}.{function} forwards no call; {fix}"),
            ));
        }
        let texts: Vec<String> = leaves
            .iter()
            .map(|c| {
                format!(
                    "{}.{}({})",
                    self.address_name(c.to),
                    c.name,
                    self.values_text(&c.args)
                )
            })
            .collect();
        let how = if *runs_now { "via" } else { "scheduled via" };
        let summary = format!("{} {how} {to_name}.{function}", texts.join("; "));
        Ok(Some(Forwarded {
            summary,
            runs: if *runs_now { leaves } else { Vec::new() },
        }))
    }

    /// The calls under `node` that are not forwarders themselves.
    fn leaves(
        &self,
        node: &CallNode,
        out: &mut Vec<InnerCall>,
        at: &Location,
        fix: &str,
    ) -> Result<(), InputError> {
        for child in &node.children {
            let call = match &child.call {
                Decoded::Function(call) => call,
                Decoded::Empty | Decoded::Unknown { .. } => {
                    return Err(InputError::new(
                        at.clone(),
                        format!(
                            "forwarded calldata {} does not read as a known function; {fix}",
                            short(&child.data)
                        ),
                    ));
                }
            };
            if FORWARDERS.iter().any(|(s, _)| *s == &*call.signature) {
                self.leaves(child, out, at, fix)?;
                continue;
            }
            // A forwardPauseCall names no target: it calls the hub.
            let to = match child.to {
                Some(to) => to,
                None => self.hub(at, &"a forwarded pause call")?.address,
            };
            let module = self
                .deployment
                .contract_at(to)
                .and_then(|name| self.profile.contract(name))
                .and_then(|c| self.deployed(c));
            out.push(InnerCall {
                to,
                name: call.name.to_string(),
                args: call.args.iter().map(|a| a.value.clone()).collect(),
                module,
            });
        }
        Ok(())
    }
}

fn short(data: &[u8]) -> String {
    match data.first_chunk::<4>() {
        Some(selector) if data.len() > 4 => format!(
            "0x{}… ({} bytes)",
            alloy_primitives::hex::encode(selector),
            data.len()
        ),
        _ => format!("0x{}", alloy_primitives::hex::encode(data)),
    }
}

impl Planner<'_> {
    /// Refuses a forwarded call that would revert because of what the file
    /// did before, as the equivalent intent is refused.
    pub(super) fn check_forwarded(
        &mut self,
        runs: &[InnerCall],
        at: &Location,
    ) -> Result<(), InputError> {
        let profile = self.profile;
        for inner in runs {
            let Some(module) = &inner.module else {
                continue;
            };
            let name = inner.name.as_str();
            match pause_effect(profile, module, name) {
                Some(PauseEffect::Module { paused }) => {
                    let revert = if paused {
                        format!("{name}() would revert with EnforcedPause")
                    } else {
                        format!("{name}() would revert with ExpectedPause")
                    };
                    self.require_not_known(module, paused, &revert, at)?;
                }
                Some(PauseEffect::Hub { paused }) => {
                    let why = format!(
                        "{}.{name}() changes every module it manages and would revert",
                        module.name()
                    );
                    for managed in self.hub_modules() {
                        self.require_not_known(&managed, paused, &why, at)?;
                    }
                }
                None => self.require_control(module.address, at)?,
            }
            let refunds = profile.refunds;
            if module.name() == refunds.registry
                && refunds.functions.iter().any(|r| r.function == name)
            {
                self.check_raw_refund_call(name, at)?;
                if let Some(DynSolValue::Uint(id, _)) = inner.args.first() {
                    self.refund_once(*id, at)?;
                }
            }
        }
        Ok(())
    }

    /// Records what the forwarded calls changed (call once their step is pushed).
    pub(super) fn track_forwarded(&mut self, runs: &[InnerCall], at: &Location) {
        let profile = self.profile;
        for inner in runs {
            let Some(module) = &inner.module else {
                continue;
            };
            let name = inner.name.as_str();
            if let Some(PauseEffect::Module { paused }) = pause_effect(profile, module, name) {
                self.set_known(module, paused, at);
            } else if let Some(PauseEffect::Hub { paused }) = pause_effect(profile, module, name) {
                for managed in self.hub_modules() {
                    self.set_known(&managed, paused, at);
                }
            } else if let Some(to) =
                super::call::handover_recipient(module.profile, name, &inner.args)
            {
                let what = if self.hub_layout() && module.name() == profile.hub.contract {
                    format!("{} (and the modules it governs)", module.name())
                } else {
                    module.name().to_owned()
                };
                self.hand_over(module.address, &what, to, at);
            }
        }
    }
}

/// What a forwarded call does to the pause state, if anything.
enum PauseEffect {
    /// `pause()` or `unpause()` of the module called.
    Module { paused: bool },
    /// The hub's `pauseAll()` or `unpauseAll()`: every module it manages.
    Hub { paused: bool },
}

fn pause_effect(profile: &ProtocolProfile, module: &Module, name: &str) -> Option<PauseEffect> {
    if name == profile.pause_function || name == profile.unpause_function {
        Some(PauseEffect::Module {
            paused: name == profile.pause_function,
        })
    } else if module.name() == profile.hub.contract
        && (name == profile.hub.pause_all || name == profile.hub.unpause_all)
    {
        Some(PauseEffect::Hub {
            paused: name == profile.hub.pause_all,
        })
    } else {
        None
    }
}
