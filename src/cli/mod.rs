//! Command-line parsing, dispatch and exit codes.
//!
//! Exit codes are part of the interface: 0 success; 1 a check failed (a
//! mismatch, an invalid checksum, a finding under --strict); 2 bad
//! input or usage. Every subcommand returns `Result<Outcome, CliError>` and
//! only this module prints errors and picks the code.

/// `println!` that returns a [`CliError`] instead of panicking when standard
/// output cannot be written (a closed pipe, a full disk).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::print_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod build;
mod checksum;
mod decode;
mod hash;
mod verify;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a check failed: a hash or checksum mismatch, a verify error or danger, or any finding under --strict
  2  bad input or usage: unreadable or malformed files, invalid arguments";

#[derive(Debug, Parser)]
#[command(
    name = "bundlec",
    version,
    about = "Compile incident runbooks into Safe transaction batches and verify them offline",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Refuse input files larger than this many bytes
    #[arg(long, global = true, value_name = "BYTES", default_value_t = args::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile runbook intent files into Safe Transaction Builder batches and manifests
    #[command(after_help = EXIT_CODES)]
    Build(build::BuildArgs),
    /// Compute the EIP-712 hashes of a Safe transaction or message, as a hardware wallet shows them
    #[command(after_help = EXIT_CODES)]
    Hash(Box<hash::HashArgs>),
    /// Check the meta.checksum of Transaction Builder batch files
    #[command(after_help = EXIT_CODES)]
    Checksum(checksum::ChecksumArgs),
    /// Decode calldata into a tree of calls, offline, against the embedded ABIs
    #[command(after_help = EXIT_CODES)]
    Decode(decode::DecodeArgs),
    /// Verify a batch offline: recompute, decode, compare with the intent, manifest or proposed Safe transaction
    #[command(after_help = EXIT_CODES)]
    Verify(Box<verify::VerifyArgs>),
}

/// How a command that ran to the end turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    CheckFailed,
}

/// Bad input or usage: printed as `error: …` and exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::error::Error> From<E> for CliError {
    fn from(err: E) -> Self {
        CliError(err.to_string())
    }
}

/// Writes `text` to standard output; a failed write is bad usage (exit 2)
/// rather than the panic `print!` raises.
/// Text from input files ends up in what bundlec prints (a method name, a
/// chain id, a quoted value). Control and bidirectional-override characters
/// in it could move the cursor, clear the screen, reorder or hide text, so a hostile
/// batch could paint "VERIFIED" over "FAILED". Every such character is written
/// as a `\u` escape instead; in JSON output that escape means the same string.
pub fn terminal_safe(text: &str) -> String {
    // The tool's own line breaks stay; everything else unsafe is escaped.
    // Input strings are escaped where they are placed (`bundlec::text`),
    // newlines included, so this is the last line of defence.
    text.split('\n')
        .map(bundlec::text::untrusted)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `error: MESSAGE` to standard error as one line: a message quotes
/// input (a path, a name, a value), and a newline in it must not start a line
/// that looks like bundlec's own.
pub fn print_error(message: &str) {
    // Nothing is left to tell if standard error cannot be written either.
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        bundlec::text::untrusted(message)
    );
}

pub fn print_out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(terminal_safe(text).as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError(format!("cannot write to standard output: {e}")))
}

pub fn main() -> ExitCode {
    // clap prints its own usage errors and exits with 2 (0 for --help/--version).
    let cli = Cli::parse();
    args::set_max_input_bytes(cli.max_input_bytes);
    let result = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Hash(args) => hash::run(*args),
        Command::Checksum(args) => checksum::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Verify(args) => verify::run(*args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(CliError(message)) => {
            print_error(&message);
            ExitCode::from(2)
        }
    }
}
