//! What the Transaction Builder sends for a transaction without `data`, in
//! one place: build checks that the values it writes encode to its `data`,
//! and verify must know what the app sends for a file from anywhere.
//!
//! The app (tx-builder 1.18.3, web3-eth-abi 1.8.1 over ethers v5) encodes
//! `contractMethod` with `contractInputsValues` and, when anything throws,
//! proposes `0x` to the target without a visible error. This module follows
//! it, quirks included (the app's own results are the vectors in
//! `conformance/txbuilder-app/`):
//!
//! - no `contractMethod`, a falsy `name`, `receive`/`fallback`, `inputs`
//!   missing or `null`, a non-string name: `0x`;
//! - the selector hashes a name holding `(` as written, otherwise
//!   `name(types as written)` (`uint` stays `uint`, a tuple is
//!   `(components)`, a tuple without `components` is `tuple`);
//! - input *i* reads `values[name || i]`, the name as JavaScript prints it
//!   (`1.0` reads `"1"`, said to the signer); a falsy value is `""`; a
//!   missing key named like a JavaScript built-in reads the built-in;
//! - top-level values are parsed by type: bool (trimmed, any case,
//!   `true`/`1`/`false`/`0`), integers (quotes removed, BN.js `toBN`: hex
//!   letters without `0x` make the whole string hex, an empty number is 0),
//!   tuples and string arrays (`JSON.parse`), other arrays (the app's
//!   bracket list: whitespace dropped inside items, empty slots are holes,
//!   the list ends at its last item), anything else as is; "trimmed" is
//!   JavaScript's trim (`js::trim`: U+FEFF yes, U+0085 no);
//! - web3 then pads top-level `bytes`/`bytesN` (and 1-D dynamic arrays of
//!   them): a short `bytesN` is right-padded, an odd-length value has its
//!   first two characters replaced by `0x0`;
//! - ethers encodes; inside tuples nothing is parsed or padded, a bool is
//!   JavaScript truthiness (`"false"` is true), and a tuple given as an
//!   object is refused when a component name repeats or is an
//!   `Object.prototype` name.
//!
//! Where the bytes differ from what the file's text plainly says, the
//! difference is reported with the calldata.

// Lengths and widths come from input: overflow must be an error, not a panic.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, B256, Bytes, I256, U256};
use serde_json::{Map, Value};

use crate::abi::nesting;
use crate::abi::values::ValueError;
use crate::memo::Selectors;

/// Why bundlec will not model a `contractMethod` at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A type nests past the type nesting limit
    /// ([`MAX_TYPE_NESTING`](crate::abi::nesting::MAX_TYPE_NESTING)): a bound
    /// on the work bundlec does, so the input is refused as a whole.
    #[error(transparent)]
    Limit(ValueError),
}

impl EncodeError {
    pub fn is_limit(&self) -> bool {
        matches!(self, EncodeError::Limit(_))
    }
}

/// The calldata the app sends, and where it differs from the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub data: Bytes,
    /// The signature the selector is the hash of, as the app builds it.
    pub signature: String,
    /// Each place where the bytes do not mean what the text plainly says
    /// (`"false"` sent as true, padding added to a hex value, …).
    pub differences: Vec<String>,
}

/// What the app puts in the transaction it proposes for a data-less call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppEncoding {
    /// It encodes the call.
    Calldata(Encoded),
    /// Encoding fails or is not attempted: it sends `0x`, saying nothing.
    Empty(String),
}

/// Whether the app refuses the whole file over these `contractInputsValues`:
/// a top-level JSON number gets the banner "Make sure all numbers are
/// encoded as strings" and nothing is proposed.
pub fn refused_for_numbers(values: Option<&Value>) -> bool {
    // The app checks `Object.values(contractInputsValues)`: an object's
    // values, or a list's items.
    match values {
        Some(Value::Object(map)) => map.values().any(Value::is_number),
        Some(Value::Array(items)) => items.iter().any(Value::is_number),
        _ => false,
    }
}

/// The name the app shows for a method (its `name`, when it is a string).
pub fn method_label(method: Option<&Value>) -> String {
    match method.and_then(|m| m.get("name")).and_then(Value::as_str) {
        Some(name) if !name.is_empty() => format!("`{name}`"),
        _ => "the method".to_string(),
    }
}

/// What the app sends for `contractMethod` with `contractInputsValues` when
/// the transaction has no `data`.
pub fn app_encode(
    method: Option<&Value>,
    values: Option<&Value>,
) -> Result<AppEncoding, EncodeError> {
    app_encode_with(method, values, &Selectors::new())
}

/// [`app_encode`], with the selectors of a whole batch hashed once each.
pub fn app_encode_with(
    method: Option<&Value>,
    values: Option<&Value>,
    selectors: &Selectors,
) -> Result<AppEncoding, EncodeError> {
    PreparedMethod::new(method).encode(values, selectors)
}

/// What the app's encoding reads from a `contractMethod` alone, read once:
/// a batch of thousands of calls to one function repeats its method in each
/// transaction. [`PreparedMethod::encode`] then reads a transaction's values,
/// with every outcome and error [`app_encode_with`] has, in the same order.
#[derive(Debug, Clone)]
pub struct PreparedMethod(Stage);

#[derive(Debug, Clone)]
enum Stage {
    /// Decided by the method alone, before any value is read.
    Settled(Result<AppEncoding, EncodeError>),
    Ready {
        /// The (key, type) of each input with a type string, for the value
        /// nesting bound.
        nesting: Vec<(String, String)>,
        /// The call's shape, or why the app sends `0x` once the values
        /// pass the nesting bound.
        call: Result<CallShape, String>,
    },
}

/// The method's part of an encoding: the selector's signature and each
/// input's key, type and ABI type.
#[derive(Debug, Clone)]
struct CallShape {
    signature: String,
    /// Where the selector's signature is not the function's, and inputs
    /// whose name is not a string (the app reads their values under the
    /// name as JavaScript prints it).
    notes: Vec<String>,
    /// Each input, or why the app stops there (after the inputs before it
    /// have read their values).
    inputs: Vec<Result<InputShape, String>>,
}

