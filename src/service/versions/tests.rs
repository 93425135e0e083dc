//! The recorded cases of test_sfn_api_versioning and test_sfn_api_aliasing (responses and errors
//! as AWS gave them; dates and ARNs in this service's scope).

use crate::service::{Service, ServiceConfig};
use serde_json::{json, Value};

const ROLE: &str = "arn:aws:iam::123456789012:role/R";
const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:sm";

fn def(comment: &str) -> String {
    json!({"Comment": comment, "StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}).to_string()
}

fn service() -> Service {
    Service::new(ServiceConfig::default())
}

fn ok(s: &mut Service, op: &str, req: Value) -> Value {
    s.call(op, &req).unwrap_or_else(|e| panic!("{op}: {e}"))
}

fn err(s: &mut Service, op: &str, req: Value) -> (String, String) {
    let e = s.call(op, &req).expect_err(op);
    (e.code.to_string(), e.message)
}

fn create(s: &mut Service, publish: bool) -> Value {
    ok(s, "CreateStateMachine", json!({"name": "sm", "definition": def("BASE_PASS_RESULT"), "roleArn": ROLE, "publish": publish}))
}

fn versions(s: &mut Service) -> Vec<String> {
    let out = ok(s, "ListStateMachineVersions", json!({"stateMachineArn": SM}));
    out["stateMachineVersions"].as_array().unwrap().iter().map(|v| v["stateMachineVersionArn"].as_str().unwrap().to_string()).collect()
}

#[test]
fn create_with_publish_and_describe_the_version() {
    let mut s = service();
    let out = ok(&mut s, "CreateStateMachine", json!({"name": "sm", "definition": def("BASE_PASS_RESULT"), "roleArn": ROLE, "publish": true, "versionDescription": "HelloWorld!"}));
    assert_eq!(out, json!({"creationDate": 1735689600.0, "stateMachineArn": SM, "stateMachineVersionArn": format!("{SM}:1")}));
    let v = ok(&mut s, "DescribeStateMachine", json!({"stateMachineArn": format!("{SM}:1")}));
    assert_eq!(
        v,
        json!({"creationDate": 1735689600.0, "definition": def("BASE_PASS_RESULT"), "description": "HelloWorld!",
            "loggingConfiguration": {"includeExecutionData": false, "level": "OFF"}, "name": "sm", "roleArn": ROLE,
            "stateMachineArn": format!("{SM}:1"), "status": "ACTIVE", "tracingConfiguration": {"enabled": false}, "type": "STANDARD"})
    );
    let base = ok(&mut s, "DescribeStateMachine", json!({"stateMachineArn": SM}));
    assert!(base.get("description").is_none() && base.get("revisionId").is_none());
    let express = ok(&mut s, "CreateStateMachine", json!({"name": "fast", "definition": def("x"), "roleArn": ROLE, "type": "EXPRESS", "publish": true}));
    assert!(express["stateMachineVersionArn"].as_str().unwrap().ends_with(":stateMachine:fast:1"));
}

#[test]
fn version_description_needs_publish() {
    let mut s = service();
    let e = err(&mut s, "CreateStateMachine", json!({"name": "sm", "definition": def("x"), "roleArn": ROLE, "versionDescription": "d"}));
    assert_eq!(e, ("ValidationException".into(), "Version description can only be set when publish is true".into()));
    create(&mut s, false);
    let e = err(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("y"), "versionDescription": "d"}));
    assert_eq!(e.1, "Version description can only be set when publish is true");
}

#[test]
fn update_with_publish_lists_newest_first_and_versions_cannot_be_updated() {
    let mut s = service();
    create(&mut s, false);
    let u1 = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R1"), "publish": true}));
    assert_eq!(u1["stateMachineVersionArn"], format!("{SM}:1"));
    assert!(u1["revisionId"].is_string());
    let u2 = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R2"), "publish": true}));
    assert_eq!(u2["stateMachineVersionArn"], format!("{SM}:2"));
    assert_ne!(u1["revisionId"], u2["revisionId"]);
    assert_eq!(versions(&mut s), [format!("{SM}:2"), format!("{SM}:1")]);
    for publish in [false, true] {
        let e = err(&mut s, "UpdateStateMachine", json!({"stateMachineArn": format!("{SM}:2"), "definition": def("R3"), "publish": publish}));
        assert_eq!(e, ("StateMachineDoesNotExist".into(), format!("State Machine Does Not Exist: '{SM}:2'")));
    }
}

