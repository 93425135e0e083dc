//! The page's state and its reducer: one [`Service`] in stepwise mode, the text the user typed,
//! which execution is selected, play/pause and speed. No execution semantics here: actions turn
//! into service calls (AWS request shapes) and clock moves; views read the service's snapshot.
//! Pure Rust (no DOM), so tests/wasm.rs drives it directly.

use crate::examples::Example;
use crate::service::{Service, ServiceConfig};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

pub const ROLE: &str = "arn:aws:iam::123456789012:role/sfnsim-playground";
pub const MACHINE: &str = "Playground";
/// How far "instant" may jump ahead (a year of virtual time).
const INSTANT_LIMIT_MS: i64 = 366 * 24 * 3600 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    X1,
    X10,
    X100,
    Instant,
}

impl Speed {
    pub fn factor(self) -> Option<i64> {
        match self {
            Speed::X1 => Some(1),
            Speed::X10 => Some(10),
            Speed::X100 => Some(100),
            Speed::Instant => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Speed::X1 => "1×",
            Speed::X10 => "10×",
            Speed::X100 => "100×",
            Speed::Instant => "instant",
        }
    }
    pub const ALL: [Speed; 4] = [Speed::X1, Speed::X10, Speed::X100, Speed::Instant];
}

pub enum Action {
    SetDefinition(String),
    SetInput(String),
    /// Create or update the state machine, start an execution with the input, and play.
    Start,
    /// One thing happens (the next engine step or the next due timer) — repeated until the
    /// selected execution's history grows, so one press is one or a few new events.
    Step,
    /// Advance the virtual clock by `real_ms` × speed (play), or run to quiescence (instant).
    Tick(i64),
    RunToEnd,
    TogglePlay,
    Pause,
    SetSpeed(Speed),
    Select(String),
    /// A fresh service with the same seed, the same definition and the selected run's input.
    Rerun,
    Success { token: String, output: String },
    Failure { token: String, error: String, cause: String },
    Heartbeat { token: String },
    /// Load a gallery example (www/examples): its definition, input and simulated world
    /// (activities, workers, callback responders, mocks); the runs so far are dropped.
    LoadExample(String),
}

#[derive(Clone)]
pub struct Playground {
    pub definition: String,
    pub input: String,
    pub seed: u64,
    pub service: Rc<RefCell<Service>>,
    pub machine_arn: Option<String>,
    /// The definition the state machine has now (to know when to update it).
    pub deployed: Option<String>,
    pub selected: Option<String>,
    /// The last refusal from the service: (code, message).
    pub refused: Option<(String, String)>,
    pub playing: bool,
    pub speed: Speed,
    pub runs: u32,
    /// The gallery example loaded, whose world is installed with the first start.
    pub example: Option<Rc<Example>>,
    /// Bumped on every change of the service, so views re-read it.
    pub version: u64,
}

pub fn new_service(seed: u64) -> Service {
    let mut s = Service::new(ServiceConfig { seed, ..ServiceConfig::default() });
    s.set_stepwise(true);
    s
}

impl Playground {
    pub fn new(definition: String, input: String, seed: u64) -> Playground {
        Playground {
            definition,
            input,
            seed,
            service: Rc::new(RefCell::new(new_service(seed))),
            machine_arn: None,
            deployed: None,
            selected: None,
            refused: None,
            playing: false,
            speed: Speed::X1,
            runs: 0,
            example: None,
            version: 0,
        }
    }

    /// The loaded gallery example's id, or "" for none.
    pub fn example_id(&self) -> String {
        self.example.as_ref().map(|x| x.id.clone()).unwrap_or_default()
    }

    /// The virtual clock's start (the service's start time).
    pub fn start_ms(&self) -> i64 {
        self.service.borrow().config().start_time_ms
    }

    pub fn now_ms(&self) -> i64 {
        self.service.borrow().now_ms()
    }

