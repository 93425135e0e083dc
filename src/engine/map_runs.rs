//! Map Runs: a Distributed Map's run of child executions as DescribeMapRun and ListMapRuns show
//! it (status, dates, settings, item and execution counts), the settings UpdateMapRun changes
//! while it runs, and the tolerated-failure rule that decides when the run fails.

use super::context::ContextExtra;
use super::child_executions::close_history;
use super::execution::{Execution, Status};
use super::history::{Details, Event};
use crate::asl::errors::Failure;
use crate::asl::model::{Kind, MapState, State};
use crate::asl::template;
use serde_json::{json, Value};
use std::sync::Arc;

/// AWS's error when more child executions failed than the Map Run tolerates.
pub const EXCEED_TOLERATED_FAILURE: &str = "States.ExceedToleratedFailureThreshold";
pub const EXCEED_TOLERATED_FAILURE_CAUSE: &str = "The specified tolerated failure threshold was exceeded";
/// AWS's hard limit on redrives of one Map Run ("Redriving Map Runs": past it, States.Runtime).
pub const MAX_MAP_RUN_REDRIVES: u64 = 1_000;

/// Where one child execution of a Map Run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

#[derive(Debug, Clone)]
pub struct ChildRun {
    pub status: ChildStatus,
    /// The items it processes: 1, or the size of its batch (ItemBatcher).
    pub items: u64,
    /// It was unsuccessful, the Map Run was redriven, and it has not started again yet.
    pub pending_redrive: bool,
    /// The child execution's name (its ARN is `...:execution:<name>/<label>:<name>`).
    pub name: String,
    pub start_ms: Option<i64>,
    pub stop_ms: Option<i64>,
    /// Its input (the item, after ItemSelector or batching), its output or its failure.
    pub input: Option<Arc<Value>>,
    pub output: Option<Arc<Value>>,
    pub failure: Option<Failure>,
    pub redrive_count: u64,
    /// Its own execution history (Standard children only: Express ones have none on AWS), ids
    /// from 1. Bounded like any execution's: at the history limit the child fails.
    pub history: Vec<Event>,
    /// It failed at the history limit, so a redrive cannot run it again (AWS counts it in
    /// `failuresNotRedrivable`).
    pub not_redrivable: bool,
}

#[derive(Debug, Clone)]
pub struct MapRun {
    pub arn: String,
    /// The frame running the Distributed Map state.
    pub(crate) frame: usize,
    /// Started inside a child execution of another Map Run (ListMapRuns of the execution
    /// leaves it out: it belongs to that child).
    pub nested: bool,
    pub start_ms: i64,
    pub stop_ms: Option<i64>,
    /// Running, Succeeded, Failed or Aborted.
    pub status: Status,
    /// 0 means no limit.
    pub max_concurrency: u64,
    /// None when the definition does not set it (DescribeMapRun then shows 0).
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
    pub children: Vec<ChildRun>,
    pub redrive_count: u64,
    pub redrive_ms: Option<i64>,
    /// Its children are Standard executions, each with a history.
    pub standard: bool,
}

impl MapRun {
    /// The ARN of child execution `i`: `...:execution:<stateMachine>/<label or uuid>:<name>`.
    pub fn child_arn(&self, i: usize) -> Option<String> {
        let name = &self.children.get(i)?.name;
        let base = self.state_machine_arn().replacen(":stateMachine:", ":execution:", 1);
        Some(format!("{base}:{name}"))
    }

    /// The labelled state machine ARN ListMapRuns shows: `...:stateMachine:<name>/<label or uuid>`.
    pub fn state_machine_arn(&self) -> String {
        let arn = self.arn.replacen(":mapRun:", ":stateMachine:", 1);
        match arn.rsplit_once(':') {
            Some((head, _)) => head.to_string(),
            None => arn,
        }
    }

    fn failures(&self) -> u64 {
        self.children
            .iter()
            .filter(|c| matches!(c.status, ChildStatus::Failed | ChildStatus::TimedOut))
            .count() as u64
    }

    /// More children failed than tolerated. With neither figure set, no failure is tolerated.
    pub(crate) fn exceeded(&self) -> bool {
        let failed = self.failures();
        let total = self.children.len().max(1) as f64;
        match (self.tolerated_failure_count, self.tolerated_failure_percentage) {
            (None, None) => failed > 0,
            (count, pct) => {
                count.is_some_and(|c| failed > c) || pct.is_some_and(|p| failed as f64 * 100.0 / total > p)
            }
        }
    }

