//! `call`: any function of any contract, encoded through its ABI.
//!
//! `contract` is a deployment contract name (aliases allowed), a label or an
//! address. An address that is a deployment contract (or the Safe itself)
//! uses that contract's ABI; any other address has no ABI, so `function`
//! must then be a full signature. Calls to a hub-managed module under the hub
//! layout go through the hub's forwarder and may not carry ETH.

use std::rc::Rc;

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::{Function, Param, StateMutability};
use alloy_primitives::{Address, U256};

use super::Step;
use super::planner::{Module, Planner};
use super::profile::{Access, ContractProfile};
use super::signers::SAFE_ABI;
use crate::abi::registry::canonical_signature;
use crate::abi::values::value_from_toml;
use crate::runbook::{InputError, Located, Location};

/// Where a `call` goes and how its data is read.
struct Target {
    address: Address,
    /// How summaries name it.
    name: String,
    /// The registry ABI, when bundlec knows one.
    abi: Option<String>,
    /// Set when the target is a protocol contract (and may route via the hub).
    module: Option<Module>,
}

/// What a `call` of one of the Safe's own administration functions needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SafeAdmin {
    /// Owner changes: `rotate-signers` owns them, since a raw call would
    /// bypass the owner-list simulation that later `prevOwner`s depend on.
    RotateSigners,
    /// Any other change of the Safe's configuration: allowed only with
    /// `confirm = "<function name>"`, so that review sees it was meant.
    Confirm(&'static str),
}

/// The one table of the Safe's administration functions (called on the Safe
/// itself) and the rule for each. `approveHash` is not here: it signs a
/// transaction hash as an owner, it changes no configuration of the Safe.
const SAFE_ADMIN_FUNCTIONS: [(&str, SafeAdmin); 11] = [
    ("swapOwner", SafeAdmin::RotateSigners),
    ("addOwnerWithThreshold", SafeAdmin::RotateSigners),
    ("removeOwner", SafeAdmin::RotateSigners),
    ("changeThreshold", SafeAdmin::RotateSigners),
    (
        "enableModule",
        SafeAdmin::Confirm(
            "lets the module execute any transaction from the Safe without signatures",
        ),
    ),
    (
        "disableModule",
        SafeAdmin::Confirm("removes a module the Safe's operations may depend on"),
    ),
    (
        "setGuard",
        SafeAdmin::Confirm("installs a guard that can block every later transaction of the Safe"),
    ),
    (
        "setModuleGuard",
        SafeAdmin::Confirm("installs a guard that can block every module transaction of the Safe"),
    ),
    (
        "setFallbackHandler",
        SafeAdmin::Confirm("lets the handler answer every call the Safe does not implement"),
    ),
    (
        "changeMasterCopy",
        SafeAdmin::Confirm("replaces the Safe's code"),
    ),
    (
        "setup",
        SafeAdmin::Confirm(
            "(re)initialises the Safe's owners, threshold, modules and fallback handler",
        ),
    ),
];

fn safe_admin(function: &str) -> Option<SafeAdmin> {
    SAFE_ADMIN_FUNCTIONS
        .iter()
        .find(|(name, _)| *name == function)
        .map(|(_, rule)| *rule)
}

