//! Every vector of the Safe Transaction Builder app's own encoder (tx-builder
//! 1.18.3, web3-eth-abi 1.8.1; see fixtures/SOURCES) reproduces exactly: the
//! same calldata, `0x` where the app sends `0x`, or a refused file. Then
//! bundlec's own cases where the vector file has none.

use bundlec::txbuilder::encode::{AppEncoding, app_encode, refused_for_numbers};
use serde_json::{Value, json};

const VECTORS: &str = include_str!("../conformance/txbuilder-app/vectors.jsonl");

/// What the app did with a one-transaction file, in the vectors' terms.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Refused,
    Empty,
    Calldata(String),
}

fn outcome(method: Option<&Value>, values: Option<&Value>) -> Outcome {
    if refused_for_numbers(values) {
        return Outcome::Refused;
    }
    match app_encode(method, values) {
        Ok(AppEncoding::Calldata(encoded)) => Outcome::Calldata(encoded.data.to_string()),
        Ok(AppEncoding::Empty(_)) => Outcome::Empty,
        Err(err) => panic!("refused by bundlec's limits: {err}"),
    }
}

fn expected(app: &Value) -> Outcome {
    match app.get("outcome").and_then(Value::as_str) {
        Some("loaded") => match app.get("data").and_then(Value::as_str) {
            Some(data) => Outcome::Calldata(data.to_string()),
            None => {
                assert_eq!(
                    app.get("sends").and_then(Value::as_str),
                    Some("0x"),
                    "{app}"
                );
                Outcome::Empty
            }
        },
        Some("rejected-numbers") => Outcome::Refused,
        other => panic!("unknown outcome {other:?}"),
    }
}

#[test]
fn every_vector_of_the_app_reproduces() {
    let mut count = 0;
    let mut failures = Vec::new();
    for line in VECTORS.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("vector line is JSON");
        let id = case["id"].as_str().expect("id").to_string();
        let want = expected(&case["app"]);
        let got = outcome(case.get("contractMethod"), case.get("contractInputsValues"));
        if got != want {
            failures.push(format!("{id}: app {want:?}, bundlec {got:?}"));
        }
        count += 1;
    }
    assert_eq!(count, 273, "the vendored vector file has 273 cases");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn calldata(method: Value, values: Value) -> (String, Vec<String>) {
    match app_encode(Some(&method), Some(&values)).expect("within limits") {
        AppEncoding::Calldata(encoded) => (encoded.data.to_string(), encoded.differences),
        AppEncoding::Empty(reason) => panic!("sends 0x: {reason}"),
    }
}

fn one(ty: &str) -> Value {
    json!({"name": "f", "inputs": [{"name": "v", "type": ty}], "payable": false})
}

