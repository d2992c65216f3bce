//! The ABI registry: every contract bundlec knows by name, with an index from
//! 4-byte selectors to the functions that carry them.
//!
//! The ABIs in `abis/` are compiled into the binary so that bundlec gives the
//! same answers from any directory and with no network. Their functions are
//! indexed at compile time (`abi::embedded`, a generated table), and a
//! function's JSON is parsed only when a lookup returns it, so starting costs
//! nothing. The CLI may add or replace contracts (`--abi-dir`), and the
//! registry then indexes only that contract.
//!
//! A selector is only 4 bytes of a hash, so two different functions can share
//! one. The registry never picks one of them silently: selector lookups return
//! every match, and [`AbiRegistry::collisions`] lists the selectors that mean
//! different things in different contracts, so callers can raise a finding.
//! Within a single contract such a clash would make calls undecidable, so an
//! ABI that contains one is refused outright.

use std::collections::BTreeMap;
use std::fmt;

use alloy_dyn_abi::DynSolType;
use alloy_json_abi::{Function, JsonAbi, Param};
use alloy_primitives::hex;

use crate::abi::embedded;
use crate::abi::nesting::{self, NestingError};

/// Expands each name to `(name, contents of abis/<name>.json)`, so a name and
/// its file cannot drift apart.
macro_rules! embedded_abis {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../abis/", $name, ".json")))),*]
    };
}

/// The Keccak-256 of `abis/<name>.json` as embedded, when `name` is an
/// embedded ABI: recorded when the table was generated, so a build that reads
/// an embedded ABI does not hash the file again.
pub fn embedded_abi_keccak256(name: &str) -> Option<alloy_primitives::B256> {
    super::embedded::contract_index(name).and_then(super::embedded::file_keccak256)
}

/// The ABIs shipped with bundlec, as `(contract name, JSON ABI text)`, sorted
/// by name. Each entry is the file `abis/<name>.json`.
pub const EMBEDDED_ABIS: &[(&str, &str)] = embedded_abis![
    "AGITimelock",
    "ArbitratorCommittee",
    "AttestationRegistry",
    "CertificateNFT",
    "DisputeModule",
    "ERC20",
    "ERC721",
    "EnergyOracle",
    "FeePool",
    "HGMControlModule",
    "HamiltonianMonitor",
    "IdentityRegistry",
    "JobRegistry",
    "JobRouter",
    "MultiSend",
    "MultiSendCallOnly",
    "OwnerConfigurator",
    "Phase6ExpansionManager",
    "Phase8UniversalValueManager",
    "PlatformIncentives",
    "PlatformRegistry",
    "RandaoCoordinator",
    "ReputationEngine",
    "RewardEngineMB",
    "Safe",
    "SafeMigration",
    "SignMessageLib",
    "StakeManager",
    "SystemPause",
    "TaxPolicy",
    "Thermostat",
    "TimelockController",
    "ValidationModule",
];

/// Why an ABI could not be added to the registry. Every variant names the
/// contract, since the CLI may load dozens of files at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiError {
    #[error(
        "`{name}` cannot be used as a contract name: {reason} \
         (names come from ABI file names, `<Name>.json`)"
    )]
    InvalidContractName { name: String, reason: String },

    #[error(
        "the ABI of `{contract}` is not a valid JSON ABI (line {line}, column {column}): {message}"
    )]
    Json {
        contract: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("the ABI of `{contract}` has an unusable function `{function}`: {reason}")]
    InvalidFunction {
        contract: String,
        function: String,
        reason: String,
    },

    #[error("the ABI of `{contract}` cannot be used: in the function `{function}`, {source}")]
    TooDeep {
        contract: String,
        function: String,
        #[source]
        source: NestingError,
    },

    #[error("the ABI of `{contract}` declares the function `{signature}` more than once")]
    DuplicateFunction { contract: String, signature: String },

    #[error(
        "the ABI file for `{contract}` declares `{given}` with the selector {} of `{known}` in the ABI bundlec \
         knows for {base}: an ABI from an address book may add functions, but every function it shares with \
         the known ABI (same selector) must have the same name, parameter names, types and state mutability, \
         and a selector may never name two functions of one contract",
        selector_hex(*.selector)
    )]
    OverrideChanges {
        contract: String,
        base: String,
        selector: [u8; 4],
        known: String,
        given: String,
    },

    #[error(
        "the ABI of `{contract}` declares two functions with the same selector {}: \
         `{first}` and `{second}`, so calls to them could not be told apart",
        selector_hex(*.selector)
    )]
    SelectorClash {
        contract: String,
        selector: [u8; 4],
        first: String,
        second: String,
    },
}

/// Why a contract or function could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error(
        "no ABI is loaded for a contract named `{name}`{}",
        hint(.similar, .available, "the loaded contracts are")
    )]
    UnknownContract {
        name: String,
        /// Loaded contract names that look like `name`.
        similar: Vec<String>,
        /// Every loaded contract name.
        available: Vec<String>,
    },

    #[error(
        "contract `{contract}` has no function named `{name}`{}",
        hint(.similar, .available, "its functions are")
    )]
    UnknownFunction {
        contract: String,
        name: String,
        /// Function names of the contract that look like `name`.
        similar: Vec<String>,
        /// Every function name of the contract.
        available: Vec<String>,
    },

    #[error(
        "contract `{contract}` has {} functions named `{name}`; say which one you mean \
         by its full signature: {}",
        .candidates.len(),
        .candidates.join(", ")
    )]
    Overloaded {
        contract: String,
        name: String,
        /// Canonical signatures of every function with that name.
        candidates: Vec<String>,
    },

    #[error(
        "contract `{contract}` has no function `{signature}`; the functions with that \
         name are: {}",
        .candidates.join(", ")
    )]
    UnknownSignature {
        contract: String,
        /// The requested signature in canonical form.
        signature: String,
        candidates: Vec<String>,
    },

    #[error("`{input}` is not a function signature like `transfer(address,uint256)`: {reason}")]
    InvalidSignature { input: String, reason: String },

    #[error(transparent)]
    TooDeep(#[from] NestingError),

    #[error(
        "contract `{contract}` has no function with selector {}",
        selector_hex(*.selector)
    )]
    UnknownSelector { contract: String, selector: [u8; 4] },

    #[error(
        "the ABI of `{contract}` built into bundlec does not read as its table of functions says \
         at `{signature}`: bundlec was built from a table that does not match abis/"
    )]
    EmbeddedTable { contract: String, signature: String },
}

