//! Typed call arguments, read from an operator's TOML or text and converted
//! to and from the Safe Transaction Builder's `contractInputsValues` strings.
//!
//! Every conversion is driven by the ABI [`Param`], not by the value alone:
//! the same text `"10"` is a `uint8`, a `string` or an error depending on the
//! parameter, and tuple components get their names from the `Param` tree.
//!
//! - [`value_from_toml`] / [`value_from_str`]: bundlec's own input rules
//!   (see `toml_input.rs`). Strict: a typo must not turn into another value.
//! - [`to_contract_input`] / [`from_contract_input`] and the map-level
//!   [`contract_inputs_values`] / [`args_from_contract_inputs`]: the
//!   Transaction Builder's string forms (see `contract_input.rs`). What is
//!   written reads back in the app as exactly the value bundlec encoded; what
//!   is read is only accepted when the app would read the same value.
//!
//! Errors carry a path into the argument (`recipients[2].amount`): the
//! parameter name, `[i]` for array elements, `.name` for tuple components
//! (`.i` when a component has no name). An unnamed top-level parameter is
//! called `value`, or `#i` (its position) at the map level.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use alloy_json_abi::Param;
use alloy_primitives::{B256, I256, Sign, U256, hex};

use crate::abi::nesting::{self, NestingError};
use crate::memo::Eip55;
use crate::parse::{AddressError, NumberError};

mod contract_input;
mod toml_input;

pub use contract_input::{
    args_from_contract_inputs, contract_input_key, contract_inputs_values,
    contract_inputs_values_with, from_contract_input, to_contract_input,
};
pub use toml_input::{value_from_str, value_from_toml};

/// A value that could not be read or written, and where in the argument.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}`: {problem}")]
pub struct ValueError {
    /// Where the problem is, e.g. `recipients[2].amount`.
    pub path: String,
    /// What is wrong there.
    pub problem: Problem,
}

/// What is wrong with a value. Messages say what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the ABI type `{ty}` cannot be used: {reason}")]
    BadType { ty: String, reason: String },
    #[error("expected {expected}, found {found}")]
    Expected { expected: String, found: String },
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error(transparent)]
    Number(#[from] NumberError),
    #[error("{value} does not fit in {ty} ({min} to {max})")]
    OutOfRange {
        value: String,
        ty: String,
        min: String,
        max: String,
    },
    #[error("{ty} takes exactly {expected} bytes, got {got}")]
    BytesLength {
        ty: String,
        expected: usize,
        got: usize,
    },
    #[error("{ty} takes exactly {expected} elements, got {got}")]
    Length {
        ty: String,
        expected: usize,
        got: usize,
    },
    #[error("missing tuple component `{name}` (components: {components})")]
    MissingComponent { name: String, components: String },
    #[error("unknown tuple component `{name}` (components: {components})")]
    UnknownComponent { name: String, components: String },
    #[error("`{function}` takes {expected} arguments, got {got}")]
    ArgumentCount {
        function: String,
        expected: usize,
        got: usize,
    },
    #[error("inputs {first} and {second} would share the contractInputsValues key `{key}`")]
    DuplicateKey {
        key: String,
        first: usize,
        second: usize,
    },
    /// The text does not have the shape the reader needs (brackets, JSON, hex).
    #[error("{0}")]
    Syntax(String),
    /// Readable, but the Transaction Builder would read it differently from
    /// how it looks, so bundlec refuses to pick either meaning.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Unsupported(String),
    /// The type or the value nests past
    /// [`MAX_TYPE_NESTING`](crate::abi::nesting::MAX_TYPE_NESTING): a bound on the
    /// work reading it may do, not a mistake in one value.
    #[error(transparent)]
    TooDeep(#[from] NestingError),
}

impl ValueError {
    /// A bound on the work reading may do was hit (see [`Problem::TooDeep`]):
    /// the input is refused as a whole rather than read in part.
    pub fn is_limit(&self) -> bool {
        matches!(self.problem, Problem::TooDeep(_))
    }
}

/// Attaches a path to a problem.
fn at(path: &str) -> impl Fn(Problem) -> ValueError + '_ {
    move |problem| ValueError {
        path: path.to_string(),
        problem,
    }
}

