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

pub fn safe_version(s: &str) -> Result<SafeVersion, String> {
    s.parse::<SafeVersion>().map_err(|e| e.to_string())
}

/// Reads a file for a command, naming it in the error.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, super::CliError> {
    std::fs::read(path).map_err(|e| super::CliError(format!("cannot read {}: {e}", path.display())))
}
