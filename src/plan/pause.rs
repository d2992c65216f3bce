//! `pause` / `unpause` intents.
//!
//! "all" selects every pausable contract of the profile, in profile order
//! (the hub's modules first, in slot order); each must be in the address book
//! or listed as `absent` (skipped, and the build summary says so). A list
//! keeps the order written.
//!
//! Under the hub layout, "all" pauses the hub's modules with one `pauseAll()` /
//! `unpauseAll()`, whatever the book lists: the hub knows its modules on chain.
//! A list that names every hub-managed module does the same (in the place of
//! the first of them); a partial one becomes one forwarded `pause()` per
//! module. Contracts outside the hub are always called directly.

use super::planner::{Module, Planner};
use super::{PlannedCall, Step};
use crate::runbook::{InputError, Location, Modules};

impl Planner<'_> {
    pub(super) fn pause(&mut self, modules: &Modules, pause: bool) -> Result<(), InputError> {
        let profile = self.profile;
        let (function, verb) = if pause {
            (profile.pause_function, "pause")
        } else {
            (profile.unpause_function, "unpause")
        };
        let selected = self.pausable_selection(modules, verb)?;
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
        let hub_modules = profile.managed();
        // "all" under the hub layout: the hub's call, whatever the book
        // lists, unless the book says none of its modules is deployed.
        let all_via_hub = match modules {
            Modules::All(_) => self.hub_layout() && hub_modules.iter().any(|c| !self.is_absent(c)),
            Modules::List(_) => false,
        };
        let whole_hub =
            all_via_hub || (!managed.is_empty() && managed.len() == profile.hub.managed);

        let mut hub_call_done = false;
        if let (true, Modules::All(at)) = (all_via_hub, modules) {
            hub_call_done = true;
            let call = self.hub_pause_all(pause, &managed, at)?;
            let direct: Vec<&str> = selected
                .iter()
                .filter(|(m, _)| !self.routes_via_hub(m))
                .map(|(m, _)| m.name())
                .collect();
            let names: Vec<&str> = hub_modules.iter().map(|c| c.name).collect();
            let note = format!(
                "{verb} \"all\" is one {}.{}() for the {} modules {} manages on chain ({}), whatever the address \
                 book lists{}",
                profile.hub.contract,
                call.function.name,
                number_word(profile.hub.managed),
                profile.hub.contract,
                names.join(", "),
                match direct.as_slice() {
                    [] => String::new(),
                    names => format!("; {} {verb}d directly", names.join(", ")),
                }
            );
            self.notes
                .push(crate::runbook::Located::new(note, at.clone()));
            self.steps.push(Step::Call(call));
            for m in &managed {
                self.set_known(m, pause, at);
            }
        }
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
        let hub = self.hub(at, &format_args!("{verb} of the modules it manages"))?;
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
    fn pausable_selection(
        &mut self,
        modules: &Modules,
        verb: &str,
    ) -> Result<Vec<(Module, Location)>, InputError> {
        let pausable = || self.profile.pausable_names().join(", ");
        match modules {
            Modules::All(at) => {
                let selected = self.all_deployed(at, verb, "pausable", |c| c.pausable)?;
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
