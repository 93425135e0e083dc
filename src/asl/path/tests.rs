//! Test helpers shared by the path module's tests, and the properties of the whole pipeline
//! (parse, select, assign) on arbitrary documents.

use super::Path;
use serde_json::{json, Value};

pub(super) fn p(t: &str) -> Path {
    match Path::parse(t) {
        Ok(p) => p,
        Err(e) => panic!("{t}: {e}"),
    }
}
pub(super) fn sel(t: &str, v: &Value) -> Result<Value, String> {
    p(t).select(v).map_err(|m| m.message)
}
pub(super) fn miss(t: &str, v: &Value) -> String {
    match p(t).select(v) {
        Ok(x) => panic!("{t} selected {x}"),
        Err(m) => m.message,
    }
}

use proptest::prelude::*;

fn arb_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        "[a-z]{1,4}",
        "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
        "[ a-z.\\[\\]'\"*?@$()-]{0,5}",
        "\\PC{0,4}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Builds a definite path into `v` from `choices`, returning its text and the node a manual
/// walk reaches.
fn definite_path_into(v: &Value, choices: &[usize]) -> (String, Value) {
    let mut text = String::from("$");
    let mut cur = v;
    for &c in choices {
        match cur {
            Value::Object(m) if !m.is_empty() => {
                let Some((k, next)) = m.iter().nth(c % m.len()) else {
                    break;
                };
                let simple = k
                    .chars()
                    .next()
                    .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                    && k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
                if simple && c % 3 != 0 {
                    text.push('.');
                    text.push_str(k);
                } else if !k.contains('\'') {
                    text.push_str(&format!("['{k}']"));
                } else if !k.contains('"') {
                    text.push_str(&format!("[\"{k}\"]"));
                } else {
                    break;
                }
                cur = next;
            }
            Value::Array(a) if !a.is_empty() => {
                let i = c % a.len();
                if c % 2 == 0 {
                    text.push_str(&format!("[{i}]"));
                } else {
                    text.push_str(&format!("[-{}]", a.len() - i));
                }
                let Some(next) = a.get(i) else { break };
                cur = next;
            }
            _ => break,
        }
    }
    (text, cur.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(s in "\\PC{0,40}") {
        if let Ok(path) = Path::parse(&s) {
            let doc = json!({"a": [1, {"b": 2}, [3]], "b": {"c": "d", "e": null}, "": 0});
            let _ = path.select(&doc);
            let _ = path.assign(doc.clone(), json!(1));
            let _ = path.is_definite();
        }
        let _ = Path::parse_reference(&s);
    }

    #[test]
    fn parse_never_panics_on_pathlike_text(
        s in "\\$[$.a-c0-9\\[\\]*?()@<>=!&|' \":,~/{}\\\\-]{0,40}",
        doc in arb_json(),
    ) {
        if let Ok(path) = Path::parse(&s) {
            let _ = path.select(&doc);
            let _ = path.find(&doc);
            let _ = path.assign(doc.clone(), json!(1));
        }
    }

    #[test]
    fn definite_select_finds_what_a_manual_walk_finds(
        doc in arb_json(),
        choices in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let (text, expected) = definite_path_into(&doc, &choices);
        let path = Path::parse(&text);
        prop_assert!(path.is_ok(), "{} did not parse: {:?}", text, path.err());
        let path = path.unwrap_or_else(|_| unreachable!());
        prop_assert!(path.is_definite());
        prop_assert_eq!(path.select(&doc), Ok(expected));
    }

    #[test]
    fn assign_then_select_returns_the_value(
        target in arb_json(),
        names in proptest::collection::vec("[a-z]{1,3}", 0..5),
        value in arb_json(),
    ) {
        let text = format!("${}", names.iter().map(|n| format!(".{n}")).collect::<String>());
        let path = Path::parse_reference(&text).unwrap_or_else(|e| panic!("{e}"));
        // Into an empty object every name path can be written.
        let written = path.assign(json!({}), value.clone());
        prop_assert!(written.is_ok());
        prop_assert_eq!(path.select(&written.unwrap_or_default()), Ok(value.clone()));
        // Into an arbitrary target it either works or says why.
        if let Ok(out) = path.assign(target, value.clone()) {
            prop_assert_eq!(path.select(&out), Ok(value));
        }
    }

    #[test]
    fn assign_then_select_with_indexes(
        doc in arb_json(),
        choices in proptest::collection::vec(any::<usize>(), 0..6),
        value in arb_json(),
    ) {
        // Paths into existing nodes (non-negative indexes only: a reference path).
        let (text, _) = definite_path_into(&doc, &choices);
        if let Ok(path) = Path::parse_reference(&text) {
            let out = path.assign(doc.clone(), value.clone());
            prop_assert!(out.is_ok(), "{}: {:?}", text, out);
            prop_assert_eq!(path.select(&out.unwrap_or_default()), Ok(value));
        }
    }
}
