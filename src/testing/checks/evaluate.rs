//! Evaluating checks over a run, each with its why: the facts that decided it, the state and the
//! event (read through the inspector: visits, the state of each event, the Choice trace).

use super::definition::{self, Found};
use super::run::Run;
use super::{matching, num, show, show_max, wants, Check, CheckKind, CheckResult, RunFacts};
use crate::playground::explain::raw_state;
use crate::playground::inspect;
use serde_json::{Map, Value};

/// The results of the checks that apply to this run (those without `input`, and those naming
/// the run's input), in order.
pub fn evaluate(checks: &[Check], run: &RunFacts) -> Vec<CheckResult> {
    let r = Run::new(run);
    checks
        .iter()
        .filter(|c| c.input.is_none() || c.input == run.input)
        .map(|c| {
            let v = r.verdict(&c.kind);
            CheckResult {
                check: c.describe(),
                passed: v.passed,
                why: v.why,
                message: c.message.clone(),
                input: run.input.clone(),
                state: v.state,
                event_id: v.event.and_then(|e| u64::try_from(e).ok()),
            }
        })
        .collect()
}

pub(super) struct Verdict {
    passed: bool,
    why: String,
    state: Option<String>,
    event: Option<i64>,
}

pub(super) fn verdict(passed: bool, why: String, state: Option<String>, event: Option<i64>) -> Verdict {
    Verdict { passed, why, state, event }
}

/// The `…EventDetails` member of an event.
pub(crate) fn details(e: &Value) -> Option<&Map<String, Value>> {
    e.as_object()?.iter().find(|(k, _)| k.ends_with("EventDetails")).and_then(|(_, v)| v.as_object())
}

pub(super) fn ty(e: &Value) -> &str {
    e["type"].as_str().unwrap_or("")
}

pub(super) fn id(e: &Value) -> i64 {
    e["id"].as_i64().unwrap_or(0)
}

pub(super) fn clip(s: &str) -> String {
    if s.chars().count() <= 200 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(199).collect::<String>())
    }
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

impl<'a> Run<'a> {
    fn verdict(&self, kind: &CheckKind) -> Verdict {
        use CheckKind::*;
        match kind {
            Status(want) => self.status(want),
            Output(v) => self.output(v, false),
            OutputContains(v) => self.output(v, true),
            Error(e) => self.error(e),
            Cause(c) => self.cause(c),
            Visited(s) => self.visited(s, true),
            NotVisited(s) => self.visited(s, false),
            Attempts { state, min, max } => self.attempts(state, *min, *max),
            Transitions { min, max } => self.transitions(*min, *max),
            Duration { min, max } => self.duration(*min, *max),
            Events(counts) => self.event_counts(counts),
            Uses(w) => self.uses(w),
            QueryLanguage(l) => self.query_language(l),
        }
    }

    fn status(&self, want: &str) -> Verdict {
        let (phrase, state, event) = self.end_phrase();
        if self.f.status == want {
            verdict(true, format!("the execution {phrase}"), state, event)
        } else {
            let tried = match (&state, self.f.status.as_str()) {
                (Some(s), "FAILED") => self.tries(s).map(|t| format!("; {t}")).unwrap_or_default(),
                _ => String::new(),
            };
            verdict(false, format!("expected {want}, the execution {phrase}{tried}"), state, event)
        }
    }

    /// For a Task that failed after retries: "`Charge` was tried twice: its Retry on … has
    /// MaxAttempts 1 (up to 2 attempts)".
    fn tries(&self, state: &str) -> Option<String> {
        let raw = raw_state(&self.def, state)?;
        if raw.get("Type").and_then(Value::as_str) != Some("Task") || !raw.contains_key("Retry") {
            return None;
        }
        let v = self.attempts(state, None, None);
        Some(v.why)
    }

    fn output(&self, want: &Value, partial: bool) -> Verdict {
        let end = self.end().map(id);
        let what = if partial { "an output containing" } else { "the output" };
        let Some(out) = self.f.output.as_ref().filter(|_| self.f.status == "SUCCEEDED") else {
            let (phrase, state, event) = self.end_phrase();
            return verdict(false, format!("expected {what} {}, but the execution {phrase}, so there is no output", show(want)), state, event);
        };
        let state = self.last_state();
        let from = state.as_ref().map(|s| format!(" (from `{s}`)")).unwrap_or_default();
        let result = if partial { matching::contains(want, out) } else { matching::equal(want, out) };
        match result {
            Ok(()) if partial => verdict(true, format!("the output {}{from} contains {}", show_max(out, 240), show(want)), state, end),
            Ok(()) => verdict(true, format!("the output is {}{from}", show_max(out, 240)), state, end),
            Err(diff) => verdict(false, format!("the output differs: {diff}; the output is {}{from}", show_max(out, 240)), state, end),
        }
    }

