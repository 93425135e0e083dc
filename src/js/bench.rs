//! What the node benchmark harness (benches/node/wasm_vs_als.mjs) times: runs to completion with
//! the answer as short as possible, so that only running is measured.

use crate::asl::validate::MachineType;
use crate::engine::{Config, Execution};
use wasm_bindgen::prelude::*;

/// Validates and runs `definition` on `input` to completion on the virtual clock; the RunReport
/// (status, output or error/cause, AWS history events) or `{code, message}`, as JSON text.
#[wasm_bindgen]
pub fn run(definition: &str, input: &str, seed: u32) -> String {
    let v = match crate::playground::run::run_definition(definition, input, seed as u64) {
        Ok(r) => serde_json::to_value(r),
        Err(e) => serde_json::to_value(e),
    };
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn run_machine(machine: std::sync::Arc<crate::asl::model::Machine>, input: &str) -> String {
    let (text, value) = match crate::playground::run::parse_input(input) {
        Ok(p) => p,
        Err(e) => return e.code.to_string(),
    };
    let mut exec = Execution::new(machine, &text, value, Config::default());
    exec.run_to_quiescence();
    exec.status().as_aws().to_string()
}

/// Like `run`, but answers only the final status (or the error code).
#[wasm_bindgen(js_name = runStatus)]
pub fn run_status(definition: &str, input: &str) -> String {
    match crate::service::load_definition(definition, MachineType::Standard) {
        Ok(m) => run_machine(m, input),
        Err(e) => e.code.to_string(),
    }
}

/// A validated definition, loaded once and run many times (as aws-local-stepfunctions'
/// StateMachine object is), so that only running is timed.
#[wasm_bindgen]
pub struct LoadedMachine(std::sync::Arc<crate::asl::model::Machine>);

#[wasm_bindgen]
impl LoadedMachine {
    #[wasm_bindgen(constructor)]
    pub fn new(definition: &str) -> Result<LoadedMachine, JsValue> {
        crate::service::load_definition(definition, MachineType::Standard)
            .map(LoadedMachine)
            .map_err(|e| super::convert::aws_error(e.code, &e.message))
    }

    /// Runs to completion and returns the final status.
    #[wasm_bindgen(js_name = runStatus)]
    pub fn run_status(&self, input: &str) -> String {
        run_machine(self.0.clone(), input)
    }
}
