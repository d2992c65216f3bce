//! Resource bounds: every input that would make bundlec read, allocate or
//! recurse without limit is refused with a clear message and exit code 2.

mod common;

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_json_abi::Function;
use alloy_primitives::{Address, Bytes, U256, hex};
use bundlec::abi::nesting::MAX_TYPE_NESTING;
use bundlec::multisend::{self, MAX_RECORDS, MultiSendRecord};
use bundlec::safe::Operation;
use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction, ContractMethod};
use common::bundlec;
use serde_json::{Value, json};

/// The default input limit (`--max-input-bytes`), 1 GiB.
const DEFAULT_LIMIT: usize = 1024 * 1024 * 1024;

fn assert_refused(args: &[String], needle: &str) {
    let output = bundlec().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(
        stderr.contains(needle),
        "{args:?}: `{needle}` not in {stderr}"
    );
}

fn write(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

#[test]
fn input_size_is_limited_and_the_default_fits_100000_calls() {
    let dir = tempfile::tempdir().unwrap();
    let batch = BatchFile::new(
        1,
        0,
        BatchMeta::new("big", Address::repeat_byte(0x5a)),
        (0..100_000)
            .map(|_| {
                BatchTransaction::raw(
                    Address::repeat_byte(0x55),
                    U256::ZERO,
                    Bytes::from_static(&[0x59, 0x5c, 0x6a, 0x67]),
                )
            })
            .collect(),
    );
    let text = batch.to_json_string().unwrap();
    // Room to spare even with readable labels on every call.
    assert!(text.len() * 4 < DEFAULT_LIMIT, "{} bytes", text.len());
    let path = write(&dir, "big.json", text.as_bytes());
    bundlec().args(["checksum", &path]).assert().success();
    assert_refused(
        &[
            "checksum".into(),
            path,
            "--max-input-bytes".into(),
            "1000".into(),
        ],
        "larger than the input limit of 1000 bytes",
    );
    // A device that never ends is cut off at the limit too.
    assert_refused(
        &[
            "checksum".into(),
            "/dev/zero".into(),
            "--max-input-bytes".into(),
            "4096".into(),
        ],
        "larger than the input limit",
    );
    let help = bundlec().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains(&DEFAULT_LIMIT.to_string()));
}

