//! Where each event of a history lies: the Map iterations and Parallel branches (scopes) of a
//! run, for the page's iteration picker, and the state each event belongs to, for the history
//! table. Read only from the events (GetExecutionHistory's shape: `id`, `previousEventId`,
//! `type`, `…EventDetails`) and their `previousEventId` links (aws-facts §2.3), so an imported
//! AWS history reads as a local run does:
//!
//! - an iteration starts at its `MapIterationStarted` (details carry the `index`); a branch at
//!   the first `…StateEntered` pointing at its `ParallelStateStarted`; every other event lies in
//!   the scope of its predecessor;
//! - a Map's or Parallel's closing events (`…StateSucceeded/Failed/Aborted/Exited`) point into
//!   the iteration or branch that finished last, but lie where the Map or Parallel lies;
//! - `EvaluationFailed` shares its `…StateEntered`'s predecessor (§2.3 rule 6), so it lies where
//!   that Entered event lies (for a branch's first state: in the branch, not a new one);
//! - a sequential Map's next `MapIterationStarted` points at the previous iteration's last
//!   event: it starts a sibling of that iteration.
//!
//! Distributed Map iterations run as child executions and are not in the parent's history: they
//! give no scopes here.

use serde::Serialize;
use serde_json::Value;
use std::borrow::Borrow;
use std::collections::HashMap;

/// One Map iteration or Parallel branch of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// The Map or Parallel state's name.
    pub owner: String,
    /// The id of the owner's `…StateEntered` event (one per visit of the owner: two visits of a
    /// nested Map, one per outer iteration, have different owners).
    pub owner_entered: i64,
    /// The scope the owner lies in (an index into the list), for nested Maps and Parallels.
    pub parent: Option<usize>,
    /// The iteration's index (from `MapIterationStarted`), or the branch's (0 for the first
    /// branch: its position in the definition's `Branches` when [`scopes_in`] is given the
    /// definition, else the order the branches appear in the history).
    pub index: usize,
    /// "Iteration 3" (the index, as AWS numbers iterations from 0), or "Branch 2 (Fast)" (one
    /// more than the index, with the branch's first state).
    pub label: String,
    /// The iteration failed (`MapIterationFailed`), or the branch ended in a failure event
    /// (its state failed uncaught: `FailStateEntered`, `TaskFailed`, `MapStateFailed` …).
    /// Aborted iterations and branches (stopped because a sibling failed) are not failed.
    pub failed: bool,
    /// Every event inside it, nested scopes' events included, in id order.
    pub event_ids: Vec<i64>,
}

fn closes_container(t: &str) -> bool {
    matches!(
        t,
        "MapStateSucceeded"
            | "MapStateFailed"
            | "MapStateAborted"
            | "MapStateExited"
            | "ParallelStateSucceeded"
            | "ParallelStateFailed"
            | "ParallelStateAborted"
            | "ParallelStateExited"
    )
}

fn is_execution_event(t: &str) -> bool {
    t.starts_with("Execution")
}

fn ty(e: &Value) -> &str {
    e["type"].as_str().unwrap_or("")
}

/// The positions of `events` in id order (a history may come newest first, as
/// GetExecutionHistory with reverseOrder gives it).
fn id_order<E: Borrow<Value>>(events: &[E]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&p| events[p].borrow()["id"].as_i64().unwrap_or(p as i64 + 1));
    order
}

