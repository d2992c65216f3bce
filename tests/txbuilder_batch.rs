//! The batch writer against real Transaction Builder exports: rebuilding an
//! exported batch from its fields must give back the same object and the
//! checksum the UI stored.

use std::fs;
use std::path::PathBuf;

use alloy_primitives::{Address, Bytes, U256, address};
use bundlec::txbuilder::{
    BatchFile, BatchMeta, BatchTransaction, ContractMethod, TX_BUILDER_VERSION, check,
    format_checksum, parse_json,
};
use serde_json::{Value, json};

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("conformance/txbuilder-exports")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_json(&text).unwrap()
}

fn meta(version: &str, safe: Address) -> BatchMeta {
    BatchMeta {
        tx_builder_version: version.to_string(),
        ..BatchMeta::new("Transactions Batch", safe)
    }
}

fn assert_rebuilds(name: &str, batch: &BatchFile) {
    let export = load(name);
    assert_eq!(
        format_checksum(&batch.checksum().unwrap()),
        export["meta"]["checksum"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(batch.to_json_value().unwrap(), export, "{name}");
    assert_eq!(
        parse_json(&batch.to_json_string().unwrap()).unwrap(),
        export,
        "{name}"
    );
}

#[test]
fn rebuilds_a_native_transfer_export() {
    let batch = BatchFile::new(
        1,
        1_709_210_130_381,
        meta(
            "1.16.3",
            address!("0x10A19e7eE7d7F8a52822f6817de8ea18204F2e4f"),
        ),
        vec![BatchTransaction {
            to: address!("0x166f54F44F271407f24AA1BE415a730035637325"),
            value: U256::from(50_000_000_000_000_000_000u128),
            data: None,
            contract_method: None,
            contract_inputs_values: None,
        }],
    );
    assert_rebuilds("txb-1.16.3-native-transfer.json", &batch);
}

#[test]
fn rebuilds_a_contract_method_export() {
    let batch =
        BatchFile::new(
            1,
            1_764_863_531_287,
            meta(
                "1.18.2",
                address!("0x166f54F44F271407f24AA1BE415a730035637325"),
            ),
            vec![BatchTransaction {
            to: address!("0x032007EC766D7fD0061d20aC9130894878433bd0"),
            value: U256::ZERO,
            data: None,
            contract_method: Some(ContractMethod {
                inputs: vec![
                    json!({"internalType": "address", "name": "newOwner", "type": "address"}),
                ],
                name: "transferOwnership".to_string(),
                payable: false,
            }.into()),
            contract_inputs_values: Some(vec![(
                "newOwner".to_string(),
                "0x9ff471F9f98F42E5151C7855fD1b5aa906b1AF7e".to_string(),
            )]),
        }],
        );
    assert_rebuilds("txb-1.18.2-owner-change.json", &batch);
}

#[test]
fn exact_bytes_of_a_small_batch() {
    let batch = BatchFile::new(
        11_155_111,
        1_700_000_000_000,
        BatchMeta::new(
            "Pause",
            address!("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
        ),
        vec![BatchTransaction::raw(
            address!("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
            U256::ZERO,
            Bytes::from_static(&[0x84, 0x56, 0xCB, 0x59]),
        )],
    );
    let text = batch.to_json_string().unwrap();
    let checksum = format_checksum(&batch.checksum().unwrap());
    let expected = format!(
        r#"{{
  "version": "1.0",
  "chainId": "11155111",
  "createdAt": 1700000000000,
  "meta": {{
    "name": "Pause",
    "description": "",
    "txBuilderVersion": "{TX_BUILDER_VERSION}",
    "createdFromSafeAddress": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "createdFromOwnerAddress": "",
    "checksum": "{checksum}"
  }},
  "transactions": [
    {{
      "to": "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "value": "0",
      "data": "0x8456cb59",
      "contractMethod": null,
      "contractInputsValues": null
    }}
  ]
}}
"#
    );
    assert_eq!(text, expected);
    let report = check(&parse_json(&text).unwrap()).unwrap();
    assert!(report.valid, "{report:?}");
}
