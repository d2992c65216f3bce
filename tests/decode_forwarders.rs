//! Forwarded calls as children: Safe module execution, OwnerConfigurator,
//! the generic rule for `bytes` arguments, and MultiSend 1.5.0's address 0.
//! The calldata is encoded with alloy's `sol!` types, independently of the
//! registry the decoder reads it with.

use alloy_primitives::{Address, Bytes, FixedBytes, U256, address};
use alloy_sol_types::{SolCall, sol};
use bundlec::abi::registry::AbiRegistry;
use bundlec::address_book::AddressBook;
use bundlec::decode::{CallNode, CallSite, DecodeError, Decoded, Decoder, render};
use bundlec::multisend::{self, MultiSendRecord};
use bundlec::safe::Operation;

sol! {
    function execTransactionFromModule(address to, uint256 value, bytes data, uint8 operation);
    function execTransactionFromModuleReturnData(address to, uint256 value, bytes data, uint8 operation);
    function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures);
    struct ConfigurationCall { address target; bytes callData; bytes32 moduleKey; bytes32 parameterKey; bytes oldValue; bytes newValue; }
    function configure(address target, bytes callData, bytes32 moduleKey, bytes32 parameterKey, bytes oldValue, bytes newValue);
    function configureBatch(ConfigurationCall[] calls);
    function forwardEscalation(bytes data);
    function hashOperation(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt);
    function resolveWithSignatures(uint256 jobId, bool employerWins, bytes[] signatures);
    function setup(address[] _owners, uint256 _threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver);
    function delistJob(uint256 jobId);
    function pause();
    function pauseAll();
    function unpauseAll();
    function changeThreshold(uint256 _threshold);
    function setFeePool(address _feePool);
}

static REGISTRY: std::sync::LazyLock<AbiRegistry> =
    std::sync::LazyLock::new(|| AbiRegistry::embedded().unwrap());

const VERIFIED_SAFE: Address = address!("5afe000000000000000000000000000000000001");
const OTHER_SAFE: Address = address!("5afe000000000000000000000000000000000002");
const MODULE: Address = address!("a0d0000000000000000000000000000000000001");
const CONFIGURATOR: Address = address!("c0f0000000000000000000000000000000000001");
const TIMELOCK: Address = address!("1111111111111111111111111111111111111111");
const SYSTEM_PAUSE: Address = address!("5555555555555555555555555555555555555555");
const JOB_REGISTRY: Address = address!("7777777777777777777777777777777777777777");
const FEE_POOL: Address = address!("9999999999999999999999999999999999999999");
const DISPUTE_MODULE: Address = address!("f000000000000000000000000000000000000000");
const MULTISEND_CALL_ONLY_1_5_0: Address = address!("A83c336B20401Af773B6219BA5027174338D1836");
const MULTISEND_CALL_ONLY_1_4_1: Address = address!("9641d764fc13c8B624c04430C7356C1C7C8102e2");

fn book() -> AddressBook {
    let mut book = AddressBook::new(Some(1));
    for (address, name, abi) in [
        (VERIFIED_SAFE, "governance-safe", "Safe"),
        (OTHER_SAFE, "other-safe", "Safe"),
        (CONFIGURATOR, "OwnerConfigurator", "OwnerConfigurator"),
        (TIMELOCK, "AGITimelock", "AGITimelock"),
        (SYSTEM_PAUSE, "SystemPause", "SystemPause"),
        (JOB_REGISTRY, "JobRegistry", "JobRegistry"),
        (FEE_POOL, "FeePool", "FeePool"),
        (DISPUTE_MODULE, "DisputeModule", "DisputeModule"),
    ] {
        book.insert(address, name, Some(abi.to_string()));
    }
    book.insert(MODULE, "module", None);
    book
}

fn decode(site: CallSite, data: &[u8]) -> Result<CallNode, DecodeError> {
    let book = book();
    Decoder::new(&REGISTRY, &book).decode(site, data, "0")
}

fn call(to: Address, executor: Address) -> CallSite {
    CallSite {
        to: Some(to),
        value: Some(U256::ZERO),
        operation: Some(Operation::Call),
        executor: Some(executor),
        zero_means_safe: false,
    }
}

fn signature(node: &CallNode) -> &str {
    &node
        .function()
        .unwrap_or_else(|| panic!("{} is not decoded: {:?}", node.path, node.call))
        .signature
}

fn text_of(node: &CallNode) -> String {
    render::tree_text(node, &book())
}

