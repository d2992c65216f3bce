//! `rotate-signers`: owner and threshold changes on the Safe itself.
//!
//! The Safe keeps its owners in a singly linked list that starts at the
//! sentinel `0x…01`; `getOwners()` returns it in list order. Every
//! `swapOwner` / `removeOwner` names the owner's predecessor (`prevOwner`):
//! the previous entry of the list as it is *at that call*, or the sentinel
//! for the head. `addOwnerWithThreshold` inserts at the head. This module
//! simulates the list through the calls it plans, so each `prevOwner` is right
//! for the list the earlier calls of the batch leave behind.
//!
//! Order within one intent: every swap, then every add, then every remove
//! (each group in the order written), then `changeThreshold` if still needed.
//! Swaps do not change the owner count; adding before removing keeps the count
//! as high as possible while the threshold moves, so the threshold never has to
//! drop below the smaller of the old and the new one on the way.
//!
//! Threshold rule: with `T` the intent's final threshold (the current one when
//! omitted), every add and remove passes `min(T, owners after the call)`.
//! That is always valid (`1 <= t <= owners`, which the Safe checks as GS201 /
//! GS202), and the last add or remove passes exactly `T`, because `T` may not
//! exceed the final owner count. `changeThreshold(T)` is emitted only when no
//! add or remove ran and `T` differs from the current threshold.

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, U256};

use super::planner::Planner;
use super::profile::FunctionGas;
use super::{PlannedCall, SignerChange, Step};
use crate::build::gas::evm::{CODE, COLD_SLOAD, LOG, SSTORE_SET};
use crate::runbook::{InputError, Located, Location};

/// The head marker of the Safe's owner list (`SENTINEL_OWNERS`).
pub const SENTINEL: Address = Address::with_last_byte(1);

/// One owner-management call on the Safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerCall {
    /// `swapOwner(prevOwner, oldOwner, newOwner)`
    Swap {
        prev: Address,
        old: Address,
        new: Address,
    },
    /// `addOwnerWithThreshold(owner, _threshold)`
    Add { owner: Address, threshold: u64 },
    /// `removeOwner(prevOwner, owner, _threshold)`
    Remove {
        prev: Address,
        owner: Address,
        threshold: u64,
    },
    /// `changeThreshold(_threshold)`
    ChangeThreshold { threshold: u64 },
}

/// What one `rotate-signers` intent asks for, with addresses already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChanges {
    /// `(old, new)` pairs.
    pub swap: Vec<(Located<Address>, Located<Address>)>,
    pub add: Vec<Located<Address>>,
    pub remove: Vec<Located<Address>>,
    pub threshold: Option<Located<u64>>,
    /// The intent, blamed for problems no single value causes.
    pub at: Location,
}

