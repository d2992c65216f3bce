//! The Safe Transaction Builder's `contractInputsValues` strings.
//!
//! The app keeps one string per function input and, on import, turns each
//! into a JavaScript value by the input's ABI type before web3 / ethers v5
//! encode the call (the app's `parseInputValue`, safe-react-apps
//! apps/tx-builder). The forms, by type:
//!
//! | type | written by bundlec | read by the app |
//! |---|---|---|
//! | `bool` | `true` / `false` | trimmed, lower-cased; `true`/`1`, `false`/`0` |
//! | `uintN`, `intN` | plain decimal | `"` and `'` removed, trimmed, BN.js `toBN` |
//! | `address`, `bytes`, `bytesN`, `string` | EIP-55 / `0x` lowercase hex / as is | the string itself |
//! | arrays of other non-tuple types | `[a,b]`, `[[1,2],[3]]` | split on top-level commas, whitespace and quotes dropped, items as above |
//! | arrays of `string` | JSON | `JSON.parse` |
//! | tuples and arrays of tuples | positional JSON, integers as decimal strings, bools as JSON literals | `JSON.parse`, then straight into the ethers coder |
//!
//! Reading accepts a string only where the app reads the same value from
//! it; where the app would read it differently from how it looks, or fail,
//! the string is an error that says why. So bundlec reads a subset of what
//! the app takes. Refused on purpose, although the app reads them:
//! - integers with hex letters and no `0x` (`1e18`, `ff`): BN.js reads them
//!   as hex (`1e18` is 7704);
//! - a quoted `"false"` for a bool inside JSON (tuples): the app does not
//!   parse bools there and ethers uses JavaScript truthiness, so every
//!   non-empty string is `true`. A quoted `"true"` is accepted: it means true
//!   either way;
//! - short `bytesN` and odd-length hex: web3 pads them silently;
//! - JSON numbers inside tuples that are not integers or not below 2^53 - 1
//!   (ethers throws on those; exported files quote big integers);
//! - addresses without `0x` or with `0X`, empty list items (a trailing comma
//!   is silently dropped by the app), negative hex, tuples as JSON objects.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use alloy_json_abi::{Function, Param};
use alloy_primitives::I256;
use serde_json::{Map, Value};

use super::{
    Field, Node, Problem, ValueError, at, check_length, element_path, field_path,
    fixed_bytes_value, int_value, integer_from_text, mismatch, quoted, resolve_at, root_label,
    scalar_text, type_name, uint_value, unsupported_function,
};
use crate::abi::nesting;
use crate::memo::Eip55;
use crate::parse::parse_address;
// One definition of JavaScript's trim for the whole model of the app.
use crate::txbuilder::js::{is_whitespace as is_js_whitespace, trim as js_trim};

/// How the app reads a value of a given type (chosen by the input's type,
/// in this order: bool, integer, tuple, string array, other array, as is).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Bool,
    Integer,
    /// address, bytes, bytesN, string: the string is the value.
    AsIs,
    /// Tuples and arrays of strings: JSON.
    Json,
    /// Arrays of non-string, non-tuple types: the bracketed list.
    List,
    Unsupported,
}

fn form(ty: &DynSolType) -> Form {
    match ty {
        DynSolType::Bool => Form::Bool,
        DynSolType::Int(_) | DynSolType::Uint(_) => Form::Integer,
        DynSolType::Address | DynSolType::FixedBytes(_) | DynSolType::Bytes => Form::AsIs,
        DynSolType::String => Form::AsIs,
        DynSolType::Function => Form::Unsupported,
        DynSolType::Tuple(_) => Form::Json,
        DynSolType::Array(_) | DynSolType::FixedArray(..) => {
            let mut stem = ty;
            while let DynSolType::Array(inner) | DynSolType::FixedArray(inner, _) = stem {
                stem = inner;
            }
            match stem {
                DynSolType::Tuple(_) | DynSolType::String => Form::Json,
                DynSolType::Function => Form::Unsupported,
                _ => Form::List,
            }
        }
        // CustomStruct exists when another crate enables alloy's eip712
        // feature (bundlec's tests do); ABI types never resolve to it.
        #[allow(unreachable_patterns)]
        _ => Form::Unsupported,
    }
}

