//! The one bound on how deeply ABI types, and the values that match them,
//! may nest.
//!
//! A type's nesting is its array dimensions plus its tuple depth: `uint8` is
//! 0, `uint8[][2]` is 2, `(uint8[],bool)[]` is 3. Everything that reads or
//! writes a type or a value of it (alloy's resolution into `DynSolType`,
//! `abi::values`, the call encoder, the calldata decoder) recurses once per
//! level, and a path like `m[0][0]…` grows with every level too, so without a
//! bound a 30 KB `uint8[][][]…` overflows the stack and costs memory
//! quadratic in its depth. Real contracts stay below 5 levels; types and
//! values deeper than [`MAX_TYPE_NESTING`] are refused.
//!
//! The checks here run before anything recursive: on the type text, the ABI
//! JSON or the `Param` tree, with explicit stacks, in time linear in the
//! input and memory bounded by the limit (or linear, for wide tuples).

use alloy_dyn_abi::DynSolType;
use alloy_json_abi::Param;
use serde_json::Value;

/// The deepest an ABI type or a value of it may nest (array dimensions plus
/// tuple depth). Far beyond any real contract, and shallow enough for every
/// recursion over a type or its value.
pub const MAX_TYPE_NESTING: usize = 32;

/// A type or value nests deeper than [`MAX_TYPE_NESTING`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{subject} nests deeper than the type nesting limit of {limit} levels \
     (array dimensions plus tuple depth)",
    limit = MAX_TYPE_NESTING
)]
pub struct NestingError {
    /// What is too deep, e.g. ``the ABI type `uint8[][]…` (10005 characters) of `a` ``.
    pub subject: String,
}

/// Text for a message, cut short: a hostile type can be megabytes long.
fn shortened(text: &str) -> String {
    const SHOWN: usize = 40;
    let count = text.chars().count();
    if count <= SHOWN {
        format!("`{text}`")
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("`{head}…` ({count} characters)")
    }
}

fn type_error(ty: &str, name: &str) -> NestingError {
    let of = if name.is_empty() {
        String::new()
    } else {
        format!(" of {}", shortened(name))
    };
    NestingError {
        subject: format!("the ABI type {}{of}", shortened(ty)),
    }
}

/// The nesting of the types written in `text`, or `None` past `max`. Reads
/// only the delimiters: `(` opens a tuple, `,` ends a member, `)` closes the
/// tuple, `[` adds a dimension to what precedes it. Text that is no type
/// gets some number here and is refused later by the type parser.
fn text_nesting(text: &str, max: usize) -> Option<usize> {
    // For each open tuple, the deepest member read so far; at most max + 1.
    let mut open: Vec<usize> = Vec::new();
    // The nesting of the element being read.
    let mut current = 0usize;
    let mut deepest = 0usize;
    for byte in text.bytes() {
        match byte {
            b'(' => {
                open.push(0);
                current = 0;
            }
            b')' => {
                let members = open.pop().unwrap_or(0).max(current);
                current = members.saturating_add(1);
            }
            b',' => {
                if let Some(members) = open.last_mut() {
                    *members = (*members).max(current);
                }
                current = 0;
            }
            b'[' => current = current.saturating_add(1),
            _ => {}
        }
        // Each open tuple adds a level to whatever is read inside it.
        let here = current.saturating_add(open.len());
        if here > max {
            return None;
        }
        deepest = deepest.max(here);
    }
    Some(deepest)
}

/// Checks a type as written: `uint8[][]`, `(uint256,bool)[2]`, `tuple[]`.
pub fn check_type_str(ty: &str) -> Result<(), NestingError> {
    text_nesting(ty, MAX_TYPE_NESTING)
        .map(|_| ())
        .ok_or_else(|| type_error(ty, ""))
}

