//! Parallel branches and inline Map iterations: child frames of one execution, their events, and how
//! their results and failures reach the parent state.

use super::context::ContextExtra;
use super::execution::{Children, Execution, Frame, Phase, Status};
use super::history::Details;
use super::map_runs::{ChildStatus, EXCEED_TOLERATED_FAILURE, EXCEED_TOLERATED_FAILURE_CAUSE};
use super::states::Outcome;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{Kind, MapState, Seconds};
use crate::asl::template::{self, compact};
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Arc;

/// AWS runs at most about 40 inline Map iterations at a time.
const INLINE_MAP_CONCURRENCY: usize = 40;

impl Execution {
    pub(crate) fn start_parallel(&mut self, fid: usize) -> Outcome {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let Kind::Parallel { branches } = &st.kind else {
            return Outcome::Failed(self.runtime_failure(fid, "not a Parallel state"));
        };
        let raw = self.frames[fid].input.clone();
        let extra = ContextExtra {
            retry_count: Some(self.frames[fid].retry_count),
            ..Default::default()
        };
        let effective = match self.effective_input(fid, st, &raw, &extra) {
            Ok(v) => v,
            Err(f) => return Outcome::Failed(f),
        };
        let started = self.emit_in(fid, "ParallelStateStarted", Details::None);
        let mut ids = Vec::with_capacity(branches.len());
        for (i, b) in branches.iter().enumerate() {
            let child = Frame::new(
                b.clone(),
                Some((fid, i)),
                b.start,
                effective.clone(),
                started,
            );
            ids.push(self.add_frame(child));
        }
        let n = ids.len();
        self.frames[fid].children = Some(Children {
            frames: ids.iter().map(|&c| Some(c)).collect(),
            results: vec![None; n],
            pending_items: VecDeque::new(),
            items: Arc::new(Vec::new()),
            effective_input: effective,
            limit: 0,
            running: n,
            done: 0,
        });
        self.frames[fid].children_failed = false;
        self.frames[fid].redrive_children = None;
        for &c in ids.iter().rev() {
            self.runnable.push_front(c);
        }
        Outcome::Blocked
    }

    pub(crate) fn start_map(&mut self, fid: usize) -> Outcome {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let Kind::Map(map) = &st.kind else {
            return Outcome::Failed(self.runtime_failure(fid, "not a Map state"));
        };
        let raw = self.frames[fid].input.clone();
        let extra = ContextExtra {
            retry_count: Some(self.frames[fid].retry_count),
            ..Default::default()
        };
        let effective = match self.apply_path(fid, &st.input_path, &raw, &extra) {
            Ok(v) => v,
            Err(f) => return Outcome::Failed(f),
        };
        // An ItemReader replaces ItemsPath (recorded: ItemsPath is then ignored). Its failures
        // are the Map Run's: MapStateStarted {length: 0}, MapRunStarted, MapRunFailed.
        if let Some(reader) = &map.item_reader {
            let read = self.read_items(fid, reader, &effective).and_then(|items| match &map.item_batcher {
                Some(b) => self.batch_items(fid, b, items, &effective),
                None => Ok(items),
            });
            match read {
                Ok(items) => return self.start_map_items(fid, map, effective, items),
                Err(f) => {
                    if f.error.as_deref() != Some(super::items::ITEM_READER_FAILED) {
                        return Outcome::Failed(f);
                    }
                    self.emit_in(fid, "MapStateStarted", Details::MapStateStarted { length: 0 });
                    if map.distributed {
                        let map_run_arn = self.new_map_run_arn(map.label.as_deref());
                        self.begin_map_run(fid, map_run_arn.clone(), 0, (None, None), &[], false);
                        self.emit_in(fid, "MapRunStarted", Details::MapRunStarted { map_run_arn });
                        let d = Details::ErrorCause { error: f.error.clone(), cause: f.cause.clone() };
                        self.emit_in(fid, "MapRunFailed", d);
                        self.end_map_run(fid, Status::Failed);
                    }
                    self.frames[fid].children_failed = true;
                    return Outcome::Failed(f);
                }
            }
        }
        if st.jsonata {
            return match self.jsonata_items(fid, st, &effective) {
                Ok(items) => self.start_map_items(fid, map, effective, items),
                Err(f) => {
                    // Recorded: the Map then writes MapStateFailed.
                    self.frames[fid].children_failed = true;
                    Outcome::Failed(f)
                }
            };
        }
        let items = match &map.items_path {
            None => (*effective).clone(),
            Some(p) => match self.with_scope(fid, &effective, &extra, |s| template::select(p, s)) {
                Ok(v) => v,
                Err((msg, _)) => {
                    return Outcome::Failed(
                        self.runtime_failure(fid, format!("Invalid path '{}' : {}", p.text(), msg)),
                    )
                }
            },
        };
        let items = match items {
            Value::Array(a) => a,
            other => {
                return Outcome::Failed(Failure::new(
                    errors::QUERY_EVALUATION_ERROR,
                    format!(
                        "{}Map state input must be an array but was: {}",
                        self.runtime_prefix(fid),
                        compact(&other)
                    ),
                ))
            }
        };
        let items = match &map.item_batcher {
            Some(b) => match self.batch_items(fid, b, items, &effective) {
                Ok(v) => v,
                Err(f) => return Outcome::Failed(f),
            },
            None => items,
        };
        self.start_map_items(fid, map, effective, items)
    }