#[test]
fn exec_transaction_from_module_forwards_with_its_operation() {
    let inner = delistJobCall {
        jobId: U256::from(42),
    }
    .abi_encode();
    let data = execTransactionFromModuleCall {
        to: JOB_REGISTRY,
        value: U256::from(7),
        data: inner.clone().into(),
        operation: 0,
    }
    .abi_encode();
    let tree = decode(call(OTHER_SAFE, MODULE), &data).unwrap();
    assert_eq!(
        signature(&tree),
        "execTransactionFromModule(address,uint256,bytes,uint8)"
    );
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.to, Some(JOB_REGISTRY));
    assert_eq!(child.value, Some(U256::from(7)));
    assert_eq!(child.operation, Some(Operation::Call));
    // The module calls the Safe; the Safe makes the inner call.
    assert_eq!(tree.executor, Some(MODULE));
    assert_eq!(child.executor, Some(OTHER_SAFE));
    assert_eq!(child.runs_as(), Some(JOB_REGISTRY));
    assert_eq!(child.arg_path, vec![2]);
    assert_eq!(child.data.as_ref(), inner.as_slice());
    assert_eq!(signature(child), "delistJob(uint256)");
    let text = text_of(&tree);
    assert!(
        text.contains("execTransactionFromModule(to=0x7777777777777777777777777777777777777777 (JobRegistry), value=7, data=<decoded below>, operation=0)"),
        "{text}"
    );

    // The ReturnData form, with DELEGATECALL: the code runs as the Safe.
    let data = execTransactionFromModuleReturnDataCall {
        to: MULTISEND_CALL_ONLY_1_4_1,
        value: U256::ZERO,
        data: multisend::encode(&[MultiSendRecord {
            operation: Operation::Call,
            to: FEE_POOL,
            value: U256::ZERO,
            data: pauseCall {}.abi_encode().into(),
        }]),
        operation: 1,
    }
    .abi_encode();
    let tree = decode(call(OTHER_SAFE, MODULE), &data).unwrap();
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.operation, Some(Operation::DelegateCall));
    assert_eq!(child.executor, Some(OTHER_SAFE));
    assert_eq!(child.runs_as(), Some(OTHER_SAFE));
    assert_eq!(signature(child), "multiSend(bytes)");
    let [record] = child.children.as_slice() else {
        panic!("one record expected: {child:#?}");
    };
    assert_eq!(record.to, Some(FEE_POOL));
    assert_eq!(
        record.executor,
        Some(OTHER_SAFE),
        "the Safe sends the record"
    );
    assert_eq!(signature(record), "pause()");
}

#[test]
fn exec_transaction_from_module_with_another_operation_is_malformed() {
    for operation in [2u8, 255] {
        let data = execTransactionFromModuleCall {
            to: JOB_REGISTRY,
            value: U256::ZERO,
            data: pauseCall {}.abi_encode().into(),
            operation,
        }
        .abi_encode();
        let err = decode(call(OTHER_SAFE, MODULE), &data).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, DecodeError::Malformed { .. })
                && message.contains("execTransactionFromModule(address,uint256,bytes,uint8)")
                && message.contains(&format!("operation {operation}")),
            "{message}"
        );
    }
}

fn configuration(target: Address, call_data: Vec<u8>) -> ConfigurationCall {
    ConfigurationCall {
        target,
        callData: call_data.into(),
        moduleKey: FixedBytes::repeat_byte(0x11),
        parameterKey: FixedBytes::repeat_byte(0x22),
        oldValue: Bytes::from(pauseAllCall {}.abi_encode()),
        newValue: Bytes::from(vec![0xab]),
    }
}

