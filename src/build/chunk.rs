//! Splitting a plan into batches of at most `max_calls` calls.
//!
//! Steps keep their order across batches, and batches execute in nonce order,
//! so the calls run in plan order. A [`Step::Wrapped`] body (refunds that need
//! JobRegistry and StakeManager unpaused) is kept in one batch whenever it can
//! be; when it cannot, every batch holding part of it repeats `before` and
//! `after`, so each batch leaves the modules as it found them and can be
//! executed, or left unexecuted, on its own.

// Call counts here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use crate::plan::{PlannedCall, Step};

/// A wrapped step whose `before` and `after` calls leave no room for its body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "max_calls = {max_calls} is too small: a batch that runs part of a wrapped step needs its \
     {before} call(s) before, {after} call(s) after and at least one call of its body, so \
     max_calls must be at least {needed}"
)]
pub struct ChunkError {
    pub max_calls: usize,
    pub before: usize,
    pub after: usize,
    pub needed: usize,
}

/// The calls of each batch, in order. Never returns an empty batch; returns no
/// batch at all for a plan without calls.
pub fn chunk_steps(steps: &[Step], max_calls: usize) -> Result<Vec<Vec<&PlannedCall>>, ChunkError> {
    let max_calls = max_calls.max(1);
    let mut chunker = Chunker {
        max_calls,
        done: Vec::new(),
        current: Vec::new(),
    };
    for step in steps {
        match step {
            Step::Call(call) => {
                chunker.make_room(1);
                chunker.current.push(call);
            }
            Step::Wrapped {
                before,
                body,
                after,
            } => chunker.wrapped(before, body, after)?,
        }
    }
    chunker.close();
    Ok(chunker.done)
}

struct Chunker<'a> {
    max_calls: usize,
    done: Vec<Vec<&'a PlannedCall>>,
    current: Vec<&'a PlannedCall>,
}

impl<'a> Chunker<'a> {
    fn free(&self) -> usize {
        self.max_calls.saturating_sub(self.current.len())
    }

    fn close(&mut self) {
        if !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
    }

    /// Starts a new batch unless the current one has `n` free slots.
    fn make_room(&mut self, n: usize) {
        if self.free() < n {
            self.close();
        }
    }

    fn wrapped(
        &mut self,
        before: &'a [PlannedCall],
        body: &'a [PlannedCall],
        after: &'a [PlannedCall],
    ) -> Result<(), ChunkError> {
        // Lengths of slices in memory: their sums stay far below usize::MAX.
        let frame = before.len().saturating_add(after.len());
        let whole = frame.saturating_add(body.len());
        let needed = frame.saturating_add(1);
        // Whole, in the current batch or else in a fresh one: no repeated frame.
        if whole <= self.max_calls {
            self.make_room(whole);
            self.current.extend(before);
            self.current.extend(body);
            self.current.extend(after);
            return Ok(());
        }
        if needed > self.max_calls {
            return Err(ChunkError {
                max_calls: self.max_calls,
                before: before.len(),
                after: after.len(),
                needed,
            });
        }
        // Split: each part fills its batch and carries the whole frame.
        let mut rest = body;
        while !rest.is_empty() {
            // At least `needed` slots are free now, so `take` is at least 1.
            self.make_room(needed);
            let take = self.free().saturating_sub(frame).min(rest.len());
            let (part, tail) = rest.split_at(take);
            self.current.extend(before);
            self.current.extend(part);
            self.current.extend(after);
            rest = tail;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_json_abi::Function;
    use alloy_primitives::{Address, Bytes, U256};

    fn call(name: &str) -> PlannedCall {
        PlannedCall {
            to: Address::ZERO,
            value: U256::ZERO,
            data: Bytes::new(),
            function: Function::parse(&format!("function {name}()")).unwrap(),
            args: Vec::new(),
            summary: name.to_string(),
        }
    }

    fn calls(prefix: &str, n: usize) -> Vec<PlannedCall> {
        (0..n).map(|i| call(&format!("{prefix}{i}"))).collect()
    }

    fn names(chunks: &[Vec<&PlannedCall>]) -> Vec<Vec<String>> {
        chunks
            .iter()
            .map(|c| c.iter().map(|call| call.summary.clone()).collect())
            .collect()
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
        let chunks = chunk_steps(&steps, 2).unwrap();
        assert_eq!(
            names(&chunks),
            [vec!["c0", "c1"], vec!["c2", "c3"], vec!["c4"]]
        );
        assert_eq!(chunk_steps(&steps, 100).unwrap().len(), 1);
        assert!(chunk_steps(&[], 3).unwrap().is_empty());
    }

    #[test]
    fn a_wrapped_step_that_fits_is_not_split() {
        // 3 plain calls leave 3 slots: the 6-call step moves to a fresh batch whole.
        let mut steps: Vec<Step> = calls("c", 3).into_iter().map(Step::Call).collect();
        steps.push(wrapped(2));
        let chunks = chunk_steps(&steps, 6).unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].len(), 6);
    }

    #[test]
    fn a_split_body_repeats_its_frame_in_every_part() {
        let steps = vec![Step::Call(call("first")), wrapped(5)];
        let chunks = chunk_steps(&steps, 6).unwrap();
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
        let chunks = chunk_steps(&steps, 6).unwrap();
        assert_eq!(
            names(&chunks)[1],
            [
                "unpauseA", "unpauseB", "refund2", "pauseA", "pauseB", "last"
            ]
        );
    }

    #[test]
    fn too_small_a_limit_is_an_error() {
        let err = chunk_steps(&[wrapped(3)], 4).unwrap_err();
        assert_eq!(err.needed, 5);
        assert!(err.to_string().contains("at least 5"), "{err}");
        assert!(chunk_steps(&[wrapped(3)], 5).is_ok());
    }
}
