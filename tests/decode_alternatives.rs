//! Bytes that several ABIs read differently: every reading is kept, the
//! first in a fixed order as the call and the others as alternatives, and
//! none of the names they carry can break a line of the text output.

use alloy_json_abi::JsonAbi;
use alloy_primitives::{Address, U256, address};
use alloy_sol_types::{SolCall, sol};
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallSite, Decoder, FunctionCall, render};
use bundlec::text::is_unsafe_char;
use serde_json::{Value, json};

sol! {
    function approve(address spender, uint256 value);
    function forwardEscalation(bytes data);
    struct Entry { address who; uint256 weight; }
    function poke(uint256 amount, string note, Entry entry);
}

static REGISTRY: std::sync::LazyLock<AbiRegistry> =
    std::sync::LazyLock::new(|| AbiRegistry::embedded().unwrap());

const SPENDER: Address = address!("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
const TOKEN: Address = address!("7070000000000000000000000000000000000001");

fn approve_data() -> Vec<u8> {
    approveCall {
        spender: SPENDER,
        value: U256::from(1000),
    }
    .abi_encode()
}

fn reading(call: &FunctionCall) -> (String, String, Vec<String>) {
    (
        call.abi.to_string(),
        call.signature.to_string(),
        call.args.iter().map(|a| a.name.to_string()).collect(),
    )
}

fn names(abi: &str, names: &[&str]) -> (String, String, Vec<String>) {
    (
        abi.to_string(),
        "approve(address,uint256)".to_string(),
        names.iter().map(|n| n.to_string()).collect(),
    )
}

#[test]
fn an_unknown_target_gets_every_distinct_reading() {
    let book = AddressBook::new(Some(1));
    let decoder = Decoder::new(&REGISTRY, &book);
    for to in [None, Some(TOKEN)] {
        let site = CallSite {
            to,
            ..CallSite::default()
        };
        let tree = decoder.decode(site, &approve_data(), "0").unwrap();
        let call = tree.function().unwrap();
        // CertificateNFT, ERC20 and ERC721 all have approve(address,uint256);
        // ERC721 reads it as CertificateNFT does, so it is not repeated.
        assert_eq!(reading(call), names("CertificateNFT", &["to", "tokenId"]));
        let alternatives: Vec<_> = call.alternatives.iter().map(reading).collect();
        assert_eq!(alternatives, vec![names("ERC20", &["spender", "value"])]);
        assert!(call.alternatives[0].alternatives.is_empty());
        assert!(call.collides_with.is_empty(), "one signature only");

        let text = render::tree_text(&tree, &book);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            vec![
                format!(
                    "[0]{} : CertificateNFT.approve(to={SPENDER}, tokenId=1000)",
                    to.map_or(" (target set by the calling contract)".to_string(), |a| {
                        format!(" {a}")
                    })
                ),
                format!("    ! also reads as ERC20.approve(spender={SPENDER}, value=1000)"),
            ],
            "{text}"
        );
        let json = render::tree_json(&tree, &book);
        assert_eq!(
            json["alternatives"],
            json!([{
                "abi": "ERC20",
                "signature": "approve(address,uint256)",
                "function": "approve",
                "state_mutability": "nonpayable",
                "args": [
                    {"name": "spender", "type": "address", "value": SPENDER.to_checksum(None)},
                    {"name": "value", "type": "uint256", "value": "1000"},
                ],
            }])
        );
        assert_eq!(json["state_mutability"], "nonpayable");
        assert_eq!(json["executor"], Value::Null);
    }
}

#[test]
fn the_order_of_readings_does_not_depend_on_the_order_abis_were_added() {
    let mut registry = AbiRegistry::new();
    for name in ["ERC721", "ERC20", "CertificateNFT"] {
        let text = bundlec::abi::registry::EMBEDDED_ABIS
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1;
        registry.add_or_override(name, text).unwrap();
    }
    let book = AddressBook::new(None);
    let tree = Decoder::new(&registry, &book)
        .decode(CallSite::default(), &approve_data(), "0")
        .unwrap();
    let embedded = Decoder::new(&REGISTRY, &book)
        .decode(CallSite::default(), &approve_data(), "0")
        .unwrap();
    assert_eq!(tree.call, embedded.call);
}

#[test]
fn a_target_with_its_own_abi_is_read_with_it_alone() {
    let mut book = AddressBook::new(Some(1));
    book.insert(TOKEN, "USDC", Some("ERC20".to_string()));
    let tree = Decoder::new(&REGISTRY, &book)
        .decode(
            CallSite {
                to: Some(TOKEN),
                ..CallSite::default()
            },
            &approve_data(),
            "0",
        )
        .unwrap();
    let call = tree.function().unwrap();
    assert_eq!(reading(call), names("ERC20", &["spender", "value"]));
    assert!(call.alternatives.is_empty());
    let text = render::tree_text(&tree, &book);
    assert!(!text.contains("also reads as"), "{text}");
    assert!(text.contains(": approve(spender="), "{text}");
}

