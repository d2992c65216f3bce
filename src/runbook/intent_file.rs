//! The intent file an operator writes: what must happen, for which Safe.

use alloy_primitives::{Address, U256};
use serde::Deserialize;
use toml::Spanned;

use super::deployment::{Deployment, RawDeployment};
use super::source::{InputError, Located, Location, Source, toml_error};
use crate::parse::{parse_address, parse_uint256};
use crate::safe::SafeVersion;
use crate::safe::deployments::{self, AddressType, MultiSendChoice};
use crate::safe::nonces::{NonceRange, looks_like_range, parse_nonce_range};

/// Calls per batch unless `[bundle] max_calls` says otherwise.
pub const DEFAULT_MAX_CALLS: usize = 100;
/// The most job ids one range may expand to: a typo like `1..1000000000`
/// must fail rather than build a billion calls.
pub const MAX_RANGE_LEN: u64 = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Runbook {
    pub bundle: Bundle,
    pub safe: SafeConfig,
    /// The Safe that accepts Ownable2Step transfers after a rotation.
    pub accept: Option<AcceptConfig>,
    pub deployment: DeploymentSource,
    pub intents: Vec<Located<Intent>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub name: String,
    pub description: String,
    /// Epoch milliseconds written to the batch (never the wall clock).
    pub created_at: u64,
    pub max_calls: usize,
    /// Where `max_calls` is written (the file's start when it is the default).
    pub max_calls_at: Location,
    /// `max_gas`: the most gas one Safe transaction may be estimated at;
    /// `None` for the chain's default (see `build::gas`).
    pub max_gas: Option<Located<u64>>,
    /// `gas_per_call`: the execution gas of a call the protocol profile has
    /// no figure for.
    pub gas_per_call: Option<Located<u64>>,
    /// Where the `[bundle]` table's keys start.
    pub at: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeConfig {
    pub address: Address,
    pub chain_id: u64,
    pub version: SafeVersion,
    /// The nonce of the first Safe transaction (of a range, its first nonce).
    pub nonce: u64,
    /// `nonce = "42..46"`: the batch is pre-signed at each nonce of the range
    /// (`nonce` is then its first); `None` for `nonce = 42`.
    pub nonce_range: Option<NonceRange>,
    /// Where `nonce` is written.
    pub nonce_at: Location,
    /// Current owners in `getOwners()` order; empty when not given.
    pub owners: Vec<Located<Address>>,
    pub threshold: Option<Located<u64>>,
    /// `singleton`, `deployment_type`, `multi_send_call_only`: which
    /// MultiSendCallOnly the Safe's batches go through (checked here against
    /// the chain and version; empty for the chain's default).
    pub multi_send: MultiSendChoice,
    pub at: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptConfig {
    pub nonce: u64,
    pub version: SafeVersion,
    pub at: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeploymentSource {
    /// A path relative to the intent file.
    File(Located<String>),
    Inline(Deployment),
}

/// Which modules an intent applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modules {
    All(Location),
    List(Vec<Located<String>>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Pause {
        modules: Modules,
    },
    Unpause {
        modules: Modules,
    },
    RotateGovernance {
        to: Located<String>,
        modules: Modules,
        confirm_unlabelled: bool,
    },
    RotateSigners {
        swap: Vec<(Located<String>, Located<String>)>,
        add: Vec<Located<String>>,
        remove: Vec<Located<String>>,
        threshold: Option<Located<u64>>,
    },
    RefundJobs {
        delist: Vec<Located<U256>>,
        claim_timeout: Vec<Located<U256>>,
        cancel_expired: Vec<Located<U256>>,
        finalize: Vec<Located<U256>>,
        /// Whether JobRegistry and StakeManager are paused when the batch
        /// runs, as written; `None` when the file does not say.
        system_paused: Option<Located<bool>>,
    },
    Call {
        contract: Located<String>,
        function: Located<String>,
        args: Option<Located<toml::Value>>,
        /// Wei sent with the call, where `value` is written (the intent's
        /// place when it is not).
        value: Located<U256>,
        /// The function name written to confirm a Safe administration call
        /// (`enableModule`, `setGuard`, …), as written.
        confirm: Option<Located<String>>,
    },
}

impl Intent {
    pub fn kind(&self) -> &'static str {
        match self {
            Intent::Pause { .. } => "pause",
            Intent::Unpause { .. } => "unpause",
            Intent::RotateGovernance { .. } => "rotate-governance",
            Intent::RotateSigners { .. } => "rotate-signers",
            Intent::RefundJobs { .. } => "refund-jobs",
            Intent::Call { .. } => "call",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRunbook {
    bundle: Spanned<RawBundle>,
    safe: Spanned<RawSafe>,
    accept: Option<Spanned<RawAccept>>,
    deployment: Spanned<RawDeploymentRef>,
    #[serde(default, rename = "intent")]
    intents: Vec<Spanned<RawIntent>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBundle {
    name: Spanned<String>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    created_at: Spanned<toml::Value>,
    max_calls: Option<Spanned<toml::Value>>,
    max_gas: Option<Spanned<toml::Value>>,
    gas_per_call: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSafe {
    address: Spanned<String>,
    chain_id: Spanned<toml::Value>,
    version: Spanned<String>,
    nonce: Spanned<toml::Value>,
    #[serde(default)]
    owners: Vec<Spanned<String>>,
    threshold: Option<Spanned<toml::Value>>,
    singleton: Option<Spanned<String>>,
    deployment_type: Option<Spanned<String>>,
    multi_send_call_only: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccept {
    nonce: Spanned<toml::Value>,
    version: Spanned<String>,
}

/// `[deployment]`: either `file = "…"` or the deployment's own keys inline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeploymentRef {
    file: Option<Spanned<String>>,
    chain_id: Option<Spanned<i64>>,
    layout: Option<Spanned<String>>,
    contracts: Option<std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    other_contracts: Option<std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    labels: Option<std::collections::BTreeMap<Spanned<String>, Spanned<String>>>,
    absent: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSwap {
    old: Spanned<String>,
    new: Spanned<String>,
}

/// Every key any intent kind takes; which ones a kind accepts is checked after.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    kind: Spanned<String>,
    modules: Option<Spanned<RawModules>>,
    to: Option<Spanned<String>>,
    confirm_unlabelled: Option<Spanned<bool>>,
    swap: Option<Spanned<Vec<Spanned<RawSwap>>>>,
    add: Option<Spanned<Vec<Spanned<String>>>>,
    remove: Option<Spanned<Vec<Spanned<String>>>>,
    threshold: Option<Spanned<toml::Value>>,
    delist: Option<Spanned<RawIds>>,
    claim_timeout: Option<Spanned<RawIds>>,
    cancel_expired: Option<Spanned<RawIds>>,
    finalize: Option<Spanned<RawIds>>,
    system_paused: Option<Spanned<bool>>,
    contract: Option<Spanned<String>>,
    function: Option<Spanned<String>>,
    args: Option<Spanned<toml::Value>>,
    value: Option<Spanned<toml::Value>>,
    confirm: Option<Spanned<String>>,
}

struct Ctx<'a> {
    source: &'a Source,
}

impl Ctx<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        self.source.span_location(&spanned.span())
    }

    fn located<T: Clone>(&self, spanned: &Spanned<T>) -> Located<T> {
        Located::new(spanned.get_ref().clone(), self.at(spanned))
    }

    fn err<T, S>(&self, spanned: &Spanned<S>, message: impl Into<String>) -> Result<T, InputError> {
        Err(InputError::new(self.at(spanned), message))
    }

    /// A whole number written as a TOML integer. A number in quotes is the
    /// usual slip: the error shows the line to write instead.
    fn integer(&self, value: &Spanned<toml::Value>, key: &str) -> Result<i64, InputError> {
        match value.get_ref() {
            toml::Value::Integer(n) => Ok(*n),
            toml::Value::String(text) => match parse_uint256(text.trim()) {
                Ok(n) => self.err(
                    value,
                    format!("{key} must be a number, not the string {text:?}: write {key} = {n}"),
                ),
                Err(_) => self.err(
                    value,
                    format!("{key} must be a number, not the string {text:?}"),
                ),
            },
            other => self.err(
                value,
                format!("{key} must be a whole number, not a {}", other.type_str()),
            ),
        }
    }

    fn non_negative(&self, n: &Spanned<toml::Value>, what: &str) -> Result<u64, InputError> {
        let key = what.rsplit(' ').next().unwrap_or(what);
        u64::try_from(self.integer(n, key)?)
            .or_else(|_| self.err(n, format!("{what} must not be negative")))
    }

    fn version(&self, text: &Spanned<String>) -> Result<SafeVersion, InputError> {
        text.get_ref()
            .parse()
            .or_else(|e: crate::safe::UnsupportedSafeVersion| self.err(text, e.to_string()))
    }

    fn address(&self, text: &Spanned<String>, what: &str) -> Result<Address, InputError> {
        parse_address(text.get_ref()).or_else(|e| self.err(text, format!("{what}: {e}")))
    }
}

/// Parses an intent file. A `[deployment] file` is returned as a path for the
/// caller to read; an inline deployment is parsed here.
pub fn parse_runbook(source: &Source) -> Result<Runbook, InputError> {
    let raw: RawRunbook = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
    let cx = Ctx { source };

    let bundle_at = cx.at(&raw.bundle);
    let raw_bundle = raw.bundle.into_inner();
    let created_at = cx.non_negative(&raw_bundle.created_at, "created_at")?;
    let (max_calls, max_calls_at) = match &raw_bundle.max_calls {
        None => (DEFAULT_MAX_CALLS, source.location(0)),
        Some(n) => match usize::try_from(cx.integer(n, "max_calls")?) {
            Ok(count) if count > 0 => (count, cx.at(n)),
            _ => return cx.err(n, "max_calls must be a positive integer"),
        },
    };
    let gas = |key: &Option<Spanned<toml::Value>>, what: &str| match key {
        None => Ok(None),
        Some(n) => {
            let value = cx.integer(n, what)?;
            match u64::try_from(value) {
                Ok(gas) if gas > 0 => Ok(Some(cx.located(n).map(|_| gas))),
                _ => cx.err(
                    n,
                    format!("{what} must be a positive number of gas units, not {value}"),
                ),
            }
        }
    };
    let max_gas = gas(&raw_bundle.max_gas, "max_gas")?;
    let gas_per_call = gas(&raw_bundle.gas_per_call, "gas_per_call")?;
    // Both are written into every batch (`meta.name`, `meta.description`),
    // where Safe{Wallet} shows them, and into the manifest. The description
    // may have line breaks: JSON writes them as `\n`.
    source.refuse_unsafe_text(
        &raw_bundle.name.span(),
        raw_bundle.name.get_ref(),
        "[bundle] name",
        &[],
    )?;
    if let Some(description) = &raw_bundle.description {
        source.refuse_unsafe_text(
            &description.span(),
            description.get_ref(),
            "[bundle] description",
            &['\n'],
        )?;
    }
    let bundle = Bundle {
        name: raw_bundle.name.into_inner(),
        description: raw_bundle
            .description
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        at: bundle_at,
        created_at,
        max_calls,
        max_calls_at,
        max_gas,
        gas_per_call,
    };

    let safe_raw = raw.safe.get_ref();
    // A chain by name (`chain_id = "base"`), as `--chain` takes it; a number
    // in quotes stays the slip `integer` explains.
    let chain_id = match safe_raw.chain_id.get_ref() {
        toml::Value::String(name) if parse_uint256(name.trim()).is_err() => {
            crate::safe::chains::parse_chain(name)
                .or_else(|e| cx.err(&safe_raw.chain_id, format!("chain_id: {e}")))?
        }
        _ => cx.non_negative(&safe_raw.chain_id, "chain_id")?,
    };
    if chain_id == 0 {
        return cx.err(&safe_raw.chain_id, "chain_id must be positive");
    }
    let mut owners = Vec::with_capacity(safe_raw.owners.len());
    for owner in &safe_raw.owners {
        let address = cx.address(owner, "owner")?;
        if owners.iter().any(|o: &Located<Address>| o.value == address) {
            return cx.err(owner, format!("owner {address} is listed twice"));
        }
        owners.push(Located::new(address, cx.at(owner)));
    }
    let threshold = match &safe_raw.threshold {
        None => None,
        Some(t) => Some(Located::new(cx.non_negative(t, "threshold")?, cx.at(t))),
    };
    let version = cx.version(&safe_raw.version)?;
    let multi_send = multi_send_choice(&cx, safe_raw, version, chain_id)?;
    let (nonce, nonce_range) = safe_nonce(&cx, &safe_raw.nonce)?;
    let safe = SafeConfig {
        address: cx.address(&safe_raw.address, "address")?,
        chain_id,
        version,
        nonce,
        nonce_range,
        nonce_at: cx.at(&safe_raw.nonce),
        owners,
        threshold,
        multi_send,
        at: cx.at(&raw.safe),
    };

    let accept = match &raw.accept {
        None => None,
        Some(accept) => Some(AcceptConfig {
            nonce: cx.non_negative(&accept.get_ref().nonce, "accept nonce")?,
            version: cx.version(&accept.get_ref().version)?,
            at: cx.at(accept),
        }),
    };

    let deployment = deployment_source(&cx, raw.deployment)?;

    let mut intents = Vec::with_capacity(raw.intents.len());
    for intent in &raw.intents {
        intents.push(Located::new(parse_intent(&cx, intent)?, cx.at(intent)));
    }
    if intents.is_empty() {
        return Err(InputError::new(
            source.location(source.text.len()),
            "the file has no [[intent]]: nothing to build",
        ));
    }
    Ok(Runbook {
        bundle,
        safe,
        accept,
        deployment,
        intents,
    })
}

/// `[safe] nonce`: a whole number, or a string `"first..last"` for the same
/// batch pre-signed at each nonce of that range (see `safe::nonces`).
fn safe_nonce(
    cx: &Ctx,
    nonce: &Spanned<toml::Value>,
) -> Result<(u64, Option<NonceRange>), InputError> {
    match nonce.get_ref() {
        toml::Value::String(text) if looks_like_range(text) => {
            let range = parse_nonce_range(text).or_else(|e| cx.err(nonce, e.to_string()))?;
            Ok((range.first(), Some(range)))
        }
        toml::Value::String(text) if parse_uint256(text.trim()).is_err() => cx.err(
            nonce,
            format!(
                "nonce must be a number (nonce = 42), or a string with a range of nonces to pre-sign \
                 the batch at each of them (nonce = \"42..46\", both ends included), not {text:?}{}",
                nonce_range_hint(text)
            ),
        ),
        _ => Ok((cx.non_negative(nonce, "nonce")?, None)),
    }
}

/// How to write a nonce range written in another notation ("42-46").
fn nonce_range_hint(text: &str) -> String {
    let text = text.trim();
    ["-", "\u{2013}", "\u{2014}", ":", " to "]
        .iter()
        .find_map(|sep| text.split_once(sep))
        .map(|(from, to)| (from.trim(), to.trim()))
        .filter(|(from, to)| from.parse::<u64>().is_ok() && to.parse::<u64>().is_ok())
        .map_or_else(String::new, |(from, to)| {
            format!(": write \"{from}..{to}\"")
        })
}

/// `[safe] singleton`, `deployment_type` and `multi_send_call_only`, each
/// checked against the chain and version where it is written.
fn multi_send_choice(
    cx: &Ctx,
    raw: &RawSafe,
    version: SafeVersion,
    chain_id: u64,
) -> Result<MultiSendChoice, InputError> {
    let from_singleton = match &raw.singleton {
        None => None,
        Some(text) => {
            let singleton = cx.address(text, "singleton")?;
            let address_type = deployments::singleton_type(version, chain_id, singleton)
                .or_else(|e| cx.err(text, e.to_string()))?;
            Some((address_type, text))
        }
    };
    let given_type = match &raw.deployment_type {
        None => None,
        Some(text) => {
            let address_type: AddressType = text
                .get_ref()
                .parse()
                .or_else(|e: String| cx.err(text, format!("deployment_type: {e}")))?;
            if let Some((found, singleton)) = from_singleton
                && found != address_type
            {
                return cx.err(
                    text,
                    format!(
                        "deployment_type is {}, but singleton {} is a {} master copy: the two disagree; keep one",
                        address_type.name(),
                        singleton.get_ref(),
                        found.name()
                    ),
                );
            }
            Some((address_type, text))
        }
    };
    let address = match &raw.multi_send_call_only {
        None => None,
        Some(text) => Some(cx.address(text, "multi_send_call_only")?),
    };
    let choice = MultiSendChoice {
        deployment_type: given_type.or(from_singleton).map(|(t, _)| t),
        address,
    };
    if choice != MultiSendChoice::default() {
        // Point at the key that decided: the address, else the type.
        let at = raw
            .multi_send_call_only
            .as_ref()
            .or(given_type.map(|(_, text)| text))
            .or(from_singleton.map(|(_, text)| text));
        if let (Err(e), Some(at)) = (
            deployments::choose_multi_send_call_only(version, chain_id, choice),
            at,
        ) {
            return cx.err(at, e.to_string());
        }
    }
    Ok(choice)
}

fn deployment_source(
    cx: &Ctx,
    raw: Spanned<RawDeploymentRef>,
) -> Result<DeploymentSource, InputError> {
    let at = cx.at(&raw);
    let span = raw.span();
    let inner = raw.into_inner();
    if let Some(file) = inner.file {
        if inner.chain_id.is_some()
            || inner.layout.is_some()
            || inner.contracts.is_some()
            || inner.other_contracts.is_some()
            || inner.labels.is_some()
            || inner.absent.is_some()
        {
            return Err(InputError::new(
                at,
                "[deployment] has `file` and inline keys: use one or the other",
            ));
        }
        // The path is written into the manifest's `inputs`.
        cx.source
            .refuse_unsafe_text(&file.span(), file.get_ref(), "[deployment] file", &[])?;
        return Ok(DeploymentSource::File(cx.located(&file)));
    }
    let (Some(chain_id), Some(layout)) = (inner.chain_id, inner.layout) else {
        return Err(InputError::new(
            at,
            "[deployment] needs `file = \"…\"`, or inline `chain_id`, `layout` and `[deployment.contracts]`",
        ));
    };
    let _ = span;
    let raw = RawDeployment {
        chain_id,
        layout,
        contracts: inner.contracts.unwrap_or_default(),
        other_contracts: inner.other_contracts.unwrap_or_default(),
        labels: inner.labels.unwrap_or_default(),
        absent: inner.absent.unwrap_or_default(),
    };
    Ok(DeploymentSource::Inline(
        raw.into_deployment(cx.source, true)?,
    ))
}

/// The keys each kind accepts besides `kind`.
fn allowed_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "pause" | "unpause" => &["modules"],
        "rotate-governance" => &["to", "modules", "confirm_unlabelled"],
        "rotate-signers" => &["swap", "add", "remove", "threshold"],
        "refund-jobs" => &[
            "delist",
            "claim_timeout",
            "cancel_expired",
            "finalize",
            "system_paused",
        ],
        "call" => &["contract", "function", "args", "value", "confirm"],
        _ => return None,
    })
}

const KINDS: &str = "pause, unpause, rotate-governance, rotate-signers, refund-jobs, call";

fn parse_intent(cx: &Ctx, spanned: &Spanned<RawIntent>) -> Result<Intent, InputError> {
    let raw = spanned.get_ref();
    let kind = raw.kind.get_ref().as_str();
    let Some(allowed) = allowed_keys(kind) else {
        return cx.err(
            &raw.kind,
            format!("unknown intent kind `{kind}`; expected one of {KINDS}"),
        );
    };
    let present: [(&str, Option<std::ops::Range<usize>>); 18] = [
        ("modules", raw.modules.as_ref().map(|v| v.span())),
        ("to", raw.to.as_ref().map(|v| v.span())),
        (
            "confirm_unlabelled",
            raw.confirm_unlabelled.as_ref().map(|v| v.span()),
        ),
        ("swap", raw.swap.as_ref().map(|v| v.span())),
        ("add", raw.add.as_ref().map(|v| v.span())),
        ("remove", raw.remove.as_ref().map(|v| v.span())),
        ("threshold", raw.threshold.as_ref().map(|v| v.span())),
        ("delist", raw.delist.as_ref().map(|v| v.span())),
        (
            "claim_timeout",
            raw.claim_timeout.as_ref().map(|v| v.span()),
        ),
        (
            "cancel_expired",
            raw.cancel_expired.as_ref().map(|v| v.span()),
        ),
        ("finalize", raw.finalize.as_ref().map(|v| v.span())),
        (
            "system_paused",
            raw.system_paused.as_ref().map(|v| v.span()),
        ),
        ("contract", raw.contract.as_ref().map(|v| v.span())),
        ("function", raw.function.as_ref().map(|v| v.span())),
        ("args", raw.args.as_ref().map(|v| v.span())),
        ("value", raw.value.as_ref().map(|v| v.span())),
        ("confirm", raw.confirm.as_ref().map(|v| v.span())),
        ("kind", None),
    ];
    for (key, span) in &present {
        if let Some(span) = span
            && !allowed.contains(key)
        {
            return Err(InputError::new(
                cx.source.span_location(span),
                format!(
                    "`{key}` does not apply to a `{kind}` intent; it takes: {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    let missing =
        |key: &str| InputError::new(cx.at(spanned), format!("a `{kind}` intent needs `{key}`"));

    Ok(match kind {
        "pause" | "unpause" => {
            let modules = modules(cx, raw.modules.as_ref().ok_or_else(|| missing("modules"))?)?;
            if kind == "pause" {
                Intent::Pause { modules }
            } else {
                Intent::Unpause { modules }
            }
        }
        "rotate-governance" => Intent::RotateGovernance {
            to: cx.located(raw.to.as_ref().ok_or_else(|| missing("to"))?),
            modules: modules(cx, raw.modules.as_ref().ok_or_else(|| missing("modules"))?)?,
            confirm_unlabelled: raw
                .confirm_unlabelled
                .as_ref()
                .is_some_and(|b| *b.get_ref()),
        },
        "rotate-signers" => {
            let list = |v: &Option<Spanned<Vec<Spanned<String>>>>| -> Vec<Located<String>> {
                v.as_ref()
                    .map(|items| items.get_ref().iter().map(|s| cx.located(s)).collect())
                    .unwrap_or_default()
            };
            let swap = raw
                .swap
                .as_ref()
                .map(|items| {
                    items
                        .get_ref()
                        .iter()
                        .map(|s| (cx.located(&s.get_ref().old), cx.located(&s.get_ref().new)))
                        .collect()
                })
                .unwrap_or_default();
            let threshold = match &raw.threshold {
                None => None,
                Some(t) => Some(Located::new(cx.non_negative(t, "threshold")?, cx.at(t))),
            };
            let intent = Intent::RotateSigners {
                swap,
                add: list(&raw.add),
                remove: list(&raw.remove),
                threshold,
            };
            if let Intent::RotateSigners {
                swap,
                add,
                remove,
                threshold,
            } = &intent
                && swap.is_empty()
                && add.is_empty()
                && remove.is_empty()
                && threshold.is_none()
            {
                return Err(InputError::new(
                    cx.at(spanned),
                    "a `rotate-signers` intent needs at least one of `swap`, `add`, `remove`, `threshold`",
                ));
            }
            intent
        }
        "refund-jobs" => {
            let mut seen = std::collections::BTreeMap::<U256, Location>::new();
            let mut ids = |v: &Option<Spanned<RawIds>>| -> Result<Vec<Located<U256>>, InputError> {
                let mut out = Vec::new();
                for item in v.as_ref().map(RawIds::items).unwrap_or_default().iter() {
                    // Every id of a range has the range's place: found once.
                    let at = cx.at(item);
                    for id in job_ids(cx, item)? {
                        if let Some(first) = seen.insert(id, at.clone()) {
                            return cx
                                .err(item, format!("job {id} is listed twice (first at {first})"));
                        }
                        out.push(Located::new(id, at.clone()));
                    }
                }
                Ok(out)
            };
            let intent = Intent::RefundJobs {
                delist: ids(&raw.delist)?,
                claim_timeout: ids(&raw.claim_timeout)?,
                cancel_expired: ids(&raw.cancel_expired)?,
                finalize: ids(&raw.finalize)?,
                system_paused: raw.system_paused.as_ref().map(|b| cx.located(b)),
            };
            if seen.is_empty() {
                return Err(InputError::new(
                    cx.at(spanned),
                    "a `refund-jobs` intent needs job ids in `delist`, `claim_timeout`, `cancel_expired` or `finalize`",
                ));
            }
            intent
        }
        "call" => Intent::Call {
            contract: cx.located(raw.contract.as_ref().ok_or_else(|| missing("contract"))?),
            function: cx.located(raw.function.as_ref().ok_or_else(|| missing("function"))?),
            args: match &raw.args {
                None => None,
                Some(args) => {
                    // Strings in `args` are written into the batch
                    // (`contractInputsValues`) and the summary.
                    refuse_unsafe_strings(cx, &args.span(), args.get_ref())?;
                    Some(cx.located(args))
                }
            },
            value: match &raw.value {
                None => Located::new(U256::ZERO, cx.at(spanned)),
                Some(v) => Located::new(wei(cx, v)?, cx.at(v)),
            },
            confirm: raw.confirm.as_ref().map(|c| cx.located(c)),
        },
        _ => unknown_kind(cx, &raw.kind)?,
    })
}

/// Every string (and table key) in a `call`'s `args`, at any depth, held to
/// [`Source::refuse_unsafe_text`].
fn refuse_unsafe_strings(
    cx: &Ctx,
    span: &std::ops::Range<usize>,
    value: &toml::Value,
) -> Result<(), InputError> {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            toml::Value::String(text) => {
                cx.source
                    .refuse_unsafe_text(span, text, "a string in `args`", &[])?;
            }
            toml::Value::Array(items) => stack.extend(items.iter().rev()),
            toml::Value::Table(table) => {
                for (key, item) in table.iter().rev() {
                    cx.source
                        .refuse_unsafe_text(span, key, "a key in `args`", &[])?;
                    stack.push(item);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn unknown_kind(cx: &Ctx, kind: &Spanned<String>) -> Result<Intent, InputError> {
    cx.err(
        kind,
        format!(
            "unknown intent kind `{}`; expected one of {KINDS}",
            kind.get_ref()
        ),
    )
}

/// `modules = "all"` or a list of names, each name keeping its own place.
/// A hand-written visitor, because serde's untagged enums buffer their input
/// and lose the spans.
#[derive(Debug)]
enum RawModules {
    Word(String),
    List(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawModules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawModules;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("\"all\" or a list of contract names")
            }

            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<RawModules, E> {
                Ok(RawModules::Word(word.to_string()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawModules, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<String>>()? {
                    names.push(name);
                }
                Ok(RawModules::List(names))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A refund key's job ids: a list of ids and ranges, or one of them alone
/// (`delist = "1..500"` and `delist = 42` mean `["1..500"]` and `[42]`).
#[derive(Debug)]
enum RawIds {
    One(toml::Value),
    List(Vec<Spanned<toml::Value>>),
}

impl RawIds {
    /// The ids and ranges, each with its place (a lone one has the key's).
    fn items(spanned: &Spanned<RawIds>) -> Vec<Spanned<toml::Value>> {
        match spanned.get_ref() {
            RawIds::One(value) => vec![Spanned::new(spanned.span(), value.clone())],
            RawIds::List(items) => items.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for RawIds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawIds;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a job id, a \"from..to\" range, or a list of them such as [101, \"104..106\"]",
                )
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawIds, E> {
                Ok(RawIds::One(toml::Value::String(text.to_string())))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawIds, E> {
                Ok(RawIds::One(toml::Value::Integer(n)))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawIds, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<toml::Value>>()? {
                    items.push(item);
                }
                Ok(RawIds::List(items))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn modules(cx: &Ctx, value: &Spanned<RawModules>) -> Result<Modules, InputError> {
    match value.get_ref() {
        RawModules::Word(word) if word == "all" => Ok(Modules::All(cx.at(value))),
        RawModules::List(items) if !items.is_empty() => {
            let mut names: Vec<Located<String>> = Vec::with_capacity(items.len());
            for item in items {
                if names.iter().any(|n| n.value == *item.get_ref()) {
                    return cx.err(item, format!("module `{}` is listed twice", item.get_ref()));
                }
                names.push(cx.located(item));
            }
            Ok(Modules::List(names))
        }
        _ => cx.err(
            value,
            "`modules` must be \"all\" or a non-empty list of contract names",
        ),
    }
}

/// A job id, or an inclusive `"from..to"` range of them.
fn job_ids(cx: &Ctx, item: &Spanned<toml::Value>) -> Result<Vec<U256>, InputError> {
    match item.get_ref() {
        toml::Value::Integer(n) => match u64::try_from(*n) {
            Ok(n) => Ok(vec![U256::from(n)]),
            Err(_) => cx.err(item, "a job id must not be negative"),
        },
        toml::Value::String(text) => {
            if let Some((from, to)) = text.split_once("..") {
                let bound = |s: &str| {
                    parse_uint256(s.trim())
                        .or_else(|e| cx.err(item, format!("job range `{text}`: {e}")))
                };
                let (from, to) = (bound(from)?, bound(to)?);
                let Some(len) = to.checked_sub(from) else {
                    return cx.err(item, format!("job range `{text}` runs backwards"));
                };
                let len = match u64::try_from(len) {
                    Ok(len) if len < MAX_RANGE_LEN => len,
                    _ => {
                        return cx.err(
                            item,
                            format!("job range `{text}` covers more than {MAX_RANGE_LEN} jobs; split it or check for a typo"),
                        );
                    }
                };
                // At most `to`: no overflow.
                Ok((0..=len)
                    .map(|i| from.saturating_add(U256::from(i)))
                    .collect())
            } else {
                parse_uint256(text.trim())
                    .map(|id| vec![id])
                    .or_else(|e| cx.err(item, format!("job id: {e}{}", range_hint(text))))
            }
        }
        _ => cx.err(
            item,
            "a job id is an integer or a \"from..to\" range (both ends included)",
        ),
    }
}

/// How to write what looks like a range in another notation ("1-500").
fn range_hint(text: &str) -> String {
    let text = text.trim();
    let split = ["-", "\u{2013}", "\u{2014}", ":", " to "]
        .iter()
        .find_map(|sep| text.split_once(sep))
        .map(|(from, to)| (from.trim(), to.trim()));
    match split {
        Some((from, to)) if parse_uint256(from).is_ok() && parse_uint256(to).is_ok() => {
            format!(
                "; ranges are written \"from..to\" (both ends included): write \"{from}..{to}\""
            )
        }
        _ => "; a job id is a number, and ranges are written \"from..to\" (both ends included)"
            .to_owned(),
    }
}

fn wei(cx: &Ctx, value: &Spanned<toml::Value>) -> Result<U256, InputError> {
    match value.get_ref() {
        toml::Value::Integer(n) => u64::try_from(*n)
            .map(U256::from)
            .or_else(|_| cx.err(value, "value must not be negative")),
        toml::Value::String(text) => {
            parse_uint256(text).or_else(|e| cx.err(value, format!("value: {e}")))
        }
        _ => cx.err(value, "value is wei, as an integer or a decimal string"),
    }
}
