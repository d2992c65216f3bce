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

/// Whether the table lists `chain_id` for any release.
pub fn knows_chain(chain_id: u64) -> bool {
    table::NETWORKS.iter().any(|(_, c, _)| *c == chain_id)
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

impl std::str::FromStr for AddressType {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "canonical" => Ok(AddressType::Canonical),
            "eip155" => Ok(AddressType::Eip155),
            "zksync" => Ok(AddressType::Zksync),
            other => Err(format!(
                "unknown deployment type `{other}`; use \"canonical\", \"eip155\" or \"zksync\""
            )),
        }
    }
}

/// What the operator (or the signer) said about the MultiSendCallOnly a
/// batch goes through. Empty: the chain's default, as Safe{Wallet} picks for
/// a Safe whose master copy is of the chain's first listed type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MultiSendChoice {
    /// The deployment type of the Safe's master copy (given, or found from
    /// its singleton address): the MultiSendCallOnly of the same type is used.
    pub deployment_type: Option<AddressType>,
    /// The MultiSendCallOnly itself. Needed on a chain the table does not
    /// know; on a known chain it must be one the chain lists.
    pub address: Option<Address>,
}

/// Why no MultiSendCallOnly can be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultiSendError {
    #[error(
        "no MultiSendCallOnly {release} deployment is known on chain {chain_id}: if you know the \
         address of the one the Safe app uses there (a local devnet, a new chain), name it with \
         `[safe] multi_send_call_only = \"0x…\"` in the intent file (for verify: \
         --multi-send-call-only 0x…)"
    )]
    UnknownChain {
        release: &'static str,
        chain_id: u64,
    },
    #[error(
        "chain {chain_id} lists MultiSendCallOnly {release} only as {listed}, not {wanted}: \
         a Safe whose master copy is {wanted} cannot be batched there as Safe{{Wallet}} does; \
         check the deployment type (or the singleton)"
    )]
    TypeNotListed {
        release: &'static str,
        chain_id: u64,
        wanted: &'static str,
        listed: String,
    },
    #[error(
        "{given} is not a MultiSendCallOnly {release} of chain {chain_id}, which lists {listed}: \
         on a chain bundlec knows only those are used; remove `multi_send_call_only` (or pick \
         one of them with `deployment_type`)"
    )]
    NotListed {
        given: String,
        release: &'static str,
        chain_id: u64,
        listed: String,
    },
    #[error(
        "{given} is the {given_type} MultiSendCallOnly {release}, but the deployment type is \
         {wanted}: the two disagree; keep one"
    )]
    TypeDisagrees {
        given: String,
        given_type: &'static str,
        release: &'static str,
        wanted: &'static str,
    },
}

fn listed_multi_send_call_only(release: Release, chain_id: u64) -> Option<Vec<KnownDeployment>> {
    let types = address_types(release, chain_id)?;
    Some(
        types
            .iter()
            .filter_map(|&address_type| {
                address_of(release, Contract::MultiSendCallOnly, address_type).map(|address| {
                    KnownDeployment {
                        release,
                        contract: Contract::MultiSendCallOnly,
                        address_type,
                        address,
                    }
                })
            })
            .collect(),
    )
    .filter(|listed: &Vec<KnownDeployment>| !listed.is_empty())
}

