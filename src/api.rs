//! Small entry points shared by the command line, the page and the conformance runner.

use crate::asl::model::{self, Machine};
use crate::asl::validate::{self, MachineType};
use crate::engine::{Config, Execution};
use crate::graph::{self, Scene};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// What a run produced, in AWS's shapes: `events` are GetExecutionHistory events (payloads as JSON text).
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

/// An AWS-style API error: `code` like InvalidDefinition or InvalidExecutionInput.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// Parses an execution input as StartExecution does: absent or empty text means `{}` here (the
/// API refuses an empty string; the page and CLI treat an empty box as no input).
pub fn parse_input(input: &str) -> Result<(String, Value), ApiError> {
    if input.trim().is_empty() {
        return Ok(("{}".into(), Value::Object(Default::default())));
    }
    serde_json::from_str(input)
        .map(|v| (input.to_string(), v))
        .map_err(|e| ApiError {
            code: "InvalidExecutionInput".into(),
            message: format!("Invalid State Machine Execution Input: '{e}'"),
        })
}

/// Validates and builds a definition, as CreateStateMachine does.
pub fn load_definition(
    definition: &str,
    machine_type: MachineType,
) -> Result<Arc<Machine>, ApiError> {
    let diags = validate::validate_text(definition, machine_type);
    if diags
        .iter()
        .any(|d| d.severity == validate::Severity::Error)
    {
        return Err(ApiError {
            code: "InvalidDefinition".into(),
            message: validate::invalid_definition_message(&diags),
        });
    }
    let value: Value = serde_json::from_str(definition).map_err(|e| ApiError {
        code: "InvalidDefinition".into(),
        message: format!("Invalid State Machine Definition: '{e}'"),
    })?;
    model::build(&value).map_err(|e| ApiError {
        code: "InvalidDefinition".into(),
        message: format!("Invalid State Machine Definition: '{e}'"),
    })
}

/// The diagram of a definition (validated and built as CreateStateMachine does).
pub fn scene(definition: &str) -> Result<Scene, ApiError> {
    let machine = load_definition(definition, MachineType::Standard)?;
    let value: Value = serde_json::from_str(definition).map_err(|e| ApiError {
        code: "InvalidDefinition".into(),
        message: format!("Invalid State Machine Definition: '{e}'"),
    })?;
    Ok(graph::scene_of(&machine, Some(&value)))
}

/// Validates `definition`, parses `input` (empty means `{}`), runs to completion on the virtual clock.
/// A Task nobody answers leaves the run RUNNING (this entry point has no simulated world).
pub fn run_definition(definition: &str, input: &str, seed: u64) -> Result<RunReport, ApiError> {
    let machine = load_definition(definition, MachineType::Standard)?;
    let (text, value) = parse_input(input)?;
    let cfg = Config {
        seed,
        ..Config::default()
    };
    let mut exec = Execution::new(machine, &text, value, cfg);
    exec.run_to_quiescence();
    Ok(report(&exec))
}

/// The report of an execution as it stands.
pub fn report(exec: &Execution) -> RunReport {
    let failure = exec.failure();
    RunReport {
        status: exec.status().as_aws().to_string(),
        output: exec.output().cloned(),
        error: failure.and_then(|f| f.error.clone()),
        cause: failure.and_then(|f| f.cause.clone()),
        events: exec.history().iter().map(|e| e.to_aws()).collect(),
    }
}
