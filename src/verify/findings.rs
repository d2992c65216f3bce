//! Findings: what verify tells a signer, each with a stable code.
//!
//! Three severities, and a verdict that fails closed:
//! - an **error** is a failed check (something does not match what it must);
//! - a **danger** is an effect or pattern that can hand over the Safe, its
//!   funds or its signature. It fails the run unless the intent asked for
//!   exactly that call (`intended`, only for Safe configuration and signature
//!   effects) or the signer accepted it by code and path (`--accept`);
//! - a **notice** is context; it fails only under `--strict`.
//!
//! Codes never change meaning: scripts and docs/errors.md rely on them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::rc::Rc;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Danger,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Danger => "danger",
            Severity::Error => "error",
        }
    }
}

/// What cleared a danger, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Counts toward the verdict as its severity says.
    Open,
    /// The intent compiles to exactly the call that has this effect.
    Intended,
    /// The signer accepted it with `--accept CODE@PATH`.
    Accepted,
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident;)*) => {
        /// Every finding verify can report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The severity this code has unless the place it is found
            /// says otherwise (see [`Findings::add_as`]).
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    // Checks: always errors.
    ChecksumMissing = "checksum-missing", Error;
    ChecksumMismatch = "checksum-mismatch", Error;
    ChainMismatch = "chain-mismatch", Error;
    SafeMismatch = "safe-mismatch", Error;
    CalldataMalformed = "calldata-malformed", Error;
    LabelMismatch = "label-mismatch", Error;
    ContractMethodUnencodable = "contract-method-unencodable", Error;
    IntentMismatch = "intent-mismatch", Error;
    ManifestMismatch = "manifest-mismatch", Error;
    SafeTxMismatch = "safe-tx-mismatch", Error;
    SafeTxHashMismatch = "safe-tx-hash-mismatch", Error;
    AddressBookMismatch = "address-book-mismatch", Error;
    PartMismatch = "part-mismatch", Error;
    // Dangers: fail unless intended (where allowed) or accepted.
    UntrustedDelegatecall = "untrusted-delegatecall", Danger;
    FullMultiSend = "full-multisend", Danger;
    SafeConfigChange = "safe-config-change", Danger;
    SignatureEffect = "signature", Danger;
    GasPrice = "gas-price", Danger;
    GasToken = "gas-token", Danger;
    RefundReceiver = "refund-receiver", Danger;
    SafeTxGasTooLow = "safe-tx-gas-too-low", Danger;
    UnlabelledRecipient = "unlabelled-recipient", Danger;
    ControlRenounced = "control-renounced", Danger;
    LookalikeAddress = "lookalike-address", Danger;
    AmbiguousReading = "ambiguous-reading", Danger;
    SelectorCollision = "selector-collision", Danger;
    UnknownSelector = "unknown-selector", Danger;
    UnknownTarget = "unknown-target", Danger;
    AppEncodingDiffers = "app-encoding-differs", Danger;
    // Notices: context; fail only under --strict.
    NativeValue = "native-value", Notice;
    EncodedByApp = "encoded-by-app", Notice;
    NoReference = "no-reference", Notice;
    Unchecked = "unchecked", Notice;
    BookNotYours = "address-book-not-yours", Notice;
    FlagOverride = "flag-override", Notice;
    SafeTxGasAssumed = "safe-tx-gas-assumed", Notice;
    AcceptUnused = "accept-unused", Notice;
}

impl Code {
    /// A failed check is an error whatever the mode.
    pub fn is_check(self) -> bool {
        self.severity() == Severity::Error
    }

    /// Dangers an intent may clear: the effect is what the runbook asked
    /// for. Address-trust dangers (a lookalike, an unlabelled recipient) are
    /// never among them: the intent may come from the same hands as the batch.
    pub fn intent_may_clear(self) -> bool {
        matches!(self, Code::SafeConfigChange | Code::SignatureEffect)
    }

    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
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
    /// One line a non-developer understands (shared by every finding with
    /// the same text).
    pub message: Rc<str>,
    pub status: Status,
}

