//! Retry and Catch: the retriers' fields and bounds, the catchers' fields and transitions, and
//! `ErrorEquals` (`States.ALL` alone and last).

use super::transitions::{Edge, Via};
use super::{is_jsonata_expr, Ql, Validator, MAX_SECONDS};
use serde_json::{Map, Value};

/// MaxDelaySeconds must stay below this (aws-facts §3.7).
const MAX_DELAY_LIMIT: i128 = 31_622_401;

impl<'a> Validator<'a> {
    fn error_equals(&mut self, entry: &Map<String, Value>, at: &str, last: bool) {
        let Some(v) = entry.get("ErrorEquals") else { return };
        let loc = format!("{at}/ErrorEquals");
        let Some(list) = v.as_array() else {
            self.wrong_type("ErrorEquals", "an array", loc);
            return;
        };
        if list.is_empty() {
            // [pub]
            self.err("Value cannot be empty", loc);
            return;
        }
        if list.iter().any(|e| !e.is_string()) {
            self.wrong_type("ErrorEquals", "an array of strings", loc.clone());
        }
        if list.iter().any(|e| e.as_str() == Some("States.ALL")) && (list.len() != 1 || !last) {
            // [pub] seen in a Terraform apply failure.
            self.err("States.ALL must appear alone and at end of list", loc);
        }
    }

