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

/// At incident scale a command makes millions of small allocations (a
/// parsed batch, call trees, findings); mimalloc serves them in a fraction
/// of the system allocator's time on every platform bundlec ships to.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
