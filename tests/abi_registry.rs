//! The embedded ABI registry against the published reference material: the
//! AGI Jobs v0 function list, the Safe selector tables, and the timelock that
//! extends OpenZeppelin's TimelockController.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use bundlec::abi::registry::{AbiRegistry, EMBEDDED_ABIS, LookupError, SelectorCollision};

/// The contracts the issue requires, in its order.
const REQUIRED: &[&str] = &[
    "StakeManager",
    "JobRegistry",
    "FeePool",
    "SystemPause",
    "Thermostat",
    "RewardEngineMB",
    "ValidationModule",
    "DisputeModule",
    "ReputationEngine",
    "PlatformRegistry",
    "ArbitratorCommittee",
    "CertificateNFT",
    "AttestationRegistry",
    "TaxPolicy",
    "IdentityRegistry",
    "JobRouter",
    "PlatformIncentives",
    "RandaoCoordinator",
    "EnergyOracle",
    "HamiltonianMonitor",
    "HGMControlModule",
    "OwnerConfigurator",
    "AGITimelock",
    "Phase6ExpansionManager",
    "Phase8UniversalValueManager",
    "Safe",
    "MultiSend",
    "MultiSendCallOnly",
    "SignMessageLib",
    "SafeMigration",
    "TimelockController",
    "ERC20",
    "ERC721",
];

fn registry() -> AbiRegistry {
    AbiRegistry::embedded().expect("the embedded ABIs load")
}

fn abis_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("abis")
}

fn parse_selector(text: &str) -> [u8; 4] {
    let hex = text
        .trim()
        .strip_prefix("0x")
        .expect("0x-prefixed selector");
    assert_eq!(hex.len(), 8, "selector {text}");
    let mut out = [0u8; 4];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn one_function_abi(name: &str, input_type: &str) -> String {
    format!(
        r#"[{{"type":"function","name":"{name}","stateMutability":"nonpayable",
             "inputs":[{{"name":"x","type":"{input_type}","internalType":"{input_type}"}}],
             "outputs":[]}}]"#
    )
}

#[test]
fn embedded_registry_has_every_required_contract() {
    let registry = registry();
    let loaded: BTreeSet<&str> = registry.contract_names().collect();
    let required: BTreeSet<&str> = REQUIRED.iter().copied().collect();
    assert_eq!(loaded, required);
    for name in REQUIRED {
        let abi = registry.contract(name).unwrap();
        assert!(abi.functions().next().is_some(), "{name} has no functions");
    }
}

#[test]
fn embedded_list_is_exactly_the_abis_directory() {
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(abis_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    on_disk.sort();
    let embedded: Vec<(String, String)> = EMBEDDED_ABIS
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    assert_eq!(
        embedded, on_disk,
        "EMBEDDED_ABIS must list abis/*.json, sorted"
    );
}

/// The AGI Jobs ABIs are the upstream compiler output, byte for byte: each
/// file's keccak256 is the one abis/SOURCES records for it.
#[test]
fn agi_jobs_abis_are_unmodified_copies() {
    let sources = std::fs::read_to_string(abis_dir().join("SOURCES")).unwrap();
    let mut count = 0;
    for line in sources.lines() {
        let mut columns = line.split_whitespace();
        let (Some(file), Some(digest), None) = (columns.next(), columns.next(), columns.next())
        else {
            continue;
        };
        if !file.ends_with(".json") || !digest.starts_with("0x") {
            continue;
        }
        let path = abis_dir().join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            alloy_primitives::keccak256(&bytes).to_string(),
            digest,
            "{} differs from the upstream ABI recorded in abis/SOURCES",
            path.display()
        );
        count += 1;
    }
    assert_eq!(count, 25);
}

/// Every ABI entry looks like compiler output, so tools that need
/// `stateMutability` or `internalType` (struct names, enums) find them.
#[test]
fn every_abi_carries_mutability_and_internal_types() {
    fn check_params(file: &str, entry: &serde_json::Value, key: &str) {
        let Some(params) = entry.get(key).and_then(|v| v.as_array()) else {
            return;
        };
        for param in params {
            assert!(
                param.get("internalType").is_some_and(|t| t.is_string()),
                "{file}: {} {key} lacks internalType: {param}",
                entry["name"]
            );
            check_params(file, param, "components");
        }
    }
    for (name, text) in EMBEDDED_ABIS {
        let entries: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
        for entry in &entries {
            if entry["type"] == "function" {
                assert!(entry["stateMutability"].is_string(), "{name}: {entry}");
                assert!(entry["outputs"].is_array(), "{name}: {entry}");
            }
            check_params(name, entry, "inputs");
            check_params(name, entry, "outputs");
        }
    }
}