    fn history_len(&self) -> usize {
        let s = self.service.borrow();
        self.selected
            .as_deref()
            .and_then(|a| s.execution(a))
            .map_or(0, |e| e.history().len())
    }

    /// Anything left that happens without outside help.
    pub fn busy(&self) -> bool {
        let s = self.service.borrow();
        s.next_due_ms().is_some()
            || s.execution_arns()
                .iter()
                .filter_map(|a| s.execution(a))
                .any(|e| e.can_step_at(s.now_ms()))
    }

    fn call(&mut self, op: &str, req: Value) -> Option<Value> {
        let r = self.service.borrow_mut().call(op, &req);
        match r {
            Ok(v) => {
                self.refused = None;
                Some(v)
            }
            Err(e) => {
                self.refused = Some((e.code.to_string(), e.message));
                None
            }
        }
    }

    fn start(&mut self) {
        let definition = self.definition.clone();
        match self.machine_arn.clone() {
            None => {
                if let Some(ex) = self.example.clone() {
                    let installed = ex.install_world(&mut self.service.borrow_mut());
                    if let Err(e) = installed {
                        self.refused = Some((e.code.to_string(), e.message));
                        return;
                    }
                }
                let name = self.example.as_ref().map_or_else(|| MACHINE.to_string(), |x| x.machine_name());
                let req = json!({"name": name, "definition": definition, "roleArn": ROLE});
                let Some(r) = self.call("CreateStateMachine", req) else { return };
                self.machine_arn = r["stateMachineArn"].as_str().map(str::to_string);
                self.deployed = Some(definition);
            }
            Some(arn) if self.deployed.as_deref() != Some(definition.as_str()) => {
                let req = json!({"stateMachineArn": arn, "definition": definition});
                if self.call("UpdateStateMachine", req).is_none() {
                    return;
                }
                self.deployed = Some(definition);
            }
            Some(_) => {}
        }
        let Some(mut arn) = self.machine_arn.clone() else { return };
        if let Some(ex) = &self.example {
            arn = ex.start_target(&arn);
        }
        self.runs += 1;
        let req = json!({"stateMachineArn": arn, "name": format!("run-{}", self.runs), "input": self.input});
        if let Some(r) = self.call("StartExecution", req) {
            self.selected = r["executionArn"].as_str().map(str::to_string);
        }
    }

    fn step(&mut self) {
        let before = self.history_len();
        // Bounded: a step that adds no event to the selected run (another run's work, a quiet
        // engine step) is followed by the next one, up to a limit.
        for _ in 0..10_000 {
            if !self.service.borrow_mut().step() {
                break;
            }
            if self.history_len() != before {
                break;
            }
        }
    }

