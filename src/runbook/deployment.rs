//! The deployment address book: which contract lives where, how the protocol
//! is governed, and the labels operators use instead of raw addresses.

use std::collections::BTreeMap;

use alloy_primitives::Address;
use serde::Deserialize;
use toml::Spanned;

use super::names::check_name;
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
    /// Written under `[other_contracts]`: a contract outside the protocol
    /// profile, which the planner only calls by name in `call` intents.
    pub other: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub chain_id: u64,
    pub layout: Layout,
    /// By contract name (the name of its ABI).
    pub contracts: BTreeMap<String, ContractEntry>,
    /// Operator names for addresses, usable wherever an address is expected.
    pub labels: BTreeMap<String, Located<Address>>,
    /// Contracts of the protocol that are not deployed (`absent = [...]`),
    /// as written: `modules = "all"` skips them instead of refusing the book.
    pub absent: Vec<Located<String>>,
    /// Whether the book is inline in an intent file (`[deployment.contracts]`)
    /// rather than a file of its own (`[contracts]`), for naming its tables.
    pub inline: bool,
}

impl Deployment {
    /// How the book's table `name` (`contracts`, `labels`, …) is written in
    /// the file the operator edits.
    pub fn table(&self, name: &str) -> String {
        if self.inline {
            format!("[deployment.{name}]")
        } else {
            format!("[{name}]")
        }
    }

    /// How the book's top-level key `name` (`absent`) is written.
    pub fn key(&self, name: &str) -> String {
        if self.inline {
            format!("`{name}` in [deployment]")
        } else {
            format!("`{name}` at the top of the address book")
        }
    }

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
    pub other_contracts: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    pub labels: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub absent: Vec<Spanned<String>>,
}

/// Parses a deployment file.
pub fn parse_deployment(source: &Source) -> Result<Deployment, InputError> {
    let raw: RawDeployment = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
    raw.into_deployment(source, false)
}

fn address_at(source: &Source, text: &Spanned<String>, what: &str) -> Result<Address, InputError> {
    parse_address(text.get_ref())
        .map_err(|e| InputError::new(source.span_location(&text.span()), format!("{what}: {e}")))
}

