//! One planned call as a Transaction Builder transaction: explicit `data`,
//! plus the `contractMethod` and `contractInputsValues` that the app shows
//! and that encode to the same bytes.

use std::collections::HashMap;
use std::rc::Rc;

use alloy_json_abi::{Function, StateMutability};
use alloy_primitives::hex;
use serde_json::Value;

use crate::abi::values::contract_inputs_values_with;
use crate::memo::{Eip55, Selectors};
use crate::plan::PlannedCall;
use crate::txbuilder::encode::{AppEncoding, PreparedMethod};
use crate::txbuilder::{BatchTransaction, ContractMethod};

/// Why a planned call cannot be written as a batch transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransactionError {
    #[error("its arguments have no Transaction Builder form: {0}")]
    Inputs(String),
    #[error("its arguments do not encode: {0}")]
    Encode(String),
    #[error(
        "its contractInputsValues encode to {encoded}, not to its data {data}; \
         the Transaction Builder would show one call and send another"
    )]
    Mismatch { data: String, encoded: String },
    #[error("its ABI inputs cannot be written as JSON: {0}")]
    Abi(String),
}

/// `contractMethod` for `function`: its inputs as ABI JSON, its name and
/// whether it accepts value.
pub fn contract_method(function: &Function) -> Result<ContractMethod, TransactionError> {
    let inputs = function
        .inputs
        .iter()
        .map(|param| serde_json::to_value(param).map_err(|e| TransactionError::Abi(e.to_string())))
        .collect::<Result<_, _>>()?;
    Ok(ContractMethod {
        inputs,
        name: function.name.clone(),
        payable: function.state_mutability == StateMutability::Payable,
    })
}

/// The batch transaction for `call`. Its `contractInputsValues` are read back
/// with the Transaction Builder's rules and encoded; anything but exactly
/// `call.data` is refused.
pub fn batch_transaction(call: &PlannedCall) -> Result<BatchTransaction, TransactionError> {
    Transactions::new().batch_transaction(call)
}

/// The batch transactions of one build. A batch calls the same few functions
/// again and again (a refund, one function per job), so each distinct
/// function's `contractMethod`, and the JSON the app reads it from, is made
/// once, each selector is hashed once, and each address argument is spelled
/// (EIP-55) once.
#[derive(Debug, Default)]
pub struct Transactions {
    /// Lookups only: nothing written depends on the map's order.
    methods: HashMap<Rc<Function>, Method>,
    selectors: Selectors,
    /// The EIP-55 spelling of each address argument.
    eip55: Eip55,
}

/// A function's `contractMethod`, and the same as the app's encoding reads
/// it, once per function.
#[derive(Debug)]
struct Method {
    method: Rc<ContractMethod>,
    prepared: PreparedMethod,
}

impl Transactions {
    pub fn new() -> Self {
        Self::default()
    }

    /// [`batch_transaction`], with what this build already made reused.
    pub fn batch_transaction(
        &mut self,
        call: &PlannedCall,
    ) -> Result<BatchTransaction, TransactionError> {
        let values = contract_inputs_values_with(&call.function, &call.args, &self.eip55)
            .map_err(|e| TransactionError::Inputs(e.to_string()))?;
        let method = match self.methods.get(&*call.function) {
            Some(method) => method,
            None => {
                let method = contract_method(&call.function)?;
                let prepared = PreparedMethod::new(Some(&method_json(&method)?));
                self.methods
                    .entry(Rc::clone(&call.function))
                    .or_insert(Method {
                        method: Rc::new(method),
                        prepared,
                    })
            }
        };
        let encoded = encode_values(&method.prepared, &values, &self.selectors)?;
        if encoded != call.data.as_ref() {
            return Err(TransactionError::Mismatch {
                data: hex::encode_prefixed(&call.data),
                encoded: hex::encode_prefixed(&encoded),
            });
        }
        Ok(BatchTransaction {
            to: call.to,
            value: call.value,
            data: Some(call.data.clone()),
            contract_method: Some(Rc::clone(&method.method)),
            contract_inputs_values: Some(values),
        })
    }
}

