//! Resource bounds: every input that would make bundlec read, allocate or
//! recurse without limit is refused with a clear message and exit code 2.

mod common;

use alloy_primitives::{Address, Bytes, U256, hex};
use bundlec::multisend::{self, MAX_RECORDS, MultiSendRecord};
use bundlec::safe::Operation;
use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction};
use common::bundlec;

/// The default input limit (`--max-input-bytes`), 256 MiB.
const DEFAULT_LIMIT: usize = 256 * 1024 * 1024;

fn assert_refused(args: &[String], needle: &str) {
    let output = bundlec().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
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
