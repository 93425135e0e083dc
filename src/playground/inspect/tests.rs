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

fn fields(v: &Visit) -> Vec<&'static str> {
    v.steps.iter().map(|s| s.field).collect()
}

fn visit_of(def: &Value, events: &[Value], state: &str) -> Visit {
    explain(&def.to_string(), events, last_visit_of(events, state).unwrap()).unwrap()
}

#[test]
fn each_state_type_shows_only_the_data_flow_fields_it_has() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.x"}, "ResultPath": "$.r", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 1, "InputPath": "$.r", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "S"}], "Default": "F"},
        "S": {"Type": "Succeed", "OutputPath": "$.x"},
        "F": {"Type": "Fail", "Error": "E", "CausePath": "$.x"}}});
    let events = run(&def, json!({"a": {"x": 1}}), None);
    let p = visit_of(&def, &events, "P");
    assert_eq!(fields(&p), ["InputPath", "Parameters", "ResultPath", "OutputPath"]);
    assert_eq!(step(&p, "ResultPath").value, Ok(json!({"a": {"x": 1}, "r": {"x": 1}})));
    // Wait, Choice and Succeed have InputPath and OutputPath only (no Parameters, no ResultPath).
    let w = visit_of(&def, &events, "W");
    assert_eq!(fields(&w), ["InputPath", "OutputPath"]);
    assert_eq!(step(&w, "OutputPath").value, Ok(json!({"x": 1})));
    assert_eq!(w.output_mismatch, None);
    assert_eq!(fields(&visit_of(&def, &events, "C")), ["InputPath", "OutputPath"]);
    let s = visit_of(&def, &events, "S");
    assert_eq!(fields(&s), ["InputPath", "OutputPath"]);
    assert_eq!(step(&s, "OutputPath").value, Ok(json!(1)));
    assert_eq!(s.output, Some(json!(1)));

    // A Fail state has no InputPath, Parameters, ResultPath or OutputPath: Error/ErrorPath and
    // Cause/CausePath over its input.
    let events = run(&def, json!({"a": {"x": 2}}), None);
    let f = visit_of(&def, &events, "F");
    assert_eq!(f.kind, "Fail");
    assert_eq!(fields(&f), ["Error", "CausePath"]);
    assert_eq!(step(&f, "CausePath").definition, Some(json!("$.x")));
    // Over the Fail's own input (no InputPath); a number becomes its JSON text, as the engine
    // writes it.
    assert_eq!(step(&f, "CausePath").value, Ok(json!("2")));
    assert_eq!(f.failure, Some(("E".to_string(), "2".to_string())));

    let def = json!({"QueryLanguage": "JSONata", "StartAt": "F", "States": {
        "F": {"Type": "Fail", "Error": "{% 'E' & $string($states.input.n) %}", "Cause": "plain"}}});
    let events = run(&def, json!({"n": 7}), None);
    let f = visit_of(&def, &events, "F");
    assert_eq!(fields(&f), ["Error", "Cause"]);
    assert_eq!(step(&f, "Error").value, Ok(json!("E7")));
    assert_eq!(f.failure, Some(("E7".to_string(), "plain".to_string())));
}

#[test]
fn a_fail_inside_a_caught_map_iteration_shows_its_error_from_its_fields() {
    // No event records the Fail's error: the iteration fails, the Map's failure is caught.
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs",
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "item"}}},
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Done"}], "End": true},
        "Done": {"Type": "Pass", "End": true}}});
    let events = run(&def, json!({"xs": [1]}), None);
    let f = visit_of(&def, &events, "F");
    assert_eq!(fields(&f), ["Error", "Cause"]);
    assert_eq!(f.failure, Some(("Bad".to_string(), "item".to_string())));
    // The Map's visit: failed (caught), its error read from where the Catcher put it, and no
    // steps past the results (the output is the Catcher's).
    let m = visit_of(&def, &events, "M");
    assert_eq!(m.failure, Some(("Bad".to_string(), "item".to_string())));
    assert_eq!(step(&m, "Iteration results").value, Err("iteration 0 failed".to_string()));
    assert_eq!(fields(&m), ["InputPath", "ItemsPath", "Iteration results"]);
    assert_eq!(m.output.as_ref().map(|o| o["caught"]["Error"].clone()), Some(json!("Bad")));
    assert!(m.exited_event.is_some());
}

