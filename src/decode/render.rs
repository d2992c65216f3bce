//! How decoded values read: one line of text for people, and a JSON form for
//! machines. Numbers are decimal strings, bytes lower-case hex, addresses
//! EIP-55, so the same value always looks the same in every output.

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::hex;
use serde_json::Value;

use crate::abi::values::fixed_bytes;
use crate::address_book::AddressBook;

/// A value on one line; addresses carry their name from `book` when known.
pub fn value_text(value: &DynSolValue, book: &AddressBook) -> String {
    let mut out = String::new();
    write_text(value, book, &mut out);
    out
}

fn write_text(value: &DynSolValue, book: &AddressBook, out: &mut String) {
    match value {
        DynSolValue::Address(a) => {
            out.push_str(&a.to_checksum(None));
            if let Some(name) = book.name_of(*a) {
                out.push_str(&format!(" ({name})"));
            }
        }
        DynSolValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        DynSolValue::Uint(n, _) => out.push_str(&n.to_string()),
        DynSolValue::Int(n, _) => out.push_str(&n.to_string()),
        DynSolValue::FixedBytes(word, size) => {
            out.push_str(&hex::encode_prefixed(fixed_bytes(word, *size)));
        }
        DynSolValue::Bytes(b) => out.push_str(&hex::encode_prefixed(b)),
        DynSolValue::Function(f) => out.push_str(&hex::encode_prefixed(f.as_slice())),
        // JSON quoting shows control characters and quotes unambiguously.
        DynSolValue::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
            write_list(items, book, '[', ']', out);
        }
        DynSolValue::Tuple(items) => write_list(items, book, '(', ')', out),
        // CustomStruct exists when another crate enables alloy's eip712 feature.
        #[allow(unreachable_patterns)]
        _ => out.push('?'),
    }
}

fn write_list(
    items: &[DynSolValue],
    book: &AddressBook,
    open: char,
    close: char,
    out: &mut String,
) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_text(item, book, out);
    }
    out.push(close);
}

/// The JSON form of a value: scalars as strings, arrays and tuples as arrays.
pub fn value_json(value: &DynSolValue) -> Value {
    match value {
        DynSolValue::Address(a) => Value::String(a.to_checksum(None)),
        DynSolValue::Bool(b) => Value::Bool(*b),
        DynSolValue::Uint(n, _) => Value::String(n.to_string()),
        DynSolValue::Int(n, _) => Value::String(n.to_string()),
        DynSolValue::FixedBytes(word, size) => {
            Value::String(hex::encode_prefixed(fixed_bytes(word, *size)))
        }
        DynSolValue::Bytes(b) => Value::String(hex::encode_prefixed(b)),
        DynSolValue::Function(f) => Value::String(hex::encode_prefixed(f.as_slice())),
        DynSolValue::String(s) => Value::String(s.clone()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            Value::Array(items.iter().map(value_json).collect())
        }
        // CustomStruct exists when another crate enables alloy's eip712 feature.
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    }
}

use super::tree::{CallNode, Decoded};

/// The call tree as indented text, one call per line with its arguments.
pub fn tree_text(root: &CallNode, book: &AddressBook) -> String {
    let mut out = String::new();
    write_node(root, book, 0, &mut out);
    out
}