/// The path root for a top-level parameter.
fn root_label(param: &Param) -> String {
    if param.name.is_empty() {
        "value".to_string()
    } else {
        param.name.clone()
    }
}

/// Resolves an ABI parameter (with its tuple components) to its type.
pub fn param_type(param: &Param) -> Result<DynSolType, ValueError> {
    resolve_at(param, &root_label(param))
}

/// Resolves `param`, once its nesting is known to be within the limit: every
/// reader and writer here recurses once per level of the type.
fn resolve_at(param: &Param, path: &str) -> Result<DynSolType, ValueError> {
    nesting::check_param(param).map_err(|e| at(path)(e.into()))?;
    crate::abi::resolve(param).map_err(|e| {
        at(path)(Problem::BadType {
            ty: param.ty.clone(),
            reason: e.to_string(),
        })
    })
}

/// A resolved type together with the `Param` components that name its tuple
/// fields. Arrays of tuples carry the components on the array parameter, so
/// an element keeps its parent's components.
#[derive(Clone, Copy)]
struct Node<'a> {
    ty: &'a DynSolType,
    components: &'a [Param],
}

/// One tuple component: its name (may be empty) and its node.
struct Field<'a> {
    name: &'a str,
    node: Node<'a>,
}

impl<'a> Node<'a> {
    fn new(ty: &'a DynSolType, param: &'a Param) -> Self {
        Node {
            ty,
            components: &param.components,
        }
    }

    /// The node of an element of this array node, whose element type is
    /// `inner`: it keeps the array's components.
    fn element_node(self, inner: &'a DynSolType) -> Node<'a> {
        Node {
            ty: inner,
            components: self.components,
        }
    }

    /// The element node if this is an array node.
    fn element(self) -> Option<Node<'a>> {
        match self.ty {
            DynSolType::Array(inner) | DynSolType::FixedArray(inner, _) => {
                Some(self.element_node(inner))
            }
            _ => None,
        }
    }