#[derive(Debug, Clone)]
struct InputShape {
    key: String,
    /// The type as the app encodes it (`function` is `bytes24`).
    ty: String,
    /// Read only after the input's value: its error comes second.
    param: Result<Param, String>,
}

impl PreparedMethod {
    pub fn new(method: Option<&Value>) -> Self {
        let empty = |reason: &str| {
            PreparedMethod(Stage::Settled(Ok(AppEncoding::Empty(reason.to_string()))))
        };
        let Some(method) = method.filter(|m| !m.is_null()) else {
            return empty("there is no contractMethod");
        };
        let name = match method.get("name") {
            None | Some(Value::Null) => return empty("the method has no name"),
            Some(v) if !truthy(v) => return empty("the method has no name"),
            Some(Value::String(s)) if s == "receive" || s == "fallback" => {
                return empty("the app does not encode `receive` or `fallback`");
            }
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return empty("the method name is not a string"),
        };
        let inputs = match method.get("inputs") {
            Some(Value::Array(inputs)) => inputs,
            _ => return empty("the method has no `inputs` array"),
        };
        for (index, input) in inputs.iter().enumerate() {
            if let Err(e) = nesting::check_param_json(input) {
                return PreparedMethod(Stage::Settled(Err(EncodeError::Limit(ValueError {
                    path: format!("inputs[{index}]"),
                    problem: e.into(),
                }))));
            }
        }
        let nesting = inputs
            .iter()
            .enumerate()
            .filter_map(|(index, input)| {
                let ty = input.get("type").and_then(Value::as_str)?;
                Some((input_key(index, input), ty.to_string()))
            })
            .collect();
        PreparedMethod(Stage::Ready {
            nesting,
            call: call_shape(name, inputs),
        })
    }

    /// What the app sends for this method with `values`.
    pub fn encode(
        &self,
        values: Option<&Value>,
        selectors: &Selectors,
    ) -> Result<AppEncoding, EncodeError> {
        match &self.0 {
            Stage::Settled(outcome) => outcome.clone(),
            Stage::Ready { nesting, call } => {
                check_value_nesting(nesting, values)?;
                Ok(match call {
                    Ok(shape) => {
                        encode_call(shape, values, selectors).unwrap_or_else(AppEncoding::Empty)
                    }
                    Err(reason) => AppEncoding::Empty(reason.clone()),
                })
            }
        }
    }
}

/// The key input `index` reads its value under: its name when truthy.
fn input_key(index: usize, input: &Value) -> String {
    match input.get("name") {
        Some(v) if truthy(v) => js_key(v),
        _ => index.to_string(),
    }
}

/// Bounds bundlec's work on the values as on the types: a JSON or list
/// value nesting past the limit refuses the input as a whole.
fn check_value_nesting(
    inputs: &[(String, String)],
    values: Option<&Value>,
) -> Result<(), EncodeError> {
    let Some(Value::Object(map)) = values else {
        return Ok(());
    };
    for (key, ty) in inputs {
        let Some(Value::String(text)) = map.get(key) else {
            continue;
        };
        let checked = if ty.starts_with("tuple") || ty.starts_with("string[") {
            nesting::check_json_text(text)
        } else if ty.contains('[') {
            nesting::check_list_text(text)
        } else {
            Ok(())
        };
        checked.map_err(|e| {
            EncodeError::Limit(ValueError {
                path: format!("contractInputsValues.{key}"),
                problem: e.into(),
            })
        })?;
    }
    Ok(())
}

fn call_shape(name: &str, inputs: &[Value]) -> Result<CallShape, String> {
    let written = inputs
        .iter()
        .map(selector_type)
        .collect::<Result<Vec<_>, _>>()?;
    let signature = if name.contains('(') {
        name.to_string()
    } else {
        format!("{name}({})", written.join(","))
    };
    let canonical = inputs
        .iter()
        .map(canonical_type)
        .collect::<Option<Vec<_>>>()
        .map(|types| {
            let stem = name.split('(').next().unwrap_or(name).trim();
            format!("{stem}({})", types.join(","))
        });
    let selector_note = canonical.filter(|c| c != &signature).map(|canonical| {
        format!(
            "the selector is the hash of `{signature}`, not of the function's signature `{canonical}`"
        )
    });
    let name_notes = inputs.iter().enumerate().filter_map(|(index, input)| {
        let name = input
            .get("name")
            .filter(|name| truthy(name) && !name.is_string())?;
        Some(format!(
            "input {index}'s name is {name}, not a string: the app reads its value under `{}`",
            input_key(index, input)
        ))
    });
    let notes = selector_note.into_iter().chain(name_notes).collect();
    let inputs = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| input_shape(index, input))
        .collect();
    Ok(CallShape {
        signature,
        notes,
        inputs,
    })
}

fn input_shape(index: usize, input: &Value) -> Result<InputShape, String> {
    let Some(object) = input.as_object() else {
        return Err(format!("input {index} is not an object"));
    };
    // web3 takes an input without a `name` key (and without components)
    // for a struct shorthand and fails.
    if !object.contains_key("name") && !object.contains_key("components") {
        return Err(format!("input {index} has no `name` key"));
    }
    let key = input_key(index, input);
    let Some(Value::String(ty)) = object.get("type") else {
        return Err(format!("input `{key}` has no type string"));
    };
    // web3 maps a top-level `function` to `bytes24`.
    let ty = if ty == "function" {
        "bytes24"
    } else {
        ty.as_str()
    };
    Ok(InputShape {
        key,
        ty: ty.to_string(),
        param: param_type(ty, object.get("components")),
    })
}

