//! Mocked service integrations: what a Task state's service call returns, chosen per state and per
//! call. Two sources fill the same table:
//! - a Step Functions Local mock configuration (`StateMachines` → `TestCases` → state → mocked
//!   response; responses keyed "0", "1-2", ... with `Return` or `Throw`), for one test case;
//! - a recorded AWS execution (the conformance corpus's `mock_results`), replayed call by call with
//!   the exact service-side events AWS wrote (a worker picking an activity up, a callback's
//!   submission, a timeout).

use crate::engine::lambda_invoke::{self, python_json};
use crate::engine::{Execution, PendingTask};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// One thing the outside world does to an open task.
#[derive(Debug, Clone, PartialEq)]
pub enum MockStep {
    /// A worker took the activity task (ActivityStarted with its name).
    Start { worker_name: Option<String> },
    /// The call behind a `.waitForTaskToken` task returned this (TaskSubmitted).
    Submit(Value),
    Succeed(Value),
    Fail {
        error: Option<String>,
        cause: Option<String>,
    },
    /// Nobody answers: the task's TimeoutSeconds or HeartbeatSeconds timer ends it.
    Silence,
}

/// What one call of a state gets: the steps, in order, all at the moment the task opens.
pub type MockResponse = Vec<MockStep>;

/// Mocked responses for one execution, by state name and call number.
#[derive(Debug, Clone, Default)]
pub struct Mocks {
    by_state: HashMap<String, Vec<Option<MockResponse>>>,
    calls: HashMap<String, usize>,
    answered: HashSet<String>,
    /// Answer Lambda calls of states with no recorded answers as an echo (the recordings hold no
    /// child-execution calls of a Distributed Map; the recorded functions echoed their input).
    pub echo_unrecorded: bool,
}

/// Why a mock configuration was refused: a JSON pointer and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfigError {
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for MockConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}", self.message, self.pointer)
    }
}

fn config_error(pointer: String, message: impl Into<String>) -> MockConfigError {
    MockConfigError {
        pointer,
        message: message.into(),
    }
}