    /// The fields of this tuple node, whose component types are `types`.
    fn tuple_fields(self, types: &'a [DynSolType]) -> Vec<Field<'a>> {
        // A type written as `(uint256,bool)` resolves without components; its
        // fields are then unnamed.
        let named = self.components.len() == types.len();
        types
            .iter()
            .enumerate()
            .map(|(i, ty)| match self.components.get(i).filter(|_| named) {
                Some(component) => Field {
                    name: &component.name,
                    node: Node {
                        ty,
                        components: &component.components,
                    },
                },
                None => Field {
                    name: "",
                    node: Node {
                        ty,
                        components: &[],
                    },
                },
            })
            .collect()
    }
}

/// Checks the element count of a fixed-size array or a tuple; any count
/// fits a dynamic array.
fn check_length(ty: &DynSolType, got: usize) -> Result<(), Problem> {
    let expected = match ty {
        DynSolType::FixedArray(_, k) => *k,
        DynSolType::Tuple(types) => types.len(),
        _ => return Ok(()),
    };
    if got != expected {
        return Err(Problem::Length {
            ty: type_name(ty),
            expected,
            got,
        });
    }
    Ok(())
}

fn element_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

fn field_path(path: &str, field: &Field<'_>, index: usize) -> String {
    if field.name.is_empty() {
        format!("{path}.{index}")
    } else {
        format!("{path}.{}", field.name)
    }
}

fn component_list(fields: &[Field<'_>]) -> String {
    fields
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The bytes of a `bytes<size>` value: the first `size` bytes of its word
/// (the whole word for a size past 32, which no decoded value has).
pub fn fixed_bytes(word: &B256, size: usize) -> &[u8] {
    word.get(..size).unwrap_or(word.as_slice())
}

fn type_name(ty: &DynSolType) -> String {
    ty.sol_type_name().into_owned()
}

/// Quotes text for an error message, shortened so a pasted blob stays readable.
fn quoted(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head:?}… ({} characters)", text.chars().count())
    }
}

/// Names a value's kind for "found …" in a type mismatch.
fn describe_value(value: &DynSolValue) -> String {
    match value {
        DynSolValue::Bool(_) => "a bool".into(),
        DynSolValue::Int(_, bits) => format!("an int{bits} value"),
        DynSolValue::Uint(_, bits) => format!("a uint{bits} value"),
        DynSolValue::FixedBytes(_, n) => format!("a bytes{n} value"),
        DynSolValue::Address(_) => "an address".into(),
        DynSolValue::Function(_) => "a function value".into(),
        DynSolValue::Bytes(_) => "a bytes value".into(),
        DynSolValue::String(_) => "a string".into(),
        DynSolValue::Array(items) => format!("a dynamic array of {} elements", items.len()),
        DynSolValue::FixedArray(items) => format!("a fixed array of {} elements", items.len()),
        DynSolValue::Tuple(items) => format!("a tuple of {} components", items.len()),
        // CustomStruct exists when another crate enables alloy's eip712
        // feature (bundlec's tests do); ABI decoding never makes one.
        #[allow(unreachable_patterns)]
        _ => "a struct value".into(),
    }
}

fn mismatch(ty: &DynSolType, value: &DynSolValue) -> Problem {
    Problem::Expected {
        expected: format!("a {} value", type_name(ty)),
        found: describe_value(value),
    }
}

// ---- integers -------------------------------------------------------------

fn uint_range(bits: usize) -> (String, String) {
    let max = U256::MAX.wrapping_shr(256usize.saturating_sub(bits));
    ("0".into(), max.to_string())
}

fn int_range(bits: usize) -> (String, String) {
    // |min| = 2^(bits-1), max = 2^(bits-1) - 1, written from the magnitude so
    // that int256 needs no special case.
    let half = U256::from(1u8).wrapping_shl(bits.saturating_sub(1));
    (
        format!("-{half}"),
        half.saturating_sub(U256::from(1u8)).to_string(),
    )
}

fn uint_out_of_range(value: String, bits: usize) -> Problem {
    let (min, max) = uint_range(bits);
    Problem::OutOfRange {
        value,
        ty: format!("uint{bits}"),
        min,
        max,
    }
}

fn int_out_of_range(value: String, bits: usize) -> Problem {
    let (min, max) = int_range(bits);
    Problem::OutOfRange {
        value,
        ty: format!("int{bits}"),
        min,
        max,
    }
}

/// A `uint<bits>` value, range-checked.
fn uint_value(value: U256, bits: usize) -> Result<DynSolValue, Problem> {
    if value.bit_len() > bits {
        return Err(uint_out_of_range(value.to_string(), bits));
    }
    Ok(DynSolValue::Uint(value, bits))
}

/// An `int<bits>` value, range-checked (two's complement range).
fn int_value(value: I256, bits: usize) -> Result<DynSolValue, Problem> {
    if value.bits() as usize > bits {
        return Err(int_out_of_range(value.to_string(), bits));
    }
    Ok(DynSolValue::Int(value, bits))
}

/// Reads an integer written as `-?[0-9]+` or as non-negative `0x` hex.
///
/// Negative numbers must be decimal: hex is read as a plain magnitude, never
/// as a two's complement bit pattern, so `0xff` is 255 (out of range for
/// `int8`), not -1. That is also how the Transaction Builder's BN.js and
/// ethers read hex. `upper_x` says whether a `0X` prefix is allowed (ethers
/// mangles it inside tuples, BN.js lower-cases it at the top level).
fn integer_from_text(
    text: &str,
    signed: bool,
    bits: usize,
    upper_x: bool,
) -> Result<DynSolValue, Problem> {
    let kind = if signed { "int" } else { "uint" };
    let not_integer = || Problem::Expected {
        expected: format!("a {kind}{bits} (decimal, or 0x-prefixed hex)"),
        found: quoted(text),
    };
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let hex_digits = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X").filter(|_| upper_x));
    let magnitude = match hex_digits {
        Some(digits) => {
            if negative {
                return Err(Problem::Refused(format!(
                    "{}: write negative numbers in decimal, not hex",
                    quoted(text)
                )));
            }
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(not_integer());
            }
            U256::from_str_radix(digits, 16)
        }
        None => {
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_integer());
            }
            U256::from_str_radix(body, 10)
        }
    };
    let out_of_range = || match signed {
        true => int_out_of_range(text.to_string(), bits),
        false => uint_out_of_range(text.to_string(), bits),
    };
    // from_str_radix only fails here on overflow: the digits were checked.
    let magnitude = magnitude.map_err(|_| out_of_range())?;
    if signed {
        let sign = if negative {
            Sign::Negative
        } else {
            Sign::Positive
        };
        let value = I256::checked_from_sign_and_abs(sign, magnitude).ok_or_else(out_of_range)?;
        int_value(value, bits).map_err(|_| out_of_range())
    } else if negative && !magnitude.is_zero() {
        Err(out_of_range())
    } else {
        uint_value(magnitude, bits).map_err(|_| out_of_range())
    }
}