/// A function that carries a given selector, and the contract it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorMatch {
    pub contract: String,
    pub function: Function,
}

/// Like [`SelectorMatch`], borrowed from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectorMatchRef<'a> {
    pub contract: &'a str,
    pub function: &'a Function,
}

impl<'a> From<&'a SelectorMatch> for SelectorMatchRef<'a> {
    fn from(m: &'a SelectorMatch) -> Self {
        Self {
            contract: &m.contract,
            function: &m.function,
        }
    }
}

/// A selector that stands for different functions in the loaded ABIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorCollision {
    pub selector: [u8; 4],
    /// The distinct canonical signatures, sorted.
    pub signatures: Vec<String>,
}

impl fmt::Display for SelectorCollision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "selector {} belongs to {} different functions: {}",
            selector_hex(self.selector),
            self.signatures.len(),
            self.signatures.join(", ")
        )
    }
}

/// Contracts by name plus the selector index.
///
/// The embedded contracts are not stored here: lookups answer them from the
/// compiled table (`abi::embedded`), which parses a function when it is
/// first returned. A contract added at run time is stored and indexed here,
/// and hides the embedded contract of the same name.
#[derive(Debug, Clone, Default)]
pub struct AbiRegistry {
    /// Whether the embedded contracts are in (except those `added` replaces).
    embedded: bool,
    /// The contracts added at run time, by name.
    added: BTreeMap<String, JsonAbi>,
    /// The selector index of `added`.
    by_selector: BTreeMap<[u8; 4], IndexEntry>,
}

/// A registered contract.
#[derive(Debug, Clone, Copy)]
enum Contract<'a> {
    /// An embedded contract not replaced: its index in [`EMBEDDED_ABIS`].
    Embedded(usize),
    Added(&'a JsonAbi),
}

#[derive(Debug, Clone, Default)]
struct IndexEntry {
    /// Sorted by contract name; a contract appears at most once because
    /// clashes inside one ABI are refused.
    matches: Vec<SelectorMatch>,
    /// Distinct canonical signatures of `matches`, sorted, kept so that
    /// collision checks during decoding cost nothing.
    signatures: Vec<String>,
}

impl IndexEntry {
    fn refresh_signatures(&mut self) {
        let mut signatures: Vec<String> = self
            .matches
            .iter()
            .map(|m| m.function.signature())
            .collect();
        signatures.sort();
        signatures.dedup();
        self.signatures = signatures;
    }
}

