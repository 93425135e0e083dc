//! Every operation: its success shape and each error it can return.

use super::*;
use serde_json::json;

const ROLE: &str = "arn:aws:iam::123456789012:role/R";

fn svc() -> Service {
    Service::new(ServiceConfig::default())
}

fn pass_def() -> String {
    json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string()
}

fn wait_def(seconds: u64) -> String {
    json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": true}}}).to_string()
}

fn create(s: &mut Service, name: &str, def: &str) -> String {
    s.call("CreateStateMachine", &json!({"name": name, "definition": def, "roleArn": ROLE}))
        .unwrap()["stateMachineArn"]
        .as_str()
        .unwrap()
        .to_string()
}

fn code(r: Result<Value, ServiceError>) -> &'static str {
    r.unwrap_err().code
}

#[test]
fn create_describe_list_state_machine() {
    let mut s = svc();
    let arn = create(&mut s, "M", &pass_def());
    assert_eq!(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:M");
    let d = s.call("DescribeStateMachine", &json!({"stateMachineArn": arn})).unwrap();
    assert_eq!(d["status"], "ACTIVE");
    assert_eq!(d["type"], "STANDARD");
    assert_eq!(d["definition"], pass_def());
    assert_eq!(d["loggingConfiguration"], json!({"level": "OFF", "includeExecutionData": false}));
    assert_eq!(d["tracingConfiguration"], json!({"enabled": false}));
    assert!(d.get("revisionId").is_none());
    let l = s.call("ListStateMachines", &json!({})).unwrap();
    assert_eq!(l["stateMachines"][0]["name"], "M");
    assert_eq!(l["stateMachines"][0]["type"], "STANDARD");
}

#[test]
fn create_state_machine_is_idempotent_on_the_exact_text() {
    let mut s = svc();
    let a = s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE})).unwrap();
    let b = s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE})).unwrap();
    assert_eq!(a, b);
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(&pass_def()).unwrap()).unwrap();
    let e = s
        .call("CreateStateMachine", &json!({"name": "M", "definition": pretty, "roleArn": ROLE}))
        .unwrap_err();
    assert_eq!(e.code, "StateMachineAlreadyExists");
    assert_eq!(e.message, "State Machine Already Exists: 'arn:aws:states:us-east-1:123456789012:stateMachine:M'");
    let e = s.call(
        "CreateStateMachine",
        &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE, "type": "EXPRESS"}),
    );
    assert_eq!(code(e), "StateMachineAlreadyExists");
}

#[test]
fn create_state_machine_errors() {
    let mut s = svc();
    let e = s.call("CreateStateMachine", &json!({"name": "a b", "definition": pass_def(), "roleArn": ROLE})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("InvalidName", "Invalid Name: 'a b'"));
    assert_eq!(code(s.call("CreateStateMachine", &json!({"name": "x".repeat(81), "definition": pass_def(), "roleArn": ROLE}))), "InvalidName");
    let e = s.call("CreateStateMachine", &json!({"name": "M", "definition": "{}", "roleArn": ROLE})).unwrap_err();
    assert_eq!(e.code, "InvalidDefinition");
    assert!(e.message.starts_with("Invalid State Machine Definition: '"), "{}", e.message);
    let e = s.call("CreateStateMachine", &json!({"name": "M", "roleArn": ROLE})).unwrap_err();
    assert_eq!(e.code, "ValidationException");
    assert_eq!(e.message, "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null");
    assert_eq!(code(s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": "role"}))), "InvalidArn");
    assert_eq!(code(s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE, "type": "BIG"}))), "ValidationException");
    let e = s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE, "loggingConfiguration": {"level": "ALL"}})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination."));
    let e = s.call("CreateStateMachine", &json!({"name": "M", "definition": pass_def(), "roleArn": ROLE, "versionDescription": "v"})).unwrap_err();
    assert_eq!(e.message, "Version description can only be set when publish is true");
    // An Express-only rule: Express machines refuse .sync integrations.
    let sync = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": true}}}).to_string();
    assert_eq!(code(s.call("CreateStateMachine", &json!({"name": "E", "definition": sync, "roleArn": ROLE, "type": "EXPRESS"}))), "InvalidDefinition");
}

