//! The floor: the least any command must do with a batch file. Read it,
//! parse it into typed structs with serde (strings borrowed from the file
//! where JSON allows), hex-decode every `data`, Keccak-256 each one and the
//! whole file. `BENCHMARKS.md` reports every command as a ratio to this.
//!
//! Shared by `examples/floor.rs` (the whole-process floor `benches/run.sh`
//! times) and `benches/commands.rs` (criterion).

use std::borrow::Cow;
use std::collections::BTreeMap;

use alloy_primitives::{B256, hex, keccak256};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Read to be parsed and checked, as a command would.
struct Batch<'a> {
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    chain_id: Cow<'a, str>,
    created_at: u64,
    #[serde(borrow)]
    meta: Meta<'a>,
    #[serde(borrow)]
    transactions: Vec<Transaction<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Meta<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    description: Cow<'a, str>,
    #[serde(borrow)]
    tx_builder_version: Cow<'a, str>,
    #[serde(borrow)]
    created_from_safe_address: Cow<'a, str>,
    #[serde(borrow)]
    created_from_owner_address: Cow<'a, str>,
    #[serde(borrow)]
    checksum: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Transaction<'a> {
    #[serde(borrow)]
    to: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
    #[serde(borrow)]
    data: Option<Cow<'a, str>>,
    #[serde(borrow)]
    contract_method: Option<Method<'a>>,
    #[serde(borrow)]
    contract_inputs_values: Option<BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Method<'a> {
    #[serde(borrow)]
    inputs: Vec<Input<'a>>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    payable: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Input<'a> {
    #[serde(borrow)]
    internal_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
}

/// What the floor computes: the file's hash, and the hashes of every call's
/// data folded into one (so nothing can be optimised away).
#[allow(dead_code)] // The bench only hands it to black_box.
pub struct Floor {
    pub file: B256,
    pub calls: usize,
    pub data: B256,
}

/// Runs the floor over the bytes of a batch file.
pub fn floor(bytes: &[u8]) -> Result<Floor, String> {
    let file = keccak256(bytes);
    let batch: Batch<'_> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut folded = [0u8; 32];
    let mut buffer = Vec::new();
    for tx in &batch.transactions {
        let Some(data) = &tx.data else { continue };
        let digits = data.strip_prefix("0x").unwrap_or(data);
        buffer.clear();
        buffer.resize(digits.len() / 2, 0);
        hex::decode_to_slice(digits, &mut buffer).map_err(|e| e.to_string())?;
        for (f, h) in folded.iter_mut().zip(keccak256(&buffer)) {
            *f ^= h;
        }
    }
    Ok(Floor {
        file,
        calls: batch.transactions.len(),
        data: B256::from(folded),
    })
}
