//! The inspector: what happened in one state visit, rebuilt from the definition and the execution
//! history (GetExecutionHistory's events). Because it reads only what AWS records, it works the
//! same for a local run and for a history imported from the AWS console.
//!
//! Values AWS records (the state's input and output, a task's parameters and result, variables
//! assigned, errors) are shown as recorded. The steps between them (InputPath, Parameters,
//! ResultSelector, ResultPath, OutputPath, or JSONata's Arguments and Output) are recomputed with
//! the engine's own evaluators over the recorded values; a recomputed output that differs from
//! the recorded one is reported, never hidden.

use crate::asl::choice::{self, Rule};
use crate::asl::errors::{self, Failure};
use crate::asl::model::{self, DataPath, FailField, Kind, MapState, Machine, State};
use crate::asl::query::{self, QueryEnv};
use crate::asl::template::{self, Scope};
use crate::asl::timestamp;
use crate::asl::validate;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Map iterations and Parallel branches of a history (the page's iteration picker), and the
/// state each event belongs to (the history table).
pub mod scopes;
pub use scopes::state_names;

/// Where a value shown by the inspector comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Read from a history event.
    Recorded,
    /// Computed here from recorded values with the engine's evaluators.
    Recomputed,
}

/// One step of the state's data flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowStep {
    /// The ASL field: InputPath, Parameters, Task result, ResultSelector, ResultPath,
    /// OutputPath, Arguments, Output.
    pub field: &'static str,
    /// The field's text in the definition (a path, a template, an expression), when it has one.
    pub definition: Option<Value>,
    /// The value after this step, or why it could not be computed.
    pub value: Result<Value, String>,
    pub source: Source,
}

/// One failed attempt that a Retrier retried.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryAttempt {
    /// 1 for the first retry.
    pub attempt: u32,
    pub error: String,
    pub cause: String,
    /// Which Retrier matched (index into the state's Retry), if any.
    pub retrier: Option<usize>,
    /// The back-off the definition gives, in seconds: (least, most); equal unless the Retrier
    /// has full jitter.
    pub computed_delay: Option<(f64, f64)>,
    /// The virtual time between the failure and the next attempt, from the history.
    pub observed_delay: Option<f64>,
}

/// One Choice rule, evaluated over the state's input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcome {
    pub index: usize,
    pub next: String,
    /// None: not evaluated, because an earlier rule matched.
    pub matched: Option<bool>,
    /// Why, in words (the rule's evaluation tree for JSONPath rules, the condition's value for
    /// JSONata ones).
    pub explanation: String,
}

/// A state visit, from its Entered event to its Exited event (or to the failure that ended it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub state: String,
    /// Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.
    pub kind: &'static str,
    pub query_language: &'static str,
    pub entered_event: i64,
    pub exited_event: Option<i64>,
    pub input: Option<Value>,
    pub steps: Vec<FlowStep>,
    pub output: Option<Value>,
    /// The recomputed output, when it differs from the recorded one.
    pub output_mismatch: Option<Value>,
    /// Variables assigned on the way out (StateExited's assignedVariables).
    pub assigned: Vec<(String, Value)>,
    /// The error and cause that ended the visit, when it failed.
    pub failure: Option<(String, String)>,
    pub retries: Vec<RetryAttempt>,
    pub choice: Vec<RuleOutcome>,
    /// The Choice rule (or Default) taken.
    pub next: Option<String>,
}

/// The state visits in a history: (Entered event id, state name), in order.
pub fn visits(events: &[Value]) -> Vec<(i64, String)> {
    events
        .iter()
        .filter_map(|e| Some((e["id"].as_i64()?, e["stateEnteredEventDetails"]["name"].as_str()?.to_string())))
        .collect()
}

/// The latest visit of `state` in a history.
pub fn last_visit_of(events: &[Value], state: &str) -> Option<i64> {
    visits(events).into_iter().rev().find(|(_, n)| n == state).map(|(id, _)| id)
}

/// What the history does not say about a run but `$$` shows: its ARNs, and whether it is Express
/// (no RedriveCount there). Empty ARNs when unknown (an imported history without them).
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    pub execution_arn: String,
    pub state_machine_arn: String,
    pub express: bool,
}

/// The visit an event belongs to: the Entered event its `previousEventId` chain leads back to
/// (the event itself when it is one).
pub fn visit_of_event(events: &[Value], id: i64) -> Option<i64> {
    let by_id: HashMap<i64, &Value> = events.iter().filter_map(|e| Some((e["id"].as_i64()?, e))).collect();
    let mut at = id;
    for _ in 0..events.len() + 1 {
        let e = by_id.get(&at)?;
        if e.get("stateEnteredEventDetails").is_some() {
            return Some(at);
        }
        at = e["previousEventId"].as_i64().filter(|p| *p < at)?;
    }
    None
}

/// Rebuilds the visit that starts at the Entered event `entered_id`.
pub fn explain(definition: &str, events: &[Value], entered_id: i64) -> Result<Visit, String> {
    explain_run(definition, events, entered_id, &RunInfo::default())
}

