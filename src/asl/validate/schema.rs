//! The schema of each state type: which fields a Task, Pass, Choice, Wait, Succeed, Fail,
//! Parallel or Map state takes in each query language, each field's own check, and the rules
//! between fields (Next or End, a field or its `...Path` twin, Wait's one duration).

use super::resource;
use super::transitions::{collect_edges, Edge, Via};
use super::{int_of, is_jsonata_expr, At, Ql, Scope, Validator, MAX_SECONDS};
use crate::asl::timestamp;
use serde_json::Value;

/// [rec] The Type enumeration, in AWS's order.
const TYPES: [&str; 8] = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];

/// Fields every state accepts.
const COMMON: [&str; 3] = ["Type", "Comment", "QueryLanguage"];

/// Whether a state of type `ty` ("Pass", "Task", "Fail", …) takes `field` in its query language
/// (JSONata when `jsonata`), by the per-type lists CreateStateMachine checks (an inline Map's).
/// The inspector shows a data-flow step only for a field the state's type has: a Fail state has
/// no InputPath, a Succeed no ResultPath.
pub fn state_takes(ty: &str, jsonata: bool, field: &str) -> bool {
    allowed(ty, if jsonata { Ql::Jsonata } else { Ql::JsonPath }, false, field)
}

/// Fields a state of `ty` accepts in `ql` (besides [`COMMON`]); `distributed` adds the fields only
/// a Distributed Map takes. Sources: aws-facts §3.1 and §3.12, and a published measurement of
/// ValidateStateMachineDefinition over 8 types × 50 fields [pub]. `ToleratedFailure*` and `Label`
/// are taken on an inline Map too: AWS ran an inline JSONata Map with `ToleratedFailureCount`
/// [rec evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map].
fn allowed(ty: &str, ql: Ql, distributed: bool, field: &str) -> bool {
    if COMMON.contains(&field) {
        return true;
    }
    let list: &[&str] = match (ty, ql) {
        ("Pass", Ql::JsonPath) => &["Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign"],
        ("Pass", Ql::Jsonata) => &["Next", "End", "Output", "Assign"],
        ("Task", Ql::JsonPath) => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Assign",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        ("Task", Ql::Jsonata) => {
            &["Next", "End", "Output", "Assign", "Arguments", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"]
        }
        ("Choice", Ql::JsonPath) => &["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        ("Choice", Ql::Jsonata) => &["Choices", "Default", "Output", "Assign"],
        ("Wait", Ql::JsonPath) => &["Next", "End", "InputPath", "OutputPath", "Assign", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        ("Wait", Ql::Jsonata) => &["Next", "End", "Output", "Assign", "Seconds", "Timestamp"],
        ("Succeed", Ql::JsonPath) => &["InputPath", "OutputPath"],
        ("Succeed", Ql::Jsonata) => &["Output"],
        ("Fail", Ql::JsonPath) => &["Error", "ErrorPath", "Cause", "CausePath"],
        ("Fail", Ql::Jsonata) => &["Error", "Cause"],
        ("Parallel", Ql::JsonPath) => {
            &["Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Assign", "Branches"]
        }
        ("Parallel", Ql::Jsonata) => &["Next", "End", "Output", "Assign", "Arguments", "Retry", "Catch", "Branches"],
        ("Map", Ql::JsonPath) => {
            if matches!(field, "ItemReader" | "ItemBatcher" | "ResultWriter") {
                return distributed;
            }
            &[
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Retry",
                "Catch",
                "Assign",
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "ItemSelector",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "Label",
            ]
        }
        ("Map", Ql::Jsonata) => {
            if matches!(field, "ItemReader" | "ItemBatcher" | "ResultWriter") {
                return distributed;
            }
            &[
                "Next",
                "End",
                "Output",
                "Assign",
                "Retry",
                "Catch",
                "ItemProcessor",
                "Iterator",
                "Items",
                "ItemSelector",
                "MaxConcurrency",
                "ToleratedFailurePercentage",
                "ToleratedFailureCount",
                "Label",
            ]
        }
        _ => &[],
    };
    list.contains(&field)
}

impl<'a> Validator<'a> {
    /// Checks one state, adds its transitions to `edges`; true if it can end the machine.
    pub(super) fn state(&mut self, name: &str, s: &'a Value, here: &str, express: bool, depth: usize, edges: &mut Vec<Edge<'a>>) -> bool {
        let Some(m) = s.as_object() else {
            self.wrong_type(name, "an object", here.to_string());
            return true;
        };
        let ty = match m.get("Type") {
            None => {
                self.required(&["Type"], here);
                collect_edges(m, edges);
                return true;
            }
            Some(t) => match t.as_str() {
                Some(t) if TYPES.contains(&t) => t,
                _ => {
                    // [rec]
                    self.err(format!("The field 'Type' should have one of these values: [{}]", TYPES.join(", ")), format!("{here}/Type"));
                    collect_edges(m, edges);
                    return true;
                }
            },
        };
        let ql = self.query_language(m, here);
        let processor_key = if m.contains_key("ItemProcessor") { "ItemProcessor" } else { "Iterator" };
        let config = m.get(processor_key).and_then(|p| p.get("ProcessorConfig"));
        let distributed = ty == "Map" && config.and_then(|c| c.get("Mode")).and_then(Value::as_str) == Some("DISTRIBUTED");
        // Distributed children run as executions of their own type.
        let child_express = if distributed { config.and_then(|c| c.get("ExecutionType")).and_then(Value::as_str) == Some("EXPRESS") } else { express };

        let required: &[&str] = match ty {
            "Task" => &["Resource"],
            "Choice" => &["Choices"],
            "Parallel" => &["Branches"],
            _ => &[],
        };
        let missing: Vec<&str> = required.iter().copied().filter(|f| !m.contains_key(*f)).collect();
        self.required(&missing, here);

        for (k, v) in m {
            let k = k.as_str();
            if !allowed(ty, ql, distributed, k) {
                self.not_supported(k, here);
                continue;
            }
            let at = At(here, k);
            match k {
                "Type" => {}
                "Comment" => {
                    self.expect_string(k, v, at);
                }
                "QueryLanguage" => {}
                "Next" => {
                    if let Some(t) = v.as_str() {
                        edges.push(Edge { via: Via::Field("Next"), target: t });
                    } else {
                        self.wrong_type(k, "a string", at);
                    }
                }
                "End" if !v.is_boolean() => self.wrong_type(k, "a boolean", at),
                "InputPath" | "OutputPath" => self.path_field(k, v, false, true, at),
                "ResultPath" => self.path_field(k, v, true, true, at),
                "Parameters" | "ResultSelector" | "ItemSelector" if ql == Ql::JsonPath => self.template(v, &at.to_string(), 0),
                "Result" | "Output" | "Arguments" | "Items" => {}
                "Assign" => self.assign(v, ql, at.into()),
                "Retry" => self.retriers(v, ql, &at.to_string()),
                "Catch" => self.catchers(v, ql, &at.to_string(), edges),
                "Resource" => self.resource(v, express, at),
                "TimeoutSeconds" | "HeartbeatSeconds" => self.int_field(k, v, 1, Some(MAX_SECONDS), ql, at),
                "TimeoutSecondsPath"
                | "HeartbeatSecondsPath"
                | "SecondsPath"
                | "TimestampPath"
                | "MaxConcurrencyPath"
                | "ToleratedFailurePercentagePath"
                | "ToleratedFailureCountPath" => self.path_field(k, v, true, false, at),
                "Credentials" => self.credentials(v, ql, at.into()),
                "Choices" => self.choices(v, ql, &at.to_string(), edges),
                "Default" => {
                    if let Some(t) = v.as_str() {
                        edges.push(Edge { via: Via::Field("Default"), target: t });
                    } else {
                        self.wrong_type(k, "a string", at);
                    }
                }
                "Seconds" => self.int_field(k, v, 0, None, ql, at),
                "Timestamp" => {
                    let ok = v.as_str().is_some_and(|t| (ql == Ql::Jsonata && is_jsonata_expr(t)) || timestamp::parse(t).is_some());
                    if !ok {
                        // [rec]
                        self.err("String does not match RFC3339 timestamp", at);
                    }
                }
                "Error" | "Cause" => {
                    self.expect_string(k, v, at);
                }
                "ErrorPath" | "CausePath" if !Self::dynamic_ok(v, true) => {
                    self.err(format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"), at)
                }
                "Branches" => match v.as_array() {
                    Some(b) if !b.is_empty() => {
                        for (i, br) in b.iter().enumerate() {
                            let loc = format!("{at}[{i}]");
                            match br.as_object() {
                                Some(bm) => self.machine(bm, &loc, Scope::Branch, express, depth + 1),
                                None => self.wrong_type(&format!("Branches[{i}]"), "an object", loc),
                            }
                        }
                    }
                    // [rec] "Value cannot be empty at /States/<name>/Branches".
                    Some(_) => self.err("Value cannot be empty", at),
                    None => self.wrong_type(k, "an array", at),
                },
                "ItemProcessor" | "Iterator" => match v.as_object() {
                    Some(pm) => self.machine(pm, &at.to_string(), Scope::Processor, child_express, depth + 1),
                    None => self.wrong_type(k, "an object", at),
                },
                "ItemsPath" => self.path_field(k, v, true, false, at),
                "MaxConcurrency" => self.int_field(k, v, 0, None, ql, at),
                "ToleratedFailureCount" => self.int_field(k, v, 0, None, ql, at),
                "ToleratedFailurePercentage" if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) => match v.as_f64() {
                    Some(p) if (0.0..=100.0).contains(&p) => {}
                    Some(_) => self.err(format!("The value for the field '{k}' must be between 0 and 100"), at),
                    None => self.wrong_type(k, "a number", at),
                },
                "Label" => self.label(v, at),
                "ItemReader" => self.item_reader(v, ql, at.into()),
                "ItemBatcher" => self.item_batcher(v, ql, at.into()),
                "ResultWriter" => self.result_writer(v, ql, at.into()),
                _ => {}
            }
        }

        // Cross-field rules.
        let has = |f: &str| m.contains_key(f);
        let mut terminal = false;
        match ty {
            "Succeed" | "Fail" => terminal = true,
            "Choice" => {}
            _ => {
                let end = m.get("End") == Some(&Value::Bool(true));
                terminal = end;
                if has("Next") && has("End") {
                    self.only_one(&["Next", "End"], here);
                } else if !has("Next") && !end {
                    self.one_required(&["Next", "End"], here);
                }
            }
        }
        let pairs: &[[&str; 2]] = match ty {
            "Task" => &[["TimeoutSeconds", "TimeoutSecondsPath"], ["HeartbeatSeconds", "HeartbeatSecondsPath"]],
            "Fail" => &[["Error", "ErrorPath"], ["Cause", "CausePath"]],
            "Map" => &[
                ["ItemProcessor", "Iterator"],
                ["MaxConcurrency", "MaxConcurrencyPath"],
                ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
                ["ToleratedFailureCount", "ToleratedFailureCountPath"],
            ],
            _ => &[],
        };
        for pair in pairs {
            if has(pair[0]) && has(pair[1]) {
                self.only_one(pair, here);
            }
        }
        match ty {
            "Task" => {
                let t = m.get("TimeoutSeconds").and_then(int_of);
                let h = m.get("HeartbeatSeconds").and_then(int_of);
                if let (Some(h), Some(t)) = (h, t) {
                    if h >= t {
                        // [?]
                        self.err(
                            "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'",
                            format!("{here}/HeartbeatSeconds"),
                        );
                    }
                }
            }
            "Wait" => {
                let fields: &[&str] = match ql {
                    // [pub] the order AWS lists them in.
                    Ql::JsonPath => &["SecondsPath", "Seconds", "TimestampPath", "Timestamp"],
                    Ql::Jsonata => &["Seconds", "Timestamp"],
                };
                let n = fields.iter().filter(|f| has(f)).count();
                if n > 1 {
                    self.only_one(fields, here);
                } else if n == 0 {
                    self.one_required(fields, here);
                }
            }
            "Map" if !has("ItemProcessor") && !has("Iterator") => self.one_required(&["ItemProcessor", "Iterator"], here),
            _ => {}
        }
        terminal
    }

    fn credentials(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) {
                self.wrong_type("Credentials", "an object", at);
            }
            return;
        };
        // [rec] Unknown fields beside a missing RoleArn are not reported separately.
        if !m.contains_key("RoleArn") && !m.contains_key("RoleArn.$") {
            self.err("The field 'RoleArn' is required but was missing", at);
            return;
        }
        if ql == Ql::JsonPath {
            self.template(v, &at, 0);
        }
    }

    fn resource(&mut self, v: &Value, express: bool, at: At) {
        let Some(r) = v.as_str() else {
            self.wrong_type("Resource", "a string", at);
            return;
        };
        let kind = match resource::classify(r) {
            Ok(k) => k,
            Err(resource::Problem::NotAnArn) => {
                // [pub] seen in a real deploy log for an unsubstituted "${...}" placeholder.
                self.err("Value is not a valid resource ARN", at);
                return;
            }
            Err(resource::Problem::Unrecognized) => {
                // [rec]
                self.err(
                    format!(
                        "The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
                    ),
                    at,
                );
                return;
            }
        };
        if express {
            use resource::Kind;
            match kind {
                // [rec] both, the second with its trailing space.
                Kind::Integration(resource::Pattern::Sync | resource::Pattern::Sync2) => {
                    self.err("Express state machine does not support '.sync' service integration", at)
                }
                Kind::Integration(resource::Pattern::WaitForTaskToken) => {
                    self.err("Express state machine does not support '.waitForTaskToken' service integration ", at)
                }
                Kind::Activity => self.err("Express state machine does not support Activity ARN", at),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{diags, ok, one, only, pair, with};
    use super::super::*;
    use serde_json::json;

    #[test]
    fn types() {
        assert_eq!(only(one(json!({"End": true}))), pair("These fields are required: [Type]", "/States/A"));
        let msg = "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";
        assert_eq!(only(one(json!({"Type": "Foo", "End": true}))), pair(msg, "/States/A/Type"));
        assert_eq!(only(one(json!({"Type": 3, "End": true}))), pair(msg, "/States/A/Type"));
        // A state with a bad type still counts for reachability.
        assert_eq!(only(json!({"StartAt": "A", "States": {"A": {"Type": "Foo", "Next": "B"}, "B": {"Type": "Succeed"}}})), pair(msg, "/States/A/Type"));
    }

    #[test]
    fn fields_per_state_type() {
        assert_eq!(only(one(json!({"Type": "Pass", "Foo": 1, "End": true}))), pair("Field 'Foo' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Pass", "Retry": [], "End": true}))), pair("Field 'Retry' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Succeed", "Next": "A"}))), pair("Field 'Next' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Succeed", "End": true}))), pair("Field 'End' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Fail", "End": true}))), pair("Field 'End' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Fail", "InputPath": "$"}))), pair("Field 'InputPath' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Wait", "Seconds": 1, "Parameters": {}, "End": true}))), pair("Field 'Parameters' is not supported", "/States/A"));
        // Message.$ at state level instead of inside Parameters [pub].
        assert_eq!(
            only(one(json!({"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Message.$": "$.m", "End": true}))),
            pair("Field 'Message.$' is not supported", "/States/A")
        );
        assert_eq!(only(one(json!({"Type": "Pass", "Comment": 1, "End": true}))), pair("The field 'Comment' must be a string", "/States/A/Comment"));
        ok(one(json!({"Type": "Pass", "Comment": "c", "InputPath": null, "OutputPath": null, "ResultPath": null, "Result": {"a": 1}, "End": true})));
        ok(one(json!({"Type": "Succeed", "InputPath": "$$.Execution", "OutputPath": "$.x"})));
        ok(one(json!({"Type": "Fail", "Error": "E", "Cause": "C", "Comment": "c"})));
    }

    #[test]
    fn next_and_end() {
        let both = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}});
        assert_eq!(only(both), pair("There should only be one of the following fields: [Next, End]", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Pass", "Result": 1}))), pair("This object should have only one of the following fields: [Next, End]", "/States/A"));
        let d = diags(&one(json!({"Type": "Pass", "End": "yes"})), MachineType::Standard);
        assert_eq!(d[0], (SCHEMA.to_string(), "The field 'End' must be a boolean".to_string(), "/States/A/End".to_string()));
        assert_eq!(
            only(one(json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "End": true}))).0,
            "Field 'End' is not supported"
        );
    }

    #[test]
    fn wait() {
        let w = |fields: Value| one(with(json!({"Type": "Wait", "End": true}), fields));
        ok(w(json!({"Seconds": 0})));
        ok(w(json!({"Timestamp": "2016-03-14T01:59:00Z"})));
        ok(w(json!({"Timestamp": "2016-03-14T01:59:00.123456789+02:00"})));
        ok(w(json!({"SecondsPath": "$.s"})));
        ok(w(json!({"TimestampPath": "$var.t"})));
        let all = "[SecondsPath, Seconds, TimestampPath, Timestamp]";
        assert_eq!(only(w(json!({}))), pair(&format!("This object should have only one of the following fields: {all}"), "/States/A"));
        assert_eq!(
            only(w(json!({"Seconds": 1, "SecondsPath": "$.s"}))),
            pair(&format!("There should only be one of the following fields: {all}"), "/States/A")
        );
        for bad in [
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2016-13-05T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "05-12-2016T21:29:29Z",
            "{% '2016-03-14T01:59:00Z' %}",
        ] {
            assert_eq!(only(w(json!({"Timestamp": bad}))), pair("String does not match RFC3339 timestamp", "/States/A/Timestamp"), "{bad}");
        }
        assert_eq!(only(w(json!({"Seconds": -1}))), pair("The value for the field 'Seconds' must be greater than or equal to 0", "/States/A/Seconds"));
        assert_eq!(only(w(json!({"Seconds": 1.5}))), pair("The field 'Seconds' must be an integer", "/States/A/Seconds"));
        assert_eq!(
            only(w(json!({"SecondsPath": "$.a[*]"}))),
            pair("The value for the field 'SecondsPath' must be a valid ReferencePath", "/States/A/SecondsPath")
        );
        // JSONata.
        let jw = |fields: Value| one(with(json!({"Type": "Wait", "QueryLanguage": "JSONata", "End": true}), fields));
        ok(jw(json!({"Seconds": "{% $states.input.s %}"})));
        ok(jw(json!({"Timestamp": "{% $now() %}"})));
        ok(jw(json!({"Timestamp": "2016-03-14T01:59:00Z"})));
        assert_eq!(only(jw(json!({}))), pair("This object should have only one of the following fields: [Seconds, Timestamp]", "/States/A"));
        assert_eq!(only(jw(json!({"Timestamp": "tomorrow"}))).0, "String does not match RFC3339 timestamp");
        let d = diags(&jw(json!({"SecondsPath": "$.s"})), MachineType::Standard);
        assert_eq!(d[0], (SCHEMA.into(), "Field 'SecondsPath' is not supported".into(), "/States/A".into()));
        assert_eq!(d[1].1, "This object should have only one of the following fields: [Seconds, Timestamp]");
    }

    #[test]
    fn fail() {
        ok(one(json!({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{} failed', $.name)"})));
        ok(one(json!({"Type": "Fail", "QueryLanguage": "JSONata", "Error": "{% 'E' %}", "Cause": "c"})));
        assert_eq!(
            only(one(json!({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}))),
            pair("There should only be one of the following fields: [Error, ErrorPath]", "/States/A")
        );
        assert_eq!(
            only(one(json!({"Type": "Fail", "Cause": "C", "CausePath": "$.c"}))),
            pair("There should only be one of the following fields: [Cause, CausePath]", "/States/A")
        );
        assert_eq!(
            only(one(json!({"Type": "Fail", "CausePath": "cause"}))),
            pair("The value for the field 'CausePath' must be a valid JSONPath or a valid intrinsic function call", "/States/A/CausePath")
        );
        assert_eq!(only(one(json!({"Type": "Fail", "Error": 1}))), pair("The field 'Error' must be a string", "/States/A/Error"));
    }

    #[test]
    fn task_fields() {
        let t = |extra: Value| one(with(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}), extra));
        ok(t(json!({"TimeoutSeconds": 10, "HeartbeatSeconds": 5, "ResultSelector": {"a.$": "$.Payload"}, "ResultPath": "$.r",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"}})));
        ok(t(json!({"TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.h", "Credentials": {"RoleArn.$": "$.role"}})));
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 0}))),
            pair("The value for the field 'TimeoutSeconds' must be between 1 and 99999999", "/States/A/TimeoutSeconds")
        );
        assert_eq!(only(t(json!({"HeartbeatSeconds": 100000000}))).1, "/States/A/HeartbeatSeconds");
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 5, "HeartbeatSeconds": 5}))),
            pair("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'", "/States/A/HeartbeatSeconds")
        );
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"}))),
            pair("There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]", "/States/A")
        );
        assert_eq!(
            only(t(json!({"ResultPath": "$.a[*]"}))),
            pair("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/A/ResultPath")
        );
        assert_eq!(only(t(json!({"InputPath": "a"}))), pair("The value for the field 'InputPath' must be a valid JSONPath", "/States/A/InputPath"));
        // [rec] EMPTY_CREDENTIALS and INVALID_CREDENTIALS_FIELD.
        assert_eq!(only(t(json!({"Credentials": {}}))), pair("The field 'RoleArn' is required but was missing", "/States/A/Credentials"));
        assert_eq!(
            only(t(json!({"Credentials": {"InvalidField": "invalid"}}))),
            pair("The field 'RoleArn' is required but was missing", "/States/A/Credentials")
        );
        assert_eq!(
            only(t(json!({"Credentials": {"RoleArn.$": "role"}}))),
            pair("The value for the field 'RoleArn.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Credentials")
        );
        // JSONata.
        ok(one(json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}",
            "Credentials": {"RoleArn": "{% $role %}"}, "TimeoutSeconds": "{% 10 %}", "HeartbeatSeconds": 3, "Output": "{% $states.result %}", "End": true})));
    }

    #[test]
    fn parallel() {
        let p = |branches: Value| one(json!({"Type": "Parallel", "Branches": branches, "End": true}));
        ok(p(json!([{"StartAt": "B", "Comment": "c", "States": {"B": {"Type": "Succeed"}}}])));
        assert_eq!(only(one(json!({"Type": "Parallel", "End": true}))), pair("These fields are required: [Branches]", "/States/A"));
        // [rec]
        assert_eq!(only(p(json!([]))), pair("Value cannot be empty", "/States/A/Branches"));
        assert_eq!(only(p(json!([{"States": {"B": {"Type": "Succeed"}}}]))), pair("These fields are required: [StartAt]", "/States/A/Branches[0]"));
        assert_eq!(
            only(p(json!([{"StartAt": "B", "QueryLanguage": "JSONata", "States": {"B": {"Type": "Succeed"}}}]))),
            pair("Field 'QueryLanguage' is not supported", "/States/A/Branches[0]")
        );
        assert_eq!(only(p(json!([1]))), pair("The field 'Branches[0]' must be an object", "/States/A/Branches[0]"));
        assert_eq!(
            only(p(json!([{"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 1, "Next": "C"}, "C": {"Type": "Bogus"}}}]))),
            pair(
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
                "/States/A/Branches[0]/States/C/Type"
            )
        );
        ok(one(json!({"Type": "Parallel", "QueryLanguage": "JSONata", "Arguments": {"a": 1}, "Output": "{% $states.result %}",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}], "End": true})));
    }
}
