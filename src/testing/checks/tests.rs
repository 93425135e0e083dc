//! Each check kind, passing and failing, with its why; reading checks from JSON, with the errors.

use super::*;
use crate::service::{Service, ServiceConfig};
use serde_json::json;

/// Runs `def` on `input` in a service (with an optional mock test case) and returns the facts.
fn run_with(def: &Value, input: &Value, mocks: Option<(Value, &str)>) -> RunFacts {
    let mut s = Service::new(ServiceConfig { mock_config: mocks.as_ref().map(|(m, _)| m.clone()), ..Default::default() });
    let role = s.scope().role("R");
    let text = def.to_string();
    let created = s.call("CreateStateMachine", &json!({"name": "M", "definition": text, "roleArn": role})).unwrap();
    let mut arn = created["stateMachineArn"].as_str().unwrap().to_string();
    if let Some((_, tc)) = &mocks {
        arn = format!("{arn}#{tc}");
    }
    let started = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": input.to_string()})).unwrap();
    let exec = started["executionArn"].as_str().unwrap().to_string();
    s.run_to_quiescence(i64::MAX / 2);
    RunFacts::from_service(&s, &exec, &text).unwrap()
}

fn run(def: Value, input: Value) -> RunFacts {
    run_with(&def, &input, None)
}

fn check(c: Value, f: &RunFacts) -> CheckResult {
    let c: Check = serde_json::from_value(c).unwrap();
    evaluate(&[c], f).remove(0)
}

fn choice_machine() -> Value {
    json!({"StartAt": "IsBig", "States": {
        "IsBig": {"Type": "Choice", "Choices": [{"Variable": "$.total", "NumericGreaterThan": 1000, "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Pass", "End": true},
        "Small": {"Type": "Pass", "Result": {"size": "small", "n": 1}, "End": true}}})
}

/// A Charge task that is throttled `fails` times before it answers.
fn flaky(retry: Value, fails: usize) -> RunFacts {
    let def = json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "Retry": retry, "End": true}}});
    let mut responses = serde_json::Map::new();
    for i in 0..fails {
        responses.insert(i.to_string(), json!({"Throw": {"Error": "Throttled", "Cause": "slow down"}}));
    }
    responses.insert(fails.to_string(), json!({"Return": {"Payload": {"ok": true}}}));
    let mocks = json!({"StateMachines": {"M": {"TestCases": {"T": {"Charge": "R"}}}}, "MockedResponses": {"R": responses}});
    run_with(&def, &json!({}), Some((mocks, "T")))
}

#[test]
fn status_says_how_the_execution_ended() {
    let ok = run(choice_machine(), json!({"total": 250}));
    let r = check(json!({"status": "SUCCEEDED"}), &ok);
    assert!(r.passed, "{r:?}");
    assert_eq!(r.check, "status is SUCCEEDED");
    assert!(r.why.contains("SUCCEEDED after `Small`"), "{}", r.why);
    let failed = run(json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}), json!({}));
    let r = check(json!({"status": "SUCCEEDED", "message": "make it work"}), &failed);
    assert!(!r.passed);
    assert_eq!(r.why, "expected SUCCEEDED, the execution FAILED in `F` (event 2) with Boom: it broke");
    assert_eq!((r.state.as_deref(), r.event_id, r.message.as_deref()), (Some("F"), Some(2), Some("make it work")));
}

