//! The teller: walks a sorted history and says one sentence for each event worth telling, with
//! the scope it lies in ("In iteration 2 of `Each`: …"), the time it took and what Retry and Catch
//! did about a failure.

use super::{choice, clock, raw_state, seconds, Narration};
use crate::playground::inspect::{self, scopes, Visit};
use crate::testing::checks::show;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

pub(super) struct Teller<'a> {
    definition: &'a str,
    def: Value,
    events: &'a [Value],
    by_id: HashMap<i64, &'a Value>,
    names: Vec<Option<String>>,
    scope_of: Vec<Option<usize>>,
    scopes: Vec<scopes::Scope>,
    start_ms: i64,
    visits: RefCell<HashMap<i64, Option<Visit>>>,
    /// Event id → its visit's Entered id ([`super::visit_index`]).
    visit_of: HashMap<i64, i64>,
    /// A visit's work calls (Scheduled events), in order.
    calls: HashMap<i64, Vec<i64>>,
    /// The visits that handed out a task token.
    submitted: HashSet<i64>,
    /// A visit's Exited event (Map and Parallel visits excepted: their exits lie elsewhere).
    exits: HashMap<i64, i64>,
    /// A visit's failure events: (id, error).
    failures: HashMap<i64, Vec<(i64, String)>>,
    /// The variables assigned so far, as the teller walks the history (latest wins).
    variables: RefCell<HashMap<String, Value>>,
}

fn ty(e: &Value) -> &str {
    e["type"].as_str().unwrap_or("")
}

fn ms(e: &Value) -> i64 {
    (e["timestamp"].as_f64().unwrap_or(0.0) * 1000.0).round() as i64
}

/// The `…EventDetails` member of an event.
fn details(e: &Value) -> Map<String, Value> {
    e.as_object()
        .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .and_then(|(_, v)| v.as_object().cloned())
        .unwrap_or_default()
}

fn payload(d: &Map<String, Value>, key: &str) -> Option<Value> {
    d.get(key).map(|v| match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    })
}

