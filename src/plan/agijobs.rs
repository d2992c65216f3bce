//! AGI Jobs v0 (its v2 contracts) as the planner sees it: the one place that says
//! which contract is Governable, Ownable or Ownable2Step, which can pause,
//! which eight SystemPause manages (in its slot order), and FeePool's separate
//! withdrawal authority. Source: the contracts/v2 sources of AGI Jobs v0 at
//! the commit abis/SOURCES names.

use super::profile::{
    Access, ContractProfile, ExtraAuthority, FunctionGas, HubProfile, ProtocolProfile,
    RefundFunction, RefundProfile,
};
use crate::build::gas::evm::CODE;
use crate::build::gas::evm::{COLD_ACCOUNT, COLD_SLOAD, LOG, SSTORE_SET};

use Access::{Governable, Ownable, Ownable2Step, Timelock};

const fn contract(
    name: &'static str,
    access: Access,
    pausable: bool,
    hub_slot: Option<usize>,
) -> ContractProfile {
    ContractProfile {
        name,
        access,
        pausable,
        hub_slot,
        extra_authority: None,
    }
}

/// Every AGI Jobs contract bundlec knows. The first eight are SystemPause's
/// slots (`jobRegistry`, `stakeManager`, `validationModule`, `disputeModule`,
/// `platformRegistry`, `feePool`, `reputationEngine`, `arbitratorCommittee`).
const CONTRACTS: &[ContractProfile] = &[
    contract("JobRegistry", Governable, true, Some(0)),
    contract("StakeManager", Governable, true, Some(1)),
    contract("ValidationModule", Ownable, true, Some(2)),
    // owner-control.json calls it ownable; the source is Governable.
    contract("DisputeModule", Governable, true, Some(3)),
    contract("PlatformRegistry", Ownable, true, Some(4)),
    ContractProfile {
        name: "FeePool",
        access: Ownable,
        pausable: true,
        hub_slot: Some(5),
        extra_authority: Some(ExtraAuthority {
            description: "withdrawal authority (governanceWithdraw)",
            setter: "setGovernance",
        }),
    },
    contract("ReputationEngine", Ownable, true, Some(6)),
    contract("ArbitratorCommittee", Ownable, true, Some(7)),
    // Pausable by their owner only; SystemPause does not cover them.
    contract("CertificateNFT", Ownable, true, None),
    contract("AttestationRegistry", Ownable, true, None),
    // The hub itself: Governable, with no pause() of its own.
    contract("SystemPause", Governable, false, None),
    contract("RewardEngineMB", Governable, false, None),
    contract("Thermostat", Governable, false, None),
    contract("EnergyOracle", Governable, false, None),
    contract("HamiltonianMonitor", Governable, false, None),
    contract("Phase6ExpansionManager", Governable, false, None),
    contract("Phase8UniversalValueManager", Governable, false, None),
    contract("PlatformIncentives", Ownable, false, None),
    contract("JobRouter", Ownable, false, None),
    contract("RandaoCoordinator", Ownable, false, None),
    contract("TaxPolicy", Ownable2Step, false, None),
    contract("IdentityRegistry", Ownable2Step, false, None),
    contract("HGMControlModule", Ownable2Step, false, None),
    contract("OwnerConfigurator", Ownable2Step, false, None),
    contract("AGITimelock", Timelock, false, None),
    contract("TimelockController", Timelock, false, None),
];

/// AGI Jobs as a planner profile.
pub const PROFILE: ProtocolProfile = ProtocolProfile {
    protocol: "AGI Jobs",
    contracts: CONTRACTS,
    // Seed runbooks use the short names.
    aliases: &[("RewardEngine", "RewardEngineMB"), ("Router", "JobRouter")],
    pause_function: "pause",
    unpause_function: "unpause",
    hub: HubProfile {
        contract: "SystemPause",
        pause_all: "pauseAll",
        unpause_all: "unpauseAll",
        forward: "executeGovernanceCall",
        managed: 8,
        forward_gas: FORWARD_GAS,
    },
    refunds: RefundProfile {
        registry: "JobRegistry",
        functions: &[
            RefundFunction {
                key: "delist",
                function: "delistJob",
            },
            RefundFunction {
                key: "claim_timeout",
                function: "claimTimeout",
            },
            RefundFunction {
                key: "cancel_expired",
                function: "cancelExpiredJob",
            },
            RefundFunction {
                key: "finalize",
                function: "finalize",
            },
        ],
        // JobRegistry's job functions and StakeManager's escrow movers are
        // both whenNotPaused.
        needs_unpaused: &["JobRegistry", "StakeManager"],
    },
    gas: GAS,
};

// Execution gas bounds. The contracts' sources are not at hand, so each
// figure counts what the function may touch from its description
// (the contracts' documentation, fixtures/reference/agijobs/functions.txt) and prices every
// item at its worst: a storage read as cold (2,100), a write as a cold zero to
// non-zero store (22,100), a call to another contract as a cold account
// (2,600), an event at 3,000, and 10,000 for the rest of each contract's code.