#[test]
fn owner_configurator_calls_each_target_with_its_call_data() {
    let set_fee_pool = setFeePoolCall { _feePool: FEE_POOL }.abi_encode();
    let c = configuration(JOB_REGISTRY, set_fee_pool.clone());
    let data = configureCall {
        target: c.target,
        callData: c.callData,
        moduleKey: c.moduleKey,
        parameterKey: c.parameterKey,
        oldValue: c.oldValue,
        newValue: c.newValue,
    }
    .abi_encode();
    let tree = decode(call(CONFIGURATOR, VERIFIED_SAFE), &data).unwrap();
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.to, Some(JOB_REGISTRY));
    assert_eq!(child.operation, Some(Operation::Call));
    assert_eq!(child.value, Some(U256::ZERO));
    assert_eq!(child.executor, Some(CONFIGURATOR));
    assert_eq!(child.arg_path, vec![1]);
    assert_eq!(signature(child), "setFeePool(address)");
    // The labels are not calls, even when they hold a function's bytes.
    let text = text_of(&tree);
    assert!(
        text.contains("callData=<decoded below>")
            && text.contains("oldValue=0x595c6a67")
            && text.contains("newValue=0xab"),
        "{text}"
    );

    let data = configureBatchCall {
        calls: vec![
            configuration(JOB_REGISTRY, set_fee_pool),
            configuration(SYSTEM_PAUSE, pauseAllCall {}.abi_encode()),
            configuration(FEE_POOL, Vec::new()),
        ],
    }
    .abi_encode();
    let tree = decode(call(CONFIGURATOR, VERIFIED_SAFE), &data).unwrap();
    assert_eq!(tree.children.len(), 3, "{tree:#?}");
    let targets: Vec<_> = tree.children.iter().map(|c| c.to).collect();
    assert_eq!(
        targets,
        vec![Some(JOB_REGISTRY), Some(SYSTEM_PAUSE), Some(FEE_POOL)]
    );
    for (i, child) in tree.children.iter().enumerate() {
        assert_eq!(child.arg_path, vec![0, i, 1]);
        assert_eq!(child.operation, Some(Operation::Call));
        assert_eq!(child.executor, Some(CONFIGURATOR));
        assert_eq!(child.path, format!("0.{i}"));
    }
    assert_eq!(signature(&tree.children[0]), "setFeePool(address)");
    assert_eq!(signature(&tree.children[1]), "pauseAll()");
    assert_eq!(tree.children[2].call, Decoded::Empty);
    let text = text_of(&tree);
    assert!(
        text.contains("configureBatch(calls=[(0x7777777777777777777777777777777777777777 (JobRegistry), <decoded below>, 0x1111"),
        "{text}"
    );

    // A known forwarder's inner data must decode.
    let data = configureCall {
        target: JOB_REGISTRY,
        callData: vec![0xe6, 0x30, 0x79, 0xe3, 0x00].into(),
        moduleKey: FixedBytes::ZERO,
        parameterKey: FixedBytes::ZERO,
        oldValue: Bytes::new(),
        newValue: Bytes::new(),
    }
    .abi_encode();
    let err = decode(call(CONFIGURATOR, VERIFIED_SAFE), &data).unwrap_err();
    assert!(err.to_string().starts_with("call 0.0:"), "{err}");
}

#[test]
fn bytes_arguments_that_read_as_calls_become_children() {
    // No address argument: the target is unknown.
    let inner = pauseAllCall {}.abi_encode();
    let data = forwardEscalationCall {
        data: inner.clone().into(),
    }
    .abi_encode();
    let tree = decode(CallSite::default(), &data).unwrap();
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.to, None);
    assert_eq!(child.operation, None);
    assert_eq!(child.value, None);
    assert_eq!(child.arg_path, vec![0]);
    assert_eq!(signature(child), "pauseAll()");
    let text = text_of(&tree);
    assert!(
        text.contains("forwardEscalation(data=<decoded below>)")
            && text.contains("[0.0] (target unknown) : pauseAll()"),
        "{text}"
    );

    // One address argument: it is the target, and its ABI reads the data.
    let data = hashOperationCall {
        target: JOB_REGISTRY,
        value: U256::ZERO,
        data: delistJobCall {
            jobId: U256::from(3),
        }
        .abi_encode()
        .into(),
        predecessor: FixedBytes::ZERO,
        salt: FixedBytes::ZERO,
    }
    .abi_encode();
    let tree = decode(call(TIMELOCK, VERIFIED_SAFE), &data).unwrap();
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.to, Some(JOB_REGISTRY));
    assert_eq!(child.to_name.as_deref(), Some("JobRegistry"));
    assert_eq!(child.operation, None);
    assert_eq!(child.executor, Some(TIMELOCK));
    assert_eq!(child.arg_path, vec![2]);
    let function = child.function().unwrap();
    assert_eq!(
        (&*function.abi, &*function.signature),
        ("JobRegistry", "delistJob(uint256)")
    );

    // Data the target's ABI does not know, or that does not decode strictly,
    // is no child and no error.
    for data in [
        pauseAllCall {}.abi_encode(), // SystemPause's, not JobRegistry's
        {
            let mut d = delistJobCall {
                jobId: U256::from(3),
            }
            .abi_encode();
            d.push(0); // a trailing byte
            d
        },
        vec![0xde, 0xad, 0xbe, 0xef],
        vec![0xe6, 0x30],
    ] {
        let outer = hashOperationCall {
            target: JOB_REGISTRY,
            value: U256::ZERO,
            data: data.into(),
            predecessor: FixedBytes::ZERO,
            salt: FixedBytes::ZERO,
        }
        .abi_encode();
        let tree = decode(call(TIMELOCK, VERIFIED_SAFE), &outer).unwrap();
        assert!(tree.children.is_empty(), "{tree:#?}");
        assert!(!text_of(&tree).contains("decoded below"));
    }

    // Several address arguments: the target is unknown.
    let data = setupCall {
        _owners: vec![VERIFIED_SAFE],
        _threshold: U256::from(1),
        to: MULTISEND_CALL_ONLY_1_4_1,
        data: changeThresholdCall {
            _threshold: U256::from(1),
        }
        .abi_encode()
        .into(),
        fallbackHandler: Address::repeat_byte(0x0f),
        paymentToken: Address::ZERO,
        payment: U256::ZERO,
        paymentReceiver: Address::ZERO,
    }
    .abi_encode();
    let tree = decode(call(OTHER_SAFE, VERIFIED_SAFE), &data).unwrap();
    let [child] = tree.children.as_slice() else {
        panic!("one child expected: {tree:#?}");
    };
    assert_eq!(child.to, None);
    assert_eq!(signature(child), "changeThreshold(uint256)");
}

