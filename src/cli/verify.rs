//! `bundlec verify`: the signer's independent check of a batch.

use std::path::{Path, PathBuf};

use alloy_primitives::{Address, B256, U256};
use bundlec::address_book::AddressBook;
use bundlec::safe::SafeVersion;
use bundlec::safe::batching::Call;
use bundlec::safe::deployments::{self, AddressType, MultiSendChoice};
use bundlec::safe::view::SafeTxView;
use bundlec::verify::{
    self, Acceptance, BookOrigin, Code, GivenSafeTx, NestedOwner, Preliminary, Report, Request,
    Target, Verdict,
};
use clap::Args;
use serde_json::Value;

use super::{CliError, Outcome, args};

#[derive(Debug, Default, Args)]
pub struct VerifyArgs {
    /// The Transaction Builder batch to check (- reads it from standard input); several parts of
    /// one intent (`refund.1.json refund.2.json`) are each checked at their own nonce
    #[arg(value_name = "BATCH.json", required = true, num_args = 1..)]
    batches: Vec<PathBuf>,
    /// The intent file the batch should have been built from: it must recompile to the same calls
    #[arg(long, value_name = "FILE.toml")]
    intent: Option<PathBuf>,
    /// The manifest written with the batch: its Safe transaction and hashes must match
    #[arg(long, value_name = "FILE.safe.json")]
    manifest: Option<PathBuf>,
    /// Your own address book (deployment TOML): it names addresses, and with --intent every
    /// contract and label of the intent's book must agree with it
    #[arg(long, value_name = "FILE.toml")]
    deployment: Option<PathBuf>,
    /// A proposed Safe transaction (Safe Transaction Service JSON or bundlec's manifest form)
    #[arg(long, value_name = "FILE.json")]
    safe_tx: Option<PathBuf>,
    /// The Safe that signs (default: intent, manifest, then the batch's createdFromSafeAddress)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    safe: Option<Address>,
    /// The chain (default: intent, manifest, then the batch's chainId)
    #[command(flatten)]
    chain: args::OptionalChain,
    /// The Safe's version (default: intent, then manifest; there is no guess)
    #[arg(long, value_name = "VERSION", value_parser = args::safe_version)]
    safe_version: Option<SafeVersion>,
    /// The Safe nonce the batch will use (overrides every other source)
    #[arg(long, value_name = "N", value_parser = args::uint256)]
    nonce: Option<U256>,
    /// The Safe's master copy (singleton): batches of several calls go through the
    /// MultiSendCallOnly of its deployment type, as Safe{Wallet} does (default: the intent's
    /// `[safe]`, then the chain's default)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    singleton: Option<Address>,
    /// The deployment type of the Safe's master copy: canonical, eip155 or zksync
    #[arg(long, value_name = "TYPE", value_parser = deployment_type)]
    deployment_type: Option<AddressType>,
    /// The MultiSendCallOnly batches go through, for a chain bundlec's table does not know
    /// (on a known chain it must be one the chain lists); the only such address verify trusts
    /// for DELEGATECALL
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    multi_send_call_only: Option<Address>,
    /// The safeTxHash you were told to expect
    #[arg(long, value_name = "HASH")]
    expect_safe_tx_hash: Option<B256>,
    /// Also show the approveHash transaction this owner Safe signs (nested Safe)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address, requires = "nested_nonce")]
    nested_safe: Option<Address>,
    /// The owner Safe's nonce
    #[arg(long, value_name = "N", value_parser = args::uint256, requires = "nested_safe")]
    nested_nonce: Option<U256>,
    /// The owner Safe's version (default: the Safe's)
    #[arg(long, value_name = "VERSION", value_parser = args::safe_version, requires = "nested_safe")]
    nested_safe_version: Option<SafeVersion>,
    /// Add or override ABIs: one <Name>.json per contract
    #[arg(long, value_name = "DIR")]
    abi_dir: Option<PathBuf>,
    /// Print one JSON object instead of text
    #[arg(long)]
    json: bool,
    /// Accept one danger on purpose, by code and path (`unlabelled-recipient@tx 0`); repeatable
    #[arg(long, value_name = "CODE@PATH", value_parser = acceptance)]
    accept: Vec<Acceptance>,
    /// Fail on notices too, and on NO REFERENCE
    #[arg(long)]
    strict: bool,
}