fn error_text(d: &Map<String, Value>) -> String {
    let error = d.get("error").and_then(Value::as_str).unwrap_or("an error without a name");
    match d.get("cause").and_then(Value::as_str).filter(|c| !c.is_empty()) {
        Some(c) => format!("{error} ({})", clip(c, 120)),
        None => error.to_string(),
    }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

impl<'a> Teller<'a> {
    pub(super) fn new(definition: &'a str, events: &'a [Value]) -> Teller<'a> {
        let (scopes, scope_of) = scopes::scopes_of(events);
        let start_ms = events.iter().find(|e| ty(e) == "ExecutionStarted").map(ms).unwrap_or(0);
        let visit_of = super::visit_index(events);
        let (mut calls, mut submitted, mut exits, mut failures) = (HashMap::new(), HashSet::new(), HashMap::new(), HashMap::new());
        for e in events {
            let id = e["id"].as_i64().unwrap_or(0);
            let Some(&v) = visit_of.get(&id) else { continue };
            match ty(e) {
                "TaskScheduled" | "LambdaFunctionScheduled" | "ActivityScheduled" => calls.entry(v).or_insert_with(Vec::new).push(id),
                "TaskSubmitted" => {
                    submitted.insert(v);
                }
                "MapStateExited" | "ParallelStateExited" => {}
                t if t.ends_with("StateExited") => {
                    exits.insert(v, id);
                }
                t if is_work_failure(t) => {
                    let error = details(e).get("error").and_then(Value::as_str).unwrap_or("").to_string();
                    failures.entry(v).or_insert_with(Vec::new).push((id, error));
                }
                _ => {}
            }
        }
        Teller {
            definition,
            def: crate::asl::definition_json::parse(definition).unwrap_or(Value::Null),
            events,
            by_id: events.iter().filter_map(|e| Some((e["id"].as_i64()?, e))).collect(),
            names: scopes::state_names(events),
            scope_of,
            scopes,
            start_ms,
            visits: RefCell::new(HashMap::new()),
            visit_of,
            calls,
            submitted,
            exits,
            failures,
            variables: RefCell::new(HashMap::new()),
        }
    }

    pub(super) fn tell(&self) -> Vec<Narration> {
        let mut out = Vec::new();
        for (pos, e) in self.events.iter().enumerate() {
            let state = self.names.get(pos).cloned().flatten();
            let said = self.sentence(e, state.as_deref(), pos);
            self.assign(e);
            let Some(text) = said else { continue };
            let t = ty(e);
            let text = match self.scope(pos) {
                Some(s) if !t.starts_with("Execution") && !t.starts_with("MapIteration") => format!("In {} of `{}`: {text}", lower_first(&s.label), s.owner),
                _ => text,
            };
            out.push(Narration { event_id: e["id"].as_u64().unwrap_or(0), state, text });
        }
        out
    }

    /// Remembers the variables an event assigns (a state's Exited event).
    fn assign(&self, e: &Value) {
        if let Some(m) = e["stateExitedEventDetails"]["assignedVariables"].as_object() {
            let mut vars = self.variables.borrow_mut();
            for (k, v) in m {
                let v = v.as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_else(|| v.clone());
                vars.insert(k.clone(), v);
            }
        }
    }

    /// The Map iteration or Parallel branch the event at `pos` lies in.
    fn scope(&self, pos: usize) -> Option<&scopes::Scope> {
        self.scope_of.get(pos).copied().flatten().map(|s| &self.scopes[s])
    }

    /// What a failure or a Succeed state ends, where the event at `pos` lies: "the execution",
    /// "its iteration", "its branch".
    fn part(&self, pos: usize) -> &'static str {
        match self.scope(pos) {
            None => "the execution",
            Some(s) if s.label.starts_with("Iteration") => "its iteration",
            Some(_) => "its branch",
        }
    }

    fn visit(&self, entered: i64) -> Option<Visit> {
        self.visits
            .borrow_mut()
            .entry(entered)
            .or_insert_with(|| inspect::explain(self.definition, self.events, entered).ok())
            .clone()
    }

    fn raw(&self, state: &str) -> Option<&Map<String, Value>> {
        raw_state(&self.def, state)
    }

    fn at(&self, e: &Value) -> String {
        clock(ms(e) - self.start_ms)
    }

    /// The sentence for one event, None for the events not worth a sentence of their own.
    fn sentence(&self, e: &Value, state: Option<&str>, pos: usize) -> Option<String> {
        let t = ty(e);
        let d = details(e);
        let id = e["id"].as_i64().unwrap_or(0);
        let s = state.unwrap_or("");
        Some(match t {
            "ExecutionStarted" => format!("The execution starts with input {}.", show(&payload(&d, "input").unwrap_or(Value::Null))),
            "ExecutionSucceeded" => format!("The execution succeeds at {} with output {}.", self.at(e), show(&payload(&d, "output").unwrap_or(Value::Null))),
            "ExecutionFailed" => format!("The execution fails at {} with {}.", self.at(e), error_text(&d)),
            "ExecutionTimedOut" => format!("The execution times out at {} (its TimeoutSeconds).", self.at(e)),
            "ExecutionAborted" => format!("The execution is stopped at {}.", self.at(e)),
            "ChoiceStateEntered" => format!("{}.", choice::why_at(&self.def, self.definition, self.events, e, &self.variables.borrow())?.sentence()),
            "WaitStateEntered" => self.wait(e, s),
            "SucceedStateEntered" => format!("`{s}` ends {} successfully.", self.part(pos)),
            "FailStateEntered" => {
                let failure = self.visit(id).and_then(|v| v.failure).filter(|(e, c)| !e.is_empty() || !c.is_empty());
                match failure {
                    Some((err, cause)) if !cause.is_empty() => format!("`{s}` fails with {err} ({}).", clip(&cause, 120)),
                    Some((err, _)) => format!("`{s}` fails with {err}."),
                    None => format!("`{s}` fails."),
                }
            }
            t if t.ends_with("StateExited") => self.exited(e, &d, s)?,
            "TaskScheduled" => {
                let resource = format!("{}:{}", d.get("resourceType").and_then(Value::as_str).unwrap_or(""), d.get("resource").and_then(Value::as_str).unwrap_or(""));
                let params = payload(&d, "parameters").unwrap_or(Value::Null);
                let function = params.get("FunctionName").and_then(Value::as_str).map(|f| format!(" ({f})")).unwrap_or_default();
                format!("`{s}` calls {resource}{function}{} with {}.", self.again(id), show(&params))
            }
            "LambdaFunctionScheduled" => {
                let f = d.get("resource").and_then(Value::as_str).unwrap_or("").rsplit(':').next().unwrap_or("").to_string();
                format!("`{s}` calls the Lambda function {f}{} with {}.", self.again(id), show(&payload(&d, "input").unwrap_or(Value::Null)))
            }
            "ActivityScheduled" => {
                let a = d.get("resource").and_then(Value::as_str).unwrap_or("").rsplit(':').next().unwrap_or("").to_string();
                format!("`{s}` puts a task on the activity {a}{} and waits for a worker.", self.again(id))
            }
            "ActivityStarted" => format!("Worker {} takes `{s}`'s task.", d.get("workerName").and_then(Value::as_str).unwrap_or("(unnamed)")),
            "TaskSubmitted" => format!("`{s}` hands out its task token and waits for SendTaskSuccess or SendTaskFailure."),
            "TaskSucceeded" | "LambdaFunctionSucceeded" | "ActivitySucceeded" => {
                let output = show(&payload(&d, "output").unwrap_or(Value::Null));
                if t == "ActivitySucceeded" {
                    format!("`{s}`: the worker answers {output}.")
                } else if self.waited_for_token(id) {
                    format!("`{s}`: the callback answers {output}.")
                } else {
                    format!("`{s}` gets back {output}.")
                }
            }
            t if is_work_failure(t) => self.failure(id, &d, s, t, self.part(pos)),
            "EvaluationFailed" => format!("`{s}` cannot evaluate its fields: {}.", error_text(&d)),
            "ParallelStateStarted" => {
                let n = self.raw(s).and_then(|r| r.get("Branches")).and_then(Value::as_array).map_or(0, Vec::len);
                format!("`{s}` starts its {n} branches at once.")
            }
            "ParallelStateSucceeded" => format!("Every branch of `{s}` has finished."),
            "ParallelStateFailed" => format!("A branch of `{s}` failed, so `{s}` stops its other branches and fails."),
            "MapStateStarted" => {
                let n = d.get("length").and_then(Value::as_u64).unwrap_or(0);
                let most = self.raw(s).and_then(|r| r.get("MaxConcurrency")).and_then(Value::as_u64).filter(|m| *m > 0);
                let pace = match most {
                    Some(1) => ", one at a time".to_string(),
                    Some(m) if m < n => format!(", at most {m} at a time"),
                    _ => ", all at once".to_string(),
                };
                format!("`{s}` starts {n} iteration{}{pace}.", if n == 1 { "" } else { "s" })
            }
            "MapIterationFailed" => {
                let i = d.get("index").and_then(Value::as_u64).unwrap_or(0);
                format!("Iteration {i} of `{s}` failed.")
            }
            "MapStateSucceeded" => {
                let failed = self.events.iter().filter(|x| ty(x) == "MapIterationFailed" && self.owner_is(x, s)).count();
                match failed {
                    0 => format!("Every iteration of `{s}` has finished."),
                    n => format!("`{s}` has finished: {n} iteration{} failed, within its tolerated failures.", if n == 1 { "" } else { "s" }),
                }
            }
            "MapStateFailed" if d.contains_key("error") => format!("`{s}` fails with {}.", error_text(&d)),
            "MapStateFailed" => format!("`{s}` fails, because one of its iterations failed."),
            _ => return None,
        })
    }

    fn owner_is(&self, e: &Value, state: &str) -> bool {
        e["mapIterationFailedEventDetails"]["name"].as_str() == Some(state)
    }

    /// " again (attempt 2)" when this call is a retry of the visit's first one.
    fn again(&self, id: i64) -> String {
        let Some(entered) = self.visit_of.get(&id).copied() else { return String::new() };
        let n = self.calls_of(entered).iter().take_while(|c| **c <= id).count();
        if n > 1 {
            format!(" again (attempt {n})")
        } else {
            String::new()
        }
    }

    /// The ids of the Scheduled events of one visit.
    fn calls_of(&self, entered: i64) -> Vec<i64> {
        self.calls.get(&entered).cloned().unwrap_or_default()
    }

    fn waited_for_token(&self, id: i64) -> bool {
        let submitted = self.visit_of.get(&id).is_some_and(|v| self.submitted.contains(v));
        submitted || self.by_id.get(&id).is_some_and(|e| e["taskSucceededEventDetails"]["resource"].as_str().is_some_and(|r| r.ends_with(".waitForTaskToken")))
    }

    fn wait(&self, e: &Value, s: &str) -> String {
        let id = e["id"].as_i64().unwrap_or(0);
        let exit = self.exits.get(&id).and_then(|x| self.by_id.get(x)).copied();
        match exit {
            Some(x) => {
                let how = match self.raw(s) {
                    Some(r) if r.contains_key("Timestamp") || r.contains_key("TimestampPath") => " for its timestamp".to_string(),
                    Some(r) if r.contains_key("SecondsPath") => format!(" (its SecondsPath {})", r["SecondsPath"].as_str().unwrap_or("")),
                    _ => String::new(),
                };
                format!("`{s}` waits {}{how}, until {} on the virtual clock.", seconds(ms(x) - ms(e)), self.at(x))
            }
            None => format!("`{s}` starts waiting at {}.", self.at(e)),
        }
    }

    /// A state's exit: its output (and the variables it assigns), for the states whose work or
    /// decision has no sentence of its own; the Catch that sent a failed state on.
    fn exited(&self, e: &Value, d: &Map<String, Value>, s: &str) -> Option<String> {
        let t = ty(e);
        let output = payload(d, "output").unwrap_or(Value::Null);
        let assigned = d.get("assignedVariables").and_then(Value::as_object).filter(|m| !m.is_empty()).map(|m| {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("${k} = {}", v.as_str().unwrap_or(&v.to_string()))).collect();
            format!(" and sets {}", parts.join(", "))
        });
        let id = e["id"].as_i64().unwrap_or(0);
        let container = matches!(t, "MapStateExited" | "ParallelStateExited");
        let (input, failure) = if container {
            // Its events point into its iterations or branches: the inspector finds them.
            let entered = inspect::visits(self.events).into_iter().rev().find(|(i, n)| *i < id && n == s).map(|(i, _)| i);
            let visit = entered.and_then(|v| self.visit(v));
            (visit.as_ref().and_then(|v| v.input.clone()), visit.and_then(|v| v.failure).map(|(e, _)| e))
        } else {
            let entered = self.visit_of.get(&id).copied();
            let input = entered.and_then(|v| self.by_id.get(&v)).and_then(|x| payload(&details(x), "input"));
            let failure = entered.and_then(|v| self.failures.get(&v)).and_then(|f| f.last()).map(|(_, e)| e.clone());
            (input, failure)
        };
        if let Some(err) = failure {
            // Caught: the next state's Entered event follows this Exited event.
            let next = self.events.iter().find(|x| x["previousEventId"].as_i64() == Some(id) && ty(x).ends_with("StateEntered"));
            let to = next.and_then(|x| x["stateEnteredEventDetails"]["name"].as_str()).map(|n| format!(" to `{n}`")).unwrap_or_default();
            let err = if err.is_empty() { "the error".to_string() } else { err };
            return Some(format!("`{s}`'s Catch takes {err} and sends {}{to}{}.", show(&output), assigned.unwrap_or_default()));
        }
        match t {
            "ChoiceStateExited" | "WaitStateExited" | "SucceedStateExited" | "FailStateExited" => assigned.map(|a| format!("`{s}`{}.", a.trim_start_matches(" and"))),
            "PassStateExited" => {
                let what = if input.as_ref() == Some(&output) { "passes its input on unchanged".to_string() } else { format!("outputs {}", show(&output)) };
                Some(format!("`{s}` {what}{}.", assigned.unwrap_or_default()))
            }
            _ => Some(format!("`{s}` outputs {}{}.", show(&output), assigned.unwrap_or_default())),
        }
    }

    /// A failed call and what happens next: Retry (how long, which attempt), Catch, or neither.
    fn failure(&self, id: i64, d: &Map<String, Value>, s: &str, t: &str, part: &str) -> String {
        let what = if t.ends_with("TimedOut") { format!("timed out ({})", error_text(d)) } else { format!("failed with {}", error_text(d)) };
        let Some(entered) = self.visit_of.get(&id).copied() else { return format!("`{s}` {what}.") };
        let calls = self.calls_of(entered);
        let attempt = calls.iter().take_while(|c| **c < id).count();
        let retried = calls.iter().any(|c| *c > id);
        let raw_retry = self.raw(s).and_then(|r| r.get("Retry")).and_then(Value::as_array).cloned().unwrap_or_default();
        if retried {
            let visit = self.visit(entered);
            let retry = visit.as_ref().and_then(|v| v.retries.get(attempt.saturating_sub(1)).cloned());
            let delay = retry.as_ref().and_then(|r| r.observed_delay.or(r.computed_delay.map(|(a, _)| a)));
            let max = retry.as_ref().and_then(|r| r.retrier).and_then(|i| raw_retry.get(i)).map(|r| r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3));
            let wait = delay.map(|s| format!("waits {} and ", seconds((s * 1000.0).round() as i64))).unwrap_or_default();
            let of = max.map(|m| format!(" of {}", m + 1)).unwrap_or_default();
            return format!("`{s}` {what}; its Retry {wait}tries again (attempt {}{of}).", attempt + 1);
        }
        let exited = self.exits.get(&entered).filter(|x| **x > id);
        let retry_note = if raw_retry.is_empty() {
            String::new()
        } else if attempt > 1 {
            " and its Retry has no attempts left".to_string()
        } else {
            " (no Retrier matches it)".to_string()
        };
        match exited {
            Some(_) => format!("`{s}` {what}{retry_note}."),
            None => format!("`{s}` {what}{retry_note}; nothing catches it, so {part} fails."),
        }
    }
}

/// "Branch 1 (Fast)" → "branch 1 (Fast)".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

fn is_work_failure(t: &str) -> bool {
    matches!(
        t,
        "TaskFailed" | "TaskTimedOut" | "TaskStartFailed" | "TaskSubmitFailed" | "LambdaFunctionFailed" | "LambdaFunctionTimedOut" | "LambdaFunctionStartFailed" | "LambdaFunctionScheduleFailed" | "ActivityFailed" | "ActivityTimedOut" | "ActivityScheduleFailed"
    )
}
