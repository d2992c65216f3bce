//! Runbooks: the intent files operators write and the deployment address books
//! they share, parsed with the place of every value so each error can point at it.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod deployment;
pub mod intent_file;
pub mod names;
pub mod source;

pub use deployment::{ContractEntry, Deployment, Layout, parse_deployment};
pub use intent_file::{
    AcceptConfig, Bundle, DeploymentSource, Intent, Modules, Runbook, SafeConfig, parse_runbook,
};
pub use source::{InputError, Located, Location, Source};
