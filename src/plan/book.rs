//! The address book against the protocol profile: every key of `[contracts]`
//! is a contract of the profile, every name in `absent` too, and nothing is
//! both. A book that passes is exact, so `modules = "all"` can hold it to
//! being complete (see `Planner::all_deployed`).

use std::collections::BTreeMap;

use alloy_primitives::Address;

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
    for (name, label) in &deployment.labels {
        if let Some(known) = protocol_name_like(profile, name) {
            return Err(InputError::new(
                label.at.clone(),
                format!(
                    "label `{name}` is named like the {} contract {known}: a label may not look like a contract \
                     name, or summaries would say an address is that contract. List the contract under {contracts}, \
                     or give the address another label",
                    profile.protocol
                ),
            ));
        }
    }
    for (name, entry) in &deployment.contracts {
        if entry.other
            && let Some(known) = protocol_name_like(profile, name)
        {
            return Err(InputError::new(
                entry.at.clone(),
                format!(
                    "`{name}` in {others} is named like the {} contract {known}: list that contract under \
                     {contracts}, or give this one another name",
                    profile.protocol
                ),
            ));
        }
    }
    check_lookalikes(deployment, None)?;
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

/// The protocol contract name or alias that `name` is, ignoring case.
fn protocol_name_like(profile: &ProtocolProfile, name: &str) -> Option<&'static str> {
    profile
        .names()
        .into_iter()
        .chain(profile.aliases.iter().map(|(alias, _)| *alias))
        .find(|known| known.eq_ignore_ascii_case(name))
}

/// The first and last two bytes: the four hex digits a person checks at
/// each end of an address.
pub fn address_ends(address: &Address) -> [u8; 4] {
    let [a0, a1, .., b0, b1] = address.0.0;
    [a0, a1, b0, b1]
}

/// No address of the book (nor the Safe, when given) looks like another
/// one: same first and last four hex digits, different address.
pub fn check_lookalikes(
    deployment: &Deployment,
    safe: Option<(Address, &Location)>,
) -> Result<(), InputError> {
    let mut entries: Vec<(Address, String, Location)> = deployment
        .contracts
        .iter()
        .map(|(name, e)| (e.address, format!("`{name}`"), e.at.clone()))
        .chain(
            deployment
                .labels
                .iter()
                .map(|(name, l)| (l.value, format!("`{name}`"), l.at.clone())),
        )
        .collect();
    entries.sort_by_key(|entry| (entry.2.line, entry.2.column));
    if let Some((address, at)) = safe {
        entries.push((address, "the Safe ([safe] address)".to_owned(), at.clone()));
    }
    for (i, (address, name, at)) in entries.iter().enumerate() {
        for (other, other_name, other_at) in entries.iter().take(i) {
            if other != address && address_ends(other) == address_ends(address) {
                return Err(InputError::new(
                    at.clone(),
                    format!(
                        "{name} ({address}) looks like {other_name} ({other}, at {other_at}): same first and last \
                         four hex digits, different address. A signer checking the ends of an address cannot tell \
                         them apart; check both against their source"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The runbook's Safe against the book: no contract sits at the Safe's
/// address, and the Safe looks like no entry of the book.
pub fn check_safe(
    deployment: &Deployment,
    safe: Address,
    safe_at: &Location,
) -> Result<(), InputError> {
    let contracts = deployment.table("contracts");
    for (name, entry) in &deployment.contracts {
        if entry.address == safe {
            return Err(InputError::new(
                entry.at.clone(),
                format!(
                    "`{name}` in {contracts} is at {safe}, the Safe's own address ([safe] address at {safe_at}): \
                     a contract may not sit at the Safe's address, where its ABI would misread the Safe's calls"
                ),
            ));
        }
    }
    check_lookalikes(deployment, Some((safe, safe_at)))
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