    /// `executionCounts` (one per child execution) or `itemCounts` (one per item).
    pub fn counts(&self, per_item: bool) -> Value {
        let mut n = [0u64; 6];
        let (mut pending_redrive, mut not_redrivable) = (0, 0);
        for c in &self.children {
            let k = if per_item { c.items } else { 1 };
            if c.not_redrivable && matches!(c.status, ChildStatus::Failed | ChildStatus::TimedOut | ChildStatus::Aborted) {
                not_redrivable += k;
            }
            let i = match c.status {
                ChildStatus::Pending => 0,
                ChildStatus::Running => 1,
                ChildStatus::Succeeded => 2,
                ChildStatus::Failed => 3,
                ChildStatus::TimedOut => 4,
                ChildStatus::Aborted => 5,
            };
            n[i] += k;
            if c.pending_redrive {
                pending_redrive += k;
            }
        }
        // Results are written when the run ends (recorded: resultsWritten = succeeded).
        let written = if self.stop_ms.is_some() { n[2] } else { 0 };
        json!({
            "pending": n[0], "running": n[1], "succeeded": n[2], "failed": n[3],
            "timedOut": n[4], "aborted": n[5], "total": n.iter().sum::<u64>(),
            "resultsWritten": written, "failuresNotRedrivable": not_redrivable, "pendingRedrive": pending_redrive,
        })
    }
}

impl Execution {
    /// The Map Runs of this execution, oldest first.
    pub fn map_runs(&self) -> &[MapRun] {
        &self.map_runs
    }

    /// UpdateMapRun: new settings for a Map Run (None keeps one). A running Map Run starts more
    /// children at once when the limit grows. False when this execution has no such Map Run.
    pub fn update_map_run(&mut self, arn: &str, max: Option<u64>, count: Option<u64>, pct: Option<f64>) -> bool {
        let Some(i) = self.map_runs.iter().position(|m| m.arn == arn) else {
            return false;
        };
        let mr = &mut self.map_runs[i];
        if let Some(m) = max {
            mr.max_concurrency = m;
        }
        if count.is_some() {
            mr.tolerated_failure_count = count;
        }
        if pct.is_some() {
            mr.tolerated_failure_percentage = pct;
        }
        let (fid, limit, running) = (mr.frame, mr.max_concurrency, mr.status == Status::Running);
        if !running || self.status != Status::Running || self.frames[fid].map_run != Some(i) {
            return true;
        }
        if let Some(ch) = self.frames[fid].children.as_mut() {
            ch.limit = super::branches::concurrency_limit(limit as usize);
        }
        if self.map_runs[i].exceeded() {
            // The new tolerance is below the failures so far.
            self.fail_map_run(fid);
        } else if let Err(f) = self.start_iterations(fid) {
            self.abort_children(fid, None);
            self.end_map_run(fid, Status::Failed);
            self.frames[fid].children = None;
            self.run_next(fid);
            self.state_failed(fid, f);
        }
        true
    }

    /// Frame `fid`'s Map Run fails past its tolerance: the children still running are aborted,
    /// MapRunFailed, and the Map state fails (it may retry or catch).
    pub(crate) fn fail_map_run(&mut self, fid: usize) {
        self.frames[fid].last_event = self.frames[fid].map_run_started;
        self.abort_children(fid, None);
        let failure = Failure::new(EXCEED_TOLERATED_FAILURE, EXCEED_TOLERATED_FAILURE_CAUSE.to_string());
        let d = Details::ErrorCause { error: failure.error.clone(), cause: failure.cause.clone() };
        self.emit_in(fid, "MapRunFailed", d);
        self.end_map_run(fid, Status::Failed);
        let state = self.frames[fid].state;
        self.frames[fid].redrive_children = self.frames[fid].children.take().map(|c| (state, c));
        self.frames[fid].children_failed = true;
        self.run_next(fid);
        self.state_failed(fid, failure);
    }

    /// The Map's tolerated-failure figures, as the run starts (values already checked).
    pub(crate) fn tolerance_values(&mut self, fid: usize, st: &State, map: &MapState, effective: &Arc<Value>) -> (Option<u64>, Option<f64>) {
        let extra = ContextExtra::default();
        let read = |ex: &mut Execution, lit: &Option<Value>, path: &Option<crate::asl::path::Path>, key: &str| -> Option<Value> {
            match (lit, path) {
                (Some(v), _) if st.jsonata => ex.jsonata_value(fid, v, key, &super::jsonata::StatesVar::input(effective)).ok(),
                (Some(v), _) => Some(v.clone()),
                (None, Some(p)) => ex.with_scope(fid, effective, &extra, |s| template::select(p, s)).ok(),
                _ => None,
            }
        };
        let count = read(self, &map.tolerated_failure_count, &map.tolerated_failure_count_path, "ToleratedFailureCount");
        let pct = read(self, &map.tolerated_failure_percentage, &map.tolerated_failure_percentage_path, "ToleratedFailurePercentage");
        let count = count.and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
        let pct = pct.and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
        (count, pct)
    }

