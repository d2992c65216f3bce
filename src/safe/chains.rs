//! Chain names, for a chain given by name where a chain id is taken
//! (`--chain base`, `--chain 8453`).
//!
//! Names are alloy-chains' `NamedChain` names (what cast and foundry accept:
//! `mainnet`, `base`, `arbitrum`, `optimism`, `polygon`, `sepolia`, `zksync`,
//! `gnosis`, `bsc`, `avalanche`, …) plus [`ALIASES`], the one table of names
//! bundlec adds: safe_hashes.sh's network identifiers that alloy-chains
//! does not read. Matching ignores ASCII case. A number is always the chain
//! id it spells, so any chain, named or not, can be given.

use alloy_chains::NamedChain;

/// Names alloy-chains does not know, by the chain id they mean: the network
/// identifiers of safe_hashes.sh (its `--network`) that differ from
/// alloy-chains' names. Lower case; `tests` holds each to a chain of the
/// deployments table and to no other meaning in alloy-chains.
pub const ALIASES: &[(&str, u64)] = &[
    ("ethereum", 1),
    ("gnosis-chiado", 10200),
    ("polygon-zkevm", 1101),
    ("worldchain", 480),
    ("xlayer", 196),
];

/// A chain name that is neither a number, an alloy-chains name nor an alias.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown chain `{name}`{suggestion}: give its chain id as a number instead (e.g. 8453 for Base)"
)]
pub struct UnknownChain {
    pub name: String,
    /// ` (did you mean X?)`, or empty.
    pub suggestion: String,
}

/// The chain id of `text`: a decimal chain id, or a chain name (any case).
pub fn parse_chain(text: &str) -> Result<u64, UnknownChain> {
    let text = text.trim();
    if !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(id) = text.parse::<u64>()
    {
        return Ok(id);
    }
    chain_id_of(text).ok_or_else(|| UnknownChain {
        name: text.to_owned(),
        suggestion: crate::runbook::names::did_you_mean(&text.to_ascii_lowercase(), known_names()),
    })
}

/// The chain id a name means, if it is one (any ASCII case).
pub fn chain_id_of(name: &str) -> Option<u64> {
    let lower = name.to_ascii_lowercase();
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map(|(_, id)| *id)
        .or_else(|| lower.parse::<NamedChain>().ok().map(u64::from))
}

/// Every name [`chain_id_of`] reads as itself: alloy-chains' own name of
/// each chain, then the aliases.
pub fn known_names() -> impl Iterator<Item = &'static str> {
    NamedChain::iter()
        .map(|chain| chain.as_str())
        .chain(ALIASES.iter().map(|(name, _)| *name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_names_and_case() {
        assert_eq!(parse_chain("8453"), Ok(8453));
        assert_eq!(parse_chain("base"), Ok(8453));
        assert_eq!(parse_chain("BASE"), Ok(8453));
        assert_eq!(parse_chain("Ethereum"), Ok(1));
        assert_eq!(parse_chain("mainnet"), Ok(1));
        assert!(parse_chain("99999999999999999999999").is_err());
        assert!(parse_chain("").is_err());
    }

    #[test]
    fn unknown_names_suggest_and_hint_at_the_number() {
        let err = parse_chain("basee").unwrap_err();
        assert!(err.suggestion.contains("base"), "{err}");
        assert!(err.to_string().contains("as a number"), "{err}");
    }
}
