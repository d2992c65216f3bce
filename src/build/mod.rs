//! From a plan to the files a build writes: Transaction Builder batches (split
//! into chunks), the Safe transaction each one becomes, its hashes, and the
//! manifest that records all of it.
//!
//! [`build`] is pure: it takes the parsed intent file, its deployment, the
//! plan, the ABI registry the plan was made with and the input files' names
//! and bytes, and returns every output file's name and contents. The caller
//! writes them. The same request always gives the same bytes. It is
//! [`plan_batches`], the batches laid out with nothing rendered (what
//! `verify --intent` compares a batch with), then [`render`].
//!
//! For an intent file with stem `pause` the outputs are:
//! - `pause.json`, or `pause.1.json`, `pause.2.json`, … when the plan has more
//!   than `[bundle] max_calls` calls: the batches for `[safe]`, with
//!   consecutive nonces from `[safe] nonce` (see [`chunk`]);
//! - `pause.accept.json` (or `pause.accept.1.json`, …) when the plan has
//!   `acceptOwnership()` calls: a batch for the new owner Safe, from its
//!   `[accept] nonce`;
//! - beside each batch, `<batch stem>.typed.json`, its Safe transaction as
//!   EIP-712 typed data for `eth_signTypedData_v4` (`safe::typed_data`), and
//!   `<batch stem>.proposal.json`, the body that proposes it to the Safe
//!   Transaction Service (`safe::proposal`): `pause.typed.json`,
//!   `unpause.1.proposal.json`, `rotate-governance.accept.typed.json`;
//! - with `[safe] nonce = "42..46"` (one Safe transaction pre-signed at each
//!   nonce of the range), the batch once and, per nonce,
//!   `pause.nonce-42.typed.json` and `pause.nonce-42.proposal.json`;
//! - `pause.safe.json`: the manifest (see [`manifest`]).

pub mod chunk;
pub mod gas;
pub mod manifest;
mod output;
pub mod transaction;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256, hex, keccak256};

use crate::abi::registry::{AbiRegistry, embedded_abi_keccak256};
use crate::address_book::AddressBook;
use crate::decode::{CallSite, DecodeError, Decoder};
use crate::plan::{Plan, PlannedCall};
use crate::runbook::{Deployment, InputError, Location, Runbook};
use crate::safe::batching::{BatchingError, Call, multi_send_for, safe_tx_for_calls};
use crate::safe::deployments::MultiSendChoice;
use crate::safe::proposal::Proposal;
use crate::safe::typed_data::safe_tx_typed_data;
use crate::safe::view::{self, SafeTxView};
use crate::safe::{NonceRange, Operation, SafeTx, SafeVersion, safe_tx_hashes};
use crate::txbuilder::{BatchFile, BatchMeta, BatchTransaction, ContractMethod};

pub use chunk::{Chunk, ChunkError, Limits, batch_gas, chunk_calls, chunk_steps};
pub use gas::{GasModel, MaxGasSource};
pub use manifest::Manifest;
pub use output::{JsonDocument, JsonOutput, OutputContents, WriteOutputError};
pub use transaction::{TransactionError, batch_transaction, encode_contract_inputs};

/// An input file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// How the manifest names it (see [`manifest`] for the convention).
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where an ABI file that replaced or added a registry entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbiOrigin {
    /// `contracts.X = { address, abi = "…" }` in the deployment.
    Deployment,
    /// `--abi-dir`.
    AbiDir,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiFile {
    pub file: InputFile,
    pub origin: AbiOrigin,
}

/// The files a build read, for the manifest's `inputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub intent: InputFile,
    /// `None` when the deployment is inline in the intent file.
    pub deployment: Option<InputFile>,
    /// The ABI files loaded into the registry, by the contract name they are
    /// registered under. ABIs not listed here are the embedded ones.
    pub abis: BTreeMap<String, AbiFile>,
}

/// Everything one intent file's build needs.
#[derive(Debug, Clone, Copy)]
pub struct BuildRequest<'a> {
    /// Output names start with it: the intent file's name without `.toml`.
    pub stem: &'a str,
    pub runbook: &'a Runbook,
    pub deployment: &'a Deployment,
    pub plan: &'a Plan,
    /// The registry the plan was made with; the manifest decodes with it.
    pub registry: &'a AbiRegistry,
    pub inputs: &'a Inputs,
    /// Written into the manifest.
    pub bundlec_version: &'a str,
}

/// A file the build produces; `name` has no directory part.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub name: String,
    pub contents: OutputContents,
    /// What a batch file holds, for the caller's summary; `None` for every
    /// other file.
    pub batch: Option<BatchSummary>,
    pub role: OutputRole,
}

