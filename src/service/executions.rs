//! Executions: StartExecution, StartSyncExecution, DescribeExecution, StopExecution,
//! ListExecutions, GetExecutionHistory, DescribeStateMachineForExecution.

use super::arn::Arn;
use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::state_machines::check_name;
use super::{ExecutionRecord, Service};
use crate::engine::{Config, Execution, Status, MAX_PAYLOAD_BYTES};
use crate::sim::Mocks;
use serde_json::{json, Value};

/// Express executions may run for 5 minutes.
const EXPRESS_MAX_MS: i64 = 5 * 60 * 1000;

/// The execution input as StartExecution reads it: absent means `{}`, any JSON value is fine.
fn parse_input(text: Option<&str>) -> Result<(String, Value), ServiceError> {
    let Some(text) = text else {
        return Ok(("{}".into(), json!({})));
    };
    if text.is_empty() {
        return Err(ServiceError::new(
            "InvalidExecutionInput",
            "Invalid State Machine Execution Input: 'Invalid execution input.'",
        ));
    }
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(ServiceError::validation(
            "'<input>'",
            "input",
            &format!("Member must have length less than or equal to {MAX_PAYLOAD_BYTES}"),
        ));
    }
    serde_json::from_str(text)
        .map(|v| (text.to_string(), v))
        .map_err(|e| {
            ServiceError::new("InvalidExecutionInput", format!("Invalid State Machine Execution Input: '{e}'"))
        })
}

