//! Batches whose transactions have no `data`, so the Transaction Builder
//! encodes them from `contractMethod` and `contractInputsValues`, written to
//! make bundlec's model of that encoding read other values than the app.
//! Each one is a red-team finding: bundlec once said VERIFIED against the
//! honest intent while the app would have sent something else. verify must
//! now fail, and show the hash of what the app really sends (the app's
//! reading was computed with its own code over web3-eth-abi 1.8.1).
//! The files are under fixtures/verify/app-encoding/ (see fixtures/SOURCES).

mod common;

use std::path::{Path, PathBuf};

use common::bundlec;

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/verify/app-encoding")
        .join(name)
}

/// `bundlec verify BATCH --intent INTENT --deployment BOOK` in the case's
/// folder: the exit code and everything printed.
fn verify(dir: &Path, batch: &str, intent: &str, book: &str) -> (i32, String) {
    let output = bundlec()
        .current_dir(dir)
        .args(["verify", batch, "--intent", intent, "--deployment", book])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// (folder, batch, intent, address book, what the app sends: its safeTxHash,
/// and a finding the report must carry).
const FAILS: [(&str, &str, &str, &str, &str, &str); 6] = [
    // An input's `name` of `1.0`: the app reads the value under `String(1.0)`,
    // "1", where the attacker's address is; bundlec read the key "1.0".
    (
        "name-is-a-number",
        "rotate-governance.json",
        "rotate-governance.toml",
        "deployments/example.toml",
        "0xa607fe9f3d3bcc1cca47a5e1bf0f8e650053702066b6f79c0d88fd77f2fcb52e",
        "app-encoding-differs",
    ),
    // `["newOwner"]` as a name: `String(["newOwner"])` is "newOwner".
    (
        "name-is-a-list",
        "rotate-governance.json",
        "rotate-governance.toml",
        "deployments/example.toml",
        "0xa607fe9f3d3bcc1cca47a5e1bf0f8e650053702066b6f79c0d88fd77f2fcb52e",
        "app-encoding-differs",
    ),
    // The same trick on a FeePool withdrawal through SystemPause.
    (
        "name-is-a-number-funds",
        "tabletop-feepool-drain.json",
        "tabletop-feepool-drain.toml",
        "deployments/example.toml",
        "0x516f120a19afb2800da06a968754437f17b16f2db57fa7795397271cd2d5d1ec",
        "intent-mismatch",
    ),
    // `"3\u0085"` as a threshold: JavaScript's trim keeps U+0085 (Rust's
    // removes it), the number parser throws, the app sends `0x`: the owner
    // swap runs and the threshold stays.
    (
        "next-line-is-not-whitespace",
        "rotate-signers.json",
        "rotate-signers.toml",
        "deployments/example.toml",
        "0xcb0bb7f8c0c223a592efc216945d6c9fe71a7bc2773ec8e0ad6c3af07be4b9ac",
        "contract-method-unencodable",
    ),
    // A tuple given as an object whose components share a name: ethers
    // refuses it and the app sends `0x`.
    (
        "tuple-object-repeated-name",
        "setpair.json",
        "setpair.toml",
        "book/example.toml",
        "0xd01ca262c55685846d0c34b5bdc287a10da3e1fc3de14887ba07a12cd36e277b",
        "contract-method-unencodable",
    ),
    // `[a, b, ]`: the app's list has a third, empty item, which is no
    // address, and it sends `0x`; bundlec dropped the blank last item.
    (
        "list-with-blank-last-item",
        "setmembers.json",
        "setmembers.toml",
        "book/example.toml",
        "0xd01ca262c55685846d0c34b5bdc287a10da3e1fc3de14887ba07a12cd36e277b",
        "contract-method-unencodable",
    ),
];

#[test]
fn each_fails_and_shows_the_hash_of_what_the_app_sends() {
    for (name, batch, intent, book, app_hash, code) in FAILS {
        let (exit, text) = verify(&case(name), batch, intent, book);
        assert_eq!(exit, 1, "{name}: {text}");
        assert!(text.contains("FAILED"), "{name}: {text}");
        assert!(text.contains(code), "{name}: no {code}: {text}");
        let shown = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("safeTxHash"))
            .map(str::trim);
        assert_eq!(shown, Some(app_hash), "{name}: {text}");
    }
}

/// `"data": "0X…"`: the Transaction Builder loads it, but Safe{Wallet} builds
/// the MultiSend with viem, which reads only `0x` as hex and would send the
/// characters as bytes. No hash bundlec could show is the wallet's: refused.
#[test]
fn data_with_a_capital_0x_is_refused() {
    let (exit, text) = verify(
        &case("data-with-capital-0X"),
        "pause.json",
        "pause.toml",
        "deployments/example.toml",
    );
    assert_eq!(exit, 2, "{text}");
    assert!(text.contains("`data` begins with `0X`"), "{text}");
}

/// The app's own results (its encoder over web3-eth-abi 1.8.1) for list and
/// whitespace inputs where JavaScript and Rust part ways: `None` where the
/// app sends `0x`.
#[test]
fn lists_and_whitespace_encode_as_the_app_does() {
    use bundlec::txbuilder::encode::{AppEncoding, app_encode};
    use serde_json::json;
    let list = json!({"name": "f", "payable": false,
        "inputs": [{"name": "v", "type": "uint256[]", "internalType": "uint256[]"}]});
    let flag = json!({"name": "g", "payable": false,
        "inputs": [{"name": "b", "type": "bool", "internalType": "bool"}]});
    let word = |n: u8| format!("{:064x}", n);
    let uints = |items: &[u8]| {
        let mut out = format!("0x7bc5bbbf{}{}", word(32), word(items.len() as u8));
        for item in items {
            out.push_str(&word(*item));
        }
        out
    };
    let cases: [(&serde_json::Value, &str, &str, Option<String>); 9] = [
        (&list, "v", "[1,,]", Some(uints(&[1]))),
        (&list, "v", "[,]", Some(uints(&[]))),
        (&list, "v", "[1 2]", Some(uints(&[12]))),
        (&list, "v", "[1, ]", None),
        (&list, "v", "[ 1 , 2 ]", Some(uints(&[1, 2]))),
        (&list, "v", "[1,,2]", None),
        (&flag, "b", "true\u{85}", None),
        (
            &flag,
            "b",
            "\u{feff}true",
            Some(format!("0xd48092f7{}", word(1))),
        ),
        (
            &flag,
            "b",
            "\u{a0} 1 ",
            Some(format!("0xd48092f7{}", word(1))),
        ),
    ];
    for (method, key, value, app) in cases {
        let values = json!({ key: value });
        let got = match app_encode(Some(method), Some(&values)).unwrap() {
            AppEncoding::Calldata(encoded) => Some(encoded.data.to_string()),
            AppEncoding::Empty(_) => None,
        };
        assert_eq!(got, app, "{value:?}");
    }
}

/// The app refuses a file when `Object.values(contractInputsValues)` holds a
/// number: an object's values, or a list's items (a string's characters and
/// a bare number have none that are numbers).
#[test]
fn numbers_in_the_values_refuse_the_file_as_the_app_does() {
    use bundlec::txbuilder::encode::refused_for_numbers;
    use serde_json::json;
    for (values, refused) in [
        (json!({"a": 5}), true),
        (json!([5]), true),
        (json!(["5", null]), false),
        (json!({"a": "5"}), false),
        (json!("5"), false),
        (json!(5), false),
    ] {
        assert_eq!(refused_for_numbers(Some(&values)), refused, "{values}");
    }
}
