//! `--chain NAME|ID` (and its alias `--chain-id`), the one table of chain
//! name aliases, and `[safe] chain_id = "name"` in runbooks.

mod common;

use bundlec::safe::chains::{ALIASES, chain_id_of, known_names, parse_chain};
use bundlec::safe::deployments::knows_chain;
use common::bundlec;

/// safe_hashes.sh's `--network` identifiers and their chain ids (its
/// CHAIN_IDS table): each must mean the same chain here.
const SAFE_HASHES_NETWORKS: &[(&str, u64)] = &[
    ("arbitrum", 42161),
    ("aurora", 1313161554),
    ("avalanche", 43114),
    ("base", 8453),
    ("base-sepolia", 84532),
    ("blast", 81457),
    ("bsc", 56),
    ("celo", 42220),
    ("ethereum", 1),
    ("gnosis", 100),
    ("gnosis-chiado", 10200),
    ("linea", 59144),
    ("mantle", 5000),
    ("optimism", 10),
    ("plasma", 9745),
    ("polygon", 137),
    ("polygon-zkevm", 1101),
    ("scroll", 534352),
    ("sepolia", 11155111),
    ("worldchain", 480),
    ("xlayer", 196),
    ("zksync", 324),
];

/// cast's (alloy-chains') names for the chains people use most.
const CAST_NAMES: &[(&str, u64)] = &[
    ("mainnet", 1),
    ("base", 8453),
    ("arbitrum", 42161),
    ("optimism", 10),
    ("polygon", 137),
    ("sepolia", 11155111),
    ("zksync", 324),
];

#[test]
fn every_alias_is_unique_lower_case_and_a_chain_of_the_deployments_table() {
    let mut names: Vec<&str> = ALIASES.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "an alias is listed twice");
    for (name, id) in ALIASES {
        assert_eq!(*name, name.to_ascii_lowercase());
        assert!(
            knows_chain(*id),
            "{name} ({id}) is not in the deployments table"
        );
        // An alias never shadows an alloy-chains name with another chain.
        if let Ok(named) = name.parse::<alloy_chains::NamedChain>() {
            assert_eq!(u64::from(named), *id, "{name}");
        }
    }
}

#[test]
fn safe_hashes_and_cast_names_mean_their_chains() {
    for (name, id) in SAFE_HASHES_NETWORKS.iter().chain(CAST_NAMES) {
        assert_eq!(chain_id_of(name), Some(*id), "{name}");
        assert_eq!(parse_chain(&name.to_ascii_uppercase()), Ok(*id), "{name}");
        // Every one of them is a chain whose Safe deployments bundlec knows.
        assert!(
            knows_chain(*id),
            "{name} ({id}) is not in the deployments table"
        );
    }
}

#[test]
fn no_name_means_two_chains() {
    let mut seen = std::collections::BTreeMap::new();
    for name in known_names() {
        let id = chain_id_of(name).unwrap_or_else(|| panic!("{name} does not read back"));
        if let Some(other) = seen.insert(name.to_ascii_lowercase(), id) {
            assert_eq!(other, id, "{name} means {other} and {id}");
        }
    }
}

const HASH: &[&str] = &[
    "hash",
    "--safe",
    "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
    "--safe-version",
    "1.4.1",
    "--to",
    "0xF222222222222222222222222222222222222222",
    "--nonce",
    "7",
    "--data",
    "0x8456cb59",
];

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn hash_by_name_equals_hash_by_id() {
    let by_id = stdout(bundlec().args(HASH).args(["--chain-id", "8453"]));
    assert!(by_id.contains("chain id        8453"), "{by_id}");
    for name in ["base", "Base", "8453"] {
        assert_eq!(stdout(bundlec().args(HASH).args(["--chain", name])), by_id);
    }
    assert_eq!(
        stdout(bundlec().args(HASH).args(["--chain", "gnosis-chiado"])),
        stdout(bundlec().args(HASH).args(["--chain-id", "10200"]))
    );
}

#[test]
fn an_unknown_name_is_refused_with_a_suggestion_and_the_number_hint() {
    let output = bundlec()
        .args(HASH)
        .args(["--chain", "basee"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown chain `basee`"), "{stderr}");
    assert!(stderr.contains("did you mean base"), "{stderr}");
    assert!(stderr.contains("chain id as a number"), "{stderr}");
}

#[test]
fn chain_and_chain_id_are_one_argument() {
    let output = bundlec()
        .args(HASH)
        .args(["--chain", "base", "--chain-id", "8453"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn verify_and_decode_take_names() {
    let root = env!("CARGO_MANIFEST_DIR");
    let verify = |chain: &[&str]| {
        let output = bundlec()
            .current_dir(root)
            .args(["verify", "fixtures/verify/clean-pause.json"])
            .args([
                "--deployment",
                "fixtures/verify/deployment.toml",
                "--safe-version",
                "1.4.1",
                "--nonce",
                "7",
                "--safe",
                "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
            ])
            .args(chain)
            .output()
            .unwrap();
        (output.status.code(), output.stdout)
    };
    assert_eq!(
        verify(&["--chain", "mainnet"]),
        verify(&["--chain-id", "1"])
    );
    assert_eq!(
        verify(&["--chain", "ethereum"]),
        verify(&["--chain-id", "1"])
    );

    let decode = |chain: &[&str]| {
        stdout(
            bundlec()
                .args([
                    "decode",
                    "0x8456cb59",
                    "--to",
                    "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D",
                ])
                .args(chain),
        )
    };
    assert_eq!(
        decode(&["--chain", "polygon"]),
        decode(&["--chain-id", "137"])
    );
}

#[test]
fn a_runbook_may_name_its_chain() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("deployments")).unwrap();
    std::fs::copy(
        root.join("bundles/deployments/example.toml"),
        dir.path().join("deployments/example.toml"),
    )
    .unwrap();
    let intent = std::fs::read_to_string(root.join("bundles/pause.toml")).unwrap();
    assert!(intent.contains("\nchain_id = 1\n"));
    let named = intent.replace("\nchain_id = 1\n", "\nchain_id = \"Mainnet\"\n");
    std::fs::write(dir.path().join("pause.toml"), named).unwrap();
    bundlec()
        .arg("build")
        .arg(dir.path().join("pause.toml"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.path().join("pause.json")).unwrap(),
        std::fs::read(root.join("bundles/pause.json")).unwrap()
    );

    let unknown = intent.replace("\nchain_id = 1\n", "\nchain_id = \"mainet\"\n");
    std::fs::write(dir.path().join("pause.toml"), unknown).unwrap();
    let output = bundlec()
        .arg("build")
        .arg(dir.path().join("pause.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unknown chain `mainet` (did you mean mainnet?)"),
        "{stderr}"
    );
}
