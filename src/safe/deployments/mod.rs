//! Where the Safe contracts live: one embedded table per release and chain.
//!
//! `table.rs` is generated (see tests/deployments_table.rs) from the
//! safe-deployments snapshot, so the crate builds without it. The table holds
//! two facts: which address types ("canonical", "eip155", "zksync") a chain
//! lists for a release, in safe-deployments' order, and each contract's
//! address per type. Safe{Wallet} uses the first listed type of a chain; a
//! verifier accepts any listed type.

mod table;

use alloy_primitives::Address;

use crate::safe::{Release, SafeVersion};

/// How a contract was deployed, which decides its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressType {
    /// Through the singleton factory: the same address on most chains.
    Canonical,
    /// With an EIP-155 (chain-id protected) deployment transaction.
    Eip155,
    /// zkSync Era bytecode.
    Zksync,
}

impl AddressType {
    pub fn name(self) -> &'static str {
        match self {
            AddressType::Canonical => "canonical",
            AddressType::Eip155 => "eip155",
            AddressType::Zksync => "zksync",
        }
    }
}

/// The Safe contracts bundlec needs to recognise. Singletons are called `Safe`
/// and `SafeL2` for every release (1.3.0 and older named them `GnosisSafe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contract {
    Safe,
    SafeL2,
    MultiSend,
    MultiSendCallOnly,
    CompatibilityFallbackHandler,
    ExtensibleFallbackHandler,
    DefaultCallbackHandler,
    SafeProxyFactory,
    SignMessageLib,
    CreateCall,
    SimulateTxAccessor,
    SafeMigration,
    SafeToL2Migration,
    SafeToL2Setup,
}

impl Contract {
    pub fn name(self) -> &'static str {
        match self {
            Contract::Safe => "Safe",
            Contract::SafeL2 => "SafeL2",
            Contract::MultiSend => "MultiSend",
            Contract::MultiSendCallOnly => "MultiSendCallOnly",
            Contract::CompatibilityFallbackHandler => "CompatibilityFallbackHandler",
            Contract::ExtensibleFallbackHandler => "ExtensibleFallbackHandler",
            Contract::DefaultCallbackHandler => "DefaultCallbackHandler",
            Contract::SafeProxyFactory => "SafeProxyFactory",
            Contract::SignMessageLib => "SignMessageLib",
            Contract::CreateCall => "CreateCall",
            Contract::SimulateTxAccessor => "SimulateTxAccessor",
            Contract::SafeMigration => "SafeMigration",
            Contract::SafeToL2Migration => "SafeToL2Migration",
            Contract::SafeToL2Setup => "SafeToL2Setup",
        }
    }
}

/// A Safe contract found at an address on a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KnownDeployment {
    pub release: Release,
    pub contract: Contract,
    pub address_type: AddressType,
    pub address: Address,
}

