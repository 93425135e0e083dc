//! AWS execution history events: ids, previousEventId links, types and detail members.
//! Payloads stay JSON values (shared, not copied) until an event is rendered in AWS's shape.

use serde_json::{json, Map, Value};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Event {
    pub id: u64,
    pub previous: u64,
    /// Virtual time, milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// AWS's HistoryEventType, e.g. "PassStateEntered".
    pub kind: &'static str,
    pub details: Details,
}

/// The body of an event's `...EventDetails` member.
#[derive(Debug, Clone)]
pub enum Details {
    /// Events with nothing to say carry no details member at all.
    None,
    ExecutionStarted {
        input: Arc<str>,
        role_arn: String,
    },
    /// A Distributed Map child execution's ExecutionStarted: its input is the item it was given
    /// (shared with the child's first state, not copied).
    ChildExecutionStarted {
        input: Arc<Value>,
        role_arn: String,
    },
    /// ExecutionSucceeded, ActivitySucceeded, LambdaFunctionSucceeded: `{output, outputDetails}`.
    Output {
        output: Arc<Value>,
    },
    /// Failed / TimedOut / Aborted kinds: `{error?, cause?}` (an empty object when both are absent).
    ErrorCause {
        error: Option<String>,
        cause: Option<String>,
    },
    StateEntered {
        name: Arc<str>,
        input: Arc<Value>,
    },
    StateExited {
        name: Arc<str>,
        output: Arc<Value>,
        assigned: Option<Vec<(String, Value)>>,
    },
    MapStateStarted {
        length: usize,
    },
    MapIteration {
        name: Arc<str>,
        index: usize,
    },
    MapRunStarted {
        map_run_arn: String,
    },
    /// MapRunRedriven: `{mapRunArn, redriveCount}`.
    MapRunRedriven {
        map_run_arn: String,
        redrive_count: u64,
    },
    TaskScheduled {
        resource_type: String,
        resource: String,
        region: String,
        parameters: Arc<Value>,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
        /// The evaluated Credentials (`{"roleArn": ...}`), when the state has them.
        credentials: Option<Value>,
    },
    TaskStarted {
        resource_type: String,
        resource: String,
    },
    /// TaskSucceeded / TaskSubmitted.
    TaskOutput {
        resource_type: String,
        resource: String,
        output: Arc<Value>,
    },
    /// TaskFailed / TaskTimedOut / TaskStartFailed / TaskSubmitFailed.
    TaskError {
        resource_type: String,
        resource: String,
        error: Option<String>,
        cause: Option<String>,
    },
    ActivityScheduled {
        resource: String,
        input: Arc<Value>,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
    },
    ActivityStarted {
        worker_name: Option<String>,
    },
    LambdaFunctionScheduled {
        resource: String,
        input: Arc<Value>,
        timeout: Option<u64>,
        credentials: Option<Value>,
    },
    /// ExecutionRedriven: `{redriveCount}`.
    ExecutionRedriven {
        redrive_count: u64,
    },
    EvaluationFailed {
        state: Arc<str>,
        error: String,
        cause: String,
        location: Option<String>,
    },
}

/// The name of an event type's details member: `stateEnteredEventDetails` for every *StateEntered,
/// otherwise the type in lower camel case plus `EventDetails`.
pub fn details_member(kind: &str) -> String {
    if kind.ends_with("StateEntered") {
        return "stateEnteredEventDetails".into();
    }
    if kind.ends_with("StateExited") {
        return "stateExitedEventDetails".into();
    }
    let mut s = String::with_capacity(kind.len() + 12);
    let mut chars = kind.chars();
    if let Some(c) = chars.next() {
        s.push(c.to_ascii_lowercase());
    }
    s.extend(chars);
    s.push_str("EventDetails");
    s
}

fn text(v: &Value) -> Value {
    Value::String(serde_json::to_string(v).unwrap_or_default())
}