fn deployment_type(text: &str) -> Result<AddressType, String> {
    text.parse()
}

/// What the signer's flags say about the MultiSendCallOnly, checked against
/// the chain and version; `None` when no flag says anything.
fn flag_multi_send(
    args: &VerifyArgs,
    version: SafeVersion,
    chain_id: u64,
) -> Result<Option<MultiSendChoice>, CliError> {
    let from_singleton = match args.singleton {
        None => None,
        Some(singleton) => Some(
            deployments::singleton_type(version, chain_id, singleton)
                .map_err(|e| CliError(format!("--singleton: {e}")))?,
        ),
    };
    if let (Some(found), Some(given)) = (from_singleton, args.deployment_type)
        && found != given
    {
        return Err(CliError(format!(
            "--deployment-type is {}, but --singleton is a {} master copy: the two disagree; keep one",
            given.name(),
            found.name()
        )));
    }
    let choice = MultiSendChoice {
        deployment_type: args.deployment_type.or(from_singleton),
        address: args.multi_send_call_only,
    };
    if choice == MultiSendChoice::default() {
        return Ok(None);
    }
    deployments::choose_multi_send_call_only(version, chain_id, choice)
        .map_err(|e| CliError(e.to_string()))?;
    Ok(Some(choice))
}

fn acceptance(text: &str) -> Result<Acceptance, String> {
    text.parse()
        .map_err(|e: verify::findings::AcceptanceError| e.to_string())
}

/// Values one source says about the target; later sources fill the gaps.
#[derive(Default)]
struct Partial {
    chain_id: Option<u64>,
    safe: Option<Address>,
    version: Option<SafeVersion>,
    nonce: Option<U256>,
}

impl Partial {
    fn or(self, other: Partial) -> Partial {
        Partial {
            chain_id: self.chain_id.or(other.chain_id),
            safe: self.safe.or(other.safe),
            version: self.version.or(other.version),
            nonce: self.nonce.or(other.nonce),
        }
    }
}

fn read_json(path: &Path) -> Result<Value, CliError> {
    let bytes = args::read_file(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError(format!("{}: not UTF-8 text", path.display())))?;
    bundlec::txbuilder::parse_json(&text).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The manifest's entry for `batch_name` (or its only entry), and what it says.
fn manifest_entry(
    manifest: &Value,
    batch_name: &str,
    path: &Path,
) -> Result<(Partial, SafeTxView), CliError> {
    let bad = |what: &str| CliError(format!("{}: {what}", path.display()));
    let batches = manifest
        .get("batches")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("not a bundlec manifest (no `batches`)"))?;
    let entry = batches
        .iter()
        .find(|b| b.get("file").and_then(Value::as_str) == Some(batch_name))
        .or(if batches.len() == 1 {
            batches.first()
        } else {
            None
        })
        .ok_or_else(|| bad(&format!("has no batch named {batch_name}")))?;
    let view: SafeTxView =
        serde_json::from_value(entry.get("safe_tx").cloned().unwrap_or(Value::Null))
            .map_err(|e| bad(&format!("`safe_tx` of {batch_name}: {e}")))?;
    let text = |v: Option<&Value>, key: &str| -> Result<String, CliError> {
        v.and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| bad(&format!("`{key}` is missing or not a string")))
    };
    let partial = Partial {
        chain_id: Some(
            text(manifest.get("chain_id"), "chain_id")?
                .parse()
                .map_err(|_| bad("`chain_id` is not a chain id"))?,
        ),
        safe: Some(
            bundlec::parse::parse_address(&text(entry.get("safe"), "safe")?)
                .map_err(|e| bad(&format!("`safe`: {e}")))?,
        ),
        version: Some(
            text(entry.get("safe_version"), "safe_version")?
                .parse()
                .map_err(|e: bundlec::safe::UnsupportedSafeVersion| bad(&e.to_string()))?,
        ),
        nonce: Some(
            bundlec::parse::parse_uint256(&view.nonce)
                .map_err(|e| bad(&format!("`nonce`: {e}")))?,
        ),
    };
    Ok((partial, view))
}