/// The `contractInputsValues` key of input `index`: its name, or its
/// position when the ABI gives it no name (the app's `name || index`).
pub fn contract_input_key(param: &Param, index: usize) -> String {
    if param.name.is_empty() {
        index.to_string()
    } else {
        param.name.clone()
    }
}

/// Error-path root at the map level: the name, or `#i` for an unnamed input.
fn map_root(param: &Param, index: usize) -> String {
    if param.name.is_empty() {
        format!("#{index}")
    } else {
        param.name.clone()
    }
}

/// Writes one argument as the string the Transaction Builder reads back as
/// exactly this value.
pub fn to_contract_input(param: &Param, value: &DynSolValue) -> Result<String, ValueError> {
    write_at(param, value, &root_label(param), &Eip55::new())
}

/// Reads one `contractInputsValues` string the way the Transaction Builder
/// does; strings the app would read differently from how they look, or not
/// at all, are errors (see the module documentation).
pub fn from_contract_input(param: &Param, text: &str) -> Result<DynSolValue, ValueError> {
    read_at(param, text, &root_label(param))
}

/// The `contractInputsValues` entries for a call, in input order, keyed as
/// the app looks them up.
pub fn contract_inputs_values(
    function: &Function,
    args: &[DynSolValue],
) -> Result<Vec<(String, String)>, ValueError> {
    contract_inputs_values_with(function, args, &Eip55::new())
}

/// [`contract_inputs_values`], with the EIP-55 spellings of addresses taken
/// from (and kept in) `eip55`: a batch's calls name the same few addresses.
pub fn contract_inputs_values_with(
    function: &Function,
    args: &[DynSolValue],
    eip55: &Eip55,
) -> Result<Vec<(String, String)>, ValueError> {
    check_keys(function)?;
    if args.len() != function.inputs.len() {
        return Err(at(&function.name)(Problem::ArgumentCount {
            function: function.name.clone(),
            expected: function.inputs.len(),
            got: args.len(),
        }));
    }
    function
        .inputs
        .iter()
        .zip(args)
        .enumerate()
        .map(|(i, (param, value))| {
            let text = write_at(param, value, &map_root(param, i), eip55)?;
            Ok((contract_input_key(param, i), text))
        })
        .collect()
}

/// Reads a call's arguments from a `contractInputsValues` object. A missing
/// key reads as `""` (as in the app, so only a `string` input may be absent);
/// a value that is not a JSON string is an error (the app refuses numbers on
/// import). Keys that match no input are ignored, as the app ignores them.
pub fn args_from_contract_inputs(
    function: &Function,
    values: &Map<String, Value>,
) -> Result<Vec<DynSolValue>, ValueError> {
    check_keys(function)?;
    function
        .inputs
        .iter()
        .enumerate()
        .map(|(i, param)| {
            let root = map_root(param, i);
            let text = match values.get(&contract_input_key(param, i)) {
                None => "",
                Some(Value::String(s)) => s.as_str(),
                Some(other) => {
                    return Err(at(&root)(Problem::Expected {
                        expected: "a JSON string".into(),
                        found: describe_json(other),
                    }));
                }
            };
            read_at(param, text, &root)
        })
        .collect()
}

/// Two inputs with one key would both read the same string in the app.
fn check_keys(function: &Function) -> Result<(), ValueError> {
    let keys: Vec<String> = function
        .inputs
        .iter()
        .enumerate()
        .map(|(i, p)| contract_input_key(p, i))
        .collect();
    for (second, key) in keys.iter().enumerate() {
        if let Some(first) = keys.iter().take(second).position(|k| k == key) {
            return Err(at(&function.name)(Problem::DuplicateKey {
                key: key.clone(),
                first,
                second,
            }));
        }
    }
    Ok(())
}

// ---- writing --------------------------------------------------------------

fn write_at(
    param: &Param,
    value: &DynSolValue,
    root: &str,
    eip55: &Eip55,
) -> Result<String, ValueError> {
    let ty = resolve_at(param, root)?;
    let node = Node::new(&ty, param);
    match form(&ty) {
        Form::Bool | Form::Integer | Form::AsIs => scalar_text(&ty, value, eip55).map_err(at(root)),
        Form::List => {
            let mut out = String::new();
            write_list(node, value, root, eip55, &mut out)?;
            Ok(out)
        }
        Form::Json => to_json(node, value, root, eip55).map(|json| json.to_string()),
        Form::Unsupported => Err(at(root)(unsupported_function())),
    }
}

