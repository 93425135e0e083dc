//! The execution: frames, the scheduler and the public stepping API.

use super::clock::{Clock, TimerKind};
use super::history::{Details, Event};
use super::tasks::PendingTask;
use crate::asl::errors::Failure;
use crate::asl::model::Machine;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

/// AWS's history limit: the execution fails when it would write more events.
pub const MAX_HISTORY_EVENTS: usize = 25_000;
/// AWS's payload limit in bytes (state input/output, task results, execution input).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// Who and where the execution is: names, ARNs and the virtual start time.
#[derive(Debug, Clone)]
pub struct Config {
    pub execution_arn: String,
    pub execution_name: String,
    pub state_machine_arn: String,
    pub state_machine_name: String,
    pub role_arn: String,
    pub region: String,
    pub account: String,
    /// Virtual start time, milliseconds since the Unix epoch.
    pub start_time_ms: i64,
    pub seed: u64,
    /// StartSyncExecution runs have no `Execution.RedriveCount` in their context object.
    pub redrive_count_in_context: bool,
    /// The service's limit on how long an execution may run (5 minutes for Express), in addition
    /// to the definition's own TimeoutSeconds.
    pub max_duration_ms: Option<i64>,
    /// The activities that exist, when the caller keeps them (the service does): a Task on an
    /// activity that does not exist fails with States.Runtime before scheduling anything.
    pub activities: Option<ActivityRegistry>,
    /// The simulated S3 a Distributed Map's ItemReader reads from.
    pub objects: Option<super::items::ObjectStore>,
}

/// The set of existing activity ARNs, shared between the service and its executions.
#[derive(Debug, Clone, Default)]
pub struct ActivityRegistry(pub Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>);