fn encode_call(
    shape: &CallShape,
    values: Option<&Value>,
    selectors: &Selectors,
) -> Result<AppEncoding, String> {
    let mut differences: Vec<String> = shape.notes.clone();
    let mut args = Vec::with_capacity(shape.inputs.len());
    for input in &shape.inputs {
        let input = input.as_ref().map_err(Clone::clone)?;
        let raw = read_value(values, &input.key)?;
        let param = input.param.as_ref().map_err(Clone::clone)?;
        let value = parse_input(&input.ty, param, raw, &input.key, &mut differences)?;
        if input.ty.contains("tuple")
            && let Js::Json(parsed) = &value
        {
            web3_tuple_array_lengths(&input.ty, parsed, &format!("`{}`", input.key))?;
        }
        args.push(encode_value(param, value, &input.key, &mut differences)?);
    }
    let mut data = selectors.of(&shape.signature).to_vec();
    data.extend(DynSolValue::Tuple(args).abi_encode_params());
    Ok(AppEncoding::Calldata(Encoded {
        data: Bytes::from(data),
        signature: shape.signature.clone(),
        differences,
    }))
}

/// web3-eth-abi checks the lengths of arrays of tuples itself before ethers
/// does, reading the type string left to right: the first fixed size
/// written (`[2]` in `tuple[2][]`, the inner size) is compared with the
/// outermost list. So `tuple[2][]` with one pair fails, and the app sends
/// `0x`; with exactly two pairs it encodes.
fn web3_tuple_array_lengths(ty: &str, value: &Value, field: &str) -> Result<(), String> {
    if !ty.ends_with(']') {
        return Ok(());
    }
    let items = value.as_array().ok_or(format!("{field}: not a list"))?;
    let fixed = ty.match_indices('[').find_map(|(open, _)| {
        let rest = ty.get(open.saturating_add(1)..)?;
        let close = rest.find(']')?;
        let digits = rest.get(..close)?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| (open, open.saturating_add(close).saturating_add(2), digits))
    });
    let inner = match fixed {
        None => ty.replacen("[]", "", 1),
        Some((start, end, digits)) => {
            if digits.parse::<usize>().ok() != Some(items.len()) {
                return Err(format!(
                    "{field}: web3 compares this list's {} items with the size [{digits}] written first in `{ty}`, and fails",
                    items.len()
                ));
            }
            format!(
                "{}{}",
                ty.get(..start).unwrap_or(""),
                ty.get(end..).unwrap_or("")
            )
        }
    };
    items
        .iter()
        .try_for_each(|item| web3_tuple_array_lengths(&inner, item, field))
}

/// JavaScript truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A JSON value used as an object key, as JavaScript converts it
/// (`String(value)`: `1.0` is `"1"`, `["a"]` is `"a"`).
fn js_key(value: &Value) -> String {
    super::js::to_js_string(value)
}

/// web3's type text for the selector: the type as written, a tuple with
/// components as `(components)` plus its array suffix.
fn selector_type(input: &Value) -> Result<String, String> {
    let ty = input.get("type");
    match input.get("components") {
        None => Ok(match ty {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => String::new(),
            Some(other) => other.to_string(),
        }),
        Some(Value::Array(components)) => {
            let Some(Value::String(ty)) = ty else {
                return Err("components found but type is not tuple".into());
            };
            if !ty.starts_with("tuple") {
                return Err("components found but type is not tuple".into());
            }
            let suffix = ty.find('[').and_then(|i| ty.get(i..)).unwrap_or("");
            let inner = components
                .iter()
                .map(selector_type)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(format!("({}){suffix}", inner.join(",")))
        }
        Some(Value::Object(_) | Value::Null) => Err("the tuple's components are not a list".into()),
        Some(_) => Ok(match ty {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        }),
    }
}

/// The canonical Solidity type of an input (`uint` is `uint256`), if it has one.
fn canonical_type(input: &Value) -> Option<String> {
    let ty = input.get("type")?.as_str()?;
    let (stem, suffix) = ty.find('[').map_or((ty, ""), |i| {
        (ty.get(..i).unwrap_or(ty), ty.get(i..).unwrap_or(""))
    });
    let stem = match stem {
        "uint" => "uint256".to_string(),
        "int" => "int256".to_string(),
        "tuple" => {
            let components = input.get("components")?.as_array()?;
            let inner = components
                .iter()
                .map(canonical_type)
                .collect::<Option<Vec<_>>>()?;
            format!("({})", inner.join(","))
        }
        other => other.to_string(),
    };
    Some(format!("{stem}{suffix}"))
}

/// An ABI type as ethers builds it from an input object.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Param {
    Address,
    Bool,
    String,
    Bytes,
    FixedBytes(usize),
    Int { signed: bool, bits: usize },
    Array(Box<Param>, Option<usize>),
    Tuple(Vec<(Option<String>, Param)>),
}

fn param_type(ty: &str, components: Option<&Value>) -> Result<Param, String> {
    if let Some(stem) = ty.strip_suffix(']')
        && let Some(open) = stem.rfind('[')
    {
        let digits = stem.get(open.saturating_add(1)..).unwrap_or("");
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            // ethers refuses a size written with a leading zero (`[01]`).
            if digits.len() > 1 && digits.starts_with('0') {
                return Err(format!("invalid array length in `{ty}`"));
            }
            let child = param_type(stem.get(..open).unwrap_or(""), components)?;
            let len = if digits.is_empty() {
                None
            } else {
                Some(
                    digits
                        .parse::<usize>()
                        .map_err(|_| format!("invalid array length in `{ty}`"))?,
                )
            };
            return Ok(Param::Array(Box::new(child), len));
        }
    }
    match ty {
        "address" => return Ok(Param::Address),
        "bool" => return Ok(Param::Bool),
        "string" => return Ok(Param::String),
        "bytes" => return Ok(Param::Bytes),
        "tuple" => {
            let components = match components {
                None | Some(Value::Null) => &[][..],
                Some(Value::Array(list)) => list.as_slice(),
                Some(_) => return Err("the tuple's components are not a list".into()),
            };
            let mut out = Vec::with_capacity(components.len());
            for component in components {
                let Some(Value::String(cty)) = component.get("type") else {
                    return Err("a tuple component has no type string".into());
                };
                let name = component
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string);
                out.push((name, param_type(cty, component.get("components"))?));
            }
            return Ok(Param::Tuple(out));
        }
        _ => {}
    }
    let int = ty
        .strip_prefix("uint")
        .map(|rest| (false, rest))
        .or_else(|| ty.strip_prefix("int").map(|rest| (true, rest)));
    if let Some((signed, digits)) = int
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let bits = if digits.is_empty() {
            256
        } else {
            digits.parse::<usize>().unwrap_or(0)
        };
        if bits == 0 || bits > 256 || bits % 8 != 0 {
            return Err(format!("invalid type `{ty}`: invalid bit length"));
        }
        return Ok(Param::Int { signed, bits });
    }
    if let Some(digits) = ty.strip_prefix("bytes")
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let size = digits.parse::<usize>().unwrap_or(0);
        if size == 0 || size > 32 {
            return Err(format!("invalid type `{ty}`: invalid bytes length"));
        }
        return Ok(Param::FixedBytes(size));
    }
    Err(format!("invalid type `{ty}`"))
}

