//! RedriveExecution in the engine: a FAILED, ABORTED or TIMED_OUT execution runs again from the
//! top-level state it stopped in, with that state's input and the variables it had; the states that
//! succeeded before are not run again. The history goes on after an `ExecutionRedriven` event.
//!
//! Inside a Parallel or an inline Map that failed (or was running when the execution stopped),
//! only the branches and iterations without a result run again, each from the state it stopped
//! in, as AWS's RedriveExecution documents. A Distributed Map's Map Run is redriven the same way:
//! `MapRunRedriven {mapRunArn, redriveCount}`, then only its unsuccessful child executions run
//! again (Standard children from where they stopped, Express children from the start).

use super::clock::TimerKind;
use super::execution::{Execution, Phase, Status};
use super::history::{Details, Event};
use super::map_runs::{ChildStatus, MAX_MAP_RUN_REDRIVES};
use crate::asl::errors::{Failure, RUNTIME};
use crate::asl::model::Kind;
use serde_json::json;
use std::collections::VecDeque;

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
    /// continues in the state it stopped in. False (nothing done) when it is running or succeeded.
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
        let previous = self.history.last().map(|e| e.id).unwrap_or(0);
        let id = self.history.len() as u64 + 1;
        self.history.push(Event {
            id,
            previous,
            time_ms: now_ms,
            kind: "ExecutionRedriven",
            details: Details::ExecutionRedriven { redrive_count: self.redrive_count },
        });
        self.reopen(0, id);
        let own = self.machine.timeout_seconds.map(|t| (t as i64) * 1000);
        let limit = match (own, self.cfg.max_duration_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(ms) = limit {
            self.clock.schedule(now_ms + ms, TimerKind::ExecutionTimeout);
        }
        if matches!(self.frames[0].phase, Phase::Enter) {
            self.runnable.push_back(0);
        }
        true
    }

    /// Frame `fid` goes on after a redrive, its next event pointing at `from`: a Parallel or Map
    /// with children kept resumes them; any other state is entered again.
    fn reopen(&mut self, fid: usize, from: u64) {
        if self.resume_children(fid, from) {
            return;
        }
        let f = &mut self.frames[fid];
        f.phase = Phase::Enter;
        f.epoch += 1;
        f.last_event = from;
        f.retry_counts.clear();
        f.retry_count = 0;
        f.children = None;
        f.redrive_children = None;
        f.task = None;
        f.effective = None;
        f.pending_assign = None;
        f.children_failed = false;
    }

    /// Runs again the children of frame `fid`'s Parallel or Map that have no result. False when
    /// the frame kept no children (its state is entered again instead).
    fn resume_children(&mut self, fid: usize, from: u64) -> bool {
        let state = self.frames[fid].state;
        let kept = match self.frames[fid].redrive_children.take() {
            Some((s, ch)) if s == state => Some(ch),
            // Stopped or timed out while the children ran: they are still in place.
            _ => self.frames[fid].children.take(),
        };
        let Some(mut ch) = kept else { return false };
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[state];
        let (is_map, distributed, express) = match &st.kind {
            Kind::Map(m) => (true, m.distributed, m.express),
            Kind::Parallel { .. } => (false, false, false),
            _ => return false,
        };
        let f = &mut self.frames[fid];
        f.phase = Phase::Blocked;
        f.epoch += 1;
        f.last_event = from;
        f.children_failed = false;
        f.task = None;
        if distributed {
            if let Some((map_run_arn, redrive_count)) = self.redrive_map_run(fid) {
                let id = self.emit_in(fid, "MapRunRedriven", Details::MapRunRedriven { map_run_arn, redrive_count });
                self.frames[fid].map_run_started = id;
            } else if self.map_run_of(fid).is_some() {
                // Past AWS's hard limit on redrives of one Map Run: States.Runtime.
                let cause = format!("The Map Run reached the maximum number of redrives ({MAX_MAP_RUN_REDRIVES}).");
                self.frames[fid].redrive_children = Some((state, ch));
                self.frames[fid].children_failed = true;
                self.run_next(fid);
                self.state_failed(fid, Failure::new(RUNTIME, cause));
                return true;
            }
        }
        let mut again = Vec::new();
        let mut pending = VecDeque::new();
        for slot in 0..ch.results.len() {
            if ch.results[slot].is_some() {
                continue;
            }
            if let Some(f) = self.not_redrivable_failure(fid, slot).filter(|_| distributed) {
                // It failed at the history limit: it stays failed, its error output its result.
                ch.results[slot] = Some(std::sync::Arc::new(f.error_output()));
                continue;
            }
            match ch.frames[slot] {
                Some(c) if !express => again.push((slot, c)),
                _ => {
                    ch.frames[slot] = None;
                    pending.push_back(slot);
                }
            }
        }
        ch.done = ch.results.iter().filter(|r| r.is_some()).count();
        ch.running = again.len();
        ch.pending_items = pending;
        let nothing_left = again.is_empty() && ch.pending_items.is_empty();
        self.frames[fid].children = Some(ch);
        if distributed && self.map_run_of(fid).is_some_and(|m| m.exceeded()) {
            // The failures that cannot be redriven are already past the tolerance.
            self.fail_map_run(fid);
            return true;
        }
        let mut runnable = Vec::new();
        for (slot, c) in again {
            let prev = self.frames[fid].last_event;
            let start = if distributed {
                // The child's own history goes on after its ExecutionRedriven.
                let input = self.frames[c].input.clone();
                self.open_child_history(fid, slot, &input).unwrap_or(prev)
            } else if is_map {
                self.emit_for(fid, prev, "MapIterationStarted", Details::MapIteration { name: st.name.clone(), index: slot })
            } else {
                prev
            };
            self.reopen(c, start);
            if distributed {
                self.map_run_child(fid, slot, ChildStatus::Running);
            }
            if matches!(self.frames[c].phase, Phase::Enter) {
                runnable.push(c);
            }
        }
        for &c in runnable.iter().rev() {
            self.runnable.push_front(c);
        }
        if nothing_left {
            let outcome = self.finish_children(fid);
            self.run_next(fid);
            self.apply_outcome(fid, outcome);
        } else if is_map {
            if let Err(f) = self.start_iterations(fid) {
                self.run_next(fid);
                self.apply_outcome(fid, super::states::Outcome::Failed(f));
            }
        }
        true
    }
}

impl Execution {
    /// How child `slot` of frame `fid`'s Map Run failed, when a redrive cannot run it again.
    fn not_redrivable_failure(&mut self, fid: usize, slot: usize) -> Option<Failure> {
        let c = self.map_run_of(fid)?.children.get(slot)?;
        c.failure.clone().filter(|_| c.not_redrivable)
    }
}

/// The details body of an `ExecutionRedriven` event.
pub(crate) fn redriven_details(redrive_count: u64) -> serde_json::Value {
    json!({"redriveCount": redrive_count})
}
