//! The Step Functions API over the engine: an operation name and an AWS-shaped JSON request give an
//! AWS-shaped JSON response or an AWS error. The page's console, the JS API and the native endpoint
//! are thin adapters over [`Service::call`].
//!
//! The service owns the world's virtual clock. Every execution runs on it; operations that need
//! time to pass (a long-polling GetActivityTask, StartSyncExecution) advance it, and so do
//! [`Service::advance_to`] and [`Service::run_to_quiescence`] (the page's play/step controls and
//! the endpoint's wall clock).

mod activities;
mod aliases;
pub mod arn;
mod callbacks;
mod definition;
pub mod error;
mod executions;
mod idle_clock;
mod map_runs;
mod nested;
mod pagination;
mod redrive;
mod request;
mod state_machines;
mod store;
mod tags;
mod test_state;
mod test_state_fields;
mod validation;
mod variables;
mod versions;
mod world;

pub use arn::{Arn, ArnScope};
pub use definition::load_definition;
pub use error::ServiceError;

use crate::engine::{Execution, PendingTask, Status};
use crate::sim::Mocks;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a Task calling a service gets when no mock answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmocked {
    /// Answer at once: a Lambda function returns its input; `lambda:invoke` an Invoke response
    /// whose Payload is the request's Payload; any other integration `{}`. A `.waitForTaskToken`
    /// call is submitted and then waits for SendTaskSuccess/Failure.
    Echo,
    /// Leave the task open (it ends by a timeout, or never).
    Wait,
}

#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub partition: String,
    pub region: String,
    pub account: String,
    /// Seed of every random choice: names, tokens, jitter, States.UUID.
    pub seed: u64,
    /// Virtual time at start, milliseconds since the Unix epoch.
    pub start_time_ms: i64,
    /// A Step Functions Local mock configuration; a test case is chosen by starting an execution
    /// on `<stateMachineArn>#<TestCaseName>`.
    pub mock_config: Option<Value>,
    pub unmocked: Unmocked,
    /// Keep at most this many finished executions: past it, the one that finished first is
    /// dropped (running ones never are) and is ExecutionDoesNotExist from then on. None: keep all.
    pub retain_executions: Option<usize>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            partition: "aws".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            seed: 0,
            start_time_ms: 1_735_689_600_000, // 2025-01-01T00:00:00Z
            mock_config: None,
            unmocked: Unmocked::Echo,
            retain_executions: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct StateMachineRecord {
    pub arn: String,
    pub name: String,
    pub definition: String,
    pub machine: std::sync::Arc<crate::asl::model::Machine>,
    pub role_arn: String,
    pub express: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub logging: Value,
    pub tracing: Value,
    pub revision_id: Option<String>,
    pub deleting: bool,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct ActivityRecord {
    pub arn: String,
    pub name: String,
    pub created_ms: i64,
    pub tags: Vec<(String, String)>,
}

pub(crate) struct ExecutionRecord {
    pub arn: String,
    pub name: String,
    /// The state machine as it was when the execution started.
    pub machine: StateMachineRecord,
    pub input_text: String,
    pub start_ms: i64,
    pub stop_ms: Option<i64>,
    pub exec: Execution,
    pub mocks: Option<Mocks>,
    pub trace_header: Option<String>,
    /// The version it ran (started on a version or an alias ARN), and the alias.
    pub version_arn: Option<String>,
    pub alias_arn: Option<String>,
    /// The clientToken of the last RedriveExecution.
    pub redrive_token: Option<String>,
    /// What the service's indexes last saw of it (`store`).
    pub indexed: store::Indexed,
}

pub struct Service {
    pub(crate) scope: ArnScope,
    pub(crate) cfg: ServiceConfig,
    pub(crate) now_ms: i64,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) state_machines: BTreeMap<String, StateMachineRecord>,
    pub(crate) activities: BTreeMap<String, ActivityRecord>,
    /// The executions, indexed; with them every task token handed out and its execution.
    pub(crate) executions: store::Executions,
    /// State machines being deleted (they go when none of their executions runs).
    pub(crate) deleting: BTreeSet<String>,
    /// Tokens answered by the default world (Unmocked::Echo) or handed to a worker.
    pub(crate) handled: HashSet<String>,
    pub(crate) world: world::World,
    /// The activity ARNs that exist, as executions see them.
    pub(crate) activity_registry: crate::engine::ActivityRegistry,
    /// The simulated S3 that Distributed Maps read items from.
    pub(crate) objects: crate::engine::ObjectStore,
    /// `.sync` parents waiting for their child executions.
    pub(crate) waiting: Vec<nested::Waiting>,
    /// Stepwise mode (the page's step and play controls): operations leave the work they cause
    /// for [`Service::step`] / [`Service::advance_to`] instead of running it at once.
    pub(crate) stepwise: bool,
    /// Versions and aliases, by unqualified state machine ARN.
    pub(crate) published: BTreeMap<String, versions::Published>,
}

