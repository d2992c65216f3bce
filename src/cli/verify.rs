//! `bundlec verify`: the signer's independent check of a batch.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256};
use bundlec::address_book::AddressBook;
use bundlec::safe::batching::Call;
use bundlec::safe::deployments::{self, AddressType, MultiSendChoice};
use bundlec::safe::view::SafeTxView;
use bundlec::safe::{NonceRange, SafeVersion, parse_nonce_range};
use bundlec::txbuilder::{Json, JsonTree};
use bundlec::verify::{
    self, Acceptance, BatchRead, BookOrigin, Code, GivenSafeTx, NestedOwner, Preliminary, Report,
    Request, Target, Verdict, VerifyError,
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
    /// The Safe nonce the batch will use (overrides every other source), or a range
    /// `42..46` to check it pre-signed at each of those nonces
    #[arg(long, value_name = "N|FIRST..LAST", value_parser = nonce_arg)]
    nonce: Option<NonceArg>,
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
    /// Print, once everything verified, each verified Safe transaction as EIP-712 typed data
    /// (eth_signTypedData_v4 JSON), one compact object per line, instead of the report
    #[arg(long, conflicts_with = "json")]
    typed_data: bool,
    /// Accept one danger on purpose, by code and path (`unlabelled-recipient@tx 0`); repeatable
    #[arg(long, value_name = "CODE@PATH", value_parser = acceptance)]
    accept: Vec<Acceptance>,
    /// Fail on notices too, and on NO REFERENCE
    #[arg(long)]
    strict: bool,
}

/// `--nonce`: one nonce, or a range of nonces the batch is pre-signed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NonceArg {
    One(U256),
    Range(NonceRange),
}

fn nonce_arg(text: &str) -> Result<NonceArg, String> {
    if bundlec::safe::nonces::looks_like_range(text) {
        parse_nonce_range(text)
            .map(NonceArg::Range)
            .map_err(|e| e.to_string())
    } else {
        args::uint256(text).map(NonceArg::One)
    }
}

/// Where the nonces of a pre-signed range come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeSource {
    Flag,
    Intent,
    Manifest,
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

fn read_text(path: &Path) -> Result<String, CliError> {
    let bytes = args::read_file(path)?;
    String::from_utf8(bytes).map_err(|_| CliError(format!("{}: not UTF-8 text", path.display())))
}

/// The batch files of one run of verify, each read once: a regular file
/// before anything else is, since its text and JSON tree are most of what
/// verify holds on a large batch, and they are freed before the intent is
/// compiled and the calls are decoded, which then take the memory they leave.
/// Standard input and other files that are not regular (a pipe, a device)
/// are read when their batch is first checked, as every file was, so that an
/// error of the intent or the arguments is not held up by a reader that
/// never ends. A file that cannot be read is refused where the check of that
/// batch reads it, so the errors come in the same order either way.
struct BatchFiles(Vec<(PathBuf, OnceCell<Result<BatchFile, String>>)>);

/// One batch file, read: its checksum and calls, and the chain and Safe it
/// names itself.
struct BatchFile {
    identity: (Option<String>, Option<String>),
    /// The file's checksum and calls, or why they cannot be read (an error
    /// of the batch's content, given after the run's other checks).
    read: Result<BatchRead, VerifyError>,
}

impl BatchFiles {
    fn read(paths: &[PathBuf]) -> BatchFiles {
        let mut files: Vec<(PathBuf, OnceCell<Result<BatchFile, String>>)> =
            Vec::with_capacity(paths.len());
        for path in paths {
            // A file given twice is read once (and refused as a part given twice).
            if files.iter().any(|(read, _)| read == path) {
                continue;
            }
            let file = OnceCell::new();
            if !args::is_stdin(path) && std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
                let _ = file.set(BatchFile::read(path).map_err(|e| e.0));
            }
            files.push((path.clone(), file));
        }
        BatchFiles(files)
    }

    /// The file at `path`, read now if it was not read before.
    fn get(&self, path: &Path) -> Result<&BatchFile, CliError> {
        let Some((_, file)) = self.0.iter().find(|(read, _)| read == path) else {
            // Every path checked is one of the paths given.
            return Err(CliError(format!(
                "{}: the file was not read",
                path.display()
            )));
        };
        match file.get_or_init(|| BatchFile::read(path).map_err(|e| e.0)) {
            Ok(file) => Ok(file),
            Err(message) => Err(CliError(message.clone())),
        }
    }
}

