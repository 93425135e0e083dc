//! RedriveExecution: a FAILED, ABORTED or TIMED_OUT standard execution continues from the state it
//! stopped in (the engine's `Execution::redrive`), with the same ARN, input and definition (the
//! execution keeps the state machine as it was when it started), and DescribeExecution's
//! `redriveCount`, `redriveDate`, `redriveStatus` and `redriveStatusReason`.

use super::arn::Arn;
use super::error::ServiceError;
use super::request::Request;
use super::{ExecutionRecord, Service};
use crate::engine::{Status, MAX_HISTORY_EVENTS};
use serde_json::{json, Value};

/// An execution can be redriven for 14 days after it stopped.
const REDRIVABLE_PERIOD_MS: i64 = 14 * 24 * 3600 * 1000;
/// A standard execution may last a year, redrives included.
const MAX_EXECUTION_MS: i64 = 365 * 24 * 3600 * 1000;
/// A clientToken is remembered for 15 minutes.
const TOKEN_MS: i64 = 15 * 60 * 1000;

impl Service {
    /// Why `rec` cannot be redriven now (AWS's `redriveStatusReason`), or None when it can.
    pub(crate) fn not_redrivable(&self, rec: &ExecutionRecord) -> Option<&'static str> {
        match rec.exec.status() {
            Status::Running => return Some("Execution is RUNNING and cannot be redriven"),
            Status::Succeeded => return Some("Execution is SUCCEEDED and cannot be redriven"),
            _ => {}
        }
        let deleting = self.state_machines.get(&rec.machine.arn).is_none_or(|sm| sm.deleting);
        if deleting {
            return Some("State machine is in DELETING status");
        }
        if rec.exec.history().len() >= MAX_HISTORY_EVENTS - 1 {
            return Some("Execution history event limit exceeded");
        }
        if self.now_ms - rec.start_ms > MAX_EXECUTION_MS {
            return Some("Execution has exceeded the max execution time");
        }
        let stop = rec.stop_ms.unwrap_or(self.now_ms);
        if self.now_ms - stop > REDRIVABLE_PERIOD_MS {
            return Some("Execution redrivable period exceeded");
        }
        None
    }

    /// DescribeExecution's redrive members.
    pub(crate) fn add_redrive_fields(&self, out: &mut Value, rec: &ExecutionRecord) {
        out["redriveCount"] = json!(rec.exec.redrive_count());
        if let Some(ms) = rec.exec.redrive_ms() {
            out["redriveDate"] = Service::date(ms);
        }
        match self.not_redrivable(rec) {
            Some(reason) => {
                out["redriveStatus"] = json!("NOT_REDRIVABLE");
                out["redriveStatusReason"] = json!(reason);
            }
            None => out["redriveStatus"] = json!("REDRIVABLE"),
        }
    }

    pub(crate) fn redrive_execution(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("executionArn", 1, 256)?;
        let token = r.opt_string("clientToken", 1, 64)?;
        if let Some(t) = token {
            if !t.bytes().all(|b| (b'!'..=b'~').contains(&b)) {
                return Err(ServiceError::validation(
                    &format!("'{t}'"),
                    "clientToken",
                    "Member must satisfy regular expression pattern: [!-~]+",
                ));
            }
        }
        if Arn::parse(arn).is_ok_and(|a| a.kind == "express") {
            return Err(ServiceError::new(
                "ValidationException",
                "This operation is not supported by EXPRESS state machines",
            ));
        }
        let i = self.execution_record(arn)?;
        let now = self.now_ms;
        let rec = &self.executions[i];
        if let (Some(t), Some(ms)) = (token, rec.exec.redrive_ms()) {
            if rec.redrive_token.as_deref() == Some(t) && now - ms <= TOKEN_MS {
                return Ok(json!({"redriveDate": Service::date(ms)}));
            }
        }
        if let Some(reason) = self.not_redrivable(rec) {
            return Err(ServiceError::new("ExecutionNotRedrivable", reason));
        }
        let mut rec = self.executions.get_mut(i, now);
        rec.exec.redrive(now);
        rec.stop_ms = None;
        rec.redrive_token = token.map(str::to_string);
        drop(rec);
        self.auto_settle();
        Ok(json!({"redriveDate": Service::date(now)}))
    }
}