impl Service {
    /// The record of a (standard) execution ARN; Express ARNs are refused as AWS refuses them.
    pub(crate) fn execution_record(&self, text: &str) -> Result<usize, ServiceError> {
        Arn::expect(text, &["execution"])?;
        self.executions.id_of(text).ok_or_else(|| {
            ServiceError::new("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{text}'"))
        })
    }

    pub(crate) fn start(&mut self, req: &Value, sync: bool) -> Result<usize, ServiceError> {
        let i = self.start_unsettled(req, sync)?;
        self.auto_settle();
        Ok(i)
    }

    pub(crate) fn start_unsettled(&mut self, req: &Value, sync: bool) -> Result<usize, ServiceError> {
        let r = Request(req);
        let target = r.string("stateMachineArn", 1, 2000)?;
        let (sm_arn, test_case) = match target.split_once('#') {
            Some((a, t)) => (a, Some(t)),
            None => (target, None),
        };
        let name = match r.opt_string("name", 1, 80).map_err(|_| ServiceError::invalid_name(req["name"].as_str().unwrap_or("")))? {
            Some(n) => {
                check_name(n)?;
                Some(n.to_string())
            }
            None => None,
        };
        let (input_text, input) = parse_input(r.opt_string("input", 0, usize::MAX)?)?;
        let trace_header = r.opt_string("traceHeader", 0, 256)?.map(str::to_string);
        let (sm, version_arn, alias_arn) = self.execution_target(sm_arn)?;
        if sm.deleting {
            return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{sm_arn}'")));
        }
        if sync != sm.express {
            return Err(ServiceError::new(
                "StateMachineTypeNotSupported",
                "This operation is not supported by this type of state machine",
            ));
        }
        let mocks = match test_case {
            None => None,
            Some(tc) => {
                let Some(config) = &self.cfg.mock_config else {
                    return Err(ServiceError::new(
                        "ValidationException",
                        format!("No mock configuration is loaded, so test case '{tc}' cannot be used"),
                    ));
                };
                match Mocks::from_sfn_local(config, &sm.name, tc) {
                    Ok(Some(m)) => Some(m),
                    Ok(None) => {
                        return Err(ServiceError::new(
                            "ValidationException",
                            format!("Test case '{tc}' of state machine '{}' is not in the mock configuration", sm.name),
                        ))
                    }
                    Err(e) => {
                        return Err(ServiceError::new("ValidationException", format!("Invalid mock configuration: {e}")))
                    }
                }
            }
        };
        let name = match name {
            Some(n) => n,
            None => self.uuid(),
        };
        let arn = if sm.express {
            let id = self.uuid();
            self.scope.express_execution(&sm.name, &name, &id)
        } else {
            self.scope.execution(&sm.name, &name)
        };
        if let Some(i) = self.executions.id_of(&arn) {
            let old = &self.executions[i];
            if old.exec.status() == Status::Running && old.input_text == input_text {
                return Ok(i);
            }
            return Err(ServiceError::new("ExecutionAlreadyExists", format!("Execution Already Exists: '{arn}'")));
        }
        let cfg = Config {
            execution_arn: arn.clone(),
            execution_name: name.clone(),
            state_machine_arn: sm.arn.clone(),
            state_machine_name: sm.name.clone(),
            role_arn: sm.role_arn.clone(),
            region: self.scope.region.clone(),
            account: self.scope.account.clone(),
            start_time_ms: self.now_ms,
            seed: self.random_u64(),
            redrive_count_in_context: !sync,
            max_duration_ms: sm.express.then_some(EXPRESS_MAX_MS),
            activities: Some(self.activity_registry.clone()),
            objects: Some(self.objects.clone()),
        };
        let exec = Execution::new(sm.machine.clone(), &input_text, input, cfg);
        let record = ExecutionRecord {
            arn: arn.clone(),
            name,
            machine: sm,
            input_text,
            start_ms: self.now_ms,
            stop_ms: None,
            exec,
            mocks,
            trace_header,
            version_arn,
            alias_arn,
            redrive_token: None,
            indexed: Default::default(),
        };
        Ok(self.executions.insert(record, self.now_ms))
    }

    pub(crate) fn start_execution(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let i = self.start(req, false)?;
        let rec = &self.executions[i];
        Ok(json!({"executionArn": rec.arn, "startDate": Service::date(rec.start_ms)}))
    }

    /// StartSyncExecution: with `wait`, advances the virtual clock until the run ends (at most the
    /// Express limit of 5 minutes, after which it has timed out).
    pub(crate) fn start_sync_execution(&mut self, req: &Value, wait: bool) -> Result<Value, ServiceError> {
        let i = self.start(req, true)?;
        if !wait {
            // Out of retain_executions' count: sync_result answers from it, then forgets it.
            self.executions.hold(i);
            return Ok(json!({"executionArn": self.executions[i].arn}));
        }
        let deadline = self.executions[i].start_ms + EXPRESS_MAX_MS;
        while self.executions[i].exec.status() == Status::Running {
            match self.next_due_ms() {
                Some(t) if t <= deadline => self.advance(t),
                _ => self.advance(deadline),
            }
            if self.now_ms >= deadline {
                break;
            }
        }
        Ok(self.sync_response(&self.executions[i]))
    }

    pub(crate) fn sync_response(&self, rec: &ExecutionRecord) -> Value {
        let stop = rec.stop_ms.unwrap_or(self.now_ms);
        let billed = ((stop - rec.start_ms).max(1) + 99) / 100 * 100;
        let mut out = json!({
            "executionArn": rec.arn,
            "stateMachineArn": rec.machine.arn,
            "name": rec.name,
            "startDate": Service::date(rec.start_ms),
            "stopDate": Service::date(stop),
            "status": rec.exec.status().as_aws(),
            "input": rec.input_text,
            "inputDetails": {"included": true},
        });
        if let Some(o) = rec.exec.output() {
            out["output"] = json!(crate::asl::template::compact(o));
        }
        out["outputDetails"] = json!({"included": true});
        if let Some(f) = rec.exec.failure() {
            if let Some(e) = &f.error {
                out["error"] = json!(e);
            }
            if let Some(c) = &f.cause {
                out["cause"] = json!(c);
            }
        }
        if let Some(t) = &rec.trace_header {
            out["traceHeader"] = json!(t);
        }
        out["billingDetails"] = json!({"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billed.max(100)});
        out
    }

    pub(crate) fn describe_execution(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 2000)?;
        let metadata_only = r.opt_enum("includedData", &["ALL_DATA", "METADATA_ONLY"])? == Some("METADATA_ONLY");
        if let Some(child) = self.describe_map_run_child(arn, metadata_only) {
            return Ok(child);
        }
        let rec = &self.executions[self.execution_record(arn)?];
        let status = rec.exec.status();
        let mut out = json!({
            "executionArn": rec.arn,
            "stateMachineArn": rec.machine.arn,
            "name": rec.name,
            "status": status.as_aws(),
            "startDate": Service::date(rec.start_ms),
        });
        super::versions::add_qualified(&mut out, rec);
        if let Some(stop) = rec.stop_ms {
            out["stopDate"] = Service::date(stop);
        }
        if !metadata_only {
            out["input"] = json!(rec.input_text);
        }
        out["inputDetails"] = json!({"included": !metadata_only});
        if let Some(o) = rec.exec.output() {
            if !metadata_only {
                out["output"] = json!(crate::asl::template::compact(o));
            }
            out["outputDetails"] = json!({"included": !metadata_only});
        }
        if let Some(f) = rec.exec.failure() {
            if let Some(e) = &f.error {
                out["error"] = json!(e);
            }
            if let Some(c) = &f.cause {
                out["cause"] = json!(c);
            }
        }
        if let Some(t) = &rec.trace_header {
            out["traceHeader"] = json!(t);
        }
        self.add_redrive_fields(&mut out, rec);
        Ok(out)
    }

    pub(crate) fn stop_execution(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 2000)?;
        let error = r.opt_string("error", 0, 256)?.map(str::to_string);
        let cause = r.opt_string("cause", 0, 32_768)?.map(str::to_string);
        let i = self.execution_record(arn)?;
        let now = self.now_ms;
        let mut rec = self.executions.get_mut(i, now);
        if rec.exec.status() == Status::Running {
            rec.exec.stop(error, cause);
            rec.stop_ms = Some(now);
        }
        let stop = rec.stop_ms.unwrap_or(now);
        drop(rec);
        self.forget_deleted();
        Ok(json!({"stopDate": Service::date(stop)}))
    }

    pub(crate) fn list_executions(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        if r.opt_value("mapRunArn").is_some() {
            return self.list_map_run_executions(req);
        }
        let sm_arn = r.string("stateMachineArn", 1, 256)?;
        let status = r.opt_enum(
            "statusFilter",
            &["SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"],
        )?;
        let sm = self.listed_state_machine(sm_arn)?;
        if sm.express {
            return Err(ServiceError::new(
                "StateMachineTypeNotSupported",
                "This operation is not supported by this type of state machine",
            ));
        }
        let listing = format!("ListExecutions|{sm_arn}|{}", status.unwrap_or(""));
        let c = cursor(&r, &listing, 3096)?;
        // Newest first: ids count up in start order; the token holds the last id listed.
        let before: Option<usize> = c.after()?;
        let ids = self.executions.listed(sm_arn, status, before);
        let (items, next) = c.page(ids, |&i| i, |&i| {
            let e = &self.executions[i];
            let mut item = json!({
                "executionArn": e.arn,
                "stateMachineArn": e.machine.arn,
                "name": e.name,
                "status": e.exec.status().as_aws(),
                "startDate": Service::date(e.start_ms),
            });
            super::versions::add_qualified(&mut item, e);
            if let Some(stop) = e.stop_ms {
                item["stopDate"] = Service::date(stop);
            }
            item["redriveCount"] = json!(e.exec.redrive_count());
            if let Some(ms) = e.exec.redrive_ms() {
                item["redriveDate"] = Service::date(ms);
            }
            item
        });
        let mut out = json!({"executions": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    pub(crate) fn get_execution_history(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 2000)?;
        let reverse = r.opt_bool("reverseOrder")?.unwrap_or(false);
        let include_data = r.opt_bool("includeExecutionData")?.unwrap_or(true);
        // A Distributed Map's child execution has a history of its own.
        let history = match self.map_run_child_history(arn) {
            Some(h) => h,
            None => self.executions[self.execution_record(arn)?].exec.history(),
        };
        let listing = format!("GetExecutionHistory|{arn}|{reverse}");
        // The token holds the index of the last event listed (a history only grows), and only
        // the page's events are turned into AWS's shape (a history has up to 25,000).
        let c = cursor(&r, &listing, 1024)?;
        let after: Option<usize> = c.after()?;
        let len = history.len();
        if after.is_some_and(|a| a >= len) {
            return Err(ServiceError::invalid_token());
        }
        let indexes: Box<dyn Iterator<Item = usize>> = match (reverse, after) {
            (false, None) => Box::new(0..len),
            (false, Some(a)) => Box::new(a + 1..len),
            (true, None) => Box::new((0..len).rev()),
            (true, Some(a)) => Box::new((0..a).rev()),
        };
        let (mut events, next) = c.page(indexes, |&i| i, |&i| history[i].to_aws());
        if !include_data {
            for e in events.iter_mut() {
                for (k, d) in e.as_object_mut().into_iter().flatten() {
                    if k.ends_with("EventDetails") {
                        if let Some(m) = d.as_object_mut() {
                            for key in ["input", "inputDetails", "output", "outputDetails"] {
                                m.remove(key);
                            }
                        }
                    }
                }
            }
        }
        let mut out = json!({"events": events});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    pub(crate) fn describe_state_machine_for_execution(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 2000)?;
        let metadata_only = r.opt_enum("includedData", &["ALL_DATA", "METADATA_ONLY"])? == Some("METADATA_ONLY");
        let sm = &self.executions[self.execution_record(arn)?].machine;
        let mut out = json!({
            "stateMachineArn": sm.arn,
            "name": sm.name,
            "definition": if metadata_only { "{}" } else { sm.definition.as_str() },
            "roleArn": sm.role_arn,
            "updateDate": Service::date(sm.updated_ms),
            "loggingConfiguration": sm.logging,
            "tracingConfiguration": sm.tracing,
        });
        if let Some(rev) = &sm.revision_id {
            out["revisionId"] = json!(rev);
        }
        if let Some(refs) = super::variables::variable_references(&sm.definition).filter(|_| !metadata_only) {
            out["variableReferences"] = refs;
        }
        Ok(out)
    }
}
