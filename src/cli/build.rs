//! `bundlec build`: compile intent files into batch files and manifests.
//!
//! Every intent file is compiled in memory first; files are written only when
//! all of them compiled, and then atomically: each output goes to a temporary
//! file beside its target, and the temporaries are renamed into place only
//! after all were written. A failure at any point leaves every existing file
//! as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::build::{
    self, AbiFile, AbiOrigin, BatchKind, BuildError, BuildRequest, InputFile, Inputs, MaxGasSource,
    OutputContents, OutputFile, OutputRole, WriteOutputError,
};
use bundlec::plan::{Plan, plan_runbook};
use bundlec::runbook::{
    Bundle, Deployment, DeploymentSource, InputError, Located, Runbook, SafeConfig, Source,
    parse_deployment, parse_runbook,
};
use bundlec::safe::batching::Call;
use bundlec::safe::view;
use bundlec::verify::Target as VerifyTarget;
use clap::Args;

use super::style::Kind::{Note, Notice};
use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Intent files to compile (outputs go beside each: pause.toml -> pause.json, pause.safe.json)
    #[arg(value_name = "FILE.toml", required = true)]
    files: Vec<PathBuf>,
    /// Write the outputs to this directory instead
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Build in memory and compare with the files on disk; exit 1 naming each that differs
    #[arg(long)]
    check: bool,
    /// Add or override ABIs: one <Name>.json per contract
    #[arg(long, value_name = "DIR")]
    abi_dir: Option<PathBuf>,
}

/// One output and where it goes.
struct Target {
    path: PathBuf,
    /// `path` as the file system resolves it (see [`resolved`]).
    real: PathBuf,
    output: OutputFile,
}