#[test]
fn describe_state_machine_errors() {
    let mut s = svc();
    let e = s.call("DescribeStateMachine", &json!({"stateMachineArn": "nope"})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: nope'"));
    let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Missing";
    let e = s.call("DescribeStateMachine", &json!({"stateMachineArn": arn})).unwrap_err();
    assert_eq!(e.code, "StateMachineDoesNotExist");
    assert_eq!(e.message, format!("State Machine Does Not Exist: '{arn}'"));
    let act = "arn:aws:states:us-east-1:123456789012:activity:A";
    assert_eq!(code(s.call("DescribeStateMachine", &json!({"stateMachineArn": act}))), "InvalidArn");
}

#[test]
fn update_keeps_running_executions_on_their_definition() {
    let mut s = svc();
    let arn = create(&mut s, "M", &wait_def(10));
    let e1 = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "one"})).unwrap();
    let u = s.call("UpdateStateMachine", &json!({"stateMachineArn": arn, "definition": pass_def()})).unwrap();
    let rev = u["revisionId"].as_str().unwrap().to_string();
    assert_eq!(s.call("DescribeStateMachine", &json!({"stateMachineArn": arn})).unwrap()["revisionId"], rev);
    // Nothing changed: the same revision.
    let u2 = s.call("UpdateStateMachine", &json!({"stateMachineArn": arn, "definition": pass_def()})).unwrap();
    assert_eq!(u2["revisionId"], rev);
    let e2 = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "two"})).unwrap();
    let d2 = s.call("DescribeExecution", &json!({"executionArn": e2["executionArn"]})).unwrap();
    assert_eq!(d2["status"], "SUCCEEDED");
    let d1 = s.call("DescribeExecution", &json!({"executionArn": e1["executionArn"]})).unwrap();
    assert_eq!(d1["status"], "RUNNING");
    let old = s.call("DescribeStateMachineForExecution", &json!({"executionArn": e1["executionArn"]})).unwrap();
    assert_eq!(old["definition"], wait_def(10));
    assert!(old.get("status").is_none());
    s.advance_to(s.now_ms() + 10_000);
    let d1 = s.call("DescribeExecution", &json!({"executionArn": e1["executionArn"]})).unwrap();
    assert_eq!(d1["status"], "SUCCEEDED");
}

#[test]
fn update_errors() {
    let mut s = svc();
    let arn = create(&mut s, "M", &pass_def());
    let e = s.call("UpdateStateMachine", &json!({"stateMachineArn": arn})).unwrap_err();
    assert_eq!(e.code, "MissingRequiredParameter");
    assert_eq!(e.message, "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    assert_eq!(code(s.call("UpdateStateMachine", &json!({"stateMachineArn": arn, "definition": "{"}))), "InvalidDefinition");
    assert_eq!(code(s.call("UpdateStateMachine", &json!({"stateMachineArn": format!("{arn}:2"), "definition": pass_def()}))), "StateMachineDoesNotExist");
    assert_eq!(code(s.call("UpdateStateMachine", &json!({"stateMachineArn": "x", "definition": pass_def()}))), "InvalidArn");
}

#[test]
fn delete_state_machine_lets_running_executions_finish() {
    let mut s = svc();
    let arn = create(&mut s, "M", &wait_def(5));
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn})).unwrap();
    s.call("DeleteStateMachine", &json!({"stateMachineArn": arn})).unwrap();
    let d = s.call("DescribeStateMachine", &json!({"stateMachineArn": arn})).unwrap();
    assert_eq!(d["status"], "DELETING");
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": arn}))), "StateMachineDeleting");
    s.advance_to(s.now_ms() + 5_000);
    s.forget_deleted();
    let x = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(x["status"], "SUCCEEDED");
    assert_eq!(code(s.call("DescribeStateMachine", &json!({"stateMachineArn": arn}))), "StateMachineDoesNotExist");
    assert_eq!(s.call("ListStateMachines", &json!({})).unwrap()["stateMachines"], json!([]));
    // Deleting what does not exist is fine; a bad ARN is not.
    s.call("DeleteStateMachine", &json!({"stateMachineArn": arn})).unwrap();
    assert_eq!(code(s.call("DeleteStateMachine", &json!({"stateMachineArn": "x"}))), "InvalidArn");
}

#[test]
fn start_execution_runs_and_describes() {
    let mut s = svc();
    let arn = create(&mut s, "M", &pass_def());
    let r = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "e1", "input": "{\"a\": 1}"})).unwrap();
    assert_eq!(r["executionArn"], "arn:aws:states:us-east-1:123456789012:execution:M:e1");
    let d = s.call("DescribeExecution", &json!({"executionArn": r["executionArn"]})).unwrap();
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(d["input"], "{\"a\": 1}");
    assert_eq!(d["output"], "{\"a\":1}");
    assert_eq!(d["redriveStatus"], "NOT_REDRIVABLE");
    assert_eq!(d["redriveStatusReason"], "Execution is SUCCEEDED and cannot be redriven");
    assert!(d["stopDate"].is_number());
    // No name: a UUID; no input: {}.
    let r = s.call("StartExecution", &json!({"stateMachineArn": arn})).unwrap();
    let name = r["executionArn"].as_str().unwrap().rsplit(':').next().unwrap().to_string();
    assert_eq!(name.len(), 36);
    let h = s.call("GetExecutionHistory", &json!({"executionArn": r["executionArn"]})).unwrap();
    assert_eq!(h["events"][0]["executionStartedEventDetails"]["input"], "{}");
}

