//! A Distributed Map's child executions as executions of their own: each Standard child has its
//! own history (ExecutionStarted with its input, its states' events, then ExecutionSucceeded,
//! ExecutionFailed or ExecutionAborted), kept in its Map Run's record rather than the parent's
//! history, with ids from 1. Express children have none, as on AWS.
//!
//! A child's history is bounded like any execution's: at the history limit the child fails with
//! States.Runtime, and a redrive cannot run it again (AWS's "Redriving Map Runs": such children
//! count as failed and are not redrivable).

use super::execution::{Execution, Phase, MAX_HISTORY_EVENTS};
use super::history::{Details, Event};
use super::map_runs::ChildRun;
use crate::asl::errors::{Failure, RUNTIME};
use serde_json::Value;
use std::sync::Arc;

/// Appends an event to a child's history and returns its id.
fn push(c: &mut ChildRun, previous: u64, time_ms: i64, kind: &'static str, details: Details) -> u64 {
    let id = c.history.len() as u64 + 1;
    c.history.push(Event { id, previous, time_ms, kind, details });
    id
}

/// Writes a child's last event (ExecutionSucceeded, ...Failed, ...Aborted), unless it has no
/// history or it is already closed.
pub(crate) fn close_history(c: &mut ChildRun, time_ms: i64, kind: &'static str, details: Details) {
    let Some(last) = c.history.last() else { return };
    if is_closing(last.kind) {
        return;
    }
    let previous = last.id;
    push(c, previous, time_ms, kind, details);
}

fn is_closing(kind: &str) -> bool {
    matches!(kind, "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionAborted" | "ExecutionTimedOut")
}

impl Execution {
    /// The child execution frame `fid` runs in: (Map Run index, child slot, the child's top frame).
    fn child_execution_of(&self, fid: usize) -> Option<(usize, usize, usize)> {
        let mut at = fid;
        loop {
            let f = self.frames.get(at)?;
            let (parent, slot) = f.parent?;
            if f.isolated {
                return Some((self.frames.get(parent)?.map_run?, slot, at));
            }
            at = parent;
        }
    }

    /// Writes an event for frame `fid` pointing at `previous`: in this execution's history, or in
    /// the child execution's when the frame runs inside one. Returns its id.
    pub(crate) fn emit_for(&mut self, fid: usize, previous: u64, kind: &'static str, details: Details) -> u64 {
        if !self.frames[fid].hidden {
            return self.emit(previous, kind, details);
        }
        let Some((run, slot, top)) = self.child_execution_of(fid) else { return previous };
        let now = self.clock.now();
        let Some(c) = self.map_runs.get_mut(run).filter(|m| m.standard).and_then(|m| m.children.get_mut(slot)) else {
            return previous;
        };
        if c.history.len() >= MAX_HISTORY_EVENTS - 1 {
            // Full: the child fails on the next step; nothing more is written before that.
            return c.history.last().map_or(previous, |e| e.id);
        }
        let id = push(c, previous, now, kind, details);
        if c.history.len() == MAX_HISTORY_EVENTS - 1 {
            c.not_redrivable = true;
            self.overflowed.push(top);
        }
        id
    }

    /// Child `slot` of frame `fid`'s Map Run starts (ExecutionStarted with `input`) or, when it
    /// ran before, is redriven (ExecutionRedriven). Returns the id its next event points at (0
    /// after ExecutionStarted, as in any recorded history; the ExecutionRedriven event's id), or
    /// None when the child keeps no history (Express).
    pub(crate) fn open_child_history(&mut self, fid: usize, slot: usize, input: &Arc<Value>) -> Option<u64> {
        let now = self.clock.now();
        let role_arn = self.cfg.role_arn.clone();
        let c = self.map_run_of(fid).filter(|m| m.standard)?.children.get_mut(slot)?;
        let previous = c.history.last().map_or(0, |e| e.id);
        if c.history.is_empty() {
            push(c, previous, now, "ExecutionStarted", Details::ChildExecutionStarted { input: input.clone(), role_arn });
            return Some(0);
        }
        let redriven = Details::ExecutionRedriven { redrive_count: c.redrive_count };
        Some(push(c, previous, now, "ExecutionRedriven", redriven))
    }

    /// Child `slot` of frame `fid`'s Map Run ended: its history's last event.
    pub(crate) fn close_child_history(&mut self, fid: usize, slot: usize, kind: &'static str, details: Details) {
        let now = self.clock.now();
        if let Some(c) = self.map_run_of(fid).and_then(|m| m.children.get_mut(slot)) {
            close_history(c, now, kind, details);
        }
    }

    /// A child execution whose history reached the limit fails (States.Runtime, as AWS fails an
    /// execution there). False when none did.
    pub(crate) fn fail_overflowed_child(&mut self) -> bool {
        let Some(top) = self.overflowed.pop() else { return false };
        let Some((parent, slot)) = self.frames[top].parent else { return true };
        if matches!(self.frames[top].phase, Phase::Done) {
            return true;
        }
        self.abort_frame(top);
        let cause = format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS}).");
        self.child_failed(parent, slot, top, Failure::new(RUNTIME, cause));
        true
    }
}