/// What one runbook's build says before the files it wrote: its Safe
/// transactions, their nonces and estimated gas, and the signing rounds they
/// cost.
fn signing_summary(file: &Path, runbook: &Runbook, outputs: &[OutputFile]) -> Vec<String> {
    let mut lines = Vec::new();
    for kind in [BatchKind::Main, BatchKind::Accept] {
        let batches: Vec<(&str, &build::BatchSummary)> = outputs
            .iter()
            .filter_map(|o| o.batch.as_ref().map(|b| (o.name.as_str(), b)))
            .filter(|(_, b)| b.kind == kind)
            .collect();
        let Some((_, first)) = batches.first() else {
            continue;
        };
        let count = batches.len();
        if let (BatchKind::Main, Some(range), [(name, batch)]) =
            (kind, runbook.safe.nonce_range, batches.as_slice())
        {
            lines.push(format!(
                "{}: {} pre-signed Safe transactions for Safe {} (nonces {range}), the same batch at each nonce: each is a separate signing round for every signer, and each one not executed stays valid until its nonce is used or burned",
                file.display(),
                range.len(),
                view::address(batch.safe),
            ));
            lines.push(format!(
                "  nonces {range}: {name}, {} call{}, estimated gas {}",
                batch.calls,
                if batch.calls == 1 { "" } else { "s" },
                thousands(batch.gas),
            ));
            continue;
        }
        let nonces: Vec<u64> = batches.iter().map(|(_, b)| b.nonce).collect();
        let nonce_text = match nonces.as_slice() {
            [one] => format!("nonce {one}"),
            [first, .., last] if nonces.len() > 5 => format!("nonces {first} to {last}"),
            _ => format!(
                "nonces {}",
                nonces
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let (what, rounds) = match (kind, count) {
            (BatchKind::Main, 1) => ("", "one signing round for every signer".to_string()),
            (BatchKind::Main, _) => (
                "",
                "each is a separate signing round for every signer".to_string(),
            ),
            (BatchKind::Accept, 1) => (
                ", acceptOwnership",
                "one signing round for every signer of that Safe".to_string(),
            ),
            (BatchKind::Accept, _) => (
                ", acceptOwnership",
                "each is a separate signing round for every signer of that Safe".to_string(),
            ),
        };
        lines.push(format!(
            "{}: {count} Safe transaction{} for Safe {} ({nonce_text}){what}: {rounds}",
            file.display(),
            if count == 1 { "" } else { "s" },
            view::address(first.safe),
        ));
        for (name, batch) in &batches {
            lines.push(format!(
                "  nonce {}: {name}, {} call{}, estimated gas {}",
                batch.nonce,
                batch.calls,
                if batch.calls == 1 { "" } else { "s" },
                thousands(batch.gas),
            ));
        }
    }
    let (max_gas, source) = build::max_gas(runbook);
    let why = match source {
        MaxGasSource::Written => "[bundle] max_gas".to_string(),
        MaxGasSource::Chain(chain) => format!(
            "half of {}'s {} block gas limit; [bundle] max_gas changes it",
            chain.name,
            thousands(chain.block_gas_limit)
        ),
        MaxGasSource::Fallback => format!(
            "bundlec does not know chain {}'s block gas limit: set [bundle] max_gas",
            runbook.safe.chain_id
        ),
    };
    lines.push(format!(
        "  each Safe transaction: at most {} calls and {} gas ({why})",
        runbook.bundle.max_calls,
        thousands(max_gas)
    ));
    lines
}

/// `15000000` as `15,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len().saturating_sub(i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A runbook that compiled: its file, its name, and the folder its outputs go to.
struct Built {
    file: PathBuf,
    stem: String,
    dir: PathBuf,
}

pub fn run(args: BuildArgs) -> Result<Outcome, CliError> {
    let (registry, abi_dir_files, abi_dir_paths) = base_registry(args.abi_dir.as_deref())?;

    let mut errors = Vec::new();
    let mut targets = Vec::new();
    let mut inputs_read = abi_dir_paths;
    let mut built = Vec::new();
    let mut notes = Vec::new();
    // Per runbook: its summary lines and how many targets it has.
    let mut groups: Vec<(Vec<String>, usize)> = Vec::new();
    if args.files.iter().any(|f| args::is_stdin(f)) {
        return Err(CliError(
            "a runbook is read from a file, not standard input (-): its address book and ABI paths are relative to it, and its outputs are named after it".into(),
        ));
    }
    for file in &args.files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(problem) = build::stem_problem(&stem) {
            errors.push(format!("{}: {problem}", file.display()));
            continue;
        }
        match compile(file, &registry, &abi_dir_files) {
            Ok(compiled) => {
                notes.extend(compiled.notes);
                groups.push((
                    signing_summary(file, &compiled.runbook, &compiled.outputs),
                    compiled.outputs.len(),
                ));
                let dir = match &args.out_dir {
                    Some(dir) => dir.clone(),
                    None => parent_dir(file),
                };
                inputs_read.extend(compiled.inputs);
                targets.extend(compiled.outputs.into_iter().map(|output| {
                    let path = dir.join(&output.name);
                    Target {
                        real: resolved(&path),
                        path,
                        output,
                    }
                }));
                built.push(Built {
                    file: file.clone(),
                    stem,
                    dir,
                });
            }
            Err(message) => errors.push(message),
        }
    }
    if !errors.is_empty() {
        // The runbooks that compiled are refused too if one of their JSON
        // outputs would be (a refusal otherwise shows only when the files
        // are written): every error is shown at once.
        errors.extend(output_refusals(&targets));
        return Err(runbooks_failed(errors, &args));
    }
    check_targets(&targets, &inputs_read)?;
    check_neighbours(&built)?;
    let (stale, unreadable) = stale_outputs(&built, &targets);
    let quiet = super::quiet();
    for path in unreadable.iter().filter(|_| !quiet) {
        super::print_line(
            Note,
            &format!(
                "note: {} is not a manifest bundlec can read, so no batch it listed was removed",
                path.display()
            ),
        )?;
    }

    // A JSON output is checked as it is written or compared: a refusal is its
    // runbook's error, reported with those of the other runbooks as if their
    // builds had failed (nothing was written).
    let failed = |failure| match failure {
        Failure::Refused(message) => {
            let mut errors = output_refusals(&targets);
            if errors.is_empty() {
                errors.push(message);
            }
            runbooks_failed(errors, &args)
        }
        Failure::Other(error) => error,
    };
    if args.check {
        return check(&targets, &stale).map_err(failed);
    }
    write_atomically(&targets).map_err(failed)?;
    // --quiet: nothing on success; the exit code says it.
    let mut rest = if quiet { &[][..] } else { targets.as_slice() };
    for (lines, count) in groups.iter().filter(|_| !quiet) {
        for line in lines {
            outln!("{line}")?;
        }
        let (group, tail) = rest.split_at_checked(*count).unwrap_or((rest, &[]));
        for target in group {
            outln!("{}", summary(target))?;
        }
        rest = tail;
    }
    // What the plan chose that the batches do not show by name: modules
    // skipped as absent, a hub call standing for modules.
    for note in notes.iter().filter(|_| !quiet) {
        super::print_line(Note, &format!("note: {}: {}", note.at, note.value))?;
    }
    // A runbook that now builds fewer parts leaves old parts behind, with
    // valid checksums and the next nonces: nobody should import those.
    for path in &stale {
        fs::remove_file(path)
            .map_err(|e| CliError(format!("cannot remove the stale {}: {e}", path.display())))?;
        if !quiet {
            outln!(
                "removed {}: this build no longer produces it",
                path.display()
            )?;
        }
    }
    // The process exits next: the outputs are tens of megabytes at 10,000 calls.
    super::free_at_exit((registry, targets));
    Ok(Outcome::Success)
}

/// The command's error when runbooks failed to build: every runbook's error
/// is shown, each on its own line; the last one is the command's error. With
/// several runbooks, a last line says that the ones that compiled were not
/// written either.
fn runbooks_failed(mut errors: Vec<String>, args: &BuildArgs) -> CliError {
    let failed = errors.len();
    let last = errors.pop().unwrap_or_default();
    for message in &errors {
        super::print_error(message);
    }
    if args.files.len() < 2 || args.check {
        return CliError(last);
    }
    super::print_error(&last);
    CliError(format!(
        "nothing was written: {failed} of {} runbooks failed; fix the errors above and build again",
        args.files.len()
    ))
}

/// The refusal of every output among `targets` that the build refuses as it
/// is written, in order: written into nothing, on the way to an error.
fn output_refusals(targets: &[Target]) -> Vec<String> {
    targets
        .iter()
        .filter_map(
            |target| match target.output.contents.write_to(&mut std::io::sink()) {
                Err(WriteOutputError::Refused(error)) => Some(error.to_string()),
                _ => None,
            },
        )
        .collect()
}

/// Why outputs could not be written or compared.
enum Failure {
    /// The build refused an output as it was written (a JSON output's last
    /// guard): the runbook's error, as a message.
    Refused(String),
    /// Anything else: the command's error.
    Other(CliError),
}

impl From<CliError> for Failure {
    fn from(error: CliError) -> Self {
        Failure::Other(error)
    }
}

/// Whether the file at `path` holds exactly `contents`: `None` when it
/// cannot be read. The contents are compared as they are written, never
/// rendered whole; the error is the build's refusal of them, so they are
/// written even when there is no file to compare with.
pub fn same_as_file(path: &Path, contents: &OutputContents) -> Result<Option<bool>, BuildError> {
    let bytes = fs::read(path).ok();
    let mut compared = Compared {
        rest: bytes.as_deref().unwrap_or_default(),
        same: bytes.is_some(),
    };
    match contents.write_to(&mut compared) {
        Ok(()) => Ok(bytes
            .is_some()
            .then_some(compared.same && compared.rest.is_empty())),
        Err(WriteOutputError::Refused(error)) => Err(*error),
        // Comparing does not fail.
        Err(WriteOutputError::Io(_)) => Ok(bytes.is_some().then_some(false)),
    }
}

/// A sink that compares what is written with the bytes of a file.
struct Compared<'a> {
    /// What is not compared yet.
    rest: &'a [u8],
    same: bool,
}