/// The element node and the items of an array value, checked against the
/// array type's length.
fn array_items<'a, 'v>(
    node: Node<'a>,
    value: &'v DynSolValue,
) -> Result<(Node<'a>, &'v [DynSolValue]), Problem> {
    match (node.ty, value) {
        (DynSolType::Array(inner), DynSolValue::Array(items)) => {
            Ok((node.element_node(inner), items))
        }
        (DynSolType::FixedArray(inner, _), DynSolValue::FixedArray(items)) => {
            check_length(node.ty, items.len())?;
            Ok((node.element_node(inner), items))
        }
        _ => Err(mismatch(node.ty, value)),
    }
}

/// `[a,b]` with no spaces; nested arrays as nested brackets.
fn write_list(
    node: Node<'_>,
    value: &DynSolValue,
    path: &str,
    eip55: &Eip55,
    out: &mut String,
) -> Result<(), ValueError> {
    let (element, items) = array_items(node, value).map_err(at(path))?;
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let item_path = element_path(path, i);
        if element.element().is_some() {
            write_list(element, item, &item_path, eip55, out)?;
        } else {
            out.push_str(&scalar_text(element.ty, item, eip55).map_err(at(&item_path))?);
        }
    }
    out.push(']');
    Ok(())
}

/// The JSON the app's `JSON.parse` turns back into this value: integers as
/// decimal strings (JavaScript numbers lose precision past 2^53), bools as
/// JSON literals (a quoted "false" would encode as true inside tuples).
fn to_json(
    node: Node<'_>,
    value: &DynSolValue,
    path: &str,
    eip55: &Eip55,
) -> Result<Value, ValueError> {
    match node.ty {
        DynSolType::Array(_) | DynSolType::FixedArray(..) => {
            let (element, items) = array_items(node, value).map_err(at(path))?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(element, item, &element_path(path, i), eip55))
                .collect::<Result<_, _>>()
                .map(Value::Array)
        }
        DynSolType::Tuple(types) => {
            let fields = node.tuple_fields(types);
            let DynSolValue::Tuple(items) = value else {
                return Err(at(path)(mismatch(node.ty, value)));
            };
            check_length(node.ty, items.len()).map_err(at(path))?;
            fields
                .iter()
                .zip(items)
                .enumerate()
                .map(|(i, (field, item))| {
                    to_json(field.node, item, &field_path(path, field, i), eip55)
                })
                .collect::<Result<_, _>>()
                .map(Value::Array)
        }
        DynSolType::Bool => match value {
            DynSolValue::Bool(b) => Ok(Value::Bool(*b)),
            _ => Err(at(path)(mismatch(node.ty, value))),
        },
        DynSolType::Function => Err(at(path)(unsupported_function())),
        scalar => scalar_text(scalar, value, eip55)
            .map(Value::String)
            .map_err(at(path)),
    }
}

// ---- reading --------------------------------------------------------------

fn read_at(param: &Param, text: &str, root: &str) -> Result<DynSolValue, ValueError> {
    let ty = resolve_at(param, root)?;
    let node = Node::new(&ty, param);
    match form(&ty) {
        Form::Bool => read_bool(js_trim(text)).map_err(at(root)),
        Form::Integer => read_integer(&ty, text).map_err(at(root)),
        Form::AsIs => read_as_is(&ty, text).map_err(at(root)),
        // The type is within the nesting limit, so a value nested deeper
        // cannot match it: refused before any recursion over it.
        Form::List => {
            nesting::check_list_text(text).map_err(|e| at(root)(e.into()))?;
            read_list(node, js_trim(text), root)
        }
        Form::Json => {
            nesting::check_json_text(text).map_err(|e| at(root)(e.into()))?;
            let json: Value = serde_json::from_str(js_trim(text)).map_err(|e| {
                at(root)(Problem::Syntax(format!(
                    "the Transaction Builder reads {} values as JSON, and {} is not JSON ({e})",
                    type_name(&ty),
                    quoted(text)
                )))
            })?;
            from_json(node, &json, root)
        }
        Form::Unsupported => Err(at(root)(unsupported_function())),
    }
}

