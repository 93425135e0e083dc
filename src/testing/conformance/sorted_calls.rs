//! Recorded service calls whose events the recorder re-sorted (`flags.parallel_events_normalized`).
//!
//! Inside a Parallel state the recorder sorted the events by their text, so a call's events may
//! read TaskFailed, TaskScheduled, TaskStarted, and events it could no longer attribute to a state
//! sit in entries with `"state": null`. The order of one call's events is AWS's lifecycle
//! (scheduled, started, submitted, ended), so it can be put back; which unattributed call belonged
//! to which state the recording no longer says: they go, in their sorted order, to the recorded
//! states that have no events of their own.

use serde_json::{json, Value};

/// Where an event stands in one call's lifecycle.
fn rank(ty: &str) -> u8 {
    if ty.ends_with("Scheduled") {
        0
    } else if ty.ends_with("Started") {
        1
    } else if ty == "TaskSubmitted" {
        2
    } else {
        3
    }
}

/// Whether the events read as whole calls in lifecycle order.
fn in_call_order(events: &[Value]) -> bool {
    let mut last: Option<u8> = None;
    for e in events {
        let r = rank(e["type"].as_str().unwrap_or_default());
        let ok = match last {
            None => r == 0,
            // A new call begins after one ended; otherwise the lifecycle only moves on.
            Some(3) => r == 0,
            Some(l) => r > l,
        };
        if !ok {
            return false;
        }
        last = Some(r);
    }
    true
}

/// The events regrouped as calls: the k-th scheduling with the k-th start, submission and end.
fn regroup(events: &[Value]) -> Vec<Vec<Value>> {
    let mut by_rank: [Vec<Value>; 4] = Default::default();
    for e in events {
        by_rank[rank(e["type"].as_str().unwrap_or_default()) as usize].push(e.clone());
    }
    let calls = by_rank[0].len();
    (0..calls)
        .map(|k| by_rank.iter().filter_map(|events| events.get(k).cloned()).collect())
        .collect()
}

/// `mock_results` with each call's events in lifecycle order and unattributed calls given to
/// the states left without any.
pub fn restore(mock_results: &Value) -> Value {
    let Some(entries) = mock_results.as_array() else {
        return mock_results.clone();
    };
    let mut named: Vec<Value> = Vec::new();
    let mut unattributed: Vec<Value> = Vec::new();
    for entry in entries {
        let events = entry["events"].as_array().cloned().unwrap_or_default();
        if entry["state"].is_string() {
            let events = if in_call_order(&events) {
                events
            } else {
                regroup(&events).concat()
            };
            named.push(json!({"state": entry["state"], "events": events}));
        } else {
            unattributed.extend(events);
        }
    }
    let mut spare = regroup(&unattributed).into_iter();
    for entry in named.iter_mut() {
        if entry["events"].as_array().is_some_and(Vec::is_empty) {
            if let Some(call) = spare.next() {
                entry["events"] = Value::Array(call);
            }
        }
    }
    Value::Array(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(v: &Value) -> Vec<Vec<String>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["type"].as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_sorted_call_is_put_back_in_lifecycle_order() {
        let recorded = json!([
            {"state": "T", "events": [{"type": "TaskScheduled"}, {"type": "TaskStarted"}, {"type": "TaskFailed", "error": "A"}]},
            {"state": "T", "events": [{"type": "TaskFailed", "error": "B"}, {"type": "TaskScheduled"}, {"type": "TaskStarted"}]}
        ]);
        let restored = restore(&recorded);
        let want = vec!["TaskScheduled", "TaskStarted", "TaskFailed"];
        assert_eq!(types(&restored), vec![want.clone(), want]);
        assert_eq!(restored[1]["events"][2]["error"], "B");
    }

    #[test]
    fn unattributed_calls_go_to_the_states_without_events() {
        let recorded = json!([
            {"state": "A", "events": []},
            {"state": "B", "events": []},
            {"state": null, "events": [{"type": "TaskScheduled", "n": 1}]},
            {"state": null, "events": [{"type": "TaskScheduled", "n": 2}]},
            {"state": null, "events": [{"type": "TaskStarted"}]},
            {"state": null, "events": [{"type": "TaskStarted"}]},
            {"state": null, "events": [{"type": "TaskSucceeded", "output": 1}]},
            {"state": null, "events": [{"type": "TaskSucceeded", "output": 2}]}
        ]);
        let restored = restore(&recorded);
        assert_eq!(restored.as_array().unwrap().len(), 2);
        let call = vec!["TaskScheduled", "TaskStarted", "TaskSucceeded"];
        assert_eq!(types(&restored), vec![call.clone(), call]);
        assert_eq!(restored[1]["events"][0]["n"], 2);
        assert_eq!(restored[1]["events"][2]["output"], 2);
    }

    #[test]
    fn calls_already_in_order_are_kept() {
        // Two calls where only the first was started: regrouping would pair them wrongly.
        let recorded = json!([{"state": "T", "events": [
            {"type": "ActivityScheduled", "n": 1}, {"type": "ActivityTimedOut"},
            {"type": "ActivityScheduled", "n": 2}, {"type": "ActivityStarted"}, {"type": "ActivitySucceeded"}
        ]}]);
        assert_eq!(restore(&recorded), recorded);
    }
}
