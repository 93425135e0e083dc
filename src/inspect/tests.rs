use super::*;
use crate::service::{Service, ServiceConfig};

/// Runs `definition` in the service (with an optional SFN Local mock config and test case) and
/// returns its history.
fn run(definition: &Value, input: Value, mocks: Option<(Value, &str)>) -> Vec<Value> {
    let mut s = Service::new(ServiceConfig { mock_config: mocks.as_ref().map(|m| m.0.clone()), ..Default::default() });
    let role = "arn:aws:iam::123456789012:role/r";
    let m = s
        .call("CreateStateMachine", &json!({"name": "M", "definition": definition.to_string(), "roleArn": role}))
        .unwrap();
    let mut arn = m["stateMachineArn"].as_str().unwrap().to_string();
    if let Some((_, tc)) = &mocks {
        arn = format!("{arn}#{tc}");
    }
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": input.to_string()})).unwrap();
    s.run_to_quiescence(i64::MAX);
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "maxResults": 1000})).unwrap();
    h["events"].as_array().unwrap().clone()
}

fn step<'a>(v: &'a Visit, field: &str) -> &'a FlowStep {
    v.steps.iter().find(|s| s.field == field).unwrap_or_else(|| panic!("no {field} step in {:?}", v.steps))
}

#[test]
fn a_task_visit_shows_each_jsonpath_step_with_recorded_and_recomputed_values() {
    let def = json!({"StartAt": "Price", "States": {"Price": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.order",
        "Parameters": {"FunctionName": "price", "Payload": {"sku.$": "$.sku", "n.$": "$.qty"}},
        "ResultSelector": {"cents.$": "$.Payload.cents"},
        "ResultPath": "$.price",
        "OutputPath": "$.price",
        "End": true}}});
    let mocks = json!({"StateMachines": {"M": {"TestCases": {"T": {"Price": "R"}}}},
        "MockedResponses": {"R": {"0": {"Return": {"Payload": {"cents": 250}, "StatusCode": 200}}}}});
    let events = run(&def, json!({"order": {"sku": "A", "qty": 2}}), Some((mocks, "T")));
    let (id, name) = visits(&events)[0].clone();
    assert_eq!(name, "Price");
    let v = explain(&def.to_string(), &events, id).unwrap();
    assert_eq!((v.kind, v.query_language), ("Task", "JSONPath"));
    assert_eq!(step(&v, "InputPath").value, Ok(json!({"sku": "A", "qty": 2})));
    let p = step(&v, "Parameters");
    assert_eq!(p.value, Ok(json!({"FunctionName": "price", "Payload": {"sku": "A", "n": 2}})));
    assert_eq!(p.source, Source::Recorded);
    assert_eq!(p.definition.as_ref().unwrap()["Payload"]["sku.$"], "$.sku");
    assert_eq!(step(&v, "Task result").value, Ok(json!({"Payload": {"cents": 250}, "StatusCode": 200})));
    assert_eq!(step(&v, "ResultSelector").value, Ok(json!({"cents": 250})));
    assert_eq!(step(&v, "ResultPath").value, Ok(json!({"order": {"sku": "A", "qty": 2}, "price": {"cents": 250}})));
    assert_eq!(step(&v, "OutputPath").value, Ok(json!({"cents": 250})));
    assert_eq!(v.output, Some(json!({"cents": 250})));
    assert_eq!(v.output_mismatch, None, "the recomputed chain ends where the run ended");
    assert!(v.failure.is_none() && v.retries.is_empty());
}

#[test]
fn retries_show_the_matching_retrier_the_computed_back_off_and_the_observed_delay() {
    let def = json!({"StartAt": "Flaky", "States": {"Flaky": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"},
        "Retry": [
            {"ErrorEquals": ["Other"], "MaxAttempts": 5},
            {"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}
        ],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
        "End": true},
        "Caught": {"Type": "Pass", "End": true}}});
    let mocks = json!({"StateMachines": {"M": {"TestCases": {"T": {"Flaky": "R"}}}},
        "MockedResponses": {"R": {"0-3": {"Throw": {"Error": "Boom", "Cause": "no"}}}}});
    let events = run(&def, json!({}), Some((mocks, "T")));
    let id = last_visit_of(&events, "Flaky").unwrap();
    let v = explain(&def.to_string(), &events, id).unwrap();
    let delays: Vec<_> = v.retries.iter().map(|r| (r.attempt, r.retrier, r.computed_delay, r.observed_delay)).collect();
    assert_eq!(
        delays,
        [
            (1, Some(1), Some((2.0, 2.0)), Some(2.0)),
            (2, Some(1), Some((6.0, 6.0)), Some(6.0)),
            (3, Some(1), Some((18.0, 18.0)), Some(18.0)),
        ]
    );
    assert_eq!(v.retries[0].error, "Boom");
    // The fourth failure was caught: the visit ended in it.
    assert_eq!(v.failure.as_ref().map(|f| f.0.as_str()), Some("Boom"));
    // AWS writes the Exited event of a caught state, with the error output.
    assert_eq!(v.output.as_ref().map(|o| o["Error"].clone()), Some(json!("Boom")));
}