/// The app's bool rule (input already trimmed).
fn read_bool(text: &str) -> Result<DynSolValue, Problem> {
    match text.to_lowercase().as_str() {
        "true" | "1" => Ok(DynSolValue::Bool(true)),
        "false" | "0" => Ok(DynSolValue::Bool(false)),
        _ => Err(Problem::Expected {
            expected: "a bool (true, false, 1 or 0)".into(),
            found: quoted(text),
        }),
    }
}

/// The app's integer rule: every `"` and `'` removed, trimmed, then BN.js.
fn read_integer(ty: &DynSolType, text: &str) -> Result<DynSolValue, Problem> {
    let (signed, bits) = match ty {
        DynSolType::Int(bits) => (true, *bits),
        DynSolType::Uint(bits) => (false, *bits),
        other => {
            return Err(Problem::Expected {
                expected: format!("a {} value", type_name(other)),
                found: quoted(text),
            });
        }
    };
    let unquoted: String = text.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
    let cleaned = js_trim(&unquoted);
    if cleaned.is_empty() {
        return Err(Problem::Expected {
            expected: format!("a {} in decimal", type_name(ty)),
            found: "an empty string".into(),
        });
    }
    let body = cleaned.strip_prefix('-').unwrap_or(cleaned);
    let has_prefix = body.starts_with("0x") || body.starts_with("0X");
    if !has_prefix
        && body.bytes().all(|b| b.is_ascii_hexdigit())
        && !body.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Problem::Refused(format!(
            "{} has hex letters but no 0x prefix: the Transaction Builder (BN.js) would read \
             it as hexadecimal, not decimal; write plain decimal",
            quoted(cleaned)
        )));
    }
    integer_from_text(cleaned, signed, bits, true)
}

/// `0x` hex as ethers reads it: lowercase prefix, even number of digits.
fn strict_hex(text: &str) -> Result<Vec<u8>, Problem> {
    let digits = text.strip_prefix("0x").ok_or_else(|| Problem::Expected {
        expected: "0x-prefixed hex".into(),
        found: quoted(text),
    })?;
    if digits.len() % 2 == 1 {
        return Err(Problem::Refused(format!(
            "{} has an odd number of hex digits (the Transaction Builder would silently pad it: a \
             leading 0 for `bytes`, trailing zeros for a short `bytesN`)",
            quoted(text)
        )));
    }
    alloy_primitives::hex::decode(digits).map_err(|_| Problem::Expected {
        expected: "0x-prefixed hex".into(),
        found: quoted(text),
    })
}

/// address, bytes, bytesN, string: the app passes the string on untouched
/// (not trimmed), so neither does bundlec.
fn read_as_is(ty: &DynSolType, text: &str) -> Result<DynSolValue, Problem> {
    match ty {
        DynSolType::Address => {
            // ethers accepts only a lowercase `0x` prefix (or none); bundlec
            // insists on the prefix.
            if !text.starts_with("0x") {
                return Err(Problem::Expected {
                    expected: "an address: 0x followed by 40 hex digits".into(),
                    found: quoted(text),
                });
            }
            Ok(DynSolValue::Address(parse_address(text)?))
        }
        DynSolType::Bytes => Ok(DynSolValue::Bytes(strict_hex(text)?)),
        DynSolType::FixedBytes(n) => fixed_bytes_value(&strict_hex(text)?, *n),
        DynSolType::String => Ok(DynSolValue::String(text.to_string())),
        DynSolType::Function => Err(unsupported_function()),
        other => Err(Problem::Expected {
            expected: format!("a {} value", type_name(other)),
            found: quoted(text),
        }),
    }
}

/// Splits the inside of a bracketed list on top-level commas the way the
/// app does, dropping every whitespace character (the app trims each item
/// after every character it appends, which removes inner whitespace too).
/// Unbalanced brackets and empty items are errors; the app would either
/// fail or, for a trailing comma, quietly drop the empty item.
fn split_list(inner: &str) -> Result<Vec<String>, Problem> {
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    let mut items = vec![String::new()];
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            // At most one level per character of the input.
            '[' => depth = depth.saturating_add(1),
            ']' => {
                depth = depth.checked_sub(1).ok_or_else(|| {
                    Problem::Syntax("unbalanced `]` in the bracketed list".into())
                })?;
            }
            _ => {}
        }
        if !is_js_whitespace(c)
            && let Some(item) = items.last_mut()
        {
            item.push(c);
        }
    }
    if depth != 0 {
        return Err(Problem::Syntax(
            "unbalanced `[` in the bracketed list".into(),
        ));
    }
    if let Some(i) = items.iter().position(String::is_empty) {
        return Err(Problem::Syntax(format!(
            "item {i} of the bracketed list is empty (stray or trailing comma)"
        )));
    }
    Ok(items)
}

