//! Address parsing with the EIP-55 rule every bundlec input obeys.
//!
//! All-lower and all-upper hex carry no checksum and are accepted as they are;
//! mixed case claims a checksum, so it must be a valid EIP-55 checksum. A wrong
//! checksum usually means a mistyped or tampered address, which is exactly what
//! a signer must not accept silently.

use alloy_primitives::Address;

/// Why a string is not an acceptable address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("`{0}` is not an address: expected 0x followed by 40 hex digits")]
    Malformed(String),
    #[error("`{input}` has mixed case but is not a valid EIP-55 checksum (expected {expected})")]
    BadChecksum { input: String, expected: String },
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
    if has_lower && has_upper {
        let expected = address.to_checksum(None);
        if expected[2..] != *digits {
            return Err(AddressError::BadChecksum {
                input: input.to_string(),
                expected,
            });
        }
    }
    Ok(address)
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
            Err(AddressError::BadChecksum { .. })
        ));
        for input in ["", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x123", "0xzz"] {
            assert!(matches!(parse_address(input), Err(AddressError::Malformed(_))), "{input}");
        }
    }
}