/// What an output file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputRole {
    /// A Transaction Builder batch.
    Batch,
    /// The manifest `<stem>.safe.json`.
    Manifest,
    /// A Safe transaction as EIP-712 typed data, at this nonce.
    TypedData { nonce: u64 },
    /// A Safe Transaction Service proposal body, at this nonce.
    Proposal { nonce: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    pub kind: BatchKind,
    /// The Safe that proposes and executes it.
    pub safe: Address,
    pub nonce: u64,
    pub calls: usize,
    /// The Safe transaction's estimated gas (see [`gas`]).
    pub gas: u64,
    pub safe_tx_hash: B256,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    /// Calls of `[safe]`.
    Main,
    /// `acceptOwnership()` calls of the new owner after an Ownable2Step transfer.
    Accept,
}

impl BatchKind {
    pub fn name(self) -> &'static str {
        match self {
            BatchKind::Main => "main",
            BatchKind::Accept => "accept",
        }
    }
}

/// Why a plan cannot be laid out as batch files. Each error starts with the
/// place in the intent file it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{at}: {source}")]
    Chunk { at: Location, source: ChunkError },
    #[error("{at}: {file} cannot be proposed: {source}")]
    Batching {
        at: Location,
        file: String,
        source: BatchingError,
    },
    #[error("{at}: {file}, transaction {index} ({summary}): {source}")]
    Transaction {
        at: Location,
        file: String,
        index: usize,
        summary: String,
        source: Box<TransactionError>,
    },
    #[error("{at}: {file}: the manifest cannot decode the batch: {source}")]
    Decode {
        at: Location,
        file: String,
        source: Box<DecodeError>,
    },
    /// An output would carry a bidi control, invisible or control character
    /// from an input (an ABI's names, a label): refused, as for `[bundle] name`.
    #[error(
        "{at}: {file} would contain {code_point} ({kind}) from this input: bundlec writes no bidi \
         control, invisible or control character from its input into a batch or manifest, where \
         Safe{{Wallet}} would show it; remove it"
    )]
    UnsafeText {
        at: Location,
        file: String,
        code_point: String,
        kind: &'static str,
    },
    /// An output could not be serialized (not expected: see
    /// [`crate::txbuilder::WriteError`]).
    #[error("{at}: {file} cannot be written: {message}")]
    Serialize {
        at: Location,
        file: String,
        message: String,
    },
}

impl BuildError {
    /// The place in an input file the error concerns.
    pub fn location(&self) -> &Location {
        match self {
            BuildError::Input(e) => &e.at,
            BuildError::Chunk { at, .. }
            | BuildError::Batching { at, .. }
            | BuildError::Transaction { at, .. }
            | BuildError::Decode { at, .. }
            | BuildError::UnsafeText { at, .. }
            | BuildError::Serialize { at, .. } => at,
        }
    }
}

/// The output file names for `stem`.
pub fn batch_file_name(stem: &str, kind: BatchKind, part: usize, parts: usize) -> String {
    let kind = match kind {
        BatchKind::Main => String::new(),
        BatchKind::Accept => ".accept".to_string(),
    };
    if parts == 1 {
        format!("{stem}{kind}.json")
    } else {
        format!("{stem}{kind}.{part}.json")
    }
}

pub fn manifest_file_name(stem: &str) -> String {
    format!("{stem}.safe.json")
}

/// The endings of the files written beside a batch (`pause.json` ->
/// `pause.typed.json`, `pause.proposal.json`).
pub const COMPANION_ENDINGS: [&str; 2] = [".typed", ".proposal"];

/// The files written beside the batch `batch_file` for the Safe transaction
/// at `nonce`: `(typed data, proposal)`. `in_range` for a nonce of a
/// `[safe] nonce` range, whose files carry the nonce
/// (`pause.nonce-42.typed.json`).
pub fn companion_file_names(batch_file: &str, nonce: u64, in_range: bool) -> (String, String) {
    let stem = batch_file.strip_suffix(".json").unwrap_or(batch_file);
    let stem = if in_range {
        format!("{stem}.nonce-{nonce}")
    } else {
        stem.to_owned()
    };
    (
        format!("{stem}.typed.json"),
        format!("{stem}.proposal.json"),
    )
}

