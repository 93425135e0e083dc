//! The warnings ValidateStateMachineDefinition gives (severity WARNING; they never refuse a
//! definition). AWS's API reference names three codes and what each means; their message texts
//! are not recorded, so the wording here is this module's own [?]:
//!
//! - `NO_DOLLAR`: a payload-template field (Parameters, ResultSelector, ItemSelector) whose key
//!   does not end in `.$` but whose value looks like a JSONPath (`$.x`, `$$.x`, `$`) or an
//!   intrinsic function call (`States.Format(...)`): it is taken as a literal string.
//! - `NO_PATH`: a field with a `…Path` twin (Fail's `Error`/`Cause`, a Choice rule's comparison)
//!   whose value looks like a path: it is compared or reported literally.
//! - `PASS_RESULT_IS_STATIC`: a Pass state's `Result` with a path in it (a `.$` key or a `$.`
//!   value): `Result` is never evaluated.
//!
//! JSONata states are skipped: none of the three applies to them.

use super::{Diagnostic, Severity};
use serde_json::{Map, Value};

const NO_DOLLAR: &str = "NO_DOLLAR";
const NO_PATH: &str = "NO_PATH";
const PASS_RESULT_IS_STATIC: &str = "PASS_RESULT_IS_STATIC";
const MAX_DEPTH: usize = 64;

fn warn(code: &str, message: String, location: String) -> Diagnostic {
    Diagnostic { severity: Severity::Warning, code: code.into(), message, location: Some(location) }
}

fn looks_like_path(s: &str) -> bool {
    s == "$" || s.starts_with("$.") || s.starts_with("$[") || s.starts_with("$$.")
}

fn looks_like_intrinsic(s: &str) -> bool {
    s.starts_with("States.") && s.contains('(') && s.ends_with(')')
}

/// The warnings of a parsed definition, in document order.
pub fn warnings(def: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(top) = def.as_object() {
        let jsonata = top.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
        scope(top, "", jsonata, 0, &mut out);
    }
    out
}

fn scope(m: &Map<String, Value>, at: &str, jsonata: bool, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(states) = m.get("States").and_then(Value::as_object) else { return };
    for (name, s) in states {
        let Some(s) = s.as_object() else { continue };
        let here = format!("{at}/States/{name}");
        let ql = match s.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => true,
            Some(_) => false,
            None => jsonata,
        };
        if !ql {
            state(s, &here, out);
        }
        if let Some(branches) = s.get("Branches").and_then(Value::as_array) {
            for (i, b) in branches.iter().enumerate() {
                if let Some(b) = b.as_object() {
                    scope(b, &format!("{here}/Branches[{i}]"), ql, depth + 1, out);
                }
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(p) = s.get(key).and_then(Value::as_object) {
                scope(p, &format!("{here}/{key}"), ql, depth + 1, out);
            }
        }
    }
}

fn state(s: &Map<String, Value>, here: &str, out: &mut Vec<Diagnostic>) {
    for field in ["Parameters", "ResultSelector", "ItemSelector"] {
        if let Some(t) = s.get(field) {
            template(t, &format!("{here}/{field}"), 0, out);
        }
    }
    match s.get("Type").and_then(Value::as_str) {
        Some("Pass") => {
            if let Some(r) = s.get("Result") {
                if has_path(r, 0) {
                    out.push(warn(
                        PASS_RESULT_IS_STATIC,
                        "The Result of a Pass state is static: the paths in it are not evaluated (use Parameters)".into(),
                        format!("{here}/Result"),
                    ));
                }
            }
        }
        Some("Fail") => {
            for field in ["Error", "Cause"] {
                if let Some(v) = s.get(field).and_then(Value::as_str).filter(|v| looks_like_path(v)) {
                    out.push(warn(
                        NO_PATH,
                        format!("The value '{v}' of the field '{field}' looks like a path, but the field name does not end with 'Path'"),
                        format!("{here}/{field}"),
                    ));
                }
            }
        }
        Some("Choice") => {
            if let Some(rules) = s.get("Choices").and_then(Value::as_array) {
                for (i, r) in rules.iter().enumerate() {
                    rule(r, &format!("{here}/Choices[{i}]"), 0, out);
                }
            }
        }
        _ => {}
    }
}

fn template(v: &Value, at: &str, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let here = format!("{at}/{k}");
                if let Value::String(s) = v {
                    if !k.ends_with(".$") && (looks_like_path(s) || looks_like_intrinsic(s)) {
                        out.push(warn(
                            NO_DOLLAR,
                            format!("The value '{s}' of the field '{k}' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$'"),
                            here,
                        ));
                    }
                } else {
                    template(v, &here, depth + 1, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                template(v, &format!("{at}[{i}]"), depth + 1, out);
            }
        }
        _ => {}
    }
}

fn has_path(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| k.ends_with(".$") || has_path(v, depth + 1)),
        Value::Array(items) => items.iter().any(|v| has_path(v, depth + 1)),
        Value::String(s) => s.starts_with("$.") || s.starts_with("$$."),
        _ => false,
    }
}

/// A Choice rule: a string comparison against a path-looking literal; And/Or/Not are walked.
fn rule(r: &Value, at: &str, depth: usize, out: &mut Vec<Diagnostic>) {
    let Some(m) = r.as_object() else { return };
    if depth > MAX_DEPTH {
        return;
    }
    for (k, v) in m {
        match (k.as_str(), v) {
            ("And" | "Or", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    rule(item, &format!("{at}/{k}[{i}]"), depth + 1, out);
                }
            }
            ("Not", item) => rule(item, &format!("{at}/Not"), depth + 1, out),
            (op, Value::String(s))
                if op.starts_with("String") && !op.ends_with("Path") && op != "StringMatches" && looks_like_path(s) =>
            {
                out.push(warn(
                    NO_PATH,
                    format!("The value '{s}' of the field '{op}' looks like a path, but the field name does not end with 'Path'"),
                    format!("{at}/{op}"),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(def: Value) -> Vec<(String, String)> {
        warnings(&def).into_iter().map(|d| (d.code, d.location.unwrap())).collect()
    }

    #[test]
    fn the_three_warnings() {
        let def = json!({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Parameters": {"a": "$.x", "b.$": "$.y", "c": {"d": "States.Format('{}', $.x)"}, "e": "plain"}, "Next": "R"},
            "R": {"Type": "Pass", "Result": {"k.$": "$.x"}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "StringEquals": "$.w", "Next": "F"}], "Default": "F"},
            "F": {"Type": "Fail", "Error": "$.err", "Cause": "plain"}
        }});
        assert_eq!(
            codes(def),
            vec![
                ("NO_DOLLAR".into(), "/States/P/Parameters/a".into()),
                ("NO_DOLLAR".into(), "/States/P/Parameters/c/d".into()),
                ("PASS_RESULT_IS_STATIC".into(), "/States/R/Result".into()),
                ("NO_PATH".into(), "/States/C/Choices[0]/StringEquals".into()),
                ("NO_PATH".into(), "/States/F/Error".into()),
            ]
        );
    }

    #[test]
    fn nested_and_jsonata() {
        let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
            "I": {"Type": "Pass", "Parameters": {"a": "$$.Map.Item.Value"}, "End": true}}}, "End": true}}});
        assert_eq!(codes(def), vec![("NO_DOLLAR".into(), "/States/M/ItemProcessor/States/I/Parameters/a".into())]);
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "$.x"}}});
        assert!(codes(def).is_empty());
    }
}