/// OpenZeppelin Pausable `pause()` / `unpause()` with an owner-or-pauser
/// check: reads owner, pauser and `paused` (3 reads), writes `paused`, one
/// event (`Paused` / `Unpaused`).
const PAUSE_GAS: u64 = 3 * COLD_SLOAD + SSTORE_SET + LOG + CODE;

/// `SystemPause.pauseAll()` / `unpauseAll()`: reads governance and, per
/// module, its address (9 reads); writes the reentrancy guard twice; calls
/// the eight modules' `pause()` / `unpause()` (8 × (2,600 + [`PAUSE_GAS`])).
const PAUSE_ALL_GAS: u64 = 9 * COLD_SLOAD + 2 * SSTORE_SET + 8 * (COLD_ACCOUNT + PAUSE_GAS) + CODE;

/// `SystemPause.executeGovernanceCall(target, data)` around the call it
/// forwards: reads governance and the eight module slots it checks `target`
/// against (9 reads), a reentrancy guard if it has one (2 writes), the call
/// to the module (2,600), `GovernanceCallExecuted` (one event).
const FORWARD_GAS: u64 = 9 * COLD_SLOAD + 2 * SSTORE_SET + COLD_ACCOUNT + LOG + CODE;

/// `setGovernance(address)` (Governable, and FeePool's withdrawal authority)
/// and `transferOwnership(address)` (Ownable, Ownable2Step's pending owner):
/// reads the current holder, writes the new one, one event.
const HANDOVER_GAS: u64 = COLD_SLOAD + SSTORE_SET + LOG + CODE;

/// Ownable2Step `acceptOwnership()`: reads pending owner and owner, writes
/// both, one event (`OwnershipTransferred`).
const ACCEPT_GAS: u64 = 2 * COLD_SLOAD + 2 * SSTORE_SET + LOG + CODE;

/// `JobRegistry.delistJob(jobId)` (Created, no agent → Cancelled, escrow
/// back to the employer through `StakeManager.refundEscrow` and the token):
/// - JobRegistry: governance, `paused`, the job (4 slots), the StakeManager
///   address: 7 reads; the job's state: 1 write; `JobCancelled`;
/// - StakeManager: `paused`, the job's escrow, the token address: 3 reads;
///   the escrow: 1 write; one event;
/// - the token's `transfer`: 2 balances read and written; `Transfer`;
/// - 2 calls (StakeManager, token); 3 contracts' code.
const DELIST_GAS: u64 = 12 * COLD_SLOAD + 4 * SSTORE_SET + 2 * COLD_ACCOUNT + 3 * LOG + 3 * CODE;

/// `JobRegistry.claimTimeout(jobId)` (Applied, past deadline + grace → the
/// escrow to the employer, the agent's stake slashed to the employer):
/// - JobRegistry: caller check, `paused`, the job (4 slots), 2 module
///   addresses: 8 reads; the job: 2 writes; one event;
/// - StakeManager (`redistributeEscrow` and the slash): `paused`, escrow,
///   the agent's stake, the total stake, the token: 5 reads; escrow, stake,
///   total: 3 writes; 2 events;
/// - the token: 2 transfers, 4 balances read and written; 2 `Transfer`;
/// - ReputationEngine: the agent's reputation and its entry: 2 reads, 2
///   writes; one event;
/// - 3 calls (StakeManager, token, ReputationEngine); 4 contracts' code.
const CLAIM_TIMEOUT_GAS: u64 =
    19 * COLD_SLOAD + 11 * SSTORE_SET + 3 * COLD_ACCOUNT + 6 * LOG + 4 * CODE;

/// `JobRegistry.cancelExpiredJob(jobId)`: marks the job Completed with
/// success = false (1 more write, `JobExpired`), then settles it as
/// [`CLAIM_TIMEOUT_GAS`] does (refund the employer, slash the agent).
const CANCEL_EXPIRED_GAS: u64 = CLAIM_TIMEOUT_GAS + SSTORE_SET + LOG;