/// As [`explain`], with the run's ARNs for `$$.Execution` and `$$.StateMachine`.
pub fn explain_run(definition: &str, events: &[Value], entered_id: i64, info: &RunInfo) -> Result<Visit, String> {
    let def: Value = crate::asl::definition_json::parse(definition).map_err(|e| format!("the definition is not JSON: {e}"))?;
    let machine = model::build(&def)?;
    let by_id: HashMap<i64, &Value> = events.iter().filter_map(|e| Some((e["id"].as_i64()?, e))).collect();
    let entered = by_id.get(&entered_id).ok_or_else(|| format!("no event {entered_id} in the history"))?;
    let name = entered["stateEnteredEventDetails"]["name"]
        .as_str()
        .ok_or_else(|| format!("event {entered_id} is not a state's Entered event"))?
        .to_string();
    let st = find_state(&machine, &name).ok_or_else(|| format!("no state named '{name}' in the definition"))?;
    let empty = Map::new();
    let raw = raw_state(&def, &name).unwrap_or(&empty);
    // A Map's or Parallel's own events (Started, Failed, Exited …) point into its iterations and
    // branches: they are found by scope instead of by following the links.
    let container = matches!(st.kind, Kind::Parallel { .. } | Kind::Map(_));
    let scoped = container.then(|| {
        let (_, of) = scopes::scopes_of(events);
        (scopes::scopes_in(events, definition), of)
    });
    let own = match &scoped {
        Some((_, of)) => container_events(events, of, entered_id, &name),
        None => own_events(events, entered_id),
    };
    let exited = own.iter().find(|e| e["stateExitedEventDetails"]["name"].as_str() == Some(name.as_str()));
    let input = parse_text(&entered["stateEnteredEventDetails"]["input"]);
    let output = exited.and_then(|e| parse_text(&e["stateExitedEventDetails"]["output"]));
    let assigned = exited
        .and_then(|e| e["stateExitedEventDetails"]["assignedVariables"].as_object())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), parse_text(v).unwrap_or(Value::Null))).collect())
        .unwrap_or_default();
    let mut failure = failure_of(&own, events, exited.is_some());
    if let (Some((e, c)), Some(out)) = (&mut failure, &output) {
        // Caught without a recorded error (a Map or Parallel, whose failure events carry none):
        // the error output the Catcher placed.
        if e.is_empty() && c.is_empty() {
            if let Some((err, cause)) = caught_error(st, out) {
                (*e, *c) = (err, cause);
            }
        }
    }
    let ctx = Context::new(events, &by_id, entered, &name, info);

    let mut visit = Visit {
        state: name.clone(),
        kind: st.kind.event_prefix(),
        query_language: if st.jsonata { "JSONata" } else { "JSONPath" },
        entered_event: entered_id,
        exited_event: exited.and_then(|e| e["id"].as_i64()),
        input: input.clone(),
        steps: Vec::new(),
        output: output.clone(),
        output_mismatch: None,
        assigned,
        failure,
        retries: retries(st, &own),
        choice: Vec::new(),
        next: None,
    };
    let Some(input) = input else { return Ok(visit) };
    let work = RecordedWork {
        result: task_result(&own),
        parameters: if matches!(st.kind, Kind::Task(_)) { recorded_parameters(&own) } else { None },
        gathered: scoped.as_ref().map(|(sc, of)| gather(events, sc, of, st, &own, entered_id)),
    };
    if st.jsonata {
        jsonata_steps(st, raw, &input, work, &ctx, &mut visit);
    } else {
        jsonpath_steps(st, raw, &input, work, &ctx, &mut visit);
    }
    if matches!(st.kind, Kind::Fail { .. }) {
        // A Fail state's error and cause, when no event records them (a Fail inside a Map
        // iteration or a branch whose failure was caught further up): as its fields give them.
        let recorded_something = visit.failure.as_ref().is_some_and(|(e, c)| !e.is_empty() || !c.is_empty());
        if !recorded_something {
            let text = |f: &str| {
                visit.steps.iter().find(|s| s.field.starts_with(f)).and_then(|s| s.value.as_ref().ok()).and_then(Value::as_str).map(str::to_string)
            };
            visit.failure = Some((text("Error").unwrap_or_default(), text("Cause").unwrap_or_default()));
        }
    }
    if let Kind::Choice { choices, default } = &st.kind {
        let data = match (&st.jsonata, &st.input_path) {
            (false, p) => apply_path(p, &input, &ctx).unwrap_or(input.clone()),
            (true, _) => input.clone(),
        };
        visit.choice = explain_choice(&machine, st, choices, &data, &ctx);
        visit.next = visit
            .choice
            .iter()
            .find(|r| r.matched == Some(true))
            .map(|r| r.next.clone())
            .or_else(|| default.and_then(|d| state_name_in(&machine, st, d)).map(|n| format!("Default: {n}")));
    }
    // A JSONata Choice rule may carry its own Output, used instead of the state's.
    if st.jsonata {
        if let Kind::Choice { choices, .. } = &st.kind {
            let taken = visit.choice.iter().find(|r| r.matched == Some(true)).map(|r| r.index);
            if let Some(o) = taken.and_then(|i| choices[i].raw.as_ref()).and_then(|r| r.get("Output")) {
                visit.steps.retain(|s| s.field != "Output");
                let v = ctx.jsonata(o, &input, Some(&input));
                visit.steps.push(FlowStep { field: "Output", definition: Some(o.clone()), value: v, source: Source::Recomputed });
            }
        }
    }
    if let (Some(recorded), Some(last)) = (&output, visit.steps.last()) {
        if let Ok(v) = &last.value {
            let is_output = matches!(last.field, "OutputPath" | "Output");
            if is_output && v != recorded && last.source == Source::Recomputed && visit.failure.is_none() {
                visit.output_mismatch = Some(v.clone());
            }
        }
    }
    Ok(visit)
}

/// A history field that holds JSON as text ("input", "output", "parameters"). Histories whose
/// payloads were already decoded (as the conformance recordings are) are taken as they are.
fn parse_text(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(serde_json::from_str(s).unwrap_or_else(|_| v.clone())),
        other => Some(other.clone()),
    }
}

