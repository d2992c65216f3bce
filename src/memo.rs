//! Values that cost a Keccak-256 each, computed once per distinct input.
//!
//! A batch of thousands of calls names the same few addresses and calls the
//! same few functions again and again (a refund batch sends every call to
//! one forwarder, with one method). The EIP-55 spelling of an address and
//! the selector of a signature are each a hash; these caches keep them for
//! as long as one batch is being read or reported.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use alloy_primitives::{Address, keccak256};

/// The EIP-55 spelling of every address asked for so far.
#[derive(Debug, Default)]
pub struct Eip55 {
    spelled: RefCell<BTreeMap<Address, Rc<str>>>,
}

impl Eip55 {
    pub fn new() -> Self {
        Self::default()
    }

    /// `address` as `0x` and 40 mixed-case hex digits.
    pub fn of(&self, address: Address) -> Rc<str> {
        // The map is borrowed only here and in `with`, never across a call
        // out, so the borrow cannot fail; were it ever to, the spelling is
        // computed anew.
        let Ok(mut spelled) = self.spelled.try_borrow_mut() else {
            return address.to_checksum(None).into();
        };
        Rc::clone(
            spelled
                .entry(address)
                .or_insert_with(|| address.to_checksum(None).into()),
        )
    }

    /// `f` applied to the spelling of `address`, without a reference count.
    pub fn with<R>(&self, address: Address, f: impl FnOnce(&str) -> R) -> R {
        f(&self.of(address))
    }
}

/// The selector (first four bytes of the Keccak-256) of every signature text
/// asked for so far.
#[derive(Debug, Default)]
pub struct Selectors {
    hashed: RefCell<BTreeMap<String, [u8; 4]>>,
}

impl Selectors {
    pub fn new() -> Self {
        Self::default()
    }

    /// The first four bytes of `keccak256(signature)`.
    pub fn of(&self, signature: &str) -> [u8; 4] {
        let hash = || {
            let [a, b, c, d, ..] = keccak256(signature.as_bytes()).0;
            [a, b, c, d]
        };
        // Borrowed only here, never across a call out (see `Eip55::of`).
        let Ok(mut hashed) = self.hashed.try_borrow_mut() else {
            return hash();
        };
        if let Some(selector) = hashed.get(signature) {
            return *selector;
        }
        let selector = hash();
        hashed.insert(signature.to_owned(), selector);
        selector
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_as_alloy_and_once() {
        let eip55 = Eip55::new();
        let address = Address::repeat_byte(0xab);
        let first = eip55.of(address);
        assert_eq!(&*first, address.to_checksum(None));
        assert!(Rc::ptr_eq(&first, &eip55.of(address)));
    }

    #[test]
    fn selectors_are_the_hash_prefix() {
        let selectors = Selectors::new();
        // transfer(address,uint256), the best-known selector.
        assert_eq!(
            selectors.of("transfer(address,uint256)"),
            [0xa9, 0x05, 0x9c, 0xbb]
        );
        assert_eq!(
            selectors.of("transfer(address,uint256)"),
            [0xa9, 0x05, 0x9c, 0xbb]
        );
        assert_eq!(selectors.of("pause()"), [0x84, 0x56, 0xcb, 0x59]);
    }
}
