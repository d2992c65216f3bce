//! Call arguments as an operator writes them: TOML values, or plain text on a
//! command line.
//!
//! Rules, per ABI type:
//! - `address`: a string; all-lower / all-upper hex as is, mixed case must be
//!   a valid EIP-55 checksum (`crate::parse::parse_address`).
//! - `uintN`: a TOML integer (>= 0), or a string in decimal or `0x` hex.
//! - `intN`: a TOML integer, or a string in decimal (`-` allowed) or
//!   non-negative `0x` hex. Hex is the number's magnitude, never a two's
//!   complement pattern: `0xff` is 255 and so does not fit an `int8`.
//! - Both: range-checked against the exact bit width. TOML floats (`1e18`)
//!   are refused: a float is not an exact amount.
//! - `bool`: a TOML boolean, or the strings `"true"` / `"false"`.
//! - `bytes`: a `0x` hex string; `bytesN`: exactly N bytes of it.
//! - `string`: a TOML string (numbers are not silently stringified).
//! - `T[k]`: an array of exactly k items; `T[]`: an array.
//! - tuples: an array (positional, every component) or a table keyed by
//!   component name (every name, no others).
//!
//! [`value_from_str`] reads scalars from the text itself (a `string` takes
//! the text verbatim) and arrays / tuples from the text as a TOML value, e.g.
//! `[1, 2]` or `{ to = "0x…", amount = 5 }`.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use alloy_json_abi::Param;
use alloy_primitives::{Function, I256, U256};

use super::{
    Field, Node, Problem, ValueError, at, check_length, element_path, field_path,
    fixed_bytes_value, int_value, integer_from_text, quoted, resolve_at, root_label, uint_value,
};
use crate::parse::{parse_address, parse_hex_bytes, parse_uint};

/// Reads one argument from a TOML value, as typed by `param`.
pub fn value_from_toml(param: &Param, value: &toml::Value) -> Result<DynSolValue, ValueError> {
    let root = root_label(param);
    let ty = resolve_at(param, &root)?;
    from_toml(Node::new(&ty, param), value, &root)
}

/// Reads one argument from text: scalars from the text itself, arrays and
/// tuples from the text parsed as a TOML value.
pub fn value_from_str(param: &Param, text: &str) -> Result<DynSolValue, ValueError> {
    let root = root_label(param);
    let ty = resolve_at(param, &root)?;
    let node = Node::new(&ty, param);
    match &ty {
        DynSolType::Array(_) | DynSolType::FixedArray(..) | DynSolType::Tuple(_) => {
            let value: toml::Value = text.parse().map_err(|e: toml::de::Error| {
                at(&root)(Problem::Syntax(format!(
                    "{} is not a TOML value: {}",
                    quoted(text),
                    e.message().trim()
                )))
            })?;
            from_toml(node, &value, &root)
        }
        _ => scalar_from_text(&ty, text).map_err(at(&root)),
    }
}

/// A scalar from its text form (also used for TOML strings).
fn scalar_from_text(ty: &DynSolType, text: &str) -> Result<DynSolValue, Problem> {
    match ty {
        DynSolType::Bool => match text {
            "true" => Ok(DynSolValue::Bool(true)),
            "false" => Ok(DynSolValue::Bool(false)),
            _ => Err(Problem::Expected {
                expected: "a bool (true or false)".into(),
                found: quoted(text),
            }),
        },
        DynSolType::Uint(bits) => Ok(DynSolValue::Uint(parse_uint(text, *bits)?, *bits)),
        DynSolType::Int(bits) => integer_from_text(text, true, *bits, true),
        DynSolType::Address => Ok(DynSolValue::Address(parse_address(text)?)),
        DynSolType::FixedBytes(n) => fixed_bytes_value(&parse_hex_bytes(text)?, *n),
        DynSolType::Bytes => Ok(DynSolValue::Bytes(parse_hex_bytes(text)?.to_vec())),
        DynSolType::Function => {
            let bytes = parse_hex_bytes(text)?;
            let function =
                Function::try_from(bytes.as_ref()).map_err(|_| Problem::BytesLength {
                    ty: "function".into(),
                    expected: 24,
                    got: bytes.len(),
                })?;
            Ok(DynSolValue::Function(function))
        }
        DynSolType::String => Ok(DynSolValue::String(text.to_string())),
        compound => Err(Problem::Expected {
            expected: expected_toml(compound),
            found: quoted(text),
        }),
    }
}