/// The state with this name anywhere in the machine (names are unique in a whole definition).
fn find_state<'a>(m: &'a Machine, name: &str) -> Option<&'a State> {
    for st in &m.states {
        if &*st.name == name {
            return Some(st);
        }
        let inner = match &st.kind {
            Kind::Parallel { branches } => branches.iter().find_map(|b| find_state(b, name)),
            Kind::Map(map) => find_state(&map.processor, name),
            _ => None,
        };
        if inner.is_some() {
            return inner;
        }
    }
    None
}

/// The machine whose states include `st` (the top level, a branch, a Map's processor).
fn machine_of<'a>(m: &'a Machine, st: &State) -> Option<&'a Machine> {
    if m.states.iter().any(|s| std::ptr::eq(s, st)) {
        return Some(m);
    }
    m.states.iter().find_map(|s| match &s.kind {
        Kind::Parallel { branches } => branches.iter().find_map(|b| machine_of(b, st)),
        Kind::Map(map) => machine_of(&map.processor, st),
        _ => None,
    })
}

fn state_name_in(top: &Machine, st: &State, index: usize) -> Option<String> {
    machine_of(top, st)?.states.get(index).map(|s| s.name.to_string())
}

/// The events of one visit: those whose `previousEventId` chain leads back to the Entered event
/// without passing through another state's Entered event (so nested states' events and other
/// Map iterations' events stay out), up to and including the visit's own Exited event.
fn own_events(events: &[Value], entered_id: i64) -> Vec<&Value> {
    let mut members: HashSet<i64> = HashSet::from([entered_id]);
    let mut out = Vec::new();
    for e in events {
        let (Some(id), Some(prev)) = (e["id"].as_i64(), e["previousEventId"].as_i64()) else { continue };
        if id <= entered_id || !members.contains(&prev) {
            continue;
        }
        if e.get("stateEnteredEventDetails").is_some() {
            continue; // a nested state's visit
        }
        members.insert(id);
        out.push(e);
        if e.get("stateExitedEventDetails").is_some() {
            break;
        }
    }
    out
}

/// The details object of an event (`taskFailedEventDetails`, ...).
fn details(e: &Value) -> Option<&Map<String, Value>> {
    e.as_object()?.iter().find(|(k, _)| k.ends_with("EventDetails")).and_then(|(_, v)| v.as_object())
}

fn is_failure(e: &Value) -> bool {
    let t = e["type"].as_str().unwrap_or("");
    t.ends_with("Failed") || t.ends_with("TimedOut") || t.ends_with("Aborted")
}

/// The work's result: the output of the last Task/Lambda/Activity success of the visit.
fn task_result(own: &[&Value]) -> Option<Value> {
    own.iter().rev().find_map(|e| {
        let t = e["type"].as_str()?;
        let work = t.starts_with("Task") || t.starts_with("LambdaFunction") || t.starts_with("Activity");
        if work && t.ends_with("Succeeded") {
            details(e)?.get("output").and_then(parse_text)
        } else {
            None
        }
    })
}

/// The failure that ended the visit: its last failure not followed by another attempt (caught
/// or not), or, for a visit cut short without one, the execution's failure.
fn failure_of(own: &[&Value], all: &[Value], exited: bool) -> Option<(String, String)> {
    // Only events that say something: MapIterationFailed (name, index) and MapStateFailed /
    // ParallelStateFailed (no details) carry no error.
    let pick = |e: &Value| {
        let d = details(e)?;
        if d.get("error").is_none() && d.get("cause").is_none() && !e["type"].as_str().is_some_and(|t| t.starts_with("Execution")) {
            return None;
        }
        Some((
            d.get("error").and_then(Value::as_str).unwrap_or("").to_string(),
            d.get("cause").and_then(Value::as_str).unwrap_or("").to_string(),
        ))
    };
    let execution = || all.iter().rev().filter(|e| is_failure(e) && e["type"].as_str().is_some_and(|t| t.starts_with("Execution"))).find_map(pick);
    let last = own.iter().rposition(|e| is_failure(e));
    let retried_or_recovered = |i: usize| {
        own[i + 1..].iter().any(|n| {
            let t = n["type"].as_str().unwrap_or("");
            t.ends_with("Scheduled") || t.ends_with("StateStarted") || t.ends_with("Succeeded")
        })
    };
    match last {
        Some(i) if !retried_or_recovered(i) => {
            // The failure event says nothing: uncaught, the execution's failure tells; caught,
            // the error is only in the output (the caller reads it there).
            pick(own[i]).or_else(|| if exited { Some((String::new(), String::new())) } else { execution() })
        }
        _ if !exited => all.iter().rev().filter(|e| is_failure(e)).find_map(pick),
        _ => None,
    }
}

/// The error and cause of a caught failure, from the output the matching Catcher placed at its
/// ResultPath (`{"Error": …, "Cause": …}`); the first Catcher whose placed value has them.
fn caught_error(st: &State, output: &Value) -> Option<(String, String)> {
    let at = |p: &DataPath| -> Option<Value> {
        match p {
            DataPath::Default => Some(output.clone()),
            DataPath::Null => None,
            DataPath::Path(path) => path.select(output).ok(),
        }
    };
    let found = st.catch.iter().find_map(|c| {
        let v = if st.jsonata { Some(output.clone()) } else { at(&c.result_path) }?;
        let error = v.get("Error")?.as_str()?.to_string();
        Some((error, v.get("Cause").and_then(Value::as_str).unwrap_or("").to_string()))
    });
    found
}

