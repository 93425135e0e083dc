//! RedriveExecution in the engine: a FAILED, ABORTED or TIMED_OUT execution runs again from the
//! top-level state it stopped in, with that state's input and the variables it had; the states that
//! succeeded before are not run again. The history goes on after an `ExecutionRedriven` event.
//!
//! Not modelled yet: inside a Parallel or Map that failed, AWS re-runs only the branches and
//! iterations that failed; here the whole Parallel or Map state runs again.

use super::clock::TimerKind;
use super::execution::{Execution, Frame, Phase, Status};
use super::history::{Details, Event};
use serde_json::json;

impl Execution {
    /// How many times this execution was redriven.
    pub fn redrive_count(&self) -> u64 {
        self.redrive_count
    }

    /// When it was last redriven (virtual milliseconds since the epoch).
    pub fn redrive_ms(&self) -> Option<i64> {
        self.redrive_ms
    }

    /// Redrives a stopped execution at virtual time `now_ms`: writes `ExecutionRedriven` and
    /// enters the state it stopped in again. False (nothing done) when it is running or succeeded.
    pub fn redrive(&mut self, now_ms: i64) -> bool {
        if matches!(self.status, Status::Running | Status::Succeeded) || self.frames.is_empty() {
            return false;
        }
        self.clock.clear();
        self.clock.advance_to(now_ms);
        self.tasks.clear();
        self.runnable.clear();
        self.status = Status::Running;
        self.output = None;
        self.failure = None;
        self.redrive_count += 1;
        self.redrive_ms = Some(now_ms);
        self.started = true;
        let top = &self.frames[0];
        let mut frame = Frame::new(top.machine.clone(), None, top.state, top.input.clone(), 0);
        frame.vars = top.vars.clone();
        frame.epoch = top.epoch + 1;
        self.frames.truncate(1);
        self.frames[0] = frame;
        let previous = self.history.last().map(|e| e.id).unwrap_or(0);
        let id = self.history.len() as u64 + 1;
        self.history.push(Event {
            id,
            previous,
            time_ms: now_ms,
            kind: "ExecutionRedriven",
            details: Details::ExecutionRedriven { redrive_count: self.redrive_count },
        });
        self.frames[0].last_event = id;
        self.frames[0].phase = Phase::Enter;
        let own = self.machine.timeout_seconds.map(|t| (t as i64) * 1000);
        let limit = match (own, self.cfg.max_duration_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(ms) = limit {
            self.clock.schedule(now_ms + ms, TimerKind::ExecutionTimeout);
        }
        self.runnable.push_back(0);
        true
    }
}

/// The details body of an `ExecutionRedriven` event.
pub(crate) fn redriven_details(redrive_count: u64) -> serde_json::Value {
    json!({"redriveCount": redrive_count})
}