    /// Executions of the state machine, newest first, as ListExecutions gives them.
    pub fn executions(&self) -> Vec<Value> {
        let Some(arn) = &self.machine_arn else { return Vec::new() };
        let mut s = self.service.borrow_mut();
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut req = json!({"stateMachineArn": arn, "maxResults": 1000});
            if let Some(t) = &token {
                req["nextToken"] = json!(t);
            }
            let Ok(r) = s.call("ListExecutions", &req) else { break };
            out.extend(r["executions"].as_array().cloned().unwrap_or_default());
            match r["nextToken"].as_str() {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
        out
    }

    /// DescribeExecution of the selected run.
    pub fn describe(&self) -> Option<Value> {
        let arn = self.selected.as_ref()?;
        self.service.borrow_mut().call("DescribeExecution", &json!({"executionArn": arn})).ok()
    }

    /// GetExecutionHistory of the selected run, every page.
    pub fn history(&self) -> Vec<Value> {
        let Some(arn) = &self.selected else { return Vec::new() };
        let mut s = self.service.borrow_mut();
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut req = json!({"executionArn": arn, "maxResults": 1000});
            if let Some(t) = &token {
                req["nextToken"] = json!(t);
            }
            let Ok(r) = s.call("GetExecutionHistory", &req) else { break };
            out.extend(r["events"].as_array().cloned().unwrap_or_default());
            match r["nextToken"].as_str() {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
        out
    }

    /// Open tasks of running executions: (state name, token, execution ARN, input).
    pub fn pending(&self) -> Vec<(String, String, String, String)> {
        self.service
            .borrow()
            .pending_tasks()
            .into_iter()
            .map(|(arn, t)| (t.state_name.to_string(), t.token.clone(), arn, t.input.to_string()))
            .collect()
    }

    /// Active states of the selected run.
    pub fn active_states(&self) -> Vec<String> {
        let s = self.service.borrow();
        self.selected
            .as_deref()
            .and_then(|a| s.execution(a))
            .map(|e| e.active_states().iter().map(|n| n.to_string()).collect())
            .unwrap_or_default()
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetDefinition(d) => {
                next.definition = d;
                return Rc::new(next);
            }
            Action::SetInput(i) => {
                next.input = i;
                return Rc::new(next);
            }
            Action::Start => {
                next.start();
                next.playing = next.selected.is_some() && next.refused.is_none();
            }
            Action::Step => {
                next.playing = false;
                // With no running execution selected, Step starts one, paused, and takes its first step.
                let running = next.describe().is_some_and(|d| d["status"] == "RUNNING");
                if !running {
                    next.start();
                }
                if next.refused.is_none() {
                    next.step();
                }
            }
            Action::Tick(real_ms) => {
                if !next.playing {
                    return self; // a tick that arrived after pause
                }
                let now = next.now_ms();
                match next.speed.factor() {
                    Some(f) => next.service.borrow_mut().advance_to(now.saturating_add(real_ms.max(0) * f)),
                    None => {
                        next.service.borrow_mut().run_to_quiescence(now.saturating_add(INSTANT_LIMIT_MS));
                    }
                }
                if !next.busy() {
                    next.playing = false;
                }
            }
            Action::RunToEnd => {
                let now = next.now_ms();
                next.service.borrow_mut().run_to_quiescence(now.saturating_add(INSTANT_LIMIT_MS));
                next.playing = false;
            }
            Action::TogglePlay => next.playing = !next.playing,
            Action::Pause => next.playing = false,
            Action::SetSpeed(s) => {
                next.speed = s;
                return Rc::new(next);
            }
            Action::Select(arn) => next.selected = Some(arn),
            Action::Rerun => {
                let input = next
                    .describe()
                    .and_then(|d| d["input"].as_str().map(str::to_string))
                    .unwrap_or_else(|| next.input.clone());
                let mut fresh = Playground::new(next.definition.clone(), input, next.seed);
                fresh.example = next.example.clone();
                fresh.speed = next.speed;
                fresh.version = next.version;
                fresh.start();
                fresh.input = next.input.clone();
                next = fresh;
            }
            Action::Success { token, output } => {
                next.call("SendTaskSuccess", json!({"taskToken": token, "output": output}));
                // The answer lets the execution go on: play from here.
                next.playing = next.refused.is_none();
            }
            Action::Failure { token, error, cause } => {
                next.call("SendTaskFailure", json!({"taskToken": token, "error": error, "cause": cause}));
                // The answer lets the execution go on: play from here.
                next.playing = next.refused.is_none();
            }
            Action::Heartbeat { token } => {
                next.call("SendTaskHeartbeat", json!({"taskToken": token}));
            }
            Action::LoadExample(id) => {
                let Some(ex) = Example::by_id(&id) else { return self };
                let mut fresh = Playground::new(ex.definition_text(), pretty(&ex.input), next.seed);
                fresh.speed = next.speed;
                fresh.version = next.version;
                fresh.example = Some(Rc::new(ex));
                next = fresh;
            }
        }
        next.version += 1;
        Rc::new(next)
    }
}

/// JSON as the user sees it in an editor.
fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
