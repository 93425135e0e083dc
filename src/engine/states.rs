//! Entering and leaving states: Pass, Choice, Wait, Succeed and Fail here; Task in tasks.rs,
//! Parallel and Map in branches.rs.

use super::clock::TimerKind;
use super::context::ContextExtra;
use super::dataflow::too_large;
use super::execution::{Execution, Phase, Status};
use super::history::Details;
use crate::asl::choice;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{FailField, Kind, State, Wait};
use crate::asl::path::Path;
use crate::asl::template::{self, compact};
use crate::asl::timestamp;
use serde_json::Value;
use std::sync::Arc;

/// Longest Wait AWS accepts: delays of 2^31 seconds or more fail ("Wait state delay is too long.").
const MAX_WAIT_SECONDS: i64 = (1 << 31) - 1;

pub(crate) fn entered_kind(k: &Kind) -> &'static str {
    match k {
        Kind::Pass { .. } => "PassStateEntered",
        Kind::Task(_) => "TaskStateEntered",
        Kind::Choice { .. } => "ChoiceStateEntered",
        Kind::Wait(_) => "WaitStateEntered",
        Kind::Succeed => "SucceedStateEntered",
        Kind::Fail { .. } => "FailStateEntered",
        Kind::Parallel { .. } => "ParallelStateEntered",
        Kind::Map(_) => "MapStateEntered",
    }
}

pub(crate) fn exited_kind(k: &Kind) -> &'static str {
    match k {
        Kind::Pass { .. } => "PassStateExited",
        Kind::Task(_) => "TaskStateExited",
        Kind::Choice { .. } => "ChoiceStateExited",
        Kind::Wait(_) => "WaitStateExited",
        Kind::Succeed => "SucceedStateExited",
        Kind::Fail { .. } => "FailStateExited",
        Kind::Parallel { .. } => "ParallelStateExited",
        Kind::Map(_) => "MapStateExited",
    }
}

/// What a state's work came to.
pub(crate) enum Outcome {
    Exit {
        output: Arc<Value>,
        assigned: Option<Vec<(String, Value)>>,
        next: Option<usize>,
    },
    Blocked,
    Failed(Failure),
}

impl Execution {
    pub(crate) fn enter_state(&mut self, fid: usize) {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let input = self.frames[fid].input.clone();
        let id = self.emit_in(
            fid,
            entered_kind(&st.kind),
            Details::StateEntered {
                name: st.name.clone(),
                input: input.clone(),
            },
        );
        if self.status != Status::Running {
            return;
        }
        let now = self.clock.now();
        let f = &mut self.frames[fid];
        f.entered_event = id;
        f.entered_time = now;
        f.retry_counts = vec![0; st.retry.len()];
        f.retry_count = 0;
        f.epoch += 1;
        f.effective = None;
        if st.jsonata {
            if let Some(outcome) = self.enter_jsonata(fid, st, &input) {
                return self.apply_outcome(fid, outcome);
            }
        }
        let outcome = match &st.kind {
            Kind::Pass { result } => self.run_pass(fid, st, &input, result.as_ref()),
            Kind::Choice { choices, default } => {
                self.run_choice(fid, st, &input, choices, *default)
            }
            Kind::Wait(w) => self.run_wait(fid, st, &input, w),
            Kind::Succeed => {
                let extra = ContextExtra::default();
                match self
                    .effective_input(fid, st, &input, &extra)
                    .and_then(|eff| self.apply_path(fid, &st.output_path, &eff, &extra))
                {
                    Ok(output) => Outcome::Exit {
                        output,
                        assigned: None,
                        next: None,
                    },
                    Err(f) => Outcome::Failed(f),
                }
            }
            Kind::Fail { error, cause } => {
                self.run_fail(fid, &input, error.as_ref(), cause.as_ref())
            }
            Kind::Task(_) => self.start_task(fid),
            Kind::Parallel { .. } => self.start_parallel(fid),
            Kind::Map(_) => self.start_map(fid),
        };
        self.apply_outcome(fid, outcome);
    }