#[test]
fn output_and_output_contains_say_where_they_differ() {
    let f = run(choice_machine(), json!({"total": 5}));
    assert!(check(json!({"output": {"size": "small", "n": 1.0}}), &f).passed, "numbers by value");
    let r = check(json!({"output": {"size": "big", "n": 1}}), &f);
    assert!(!r.passed);
    assert!(r.why.starts_with("the output differs: $.size is \"small\", expected \"big\""), "{}", r.why);
    assert_eq!(r.state.as_deref(), Some("Small"));
    assert!(check(json!({"outputContains": {"size": "small"}}), &f).passed);
    let r = check(json!({"outputContains": {"extra": true}}), &f);
    assert!(!r.passed && r.why.contains("$.extra is missing"), "{}", r.why);
    let r = check(json!({"output": {"size": "small"}}), &f);
    assert!(!r.passed && r.why.contains("$.n is there but not expected"), "{}", r.why);
    // Arrays element by element.
    assert!(contains(&json!([{"a": 1}, {}]), &json!([{"a": 1, "b": 2}, {"c": 3}])).is_ok());
    assert_eq!(contains(&json!([1]), &json!([1, 2])).unwrap_err(), "$ has 2 items, expected 1");
    assert_eq!(equal(&json!({"a b": [1, 2]}), &json!({"a b": [1, 3]})).unwrap_err(), "$['a b'][1] is 3, expected 2");
}

#[test]
fn error_and_cause_name_the_failing_state() {
    let f = run(json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}), json!({}));
    let r = check(json!({"error": "Boom"}), &f);
    assert!(r.passed && r.why.contains("in `F`"), "{}", r.why);
    let r = check(json!({"error": "Other"}), &f);
    assert!(!r.passed && r.why.starts_with("expected error Other, the execution FAILED in `F`"), "{}", r.why);
    assert!(check(json!({"cause": "broke"}), &f).passed);
    let r = check(json!({"cause": "fixed"}), &f);
    assert!(!r.passed && r.why.starts_with("the cause does not contain \"fixed\""), "{}", r.why);
    let ok = run(choice_machine(), json!({"total": 5}));
    let r = check(json!({"error": "Boom"}), &ok);
    assert!(!r.passed && r.why.contains("SUCCEEDED"), "{}", r.why);
}

#[test]
fn visited_says_which_choice_rule_decided() {
    let f = run(choice_machine(), json!({"total": 250}));
    let r = check(json!({"visited": "Big"}), &f);
    assert!(!r.passed);
    assert_eq!(
        r.why,
        "`Big` was never entered: the Choice `IsBig` took its Default, `Small`, because its rule does not hold: `$.total > 1000` is false (250 is not greater than 1000)"
    );
    assert_eq!((r.state.as_deref(), r.event_id), (Some("IsBig"), Some(2)));
    let r = check(json!({"visited": "Small"}), &f);
    assert!(r.passed && r.why.starts_with("`Small` was entered at event 4"), "{}", r.why);
    assert!(check(json!({"notVisited": "Big"}), &f).passed);
    let big = run(choice_machine(), json!({"total": 2000}));
    let r = check(json!({"notVisited": "Big"}), &big);
    assert!(!r.passed);
    assert!(r.why.ends_with("`IsBig` compared $.total with 1000: 2000 is greater than 1000, so it went to `Big`"), "{}", r.why);
    let r = check(json!({"visited": "Bgi"}), &big);
    assert!(!r.passed && r.why == "there is no state `Bgi` in the definition (did you mean `Big`?)", "{}", r.why);
}

#[test]
fn attempts_count_retries_and_say_what_the_retry_allows() {
    let retry = json!([{"ErrorEquals": ["Throttled"], "IntervalSeconds": 1, "MaxAttempts": 4}]);
    let f = flaky(retry, 4);
    let r = check(json!({"attempts": {"state": "Charge", "max": 3}}), &f);
    assert!(!r.passed);
    assert_eq!(r.why, "`Charge` was tried 5 times, the check allows at most 3: its Retry on Throttled has MaxAttempts 4 (up to 5 attempts)");
    assert_eq!(r.check, "`Charge` is attempted at most 3 times");
    assert!(r.event_id.is_some());
    let r = check(json!({"attempts": {"state": "Charge", "min": 5, "max": 5}}), &f);
    assert!(r.passed && r.why.starts_with("`Charge` was tried 5 times (4 retries)"), "{}", r.why);
    let once = flaky(json!([]), 0);
    let r = check(json!({"attempts": {"state": "Charge", "min": 2}}), &once);
    assert!(!r.passed && r.why == "`Charge` was tried once, the check wants at least 2: it has no Retry", "{}", r.why);
    let r = check(json!({"attempts": {"state": "Nope", "max": 1}}), &once);
    assert!(!r.passed && r.why.starts_with("there is no state `Nope`"), "{}", r.why);
}