// ---- bytes ----------------------------------------------------------------

/// A `bytes<n>` value from exactly `n` bytes (right-padded into the word).
fn fixed_bytes_value(bytes: &[u8], n: usize) -> Result<DynSolValue, Problem> {
    if bytes.len() != n {
        return Err(Problem::BytesLength {
            ty: format!("bytes{n}"),
            expected: n,
            got: bytes.len(),
        });
    }
    let mut word = B256::ZERO;
    let Some(head) = word.get_mut(..n) else {
        return Err(Problem::BadType {
            ty: format!("bytes{n}"),
            reason: "a bytesN type has at most 32 bytes".into(),
        });
    };
    head.copy_from_slice(bytes);
    Ok(DynSolValue::FixedBytes(word, n))
}

// ---- checked scalar text --------------------------------------------------

/// The plain text of a scalar value, checked against its type: bools as
/// `true`/`false`, integers in decimal, addresses EIP-55 checksummed, bytes
/// as `0x` + lowercase hex. Values that would encode differently from how
/// they print (an out-of-range integer, a `bytesN` word with bytes past N)
/// are refused rather than written.
fn scalar_text(ty: &DynSolType, value: &DynSolValue, eip55: &Eip55) -> Result<String, Problem> {
    match (ty, value) {
        (DynSolType::Bool, DynSolValue::Bool(b)) => Ok(b.to_string()),
        (DynSolType::Uint(bits), DynSolValue::Uint(v, size)) if bits == size => {
            uint_value(*v, *bits)?;
            Ok(v.to_string())
        }
        (DynSolType::Int(bits), DynSolValue::Int(v, size)) if bits == size => {
            int_value(*v, *bits)?;
            Ok(v.to_string())
        }
        (DynSolType::Address, DynSolValue::Address(a)) => Ok(eip55.with(*a, str::to_owned)),
        (DynSolType::FixedBytes(n), DynSolValue::FixedBytes(word, size)) if n == size => match word
            .split_at_checked(*n)
        {
            Some((bytes, rest)) if rest.iter().all(|b| *b == 0) => Ok(hex::encode_prefixed(bytes)),
            _ => Err(Problem::Expected {
                expected: format!("a bytes{n} value (zero after byte {n})"),
                found: format!("the word {word}"),
            }),
        },
        (DynSolType::Bytes, DynSolValue::Bytes(b)) => Ok(hex::encode_prefixed(b)),
        (DynSolType::String, DynSolValue::String(s)) => Ok(s.clone()),
        (DynSolType::Function, DynSolValue::Function(_)) => Err(unsupported_function()),
        _ => Err(mismatch(ty, value)),
    }
}

