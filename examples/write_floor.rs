//! The floor of build's writing, which `benches/run.sh` times beside build:
//! every file of a folder build wrote is copied into another folder the way
//! build puts an output in place (a new temporary file, its bytes in one
//! write, synced to disk, renamed to its name). No rendering, checking or
//! hashing: what is left is the cost of the bytes themselves on this disk,
//! which build cannot go below while its outputs keep their size.
//!
//! `cargo run --release --example write_floor -- BUILT_DIR COPY_DIR`

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

fn copy_like_build(from: &Path, to: &Path) -> std::io::Result<u64> {
    fs::create_dir_all(to)?;
    let mut names: Vec<_> = fs::read_dir(from)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    names.sort();
    let mut written = 0;
    for source in names.iter().filter(|p| p.is_file()) {
        let Some(name) = source.file_name() else {
            continue;
        };
        let bytes = fs::read(source)?;
        let target = to.join(name);
        let mut temp_name = name.to_os_string();
        temp_name.push(".tmp");
        let temp = to.join(temp_name);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        fs::rename(&temp, &target)?;
        written += bytes.len() as u64;
    }
    Ok(written)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: write_floor BUILT_DIR COPY_DIR");
        return ExitCode::from(2);
    };
    match copy_like_build(Path::new(from), Path::new(to)) {
        Ok(bytes) => {
            println!("{bytes} bytes written and synced");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{from} -> {to}: {e}");
            ExitCode::from(2)
        }
    }
}
