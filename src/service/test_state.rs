//! TestState: one state run alone (or one state picked out of a whole definition by `stateName`),
//! with a mocked result or error for its work, AWS's request checks, and AWS's response: status,
//! output, error and cause, nextState, and at DEBUG or TRACE the data-processing stages
//! (`inspectionData`). The state runs in the engine (`engine::test_state`) on its own virtual
//! clock, with an Express-style context object (no RedriveCount).

use super::error::ServiceError;
use super::request::Request;
use super::{load_definition, Service};
use crate::asl::timestamp;
use crate::asl::validate::MachineType;
use crate::engine::test_state::{self as run, TestMock, TestOptions};
use crate::engine::Config;
use serde_json::{json, Map, Value};

mod http;

/// The name a lone state (a definition that is one state) runs under.
const LONE_STATE: &str = "StateName";

fn validation(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ValidationException", message)
}

fn invalid_definition(message: impl Into<String>) -> ServiceError {
    ServiceError::new("InvalidDefinition", message)
}

/// A JSON text member (input, variables, context, a mock result).
fn json_member(text: Option<&str>, error: impl Fn(String) -> ServiceError) -> Result<Option<Value>, ServiceError> {
    match text {
        None => Ok(None),
        Some(t) => serde_json::from_str(t).map(Some).map_err(|e| error(e.to_string())),
    }
}

/// Finds the state named `name` anywhere in `def` (nested Parallel branches and Map processors
/// too), with the query language it inherits.
fn find_state<'a>(def: &'a Value, name: &str, inherited: Option<&'a Value>) -> Option<(&'a Value, Option<&'a Value>)> {
    let ql = def.get("QueryLanguage").or(inherited);
    let states = def.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some((s, ql));
    }
    for s in states.values() {
        let inner = s.get("QueryLanguage").or(ql);
        let mut nested: Vec<&Value> = Vec::new();
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(p) = s.get(key) {
                nested.push(p);
            }
        }
        if let Some(Value::Array(bs)) = s.get("Branches") {
            nested.extend(bs.iter());
        }
        for n in nested {
            if let Some(found) = find_state(n, name, inner) {
                return Some(found);
            }
        }
    }
    None
}

/// Every state name used inside `v` (nested machines included).
fn names_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(states)) = m.get("States") {
                out.extend(states.keys().cloned());
            }
            m.values().for_each(|x| names_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| names_in(x, out)),
        _ => {}
    }
}

/// A machine holding `state` under `name`, with a Succeed stub for every state it can go to.
fn wrap(name: &str, state: &Value) -> Value {
    let mut targets: Vec<String> = Vec::new();
    let mut push = |v: Option<&Value>| {
        if let Some(Value::String(s)) = v {
            if s != name && !targets.contains(s) {
                targets.push(s.clone());
            }
        }
    };
    push(state.get("Next"));
    push(state.get("Default"));
    for key in ["Catch", "Choices"] {
        if let Some(Value::Array(a)) = state.get(key) {
            for c in a {
                push(c.get("Next"));
            }
        }
    }
    let mut states = Map::new();
    states.insert(name.into(), state.clone());
    for t in targets {
        states.insert(t, json!({"Type": "Succeed"}));
    }
    json!({"StartAt": name, "States": states})
}

/// AWS writes every stage as JSON text.
fn as_text(v: &Value) -> Value {
    Value::String(serde_json::to_string(v).unwrap_or_default())
}