    fn error(&self, want: &str) -> Verdict {
        let (phrase, state, event) = self.end_phrase();
        if self.f.error.as_deref() == Some(want) {
            return verdict(true, format!("the execution {phrase}"), state, event);
        }
        // A failure with that error that something handled.
        let handled = self.events().iter().enumerate().find(|(_, e)| {
            !ty(e).starts_with("Execution") && details(e).and_then(|d| d.get("error")).and_then(Value::as_str) == Some(want)
        });
        let note = match handled {
            Some((pos, e)) => format!("; `{}` failed with {want} at event {}, but it was handled (Retry or Catch)", self.name_at(pos).unwrap_or_default(), id(e)),
            None => String::new(),
        };
        verdict(false, format!("expected error {want}, the execution {phrase}{note}"), state, event)
    }

    fn cause(&self, want: &str) -> Verdict {
        let (phrase, state, event) = self.end_phrase();
        match &self.f.cause {
            Some(c) if c.contains(want) => verdict(true, format!("the cause contains \"{want}\": the execution {phrase}"), state, event),
            Some(_) => verdict(false, format!("the cause does not contain \"{want}\": the execution {phrase}"), state, event),
            None => verdict(false, format!("expected a cause containing \"{want}\", the execution {phrase} with no cause"), state, event),
        }
    }

    fn visited(&self, state: &str, want: bool) -> Verdict {
        let visits: Vec<i64> = self.entered().into_iter().filter(|(_, n)| n == state).map(|(i, _)| i).collect();
        if !definition::has_state(&self.def, state) && visits.is_empty() {
            return verdict(!want, definition::no_such_state(&self.def, state), None, None);
        }
        match (visits.first(), want) {
            (Some(&first), true) => {
                let count = if visits.len() > 1 { format!(" ({}, first at event {first})", times(visits.len())) } else { format!(" at event {first}") };
                verdict(true, format!("`{state}` was entered{count}: {}", self.arrival(first)), Some(state.into()), Some(first))
            }
            (Some(&first), false) => verdict(false, format!("`{state}` was entered at event {first}: {}", self.arrival(first)), Some(state.into()), Some(first)),
            (None, want) => {
                let (why, at, ev) = self.why_not(state);
                verdict(!want, format!("`{state}` was never entered: {why}"), at.or(Some(state.into())), ev)
            }
        }
    }

    fn attempts(&self, state: &str, min: Option<u64>, max: Option<u64>) -> Verdict {
        let events = self.events();
        let lo = min.unwrap_or(1) as usize;
        let visits: Vec<i64> = self.entered().into_iter().filter(|(_, n)| n == state).map(|(i, _)| i).collect();
        let raw = raw_state(&self.def, state);
        if visits.is_empty() {
            let why = match raw {
                None => definition::no_such_state(&self.def, state),
                Some(_) => format!("`{state}` never ran: {}", self.why_not(state).0),
            };
            return verdict(lo == 0, why, Some(state.into()), None);
        }
        let container = raw.and_then(|r| r.get("Type")).and_then(Value::as_str).filter(|t| matches!(*t, "Map" | "Parallel"));
        // Each visit's attempts, in one pass: its work's Scheduled events (a Task), or its
        // Started events (a Map or Parallel, started again by a Retry), between this visit and
        // the next one of the same state.
        let mut per: std::collections::HashMap<i64, Vec<i64>> = visits.iter().map(|v| (*v, Vec::new())).collect();
        for (p, e) in events.iter().enumerate() {
            let t = ty(e);
            let owner = match container {
                Some(c) if t.strip_suffix("StateStarted") == Some(c) && self.name_at(p).as_deref() == Some(state) => visits.iter().rev().find(|v| **v < id(e)).copied(),
                None if matches!(t, "TaskScheduled" | "LambdaFunctionScheduled" | "ActivityScheduled") => self.visit_of.get(&id(e)).copied(),
                _ => None,
            };
            if let Some(calls) = owner.and_then(|v| per.get_mut(&v)) {
                calls.push(id(e));
            }
        }
        let calls_of = |v: i64| per.get(&v).cloned().unwrap_or_default();
        let (visit, calls) = visits.iter().map(|v| (*v, calls_of(*v))).max_by_key(|(_, c)| c.len()).unwrap_or_default();
        let n = calls.len();
        let event = calls.last().copied().or(Some(visit));
        let busiest = if visits.len() > 1 { format!(" in its busiest visit (entered at event {visit})") } else { String::new() };
        let tried = format!("`{state}` was tried {}{busiest}", times(n));
        let retry = raw.map(definition::retry_words).unwrap_or_default();
        let s = Some(state.to_string());
        let range = wants(min.map(|v| v as f64), max.map(|v| v as f64), "");
        if max.is_some_and(|m| n as u64 > m) {
            return verdict(false, format!("{tried}, {range}: {retry}"), s, event);
        }
        if n < lo {
            let failure = inspect::explain(&self.f.definition, events, visit).ok().and_then(|v| v.failure).map(|(e, _)| e);
            let failed = failure.map(|e| format!("; it failed with {e}")).unwrap_or_default();
            let range = if min.is_none() { format!("the check wants at least {lo}") } else { range };
            return verdict(false, format!("{tried}, {range}: {retry}{failed}"), s, event);
        }
        let retries = match n {
            0 | 1 => "no retries".to_string(),
            2 => "1 retry".to_string(),
            n => format!("{} retries", n - 1),
        };
        verdict(true, format!("{tried} ({retries}): {retry}"), s, event)
    }