#[test]
fn start_execution_errors() {
    let mut s = svc();
    let arn = create(&mut s, "M", &pass_def());
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": ""})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'"));
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": arn, "input": "not json"}))), "InvalidExecutionInput");
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "a/b"}))), "InvalidName");
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:X"}))), "StateMachineDoesNotExist");
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": "bad"}))), "InvalidArn");
    assert_eq!(code(s.call("StartSyncExecution", &json!({"stateMachineArn": arn}))), "StateMachineTypeNotSupported");
    // Any JSON value is an input.
    for input in ["2", "\"text\"", "null", "[1, 2]"] {
        s.call("StartExecution", &json!({"stateMachineArn": arn, "input": input})).unwrap();
    }
}

#[test]
fn start_execution_idempotency() {
    let mut s = svc();
    let arn = create(&mut s, "M", &wait_def(60));
    let a = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "n", "input": "{}"})).unwrap();
    let b = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "n", "input": "{}"})).unwrap();
    assert_eq!(a, b);
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "n", "input": "{\"x\":1}"})).unwrap_err();
    assert_eq!(e.code, "ExecutionAlreadyExists");
    assert_eq!(e.message, format!("Execution Already Exists: '{}'", a["executionArn"].as_str().unwrap()));
    s.advance_to(s.now_ms() + 60_000);
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": arn, "name": "n", "input": "{}"}))), "ExecutionAlreadyExists");
}

#[test]
fn express_sync_and_refusals() {
    let mut s = svc();
    let arn = s
        .call("CreateStateMachine", &json!({"name": "X", "definition": pass_def(), "roleArn": ROLE, "type": "EXPRESS"}))
        .unwrap()["stateMachineArn"]
        .clone();
    let r = s.call("StartSyncExecution", &json!({"stateMachineArn": arn, "name": "s", "input": "{\"k\":true}"})).unwrap();
    assert_eq!(r["status"], "SUCCEEDED");
    assert_eq!(r["output"], "{\"k\":true}");
    assert_eq!(r["billingDetails"]["billedMemoryUsedInMB"], 64);
    assert_eq!(r["billingDetails"]["billedDurationInMilliseconds"], 100);
    let exec_arn = r["executionArn"].as_str().unwrap();
    assert!(exec_arn.starts_with("arn:aws:states:us-east-1:123456789012:express:X:s:"), "{exec_arn}");
    let e = s.call("DescribeExecution", &json!({"executionArn": exec_arn})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'"));
    assert_eq!(code(s.call("StopExecution", &json!({"executionArn": exec_arn}))), "InvalidArn");
    assert_eq!(code(s.call("GetExecutionHistory", &json!({"executionArn": exec_arn}))), "InvalidArn");
    let e = s.call("ListExecutions", &json!({"stateMachineArn": arn})).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"));
    // A failing sync run is still an answer, with error and cause and no output.
    let fail = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}).to_string();
    s.call("UpdateStateMachine", &json!({"stateMachineArn": arn, "definition": fail})).unwrap();
    let r = s.call("StartSyncExecution", &json!({"stateMachineArn": arn})).unwrap();
    assert_eq!((r["status"].as_str(), r["error"].as_str(), r["cause"].as_str()), (Some("FAILED"), Some("E"), Some("C")));
    assert!(r.get("output").is_none());
    // Express runs end after 5 minutes.
    s.call("UpdateStateMachine", &json!({"stateMachineArn": arn, "definition": wait_def(600)})).unwrap();
    let r = s.call("StartSyncExecution", &json!({"stateMachineArn": arn})).unwrap();
    assert_eq!(r["status"], "TIMED_OUT");
}

#[test]
fn stop_execution_aborts() {
    let mut s = svc();
    let arn = create(&mut s, "M", &wait_def(60));
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn})).unwrap();
    let r = s.call("StopExecution", &json!({"executionArn": e["executionArn"], "error": "Err", "cause": "why"})).unwrap();
    assert!(r["stopDate"].is_number());
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["status"].as_str(), d["error"].as_str(), d["cause"].as_str()), (Some("ABORTED"), Some("Err"), Some("why")));
    assert_eq!(d["redriveStatus"], "REDRIVABLE");
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let last = h["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "ExecutionAborted");
    assert_eq!(last["previousEventId"], 0);
    assert_eq!(last["executionAbortedEventDetails"], json!({"error": "Err", "cause": "why"}));
    let missing = "arn:aws:states:us-east-1:123456789012:execution:M:nope";
    let e = s.call("StopExecution", &json!({"executionArn": missing})).unwrap_err();
    assert_eq!((e.code, e.message), ("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{missing}'")));
}