/// A bundlec manifest (`*.safe.json`, with `batches`) given where a batch
/// belongs: say how to pass it, naming the batch files it records.
fn refuse_manifest_as_batch(value: &Value, path: &Path) -> Result<(), CliError> {
    if value.get("transactions").is_some() {
        return Ok(());
    }
    let Some(batches) = value.get("batches").and_then(Value::as_array) else {
        return Ok(());
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let beside = |name: &str| match dir {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_owned(),
    };
    let files: Vec<String> = batches
        .iter()
        .filter_map(|b| b.get("file").and_then(Value::as_str))
        .map(beside)
        .collect();
    let batch = if files.is_empty() {
        "BATCH.json".to_owned()
    } else {
        files.join(" ")
    };
    Err(CliError(format!(
        "{}: this is a bundlec manifest (it has `batches`), not a Transaction Builder batch: \
         pass it with --manifest beside its batch: bundlec verify {batch} --manifest {}",
        path.display(),
        path.display()
    )))
}

/// The signer's own address book, read once.
struct SignersBook {
    deployment: bundlec::runbook::Deployment,
    origin: BookOrigin,
}

fn read_signers_book(path: &Path) -> Result<SignersBook, CliError> {
    let bytes = args::read_file(path)?;
    let keccak = alloy_primitives::keccak256(&bytes);
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError(format!("{}: not UTF-8 text", path.display())))?;
    let source = bundlec::runbook::Source::new(path.display().to_string(), text);
    let deployment =
        bundlec::runbook::parse_deployment(&source).map_err(|e| CliError(e.to_string()))?;
    bundlec::plan::check_deployment(&bundlec::plan::agijobs::PROFILE, &deployment)
        .map_err(|e| CliError(e.to_string()))?;
    Ok(SignersBook {
        deployment,
        origin: BookOrigin {
            file: path.display().to_string(),
            keccak256: keccak,
            signers_own: true,
        },
    })
}

/// Every contract and label the intent's book names must be in the signer's
/// book at the same address: the intent may come from the same hands as the batch.
fn book_disagreements(
    intent: &bundlec::runbook::Deployment,
    signers: &bundlec::runbook::Deployment,
) -> Vec<Preliminary> {
    let mut out = Vec::new();
    let mut differ = |kind: &str, name: &str, theirs: Address, ours: Option<Address>| {
        if ours == Some(theirs) {
            return;
        }
        let ours = ours.map_or_else(
            || "has no such entry".to_string(),
            |a| format!("says {}", a.to_checksum(None)),
        );
        out.push(Preliminary {
            code: Code::AddressBookMismatch,
            path: "address_book".into(),
            message: format!(
                "the intent's address book says {kind} `{}` is {}, your book {ours}",
                bundlec::text::untrusted(name),
                theirs.to_checksum(None)
            ),
        });
    };
    for (name, entry) in &intent.contracts {
        differ(
            "contract",
            name,
            entry.address,
            signers.contracts.get(name).map(|e| e.address),
        );
    }
    for (name, label) in &intent.labels {
        differ(
            "label",
            name,
            label.value,
            signers.labels.get(name).map(|l| l.value),
        );
    }
    // A contract the intent's book calls not deployed is one that `modules
    // = "all"` skips: if the signer's book has it, the runbook drops it.
    for name in &intent.absent {
        if let Some(entry) = signers.contracts.get(&name.value) {
            out.push(Preliminary {
                code: Code::AddressBookMismatch,
                path: "address_book".into(),
                message: format!(
                    "the intent's address book says contract `{}` is not deployed (`absent`), your book says it is at {}: a runbook built from that book leaves it out",
                    bundlec::text::untrusted(&name.value),
                    entry.address.to_checksum(None)
                ),
            });
        }
    }
    if intent.chain_id != signers.chain_id {
        out.push(Preliminary {
            code: Code::AddressBookMismatch,
            path: "address_book".into(),
            message: format!(
                "the intent's address book is for chain {}, yours for chain {}",
                intent.chain_id, signers.chain_id
            ),
        });
    }
    out
}