/// The scopes of a history, and for each event (by its position in `events`) the innermost
/// scope it lies in (None: at the top level, or an execution event).
pub fn scopes_of<E: Borrow<Value>>(events: &[E]) -> (Vec<Scope>, Vec<Option<usize>>) {
    let mut scopes: Vec<Scope> = Vec::new();
    let mut of: Vec<Option<usize>> = vec![None; events.len()];
    let mut pos_of_id: HashMap<i64, usize> = HashMap::new();
    // The container each `…StateStarted` starts: (owner name, owner's Entered id).
    let mut started_by: HashMap<i64, (String, i64)> = HashMap::new();
    // Branches started so far by each ParallelStateStarted.
    let mut branches: HashMap<i64, usize> = HashMap::new();
    // Each Map/Parallel visit by its Entered id, and the container each of its own events
    // (Entered, Started, Succeeded/Failed/Aborted, Exited) is about.
    let mut containers: HashMap<i64, Container> = HashMap::new();
    let mut own_of: HashMap<i64, i64> = HashMap::new();
    for pos in id_order(events) {
        let e = events[pos].borrow();
        let id = e["id"].as_i64().unwrap_or(pos as i64 + 1);
        pos_of_id.insert(id, pos);
        let t = ty(e);
        let prev_pos = e["previousEventId"].as_i64().and_then(|p| pos_of_id.get(&p).copied());
        let prev_ty = prev_pos.map(|p| ty(events[p].borrow())).unwrap_or("");
        let prev_scope = prev_pos.and_then(|p| of[p]);
        let prev_id = prev_pos.and_then(|p| events[p].borrow()["id"].as_i64()).unwrap_or(0);
        let scope = if is_execution_event(t) {
            None
        } else if t == "MapIterationStarted" {
            let (owner, owner_entered, parent) = if prev_ty == "MapStateStarted" {
                // Concurrent iterations, and a sequential Map's first: at MapStateStarted.
                let (o, oe) = started_by.get(&prev_id).cloned().unwrap_or_default();
                (o, oe, prev_scope)
            } else {
                // A sequential Map's next iteration: after the previous iteration's last event.
                let name = e["mapIterationStartedEventDetails"]["name"].as_str().unwrap_or("");
                let sibling = ancestors(&scopes, prev_scope).find(|&s| scopes[s].owner == name);
                match sibling.map(|s| &scopes[s]) {
                    Some(s) => (s.owner.clone(), s.owner_entered, s.parent),
                    None => (name.to_string(), 0, prev_scope),
                }
            };
            let index = e["mapIterationStartedEventDetails"]["index"].as_u64().unwrap_or(0) as usize;
            scopes.push(Scope {
                owner,
                owner_entered,
                parent,
                index,
                label: format!("Iteration {index}"),
                failed: false,
                event_ids: Vec::new(),
            });
            Some(scopes.len() - 1)
        } else if t == "EvaluationFailed" {
            // Where its state's Entered event lies: the latest Entered of that state with the same
            // predecessor (else the predecessor's scope).
            let state = e["evaluationFailedEventDetails"]["state"].as_str();
            let twin = (0..events.len()).filter(|&p| of_known(&pos_of_id, events, p, id)).rev().find(|&p| {
                let x = events[p].borrow();
                x["previousEventId"] == e["previousEventId"]
                    && x["stateEnteredEventDetails"]["name"].as_str().is_some()
                    && x["stateEnteredEventDetails"]["name"].as_str() == state
            });
            match twin {
                Some(p) => of[p],
                None => prev_scope,
            }
        } else if prev_ty == "ParallelStateStarted" && t.ends_with("StateEntered") {
            let (owner, owner_entered) = started_by.get(&prev_id).cloned().unwrap_or_default();
            let n = branches.entry(prev_id).or_insert(0);
            let index = *n;
            *n += 1;
            let first = e["stateEnteredEventDetails"]["name"].as_str().unwrap_or("");
            scopes.push(Scope {
                owner,
                owner_entered,
                parent: prev_scope,
                index,
                label: branch_label(index, first),
                failed: false,
                event_ids: Vec::new(),
            });
            Some(scopes.len() - 1)
        } else if matches!(t, "MapStateStarted" | "ParallelStateStarted") {
            // Where its container lies. It follows the container's Entered event, or, when a
            // Retry starts the container again, the last event of the iteration or branch that
            // failed (no MapStateFailed in between [rec test_map_state_retry_legacy]).
            let map = t.starts_with("Map");
            let retried = ancestors(&scopes, prev_scope)
                .find(|&s| is_iteration(&scopes[s]) == map && containers.contains_key(&scopes[s].owner_entered));
            let owner = match (own_of.get(&prev_id), retried) {
                (Some(c), _) if containers.get(c).is_some_and(|c| c.map == map) => *c,
                (_, Some(s)) => scopes[s].owner_entered,
                _ => owner_of_started(events, &pos_of_id, pos).1,
            };
            let name = containers.get(&owner).map(|c| c.name.clone()).unwrap_or_default();
            own_of.insert(id, owner);
            if let Some(c) = containers.get_mut(&owner) {
                c.finished = false;
            }
            started_by.insert(id, (name, owner));
            match pos_of_id.get(&owner) {
                Some(&p) if owner != 0 => of[p],
                _ => prev_scope,
            }
        } else if closes_container(t) {
            let (scope, container) = close(&scopes, &containers, own_of.get(&prev_id).copied(), prev_scope, e);
            own_of.insert(id, container);
            if let Some(c) = containers.get_mut(&container) {
                if t.ends_with("Exited") {
                    c.exited = true;
                } else {
                    c.finished = true;
                }
            }
            scope
        } else {
            prev_scope
        };
        if matches!(t, "MapStateEntered" | "ParallelStateEntered") {
            own_of.insert(id, id);
            let name = e["stateEnteredEventDetails"]["name"].as_str().unwrap_or("").to_string();
            containers.insert(id, Container { map: t.starts_with("Map"), name, finished: false, exited: false });
        }
        let mut s = scope;
        while let Some(i) = s {
            scopes[i].event_ids.push(id);
            s = scopes[i].parent;
        }
        if t == "MapIterationFailed" {
            if let Some(i) = scope {
                scopes[i].failed = true;
            }
        }
        of[pos] = scope;
    }
    // A branch failed when its last own event (nested scopes' closing events included) is a
    // failure: the failure that ended it was not caught.
    for sc in scopes.iter_mut().filter(|s| s.label.starts_with("Branch")) {
        let last = sc.event_ids.last().and_then(|id| pos_of_id.get(id)).map(|p| ty(events[*p].borrow()));
        if last.is_some_and(|t| t.ends_with("Failed") || t.ends_with("TimedOut") || t == "FailStateEntered") {
            sc.failed = true;
        }
    }
    (scopes, of)
}