    /// A Distributed Map starts its Map Run over `items` (one child execution each).
    pub(crate) fn begin_map_run(&mut self, fid: usize, arn: String, max: u64, tolerance: (Option<u64>, Option<f64>), items: &[Value], batched: bool) {
        let run_seed = arn.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
        let children = items
            .iter()
            .enumerate()
            .map(|(i, item)| ChildRun {
                status: ChildStatus::Pending,
                items: if batched { item["Items"].as_array().map_or(1, |a| a.len() as u64) } else { 1 },
                pending_redrive: false,
                // Names derive from the run's ARN, so they take nothing from the seeded generator.
                name: crate::asl::intrinsics::uuid_v4(mix(run_seed ^ i as u64), mix(run_seed.rotate_left(32) ^ i as u64)),
                start_ms: None,
                stop_ms: None,
                input: None,
                output: None,
                failure: None,
                redrive_count: 0,
                history: Vec::new(),
                not_redrivable: false,
            })
            .collect();
        let standard = match &self.frames[fid].machine.states[self.frames[fid].state].kind {
            Kind::Map(m) => !m.express,
            _ => false,
        };
        self.map_runs.push(MapRun {
            arn,
            frame: fid,
            nested: self.frames[fid].hidden,
            start_ms: self.clock.now(),
            stop_ms: None,
            status: Status::Running,
            max_concurrency: max,
            tolerated_failure_count: tolerance.0,
            tolerated_failure_percentage: tolerance.1,
            children,
            redrive_count: 0,
            redrive_ms: None,
            standard,
        });
        self.frames[fid].map_run = Some(self.map_runs.len() - 1);
    }

    /// The Map Run of frame `fid`, if it runs one.
    pub(crate) fn map_run_of(&mut self, fid: usize) -> Option<&mut MapRun> {
        let i = self.map_run_index(fid)?;
        self.map_runs.get_mut(i)
    }

    /// The index of frame `fid`'s Map Run, while the frame is in its Distributed Map state (an
    /// inline Map later in the same frame has none).
    fn map_run_index(&self, fid: usize) -> Option<usize> {
        let f = self.frames.get(fid)?;
        match &f.machine.states.get(f.state)?.kind {
            Kind::Map(m) if m.distributed => f.map_run,
            _ => None,
        }
    }

    /// Child `slot` of frame `fid`'s Map Run moved to `status`.
    pub(crate) fn map_run_child(&mut self, fid: usize, slot: usize, status: ChildStatus) {
        let now = self.clock.now();
        if let Some(c) = self.map_run_of(fid).and_then(|m| m.children.get_mut(slot)) {
            c.status = status;
            match status {
                ChildStatus::Pending => {}
                ChildStatus::Running => {
                    c.pending_redrive = false;
                    c.start_ms.get_or_insert(now);
                    c.stop_ms = None;
                }
                _ => {
                    c.pending_redrive = false;
                    c.stop_ms = Some(now);
                }
            }
        }
    }

    /// What child `slot` of frame `fid`'s Map Run was given, or how it ended.
    pub(crate) fn map_run_child_data(&mut self, fid: usize, slot: usize, input: Option<Arc<Value>>, end: Option<Result<Arc<Value>, Failure>>) {
        if let Some(c) = self.map_run_of(fid).and_then(|m| m.children.get_mut(slot)) {
            if input.is_some() {
                c.input = input;
            }
            match end {
                Some(Ok(v)) => (c.output, c.failure) = (Some(v), None),
                Some(Err(f)) => (c.output, c.failure) = (None, Some(f)),
                None => {}
            }
        }
    }

    /// Frame `fid`'s Map Run ended: children still running are aborted.
    pub(crate) fn end_map_run(&mut self, fid: usize, status: Status) {
        let now = self.clock.now();
        if let Some(m) = self.map_run_of(fid).filter(|m| m.status == Status::Running) {
            m.status = status;
            m.stop_ms = Some(now);
            for c in m.children.iter_mut().filter(|c| c.status == ChildStatus::Running) {
                c.status = ChildStatus::Aborted;
                c.stop_ms = Some(now);
                close_history(c, now, "ExecutionAborted", Details::ErrorCause { error: None, cause: None });
            }
        }
    }

    /// The execution stopped: Map Runs still running are aborted.
    pub(crate) fn abort_map_runs(&mut self) {
        let fids: Vec<usize> = self.map_runs.iter().filter(|m| m.status == Status::Running).map(|m| m.frame).collect();
        for fid in fids {
            self.end_map_run(fid, Status::Aborted);
        }
    }

    /// RedriveExecution reached frame `fid`'s failed Map Run: its unsuccessful children wait to
    /// run again; returns the Map Run's ARN and new redrive count.
    pub(crate) fn redrive_map_run(&mut self, fid: usize) -> Option<(String, u64)> {
        let now = self.clock.now();
        let m = self.map_run_of(fid)?;
        if m.redrive_count >= MAX_MAP_RUN_REDRIVES {
            return None;
        }
        m.redrive_count += 1;
        m.redrive_ms = Some(now);
        m.status = Status::Running;
        m.stop_ms = None;
        for c in m.children.iter_mut().filter(|c| c.status != ChildStatus::Succeeded && !c.not_redrivable) {
            c.status = ChildStatus::Pending;
            c.pending_redrive = true;
            if c.start_ms.is_some() {
                c.redrive_count += 1;
            }
        }
        Some((m.arn.clone(), m.redrive_count))
    }
}

/// SplitMix64's finaliser: spreads a seed's bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
