//! Contract ABIs: the embedded registry, typed call arguments, and their
//! Transaction Builder string forms.

// Lengths and offsets here come from input: overflow must be an error, not a panic or a wrap.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

mod embedded;
pub mod nesting;
pub mod registry;
pub mod values;

use alloy_dyn_abi::{DynSolType, Specifier};
use alloy_json_abi::Param;

/// `param`'s type as bundlec reads it: alloy's `resolve`, with every
/// `CustomStruct` (what alloy's `eip712` feature, enabled for `TypedData`,
/// makes of a tuple whose `internalType` names a struct) read as the plain
/// tuple it is in the ABI encoding. bundlec works with ABI tuples only, so
/// its types are the same with or without that feature.
///
/// Recursion is bounded: every caller checks the parameter's nesting
/// (`nesting::check_param`, 32 levels) first, or reads an embedded ABI.
pub fn resolve(param: &Param) -> Result<DynSolType, alloy_dyn_abi::Error> {
    param.resolve().map(plain)
}

fn plain(ty: DynSolType) -> DynSolType {
    match ty {
        DynSolType::CustomStruct { tuple, .. } | DynSolType::Tuple(tuple) => {
            DynSolType::Tuple(tuple.into_iter().map(plain).collect())
        }
        DynSolType::Array(inner) => DynSolType::Array(Box::new(plain(*inner))),
        DynSolType::FixedArray(inner, n) => DynSolType::FixedArray(Box::new(plain(*inner)), n),
        other => other,
    }
}
