//! The JSON trees a batch file is read as.
//!
//! A batch someone hands a signer is parsed once, into [`Json`]: strings
//! borrowed from the file's text, objects as their fields in file order.
//! That is a fraction of what a `serde_json::Value` takes (a tree of maps
//! and owned strings, four to five times the file's size), and the memory a
//! command touches is most of its time on a large batch.
//!
//! The checksum and the batch reader work on any [`JsonTree`], so the same
//! code serves a file bundlec reads ([`Json`]) and a value built in memory
//! (`serde_json::Value`, as the tests and the build side hold them).

use std::borrow::Cow;

use serde_json::{Number, Value};

/// A batch file parsed with its strings borrowed from the text.
///
/// Read it through [`JsonTree`], called as `JsonTree::get(json, key)` where
/// the type is concrete: the type's own `get` returns the *first* field of
/// a name (and `null` when there is none), where `JSON.parse` keeps the last.
pub type Json<'a> = serde_json_borrow::Value<'a>;

/// One JSON value, seen without its representation.
pub enum Node<'v, J> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'v str),
    Array(&'v [J]),
    /// Its fields are [`JsonTree::fields`].
    Object,
}

/// What the checksum and the batch reader need from a JSON tree.
///
/// Objects follow `JSON.parse`: of a key given twice, the last value counts
/// ([`JsonTree::get`]); [`JsonTree::fields`] may list both, and the checksum
/// writer keeps the last.
pub trait JsonTree: Sized {
    fn node(&self) -> Node<'_, Self>;

    /// An object's fields (none for any other value).
    fn fields(&self) -> impl Iterator<Item = (&str, &Self)>;

    /// An object's field: the last of that name.
    fn get(&self, key: &str) -> Option<&Self>;

    /// The value as a `serde_json::Value`, copied only when it is not one.
    fn as_value(&self) -> Cow<'_, Value>;

    fn as_str(&self) -> Option<&str> {
        match self.node() {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Self]> {
        match self.node() {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    fn is_object(&self) -> bool {
        matches!(self.node(), Node::Object)
    }

    fn is_null(&self) -> bool {
        matches!(self.node(), Node::Null)
    }

    /// The JSON type, as error messages name it.
    fn kind(&self) -> &'static str {
        match self.node() {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object => "an object",
        }
    }
}

/// Whether two trees are the same text up to layout: the same fields in the
/// same order, and numbers of the same kind and bits (`==` on numbers holds
/// `0.0` and `-0.0` equal, which this does not). What is computed from one
/// may stand for the other.
pub fn identical<J: JsonTree>(a: &J, b: &J) -> bool {
    match (a.node(), b.node()) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(a), Node::Bool(b)) => a == b,
        (Node::Number(a), Node::Number(b)) => {
            a.is_f64() == b.is_f64()
                && a.as_u64() == b.as_u64()
                && a.as_i64() == b.as_i64()
                && a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
        }
        (Node::String(a), Node::String(b)) => a == b,
        (Node::Array(a), Node::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| identical(a, b))
        }
        (Node::Object, Node::Object) => {
            let (mut a, mut b) = (a.fields(), b.fields());
            loop {
                match (a.next(), b.next()) {
                    (None, None) => return true,
                    (Some((ka, va)), Some((kb, vb))) if ka == kb && identical(va, vb) => {}
                    _ => return false,
                }
            }
        }
        _ => false,
    }
}

impl JsonTree for Value {
    fn node(&self) -> Node<'_, Self> {
        match self {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.clone()),
            Value::String(s) => Node::String(s),
            Value::Array(items) => Node::Array(items),
            Value::Object(_) => Node::Object,
        }
    }

    fn fields(&self) -> impl Iterator<Item = (&str, &Self)> {
        self.as_object()
            .into_iter()
            .flat_map(|map| map.iter().map(|(key, value)| (key.as_str(), value)))
    }

    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }

    fn as_value(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

impl JsonTree for Json<'_> {
    fn node(&self) -> Node<'_, Self> {
        match self {
            Json::Null => Node::Null,
            Json::Bool(b) => Node::Bool(*b),
            Json::Number(n) => Node::Number((*n).into()),
            Json::Str(s) => Node::String(s),
            Json::Array(items) => Node::Array(items),
            Json::Object(_) => Node::Object,
        }
    }

    fn fields(&self) -> impl Iterator<Item = (&str, &Self)> {
        self.as_object()
            .into_iter()
            .flat_map(|object| object.iter())
    }

    fn get(&self, key: &str) -> Option<&Self> {
        // The last one, as `JSON.parse` keeps.
        self.fields()
            .filter(|(name, _)| *name == key)
            .last()
            .map(|(_, value)| value)
    }

    fn as_value(&self) -> Cow<'_, Value> {
        // Fields in order, so a later duplicate replaces an earlier one.
        Cow::Owned(self.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both trees read any text alike, duplicate keys included.
    #[test]
    fn both_trees_agree() {
        let texts = [
            r#"{"a":1,"b":[true,null,"x\n"],"a":2.5,"c":{"d":-3,"d":"e"}}"#,
            r#"[1e400]"#,
            r#"{"k\u0000":18446744073709551615,"n":-9223372036854775808,"f":1e-7}"#,
            // A key spelled with an escape is the key: JSON.parse reads "to".
            r#"{"\u0061":"escaped","b":"\u0041\n"}"#,
        ];
        for text in texts {
            let value: Result<Value, _> = serde_json::from_str(text);
            let json: Result<Json<'_>, _> = serde_json::from_str(text);
            let (value, json) = match (value, json) {
                (Ok(value), Ok(json)) => (value, json),
                (Err(_), Err(_)) => continue,
                (value, json) => panic!("{text}: {value:?} against {:?}", json.is_ok()),
            };
            assert_eq!(*json.as_value(), value, "{text}");
            assert_eq!(
                JsonTree::get(&json, "a").map(|v| v.as_value().into_owned()),
                value.get("a").cloned()
            );
            assert_eq!(json.kind(), value.kind());
            assert!(identical(&json, &json.clone()));
        }
    }

    #[test]
    fn identical_tells_apart_what_equality_does_not() {
        let parse = |text| -> Json<'_> { serde_json::from_str(text).unwrap() };
        let zero = parse(r#"{"a":[0.0]}"#);
        assert!(zero == parse(r#"{"a":[-0.0]}"#));
        assert!(!identical(&zero, &parse(r#"{"a":[-0.0]}"#)));
        assert!(!identical(&parse("[1]"), &parse("[1.0]")));
        assert!(!identical(
            &parse(r#"{"a":1,"b":2}"#),
            &parse(r#"{"b":2,"a":1}"#)
        ));
        assert!(!identical(&parse(r#"{"a":1}"#), &parse(r#"{"a":1,"a":1}"#)));
        assert!(identical(
            &parse(r#"{"a":"x","b":[null,true]}"#),
            &parse(r#"{ "a": "x", "b": [null, true] }"#)
        ));
    }
}