impl Finding {
    /// Whether this finding makes the verdict FAILED.
    pub fn blocks(&self, strict: bool) -> bool {
        match self.severity {
            Severity::Error => true,
            Severity::Danger => self.status == Status::Open,
            Severity::Notice => strict && self.status == Status::Open,
        }
    }
}

/// A danger the signer accepts on purpose: `--accept CODE@PATH`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Acceptance {
    pub code: Code,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptanceError {
    #[error("`{0}` is not CODE@PATH (for example `unlabelled-recipient@tx 0`)")]
    Shape(String),
    #[error("`{0}` is not a finding code (see docs/errors.md)")]
    UnknownCode(String),
    #[error("`{0}` is a failed check, which cannot be accepted: only dangers can")]
    NotADanger(String),
}

impl std::str::FromStr for Acceptance {
    type Err = AcceptanceError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (code, path) = text
            .split_once('@')
            .filter(|(c, p)| !c.is_empty() && !p.trim().is_empty())
            .ok_or_else(|| AcceptanceError::Shape(text.to_string()))?;
        let code = Code::parse(code.trim())
            .ok_or_else(|| AcceptanceError::UnknownCode(code.to_string()))?;
        if code.severity() != Severity::Danger {
            return Err(AcceptanceError::NotADanger(code.as_str().to_string()));
        }
        Ok(Acceptance {
            code,
            path: normal_path(path),
        })
    }
}

/// Paths compare without spaces, so `tx 3.0` and `tx3.0` name one call.
fn normal_path(path: &str) -> String {
    path.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Collects findings, deciding severity once.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    list: Vec<Finding>,
    /// The place in `list` of the first finding with each hash of (code,
    /// path, message), so a batch of 100,000 calls does not compare each new
    /// finding with all earlier ones. An equal hash is compared in full, and
    /// when that finding differs (a collision) the whole list is: a collision
    /// cannot drop a finding. Only looked up, never iterated, so the order of
    /// the output does not depend on it.
    seen: HashMap<u64, usize, BuildHasherDefault<DefaultHasher>>,
    /// Every message text once: the calls of a large batch to one unnamed
    /// contract all have the same message. Only looked up, never iterated.
    messages: HashSet<Rc<str>, BuildHasherDefault<DefaultHasher>>,
}

impl Findings {
    pub fn new() -> Self {
        Findings::default()
    }

    pub fn add(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.add_as(code, code.severity(), path, message);
    }

    /// Adds a finding whose severity depends on the context it was found in
    /// (an unknown target is a danger when the signer gave an address book,
    /// and only a notice when nothing could have named it).
    pub fn add_as(
        &mut self,
        code: Code,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        let severity = if code.is_check() {
            Severity::Error
        } else {
            severity
        };
        let message: String = message.into();
        let message = match self.messages.get(message.as_str()) {
            Some(shared) => Rc::clone(shared),
            None => {
                let shared = Rc::<str>::from(message);
                self.messages.insert(Rc::clone(&shared));
                shared
            }
        };
        let finding = Finding {
            code,
            severity,
            path: path.into(),
            message,
            status: Status::Open,
        };
        // The same pattern found twice at one place is one finding.
        let mut hasher = DefaultHasher::new();
        (finding.code, &finding.path, &finding.message).hash(&mut hasher);
        let same = |earlier: &Finding| {
            earlier.code == finding.code
                && earlier.path == finding.path
                && earlier.message == finding.message
        };
        let found = match self.seen.get(&hasher.finish()) {
            None => {
                self.seen.insert(hasher.finish(), self.list.len());
                false
            }
            Some(&at) => self.list.get(at).is_some_and(same) || self.list.iter().any(same),
        };
        if !found {
            self.list.push(finding);
        }
    }

    /// Adds `other`'s findings after these, as found there.
    pub fn extend(&mut self, other: &Findings) {
        for f in &other.list {
            self.add_as(f.code, f.severity, f.path.clone(), &*f.message);
        }
    }

    /// Marks the dangers an intent may clear as intended, for the calls
    /// `is_intended` says the intent compiles to exactly.
    pub fn mark_intended(&mut self, is_intended: impl Fn(&str) -> bool) {
        for finding in &mut self.list {
            if finding.severity == Severity::Danger
                && finding.code.intent_may_clear()
                && is_intended(&finding.path)
            {
                finding.status = Status::Intended;
            }
        }
    }

