//! The Step Functions API on a virtual clock, for page scripts, tests and the embeds:
//! `new Simulator({ seed, world })`, `call(operation, request)` answering like AWS (an API error
//! is thrown as an Error named after AWS's code), `step` / `advance` / `runUntilIdle` / `now` to
//! move time, and `onEvent` to see each history event as it happens.
//!
//! Stepwise: StartExecution and the SendTask* calls only queue the work they cause; the caller
//! moves the clock, so a page can animate a run and a test can look between steps.

use super::convert::{aws_error, from_js, options, to_js, type_error};
use crate::service::{Service, ServiceConfig};
use crate::sim::WorldSpec;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `new Simulator(options)`.
#[derive(Debug, Default, Deserialize, tsify::Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct SimulatorOptions {
    /// Seeds every random choice (names, task tokens, retry jitter, States.UUID): the same seed,
    /// definitions and calls give the same histories, byte for byte. 0 when absent.
    #[serde(default)]
    #[tsify(optional)]
    pub seed: Option<u32>,
    /// The simulated world: activities, activity workers, callback responders, a Step Functions
    /// Local mock configuration and its test case (the playground's world, as in share links).
    /// (Read as JSON first: serde-wasm-bindgen looks up only the fields it knows, so a
    /// misspelt key would pass unseen; serde_json refuses it.)
    #[serde(default)]
    #[tsify(optional, type = "WorldSpec")]
    pub world: Option<Value>,
    /// Virtual time at the start, ms since the epoch (2025-01-01T00:00:00Z when absent).
    #[serde(default)]
    #[tsify(optional)]
    pub start_time_ms: Option<f64>,
}

#[wasm_bindgen]
pub struct Simulator {
    service: Service,
    listeners: Vec<js_sys::Function>,
    /// Events already sent to the listeners, per execution (in `execution_arns` order).
    seen: Vec<usize>,
}

#[wasm_bindgen]
impl Simulator {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "SimulatorOptions")] opts: Option<js_sys::Object>,
    ) -> Result<Simulator, JsValue> {
        let o: SimulatorOptions = options(&opts.map(JsValue::from).unwrap_or_default(), "Simulator options")?;
        let mut cfg = ServiceConfig {
            seed: o.seed.unwrap_or(0) as u64,
            ..Default::default()
        };
        if let Some(t) = o.start_time_ms.filter(|t| t.is_finite()) {
            cfg.start_time_ms = t as i64;
        }
        let mut service = Service::new(cfg);
        service.set_stepwise(true);
        if let Some(world) = o.world.filter(|w| !w.is_null()) {
            let world: WorldSpec = serde_json::from_value(world).map_err(|e| type_error(&format!("Simulator options: world: {e}")))?;
            service.install_world(&world).map_err(|e| aws_error(e.code, &e.message))?;
        }
        Ok(Simulator { service, listeners: Vec::new(), seen: Vec::new() })
    }

    /// One API call, e.g. `call('StartExecution', { stateMachineArn })`: AWS's response object.
    /// A `definition` in the request may be an object; it is sent as its JSON text.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn call(
        &mut self,
        operation: &str,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let mut req = from_js(&request)?.unwrap_or_else(|| Value::Object(Default::default()));
        if let Some(def) = req.get_mut("definition").filter(|d| d.is_object()) {
            *def = Value::String(def.to_string());
        }
        let out = self.service.call(operation, &req);
        self.emit();
        out.map(|v| to_js(&v)).map_err(|e| aws_error(e.code, &e.message))
    }

    /// Does the next thing that can happen (one engine step, or the clock moves to the next
    /// timer). False when nothing can happen without outside help.
    pub fn step(&mut self) -> bool {
        let moved = self.service.step();
        self.emit();
        moved
    }

    /// Moves the virtual clock on by `seconds`, running everything due on the way.
    pub fn advance(&mut self, seconds: f64) -> Result<(), JsValue> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(type_error("advance: seconds must be a finite number, 0 or more"));
        }
        let t = self.service.now_ms().saturating_add((seconds * 1000.0).round() as i64);
        self.service.advance_to(t);
        self.emit();
        Ok(())
    }

    /// Runs until nothing more happens by itself (a Wait of a year ends at once); returns the
    /// virtual time reached, ms since the epoch.
    #[wasm_bindgen(js_name = runUntilIdle)]
    pub fn run_until_idle(&mut self) -> f64 {
        let t = self.service.run_to_quiescence(i64::MAX);
        self.emit();
        t as f64
    }

    /// Virtual now, ms since the epoch.
    pub fn now(&self) -> f64 {
        self.service.now_ms() as f64
    }

    /// Calls `listener(executionArn, event)` with each history event as it happens, in AWS's shape.
    #[wasm_bindgen(js_name = onEvent)]
    pub fn on_event(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(executionArn: string, event: HistoryEvent) => void")] listener: js_sys::Function,
    ) {
        self.listeners.push(listener);
    }

    /// What the diagram shows of an execution now: active, visited and failed states and the
    /// transitions taken (without sending its history across).
    #[wasm_bindgen(unchecked_return_type = "Highlights")]
    pub fn highlights(&self, execution_arn: &str) -> Result<JsValue, JsValue> {
        let exec = self
            .service
            .execution(execution_arn)
            .ok_or_else(|| aws_error("ExecutionDoesNotExist", &format!("Execution Does Not Exist: '{execution_arn}'")))?;
        let events: Vec<Value> = exec.history().iter().map(|e| e.to_aws()).collect();
        let steps = crate::playground::replay::from_events(&events);
        Ok(to_js(&crate::playground::replay::highlights(&steps, steps.len())))
    }
}

impl Simulator {
    /// Sends the events that happened since the last call to the listeners.
    fn emit(&mut self) {
        if self.listeners.is_empty() {
            return;
        }
        let arns = self.service.execution_arns();
        self.seen.resize(arns.len(), 0);
        for (i, arn) in arns.iter().enumerate() {
            let Some(exec) = self.service.execution(arn) else { continue };
            let history = exec.history();
            if history.len() <= self.seen[i] {
                continue;
            }
            let fresh: Vec<JsValue> = history[self.seen[i]..].iter().map(|e| to_js(&e.to_aws())).collect();
            self.seen[i] = history.len();
            let arn_js = JsValue::from_str(arn);
            for event in fresh {
                for l in &self.listeners {
                    // A listener that throws does not stop the others or the simulator.
                    let _ = l.call2(&JsValue::NULL, &arn_js, &event);
                }
            }
        }
    }
}