#[test]
fn list_executions_newest_first_filtered_and_paged() {
    let mut s = svc();
    let arn = create(&mut s, "M", &wait_def(30));
    for i in 0..5 {
        s.call("StartExecution", &json!({"stateMachineArn": arn, "name": format!("e{i}")})).unwrap();
        s.advance_to(s.now_ms() + 10_000);
    }
    let all = s.call("ListExecutions", &json!({"stateMachineArn": arn})).unwrap();
    let names: Vec<&str> = all["executions"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["e4", "e3", "e2", "e1", "e0"]);
    let running = s.call("ListExecutions", &json!({"stateMachineArn": arn, "statusFilter": "RUNNING"})).unwrap();
    // e0..e2 ended at 30, 40 and 50 s; e3 and e4 still wait.
    assert_eq!(running["executions"].as_array().unwrap().len(), 2);
    let p1 = s.call("ListExecutions", &json!({"stateMachineArn": arn, "maxResults": 2})).unwrap();
    assert_eq!(p1["executions"].as_array().unwrap().len(), 2);
    let p2 = s.call("ListExecutions", &json!({"stateMachineArn": arn, "maxResults": 2, "nextToken": p1["nextToken"]})).unwrap();
    assert_eq!(p2["executions"][0]["name"], "e2");
    let e = s.call("ListExecutions", &json!({"stateMachineArn": arn, "statusFilter": "succeeded"})).unwrap_err();
    assert_eq!(e.message, "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
    assert_eq!(code(s.call("ListExecutions", &json!({"stateMachineArn": arn, "nextToken": "bogus"}))), "InvalidToken");
    assert_eq!(code(s.call("ListExecutions", &json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Nope"}))), "StateMachineDoesNotExist");
}

#[test]
fn execution_history_pages_and_reverses() {
    let mut s = svc();
    let arn = create(&mut s, "M", &pass_def());
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": "{\"a\":1}"})).unwrap();
    let all = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let types: Vec<&str> = all["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    let rev = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "reverseOrder": true, "maxResults": 3})).unwrap();
    assert_eq!(rev["events"][0]["type"], "ExecutionSucceeded");
    assert_eq!(rev["events"].as_array().unwrap().len(), 3);
    let rest = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "reverseOrder": true, "maxResults": 3, "nextToken": rev["nextToken"]})).unwrap();
    assert_eq!(rest["events"][0]["type"], "ExecutionStarted");
    assert!(rest.get("nextToken").is_none());
    // The token belongs to the reversed listing.
    assert_eq!(code(s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "nextToken": rev["nextToken"]}))), "InvalidToken");
    let lean = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "includeExecutionData": false})).unwrap();
    assert!(lean["events"][0]["executionStartedEventDetails"].get("input").is_none());
    assert!(lean["events"][0]["executionStartedEventDetails"].get("roleArn").is_some());
}

#[test]
fn activities_crud() {
    let mut s = svc();
    let a = s.call("CreateActivity", &json!({"name": "A"})).unwrap();
    assert_eq!(a["activityArn"], "arn:aws:states:us-east-1:123456789012:activity:A");
    assert_eq!(s.call("CreateActivity", &json!({"name": "A"})).unwrap(), a);
    let d = s.call("DescribeActivity", &json!({"activityArn": a["activityArn"]})).unwrap();
    assert_eq!(d["encryptionConfiguration"], json!({"type": "AWS_OWNED_KEY"}));
    assert_eq!(s.call("ListActivities", &json!({})).unwrap()["activities"][0]["name"], "A");
    s.call("DeleteActivity", &json!({"activityArn": a["activityArn"]})).unwrap();
    s.call("DeleteActivity", &json!({"activityArn": a["activityArn"]})).unwrap();
    let e = s.call("DescribeActivity", &json!({"activityArn": a["activityArn"]})).unwrap_err();
    assert_eq!(e.code, "ActivityDoesNotExist");
    assert_eq!(e.message, format!("Activity Does Not Exist: '{}'", a["activityArn"].as_str().unwrap()));
    assert_eq!(code(s.call("CreateActivity", &json!({"name": "\u{0}activity"}))), "InvalidName");
    assert_eq!(code(s.call("DescribeActivity", &json!({"activityArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M"}))), "InvalidArn");
    assert_eq!(code(s.call("GetActivityTask", &json!({"activityArn": a["activityArn"]}))), "ActivityDoesNotExist");
}

