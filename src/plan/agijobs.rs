//! AGI Jobs v0 (its v2 contracts) as the planner sees it: the one place that says
//! which contract is Governable, Ownable or Ownable2Step, which can pause,
//! which eight SystemPause manages (in its slot order), and FeePool's separate
//! withdrawal authority. Source: ../shared/reference/agijobs/governance.md
//! (sections 2 to 5).

use super::profile::{
    Access, ContractProfile, ExtraAuthority, HubProfile, ProtocolProfile, RefundFunction,
    RefundProfile,
};

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
};

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
