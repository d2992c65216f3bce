//! `verify --intent --deployment`: every ABI file the intent's address book
//! gives must be the one the signer's own book gives. The intent's named
//! arguments are matched to parameter names from that ABI, so an ABI that
//! travels with the batch and swaps two names compiles the intent to a call
//! that swaps the arguments, and decodes it with the same names.

mod common;

use std::path::Path;

use common::bundlec;

const REAL_ABI: &str = r#"[{"type":"function","name":"setRoles","stateMutability":"nonpayable","inputs":[{"name":"admin","type":"address","internalType":"address"},{"name":"pauser","type":"address","internalType":"address"}],"outputs":[]}]"#;
/// The same function (same selector) with its parameter names swapped.
const SWAPPED_ABI: &str = r#"[{"type":"function","name":"setRoles","stateMutability":"nonpayable","inputs":[{"name":"pauser","type":"address","internalType":"address"},{"name":"admin","type":"address","internalType":"address"}],"outputs":[]}]"#;

const FOO: &str = "\n[other_contracts]\nFoo = { address = \"0x1234567890123456789012345678901234567890\", abi = \"abis/Foo.json\" }\n";

fn intent(book: &str) -> String {
    format!(
        r#"[bundle]
name = "roles"
created_at = 1764374400000
gas_per_call = 500000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 42
owners = ["0xa11ce00000000000000000000000000000000001","0xb0b0000000000000000000000000000000000002","0xca70100000000000000000000000000000000003"]
threshold = 2

[deployment]
file = "{book}/example.toml"

[[intent]]
kind = "call"
contract = "Foo"
function = "setRoles"
args = {{ admin = "backup-safe", pauser = "signer-dave" }}
"#
    )
}

/// A book folder: the example book plus `Foo` with `abi` as its ABI file
/// (none when `abi` is `None`).
fn book(dir: &Path, name: &str, abi: Option<&str>) {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("bundles/deployments/example.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join(name).join("abis")).unwrap();
    let entry = match abi {
        Some(abi) => {
            std::fs::write(dir.join(name).join("abis/Foo.json"), abi).unwrap();
            FOO.to_string()
        }
        None => FOO.replace(", abi = \"abis/Foo.json\"", ""),
    };
    std::fs::write(dir.join(name).join("example.toml"), example + &entry).unwrap();
}

/// Builds the intent whose book is `intent_book`, then verifies its batch
/// with `--deployment signer/example.toml`; the exit code and the output.
fn verify_against_signers_book(dir: &Path, intent_book: &str) -> (i32, String) {
    std::fs::write(dir.join("roles.toml"), intent(intent_book)).unwrap();
    bundlec()
        .current_dir(dir)
        .args(["-q", "build", "--out-dir", "out", "roles.toml"])
        .assert()
        .success();
    let output = bundlec()
        .current_dir(dir)
        .args([
            "verify",
            "out/roles.json",
            "--intent",
            "roles.toml",
            "--deployment",
            "signer/example.toml",
        ])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn an_intent_book_abi_that_swaps_parameter_names_fails() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "signer", Some(REAL_ABI));
    book(dir.path(), "travel", Some(SWAPPED_ABI));
    let (code, text) = verify_against_signers_book(dir.path(), "travel");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("address-book-mismatch"), "{text}");
    assert!(
        text.contains("the intent's address book reads `Foo` with an ABI file with keccak256"),
        "{text}"
    );
}

#[test]
fn an_intent_book_abi_the_signers_book_lacks_fails() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "signer", None);
    book(dir.path(), "travel", Some(REAL_ABI));
    // Without an ABI for Foo the signer's book cannot compile the intent, but
    // the intent's can: the difference is the finding, whatever the ABI says.
    let (code, text) = verify_against_signers_book(dir.path(), "travel");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("your book with no ABI file"), "{text}");
}

#[test]
fn the_same_abi_file_on_both_sides_verifies() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "signer", Some(REAL_ABI));
    book(dir.path(), "travel", Some(REAL_ABI));
    let (code, text) = verify_against_signers_book(dir.path(), "travel");
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("address-book-mismatch"), "{text}");
}