/// A Map or Parallel visit, while the history is read.
struct Container {
    map: bool,
    name: String,
    /// Its Succeeded/Failed/Aborted event has been read (only its Exited may follow).
    finished: bool,
    exited: bool,
}

fn is_iteration(sc: &Scope) -> bool {
    sc.label.starts_with("Iteration")
}

/// Where a closing event (`…StateSucceeded/Failed/Aborted/Exited`) lies, and the container it
/// closes. `prev_own`: the container whose own event the predecessor is, if it is one.
///
/// It points either at its container's own event (a Map of no items: at MapStateStarted; an
/// Exited after the Failed of a caught Map), and lies where that event lies; or into the
/// iteration or branch that ended last (possibly at a nested container's closing event), and lies
/// where the container of that iteration or branch lies.
fn close(
    scopes: &[Scope],
    containers: &HashMap<i64, Container>,
    prev_own: Option<i64>,
    prev_scope: Option<usize>,
    e: &Value,
) -> (Option<usize>, i64) {
    let t = ty(e);
    let (map, exit) = (t.starts_with("Map"), t.ends_with("Exited"));
    let name = e["stateExitedEventDetails"]["name"].as_str();
    let fits = |id: i64| {
        containers.get(&id).is_some_and(|c| {
            c.map == map && !c.exited && (exit || !c.finished) && name.is_none_or(|n| n == c.name)
        })
    };
    if let Some(c) = prev_own.filter(|c| fits(*c)) {
        return (prev_scope, c);
    }
    let inner = ancestors(scopes, prev_scope).find(|&s| is_iteration(&scopes[s]) == map && fits(scopes[s].owner_entered));
    match inner {
        Some(s) => (scopes[s].parent, scopes[s].owner_entered),
        None => (prev_scope, prev_own.unwrap_or(0)),
    }
}

/// Whether the event at `p` comes before the event `id` (so its scope is already known).
fn of_known<E: Borrow<Value>>(pos_of_id: &HashMap<i64, usize>, events: &[E], p: usize, id: i64) -> bool {
    events[p].borrow()["id"].as_i64().is_some_and(|i| i < id && pos_of_id.contains_key(&i))
}

/// `start` and the scopes enclosing it, innermost first.
fn ancestors(scopes: &[Scope], start: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(start, move |&s| scopes[s].parent)
}

fn branch_label(index: usize, first: &str) -> String {
    if first.is_empty() {
        format!("Branch {}", index + 1)
    } else {
        format!("Branch {} ({first})", index + 1)
    }
}

/// The Map or Parallel a `…StateStarted` event starts: the container's Entered event its
/// `previousEventId` chain reaches first (the predecessor itself, except after a retry).
fn owner_of_started<E: Borrow<Value>>(events: &[E], pos_of_id: &HashMap<i64, usize>, pos: usize) -> (String, i64) {
    let want = if ty(events[pos].borrow()).starts_with("Map") { "MapStateEntered" } else { "ParallelStateEntered" };
    let mut at = events[pos].borrow()["previousEventId"].as_i64();
    for _ in 0..events.len() {
        let Some(p) = at.and_then(|id| pos_of_id.get(&id).copied()) else { break };
        let e = events[p].borrow();
        if ty(e) == want {
            let name = e["stateEnteredEventDetails"]["name"].as_str().unwrap_or("").to_string();
            return (name, e["id"].as_i64().unwrap_or(0));
        }
        at = e["previousEventId"].as_i64().filter(|prev| Some(*prev) < e["id"].as_i64());
    }
    (String::new(), 0)
}

