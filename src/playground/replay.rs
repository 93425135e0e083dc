//! Reading an execution from its history alone — a local run's or one exported from AWS
//! (GetExecutionHistory JSON, or the console's export) — to show it on the diagram: which states
//! are active, visited and failed after any event, the transitions taken, and a timeline of
//! state visits over time. The page renders from this; it never re-derives execution logic.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// One history event, reduced to what replay needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: u64,
    pub previous: u64,
    pub kind: String,
    /// Milliseconds since the epoch.
    pub time_ms: i64,
    /// The state the event names (Entered/Exited, Map iterations, EvaluationFailed).
    pub state: Option<String>,
    /// The whole event as given (details included).
    pub event: Value,
}

/// A state visit on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub state: String,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    /// "succeeded", "failed", "running" or "aborted".
    pub outcome: &'static str,
    /// Retries seen during the visit (a new Scheduled event after a failure).
    pub retries: u32,
}

/// What the diagram shows after some event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Highlights {
    pub active: Vec<String>,
    pub visited: Vec<String>,
    pub failed: Vec<String>,
    /// Transitions taken, in order (from state, to state).
    pub path: Vec<(String, String)>,
}

fn time_ms(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().map(|s| (s * 1000.0).round() as i64),
        Value::String(s) => crate::asl::timestamp::parse(s).map(|t| crate::asl::timestamp::to_millis(&t)),
        _ => None,
    }
}

fn state_of(e: &Value) -> Option<String> {
    for (k, d) in e.as_object()?.iter() {
        if k.ends_with("EventDetails") {
            if let Some(n) = d.get("name").or_else(|| d.get("state")).and_then(Value::as_str) {
                return Some(n.to_string());
            }
        }
    }
    None
}

/// Reads a history: `{"events": [...]}` (GetExecutionHistory, also with `nextToken`) or a bare
/// array; timestamps as epoch seconds or ISO-8601 text. Events are put in id order.
pub fn import(text: &str) -> Result<Vec<Step>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("The history is not JSON: {e}"))?;
    let events = match &v {
        Value::Array(a) => a.clone(),
        Value::Object(m) => match m.get("events").or_else(|| m.get("Events")) {
            Some(Value::Array(a)) => a.clone(),
            _ => return Err("Expected GetExecutionHistory output: an object with an \"events\" array".into()),
        },
        _ => return Err("Expected GetExecutionHistory output: an object with an \"events\" array".into()),
    };
    let mut steps = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let kind = e.get("type").and_then(Value::as_str).ok_or_else(|| format!("events[{i}] has no \"type\""))?;
        let id = e.get("id").and_then(Value::as_u64).ok_or_else(|| format!("events[{i}] has no numeric \"id\""))?;
        steps.push(Step {
            id,
            previous: e.get("previousEventId").and_then(Value::as_u64).unwrap_or(0),
            kind: kind.to_string(),
            time_ms: e.get("timestamp").and_then(time_ms).unwrap_or(0),
            state: state_of(e),
            event: e.clone(),
        });
    }
    steps.sort_by_key(|s| s.id);
    if steps.first().map(|s| s.kind.as_str()) != Some("ExecutionStarted") {
        return Err("The history must start with ExecutionStarted (export it in ascending order, or all of it)".into());
    }
    Ok(steps)
}

/// The steps of a history given as AWS-shaped event values (a local run's `to_aws()` events).
/// The events themselves are not copied (`event` is null): the page calls this on every tick of a
/// long run, and highlights and timelines read only the other fields.
pub fn from_events<E: std::borrow::Borrow<Value>>(events: &[E]) -> Vec<Step> {
    events
        .iter()
        .map(|e| e.borrow())
        .map(|e| Step {
            id: e["id"].as_u64().unwrap_or(0),
            previous: e["previousEventId"].as_u64().unwrap_or(0),
            kind: e["type"].as_str().unwrap_or_default().to_string(),
            time_ms: time_ms(&e["timestamp"]).unwrap_or(0),
            state: state_of(e),
            event: Value::Null,
        })
        .collect()
}

/// Which state an event belongs to: its own name, or the state whose Entered event it descends
/// from (Task/Lambda/Activity/Map/Parallel events carry no name).
fn owners(steps: &[Step]) -> Vec<Option<String>> {
    let mut by_id = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(steps.len());
    for s in steps {
        let owner = if s.kind.ends_with("StateEntered") || s.kind.ends_with("StateExited") || s.kind == "EvaluationFailed" {
            s.state.clone()
        } else if s.kind.starts_with("Execution") {
            None
        } else {
            by_id.get(&s.previous).cloned().flatten()
        };
        by_id.insert(s.id, owner.clone());
        out.push(owner);
    }
    out
}

/// The diagram's highlights after the first `upto` events.
pub fn highlights(steps: &[Step], upto: usize) -> Highlights {
    let owner = owners(steps);
    let mut active: Vec<String> = Vec::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    let mut failed: BTreeSet<String> = BTreeSet::new();
    let mut path = Vec::new();
    let mut last_exited: Option<String> = None;
    for (i, s) in steps.iter().take(upto).enumerate() {
        let k = s.kind.as_str();
        if k.ends_with("StateEntered") {
            if let Some(n) = &s.state {
                if let Some(prev) = last_exited.take() {
                    path.push((prev, n.clone()));
                }
                active.push(n.clone());
                visited.insert(n.clone());
            }
        } else if k.ends_with("StateExited") {
            if let Some(n) = &s.state {
                if let Some(pos) = active.iter().rposition(|a| a == n) {
                    active.remove(pos);
                }
                last_exited = Some(n.clone());
            }
        } else if k.ends_with("Failed") || k.ends_with("TimedOut") || k == "EvaluationFailed" || k.ends_with("Aborted") {
            let who = owner[i].clone().or_else(|| active.last().cloned());
            if let Some(n) = who {
                failed.insert(n.clone());
                if k.starts_with("Execution") || k.ends_with("StateFailed") || k.ends_with("Aborted") {
                    active.retain(|a| *a != n);
                }
            }
            if k.starts_with("Execution") {
                active.clear();
            }
        } else if k == "ExecutionSucceeded" {
            active.clear();
        }
    }
    Highlights {
        active,
        visited: visited.into_iter().collect(),
        failed: failed.into_iter().collect(),
        path,
    }
}