#[test]
fn each_element_of_a_bytes_array_is_tried() {
    let data = resolveWithSignaturesCall {
        jobId: U256::from(1),
        employerWins: true,
        signatures: vec![
            pauseAllCall {}.abi_encode().into(),
            Bytes::from(vec![0x01; 65]),
            unpauseAllCall {}.abi_encode().into(),
        ],
    }
    .abi_encode();
    let tree = decode(call(DISPUTE_MODULE, VERIFIED_SAFE), &data).unwrap();
    let paths: Vec<_> = tree.children.iter().map(|c| c.arg_path.clone()).collect();
    assert_eq!(paths, vec![vec![2, 0], vec![2, 2]]);
    assert_eq!(signature(&tree.children[0]), "pauseAll()");
    assert_eq!(signature(&tree.children[1]), "unpauseAll()");
    assert_eq!(tree.children[1].path, "0.1");
    let text = text_of(&tree);
    assert!(
        text.contains(&format!(
            "signatures=[<decoded below>, 0x{}, <decoded below>]",
            "01".repeat(65)
        )),
        "{text}"
    );
}

#[test]
fn generic_children_keep_the_depth_bound() {
    let mut data = pauseAllCall {}.abi_encode();
    for _ in 0..20 {
        data = forwardEscalationCall { data: data.into() }.abi_encode();
    }
    let err = decode(CallSite::default(), &data).unwrap_err();
    assert!(matches!(err, DecodeError::TooDeep { .. }), "{err}");

    // Within the bound, every level is shown.
    let mut data = pauseAllCall {}.abi_encode();
    for _ in 0..5 {
        data = forwardEscalationCall { data: data.into() }.abi_encode();
    }
    let tree = decode(CallSite::default(), &data).unwrap();
    assert_eq!(tree.walk().len(), 6);
    assert_eq!(signature(tree.walk()[5]), "pauseAll()");
}

