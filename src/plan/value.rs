//! How a summary names the native value a call sends.
//!
//! Every call that sends a non-zero value says so in its summary, exactly and
//! always in the same form: the amount in the chain's native coin, as a
//! decimal with no rounding and no trailing zeros, then the amount in wei.
//!
//! - on a chain whose native coin is ether ([`ETHER_CHAINS`]):
//!   `sends 1000 ETH (1000000000000000000000 wei)`, `sends 0.000000000000000001 ETH (1 wei)`;
//! - on any other chain, where bundlec does not know the coin's name:
//!   `sends 1000 native coin at 18 decimals (1000000000000000000000 wei)`.
//!
//! A call without value has nothing added.

use alloy_primitives::U256;

/// Chains whose native coin is ether (18 decimals): Ethereum, OP Mainnet,
/// Arbitrum One, Base, zkSync Era, Linea, Scroll, and the Sepolia and Holesky
/// test networks.
pub const ETHER_CHAINS: [u64; 9] = [1, 10, 42161, 8453, 324, 59144, 534352, 11155111, 17000];

/// `value` with 18 decimals, exact: `1000`, `1.5`, `0.000000000000000001`.
fn decimal_18(value: U256) -> String {
    // At least 19 digits, so the integer part is never empty.
    let digits = format!("{:0>19}", value.to_string());
    let Some((int, frac)) = digits.split_at_checked(digits.len().saturating_sub(18)) else {
        return digits;
    };
    match frac.trim_end_matches('0') {
        "" => int.to_owned(),
        frac => format!("{int}.{frac}"),
    }
}

/// What a summary appends for `value` sent on `chain_id`: `None` for zero.
pub fn sends(value: U256, chain_id: u64) -> Option<String> {
    if value.is_zero() {
        return None;
    }
    let unit = if ETHER_CHAINS.contains(&chain_id) {
        "ETH"
    } else {
        "native coin at 18 decimals"
    };
    Some(format!("sends {} {unit} ({value} wei)", decimal_18(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_in_coin_and_wei() {
        let eth = U256::from(10u64).pow(U256::from(18u64));
        assert_eq!(sends(U256::ZERO, 1), None);
        assert_eq!(
            sends(eth * U256::from(1000u64), 1).unwrap(),
            "sends 1000 ETH (1000000000000000000000 wei)"
        );
        assert_eq!(
            sends(U256::from(1u64), 1).unwrap(),
            "sends 0.000000000000000001 ETH (1 wei)"
        );
        assert_eq!(
            sends(eth + eth / U256::from(2u64), 8453).unwrap(),
            "sends 1.5 ETH (1500000000000000000 wei)"
        );
        assert_eq!(
            sends(eth, 137).unwrap(),
            "sends 1 native coin at 18 decimals (1000000000000000000 wei)"
        );
        assert_eq!(
            sends(U256::MAX, 1).unwrap(),
            format!(
                "sends 115792089237316195423570985008687907853269984665640564039457.584007913129639935 ETH ({} wei)",
                U256::MAX
            )
        );
    }
}
