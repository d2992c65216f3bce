//! Decoding calldata into call trees: the AGI Jobs calldata vectors (plain and
//! nested), the snapshot of a batch through SystemPause, collisions, malformed
//! data and hostile bytes.

mod common;

use std::rc::Rc;

use alloy_dyn_abi::JsonAbiExt;
use alloy_primitives::{Address, Bytes, U256, hex};
use bundlec::abi::registry::AbiRegistry;
use bundlec::abi::values::value_from_str;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallSite, DecodeError, Decoded, Decoder, render};
use bundlec::multisend::{self, MultiSendRecord};
use bundlec::parse::{parse_address, parse_hex_bytes};
use bundlec::safe::Operation;
use common::reference_fixture;
use proptest::prelude::*;
use serde_json::Value;

/// Parsing every embedded ABI takes a moment in debug builds: do it once.
static REGISTRY: std::sync::LazyLock<AbiRegistry> =
    std::sync::LazyLock::new(|| AbiRegistry::embedded().unwrap());

fn vectors() -> Vec<Value> {
    let path = reference_fixture("agijobs/calldata-vectors.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["vectors"].as_array().unwrap().clone()
}

/// The placeholder address book the vectors use, named as the deployment would.
fn example_book() -> AddressBook {
    let mut book = AddressBook::new(Some(1));
    for (name, address) in [
        ("AGITimelock", "0x1111111111111111111111111111111111111111"),
        ("SystemPause", "0x5555555555555555555555555555555555555555"),
        ("StakeManager", "0x6666666666666666666666666666666666666666"),
        ("JobRegistry", "0x7777777777777777777777777777777777777777"),
        ("FeePool", "0x9999999999999999999999999999999999999999"),
        (
            "ValidationModule",
            "0xdddddddddddddddddddddddddddddddddddddddd",
        ),
        (
            "DisputeModule",
            "0xf000000000000000000000000000000000000000",
        ),
        (
            "CertificateNFT",
            "0xf222222222222222222222222222222222222222",
        ),
        ("TaxPolicy", "0xf333333333333333333333333333333333333333"),
        (
            "Phase8UniversalValueManager",
            "0xfa12b3C4d5E6F7890abCdEffeDCBa98765432109",
        ),
    ] {
        let address = parse_address(&address.to_lowercase()).unwrap();
        book.insert(address, name, Some(name.to_string()));
    }
    book
}

fn contract_of(vector: &Value) -> String {
    vector["name"]
        .as_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .to_string()
}

/// A vector argument in the form `value_json` prints it, for comparison.
fn normalise(text: &str, ty: &str) -> Value {
    match ty {
        "bool" => Value::Bool(text.eq_ignore_ascii_case("true")),
        "address" => Value::String(
            parse_address(&text.to_lowercase())
                .unwrap()
                .to_checksum(None),
        ),
        t if t.starts_with("bytes") => Value::String(text.to_lowercase()),
        _ => Value::String(text.to_string()),
    }
}

#[test]
fn every_calldata_vector_encodes_and_decodes_back() {
    let registry = AbiRegistry::embedded().unwrap();
    let book = example_book();
    let decoder = Decoder::new(&registry, &book);
    let vectors = vectors();
    assert!(vectors.len() >= 25);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let signature = v["signature"].as_str().unwrap();
        let function = registry.function(&contract_of(&v), signature).unwrap();
        let texts: Vec<&str> = v["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let args: Vec<_> = function
            .inputs
            .iter()
            .zip(&texts)
            .map(|(param, text)| {
                let text = if param.ty == "bool" {
                    text.to_lowercase()
                } else {
                    text.to_string()
                };
                value_from_str(param, &text).unwrap_or_else(|e| panic!("{name}: {e}"))
            })
            .collect();
        let expected = parse_hex_bytes(v["data"].as_str().unwrap()).unwrap();
        assert_eq!(
            Bytes::from(function.abi_encode_input(&args).unwrap()),
            expected,
            "{name}"
        );

        let to = parse_address(&v["to"].as_str().unwrap().to_lowercase()).unwrap();
        let site = CallSite {
            to: Some(to),
            ..CallSite::default()
        };
        let tree = decoder.decode(site, &expected, "0").unwrap();
        let call = tree
            .function()
            .unwrap_or_else(|| panic!("{name} did not decode"));
        assert_eq!(&*call.signature, signature, "{name}");
        assert_eq!(&*call.abi, contract_of(&v), "{name}");
        for ((arg, text), param) in call.args.iter().zip(&texts).zip(&function.inputs) {
            assert_eq!(
                render::value_json(&arg.value),
                normalise(text, &param.ty),
                "{name} {}",
                arg.name
            );
        }
        // The wrappers decode into the call they carry.
        let wraps = [
            "executeGovernanceCall",
            "forwardPauseCall",
            "schedule",
            "execute",
        ];
        if wraps.contains(&&*call.name) {
            assert_eq!(tree.children.len(), 1, "{name}");
            let inner = tree.children[0]
                .function()
                .unwrap_or_else(|| panic!("{name}: inner call unknown"));
            let inner_data = &tree.children[0].data;
            assert_eq!(
                &inner_data[..4],
                &hex::decode(
                    &texts[if &*call.name == "forwardPauseCall" {
                        0
                    } else if &*call.name == "executeGovernanceCall" {
                        1
                    } else {
                        2
                    }][2..10]
                )
                .unwrap()[..],
                "{name}"
            );
            assert!(!inner.signature.is_empty());
        } else {
            assert!(tree.children.is_empty(), "{name}");
        }
    }
}

fn call_data(registry: &AbiRegistry, contract: &str, signature: &str, args: &[&str]) -> Bytes {
    let function = registry.function(contract, signature).unwrap();
    let values: Vec<_> = function
        .inputs
        .iter()
        .zip(args)
        .map(|(p, a)| value_from_str(p, a).unwrap())
        .collect();
    function.abi_encode_input(&values).unwrap().into()
}

#[test]
fn snapshot_of_a_batch_with_a_system_pause_forwarded_call() {
    let registry = AbiRegistry::embedded().unwrap();
    let book = example_book();
    let delist = call_data(&registry, "JobRegistry", "delistJob(uint256)", &["42"]);
    let forwarded = call_data(
        &registry,
        "SystemPause",
        "executeGovernanceCall(address,bytes)",
        &[
            "0x7777777777777777777777777777777777777777",
            &hex::encode_prefixed(&delist),
        ],
    );
    let pause_all = call_data(&registry, "SystemPause", "pauseAll()", &[]);
    let certificate_pause = call_data(&registry, "CertificateNFT", "pause()", &[]);
    let records: Vec<MultiSendRecord> = [
        ("0x5555555555555555555555555555555555555555", pause_all),
        (
            "0xf222222222222222222222222222222222222222",
            certificate_pause,
        ),
        ("0x5555555555555555555555555555555555555555", forwarded),
    ]
    .into_iter()
    .map(|(to, data)| MultiSendRecord {
        operation: Operation::Call,
        to: parse_address(to).unwrap(),
        value: U256::ZERO,
        data,
    })
    .collect();
    let calldata = multisend::encode(&records);
    let site = CallSite {
        to: Some(parse_address("0x9641d764fc13c8B624c04430C7356C1C7C8102e2").unwrap()),
        value: Some(U256::ZERO),
        operation: Some(Operation::DelegateCall),
        ..CallSite::default()
    };
    let tree = Decoder::new(&registry, &book)
        .decode(site, &calldata, "0")
        .unwrap();
    insta::assert_snapshot!(render::tree_text(&tree, &book));
    insta::assert_json_snapshot!(render::tree_json(&tree, &book));
}

#[test]
fn a_selector_collision_yields_both_candidates() {
    let mut registry = AbiRegistry::embedded().unwrap();
    // collate_propagate_storage(bytes16) and burn(uint256) share selector 0x42966c68.
    registry
        .add_or_override(
            "Collider",
            r#"[{"type":"function","name":"collate_propagate_storage","inputs":[{"name":"x","type":"bytes16"}],"outputs":[],"stateMutability":"nonpayable"}]"#,
        )
        .unwrap();
    registry
        .add_or_override(
            "Burner",
            r#"[{"type":"function","name":"burn","inputs":[{"name":"amount","type":"uint256"}],"outputs":[],"stateMutability":"nonpayable"}]"#,
        )
        .unwrap();
    let book = AddressBook::new(None);
    let mut data = hex::decode("42966c68").unwrap();
    data.extend_from_slice(&U256::from(1).to_be_bytes::<32>());
    let tree = Decoder::new(&registry, &book)
        .decode(CallSite::default(), &data, "0")
        .unwrap();
    let call = tree.function().unwrap();
    assert_eq!(&*call.signature, "burn(uint256)");
    assert_eq!(
        call.collides_with,
        vec!["collate_propagate_storage(bytes16)".to_string()]
    );
    assert!(
        render::tree_text(&tree, &book)
            .contains("selector also matches collate_propagate_storage(bytes16)")
    );
}

#[test]
fn unknown_selectors_and_empty_data() {
    let registry = AbiRegistry::embedded().unwrap();
    let book = AddressBook::new(None);
    let decoder = Decoder::new(&registry, &book);
    let tree = decoder
        .decode(
            CallSite::default(),
            &hex::decode("deadbeef00").unwrap(),
            "0",
        )
        .unwrap();
    assert_eq!(
        tree.call,
        Decoded::Unknown {
            selector: Some([0xde, 0xad, 0xbe, 0xef])
        }
    );
    assert_eq!(tree.data.len(), 5, "the raw bytes are kept");
    assert_eq!(
        decoder.decode(CallSite::default(), &[], "0").unwrap().call,
        Decoded::Empty
    );
    assert_eq!(
        decoder
            .decode(CallSite::default(), &[1, 2], "0")
            .unwrap()
            .call,
        Decoded::Unknown { selector: None }
    );
}

#[test]
fn data_that_does_not_fit_its_function_names_function_and_offset() {
    let registry = AbiRegistry::embedded().unwrap();
    let book = example_book();
    let decoder = Decoder::new(&registry, &book);
    let mut data = hex::decode("e63079e3").unwrap();
    data.extend_from_slice(&[0u8; 10]);
    let to = Some(parse_address("0x7777777777777777777777777777777777777777").unwrap());
    let err = decoder
        .decode(
            CallSite {
                to,
                ..CallSite::default()
            },
            &data,
            "0",
        )
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("delistJob(uint256)") && message.contains("byte 4"),
        "{message}"
    );

    // A forwarded call whose inner data is broken is reported at its own path.
    let inner = Bytes::from(data);
    let outer = call_data(
        &registry,
        "SystemPause",
        "executeGovernanceCall(address,bytes)",
        &[
            "0x7777777777777777777777777777777777777777",
            &hex::encode_prefixed(&inner),
        ],
    );
    let to = Some(parse_address("0x5555555555555555555555555555555555555555").unwrap());
    let err = decoder
        .decode(
            CallSite {
                to,
                ..CallSite::default()
            },
            &outer,
            "0",
        )
        .unwrap_err();
    assert!(err.to_string().starts_with("call 0.0:"), "{err}");
}