/// The events of a Map's or Parallel's visit: those after its Entered event in the same scope
/// (iteration or branch, or the top level), up to its Exited event. Its iterations' and branches'
/// events are in scopes of their own.
fn container_events<'a>(events: &'a [Value], of: &[Option<usize>], entered_id: i64, name: &str) -> Vec<&'a Value> {
    let Some(at) = events.iter().position(|e| e["id"].as_i64() == Some(entered_id)) else { return Vec::new() };
    let mut mine: Vec<usize> =
        (0..events.len()).filter(|&p| of[p] == of[at] && events[p]["id"].as_i64().is_some_and(|id| id > entered_id)).collect();
    mine.sort_by_key(|&p| events[p]["id"].as_i64());
    let mut out = Vec::new();
    for p in mine {
        let e = &events[p];
        let t = e["type"].as_str().unwrap_or("");
        if t.starts_with("Execution") {
            continue;
        }
        if e.get("stateEnteredEventDetails").is_some() {
            break; // the next state of the scope
        }
        out.push(e);
        if e["stateExitedEventDetails"]["name"].as_str() == Some(name) {
            break;
        }
    }
    out
}

/// What the history records of a state's work, between its input and its output.
struct RecordedWork {
    /// A Task's result.
    result: Option<Value>,
    /// A Task's effective parameters (after InputPath and Parameters, or Arguments).
    parameters: Option<Value>,
    /// A Map's iteration results or a Parallel's branch results.
    gathered: Option<Gathered>,
}

/// What the history says about a Map's iteration results or a Parallel's branch results. AWS
/// records no event with the combined array; it is rebuilt from each iteration's (branch's) last
/// state output, in index order (a branch's index is its place in Branches).
struct Gathered {
    /// The results array, or why it cannot be rebuilt.
    results: Result<Value, String>,
    /// Each iteration's input (its first state's recorded input), in index order (Map only).
    inputs: Option<Vec<Value>>,
}

fn gather(events: &[Value], scopes: &[scopes::Scope], of: &[Option<usize>], st: &State, own: &[&Value], entered_id: i64) -> Gathered {
    let (map, what) = match &st.kind {
        Kind::Map(_) => (true, "iteration"),
        _ => (false, "branch"),
    };
    let fail = |m: String| Gathered { results: Err(m), inputs: None };
    if own.iter().any(|e| e["type"] == "MapRunStarted") || matches!(&st.kind, Kind::Map(m) if m.distributed) {
        return fail("a Distributed Map's iterations run as child executions of its Map Run: their results are not in this history".into());
    }
    let started = own.iter().rev().find(|e| matches!(e["type"].as_str(), Some("MapStateStarted" | "ParallelStateStarted")));
    let Some(started) = started else { return fail(format!("the {} did not start", if map { "Map" } else { "Parallel" })) };
    let started_id = started["id"].as_i64().unwrap_or(0);
    let expected = match &st.kind {
        Kind::Map(_) => started["mapStateStartedEventDetails"]["length"].as_u64().map(|n| n as usize),
        Kind::Parallel { branches } => Some(branches.len()),
        _ => None,
    };
    let Some(expected) = expected else { return fail("MapStateStarted does not record the number of items".into()) };
    let pos_of: HashMap<i64, usize> = events.iter().enumerate().filter_map(|(p, e)| Some((e["id"].as_i64()?, p))).collect();
    let mut outputs: Vec<Option<Value>> = vec![None; expected];
    let mut inputs: Vec<Option<Value>> = vec![None; expected];
    for (i, sc) in scopes.iter().enumerate() {
        if sc.owner_entered != entered_id || sc.event_ids.first().is_none_or(|id| *id <= started_id) {
            continue;
        }
        let label = if map { format!("iteration {}", sc.index) } else { format!("branch {}", sc.index + 1) };
        if sc.failed {
            return fail(format!("{label} failed"));
        }
        if sc.index >= expected {
            return fail(format!("{label} is beyond the {expected} the {} has", if map { "items" } else { "branches" }));
        }
        let own_events: Vec<&Value> = sc.event_ids.iter().filter_map(|id| pos_of.get(id)).filter(|p| of[**p] == Some(i)).map(|p| &events[*p]).collect();
        let done = if map {
            own_events.iter().any(|e| e["type"] == "MapIterationSucceeded")
        } else {
            own_events.last().is_some_and(|e| e.get("stateExitedEventDetails").is_some())
        };
        if !done {
            return fail(format!("{label} did not finish"));
        }
        // A decoded history (the recordings') holds a null output as JSON null.
        let out = own_events
            .iter()
            .rev()
            .find_map(|e| e.get("stateExitedEventDetails")?.as_object()?.get("output"))
            .map(|o| parse_text(o).unwrap_or(Value::Null));
        if outputs[sc.index].is_some() {
            return fail(format!("{label} appears twice"));
        }
        let Some(out) = out else { return fail(format!("{label}'s output is not recorded")) };
        outputs[sc.index] = Some(out);
        inputs[sc.index] = own_events.iter().find(|e| e.get("stateEnteredEventDetails").is_some()).and_then(|e| parse_text(&e["stateEnteredEventDetails"]["input"]));
    }
    if let Some(missing) = outputs.iter().position(Option::is_none) {
        let label = if map { format!("iteration {missing}") } else { format!("branch {}", missing + 1) };
        return fail(format!("{label}'s output is not in the history ({expected} {what}{} expected)", if expected == 1 { "" } else if map { "s" } else { "es" }));
    }
    Gathered {
        results: Ok(Value::Array(outputs.into_iter().flatten().collect())),
        inputs: if map { inputs.into_iter().collect() } else { None },
    }
}

