//! The executions the service holds and the indexes calls find them by, so that a call costs the
//! same with a hundred thousand executions as with one: by ARN; by the state machine, version or
//! alias ARN that lists them, with and without their status; the ones with work to do now, with a
//! timer, with open tasks; by activity, the ones with a task no worker took; by Map Run; task
//! tokens; the finished ones in the order they finished (for `retain_executions`).
//!
//! An execution is only changed through an [`ExecMut`], which brings its index entries up to date
//! when it is dropped: no index can fall behind what the engine did. Ids count up from 0 in start
//! order and are never reused, so "newest first" is "highest id first".

use super::ExecutionRecord;
use crate::engine::{Status, TaskKind};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::{Deref, DerefMut, Index};

/// What the indexes last saw of one execution.
#[derive(Debug, Clone, Default)]
pub(crate) struct Indexed {
    status: Option<Status>,
    ready: bool,
    timer: Option<i64>,
    has_tasks: bool,
    /// Activity ARNs it has a task of that no worker took.
    activities: Vec<String>,
    map_runs: usize,
    /// Its place in the finish order, while it is finished.
    finished: Option<u64>,
    /// The task tokens registered for it.
    tokens: Vec<String>,
}

/// The executions one ARN lists (ListExecutions), all and by status.
#[derive(Debug, Default)]
struct Listing {
    all: BTreeSet<usize>,
    by_status: HashMap<&'static str, BTreeSet<usize>>,
}

#[derive(Debug, Default)]
struct Indexes {
    by_arn: HashMap<String, usize>,
    listed: HashMap<String, Listing>,
    /// Not started yet, or with frames ready to step.
    ready: BTreeSet<usize>,
    /// (next timer, id) of running executions with a timer.
    timers: BTreeSet<(i64, usize)>,
    /// Changed from outside since the reactions (answers, the world, child executions) last
    /// looked at them.
    touched: BTreeSet<usize>,
    with_tasks: BTreeSet<usize>,
    activity_tasks: HashMap<String, BTreeSet<usize>>,
    map_runs: HashMap<String, usize>,
    /// By a Map Run's labelled state machine ARN (`...:stateMachine:<name>/<label>`).
    map_run_labels: HashMap<String, BTreeSet<usize>>,
    finished: BTreeSet<(u64, usize)>,
    finish_seq: u64,
    tokens: HashMap<String, usize>,
    /// Executions a caller still has to read (an asynchronous StartSyncExecution): out of the
    /// finish order, so when the caller reads them (a time no journal knows) changes nothing
    /// about which others `retain_executions` drops.
    held: HashSet<usize>,
}

#[derive(Default)]
pub(crate) struct Executions {
    /// Boxed: a B-tree node holds up to 11 values and is often half full, and a record is large.
    records: BTreeMap<usize, Box<ExecutionRecord>>,
    next: usize,
    idx: Indexes,
}

/// The ARNs that list an execution: its state machine's, and the version and alias it ran.
fn targets(rec: &ExecutionRecord) -> impl Iterator<Item = &str> {
    std::iter::once(rec.machine.arn.as_str()).chain(rec.version_arn.as_deref()).chain(rec.alias_arn.as_deref())
}

fn set_member<K: Ord>(set: &mut BTreeSet<K>, key: K, member: bool) {
    if member {
        set.insert(key);
    } else {
        set.remove(&key);
    }
}

