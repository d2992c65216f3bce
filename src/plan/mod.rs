//! The plan: the ordered calls an intent file compiles to, before they become
//! batch files. Planning knows the protocol (who owns what, what must come
//! first); it does no I/O and writes no files.
//!
//! - `profile.rs`: the shape of a protocol profile; `agijobs.rs`: the AGI Jobs
//!   facts (the only place they live).
//! - `planner.rs`: shared state, contract lookup, encoding and hub routing.
//! - one file per intent kind: `pause.rs`, `governance.rs`
//!   (rotate-governance), `signers.rs` (rotate-signers), `refunds.rs`,
//!   `call.rs`.
//!
//! Intents run in file order. Across intents the planner tracks what the file
//! itself changes, and refuses a call that would revert because of it: a call
//! that needs an authority an earlier rotation gave away, pausing what is
//! already paused (or unpausing what is live), refunding while the registry is
//! paused. The Safe's owner list and threshold carry over between
//! `rotate-signers` intents.

use std::rc::Rc;

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::Function;
use alloy_primitives::{Address, Bytes, U256};

use crate::abi::registry::AbiRegistry;
use crate::runbook::{Deployment, InputError, Intent, Runbook};

pub mod agijobs;
mod book;
mod call;
mod forwarded;
mod governance;
mod pause;
mod planner;
pub mod profile;
mod refunds;
pub mod signers;
pub mod value;

pub use book::check_deployment;
pub use profile::ProtocolProfile;
pub use signers::{OwnerCall, OwnerChanges, SENTINEL, owner_calls};

/// Compiles a parsed intent file against its deployment into a plan, with the
/// AGI Jobs profile. Every error names the place in the intent or deployment
/// file.
pub fn plan_runbook(
    runbook: &Runbook,
    deployment: &Deployment,
    registry: &AbiRegistry,
) -> Result<Plan, InputError> {
    plan_with_profile(&agijobs::PROFILE, runbook, deployment, registry)
}

/// [`plan_runbook`] for any protocol profile.
pub fn plan_with_profile(
    profile: &ProtocolProfile,
    runbook: &Runbook,
    deployment: &Deployment,
    registry: &AbiRegistry,
) -> Result<Plan, InputError> {
    book::check_deployment(profile, deployment)?;
    book::check_safe(deployment, runbook.safe.address, &runbook.safe.at)?;
    let mut planner = planner::Planner::new(profile, runbook, deployment, registry);
    for intent in &runbook.intents {
        let at = &intent.at;
        match &intent.value {
            Intent::Pause { modules } => planner.pause(modules, true)?,
            Intent::Unpause { modules } => planner.pause(modules, false)?,
            Intent::RotateGovernance {
                to,
                modules,
                confirm_unlabelled,
            } => planner.rotate_governance(to, modules, *confirm_unlabelled, at)?,
            Intent::RotateSigners {
                swap,
                add,
                remove,
                threshold,
            } => planner.rotate_signers(swap, add, remove, threshold.as_ref(), at)?,
            Intent::RefundJobs {
                delist,
                claim_timeout,
                cancel_expired,
                finalize,
                system_paused,
            } => {
                let ids = refunds::RefundIds {
                    delist,
                    claim_timeout,
                    cancel_expired,
                    finalize,
                };
                planner.refund_jobs(&ids, system_paused.as_ref(), at)?
            }
            Intent::Call {
                contract,
                function,
                args,
                value,
                confirm,
            } => planner.call(
                contract,
                function,
                args.as_ref(),
                value,
                confirm.as_ref(),
                at,
            )?,
        }
    }
    let steps = keep_spans_whole(planner.steps, planner.spans);
    Ok(Plan {
        steps,
        accept: planner.accept.map(|(plan, _)| plan),
        signers: planner.signers,
        notes: planner.notes,
    })
}

/// One call the Safe makes, with everything needed to show and encode it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCall {
    pub to: Address,
    pub value: U256,
    /// The ABI-encoded calldata (selector included).
    pub data: Bytes,
    /// The function and arguments `data` encodes, for the batch's
    /// `contractMethod` / `contractInputsValues` and for people; shared by
    /// every call of the function.
    pub function: Rc<Function>,
    pub args: Vec<DynSolValue>,
    /// One line on what the call does, e.g. "pause JobRegistry via SystemPause".
    /// Shared with the manifest and with `verify --intent`'s report.
    pub summary: Rc<str>,
    /// An upper bound on the gas the call runs (forwarded calls included),
    /// from the protocol profile; `None` when it has no figure for the
    /// function (the build then needs `[bundle] gas_per_call`).
    pub gas: Option<u64>,
}

