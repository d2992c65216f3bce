//! Value parsers for clap: each error names what was expected, and clap names
//! the argument.

use alloy_primitives::{Address, Bytes, U256};
use bundlec::parse;
use bundlec::safe::SafeVersion;

pub fn address(s: &str) -> Result<Address, String> {
    parse::parse_address(s).map_err(|e| e.to_string())
}

pub fn uint256(s: &str) -> Result<U256, String> {
    parse::parse_uint256(s).map_err(|e| e.to_string())
}

pub fn hex_bytes(s: &str) -> Result<Bytes, String> {
    parse::parse_hex_bytes(s).map_err(|e| e.to_string())
}

/// A chain id, or a chain name (`base`, `mainnet`, `gnosis`, …; see
/// `bundlec::safe::chains`).
pub fn chain(s: &str) -> Result<u64, String> {
    bundlec::safe::chains::parse_chain(s).map_err(|e| e.to_string())
}

/// `--chain NAME|ID`, and `--chain-id`, its older spelling: one of them,
/// required (hash).
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Chain {
    /// The chain, by chain id or name (`8453`, `base`, `mainnet`, `gnosis`, …)
    #[arg(long, value_name = "NAME|ID", value_parser = chain)]
    chain: Option<u64>,
    /// The same as --chain
    #[arg(long, value_name = "ID", value_parser = chain)]
    chain_id: Option<u64>,
}

impl Chain {
    pub fn id(&self) -> u64 {
        // clap requires one of the two.
        self.chain.or(self.chain_id).unwrap_or_default()
    }
}

/// [`Chain`] where the chain may be left out (verify, decode).
#[derive(Debug, Default, clap::Args)]
#[group(required = false, multiple = false)]
pub struct OptionalChain {
    /// The chain, by chain id or name (`8453`, `base`, `mainnet`, `gnosis`, …)
    #[arg(long, value_name = "NAME|ID", value_parser = chain)]
    chain: Option<u64>,
    /// The same as --chain
    #[arg(long, value_name = "ID", value_parser = chain)]
    chain_id: Option<u64>,
}

impl OptionalChain {
    pub fn id(&self) -> Option<u64> {
        self.chain.or(self.chain_id)
    }
}

pub fn safe_version(s: &str) -> Result<SafeVersion, String> {
    s.parse::<SafeVersion>().map_err(|e| e.to_string())
}

/// Files larger than this are refused unread (`--max-input-bytes`): large
/// enough for the manifest of the largest batch bundlec writes (100,000
/// calls, the most one MultiSend may carry: a refund of 100,000 jobs writes
/// a ~341 MB manifest beside a ~100 MB batch), small enough that a hostile or
/// mistaken input (a device, a disk image) cannot exhaust memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1024 * 1024 * 1024;

static MAX_INPUT_BYTES: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// Sets the input size limit for this run (once, from the command line).
pub fn set_max_input_bytes(limit: u64) {
    let _ = MAX_INPUT_BYTES.set(limit);
}

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge {
        limit: u64,
    },
    /// A second `-`: standard input can be read once per run.
    StdinTwice,
}

/// Whether `path` is `-`, standard input.
pub fn is_stdin(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

static STDIN_TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => e.fmt(f),
            ReadError::TooLarge { limit } => write!(
                f,
                "larger than the input limit of {limit} bytes (raise it with --max-input-bytes)"
            ),
            ReadError::StdinTwice => write!(
                f,
                "standard input was already read for another argument: only one argument may be `-`"
            ),
        }
    }
}

/// Reads an input file, refusing it past the size limit; `-` is standard
/// input, which only one argument may name.
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, ReadError> {
    if is_stdin(path) {
        if STDIN_TAKEN.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(ReadError::StdinTwice);
        }
        return read_bounded(std::io::stdin().lock(), 0);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // A size hint only, to allocate once: the limit is still enforced on
    // what is read.
    let size = file.metadata().map_or(0, |m| m.len());
    read_bounded(file, size)
}

/// The most bytes bundlec reads from one input (`--max-input-bytes`).
pub fn max_input_bytes() -> u64 {
    *MAX_INPUT_BYTES.get_or_init(|| DEFAULT_MAX_INPUT_BYTES)
}

fn read_bounded(reader: impl std::io::Read, size_hint: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let limit = max_input_bytes();
    let capacity = usize::try_from(size_hint.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // Read one byte past the limit rather than trusting metadata: pipes and
    // devices report no size.
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads a file for a command, naming it in the error.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, super::CliError> {
    read_input(path).map_err(|e| {
        if is_stdin(path) {
            super::CliError(format!("cannot read standard input (-): {e}"))
        } else {
            super::CliError(format!("cannot read {}: {e}", path.display()))
        }
    })
}

/// Where `hash --data` comes from: hex on the command line, or `@FILE`
/// (`@-`: standard input) holding the hex.
#[derive(Debug, Clone)]
pub enum HexSource {
    Hex(Bytes),
    File(std::path::PathBuf),
}

pub fn hex_or_file(s: &str) -> Result<HexSource, String> {
    match s.strip_prefix('@') {
        Some(path) if !path.is_empty() => Ok(HexSource::File(path.into())),
        Some(_) => Err("@ needs a file name (@- for standard input)".into()),
        None => hex_bytes(s).map(HexSource::Hex),
    }
}

/// Hex text read from `path` (`-`: standard input), surrounding white space ignored.
pub fn read_hex_file(path: &std::path::Path, what: &str) -> Result<Bytes, super::CliError> {
    let shown = if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = read_file(path)?;
    let text =
        String::from_utf8(bytes).map_err(|_| super::CliError(format!("{shown}: not hex text")))?;
    parse::parse_hex_bytes(text.trim())
        .map_err(|e| super::CliError(format!("{what} from {shown}: {e}")))
}

/// The embedded ABIs, plus every `<Name>.json` in `dir` (added, or replacing
/// the embedded one of that name), read in name order.
pub fn load_registry(
    dir: Option<&std::path::Path>,
) -> Result<bundlec::abi::registry::AbiRegistry, super::CliError> {
    let mut registry = bundlec::abi::registry::AbiRegistry::embedded()?;
    if let Some(dir) = dir {
        for (name, path, text) in read_abi_dir(dir)? {
            registry
                .add_or_override(&name, &text)
                .map_err(|e| super::CliError(format!("{}: {e}", path.display())))?;
        }
    }
    Ok(registry)
}

/// The `<Name>.json` files in an ABI directory as `(name, path, text)`, in
/// name order: the files [`load_registry`] adds, for callers that also need
/// their bytes.
pub fn read_abi_dir(
    dir: &std::path::Path,
) -> Result<Vec<(String, std::path::PathBuf, String)>, super::CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        super::CliError(format!("cannot read ABI directory {}: {e}", dir.display()))
    })?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| {
                super::CliError(format!(
                    "{}: the file name is not a contract name",
                    path.display()
                ))
            })?
            .to_string();
        let bytes = read_file(&path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| super::CliError(format!("{}: not UTF-8 text", path.display())))?;
        out.push((name, path, text));
    }
    Ok(out)
}
