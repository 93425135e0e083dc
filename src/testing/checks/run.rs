//! What a run says, for the checks' why: its end in words (and the state and event that ended
//! it), how a state was reached (the Choice that sent it, the Catch that caught), why a state
//! was never reached, and where the virtual time went.

use super::evaluate::{clip, details, id, ty};
use super::{definition, num, RunFacts};
use crate::playground::explain::choice_why;
use crate::playground::inspect::{self, scopes};
use serde_json::Value;

/// A run, with what the checks look up in it.
pub(super) struct Run<'a> {
    pub(super) f: &'a RunFacts,
    pub(super) def: Value,
    /// The state each event belongs to, by position.
    pub(super) names: Vec<Option<String>>,
    /// The Map iteration or Parallel branch each event lies in, by position (None: the top).
    pub(super) scope_of: Vec<Option<usize>>,
    /// Event id → its visit's Entered id.
    pub(super) visit_of: std::collections::HashMap<i64, i64>,
}

impl<'a> Run<'a> {
    pub(super) fn new(f: &'a RunFacts) -> Run<'a> {
        Run {
            f,
            def: crate::asl::definition_json::parse(&f.definition).unwrap_or(Value::Null),
            names: scopes::state_names(&f.events),
            scope_of: scopes::scopes_of(&f.events).1,
            visit_of: crate::playground::explain::visit_index(&f.events),
        }
    }

    pub(super) fn events(&self) -> &'a [Value] {
        &self.f.events
    }