/// A value on its way to the coder, as JavaScript holds it.
#[derive(Debug, Clone, PartialEq)]
enum Js {
    /// Absent: a hole in a list or a missing object key.
    Undefined,
    Json(Value),
    Str(String),
    Bool(bool),
    Int {
        negative: bool,
        magnitude: U256,
    },
    List(Vec<Js>),
    /// A built-in function read from `Object.prototype`, with its `length`.
    Function(u8),
}

/// Built-ins of `Object.prototype` and their `length`: the app reads a
/// missing `values[name]` from the prototype.
const PROTOTYPE_FUNCTIONS: [(&str, u8); 11] = [
    ("constructor", 1),
    ("__defineGetter__", 2),
    ("__defineSetter__", 2),
    ("__lookupGetter__", 1),
    ("__lookupSetter__", 1),
    ("hasOwnProperty", 1),
    ("isPrototypeOf", 1),
    ("propertyIsEnumerable", 1),
    ("toLocaleString", 0),
    ("toString", 0),
    ("valueOf", 0),
];

/// `values[key]`, a falsy result being `""`.
fn read_value(values: Option<&Value>, key: &str) -> Result<Js, String> {
    let found = match values {
        None | Some(Value::Null) => {
            return Err("there is no contractInputsValues object to read the values from".into());
        }
        Some(Value::Object(map)) => map.get(key).cloned(),
        Some(Value::Array(items)) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i).cloned()),
        Some(Value::String(s)) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| s.encode_utf16().nth(i))
            .map(|unit| Value::String(String::from_utf16_lossy(&[unit]))),
        Some(_) => None,
    };
    match found {
        Some(value) if truthy(&value) => Ok(match value {
            Value::String(s) => Js::Str(s),
            other => Js::Json(other),
        }),
        Some(_) => Ok(Js::Str(String::new())),
        None if key == "__proto__" && values.is_some_and(Value::is_object) => {
            Ok(Js::Json(Value::Object(Map::new())))
        }
        None => match PROTOTYPE_FUNCTIONS.iter().find(|(name, _)| *name == key) {
            Some((_, length)) if values.is_some_and(Value::is_object) => Ok(Js::Function(*length)),
            _ => Ok(Js::Str(String::new())),
        },
    }
}

fn is_int_type(ty: &str) -> bool {
    let digits = ty
        .strip_prefix("uint")
        .or_else(|| ty.strip_prefix("int"))
        .unwrap_or("x");
    digits.is_empty()
        || (digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && digits
                .parse::<usize>()
                .is_ok_and(|bits| bits > 0 && bits <= 256 && bits % 8 == 0))
}

/// The app's `parseInputValue`, then web3's `formatParam` on the result.
fn parse_input(
    ty: &str,
    param: &Param,
    raw: Js,
    key: &str,
    differences: &mut Vec<String>,
) -> Result<Js, String> {
    let field = format!("`{key}`");
    if ty == "bool" {
        return match raw {
            Js::Str(s) => parse_bool(&s)
                .map(Js::Bool)
                .ok_or(format!("{field}: invalid boolean value")),
            Js::Json(Value::Bool(true)) => Ok(Js::Bool(true)),
            other => Ok(other),
        };
    }
    if is_int_type(ty) {
        return match raw {
            Js::Str(s) => parse_int(&s, &field, differences),
            _ => Err(format!("{field}: not a number string")),
        };
    }
    let string_array = ty.starts_with("string[");
    if ty.starts_with("tuple") || string_array {
        let Js::Str(text) = raw else {
            return Err(format!("{field}: the value must be a JSON string"));
        };
        let parsed: Value = serde_json::from_str(super::js::trim(&text))
            .map_err(|e| format!("{field}: the value is not JSON ({e})"))?;
        return Ok(Js::Json(parsed));
    }
    if let Param::Array(..) = param {
        let Js::Str(text) = raw else {
            return Err(format!(
                "{field}: the value must be a bracketed list string"
            ));
        };
        let list = parse_list(super::js::trim(&text), param, &field, differences)?;
        // web3 pads the items of a 1-D dynamic `bytes[]` / `bytesN[]`.
        if let Param::Array(item, None) = param
            && let Param::Bytes | Param::FixedBytes(_) = item.as_ref()
            && let Js::List(items) = list
        {
            let size = match item.as_ref() {
                Param::FixedBytes(n) => *n,
                _ => 0,
            };
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, it)| match it {
                    Js::Str(s) => Ok(Js::Str(format_bytes(
                        &s,
                        size,
                        &format!("{field}[{i}]"),
                        differences,
                    ))),
                    _ => Err(format!("{field}[{i}]: not a hex string")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Js::List(items));
        }
        return Ok(list);
    }
    match (param, raw) {
        (Param::Bytes, Js::Str(s)) => Ok(Js::Str(format_bytes(&s, 0, &field, differences))),
        (Param::FixedBytes(n), Js::Str(s)) => {
            Ok(Js::Str(format_bytes(&s, *n, &field, differences)))
        }
        // web3 pads a top-level `bytes` value only when its `length` is odd,
        // which fails on anything but a string; an even-length byte list
        // reaches ethers as it is. `bytesN` calls a string method and fails.
        (Param::Bytes, Js::Json(value))
            if js_bytes(&value).is_some_and(|b| b.len().is_multiple_of(2)) =>
        {
            Ok(Js::Json(value))
        }
        (Param::Bytes | Param::FixedBytes(_), _) => Err(format!("{field}: not a hex string")),
        (_, raw) => Ok(raw),
    }
}

