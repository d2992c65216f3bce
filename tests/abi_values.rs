//! Typed call arguments: TOML input rules, the Transaction Builder's
//! `contractInputsValues` strings (real exported files and round trips over
//! generated ABI types), with error paths.

use std::path::Path;

use alloy_dyn_abi::{DynSolType, DynSolValue, JsonAbiExt};
use alloy_json_abi::{Function, Param, StateMutability};
use alloy_primitives::{Address, B256, I256, U256, hex, keccak256};
use bundlec::abi::values::{
    Problem, ValueError, args_from_contract_inputs, contract_input_key, contract_inputs_values,
    from_contract_input, param_type, to_contract_input, value_from_str, value_from_toml,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance/txbuilder-exports");

/// An EIP-55 address from the vectors.
const A: &str = "0x9ff471F9f98F42E5151C7855fD1b5aa906b1AF7e";
/// The EIP-55 specification's first example.
const B: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

fn param(json: &str) -> Param {
    serde_json::from_str(json).expect("test parameter JSON")
}

fn toml_arg(param: &Param, toml_text: &str) -> Result<DynSolValue, ValueError> {
    let doc: toml::Table = toml::from_str(toml_text).expect("test TOML");
    let value = doc.get(&param.name).expect("the TOML names the parameter");
    value_from_toml(param, value)
}

fn uint(v: u64, bits: usize) -> DynSolValue {
    DynSolValue::Uint(U256::from(v), bits)
}

fn int(v: i64, bits: usize) -> DynSolValue {
    DynSolValue::Int(I256::try_from(v).unwrap(), bits)
}

fn addr(text: &str) -> DynSolValue {
    DynSolValue::Address(text.parse::<Address>().unwrap())
}

// ---- real Transaction Builder files ---------------------------------------

fn function_from_contract_method(method: &Value) -> Function {
    let payable = method["payable"].as_bool().unwrap_or(false);
    Function {
        name: method["name"]
            .as_str()
            .expect("contractMethod.name")
            .to_string(),
        inputs: serde_json::from_value(method["inputs"].clone()).expect("contractMethod.inputs"),
        outputs: vec![],
        state_mutability: if payable {
            StateMutability::Payable
        } else {
            StateMutability::NonPayable
        },
    }
}

/// A transaction of a vector file that carries a contract method and its
/// input values.
struct VectorCall {
    file: String,
    index: usize,
    function: Function,
    values: Map<String, Value>,
    data: Option<String>,
}

fn vector_calls() -> Vec<VectorCall> {
    let mut files: Vec<_> = std::fs::read_dir(VECTORS)
        .expect("vector folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut calls = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let batch: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for (i, tx) in batch["transactions"].as_array().unwrap().iter().enumerate() {
            let (Some(method), Some(values)) = (
                tx.get("contractMethod").filter(|m| !m.is_null()),
                tx.get("contractInputsValues").and_then(Value::as_object),
            ) else {
                continue;
            };
            let data = tx.get("data").and_then(Value::as_str).map(str::to_string);
            calls.push(VectorCall {
                file: name.clone(),
                index: i,
                function: function_from_contract_method(method),
                values: values.clone(),
                data,
            });
        }
    }
    calls
}

#[test]
fn vector_transactions_parse_encode_and_match_their_data() {
    let calls = vector_calls();
    assert!(calls.len() >= 9, "found only {} calls", calls.len());
    for call in &calls {
        let VectorCall {
            file,
            index: i,
            function,
            values,
            data,
        } = call;
        let args = args_from_contract_inputs(function, values)
            .unwrap_or_else(|e| panic!("{file} tx {i}: {e}"));
        let calldata = function
            .abi_encode_input(&args)
            .unwrap_or_else(|e| panic!("{file} tx {i}: {e}"));
        if let Some(data) = data {
            assert_eq!(
                hex::encode_prefixed(&calldata),
                data.to_lowercase(),
                "{file} tx {i}"
            );
        }
        // What bundlec writes for these arguments reads back to the same ones.
        let written: Map<String, Value> = contract_inputs_values(function, &args)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        assert_eq!(
            args_from_contract_inputs(function, &written).unwrap(),
            args,
            "{file} tx {i}"
        );
    }
}

fn word(hex_digits: &str) -> String {
    format!("{hex_digits:0>64}").to_lowercase()
}

fn selector(signature: &str) -> String {
    hex::encode(&keccak256(signature)[..4])
}