/// Checks the parameter types of a human-readable signature such as
/// `f(uint8[][] a, (bool,address)[] b)`. Its parameter list is in
/// parentheses that are not a tuple, hence one level more.
pub fn check_signature_str(signature: &str) -> Result<(), NestingError> {
    text_nesting(signature, MAX_TYPE_NESTING.saturating_add(1))
        .map(|_| ())
        .ok_or_else(|| NestingError {
            subject: format!("a parameter of the signature {}", shortened(signature)),
        })
}

/// Walks an ABI parameter tree given by `shape` (a node's name, type text
/// and components) with an explicit stack: linear in the number of nodes.
fn check_tree<'a, T>(
    root: &'a T,
    shape: impl Fn(&'a T) -> (&'a str, &'a str, &'a [T]),
) -> Result<(), NestingError> {
    let (root_name, root_ty, _) = shape(root);
    // (node, levels of the enclosing types)
    let mut pending: Vec<(&'a T, usize)> = vec![(root, 0)];
    while let Some((node, above)) = pending.pop() {
        let (_, ty, components) = shape(node);
        let room = MAX_TYPE_NESTING.saturating_sub(above);
        let own = text_nesting(ty, room).ok_or_else(|| type_error(root_ty, root_name))?;
        if components.is_empty() {
            continue;
        }
        // `tuple[2][]` with components: the dimensions, then the tuple.
        let inside = above.saturating_add(own).saturating_add(1);
        if inside > MAX_TYPE_NESTING {
            return Err(type_error(root_ty, root_name));
        }
        pending.extend(components.iter().map(|c| (c, inside)));
    }
    Ok(())
}

/// Checks an ABI parameter with its tuple components.
pub fn check_param(param: &Param) -> Result<(), NestingError> {
    check_tree(param, |p: &Param| {
        (p.name.as_str(), p.ty.as_str(), p.components.as_slice())
    })
}

/// Checks an ABI parameter still in JSON (`{"name", "type", "components"}`),
/// before it is read into a [`Param`]. Fields of the wrong shape count as
/// absent; reading the parameter refuses them.
pub fn check_param_json(param: &Value) -> Result<(), NestingError> {
    check_tree(param, |p: &Value| {
        let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or("");
        let components = p
            .get("components")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        (text("name"), text("type"), components)
    })
}

/// Checks a type already resolved (for callers handed a `DynSolType`).
pub fn check_type(ty: &DynSolType) -> Result<(), NestingError> {
    let mut pending: Vec<(&DynSolType, usize)> = vec![(ty, 0)];
    while let Some((node, depth)) = pending.pop() {
        if depth > MAX_TYPE_NESTING {
            return Err(NestingError {
                subject: "an ABI type".into(),
            });
        }
        let inner = depth.saturating_add(1);
        match node {
            DynSolType::Array(element) | DynSolType::FixedArray(element, _) => {
                pending.push((element, inner));
            }
            DynSolType::Tuple(members) => pending.extend(members.iter().map(|m| (m, inner))),
            _ => {}
        }
    }
    Ok(())
}

/// Checks JSON text (a tuple or string-array value as the Transaction
/// Builder reads it) before it is parsed: its arrays and objects are its
/// levels; brackets inside strings do not count.
pub fn check_json_text(text: &str) -> Result<(), NestingError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth = depth.saturating_add(1);
                if depth > MAX_TYPE_NESTING {
                    return Err(NestingError {
                        subject: format!("the JSON value {}", shortened(text)),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Checks a bracketed list such as `[[1,2],[3]]`: its `[` are its levels.
pub fn check_list_text(text: &str) -> Result<(), NestingError> {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'[' => {
                depth = depth.saturating_add(1);
                if depth > MAX_TYPE_NESTING {
                    return Err(NestingError {
                        subject: format!("the bracketed list {}", shortened(text)),
                    });
                }
            }
            b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nesting(text: &str) -> Option<usize> {
        text_nesting(text, usize::MAX)
    }

    #[test]
    fn nesting_counts_dimensions_and_tuples() {
        assert_eq!(nesting("uint8"), Some(0));
        assert_eq!(nesting("uint8[][2]"), Some(2));
        assert_eq!(nesting("(uint8[],bool)[]"), Some(3));
        assert_eq!(nesting("((uint8)[])"), Some(3));
        assert_eq!(nesting("(bool,(uint8[2]))"), Some(3));
        assert_eq!(nesting("tuple[2][]"), Some(2));
        // A signature's parameter list counts as a level.
        assert_eq!(nesting("f(uint8[],bool) returns (uint8)"), Some(2));
        // Junk gets a number, never a panic.
        assert!(nesting(")))]]]((,,").is_some());
    }

    #[test]
    fn the_limit_itself_passes_and_one_more_fails() {
        let at = format!("uint8{}", "[]".repeat(MAX_TYPE_NESTING));
        let over = format!("uint8{}", "[]".repeat(MAX_TYPE_NESTING + 1));
        assert!(check_type_str(&at).is_ok());
        let err = check_type_str(&over).unwrap_err();
        assert!(
            err.to_string().contains("type nesting limit of 32"),
            "{err}"
        );
        assert!(check_signature_str(&format!("f({at})")).is_ok());
        assert!(check_signature_str(&format!("f({over})")).is_err());
        let tuples = |n: usize| format!("{}uint8{}", "(".repeat(n), ")".repeat(n));
        assert!(check_type_str(&tuples(MAX_TYPE_NESTING)).is_ok());
        assert!(check_type_str(&tuples(MAX_TYPE_NESTING + 1)).is_err());
        // Unclosed parentheses count as they open.
        assert!(check_type_str(&"(".repeat(100_000)).is_err());
    }

    fn deep_components(levels: usize, dims: &str) -> Value {
        let mut param = json!({"name": "leaf", "type": format!("uint8{dims}")});
        for _ in 0..levels {
            param = json!({"name": "t", "type": format!("tuple{dims}"), "components": [param]});
        }
        param
    }

    #[test]
    fn components_add_a_level_each() {
        assert!(check_param_json(&deep_components(32, "")).is_ok());
        let err = check_param_json(&deep_components(33, "")).unwrap_err();
        assert!(err.subject.contains("`tuple` of `t`"), "{err}");
        // 10 tuples with a dimension each, and the leaf's: 21 levels.
        assert!(check_param_json(&deep_components(10, "[]")).is_ok());
        assert!(check_param_json(&deep_components(16, "[]")).is_err());
        let param: Param = serde_json::from_value(deep_components(16, "[]")).unwrap();
        assert!(check_param(&param).is_err());
        let param: Param = serde_json::from_value(deep_components(10, "[]")).unwrap();
        assert!(check_param(&param).is_ok());
    }

    #[test]
    fn resolved_types_and_values() {
        let at = DynSolType::parse(&format!("uint8{}", "[]".repeat(MAX_TYPE_NESTING))).unwrap();
        assert!(check_type(&at).is_ok());
        assert!(check_type(&DynSolType::Array(Box::new(at))).is_err());
        let list = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check_list_text(&list(MAX_TYPE_NESTING)).is_ok());
        assert!(check_list_text(&list(MAX_TYPE_NESTING + 1)).is_err());
        assert!(check_json_text(&list(MAX_TYPE_NESTING)).is_ok());
        assert!(check_json_text(&list(MAX_TYPE_NESTING + 1)).is_err());
        let objects = format!("{}{}", "{\"a\":".repeat(33), "}".repeat(33));
        assert!(check_json_text(&objects).is_err());
        // Brackets in strings are text, escaped quotes do not end them.
        let quoted = format!("[\"\\\"{}\"]", "[".repeat(100));
        assert!(check_json_text(&quoted).is_ok(), "{quoted}");
    }

    #[test]
    fn long_types_are_cut_short_in_messages() {
        let err = check_type_str(&format!("uint8{}", "[]".repeat(5_000))).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
        assert!(err.to_string().contains("(10005 characters)"), "{err}");
    }
}