/// What a TOML value for `ty` should look like, for error messages.
fn expected_toml(ty: &DynSolType) -> String {
    let how = match ty {
        DynSolType::Bool => "a boolean".to_string(),
        DynSolType::Uint(_) | DynSolType::Int(_) => {
            "an integer, or a decimal or 0x-hex string".to_string()
        }
        DynSolType::Address => "a 0x-prefixed address string".to_string(),
        DynSolType::FixedBytes(n) => format!("a 0x-hex string of {n} bytes"),
        DynSolType::Bytes | DynSolType::Function => "a 0x-hex string".to_string(),
        DynSolType::String => "a string".to_string(),
        DynSolType::Array(_) => "an array".to_string(),
        DynSolType::FixedArray(_, k) => format!("an array of {k} elements"),
        DynSolType::Tuple(_) => "an array (positional) or a table (by component name)".to_string(),
        // CustomStruct exists when another crate enables alloy's eip712
        // feature (bundlec's tests do); ABI types never resolve to it.
        #[allow(unreachable_patterns)]
        _ => "a value".to_string(),
    };
    format!("{} as {how}", ty.sol_type_name())
}

fn describe_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the string {}", quoted(s)),
        toml::Value::Integer(i) => format!("the integer {i}"),
        toml::Value::Float(f) => format!("the float {f}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the datetime {d}"),
        toml::Value::Array(items) => format!("an array of {} elements", items.len()),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

fn from_toml(node: Node<'_>, value: &toml::Value, path: &str) -> Result<DynSolValue, ValueError> {
    let wrong = || {
        at(path)(Problem::Expected {
            expected: expected_toml(node.ty),
            found: describe_toml(value),
        })
    };
    match (node.ty, value) {
        (DynSolType::Array(inner), toml::Value::Array(items)) => {
            array_items(node.element_node(inner), items, path).map(DynSolValue::Array)
        }
        (DynSolType::FixedArray(inner, _), toml::Value::Array(items)) => {
            check_length(node.ty, items.len()).map_err(at(path))?;
            array_items(node.element_node(inner), items, path).map(DynSolValue::FixedArray)
        }
        (DynSolType::Tuple(types), toml::Value::Array(items)) => {
            tuple_positional(node, &node.tuple_fields(types), items, path)
        }
        (DynSolType::Tuple(types), toml::Value::Table(table)) => {
            tuple_by_name(node, &node.tuple_fields(types), table, path)
        }
        (DynSolType::Uint(bits), toml::Value::Integer(i)) => {
            let value = match u64::try_from(*i) {
                Ok(u) => uint_value(U256::from(u), *bits),
                Err(_) => Err(super::uint_out_of_range(i.to_string(), *bits)),
            };
            value.map_err(at(path))
        }
        (DynSolType::Int(bits), toml::Value::Integer(i)) => {
            let value = I256::try_from(*i)
                .map_err(|_| super::int_out_of_range(i.to_string(), *bits))
                .and_then(|v| int_value(v, *bits));
            value.map_err(at(path))
        }
        (DynSolType::Bool, toml::Value::Boolean(b)) => Ok(DynSolValue::Bool(*b)),
        (
            DynSolType::Bool
            | DynSolType::Uint(_)
            | DynSolType::Int(_)
            | DynSolType::Address
            | DynSolType::FixedBytes(_)
            | DynSolType::Bytes
            | DynSolType::Function
            | DynSolType::String,
            toml::Value::String(s),
        ) => scalar_from_text(node.ty, s).map_err(at(path)),
        _ => Err(wrong()),
    }
}

fn array_items(
    element: Node<'_>,
    items: &[toml::Value],
    path: &str,
) -> Result<Vec<DynSolValue>, ValueError> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| from_toml(element, item, &element_path(path, i)))
        .collect()
}

