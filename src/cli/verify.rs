//! `bundlec verify`: the signer's independent check of a batch.

use std::path::{Path, PathBuf};

use alloy_primitives::{Address, B256, U256};
use bundlec::address_book::AddressBook;
use bundlec::safe::SafeVersion;
use bundlec::safe::batching::Call;
use bundlec::safe::view::SafeTxView;
use bundlec::verify::{self, GivenSafeTx, NestedOwner, Request, Target};
use clap::Args;
use serde_json::Value;

use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The Transaction Builder batch to check
    #[arg(value_name = "BATCH.json")]
    batch: PathBuf,
    /// The intent file the batch should have been built from: it must recompile to the same calls
    #[arg(long, value_name = "FILE.toml")]
    intent: Option<PathBuf>,
    /// The manifest written with the batch: its Safe transaction and hashes must match
    #[arg(long, value_name = "FILE.safe.json")]
    manifest: Option<PathBuf>,
    /// An address book (deployment TOML) to name contracts and labels with, when there is no --intent
    #[arg(long, value_name = "FILE.toml", conflicts_with = "intent")]
    deployment: Option<PathBuf>,
    /// A proposed Safe transaction (Safe Transaction Service JSON or bundlec's manifest form)
    #[arg(long, value_name = "FILE.json")]
    safe_tx: Option<PathBuf>,
    /// The Safe that signs (default: intent, manifest, then the batch's createdFromSafeAddress)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    safe: Option<Address>,
    /// Chain id (default: intent, manifest, then the batch's chainId)
    #[arg(long, value_name = "N")]
    chain_id: Option<u64>,
    /// The Safe's version (default: intent, then manifest; there is no guess)
    #[arg(long, value_name = "VERSION", value_parser = args::safe_version)]
    safe_version: Option<SafeVersion>,
    /// The Safe nonce the batch will use (overrides every other source)
    #[arg(long, value_name = "N", value_parser = args::uint256)]
    nonce: Option<U256>,
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
    /// Treat every warning as an error
    #[arg(long)]
    strict: bool,
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

pub fn run(args: VerifyArgs) -> Result<Outcome, CliError> {
    let batch = read_json(&args.batch)?;
    let batch_name = file_name(&args.batch);
    let registry_dir = args.abi_dir.as_deref();

    let flags = Partial {
        chain_id: args.chain_id,
        safe: args.safe,
        version: args.safe_version,
        nonce: args.nonce,
    };

    let mut book = None;
    let mut intent_calls: Option<Vec<Call>> = None;
    let mut from_intent = Partial::default();
    let mut registry = None;
    if let Some(intent) = &args.intent {
        let compiled = super::build::compile_for_verify(intent, registry_dir)?;
        let (expected, target) = compiled.batch_named(&batch_name).ok_or_else(|| {
            CliError(format!(
                "{} builds no batch named {batch_name} (it builds {})",
                intent.display(),
                compiled.batch_names().join(", ")
            ))
        })?;
        let mut scratch = verify::Findings::new(false);
        let contents = verify::read_batch(&expected, &mut scratch)
            .map_err(|e| CliError(format!("the batch built from {}: {e}", intent.display())))?;
        intent_calls = Some(contents.calls);
        from_intent = Partial {
            chain_id: Some(target.chain_id),
            safe: Some(target.safe),
            version: Some(target.version),
            nonce: Some(target.nonce),
        };
        book = Some(compiled.address_book(target.safe));
        registry = Some(compiled.registry);
    }
    let registry = match registry {
        Some(registry) => registry,
        None => args::load_registry(registry_dir)?,
    };

    let mut manifest_view = None;
    let mut from_manifest = Partial::default();
    if let Some(path) = &args.manifest {
        let (partial, view) = manifest_entry(&read_json(path)?, &batch_name, path)?;
        from_manifest = partial;
        manifest_view = Some(view);
    }

    let given: Option<GivenSafeTx> = match &args.safe_tx {
        None => None,
        Some(path) => {
            let mut value = read_json(path)?;
            // A whole manifest: the Safe transaction it records for this batch.
            if value.get("batches").is_some() {
                let (_, view) = manifest_entry(&value, &batch_name, path)?;
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

    let book = match (book, &args.deployment) {
        (Some(book), _) => book,
        (None, Some(path)) => {
            let text = String::from_utf8(args::read_file(path)?)
                .map_err(|_| CliError(format!("{}: not UTF-8 text", path.display())))?;
            let source = bundlec::runbook::Source::new(path.display().to_string(), text);
            let deployment =
                bundlec::runbook::parse_deployment(&source).map_err(|e| CliError(e.to_string()))?;
            if deployment.chain_id != chain_id {
                return Err(CliError(format!(
                    "{} is the address book of chain {}, not chain {chain_id}",
                    path.display(),
                    deployment.chain_id
                )));
            }
            AddressBook::for_deployment(&deployment, safe)
        }
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
    let request = Request {
        batch: &batch,
        target: Target {
            chain_id,
            safe,
            version,
            nonce,
        },
        intent_calls: intent_calls.as_deref(),
        manifest_safe_tx: manifest_view.as_ref(),
        given_safe_tx: given.as_ref(),
        expect_safe_tx_hash: args.expect_safe_tx_hash,
        nested,
        registry: &registry,
        book: &book,
        strict: args.strict,
    };
    let report =
        verify::verify(&request).map_err(|e| CliError(format!("{}: {e}", args.batch.display())))?;
    if args.json {
        let mut json = verify::render::report_json(&report, &book);
        if let Value::Object(map) = &mut json {
            let names: Vec<&str> = unchecked.iter().map(|(name, _)| *name).collect();
            map.insert("unchecked".into(), serde_json::json!(names));
        }
        super::hash::print_json(&json)?;
    } else {
        let mut text = verify::render::report_text(&report, &book, &batch_name);
        if !unchecked.is_empty() {
            let names: Vec<&str> = unchecked.iter().map(|(name, _)| *name).collect();
            let flags: Vec<&str> = unchecked.iter().map(|(_, flag)| *flag).collect();
            text.push_str(&format!(
                "\nnote: the {} came from the batch or its manifest, which cannot vouch for themselves: give {} (or --intent) to check them\n",
                names.join(", "),
                flags.join(", ")
            ));
        }
        super::print_out(&text)?;
    }
    Ok(if report.ok {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}
