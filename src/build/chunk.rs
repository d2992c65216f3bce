//! Splitting a plan into batches, each one Safe transaction of at most
//! `max_calls` calls and at most `max_gas` estimated gas (see [`super::gas`]).
//!
//! Steps keep their order across batches, and batches execute in nonce order,
//! so the calls run in plan order. A [`Step::Wrapped`] body (refunds that need
//! JobRegistry and StakeManager unpaused) is kept in one batch whenever it can
//! be; when it cannot, every batch holding part of it repeats `before` and
//! `after`, so each batch leaves the modules as it found them and can be
//! executed, or left unexecuted, on its own. The frame's calls count, and
//! their gas is estimated, in every batch that repeats them.
//!
//! A [`Step::Together`] (the calls from an unpause to the later re-pause of
//! the same module) is never split: it goes whole into the current batch,
//! else into a fresh one, else the build is refused with the limit to raise,
//! so no batch ever ends with a module live that the runbook re-pauses later.
//!
//! Batches are filled greedily in order: a call goes into the current batch
//! whenever the batch, with it (and the frame's `after` calls when the call is
//! part of a split body), stays within both limits. For a fixed order and a
//! cost that only grows as calls are added, that gives the fewest batches:
//! any batching that does better would have to fit more calls into some
//! batch than the greedy one found room for. So every batch but the last,
//! plus the call that follows it, would exceed a limit.

// Call counts and gas here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use super::gas::{GasModel, UnknownGas, record_len};
use crate::plan::{PauseSpan, PlannedCall, Step};

/// How big one batch may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_calls: usize,
    pub max_gas: u64,
}

/// Why a plan cannot be split within the limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// A wrapped step whose `before` and `after` calls leave no room for its body.
    #[error(
        "max_calls = {max_calls} is too small: a batch that runs part of a wrapped step needs its \
         {before} call(s) before, {after} call(s) after and at least one call of its body, so \
         max_calls must be at least {needed}"
    )]
    Calls {
        max_calls: usize,
        before: usize,
        after: usize,
        needed: usize,
    },
    /// A call, or a wrapped step's frame with one call of its body, is
    /// estimated at more than `max_gas` in a batch of its own.
    #[error(
        "max_gas = {max_gas} is too small: a Safe transaction with {what} alone is estimated at \
         {needed} gas; raise max_gas to at least {needed}, or lower gas_per_call if it is the \
         call's figure"
    )]
    Gas {
        max_gas: u64,
        what: String,
        needed: u64,
    },
    /// The calls from an unpause to its re-pause do not fit in one batch:
    /// the error is placed at the unpause.
    #[error("{message}")]
    Span {
        unpaused_at: Box<crate::runbook::Location>,
        message: String,
    },
    #[error(transparent)]
    UnknownGas(#[from] UnknownGas),
}

/// One batch: its calls in order, and its estimated gas.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<'a> {
    pub calls: Vec<&'a PlannedCall>,
    pub gas: u64,
}

/// What a batch holds so far, for the limits: calls, their gas and the
/// MultiSend payload's length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Load {
    calls: usize,
    gas: u64,
    bytes: u64,
}

impl Load {
    fn plus(self, other: Load) -> Load {
        Load {
            calls: self.calls.saturating_add(other.calls),
            gas: self.gas.saturating_add(other.gas),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }
}

/// The batches of a plan, in order. Never returns an empty batch; returns no
/// batch at all for a plan without calls.
pub fn chunk_steps<'a>(
    steps: &'a [Step],
    limits: Limits,
    model: &GasModel,
) -> Result<Vec<Chunk<'a>>, ChunkError> {
    let mut chunker = Chunker::new(limits, model);
    for step in steps {
        match step {
            Step::Call(call) => chunker.call(call)?,
            Step::Wrapped {
                before,
                body,
                after,
            } => chunker.wrapped(before, body, after)?,
            Step::Together { calls, span } => chunker.together(calls, span)?,
        }
    }
    Ok(chunker.finish())
}