impl RawDeployment {
    /// The deployment, checked for what needs no protocol knowledge;
    /// `inline` when it is `[deployment]` of an intent file.
    pub(super) fn into_deployment(
        self,
        source: &Source,
        inline: bool,
    ) -> Result<Deployment, InputError> {
        let table = |name: &str| {
            if inline {
                format!("deployment.{name}")
            } else {
                name.to_owned()
            }
        };
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
        // Every name of the book, as written, with its place: one rule for
        // all of them, and no two that differ only by case.
        let mut names: BTreeMap<String, (String, super::source::Location)> = BTreeMap::new();
        let mut name_ok = |name: &Spanned<String>, what: &str| -> Result<(), InputError> {
            let place = at(name.span());
            check_name(name.get_ref())
                .map_err(|e| InputError::new(place.clone(), format!("{what}: {e}")))?;
            let folded = name.get_ref().to_ascii_lowercase();
            if let Some((first, first_at)) = names.get(&folded)
                && first != name.get_ref()
            {
                return Err(InputError::new(
                    place,
                    format!(
                        "`{}` and `{first}` (at {first_at}) differ only by case: names in an address book must                          differ by more than case, so rename one",
                        name.get_ref()
                    ),
                ));
            }
            names.insert(folded, (name.get_ref().clone(), place));
            Ok(())
        };
        let mut contracts = BTreeMap::new();
        let tables = [
            ("contracts", self.contracts, false),
            ("other_contracts", self.other_contracts, true),
        ];
        for (table_name, entries, other) in tables {
            for (name, value) in entries {
                name_ok(&name, &format!("a key of [{}]", table(table_name)))?;
                let (address, abi_file) = contract_value(source, table_name, &name, &value)?;
                if let Some(first) = contracts.get(name.get_ref()) {
                    let first: &ContractEntry = first;
                    return Err(InputError::new(
                        at(name.span()),
                        format!(
                            "`{}` is in [{}] and [{}] (at {}): give a contract one entry",
                            name.get_ref(),
                            table("contracts"),
                            table("other_contracts"),
                            first.at
                        ),
                    ));
                }
                contracts.insert(
                    name.get_ref().clone(),
                    ContractEntry {
                        address,
                        abi_file,
                        at: at(name.span()),
                        other,
                    },
                );
            }
        }
        // One address, one name: a second name for an address is either an
        // entry that is never used or one that makes outputs lie.
        let mut seen: BTreeMap<Address, (String, super::source::Location)> = BTreeMap::new();
        let mut by_place: Vec<(&String, &ContractEntry)> = contracts.iter().collect();
        by_place.sort_by_key(|(_, entry)| (entry.at.line, entry.at.column));
        for (name, entry) in by_place {
            if let Some((first, first_at)) = seen.get(&entry.address) {
                return Err(one_address_two_names(
                    entry.at.clone(),
                    entry.address,
                    name,
                    first,
                    first_at,
                ));
            }
            seen.insert(entry.address, (name.clone(), entry.at.clone()));
        }
        let mut labels = BTreeMap::new();
        for (name, text) in self.labels {
            name_ok(&name, &format!("a label of [{}]", table("labels")))?;
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
            if let Some((first, first_at)) = seen.get(&address) {
                return Err(one_address_two_names(
                    at(name.span()),
                    address,
                    name.get_ref(),
                    first,
                    first_at,
                ));
            }
            seen.insert(address, (name.get_ref().clone(), at(name.span())));
            labels.insert(
                name.get_ref().clone(),
                Located::new(address, at(text.span())),
            );
        }
        let mut absent: Vec<Located<String>> = Vec::with_capacity(self.absent.len());
        for name in self.absent {
            check_name(name.get_ref()).map_err(|e| {
                InputError::new(at(name.span()), format!("a name in `absent`: {e}"))
            })?;
            let located = Located::new(name.get_ref().clone(), at(name.span()));
            if let Some(first) = absent.iter().find(|a| a.value == located.value) {
                return Err(InputError::new(
                    located.at,
                    format!(
                        "`{}` is listed twice in `absent` (first at {})",
                        first.value, first.at
                    ),
                ));
            }
            absent.push(located);
        }
        Ok(Deployment {
            chain_id,
            layout,
            contracts,
            labels,
            absent,
            inline,
        })
    }
}

fn one_address_two_names(
    at: super::source::Location,
    address: Address,
    name: &str,
    first: &str,
    first_at: &super::source::Location,
) -> InputError {
    InputError::new(
        at,
        format!(
            "`{name}` and `{first}` (at {first_at}) are both {address}: one address has one name in an address \
             book, so keep one of them"
        ),
    )
}

/// A `[contracts]` or `[other_contracts]` value: an address, or
/// `{ address, abi }`.
fn contract_value(
    source: &Source,
    table: &str,
    name: &Spanned<String>,
    value: &Spanned<toml::Value>,
) -> Result<(Address, Option<String>), InputError> {
    let at = |span: std::ops::Range<usize>| source.span_location(&span);
    let what = format!("{table}.{}", name.get_ref());
    match value.get_ref() {
        toml::Value::String(text) => {
            let spanned = Spanned::new(value.span(), text.clone());
            Ok((address_at(source, &spanned, &what)?, None))
        }
        toml::Value::Table(entry) => {
            for key in entry.keys() {
                if key != "address" && key != "abi" {
                    return Err(InputError::new(
                        at(value.span()),
                        format!(
                            "{what}: unknown key `{key}`: expected `address` and optionally `abi`"
                        ),
                    ));
                }
            }
            let Some(toml::Value::String(text)) = entry.get("address") else {
                return Err(InputError::new(
                    at(value.span()),
                    format!("{what}: expected `address = \"0x…\"`"),
                ));
            };
            let spanned = Spanned::new(value.span(), text.clone());
            let address = address_at(source, &spanned, &what)?;
            let abi = match entry.get("abi") {
                None => None,
                Some(toml::Value::String(path)) => Some(path.clone()),
                Some(_) => {
                    return Err(InputError::new(
                        at(value.span()),
                        format!("{what}: `abi` must be a path string"),
                    ));
                }
            };
            Ok((address, abi))
        }
        _ => Err(InputError::new(
            at(value.span()),
            format!(
                "{what}: expected an address string or {{ address = \"0x…\", abi = \"file.json\" }}"
            ),
        )),
    }
}