impl Service {
    pub(crate) fn test_state(&mut self, request: &Value) -> Result<Value, ServiceError> {
        let r = Request(request);
        let definition = r.sensitive_string("definition", 1, 1_048_576)?;
        let role_arn = r.opt_string("roleArn", 1, 256)?;
        let input_text = r.opt_string("input", 0, 262_144)?;
        let level = r.opt_enum("inspectionLevel", &["INFO", "DEBUG", "TRACE"])?.unwrap_or("INFO");
        let reveal = r.opt_bool("revealSecrets")?.unwrap_or(false);
        let variables_text = r.opt_string("variables", 0, 262_144)?;
        let state_name = r.opt_string("stateName", 1, 80)?;
        let context_text = r.opt_string("context", 0, 262_144)?;
        let mock = r.opt_value("mock").filter(|m| !m.is_null());
        let config = r.opt_value("stateConfiguration").filter(|m| !m.is_null());

        let def: Value = match serde_json::from_str(definition) {
            Ok(v) => v,
            // CreateStateMachine's message for text that is not JSON (the Jackson reader's).
            Err(e) => return Err(load_definition(definition, MachineType::Standard).err().unwrap_or_else(|| invalid_definition(e.to_string()))),
        };
        // The state, and a machine that runs it.
        let (state, name, machine_def) = match state_name {
            Some(n) => {
                load_definition(definition, MachineType::Standard)?;
                let (s, ql) = find_state(&def, n, None).ok_or_else(|| validation("State not found in definition"))?;
                let mut s = s.clone();
                if let (Some(obj), Some(ql)) = (s.as_object_mut(), ql) {
                    obj.entry("QueryLanguage").or_insert(ql.clone());
                }
                (s.clone(), n.to_string(), wrap(n, &s))
            }
            None => {
                if def.get("States").is_some() && def.get("Type").is_none() {
                    return Err(invalid_definition("The definition is a whole state machine: give stateName to test one of its states"));
                }
                let mut used = Vec::new();
                names_in(&def, &mut used);
                let mut name = LONE_STATE.to_string();
                let mut i = 1;
                while used.contains(&name) {
                    name = format!("{LONE_STATE}{i}");
                    i += 1;
                }
                (def.clone(), name.clone(), wrap(&name, &def))
            }
        };
        let kind = state.get("Type").and_then(Value::as_str).unwrap_or("");

        // The mock.
        let mock = match mock {
            None => None,
            Some(m) => {
                if reveal {
                    return Err(validation("TestState does not support RevealSecrets when a mock is specified."));
                }
                if matches!(kind, "Pass" | "Fail" | "Succeed" | "Choice" | "Wait") {
                    return Err(validation(format!("State type '{kind}' is not supported when a mock is specified")));
                }
                let result = m.get("result").and_then(Value::as_str);
                let error = m.get("errorOutput").filter(|e| !e.is_null());
                match (result, error) {
                    (Some(_), Some(_)) | (None, None) => {
                        return Err(validation("A test mock should have only one of the following fields: [result, errorOutput]."))
                    }
                    (Some(t), None) => {
                        let v: Value = serde_json::from_str(t).map_err(|_| validation("Mocked result must be valid JSON"))?;
                        check_mock_shape(kind, &state, &v)?;
                        let mode = m.get("fieldValidationMode").and_then(Value::as_str).unwrap_or("STRICT");
                        if kind == "Task" {
                            super::test_state_fields::check(state.get("Resource").and_then(Value::as_str).unwrap_or(""), &v, mode)
                                .map_err(|e| validation(format!("Mock result schema validation error: {e}")))?;
                        }
                        Some(TestMock::Result(v))
                    }
                    (None, Some(e)) => Some(TestMock::Error {
                        error: e.get("error").and_then(Value::as_str).unwrap_or("").to_string(),
                        cause: e.get("cause").and_then(Value::as_str).unwrap_or("").to_string(),
                    }),
                }
            }
        };
        if context_text.is_some() && mock.is_none() {
            return Err(validation("A context may only be specified together with a mock."));
        }
        if let Some(by) = config.and_then(|c| c.get("errorCausedByState")).and_then(Value::as_str) {
            let mut nested = Vec::new();
            for key in ["ItemProcessor", "Iterator", "Branches"] {
                if let Some(v) = state.get(key) {
                    names_in(v, &mut nested);
                }
            }
            if !matches!(kind, "Map" | "Parallel") || !nested.iter().any(|n| n == by) {
                return Err(validation(format!(
                    "errorCausedByState '{by}' must name a state inside the tested Map or Parallel state"
                )));
            }
        }
        if mock.is_none() && matches!(kind, "Map" | "Parallel") {
            return Err(invalid_definition(
                "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
            ));
        }
        if mock.is_none() && kind == "Task" {
            if role_arn.is_none() {
                return Err(validation("RoleArn must be specified when testing a Task state"));
            }
            let resource = state.get("Resource").and_then(Value::as_str).unwrap_or("");
            if matches!(crate::engine::tasks::classify(resource), crate::engine::TaskKind::Activity)
                || resource.ends_with(".sync")
                || resource.ends_with(".sync:2")
                || resource.ends_with(".waitForTaskToken")
            {
                return Err(validation(
                    "TestState needs a mock for an activity, a .sync or a .waitForTaskToken integration",
                ));
            }
        }

        let machine = load_state(&machine_def, mock.is_some())?;
        let index = *machine.index.get(name.as_str()).ok_or_else(|| validation("State not found in definition"))?;

        let input = json_member(input_text, |e| ServiceError::new("InvalidExecutionInput", format!("Invalid State Machine Execution Input: '{e}'")))?
            .unwrap_or_else(|| json!({}));
        let variables = match json_member(variables_text, |e| validation(format!("Invalid variables: {e}")))? {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err(validation("Variables must be a JSON object")),
        };

        // Who and where: an Express-style execution of a throw-away state machine.
        let sm_name = self.uuid();
        let exec_name = self.uuid();
        let start = self.now_ms;
        let cfg = Config {
            execution_arn: format!(
                "arn:{}:states:{}:{}:express:{sm_name}:{exec_name}",
                self.scope.partition, self.scope.region, self.scope.account
            ),
            execution_name: exec_name.clone(),
            state_machine_arn: self.scope.state_machine(&sm_name),
            state_machine_name: sm_name.clone(),
            role_arn: role_arn.unwrap_or_default().to_string(),
            region: self.scope.region.clone(),
            account: self.scope.account.clone(),
            start_time_ms: start,
            seed: self.random_u64(),
            redrive_count_in_context: false,
            max_duration_ms: Some(300_000),
            activities: None,
            objects: Some(self.objects.clone()),
        };
        let work = matches!(kind, "Task" | "Parallel" | "Map");
        let retry_count = config.and_then(|c| c.get("retrierRetryCount")).and_then(Value::as_u64).unwrap_or(0);
        let context = match json_member(context_text, |e| validation(format!("Invalid context: {e}")))? {
            Some(c) => c,
            None => {
                let mut state_ctx = json!({"Name": name, "EnteredTime": timestamp::format_millis(start)});
                if work {
                    state_ctx["RetryCount"] = json!(retry_count);
                }
                json!({
                    "Execution": {
                        "Id": cfg.execution_arn,
                        "Input": input,
                        "Name": exec_name,
                        "RoleArn": role_arn,
                        "StartTime": timestamp::format_millis(start),
                    },
                    "StateMachine": {"Id": cfg.state_machine_arn, "Name": sm_name},
                    "State": state_ctx,
                })
            }
        };
        let resource = state.get("Resource").and_then(Value::as_str).unwrap_or("");
        let task_token = (resource.ends_with(".waitForTaskToken") || resource.contains(":activity:"))
            .then(|| format!("{:016x}{:016x}", self.random_u64(), self.random_u64()));
        let map_item_reader_data = match config.and_then(|c| c.get("mapItemReaderData")).and_then(Value::as_str) {
            None => None,
            Some(t) => Some(serde_json::from_str(t).map_err(|_| validation("mapItemReaderData must be valid JSON"))?),
        };
        let opts = TestOptions {
            mock,
            inspect: level != "INFO",
            retrier_retry_count: retry_count,
            map_iteration_failure_count: config.and_then(|c| c.get("mapIterationFailureCount")).and_then(Value::as_u64),
            map_item_reader_data,
            variables,
            context,
            task_token,
        };
        let out = run::test_state(machine, index, input, cfg, &opts);
        let http_trace = level == "TRACE" && http::is_http_task(resource);

        let mut resp = Map::new();
        resp.insert("status".into(), json!(out.status));
        if let Some(o) = &out.output {
            resp.insert("output".into(), as_text(o));
        }
        if let Some(e) = out.error {
            resp.insert("error".into(), json!(e));
        }
        if let Some(c) = out.cause {
            resp.insert("cause".into(), json!(c));
        }
        if let Some(n) = out.next_state {
            resp.insert("nextState".into(), json!(n));
        }
        // TRACE shows an HTTP Task's request and response (as objects, not JSON text).
        let mut http_data = Map::new();
        if http_trace {
            let params = out.inspection.get("afterArguments").or_else(|| out.inspection.get("afterParameters")).cloned();
            if let Some(params) = params {
                http_data.insert("request".into(), http::request(&params));
                if let Some(r) = out.inspection.get("result").and_then(|r| http::response(&params, r)) {
                    http_data.insert("response".into(), r);
                }
            }
        }
        if !out.inspection.is_empty() {
            let mut data = Map::new();
            data.extend(http_data);
            for (k, v) in out.inspection {
                let v = match k.as_str() {
                    "errorDetails" | "maxConcurrency" | "toleratedFailureCount" | "toleratedFailurePercentage" => v,
                    _ => as_text(&v),
                };
                data.insert(k, v);
            }
            resp.insert("inspectionData".into(), Value::Object(data));
        }
        Ok(Value::Object(resp))
    }
}