fn truncated() -> Value {
    json!({"truncated": false})
}

impl Details {
    /// The details body in AWS's shape (payloads as compact JSON text), or None for no member.
    pub fn to_aws(&self) -> Option<Value> {
        let mut m = Map::new();
        match self {
            Details::None => return None,
            Details::ExecutionRedriven { redrive_count } => {
                return Some(super::redrive::redriven_details(*redrive_count))
            }
            Details::ExecutionStarted { input, role_arn } => {
                m.insert("input".into(), Value::String(input.to_string()));
                m.insert("inputDetails".into(), truncated());
                m.insert("roleArn".into(), Value::String(role_arn.clone()));
            }
            Details::ChildExecutionStarted { input, role_arn } => {
                m.insert("input".into(), text(input));
                m.insert("inputDetails".into(), truncated());
                m.insert("roleArn".into(), Value::String(role_arn.clone()));
            }
            Details::Output { output } => {
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), truncated());
            }
            Details::ErrorCause { error, cause } => {
                if let Some(e) = error {
                    m.insert("error".into(), Value::String(e.clone()));
                }
                if let Some(c) = cause {
                    m.insert("cause".into(), Value::String(c.clone()));
                }
            }
            Details::StateEntered { name, input } => {
                m.insert("name".into(), Value::String(name.to_string()));
                m.insert("input".into(), text(input));
                m.insert("inputDetails".into(), truncated());
            }
            Details::StateExited {
                name,
                output,
                assigned,
            } => {
                m.insert("name".into(), Value::String(name.to_string()));
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), truncated());
                if let Some(vars) = assigned {
                    let vm: Map<String, Value> =
                        vars.iter().map(|(k, v)| (k.clone(), text(v))).collect();
                    m.insert("assignedVariables".into(), Value::Object(vm));
                    m.insert("assignedVariablesDetails".into(), truncated());
                }
            }
            Details::MapStateStarted { length } => {
                m.insert("length".into(), json!(length));
            }
            Details::MapIteration { name, index } => {
                m.insert("name".into(), Value::String(name.to_string()));
                m.insert("index".into(), json!(index));
            }
            Details::MapRunStarted { map_run_arn } => {
                m.insert("mapRunArn".into(), Value::String(map_run_arn.clone()));
            }
            Details::MapRunRedriven { map_run_arn, redrive_count } => {
                m.insert("mapRunArn".into(), Value::String(map_run_arn.clone()));
                m.insert("redriveCount".into(), json!(redrive_count));
            }
            Details::TaskScheduled {
                resource_type,
                resource,
                region,
                parameters,
                timeout,
                heartbeat,
                credentials,
            } => {
                m.insert("resourceType".into(), Value::String(resource_type.clone()));
                m.insert("resource".into(), Value::String(resource.clone()));
                m.insert("region".into(), Value::String(region.clone()));
                m.insert("parameters".into(), text(parameters));
                if let Some(t) = timeout {
                    m.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(h) = heartbeat {
                    m.insert("heartbeatInSeconds".into(), json!(h));
                }
                if let Some(c) = credentials {
                    m.insert("taskCredentials".into(), c.clone());
                }
            }
            Details::TaskStarted {
                resource_type,
                resource,
            } => {
                m.insert("resourceType".into(), Value::String(resource_type.clone()));
                m.insert("resource".into(), Value::String(resource.clone()));
            }
            Details::TaskOutput {
                resource_type,
                resource,
                output,
            } => {
                m.insert("resourceType".into(), Value::String(resource_type.clone()));
                m.insert("resource".into(), Value::String(resource.clone()));
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), truncated());
            }
            Details::TaskError {
                resource_type,
                resource,
                error,
                cause,
            } => {
                m.insert("resourceType".into(), Value::String(resource_type.clone()));
                m.insert("resource".into(), Value::String(resource.clone()));
                if let Some(e) = error {
                    m.insert("error".into(), Value::String(e.clone()));
                }
                if let Some(c) = cause {
                    m.insert("cause".into(), Value::String(c.clone()));
                }
            }
            Details::ActivityScheduled {
                resource,
                input,
                timeout,
                heartbeat,
            } => {
                m.insert("resource".into(), Value::String(resource.clone()));
                m.insert("input".into(), text(input));
                m.insert("inputDetails".into(), truncated());
                if let Some(t) = timeout {
                    m.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(h) = heartbeat {
                    m.insert("heartbeatInSeconds".into(), json!(h));
                }
            }
            Details::ActivityStarted { worker_name } => {
                if let Some(w) = worker_name {
                    m.insert("workerName".into(), Value::String(w.clone()));
                }
            }
            Details::LambdaFunctionScheduled {
                resource,
                input,
                timeout,
                credentials,
            } => {
                m.insert("resource".into(), Value::String(resource.clone()));
                m.insert("input".into(), text(input));
                m.insert("inputDetails".into(), truncated());
                if let Some(t) = timeout {
                    m.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(c) = credentials {
                    m.insert("taskCredentials".into(), c.clone());
                }
            }
            Details::EvaluationFailed {
                state,
                error,
                cause,
                location,
            } => {
                m.insert("error".into(), Value::String(error.clone()));
                m.insert("cause".into(), Value::String(cause.clone()));
                if let Some(l) = location {
                    m.insert("location".into(), Value::String(l.clone()));
                }
                m.insert("state".into(), Value::String(state.to_string()));
            }
        }
        Some(Value::Object(m))
    }
}