/// [`chunk_steps`] for plain calls, each as a [`Step::Call`] of its own: the
/// `acceptOwnership()` calls, which have no frame and no span.
pub fn chunk_calls<'a>(
    calls: &'a [PlannedCall],
    limits: Limits,
    model: &GasModel,
) -> Result<Vec<Chunk<'a>>, ChunkError> {
    let mut chunker = Chunker::new(limits, model);
    for call in calls {
        chunker.call(call)?;
    }
    Ok(chunker.finish())
}

/// The estimated gas of a batch of `calls`, as [`chunk_steps`] counts it.
pub fn batch_gas(calls: &[&PlannedCall], model: &GasModel) -> Result<u64, UnknownGas> {
    let mut load = Load::default();
    for call in calls {
        load = load.plus(load_of(call, model)?);
    }
    Ok(model.total(load.gas, load.bytes))
}

fn load_of(call: &PlannedCall, model: &GasModel) -> Result<Load, UnknownGas> {
    Ok(Load {
        calls: 1,
        gas: model.call_gas(call)?,
        bytes: record_len(&call.data),
    })
}

fn loads(calls: &[PlannedCall], model: &GasModel) -> Result<Load, UnknownGas> {
    calls.iter().try_fold(Load::default(), |sum, call| {
        Ok(sum.plus(load_of(call, model)?))
    })
}

struct Chunker<'a, 'm> {
    limits: Limits,
    model: &'m GasModel,
    done: Vec<Chunk<'a>>,
    current: Vec<&'a PlannedCall>,
    load: Load,
}

impl<'a, 'm> Chunker<'a, 'm> {
    fn new(limits: Limits, model: &'m GasModel) -> Self {
        Chunker {
            limits: Limits {
                max_calls: limits.max_calls.max(1),
                max_gas: limits.max_gas,
            },
            model,
            done: Vec::new(),
            current: Vec::new(),
            load: Load::default(),
        }
    }

