//! The planner's shared state and tools: finding contracts in the deployment,
//! encoding calls through the ABI registry, routing calls to hub-managed
//! modules through the hub, and the two things it tracks across intents so
//! that a batch cannot contain a call that is bound to revert:
//!
//! - handovers: once a rotation gave a contract (or the hub) away, no later
//!   call may need the Safe's authority over it;
//! - pause states: a pause the file itself made is known, so pausing it again,
//!   unpausing a module the file unpaused, or refunding while a module the
//!   refund needs is paused is refused; under the hub layout a refund whose
//!   state is neither written (`system_paused`) nor known is refused too.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_json_abi::Function;
use alloy_primitives::{Address, Bytes, U256};

use super::profile::{ContractProfile, ProtocolProfile};
use super::{AcceptPlan, PlannedCall, SignerChange, Step};
use crate::abi::registry::{AbiRegistry, edit_distance};
use crate::abi::values::fixed_bytes;
use crate::memo::Selectors;
use crate::parse::parse_address;
use crate::runbook::names::looks_like_address;
use crate::runbook::{
    Deployment, DeploymentSource, InputError, Layout, Located, Location, Runbook,
};
use crate::text::untrusted;

/// A protocol contract found in the deployment.
#[derive(Debug, Clone)]
pub(super) struct Module {
    pub profile: &'static ContractProfile,
    pub address: Address,
    /// The registry ABI its calls are encoded with.
    pub abi: String,
}

impl Module {
    pub fn name(&self) -> &'static str {
        self.profile.name
    }
}

/// Why the Safe no longer controls an address.
#[derive(Debug, Clone)]
struct Handover {
    what: String,
    to: String,
    at: Location,
}

pub(super) struct Planner<'a> {
    pub profile: &'a ProtocolProfile,
    pub runbook: &'a Runbook,
    pub deployment: &'a Deployment,
    pub registry: &'a AbiRegistry,
    pub steps: Vec<Step>,
    /// The accept batch so far, and the rotation that started it.
    pub accept: Option<(AcceptPlan, Location)>,
    /// The Safe's owners and threshold as the plan leaves them, once a
    /// `rotate-signers` intent ran.
    pub signers: Option<SignerChange>,
    handed_over: BTreeMap<Address, Handover>,
    /// Pause states set by earlier intents of this file: paused?, and where.
    known_paused: BTreeMap<Address, (bool, Location)>,
    /// Modules this file unpaused and has not re-paused yet: name, where,
    /// and the index of the step that unpaused them.
    open_unpauses: BTreeMap<Address, (String, Location, usize)>,
    /// Every unpause the file later re-pauses: the steps between must run
    /// in one Safe transaction.
    pub spans: Vec<super::StepSpan>,
    /// Every job id a refund of this file already covers, and where it is written.
    pub refunded: BTreeMap<U256, Location>,
    /// What the build summary must say about choices the plan made.
    pub notes: Vec<Located<String>>,
    /// The selector of every signature encoded so far.
    selectors: Selectors,
    /// Every function taken from the registry so far, shared: a refund of
    /// thousands of jobs calls one function thousands of times, and each
    /// call holds it. Keyed by where the registry keeps the function, which
    /// outlives the planner.
    shared: RefCell<BTreeMap<*const Function, Rc<Function>>>,
    /// The same, by the ABI and the name or signature the function was
    /// asked for with: the registry's lookup is not free either.
    named: RefCell<BTreeMap<String, BTreeMap<String, Rc<Function>>>>,
    /// The signature and selector of every function encoded so far, keyed
    /// by where its shared copy lives; the entry holds that copy, so no
    /// other function can take its place.
    encodings: RefCell<BTreeMap<*const Function, Rc<Encoding>>>,
}

/// What encoding a call of a function needs besides its arguments, made
/// once per distinct function.
#[derive(Debug)]
struct Encoding {
    /// The shared copy the entry is keyed by, kept alive by the entry.
    _function: Rc<Function>,
    signature: String,
    selector: [u8; 4],
}