impl std::io::Write for Compared<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.rest.strip_prefix(bytes) {
            Some(rest) if self.same => self.rest = rest,
            _ => self.same = false,
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The batch files the previous build of each runbook made, as its manifest
/// on disk (`<stem>.safe.json`) lists them, that this build does not make
/// again; and the manifests that could not be read. Nothing else is ever
/// removed: a file is stale only when its runbook's own manifest lists it,
/// by a name that runbook's batches have (so a manifest cannot point at an
/// input, another runbook's output, or another folder).
fn stale_outputs(built: &[Built], targets: &[Target]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut stale = Vec::new();
    let mut unreadable = Vec::new();
    for runbook in built {
        let manifest = runbook.dir.join(build::manifest_file_name(&runbook.stem));
        if fs::symlink_metadata(&manifest).is_err()
            || !may_hold_stale(&runbook.dir, &runbook.stem, targets)
        {
            continue;
        }
        let listed = read_listed(&manifest)
            .map(|listed| listed.batches.iter().map(listed_files).collect::<Vec<_>>());
        let Some(listed) = listed else {
            unreadable.push(manifest);
            continue;
        };
        let mut found: Vec<PathBuf> = listed
            .iter()
            .flatten()
            .filter(|name| {
                build::is_batch_file_of(&runbook.stem, name)
                    || build::is_companion_file_of(&runbook.stem, name)
            })
            .map(|name| runbook.dir.join(name))
            .filter(|path| fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()))
            .filter(|path| {
                let real = resolved(path);
                !targets.iter().any(|t| t.real == real)
            })
            .collect();
        found.sort();
        found.dedup();
        stale.extend(found);
    }
    (stale, unreadable)
}

/// Whether `dir` holds a file the manifest of runbook `stem` could list as
/// stale: one named like that runbook's outputs (`stem.….json`, in any
/// letter case, as a case-insensitive file system finds it) that this build
/// does not write. Without one, nothing the manifest lists could be removed,
/// and it is not read: a rebuild that makes the same files again (the usual
/// case) skips reading a previous manifest as large as the new one, which
/// is parsed a byte at a time. When in doubt it says yes, and the manifest
/// is read: when `dir` cannot be listed, and for any name beyond ASCII (in
/// the stem, or of a file in `dir`), whose letter case and normalization
/// file systems treat in ways a comparison here could not follow.
fn may_hold_stale(dir: &Path, stem: &str, targets: &[Target]) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return true;
    };
    if !stem.is_ascii() {
        return true;
    }
    let prefix = format!("{stem}.");
    let starts_like_an_output = |name: &str| {
        name.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(&prefix))
            && name
                .get(name.len().saturating_sub(".json".len())..)
                .is_some_and(|end| end.eq_ignore_ascii_case(".json"))
    };
    entries.filter_map(Result::ok).any(|entry| {
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|name| name.is_ascii()) else {
            return true;
        };
        if !starts_like_an_output(name) || entry.file_type().is_ok_and(|t| t.is_dir()) {
            return false;
        }
        let real = resolved(&entry.path());
        !targets.iter().any(|t| t.real == real)
    })
}

/// What [`stale_outputs`] reads of a manifest on disk: the file names of its
/// batches. serde skips the rest (every call's text and decoded tree) without
/// building it.
#[derive(serde::Deserialize)]
struct ListedManifest {
    batches: Vec<ListedBatch>,
}

/// A manifest's batch entry: its `file` (required), and its `presigned`
/// entries read loosely (any shape; only string names count), as small as a
/// nonce range.
#[derive(serde::Deserialize)]
struct ListedBatch {
    file: String,
    #[serde(default)]
    presigned: Option<serde_json::Value>,
}

