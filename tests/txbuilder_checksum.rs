//! The checksum against real Transaction Builder exports and the upstream
//! unit-test object.

use std::fs;
use std::path::PathBuf;

use bundlec::txbuilder::{
    Json, JsonTree, check, checksum_of_object_as_is, compute_checksum, format_checksum, parse_json,
    serialize_for_checksum,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

const UPSTREAM: &str = "upstream-checksum-test-object.json";

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("conformance/txbuilder-exports")
}

fn load(name: &str) -> Value {
    let path = vectors_dir().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn exported_files() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(vectors_dir())
        .expect("vector folder")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json") && name != UPSTREAM)
        .collect();
    names.sort();
    names
}

#[test]
fn real_exports_reproduce_their_stored_checksum() {
    let names = exported_files();
    assert!(
        names.len() >= 8,
        "expected the exported vectors, found {names:?}"
    );
    for name in names {
        let batch = load(&name);
        let stored = batch["meta"]["checksum"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no stored checksum"))
            .to_string();
        let computed = compute_checksum(&batch).unwrap();
        assert_eq!(format_checksum(&computed), stored, "{name}");

        let report = check(&batch).unwrap();
        assert!(report.valid, "{name}: {report:?}");
        assert_eq!(report.stored.as_deref(), Some(stored.as_str()), "{name}");
        assert_eq!(report.computed, Some(computed), "{name}");
    }
}

#[test]
fn real_exports_detect_tampering() {
    for name in exported_files() {
        let mut batch = load(&name);
        let value = &mut batch["transactions"][0]["value"];
        let changed = if value.as_str() == Some("1") {
            "2"
        } else {
            "1"
        };
        *value = Value::String(changed.into());
        assert!(!check(&batch).unwrap().valid, "{name}");
    }
}

#[test]
fn real_exports_ignore_whitespace_and_key_order() {
    for name in exported_files() {
        let batch = load(&name);
        // serde_json's map is sorted, so this also reorders every key.
        let compact = serde_json::to_string(&batch).unwrap();
        assert!(
            check(&parse_json(&compact).unwrap()).unwrap().valid,
            "{name}"
        );
    }
}

#[test]
fn upstream_object_generate_path_hashes_the_empty_checksum_key() {
    let object = load(UPSTREAM);
    assert_eq!(object["meta"]["checksum"], Value::String(String::new()));
    let computed = checksum_of_object_as_is(&object).unwrap();
    assert_eq!(
        format_checksum(&computed),
        "0x4ecbfd364aa6759983915644e73f8bd411e85a2dc306f252a387c2728c4db64c"
    );
}

#[test]
fn upstream_object_import_path_drops_the_checksum_key() {
    let object = load(UPSTREAM);
    let expected = "0x86c81826dbf7e8a37612153294cc85fdf5c81998dd0a44b86d945502a7eace7c";
    assert_eq!(
        format_checksum(&compute_checksum(&object).unwrap()),
        expected
    );

    let report = check(&object).unwrap();
    assert_eq!(report.stored.as_deref(), Some(""));
    assert!(!report.valid);

    let mut fixed = object;
    fixed["meta"]["checksum"] = Value::String(expected.to_string());
    assert!(check(&fixed).unwrap().valid);
}

#[test]
fn upstream_object_serialization_prefix() {
    let mut object = load(UPSTREAM);
    object["meta"]["name"] = Value::Null;
    let serialized = serialize_for_checksum(&object);
    assert!(
        serialized.starts_with(
            "{[\"chainId\",\"createdAt\",\"meta\",\"transactions\",\"version\"]\"4\",1646321521061,{[\"checksum\","
        ),
        "{serialized}"
    );
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |x| x.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn serializer_never_panics(v in arb_value()) {
        let text = serialize_for_checksum(&v);
        prop_assert!(!text.is_empty());
    }

    #[test]
    fn check_never_panics_and_agrees_with_compute(meta in arb_value(), rest in arb_value()) {
        let mut top = Map::new();
        top.insert("meta".to_string(), meta);
        top.insert("rest".to_string(), rest);
        let batch = Value::Object(top);
        let report = check(&batch).unwrap();
        prop_assert_eq!(report.computed, compute_checksum(&batch).ok());
    }

    /// The tree a batch file is read as holds what serde_json's own `Value`
    /// reads from the same text, at any nesting of arrays and objects (they
    /// share one stack while being read) and in either layout.
    #[test]
    fn the_tree_of_a_text_is_the_value_of_that_text(v in arb_value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            let json: Json<'_> = serde_json::from_str(&text).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&*json.as_value(), &value);
        }
    }
}