/// The vectors carry no `data` next to their method, so their calldata is
/// also checked against encodings written out by hand, word by word.
#[test]
fn vector_transactions_encode_to_hand_built_calldata() {
    let a = &word(&A[2..]);
    let expected: &[(&str, usize, &str, Vec<String>)] = &[
        (
            "txb-1.11.1-bytes32-bool.json",
            0,
            "manageGranter(bytes32,address,address,bool)",
            vec![
                "f".repeat(64),
                word("76578ecf9a141296Ec657847fb45B0585bCDa3a6"),
                word(&"f".repeat(40)),
                word("1"),
            ],
        ),
        ("txb-1.16.3-bool.json", 0, "claim(bool)", vec![word("1")]),
        (
            "txb-1.16.5-address-array-unquoted.json",
            0,
            "removeRecipients(address[])",
            vec![
                word("20"),
                word("1"),
                word("dDd5FF0E581f097573B13f247F6BE736f602F839"),
            ],
        ),
        (
            "txb-1.16.5-tuple-array.json",
            0,
            "vote(uint256,(uint256,address)[])",
            vec![word("62"), word("40"), word("1"), word("1"), a.clone()],
        ),
        (
            "txb-1.17.0-empty-arrays.json",
            0,
            "setRecipientList(address[],uint256[],uint8[])",
            vec![
                word("60"),
                word("80"),
                word("a0"),
                word("0"),
                word("0"),
                word("0"),
            ],
        ),
        (
            "txb-1.17.0-empty-arrays.json",
            1,
            "transferOwnership(address)",
            vec![a.clone()],
        ),
        (
            "txb-1.18.2-owner-change.json",
            0,
            "transferOwnership(address)",
            vec![a.clone()],
        ),
        (
            "upstream-checksum-test-object.json",
            0,
            "testAddress(address)",
            vec![word("49d4450977E2c95362C13D3a31a09311E0Ea26A6")],
        ),
        (
            "upstream-checksum-test-object.json",
            1,
            "testBool(bool)",
            vec![word("0")],
        ),
    ];
    let calls = vector_calls();
    for (file, index, signature, words) in expected {
        let VectorCall {
            function, values, ..
        } = calls
            .iter()
            .find(|c| c.file == *file && c.index == *index)
            .unwrap_or_else(|| panic!("{file} tx {index} is not in the vectors"));
        assert_eq!(function.signature(), *signature);
        let args = args_from_contract_inputs(function, values).unwrap();
        let want = format!("0x{}{}", selector(signature), words.concat());
        assert_eq!(
            hex::encode_prefixed(function.abi_encode_input(&args).unwrap()),
            want,
            "{file} tx {index}"
        );
    }
}

/// The upstream object has a raw-data transaction calling the same
/// `testAddress` as its first, method-described one.
#[test]
fn upstream_raw_data_matches_the_method_encoding() {
    let path = Path::new(VECTORS).join("upstream-checksum-test-object.json");
    let batch: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let txs = batch["transactions"].as_array().unwrap();
    let function = function_from_contract_method(&txs[0]["contractMethod"]);
    let values = txs[0]["contractInputsValues"].as_object().unwrap();
    let args = args_from_contract_inputs(&function, values).unwrap();
    assert_eq!(
        hex::encode_prefixed(function.abi_encode_input(&args).unwrap()),
        txs[2]["data"].as_str().unwrap()
    );
}

// ---- TOML input ------------------------------------------------------------

#[test]
fn toml_addresses_lower_upper_checksummed_and_bad_checksum() {
    let p = param(r#"{"name":"to","type":"address"}"#);
    let want = addr(B);
    let upper = format!("0x{}", B[2..].to_uppercase());
    for text in [B.to_string(), B.to_lowercase(), upper] {
        assert_eq!(toml_arg(&p, &format!("to = \"{text}\"")).unwrap(), want);
    }
    let bad = B.replace("aA", "Aa");
    let e = toml_arg(&p, &format!("to = \"{bad}\"")).unwrap_err();
    assert_eq!(e.path, "to");
    assert!(e.to_string().contains("not a valid EIP-55 checksum"), "{e}");
    let e = toml_arg(&p, "to = 5").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`to`: expected address as a 0x-prefixed address string, found the integer 5"
    );
}