/// The manifest at `path` as [`ListedManifest`], or `None` when it cannot be
/// read as one (or is over `--max-input-bytes`, like any input). It is
/// parsed as it is read, never held whole: it is read after this build's
/// outputs are made, and a previous manifest is about as large as the new one.
fn read_listed(path: &Path) -> Option<ListedManifest> {
    use std::io::Read as _;
    let file = fs::File::open(path).ok()?;
    let limit = args::max_input_bytes();
    if file.metadata().ok()?.len() > limit {
        return None;
    }
    let reader = std::io::BufReader::with_capacity(64 * 1024, file.take(limit));
    serde_json::from_reader(reader).ok()
}

/// The files a manifest's batch entry says the build wrote for it: the batch,
/// the typed data and proposal beside it (by their names: the manifest of an
/// older bundlec does not list them), and those of every pre-signed nonce.
fn listed_files(batch: &ListedBatch) -> Vec<String> {
    let file = batch.file.clone();
    let (typed, proposal) = build::companion_file_names(&file, 0, false);
    let mut files = vec![file, typed, proposal];
    if let Some(presigned) = batch
        .presigned
        .as_ref()
        .and_then(serde_json::Value::as_array)
    {
        for entry in presigned {
            for key in ["typed_data", "proposal"] {
                if let Some(name) = entry.get(key).and_then(serde_json::Value::as_str) {
                    files.push(name.to_owned());
                }
            }
        }
    }
    files
}

/// A path as the file system resolves it, to compare files rather than
/// spellings: absolute, every symlink followed, `.` and `..` applied. The part
/// that does not exist yet (an output, a directory `--out-dir` creates) is
/// taken as written after its longest existing ancestor, resolved.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut real = PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            other => {
                real.push(other);
                if exists {
                    match fs::canonicalize(&real) {
                        Ok(canonical) => real = canonical,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    real
}

/// Outputs of two runbooks never share a name in one folder: each runbook's
/// output names are checked against every other runbook built into the same
/// folder and every `*.toml` file already there (each could be a runbook).
/// [`build::stem_problem`] already refused names ending like outputs; what
/// remains are names that differ only in letter case, and an older runbook
/// whose name ends like an output (`pause.1.toml` beside `pause.toml`).
fn check_neighbours(built: &[Built]) -> Result<(), CliError> {
    let runbooks: Vec<(PathBuf, PathBuf)> = built
        .iter()
        .map(|b| (resolved(&b.file), resolved(&b.dir)))
        .collect();
    for (runbook, (own, folder)) in built.iter().zip(&runbooks) {
        // (resolved file, as shown, stem)
        let mut others: Vec<(PathBuf, PathBuf, String)> = Vec::new();
        if let Ok(entries) = fs::read_dir(&runbook.dir) {
            for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
                if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                    let real = resolved(&path);
                    if runbooks.iter().any(|(file, _)| *file == real) {
                        continue; // built now: compared below
                    }
                    let stem = path
                        .file_stem()
                        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                    others.push((real, path, stem));
                }
            }
        }
        for (other, (real, dir)) in built.iter().zip(&runbooks) {
            // Another runbook of the same name built into this folder is
            // reported by `check_targets` as two outputs at one path.
            if dir == folder && real != own && other.stem != runbook.stem {
                others.push((real.clone(), other.file.clone(), other.stem.clone()));
            }
        }
        others.sort();
        for (_, shown, stem) in &others {
            if let Some(name) = build::shared_output_name(&runbook.stem, stem) {
                return Err(CliError(format!(
                    "{}: its outputs and those of the runbook {} could both be named {name} in {}: \
                     outputs of two runbooks never share a name (a runbook's name may not end in \
                     .<digits>, .accept, .safe, .typed, .proposal or .nonce-<digits>, nor differ \
                     from another's only in letter case); \
                     rename one of them",
                    runbook.file.display(),
                    shown.display(),
                    runbook.dir.display()
                )));
            }
        }
    }
    Ok(())
}

type BaseRegistry = (AbiRegistry, BTreeMap<String, AbiFile>, Vec<PathBuf>);

/// The embedded ABIs plus `--abi-dir`, the `--abi-dir` files for manifests,
/// and their paths (inputs no output may replace).
fn base_registry(dir: Option<&Path>) -> Result<BaseRegistry, CliError> {
    let mut registry = AbiRegistry::embedded()?;
    let mut files = BTreeMap::new();
    let mut paths = Vec::new();
    if let Some(dir) = dir {
        for (name, path, text) in args::read_abi_dir(dir)? {
            paths.push(path.clone());
            registry
                .add_or_override(&name, &text)
                .map_err(|e| CliError(format!("{}: {e}", path.display())))?;
            let file_name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            files.insert(
                name,
                AbiFile {
                    file: InputFile::new(file_name, text.into_bytes()),
                    origin: AbiOrigin::AbiDir,
                },
            );
        }
    }
    Ok((registry, files, paths))
}

struct Compiled {
    outputs: Vec<OutputFile>,
    /// Every file read, to refuse outputs that would overwrite one.
    inputs: Vec<PathBuf>,
    runbook: Runbook,
    /// The plan's notes for the build summary.
    notes: Vec<Located<String>>,
}

/// One batch an intent file compiles to, as `verify --intent` compares a
/// batch with it: from the plan, nothing rendered.
struct ExpectedBatch {
    file: String,
    kind: BatchKind,
    /// The chain, Safe, version, nonce and MultiSendCallOnly it is proposed with.
    target: VerifyTarget,
    /// Its calls, in order.
    calls: Vec<Call>,
    /// What each call is for, as the plan (and the manifest) says.
    summaries: Vec<Rc<str>>,
}

