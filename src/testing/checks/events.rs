//! `events`: how many history events of each type a run has (`{"TaskFailed": 3}` after two
//! retries and a failure), with AWS's HistoryEventType names, so a misspelt type is named as such
//! rather than counted as zero.

use super::evaluate::{id, ty, verdict, Verdict};
use super::run::Run;
use super::{parse::distance, range_words, wants, EventCount};
use serde_json::{Map, Value};

/// AWS's HistoryEventType values (the API reference's HistoryEvent `type`).
pub const EVENT_TYPES: &[&str] = &[
    "ActivityFailed", "ActivityScheduled", "ActivityScheduleFailed", "ActivityStarted", "ActivitySucceeded",
    "ActivityTimedOut", "ChoiceStateEntered", "ChoiceStateExited", "EvaluationFailed", "ExecutionAborted",
    "ExecutionFailed", "ExecutionRedriven", "ExecutionStarted", "ExecutionSucceeded", "ExecutionTimedOut",
    "FailStateEntered", "LambdaFunctionFailed", "LambdaFunctionScheduled", "LambdaFunctionScheduleFailed",
    "LambdaFunctionStarted", "LambdaFunctionStartFailed", "LambdaFunctionSucceeded", "LambdaFunctionTimedOut",
    "MapIterationAborted", "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded", "MapRunAborted",
    "MapRunFailed", "MapRunRedriven", "MapRunStarted", "MapRunSucceeded", "MapStateAborted", "MapStateEntered",
    "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded", "ParallelStateAborted",
    "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed", "ParallelStateStarted",
    "ParallelStateSucceeded", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited",
    "TaskFailed", "TaskScheduled", "TaskStarted", "TaskStartFailed", "TaskStateAborted", "TaskStateEntered",
    "TaskStateExited", "TaskSubmitFailed", "TaskSubmitted", "TaskSucceeded", "TaskTimedOut", "WaitStateAborted",
    "WaitStateEntered", "WaitStateExited",
];

/// The check's value: an object of event types, each a count or `{min?, max?}`.
pub(super) fn parse(value: Value) -> Result<Vec<EventCount>, String> {
    let Value::Object(m) = value else {
        return Err(format!("`events` takes an object of event types and counts such as {{\"TaskFailed\": 3}}, not {}", super::show(&value)));
    };
    if m.is_empty() {
        return Err("`events` needs at least one event type, such as {\"TaskFailed\": 3}".into());
    }
    let mut counts = Vec::new();
    for (event_type, want) in m {
        if !EVENT_TYPES.contains(&event_type.as_str()) {
            let hint = nearest(&event_type).map(|t| format!(" (did you mean `{t}`?)")).unwrap_or_default();
            return Err(format!("`events`: `{event_type}` is not an AWS history event type{hint}"));
        }
        let whole = |v: &Value, what: &str| v.as_u64().ok_or_else(|| format!("`events`' `{event_type}`{what} is a whole number, not {}", super::show(v)));
        let (min, max) = match &want {
            Value::Number(_) => {
                let n = whole(&want, "")?;
                (Some(n), Some(n))
            }
            Value::Object(r) => {
                if let Some(bad) = r.keys().find(|k| *k != "min" && *k != "max") {
                    return Err(format!("`events`' `{event_type}` takes min, max, not `{bad}`"));
                }
                let min = r.get("min").map(|v| whole(v, "'s `min`")).transpose()?;
                let max = r.get("max").map(|v| whole(v, "'s `max`")).transpose()?;
                match (min, max) {
                    (None, None) => return Err(format!("`events`' `{event_type}` needs `min`, `max` or both")),
                    (Some(a), Some(b)) if a > b => return Err(format!("`events`' `{event_type}` has `min` ({a}) more than `max` ({b})")),
                    _ => {}
                }
                (min, max)
            }
            other => return Err(format!("`events`' `{event_type}` takes a count or {{min, max}}, not {}", super::show(other))),
        };
        counts.push(EventCount { event_type, min, max });
    }
    Ok(counts)
}

pub(super) fn to_json(counts: &[EventCount]) -> Value {
    let mut m = Map::new();
    for c in counts {
        let v = match (c.min, c.max) {
            (Some(a), Some(b)) if a == b => Value::from(a),
            (min, max) => {
                let mut r = Map::new();
                if let Some(a) = min {
                    r.insert("min".into(), a.into());
                }
                if let Some(b) = max {
                    r.insert("max".into(), b.into());
                }
                Value::Object(r)
            }
        };
        m.insert(c.event_type.clone(), v);
    }
    Value::Object(m)
}

/// "exactly 3 TaskFailed events, at least 1 TaskSucceeded event".
pub(super) fn describe(counts: &[EventCount]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|c| format!("{} {} event{}", range_words(c.min.map(|v| v as f64), c.max.map(|v| v as f64), ""), c.event_type, if c.max == Some(1) { "" } else { "s" }).replace("  ", " "))
        .collect();
    parts.join(", ")
}

fn nearest(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    EVENT_TYPES.iter().map(|t| (distance(&lower, &t.to_lowercase()), *t)).filter(|(d, _)| *d <= 3).min_by_key(|(d, _)| *d).map(|(_, t)| t)
}

impl Run<'_> {
    /// Every count must hold; the why names each type's count and the events, and the first
    /// type that is off decides the verdict's event.
    pub(super) fn event_counts(&self, counts: &[EventCount]) -> Verdict {
        let mut said = Vec::new();
        let mut failed: Option<(String, Option<i64>)> = None;
        for c in counts {
            let ids: Vec<i64> = self.events().iter().filter(|e| ty(e) == c.event_type).map(id).collect();
            let n = ids.len() as u64;
            let at = match ids.len() {
                0 => String::new(),
                1..=5 => format!(" ({})", ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")),
                _ => format!(" (first #{}, last #{})", ids[0], ids[ids.len() - 1]),
            };
            let ok = c.min.is_none_or(|m| n >= m) && c.max.is_none_or(|m| n <= m);
            let line = format!("{n} {} event{}{at}", c.event_type, if n == 1 { "" } else { "s" });
            if ok {
                said.push(line);
            } else {
                let range = wants(c.min.map(|v| v as f64), c.max.map(|v| v as f64), "");
                said.push(format!("{line}, {range}"));
                // Past the allowed count: the first event too many; short of it: the last one there.
                let event = match c.max {
                    Some(m) if n > m => ids.get(m as usize).copied(),
                    _ => ids.last().copied(),
                };
                failed.get_or_insert((line, event));
            }
        }
        let why = format!("the history has {}", said.join("; "));
        match failed {
            None => verdict(true, why, None, None),
            Some((_, event)) => {
                let (phrase, state, end) = self.end_phrase();
                verdict(false, format!("{why} (the execution {phrase})"), state, event.or(end))
            }
        }
    }
}