fn method_json(method: &ContractMethod) -> Result<Value, TransactionError> {
    serde_json::to_value(method).map_err(|e| TransactionError::Abi(e.to_string()))
}

/// The calldata the Transaction Builder builds from `contractMethod` and
/// `contractInputsValues` (selector included).
pub fn encode_contract_inputs(
    method: &ContractMethod,
    values: &[(String, String)],
) -> Result<Vec<u8>, TransactionError> {
    let prepared = PreparedMethod::new(Some(&method_json(method)?));
    encode_values(&prepared, values, &Selectors::new())
}

/// [`encode_contract_inputs`] from the method as the app's encoding reads it.
fn encode_values(
    method: &PreparedMethod,
    values: &[(String, String)],
    selectors: &Selectors,
) -> Result<Vec<u8>, TransactionError> {
    let map: serde_json::Map<String, Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let values = Value::Object(map);
    match method.encode(Some(&values), selectors) {
        Ok(AppEncoding::Calldata(encoded)) => match encoded.differences.first() {
            // bundlec writes values that mean what they say.
            Some(difference) => Err(TransactionError::Encode(difference.clone())),
            None => Ok(encoded.data.to_vec()),
        },
        Ok(AppEncoding::Empty(reason)) => Err(TransactionError::Encode(format!(
            "the Transaction Builder would send empty data: {reason}"
        ))),
        Err(err) => Err(TransactionError::Encode(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
    use alloy_primitives::{Address, Bytes, U256, address};

    fn planned(signature: &str, args: Vec<DynSolValue>) -> PlannedCall {
        let function = Function::parse(signature).unwrap();
        let data = Bytes::from(function.abi_encode_input(&args).unwrap());
        PlannedCall {
            to: Address::repeat_byte(0x77),
            value: U256::ZERO,
            data,
            function: function.into(),
            args,
            summary: "".into(),
            gas: None,
        }
    }

    #[test]
    fn inputs_values_encode_to_the_data() {
        let call = planned(
            "function governanceSlash(address user, uint8 role, uint256 pctBps, address beneficiary)",
            vec![
                DynSolValue::Address(address!("0x1111111111111111111111111111111111111111")),
                DynSolValue::Uint(U256::from(1), 8),
                DynSolValue::Uint(U256::from(2500), 256),
                DynSolValue::Address(address!("0x5afe000000000000000000000000000000000002")),
            ],
        );
        let tx = batch_transaction(&call).unwrap();
        let values = tx.contract_inputs_values.unwrap();
        assert_eq!(values[1], ("role".to_string(), "1".to_string()));
        assert_eq!(values[2], ("pctBps".to_string(), "2500".to_string()));
        let method = tx.contract_method.unwrap();
        assert_eq!(method.name, "governanceSlash");
        assert!(!method.payable);
        assert_eq!(method.inputs[0]["type"], "address");
        assert_eq!(
            encode_contract_inputs(&method, &values).unwrap(),
            call.data.to_vec()
        );
    }

    #[test]
    fn data_that_disagrees_with_the_arguments_is_refused() {
        let mut call = planned(
            "function delistJob(uint256 jobId)",
            vec![DynSolValue::Uint(U256::from(7), 256)],
        );
        call.data = planned(
            "function delistJob(uint256 jobId)",
            vec![DynSolValue::Uint(U256::from(8), 256)],
        )
        .data;
        assert!(matches!(
            batch_transaction(&call),
            Err(TransactionError::Mismatch { .. })
        ));
    }

    #[test]
    fn payable_functions_are_marked() {
        let call = planned("function deposit() payable", vec![]);
        assert!(
            batch_transaction(&call)
                .unwrap()
                .contract_method
                .unwrap()
                .payable
        );
    }
}