/// The inside of `[…]`, if `text` is bracketed.
fn bracketed(text: &str) -> Option<&str> {
    text.strip_prefix('[')?.strip_suffix(']')
}

fn is_bracketed(text: &str) -> bool {
    bracketed(text).is_some()
}

fn read_list(node: Node<'_>, text: &str, path: &str) -> Result<DynSolValue, ValueError> {
    // `node` is an array node (Form::List), so only the brackets can be missing.
    let (Some(inner), Some(element)) = (bracketed(text), node.element()) else {
        return Err(at(path)(Problem::Expected {
            expected: format!("a bracketed list for {}, like [a,b]", type_name(node.ty)),
            found: quoted(text),
        }));
    };
    let items = split_list(inner).map_err(at(path))?;
    check_length(node.ty, items.len()).map_err(at(path))?;
    let values = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item_path = element_path(path, i);
            match (element.element().is_some(), is_bracketed(item)) {
                (true, true) => read_list(element, item, &item_path),
                (false, false) => {
                    let unquoted: String =
                        item.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
                    read_list_item(element.ty, &unquoted).map_err(at(&item_path))
                }
                (true, false) => Err(at(&item_path)(Problem::Expected {
                    expected: format!("a bracketed list for {}", type_name(element.ty)),
                    found: quoted(item),
                })),
                (false, true) => Err(at(&item_path)(Problem::Expected {
                    expected: format!("a {} value", type_name(element.ty)),
                    found: format!("the nested list {}", quoted(item)),
                })),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match node.ty {
        DynSolType::FixedArray(..) => DynSolValue::FixedArray(values),
        _ => DynSolValue::Array(values),
    })
}

fn read_list_item(ty: &DynSolType, item: &str) -> Result<DynSolValue, Problem> {
    match ty {
        DynSolType::Bool => read_bool(item),
        DynSolType::Int(_) | DynSolType::Uint(_) => read_integer(ty, item),
        _ => read_as_is(ty, item),
    }
}

fn describe_json(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the JSON literal {b}"),
        Value::Number(n) => format!("the JSON number {n}"),
        Value::String(s) => format!("the JSON string {}", quoted(s)),
        Value::Array(items) => format!("a JSON array of {} elements", items.len()),
        Value::Object(_) => "a JSON object".into(),
    }
}

/// The largest magnitude ethers' `BigNumber.from(number)` accepts: it throws
/// at `Number.MAX_SAFE_INTEGER` (2^53 - 1) and beyond.
const JS_SAFE_LIMIT: u64 = (1 << 53) - 2;

/// A JSON number inside a tuple: a JavaScript number, exact only if it is an
/// integer below 2^53 - 1.
fn json_integer(ty: &DynSolType, number: &serde_json::Number) -> Result<DynSolValue, Problem> {
    let refused = || {
        Problem::Refused(format!(
            "the JSON number {number} is not an integer JavaScript holds exactly \
             (|n| < 2^53 - 1); write integers as decimal strings"
        ))
    };
    let value: I256 = if let Some(u) = number.as_u64() {
        if u > JS_SAFE_LIMIT {
            return Err(refused());
        }
        I256::try_from(u).map_err(|_| refused())?
    } else if let Some(i) = number.as_i64() {
        if i.unsigned_abs() > JS_SAFE_LIMIT {
            return Err(refused());
        }
        I256::try_from(i).map_err(|_| refused())?
    } else {
        return Err(refused());
    };
    match ty {
        DynSolType::Int(bits) => int_value(value, *bits),
        DynSolType::Uint(bits) => {
            if value.is_negative() {
                return Err(super::uint_out_of_range(value.to_string(), *bits));
            }
            uint_value(value.into_raw(), *bits)
        }
        other => Err(Problem::Expected {
            expected: format!("a {} value", type_name(other)),
            found: format!("the JSON number {number}"),
        }),
    }
}