/// The operations, as the `X-Amz-Target` suffix names them.
pub const OPERATIONS: &[&str] = &[
    "CreateActivity",
    "CreateStateMachine",
    "CreateStateMachineAlias",
    "DeleteActivity",
    "DeleteStateMachine",
    "DeleteStateMachineAlias",
    "DeleteStateMachineVersion",
    "DescribeActivity",
    "DescribeExecution",
    "DescribeMapRun",
    "DescribeStateMachine",
    "DescribeStateMachineAlias",
    "DescribeStateMachineForExecution",
    "GetActivityTask",
    "GetExecutionHistory",
    "ListActivities",
    "ListExecutions",
    "ListMapRuns",
    "ListStateMachineAliases",
    "ListStateMachineVersions",
    "ListStateMachines",
    "ListTagsForResource",
    "PublishStateMachineVersion",
    "RedriveExecution",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "TagResource",
    "TestState",
    "UntagResource",
    "UpdateMapRun",
    "UpdateStateMachine",
    "UpdateStateMachineAlias",
    "ValidateStateMachineDefinition",
];

impl Service {
    pub fn new(cfg: ServiceConfig) -> Service {
        Service {
            scope: ArnScope {
                partition: cfg.partition.clone(),
                region: cfg.region.clone(),
                account: cfg.account.clone(),
            },
            now_ms: cfg.start_time_ms,
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
            cfg,
            state_machines: BTreeMap::new(),
            activities: BTreeMap::new(),
            executions: Default::default(),
            deleting: BTreeSet::new(),
            handled: HashSet::new(),
            world: world::World::default(),
            activity_registry: Default::default(),
            objects: Default::default(),
            waiting: Vec::new(),
            stepwise: false,
            published: BTreeMap::new(),
        }
    }

    /// Stepwise mode: StartExecution, SendTask* and new workers no longer run the work they cause;
    /// [`Service::step`], [`Service::advance_to`] or [`Service::run_to_quiescence`] do.
    pub fn set_stepwise(&mut self, on: bool) {
        self.stepwise = on;
    }

    /// What operations call after a change: [`Service::settle`] unless stepwise.
    pub(crate) fn auto_settle(&mut self) {
        if !self.stepwise {
            self.settle();
        }
    }

    /// Does one thing, deterministically: the first running execution (oldest first) with work at
    /// the current virtual time takes one engine step (then mocks, default answers and the world
    /// react at that time); with nothing to do now, the clock moves to the next due timer (an
    /// execution's or the world's) and that thing happens. False when nothing can happen without
    /// outside help.
    pub fn step(&mut self) -> bool {
        let acted = self.step_once();
        self.enforce_retention();
        acted
    }