/// The Map iterations and Parallel branches of a history, in the order they started (a nested
/// scope comes after its parent). Branches are numbered in the order they appear.
pub fn scopes<E: Borrow<Value>>(events: &[E]) -> Vec<Scope> {
    scopes_of(events).0
}

/// As [`scopes`], numbering each Parallel's branches by their position in the definition's
/// `Branches` (matched by the branch's first state, its `StartAt`). A definition that is not JSON,
/// or a branch whose first state is not found, leaves the order of appearance.
pub fn scopes_in<E: Borrow<Value>>(events: &[E], definition: &str) -> Vec<Scope> {
    let mut out = scopes(events);
    let Ok(def) = crate::asl::definition_json::parse(definition) else { return out };
    let mut first_state: HashMap<i64, String> = HashMap::new();
    let by_id: HashMap<i64, &Value> = events.iter().map(Borrow::borrow).filter_map(|e: &Value| Some((e["id"].as_i64()?, e))).collect();
    for sc in &out {
        if let Some(first) = sc.event_ids.first().and_then(|id| by_id.get(id)) {
            if let Some(n) = first["stateEnteredEventDetails"]["name"].as_str() {
                first_state.insert(first["id"].as_i64().unwrap_or(0), n.to_string());
            }
        }
    }
    for sc in out.iter_mut().filter(|s| s.label.starts_with("Branch")) {
        let Some(first) = sc.event_ids.first().and_then(|id| first_state.get(id)) else { continue };
        let Some(parallel) = super::raw_state(&def, &sc.owner) else { continue };
        let Some(branches) = parallel.get("Branches").and_then(Value::as_array) else { continue };
        if let Some(i) = branches.iter().position(|b| b["StartAt"].as_str() == Some(first.as_str())) {
            sc.index = i;
            sc.label = branch_label(i, first);
        }
    }
    out
}

