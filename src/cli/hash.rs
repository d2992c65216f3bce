//! `bundlec hash`: the hashes of one Safe transaction or message.

use std::fmt::Write as _;
use std::path::PathBuf;

use alloy_primitives::{Address, Bytes, U256};
use bundlec::safe::view::{self, SafeMessageView, SafeTxView};
use bundlec::safe::{self, SafeMessage, SafeTx, SafeTxHashes, SafeVersion, nested, typed_data};
use bundlec::text::untrusted;
use bundlec::verify::{Code, Finding, Findings, Severity, Target, scan};
use clap::Args;
use serde::Serialize;

use super::{CliError, Outcome, args};

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("message_input").args(["message", "message_file", "message_bytes"]))]
pub struct HashArgs {
    /// The chain the Safe lives on (part of the domain from Safe 1.3.0)
    #[command(flatten)]
    chain: args::Chain,
    /// The Safe's address
    #[arg(long, value_name = "ADDRESS", value_parser = args::address)]
    safe: Address,
    /// The Safe's version: 0.1.0, 1.0.0, 1.1.1, 1.2.0, 1.3.0, 1.4.1, 1.5.0, optionally +L2
    #[arg(long, value_name = "VERSION", value_parser = args::safe_version)]
    safe_version: SafeVersion,

    /// Target of the Safe transaction
    #[arg(long, value_name = "ADDRESS", value_parser = args::address,
          required_unless_present = "message_input", conflicts_with = "message_input")]
    to: Option<Address>,
    /// Wei sent with the call (decimal or 0x-hex)
    #[arg(long, value_name = "WEI", value_parser = args::uint256, default_value = "0")]
    value: U256,
    /// Calldata as 0x-prefixed hex, or @FILE to read the hex from a file (@- from standard input)
    #[arg(long, value_name = "HEX|@FILE", value_parser = args::hex_or_file)]
    data: Option<args::HexSource>,
    /// 0 = CALL, 1 = DELEGATECALL
    #[arg(long, value_name = "0|1", default_value_t = 0)]
    operation: u8,
    #[arg(long, value_name = "GAS", value_parser = args::uint256, default_value = "0")]
    safe_tx_gas: U256,
    /// baseGas (dataGas in Safe 0.1.0)
    #[arg(long, value_name = "GAS", value_parser = args::uint256, default_value = "0")]
    base_gas: U256,
    #[arg(long, value_name = "WEI", value_parser = args::uint256, default_value = "0")]
    gas_price: U256,
    #[arg(long, value_name = "ADDRESS", value_parser = args::address, default_value = "0x0000000000000000000000000000000000000000")]
    gas_token: Address,
    #[arg(long, value_name = "ADDRESS", value_parser = args::address, default_value = "0x0000000000000000000000000000000000000000")]
    refund_receiver: Address,
    /// The Safe nonce this transaction will use
    #[arg(long, value_name = "N", value_parser = args::uint256, required_unless_present = "message_input")]
    nonce: Option<U256>,

    /// Also hash the approveHash transaction this owner Safe must sign (nested Safe)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address, conflicts_with = "message_input", requires = "nested_nonce")]
    nested_safe: Option<Address>,
    /// The owner Safe's version (default: --safe-version)
    #[arg(long, value_name = "VERSION", value_parser = args::safe_version, requires = "nested_safe")]
    nested_safe_version: Option<SafeVersion>,
    /// The owner Safe's nonce
    #[arg(long, value_name = "N", value_parser = args::uint256, requires = "nested_safe")]
    nested_nonce: Option<U256>,

    /// Hash a SafeMessage: this text (signed as its EIP-191 hash; CRLF read as LF)
    #[arg(long, value_name = "TEXT")]
    message: Option<String>,
    /// Hash a SafeMessage: the text of this file (- for standard input)
    #[arg(long, value_name = "FILE")]
    message_file: Option<PathBuf>,
    /// Hash a SafeMessage: these raw bytes (e.g. a 32-byte EIP-712 hash)
    #[arg(long, value_name = "HEX", value_parser = args::hex_bytes)]
    message_bytes: Option<Bytes>,

    /// A MultiSendCallOnly you confirmed for a chain bundlec's table does not know: a
    /// DELEGATECALL to it is then no danger (on a known chain it must be one the chain lists)
    #[arg(long, value_name = "ADDRESS", value_parser = args::address, conflicts_with = "message_input")]
    multi_send_call_only: Option<Address>,

    /// Print one JSON object instead of text
    #[arg(long)]
    json: bool,
    /// Print the Safe transaction as EIP-712 typed data (the JSON eth_signTypedData_v4 takes)
    #[arg(long, conflicts_with_all = ["json", "message_input", "nested_safe"])]
    typed_data: bool,
    /// Exit 1 when the Safe transaction checks find any danger or notice
    /// (without it, findings are printed and the exit code stays 0; transactions only)
    #[arg(long, conflicts_with = "message_input")]
    strict: bool,
}