    fn step_once(&mut self) -> bool {
        if self.step_first_ready() {
            self.react();
            return true;
        }
        if self.react() {
            return true;
        }
        match self.next_due_ms() {
            Some(next) => {
                self.now_ms = self.now_ms.max(next);
                self.step_first_ready();
                self.react();
                true
            }
            None => false,
        }
    }

    /// One engine step of the oldest execution with work at the current time, if any.
    fn step_first_ready(&mut self) -> bool {
        let now = self.now_ms;
        let Some(i) = self.executions.first_ready(now) else { return false };
        let mut rec = self.executions.get_mut(i, now);
        rec.exec.step();
        rec.exec.sync_clock(now);
        true
    }

    /// One pass of everything outside the executions at the current time, over the executions
    /// changed since the last: mocked and default answers to open tasks, the simulated world's due
    /// actions, child executions. True when something acted.
    fn react(&mut self) -> bool {
        let now = self.now_ms;
        let mut changed = false;
        let looked_at = self.executions.take_touched();
        for &i in &looked_at {
            let running = self.executions.visit(i, now).is_some_and(|r| r.exec.status() == Status::Running);
            if running {
                changed |= self.answer_open_tasks(i);
            }
        }
        changed |= self.world_step(&looked_at);
        changed |= self.nested_step(&looked_at);
        changed
    }

    /// Execution `i`'s open tasks: its mocks answer, tokens are registered, what nobody mocked
    /// gets the default answer (states:startExecution excepted: nested.rs runs a real child).
    /// True when something was answered.
    fn answer_open_tasks(&mut self, i: usize) -> bool {
        let now = self.now_ms;
        let mut changed = false;
        let Some(mut rec) = self.executions.visit(i, now) else { return false };
        let r = &mut *rec;
        if let Some(m) = r.mocks.as_mut() {
            if m.respond(&mut r.exec) > 0 {
                changed = true;
            }
        }
        let open: Vec<PendingTask> = rec.exec.pending_tasks().cloned().collect();
        for t in open {
            rec.register_token(&t.token);
            if self.handled.contains(&t.token) {
                continue;
            }
            if rec.mocks.as_ref().is_some_and(|m| m.covers(&t.state_name)) {
                continue;
            }
            let starts_child = matches!(&t.kind, crate::engine::TaskKind::Integration { resource_type, resource, .. }
                if resource_type == "states" && resource.starts_with("startExecution"));
            if starts_child && rec.mocks.is_none() {
                continue;
            }
            if self.cfg.unmocked == Unmocked::Echo && crate::sim::default_answer(&mut rec.exec, &t) {
                self.handled.insert(t.token.clone());
                changed = true;
            }
        }
        changed
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.cfg
    }

    pub fn scope(&self) -> &ArnScope {
        &self.scope
    }

    /// Replaces the mock configuration (checked when an execution picks a test case).
    pub fn set_mock_config(&mut self, config: Option<Value>) {
        self.cfg.mock_config = config;
    }