impl AbiRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry holding every ABI in [`EMBEDDED_ABIS`].
    ///
    /// Every command that reads calldata starts here, so this does nothing:
    /// the embedded functions are indexed at compile time, and each is
    /// parsed (once per process) when a lookup first returns it. The checks
    /// [`add_or_override`](Self::add_or_override) makes on a user's file
    /// (contract names, canonical types, no selector clashes) hold for the
    /// embedded files and are made on them by the test
    /// `embedded_abis_pass_the_checks_user_files_get`, which also checks
    /// that every lookup answers as it would with the files added as a
    /// user's; `tests/abi_table.rs` checks the table against the files.
    pub fn embedded() -> Result<Self, AbiError> {
        Ok(Self {
            embedded: true,
            ..Self::default()
        })
    }

    /// Adds the contract `name` from the text of a JSON ABI file, replacing
    /// any ABI already registered under that name. The text is a JSON array of
    /// ABI entries; a compiler artifact (an object with an `abi` field, as
    /// written by Hardhat or Foundry) is accepted too. On error the registry
    /// is left unchanged.
    pub fn add_or_override(&mut self, name: &str, json_text: &str) -> Result<(), AbiError> {
        check_contract_name(name)?;
        let abi = parse_abi_text(name, json_text)?;
        self.add_or_override_abi(name, abi)
    }

    /// Like [`add_or_override`](Self::add_or_override) for an ABI that is
    /// already parsed.
    pub fn add_or_override_abi(&mut self, name: &str, abi: JsonAbi) -> Result<(), AbiError> {
        check_contract_name(name)?;
        check_functions(name, &abi)?;
        self.unindex(name);
        self.index(name, &abi);
        self.added.insert(name.to_owned(), abi);
        Ok(())
    }

    /// Registers `name` from the text of an ABI file that may only add to the
    /// ABI already registered as `base` (when there is one): every function
    /// it shares a selector with must be that function, with the same name,
    /// parameter names, types and state mutability. The result is `base`'s
    /// ABI plus the new functions (and events and errors), so an override
    /// can neither drop nor rename what bundlec knows. Without a `base` ABI
    /// the file is registered as it is. On error the registry is unchanged.
    pub fn extend_contract(
        &mut self,
        name: &str,
        base: &str,
        json_text: &str,
    ) -> Result<(), AbiError> {
        check_contract_name(name)?;
        let given = parse_abi_text(name, json_text)?;
        check_functions(name, &given)?;
        let Some(known) = self.contract(base) else {
            return self.add_or_override_abi(name, given);
        };
        let mut merged = known.clone();
        for function in given.functions() {
            let selector = function.selector().0;
            match known.functions().find(|f| f.selector().0 == selector) {
                Some(existing) => {
                    if !same_function(existing, function) {
                        return Err(AbiError::OverrideChanges {
                            contract: name.to_owned(),
                            base: base.to_owned(),
                            selector,
                            known: function_text(existing),
                            given: function_text(function),
                        });
                    }
                }
                None => merged
                    .functions
                    .entry(function.name.clone())
                    .or_default()
                    .push(function.clone()),
            }
        }
        for event in given.events() {
            let overloads = merged.events.entry(event.name.clone()).or_default();
            if !overloads.contains(event) {
                overloads.push(event.clone());
            }
        }
        for error in given.errors() {
            let overloads = merged.errors.entry(error.name.clone()).or_default();
            if !overloads.contains(error) {
                overloads.push(error.clone());
            }
        }
        self.add_or_override_abi(name, merged)
    }

    /// The ABI registered as `name` (exact, case-sensitive). An embedded
    /// ABI is parsed whole on the first call: to ask whether a contract is
    /// registered, [`has_contract`](Self::has_contract) costs nothing.
    pub fn contract(&self, name: &str) -> Option<&JsonAbi> {
        match self.lookup(name)? {
            Contract::Added(abi) => Some(abi),
            Contract::Embedded(index) => embedded::contract_abi(index),
        }
    }

    /// Whether a contract is registered as `name` (exact, case-sensitive).
    pub fn has_contract(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }

    /// The registered contract names, sorted.
    pub fn contract_names(&self) -> impl Iterator<Item = &str> {
        let embedded = EMBEDDED_ABIS
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| self.embedded_in(name));
        let mut names: Vec<&str> = embedded
            .chain(self.added.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.into_iter()
    }

    /// The registered contracts with their ABIs, sorted by name.
    pub fn contracts(&self) -> impl Iterator<Item = (&str, &JsonAbi)> {
        self.contract_names()
            .filter_map(|name| Some((name, self.contract(name)?)))
    }

    /// The number of registered contracts.
    pub fn len(&self) -> usize {
        self.contract_names().count()
    }

    pub fn is_empty(&self) -> bool {
        self.contract_names().next().is_none()
    }

    /// A function of `contract`, named either by its plain name (which must
    /// not be overloaded) or by its full signature, e.g.
    /// `transfer(address, uint256)`, `f((uint256,address)[])` or
    /// `f(tuple(uint256,address)[])`. Signatures tolerate whitespace,
    /// parameter names and the aliases `uint`/`int`.
    pub fn function(
        &self,
        contract: &str,
        name_or_signature: &str,
    ) -> Result<&Function, LookupError> {
        match self.contract_or_error(contract)? {
            Contract::Added(abi) => pick_function(
                contract,
                name_or_signature,
                || function_names(abi),
                |name| {
                    abi.function(name)
                        .map(|overloads| overloads.iter().map(|f| (f.signature(), f)).collect())
                        .unwrap_or_default()
                },
                Ok,
            ),
            Contract::Embedded(index) => pick_function(
                contract,
                name_or_signature,
                || embedded::function_names(index),
                |name| {
                    embedded::overloads(index, name)
                        .filter_map(|at| Some((embedded::entry(at)?.signature.to_owned(), at)))
                        .collect()
                },
                |at| embedded_at(contract, at),
            ),
        }
    }

    /// The function of `contract` whose selector is `selector`.
    pub fn function_by_selector_in(
        &self,
        contract: &str,
        selector: [u8; 4],
    ) -> Result<&Function, LookupError> {
        let unknown = || LookupError::UnknownSelector {
            contract: contract.to_owned(),
            selector,
        };
        match self.contract_or_error(contract)? {
            Contract::Added(_) => self
                .by_selector
                .get(&selector)
                .and_then(|entry| entry.matches.iter().find(|m| m.contract == contract))
                .map(|m| &m.function)
                .ok_or_else(unknown),
            Contract::Embedded(index) => {
                let at = embedded::with_selector(selector)
                    .find(|&at| {
                        embedded::entry(at).is_some_and(|e| usize::from(e.contract) == index)
                    })
                    .ok_or_else(unknown)?;
                embedded_at(contract, at)
            }
        }
    }

    /// Every function with this selector across all contracts, sorted by
    /// contract name. More than one distinct signature means a collision.
    pub fn functions_by_selector(&self, selector: [u8; 4]) -> Vec<SelectorMatch> {
        self.selector_matches(selector)
            .into_iter()
            .map(|m| SelectorMatch {
                contract: m.contract.to_owned(),
                function: m.function.clone(),
            })
            .collect()
    }

    /// Like [`functions_by_selector`](Self::functions_by_selector) without
    /// copying the functions.
    pub fn selector_matches(&self, selector: [u8; 4]) -> Vec<SelectorMatchRef<'_>> {
        let mut added = self
            .by_selector
            .get(&selector)
            .map_or(&[][..], |entry| entry.matches.as_slice())
            .iter()
            .peekable();
        let mut matches = Vec::new();
        // Both lists are sorted by contract name and name different contracts.
        for at in self.embedded_with_selector(selector) {
            let (Some(entry), Some(function)) = (embedded::entry(at), embedded::function(at))
            else {
                continue;
            };
            let contract = entry.contract_name();
            while let Some(m) = added.next_if(|m| m.contract.as_str() < contract) {
                matches.push(m.into());
            }
            matches.push(SelectorMatchRef { contract, function });
        }
        matches.extend(added.map(SelectorMatchRef::from));
        matches
    }

    /// The distinct canonical signatures with this selector, sorted. The same
    /// function in several contracts counts once.
    pub fn distinct_signatures(&self, selector: [u8; 4]) -> Vec<String> {
        let mut signatures: Vec<&str> = self
            .embedded_with_selector(selector)
            .filter_map(embedded::entry)
            .map(|entry| entry.signature)
            .collect();
        if let Some(entry) = self.by_selector.get(&selector) {
            signatures.extend(entry.signatures.iter().map(String::as_str));
        }
        signatures.sort_unstable();
        signatures.dedup();
        signatures.into_iter().map(str::to_owned).collect()
    }

    /// Every selector that stands for more than one distinct signature,
    /// sorted by selector.
    pub fn collisions(&self) -> Vec<SelectorCollision> {
        let mut selectors: Vec<[u8; 4]> = Vec::new();
        if self.embedded {
            selectors.extend(embedded::selectors());
        }
        selectors.extend(self.by_selector.keys().copied());
        selectors.sort_unstable();
        selectors.dedup();
        selectors
            .into_iter()
            .filter_map(|selector| {
                let signatures = self.distinct_signatures(selector);
                (signatures.len() > 1).then_some(SelectorCollision {
                    selector,
                    signatures,
                })
            })
            .collect()
    }

    /// The contract registered as `name`: an added one first, since it
    /// replaces the embedded one of that name.
    fn lookup(&self, name: &str) -> Option<Contract<'_>> {
        if let Some(abi) = self.added.get(name) {
            return Some(Contract::Added(abi));
        }
        if !self.embedded {
            return None;
        }
        embedded::contract_index(name).map(Contract::Embedded)
    }

    /// Whether the embedded contract `name` is registered: embedded
    /// contracts are in and no added one replaces it.
    fn embedded_in(&self, name: &str) -> bool {
        self.embedded && !self.added.contains_key(name)
    }

    /// The table positions of the registered embedded functions with this
    /// selector, sorted by contract name.
    fn embedded_with_selector(&self, selector: [u8; 4]) -> impl Iterator<Item = usize> {
        self.embedded
            .then(|| embedded::with_selector(selector))
            .into_iter()
            .flatten()
            .filter(|&at| {
                embedded::entry(at).is_some_and(|entry| self.embedded_in(entry.contract_name()))
            })
    }

    fn contract_or_error(&self, name: &str) -> Result<Contract<'_>, LookupError> {
        self.lookup(name).ok_or_else(|| {
            let available: Vec<String> = self.contract_names().map(str::to_owned).collect();
            LookupError::UnknownContract {
                name: name.to_owned(),
                similar: similar_names(name, available.iter().map(String::as_str)),
                available,
            }
        })
    }

    fn unindex(&mut self, contract: &str) {
        let Some(old) = self.added.get(contract) else {
            return;
        };
        for function in old.functions() {
            let selector = function.selector().0;
            let Some(entry) = self.by_selector.get_mut(&selector) else {
                continue;
            };
            entry.matches.retain(|m| m.contract != contract);
            if entry.matches.is_empty() {
                self.by_selector.remove(&selector);
            } else {
                entry.refresh_signatures();
            }
        }
    }

    /// Adds the functions of `contract` to the selector index, computing
    /// each signature and its Keccak-256 once.
    fn index(&mut self, contract: &str, abi: &JsonAbi) {
        for function in abi.functions() {
            let signature = function.signature();
            let selector = selector_of(&signature);
            let entry = self.by_selector.entry(selector).or_default();
            let at = entry
                .matches
                .partition_point(|m| m.contract.as_str() < contract);
            entry.matches.insert(
                at,
                SelectorMatch {
                    contract: contract.to_owned(),
                    function: function.clone(),
                },
            );
            // Kept sorted and distinct, as `refresh_signatures` would leave it.
            if let Err(at) = entry.signatures.binary_search(&signature) {
                entry.signatures.insert(at, signature);
            }
        }
    }
}