#[test]
fn every_agi_jobs_function_resolves_by_signature_and_selector() {
    let registry = registry();
    let text = std::fs::read_to_string(common::reference_fixture("agijobs/functions.txt")).unwrap();
    let mut checked = 0;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut columns = line.split('\t');
        let qualified = columns.next().unwrap();
        let selector = parse_selector(columns.next().expect("selector column"));
        let (contract, signature) = qualified.split_once('.').expect("Contract.function");

        let by_signature = registry
            .function(contract, signature)
            .unwrap_or_else(|e| panic!("{qualified}: {e}"));
        assert_eq!(by_signature.signature(), signature);
        assert_eq!(by_signature.selector().0, selector, "{qualified}");

        let by_selector = registry
            .function_by_selector_in(contract, selector)
            .unwrap_or_else(|e| panic!("{qualified}: {e}"));
        assert_eq!(by_selector.signature(), signature);

        assert!(
            registry
                .selector_matches(selector)
                .iter()
                .any(|m| m.contract == contract && m.function.signature() == signature),
            "{qualified} is missing from the selector index"
        );
        assert_eq!(registry.distinct_signatures(selector), [signature]);
        checked += 1;
    }
    assert!(checked > 300, "only {checked} functions listed");
}

/// The parameter list of a signature from the reference tables, with
/// `...same 10 args...` expanded.
fn expand_signature(signature: &str) -> String {
    signature.replace(
        "...same 10 args...",
        "address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,uint256",
    )
}

/// `(name, [(type, parameter name or "")])` of a signature as written in the
/// reference, e.g. `removeOwner(address prevOwner, address owner, uint256 _threshold)`.
fn split_signature(signature: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let (name, rest) = signature.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    let params = inner
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once(' ').unwrap_or((p, "")))
        .collect();
    Some((name, params))
}