impl Event {
    /// The event as GetExecutionHistory returns it (timestamp in epoch seconds).
    pub fn to_aws(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), json!(self.time_ms as f64 / 1000.0));
        m.insert("type".into(), Value::String(self.kind.to_string()));
        m.insert("id".into(), json!(self.id));
        m.insert("previousEventId".into(), json!(self.previous));
        if let Some(d) = self.details.to_aws() {
            m.insert(details_member(self.kind), d);
        }
        Value::Object(m)
    }

    /// The state name this event is about, when it names one.
    pub fn state_name(&self) -> Option<&str> {
        match &self.details {
            Details::StateEntered { name, .. } | Details::StateExited { name, .. } => Some(name),
            Details::MapIteration { name, .. } => Some(name),
            Details::EvaluationFailed { state, .. } => Some(state),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_member_names() {
        assert_eq!(
            details_member("PassStateEntered"),
            "stateEnteredEventDetails"
        );
        assert_eq!(details_member("MapStateExited"), "stateExitedEventDetails");
        assert_eq!(details_member("TaskFailed"), "taskFailedEventDetails");
        assert_eq!(
            details_member("MapIterationStarted"),
            "mapIterationStartedEventDetails"
        );
        assert_eq!(
            details_member("ExecutionStarted"),
            "executionStartedEventDetails"
        );
    }

    #[test]
    fn payloads_render_as_compact_text() {
        let e = Event {
            id: 3,
            previous: 2,
            time_ms: 1_000,
            kind: "PassStateExited",
            details: Details::StateExited {
                name: Arc::from("P"),
                output: Arc::new(json!({"a": [1, 2]})),
                assigned: None,
            },
        };
        let v = e.to_aws();
        assert_eq!(
            v["stateExitedEventDetails"]["output"],
            json!("{\"a\":[1,2]}")
        );
        assert_eq!(v["previousEventId"], json!(2));
        assert!(v["stateExitedEventDetails"]
            .get("assignedVariables")
            .is_none());
    }

    #[test]
    fn empty_error_cause_is_an_empty_object() {
        let d = Details::ErrorCause {
            error: None,
            cause: None,
        };
        assert_eq!(d.to_aws(), Some(json!({})));
        assert_eq!(Details::None.to_aws(), None);
    }
}
