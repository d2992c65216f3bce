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

mod archive;
mod args;
mod build;
mod checksum;
mod decode;
mod hash;
mod review;
mod style;
mod verify;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a check failed: a hash or checksum mismatch, a verify error or danger, or any finding under --strict
  2  bad input or usage: unreadable or malformed files, invalid arguments";

/// `0.1.0 (commit 0c350f5a1b2c, 2026-11-30)`: the version and the commit it
/// was built from (see build.rs), never the clock.
pub fn version_text(version: &str, commit: &str, date: &str) -> String {
    let commit = if commit.is_empty() { "unknown" } else { commit };
    if date.is_empty() {
        format!("{version} (commit {commit})")
    } else {
        format!("{version} (commit {commit}, {date})")
    }
}

static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    version_text(
        env!("CARGO_PKG_VERSION"),
        env!("BUNDLEC_GIT_COMMIT"),
        env!("BUNDLEC_GIT_COMMIT_DATE"),
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "bundlec",
    version = VERSION.as_str(),
    styles = style::clap_styles(),
    about = "Compile incident runbooks into Safe transaction batches and verify them offline",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Refuse input files larger than this many bytes
    #[arg(long, global = true, value_name = "BYTES", default_value_t = args::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
    /// Colour the output: auto (a terminal, unless NO_COLOR is set or CLICOLOR_FORCE forces it), always, never.
    /// JSON output is never coloured
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: clap::ColorChoice,
    /// Print only the verdict or result line (verify, checksum, hash) or nothing (build), and errors
    #[arg(long, short, global = true)]
    quiet: bool,
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
    /// Write a Markdown review of a built runbook: each Safe transaction, its effects, findings,
    /// the hashes the device shows, and a checklist per signer
    #[command(after_help = EXIT_CODES)]
    Review(review::ReviewArgs),
    /// Archive a built runbook for the incident record: DIR/<YYYY-MM-DD>-<name>/ with the inputs,
    /// batches, manifest, review and a post-incident review to complete
    #[command(after_help = EXIT_CODES)]
    Archive(archive::ArchiveArgs),
    /// Print a shell completion script to standard output
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output
    Man,
}

/// How a command that ran to the end turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    CheckFailed,
}

/// Hands `value` to the operating system at exit instead of freeing it
/// piece by piece. A command's large trees (a parsed batch, its reports, a
/// compiled intent) are millions of allocations at 100,000 calls, and freeing
/// them just before the process ends costs as much as a quarter of verify.
/// Only for values a command is done with on its way out.
pub(crate) fn free_at_exit<T>(value: T) {
    std::mem::forget(value);
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
        "{} {}",
        style::error_prefix(style::stderr_on()),
        bundlec::text::untrusted(message)
    );
}

pub fn print_out(text: &str) -> Result<(), CliError> {
    write_out(terminal_safe(text).as_bytes())
}

/// [`print_out`] for a report of bundlec's: its verdict, danger and notice
/// lines are coloured when standard output takes colour (see `style`), after
/// the text was escaped. Never for JSON.
pub fn print_report(text: &str) -> Result<(), CliError> {
    let safe = terminal_safe(text);
    if style::stdout_on() {
        write_out(style::paint(&safe).as_bytes())
    } else {
        write_out(safe.as_bytes())
    }
}

/// One line of bundlec's (`text` without its line break), escaped, then
/// styled as `kind` when standard output takes colour.
pub fn print_line(kind: style::Kind, text: &str) -> Result<(), CliError> {
    let line = style::line(kind, &terminal_safe(text), style::stdout_on());
    write_out(format!("{line}\n").as_bytes())
}

/// Bytes bundlec generated itself (a completion script, a man page), as they are.
fn write_out(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError(format!("cannot write to standard output: {e}")))
}

static QUIET: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// `--quiet`: print only the verdict or result line, or the error.
pub fn quiet() -> bool {
    QUIET.get().copied().unwrap_or(false)
}

/// `--color` as written on the command line, read before clap parses it so
/// that clap's own help and errors follow it too.
fn color_from_args(args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let mut choice = clap::ColorChoice::Auto;
    let mut iter = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(arg) = iter.next() {
        let value = match arg {
            "--" => break,
            "--color" => iter.next(),
            other => other.strip_prefix("--color="),
        };
        match value {
            Some("always") => choice = clap::ColorChoice::Always,
            Some("never") => choice = clap::ColorChoice::Never,
            Some("auto") => choice = clap::ColorChoice::Auto,
            _ => {}
        }
    }
    choice
}

fn generated(command: &mut clap::Command, what: &Command) -> Result<Outcome, CliError> {
    let mut bytes = Vec::new();
    match what {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, command, "bundlec", &mut bytes);
        }
        _ => {
            clap_mangen::Man::new(command.clone())
                .render(&mut bytes)
                .map_err(|e| CliError(format!("cannot render the man page: {e}")))?;
        }
    }
    write_out(&bytes)?;
    Ok(Outcome::Success)
}

pub fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let color = color_from_args(&argv);
    style::set_choice(color);
    let mut command = Cli::command().color(color);
    // clap prints its own usage errors and exits with 2 (0 for --help/--version).
    let cli = match command
        .try_get_matches_from_mut(&argv)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(e) => e.format(&mut command).exit(),
    };
    args::set_max_input_bytes(cli.max_input_bytes);
    let _ = QUIET.set(cli.quiet);
    let result = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Hash(args) => hash::run(*args),
        Command::Checksum(args) => checksum::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Verify(args) => verify::run(*args),
        Command::Review(args) => review::run(args),
        Command::Archive(args) => archive::run(args),
        what @ (Command::Completions { .. } | Command::Man) => generated(&mut command, &what),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_commit_or_unknown() {
        assert_eq!(
            version_text("0.1.0", "0c350f5a1b2c", "2026-11-30"),
            "0.1.0 (commit 0c350f5a1b2c, 2026-11-30)"
        );
        assert_eq!(
            version_text("0.1.0", "0c350f5a1b2c-dirty", ""),
            "0.1.0 (commit 0c350f5a1b2c-dirty)"
        );
        assert_eq!(version_text("0.1.0", "", ""), "0.1.0 (commit unknown)");
    }

    #[test]
    fn color_is_read_before_parsing() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_from_args(&args(&["bundlec", "--color", "never", "verify"])),
            clap::ColorChoice::Never
        );
        assert_eq!(
            color_from_args(&args(&["bundlec", "verify", "--color=always"])),
            clap::ColorChoice::Always
        );
        assert_eq!(
            color_from_args(&args(&["bundlec", "decode", "--", "--color=always"])),
            clap::ColorChoice::Auto
        );
    }

    #[test]
    fn the_command_is_well_formed() {
        Cli::command().debug_assert();
    }
}