    pub(super) fn retriers(&mut self, v: &Value, ql: Ql, at: &str) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Retry", "an array", at.to_string());
            return;
        };
        for (i, r) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = r.as_object() else {
                self.wrong_type(&format!("Retry[{i}]"), "an object", here);
                continue;
            };
            if !m.contains_key("ErrorEquals") {
                self.required(&["ErrorEquals"], &here);
            }
            for (k, val) in m {
                let loc = format!("{here}/{k}");
                match k.as_str() {
                    "ErrorEquals" | "Comment" => {}
                    "IntervalSeconds" => self.int_field(k, val, 1, Some(MAX_SECONDS), ql, loc),
                    "MaxAttempts" => self.int_field(k, val, 0, Some(MAX_SECONDS), ql, loc),
                    "MaxDelaySeconds" => self.int_field(k, val, 1, Some(MAX_DELAY_LIMIT - 1), ql, loc),
                    "BackoffRate" => {
                        if !(ql == Ql::Jsonata && val.as_str().is_some_and(is_jsonata_expr)) {
                            match val.as_f64() {
                                Some(b) if b >= 1.0 => {}
                                Some(_) => self.err("The value for the field 'BackoffRate' must be greater than or equal to 1.0", loc),
                                None => self.wrong_type(k, "a number", loc),
                            }
                        }
                    }
                    // [pub] values.
                    "JitterStrategy" => self.enum_value(k, val, &["FULL", "NONE"], loc),
                    _ => self.not_supported(k, &here),
                }
            }
            if let Some(c) = m.get("Comment") {
                self.expect_string("Comment", c, format!("{here}/Comment"));
            }
            self.error_equals(m, &here, i + 1 == list.len());
        }
    }

    pub(super) fn catchers(&mut self, v: &'a Value, ql: Ql, at: &str, edges: &mut Vec<Edge<'a>>) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Catch", "an array", at.to_string());
            return;
        };
        for (i, c) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = c.as_object() else {
                self.wrong_type(&format!("Catch[{i}]"), "an object", here);
                continue;
            };
            let missing: Vec<&str> = ["ErrorEquals", "Next"].into_iter().filter(|f| !m.contains_key(*f)).collect();
            self.required(&missing, &here);
            for (k, val) in m {
                let loc = format!("{here}/{k}");
                match (k.as_str(), ql) {
                    ("ErrorEquals", _) => {}
                    ("Comment", _) => {
                        self.expect_string(k, val, loc);
                    }
                    ("Next", _) => match val.as_str() {
                        Some(t) => edges.push(Edge { via: Via::Item("Catch", i), target: t }),
                        None => self.wrong_type(k, "a string", loc),
                    },
                    ("ResultPath", Ql::JsonPath) => self.path_field(k, val, true, true, loc),
                    ("Assign", _) => self.assign(val, ql, loc),
                    ("Output", Ql::Jsonata) => {}
                    _ => self.not_supported(k, &here),
                }
            }
            self.error_equals(m, &here, i + 1 == list.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, one, only, pair};
    use super::super::*;
    use serde_json::json;

    #[test]
    fn retry() {
        let r = |retry: Value| one(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": retry, "End": true}));
        ok(r(json!([
            {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 0, "BackoffRate": 1.5, "MaxDelaySeconds": 10, "JitterStrategy": "FULL", "Comment": "c"},
            {"ErrorEquals": ["States.ALL"]}
        ])));
        assert_eq!(only(r(json!([{"MaxAttempts": 1}]))), pair("These fields are required: [ErrorEquals]", "/States/A/Retry[0]"));
        assert_eq!(only(r(json!([{"ErrorEquals": []}]))), pair("Value cannot be empty", "/States/A/Retry[0]/ErrorEquals"));
        let all = "States.ALL must appear alone and at end of list";
        assert_eq!(only(r(json!([{"ErrorEquals": ["States.ALL", "E"]}]))), pair(all, "/States/A/Retry[0]/ErrorEquals"));
        assert_eq!(only(r(json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]))), pair(all, "/States/A/Retry[0]/ErrorEquals"));
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "IntervalSeconds": 0}]))),
            pair("The value for the field 'IntervalSeconds' must be between 1 and 99999999", "/States/A/Retry[0]/IntervalSeconds")
        );
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "MaxAttempts": -1}]))),
            pair("The value for the field 'MaxAttempts' must be between 0 and 99999999", "/States/A/Retry[0]/MaxAttempts")
        );
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "BackoffRate": 0.5}]))),
            pair("The value for the field 'BackoffRate' must be greater than or equal to 1.0", "/States/A/Retry[0]/BackoffRate")
        );
        assert_eq!(only(r(json!([{"ErrorEquals": ["E"], "MaxDelaySeconds": 31622401}]))).1, "/States/A/Retry[0]/MaxDelaySeconds");
        ok(r(json!([{"ErrorEquals": ["E"], "MaxDelaySeconds": 31622400}])));
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}]))),
            pair("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", "/States/A/Retry[0]/JitterStrategy")
        );
        assert_eq!(only(r(json!([{"ErrorEquals": ["E"], "_comment": "x"}]))), pair("Field '_comment' is not supported", "/States/A/Retry[0]"));
        assert_eq!(only(r(json!({}))), pair("The field 'Retry' must be an array", "/States/A/Retry"));
    }

    #[test]
    fn catch() {
        let c = |catch: Value| {
            json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": catch, "End": true},
                "H": {"Type": "Succeed"}}})
        };
        ok(c(json!([
            {"ErrorEquals": ["E"], "Next": "H", "ResultPath": "$.error", "Comment": "c", "Assign": {"x.$": "$.Cause"}},
            {"ErrorEquals": ["States.ALL"], "Next": "H", "ResultPath": null}
        ])));
        assert_eq!(
            only(c(json!([{"ErrorEquals": ["E"], "Next": "H"}, {"ErrorEquals": ["States.ALL"]}]))),
            pair("These fields are required: [Next]", "/States/A/Catch[1]")
        );
        // [pub] "Field '_comment' is not supported at /States/.../Catch[0]".
        assert_eq!(only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "_comment": "x"}]))), pair("Field '_comment' is not supported", "/States/A/Catch[0]"));
        assert_eq!(only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "Output": {}}]))), pair("Field 'Output' is not supported", "/States/A/Catch[0]"));
        assert_eq!(
            only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "ResultPath": "$.."}]))),
            pair("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/A/Catch[0]/ResultPath")
        );
        assert_eq!(only(c(json!([{"ErrorEquals": ["States.ALL", "E"], "Next": "H"}]))).1, "/States/A/Catch[0]/ErrorEquals");
        let j = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H", "Output": "{% $states.errorOutput %}", "Assign": {"e": "{% $states.errorOutput %}"}}],
            "End": true}, "H": {"Type": "Succeed"}}});
        ok(j.clone());
        let mut bad = j;
        bad["States"]["A"]["Catch"][0]["ResultPath"] = json!("$.e");
        assert_eq!(only(bad), pair("Field 'ResultPath' is not supported", "/States/A/Catch[0]"));
    }
}