#[cfg(test)]
mod tests {
    use super::super::ServiceConfig;
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/R";

    fn create(s: &mut Service, name: &str, def: &Value, kind: &str) -> String {
        let req = json!({"name": name, "definition": def.to_string(), "roleArn": ROLE, "type": kind});
        s.call("CreateStateMachine", &req).unwrap()["stateMachineArn"].as_str().unwrap().to_string()
    }

    fn types(s: &mut Service, arn: &Value) -> Vec<String> {
        let h = s.call("GetExecutionHistory", &json!({"executionArn": arn})).unwrap();
        h["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
    }

    fn open_token(s: &Service) -> String {
        let pending = s.pending_tasks();
        assert_eq!(pending.len(), 1);
        pending[0].1.token.clone()
    }

    /// Pass, then a callback Task answered with a failure, redriven and answered with success.
    fn callback_def() -> Value {
        json!({"StartAt": "First", "States": {
            "First": {"Type": "Pass", "Result": {"n": 1}, "Next": "Ask"},
            "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "redrives.$": "$$.Execution.RedriveCount"}},
                "End": true}}})
    }

    #[test]
    fn a_failed_task_succeeds_on_redrive() {
        let mut s = Service::new(ServiceConfig::default());
        let sm = create(&mut s, "M", &callback_def(), "STANDARD");
        let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
        let arn = e["executionArn"].clone();
        let t = open_token(&s);
        s.call("SendTaskFailure", &json!({"taskToken": t, "error": "Nope", "cause": "try again"})).unwrap();
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!((d["status"].as_str(), d["redriveStatus"].as_str(), d["redriveCount"].as_u64()), (Some("FAILED"), Some("REDRIVABLE"), Some(0)));
        assert!(d.get("redriveDate").is_none());

        s.advance_to(s.now_ms + 60_000);
        let out = s.call("RedriveExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!(out, json!({"redriveDate": Service::date(s.now_ms)}));
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!(d["status"], "RUNNING");
        assert_eq!(d["redriveCount"], 1);
        assert_eq!(d["redriveDate"], out["redriveDate"]);
        assert_eq!(d["redriveStatusReason"], "Execution is RUNNING and cannot be redriven");
        assert!(d.get("stopDate").is_none());

        let t2 = open_token(&s);
        assert_ne!(t, t2);
        s.call("SendTaskSuccess", &json!({"taskToken": t2, "output": "{\"ok\":true}"})).unwrap();
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!((d["status"].as_str(), d["output"].as_str()), (Some("SUCCEEDED"), Some("{\"ok\":true}")));
        assert_eq!(d["redriveStatusReason"], "Execution is SUCCEEDED and cannot be redriven");
        assert_eq!(
            types(&mut s, &arn),
            [
                "ExecutionStarted", "PassStateEntered", "PassStateExited",
                "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskFailed", "ExecutionFailed",
                "ExecutionRedriven",
                "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                "ExecutionSucceeded",
            ]
        );
        let h = s.call("GetExecutionHistory", &json!({"executionArn": arn})).unwrap();
        let ev = &h["events"];
        assert_eq!(ev[9]["executionRedrivenEventDetails"], json!({"redriveCount": 1}));
        assert_eq!((ev[9]["id"].as_u64(), ev[9]["previousEventId"].as_u64()), (Some(10), Some(9)));
        assert_eq!(ev[10]["previousEventId"], 10);
        // The Task is entered again with the input it had; the Pass state is not run again.
        assert_eq!(ev[10]["stateEnteredEventDetails"]["input"], ev[3]["stateEnteredEventDetails"]["input"]);
        let params = |e: &Value| -> Value {
            serde_json::from_str(e["taskScheduledEventDetails"]["parameters"].as_str().unwrap()).unwrap()
        };
        assert_eq!(params(&ev[4])["MessageBody"]["redrives"], 0);
        assert_eq!(params(&ev[11])["MessageBody"]["redrives"], 1);
        assert_eq!(
            s.call("RedriveExecution", &json!({"executionArn": arn})).unwrap_err().message,
            "Execution is SUCCEEDED and cannot be redriven"
        );
    }

    #[test]
    fn an_aborted_execution_is_redriven_and_a_client_token_is_idempotent() {
        let mut s = Service::new(ServiceConfig::default());
        let sm = create(&mut s, "M", &callback_def(), "STANDARD");
        let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
        let arn = e["executionArn"].clone();
        let e1 = s.call("RedriveExecution", &json!({"executionArn": arn})).unwrap_err();
        assert_eq!((e1.code, e1.message.as_str()), ("ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven"));
        s.call("StopExecution", &json!({"executionArn": arn})).unwrap();
        let first = s.call("RedriveExecution", &json!({"executionArn": arn, "clientToken": "tok-1"})).unwrap();
        s.advance_to(s.now_ms + 1000);
        let again = s.call("RedriveExecution", &json!({"executionArn": arn, "clientToken": "tok-1"})).unwrap();
        assert_eq!(first, again);
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!((d["status"].as_str(), d["redriveCount"].as_u64()), (Some("RUNNING"), Some(1)));
        let t = types(&mut s, &arn);
        assert_eq!(&t[7..], ["ExecutionAborted", "ExecutionRedriven", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted"]);
    }

    #[test]
    fn redrive_errors() {
        let mut s = Service::new(ServiceConfig::default());
        let def = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}});
        let sm = create(&mut s, "M", &def, "STANDARD");
        let missing = sm.replace(":stateMachine:", ":execution:") + ":nope";
        let e = s.call("RedriveExecution", &json!({"executionArn": missing})).unwrap_err();
        assert_eq!((e.code, e.message), ("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{missing}'")));
        assert_eq!(s.call("RedriveExecution", &json!({})).unwrap_err().code, "ValidationException");
        assert_eq!(s.call("RedriveExecution", &json!({"executionArn": "nope"})).unwrap_err().code, "InvalidArn");
        let bad = s.call("RedriveExecution", &json!({"executionArn": missing, "clientToken": "a b"})).unwrap_err();
        assert_eq!(bad.code, "ValidationException");