    pub(crate) fn apply_outcome(&mut self, fid: usize, outcome: Outcome) {
        match outcome {
            Outcome::Exit {
                output,
                assigned,
                next,
            } => {
                self.frames[fid].phase = Phase::Exit {
                    output,
                    assigned,
                    next,
                };
            }
            Outcome::Blocked => {
                self.frames[fid].phase = Phase::Blocked;
                self.runnable.retain(|&f| f != fid);
            }
            Outcome::Failed(f) => self.state_failed(fid, f),
        }
    }

    pub(crate) fn exit_state(
        &mut self,
        fid: usize,
        output: Arc<Value>,
        assigned: Option<Vec<(String, Value)>>,
        next: Option<usize>,
    ) {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let details = Details::StateExited {
            name: st.name.clone(),
            output: output.clone(),
            assigned: assigned.clone(),
        };
        self.emit_in(fid, exited_kind(&st.kind), details);
        if self.status != Status::Running {
            return;
        }
        let f = &mut self.frames[fid];
        if let Some(vars) = assigned {
            for (k, v) in vars {
                f.vars.insert(k, v);
            }
        }
        f.epoch += 1;
        match next {
            Some(n) => {
                f.state = n;
                f.input = output;
                f.phase = Phase::Enter;
            }
            None => {
                f.phase = Phase::Done;
                self.frame_succeeded(fid, output);
            }
        }
    }

    /// The frame ended well: the execution succeeds, or the parent Parallel/Map collects the output.
    pub(crate) fn frame_succeeded(&mut self, fid: usize, output: Arc<Value>) {
        self.frames[fid].phase = Phase::Done;
        self.runnable.retain(|&f| f != fid);
        match self.frames[fid].parent {
            None => {
                self.emit_in(
                    fid,
                    "ExecutionSucceeded",
                    Details::Output {
                        output: output.clone(),
                    },
                );
                self.finish(Status::Succeeded, Some(output), None);
            }
            Some((parent, slot)) => self.child_succeeded(parent, slot, fid, output),
        }
    }

    /// The frame failed with nobody in it to handle the failure.
    pub(crate) fn frame_failed(&mut self, fid: usize, failure: Failure) {
        self.frames[fid].phase = Phase::Done;
        self.frames[fid].epoch += 1;
        self.runnable.retain(|&f| f != fid);
        match self.frames[fid].parent {
            None => {
                let d = Details::ErrorCause {
                    error: failure.error.clone(),
                    cause: failure.cause.clone(),
                };
                self.emit_in(fid, "ExecutionFailed", d);
                self.finish(Status::Failed, None, Some(failure));
            }
            Some((parent, slot)) => self.child_failed(parent, slot, fid, failure),
        }
    }

    fn run_pass(
        &mut self,
        fid: usize,
        st: &State,
        raw: &Arc<Value>,
        result: Option<&Value>,
    ) -> Outcome {
        let extra = ContextExtra::default();
        let r = (|| {
            let effective = self.effective_input(fid, st, raw, &extra)?;
            let result = match result {
                Some(r) => Arc::new(r.clone()),
                None => effective,
            };
            let assigned = match &st.assign {
                Some(t) => Some(self.eval_assign(fid, t, &result, &extra)?),
                None => None,
            };
            let combined = self.apply_result_path(fid, &st.result_path, raw, result)?;
            let output = self.apply_path(fid, &st.output_path, &combined, &extra)?;
            if too_large(&output) {
                return Err(Failure::new(
                    errors::DATA_LIMIT_EXCEEDED,
                    format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", st.name),
                ));
            }
            Ok((output, assigned))
        })();
        match r {
            Ok((output, assigned)) => Outcome::Exit {
                output,
                assigned,
                next: st.next,
            },
            Err(f) => Outcome::Failed(f),
        }
    }