fn seconds(e: &Value) -> Option<f64> {
    match &e["timestamp"] {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => timestamp::parse(s).map(|t| timestamp::to_millis(&t) as f64 / 1000.0),
        _ => None,
    }
}

/// Each failure followed by another attempt, with the Retrier that matched and its back-off.
fn retries(st: &State, own: &[&Value]) -> Vec<RetryAttempt> {
    let mut out = Vec::new();
    let mut per_retrier: BTreeMap<usize, u64> = BTreeMap::new();
    for (i, e) in own.iter().enumerate() {
        if !is_failure(e) || e["type"].as_str().is_some_and(|t| t.starts_with("Execution")) {
            continue;
        }
        // Retried when another attempt starts after it: a Scheduled event, or a branch/Map restart.
        let again = own[i + 1..].iter().find(|n| {
            let t = n["type"].as_str().unwrap_or("");
            t.ends_with("Scheduled") || t.ends_with("StateStarted")
        });
        let Some(again) = again else { continue };
        let d = details(e);
        let error = d.and_then(|d| d.get("error")).and_then(Value::as_str).unwrap_or("").to_string();
        let cause = d.and_then(|d| d.get("cause")).and_then(Value::as_str).unwrap_or("").to_string();
        let failure = Failure::new(error.clone(), cause.clone());
        let retrier = st.retry.iter().position(|r| errors::matches(&r.error_equals, &failure));
        let computed_delay = retrier.map(|ri| {
            let n = per_retrier.entry(ri).or_insert(0);
            let r = &st.retry[ri];
            // With full jitter the delay is uniform in [0, the back-off]; u64::MAX draws the top.
            let most = crate::engine::retry_backoff_ms(r, *n, u64::MAX) as f64 / 1000.0;
            let least = if r.jitter_full { 0.0 } else { most };
            *n += 1;
            (least, most)
        });
        out.push(RetryAttempt {
            attempt: out.len() as u32 + 1,
            error,
            cause,
            retrier,
            computed_delay,
            observed_delay: seconds(again).zip(seconds(e)).map(|(a, b)| ((a - b) * 1000.0).round() / 1000.0),
        });
    }
    out
}

/// What the state's expressions read: `$$` rebuilt from the history and the variables assigned
/// before the visit.
struct Context {
    context: Value,
    variables: HashMap<String, Value>,
    now_ms: i64,
}

impl Context {
    fn new(events: &[Value], by_id: &HashMap<i64, &Value>, entered: &Value, name: &str, info: &RunInfo) -> Context {
        let entered_id = entered["id"].as_i64().unwrap_or(0);
        let started = events.iter().find(|e| e["type"] == "ExecutionStarted");
        let sd = started.map(|e| &e["executionStartedEventDetails"]);
        let ms = |e: Option<&Value>| e.and_then(seconds).map(|s| (s * 1000.0).round() as i64).unwrap_or(0);
        let sm_arn = sd
            .and_then(|d| d["stateMachineArn"].as_str())
            .filter(|a| !a.is_empty())
            .unwrap_or(&info.state_machine_arn)
            .to_string();
        let last_part = |arn: &str| arn.rsplit(':').next().unwrap_or("").to_string();
        let mut context = json!({
            "Execution": {
                "Id": info.execution_arn,
                "Input": sd.and_then(|d| parse_text(&d["input"])).unwrap_or(json!({})),
                "Name": last_part(&info.execution_arn),
                "RoleArn": sd.and_then(|d| d["roleArn"].as_str()).unwrap_or(""),
                "StartTime": timestamp::format_millis(ms(started)),
            },
            "State": {"Name": name, "EnteredTime": timestamp::format_millis(ms(Some(entered)))},
            "StateMachine": {"Id": sm_arn, "Name": last_part(&sm_arn)},
        });
        if !info.express {
            context["Execution"]["RedriveCount"] = json!(0);
        }
        // Variables: every assignment recorded before the visit, latest wins. (AWS scopes
        // variables to Parallel branches and Map iterations; this view reads the history in order.)
        let mut variables = HashMap::new();
        let mut ids: Vec<&i64> = by_id.keys().filter(|id| **id < entered_id).collect();
        ids.sort();
        for id in ids {
            if let Some(m) = by_id[id]["stateExitedEventDetails"]["assignedVariables"].as_object() {
                for (k, v) in m {
                    variables.insert(k.clone(), parse_text(v).unwrap_or(Value::Null));
                }
            }
        }
        Context { context, variables, now_ms: ms(Some(entered)) }
    }

    fn scope<'a>(&'a self, data: &'a Value) -> InspectScope<'a> {
        InspectScope { data, ctx: self, random: 0x5eed }
    }

    /// JSONata over `$states` (input, result, context) and the variables.
    fn jsonata(&self, value: &Value, input: &Value, result: Option<&Value>) -> Result<Value, String> {
        let mut states = Map::new();
        states.insert("input".into(), input.clone());
        states.insert("context".into(), self.context.clone());
        if let Some(r) = result {
            states.insert("result".into(), r.clone());
        }
        let states = Value::Object(states);
        let bindings = |name: &str| if name == "states" { Some(states.clone()) } else { self.variables.get(name).cloned() };
        let mut seed = 0x5eed_u64;
        let mut random = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed
        };
        let mut env = QueryEnv { bindings: &bindings, now_ms: self.now_ms, random: &mut random };
        query::evaluate_template(value, &mut env)
    }
}