/// A JSON value inside a tuple or a string array, as ethers' coders take it.
fn from_json(node: Node<'_>, value: &Value, path: &str) -> Result<DynSolValue, ValueError> {
    let wrong = |expected: String| {
        at(path)(Problem::Expected {
            expected,
            found: describe_json(value),
        })
    };
    match (node.ty, value) {
        (DynSolType::Array(inner) | DynSolType::FixedArray(inner, _), Value::Array(items)) => {
            check_length(node.ty, items.len()).map_err(at(path))?;
            let element = node.element_node(inner);
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| from_json(element, item, &element_path(path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(match node.ty {
                DynSolType::FixedArray(..) => DynSolValue::FixedArray(values),
                _ => DynSolValue::Array(values),
            })
        }
        (DynSolType::Tuple(types), Value::Array(items)) => {
            let fields: Vec<Field<'_>> = node.tuple_fields(types);
            check_length(node.ty, items.len()).map_err(at(path))?;
            fields
                .iter()
                .zip(items)
                .enumerate()
                .map(|(i, (field, item))| from_json(field.node, item, &field_path(path, field, i)))
                .collect::<Result<_, _>>()
                .map(DynSolValue::Tuple)
        }
        (DynSolType::Tuple(_), _) => Err(wrong(format!(
            "{} as a positional JSON array",
            type_name(node.ty)
        ))),
        (DynSolType::Array(_) | DynSolType::FixedArray(..), _) => {
            Err(wrong(format!("{} as a JSON array", type_name(node.ty))))
        }
        (DynSolType::Bool, Value::Bool(b)) => Ok(DynSolValue::Bool(*b)),
        // Any non-empty string is true to ethers; "true" means what it says.
        (DynSolType::Bool, Value::String(s)) if s == "true" => Ok(DynSolValue::Bool(true)),
        (DynSolType::Bool, Value::String(s)) => Err(at(path)(Problem::Refused(format!(
            "the string {} stands for a bool inside JSON, where the Transaction Builder does \
             not parse bools: it encodes every non-empty string as true; write the JSON \
             literal true or false",
            quoted(s)
        )))),
        (DynSolType::Int(_) | DynSolType::Uint(_), Value::Number(n)) => {
            json_integer(node.ty, n).map_err(at(path))
        }
        (DynSolType::Int(bits), Value::String(s)) => {
            integer_from_text(s, true, *bits, false).map_err(at(path))
        }
        (DynSolType::Uint(bits), Value::String(s)) => {
            integer_from_text(s, false, *bits, false).map_err(at(path))
        }
        (
            DynSolType::Address
            | DynSolType::Bytes
            | DynSolType::FixedBytes(_)
            | DynSolType::String,
            Value::String(s),
        ) => read_as_is(node.ty, s).map_err(at(path)),
        (DynSolType::Function, _) => Err(at(path)(unsupported_function())),
        (ty, _) => Err(wrong(format!("a {} value", type_name(ty)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, U256};

    fn param(json: &str) -> Param {
        serde_json::from_str(json).unwrap()
    }

    fn uint(v: u64, bits: usize) -> DynSolValue {
        DynSolValue::Uint(U256::from(v), bits)
    }

    const A: &str = "0x9ff471F9f98F42E5151C7855fD1b5aa906b1AF7e";

    #[test]
    fn js_trim_differs_from_rust_trim() {
        assert_eq!(js_trim("\u{feff} x \u{a0}"), "x");
        assert_eq!(js_trim("\u{85}x"), "\u{85}x");
    }

    #[test]
    fn forms_follow_the_app_order() {
        let f = |t: &str| form(&DynSolType::parse(t).unwrap());
        assert_eq!(f("bool"), Form::Bool);
        assert_eq!(f("int8"), Form::Integer);
        assert_eq!(f("bytes32"), Form::AsIs);
        assert_eq!(f("string"), Form::AsIs);
        assert_eq!(f("string[2][]"), Form::Json);
        assert_eq!(f("(uint8,bool)[]"), Form::Json);
        assert_eq!(f("bool[][3]"), Form::List);
        assert_eq!(f("function[]"), Form::Unsupported);
    }

    #[test]
    fn bools_as_the_app_reads_them() {
        let p = param(r#"{"name":"b","type":"bool"}"#);
        for (text, want) in [
            (" TRUE ", true),
            ("1", true),
            ("False", false),
            ("0\n", false),
        ] {
            assert_eq!(
                from_contract_input(&p, text).unwrap(),
                DynSolValue::Bool(want),
                "{text}"
            );
        }
        for bad in ["", "yes", "2", "t"] {
            assert!(from_contract_input(&p, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integers_as_the_app_reads_them() {
        let p = param(r#"{"name":"n","type":"uint256"}"#);
        assert_eq!(from_contract_input(&p, " \"42\" ").unwrap(), uint(42, 256));
        assert_eq!(from_contract_input(&p, "'4'2").unwrap(), uint(42, 256));
        assert_eq!(from_contract_input(&p, "0X2a").unwrap(), uint(42, 256));
        assert_eq!(from_contract_input(&p, "007").unwrap(), uint(7, 256));
        let e = from_contract_input(&p, "1e18").unwrap_err();
        assert!(matches!(e.problem, Problem::Refused(_)), "{e}");
        assert!(e.to_string().contains("hexadecimal"), "{e}");
        for bad in ["", "\"\"", "1.5", "-1", "4 2", "0x"] {
            assert!(from_contract_input(&p, bad).is_err(), "{bad}");
        }
        let p = param(r#"{"name":"n","type":"int16"}"#);
        assert_eq!(
            from_contract_input(&p, "-300").unwrap(),
            DynSolValue::Int(I256::try_from(-300).unwrap(), 16)
        );
    }

    #[test]
    fn as_is_values_are_not_trimmed() {
        let p = param(r#"{"name":"a","type":"address"}"#);
        assert!(from_contract_input(&p, A).is_ok());
        assert!(from_contract_input(&p, &format!(" {A}")).is_err());
        assert!(from_contract_input(&p, &A.replace("0x", "0X")).is_err());
        assert!(from_contract_input(&p, &A[2..]).is_err());
        let s = param(r#"{"name":"s","type":"string"}"#);
        assert_eq!(
            from_contract_input(&s, " a ").unwrap(),
            DynSolValue::String(" a ".into())
        );
        let b = param(r#"{"name":"b","type":"bytes"}"#);
        assert!(matches!(
            from_contract_input(&b, "0xabc").unwrap_err().problem,
            Problem::Refused(_)
        ));
        assert_eq!(
            from_contract_input(&b, "0x").unwrap(),
            DynSolValue::Bytes(vec![])
        );
        let b4 = param(r#"{"name":"b","type":"bytes4"}"#);
        let e = from_contract_input(&b4, "0x1234").unwrap_err();
        assert_eq!(e.to_string(), "`b`: bytes4 takes exactly 4 bytes, got 2");
    }

    #[test]
    fn lists_split_like_the_app() {
        assert_eq!(split_list("1, 2").unwrap(), ["1", "2"]);
        assert_eq!(split_list("[1, 2], [3]").unwrap(), ["[1,2]", "[3]"]);
        assert_eq!(split_list(" 0x12 34 ").unwrap(), ["0x1234"]);
        assert!(split_list("").unwrap().is_empty());
        assert!(split_list(" ").is_err());
        assert!(split_list("1,").is_err());
        assert!(split_list("1,,2").is_err());
        assert!(split_list("[1").is_err());
        assert!(split_list("1]").is_err());
    }

    #[test]
    fn lists_of_addresses_with_and_without_quotes() {
        let p = param(r#"{"name":"xs","type":"address[]"}"#);
        let want = DynSolValue::Array(vec![DynSolValue::Address(A.parse::<Address>().unwrap()); 2]);
        for text in [
            format!("[{A},{A}]"),
            format!("[\"{A}\", '{A}']"),
            format!(" [ {A} ,\n {A} ] "),
        ] {
            assert_eq!(from_contract_input(&p, &text).unwrap(), want, "{text}");
        }
        assert_eq!(to_contract_input(&p, &want).unwrap(), format!("[{A},{A}]"));
    }

    #[test]
    fn matrices_nest_brackets() {
        let p = param(r#"{"name":"m","type":"uint8[][2]"}"#);
        let v = from_contract_input(&p, "[[1, 2], []]").unwrap();
        assert_eq!(
            v,
            DynSolValue::FixedArray(vec![
                DynSolValue::Array(vec![uint(1, 8), uint(2, 8)]),
                DynSolValue::Array(vec![]),
            ])
        );
        assert_eq!(to_contract_input(&p, &v).unwrap(), "[[1,2],[]]");
        let e = from_contract_input(&p, "[[1],[2],[3]]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`m`: uint8[][2] takes exactly 2 elements, got 3"
        );
        let e = from_contract_input(&p, "[[1],2]").unwrap_err();
        assert_eq!(e.path, "m[1]");
        let e = from_contract_input(&p, "[[1,300],[]]").unwrap_err();
        assert_eq!(e.path, "m[0][1]");
    }

    #[test]
    fn tuples_are_positional_json() {
        let p = param(
            r#"{"name":"t","type":"tuple","components":[
                {"name":"amount","type":"uint256"},{"name":"ok","type":"bool"},
                {"name":"to","type":"address"},{"name":"tags","type":"string[]"}]}"#,
        );
        let v = DynSolValue::Tuple(vec![
            DynSolValue::Uint(U256::MAX, 256),
            DynSolValue::Bool(false),
            DynSolValue::Address(A.parse().unwrap()),
            DynSolValue::Array(vec![DynSolValue::String("a\"b".into())]),
        ]);
        let text = to_contract_input(&p, &v).unwrap();
        assert_eq!(
            text,
            format!("[\"{}\",false,\"{A}\",[\"a\\\"b\"]]", U256::MAX)
        );
        assert_eq!(from_contract_input(&p, &text).unwrap(), v);
        // JSON numbers are fine while JavaScript holds them exactly.
        let small = format!("[9007199254740990,true,\"{A}\",[]]");
        assert!(from_contract_input(&p, &small).is_ok());
        let big = format!("[9007199254740991,true,\"{A}\",[]]");
        let e = from_contract_input(&p, &big).unwrap_err();
        assert_eq!(e.path, "t.amount");
        assert!(matches!(e.problem, Problem::Refused(_)));
        assert!(from_contract_input(&p, &format!("[1.5,true,\"{A}\",[]]")).is_err());
        // Quoted bools: "true" is true either way, "false" would be true in the app.
        assert!(from_contract_input(&p, &format!("[\"1\",\"true\",\"{A}\",[]]")).is_ok());
        let e = from_contract_input(&p, &format!("[\"1\",\"false\",\"{A}\",[]]")).unwrap_err();
        assert_eq!(e.path, "t.ok");
        assert!(
            e.to_string().contains("every non-empty string as true"),
            "{e}"
        );
        // Objects and wrong arity.
        assert!(from_contract_input(&p, r#"{"amount":"1"}"#).is_err());
        let e = from_contract_input(&p, "[\"1\",true]").unwrap_err();
        assert!(matches!(
            e.problem,
            Problem::Length {
                expected: 4,
                got: 2,
                ..
            }
        ));
    }

    #[test]
    fn map_keys_and_missing_values() {
        let f: Function = serde_json::from_str(
            r#"{"type":"function","name":"f","inputs":[
                {"name":"","type":"uint8"},{"name":"note","type":"string"}],
                "outputs":[],"stateMutability":"nonpayable"}"#,
        )
        .unwrap();
        let args = vec![uint(7, 8), DynSolValue::String(String::new())];
        let entries = contract_inputs_values(&f, &args).unwrap();
        assert_eq!(
            entries,
            [
                ("0".to_string(), "7".to_string()),
                ("note".into(), "".into())
            ]
        );
        let mut map = Map::new();
        map.insert("0".into(), Value::String("7".into()));
        assert_eq!(args_from_contract_inputs(&f, &map).unwrap(), args);
        map.insert("0".into(), Value::from(7));
        let e = args_from_contract_inputs(&f, &map).unwrap_err();
        assert_eq!(e.path, "#0");
        assert!(e.to_string().contains("JSON number 7"), "{e}");
        map.remove("0");
        let e = args_from_contract_inputs(&f, &map).unwrap_err();
        assert!(e.to_string().contains("empty string"), "{e}");
        let e = contract_inputs_values(&f, &args[..1]).unwrap_err();
        assert!(matches!(e.problem, Problem::ArgumentCount { .. }));
    }
}