impl ActivityRegistry {
    pub fn contains(&self, arn: &str) -> bool {
        self.0.lock().map(|s| s.contains(arn)).unwrap_or(true)
    }
    pub fn insert(&self, arn: &str) {
        if let Ok(mut s) = self.0.lock() {
            s.insert(arn.to_string());
        }
    }
    pub fn remove(&self, arn: &str) {
        if let Ok(mut s) = self.0.lock() {
            s.remove(arn);
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        let (region, account) = ("us-east-1".to_string(), "123456789012".to_string());
        Config {
            execution_arn: format!("arn:aws:states:{region}:{account}:execution:HelloWorld:run-1"),
            execution_name: "run-1".into(),
            state_machine_arn: format!("arn:aws:states:{region}:{account}:stateMachine:HelloWorld"),
            state_machine_name: "HelloWorld".into(),
            role_arn: format!("arn:aws:iam::{account}:role/StepFunctionsRole"),
            region,
            account,
            start_time_ms: 1_735_689_600_000, // 2025-01-01T00:00:00Z
            seed: 0,
            redrive_count_in_context: true,
            max_duration_ms: None,
            activities: None,
            objects: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl Status {
    pub fn as_aws(&self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// Variables a state assigns when it exits, in the order written.
pub(crate) type Assigned = Option<Vec<(String, Value)>>;

/// A variable as frame `fid` sees it: its own, else its enclosing frames', up to a Distributed
/// Map child's boundary.
pub(crate) fn lookup_variable(frames: &[Frame], fid: usize, name: &str) -> Option<Value> {
    let mut at = Some(fid);
    while let Some(f) = at {
        if let Some(v) = frames[f].vars.get(name) {
            return Some(v.clone());
        }
        if frames[f].isolated {
            return None;
        }
        at = frames[f].parent.map(|(p, _)| p);
    }
    None
}

/// What a frame does on its next step.
#[derive(Debug, Clone)]
pub(crate) enum Phase {
    /// Enter the current state: write its Entered event and start its work.
    Enter,
    /// Write the Exited event, assign variables and move to `next` (None ends the frame).
    Exit {
        output: Arc<Value>,
        assigned: Option<Vec<(String, Value)>>,
        next: Option<usize>,
    },
    /// Blocked on a timer, a task answer or child frames.
    Blocked,
    /// Finished (successfully, failed or aborted).
    Done,
}

/// Children of a Parallel or Map state that is running them.
#[derive(Debug, Clone)]
pub(crate) struct Children {
    pub frames: Vec<Option<usize>>,
    pub results: Vec<Option<Arc<Value>>>,
    /// Map: items not started yet, and the concurrency limit (0 = unlimited).
    pub pending_items: VecDeque<usize>,
    pub items: Arc<Vec<Value>>,
    pub effective_input: Arc<Value>,
    pub limit: usize,
    pub running: usize,
    pub done: usize,
}

/// A thread of control: the top level, one Parallel branch or one Map iteration.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub machine: Arc<Machine>,
    /// (parent frame, child slot).
    pub parent: Option<(usize, usize)>,
    pub state: usize,
    pub phase: Phase,
    /// Raw input of the current state.
    pub input: Arc<Value>,
    /// The id this frame's next event points at (previousEventId).
    pub last_event: u64,
    pub entered_event: u64,
    pub entered_time: i64,
    /// Bumped whenever the frame moves on, so stale timers are ignored.
    pub epoch: u64,
    /// This frame's own variables; lookups fall back to the parent's.
    pub vars: HashMap<String, Value>,
    /// Per retrier attempt counts for the current state visit.
    pub retry_counts: Vec<u64>,
    /// Retries so far of the current state visit ($$.State.RetryCount).
    pub retry_count: u64,
    /// The Map item this iteration frame runs (index, value).
    pub map_item: Option<(usize, Value)>,
    pub children: Option<Children>,
    /// Effective input of the current state's work (kept for retries of Task/Parallel/Map).
    pub effective: Option<Arc<Value>>,
    /// The open task of this frame, if any.
    pub task: Option<u64>,
    /// Variables a blocked state will assign when it exits (Wait).
    pub pending_assign: Option<Vec<(String, Value)>>,
    /// The running Parallel/Map state failed because a child failed (it writes its ...StateFailed
    /// event unless it retries).
    pub children_failed: bool,
    /// Frames of a Distributed Map's child executions: their events belong to their own
    /// histories, not this one, so they are not written here.
    pub hidden: bool,
    /// A Distributed Map child execution: it sees none of the parent's variables.
    pub isolated: bool,
    /// The MapRunStarted event of a running Distributed Map.
    pub map_run_started: u64,
    /// The running Distributed Map's Map Run ARN.
    pub map_run_arn: Option<String>,
    /// The Distributed Map's Map Run (an index into `Execution::map_runs`).
    pub map_run: Option<usize>,
    /// The children of the Parallel or Map state (by index) that failed because a child failed,
    /// kept so RedriveExecution runs only the unsuccessful ones again (see `redrive.rs`).
    pub redrive_children: Option<(usize, Children)>,
}

pub struct Execution {
    pub(crate) cfg: Config,
    pub(crate) machine: Arc<Machine>,
    pub(crate) input_text: Arc<str>,
    pub(crate) input: Arc<Value>,
    pub(crate) clock: Clock,
    pub(crate) frames: Vec<Frame>,
    /// Frames ready to step; the current frame keeps running until it blocks (run-to-block), which
    /// gives AWS's event order for branches and iterations that do not block.
    pub(crate) runnable: VecDeque<usize>,
    pub(crate) history: Vec<Event>,
    pub(crate) status: Status,
    pub(crate) output: Option<Arc<Value>>,
    pub(crate) failure: Option<Failure>,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) tasks: BTreeMap<u64, PendingTask>,
    pub(crate) next_task: u64,
    pub(crate) started: bool,
    /// The whole context object (`$$`), when the caller gives it (TestState's `context`).
    pub(crate) context_override: Option<Value>,
    /// RedriveExecution: how many times it was redriven, and when last (see `redrive.rs`).
    pub(crate) redrive_count: u64,
    pub(crate) redrive_ms: Option<i64>,
    /// The Map Runs of its Distributed Maps, oldest first (see `map_runs.rs`).
    pub(crate) map_runs: Vec<super::map_runs::MapRun>,
    /// Child executions whose history reached the limit, to fail on the next step.
    pub(crate) overflowed: Vec<usize>,
}

impl Execution {
    /// A new execution of `machine` on `input` (the caller's JSON text, kept verbatim for
    /// ExecutionStarted). Nothing runs until it is stepped.
    pub fn new(machine: Arc<Machine>, input_text: &str, input: Value, cfg: Config) -> Execution {
        let rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let clock = Clock::new(cfg.start_time_ms);
        let top = Frame::new(
            machine.clone(),
            None,
            machine.start,
            Arc::new(input.clone()),
            0,
        );
        Execution {
            input_text: Arc::from(input_text),
            input: Arc::new(input),
            cfg,
            machine,
            clock,
            frames: vec![top],
            runnable: VecDeque::new(),
            history: Vec::new(),
            status: Status::Running,
            output: None,
            failure: None,
            rng,
            tasks: BTreeMap::new(),
            next_task: 0,
            started: false,
            context_override: None,
            redrive_count: 0,
            redrive_ms: None,
            map_runs: Vec::new(),
            overflowed: Vec::new(),
        }
    }

    pub fn status(&self) -> Status {
        self.status
    }
    pub fn output(&self) -> Option<&Value> {
        self.output.as_deref()
    }
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
    pub fn history(&self) -> &[Event] {
        &self.history
    }
    pub fn config(&self) -> &Config {
        &self.cfg
    }
    /// Virtual now, milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now()
    }
    /// The time of the next timer, if any (the page uses it to pace play).
    pub fn next_timer_ms(&self) -> Option<i64> {
        self.clock.next_due()
    }

    /// Names of the states running right now, innermost included (a Map and its iterations' states).
    pub fn active_states(&self) -> Vec<Arc<str>> {
        let mut out = Vec::new();
        for f in &self.frames {
            if !matches!(f.phase, Phase::Done)
                && self.status == Status::Running
                && (self.started || f.parent.is_some())
            {
                if let Some(s) = f.machine.states.get(f.state) {
                    if !matches!(f.phase, Phase::Enter) {
                        out.push(s.name.clone());
                    }
                }
            }
        }
        out
    }

    /// Does one thing: the next frame step, or else the next timer. False when nothing can happen
    /// without outside help (finished, or only waiting for task answers).
    pub fn step(&mut self) -> bool {
        if self.status != Status::Running {
            return false;
        }
        if !self.started {
            self.start();
            return true;
        }
        if self.fail_overflowed_child() {
            return true;
        }
        if let Some(&fid) = self.runnable.front() {
            if self.frames[fid].phase_is_runnable() {
                self.advance(fid);
            } else {
                self.runnable.pop_front();
            }
            return true;
        }
        if let Some(kind) = self.clock.pop() {
            self.fire(kind);
            return true;
        }
        false
    }

    /// True when [`Execution::step`] has something to do at virtual time `t_ms` (work queued now, or a
    /// timer due by then).
    pub fn can_step_at(&self, t_ms: i64) -> bool {
        self.status == Status::Running
            && (!self.started
                || !self.runnable.is_empty()
                || self.clock.next_due().is_some_and(|due| due <= t_ms))
    }

    /// Moves the execution's clock forward to `t_ms` without doing anything (nothing is due before).
    pub fn sync_clock(&mut self, t_ms: i64) {
        self.clock.advance_to(t_ms);
    }

    /// Steps until nothing is left to do at or before virtual time `t_ms`; the clock ends at `t_ms`
    /// unless the execution finished earlier.
    pub fn run_until(&mut self, t_ms: i64) {
        loop {
            if self.status != Status::Running {
                return;
            }
            if !self.started || !self.runnable.is_empty() {
                self.step();
                continue;
            }
            match self.clock.next_due() {
                Some(due) if due <= t_ms => {
                    self.step();
                }
                _ => break,
            }
        }
        self.clock.advance_to(t_ms);
    }

    /// Steps until the execution finishes or waits for outside help (a task answer).
    pub fn run_to_quiescence(&mut self) {
        while self.step() {}
    }

    /// Stops the execution (StopExecution): ExecutionAborted, no state events for the open states.
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) {
        if self.status != Status::Running {
            return;
        }
        self.emit(
            0,
            "ExecutionAborted",
            Details::ErrorCause {
                error: error.clone(),
                cause: cause.clone(),
            },
        );
        self.finish(
            Status::Aborted,
            None,
            Some(Failure {
                error,
                cause,
                heartbeat: false,
            }),
        );
    }

    pub fn pending_tasks(&self) -> impl Iterator<Item = &PendingTask> {
        self.tasks.values()
    }

    pub(crate) fn start(&mut self) {
        self.started = true;
        let input_text = self.input_text.clone();
        self.emit(
            0,
            "ExecutionStarted",
            Details::ExecutionStarted {
                input: input_text,
                role_arn: self.cfg.role_arn.clone(),
            },
        );
        let own = self.machine.timeout_seconds.map(|t| (t as i64) * 1000);
        let limit = match (own, self.cfg.max_duration_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(ms) = limit {
            self.clock
                .schedule(self.cfg.start_time_ms + ms, TimerKind::ExecutionTimeout);
        }
        self.runnable.push_back(0);
    }

    /// One step of frame `fid`.
    fn advance(&mut self, fid: usize) {
        match self.frames[fid].phase.clone() {
            Phase::Enter => self.enter_state(fid),
            Phase::Exit {
                output,
                assigned,
                next,
            } => self.exit_state(fid, output, assigned, next),
            Phase::Blocked | Phase::Done => {
                self.runnable.retain(|&f| f != fid);
            }
        }
    }

    fn fire(&mut self, kind: TimerKind) {
        match kind {
            TimerKind::WaitEnded { frame, epoch } => {
                if self.frames[frame].epoch == epoch {
                    self.wait_ended(frame);
                }
            }
            TimerKind::RetryDue { frame, epoch } => {
                if self.frames[frame].epoch == epoch {
                    self.retry_due(frame);
                }
            }
            TimerKind::TaskTimeout { token } => self.task_timed_out(token, false),
            TimerKind::HeartbeatTimeout { token, beat } => {
                if self.tasks.get(&token).map(|t| t.beats) == Some(beat) {
                    self.task_timed_out(token, true);
                }
            }
            TimerKind::ExecutionTimeout => {
                let last = self.history.last().map(|e| e.id).unwrap_or(0);
                self.emit(
                    last,
                    "ExecutionTimedOut",
                    Details::ErrorCause {
                        error: Some("States.Timeout".into()),
                        cause: None,
                    },
                );
                self.finish(
                    Status::TimedOut,
                    None,
                    Some(Failure::error_only("States.Timeout")),
                );
            }
        }
    }

    /// Appends an event pointing at `previous`; returns its id. Past the history limit the
    /// execution fails the way AWS fails it.
    pub(crate) fn emit(&mut self, previous: u64, kind: &'static str, details: Details) -> u64 {
        let id = self.history.len() as u64 + 1;
        self.history.push(Event {
            id,
            previous,
            time_ms: self.clock.now(),
            kind,
            details,
        });
        if self.history.len() == MAX_HISTORY_EVENTS - 1 && self.status == Status::Running {
            let cause = format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS}).");
            let f = Failure::new(crate::asl::errors::RUNTIME, cause);
            self.history.push(Event {
                id: id + 1,
                previous: id,
                time_ms: self.clock.now(),
                kind: "ExecutionFailed",
                details: Details::ErrorCause {
                    error: f.error.clone(),
                    cause: f.cause.clone(),
                },
            });
            self.finish(Status::Failed, None, Some(f));
        }
        id
    }

    /// Emits an event for frame `fid` (previousEventId = the frame's last event) and makes it the
    /// frame's last event.
    pub(crate) fn emit_in(&mut self, fid: usize, kind: &'static str, details: Details) -> u64 {
        let prev = self.frames[fid].last_event;
        let id = self.emit_for(fid, prev, kind, details);
        self.frames[fid].last_event = id;
        id
    }

    pub(crate) fn finish(
        &mut self,
        status: Status,
        output: Option<Arc<Value>>,
        failure: Option<Failure>,
    ) {
        if self.status != Status::Running {
            return;
        }
        self.status = status;
        self.output = output;
        self.failure = failure;
        self.abort_map_runs();
        self.runnable.clear();
        self.clock.clear();
        self.tasks.clear();
        for f in &mut self.frames {
            f.phase = Phase::Done;
        }
    }

    pub(crate) fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Makes `fid` the next frame to step (run-to-block order).
    pub(crate) fn run_next(&mut self, fid: usize) {
        self.runnable.retain(|&f| f != fid);
        self.runnable.push_front(fid);
    }

    /// Adds a new frame and returns its id.
    pub(crate) fn add_frame(&mut self, frame: Frame) -> usize {
        self.frames.push(frame);
        self.frames.len() - 1
    }
}

impl Frame {
    pub(crate) fn new(
        machine: Arc<Machine>,
        parent: Option<(usize, usize)>,
        state: usize,
        input: Arc<Value>,
        last_event: u64,
    ) -> Frame {
        Frame {
            machine,
            parent,
            state,
            phase: Phase::Enter,
            input,
            last_event,
            entered_event: 0,
            entered_time: 0,
            epoch: 0,
            vars: HashMap::new(),
            retry_counts: Vec::new(),
            retry_count: 0,
            map_item: None,
            children: None,
            effective: None,
            task: None,
            pending_assign: None,
            children_failed: false,
            hidden: false,
            isolated: false,
            map_run_started: 0,
            map_run_arn: None,
            map_run: None,
            redrive_children: None,
        }
    }
    fn phase_is_runnable(&self) -> bool {
        matches!(self.phase, Phase::Enter | Phase::Exit { .. })
    }
}