impl Planner<'_> {
    pub(super) fn call(
        &mut self,
        contract: &Located<String>,
        function: &Located<String>,
        args: Option<&Located<toml::Value>>,
        value: &Located<U256>,
        confirm: Option<&Located<String>>,
        intent_at: &Location,
    ) -> Result<(), InputError> {
        let value_at = &value.at;
        let value = value.value;
        let target = self.call_target(contract)?;
        let f = self.call_function(&target, function)?;
        self.check_safe_admin(&target, &f, function, confirm)?;
        let values = self.call_args(&f, args, intent_at)?;
        let routed = target
            .module
            .as_ref()
            .is_some_and(|m| self.routes_via_hub(m));
        if !value.is_zero() && routed {
            let hub = self.hub(value_at, &"this call")?;
            return Err(InputError::new(
                value_at.clone(),
                format!(
                    "{} is governed through {}.{}, which forwards no ETH: `value` must be 0 (got {value} wei)",
                    target.name,
                    hub.name(),
                    self.profile.hub.forward
                ),
            ));
        }
        if !value.is_zero()
            && !routed
            && target.abi.is_some()
            && f.state_mutability != StateMutability::Payable
        {
            return Err(InputError::new(
                value_at.clone(),
                format!(
                    "{}.{} is not payable, so `value` must be 0 (got {value} wei)",
                    target.name,
                    f.signature()
                ),
            ));
        }
        let refunds = self.profile.refunds;
        if target
            .module
            .as_ref()
            .is_some_and(|m| m.name() == refunds.registry)
            && refunds.functions.iter().any(|r| r.function == f.name)
        {
            self.check_raw_refund_call(&f.name, &function.at)?;
            if let Some(DynSolValue::Uint(id, _)) = values.first() {
                self.refund_once(*id, args.map_or(&function.at, |a| &a.at))?;
            }
        }
        // Calls written by hand inside a forwarder's bytes: read, checked
        // and, below, tracked like the intents they stand for.
        let data = self.encode(&f, &values, &function.at)?;
        let forwarded =
            self.read_forwarded(target.address, &target.name, &f, &data, value, &function.at)?;
        if let Some(forwarded) = &forwarded {
            self.check_forwarded(&forwarded.runs, &function.at)?;
        }
        let what = match &forwarded {
            Some(forwarded) => forwarded.summary.clone(),
            None => format!("{}.{}({})", target.name, f.name, self.values_text(&values)),
        };
        let handed_to = target
            .module
            .as_ref()
            .and_then(|m| handover_recipient(m.profile, &f.name, &values));
        let call = match &target.module {
            Some(module) => {
                self.module_call_with(module, f.clone(), values, value, &what, None, &function.at)?
            }
            None => {
                self.require_control(target.address, &contract.at)?;
                self.call_with(target.address, f.clone(), values, value, what, &function.at)?
            }
        };
        self.steps.push(Step::Call(call));

        // A handover written as a raw call moves authority as a rotation
        // does: later intents that still need it must be refused the same way.
        if let (Some(module), Some(new_owner)) = (&target.module, handed_to) {
            let what = if self.hub_layout() && module.name() == self.profile.hub.contract {
                format!("{} (and the modules it governs)", module.name())
            } else {
                module.name().to_string()
            };
            self.hand_over(module.address, &what, new_owner, &function.at);
        }

        // A raw call may change pause states the planner was tracking. Its
        // unpauses and re-pauses still bound spans that must stay in one
        // Safe transaction.
        let profile = self.profile;
        if let Some(forwarded) = &forwarded {
            self.track_forwarded(&forwarded.runs, &function.at);
            return Ok(());
        }
        match &target.module {
            Some(m) if m.name() == profile.hub.contract => {
                self.forget_all_known();
                let paused = if f.name == profile.hub.pause_all {
                    Some(true)
                } else if f.name == profile.hub.unpause_all {
                    Some(false)
                } else {
                    None
                };
                if let Some(paused) = paused {
                    for module in self.hub_modules() {
                        self.track_span(module.address, module.name(), paused, &function.at);
                    }
                }
            }
            Some(m) if f.name == profile.pause_function || f.name == profile.unpause_function => {
                self.forget_known(m.address);
                let paused = f.name == profile.pause_function;
                self.track_span(m.address, m.name(), paused, &function.at);
            }
            _ => {}
        }
        Ok(())
    }

    /// The Safe administration rule: owner changes go through
    /// `rotate-signers`; every other administration function of the Safe
    /// needs `confirm` naming it; `confirm` on anything else is a mistake.
    fn check_safe_admin(
        &self,
        target: &Target,
        f: &Function,
        function: &Located<String>,
        confirm: Option<&Located<String>>,
    ) -> Result<(), InputError> {
        let name = f.name.as_str();
        let rule = if target.address == self.safe() {
            safe_admin(name)
        } else {
            None
        };
        match (rule, confirm) {
            (Some(SafeAdmin::RotateSigners), _) => Err(InputError::new(
                function.at.clone(),
                format!(
                    "`{name}` changes the Safe's owners: write a `rotate-signers` intent, which computes prevOwner \
                     from the owner list and checks the threshold"
                ),
            )),
            (Some(SafeAdmin::Confirm(does)), None) => Err(InputError::new(
                function.at.clone(),
                format!(
                    "`{name}` is Safe administration ({name} {does}): a `call` of it needs \
                     `confirm = \"{name}\"` in the intent, so that the change is stated where it is reviewed"
                ),
            )),
            (Some(SafeAdmin::Confirm(_)), Some(c)) if c.value != name => Err(InputError::new(
                c.at.clone(),
                format!(
                    "`confirm` must name the Safe administration function the call makes: \
                     `confirm = \"{name}\"`, not `{}`",
                    c.value
                ),
            )),
            (Some(SafeAdmin::Confirm(_)), Some(_)) => Ok(()),
            (None, Some(c)) => Err(InputError::new(
                c.at.clone(),
                format!(
                    "`confirm` applies only to a `call` of the Safe's own administration functions ({}); \
                     {}.{name} is not one: remove `confirm`",
                    SAFE_ADMIN_FUNCTIONS
                        .iter()
                        .filter(|(_, rule)| *rule != SafeAdmin::RotateSigners)
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", "),
                    target.name
                ),
            )),
            (None, None) => Ok(()),
        }
    }

    fn call_target(&self, contract: &Located<String>) -> Result<Target, InputError> {
        let written = contract.value.trim();
        if let Some(address) = self.literal_address(written, &contract.at)? {
            return self.target_at(address, &contract.at);
        }
        if let Some(target) = self.target_named(written, &contract.at)? {
            return Ok(target);
        }
        if let Some(label) = self.deployment.labels.get(written) {
            return self.target_at(label.value, &contract.at);
        }
        let labels: Vec<&str> = self.deployment.labels.keys().map(String::as_str).collect();
        Err(self.unknown_name(
            "unknown contract ",
            written,
            &contract.at,
            format!(
                ": not a contract of the deployment ({}), a label ({}) or an address",
                self.deployment_names(),
                if labels.is_empty() {
                    "none".to_owned()
                } else {
                    labels.join(", ")
                }
            ),
        ))
    }

    /// A contract named by a profile name, an alias or a deployment key.
    fn target_named(&self, name: &str, at: &Location) -> Result<Option<Target>, InputError> {
        if let Some(contract) = self.profile.contract(name) {
            let module = self.require_deployed(contract, at)?;
            return Ok(Some(Target {
                address: module.address,
                name: module.name().to_owned(),
                abi: Some(module.abi.clone()),
                module: Some(module),
            }));
        }
        if let Some(entry) = self.deployment.contract(name) {
            return Ok(Some(Target {
                address: entry.address,
                name: name.to_owned(),
                abi: self
                    .registry
                    .contract(name)
                    .is_some()
                    .then(|| name.to_owned()),
                module: None,
            }));
        }
        Ok(None)
    }

    fn target_at(&self, address: Address, at: &Location) -> Result<Target, InputError> {
        // MultiSend 1.5.0 runs a record addressed to 0 on the Safe itself,
        // so a call "to address 0" would be a Safe administration call that
        // escaped the rules above (rotate-signers, confirm). Nothing else is
        // ever meant by it.
        if address == Address::ZERO {
            return Err(InputError::new(
                at.clone(),
                "a call to address 0 is refused: inside a MultiSend 1.5.0 batch it runs on the Safe \
                 itself, past the rules for Safe administration; name the Safe (its label or address) \
                 to call it, or rotate-signers to change its owners"
                    .to_owned(),
            ));
        }
        if let Some(name) = self.deployment.contract_at(address)
            && let Some(target) = self.target_named(name, at)?
        {
            return Ok(target);
        }
        if address == self.safe() {
            return Ok(Target {
                address,
                name: SAFE_ABI.to_owned(),
                abi: Some(SAFE_ABI.to_owned()),
                module: None,
            });
        }
        Ok(Target {
            address,
            name: self.address_name(address),
            abi: None,
            module: None,
        })
    }

    fn call_function(
        &self,
        target: &Target,
        function: &Located<String>,
    ) -> Result<Rc<Function>, InputError> {
        let written = function.value.trim();
        if let Some(abi) = &target.abi {
            return self.function(abi, written, &function.at);
        }
        let err = |message: String| InputError::new(function.at.clone(), message);
        if !written.contains('(') {
            return Err(err(format!(
                "bundlec has no ABI for {} (not a contract of the deployment), so `function` must be a full \
                 signature such as \"transfer(address,uint256)\", not `{written}`",
                target.name
            )));
        }
        canonical_signature(written).map_err(|e| err(e.to_string()))?;
        Function::parse(written)
            .map(Rc::new)
            .map_err(|e| err(format!("`{written}` is not a function signature: {e}")))
    }

    fn call_args(
        &self,
        f: &Function,
        args: Option<&Located<toml::Value>>,
        intent_at: &Location,
    ) -> Result<Vec<DynSolValue>, InputError> {
        let signature = f.signature();
        let names: Vec<String> = f
            .inputs
            .iter()
            .enumerate()
            .map(|(i, p)| param_name(i, p))
            .collect();
        let Some(args) = args else {
            if f.inputs.is_empty() {
                return Ok(Vec::new());
            }
            return Err(InputError::new(
                intent_at.clone(),
                format!(
                    "`{signature}` takes {} argument{} ({}): give them in `args`",
                    f.inputs.len(),
                    if f.inputs.len() == 1 { "" } else { "s" },
                    names.join(", ")
                ),
            ));
        };
        let err = |message: String| InputError::new(args.at.clone(), message);
        let lookup = |name: &str| self.named_address(name);
        let read = |param: &Param, value: &toml::Value| {
            let value = resolve_names(&param.ty, &param.components, value, &lookup);
            value_from_toml(param, &value)
                .map_err(|e| err(format!("in the arguments of `{signature}`: {e}")))
        };
        match &args.value {
            toml::Value::Array(items) => {
                if let Some(missing) = names.get(items.len()) {
                    return Err(err(format!(
                        "missing argument `{missing}`: `{signature}` takes {} arguments ({}), got {}",
                        f.inputs.len(),
                        names.join(", "),
                        items.len()
                    )));
                }
                if items.len() > f.inputs.len() {
                    return Err(err(format!(
                        "`{signature}` takes {} argument{} ({}), got {}: argument {} is extra",
                        f.inputs.len(),
                        if f.inputs.len() == 1 { "" } else { "s" },
                        names.join(", "),
                        items.len(),
                        f.inputs.len() + 1
                    )));
                }
                f.inputs
                    .iter()
                    .zip(items)
                    .map(|(p, v)| read(p, v))
                    .collect()
            }
            toml::Value::Table(table) => {
                if f.inputs.iter().any(|p| p.name.is_empty()) {
                    return Err(err(format!(
                        "`{signature}` has unnamed parameters, so give `args` as an array in parameter order"
                    )));
                }
                if let Some(extra) = table.keys().find(|k| !names.contains(k)) {
                    return Err(err(format!(
                        "`{signature}` has no parameter `{extra}` (its parameters: {})",
                        names.join(", ")
                    )));
                }
                f.inputs
                    .iter()
                    .map(|p| match table.get(&p.name) {
                        Some(v) => read(p, v),
                        None => Err(err(format!(
                            "missing argument `{}` of `{signature}` (its parameters: {})",
                            p.name,
                            names.join(", ")
                        ))),
                    })
                    .collect()
            }
            _ => Err(err(
                "`args` must be an array (in parameter order) or a table keyed by parameter name"
                    .to_owned(),
            )),
        }
    }
}