/// JSON pointer escaping of one key.
fn esc(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Mocks {
    pub fn is_empty(&self) -> bool {
        self.by_state.is_empty()
    }

    /// Mocks `state`'s calls in order (call 0 first).
    pub fn set(&mut self, state: &str, responses: Vec<MockResponse>) {
        self.by_state
            .insert(state.to_string(), responses.into_iter().map(Some).collect());
    }

    /// The mocks of one test case of a Step Functions Local mock configuration. `Ok(None)` when
    /// the configuration has no such machine or test case.
    pub fn from_sfn_local(
        config: &Value,
        state_machine: &str,
        test_case: &str,
    ) -> Result<Option<Mocks>, MockConfigError> {
        check_sfn_local(config)?;
        let Some(case) = config["StateMachines"][state_machine]["TestCases"][test_case].as_object()
        else {
            return Ok(None);
        };
        let mut mocks = Mocks::default();
        for (state, response_name) in case {
            let name = response_name.as_str().unwrap_or_default();
            let responses = &config["MockedResponses"][name];
            let table = parse_responses(
                responses,
                &format!("/MockedResponses/{}", esc(name)),
            )?;
            mocks.by_state.insert(state.clone(), table);
        }
        Ok(Some(mocks))
    }

    /// The mocks that replay a recorded execution's service-side events (`mock_results` of a
    /// conformance case: per state, the events of every call in order).
    pub fn from_recording(mock_results: &Value) -> Mocks {
        let mut mocks = Mocks {
            echo_unrecorded: true,
            ..Mocks::default()
        };
        for entry in mock_results.as_array().into_iter().flatten() {
            let state = entry["state"].as_str().unwrap_or_default().to_string();
            let calls = mocks.by_state.entry(state).or_default();
            for event in entry["events"].as_array().into_iter().flatten() {
                let ty = event["type"].as_str().unwrap_or_default();
                if ty.ends_with("Scheduled") {
                    calls.push(Some(Vec::new()));
                    continue;
                }
                let Some(Some(call)) = calls.last_mut() else {
                    continue;
                };
                let payload = |key: &str| event.get(key).cloned().unwrap_or(Value::Null);
                let text = |key: &str| match event.get(key) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    // A Lambda function ARN's error is the text its (Python) runtime wrote;
                    // lambda:invoke re-encodes it compactly.
                    Some(v) if ty == "LambdaFunctionFailed" => Some(python_json(v)),
                    Some(v) => Some(v.to_string()),
                };
                match ty {
                    "ActivityStarted" => call.push(MockStep::Start {
                        worker_name: text("workerName"),
                    }),
                    "TaskSubmitted" => call.push(MockStep::Submit(payload("output"))),
                    t if t.ends_with("Succeeded") => call.push(MockStep::Succeed(payload("output"))),
                    t if t.ends_with("TimedOut") => call.push(MockStep::Silence),
                    t if t.ends_with("Failed") => call.push(MockStep::Fail {
                        error: text("error"),
                        cause: text("cause"),
                    }),
                    _ => {}
                }
            }
        }
        mocks
    }

    /// Whether `state` has a mocked response (for its next call or any call).
    pub fn covers(&self, state: &str) -> bool {
        self.by_state.contains_key(state)
    }

    /// Answers every open task of `exec` whose state is mocked. Returns how many tasks it touched.
    /// A mocked state called more often than its responses cover fails with States.Runtime-like
    /// text naming the call, as SFN Local does when a number is missing.
    pub fn respond(&mut self, exec: &mut Execution) -> usize {
        let open: Vec<PendingTask> = exec
            .pending_tasks()
            .filter(|t| !self.answered.contains(&t.token))
            .cloned()
            .collect();
        let mut touched = 0;
        for task in open {
            let state = task.state_name.to_string();
            let Some(table) = self.by_state.get_mut(&state) else {
                continue;
            };
            let n = self.calls.entry(state.clone()).or_insert(0);
            let call = *n;
            *n += 1;
            self.answered.insert(task.token.clone());
            touched += 1;
            let steps = match table.get_mut(call).and_then(Option::take) {
                Some(steps) => steps,
                None => vec![MockStep::Fail {
                    error: Some("States.Runtime".into()),
                    cause: Some(format!(
                        "No mocked response for call {call} of state '{state}' in the mock configuration."
                    )),
                }],
            };
            apply(exec, &task, steps);
        }
        touched
    }
}

/// What the world answers by default for a call nobody mocked (the service's `Unmocked::Echo`):
/// a Lambda function returns its input; `lambda:invoke` an Invoke response whose Payload is the
/// request's Payload (`engine::lambda_invoke`); other integrations `{}`. A `.waitForTaskToken` call is only submitted: it
/// then waits for its token. Activities wait for a worker. True when it touched the task.
pub fn default_answer(exec: &mut Execution, t: &PendingTask) -> bool {
    use crate::engine::tasks::Pattern;
    use crate::engine::TaskKind;
    use serde_json::json;
    match &t.kind {
        TaskKind::Activity => false,
        TaskKind::Lambda => exec.task_succeeded(&t.token, (*t.input).clone()).is_ok(),
        TaskKind::Integration {
            resource_type,
            resource,
            pattern,
        } => {
            let response = if resource_type == "lambda" && resource.starts_with("invoke") {
                let event = lambda_invoke::event_of(&t.input);
                lambda_invoke::response(event, exec.now_ms(), &t.token)
            } else {
                json!({})
            };
            if *pattern == Pattern::WaitForTaskToken {
                exec.task_submitted(&t.token, response).is_ok()
            } else {
                exec.task_succeeded(&t.token, response).is_ok()
            }
        }
    }
}

