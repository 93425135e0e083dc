//! `arn:aws:states:::states:startExecution` (request-response, `.sync`, `.sync:2`): a Task that
//! starts another state machine of this service, as a real child execution on the same clock.

use super::Service;
use crate::engine::tasks::Pattern;
use crate::engine::{PendingTask, Status, TaskKind};
use serde_json::{json, Value};

/// A parent task waiting for its child execution.
#[derive(Debug, Clone)]
pub(crate) struct Waiting {
    pub parent: usize,
    pub token: String,
    pub child: usize,
    /// `.sync:2` returns Input/Output as JSON, `.sync` as text.
    pub parsed: bool,
}

fn is_start_execution(t: &PendingTask) -> Option<Pattern> {
    match &t.kind {
        TaskKind::Integration { resource_type, resource, pattern } if resource_type == "states" && resource.starts_with("startExecution") => {
            Some(*pattern)
        }
        _ => None,
    }
}

impl Service {
    /// Starts the child executions that open `states:startExecution` tasks ask for, and answers
    /// the parents of children that ended. `looked_at`: the executions that may have new open
    /// tasks. True when it did something.
    pub(crate) fn nested_step(&mut self, looked_at: &[usize]) -> bool {
        let mut acted = false;
        let mut open = Vec::new();
        let now = self.now_ms;
        for (i, r) in looked_at.iter().filter_map(|&i| Some((i, self.executions.get(i)?))) {
            if r.exec.status() != Status::Running || r.mocks.as_ref().is_some() {
                continue;
            }
            for t in r.exec.pending_tasks() {
                if let Some(p) = is_start_execution(t) {
                    if !self.handled.contains(&t.token) {
                        open.push((i, t.clone(), p));
                    }
                }
            }
        }
        for (parent, task, pattern) in open {
            self.handled.insert(task.token.clone());
            acted = true;
            let input = match task.input.get("Input") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(v) => Some(crate::asl::template::compact(v)),
            };
            let mut req = json!({"stateMachineArn": task.input.get("StateMachineArn").cloned().unwrap_or(Value::Null)});
            if let Some(i) = input {
                req["input"] = json!(i);
            }
            if let Some(n) = task.input.get("Name") {
                req["name"] = n.clone();
            }
            match self.start_child(&req) {
                Err(e) => {
                    let error = format!("SFN.{}Exception", e.code.trim_end_matches("Exception"));
                    let _ = self.executions.get_mut(parent, now).exec.task_failed(&task.token, Some(error), Some(e.message));
                }
                Ok(child) => {
                    let started = json!({
                        "ExecutionArn": self.executions[child].arn,
                        "StartDate": self.executions[child].start_ms,
                    });
                    let mut rec = self.executions.get_mut(parent, now);
                    let exec = &mut rec.exec;
                    if pattern == Pattern::Sync {
                        let _ = exec.task_submitted(&task.token, started);
                        drop(rec);
                        let parsed = matches!(&task.kind, TaskKind::Integration { resource, .. } if resource.ends_with(":2"));
                        self.waiting.push(Waiting { parent, token: task.token.clone(), child, parsed });
                    } else {
                        let _ = exec.task_succeeded(&task.token, started);
                    }
                }
            }
        }
        // Children that ended answer their parents.
        let done: Vec<Waiting> = self
            .waiting
            .iter()
            .filter(|w| self.executions[w.child].exec.status() != Status::Running)
            .cloned()
            .collect();
        for w in done {
            self.waiting.retain(|x| x.token != w.token);
            acted = true;
            let describe = self.child_description(w.child, w.parsed);
            let succeeded = self.executions[w.child].exec.status() == Status::Succeeded;
            let mut rec = self.executions.get_mut(w.parent, now);
            let exec = &mut rec.exec;
            if succeeded {
                let _ = exec.task_succeeded(&w.token, describe);
            } else {
                let cause = crate::asl::template::compact(&describe);
                let _ = exec.task_failed(&w.token, Some("States.TaskFailed".into()), Some(cause));
            }
        }
        acted
    }

    fn start_child(&mut self, req: &Value) -> Result<usize, super::ServiceError> {
        // A child of a Standard machine is started like StartExecution; Express children run async.
        // Not settled here: the settle loop that called us goes on with the new child.
        self.start_unsettled(req, false)
    }

    /// DescribeExecution of the child in the integration's PascalCase shape.
    fn child_description(&self, child: usize, parsed: bool) -> Value {
        let r = &self.executions[child];
        let text_or_json = |text: String| -> Value {
            if parsed {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            } else {
                Value::String(text)
            }
        };
        let mut out = json!({
            "ExecutionArn": r.arn,
            "Input": text_or_json(r.input_text.clone()),
            "InputDetails": {"Included": true},
            "Name": r.name,
            "StartDate": r.start_ms,
            "StateMachineArn": r.machine.arn,
            "Status": r.exec.status().as_aws(),
            "StopDate": r.stop_ms.unwrap_or(self.now_ms),
        });
        if let Some(o) = r.exec.output() {
            out["Output"] = text_or_json(crate::asl::template::compact(o));
            out["OutputDetails"] = json!({"Included": true});
        }
        if let Some(f) = r.exec.failure() {
            if let Some(e) = &f.error {
                out["Error"] = json!(e);
            }
            if let Some(c) = &f.cause {
                out["Cause"] = json!(c);
            }
        }
        out
    }
}
