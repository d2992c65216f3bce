//! The Safe versions bundlec knows, and the one place where version rules live.

use std::fmt;
use std::str::FromStr;

/// A released Safe singleton version. `+L2` is kept for display only: SafeL2
/// adds events around `execTransaction` and inherits all hashing unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeVersion {
    release: Release,
    l2: bool,
}

/// The releases, in order. The derived ordering is the release ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Release {
    V0_1_0,
    V1_0_0,
    V1_1_1,
    V1_2_0,
    V1_3_0,
    V1_4_1,
    V1_5_0,
}

impl Release {
    pub const ALL: [Release; 7] = [
        Release::V0_1_0,
        Release::V1_0_0,
        Release::V1_1_1,
        Release::V1_2_0,
        Release::V1_3_0,
        Release::V1_4_1,
        Release::V1_5_0,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Release::V0_1_0 => "0.1.0",
            Release::V1_0_0 => "1.0.0",
            Release::V1_1_1 => "1.1.1",
            Release::V1_2_0 => "1.2.0",
            Release::V1_3_0 => "1.3.0",
            Release::V1_4_1 => "1.4.1",
            Release::V1_5_0 => "1.5.0",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported Safe version `{0}`; supported: {list} (each optionally with `+L2`)", list = supported_list())]
pub struct UnsupportedSafeVersion(pub String);

fn supported_list() -> String {
    Release::ALL.map(Release::as_str).join(", ")
}

impl SafeVersion {
    pub const fn new(release: Release, l2: bool) -> Self {
        SafeVersion { release, l2 }
    }

    pub fn release(self) -> Release {
        self.release
    }

    pub fn is_l2(self) -> bool {
        self.l2
    }

    /// From 1.3.0 the Safe computes its domain separator with `chainid()` on
    /// every call; earlier Safes stored a chain-less one at setup.
    pub fn domain_has_chain_id(self) -> bool {
        self.release >= Release::V1_3_0
    }

    /// 0.1.0 named the SafeTx gas field `dataGas`; 1.0.0 renamed it `baseGas`.
    /// Only the type string (and so the typehash) differs.
    pub fn uses_data_gas(self) -> bool {
        self.release < Release::V1_0_0
    }

    /// From 1.3.0 a Safe transaction may leave `safeTxGas` at 0 (the inner
    /// call then gets all gas); earlier Safes need a limit, which Safe{Wallet}
    /// estimates, so their proposals carry a non-zero value bundlec cannot know.
    pub fn safe_tx_gas_optional(self) -> bool {
        self.release >= Release::V1_3_0
    }

    /// Safe{Wallet} batches Safes below 1.3.0 through the 1.3.0 MultiSend
    /// contracts (protocol-kit's `safeDeploymentsVersions`).
    pub fn deployments_release(self) -> Release {
        self.release.max(Release::V1_3_0)
    }
}

impl FromStr for SafeVersion {
    type Err = UnsupportedSafeVersion;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let (base, l2) = match input.strip_suffix("+L2") {
            Some(base) => (base, true),
            None => (input, false),
        };
        Release::ALL
            .into_iter()
            .find(|release| release.as_str() == base)
            .map(|release| SafeVersion { release, l2 })
            .ok_or_else(|| UnsupportedSafeVersion(input.to_string()))
    }
}

impl fmt::Display for SafeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.release.as_str())?;
        if self.l2 {
            f.write_str("+L2")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_supported_version_with_and_without_l2() {
        for release in Release::ALL {
            let plain: SafeVersion = release.as_str().parse().unwrap();
            assert_eq!(plain.release(), release);
            assert!(!plain.is_l2());
            let l2: SafeVersion = format!("{}+L2", release.as_str()).parse().unwrap();
            assert!(l2.is_l2());
            assert_eq!(l2.to_string(), format!("{}+L2", release.as_str()));
        }
    }

    #[test]
    fn rejects_unknown_versions_and_lists_supported_ones() {
        for bad in [
            "1.4.0", "1.3", "v1.3.0", "1.3.0+l2", "1.3.0-L2", "", "2.0.0",
        ] {
            let err = bad.parse::<SafeVersion>().unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("0.1.0, 1.0.0, 1.1.1, 1.2.0, 1.3.0, 1.4.1, 1.5.0"),
                "{msg}"
            );
        }
    }

    #[test]
    fn version_rules() {
        let v = |s: &str| s.parse::<SafeVersion>().unwrap();
        assert!(v("0.1.0").uses_data_gas());
        assert!(!v("1.0.0").uses_data_gas());
        assert!(!v("1.2.0").domain_has_chain_id());
        assert!(v("1.3.0+L2").domain_has_chain_id());
        assert_eq!(v("1.1.1").deployments_release(), Release::V1_3_0);
        assert_eq!(v("1.4.1").deployments_release(), Release::V1_4_1);
    }
}