    /// Virtual now, milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// One API call. `operation` is the action name (`StartExecution`), `request` its JSON body.
    pub fn call(&mut self, operation: &str, request: &Value) -> Result<Value, ServiceError> {
        let empty = json!({});
        let request = if request.is_null() { &empty } else { request };
        if !request.is_object() {
            return Err(ServiceError::new(
                "SerializationException",
                "The request body must be a JSON object",
            ));
        }
        let answer = match operation {
            "CreateActivity" => self.create_activity(request),
            "CreateStateMachine" => self.create_state_machine(request),
            "CreateStateMachineAlias" => self.create_state_machine_alias(request),
            "DeleteActivity" => self.delete_activity(request),
            "DeleteStateMachine" => self.delete_state_machine(request),
            "DeleteStateMachineAlias" => self.delete_state_machine_alias(request),
            "DeleteStateMachineVersion" => self.delete_state_machine_version(request),
            "DescribeActivity" => self.describe_activity(request),
            "DescribeExecution" => self.describe_execution(request),
            "DescribeMapRun" => self.describe_map_run(request),
            "DescribeStateMachine" => self.describe_state_machine(request),
            "DescribeStateMachineAlias" => self.describe_state_machine_alias(request),
            "DescribeStateMachineForExecution" => self.describe_state_machine_for_execution(request),
            "GetActivityTask" => self.get_activity_task(request, true),
            "GetExecutionHistory" => self.get_execution_history(request),
            "ListActivities" => self.list_activities(request),
            "ListExecutions" => self.list_executions(request),
            "ListMapRuns" => self.list_map_runs(request),
            "ListStateMachineAliases" => self.list_state_machine_aliases(request),
            "ListStateMachineVersions" => self.list_state_machine_versions(request),
            "ListStateMachines" => self.list_state_machines(request),
            "ListTagsForResource" => self.list_tags_for_resource(request),
            "PublishStateMachineVersion" => self.publish_state_machine_version(request),
            "RedriveExecution" => self.redrive_execution(request),
            "SendTaskFailure" => self.send_task_failure(request),
            "SendTaskHeartbeat" => self.send_task_heartbeat(request),
            "SendTaskSuccess" => self.send_task_success(request),
            "StartExecution" => self.start_execution(request),
            "StartSyncExecution" => self.start_sync_execution(request, true),
            "StopExecution" => self.stop_execution(request),
            "TagResource" => self.tag_resource(request),
            "TestState" => self.test_state(request),
            "UntagResource" => self.untag_resource(request),
            "UpdateMapRun" => self.update_map_run(request),
            "UpdateStateMachine" => self.update_state_machine(request),
            "UpdateStateMachineAlias" => self.update_state_machine_alias(request),
            "ValidateStateMachineDefinition" => self.validate_state_machine_definition(request),
            other => Err(ServiceError::new(
                "UnknownOperationException",
                format!("Unknown operation: {other}"),
            )),
        };
        self.enforce_retention();
        answer
    }

    /// GetActivityTask without waiting: a task if one is ready now, else the empty answer. The
    /// endpoint uses it to long-poll on the wall clock.
    pub fn poll_activity_task(&mut self, request: &Value) -> Result<Value, ServiceError> {
        let answer = self.get_activity_task(request, false);
        self.enforce_retention();
        answer
    }

    /// StartSyncExecution's answer for an execution started with `wait = false`, once it ended.
    /// Such an execution is outside `retain_executions`' count: kept until this answers, then
    /// forgotten at once (with no limit, kept as every execution is).
    pub fn sync_result(&mut self, execution_arn: &str) -> Option<Value> {
        let i = self.executions.id_of(execution_arn)?;
        let rec = &self.executions[i];
        let done = (rec.exec.status() != Status::Running).then(|| self.sync_response(rec))?;
        if self.cfg.retain_executions.is_some() {
            self.forget_execution(i);
        }
        Some(done)
    }

    /// StartSyncExecution that returns at once; poll [`Service::sync_result`] for the end.
    pub fn start_sync_execution_async(&mut self, request: &Value) -> Result<Value, ServiceError> {
        let answer = self.start_sync_execution(request, false);
        self.enforce_retention();
        answer
    }

