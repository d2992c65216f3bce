//! The manifest `<stem>.safe.json`: what was built from what, and what each
//! signer must see on their hardware wallet.
//!
//! The schema (every key always present, in this order; numbers as decimal
//! strings; hashes and data as `0x` lower-case hex; addresses EIP-55):
//!
//! ```text
//! {
//!   "bundlec_version": "0.1.0",
//!   "bundle": { "name", "description", "created_at" },
//!   "inputs": [ { "role", "name", ["contract",] "keccak256" }, … ],
//!   "chain_id": "1",
//!   "safe": "0x…",                 the Safe that runs the main batches
//!   "safe_version": "1.4.1",
//!   "layout": "system-pause",
//!   "batches": [ {
//!       "file": "pause.json",      beside the manifest
//!       "kind": "main" | "accept",
//!       "safe", "safe_version",    the Safe that proposes this batch
//!       "batch_checksum": "0x…",   the batch's meta.checksum
//!       "estimated_gas": "412345", an upper bound on the Safe transaction's gas (build::gas)
//!       "calls": [ { "summary",
//!                    "text": [ <lines of `bundlec decode`> ],
//!                    "decoded": <the call tree as `bundlec decode --json`> } ],
//!       "safe_tx": { "to", "value", "data", "operation", "safe_tx_gas", "base_gas",
//!                    "gas_price", "gas_token", "refund_receiver", "nonce",
//!                    "domain_hash", "message_hash", "safe_tx_hash" },
//!       "presigned": [ { "nonce", "domain_hash", "message_hash", "safe_tx_hash",
//!                        "typed_data", "proposal" }, … ]
//!                                  only with `[safe] nonce = "a..b"`: `safe_tx` is
//!                                  the first nonce's, and each entry is the same
//!                                  transaction at one nonce of the range, with the
//!                                  names of its typed-data and proposal files
//!   } ],
//!   "signers_after": null | { "owners": [ "0x…" ], "threshold": "2" }
//! }
//! ```
//!
//! `inputs` lists the intent file (its file name), the deployment file (as
//! the intent names it; absent when inline), then, by contract name, every
//! ABI a listed call was decoded with and every ABI file of the address book
//! (an override that no call uses is listed too): `abi` for a file named in the deployment
//! (its path from the intent file's directory), `abi-dir` for a file from
//! `--abi-dir` (its file name), `embedded-abi` for one compiled into bundlec
//! (`abis/<Name>.json` in bundlec's sources). `safe_tx` is the transaction
//! Safe{Wallet} proposes for the batch: its one call as is, or several through
//! MultiSendCallOnly with DELEGATECALL; its hashes are what `bundlec hash`
//! prints for it.

use std::rc::Rc;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::address_book::AddressBook;
use crate::decode::CallNode;
use crate::decode::render::{self, TreeJson};
use crate::memo::Eip55;
use crate::safe::view::SafeTxView;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub bundlec_version: String,
    pub bundle: BundleView,
    pub inputs: Vec<InputView>,
    pub chain_id: String,
    pub safe: String,
    pub safe_version: String,
    pub layout: String,
    pub batches: Vec<BatchView>,
    pub signers_after: Option<SignersView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleView {
    pub name: String,
    pub description: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputView {
    /// `intent`, `deployment`, `abi`, `abi-dir` or `embedded-abi`.
    pub role: String,
    pub name: String,
    /// For ABIs: the contract name the ABI is registered under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    pub keccak256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchView {
    pub file: String,
    pub kind: String,
    pub safe: String,
    pub safe_version: String,
    pub batch_checksum: String,
    /// The Safe transaction's estimated gas (`build::gas`), as a decimal string.
    pub estimated_gas: String,
    pub calls: Vec<CallView>,
    pub safe_tx: SafeTxView,
    /// `[safe] nonce = "a..b"`: the same Safe transaction at every nonce of
    /// the range (absent otherwise, so manifests without a range keep their bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presigned: Option<Vec<PresignedView>>,
}

/// One nonce of a pre-signed range: `safe_tx` with this nonce, its hashes and
/// the files written for it beside the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresignedView {
    pub nonce: String,
    pub domain_hash: String,
    pub message_hash: String,
    pub safe_tx_hash: String,
    /// `<stem>.nonce-<n>.typed.json`
    pub typed_data: String,
    /// `<stem>.nonce-<n>.proposal.json`
    pub proposal: String,
}

