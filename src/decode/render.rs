//! How decoded values read: one line of text for people, and a JSON form for
//! machines. Numbers are decimal strings, bytes lower-case hex, addresses
//! EIP-55, so the same value always looks the same in every output.

use std::collections::BTreeSet;
use std::ops::Bound;

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::hex;
use serde_json::Value;

use crate::abi::values::fixed_bytes;
use crate::address_book::AddressBook;
use crate::text::untrusted;

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
                out.push_str(&format!(" ({})", untrusted(&name)));
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
        // JSON quoting shows quotes and control characters unambiguously;
        // `untrusted` then escapes what JSON leaves raw (bidi controls).
        DynSolValue::String(s) => {
            out.push_str(&untrusted(&Value::String(s.clone()).to_string()));
        }
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

use super::tree::{Argument, CallNode, Decoded, FunctionCall};

/// The call tree as indented text, one call per line with its arguments. A
/// reading the bytes also have under another ABI follows its call on a line
/// of its own (`! also reads as …`). Every name from input is escaped with
/// [`untrusted`], so only the tree's own line breaks end a line.
pub fn tree_text(root: &CallNode, book: &AddressBook) -> String {
    let mut out = String::new();
    write_node(root, book, 0, &mut out);
    out
}

fn write_node(node: &CallNode, book: &AddressBook, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    out.push_str(&indent);
    out.push_str(&format!("[{}]", node.path));
    if let Some(op) = node.operation {
        out.push(' ');
        out.push_str(op.name());
    }
    match (node.to, &node.to_name) {
        (Some(to), name) => {
            out.push(' ');
            out.push_str(&to.to_checksum(None));
            if let Some(name) = name {
                out.push_str(&format!(" ({})", untrusted(name)));
            }
        }
        (None, Some(name)) => out.push_str(&format!(" ({})", untrusted(name))),
        (None, None) if node.arg_path.is_empty() || node.operation.is_some() => {
            out.push_str(" (target set by the calling contract)");
        }
        (None, None) => out.push_str(" (target unknown)"),
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
            let decoded_below: BTreeSet<&[usize]> = node
                .children
                .iter()
                .map(|c| c.arg_path.as_slice())
                .collect();
            let qualified = !call.alternatives.is_empty();
            write_call(call, qualified, &decoded_below, book, out);
            if !call.collides_with.is_empty() {
                let others: Vec<String> = call
                    .collides_with
                    .iter()
                    .map(|s| untrusted(s).into_owned())
                    .collect();
                out.push_str(&format!("  ! selector also matches {}", others.join(", ")));
            }
            for alternative in &call.alternatives {
                out.push('\n');
                out.push_str(&indent);
                out.push_str("    ! also reads as ");
                write_call(alternative, true, &BTreeSet::new(), book, out);
            }
        }
    }
    out.push('\n');
    for child in &node.children {
        write_node(child, book, depth.saturating_add(1), out);
    }
}

/// `name(arg=value, …)`, prefixed by the ABI's name when `qualified`; values
/// at `decoded_below` (argument paths of the children) are not repeated.
fn write_call(
    call: &FunctionCall,
    qualified: bool,
    decoded_below: &BTreeSet<&[usize]>,
    book: &AddressBook,
    out: &mut String,
) {
    if qualified {
        out.push_str(&untrusted(&call.abi));
        out.push('.');
    }
    out.push_str(&untrusted(&call.name));
    out.push('(');
    let mut at = Vec::new();
    for (i, arg) in call.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if !arg.name.is_empty() {
            out.push_str(&untrusted(&arg.name));
            out.push('=');
        }
        at.clear();
        at.push(i);
        write_marked(&arg.value, book, &mut at, decoded_below, out);
    }
    out.push(')');
}

/// Like `write_text`, with `<decoded below>` for the values at `decoded_below`.
fn write_marked(
    value: &DynSolValue,
    book: &AddressBook,
    at: &mut Vec<usize>,
    decoded_below: &BTreeSet<&[usize]>,
    out: &mut String,
) {
    if decoded_below.contains(at.as_slice()) {
        out.push_str("<decoded below>");
        return;
    }
    // Only values that contain a decoded one need walking; the paths that
    // start with `at` follow it in the set's order.
    let inside = decoded_below
        .range::<[usize], _>((Bound::Excluded(at.as_slice()), Bound::Unbounded))
        .next()
        .is_some_and(|p| p.starts_with(at));
    if !inside {
        write_text(value, book, out);
        return;
    }
    let (items, open, close) = match value {
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => (items, '[', ']'),
        DynSolValue::Tuple(items) => (items, '(', ')'),
        _ => {
            write_text(value, book, out);
            return;
        }
    };
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        at.push(i);
        write_marked(item, book, at, decoded_below, out);
        at.pop();
    }
    out.push(close);
}

fn address_json(address: Option<alloy_primitives::Address>) -> Value {
    address.map_or(Value::Null, |a| Value::String(a.to_checksum(None)))
}

fn args_json(args: &[Argument], book: &AddressBook) -> Value {
    Value::Array(
        args.iter()
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
            .collect(),
    )
}

/// The call tree as data, for `--json` outputs. Each node has `executor`
/// (the account making the call, or null) and `arg_path` (where its data
/// sits in the parent's arguments); each function its `state_mutability` and
/// `alternatives` (other readings: `abi`, `signature`, `function`, `args`,
/// `state_mutability`).
pub fn tree_json(node: &CallNode, book: &AddressBook) -> Value {
    let mut object = serde_json::Map::new();
    object.insert("path".into(), Value::String(node.path.clone()));
    object.insert("to".into(), address_json(node.to));
    object.insert(
        "to_name".into(),
        node.to_name.clone().map_or(Value::Null, Value::String),
    );
    object.insert(
        "operation".into(),
        node.operation
            .map_or(Value::Null, |op| Value::String(op.name().into())),
    );
    object.insert("executor".into(), address_json(node.executor));
    object.insert(
        "value".into(),
        node.value
            .map_or(Value::Null, |v| Value::String(v.to_string())),
    );
    object.insert(
        "data".into(),
        Value::String(hex::encode_prefixed(&node.data)),
    );
    object.insert(
        "arg_path".into(),
        Value::Array(node.arg_path.iter().map(|&i| Value::from(i)).collect()),
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
            object.insert(
                "state_mutability".into(),
                Value::String(call.state_mutability.as_json_str().into()),
            );
            object.insert("args".into(), args_json(&call.args, book));
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
            object.insert(
                "alternatives".into(),
                Value::Array(
                    call.alternatives
                        .iter()
                        .map(|alternative| {
                            let mut a = serde_json::Map::new();
                            a.insert("abi".into(), Value::String(alternative.abi.clone()));
                            a.insert(
                                "signature".into(),
                                Value::String(alternative.signature.clone()),
                            );
                            a.insert("function".into(), Value::String(alternative.name.clone()));
                            a.insert(
                                "state_mutability".into(),
                                Value::String(alternative.state_mutability.as_json_str().into()),
                            );
                            a.insert("args".into(), args_json(&alternative.args, book));
                            Value::Object(a)
                        })
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