impl Indexes {
    /// Brings the entries of execution `id` up to date with what it is now.
    fn refresh(&mut self, id: usize, rec: &mut ExecutionRecord, now: i64, touch: bool) {
        let status = rec.exec.status();
        let running = status == Status::Running;
        if rec.indexed.status != Some(status) {
            let old = rec.indexed.status.map(|s| s.as_aws());
            for target in std::iter::once(rec.machine.arn.as_str()).chain(rec.version_arn.as_deref()).chain(rec.alias_arn.as_deref()) {
                let Some(listing) = self.listed.get_mut(target) else { continue };
                if let Some(old) = old {
                    if let Some(set) = listing.by_status.get_mut(old) {
                        set.remove(&id);
                    }
                }
                listing.by_status.entry(status.as_aws()).or_default().insert(id);
            }
            if running {
                if let Some(seq) = rec.indexed.finished.take() {
                    self.finished.remove(&(seq, id));
                }
            } else if rec.indexed.finished.is_none() && !self.held.contains(&id) {
                self.finish_seq += 1;
                self.finished.insert((self.finish_seq, id));
                rec.indexed.finished = Some(self.finish_seq);
            }
            rec.indexed.status = Some(status);
        }
        if !running && rec.stop_ms.is_none() {
            rec.stop_ms = Some(now);
        }
        let ix = &mut rec.indexed;
        let ready = rec.exec.can_step_at(i64::MIN);
        if ready != ix.ready {
            set_member(&mut self.ready, id, ready);
            ix.ready = ready;
        }
        let timer = if running { rec.exec.next_timer_ms() } else { None };
        if timer != ix.timer {
            if let Some(t) = ix.timer {
                self.timers.remove(&(t, id));
            }
            if let Some(t) = timer {
                self.timers.insert((t, id));
            }
            ix.timer = timer;
        }
        let has_tasks = running && rec.exec.pending_tasks().next().is_some();
        if has_tasks != ix.has_tasks {
            set_member(&mut self.with_tasks, id, has_tasks);
            ix.has_tasks = has_tasks;
        }
        let mut activities: Vec<String> = Vec::new();
        if has_tasks {
            for t in rec.exec.pending_tasks() {
                if t.kind == TaskKind::Activity && !t.started && !activities.contains(&t.resource) {
                    activities.push(t.resource.clone());
                }
            }
        }
        if activities != ix.activities {
            for a in &ix.activities {
                if let Some(set) = self.activity_tasks.get_mut(a) {
                    set.remove(&id);
                    if set.is_empty() {
                        self.activity_tasks.remove(a);
                    }
                }
            }
            for a in &activities {
                self.activity_tasks.entry(a.clone()).or_default().insert(id);
            }
            ix.activities = activities;
        }
        let runs = rec.exec.map_runs();
        if runs.len() > ix.map_runs {
            for m in &runs[ix.map_runs..] {
                self.map_runs.insert(m.arn.clone(), id);
                self.map_run_labels.entry(m.state_machine_arn()).or_default().insert(id);
            }
            ix.map_runs = runs.len();
        }
        if touch {
            self.touched.insert(id);
        }
    }
}

/// A running execution's clock brought up to `now` (never past its next timer, which must fire
/// at its own time): what its events are stamped with when something from outside changes it.
fn sync(rec: &mut ExecutionRecord, now: i64) {
    if rec.exec.status() == Status::Running {
        let to = rec.exec.next_timer_ms().map_or(now, |due| due.min(now));
        rec.exec.sync_clock(to);
    }
}

impl Executions {
    /// Adds a new execution; returns its id.
    pub fn insert(&mut self, mut rec: ExecutionRecord, now: i64) -> usize {
        let id = self.next;
        self.next += 1;
        self.idx.by_arn.insert(rec.arn.clone(), id);
        for target in targets(&rec) {
            self.idx.listed.entry(target.to_string()).or_default().all.insert(id);
        }
        self.idx.refresh(id, &mut rec, now, false);
        self.records.insert(id, Box::new(rec));
        id
    }

    pub fn get(&self, id: usize) -> Option<&ExecutionRecord> {
        self.records.get(&id).map(|r| &**r)
    }

