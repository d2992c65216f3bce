//! The batch files bundlec writes.
//!
//! The output mimics a Transaction Builder download as closely as a committed
//! file can: the same keys in the same order, absent values as `null`, and a
//! `meta.checksum` the UI accepts. Unlike the UI's download it is
//! pretty-printed (two-space indentation, trailing newline) so that reviews of
//! committed bundles diff line by line; whitespace does not enter the checksum.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use alloy_primitives::{Address, B256, Bytes, U256};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

use super::WriteError;
use super::checksum::{Part, format_checksum, hash_with, write_object, write_value};
use super::js;
use crate::hex_text::PrefixedHex;

/// The Safe Transaction Builder release whose batch format bundlec writes,
/// stored in `meta.txBuilderVersion` as the UI stores its own version there.
/// It is the release the format notes were checked against.
pub const TX_BUILDER_VERSION: &str = "1.18.3";

/// `version` of every batch file the UI generates.
pub const BATCH_FORMAT_VERSION: &str = "1.0";

/// A Transaction Builder batch file, as bundlec writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFile {
    /// Always [`BATCH_FORMAT_VERSION`] in files the UI accepts as its own.
    pub version: String,
    /// Written as a decimal string: the UI compares it with `!==` against its
    /// own string chain id, so a JSON number would always look like another chain.
    pub chain_id: u64,
    /// Epoch milliseconds (`Date.now()` in the UI). Hashed, so it must be a
    /// caller-supplied, reproducible value rather than the current time. Values
    /// above 2^53 would be rounded by JavaScript (the checksum follows that
    /// rounding), but no real timestamp gets there.
    pub created_at: u64,
    pub meta: BatchMeta,
    pub transactions: Vec<BatchTransaction>,
}

/// `meta`, minus the checksum, which is always derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMeta {
    /// Shown in the UI's batch list; not covered by the checksum.
    pub name: String,
    pub description: String,
    pub tx_builder_version: String,
    pub created_from_safe_address: Address,
    /// The UI always writes `""` here.
    pub created_from_owner_address: String,
}

impl BatchMeta {
    /// The meta the UI would write for a batch built in `safe`.
    pub fn new(name: impl Into<String>, safe: Address) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            tx_builder_version: TX_BUILDER_VERSION.to_string(),
            created_from_safe_address: safe,
            created_from_owner_address: String::new(),
        }
    }
}

/// One call in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTransaction {
    pub to: Address,
    /// Wei; written as a decimal string because the importer rejects numbers.
    pub value: U256,
    /// When present (and non-empty) the UI sends exactly these bytes and
    /// ignores `contract_method`/`contract_inputs_values`.
    pub data: Option<Bytes>,
    /// Shared by every call of the same function.
    pub contract_method: Option<Rc<ContractMethod>>,
    /// One `(key, value)` per input, in input order. Keys are the input names
    /// (the index as a decimal string for unnamed inputs). Keys should be
    /// unique: with duplicates the file holds both and every JSON reader,
    /// including the checksum, keeps only the last.
    pub contract_inputs_values: Option<Vec<(String, String)>>,
}

impl BatchTransaction {
    /// A call whose payload is fully given as calldata (the form bundlec
    /// prefers: the UI then never re-encodes anything).
    pub fn raw(to: Address, value: U256, data: Bytes) -> Self {
        Self {
            to,
            value,
            data: Some(data),
            contract_method: None,
            contract_inputs_values: None,
        }
    }
}

/// `contractMethod`: the ABI function the UI would encode from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractMethod {
    /// The ABI `inputs` array copied verbatim, as the UI does. Note that object
    /// keys inside these values are written in sorted order (serde_json's map),
    /// not in the ABI file's order; the checksum does not depend on key order.
    pub inputs: Vec<Value>,
    pub name: String,
    /// `payable || stateMutability == "payable"` in the ABI entry.
    pub payable: bool,
}

impl BatchFile {
    /// A batch in the current format version.
    pub fn new(
        chain_id: u64,
        created_at: u64,
        meta: BatchMeta,
        transactions: Vec<BatchTransaction>,
    ) -> Self {
        Self {
            version: BATCH_FORMAT_VERSION.to_string(),
            chain_id,
            created_at,
            meta,
            transactions,
        }
    }

