//! Findings: what verify tells a signer, each with a stable code.
//!
//! Errors are failed checks (something does not match what it must match);
//! warnings are dangerous patterns a signer must understand before signing,
//! and become errors under `--strict`. Codes never change meaning: scripts and
//! the error catalogue in docs/ rely on them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Every finding verify can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    // Checks: always errors.
    ChecksumMissing,
    ChecksumMismatch,
    ChainMismatch,
    SafeMismatch,
    CalldataMalformed,
    LabelMismatch,
    ContractMethodUnencodable,
    IntentMismatch,
    ManifestMismatch,
    SafeTxMismatch,
    SafeTxHashMismatch,
    // Dangerous patterns: warnings, errors under --strict.
    UntrustedDelegatecall,
    FullMultiSend,
    SafeConfigChange,
    GasPrice,
    GasToken,
    RefundReceiver,
    NativeValue,
    UnlabelledRecipient,
    LookalikeAddress,
    UnknownTarget,
    UnknownSelector,
    SelectorCollision,
    EncodedByApp,
}

impl Code {
    pub const ALL: [Code; 24] = [
        Code::ChecksumMissing,
        Code::ChecksumMismatch,
        Code::ChainMismatch,
        Code::SafeMismatch,
        Code::CalldataMalformed,
        Code::LabelMismatch,
        Code::ContractMethodUnencodable,
        Code::IntentMismatch,
        Code::ManifestMismatch,
        Code::SafeTxMismatch,
        Code::SafeTxHashMismatch,
        Code::UntrustedDelegatecall,
        Code::FullMultiSend,
        Code::SafeConfigChange,
        Code::GasPrice,
        Code::GasToken,
        Code::RefundReceiver,
        Code::NativeValue,
        Code::UnlabelledRecipient,
        Code::LookalikeAddress,
        Code::UnknownTarget,
        Code::UnknownSelector,
        Code::SelectorCollision,
        Code::EncodedByApp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::ChecksumMissing => "checksum-missing",
            Code::ChecksumMismatch => "checksum-mismatch",
            Code::ChainMismatch => "chain-mismatch",
            Code::SafeMismatch => "safe-mismatch",
            Code::CalldataMalformed => "calldata-malformed",
            Code::LabelMismatch => "label-mismatch",
            Code::ContractMethodUnencodable => "contract-method-unencodable",
            Code::IntentMismatch => "intent-mismatch",
            Code::ManifestMismatch => "manifest-mismatch",
            Code::SafeTxMismatch => "safe-tx-mismatch",
            Code::SafeTxHashMismatch => "safe-tx-hash-mismatch",
            Code::UntrustedDelegatecall => "untrusted-delegatecall",
            Code::FullMultiSend => "full-multisend",
            Code::SafeConfigChange => "safe-config-change",
            Code::GasPrice => "gas-price",
            Code::GasToken => "gas-token",
            Code::RefundReceiver => "refund-receiver",
            Code::NativeValue => "native-value",
            Code::UnlabelledRecipient => "unlabelled-recipient",
            Code::LookalikeAddress => "lookalike-address",
            Code::UnknownTarget => "unknown-target",
            Code::UnknownSelector => "unknown-selector",
            Code::SelectorCollision => "selector-collision",
            Code::EncodedByApp => "encoded-by-app",
        }
    }

    /// A failed check is an error whatever the mode.
    pub fn is_check(self) -> bool {
        self <= Code::SafeTxHashMismatch
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Where in the batch: `batch`, `safe_tx`, or a call path like `tx 3.0.1`
    /// (transaction 3, its first inner call, that call's second).
    pub path: String,
    /// One line a non-developer understands.
    pub message: String,
}

/// Collects findings, deciding severity once.
#[derive(Debug, Default)]
pub struct Findings {
    strict: bool,
    list: Vec<Finding>,
    /// (code, path, message) of every finding, so a batch of 100,000 calls
    /// does not compare each new finding with all earlier ones.
    seen: std::collections::BTreeSet<(Code, String, String)>,
}

impl Findings {
    pub fn new(strict: bool) -> Self {
        Findings {
            strict,
            list: Vec::new(),
            seen: std::collections::BTreeSet::new(),
        }
    }

    pub fn add(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        let severity = if code.is_check() || self.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        let finding = Finding {
            code,
            severity,
            path: path.into(),
            message: message.into(),
        };
        // The same pattern found twice at one place is one finding.
        let key = (finding.code, finding.path.clone(), finding.message.clone());
        if self.seen.insert(key) {
            self.list.push(finding);
        }
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}