fn activity_machine(s: &mut Service, heartbeat: Option<u64>) -> (String, String) {
    let act = s.call("CreateActivity", &json!({"name": "Work"})).unwrap()["activityArn"].as_str().unwrap().to_string();
    let mut task = json!({"Type": "Task", "Resource": act, "TimeoutSeconds": 300, "End": true});
    if let Some(h) = heartbeat {
        task["HeartbeatSeconds"] = json!(h);
    }
    let def = json!({"StartAt": "T", "States": {"T": task}}).to_string();
    (create(s, "M", &def), act)
}

#[test]
fn activity_worker_round_trip() {
    let mut s = svc();
    let (sm, act) = activity_machine(&mut s, None);
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm, "input": "{\"n\":1}"})).unwrap();
    let t = s.call("GetActivityTask", &json!({"activityArn": act, "workerName": "w1"})).unwrap();
    assert_eq!(t["input"], "{\"n\":1}");
    let token = t["taskToken"].as_str().unwrap().to_string();
    s.call("SendTaskHeartbeat", &json!({"taskToken": token})).unwrap();
    s.call("SendTaskSuccess", &json!({"taskToken": token, "output": "{\"done\":true}"})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["output"], "{\"done\":true}");
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let types: Vec<&str> = h["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]);
    assert_eq!(h["events"][3]["activityStartedEventDetails"]["workerName"], "w1");
    // The task is over: its token now times out; an unknown token is invalid.
    let e2 = s.call("SendTaskSuccess", &json!({"taskToken": token, "output": "{}"})).unwrap_err();
    assert_eq!((e2.code, e2.message.as_str()), ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'"));
    let e3 = s.call("SendTaskFailure", &json!({"taskToken": "AQnope"})).unwrap_err();
    assert_eq!((e3.code, e3.message.as_str()), ("InvalidToken", "Invalid Token: 'Invalid token'"));
    assert_eq!(code(s.call("SendTaskHeartbeat", &json!({"taskToken": "x"}))), "InvalidToken");
    assert_eq!(code(s.call("SendTaskSuccess", &json!({"taskToken": token, "output": "{"}))), "InvalidOutput");
}

#[test]
fn get_activity_task_long_polls_sixty_virtual_seconds() {
    let mut s = svc();
    let (_sm, act) = activity_machine(&mut s, None);
    let t0 = s.now_ms();
    let t = s.call("GetActivityTask", &json!({"activityArn": act})).unwrap();
    assert_eq!(t, json!({}));
    assert_eq!(s.now_ms() - t0, 60_000);
}

#[test]
fn get_activity_task_waits_for_a_task_that_comes_later() {
    let mut s = svc();
    let act = s.call("CreateActivity", &json!({"name": "Work"})).unwrap()["activityArn"].as_str().unwrap().to_string();
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 20, "Next": "T"},
        "T": {"Type": "Task", "Resource": act, "End": true}}}).to_string();
    let sm = create(&mut s, "M", &def);
    s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let t0 = s.now_ms();
    let t = s.call("GetActivityTask", &json!({"activityArn": act})).unwrap();
    assert!(t["taskToken"].is_string());
    assert_eq!(s.now_ms() - t0, 20_000);
}

#[test]
fn missed_heartbeat_times_the_activity_out() {
    let mut s = svc();
    let (sm, act) = activity_machine(&mut s, Some(10));
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let t = s.call("GetActivityTask", &json!({"activityArn": act, "workerName": "w"})).unwrap();
    s.advance_to(s.now_ms() + 8_000);
    s.call("SendTaskHeartbeat", &json!({"taskToken": t["taskToken"]})).unwrap();
    s.advance_to(s.now_ms() + 8_000);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["status"], "RUNNING");
    s.advance_to(s.now_ms() + 3_000);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.Timeout")));
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "reverseOrder": true})).unwrap();
    assert_eq!(h["events"][1]["type"], "ActivityTimedOut");
    assert_eq!(code(s.call("SendTaskHeartbeat", &json!({"taskToken": t["taskToken"]}))), "TaskTimedOut");
}