#[test]
fn nesting_is_bounded() {
    let registry = AbiRegistry::embedded().unwrap();
    let book = example_book();
    let mut data = call_data(&registry, "SystemPause", "pauseAll()", &[]);
    for _ in 0..20 {
        data = call_data(
            &registry,
            "SystemPause",
            "executeGovernanceCall(address,bytes)",
            &[
                "0x5555555555555555555555555555555555555555",
                &hex::encode_prefixed(&data),
            ],
        );
    }
    let to = Some(parse_address("0x5555555555555555555555555555555555555555").unwrap());
    let err = Decoder::new(&registry, &book)
        .decode(
            CallSite {
                to,
                ..CallSite::default()
            },
            &data,
            "0",
        )
        .unwrap_err();
    assert!(matches!(err, DecodeError::TooDeep { .. }), "{err}");
}

proptest! {
    #[test]
    fn decoding_arbitrary_bytes_never_panics(
        selector in prop::sample::select(vec![
            "8d80ff0a", "a64cfe10", "a7e5f9d7", "01d5062a", "134008d3", "8f2a0bb0", "e38335e5",
            "6a761202", "e63079e3", "ab033ea9", "00000000",
        ]),
        body in proptest::collection::vec(any::<u8>(), 0..300),
        known_target in any::<bool>(),
    ) {
        let registry = &*REGISTRY;
        let book = example_book();
        let mut data = hex::decode(selector).unwrap();
        data.extend_from_slice(&body);
        let to = known_target.then(|| Address::repeat_byte(0x55));
        let _ = Decoder::new(registry, &book).decode(CallSite { to, ..CallSite::default() }, &data, "0");
    }
}