fn tuple_positional(
    node: Node<'_>,
    fields: &[Field<'_>],
    items: &[toml::Value],
    path: &str,
) -> Result<DynSolValue, ValueError> {
    check_length(node.ty, items.len()).map_err(at(path))?;
    fields
        .iter()
        .zip(items)
        .enumerate()
        .map(|(i, (field, item))| from_toml(field.node, item, &field_path(path, field, i)))
        .collect::<Result<_, _>>()
        .map(DynSolValue::Tuple)
}

fn tuple_by_name(
    node: Node<'_>,
    fields: &[Field<'_>],
    table: &toml::Table,
    path: &str,
) -> Result<DynSolValue, ValueError> {
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut seen = std::collections::BTreeSet::new();
    let unique = names.iter().all(|n| !n.is_empty() && seen.insert(*n));
    if !unique {
        // Unnamed or repeated component names cannot be addressed by key.
        return Err(at(path)(Problem::Expected {
            expected: format!(
                "{} as an array (its components are not all uniquely named)",
                node.ty.sol_type_name()
            ),
            found: "a table".into(),
        }));
    }
    // An unknown key is reported first: a misspelt name shows up as both an
    // unknown and a missing key, and the unknown one is the typo.
    if let Some(key) = table.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(at(path)(Problem::UnknownComponent {
            name: key.clone(),
            components: super::component_list(fields),
        }));
    }
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let item = table.get(field.name).ok_or_else(|| {
                at(path)(Problem::MissingComponent {
                    name: field.name.to_string(),
                    components: super::component_list(fields),
                })
            })?;
            from_toml(field.node, item, &field_path(path, field, i))
        })
        .collect::<Result<_, _>>()
        .map(DynSolValue::Tuple)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(json: &str) -> Param {
        serde_json::from_str(json).unwrap()
    }

    fn toml_value(text: &str) -> toml::Value {
        text.parse().unwrap()
    }

    #[test]
    fn uint_from_integer_string_and_hex() {
        let p = param(r#"{"name":"n","type":"uint16"}"#);
        let want = DynSolValue::Uint(U256::from(300), 16);
        for text in ["300", "\"300\"", "\"0x12c\"", "\"0X12C\""] {
            assert_eq!(
                value_from_toml(&p, &toml_value(text)).unwrap(),
                want,
                "{text}"
            );
        }
        assert_eq!(value_from_str(&p, "0x12c").unwrap(), want);
        let e = value_from_toml(&p, &toml_value("-1")).unwrap_err();
        assert_eq!(e.path, "n");
        assert!(e.to_string().contains("does not fit in uint16"), "{e}");
        let e = value_from_toml(&p, &toml_value("1.0")).unwrap_err();
        assert!(e.to_string().contains("found the float 1"), "{e}");
    }

    #[test]
    fn int_from_negative_decimal() {
        let p = param(r#"{"name":"d","type":"int8"}"#);
        assert_eq!(
            value_from_toml(&p, &toml_value("-128")).unwrap(),
            DynSolValue::Int(I256::try_from(-128).unwrap(), 8)
        );
        assert_eq!(
            value_from_str(&p, "-5").unwrap(),
            DynSolValue::Int(I256::try_from(-5).unwrap(), 8)
        );
        assert!(value_from_toml(&p, &toml_value("128")).is_err());
        assert!(value_from_str(&p, "-0x5").is_err());
    }

    #[test]
    fn compound_text_is_toml() {
        let p = param(r#"{"name":"xs","type":"uint8[]"}"#);
        assert_eq!(
            value_from_str(&p, "[1, 2]").unwrap(),
            DynSolValue::Array(vec![
                DynSolValue::Uint(U256::from(1), 8),
                DynSolValue::Uint(U256::from(2), 8)
            ])
        );
        let e = value_from_str(&p, "[1, 2").unwrap_err();
        assert!(matches!(e.problem, Problem::Syntax(_)), "{e}");
        let s = param(r#"{"name":"s","type":"string"}"#);
        assert_eq!(
            value_from_str(&s, " [not toml").unwrap(),
            DynSolValue::String(" [not toml".into())
        );
    }

    #[test]
    fn function_type_is_24_bytes() {
        let p = param(r#"{"name":"f","type":"function"}"#);
        let hex24 = format!("0x{}", "ab".repeat(24));
        assert!(matches!(
            value_from_str(&p, &hex24).unwrap(),
            DynSolValue::Function(_)
        ));
        assert!(value_from_str(&p, "0xabcd").is_err());
    }
}