    /// The `meta.checksum` the UI computes for this batch.
    pub fn checksum(&self) -> Result<B256, WriteError> {
        let names = self.checksummed_addresses();
        Ok(self.wire(&names).checksum())
    }

    /// The complete file content (checksum included) as a JSON value. Use
    /// [`Self::to_json_string`] for the bytes to write: this value's maps do
    /// not keep the UI's key order.
    pub fn to_json_value(&self) -> Result<Value, WriteError> {
        let names = self.checksummed_addresses();
        let wire = self.wire(&names).signed();
        Ok(serde_json::to_value(&wire)?)
    }

    /// The file content: pretty-printed JSON in the UI's key order, with
    /// `meta.checksum`, ending in a newline. Deterministic for a given batch.
    pub fn to_json_string(&self) -> Result<String, WriteError> {
        let checksum = self.checksum()?;
        let mut bytes = Vec::with_capacity(self.size_hint());
        self.write_json(&checksum, &mut bytes)?;
        String::from_utf8(bytes).map_err(|e| WriteError(e.to_string()))
    }

    /// Writes the file content of [`Self::to_json_string`] into `sink`, a
    /// piece at a time, with `checksum` as its `meta.checksum`: the one
    /// [`Self::checksum`] gives, which a writer that also records it (the
    /// manifest) computes once. serde_json makes many small writes: `sink`
    /// should buffer.
    pub fn write_json<W: std::io::Write>(
        &self,
        checksum: &B256,
        mut sink: W,
    ) -> Result<(), serde_json::Error> {
        let names = self.checksummed_addresses();
        let wire = self.wire(&names).signed_with(checksum);
        crate::pretty::to_writer(&mut sink, &wire)?;
        sink.write_all(b"\n").map_err(serde_json::Error::io)
    }

    /// About how many bytes the pretty-printed file takes, so its buffer is
    /// allocated once: two hex digits per byte of data plus what the keys,
    /// indentation, method and values usually take.
    pub fn size_hint(&self) -> usize {
        self.transactions.iter().fold(1024usize, |total, tx| {
            let data = tx.data.as_ref().map_or(0, |d| d.len().saturating_mul(2));
            let method = tx
                .contract_method
                .as_ref()
                .map_or(0, |m| m.inputs.len().saturating_mul(160).saturating_add(96));
            let values = tx.contract_inputs_values.as_ref().map_or(0, |values| {
                values.iter().fold(0usize, |sum, (k, v)| {
                    sum.saturating_add(k.len())
                        .saturating_add(v.len())
                        .saturating_add(16)
                })
            });
            total
                .saturating_add(256)
                .saturating_add(data)
                .saturating_add(method)
                .saturating_add(values)
        })
    }

    /// The EIP-55 form of every address the file holds, computed once per
    /// distinct address (a refund batch sends thousands of calls to one
    /// contract).
    fn checksummed_addresses(&self) -> BTreeMap<Address, String> {
        let mut names = BTreeMap::new();
        let addresses = std::iter::once(self.meta.created_from_safe_address)
            .chain(self.transactions.iter().map(|tx| tx.to));
        for address in addresses {
            names
                .entry(address)
                .or_insert_with(|| address.to_checksum(None));
        }
        names
    }

    fn wire<'a>(&'a self, names: &'a BTreeMap<Address, String>) -> WireBatch<'a> {
        let eip55 = |address: &Address| -> Cow<'a, str> {
            names.get(address).map_or_else(
                || Cow::Owned(address.to_checksum(None)),
                |name| Cow::Borrowed(name.as_str()),
            )
        };
        let meta = &self.meta;
        WireBatch {
            version: &self.version,
            chain_id: self.chain_id.to_string(),
            created_at: self.created_at,
            meta: WireMeta {
                name: &meta.name,
                description: &meta.description,
                tx_builder_version: &meta.tx_builder_version,
                created_from_safe_address: eip55(&meta.created_from_safe_address),
                created_from_owner_address: &meta.created_from_owner_address,
                checksum: None,
            },
            transactions: self
                .transactions
                .iter()
                .map(|tx| WireTransaction {
                    to: eip55(&tx.to),
                    value: Decimal(&tx.value),
                    data: tx.data.as_ref().map(|data| PrefixedHex(data)),
                    contract_method: tx.contract_method.as_deref(),
                    contract_inputs_values: tx
                        .contract_inputs_values
                        .as_deref()
                        .map(OrderedStrings),
                })
                .collect(),
        }
    }
}