/// What follows a runbook's name in the names of its outputs, `.json` aside:
/// nothing, `.<part>`, `.accept`, `.accept.<part>` and `.safe`. Two runbooks
/// in one folder can write a file of the same name only when one's name is
/// the other's followed by one of these, or when the names differ only in
/// letter case (one file on case-insensitive file systems).
fn is_output_ending(rest: &str) -> bool {
    // A batch's typed data or proposal: what follows is a batch's ending, or
    // `.nonce-<digits>` for one nonce of a range.
    if let Some(batch) = COMPANION_ENDINGS.iter().find_map(|e| rest.strip_suffix(e)) {
        let batch = batch
            .rsplit_once(".nonce-")
            .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .map_or(batch, |(batch, _)| batch);
        return batch != ".safe" && is_output_ending(batch);
    }
    let rest = rest.strip_prefix(".accept").unwrap_or(rest);
    rest.is_empty()
        || rest == ".safe"
        || rest
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Why `stem` cannot name a runbook, if it cannot: it ends like an output
/// name (`.<digits>`, `.accept`, `.safe`, in any letter case), so its outputs
/// could be another runbook's (`pause.1.json` is a part of `pause.toml`), or
/// it holds a character [`crate::text::is_unsafe_char`] refuses (it is written
/// into the manifest and names every output).
pub fn stem_problem(stem: &str) -> Option<String> {
    if stem.is_empty() {
        return Some("a runbook's file needs a name before `.toml`".to_owned());
    }
    if let Some((c, kind)) = stem
        .chars()
        .find_map(|c| crate::text::unsafe_char_kind(c).map(|kind| (c, kind)))
    {
        return Some(format!(
            "the runbook's name contains {} ({kind}), which would be written into its output names \
             and manifest: rename the file",
            crate::text::code_point(c)
        ));
    }
    let lower = stem.to_lowercase();
    let ending = [".accept", ".safe", ".typed", ".proposal"]
        .into_iter()
        .find(|e| lower.ends_with(e))
        .map(str::to_owned)
        .or_else(|| {
            let (_, last) = lower.rsplit_once('.')?;
            let digits = last.strip_prefix("nonce-").unwrap_or(last);
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!(".{last}"))
        })?;
    Some(format!(
        "the runbook's name `{stem}` ends in `{ending}`, as bundlec's output names do \
         (`<name>.<part>.json`, `<name>.accept.json`, `<name>.safe.json`, `<name>.typed.json`, \
         `<name>.proposal.json`, `<name>.nonce-<n>.typed.json`), so its outputs could be \
         another runbook's: rename the file so that its name does not end in .<digits>, .accept, \
         .safe, .typed, .proposal or .nonce-<digits>"
    ))
}

/// A file name both runbooks `a` and `b` (file stems) could write in one
/// folder, if there is one: `pause.1.json` for `pause` and `pause.1`.
/// Letter case is ignored. Equal stems share every name.
pub fn shared_output_name(a: &str, b: &str) -> Option<String> {
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    let (short, long, long_written) = if la.len() <= lb.len() {
        (la, lb, b)
    } else {
        (lb, la, a)
    };
    let rest = long.strip_prefix(short.as_str())?;
    is_output_ending(rest).then(|| format!("{long_written}.json"))
}