fn describe_listed(listed: &[KnownDeployment]) -> String {
    listed
        .iter()
        .map(|d| {
            format!(
                "{} ({})",
                d.address.to_checksum(None),
                d.address_type.name()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The MultiSendCallOnly a batch of a Safe of `version` on `chain_id` goes
/// through, following `choice`:
/// - nothing given: the chain's default (its first listed type);
/// - a deployment type: the MultiSendCallOnly of that type, which the chain
///   must list (protocol-kit picks the MultiSendCallOnly of the singleton's type);
/// - an address on a known chain: it must be one the chain lists (and of the
///   deployment type, when both are given);
/// - an address on a chain the table does not know: that address.
pub fn choose_multi_send_call_only(
    version: SafeVersion,
    chain_id: u64,
    choice: MultiSendChoice,
) -> Result<Address, MultiSendError> {
    let release = version.deployments_release();
    let Some(listed) = listed_multi_send_call_only(release, chain_id) else {
        return choice.address.ok_or(MultiSendError::UnknownChain {
            release: release.as_str(),
            chain_id,
        });
    };
    if let Some(given) = choice.address {
        let Some(found) = listed.iter().find(|d| d.address == given) else {
            return Err(MultiSendError::NotListed {
                given: given.to_checksum(None),
                release: release.as_str(),
                chain_id,
                listed: describe_listed(&listed),
            });
        };
        return match choice.deployment_type {
            Some(wanted) if wanted != found.address_type => Err(MultiSendError::TypeDisagrees {
                given: given.to_checksum(None),
                given_type: found.address_type.name(),
                release: release.as_str(),
                wanted: wanted.name(),
            }),
            _ => Ok(given),
        };
    }
    let chosen = match choice.deployment_type {
        None => listed.first(),
        Some(wanted) => listed.iter().find(|d| d.address_type == wanted),
    };
    match (chosen, choice.deployment_type) {
        (Some(d), _) => Ok(d.address),
        (None, Some(wanted)) => Err(MultiSendError::TypeNotListed {
            release: release.as_str(),
            chain_id,
            wanted: wanted.name(),
            listed: describe_listed(&listed),
        }),
        (None, None) => Err(MultiSendError::UnknownChain {
            release: release.as_str(),
            chain_id,
        }),
    }
}

/// Why an address is not the master copy of a Safe of this version and chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given} is not a Safe {release} singleton (master copy) on chain {chain_id}: {hint}")]
pub struct NotASingleton {
    pub given: String,
    pub release: &'static str,
    pub chain_id: u64,
    pub hint: String,
}

/// The deployment type of `singleton`, which must be a Safe or SafeL2
/// master copy of `version`'s release that `chain_id` lists.
pub fn singleton_type(
    version: SafeVersion,
    chain_id: u64,
    singleton: Address,
) -> Result<AddressType, NotASingleton> {
    let release = version.release();
    let is_singleton = |d: &KnownDeployment| {
        d.release == release && matches!(d.contract, Contract::Safe | Contract::SafeL2)
    };
    // On a chain the table does not know, any chain's listing says the type.
    let on = address_types(release, chain_id).map(|_| chain_id);
    if let Some(found) = identify(on, singleton).into_iter().find(is_singleton) {
        return Ok(found.address_type);
    }
    let elsewhere = identify(None, singleton);
    let listed: Vec<String> = address_types(release, chain_id)
        .unwrap_or(&[])
        .iter()
        .flat_map(|&t| {
            [Contract::Safe, Contract::SafeL2]
                .into_iter()
                .filter_map(move |c| address_of(release, c, t).map(|a| (c, t, a)))
        })
        .map(|(c, t, a)| format!("{} {} ({})", c.name(), a.to_checksum(None), t.name()))
        .collect();
    let hint = match (elsewhere.first(), listed.is_empty()) {
        (_, true) => format!(
            "chain {chain_id} lists no Safe {} contracts in bundlec's table; name the batches' \
             MultiSendCallOnly with `multi_send_call_only` instead",
            release.as_str()
        ),
        (Some(other), false) => format!(
            "it is {}; the chain's Safe {} singletons are {}",
            other.describe(),
            release.as_str(),
            listed.join(", ")
        ),
        (None, false) => format!(
            "the chain's Safe {} singletons are {} (the Safe's `masterCopy`, storage slot 0)",
            release.as_str(),
            listed.join(", ")
        ),
    };
    Err(NotASingleton {
        given: singleton.to_checksum(None),
        release: release.as_str(),
        chain_id,
        hint,
    })
}

/// The places in [`table::ADDRESSES`] ordered by address, and by place
/// among equal addresses: [`identify`] is asked about every call of a batch,
/// and answers in the table's order.
static BY_ADDRESS: std::sync::LazyLock<Vec<usize>> = std::sync::LazyLock::new(|| {
    let mut places: Vec<usize> = (0..table::ADDRESSES.len()).collect();
    places.sort_by_key(|&at| (table_address(at), at));
    places
});

fn table_address(at: usize) -> Address {
    table::ADDRESSES
        .get(at)
        .map_or(Address::ZERO, |&(_, _, _, address)| address)
}

/// Every Safe contract deployed at `address`: on `chain` (any address type
/// the chain lists), or on any chain when the chain is not known, since an
/// address of the table is the same contract wherever it exists.
pub fn identify(chain: Option<u64>, address: Address) -> Vec<KnownDeployment> {
    let by_address = &*BY_ADDRESS;
    let first = by_address.partition_point(|&at| table_address(at) < address);
    by_address
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&at| table_address(at) == address)
        .filter_map(|&at| table::ADDRESSES.get(at))
        .filter(|(release, _, address_type, _)| match chain {
            Some(chain_id) => {
                address_types(*release, chain_id).is_some_and(|types| types.contains(address_type))
            }
            None => true,
        })
        .map(known)
        .collect()
}

/// A row of [`table::ADDRESSES`] as [`identify`] answers it.
fn known(
    &(release, contract, address_type, address): &(Release, Contract, AddressType, Address),
) -> KnownDeployment {
    KnownDeployment {
        release,
        contract,
        address_type,
        address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    /// The index answers as a scan of the table would, in the table's order.
    #[test]
    fn identify_is_a_scan_of_the_table() {
        let scan = |chain: Option<u64>, address: Address| -> Vec<KnownDeployment> {
            table::ADDRESSES
                .iter()
                .filter(|entry| entry.3 == address)
                .filter(|(release, _, address_type, _)| {
                    chain.is_none_or(|chain_id| {
                        address_types(*release, chain_id)
                            .is_some_and(|types| types.contains(address_type))
                    })
                })
                .map(known)
                .collect()
        };
        let addresses = table::ADDRESSES
            .iter()
            .map(|entry| entry.3)
            .chain([Address::ZERO, Address::repeat_byte(0xff)]);
        for address in addresses {
            for chain in [None, Some(1), Some(10), Some(324), Some(3)] {
                assert_eq!(
                    identify(chain, address),
                    scan(chain, address),
                    "{address} {chain:?}"
                );
            }
        }
    }

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
    fn the_choice_follows_the_master_copys_type_and_names_unknown_chains() {
        let choose = |version: &str, chain, deployment_type, address| {
            choose_multi_send_call_only(
                v(version),
                chain,
                MultiSendChoice {
                    deployment_type,
                    address,
                },
            )
        };
        let canonical_130 = address!("40A2aCCbd92BCA938b02010E17A5b8929b49130D");
        let canonical_141 = address!("9641d764fc13c8B624c04430C7356C1C7C8102e2");
        assert_eq!(
            choose("1.3.0", 324, None, None).unwrap(),
            address!("f220D3b4DFb23C4ade8C88E526C1353AbAcbC38F")
        );
        assert_eq!(
            choose("1.3.0", 324, Some(AddressType::Canonical), None).unwrap(),
            canonical_130
        );
        assert_eq!(
            choose("1.4.1", 324, Some(AddressType::Canonical), None).unwrap(),
            canonical_141
        );
        assert!(matches!(
            choose("1.4.1", 324, Some(AddressType::Eip155), None),
            Err(MultiSendError::TypeNotListed { .. })
        ));
        // A listed address must agree with the type; an unlisted one is refused.
        assert!(matches!(
            choose("1.3.0", 324, Some(AddressType::Zksync), Some(canonical_130)),
            Err(MultiSendError::TypeDisagrees { .. })
        ));
        let devnet = address!("1234000000000000000000000000000000005678");
        assert!(matches!(
            choose("1.3.0", 1, None, Some(devnet)),
            Err(MultiSendError::NotListed { .. })
        ));
        // An unknown chain takes the named address, and asks for one otherwise.
        assert_eq!(choose("1.4.1", 31337, None, Some(devnet)).unwrap(), devnet);
        let err = choose("1.4.1", 31337, Some(AddressType::Canonical), None).unwrap_err();
        assert!(err.to_string().contains("multi_send_call_only"), "{err}");
    }

    #[test]
    fn a_singleton_gives_its_type_on_its_chain_and_release() {
        let canonical_130 = address!("d9Db270c1B5E3Bd161E8c8503c55cEABeE709552");
        assert_eq!(
            singleton_type(v("1.3.0"), 324, canonical_130).unwrap(),
            AddressType::Canonical
        );
        assert_eq!(
            singleton_type(
                v("1.4.1+L2"),
                324,
                address!("610fcA2e0279Fa1F8C00c8c2F71dF522AD469380")
            )
            .unwrap(),
            AddressType::Zksync
        );
        // Wrong release: refused, and the error says what it is.
        let err = singleton_type(v("1.4.1"), 324, canonical_130).unwrap_err();
        assert!(
            err.hint.contains("GnosisSafe") || err.hint.contains("Safe 1.3.0"),
            "{err}"
        );
        // Not a singleton at all (a MultiSendCallOnly).
        assert!(
            singleton_type(
                v("1.3.0"),
                1,
                address!("40A2aCCbd92BCA938b02010E17A5b8929b49130D")
            )
            .is_err()
        );
        // On a chain the table does not know, any chain's listing gives the type.
        assert_eq!(
            singleton_type(v("1.3.0"), 31337, canonical_130).unwrap(),
            AddressType::Canonical
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