    /// Starts a Map's iterations over `items`.
    fn start_map_items(&mut self, fid: usize, map: &MapState, effective: Arc<Value>, items: Vec<Value>) -> Outcome {
        let limit = match self.map_concurrency(fid, map, &effective) {
            Ok(l) => l,
            Err(f) => return Outcome::Failed(f),
        };
        let n = items.len();
        // With an ItemReader the count is not known when the Map starts (recorded: length 0).
        let length = if map.item_reader.is_some() { 0 } else { n };
        self.emit_in(
            fid,
            "MapStateStarted",
            Details::MapStateStarted { length },
        );
        // Tolerated-failure values are read after MapStateStarted (recorded).
        if let Err(f) = self.check_tolerance(fid, map, &effective) {
            return Outcome::Failed(f);
        }
        self.frames[fid].redrive_children = None;
        if map.distributed {
            let map_run_arn = self.new_map_run_arn(map.label.as_deref());
            let machine = self.frames[fid].machine.clone();
            let tolerance = self.tolerance_values(fid, &machine.states[self.frames[fid].state], map, &effective);
            self.begin_map_run(fid, map_run_arn.clone(), limit as u64, tolerance, &items, map.item_batcher.is_some());
            let id = self.emit_in(fid, "MapRunStarted", Details::MapRunStarted { map_run_arn: map_run_arn.clone() });
            self.frames[fid].map_run_started = id;
            self.frames[fid].map_run_arn = Some(map_run_arn);
        }
        self.frames[fid].children = Some(Children {
            frames: vec![None; n],
            results: vec![None; n],
            pending_items: (0..n).collect(),
            items: Arc::new(items),
            effective_input: effective,
            limit: concurrency_limit(limit),
            running: 0,
            done: 0,
        });
        self.frames[fid].children_failed = false;
        if n == 0 {
            return self.finish_children(fid);
        }
        match self.start_iterations(fid) {
            Ok(()) => Outcome::Blocked,
            Err(f) => Outcome::Failed(f),
        }
    }