/// Whether `name` is a batch file `stem` builds (`stem.json`, `stem.<n>.json`,
/// `stem.accept.json`, `stem.accept.<n>.json`), as [`batch_file_name`]
/// writes it: the only files stale-output cleanup may remove.
pub fn is_batch_file_of(stem: &str, name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(stem)
        .and_then(|r| r.strip_suffix(".json"))
    else {
        return false;
    };
    let rest = rest.strip_prefix(".accept").unwrap_or(rest);
    rest.is_empty()
        || rest.strip_prefix('.').is_some_and(|n| {
            !n.starts_with('0') && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Whether `name` is a file `stem` writes beside one of its batches
/// (`stem.typed.json`, `stem.2.proposal.json`, `stem.accept.typed.json`,
/// `stem.nonce-42.typed.json`), as [`companion_file_names`] writes it: with
/// [`is_batch_file_of`], the only files stale-output cleanup may remove.
pub fn is_companion_file_of(stem: &str, name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(stem)
        .and_then(|r| r.strip_suffix(".json"))
    else {
        return false;
    };
    let Some(batch) = COMPANION_ENDINGS.iter().find_map(|e| rest.strip_suffix(e)) else {
        return false;
    };
    let batch = match batch.strip_prefix(".nonce-") {
        Some(n) => {
            return !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n == "0" || !n.starts_with('0'));
        }
        None => batch,
    };
    is_batch_file_of(stem, &format!("{stem}{batch}.json"))
}

/// One batch as build lays it out, before any file is rendered: its file
/// name, which Safe proposes it at which nonce and through which
/// MultiSendCallOnly, and its calls. [`build`] writes exactly these batches
/// (see [`plan_batches`]); `bundlec verify --intent` compares a batch with
/// them without rendering anything.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedBatch<'a> {
    pub kind: BatchKind,
    /// The batch file's name ([`batch_file_name`]).
    pub file: String,
    /// Its `meta.name`: `[bundle] name` (`: acceptOwnership` for the accept
    /// batches), with `(part k of n)` when there are several.
    pub meta_name: String,
    pub chain_id: u64,
    /// The Safe that proposes and executes it.
    pub safe: Address,
    pub version: SafeVersion,
    /// The nonce of its Safe transaction (the first of `nonce_range`).
    pub nonce: u64,
    /// `[safe] nonce = "a..b"`: the nonces the (only) main batch is
    /// pre-signed at. `None` for one nonce, and for an accept batch.
    pub nonce_range: Option<NonceRange>,
    /// Which MultiSendCallOnly it goes through when it has several calls:
    /// `[safe]`'s choice for the main batches; the chain's default, or the
    /// named address on a chain the table does not know, for the accept
    /// batches (the new owner's master copy is not given).
    pub multi_send: MultiSendChoice,
    /// Its calls in order; a wrapped step's frame is repeated in every part
    /// that holds some of its body.
    pub calls: Vec<&'a PlannedCall>,
    /// The Safe transaction's estimated gas (see [`gas`]).
    pub gas: u64,
    /// Where an error about the batch points: `[safe]`, or `[accept]`.
    pub at: Location,
}

impl PlannedBatch<'_> {
    /// The nonces its Safe transaction is signed at: its own, or every nonce
    /// of `nonce_range`.
    pub fn nonces(&self) -> Vec<u64> {
        match self.nonce_range {
            Some(range) => range.nonces().collect(),
            None => vec![self.nonce],
        }
    }

    /// Its calls as the Safe makes them.
    pub fn safe_calls(&self) -> Vec<Call> {
        self.calls
            .iter()
            .map(|c| Call {
                to: c.to,
                value: c.value,
                data: c.data.clone(),
            })
            .collect()
    }

    /// Its Safe transaction at [`Self::nonce`]: the call itself, or several
    /// wrapped in `multiSend` on the MultiSendCallOnly `multi_send` picks.
    /// Refused when there is none to pick (see [`safe_tx_for_calls`]).
    pub fn safe_tx(&self) -> Result<SafeTx, BuildError> {
        safe_tx_for_calls(
            &self.safe_calls(),
            self.version,
            self.chain_id,
            U256::from(self.nonce),
            self.multi_send,
        )
        .map_err(|source| BuildError::Batching {
            at: self.at.clone(),
            file: self.file.clone(),
            source,
        })
    }

    /// Refuses the batch when it cannot be proposed, as [`Self::safe_tx`]
    /// would, without encoding its calls.
    pub fn check_proposable(&self) -> Result<(), BuildError> {
        multi_send_for(
            self.calls.len(),
            self.version,
            self.chain_id,
            self.multi_send,
        )
        .map(drop)
        .map_err(|source| BuildError::Batching {
            at: self.at.clone(),
            file: self.file.clone(),
            source,
        })
    }

    /// The batch file's transactions (see [`batch_transaction`]): refused when
    /// a call's arguments have no Transaction Builder form that encodes to its
    /// data.
    pub fn transactions(&self) -> Result<Vec<BatchTransaction>, BuildError> {
        // Each distinct function's `contractMethod` is made once per batch.
        let mut writer = transaction::Transactions::new();
        self.calls
            .iter()
            .enumerate()
            .map(|(index, call)| {
                writer
                    .batch_transaction(call)
                    .map_err(|source| BuildError::Transaction {
                        at: self.at.clone(),
                        file: self.file.clone(),
                        index,
                        summary: call.summary.to_string(),
                        source: Box::new(source),
                    })
            })
            .collect()
    }
}

/// The `max_gas` a build splits by, and where it comes from: `[bundle]
/// max_gas`, else the chain's default (see [`gas::CHAINS`]).
pub fn max_gas(runbook: &Runbook) -> (u64, MaxGasSource) {
    match &runbook.bundle.max_gas {
        Some(written) => (written.value, MaxGasSource::Written),
        None => gas::default_max_gas(runbook.safe.chain_id),
    }
}

/// Signatures each Safe transaction of `[safe]` carries for the estimate:
/// the threshold, else one per listed owner, else [`gas::DEFAULT_SIGNATURES`].
fn signatures(runbook: &Runbook) -> u64 {
    runbook
        .safe
        .threshold
        .as_ref()
        .map(|t| t.value)
        .or_else(|| {
            u64::try_from(runbook.safe.owners.len())
                .ok()
                .filter(|n| *n > 0)
        })
        .unwrap_or(gas::DEFAULT_SIGNATURES)
}

/// Builds every output file of one intent file: batches first (main, then
/// accept), then each batch's typed data and proposal, the manifest last.
pub fn build(req: &BuildRequest<'_>) -> Result<Vec<OutputFile>, BuildError> {
    let batches = plan_batches(req.stem, req.runbook, req.deployment, req.plan)?;
    render(req, &batches)
}

