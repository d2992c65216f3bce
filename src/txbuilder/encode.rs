//! How the Transaction Builder turns a transaction's `contractMethod` and
//! `contractInputsValues` into calldata, in one place: bundlec writes values
//! that must encode to its `data`, and verify must know what the app sends
//! for a file from anywhere.

use alloy_dyn_abi::JsonAbiExt;
use alloy_json_abi::{Function, Param, StateMutability};
use alloy_primitives::Bytes;
use serde_json::{Map, Value};

use crate::abi::nesting;
use crate::abi::values::{ValueError, args_from_contract_inputs};

/// Why a `contractMethod` with its values gives no calldata.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A type or value nests past the type nesting limit
    /// ([`MAX_TYPE_NESTING`](crate::abi::nesting::MAX_TYPE_NESTING)): a bound
    /// on the work bundlec does, so the input is refused as a whole.
    #[error(transparent)]
    Limit(ValueError),
    /// What the app cannot encode (it would send empty data instead).
    #[error("{0}")]
    Unencodable(String),
}

impl EncodeError {
    pub fn is_limit(&self) -> bool {
        matches!(self, EncodeError::Limit(_))
    }
}

impl From<String> for EncodeError {
    fn from(message: String) -> Self {
        EncodeError::Unencodable(message)
    }
}

impl From<&str> for EncodeError {
    fn from(message: &str) -> Self {
        EncodeError::Unencodable(message.to_string())
    }
}

impl From<ValueError> for EncodeError {
    fn from(err: ValueError) -> Self {
        if err.is_limit() {
            EncodeError::Limit(err)
        } else {
            EncodeError::Unencodable(err.to_string())
        }
    }
}

/// The function the app encodes from a `contractMethod`: its name and inputs
/// (`internalType` optional); outputs and mutability do not enter calldata.
/// Each input's nesting is checked on its JSON, before it is read.
pub fn method_function(
    name: &str,
    inputs: &[Value],
    payable: bool,
) -> Result<Function, EncodeError> {
    let inputs = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            nesting::check_param_json(input).map_err(|e| {
                EncodeError::Limit(ValueError {
                    path: format!("inputs[{index}]"),
                    problem: e.into(),
                })
            })?;
            serde_json::from_value::<Param>(input.clone())
                .map_err(|e| EncodeError::from(format!("`inputs`: {e}")))
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

/// Properties every JavaScript object has: the app reads a missing value
/// `values[name]` and gets one of these functions instead of `undefined`,
/// fails to encode it and sends empty data.
const OBJECT_PROTOTYPE_KEYS: [&str; 12] = [
    "constructor",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// The calldata the app sends for `function` with these `contractInputsValues`
/// (a missing key reads as ""), or why it sends empty data instead.
pub fn encode_method(
    function: &Function,
    values: &Map<String, Value>,
) -> Result<Bytes, EncodeError> {
    // The app does not encode these names at all, and an empty name has no selector.
    if function.name.is_empty() || function.name == "receive" || function.name == "fallback" {
        return Err(format!("`{}` is not a callable function name", function.name).into());
    }
    // web3 hashes a name that already holds a signature as written, not the
    // signature bundlec would build from it: refuse rather than disagree.
    if function.name.contains('(') {
        return Err(format!(
            "the method name `{}` is itself a signature, which the app hashes as written",
            function.name
        )
        .into());
    }
    for (index, param) in function.inputs.iter().enumerate() {
        let key = crate::abi::values::contract_input_key(param, index);
        if !values.contains_key(&key) && OBJECT_PROTOTYPE_KEYS.contains(&key.as_str()) {
            return Err(format!(
                "the value of `{key}` is missing, and the app would read JavaScript's built-in `{key}` instead"
            )
            .into());
        }
    }
    let args = args_from_contract_inputs(function, values)?;
    function
        .abi_encode_input(&args)
        .map(Bytes::from)
        .map_err(|e| e.to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn function(name: &str, input: &str) -> Function {
        method_function(name, &[json!({"name": input, "type": "uint256"})], false).unwrap()
    }

    #[test]
    fn what_the_app_cannot_encode_is_an_error() {
        let mut values = Map::new();
        values.insert("amount".into(), json!("1"));
        assert!(encode_method(&function("burn", "amount"), &values).is_ok());
        assert!(encode_method(&function("", "amount"), &values).is_err());
        assert!(encode_method(&function("burn(uint256)", "amount"), &values).is_err());
        // A missing value named like a JavaScript built-in is not "".
        let err = encode_method(&function("burn", "constructor"), &Map::new()).unwrap_err();
        assert!(err.to_string().contains("built-in"), "{err}");
        // Any other missing value reads as "", which a uint cannot be.
        assert!(encode_method(&function("burn", "other"), &Map::new()).is_err());
    }
}
