//! rotate-signers: the planned owner calls are replayed against a small model
//! of the Safe's OwnerManager (the `owners` mapping as a linked list from the
//! sentinel, with the contract's require checks), decoded from the calldata
//! with an independent `sol!` ABI. Every call must pass the checks the Safe
//! makes, and the final owners and threshold must be what was asked.

mod plan_support;

use std::collections::HashMap;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, sol};
use bundlec::plan::Plan;
use plan_support::*;
use proptest::prelude::*;

sol! {
    function swapOwner(address prevOwner, address oldOwner, address newOwner);
    function addOwnerWithThreshold(address owner, uint256 _threshold);
    function removeOwner(address prevOwner, address owner, uint256 _threshold);
    function changeThreshold(uint256 _threshold);
}

const SENTINEL: Address = Address::with_last_byte(1);

/// The Safe's OwnerManager, as the contract keeps it.
#[derive(Debug, Clone)]
struct OwnerManager {
    safe: Address,
    next: HashMap<Address, Address>,
    count: u64,
    threshold: u64,
}

impl OwnerManager {
    fn setup(safe: Address, owners: &[Address], threshold: u64) -> Self {
        let mut next = HashMap::new();
        let mut current = SENTINEL;
        for &o in owners {
            next.insert(current, o);
            current = o;
        }
        next.insert(current, SENTINEL);
        OwnerManager {
            safe,
            next,
            count: owners.len() as u64,
            threshold,
        }
    }

    fn owners(&self) -> Vec<Address> {
        let mut out = Vec::new();
        let mut current = self.next[&SENTINEL];
        while current != SENTINEL {
            out.push(current);
            current = self.next[&current];
        }
        out
    }

    fn valid_new(&self, owner: Address) -> Result<(), String> {
        if owner == Address::ZERO || owner == SENTINEL || owner == self.safe {
            return Err("GS203".into());
        }
        if self.next.contains_key(&owner) {
            return Err("GS204".into());
        }
        Ok(())
    }

    fn add(&mut self, owner: Address, threshold: u64) -> Result<(), String> {
        self.valid_new(owner)?;
        let head = self.next[&SENTINEL];
        self.next.insert(owner, head);
        self.next.insert(SENTINEL, owner);
        self.count += 1;
        if self.threshold != threshold {
            self.change_threshold(threshold)?;
        }
        Ok(())
    }

    fn remove(&mut self, prev: Address, owner: Address, threshold: u64) -> Result<(), String> {
        if self.count - 1 < threshold {
            return Err("GS201".into());
        }
        if owner == Address::ZERO || owner == SENTINEL {
            return Err("GS203".into());
        }
        if self.next.get(&prev) != Some(&owner) {
            return Err(format!("GS205: next[{prev}] is not {owner}"));
        }
        let after = self.next[&owner];
        self.next.insert(prev, after);
        self.next.remove(&owner);
        self.count -= 1;
        if self.threshold != threshold {
            self.change_threshold(threshold)?;
        }
        Ok(())
    }

    fn swap(&mut self, prev: Address, old: Address, new: Address) -> Result<(), String> {
        self.valid_new(new)?;
        if old == Address::ZERO || old == SENTINEL {
            return Err("GS203".into());
        }
        if self.next.get(&prev) != Some(&old) {
            return Err(format!("GS205: next[{prev}] is not {old}"));
        }
        let after = self.next[&old];
        self.next.insert(new, after);
        self.next.insert(prev, new);
        self.next.remove(&old);
        Ok(())
    }

    fn change_threshold(&mut self, threshold: u64) -> Result<(), String> {
        if threshold > self.count {
            return Err("GS201".into());
        }
        if threshold < 1 {
            return Err("GS202".into());
        }
        self.threshold = threshold;
        Ok(())
    }
}

fn small(n: U256) -> u64 {
    n.to::<u64>()
}

/// Replays every planned call (all must go to the Safe) on the model.
fn replay(plan: &Plan, model: &mut OwnerManager) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for call in plan.calls() {
        assert_eq!(call.to, model.safe, "{}", call.summary);
        assert!(call.value.is_zero());
        let data = &call.data[..];
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        let result = match selector {
            swapOwnerCall::SELECTOR => {
                let c = swapOwnerCall::abi_decode(data).unwrap();
                names.push("swap");
                model.swap(c.prevOwner, c.oldOwner, c.newOwner)
            }
            addOwnerWithThresholdCall::SELECTOR => {
                let c = addOwnerWithThresholdCall::abi_decode(data).unwrap();
                names.push("add");
                model.add(c.owner, small(c._threshold))
            }
            removeOwnerCall::SELECTOR => {
                let c = removeOwnerCall::abi_decode(data).unwrap();
                names.push("remove");
                model.remove(c.prevOwner, c.owner, small(c._threshold))
            }
            changeThresholdCall::SELECTOR => {
                let c = changeThresholdCall::abi_decode(data).unwrap();
                names.push("threshold");
                model.change_threshold(small(c._threshold))
            }
            other => panic!("unexpected selector {other:?} in {}", call.summary),
        };
        result.map_err(|e| format!("`{}` reverts: {e}", call.summary))?;
    }
    Ok(names.into_iter().map(str::to_owned).collect())
}