    pub(crate) fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A v4 UUID from the seeded generator.
    pub(crate) fn uuid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        crate::asl::intrinsics::uuid_v4(a, b)
    }

    /// Epoch seconds with milliseconds, as the API writes dates.
    pub(crate) fn date(ms: i64) -> Value {
        json!(ms as f64 / 1000.0)
    }

    /// Runs everything that can happen at the current virtual time: executions' work, mocked and
    /// default answers, until nothing changes. Each pass visits only the executions with work now,
    /// a timer due or a change from outside; an idle one costs nothing.
    pub fn settle(&mut self) {
        let now = self.now_ms;
        loop {
            let mut changed = false;
            let visited = self.executions.due(now);
            for &i in &visited {
                let Some(mut rec) = self.executions.visit(i, now) else { continue };
                if rec.exec.status() != Status::Running {
                    continue;
                }
                rec.exec.run_until(now);
                drop(rec);
                changed |= self.answer_open_tasks(i);
            }
            changed |= self.world_step(&visited);
            changed |= self.nested_step(&visited);
            if !changed {
                break;
            }
        }
    }

    /// The time of the next thing that will happen by itself, if any.
    pub fn next_due_ms(&self) -> Option<i64> {
        self.executions.next_timer().into_iter().chain(self.world_next_due()).min()
    }

    /// Advances the virtual clock to `t_ms`, running everything due on the way.
    pub fn advance_to(&mut self, t_ms: i64) {
        self.advance(t_ms);
        self.enforce_retention();
    }

    /// [`Service::advance_to`] inside a call: drops no finished execution (the call may still
    /// read the one it is about).
    pub(crate) fn advance(&mut self, t_ms: i64) {
        self.settle();
        while let Some(next) = self.next_due_ms() {
            if next > t_ms {
                break;
            }
            self.now_ms = self.now_ms.max(next);
            self.settle();
        }
        self.now_ms = self.now_ms.max(t_ms);
        self.settle();
    }

    /// Runs until nothing more can happen without outside help; returns the virtual time reached.
    /// `limit_ms` bounds the jump (executions waiting on a long Wait).
    pub fn run_to_quiescence(&mut self, limit_ms: i64) -> i64 {
        self.settle();
        while let Some(next) = self.next_due_ms() {
            if next > limit_ms {
                break;
            }
            self.now_ms = self.now_ms.max(next);
            self.settle();
        }
        self.enforce_retention();
        self.now_ms
    }

    /// `retain_executions`: drops the finished executions past the limit, the one that finished
    /// first first. A child execution whose parent has not seen it end yet (and that parent) stays;
    /// one an asynchronous StartSyncExecution still has to answer is not counted (see
    /// [`Service::sync_result`]).
    pub(crate) fn enforce_retention(&mut self) {
        let Some(limit) = self.cfg.retain_executions else { return };
        if self.executions.finished_count() <= limit {
            return;
        }
        let keep: HashSet<usize> = self.waiting.iter().flat_map(|w| [w.parent, w.child]).collect();
        while self.executions.finished_count() > limit {
            let Some((_, tokens)) = self.executions.remove_oldest_finished(&keep) else { break };
            self.forget_tokens(tokens);
        }
    }

    fn forget_execution(&mut self, i: usize) {
        if let Some((_, tokens)) = self.executions.remove(i) {
            self.forget_tokens(tokens);
        }
    }

    fn forget_tokens(&mut self, tokens: Vec<String>) {
        for t in tokens {
            self.handled.remove(&t);
            self.world.answered.remove(&t);
        }
    }

    /// Puts an object into the simulated S3 (what a Distributed Map's ItemReader reads).
    pub fn put_object(&mut self, bucket: &str, key: &str, body: &str) {
        self.objects.put(bucket, key, body, self.now_ms);
    }

    /// Open tasks of running executions: (execution ARN, task). The page lists them with buttons.
    pub fn pending_tasks(&self) -> Vec<(String, PendingTask)> {
        let mut out = Vec::new();
        for (_, r) in self.executions.with_tasks() {
            for t in r.exec.pending_tasks() {
                out.push((r.arn.clone(), t.clone()));
            }
        }
        out
    }

    /// The engine's execution behind an ARN (the page's inspector reads it).
    pub fn execution(&self, arn: &str) -> Option<&Execution> {
        self.executions.id_of(arn).map(|i| &self.executions[i].exec)
    }

    /// ARNs of all executions, oldest first.
    pub fn execution_arns(&self) -> Vec<String> {
        self.executions.iter().map(|(_, r)| r.arn.clone()).collect()
    }
}

#[cfg(test)]
mod tests;
