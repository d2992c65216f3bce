//! One fixture per verify finding and error, under fixtures/verify/, each run
//! through `bundlec verify` with the exit code and finding it must produce.
//!
//! The fixture files are generated here (batches need valid checksums to show
//! that only the semantic check catches them); the test fails when a committed
//! fixture drifts, and `BUNDLEC_REGENERATE=1` rewrites them.

mod common;

use std::path::{Path, PathBuf};

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_primitives::{Address, B256, Bytes, U256, address, hex};
use bundlec::abi::registry::AbiRegistry;
use bundlec::multisend::{self, MultiSendRecord};
use bundlec::safe::batching::{Call, safe_tx_for_calls};
use bundlec::safe::view::SafeTxView;
use bundlec::safe::{self, Operation, SafeTx, SafeVersion};
use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction, ContractMethod};
use common::bundlec;
use serde_json::{Value, json};

const SAFE: Address = address!("5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe");
const SYSTEM_PAUSE: Address = address!("5555555555555555555555555555555555555555");
const CERTIFICATE_NFT: Address = address!("f222222222222222222222222222222222222222");
const TAX_POLICY: Address = address!("f333333333333333333333333333333333333333");
const BACKUP_SAFE: Address = address!("b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
/// Same first four and last four hex digits as the backup Safe.
const LOOKALIKE: Address = address!("b0b0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab0b0");
const ATTACKER: Address = address!("a77ac6e2a77ac6e2a77ac6e2a77ac6e2a77ac6e2");
const NONCE: u64 = 7;
/// A Safe the governance Safe is a module of (`module-safe` in the book).
const MODULE_SAFE: Address = address!("0d5afe0d5afe0d5afe0d5afe0d5afe0d5afe0d5a");
/// The Safe the governance Safe is an owner of (`other-safe` in the book).
const OTHER_SAFE: Address = address!("07e5afe07e5afe07e5afe07e5afe07e5afe07e5a");
const OWNER_CONFIGURATOR: Address = address!("c0f0c0f0c0f0c0f0c0f0c0f0c0f0c0f0c0f0c0f0");
const JOB_REGISTRY: Address = address!("7777777777777777777777777777777777777777");
/// Code nobody named, which a DELEGATECALL would run as the Safe.
const ROGUE_CODE: Address = address!("deadc0dedeadc0dedeadc0dedeadc0dedeadc0de");
const MULTISEND_CALL_ONLY_1_5_0: Address = address!("A83c336B20401Af773B6219BA5027174338D1836");

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/verify")
}

fn version() -> SafeVersion {
    "1.4.1".parse().unwrap()
}

fn registry() -> AbiRegistry {
    AbiRegistry::embedded().unwrap()
}

fn encode(contract: &str, function: &str, args: &[DynSolValue]) -> Bytes {
    registry()
        .function(contract, function)
        .unwrap()
        .abi_encode_input(args)
        .unwrap()
        .into()
}

fn raw(to: Address, value: u64, data: Bytes) -> BatchTransaction {
    BatchTransaction::raw(to, U256::from(value), data)
}

fn batch(transactions: Vec<BatchTransaction>) -> BatchFile {
    BatchFile::new(
        1,
        1_764_374_400_000,
        BatchMeta::new("verify fixture", SAFE),
        transactions,
    )
}

fn pause_all() -> BatchTransaction {
    raw(SYSTEM_PAUSE, 0, encode("SystemPause", "pauseAll", &[]))
}

fn certificate_pause() -> BatchTransaction {
    raw(CERTIFICATE_NFT, 0, encode("CertificateNFT", "pause", &[]))
}

fn calls_of(batch: &BatchFile) -> Vec<Call> {
    batch
        .transactions
        .iter()
        .map(|t| Call {
            to: t.to,
            value: t.value,
            data: t.data.clone().unwrap_or_default(),
        })
        .collect()
}

fn safe_tx_of(batch: &BatchFile) -> SafeTx {
    safe_tx_for_calls(
        &calls_of(batch),
        version(),
        1,
        U256::from(NONCE),
        Default::default(),
    )
    .unwrap()
}

/// A Safe transaction in the Transaction Service's JSON form.
fn service_json(tx: &SafeTx) -> Value {
    json!({
        "safe": SAFE.to_checksum(None),
        "to": tx.to.to_checksum(None),
        "value": tx.value.to_string(),
        "data": hex::encode_prefixed(&tx.data),
        "operation": tx.operation,
        "gasToken": tx.gas_token.to_checksum(None),
        "safeTxGas": tx.safe_tx_gas.to_string(),
        "baseGas": tx.base_gas.to_string(),
        "gasPrice": tx.gas_price.to_string(),
        "refundReceiver": tx.refund_receiver.to_checksum(None),
        "nonce": tx.nonce.to::<u64>(),
        "dataDecoded": { "method": "pauseAll", "parameters": [] },
    })
}

struct Case {
    name: &'static str,
    /// Files to write: (file name, contents).
    files: Vec<(String, String)>,
    args: Vec<String>,
    /// Give the signer's usual flags (--deployment, version, nonce, chain, Safe)
    /// unless the case names them; intent cases give their own.
    defaults: bool,
    exit: i32,
    codes: &'static [&'static str],
    /// What else the case's JSON report must show.
    check: Option<fn(&Value)>,
}