#[test]
fn publish_checks_the_revision() {
    let mut s = service();
    create(&mut s, false);
    let u1 = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R1")}));
    assert!(u1.get("stateMachineVersionArn").is_none());
    let p1 = ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM, "revisionId": u1["revisionId"]}));
    assert_eq!(p1["stateMachineVersionArn"], format!("{SM}:1"));
    let d1 = ok(&mut s, "DescribeStateMachine", json!({"stateMachineArn": format!("{SM}:1")}));
    assert_eq!((&d1["revisionId"], &d1["definition"]), (&u1["revisionId"], &json!(def("BASE_PASS_RESULT-R1"))));
    let u2 = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R2")}));
    let p2 = ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM, "revisionId": u2["revisionId"], "description": "PublishedV2Description"}));
    assert_eq!(p2["stateMachineVersionArn"], format!("{SM}:2"));
    let d2 = ok(&mut s, "DescribeStateMachine", json!({"stateMachineArn": format!("{SM}:2")}));
    assert_eq!(d2["description"], "PublishedV2Description");
    let u3 = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R3")}));
    let e = err(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM, "revisionId": u2["revisionId"]}));
    assert_eq!(
        e,
        (
            "ConflictException".into(),
            format!(
                "Failed to publish the State Machine version for revision {}. The current State Machine revision is {}.",
                u2["revisionId"].as_str().unwrap(),
                u3["revisionId"].as_str().unwrap()
            )
        )
    );
    let fresh = ok(&mut s, "CreateStateMachine", json!({"name": "other", "definition": def("x"), "roleArn": ROLE}));
    let arn = fresh["stateMachineArn"].as_str().unwrap();
    assert_eq!(err(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": arn, "revisionId": "abc"})).0, "ConflictException");
    assert!(s.call("PublishStateMachineVersion", &json!({"stateMachineArn": arn, "revisionId": "INITIAL"})).is_ok());
}

#[test]
fn publish_errors() {
    let mut s = service();
    let missing = format!("{SM}x");
    let e = err(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": missing}));
    assert_eq!(e, ("StateMachineDoesNotExist".into(), format!("State Machine Does Not Exist: '{missing}'")));
    let e = err(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": "invalid_arn"}));
    assert_eq!(e, ("InvalidArn".into(), "Invalid Arn: 'Invalid ARN prefix: invalid_arn'".into()));
}

#[test]
fn idempotent_publish_and_unchanged_updates() {
    let mut s = service();
    create(&mut s, false);
    let a = ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM}));
    let b = ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM}));
    assert_eq!(a, b);
    assert_eq!(versions(&mut s), [format!("{SM}:1")]);

    // test_empty_revision_with_publish_and_(no_)publish_on_creation: no revisionId, the same :1.
    for on_creation in [false, true] {
        let mut s = service();
        create(&mut s, on_creation);
        for _ in 0..2 {
            let u = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT"), "publish": true}));
            assert_eq!(u, json!({"stateMachineVersionArn": format!("{SM}:1"), "updateDate": 1735689600.0}));
        }
    }
}