pub fn run(args: VerifyArgs) -> Result<Outcome, CliError> {
    let registry_dir = args.abi_dir.as_deref();
    let stdin_args = args.batches.iter().filter(|p| args::is_stdin(p)).count()
        + [&args.deployment, &args.manifest, &args.safe_tx]
            .iter()
            .filter(|p| p.as_deref().is_some_and(args::is_stdin))
            .count();
    if stdin_args > 1 {
        return Err(CliError(
            "standard input can be read once: only one argument may be `-`".into(),
        ));
    }
    if args.intent.as_deref().is_some_and(args::is_stdin) {
        return Err(CliError(
            "--intent is read from a file, not standard input (-): its address book path is relative to it".into(),
        ));
    }
    let compiled = match &args.intent {
        Some(intent) => Some(super::build::compile_for_verify(intent, registry_dir)?),
        None => None,
    };
    let checked = check_parts(&args, compiled.as_ref())?;
    let total = checked.len();
    let mut all_ok = true;
    let mut json_parts = Vec::new();
    let mut text = String::new();
    for Checked {
        name,
        part,
        report,
        book,
    } in checked
    {
        let name = &name;
        all_ok &= report.ok;
        if args.json {
            let mut json = verify::render::report_json(&report, &book);
            if let (Value::Object(map), Some((k, n))) = (&mut json, part) {
                map.insert("file".into(), Value::String(name.clone()));
                map.insert("part".into(), serde_json::json!({"index": k, "of": n}));
            }
            json_parts.push(json);
        } else {
            if let Some((k, n)) = part.filter(|_| !super::quiet()) {
                text.push_str(&format!(
                    "{}== part {k} of {n}: {} ==\n",
                    if k > 1 { "\n" } else { "" },
                    bundlec::text::untrusted(name)
                ));
            }
            if super::quiet() {
                // --quiet: the verdict line only (the run's total for several parts).
                if total == 1 {
                    text.push_str(&verify::render::verdict_line(&report, name));
                    text.push('\n');
                }
            } else {
                text.push_str(&verify::render::report_text(&report, &book, name));
            }
        }
    }
    if args.json {
        let json = if json_parts.len() == 1 {
            json_parts.pop().unwrap_or(Value::Null)
        } else {
            let verdict = if all_ok { "verified" } else { "failed" };
            serde_json::json!({ "verdict": verdict, "ok": all_ok, "parts": json_parts })
        };
        super::hash::print_json(&json)?;
    } else {
        if total > 1 {
            text.push_str(&format!(
                "{}{}: {total} parts{}\n",
                if super::quiet() { "" } else { "\n" },
                if all_ok { "VERIFIED" } else { "FAILED" },
                if all_ok {
                    ", each verified at its own nonce"
                } else {
                    ": do not sign any of them"
                }
            ));
        }
        super::print_report(&text)?;
    }
    Ok(if all_ok {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}

/// One batch file checked: its name, its place among the parts, the report
/// and the address book that named its addresses.
pub struct Checked {
    pub name: String,
    /// `(k, n)`: part k of n, when several batches were checked together.
    pub part: Option<(usize, usize)>,
    pub report: Report,
    pub book: AddressBook,
}

/// `bundlec verify BATCHES --intent INTENT [--deployment BOOK]`, for a
/// runbook already compiled: what `bundlec review` reads. One report per
/// batch, in the runbook's order, judged exactly as verify judges them.
pub fn verify_built(
    intent: &Path,
    compiled: &super::build::CompiledIntent,
    batches: Vec<PathBuf>,
    deployment: Option<PathBuf>,
) -> Result<Vec<Checked>, CliError> {
    let args = VerifyArgs {
        batches,
        intent: Some(intent.to_path_buf()),
        deployment,
        ..VerifyArgs::default()
    };
    check_parts(&args, Some(compiled))
}

/// Every batch of `args` checked, in the runbook's order when several.
fn check_parts(
    args: &VerifyArgs,
    compiled: Option<&super::build::CompiledIntent>,
) -> Result<Vec<Checked>, CliError> {
    let registry_dir = args.abi_dir.as_deref();
    let signers_book = match &args.deployment {
        Some(path) => Some(read_signers_book(path)?),
        None => None,
    };
    let registry = match &compiled {
        Some(compiled) => compiled.registry.clone(),
        None => args::load_registry(registry_dir)?,
    };

    // Several files are parts of one intent (or manifest): each is checked at
    // its own nonce, and a part the intent builds but nobody gave is an error.
    let mut parts: Vec<(PathBuf, String)> = args
        .batches
        .iter()
        .map(|p| (p.clone(), file_name(p)))
        .collect();
    let mut missing = Vec::new();
    if parts.len() > 1 {
        let expected: Vec<String> = match (compiled, &args.manifest) {
            (Some(compiled), _) => compiled.batch_names(),
            (None, Some(path)) => manifest_files(&read_json(path)?, path)?,
            (None, None) => {
                return Err(CliError(
                    "several batches are verified as parts of one runbook: give --intent (or --manifest)"
                        .into(),
                ));
            }
        };
        for (path, name) in &parts {
            if !expected.contains(name) {
                return Err(CliError(format!(
                    "{}: not a part of this runbook (it builds {})",
                    path.display(),
                    expected.join(", ")
                )));
            }
        }
        let mut names: Vec<&String> = parts.iter().map(|(_, n)| n).collect();
        names.sort();
        if names.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(CliError("the same part is given twice".into()));
        }
        // Parts in the order the runbook builds them.
        parts.sort_by_key(|(_, name)| expected.iter().position(|e| e == name));
        missing = expected
            .iter()
            .filter(|e| !parts.iter().any(|(_, n)| n == *e))
            .cloned()
            .collect();
    }

    let total = parts.len();
    let mut checked = Vec::with_capacity(total);
    for (k, (path, name)) in parts.iter().enumerate() {
        let part = (total > 1).then(|| (k.saturating_add(1), total));
        let mut preliminary = Vec::new();
        if k == 0 {
            for m in &missing {
                preliminary.push(Preliminary {
                    code: Code::PartMismatch,
                    path: "batch".into(),
                    message: format!(
                        "the runbook builds {}, which was not given: every part must be verified before any is signed",
                        bundlec::text::untrusted(m)
                    ),
                });
            }
        }
        let (report, book) = verify_one(
            args,
            path,
            name,
            compiled,
            signers_book.as_ref(),
            &registry,
            preliminary,
        )?;
        checked.push(Checked {
            name: name.clone(),
            part,
            report,
            book,
        });
    }
    Ok(checked)
}

/// The batch files a manifest records, in order.
fn manifest_files(manifest: &Value, path: &Path) -> Result<Vec<String>, CliError> {
    manifest
        .get("batches")
        .and_then(Value::as_array)
        .map(|batches| {
            batches
                .iter()
                .filter_map(|b| b.get("file").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .ok_or_else(|| {
            CliError(format!(
                "{}: not a bundlec manifest (no `batches`)",
                path.display()
            ))
        })
}

fn verify_one(
    args: &VerifyArgs,
    batch_path: &Path,
    batch_name: &str,
    compiled: Option<&super::build::CompiledIntent>,
    signers_book: Option<&SignersBook>,
    registry: &bundlec::abi::registry::AbiRegistry,
    mut preliminary: Vec<Preliminary>,
) -> Result<(Report, AddressBook), CliError> {
    let batch = read_json(batch_path)?;
    refuse_manifest_as_batch(&batch, batch_path)?;
    let flags = Partial {
        chain_id: args.chain.id(),
        safe: args.safe,
        version: args.safe_version,
        nonce: args.nonce,
    };

    let mut intent_calls: Option<Vec<Call>> = None;
    let mut summaries: Option<Vec<String>> = None;
    let mut from_intent = Partial::default();
    let mut intent_multi_send = MultiSendChoice::default();
    let mut book = None;
    let mut book_origin = None;
    if let (Some(compiled), Some(intent)) = (compiled, &args.intent) {
        let (expected, target) = compiled.batch_named(batch_name).ok_or_else(|| {
            CliError(format!(
                "{} builds no batch named {batch_name} (it builds {})",
                intent.display(),
                compiled.batch_names().join(", ")
            ))
        })?;
        let mut scratch = verify::Findings::new();
        let contents = verify::read_batch(&expected, &mut scratch)
            .map_err(|e| CliError(format!("the batch built from {}: {e}", intent.display())))?;
        intent_calls = Some(contents.calls);
        summaries = compiled.summaries(batch_name);
        intent_multi_send = target.multi_send;
        from_intent = Partial {
            chain_id: Some(target.chain_id),
            safe: Some(target.safe),
            version: Some(target.version),
            nonce: Some(target.nonce),
        };
        // Flags that say otherwise than the intent are the signer's choice,
        // and the report says so.
        let overrides: [(&str, Option<String>, Option<String>); 4] = [
            (
                "chain id",
                args.chain.id().map(|v| v.to_string()),
                Some(target.chain_id.to_string()),
            ),
            (
                "Safe",
                args.safe.map(|a| a.to_checksum(None)),
                Some(target.safe.to_checksum(None)),
            ),
            (
                "Safe version",
                args.safe_version.map(|v| v.to_string()),
                Some(target.version.to_string()),
            ),
            (
                "nonce",
                args.nonce.map(|n| n.to_string()),
                Some(target.nonce.to_string()),
            ),
        ];
        for (what, flag, intent_value) in overrides {
            if let (Some(flag), Some(intent_value)) = (flag, intent_value)
                && flag != intent_value
            {
                preliminary.push(Preliminary {
                    code: Code::FlagOverride,
                    path: "batch".into(),
                    message: format!(
                        "the {what} is {flag} from the command line, where the intent says {intent_value}"
                    ),
                });
            }
        }
        match signers_book {
            Some(own) => {
                preliminary.extend(book_disagreements(&compiled.deployment, &own.deployment));
            }
            None => {
                preliminary.push(Preliminary {
                    code: Code::BookNotYours,
                    path: "address_book".into(),
                    message: format!(
                        "names come from the intent's address book {}, which may travel with the batch: give your own copy with --deployment",
                        bundlec::text::untrusted(&compiled.book_file.0)
                    ),
                });
                book = Some(compiled.address_book(target.safe));
                book_origin = Some(BookOrigin {
                    file: compiled.book_file.0.clone(),
                    keccak256: compiled.book_file.1,
                    signers_own: false,
                });
            }
        }
    }

    let mut manifest_view = None;
    let mut from_manifest = Partial::default();
    if let Some(path) = &args.manifest {
        // Its call summaries are free text from the batch's author: only the
        // intent's, recompiled here, are shown.
        let manifest = read_json(path)?;
        let (partial, view) = manifest_entry(&manifest, batch_name, path)?;
        from_manifest = partial;
        manifest_view = Some(view);
    }

    let given: Option<GivenSafeTx> = match &args.safe_tx {
        None => None,
        Some(path) => {
            let mut value = read_json(path)?;
            // A whole manifest: the Safe transaction it records for this batch.
            if value.get("batches").is_some() {
                let (_, view) = manifest_entry(&value, batch_name, path)?;
                value = serde_json::to_value(view)
                    .map_err(|e| CliError(format!("{}: {e}", path.display())))?;
            }
            Some(
                verify::parse_given_safe_tx(&value)
                    .map_err(|e| CliError(format!("{}: {e}", path.display())))?,
            )
        }
    };

    let (batch_chain, batch_safe) = verify::batch::batch_identity(&batch);
    let from_batch = Partial {
        chain_id: batch_chain.and_then(|s| s.parse().ok()),
        safe: batch_safe.as_deref().and_then(verify::batch::loose_address),
        version: None,
        nonce: None,
    };
    // The batch and its manifest come from the same author: what only they
    // say cannot check them. Flags and a recompiled intent are the signer's own.
    let independent = Partial::default().or(flags).or(from_intent);
    let mut unchecked = Vec::new();
    if independent.chain_id.is_none() {
        unchecked.push(("chain id", "--chain-id"));
    }
    if independent.safe.is_none() {
        unchecked.push(("Safe", "--safe"));
    }
    if independent.version.is_none() {
        unchecked.push(("Safe version", "--safe-version"));
    }
    if independent.nonce.is_none() {
        unchecked.push(("nonce", "--nonce"));
    }
    for (what, flag) in &unchecked {
        preliminary.push(Preliminary {
            code: Code::Unchecked,
            path: "batch".into(),
            message: format!(
                "the {what} came from the batch or its manifest, which cannot vouch for themselves: give {flag} (or --intent) to check it"
            ),
        });
    }
    let resolved = independent.or(from_manifest).or(from_batch);
    let chain_id = resolved
        .chain_id
        .ok_or_else(|| CliError("the chain is not known: give --chain-id".into()))?;
    let safe = resolved
        .safe
        .ok_or_else(|| CliError("the Safe is not known: give --safe".into()))?;
    let version = resolved.version.ok_or_else(|| {
        CliError(
            "the Safe version is not known: give --safe-version (or --intent / --manifest)".into(),
        )
    })?;
    // Never the proposed transaction's own nonce: it is one of the things checked.
    let nonce = resolved.nonce.ok_or_else(|| {
        CliError("the nonce is not known: give --nonce (or --intent / --manifest)".into())
    })?;

    let book = match (book, signers_book) {
        (_, Some(own)) => {
            if own.deployment.chain_id != chain_id {
                return Err(CliError(format!(
                    "{} is the address book of chain {}, not chain {chain_id}",
                    own.origin.file, own.deployment.chain_id
                )));
            }
            book_origin = Some(own.origin.clone());
            AddressBook::for_deployment(&own.deployment, safe)
        }
        (Some(book), None) => book,
        (None, None) => {
            let mut book = AddressBook::new(Some(chain_id));
            book.insert(safe, "the Safe", Some("Safe".into()));
            book
        }
    };
    // clap requires --nested-nonce with --nested-safe.
    let nested = args
        .nested_safe
        .zip(args.nested_nonce)
        .map(|(owner, nonce)| NestedOwner {
            safe: owner,
            version: args.nested_safe_version.unwrap_or(version),
            nonce,
        });
    // The signer's flags decide; else the intent's `[safe]` picks (and is
    // trusted for nothing: see `trusted_multi_send_call_only`).
    let multi_send = match flag_multi_send(args, version, chain_id)? {
        Some(flags) => {
            if args.intent.is_some() && flags != intent_multi_send {
                preliminary.push(Preliminary {
                    code: Code::FlagOverride,
                    path: "batch".into(),
                    message: "the MultiSendCallOnly is chosen from the command line (--singleton, --deployment-type, --multi-send-call-only), where the intent's [safe] says otherwise".into(),
                });
            }
            flags
        }
        None => intent_multi_send,
    };
    let request = Request {
        batch: &batch,
        target: Target {
            chain_id,
            safe,
            version,
            nonce,
            multi_send,
            trusted_multi_send_call_only: args.multi_send_call_only,
        },
        intent_calls: intent_calls.as_deref(),
        summaries: summaries.as_deref(),
        manifest_safe_tx: manifest_view.as_ref(),
        given_safe_tx: given.as_ref(),
        expect_safe_tx_hash: args.expect_safe_tx_hash,
        nested,
        registry,
        book: &book,
        book_origin,
        accept: &args.accept,
        preliminary: &preliminary,
        strict: args.strict,
    };
    let report =
        verify::verify(&request).map_err(|e| CliError(format!("{}: {e}", batch_path.display())))?;
    debug_assert!(report.ok == (report.verdict != Verdict::Failed));
    Ok((report, book))
}