#[test]
fn many_embedded_calls_decode_in_linear_time() {
    // 20,000 elements: re-reading the array per element would take minutes.
    let signatures: Vec<Bytes> = (0..20_000)
        .map(|_| Bytes::from(pauseAllCall {}.abi_encode()))
        .collect();
    let data = resolveWithSignaturesCall {
        jobId: U256::from(1),
        employerWins: false,
        signatures,
    }
    .abi_encode();
    let started = std::time::Instant::now();
    let tree = decode(call(DISPUTE_MODULE, VERIFIED_SAFE), &data).unwrap();
    assert_eq!(tree.children.len(), 20_000);
    let text = text_of(&tree);
    assert_eq!(text.matches("<decoded below>").count(), 20_000);
    let _ = render::tree_json(&tree, &book());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

fn change_threshold_at_zero() -> Bytes {
    multisend::encode(&[MultiSendRecord {
        operation: Operation::Call,
        to: Address::ZERO,
        value: U256::ZERO,
        data: changeThresholdCall {
            _threshold: U256::from(1),
        }
        .abi_encode()
        .into(),
    }])
}

#[test]
fn address_zero_is_the_safe_only_under_delegatecall_to_multisend_1_5() {
    let calldata = change_threshold_at_zero();
    let site = |to: Address, operation: Operation| CallSite {
        to: Some(to),
        value: Some(U256::ZERO),
        operation: Some(operation),
        executor: Some(VERIFIED_SAFE),
        zero_means_safe: false,
    };

    // DELEGATECALL from the Safe to MultiSendCallOnly 1.5.0: the Safe itself.
    let tree = decode(
        site(MULTISEND_CALL_ONLY_1_5_0, Operation::DelegateCall),
        &calldata,
    )
    .unwrap();
    let record = &tree.children[0];
    assert_eq!(record.to, Some(VERIFIED_SAFE));
    assert_eq!(
        record.to_name.as_deref(),
        Some("governance-safe: address 0, which MultiSend 1.5.0 runs on the Safe itself")
    );
    // Read with the Safe's own ABI, as a call to the Safe.
    assert_eq!(&*record.function().unwrap().abi, "Safe");

    // A plain CALL to MultiSendCallOnly 1.5.0 runs as the MultiSend: address 0 stays 0.
    let tree = decode(site(MULTISEND_CALL_ONLY_1_5_0, Operation::Call), &calldata).unwrap();
    assert_eq!(tree.children[0].to, Some(Address::ZERO));
    assert_eq!(tree.children[0].executor, Some(MULTISEND_CALL_ONLY_1_5_0));

    // MultiSendCallOnly 1.4.1 has no such rule.
    let tree = decode(
        site(MULTISEND_CALL_ONLY_1_4_1, Operation::DelegateCall),
        &calldata,
    )
    .unwrap();
    assert_eq!(tree.children[0].to, Some(Address::ZERO));

    // The Decoder's `safe` does not decide it.
    let book = book();
    let mut decoder = Decoder::new(&REGISTRY, &book);
    decoder.safe = Some(VERIFIED_SAFE);
    let tree = decoder
        .decode(
            site(MULTISEND_CALL_ONLY_1_5_0, Operation::Call),
            &calldata,
            "0",
        )
        .unwrap();
    assert_eq!(tree.children[0].to, Some(Address::ZERO));
}

#[test]
fn address_zero_in_a_multisend_run_by_another_safe_is_that_safe() {
    let data = execTransactionCall {
        to: MULTISEND_CALL_ONLY_1_5_0,
        value: U256::ZERO,
        data: change_threshold_at_zero(),
        operation: 1,
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        signatures: Bytes::from(vec![0x01; 65]),
    }
    .abi_encode();
    let book = book();
    let mut decoder = Decoder::new(&REGISTRY, &book);
    decoder.safe = Some(VERIFIED_SAFE);
    let tree = decoder
        .decode(call(OTHER_SAFE, VERIFIED_SAFE), &data, "0")
        .unwrap();
    let multisend = &tree.children[0];
    assert_eq!(multisend.operation, Some(Operation::DelegateCall));
    assert_eq!(multisend.executor, Some(OTHER_SAFE));
    let record = &multisend.children[0];
    assert_eq!(record.to, Some(OTHER_SAFE), "{record:#?}");
    assert_eq!(record.executor, Some(OTHER_SAFE));
    assert!(
        record
            .to_name
            .as_deref()
            .unwrap()
            .starts_with("other-safe: address 0"),
        "{:?}",
        record.to_name
    );
    // execTransaction's signatures are shown, only `data` is decoded below.
    let text = render::tree_text(&tree, &book);
    assert!(
        text.contains("data=<decoded below>") && text.contains(&"01".repeat(65)),
        "{text}"
    );
}

#[test]
fn address_zero_at_the_top_of_a_1_5_batch_is_the_executor() {
    // What verify does for the calls of a batch from a Safe >= 1.5.0.
    let site = CallSite {
        to: Some(Address::ZERO),
        value: Some(U256::ZERO),
        operation: Some(Operation::Call),
        executor: Some(VERIFIED_SAFE),
        zero_means_safe: true,
    };
    let data = changeThresholdCall {
        _threshold: U256::from(2),
    }
    .abi_encode();
    let tree = decode(site, &data).unwrap();
    assert_eq!(tree.to, Some(VERIFIED_SAFE));
    assert_eq!(&*tree.function().unwrap().abi, "Safe");

    // Nobody known delegatecalls: the target is unknown, not address 0.
    let site = CallSite {
        to: Some(Address::ZERO),
        zero_means_safe: true,
        ..CallSite::default()
    };
    let tree = decode(site, &data).unwrap();
    assert_eq!(tree.to, None);
    assert!(text_of(&tree).contains("address 0, which MultiSend 1.5.0 runs on the Safe"));
}