impl BatchFile {
    fn read(path: &Path) -> Result<BatchFile, CliError> {
        let text = read_text(path)?;
        let batch = parse_batch(&text, path)?;
        refuse_manifest_as_batch(&batch, path)?;
        Ok(BatchFile {
            identity: verify::batch::batch_identity(&batch),
            read: verify::read(&batch),
        })
    }
}

/// A batch file, parsed with its strings borrowed from `text`.
fn parse_batch<'t>(text: &'t str, path: &Path) -> Result<Json<'t>, CliError> {
    bundlec::txbuilder::parse_batch(text).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// A manifest (or a file that may be one) as `txbuilder::parse_json` reads it, but
/// without each batch entry's `calls`: their decoded trees are most of a
/// manifest's bytes and nothing in verify reads them. They are still parsed,
/// the way a `Value` is, and dropped as they are read.
///
/// Anything that is not the shape build writes (not an object, `batches` not
/// an array of objects) or does not parse is read again as a whole `Value`,
/// so those files are judged, and their errors worded, exactly as before.
fn read_manifest(path: &Path) -> Result<Value, CliError> {
    if let Some(value) = stream_manifest(path) {
        return Ok(value);
    }
    let text = read_text(path)?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match serde_json::from_str::<slim::Manifest>(body) {
        Ok(slim::Manifest(value)) => Ok(value),
        Err(_) => bundlec::txbuilder::parse_json(&text)
            .map_err(|e| CliError(format!("{}: {e}", path.display()))),
    }
}

/// [`read_manifest`]'s reading of a file as it streams, without holding its
/// text (341 MB at 100,000 calls): `None` on anything but a well-formed
/// manifest within `--max-input-bytes`, which is then read whole, so every
/// error is worded as before. What parses here parses the same from the
/// whole text: invalid UTF-8 can only stop the parser.
fn stream_manifest(path: &Path) -> Option<Value> {
    use std::io::{BufRead as _, Read as _};
    if args::is_stdin(path) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let limit = args::max_input_bytes();
    if file.metadata().ok()?.len() > limit {
        return None;
    }
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, file.take(limit));
    if reader.fill_buf().ok()?.starts_with("\u{feff}".as_bytes()) {
        reader.consume(3);
    }
    serde_json::from_reader::<_, slim::Manifest>(reader)
        .ok()
        .map(|slim::Manifest(value)| value)
}

/// The readers behind [`read_manifest`].
mod slim {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    /// A top-level object whose `batches` is read by [`Batches`].
    pub struct Manifest(pub Value);

    /// An array of [`Batch`]es.
    struct Batches(Value);

    /// An object whose `calls` is parsed and dropped.
    struct Batch(Value);

    /// Any JSON value, parsed as fully as a `Value` (numbers included, to the
    /// same nesting limit) and kept nowhere.
    struct Discard;

    struct ObjectVisitor {
        skip: Option<&'static str>,
        batches: bool,
    }

