//! Contract ABIs: the embedded registry, typed call arguments, and their
//! Transaction Builder string forms.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod nesting;
pub mod registry;
pub mod values;
