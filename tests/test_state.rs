//! Runs the TestState cases recorded against AWS (../shared/conformance/aws-recorded-test-state.jsonl)
//! through the service's TestState and keeps a ratchet: every id listed in tests/test_state.ratchet
//! must keep passing. `UPDATE_RATCHET=1 cargo test --test test_state` rewrites the list.

mod common;

use sfnsim::service::{Service, ServiceConfig};
use serde_json::{json, Value};

#[test]
fn aws_recorded_test_state_corpus() {
    common::ratchet::run("../shared/conformance/aws-recorded-test-state.jsonl", "test_state.ratchet", "TestState");
}

fn call(req: Value) -> Result<Value, (String, String)> {
    let mut svc = Service::new(ServiceConfig::default());
    svc.call("TestState", &req).map_err(|e| (e.code.to_string(), e.message.to_string()))
}

#[test]
fn pass_state_debug_shows_each_stage() {
    let def = json!({"Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.b"}, "ResultPath": "$.r", "Next": "After"});
    let r = call(json!({"definition": def.to_string(), "input": "{\"a\": {\"b\": 1}}", "inspectionLevel": "DEBUG"})).unwrap();
    assert_eq!(r["status"], "SUCCEEDED");
    assert_eq!(r["nextState"], "After");
    let out: Value = serde_json::from_str(r["output"].as_str().unwrap()).unwrap();
    assert_eq!(out, json!({"a": {"b": 1}, "r": {"x": 1}}));
    let d = &r["inspectionData"];
    assert_eq!(d["afterInputPath"], "{\"b\":1}");
    assert_eq!(d["afterParameters"], "{\"x\":1}");
    assert_eq!(d["afterResultPath"], "{\"a\":{\"b\":1},\"r\":{\"x\":1}}");
    // INFO shows no stages.
    let r = call(json!({"definition": def.to_string(), "input": "{\"a\": {\"b\": 1}}"})).unwrap();
    assert!(r.get("inspectionData").is_none());
}

#[test]
fn task_mock_error_retriable_then_caught() {
    let def = json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"},
        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handle"}],
        "End": true
    });
    let req = |count: u64| json!({
        "definition": def.to_string(), "input": "{}", "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "Boom", "cause": "it broke"}},
        "stateConfiguration": {"retrierRetryCount": count}
    });
    let r = call(req(1)).unwrap();
    assert_eq!(r["status"], "RETRIABLE");
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 6}));
    let r = call(req(2)).unwrap();
    assert_eq!(r["status"], "CAUGHT_ERROR");
    assert_eq!(r["nextState"], "Handle");
    assert_eq!(r["error"], "Boom");
    let out: Value = serde_json::from_str(r["output"].as_str().unwrap()).unwrap();
    assert_eq!(out, json!({"err": {"Error": "Boom", "Cause": "it broke"}}));
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"retryIndex": 0, "catchIndex": 0}));
}

#[test]
fn request_errors_are_awss() {
    let pass = json!({"Type": "Pass", "End": true}).to_string();
    let e = call(json!({"definition": pass, "mock": {"result": "{}"}})).unwrap_err();
    assert_eq!(e, ("ValidationException".into(), "State type 'Pass' is not supported when a mock is specified".into()));
    let map = json!({"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}).to_string();
    let e = call(json!({"definition": map, "input": "[]"})).unwrap_err();
    assert_eq!(e.0, "InvalidDefinition");
    let e = call(json!({"definition": map, "mock": {"result": "{}"}})).unwrap_err();
    assert_eq!(e.1, "Mocked result must be an array.");
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}).to_string();
    let e = call(json!({"definition": task, "mock": {"result": "{}", "errorOutput": {"error": "E"}}})).unwrap_err();
    assert_eq!(e.1, "A test mock should have only one of the following fields: [result, errorOutput].");
    let e = call(json!({"definition": task})).unwrap_err();
    assert_eq!(e.1, "RoleArn must be specified when testing a Task state");
    let machine = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}).to_string();
    let e = call(json!({"definition": machine, "stateName": "B"})).unwrap_err();
    assert_eq!(e.1, "State not found in definition");
    let sfn = json!({"Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "Parameters": {"StateMachineArn": "x"}, "End": true}).to_string();
    let e = call(json!({"definition": sfn, "mock": {"result": "{}"}})).unwrap_err();
    assert_eq!(e.1, "Mock result schema validation error: Required field 'ExecutionArn' is missing");
    assert!(call(json!({"definition": sfn, "mock": {"result": "{}", "fieldValidationMode": "PRESENT"}})).is_ok());
}

#[test]
fn state_name_picks_a_state_and_variables_are_seen() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": "{% $v + $states.input.n %}", "Next": "B"},
        "B": {"Type": "Succeed"}}}).to_string();
    let r = call(json!({"definition": machine, "stateName": "A", "input": "{\"n\": 2}", "variables": "{\"v\": 40}", "inspectionLevel": "DEBUG"})).unwrap();
    assert_eq!(r["status"], "SUCCEEDED");
    assert_eq!(r["output"], "42");
    assert_eq!(r["nextState"], "B");
    assert_eq!(r["inspectionData"]["variables"], "{\"v\":40}");
}

