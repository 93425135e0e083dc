//! A Choice state's `Choices`: each rule's `Next`, and for JSONPath the fields at any depth, the
//! rule's parse (the choice module's, so the engine and the validator agree) and its paths.
//! JSONata rules are checked in `jsonata.rs`.

use super::transitions::{Edge, Via};
use super::{Ql, Validator, MAX_DEPTH};
use crate::asl::choice;
use serde_json::{Map, Value};

/// Choice comparison operators (each but StringMatches also has a `...Path` twin).
const OPERATORS: [&str; 23] = [
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringLessThanEquals",
    "StringGreaterThanEquals",
    "StringMatches",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

impl<'a> Validator<'a> {
    pub(super) fn choices(&mut self, v: &'a Value, ql: Ql, at: &str, edges: &mut Vec<Edge<'a>>) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Choices", "an array", at.to_string());
            return;
        };
        if list.is_empty() {
            // [pub]
            self.err("Value cannot be empty", at);
            return;
        }
        for (i, rule) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = rule.as_object() else {
                self.wrong_type(&format!("Choices[{i}]"), "an object", here);
                continue;
            };
            match m.get("Next") {
                None => self.required(&["Next"], &here),
                Some(Value::String(t)) => edges.push(Edge { via: Via::Item("Choices", i), target: t }),
                Some(_) => self.wrong_type("Next", "a string", format!("{here}/Next")),
            }
            match ql {
                Ql::Jsonata => self.jsonata_choice_rule(m, ql, &here),
                Ql::JsonPath => {
                    self.rule_fields(m, &here, true, 0);
                    if let Some(a) = m.get("Assign") {
                        self.assign(a, ql, format!("{here}/Assign"));
                    }
                    match choice::Rule::parse(rule, true) {
                        Ok(_) => self.rule_paths(m, &here, 0),
                        Err((msg, suffix)) => self.err(msg, format!("{here}{suffix}")),
                    }
                }
            }
        }
    }

    /// Unknown fields in a JSONPath Choice rule, at any depth (a nested `Next` is left to
    /// choice::Rule::parse).
    fn rule_fields(&mut self, m: &Map<String, Value>, here: &str, top: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in m {
            let k = k.as_str();
            let known = matches!(k, "Variable" | "And" | "Or" | "Not" | "Comment")
                || OPERATORS.contains(&k)
                || k.strip_suffix("Path").is_some_and(|b| b != "StringMatches" && OPERATORS.contains(&b))
                || (k == "Next")
                || (top && k == "Assign");
            if !known {
                self.not_supported(k, here);
                continue;
            }
            match k {
                "And" | "Or" => {
                    for (i, r) in v.as_array().into_iter().flatten().enumerate() {
                        if let Some(rm) = r.as_object() {
                            self.rule_fields(rm, &format!("{here}/{k}[{i}]"), false, depth + 1);
                        }
                    }
                }
                "Not" => {
                    if let Some(rm) = v.as_object() {
                        self.rule_fields(rm, &format!("{here}/Not"), false, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Path syntax of `Variable` and the `...Path` operands of a rule that choice::Rule::parse took.
    fn rule_paths(&mut self, m: &Map<String, Value>, here: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in m {
            let k = k.as_str();
            match k {
                "And" | "Or" => {
                    for (i, r) in v.as_array().into_iter().flatten().enumerate() {
                        if let Some(rm) = r.as_object() {
                            self.rule_paths(rm, &format!("{here}/{k}[{i}]"), depth + 1);
                        }
                    }
                }
                "Not" => {
                    if let Some(rm) = v.as_object() {
                        self.rule_paths(rm, &format!("{here}/Not"), depth + 1);
                    }
                }
                "Variable" => self.path_field(k, v, false, false, format!("{here}/{k}")),
                _ if k.strip_suffix("Path").is_some_and(|b| b != "StringMatches" && OPERATORS.contains(&b)) => {
                    self.path_field(k, v, false, false, format!("{here}/{k}"))
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, only, pair};
    use super::super::*;
    use serde_json::json;

    #[test]
    fn choice() {
        let machine = |choice: Value| json!({"StartAt": "A", "States": {"A": choice, "E": {"Type": "Succeed"}}});
        let c = |choices: Value| machine(json!({"Type": "Choice", "Choices": choices, "Default": "E"}));
        assert_eq!(only(machine(json!({"Type": "Choice", "Default": "E"}))), pair("These fields are required: [Choices]", "/States/A"));
        assert_eq!(only(c(json!([]))), pair("Value cannot be empty", "/States/A/Choices"));
        assert_eq!(only(c(json!({}))), pair("The field 'Choices' must be an array", "/States/A/Choices"));
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true}]))), pair("These fields are required: [Next]", "/States/A/Choices[0]"));
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Foo": 1}]))), pair("Field 'Foo' is not supported", "/States/A/Choices[0]"));
        assert_eq!(
            only(c(json!([{"And": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "Next": "A"}]))),
            pair("Field 'Next' is not supported", "/States/A/Choices[0]/And[0]")
        );
        assert_eq!(
            only(c(json!([{"Not": {"Variable": "$.x", "IsNull": true, "Bar": 1}, "Next": "A"}]))),
            pair("Field 'Bar' is not supported", "/States/A/Choices[0]/Not")
        );
        assert_eq!(
            only(c(json!([{"Variable": "x", "IsNull": true, "Next": "A"}]))),
            pair("The value for the field 'Variable' must be a valid JSONPath", "/States/A/Choices[0]/Variable")
        );
        assert_eq!(
            only(c(json!([{"Variable": "$.x", "StringEqualsPath": "y", "Next": "A"}]))),
            pair("The value for the field 'StringEqualsPath' must be a valid JSONPath", "/States/A/Choices[0]/StringEqualsPath")
        );
        assert_eq!(
            only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Assign": {"v.$": "nope"}}]))),
            pair("The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Choices[0]/Assign")
        );
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Condition": true}]))).0, "Field 'Condition' is not supported");
        ok(c(json!([
            {"Variable": "$$.Execution.Id", "IsPresent": true, "Next": "A", "Comment": "c", "Assign": {"v": 1, "w.$": "$.x"}},
            {"Or": [{"Variable": "$var", "StringMatches": "a*"}, {"Not": {"Variable": "$.y", "NumericEqualsPath": "$.z"}}], "Next": "A"}
        ])));
        // JSONata rules.
        let j = |choices: Value| {
            machine(json!({"Type": "Choice", "QueryLanguage": "JSONata", "Choices": choices, "Default": "E", "Output": {}, "Assign": {"x": 1}}))
        };
        ok(j(json!([
            {"Condition": "{% $states.input.x %}", "Next": "A", "Output": {"a": 1}, "Assign": {"y": "{% 2 %}"}, "Comment": "c"},
            {"Condition": true, "Next": "A"}
        ])));
        assert_eq!(only(j(json!([{"Next": "A"}]))), pair("These fields are required: [Condition]", "/States/A/Choices[0]"));
        assert_eq!(only(j(json!([{"Condition": true, "Next": "A", "Variable": "$.x"}]))), pair("Field 'Variable' is not supported", "/States/A/Choices[0]"));
        assert_eq!(
            only(j(json!([{"Condition": "x > 1", "Next": "A"}]))),
            pair("The field 'Condition' must be a boolean or a JSONata expression", "/States/A/Choices[0]/Condition")
        );
    }
}
