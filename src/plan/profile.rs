//! What the planner must know about a Safe-governed protocol, as data: which
//! contracts exist, how each is owned, which can be paused, which are governed
//! through a hub contract, and how stuck escrow is refunded.
//!
//! The planner core reads only these types; a protocol's facts live in one
//! table of its own (see `agijobs.rs` for AGI Jobs). Another protocol gets a
//! profile by filling in the same types.

/// How a contract's admin authority is held and handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `governance()` / `setGovernance(address)`: one step, immediate.
    Governable,
    /// OpenZeppelin `Ownable`: `transferOwnership(address)`, one step.
    Ownable,
    /// OpenZeppelin `Ownable2Step`: `transferOwnership(address)` makes the new
    /// owner pending; the new owner must call `acceptOwnership()`.
    Ownable2Step,
    /// A timelock governed by roles, not by an owner: it has no handover call.
    Timelock,
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::Governable => "Governable",
            Access::Ownable => "Ownable",
            Access::Ownable2Step => "Ownable2Step",
            Access::Timelock => "a timelock",
        }
    }

    /// The function that hands the authority to a new address, if any.
    pub fn handover_function(self) -> Option<&'static str> {
        match self {
            Access::Governable => Some("setGovernance"),
            Access::Ownable | Access::Ownable2Step => Some("transferOwnership"),
            Access::Timelock => None,
        }
    }

    /// The function the new owner calls to complete a two-step handover.
    pub fn accept_function(self) -> Option<&'static str> {
        match self {
            Access::Ownable2Step => Some("acceptOwnership"),
            _ => None,
        }
    }
}

/// One contract of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractProfile {
    /// The contract name, which is also the name of its ABI.
    pub name: &'static str,
    pub access: Access,
    /// Whether the contract has `pause()` / `unpause()`.
    pub pausable: bool,
    /// Its slot in the hub, when the hub manages it (0-based, in the hub's
    /// argument order).
    pub hub_slot: Option<usize>,
    /// A second authority besides the owner that a governance rotation must
    /// move too, as the owner-only setter that moves it (FeePool's withdrawal
    /// `governance`, set with `setGovernance`).
    pub extra_authority: Option<ExtraAuthority>,
}

/// An authority a contract keeps apart from its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraAuthority {
    /// What people call it, for summaries.
    pub description: &'static str,
    /// The owner-only setter, taking the new address.
    pub setter: &'static str,
}

/// A contract that governs a fixed set of modules on the Safe's behalf
/// (AGI Jobs: SystemPause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HubProfile {
    pub contract: &'static str,
    /// Pauses / unpauses every managed module in one call.
    pub pause_all: &'static str,
    pub unpause_all: &'static str,
    /// `f(address target, bytes data)`: runs `data` on a managed module with
    /// the hub's authority.
    pub forward: &'static str,
    /// How many modules the hub manages (the slots of `ContractProfile::hub_slot`).
    pub managed: usize,
    /// The execution gas `forward` adds to the call it forwards (an upper
    /// bound, see [`FunctionGas`]).
    pub forward_gas: u64,
}

/// An upper bound on the execution gas of one function of a profile
/// contract: what the call runs once the Safe (or MultiSend) has called it,
/// its own calls to other contracts included. Builds split runbooks into Safe
/// transactions by these figures (see `build::gas`); a function without one
/// needs `[bundle] gas_per_call`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionGas {
    /// The contract name (its ABI's), or `*` for every contract of the profile.
    pub contract: &'static str,
    /// The function's signature, e.g. `delistJob(uint256)`.
    pub signature: &'static str,
    pub gas: u64,
}

/// How stuck escrow is refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundProfile {
    /// The contract the refund calls go to.
    pub registry: &'static str,
    /// Intent key and function, in the order the calls are emitted.
    pub functions: &'static [RefundFunction],
    /// Contracts that refuse refunds while paused, in unpause order (they are
    /// paused again in reverse order).
    pub needs_unpaused: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundFunction {
    /// The `refund-jobs` key, e.g. `delist`.
    pub key: &'static str,
    /// The registry function taking one job id, e.g. `delistJob`.
    pub function: &'static str,
}

/// Everything the planner knows about one protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocolProfile {
    pub protocol: &'static str,
    /// Every contract; "all" selections follow this order.
    pub contracts: &'static [ContractProfile],
    /// Other names operators use: `(alias, contract name)`.
    pub aliases: &'static [(&'static str, &'static str)],
    pub pause_function: &'static str,
    pub unpause_function: &'static str,
    pub hub: HubProfile,
    pub refunds: RefundProfile,
    /// Execution gas of the functions the planner calls (first match wins).
    pub gas: &'static [FunctionGas],
}

impl ProtocolProfile {
    /// The contract called `name` or by an alias of its name.
    pub fn contract(&self, name: &str) -> Option<&'static ContractProfile> {
        let canonical = self.canonical_name(name);
        self.contracts.iter().find(|c| c.name == canonical)
    }

    /// `name` with an alias replaced by the contract name.
    pub fn canonical_name<'a>(&self, name: &'a str) -> &'a str {
        self.aliases
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name, |(_, target)| target)
    }

    /// Names that also mean `canonical` (its aliases).
    pub fn aliases_of(&self, canonical: &str) -> impl Iterator<Item = &'static str> + '_ {
        let canonical = canonical.to_owned();
        self.aliases
            .iter()
            .filter(move |(_, target)| *target == canonical)
            .map(|(alias, _)| *alias)
    }

    /// The modules the hub manages, in slot order.
    pub fn managed(&self) -> Vec<&'static ContractProfile> {
        let mut managed: Vec<_> = self
            .contracts
            .iter()
            .filter(|c| c.hub_slot.is_some())
            .collect();
        managed.sort_by_key(|c| c.hub_slot);
        managed
    }

    pub fn pausable_names(&self) -> Vec<&'static str> {
        self.contracts
            .iter()
            .filter(|c| c.pausable)
            .map(|c| c.name)
            .collect()
    }

    /// The execution gas bound of `contract`'s `signature`, if the profile has one.
    pub fn function_gas(&self, contract: &str, signature: &str) -> Option<u64> {
        let contract = self.contract(contract)?.name;
        self.gas
            .iter()
            .find(|g| (g.contract == contract || g.contract == "*") && g.signature == signature)
            .map(|g| g.gas)
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.contracts.iter().map(|c| c.name).collect()
    }
}