/// One call of a batch: `{ "summary", "text", "decoded" }`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallView {
    /// The planner's one-line account of the call (shared with the plan).
    pub summary: Rc<str>,
    /// `text` (the decoded call as `bundlec decode` prints it, one line a
    /// call) and `decoded` (as `bundlec decode --json` shows it, with names
    /// from the deployment's address book).
    pub shown: ShownCall,
}

/// A call's `text` and `decoded` entries. Build keeps the call tree and
/// renders both from it straight into the manifest as it is written
/// (`decode::render::tree_text_with` and `decode::render::TreeJson`, the same
/// bytes as `bundlec decode`) rather than holding their text or a JSON value
/// for every call; a manifest read back from its file holds what it says.
// Every call of a built manifest is a `Tree`, held in its batch's one list of
// calls; the rare `Read` is the one boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ShownCall {
    Tree {
        /// Held in the batch's list of calls, not boxed one by one: a
        /// refund batch has thousands.
        tree: CallNode,
        /// The batch's address book, shared by its calls.
        book: Rc<AddressBook>,
        /// EIP-55 strings, shared by the batch's calls.
        eip55: Rc<Eip55>,
    },
    Read(Box<ReadCall>),
}

/// A call's `text` and `decoded` as a manifest file gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCall {
    pub text: Vec<String>,
    pub decoded: Value,
}

impl ShownCall {
    /// The `text` entry's lines.
    pub fn text(&self) -> Vec<String> {
        match self {
            ShownCall::Tree { tree, book, eip55 } => render::tree_text_with(tree, book, eip55)
                .lines()
                .map(str::to_owned)
                .collect(),
            ShownCall::Read(read) => read.text.clone(),
        }
    }

    /// The `decoded` entry as a JSON value.
    pub fn decoded(&self) -> Value {
        match self {
            ShownCall::Tree { tree, book, eip55 } => serde_json::to_value(TreeJson {
                node: tree,
                book,
                eip55,
            })
            // Every key of the tree is a string, the one thing `to_value` checks.
            .unwrap_or(Value::Null),
            ShownCall::Read(read) => read.decoded.clone(),
        }
    }
}

impl PartialEq for ShownCall {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ShownCall::Read(read), ShownCall::Read(other)) => read == other,
            _ => self.text() == other.text() && self.decoded() == other.decoded(),
        }
    }
}

impl Serialize for CallView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut call = serializer.serialize_struct("CallView", 3)?;
        call.serialize_field("summary", &self.summary)?;
        match &self.shown {
            ShownCall::Tree { tree, book, eip55 } => {
                let text = render::tree_text_with(tree, book, eip55);
                call.serialize_field("text", &Lines(&text))?;
                call.serialize_field(
                    "decoded",
                    &TreeJson {
                        node: tree,
                        book,
                        eip55,
                    },
                )?;
            }
            ShownCall::Read(read) => {
                call.serialize_field("text", &read.text)?;
                call.serialize_field("decoded", &read.decoded)?;
            }
        }
        call.end()
    }
}

/// A text as the JSON array of its lines (`str::lines`).
struct Lines<'a>(&'a str);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.lines())
    }
}

impl<'de> Deserialize<'de> for CallView {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Read {
            summary: Rc<str>,
            text: Vec<String>,
            decoded: Value,
        }
        let Read {
            summary,
            text,
            decoded,
        } = Read::deserialize(deserializer)?;
        Ok(CallView {
            summary,
            shown: ShownCall::Read(Box::new(ReadCall { text, decoded })),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignersView {
    pub owners: Vec<String>,
    pub threshold: String,
}

impl Manifest {
    /// Writes the file content into `sink`: two-space pretty JSON ending in
    /// a newline. serde_json makes many small writes: `sink` should buffer.
    ///
    /// The manifest holds only strings, lists and JSON values, so serde_json
    /// has no reason to fail but the sink's; the error is returned rather than
    /// unwrapped so that writing has no panic path.
    pub fn write_json<W: std::io::Write>(&self, mut sink: W) -> Result<(), serde_json::Error> {
        crate::pretty::to_writer(&mut sink, self)?;
        sink.write_all(b"\n").map_err(serde_json::Error::io)
    }

    /// A manifest as [`Manifest::write_json`] wrote it (for `bundlec review`
    /// and `archive`, which read the one the build makes in memory).
    pub fn from_json_str(text: &str) -> Result<Manifest, serde_json::Error> {
        serde_json::from_str(text)
    }
}
