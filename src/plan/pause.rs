//! `pause` / `unpause` intents.
//!
//! "all" selects every pausable contract the deployment has, in profile order
//! (the hub's modules first, in slot order); a list keeps the order written.
//! Under the hub layout, a selection that covers every hub-managed module
//! becomes one `pauseAll()` / `unpauseAll()` (in the place of the first of
//! them), a partial one becomes one forwarded `pause()` per module; contracts
//! outside the hub are always called directly.

use super::planner::{Module, Planner};
use super::{PlannedCall, Step};
use crate::runbook::{InputError, Location, Modules};

impl Planner<'_> {
    pub(super) fn pause(&mut self, modules: &Modules, pause: bool) -> Result<(), InputError> {
        let selected = self.pausable_selection(modules)?;
        let profile = self.profile;
        let (function, verb) = if pause {
            (profile.pause_function, "pause")
        } else {
            (profile.unpause_function, "unpause")
        };
        let revert = if pause {
            format!("{function}() would revert with EnforcedPause")
        } else {
            format!("{function}() would revert with ExpectedPause")
        };

        let managed: Vec<&Module> = selected
            .iter()
            .map(|(m, _)| m)
            .filter(|m| self.routes_via_hub(m))
            .collect();
        let whole_hub = !managed.is_empty() && managed.len() == profile.hub.managed;

        let mut hub_call_done = false;
        for (module, at) in &selected {
            if whole_hub && self.routes_via_hub(module) {
                if hub_call_done {
                    continue;
                }
                hub_call_done = true;
                let call = self.hub_pause_all(pause, &managed, at)?;
                self.steps.push(Step::Call(call));
                for m in &managed {
                    self.set_known(m, pause, at);
                }
                continue;
            }
            self.require_not_known(module, pause, &revert, at)?;
            let what = format!("{verb} {}", module.name());
            let call = self.pauser_call(module, function, &what, at)?;
            self.steps.push(Step::Call(call));
            self.set_known(module, pause, at);
        }
        Ok(())
    }

    fn hub_pause_all(
        &self,
        pause: bool,
        managed: &[&Module],
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let hub_profile = self.profile.hub;
        let (function, verb) = if pause {
            (hub_profile.pause_all, "pause")
        } else {
            (hub_profile.unpause_all, "unpause")
        };
        let hub = self.hub(at, &format!("{verb} of the modules it manages"))?;
        let why = format!(
            "{}.{function}() {verb}s every module it manages and would revert",
            hub.name()
        );
        for m in managed {
            self.require_not_known(m, pause, &why, at)?;
        }
        self.require_control(hub.address, at)?;
        let summary = format!(
            "{verb} all {} core modules via {}",
            number_word(hub_profile.managed),
            hub.name()
        );
        self.call_to(hub.address, &hub.abi, function, vec![], summary, at)
    }

    /// The contracts a pause intent names, each with the place to blame.
    fn pausable_selection(&self, modules: &Modules) -> Result<Vec<(Module, Location)>, InputError> {
        let pausable = || self.profile.pausable_names().join(", ");
        match modules {
            Modules::All(at) => {
                let selected = self.all_deployed(at, |c| c.pausable);
                if selected.is_empty() {
                    return Err(InputError::new(
                        at.clone(),
                        format!(
                            "the deployment has none of the pausable modules ({}), so \"all\" selects nothing",
                            pausable()
                        ),
                    ));
                }
                Ok(selected)
            }
            Modules::List(names) => {
                // Every module without a pause at once, so one edit fixes the list.
                let mut unpausable: Vec<(&str, &Location)> = Vec::new();
                for name in names {
                    let contract = self.profile_contract(&name.value, &name.at)?;
                    if !contract.pausable {
                        unpausable.push((contract.name, &name.at));
                    }
                }
                if let Some((_, first)) = unpausable.first() {
                    let listed: Vec<String> =
                        unpausable.iter().map(|(n, _)| format!("`{n}`")).collect();
                    let message = if let [one] = listed.as_slice() {
                        format!("{one} has no pause(): it cannot be paused or unpaused")
                    } else {
                        let places: Vec<String> = unpausable
                            .iter()
                            .map(|(n, at)| format!("{n} at {}:{}", at.line, at.column))
                            .collect();
                        format!(
                            "{} have no pause(): they cannot be paused or unpaused ({}); remove them from `modules`",
                            and_list(&listed),
                            places.join(", ")
                        )
                    };
                    return Err(InputError::new(
                        (*first).clone(),
                        format!("{message}; the pausable modules are {}", pausable()),
                    ));
                }
                self.listed_modules(names, |_, _| Ok(()))
            }
        }
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

pub(super) fn number_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}
