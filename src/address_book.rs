//! Names for addresses: what every output shows next to an address, and which
//! ABI the decoder reads a call to that address with.
//!
//! Entries come from the caller (a deployment's contracts and labels, the
//! Safe itself); Safe infrastructure (MultiSendCallOnly, SignMessageLib, …) is
//! recognised from the embedded deployments table without an entry.

use std::collections::BTreeMap;

use alloy_primitives::Address;

use crate::safe::deployments::{self, Contract, KnownDeployment};

/// What an address is known as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressEntry {
    /// Shown to people: a label ("backup-safe") or a contract name ("JobRegistry").
    pub name: String,
    /// The registry ABI that calls to this address are decoded with, if any.
    pub abi: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressBook {
    entries: BTreeMap<Address, AddressEntry>,
    /// Restricts Safe-deployment recognition to this chain's listed addresses.
    chain_id: Option<u64>,
}

impl AddressBook {
    pub fn new(chain_id: Option<u64>) -> Self {
        AddressBook {
            entries: BTreeMap::new(),
            chain_id,
        }
    }

    pub fn chain_id(&self) -> Option<u64> {
        self.chain_id
    }

    /// Adds or replaces the entry for `address`.
    pub fn insert(&mut self, address: Address, name: impl Into<String>, abi: Option<String>) {
        self.entries.insert(
            address,
            AddressEntry {
                name: name.into(),
                abi,
            },
        );
    }

    pub fn entries(&self) -> impl Iterator<Item = (&Address, &AddressEntry)> {
        self.entries.iter()
    }

    /// The caller's own entry for `address`, if any.
    pub fn entry(&self, address: Address) -> Option<&AddressEntry> {
        self.entries.get(&address)
    }

    /// Safe contracts deployed at `address` (on the book's chain, or on any chain
    /// when the chain is not known).
    pub fn safe_deployment(&self, address: Address) -> Option<KnownDeployment> {
        deployments::identify(self.chain_id, address)
            .into_iter()
            .next()
    }

    /// The name to show for `address`, if it has one.
    pub fn name_of(&self, address: Address) -> Option<String> {
        if let Some(entry) = self.entry(address) {
            return Some(entry.name.clone());
        }
        self.safe_deployment(address).map(|d| d.describe())
    }

    /// The ABI to decode calls to `address` with, if it is known.
    pub fn abi_of(&self, address: Address) -> Option<String> {
        if let Some(entry) = self.entry(address) {
            return entry.abi.clone();
        }
        self.safe_deployment(address)
            .and_then(|d| abi_name_for(d.contract))
            .map(str::to_string)
    }
}

/// The registry ABI that describes a Safe infrastructure contract.
fn abi_name_for(contract: Contract) -> Option<&'static str> {
    match contract {
        Contract::MultiSend => Some("MultiSend"),
        Contract::MultiSendCallOnly => Some("MultiSendCallOnly"),
        Contract::SignMessageLib => Some("SignMessageLib"),
        Contract::SafeMigration => Some("SafeMigration"),
        Contract::Safe | Contract::SafeL2 => Some("Safe"),
        _ => None,
    }
}

impl AddressBook {
    /// The book for a deployment run by `safe`: every contract under its name
    /// (read with the ABI of the same name), every label, and the Safe itself.
    pub fn for_deployment(deployment: &crate::runbook::Deployment, safe: Address) -> Self {
        let mut book = AddressBook::new(Some(deployment.chain_id));
        for (name, label) in &deployment.labels {
            book.insert(label.value, name.clone(), None);
        }
        for (name, entry) in &deployment.contracts {
            book.insert(entry.address, name.clone(), Some(name.clone()));
        }
        let safe_name = deployment.label_of(safe).map_or_else(
            || "the Safe".to_string(),
            |label| format!("the Safe, {label}"),
        );
        book.insert(safe, safe_name, Some("Safe".to_string()));
        book
    }
}
