//! MultiSend encoding against the published vector, and properties of the
//! strict decoder.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use bundlec::multisend::{self, MultiSendRecord};
use bundlec::parse::{parse_address, parse_hex_bytes, parse_uint256};
use bundlec::safe::batching::{Call, safe_tx_for_calls};
use bundlec::safe::{self, Operation, SafeVersion};
use common::{conformance_dir, read_jsonl, str_field};
use proptest::prelude::*;

fn records_of(vector: &serde_json::Value) -> Vec<MultiSendRecord> {
    vector["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| MultiSendRecord {
            operation: Operation::try_from(t["operation"].as_u64().unwrap() as u8).unwrap(),
            to: parse_address(str_field(t, "to")).unwrap(),
            value: parse_uint256(str_field(t, "value")).unwrap(),
            data: parse_hex_bytes(str_field(t, "data")).unwrap(),
        })
        .collect()
}

#[test]
fn published_vector_encodes_byte_for_byte_and_decodes_back() {
    let vectors = read_jsonl(&conformance_dir().join("published/multisend.jsonl"));
    assert!(!vectors.is_empty());
    for v in vectors {
        let records = records_of(&v);
        let expected = parse_hex_bytes(str_field(&v, "calldata")).unwrap();
        assert_eq!(
            multisend::encode(&records),
            expected,
            "{}",
            str_field(&v, "id")
        );
        assert_eq!(
            multisend::encode_records(&records).len() as u64,
            v["packedLength"].as_u64().unwrap()
        );
        assert_eq!(multisend::decode(&expected).unwrap(), records);
    }
}

#[test]
fn batching_rule_reproduces_the_published_safe_transaction() {
    // The same two calls, batched the Safe{Wallet} way for a 1.4.1 Safe on
    // mainnet, give the Safe transaction of vector
    // stu-mainnet-multisendcallonly-delegatecall, hash included.
    let v = &read_jsonl(&conformance_dir().join("published/multisend.jsonl"))[0];
    let calls: Vec<Call> = records_of(v)
        .into_iter()
        .map(|r| Call {
            to: r.to,
            value: r.value,
            data: r.data,
        })
        .collect();
    let version: SafeVersion = "1.4.1".parse().unwrap();
    let tx = safe_tx_for_calls(&calls, version, 1, U256::from(6), Default::default()).unwrap();
    assert_eq!(
        tx.to,
        parse_address(str_field(v, "multisendAddress")).unwrap()
    );
    assert_eq!(tx.operation, 1);
    assert_eq!(tx.value, U256::ZERO);
    let safe_address = parse_address("0x5EA1d9A6dDC3A0329378a327746D71A2019eC332").unwrap();
    let hashes = safe::safe_tx_hashes(version, 1, safe_address, &tx);
    assert_eq!(
        hashes.safe_tx_hash.to_string(),
        "0x27a0c4abf624b15b776f544a4b31ed4d50dee2b677c6497fbadf4f7a73be705e"
    );
}

#[test]
fn one_call_is_proposed_as_is_and_none_is_an_error() {
    let version: SafeVersion = "1.3.0".parse().unwrap();
    let call = Call {
        to: Address::repeat_byte(7),
        value: U256::from(5),
        data: Bytes::from_static(&[1, 2, 3]),
    };
    let tx = safe_tx_for_calls(
        std::slice::from_ref(&call),
        version,
        1,
        U256::from(9),
        Default::default(),
    )
    .unwrap();
    assert_eq!(
        (tx.to, tx.value, tx.data.clone(), tx.operation),
        (call.to, call.value, call.data, 0)
    );
    assert_eq!(tx.nonce, U256::from(9));
    assert!(safe_tx_for_calls(&[], version, 1, U256::ZERO, Default::default()).is_err());
}

fn arb_record() -> impl Strategy<Value = MultiSendRecord> {
    (
        prop_oneof![Just(Operation::Call), Just(Operation::DelegateCall)],
        any::<[u8; 20]>(),
        any::<[u8; 32]>(),
        proptest::collection::vec(any::<u8>(), 0..100),
    )
        .prop_map(|(operation, to, value, data)| MultiSendRecord {
            operation,
            to: Address::from(to),
            value: U256::from_be_bytes(value),
            data: data.into(),
        })
}

proptest! {
    #[test]
    fn decode_inverts_encode(records in proptest::collection::vec(arb_record(), 0..8)) {
        let calldata = multisend::encode(&records);
        prop_assert_eq!(multisend::decode(&calldata).unwrap(), records);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = multisend::decode(&bytes);
        // Also behind a valid selector and envelope, where the record walk runs.
        let mut framed = multisend::encode(&[]).to_vec();
        framed.truncate(36);
        framed.extend_from_slice(&U256::from(bytes.len()).to_be_bytes::<32>());
        framed.extend_from_slice(&bytes);
        framed.resize(68 + bytes.len().div_ceil(32) * 32, 0);
        let _ = multisend::decode(&framed);
    }

    #[test]
    fn any_single_byte_change_is_rejected_or_changes_the_records(
        records in proptest::collection::vec(arb_record(), 1..5),
        position in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        let calldata = multisend::encode(&records).to_vec();
        let mut mutated = calldata.clone();
        let i = position.index(mutated.len());
        mutated[i] = mutated[i].wrapping_add(delta);
        if let Ok(decoded) = multisend::decode(&mutated) {
            prop_assert_ne!(decoded, records);
        }
    }
}