    fn run_choice(
        &mut self,
        fid: usize,
        st: &State,
        raw: &Arc<Value>,
        choices: &[crate::asl::model::ChoiceBranch],
        default: Option<usize>,
    ) -> Outcome {
        let extra = ContextExtra::default();
        let effective = match self.apply_path(fid, &st.input_path, raw, &extra) {
            Ok(v) => v,
            Err(f) => return Outcome::Failed(f),
        };
        let mut chosen: Option<(usize, Option<&crate::asl::template::Template>)> = None;
        for c in choices {
            let r = self.with_scope(fid, &effective, &extra, |s| {
                let mut env = ChoiceScope { scope: s };
                c.rule.eval(&mut env)
            });
            match r {
                Ok(true) => {
                    chosen = Some((c.next, c.assign.as_ref()));
                    break;
                }
                Ok(false) => {}
                Err(cause) => return Outcome::Failed(self.runtime_failure(fid, cause)),
            }
        }
        let (next, assign) = match chosen {
            Some(c) => c,
            None => match default {
                Some(d) => (d, st.assign.as_ref()),
                None => {
                    return Outcome::Failed(Failure::new(
                        errors::NO_CHOICE_MATCHED,
                        format!(
                            "{}No Choice Rules matched and no Default was specified.",
                            self.runtime_prefix(fid)
                        ),
                    ))
                }
            },
        };
        let assigned = match assign {
            Some(t) => match self.eval_assign(fid, t, &effective, &extra) {
                Ok(a) => Some(a),
                Err(f) => return Outcome::Failed(f),
            },
            None => None,
        };
        match self.apply_path(fid, &st.output_path, &effective, &extra) {
            Ok(output) => Outcome::Exit {
                output,
                assigned,
                next: Some(next),
            },
            Err(f) => Outcome::Failed(f),
        }
    }

    fn run_wait(&mut self, fid: usize, st: &State, raw: &Arc<Value>, w: &Wait) -> Outcome {
        let extra = ContextExtra::default();
        let effective = match self.apply_path(fid, &st.input_path, raw, &extra) {
            Ok(v) => v,
            Err(f) => return Outcome::Failed(f),
        };
        let now = self.clock.now();
        let delay_ms: i64 = match w {
            Wait::Seconds(s) => (*s as i64).saturating_mul(1000),
            Wait::Timestamp(t) => match timestamp::parse(t) {
                Some(ts) => (timestamp::to_millis(&ts) - now).max(0),
                None => return Outcome::Failed(self.runtime_failure(fid, format!("The Timestamp parameter is not a valid timestamp: {t}"))),
            },
            Wait::SecondsPath(p) => match self.resolve_wait_path(fid, p, &effective) {
                None => {
                    return Outcome::Failed(self.runtime_failure(fid, format!("The SecondsPath parameter does not reference an input value: {}", p.text())))
                }
                Some(v) => match long_value(&v) {
                    Some(n) if n < 0 => {
                        return Outcome::Failed(self.runtime_failure(
                            fid,
                            format!("The SecondsPath parameter references a negative value: {} == {}", p.text(), plain(&v)),
                        ))
                    }
                    Some(n) => n.saturating_mul(1000),
                    None => {
                        return Outcome::Failed(self.runtime_failure(
                            fid,
                            format!("The SecondsPath parameter cannot be parsed as a long value: {} == {}", p.text(), plain(&v)),
                        ))
                    }
                },
            },
            Wait::TimestampPath(p) => match self.resolve_wait_path(fid, p, &effective) {
                None => {
                    return Outcome::Failed(self.runtime_failure(fid, format!("The TimestampPath parameter does not reference an input value: {}", p.text())))
                }
                Some(v) => match v.as_str().and_then(timestamp::parse) {
                    Some(ts) => (timestamp::to_millis(&ts) - now).max(0),
                    None => {
                        return Outcome::Failed(self.runtime_failure(
                            fid,
                            format!(
                                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                                p.text(),
                                plain(&v)
                            ),
                        ))
                    }
                },
            },
        };
        if delay_ms / 1000 > MAX_WAIT_SECONDS {
            return Outcome::Failed(self.runtime_failure(fid, "Wait state delay is too long."));
        }
        let assigned = match &st.assign {
            Some(t) => match self.eval_assign(fid, t, &effective, &extra) {
                Ok(a) => Some(a),
                Err(f) => return Outcome::Failed(f),
            },
            None => None,
        };
        let output = match self.apply_path(fid, &st.output_path, &effective, &extra) {
            Ok(o) => o,
            Err(f) => return Outcome::Failed(f),
        };
        let f = &mut self.frames[fid];
        f.phase = Phase::Blocked;
        f.effective = Some(output);
        f.pending_assign = assigned;
        let epoch = f.epoch;
        self.clock
            .schedule(now + delay_ms, TimerKind::WaitEnded { frame: fid, epoch });
        Outcome::Blocked
    }