#[test]
fn callback_with_a_task_token() {
    let mut s = svc();
    let def = json!({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": true}}}).to_string();
    let sm = create(&mut s, "M", &def);
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let scheduled = h["events"].as_array().unwrap().iter().find(|e| e["type"] == "TaskScheduled").unwrap().clone();
    let params: Value = serde_json::from_str(scheduled["taskScheduledEventDetails"]["parameters"].as_str().unwrap()).unwrap();
    let token = params["MessageBody"]["token"].as_str().unwrap().to_string();
    let pending = s.pending_tasks();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1.token, token);
    s.call("SendTaskFailure", &json!({"taskToken": token, "error": "Nope", "cause": "user said no"})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("Nope")));
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let types: Vec<&str> = h["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskFailed", "ExecutionFailed"]);
}

#[test]
fn unmocked_lambda_echoes_and_mock_test_cases_answer() {
    let cfg = ServiceConfig { mock_config: Some(json!({
        "StateMachines": {"M": {"TestCases": {"Boom": {"Call": "Fails"}}}},
        "MockedResponses": {"Fails": {"0": {"Throw": {"Error": "Lambda.Unknown", "Cause": "mocked"}}}}
    })), ..Default::default() };
    let mut s = Service::new(cfg);
    let def = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}).to_string();
    let sm = create(&mut s, "M", &def);
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm, "input": "{\"x\":1}"})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["output"], "{\"x\":1}");
    let e = s.call("StartExecution", &json!({"stateMachineArn": format!("{sm}#Boom")})).unwrap();
    assert!(!e["executionArn"].as_str().unwrap().contains('#'));
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["error"].as_str(), d["cause"].as_str()), (Some("Lambda.Unknown"), Some("mocked")));
    assert_eq!(code(s.call("StartExecution", &json!({"stateMachineArn": format!("{sm}#Nope")}))), "ValidationException");
}

#[test]
fn tags() {
    let mut s = svc();
    let sm = create(&mut s, "M", &pass_def());
    s.call("TagResource", &json!({"resourceArn": sm, "tags": [{"key": "team", "value": "a"}, {"key": "env", "value": ""}]})).unwrap();
    s.call("TagResource", &json!({"resourceArn": sm, "tags": [{"key": "team", "value": "b"}]})).unwrap();
    let t = s.call("ListTagsForResource", &json!({"resourceArn": sm})).unwrap();
    assert_eq!(t["tags"], json!([{"key": "team", "value": "b"}, {"key": "env", "value": ""}]));
    s.call("UntagResource", &json!({"resourceArn": sm, "tagKeys": ["team"]})).unwrap();
    assert_eq!(s.call("ListTagsForResource", &json!({"resourceArn": sm})).unwrap()["tags"], json!([{"key": "env", "value": ""}]));
    let many: Vec<Value> = (0..51).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    assert_eq!(code(s.call("TagResource", &json!({"resourceArn": sm, "tags": many}))), "TooManyTags");
    assert_eq!(code(s.call("TagResource", &json!({"resourceArn": sm, "tags": [{"key": "bad#", "value": "v"}]}))), "ValidationException");
    let missing = "arn:aws:states:us-east-1:123456789012:stateMachine:Nope";
    let e = s.call("ListTagsForResource", &json!({"resourceArn": missing})).unwrap_err();
    assert_eq!((e.code, e.message), ("ResourceNotFound", format!("Resource not found: '{missing}'")));
    assert_eq!(code(s.call("TagResource", &json!({"resourceArn": format!("{sm}:1"), "tags": []}))), "ResourceNotFound");
    assert_eq!(code(s.call("UntagResource", &json!({"resourceArn": "x", "tagKeys": []}))), "InvalidArn");
    let act = s.call("CreateActivity", &json!({"name": "A", "tags": [{"key": "k", "value": "v"}]})).unwrap();
    assert_eq!(s.call("ListTagsForResource", &json!({"resourceArn": act["activityArn"]})).unwrap()["tags"], json!([{"key": "k", "value": "v"}]));
}

#[test]
fn unknown_operations_and_bodies_are_refused() {
    let mut s = svc();
    assert_eq!(code(s.call("Frobnicate", &json!({}))), "UnknownOperationException");
    assert_eq!(code(s.call("ListStateMachines", &json!([1]))), "SerializationException");
    let e = ServiceError::new("ConflictException", "x");
    assert_eq!(e.http_status(), 409);
    assert_eq!(e.body()["__type"], "com.amazonaws.swf.service.v2.model#ConflictException");
}

