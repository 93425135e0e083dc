//! An execution summed up in AWS's shapes, for the callers that run the engine without the service
//! (the command line's `run`, the conformance runner, the benchmarks, the fuzzer): its status,
//! output or error and cause, and its history as GetExecutionHistory's events.

use super::execution::Execution;
use serde::Serialize;
use serde_json::Value;

/// What a run produced: `events` are GetExecutionHistory events (payloads as JSON text).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING (a Task nobody answered).
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub events: Vec<Value>,
}

impl Execution {
    /// The report of this execution as it stands.
    pub fn report(&self) -> RunReport {
        let failure = self.failure();
        RunReport {
            status: self.status().as_aws().to_string(),
            output: self.output().cloned(),
            error: failure.and_then(|f| f.error.clone()),
            cause: failure.and_then(|f| f.cause.clone()),
            events: self.history().iter().map(|e| e.to_aws()).collect(),
        }
    }
}
