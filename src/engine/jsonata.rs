//! JSONata states: their fields are `{% ... %}` expressions over `$states` (input, result,
//! errorOutput, context) and the workflow variables. Data flow: state input → Arguments → work →
//! Output and Assign (both see `$states.result` and the variables as they were before the state).
//! A failed expression is States.QueryEvaluationError, written as an EvaluationFailed event.

use super::clock::TimerKind;
use super::context::ContextExtra;
use super::execution::Assigned;
use super::execution::{Execution, Phase};
use super::history::Details;
use super::states::Outcome;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{Catcher, Kind, State};
use crate::asl::query::{self, QueryEnv, QueryError};
use crate::asl::template::compact;
use crate::asl::timestamp;
use rand_chacha::rand_core::RngCore;
use serde_json::{Map, Value};
use std::sync::Arc;

/// What `$states` holds for one evaluation.
pub(crate) struct StatesVar {
    pub input: Arc<Value>,
    pub result: Option<Arc<Value>>,
    pub error_output: Option<Arc<Value>>,
    pub extra: ContextExtra,
}

impl StatesVar {
    pub fn input(input: &Arc<Value>) -> StatesVar {
        StatesVar {
            input: input.clone(),
            result: None,
            error_output: None,
            extra: ContextExtra::default(),
        }
    }
}

/// JSONata's name for a value's type, as AWS prints it in its causes.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The end of AWS's cause for an evaluator error: `. CODE: message`, or `: message` without a code.
fn error_tail(e: &QueryError) -> String {
    match &e.code {
        Some(c) => format!(". {c}: {}", e.message),
        None => format!(": {}", e.message),
    }
}

impl Execution {
    /// `$states` for an evaluation in frame `fid`.
    fn states_object(&mut self, fid: usize, sv: &StatesVar) -> Value {
        let context = self.with_scope(fid, &sv.input, &sv.extra, |s| {
            crate::asl::template::Scope::context(s)
        });
        let mut m = Map::new();
        m.insert("input".into(), (*sv.input).clone());
        m.insert("context".into(), context);
        if let Some(r) = &sv.result {
            m.insert("result".into(), (**r).clone());
        }
        if let Some(e) = &sv.error_output {
            m.insert("errorOutput".into(), (**e).clone());
        }
        Value::Object(m)
    }

    /// A failed JSONata evaluation: writes EvaluationFailed (pointing where the state's Entered
    /// event points, recorded) and returns States.QueryEvaluationError with the state's prefix.
    pub(crate) fn query_failure(&mut self, fid: usize, location: Option<&str>, cause: String) -> Failure {
        self.query_failure_after(fid, location, cause, false)
    }

    /// `after_entered`: the failure points at the state's Entered event itself (recorded for a
    /// Wait's Timestamp that does not parse).
    pub(crate) fn query_failure_after(&mut self, fid: usize, location: Option<&str>, cause: String, after_entered: bool) -> Failure {
        let cause = format!("{}{cause}", self.runtime_prefix(fid));
        let f = &self.frames[fid];
        let state = f.machine.states[f.state].name.clone();
        let entered = f.entered_event;
        let prev = if after_entered {
            entered
        } else if entered >= 1 {
            self.history.get(entered as usize - 1).map(|e| e.previous).unwrap_or(0)
        } else {
            f.last_event
        };
        let d = Details::EvaluationFailed {
            state,
            error: errors::QUERY_EVALUATION_ERROR.into(),
            cause: cause.clone(),
            location: location.map(str::to_string),
        };
        let id = self.emit_for(fid, prev, "EvaluationFailed", d);
        self.frames[fid].last_event = id;
        Failure::new(errors::QUERY_EVALUATION_ERROR, cause)
    }

    /// Evaluates one expression written in `field`.
    pub(crate) fn jsonata_expr(&mut self, fid: usize, expr: &str, field: &str, sv: &StatesVar) -> Result<Option<Value>, Failure> {
        let states = self.states_object(fid, sv);
        let now = self.clock.now();
        let result = {
            let Execution { frames, rng, .. } = self;
            let frames = &*frames;
            let lookup = |name: &str| -> Option<Value> {
                if name == "states" {
                    return Some(states.clone());
                }
                super::execution::lookup_variable(frames, fid, name)
            };
            let mut random = || rng.next_u64();
            let mut env = QueryEnv {
                bindings: &lookup,
                now_ms: now,
                random: &mut random,
            };
            query::evaluate(expr, &mut env)
        };
        result.map_err(|e| {
            if e.code.as_deref() == Some("S0500") {
                let cause = format!("The JSONata expression '{expr}' specified for the field '{field}' returned an unsupported result type.");
                return self.query_failure(fid, Some(field), cause);
            }
            let cause = format!(
                "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation{}",
                error_tail(&e)
            );
            self.query_failure(fid, Some(field), cause)
        })
    }