    fn map_concurrency(
        &mut self,
        fid: usize,
        map: &MapState,
        effective: &Arc<Value>,
    ) -> Result<usize, Failure> {
        match &map.max_concurrency {
            None => Ok(0),
            Some(Seconds::Literal(n)) => Ok(*n as usize),
            Some(Seconds::Path(p)) => {
                let extra = ContextExtra::default();
                let v = self.with_scope(fid, effective, &extra, |s| template::select(p, s));
                match v {
                    Ok(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or(0) as usize),
                    // A numeric string is accepted too (recorded: "1" from a variable).
                    Ok(Value::String(s)) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse::<u64>().unwrap_or(0) as usize),
                    Ok(other) => Err(self.runtime_failure(
                        fid,
                        format!("The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: {}", plain(&other), p.text()),
                    )),
                    Err((msg, _)) => Err(self.runtime_failure(fid, format!("Invalid path '{}' : {}", p.text(), msg))),
                }
            }
        }
    }

    /// ToleratedFailureCount/Percentage(Path) values are checked when the Map starts.
    fn check_tolerance(
        &mut self,
        fid: usize,
        map: &MapState,
        effective: &Arc<Value>,
    ) -> Result<(), Failure> {
        let extra = ContextExtra::default();
        if let Some(p) = &map.tolerated_failure_count_path {
            let v = self
                .with_scope(fid, effective, &extra, |s| template::select(p, s))
                .unwrap_or(Value::Null);
            match v.as_i64() {
                Some(n) if n < 0 => return Err(self.runtime_failure(fid, "ToleratedFailureCount cannot be negative.")),
                Some(_) => {}
                None => {
                    return Err(self.runtime_failure(
                        fid,
                        format!("The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: {}", plain(&v), p.text()),
                    ))
                }
            }
        }
        if let Some(p) = &map.tolerated_failure_percentage_path {
            let v = self
                .with_scope(fid, effective, &extra, |s| template::select(p, s))
                .unwrap_or(Value::Null);
            match v.as_f64() {
                Some(x) if !(0.0..=100.0).contains(&x) => {
                    return Err(self.runtime_failure(fid, "ToleratedFailurePercentage must be between 0 and 100."))
                }
                Some(_) => {}
                None => {
                    return Err(self.runtime_failure(
                        fid,
                        format!("The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {}", plain(&v), p.text()),
                    ))
                }
            }
        }
        if let Some(v) = &map.tolerated_failure_percentage {
            if v.as_f64().is_some_and(|x| !(0.0..=100.0).contains(&x)) {
                return Err(self.runtime_failure(
                    fid,
                    "ToleratedFailurePercentage must be between 0 and 100.",
                ));
            }
        }
        if let Some(v) = &map.tolerated_failure_count {
            if v.as_i64().is_some_and(|x| x < 0) {
                return Err(self.runtime_failure(fid, "ToleratedFailureCount cannot be negative."));
            }
        }
        Ok(())
    }

    /// Starts pending Map iterations up to the concurrency limit, in item order.
    pub(crate) fn start_iterations(&mut self, fid: usize) -> Result<(), Failure> {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let Kind::Map(map) = &st.kind else {
            return Ok(());
        };
        let mut started = Vec::new();
        while let Some(ch) = self.frames[fid].children.as_mut() {
            if ch.running >= ch.limit {
                break;
            }
            let Some(index) = ch.pending_items.pop_front() else {
                break;
            };
            ch.running += 1;
            let item = ch.items.get(index).cloned().unwrap_or(Value::Null);
            let effective = ch.effective_input.clone();
            let d = Details::MapIteration {
                name: st.name.clone(),
                index,
            };
            let prev = self.frames[fid].last_event;
            let it_started = if map.distributed {
                prev
            } else {
                self.emit_for(fid, prev, "MapIterationStarted", d)
            };
            let input = match &map.item_selector {
                _ if st.jsonata => self.jsonata_item_selector(fid, st, &effective, index, &item)?,
                None => Arc::new(item.clone()),
                Some(t) => {
                    let extra = ContextExtra {
                        map_item: Some((index, item.clone())),
                        ..Default::default()
                    };
                    Arc::new(self.eval_template(fid, t, &effective, &extra)?)
                }
            };
            let mut child = Frame::new(
                map.processor.clone(),
                Some((fid, index)),
                map.processor.start,
                input,
                it_started,
            );
            child.map_item = Some((index, item));
            child.hidden = map.distributed || self.frames[fid].hidden;
            child.isolated = map.distributed;
            let cid = self.add_frame(child);
            if let Some(ch) = self.frames[fid].children.as_mut() {
                ch.frames[index] = Some(cid);
            }
            self.map_run_child(fid, index, ChildStatus::Running);
            let given = self.frames[cid].input.clone();
            if map.distributed {
                if let Some(id) = self.open_child_history(fid, index, &given) {
                    self.frames[cid].last_event = id;
                }
            }
            self.map_run_child_data(fid, index, Some(given), None);
            started.push(cid);
        }
        for &c in started.iter().rev() {
            self.runnable.push_front(c);
        }
        Ok(())
    }

    pub(crate) fn child_succeeded(
        &mut self,
        parent: usize,
        slot: usize,
        child: usize,
        output: Arc<Value>,
    ) {
        self.map_run_child(parent, slot, ChildStatus::Succeeded);
        self.map_run_child_data(parent, slot, None, Some(Ok(output.clone())));
        self.close_child_history(parent, slot, "ExecutionSucceeded", Details::Output { output: output.clone() });
        self.child_done(parent, slot, child, output);
    }

    /// A child's result is in (a success, or a Map Run's tolerated failure): the next one starts,
    /// or the state finishes when it was the last.
    fn child_done(&mut self, parent: usize, slot: usize, child: usize, output: Arc<Value>) {
        let child_last = self.frames[child].last_event;
        let machine = self.frames[parent].machine.clone();
        let st = &machine.states[self.frames[parent].state];
        let Some(ch) = self.frames[parent].children.as_mut() else {
            return;
        };
        ch.results[slot] = Some(output);
        ch.done += 1;
        ch.running = ch.running.saturating_sub(1);
        let all_done = ch.done == ch.results.len();
        self.frames[parent].last_event = child_last;
        if let Kind::Map(map) = &st.kind {
            let id = if map.distributed {
                self.frames[parent].last_event = self.frames[parent].map_run_started;
                self.frames[parent].map_run_started
            } else {
                let d = Details::MapIteration {
                    name: st.name.clone(),
                    index: slot,
                };
                self.emit_for(parent, child_last, "MapIterationSucceeded", d)
            };
            if all_done {
                // The last iteration's success is the predecessor of MapStateSucceeded.
                self.frames[parent].last_event = id;
            } else if let Err(f) = self.start_iterations(parent) {
                let outcome = Outcome::Failed(f);
                self.run_next(parent);
                return self.apply_outcome(parent, outcome);
            }
        }
        if all_done && self.status == Status::Running {
            let outcome = self.finish_children(parent);
            self.run_next(parent);
            self.apply_outcome(parent, outcome);
        }
    }

    /// All children succeeded: write the aggregate success event and process the result array.
    pub(crate) fn finish_children(&mut self, fid: usize) -> Outcome {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        if let Kind::Map(map) = &st.kind {
            if map.distributed {
                self.frames[fid].last_event = self.frames[fid].map_run_started;
                self.emit_in(fid, "MapRunSucceeded", Details::None);
                self.end_map_run(fid, Status::Succeeded);
            }
        }
        let kind = if matches!(st.kind, Kind::Map(_)) {
            "MapStateSucceeded"
        } else {
            "ParallelStateSucceeded"
        };
        // Aggregate success events are never predecessors.
        let prev = self.frames[fid].last_event;
        self.emit_for(fid, prev, kind, Details::None);
        let results: Vec<Value> = self.frames[fid]
            .children
            .take()
            .map(|c| {
                c.results
                    .into_iter()
                    .map(|r| {
                        r.map(|a| Arc::try_unwrap(a).unwrap_or_else(|a| (*a).clone()))
                            .unwrap_or(Value::Null)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let raw = self.frames[fid].input.clone();
        let extra = ContextExtra {
            retry_count: Some(self.frames[fid].retry_count),
            ..Default::default()
        };
        let mut result = Value::Array(results);
        if let Kind::Map(map) = &st.kind {
            if let Some(w) = &map.result_writer {
                match self.write_results(fid, w, &raw, result) {
                    Ok(details) => result = details,
                    Err(f) => return Outcome::Failed(f),
                }
            }
        }
        match self.process_result(fid, st, &raw, Arc::new(result), &extra) {
            Ok((output, assigned)) => Outcome::Exit {
                output,
                assigned,
                next: st.next,
            },
            Err(f) => Outcome::Failed(f),
        }
    }

    pub(crate) fn child_failed(
        &mut self,
        parent: usize,
        slot: usize,
        child: usize,
        failure: Failure,
    ) {
        let child_last = self.frames[child].last_event;
        let machine = self.frames[parent].machine.clone();
        let st = &machine.states[self.frames[parent].state];
        let is_map = matches!(st.kind, Kind::Map(_));
        let distributed = matches!(&st.kind, Kind::Map(m) if m.distributed);
        let mut failure = failure;
        if distributed {
            let timed_out = failure.error.as_deref() == Some(errors::TIMEOUT);
            self.map_run_child(parent, slot, if timed_out { ChildStatus::TimedOut } else { ChildStatus::Failed });
            self.map_run_child_data(parent, slot, None, Some(Err(failure.clone())));
            let kind = if timed_out { "ExecutionTimedOut" } else { "ExecutionFailed" };
            let d = Details::ErrorCause { error: failure.error.clone(), cause: failure.cause.clone() };
            self.close_child_history(parent, slot, kind, d);
            if self.map_run_of(parent).is_some_and(|m| !m.exceeded()) {
                // Tolerated: the item's result is the failure's error output.
                return self.child_done(parent, slot, child, Arc::new(failure.error_output()));
            }
            failure = Failure::new(EXCEED_TOLERATED_FAILURE, EXCEED_TOLERATED_FAILURE_CAUSE.to_string());
        }
        if distributed {
            // A child execution failed; the Map Run reports it below.
        } else if is_map {
            let d = Details::MapIteration {
                name: st.name.clone(),
                index: slot,
            };
            self.emit_for(parent, child_last, "MapIterationFailed", d);
        } else if self.frames[child]
            .machine
            .states
            .get(self.frames[child].state)
            .is_some_and(|s| matches!(s.kind, Kind::Task(_)))
            && !failure.is_terminal()
        {
            // A branch whose Task failed also reports the Task state as aborted (recorded).
            self.emit_for(parent, child_last, "TaskStateAborted", Details::None);
        }
        self.frames[parent].last_event = if distributed {
            self.frames[parent].map_run_started
        } else {
            child_last
        };
        self.abort_children(parent, Some(child));
        if distributed {
            let d = Details::ErrorCause {
                error: failure.error.clone(),
                cause: failure.cause.clone(),
            };
            self.emit_in(parent, "MapRunFailed", d);
            self.end_map_run(parent, Status::Failed);
        }
        let state = self.frames[parent].state;
        self.frames[parent].redrive_children = self.frames[parent].children.take().map(|c| (state, c));
        self.frames[parent].children_failed = true;
        self.run_next(parent);
        self.state_failed(parent, failure);
    }

    /// Aborts every running child of `fid` (except `except`), innermost first, writing the events
    /// AWS writes for them.
    pub(crate) fn abort_children(&mut self, fid: usize, except: Option<usize>) {
        let Some(ch) = self.frames[fid].children.clone() else {
            return;
        };
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let is_map = matches!(st.kind, Kind::Map(_));
        for (slot, c) in ch.frames.iter().enumerate() {
            let Some(c) = *c else { continue };
            if Some(c) == except || matches!(self.frames[c].phase, Phase::Done) {
                continue;
            }
            self.abort_frame(c);
            if is_map && !self.frames[c].isolated {
                let prev = self.frames[c].last_event;
                self.emit_for(
                    c,
                    prev,
                    "MapIterationAborted",
                    Details::MapIteration {
                        name: st.name.clone(),
                        index: slot,
                    },
                );
            }
        }
    }

    /// Aborts a frame: its open Task, Wait, Parallel or Map state gets its ...StateAborted event.
    pub(crate) fn abort_frame(&mut self, c: usize) {
        self.abort_children(c, None);
        let f = &self.frames[c];
        let state_kind = f.machine.states.get(f.state).map(|s| match s.kind {
            Kind::Task(_) => Some("TaskStateAborted"),
            Kind::Wait(_) => Some("WaitStateAborted"),
            Kind::Parallel { .. } => Some("ParallelStateAborted"),
            Kind::Map(_) => Some("MapStateAborted"),
            _ => None,
        });
        let blocked = matches!(f.phase, Phase::Blocked);
        self.drop_task_of(c);
        if blocked {
            if let Some(Some(kind)) = state_kind {
                self.emit_in(c, kind, Details::None);
            }
        }
        let f = &mut self.frames[c];
        f.phase = Phase::Done;
        f.epoch += 1;
        f.children = None;
        self.runnable.retain(|&x| x != c);
    }
}

/// The number of children that may run at once for a MaxConcurrency (0 = no limit).
pub(crate) fn concurrency_limit(max: usize) -> usize {
    if max == 0 {
        INLINE_MAP_CONCURRENCY
    } else {
        max.min(INLINE_MAP_CONCURRENCY)
    }
}

impl Execution {
    /// `arn:...:mapRun:<stateMachine>/<label or uuid>:<uuid>`.
    fn new_map_run_arn(&mut self, label: Option<&str>) -> String {
        let base = self
            .cfg
            .state_machine_arn
            .replacen(":stateMachine:", ":mapRun:", 1);
        let first = match label {
            Some(l) => l.to_string(),
            None => self.new_uuid(),
        };
        let second = self.new_uuid();
        format!("{base}/{first}:{second}")
    }

    /// A version 4 UUID from the seeded generator.
    pub(crate) fn new_uuid(&mut self) -> String {
        let a = self.random_u64();
        let b = self.random_u64();
        let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}