/// How [`AbiRegistry::function`] reads a name or a signature, whatever holds
/// the contract's functions: `names` lists its function names (sorted),
/// `overloads(name)` the functions of that name with their canonical
/// signatures, in the file's order, and `get` turns the one found into the
/// function.
fn pick_function<'r, C>(
    contract: &str,
    name_or_signature: &str,
    names: impl FnOnce() -> Vec<String>,
    overloads: impl Fn(&str) -> Vec<(String, C)>,
    get: impl FnOnce(C) -> Result<&'r Function, LookupError>,
) -> Result<&'r Function, LookupError> {
    let sorted = |overloads: &[(String, C)]| {
        let mut signatures: Vec<String> = overloads.iter().map(|(s, _)| s.clone()).collect();
        signatures.sort();
        signatures
    };
    let input = name_or_signature.trim();
    if input.contains('(') {
        let signature = canonical_signature(input)?;
        let name = signature
            .split_once('(')
            .map_or(signature.as_str(), |(name, _)| name);
        let mut candidates = overloads(name);
        if candidates.is_empty() {
            return Err(unknown_function(contract, names(), name));
        }
        return match candidates.iter().position(|(s, _)| *s == signature) {
            Some(at) => get(candidates.swap_remove(at).1),
            None => Err(LookupError::UnknownSignature {
                contract: contract.to_owned(),
                candidates: sorted(&candidates),
                signature,
            }),
        };
    }
    if input.is_empty() {
        return Err(LookupError::InvalidSignature {
            input: name_or_signature.to_owned(),
            reason: "no function name was given".to_owned(),
        });
    }
    let mut candidates = overloads(input);
    match candidates.len() {
        0 => Err(unknown_function(contract, names(), input)),
        1 => match candidates.pop() {
            Some((_, only)) => get(only),
            None => Err(unknown_function(contract, names(), input)),
        },
        _ => Err(LookupError::Overloaded {
            contract: contract.to_owned(),
            name: input.to_owned(),
            candidates: sorted(&candidates),
        }),
    }
}

/// The embedded function at table position `at`, of `contract`.
fn embedded_at(contract: &str, at: usize) -> Result<&'static Function, LookupError> {
    embedded::function(at).ok_or_else(|| LookupError::EmbeddedTable {
        contract: contract.to_owned(),
        signature: embedded::entry(at)
            .map(|entry| entry.signature.to_owned())
            .unwrap_or_default(),
    })
}

/// The 4-byte selector of a canonical signature.
fn selector_of(signature: &str) -> [u8; 4] {
    let hash = alloy_primitives::keccak256(signature.as_bytes());
    hash.0.first_chunk::<4>().copied().unwrap_or_default()
}

/// The canonical form `name(type1,type2)` of a signature written by a person:
/// whitespace, parameter names, a leading `function`, `tuple(...)` and the
/// `uint`/`int` aliases are all accepted. This is the text whose keccak256
/// gives the selector.
pub fn canonical_signature(input: &str) -> Result<String, LookupError> {
    let invalid = |reason: String| LookupError::InvalidSignature {
        input: input.to_owned(),
        reason,
    };
    let trimmed = input.trim();
    // Before the parser, which builds the types it reads.
    nesting::check_signature_str(trimmed)?;
    let Some((name, _)) = trimmed.split_once('(') else {
        return Err(invalid("the parameter list `(...)` is missing".to_owned()));
    };
    if name.trim().is_empty() {
        return Err(invalid(
            "the function name is missing before `(`".to_owned(),
        ));
    }
    if trimmed.matches('(').count() != trimmed.matches(')').count() {
        return Err(invalid("its parentheses do not match".to_owned()));
    }
    let parsed = Function::parse(trimmed).map_err(|e| invalid(one_line(&e.to_string())))?;
    let mut signature = parsed.name.clone();
    signature.push('(');
    for (i, param) in parsed.inputs.iter().enumerate() {
        if i > 0 {
            signature.push(',');
        }
        let ty = crate::abi::resolve(param).map_err(|e| {
            invalid(format!(
                "parameter {} has the type `{}`, which is not a Solidity ABI type ({e})",
                i.saturating_add(1),
                param.selector_type()
            ))
        })?;
        push_canonical_type(&ty, &mut signature);
    }
    signature.push(')');
    Ok(signature)
}

