//! How decoded values read: one line of text for people, and a JSON form for
//! machines. Numbers are decimal strings, bytes lower-case hex, addresses
//! EIP-55, so the same value always looks the same in every output.

use std::collections::BTreeSet;
use std::ops::Bound;

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, U256, hex};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::abi::values::fixed_bytes;
use crate::address_book::AddressBook;
use crate::hex_text::PrefixedHex;
use crate::memo::Eip55;
use crate::text::untrusted;

/// A value on one line; addresses carry their name from `book` when known.
pub fn value_text(value: &DynSolValue, book: &AddressBook) -> String {
    let mut out = String::new();
    write_text(value, book, &Eip55::new(), &mut out);
    out
}

fn write_text(value: &DynSolValue, book: &AddressBook, eip55: &Eip55, out: &mut String) {
    match value {
        DynSolValue::Address(a) => {
            eip55.with(*a, |a| out.push_str(a));
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
            write_list(items, book, eip55, '[', ']', out);
        }
        DynSolValue::Tuple(items) => write_list(items, book, eip55, '(', ')', out),
        // CustomStruct exists when another crate enables alloy's eip712 feature.
        #[allow(unreachable_patterns)]
        _ => out.push('?'),
    }
}

fn write_list(
    items: &[DynSolValue],
    book: &AddressBook,
    eip55: &Eip55,
    open: char,
    close: char,
    out: &mut String,
) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_text(item, book, eip55, out);
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
    tree_text_with(root, book, &Eip55::new())
}

/// [`tree_text`], with EIP-55 strings from `eip55`.
pub fn tree_text_with(root: &CallNode, book: &AddressBook, eip55: &Eip55) -> String {
    let mut out = String::new();
    write_node(root, book, eip55, 0, &mut out);
    out
}

fn write_node(node: &CallNode, book: &AddressBook, eip55: &Eip55, depth: usize, out: &mut String) {
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
            eip55.with(to, |to| out.push_str(to));
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
            write_call(call, qualified, &decoded_below, book, eip55, out);
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
                write_call(alternative, true, &BTreeSet::new(), book, eip55, out);
            }
        }
    }
    out.push('\n');
    for child in &node.children {
        write_node(child, book, eip55, depth.saturating_add(1), out);
    }
}

/// `name(arg=value, …)`, prefixed by the ABI's name when `qualified`; values
/// at `decoded_below` (argument paths of the children) are not repeated.
fn write_call(
    call: &FunctionCall,
    qualified: bool,
    decoded_below: &BTreeSet<&[usize]>,
    book: &AddressBook,
    eip55: &Eip55,
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
        write_marked(&arg.value, book, eip55, &mut at, decoded_below, out);
    }
    out.push(')');
}

/// Like `write_text`, with `<decoded below>` for the values at `decoded_below`.
fn write_marked(
    value: &DynSolValue,
    book: &AddressBook,
    eip55: &Eip55,
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
        write_text(value, book, eip55, out);
        return;
    }
    let (items, open, close) = match value {
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => (items, '[', ']'),
        DynSolValue::Tuple(items) => (items, '(', ')'),
        _ => {
            write_text(value, book, eip55, out);
            return;
        }
    };
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        at.push(i);
        write_marked(item, book, eip55, at, decoded_below, out);
        at.pop();
    }
    out.push(close);
}

/// A number as a JSON string of its decimal digits.
struct DecimalJson<'a>(&'a U256);

impl Serialize for DecimalJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// An optional address as JSON: its EIP-55 string, or null.
struct AddressJson<'a>(Option<Address>, &'a Eip55);

impl Serialize for AddressJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(address) => self.1.with(address, |a| serializer.serialize_str(a)),
            None => serializer.serialize_none(),
        }
    }
}

/// [`value_json`] written directly.
struct ValueJson<'a>(&'a DynSolValue, &'a Eip55);

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            DynSolValue::Address(a) => self.1.with(*a, |a| serializer.serialize_str(a)),
            DynSolValue::Bool(b) => serializer.serialize_bool(*b),
            DynSolValue::Uint(n, _) => serializer.collect_str(n),
            DynSolValue::Int(n, _) => serializer.collect_str(n),
            DynSolValue::FixedBytes(word, size) => {
                PrefixedHex(fixed_bytes(word, *size)).serialize(serializer)
            }
            DynSolValue::Bytes(b) => PrefixedHex(b).serialize(serializer),
            DynSolValue::Function(f) => PrefixedHex(f.as_slice()).serialize(serializer),
            DynSolValue::String(s) => serializer.serialize_str(s),
            DynSolValue::Array(items)
            | DynSolValue::FixedArray(items)
            | DynSolValue::Tuple(items) => {
                serializer.collect_seq(items.iter().map(|item| ValueJson(item, self.1)))
            }
            // CustomStruct exists when another crate enables alloy's eip712 feature.
            #[allow(unreachable_patterns)]
            _ => serializer.serialize_unit(),
        }
    }
}

