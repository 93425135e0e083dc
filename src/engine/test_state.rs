//! One state run alone, as AWS's TestState API runs it: the state's data flow stage by stage
//! (what DEBUG's `inspectionData` shows), a mocked result or error in place of the work of a Task,
//! Parallel or Map, and the one decision a Retry or Catch would take (RETRIABLE, CAUGHT_ERROR)
//! instead of retrying. Pass, Choice, Wait, Succeed and Fail (and every JSONata state without
//! work) are stepped by the engine itself on the virtual clock.

use super::context::ContextExtra;
use super::execution::{Config, Execution, Phase};
use super::jsonata::StatesVar;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{Kind, Machine, MapState, Seconds, State};
use crate::asl::template::{self, compact};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// What replaces the work of a Task, Parallel or Map.
#[derive(Debug, Clone)]
pub enum TestMock {
    Result(Value),
    Error { error: String, cause: String },
}

/// TestState's options besides the state and its input.
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    pub mock: Option<TestMock>,
    /// DEBUG or TRACE: fill `inspection`.
    pub inspect: bool,
    pub retrier_retry_count: u64,
    pub map_iteration_failure_count: Option<u64>,
    pub map_item_reader_data: Option<Value>,
    pub variables: Map<String, Value>,
    /// The whole context object (`$$`, `$states.context`).
    pub context: Value,
    /// `$$.Task.Token` when the context gives none.
    pub task_token: Option<String>,
}

/// TestState's answer, before it is written as AWS JSON.
#[derive(Debug, Clone, Default)]
pub struct TestOutcome {
    /// SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR.
    pub status: &'static str,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub next_state: Option<String>,
    /// inspectionData, each stage a JSON value (the service writes them as JSON text).
    pub inspection: Map<String, Value>,
}

/// Runs state `state` of `machine` alone on `input`.
pub fn test_state(machine: Arc<Machine>, state: usize, input: Value, cfg: Config, opts: &TestOptions) -> TestOutcome {
    let exec_input = opts.context.pointer("/Execution/Input").cloned().unwrap_or_else(|| input.clone());
    let mut ex = Execution::new(machine.clone(), &compact(&exec_input), exec_input, cfg);
    ex.context_override = Some(opts.context.clone());
    ex.frames[0].state = state;
    ex.frames[0].input = Arc::new(input);
    ex.frames[0].retry_count = opts.retrier_retry_count;
    // As when stepped: ExecutionStarted is event 1, the state's Entered event 2.
    ex.frames[0].entered_event = 2;
    for (k, v) in &opts.variables {
        ex.frames[0].vars.insert(k.clone(), v.clone());
    }
    let mut run = Run { ex, machine, opts, out: TestOutcome::default() };
    run.go(state);
    run.out
}

struct Run<'a> {
    ex: Execution,
    machine: Arc<Machine>,
    opts: &'a TestOptions,
    out: TestOutcome,
}

/// How a state's work ended.
enum Work {
    Done(Arc<Value>),
    Failed(Failure),
}