#[test]
fn multisend_1_5_runs_calls_to_address_zero_on_the_safe() {
    let registry = &*REGISTRY;
    let book = AddressBook::new(Some(1));
    let safe = Address::repeat_byte(0x5a);
    let records = vec![MultiSendRecord {
        operation: Operation::Call,
        to: Address::ZERO,
        value: U256::ZERO,
        data: call_data(registry, "Safe", "changeThreshold", &["1"]),
    }];
    let calldata = multisend::encode(&records);
    let decoder = Decoder::new(registry, &book);
    // The Safe delegatecalls the MultiSend, so its code runs as the Safe.
    let at = |to: &str| CallSite {
        to: Some(parse_address(to).unwrap()),
        operation: Some(Operation::DelegateCall),
        executor: Some(safe),
        ..CallSite::default()
    };
    // MultiSendCallOnly 1.5.0: the call runs on the Safe.
    let tree = decoder
        .decode(
            at("0xA83c336B20401Af773B6219BA5027174338D1836"),
            &calldata,
            "0",
        )
        .unwrap();
    assert_eq!(tree.children[0].to, Some(safe));
    assert!(
        tree.children[0]
            .to_name
            .as_deref()
            .unwrap()
            .contains("address 0")
    );
    // MultiSendCallOnly 1.4.1: address 0 is address 0.
    let tree = decoder
        .decode(
            at("0x9641d764fc13c8B624c04430C7356C1C7C8102e2"),
            &calldata,
            "0",
        )
        .unwrap();
    assert_eq!(tree.children[0].to, Some(Address::ZERO));
}

