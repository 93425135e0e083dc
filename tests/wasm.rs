//! The engine inside headless Chromium (wasm-bindgen-test): `make test` runs this with
//! `cargo test --target wasm32-unknown-unknown --test wasm` and CHROMEDRIVER set.
#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use serde_json::json;
use wasm_bindgen::JsCast;
use sfnsim::ui::{DEFAULT_DEFINITION, DEFAULT_INPUT};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_default_example_runs_in_the_browser() {
    let r = sfnsim::playground::run::run_definition(DEFAULT_DEFINITION, DEFAULT_INPUT, 0).expect("valid example");
    assert_eq!(r.status, "SUCCEEDED");
    assert_eq!(
        r.output,
        Some(json!({"greeting": "Hello, Step Functions!", "name": "Step Functions"}))
    );
    assert_eq!(r.events.len(), 8);
}

#[wasm_bindgen_test]
fn the_default_example_without_a_name_fails_in_its_fail_state() {
    let r = sfnsim::playground::run::run_definition(DEFAULT_DEFINITION, "{}", 0).expect("valid example");
    assert_eq!(r.status, "FAILED");
    assert_eq!(r.error.as_deref(), Some("MissingName"));
    assert_eq!(r.cause.as_deref(), Some("The input has no name to greet"));
}

#[wasm_bindgen_test]
fn a_one_year_wait_finishes_at_once() {
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":31536000,"End":true}}}"#;
    let r = sfnsim::playground::run::run_definition(def, "{}", 0).expect("valid");
    assert_eq!(r.status, "SUCCEEDED");
}

