//! `bundlec decode`: calldata as a tree of calls, read offline.

use alloy_primitives::Address;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallSite, Decoder, render};
use bundlec::parse::parse_hex_bytes;
use clap::Args;

use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Calldata as 0x-prefixed hex, @FILE to read the hex from a file, or - (or @-) to read it
    /// from standard input
    #[arg(value_name = "HEX|@FILE|-")]
    data: String,
    /// The address the calldata is sent to: names it and selects its ABI when known
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    to: Option<Address>,
    /// Recognise Safe contracts by this chain's deployments (default: any chain)
    #[command(flatten)]
    chain: args::OptionalChain,
    /// Add or override ABIs: one <Name>.json per contract
    #[arg(long, value_name = "DIR")]
    abi_dir: Option<std::path::PathBuf>,
    /// Print the tree as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: DecodeArgs) -> Result<Outcome, CliError> {
    let from_file = match args.data.strip_prefix('@') {
        Some(path) => Some(path),
        None if args.data == "-" => Some("-"),
        None => None,
    };
    let data = match from_file {
        Some(path) => args::read_hex_file(std::path::Path::new(path), "calldata")?,
        None => {
            parse_hex_bytes(args.data.trim()).map_err(|e| CliError(format!("calldata: {e}")))?
        }
    };
    let registry = args::load_registry(args.abi_dir.as_deref())?;
    let book = AddressBook::new(args.chain.id());
    let decoder = Decoder::new(&registry, &book);
    let site = CallSite {
        to: args.to,
        ..CallSite::default()
    };
    let tree = decoder.decode(site, &data, "0")?;
    if args.json {
        super::hash::print_json(&render::tree_json(&tree, &book))?;
    } else {
        super::print_out(&render::tree_text(&tree, &book))?;
    }
    Ok(Outcome::Success)
}