/// The batches [`build`] writes for an intent file (with stem `stem`), laid
/// out and nothing rendered: the plan split into Safe transactions within
/// `[bundle] max_calls` and `max_gas` ([`chunk`]), main batches from `[safe]
/// nonce`, then the `acceptOwnership()` batches from `[accept] nonce`.
///
/// Refused, as build refuses them: a deployment of another chain, a plan
/// that does not fit the limits or compiles to no call, acceptOwnership()
/// calls without an `[accept]` table, a nonce that overflows, a `[safe]
/// nonce` range over several Safe transactions, and a batch of several calls
/// with no MultiSendCallOnly to go through. What build refuses after this is
/// about the files it renders: a call whose arguments have no Transaction
/// Builder form that encodes to its data ([`PlannedBatch::transactions`]), a
/// call the manifest cannot decode, an output that would carry an unsafe
/// character.
pub fn plan_batches<'a>(
    stem: &str,
    runbook: &Runbook,
    deployment: &Deployment,
    plan: &'a Plan,
) -> Result<Vec<PlannedBatch<'a>>, BuildError> {
    let max_calls = runbook.bundle.max_calls;
    let (max_gas, _) = max_gas(runbook);
    let limits = Limits { max_calls, max_gas };
    // The place an error points at: the limit it is about, else `[bundle]`
    // (where gas_per_call goes).
    let chunk_error = |source: ChunkError| {
        let at = match &source {
            ChunkError::Calls { .. } => runbook.bundle.max_calls_at.clone(),
            ChunkError::Gas { .. } => runbook
                .bundle
                .max_gas
                .as_ref()
                .map_or_else(|| runbook.safe.at.clone(), |g| g.at.clone()),
            ChunkError::Span { unpaused_at, .. } => (**unpaused_at).clone(),
            ChunkError::UnknownGas(_) => runbook.bundle.at.clone(),
        };
        BuildError::Chunk { at, source }
    };
    let gas_per_call = runbook.bundle.gas_per_call.as_ref().map(|g| g.value);
    let model = GasModel {
        gas_per_call,
        signatures: signatures(runbook),
    };

    // Every address in the deployment is only meaningful on its own chain.
    if deployment.chain_id != runbook.safe.chain_id {
        return Err(InputError::new(
            runbook.safe.at.clone(),
            format!(
                "the Safe is on chain {} but the deployment is for chain {}: \
                 its addresses would be called on the wrong chain",
                runbook.safe.chain_id, deployment.chain_id
            ),
        )
        .into());
    }

    let main = chunk_steps(&plan.steps, limits, &model).map_err(chunk_error)?;
    if main.is_empty() {
        let at = runbook
            .intents
            .first()
            .map_or_else(|| runbook.safe.at.clone(), |i| i.at.clone());
        return Err(
            InputError::new(at, "the intents compile to no calls: nothing to build").into(),
        );
    }
    let layout = Layout { stem, runbook };
    let mut batches = layout.lay_out(
        BatchKind::Main,
        main,
        runbook.safe.address,
        runbook.safe.version,
        runbook.safe.nonce,
        &runbook.safe.at,
    )?;

    if let Some(accept) = &plan.accept {
        let Some(config) = &runbook.accept else {
            return Err(InputError::new(
                runbook.safe.at.clone(),
                format!(
                    "{} must call acceptOwnership() in a batch of its own: add an [accept] table \
                     with that Safe's `nonce` and `version`",
                    view::address(accept.new_owner)
                ),
            )
            .into());
        };
        // Plain calls with no frame, on a Safe whose threshold is not known.
        let accept_model = GasModel {
            gas_per_call,
            signatures: gas::DEFAULT_SIGNATURES,
        };
        let chunks = chunk_calls(&accept.calls, limits, &accept_model).map_err(chunk_error)?;
        batches.extend(layout.lay_out(
            BatchKind::Accept,
            chunks,
            accept.new_owner,
            config.version,
            config.nonce,
            &config.at,
        )?);
    }

    if let Some(range) = runbook.safe.nonce_range
        && batches.len() > 1
    {
        return Err(InputError::new(
            runbook.safe.nonce_at.clone(),
            presign_refusal(range, &batches),
        )
        .into());
    }
    // Each batch can be proposed: a batch of several calls needs a
    // MultiSendCallOnly to go through (see `PlannedBatch::safe_tx`).
    for batch in &batches {
        batch.check_proposable()?;
    }
    Ok(batches)
}