// Structs serialize their fields in declaration order, which is how the UI's
// key order is reproduced without serde_json's `preserve_order` feature.

#[derive(Serialize)]
struct WireBatch<'a> {
    version: &'a str,
    #[serde(rename = "chainId")]
    chain_id: String,
    #[serde(rename = "createdAt")]
    created_at: u64,
    meta: WireMeta<'a>,
    transactions: Vec<WireTransaction<'a>>,
}

#[derive(Serialize)]
struct WireMeta<'a> {
    name: &'a str,
    description: &'a str,
    #[serde(rename = "txBuilderVersion")]
    tx_builder_version: &'a str,
    #[serde(rename = "createdFromSafeAddress")]
    created_from_safe_address: Cow<'a, str>,
    #[serde(rename = "createdFromOwnerAddress")]
    created_from_owner_address: &'a str,
    // Absent (not null) while hashing: the UI computes the checksum before
    // the key exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    checksum: Option<String>,
}

#[derive(Serialize)]
struct WireTransaction<'a> {
    to: Cow<'a, str>,
    value: Decimal<'a>,
    data: Option<PrefixedHex<'a>>,
    #[serde(rename = "contractMethod")]
    contract_method: Option<&'a ContractMethod>,
    #[serde(rename = "contractInputsValues")]
    contract_inputs_values: Option<OrderedStrings<'a>>,
}

impl WireBatch<'_> {
    /// The checksum of this (unsigned) batch, as the UI computes it on import.
    ///
    /// The checksum form of what this struct serializes to, streamed into the
    /// hasher field by field: the same text `serialize_for_checksum` gives
    /// for `serde_json::to_value(self)` with `meta.name` null and no
    /// `meta.checksum`, without building that value or that text.
    fn checksum(&self) -> B256 {
        hash_with(|out| self.write_checksum_form(out))
    }

    fn signed(self) -> Self {
        let checksum = self.checksum();
        self.signed_with(&checksum)
    }

    fn signed_with(mut self, checksum: &B256) -> Self {
        self.meta.checksum = Some(format_checksum(checksum));
        self
    }

    fn write_checksum_form(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let meta = &self.meta;
        let write_meta = |out: &mut dyn fmt::Write| {
            write_object::<Value, _>(
                &mut [
                    // The UI hashes with `meta.name` set to null.
                    ("name", Part::Null),
                    ("description", Part::Str(meta.description)),
                    ("txBuilderVersion", Part::Str(meta.tx_builder_version)),
                    (
                        "createdFromSafeAddress",
                        Part::Str(&meta.created_from_safe_address),
                    ),
                    (
                        "createdFromOwnerAddress",
                        Part::Str(meta.created_from_owner_address),
                    ),
                ],
                out,
            )
        };
        let write_transactions = |out: &mut dyn fmt::Write| {
            out.write_char('[')?;
            for (i, tx) in self.transactions.iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                tx.write_checksum_form(out)?;
            }
            out.write_char(']')
        };
        let created_at = |out: &mut dyn fmt::Write| {
            // JavaScript holds every number as a double.
            out.write_str(&js::number_to_string(self.created_at as f64))
        };
        write_object::<Value, _>(
            &mut [
                ("version", Part::Str(self.version)),
                ("chainId", Part::Str(&self.chain_id)),
                ("createdAt", Part::With(&created_at)),
                ("meta", Part::With(&write_meta)),
                ("transactions", Part::With(&write_transactions)),
            ],
            out,
        )
    }
}