    /// Execution `id` to change from outside (a task answer, a stop, a redrive): the reactions
    /// look at it next time.
    pub fn get_mut(&mut self, id: usize, now: i64) -> ExecMut<'_> {
        self.open(id, now, true).expect("an execution that exists")
    }

    /// Execution `id` as the service's own reactions change it.
    pub fn visit(&mut self, id: usize, now: i64) -> Option<ExecMut<'_>> {
        self.open(id, now, false)
    }

    fn open(&mut self, id: usize, now: i64, touch: bool) -> Option<ExecMut<'_>> {
        let rec = self.records.get_mut(&id)?;
        sync(rec, now);
        Some(ExecMut { rec, idx: &mut self.idx, id, now, touch })
    }

    pub fn id_of(&self, arn: &str) -> Option<usize> {
        self.idx.by_arn.get(arn).copied()
    }

    /// All executions, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &ExecutionRecord)> {
        self.records.iter().map(|(&id, r)| (id, &**r))
    }

    /// What a pass of the service's reactions visits at `now`: executions changed from outside,
    /// with work to do, or with a timer due; oldest first.
    pub fn due(&mut self, now: i64) -> Vec<usize> {
        let mut ids: Vec<usize> = std::mem::take(&mut self.idx.touched).into_iter().collect();
        ids.extend(self.idx.ready.iter().copied());
        ids.extend(self.idx.timers.range(..=(now, usize::MAX)).map(|&(_, id)| id));
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The executions changed from outside since the last look, oldest first.
    pub fn take_touched(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.idx.touched).into_iter().collect()
    }

    /// Marks every execution with an open task for the reactions to look at (a responder came).
    pub fn touch_all_with_tasks(&mut self) {
        let ids: Vec<usize> = self.idx.with_tasks.iter().copied().collect();
        self.idx.touched.extend(ids);
    }

    /// The oldest execution with something to do at `now`.
    pub fn first_ready(&self, now: i64) -> Option<usize> {
        let timer = self.idx.timers.range(..=(now, usize::MAX)).map(|&(_, id)| id).min();
        self.idx.ready.first().copied().into_iter().chain(timer).min()
    }

    /// The earliest timer of a running execution.
    pub fn next_timer(&self) -> Option<i64> {
        self.idx.timers.first().map(|&(t, _)| t)
    }

    /// Running executions with open tasks, oldest first.
    pub fn with_tasks(&self) -> impl Iterator<Item = (usize, &ExecutionRecord)> {
        self.idx.with_tasks.iter().map(|&id| (id, &*self.records[&id]))
    }

    /// Executions with a task of activity `arn` that no worker took, oldest first.
    pub fn waiting_on_activity(&self, arn: &str) -> impl Iterator<Item = (usize, &ExecutionRecord)> {
        self.idx.activity_tasks.get(arn).into_iter().flatten().map(|&id| (id, &*self.records[&id]))
    }

    /// The execution holding Map Run `arn`.
    pub fn map_run_owner(&self, arn: &str) -> Option<usize> {
        self.idx.map_runs.get(arn).copied()
    }

    /// Executions with a Map Run of the labelled state machine ARN, oldest first.
    pub fn with_map_run_label(&self, labelled: &str) -> impl Iterator<Item = &ExecutionRecord> {
        self.idx.map_run_labels.get(labelled).into_iter().flatten().map(|id| &*self.records[id])
    }

    /// Ids of the executions `target` lists (with `status`), newest first, older than `before`.
    pub fn listed(&self, target: &str, status: Option<&str>, before: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        let listing = self.idx.listed.get(target);
        let set = match status {
            None => listing.map(|l| &l.all),
            Some(s) => listing.and_then(|l| l.by_status.get(s)),
        };
        set.into_iter().flat_map(move |s| s.range(..before.unwrap_or(usize::MAX)).rev().copied())
    }

    /// Whether an execution of state machine `arn` is running.
    pub fn any_running(&self, arn: &str) -> bool {
        self.listed(arn, Some("RUNNING"), None).next().is_some()
    }

    /// Records that `token` belongs to execution `id`.
    pub fn register_token(&mut self, token: &str, id: usize) {
        if let Some(rec) = self.records.get_mut(&id) {
            register(&mut self.idx, rec, token, id);
        }
    }

    pub fn token_owner(&self, token: &str) -> Option<usize> {
        self.idx.tokens.get(token).copied()
    }

    /// Takes execution `id` out of the finish order for good: a caller still reads it, and
    /// then forgets it or keeps it ([`Executions::remove`]).
    pub fn hold(&mut self, id: usize) {
        self.idx.held.insert(id);
        if let Some(rec) = self.records.get_mut(&id) {
            if let Some(seq) = rec.indexed.finished.take() {
                self.idx.finished.remove(&(seq, id));
            }
        }
    }

    pub fn finished_count(&self) -> usize {
        self.idx.finished.len()
    }

    /// Removes the execution that finished first, passing over those in `keep`; returns it with
    /// the task tokens it had.
    pub fn remove_oldest_finished(&mut self, keep: &HashSet<usize>) -> Option<(ExecutionRecord, Vec<String>)> {
        let id = self.idx.finished.iter().map(|&(_, id)| id).find(|id| !keep.contains(id))?;
        self.remove(id)
    }

    /// Removes execution `id`; returns it with the task tokens it had.
    pub fn remove(&mut self, id: usize) -> Option<(ExecutionRecord, Vec<String>)> {
        let mut rec = *self.records.remove(&id)?;
        let idx = &mut self.idx;
        idx.by_arn.remove(&rec.arn);
        for target in targets(&rec) {
            let empty = idx.listed.get_mut(target).is_some_and(|l| {
                l.all.remove(&id);
                for set in l.by_status.values_mut() {
                    set.remove(&id);
                }
                l.all.is_empty()
            });
            if empty {
                idx.listed.remove(target);
            }
        }
        let ix = std::mem::take(&mut rec.indexed);
        idx.ready.remove(&id);
        if let Some(t) = ix.timer {
            idx.timers.remove(&(t, id));
        }
        idx.touched.remove(&id);
        idx.with_tasks.remove(&id);
        for a in &ix.activities {
            if let Some(set) = idx.activity_tasks.get_mut(a) {
                set.remove(&id);
                if set.is_empty() {
                    idx.activity_tasks.remove(a);
                }
            }
        }
        for m in rec.exec.map_runs() {
            idx.map_runs.remove(&m.arn);
            let label = m.state_machine_arn();
            if let Some(set) = idx.map_run_labels.get_mut(&label) {
                set.remove(&id);
                if set.is_empty() {
                    idx.map_run_labels.remove(&label);
                }
            }
        }
        if let Some(seq) = ix.finished {
            idx.finished.remove(&(seq, id));
        }
        for t in &ix.tokens {
            idx.tokens.remove(t);
        }
        idx.held.remove(&id);
        Some((rec, ix.tokens))
    }
}