/// Plays the steps of one response on an open task.
/// A mocked value may be written in JSONata over the task's input (`$states.input`), which Step
/// Functions Local cannot do: `{"Return": "{% {'sum': $states.input.a + $states.input.b} %}"}`.
fn mock_value(exec: &Execution, task: &PendingTask, v: Value) -> Result<Value, String> {
    if !crate::asl::query::has_expression(&v) {
        return Ok(v);
    }
    let states = serde_json::json!({"input": (*task.input).clone()});
    let lookup = |name: &str| (name == "states").then(|| states.clone());
    // Deterministic per task: a generator seeded from the token.
    let mut seed = task.token.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut env = crate::asl::query::QueryEnv {
        bindings: &lookup,
        now_ms: exec.now_ms(),
        random: &mut random,
    };
    crate::asl::query::evaluate_template(&v, &mut env)
}

fn apply(exec: &mut Execution, task: &PendingTask, steps: MockResponse) {
    let token = task.token.as_str();
    for step in steps {
        let step = match step {
            MockStep::Succeed(v) => match mock_value(exec, task, v) {
                Ok(v) => MockStep::Succeed(v),
                Err(cause) => MockStep::Fail {
                    error: Some(crate::asl::errors::QUERY_EVALUATION_ERROR.into()),
                    cause: Some(format!("Mocked response of state '{}': {cause}", task.state_name)),
                },
            },
            MockStep::Fail { error, cause } => {
                let text = |t: Option<String>| -> Option<String> {
                    t.map(|s| match mock_value(exec, task, Value::String(s.clone())) {
                        Ok(Value::String(x)) => x,
                        Ok(other) => other.to_string(),
                        Err(e) => e,
                    })
                };
                MockStep::Fail { error: text(error), cause: text(cause) }
            }
            other => other,
        };
        // Refusals mean the task ended meanwhile (e.g. its execution failed): nothing to do.
        let _ = match step {
            MockStep::Start { worker_name } => exec.task_started(token, worker_name),
            MockStep::Submit(v) => exec.task_submitted(token, v),
            MockStep::Succeed(v) => exec.task_succeeded(token, v),
            MockStep::Fail { error, cause } => exec.task_failed(token, error, cause),
            MockStep::Silence => Ok(()),
        };
    }
}

/// A Lambda function ARN or `lambda:invoke` (request-response): the calls the recordings' functions
/// answered by echoing.
fn is_lambda_call(kind: &crate::engine::TaskKind) -> bool {
    use crate::engine::tasks::Pattern;
    use crate::engine::TaskKind;
    match kind {
        TaskKind::Lambda => true,
        TaskKind::Integration { resource_type, resource, pattern } => {
            resource_type == "lambda" && resource == "invoke" && *pattern == Pattern::RequestResponse
        }
        TaskKind::Activity => false,
    }
}

fn echo_unmocked(exec: &mut Execution, mocks: &mut Mocks) -> bool {
    let open: Vec<PendingTask> = exec
        .pending_tasks()
        .filter(|t| !mocks.answered.contains(&t.token) && !mocks.covers(&t.state_name))
        .filter(|t| is_lambda_call(&t.kind))
        .cloned()
        .collect();
    let mut any = false;
    for t in open {
        mocks.answered.insert(t.token.clone());
        any |= default_answer(exec, &t);
    }
    any
}

/// Runs `exec` until it ends or waits for something the mocks do not answer: work at the current
/// virtual time first, then mocked answers, then the next timer.
pub fn run_with_mocks(exec: &mut Execution, mocks: &mut Mocks, max_steps: u64) -> bool {
    let mut steps = 0u64;
    loop {
        exec.run_until(exec.now_ms());
        if mocks.respond(exec) > 0 {
            continue;
        }
        if mocks.echo_unrecorded && echo_unmocked(exec, mocks) {
            continue;
        }
        if !exec.step() {
            return true;
        }
        steps += 1;
        if steps > max_steps {
            return false;
        }
    }
}