    /// The execution's closing event (Succeeded, Failed, TimedOut, Aborted), if it ended.
    pub(super) fn end(&self) -> Option<&'a Value> {
        self.events().iter().rev().find(|e| ty(e).starts_with("Execution") && ty(e) != "ExecutionStarted")
    }

    pub(super) fn name_at(&self, pos: usize) -> Option<String> {
        self.names.get(pos).cloned().flatten()
    }

    /// (Entered event id, state) of every state entered, in order.
    pub(super) fn entered(&self) -> Vec<(i64, String)> {
        inspect::visits(self.events())
    }

    /// Where a failure that ended the run came from: the latest event with the run's error (a
    /// Fail state's Entered event when the Fail state raised it).
    pub(super) fn origin(&self) -> Option<(String, i64)> {
        let want = self.f.error.as_deref();
        let end = self.end().map(id).unwrap_or(i64::MAX);
        let before_end = || self.events().iter().enumerate().rev().filter(|(_, e)| id(e) < end);
        let hit = before_end().find_map(|(pos, e)| {
            let t = ty(e);
            let error = details(e).and_then(|d| d.get("error")).and_then(Value::as_str);
            let hit = t == "FailStateEntered" || (error.is_some() && error == want && !t.starts_with("Execution"));
            hit.then(|| (self.name_at(pos).unwrap_or_default(), id(e)))
        });
        // A failure with no event of its own (a Choice's States.Runtime): the last state entered.
        hit.or_else(|| before_end().find_map(|(_, e)| Some((e["stateEnteredEventDetails"]["name"].as_str()?.to_string(), id(e)))))
    }

    /// The execution's end in words, after "the execution ": "SUCCEEDED after `Done` (event 6)",
    /// "FAILED in `Charge` (event 7) with States.TaskFailed: …", "is still RUNNING: `Ask` waits
    /// for its callback (SendTaskSuccess or SendTaskFailure) (event 5)"; and the state and event.
    pub(super) fn end_phrase(&self) -> (String, Option<String>, Option<i64>) {
        let f = self.f;
        let end = self.end().map(id);
        match f.status.as_str() {
            "FAILED" => {
                let what = match (&f.error, &f.cause) {
                    (Some(e), Some(c)) if !c.is_empty() => format!("{e}: {}", clip(c)),
                    (Some(e), _) => e.clone(),
                    (None, _) => "no error name".into(),
                };
                match self.origin() {
                    Some((s, ev)) if !s.is_empty() => (format!("FAILED in `{s}` (event {ev}) with {what}"), Some(s), Some(ev)),
                    _ => (format!("FAILED with {what}"), None, end),
                }
            }
            "RUNNING" => {
                let last = self.events().len().checked_sub(1);
                let state = last.and_then(|p| self.name_at(p));
                let ev = last.map(|p| id(&self.events()[p]));
                let waits = match last.map(|p| ty(&self.events()[p])) {
                    Some("TaskSubmitted") => "waits for its callback (SendTaskSuccess or SendTaskFailure)",
                    Some("ActivityScheduled") => "waits for a worker to take its activity task",
                    _ => "is waiting",
                };
                let phrase = match &state {
                    Some(s) => format!("is still RUNNING: `{s}` {waits} (event {})", ev.unwrap_or(0)),
                    None => "is still RUNNING".into(),
                };
                (phrase, state, ev)
            }
            "SUCCEEDED" => {
                let state = self.last_state();
                let after = state.as_ref().map(|s| format!(" after `{s}`")).unwrap_or_default();
                let at = end.map(|e| format!(" (event {e})")).unwrap_or_default();
                (format!("SUCCEEDED{after}{at}"), state, end)
            }
            other => (format!("{other}{}", end.map(|e| format!(" (event {e})")).unwrap_or_default()), self.last_state(), end),
        }
    }

    /// The last state that exited (the one whose output became the execution's).
    pub(super) fn last_state(&self) -> Option<String> {
        let end = self.end().map(id).unwrap_or(i64::MAX);
        self.events().iter().rev().filter(|e| id(e) < end).find_map(|e| e["stateExitedEventDetails"]["name"].as_str().map(str::to_string))
    }

    /// How the run got to the state entered at `entered`: the Choice that sent it (and why), the
    /// Catch that caught a failure, or the state before it.
    pub(super) fn arrival(&self, entered: i64) -> String {
        let events = self.events();
        let Some(e) = events.iter().find(|e| id(e) == entered) else { return String::new() };
        let prev_id = e["previousEventId"].as_i64().unwrap_or(0);
        let Some(pos) = events.iter().position(|x| id(x) == prev_id) else { return "it is where the run starts".into() };
        let prev = &events[pos];
        let by = self.name_at(pos).unwrap_or_default();
        match ty(prev) {
            "ChoiceStateExited" => match self.visit_of.get(&prev_id).and_then(|c| choice_why(&self.f.definition, events, *c)) {
                Some(w) => w.sentence(),
                None => format!("the Choice `{by}` sent it there"),
            },
            t if t.ends_with("StateExited") => {
                let failed = self
                    .visit_of
                    .get(&prev_id)
                    .and_then(|v| inspect::explain(&self.f.definition, events, *v).ok())
                    .and_then(|v| v.failure);
                match failed {
                    Some((err, _)) if !err.is_empty() => format!("`{by}` failed with {err} and its Catch sent it there"),
                    Some(_) => format!("`{by}` failed and its Catch sent it there"),
                    None => format!("it comes after `{by}`"),
                }
            }
            "ExecutionStarted" => "it is where the run starts".into(),
            "MapIterationStarted" => "it starts each iteration of the Map".into(),
            "ParallelStateStarted" => "it starts a branch of the Parallel".into(),
            _ => format!("it comes after `{by}`"),
        }
    }

    /// Why a state in the definition was never entered: the Choice that went elsewhere, the
    /// Catch that caught nothing, or the path the run took.
    pub(super) fn why_not(&self, state: &str) -> (String, Option<String>, Option<i64>) {
        let events = self.events();
        for (from, how) in definition::leading_to(&self.def, state) {
            let Some(last) = inspect::last_visit_of(events, &from) else { continue };
            match how {
                definition::Lead::Choice => {
                    if let Some(w) = choice_why(&self.f.definition, events, last) {
                        return (format!("the Choice {}", w.sentence()), Some(from), Some(last));
                    }
                }
                definition::Lead::Catch => {
                    return (format!("`{from}` has a Catch that leads to it, but nothing it catches was raised (event {last})"), Some(from), Some(last));
                }
                definition::Lead::Next => {
                    let failure = inspect::explain(&self.f.definition, events, last).ok().and_then(|v| v.failure);
                    if let Some((err, _)) = failure {
                        return (format!("`{from}` leads to it but failed with {err} first (event {last})"), Some(from), Some(last));
                    }
                }
            }
        }
        let mut path: Vec<String> = Vec::new();
        for (pos, e) in events.iter().enumerate() {
            if e.get("stateEnteredEventDetails").is_some() && self.scope_is_top(pos) {
                let n = e["stateEnteredEventDetails"]["name"].as_str().unwrap_or("").to_string();
                if path.last() != Some(&n) {
                    path.push(n);
                }
            }
        }
        let shown = if path.len() > 10 { format!("{} → …", path[..10].join(" → ")) } else { path.join(" → ") };
        let (phrase, s, ev) = self.end_phrase();
        (format!("the run went {shown}, and the execution {phrase}"), s, ev)
    }

    fn scope_is_top(&self, pos: usize) -> bool {
        self.scope_of.get(pos).copied().flatten().is_none()
    }

    /// "the time went to `PriceLookup` (5 s) and `StockLookup` (5 s)": each stretch between two
    /// events counted for the state of the later one; the state that took longest, and the event
    /// that ended its longest stretch.
    pub(super) fn where_time_went(&self) -> (String, Option<String>, Option<i64>) {
        let events = self.events();
        let ts = |e: &Value| e["timestamp"].as_f64().unwrap_or(0.0);
        let mut per: Vec<(String, f64, i64, f64)> = Vec::new();
        for (p, w) in events.windows(2).enumerate() {
            let gap = ts(&w[1]) - ts(&w[0]);
            let Some(state) = self.name_at(p + 1).filter(|_| gap > 0.0) else { continue };
            match per.iter_mut().find(|x| x.0 == state) {
                Some(x) => {
                    x.1 += gap;
                    if gap > x.3 {
                        (x.2, x.3) = (id(&w[1]), gap);
                    }
                }
                None => per.push((state, gap, id(&w[1]), gap)),
            }
        }
        per.sort_by(|a, b| b.1.total_cmp(&a.1));
        let parts: Vec<String> = per.iter().take(3).map(|(s, t, _, _)| format!("`{s}` ({} s)", num((t * 1000.0).round() / 1000.0))).collect();
        let went = match parts.len() {
            0 => "no state took any time".to_string(),
            1 => format!("the time went to {}", parts[0]),
            _ => format!("the time went to {} and {}", parts[..parts.len() - 1].join(", "), parts[parts.len() - 1]),
        };
        (went, per.first().map(|x| x.0.clone()), per.first().map(|x| x.2))
    }
}
