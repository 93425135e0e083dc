//! Task states and the seam through which their results arrive. The engine writes the scheduling
//! events and waits; whoever plays the outside world (a test, the simulated workers, the service
//! answering SendTask*) answers through `task_started` / `task_succeeded` / `task_failed` /
//! `task_heartbeat`, and timers end tasks nobody answers in time.

mod parameters;

use super::clock::TimerKind;
use super::context::ContextExtra;
use super::dataflow::too_large;
use super::execution::{Execution, Status};
use super::history::Details;
use super::states::Outcome;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{Kind, Seconds, State, Task};
use crate::asl::template;
use base64::Engine as _;
use serde_json::Value;
use std::sync::Arc;

/// How a Task's resource is called, which decides its history events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskKind {
    /// A Lambda function ARN as the resource (LambdaFunction* events).
    Lambda,
    /// An activity ARN (Activity* events; a worker must pick it up).
    Activity,
    /// `arn:aws:states:::<type>:<action>` (Task* events).
    Integration {
        resource_type: String,
        resource: String,
        pattern: Pattern,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    RequestResponse,
    WaitForTaskToken,
    Sync,
}

/// A task waiting for its answer.
#[derive(Debug, Clone)]
pub struct PendingTask {
    pub token: String,
    pub state_name: Arc<str>,
    pub resource: String,
    pub kind: TaskKind,
    /// The task's input (after InputPath and Parameters).
    pub input: Arc<Value>,
    pub started: bool,
    pub scheduled_ms: i64,
    pub heartbeat_seconds: Option<u64>,
    pub(crate) frame: usize,
    pub(crate) beats: u64,
}

/// Why an answer to a task was refused, as the SendTask* API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskAnswerError {
    /// No task ever had this token.
    InvalidToken,
    /// The task is over (answered, timed out or its execution ended).
    TaskTimedOut,
}

/// Splits a Task resource into its kind.
pub fn classify(resource: &str) -> TaskKind {
    if resource.contains(":activity:") {
        return TaskKind::Activity;
    }
    if let Some(rest) = strip_states_prefix(resource) {
        let (resource_type, action) = if let Some(sdk) = rest.strip_prefix("aws-sdk:") {
            match sdk.split_once(':') {
                Some((svc, action)) => (format!("aws-sdk:{svc}"), action.to_string()),
                None => (rest.to_string(), String::new()),
            }
        } else {
            match rest.split_once(':') {
                Some((t, a)) => (t.to_string(), a.to_string()),
                None => (rest.to_string(), String::new()),
            }
        };
        let pattern = if action.ends_with(".waitForTaskToken") {
            Pattern::WaitForTaskToken
        } else if action.contains(".sync") {
            Pattern::Sync
        } else {
            Pattern::RequestResponse
        };
        return TaskKind::Integration {
            resource_type,
            resource: action,
            pattern,
        };
    }
    TaskKind::Lambda
}

/// `arn:<partition>:states:::` followed by the integration; also with a region and an account
/// (`arn:aws:states:us-east-1:123456789012:lambda:invoke`), as SAM templates deploy them.
fn strip_states_prefix(resource: &str) -> Option<&str> {
    let rest = resource.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("states:")?;
    let (_region, rest) = rest.split_once(':')?;
    let (_account, rest) = rest.split_once(':')?;
    Some(rest)
}

impl Execution {
    fn task_spec(st: &State) -> Option<&Task> {
        match &st.kind {
            Kind::Task(t) => Some(t),
            _ => None,
        }
    }