fn write_node(node: &CallNode, book: &AddressBook, depth: usize, out: &mut String) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&format!("[{}]", node.path));
    if let Some(op) = node.operation {
        out.push(' ');
        out.push_str(op.name());
    }
    match node.to {
        Some(to) => {
            out.push(' ');
            out.push_str(&to.to_checksum(None));
            if let Some(name) = &node.to_name {
                out.push_str(&format!(" ({name})"));
            }
        }
        None => out.push_str(" (target set by the calling contract)"),
    }
    if let Some(value) = node.value.filter(|v| !v.is_zero()) {
        out.push_str(&format!(" value {value} wei"));
    }
    out.push_str(" : ");
    match &node.call {
        Decoded::Empty => out.push_str("no calldata (plain transfer)"),
        Decoded::Unknown { selector } => {
            match selector {
                Some(s) => out.push_str(&format!("UNKNOWN selector {}", hex::encode_prefixed(s))),
                None => out.push_str("UNKNOWN data shorter than a selector"),
            }
            out.push_str(&format!(
                ", {} bytes: {}",
                node.data.len(),
                hex::encode_prefixed(&node.data)
            ));
        }
        Decoded::Function(call) => {
            out.push_str(&call.name);
            out.push('(');
            for (i, arg) in call.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !arg.name.is_empty() {
                    out.push_str(&arg.name);
                    out.push('=');
                }
                let carries_children = !node.children.is_empty()
                    && arg.ty.starts_with("bytes")
                    && !is_fixed_bytes(&arg.ty);
                if carries_children {
                    out.push_str("<decoded below>");
                } else {
                    write_text(&arg.value, book, out);
                }
            }
            out.push(')');
            if !call.collides_with.is_empty() {
                out.push_str(&format!(
                    "  ! selector also matches {}",
                    call.collides_with.join(", ")
                ));
            }
        }
    }
    out.push('\n');
    for child in &node.children {
        write_node(child, book, depth.saturating_add(1), out);
    }
}

fn is_fixed_bytes(ty: &str) -> bool {
    ty.strip_prefix("bytes")
        .is_some_and(|size| size.starts_with(|c: char| c.is_ascii_digit()))
}

/// The call tree as data, for `--json` outputs.
pub fn tree_json(node: &CallNode, book: &AddressBook) -> Value {
    let mut object = serde_json::Map::new();
    object.insert("path".into(), Value::String(node.path.clone()));
    object.insert(
        "to".into(),
        node.to
            .map_or(Value::Null, |a| Value::String(a.to_checksum(None))),
    );
    object.insert(
        "to_name".into(),
        node.to_name.clone().map_or(Value::Null, Value::String),
    );
    object.insert(
        "operation".into(),
        node.operation
            .map_or(Value::Null, |op| Value::String(op.name().into())),
    );
    object.insert(
        "value".into(),
        node.value
            .map_or(Value::Null, |v| Value::String(v.to_string())),
    );
    object.insert(
        "data".into(),
        Value::String(hex::encode_prefixed(&node.data)),
    );
    match &node.call {
        Decoded::Empty => {
            object.insert("kind".into(), Value::String("empty".into()));
        }
        Decoded::Unknown { selector } => {
            object.insert("kind".into(), Value::String("unknown".into()));
            object.insert(
                "selector".into(),
                selector.map_or(Value::Null, |s| Value::String(hex::encode_prefixed(s))),
            );
        }
        Decoded::Function(call) => {
            object.insert("kind".into(), Value::String("function".into()));
            object.insert("abi".into(), Value::String(call.abi.clone()));
            object.insert("signature".into(), Value::String(call.signature.clone()));
            object.insert("function".into(), Value::String(call.name.clone()));
            let args = call
                .args
                .iter()
                .map(|arg| {
                    let mut a = serde_json::Map::new();
                    a.insert("name".into(), Value::String(arg.name.clone()));
                    a.insert("type".into(), Value::String(arg.ty.clone()));
                    a.insert("value".into(), value_json(&arg.value));
                    if let DynSolValue::Address(address) = &arg.value
                        && let Some(name) = book.name_of(*address)
                    {
                        a.insert("value_name".into(), Value::String(name));
                    }
                    Value::Object(a)
                })
                .collect();
            object.insert("args".into(), Value::Array(args));
            object.insert(
                "selector_collisions".into(),
                Value::Array(
                    call.collides_with
                        .iter()
                        .cloned()
                        .map(Value::String)
                        .collect(),
                ),
            );
        }
    }
    object.insert(
        "children".into(),
        Value::Array(node.children.iter().map(|c| tree_json(c, book)).collect()),
    );
    Value::Object(object)
}