#[test]
fn transitions_and_duration_count_on_the_virtual_clock() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 7, "Next": "B"}, "B": {"Type": "Pass", "End": true}}});
    let f = run(def, json!({}));
    assert!(check(json!({"transitions": {"max": 2}}), &f).passed);
    let r = check(json!({"transitions": {"max": 1}}), &f);
    assert!(!r.passed && r.why.starts_with("the run entered 2 states, the check allows at most 1"), "{}", r.why);
    let r = check(json!({"duration": {"max": 7}}), &f);
    assert!(r.passed && r.why == "the run took 7 s of virtual time", "{}", r.why);
    let r = check(json!({"duration": {"max": 5}}), &f);
    assert!(!r.passed);
    assert_eq!(r.why, "the run took 7 s of virtual time, the check allows at most 5 s: the time went to `A` (7 s)");
    assert_eq!(r.state.as_deref(), Some("A"));
    let r = check(json!({"duration": {"min": 10, "max": 10}}), &f);
    assert!(!r.passed && r.why.ends_with("the check wants exactly 10 s"), "{}", r.why);
}

#[test]
fn uses_finds_fields_types_and_functions() {
    let def = json!({"QueryLanguage": "JSONPath", "StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"Retry": 1, "msg.$": "States.Format('{}', $.x)"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "P"}], "End": true},
            "P": {"Type": "Pass", "End": true}}}}}});
    let f = RunFacts { definition: def.to_string(), ..Default::default() };
    let yes = |w: &str| check(json!({"uses": w}), &f);
    assert_eq!(yes("Map").why, "`M` is a Map state");
    assert_eq!(yes("Catch").why, "`T` has Catch");
    assert_eq!(yes("ResultPath").why, "`T` has ResultPath", "a Catcher's field");
    assert_eq!(yes("QueryLanguage").why, "the definition has QueryLanguage at the top level");
    assert!(yes("States.Format").passed && yes("States.ALL").passed);
    // A key inside a payload is data, not a field.
    let r = yes("Retry");
    assert!(!r.passed && r.why == "no state has Retry", "{}", r.why);
    assert_eq!(yes("parallel").why, "no state has parallel");
    assert_eq!(yes("Parallel").why, "the definition has no Parallel state");
    assert_eq!(yes("catch").why, "no state has catch; `T` has `Catch`, but field names are case-sensitive");
}

#[test]
fn query_language_checks_every_state() {
    let facts = |d: Value| RunFacts { definition: d.to_string(), ..Default::default() };
    let mixed = facts(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}));
    let r = check(json!({"queryLanguage": "JSONata"}), &mixed);
    assert!(!r.passed && r.why.starts_with("`B` uses JSONPath"), "{}", r.why);
    let top = facts(json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}));
    let r = check(json!({"queryLanguage": "JSONata"}), &top);
    assert!(r.passed && r.why == "the only state evaluates in JSONata (QueryLanguage JSONata at the top level)", "{}", r.why);
}

#[test]
fn checks_apply_to_their_input_only() {
    let f = run(choice_machine(), json!({"total": 5})).with_input(Some("small"));
    let checks: Vec<Check> = serde_json::from_value(json!([{"status": "SUCCEEDED", "input": "big"}, {"status": "SUCCEEDED", "input": "small"}, {"status": "SUCCEEDED"}])).unwrap();
    let results = evaluate(&checks, &f);
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.input.as_deref() == Some("small")));
}