/// The app's top-level bool: trimmed, any case, `true`/`1` or `false`/`0`.
fn parse_bool(text: &str) -> Option<bool> {
    match super::js::trim(text).to_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The app's `parseIntValue` (quotes removed, trimmed) and BN.js `toBN`.
fn parse_int(text: &str, field: &str, differences: &mut Vec<String>) -> Result<Js, String> {
    let cleaned: String = text.chars().filter(|c| *c != '"' && *c != '\'').collect();
    let cleaned = super::js::trim(&cleaned);
    if cleaned.is_empty() {
        return Err(format!("{field}: empty number"));
    }
    let lower = cleaned.to_lowercase();
    let prefixed = lower.starts_with("0x") || lower.starts_with("-0x");
    let strip = |s: &str| {
        s.strip_prefix("0x")
            .map(str::to_string)
            .unwrap_or_else(|| s.to_string())
    };
    let mut rest = strip(&lower);
    let mut negative = false;
    if let Some(after) = rest.strip_prefix('-') {
        rest = strip(after);
        negative = true;
    }
    let was_empty = rest.is_empty();
    if was_empty {
        rest = "0".into();
    }
    let is_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let is_dec = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let out_of_range = || format!("{field}: `{text}` is out of range");
    let (inner_negative, magnitude) = if (!is_dec(&rest) && is_hex(&rest))
        || (prefixed && is_hex(&rest))
    {
        let magnitude = U256::from_str_radix(&rest, 16).map_err(|_| out_of_range())?;
        if !prefixed {
            differences.push(format!(
                "{field}: `{text}` has hex letters and no `0x`, so the app reads all of it as hexadecimal: {}{magnitude}",
                if negative { "-" } else { "" }
            ));
        }
        (false, magnitude)
    } else if is_dec(&rest) && !prefixed {
        let (neg, digits) = rest
            .strip_prefix('-')
            .map_or((false, rest.as_str()), |d| (true, d));
        (
            neg,
            U256::from_str_radix(digits, 10).map_err(|_| out_of_range())?,
        )
    } else {
        return Err(format!("{field}: `{text}` is not a number"));
    };
    if was_empty {
        differences.push(format!(
            "{field}: `{text}` has no digits, and the app sends 0"
        ));
    }
    Ok(Js::Int {
        negative: (negative != inner_negative) && !magnitude.is_zero(),
        magnitude,
    })
}

/// web3's `formatParam` for `bytes` (size 0) and `bytesN`.
fn format_bytes(text: &str, size: usize, field: &str, differences: &mut Vec<String>) -> String {
    // ASCII of even length that needs no padding is sent as written (hex
    // calldata, the common case): one UTF-16 unit per byte, so the walk
    // below would neither pad nor fix it.
    if text.is_ascii() && text.len().is_multiple_of(2) {
        let width = size.saturating_mul(2);
        let max = if text.starts_with("0x") {
            width.saturating_add(2)
        } else {
            width
        };
        if size == 0 || text.len() >= max {
            return text.to_owned();
        }
    }
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut padded = false;
    if size > 0 {
        let width = size.saturating_mul(2);
        let max = if text.starts_with("0x") {
            width.saturating_add(2)
        } else {
            width
        };
        if units.len() < max {
            let prefix = units.len() >= 2
                && units.first() == Some(&u16::from(b'0'))
                && matches!(units.get(1), Some(&x) if x == u16::from(b'x') || x == u16::from(b'X'));
            let mut digits: Vec<u16> = if prefix {
                units.get(2..).unwrap_or_default().to_vec()
            } else {
                units.clone()
            };
            while digits.len() < width {
                digits.push(u16::from(b'0'));
            }
            units = if prefix {
                "0x".encode_utf16().chain(digits).collect()
            } else {
                digits
            };
            padded = true;
        }
    }
    let mut fixed = false;
    if !units.len().is_multiple_of(2) {
        units = "0x0"
            .encode_utf16()
            .chain(units.get(2..).unwrap_or_default().iter().copied())
            .collect();
        fixed = true;
    }
    let result = String::from_utf16_lossy(&units);
    let valid = result.starts_with("0x")
        && result.len().is_multiple_of(2)
        && result.bytes().skip(2).all(|b| b.is_ascii_hexdigit());
    let zero = text
        .get(2..)
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b == b'0'));
    if valid && (padded || fixed) && !(zero && text.starts_with("0x")) {
        let how = match (padded, fixed) {
            (true, false) => {
                format!("is shorter than {size} bytes, and the app pads it on the right with zeros")
            }
            (false, true) if text.starts_with("0x") || text.starts_with("0X") => {
                "has an odd number of hex digits, and the app adds a 0 digit on the left"
                    .to_string()
            }
            (false, true) => {
                "has an odd length, and the app replaces its first two characters with `0x0`"
                    .to_string()
            }
            _ => format!("is shorter than {size} bytes, and the app pads it with zeros"),
        };
        differences.push(format!("{field}: `{text}` {how}: it sends `{result}`"));
    }
    result
}

