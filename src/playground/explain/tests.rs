//! Narration of runs: choices, retries with their back-off, waits, catches, maps, the end.

use super::*;
use crate::service::{Service, ServiceConfig};
use serde_json::json;

fn history(def: &Value, input: &Value, mocks: Option<(Value, &str)>) -> Vec<Value> {
    let mut s = Service::new(ServiceConfig { mock_config: mocks.as_ref().map(|(m, _)| m.clone()), ..Default::default() });
    let role = s.scope().role("R");
    let created = s.call("CreateStateMachine", &json!({"name": "M", "definition": def.to_string(), "roleArn": role})).unwrap();
    let mut arn = created["stateMachineArn"].as_str().unwrap().to_string();
    if let Some((_, tc)) = &mocks {
        arn = format!("{arn}#{tc}");
    }
    let started = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": input.to_string()})).unwrap();
    s.run_to_quiescence(i64::MAX / 2);
    let exec = started["executionArn"].as_str().unwrap();
    s.execution(exec).unwrap().history().iter().map(|e| e.to_aws()).collect()
}

fn told(def: Value, input: Value) -> Vec<String> {
    narrate(&def.to_string(), &history(&def, &input, None)).into_iter().map(|n| n.text).collect()
}

#[test]
fn a_choice_says_what_it_compared() {
    let def = json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Approve"}], "Default": "Reject"},
        "Approve": {"Type": "Succeed"}, "Reject": {"Type": "Fail", "Error": "Rejected"}}});
    let t = told(def.clone(), json!({"total": 250}));
    assert_eq!(
        t,
        vec![
            "The execution starts with input {\"total\":250}.",
            "`Check` compared $.total with 100: 250 is greater than 100, so it went to `Approve`.",
            "`Approve` ends the execution successfully.",
            "The execution succeeds at 00:00:00 with output {\"total\":250}.",
        ]
    );
    let t = told(def, json!({"total": 5}));
    assert!(t[1].contains("took its Default, `Reject`, because its rule does not hold: `$.total > 100` is false (5 is not greater than 100)"), "{t:?}");
    assert_eq!(t[2], "`Reject` fails with Rejected.");
    assert_eq!(t[3], "The execution fails at 00:00:00 with Rejected.");
}

#[test]
fn retries_say_how_long_they_wait_and_which_attempt() {
    let def = json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge", "Payload": {}},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}], "End": true}}});
    let mocks = json!({"StateMachines": {"M": {"TestCases": {"T": {"Charge": "R"}}}}, "MockedResponses": {"R": {
        "0-1": {"Throw": {"Error": "States.TaskFailed", "Cause": "boom"}}, "2": {"Return": {"Payload": {"ok": true}}}}}});
    let h = history(&def, &json!({}), Some((mocks, "T")));
    let t: Vec<String> = narrate(&def.to_string(), &h).into_iter().map(|n| n.text).collect();
    assert!(t.contains(&"`Charge` failed with States.TaskFailed (boom); its Retry waits 2 s and tries again (attempt 2 of 4).".to_string()), "{t:#?}");
    assert!(t.contains(&"`Charge` failed with States.TaskFailed (boom); its Retry waits 4 s and tries again (attempt 3 of 4).".to_string()), "{t:#?}");
    assert!(t.iter().any(|s| s.starts_with("`Charge` calls lambda:invoke (charge) again (attempt 3)")), "{t:#?}");
    assert_eq!(t.last().unwrap(), "The execution succeeds at 00:00:06 with output {\"Payload\":{\"ok\":true}}.");
    // Each sentence names its event and state.
    let n = narrate(&def.to_string(), &h);
    assert!(n.iter().filter(|x| x.text.contains("Retry")).all(|x| x.state.as_deref() == Some("Charge") && x.event_id > 0));
}

#[test]
fn waits_catches_and_maps_are_told() {
    let t = told(json!({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 10, "End": true}}}), json!({}));
    assert_eq!(t[1], "`Wait` waits 10 s, until 00:00:10 on the virtual clock.");
    let def = json!({"StartAt": "F", "States": {
        "F": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fallback"}], "End": true},
        "Fallback": {"Type": "Pass", "End": true}}});
    let mocks = json!({"StateMachines": {"M": {"TestCases": {"T": {"F": "R"}}}}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "Nope", "Cause": "no"}}}}});
    let h = history(&def, &json!({"id": 1}), Some((mocks, "T")));
    let t: Vec<String> = narrate(&def.to_string(), &h).into_iter().map(|n| n.text).collect();
    assert!(t.contains(&"`F` failed with Nope (no).".to_string()), "{t:#?}");
    assert!(t.iter().any(|s| s.starts_with("`F`'s Catch takes Nope and sends {\"id\":1,\"error\":{") && s.ends_with("to `Fallback`.")), "{t:#?}");
    let map = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1, "End": true,
        "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": true}}}}}});
    let t = told(map, json!([1, 2]));
    assert_eq!(t[1], "`Each` starts 2 iterations, one at a time.");
    assert_eq!(t[2], "In iteration 0 of `Each`: `Double` passes its input on unchanged.");
    assert!(t.contains(&"Every iteration of `Each` has finished.".to_string()), "{t:#?}");
}

#[test]
fn clock_and_seconds_read_as_people_say_them() {
    assert_eq!(clock(10_000), "00:00:10");
    assert_eq!(clock(3_723_500), "01:02:03.5");
    assert_eq!(seconds(2500), "2.5 s");
}

#[test]
fn jsonata_choices_and_variables_in_rules_are_told() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}});
    let t = told(def, json!({"n": 5}));
    assert!(t[1].starts_with("`Check` went to `Big` because {% $states.input.n > 1 %} is true"), "{t:?}");
    let def = json!({"StartAt": "Keep", "States": {
        "Keep": {"Type": "Pass", "Assign": {"limit": 10}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanPath": "$limit", "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}});
    let t = told(def, json!({"n": 5}));
    assert!(t.contains(&"`Check` took its Default, `Small`, because its rule does not hold: `$.n > $limit` is false (5 is not greater than 10).".to_string()), "{t:#?}");
}