fn param_name(index: usize, param: &Param) -> String {
    if param.name.is_empty() {
        format!("#{}", index + 1)
    } else {
        param.name.clone()
    }
}

/// Who gets the contract's authority when `function` is called on it, if the
/// call hands authority over at all: `setGovernance` on a Governable
/// contract, `transferOwnership` on a one-step one, `renounceOwnership` (to
/// nobody). FeePool's `setGovernance` moves only its withdrawal authority,
/// and an Ownable2Step transfer leaves the Safe the owner until accepted.
pub(super) fn handover_recipient(
    contract: &ContractProfile,
    function: &str,
    args: &[DynSolValue],
) -> Option<Address> {
    let recipient = || match args.first() {
        Some(DynSolValue::Address(to)) => Some(*to),
        _ => None,
    };
    match (contract.access, function) {
        (_, "renounceOwnership") => Some(Address::ZERO),
        (Access::Governable, "setGovernance" | "transferOwnership") => recipient(),
        (Access::Ownable, "transferOwnership") => recipient(),
        _ => None,
    }
}

impl Planner<'_> {
    /// The address a label or contract name of the deployment stands for.
    fn named_address(&self, name: &str) -> Option<Address> {
        self.deployment
            .labels
            .get(name)
            .map(|label| label.value)
            .or_else(|| self.deployment.contract(name).map(|entry| entry.address))
    }
}

