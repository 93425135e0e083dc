//! Paging that neither repeats nor skips when items come and go between pages, `retain_executions`,
//! and the indexes agreeing with what a scan of every execution would find.

use crate::service::{Service, ServiceConfig, ServiceError};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ROLE: &str = "arn:aws:iam::123456789012:role/R";
const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn ok(s: &mut Service, op: &str, req: Value) -> Value {
    s.call(op, &req).unwrap_or_else(|e| panic!("{op}: {} {}", e.code, e.message))
}

fn err(s: &mut Service, op: &str, req: Value) -> ServiceError {
    s.call(op, &req).unwrap_err()
}

fn machine(s: &mut Service, name: &str, def: &str) -> String {
    ok(s, "CreateStateMachine", json!({"name": name, "definition": def, "roleArn": ROLE}))["stateMachineArn"]
        .as_str()
        .unwrap()
        .to_string()
}

fn start(s: &mut Service, sm: &str, name: &str) -> String {
    ok(s, "StartExecution", json!({"stateMachineArn": sm, "name": name}))["executionArn"].as_str().unwrap().to_string()
}

/// A Task on a callback nobody answers: the execution runs until its token is sent.
fn callback_def() -> String {
    json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}})
    .to_string()
}

fn token_of(s: &Service, execution: &str) -> String {
    s.pending_tasks().into_iter().find(|(arn, _)| arn == execution).expect("an open task").1.token
}

fn names(page: &Value, list: &str, field: &str) -> Vec<String> {
    page[list].as_array().unwrap().iter().map(|i| i[field].as_str().unwrap().to_string()).collect()
}

/// Pages through `op` with `maxResults`, calling `between` after each page; all the names seen.
fn page_through(s: &mut Service, op: &str, mut req: Value, list: &str, field: &str, mut between: impl FnMut(&mut Service, usize)) -> Vec<String> {
    let mut seen = Vec::new();
    for n in 0.. {
        let page = ok(s, op, req.clone());
        seen.extend(names(&page, list, field));
        let Some(t) = page.get("nextToken").cloned() else { break };
        req["nextToken"] = t;
        between(s, n);
    }
    seen
}

/// Every item of `always` (there from the first page to the last) is seen exactly once, and
/// nothing is seen twice.
fn check_no_repeat_no_skip(seen: &[String], always: &BTreeSet<String>) {
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an item was listed twice: {seen:?}");
    for a in always {
        assert!(unique.contains(a), "{a} was skipped: {seen:?}");
    }
}

#[test]
fn list_state_machines_and_activities_survive_creates_and_deletes_between_pages() {
    let mut s = Service::new(ServiceConfig::default());
    for i in 0..30 {
        machine(&mut s, &format!("m{i:02}"), PASS);
        ok(&mut s, "CreateActivity", json!({"name": format!("a{i:02}")}));
    }
    let sm = |i: usize| format!("arn:aws:states:us-east-1:123456789012:stateMachine:m{i:02}");
    let act = |i: usize| format!("arn:aws:states:us-east-1:123456789012:activity:a{i:02}");
    // After page 1 (m00..m09): delete m03 and m04 (listed) and m15 (not yet), create m035 (before
    // the cut) and m155 (after it). With offsets, page 2 would skip m10.
    let changes = |s: &mut Service, n: usize, kind: &str| {
        if n != 0 {
            return;
        }
        if kind == "sm" {
            ok(s, "DeleteStateMachine", json!({"stateMachineArn": sm(3)}));
            ok(s, "DeleteStateMachine", json!({"stateMachineArn": sm(4)}));
            ok(s, "DeleteStateMachine", json!({"stateMachineArn": sm(15)}));
            machine(s, "m035", PASS);
            machine(s, "m155", PASS);
        } else {
            ok(s, "DeleteActivity", json!({"activityArn": act(3)}));
            ok(s, "DeleteActivity", json!({"activityArn": act(4)}));
            ok(s, "DeleteActivity", json!({"activityArn": act(15)}));
            ok(s, "CreateActivity", json!({"name": "a035"}));
            ok(s, "CreateActivity", json!({"name": "a155"}));
        }
    };
    let always: BTreeSet<String> = (0..30).filter(|i| ![3, 4, 15].contains(i)).map(|i| format!("m{i:02}")).collect();
    let seen = page_through(&mut s, "ListStateMachines", json!({"maxResults": 10}), "stateMachines", "name", |s, n| changes(s, n, "sm"));
    check_no_repeat_no_skip(&seen, &always);
    assert_eq!(&seen[..11], ["m00", "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10"]);
    assert!(seen.contains(&"m155".to_string()) && !seen.contains(&"m035".to_string()) && !seen.contains(&"m15".to_string()));

    let always: BTreeSet<String> = (0..30).filter(|i| ![3, 4, 15].contains(i)).map(|i| format!("a{i:02}")).collect();
    let seen = page_through(&mut s, "ListActivities", json!({"maxResults": 10}), "activities", "name", |s, n| changes(s, n, "act"));
    check_no_repeat_no_skip(&seen, &always);
    assert_eq!(seen[10], "a10");
    assert!(seen.contains(&"a155".to_string()) && !seen.contains(&"a035".to_string()));
}