/// A function's arguments: `name`, `type`, `value` and, for an address with
/// a name in the book, `value_name`.
struct ArgsJson<'a> {
    args: &'a [Argument],
    book: &'a AddressBook,
    eip55: &'a Eip55,
}

impl Serialize for ArgsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.args.len()))?;
        for arg in self.args {
            seq.serialize_element(&ArgJson {
                arg,
                book: self.book,
                eip55: self.eip55,
            })?;
        }
        seq.end()
    }
}

struct ArgJson<'a> {
    arg: &'a Argument,
    book: &'a AddressBook,
    eip55: &'a Eip55,
}

impl Serialize for ArgJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let arg = self.arg;
        let value_name = match &arg.value {
            DynSolValue::Address(address) => self.book.name_of(*address),
            _ => None,
        };
        // Keys in sorted order, as a JSON object of this crate has them.
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &arg.name)?;
        map.serialize_entry("type", &arg.ty)?;
        map.serialize_entry("value", &ValueJson(&arg.value, self.eip55))?;
        if let Some(name) = &value_name {
            map.serialize_entry("value_name", name)?;
        }
        map.end()
    }
}

/// One other reading of a function's bytes.
struct AlternativeJson<'a> {
    call: &'a FunctionCall,
    book: &'a AddressBook,
    eip55: &'a Eip55,
}

impl Serialize for AlternativeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let call = self.call;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("abi", &call.abi)?;
        map.serialize_entry(
            "args",
            &ArgsJson {
                args: &call.args,
                book: self.book,
                eip55: self.eip55,
            },
        )?;
        map.serialize_entry("function", &call.name)?;
        map.serialize_entry("signature", &call.signature)?;
        map.serialize_entry("state_mutability", call.state_mutability.as_json_str())?;
        map.end()
    }
}

/// The call tree as data ([`tree_json`]), serialized directly: the keys of
/// every object in sorted order, as `serde_json`'s `Map` (a `BTreeMap` in
/// this crate) orders them, so both forms are the same bytes.
#[derive(Debug, Clone, Copy)]
pub struct TreeJson<'a> {
    pub node: &'a CallNode,
    pub book: &'a AddressBook,
    pub eip55: &'a Eip55,
}

impl Serialize for TreeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let node = self.node;
        let (book, eip55) = (self.book, self.eip55);
        let function = match &node.call {
            Decoded::Function(call) => Some(call),
            _ => None,
        };
        let mut map = serializer.serialize_map(None)?;
        if let Some(call) = function {
            map.serialize_entry("abi", &call.abi)?;
            map.serialize_entry(
                "alternatives",
                &Seq(call
                    .alternatives
                    .iter()
                    .map(|call| AlternativeJson { call, book, eip55 })),
            )?;
        }
        map.serialize_entry("arg_path", &node.arg_path)?;
        if let Some(call) = function {
            map.serialize_entry(
                "args",
                &ArgsJson {
                    args: &call.args,
                    book,
                    eip55,
                },
            )?;
        }
        map.serialize_entry(
            "children",
            &Seq(node
                .children
                .iter()
                .map(|node| TreeJson { node, book, eip55 })),
        )?;
        map.serialize_entry("data", &PrefixedHex(&node.data))?;
        map.serialize_entry("executor", &AddressJson(node.executor, eip55))?;
        if let Some(call) = function {
            map.serialize_entry("function", &call.name)?;
        }
        let kind = match &node.call {
            Decoded::Empty => "empty",
            Decoded::Unknown { .. } => "unknown",
            Decoded::Function(_) => "function",
        };
        map.serialize_entry("kind", kind)?;
        map.serialize_entry("operation", &node.operation.map(|op| op.name()))?;
        map.serialize_entry("path", &node.path)?;
        if let Decoded::Unknown { selector } = &node.call {
            map.serialize_entry("selector", &selector.as_ref().map(|s| PrefixedHex(s)))?;
        }
        if let Some(call) = function {
            map.serialize_entry("selector_collisions", &call.collides_with)?;
            map.serialize_entry("signature", &call.signature)?;
            map.serialize_entry("state_mutability", call.state_mutability.as_json_str())?;
        }
        map.serialize_entry("to", &AddressJson(node.to, eip55))?;
        map.serialize_entry("to_name", &node.to_name)?;
        map.serialize_entry("value", &node.value.as_ref().map(DecimalJson))?;
        map.end()
    }
}

/// A sequence serialized from an iterator it is given once.
struct Seq<I>(I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// The call tree as data, for `--json` outputs. Each node has `executor`
/// (the account making the call, or null) and `arg_path` (where its data
/// sits in the parent's arguments); each function its `state_mutability` and
/// `alternatives` (other readings: `abi`, `signature`, `function`, `args`,
/// `state_mutability`). The same bytes as [`TreeJson`], which writes it
/// without building the value.
pub fn tree_json(node: &CallNode, book: &AddressBook) -> Value {
    let eip55 = Eip55::new();
    serde_json::to_value(TreeJson {
        node,
        book,
        eip55: &eip55,
    })
    // Only a map key that is not a string makes `to_value` fail; every key
    // here is one.
    .unwrap_or(Value::Null)
}