#[derive(Serialize)]
struct TxOutput {
    chain_id: String,
    safe: String,
    safe_version: String,
    #[serde(flatten)]
    tx: SafeTxView,
    #[serde(skip_serializing_if = "Option::is_none")]
    nested: Option<NestedOutput>,
    findings: Vec<FindingOutput>,
}

/// One finding of the Safe transaction checks, as `--json` prints it.
#[derive(Serialize)]
struct FindingOutput {
    code: Code,
    severity: Severity,
    message: String,
}

#[derive(Serialize)]
struct NestedOutput {
    safe: String,
    safe_version: String,
    #[serde(flatten)]
    tx: SafeTxView,
}

#[derive(Serialize)]
struct MessageOutput {
    chain_id: String,
    safe: String,
    safe_version: String,
    #[serde(flatten)]
    message: SafeMessageView,
}

pub fn run(args: HashArgs) -> Result<Outcome, CliError> {
    let data_stdin = matches!(&args.data, Some(args::HexSource::File(p)) if args::is_stdin(p));
    let message_stdin = args.message_file.as_deref().is_some_and(args::is_stdin);
    if data_stdin && message_stdin {
        return Err(CliError(
            "standard input can be read once: only one argument may be `-`".into(),
        ));
    }
    if let Some(message) = message_input(&args)? {
        return run_message(&args, &message);
    }
    let (Some(to), Some(nonce)) = (args.to, args.nonce) else {
        return Err(CliError(
            "--to and --nonce are required to hash a transaction".into(),
        ));
    };
    let data = match &args.data {
        None => Bytes::new(),
        Some(args::HexSource::Hex(bytes)) => bytes.clone(),
        Some(args::HexSource::File(path)) => args::read_hex_file(path, "--data")?,
    };
    let tx = SafeTx {
        to,
        value: args.value,
        data,
        operation: args.operation,
        safe_tx_gas: args.safe_tx_gas,
        base_gas: args.base_gas,
        gas_price: args.gas_price,
        gas_token: args.gas_token,
        refund_receiver: args.refund_receiver,
        nonce,
    };
    if let Some(address) = args.multi_send_call_only {
        let choice = bundlec::safe::deployments::MultiSendChoice {
            deployment_type: None,
            address: Some(address),
        };
        bundlec::safe::deployments::choose_multi_send_call_only(
            args.safe_version,
            args.chain.id(),
            choice,
        )
        .map_err(|e| CliError(format!("--multi-send-call-only: {e}")))?;
    }
    let hashes = safe::safe_tx_hashes(args.safe_version, args.chain.id(), args.safe, &tx);
    let findings = check_tx(&args, &tx, nonce);

    // clap requires --nested-nonce with --nested-safe.
    let nested = match args.nested_safe.zip(args.nested_nonce) {
        Some((owner_safe, nonce)) => {
            let version = args.nested_safe_version.unwrap_or(args.safe_version);
            let approve = nested::approve_hash_tx(args.safe, hashes.safe_tx_hash, nonce);
            let approve_hashes =
                safe::safe_tx_hashes(version, args.chain.id(), owner_safe, &approve);
            Some((owner_safe, version, approve, approve_hashes))
        }
        None => None,
    };

    if args.typed_data {
        // The checks still decide the exit code under --strict; the typed
        // data is the whole output.
        print_json(&typed_data::safe_tx_typed_data(
            args.safe_version,
            args.chain.id(),
            args.safe,
            &tx,
        ))?;
    } else if args.json {
        let output = TxOutput {
            chain_id: args.chain.id().to_string(),
            safe: view::address(args.safe),
            safe_version: args.safe_version.to_string(),
            tx: SafeTxView::new(&tx, &hashes),
            nested: nested
                .as_ref()
                .map(|(owner, version, approve, approve_hashes)| NestedOutput {
                    safe: view::address(*owner),
                    safe_version: version.to_string(),
                    tx: SafeTxView::new(approve, approve_hashes),
                }),
            findings: findings
                .iter()
                .map(|f| FindingOutput {
                    code: f.code,
                    severity: f.severity,
                    message: f.message.to_string(),
                })
                .collect(),
        };
        print_json(&output)?;
    } else if super::quiet() {
        // --quiet: the hash alone, a line per Safe transaction (the owner
        // Safe's approveHash transaction second, with --nested-safe).
        let mut out = format!("{}\n", view::hash(hashes.safe_tx_hash));
        if let Some((_, _, _, approve_hashes)) = &nested {
            let _ = writeln!(out, "{}", view::hash(approve_hashes.safe_tx_hash));
        }
        super::print_out(&out)?;
    } else {
        let mut out = String::new();
        write_tx(
            &mut out,
            "Safe transaction",
            args.chain.id(),
            args.safe,
            args.safe_version,
            &tx,
            &hashes,
        );
        write_checks(&mut out, &findings, args.strict);
        if let Some((owner, version, approve, approve_hashes)) = &nested {
            out.push('\n');
            write_tx(
                &mut out,
                "Nested Safe: the owner Safe approves the hash above with approveHash",
                args.chain.id(),
                *owner,
                *version,
                approve,
                approve_hashes,
            );
        }
        super::print_report(&out)?;
    }
    // Every finding here is a danger or a notice: both fail only under --strict.
    if args.strict && findings.iter().any(|f| f.blocks(true)) {
        Ok(Outcome::CheckFailed)
    } else {
        Ok(Outcome::Success)
    }
}

