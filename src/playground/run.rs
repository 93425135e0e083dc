//! A quick run: one execution of a definition on the engine alone (no service, no simulated
//! world), with the input read the way the page's input box and the CLI's `--input` read it.

use crate::asl::validate::MachineType;
use crate::engine::{Config, Execution, RunReport};
use crate::service::{load_definition, ServiceError};
use serde_json::Value;

/// Parses an execution input as StartExecution does, except that absent or empty text means `{}`
/// here (the API refuses an empty string; the page and the CLI treat an empty box as no input).
pub fn parse_input(input: &str) -> Result<(String, Value), ServiceError> {
    if input.trim().is_empty() {
        return Ok(("{}".into(), Value::Object(Default::default())));
    }
    serde_json::from_str(input)
        .map(|v| (input.to_string(), v))
        .map_err(|e| ServiceError::new("InvalidExecutionInput", format!("Invalid State Machine Execution Input: '{e}'")))
}

/// Validates `definition`, parses `input` (empty means `{}`), runs to completion on the virtual clock.
/// A Task nobody answers leaves the run RUNNING (there is no simulated world here).
pub fn run_definition(definition: &str, input: &str, seed: u64) -> Result<RunReport, ServiceError> {
    let machine = load_definition(definition, MachineType::Standard)?;
    let (text, value) = parse_input(input)?;
    let cfg = Config {
        seed,
        ..Config::default()
    };
    let mut exec = Execution::new(machine, &text, value, cfg);
    exec.run_to_quiescence();
    Ok(exec.report())
}