/// The type parser reports errors over several lines with a caret under the
/// problem; error messages here are single lines.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the type as it appears in a selector preimage. Not
/// `DynSolType::sol_type_name`, which writes one-element tuples as `(T,)`.
fn push_canonical_type(ty: &DynSolType, out: &mut String) {
    match ty {
        DynSolType::Tuple(members) => {
            out.push('(');
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_canonical_type(member, out);
            }
            out.push(')');
        }
        DynSolType::Array(inner) => {
            push_canonical_type(inner, out);
            out.push_str("[]");
        }
        DynSolType::FixedArray(inner, len) => {
            push_canonical_type(inner, out);
            out.push_str(&format!("[{len}]"));
        }
        other => out.push_str(&other.sol_type_name()),
    }
}

fn canonical_type(ty: &DynSolType) -> String {
    let mut out = String::new();
    push_canonical_type(ty, &mut out);
    out
}

fn selector_hex(selector: [u8; 4]) -> String {
    hex::encode_prefixed(selector)
}

fn check_contract_name(name: &str) -> Result<(), AbiError> {
    let invalid = |reason: &str| AbiError::InvalidContractName {
        name: name.to_owned(),
        reason: reason.to_owned(),
    };
    let mut chars = name.chars();
    match chars.next() {
        None => return Err(invalid("the name is empty")),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Err(invalid("it must start with a letter or `_`"));
        }
        Some(_) => {}
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(invalid("it may contain only letters, digits and `_`"));
    }
    Ok(())
}

pub(crate) fn parse_abi_text(contract: &str, text: &str) -> Result<JsonAbi, AbiError> {
    // Serialised artifacts carry much more than the ABI; only `abi` matters.
    #[derive(serde::Deserialize)]
    struct Artifact {
        abi: JsonAbi,
    }

    // Editors on Windows may save a byte-order mark, which JSON forbids.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_object = text.trim_start().starts_with('{');
    let parsed = if is_object {
        serde_json::from_str::<Artifact>(text).map(|artifact| artifact.abi)
    } else {
        serde_json::from_str::<JsonAbi>(text)
    };
    parsed.map_err(|e| {
        let mut message = e.to_string();
        // serde_json appends the position, which the error already states.
        let position = format!(" at line {} column {}", e.line(), e.column());
        if let Some(stripped) = message.strip_suffix(&position) {
            message = stripped.to_owned();
        }
        if is_object && message.starts_with("missing field `abi`") {
            message = "expected a JSON array of ABI entries, or a compiler artifact with an \
                       `abi` field, but found an object without `abi`"
                .to_owned();
        }
        AbiError::Json {
            contract: contract.to_owned(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })
}

/// Refuses what would make selectors wrong or ambiguous: a type that is not a
/// Solidity type, a type written in a non-canonical way (the selector is the
/// hash of the text as written, so `uint` would give a selector no contract
/// has), and two functions with one selector.
fn check_functions(contract: &str, abi: &JsonAbi) -> Result<(), AbiError> {
    // Before anything walks the types: signatures, resolution, the index.
    for function in abi.functions() {
        for param in function.inputs.iter().chain(&function.outputs) {
            nesting::check_param(param).map_err(|source| AbiError::TooDeep {
                contract: contract.to_owned(),
                function: function.name.clone(),
                source,
            })?;
        }
    }
    let mut seen: BTreeMap<[u8; 4], String> = BTreeMap::new();
    for function in abi.functions() {
        let signature = function.signature();
        let invalid = |reason: String| AbiError::InvalidFunction {
            contract: contract.to_owned(),
            function: signature.clone(),
            reason,
        };
        if !is_identifier(&function.name) {
            return Err(invalid(format!(
                "`{}` is not a valid function name",
                function.name
            )));
        }
        for (i, param) in function.inputs.iter().enumerate() {
            let declared = param.selector_type();
            let canonical =
                canonical_type(&resolve_param(param, i, "parameter").map_err(&invalid)?);
            if declared != canonical {
                return Err(invalid(format!(
                    "parameter {} is written `{declared}`; the ABI must spell it `{canonical}`, \
                     because the selector is computed from that spelling",
                    i.saturating_add(1)
                )));
            }
        }
        for (i, param) in function.outputs.iter().enumerate() {
            resolve_param(param, i, "return value").map_err(&invalid)?;
        }
        let selector = function.selector().0;
        if let Some(first) = seen.insert(selector, signature.clone()) {
            return Err(if first == signature {
                AbiError::DuplicateFunction {
                    contract: contract.to_owned(),
                    signature,
                }
            } else {
                AbiError::SelectorClash {
                    contract: contract.to_owned(),
                    selector,
                    first,
                    second: signature,
                }
            });
        }
    }
    Ok(())
}

/// The same function for a reader: name, state mutability, every
/// parameter's name and type (tuple components included), the return types.
fn same_function(a: &Function, b: &Function) -> bool {
    fn same_params(a: &[Param], b: &[Param]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.name == y.name && x.ty == y.ty && same_params(&x.components, &y.components)
            })
    }
    let types = |params: &[Param]| -> Vec<String> {
        params
            .iter()
            .map(|p| p.selector_type().into_owned())
            .collect()
    };
    a.name == b.name
        && a.state_mutability == b.state_mutability
        && same_params(&a.inputs, &b.inputs)
        && types(&a.outputs) == types(&b.outputs)
}