/// The app's bracketed list, split into items by the array's shape; leaf
/// items are parsed like a top-level value of the item type.
fn parse_list(
    text: &str,
    param: &Param,
    field: &str,
    differences: &mut Vec<String>,
) -> Result<Js, String> {
    let Param::Array(item, _) = param else {
        return leaf(Some(text), param, field, differences);
    };
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or(format!("{field}: `{text}` is not a bracketed list"))?;
    // The app's `parseStringToArray`: split at commas outside brackets (its
    // depth may go below zero); a piece with any character is an item with
    // every whitespace character dropped (the app trims the item after each
    // character it adds), a piece with none is a hole, and the list ends at
    // its last item (`[a,,]` has one).
    let mut pieces: Vec<Option<String>> = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0i64;
    for c in inner.chars() {
        if c == ',' && depth == 0 {
            pieces.push(current.take());
            continue;
        }
        match c {
            '[' => depth = depth.saturating_add(1),
            ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let piece = current.get_or_insert_with(String::new);
        if !super::js::is_whitespace(c) {
            piece.push(c);
        }
    }
    pieces.push(current);
    while pieces.last().is_some_and(Option::is_none) {
        pieces.pop();
    }
    let mut items = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.into_iter().enumerate() {
        let at = format!("{field}[{i}]");
        let value = match piece {
            None => Js::Undefined,
            Some(piece) if piece.starts_with('[') && piece.ends_with(']') => match item.as_ref() {
                Param::Array(..) => parse_list(&piece, item, &at, differences)?,
                Param::Bool => {
                    differences.push(format!(
                        "{at} is a list, not a boolean: the app sends it as true"
                    ));
                    Js::List(Vec::new())
                }
                _ => return Err(format!("{at}: a list where a single value belongs")),
            },
            Some(piece) => {
                let unquoted: String = piece.chars().filter(|c| *c != '"' && *c != '\'').collect();
                leaf(Some(&unquoted), item, &at, differences)?
            }
        };
        items.push(value);
    }
    Ok(Js::List(items))
}

fn leaf(
    text: Option<&str>,
    param: &Param,
    field: &str,
    differences: &mut Vec<String>,
) -> Result<Js, String> {
    let text = text.unwrap_or("");
    match param {
        Param::Bool => parse_bool(text)
            .map(Js::Bool)
            .ok_or(format!("{field}: invalid boolean value")),
        Param::Int { .. } => parse_int(text, field, differences),
        Param::Array(..) => Err(format!("{field}: a single value where a list belongs")),
        _ => Ok(Js::Str(text.to_string())),
    }
}

/// ethers v5's coder on a JavaScript value.
fn encode_value(
    param: &Param,
    value: Js,
    field: &str,
    differences: &mut Vec<String>,
) -> Result<DynSolValue, String> {
    match param {
        Param::Bool => {
            let (flag, plain) = match &value {
                Js::Bool(b) => (*b, Some(*b)),
                Js::Undefined => (false, None),
                Js::Json(v) => (truthy(v), plain_bool(v)),
                Js::Str(s) => (!s.is_empty(), plain_bool(&Value::String(s.clone()))),
                Js::Int { magnitude, .. } => (!magnitude.is_zero(), None),
                Js::List(_) | Js::Function(_) => (true, None),
            };
            if plain != Some(flag) && !matches!(value, Js::List(_)) {
                let shown = match &value {
                    Js::Undefined => "missing (an absent key or an empty list slot)".to_string(),
                    Js::Json(v) => format!("`{v}`"),
                    Js::Str(s) => format!("`{s:?}`"),
                    _ => "not a boolean".to_string(),
                };
                differences.push(format!(
                    "{field} is {shown}, which the app sends as {flag} (JavaScript truthiness: nothing is parsed inside a tuple or for a non-string value)"
                ));
            }
            Ok(DynSolValue::Bool(flag))
        }
        Param::Int { signed, bits } => {
            let (negative, magnitude) = match value {
                Js::Int {
                    negative,
                    magnitude,
                } => (negative, magnitude),
                Js::Str(s) => {
                    big_number_text(&s).ok_or(format!("{field}: `{s}` is not a number"))?
                }
                Js::Json(Value::String(s)) => {
                    big_number_text(&s).ok_or(format!("{field}: `{s}` is not a number"))?
                }
                Js::Json(Value::Number(n)) => {
                    big_number_json(&n).ok_or(format!("{field}: `{n}` is not a safe integer"))?
                }
                Js::Json(other @ (Value::Array(_) | Value::Object(_))) => {
                    let read = big_number_object(&other)
                        .ok_or(format!("{field}: `{other}` is not a number"))?;
                    differences.push(format!(
                        "{field} is `{other}`, which the app reads as the number {}{}",
                        if read.0 { "-" } else { "" },
                        read.1
                    ));
                    read
                }
                _ => return Err(format!("{field}: not a number")),
            };
            int_value(*signed, *bits, negative, magnitude)
                .ok_or(format!("{field}: out of range for the type"))
        }
        Param::Address => {
            let text = match &value {
                Js::Str(s) | Js::Json(Value::String(s)) => s.as_str(),
                _ => return Err(format!("{field}: invalid address")),
            };
            get_address(text)
                .map(DynSolValue::Address)
                .ok_or(format!("{field}: invalid address `{text}`"))
        }
        Param::String => match value {
            Js::Str(s) | Js::Json(Value::String(s)) => Ok(DynSolValue::String(s)),
            Js::Json(Value::Array(items)) if items.is_empty() => {
                differences.push(format!(
                    "{field} is an empty list, which the app sends as an empty string"
                ));
                Ok(DynSolValue::String(String::new()))
            }
            Js::Json(Value::Null)
            | Js::Json(Value::Array(_))
            | Js::Undefined
            | Js::List(_)
            | Js::Function(1..) => Err(format!("{field}: not a string")),
            other => {
                differences.push(format!(
                    "{field} is not a string, and the app sends an empty string"
                ));
                let _ = other;
                Ok(DynSolValue::String(String::new()))
            }
        },
        Param::Bytes | Param::FixedBytes(_) => {
            let bytes = arrayify(&value, field, differences)?;
            match param {
                Param::FixedBytes(n) => {
                    if bytes.len() != *n {
                        return Err(format!("{field}: {} bytes where {n} belong", bytes.len()));
                    }
                    let mut word = [0u8; 32];
                    if let Some(slot) = word.get_mut(..bytes.len()) {
                        slot.copy_from_slice(&bytes);
                    }
                    Ok(DynSolValue::FixedBytes(B256::from(word), *n))
                }
                _ => Ok(DynSolValue::Bytes(bytes)),
            }
        }
        Param::Array(item, len) => {
            let items: Vec<Js> = match value {
                Js::List(items) => items,
                Js::Json(Value::Array(items)) => items.into_iter().map(Js::Json).collect(),
                _ => return Err(format!("{field}: not a list")),
            };
            if let Some(len) = len
                && items.len() != *len
            {
                return Err(format!("{field}: {} items where {len} belong", items.len()));
            }
            let out = items
                .into_iter()
                .enumerate()
                .map(|(i, it)| encode_value(item, it, &format!("{field}[{i}]"), differences))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if len.is_some() {
                DynSolValue::FixedArray(out)
            } else {
                DynSolValue::Array(out)
            })
        }
        Param::Tuple(components) => {
            let items: Vec<Js> = match value {
                Js::Json(Value::Array(items)) => items.into_iter().map(Js::Json).collect(),
                Js::Json(Value::Object(map)) => {
                    // ethers marks each name in a plain object as it reads
                    // it: a name given twice, or one `Object.prototype`
                    // already has (`valueOf`, `__proto__`), reads as taken.
                    let mut taken = std::collections::BTreeSet::new();
                    for name in components.iter().filter_map(|(name, _)| name.as_deref()) {
                        let builtin = name == "__proto__"
                            || PROTOTYPE_FUNCTIONS
                                .iter()
                                .any(|(builtin, _)| *builtin == name);
                        if builtin || !taken.insert(name) {
                            return Err(format!(
                                "{field}: ethers refuses an object for a tuple whose component name `{name}` repeats or is a JavaScript built-in"
                            ));
                        }
                    }
                    components
                        .iter()
                        .map(|(name, _)| {
                            let name = name.as_ref().ok_or(format!(
                                "{field}: an object for a tuple with unnamed components"
                            ))?;
                            Ok(map.get(name).cloned().map_or(Js::Undefined, Js::Json))
                        })
                        .collect::<Result<Vec<_>, String>>()?
                }
                _ => return Err(format!("{field}: not a tuple")),
            };
            if items.len() != components.len() {
                return Err(format!(
                    "{field}: {} values for {} components",
                    items.len(),
                    components.len()
                ));
            }
            let out = components
                .iter()
                .zip(items)
                .enumerate()
                .map(|(i, ((name, p), it))| {
                    let at = match name {
                        Some(n) => format!("{field}.{n}"),
                        None => format!("{field}[{i}]"),
                    };
                    encode_value(p, it, &at, differences)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DynSolValue::Tuple(out))
        }
    }
}

/// ethers' `arrayify`, the only reading of a `bytes` value inside a tuple:
/// even-length `0x` hex, a list of integers 0 to 255, or a safe
/// non-negative integer, which becomes its big-endian bytes.
fn arrayify(value: &Js, field: &str, differences: &mut Vec<String>) -> Result<Vec<u8>, String> {
    match value {
        Js::Str(text) | Js::Json(Value::String(text)) => {
            let digits = text
                .strip_prefix("0x")
                .filter(|d| d.len().is_multiple_of(2) && d.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or(format!("{field}: `{text}` is not even-length 0x hex"))?;
            alloy_primitives::hex::decode(digits)
                .map_err(|_| format!("{field}: `{text}` is not hex"))
        }
        Js::Json(list @ Value::Array(_)) => js_bytes(list).ok_or(format!(
            "{field}: `{list}` is not a list of bytes (0 to 255)"
        )),
        Js::Json(object @ Value::Object(_)) => {
            let bytes = js_bytes(object).ok_or(format!("{field}: `{object}` is not bytes"))?;
            differences.push(format!(
                "{field} is the object `{object}`, which the app reads as the bytes 0x{}",
                alloy_primitives::hex::encode(&bytes)
            ));
            Ok(bytes)
        }
        Js::Json(Value::Number(n)) => {
            let (_, magnitude) = big_number_json(n)
                .filter(|(negative, _)| !negative)
                .ok_or(format!("{field}: `{n}` is not a safe non-negative integer"))?;
            let bytes = magnitude.to_be_bytes_trimmed_vec();
            let bytes = if bytes.is_empty() { vec![0] } else { bytes };
            differences.push(format!(
                "{field} is the number {n}, which the app sends as the bytes 0x{}",
                alloy_primitives::hex::encode(&bytes)
            ));
            Ok(bytes)
        }
        _ => Err(format!("{field}: not a hex string")),
    }
}

/// ethers' `isBytes` on a JSON value: a list, or an object with a `length`,
/// whose items `0 .. length` are all integers from 0 to 255.
fn js_bytes(value: &Value) -> Option<Vec<u8>> {
    let byte = |item: Option<&Value>| {
        item.and_then(Value::as_f64)
            .filter(|f| f.fract() == 0.0 && (0.0..256.0).contains(f))
            .map(|f| f as u8)
    };
    match value {
        Value::Array(items) => items.iter().map(|item| byte(Some(item))).collect(),
        Value::Object(map) => {
            let length = map
                .get("length")?
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)?;
            // Stops at the first missing index, so a huge `length` costs
            // no more than the object's own keys.
            let mut bytes = Vec::new();
            let mut index = 0usize;
            while (index as f64) < length {
                bytes.push(byte(map.get(&index.to_string()))?);
                index = index.checked_add(1)?;
            }
            Some(bytes)
        }
        _ => None,
    }
}

/// ethers' `BigNumber.from` on a JSON list or object: bytes read as a
/// big-endian number, or a serialised BigNumber (`{"_hex": "0x…"}`, or
/// `{"type": "BigNumber", "hex": "0x…"}`), the hex possibly negative.
fn big_number_object(value: &Value) -> Option<(bool, U256)> {
    if let Some(bytes) = js_bytes(value) {
        // hexlify of no bytes is `0x`, which is no number.
        if bytes.is_empty() {
            return None;
        }
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        let significant = bytes.get(start..).unwrap_or_default();
        return U256::try_from_be_slice(significant).map(|n| (false, n));
    }
    let map = value.as_object()?;
    // A truthy `toHexString` is called, and a JSON value is no function.
    if map.get("toHexString").is_some_and(truthy) {
        return None;
    }
    let hex = match map.get("_hex") {
        Some(Value::Null) | None if map.get("type") == Some(&Value::String("BigNumber".into())) => {
            map.get("hex")?
        }
        Some(hex) => hex,
        None => return None,
    };
    let text = hex.as_str()?;
    let digits = text.strip_prefix('-').unwrap_or(text);
    let is_hex_string = |s: &str| {
        s.strip_prefix("0x")
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    if !is_hex_string(digits) {
        return None;
    }
    big_number_text(text)
}

/// What a JSON value plainly means as a bool, if anything.
fn plain_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => parse_bool(s),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Some(false),
            Some(1.0) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// ethers' `BigNumber.from` on a string: decimal or `0x` hex, optional `-`.
/// A capital `0X` passes ethers' own pattern but then reaches BN.js as
/// `0x0X…`, which throws, so it is not a number here.
fn big_number_text(text: &str) -> Option<(bool, U256)> {
    let (negative, rest) = text.strip_prefix('-').map_or((false, text), |r| (true, r));
    let magnitude = if let Some(hex) = rest.strip_prefix("0x") {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        U256::from_str_radix(hex, 16).ok()?
    } else {
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        U256::from_str_radix(rest, 10).ok()?
    };
    Some((negative && !magnitude.is_zero(), magnitude))
}

/// ethers' `BigNumber.from` on a JSON number: an integer below 2^53 - 1.
fn big_number_json(number: &serde_json::Number) -> Option<(bool, U256)> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    let f = number.as_f64()?;
    if f.fract() != 0.0 || f >= MAX_SAFE || f <= -MAX_SAFE {
        return None;
    }
    let text = format!("{f:.0}");
    big_number_text(&text)
}

fn int_value(signed: bool, bits: usize, negative: bool, magnitude: U256) -> Option<DynSolValue> {
    if signed {
        let limit = U256::from(1u8).checked_shl(bits.checked_sub(1)?)?;
        if (!negative && magnitude >= limit) || (negative && magnitude > limit) {
            return None;
        }
        let value = I256::checked_from_sign_and_abs(
            if negative {
                alloy_primitives::Sign::Negative
            } else {
                alloy_primitives::Sign::Positive
            },
            magnitude,
        )?;
        Some(DynSolValue::Int(value, bits))
    } else {
        if negative {
            return None;
        }
        if bits < 256 && magnitude >= U256::from(1u8).checked_shl(bits)? {
            return None;
        }
        Some(DynSolValue::Uint(magnitude, bits))
    }
}

/// ethers' `getAddress`: 40 hex digits with optional `0x`, checksum
/// enforced on mixed case, or an ICAP `XE…` address.
fn get_address(text: &str) -> Option<Address> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.len() == 40 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        let address: Address = digits.parse().ok()?;
        let mixed = digits.bytes().any(|b| b.is_ascii_uppercase())
            && digits.bytes().any(|b| b.is_ascii_lowercase());
        if mixed && address.to_checksum(None).get(2..) != Some(digits) {
            return None;
        }
        return Some(address);
    }
    icap_address(text)
}

