//! Map Runs: DescribeMapRun, ListMapRuns and UpdateMapRun over the Map Runs the engine keeps for
//! each Distributed Map (`engine::map_runs`).

use super::arn::Arn;
use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::Service;
use crate::engine::{ChildRun, ChildStatus, MapRun, Status};
use serde_json::{json, Value};

/// `arn:<partition>:states:<region>:<account>:mapRun:<stateMachine>/<label or uuid>:<uuid>`.
fn check_map_run_arn(text: &str) -> Result<(), ServiceError> {
    let arn = Arn::expect(text, &["mapRun"])?;
    if arn.parts.len() != 2 || !arn.parts[0].contains('/') {
        return Err(ServiceError::invalid_arn(text));
    }
    Ok(())
}

/// Where a Map Run's child execution sorts in ListExecutions: (start time, index).
#[derive(Debug, Clone, Copy)]
struct ChildKey(i64, usize);

impl std::fmt::Display for ChildKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

impl std::str::FromStr for ChildKey {
    type Err = ();
    fn from_str(s: &str) -> Result<ChildKey, ()> {
        let (t, i) = s.split_once('/').ok_or(())?;
        Ok(ChildKey(t.parse().map_err(|_| ())?, i.parse().map_err(|_| ())?))
    }
}

fn not_found(arn: &str) -> ServiceError {
    ServiceError::new("ResourceNotFound", format!("Resource not found: '{arn}'"))
}

fn map_run_status(s: Status) -> &'static str {
    match s {
        Status::Running => "RUNNING",
        Status::Succeeded => "SUCCEEDED",
        Status::Failed | Status::TimedOut => "FAILED",
        Status::Aborted => "ABORTED",
    }
}

impl Service {
    /// The execution (by index) holding the Map Run `arn`.
    fn map_run_owner(&self, arn: &str) -> Result<usize, ServiceError> {
        check_map_run_arn(arn)?;
        self.executions.map_run_owner(arn).ok_or_else(|| not_found(arn))
    }

    pub(crate) fn describe_map_run(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("mapRunArn", 1, 2000)?;
        let rec = &self.executions[self.map_run_owner(arn)?];
        let Some(m) = rec.exec.map_runs().iter().find(|m| m.arn == arn) else {
            return Err(not_found(arn));
        };
        let mut out = json!({
            "mapRunArn": m.arn,
            "executionArn": rec.arn,
            "status": map_run_status(m.status),
            "startDate": Service::date(m.start_ms),
            "maxConcurrency": m.max_concurrency,
            "toleratedFailurePercentage": m.tolerated_failure_percentage.unwrap_or(0.0),
            "toleratedFailureCount": m.tolerated_failure_count.unwrap_or(0),
            "itemCounts": m.counts(true),
            "executionCounts": m.counts(false),
            "redriveCount": m.redrive_count,
        });
        if let Some(stop) = m.stop_ms {
            out["stopDate"] = Service::date(stop);
        }
        if let Some(ms) = m.redrive_ms {
            out["redriveDate"] = Service::date(ms);
        }
        Ok(out)
    }