#[test]
fn readings_with_different_signatures_are_alternatives_too() {
    let mut registry = AbiRegistry::embedded().unwrap();
    // collate_propagate_storage(bytes16) and burn(uint256) share selector
    // 0x42966c68; a word with its low 16 bytes zero decodes as both.
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
    let mut data = vec![0x42, 0x96, 0x6c, 0x68];
    data.extend_from_slice(&(U256::from(0xabcd_u64) << 128_usize).to_be_bytes::<32>());
    let tree = Decoder::new(&registry, &book)
        .decode(CallSite::default(), &data, "0")
        .unwrap();
    let call = tree.function().unwrap();
    assert_eq!(&*call.abi, "Burner");
    assert_eq!(
        call.collides_with,
        vec!["collate_propagate_storage(bytes16)"]
    );
    let alternatives: Vec<_> = call
        .alternatives
        .iter()
        .map(|a| (&*a.abi, &*a.signature))
        .collect();
    assert_eq!(
        alternatives,
        vec![("Collider", "collate_propagate_storage(bytes16)")]
    );
    let text = render::tree_text(&tree, &book);
    assert!(
        text.contains("! also reads as Collider.collate_propagate_storage(x=0x0000"),
        "{text}"
    );
}

/// The function the two ABIs below describe, under plain names.
const PLAIN_ABI: &str = r#"[{"type":"function","name":"poke","stateMutability":"nonpayable","outputs":[],
  "inputs":[{"name":"amount","type":"uint256"},{"name":"note","type":"string"},
    {"name":"entry","type":"tuple","components":[{"name":"who","type":"address"},{"name":"weight","type":"uint256"}]}]}]"#;

/// The same function under names that try to start lines of their own or
/// reorder the text. JSON ABI files cannot carry them (alloy wants
/// identifiers), but an ABI given to the registry as a value can.
fn hostile_abi() -> JsonAbi {
    let mut abi: JsonAbi = serde_json::from_str(PLAIN_ABI).unwrap();
    let function = abi.functions.get_mut("poke").unwrap().first_mut().unwrap();
    function.inputs[0].name = "amount\nFindings (0)".into();
    function.inputs[1].name = "note\u{202e}".into();
    function.inputs[2].name = "entry\r\n[0] ok".into();
    function.inputs[2].components[0].name = "who\u{2028}".into();
    abi
}

#[test]
fn names_from_input_never_break_a_line() {
    let mut registry = AbiRegistry::embedded().unwrap();
    registry
        .add_or_override_abi("Hostile", hostile_abi())
        .unwrap();
    registry.add_or_override("Plain", PLAIN_ABI).unwrap();
    let mut book = AddressBook::new(Some(1));
    book.insert(
        SPENDER,
        "friend\n[1] CALL 0x0 : fake()\u{202e}",
        Some("Hostile".to_string()),
    );
    let decoder = Decoder::new(&registry, &book);

    // At the root with an unknown target: both readings, the hostile one first.
    let inner = pokeCall {
        amount: U256::from(1),
        note: "line\nbreak \u{202e}txet".to_string(),
        entry: Entry {
            who: SPENDER,
            weight: U256::from(2),
        },
    }
    .abi_encode();
    let tree = decoder.decode(CallSite::default(), &inner, "0").unwrap();
    let call = tree.function().unwrap();
    assert_eq!(&*call.abi, "Hostile");
    assert_eq!(call.alternatives.len(), 1);
    assert_eq!(&*call.alternatives[0].abi, "Plain");
    let text = render::tree_text(&tree, &book);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines().all(|line| !line.chars().any(is_unsafe_char)),
        "{text:?}"
    );
    assert!(text.contains("amount\\u000aFindings (0)=1"), "{text}");
    assert!(
        text.contains("note\\u202e=\"line\\nbreak \\u202etxet\""),
        "{text}"
    );
    assert!(
        text.contains("friend\\u000a[1] CALL 0x0 : fake()\\u202e"),
        "{text}"
    );
    assert!(
        text.contains("! also reads as Plain.poke(amount=1, note="),
        "{text}"
    );

    // Inside a forwarder, at a target named by the book and read with the
    // hostile ABI alone.
    let data = forwardEscalationCall { data: inner.into() }.abi_encode();
    let mut book = book.clone();
    book.insert(
        TOKEN,
        "escalation\u{2029}bridge\n",
        Some("Phase6ExpansionManager".to_string()),
    );
    let tree = Decoder::new(&registry, &book)
        .decode(
            CallSite {
                to: Some(TOKEN),
                ..CallSite::default()
            },
            &data,
            "0",
        )
        .unwrap();
    assert_eq!(tree.children.len(), 1);
    let text = render::tree_text(&tree, &book);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.lines().all(|line| !line.chars().any(is_unsafe_char)),
        "{text:?}"
    );
    assert!(text.contains("escalation\\u2029bridge\\u000a"), "{text}");
    // JSON keeps the names as they are: its encoding makes them safe.
    let json = render::tree_json(&tree, &book);
    assert_eq!(
        json["children"][0]["args"][0]["name"],
        "amount\nFindings (0)"
    );
}