struct InspectScope<'a> {
    data: &'a Value,
    ctx: &'a Context,
    random: u64,
}

impl Scope for InspectScope<'_> {
    fn data(&self) -> &Value {
        self.data
    }
    fn context(&mut self) -> Value {
        self.ctx.context.clone()
    }
    fn variable(&self, name: &str) -> Option<Value> {
        self.ctx.variables.get(name).cloned()
    }
    fn random_u64(&mut self) -> u64 {
        self.random = self.random.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.random
    }
}

impl choice::Env for InspectScope<'_> {
    fn resolve(&mut self, path: &str) -> Result<Option<Value>, String> {
        let p = template::parse_cached(path)?;
        Ok(template::select(&p, self).ok())
    }
}

fn path_text(p: &DataPath) -> Option<Value> {
    match p {
        DataPath::Default => None,
        DataPath::Null => Some(Value::Null),
        DataPath::Path(p) => Some(Value::String(p.text().to_string())),
    }
}

/// InputPath / OutputPath over `value`, as the engine applies them.
fn apply_path(p: &DataPath, value: &Value, ctx: &Context) -> Result<Value, String> {
    match p {
        DataPath::Default => Ok(value.clone()),
        DataPath::Null => Ok(json!({})),
        DataPath::Path(path) => template::select(path, &mut ctx.scope(value))
            .map_err(|(msg, _)| format!("Invalid path '{}' : {msg}", path.text())),
    }
}

fn apply_result_path(p: &DataPath, raw: &Value, result: Value) -> Result<Value, String> {
    match p {
        DataPath::Default => Ok(result),
        DataPath::Null => Ok(raw.clone()),
        DataPath::Path(path) if path.text() == "$" => Ok(result),
        DataPath::Path(path) => path.assign(raw.clone(), result).map_err(|msg| format!("Invalid path '{}' : {msg}", path.text())),
    }
}

/// The state's object in the definition, found by name in the whole definition.
fn raw_state<'a>(machine: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
    let states = machine.get("States")?.as_object()?;
    if let Some(s) = states.get(name).and_then(Value::as_object) {
        return Some(s);
    }
    states.values().find_map(|s| {
        let branches = s.get("Branches").and_then(Value::as_array).into_iter().flatten();
        let processor = ["ItemProcessor", "Iterator"].into_iter().filter_map(|k| s.get(k));
        branches.chain(processor).find_map(|m| raw_state(m, name))
    })
}

/// The recorded effective input of a task: TaskScheduled's parameters, or the Lambda/activity
/// Scheduled event's input.
fn recorded_parameters(own: &[&Value]) -> Option<Value> {
    own.iter().find_map(|e| {
        let d = details(e)?;
        if !e["type"].as_str()?.ends_with("Scheduled") {
            return None;
        }
        d.get("parameters").or_else(|| d.get("input")).and_then(parse_text)
    })
}

/// Why the steps after a Map's or Parallel's results are not recomputed.
const NOT_RECOMPUTED: &str = "not recomputed: the results it applies to are not in the history";

/// A Map's or Parallel's results as a step: "Iteration results" / "Branch results".
fn results_step(st: &State, g: Option<&Gathered>) -> Option<FlowStep> {
    let field = match st.kind {
        Kind::Map(_) => "Iteration results",
        Kind::Parallel { .. } => "Branch results",
        _ => return None,
    };
    let value = g.map(|g| g.results.clone()).unwrap_or_else(|| Err("not in the history".into()));
    Some(FlowStep { field, definition: None, value, source: Source::Recorded })
}

/// A Map's items (ItemsPath over the effective input) and, with an ItemSelector (or the legacy
/// Parameters), what each iteration received: its first state's recorded input.
fn map_item_steps(m: &MapState, raw: &Map<String, Value>, effective: &Value, g: Option<&Gathered>, ctx: &Context, steps: &mut Vec<FlowStep>) {
    if m.item_reader.is_none() {
        let items = match &m.items_path {
            Some(p) => template::select(p, &mut ctx.scope(effective)).map_err(|(msg, _)| format!("Invalid path '{}' : {msg}", p.text())),
            None => Ok(effective.clone()),
        };
        let definition = Some(m.items_path.as_ref().map(|p| json!(p.text())).unwrap_or(json!("$")));
        steps.push(FlowStep { field: "ItemsPath", definition, value: items, source: Source::Recomputed });
    }
    if m.item_selector.is_some() {
        let field = if raw.contains_key("ItemSelector") { "ItemSelector" } else { "Parameters" };
        steps.push(FlowStep { field, definition: raw.get(field).cloned(), value: iteration_inputs(g), source: Source::Recorded });
    }
}

fn iteration_inputs(g: Option<&Gathered>) -> Result<Value, String> {
    match g.and_then(|g| g.inputs.clone()) {
        Some(v) => Ok(Value::Array(v)),
        None => Err("applied to each item: not every iteration's input is in the history".into()),
    }
}

/// A Fail state's Error/ErrorPath and Cause/CausePath (JSONPath), over its input.
fn fail_steps(error: &Option<FailField>, cause: &Option<FailField>, raw: &Map<String, Value>, input: &Value, ctx: &Context, steps: &mut Vec<FlowStep>) {
    for (field, literal, path) in [(error, "Error", "ErrorPath"), (cause, "Cause", "CausePath")] {
        let (name, value) = match field {
            None => continue,
            Some(FailField::Literal(s)) => (literal, Ok(Value::String(s.clone()))),
            Some(FailField::Path(p)) => (path, template::select_for_field(p, path, &mut ctx.scope(input)).map_err(|e| format!("{}: {}", e.error, e.cause))),
            Some(FailField::Call(c)) => {
                let t = template::Template::Call { field: path.to_string(), call: c.clone() };
                (path, t.eval(&mut ctx.scope(input)).map_err(|e| format!("{}: {}", e.error, e.cause)))
            }
        };
        // The engine writes a non-string value as its JSON text.
        let value = value.map(|v| match v {
            Value::String(s) => Value::String(s),
            other => Value::String(template::compact(&other)),
        });
        steps.push(FlowStep { field: name, definition: raw.get(name).cloned(), value, source: Source::Recomputed });
    }
}