#[test]
fn list_executions_survive_starts_drops_and_status_changes_between_pages() {
    let mut s = Service::new(ServiceConfig { retain_executions: Some(3), ..Default::default() });
    let sm = machine(&mut s, "M", &callback_def());
    let arns: Vec<String> = (0..30).map(|i| start(&mut s, &sm, &format!("e{i:02}"))).collect();
    // Newest first: page 1 is e29..e20. Then: new executions start (newer: not on later pages),
    // e25 (listed) and e12 (not yet) end, and with retain 3 older ones are dropped as others end.
    let mut ended = Vec::new();
    let seen = page_through(&mut s, "ListExecutions", json!({"stateMachineArn": sm, "maxResults": 10}), "executions", "name", |s, n| {
        if n == 0 {
            for i in 0..3 {
                start(s, &sm, &format!("new{i}"));
            }
            for i in [25, 12, 5, 6, 7] {
                let t = token_of(s, &arns[i]);
                ok(s, "SendTaskSuccess", json!({"taskToken": t, "output": "{}"}));
                ended.push(i);
            }
        }
    });
    // e25 and e12 ended first, so retain 3 dropped them: e05..e07 are the 3 kept.
    assert_eq!(err(&mut s, "DescribeExecution", json!({"executionArn": arns[12]})).code, "ExecutionDoesNotExist");
    assert_eq!(ok(&mut s, "DescribeExecution", json!({"executionArn": arns[5]}))["status"], "SUCCEEDED");
    let always: BTreeSet<String> = (0..30).filter(|i| !ended.contains(i)).map(|i| format!("e{i:02}")).collect();
    check_no_repeat_no_skip(&seen, &always);
    assert!(seen.iter().all(|n| !n.starts_with("new")));
    assert!(seen.contains(&"e25".to_string()), "listed on page 1, before it was dropped");
    assert!(!seen.contains(&"e12".to_string()), "dropped before its page");

    // A status filter: executions that stop running between pages leave the RUNNING listing.
    let req = json!({"stateMachineArn": sm, "statusFilter": "RUNNING", "maxResults": 4});
    let seen = page_through(&mut s, "ListExecutions", req, "executions", "name", |s, n| {
        if n == 0 {
            for i in [20, 10] {
                let t = token_of(s, &arns[i]);
                ok(s, "SendTaskSuccess", json!({"taskToken": t, "output": "{}"}));
            }
        }
    });
    let always: BTreeSet<String> =
        (0..30).filter(|i| ![5, 6, 7, 12, 25, 10, 20].contains(i)).map(|i| format!("e{i:02}")).collect();
    check_no_repeat_no_skip(&seen, &always);
    assert!(!seen.contains(&"e10".to_string()));
    assert_eq!(&seen[..4], ["new2", "new1", "new0", "e29"]);
}

#[test]
fn history_pages_in_reverse_while_it_grows() {
    let mut s = Service::new(ServiceConfig::default());
    let sm = machine(&mut s, "M", &callback_def());
    let arn = start(&mut s, &sm, "e");
    let first = ok(&mut s, "GetExecutionHistory", json!({"executionArn": arn, "reverseOrder": true, "maxResults": 2}));
    let mut ids: Vec<u64> = first["events"].as_array().unwrap().iter().map(|e| e["id"].as_u64().unwrap()).collect();
    let t = token_of(&s, &arn);
    ok(&mut s, "SendTaskSuccess", json!({"taskToken": t, "output": "{}"}));
    let rest = ok(&mut s, "GetExecutionHistory", json!({"executionArn": arn, "reverseOrder": true, "nextToken": first["nextToken"]}));
    ids.extend(rest["events"].as_array().unwrap().iter().map(|e| e["id"].as_u64().unwrap()));
    // Events 5 and 4 first, then 3, 2, 1: the ones the execution added meanwhile are newer than
    // the first page and do not shift the second.
    assert_eq!(ids, [5, 4, 3, 2, 1]);
    let forward = ok(&mut s, "GetExecutionHistory", json!({"executionArn": arn, "maxResults": 3}));
    let more = ok(&mut s, "GetExecutionHistory", json!({"executionArn": arn, "maxResults": 100, "nextToken": forward["nextToken"]}));
    assert_eq!(more["events"][0]["id"], 4);
    let beyond = crate::service::pagination::token_for(&format!("GetExecutionHistory|{arn}|false"), "99");
    assert_eq!(err(&mut s, "GetExecutionHistory", json!({"executionArn": arn, "nextToken": beyond})).code, "InvalidToken");
}

