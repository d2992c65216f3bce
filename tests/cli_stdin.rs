//! `-` reads an input from standard input: decode, verify, checksum,
//! hash --data @- and --message-file -. One `-` per run, under the same
//! --max-input-bytes limit as files.

mod common;

use common::bundlec;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", root())).unwrap()
}

fn run(cmd: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(code), "{output:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

const PAUSE: &str = "0x8456cb59";

#[test]
fn decode_reads_hex_from_stdin() {
    let (from_arg, _) = run(bundlec().args(["decode", PAUSE]), 0);
    let (from_stdin, _) = run(
        bundlec()
            .args(["decode", "-"])
            .write_stdin(format!("{PAUSE}\n")),
        0,
    );
    assert_eq!(from_stdin, from_arg);
    let (from_at, _) = run(bundlec().args(["decode", "@-"]).write_stdin(PAUSE), 0);
    assert_eq!(from_at, from_arg);
    let (_, err) = run(bundlec().args(["decode", "-"]).write_stdin("zz"), 2);
    assert!(
        err.starts_with("error: calldata from standard input"),
        "{err}"
    );
}

#[test]
fn verify_reads_the_batch_from_stdin() {
    let args = [
        "--intent",
        "bundles/pause.toml",
        "--deployment",
        "bundles/deployments/example.toml",
    ];
    let (from_file, _) = run(
        bundlec()
            .current_dir(root())
            .args(["verify", "bundles/pause.json"])
            .args(args),
        0,
    );
    let (from_stdin, _) = run(
        bundlec()
            .current_dir(root())
            .args(["verify", "-"])
            .args(args)
            .write_stdin(read("bundles/pause.json")),
        0,
    );
    // Only the batch's name differs: `-` for standard input.
    assert_eq!(
        from_stdin.replace("VERIFIED  -:", "VERIFIED  pause.json:"),
        from_file
    );
}

#[test]
fn checksum_reads_a_batch_from_stdin() {
    let (out, _) = run(
        bundlec()
            .args(["checksum", "-"])
            .write_stdin(read("bundles/pause.json")),
        0,
    );
    assert!(out.starts_with("OK  -\n"), "{out}");
    let tampered = String::from_utf8(read("bundles/pause.json"))
        .unwrap()
        .replacen("\"value\": \"0\"", "\"value\": \"1\"", 1);
    let (out, _) = run(bundlec().args(["checksum", "-"]).write_stdin(tampered), 1);
    assert!(out.starts_with("MISMATCH  -\n"), "{out}");
}

const HASH: &[&str] = &[
    "hash",
    "--chain-id",
    "1",
    "--safe",
    "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
    "--safe-version",
    "1.4.1",
];

#[test]
fn hash_data_from_a_file_or_stdin() {
    let tx = [
        "--to",
        "0xF222222222222222222222222222222222222222",
        "--nonce",
        "7",
    ];
    let (inline, _) = run(bundlec().args(HASH).args(tx).args(["--data", PAUSE]), 0);
    let (stdin, _) = run(
        bundlec()
            .args(HASH)
            .args(tx)
            .args(["--data", "@-"])
            .write_stdin(format!("{PAUSE}\n")),
        0,
    );
    assert_eq!(stdin, inline);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.hex");
    std::fs::write(&file, PAUSE).unwrap();
    let (from_file, _) = run(
        bundlec()
            .args(HASH)
            .args(tx)
            .arg("--data")
            .arg(format!("@{}", file.display())),
        0,
    );
    assert_eq!(from_file, inline);
}

#[test]
fn hash_message_file_from_stdin() {
    let (inline, _) = run(bundlec().args(HASH).args(["--message", "hello"]), 0);
    let (stdin, _) = run(
        bundlec()
            .args(HASH)
            .args(["--message-file", "-"])
            .write_stdin("hello"),
        0,
    );
    assert_eq!(stdin, inline);
}

#[test]
fn only_one_argument_may_be_stdin() {
    let (out, err) = run(
        bundlec()
            .args(["checksum", "-", "-"])
            .write_stdin(read("bundles/pause.json")),
        2,
    );
    assert_eq!(out, "");
    assert!(err.contains("only one argument may be `-`"), "{err}");
    let (_, err) = run(
        bundlec()
            .current_dir(root())
            .args([
                "verify",
                "-",
                "--deployment",
                "-",
                "--safe-version",
                "1.4.1",
            ])
            .write_stdin(read("bundles/pause.json")),
        2,
    );
    assert!(err.contains("only one argument may be `-`"), "{err}");
    let (_, err) = run(
        bundlec()
            .args(HASH)
            .args(["--message-file", "-", "--data", "@-"])
            .write_stdin("hello"),
        2,
    );
    assert!(err.contains("only one argument may be `-`"), "{err}");
}

#[test]
fn runbooks_are_never_read_from_stdin() {
    let (_, err) = run(bundlec().args(["build", "-"]).write_stdin("[bundle]"), 2);
    assert!(
        err.starts_with("error: a runbook is read from a file"),
        "{err}"
    );
    let (_, err) = run(
        bundlec()
            .args(["verify", "bundles/pause.json", "--intent", "-"])
            .current_dir(root())
            .write_stdin("[bundle]"),
        2,
    );
    assert!(
        err.starts_with("error: --intent is read from a file"),
        "{err}"
    );
}

#[test]
fn stdin_respects_the_input_limit() {
    let (_, err) = run(
        bundlec()
            .args(["--max-input-bytes", "100", "checksum", "-"])
            .write_stdin(read("bundles/pause.json")),
        2,
    );
    assert!(
        err.contains("larger than the input limit of 100 bytes"),
        "{err}"
    );
    let (_, err) = run(
        bundlec()
            .args(["--max-input-bytes", "4", "decode", "-"])
            .write_stdin(PAUSE),
        2,
    );
    assert!(
        err.contains("larger than the input limit of 4 bytes"),
        "{err}"
    );
}