fn owners_now() -> Vec<Address> {
    vec![addr(SIGNER_A), addr(SIGNER_B), addr(SIGNER_C)]
}

fn signer(n: u8) -> String {
    format!("0x{:040x}", 0xd000 + u32::from(n))
}

#[test]
fn prev_owners_follow_the_list_through_swaps_adds_and_removes() {
    let (d1, d2, d3) = (signer(1), signer(2), signer(3));
    let body = format!(
        "swap = [{{ old = \"{SIGNER_B}\", new = \"{d1}\" }}, {{ old = \"signer-a\", new = \"{d2}\" }}]\n\
         add = [\"{d3}\"]\n\
         remove = [\"{SIGNER_C}\", \"{d2}\"]\n\
         threshold = 2"
    );
    let text = runbook("system-pause", &intent("rotate-signers", &body));
    assert_eq!(
        decoded(&text),
        [
            // [A, B, C] -> [A, D1, C]
            format!(
                "Safe.swapOwner(signer-a, {}, {})",
                addr(SIGNER_B),
                addr(&d1)
            ),
            // the head: prevOwner is the sentinel -> [D2, D1, C]
            format!("Safe.swapOwner(SENTINEL, signer-a, {})", addr(&d2)),
            // inserted at the head -> [D3, D2, D1, C]
            format!("Safe.addOwnerWithThreshold({}, 2)", addr(&d3)),
            // -> [D3, D2, D1]
            format!("Safe.removeOwner({}, {}, 2)", addr(&d1), addr(SIGNER_C)),
            // -> [D3, D1]
            format!("Safe.removeOwner({}, {}, 2)", addr(&d3), addr(&d2)),
        ]
    );
    let plan = plan(&text);
    let mut model = OwnerManager::setup(addr(SAFE), &owners_now(), 2);
    replay(&plan, &mut model).unwrap();
    assert!(
        plan.calls()[0].summary.starts_with("Safe.swapOwner: "),
        "{}",
        plan.calls()[0].summary
    );
    let signers = plan.signers.unwrap();
    assert_eq!(signers.owners, model.owners());
    assert_eq!(signers.owners, vec![addr(&d3), addr(&d1)]);
    assert_eq!(signers.threshold, 2);
}

#[test]
fn the_owner_list_carries_over_between_intents() {
    let (d1, d2) = (signer(1), signer(2));
    let text = runbook(
        "direct",
        &format!(
            "{}{}{}",
            intent(
                "rotate-signers",
                &format!("add = [\"{d1}\"]\nthreshold = 3")
            ),
            intent("pause", "modules = [\"JobRegistry\"]"),
            intent(
                "rotate-signers",
                &format!("swap = [{{ old = \"{d1}\", new = \"{d2}\" }}]\nremove = [\"signer-a\"]")
            ),
        ),
    );
    let plan = plan(&text);
    assert_eq!(
        decoded_calls(&text, &plan.calls()),
        [
            format!("Safe.addOwnerWithThreshold({}, 3)", addr(&d1)),
            "JobRegistry.pause()".to_owned(),
            // d1 is the head now, so its prevOwner is the sentinel.
            format!("Safe.swapOwner(SENTINEL, {}, {})", addr(&d1), addr(&d2)),
            format!("Safe.removeOwner({}, signer-a, 3)", addr(&d2)),
        ]
    );
    let signers = plan.signers.unwrap();
    assert_eq!(
        signers.owners,
        vec![addr(&d2), addr(SIGNER_B), addr(SIGNER_C)]
    );
    assert_eq!(signers.threshold, 3);
}