#[test]
fn versions_and_aliases_page_stably() {
    let mut s = Service::new(ServiceConfig::default());
    let sm = machine(&mut s, "M", PASS);
    for i in 0..6 {
        let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": i, "End": true}}}).to_string();
        ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": sm, "definition": def, "publish": true}));
    }
    let seen = page_through(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": sm, "maxResults": 2}), "stateMachineVersions", "stateMachineVersionArn", |s, n| {
        if n == 0 {
            // :6 and :5 were listed; :5 (listed) and :3 (not yet) go.
            ok(s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": format!("{sm}:5")}));
            ok(s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": format!("{sm}:3")}));
        }
    });
    let numbers: Vec<&str> = seen.iter().map(|a| a.rsplit(':').next().unwrap()).collect();
    assert_eq!(numbers, ["6", "5", "4", "2", "1"]);

    for name in ["a", "b", "c", "d", "e"] {
        let routing = json!([{"stateMachineVersionArn": format!("{sm}:1"), "weight": 100}]);
        ok(&mut s, "CreateStateMachineAlias", json!({"name": name, "routingConfiguration": routing}));
    }
    let seen = page_through(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": sm, "maxResults": 2}), "stateMachineAliases", "stateMachineAliasArn", |s, n| {
        if n == 0 {
            ok(s, "DeleteStateMachineAlias", json!({"stateMachineAliasArn": format!("{sm}:a")}));
            ok(s, "DeleteStateMachineAlias", json!({"stateMachineAliasArn": format!("{sm}:d")}));
        }
    });
    let aliases: Vec<&str> = seen.iter().map(|a| a.rsplit(':').next().unwrap()).collect();
    assert_eq!(aliases, ["a", "b", "c", "e"]);
}

#[test]
fn retention_drops_the_first_finished_and_never_a_running_one() {
    let mut s = Service::new(ServiceConfig { retain_executions: Some(2), ..Default::default() });
    let pass = machine(&mut s, "P", PASS);
    let cb = machine(&mut s, "C", &callback_def());
    let waiting = start(&mut s, &cb, "waiting");
    let done: Vec<String> = (0..4).map(|i| start(&mut s, &pass, &format!("p{i}"))).collect();
    for (i, arn) in done.iter().enumerate() {
        let d = s.call("DescribeExecution", &json!({"executionArn": arn}));
        match i {
            0 | 1 => {
                let e = d.unwrap_err();
                assert_eq!((e.code, e.message), ("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{arn}'")));
            }
            _ => assert_eq!(d.unwrap()["status"], "SUCCEEDED"),
        }
    }
    for op in ["GetExecutionHistory", "DescribeStateMachineForExecution", "ListMapRuns", "RedriveExecution"] {
        assert_eq!(err(&mut s, op, json!({"executionArn": done[0]})).code, "ExecutionDoesNotExist", "{op}");
    }
    assert_eq!(names(&ok(&mut s, "ListExecutions", json!({"stateMachineArn": pass})), "executions", "name"), ["p3", "p2"]);
    // The running one stays however many finish.
    assert_eq!(ok(&mut s, "DescribeExecution", json!({"executionArn": waiting}))["status"], "RUNNING");
    // A dropped execution's name can be used again.
    let again = start(&mut s, &pass, "p0");
    assert_eq!(again, done[0]);
    // It ends: now it is the newest finished, and p3 (the first finished of those kept) goes.
    let t = token_of(&s, &waiting);
    ok(&mut s, "SendTaskSuccess", json!({"taskToken": t, "output": "{}"}));
    assert_eq!(names(&ok(&mut s, "ListExecutions", json!({"stateMachineArn": pass})), "executions", "name"), ["p0"]);
    assert_eq!(ok(&mut s, "DescribeExecution", json!({"executionArn": waiting}))["status"], "SUCCEEDED");
    // Its token is gone with it, once it is dropped.
    start(&mut s, &pass, "p5");
    start(&mut s, &pass, "p6");
    assert_eq!(err(&mut s, "DescribeExecution", json!({"executionArn": waiting})).code, "ExecutionDoesNotExist");
    assert_eq!(err(&mut s, "SendTaskSuccess", json!({"taskToken": t, "output": "{}"})).code, "InvalidToken");
    assert_eq!(s.execution_arns().len(), 2);
}