impl ExpectedBatch {
    fn new(batch: &build::PlannedBatch<'_>) -> Self {
        ExpectedBatch {
            file: batch.file.clone(),
            kind: batch.kind,
            target: VerifyTarget {
                chain_id: batch.chain_id,
                safe: batch.safe,
                version: batch.version,
                nonce: alloy_primitives::U256::from(batch.nonce),
                multi_send: batch.multi_send,
                // The intent may come from the batch's author: it vouches for nothing.
                trusted_multi_send_call_only: None,
            },
            calls: batch.safe_calls(),
            summaries: batch.calls.iter().map(|c| c.summary.clone()).collect(),
        }
    }
}

/// An intent file compiled in memory, for `bundlec verify --intent`: read,
/// parsed, planned and laid out in batches as `bundlec build` does, with the
/// same refusals, but no file rendered.
pub struct CompiledIntent {
    batches: Vec<ExpectedBatch>,
    /// The runbook's `[bundle]` and `[safe]`: what verify, review and archive
    /// read of it once it is planned. Its intents are not kept: a refund of
    /// thousands of jobs holds each job id with its place in the file.
    bundle: Bundle,
    safe: SafeConfig,
    pub deployment: Deployment,
    /// The address book's file as named (the intent itself when inline) and its keccak256.
    pub book_file: (String, alloy_primitives::B256),
    /// The ABIs the intent was compiled with (embedded, --abi-dir, deployment).
    pub registry: AbiRegistry,
    /// The keccak256 of each ABI file the intent's address book gave, by
    /// contract: what the signer's own book must agree with.
    pub book_abis: BTreeMap<String, alloy_primitives::B256>,
}

impl CompiledIntent {
    fn new(prepared: Prepared, batches: Vec<ExpectedBatch>) -> Self {
        let book_abis = prepared
            .inputs
            .abis
            .iter()
            .filter(|(_, abi)| matches!(abi.origin, AbiOrigin::Deployment))
            .map(|(name, abi)| (name.clone(), alloy_primitives::keccak256(&abi.file.bytes)))
            .collect();
        CompiledIntent {
            book_abis,
            batches,
            bundle: prepared.runbook.bundle,
            safe: prepared.runbook.safe,
            deployment: prepared.deployment,
            book_file: prepared.book_file,
            registry: prepared.registry,
        }
    }