#[test]
fn every_safe_table_selector_comes_out_of_the_safe_abis() {
    let registry = registry();
    let text =
        std::fs::read_to_string(common::reference_fixture("safe/safe-functions.md")).unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| l.starts_with("| `0x")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let selector = parse_selector(cells[1].trim_matches('`'));
        let written = expand_signature(cells[2].split('`').nth(1).unwrap());
        let contract = if written.starts_with("multiSend(") {
            "MultiSend"
        } else {
            "Safe"
        };
        let function = registry
            .function(contract, &written)
            .unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(function.selector().0, selector, "{written}");

        // Where the table names the parameters, the ABI uses the same names.
        let (_, params) = split_signature(&written).unwrap();
        assert_eq!(params.len(), function.inputs.len(), "{written}");
        for ((_, name), input) in params.iter().zip(&function.inputs) {
            if !name.is_empty() {
                assert_eq!(&input.name, name, "{written}");
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 28);
    for contract in ["MultiSend", "MultiSendCallOnly"] {
        let multi_send = registry.function(contract, "multiSend").unwrap();
        assert_eq!(multi_send.selector().0, [0x8d, 0x80, 0xff, 0x0a]);
        assert_eq!(multi_send.inputs[0].name, "transactions");
        assert_eq!(multi_send.state_mutability.as_json_str(), "payable");
    }
}

/// The helpers listed in prose after the tables: library, migration and
/// ERC-20 selectors must come out of the matching ABI. The fallback-handler
/// and CreateCall helpers are named there for reference only; bundlec does
/// not ship those ABIs.
#[test]
fn every_prose_selector_of_a_shipped_contract_resolves() {
    const NOT_SHIPPED: &[&str] = &[
        "getMessageHashForSafe",
        "isValidSignature",
        "simulate",
        "performCreate",
        "performCreate2",
    ];
    let registry = registry();
    let text =
        std::fs::read_to_string(common::reference_fixture("safe/safe-functions.md")).unwrap();
    let prose = &text[text.find("Fallback-handler and library helpers").unwrap()..];
    let prose = &prose[..prose.find("Storage slots").unwrap()];
    let mut checked = BTreeSet::new();
    let mut pieces = prose.split('`').skip(1).step_by(2).peekable();
    while let Some(piece) = pieces.next() {
        let Some(next) = pieces.peek() else { break };
        if !next.starts_with("0x") {
            continue;
        }
        let selector = parse_selector(next);
        // ERC-20 functions are named there without their parameter list.
        let (name, _) = split_signature(piece).unwrap_or((piece, Vec::new()));
        if NOT_SHIPPED.contains(&name) {
            continue;
        }
        let contract = match name {
            "getMessageHash" => "SignMessageLib",
            "transfer" | "approve" | "transferFrom" => "ERC20",
            _ => "SafeMigration",
        };
        let function = registry
            .function_by_selector_in(contract, selector)
            .unwrap_or_else(|e| panic!("{piece}: {e}"));
        assert_eq!(function.name, name);
        if piece.contains('(') {
            assert_eq!(function.signature(), piece);
        }
        checked.insert(piece.to_owned());
    }
    assert_eq!(checked.len(), 8, "{checked:?}");

    let sign = registry.function("SignMessageLib", "signMessage").unwrap();
    assert_eq!(sign.selector().0, [0x85, 0xa5, 0xaf, 0xfe]);
    assert_eq!(sign.inputs[0].name, "_data");
    let hash = registry
        .function("SignMessageLib", "getMessageHash")
        .unwrap();
    assert_eq!(hash.inputs[0].name, "message");
    assert_eq!(hash.state_mutability.as_json_str(), "view");
}

#[test]
fn timelock_controller_matches_the_agi_timelock_that_extends_it() {
    let registry = registry();
    let oz = registry.contract("TimelockController").unwrap();
    let agi = registry.contract("AGITimelock").unwrap();
    for function in oz.functions() {
        let theirs = registry
            .function_by_selector_in("AGITimelock", function.selector().0)
            .unwrap_or_else(|e| panic!("{}: {e}", function.signature()));
        assert_eq!(theirs, function);
    }
    assert_eq!(oz.functions().count(), agi.functions().count());
    for name in [
        "schedule",
        "scheduleBatch",
        "execute",
        "executeBatch",
        "cancel",
        "updateDelay",
        "grantRole",
        "revokeRole",
        "renounceRole",
        "hashOperation",
        "hashOperationBatch",
        "getMinDelay",
        "DEFAULT_ADMIN_ROLE",
        "PROPOSER_ROLE",
        "EXECUTOR_ROLE",
        "CANCELLER_ROLE",
    ] {
        registry
            .function("TimelockController", name)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn token_abis_hold_the_basics_with_known_selectors() {
    let registry = registry();
    let expect = [
        ("ERC20", "transfer(address,uint256)", "0xa9059cbb"),
        ("ERC20", "approve(address,uint256)", "0x095ea7b3"),
        (
            "ERC20",
            "transferFrom(address,address,uint256)",
            "0x23b872dd",
        ),
        ("ERC20", "balanceOf(address)", "0x70a08231"),
        ("ERC20", "allowance(address,address)", "0xdd62ed3e"),
        ("ERC20", "totalSupply()", "0x18160ddd"),
        ("ERC20", "decimals()", "0x313ce567"),
        ("ERC20", "symbol()", "0x95d89b41"),
        ("ERC20", "name()", "0x06fdde03"),
        (
            "ERC721",
            "transferFrom(address,address,uint256)",
            "0x23b872dd",
        ),
        (
            "ERC721",
            "safeTransferFrom(address,address,uint256)",
            "0x42842e0e",
        ),
        (
            "ERC721",
            "safeTransferFrom(address,address,uint256,bytes)",
            "0xb88d4fde",
        ),
        ("ERC721", "approve(address,uint256)", "0x095ea7b3"),
        ("ERC721", "setApprovalForAll(address,bool)", "0xa22cb465"),
        ("ERC721", "ownerOf(uint256)", "0x6352211e"),
        ("ERC721", "balanceOf(address)", "0x70a08231"),
        ("ERC721", "getApproved(uint256)", "0x081812fc"),
        ("ERC721", "isApprovedForAll(address,address)", "0xe985e9c5"),
    ];
    for (contract, signature, selector) in expect {
        let function = registry
            .function(contract, signature)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            function.selector().0,
            parse_selector(selector),
            "{contract}.{signature}"
        );
    }
    assert_eq!(registry.contract("ERC20").unwrap().functions().count(), 9);
    assert_eq!(registry.contract("ERC721").unwrap().functions().count(), 9);
}

#[test]
fn overloaded_name_without_signature_lists_the_candidates() {
    let registry = registry();
    let err = registry
        .function("StakeManager", "redistributeEscrow")
        .unwrap_err();
    let candidates = vec![
        "redistributeEscrow(bytes32,address,uint256)".to_owned(),
        "redistributeEscrow(bytes32,address,uint256,address[])".to_owned(),
    ];
    assert_eq!(
        err,
        LookupError::Overloaded {
            contract: "StakeManager".into(),
            name: "redistributeEscrow".into(),
            candidates,
        }
    );
    let message = err.to_string();
    assert!(message.contains("redistributeEscrow(bytes32,address,uint256,address[])"));
    assert!(message.contains("full signature"), "{message}");

    let chosen = registry
        .function("StakeManager", "redistributeEscrow(bytes32 jobId, address recipient, uint256 amount, address[] validators)")
        .unwrap();
    assert_eq!(chosen.selector().0, [0xa0, 0xac, 0x95, 0x87]);
}

#[test]
fn unknown_names_point_at_the_right_one() {
    let registry = registry();
    let err = registry.function("SystemPause", "pause").unwrap_err();
    let LookupError::UnknownFunction { similar, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(similar.iter().any(|n| n == "pauseAll"), "{err}");

    let err = registry.function("Systempause", "pauseAll").unwrap_err();
    assert!(
        err.to_string().contains("did you mean `SystemPause`?"),
        "{err}"
    );
}

#[test]
fn shipped_abis_have_no_selector_collisions() {
    assert_eq!(registry().collisions(), []);
}

#[test]
fn a_colliding_override_is_reported_with_both_signatures() {
    let mut registry = registry();
    let burn = [0x42, 0x96, 0x6c, 0x68];
    registry
        .add_or_override("Burnable", &one_function_abi("burn", "uint256"))
        .unwrap();
    assert_eq!(registry.collisions(), []);
    registry
        .add_or_override(
            "Odd",
            &one_function_abi("collate_propagate_storage", "bytes16"),
        )
        .unwrap();

    let expected = SelectorCollision {
        selector: burn,
        signatures: vec![
            "burn(uint256)".to_owned(),
            "collate_propagate_storage(bytes16)".to_owned(),
        ],
    };
    assert_eq!(registry.collisions(), std::slice::from_ref(&expected));
    assert_eq!(registry.distinct_signatures(burn), expected.signatures);
    let matches = registry.functions_by_selector(burn);
    let owners: Vec<&str> = matches.iter().map(|m| m.contract.as_str()).collect();
    assert_eq!(owners, ["Burnable", "Odd"]);
    assert!(expected.to_string().contains("0x42966c68"), "{expected}");

    // The same function in a second contract is not a collision.
    registry
        .add_or_override("Burnable2", &one_function_abi("burn", "uint256"))
        .unwrap();
    assert_eq!(registry.collisions().len(), 1);
    assert_eq!(registry.distinct_signatures(burn).len(), 2);
}

#[test]
fn override_replaces_a_shipped_abi() {
    let mut registry = registry();
    let pause_all = registry
        .function("SystemPause", "pauseAll")
        .unwrap()
        .selector()
        .0;
    registry
        .add_or_override("SystemPause", &one_function_abi("emergencyStop", "bytes32"))
        .unwrap();

    let abi = registry.contract("SystemPause").unwrap();
    let names: Vec<&str> = abi.functions().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["emergencyStop"]);
    assert!(registry.function("SystemPause", "pauseAll").is_err());
    assert!(matches!(
        registry.function_by_selector_in("SystemPause", pause_all),
        Err(LookupError::UnknownSelector { .. })
    ));
    assert!(
        registry
            .selector_matches(pause_all)
            .iter()
            .all(|m| m.contract != "SystemPause")
    );
    assert_eq!(registry.len(), REQUIRED.len());

    // A broken override is refused and leaves the shipped ABI in place.
    let err = registry.add_or_override("StakeManager", "[{").unwrap_err();
    assert!(err.to_string().contains("`StakeManager`"), "{err}");
    assert!(registry.function("StakeManager", "pause").is_ok());
}