/// JSONPath, the fields the state's type has (validate::state_takes):
/// Pass: InputPath → Parameters → Result → ResultPath → OutputPath;
/// Task: InputPath → Parameters → Task result → ResultSelector → ResultPath → OutputPath;
/// Parallel: InputPath → Parameters → Branch results → ResultSelector → ResultPath → OutputPath;
/// Map: InputPath → ItemsPath → ItemSelector → Iteration results → ResultSelector → ResultPath →
/// OutputPath; Choice, Succeed, Wait: InputPath → OutputPath; Fail: Error(Path) and Cause(Path).
fn jsonpath_steps(st: &State, raw: &Map<String, Value>, input: &Value, work: RecordedWork, ctx: &Context, visit: &mut Visit) {
    let RecordedWork { result, parameters: recorded, gathered } = work;
    let gathered = gathered.as_ref();
    let recorded_output = visit.output.clone();
    let failed = visit.failure.is_some();
    let takes = |field: &str| validate::state_takes(st.kind.event_prefix(), false, field);
    let steps = &mut visit.steps;
    let recomputed = |field, definition, value| FlowStep { field, definition, value, source: Source::Recomputed };
    if let Kind::Fail { error, cause } = &st.kind {
        fail_steps(error, cause, raw, input, ctx, steps);
        return;
    }
    let after_input = apply_path(&st.input_path, input, ctx);
    steps.push(recomputed("InputPath", path_text(&st.input_path).or(Some(json!("$"))), after_input.clone()));
    let Ok(after_input) = after_input else { return };
    if !takes("ResultPath") {
        // Choice, Succeed, Wait: the output is the input after InputPath, through OutputPath.
        let out = apply_path(&st.output_path, &after_input, ctx);
        steps.push(recomputed("OutputPath", path_text(&st.output_path).or(Some(json!("$"))), out));
        return;
    }
    let effective = match &st.parameters {
        Some(t) => {
            let (v, source) = match recorded {
                Some(r) => (Ok(r), Source::Recorded),
                None => (t.eval(&mut ctx.scope(&after_input)).map_err(|e| format!("{}: {}", e.error, e.cause)), Source::Recomputed),
            };
            steps.push(FlowStep { field: "Parameters", definition: raw.get("Parameters").cloned(), value: v.clone(), source });
            match v {
                Ok(v) => v,
                Err(_) => return,
            }
        }
        None => after_input,
    };
    if let Kind::Map(m) = &st.kind {
        map_item_steps(m, raw, &effective, gathered, ctx, steps);
    }
    // The work's result.
    let result: Result<Value, String> = match &st.kind {
        Kind::Pass { result: Some(r) } => {
            steps.push(FlowStep { field: "Result", definition: raw.get("Result").cloned(), value: Ok(r.clone()), source: Source::Recorded });
            Ok(r.clone())
        }
        Kind::Pass { result: None } => Ok(effective.clone()),
        Kind::Task(_) => match result {
            Some(r) => {
                steps.push(FlowStep { field: "Task result", definition: None, value: Ok(r.clone()), source: Source::Recorded });
                Ok(r)
            }
            None => return,
        },
        Kind::Parallel { .. } | Kind::Map(_) => {
            let Some(step) = results_step(st, gathered) else { return };
            let v = step.value.clone();
            steps.push(step);
            if v.is_err() && failed {
                // It failed: a caught failure's output is the Catcher's, not these steps'.
                return;
            }
            v
        }
        _ => return,
    };
    // Past here a missing result (a Map's or Parallel's, not in the history) still shows each
    // field's text, and the Output is the recorded one.
    let known = result.is_ok();
    let selected = match (&st.result_selector, result) {
        (Some(t), Ok(r)) => {
            let v = t.eval(&mut ctx.scope(&r)).map_err(|e| format!("{}: {}", e.error, e.cause));
            steps.push(recomputed("ResultSelector", raw.get("ResultSelector").cloned(), v.clone()));
            match v {
                Ok(v) => Some(v),
                Err(_) => return,
            }
        }
        (Some(_), Err(_)) => {
            steps.push(recomputed("ResultSelector", raw.get("ResultSelector").cloned(), Err(NOT_RECOMPUTED.into())));
            None
        }
        (None, r) => r.ok(),
    };
    let combined = match selected {
        Some(v) => apply_result_path(&st.result_path, input, v),
        // `ResultPath: null` keeps the input whatever the results were.
        None if matches!(st.result_path, DataPath::Null) => Ok(input.clone()),
        None => Err(NOT_RECOMPUTED.into()),
    };
    steps.push(recomputed("ResultPath", path_text(&st.result_path).or(Some(json!("$"))), combined.clone()));
    let output_path = path_text(&st.output_path).or(Some(json!("$")));
    match combined {
        Ok(combined) => steps.push(recomputed("OutputPath", output_path, apply_path(&st.output_path, &combined, ctx))),
        Err(_) if !known => {
            let value = recorded_output.ok_or_else(|| "the state has not exited: no output is recorded".to_string());
            steps.push(FlowStep { field: "OutputPath", definition: output_path, value, source: Source::Recorded });
        }
        Err(_) => {}
    }
}

