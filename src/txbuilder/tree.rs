//! The JSON trees a batch file is read as.
//!
//! A batch someone hands a signer is parsed once, into [`Json`]: strings
//! borrowed from the file's text, objects as their fields in file order,
//! every array and object held in exactly the room it needs. That is a
//! fraction of what a `serde_json::Value` takes (a tree of maps and owned
//! strings, four to five times the file's size), and the memory a command
//! touches is most of its time on a large batch.
//!
//! The checksum and the batch reader work on any [`JsonTree`], so the same
//! code serves a file bundlec reads ([`Json`]) and a value built in memory
//! (`serde_json::Value`, as the tests and the build side hold them).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// A batch file parsed with its strings borrowed from the text (a string
/// with an escape is the one copy), read through [`JsonTree`].
///
/// Parsed by serde_json like a `serde_json::Value`, so it takes the same
/// texts and refuses the same ones. Each array and object is a boxed slice
/// of exactly its length: a growing `Vec` leaves up to half its room unused,
/// and a batch's transactions are thousands of small objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(Box<[Json<'a>]>),
    /// The fields in file order; a name given twice is there twice.
    Object(Box<[(Cow<'a, str>, Json<'a>)]>),
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        TreeSeed {
            scratch: &mut Scratch::default(),
        }
        .deserialize(deserializer)
    }
}

/// The items and fields of the arrays and objects still being read, one
/// stack of each for the whole text. An array or object pushes its members
/// here and, when it ends, moves them into a slice of exactly their number:
/// one allocation each, where a `Vec` of its own would grow a few times and
/// then be shrunk. Nested values are read, and leave the stack as it was,
/// before their parent's next member is pushed.
#[derive(Default)]
struct Scratch<'de> {
    items: Vec<Json<'de>>,
    fields: Vec<(Cow<'de, str>, Json<'de>)>,
}

/// Reads one value, its arrays and objects gathered on `scratch`.
struct TreeSeed<'s, 'de> {
    scratch: &'s mut Scratch<'de>,
}

impl<'de> DeserializeSeed<'de> for TreeSeed<'_, 'de> {
    type Value = Json<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TreeSeed<'_, 'de> {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        // As serde_json's own `Value` reads it (JSON text has no NaN or
        // infinity: an out-of-range number is a parse error before this).
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let scratch = self.scratch;
        let start = scratch.items.len();
        while let Some(item) = seq.next_element_seed(TreeSeed {
            scratch: &mut *scratch,
        })? {
            scratch.items.push(item);
        }
        Ok(Json::Array(scratch.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let scratch = self.scratch;
        let start = scratch.fields.len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(TreeSeed {
                scratch: &mut *scratch,
            })?;
            scratch.fields.push((key, value));
        }
        Ok(Json::Object(scratch.fields.drain(start..).collect()))
    }
}

/// An object's key, borrowed from the text unless it has an escape.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

impl From<&Json<'_>> for Value {
    fn from(json: &Json<'_>) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::Str(s) => Value::String(s.as_ref().to_owned()),
            Json::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            // Fields in order, so a later duplicate replaces an earlier one.
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(key, value)| (key.as_ref().to_owned(), Value::from(value)))
                    .collect(),
            ),
        }
    }
}

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
            Json::Number(n) => Node::Number(n.clone()),
            Json::Str(s) => Node::String(s),
            Json::Array(items) => Node::Array(items),
            Json::Object(_) => Node::Object,
        }
    }

    fn fields(&self) -> impl Iterator<Item = (&str, &Self)> {
        let fields: &[(Cow<'_, str>, Json<'_>)] = match self {
            Json::Object(fields) => fields,
            _ => &[],
        };
        fields.iter().map(|(key, value)| (key.as_ref(), value))
    }

    fn get(&self, key: &str) -> Option<&Self> {
        // The last one, as `JSON.parse` keeps.
        self.fields()
            .filter(|(name, _)| *name == key)
            .last()
            .map(|(_, value)| value)
    }

    fn as_value(&self) -> Cow<'_, Value> {
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
            // Arrays and objects nested in each other, ending at every depth.
            r#"[[1,[2,{"a":[3,{"b":[],"c":{}}],"d":4}],5],{"e":[{"f":{"g":[[]]}}],"h":6},[],{}]"#,
            r#"{"a":[{"b":[1,2,{"c":[3]}]},[4,[5,[6]]]],"d":{"e":{"f":[7]}},"g":8}"#,
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

    /// Strings and keys are borrowed from the text unless they hold an
    /// escape, and objects keep a name given twice, in order.
    #[test]
    fn strings_borrow_from_the_text() {
        let text = r#"{"a":"b","\u0063":"d\n","a":[1,-2,0.5]}"#;
        let json: Json<'_> = serde_json::from_str(text).unwrap();
        let Json::Object(fields) = &json else {
            panic!("not an object: {json:?}");
        };
        let keys: Vec<_> = fields
            .iter()
            .map(|(key, _)| (key.as_ref(), matches!(key, Cow::Borrowed(_))))
            .collect();
        assert_eq!(keys, [("a", true), ("c", false), ("a", true)]);
        assert!(matches!(fields[0].1, Json::Str(Cow::Borrowed("b"))));
        assert!(matches!(&fields[1].1, Json::Str(Cow::Owned(s)) if s == "d\n"));
        assert_eq!(
            *JsonTree::get(&json, "a").unwrap().as_value(),
            serde_json::json!([1, -2, 0.5])
        );
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