    impl<'de> Visitor<'de> for ObjectVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut object = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if self.skip == Some(key.as_str()) {
                    map.next_value::<Discard>()?;
                    // A later `calls` replaces an earlier one in a `Value`:
                    // either way nothing of it is kept.
                    object.remove(&key);
                } else if self.batches && key == "batches" {
                    let Batches(value) = map.next_value()?;
                    object.insert(key, value);
                } else {
                    let value = map.next_value::<Value>()?;
                    object.insert(key, value);
                }
            }
            Ok(Value::Object(object))
        }
    }

    impl<'de> Deserialize<'de> for Manifest {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(ObjectVisitor {
                skip: None,
                batches: true,
            })
            .map(Manifest)
        }
    }

    impl<'de> Deserialize<'de> for Batch {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(ObjectVisitor {
                skip: Some("calls"),
                batches: false,
            })
            .map(Batch)
        }
    }

    struct BatchesVisitor;

    impl<'de> Visitor<'de> for BatchesVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of batch objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut batches = Vec::new();
            while let Some(Batch(value)) = seq.next_element()? {
                batches.push(value);
            }
            Ok(Value::Array(batches))
        }
    }

    impl<'de> Deserialize<'de> for Batches {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(BatchesVisitor).map(Batches)
        }
    }

    struct DiscardVisitor;

    impl<'de> Visitor<'de> for DiscardVisitor {
        type Value = Discard;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E>(self, _: bool) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_str<E>(self, _: &str) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_unit<E>(self) -> Result<Discard, E> {
            Ok(Discard)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Discard, A::Error> {
            while seq.next_element::<Discard>()?.is_some() {}
            Ok(Discard)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Discard, A::Error> {
            while map.next_key::<Discard>()?.is_some() {
                map.next_value::<Discard>()?;
            }
            Ok(Discard)
        }
    }

    impl<'de> Deserialize<'de> for Discard {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(DiscardVisitor)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The full `Value` with every batch's `calls` removed, when it parses.
        fn full_without_calls(text: &str) -> Option<Value> {
            let mut value: Value = serde_json::from_str(text).ok()?;
            if let Some(batches) = value.get_mut("batches").and_then(Value::as_array_mut) {
                for batch in batches {
                    if let Some(object) = batch.as_object_mut() {
                        object.remove("calls");
                    }
                }
            }
            Some(value)
        }

        #[test]
        fn reads_what_a_value_reads_but_the_calls() {
            let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
            let cases = [
                r#"{"chain_id":"1","batches":[{"file":"a.json","calls":[{"decoded":{"x":[1,2.5,null,true]}}],"safe_tx":{"nonce":"1"}}]}"#.to_owned(),
                r#"{"batches":[{"file":"a.json","calls":1,"calls":[2]}],"batches":[{"file":"b.json"}]}"#.to_owned(),
                r#"{"batches":[{"calls":[1e400]}]}"#.to_owned(),
                r#"{"batches":[{"calls":["\x"]}]}"#.to_owned(),
                r#"{"batches":[{"calls":{"a":1,}}]}"#.to_owned(),
                r#"{"batches":[{"calls":[]}]} x"#.to_owned(),
                format!(r#"{{"batches":[{{"calls":{deep}}}]}}"#),
                r#"{"batches":{"file":"a.json"}}"#.to_owned(),
                r#"{"batches":[1]}"#.to_owned(),
                r#"[]"#.to_owned(),
                r#"{"transactions":[],"calls":[1]}"#.to_owned(),
            ];
            for text in &cases {
                let slim = serde_json::from_str::<Manifest>(text).ok().map(|m| m.0);
                let full = full_without_calls(text);
                // Where the slim reading fails, read_manifest reads a whole
                // Value, so only a slim success must agree with it.
                if slim.is_some() || full.is_none() {
                    assert_eq!(slim, full, "{text}");
                }
            }
            assert!(
                serde_json::from_str::<Manifest>(cases.first().map_or("", String::as_str)).is_ok()
            );
        }

        /// Read as it streams from a file, a manifest is what the whole
        /// text gives; anything else is left to the whole-text reading.
        #[test]
        fn streaming_reads_what_the_whole_text_reads() {
            let dir = tempfile::tempdir().unwrap();
            let good = r#"{"chain_id":"1","batches":[{"file":"a.json","calls":[{"x":"\u00e9"}]}]}"#;
            let cases: [(Vec<u8>, bool); 6] = [
                (good.into(), true),
                (format!("\u{feff}{good}").into(), true),
                (format!("{good}\n\n").into(), true),
                (
                    br#"{"batches":[{"file":"a.json","calls":["\xff"]}]}"#.to_vec(),
                    false,
                ),
                (b"{\"batches\":[{\"file\":\"\xff.json\"}]}".to_vec(), false),
                (format!("{good} x").into(), false),
            ];
            for (index, (bytes, streams)) in cases.iter().enumerate() {
                let path = dir.path().join(format!("{index}.safe.json"));
                std::fs::write(&path, bytes).unwrap();
                let streamed = super::super::stream_manifest(&path);
                assert_eq!(streamed.is_some(), *streams, "case {index}");
                let whole = std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|text| {
                        serde_json::from_str::<Manifest>(text.trim_start_matches('\u{feff}')).ok()
                    })
                    .map(|m| m.0);
                if streamed.is_some() {
                    assert_eq!(streamed, whole, "case {index}");
                }
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The manifest's entry for `batch_name` (or its only entry), and what it
/// says; at `nonce`, the Safe transaction its `presigned` list records for
/// that nonce.
fn manifest_entry_at(
    manifest: &Value,
    batch_name: &str,
    path: &Path,
    nonce: Option<U256>,
) -> Result<(Partial, SafeTxView), CliError> {
    let (mut partial, view) = manifest_entry(manifest, batch_name, path)?;
    let Some(nonce) = nonce else {
        return Ok((partial, view));
    };
    let found = manifest_presigned(manifest, batch_name, path)?
        .into_iter()
        .find(|(n, _)| *n == nonce);
    let Some((_, entry)) = found else {
        // Not pre-signed at that nonce: its one `safe_tx` is compared (and
        // differs, naming the nonce), as without a range.
        return Ok((partial, view));
    };
    partial.nonce = Some(nonce);
    Ok((
        partial,
        SafeTxView {
            nonce: nonce.to_string(),
            domain_hash: entry.domain_hash,
            message_hash: entry.message_hash,
            safe_tx_hash: entry.safe_tx_hash,
            ..view
        },
    ))
}

/// The hashes one entry of a manifest's `presigned` list records.
#[derive(serde::Deserialize)]
struct PresignedEntry {
    nonce: String,
    domain_hash: String,
    message_hash: String,
    safe_tx_hash: String,
    typed_data: String,
    proposal: String,
}

/// The `presigned` list of the manifest's entry for `batch_name` (or its
/// only entry), by nonce; empty when it has none.
fn manifest_presigned(
    manifest: &Value,
    batch_name: &str,
    path: &Path,
) -> Result<Vec<(U256, PresignedEntry)>, CliError> {
    let bad = |what: &str| CliError(format!("{}: {what}", path.display()));
    let entry = manifest_batch(manifest, batch_name, path)?;
    let Some(list) = entry.get("presigned") else {
        return Ok(Vec::new());
    };
    let list: Vec<PresignedEntry> = serde_json::from_value(list.clone())
        .map_err(|e| bad(&format!("`presigned` of {batch_name}: {e}")))?;
    let entries = list
        .into_iter()
        .map(|e| {
            let nonce = bundlec::parse::parse_uint256(&e.nonce)
                .map_err(|err| bad(&format!("`presigned` nonce: {err}")))?;
            Ok((nonce, e))
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    // The list is what build writes, or it vouches for nothing: consecutive
    // nonces from the batch's own `safe_tx`, whose nonce and hashes are the
    // first entry's, and the file names build gives each nonce. Anything else
    // (a repeated nonce, a second set of hashes for one) could carry hashes
    // no run of verify checks.
    let file = entry
        .get("file")
        .and_then(Value::as_str)
        .unwrap_or(batch_name);
    let safe_tx = entry.get("safe_tx");
    let field = |key: &str| safe_tx.and_then(|t| t.get(key)).and_then(Value::as_str);
    for (k, (nonce, e)) in entries.iter().enumerate() {
        let first = field("nonce").and_then(|n| bundlec::parse::parse_uint256(n).ok());
        let expected_nonce = first.map(|n| n.saturating_add(U256::from(k)));
        if expected_nonce != Some(*nonce) {
            return Err(bad(&format!(
                "`presigned` of {batch_name}: entry {} is nonce {nonce}, but build lists consecutive nonces from `safe_tx`'s",
                k.saturating_add(1)
            )));
        }
        if k == 0
            && (field("domain_hash") != Some(e.domain_hash.as_str())
                || field("message_hash") != Some(e.message_hash.as_str())
                || field("safe_tx_hash") != Some(e.safe_tx_hash.as_str()))
        {
            return Err(bad(&format!(
                "`presigned` of {batch_name}: the first entry's hashes are not `safe_tx`'s"
            )));
        }
        let names = u64::try_from(*nonce)
            .map(|n| bundlec::build::companion_file_names(file, n, true))
            .map_err(|_| bad("`presigned` nonce out of range"))?;
        if (e.typed_data.as_str(), e.proposal.as_str()) != (names.0.as_str(), names.1.as_str()) {
            return Err(bad(&format!(
                "`presigned` of {batch_name}: nonce {nonce} names {} and {}, not the files build writes ({} and {})",
                bundlec::text::untrusted(&e.typed_data),
                bundlec::text::untrusted(&e.proposal),
                names.0,
                names.1
            )));
        }
    }
    Ok(entries)
}

/// The manifest's entry for `batch_name`, or its only entry.
fn manifest_batch<'m>(
    manifest: &'m Value,
    batch_name: &str,
    path: &Path,
) -> Result<&'m Value, CliError> {
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
    Ok(entry)
}

/// The manifest's entry for `batch_name` (or its only entry), and what it says.
fn manifest_entry(
    manifest: &Value,
    batch_name: &str,
    path: &Path,
) -> Result<(Partial, SafeTxView), CliError> {
    let bad = |what: &str| CliError(format!("{}: {what}", path.display()));
    let entry = manifest_batch(manifest, batch_name, path)?;
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
fn refuse_manifest_as_batch(value: &Json<'_>, path: &Path) -> Result<(), CliError> {
    if JsonTree::get(value, "transactions").is_some() {
        return Ok(());
    }
    let Some(batches) = JsonTree::get(value, "batches").and_then(JsonTree::as_array) else {
        return Ok(());
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let beside = |name: &str| match dir {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_owned(),
    };
    let files: Vec<String> = batches
        .iter()
        .filter_map(|b| JsonTree::get(b, "file").and_then(JsonTree::as_str))
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
    /// The folder its `abi` paths are relative to.
    dir: PathBuf,
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
        dir: path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
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

/// Every ABI file the intent's book gives must be the file the signer's own
/// book gives for that contract, byte for byte. Functions are matched to
/// the intent's named arguments by their parameter names, so an ABI that
/// travels with the batch and swaps two names compiles the intent to a call
/// that swaps the arguments, and decodes it with the same lie.
fn book_abi_disagreements(
    intent_abis: &BTreeMap<String, alloy_primitives::B256>,
    own: &SignersBook,
) -> Result<Vec<Preliminary>, CliError> {
    let mut own_abis = BTreeMap::new();
    for (name, entry) in &own.deployment.contracts {
        let Some(abi_file) = &entry.abi_file else {
            continue;
        };
        let full = super::build::abi_path_inside(&own.dir, abi_file).map_err(|why| {
            CliError(format!(
                "{}: the ABI of {name}, `{}`, {why}",
                own.origin.file,
                bundlec::text::untrusted(abi_file)
            ))
        })?;
        let bytes = args::read_file(&full)?;
        own_abis.insert(name.clone(), alloy_primitives::keccak256(&bytes));
    }
    let names: BTreeSet<&String> = intent_abis.keys().chain(own_abis.keys()).collect();
    let shown = |hash: Option<&alloy_primitives::B256>| {
        hash.map_or_else(
            || "no ABI file (bundlec's own, if any)".to_string(),
            |h| format!("an ABI file with keccak256 {h}"),
        )
    };
    Ok(names
        .into_iter()
        .filter(|name| intent_abis.get(*name) != own_abis.get(*name))
        .map(|name| Preliminary {
            code: Code::AddressBookMismatch,
            path: "address_book".into(),
            message: format!(
                "the intent's address book reads `{}` with {}, your book with {}: the intent's arguments are matched to parameter names from that ABI",
                bundlec::text::untrusted(name),
                shown(intent_abis.get(name)),
                shown(own_abis.get(name))
            ),
        })
        .collect())
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
    // Each file is read before the intent is compiled, so that the plan
    // takes the memory its text and tree leave (see `BatchFiles`).
    let files = BatchFiles::read(&args.batches);
    let compiled = match &args.intent {
        Some(intent) => Some(super::build::compile_for_verify(intent, registry_dir)?),
        None => None,
    };
    let (checked, ranged) = check_parts(&args, compiled.as_ref(), &files)?;
    super::free_at_exit(files);
    let total = checked.len();
    let mut all_ok = true;
    let mut json_parts = Vec::new();
    let mut typed = String::new();
    let mut text = String::new();
    for Checked {
        name,
        part,
        at_nonce,
        report,
        book,
    } in checked
    {
        let name = &name;
        all_ok &= report.ok;
        if args.typed_data {
            let data = bundlec::safe::typed_data::safe_tx_typed_data(
                report.target.version,
                report.target.chain_id,
                report.target.safe,
                &report.safe_tx,
            );
            let line = serde_json::to_string(&data)
                .map_err(|e| CliError(format!("cannot serialise output: {e}")))?;
            typed.push_str(&line);
            typed.push('\n');
        } else if args.json {
            let mut json = verify::render::report_json(&report, &book);
            if let (Value::Object(map), Some((k, n))) = (&mut json, part) {
                map.insert("file".into(), Value::String(name.clone()));
                match at_nonce {
                    Some(nonce) => {
                        map.insert("nonce".into(), Value::String(nonce.to_string()));
                    }
                    None => {
                        map.insert("part".into(), serde_json::json!({"index": k, "of": n}));
                    }
                }
            }
            json_parts.push(json);
        } else {
            if let Some((k, n)) = part.filter(|_| !super::quiet()) {
                let what = match at_nonce {
                    Some(nonce) => format!("nonce {nonce} ({k} of {n} pre-signed)"),
                    None => format!("part {k} of {n}"),
                };
                text.push_str(&format!(
                    "{}== {what}: {} ==\n",
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
        super::free_at_exit((report, book));
    }
    super::free_at_exit(compiled);
    if args.typed_data {
        // Typed data only for what verified: nothing to sign otherwise.
        if !all_ok {
            super::print_error(
                "FAILED: no typed data is printed for a batch that does not verify; run without --typed-data to see why, and do not sign",
            );
            return Ok(Outcome::CheckFailed);
        }
        super::print_out(&typed)?;
    } else if args.json {
        let json = if json_parts.len() == 1 {
            json_parts.pop().unwrap_or(Value::Null)
        } else {
            let verdict = if all_ok { "verified" } else { "failed" };
            let key = if ranged { "nonces" } else { "parts" };
            serde_json::json!({ "verdict": verdict, "ok": all_ok, key: json_parts })
        };
        super::hash::print_json(&json)?;
    } else {
        if total > 1 {
            let (what, each) = if ranged {
                ("pre-signed nonces", ", each verified at its nonce")
            } else {
                ("parts", ", each verified at its own nonce")
            };
            text.push_str(&format!(
                "{}{}: {total} {what}{}\n",
                if super::quiet() { "" } else { "\n" },
                if all_ok { "VERIFIED" } else { "FAILED" },
                if all_ok {
                    each
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

/// One batch file checked (at one nonce of a pre-signed range, if any): its
/// name, its place among the runs, the report and the address book that named
/// its addresses.
pub struct Checked {
    pub name: String,
    /// `(k, n)`: run k of n, when several parts or nonces were checked together.
    pub part: Option<(usize, usize)>,
    /// The nonce of this run, with a pre-signed range.
    pub at_nonce: Option<U256>,
    pub report: Report,
    pub book: AddressBook,
}

/// `bundlec verify BATCHES --intent INTENT [--deployment BOOK]`, for a
/// runbook already compiled: what `bundlec review` reads. One report per
/// batch (per nonce of a pre-signed range), in the runbook's order, judged
/// exactly as verify judges them.
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
    let files = BatchFiles::read(&args.batches);
    check_parts(&args, Some(compiled), &files).map(|(checked, _)| checked)
}

/// Every batch of `args` checked, in the runbook's order when several, and at
/// every nonce of a pre-signed range; `true` when a range was checked.
fn check_parts(
    args: &VerifyArgs,
    compiled: Option<&super::build::CompiledIntent>,
    files: &BatchFiles,
) -> Result<(Vec<Checked>, bool), CliError> {
    let registry_dir = args.abi_dir.as_deref();
    let signers_book = match &args.deployment {
        Some(path) => Some(read_signers_book(path)?),
        None => None,
    };
    let loaded;
    let registry = match &compiled {
        Some(compiled) => &compiled.registry,
        None => {
            loaded = args::load_registry(registry_dir)?;
            &loaded
        }
    };

    // Several files are parts of one intent (or manifest): each is checked at
    // its own nonce, and a part the intent builds but nobody gave is an error.
    let mut parts: Vec<(PathBuf, String)> = args
        .batches
        .iter()
        .map(|p| (p.clone(), file_name(p)))
        .collect();
    let mut missing = Vec::new();
    let mut missing_nonces: Vec<String> = Vec::new();
    // The manifest, read once for every check of every part.
    let mut manifest_read: Option<Value> = None;
    if parts.len() > 1 {
        let expected: Vec<String> = match (compiled, &args.manifest) {
            (Some(compiled), _) => compiled.batch_names(),
            (None, Some(path)) => {
                let manifest = read_manifest(path)?;
                let files = manifest_files(&manifest, path)?;
                manifest_read = Some(manifest);
                files
            }
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

    // A pre-signed range: the same batch checked at every nonce of it, from
    // --nonce FIRST..LAST, else the intent's `[safe] nonce = "a..b"`, else the
    // manifest's `presigned` list (which cannot vouch for itself).
    let manifest_value = match &args.manifest {
        Some(path) => Some((
            match manifest_read.take() {
                Some(manifest) => manifest,
                None => read_manifest(path)?,
            },
            path,
        )),
        None => None,
    };
    let first_name = parts.first().map(|(_, n)| n.clone()).unwrap_or_default();
    let range: Option<(Vec<U256>, RangeSource)> = match args.nonce {
        Some(NonceArg::Range(r)) => Some((r.nonces().map(U256::from).collect(), RangeSource::Flag)),
        Some(NonceArg::One(_)) => None,
        None => match (compiled.and_then(|c| c.nonce_range()), &manifest_value) {
            (Some(r), _) => Some((r.nonces().map(U256::from).collect(), RangeSource::Intent)),
            (None, Some((manifest, path))) if compiled.is_none() => {
                let nonces: Vec<U256> = manifest_presigned(manifest, &first_name, path)?
                    .into_iter()
                    .map(|(n, _)| n)
                    .collect();
                (!nonces.is_empty()).then_some((nonces, RangeSource::Manifest))
            }
            _ => None,
        },
    };
    let mut runs: Vec<(PathBuf, String, Option<U256>)> = Vec::new();
    if let Some((nonces, _)) = &range {
        if parts.len() > 1 {
            return Err(CliError(
                "a nonce range pre-signs one batch (a runbook of one Safe transaction): give its one batch file".into(),
            ));
        }
        if args.safe_tx.is_some() {
            return Err(CliError(
                "--safe-tx is one proposed Safe transaction at one nonce, but a range of nonces is verified: give --nonce N for the nonce it proposes (NAME.nonce-N.proposal.json)".into(),
            ));
        }
        if args.nested_safe.is_some() || args.expect_safe_tx_hash.is_some() {
            return Err(CliError(
                "--nested-safe and --expect-safe-tx-hash are about one Safe transaction, but a range of nonces is verified: give --nonce N".into(),
            ));
        }
        for (path, name) in &parts {
            for nonce in nonces {
                runs.push((path.clone(), name.clone(), Some(*nonce)));
            }
        }
        // Every hash the manifest records is checked: a nonce it lists that
        // is not verified here, or one verified here that it lacks, fails.
        if let Some((manifest, path)) = &manifest_value {
            let mut listed: Vec<U256> = manifest_presigned(manifest, &first_name, path)?
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            if listed.is_empty() {
                let (partial, _) = manifest_entry(manifest, &first_name, path)?;
                listed.extend(partial.nonce);
            }
            let show = |v: &[U256]| v.iter().map(U256::to_string).collect::<Vec<_>>().join(", ");
            let lacking: Vec<U256> = nonces
                .iter()
                .filter(|n| !listed.contains(n))
                .copied()
                .collect();
            let extra: Vec<U256> = listed
                .iter()
                .filter(|n| !nonces.contains(n))
                .copied()
                .collect();
            if !lacking.is_empty() {
                missing_nonces.push(format!(
                    "the manifest records no Safe transaction at nonce{} {}, which this range pre-signs",
                    if lacking.len() == 1 { "" } else { "s" },
                    show(&lacking)
                ));
            }
            if !extra.is_empty() {
                missing_nonces.push(format!(
                    "the manifest records pre-signed nonce{} {} outside the range verified here: every pre-signed transaction must be verified before any is signed",
                    if extra.len() == 1 { "" } else { "s" },
                    show(&extra)
                ));
            }
        }
    } else {
        runs.extend(parts.iter().map(|(p, n)| (p.clone(), n.clone(), None)));
        // One nonce verified: a manifest that also records pre-signed nonces
        // would carry hashes this run never checks.
        if let Some((manifest, path)) = &manifest_value {
            for (_, name) in &parts {
                let listed = manifest_presigned(manifest, name, path)?;
                if !listed.is_empty() {
                    let nonces: Vec<String> = listed.iter().map(|(n, _)| n.to_string()).collect();
                    missing_nonces.push(format!(
                        "the manifest records {name} pre-signed at nonces {}, but one nonce is verified here: verify the whole range (--nonce FIRST..LAST, or the intent's range) before any is signed",
                        nonces.join(", ")
                    ));
                }
            }
        }
    }
    let range_source = range.as_ref().map(|(_, source)| *source);

    let total = runs.len();
    let mut checked = Vec::with_capacity(total);
    for (k, (path, name, at_nonce)) in runs.iter().enumerate() {
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
            for message in &missing_nonces {
                preliminary.push(Preliminary {
                    code: Code::ManifestMismatch,
                    path: "manifest".into(),
                    message: message.clone(),
                });
            }
        }
        let at = at_nonce.zip(range_source);
        let (report, book) = verify_one(
            args,
            BatchRun {
                path,
                file: files.get(path)?,
                name,
                at,
                manifest: manifest_value.as_ref().map(|(manifest, _)| manifest),
            },
            compiled,
            signers_book.as_ref(),
            registry,
            preliminary,
        )?;
        checked.push(Checked {
            name: name.clone(),
            part,
            at_nonce: *at_nonce,
            report,
            book,
        });
    }
    Ok((checked, range.is_some()))
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

/// One batch file to verify, and with a pre-signed range, the nonce of this
/// run and where the range came from.
struct BatchRun<'a> {
    path: &'a Path,
    /// The file at `path`, as [`BatchFiles`] read it.
    file: &'a BatchFile,
    name: &'a str,
    at: Option<(U256, RangeSource)>,
    /// `--manifest`, as [`read_manifest`] read it.
    manifest: Option<&'a Value>,
}

fn verify_one(
    args: &VerifyArgs,
    run: BatchRun<'_>,
    compiled: Option<&super::build::CompiledIntent>,
    signers_book: Option<&SignersBook>,
    registry: &bundlec::abi::registry::AbiRegistry,
    mut preliminary: Vec<Preliminary>,
) -> Result<(Report, AddressBook), CliError> {
    let BatchRun {
        path: batch_path,
        file,
        name: batch_name,
        at,
        manifest,
    } = run;
    let flag_nonce = match args.nonce {
        Some(NonceArg::One(n)) => Some(n),
        Some(NonceArg::Range(_)) => at.map(|(n, _)| n),
        None => None,
    };
    let flags = Partial {
        chain_id: args.chain.id(),
        safe: args.safe,
        version: args.safe_version,
        nonce: flag_nonce,
    };

    let mut intent_calls: Option<&[Call]> = None;
    let mut summaries: Option<&[Rc<str>]> = None;
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
        intent_calls = Some(expected);
        summaries = compiled.summaries(batch_name);
        intent_multi_send = target.multi_send;
        // With `[safe] nonce = "a..b"`, this run's nonce of the range.
        let intent_nonce = match at {
            Some((nonce, RangeSource::Intent)) => nonce,
            _ => target.nonce,
        };
        from_intent = Partial {
            chain_id: Some(target.chain_id),
            safe: Some(target.safe),
            version: Some(target.version),
            nonce: Some(intent_nonce),
        };
        // The nonce as the intent writes it, and whether the flag's is one
        // it allows (one nonce of its range is no override).
        let (intent_nonces, flag_nonces) = match compiled.nonce_range() {
            Some(range) => (
                range.to_string(),
                match args.nonce {
                    Some(NonceArg::One(n)) if u64::try_from(n).is_ok_and(|n| range.contains(n)) => {
                        Some(range.to_string())
                    }
                    Some(NonceArg::One(n)) => Some(n.to_string()),
                    Some(NonceArg::Range(r)) => Some(r.to_string()),
                    None => None,
                },
            ),
            None => (
                target.nonce.to_string(),
                args.nonce.map(|n| match n {
                    NonceArg::One(n) => n.to_string(),
                    NonceArg::Range(r) => r.to_string(),
                }),
            ),
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
            ("nonce", flag_nonces, Some(intent_nonces)),
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
                preliminary.extend(book_abi_disagreements(&compiled.book_abis, own)?);
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
    if let (Some(path), Some(manifest)) = (&args.manifest, manifest) {
        // Its call summaries are free text from the batch's author: only the
        // intent's, recompiled here, are shown.
        let (partial, view) = manifest_entry_at(
            manifest,
            batch_name,
            path,
            flag_nonce.or(at.map(|(n, _)| n)),
        )?;
        from_manifest = partial;
        manifest_view = Some(view);
    }

    let given: Option<GivenSafeTx> = match &args.safe_tx {
        None => None,
        Some(path) => {
            let mut value = read_manifest(path)?;
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

    let (batch_chain, batch_safe) = &file.identity;
    let from_batch = Partial {
        chain_id: batch_chain.as_deref().and_then(|s| s.parse().ok()),
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
    let read = file
        .read
        .as_ref()
        .map_err(|e| CliError(format!("{}: {e}", batch_path.display())))?;
    let request = Request {
        batch: read,
        target: Target {
            chain_id,
            safe,
            version,
            nonce,
            multi_send,
            trusted_multi_send_call_only: args.multi_send_call_only,
        },
        intent_calls,
        summaries,
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