    /// Applies the signer's acceptances; returns those that matched nothing.
    pub fn accept(&mut self, acceptances: &[Acceptance]) -> Vec<Acceptance> {
        let mut used = vec![false; acceptances.len()];
        for finding in &mut self.list {
            if finding.severity != Severity::Danger || finding.status != Status::Open {
                continue;
            }
            let path = normal_path(&finding.path);
            for (acceptance, used) in acceptances.iter().zip(used.iter_mut()) {
                if acceptance.code == finding.code && acceptance.path == path {
                    finding.status = Status::Accepted;
                    *used = true;
                }
            }
        }
        acceptances
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(a, _)| a.clone())
            .collect()
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}

/// Findings with one cause: the same code, severity, status and message at
/// several places, shown as one line with every path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingGroup<'a> {
    pub first: &'a Finding,
    pub paths: Vec<&'a str>,
}

/// Groups `findings` by cause, in order of first appearance.
pub fn group(findings: &[Finding]) -> Vec<FindingGroup<'_>> {
    let mut index = std::collections::BTreeMap::<(Code, Severity, Status, &str), usize>::new();
    let mut groups: Vec<FindingGroup<'_>> = Vec::new();
    for finding in findings {
        let key = (
            finding.code,
            finding.severity,
            finding.status,
            &*finding.message,
        );
        match index.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some(group) => group.paths.push(&finding.path),
            None => {
                index.insert(key, groups.len());
                groups.push(FindingGroup {
                    first: finding,
                    paths: vec![&finding.path],
                });
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calls of a large batch that share a message share its text.
    #[test]
    fn a_message_is_kept_once() {
        let mut findings = Findings::new();
        for call in 0..3 {
            findings.add(Code::UnknownTarget, format!("tx {call}"), "no name");
        }
        findings.add(Code::UnknownTarget, "tx 3", "another");
        let list = findings.into_vec();
        assert_eq!(list.len(), 4);
        assert!(Rc::ptr_eq(&list[0].message, &list[2].message));
        assert_eq!(&*list[3].message, "another");
    }

    /// A finding repeated at one place is kept once; one that differs in
    /// code, path or message is its own finding, in the order found.
    #[test]
    fn repeats_collapse_and_differences_stay() {
        let mut findings = Findings::new();
        let adds = [
            (Code::UnknownTarget, "tx 0", "a"),
            (Code::UnknownTarget, "tx 0", "a"),
            (Code::UnknownTarget, "tx 1", "a"),
            (Code::UnknownTarget, "tx 0", "b"),
            (Code::LabelMismatch, "tx 0", "a"),
            (Code::UnknownTarget, "tx 1", "a"),
        ];
        for (code, path, message) in adds {
            findings.add(code, path, message);
        }
        let kept: Vec<(Code, String, String)> = findings
            .into_vec()
            .into_iter()
            .map(|f| (f.code, f.path, f.message.to_string()))
            .collect();
        let expected = [
            (Code::UnknownTarget, "tx 0", "a"),
            (Code::UnknownTarget, "tx 1", "a"),
            (Code::UnknownTarget, "tx 0", "b"),
            (Code::LabelMismatch, "tx 0", "a"),
        ]
        .map(|(c, p, m)| (c, p.to_string(), m.to_string()));
        assert_eq!(kept, expected);
    }

    #[test]
    fn acceptances_parse_and_refuse_checks() {
        let a: Acceptance = "unlabelled-recipient@tx 0.1".parse().unwrap();
        assert_eq!(a.code, Code::UnlabelledRecipient);
        assert_eq!(a.path, "tx0.1");
        assert!(matches!(
            "intent-mismatch@tx 0".parse::<Acceptance>(),
            Err(AcceptanceError::NotADanger(_))
        ));
        assert!(matches!(
            "no-such@tx 0".parse::<Acceptance>(),
            Err(AcceptanceError::UnknownCode(_))
        ));
        assert!(matches!(
            "signature".parse::<Acceptance>(),
            Err(AcceptanceError::Shape(_))
        ));
    }

    #[test]
    fn codes_are_unique() {
        let mut texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), Code::ALL.len());
    }
}