fn batch_case(
    name: &'static str,
    batch: BatchFile,
    exit: i32,
    codes: &'static [&'static str],
) -> Case {
    Case {
        name,
        files: vec![(format!("{name}.json"), batch.to_json_string().unwrap())],
        args: Vec::new(),
        defaults: true,
        exit,
        codes,
        check: None,
    }
}

/// Forty pauses with one owner added to the Safe at transaction 23.
fn long_for_accept() -> Vec<BatchTransaction> {
    let mut long: Vec<BatchTransaction> = (0..40).map(|_| certificate_pause()).collect();
    long[23] = raw(
        SAFE,
        0,
        encode(
            "Safe",
            "addOwnerWithThreshold",
            &[
                DynSolValue::Address(ATTACKER),
                DynSolValue::Uint(U256::from(1), 256),
            ],
        ),
    );
    long
}

/// The batch files `bundlec build` writes for `intents/{stem}.toml`.
fn built(stem: &str) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    let intent = dir().join("intents").join(format!("{stem}.toml"));
    let status = bundlec()
        .arg("build")
        .arg(&intent)
        .arg("--out-dir")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut files: Vec<(String, String)> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            // Batches only: not the manifest, nor the typed data and proposal beside each batch.
            ![".safe.json", ".typed.json", ".proposal.json"]
                .iter()
                .any(|e| name.ends_with(e))
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A case verified against `intents/{stem}.toml`, with `args` added.
fn intent_case(
    name: &'static str,
    stem: &str,
    args: &[&str],
    exit: i32,
    codes: &'static [&'static str],
) -> Case {
    let mut all = vec![
        "--intent".to_string(),
        format!("{{dir}}/intents/{stem}.toml"),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    Case {
        name,
        files: built(stem),
        args: all,
        defaults: false,
        exit,
        codes,
        check: None,
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let clean = batch(vec![pause_all(), certificate_pause()]);
    cases.push(batch_case(
        "clean-pause",
        clean.clone(),
        0,
        &["no-reference"],
    ));

    // The checksum is removed or wrong.
    let mut value: Value = serde_json::from_str(&clean.to_json_string().unwrap()).unwrap();
    value["meta"].as_object_mut().unwrap().remove("checksum");
    cases.push(Case {
        files: vec![(
            "checksum-missing.json".into(),
            serde_json::to_string_pretty(&value).unwrap() + "\n",
        )],
        ..batch_case("checksum-missing", clean.clone(), 1, &["checksum-missing"])
    });
    let tampered =
        clean
            .to_json_string()
            .unwrap()
            .replacen("\"value\": \"0\"", "\"value\": \"1\"", 1);
    cases.push(Case {
        files: vec![("checksum-mismatch.json".into(), tampered)],
        ..batch_case(
            "checksum-mismatch",
            clean.clone(),
            1,
            &["checksum-mismatch"],
        )
    });

    let mut other_chain = clean.clone();
    other_chain.chain_id = 5;
    cases.push(Case {
        args: vec!["--chain-id".into(), "1".into()],
        ..batch_case("chain-mismatch", other_chain, 1, &["chain-mismatch"])
    });
    let mut other_safe = clean.clone();
    other_safe.meta.created_from_safe_address = ATTACKER;
    cases.push(Case {
        args: vec!["--safe".into(), SAFE.to_checksum(None)],
        ..batch_case("safe-mismatch", other_safe, 1, &["safe-mismatch"])
    });

    // The readable label says pauseAll; the bytes hand SystemPause to the attacker.
    let mut lying = pause_all();
    lying.data = Some(encode(
        "SystemPause",
        "setGovernance",
        &[DynSolValue::Address(ATTACKER)],
    ));
    lying.contract_method = Some(
        ContractMethod {
            inputs: vec![],
            name: "pauseAll".into(),
            payable: false,
        }
        .into(),
    );
    lying.contract_inputs_values = Some(vec![]);
    cases.push(batch_case(
        "label-lies",
        batch(vec![lying, certificate_pause()]),
        1,
        &["label-mismatch", "unlabelled-recipient"],
    ));

    let mut short = encode(
        "JobRegistry",
        "delistJob",
        &[DynSolValue::Uint(U256::from(42), 256)],
    )
    .to_vec();
    short.truncate(20);
    cases.push(batch_case(
        "calldata-malformed",
        batch(vec![raw(
            address!("7777777777777777777777777777777777777777"),
            0,
            short.into(),
        )]),
        1,
        &["calldata-malformed"],
    ));

    let unencodable = BatchTransaction {
        to: TAX_POLICY,
        value: U256::ZERO,
        data: None,
        contract_method: Some(
            ContractMethod {
                inputs: vec![
                    json!({"internalType": "address", "name": "newOwner", "type": "address"}),
                ],
                name: "transferOwnership".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: Some(vec![("newOwner".into(), "not an address".into())]),
    };
    cases.push(batch_case(
        "contract-method-unencodable",
        batch(vec![unencodable]),
        1,
        &["contract-method-unencodable"],
    ));

    // A readable method with inputs but no values and no data: the app would
    // send empty data, so the label describes nothing that happens.
    let empty_label = BatchTransaction {
        to: SYSTEM_PAUSE,
        value: U256::ZERO,
        data: None,
        contract_method: Some(
            ContractMethod {
                inputs: vec![
                    json!({"internalType": "address", "name": "_governance", "type": "address"}),
                ],
                name: "setGovernance".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: None,
    };
    cases.push(batch_case(
        "method-without-values",
        batch(vec![empty_label]),
        1,
        &["contract-method-unencodable"],
    ));

    // No data: the app encodes the call itself from the readable method.
    let by_app = BatchTransaction {
        to: CERTIFICATE_NFT,
        value: U256::ZERO,
        data: None,
        contract_method: Some(
            ContractMethod {
                inputs: vec![],
                name: "pause".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: None,
    };
    cases.push(batch_case(
        "encoded-by-app",
        batch(vec![by_app]),
        0,
        &["encoded-by-app"],
    ));
    // No data, and a value the app reads differently from how it looks:
    // "1e18" has hex letters and no 0x, so the app sends 0x1e18 = 7704.
    let reads_as_hex = BatchTransaction {
        to: address!("6666666666666666666666666666666666666666"),
        value: U256::ZERO,
        data: None,
        contract_method: Some(
            ContractMethod {
                inputs: vec![
                    json!({"internalType": "uint256", "name": "_minStake", "type": "uint256"}),
                ],
                name: "setMinStake".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: Some(vec![("_minStake".into(), "1e18".into())]),
    };
    cases.push(batch_case(
        "app-encoding-differs",
        batch(vec![reads_as_hex]),
        1,
        &["encoded-by-app", "app-encoding-differs"],
    ));
    // A method name that is itself a signature: web3 hashes it as written,
    // which for the exact signature is the call the inputs describe.
    let signature_name = BatchTransaction {
        to: TAX_POLICY,
        value: U256::ZERO,
        data: None,
        contract_method: Some(
            ContractMethod {
                inputs: vec![
                    json!({"internalType": "address", "name": "newOwner", "type": "address"}),
                ],
                name: "transferOwnership(address)".into(),
                payable: false,
            }
            .into(),
        ),
        contract_inputs_values: Some(vec![("newOwner".into(), ATTACKER.to_checksum(None))]),
    };
    cases.push(batch_case(
        "method-name-is-a-signature",
        batch(vec![signature_name]),
        1,
        &["encoded-by-app", "unlabelled-recipient"],
    ));

    // A long batch with one owner added to the Safe in the middle.
    let long = long_for_accept();
    cases.push(batch_case(
        "hidden-add-owner",
        batch(long.clone()),
        1,
        &["safe-config-change", "unlabelled-recipient"],
    ));
    cases.push(Case {
        args: vec!["--strict".into()],
        ..batch_case(
            "hidden-add-owner-strict",
            batch(long),
            1,
            &["safe-config-change", "unlabelled-recipient", "no-reference"],
        )
    });

    // From Safe 1.5.0, MultiSend runs a call to address 0 on the Safe itself:
    // an owner added "to address 0" is added to the Safe.
    let add_owner = encode(
        "Safe",
        "addOwnerWithThreshold",
        &[
            DynSolValue::Address(ATTACKER),
            DynSolValue::Uint(U256::from(1), 256),
        ],
    );
    cases.push(Case {
        args: vec!["--safe-version".into(), "1.5.0".into()],
        ..batch_case(
            "zero-address-is-the-safe",
            batch(vec![pause_all(), raw(Address::ZERO, 0, add_owner)]),
            1,
            &["safe-config-change", "unlabelled-recipient"],
        )
    });

    // Proposed Safe transactions that are not the batch's.
    let single = batch(vec![pause_all()]);
    let mut delegate = safe_tx_of(&single);
    delegate.to = ATTACKER;
    delegate.operation = 1;
    cases.push(Case {
        files: vec![
            (
                "delegatecall-unknown.json".into(),
                single.to_json_string().unwrap(),
            ),
            (
                "delegatecall-unknown.safe-tx.json".into(),
                serde_json::to_string_pretty(&service_json(&delegate)).unwrap() + "\n",
            ),
        ],
        args: vec![
            "--safe-tx".into(),
            "{dir}/delegatecall-unknown.safe-tx.json".into(),
        ],
        ..batch_case(
            "delegatecall-unknown",
            single.clone(),
            1,
            &[
                "untrusted-delegatecall",
                "safe-tx-mismatch",
                "safe-tx-hash-mismatch",
                "unknown-target",
            ],
        )
    });
    let mut full = safe_tx_of(&clean);
    full.to = address!("38869bf66a61cF6bDB996A6aE40D5853Fd43B526");
    cases.push(Case {
        files: vec![
            (
                "full-multisend.json".into(),
                clean.to_json_string().unwrap(),
            ),
            (
                "full-multisend.safe-tx.json".into(),
                serde_json::to_string_pretty(&service_json(&full)).unwrap() + "\n",
            ),
        ],
        args: vec![
            "--safe-tx".into(),
            "{dir}/full-multisend.safe-tx.json".into(),
        ],
        ..batch_case(
            "full-multisend",
            clean.clone(),
            1,
            &[
                "full-multisend",
                "safe-tx-mismatch",
                "safe-tx-hash-mismatch",
            ],
        )
    });
    let mut drain = safe_tx_of(&clean);
    drain.gas_price = U256::from(1_000_000_000u64);
    drain.gas_token = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    drain.refund_receiver = ATTACKER;
    cases.push(Case {
        files: vec![
            (
                "gas-refund-drain.json".into(),
                clean.to_json_string().unwrap(),
            ),
            (
                "gas-refund-drain.safe-tx.json".into(),
                serde_json::to_string_pretty(&service_json(&drain)).unwrap() + "\n",
            ),
        ],
        args: vec![
            "--safe-tx".into(),
            "{dir}/gas-refund-drain.safe-tx.json".into(),
        ],
        ..batch_case(
            "gas-refund-drain",
            clean.clone(),
            1,
            &[
                "gas-price",
                "gas-token",
                "refund-receiver",
                "safe-tx-mismatch",
                "safe-tx-hash-mismatch",
            ],
        )
    });

    cases.push(batch_case(
        "native-value",
        batch(vec![
            pause_all(),
            raw(BACKUP_SAFE, 1_000_000_000_000_000_000, Bytes::new()),
        ]),
        0,
        &["native-value"],
    ));
    let rotate = |to: Address| {
        raw(
            TAX_POLICY,
            0,
            encode(
                "TaxPolicy",
                "transferOwnership",
                &[DynSolValue::Address(to)],
            ),
        )
    };
    cases.push(batch_case(
        "unlabelled-recipient",
        batch(vec![rotate(ATTACKER)]),
        1,
        &["unlabelled-recipient"],
    ));
    cases.push(batch_case(
        "lookalike-address",
        batch(vec![rotate(LOOKALIKE)]),
        1,
        &["lookalike-address", "unlabelled-recipient"],
    ));
    cases.push(batch_case(
        "unknown-target",
        batch(vec![raw(
            ATTACKER,
            0,
            encode("SystemPause", "pauseAll", &[]),
        )]),
        1,
        &["unknown-target"],
    ));
    cases.push(batch_case(
        "unknown-selector",
        batch(vec![raw(
            SYSTEM_PAUSE,
            0,
            Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]),
        )]),
        1,
        &["unknown-selector"],
    ));
    // burn(uint256) shares its selector with collate_propagate_storage(bytes16).
    let mut burn = hex::decode("42966c68").unwrap();
    burn.extend_from_slice(&U256::from(1).to_be_bytes::<32>());
    cases.push(Case {
        args: vec!["--abi-dir".into(), "{dir}/collision-abis".into()],
        ..batch_case(
            "selector-collision",
            batch(vec![raw(ATTACKER, 0, burn.into())]),
            1,
            &["selector-collision", "unknown-target"],
        )
    });

    let hashes = safe::safe_tx_hashes(version(), 1, SAFE, &safe_tx_of(&clean));
    let mut wrong_hash = hashes.safe_tx_hash;
    wrong_hash.0[0] ^= 1;
    cases.push(Case {
        args: vec!["--expect-safe-tx-hash".into(), wrong_hash.to_string()],
        ..batch_case(
            "expected-hash-mismatch",
            clean.clone(),
            1,
            &["safe-tx-hash-mismatch"],
        )
    });

    let mut recorded = SafeTxView::new(&safe_tx_of(&clean), &hashes);
    recorded.nonce = "8".into();
    let manifest = json!({
        "chain_id": "1",
        "safe": SAFE.to_checksum(None),
        "safe_version": "1.4.1",
        "batches": [{ "file": "manifest-mismatch.json", "safe": SAFE.to_checksum(None), "safe_version": "1.4.1", "safe_tx": recorded }],
    });
    cases.push(Case {
        files: vec![
            (
                "manifest-mismatch.json".into(),
                clean.to_json_string().unwrap(),
            ),
            (
                "manifest-mismatch.safe.json".into(),
                serde_json::to_string_pretty(&manifest).unwrap() + "\n",
            ),
        ],
        args: vec![
            "--manifest".into(),
            "{dir}/manifest-mismatch.safe.json".into(),
            "--nonce".into(),
            NONCE.to_string(),
        ],
        ..batch_case("manifest-mismatch", clean, 1, &["manifest-mismatch"])
    });

    // ---- Attacks on the signer's trust, each failing without --intent and --strict.

    // Funds and authority sent outside the address book by functions that no
    // fixed list names: judged from the ABI and the argument names.
    let feepool = address!("9999999999999999999999999999999999999999");
    let uint = |n: u64| DynSolValue::Uint(U256::from(n), 256);
    let attacker = DynSolValue::Address(ATTACKER);
    let outside = vec![
        raw(
            feepool,
            0,
            encode(
                "FeePool",
                "governanceWithdraw",
                &[attacker.clone(), uint(1)],
            ),
        ),
        raw(
            feepool,
            0,
            encode("FeePool", "setTreasury", std::slice::from_ref(&attacker)),
        ),
        raw(
            feepool,
            0,
            encode(
                "FeePool",
                "setStakeManager",
                std::slice::from_ref(&attacker),
            ),
        ),
        raw(
            SYSTEM_PAUSE,
            0,
            encode(
                "SystemPause",
                "setModules",
                &[
                    attacker.clone(),
                    DynSolValue::Address(address!("6666666666666666666666666666666666666666")),
                    DynSolValue::Address(address!("dddddddddddddddddddddddddddddddddddddddd")),
                    DynSolValue::Address(address!("f000000000000000000000000000000000000000")),
                    DynSolValue::Address(address!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")),
                    DynSolValue::Address(feepool),
                    DynSolValue::Address(address!("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")),
                    DynSolValue::Address(address!("f111111111111111111111111111111111111111")),
                ],
            ),
        ),
        raw(
            CERTIFICATE_NFT,
            0,
            encode(
                "CertificateNFT",
                "setApprovalForAll",
                &[attacker.clone(), DynSolValue::Bool(true)],
            ),
        ),
    ];
    cases.push(batch_case(
        "funds-outside-the-book",
        batch(outside),
        1,
        &["unlabelled-recipient"],
    ));

    // An unlimited ERC-20 approval to a token the book does not name: the
    // bytes also read as ERC-721 approve(to, tokenId), and both are shown.
    let token = address!("70ce070ce070ce070ce070ce070ce070ce070ce0");
    cases.push(batch_case(
        "ambiguous-approve",
        batch(vec![raw(
            token,
            0,
            encode(
                "ERC20",
                "approve",
                &[attacker.clone(), DynSolValue::Uint(U256::MAX, 256)],
            ),
        )]),
        1,
        &[
            "ambiguous-reading",
            "unlabelled-recipient",
            "unknown-target",
        ],
    ));

    // Giving up ownership leaves nobody in control.
    cases.push(batch_case(
        "control-renounced",
        batch(vec![raw(
            TAX_POLICY,
            0,
            encode("TaxPolicy", "renounceOwnership", &[]),
        )]),
        1,
        &["control-renounced"],
    ));

    // The Safe signs for another Safe: approveHash, or execTransaction with a
    // pre-validated (v = 1) signature that lowers the other Safe's threshold.
    let other_safe = address!("07e5afe07e5afe07e5afe07e5afe07e5afe07e5a");
    cases.push(batch_case(
        "approve-hash-elsewhere",
        batch(vec![raw(
            other_safe,
            0,
            encode(
                "Safe",
                "approveHash",
                &[DynSolValue::FixedBytes(B256::repeat_byte(0x42), 32)],
            ),
        )]),
        1,
        &["signature"],
    ));
    let mut prevalidated = vec![0u8; 12];
    prevalidated.extend_from_slice(SAFE.as_slice());
    prevalidated.extend_from_slice(&[0u8; 32]);
    prevalidated.push(1);
    let exec = encode(
        "Safe",
        "execTransaction",
        &[
            DynSolValue::Address(other_safe),
            uint(0),
            DynSolValue::Bytes(encode("Safe", "changeThreshold", &[uint(1)]).to_vec()),
            DynSolValue::Uint(U256::ZERO, 8),
            uint(0),
            uint(0),
            uint(0),
            DynSolValue::Address(Address::ZERO),
            DynSolValue::Address(Address::ZERO),
            DynSolValue::Bytes(prevalidated.clone()),
        ],
    );
    cases.push(batch_case(
        "exec-transaction-elsewhere",
        batch(vec![raw(other_safe, 0, exec)]),
        1,
        &["signature", "safe-config-change"],
    ));
    // Up to 1.2.0 a Safe signs messages itself (EIP-1271) with signMessage.
    cases.push(Case {
        args: vec!["--safe-version".into(), "1.2.0".into()],
        ..batch_case(
            "sign-message-1-2-0",
            batch(vec![raw(
                SAFE,
                0,
                encode(
                    "Safe",
                    "signMessage",
                    &[DynSolValue::Bytes(b"anything".to_vec())],
                ),
            )]),
            1,
            &["signature"],
        )
    });
    // Below 1.3.0 the proposed safeTxGas is the inner call's whole budget.
    let single_cert = batch(vec![certificate_pause()]);
    let mut starved = safe_tx_of(&single_cert);
    starved.safe_tx_gas = U256::from(2300);
    cases.push(Case {
        files: vec![
            (
                "safe-tx-gas-too-low.json".into(),
                single_cert.to_json_string().unwrap(),
            ),
            (
                "safe-tx-gas-too-low.safe-tx.json".into(),
                serde_json::to_string_pretty(&service_json(&starved)).unwrap() + "\n",
            ),
        ],
        args: vec![
            "--safe-version".into(),
            "1.2.0".into(),
            "--safe-tx".into(),
            "{dir}/safe-tx-gas-too-low.safe-tx.json".into(),
        ],
        ..batch_case(
            "safe-tx-gas-too-low",
            single_cert.clone(),
            1,
            &["safe-tx-gas-too-low"],
        )
    });
    cases.push(Case {
        args: vec!["--safe-version".into(), "1.2.0".into()],
        ..batch_case(
            "safe-tx-gas-assumed",
            single_cert.clone(),
            0,
            &["safe-tx-gas-assumed", "no-reference"],
        )
    });

    // A signer accepts the dangers of the hidden owner on purpose; an
    // acceptance that matches nothing is said.
    cases.push(Case {
        args: vec![
            "--accept".into(),
            "safe-config-change@tx 23".into(),
            "--accept".into(),
            "unlabelled-recipient@tx23".into(),
            "--accept".into(),
            "lookalike-address@tx 99".into(),
        ],
        ..batch_case(
            "accepted-on-purpose",
            batch(long_for_accept()),
            0,
            &["accept-unused", "no-reference"],
        )
    });
    // Values only the batch gives are unchecked.
    cases.push(Case {
        args: vec![
            "--safe-version".into(),
            "1.4.1".into(),
            "--nonce".into(),
            NONCE.to_string(),
        ],
        defaults: false,
        ..batch_case("unchecked", single_cert, 0, &["unchecked", "no-reference"])
    });

    // ---- Forwarders: the inner call is judged where it runs.

    // The governance Safe is a module of module-safe: its inner DELEGATECALL
    // runs unknown code as module-safe, which adds the attacker as an owner.
    let add_attacker = || {
        encode(
            "Safe",
            "addOwnerWithThreshold",
            &[attacker.clone(), uint(1)],
        )
    };
    let from_module = |function: &str| {
        batch(vec![raw(
            MODULE_SAFE,
            0,
            encode(
                "Safe",
                function,
                &[
                    DynSolValue::Address(ROGUE_CODE),
                    uint(0),
                    DynSolValue::Bytes(add_attacker().to_vec()),
                    DynSolValue::Uint(U256::from(1), 8),
                ],
            ),
        )])
    };
    let module_codes: &[&str] = &[
        "untrusted-delegatecall",
        "safe-config-change",
        "unlabelled-recipient",
        "unknown-target",
    ];
    cases.push(Case {
        check: Some(module_delegatecall_is_judged_inside),
        ..batch_case(
            "module-delegatecall",
            from_module("execTransactionFromModule"),
            1,
            module_codes,
        )
    });
    cases.push(Case {
        check: Some(module_delegatecall_is_judged_inside),
        ..batch_case(
            "module-delegatecall-return-data",
            from_module("execTransactionFromModuleReturnData"),
            1,
            module_codes,
        )
    });

    // OwnerConfigurator makes the call to its `target` with `callData`: a
    // handover to the attacker is found at the inner call.
    let configuration = |target: Address, call_data: Bytes| {
        vec![
            DynSolValue::Address(target),
            DynSolValue::Bytes(call_data.to_vec()),
            DynSolValue::FixedBytes(B256::repeat_byte(0x11), 32),
            DynSolValue::FixedBytes(B256::repeat_byte(0x22), 32),
            DynSolValue::Bytes(Vec::new()),
            DynSolValue::Bytes(Vec::new()),
        ]
    };
    let set_governance = encode(
        "JobRegistry",
        "setGovernance",
        std::slice::from_ref(&attacker),
    );
    let transfer_ownership = encode(
        "TaxPolicy",
        "transferOwnership",
        std::slice::from_ref(&attacker),
    );
    cases.push(Case {
        check: Some(|report| {
            for path in ["tx 0.0", "tx 1.0"] {
                assert!(
                    has_finding(report, "unlabelled-recipient", path),
                    "owner-configurator: no unlabelled-recipient at {path}: {report:#}"
                );
            }
        }),
        ..batch_case(
            "owner-configurator",
            batch(vec![
                raw(
                    OWNER_CONFIGURATOR,
                    0,
                    encode(
                        "OwnerConfigurator",
                        "configure",
                        &configuration(JOB_REGISTRY, set_governance.clone()),
                    ),
                ),
                raw(
                    OWNER_CONFIGURATOR,
                    0,
                    encode(
                        "OwnerConfigurator",
                        "configure",
                        &configuration(TAX_POLICY, transfer_ownership.clone()),
                    ),
                ),
            ]),
            1,
            &["unlabelled-recipient"],
        )
    });
    cases.push(Case {
        check: Some(|report| {
            for path in ["tx 0.0", "tx 0.1"] {
                assert!(
                    has_finding(report, "unlabelled-recipient", path),
                    "owner-configurator-batch: no unlabelled-recipient at {path}: {report:#}"
                );
            }
        }),
        ..batch_case(
            "owner-configurator-batch",
            batch(vec![raw(
                OWNER_CONFIGURATOR,
                0,
                encode(
                    "OwnerConfigurator",
                    "configureBatch",
                    &[DynSolValue::Array(vec![
                        DynSolValue::Tuple(configuration(JOB_REGISTRY, set_governance)),
                        DynSolValue::Tuple(configuration(TAX_POLICY, transfer_ownership)),
                    ])],
                ),
            )]),
            1,
            &["unlabelled-recipient"],
        )
    });

    // MultiSend 1.5.0 runs a record sent to address 0 on `address(this)`:
    // the Safe only when the Safe DELEGATECALLs it. Under a plain CALL the
    // record is no call on the Safe, and the run still fails.
    let owner_at_zero = multisend::encode(&[MultiSendRecord {
        operation: Operation::Call,
        to: Address::ZERO,
        value: U256::ZERO,
        data: add_attacker(),
    }]);
    cases.push(Case {
        args: vec!["--safe-version".into(), "1.5.0".into()],
        check: Some(|report| {
            let record = &report["transactions"][1]["decoded"]["children"][0];
            assert_eq!(
                record["to"],
                json!(Address::ZERO.to_checksum(None)),
                "{record:#}"
            );
            assert_no_safe_config_on(report, SAFE);
        }),
        ..batch_case(
            "multisend-1-5-call-zero-address",
            batch(vec![
                pause_all(),
                raw(MULTISEND_CALL_ONLY_1_5_0, 0, owner_at_zero.clone()),
            ]),
            1,
            // Read with the Safe's ABI, the record still adds an owner, but
            // to address 0, not to the verified Safe.
            &[
                "unknown-target",
                "unlabelled-recipient",
                "safe-config-change",
            ],
        )
    });
    // The same record in a MultiSend other-safe DELEGATECALLs through
    // execTransaction: address 0 is other-safe, which gains an owner.
    let exec_multisend = encode(
        "Safe",
        "execTransaction",
        &[
            DynSolValue::Address(MULTISEND_CALL_ONLY_1_5_0),
            uint(0),
            DynSolValue::Bytes(owner_at_zero.to_vec()),
            DynSolValue::Uint(U256::from(1), 8),
            uint(0),
            uint(0),
            uint(0),
            DynSolValue::Address(Address::ZERO),
            DynSolValue::Address(Address::ZERO),
            DynSolValue::Bytes(prevalidated.clone()),
        ],
    );
    cases.push(Case {
        check: Some(|report| {
            let record = &report["transactions"][0]["decoded"]["children"][0]["children"][0];
            assert_eq!(
                record["to"],
                json!(OTHER_SAFE.to_checksum(None)),
                "{record:#}"
            );
            assert!(
                has_finding(report, "safe-config-change", "tx 0.0.0"),
                "{report:#}"
            );
            assert_no_safe_config_on(report, SAFE);
        }),
        ..batch_case(
            "multisend-1-5-zero-address-elsewhere",
            batch(vec![raw(OTHER_SAFE, 0, exec_multisend)]),
            1,
            &["signature", "safe-config-change", "unlabelled-recipient"],
        )
    });

    // ---- Hostile text: a method name that paints a report of its own
    // (the text report is checked in tests/cli_hostile_text.rs).
    let mut forged = pause_all();
    forged.contract_method = Some(
        ContractMethod {
            inputs: vec![],
            name: FORGED_METHOD_NAME.into(),
            payable: false,
        }
        .into(),
    );
    forged.contract_inputs_values = Some(vec![]);
    cases.push(batch_case(
        "forged-report-text",
        batch(vec![forged]),
        1,
        &["label-mismatch"],
    ));

    // With an intent: a rotation to a lookalike, written with
    // confirm_unlabelled against a book that lacks the real address (build
    // refuses it against one that has it), is still a lookalike in the
    // signer's own book.
    cases.push(intent_case(
        "lookalike-rotation",
        "lookalike-rotation",
        &["--deployment", "{dir}/intents/book.toml"],
        1,
        &["lookalike-address", "unlabelled-recipient"],
    ));
    // An intent from a poisoned book: the signer's own book disagrees.
    cases.push(intent_case(
        "poisoned-rotation",
        "poisoned-rotation",
        &["--deployment", "{dir}/intents/book.toml"],
        1,
        &["address-book-mismatch", "unlabelled-recipient"],
    ));
    // Without the signer's book, the report says whose book it trusted.
    cases.push(intent_case(
        "poisoned-rotation",
        "poisoned-rotation",
        &[],
        0,
        &["address-book-not-yours"],
    ));
    // Flags that say otherwise than the intent are reported.
    cases.push(intent_case(
        "pause-certificate",
        "pause-certificate",
        &["--nonce", "8", "--deployment", "{dir}/intents/book.toml"],
        0,
        &["flag-override"],
    ));
    // Parts of one runbook: a missing part fails the set.
    cases.push(intent_case(
        "parts.1",
        "parts",
        &[
            "{dir}/parts.3.json",
            "--deployment",
            "{dir}/intents/book.toml",
        ],
        1,
        &["part-mismatch"],
    ));
    // The intent asks for exactly these dangerous effects: they pass as
    // intended, against the signer's own book.
    cases.push(Case {
        check: Some(|report| assert_intended(report, "signature")),
        ..intent_case(
            "approve-hash-intended",
            "approve-hash-intended",
            &["--deployment", "{dir}/deployment.toml"],
            0,
            &["signature"],
        )
    });
    cases.push(Case {
        check: Some(|report| assert_intended(report, "safe-config-change")),
        ..intent_case(
            "enable-module-intended",
            "enable-module-intended",
            &["--deployment", "{dir}/deployment.toml"],
            0,
            &["safe-config-change"],
        )
    });
    cases
}

/// The method name of the forged-report-text fixture: a fake, clean report.
const FORGED_METHOD_NAME: &str = "pauseAll\nFindings (0)\n  none\n\nSafe transaction to sign\n  safeTxHash      0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef\n\nVERIFIED  x.json";

fn has_finding(report: &Value, code: &str, path: &str) -> bool {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == code && f["path"] == path)
}

/// No effect changes the configuration of `safe`.
fn assert_no_safe_config_on(report: &Value, safe: Address) {
    let on_safe: Vec<&Value> = report["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "safe-config" && e["on"] == json!(safe.to_checksum(None)))
        .collect();
    assert!(on_safe.is_empty(), "{on_safe:#?}");
}

fn module_delegatecall_is_judged_inside(report: &Value) {
    let inner = &report["transactions"][0]["decoded"]["children"][0];
    assert_eq!(
        inner["to"],
        json!(ROGUE_CODE.to_checksum(None)),
        "{inner:#}"
    );
    assert_eq!(inner["operation"], "DELEGATECALL", "{inner:#}");
    assert_eq!(
        inner["executor"],
        json!(MODULE_SAFE.to_checksum(None)),
        "{inner:#}"
    );
    for code in [
        "untrusted-delegatecall",
        "safe-config-change",
        "unlabelled-recipient",
    ] {
        assert!(has_finding(report, code, "tx 0.0"), "{code}: {report:#}");
    }
    // The owner is added to module-safe, whose code the DELEGATECALL runs as.
    let on_module_safe = report["effects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "safe-config" && e["on"] == json!(MODULE_SAFE.to_checksum(None)));
    assert!(on_module_safe, "{report:#}");
}

/// Every finding with `code` is intended, and the run verified.
fn assert_intended(report: &Value, code: &str) {
    assert_eq!(report["verdict"], "verified", "{report:#}");
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect();
    assert!(!found.is_empty(), "{report:#}");
    for f in found {
        assert_eq!(f["status"], "intended", "{f:#}");
        assert_eq!(f["blocking"], false, "{f:#}");
    }
}

fn sync_fixture(path: &Path, contents: &str) {
    common::sync_generated(path, contents, "verify_fixtures");
}

#[test]
fn every_finding_and_error_has_a_fixture_that_produces_it() {
    let dir = dir();
    let mut seen_codes = std::collections::BTreeSet::new();
    for case in cases() {
        for (file, contents) in &case.files {
            sync_fixture(&dir.join(file), contents);
        }
        let mut args: Vec<String> = vec![
            "verify".into(),
            dir.join(format!("{}.json", case.name))
                .display()
                .to_string(),
            "--json".into(),
        ];
        if case.defaults && !case.args.iter().any(|a| a == "--deployment") {
            args.push("--deployment".into());
            args.push(dir.join("deployment.toml").display().to_string());
        }
        if case.defaults && !case.args.iter().any(|a| a == "--safe-version") {
            args.push("--safe-version".into());
            args.push("1.4.1".into());
        }
        if case.defaults && !case.args.iter().any(|a| a == "--nonce") {
            args.push("--nonce".into());
            args.push(NONCE.to_string());
        }
        // The signer's own values, so only the case's subject is unchecked.
        if case.defaults && !case.args.iter().any(|a| a == "--chain-id") {
            args.push("--chain-id".into());
            args.push("1".into());
        }
        if case.defaults && !case.args.iter().any(|a| a == "--safe") {
            args.push("--safe".into());
            args.push(SAFE.to_checksum(None));
        }
        args.extend(
            case.args
                .iter()
                .map(|a| a.replace("{dir}", &dir.display().to_string())),
        );
        let output = bundlec().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.exit),
            "{}: {stderr}\n{}",
            case.name,
            String::from_utf8_lossy(&output.stdout)
        );
        let mut report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{}: {e} {stderr}", case.name));
        // Several parts: their findings together.
        if let Some(parts) = report.get("parts").and_then(Value::as_array) {
            let findings: Vec<Value> = parts
                .iter()
                .flat_map(|p| p["findings"].as_array().unwrap().clone())
                .collect();
            report["findings"] = Value::Array(findings);
        }
        let codes: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        for code in case.codes {
            assert!(
                codes.contains(code),
                "{}: expected {code} in {codes:?}",
                case.name
            );
            seen_codes.insert(*code);
        }
        // Nothing else fails the run: every blocking finding is one the case names.
        let unexpected: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["blocking"] == true && !case.codes.contains(&f["code"].as_str().unwrap()))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{}: unexpected {unexpected:#?}",
            case.name
        );
        assert_eq!(report["ok"], case.exit == 0, "{}", case.name);
        if let Some(check) = case.check {
            check(&report);
        }
    }
    // Every code except intent-mismatch (covered with the bundles) has a fixture.
    for code in bundlec::verify::Code::ALL {
        if *code != bundlec::verify::Code::IntentMismatch {
            assert!(
                seen_codes.contains(code.as_str()),
                "no fixture produces {}",
                code.as_str()
            );
        }
    }
}
