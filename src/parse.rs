//! The text forms of Ethereum values that every bundlec input shares:
//! addresses, unsigned integers and hex bytes.
//!
//! Addresses: all-lower and all-upper hex carry no checksum and are accepted as they are;
//! mixed case claims a checksum, so it must be a valid EIP-55 checksum. A wrong
//! checksum usually means a mistyped or tampered address, which is exactly what
//! a signer must not accept silently.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use alloy_primitives::{Address, Bytes, U256, hex};

/// Why a string is not an acceptable address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("`{0}` is not an address: expected 0x followed by 40 hex digits")]
    Malformed(String),
    // The correct checksum is deliberately not printed: a signer should go back
    // to the source of the address, not copy a "fixed" one from an error.
    #[error("`{0}` has mixed case but is not a valid EIP-55 checksum: check it against its source")]
    BadChecksum(String),
}

/// Parses `0x` + 40 hex digits, enforcing EIP-55 when the digits are mixed case.
pub fn parse_address(input: &str) -> Result<Address, AddressError> {
    let malformed = || AddressError::Malformed(input.to_string());
    let digits = input
        .strip_prefix("0x")
        .or_else(|| input.strip_prefix("0X"))
        .ok_or_else(malformed)?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed());
    }
    let address: Address = digits.parse().map_err(|_| malformed())?;
    let has_lower = digits.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = digits.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper && address.to_checksum(None)[2..] != *digits {
        return Err(AddressError::BadChecksum(input.to_string()));
    }
    Ok(address)
}

/// Why a string is not an acceptable unsigned integer or hex byte string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("`{input}` is not a uint{bits}: expected a decimal number or 0x-prefixed hex")]
    NotUint { input: String, bits: usize },
    #[error("`{input}` does not fit in a uint{bits}")]
    Overflow { input: String, bits: usize },
    #[error("`{0}` is not hex bytes: expected 0x followed by an even number of hex digits")]
    NotHex(String),
}

/// Parses a uint256 written in decimal or as 0x-prefixed hex.
pub fn parse_uint256(input: &str) -> Result<U256, NumberError> {
    parse_uint(input, 256)
}

/// Parses an unsigned integer of `bits` bits (8..=256) written in decimal or
/// as 0x-prefixed hex. Signs, spaces, underscores and exponents are refused:
/// an operator's typo must not become a different amount.
pub fn parse_uint(input: &str, bits: usize) -> Result<U256, NumberError> {
    let not_uint = || NumberError::NotUint {
        input: input.to_string(),
        bits,
    };
    let (digits, radix) = match input
        .strip_prefix("0x")
        .or_else(|| input.strip_prefix("0X"))
    {
        Some(hex_digits) => (hex_digits, 16),
        None => (input, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(not_uint());
    }
    let value = U256::from_str_radix(digits, radix as u64).map_err(|_| NumberError::Overflow {
        input: input.to_string(),
        bits,
    })?;
    if bits < 256 && value.bit_len() > bits {
        return Err(NumberError::Overflow {
            input: input.to_string(),
            bits,
        });
    }
    Ok(value)
}

/// Parses `0x`-prefixed hex bytes (`0x` alone is empty), either case.
pub fn parse_hex_bytes(input: &str) -> Result<Bytes, NumberError> {
    let digits = input
        .strip_prefix("0x")
        .or_else(|| input.strip_prefix("0X"))
        .ok_or_else(|| NumberError::NotHex(input.to_string()))?;
    hex::decode(digits)
        .map(Bytes::from)
        .map_err(|_| NumberError::NotHex(input.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKSUMMED: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    #[test]
    fn accepts_checksummed_lower_and_upper() {
        let a = parse_address(CHECKSUMMED).unwrap();
        assert_eq!(parse_address(&CHECKSUMMED.to_lowercase()).unwrap(), a);
        let upper = format!("0x{}", CHECKSUMMED[2..].to_uppercase());
        assert_eq!(parse_address(&upper).unwrap(), a);
    }

    #[test]
    fn rejects_bad_checksum_and_malformed() {
        let bad = CHECKSUMMED.replace("aA", "Aa");
        assert!(matches!(
            parse_address(&bad),
            Err(AddressError::BadChecksum(_))
        ));
        for input in [
            "",
            "0x",
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x123",
            "0xzz",
        ] {
            assert!(
                matches!(parse_address(input), Err(AddressError::Malformed(_))),
                "{input}"
            );
        }
    }

    #[test]
    fn uints_in_decimal_and_hex_with_range_checks() {
        assert_eq!(parse_uint256("0").unwrap(), U256::ZERO);
        assert_eq!(parse_uint256("0x2a").unwrap(), U256::from(42));
        assert_eq!(parse_uint256("42").unwrap(), U256::from(42));
        assert_eq!(parse_uint("255", 8).unwrap(), U256::from(255));
        assert!(matches!(
            parse_uint("256", 8),
            Err(NumberError::Overflow { .. })
        ));
        let max = U256::MAX.to_string();
        assert_eq!(parse_uint256(&max).unwrap(), U256::MAX);
        assert!(matches!(
            parse_uint256(&format!("{max}0")),
            Err(NumberError::Overflow { .. })
        ));
        for bad in ["", "0x", "-1", "+1", "1e3", "1_000", " 1", "0xg", "1.5"] {
            assert!(
                matches!(parse_uint256(bad), Err(NumberError::NotUint { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn hex_bytes() {
        assert_eq!(parse_hex_bytes("0x").unwrap().len(), 0);
        assert_eq!(parse_hex_bytes("0xABcd").unwrap().as_ref(), &[0xab, 0xcd]);
        for bad in ["", "ab", "0xabc", "0xzz"] {
            assert!(parse_hex_bytes(bad).is_err(), "{bad}");
        }
    }
}
