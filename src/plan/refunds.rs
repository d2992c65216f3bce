//! `refund-jobs`: the registry's governance refund calls, one per job id, in
//! the profile's kind order (AGI Jobs: delistJob, claimTimeout,
//! cancelExpiredJob, finalize) and the written id order within a kind.
//!
//! The registry refuses them while it or the escrow holder is paused, so with
//! `system_paused = true` they become one `Step::Wrapped`: unpause those
//! contracts (in profile order), refund, pause them again (in reverse order).

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::U256;

use super::Step;
use super::planner::{Module, Planner};
use crate::runbook::{InputError, Located, Location};

/// The ids of one refund intent, by intent key.
pub(super) struct RefundIds<'a> {
    pub delist: &'a [Located<U256>],
    pub claim_timeout: &'a [Located<U256>],
    pub cancel_expired: &'a [Located<U256>],
    pub finalize: &'a [Located<U256>],
}

impl RefundIds<'_> {
    fn for_key(&self, key: &str) -> &[Located<U256>] {
        match key {
            "delist" => self.delist,
            "claim_timeout" => self.claim_timeout,
            "cancel_expired" => self.cancel_expired,
            "finalize" => self.finalize,
            _ => &[],
        }
    }
}

impl Planner<'_> {
    pub(super) fn refund_jobs(
        &mut self,
        ids: &RefundIds<'_>,
        system_paused: Option<&Located<bool>>,
        intent_at: &Location,
    ) -> Result<(), InputError> {
        let refunds = self.profile.refunds;
        let registry = self.named_module(refunds.registry, "refund-jobs calls", intent_at)?;
        let system_paused = match system_paused {
            Some(written) => written.value,
            None => self.refund_state_from_file(intent_at)?,
        };
        // The contracts that must be live for the refunds: unpaused around
        // them when `system_paused`, otherwise only checked when deployed.
        let mut guards: Vec<Module> = Vec::with_capacity(refunds.needs_unpaused.len());
        for name in refunds.needs_unpaused {
            if system_paused {
                guards.push(self.named_module(
                    name,
                    "a refund while paused unpauses",
                    intent_at,
                )?);
            } else if let Some(module) = self.profile.contract(name).and_then(|c| self.deployed(c))
            {
                guards.push(module);
            }
        }

        for guard in &guards {
            if system_paused {
                self.require_not_known(
                    guard,
                    false,
                    "with `system_paused = true` the refund unpauses it first, which would revert",
                    intent_at,
                )?;
            } else {
                self.require_not_known(
                    guard,
                    true,
                    &format!(
                        "{} refuses refunds while it is paused: set `system_paused = true` to unpause and re-pause around them",
                        refunds.registry
                    ),
                    intent_at,
                )?;
            }
        }

        // One call a job id: sized once, a refund can list thousands.
        let calls: usize = refunds
            .functions
            .iter()
            .map(|refund| ids.for_key(refund.key).len())
            .sum();
        let mut body = Vec::with_capacity(calls);
        for refund in refunds.functions {
            for id in ids.for_key(refund.key) {
                self.refund_once(id.value, &id.at)?;
                let what = format!("{}.{}({})", registry.name(), refund.function, id.value);
                let args = vec![DynSolValue::Uint(id.value, 256)];
                body.push(self.module_call(
                    &registry,
                    refund.function,
                    args,
                    &what,
                    None,
                    &id.at,
                )?);
            }
        }

        if !system_paused {
            self.steps.extend(body.into_iter().map(Step::Call));
            return Ok(());
        }
        let (pause, unpause) = (self.profile.pause_function, self.profile.unpause_function);
        let mut before = Vec::with_capacity(guards.len());
        for guard in &guards {
            let what = format!("unpause {} for the refunds", guard.name());
            before.push(self.pauser_call(guard, unpause, &what, intent_at)?);
        }
        let mut after = Vec::with_capacity(guards.len());
        for guard in guards.iter().rev() {
            let what = format!("pause {} again after the refunds", guard.name());
            after.push(self.pauser_call(guard, pause, &what, intent_at)?);
        }
        self.steps.push(Step::Wrapped {
            before,
            body,
            after,
        });
        for guard in &guards {
            self.set_known(guard, true, intent_at);
        }
        Ok(())
    }

    /// Records that the batch refunds job `id` (written at `at`). A job
    /// refunded twice in one runbook is an error: the second call reverts
    /// on chain, and with it the whole Safe transaction it is in.
    pub(super) fn refund_once(&mut self, id: U256, at: &Location) -> Result<(), InputError> {
        if let Some(first) = self.refunded.get(&id) {
            return Err(InputError::new(
                at.clone(),
                format!(
                    "job {id} is already refunded at {first}: the second refund of a job reverts, and with it the \
                     whole Safe transaction; job ids are unique across all refunds of a runbook, so remove one"
                ),
            ));
        }
        self.refunded.insert(id, at.clone());
        Ok(())
    }

    /// The deployed contracts that refuse refunds while paused, in profile order.
    fn refund_guards(&self) -> Vec<Module> {
        self.profile
            .refunds
            .needs_unpaused
            .iter()
            .filter_map(|name| self.profile.contract(name))
            .filter_map(|c| self.deployed(c))
            .collect()
    }

    /// The names of `guards` whose paused state no earlier intent set.
    fn unknown_states<'m>(&self, guards: &'m [Module]) -> Vec<&'m str> {
        guards
            .iter()
            .filter(|g| self.known_state(g).is_none())
            .map(Module::name)
            .collect()
    }

    /// "JobRegistry refuses refunds while it or StakeManager is paused".
    fn refund_reason(&self) -> String {
        let refunds = self.profile.refunds;
        let mut who = vec!["it"];
        who.extend(
            refunds
                .needs_unpaused
                .iter()
                .filter(|name| **name != refunds.registry),
        );
        format!(
            "{} refuses refunds while {} is paused",
            refunds.registry,
            who.join(" or ")
        )
    }

    /// Whether the refund contracts are paused when a refund runs, for a
    /// refund that does not say: known only when earlier intents of this file
    /// set the state of every one of them. Under the hub layout an unknown
    /// state is an error (the batch would revert if the protocol is paused,
    /// and pausing it is the hub layout's first incident step); under the
    /// direct layout the refund assumes them live.
    fn refund_state_from_file(&self, intent_at: &Location) -> Result<bool, InputError> {
        let guards = self.refund_guards();
        let unknown = self.unknown_states(&guards);
        if unknown.is_empty() || !self.hub_layout() {
            // A guard the file paused is refused by the caller's checks.
            return Ok(false);
        }
        Err(InputError::new(
            intent_at.clone(),
            format!(
                "`refund-jobs` needs `system_paused = true` or `system_paused = false` under the \"{layout}\" layout: \
                 {reason}, and no earlier intent of this file pauses or unpauses {unknown}. Write \
                 `system_paused = true` if they are paused now (the batch unpauses {names} around the refunds and \
                 pauses them again), `system_paused = false` if they are live",
                names = guards
                    .iter()
                    .map(Module::name)
                    .collect::<Vec<_>>()
                    .join(" and "),
                reason = self.refund_reason(),
                layout = self.deployment.layout.name(),
                unknown = unknown.join(" or "),
            ),
        ))
    }

    /// A raw `call` of a refund function of the registry: the same rule as a
    /// `refund-jobs` intent, with no key to state the pause state, so it must
    /// come from earlier intents of the file (and be live).
    pub(super) fn check_raw_refund_call(
        &self,
        function: &str,
        at: &Location,
    ) -> Result<(), InputError> {
        let refunds = self.profile.refunds;
        let fix = format!(
            "write it as a `refund-jobs` intent (`{}`), which says with `system_paused` whether to unpause around it",
            refunds
                .functions
                .iter()
                .find(|f| f.function == function)
                .map_or("delist", |f| f.key)
        );
        let guards = self.refund_guards();
        for guard in &guards {
            self.require_not_known(
                guard,
                true,
                &format!("{}: {function} would revert; {fix}", self.refund_reason()),
                at,
            )?;
        }
        let unknown = self.unknown_states(&guards);
        if unknown.is_empty() || !self.hub_layout() {
            return Ok(());
        }
        Err(InputError::new(
            at.clone(),
            format!(
                "{}.{function} depends on the pause state: {}, and no earlier intent of this file pauses or \
                 unpauses {}; {fix}",
                refunds.registry,
                self.refund_reason(),
                unknown.join(" or ")
            ),
        ))
    }

    /// A profile contract that must be in the deployment for `why`.
    fn named_module(&self, name: &str, why: &str, at: &Location) -> Result<Module, InputError> {
        let contract = self.profile_contract(name, at)?;
        self.deployed(contract).ok_or_else(|| {
            InputError::new(
                at.clone(),
                format!(
                    "{why} {name}, which is not in the deployment's [contracts] (it has: {})",
                    self.deployment_names()
                ),
            )
        })
    }
}