#[test]
fn retention_zero_keeps_what_a_parent_or_a_sync_caller_still_needs() {
    let mut s = Service::new(ServiceConfig { retain_executions: Some(0), ..Default::default() });
    let child = machine(&mut s, "Child", r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1000,"End":true}}}"#);
    let hold: Value = serde_json::from_str::<Value>(&callback_def()).unwrap()["States"]["T"].clone();
    let parent_def = json!({"StartAt": "Run", "States": {
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": child},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Hold"}], "Next": "Hold"},
        "Hold": hold}})
    .to_string();
    let parent = machine(&mut s, "Parent", &parent_def);
    let p = start(&mut s, &parent, "p");
    let listed = ok(&mut s, "ListExecutions", json!({"stateMachineArn": child}));
    let c = listed["executions"][0]["executionArn"].as_str().unwrap().to_string();
    // Stopped outside the parent's run: the parent has not seen it end, so it stays.
    ok(&mut s, "StopExecution", json!({"executionArn": c}));
    assert_eq!(ok(&mut s, "DescribeExecution", json!({"executionArn": c}))["status"], "ABORTED");
    s.advance_to(s.now_ms() + 1);
    let h = ok(&mut s, "GetExecutionHistory", json!({"executionArn": p}));
    let types: Vec<&str> = h["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"TaskFailed"), "{types:?}");
    assert_eq!(err(&mut s, "DescribeExecution", json!({"executionArn": c})).code, "ExecutionDoesNotExist");
    assert_eq!(s.execution_arns(), [p]);

    let express = ok(&mut s, "CreateStateMachine", json!({"name": "X", "definition": PASS, "roleArn": ROLE, "type": "EXPRESS"}));
    let started = s.start_sync_execution_async(&json!({"stateMachineArn": express["stateMachineArn"]})).unwrap();
    let arn = started["executionArn"].as_str().unwrap();
    s.advance_to(s.now_ms() + 1);
    assert_eq!(s.sync_result(arn).unwrap()["status"], "SUCCEEDED");
    assert!(s.sync_result(arn).is_none(), "read once, then dropped");
}

/// The indexes against a scan: every finished, running, listed, timed and tasked execution is
/// found through them as a scan over all executions finds it.
#[test]
fn indexes_agree_with_a_scan() {
    let mut s = Service::new(ServiceConfig { retain_executions: Some(7), ..Default::default() });
    let wait = machine(&mut s, "W", r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"End":true}}}"#);
    let cb = machine(&mut s, "C", &callback_def());
    let pass = machine(&mut s, "P", PASS);
    let mut n = 0;
    for round in 0..6 {
        for sm in [&wait, &cb, &pass] {
            start(&mut s, sm, &format!("e{n}"));
            n += 1;
        }
        if round % 2 == 1 {
            let (_, t) = s.pending_tasks().into_iter().next().unwrap();
            ok(&mut s, "SendTaskSuccess", json!({"taskToken": t.token, "output": "{}"}));
        }
        s.advance_to(s.now_ms() + 2_000);
        let all: Vec<(String, String, String)> = s
            .executions
            .iter()
            .map(|(_, r)| (r.machine.arn.clone(), r.name.clone(), r.exec.status().as_aws().to_string()))
            .collect();
        let finished = all.iter().filter(|(_, _, st)| st != "RUNNING").count();
        assert!(finished <= 7);
        assert_eq!(s.executions.finished_count(), finished);
        for sm in [&wait, &cb, &pass] {
            for status in [None, Some("RUNNING"), Some("SUCCEEDED")] {
                let mut req = json!({"stateMachineArn": sm, "maxResults": 1000});
                if let Some(st) = status {
                    req["statusFilter"] = json!(st);
                }
                let listed = names(&ok(&mut s, "ListExecutions", req), "executions", "name");
                let mut scanned: Vec<String> = all
                    .iter()
                    .filter(|(m, _, st)| m == sm && status.is_none_or(|x| x == st))
                    .map(|(_, name, _)| name.clone())
                    .collect();
                scanned.reverse();
                assert_eq!(listed, scanned, "{sm} {status:?}");
            }
        }
        let next = s.executions.iter().filter(|(_, r)| r.exec.status() == crate::engine::Status::Running).filter_map(|(_, r)| r.exec.next_timer_ms()).min();
        assert_eq!(s.executions.next_timer(), next);
        let with_tasks = s.executions.iter().filter(|(_, r)| r.exec.status() == crate::engine::Status::Running && r.exec.pending_tasks().next().is_some()).count();
        assert_eq!(s.executions.with_tasks().count(), with_tasks);
    }
}