    /// A JSON value with expressions in it: `{% %}` strings are evaluated (undefined is an error),
    /// objects and arrays are walked, everything else is itself.
    pub(crate) fn jsonata_value(&mut self, fid: usize, v: &Value, field: &str, sv: &StatesVar) -> Result<Value, Failure> {
        match v {
            Value::String(s) => match query::expression(s) {
                None => Ok(v.clone()),
                Some(e) => match self.jsonata_expr(fid, e, field, sv)? {
                    Some(x) => Ok(x),
                    None => Err(self.query_failure(
                        fid,
                        Some(field),
                        format!("The JSONata expression '{e}' specified for the field '{field}' returned nothing (undefined)."),
                    )),
                },
            },
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    out.insert(k.clone(), self.jsonata_value(fid, x, &format!("{field}/{k}"), sv)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, x) in a.iter().enumerate() {
                    out.push(self.jsonata_value(fid, x, &format!("{field}[{i}]"), sv)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// An optional field of a JSONata object, evaluated; `default` when absent.
    fn jsonata_field(&mut self, fid: usize, obj: &Value, key: &str, field: &str, sv: &StatesVar, default: &Arc<Value>) -> Result<Arc<Value>, Failure> {
        match obj.get(key) {
            None => Ok(default.clone()),
            Some(v) => self.jsonata_value(fid, v, field, sv).map(Arc::new),
        }
    }

    /// An Assign block: every value sees the variables as they were before the state.
    fn jsonata_assign(&mut self, fid: usize, obj: &Value, field: &str, sv: &StatesVar) -> Result<Option<Vec<(String, Value)>>, Failure> {
        let Some(Value::Object(m)) = obj.get("Assign") else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(m.len());
        for (k, v) in m {
            out.push((k.clone(), self.jsonata_value(fid, v, &format!("{field}/{k}"), sv)?));
        }
        Ok(Some(out))
    }

    /// A Task's or Parallel's input: Arguments, or the state input.
    pub(crate) fn jsonata_arguments(&mut self, fid: usize, st: &State, input: &Arc<Value>, extra: &ContextExtra) -> Result<Arc<Value>, Failure> {
        let raw = st.raw.clone().unwrap_or_default();
        let sv = StatesVar {
            input: input.clone(),
            result: None,
            error_output: None,
            extra: extra.clone(),
        };
        self.jsonata_field(fid, &raw, "Arguments", "Arguments", &sv, input)
    }

    /// A JSONata Task's TimeoutSeconds and HeartbeatSeconds: numbers or expressions giving
    /// positive integers.
    pub(crate) fn jsonata_task_seconds(&mut self, fid: usize, st: &State, input: &Arc<Value>) -> Result<(Option<u64>, Option<u64>), Failure> {
        let raw = st.raw.clone().unwrap_or_default();
        let sv = StatesVar::input(input);
        let mut read = |key: &str| -> Result<Option<u64>, Failure> {
            let Some(v) = raw.get(key) else { return Ok(None) };
            match self.jsonata_value(fid, v, key, &sv)? {
                Value::Number(n) if n.as_u64().is_some_and(|x| x > 0) => Ok(n.as_u64()),
                other => Err(self.query_failure(
                    fid,
                    Some(key),
                    format!("The {key} field must be a positive integer, but was: {}", compact(&other)),
                )),
            }
        };
        let timeout = read("TimeoutSeconds")?;
        let heartbeat = read("HeartbeatSeconds")?;
        Ok((timeout, heartbeat))
    }

    /// Output and Assign over a Task's, Parallel's or Map's result.
    pub(crate) fn jsonata_result(&mut self, fid: usize, st: &State, input: &Arc<Value>, result: Arc<Value>, extra: &ContextExtra) -> Result<(Arc<Value>, Assigned), Failure> {
        let raw = st.raw.clone().unwrap_or_default();
        let sv = StatesVar {
            input: input.clone(),
            result: Some(result.clone()),
            error_output: None,
            extra: extra.clone(),
        };
        let assigned = self.jsonata_assign(fid, &raw, "Assign", &sv)?;
        let output = self.jsonata_field(fid, &raw, "Output", "Output", &sv, &result)?;
        Ok((output, assigned))
    }

    /// A Map's items: its Items field, or the state input, which must be an array.
    pub(crate) fn jsonata_items(&mut self, fid: usize, st: &State, input: &Arc<Value>) -> Result<Vec<Value>, Failure> {
        let raw = st.raw.clone().unwrap_or_default();
        let sv = StatesVar::input(input);
        match raw.get("Items") {
            None => match &**input {
                Value::Array(a) => Ok(a.clone()),
                other => Err(self.query_failure(fid, None, format!("Map state input must be an array but was: {}", compact(other)))),
            },
            Some(v) => {
                let expr = v.as_str().and_then(query::expression).unwrap_or_default().to_string();
                let items = self.jsonata_value(fid, v, "Items", &sv)?;
                match items {
                    Value::Array(a) => Ok(a),
                    other => Err(self.query_failure(
                        fid,
                        Some("Items"),
                        format!(
                            "The JSONata expression '{expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
                            type_name(&other),
                            compact(&other)
                        ),
                    )),
                }
            }
        }
    }

    /// A Map iteration's input: ItemSelector over `$states.context.Map.Item`, or the item.
    pub(crate) fn jsonata_item_selector(&mut self, fid: usize, st: &State, input: &Arc<Value>, index: usize, item: &Value) -> Result<Arc<Value>, Failure> {
        let raw = st.raw.clone().unwrap_or_default();
        let Some(sel) = raw.get("ItemSelector") else {
            return Ok(Arc::new(item.clone()));
        };
        let sv = StatesVar {
            input: input.clone(),
            result: None,
            error_output: None,
            extra: ContextExtra {
                map_item: Some((index, item.clone())),
                ..Default::default()
            },
        };
        self.jsonata_value(fid, sel, "ItemSelector", &sv).map(Arc::new)
    }

    /// A JSONata catcher: Output (default: the error output) and Assign over `$states.errorOutput`.
    pub(crate) fn jsonata_catch(&mut self, fid: usize, index: usize, c: &Catcher, error_output: Arc<Value>) -> Result<(Arc<Value>, Assigned), Failure> {
        let raw = c.raw.clone().unwrap_or_default();
        let input = self.frames[fid].input.clone();
        let sv = StatesVar {
            input,
            result: None,
            error_output: Some(error_output.clone()),
            extra: ContextExtra::default(),
        };
        let assigned = self.jsonata_assign(fid, &raw, &format!("Catch[{index}]/Assign"), &sv)?;
        let output = self.jsonata_field(fid, &raw, "Output", &format!("Catch[{index}]/Output"), &sv, &error_output)?;
        Ok((output, assigned))
    }

    /// Pass, Succeed, Fail, Wait and Choice in JSONata; Task, Parallel and Map start as in JSONPath
    /// and reach the hooks above.
    pub(crate) fn enter_jsonata(&mut self, fid: usize, st: &State, input: &Arc<Value>) -> Option<Outcome> {
        let raw = st.raw.clone().unwrap_or_default();
        let sv = StatesVar::input(input);
        let outcome = match &st.kind {
            Kind::Pass { .. } | Kind::Succeed => {
                let r = self
                    .jsonata_assign(fid, &raw, "Assign", &sv)
                    .and_then(|a| Ok((a, self.jsonata_field(fid, &raw, "Output", "Output", &sv, input)?)));
                match r {
                    Ok((assigned, output)) => Outcome::Exit {
                        output,
                        assigned,
                        next: st.next,
                    },
                    Err(f) => Outcome::Failed(f),
                }
            }
            Kind::Fail { .. } => {
                let mut text = |key: &str| -> Result<Option<String>, Failure> {
                    match raw.get(key) {
                        None => Ok(None),
                        Some(v) => Ok(Some(match self.jsonata_value(fid, v, key, &sv)? {
                            Value::String(s) => s,
                            other => compact(&other),
                        })),
                    }
                };
                let r = text("Error").and_then(|e| Ok((e, text("Cause")?)));
                match r {
                    Ok((error, cause)) => {
                        self.frame_failed(fid, Failure { error, cause, heartbeat: false });
                        Outcome::Blocked
                    }
                    Err(f) => Outcome::Failed(f),
                }
            }
            Kind::Wait(_) => self.jsonata_wait(fid, st, &raw, input, &sv),
            Kind::Choice { choices, default } => {
                let mut chosen = None;
                for (i, c) in choices.iter().enumerate() {
                    let rule = c.raw.clone().unwrap_or_default();
                    let field = format!("Choices[{i}]/Condition");
                    let cond = rule.get("Condition").cloned().unwrap_or(Value::Bool(false));
                    let v = match self.jsonata_value(fid, &cond, &field, &sv) {
                        Ok(v) => v,
                        Err(f) => return Some(Outcome::Failed(f)),
                    };
                    match v {
                        Value::Bool(true) => {
                            chosen = Some((i, c.next, rule));
                            break;
                        }
                        Value::Bool(false) => {}
                        other => {
                            let expr = cond.as_str().and_then(query::expression).unwrap_or_default().to_string();
                            let f = self.query_failure(
                                fid,
                                Some(&field),
                                format!(
                                    "The JSONata expression '{expr}' specified for the field '{field}' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                                    type_name(&other),
                                    compact(&other)
                                ),
                            );
                            return Some(Outcome::Failed(f));
                        }
                    }
                }
                let r = match chosen {
                    Some((i, next, rule)) => {
                        let assign_field = format!("Choices[{i}]/Assign");
                        let assigned = match rule.get("Assign") {
                            Some(_) => self.jsonata_assign(fid, &rule, &assign_field, &sv),
                            None => self.jsonata_assign(fid, &raw, "Assign", &sv),
                        };
                        assigned.and_then(|a| {
                            let output = match rule.get("Output") {
                                Some(_) => self.jsonata_field(fid, &rule, "Output", &format!("Choices[{i}]/Output"), &sv, input)?,
                                None => self.jsonata_field(fid, &raw, "Output", "Output", &sv, input)?,
                            };
                            Ok((a, output, next))
                        })
                    }
                    None => match default {
                        Some(d) => self
                            .jsonata_assign(fid, &raw, "Assign", &sv)
                            .and_then(|a| Ok((a, self.jsonata_field(fid, &raw, "Output", "Output", &sv, input)?, *d))),
                        None => Err(Failure::new(
                            errors::NO_CHOICE_MATCHED,
                            format!("{}No Choice Rules matched and no Default was specified.", self.runtime_prefix(fid)),
                        )),
                    },
                };
                match r {
                    Ok((assigned, output, next)) => Outcome::Exit {
                        output,
                        assigned,
                        next: Some(next),
                    },
                    Err(f) => Outcome::Failed(f),
                }
            }
            Kind::Task(_) | Kind::Parallel { .. } | Kind::Map(_) => return None,
        };
        Some(outcome)
    }

    fn jsonata_wait(&mut self, fid: usize, st: &State, raw: &Value, input: &Arc<Value>, sv: &StatesVar) -> Outcome {
        let now = self.clock.now();
        let delay_ms = if let Some(v) = raw.get("Seconds") {
            match self.jsonata_value(fid, v, "Seconds", sv) {
                Ok(Value::Number(n)) if n.as_i64().is_some_and(|s| s >= 0) => n.as_i64().unwrap_or(0).saturating_mul(1000),
                Ok(other) => {
                    let f = self.query_failure(
                        fid,
                        Some("Seconds"),
                        format!("The Seconds field must be a non-negative integer, but was: {}", compact(&other)),
                    );
                    return Outcome::Failed(f);
                }
                Err(f) => return Outcome::Failed(f),
            }
        } else if let Some(v) = raw.get("Timestamp") {
            let text = match self.jsonata_value(fid, v, "Timestamp", sv) {
                Ok(Value::String(s)) => s,
                Ok(other) => compact(&other),
                Err(f) => return Outcome::Failed(f),
            };
            match timestamp::parse(&text) {
                Some(ts) => (timestamp::to_millis(&ts) - now).max(0),
                None => {
                    let f = self.query_failure_after(
                        fid,
                        Some("Timestamp"),
                        format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                        true,
                    );
                    return Outcome::Failed(f);
                }
            }
        } else {
            0
        };
        let r = self
            .jsonata_assign(fid, raw, "Assign", sv)
            .and_then(|a| Ok((a, self.jsonata_field(fid, raw, "Output", "Output", sv, input)?)));
        let (assigned, output) = match r {
            Ok(x) => x,
            Err(f) => return Outcome::Failed(f),
        };
        let _ = st;
        let f = &mut self.frames[fid];
        f.phase = Phase::Blocked;
        f.effective = Some(output);
        f.pending_assign = assigned;
        let epoch = f.epoch;
        self.clock.schedule(now + delay_ms, TimerKind::WaitEnded { frame: fid, epoch });
        Outcome::Blocked
    }
}
