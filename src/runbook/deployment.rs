//! The deployment address book: which contract lives where, how the protocol
//! is governed, and the labels operators use instead of raw addresses.

use std::collections::BTreeMap;

use alloy_primitives::Address;
use serde::Deserialize;
use toml::Spanned;

use super::source::{InputError, Located, Source, toml_error};
use crate::parse::parse_address;

/// How the AGI Jobs modules are governed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// SystemPause governs the eight core modules; the Safe governs SystemPause.
    SystemPause,
    /// The Safe owns every module itself; SystemPause is only their pauser.
    Direct,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::SystemPause => "system-pause",
            Layout::Direct => "direct",
        }
    }
}

/// One deployed contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEntry {
    pub address: Address,
    /// An ABI file (relative to the deployment file) replacing the embedded one.
    pub abi_file: Option<String>,
    pub at: super::source::Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub chain_id: u64,
    pub layout: Layout,
    /// By contract name (the name of its ABI).
    pub contracts: BTreeMap<String, ContractEntry>,
    /// Operator names for addresses, usable wherever an address is expected.
    pub labels: BTreeMap<String, Located<Address>>,
}

impl Deployment {
    pub fn contract(&self, name: &str) -> Option<&ContractEntry> {
        self.contracts.get(name)
    }

    /// The label of `address`, if the address book has one.
    pub fn label_of(&self, address: Address) -> Option<&str> {
        self.labels
            .iter()
            .find(|(_, a)| a.value == address)
            .map(|(name, _)| name.as_str())
    }

    /// The contract deployed at `address`, if any.
    pub fn contract_at(&self, address: Address) -> Option<&str> {
        self.contracts
            .iter()
            .find(|(_, entry)| entry.address == address)
            .map(|(name, _)| name.as_str())
    }
}

/// The keys a deployment has, in a file of its own or inline in `[deployment]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeployment {
    pub chain_id: Spanned<i64>,
    pub layout: Spanned<String>,
    #[serde(default)]
    pub contracts: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    pub labels: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// Parses a deployment file.
pub fn parse_deployment(source: &Source) -> Result<Deployment, InputError> {
    let raw: RawDeployment = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
    raw.into_deployment(source)
}

fn address_at(source: &Source, text: &Spanned<String>, what: &str) -> Result<Address, InputError> {
    parse_address(text.get_ref())
        .map_err(|e| InputError::new(source.span_location(&text.span()), format!("{what}: {e}")))
}

impl RawDeployment {
    pub(super) fn into_deployment(self, source: &Source) -> Result<Deployment, InputError> {
        let at = |span: std::ops::Range<usize>| source.span_location(&span);
        let chain_id = u64::try_from(*self.chain_id.get_ref())
            .ok()
            .filter(|&id| id > 0)
            .ok_or_else(|| {
                InputError::new(
                    at(self.chain_id.span()),
                    "chain_id must be a positive integer",
                )
            })?;
        let layout = match self.layout.get_ref().as_str() {
            "system-pause" => Layout::SystemPause,
            "direct" => Layout::Direct,
            other => {
                return Err(InputError::new(
                    at(self.layout.span()),
                    format!("unknown layout `{other}`: expected \"system-pause\" or \"direct\""),
                ));
            }
        };
        let mut contracts = BTreeMap::new();
        for (name, value) in self.contracts {
            let (address, abi_file) = match value.get_ref() {
                toml::Value::String(text) => {
                    let spanned = Spanned::new(value.span(), text.clone());
                    (
                        address_at(source, &spanned, &format!("contracts.{}", name.get_ref()))?,
                        None,
                    )
                }
                toml::Value::Table(table) => {
                    for key in table.keys() {
                        if key != "address" && key != "abi" {
                            return Err(InputError::new(
                                at(value.span()),
                                format!(
                                    "contracts.{}: unknown key `{key}`: expected `address` and optionally `abi`",
                                    name.get_ref()
                                ),
                            ));
                        }
                    }
                    let Some(toml::Value::String(text)) = table.get("address") else {
                        return Err(InputError::new(
                            at(value.span()),
                            format!("contracts.{}: expected `address = \"0x…\"`", name.get_ref()),
                        ));
                    };
                    let spanned = Spanned::new(value.span(), text.clone());
                    let address =
                        address_at(source, &spanned, &format!("contracts.{}", name.get_ref()))?;
                    let abi = match table.get("abi") {
                        None => None,
                        Some(toml::Value::String(path)) => Some(path.clone()),
                        Some(_) => {
                            return Err(InputError::new(
                                at(value.span()),
                                format!(
                                    "contracts.{}: `abi` must be a path string",
                                    name.get_ref()
                                ),
                            ));
                        }
                    };
                    (address, abi)
                }
                _ => {
                    return Err(InputError::new(
                        at(value.span()),
                        format!(
                            "contracts.{}: expected an address string or {{ address = \"0x…\", abi = \"file.json\" }}",
                            name.get_ref()
                        ),
                    ));
                }
            };
            contracts.insert(
                name.get_ref().clone(),
                ContractEntry {
                    address,
                    abi_file,
                    at: at(name.span()),
                },
            );
        }
        let mut labels = BTreeMap::new();
        let mut seen: BTreeMap<Address, String> = BTreeMap::new();
        for (name, text) in self.labels {
            let address = address_at(source, &text, &format!("labels.{}", name.get_ref()))?;
            if contracts.contains_key(name.get_ref()) {
                return Err(InputError::new(
                    at(name.span()),
                    format!(
                        "label `{}` is also a contract name; use another label",
                        name.get_ref()
                    ),
                ));
            }
            if let Some(other) = seen.insert(address, name.get_ref().clone()) {
                return Err(InputError::new(
                    at(name.span()),
                    format!(
                        "labels `{other}` and `{}` name the same address",
                        name.get_ref()
                    ),
                ));
            }
            labels.insert(
                name.get_ref().clone(),
                Located::new(address, at(text.span())),
            );
        }
        Ok(Deployment {
            chain_id,
            layout,
            contracts,
            labels,
        })
    }
}