    pub(crate) fn list_map_runs(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 256)?;
        let rec = &self.executions[self.execution_record(arn)?];
        // Newest first, as ListExecutions lists; the token holds the index of the last listed
        // (an execution's Map Runs only grow).
        let c = cursor(&r, &format!("ListMapRuns|{arn}"), 1024)?;
        let runs = rec.exec.map_runs();
        let before: usize = c.after()?.unwrap_or(runs.len()).min(runs.len());
        let indexes = (0..before).rev().filter(|&i| !runs[i].nested);
        let (items, next) = c.page(indexes, |&i| i, |&i| list_item(&rec.arn, &runs[i]));
        let mut out = json!({"mapRuns": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    pub(crate) fn update_map_run(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("mapRunArn", 1, 2000)?;
        let max = r.opt_int("maxConcurrency", 0, i32::MAX as i64)?.map(|n| n as u64);
        let count = r.opt_int("toleratedFailureCount", 0, i64::MAX)?.map(|n| n as u64);
        let pct = match r.opt_value("toleratedFailurePercentage") {
            None => None,
            Some(v) => {
                let Some(p) = v.as_f64() else {
                    return Err(ServiceError::new(
                        "SerializationException",
                        "Unexpected value type for 'toleratedFailurePercentage': expected a number",
                    ));
                };
                if !(0.0..=100.0).contains(&p) {
                    let bound = if p < 0.0 { "greater than or equal to 0" } else { "less than or equal to 100" };
                    return Err(ServiceError::validation(
                        &format!("'{p}'"),
                        "toleratedFailurePercentage",
                        &format!("Member must have value {bound}"),
                    ));
                }
                Some(p)
            }
        };
        let i = self.map_run_owner(arn)?;
        self.executions.get_mut(i, self.now_ms).exec.update_map_run(arn, max, count, pct);
        self.auto_settle();
        Ok(json!({}))
    }
}

impl Service {
    /// ListExecutions with `mapRunArn`: the Map Run's child executions that started, newest first.
    pub(crate) fn list_map_run_executions(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        if r.opt_value("stateMachineArn").is_some() {
            return Err(ServiceError::new(
                "ValidationException",
                "Exactly one of stateMachineArn and mapRunArn must be given",
            ));
        }
        let arn = r.string("mapRunArn", 1, 2000)?;
        let status = r.opt_enum(
            "statusFilter",
            &["SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"],
        )?;
        let redrive = r.opt_enum("redriveFilter", &["REDRIVEN", "NOT_REDRIVEN"])?;
        let rec = &self.executions[self.map_run_owner(arn)?];
        let Some(m) = rec.exec.map_runs().iter().find(|m| m.arn == arn) else {
            return Err(not_found(arn));
        };
        let listing = format!("ListExecutions|{arn}|{}|{}", status.unwrap_or(""), redrive.unwrap_or(""));
        let cur = cursor(&r, &listing, 3096)?;
        // Newest first by (start time, index); the token holds the last listed's.
        let after: Option<ChildKey> = cur.after()?;
        let mut children: Vec<(usize, &ChildRun)> = m.children.iter().enumerate().filter(|(_, c)| c.start_ms.is_some()).collect();
        children.sort_by_key(|(i, c)| (std::cmp::Reverse(c.start_ms), std::cmp::Reverse(*i)));
        let children = children
            .into_iter()
            .filter(|(i, c)| after.is_none_or(|a| (c.start_ms.unwrap_or(0), *i) < (a.0, a.1)))
            .filter(|(_, c)| status.is_none_or(|s| s == child_status(c)))
            .filter(|(_, c)| redrive.is_none_or(|f| (f == "REDRIVEN") == (c.redrive_count > 0)));
        let (items, next) = cur.page(children, |(i, c)| ChildKey(c.start_ms.unwrap_or(0), *i), |&(i, c)| {
            let mut item = child_summary(m, i, c);
            item["itemCount"] = json!(c.items);
            item
        });
        let mut out = json!({"executions": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// The Map Run and child index of the child execution `arn` (`...:execution:<sm>/<label>:<name>`),
    /// once it has started.
    pub(crate) fn map_run_child(&self, arn: &str) -> Option<(&MapRun, usize)> {
        let (prefix, name) = arn.rsplit_once(':')?;
        if !prefix.contains('/') {
            return None;
        }
        let labelled = prefix.replacen(":execution:", ":stateMachine:", 1);
        for rec in self.executions.with_map_run_label(&labelled) {
            for m in rec.exec.map_runs().iter().filter(|m| m.state_machine_arn() == labelled) {
                if let Some(i) = m.children.iter().position(|c| c.name == name && c.start_ms.is_some()) {
                    return Some((m, i));
                }
            }
        }
        None
    }

    /// GetExecutionHistory's events of a child execution, when `arn` names a Standard one.
    pub(crate) fn map_run_child_history(&self, arn: &str) -> Option<&[crate::engine::Event]> {
        let (m, i) = self.map_run_child(arn)?;
        Some(&m.children[i].history).filter(|_| m.standard).map(|h| h.as_slice())
    }

    /// DescribeExecution of a Map Run's child execution, when `arn` names one.
    pub(crate) fn describe_map_run_child(&self, arn: &str, metadata_only: bool) -> Option<Value> {
        let (m, i) = self.map_run_child(arn)?;
        let c = &m.children[i];
        let mut out = child_summary(m, i, c);
        if let Some(input) = c.input.as_ref().filter(|_| !metadata_only) {
            out["input"] = json!(crate::asl::template::compact(input));
        }
        out["inputDetails"] = json!({"included": !metadata_only});
        if let Some(o) = &c.output {
            if !metadata_only {
                out["output"] = json!(crate::asl::template::compact(o));
            }
            out["outputDetails"] = json!({"included": !metadata_only});
        }
        if let Some(f) = &c.failure {
            if let Some(e) = &f.error {
                out["error"] = json!(e);
            }
            if let Some(cause) = &f.cause {
                out["cause"] = json!(cause);
            }
        }
        match c.status {
            ChildStatus::Running => {
                out["redriveStatus"] = json!("NOT_REDRIVABLE");
                out["redriveStatusReason"] = json!("Execution is RUNNING and cannot be redriven");
            }
            ChildStatus::Succeeded => {
                out["redriveStatus"] = json!("NOT_REDRIVABLE");
                out["redriveStatusReason"] = json!("Execution is SUCCEEDED and cannot be redriven");
            }
            _ if c.not_redrivable => {
                out["redriveStatus"] = json!("NOT_REDRIVABLE");
                out["redriveStatusReason"] = json!("Execution history event limit exceeded");
            }
            // Its Map Run redrives it, when its parent is redriven.
            _ => out["redriveStatus"] = json!("REDRIVABLE_BY_MAP_RUN"),
        }
        Some(out)
    }
}

/// A child execution's status as ListExecutions and DescribeExecution give it.
fn child_status(c: &ChildRun) -> &'static str {
    match c.status {
        _ if c.pending_redrive => "PENDING_REDRIVE",
        ChildStatus::Pending | ChildStatus::Running => "RUNNING",
        ChildStatus::Succeeded => "SUCCEEDED",
        ChildStatus::Failed => "FAILED",
        ChildStatus::TimedOut => "TIMED_OUT",
        ChildStatus::Aborted => "ABORTED",
    }
}

/// The members a child execution's list item and description share.
fn child_summary(m: &MapRun, i: usize, c: &ChildRun) -> Value {
    let mut item = json!({
        "executionArn": m.child_arn(i),
        "stateMachineArn": m.state_machine_arn(),
        "name": c.name,
        "status": child_status(c),
        "startDate": Service::date(c.start_ms.unwrap_or(m.start_ms)),
        "mapRunArn": m.arn,
        "redriveCount": c.redrive_count,
    });
    if let Some(stop) = c.stop_ms.filter(|_| c.status != ChildStatus::Running) {
        item["stopDate"] = Service::date(stop);
    }
    if c.redrive_count > 0 {
        if let Some(ms) = m.redrive_ms {
            item["redriveDate"] = Service::date(ms);
        }
    }
    item
}

/// A ListMapRuns item.
fn list_item(execution_arn: &str, m: &MapRun) -> Value {
    let mut item = json!({
        "executionArn": execution_arn,
        "mapRunArn": m.arn,
        "stateMachineArn": m.state_machine_arn(),
        "startDate": Service::date(m.start_ms),
    });
    if let Some(stop) = m.stop_ms {
        item["stopDate"] = Service::date(stop);
    }
    item
}

#[cfg(test)]
mod tests {
    use super::super::ServiceConfig;
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/R";

    fn start(s: &mut Service, def: &Value, input: &Value) -> String {
        let req = json!({"name": "M", "definition": def.to_string(), "roleArn": ROLE});
        let sm = s.call("CreateStateMachine", &req).unwrap()["stateMachineArn"].as_str().unwrap().to_string();
        let e = s.call("StartExecution", &json!({"stateMachineArn": sm, "input": input.to_string()})).unwrap();
        e["executionArn"].as_str().unwrap().to_string()
    }

    fn events(s: &mut Service, arn: &str) -> Vec<Value> {
        s.call("GetExecutionHistory", &json!({"executionArn": arn})).unwrap()["events"].as_array().unwrap().clone()
    }

    fn types(s: &mut Service, arn: &str) -> Vec<String> {
        events(s, arn).iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
    }

    /// A Map whose items each wait for a callback; `extra` adds fields to the Map state.
    fn callback_map(mode: &str, extra: Value) -> Value {
        let mut map = json!({"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": mode}, "StartAt": "Ask", "States": {
                "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"item.$": "$", "token.$": "$$.Task.Token"}}, "End": true}}},
            "End": true});
        if mode == "DISTRIBUTED" {
            map["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = json!("STANDARD");
        }
        for (k, v) in extra.as_object().unwrap() {
            map[k] = v.clone();
        }
        json!({"StartAt": "Work", "States": {"Work": map}})
    }

    /// The open callback tokens, by item.
    fn tokens(s: &Service) -> Vec<(Value, String)> {
        let mut t: Vec<(Value, String)> = s.pending_tasks().into_iter().map(|(_, t)| (t.input["MessageBody"]["item"].clone(), t.token)).collect();
        t.sort_by_key(|(item, _)| item.to_string());
        t
    }

    fn answer(s: &mut Service, token: &str, ok: bool) {
        if ok {
            s.call("SendTaskSuccess", &json!({"taskToken": token, "output": "{\"ok\":true}"})).unwrap();
        } else {
            s.call("SendTaskFailure", &json!({"taskToken": token, "error": "Nope", "cause": "no"})).unwrap();
        }
    }

    fn only_map_run(s: &mut Service, exec: &str) -> Value {
        let list = s.call("ListMapRuns", &json!({"executionArn": exec})).unwrap();
        let runs = list["mapRuns"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        s.call("DescribeMapRun", &json!({"mapRunArn": runs[0]["mapRunArn"]})).unwrap()
    }

    #[test]
    fn a_finished_map_run_is_listed_and_described() {
        let mut s = Service::new(ServiceConfig::default());
        let def = json!({"StartAt": "Work", "States": {"Work": {"Type": "Map", "Label": "Rows", "MaxConcurrency": 1,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}});
        let exec = start(&mut s, &def, &json!([1, 2]));
        let list = s.call("ListMapRuns", &json!({"executionArn": exec})).unwrap();
        let item = &list["mapRuns"][0];
        let arn = item["mapRunArn"].as_str().unwrap();
        let prefix = "arn:aws:states:us-east-1:123456789012:mapRun:M/Rows:";
        assert!(arn.starts_with(prefix) && arn.len() == prefix.len() + 36, "{arn}");
        assert_eq!(item["stateMachineArn"], "arn:aws:states:us-east-1:123456789012:stateMachine:M/Rows");
        assert_eq!(item["executionArn"], exec.as_str());
        assert!(item["startDate"].is_number() && item["stopDate"].is_number());
        let started = events(&mut s, &exec).into_iter().find(|e| e["type"] == "MapRunStarted").unwrap();
        assert_eq!(started["mapRunStartedEventDetails"]["mapRunArn"], arn);

        let d = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        let counts = json!({"aborted": 0, "failed": 0, "pending": 0, "resultsWritten": 2, "running": 0, "succeeded": 2,
            "timedOut": 0, "total": 2, "failuresNotRedrivable": 0, "pendingRedrive": 0});
        assert_eq!(d["itemCounts"], counts);
        assert_eq!(d["executionCounts"], counts);
        assert_eq!((d["status"].as_str(), d["maxConcurrency"].as_u64()), (Some("SUCCEEDED"), Some(1)));
        assert_eq!((d["toleratedFailureCount"].as_u64(), d["toleratedFailurePercentage"].as_f64()), (Some(0), Some(0.0)));
        assert_eq!((d["executionArn"].as_str(), d["redriveCount"].as_u64()), (Some(exec.as_str()), Some(0)));
        assert!(d.get("redriveDate").is_none());
    }

    #[test]
    fn a_map_run_inside_a_child_execution_is_not_the_parents() {
        let mut s = Service::new(ServiceConfig::default());
        let inner = json!({"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
        let def = json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Inner", "States": {"Inner": inner}}}}});
        let exec = start(&mut s, &def, &json!([[1, 2], [3]]));
        assert_eq!(s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap()["status"], "SUCCEEDED");
        let outer = only_map_run(&mut s, &exec);
        assert_eq!((outer["executionCounts"]["succeeded"].as_u64(), outer["status"].as_str()), (Some(2), Some("SUCCEEDED")));
    }

    #[test]
    fn batches_count_items_and_executions_apart() {
        let mut s = Service::new(ServiceConfig::default());
        let def = json!({"StartAt": "Work", "States": {"Work": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 2},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}});
        let exec = start(&mut s, &def, &json!([1, 2, 3]));
        let d = only_map_run(&mut s, &exec);
        assert_eq!((d["itemCounts"]["total"].as_u64(), d["executionCounts"]["total"].as_u64()), (Some(3), Some(2)));
        assert_eq!(d["maxConcurrency"], 0);
    }

    #[test]
    fn update_map_run_raises_the_concurrency_of_a_running_map_run() {
        let mut s = Service::new(ServiceConfig::default());
        let def = callback_map("DISTRIBUTED", json!({"MaxConcurrency": 1}));
        let exec = start(&mut s, &def, &json!({"items": [1, 2, 3]}));
        assert_eq!(tokens(&s).len(), 1);
        let d = only_map_run(&mut s, &exec);
        assert_eq!((d["status"].as_str(), d["executionCounts"]["running"].as_u64(), d["executionCounts"]["pending"].as_u64()), (Some("RUNNING"), Some(1), Some(2)));
        assert!(d.get("stopDate").is_none());
        assert_eq!(d["executionCounts"]["resultsWritten"], 0);

        let arn = d["mapRunArn"].clone();
        assert_eq!(s.call("UpdateMapRun", &json!({"mapRunArn": arn, "maxConcurrency": 3})).unwrap(), json!({}));
        assert_eq!(tokens(&s).len(), 3);
        let d = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        assert_eq!((d["maxConcurrency"].as_u64(), d["executionCounts"]["running"].as_u64()), (Some(3), Some(3)));
        for (_, t) in tokens(&s) {
            answer(&mut s, &t, true);
        }
        let d = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        assert_eq!((d["status"].as_str(), d["executionCounts"]["succeeded"].as_u64()), (Some("SUCCEEDED"), Some(3)));
    }

    #[test]
    fn update_map_run_tolerates_failures_of_a_running_map_run() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({})), &json!({"items": [1, 2, 3]}));
        let arn = only_map_run(&mut s, &exec)["mapRunArn"].clone();
        s.call("UpdateMapRun", &json!({"mapRunArn": arn, "toleratedFailureCount": 1, "toleratedFailurePercentage": 50})).unwrap();
        let t = tokens(&s);
        answer(&mut s, &t[1].1, false);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[2].1, true);
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!(d["status"], "SUCCEEDED");
        let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
        assert_eq!(out, json!([{"ok": true}, {"Error": "Nope", "Cause": "no"}, {"ok": true}]));
        let m = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        assert_eq!((m["toleratedFailureCount"].as_u64(), m["toleratedFailurePercentage"].as_f64()), (Some(1), Some(50.0)));
        assert_eq!((m["executionCounts"]["failed"].as_u64(), m["executionCounts"]["succeeded"].as_u64()), (Some(1), Some(2)));
    }

    #[test]
    fn lowering_the_tolerance_below_the_failures_fails_the_map_run() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({"ToleratedFailureCount": 2})), &json!({"items": [1, 2, 3]}));
        let arn = only_map_run(&mut s, &exec)["mapRunArn"].clone();
        assert_eq!(s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap()["toleratedFailureCount"], 2);
        let t = tokens(&s);
        answer(&mut s, &t[0].1, false);
        assert_eq!(s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap()["status"], "RUNNING");
        s.call("UpdateMapRun", &json!({"mapRunArn": arn, "toleratedFailureCount": 0})).unwrap();
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.ExceedToleratedFailureThreshold")));
        assert!(d.get("stopDate").is_some());
        let m = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        let c = &m["executionCounts"];
        assert_eq!((m["status"].as_str(), c["failed"].as_u64(), c["aborted"].as_u64()), (Some("FAILED"), Some(1), Some(2)));
        assert!(s.pending_tasks().is_empty());
        let tail: Vec<String> = types(&mut s, &exec).into_iter().rev().take(3).collect();
        assert_eq!(tail, ["ExecutionFailed", "MapStateFailed", "MapRunFailed"]);
    }

    #[test]
    fn list_executions_lists_the_child_executions_of_a_map_run() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({"Label": "Items", "ToleratedFailureCount": 1, "MaxConcurrency": 2})), &json!({"items": [1, 2, 3]}));
        let arn = only_map_run(&mut s, &exec)["mapRunArn"].clone();
        let list = s.call("ListExecutions", &json!({"mapRunArn": arn})).unwrap()["executions"].clone();
        assert_eq!(list.as_array().unwrap().len(), 2, "the third child has not started");
        assert!(list.as_array().unwrap().iter().all(|e| e["status"] == "RUNNING" && e.get("stopDate").is_none()));
        let t = tokens(&s);
        answer(&mut s, &t[1].1, false);
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[1].1, true);
        let list = s.call("ListExecutions", &json!({"mapRunArn": arn})).unwrap()["executions"].clone();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 3);
        let prefix = "arn:aws:states:us-east-1:123456789012:execution:M/Items:";
        for e in list {
            let a = e["executionArn"].as_str().unwrap();
            assert_eq!(a, format!("{prefix}{}", e["name"].as_str().unwrap()));
            assert_eq!((e["stateMachineArn"].as_str(), &e["mapRunArn"], e["itemCount"].as_u64()), (Some("arn:aws:states:us-east-1:123456789012:stateMachine:M/Items"), &arn, Some(1)));
        }
        let failed = s.call("ListExecutions", &json!({"mapRunArn": arn, "statusFilter": "FAILED"})).unwrap()["executions"].clone();
        assert_eq!(failed.as_array().unwrap().len(), 1);
        let child = failed[0]["executionArn"].clone();
        let d = s.call("DescribeExecution", &json!({"executionArn": child})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str(), d["cause"].as_str()), (Some("FAILED"), Some("Nope"), Some("no")));
        assert_eq!((d["input"].as_str(), &d["mapRunArn"], d["redriveStatus"].as_str()), (Some("2"), &arn, Some("REDRIVABLE_BY_MAP_RUN")));
        assert!(d.get("stopDate").is_some());
        let e = s.call("ListExecutions", &json!({"mapRunArn": arn, "stateMachineArn": s.scope().state_machine("M")})).unwrap_err();
        assert_eq!(e.code, "ValidationException");
        let missing = arn.as_str().unwrap()[..arn.as_str().unwrap().len() - 4].to_string() + "0000";
        assert_eq!(s.call("ListExecutions", &json!({"mapRunArn": missing})).unwrap_err().code, "ResourceNotFound");
        let e = s.call("DescribeExecution", &json!({"executionArn": format!("{prefix}nope")})).unwrap_err();
        assert_eq!(e.code, "ExecutionDoesNotExist");
    }

    /// Item 1 succeeds, item 2 fails, item 3 is aborted; the redrive runs only items 2 and 3.
    #[test]
    fn a_redrive_reruns_only_the_unsuccessful_children_of_the_map_run() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({})), &json!({"items": [1, 2, 3]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[1].1, false);
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.ExceedToleratedFailureThreshold")));
        assert_eq!(d["cause"], "The specified tolerated failure threshold was exceeded");
        let m = only_map_run(&mut s, &exec);
        let arn = m["mapRunArn"].clone();
        assert_eq!(m["status"], "FAILED");
        assert_eq!((m["executionCounts"]["succeeded"].as_u64(), m["executionCounts"]["failed"].as_u64(), m["executionCounts"]["aborted"].as_u64()), (Some(1), Some(1), Some(1)));
        let failed = events(&mut s, &exec).into_iter().find(|e| e["type"] == "MapRunFailed").unwrap();
        assert_eq!(failed["mapRunFailedEventDetails"], json!({"error": "States.ExceedToleratedFailureThreshold", "cause": "The specified tolerated failure threshold was exceeded"}));

        s.advance_to(s.now_ms() + 5_000);
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let m = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        assert_eq!((m["status"].as_str(), m["redriveCount"].as_u64()), (Some("RUNNING"), Some(1)));
        assert_eq!(m["redriveDate"], Service::date(s.now_ms()));
        assert!(m.get("stopDate").is_none());
        assert_eq!((m["executionCounts"]["running"].as_u64(), m["executionCounts"]["succeeded"].as_u64()), (Some(2), Some(1)));
        let again = tokens(&s);
        assert_eq!(again.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(), [json!(2), json!(3)]);
        for (_, tok) in again {
            answer(&mut s, &tok, true);
        }
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!(d["status"], "SUCCEEDED");
        let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
        assert_eq!(out, json!([{"ok": true}, {"ok": true}, {"ok": true}]));
        let ev = events(&mut s, &exec);
        let ty: Vec<&str> = ev.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            ty,
            ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed",
             "ExecutionRedriven", "MapRunRedriven", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
        );
        assert_eq!(ev[8]["mapRunRedrivenEventDetails"], json!({"mapRunArn": arn, "redriveCount": 1}));
        assert_eq!((ev[8]["previousEventId"].as_u64(), ev[9]["previousEventId"].as_u64()), (Some(8), Some(9)));
        let m = s.call("DescribeMapRun", &json!({"mapRunArn": arn})).unwrap();
        assert_eq!((m["status"].as_str(), m["executionCounts"]["succeeded"].as_u64(), m["executionCounts"]["pendingRedrive"].as_u64()), (Some("SUCCEEDED"), Some(3), Some(0)));
        let children = s.call("ListExecutions", &json!({"mapRunArn": arn, "redriveFilter": "REDRIVEN"})).unwrap()["executions"].clone();
        assert_eq!(children.as_array().unwrap().len(), 2);
        assert!(children.as_array().unwrap().iter().all(|c| c["redriveCount"] == 1 && c["status"] == "SUCCEEDED" && c["redriveDate"].is_number()));
        assert_eq!(s.call("ListMapRuns", &json!({"executionArn": exec})).unwrap()["mapRuns"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_stopped_map_run_is_aborted_and_a_redrive_finishes_it() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({"MaxConcurrency": 1})), &json!({"items": [1, 2, 3]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        s.call("StopExecution", &json!({"executionArn": exec})).unwrap();
        let m = only_map_run(&mut s, &exec);
        assert_eq!(m["status"], "ABORTED");
        let c = &m["executionCounts"];
        assert_eq!((c["succeeded"].as_u64(), c["aborted"].as_u64(), c["pending"].as_u64()), (Some(1), Some(1), Some(1)));
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let m = only_map_run(&mut s, &exec);
        let c = &m["executionCounts"];
        assert_eq!((c["running"].as_u64(), c["pending"].as_u64(), c["pendingRedrive"].as_u64()), (Some(1), Some(1), Some(1)));
        for _ in 0..2 {
            let t = tokens(&s);
            assert!(t.iter().all(|(item, _)| item != &json!(1)));
            for (_, tok) in t {
                answer(&mut s, &tok, true);
            }
        }
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["output"].as_str()), (Some("SUCCEEDED"), Some("[{\"ok\":true},{\"ok\":true},{\"ok\":true}]")));
        assert_eq!(only_map_run(&mut s, &exec)["executionCounts"]["succeeded"], 3);
    }

    #[test]
    fn a_redrive_reruns_only_the_failed_iterations_of_an_inline_map() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("INLINE", json!({})), &json!({"items": [1, 2, 3]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[2].1, true);
        answer(&mut s, &t[1].1, false);
        assert_eq!(s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap()["error"], "Nope");
        let before = events(&mut s, &exec).len();
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let again = tokens(&s);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].0, 2);
        answer(&mut s, &again[0].1, true);
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!(d["status"], "SUCCEEDED");
        let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
        assert_eq!(out, json!([{"ok": true}, {"ok": true}, {"ok": true}]));
        let ev = events(&mut s, &exec);
        let after: Vec<&str> = ev[before..].iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            after,
            ["ExecutionRedriven", "MapIterationStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded",
             "TaskStateExited", "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
        );
        assert_eq!(ev[before + 1]["mapIterationStartedEventDetails"], json!({"name": "Work", "index": 1}));
    }

    #[test]
    fn a_redrive_reruns_only_the_failed_branch_of_a_parallel() {
        let mut s = Service::new(ServiceConfig::default());
        let ask = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"item": "b", "token.$": "$$.Task.Token"}}, "End": true});
        let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "Ask", "States": {"Ask": ask}}]}}});
        let exec = start(&mut s, &def, &json!({}));
        let t = tokens(&s)[0].1.clone();
        answer(&mut s, &t, false);
        let before = events(&mut s, &exec).len();
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let t = tokens(&s)[0].1.clone();
        answer(&mut s, &t, true);
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["output"].as_str()), (Some("SUCCEEDED"), Some("[\"a\",{\"ok\":true}]")));
        let after = &types(&mut s, &exec)[before..];
        assert_eq!(
            after,
            ["ExecutionRedriven", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
             "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]
        );
    }

    /// A Parallel inside an inline Map iteration: the redrive goes down to the failed branch.
    #[test]
    fn a_redrive_reaches_a_failed_branch_inside_a_failed_iteration() {
        let mut s = Service::new(ServiceConfig::default());
        let ask = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"item.$": "$", "token.$": "$$.Task.Token"}}, "End": true});
        let both = json!({"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "Ask", "States": {"Ask": ask}}]});
        let def = json!({"StartAt": "Work", "States": {"Work": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"StartAt": "Both", "States": {"Both": both}}}}});
        let exec = start(&mut s, &def, &json!({"items": [1, 2]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[1].1, false);
        let before = events(&mut s, &exec).len();
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let again = tokens(&s);
        assert_eq!(again.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(), [json!(2)]);
        answer(&mut s, &again[0].1, true);
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["output"].as_str()), (Some("SUCCEEDED"), Some("[[\"a\",{\"ok\":true}],[\"a\",{\"ok\":true}]]")));
        let after = &types(&mut s, &exec)[before..];
        assert!(!after.iter().any(|t| t == "PassStateEntered" || t == "ParallelStateEntered"), "{after:?}");
        assert_eq!(after.iter().filter(|t| *t == "MapIterationStarted").count(), 1);
    }

    fn history(s: &mut Service, req: Value) -> Vec<Value> {
        s.call("GetExecutionHistory", &req).unwrap()["events"].as_array().unwrap().clone()
    }

    fn kinds(events: &[Value]) -> Vec<&str> {
        events.iter().map(|e| e["type"].as_str().unwrap()).collect()
    }

    /// The child executions, by their input (item).
    fn children_by_item(s: &mut Service, map_run: &Value) -> Vec<(String, String)> {
        let list = s.call("ListExecutions", &json!({"mapRunArn": map_run})).unwrap()["executions"].clone();
        let mut out: Vec<(String, String)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let arn = e["executionArn"].as_str().unwrap().to_string();
                let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
                (d["input"].as_str().unwrap().to_string(), arn)
            })
            .collect();
        out.sort();
        out
    }

    const TASK_EVENTS: [&str; 4] = ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted"];

    #[test]
    fn each_child_execution_has_its_own_history() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({"ToleratedFailureCount": 1})), &json!({"items": [1, 2]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, true);
        answer(&mut s, &t[1].1, false);
        assert_eq!(s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap()["status"], "SUCCEEDED");
        let parent = types(&mut s, &exec);
        assert!(!parent.iter().any(|t| t.starts_with("Task") || t == "ExecutionFailed"), "{parent:?}");
        let map_run = only_map_run(&mut s, &exec)["mapRunArn"].clone();
        let children = children_by_item(&mut s, &map_run);
        assert_eq!(children.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>(), ["1", "2"]);

        let ok = history(&mut s, json!({"executionArn": children[0].1}));
        let mut expected = vec!["ExecutionStarted"];
        expected.extend(TASK_EVENTS);
        expected.extend(["TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]);
        assert_eq!(kinds(&ok), expected);
        // Ids from 1; the first state's event points at 0, as in recorded histories.
        for (n, e) in ok.iter().enumerate() {
            let previous = if n == 1 { 0 } else { n as u64 };
            assert_eq!((e["id"].as_u64(), e["previousEventId"].as_u64()), (Some(n as u64 + 1), Some(previous)), "{e}");
        }
        assert_eq!(ok[0]["executionStartedEventDetails"], json!({"input": "1", "inputDetails": {"truncated": false}, "roleArn": ROLE}));
        assert_eq!(ok[1]["stateEnteredEventDetails"]["name"], "Ask");
        assert_eq!(ok[7]["executionSucceededEventDetails"]["output"], "{\"ok\":true}");

        let failed = history(&mut s, json!({"executionArn": children[1].1}));
        let mut expected = vec!["ExecutionStarted"];
        expected.extend(TASK_EVENTS);
        expected.extend(["TaskFailed", "ExecutionFailed"]);
        assert_eq!(kinds(&failed), expected);
        assert_eq!(failed[6]["executionFailedEventDetails"], json!({"error": "Nope", "cause": "no"}));

        // Paging, reverseOrder and includeExecutionData as for any execution.
        let page = s.call("GetExecutionHistory", &json!({"executionArn": children[0].1, "maxResults": 3, "reverseOrder": true})).unwrap();
        assert_eq!(kinds(page["events"].as_array().unwrap()), ["ExecutionSucceeded", "TaskStateExited", "TaskSucceeded"]);
        let rest = history(&mut s, json!({"executionArn": children[0].1, "maxResults": 3, "reverseOrder": true, "nextToken": page["nextToken"]}));
        assert_eq!(rest[0]["id"], 5);
        let bare = history(&mut s, json!({"executionArn": children[0].1, "includeExecutionData": false}));
        assert_eq!(bare[0]["executionStartedEventDetails"], json!({"roleArn": ROLE}));
        let missing = format!("{}0", children[0].1);
        let e = s.call("GetExecutionHistory", &json!({"executionArn": missing})).unwrap_err();
        assert_eq!((e.code, e.message), ("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{missing}'")));
    }

    /// A failed child is redriven with its Map Run: its history goes on after ExecutionRedriven.
    /// A child running when the Map Run failed is aborted.
    #[test]
    fn a_redriven_child_history_goes_on_and_an_aborted_one_ends() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({})), &json!({"items": [1, 2]}));
        let t = tokens(&s);
        answer(&mut s, &t[0].1, false);
        let map_run = only_map_run(&mut s, &exec)["mapRunArn"].clone();
        let children = children_by_item(&mut s, &map_run);
        let aborted = history(&mut s, json!({"executionArn": children[1].1}));
        assert_eq!(kinds(&aborted).last(), Some(&"ExecutionAborted"));
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        for (_, tok) in tokens(&s) {
            answer(&mut s, &tok, true);
        }
        assert_eq!(s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap()["status"], "SUCCEEDED");
        let redriven = history(&mut s, json!({"executionArn": children[0].1}));
        let ty = kinds(&redriven);
        let at = ty.iter().position(|t| *t == "ExecutionRedriven").unwrap();
        assert_eq!(ty[at - 1], "ExecutionFailed");
        assert_eq!(redriven[at]["executionRedrivenEventDetails"], json!({"redriveCount": 1}));
        assert_eq!(ty.last(), Some(&"ExecutionSucceeded"));
        assert_eq!(ty.iter().filter(|t| **t == "ExecutionStarted").count(), 1);
        assert_eq!(redriven[at + 1]["previousEventId"], redriven[at]["id"]);
    }

    /// A child that never ends is bounded like any execution: at 25,000 events it fails
    /// (States.Runtime), its Map Run counts it in failuresNotRedrivable, and a redrive leaves it.
    #[test]
    fn a_child_at_the_history_limit_fails_and_is_not_redrivable() {
        let mut s = Service::new(ServiceConfig::default());
        let spin = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "D"}], "Default": "P"},
            "D": {"Type": "Succeed"}}});
        let mut processor = spin.clone();
        processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
        let def = json!({"StartAt": "Work", "States": {"Work": {"Type": "Map", "ItemProcessor": processor, "End": true}}});
        let exec = start(&mut s, &def, &json!([{"stop": true}, {}]));
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.ExceedToleratedFailureThreshold")));
        let m = only_map_run(&mut s, &exec);
        let c = &m["executionCounts"];
        assert_eq!((c["succeeded"].as_u64(), c["failed"].as_u64(), c["failuresNotRedrivable"].as_u64()), (Some(1), Some(1), Some(1)));
        assert_eq!(m["itemCounts"]["failuresNotRedrivable"], 1);
        let children = children_by_item(&mut s, &m["mapRunArn"]);
        let spun = &children.iter().find(|(input, _)| input == "{}").unwrap().1;
        let events = history(&mut s, json!({"executionArn": spun, "maxResults": 1, "reverseOrder": true}));
        assert_eq!((events[0]["type"].as_str(), events[0]["id"].as_u64()), (Some("ExecutionFailed"), Some(25_000)));
        assert_eq!(events[0]["executionFailedEventDetails"]["error"], "States.Runtime");
        let child = s.call("DescribeExecution", &json!({"executionArn": spun})).unwrap();
        assert_eq!((child["redriveStatus"].as_str(), child["redriveStatusReason"].as_str()), (Some("NOT_REDRIVABLE"), Some("Execution history event limit exceeded")));
        s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.ExceedToleratedFailureThreshold")));
        let m = only_map_run(&mut s, &exec);
        assert_eq!((m["status"].as_str(), m["executionCounts"]["failuresNotRedrivable"].as_u64()), (Some("FAILED"), Some(1)));
        let again = history(&mut s, json!({"executionArn": spun, "maxResults": 1, "reverseOrder": true}));
        assert_eq!(again[0]["id"], 25_000, "the child did not run again");
    }

    /// AWS's hard limit of 1,000 redrives per Map Run: the next redrive fails the Map state with
    /// States.Runtime and starts no child.
    #[test]
    fn a_map_run_is_redriven_at_most_1000_times() {
        let mut s = Service::new(ServiceConfig::default());
        let exec = start(&mut s, &callback_map("DISTRIBUTED", json!({})), &json!({"items": [1]}));
        for _ in 0..=1000 {
            let t = tokens(&s);
            assert_eq!(t.len(), 1);
            answer(&mut s, &t[0].1, false);
            s.call("RedriveExecution", &json!({"executionArn": exec})).unwrap();
        }
        assert!(tokens(&s).is_empty());
        let d = s.call("DescribeExecution", &json!({"executionArn": exec})).unwrap();
        assert_eq!((d["status"].as_str(), d["error"].as_str(), d["redriveCount"].as_u64()), (Some("FAILED"), Some("States.Runtime"), Some(1001)));
        let m = only_map_run(&mut s, &exec);
        assert_eq!((m["redriveCount"].as_u64(), m["status"].as_str()), (Some(1000), Some("FAILED")));
        let last = history(&mut s, json!({"executionArn": exec, "reverseOrder": true, "maxResults": 3}));
        assert_eq!(kinds(&last), ["ExecutionFailed", "MapStateFailed", "ExecutionRedriven"]);
        assert_eq!(last[0]["executionFailedEventDetails"]["cause"], "The Map Run reached the maximum number of redrives (1000).");
    }

    #[test]
    fn map_run_errors() {
        let mut s = Service::new(ServiceConfig::default());
        let err = |s: &mut Service, op: &str, req: Value| s.call(op, &req).unwrap_err();
        let e = err(&mut s, "DescribeMapRun", json!({"mapRunArn": "nope"}));
        assert_eq!((e.code, e.message.as_str()), ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: nope'"));
        let exec_arn = "arn:aws:states:us-east-1:123456789012:execution:M:e";
        let e = err(&mut s, "DescribeMapRun", json!({"mapRunArn": exec_arn}));
        assert_eq!(e.message, "Invalid Arn: 'Resource type not valid in this context: execution'");
        let missing = "arn:aws:states:us-east-1:123456789012:mapRun:M/L:0f5c1f2e-1111-4111-8111-111111111111";
        let e = err(&mut s, "DescribeMapRun", json!({"mapRunArn": missing}));
        assert_eq!((e.code, e.message), ("ResourceNotFound", format!("Resource not found: '{missing}'")));
        assert_eq!(err(&mut s, "UpdateMapRun", json!({"mapRunArn": missing, "maxConcurrency": 2})).code, "ResourceNotFound");
        assert_eq!(err(&mut s, "DescribeMapRun", json!({})).code, "ValidationException");
        let e = err(&mut s, "UpdateMapRun", json!({"mapRunArn": missing, "maxConcurrency": -1}));
        assert_eq!(e.message, "1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0");
        let e = err(&mut s, "UpdateMapRun", json!({"mapRunArn": missing, "toleratedFailurePercentage": 100.5}));
        assert_eq!(e.message, "1 validation error detected: Value '100.5' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100");
        let e = err(&mut s, "UpdateMapRun", json!({"mapRunArn": missing, "toleratedFailureCount": -3}));
        assert_eq!(e.code, "ValidationException");
        let e = err(&mut s, "ListMapRuns", json!({"executionArn": exec_arn}));
        assert_eq!((e.code, e.message), ("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{exec_arn}'")));
        let e = err(&mut s, "ListMapRuns", json!({"executionArn": missing}));
        assert_eq!(e.message, "Invalid Arn: 'Resource type not valid in this context: mapRun'");
    }
}
