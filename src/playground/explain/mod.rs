//! "Explain": a run told event by event in plain English, for lessons and the playground alike.
//! One sentence per meaningful event (a state's decision, a call and its answer, a failure and
//! what Retry or Catch does about it, a wait, the end), not one per raw event: "`Check` compared
//! $.total with 100: 250 is greater than 100, so it went to `Approve`", "`Charge` failed with
//! States.TaskFailed; its Retry waits 2 s and tries again (attempt 2 of 4)", "`Wait` waits 10 s,
//! until 00:00:10 on the virtual clock".
//!
//! Read from the definition and the AWS history events only, through the inspector
//! (src/playground/inspect: visits, retries, scopes), so an imported AWS history is told the same.

mod choice;
mod events;
#[cfg(test)]
mod tests;

pub use choice::{choice_why, compare_words, trace_words, ChoiceWhy};

use serde::Serialize;
use serde_json::{Map, Value};

/// One sentence of the story of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Narration {
    /// The event it tells (a link into the history and the inspector).
    pub event_id: u64,
    pub state: Option<String>,
    pub text: String,
}

/// The run in `events` (GetExecutionHistory's, any order) told in plain English, oldest first.
pub fn narrate(definition: &str, events: &[Value]) -> Vec<Narration> {
    let mut sorted: Vec<Value> = events.to_vec();
    sorted.sort_by_key(|e| e["id"].as_i64().unwrap_or(0));
    events::Teller::new(definition, &sorted).tell()
}

/// A state's object in a definition, found by name anywhere (branches and item processors
/// included; names are unique in a whole definition).
pub fn raw_state<'a>(definition: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
    let states = definition.get("States")?.as_object()?;
    if let Some(s) = states.get(name).and_then(Value::as_object) {
        return Some(s);
    }
    states.values().find_map(|s| {
        let branches = s.get("Branches").and_then(Value::as_array).into_iter().flatten();
        let processor = ["ItemProcessor", "Iterator"].into_iter().filter_map(|k| s.get(k));
        branches.chain(processor).find_map(|m| raw_state(m, name))
    })
}

/// The visit each event belongs to, for a whole history at once: event id → the id of the
/// Entered event its `previousEventId` chain leads back to (as `inspect::visit_of_event`, which
/// answers for one event; this is linear in the history).
pub fn visit_index(events: &[Value]) -> std::collections::HashMap<i64, i64> {
    let mut order: Vec<&Value> = events.iter().collect();
    order.sort_by_key(|e| e["id"].as_i64().unwrap_or(0));
    let mut of = std::collections::HashMap::new();
    for e in order {
        let Some(id) = e["id"].as_i64() else { continue };
        if e.get("stateEnteredEventDetails").is_some() {
            of.insert(id, id);
        } else if let Some(v) = e["previousEventId"].as_i64().filter(|p| *p < id).and_then(|p| of.get(&p).copied()) {
            of.insert(id, v);
        }
    }
    of
}

/// Virtual time since the start as a clock: `00:00:10`, `00:01:02.5`.
pub fn clock(ms: i64) -> String {
    let ms = ms.max(0);
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let base = format!("{h:02}:{m:02}:{s:02}");
    if frac == 0 {
        base
    } else {
        format!("{base}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// Seconds as people say them: `10 s`, `2.5 s`.
pub fn seconds(ms: i64) -> String {
    format!("{} s", crate::testing::checks::num(ms as f64 / 1000.0))
}
