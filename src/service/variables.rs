//! `variableReferences` of DescribeStateMachine: per state, the workflow variables it reads —
//! `$name` in JSONPath paths, payload templates and intrinsic calls, and in JSONata expressions.

use crate::asl::query;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Fields whose whole value is a JSONPath path.
fn is_path_field(key: &str) -> bool {
    key.ends_with("Path") || key == "Variable" || key.ends_with(".$")
}

/// `$name` occurrences in `text` (not `$$`, not `$.x`, not `$[0]`); with `skip_calls`, names
/// followed by `(` are function calls, not variables.
fn dollar_names(text: &str, skip_calls: bool, out: &mut BTreeSet<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut quote: Option<char> = None;
    let mut locals = BTreeSet::new();
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if skip_calls && (c == '\'' || c == '"') {
            quote = Some(c);
            i += 1;
            continue;
        }
        if c == '$' && (i == 0 || chars[i - 1] != '$') {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            if end > start && !chars[start].is_ascii_digit() {
                let name: String = chars[start..end].iter().collect();
                let mut after = end;
                while after < chars.len() && chars[after].is_whitespace() {
                    after += 1;
                }
                let call = chars.get(after) == Some(&'(');
                let binds = chars.get(after) == Some(&':') && chars.get(after + 1) == Some(&'=');
                if binds {
                    locals.insert(name.clone());
                }
                let ignored = (skip_calls && call) || binds || name == "states" || locals.contains(&name);
                if !ignored {
                    out.insert(name);
                }
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
}

fn collect(v: &Value, key: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            if let Some(e) = query::expression(s) {
                dollar_names(e, true, out);
            } else if is_path_field(key) {
                dollar_names(s, false, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        Value::Object(m) => {
            for (k, x) in m {
                // Nested machines are listed state by state; Assign keys name, not read.
                if k == "Branches" || k == "ItemProcessor" || k == "Iterator" {
                    continue;
                }
                collect(x, k, out);
            }
        }
        _ => {}
    }
}

fn walk(machine: &Value, out: &mut Map<String, Value>) {
    for (name, st) in machine["States"].as_object().into_iter().flatten() {
        let mut names = BTreeSet::new();
        collect(st, "", &mut names);
        if !names.is_empty() {
            out.insert(name.clone(), Value::Array(names.into_iter().map(Value::String).collect()));
        }
        for b in st["Branches"].as_array().into_iter().flatten() {
            walk(b, out);
        }
        for key in ["ItemProcessor", "Iterator"] {
            if st.get(key).is_some() {
                walk(&st[key], out);
            }
        }
    }
}

/// The variable references of a definition, or None when it reads no variable.
pub(crate) fn variable_references(definition: &str) -> Option<Value> {
    let v: Value = crate::asl::definition_json::parse(definition).ok()?;
    let mut out = Map::new();
    walk(&v, &mut out);
    (!out.is_empty()).then_some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_variables_in_both_languages() {
        let def = json!({"StartAt": "CheckAnswer", "States": {
            "CheckAnswer": {"Type": "Choice", "QueryLanguage": "JSONata", "Choices": [
                {"Condition": "{% $answer = $guess and $count($list) > 0 %}", "Next": "Right"}], "Default": "WrongAnswer"},
            "WrongAnswer": {"Type": "Pass", "Parameters": {"a.$": "$answer.text", "b.$": "States.Format('{}', $hint)", "c": "$notAPath", "d.$": "$.x", "e.$": "$$.Execution.Id"}, "Next": "Right"},
            "Right": {"Type": "Pass", "Assign": {"answer": 1}, "QueryLanguage": "JSONata", "Output": "{% ($t := 1; $t + $states.input.n) %}", "End": true}}});
        let refs = variable_references(&def.to_string()).unwrap();
        assert_eq!(refs, json!({"CheckAnswer": ["answer", "guess", "list"], "WrongAnswer": ["answer", "hint"]}));
        assert_eq!(variable_references(&json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string()), None);
    }
}