#[test]
fn toml_unsigned_integers() {
    let p = param(r#"{"name":"amount","type":"uint8"}"#);
    for text in ["255", "\"255\"", "\"0xff\""] {
        assert_eq!(
            toml_arg(&p, &format!("amount = {text}")).unwrap(),
            uint(255, 8)
        );
    }
    let e = toml_arg(&p, "amount = 256").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`amount`: 256 does not fit in uint8 (0 to 255)"
    );
    let e = toml_arg(&p, "amount = \"0x100\"").unwrap_err();
    assert!(e.to_string().contains("does not fit in a uint8"), "{e}");
    assert!(toml_arg(&p, "amount = -1").is_err());
    assert!(toml_arg(&p, "amount = \"1_0\"").is_err());
    let e = toml_arg(&p, "amount = 1e2").unwrap_err();
    assert!(e.to_string().contains("found the float 100"), "{e}");
    let big = param(r#"{"name":"amount","type":"uint256"}"#);
    assert_eq!(
        toml_arg(&big, &format!("amount = \"{}\"", U256::MAX)).unwrap(),
        DynSolValue::Uint(U256::MAX, 256)
    );
}

#[test]
fn toml_signed_integers() {
    let p = param(r#"{"name":"delta","type":"int8"}"#);
    assert_eq!(toml_arg(&p, "delta = -128").unwrap(), int(-128, 8));
    assert_eq!(toml_arg(&p, "delta = \"-128\"").unwrap(), int(-128, 8));
    assert_eq!(toml_arg(&p, "delta = \"0x7f\"").unwrap(), int(127, 8));
    let e = toml_arg(&p, "delta = -129").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`delta`: -129 does not fit in int8 (-128 to 127)"
    );
    // Hex is a magnitude: 0xff is 255, not -1.
    assert!(toml_arg(&p, "delta = \"0xff\"").is_err());
    let e = toml_arg(&p, "delta = \"-0x1\"").unwrap_err();
    assert!(e.to_string().contains("negative numbers in decimal"), "{e}");
}

#[test]
fn toml_bools_bytes_and_strings() {
    let b = param(r#"{"name":"ok","type":"bool"}"#);
    assert_eq!(toml_arg(&b, "ok = true").unwrap(), DynSolValue::Bool(true));
    assert_eq!(
        toml_arg(&b, "ok = \"false\"").unwrap(),
        DynSolValue::Bool(false)
    );
    assert!(toml_arg(&b, "ok = \"yes\"").is_err());
    assert!(toml_arg(&b, "ok = 1").is_err());

    let h = param(r#"{"name":"hash","type":"bytes32"}"#);
    let full = format!("0x{}", "ab".repeat(32));
    let DynSolValue::FixedBytes(word, 32) = toml_arg(&h, &format!("hash = \"{full}\"")).unwrap()
    else {
        panic!("not bytes32")
    };
    assert_eq!(word, B256::repeat_byte(0xab));
    let short = format!("0x{}", "ab".repeat(31));
    let e = toml_arg(&h, &format!("hash = \"{short}\"")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`hash`: bytes32 takes exactly 32 bytes, got 31"
    );

    let d = param(r#"{"name":"data","type":"bytes"}"#);
    assert_eq!(
        toml_arg(&d, "data = \"0x\"").unwrap(),
        DynSolValue::Bytes(vec![])
    );
    assert!(toml_arg(&d, "data = \"0xabc\"").is_err());

    let s = param(r#"{"name":"note","type":"string"}"#);
    assert_eq!(
        toml_arg(&s, "note = \" 42 \"").unwrap(),
        DynSolValue::String(" 42 ".into())
    );
    let e = toml_arg(&s, "note = 42").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`note`: expected string as a string, found the integer 42"
    );
}

#[test]
fn toml_arrays_fixed_and_dynamic() {
    let p = param(r#"{"name":"xs","type":"uint8[3]"}"#);
    assert_eq!(
        toml_arg(&p, "xs = [1, \"2\", \"0x3\"]").unwrap(),
        DynSolValue::FixedArray(vec![uint(1, 8), uint(2, 8), uint(3, 8)])
    );
    let e = toml_arg(&p, "xs = [1, 2]").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`xs`: uint8[3] takes exactly 3 elements, got 2"
    );
    let e = toml_arg(&p, "xs = [1, 2, 300]").unwrap_err();
    assert_eq!(e.path, "xs[2]");

    let m = param(r#"{"name":"m","type":"address[][]"}"#);
    assert_eq!(
        toml_arg(&m, &format!("m = [[], [\"{A}\"]]")).unwrap(),
        DynSolValue::Array(vec![
            DynSolValue::Array(vec![]),
            DynSolValue::Array(vec![addr(A)])
        ])
    );
    let e = toml_arg(&m, "m = [\"x\"]").unwrap_err();
    assert_eq!(e.path, "m[0]");
}

fn recipients_param() -> Param {
    param(
        r#"{"name":"recipients","type":"tuple[]","internalType":"struct Pay[]","components":[
            {"name":"to","type":"address"},
            {"name":"amount","type":"uint96"},
            {"name":"memo","type":"tuple","components":[
                {"name":"note","type":"string"},{"name":"urgent","type":"bool"}]}]}"#,
    )
}

#[test]
fn toml_tuples_as_arrays_and_tables() {
    let p = recipients_param();
    let doc = format!(
        r#"recipients = [
            ["{A}", 5, ["rent", false]],
            {{ to = "{B}", amount = "0x10", memo = {{ note = "", urgent = true }} }},
        ]"#
    );
    let v = toml_arg(&p, &doc).unwrap();
    assert_eq!(
        v,
        DynSolValue::Array(vec![
            DynSolValue::Tuple(vec![
                addr(A),
                uint(5, 96),
                DynSolValue::Tuple(vec![
                    DynSolValue::String("rent".into()),
                    DynSolValue::Bool(false)
                ]),
            ]),
            DynSolValue::Tuple(vec![
                addr(B),
                uint(16, 96),
                DynSolValue::Tuple(vec![
                    DynSolValue::String(String::new()),
                    DynSolValue::Bool(true)
                ]),
            ]),
        ])
    );
}

#[test]
fn toml_tuple_errors_name_the_component_and_path() {
    let p = recipients_param();
    let row = |s: &str| format!("recipients = [[\"{A}\", 1, [\"a\", true]], {s}]");

    let e = toml_arg(
        &p,
        &row(&format!("{{ to = \"{B}\", memo = [\"\", true] }}")),
    )
    .unwrap_err();
    assert_eq!(e.path, "recipients[1]");
    assert_eq!(
        e.problem,
        Problem::MissingComponent {
            name: "amount".into(),
            components: "`to`, `amount`, `memo`".into()
        }
    );
    assert!(
        e.to_string().contains("missing tuple component `amount`"),
        "{e}"
    );

    let e = toml_arg(
        &p,
        &row(&format!(
            "{{ to = \"{B}\", amout = 1, memo = [\"\", true] }}"
        )),
    )
    .unwrap_err();
    assert_eq!(e.path, "recipients[1]");
    assert!(
        e.to_string().contains("unknown tuple component `amout`"),
        "{e}"
    );

    let e = toml_arg(
        &p,
        &row(&format!(
            "{{ to = \"{B}\", amount = -1, memo = [\"\", true] }}"
        )),
    )
    .unwrap_err();
    assert_eq!(e.path, "recipients[1].amount");

    let e = toml_arg(
        &p,
        &row(&format!(
            "{{ to = \"{B}\", amount = 1, memo = {{ note = \"\", urgent = \"no\" }} }}"
        )),
    )
    .unwrap_err();
    assert_eq!(e.path, "recipients[1].memo.urgent");

    let e = toml_arg(&p, &row(&format!("[\"{B}\", 1]"))).unwrap_err();
    assert_eq!(e.path, "recipients[1]");
    assert!(
        e.to_string().contains("takes exactly 3 elements, got 2"),
        "{e}"
    );

    // Unnamed components can only be given positionally.
    let anon = param(
        r#"{"name":"pair","type":"tuple","components":[
            {"name":"","type":"uint8"},{"name":"","type":"bool"}]}"#,
    );
    assert_eq!(
        toml_arg(&anon, "pair = [1, true]").unwrap(),
        DynSolValue::Tuple(vec![uint(1, 8), DynSolValue::Bool(true)])
    );
    assert!(toml_arg(&anon, "pair = { a = 1 }").is_err());
    let e = toml_arg(&anon, "pair = [1, 2]").unwrap_err();
    assert_eq!(e.path, "pair.1");
}

