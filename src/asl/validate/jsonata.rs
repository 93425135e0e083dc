//! Query languages and the rules only JSONata has: a state's language (its own
//! `QueryLanguage` or the machine's), `{% %}` expressions where JSONPath wants numbers or
//! objects, and JSONata Choice rules (`Condition`).

use super::Validator;
use serde_json::{Map, Value};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Ql {
    JsonPath,
    Jsonata,
}

pub(super) fn is_jsonata_expr(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

impl Validator<'_> {
    /// The query language of a state: its own `QueryLanguage`, else the machine's.
    pub(super) fn query_language(&mut self, m: &Map<String, Value>, here: &str) -> Ql {
        match m.get("QueryLanguage") {
            None => self.top_ql,
            Some(q) => match q.as_str() {
                Some("JSONata") => Ql::Jsonata,
                Some("JSONPath") => {
                    if self.top_ql == Ql::Jsonata {
                        // [rec]
                        self.err("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", here);
                    }
                    Ql::JsonPath
                }
                _ => {
                    self.enum_value("QueryLanguage", q, &["JSONPath", "JSONata"], format!("{here}/QueryLanguage"));
                    self.top_ql
                }
            },
        }
    }

    /// A JSONata Choice rule: `Condition` (a boolean or a `{% %}` expression), `Next`, and
    /// optionally `Output`, `Assign`, `Comment`.
    pub(super) fn jsonata_choice_rule(&mut self, m: &Map<String, Value>, ql: Ql, here: &str) {
        for (k, val) in m {
            match k.as_str() {
                "Next" | "Output" => {}
                "Comment" => {
                    self.expect_string(k, val, format!("{here}/Comment"));
                }
                "Assign" => self.assign(val, ql, format!("{here}/Assign")),
                "Condition" => {
                    if !(val.is_boolean() || val.as_str().is_some_and(is_jsonata_expr)) {
                        // [?]
                        self.err("The field 'Condition' must be a boolean or a JSONata expression", format!("{here}/Condition"));
                    }
                }
                _ => self.not_supported(k, here),
            }
        }
        if !m.contains_key("Condition") {
            self.required(&["Condition"], here);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, one, only, pair};
    use super::super::*;
    use serde_json::json;

    #[test]
    fn query_language() {
        let jsonata_machine = |state: Value| json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": state}});
        assert_eq!(
            only(jsonata_machine(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}))),
            pair("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/A")
        );
        ok(jsonata_machine(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": true})));
        ok(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": "{% 1 %}"}, "Assign": {"x": 1}, "End": true})));
        assert_eq!(
            only(one(json!({"Type": "Pass", "QueryLanguage": "SQL", "End": true}))),
            pair("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", "/States/A/QueryLanguage")
        );
        // [rec] VALID_QUERY_LANGUAGE_PASS: a JSONPath state inside a JSONata Map of a JSONPath machine.
        ok(json!({"StartAt": "Map", "QueryLanguage": "JSONPath", "States": {"Map": {"Type": "Map", "QueryLanguage": "JSONata",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Pass",
            "States": {"Pass": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": true}}}, "End": true}}}));
        // Fields of the other language.
        for (field, value) in [
            ("Parameters", json!({})),
            ("InputPath", json!("$")),
            ("ResultPath", json!("$.r")),
            ("OutputPath", json!("$")),
            ("ResultSelector", json!({})),
            ("TimeoutSecondsPath", json!("$.t")),
        ] {
            let state = json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", field: value, "End": true});
            assert_eq!(only(one(state)), pair(&format!("Field '{field}' is not supported"), "/States/A"));
        }
        for (field, value) in [("Output", json!({})), ("Arguments", json!({}))] {
            let state = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: value, "End": true});
            assert_eq!(only(one(state)), pair(&format!("Field '{field}' is not supported"), "/States/A"));
        }
        assert_eq!(
            only(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Result": 1, "End": true}))),
            pair("Field 'Result' is not supported", "/States/A")
        );
    }
}