    fn resolve_wait_path(&mut self, fid: usize, p: &Path, effective: &Arc<Value>) -> Option<Value> {
        let extra = ContextExtra::default();
        self.with_scope(fid, effective, &extra, |s| template::select(p, s).ok())
    }

    pub(crate) fn wait_ended(&mut self, fid: usize) {
        let f = &mut self.frames[fid];
        let output = f.effective.take().unwrap_or_else(|| f.input.clone());
        let assigned = f.pending_assign.take();
        let next = f.machine.states[f.state].next;
        f.phase = Phase::Exit {
            output,
            assigned,
            next,
        };
        self.run_next(fid);
    }

    fn run_fail(
        &mut self,
        fid: usize,
        raw: &Arc<Value>,
        error: Option<&FailField>,
        cause: Option<&FailField>,
    ) -> Outcome {
        let error = match self.fail_field(fid, raw, error, "ErrorPath") {
            Ok(e) => e,
            Err(f) => return Outcome::Failed(f),
        };
        let cause = match self.fail_field(fid, raw, cause, "CausePath") {
            Ok(c) => c,
            Err(f) => return Outcome::Failed(f),
        };
        // A Fail state has no Retry or Catch: its error goes straight up.
        self.frame_failed(
            fid,
            Failure {
                error,
                cause,
                heartbeat: false,
            },
        );
        Outcome::Blocked
    }

    fn fail_field(
        &mut self,
        fid: usize,
        raw: &Arc<Value>,
        field: Option<&FailField>,
        name: &str,
    ) -> Result<Option<String>, Failure> {
        let extra = ContextExtra::default();
        let v = match field {
            None => return Ok(None),
            Some(FailField::Literal(s)) => return Ok(Some(s.clone())),
            Some(FailField::Path(p)) => {
                self.with_scope(fid, raw, &extra, |s| template::select_for_field(p, name, s))
            }
            Some(FailField::Call(c)) => {
                let t = crate::asl::template::Template::Call {
                    field: name.to_string(),
                    call: c.clone(),
                };
                self.with_scope(fid, raw, &extra, |s| t.eval(s))
            }
        };
        match v {
            Ok(Value::String(s)) => Ok(Some(s)),
            Ok(other) => Ok(Some(compact(&other))),
            Err(e) => Err(self.eval_failure(fid, e)),
        }
    }
}

/// A JSON number that is a whole number fitting a Java long.
fn long_value(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| u.min(i64::MAX as u64) as i64)),
        _ => None,
    }
}

/// A value as AWS prints it after `==`: strings bare, everything else as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

/// Choice rules resolve path texts through the state's scope.
struct ChoiceScope<'a, 'b> {
    scope: &'a mut super::context::FrameScope<'b>,
}

impl choice::Env for ChoiceScope<'_, '_> {
    fn resolve(&mut self, path: &str) -> Result<Option<Value>, String> {
        let p = template::parse_cached(path)?;
        match template::select(&p, self.scope) {
            Ok(v) => Ok(Some(v)),
            Err(_) => Ok(None),
        }
    }
}