impl Index<usize> for Executions {
    type Output = ExecutionRecord;
    fn index(&self, id: usize) -> &ExecutionRecord {
        &self.records[&id]
    }
}

/// One execution open for change; its index entries are brought up to date when it is dropped.
pub(crate) struct ExecMut<'a> {
    rec: &'a mut ExecutionRecord,
    idx: &'a mut Indexes,
    id: usize,
    now: i64,
    touch: bool,
}

fn register(idx: &mut Indexes, rec: &mut ExecutionRecord, token: &str, id: usize) {
    if !idx.tokens.contains_key(token) {
        idx.tokens.insert(token.to_string(), id);
        rec.indexed.tokens.push(token.to_string());
    }
}

impl ExecMut<'_> {
    /// Records that `token` belongs to this execution.
    pub fn register_token(&mut self, token: &str) {
        register(self.idx, self.rec, token, self.id);
    }
}

impl Deref for ExecMut<'_> {
    type Target = ExecutionRecord;
    fn deref(&self) -> &ExecutionRecord {
        self.rec
    }
}

impl DerefMut for ExecMut<'_> {
    fn deref_mut(&mut self) -> &mut ExecutionRecord {
        self.rec
    }
}

impl Drop for ExecMut<'_> {
    fn drop(&mut self) {
        self.idx.refresh(self.id, self.rec, self.now, self.touch);
    }
}

#[cfg(test)]
mod tests;