impl KnownDeployment {
    /// E.g. "MultiSendCallOnly 1.4.1 (canonical)".
    pub fn describe(&self) -> String {
        format!(
            "{} {} ({})",
            self.contract.name(),
            self.release.as_str(),
            self.address_type.name()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no {contract} {release} deployment is known on chain {chain_id}")]
pub struct NoDeployment {
    pub contract: &'static str,
    pub release: &'static str,
    pub chain_id: u64,
}

/// Address types a chain lists for a release, first = Safe{Wallet}'s default.
/// Releases before 1.3.0 have no per-chain list: they count as canonical on
/// every chain, which is how their singletons were deployed.
fn address_types(release: Release, chain_id: u64) -> Option<&'static [AddressType]> {
    if release < Release::V1_3_0 {
        return Some(&[AddressType::Canonical]);
    }
    table::NETWORKS
        .binary_search_by(|(r, c, _)| (*r, *c).cmp(&(release, chain_id)))
        .ok()
        .and_then(|i| table::NETWORKS.get(i))
        .map(|(_, _, types)| *types)
}

fn address_of(release: Release, contract: Contract, address_type: AddressType) -> Option<Address> {
    table::ADDRESSES
        .iter()
        .find(|(r, c, t, _)| (*r, *c, *t) == (release, contract, address_type))
        .map(|(_, _, _, address)| *address)
}

/// The address Safe{Wallet} uses for `contract` of `release` on `chain_id`.
pub fn default_address(release: Release, contract: Contract, chain_id: u64) -> Option<Address> {
    address_types(release, chain_id)?
        .iter()
        .find_map(|&t| address_of(release, contract, t))
}

/// The MultiSendCallOnly Safe{Wallet} batches through for a Safe of `version`.
pub fn multi_send_call_only(version: SafeVersion, chain_id: u64) -> Result<Address, NoDeployment> {
    let release = version.deployments_release();
    default_address(release, Contract::MultiSendCallOnly, chain_id).ok_or(NoDeployment {
        contract: Contract::MultiSendCallOnly.name(),
        release: release.as_str(),
        chain_id,
    })
}

/// Every Safe contract deployed at `address`: on `chain` (any address type
/// the chain lists), or on any chain when the chain is not known, since an
/// address of the table is the same contract wherever it exists.
pub fn identify(chain: Option<u64>, address: Address) -> Vec<KnownDeployment> {
    table::ADDRESSES
        .iter()
        .filter(|(_, _, _, a)| *a == address)
        .filter(|(release, _, address_type, _)| match chain {
            Some(chain_id) => {
                address_types(*release, chain_id).is_some_and(|types| types.contains(address_type))
            }
            None => true,
        })
        .map(
            |&(release, contract, address_type, address)| KnownDeployment {
                release,
                contract,
                address_type,
                address,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    fn v(s: &str) -> SafeVersion {
        s.parse().unwrap()
    }

    #[test]
    fn default_multi_send_call_only_follows_first_listed_type() {
        let canonical = address!("40A2aCCbd92BCA938b02010E17A5b8929b49130D");
        let eip155 = address!("A1dabEF33b3B82c7814B6D82A79e50F4AC44102B");
        let zksync = address!("f220D3b4DFb23C4ade8C88E526C1353AbAcbC38F");
        for chain in [1, 56, 100, 137, 42161, 59144, 534352, 1101] {
            assert_eq!(
                multi_send_call_only(v("1.3.0"), chain).unwrap(),
                canonical,
                "chain {chain}"
            );
        }
        for chain in [10, 8453, 43114, 5000, 11155111] {
            assert_eq!(
                multi_send_call_only(v("1.3.0"), chain).unwrap(),
                eip155,
                "chain {chain}"
            );
        }
        assert_eq!(multi_send_call_only(v("1.3.0+L2"), 324).unwrap(), zksync);
        // Safes below 1.3.0 batch through the 1.3.0 contracts.
        assert_eq!(multi_send_call_only(v("1.1.1"), 1).unwrap(), canonical);
        assert_eq!(
            multi_send_call_only(v("1.4.1"), 1).unwrap(),
            address!("9641d764fc13c8B624c04430C7356C1C7C8102e2")
        );
        assert_eq!(
            multi_send_call_only(v("1.5.0"), 1).unwrap(),
            address!("A83c336B20401Af773B6219BA5027174338D1836")
        );
    }

    #[test]
    fn unknown_chain_is_an_error() {
        let err = multi_send_call_only(v("1.4.1"), 999_999_999_999).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no MultiSendCallOnly 1.4.1 deployment is known on chain 999999999999"
        );
    }

    #[test]
    fn identify_accepts_any_listed_type_and_only_on_listed_chains() {
        let eip155 = address!("A1dabEF33b3B82c7814B6D82A79e50F4AC44102B");
        // Chain 1 lists canonical,eip155 for 1.3.0: both are recognised there.
        let found = identify(Some(1), eip155);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].describe(), "MultiSendCallOnly 1.3.0 (eip155)");
        // Chain 3 lists only canonical.
        assert!(identify(Some(3), eip155).is_empty());
        // Without a chain, any listing counts.
        assert_eq!(identify(None, eip155).len(), 1);
        let sign_message_lib = address!("d53cd0aB83D845Ac265BE939c57F53AD838012c9");
        assert_eq!(
            identify(Some(1), sign_message_lib)[0].contract,
            Contract::SignMessageLib
        );
        let legacy_multisend = address!("8D29bE29923b68abfDD21e541b9374737B49cdAD");
        assert_eq!(
            identify(Some(5), legacy_multisend)[0].contract,
            Contract::MultiSend
        );
    }
}