/// The functions the planner calls, with their bounds. `finalize(uint256)`
/// has none: it pays every validator of the job (and may mint a certificate
/// and pay fees), so its cost grows with a number bundlec cannot see; a
/// runbook that finalizes jobs writes `[bundle] gas_per_call`.
const GAS: &[FunctionGas] = &[
    FunctionGas {
        contract: "*",
        signature: "pause()",
        gas: PAUSE_GAS,
    },
    FunctionGas {
        contract: "*",
        signature: "unpause()",
        gas: PAUSE_GAS,
    },
    FunctionGas {
        contract: "SystemPause",
        signature: "pauseAll()",
        gas: PAUSE_ALL_GAS,
    },
    FunctionGas {
        contract: "SystemPause",
        signature: "unpauseAll()",
        gas: PAUSE_ALL_GAS,
    },
    FunctionGas {
        contract: "*",
        signature: "setGovernance(address)",
        gas: HANDOVER_GAS,
    },
    FunctionGas {
        contract: "*",
        signature: "transferOwnership(address)",
        gas: HANDOVER_GAS,
    },
    FunctionGas {
        contract: "*",
        signature: "acceptOwnership()",
        gas: ACCEPT_GAS,
    },
    FunctionGas {
        contract: "JobRegistry",
        signature: "delistJob(uint256)",
        gas: DELIST_GAS,
    },
    FunctionGas {
        contract: "JobRegistry",
        signature: "claimTimeout(uint256)",
        gas: CLAIM_TIMEOUT_GAS,
    },
    FunctionGas {
        contract: "JobRegistry",
        signature: "cancelExpiredJob(uint256)",
        gas: CANCEL_EXPIRED_GAS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::registry::AbiRegistry;

    fn has(registry: &AbiRegistry, contract: &str, function: &str) -> bool {
        registry.function(contract, function).is_ok()
    }

    #[test]
    fn every_contract_has_the_functions_its_profile_promises() {
        let registry = AbiRegistry::embedded().unwrap();
        for c in PROFILE.contracts {
            assert!(
                registry.contract(c.name).is_some(),
                "{} has no embedded ABI",
                c.name
            );
            assert_eq!(
                has(&registry, c.name, "pause"),
                c.pausable,
                "{}.pause",
                c.name
            );
            assert_eq!(
                has(&registry, c.name, "unpause"),
                c.pausable,
                "{}.unpause",
                c.name
            );
            if let Some(f) = c.access.handover_function() {
                let sig = format!("{f}(address)");
                assert!(has(&registry, c.name, &sig), "{}.{sig}", c.name);
            }
            if let Some(f) = c.access.accept_function() {
                assert!(has(&registry, c.name, &format!("{f}()")), "{}.{f}", c.name);
            }
            if c.access == Ownable2Step {
                assert!(has(&registry, c.name, "pendingOwner"), "{}", c.name);
            }
            if c.access == Governable {
                assert!(has(&registry, c.name, "governance"), "{}", c.name);
            }
            if let Some(extra) = c.extra_authority {
                assert!(has(
                    &registry,
                    c.name,
                    &format!("{}(address)", extra.setter)
                ));
            }
        }
    }

    #[test]
    fn the_hub_slots_follow_system_pause_set_modules() {
        let registry = AbiRegistry::embedded().unwrap();
        let hub = PROFILE.hub;
        for f in [hub.pause_all, hub.unpause_all] {
            assert!(has(&registry, hub.contract, &format!("{f}()")));
        }
        assert!(has(
            &registry,
            hub.contract,
            &format!("{}(address,bytes)", hub.forward)
        ));
        let managed = PROFILE.managed();
        assert_eq!(managed.len(), hub.managed);
        let set_modules = registry.function(hub.contract, "setModules").unwrap();
        assert_eq!(set_modules.inputs.len(), hub.managed);
        for (slot, (module, param)) in managed.iter().zip(&set_modules.inputs).enumerate() {
            assert_eq!(module.hub_slot, Some(slot));
            assert_eq!(
                param.internal_type().map(|t| t.to_string()),
                Some(format!("contract {}", module.name))
            );
            assert!(
                module.pausable,
                "{} is managed, so pauseAll pauses it",
                module.name
            );
        }
    }

    #[test]
    fn gas_figures_name_real_functions() {
        let registry = AbiRegistry::embedded().unwrap();
        for g in PROFILE.gas {
            let contracts: Vec<&str> = if g.contract == "*" {
                PROFILE.names()
            } else {
                vec![g.contract]
            };
            assert!(
                contracts.iter().any(|c| has(&registry, c, g.signature)),
                "{}.{}",
                g.contract,
                g.signature
            );
        }
        // The figures the chunking tests rely on.
        assert_eq!(PAUSE_GAS, 41_400);
        assert_eq!(FORWARD_GAS, 78_700);
        assert_eq!(DELIST_GAS, 157_800);
        assert_eq!(
            PROFILE.function_gas("JobRegistry", "finalize(uint256)"),
            None
        );
        assert_eq!(
            PROFILE.function_gas("JobRegistry", "pause()"),
            Some(PAUSE_GAS)
        );
        assert_eq!(PROFILE.function_gas("NotAContract", "pause()"), None);
    }

    #[test]
    fn names_and_aliases_are_unambiguous() {
        let names = PROFILE.names();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} twice");
        }
        for (alias, target) in PROFILE.aliases {
            assert!(!names.contains(alias));
            assert_eq!(PROFILE.contract(alias).map(|c| c.name), Some(*target));
        }
        assert_eq!(
            PROFILE.contract("RewardEngine").unwrap().name,
            "RewardEngineMB"
        );
        assert_eq!(PROFILE.contract("Router").unwrap().name, "JobRouter");
        let registry = AbiRegistry::embedded().unwrap();
        for r in PROFILE.refunds.functions {
            assert!(has(
                &registry,
                PROFILE.refunds.registry,
                &format!("{}(uint256)", r.function)
            ));
        }
        for name in PROFILE.refunds.needs_unpaused {
            assert!(PROFILE.contract(name).unwrap().pausable);
        }
    }
}