/// For each event of `events` (same positions), the name of the state it belongs to, as AWS's
/// console names it in the history table: its own `name` for `…StateEntered`/`…StateExited`
/// events, the Map's name for `MapIteration…` events, `state` for `EvaluationFailed`, and for the
/// events in between (TaskScheduled, TaskStarted, TaskSucceeded, LambdaFunction…, Activity…,
/// MapStateStarted, ParallelStateSucceeded …) the state entered last in the same iteration or
/// branch, i.e. the one the event's `previousEventId` chain leads to and that has not exited yet.
/// None for the execution's own events (ExecutionStarted, ExecutionSucceeded …).
pub fn state_names<E: Borrow<Value>>(events: &[E]) -> Vec<Option<String>> {
    let (_, of) = scopes_of(events);
    // Per scope: the state entered last there and not exited yet.
    let mut current: HashMap<Option<usize>, String> = HashMap::new();
    let mut out = vec![None; events.len()];
    for pos in id_order(events) {
        let e = events[pos].borrow();
        let t = ty(e);
        if is_execution_event(t) {
            continue;
        }
        let scope = of[pos];
        let own = e["stateEnteredEventDetails"]["name"]
            .as_str()
            .or_else(|| e["stateExitedEventDetails"]["name"].as_str())
            .or_else(|| e["evaluationFailedEventDetails"]["state"].as_str())
            .or_else(|| {
                ["Started", "Succeeded", "Failed", "Aborted"]
                    .iter()
                    .find_map(|k| e[format!("mapIteration{k}EventDetails")]["name"].as_str())
            })
            .map(str::to_string);
        if t.ends_with("StateEntered") {
            if let Some(n) = &own {
                current.insert(scope, n.clone());
            }
        }
        out[pos] = own.or_else(|| current.get(&scope).cloned());
        if t.ends_with("StateExited") {
            current.remove(&scope);
            // After the exit the container (if it was one) is done; its scope's last state stays.
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Service, ServiceConfig};
    use serde_json::json;

    fn history(definition: &Value, input: Value) -> Vec<Value> {
        let mut s = Service::new(ServiceConfig::default());
        let m = s
            .call(
                "CreateStateMachine",
                &json!({"name": "M", "definition": definition.to_string(), "roleArn": "arn:aws:iam::123456789012:role/r"}),
            )
            .unwrap();
        let e = s.call("StartExecution", &json!({"stateMachineArn": m["stateMachineArn"], "input": input.to_string()})).unwrap();
        s.run_to_quiescence(i64::MAX);
        let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "maxResults": 1000})).unwrap();
        h["events"].as_array().unwrap().clone()
    }

    fn id_of(events: &[Value], pred: impl Fn(&Value) -> bool) -> Vec<i64> {
        events.iter().filter(|e| pred(e)).map(|e| e["id"].as_i64().unwrap()).collect()
    }

    /// "Name:input" of each state entered in a scope.
    fn entered_in(events: &[Value], sc: &Scope) -> Vec<String> {
        events
            .iter()
            .filter(|e| sc.event_ids.contains(&e["id"].as_i64().unwrap()))
            .filter_map(|e| {
                let d = &e["stateEnteredEventDetails"];
                Some(format!("{}:{}", d["name"].as_str()?, d["input"].as_str().unwrap_or("")))
            })
            .collect()
    }

    /// Three items, item 1 failing: an inline Map fails at its first failed iteration, so
    /// sequentially iteration 2 never starts and concurrently it is aborted.
    #[test]
    fn map_iterations_sequential_and_concurrent_with_a_failed_one() {
        for concurrency in [1, 0] {
            let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": concurrency,
                "ItemProcessor": {"StartAt": "C", "States": {
                    "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Bad"}], "Default": "Ok"},
                    "Ok": {"Type": "Pass", "End": true},
                    "Bad": {"Type": "Fail", "Error": "E"}}},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "After"}],
                "Next": "After"}, "After": {"Type": "Pass", "End": true}}});
            let events = history(&def, json!([0, 1, 2]));
            let sc = scopes(&events);
            let map_entered = id_of(&events, |e| e["type"] == "MapStateEntered")[0];
            let n = if concurrency == 1 { 2 } else { 3 };
            assert_eq!(sc.len(), n, "{concurrency}: {sc:?}");
            for (i, s) in sc.iter().enumerate() {
                assert_eq!((s.owner.as_str(), s.owner_entered, s.index, s.parent, s.failed), ("M", map_entered, i, None, i == 1), "{concurrency}");
                assert_eq!(s.label, format!("Iteration {i}"));
            }
            assert_eq!(entered_in(&events, &sc[0]), ["C:0", "Ok:0"]);
            assert_eq!(entered_in(&events, &sc[1]), ["C:1", "Bad:1"]);
            // Each iteration: from its MapIterationStarted to its MapIterationSucceeded/Failed/Aborted.
            for s in &sc {
                let idx = |e: &Value| {
                    e.as_object().unwrap().iter().find(|(k, _)| k.starts_with("mapIteration")).map(|(_, d)| d["index"].clone())
                };
                let mine: Vec<i64> = id_of(&events, |e| {
                    let (t, prev) = (e["type"].as_str().unwrap(), e["previousEventId"].as_i64().unwrap());
                    idx(e) == Some(json!(s.index)) || (!t.starts_with("Map") && !t.starts_with("Execution") && s.event_ids.contains(&prev))
                });
                assert_eq!(s.event_ids, mine, "{concurrency} iteration {}", s.index);
            }
            if concurrency == 0 {
                assert_eq!(sc[2].event_ids.len(), 2, "started and aborted: {:?}", sc[2].event_ids);
                assert!(!sc[2].failed, "aborted is not failed");
            }
            // The Map's own events and what follows it lie at the top level.
            let (_, of) = scopes_of(&events);
            for (e, s) in events.iter().zip(&of) {
                let t = e["type"].as_str().unwrap();
                if t.starts_with("MapState") || t.starts_with("Execution") || e["stateEnteredEventDetails"]["name"] == "After" {
                    assert_eq!(*s, None, "{concurrency}: {t}");
                }
            }
        }
    }

    #[test]
    fn a_caught_failure_inside_an_iteration_is_not_a_failed_iteration() {
        let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map",
            "ItemProcessor": {"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}], "End": true},
                "Handled": {"Type": "Pass", "End": true}}},
            "End": true}}});
        let mocks = json!({"StateMachines": {"S": {"TestCases": {"T": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"ok": 0}}, "1": {"Throw": {"Error": "Boom", "Cause": "c"}}, "2": {"Return": {"ok": 2}}}}});
        let mut s = Service::new(ServiceConfig { mock_config: Some(mocks), ..Default::default() });
        let m = s
            .call("CreateStateMachine", &json!({"name": "S", "definition": def.to_string(), "roleArn": "arn:aws:iam::123456789012:role/r"}))
            .unwrap();
        let arn = format!("{}#T", m["stateMachineArn"].as_str().unwrap());
        let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": "[0,1,2]"})).unwrap();
        s.run_to_quiescence(i64::MAX);
        let events = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap()["events"].as_array().unwrap().clone();
        assert!(events.iter().any(|e| e["type"] == "TaskFailed"), "{events:#?}");
        assert_eq!(events.last().unwrap()["type"], "ExecutionSucceeded");
        let sc = scopes(&events);
        assert_eq!(sc.len(), 3);
        assert!(sc.iter().all(|s| !s.failed), "{sc:?}");
        let handled: Vec<_> = sc.iter().map(|s| entered_in(&events, s).len()).collect();
        assert_eq!(handled.iter().sum::<usize>(), 4, "three T visits and one Handled: {handled:?}");
        assert!(sc.iter().any(|s| entered_in(&events, s).iter().any(|n| n.starts_with("Handled:"))));
    }

    #[test]
    fn nested_maps_have_parents_and_outer_iterations_hold_inner_events() {
        for concurrency in [1, 0] {
            let def = json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "MaxConcurrency": concurrency,
                "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Map", "MaxConcurrency": concurrency,
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "Next": "Q"},
                    "Q": {"Type": "Pass", "End": true}}},
                "End": true}}});
            let events = history(&def, json!([[1, 2], [3]]));
            let sc = scopes(&events);
            let outer: Vec<usize> = (0..sc.len()).filter(|&i| sc[i].owner == "Outer").collect();
            let inner: Vec<usize> = (0..sc.len()).filter(|&i| sc[i].owner == "Inner").collect();
            assert_eq!(outer.len(), 2, "{concurrency}");
            assert_eq!(inner.len(), 3, "{concurrency}");
            assert!(outer.iter().all(|&o| sc[o].parent.is_none()));
            let parents: Vec<usize> = inner.iter().map(|&s| sc[sc[s].parent.unwrap()].index).collect();
            assert_eq!(parents, [0, 0, 1], "{concurrency}");
            let indexes: Vec<usize> = inner.iter().map(|&s| sc[s].index).collect();
            assert_eq!(indexes, [0, 1, 0]);
            // Two visits of Inner (one per outer iteration): different owners.
            let inner_entered = id_of(&events, |e| e["type"] == "MapStateEntered" && e["stateEnteredEventDetails"]["name"] == "Inner");
            let owners: Vec<i64> = inner.iter().map(|&s| sc[s].owner_entered).collect();
            assert_eq!(owners, [inner_entered[0], inner_entered[0], inner_entered[1]]);
            assert_eq!(entered_in(&events, &sc[inner[2]]), ["P:3"]);
            // Outer iteration 0: Inner's visit (Entered … Exited), both inner iterations and Q.
            let o0 = &sc[outer[0]];
            assert_eq!(entered_in(&events, o0), ["Inner:[1,2]", "P:1", "P:2", "Q:[1,2]"], "{concurrency}");
            for &i in &inner[..2] {
                assert!(sc[i].event_ids.iter().all(|id| o0.event_ids.contains(id)));
                assert!(sc[i].event_ids.iter().all(|id| !sc[outer[1]].event_ids.contains(id)));
            }
            let inner_exits = id_of(&events, |e| e["type"] == "MapStateExited" && e["stateExitedEventDetails"]["name"] == "Inner");
            assert!(o0.event_ids.contains(&inner_exits[0]) && !sc[inner[1]].event_ids.contains(&inner_exits[0]));
            // Only the execution's and Outer's own events lie outside the outer iterations.
            let (_, of) = scopes_of(&events);
            let top: Vec<&str> = events.iter().zip(&of).filter(|(_, s)| s.is_none()).map(|(e, _)| e["type"].as_str().unwrap()).collect();
            assert_eq!(
                top,
                ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"],
                "{concurrency}"
            );
            for (e, s) in events.iter().zip(&of).filter(|(_, s)| s.is_some()) {
                assert!(ancestors(&sc, *s).last().is_some_and(|t| outer.contains(&t)), "{concurrency}: {e}");
            }
        }
    }

    /// An uncaught failure deep inside closes each enclosing container in turn; every closing
    /// event lies where its own container lies.
    #[test]
    fn uncaught_nested_failures_close_each_level_where_it_lies() {
        let map_in_map = json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Map", "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}, "End": true}}}, "End": true}}});
        let map_in_parallel = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}, "End": true}}},
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}], "End": true}}});
        for (def, input, top_kinds) in [
            (map_in_map, json!([[1]]), ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapStateFailed", "ExecutionFailed"]),
            (map_in_parallel, json!([1]), ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "ParallelStateFailed", "ExecutionFailed"]),
        ] {
            let events = history(&def, input);
            let (sc, of) = scopes_of(&events);
            let top: Vec<&str> = events.iter().zip(&of).filter(|(_, s)| s.is_none()).map(|(e, _)| e["type"].as_str().unwrap()).collect();
            assert_eq!(top, top_kinds);
            // The innermost scope (the iteration with F) failed, and so did its container's scope.
            let f = events.iter().position(|e| e["type"] == "FailStateEntered").unwrap();
            let innermost = of[f].unwrap();
            assert!(sc[innermost].failed);
            let outer = sc[innermost].parent.unwrap();
            assert!(sc[outer].failed, "{sc:?}");
            assert_eq!(sc[outer].parent, None);
            // The inner Map's MapStateFailed lies in the outer scope, not in the failed iteration.
            let inner_failed = events.iter().position(|e| e["type"] == "MapStateFailed").unwrap();
            assert_eq!(of[inner_failed], Some(outer));
        }
    }

    /// A Retry starts the Map again with a MapStateStarted pointing at the failed iteration's
    /// last event (as AWS records it, test_map_state_retry_legacy): the new attempt's iterations
    /// are the Map's, at its level, not nested in the failed iteration.
    #[test]
    fn a_retried_map_starts_again_at_its_own_level() {
        let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map",
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}],
            "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}, "End": true}}});
        let events = history(&def, json!([1]));
        let starts = id_of(&events, |e| e["type"] == "MapStateStarted");
        assert_eq!(starts.len(), 2);
        let (sc, of) = scopes_of(&events);
        assert_eq!(sc.len(), 2, "{sc:?}");
        assert!(sc.iter().all(|s| s.parent.is_none() && s.index == 0 && s.failed && s.owner == "M"));
        let at = |id: i64| of[events.iter().position(|e| e["id"] == json!(id)).unwrap()];
        assert_eq!(at(starts[1]), None);
        assert!(sc[1].event_ids[0] > starts[1]);
        let names = state_names(&events);
        let second = events.iter().position(|e| e["id"] == json!(starts[1])).unwrap();
        assert_eq!(names[second].as_deref(), Some("M"));
    }

    fn parallel_def() -> Value {
        json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 30, "Next": "Slow2"}, "Slow2": {"Type": "Pass", "End": true}}},
            {"StartAt": "Fast", "States": {"Fast": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f"}, "End": true}}}], "Next": "Done"},
            "Done": {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn parallel_branches_hold_their_states_events() {
        let def = parallel_def();
        let events = history(&def, json!({}));
        let sc = scopes(&events);
        let labels: Vec<&str> = sc.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Branch 1 (Slow)", "Branch 2 (Fast)"]);
        let entered = id_of(&events, |e| e["type"] == "ParallelStateEntered")[0];
        assert!(sc.iter().all(|s| s.owner == "Both" && s.owner_entered == entered && s.parent.is_none() && !s.failed));
        let kinds = |s: &Scope| -> Vec<String> {
            events.iter().filter(|e| s.event_ids.contains(&e["id"].as_i64().unwrap())).map(|e| e["type"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(kinds(&sc[0]), ["WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited"]);
        assert_eq!(kinds(&sc[1]), ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"]);
        // With the definition, branches are numbered as in Branches (here the same order).
        assert_eq!(scopes_in(&events, &def.to_string()), sc);
    }

    #[test]
    fn branches_are_numbered_by_the_definition_when_given() {
        // The first branch starts later than the second in the history (it is entered second in
        // this hand-written history, as a concurrent run may record it).
        let events: Vec<Value> = serde_json::from_value(json!([
            {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
            {"id": 2, "previousEventId": 0, "type": "ParallelStateEntered", "stateEnteredEventDetails": {"name": "Both", "input": "{}"}},
            {"id": 3, "previousEventId": 2, "type": "ParallelStateStarted"},
            {"id": 4, "previousEventId": 3, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "Fast", "input": "{}"}},
            {"id": 5, "previousEventId": 3, "type": "WaitStateEntered", "stateEnteredEventDetails": {"name": "Slow", "input": "{}"}},
            {"id": 6, "previousEventId": 4, "type": "TaskFailed", "taskFailedEventDetails": {"error": "E", "cause": "c"}},
            {"id": 7, "previousEventId": 5, "type": "WaitStateAborted"},
            {"id": 8, "previousEventId": 6, "type": "ParallelStateFailed"},
            {"id": 9, "previousEventId": 8, "type": "ExecutionFailed", "executionFailedEventDetails": {"error": "E", "cause": "c"}}
        ]))
        .unwrap();
        let by_appearance = scopes(&events);
        let got: Vec<_> = by_appearance.iter().map(|s| (s.index, s.label.as_str(), s.failed, s.event_ids.clone())).collect();
        assert_eq!(got, [(0, "Branch 1 (Fast)", true, vec![4, 6]), (1, "Branch 2 (Slow)", false, vec![5, 7])]);
        let by_definition = scopes_in(&events, &parallel_def().to_string());
        let got: Vec<_> = by_definition.iter().map(|s| (s.index, s.label.as_str(), s.failed, s.event_ids.clone())).collect();
        assert_eq!(got, [(1, "Branch 2 (Fast)", true, vec![4, 6]), (0, "Branch 1 (Slow)", false, vec![5, 7])]);
        let (_, of) = scopes_of(&events);
        assert_eq!(of[7], None, "ParallelStateFailed lies where the Parallel lies");
        // A definition that is not JSON leaves the order of appearance.
        assert_eq!(scopes_in(&events, "{"), by_appearance);
    }

    #[test]
    fn an_evaluation_failure_of_a_branch_first_state_is_in_that_branch() {
        let events: Vec<Value> = serde_json::from_value(json!([
            {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
            {"id": 2, "previousEventId": 0, "type": "ParallelStateEntered", "stateEnteredEventDetails": {"name": "Both"}},
            {"id": 3, "previousEventId": 2, "type": "ParallelStateStarted"},
            {"id": 4, "previousEventId": 3, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A"}},
            {"id": 5, "previousEventId": 3, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "B"}},
            {"id": 6, "previousEventId": 3, "type": "EvaluationFailed", "evaluationFailedEventDetails": {"state": "A", "error": "States.QueryEvaluationError", "cause": "x"}},
            {"id": 7, "previousEventId": 6, "type": "ParallelStateFailed"},
            {"id": 8, "previousEventId": 7, "type": "ExecutionFailed"}
        ]))
        .unwrap();
        let sc = scopes(&events);
        assert_eq!(sc.len(), 2, "{sc:?}");
        assert_eq!(sc[0].event_ids, [4, 6]);
        assert!(sc[0].failed && !sc[1].failed);
        assert_eq!(state_names(&events)[5].as_deref(), Some("A"));
    }

    #[test]
    fn state_names_name_the_state_of_every_non_execution_event() {
        let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.xs",
                "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "f"}, "End": true}}}, "End": true}}},
            {"StartAt": "Legacy", "States": {"Legacy": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:g", "End": true}}}],
            "Next": "Bad"},
            "Bad": {"Type": "Fail", "Error": "E"}}});
        let events = history(&def, json!({"xs": [1, 2]}));
        let names = state_names(&events);
        assert_eq!(names.len(), events.len());
        let mut seen = Vec::new();
        for (e, n) in events.iter().zip(&names) {
            let t = e["type"].as_str().unwrap();
            let want = match t {
                t if t.starts_with("Execution") => None,
                "TaskScheduled" | "TaskStarted" | "TaskSucceeded" | "TaskStateEntered" | "TaskStateExited"
                    if e["stateEnteredEventDetails"]["name"] != "Legacy" && e["stateExitedEventDetails"]["name"] != "Legacy" =>
                {
                    Some("Work")
                }
                t if t.starts_with("LambdaFunction") || t.starts_with("TaskState") => Some("Legacy"),
                t if t.starts_with("Map") => Some("Each"),
                t if t.starts_with("Parallel") => Some("Both"),
                "FailStateEntered" => Some("Bad"),
                other => panic!("unexpected {other}"),
            };
            assert_eq!(n.as_deref(), want, "{t} #{}", e["id"]);
            seen.push(t.to_string());
        }
        for t in ["LambdaFunctionScheduled", "LambdaFunctionSucceeded", "TaskScheduled", "MapIterationStarted", "MapStateSucceeded", "ParallelStateSucceeded"] {
            assert!(seen.iter().any(|s| s == t), "{t} not in {seen:?}");
        }
        // Newest first (reverseOrder) gives the same names at the same events.
        let reversed: Vec<Value> = events.iter().rev().cloned().collect();
        let mut back = state_names(&reversed);
        back.reverse();
        assert_eq!(back, names);
    }
}