fn icap_address(text: &str) -> Option<Address> {
    let body = text.strip_prefix("XE")?;
    let check = body.get(..2)?;
    let rest = body.get(2..)?;
    if !check.bytes().all(|b| b.is_ascii_digit())
        || !(30..=31).contains(&rest.len())
        || !rest.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    // ISO 13616 checksum over rest + "XE" + "00", letters as 10..35.
    let upper = format!("{}XE00", rest.to_ascii_uppercase());
    let mut remainder: u32 = 0;
    for c in upper.chars() {
        let v = c.to_digit(36)?;
        for d in v.to_string().chars() {
            remainder = (remainder.checked_mul(10)?.checked_add(d.to_digit(10)?)?) % 97;
        }
    }
    let expected = 98u32.checked_sub(remainder)?;
    if format!("{expected:02}") != check {
        return None;
    }
    let mut value = U256::ZERO;
    for c in rest.chars() {
        value = value
            .checked_mul(U256::from(36u8))?
            .checked_add(U256::from(c.to_digit(36)?))?;
    }
    if value.bit_len() > 160 {
        return None;
    }
    let bytes: [u8; 32] = value.to_be_bytes();
    Some(Address::from_slice(bytes.get(12..)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode(method: Value, values: Value) -> AppEncoding {
        app_encode(Some(&method), Some(&values)).unwrap()
    }

    #[test]
    fn a_name_that_is_a_signature_is_hashed_as_written() {
        let method =
            json!({"name": "burn(uint256)", "inputs": [{"name": "amount", "type": "uint256"}]});
        let AppEncoding::Calldata(encoded) = encode(method, json!({"amount": "1"})) else {
            panic!("should encode");
        };
        assert!(encoded.differences.is_empty(), "{:?}", encoded.differences);
        assert_eq!(encoded.signature, "burn(uint256)");
    }

    #[test]
    fn what_the_app_does_not_encode_is_empty() {
        let input = json!([{"name": "amount", "type": "uint256"}]);
        for name in [
            json!(""),
            json!("receive"),
            json!("fallback"),
            json!(5),
            Value::Null,
        ] {
            let method = json!({"name": name, "inputs": input});
            assert!(matches!(
                encode(method, json!({"amount": "1"})),
                AppEncoding::Empty(_)
            ));
        }
        let method = json!({"name": "f", "inputs": [{"name": "constructor", "type": "uint256"}]});
        assert!(matches!(encode(method, json!({})), AppEncoding::Empty(_)));
    }
}