        let ex = create(&mut s, "X", &def, "EXPRESS");
        let express = ex.replace(":stateMachine:", ":express:") + ":run:0000";
        assert_eq!(s.call("RedriveExecution", &json!({"executionArn": express})).unwrap_err().code, "ValidationException");

        // A Fail state fails again on redrive.
        let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
        let arn = e["executionArn"].clone();
        s.call("RedriveExecution", &json!({"executionArn": arn})).unwrap();
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!((d["status"].as_str(), d["redriveCount"].as_u64(), d["redriveStatus"].as_str()), (Some("FAILED"), Some(1), Some("REDRIVABLE")));
        assert_eq!(types(&mut s, &arn), ["ExecutionStarted", "FailStateEntered", "ExecutionFailed", "ExecutionRedriven", "FailStateEntered", "ExecutionFailed"]);

        // 14 days after the stop it can no longer be redriven.
        s.advance_to(s.now_ms + REDRIVABLE_PERIOD_MS + 1);
        let d = s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap();
        assert_eq!((d["redriveStatus"].as_str(), d["redriveStatusReason"].as_str()), (Some("NOT_REDRIVABLE"), Some("Execution redrivable period exceeded")));
        let e = s.call("RedriveExecution", &json!({"executionArn": arn})).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("ExecutionNotRedrivable", "Execution redrivable period exceeded"));
    }
}
