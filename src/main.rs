//! The `bundlec` command: a thin shell over the library that reads files,
//! prints, and turns outcomes into exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