/// The Safe transaction checks verify runs on a proposed transaction: its
/// operation and target, gas refund parameters and native value.
fn check_tx(args: &HashArgs, tx: &SafeTx, nonce: U256) -> Vec<Finding> {
    let target = Target {
        chain_id: args.chain.id(),
        safe: args.safe,
        version: args.safe_version,
        nonce,
        multi_send: Default::default(),
        trusted_multi_send_call_only: args.multi_send_call_only,
    };
    let mut findings = Findings::new();
    scan::scan_safe_tx(tx, "safe_tx", &target, &mut findings);
    findings.into_vec()
}

/// `Checks`, one line per finding, labelled as verify labels them.
fn write_checks(out: &mut String, findings: &[Finding], strict: bool) {
    let _ = writeln!(out);
    if findings.is_empty() {
        let _ = writeln!(out, "Checks: none");
        return;
    }
    let _ = writeln!(out, "Checks");
    for finding in findings {
        let label = match finding.severity {
            Severity::Error => "ERROR ",
            Severity::Danger => "DANGER",
            Severity::Notice if strict => "NOTICE",
            Severity::Notice => "notice",
        };
        let _ = writeln!(
            out,
            "  {label} {} {}",
            finding.code.as_str(),
            untrusted(&finding.message)
        );
    }
}

fn message_input(args: &HashArgs) -> Result<Option<SafeMessage>, CliError> {
    if let Some(text) = &args.message {
        return Ok(Some(SafeMessage::Text(text.clone())));
    }
    if let Some(path) = &args.message_file {
        let bytes = args::read_file(path)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError(format!(
                "{} is not UTF-8 text; use --message-bytes for raw bytes",
                path.display()
            ))
        })?;
        return Ok(Some(SafeMessage::Text(text)));
    }
    Ok(args.message_bytes.clone().map(SafeMessage::Bytes))
}

fn run_message(args: &HashArgs, message: &SafeMessage) -> Result<Outcome, CliError> {
    let hashes = safe::safe_message_hashes(args.safe_version, args.chain.id(), args.safe, message);
    let message_bytes = message.message_bytes();
    if args.json {
        print_json(&MessageOutput {
            chain_id: args.chain.id().to_string(),
            safe: view::address(args.safe),
            safe_version: args.safe_version.to_string(),
            message: SafeMessageView::new(&message_bytes, &hashes),
        })?;
    } else if super::quiet() {
        super::print_out(&format!("{}\n", view::hash(hashes.safe_message_hash)))?;
    } else {
        let mut out = String::new();
        let _ = writeln!(out, "Safe message");
        let _ = writeln!(out, "  chain id        {}", args.chain.id());
        let _ = writeln!(
            out,
            "  Safe            {} (version {})",
            view::address(args.safe),
            args.safe_version
        );
        let _ = writeln!(
            out,
            "  message bytes   {}",
            alloy_primitives::hex::encode_prefixed(&message_bytes)
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "Hashes to compare with your hardware wallet");
        out.push_str(&view::device_hash_lines(
            hashes.domain_hash,
            hashes.message_hash,
            "Safe message hash",
            hashes.safe_message_hash,
        ));
        super::print_report(&out)?;
    }
    Ok(Outcome::Success)
}

fn write_tx(
    out: &mut String,
    title: &str,
    chain_id: u64,
    safe: Address,
    version: SafeVersion,
    tx: &SafeTx,
    hashes: &SafeTxHashes,
) {
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "  chain id        {chain_id}");
    let _ = writeln!(
        out,
        "  Safe            {} (version {version})",
        view::address(safe)
    );
    let _ = writeln!(out, "  to              {}", view::address(tx.to));
    let data = format!(
        "{} ({} bytes)",
        alloy_primitives::hex::encode_prefixed(&tx.data),
        tx.data.len()
    );
    out.push_str(&view::field_lines(tx, version, &data));
    let _ = writeln!(out);
    let _ = writeln!(out, "Hashes to compare with your hardware wallet");
    out.push_str(&view::device_hash_lines(
        hashes.domain_hash,
        hashes.message_hash,
        "safeTxHash",
        hashes.safe_tx_hash,
    ));
}

pub fn print_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    // Serialising plain strings and JSON values does not fail; if it ever
    // does, it is an error rather than a panic.
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError(format!("cannot serialise output: {e}")))?;
    // Never styled: JSON is for programs.
    super::print_out(&format!("{text}\n"))
}
