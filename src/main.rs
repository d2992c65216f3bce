//! The `bundlec` command: a thin shell over the library that reads files,
//! prints, and turns outcomes into exit codes.

// The same no-panic rule as the library (see src/lib.rs).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        // print! and println! panic when standard output is closed; use
        // outln! / cli::print_out, which return an error instead.
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