impl<'a> Planner<'a> {
    pub fn new(
        profile: &'a ProtocolProfile,
        runbook: &'a Runbook,
        deployment: &'a Deployment,
        registry: &'a AbiRegistry,
    ) -> Self {
        Planner {
            profile,
            runbook,
            deployment,
            registry,
            steps: Vec::new(),
            accept: None,
            signers: None,
            handed_over: BTreeMap::new(),
            known_paused: BTreeMap::new(),
            open_unpauses: BTreeMap::new(),
            spans: Vec::new(),
            refunded: BTreeMap::new(),
            notes: Vec::new(),
            selectors: Selectors::new(),
            shared: RefCell::new(BTreeMap::new()),
            named: RefCell::new(BTreeMap::new()),
            encodings: RefCell::new(BTreeMap::new()),
        }
    }

    pub fn safe(&self) -> Address {
        self.runbook.safe.address
    }

    pub fn hub_layout(&self) -> bool {
        self.deployment.layout == Layout::SystemPause
    }

    // ---- finding contracts ----------------------------------------------

    /// The profile entry for a name an operator wrote (aliases allowed).
    pub fn profile_contract(
        &self,
        name: &str,
        at: &Location,
    ) -> Result<&'static ContractProfile, InputError> {
        self.profile.contract(name.trim()).ok_or_else(|| {
            let close: Vec<&str> = self
                .profile
                .names()
                .into_iter()
                .chain(self.profile.aliases.iter().map(|(alias, _)| *alias))
                .filter(|known| looks_like(name.trim(), known))
                .collect();
            let hint = match close.as_slice() {
                [] => String::new(),
                names => format!(" (did you mean {}?)", names.join(" or ")),
            };
            InputError::new(
                at.clone(),
                format!(
                    "unknown module `{}`{hint}: the {} modules are {} (aliases: {})",
                    name,
                    self.profile.protocol,
                    self.profile.names().join(", "),
                    self.alias_list()
                ),
            )
        })
    }

    fn alias_list(&self) -> String {
        self.profile
            .aliases
            .iter()
            .map(|(alias, target)| format!("{alias} = {target}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The contract in the deployment, under its name or an alias.
    pub fn deployed(&self, contract: &'static ContractProfile) -> Option<Module> {
        let names = std::iter::once(contract.name).chain(self.profile.aliases_of(contract.name));
        for key in names {
            if let Some(entry) = self.deployment.contract(key) {
                // A deployment may load its own ABI under the key it uses.
                let abi = if self.registry.has_contract(key) {
                    key
                } else {
                    contract.name
                };
                return Some(Module {
                    profile: contract,
                    address: entry.address,
                    abi: abi.to_owned(),
                });
            }
        }
        None
    }

    /// Like [`deployed`](Self::deployed), with an error naming the place.
    pub fn require_deployed(
        &self,
        contract: &'static ContractProfile,
        at: &Location,
    ) -> Result<Module, InputError> {
        self.deployed(contract).ok_or_else(|| {
            let absent = if self.is_absent(contract) {
                format!(
                    "; the address book says it is not deployed ({})",
                    self.deployment.key("absent")
                )
            } else {
                String::new()
            };
            InputError::new(
                at.clone(),
                format!(
                    "`{}` is not in the deployment's [contracts] (it has: {}){absent}",
                    contract.name,
                    self.deployment_names()
                ),
            )
        })
    }

    /// Whether the address book says `contract` is not deployed.
    pub fn is_absent(&self, contract: &ContractProfile) -> bool {
        super::book::is_absent(self.profile, self.deployment, contract.name)
    }

    /// Every contract of the profile that `include` admits, for
    /// `modules = "all"` written at `at`, in the profile's order. Each must
    /// be in the book, or be listed in `absent`: those are skipped, and a
    /// note for the build summary says so (`intent` names the intent kind).
    /// A missing one is an error naming every missing contract, so that a
    /// typo in the book can never drop a module from "all".
    pub fn all_deployed(
        &mut self,
        at: &Location,
        intent: &str,
        kind: &str,
        include: impl Fn(&ContractProfile) -> bool,
    ) -> Result<Vec<(Module, Location)>, InputError> {
        let mut selected = Vec::new();
        let mut missing = Vec::new();
        let mut skipped = Vec::new();
        for contract in self.profile.contracts.iter().filter(|c| include(c)) {
            match self.deployed(contract) {
                Some(module) => selected.push((module, at.clone())),
                None if self.is_absent(contract) => skipped.push(contract.name),
                None => missing.push(contract.name),
            }
        }
        if !missing.is_empty() {
            let quoted: Vec<String> = missing.iter().map(|n| format!("\"{n}\"")).collect();
            return Err(InputError::new(
                at.clone(),
                format!(
                    "`modules = \"all\"` means every {kind} contract of {}, but the address book has no address for \
                     {}: add {} to {}, or, if {} not deployed, write `absent = [{}]` ({})",
                    self.profile.protocol,
                    missing.join(", "),
                    if missing.len() == 1 { "it" } else { "them" },
                    self.deployment.table("contracts"),
                    if missing.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                    quoted.join(", "),
                    self.deployment.key("absent"),
                ),
            ));
        }
        if !skipped.is_empty() {
            self.notes.push(Located::new(
                format!(
                    "{intent} \"all\" skipped {}: the address book says {} not deployed (`absent`)",
                    skipped.join(", "),
                    if skipped.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                ),
                at.clone(),
            ));
        }
        Ok(selected)
    }

    /// The deployed modules a `modules = [...]` list names, in its order:
    /// `admit` refuses the ones the intent cannot act on; a name given twice
    /// is an error.
    pub fn listed_modules(
        &self,
        names: &[crate::runbook::Located<String>],
        admit: impl Fn(&'static ContractProfile, &Location) -> Result<(), InputError>,
    ) -> Result<Vec<(Module, Location)>, InputError> {
        let mut selected: Vec<(Module, Location)> = Vec::with_capacity(names.len());
        for name in names {
            let contract = self.profile_contract(&name.value, &name.at)?;
            admit(contract, &name.at)?;
            let module = self.require_deployed(contract, &name.at)?;
            if selected.iter().any(|(m, _)| m.name() == module.name()) {
                return Err(InputError::new(
                    name.at.clone(),
                    format!("`{}` is listed twice", module.name()),
                ));
            }
            selected.push((module, name.at.clone()));
        }
        Ok(selected)
    }

    pub fn deployment_names(&self) -> String {
        if self.deployment.contracts.is_empty() {
            return "none".to_owned();
        }
        self.deployment
            .contracts
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Where the user adds a label, spelled as the file they edit spells it:
    /// `[deployment.labels]` of the intent file when the book is inline,
    /// `[labels]` of the book file otherwise.
    pub fn labels_table(&self) -> String {
        let table = self.deployment.table("labels");
        match &self.runbook.deployment {
            DeploymentSource::Inline(_) => table,
            DeploymentSource::File(file) => format!("{table} of {}", file.value),
        }
    }

    /// The hub, which a call under the hub layout needs.
    /// `why` is formatted only for the error.
    pub fn hub(&self, at: &Location, why: &dyn std::fmt::Display) -> Result<Module, InputError> {
        let name = self.profile.hub.contract;
        self.profile
            .contract(name)
            .and_then(|c| self.deployed(c))
            .ok_or_else(|| {
                InputError::new(
                    at.clone(),
                    format!(
                        "layout \"{}\" routes {why} through {name}, but the deployment's [contracts] has no {name}",
                        self.deployment.layout.name()
                    ),
                )
            })
    }

    /// The deployed modules the hub manages, in profile order.
    pub fn hub_modules(&self) -> Vec<Module> {
        self.profile
            .managed()
            .into_iter()
            .filter_map(|c| self.deployed(c))
            .collect()
    }

    /// Whether calls to `module` go through the hub.
    pub fn routes_via_hub(&self, module: &Module) -> bool {
        self.hub_layout() && module.profile.hub_slot.is_some()
    }

    // ---- encoding -------------------------------------------------------

    /// A function of a registry ABI, by name or signature, shared with every
    /// other call of it.
    pub fn function(
        &self,
        abi: &str,
        name: &str,
        at: &Location,
    ) -> Result<Rc<Function>, InputError> {
        // The maps are borrowed only in this function, never across a call
        // out (see `memo::Eip55::of`); were a borrow to fail, the function
        // is looked up and copied anew.
        if let Some(found) = self.named.try_borrow().ok().and_then(|named| {
            named
                .get(abi)
                .and_then(|functions| functions.get(name))
                .map(Rc::clone)
        }) {
            return Ok(found);
        }
        let function = self
            .registry
            .function(abi, name)
            .map_err(|e| InputError::new(at.clone(), e.to_string()))?;
        let key: *const Function = function;
        let shared = match self.shared.try_borrow_mut() {
            Ok(mut shared) => Rc::clone(
                shared
                    .entry(key)
                    .or_insert_with(|| Rc::new(function.clone())),
            ),
            Err(_) => return Ok(Rc::new(function.clone())),
        };
        if let Ok(mut named) = self.named.try_borrow_mut() {
            named
                .entry(abi.to_owned())
                .or_default()
                .insert(name.to_owned(), Rc::clone(&shared));
        }
        Ok(shared)
    }

    /// The signature and selector of `function`, computed once per shared copy.
    fn encoding(&self, function: &Rc<Function>) -> Rc<Encoding> {
        let make = || {
            let signature = function.signature();
            let selector = self.selectors.of(&signature);
            Rc::new(Encoding {
                _function: Rc::clone(function),
                signature,
                selector,
            })
        };
        // Borrowed only here; `make` borrows `selectors`, never this map.
        let Ok(mut encodings) = self.encodings.try_borrow_mut() else {
            return make();
        };
        Rc::clone(encodings.entry(Rc::as_ptr(function)).or_insert_with(make))
    }

    /// Encodes a call of `function` with `args`.
    pub fn encode(
        &self,
        function: &Rc<Function>,
        args: &[DynSolValue],
        at: &Location,
    ) -> Result<Bytes, InputError> {
        let encoding = self.encoding(function);
        let arguments = function.abi_encode_input_raw(args).map_err(|e| {
            InputError::new(
                at.clone(),
                format!("cannot encode {}: {e}", encoding.signature),
            )
        })?;
        let mut data = Vec::with_capacity(arguments.len().saturating_add(4));
        data.extend_from_slice(&encoding.selector);
        data.extend_from_slice(&arguments);
        Ok(Bytes::from(data))
    }

    /// A call without ETH from the Safe to `to`, encoded with `abi`.
    pub fn call_to(
        &self,
        to: Address,
        abi: &str,
        function: &str,
        args: Vec<DynSolValue>,
        summary: String,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let function = self.function(abi, function, at)?;
        self.call_with(to, function, args, U256::ZERO, summary, at)
    }

    pub fn call_with(
        &self,
        to: Address,
        function: Rc<Function>,
        args: Vec<DynSolValue>,
        value: U256,
        summary: String,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let data = self.encode(&function, &args, at)?;
        // Every summary names the value the call sends (see `plan::value`).
        let summary = match super::value::sends(value, self.runbook.safe.chain_id) {
            Some(sends) => format!("{summary}, {sends}").into(),
            None => summary.into(),
        };
        let gas = self.function_gas(to, &function);
        Ok(PlannedCall {
            to,
            value,
            data,
            function,
            args,
            summary,
            gas,
        })
    }

    /// The gas bound of `function` called on `to`: the Safe's own owner
    /// changes, or a profile figure for the contract the deployment has there.
    fn function_gas(&self, to: Address, function: &Rc<Function>) -> Option<u64> {
        let encoding = self.encoding(function);
        if to == self.safe() {
            return super::signers::safe_function_gas(&encoding.signature);
        }
        let contract = self.deployment.contract_at(to)?;
        self.profile.function_gas(contract, &encoding.signature)
    }

    /// A call to a protocol module: direct, or through the hub's forwarder
    /// when the hub governs the module. `what` describes the call; " via
    /// <hub>" and `: note` are appended.
    pub fn module_call(
        &self,
        module: &Module,
        function: &str,
        args: Vec<DynSolValue>,
        what: &str,
        note: Option<&str>,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let function = self.function(&module.abi, function, at)?;
        self.module_call_with(module, function, args, U256::ZERO, what, note, at)
    }

    /// A `pause()` / `unpause()` of a module. Through the hub it needs only
    /// the hub: the hub stays the module's pauser even after the module's
    /// ownership left it.
    pub fn pauser_call(
        &self,
        module: &Module,
        function: &str,
        what: &str,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let function = self.function(&module.abi, function, at)?;
        if !self.routes_via_hub(module) {
            self.require_control(module.address, at)?;
            let summary = what.to_owned();
            return self.call_with(module.address, function, vec![], U256::ZERO, summary, at);
        }
        let hub = self.hub(at, &format_args!("calls to {}", module.name()))?;
        self.require_control(hub.address, at)?;
        let summary = format!("{what} via {}", hub.name());
        self.forward(&hub, module, &function, &[], summary, at)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn module_call_with(
        &self,
        module: &Module,
        function: Rc<Function>,
        args: Vec<DynSolValue>,
        value: U256,
        what: &str,
        note: Option<&str>,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let note = note.map(|n| format!(": {n}")).unwrap_or_default();
        if !self.routes_via_hub(module) {
            self.require_control(module.address, at)?;
            return self.call_with(
                module.address,
                function,
                args,
                value,
                format!("{what}{note}"),
                at,
            );
        }
        let hub = self.hub(at, &format_args!("calls to {}", module.name()))?;
        if !value.is_zero() {
            return Err(InputError::new(
                at.clone(),
                format!(
                    "{} is governed through {}.{}, which forwards no ETH: `value` must be 0",
                    module.name(),
                    hub.name(),
                    self.profile.hub.forward
                ),
            ));
        }
        self.require_control(hub.address, at)?;
        self.require_control(module.address, at)?;
        self.forward(
            &hub,
            module,
            &function,
            &args,
            format!("{what} via {}{note}", hub.name()),
            at,
        )
    }

    /// `hub.forward(module, data)`: the hub runs the call with its authority.
    fn forward(
        &self,
        hub: &Module,
        module: &Module,
        function: &Rc<Function>,
        args: &[DynSolValue],
        summary: String,
        at: &Location,
    ) -> Result<PlannedCall, InputError> {
        let inner = self.encode(function, args, at)?;
        let mut call = self.call_to(
            hub.address,
            &hub.abi,
            self.profile.hub.forward,
            vec![
                DynSolValue::Address(module.address),
                DynSolValue::Bytes(inner.to_vec()),
            ],
            summary,
            at,
        )?;
        // The forwarded call's bound plus the hub's own work around it.
        call.gas = self
            .profile
            .function_gas(module.name(), &self.encoding(function).signature)
            .and_then(|gas| gas.checked_add(self.profile.hub.forward_gas));
        Ok(call)
    }

    // ---- what the file has already done ------------------------------------

    /// Fails when an earlier rotation gave `address` away: the call would revert.
    pub fn require_control(&self, address: Address, at: &Location) -> Result<(), InputError> {
        match self.handed_over.get(&address) {
            None => Ok(()),
            Some(h) => Err(InputError::new(
                at.clone(),
                format!(
                    "this call needs the Safe's authority over {}, which the rotation at {} hands to {} \
                     earlier in the batch, so it would revert: put this intent before that rotation",
                    h.what, h.at, h.to
                ),
            )),
        }
    }

    /// Records that the Safe no longer controls `address` after the calls so far.
    pub fn hand_over(&mut self, address: Address, what: &str, to: Address, at: &Location) {
        let to = self.address_name(to);
        self.handed_over.insert(
            address,
            Handover {
                what: what.to_owned(),
                to,
                at: at.clone(),
            },
        );
    }

    /// Fails when the file itself already put `module` in the state `paused`.
    pub fn require_not_known(
        &self,
        module: &Module,
        paused: bool,
        why: &str,
        at: &Location,
    ) -> Result<(), InputError> {
        match self.known_paused.get(&module.address) {
            Some((state, by)) if *state == paused => Err(InputError::new(
                at.clone(),
                format!(
                    "{} is already {} by the intent at {by}: {why}",
                    module.name(),
                    if paused { "paused" } else { "unpaused" }
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Whether an earlier intent of this file left `module` paused, if one set it.
    pub fn known_state(&self, module: &Module) -> Option<bool> {
        self.known_paused
            .get(&module.address)
            .map(|(paused, _)| *paused)
    }

    /// Records the state the last step left `module` in (call it once that
    /// step is pushed).
    pub fn set_known(&mut self, module: &Module, paused: bool, at: &Location) {
        self.known_paused
            .insert(module.address, (paused, at.clone()));
        self.track_span(module.address, module.name(), paused, at);
    }

    /// Follows unpauses and the re-pauses that close them, for any call that
    /// pauses or unpauses `address` (intents, raw calls, forwarded ones); the
    /// call's step is the last one pushed. An unpause that was already open
    /// keeps its first place.
    pub fn track_span(&mut self, address: Address, name: &str, paused: bool, at: &Location) {
        let index = self.steps.len().saturating_sub(1);
        if !paused {
            self.open_unpauses
                .entry(address)
                .or_insert_with(|| (name.to_owned(), at.clone(), index));
        } else if let Some((module, unpaused_at, first)) = self.open_unpauses.remove(&address) {
            self.spans.push(super::StepSpan {
                first,
                last: index,
                module,
                unpaused_at,
                paused_at: at.clone(),
            });
        }
    }

    pub fn forget_known(&mut self, address: Address) {
        self.known_paused.remove(&address);
    }

    pub fn forget_all_known(&mut self) {
        self.known_paused.clear();
    }

    // ---- reading names and addresses ------------------------------------

    /// `text` read as a literal address, when it is written as one: always
    /// exactly that address, never looked up. A literal that looks like an
    /// address of the book without being it is refused, whatever
    /// `confirm_unlabelled` says.
    pub fn literal_address(
        &self,
        text: &str,
        at: &Location,
    ) -> Result<Option<Address>, InputError> {
        let text = text.trim();
        if !looks_like_address(text) {
            return Ok(None);
        }
        let address =
            parse_address(text).map_err(|e| InputError::new(at.clone(), e.to_string()))?;
        self.refuse_lookalike(address, at)?;
        Ok(Some(address))
    }

    /// Fails when `address` is not in the book (nor the Safe) but has the
    /// first and last four hex digits of an address that is.
    pub fn refuse_lookalike(&self, address: Address, at: &Location) -> Result<(), InputError> {
        if address == self.safe()
            || self.deployment.label_of(address).is_some()
            || self.deployment.contract_at(address).is_some()
        {
            return Ok(());
        }
        let ends = super::book::address_ends(&address);
        let known = std::iter::once((self.safe(), "this Safe".to_owned()))
            .chain(
                self.deployment
                    .labels
                    .iter()
                    .map(|(name, l)| (l.value, format!("`{name}`"))),
            )
            .chain(
                self.deployment
                    .contracts
                    .iter()
                    .map(|(name, e)| (e.address, format!("`{name}`"))),
            );
        for (other, name) in known {
            if super::book::address_ends(&other) == ends {
                return Err(InputError::new(
                    at.clone(),
                    format!(
                        "{address} looks like {name} ({other}): same first and last four hex digits, different \
                         address, the shape of an address-poisoning attack. It is refused whatever \
                         `confirm_unlabelled` says: write the name of the address you mean, or check this one \
                         against its source and label it"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The error for a name that names nothing: what it is not, and the
    /// ASCII name it was probably meant to be.
    /// The message is `{lead}`name` (did you mean …?){rest}`.
    pub fn unknown_name(
        &self,
        lead: &str,
        written: &str,
        at: &Location,
        rest: String,
    ) -> InputError {
        let known = self
            .deployment
            .labels
            .keys()
            .chain(self.deployment.contracts.keys())
            .map(String::as_str)
            .chain(self.profile.names())
            .chain(self.profile.aliases.iter().map(|(alias, _)| *alias));
        InputError::new(
            at.clone(),
            format!(
                "{lead}`{}`{}{}{rest}",
                untrusted(written),
                crate::runbook::names::did_you_mean(written, known),
                crate::runbook::names::not_ascii_note(written),
            ),
        )
    }

    // ---- showing values -------------------------------------------------

    /// How an address is shown in summaries: its label, its contract name,
    /// "this Safe", or the checksummed address.
    pub fn address_name(&self, address: Address) -> String {
        if address == self.safe() {
            return "this Safe".to_owned();
        }
        if let Some(label) = self.deployment.label_of(address) {
            return label.to_owned();
        }
        if let Some(name) = self.deployment.contract_at(address) {
            return name.to_owned();
        }
        address.to_checksum(None)
    }

    /// A short one-line rendering of an argument.
    pub fn value_text(&self, value: &DynSolValue) -> String {
        match value {
            DynSolValue::Address(a) => self.address_name(*a),
            DynSolValue::Bool(b) => b.to_string(),
            DynSolValue::Uint(n, _) => n.to_string(),
            DynSolValue::Int(n, _) => n.to_string(),
            DynSolValue::FixedBytes(word, size) => short_hex(fixed_bytes(word, *size)),
            DynSolValue::Bytes(bytes) => short_hex(bytes),
            DynSolValue::Function(f) => short_hex(f.as_slice()),
            DynSolValue::String(s) => format!("{s:?}"),
            DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
                format!("[{}]", self.values_text(items))
            }
            DynSolValue::Tuple(items) => format!("({})", self.values_text(items)),
            // CustomStruct exists when another crate enables alloy's eip712
            // feature (bundlec's tests do); ABI decoding never makes one.
            #[allow(unreachable_patterns)]
            _ => "?".to_string(),
        }
    }

    pub fn values_text(&self, values: &[DynSolValue]) -> String {
        values
            .iter()
            .map(|v| self.value_text(v))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a mistyped name is probably `known`: the same ignoring case, or
/// at most two single-character edits apart.
pub(super) fn looks_like(written: &str, known: &str) -> bool {
    let (a, b) = (written.to_lowercase(), known.to_lowercase());
    if a == b {
        return true;
    }
    if a.chars().count().abs_diff(b.chars().count()) > 2 {
        return false;
    }
    edit_distance(&a, &b) <= 2
}

/// Hex, shortened past 36 bytes so a summary stays one readable line.
fn short_hex(bytes: &[u8]) -> String {
    const KEEP: usize = 36;
    match bytes.first_chunk::<8>() {
        Some(head) if bytes.len() > KEEP => format!(
            "0x{}…({} bytes)",
            alloy_primitives::hex::encode(head),
            bytes.len()
        ),
        _ => format!("0x{}", alloy_primitives::hex::encode(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn close_names_are_suggested() {
        assert!(looks_like("jobregistry", "JobRegistry"));
        assert!(looks_like("JobRegistery", "JobRegistry"));
        assert!(looks_like("StakeManger", "StakeManager"));
        assert!(looks_like("FeePol", "FeePool"));
        assert!(!looks_like("Fee", "FeePool"));
        assert!(!looks_like("Thermostat", "TaxPolicy"));
    }
}
