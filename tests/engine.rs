//! Engine behaviour through its public stepping API and the task seam.

use serde_json::{json, Value};
use sfnsim::service::load_definition;
use sfnsim::asl::validate::MachineType;
use sfnsim::engine::{Config, Execution, Status};

fn exec(def: Value, input: Value) -> Execution {
    let machine =
        load_definition(&def.to_string(), MachineType::Standard).expect("valid definition");
    Execution::new(machine, &input.to_string(), input, Config::default())
}

fn types(e: &Execution) -> Vec<&'static str> {
    e.history().iter().map(|e| e.kind).collect()
}

fn token(e: &Execution) -> String {
    e.pending_tasks()
        .next()
        .expect("a pending task")
        .token
        .clone()
}

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

#[test]
fn a_task_nobody_answers_waits_and_an_answer_finishes_it() {
    let mut e = exec(
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.r", "End": true}}}),
        json!({"a": 1}),
    );
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Running);
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted"
        ]
    );
    assert_eq!(
        e.active_states()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        ["T"]
    );
    let t = token(&e);
    e.task_succeeded(&t, json!({"ok": true})).unwrap();
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.output(), Some(&json!({"a": 1, "r": {"ok": true}})));
    assert_eq!(
        types(&e)[4..],
        [
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    // The token is spent: answering again is refused.
    assert!(e.task_succeeded(&t, json!({})).is_err());
}

#[test]
fn retry_backs_off_on_the_virtual_clock_then_catch_takes_over() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": LAMBDA,
              "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "BackoffRate": 1.5, "MaxAttempts": 2}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handled"}], "End": true},
        "Handled": {"Type": "Pass", "End": true}}});
    let mut e = exec(def, json!({}));
    let start = e.now_ms();
    let mut retry_times = Vec::new();
    for _ in 0..3 {
        e.run_to_quiescence();
        retry_times.push(e.now_ms() - start);
        let t = token(&e);
        e.task_failed(&t, Some("Boom".into()), Some("it broke".into()))
            .unwrap();
    }
    e.run_to_quiescence();
    assert_eq!(retry_times, [0, 3_000, 7_500], "waits of 3 s then 4.5 s");
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(
        e.output(),
        Some(&json!({"err": {"Error": "Boom", "Cause": "it broke"}}))
    );
    let scheduled = types(&e)
        .iter()
        .filter(|t| **t == "LambdaFunctionScheduled")
        .count();
    assert_eq!(scheduled, 3);
    assert_eq!(
        types(&e)
            .iter()
            .filter(|t| **t == "TaskStateEntered")
            .count(),
        1,
        "no new Entered event on retry"
    );
}

#[test]
fn heartbeat_expiry_is_a_timeout_that_heartbeats_postpone() {
    let act = "arn:aws:states:us-east-1:123456789012:activity:a";
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "HeartbeatSeconds": 10, "TimeoutSeconds": 100, "End": true}}});
    let mut e = exec(def, json!({}));
    e.run_until(e.now_ms());
    let t = token(&e);
    let t0 = e.now_ms();
    e.task_started(&t, Some("worker-1".into())).unwrap();
    e.run_until(t0 + 8_000);
    e.task_heartbeat(&t).unwrap();
    e.run_until(t0 + 16_000);
    assert_eq!(
        e.status(),
        Status::Running,
        "the heartbeat at 8 s moved the deadline to 18 s"
    );
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Failed);
    assert_eq!(e.now_ms() - t0, 18_000);
    assert_eq!(
        e.failure().unwrap().error.as_deref(),
        Some("States.Timeout")
    );
    assert!(types(&e).contains(&"ActivityTimedOut"));
    assert!(types(&e).contains(&"ActivityStarted"));
}

#[test]
fn a_one_year_wait_moves_the_virtual_clock_only() {
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31_536_000, "End": true}}});
    let mut e = exec(def, json!({"x": 1}));
    let wall = std::time::Instant::now();
    e.run_to_quiescence();
    assert!(wall.elapsed().as_secs() < 1);
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.now_ms() - e.config().start_time_ms, 31_536_000_000);
}

#[test]
fn same_seed_same_history_byte_for_byte() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 2, "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 1, "End": true}}}], "End": true}}});
    let render = || {
        let mut e = exec(def.clone(), json!({}));
        e.run_to_quiescence();
        serde_json::to_string(&e.report().events).unwrap()
    };
    assert_eq!(render(), render());
}

#[test]
fn stop_writes_execution_aborted_pointing_at_zero() {
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let mut e = exec(def, json!({}));
    e.run_until(e.now_ms());
    e.stop(None, None);
    assert_eq!(e.status(), Status::Aborted);
    let last = e.history().last().unwrap();
    assert_eq!((last.kind, last.previous), ("ExecutionAborted", 0));
}

#[test]
fn parallel_output_is_in_branch_order_and_active_states_include_branches() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 5, "End": true}}},
        {"StartAt": "Fast", "States": {"Fast": {"Type": "Pass", "Result": "fast", "End": true}}}], "End": true}}});
    let mut e = exec(def, json!("in"));
    e.run_until(e.now_ms() + 1_000);
    let active: Vec<String> = e.active_states().iter().map(|s| s.to_string()).collect();
    assert!(
        active.contains(&"P".to_string()) && active.contains(&"Slow".to_string()),
        "{active:?}"
    );
    e.run_to_quiescence();
    assert_eq!(e.output(), Some(&json!(["in", "fast"])));
}

#[test]
fn the_history_stops_at_25000_events_and_the_execution_fails() {
    let def = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 1_000_000, "Next": "Done"}], "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}});
    let mut e = exec(def, json!({}));
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Failed);
    assert_eq!(e.history().len(), 25_000);
    assert_eq!(e.history().last().unwrap().kind, "ExecutionFailed");
    assert_eq!(
        e.failure().unwrap().error.as_deref(),
        Some("States.Runtime")
    );
}

#[test]
fn inline_iterations_read_outer_variables_distributed_children_do_not() {
    let def = |mode: &str| {
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"greeting": "hi"}, "Next": "M"},
            "M": {"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": if mode == "INLINE" { json!({"Mode": mode}) } else { json!({"Mode": mode, "ExecutionType": "STANDARD"}) },
                "StartAt": "Use", "States": {"Use": {"Type": "Pass", "Parameters": {"g.$": "$greeting"}, "End": true}}}}}})
    };
    let mut inline = exec(def("INLINE"), json!([1]));
    inline.run_to_quiescence();
    assert_eq!(inline.status(), Status::Succeeded);
    assert_eq!(inline.output(), Some(&json!([{"g": "hi"}])));
    let mut distributed = exec(def("DISTRIBUTED"), json!([1]));
    distributed.run_to_quiescence();
    assert_eq!(distributed.status(), Status::Failed);
}

#[test]
fn a_map_item_names_its_source_state_data_when_the_items_are_the_state_input() {
    // AWS's context-object page: $$.Map.Item.Source is "STATE_DATA" for items from the input.
    let mut e = exec(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs",
            "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "from.$": "$$.Map.Item.Source"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}),
        json!({"xs": ["a", "b"]}),
    );
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.output(), Some(&json!([{"v": "a", "i": 0, "from": "STATE_DATA"}, {"v": "b", "i": 1, "from": "STATE_DATA"}])));
}
