//! The page's state and its reducer: one [`Service`] in stepwise mode, the text the user typed,
//! which execution is selected, play/pause and speed. No execution semantics here: actions turn
//! into service calls (AWS request shapes) and clock moves; views read the service's snapshot.
//! Pure Rust (no DOM), so tests/wasm.rs drives it directly.

use crate::playground::examples::Example;
use crate::playground::{console, inspect, replay, share};
use crate::sim::WorldSpec;
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
    /// Show the state visit that starts at this Entered event id in the inspector.
    Inspect(i64),
    /// Show the latest visit of this state in the selected run.
    InspectState(String),
    /// Show the visit an event belongs to (the Entered event its previousEventId chain leads to).
    InspectEvent(i64),
    /// One `aws stepfunctions ...` line from the console pane.
    Console(String),
    /// View a history exported from AWS (GetExecutionHistory JSON) over the current definition,
    /// stepped like a local run.
    Import(String),
    /// Back from an imported history to the local runs.
    LeaveImport,
    /// Restore a shared link's state (definition, input, seed, simulated world).
    Restore(share::Shared),
    /// Replace the simulated world (workers, responders, activities, mocks); applied at once.
    SetWorld(WorldSpec),
    /// Draw the editor's text (true) or the selected execution's definition (false).
    DrawEditor(bool),
    /// Back to what was there before the last example load or share-link restore.
    UndoLoad,
    /// RedriveExecution on the selected run (FAILED, ABORTED or TIMED_OUT): it continues from
    /// the state it stopped in, and plays.
    Redrive,
    /// Put a text, input, world and seed in place without an Undo (opening or leaving a
    /// lesson): the lesson's id, or None for the playground's own work coming back.
    Replace { text: Snapshot, world: Value, seed: u64, lesson: Option<String> },
    /// Look inside one Map iteration or Parallel branch: (the Map/Parallel's Entered event id,
    /// the iteration or branch index); None for that owner shows every iteration again.
    PickScope(i64, Option<usize>),
}

/// What an example load or a restore replaced, so it can be brought back.
#[derive(Clone, PartialEq)]
pub struct Snapshot {
    pub definition: String,
    pub input: String,
    pub world: Rc<WorldSpec>,
    pub machine_name: String,
    pub example_id: String,
}

/// An imported history being viewed: every event, and how many are shown.
#[derive(Clone, PartialEq)]
pub struct Imported {
    pub steps: Rc<Vec<replay::Step>>,
    pub events: Rc<Vec<Rc<Value>>>,
    pub shown: usize,
}

/// A history as the page shares it: each event behind its own `Rc`.
pub type Events = Rc<Vec<Rc<Value>>>;

