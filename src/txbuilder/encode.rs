//! How the Transaction Builder turns a transaction's `contractMethod` and
//! `contractInputsValues` into calldata, in one place: bundlec writes values
//! that must encode to its `data`, and verify must know what the app sends
//! for a file from anywhere.

use alloy_dyn_abi::JsonAbiExt;
use alloy_json_abi::{Function, Param, StateMutability};
use alloy_primitives::Bytes;
use serde_json::{Map, Value};

use crate::abi::values::args_from_contract_inputs;

/// The function the app encodes from a `contractMethod`: its name and inputs
/// (`internalType` optional); outputs and mutability do not enter calldata.
pub fn method_function(name: &str, inputs: &[Value], payable: bool) -> Result<Function, String> {
    let inputs = inputs
        .iter()
        .map(|input| {
            serde_json::from_value::<Param>(input.clone()).map_err(|e| format!("`inputs`: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Function {
        name: name.to_string(),
        inputs,
        outputs: Vec::new(),
        state_mutability: if payable {
            StateMutability::Payable
        } else {
            StateMutability::NonPayable
        },
    })
}

/// The calldata the app sends for `function` with these `contractInputsValues`
/// (a missing key reads as ""), or why it cannot encode them.
pub fn encode_method(function: &Function, values: &Map<String, Value>) -> Result<Bytes, String> {
    // The app does not encode these names at all.
    if function.name == "receive" || function.name == "fallback" {
        return Err(format!(
            "`{}` is not a callable function name",
            function.name
        ));
    }
    let args = args_from_contract_inputs(function, values).map_err(|e| e.to_string())?;
    function
        .abi_encode_input(&args)
        .map(Bytes::from)
        .map_err(|e| e.to_string())
}