/// A unit of the plan. Chunking may split a `Wrapped` step's body across
/// batches; every batch that holds part of the body repeats `before` and
/// `after`, so each batch is self-contained. A `Together` step is never
/// split: it goes into one batch whole, or the build is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Call(PlannedCall),
    Wrapped {
        before: Vec<PlannedCall>,
        body: Vec<PlannedCall>,
        after: Vec<PlannedCall>,
    },
    /// The calls from an unpause of a module to the later re-pause of it
    /// (spans that overlap joined into one), in order: executed in two Safe
    /// transactions, the first alone would leave the module live.
    Together {
        calls: Vec<PlannedCall>,
        span: PauseSpan,
    },
}

/// A stretch of the plan during which modules the runbook re-pauses are
/// unpaused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseSpan {
    /// The modules unpaused within it, in the order their unpause appears.
    pub modules: Vec<String>,
    /// Where the first unpause is written.
    pub unpaused_at: crate::runbook::Location,
    /// Where the last re-pause is written.
    pub paused_at: crate::runbook::Location,
}

/// One module's span as the planner found it: step indexes, inclusive.
#[derive(Debug, Clone)]
pub(crate) struct StepSpan {
    pub first: usize,
    pub last: usize,
    pub module: String,
    pub unpaused_at: crate::runbook::Location,
    pub paused_at: crate::runbook::Location,
}

/// Joins the steps of every span (overlapping spans as one) into a
/// `Together` step; other steps stay as they are.
fn keep_spans_whole(steps: Vec<Step>, mut spans: Vec<StepSpan>) -> Vec<Step> {
    spans.sort_by_key(|s| (s.first, s.last));
    // Overlapping spans merged, in order of their first step.
    let mut merged: Vec<(usize, usize, PauseSpan)> = Vec::new();
    for span in spans {
        if let Some((_, last, joined)) = merged.last_mut()
            && span.first <= *last
        {
            if span.last >= *last {
                *last = span.last;
                joined.paused_at = span.paused_at;
            }
            if !joined.modules.contains(&span.module) {
                joined.modules.push(span.module);
            }
            continue;
        }
        merged.push((
            span.first,
            span.last,
            PauseSpan {
                modules: vec![span.module],
                unpaused_at: span.unpaused_at,
                paused_at: span.paused_at,
            },
        ));
    }
    let mut out = Vec::with_capacity(steps.len());
    let mut spans = merged.into_iter().peekable();
    let mut group: Option<(usize, PauseSpan, Vec<PlannedCall>)> = None;
    for (index, step) in steps.into_iter().enumerate() {
        if group.is_none()
            && let Some((first, _, _)) = spans.peek()
            && *first == index
            && let Some((_, last, span)) = spans.next()
        {
            group = Some((last, span, Vec::new()));
        }
        match group.as_mut() {
            None => out.push(step),
            Some((last, _, calls)) => {
                let last = *last;
                match step {
                    Step::Call(call) => calls.push(call),
                    Step::Wrapped {
                        before,
                        body,
                        after,
                    } => calls.extend(before.into_iter().chain(body).chain(after)),
                    Step::Together { calls: inner, .. } => calls.extend(inner),
                }
                if index >= last
                    && let Some((_, span, calls)) = group.take()
                {
                    out.push(Step::Together { calls, span });
                }
            }
        }
    }
    // A span always ends at an existing step; this only guards the shape.
    if let Some((_, span, calls)) = group.take() {
        out.push(Step::Together { calls, span });
    }
    out
}

/// Everything one intent file compiles to.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Calls for the governing Safe, in execution order.
    pub steps: Vec<Step>,
    /// `acceptOwnership()` calls the new owner must make after an Ownable2Step
    /// transfer, and that owner's address.
    pub accept: Option<AcceptPlan>,
    /// Owners and threshold after the plan ran, when it changes them.
    pub signers: Option<SignerChange>,
    /// What the build summary says about choices the plan made, at the
    /// intent that made them: modules "all" skipped because the address book
    /// says they are not deployed, a hub's pauseAll() standing for modules.
    pub notes: Vec<crate::runbook::Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AcceptPlan {
    pub new_owner: Address,
    pub calls: Vec<PlannedCall>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerChange {
    pub owners: Vec<Address>,
    pub threshold: u64,
}

impl Plan {
    /// Every call of the main batch in order, with wrapped bodies inline.
    pub fn calls(&self) -> Vec<&PlannedCall> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Call(call) => out.push(call),
                Step::Wrapped {
                    before,
                    body,
                    after,
                } => {
                    out.extend(before);
                    out.extend(body);
                    out.extend(after);
                }
                Step::Together { calls, .. } => out.extend(calls),
            }
        }
        out
    }
}