#[test]
fn thresholds_move_through_valid_values_only() {
    // Raise the threshold while replacing two of three signers.
    let (d1, d2) = (signer(1), signer(2));
    let text = runbook(
        "direct",
        &intent(
            "rotate-signers",
            &format!(
                "add = [\"{d1}\", \"{d2}\"]\nremove = [\"signer-a\", \"{SIGNER_B}\"]\nthreshold = 3"
            ),
        ),
    );
    let planned = plan(&text);
    let mut model = OwnerManager::setup(addr(SAFE), &owners_now(), 2);
    assert_eq!(
        replay(&planned, &mut model).unwrap(),
        ["add", "add", "remove", "remove"]
    );
    assert_eq!((model.count, model.threshold), (3, 3));

    // A threshold alone is one changeThreshold; the same threshold is no change.
    let text = runbook("direct", &intent("rotate-signers", "threshold = 3"));
    assert_eq!(decoded(&text), ["Safe.changeThreshold(3)"]);
    let text = runbook(
        "direct",
        &intent(
            "rotate-signers",
            &format!("swap = [{{ old = \"{SIGNER_C}\", new = \"{d1}\" }}]\nthreshold = 1"),
        ),
    );
    assert_eq!(decoded(&text).last().unwrap(), "Safe.changeThreshold(1)");

    // Down to one owner with threshold 1: each remove passes what is valid then.
    let text = runbook(
        "direct",
        &intent(
            "rotate-signers",
            &format!("remove = [\"signer-a\", \"{SIGNER_C}\"]\nthreshold = 1"),
        ),
    );
    let planned = plan(&text);
    let mut model = OwnerManager::setup(addr(SAFE), &owners_now(), 2);
    replay(&planned, &mut model).unwrap();
    assert_eq!(model.owners(), vec![addr(SIGNER_B)]);
    assert_eq!(model.threshold, 1);
}

#[test]
fn lockouts_and_bad_owners_are_refused_at_the_value() {
    let d1 = signer(1);
    let quoted = |a: &str| format!("\"{a}");
    let cases: Vec<(String, String, String, Vec<&str>)> = vec![
        (
            format!("remove = [\"signer-a\", \"{SIGNER_B}\", \"{SIGNER_C}\"]\nthreshold = 1"),
            "remove = [".into(),
            quoted(SIGNER_C),
            vec!["no owners"],
        ),
        (
            format!("remove = [\"{d1}\"]"),
            "remove = [".into(),
            "\"".into(),
            vec!["not an owner"],
        ),
        (
            format!("swap = [{{ old = \"{d1}\", new = \"{}\" }}]", signer(2)),
            "{ old = ".into(),
            "\"".into(),
            vec!["not an owner", "cannot be swapped out"],
        ),
        (
            format!("swap = [{{ old = \"signer-a\", new = \"{SIGNER_B}\" }}]"),
            "new = ".into(),
            "\"".into(),
            vec!["already an owner"],
        ),
        (
            format!("add = [\"{d1}\", \"{d1}\"]"),
            format!("{d1}\", \""),
            "\"0x".into(),
            vec!["already an owner"],
        ),
        (
            "add = [\"0x0000000000000000000000000000000000000000\"]".to_owned(),
            "add = [".into(),
            "\"".into(),
            vec!["zero address"],
        ),
        (
            "add = [\"0x0000000000000000000000000000000000000001\"]".to_owned(),
            "add = [".into(),
            "\"".into(),
            vec!["sentinel"],
        ),
        (
            format!("add = [\"{SAFE}\"]"),
            "add = [".into(),
            "\"".into(),
            vec!["the Safe itself"],
        ),
        (
            "add = [\"0x7777777777777777777777777777777777777777\"]".to_owned(),
            "add = [".into(),
            "\"".into(),
            vec!["JobRegistry contract"],
        ),
        (
            "add = [\"nobody\"]".to_owned(),
            "add = [".into(),
            "\"".into(),
            vec!["neither a label"],
        ),
        (
            "threshold = 0".to_owned(),
            "threshold = 0".into(),
            "0".into(),
            vec!["threshold 0"],
        ),
        (
            "threshold = 4".to_owned(),
            "threshold = 4".into(),
            "4".into(),
            vec!["threshold 4 is out of range", "3 owners"],
        ),
        (
            format!("remove = [\"signer-a\", \"{SIGNER_B}\"]"),
            String::new(),
            String::new(),
            vec![
                "current threshold 2 exceeds the 1 owner left",
                "set `threshold`",
            ],
        ),
        (
            "threshold = 2".to_owned(),
            String::new(),
            String::new(),
            vec!["changes nothing"],
        ),
    ];
    for (body, after, needle, words) in cases {
        let text = runbook("direct", &intent("rotate-signers", &body));
        let err = plan_error(&text);
        let expected = if needle.is_empty() {
            location(&text, "[[intent]]", "[[intent]]")
        } else {
            location(&text, &after, &needle)
        };
        assert_error(&err, &expected, &words);
    }
}