#[test]
fn a_parallel_visit_rebuilds_the_branch_results_and_recomputes_its_output() {
    let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel",
        "InputPath": "$.in", "Parameters": {"n.$": "$.n"},
        "Branches": [
            {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 5, "Next": "Double"},
                "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.n, $.n)"}, "End": true}}},
            {"StartAt": "Fast", "States": {"Fast": {"Type": "Pass", "Result": "fast", "End": true}}}],
        "ResultSelector": {"first.$": "$[0].v", "second.$": "$[1]"},
        "ResultPath": "$.out", "OutputPath": "$.out", "End": true}}});
    let events = run(&def, json!({"in": {"n": 4}}), None);
    let v = visit_of(&def, &events, "Both");
    assert_eq!(v.kind, "Parallel");
    assert_eq!(fields(&v), ["InputPath", "Parameters", "Branch results", "ResultSelector", "ResultPath", "OutputPath"]);
    assert_eq!(step(&v, "Parameters").value, Ok(json!({"n": 4})));
    // The second branch finished first; the results are in the definition's order.
    let r = step(&v, "Branch results");
    assert_eq!(r.value, Ok(json!([{"v": 8}, "fast"])));
    assert_eq!(r.source, Source::Recorded);
    assert_eq!(step(&v, "ResultSelector").value, Ok(json!({"first": 8, "second": "fast"})));
    assert_eq!(step(&v, "ResultPath").value, Ok(json!({"in": {"n": 4}, "out": {"first": 8, "second": "fast"}})));
    assert_eq!(step(&v, "OutputPath").value, Ok(json!({"first": 8, "second": "fast"})));
    assert_eq!(step(&v, "OutputPath").source, Source::Recomputed);
    assert_eq!(v.output, Some(json!({"first": 8, "second": "fast"})));
    assert_eq!(v.output_mismatch, None);
    assert!(v.exited_event.is_some() && v.failure.is_none());

    // A recorded output that the steps do not reach is reported, not hidden.
    let mut tampered = events.clone();
    let exited = tampered.iter_mut().find(|e| e["type"] == "ParallelStateExited").unwrap();
    exited["stateExitedEventDetails"]["output"] = json!("{\"first\":0}");
    let v = visit_of(&def, &tampered, "Both");
    assert_eq!(v.output, Some(json!({"first": 0})));
    assert_eq!(v.output_mismatch, Some(json!({"first": 8, "second": "fast"})));

    // A branch's events missing (a partial import): the results cannot be rebuilt. The fields
    // after them still show their text; the output is the recorded one.
    let fast_entered = events.iter().find(|e| e["stateEnteredEventDetails"]["name"] == "Fast").unwrap()["id"].clone();
    let partial: Vec<Value> = events
        .iter()
        .filter(|e| e["id"] != fast_entered && e["previousEventId"] != fast_entered)
        .cloned()
        .collect();
    let v = visit_of(&def, &partial, "Both");
    let r = step(&v, "Branch results");
    assert!(r.value.as_ref().is_err_and(|m| m.contains("branch 2")), "{:?}", r.value);
    let rs = step(&v, "ResultSelector");
    assert!(rs.value.as_ref().is_err_and(|m| m.starts_with("not recomputed")), "{:?}", rs.value);
    assert_eq!(rs.definition, Some(json!({"first.$": "$[0].v", "second.$": "$[1]"})));
    assert!(step(&v, "ResultPath").value.is_err());
    assert_eq!(step(&v, "ResultPath").definition, Some(json!("$.out")));
    let out = step(&v, "OutputPath");
    assert_eq!((&out.value, out.source), (&Ok(json!({"first": 8, "second": "fast"})), Source::Recorded));
    assert_eq!(v.output_mismatch, None);
}