#[test]
fn bundlec_cases_the_vectors_do_not_have() {
    // A plain value means what it says: no difference is reported.
    let (_, diffs) = calldata(one("uint256"), json!({"v": "1000"}));
    assert!(diffs.is_empty(), "{diffs:?}");

    // "false" inside a tuple is sent as true, and said so.
    let method = json!({"name": "g", "inputs": [{"name": "t", "type": "tuple",
        "components": [{"name": "flag", "type": "bool"}]}]});
    let (data, diffs) = calldata(method, json!({"t": "[\"false\"]"}));
    assert!(data.ends_with("01"), "{data}");
    assert!(diffs.iter().any(|d| d.contains("true")), "{diffs:?}");

    // An odd-length bytes value gets a 0 digit on the left, and said so.
    let (data, diffs) = calldata(one("bytes"), json!({"v": "0x123"}));
    assert!(data.contains("0123"), "{data}");
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // bytes32 "0x0" is 32 zero bytes, which is what it says.
    let (data, diffs) = calldata(one("bytes32"), json!({"v": "0x0"}));
    assert!(data.ends_with(&"0".repeat(64)), "{data}");
    assert!(diffs.is_empty(), "{diffs:?}");

    // A 31-byte bytes32 is right-padded, and said so.
    let (_, diffs) = calldata(
        one("bytes32"),
        json!({"v": format!("0x{}", "ab".repeat(31))}),
    );
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // Hex letters without 0x make an integer hexadecimal: 1e18 is 7704.
    let (data, diffs) = calldata(one("uint256"), json!({"v": "1e18"}));
    assert!(data.ends_with("1e18"), "{data}");
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // A name that is the exact signature encodes like the plain name.
    let plain = calldata(
        json!({"name": "transferOwnership", "inputs": [{"name": "o", "type": "address"}]}),
        json!({"o": "0x5aFE000000000000000000000000000000000001"}),
    );
    let signed = calldata(
        json!({"name": "transferOwnership(address)", "inputs": [{"name": "o", "type": "address"}]}),
        json!({"o": "0x5aFE000000000000000000000000000000000001"}),
    );
    assert_eq!(plain, signed);

    // `uint` is hashed as written (not as uint256): a different selector, said so.
    let (_, diffs) = calldata(one("uint"), json!({"v": "1"}));
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // An empty slot in a bool list is sent as false, and said so.
    let (_, diffs) = calldata(one("bool[]"), json!({"v": "[,true]"}));
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // A missing tuple key for a bool is false; one for an address is 0x.
    let method = json!({"name": "g", "inputs": [{"name": "t", "type": "tuple",
        "components": [{"name": "a", "type": "address"}]}]});
    assert!(matches!(
        app_encode(Some(&method), Some(&json!({"t": "{}"}))),
        Ok(AppEncoding::Empty(_))
    ));
    // int8 bounds: -128 fits, 128 does not.
    assert!(
        calldata(one("int8"), json!({"v": "-128"}))
            .0
            .ends_with("80")
    );
    assert!(matches!(
        app_encode(Some(&one("int8")), Some(&json!({"v": "128"}))),
        Ok(AppEncoding::Empty(_))
    ));
    // Inside a tuple a bytes value is read by ethers' arrayify: a list of
    // bytes means those bytes; a bare number becomes its big-endian bytes,
    // which is said.
    let tuple_bytes = json!({"name": "g", "inputs": [{"name": "t", "type": "tuple",
        "components": [{"name": "blob", "type": "bytes"}]}]});
    let (listed, diffs) = calldata(tuple_bytes.clone(), json!({"t": "[[1,2,255]]"}));
    assert!(listed.contains("0102ff"), "{listed}");
    assert!(diffs.is_empty(), "{diffs:?}");
    let (number, diffs) = calldata(tuple_bytes, json!({"t": "[258]"}));
    assert!(number.contains("0102"), "{number}");
    assert!(diffs.iter().any(|d| d.contains("0x0102")), "{diffs:?}");

    // An empty JSON list for a string is an empty string, and said so.
    let (_, diffs) = calldata(one("string"), json!({"v": []}));
    assert_eq!(diffs.len(), 1, "{diffs:?}");

    // web3 compares tuple[2][]'s outer list with the inner size 2.
    let pairs = json!({"name": "h", "inputs": [{"name": "t", "type": "tuple[2][]",
        "components": [{"name": "a", "type": "uint8"}]}]});
    assert!(matches!(
        app_encode(Some(&pairs), Some(&json!({"t": "[[[\"1\"],[\"2\"]]]"}))),
        Ok(AppEncoding::Empty(_))
    ));
    calldata(pairs, json!({"t": "[[[\"1\"],[\"2\"]],[[\"3\"],[\"4\"]]]"}));
}

/// A method read once ([`PreparedMethod`], as verify reads a batch of calls
/// to one function) encodes any values as a fresh reading does: every
/// vector's method with every vector's values, outcome and message alike.
#[test]
fn a_method_read_once_encodes_every_values_as_a_fresh_reading() {
    use bundlec::memo::Selectors;
    use bundlec::txbuilder::encode::PreparedMethod;
    let cases: Vec<Value> = VECTORS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("vector line is JSON"))
        .collect();
    let selectors = Selectors::new();
    let mut pairs = 0;
    for method_case in &cases {
        let method = method_case.get("contractMethod");
        let prepared = PreparedMethod::new(method);
        for values_case in &cases {
            let values = values_case.get("contractInputsValues");
            assert_eq!(
                prepared.encode(values, &selectors),
                app_encode(method, values),
                "method of {}, values of {}",
                method_case["id"],
                values_case["id"]
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 273 * 273);
}