#[test]
fn rotating_signers_needs_the_current_owners_and_threshold() {
    let d1 = signer(1);
    let body = format!("add = [\"{d1}\"]");
    let owners_line = format!("owners = [\"{SIGNER_A}\", \"{SIGNER_B}\", \"{SIGNER_C}\"]\n");
    let text = runbook("direct", &intent("rotate-signers", &body)).replace(&owners_line, "");
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &["owners", "getOwners() order"],
    );

    let text = runbook("direct", &intent("rotate-signers", &body)).replace("threshold = 2\n", "");
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[[intent]]", "[[intent]]"),
        &["current threshold"],
    );

    let text = runbook("direct", &intent("rotate-signers", &body)).replacen(
        "threshold = 2\n",
        "threshold = 5\n",
        1,
    );
    let err = plan_error(&text);
    assert_error(
        &err,
        &location(&text, "[safe]", "5\n"),
        &["threshold 5 is out of range"],
    );
}

/// What one generated intent asks, as written.
#[derive(Debug, Clone)]
struct SignerIntent {
    swap: Vec<(String, String)>,
    add: Vec<String>,
    remove: Vec<String>,
    threshold: Option<u64>,
}

/// Random choices an intent is built from: which owner (index into the list
/// as it is then), and whether to pick something invalid on purpose.
#[derive(Debug, Clone)]
struct Seeds {
    swap: Vec<(u8, bool)>,
    add: Vec<bool>,
    remove: Vec<(u8, bool)>,
    threshold: Option<(u8, bool)>,
}

fn seeds() -> impl Strategy<Value = Seeds> {
    let wrong = proptest::bool::weighted(0.08);
    (
        proptest::collection::vec((any::<u8>(), wrong), 0..3),
        proptest::collection::vec(wrong, 0..3),
        proptest::collection::vec((any::<u8>(), wrong), 0..4),
        proptest::option::of((any::<u8>(), wrong)),
    )
        .prop_map(|(swap, add, remove, threshold)| Seeds {
            swap,
            add,
            remove,
            threshold,
        })
        .prop_filter("an intent needs one key", |s| {
            !(s.swap.is_empty() && s.add.is_empty() && s.remove.is_empty() && s.threshold.is_none())
        })
}

/// Turns seeds into intents, picking owners from the list as the earlier
/// choices leave it (a plain vector, head first) and fresh addresses for new
/// owners; a `wrong` seed picks a non-owner to remove or swap out, or an
/// existing owner, zero, the sentinel or the Safe as a new owner.
fn build_intents(all: &[Seeds]) -> Vec<SignerIntent> {
    let mut owners: Vec<String> = vec![SIGNER_A.into(), SIGNER_B.into(), SIGNER_C.into()];
    let mut fresh = 0u8;
    let mut new_owner = |owners: &[String], wrong: bool, pick: u8| -> String {
        if wrong {
            let bad = [
                owners
                    .first()
                    .cloned()
                    .unwrap_or_else(|| SIGNER_A.to_owned()),
                "0x0000000000000000000000000000000000000000".to_owned(),
                "0x0000000000000000000000000000000000000001".to_owned(),
                SAFE.to_owned(),
            ];
            return bad[usize::from(pick) % bad.len()].clone();
        }
        fresh += 1;
        signer(fresh)
    };
    let existing = |owners: &[String], pick: u8, wrong: bool| -> String {
        if wrong || owners.is_empty() {
            signer(200 + pick % 50)
        } else {
            owners[usize::from(pick) % owners.len()].clone()
        }
    };
    let mut out = Vec::new();
    for s in all {
        let mut intent = SignerIntent {
            swap: vec![],
            add: vec![],
            remove: vec![],
            threshold: None,
        };
        for &(pick, wrong) in &s.swap {
            let old = existing(&owners, pick, wrong && pick % 2 == 0);
            let new = new_owner(&owners, wrong && pick % 2 == 1, pick);
            if let Some(i) = owners.iter().position(|o| *o == old) {
                owners[i] = new.clone();
            }
            intent.swap.push((old, new));
        }
        for (k, &wrong) in s.add.iter().enumerate() {
            let new = new_owner(&owners, wrong, k as u8);
            owners.insert(0, new.clone());
            intent.add.push(new);
        }
        for &(pick, wrong) in &s.remove {
            // Emptying the Safe is mostly left to the explicit lockout tests.
            if owners.len() <= 1 && !wrong && pick % 4 != 0 {
                continue;
            }
            let gone = existing(&owners, pick, wrong);
            owners.retain(|o| *o != gone);
            intent.remove.push(gone);
        }
        intent.threshold = s.threshold.map(|(pick, wrong)| {
            let n = owners.len().max(1) as u64;
            if wrong {
                [0, n + 1][usize::from(pick) % 2]
            } else {
                1 + u64::from(pick) % n
            }
        });
        if intent.swap.is_empty()
            && intent.add.is_empty()
            && intent.remove.is_empty()
            && intent.threshold.is_none()
        {
            intent.threshold = Some(1);
        }
        out.push(intent);
    }
    out
}

