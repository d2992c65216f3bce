//! The address book against the protocol profile: every key of `[contracts]`
//! is a contract of the profile, every name in `absent` too, and nothing is
//! both. A book that passes is exact, so `modules = "all"` can hold it to
//! being complete (see `Planner::all_deployed`).

use std::collections::BTreeMap;

use super::planner::looks_like;
use super::profile::ProtocolProfile;
use crate::runbook::{Deployment, InputError, Location};

/// Checks the deployment's names against the profile. Errors point at the
/// name as written in the address book.
pub fn check_deployment(
    profile: &ProtocolProfile,
    deployment: &Deployment,
) -> Result<(), InputError> {
    let contracts = deployment.table("contracts");
    let others = deployment.table("other_contracts");
    let labels = deployment.table("labels");
    let mut canonical: BTreeMap<&str, (&str, &Location)> = BTreeMap::new();
    for (name, entry) in &deployment.contracts {
        let known = profile.contract(name);
        match (entry.other, known) {
            (false, None) => {
                return Err(InputError::new(
                    entry.at.clone(),
                    format!(
                        "`{name}` is not a contract of {}{}: {contracts} holds only its contracts ({}; aliases: {}). \
                         Put any other contract under {others} (`Name = \"0x…\"`, or `{{ address = \"0x…\", abi = \"file.json\" }}`) \
                         or its address under {labels}",
                        profile.protocol,
                        did_you_mean(profile, name),
                        profile.names().join(", "),
                        alias_list(profile),
                    ),
                ));
            }
            (true, Some(contract)) => {
                return Err(InputError::new(
                    entry.at.clone(),
                    format!(
                        "{} is {} {} contract: list it under {contracts}, where bundlec knows how it is owned and paused",
                        written_name(name, contract.name),
                        article(profile.protocol),
                        profile.protocol,
                    ),
                ));
            }
            (true, None) => {}
            (false, Some(contract)) => {
                if let Some((first, first_at)) =
                    canonical.insert(contract.name, (name.as_str(), &entry.at))
                {
                    return Err(InputError::new(
                        entry.at.clone(),
                        format!(
                            "`{name}` and `{first}` (at {first_at}) are the same contract, {}: keep one entry",
                            contract.name
                        ),
                    ));
                }
            }
        }
    }
    for name in &deployment.absent {
        let Some(contract) = profile.contract(&name.value) else {
            return Err(InputError::new(
                name.at.clone(),
                format!(
                    "`{}` in `absent` is not a contract of {}{}: `absent` names the contracts of {} that are not \
                     deployed ({})",
                    name.value,
                    profile.protocol,
                    did_you_mean(profile, &name.value),
                    profile.protocol,
                    profile.names().join(", "),
                ),
            ));
        };
        if let Some((written, at)) = canonical.get(contract.name) {
            return Err(InputError::new(
                name.at.clone(),
                format!(
                    "`{}` is listed in `absent` (not deployed) and in {contracts} as `{written}` at {at}: a contract is \
                     either deployed or absent, so remove one of them",
                    name.value,
                ),
            ));
        }
    }
    Ok(())
}

/// Whether the book says `contract` (a profile name) is not deployed.
pub fn is_absent(profile: &ProtocolProfile, deployment: &Deployment, contract: &str) -> bool {
    deployment
        .absent
        .iter()
        .any(|a| profile.canonical_name(&a.value) == contract)
}

/// ` (did you mean X?)` when a profile name or alias is close to `written`.
pub fn did_you_mean(profile: &ProtocolProfile, written: &str) -> String {
    let close: Vec<&str> = profile
        .names()
        .into_iter()
        .chain(profile.aliases.iter().map(|(alias, _)| *alias))
        .filter(|known| looks_like(written.trim(), known))
        .collect();
    match close.as_slice() {
        [] => String::new(),
        names => format!(" (did you mean {}?)", names.join(" or ")),
    }
}

fn alias_list(profile: &ProtocolProfile) -> String {
    let aliases: Vec<String> = profile
        .aliases
        .iter()
        .map(|(alias, target)| format!("{alias} = {target}"))
        .collect();
    if aliases.is_empty() {
        "none".to_owned()
    } else {
        aliases.join(", ")
    }
}

/// A name as written, with the contract it means when it is an alias.
fn written_name(written: &str, canonical: &str) -> String {
    if written == canonical {
        format!("`{written}`")
    } else {
        format!("`{written}` ({canonical})")
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some(c) if "AEIOUaeiou".contains(c) => "an",
        _ => "a",
    }
}