/// Every output file of the batches [`plan_batches`] laid out for `req`, in
/// [`build`]'s order. Each is the value it is written from: the last guard
/// on its text (no character [`crate::text::is_unsafe_char`] refuses) runs
/// as it is written or rendered (`OutputContents::write_to`, `text`), so a
/// caller must not take an output for accepted before that succeeds.
pub fn render(
    req: &BuildRequest<'_>,
    batches: &[PlannedBatch<'_>],
) -> Result<Vec<OutputFile>, BuildError> {
    let runbook = req.runbook;
    // Batches first, in order (main, then accept), then the typed data and
    // proposal of each, the manifest last.
    let mut outputs = Vec::with_capacity(batches.len().saturating_mul(3).saturating_add(1));
    let mut companions = Vec::with_capacity(batches.len().saturating_mul(2));
    let mut views = Vec::with_capacity(batches.len());
    let mut abis_used = BTreeSet::new();
    // What a refusal of a JSON output points into, shared by all of them.
    let inputs = Rc::new(req.inputs.clone());
    for batch in batches {
        let (batch_file, beside, batch_view) = write_batch(req, batch, &inputs, &mut abis_used)?;
        outputs.push(batch_file);
        companions.extend(beside);
        views.push(batch_view);
    }
    outputs.extend(companions);

    let manifest = Manifest {
        bundlec_version: req.bundlec_version.to_string(),
        bundle: manifest::BundleView {
            name: runbook.bundle.name.clone(),
            description: runbook.bundle.description.clone(),
            created_at: runbook.bundle.created_at.to_string(),
        },
        inputs: input_views(req.inputs, &abis_used),
        chain_id: runbook.safe.chain_id.to_string(),
        safe: view::address(runbook.safe.address),
        safe_version: runbook.safe.version.to_string(),
        layout: req.deployment.layout.name().to_string(),
        batches: views,
        signers_after: req.plan.signers.as_ref().map(|s| manifest::SignersView {
            owners: s.owners.iter().map(|o| view::address(*o)).collect(),
            threshold: s.threshold.to_string(),
        }),
    };
    let name = manifest_file_name(req.stem);
    outputs.push(OutputFile {
        contents: OutputContents::json(
            JsonDocument::Manifest(manifest),
            &name,
            &runbook.safe.at,
            &inputs,
        ),
        name,
        batch: None,
        role: OutputRole::Manifest,
    });
    Ok(outputs)
}

/// The batch's one text from an input that the parsers let through, an
/// ABI's (each function's `contractMethod`: its name and its inputs' names
/// and types), checked for what [`unsafe_text_error`] refuses before
/// anything is written. The batch's whole text is checked again as it is
/// written (see `output`), the last guard of every output; this earlier
/// check makes a runbook with such an ABI fail like one that does not
/// compile, once and in its place among the runbooks built together.
fn refuse_unsafe_methods(
    req: &BuildRequest<'_>,
    batch_file: &str,
    file: &BatchFile,
) -> Result<(), BuildError> {
    let mut checked: Vec<&Rc<ContractMethod>> = Vec::new();
    for method in file
        .transactions
        .iter()
        .filter_map(|tx| tx.contract_method.as_ref())
    {
        if checked.iter().any(|seen| Rc::ptr_eq(seen, method)) {
            continue;
        }
        checked.push(method);
        let text = serde_json::to_string(&**method).map_err(|e| BuildError::Serialize {
            at: req.runbook.safe.at.clone(),
            file: batch_file.to_owned(),
            message: e.to_string(),
        })?;
        if let Some((c, kind)) = crate::text::first_unsafe_char(&text, true) {
            return Err(unsafe_text_error(
                &req.runbook.safe.at.file,
                req.inputs,
                batch_file,
                c,
                kind,
            ));
        }
    }
    Ok(())
}

/// The refusal of output `file` for carrying `c`: it points at the first input
/// file that has the character raw, or at the intent file (`intent`).
///
/// The last guard on text from input, run on every output as it is written
/// (see `output`): no output holds a character
/// [`crate::text::is_unsafe_char`] refuses. JSON escapes every C0 control in
/// a string (`\n`), so a raw newline is only the file's own layout; anything
/// else (a bidi control, a zero-width space, DEL) came from an input that the
/// parsers let through, such as a name in an ABI file.
fn unsafe_text_error(
    intent: &str,
    inputs: &Inputs,
    file: &str,
    c: char,
    kind: &'static str,
) -> BuildError {
    let intent_file = InputFile::new(intent, inputs.intent.bytes.clone());
    let files = std::iter::once(&intent_file)
        .chain(inputs.deployment.as_ref())
        .chain(inputs.abis.values().map(|abi| &abi.file));
    let at = files
        .filter_map(|input| {
            let text = std::str::from_utf8(&input.bytes).ok()?;
            let offset = text.find(c)?;
            Some(crate::runbook::Source::new(input.name.clone(), text).location(offset))
        })
        .next()
        .unwrap_or_else(|| Location {
            file: intent.to_owned(),
            line: 1,
            column: 1,
        });
    BuildError::UnsafeText {
        at,
        file: file.to_owned(),
        code_point: crate::text::code_point(c),
        kind,
    }
}

/// Why a runbook with `[safe] nonce = "a..b"` cannot be pre-signed: it
/// compiles to several Safe transactions.
fn presign_refusal(range: NonceRange, batches: &[PlannedBatch<'_>]) -> String {
    let files: Vec<&str> = batches.iter().map(|b| b.file.as_str()).collect();
    let accept = batches.iter().find(|b| b.kind == BatchKind::Accept);
    let why = match accept {
        Some(accept) => format!(
            "one of them an acceptOwnership() batch that another Safe ({}) signs at its own nonce",
            view::address(accept.safe)
        ),
        None => "parts that each need the one before them executed first".to_owned(),
    };
    let fix = match accept {
        Some(_) => "pre-sign a runbook without an Ownable2Step handover, or give one nonce",
        None => {
            "raise [bundle] max_calls / max_gas so the calls fit one Safe transaction, split the runbook, or give one nonce"
        }
    };
    format!(
        "nonce = \"{range}\" pre-signs the batch at each of {} nonces, but this runbook compiles to {} Safe \
         transactions ({}), {why}: each pre-signed entry must be one self-contained Safe transaction, \
         since whichever nonce comes up is executed alone; {fix}",
        range.len(),
        batches.len(),
        files.join(", ")
    )
}

/// What the batches of one intent file share: the names their files and
/// `meta.name` start with, the Safes, nonces and MultiSendCallOnly choice.
struct Layout<'r> {
    stem: &'r str,
    runbook: &'r Runbook,
}

impl Layout<'_> {
    /// Names, nonces and meta names for the chunks of one kind.
    fn lay_out<'a>(
        &self,
        kind: BatchKind,
        chunks: Vec<Chunk<'a>>,
        safe: Address,
        version: SafeVersion,
        first_nonce: u64,
        at: &Location,
    ) -> Result<Vec<PlannedBatch<'a>>, BuildError> {
        let runbook = self.runbook;
        let parts = chunks.len();
        let name = &runbook.bundle.name;
        // `[safe]` says which MultiSendCallOnly the Safe's master copy
        // batches through; the `[accept]` Safe's master copy is not given, so
        // its batches take the chain's default, or the named address on a
        // chain the table does not know.
        let (multi_send, nonce_range) = match kind {
            BatchKind::Main => (runbook.safe.multi_send, runbook.safe.nonce_range),
            BatchKind::Accept => (
                MultiSendChoice {
                    deployment_type: None,
                    address: runbook.safe.multi_send.address,
                },
                None,
            ),
        };
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let part = i + 1;
                let nonce = u64::try_from(i)
                    .ok()
                    .and_then(|i| first_nonce.checked_add(i))
                    .ok_or_else(|| {
                        InputError::new(at.clone(), format!("nonce {first_nonce} + {i} overflows"))
                    })?;
                let mut meta_name = match kind {
                    BatchKind::Main => name.clone(),
                    BatchKind::Accept => format!("{name}: acceptOwnership"),
                };
                if parts > 1 {
                    meta_name.push_str(&format!(" (part {part} of {parts})"));
                }
                Ok(PlannedBatch {
                    kind,
                    file: batch_file_name(self.stem, kind, part, parts),
                    meta_name,
                    chain_id: runbook.safe.chain_id,
                    safe,
                    version,
                    nonce,
                    nonce_range,
                    multi_send,
                    calls: chunk.calls,
                    gas: chunk.gas,
                    at: at.clone(),
                })
            })
            .collect()
    }
}

