//! `rotate-governance`: hand every selected contract to a new governor.
//!
//! Calls come in this order, so that every call that still needs the old
//! authority runs before the call that gives that authority away:
//!
//! 1. contracts the Safe governs directly, in selection order; for each, the
//!    extra authority first (FeePool: `setGovernance`, which is owner-only),
//!    then the handover (`setGovernance` / `transferOwnership`);
//! 2. under the hub layout, forwarded calls through the hub: the handovers of
//!    hub-managed modules named without the hub, or, when the hub itself
//!    rotates, the extra authorities of the modules it manages
//!    (`executeGovernanceCall(FeePool, setGovernance(to))`);
//! 3. the hub's own handover (`SystemPause.setGovernance(to)`), which moves
//!    every module it manages at once.
//!
//! Ownable2Step handovers only make the new owner pending: its
//! `acceptOwnership()` calls go to `Plan::accept`, for the new owner to sign.

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::Address;

use super::pause::number_word;
use super::planner::{Module, Planner};
use super::profile::Access;
use super::{AcceptPlan, PlannedCall, Step};
use crate::runbook::{InputError, Located, Location, Modules};

impl Planner<'_> {
    pub(super) fn rotate_governance(
        &mut self,
        to: &Located<String>,
        modules: &Modules,
        confirm_unlabelled: bool,
        intent_at: &Location,
    ) -> Result<(), InputError> {
        let new = self.rotation_target(to, confirm_unlabelled)?;
        let selected = self.rotatable_selection(modules)?;
        let hub_name = self.profile.hub.contract;
        let hub_rotates = self.hub_layout() && selected.iter().any(|(m, _)| m.name() == hub_name);

        let mut direct = Vec::new();
        let mut forwarded = Vec::new();
        let mut hub = None;
        for (module, at) in selected {
            if self.hub_layout() && module.name() == hub_name {
                hub = Some((module, at));
            } else if self.routes_via_hub(&module) {
                // The hub's own handover moves these.
                if !hub_rotates {
                    forwarded.push((module, at));
                }
            } else {
                direct.push((module, at));
            }
        }

        let mut accept_calls = Vec::new();
        for (module, at) in direct.iter().chain(&forwarded) {
            self.hand_module_over(module, new, at, &mut accept_calls)?;
        }
        if let Some((hub, at)) = hub {
            // Extra authorities of the modules the hub manages move through the
            // hub, while the Safe still governs it.
            for contract in self.profile.managed() {
                if let Some(module) = self.deployed(contract) {
                    self.move_extra_authority(&module, new, &at)?;
                }
            }
            self.hand_module_over(&hub, new, &at, &mut accept_calls)?;
        }

        if !accept_calls.is_empty() {
            self.add_accept_calls(new, accept_calls, to, intent_at)?;
        }
        Ok(())
    }

    /// Emits the call moving a contract's extra authority, if it has one.
    fn move_extra_authority(
        &mut self,
        module: &Module,
        new: Address,
        at: &Location,
    ) -> Result<(), InputError> {
        let Some(extra) = module.profile.extra_authority else {
            return Ok(());
        };
        let what = format!(
            "{}.{}({})",
            module.name(),
            extra.setter,
            self.address_name(new)
        );
        let note = format!("moves {}'s {}", module.name(), extra.description);
        let args = vec![DynSolValue::Address(new)];
        let call = self.module_call(module, extra.setter, args, &what, Some(&note), at)?;
        self.steps.push(Step::Call(call));
        Ok(())
    }

    /// Emits one contract's handover, after its extra authority (if any),
    /// and records what the Safe no longer controls.
    fn hand_module_over(
        &mut self,
        module: &Module,
        new: Address,
        at: &Location,
        accept_calls: &mut Vec<PlannedCall>,
    ) -> Result<(), InputError> {
        self.move_extra_authority(module, new, at)?;
        let access = module.profile.access;
        let Some(function) = access.handover_function() else {
            return Err(self.timelock_error(module.name(), at));
        };
        let new_name = self.address_name(new);
        let is_hub = self.hub_layout() && module.name() == self.profile.hub.contract;
        let what = format!("{}.{function}({new_name})", module.name());
        let note = match access {
            Access::Ownable2Step => format!(
                "{new_name} becomes pending owner and must call acceptOwnership() (accept batch)"
            ),
            _ if is_hub => format!(
                "hands {} and the {} core modules it governs to {new_name}",
                module.name(),
                number_word(self.profile.hub.managed),
            ),
            _ if self.routes_via_hub(module) => format!(
                "{} leaves {}'s control for {new_name}",
                module.name(),
                self.profile.hub.contract
            ),
            _ => format!("hands {} to {new_name}", module.name()),
        };
        let args = vec![DynSolValue::Address(new)];
        let call = self.module_call(module, function, args, &what, Some(&note), at)?;
        self.steps.push(Step::Call(call));
        match access.accept_function() {
            Some(accept) => {
                let summary = format!(
                    "{}.{accept}(): {new_name} takes ownership of {}",
                    module.name(),
                    module.name()
                );
                let call =
                    self.call_to(module.address, &module.abi, accept, vec![], summary, at)?;
                accept_calls.push(call);
            }
            None if is_hub => {
                let what = format!("{} (and the modules it governs)", module.name());
                self.hand_over(module.address, &what, new, at);
            }
            None => self.hand_over(module.address, module.name(), new, at),
        }
        Ok(())
    }

    fn add_accept_calls(
        &mut self,
        new: Address,
        calls: Vec<PlannedCall>,
        to: &Located<String>,
        intent_at: &Location,
    ) -> Result<(), InputError> {
        if self.runbook.accept.is_none() {
            let names: Vec<String> = calls
                .iter()
                .filter_map(|c| self.deployment.contract_at(c.to).map(str::to_owned))
                .collect();
            return Err(InputError::new(
                intent_at.clone(),
                format!(
                    "rotating {} (Ownable2Step) needs an [accept] table with the new Safe's nonce and version: \
                     {} must then call acceptOwnership() in a batch of its own",
                    names.join(", "),
                    self.address_name(new)
                ),
            ));
        }
        match &mut self.accept {
            None => {
                self.accept = Some((
                    AcceptPlan {
                        new_owner: new,
                        calls,
                    },
                    to.at.clone(),
                ));
            }
            Some((plan, _)) if plan.new_owner == new => plan.calls.extend(calls),
            Some((plan, first)) => {
                return Err(InputError::new(
                    to.at.clone(),
                    format!(
                        "the rotation at {first} already needs an accept batch from {}; one intent file makes one \
                         accept batch, so rotate to {} in a file of its own",
                        plan.new_owner, new
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The new governor: a label, or an address that is labelled or confirmed.
    fn rotation_target(
        &self,
        to: &Located<String>,
        confirm_unlabelled: bool,
    ) -> Result<Address, InputError> {
        let err = |message: String| Err(InputError::new(to.at.clone(), message));
        let text = to.value.trim();
        // A timelock of the deployment is as well known as a label.
        let timelock_at = |address: Address| {
            self.deployment
                .contract_at(address)
                .and_then(|name| self.profile.contract(name))
                .is_some_and(|c| c.access == Access::Timelock)
        };
        let named_timelock = self
            .profile
            .contract(text)
            .filter(|c| c.access == Access::Timelock)
            .and_then(|c| self.deployed(c));
        let (address, labelled) = match self.literal_address(text, &to.at)? {
            Some(address) => (
                address,
                self.deployment.label_of(address).is_some() || timelock_at(address),
            ),
            None => match (self.deployment.labels.get(text), named_timelock) {
                (Some(label), _) => (label.value, true),
                (None, Some(timelock)) => (timelock.address, true),
                (None, None) => {
                    let labels: Vec<&str> =
                        self.deployment.labels.keys().map(String::as_str).collect();
                    return Err(self.unknown_name(
                        "",
                        text,
                        &to.at,
                        format!(
                            " is neither a label of the deployment ({}), its timelock, nor an address",
                            if labels.is_empty() {
                                "it has none".to_owned()
                            } else {
                                labels.join(", ")
                            }
                        ),
                    ));
                }
            },
        };
        if address == Address::ZERO {
            return err(
                "rotating to the zero address gives the authority away for good: name the Safe that takes over"
                    .to_owned(),
            );
        }
        if address == self.safe() {
            return err(format!(
                "`to` is this Safe ({address}), which already holds the authority: name the Safe that takes over"
            ));
        }
        if let Some(name) = self.deployment.contract_at(address)
            && self
                .profile
                .contract(name)
                .is_some_and(|c| c.access != Access::Timelock)
        {
            return err(format!(
                "`to` is the deployment's {name} contract: governance goes to a Safe or a timelock, not to a \
                 protocol module (write a `call` intent if that is really meant)"
            ));
        }
        if !labelled && !confirm_unlabelled {
            return err(format!(
                "{address} has no label in the deployment; a wrong address loses every module it receives. \
                 Add it to {} or set `confirm_unlabelled = true`",
                self.labels_table()
            ));
        }
        Ok(address)
    }

    /// The contracts a rotation names, each with the place to blame.
    fn rotatable_selection(
        &mut self,
        modules: &Modules,
    ) -> Result<Vec<(Module, Location)>, InputError> {
        match modules {
            Modules::All(at) => {
                let selected = self.all_deployed(at, "rotate-governance", "rotatable", |c| {
                    c.access != Access::Timelock
                })?;
                if selected.is_empty() {
                    return Err(InputError::new(
                        at.clone(),
                        format!(
                            "the deployment has no {} contract to rotate (it has: {})",
                            self.profile.protocol,
                            self.deployment_names()
                        ),
                    ));
                }
                Ok(selected)
            }
            Modules::List(names) => self.listed_modules(names, |contract, at| {
                if contract.access == Access::Timelock {
                    return Err(self.timelock_error(contract.name, at));
                }
                Ok(())
            }),
        }
    }

    fn timelock_error(&self, name: &str, at: &Location) -> InputError {
        InputError::new(
            at.clone(),
            format!(
                "`{name}` is a timelock: its authority is held through roles (proposer, executor, admin), not an \
                 owner, so rotate-governance cannot move it; write `call` intents for grantRole / revokeRole"
            ),
        )
    }
}