#[test]
fn approve_hash_shows_the_approved_hash() {
    let registry = &*REGISTRY;
    let book = AddressBook::new(Some(11155111));
    let hash = "0xcb8bbe7bf8f8a1f3f57658e450d07d4422356ac042d96a87ba425b19e67a78a1";
    let data = call_data(registry, "Safe", "approveHash", &[hash]);
    let site = CallSite {
        to: Some(parse_address("0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1").unwrap()),
        ..CallSite::default()
    };
    let tree = Decoder::new(registry, &book)
        .decode(site, &data, "0")
        .unwrap();
    let text = render::tree_text(&tree, &book);
    assert!(
        text.contains(&format!("approveHash(hashToApprove={hash})")),
        "{text}"
    );
}

/// Every call a decoder reads with one function shares that function's
/// names; a function read under another ABI has its own.
#[test]
fn calls_of_one_function_share_its_names() {
    let mut registry = AbiRegistry::embedded().unwrap();
    let burn = r#"[{"type":"function","name":"burn","inputs":[{"name":"amount","type":"uint256"}],"outputs":[],"stateMutability":"nonpayable"}]"#;
    registry.add_or_override("Burner", burn).unwrap();
    let book = AddressBook::new(None);
    let decoder = Decoder::new(&registry, &book);
    let burn_of = |amount: u64| {
        let mut data = hex::decode("42966c68").unwrap();
        data.extend_from_slice(&U256::from(amount).to_be_bytes::<32>());
        decoder.decode(CallSite::default(), &data, "0").unwrap()
    };
    let (one, two) = (burn_of(1), burn_of(2));
    let (one, two) = (one.function().unwrap(), two.function().unwrap());
    assert!(Rc::ptr_eq(&one.signature, &two.signature));
    assert!(Rc::ptr_eq(&one.args[0].name, &two.args[0].name));
    assert!(Rc::ptr_eq(&one.args[0].ty, &two.args[0].ty));
    assert_eq!(
        (&*one.abi, &*one.name, &*one.args[0].ty),
        ("Burner", "burn", "uint256")
    );
    assert_ne!(one.args[0].value, two.args[0].value);
}

/// `decode_shared` keeps the caller's bytes as the root's data rather than
/// copying them; `decode` reads the same tree from a copy.
#[test]
fn the_root_shares_the_callers_data() {
    let registry = &*REGISTRY;
    let book = AddressBook::new(None);
    let decoder = Decoder::new(registry, &book);
    let mut data = hex::decode("42966c68").unwrap();
    data.extend_from_slice(&U256::from(1).to_be_bytes::<32>());
    let data = Bytes::from(data);
    let shared = decoder
        .decode_shared(CallSite::default(), data.clone(), "0")
        .unwrap();
    assert_eq!(shared.data.as_ptr(), data.as_ptr());
    let copied = decoder.decode(CallSite::default(), &data, "0").unwrap();
    assert_ne!(copied.data.as_ptr(), data.as_ptr());
    assert_eq!(shared, copied);
}