/// Plans the calls that take the Safe from `current` to what `changes` asks,
/// and returns them with the resulting owners and threshold.
///
/// `safe` is the Safe's own address (it may not own itself); `name` shows an
/// address in messages.
pub fn owner_calls(
    current: &SignerChange,
    changes: &OwnerChanges,
    safe: Address,
    name: &dyn Fn(Address) -> String,
) -> Result<(Vec<OwnerCall>, SignerChange), InputError> {
    let mut owners = current.owners.clone();
    let list = |owners: &[Address]| {
        owners
            .iter()
            .map(|&a| name(a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The owner before `index` in the linked list: the sentinel for the head.
    let prev_of = |owners: &[Address], index: usize| {
        owners
            .get(..index)
            .and_then(<[Address]>::last)
            .copied()
            .unwrap_or(SENTINEL)
    };
    let check_new = |owners: &[Address], new: &Located<Address>| -> Result<(), InputError> {
        let a = new.value;
        let problem = if a == Address::ZERO {
            Some("the zero address cannot be an owner".to_owned())
        } else if a == SENTINEL {
            Some(format!(
                "{a} is the sentinel that marks the head of the Safe's owner list; it cannot be an owner"
            ))
        } else if a == safe {
            Some(format!(
                "{a} is the Safe itself, which cannot be its own owner"
            ))
        } else if owners.contains(&a) {
            Some(format!(
                "{} is already an owner at this point (owners: {})",
                name(a),
                list(owners)
            ))
        } else {
            None
        };
        match problem {
            Some(message) => Err(InputError::new(new.at.clone(), message)),
            None => Ok(()),
        }
    };
    let find =
        |owners: &[Address], who: &Located<Address>, role: &str| -> Result<usize, InputError> {
            owners.iter().position(|&o| o == who.value).ok_or_else(|| {
                InputError::new(
                    who.at.clone(),
                    format!(
                        "{} is not an owner at this point, so it cannot be {role} (owners: {})",
                        name(who.value),
                        list(owners)
                    ),
                )
            })
        };

    // The list operations, with the owner count after each add / remove;
    // thresholds are filled in once the final count is known.
    enum Op {
        Swap(Address, Address, Address),
        Add(Address, usize),
        Remove(Address, Address, usize),
    }
    let mut ops = Vec::new();
    for (old, new) in &changes.swap {
        let index = find(&owners, old, "swapped out")?;
        check_new(&owners, new)?;
        ops.push(Op::Swap(prev_of(&owners, index), old.value, new.value));
        for owner in owners.iter_mut().filter(|o| **o == old.value) {
            *owner = new.value;
        }
    }
    for owner in &changes.add {
        check_new(&owners, owner)?;
        owners.insert(0, owner.value);
        ops.push(Op::Add(owner.value, owners.len()));
    }
    for owner in &changes.remove {
        let index = find(&owners, owner, "removed")?;
        if owners.len() == 1 {
            return Err(InputError::new(
                owner.at.clone(),
                format!(
                    "removing {} would leave the Safe with no owners; keep at least one",
                    name(owner.value)
                ),
            ));
        }
        let prev = prev_of(&owners, index);
        owners.retain(|o| *o != owner.value);
        ops.push(Op::Remove(prev, owner.value, owners.len()));
    }

    let count = owners.len() as u64;
    let threshold = match &changes.threshold {
        Some(t) if t.value == 0 => {
            return Err(InputError::new(
                t.at.clone(),
                "threshold 0 is out of range: a Safe needs at least one signature",
            ));
        }
        Some(t) if t.value > count => {
            return Err(InputError::new(
                t.at.clone(),
                format!(
                    "threshold {} is out of range: the Safe will have {count} owner{} ({})",
                    t.value,
                    if count == 1 { "" } else { "s" },
                    list(&owners)
                ),
            ));
        }
        Some(t) => t.value,
        None if current.threshold > count => {
            return Err(InputError::new(
                changes.at.clone(),
                format!(
                    "the current threshold {} exceeds the {count} owner{} left after this change: set `threshold`",
                    current.threshold,
                    if count == 1 { "" } else { "s" }
                ),
            ));
        }
        None => current.threshold,
    };

    let at_most = |n: usize| threshold.min(n as u64);
    let mut calls: Vec<OwnerCall> = ops
        .into_iter()
        .map(|op| match op {
            Op::Swap(prev, old, new) => OwnerCall::Swap { prev, old, new },
            Op::Add(owner, n) => OwnerCall::Add {
                owner,
                threshold: at_most(n),
            },
            Op::Remove(prev, owner, n) => OwnerCall::Remove {
                prev,
                owner,
                threshold: at_most(n),
            },
        })
        .collect();
    let sets_threshold = calls
        .iter()
        .any(|c| matches!(c, OwnerCall::Add { .. } | OwnerCall::Remove { .. }));
    if !sets_threshold && threshold != current.threshold {
        calls.push(OwnerCall::ChangeThreshold { threshold });
    }
    if calls.is_empty() {
        return Err(InputError::new(
            changes.at.clone(),
            format!(
                "this rotate-signers intent changes nothing: the threshold is already {threshold}"
            ),
        ));
    }
    Ok((calls, SignerChange { owners, threshold }))
}

impl Planner<'_> {
    pub(super) fn rotate_signers(
        &mut self,
        swap: &[(Located<String>, Located<String>)],
        add: &[Located<String>],
        remove: &[Located<String>],
        threshold: Option<&Located<u64>>,
        intent_at: &Location,
    ) -> Result<(), InputError> {
        let current = match &self.signers {
            Some(signers) => signers.clone(),
            None => self.initial_signers(intent_at)?,
        };
        let mut changes = OwnerChanges {
            swap: Vec::with_capacity(swap.len()),
            add: Vec::with_capacity(add.len()),
            remove: Vec::with_capacity(remove.len()),
            threshold: threshold.cloned(),
            at: intent_at.clone(),
        };
        for (old, new) in swap {
            changes
                .swap
                .push((self.signer(old, false)?, self.signer(new, true)?));
        }
        for owner in add {
            changes.add.push(self.signer(owner, true)?);
        }
        for owner in remove {
            changes.remove.push(self.signer(owner, false)?);
        }
        let (calls, after) =
            owner_calls(&current, &changes, self.safe(), &|a| self.address_name(a))?;
        for call in calls {
            let planned = self.safe_owner_call(&call, intent_at)?;
            self.steps.push(Step::Call(planned));
        }
        self.signers = Some(after);
        Ok(())
    }

    /// `[safe] owners` and `threshold`, which rotating signers starts from.
    fn initial_signers(&self, intent_at: &Location) -> Result<SignerChange, InputError> {
        let safe = &self.runbook.safe;
        if safe.owners.is_empty() {
            return Err(InputError::new(
                intent_at.clone(),
                "rotate-signers needs the Safe's current owners: set `owners` in [safe], in getOwners() order",
            ));
        }
        let Some(written) = &safe.threshold else {
            return Err(InputError::new(
                intent_at.clone(),
                "rotate-signers needs the Safe's current threshold: set `threshold` in [safe]",
            ));
        };
        let threshold = written.value;
        let count = safe.owners.len() as u64;
        if threshold == 0 || threshold > count {
            return Err(InputError::new(
                written.at.clone(),
                format!("[safe] threshold {threshold} is out of range for its {count} owners"),
            ));
        }
        for owner in &safe.owners {
            if owner.value == Address::ZERO
                || owner.value == SENTINEL
                || owner.value == safe.address
            {
                return Err(InputError::new(
                    owner.at.clone(),
                    format!("{} cannot be an owner of the Safe", owner.value),
                ));
            }
        }
        Ok(SignerChange {
            owners: safe.owners.iter().map(|o| o.value).collect(),
            threshold,
        })
    }

    /// A signer written as a label or an address.
    fn signer(&self, text: &Located<String>, new: bool) -> Result<Located<Address>, InputError> {
        let written = text.value.trim();
        let address = match self.literal_address(written, &text.at)? {
            Some(address) => address,
            None => match self.deployment.labels.get(written) {
                Some(label) => label.value,
                None => {
                    return Err(self.unknown_name(
                        "",
                        written,
                        &text.at,
                        " is neither a label of the deployment nor an address".to_owned(),
                    ));
                }
            },
        };
        if new && let Some(contract) = self.deployment.contract_at(address) {
            return Err(InputError::new(
                text.at.clone(),
                format!("{address} is the deployment's {contract} contract, not a signer"),
            ));
        }
        Ok(Located::new(address, text.at.clone()))
    }

    fn safe_owner_call(&self, call: &OwnerCall, at: &Location) -> Result<PlannedCall, InputError> {
        let name = |a: Address| {
            if a == SENTINEL {
                "SENTINEL".to_owned()
            } else {
                self.address_name(a)
            }
        };
        let addr = DynSolValue::Address;
        let uint = |n: u64| DynSolValue::Uint(U256::from(n), 256);
        let (function, args, summary) = match *call {
            OwnerCall::Swap { prev, old, new } => (
                "swapOwner",
                vec![addr(prev), addr(old), addr(new)],
                format!(
                    "Safe.swapOwner: {} → {} (prevOwner {})",
                    name(old),
                    name(new),
                    name(prev)
                ),
            ),
            OwnerCall::Add { owner, threshold } => (
                "addOwnerWithThreshold",
                vec![addr(owner), uint(threshold)],
                format!("Safe.addOwnerWithThreshold({}, {threshold})", name(owner)),
            ),
            OwnerCall::Remove {
                prev,
                owner,
                threshold,
            } => (
                "removeOwner",
                vec![addr(prev), addr(owner), uint(threshold)],
                format!(
                    "Safe.removeOwner: remove {} (prevOwner {}), threshold {threshold}",
                    name(owner),
                    name(prev)
                ),
            ),
            OwnerCall::ChangeThreshold { threshold } => (
                "changeThreshold",
                vec![uint(threshold)],
                format!("Safe.changeThreshold({threshold})"),
            ),
        };
        self.call_to(self.safe(), SAFE_ABI, function, args, summary, at)
    }
}

/// The registry ABI of the Safe's own functions.
pub(super) const SAFE_ABI: &str = "Safe";

/// Execution gas bounds of the Safe's owner changes (OwnerManager in the
/// Safe's sources), priced as `plan::agijobs` prices its figures: every read
/// cold (2,100), every write a cold zero to non-zero store (22,100), an event
/// at 3,000 and 10,000 for the rest of the code (the `authorized` check
/// included).
pub(super) const SAFE_GAS: &[FunctionGas] = &[
    // owners[prev], owners[old], owners[new]: 3 reads and 3 writes;
    // RemovedOwner and AddedOwner.
    FunctionGas {
        contract: SAFE_ABI,
        signature: "swapOwner(address,address,address)",
        gas: 3 * COLD_SLOAD + 3 * SSTORE_SET + 2 * LOG + CODE,
    },
    // owners[owner], owners[SENTINEL], ownerCount, threshold: 4 reads and 4
    // writes; AddedOwner and ChangedThreshold.
    FunctionGas {
        contract: SAFE_ABI,
        signature: "addOwnerWithThreshold(address,uint256)",
        gas: 4 * COLD_SLOAD + 4 * SSTORE_SET + 2 * LOG + CODE,
    },
    // owners[prev], owners[owner], ownerCount, threshold: 4 reads and 4
    // writes; RemovedOwner and ChangedThreshold.
    FunctionGas {
        contract: SAFE_ABI,
        signature: "removeOwner(address,address,uint256)",
        gas: 4 * COLD_SLOAD + 4 * SSTORE_SET + 2 * LOG + CODE,
    },
    // ownerCount and threshold read, threshold written; ChangedThreshold.
    FunctionGas {
        contract: SAFE_ABI,
        signature: "changeThreshold(uint256)",
        gas: 2 * COLD_SLOAD + SSTORE_SET + LOG + CODE,
    },
];

/// The execution gas bound of a Safe function called on the Safe itself.
pub(super) fn safe_function_gas(signature: &str) -> Option<u64> {
    SAFE_GAS
        .iter()
        .find(|g| g.signature == signature)
        .map(|g| g.gas)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Location {
        Location {
            file: "t.toml".into(),
            line,
            column: 1,
        }
    }
    fn a(n: u8) -> Address {
        Address::with_last_byte(n)
    }
    fn l(n: u8, line: usize) -> Located<Address> {
        Located::new(a(n), at(line))
    }
    fn name(a: Address) -> String {
        a.to_string()
    }
    fn changes() -> OwnerChanges {
        OwnerChanges {
            swap: vec![],
            add: vec![],
            remove: vec![],
            threshold: None,
            at: at(1),
        }
    }
    const SAFE: Address = Address::with_last_byte(0xee);

    #[test]
    fn swaps_adds_and_removes_track_the_list() {
        let current = SignerChange {
            owners: vec![a(10), a(11), a(12)],
            threshold: 2,
        };
        let mut c = changes();
        c.swap = vec![(l(11, 2), l(21, 2))];
        c.add = vec![l(22, 3), l(23, 3)];
        c.remove = vec![l(10, 4), l(23, 4)];
        c.threshold = Some(Located::new(3, at(5)));
        let (calls, after) = owner_calls(&current, &c, SAFE, &name).unwrap();
        assert_eq!(
            calls,
            vec![
                OwnerCall::Swap {
                    prev: a(10),
                    old: a(11),
                    new: a(21)
                },
                // [22, 10, 21, 12]
                OwnerCall::Add {
                    owner: a(22),
                    threshold: 3
                },
                // [23, 22, 10, 21, 12]
                OwnerCall::Add {
                    owner: a(23),
                    threshold: 3
                },
                // [23, 22, 21, 12]
                OwnerCall::Remove {
                    prev: a(22),
                    owner: a(10),
                    threshold: 3
                },
                // [22, 21, 12]
                OwnerCall::Remove {
                    prev: SENTINEL,
                    owner: a(23),
                    threshold: 3
                },
            ]
        );
        assert_eq!(after.owners, vec![a(22), a(21), a(12)]);
        assert_eq!(after.threshold, 3);
    }

    #[test]
    fn thresholds_are_clamped_to_the_owner_count_at_each_call() {
        let current = SignerChange {
            owners: vec![a(10)],
            threshold: 1,
        };
        let mut c = changes();
        c.add = vec![l(20, 2), l(21, 2), l(22, 2)];
        c.remove = vec![l(10, 3)];
        c.threshold = Some(Located::new(3, at(4)));
        let (calls, after) = owner_calls(&current, &c, SAFE, &name).unwrap();
        let thresholds: Vec<u64> = calls
            .iter()
            .map(|c| match c {
                OwnerCall::Add { threshold, .. } | OwnerCall::Remove { threshold, .. } => {
                    *threshold
                }
                _ => 0,
            })
            .collect();
        assert_eq!(thresholds, vec![2, 3, 3, 3]);
        assert_eq!(after.threshold, 3);
    }

    #[test]
    fn a_threshold_change_alone_is_a_change_threshold() {
        let current = SignerChange {
            owners: vec![a(10), a(11), a(12)],
            threshold: 2,
        };
        let mut c = changes();
        c.swap = vec![(l(12, 2), l(13, 2))];
        c.threshold = Some(Located::new(3, at(4)));
        let (calls, _) = owner_calls(&current, &c, SAFE, &name).unwrap();
        assert_eq!(
            calls.last(),
            Some(&OwnerCall::ChangeThreshold { threshold: 3 })
        );
        c.threshold = Some(Located::new(2, at(4)));
        let (calls, _) = owner_calls(&current, &c, SAFE, &name).unwrap();
        assert_eq!(calls.len(), 1);
    }

    #[test]
    fn lockouts_and_bad_owners_are_refused_where_written() {
        let current = SignerChange {
            owners: vec![a(10), a(11)],
            threshold: 2,
        };
        let err = |c: &OwnerChanges| owner_calls(&current, c, SAFE, &name).unwrap_err();

        let mut c = changes();
        c.remove = vec![l(10, 7)];
        let e = err(&c);
        assert_eq!(e.at.line, 1, "{e}");
        assert!(e.message.contains("current threshold 2"), "{e}");

        c.remove = vec![l(10, 7), l(11, 8)];
        c.threshold = Some(Located::new(1, at(9)));
        let e = err(&c);
        assert_eq!(e.at.line, 8, "{e}");
        assert!(e.message.contains("no owners"), "{e}");

        for bad in [Address::ZERO, SENTINEL, SAFE, a(11)] {
            let mut c = changes();
            c.add = vec![Located::new(bad, at(3))];
            assert_eq!(err(&c).at.line, 3);
            let mut c = changes();
            c.swap = vec![(l(10, 4), Located::new(bad, at(5)))];
            assert_eq!(err(&c).at.line, 5);
        }

        let mut c = changes();
        c.swap = vec![(l(99, 6), l(20, 6))];
        assert!(err(&c).message.contains("not an owner"));

        let mut c = changes();
        c.threshold = Some(Located::new(0, at(6)));
        assert!(err(&c).message.contains("threshold 0"));
        c.threshold = Some(Located::new(3, at(6)));
        assert!(err(&c).message.contains("out of range"));
        c.threshold = Some(Located::new(2, at(6)));
        assert!(err(&c).message.contains("changes nothing"));
    }
}
