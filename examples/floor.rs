//! The floor program `benches/run.sh` times beside each command: read a
//! batch file, parse it into typed structs, hex-decode and hash every call's
//! data and the file (`benches/support/floor.rs`).
//!
//! `cargo run --release --example floor -- BATCH.json`

use std::process::ExitCode;

#[path = "../benches/support/floor.rs"]
mod floor;

/// The allocator bundlec's binary uses, so the ratios compare work, not
/// allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor BATCH.json");
        return ExitCode::from(2);
    };
    let result = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| floor::floor(&bytes));
    match result {
        Ok(floor) => {
            println!("{}  {} calls, data {}", floor.file, floor.calls, floor.data);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::from(2)
        }
    }
}