/// The batch file of one batch, the typed data and proposal of its Safe
/// transaction (at each nonce of a `[safe] nonce` range), and its entry in the
/// manifest.
fn write_batch(
    req: &BuildRequest<'_>,
    batch: &PlannedBatch<'_>,
    inputs: &Rc<Inputs>,
    abis_used: &mut BTreeSet<String>,
) -> Result<(OutputFile, Vec<OutputFile>, manifest::BatchView), BuildError> {
    let runbook = req.runbook;
    let chain_id = batch.chain_id;
    let safe_at = batch.at.clone();

    let transactions = batch.transactions()?;
    let mut meta = BatchMeta::new(batch.meta_name.clone(), batch.safe);
    meta.description = runbook.bundle.description.clone();
    let file = BatchFile::new(chain_id, runbook.bundle.created_at, meta, transactions);

    let tx = batch.safe_tx()?;
    let hashes = safe_tx_hashes(batch.version, chain_id, batch.safe, &tx);

    refuse_unsafe_methods(req, &batch.file, &file)?;
    // Computed once: the file carries it, and the manifest records it.
    let checksum = file.checksum().map_err(|e| BuildError::Serialize {
        at: safe_at.clone(),
        file: batch.file.clone(),
        message: e.to_string(),
    })?;

    let book = Rc::new(AddressBook::for_deployment(req.deployment, batch.safe));
    let eip55 = Rc::new(crate::memo::Eip55::new());
    let decoder = Decoder::new(req.registry, &book);
    let mut call_views = Vec::with_capacity(batch.calls.len());
    for (index, call) in batch.calls.iter().enumerate() {
        let site = CallSite {
            to: Some(call.to),
            value: Some(call.value),
            operation: Some(Operation::Call),
            executor: Some(batch.safe),
            ..CallSite::default()
        };
        let tree = decoder
            .decode_shared(site, call.data.clone(), &index.to_string())
            .map_err(|source| BuildError::Decode {
                at: safe_at.clone(),
                file: batch.file.clone(),
                source: Box::new(source),
            })?;
        for node in tree.walk() {
            if let Some(function) = node.function() {
                abis_used.insert(function.abi.to_string());
            }
        }
        call_views.push(manifest::CallView {
            summary: call.summary.clone(),
            // Its text and JSON are written straight into the manifest.
            shown: manifest::ShownCall::Tree {
                tree,
                book: Rc::clone(&book),
                eip55: Rc::clone(&eip55),
            },
        });
    }

    let output = OutputFile {
        name: batch.file.clone(),
        contents: OutputContents::json(
            JsonDocument::Batch { file, checksum },
            &batch.file,
            &safe_at,
            inputs,
        ),
        batch: Some(BatchSummary {
            kind: batch.kind,
            safe: batch.safe,
            nonce: batch.nonce,
            calls: batch.calls.len(),
            gas: batch.gas,
            safe_tx_hash: hashes.safe_tx_hash,
        }),
        role: OutputRole::Batch,
    };
    let mut outputs = Vec::new();

    // The Safe transaction at each nonce it is signed at: the batch's own,
    // or every nonce of `[safe] nonce = "a..b"` (only a lone main batch gets
    // here with a range: see `presign_refusal`).
    let range = batch.nonce_range;
    let nonces = batch.nonces();
    let json_output = |document, file: &str| OutputContents::json(document, file, &safe_at, inputs);
    let mut presigned = Vec::new();
    for nonce in nonces {
        let (tx, hashes) = if nonce == batch.nonce {
            (tx.clone(), hashes)
        } else {
            let tx = SafeTx {
                nonce: U256::from(nonce),
                ..tx.clone()
            };
            let hashes = safe_tx_hashes(batch.version, chain_id, batch.safe, &tx);
            (tx, hashes)
        };
        let (typed_name, proposal_name) = companion_file_names(&batch.file, nonce, range.is_some());
        if range.is_some() {
            presigned.push(manifest::PresignedView {
                nonce: nonce.to_string(),
                domain_hash: view::hash(hashes.domain_hash),
                message_hash: view::hash(hashes.message_hash),
                safe_tx_hash: view::hash(hashes.safe_tx_hash),
                typed_data: typed_name.clone(),
                proposal: proposal_name.clone(),
            });
        }
        // Both are written from the Safe transaction, whose data they share
        // with it (see `output`).
        let typed_data = safe_tx_typed_data(batch.version, chain_id, batch.safe, &tx);
        outputs.push(OutputFile {
            contents: json_output(JsonDocument::TypedData(typed_data), &typed_name),
            name: typed_name,
            batch: None,
            role: OutputRole::TypedData { nonce },
        });
        let proposal = Proposal::new(&tx, hashes.safe_tx_hash, req.stem);
        outputs.push(OutputFile {
            contents: json_output(JsonDocument::Proposal(proposal), &proposal_name),
            name: proposal_name,
            batch: None,
            role: OutputRole::Proposal { nonce },
        });
    }

    let view = manifest::BatchView {
        file: batch.file.clone(),
        kind: batch.kind.name().to_string(),
        safe: view::address(batch.safe),
        safe_version: batch.version.to_string(),
        batch_checksum: hex::encode_prefixed(checksum),
        estimated_gas: batch.gas.to_string(),
        calls: call_views,
        safe_tx: SafeTxView::new(&tx, &hashes),
        presigned: range.map(|_| presigned),
    };
    Ok((output, outputs, view))
}