/// One console exchange: the line and the answer (JSON, or the CLI's error text).
pub type ConsoleEntry = (String, Result<Value, String>);

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
    /// The simulated world, installed with the first start and again whenever it is edited.
    pub world: Rc<WorldSpec>,
    /// The state machine's name (a mock configuration is keyed by it).
    pub machine_name: String,
    /// The gallery example last loaded ("" for none), for the menu.
    pub example_id: String,
    /// The Entered event id of the visit in the inspector.
    pub inspected: Option<i64>,
    /// The console's transcript, oldest first.
    pub console: Rc<Vec<ConsoleEntry>>,
    /// An imported history, when one is being viewed instead of the local runs.
    pub imported: Option<Imported>,
    /// Why the last import was refused.
    pub import_error: Option<String>,
    /// The selected run's history in AWS's shape, extended with new events only (a history only
    /// grows), so a tick of a long run does not rebuild it.
    history_cache: Rc<RefCell<(String, Events)>>,
    /// Bumped on every change of the service, so views re-read it.
    pub version: u64,
    /// The diagram draws the editor's text even though the selected execution ran another
    /// definition (the user typed since, or asked for it).
    pub draw_editor: bool,
    /// What the last example load or restore replaced (for Undo).
    pub replaced: Option<Rc<Snapshot>>,
    /// The Map iterations / Parallel branches picked: (owner's Entered event id, index).
    pub scope_pick: Vec<(i64, usize)>,
    /// The lesson whose text the editor holds (its typing is saved as that lesson's progress,
    /// not as the playground's work); None in the playground.
    pub lesson: Option<String>,
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
            world: Rc::new(WorldSpec::default()),
            machine_name: MACHINE.to_string(),
            example_id: String::new(),
            inspected: None,
            console: Rc::new(Vec::new()),
            imported: None,
            import_error: None,
            history_cache: Rc::new(RefCell::new((String::new(), Rc::new(Vec::new())))),
            version: 0,
            draw_editor: false,
            replaced: None,
            scope_pick: Vec::new(),
            lesson: None,
        }
    }

    /// What a share link or the saved state holds besides the text: the world and the name.
    pub fn world_json(&self) -> Value {
        if self.world.is_empty() && self.machine_name == MACHINE {
            return Value::Null;
        }
        json!({"spec": *self.world, "machineName": self.machine_name})
    }

    /// What a share link carries of this playground (and of the lesson open, if any).
    pub fn shared(&self, lesson: Option<String>) -> crate::playground::share::Shared {
        crate::playground::share::Shared {
            definition: self.definition.clone(),
            input: self.input.clone(),
            seed: self.seed,
            world: self.world_json(),
            lesson,
        }
    }

    /// Takes a world saved by [`Playground::world_json`] (or a bare world, as an embed's
    /// `data-world` holds it); anything unreadable is ignored.
    pub fn set_world_json(&mut self, v: &Value) {
        let spec = if v.get("spec").is_some() { v["spec"].clone() } else { v.clone() };
        if let Ok(spec) = serde_json::from_value::<WorldSpec>(spec) {
            self.world = Rc::new(spec);
        }
        if let Some(n) = v["machineName"].as_str() {
            self.machine_name = n.to_string();
        }
    }

    /// The text and world as they are now, for Undo after a load.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            definition: self.definition.clone(),
            input: self.input.clone(),
            world: self.world.clone(),
            machine_name: self.machine_name.clone(),
            example_id: self.example_id.clone(),
        }
    }

    /// A new playground (a fresh service, no runs) holding `s`, with this one's seed and speed.
    fn fresh_with(&self, s: Snapshot) -> Playground {
        let mut fresh = Playground::new(s.definition, s.input, self.seed);
        fresh.speed = self.speed;
        fresh.version = self.version;
        fresh.world = s.world;
        fresh.machine_name = s.machine_name;
        fresh.example_id = s.example_id;
        fresh
    }

    /// The selected execution's definition and its state machine's name
    /// (DescribeStateMachineForExecution), for a local run.
    pub fn run_definition(&self) -> Option<(String, String)> {
        if self.imported.is_some() {
            return None;
        }
        let arn = self.selected.as_ref()?;
        let d = self.service.borrow_mut().call("DescribeStateMachineForExecution", &json!({"executionArn": arn})).ok()?;
        Some((d["definition"].as_str()?.to_string(), d["name"].as_str().unwrap_or("").to_string()))
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
        if let Some(im) = &self.imported {
            return im.shown < im.events.len();
        }
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
                let installed = self.service.borrow_mut().install_world(&self.world);
                if let Err(e) = installed {
                    self.refused = Some((e.code.to_string(), e.message));
                    return;
                }
                let req = json!({"name": self.machine_name, "definition": definition, "roleArn": ROLE});
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
        if let Some(tc) = &self.world.test_case {
            arn = format!("{arn}#{tc}");
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

    /// Every state machine's ARN, oldest first.
    pub fn machine_arns(&self) -> Vec<String> {
        let r = self.service.borrow_mut().call("ListStateMachines", &json!({"maxResults": 1000})).unwrap_or_default();
        let mut arns: Vec<(f64, String)> = r["stateMachines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| Some((m["creationDate"].as_f64().unwrap_or(0.0), m["stateMachineArn"].as_str()?.to_string())))
            .collect();
        arns.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        arns.into_iter().map(|(_, a)| a).collect()
    }

    /// Every execution of every state machine (the page's and those made from the console),
    /// newest first.
    pub fn executions(&self) -> Vec<Value> {
        let mut s = self.service.borrow_mut();
        let machines = s.call("ListStateMachines", &json!({"maxResults": 1000})).unwrap_or_default();
        let mut out = Vec::new();
        for m in machines["stateMachines"].as_array().into_iter().flatten() {
            let mut token: Option<String> = None;
            loop {
                let mut req = json!({"stateMachineArn": m["stateMachineArn"], "maxResults": 1000});
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
        }
        // Newest first; startDate is epoch seconds.
        out.sort_by(|a, b| b["startDate"].as_f64().partial_cmp(&a["startDate"].as_f64()).unwrap_or(std::cmp::Ordering::Equal));
        out
    }

    /// DescribeExecution of the selected run.
    pub fn describe(&self) -> Option<Value> {
        if let Some(im) = &self.imported {
            return Some(imported_description(im.events[..im.shown].last().map(|e| &**e)));
        }
        let arn = self.selected.as_ref()?;
        self.service.borrow_mut().call("DescribeExecution", &json!({"executionArn": arn})).ok()
    }

    /// The selected run's history: GetExecutionHistory's events, every page.
    pub fn history(&self) -> Vec<Value> {
        self.history_rc().iter().map(|e| (**e).clone()).collect()
    }

    /// As [`Playground::history`], shared: the same `Rc` while nothing happened, and each event
    /// behind its own `Rc`, so a longer history copies pointers, not events.
    pub fn history_rc(&self) -> Rc<Vec<Rc<Value>>> {
        if let Some(im) = &self.imported {
            return Rc::new(im.events[..im.shown].to_vec());
        }
        let Some(arn) = &self.selected else { return Rc::new(Vec::new()) };
        let s = self.service.borrow();
        let Some(exec) = s.execution(arn) else { return Rc::new(Vec::new()) };
        let all = exec.history();
        let mut cache = self.history_cache.borrow_mut();
        if cache.0 != *arn || cache.1.len() > all.len() {
            *cache = (arn.clone(), Rc::new(Vec::new()));
        }
        if cache.1.len() < all.len() {
            // The same events GetExecutionHistory returns (Event::to_aws), only the new ones built.
            let mut events = cache.1.as_ref().clone();
            events.extend(all[events.len()..].iter().map(|e| Rc::new(e.to_aws())));
            cache.1 = Rc::new(events);
        }
        cache.1.clone()
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

    /// The inspected visit of the selected run, rebuilt from its definition and history.
    pub fn inspection(&self, events: &[Rc<Value>]) -> Option<Rc<Result<inspect::Visit, String>>> {
        let id = self.inspected?;
        let events: Vec<Value> = events.iter().map(|e| (**e).clone()).collect();
        let events = &events[..];
        if self.imported.is_some() {
            return Some(Rc::new(inspect::explain(&self.definition, events, id)));
        }
        let arn = self.selected.clone()?;
        let described = self
            .service
            .borrow_mut()
            .call("DescribeStateMachineForExecution", &json!({"executionArn": arn}))
            .ok()?;
        let definition = described["definition"].as_str()?.to_string();
        let info = inspect::RunInfo {
            execution_arn: arn,
            state_machine_arn: described["stateMachineArn"].as_str().unwrap_or("").to_string(),
            express: false,
        };
        Some(Rc::new(inspect::explain_run(&definition, events, id, &info)))
    }

    /// Active states of the selected run.
    pub fn active_states(&self) -> Vec<String> {
        if let Some(im) = &self.imported {
            return replay::highlights(&im.steps, im.shown).active;
        }
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
        let t0 = web_sys::window().and_then(|w| w.performance()).map(|p| p.now());
        let before = Rc::clone(&self);
        let out = self.reduce_inner(action);
        if let (Some(t0), Some(t1)) = (t0, web_sys::window().and_then(|w| w.performance()).map(|p| p.now())) {
            LAST_REDUCE_MS.with(|c| c.set(t1 - t0));
        }
        LAST_REDUCE_KEPT.with(|c| c.set(Rc::ptr_eq(&before, &out)));
        out
    }
}

thread_local! {
    static LAST_REDUCE_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    static LAST_REDUCE_KEPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How long the last action took in the reducer (ms), for the page benchmark.
pub fn last_reduce_ms() -> f64 {
    LAST_REDUCE_MS.with(|c| c.get())
}

/// Whether the last action changed nothing (the reducer gave back the state it was given):
/// `use_reducer` then does not render (Yew 0.23 skips a dispatch that returns the same `Rc`).
pub fn last_reduce_kept() -> bool {
    LAST_REDUCE_KEPT.with(|c| c.get())
}

impl Playground {
    fn reduce_inner(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetDefinition(d) => {
                next.definition = d;
                // Typing: the diagram follows the text, not the run made from an older one.
                next.draw_editor = true;
                return Rc::new(next);
            }
            Action::SetInput(i) => {
                next.input = i;
                return Rc::new(next);
            }
            Action::Start | Action::Rerun if next.imported.is_some() => {
                if let Some(im) = &mut next.imported {
                    im.shown = 0;
                }
                next.inspected = None;
                next.playing = true;
            }
            Action::Start => {
                next.inspected = None;
                next.draw_editor = false;
                next.scope_pick.clear();
                next.start();
                next.playing = next.selected.is_some() && next.refused.is_none();
            }
            Action::Step if next.imported.is_some() => {
                next.playing = false;
                if let Some(im) = &mut next.imported {
                    im.shown = (im.shown + 1).min(im.events.len());
                }
            }
            Action::Tick(_) if next.imported.is_some() => {
                if !next.playing {
                    return self;
                }
                let per_tick = next.speed.factor().map_or(usize::MAX, |f| f as usize);
                if let Some(im) = &mut next.imported {
                    im.shown = im.shown.saturating_add(per_tick).min(im.events.len());
                }
                if !next.busy() {
                    next.playing = false;
                }
            }
            Action::RunToEnd if next.imported.is_some() => {
                if let Some(im) = &mut next.imported {
                    im.shown = im.events.len();
                }
                next.playing = false;
            }
            Action::Step => {
                next.playing = false;
                // With no running execution selected, Step starts one, paused, and takes its first step.
                let running = next.describe().is_some_and(|d| d["status"] == "RUNNING");
                if !running {
                    next.draw_editor = false;
                    next.scope_pick.clear();
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
            Action::Select(arn) => {
                next.selected = Some(arn);
                next.inspected = None;
                next.draw_editor = false;
                next.scope_pick.clear();
            }
            Action::Redrive => {
                let Some(arn) = next.selected.clone() else { return self };
                if next.call("RedriveExecution", json!({"executionArn": arn})).is_some() {
                    next.playing = true;
                    next.inspected = None;
                }
            }
            Action::Rerun => {
                let input = next
                    .describe()
                    .and_then(|d| d["input"].as_str().map(str::to_string))
                    .unwrap_or_else(|| next.input.clone());
                let mut fresh = Playground::new(next.definition.clone(), input, next.seed);
                fresh.world = next.world.clone();
                fresh.machine_name = next.machine_name.clone();
                fresh.example_id = next.example_id.clone();
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
            Action::Inspect(id) => next.inspected = Some(id),
            Action::InspectState(name) => {
                let events = next.history();
                match inspect::last_visit_of(&events, &name) {
                    Some(id) => next.inspected = Some(id),
                    None => return self,
                }
            }
            Action::InspectEvent(id) => {
                let events = next.history();
                match inspect::visit_of_event(&events, id) {
                    Some(entered) => next.inspected = Some(entered),
                    None => return self,
                }
            }
            Action::SetWorld(spec) => {
                next.world = Rc::new(spec);
                // Once the service has the machine, the new world replaces the old one at once.
                if next.machine_arn.is_some() {
                    let r = next.service.borrow_mut().install_world(&next.world);
                    next.refused = r.err().map(|e| (e.code.to_string(), e.message));
                }
            }
            Action::Console(line) => {
                let answer = console::run(&mut next.service.borrow_mut(), &line);
                // A run started from the console is shown and played.
                if let Some(arn) = answer.as_ref().ok().and_then(|v| v["executionArn"].as_str()) {
                    next.imported = None;
                    next.selected = Some(arn.to_string());
                    next.inspected = None;
                    next.draw_editor = false;
                    next.scope_pick.clear();
                    next.playing = next.busy();
                }
                let mut log = (*next.console).clone();
                log.push((line, answer));
                next.console = Rc::new(log);
            }
            Action::Import(text) => match replay::import(&text) {
                Ok(steps) => {
                    // Timestamps as epoch seconds, as the local history has them.
                    let events: Vec<Rc<Value>> = steps
                        .iter()
                        .map(|st| {
                            let mut e = st.event.clone();
                            e["timestamp"] = json!(st.time_ms as f64 / 1000.0);
                            Rc::new(e)
                        })
                        .collect();
                    next.imported = Some(Imported { shown: 0, events: Rc::new(events), steps: Rc::new(steps) });
                    next.import_error = None;
                    next.inspected = None;
                    next.scope_pick.clear();
                    next.playing = false;
                }
                Err(e) => next.import_error = Some(e),
            },
            Action::LeaveImport => {
                next.imported = None;
                next.inspected = None;
                next.scope_pick.clear();
                next.playing = false;
            }
            Action::Restore(shared) => {
                let mut fresh = Playground::new(shared.definition, shared.input, shared.seed);
                fresh.speed = next.speed;
                fresh.version = next.version;
                fresh.set_world_json(&shared.world);
                fresh.replaced = Some(Rc::new(next.snapshot()));
                next = fresh;
            }
            Action::UndoLoad => {
                let Some(before) = next.replaced.clone() else { return self };
                next = next.fresh_with((*before).clone());
            }
            Action::Replace { text, world, seed, lesson } => {
                next.seed = seed;
                let mut fresh = next.fresh_with(text);
                fresh.set_world_json(&world);
                fresh.lesson = lesson;
                next = fresh;
            }
            Action::DrawEditor(on) => next.draw_editor = on,
            Action::PickScope(owner, index) => {
                next.scope_pick.retain(|(o, _)| *o != owner);
                if let Some(i) = index {
                    next.scope_pick.push((owner, i));
                }
                next.inspected = None;
            }
            Action::LoadExample(id) => {
                let Some(ex) = Example::by_id(&id) else { return self };
                let mut fresh = next.fresh_with(Snapshot {
                    definition: ex.definition_text(),
                    input: pretty(&ex.input),
                    world: Rc::new(ex.world()),
                    machine_name: ex.machine_name(),
                    example_id: ex.id.clone(),
                });
                fresh.replaced = Some(Rc::new(next.snapshot()));
                next = fresh;
            }
        }
        next.version += 1;
        Rc::new(next)
    }
}

/// What DescribeExecution would say after the shown part of an imported history.
fn imported_description(last: Option<&Value>) -> Value {
    let status = match last.and_then(|e| e["type"].as_str()) {
        Some("ExecutionSucceeded") => "SUCCEEDED",
        Some("ExecutionFailed") => "FAILED",
        Some("ExecutionTimedOut") => "TIMED_OUT",
        Some("ExecutionAborted") => "ABORTED",
        _ => "RUNNING",
    };
    let mut d = json!({"status": status, "imported": true});
    if let Some(details) = last.and_then(|e| e.as_object()).and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails"))).map(|(_, v)| v) {
        if status == "SUCCEEDED" {
            if let Some(o) = details.get("output") {
                d["output"] = match o {
                    Value::String(_) => o.clone(),
                    other => json!(other.to_string()),
                };
            }
        } else if status != "RUNNING" {
            for k in ["error", "cause"] {
                if let Some(v) = details.get(k) {
                    d[k] = v.clone();
                }
            }
        }
    }
    d
}

/// JSON as the user sees it in an editor.
fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