    fn transitions(&self, min: Option<u64>, max: Option<u64>) -> Verdict {
        let entered = self.entered();
        let n = entered.len() as u64;
        let said = format!("the run entered {n} state{}", if n == 1 { "" } else { "s" });
        let range = wants(min.map(|v| v as f64), max.map(|v| v as f64), "");
        if let Some(m) = max.filter(|m| n > *m) {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for (_, s) in &entered {
                match counts.iter_mut().find(|(x, _)| x == s) {
                    Some(c) => c.1 += 1,
                    None => counts.push((s.clone(), 1)),
                }
            }
            let (top, c) = counts.into_iter().max_by_key(|(_, c)| *c).unwrap_or_default();
            let ev = entered.get(m as usize).map(|(i, _)| *i);
            return verdict(false, format!("{said}, {range}: `{top}` alone was entered {}", times(c)), Some(top), ev);
        }
        if min.is_some_and(|m| n < m) {
            let (phrase, s, ev) = self.end_phrase();
            return verdict(false, format!("{said}, {range}; the execution {phrase}"), s, ev);
        }
        verdict(true, said, None, entered.last().map(|(i, _)| *i))
    }

    fn duration(&self, min: Option<f64>, max: Option<f64>) -> Verdict {
        let events = self.events();
        let ts = |e: &Value| e["timestamp"].as_f64().unwrap_or(0.0);
        let (Some(first), Some(last)) = (events.first(), self.end().or(events.last())) else {
            return verdict(false, "the history is empty".into(), None, None);
        };
        let secs = ((ts(last) - ts(first)) * 1000.0).round() / 1000.0;
        let running = if self.end().is_none() { " so far (the execution is still RUNNING)" } else { "" };
        let said = format!("the run took {} s of virtual time{running}", num(secs));
        let range = wants(min, max, "s");
        if max.is_some_and(|m| secs > m) {
            let (went, s, ev) = self.where_time_went();
            return verdict(false, format!("{said}, {range}: {went}"), s, ev);
        }
        if min.is_some_and(|m| secs < m) {
            return verdict(false, format!("{said}, {range}"), None, Some(id(last)));
        }
        verdict(true, said, None, Some(id(last)))
    }

    fn uses(&self, word: &str) -> Verdict {
        if self.def.is_null() {
            return verdict(false, "the definition is not JSON".into(), None, None);
        }
        match definition::find_use(&self.def, word) {
            Found::At(None, what) => verdict(true, format!("the definition has {what} at the top level"), None, None),
            Found::At(Some(s), what) => verdict(true, format!("`{s}` {what}"), Some(s), None),
            Found::Nowhere(hint) => verdict(false, hint, None, None),
        }
    }

    fn query_language(&self, want: &str) -> Verdict {
        if self.def.is_null() {
            return verdict(false, "the definition is not JSON".into(), None, None);
        }
        let all = definition::languages(&self.def);
        let other: Vec<&String> = all.iter().filter(|(_, l)| l != want).map(|(s, _)| s).collect();
        let top = self.def.get("QueryLanguage").and_then(Value::as_str).unwrap_or("JSONPath");
        if other.is_empty() {
            let how = if top == want { format!("QueryLanguage {want} at the top level") } else { "each state's QueryLanguage".into() };
            let all = if all.len() == 1 { "the only state evaluates".to_string() } else { format!("all {} states evaluate", all.len()) };
            return verdict(true, format!("{all} in {want} ({how})"), None, None);
        }
        let names: Vec<String> = other.iter().take(6).map(|s| format!("`{s}`")).collect();
        let more = if other.len() > 6 { format!(" and {} more", other.len() - 6) } else { String::new() };
        let verb = if other.len() == 1 { "uses" } else { "use" };
        verdict(
            false,
            format!("{}{more} {verb} {}: set \"QueryLanguage\": \"{want}\" at the top of the definition (or on each state)", names.join(", "), if want == "JSONata" { "JSONPath" } else { "JSONata" }),
            other.first().map(|s| s.to_string()),
            None,
        )
    }
}