#[test]
fn version_numbers_are_not_reused_and_deleting_is_idempotent() {
    let mut s = service();
    create(&mut s, true);
    ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R2"), "publish": true}));
    assert_eq!(ok(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": format!("{SM}:2")})), json!({}));
    let p = ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM}));
    assert_eq!(p["stateMachineVersionArn"], format!("{SM}:3"));
    assert_eq!(ok(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": format!("{SM}:1")})), json!({}));
    assert_eq!(ok(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": format!("{SM}:1")})), json!({}));
    assert_eq!(versions(&mut s), [format!("{SM}:3")]);
    assert_eq!(err(&mut s, "DescribeStateMachine", json!({"stateMachineArn": format!("{SM}:1")})).0, "StateMachineDoesNotExist");
    assert_eq!(err(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": SM})).0, "ValidationException");
}

#[test]
fn list_versions_pages() {
    let mut s = service();
    create(&mut s, false);
    for i in 1..=13 {
        ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def(&format!("R{i}")), "publish": true}));
    }
    let p1 = ok(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": SM, "maxResults": 10}));
    let arns: Vec<&str> = p1["stateMachineVersions"].as_array().unwrap().iter().map(|v| v["stateMachineVersionArn"].as_str().unwrap()).collect();
    assert_eq!(arns, (4..=13).rev().map(|n| format!("{SM}:{n}")).collect::<Vec<_>>());
    let p2 = ok(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": SM, "maxResults": 3, "nextToken": p1["nextToken"]}));
    assert_eq!(p2["stateMachineVersions"].as_array().unwrap().len(), 3);
    assert!(p2.get("nextToken").is_none());
    let e = err(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": SM, "maxResults": 1001}));
    assert_eq!(e.1, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
    let long = "x".repeat(1025);
    let e = err(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": SM, "nextToken": long}));
    assert_eq!(e.1, format!("1 validation error detected: Value '{long}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1024"));
    let all = ok(&mut s, "ListStateMachineVersions", json!({"stateMachineArn": SM, "maxResults": 0}));
    assert_eq!((all["stateMachineVersions"].as_array().unwrap().len(), all.get("nextToken")), (13, None));
}

#[test]
fn executions_of_a_version() {
    let mut s = service();
    create(&mut s, true);
    let plain = ok(&mut s, "StartExecution", json!({"stateMachineArn": SM, "name": "e0"}));
    let on_version = ok(&mut s, "StartExecution", json!({"stateMachineArn": format!("{SM}:1"), "name": "e1"}));
    assert_eq!(on_version["executionArn"], "arn:aws:states:us-east-1:123456789012:execution:sm:e1");
    let d = ok(&mut s, "DescribeExecution", json!({"executionArn": on_version["executionArn"]}));
    assert_eq!((&d["stateMachineArn"], &d["stateMachineVersionArn"], &d["status"]), (&json!(SM), &json!(format!("{SM}:1")), &json!("SUCCEEDED")));
    assert!(d.get("stateMachineAliasArn").is_none());
    let d0 = ok(&mut s, "DescribeExecution", json!({"executionArn": plain["executionArn"]}));
    assert!(d0.get("stateMachineVersionArn").is_none());
    let by_version = ok(&mut s, "ListExecutions", json!({"stateMachineArn": format!("{SM}:1")}));
    assert_eq!(
        by_version["executions"],
        json!([{"executionArn": on_version["executionArn"], "name": "e1", "redriveCount": 0, "startDate": 1735689600.0,
            "stateMachineArn": SM, "stateMachineVersionArn": format!("{SM}:1"), "status": "SUCCEEDED", "stopDate": 1735689600.0}])
    );
    let all = ok(&mut s, "ListExecutions", json!({"stateMachineArn": SM}));
    assert_eq!(all["executions"].as_array().unwrap().len(), 2);
    let e = err(&mut s, "StartExecution", json!({"stateMachineArn": format!("{SM}:9")}));
    assert_eq!(e, ("StateMachineDoesNotExist".into(), format!("State Machine Does Not Exist: '{SM}:9'")));
    // The version keeps running what was published.
    ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}).to_string()}));
    let again = ok(&mut s, "StartExecution", json!({"stateMachineArn": format!("{SM}:1")}));
    let d = ok(&mut s, "DescribeExecution", json!({"executionArn": again["executionArn"]}));
    assert_eq!(d["output"], r#"{"Arg1":"argument1"}"#);
    let f = ok(&mut s, "DescribeStateMachineForExecution", json!({"executionArn": again["executionArn"]}));
    assert_eq!((&f["stateMachineArn"], &f["definition"]), (&json!(SM), &json!(def("BASE_PASS_RESULT"))));
    assert!(f.get("revisionId").is_none());
}

#[test]
fn deleting_the_state_machine_deletes_its_versions() {
    let mut s = service();
    create(&mut s, true);
    ok(&mut s, "DeleteStateMachine", json!({"stateMachineArn": SM}));
    create(&mut s, false);
    assert!(versions(&mut s).is_empty());
    assert_eq!(ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM}))["stateMachineVersionArn"], format!("{SM}:1"));
}

#[test]
fn describe_state_machine_for_an_execution_of_a_version_with_a_revision() {
    let mut s = service();
    create(&mut s, false);
    let u = ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R2"), "publish": true}));
    ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def("BASE_PASS_RESULT-R3")}));
    let run = ok(&mut s, "StartExecution", json!({"stateMachineArn": u["stateMachineVersionArn"]}));
    let f = ok(&mut s, "DescribeStateMachineForExecution", json!({"executionArn": run["executionArn"]}));
    assert_eq!(
        f,
        json!({"definition": def("BASE_PASS_RESULT-R2"), "loggingConfiguration": {"includeExecutionData": false, "level": "OFF"},
            "name": "sm", "revisionId": u["revisionId"], "roleArn": ROLE, "stateMachineArn": SM,
            "tracingConfiguration": {"enabled": false}, "updateDate": 1735689600.0})
    );
}

#[test]
fn a_repeated_create_is_idempotent_with_the_same_publish_and_description() {
    let mut s = service();
    let req = json!({"name": "sm", "definition": def("x"), "roleArn": ROLE, "publish": true, "versionDescription": "d"});
    let a = ok(&mut s, "CreateStateMachine", req.clone());
    assert_eq!(ok(&mut s, "CreateStateMachine", req), a);
    let other = json!({"name": "sm", "definition": def("x"), "roleArn": ROLE, "publish": true});
    assert_eq!(err(&mut s, "CreateStateMachine", other).0, "StateMachineAlreadyExists");
    let plain = json!({"name": "sm", "definition": def("x"), "roleArn": ROLE});
    assert_eq!(err(&mut s, "CreateStateMachine", plain).0, "StateMachineAlreadyExists");
    let mut s = service();
    create(&mut s, false);
    assert_eq!(err(&mut s, "CreateStateMachine", json!({"name": "sm", "definition": def("BASE_PASS_RESULT"), "roleArn": ROLE, "publish": true})).0, "StateMachineAlreadyExists");
    assert!(create(&mut s, false).get("stateMachineVersionArn").is_none());
}