#[test]
fn json_and_toml_nesting_is_limited() {
    let dir = tempfile::tempdir().unwrap();
    let deep_json = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let json = write(&dir, "deep.json", deep_json.as_bytes());
    assert_refused(&["checksum".into(), json.clone()], "recursion limit");
    assert_refused(
        &[
            "verify".into(),
            json,
            "--safe-version=1.4.1".into(),
            "--nonce=0".into(),
        ],
        "recursion limit",
    );

    let deep_toml = format!(
        "[bundle]\nname = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let toml = write(&dir, "deep.toml", deep_toml.as_bytes());
    assert_refused(&["build".into(), toml], "deep.toml:2:");
}

fn execute_governance_call(target: Address, inner: &[u8]) -> Vec<u8> {
    // executeGovernanceCall(address,bytes)
    let mut data = hex::decode("a64cfe10").unwrap();
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(target.as_slice());
    data.extend_from_slice(&U256::from(64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(inner.len()).to_be_bytes::<32>());
    data.extend_from_slice(inner);
    let padded = 4 + 32 * 3 + inner.len().div_ceil(32) * 32;
    data.resize(padded, 0);
    data
}

#[test]
fn call_tree_depth_is_limited() {
    let system_pause = Address::repeat_byte(0x55);
    let mut data = hex::decode("595c6a67").unwrap();
    for _ in 0..20 {
        data = execute_governance_call(system_pause, &data);
    }
    let hex_data = hex::encode_prefixed(&data);
    assert_refused(&["decode".into(), hex_data.clone()], "nest deeper than");

    let dir = tempfile::tempdir().unwrap();
    let batch = BatchFile::new(
        1,
        0,
        BatchMeta::new("deep", Address::repeat_byte(0x5a)),
        vec![BatchTransaction::raw(system_pause, U256::ZERO, data.into())],
    );
    let path = write(
        &dir,
        "deep-calls.json",
        batch.to_json_string().unwrap().as_bytes(),
    );
    assert_refused(
        &[
            "verify".into(),
            path,
            "--safe-version=1.4.1".into(),
            "--nonce=0".into(),
        ],
        "nest deeper than",
    );
}

#[test]
fn multisend_record_count_is_limited() {
    let record = MultiSendRecord {
        operation: Operation::Call,
        to: Address::repeat_byte(1),
        value: U256::ZERO,
        data: Bytes::new(),
    };
    let calldata = multisend::encode(&vec![record; MAX_RECORDS + 1]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "records.hex",
        hex::encode_prefixed(&calldata).as_bytes(),
    );
    assert_refused(
        &["decode".into(), format!("@{path}")],
        "more than 100000 records",
    );
}

#[test]
fn length_fields_that_claim_more_bytes_than_exist_are_refused() {
    // A MultiSend record claiming 2^255 bytes of data.
    let mut calldata = multisend::encode(&[MultiSendRecord {
        operation: Operation::Call,
        to: Address::repeat_byte(1),
        value: U256::ZERO,
        data: Bytes::from_static(&[1, 2, 3, 4]),
    }])
    .to_vec();
    calldata[68 + 53] = 0x80;
    assert_refused(
        &["decode".into(), hex::encode_prefixed(&calldata)],
        "at byte 121",
    );

    // An ABI `bytes` argument whose length word claims far more than follows.
    let mut data = execute_governance_call(Address::repeat_byte(0x55), &[0x59, 0x5c, 0x6a, 0x67]);
    data[4 + 64 + 28] = 0xff;
    assert_refused(
        &["decode".into(), hex::encode_prefixed(&data)],
        "executeGovernanceCall(address,bytes)",
    );
}

#[test]
fn overlapping_values_cannot_multiply_memory() {
    // executeBatch(address[],uint256[],bytes[],bytes32,bytes32) whose 4,000
    // payload offsets all point at one 200 KB payload: decoded naively, the
    // payload would be copied 4,000 times (gigabytes). It is refused before
    // any value is decoded.
    let word = |n: usize| U256::from(n).to_be_bytes::<32>();
    let count = 4_000usize;
    let mut data = hex::decode("e38335e5").unwrap();
    for head in [160, 192, 224, 0, 0] {
        data.extend_from_slice(&word(head));
    }
    data.extend_from_slice(&word(0)); // targets: []
    data.extend_from_slice(&word(0)); // values: []
    data.extend_from_slice(&word(count)); // payloads: 4,000 of them
    for _ in 0..count {
        data.extend_from_slice(&word(32 * count));
    }
    data.extend_from_slice(&word(200_000));
    data.extend_from_slice(&[0xab; 200_000]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "overlap.hex", hex::encode_prefixed(&data).as_bytes());
    assert_refused(
        &["decode".into(), format!("@{path}")],
        "each value must follow the previous one",
    );
}

/// What the refusal of a too deeply nested type or value says.
const NESTING_LIMIT: &str = "type nesting limit of 32 levels";

/// A batch (with a valid meta.checksum) of one call to `f` with these
/// inputs and values, and `data` when given.
fn method_batch(inputs: Vec<Value>, values: Vec<(String, String)>, data: Option<Bytes>) -> String {
    let tx = BatchTransaction {
        to: Address::repeat_byte(0x77),
        value: U256::ZERO,
        data,
        contract_method: Some(
            ContractMethod {
                inputs,
                name: "f".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: Some(values),
    };
    BatchFile::new(
        1,
        0,
        BatchMeta::new("deep", Address::repeat_byte(0x5a)),
        vec![tx],
    )
    .to_json_string()
    .unwrap()
}

fn verify_args(path: String) -> Vec<String> {
    vec![
        "verify".into(),
        path,
        "--safe-version=1.4.1".into(),
        "--nonce=0".into(),
        format!("--safe={}", Address::repeat_byte(0x5a)),
        "--chain-id=1".into(),
    ]
}

fn dims(n: usize) -> String {
    "[]".repeat(n)
}

/// `[[…[inner]…]]`, `levels` brackets deep.
fn nested_list(levels: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn deep_array_types_in_a_batch_are_refused() {
    // The reported file: `uint8` and 5,000 `[]`, with a matching value. It
    // used to overflow the stack (exit 134) from 30 KB.
    let dir = tempfile::tempdir().unwrap();
    let text = method_batch(
        vec![json!({"name": "a", "type": format!("uint8{}", dims(5_000))})],
        vec![("a".into(), nested_list(5_000, ""))],
        None,
    );
    assert!(text.len() < 40_000, "{} bytes", text.len());
    let path = write(&dir, "deep-type.json", text.as_bytes());
    // Its checksum does not read the types, and is valid.
    bundlec().args(["checksum", &path]).assert().success();
    assert_refused(&verify_args(path.clone()), NESTING_LIMIT);
    assert_refused(&verify_args(path), "(10005 characters) of `a`");

    // The same with data given: the label is refused, not judged.
    let text = method_batch(
        vec![json!({"name": "a", "type": format!("uint8{}", dims(5_000))})],
        vec![("a".into(), nested_list(5_000, ""))],
        Some(Bytes::from_static(&[0x12, 0x34, 0x56, 0x78])),
    );
    let path = write(&dir, "deep-type-with-data.json", text.as_bytes());
    assert_refused(&verify_args(path), NESTING_LIMIT);
}

#[test]
fn deep_values_for_a_shallow_type_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (ty, value) in [
        ("uint8[]", nested_list(5_000, "1")),
        ("string[]", nested_list(5_000, "\"x\"")),
        ("string[]", nested_list(100, "")),
    ] {
        let text = method_batch(
            vec![json!({"name": "a", "type": ty})],
            vec![("a".into(), value)],
            None,
        );
        let path = write(&dir, "deep-value.json", text.as_bytes());
        assert_refused(&verify_args(path), NESTING_LIMIT);
    }
}

/// A parameter of `levels` tuples, each holding the next, around a `uint8`.
fn nested_tuple(levels: usize) -> Value {
    let mut param = json!({"name": "leaf", "type": "uint8"});
    for _ in 0..levels {
        param = json!({"name": "t", "type": "tuple", "components": [param]});
    }
    param
}

#[test]
fn deep_tuple_components_in_a_batch_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // 40 tuples are 80 levels of JSON: within what the JSON reader takes.
    let text = method_batch(
        vec![nested_tuple(40)],
        vec![("t".into(), nested_list(40, "\"1\""))],
        None,
    );
    let path = write(&dir, "deep-tuple.json", text.as_bytes());
    assert_refused(&verify_args(path), NESTING_LIMIT);
}

#[test]
fn types_at_the_nesting_limit_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let ty = format!("uint8{}", dims(MAX_TYPE_NESTING));
    let function = Function::parse(&format!("function f({ty} a)")).unwrap();
    let mut value = DynSolValue::Uint(U256::from(7), 8);
    for _ in 0..MAX_TYPE_NESTING {
        value = DynSolValue::Array(vec![value]);
    }
    let data = function.abi_encode_input(&[value]).unwrap();
    let values = vec![("a".to_string(), nested_list(MAX_TYPE_NESTING, "7"))];
    let inputs = vec![json!({"name": "a", "type": ty})];
    for data in [Some(Bytes::from(data)), None] {
        let with_data = data.is_some();
        let text = method_batch(inputs.clone(), values.clone(), data);
        let path = write(&dir, "at-the-limit.json", text.as_bytes());
        let output = bundlec().args(verify_args(path)).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        // The label encodes to the data; without data the app encodes it.
        assert!(!stdout.contains("label-mismatch"), "{stdout}");
        assert!(!stdout.contains("contract-method-unencodable"), "{stdout}");
        assert_eq!(stdout.contains("encoded-by-app"), !with_data, "{stdout}");
    }

    // Tuples at the limit too: 31 tuples around a `uint8[]`.
    let mut tuple = json!({"name": "leaf", "type": "uint8[]"});
    for _ in 0..MAX_TYPE_NESTING - 1 {
        tuple = json!({"name": "t", "type": "tuple", "components": [tuple]});
    }
    let text = method_batch(
        vec![tuple],
        vec![("t".into(), nested_list(MAX_TYPE_NESTING, "\"1\""))],
        None,
    );
    let path = write(&dir, "tuples-at-the-limit.json", text.as_bytes());
    let output = bundlec().args(verify_args(path)).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_ne!(output.status.code(), Some(2), "{output:?}");
    assert!(stdout.contains("encoded-by-app"), "{stdout}");
    assert!(!stdout.contains("contract-method-unencodable"), "{stdout}");
}

/// An ABI file with one function `f` of one input.
fn abi_file(input: Value) -> String {
    json!([{
        "type": "function",
        "name": "f",
        "inputs": [input],
        "outputs": [],
        "stateMutability": "nonpayable"
    }])
    .to_string()
}

#[test]
fn deep_types_in_abi_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let abis = dir.path().join("abis");
    std::fs::create_dir(&abis).unwrap();
    let decode = |data: &str| -> Vec<String> {
        vec![
            "decode".into(),
            data.into(),
            "--abi-dir".into(),
            abis.display().to_string(),
        ]
    };
    for (case, input) in [
        (
            "array",
            json!({"name": "a", "type": format!("uint8{}", dims(5_000))}),
        ),
        ("tuple", nested_tuple(50)),
        (
            "tuple-array",
            json!({"name": "t", "type": format!("tuple{}", dims(40)),
                   "components": [{"name": "x", "type": "uint8"}]}),
        ),
    ] {
        std::fs::write(abis.join("Deep.json"), abi_file(input)).unwrap();
        let output = bundlec().args(decode("0x12345678")).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains(NESTING_LIMIT), "{case}: {stderr}");
        assert!(stderr.contains("Deep.json"), "{case}: {stderr}");
    }

    // At the limit the ABI loads, and its calls decode.
    let ty = format!("uint8{}", dims(MAX_TYPE_NESTING));
    std::fs::write(
        abis.join("Deep.json"),
        abi_file(json!({"name": "a", "type": ty})),
    )
    .unwrap();
    let function = Function::parse(&format!("function f({ty} a)")).unwrap();
    let data = function
        .abi_encode_input(&[DynSolValue::Array(vec![])])
        .unwrap();
    let output = bundlec()
        .args(decode(&hex::encode_prefixed(data)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("f(a=[])"), "{stdout}");
}