fn intent_toml(i: &SignerIntent) -> String {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut body = String::new();
    if !i.swap.is_empty() {
        let swaps: Vec<String> = i
            .swap
            .iter()
            .map(|(old, new)| format!("{{ old = \"{old}\", new = \"{new}\" }}"))
            .collect();
        body.push_str(&format!("swap = [{}]\n", swaps.join(", ")));
    }
    if !i.add.is_empty() {
        body.push_str(&format!("add = [{}]\n", list(&i.add)));
    }
    if !i.remove.is_empty() {
        body.push_str(&format!("remove = [{}]\n", list(&i.remove)));
    }
    if let Some(t) = i.threshold {
        body.push_str(&format!("threshold = {t}\n"));
    }
    intent("rotate-signers", &body)
}

/// The specification on a plain list: the owners and threshold after the
/// intent, or `None` when the intent must be refused.
fn expected_after(
    owners: &[Address],
    threshold: u64,
    i: &SignerIntent,
) -> Option<(Vec<Address>, u64)> {
    let forbidden = [Address::ZERO, SENTINEL, addr(SAFE)];
    let mut owners = owners.to_vec();
    for (old, new) in &i.swap {
        let (old, new) = (addr(old), addr(new));
        let index = owners.iter().position(|&x| x == old)?;
        if owners.contains(&new) || forbidden.contains(&new) {
            return None;
        }
        owners[index] = new;
    }
    for new in &i.add {
        let new = addr(new);
        if owners.contains(&new) || forbidden.contains(&new) {
            return None;
        }
        owners.insert(0, new);
    }
    for gone in &i.remove {
        let index = owners.iter().position(|&x| x == addr(gone))?;
        owners.remove(index);
        if owners.is_empty() {
            return None;
        }
    }
    let t = i.threshold.unwrap_or(threshold);
    if t == 0 || t > owners.len() as u64 {
        return None;
    }
    if i.swap.is_empty() && i.add.is_empty() && i.remove.is_empty() && t == threshold {
        return None;
    }
    Some((owners, t))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_accepted_sequence_replays_on_the_safe_and_ends_where_asked(
        seeds in proptest::collection::vec(seeds(), 1..4),
        threshold in 1u64..4,
    ) {
        let intents = build_intents(&seeds);
        let text = runbook("direct", &intents.iter().map(intent_toml).collect::<String>())
            .replacen("threshold = 2\n", &format!("threshold = {threshold}\n"), 1);
        // The specification: the state after each intent, and the call kinds
        // each must produce, in order.
        let mut expected = Some((owners_now(), threshold));
        let mut kinds_expected: Vec<&str> = Vec::new();
        for i in &intents {
            let before = expected.as_ref().map(|(_, t)| *t);
            expected = expected.and_then(|(owners, t)| expected_after(&owners, t, i));
            if let (Some(before), Some((_, after))) = (before, &expected) {
                kinds_expected.extend(std::iter::repeat_n("swap", i.swap.len()));
                kinds_expected.extend(std::iter::repeat_n("add", i.add.len()));
                kinds_expected.extend(std::iter::repeat_n("remove", i.remove.len()));
                if i.add.is_empty() && i.remove.is_empty() && *after != before {
                    kinds_expected.push("threshold");
                }
            }
        }
        match (try_plan(&text), expected) {
            (Ok(plan), Some((owners, t))) => {
                let mut model = OwnerManager::setup(addr(SAFE), &owners_now(), threshold);
                let kinds = replay(&plan, &mut model).map_err(TestCaseError::fail)?;
                prop_assert_eq!(kinds, kinds_expected);
                prop_assert_eq!(model.owners(), owners.clone());
                prop_assert_eq!(model.threshold, t);
                let signers = plan.signers.unwrap();
                prop_assert_eq!(signers.owners, owners);
                prop_assert_eq!(signers.threshold, t);
            }
            (Err(_), None) => {}
            (Ok(plan), None) => prop_assert!(false, "accepted an invalid change: {:#?}", summaries(&plan)),
            (Err(e), Some(_)) => prop_assert!(false, "refused a valid change: {e}"),
        }
    }
}