#[test]
fn same_seed_same_world() {
    let run = || {
        let mut s = svc();
        let sm = create(&mut s, "M", &pass_def());
        s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap()["executionArn"].clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn simulated_worker_heartbeats_and_answers_on_the_virtual_clock() {
    let mut s = svc();
    let (sm, act) = activity_machine(&mut s, Some(10));
    s.add_worker(crate::sim::ActivityWorker {
        name: "sim-1".into(),
        activity_arn: act.clone(),
        latency_seconds: 25.0,
        heartbeat_seconds: Some(5.0),
        answer: crate::sim::Answer::Succeed { output: json!({"from": "worker"}) },
    })
    .unwrap();
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let t0 = s.now_ms();
    s.run_to_quiescence(i64::MAX);
    assert_eq!(s.now_ms() - t0, 25_000);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["output"], "{\"from\":\"worker\"}");
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(h["events"][3]["activityStartedEventDetails"]["workerName"], "sim-1");
}

#[test]
fn a_silent_worker_without_heartbeats_times_out() {
    let mut s = svc();
    let (sm, act) = activity_machine(&mut s, Some(10));
    s.add_worker(crate::sim::ActivityWorker {
        name: "quiet".into(),
        activity_arn: act,
        latency_seconds: 0.0,
        heartbeat_seconds: None,
        answer: crate::sim::Answer::Silent,
    })
    .unwrap();
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    s.run_to_quiescence(i64::MAX);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("States.Timeout")));
    assert_eq!(d["stopDate"].as_f64().unwrap() - d["startDate"].as_f64().unwrap(), 10.0);
    assert_eq!(s.next_due_ms(), None);
}

#[test]
fn a_callback_responder_answers_after_its_delay() {
    let mut s = svc();
    let def = json!({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
        "Parameters": {"TopicArn": "t", "Message.$": "$$.Task.Token"}, "End": true}}}).to_string();
    let sm = create(&mut s, "M", &def);
    s.add_responder(crate::sim::CallbackResponder {
        state_name: Some("Ask".into()),
        delay_seconds: 42.0,
        heartbeat_seconds: None,
        answer: crate::sim::Answer::Fail { error: Some("Rejected".into()), cause: None },
    })
    .unwrap();
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let t0 = s.now_ms();
    s.run_to_quiescence(i64::MAX);
    assert_eq!(s.now_ms() - t0, 42_000);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["error"], "Rejected");
}

#[test]
fn a_task_on_a_deleted_activity_fails_with_states_runtime() {
    let mut s = svc();
    let (sm, act) = activity_machine(&mut s, None);
    s.call("DeleteActivity", &json!({"activityArn": act})).unwrap();
    let e = s.call("StartExecution", &json!({"stateMachineArn": sm})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["error"], "States.Runtime");
    assert_eq!(
        d["cause"],
        format!("An error occurred while executing the state 'T' (entered at the event id #2). The activity {act} does not exist.")
    );
    let h = s.call("GetExecutionHistory", &json!({"executionArn": e["executionArn"]})).unwrap();
    let types: Vec<&str> = h["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
}

#[test]
fn start_execution_sync_runs_a_real_child_execution() {
    let mut s = svc();
    let child = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 10, "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": true}}}).to_string();
    let child_arn = create(&mut s, "Child", &child);
    let parent = |resource: &str| json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"StateMachineArn": child_arn, "Input": {"n.$": "$.n"}}, "End": true}}}).to_string();
    let p2 = create(&mut s, "Parent2", &parent("arn:aws:states:::states:startExecution.sync:2"));
    let e = s.call("StartExecution", &json!({"stateMachineArn": p2, "input": "{\"n\": 21}"})).unwrap();
    assert_eq!(s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap()["status"], "RUNNING");
    s.run_to_quiescence(i64::MAX);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["status"], "SUCCEEDED");
    let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
    assert_eq!(out["Output"], json!({"doubled": 42}));
    assert_eq!(out["Status"], "SUCCEEDED");
    // The child is a listed execution of its own machine.
    let l = s.call("ListExecutions", &json!({"stateMachineArn": child_arn})).unwrap();
    assert_eq!(l["executions"].as_array().unwrap().len(), 1);
    // `.sync` gives the child's output as text; request-response only the start.
    let p1 = create(&mut s, "Parent1", &parent("arn:aws:states:::states:startExecution.sync"));
    let e = s.call("StartExecution", &json!({"stateMachineArn": p1, "input": "{\"n\": 1}"})).unwrap();
    s.run_to_quiescence(i64::MAX);
    let out: Value = serde_json::from_str(s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap()["output"].as_str().unwrap()).unwrap();
    assert_eq!(out["Output"], "{\"doubled\":2}");
    let p0 = create(&mut s, "Parent0", &parent("arn:aws:states:::states:startExecution"));
    let e = s.call("StartExecution", &json!({"stateMachineArn": p0, "input": "{\"n\": 1}"})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["status"], "SUCCEEDED");
    let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
    assert!(out["ExecutionArn"].as_str().unwrap().contains(":execution:Child:"));
}