/// `name(type name, …) mutability`, as a reviewer compares two declarations.
fn function_text(function: &Function) -> String {
    let params: Vec<String> = function
        .inputs
        .iter()
        .map(|p| {
            if p.name.is_empty() {
                p.selector_type().into_owned()
            } else {
                format!("{} {}", p.selector_type(), p.name)
            }
        })
        .collect();
    format!(
        "{}({}) {}",
        function.name,
        params.join(", "),
        function.state_mutability.as_json_str()
    )
}

fn resolve_param(param: &Param, index: usize, what: &str) -> Result<DynSolType, String> {
    crate::abi::resolve(param).map_err(|e| {
        format!(
            "{what} {} has the type `{}`, which is not a Solidity ABI type ({e})",
            index.saturating_add(1),
            param.selector_type()
        )
    })
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The names of the functions of `abi`, sorted.
fn function_names(abi: &JsonAbi) -> Vec<String> {
    // `JsonAbi` keeps functions in a BTreeMap, so these names come sorted.
    abi.functions
        .iter()
        .filter(|(_, overloads)| !overloads.is_empty())
        .map(|(name, _)| name.clone())
        .collect()
}

/// `available`: every function name of the contract, sorted.
fn unknown_function(contract: &str, available: Vec<String>, name: &str) -> LookupError {
    LookupError::UnknownFunction {
        contract: contract.to_owned(),
        name: name.to_owned(),
        similar: similar_names(name, available.iter().map(String::as_str)),
        available,
    }
}

/// Names close to `wanted`: a small edit distance (ignoring case) or one
/// containing the other, best first.
fn similar_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    const MAX_SUGGESTIONS: usize = 8;
    let wanted_lower = wanted.to_ascii_lowercase();
    let budget = (wanted.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|name| {
            let lower = name.to_ascii_lowercase();
            let distance = edit_distance(&wanted_lower, &lower);
            let contains = wanted_lower.len() >= 3
                && (lower.contains(&wanted_lower) || wanted_lower.contains(&lower));
            (distance <= budget || contains).then_some((distance, name))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// Levenshtein distance over chars.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // The distances from a prefix of `a` to every prefix of `b`, one row per
    // character of `a`; each row starts with the length of that prefix.
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        // Distances are bounded by the string lengths: saturating never kicks in.
        let mut left = i.saturating_add(1);
        let mut current = Vec::with_capacity(previous.len());
        current.push(left);
        for ((cb, &diagonal), &up) in b.iter().zip(&previous).zip(previous.iter().skip(1)) {
            let substitution = diagonal.saturating_add(usize::from(ca != *cb));
            left = substitution
                .min(up.saturating_add(1))
                .min(left.saturating_add(1));
            current.push(left);
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(b.len())
}

/// The tail of a lookup error: close matches if any, else the full list.
fn hint(similar: &[String], available: &[String], list_label: &str) -> String {
    if !similar.is_empty() {
        format!("; did you mean {}?", quoted_list(similar))
    } else if !available.is_empty() {
        format!("; {list_label}: {}", quoted_list(available))
    } else {
        String::new()
    }
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = r#"[
      {"type":"function","name":"transfer","stateMutability":"nonpayable",
       "inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],
       "outputs":[{"name":"","type":"bool"}]},
      {"type":"function","name":"mint","stateMutability":"nonpayable",
       "inputs":[{"name":"to","type":"address"}],"outputs":[]},
      {"type":"function","name":"mint","stateMutability":"nonpayable",
       "inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[]},
      {"type":"function","name":"configure","stateMutability":"nonpayable",
       "inputs":[{"name":"items","type":"tuple[]","components":[
          {"name":"a","type":"uint256"},{"name":"b","type":"address"}]}],"outputs":[]}
    ]"#;

    fn token_registry() -> AbiRegistry {
        let mut registry = AbiRegistry::new();
        registry.add_or_override("Token", TOKEN).unwrap();
        registry
    }

    fn one_function(name: &str, inputs: &str) -> String {
        format!(
            r#"[{{"type":"function","name":"{name}","stateMutability":"nonpayable","inputs":{inputs},"outputs":[]}}]"#
        )
    }

    #[test]
    fn canonical_signature_normalises_what_people_write() {
        let cases = [
            ("transfer(address,uint256)", "transfer(address,uint256)"),
            (
                "  transfer( address , uint256 )  ",
                "transfer(address,uint256)",
            ),
            (
                "transfer(address to, uint amount)",
                "transfer(address,uint256)",
            ),
            (
                "function transfer(address to, uint256 amount) external returns (bool)",
                "transfer(address,uint256)",
            ),
            ("f((uint256,address)[])", "f((uint256,address)[])"),
            ("f(tuple(uint, address)[2])", "f((uint256,address)[2])"),
            ("f((int))", "f((int256))"),
            ("pause()", "pause()"),
            ("f(bytes32[][3], string)", "f(bytes32[][3],string)"),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_signature(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn canonical_signature_rejects_garbage() {
        let cases = [
            ("transfer(address", "parentheses do not match"),
            ("transfer(address))", "parentheses do not match"),
            ("(uint256)", "function name is missing"),
            ("transfer", "parameter list"),
            ("f(uint7)", "`uint7`, which is not a Solidity ABI type"),
            ("f(bytes33)", "`bytes33`"),
            ("f(Foo)", "`Foo`"),
            ("f(uint256,,address)", "parser error"),
        ];
        for (input, expected) in cases {
            let err = canonical_signature(input).unwrap_err();
            assert!(
                matches!(err, LookupError::InvalidSignature { .. }),
                "{input}: {err:?}"
            );
            let message = err.to_string();
            assert!(message.contains(expected), "{input}: {message}");
            assert!(!message.contains('\n'), "{input}: {message}");
        }
    }

    #[test]
    fn signatures_and_abis_nesting_past_the_limit_are_refused() {
        use crate::abi::nesting::MAX_TYPE_NESTING;
        let at = format!("f(uint8{} a)", "[]".repeat(MAX_TYPE_NESTING));
        assert!(canonical_signature(&at).is_ok());
        for deep in [
            format!("f(uint8{})", "[]".repeat(5_000)),
            format!("f({}bool{})", "(".repeat(40), ")".repeat(40)),
        ] {
            let err = canonical_signature(&deep).unwrap_err();
            assert!(matches!(err, LookupError::TooDeep(_)), "{err:?}");
            assert!(
                err.to_string().contains("type nesting limit of 32"),
                "{err}"
            );
        }
        let abi = format!(
            r#"[{{"type":"function","name":"f","inputs":[],"outputs":[{{"name":"","type":"uint8{}"}}],"stateMutability":"view"}}]"#,
            "[]".repeat(MAX_TYPE_NESTING + 1)
        );
        let err = AbiRegistry::new()
            .add_or_override("Deep", &abi)
            .unwrap_err();
        assert!(matches!(err, AbiError::TooDeep { .. }), "{err:?}");
    }

    #[test]
    fn lookup_by_name_signature_and_selector() {
        let registry = token_registry();
        let transfer = registry.function("Token", "transfer").unwrap();
        assert_eq!(transfer.signature(), "transfer(address,uint256)");
        assert_eq!(
            registry
                .function("Token", "transfer(address, uint)")
                .unwrap(),
            transfer
        );
        let configure = registry
            .function("Token", "configure(tuple(uint256,address)[])")
            .unwrap();
        assert_eq!(configure.signature(), "configure((uint256,address)[])");
        let by_selector = registry
            .function_by_selector_in("Token", [0xa9, 0x05, 0x9c, 0xbb])
            .unwrap();
        assert_eq!(by_selector, transfer);
    }

    #[test]
    fn overloaded_name_lists_candidates() {
        let err = token_registry().function("Token", "mint").unwrap_err();
        assert_eq!(
            err,
            LookupError::Overloaded {
                contract: "Token".into(),
                name: "mint".into(),
                candidates: vec!["mint(address)".into(), "mint(address,uint256)".into()],
            }
        );
        assert!(
            err.to_string()
                .contains("mint(address), mint(address,uint256)")
        );
    }

    #[test]
    fn unknown_names_suggest_close_ones_or_list_all() {
        let registry = token_registry();
        let err = registry.function("Token", "tranfser").unwrap_err();
        let LookupError::UnknownFunction { similar, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(similar, &["transfer"]);
        assert!(
            err.to_string().contains("did you mean `transfer`?"),
            "{err}"
        );

        let err = registry.function("Token", "zzz").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("its functions are: `configure`, `mint`, `transfer`"),
            "{err}"
        );

        let err = registry.function("token", "transfer").unwrap_err();
        assert!(err.to_string().contains("did you mean `Token`?"), "{err}");

        let err = registry.function("Token", "mint(uint256)").unwrap_err();
        assert!(
            matches!(err, LookupError::UnknownSignature { .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("mint(address), mint(address,uint256)")
        );

        let err = registry.function("Token", "burn(uint256)").unwrap_err();
        assert!(
            matches!(err, LookupError::UnknownFunction { .. }),
            "{err:?}"
        );

        let err = registry
            .function_by_selector_in("Token", [0, 0, 0, 0])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "contract `Token` has no function with selector 0x00000000"
        );
    }

    #[test]
    fn json_errors_name_the_contract_and_position() {
        let mut registry = AbiRegistry::new();
        let err = registry
            .add_or_override("Broken", "[\n  {\"type\": \"function\",\n   \"name\": }\n]")
            .unwrap_err();
        let AbiError::Json {
            contract,
            line,
            column,
            message,
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((contract.as_str(), *line, *column), ("Broken", 3, 12));
        assert!(!message.contains("at line"), "{message}");
        assert!(err.to_string().starts_with("the ABI of `Broken`"), "{err}");

        let err = registry
            .add_or_override("Obj", r#"{"bytecode": "0x"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("without `abi`"), "{err}");
        assert!(registry.is_empty());
    }

    #[test]
    fn compiler_artifacts_and_byte_order_marks_are_accepted() {
        let mut registry = AbiRegistry::new();
        let artifact = format!(r#"{{"contractName":"Token","abi":{TOKEN},"bytecode":"0x00"}}"#);
        registry.add_or_override("Token", &artifact).unwrap();
        registry
            .add_or_override("Bom", &format!("\u{feff}{TOKEN}"))
            .unwrap();
        assert_eq!(
            registry.contract_names().collect::<Vec<_>>(),
            ["Bom", "Token"]
        );
    }

    #[test]
    fn contract_names_must_be_identifiers() {
        let mut registry = AbiRegistry::new();
        for bad in ["", "1Token", "My Token", "a.b", "../x"] {
            let err = registry.add_or_override(bad, "[]").unwrap_err();
            assert!(
                matches!(err, AbiError::InvalidContractName { .. }),
                "{bad}: {err:?}"
            );
        }
        registry.add_or_override("_Token2", "[]").unwrap();
    }

    #[test]
    fn abis_that_would_give_wrong_or_ambiguous_selectors_are_refused() {
        let mut registry = AbiRegistry::new();
        let err = registry
            .add_or_override("A", &one_function("f", r#"[{"name":"x","type":"uint"}]"#))
            .unwrap_err();
        assert!(err.to_string().contains("must spell it `uint256`"), "{err}");

        let err = registry
            .add_or_override("A", &one_function("f", r#"[{"name":"x","type":"Foo"}]"#))
            .unwrap_err();
        assert!(matches!(err, AbiError::InvalidFunction { .. }), "{err:?}");

        let clash = r#"[
          {"type":"function","name":"burn","stateMutability":"nonpayable",
           "inputs":[{"name":"x","type":"uint256"}],"outputs":[]},
          {"type":"function","name":"collate_propagate_storage","stateMutability":"nonpayable",
           "inputs":[{"name":"x","type":"bytes16"}],"outputs":[]}
        ]"#;
        let err = registry.add_or_override("A", clash).unwrap_err();
        assert_eq!(
            err,
            AbiError::SelectorClash {
                contract: "A".into(),
                selector: [0x42, 0x96, 0x6c, 0x68],
                first: "burn(uint256)".into(),
                second: "collate_propagate_storage(bytes16)".into(),
            }
        );

        let twice = r#"[
          {"type":"function","name":"f","stateMutability":"view","inputs":[],"outputs":[]},
          {"type":"function","name":"f","stateMutability":"view","inputs":[],"outputs":[]}
        ]"#;
        let err = registry.add_or_override("A", twice).unwrap_err();
        assert!(matches!(err, AbiError::DuplicateFunction { .. }), "{err:?}");
        assert!(registry.is_empty());
    }

    #[test]
    fn override_reindexes_only_that_contract() {
        let mut registry = token_registry();
        registry.add_or_override("Other", TOKEN).unwrap();
        let transfer = [0xa9, 0x05, 0x9c, 0xbb];
        assert_eq!(registry.selector_matches(transfer).len(), 2);

        registry
            .add_or_override("Token", &one_function("pause", "[]"))
            .unwrap();
        let matches = registry.functions_by_selector(transfer);
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].contract, "Other");
        assert!(registry.function("Token", "transfer").is_err());
        assert!(registry.function("Token", "pause").is_ok());
        assert!(registry.collisions().is_empty());
    }

    #[test]
    fn collisions_need_different_signatures() {
        let mut registry = token_registry();
        registry.add_or_override("Copy", TOKEN).unwrap();
        assert!(registry.collisions().is_empty());

        registry
            .add_or_override(
                "Burner",
                &one_function("burn", r#"[{"name":"v","type":"uint256"}]"#),
            )
            .unwrap();
        registry
            .add_or_override(
                "Odd",
                &one_function(
                    "collate_propagate_storage",
                    r#"[{"name":"v","type":"bytes16"}]"#,
                ),
            )
            .unwrap();
        let collisions = registry.collisions();
        assert_eq!(
            collisions,
            [SelectorCollision {
                selector: [0x42, 0x96, 0x6c, 0x68],
                signatures: vec![
                    "burn(uint256)".into(),
                    "collate_propagate_storage(bytes16)".into()
                ],
            }]
        );
        assert_eq!(
            collisions[0].to_string(),
            "selector 0x42966c68 belongs to 2 different functions: burn(uint256), \
             collate_propagate_storage(bytes16)"
        );
    }

    /// Asserts that every lookup of `lazy` answers as `eager` does: the same
    /// contracts, functions, errors, matches in the same order, collisions.
    fn assert_same_lookups(lazy: &AbiRegistry, eager: &AbiRegistry) {
        assert_eq!(
            lazy.contract_names().collect::<Vec<_>>(),
            eager.contract_names().collect::<Vec<_>>()
        );
        assert_eq!(
            (lazy.len(), lazy.is_empty()),
            (eager.len(), eager.is_empty())
        );
        assert_eq!(
            lazy.contracts().collect::<Vec<_>>(),
            eager.contracts().collect::<Vec<_>>()
        );
        let mut selectors = std::collections::BTreeSet::from([[0u8; 4]]);
        for (name, abi) in eager.contracts() {
            assert!(lazy.has_contract(name), "{name}");
            let mut queries: Vec<String> = ["", " ", "nope", "nope()", "f(uint7)", "(", "Pause"]
                .map(str::to_owned)
                .to_vec();
            for function in abi.functions() {
                let selector = function.selector().0;
                selectors.insert(selector);
                assert_eq!(
                    lazy.function_by_selector_in(name, selector),
                    eager.function_by_selector_in(name, selector),
                    "{name}"
                );
                queries.push(function.name.clone());
                queries.push(format!(" {} ", function.signature()));
                queries.push(format!("{}(bytes7)", function.name));
            }
            for query in &queries {
                assert_eq!(
                    lazy.function(name, query),
                    eager.function(name, query),
                    "{name}.{query}"
                );
            }
            assert_eq!(
                lazy.function_by_selector_in(name, [0; 4]),
                eager.function_by_selector_in(name, [0; 4])
            );
            let lower = name.to_ascii_lowercase();
            assert!(!lazy.has_contract(&lower) || eager.has_contract(&lower));
            assert_eq!(
                lazy.function(&lower, "pause"),
                eager.function(&lower, "pause")
            );
        }
        for selector in selectors {
            assert_eq!(
                lazy.selector_matches(selector),
                eager.selector_matches(selector),
                "{}",
                selector_hex(selector)
            );
            assert_eq!(
                lazy.functions_by_selector(selector),
                eager.functions_by_selector(selector)
            );
            assert_eq!(
                lazy.distinct_signatures(selector),
                eager.distinct_signatures(selector)
            );
        }
        assert_eq!(lazy.collisions(), eager.collisions());
    }

    #[test]
    fn embedded_abis_pass_the_checks_user_files_get() {
        // `embedded` skips these at run time because they hold here, and
        // answers from its table as the files added one by one do.
        let mut eager = AbiRegistry::new();
        for (name, text) in EMBEDDED_ABIS {
            eager.add_or_override(name, text).unwrap();
        }
        let mut lazy = AbiRegistry::embedded().unwrap();
        assert_same_lookups(&lazy, &eager);
        for (_, abi) in eager.contracts() {
            for function in abi.functions() {
                assert_eq!(selector_of(&function.signature()), function.selector().0);
            }
        }

        // Added contracts replace, extend, join and collide with the
        // embedded ones as they do with added ones.
        let burn = one_function("burn", r#"[{"name":"v","type":"uint256"}]"#);
        let odd = one_function(
            "collate_propagate_storage",
            r#"[{"name":"v","type":"bytes16"}]"#,
        );
        let unpause = one_function("unpause", "[]");
        for registry in [&mut lazy, &mut eager] {
            // Around and between the embedded contracts with `unpause()`.
            for name in ["AAA", "Mmm", "Zzz", "zzz"] {
                registry.add_or_override(name, &unpause).unwrap();
            }
            registry.add_or_override("Token", TOKEN).unwrap();
            registry.add_or_override("Burner", &burn).unwrap();
            registry.add_or_override("Odd", &odd).unwrap();
            registry
                .add_or_override("SystemPause", &one_function("pauseAll", "[]"))
                .unwrap();
            registry.add_or_override("ERC20", TOKEN).unwrap();
            registry
                .extend_contract("Registry2", "JobRegistry", &one_function("extra", "[]"))
                .unwrap();
            registry
                .extend_contract("Safe", "Safe", &one_function("extra", "[]"))
                .unwrap();
        }
        assert_same_lookups(&lazy, &eager);
        assert_eq!(lazy.collisions().len(), 1);
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ab", "ba"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
