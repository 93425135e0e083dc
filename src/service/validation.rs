//! ValidateStateMachineDefinition: the validator's diagnostics as AWS's API answers them.
//!
//! `result` is OK when no diagnostic is an ERROR (warnings allowed); an invalid definition is an
//! answer, not an error (HTTP 200). `severity` ERROR (the default) lists errors only, WARNING lists
//! both; `maxResults` (0–100, 0 or absent = 100) cuts the list and sets `truncated`.

use super::error::ServiceError;
use super::request::Request;
use super::Service;
use crate::asl::validate::{self, MachineType, Severity};
use serde_json::{json, Value};

impl Service {
    pub(crate) fn validate_state_machine_definition(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let definition = r.sensitive_string("definition", 1, 1_048_576)?;
        let express = r.opt_enum("type", &["STANDARD", "EXPRESS"])? == Some("EXPRESS");
        let with_warnings = r.opt_enum("severity", &["ERROR", "WARNING"])? == Some("WARNING");
        let max = match r.opt_int("maxResults", 0, 100)? {
            None | Some(0) => 100,
            Some(n) => n as usize,
        };
        let machine_type = if express { MachineType::Express } else { MachineType::Standard };
        let mut diags = validate::validate_text(definition, machine_type);
        let failed = diags.iter().any(|d| d.severity == Severity::Error);
        if with_warnings {
            if let Ok(v @ Value::Object(_)) = crate::asl::definition_json::parse(definition) {
                diags.extend(validate::warnings(&v));
            }
        } else {
            diags.retain(|d| d.severity == Severity::Error);
        }
        let truncated = diags.len() > max;
        diags.truncate(max);
        let diagnostics: Vec<Value> = diags
            .iter()
            .map(|d| {
                let mut o = json!({
                    "severity": match d.severity { Severity::Error => "ERROR", Severity::Warning => "WARNING" },
                    "code": d.code,
                    "message": d.message,
                });
                if let Some(l) = &d.location {
                    o["location"] = json!(l);
                }
                o
            })
            .collect();
        Ok(json!({
            "result": if failed { "FAIL" } else { "OK" },
            "diagnostics": diagnostics,
            "truncated": truncated,
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::service::{Service, ServiceConfig};
    use serde_json::{json, Value};

    fn validate(req: Value) -> Value {
        Service::new(ServiceConfig::default()).call("ValidateStateMachineDefinition", &req).unwrap()
    }

    const PASS: &str = r#"{"Comment": "BASE_PASS_RESULT", "StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}"#;

    /// test_sfn_api_validation.snapshot.json, byte for byte.
    #[test]
    fn recorded_answers() {
        assert_eq!(
            validate(json!({"definition": " ", "type": "STANDARD"})),
            json!({"diagnostics": [{"code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object", "severity": "ERROR"}], "result": "FAIL", "truncated": false})
        );
        assert_eq!(
            validate(json!({"definition": "not a definition", "type": "STANDARD"})),
            json!({"diagnostics": [{"code": "INVALID_JSON_DESCRIPTION",
                "location": "[Source: (String)\"not a definition\"; line: 1, column: 4]",
                "message": "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]",
                "severity": "ERROR"}], "result": "FAIL", "truncated": false})
        );
        assert_eq!(
            validate(json!({"definition": "{}", "type": "STANDARD"})),
            json!({"diagnostics": [{"code": "SCHEMA_VALIDATION_FAILED", "location": "/", "message": "These fields are required: [States, StartAt]", "severity": "ERROR"}], "result": "FAIL", "truncated": false})
        );
        for ty in ["STANDARD", "EXPRESS"] {
            assert_eq!(validate(json!({"definition": PASS, "type": ty})), json!({"diagnostics": [], "result": "OK", "truncated": false}));
        }
        let no_start = r#"{"Comment": "BASE_PASS_RESULT", "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}"#;
        assert_eq!(
            validate(json!({"definition": no_start, "type": "STANDARD"})),
            json!({"diagnostics": [{"code": "SCHEMA_VALIDATION_FAILED", "location": "/", "message": "These fields are required: [StartAt]", "severity": "ERROR"}], "result": "FAIL", "truncated": false})
        );
        let wftt = json!({"StartAt": "SendMessageWithWait", "States": {"SendMessageWithWait": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "End": true}}});
        assert_eq!(
            validate(json!({"definition": wftt.to_string(), "type": "EXPRESS"})),
            json!({"diagnostics": [{"code": "SCHEMA_VALIDATION_FAILED", "location": "/States/SendMessageWithWait/Resource",
                "message": "Express state machine does not support '.waitForTaskToken' service integration ", "severity": "ERROR"}],
                "result": "FAIL", "truncated": false})
        );
    }

    #[test]
    fn severity_and_max_results() {
        let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a": "$.x", "b": "$.y"}, "End": true}}}).to_string();
        assert_eq!(validate(json!({"definition": def})), json!({"diagnostics": [], "result": "OK", "truncated": false}));
        let out = validate(json!({"definition": def, "severity": "WARNING"}));
        assert_eq!(out["result"], "OK");
        assert_eq!(out["diagnostics"][0]["code"], "NO_DOLLAR");
        assert_eq!(out["diagnostics"][0]["severity"], "WARNING");
        assert_eq!(out["diagnostics"][0]["location"], "/States/P/Parameters/a");
        let cut = validate(json!({"definition": def, "severity": "WARNING", "maxResults": 1}));
        assert_eq!((cut["diagnostics"].as_array().unwrap().len(), &cut["truncated"]), (1, &json!(true)));
        let mut svc = Service::new(ServiceConfig::default());
        let e = svc.call("ValidateStateMachineDefinition", &json!({"definition": def, "maxResults": 101})).unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
        );
        let e = svc.call("ValidateStateMachineDefinition", &json!({})).unwrap_err();
        assert_eq!(e.code, "ValidationException");
        let e = svc.call("ValidateStateMachineDefinition", &json!({"definition": def, "severity": "INFO"})).unwrap_err();
        assert_eq!(e.code, "ValidationException");
    }
}