fn input_views(inputs: &Inputs, abis_used: &BTreeSet<String>) -> Vec<manifest::InputView> {
    let file_view = |role: &str, file: &InputFile, contract: Option<&str>| manifest::InputView {
        role: role.to_string(),
        name: file.name.clone(),
        contract: contract.map(str::to_string),
        keccak256: view::hash(keccak256(&file.bytes)),
    };
    let mut views = vec![file_view("intent", &inputs.intent, None)];
    if let Some(deployment) = &inputs.deployment {
        views.push(file_view("deployment", deployment, None));
    }
    // Every ABI a call was read with, and every ABI file of the address
    // book: an override no call uses still changed what bundlec reads.
    let book_abis = inputs
        .abis
        .iter()
        .filter(|(_, abi)| matches!(abi.origin, AbiOrigin::Deployment))
        .map(|(contract, _)| contract);
    let listed: BTreeSet<&String> = abis_used.iter().chain(book_abis).collect();
    for contract in listed {
        if let Some(abi) = inputs.abis.get(contract) {
            let role = match abi.origin {
                AbiOrigin::Deployment => "abi",
                AbiOrigin::AbiDir => "abi-dir",
            };
            views.push(file_view(role, &abi.file, Some(contract)));
        } else if let Some(hash) = embedded_abi_keccak256(contract) {
            views.push(manifest::InputView {
                role: "embedded-abi".to_string(),
                name: format!("abis/{contract}.json"),
                contract: Some(contract.to_string()),
                keccak256: view::hash(hash),
            });
        }
    }
    views
}