#[test]
fn an_inline_map_visit_rebuilds_the_iteration_results_in_index_order() {
    // Concurrent iterations; the first item waits longest, so the iterations end in reverse.
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 0,
        "ItemSelector": {"n.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "Sleep", "States": {
            "Sleep": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Square"},
            "Square": {"Type": "Pass", "Parameters": {"sq.$": "States.MathAdd($.n, $.i)"}, "End": true}}},
        "ResultSelector": {"all.$": "$[*].sq"}, "ResultPath": "$.r", "End": true}}});
    let events = run(&def, json!({"xs": [30, 20, 10]}), None);
    let v = visit_of(&def, &events, "Each");
    assert_eq!(fields(&v), ["InputPath", "ItemsPath", "ItemSelector", "Iteration results", "ResultSelector", "ResultPath", "OutputPath"]);
    assert_eq!(step(&v, "ItemsPath").value, Ok(json!([30, 20, 10])));
    let sel = step(&v, "ItemSelector");
    assert_eq!(sel.value, Ok(json!([{"n": 30, "i": 0}, {"n": 20, "i": 1}, {"n": 10, "i": 2}])));
    assert_eq!(sel.source, Source::Recorded);
    assert_eq!(step(&v, "Iteration results").value, Ok(json!([{"sq": 30}, {"sq": 21}, {"sq": 12}])));
    assert_eq!(step(&v, "ResultSelector").value, Ok(json!({"all": [30, 21, 12]})));
    assert_eq!(v.output, Some(json!({"xs": [30, 20, 10], "r": {"all": [30, 21, 12]}})));
    assert_eq!(v.output_mismatch, None);
    // The iterations did end in reverse order.
    let exits: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "MapIterationSucceeded")
        .map(|e| e["mapIterationSucceededEventDetails"]["index"].clone())
        .collect();
    assert_eq!(exits, [json!(2), json!(1), json!(0)]);

    // No items: an empty results array.
    let events = run(&def, json!({"xs": []}), None);
    let v = visit_of(&def, &events, "Each");
    assert_eq!(step(&v, "Iteration results").value, Ok(json!([])));
    assert_eq!(v.output, Some(json!({"xs": [], "r": {"all": []}})));
    assert_eq!(v.output_mismatch, None);
}

#[test]
fn jsonata_map_and_parallel_outputs_read_the_rebuilt_results() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {
        "Each": {"Type": "Map", "Items": "{% $states.input.xs %}",
            "ItemProcessor": {"StartAt": "Inc", "States": {"Inc": {"Type": "Pass", "Output": "{% $states.input + 1 %}", "End": true}}},
            "Output": "{% {'sum': $sum($states.result)} %}", "Next": "Both"},
        "Both": {"Type": "Parallel", "Arguments": "{% $states.input.sum %}",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}],
            "Output": "{% $states.result %}", "End": true}}});
    let events = run(&def, json!({"xs": [1, 2, 3]}), None);
    let m = visit_of(&def, &events, "Each");
    assert_eq!(fields(&m), ["Items", "Iteration results", "Output"]);
    assert_eq!(step(&m, "Items").value, Ok(json!([1, 2, 3])));
    assert_eq!(step(&m, "Iteration results").value, Ok(json!([2, 3, 4])));
    assert_eq!(step(&m, "Output").value, Ok(json!({"sum": 9})));
    assert_eq!(m.output_mismatch, None);
    let p = visit_of(&def, &events, "Both");
    assert_eq!(fields(&p), ["Arguments", "Branch results", "Output"]);
    assert_eq!(step(&p, "Arguments").value, Ok(json!(9)));
    assert_eq!(step(&p, "Branch results").value, Ok(json!([18, 9])));
    assert_eq!(p.output, Some(json!([18, 9])));
    assert_eq!(p.output_mismatch, None);

    // Without the iterations' events, an Output that reads $states.result shows the recorded
    // output.
    let partial: Vec<Value> = events.iter().filter(|e| e["type"] != "PassStateExited" || e["stateExitedEventDetails"]["name"] != "Inc").cloned().collect();
    let m = visit_of(&def, &partial, "Each");
    assert!(step(&m, "Iteration results").value.is_err());
    let out = step(&m, "Output");
    assert_eq!((&out.value, out.source), (&Ok(json!({"sum": 9})), Source::Recorded));
}