impl Run<'_> {
    fn note(&mut self, key: &str, v: &Value) {
        if self.opts.inspect {
            self.out.inspection.insert(key.into(), v.clone());
        }
    }

    fn name_of(&self, i: usize) -> String {
        self.machine.states.get(i).map(|s| s.name.to_string()).unwrap_or_default()
    }

    fn go(&mut self, state: usize) {
        let machine = self.machine.clone();
        let st = &machine.states[state];
        let raw = self.ex.frames[0].input.clone();
        self.note("input", &raw);
        match &st.kind {
            Kind::Task(_) => self.task(st, &raw),
            Kind::Parallel { .. } => self.parallel(st, &raw),
            Kind::Map(m) => self.map(st, m, &raw),
            Kind::Pass { result } if !st.jsonata => self.pass(st, &raw, result.clone()),
            _ => self.stepped(st, &raw),
        }
        if self.opts.inspect && !self.opts.variables.is_empty() && !self.out.inspection.contains_key("variables") {
            let vars: Map<String, Value> = self.opts.variables.clone();
            self.out.inspection.insert("variables".into(), Value::Object(vars));
        }
    }

    fn extra(&self, st: &State) -> ContextExtra {
        let work = matches!(st.kind, Kind::Task(_) | Kind::Parallel { .. } | Kind::Map(_));
        ContextExtra {
            retry_count: work.then_some(self.opts.retrier_retry_count),
            task_token: self.opts.task_token.clone(),
            map_item: None,
        }
    }

    fn succeed(&mut self, output: Arc<Value>, next: Option<usize>, assigned: Option<Vec<(String, Value)>>) {
        self.out.status = "SUCCEEDED";
        self.out.output = Some((*output).clone());
        self.out.next_state = next.map(|n| self.name_of(n));
        self.note_assigned(assigned);
    }

    fn note_assigned(&mut self, assigned: Option<Vec<(String, Value)>>) {
        let Some(a) = assigned.filter(|a| !a.is_empty()) else { return };
        let mut vars = self.opts.variables.clone();
        for (k, v) in a {
            vars.insert(k, v);
        }
        self.note("variables", &Value::Object(vars));
    }

    fn fail(&mut self, f: Failure) {
        self.out.status = "FAILED";
        self.out.error = f.error;
        self.out.cause = f.cause;
    }

    /// Pass, Choice, Wait, Succeed, Fail and JSONata Pass: the engine runs the state; its JSONPath
    /// InputPath is the one stage shown besides the input.
    fn stepped(&mut self, st: &State, raw: &Arc<Value>) {
        if !st.jsonata && !matches!(st.kind, Kind::Pass { .. }) {
            let extra = ContextExtra::default();
            if let Ok(v) = self.ex.apply_path(0, &st.input_path, raw, &extra) {
                self.note("afterInputPath", &v);
            }
        }
        loop {
            if let Phase::Exit { output, assigned, next } = &self.ex.frames[0].phase {
                let (output, assigned, next) = (output.clone(), assigned.clone(), *next);
                self.succeed(output, next, assigned);
                return;
            }
            if matches!(self.ex.frames[0].phase, Phase::Done) || !self.ex.step() {
                break;
            }
        }
        match self.ex.failure().cloned() {
            Some(f) => self.fail(f),
            None => {
                self.out.status = "SUCCEEDED";
                self.out.output = self.ex.output().cloned();
            }
        }
    }

    /// A JSONPath Pass: InputPath, Parameters (or Result), ResultPath, OutputPath.
    fn pass(&mut self, st: &State, raw: &Arc<Value>, result: Option<Value>) {
        let extra = ContextExtra::default();
        let r = (|| {
            let result = match result {
                Some(r) => {
                    let r = Arc::new(r);
                    self.note("result", &r);
                    r
                }
                None => {
                    let after = self.ex.apply_path(0, &st.input_path, raw, &extra)?;
                    self.note("afterInputPath", &after);
                    let params = match &st.parameters {
                        Some(t) => Arc::new(self.ex.eval_template(0, t, &after, &extra)?),
                        None => after,
                    };
                    self.note("afterParameters", &params);
                    params
                }
            };
            let assigned = match &st.assign {
                Some(t) => Some(self.ex.eval_assign(0, t, &result, &extra)?),
                None => None,
            };
            self.note("afterResultSelector", &result);
            let combined = self.ex.apply_result_path(0, &st.result_path, raw, result)?;
            self.note("afterResultPath", &combined);
            let output = self.ex.apply_path(0, &st.output_path, &combined, &extra)?;
            Ok((output, assigned))
        })();
        match r {
            Ok((output, assigned)) => self.succeed(output, st.next, assigned),
            Err(f) => self.fail(f),
        }
    }

    /// The effective input of a Task (InputPath and Parameters, or Arguments).
    fn arguments(&mut self, st: &State, raw: &Arc<Value>, extra: &ContextExtra) -> Result<Arc<Value>, Failure> {
        if st.jsonata {
            let args = self.ex.jsonata_arguments(0, st, raw, extra)?;
            self.note("afterArguments", &args);
            return Ok(args);
        }
        let after = self.ex.apply_path(0, &st.input_path, raw, extra)?;
        self.note("afterInputPath", &after);
        let params = match &st.parameters {
            Some(t) => Arc::new(self.ex.eval_template(0, t, &after, extra)?),
            None => after,
        };
        self.note("afterParameters", &params);
        Ok(params)
    }

    fn mocked(&self) -> Work {
        match &self.opts.mock {
            Some(TestMock::Result(v)) => Work::Done(Arc::new(v.clone())),
            Some(TestMock::Error { error, cause }) => Work::Failed(Failure::new(error.clone(), cause.clone())),
            None => Work::Failed(Failure::new(errors::TASK_FAILED, "The state's work needs a mock".to_string())),
        }
    }

    /// A Task without a mock gets what the simulated world answers an unmocked call (as
    /// `sim::default_answer` does for executions): a Lambda function returns its input,
    /// `lambda:invoke` an Invoke response with the request's Payload (`lambda_invoke`), any other
    /// integration `{}`.
    fn unmocked(&mut self, resource: &str, effective: &Value) -> Work {
        let result = match super::tasks::classify(resource) {
            super::TaskKind::Lambda => effective.clone(),
            super::TaskKind::Integration { resource_type, resource, .. } if resource_type == "lambda" && resource.starts_with("invoke") => {
                let call = self.ex.new_uuid();
                super::lambda_invoke::response(super::lambda_invoke::event_of(effective), self.ex.now_ms(), &call)
            }
            _ => json!({}),
        };
        Work::Done(Arc::new(result))
    }

    fn task(&mut self, st: &State, raw: &Arc<Value>) {
        let extra = self.extra(st);
        let effective = match self.arguments(st, raw, &extra) {
            Ok(v) => v,
            Err(f) => return self.fail(f),
        };
        let work = match (&self.opts.mock, &st.kind) {
            (None, Kind::Task(t)) => self.unmocked(&t.resource, &effective),
            _ => self.mocked(),
        };
        match work {
            Work::Done(result) => {
                self.note("result", &result);
                self.after_work(st, raw, result, &extra, true);
            }
            Work::Failed(f) => self.failed(st, raw, f),
        }
    }

    fn parallel(&mut self, st: &State, raw: &Arc<Value>) {
        let extra = self.extra(st);
        if let Err(f) = self.parallel_input(st, raw, &extra) {
            return self.fail(f);
        }
        match self.mocked() {
            Work::Done(result) => self.after_work(st, raw, result, &extra, false),
            Work::Failed(f) => self.failed(st, raw, f),
        }
    }

    fn parallel_input(&mut self, st: &State, raw: &Arc<Value>, extra: &ContextExtra) -> Result<(), Failure> {
        if st.jsonata {
            self.ex.jsonata_arguments(0, st, raw, extra)?;
        } else {
            let after = self.ex.apply_path(0, &st.input_path, raw, extra)?;
            if let Some(t) = &st.parameters {
                self.ex.eval_template(0, t, &after, extra)?;
            }
        }
        Ok(())
    }

    fn map(&mut self, st: &State, map: &MapState, raw: &Arc<Value>) {
        let extra = self.extra(st);
        let items = match self.map_items(st, map, raw, &extra) {
            Ok(items) => items,
            Err(f) => return self.fail(f),
        };
        if let Err(f) = self.map_limits(st, map, raw) {
            return self.fail(f);
        }
        let work = match self.mocked() {
            Work::Failed(f) => Work::Failed(f),
            Work::Done(result) => match self.threshold_exceeded(st, map, raw, items.len()) {
                Ok(true) => Work::Failed(Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded".to_string(),
                )),
                Ok(false) => Work::Done(result),
                Err(f) => Work::Failed(f),
            },
        };
        match work {
            Work::Done(result) => self.after_work(st, raw, result, &extra, false),
            Work::Failed(f) => self.failed(st, raw, f),
        }
    }

    /// The Map's items: the ItemReader's (mapItemReaderData), Items, or ItemsPath over the input.
    fn map_items(&mut self, st: &State, map: &MapState, raw: &Arc<Value>, extra: &ContextExtra) -> Result<Vec<Value>, Failure> {
        if map.item_reader.is_some() {
            return Ok(match &self.opts.map_item_reader_data {
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            });
        }
        if st.jsonata {
            let items = self.ex.jsonata_items(0, st, raw)?;
            if st.raw.as_ref().is_some_and(|r| r.get("ItemSelector").is_some()) {
                let mut selected = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    selected.push((*self.ex.jsonata_item_selector(0, st, raw, i, item)?).clone());
                }
                self.note("afterItemSelector", &Value::Array(selected));
            }
            self.batched(map, &items, raw)?;
            return Ok(items);
        }
        let after = self.ex.apply_path(0, &st.input_path, raw, extra)?;
        self.note("afterInputPath", &after);
        let items = match &map.items_path {
            None => (*after).clone(),
            Some(p) => match self.ex.with_scope(0, &after, extra, |s| template::select(p, s)) {
                Ok(v) => v,
                Err((msg, _)) => {
                    return Err(self.ex.runtime_failure(0, format!("Invalid path '{}' : {}", p.text(), msg)));
                }
            },
        };
        let Value::Array(items) = items else {
            let text = map.items_path.as_ref().map(|p| p.text().to_string()).unwrap_or_else(|| "$".into());
            let shown = text.strip_prefix('$').filter(|t| t.starts_with('$')).unwrap_or(&text).to_string();
            return Err(Failure::new(errors::RUNTIME, format!("Reference path \"{shown}\" must point to array.")));
        };
        self.note("afterItemsPath", &Value::Array(items.clone()));
        if let Some(t) = &map.item_selector {
            let mut selected = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let x = ContextExtra { map_item: Some((i, item.clone())), ..extra.clone() };
                selected.push(self.ex.eval_template(0, t, &after, &x)?);
            }
            self.note("afterItemSelector", &Value::Array(selected));
        }
        self.batched(map, &items, &after)?;
        Ok(items)
    }

    /// An ItemBatcher's batches of the items (afterItemBatcher).
    fn batched(&mut self, map: &MapState, items: &[Value], effective: &Arc<Value>) -> Result<(), Failure> {
        if let Some(b) = &map.item_batcher {
            let batches = self.ex.batch_items(0, b, items.to_vec(), effective)?;
            self.note("afterItemBatcher", &Value::Array(batches));
        }
        Ok(())
    }

    /// A JSONata field of the Map (MaxConcurrency, ToleratedFailure...), evaluated.
    fn jsonata_field(&mut self, st: &State, raw: &Arc<Value>, key: &str) -> Result<Option<Value>, Failure> {
        let Some(v) = st.raw.as_ref().and_then(|r| r.get(key)).cloned() else { return Ok(None) };
        let sv = StatesVar::input(raw);
        self.ex.jsonata_value(0, &v, key, &sv).map(Some)
    }

    /// maxConcurrency, toleratedFailureCount and toleratedFailurePercentage as AWS shows them.
    fn map_limits(&mut self, st: &State, map: &MapState, raw: &Arc<Value>) -> Result<(), Failure> {
        let (count, pct) = self.tolerance(st, map, raw)?;
        let max = if st.jsonata {
            self.jsonata_field(st, raw, "MaxConcurrency")?.and_then(|v| v.as_u64()).unwrap_or(0)
        } else {
            match &map.max_concurrency {
                None => 0,
                Some(Seconds::Literal(n)) => *n,
                Some(Seconds::Path(p)) => {
                    let extra = ContextExtra::default();
                    self.ex.with_scope(0, raw, &extra, |s| template::select(p, s)).ok().and_then(|v| v.as_u64()).unwrap_or(0)
                }
            }
        };
        self.note("maxConcurrency", &json!(max));
        if let Some(c) = count {
            self.note("toleratedFailureCount", &json!(c));
        }
        if let Some(p) = pct {
            self.note("toleratedFailurePercentage", &json!(p));
        }
        Ok(())
    }

    fn tolerance(&mut self, st: &State, map: &MapState, raw: &Arc<Value>) -> Result<(Option<u64>, Option<f64>), Failure> {
        if st.jsonata {
            let c = self.jsonata_field(st, raw, "ToleratedFailureCount")?.and_then(|v| v.as_u64());
            let p = self.jsonata_field(st, raw, "ToleratedFailurePercentage")?.and_then(|v| v.as_f64());
            return Ok((c, p));
        }
        let extra = ContextExtra::default();
        let mut read = |lit: &Option<Value>, path: &Option<crate::asl::path::Path>| -> Option<Value> {
            match (lit, path) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(p)) => self.ex.with_scope(0, raw, &extra, |s| template::select(p, s)).ok(),
                _ => None,
            }
        };
        let c = read(&map.tolerated_failure_count, &map.tolerated_failure_count_path).and_then(|v| v.as_u64());
        let p = read(&map.tolerated_failure_percentage, &map.tolerated_failure_percentage_path).and_then(|v| v.as_f64());
        Ok((c, p))
    }

    /// stateConfiguration.mapIterationFailureCount against the Map's tolerated failures.
    fn threshold_exceeded(&mut self, st: &State, map: &MapState, raw: &Arc<Value>, n: usize) -> Result<bool, Failure> {
        let Some(failed) = self.opts.map_iteration_failure_count else { return Ok(false) };
        let (count, pct) = self.tolerance(st, map, raw)?;
        let over_count = count.is_some_and(|c| failed > c);
        let over_pct = pct.is_some_and(|p| n > 0 && (failed as f64) * 100.0 / (n as f64) > p);
        Ok(over_count || over_pct)
    }

    /// After the work produced `result`: ResultSelector, ResultPath, OutputPath (or Output).
    fn after_work(&mut self, st: &State, raw: &Arc<Value>, result: Arc<Value>, extra: &ContextExtra, _task: bool) {
        if st.jsonata {
            match self.ex.jsonata_result(0, st, raw, result, extra) {
                Ok((output, assigned)) => self.succeed(output, st.next, assigned),
                Err(f) => self.fail(f),
            }
            return;
        }
        let r = (|| {
            let assigned = match &st.assign {
                Some(t) => Some(self.ex.eval_assign(0, t, &result, extra)?),
                None => None,
            };
            let selected = match &st.result_selector {
                Some(t) => Arc::new(self.ex.eval_template(0, t, &result, extra)?),
                None => result,
            };
            self.note("afterResultSelector", &selected);
            let combined = self.ex.apply_result_path(0, &st.result_path, raw, selected)?;
            self.note("afterResultPath", &combined);
            let output = self.ex.apply_path(0, &st.output_path, &combined, extra)?;
            Ok((output, assigned))
        })();
        match r {
            Ok((output, assigned)) => self.succeed(output, st.next, assigned),
            Err(f) => self.fail(f),
        }
    }

    /// The work failed: the retrier that would retry (RETRIABLE), else the catcher (CAUGHT_ERROR).
    fn failed(&mut self, st: &State, raw: &Arc<Value>, f: Failure) {
        let mut details = Map::new();
        if let Some(i) = st.retry.iter().position(|r| errors::matches(&r.error_equals, &f)) {
            details.insert("retryIndex".into(), json!(i));
            let r = &st.retry[i];
            if self.opts.retrier_retry_count < r.max_attempts {
                let ms = super::retry::backoff_ms(r, self.opts.retrier_retry_count, 0);
                // The API's member is an integer number of seconds.
                details.insert("retryBackoffIntervalSeconds".into(), json!(ms / 1000));
                self.note("errorDetails", &Value::Object(details));
                self.out.status = "RETRIABLE";
                self.out.error = f.error;
                self.out.cause = f.cause;
                return;
            }
        }
        if let Some(j) = st.catch.iter().position(|c| errors::matches(&c.error_equals, &f)) {
            details.insert("catchIndex".into(), json!(j));
            self.note("errorDetails", &Value::Object(details));
            let c = &st.catch[j];
            let error_output = Arc::new(f.error_output());
            let r = if st.jsonata {
                self.ex.jsonata_catch(0, j, c, error_output)
            } else {
                let extra = ContextExtra::default();
                let assigned = match &c.assign {
                    Some(t) => self.ex.eval_assign(0, t, &error_output, &extra).map(Some),
                    None => Ok(None),
                };
                assigned.and_then(|a| Ok((self.ex.apply_result_path(0, &c.result_path, raw, error_output)?, a)))
            };
            match r {
                Ok((output, assigned)) => {
                    self.succeed(output, Some(c.next), assigned);
                    self.out.status = "CAUGHT_ERROR";
                    self.out.error = f.error;
                    self.out.cause = f.cause;
                }
                Err(e) => self.fail(e),
            }
            return;
        }
        if !details.is_empty() {
            self.note("errorDetails", &Value::Object(details));
        }
        self.fail(f);
    }
}