    /// The batch of that file name, or the only batch (a batch given under
    /// another name, or on standard input).
    fn batch(&self, name: &str) -> Option<&ExpectedBatch> {
        self.batches
            .iter()
            .find(|b| b.file == name)
            .or(match self.batches.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }

    /// The calls of the batch of that file name (or of the only batch), and
    /// the Safe transaction's target: the chain, the Safe that proposes it,
    /// its version, nonce and MultiSendCallOnly choice.
    pub fn batch_named(&self, name: &str) -> Option<(&[Call], VerifyTarget)> {
        self.batch(name)
            .map(|b| (b.calls.as_slice(), b.target.clone()))
    }

    /// What each call of `batch` (as [`Self::batch_named`] picks it) is for.
    pub fn summaries(&self, batch: &str) -> Option<&[Rc<str>]> {
        self.batch(batch).map(|b| b.summaries.as_slice())
    }

    /// The kind of the batch of that file name, if the intent builds one.
    pub fn batch_kind(&self, name: &str) -> Option<BatchKind> {
        self.batches.iter().find(|b| b.file == name).map(|b| b.kind)
    }

    /// The runbook's `[bundle]`.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// The runbook's `[safe]`.
    pub fn safe(&self) -> &SafeConfig {
        &self.safe
    }

    /// `[safe] nonce = "a..b"`: the nonces the batch is pre-signed at.
    pub fn nonce_range(&self) -> Option<bundlec::safe::NonceRange> {
        self.safe.nonce_range
    }

    /// The batch files, in the order the build writes them (main, then accept).
    pub fn batch_names(&self) -> Vec<String> {
        self.batches.iter().map(|b| b.file.clone()).collect()
    }

    /// Names from the deployment, with `safe` as the Safe that signs.
    pub fn address_book(&self, safe: alloy_primitives::Address) -> AddressBook {
        AddressBook::for_deployment(&self.deployment, safe)
    }
}

/// An intent file built in memory, every output rendered: for `bundlec
/// review` and `archive`, which hold the files on disk to it.
pub struct BuiltIntent {
    pub intent: CompiledIntent,
    outputs: Vec<OutputFile>,
}

impl BuiltIntent {
    /// Every file the build makes (batches, their typed data and proposals,
    /// then the manifest), in memory.
    pub fn outputs(&self) -> &[OutputFile] {
        &self.outputs
    }
}

/// Compiles `path` as `bundlec build` would, up to its batches, without
/// rendering or writing anything: what `verify --intent` compares a batch
/// with. An intent that build refuses is refused here with the same error,
/// up to what only concerns the files build renders (see
/// [`build::plan_batches`]).
pub fn compile_for_verify(path: &Path, abi_dir: Option<&Path>) -> Result<CompiledIntent, CliError> {
    let (registry, abi_dir_files, _) = base_registry(abi_dir)?;
    let prepared = prepare(path, registry, &abi_dir_files).map_err(CliError)?;
    let batches = build::plan_batches(
        &prepared.stem,
        &prepared.runbook,
        &prepared.deployment,
        &prepared.plan,
    )
    .map_err(|e| CliError(e.to_string()))?;
    let expected = batches.iter().map(ExpectedBatch::new).collect();
    Ok(CompiledIntent::new(prepared, expected))
}

/// Compiles and builds `path` in memory as `bundlec build` would, every
/// output rendered, without writing anything.
pub fn build_in_memory(path: &Path, abi_dir: Option<&Path>) -> Result<BuiltIntent, CliError> {
    let (registry, abi_dir_files, _) = base_registry(abi_dir)?;
    let prepared = prepare(path, registry, &abi_dir_files).map_err(CliError)?;
    let request = prepared.request();
    let batches = build::plan_batches(
        request.stem,
        request.runbook,
        request.deployment,
        request.plan,
    )
    .map_err(|e| CliError(e.to_string()))?;
    let outputs = build::render(&request, &batches)
        .and_then(|outputs| outputs.into_iter().map(rendered).collect())
        .map_err(|e| CliError(e.to_string()))?;
    let expected = batches.iter().map(ExpectedBatch::new).collect();
    Ok(BuiltIntent {
        intent: CompiledIntent::new(prepared, expected),
        outputs,
    })
}

/// `output` rendered to text (review and archive read the manifest whole),
/// refused as `build` refuses it.
fn rendered(mut output: OutputFile) -> Result<OutputFile, BuildError> {
    if let OutputContents::Json(_) = &output.contents {
        output.contents = OutputContents::Text(output.contents.text()?.into_owned());
    }
    Ok(output)
}

/// An intent file read, parsed and planned, with everything its build needs.
struct Prepared {
    /// The file's name without `.toml`: every output's name starts with it.
    stem: String,
    runbook: Runbook,
    deployment: Deployment,
    plan: Plan,
    /// The address book's file as named (the intent itself when inline) and its keccak256.
    book_file: (String, alloy_primitives::B256),
    /// The embedded and --abi-dir ABIs, and the address book's.
    registry: AbiRegistry,
    /// The files the manifest records.
    inputs: Inputs,
    /// Every file read, to refuse outputs that would overwrite one.
    read: Vec<PathBuf>,
}

impl Prepared {
    fn request(&self) -> BuildRequest<'_> {
        BuildRequest {
            stem: &self.stem,
            runbook: &self.runbook,
            deployment: &self.deployment,
            plan: &self.plan,
            registry: &self.registry,
            inputs: &self.inputs,
            bundlec_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Reads, parses, plans and builds one intent file. Errors are the text to
/// print: `file:line:column: message` wherever the place is known.
fn compile(
    path: &Path,
    base_registry: &AbiRegistry,
    abi_dir_files: &BTreeMap<String, AbiFile>,
) -> Result<Compiled, String> {
    let prepared = prepare(path, base_registry.clone(), abi_dir_files)?;
    let outputs = build::build(&prepared.request()).map_err(|e| e.to_string())?;
    Ok(Compiled {
        outputs,
        inputs: prepared.read,
        runbook: prepared.runbook,
        notes: prepared.plan.notes,
    })
}

/// Reads, parses and plans one intent file, with `registry` (the embedded
/// and --abi-dir ABIs) extended by its address book's ABI files. Errors are
/// the text to print: `file:line:column: message` wherever the place is known.
fn prepare(
    path: &Path,
    mut registry: AbiRegistry,
    abi_dir_files: &BTreeMap<String, AbiFile>,
) -> Result<Prepared, String> {
    let shown = path.display().to_string();
    let intent_bytes = args::read_input(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let text =
        String::from_utf8(intent_bytes.clone()).map_err(|_| format!("{shown}: not UTF-8 text"))?;
    let intent_source = Source::new(shown.clone(), text);
    let runbook = parse_runbook(&intent_source).map_err(|e| e.to_string())?;
    let intent_dir = parent_dir(path);
    let mut read = vec![path.to_path_buf()];

    // The deployment, and the directory its ABI paths are relative to.
    let mut book_file = (shown.clone(), alloy_primitives::keccak256(&intent_bytes));
    let (deployment, deployment_file, deployment_dir, manifest_dir) = match &runbook.deployment {
        DeploymentSource::Inline(deployment) => {
            (deployment.clone(), None, intent_dir.clone(), None)
        }
        DeploymentSource::File(file) => {
            let (deployment, bytes, full) = read_deployment(&intent_dir, file)?;
            book_file = (
                full.display().to_string(),
                alloy_primitives::keccak256(&bytes),
            );
            read.push(full.clone());
            let written = Path::new(&file.value);
            (
                deployment,
                Some(InputFile::new(file.value.clone(), bytes)),
                parent_dir(&full),
                Some(parent_dir(written)),
            )
        }
    };

    let mut abis = abi_dir_files.clone();
    for (name, entry) in &deployment.contracts {
        let Some(abi_file) = &entry.abi_file else {
            continue;
        };
        let fail = |message: String| InputError::new(entry.at.clone(), message).to_string();
        let full = abi_path_inside(&deployment_dir, abi_file).map_err(|why| {
            fail(format!(
                "the ABI of {name}, `{}`, {why}: an `abi` path is relative to the address book and stays \
                 inside its folder ({})",
                bundlec::text::untrusted(abi_file),
                deployment_dir.display()
            ))
        })?;
        let bytes = args::read_input(&full).map_err(|e| {
            fail(format!(
                "cannot read the ABI of {name}, {}: {e}",
                full.display()
            ))
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            fail(format!(
                "the ABI of {name}, {}, is not UTF-8 text",
                full.display()
            ))
        })?;
        // An alias key (`RewardEngine`) extends the ABI of the contract it
        // names; any other key the ABI of its own name, when bundlec has one.
        let base = bundlec::plan::agijobs::PROFILE.canonical_name(name);
        registry
            .extend_contract(name, base, text)
            .map_err(|e| fail(format!("{}: {e}", full.display())))?;
        read.push(full);
        let manifest_name = match &manifest_dir {
            Some(dir) => slash_path(&dir.join(abi_file)),
            None => abi_file.clone(),
        };
        abis.insert(
            name.clone(),
            AbiFile {
                file: InputFile::new(manifest_name, bytes),
                origin: AbiOrigin::Deployment,
            },
        );
    }

    let plan = plan_runbook(&runbook, &deployment, &registry).map_err(|e| e.to_string())?;
    let inputs = Inputs {
        intent: InputFile::new(file_name(path), intent_bytes),
        deployment: deployment_file,
        abis,
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{shown}: not a file name"))?;
    Ok(Prepared {
        stem,
        runbook,
        deployment,
        plan,
        book_file,
        registry,
        inputs,
        read,
    })
}

/// `abi` of a book entry as a file inside `dir`, the book's folder: a
/// relative path that, resolved (symbolic links and `..` included), stays in
/// that folder. The error says why not.
pub(super) fn abi_path_inside(dir: &Path, abi: &str) -> Result<PathBuf, String> {
    let path = Path::new(abi);
    if path.is_absolute()
        || path.has_root()
        || path
            .components()
            .any(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
    {
        return Err("is an absolute path".to_owned());
    }
    let full = dir.join(path);
    let folder = fs::canonicalize(dir).map_err(|e| {
        format!(
            "cannot be checked: the folder {} cannot be resolved ({e})",
            dir.display()
        )
    })?;
    // A file that does not resolve is not read either: reading it says why.
    let Ok(resolved) = fs::canonicalize(&full) else {
        return Ok(full);
    };
    if !resolved.starts_with(&folder) {
        return Err(format!(
            "resolves to {}, outside the address book's folder",
            resolved.display()
        ));
    }
    Ok(full)
}

/// Reads and parses `[deployment] file`, relative to the intent file.
fn read_deployment(
    intent_dir: &Path,
    file: &Located<String>,
) -> Result<(Deployment, Vec<u8>, PathBuf), String> {
    let full = intent_dir.join(&file.value);
    let fail = |message: String| InputError::new(file.at.clone(), message).to_string();
    let bytes = args::read_input(&full).map_err(|e| {
        fail(format!(
            "cannot read the deployment file {}: {e}",
            full.display()
        ))
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        fail(format!(
            "the deployment file {} is not UTF-8 text",
            full.display()
        ))
    })?;
    let deployment = parse_deployment(&Source::new(full.display().to_string(), text))
        .map_err(|e| e.to_string())?;
    Ok((deployment, bytes, full))
}

/// The directory of a path as given (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A relative path with `/` separators and no `.` parts, the same on every OS.
fn slash_path(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// No two outputs may share a path, and no output may replace an input
/// (the intent, its address book, an ABI file): paths are compared as the
/// file system resolves them, so `deployments/../deployments/x` or a symlink
/// is the file it reaches.
fn check_targets(targets: &[Target], inputs: &[PathBuf]) -> Result<(), CliError> {
    let inputs: Vec<(PathBuf, &PathBuf)> = inputs.iter().map(|i| (resolved(i), i)).collect();
    let mut seen: BTreeMap<&Path, &Path> = BTreeMap::new();
    for target in targets {
        if let Some((_, input)) = inputs.iter().find(|(real, _)| *real == target.real) {
            return Err(CliError(format!(
                "{} is an input file (read as {}): bundlec never overwrites an input with an output, \
                 comparing paths as resolved files; rename the input or use --out-dir",
                target.path.display(),
                input.display()
            )));
        }
        if let Some(first) = seen.insert(&target.real, &target.path) {
            return Err(CliError(format!(
                "two outputs would be written to {} (also {}): rename one of the intent files",
                target.path.display(),
                first.display()
            )));
        }
    }
    Ok(())
}

/// `--check`: every output must be on disk byte for byte. Under --quiet
/// only the files that differ are named. Every output is compared before
/// anything is printed: a refused output is the runbook's error alone.
fn check(targets: &[Target], leftovers: &[PathBuf]) -> Result<Outcome, Failure> {
    let quiet = super::quiet();
    let mut notices: Vec<String> = leftovers
        .iter()
        .map(|path| {
            format!(
                "stale: {} (no longer built: `bundlec build` removes it)",
                path.display()
            )
        })
        .collect();
    for target in targets {
        match same_as_file(&target.path, &target.output.contents) {
            Ok(Some(true)) => {}
            Ok(Some(false)) => notices.push(format!("differs: {}", target.path.display())),
            Ok(None) => notices.push(format!("missing: {}", target.path.display())),
            Err(error) => return Err(Failure::Refused(error.to_string())),
        }
    }
    for notice in &notices {
        super::print_line(Notice, notice)?;
    }
    let stale = notices.len();
    if stale == 0 {
        if !quiet {
            outln!("{} files up to date", targets.len())?;
        }
        Ok(Outcome::Success)
    } else if quiet {
        Ok(Outcome::CheckFailed)
    } else {
        outln!(
            "{stale} of {} files differ from a fresh build: run `bundlec build` and review the changes",
            targets.len()
        )?;
        Ok(Outcome::CheckFailed)
    }
}

fn summary(target: &Target) -> String {
    let path = target.path.display();
    match (&target.output.batch, target.output.role) {
        (_, OutputRole::TypedData { nonce }) => {
            format!("wrote {path}: EIP-712 typed data of the Safe transaction at nonce {nonce}")
        }
        (_, OutputRole::Proposal { nonce }) => format!(
            "wrote {path}: Safe Transaction Service proposal at nonce {nonce} (fill in sender and signature)"
        ),
        (None, _) => format!("wrote {path} (manifest)"),
        (Some(batch), _) => format!(
            "wrote {path}: {} call{} for Safe {} at nonce {}, safeTxHash {}",
            batch.calls,
            if batch.calls == 1 { "" } else { "s" },
            view::address(batch.safe),
            batch.nonce,
            view::hash(batch.safe_tx_hash),
        ),
    }
}

/// One output on its way in: the temporary file beside its target, and the
/// hard link (or copy) that keeps the target's old content until the end.
struct Staged<'a> {
    target: &'a Path,
    temp: PathBuf,
    backup: Option<PathBuf>,
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    parent_dir(path).join(format!(".{name}.bundlec-{}.{suffix}", std::process::id()))
}

/// Removes the temporary files and backups of `staged`.
fn discard<'s, 'a: 's>(staged: impl IntoIterator<Item = &'s Staged<'a>>) {
    for s in staged {
        let _ = fs::remove_file(&s.temp);
        if let Some(backup) = &s.backup {
            let _ = fs::remove_file(backup);
        }
    }
}

fn write_atomically(targets: &[Target]) -> Result<(), Failure> {
    let mut created_dirs = Vec::new();
    let mut staged: Vec<Staged> = Vec::with_capacity(targets.len());
    let result = stage_and_commit(targets, &mut staged, &mut created_dirs);
    if result.is_err() {
        for dir in created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
    result
}

fn stage_and_commit<'a>(
    targets: &'a [Target],
    staged: &mut Vec<Staged<'a>>,
    created_dirs: &mut Vec<PathBuf>,
) -> Result<(), Failure> {
    // 1. Every output to a temporary file in its target's directory.
    for target in targets {
        let dir = parent_dir(&target.path);
        if !dir.exists() {
            fs::create_dir_all(&dir)
                .map_err(|e| CliError(format!("cannot create {}: {e}", dir.display())))?;
            created_dirs.push(dir);
        }
        let temp = sibling(&target.path, "tmp");
        // A JSON output is rendered straight into its file, in large checked
        // pieces (see `build::OutputContents::write_to`): no buffer needed.
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(WriteOutputError::Io)
            .and_then(|mut f| {
                target.output.contents.write_to(&mut f)?;
                Ok(f.sync_all()?)
            });
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            discard(staged.iter());
            return Err(match e {
                WriteOutputError::Io(e) => {
                    Failure::Other(CliError(format!("cannot write {}: {e}", temp.display())))
                }
                WriteOutputError::Refused(error) => Failure::Refused(error.to_string()),
            });
        }
        staged.push(Staged {
            target: &target.path,
            temp,
            backup: None,
        });
    }

    // 2. Keep the old content of every existing target, to restore on failure.
    let mut failure = None;
    for s in staged.iter_mut() {
        if !s.target.is_file() {
            continue;
        }
        let backup = sibling(s.target, "old");
        let kept =
            fs::hard_link(s.target, &backup).or_else(|_| fs::copy(s.target, &backup).map(|_| ()));
        if let Err(e) = kept {
            let _ = fs::remove_file(&backup);
            failure = Some(CliError(format!(
                "cannot keep a copy of {}: {e}",
                s.target.display()
            )));
            break;
        }
        s.backup = Some(backup);
    }
    if let Some(err) = failure {
        discard(staged.iter());
        return Err(err.into());
    }

    // 3. Rename into place; on failure put back what was renamed so far.
    for (i, s) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(&s.temp, s.target) {
            for done in staged.iter().take(i) {
                match &done.backup {
                    Some(backup) => {
                        let _ = fs::rename(backup, done.target);
                    }
                    None => {
                        let _ = fs::remove_file(done.target);
                    }
                }
            }
            discard(staged.iter().skip(i));
            return Err(CliError(format!(
                "cannot write {}: {e} (no file was changed)",
                s.target.display()
            ))
            .into());
        }
    }

    // 4. Done: drop the old contents.
    for s in staged.iter() {
        if let Some(backup) = &s.backup {
            let _ = fs::remove_file(backup);
        }
    }
    Ok(())
}