impl WireTransaction<'_> {
    fn write_checksum_form(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let value = |out: &mut dyn fmt::Write| write!(out, "\"{}\"", self.value.0);
        let data = |out: &mut dyn fmt::Write| match &self.data {
            Some(hex) => write!(out, "\"{hex}\""),
            None => out.write_str("null"),
        };
        let method = |out: &mut dyn fmt::Write| match self.contract_method {
            Some(method) => method.write_checksum_form(out),
            None => out.write_str("null"),
        };
        let values = |out: &mut dyn fmt::Write| match &self.contract_inputs_values {
            Some(OrderedStrings(values)) => {
                let mut fields: Vec<(&str, Part<'_>)> = values
                    .iter()
                    .map(|(key, value)| (key.as_str(), Part::Str(value)))
                    .collect();
                write_object(&mut fields, out)
            }
            None => out.write_str("null"),
        };
        write_object::<Value, _>(
            &mut [
                ("to", Part::Str(&self.to)),
                ("value", Part::With(&value)),
                ("data", Part::With(&data)),
                ("contractMethod", Part::With(&method)),
                ("contractInputsValues", Part::With(&values)),
            ],
            out,
        )
    }
}

impl ContractMethod {
    fn write_checksum_form(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let inputs = |out: &mut dyn fmt::Write| {
            out.write_char('[')?;
            for (i, input) in self.inputs.iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                write_value(input, out)?;
            }
            out.write_char(']')
        };
        let payable =
            |out: &mut dyn fmt::Write| out.write_str(if self.payable { "true" } else { "false" });
        write_object::<Value, _>(
            &mut [
                ("inputs", Part::With(&inputs)),
                ("name", Part::Str(&self.name)),
                ("payable", Part::With(&payable)),
            ],
            out,
        )
    }
}

/// A uint written as a decimal string, as the importer requires.
struct Decimal<'a>(&'a U256);

impl Serialize for Decimal<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// A JSON object whose keys keep the given order.
struct OrderedStrings<'a>(&'a [(String, String)]);