#[test]
fn map_stages_and_tolerated_failures() {
    let def = json!({
        "Type": "Map", "ItemsPath": "$.xs", "ItemSelector": {"v.$": "$$.Map.Item.Value"},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ToleratedFailurePercentage": 50, "End": true
    })
    .to_string();
    let req = |failures: u64| json!({
        "definition": def, "input": "{\"xs\": [1, 2, 3, 4]}", "inspectionLevel": "DEBUG",
        "mock": {"result": "[1, 2]"}, "stateConfiguration": {"mapIterationFailureCount": failures}
    });
    let r = call(req(2)).unwrap();
    assert_eq!(r["status"], "SUCCEEDED", "{r}");
    let d = &r["inspectionData"];
    assert_eq!(d["afterItemsPath"], "[1,2,3,4]");
    assert_eq!(d["afterItemSelector"], "[{\"v\":1},{\"v\":2},{\"v\":3},{\"v\":4}]");
    assert_eq!(d["afterItemBatcher"], "[{\"Items\":[1,2]},{\"Items\":[3,4]}]");
    assert_eq!(d["toleratedFailurePercentage"], json!(50.0));
    assert_eq!(d["maxConcurrency"], json!(0));
    let r = call(req(3)).unwrap();
    assert_eq!(r["status"], "FAILED");
    assert_eq!(r["error"], "States.ExceedToleratedFailureThreshold");
    assert_eq!(r["cause"], "The specified tolerated failure threshold was exceeded");
}

#[test]
fn context_needs_a_mock_and_is_what_dollar_dollar_reads() {
    let pass = json!({"Type": "Pass", "Parameters": {"x.$": "$$.Execution.Name"}, "End": true}).to_string();
    let e = call(json!({"definition": pass, "context": "{}"})).unwrap_err();
    assert_eq!(e.0, "ValidationException");
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                      "Parameters": {"n.$": "$$.Execution.Name"}, "ResultPath": null, "End": true}).to_string();
    let r = call(json!({"definition": task, "context": "{\"Execution\": {\"Name\": \"mine\"}}",
                        "mock": {"result": "{}"}, "inspectionLevel": "DEBUG"})).unwrap();
    assert_eq!(r["inspectionData"]["afterParameters"], "{\"n\":\"mine\"}");
    // Without a context, $$ is an Express-style one of a throw-away state machine.
    let r = call(json!({"definition": pass, "inspectionLevel": "DEBUG"})).unwrap();
    assert!(r["output"].as_str().unwrap().starts_with("{\"x\":\""), "{r}");
}

#[test]
fn field_validation_checks_nested_fields_and_enum_values() {
    let def = json!({"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters": {"Bucket": "b", "Key": "k"}, "End": true});
    let req = |result: Value, mode: &str| json!({
        "definition": def.to_string(), "input": "{}", "roleArn": "arn:aws:iam::123456789012:role/r",
        "mock": {"result": result.to_string(), "fieldValidationMode": mode}
    });
    let (code, message) = call(req(json!({"StorageClass": "Papyrus"}), "PRESENT")).unwrap_err();
    assert_eq!(code, "ValidationException");
    assert_eq!(message, "Mock result schema validation error: Field 'StorageClass' is not an expected value");
    assert_eq!(call(req(json!({"StorageClass": "Papyrus"}), "NONE")).unwrap()["status"], "SUCCEEDED");
    assert_eq!(call(req(json!({"StorageClass": "STANDARD", "ContentLength": 3}), "STRICT")).unwrap()["status"], "SUCCEEDED");
}

#[test]
fn trace_shows_an_http_task_request_and_response() {
    let def = json!({"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": "https://api.example.com/items", "Method": "GET",
            "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"},
            "QueryParameters": {"page.$": "$.page"}},
        "End": true});
    let result = json!({"StatusCode": 200, "StatusText": "OK", "Headers": {}, "ResponseBody": {"items": []}});
    let req = |level: &str| json!({
        "definition": def.to_string(), "input": "{\"page\": 2}", "inspectionLevel": level,
        "roleArn": "arn:aws:iam::123456789012:role/r", "mock": {"result": result.to_string()}
    });
    let r = call(req("TRACE")).unwrap();
    let d = &r["inspectionData"];
    assert_eq!(d["request"]["method"], "GET");
    assert_eq!(d["request"]["url"], "https://api.example.com/items?page=2");
    assert_eq!(d["request"]["protocol"], "https");
    assert_eq!(d["response"]["statusCode"], "200");
    assert_eq!(d["response"]["statusMessage"], "OK");
    assert_eq!(d["response"]["body"], "{\"items\":[]}");
    // DEBUG shows the stages but no HTTP exchange.
    let r = call(req("DEBUG")).unwrap();
    assert!(r["inspectionData"].get("request").is_none());
    assert!(r["inspectionData"].get("afterParameters").is_some());
}