/// State visits over time, in the order they started.
pub fn timeline(steps: &[Step]) -> Vec<Span> {
    let owner = owners(steps);
    let mut spans: Vec<Span> = Vec::new();
    let mut failed_attempt = false;
    for (i, s) in steps.iter().enumerate() {
        let k = s.kind.as_str();
        if k.ends_with("StateEntered") {
            if let Some(n) = &s.state {
                spans.push(Span { state: n.clone(), start_ms: s.time_ms, end_ms: None, outcome: "running", retries: 0 });
            }
            continue;
        }
        let Some(n) = owner[i].clone() else {
            if k == "ExecutionAborted" || k == "ExecutionTimedOut" || k == "ExecutionFailed" {
                for sp in spans.iter_mut().filter(|sp| sp.end_ms.is_none()) {
                    sp.end_ms = Some(s.time_ms);
                    sp.outcome = if k == "ExecutionFailed" { "failed" } else { "aborted" };
                }
            }
            continue;
        };
        let Some(span) = spans.iter_mut().rev().find(|sp| sp.state == n && sp.end_ms.is_none()) else {
            continue;
        };
        if k.ends_with("StateExited") {
            span.end_ms = Some(s.time_ms);
            // A visit whose last attempt failed but was caught exits normally: it still failed.
            span.outcome = if failed_attempt { "failed" } else { "succeeded" };
            failed_attempt = false;
        } else if k.ends_with("Failed") || k.ends_with("TimedOut") {
            failed_attempt = true;
        } else if k.ends_with("Scheduled") && failed_attempt {
            span.retries += 1;
            failed_attempt = false;
        } else if k.ends_with("Aborted") {
            span.end_ms = Some(s.time_ms);
            span.outcome = "aborted";
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(def: Value, input: Value) -> Vec<Step> {
        let r = crate::playground::run::run_definition(&def.to_string(), &input.to_string(), 0).unwrap();
        from_events(&r.events)
    }

    #[test]
    fn highlights_follow_the_run() {
        let steps = run(
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "W"}, "W": {"Type": "Wait", "Seconds": 5, "Next": "B"}, "B": {"Type": "Pass", "End": true}}}),
            json!({}),
        );
        let h = highlights(&steps, 4);
        assert_eq!(h.active, ["W"]);
        assert_eq!(h.visited, ["A", "W"]);
        assert_eq!(h.path, [("A".to_string(), "W".to_string())]);
        let end = highlights(&steps, steps.len());
        assert!(end.active.is_empty());
        assert_eq!(end.path.len(), 2);
        let t = timeline(&steps);
        assert_eq!(t.iter().map(|s| s.state.as_str()).collect::<Vec<_>>(), ["A", "W", "B"]);
        assert_eq!(t[1].end_ms.unwrap() - t[1].start_ms, 5_000);
        assert!(t.iter().all(|s| s.outcome == "succeeded"));
    }

    #[test]
    fn failures_are_marked_on_their_state() {
        let steps = run(
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "F"}, "F": {"Type": "Fail", "Error": "E"}}}),
            json!({}),
        );
        let h = highlights(&steps, steps.len());
        assert_eq!(h.failed, ["F"]);
        assert!(h.active.is_empty());
        assert_eq!(timeline(&steps)[1].outcome, "failed");
    }

    #[test]
    fn imports_aws_exports() {
        let text = json!({"events": [
            {"timestamp": "2024-01-01T10:00:00.000Z", "type": "ExecutionStarted", "id": 1, "previousEventId": 0, "executionStartedEventDetails": {"input": "{}"}},
            {"timestamp": 1704103201.5, "type": "TaskStateEntered", "id": 2, "previousEventId": 0, "stateEnteredEventDetails": {"name": "Call", "input": "{}"}},
            {"timestamp": 1704103201.6, "type": "LambdaFunctionScheduled", "id": 3, "previousEventId": 2, "lambdaFunctionScheduledEventDetails": {"resource": "arn"}},
            {"timestamp": 1704103202.0, "type": "LambdaFunctionFailed", "id": 4, "previousEventId": 3, "lambdaFunctionFailedEventDetails": {"error": "Boom"}},
            {"timestamp": 1704103204.0, "type": "LambdaFunctionScheduled", "id": 5, "previousEventId": 4, "lambdaFunctionScheduledEventDetails": {"resource": "arn"}}
        ], "nextToken": "x"}).to_string();
        let steps = import(&text).unwrap();
        assert_eq!(steps[0].time_ms, 1_704_103_200_000);
        assert_eq!(steps[1].time_ms, 1_704_103_201_500);
        let h = highlights(&steps, steps.len());
        assert_eq!(h.active, ["Call"]);
        assert_eq!(h.failed, ["Call"]);
        assert_eq!(timeline(&steps)[0].retries, 1);
        assert!(import("[]").unwrap_err().contains("ExecutionStarted"));
        assert!(import("{\"x\": 1}").unwrap_err().contains("events"));
        assert!(import("nope").is_err());
    }
}