fn unsupported_function() -> Problem {
    Problem::Unsupported(
        "the `function` ABI type has no Transaction Builder string form in bundlec".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_at_the_edges() {
        assert_eq!(uint_range(8), ("0".into(), "255".into()));
        assert_eq!(uint_range(256), ("0".into(), U256::MAX.to_string()));
        assert_eq!(int_range(8), ("-128".into(), "127".into()));
        let half: U256 = U256::from(1u8) << 255usize;
        assert_eq!(
            int_range(256),
            (format!("-{half}"), (half - U256::from(1u8)).to_string())
        );
    }

    #[test]
    fn fixed_bytes_sizes_past_a_word_are_errors_not_panics() {
        let word = B256::repeat_byte(0xab);
        assert_eq!(fixed_bytes(&word, 4), &[0xab; 4]);
        assert_eq!(fixed_bytes(&word, 40), word.as_slice());
        assert!(fixed_bytes_value(&[0; 40], 40).is_err());
        let oversized = DynSolValue::FixedBytes(word, 40);
        assert!(scalar_text(&DynSolType::FixedBytes(40), &oversized, &Eip55::new()).is_err());
    }

    #[test]
    fn integers_decimal_hex_and_ranges() {
        let v = integer_from_text("-128", true, 8, true).unwrap();
        assert_eq!(v, DynSolValue::Int(I256::try_from(-128).unwrap(), 8));
        assert!(integer_from_text("-129", true, 8, true).is_err());
        assert!(integer_from_text("128", true, 8, true).is_err());
        assert_eq!(
            integer_from_text("0x7f", true, 8, true).unwrap(),
            DynSolValue::Int(I256::try_from(127).unwrap(), 8)
        );
        // Hex is a magnitude, not a bit pattern.
        assert!(integer_from_text("0xff", true, 8, true).is_err());
        assert!(matches!(
            integer_from_text("-0x1", true, 8, true),
            Err(Problem::Refused(_))
        ));
        assert!(integer_from_text("0X10", true, 8, false).is_err());
        assert!(integer_from_text("0X10", true, 8, true).is_ok());
        assert_eq!(
            integer_from_text("-0", false, 8, true).unwrap(),
            DynSolValue::Uint(U256::ZERO, 8)
        );
        assert!(integer_from_text("-1", false, 8, true).is_err());
        for bad in ["", "-", "+1", "1e3", " 1", "0x", "--1", "1_000"] {
            assert!(integer_from_text(bad, true, 256, true).is_err(), "{bad}");
        }
        let min = format!("-{}", U256::from(1u8) << 255);
        assert!(integer_from_text(&min, true, 256, true).is_ok());
        let below = format!("-{}", (U256::from(1u8) << 255) + U256::from(1u8));
        assert!(integer_from_text(&below, true, 256, true).is_err());
        assert!(integer_from_text(&U256::MAX.to_string(), false, 256, true).is_ok());
        assert!(integer_from_text(&format!("{}0", U256::MAX), false, 256, true).is_err());
    }

    #[test]
    fn range_messages_name_type_and_bounds() {
        let e = integer_from_text("300", false, 8, true).unwrap_err();
        assert_eq!(e.to_string(), "300 does not fit in uint8 (0 to 255)");
        let e = integer_from_text("-129", true, 8, true).unwrap_err();
        assert_eq!(e.to_string(), "-129 does not fit in int8 (-128 to 127)");
    }

    #[test]
    fn scalar_text_refuses_non_canonical_values() {
        let too_big = DynSolValue::Uint(U256::from(256), 8);
        assert!(scalar_text(&DynSolType::Uint(8), &too_big, &Eip55::new()).is_err());
        let mut word = B256::ZERO;
        word[5] = 1;
        let dirty = DynSolValue::FixedBytes(word, 4);
        assert!(scalar_text(&DynSolType::FixedBytes(4), &dirty, &Eip55::new()).is_err());
        assert!(
            scalar_text(
                &DynSolType::Uint(16),
                &DynSolValue::Uint(U256::ZERO, 8),
                &Eip55::new()
            )
            .is_err()
        );
    }

    #[test]
    fn unnamed_fields_use_their_index() {
        let param: Param = serde_json::from_str(
            r#"{"name":"p","type":"tuple","components":[{"name":"","type":"uint8"}]}"#,
        )
        .unwrap();
        let ty = param_type(&param).unwrap();
        let node = Node::new(&ty, &param);
        let DynSolType::Tuple(types) = &ty else {
            panic!("not a tuple: {ty:?}");
        };
        let fields = node.tuple_fields(types);
        assert_eq!(field_path("p", &fields[0], 0), "p.0");
    }
}