#[test]
fn a_failing_child_fails_the_sync_task_with_its_description() {
    let mut s = svc();
    let child = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "child broke"}}}).to_string();
    let child_arn = create(&mut s, "Child", &child);
    let parent = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": child_arn}, "End": true}}}).to_string();
    let p = create(&mut s, "Parent", &parent);
    let e = s.call("StartExecution", &json!({"stateMachineArn": p})).unwrap();
    s.run_to_quiescence(i64::MAX);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["error"], "States.TaskFailed");
    let cause: Value = serde_json::from_str(d["cause"].as_str().unwrap()).unwrap();
    assert_eq!((cause["Error"].as_str(), cause["Status"].as_str()), (Some("Boom"), Some("FAILED")));
    // A machine that does not exist is the integration's error.
    let bad = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Nope"}, "End": true}}}).to_string();
    let b = create(&mut s, "Bad", &bad);
    let e = s.call("StartExecution", &json!({"stateMachineArn": b})).unwrap();
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["error"], "SFN.StateMachineDoesNotExistException");
}

fn history_of(s: &mut Service, arn: &str) -> Vec<Value> {
    s.call("GetExecutionHistory", &json!({"executionArn": arn, "maxResults": 1000}))
        .unwrap()["events"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn stepwise_step_does_one_thing_and_ends_as_a_direct_run() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}
    }})
    .to_string();
    // Directly: StartExecution runs what it can, the clock finishes the Wait.
    let mut direct = svc();
    let m = create(&mut direct, "M", &def);
    let a = direct.call("StartExecution", &json!({"stateMachineArn": m, "name": "e", "input": "{\"x\":1}"})).unwrap();
    let a = a["executionArn"].as_str().unwrap().to_string();
    direct.run_to_quiescence(i64::MAX);
    let want = history_of(&mut direct, &a);

    // Stepwise: nothing runs until step; each step adds at most a few events; the end is the same.
    let mut s = svc();
    s.set_stepwise(true);
    let m = create(&mut s, "M", &def);
    let b = s.call("StartExecution", &json!({"stateMachineArn": m, "name": "e", "input": "{\"x\":1}"})).unwrap();
    let b = b["executionArn"].as_str().unwrap().to_string();
    assert_eq!(history_of(&mut s, &b).len(), 0);
    let t0 = s.now_ms();
    let mut lens = Vec::new();
    let mut steps = 0;
    while s.step() {
        steps += 1;
        assert!(steps < 1000, "step never ends");
        lens.push(history_of(&mut s, &b).len());
    }
    assert!(steps > 5, "{steps} steps");
    assert!(lens.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(s.now_ms() - t0, 5_000, "the Wait moved the clock");
    assert_eq!(history_of(&mut s, &b), want);
    assert!(!s.step());
}

#[test]
fn stepwise_leaves_a_callback_open_until_answered() {
    let def = json!({"StartAt": "C", "States": {"C": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}})
    .to_string();
    let mut s = svc();
    s.set_stepwise(true);
    let m = create(&mut s, "M", &def);
    let e = s.call("StartExecution", &json!({"stateMachineArn": m, "name": "e"})).unwrap();
    let e = e["executionArn"].as_str().unwrap().to_string();
    while s.step() {}
    let open = s.pending_tasks();
    assert_eq!(open.len(), 1);
    let token = open[0].1.token.clone();
    s.call("SendTaskSuccess", &json!({"taskToken": token, "output": "{\"ok\":true}"})).unwrap();
    assert_eq!(s.execution(&e).unwrap().status(), crate::engine::Status::Running);
    while s.step() {}
    let d = s.call("DescribeExecution", &json!({"executionArn": e})).unwrap();
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(d["output"], "{\"ok\":true}");
}

#[test]
fn stepwise_runs_a_real_child_for_start_execution_sync() {
    let mut s = svc();
    s.set_stepwise(true);
    let child = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"from": "child"}, "End": true}}}).to_string();
    let child_arn = create(&mut s, "Child", &child);
    let parent = json!({"StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child_arn}, "End": true}}}).to_string();
    let p = create(&mut s, "Parent", &parent);
    let e = s.call("StartExecution", &json!({"stateMachineArn": p})).unwrap();
    let mut steps = 0;
    while s.step() {
        steps += 1;
        assert!(steps < 1000);
    }
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!(d["status"], "SUCCEEDED");
    let out: Value = serde_json::from_str(d["output"].as_str().unwrap()).unwrap();
    assert_eq!(out["Output"], json!({"from": "child"}), "the child really ran, not a default answer");
}