    fn seconds_value(
        &mut self,
        fid: usize,
        s: &Option<Seconds>,
        data: &Arc<Value>,
        field: &str,
    ) -> Result<Option<u64>, Failure> {
        match s {
            None => Ok(None),
            Some(Seconds::Literal(n)) => Ok(Some(*n)),
            Some(Seconds::Path(p)) => {
                let extra = ContextExtra::default();
                let r = self.with_scope(fid, data, &extra, |sc| template::select(p, sc));
                match r {
                    Ok(Value::Number(n)) if n.as_u64().is_some_and(|v| v > 0) => Ok(n.as_u64()),
                    Ok(v) => Err(self.runtime_failure(
                        fid,
                        format!(
                            "The {field} parameter is not a positive integer: {} == {}",
                            p.text(),
                            template::compact(&v)
                        ),
                    )),
                    Err((msg, _)) => {
                        Err(self
                            .runtime_failure(fid, format!("Invalid path '{}' : {}", p.text(), msg)))
                    }
                }
            }
        }
    }

    /// Starts one attempt of the current Task state: evaluates its input, writes the scheduling
    /// events and waits for the answer.
    pub(crate) fn start_task(&mut self, fid: usize) -> Outcome {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let Some(task) = Self::task_spec(st) else {
            return Outcome::Failed(self.runtime_failure(fid, "not a Task state"));
        };
        let raw = self.frames[fid].input.clone();
        let kind = classify(&task.resource);
        if kind == TaskKind::Activity {
            if let Some(reg) = &self.cfg.activities {
                if !reg.contains(&task.resource) {
                    let cause = format!("The activity {} does not exist.", task.resource);
                    return Outcome::Failed(self.runtime_failure(fid, cause));
                }
            }
        }
        let id = self.next_task;
        self.next_task += 1;
        let token = self.new_token(id);
        // A `.sync` task has a token too: AWS resolves `$$.Task.Token` there, and SendTaskSuccess
        // with it ends the task (recorded: startExecution.sync whose child answers the token).
        let wants_token = matches!(kind, TaskKind::Activity)
            || matches!(
                kind,
                TaskKind::Integration {
                    pattern: Pattern::WaitForTaskToken | Pattern::Sync,
                    ..
                }
            );
        let extra = ContextExtra {
            retry_count: Some(self.frames[fid].retry_count),
            task_token: if wants_token {
                Some(token.clone())
            } else {
                None
            },
            map_item: None,
        };
        let input = match self.effective_input(fid, st, &raw, &extra) {
            Ok(v) => v,
            Err(f) => return Outcome::Failed(f),
        };
        if let TaskKind::Integration { resource_type, resource, .. } = &kind {
            if let Some(problem) = parameters::problem(resource_type, resource, &input) {
                let cause = format!("The Parameters '{input}' could not be used to start the Task: [{problem}]");
                return Outcome::Failed(self.runtime_failure(fid, cause));
            }
        }
        let (timeout, heartbeat) = if st.jsonata {
            match self.jsonata_task_seconds(fid, st, &raw) {
                Ok(x) => x,
                Err(f) => return Outcome::Failed(f),
            }
        } else {
            let timeout_v = match self.seconds_value(fid, &task.timeout, &raw, "TimeoutSecondsPath") {
                Ok(t) => t,
                Err(f) => return Outcome::Failed(f),
            };
            let heartbeat_v = match self.seconds_value(fid, &task.heartbeat, &raw, "HeartbeatSecondsPath")
            {
                Ok(h) => h,
                Err(f) => return Outcome::Failed(f),
            };
            (timeout_v, heartbeat_v)
        };
        // Credentials: `{"RoleArn": ...}` (or `RoleArn.$`), echoed as taskCredentials {roleArn}.
        let credentials = match &task.credentials {
            None => None,
            Some(t) => match self.with_scope(fid, &raw, &extra, |s| t.eval(s)) {
                Ok(v) => Some(serde_json::json!({"roleArn": v.get("RoleArn").cloned().unwrap_or(Value::Null)})),
                Err(e) => return Outcome::Failed(self.eval_failure(fid, e)),
            },
        };
        match &kind {
            TaskKind::Lambda => {
                let d = Details::LambdaFunctionScheduled {
                    resource: task.resource.clone(),
                    input: input.clone(),
                    timeout,
                    credentials,
                };
                self.emit_in(fid, "LambdaFunctionScheduled", d);
                self.emit_in(fid, "LambdaFunctionStarted", Details::None);
            }
            TaskKind::Activity => {
                let d = Details::ActivityScheduled {
                    resource: task.resource.clone(),
                    input: input.clone(),
                    timeout,
                    heartbeat,
                };
                self.emit_in(fid, "ActivityScheduled", d);
            }
            TaskKind::Integration {
                resource_type,
                resource,
                ..
            } => {
                let d = Details::TaskScheduled {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                    region: self.cfg.region.clone(),
                    parameters: input.clone(),
                    timeout,
                    heartbeat,
                    credentials,
                };
                self.emit_in(fid, "TaskScheduled", d);
                let d = Details::TaskStarted {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                };
                self.emit_in(fid, "TaskStarted", d);
            }
        }
        if self.status != Status::Running {
            return Outcome::Blocked;
        }
        let now = self.clock.now();
        let started = !matches!(kind, TaskKind::Activity);
        self.tasks.insert(
            id,
            super::tasks::PendingTask {
                token,
                state_name: st.name.clone(),
                resource: task.resource.clone(),
                kind,
                input,
                started,
                scheduled_ms: now,
                heartbeat_seconds: heartbeat,
                frame: fid,
                beats: 0,
            },
        );
        self.frames[fid].task = Some(id);
        if let Some(t) = timeout {
            self.clock.schedule(
                now + (t as i64) * 1000,
                TimerKind::TaskTimeout { token: id },
            );
        }
        if let Some(h) = heartbeat {
            self.clock.schedule(
                now + (h as i64) * 1000,
                TimerKind::HeartbeatTimeout { token: id, beat: 0 },
            );
        }
        Outcome::Blocked
    }