#[test]
fn values_from_text() {
    let p = recipients_param();
    let v = value_from_str(&p, &format!("[[\"{A}\", 1, [\"x\", true]]]")).unwrap();
    assert_eq!(
        v,
        DynSolValue::Array(vec![DynSolValue::Tuple(vec![
            addr(A),
            uint(1, 96),
            DynSolValue::Tuple(vec![
                DynSolValue::String("x".into()),
                DynSolValue::Bool(true)
            ]),
        ])])
    );
    let n = param(r#"{"name":"n","type":"uint256"}"#);
    assert_eq!(value_from_str(&n, "0x10").unwrap(), uint(16, 256));
    assert!(value_from_str(&n, " 16").is_err());
    let unnamed = param(r#"{"name":"","type":"bool"}"#);
    let e = value_from_str(&unnamed, "maybe").unwrap_err();
    assert_eq!(e.path, "value");
}

#[test]
fn unusable_types_are_errors() {
    let p = param(r#"{"name":"x","type":"uint7"}"#);
    let e = value_from_str(&p, "1").unwrap_err();
    assert!(matches!(e.problem, Problem::BadType { .. }), "{e}");
    assert!(param_type(&p).is_err());
}

// ---- Transaction Builder strings: fixed cases ------------------------------

#[test]
fn writes_the_documented_forms() {
    let cases: Vec<(&str, DynSolValue, String)> = vec![
        (
            r#"{"name":"b","type":"bool"}"#,
            DynSolValue::Bool(false),
            "false".into(),
        ),
        (r#"{"name":"n","type":"int24"}"#, int(-7, 24), "-7".into()),
        (
            r#"{"name":"a","type":"address"}"#,
            addr(&A.to_lowercase()),
            A.into(),
        ),
        (
            r#"{"name":"h","type":"bytes2"}"#,
            DynSolValue::FixedBytes(B256::ZERO, 2),
            "0x0000".into(),
        ),
        (
            r#"{"name":"d","type":"bytes"}"#,
            DynSolValue::Bytes(vec![0xAB, 0x01]),
            "0xab01".into(),
        ),
        (
            r#"{"name":"s","type":"string"}"#,
            DynSolValue::String("[\"not json\"]".into()),
            "[\"not json\"]".into(),
        ),
        (
            r#"{"name":"ok","type":"bool[2]"}"#,
            DynSolValue::FixedArray(vec![DynSolValue::Bool(true), DynSolValue::Bool(false)]),
            "[true,false]".into(),
        ),
        (
            r#"{"name":"ss","type":"string[][]"}"#,
            DynSolValue::Array(vec![DynSolValue::Array(vec![DynSolValue::String(
                "a,b]".into(),
            )])]),
            r#"[["a,b]"]]"#.into(),
        ),
        (
            r#"{"name":"v","type":"tuple[]","components":[
                {"name":"weight","type":"uint256"},{"name":"gauge","type":"address"}]}"#,
            DynSolValue::Array(vec![DynSolValue::Tuple(vec![uint(1, 256), addr(A)])]),
            format!("[[\"1\",\"{A}\"]]"),
        ),
    ];
    for (json, value, text) in cases {
        let p = param(json);
        assert_eq!(to_contract_input(&p, &value).unwrap(), text, "{json}");
        assert_eq!(from_contract_input(&p, &text).unwrap(), value, "{json}");
    }
}

#[test]
fn writing_checks_the_value_against_the_type() {
    let p = param(r#"{"name":"xs","type":"uint8[2]"}"#);
    let e = to_contract_input(&p, &DynSolValue::FixedArray(vec![uint(1, 8)])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`xs`: uint8[2] takes exactly 2 elements, got 1"
    );
    let e =
        to_contract_input(&p, &DynSolValue::FixedArray(vec![uint(1, 8), uint(1, 16)])).unwrap_err();
    assert_eq!(e.path, "xs[1]");
    let e = to_contract_input(&p, &DynSolValue::Bool(true)).unwrap_err();
    assert!(e.to_string().contains("found a bool"), "{e}");
    let f = param(r#"{"name":"f","type":"function"}"#);
    assert!(matches!(
        to_contract_input(
            &f,
            &value_from_str(&f, &format!("0x{}", "00".repeat(24))).unwrap()
        )
        .unwrap_err()
        .problem,
        Problem::Unsupported(_)
    ));
}

#[test]
fn reads_real_world_spellings() {
    let tuple = param(
        r#"{"name":"t","type":"tuple","components":[
            {"name":"id","type":"uint256"},{"name":"on","type":"bool"},
            {"name":"inner","type":"tuple","components":[{"name":"flag","type":"bool"}]}]}"#,
    );
    // Quoted "true" inside tuples, as some exported files have it.
    assert_eq!(
        from_contract_input(&tuple, r#"[1,"true",["true"]]"#).unwrap(),
        DynSolValue::Tuple(vec![
            uint(1, 256),
            DynSolValue::Bool(true),
            DynSolValue::Tuple(vec![DynSolValue::Bool(true)])
        ])
    );
    let e = from_contract_input(&tuple, r#"["1",true,["false"]]"#).unwrap_err();
    assert_eq!(e.path, "t.inner.flag");
    assert!(matches!(e.problem, Problem::Refused(_)));

    let bools = param(r#"{"name":"bs","type":"bool[]"}"#);
    assert_eq!(
        from_contract_input(&bools, r#"[ "TRUE", '0', 1 ]"#).unwrap(),
        DynSolValue::Array(vec![
            DynSolValue::Bool(true),
            DynSolValue::Bool(false),
            DynSolValue::Bool(true)
        ])
    );
    let nums = param(r#"{"name":"ns","type":"int16[]"}"#);
    assert_eq!(
        from_contract_input(&nums, r#"["-1", 2]"#).unwrap(),
        DynSolValue::Array(vec![int(-1, 16), int(2, 16)])
    );
    let e = from_contract_input(&nums, "[1,ff]").unwrap_err();
    assert_eq!(e.path, "ns[1]");
    assert!(e.to_string().contains("hexadecimal"), "{e}");
    assert!(from_contract_input(&nums, "1,2").is_err());
    assert!(from_contract_input(&nums, "[1,2,]").is_err());

    let strings = param(r#"{"name":"ss","type":"string[]"}"#);
    assert!(from_contract_input(&strings, "[a,b]").is_err());
    assert!(from_contract_input(&strings, "[1]").is_err());
}

#[test]
fn map_level_keys_and_errors() {
    let function: Function = serde_json::from_str(
        r#"{"type":"function","name":"set","stateMutability":"nonpayable","outputs":[],
            "inputs":[{"name":"who","type":"address"},{"name":"","type":"uint256[]"},
                      {"name":"","type":"string"}]}"#,
    )
    .unwrap();
    let keys: Vec<_> = function
        .inputs
        .iter()
        .enumerate()
        .map(|(i, p)| contract_input_key(p, i))
        .collect();
    assert_eq!(keys, ["who", "1", "2"]);

    let args = vec![
        addr(A),
        DynSolValue::Array(vec![uint(1, 256)]),
        DynSolValue::String("x".into()),
    ];
    let entries = contract_inputs_values(&function, &args).unwrap();
    assert_eq!(
        entries,
        [
            ("who".to_string(), A.to_string()),
            ("1".into(), "[1]".into()),
            ("2".into(), "x".into())
        ]
    );
    // An absent string reads as "", extra keys are ignored.
    let mut map: Map<String, Value> = entries.into_iter().map(|(k, v)| (k, v.into())).collect();
    map.remove("2");
    map.insert("extra".into(), Value::from(5));
    let read = args_from_contract_inputs(&function, &map).unwrap();
    assert_eq!(read[2], DynSolValue::String(String::new()));
    map.insert("1".into(), Value::from(1));
    let e = args_from_contract_inputs(&function, &map).unwrap_err();
    assert_eq!(e.path, "#1");
    map.insert("1".into(), Value::String("[1,x]".into()));
    let e = args_from_contract_inputs(&function, &map).unwrap_err();
    assert_eq!(e.path, "#1[1]");
    map.remove("who");
    let e = args_from_contract_inputs(&function, &map).unwrap_err();
    assert_eq!(e.path, "who");
}

// ---- round trips over generated ABI types ---------------------------------

fn leaf_type() -> impl Strategy<Value = DynSolType> {
    prop_oneof![
        Just(DynSolType::Address),
        Just(DynSolType::Bool),
        (1usize..=32).prop_map(|n| DynSolType::Uint(n * 8)),
        (1usize..=32).prop_map(|n| DynSolType::Int(n * 8)),
        (1usize..=32).prop_map(DynSolType::FixedBytes),
        Just(DynSolType::Bytes),
        Just(DynSolType::String),
    ]
}

/// Leaves, arrays (fixed and dynamic, nested) and tuples up to three levels
/// deep, including arrays of tuples and tuples of arrays.
fn abi_type() -> impl Strategy<Value = DynSolType> {
    leaf_type().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| DynSolType::Array(Box::new(t))),
            (inner.clone(), 1usize..=3).prop_map(|(t, k)| DynSolType::FixedArray(Box::new(t), k)),
            prop::collection::vec(inner, 1..=3).prop_map(DynSolType::Tuple),
        ]
    })
}

fn mask(bits: usize) -> U256 {
    if bits == 256 {
        U256::MAX
    } else {
        (U256::from(1u8) << bits) - U256::from(1u8)
    }
}

/// Raw bit patterns of `bits` bits, biased towards the edges.
fn raw_bits(bits: usize) -> BoxedStrategy<U256> {
    let m = mask(bits);
    prop_oneof![
        Just(U256::ZERO),
        Just(m),
        Just(m >> 1),
        Just((m >> 1) + U256::from(1u8)),
        any::<u64>().prop_map(move |x| U256::from(x) & m),
        any::<[u8; 32]>().prop_map(move |b| U256::from_be_bytes(b) & m),
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
        "[\\[\\]\",' a-z0-9\\\\{}:\t\n]{0,12}",
    ]
    .boxed()
}

fn value_of(ty: &DynSolType) -> BoxedStrategy<DynSolValue> {
    match ty {
        DynSolType::Bool => any::<bool>().prop_map(DynSolValue::Bool).boxed(),
        DynSolType::Uint(bits) => {
            let bits = *bits;
            raw_bits(bits)
                .prop_map(move |v| DynSolValue::Uint(v, bits))
                .boxed()
        }
        DynSolType::Int(bits) => {
            let bits = *bits;
            raw_bits(bits)
                .prop_map(move |raw| {
                    // Sign-extend the `bits`-bit two's complement pattern.
                    let negative = raw.bit(bits - 1);
                    let full = if negative { raw | !mask(bits) } else { raw };
                    DynSolValue::Int(I256::from_raw(full), bits)
                })
                .boxed()
        }
        DynSolType::Address => any::<[u8; 20]>()
            .prop_map(|b| DynSolValue::Address(Address::from(b)))
            .boxed(),
        DynSolType::FixedBytes(n) => {
            let n = *n;
            prop::collection::vec(any::<u8>(), n)
                .prop_map(move |b| {
                    let mut word = B256::ZERO;
                    word[..n].copy_from_slice(&b);
                    DynSolValue::FixedBytes(word, n)
                })
                .boxed()
        }
        DynSolType::Bytes => prop::collection::vec(any::<u8>(), 0..40)
            .prop_map(DynSolValue::Bytes)
            .boxed(),
        DynSolType::String => text().prop_map(DynSolValue::String).boxed(),
        DynSolType::Array(t) => prop::collection::vec(value_of(t), 0..4)
            .prop_map(DynSolValue::Array)
            .boxed(),
        DynSolType::FixedArray(t, k) => prop::collection::vec(value_of(t), *k)
            .prop_map(DynSolValue::FixedArray)
            .boxed(),
        DynSolType::Tuple(types) => types
            .iter()
            .map(value_of)
            .collect::<Vec<_>>()
            .prop_map(DynSolValue::Tuple)
            .boxed(),
        // Function, and CustomStruct (alloy's eip712 feature, which the typed-data tests enable).
        _ => unreachable!("not generated"),
    }
}

/// The ABI JSON parameter for a type: tuples spelt `tuple…` with named
/// (and, every third, unnamed) components, as in a real ABI.
fn param_of(ty: &DynSolType, name: &str) -> Param {
    let mut stem = ty;
    let mut suffix = String::new();
    while let DynSolType::Array(inner) | DynSolType::FixedArray(inner, _) = stem {
        let dim = match stem {
            DynSolType::FixedArray(_, k) => format!("[{k}]"),
            _ => "[]".to_string(),
        };
        suffix.insert_str(0, &dim);
        stem = inner;
    }
    let (base, components) = match stem {
        DynSolType::Tuple(types) => (
            "tuple".to_string(),
            types
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let name = if i % 3 == 2 {
                        String::new()
                    } else {
                        format!("c{i}")
                    };
                    param_of(t, &name)
                })
                .collect(),
        ),
        other => (other.sol_type_name().into_owned(), vec![]),
    };
    Param::new(name, &format!("{base}{suffix}"), components, None).expect("valid parameter")
}

fn typed_value() -> impl Strategy<Value = (DynSolType, DynSolValue)> {
    abi_type().prop_flat_map(|ty| {
        let value = value_of(&ty);
        (Just(ty), value)
    })
}

/// A TOML spelling of a value, varied by `seed`: integers as TOML integers
/// or decimal / hex strings, addresses lower-case or checksummed, tuples as
/// arrays or (when fully named) tables.
fn to_toml(param_components: &[Param], value: &DynSolValue, seed: u64) -> toml::Value {
    let pick = |k: u64| (seed >> (k % 60)) & 1 == 1;
    match value {
        DynSolValue::Bool(b) => toml::Value::Boolean(*b),
        DynSolValue::Uint(v, _) => match (i64::try_from(*v), pick(1)) {
            (Ok(i), true) => toml::Value::Integer(i),
            _ if pick(2) => toml::Value::String(format!("{v:#x}")),
            _ => toml::Value::String(v.to_string()),
        },
        DynSolValue::Int(v, _) => match (i64::try_from(*v), pick(3)) {
            (Ok(i), true) => toml::Value::Integer(i),
            _ => toml::Value::String(v.to_string()),
        },
        DynSolValue::Address(a) => toml::Value::String(if pick(4) {
            a.to_checksum(None)
        } else {
            format!("{a:#x}")
        }),
        DynSolValue::FixedBytes(w, n) => toml::Value::String(hex::encode_prefixed(&w[..*n])),
        DynSolValue::Bytes(b) => toml::Value::String(hex::encode_prefixed(b)),
        DynSolValue::String(s) => toml::Value::String(s.clone()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => toml::Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| to_toml(param_components, v, seed.rotate_left(i as u32 + 7)))
                .collect(),
        ),
        DynSolValue::Tuple(items) => {
            let named = param_components.iter().all(|c| !c.name.is_empty());
            if named && pick(5) {
                toml::Value::Table(
                    param_components
                        .iter()
                        .zip(items)
                        .map(|(c, v)| {
                            (
                                c.name.clone(),
                                to_toml(&c.components, v, seed.rotate_left(11)),
                            )
                        })
                        .collect(),
                )
            } else {
                toml::Value::Array(
                    param_components
                        .iter()
                        .zip(items)
                        .map(|(c, v)| to_toml(&c.components, v, seed.rotate_left(13)))
                        .collect(),
                )
            }
        }
        _ => unreachable!("not generated"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn contract_input_round_trip((ty, value) in typed_value()) {
        let p = param_of(&ty, "arg");
        prop_assert_eq!(param_type(&p).unwrap(), ty.clone());
        let text = to_contract_input(&p, &value).unwrap();
        let back = from_contract_input(&p, &text);
        prop_assert_eq!(back.as_ref(), Ok(&value), "type {} text {:?}", ty, text);
    }

    #[test]
    fn contract_inputs_map_round_trip(
        typed in prop::collection::vec(typed_value(), 1..=3),
        unnamed in any::<[bool; 3]>(),
    ) {
        let inputs: Vec<Param> = typed
            .iter()
            .enumerate()
            .map(|(i, (ty, _))| param_of(ty, &if unnamed[i] { String::new() } else { format!("a{i}") }))
            .collect();
        let args: Vec<DynSolValue> = typed.iter().map(|(_, v)| v.clone()).collect();
        let function = Function {
            name: "f".into(),
            inputs,
            outputs: vec![],
            state_mutability: StateMutability::NonPayable,
        };
        let map: Map<String, Value> = contract_inputs_values(&function, &args)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        // Through the file's JSON text, as the app would read it.
        let reparsed: Map<String, Value> =
            serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
        let back = args_from_contract_inputs(&function, &reparsed).unwrap();
        prop_assert_eq!(
            function.abi_encode_input(&back).unwrap(),
            function.abi_encode_input(&args).unwrap()
        );
        prop_assert_eq!(back, args);
    }

    #[test]
    fn toml_round_trip((ty, value) in typed_value(), seed in any::<u64>()) {
        let p = param_of(&ty, "arg");
        let toml_value = to_toml(&p.components, &value, seed);
        prop_assert_eq!(value_from_toml(&p, &toml_value), Ok(value));
    }

    /// Arbitrary strings never panic the reader, whatever the type.
    #[test]
    fn reading_arbitrary_text_never_panics(ty in abi_type(), text in ".{0,40}") {
        let p = param_of(&ty, "arg");
        let _ = from_contract_input(&p, &text);
        let _ = value_from_str(&p, &text);
    }
}