#[test]
fn checks_read_from_json_with_clear_errors() {
    let read = |v: Value| Check::try_from(v);
    let c = read(json!({"attempts": {"state": "C", "max": 3}, "message": "m", "input": "i"})).unwrap();
    assert_eq!(c.kind, CheckKind::Attempts { state: "C".into(), min: None, max: Some(3) });
    assert_eq!(Value::from(c.clone()), json!({"attempts": {"state": "C", "max": 3}, "message": "m", "input": "i"}));
    assert_eq!(serde_json::from_value::<Check>(serde_json::to_value(&c).unwrap()).unwrap(), c);
    assert_eq!(read(json!({"stauts": "SUCCEEDED"})).unwrap_err(), format!("unknown check kind `stauts` (did you mean `status`?); the kinds are {}", KINDS.join(", ")));
    assert_eq!(read(json!({"status": "OK"})).unwrap_err(), "`status` takes one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING, not \"OK\"");
    assert_eq!(read(json!({"status": "FAILED", "error": "E"})).unwrap_err(), "one kind per check: `status` and `error` are in the same object; write one check each");
    assert_eq!(read(json!({"message": "m"})).unwrap_err(), "a check needs a kind (status, output, visited, …), not only message or input");
    assert_eq!(read(json!({"attempts": {"state": "C", "maxx": 3}})).unwrap_err(), "`attempts` takes state, min, max, not `maxx`");
    assert_eq!(read(json!({"transitions": {}})).unwrap_err(), "`transitions` needs `min`, `max` or both");
    assert_eq!(read(json!({"duration": {"min": 5, "max": 1}})).unwrap_err(), "`duration`'s `min` (5) is more than its `max` (1)");
    assert_eq!(read(json!({"queryLanguage": "jsonata"})).unwrap_err(), "`queryLanguage` takes \"JSONata\" or \"JSONPath\", not \"jsonata\"");
    assert_eq!(read(json!("status")).unwrap_err(), "a check is an object such as {\"status\": \"SUCCEEDED\"}, not \"status\"");
    assert_eq!(read(json!({"visited": 3})).unwrap_err(), "`visited` takes a state name, not 3");
}

#[test]
fn facts_read_from_events_alone() {
    let f = run(json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}), json!({}));
    let again = RunFacts::from_events(&f.definition, f.events.iter().rev().cloned().collect());
    assert_eq!(again, f);
    assert_eq!((again.status.as_str(), again.error.as_deref(), again.cause.as_deref()), ("FAILED", Some("E"), Some("c")));
    let running = RunFacts::from_events("{}", f.events[..2].to_vec());
    assert_eq!(running.status, "RUNNING");
}

#[test]
fn events_counts_each_type_and_names_a_misspelt_one() {
    let f = run(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}), json!({}));
    let r = check(json!({"events": {"PassStateEntered": 2, "ExecutionSucceeded": 1}}), &f);
    assert!(r.passed, "{}", r.why);
    assert_eq!(r.check, "exactly 2 PassStateEntered events, exactly 1 ExecutionSucceeded event");
    assert_eq!(r.why, "the history has 2 PassStateEntered events (#2, #4); 1 ExecutionSucceeded event (#6)");
    let r = check(json!({"events": {"PassStateEntered": {"max": 1}}}), &f);
    assert!(!r.passed);
    assert!(r.why.starts_with("the history has 2 PassStateEntered events (#2, #4), the check allows at most 1"), "{}", r.why);
    assert_eq!(r.event_id, Some(4), "the first event too many");
    let r = check(json!({"events": {"TaskFailed": {"min": 1}}}), &f);
    assert!(!r.passed && r.why.starts_with("the history has 0 TaskFailed events, the check wants at least 1"), "{}", r.why);
    let read = |v: Value| Check::try_from(v);
    assert_eq!(read(json!({"events": {"TaskFailled": 3}})).unwrap_err(), "`events`: `TaskFailled` is not an AWS history event type (did you mean `TaskFailed`?)");
    assert_eq!(read(json!({"events": {"TaskFailed": -1}})).unwrap_err(), "`events`' `TaskFailed` is a whole number, not -1");
    assert_eq!(read(json!({"events": {}})).unwrap_err(), "`events` needs at least one event type, such as {\"TaskFailed\": 3}");
    let c = read(json!({"events": {"TaskFailed": 3, "TaskSucceeded": {"min": 1}}})).unwrap();
    assert_eq!(Value::from(c), json!({"events": {"TaskFailed": 3, "TaskSucceeded": {"min": 1}}}));
}