/// JSONata, the fields the state's type has: Arguments (Task, Parallel) or Items and
/// ItemSelector (Map) → the result (Task result, Branch results, Iteration results) → Output;
/// Fail: Error and Cause.
fn jsonata_steps(st: &State, raw: &Map<String, Value>, input: &Value, work: RecordedWork, ctx: &Context, visit: &mut Visit) {
    let RecordedWork { result, parameters: recorded, gathered } = work;
    let gathered = gathered.as_ref();
    let recorded_output = visit.output.clone();
    let failed = visit.failure.is_some();
    let takes = |field: &str| validate::state_takes(st.kind.event_prefix(), true, field);
    let steps = &mut visit.steps;
    if let Kind::Fail { .. } = &st.kind {
        for field in ["Error", "Cause"] {
            if let Some(v) = raw.get(field) {
                let value = ctx.jsonata(v, input, None).map(|v| match v {
                    Value::String(s) => Value::String(s),
                    other => Value::String(template::compact(&other)),
                });
                steps.push(FlowStep { field, definition: Some(v.clone()), value, source: Source::Recomputed });
            }
        }
        return;
    }
    let arguments = raw.get("Arguments").cloned().filter(|_| takes("Arguments"));
    let effective = match &arguments {
        Some(a) => {
            let (v, source) = match recorded {
                Some(r) => (Ok(r), Source::Recorded),
                None => (ctx.jsonata(a, input, None), Source::Recomputed),
            };
            steps.push(FlowStep { field: "Arguments", definition: Some(a.clone()), value: v.clone(), source });
            v.ok()
        }
        None => Some(input.clone()),
    };
    if let Kind::Map(m) = &st.kind {
        if m.item_reader.is_none() {
            if let Some(items) = raw.get("Items") {
                steps.push(FlowStep { field: "Items", definition: Some(items.clone()), value: ctx.jsonata(items, input, None), source: Source::Recomputed });
            }
        }
        if let Some(sel) = raw.get("ItemSelector") {
            steps.push(FlowStep { field: "ItemSelector", definition: Some(sel.clone()), value: iteration_inputs(gathered), source: Source::Recorded });
        }
    }
    let result = match &st.kind {
        Kind::Task(_) => result,
        Kind::Pass { .. } | Kind::Wait(_) | Kind::Choice { .. } | Kind::Succeed => effective,
        Kind::Parallel { .. } | Kind::Map(_) => {
            let Some(step) = results_step(st, gathered) else { return };
            let v = step.value.clone();
            steps.push(step);
            match v {
                Ok(v) => Some(v),
                Err(_) if failed => return,
                Err(_) => {
                    // The Output, when it reads the results, cannot be recomputed: the recorded one.
                    if let Some(o) = raw.get("Output").cloned() {
                        let reads_result = o.to_string().contains("$states.result");
                        let (value, source) = match (reads_result, &recorded_output) {
                            (false, _) => (ctx.jsonata(&o, input, None), Source::Recomputed),
                            (true, Some(out)) => (Ok(out.clone()), Source::Recorded),
                            (true, None) => (Err(NOT_RECOMPUTED.to_string()), Source::Recomputed),
                        };
                        steps.push(FlowStep { field: "Output", definition: Some(o), value, source });
                    }
                    return;
                }
            }
        }
        Kind::Fail { .. } => None,
    };
    if matches!(st.kind, Kind::Task(_)) {
        if let Some(r) = &result {
            steps.push(FlowStep { field: "Task result", definition: None, value: Ok(r.clone()), source: Source::Recorded });
        }
    }
    if let Some(o) = raw.get("Output").cloned() {
        let v = ctx.jsonata(&o, input, result.as_ref());
        steps.push(FlowStep { field: "Output", definition: Some(o), value: v, source: Source::Recomputed });
    }
}

fn explain_choice(top: &Machine, st: &State, choices: &[model::ChoiceBranch], data: &Value, ctx: &Context) -> Vec<RuleOutcome> {
    let mut out = Vec::new();
    let mut matched = false;
    for (i, c) in choices.iter().enumerate() {
        let next = state_name_in(top, st, c.next).unwrap_or_default();
        if matched {
            out.push(RuleOutcome { index: i, next, matched: None, explanation: "not evaluated: an earlier rule matched".into() });
            continue;
        }
        let (m, explanation) = if st.jsonata {
            let cond = c.raw.as_ref().and_then(|r| r.get("Condition")).cloned().unwrap_or(Value::Null);
            match ctx.jsonata(&cond, data, None) {
                Ok(Value::Bool(b)) => (b, format!("{} is {b}", cond.as_str().unwrap_or(""))),
                Ok(other) => (false, format!("{} gives {other}, not a boolean", cond.as_str().unwrap_or(""))),
                Err(e) => (false, format!("{} fails: {e}", cond.as_str().unwrap_or(""))),
            }
        } else {
            rule_explanation(&c.rule, data, ctx)
        };
        matched = m;
        out.push(RuleOutcome { index: i, next, matched: Some(m), explanation });
    }
    out
}

fn rule_explanation(rule: &Rule, data: &Value, ctx: &Context) -> (bool, String) {
    match rule.eval_traced(&mut ctx.scope(data)) {
        Ok((b, trace)) => (b, trace.render()),
        Err(cause) => (false, format!("States.Runtime: {cause}")),
    }
}

#[cfg(test)]
mod tests;
