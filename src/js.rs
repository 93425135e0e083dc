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

/// The Step Functions API in the page: `call(operation, requestJson)` answers like AWS
/// (`{"ok": response}` or `{"error": {"code", "message"}}` as JSON text), on a virtual clock the
/// page moves with `advance(seconds)` / `runToQuiescence()`.
#[wasm_bindgen]
pub struct Simulator(crate::service::Service);

#[wasm_bindgen]
impl Simulator {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u32) -> Simulator {
        Simulator(crate::service::Service::new(crate::service::ServiceConfig {
            seed: seed as u64,
            ..Default::default()
        }))
    }

    /// One API call, e.g. `call("StartExecution", '{"stateMachineArn": "..."}')`.
    pub fn call(&mut self, operation: &str, request: &str) -> String {
        let req: serde_json::Value = if request.trim().is_empty() {
            serde_json::json!({})
        } else {
            match serde_json::from_str(request) {
                Ok(v) => v,
                Err(e) => {
                    return serde_json::json!({"error": {"code": "SerializationException", "message": format!("The request is not JSON: {e}")}}).to_string()
                }
            }
        };
        match self.0.call(operation, &req) {
            Ok(v) => serde_json::json!({ "ok": v }).to_string(),
            Err(e) => serde_json::json!({"error": {"code": e.code, "message": e.message}}).to_string(),
        }
    }

    /// One console line (`aws stepfunctions start-execution --state-machine-arn ...`): the
    /// response as the CLI prints it (`{"ok": ...}`) or its error text (`{"error": "..."}`).
    pub fn console(&mut self, line: &str) -> String {
        match crate::console::run(&mut self.0, line) {
            Ok(v) => serde_json::json!({ "ok": v }).to_string(),
            Err(e) => serde_json::json!({ "error": e }).to_string(),
        }
    }

    /// Completions for the console line being typed (subcommands, then flags).
    #[wasm_bindgen(js_name = consoleComplete)]
    pub fn console_complete(&self, line: &str) -> Vec<String> {
        crate::console::complete(line)
    }

    /// Moves the virtual clock on by `seconds`, running everything due.
    pub fn advance(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            let t = self.0.now_ms() + (seconds * 1000.0) as i64;
            self.0.advance_to(t);
        }
    }

    /// Runs until nothing more happens by itself; returns the virtual time reached (ms).
    #[wasm_bindgen(js_name = runToQuiescence)]
    pub fn run_to_quiescence(&mut self) -> f64 {
        self.0.run_to_quiescence(i64::MAX) as f64
    }

    /// Virtual now, milliseconds since the epoch.
    #[wasm_bindgen(js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.0.now_ms() as f64
    }

    /// Loads a Step Functions Local mock configuration (JSON text); empty text removes it.
    #[wasm_bindgen(js_name = setMockConfig)]
    pub fn set_mock_config(&mut self, config: &str) -> Result<(), JsValue> {
        if config.trim().is_empty() {
            self.0.set_mock_config(None);
            return Ok(());
        }
        let v: serde_json::Value = serde_json::from_str(config).map_err(|e| JsValue::from_str(&format!("mock configuration: {e}")))?;
        crate::sim::Mocks::from_sfn_local(&v, "", "").map_err(|e| JsValue::from_str(&format!("mock configuration: {e}")))?;
        self.0.set_mock_config(Some(v));
        Ok(())
    }

    /// Adds a simulated activity worker (JSON: name, activityArn, latencySeconds, heartbeatSeconds,
    /// answer {kind: succeed|fail|silent, ...}).
    #[wasm_bindgen(js_name = addWorker)]
    pub fn add_worker(&mut self, spec: &str) -> Result<(), JsValue> {
        let w: crate::sim::ActivityWorker = serde_json::from_str(spec).map_err(|e| JsValue::from_str(&format!("worker: {e}")))?;
        self.0.add_worker(w).map(|_| ()).map_err(|e| JsValue::from_str(&e))
    }

    /// Adds a callback responder (JSON: stateName, delaySeconds, heartbeatSeconds, answer).
    #[wasm_bindgen(js_name = addResponder)]
    pub fn add_responder(&mut self, spec: &str) -> Result<(), JsValue> {
        let r: crate::sim::CallbackResponder = serde_json::from_str(spec).map_err(|e| JsValue::from_str(&format!("responder: {e}")))?;
        self.0.add_responder(r).map_err(|e| JsValue::from_str(&e))
    }
}