/// The machine that runs the state: validated as CreateStateMachine validates, except that the
/// states nested in a mocked Parallel or Map never run, so their resources are not checked.
fn load_state(def: &Value, mocked: bool) -> Result<std::sync::Arc<crate::asl::model::Machine>, ServiceError> {
    use crate::asl::validate::{self, Severity};
    let text = def.to_string();
    if !mocked {
        return load_definition(&text, MachineType::Standard);
    }
    let nested = |d: &validate::Diagnostic| {
        d.location.as_deref().is_some_and(|l| {
            ["/ItemProcessor/", "/Iterator/", "/Branches/"].iter().any(|n| l.contains(n)) && l.ends_with("/Resource")
        })
    };
    let diags: Vec<validate::Diagnostic> = validate::validate_text(&text, MachineType::Standard)
        .into_iter()
        .filter(|d| !nested(d))
        .collect();
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(invalid_definition(validate::invalid_definition_message(&diags)));
    }
    crate::asl::model::build(def).map_err(ServiceError::invalid_definition)
}

/// A mocked result for a Parallel or Map has the shape their work gives.
fn check_mock_shape(kind: &str, state: &Value, v: &Value) -> Result<(), ServiceError> {
    match kind {
        "Parallel" => {
            let Value::Array(a) = v else { return Err(validation("Mocked result must be an array.")) };
            let branches = state.get("Branches").and_then(Value::as_array).map_or(0, Vec::len);
            if a.len() != branches {
                return Err(validation("Mocked result must contain the same number of items as number of Parallel branches."));
            }
        }
        "Map" => {
            if state.get("ResultWriter").is_some() {
                if !v.is_object() {
                    return Err(validation("Mocked result must be a JSON object."));
                }
            } else if !v.is_array() {
                return Err(validation("Mocked result must be an array."));
            }
        }
        _ => {}
    }
    Ok(())
}
