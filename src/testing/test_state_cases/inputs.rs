//! The inputs of TestState cases whose `input` the extractor could not resolve (`null`: the test
//! built it at run time with `json.dumps(...)`). Where AWS echoed it back (DEBUG and TRACE record
//! `inspectionData.input`), that is the input; otherwise it is rebuilt from the recording's test
//! code, with the recorder's placeholders for the names it generated at random.

use serde_json::{json, Value};

/// The execution input of a case: recorded, echoed back by AWS, or rebuilt from its test code.
pub fn input(case: &Value) -> Option<Value> {
    if !case["input"].is_null() {
        return Some(case["input"].clone());
    }
    if let Some(echoed) = case["expected"]["inspectionData"].get("input") {
        return Some(match echoed {
            Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| echoed.clone()),
            other => other.clone(),
        });
    }
    from_test_code(case["id"].as_str().unwrap_or_default())
}

/// The inputs the test functions build (the id of a case is the test function's, then its
/// parameters in brackets; all parameters of one function share the input).
fn from_test_code(id: &str) -> Option<Value> {
    let function = id.split('[').next().unwrap_or_default();
    let function = function.rsplit("::").next().unwrap_or_default();
    // test_field_validation_mode_none.py, test_field_validation_mode_present.py and
    // test_test_state_mock_scenarios.py: the target of states:startExecution.
    let start_execution = || {
        json!({
            "stateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:TargetStateMachine",
            "targetInput": null,
            "name": "TestStartTarget"
        })
    };
    match function {
        "test_none_mode_sfn_task" | "test_present_mode_sfn_task_validation_pass" | "test_sfn_start_execution_success" => {
            Some(start_execution())
        }
        // test_test_state_mock_scenarios.py: the table name is random, "<table_name>" in the snapshot.
        "test_io_dynamodb_service_task_mock_success" => Some(json!({
            "TableName": "<table_name>",
            "Item": {"data": {"S": "HelloWorld"}, "id": {"S": "id1"}}
        })),
        // test_test_state_scenarios.py: the function name is random, "<lambda_function_name>".
        "test_base_lambda_service_task_state" => Some(json!({"FunctionName": "<lambda_function_name>", "Payload": null})),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_input_wins_then_the_echo_then_the_test_code() {
        let recorded = json!({"id": "x::test_base_lambda_service_task_state[INFO]", "input": {"a": 1}});
        assert_eq!(input(&recorded), Some(json!({"a": 1})));
        let echoed = json!({"id": "x::t[DEBUG]", "input": null, "expected": {"inspectionData": {"input": "{\"b\":2}"}}});
        assert_eq!(input(&echoed), Some(json!({"b": 2})));
        let rebuilt = json!({"id": "a.py::C::test_base_lambda_service_task_state[INFO]", "input": null});
        assert_eq!(input(&rebuilt), Some(json!({"FunctionName": "<lambda_function_name>", "Payload": null})));
        assert_eq!(input(&json!({"id": "a.py::C::unknown", "input": null})), None);
    }
}