/// Labels and contract names stand for their address wherever the ABI
/// expects an address, at any depth of arrays and tuples. Only the ABI type
/// decides: a `string` argument that happens to equal a label stays text.
fn resolve_names(
    ty: &str,
    components: &[Param],
    value: &toml::Value,
    lookup: &dyn Fn(&str) -> Option<Address>,
) -> toml::Value {
    if let Some(inner) = ty
        .strip_suffix(']')
        .and_then(|t| t.rsplit_once('['))
        .map(|(inner, _)| inner)
    {
        return match value {
            toml::Value::Array(items) => toml::Value::Array(
                items
                    .iter()
                    .map(|item| resolve_names(inner, components, item, lookup))
                    .collect(),
            ),
            other => other.clone(),
        };
    }
    match (ty, value) {
        ("address", toml::Value::String(text))
            if !crate::runbook::names::looks_like_address(text.trim()) =>
        {
            lookup(text)
                .map(|address| toml::Value::String(address.to_string()))
                .unwrap_or_else(|| value.clone())
        }
        ("tuple", toml::Value::Array(items)) => toml::Value::Array(
            items
                .iter()
                .zip(components.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(item, param)| match param {
                    Some(p) => resolve_names(&p.ty, &p.components, item, lookup),
                    None => item.clone(),
                })
                .collect(),
        ),
        ("tuple", toml::Value::Table(table)) => toml::Value::Table(
            table
                .iter()
                .map(|(key, item)| {
                    let resolved = match components.iter().find(|p| p.name == *key) {
                        Some(p) => resolve_names(&p.ty, &p.components, item, lookup),
                        None => item.clone(),
                    };
                    (key.clone(), resolved)
                })
                .collect(),
        ),
        _ => value.clone(),
    }
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn names_resolve_only_where_an_address_is_expected() {
        let backup = Address::repeat_byte(0xb0);
        let lookup = |name: &str| (name == "backup-safe").then_some(backup);
        let text = |s: &str| toml::Value::String(s.into());
        let resolved = resolve_names("address", &[], &text("backup-safe"), &lookup);
        assert_eq!(resolved, text(&backup.to_string()));
        assert_eq!(
            resolve_names("string", &[], &text("backup-safe"), &lookup),
            text("backup-safe")
        );
        let list = toml::Value::Array(vec![text("backup-safe"), text("0x01")]);
        let resolved = resolve_names("address[2]", &[], &list, &lookup);
        assert_eq!(
            resolved,
            toml::Value::Array(vec![text(&backup.to_string()), text("0x01")])
        );
        let components: Vec<Param> = serde_json::from_str(
            r#"[{"name":"to","type":"address"},{"name":"memo","type":"string"}]"#,
        )
        .unwrap();
        let mut table = toml::Table::new();
        table.insert("to".into(), text("backup-safe"));
        table.insert("memo".into(), text("backup-safe"));
        let toml::Value::Table(out) = resolve_names(
            "tuple[]",
            &components,
            &toml::Value::Array(vec![toml::Value::Table(table)]),
            &lookup,
        )
        .as_array()
        .unwrap()[0]
            .clone()
        else {
            panic!("not a table")
        };
        assert_eq!(out["to"], text(&backup.to_string()));
        assert_eq!(out["memo"], text("backup-safe"));
    }
}