    /// The batches, the last one closed.
    fn finish(mut self) -> Vec<Chunk<'a>> {
        self.close();
        self.done
    }

    fn total(&self, load: Load) -> u64 {
        self.model.total(load.gas, load.bytes)
    }

    fn fits(&self, load: Load) -> bool {
        load.calls <= self.limits.max_calls && self.total(load) <= self.limits.max_gas
    }

    /// Whether the current batch has room for `extra`.
    fn has_room(&self, extra: Load) -> bool {
        self.fits(self.load.plus(extra))
    }

    fn close(&mut self) {
        if !self.current.is_empty() {
            let gas = self.total(self.load);
            self.done.push(Chunk {
                calls: std::mem::take(&mut self.current),
                gas,
            });
            self.load = Load::default();
        }
    }

    /// Starts a new batch unless the current one has room for `extra`.
    fn make_room(&mut self, extra: Load) {
        if !self.has_room(extra) {
            self.close();
        }
    }

    fn push(&mut self, call: &'a PlannedCall, load: Load) {
        self.current.push(call);
        self.load = self.load.plus(load);
    }

    fn push_all(&mut self, calls: &'a [PlannedCall], load: Load) {
        self.current.extend(calls);
        self.load = self.load.plus(load);
    }

    fn too_costly(&self, what: String, load: Load) -> ChunkError {
        ChunkError::Gas {
            max_gas: self.limits.max_gas,
            what,
            needed: self.total(load),
        }
    }

    fn call(&mut self, call: &'a PlannedCall) -> Result<(), ChunkError> {
        let load = load_of(call, self.model)?;
        if !self.fits(load) {
            return Err(self.too_costly(format!("the call {}", call.summary), load));
        }
        self.make_room(load);
        self.push(call, load);
        Ok(())
    }

    /// A span kept whole: in the current batch, else in a fresh one, else
    /// an error (never split).
    fn together(&mut self, calls: &'a [PlannedCall], span: &PauseSpan) -> Result<(), ChunkError> {
        let load = loads(calls, self.model)?;
        if !self.fits(load) {
            let (excess, fix) = if load.calls > self.limits.max_calls {
                (
                    format!("exceed max_calls = {}", self.limits.max_calls),
                    format!("max_calls to at least {}", load.calls),
                )
            } else {
                let needed = self.total(load);
                (
                    format!(
                        "are estimated at {needed} gas, above max_gas = {}",
                        self.limits.max_gas
                    ),
                    format!("max_gas to at least {needed}"),
                )
            };
            let modules = span.modules.join(" and ");
            return Err(ChunkError::Span {
                unpaused_at: Box::new(span.unpaused_at.clone()),
                message: format!(
                    "{modules} must stay paused across every Safe transaction: the unpause at {} and the \
                     re-pause at {} go in one Safe transaction, so that executing one part alone never leaves \
                     {modules} live, but the {} call(s) from one to the other {excess}; raise {fix}, or move \
                     the intents that need not run while {modules} is unpaused before the unpause or after \
                     the re-pause",
                    span.unpaused_at, span.paused_at, load.calls
                ),
            });
        }
        self.make_room(load);
        self.push_all(calls, load);
        Ok(())
    }

    fn wrapped(
        &mut self,
        before: &'a [PlannedCall],
        body: &'a [PlannedCall],
        after: &'a [PlannedCall],
    ) -> Result<(), ChunkError> {
        let before_load = loads(before, self.model)?;
        let after_load = loads(after, self.model)?;
        let body_load = loads(body, self.model)?;
        let frame = before_load.plus(after_load);
        // Whole, in the current batch or else in a fresh one: no repeated frame.
        let whole = frame.plus(body_load);
        if self.fits(whole) {
            self.make_room(whole);
            self.push_all(before, before_load);
            self.push_all(body, body_load);
            self.push_all(after, after_load);
            return Ok(());
        }
        if body.is_empty() {
            // Nothing to split: the frame alone does not fit.
            if frame.calls > self.limits.max_calls {
                return Err(ChunkError::Calls {
                    max_calls: self.limits.max_calls,
                    before: before.len(),
                    after: after.len(),
                    needed: frame.calls,
                });
            }
            return Err(self.too_costly(
                format!("{} call(s) before and {} after", before.len(), after.len()),
                frame,
            ));
        }
        let needed = frame.calls.saturating_add(1);
        if needed > self.limits.max_calls {
            return Err(ChunkError::Calls {
                max_calls: self.limits.max_calls,
                before: before.len(),
                after: after.len(),
                needed,
            });
        }
        // Split: each part carries the whole frame and as much of the body
        // as fits beside it.
        let mut body_calls = body.iter();
        let mut next = body_calls.next();
        while let Some(first) = next {
            let first_load = load_of(first, self.model)?;
            let smallest = frame.plus(first_load);
            if !self.fits(smallest) {
                return Err(self.too_costly(
                    format!(
                        "{} call(s) before, {} after and the call {}",
                        before.len(),
                        after.len(),
                        first.summary
                    ),
                    smallest,
                ));
            }
            self.make_room(smallest);
            self.push_all(before, before_load);
            self.push(first, first_load);
            next = body_calls.next();
            while let Some(call) = next {
                let load = load_of(call, self.model)?;
                if !self.has_room(load.plus(after_load)) {
                    break;
                }
                self.push(call, load);
                next = body_calls.next();
            }
            self.push_all(after, after_load);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_json_abi::Function;
    use alloy_primitives::{Address, Bytes, U256};

    /// No signatures, no gas_per_call: every call has its own figure.
    const MODEL: GasModel = GasModel {
        gas_per_call: None,
        signatures: 0,
    };

    fn call_with_gas(name: &str, gas: u64) -> PlannedCall {
        PlannedCall {
            to: Address::ZERO,
            value: U256::ZERO,
            data: Bytes::new(),
            function: Function::parse(&format!("function {name}()"))
                .unwrap()
                .into(),
            args: Vec::new(),
            summary: name.into(),
            gas: Some(gas),
        }
    }

    fn call(name: &str) -> PlannedCall {
        call_with_gas(name, 0)
    }

    fn calls(prefix: &str, n: usize) -> Vec<PlannedCall> {
        (0..n).map(|i| call(&format!("{prefix}{i}"))).collect()
    }

    fn names(chunks: &[Chunk<'_>]) -> Vec<Vec<String>> {
        chunks
            .iter()
            .map(|c| {
                c.calls
                    .iter()
                    .map(|call| call.summary.to_string())
                    .collect()
            })
            .collect()
    }

    fn by_calls(max_calls: usize) -> Limits {
        Limits {
            max_calls,
            max_gas: u64::MAX,
        }
    }

    fn chunk(steps: &[Step], max_calls: usize) -> Result<Vec<Chunk<'_>>, ChunkError> {
        chunk_steps(steps, by_calls(max_calls), &MODEL)
    }

    fn wrapped(body: usize) -> Step {
        Step::Wrapped {
            before: vec![call("unpauseA"), call("unpauseB")],
            body: calls("refund", body),
            after: vec![call("pauseA"), call("pauseB")],
        }
    }

    #[test]
    fn plain_calls_fill_batches_in_order() {
        let steps: Vec<Step> = calls("c", 5).into_iter().map(Step::Call).collect();
        let chunks = chunk(&steps, 2).unwrap();
        assert_eq!(
            names(&chunks),
            [vec!["c0", "c1"], vec!["c2", "c3"], vec!["c4"]]
        );
        assert_eq!(chunk(&steps, 100).unwrap().len(), 1);
        assert!(chunk(&[], 3).unwrap().is_empty());
    }

    #[test]
    fn a_wrapped_step_that_fits_is_not_split() {
        // 3 plain calls leave 3 slots: the 6-call step moves to a fresh batch whole.
        let mut steps: Vec<Step> = calls("c", 3).into_iter().map(Step::Call).collect();
        steps.push(wrapped(2));
        let chunks = chunk(&steps, 6).unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].calls.len(), 6);
    }

    #[test]
    fn a_split_body_repeats_its_frame_in_every_part() {
        let steps = vec![Step::Call(call("first")), wrapped(5)];
        let chunks = chunk(&steps, 6).unwrap();
        assert_eq!(
            names(&chunks),
            [
                vec![
                    "first", "unpauseA", "unpauseB", "refund0", "pauseA", "pauseB"
                ],
                vec![
                    "unpauseA", "unpauseB", "refund1", "refund2", "pauseA", "pauseB"
                ],
                vec![
                    "unpauseA", "unpauseB", "refund3", "refund4", "pauseA", "pauseB"
                ],
            ]
        );
    }

    #[test]
    fn calls_after_a_split_body_follow_in_its_last_batch() {
        let steps = vec![wrapped(3), Step::Call(call("last"))];
        let chunks = chunk(&steps, 6).unwrap();
        assert_eq!(
            names(&chunks)[1],
            [
                "unpauseA", "unpauseB", "refund2", "pauseA", "pauseB", "last"
            ]
        );
    }

    fn together(n: usize) -> Step {
        let at = crate::runbook::Location {
            file: "r.toml".into(),
            line: 1,
            column: 1,
        };
        let mut calls = vec![call("unpause")];
        calls.extend(self::calls("mid", n));
        calls.push(call("pause"));
        Step::Together {
            calls,
            span: PauseSpan {
                modules: vec!["JobRegistry".into()],
                unpaused_at: at.clone(),
                paused_at: at,
            },
        }
    }

    #[test]
    fn a_span_moves_whole_to_a_fresh_batch_or_is_refused() {
        let steps = vec![Step::Call(call("first")), together(1)];
        // Greedy filling would end the first batch after the unpause.
        assert_eq!(
            names(&chunk(&steps, 3).unwrap()),
            [vec!["first"], vec!["unpause", "mid0", "pause"]]
        );
        let err = chunk(&steps, 2).unwrap_err();
        assert!(matches!(err, ChunkError::Span { .. }), "{err:?}");
        assert!(
            err.to_string().contains("raise max_calls to at least 3"),
            "{err}"
        );
    }

    #[test]
    fn too_small_a_limit_is_an_error() {
        let err = chunk(&[wrapped(3)], 4).unwrap_err();
        assert!(
            matches!(err, ChunkError::Calls { needed: 5, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("at least 5"), "{err}");
        assert!(chunk(&[wrapped(3)], 5).is_ok());
        let empty = Step::Wrapped {
            before: calls("u", 2),
            body: vec![],
            after: calls("p", 2),
        };
        assert!(matches!(
            chunk(std::slice::from_ref(&empty), 3),
            Err(ChunkError::Calls { needed: 4, .. })
        ));
    }

    /// What one call with no data and `gas` of its own costs in a batch.
    fn cost(gas: u64) -> u64 {
        MODEL.call_gas(&call_with_gas("x", gas)).unwrap()
    }

    #[test]
    fn gas_splits_where_the_next_call_would_exceed_max_gas() {
        // Calls of 100k, 250k, 100k, 300k, 50k under a limit that holds
        // exactly 100k + 300k (and the fixed part): [100k, 250k], then
        // [100k, 300k], then [50k].
        let figures = [100_000, 250_000, 100_000, 300_000, 50_000];
        let steps: Vec<Step> = figures
            .iter()
            .enumerate()
            .map(|(i, gas)| Step::Call(call_with_gas(&format!("c{i}"), *gas)))
            .collect();
        let base = MODEL.base();
        let max_gas = base + cost(100_000) + cost(300_000) + memory_of(2);
        let limits = Limits {
            max_calls: 100,
            max_gas,
        };
        let chunks = chunk_steps(&steps, limits, &MODEL).unwrap();
        assert_eq!(
            names(&chunks),
            [vec!["c0", "c1"], vec!["c2", "c3"], vec!["c4"]]
        );
        for (i, c) in chunks.iter().enumerate() {
            assert!(c.gas <= max_gas, "{i}");
            assert_eq!(c.gas, batch_gas(&c.calls, &MODEL).unwrap());
        }
        // Fewest: each batch and the next call would exceed max_gas.
        assert!(base + cost(100_000) + cost(250_000) + cost(100_000) + memory_of(3) > max_gas);
        assert!(base + cost(100_000) + cost(300_000) + cost(50_000) + memory_of(3) > max_gas);
    }

    fn memory_of(calls: u64) -> u64 {
        super::super::gas::memory_quadratic(calls * record_len(&[]))
    }

    #[test]
    fn a_split_body_counts_its_frame_in_every_part() {
        let frame = |name: &str| call_with_gas(name, 50_000);
        let step = Step::Wrapped {
            before: vec![frame("unpause")],
            body: (0..5)
                .map(|i| call_with_gas(&format!("refund{i}"), 100_000))
                .collect(),
            after: vec![frame("pause")],
        };
        // Room for the frame and two refunds.
        let max_gas = MODEL.base() + 2 * cost(50_000) + 2 * cost(100_000) + memory_of(4);
        let limits = Limits {
            max_calls: 100,
            max_gas,
        };
        let chunks = chunk_steps(std::slice::from_ref(&step), limits, &MODEL).unwrap();
        assert_eq!(
            names(&chunks),
            [
                vec!["unpause", "refund0", "refund1", "pause"],
                vec!["unpause", "refund2", "refund3", "pause"],
                vec!["unpause", "refund4", "pause"],
            ]
        );
        assert!(chunks.iter().all(|c| c.gas <= max_gas));
    }

    #[test]
    fn a_call_too_big_for_max_gas_is_an_error() {
        let steps = vec![Step::Call(call_with_gas("huge", 20_000_000))];
        let limits = Limits {
            max_calls: 100,
            max_gas: 15_000_000,
        };
        let err = chunk_steps(&steps, limits, &MODEL).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "max_gas = 15000000 is too small: a Safe transaction with the call huge alone"
            ),
            "{err}"
        );
        let unknown = PlannedCall {
            gas: None,
            ..call("mystery")
        };
        let err = chunk_steps(&[Step::Call(unknown)], limits, &MODEL).unwrap_err();
        assert!(matches!(err, ChunkError::UnknownGas(_)), "{err:?}");
        assert!(err.to_string().contains("gas_per_call"), "{err}");
    }
}