    fn new_token(&mut self, id: u64) -> String {
        let mut bytes = Vec::with_capacity(40);
        bytes.extend_from_slice(&id.to_be_bytes());
        for _ in 0..4 {
            bytes.extend_from_slice(&self.random_u64().to_le_bytes());
        }
        format!(
            "AQ{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }

    fn find_task(&self, token: &str) -> Result<u64, TaskAnswerError> {
        if let Some((id, _)) = self.tasks.iter().find(|(_, t)| t.token == token) {
            return Ok(*id);
        }
        // A token this execution issued earlier (its task is over) vs one it never issued.
        if token.starts_with("AQ") && self.history.iter().any(|_| true) && self.next_task > 0 {
            if let Some(id) = decode_token_id(token) {
                if id < self.next_task {
                    return Err(TaskAnswerError::TaskTimedOut);
                }
            }
        }
        Err(TaskAnswerError::InvalidToken)
    }

    /// A worker picked the task up (GetActivityTask); writes ActivityStarted.
    pub fn task_started(
        &mut self,
        token: &str,
        worker_name: Option<String>,
    ) -> Result<(), TaskAnswerError> {
        let id = self.find_task(token)?;
        self.mark_started(id, worker_name);
        Ok(())
    }

    fn mark_started(&mut self, id: u64, worker_name: Option<String>) {
        let Some(t) = self.tasks.get_mut(&id) else {
            return;
        };
        if t.started {
            return;
        }
        t.started = true;
        let fid = t.frame;
        self.emit_in(
            fid,
            "ActivityStarted",
            Details::ActivityStarted { worker_name },
        );
    }

    /// The call behind a `.waitForTaskToken` integration returned (e.g. SQS SendMessage's answer).
    pub fn task_submitted(&mut self, token: &str, output: Value) -> Result<(), TaskAnswerError> {
        let id = self.find_task(token)?;
        let t = &self.tasks[&id];
        if let TaskKind::Integration {
            resource_type,
            resource,
            ..
        } = &t.kind
        {
            let d = Details::TaskOutput {
                resource_type: resource_type.clone(),
                resource: resource.clone(),
                output: Arc::new(output),
            };
            let fid = t.frame;
            self.emit_in(fid, "TaskSubmitted", d);
        }
        Ok(())
    }

    /// Resets the heartbeat timer; writes no event (recorded).
    pub fn task_heartbeat(&mut self, token: &str) -> Result<(), TaskAnswerError> {
        let id = self.find_task(token)?;
        let now = self.clock.now();
        if let Some(t) = self.tasks.get_mut(&id) {
            t.beats += 1;
            if let Some(h) = t.heartbeat_seconds {
                let beat = t.beats;
                self.clock.schedule(
                    now + (h as i64) * 1000,
                    TimerKind::HeartbeatTimeout { token: id, beat },
                );
            }
        }
        Ok(())
    }

    pub fn task_succeeded(&mut self, token: &str, output: Value) -> Result<(), TaskAnswerError> {
        let id = self.find_task(token)?;
        self.mark_started(id, None);
        let Some(t) = self.tasks.remove(&id) else {
            return Ok(());
        };
        let fid = t.frame;
        self.frames[fid].task = None;
        let output = Arc::new(output);
        match &t.kind {
            TaskKind::Lambda => {
                self.emit_in(
                    fid,
                    "LambdaFunctionSucceeded",
                    Details::Output {
                        output: output.clone(),
                    },
                );
            }
            TaskKind::Activity => {
                self.emit_in(
                    fid,
                    "ActivitySucceeded",
                    Details::Output {
                        output: output.clone(),
                    },
                );
            }
            TaskKind::Integration {
                resource_type,
                resource,
                ..
            } => {
                let d = Details::TaskOutput {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                    output: output.clone(),
                };
                self.emit_in(fid, "TaskSucceeded", d);
            }
        }
        if self.status != Status::Running {
            return Ok(());
        }
        let outcome = self.task_result(fid, &t, output);
        self.run_next(fid);
        self.apply_outcome(fid, outcome);
        Ok(())
    }

    pub fn task_failed(
        &mut self,
        token: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<(), TaskAnswerError> {
        let id = self.find_task(token)?;
        self.mark_started(id, None);
        let Some(t) = self.tasks.remove(&id) else {
            return Ok(());
        };
        let fid = t.frame;
        self.frames[fid].task = None;
        let failure = Failure {
            error,
            cause,
            heartbeat: false,
        };
        self.emit_task_failure(fid, &t, &failure, false);
        if self.status != Status::Running {
            return Ok(());
        }
        self.run_next(fid);
        self.state_failed(fid, failure);
        Ok(())
    }

    pub(crate) fn task_timed_out(&mut self, id: u64, heartbeat: bool) {
        let Some(t) = self.tasks.remove(&id) else {
            return;
        };
        let fid = t.frame;
        self.frames[fid].task = None;
        let failure = Failure {
            error: Some(errors::TIMEOUT.into()),
            cause: None,
            heartbeat,
        };
        self.emit_task_failure(fid, &t, &failure, true);
        if self.status != Status::Running {
            return;
        }
        self.run_next(fid);
        self.state_failed(fid, failure);
    }

    fn emit_task_failure(&mut self, fid: usize, t: &PendingTask, f: &Failure, timed_out: bool) {
        let ec = Details::ErrorCause {
            error: f.error.clone(),
            cause: f.cause.clone(),
        };
        match &t.kind {
            TaskKind::Lambda => {
                self.emit_in(
                    fid,
                    if timed_out {
                        "LambdaFunctionTimedOut"
                    } else {
                        "LambdaFunctionFailed"
                    },
                    ec,
                );
            }
            TaskKind::Activity => {
                self.emit_in(
                    fid,
                    if timed_out {
                        "ActivityTimedOut"
                    } else {
                        "ActivityFailed"
                    },
                    ec,
                );
            }
            TaskKind::Integration {
                resource_type,
                resource,
                ..
            } => {
                let d = Details::TaskError {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                    error: f.error.clone(),
                    cause: f.cause.clone(),
                };
                self.emit_in(
                    fid,
                    if timed_out {
                        "TaskTimedOut"
                    } else {
                        "TaskFailed"
                    },
                    d,
                );
            }
        }
    }

    /// ResultSelector / ResultPath / OutputPath over a task's result.
    fn task_result(&mut self, fid: usize, t: &PendingTask, result: Arc<Value>) -> Outcome {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        if too_large(&result) {
            let who = match &t.kind {
                TaskKind::Integration { resource_type, .. } => resource_type.clone(),
                _ => t.resource.clone(),
            };
            return Outcome::Failed(Failure::new(
                errors::DATA_LIMIT_EXCEEDED,
                format!("The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."),
            ));
        }
        let raw = self.frames[fid].input.clone();
        let extra = ContextExtra {
            retry_count: Some(self.frames[fid].retry_count),
            ..Default::default()
        };
        match self.process_result(fid, st, &raw, result, &extra) {
            Ok((output, assigned)) => Outcome::Exit {
                output,
                assigned,
                next: st.next,
            },
            Err(f) => Outcome::Failed(f),
        }
    }

    /// Ends the open task of a frame that is being aborted (no events: the caller writes them).
    pub(crate) fn drop_task_of(&mut self, fid: usize) -> bool {
        match self.frames[fid].task.take() {
            Some(id) => {
                self.tasks.remove(&id);
                true
            }
            None => false,
        }
    }
}

fn decode_token_id(token: &str) -> Option<u64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.get(2..)?)
        .ok()?;
    let first: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    Some(u64::from_be_bytes(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_resources() {
        assert_eq!(
            classify("arn:aws:lambda:us-east-1:123456789012:function:f"),
            TaskKind::Lambda
        );
        assert_eq!(
            classify("arn:aws:states:us-east-1:123456789012:activity:a"),
            TaskKind::Activity
        );
        assert_eq!(
            classify("arn:aws:states:::lambda:invoke"),
            TaskKind::Integration {
                resource_type: "lambda".into(),
                resource: "invoke".into(),
                pattern: Pattern::RequestResponse
            }
        );
        assert_eq!(
            classify("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            TaskKind::Integration {
                resource_type: "sqs".into(),
                resource: "sendMessage.waitForTaskToken".into(),
                pattern: Pattern::WaitForTaskToken
            }
        );
        // With a region and an account, as SAM templates deploy them: the same integration.
        assert_eq!(classify("arn:aws:states:eu-west-1:123456789012:aws-sdk:s3:getObject"), classify("arn:aws:states:::aws-sdk:s3:getObject"));
        assert_eq!(classify("arn:aws:states:us-east-1:123456789012:lambda:invoke"), classify("arn:aws:states:::lambda:invoke"));
        assert_eq!(
            classify("arn:aws:states:::aws-sdk:s3:getObject"),
            TaskKind::Integration {
                resource_type: "aws-sdk:s3".into(),
                resource: "getObject".into(),
                pattern: Pattern::RequestResponse
            }
        );
        assert_eq!(
            classify("arn:aws:states:::states:startExecution.sync:2"),
            TaskKind::Integration {
                resource_type: "states".into(),
                resource: "startExecution.sync:2".into(),
                pattern: Pattern::Sync
            }
        );
    }

    #[test]
    fn token_ids_round_trip() {
        let mut e = crate::engine::Execution::new(
            crate::asl::model::build(
                &serde_json::json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
            )
            .unwrap(),
            "{}",
            serde_json::json!({}),
            Default::default(),
        );
        let t = e.new_token(42);
        assert_eq!(decode_token_id(&t), Some(42));
    }
}
