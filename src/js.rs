//! The wasm-bindgen API for page scripts, embeds and the node benchmark harness.

use wasm_bindgen::prelude::*;

/// Validates and runs `definition` on `input` to completion on the virtual clock; returns the
/// RunReport (status, output or error/cause, AWS history events) or `{code, message}` as JSON text.
#[wasm_bindgen]
pub fn run(definition: &str, input: &str, seed: u32) -> String {
    let v = match crate::api::run_definition(definition, input, seed as u64) {
        Ok(r) => serde_json::to_value(r),
        Err(e) => serde_json::to_value(e),
    };
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Like `run`, but returns only the final status: the benchmark harness uses it so that rendering
/// the history to JSON text is not measured.
#[wasm_bindgen(js_name = runStatus)]
pub fn run_status(definition: &str, input: &str) -> String {
    use crate::asl::validate::MachineType;
    use crate::engine::{Config, Execution};
    let machine = match crate::api::load_definition(definition, MachineType::Standard) {
        Ok(m) => m,
        Err(e) => return e.code,
    };
    let (text, value) = match crate::api::parse_input(input) {
        Ok(p) => p,
        Err(e) => return e.code,
    };
    let mut exec = Execution::new(machine, &text, value, Config::default());
    exec.run_to_quiescence();
    exec.status().as_aws().to_string()
}

/// A validated definition, loaded once and run many times (the benchmark harness uses it so that
/// only running is measured, as for aws-local-stepfunctions' StateMachine object).
#[wasm_bindgen]
pub struct LoadedMachine(std::sync::Arc<crate::asl::model::Machine>);

#[wasm_bindgen]
impl LoadedMachine {
    #[wasm_bindgen(constructor)]
    pub fn new(definition: &str) -> Result<LoadedMachine, JsValue> {
        crate::api::load_definition(definition, crate::asl::validate::MachineType::Standard)
            .map(LoadedMachine)
            .map_err(|e| JsValue::from_str(&format!("{}: {}", e.code, e.message)))
    }
    /// Runs to completion and returns the final status.
    #[wasm_bindgen(js_name = runStatus)]
    pub fn run_status(&self, input: &str) -> String {
        let (text, value) = match crate::api::parse_input(input) {
            Ok(p) => p,
            Err(e) => return e.code,
        };
        let mut exec = crate::engine::Execution::new(
            self.0.clone(),
            &text,
            value,
            crate::engine::Config::default(),
        );
        exec.run_to_quiescence();
        exec.status().as_aws().to_string()
    }
}