impl Serialize for OrderedStrings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::txbuilder::checksum::check;
    use alloy_primitives::address;
    use serde_json::json;

    fn sample() -> BatchFile {
        let safe = address!("0x9ff471f9f98f42e5151c7855fd1b5aa906b1af7e");
        BatchFile::new(
            137,
            1_717_674_719_187,
            BatchMeta::new("Transactions Batch", safe),
            vec![
                BatchTransaction::raw(
                    address!("0xd692b454255d072b1ace1b624e6ee2bfd939d80f"),
                    U256::from(10u64).pow(U256::from(30u64)),
                    Bytes::from_static(&[0xAB, 0xCD, 0x00]),
                ),
                BatchTransaction {
                    to: safe,
                    value: U256::ZERO,
                    data: None,
                    contract_method: Some(ContractMethod {
                        inputs: vec![
                            json!({"internalType": "address", "name": "owner", "type": "address"}),
                            json!({"internalType": "uint256", "name": "", "type": "uint256"}),
                        ],
                        name: "addOwnerWithThreshold".to_string(),
                        payable: false,
                    }.into()),
                    contract_inputs_values: Some(vec![
                        (
                            "owner".to_string(),
                            "0x49d4450977E2c95362C13D3a31a09311E0Ea26A6".to_string(),
                        ),
                        ("1".to_string(), "2".to_string()),
                    ]),
                },
            ],
        )
    }

    #[test]
    fn written_file_passes_the_ui_check() {
        let batch = sample();
        let text = batch.to_json_string().unwrap();
        let parsed = crate::txbuilder::checksum::parse_json(&text).unwrap();
        let report = check(&parsed).unwrap();
        assert!(report.valid, "{report:?}");
        assert_eq!(report.computed, Some(batch.checksum().unwrap()));
        assert_eq!(parsed, batch.to_json_value().unwrap());
        assert!(check(&batch.to_json_value().unwrap()).unwrap().valid);
    }

    #[test]
    fn written_values_use_the_ui_encodings() {
        let v = sample().to_json_value().unwrap();
        assert_eq!(v["version"], json!("1.0"));
        assert_eq!(v["chainId"], json!("137"));
        assert_eq!(v["createdAt"], json!(1_717_674_719_187u64));
        assert_eq!(v["meta"]["txBuilderVersion"], json!(TX_BUILDER_VERSION));
        assert_eq!(
            v["meta"]["createdFromSafeAddress"],
            json!("0x9ff471F9f98F42E5151C7855fD1b5aa906b1AF7e")
        );
        assert_eq!(v["meta"]["createdFromOwnerAddress"], json!(""));
        let tx = &v["transactions"][0];
        assert_eq!(
            tx["to"],
            json!("0xD692B454255d072B1ACe1b624e6Ee2bFd939D80F")
        );
        assert_eq!(tx["value"], json!("1000000000000000000000000000000"));
        assert_eq!(tx["data"], json!("0xabcd00"));
        assert_eq!(tx["contractMethod"], Value::Null);
        assert_eq!(tx["contractInputsValues"], Value::Null);
        let tx = &v["transactions"][1];
        assert_eq!(tx["data"], Value::Null);
        assert_eq!(tx["contractInputsValues"]["1"], json!("2"));
    }

    #[test]
    fn key_order_is_the_uis() {
        let text = sample().to_json_string().unwrap();
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        let order: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('"'))
            .filter_map(|l| l.split_once("\":").map(|(k, _)| k))
            .collect();
        let expected = [
            "version",
            "chainId",
            "createdAt",
            "meta",
            "name",
            "description",
            "txBuilderVersion",
            "createdFromSafeAddress",
            "createdFromOwnerAddress",
            "checksum",
            "transactions",
            "to",
            "value",
            "data",
            "contractMethod",
            "contractInputsValues",
            "to",
            "value",
            "data",
            "contractMethod",
            "inputs",
            "internalType",
            "name",
            "type",
            "internalType",
            "name",
            "type",
            "name",
            "payable",
            "contractInputsValues",
            "owner",
            "1",
        ];
        assert_eq!(order, expected);
        assert!(text.starts_with("{\n  \"version\": \"1.0\",\n  \"chainId\": \"137\",\n"));
    }

    #[test]
    fn name_is_outside_the_checksum_but_the_rest_is_not() {
        let base = sample();
        let mut renamed = sample();
        renamed.meta.name = "other".to_string();
        assert_eq!(renamed.checksum().unwrap(), base.checksum().unwrap());
        let mut later = sample();
        later.created_at += 1;
        assert_ne!(later.checksum().unwrap(), base.checksum().unwrap());
        let mut described = sample();
        described.meta.description = "why".to_string();
        assert_ne!(described.checksum().unwrap(), base.checksum().unwrap());
    }

    #[test]
    fn streamed_checksum_agrees_with_the_parsed_file_on_odd_text() {
        // The writer hashes its own structs; the import path hashes the
        // parsed file. Escapes, astral characters, UTF-16 key order and a
        // duplicate key (the last one counts) must not tell them apart.
        let mut batch = sample();
        batch.meta.description = "tab\there \"quoted\" \\ \u{1}\u{1F600}\u{ff61}".to_string();
        batch.transactions[1].contract_inputs_values = Some(vec![
            ("\u{ff61}".to_string(), "a\nb".to_string()),
            ("\u{1F600}".to_string(), "2".to_string()),
            ("owner".to_string(), "first".to_string()),
            ("10".to_string(), "ten".to_string()),
            ("owner".to_string(), "last".to_string()),
        ]);
        batch.transactions[0].data = Some(Bytes::from(vec![0x5a; 200]));
        let checksum = batch.checksum().unwrap();
        let mut written = Vec::new();
        batch.write_json(&checksum, &mut written).unwrap();
        let text = String::from_utf8(written).unwrap();
        let parsed = crate::txbuilder::checksum::parse_json(&text).unwrap();
        assert_eq!(
            crate::txbuilder::compute_checksum(&parsed).unwrap(),
            checksum
        );
        assert!(check(&parsed).unwrap().valid);
        assert_eq!(text, batch.to_json_string().unwrap());
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            sample().to_json_string().unwrap(),
            sample().to_json_string().unwrap()
        );
    }
}
