//! The scope a state's expressions read: its data (`$`), the context object (`$$`), variables and
//! the seeded generator.

use super::execution::{Config, Execution, Frame};
use crate::asl::template::Scope;
use crate::asl::timestamp;
use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

/// Extra context members that exist only in some places.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContextExtra {
    /// `$$.State.RetryCount` (Task, Parallel and Map states).
    pub retry_count: Option<u64>,
    /// `$$.Task.Token` (.waitForTaskToken tasks and activities).
    pub task_token: Option<String>,
    /// `$$.Map.Item` (a Map's ItemSelector).
    pub map_item: Option<(usize, Value)>,
}

pub(crate) struct FrameScope<'a> {
    pub data: &'a Value,
    pub frames: &'a [Frame],
    pub fid: usize,
    pub cfg: &'a Config,
    pub exec_input: &'a Value,
    pub rng: &'a mut ChaCha8Rng,
    pub extra: &'a ContextExtra,
    pub context_override: Option<&'a Value>,
    pub redrive_count: u64,
}

impl Scope for FrameScope<'_> {
    fn data(&self) -> &Value {
        self.data
    }
    fn context(&mut self) -> Value {
        self.context_part(None)
    }
    fn context_part(&mut self, only: Option<&str>) -> Value {
        if let Some(c) = self.context_override {
            // The given context, with what only exists here: a Map item, a task token.
            let mut c = c.clone();
            if let Value::Object(m) = &mut c {
                if let Some((index, value)) = &self.extra.map_item {
                    m.insert("Map".into(), serde_json::json!({"Item": {"Index": index, "Value": value}}));
                }
                if let Some(t) = &self.extra.task_token {
                    m.entry("Task").or_insert_with(|| serde_json::json!({"Token": t}));
                }
            }
            return c;
        }
        let wants = |member: &str| only.is_none_or(|o| o == member);
        let f = &self.frames[self.fid];
        let name = f
            .machine
            .states
            .get(f.state)
            .map(|s| s.name.to_string())
            .unwrap_or_default();
        let mut ctx = Map::new();
        if wants("Execution") {
            let mut exec = Map::new();
            exec.insert("Id".into(), Value::String(self.cfg.execution_arn.clone()));
            exec.insert("Input".into(), self.exec_input.clone());
            exec.insert(
                "StartTime".into(),
                Value::String(timestamp::format_millis(self.cfg.start_time_ms)),
            );
            exec.insert(
                "Name".into(),
                Value::String(self.cfg.execution_name.clone()),
            );
            exec.insert("RoleArn".into(), Value::String(self.cfg.role_arn.clone()));
            if self.cfg.redrive_count_in_context {
                exec.insert("RedriveCount".into(), Value::from(self.redrive_count));
            }
            ctx.insert("Execution".into(), Value::Object(exec));
        }
        if wants("StateMachine") {
            let mut sm = Map::new();
            sm.insert(
                "Id".into(),
                Value::String(self.cfg.state_machine_arn.clone()),
            );
            sm.insert(
                "Name".into(),
                Value::String(self.cfg.state_machine_name.clone()),
            );
            ctx.insert("StateMachine".into(), Value::Object(sm));
        }
        if wants("State") {
            let mut state = Map::new();
            state.insert("Name".into(), Value::String(name));
            state.insert(
                "EnteredTime".into(),
                Value::String(timestamp::format_millis(f.entered_time)),
            );
            if let Some(n) = self.extra.retry_count {
                state.insert("RetryCount".into(), Value::from(n));
            }
            ctx.insert("State".into(), Value::Object(state));
        }
        if let Some(t) = self.extra.task_token.as_ref().filter(|_| wants("Task")) {
            let mut task = Map::new();
            task.insert("Token".into(), Value::String(t.clone()));
            ctx.insert("Task".into(), Value::Object(task));
        }
        if let Some((index, value)) = self.extra.map_item.as_ref().filter(|_| wants("Map")) {
            let mut item = Map::new();
            item.insert("Index".into(), Value::from(*index));
            item.insert("Value".into(), value.clone());
            // Where the items came from: "STATE_DATA" when they are the state's input (AWS's
            // context-object page); a reader's source (S3) is not modelled, so it stays absent.
            let reads = f.machine.states.get(f.state).is_some_and(|s| matches!(&s.kind, crate::asl::model::Kind::Map(m) if m.item_reader.is_some()));
            if !reads {
                item.insert("Source".into(), Value::String("STATE_DATA".into()));
            }
            let mut map = Map::new();
            map.insert("Item".into(), Value::Object(item));
            ctx.insert("Map".into(), Value::Object(map));
        }
        Value::Object(ctx)
    }
    fn variable(&self, name: &str) -> Option<Value> {
        super::execution::lookup_variable(self.frames, self.fid, name)
    }
    fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

impl Execution {
    /// Runs `f` with a scope whose data is `data`, as seen from frame `fid`.
    pub(crate) fn with_scope<R>(
        &mut self,
        fid: usize,
        data: &Value,
        extra: &ContextExtra,
        f: impl FnOnce(&mut FrameScope) -> R,
    ) -> R {
        let Execution {
            frames,
            cfg,
            input,
            rng,
            context_override,
            redrive_count,
            ..
        } = self;
        let mut scope = FrameScope {
            data,
            frames,
            fid,
            cfg,
            exec_input: input,
            rng,
            extra,
            context_override: context_override.as_ref(),
            redrive_count: *redrive_count,
        };
        f(&mut scope)
    }
}