#[wasm_bindgen_test]
fn an_invalid_definition_is_refused_with_aws_code() {
    let e = sfnsim::playground::run::run_definition(r#"{"StartAt":"Nope","States":{}}"#, "{}", 0).unwrap_err();
    assert_eq!(e.code, "InvalidDefinition");
}

/// A JS object from JSON (what a page script passes).
fn js(v: serde_json::Value) -> wasm_bindgen::JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// JSON from what the API answered (plain JS objects, not text).
fn json(v: &wasm_bindgen::JsValue) -> serde_json::Value {
    serde_wasm_bindgen::from_value(v.clone()).unwrap()
}

#[wasm_bindgen_test]
fn the_api_service_runs_in_the_browser() {
    let mut sim = sfnsim::js::Simulator::new(None).unwrap();
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    // The definition may be an object; the service stores its JSON text.
    let req = json!({"name": "M", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/R"});
    let created = json(&sim.call("CreateStateMachine", js(req)).unwrap());
    let sm = created["stateMachineArn"].as_str().unwrap().to_string();
    let started = json(&sim.call("StartExecution", js(json!({"stateMachineArn": sm}))).unwrap());
    let arn = started["executionArn"].as_str().unwrap().to_string();
    // Stepwise: nothing ran yet; an hour on the virtual clock ends the Wait.
    let d = json(&sim.call("DescribeExecution", js(json!({"executionArn": arn}))).unwrap());
    assert_eq!(d["status"], "RUNNING");
    sim.advance(3600.0).unwrap();
    let d = json(&sim.call("DescribeExecution", js(json!({"executionArn": arn}))).unwrap());
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(sim.now(), 1_735_689_600_000.0 + 3_600_000.0);
    let described = json(&sim.call("DescribeStateMachine", js(json!({"stateMachineArn": sm}))).unwrap());
    assert_eq!(described["definition"], def.to_string());
    // An AWS error is thrown as an Error named after AWS's code.
    let e: js_sys::Error = sim.call("DescribeExecution", js(json!({"executionArn": "x"}))).unwrap_err().into();
    assert_eq!(String::from(e.name()), "InvalidArn");
    assert!(String::from(e.message()).starts_with("Invalid Arn"));
}

#[wasm_bindgen_test]
fn validate_gives_lines_and_columns_and_layout_refuses_an_invalid_definition() {
    let text = "{\n  \"StartAt\": \"Nowhere\",\n  \"States\": {}\n}";
    let v = json(&sfnsim::js::validate(wasm_bindgen::JsValue::from_str(text).unchecked_ref(), None).unwrap());
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"][0]["code"], "MISSING_TRANSITION_TARGET");
    assert_eq!((v["diagnostics"][0]["line"].as_u64(), v["diagnostics"][0]["column"].as_u64()), (Some(2), Some(14)));
    let e: js_sys::Error = sfnsim::js::layout(wasm_bindgen::JsValue::from_str(text).unchecked_ref(), None).unwrap_err().into();
    assert_eq!(String::from(e.name()), "InvalidDefinition");
}

#[wasm_bindgen_test]
fn the_diagram_in_the_browser_is_the_native_one() {
    // The scene computed in wasm equals the native snapshot, coordinate for coordinate.
    let scene = sfnsim::playground::diagram::scene(include_str!("graph/order.json")).expect("valid example");
    let snapshot: serde_json::Value =
        serde_json::from_str(include_str!("graph/snapshots/order.json")).unwrap();
    assert_eq!(serde_json::to_value(&scene).unwrap(), snapshot);
    assert!(scene.to_svg().starts_with("<svg"));
}

#[wasm_bindgen_test]
fn a_runaway_jsonata_expression_ends_in_an_error_in_the_browser() {
    // Deep recursion and a huge range end in States.QueryEvaluationError, never a stack overflow
    // (which would kill the page).
    for expr in ["($f := function($n){ $f($n + 1) }; $f(0))", "$count([1..9999999])"] {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": format!("{{% {expr} %}}"), "End": true}}});
        let r = sfnsim::playground::run::run_definition(&def.to_string(), "{}", 0).expect("valid");
        assert_eq!(r.status, "FAILED");
        assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
    }
    let ok = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $sum([1,2,3]) %}", "End": true}}});
    let r = sfnsim::playground::run::run_definition(&ok.to_string(), "{}", 0).expect("valid");
    assert_eq!(r.output, Some(json!(6)));
}

#[wasm_bindgen_test]
fn expressions_that_double_their_values_end_in_the_size_limit_in_the_browser() {
    // Before the size meter these took the page to gigabytes (`RuntimeError: unreachable`) or
    // froze it for half a minute; now each ends in the size limit, within 2 s.
    for expr in [
        "$reduce([1..40], function($a, $i) { [$a, $a] }, [1])",
        "$reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {})",
        "$length($reduce([1..40], function($s, $i) { $s & $s }, 'ab'))",
    ] {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": format!("{{% {expr} %}}"), "End": true}}});
        let started = js_sys::Date::now();
        let r = sfnsim::playground::run::run_definition(&def.to_string(), "{}", 0).expect("valid");
        let took_ms = js_sys::Date::now() - started;
        assert_eq!(r.status, "FAILED", "{expr}");
        assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
        assert!(r.cause.as_deref().unwrap_or("").contains("exceeded its size limit"), "{:?}", r.cause);
        assert!(took_ms < 2_000.0, "{expr} took {took_ms} ms");
    }
}

// The page's reducer, without the DOM: start, step, play ticks, a callback answered, rerun.
mod playground {
    use serde_json::json;
    use sfnsim::ui::state::{Action, Playground, Speed};
    use std::rc::Rc;
    use wasm_bindgen_test::*;
    use yew::Reducible;

    fn status(p: &Playground) -> String {
        p.describe().map(|d| d["status"].as_str().unwrap_or("").to_string()).unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn step_grows_the_history_and_play_finishes_the_run() {
        let def = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 2, "Next": "B"},
            "B": {"Type": "Pass", "End": true}}})
        .to_string();
        let mut p = Rc::new(Playground::new(def, "{}".into(), 0));
        p = p.reduce(Action::Step);
        assert_eq!(p.history().len(), 1);
        assert_eq!(status(&p), "RUNNING");
        let mut last = 1;
        for _ in 0..4 {
            p = p.reduce(Action::Step);
            let n = p.history().len();
            assert!(n > last, "{n} after {last}");
            last = n;
        }
        p = p.reduce(Action::SetSpeed(Speed::X10));
        p = p.reduce(Action::TogglePlay);
        for _ in 0..10 {
            p = p.reduce(Action::Tick(100));
        }
        assert_eq!(status(&p), "SUCCEEDED");
        assert!(!p.playing, "play stops at the end");
        let history = p.history();
        let span = history.last().unwrap()["timestamp"].as_f64().unwrap() - history[0]["timestamp"].as_f64().unwrap();
        assert!((span - 2.0).abs() < 1e-9, "the Wait took {span} s of virtual time");
        let stopped_at = p.now_ms();
        let p = p.reduce(Action::Tick(100));
        assert_eq!(p.now_ms(), stopped_at, "no tick after the end");
        let again = p.reduce(Action::Rerun);
        assert_eq!(status(&again), "RUNNING");
        let again = again.reduce(Action::RunToEnd);
        assert_eq!(again.history(), history, "same seed, same history");
    }

    #[wasm_bindgen_test]
    fn a_callback_waits_for_the_pending_pane_and_bad_definitions_are_refused() {
        let def = json!({"StartAt": "C", "States": {"C": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}})
        .to_string();
        let p = Rc::new(Playground::new(def, "{}".into(), 0));
        let p = p.reduce(Action::Start).reduce(Action::RunToEnd);
        let open = p.pending();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].0, "C");
        let p = p
            .reduce(Action::Success { token: open[0].1.clone(), output: "{\"ok\":1}".into() })
            .reduce(Action::RunToEnd);
        assert_eq!(status(&p), "SUCCEEDED");
        assert!(p.pending().is_empty());
        let p = p.reduce(Action::SetDefinition("{\"StartAt\": \"Nope\", \"States\": {}}".into())).reduce(Action::Start);
        assert_eq!(p.refused.as_ref().map(|r| r.0.as_str()), Some("InvalidDefinition"));
    }

    #[wasm_bindgen_test]
    fn console_lines_run_against_the_same_service_and_are_selected() {
        let p = Rc::new(Playground::new("{}".into(), "{}".into(), 0));
        let def = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":7,"End":true}}}"#;
        let p = p.reduce(Action::Console(format!(
            "aws stepfunctions create-state-machine --name C --definition '{def}' --role-arn arn:aws:iam::123456789012:role/R"
        )));
        let arn = p.console[0].1.as_ref().unwrap()["stateMachineArn"].as_str().unwrap().to_string();
        let p = p.reduce(Action::Console(format!("aws stepfunctions start-execution --state-machine-arn {arn} --name x")));
        assert!(p.selected.as_deref().is_some_and(|s| s.ends_with(":C:x")));
        let p = p.reduce(Action::RunToEnd);
        assert_eq!(status(&p), "SUCCEEDED");
        assert_eq!(p.executions().len(), 1);
        let p = p.reduce(Action::Console("aws stepfunctions describe-execution --execution-arn nope".into()));
        assert!(p.console[2].1.as_ref().unwrap_err().starts_with("An error occurred (InvalidArn)"));
    }

    #[wasm_bindgen_test]
    fn an_imported_history_steps_like_a_run_and_an_edited_world_answers_the_rerun() {
        let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}).to_string();
        let history = json!({"events": [
            {"id": 1, "previousEventId": 0, "timestamp": "2025-01-01T00:00:00Z", "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
            {"id": 2, "previousEventId": 0, "timestamp": "2025-01-01T00:00:01Z", "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A", "input": "{}"}},
            {"id": 3, "previousEventId": 2, "timestamp": "2025-01-01T00:00:01Z", "type": "PassStateExited", "stateExitedEventDetails": {"name": "A", "output": "{}"}},
            {"id": 4, "previousEventId": 3, "timestamp": "2025-01-01T00:00:02Z", "type": "ExecutionSucceeded", "executionSucceededEventDetails": {"output": "{}"}}
        ]});
        let p = Rc::new(Playground::new(def, "{}".into(), 0));
        let bad = p.clone().reduce(Action::Import("[]".into()));
        assert!(bad.import_error.is_some() && bad.imported.is_none());
        let p = p.reduce(Action::Import(history.to_string()));
        assert_eq!(p.history().len(), 0);
        let p = p.reduce(Action::Step).reduce(Action::Step);
        assert_eq!(p.history().len(), 2);
        assert_eq!(p.active_states(), ["A"]);
        assert_eq!(status(&p), "RUNNING");
        let p = p.reduce(Action::RunToEnd);
        assert_eq!(status(&p), "SUCCEEDED");
        assert_eq!(p.history()[3]["timestamp"], json!(1735689602.0));
        let p = p.reduce(Action::InspectState("A".into()));
        let v = p.inspection(&p.history_rc()).unwrap();
        assert_eq!(v.as_ref().as_ref().unwrap().state, "A");
        let p = p.reduce(Action::LeaveImport);
        assert!(p.imported.is_none());

        // A responder added after the machine exists answers the rerun's callback.
        let cb = json!({"StartAt": "C", "States": {"C": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}).to_string();
        let p = p.reduce(Action::SetDefinition(cb)).reduce(Action::Start).reduce(Action::Pause);
        let mut world = sfnsim::sim::WorldSpec::default();
        world.responders.push(serde_json::from_value(json!({"delaySeconds": 3, "answer": {"kind": "succeed", "output": {"ok": 1}}})).unwrap());
        let p = p.reduce(Action::SetWorld(world)).reduce(Action::Rerun).reduce(Action::RunToEnd);
        assert_eq!(status(&p), "SUCCEEDED");
    }
}
