//! `bundlec checksum`: placeholder until the Transaction Builder module lands.
use clap::Args;
use super::{CliError, Outcome};
#[derive(Debug, Args)]
pub struct ChecksumArgs {}
pub fn run(_args: ChecksumArgs) -> Result<Outcome, CliError> { Ok(Outcome::Success) }
