//! JSONPath fields and payload templates: path and reference-path syntax, the `.$` keys of
//! Parameters / ResultSelector / ItemSelector (a path or an intrinsic call), and `Assign`.

use super::{is_jsonata_expr, Ql, Validator, MAX_DEPTH};
use crate::asl::{intrinsics, path::Path};
use serde_json::Value;

impl Validator<'_> {
    /// A JSONPath field: `reference` ones take only names and indexes. `null` is allowed where AWS
    /// gives it a meaning (InputPath, OutputPath, ResultPath).
    pub(super) fn path_field(&mut self, field: &str, v: &Value, reference: bool, nullable: bool, location: impl Into<String>) {
        match v {
            Value::Null if nullable => {}
            Value::String(s) => {
                let ok = if reference { Path::parse_reference(s).is_ok() } else { Path::parse(s).is_ok() };
                if !ok {
                    // [?] on the pattern of the recorded "must be a valid JSONPath or a valid intrinsic function call".
                    let what = if reference { "ReferencePath" } else { "JSONPath" };
                    self.err(format!("The value for the field '{field}' must be a valid {what}"), location);
                }
            }
            _ => self.wrong_type(field, "a string", location),
        }
    }

    /// A path or an intrinsic function call (the value of a `.$` key, Fail ErrorPath/CausePath).
    pub(super) fn dynamic_ok(v: &Value, reference: bool) -> bool {
        let Some(t) = v.as_str() else { return false };
        if intrinsics::is_call(t) {
            match intrinsics::parse(t) {
                Ok(call) => call.paths().iter().all(|p| Path::parse(p).is_ok()),
                Err(_) => false,
            }
        } else if reference {
            Path::parse_reference(t).is_ok()
        } else {
            Path::parse(t).is_ok()
        }
    }

    /// A JSONPath payload template: every `.$` key's value must be a path or an intrinsic call.
    /// The location is the template field itself [rec].
    pub(super) fn template(&mut self, v: &Value, location: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(m) => {
                for (k, val) in m {
                    if k.ends_with(".$") {
                        if !Self::dynamic_ok(val, false) {
                            self.dynamic_error(k, location);
                        }
                    } else {
                        self.template(val, location, depth + 1);
                    }
                }
            }
            Value::Array(a) => {
                for x in a {
                    self.template(x, location, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn dynamic_error(&mut self, key: &str, location: &str) {
        // [rec] "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic
        // function call at /States/IntrinsicEscape/Parameters".
        self.err(format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"), location);
    }


    /// `Assign`: variable names (no sub-paths, ≤ 80 characters, `states` reserved) and, in
    /// JSONPath, a payload template.
    pub(super) fn assign(&mut self, v: &Value, ql: Ql, location: String) {
        let Some(m) = v.as_object() else {
            if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) {
                self.wrong_type("Assign", "an object", location);
            }
            return;
        };
        for (k, val) in m {
            let (name, dynamic) = match (ql, k.strip_suffix(".$")) {
                (Ql::JsonPath, Some(n)) => (n, true),
                _ => (k.as_str(), false),
            };
            // [?] wording; the rules are aws-facts §3.13.
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                self.err(format!("Invalid variable name '{name}': the variable name contains invalid characters."), location.clone());
            } else if name.chars().count() > 80 {
                self.err(format!("Invalid variable name '{name}': the variable name exceeds 80 characters."), location.clone());
            } else if name == "states" {
                self.err("Cannot assign to reserved variable '$states'.", location.clone());
            }
            if ql == Ql::JsonPath {
                if dynamic {
                    if !Self::dynamic_ok(val, false) {
                        self.dynamic_error(k, &location);
                    }
                } else {
                    self.template(val, &location, 0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, one, only, pair};
    use super::super::*;
    use serde_json::json;

    #[test]
    fn payload_templates() {
        let pass = |params: Value| one(json!({"Type": "Pass", "Parameters": params, "End": true}));
        ok(pass(json!({"a.$": "$.x", "b": "$.literal", "c": {"d.$": "$$.Execution.Id", "e": [{"f.$": "$var.y"}]}, "g.$": "States.Format('{}', $.z)"})));
        let msg = |k: &str| format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call");
        assert_eq!(only(pass(json!({"a.$": "x"}))), pair(&msg("a.$"), "/States/A/Parameters"));
        assert_eq!(only(pass(json!({"c": {"d": [{"e.$": 1}]}}))), pair(&msg("e.$"), "/States/A/Parameters"));
        assert_eq!(only(pass(json!({"a.$": "States.Format('{}', $.z"}))), pair(&msg("a.$"), "/States/A/Parameters"));
        // [rec] ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION.
        assert_eq!(
            only(pass(json!({"parsed.$": "States.StringToJson('{\"text\":\"An \\\"escaped double quote\\\" here\"}')"}))),
            pair(&msg("parsed.$"), "/States/A/Parameters")
        );
        let task = |field: &str, v: Value| one(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: v, "End": true}));
        assert_eq!(only(task("ResultSelector", json!({"r.$": "?"}))), pair(&msg("r.$"), "/States/A/ResultSelector"));
        assert_eq!(only(task("Parameters", json!({"p.$": ""}))), pair(&msg("p.$"), "/States/A/Parameters"));
        // JSONata states take `.$`-free values as they are.
        ok(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a.$": "x"}, "End": true})));
    }

    #[test]
    fn assign() {
        let a = |assign: Value| one(json!({"Type": "Pass", "Assign": assign, "End": true}));
        ok(a(json!({"x": 1, "y.$": "$.y", "z": {"w.$": "$$.State.Name"}, "_u": "s", "caf\u{e9}": 2, "a1": [1]})));
        ok(a(json!({"n".repeat(80): 1})));
        let invalid = |n: &str| format!("Invalid variable name '{n}': the variable name contains invalid characters.");
        assert_eq!(only(a(json!({"x.y": 1}))), pair(&invalid("x.y"), "/States/A/Assign"));
        assert_eq!(only(a(json!({"x[2]": 1}))), pair(&invalid("x[2]"), "/States/A/Assign"));
        assert_eq!(only(a(json!({"": 1}))), pair(&invalid(""), "/States/A/Assign"));
        let long = "n".repeat(81);
        assert_eq!(
            only(a(json!({long.clone(): 1}))),
            pair(&format!("Invalid variable name '{long}': the variable name exceeds 80 characters."), "/States/A/Assign")
        );
        assert_eq!(only(a(json!({"states": 1}))), pair("Cannot assign to reserved variable '$states'.", "/States/A/Assign"));
        assert_eq!(
            only(a(json!({"x.$": "nope"}))),
            pair("The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Assign")
        );
        assert_eq!(only(a(json!([1]))), pair("The field 'Assign' must be an object", "/States/A/Assign"));
        let j = |assign: Value| one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Assign": assign, "End": true}));
        ok(j(json!({"x": "{% $states.input %}", "y": {"z": [1]}})));
        assert_eq!(only(j(json!({"x.$": "$.y"}))).0, invalid("x.$"));
    }
}