fn check_sfn_local(config: &Value) -> Result<(), MockConfigError> {
    let Some(top) = config.as_object() else {
        return Err(config_error("".into(), "The mock configuration must be a JSON object"));
    };
    for key in top.keys() {
        if key != "StateMachines" && key != "MockedResponses" {
            return Err(config_error(
                format!("/{}", esc(key)),
                format!("Unknown field '{key}': expected StateMachines and MockedResponses"),
            ));
        }
    }
    let responses = top.get("MockedResponses").cloned().unwrap_or(Value::Object(Map::new()));
    let Some(responses) = responses.as_object() else {
        return Err(config_error("/MockedResponses".into(), "MockedResponses must be an object"));
    };
    for (name, table) in responses {
        parse_responses(table, &format!("/MockedResponses/{}", esc(name)))?;
    }
    let machines = top.get("StateMachines").cloned().unwrap_or(Value::Object(Map::new()));
    let Some(machines) = machines.as_object() else {
        return Err(config_error("/StateMachines".into(), "StateMachines must be an object"));
    };
    for (sm, body) in machines {
        let at = format!("/StateMachines/{}", esc(sm));
        let Some(cases) = body.get("TestCases").and_then(Value::as_object) else {
            return Err(config_error(at, "A state machine needs a TestCases object"));
        };
        for (case, states) in cases {
            let at = format!("{at}/TestCases/{}", esc(case));
            let Some(states) = states.as_object() else {
                return Err(config_error(at, "A test case maps state names to mocked response names"));
            };
            for (state, name) in states {
                let at = format!("{at}/{}", esc(state));
                let Some(name) = name.as_str() else {
                    return Err(config_error(at, "The mocked response name must be a string"));
                };
                if !responses.contains_key(name) {
                    return Err(config_error(
                        at,
                        format!("Mocked response '{name}' is not defined in MockedResponses"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A mocked response table: keys "0", "1-2", ... covering calls consecutively from 0.
fn parse_responses(table: &Value, at: &str) -> Result<Vec<Option<MockResponse>>, MockConfigError> {
    let Some(map) = table.as_object() else {
        return Err(config_error(at.into(), "A mocked response must be an object keyed by call numbers"));
    };
    let mut ranges = Vec::new();
    for (key, entry) in map {
        let here = format!("{at}/{}", esc(key));
        let (lo, hi) = parse_range(key).ok_or_else(|| {
            config_error(here.clone(), format!("'{key}' is not a call number or range like \"1-2\""))
        })?;
        ranges.push((lo, hi, parse_entry(entry, &here)?));
    }
    ranges.sort_by_key(|r| r.0);
    let mut out = Vec::new();
    for (lo, hi, response) in ranges {
        if lo != out.len() {
            return Err(config_error(
                at.into(),
                "Mock responses must be consecutively numbered from 0 without overlaps",
            ));
        }
        for _ in lo..=hi {
            out.push(Some(response.clone()));
        }
    }
    Ok(out)
}

fn parse_range(key: &str) -> Option<(usize, usize)> {
    let num = |s: &str| -> Option<usize> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            (a <= b && b - a < 100_000).then_some((a, b))
        }
        None => num(key).map(|n| (n, n)),
    }
}

fn parse_entry(entry: &Value, at: &str) -> Result<MockResponse, MockConfigError> {
    let Some(obj) = entry.as_object() else {
        return Err(config_error(at.into(), "A response must be an object with Return or Throw"));
    };
    match (obj.get("Return"), obj.get("Throw")) {
        (Some(v), None) => Ok(vec![MockStep::Succeed(v.clone())]),
        (None, Some(t)) => {
            let field = |k: &str| -> Result<Option<String>, MockConfigError> {
                match t.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(config_error(format!("{at}/Throw/{k}"), format!("{k} must be a string"))),
                }
            };
            if !t.is_object() {
                return Err(config_error(format!("{at}/Throw"), "Throw must be an object with Error and Cause"));
            }
            Ok(vec![MockStep::Fail {
                error: field("Error")?,
                cause: field("Cause")?,
            }])
        }
        _ => Err(config_error(at.into(), "A response needs exactly one of Return and Throw")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::build;
    use crate::engine::{Execution, Status};
    use serde_json::json;

    fn exec(def: Value) -> Execution {
        Execution::new(build(&def).unwrap(), "{}", json!({}), Default::default())
    }

    fn lambda_retry_machine() -> Value {
        json!({"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"},
            "Retry": [{"ErrorEquals": ["Lambda.TimeoutException"], "IntervalSeconds": 1, "MaxAttempts": 3}],
            "End": true}}})
    }

    fn sfn_local_config() -> Value {
        json!({
          "StateMachines": {"M": {"TestCases": {
            "Happy": {"Call": "Ok"},
            "Retry": {"Call": "FlakyThenOk"}}}},
          "MockedResponses": {
            "Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}},
            "FlakyThenOk": {
              "0-1": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
              "2": {"Return": {"StatusCode": 200, "Payload": 7}}}}
        })
    }

    #[test]
    fn sfn_local_test_case_returns_the_mocked_value() {
        let mut mocks = Mocks::from_sfn_local(&sfn_local_config(), "M", "Happy").unwrap().unwrap();
        let mut e = exec(lambda_retry_machine());
        assert!(run_with_mocks(&mut e, &mut mocks, 1000));
        assert_eq!(e.status(), Status::Succeeded);
        assert_eq!(e.output().unwrap(), &json!({"StatusCode": 200, "Payload": {"body": "hi"}}));
    }

    #[test]
    fn ranges_are_consumed_by_retries() {
        let mut mocks = Mocks::from_sfn_local(&sfn_local_config(), "M", "Retry").unwrap().unwrap();
        let mut e = exec(lambda_retry_machine());
        run_with_mocks(&mut e, &mut mocks, 1000);
        assert_eq!(e.status(), Status::Succeeded);
        let failed = e.history().iter().filter(|ev| ev.kind == "TaskFailed").count();
        assert_eq!(failed, 2);
        assert_eq!(e.output().unwrap()["Payload"], json!(7));
    }

    #[test]
    fn running_out_of_responses_fails_the_call() {
        let mut cfg = sfn_local_config();
        cfg["MockedResponses"]["FlakyThenOk"] =
            json!({"0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "x"}}});
        let mut mocks = Mocks::from_sfn_local(&cfg, "M", "Retry").unwrap().unwrap();
        let mut e = exec(lambda_retry_machine());
        run_with_mocks(&mut e, &mut mocks, 1000);
        assert_eq!(e.status(), Status::Failed);
        assert_eq!(e.failure().unwrap().error.as_deref(), Some("States.Runtime"));
    }

    #[test]
    fn unknown_machine_or_case_is_none() {
        assert!(Mocks::from_sfn_local(&sfn_local_config(), "M", "Nope").unwrap().is_none());
        assert!(Mocks::from_sfn_local(&sfn_local_config(), "X", "Happy").unwrap().is_none());
    }

    #[test]
    fn bad_configurations_name_the_place() {
        let mut cfg = sfn_local_config();
        cfg["MockedResponses"]["Ok"] = json!({"1": {"Return": 1}});
        let e = Mocks::from_sfn_local(&cfg, "M", "Happy").unwrap_err();
        assert_eq!(e.pointer, "/MockedResponses/Ok");
        let mut cfg = sfn_local_config();
        cfg["MockedResponses"]["Ok"] = json!({"0": {"Return": 1, "Throw": {"Error": "E"}}});
        assert_eq!(
            Mocks::from_sfn_local(&cfg, "M", "Happy").unwrap_err().pointer,
            "/MockedResponses/Ok/0"
        );
        let mut cfg = sfn_local_config();
        cfg["StateMachines"]["M"]["TestCases"]["Happy"]["Call"] = json!("Missing");
        assert_eq!(
            Mocks::from_sfn_local(&cfg, "M", "Happy").unwrap_err().pointer,
            "/StateMachines/M/TestCases/Happy/Call"
        );
        assert!(Mocks::from_sfn_local(&json!([]), "M", "Happy").is_err());
        let mut cfg = sfn_local_config();
        cfg["MockedResponses"]["Ok"] = json!({"a-b": {"Return": 1}});
        assert!(Mocks::from_sfn_local(&cfg, "M", "Happy").is_err());
    }

    #[test]
    fn a_recording_replays_submission_and_callback() {
        let def = json!({"StartAt": "Send", "States": {"Send": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
            "End": true}}});
        let rec = json!([{"state": "Send", "events": [
            {"type": "TaskScheduled"}, {"type": "TaskStarted"},
            {"type": "TaskSubmitted", "output": {"MessageId": "m"}},
            {"type": "TaskSucceeded", "output": {"answer": 42}}]}]);
        let mut mocks = Mocks::from_recording(&rec);
        let mut e = exec(def);
        run_with_mocks(&mut e, &mut mocks, 1000);
        let types: Vec<&str> = e.history().iter().map(|ev| ev.kind).collect();
        assert_eq!(
            types,
            ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
        );
        assert_eq!(e.output().unwrap(), &json!({"answer": 42}));
    }

    #[test]
    fn a_recorded_timeout_lets_the_timer_fire() {
        let def = json!({"StartAt": "Work", "States": {"Work": {
            "Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a",
            "HeartbeatSeconds": 5, "TimeoutSeconds": 60, "End": true}}});
        let rec = json!([{"state": "Work", "events": [
            {"type": "ActivityScheduled"}, {"type": "ActivityStarted", "workerName": "w1"},
            {"type": "ActivityTimedOut", "error": "States.Timeout"}]}]);
        let mut mocks = Mocks::from_recording(&rec);
        let mut e = exec(def);
        run_with_mocks(&mut e, &mut mocks, 1000);
        assert_eq!(e.status(), Status::Failed);
        assert_eq!(e.now_ms() - e.config().start_time_ms, 5_000);
        let started = e.history().iter().find(|ev| ev.kind == "ActivityStarted").unwrap();
        assert!(format!("{:?}", started.details).contains("w1"));
    }
}

#[cfg(test)]
mod jsonata_mock_tests {
    use super::*;
    use crate::asl::model::build;
    use crate::engine::{Execution, Status};
    use serde_json::json;

    #[test]
    fn a_mock_written_in_jsonata_computes_from_the_task_input() {
        let def = json!({"StartAt": "Add", "States": {"Add": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"a.$": "$.a", "b.$": "$.b"}, "End": true}}});
        let cfg = json!({
            "StateMachines": {"M": {"TestCases": {"Sum": {"Add": "Summed"}, "Bad": {"Add": "Oops"}}}},
            "MockedResponses": {
                "Summed": {"0": {"Return": {"Payload": "{% {'sum': $states.input.a + $states.input.b} %}", "StatusCode": 200}}},
                "Oops": {"0": {"Throw": {"Error": "{% 'Err' & $string($states.input.a) %}", "Cause": "plain"}}}
            }
        });
        let run = |case: &str| {
            let mut mocks = Mocks::from_sfn_local(&cfg, "M", case).unwrap().unwrap();
            let mut e = Execution::new(build(&def).unwrap(), "{}", json!({"a": 2, "b": 40}), Default::default());
            run_with_mocks(&mut e, &mut mocks, 1000);
            e
        };
        let e = run("Sum");
        assert_eq!(e.status(), Status::Succeeded);
        assert_eq!(e.output().unwrap(), &json!({"Payload": {"sum": 42}, "StatusCode": 200}));
        let e = run("Bad");
        assert_eq!(e.failure().unwrap().error.as_deref(), Some("Err2"));
    }
}
