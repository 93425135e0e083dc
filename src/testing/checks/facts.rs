//! What checks are evaluated over: a run's definition, its end (status, output, error, cause) and
//! its AWS history events (GetExecutionHistory's shape). Read from the events alone, so a history
//! imported from AWS is checked as a local run is, or from a service's execution.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunFacts {
    /// The definition's text.
    pub definition: String,
    /// The name of the input the run had (a lesson's ```` ```json input NAME ````).
    pub input: Option<String>,
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING.
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The history, oldest first (as GetExecutionHistory gives it without reverseOrder).
    pub events: Vec<Value>,
}

impl RunFacts {
    /// The facts of a history: the end is read from its Execution… event (RUNNING without one).
    pub fn from_events(definition: &str, events: Vec<Value>) -> RunFacts {
        let mut events = events;
        events.sort_by_key(|e| e["id"].as_i64().unwrap_or(0));
        let mut facts = RunFacts { definition: definition.to_string(), status: "RUNNING".into(), events, ..Default::default() };
        let end = facts.events.iter().rev().find(|e| {
            let t = e["type"].as_str().unwrap_or("");
            t.starts_with("Execution") && t != "ExecutionStarted"
        });
        if let Some(e) = end {
            let t = e["type"].as_str().unwrap_or("");
            let d = super::evaluate::details(e);
            facts.status = match t {
                "ExecutionSucceeded" => "SUCCEEDED",
                "ExecutionFailed" => "FAILED",
                "ExecutionTimedOut" => "TIMED_OUT",
                "ExecutionAborted" => "ABORTED",
                _ => "RUNNING",
            }
            .into();
            if let Some(d) = d {
                facts.output = d.get("output").map(parse_text);
                facts.error = d.get("error").and_then(Value::as_str).map(str::to_string);
                facts.cause = d.get("cause").and_then(Value::as_str).map(str::to_string);
            }
        }
        facts
    }

    /// The facts of an execution of `service` (its whole history), or None for an unknown ARN.
    pub fn from_service(service: &crate::service::Service, execution_arn: &str, definition: &str) -> Option<RunFacts> {
        let exec = service.execution(execution_arn)?;
        let events = exec.history().iter().map(|e| e.to_aws()).collect();
        Some(RunFacts::from_events(definition, events))
    }

    /// The same facts, for the run of the input named `name`.
    pub fn with_input(mut self, name: Option<&str>) -> RunFacts {
        self.input = name.map(str::to_string);
        self
    }
}

/// A history payload: JSON text (as AWS records it), or a value already decoded.
pub(crate) fn parse_text(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}