#[test]
fn a_choice_visit_says_which_rule_matched_and_why_the_others_did_not() {
    let def = json!({"StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.total", "NumericGreaterThan": 1000, "Next": "Big"},
            {"And": [{"Variable": "$.country", "StringEquals": "US"}, {"Variable": "$.total", "NumericGreaterThan": 100}], "Next": "Express"},
            {"Variable": "$.total", "NumericGreaterThan": 0, "Next": "Small"}
        ], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Express": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}});
    let events = run(&def, json!({"total": 250, "country": "US"}), None);
    let v = explain(&def.to_string(), &events, last_visit_of(&events, "Route").unwrap()).unwrap();
    let matched: Vec<_> = v.choice.iter().map(|r| (r.next.as_str(), r.matched)).collect();
    assert_eq!(matched, [("Big", Some(false)), ("Express", Some(true)), ("Small", None)]);
    assert!(v.choice[0].explanation.contains("250"), "{}", v.choice[0].explanation);
    assert_eq!(v.next.as_deref(), Some("Express"));

    let events = run(&def, json!({"total": 0, "country": "FR"}), None);
    let v = explain(&def.to_string(), &events, last_visit_of(&events, "Route").unwrap()).unwrap();
    assert!(v.choice.iter().all(|r| r.matched == Some(false)));
    assert_eq!(v.next.as_deref(), Some("Default: Small"));
}

#[test]
fn jsonata_visits_show_arguments_output_variables_and_conditions() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Sum", "States": {
        "Sum": {"Type": "Pass", "Output": "{% {'total': $sum($states.input.xs)} %}", "Assign": {"seen": "{% $count($states.input.xs) %}"}, "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.total > 5 and $seen = 3 %}", "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}});
    let events = run(&def, json!({"xs": [1, 2, 3]}), None);
    let v = explain(&def.to_string(), &events, last_visit_of(&events, "Sum").unwrap()).unwrap();
    assert_eq!(v.query_language, "JSONata");
    assert_eq!(step(&v, "Output").value, Ok(json!({"total": 6})));
    assert_eq!(v.assigned, [("seen".to_string(), json!(3))]);
    assert_eq!(v.output_mismatch, None);
    // The Choice reads the variable assigned before it.
    let c = explain(&def.to_string(), &events, last_visit_of(&events, "Big?").unwrap()).unwrap();
    assert_eq!(c.choice[0].matched, Some(true), "{}", c.choice[0].explanation);
    assert_eq!(c.next.as_deref(), Some("Yes"));
}

#[test]
fn map_iterations_are_told_apart_and_bad_requests_are_errors() {
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 0,
        "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}},
        "End": true}}});
    let events = run(&def, json!({"xs": [1, 2, 3]}), None);
    let doubles: Vec<_> = visits(&events).into_iter().filter(|(_, n)| n == "Double").collect();
    assert_eq!(doubles.len(), 3);
    let outs: Vec<_> = doubles.iter().map(|(id, _)| explain(&def.to_string(), &events, *id).unwrap().output.unwrap()).collect();
    assert_eq!(outs, [json!({"v": 2}), json!({"v": 4}), json!({"v": 6})]);
    // Any event of a visit leads back to its Entered event; ExecutionStarted belongs to none.
    for (id, _) in &doubles {
        let exited = events.iter().find(|e| e["previousEventId"].as_i64() == Some(*id)).unwrap();
        assert_eq!(visit_of_event(&events, exited["id"].as_i64().unwrap()), Some(*id));
    }
    assert_eq!(visit_of_event(&events, 1), None);
    assert!(explain(&def.to_string(), &events, 9999).is_err());
    assert!(explain(&def.to_string(), &events, 1).is_err(), "ExecutionStarted is not a state visit");
    assert!(explain("{", &events, 2).is_err());
}

#[test]
fn an_imported_aws_history_with_iso_timestamps_is_read_the_same_way() {
    // The shape the AWS console exports: timestamps as text.
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}});
    let events = json!([
        {"id": 1, "previousEventId": 0, "timestamp": "2025-01-01T00:00:00.000Z", "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}", "roleArn": "r"}},
        {"id": 2, "previousEventId": 0, "timestamp": "2025-01-01T00:00:00.000Z", "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "W", "input": "{}"}},
        {"id": 3, "previousEventId": 2, "timestamp": "2025-01-01T00:00:00.100Z", "type": "TaskScheduled", "taskScheduledEventDetails": {"parameters": "{\"FunctionName\":\"f\"}"}},
        {"id": 4, "previousEventId": 3, "timestamp": "2025-01-01T00:00:00.500Z", "type": "TaskFailed", "taskFailedEventDetails": {"error": "Lambda.Unknown", "cause": "x"}},
        {"id": 5, "previousEventId": 4, "timestamp": "2025-01-01T00:00:01.500Z", "type": "TaskScheduled", "taskScheduledEventDetails": {"parameters": "{\"FunctionName\":\"f\"}"}},
        {"id": 6, "previousEventId": 5, "timestamp": "2025-01-01T00:00:02.000Z", "type": "TaskSucceeded", "taskSucceededEventDetails": {"output": "{\"ok\":1}"}},
        {"id": 7, "previousEventId": 6, "timestamp": "2025-01-01T00:00:02.000Z", "type": "TaskStateExited", "stateExitedEventDetails": {"name": "W", "output": "{\"ok\":1}"}}
    ]);
    let v = explain(&def.to_string(), events.as_array().unwrap(), 2).unwrap();
    assert_eq!(v.retries.len(), 1);
    assert_eq!(v.retries[0].observed_delay, Some(1.0));
    assert_eq!(v.retries[0].computed_delay, Some((1.0, 1.0)));
    assert_eq!(v.output, Some(json!({"ok": 1})));
    assert_eq!(step(&v, "Task result").value, Ok(json!({"ok": 1})));
}
