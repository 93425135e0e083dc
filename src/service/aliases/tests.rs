//! The recorded cases of test_sfn_api_aliasing (responses and errors as AWS gave them).

use crate::service::{Service, ServiceConfig};
use serde_json::{json, Value};

const ROLE: &str = "arn:aws:iam::123456789012:role/R";
const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:sm";

fn def(result: Value) -> String {
    json!({"StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Result": result, "End": true}}}).to_string()
}

fn ok(s: &mut Service, op: &str, req: Value) -> Value {
    s.call(op, &req).unwrap_or_else(|e| panic!("{op}: {e}"))
}

fn err(s: &mut Service, op: &str, req: Value) -> (String, String) {
    let e = s.call(op, &req).expect_err(op);
    (e.code.to_string(), e.message)
}

/// A state machine with versions :1 (Result 1) and :2 (Result 2).
fn service() -> Service {
    let mut s = Service::new(ServiceConfig::default());
    ok(&mut s, "CreateStateMachine", json!({"name": "sm", "definition": def(json!(1)), "roleArn": ROLE, "publish": true}));
    ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def(json!(2)), "publish": true}));
    s
}

fn v(n: u32) -> String {
    format!("{SM}:{n}")
}

fn route(items: &[(String, i64)]) -> Value {
    Value::Array(items.iter().map(|(a, w)| json!({"stateMachineVersionArn": a, "weight": w})).collect())
}

fn create(s: &mut Service, name: &str, items: &[(String, i64)]) -> Result<Value, (String, String)> {
    s.call("CreateStateMachineAlias", &json!({"name": name, "description": "create state machine alias description", "routingConfiguration": route(items)}))
        .map_err(|e| (e.code.to_string(), e.message))
}

#[test]
fn create_describe_update() {
    let mut s = service();
    let out = create(&mut s, "live", &[(v(1), 100)]).unwrap();
    assert_eq!(out, json!({"creationDate": 1735689600.0, "stateMachineAliasArn": format!("{SM}:live")}));
    assert_eq!(create(&mut s, "live", &[(v(1), 100)]).unwrap(), out);
    let e = create(&mut s, "live", &[(v(2), 100)]).unwrap_err();
    let conflict = (
        "ConflictException".to_string(),
        "Failed to create alias because an alias with the same name and a different routing configuration already exists.".to_string(),
    );
    assert_eq!(e, conflict);
    let e = err(&mut s, "CreateStateMachineAlias", json!({"name": "live", "description": "This is a different description", "routingConfiguration": route(&[(v(1), 100)])}));
    assert_eq!(e, conflict);
    ok(&mut s, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": format!("{SM}:live"), "description": "new description"}));
    let d = ok(&mut s, "DescribeStateMachineAlias", json!({"stateMachineAliasArn": format!("{SM}:live")}));
    assert_eq!(
        d,
        json!({"creationDate": 1735689600.0, "description": "new description", "name": "live",
            "routingConfiguration": [{"stateMachineVersionArn": v(1), "weight": 100}],
            "stateMachineAliasArn": format!("{SM}:live"), "updateDate": 1735689600.0})
    );
    let u = ok(&mut s, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": format!("{SM}:live"), "routingConfiguration": route(&[(v(1), 50), (v(2), 50)])}));
    assert_eq!(u, json!({"updateDate": 1735689600.0}));
    let d = ok(&mut s, "DescribeStateMachineAlias", json!({"stateMachineAliasArn": format!("{SM}:live")}));
    assert_eq!(d["routingConfiguration"], json!([{"stateMachineVersionArn": v(1), "weight": 50}, {"stateMachineVersionArn": v(2), "weight": 50}]));
}

#[test]
fn invalid_routing_configurations() {
    let mut s = service();
    ok(&mut s, "PublishStateMachineVersion", json!({"stateMachineArn": SM}));
    ok(&mut s, "UpdateStateMachine", json!({"stateMachineArn": SM, "definition": def(json!(3)), "publish": true}));
    let val = |m: String| ("ValidationException".to_string(), m);
    assert_eq!(
        create(&mut s, "a", &[(SM.to_string(), 100)]).unwrap_err(),
        val(format!("Routing configuration must contain state machine version ARNs. Received: [{SM}]"))
    );
    assert_eq!(
        create(&mut s, "a", &[(v(1), 50), (v(2), 30), (v(3), 20)]).unwrap_err(),
        val(format!(
            "1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn={}, weight=50), RoutingConfigurationListItem(stateMachineVersionArn={}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn={}, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2",
            v(1), v(2), v(3)
        ))
    );
    assert_eq!(
        create(&mut s, "a", &[(v(1), 50), (v(1), 50)]).unwrap_err(),
        val(format!("Routing configuration must contain distinct state machine version ARNs. Received: [{}, {}]", v(1), v(1)))
    );
    assert_eq!(
        create(&mut s, "a", &[(SM.to_string(), 50), (v(2), 50)]).unwrap_err(),
        val(format!("Routing configuration must contain state machine version ARNs. Received: [{SM}, {}]", v(2)))
    );
    assert_eq!(
        create(&mut s, "a", &[(v(1), 101)]).unwrap_err(),
        val("1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100".into())
    );
    assert_eq!(create(&mut s, "a", &[(v(1), 70), (v(2), 29)]).unwrap_err(), val("Sum of routing configuration weights must equal 100. Received: [70, 29]".into()));
    assert_eq!(create(&mut s, "a", &[(v(1), 70), (v(2), 31)]).unwrap_err(), val("Sum of routing configuration weights must equal 100. Received: [70, 31]".into()));
    assert_eq!(create(&mut s, "a", &[(v(9), 100)]).unwrap_err().0, "ResourceNotFound");
}

#[test]
fn invalid_names() {
    let mut s = service();
    let pattern = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";
    for name in ["123", "INVALID ALIAS", "!INVALID", "ALIAS@"] {
        assert_eq!(
            create(&mut s, name, &[(v(1), 100)]).unwrap_err(),
            (
                "ValidationException".to_string(),
                format!("1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}")
            )
        );
    }
    let long = "A".repeat(81);
    assert_eq!(
        create(&mut s, &long, &[(v(1), 100)]).unwrap_err().1,
        format!("1 validation error detected: Value '{long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80")
    );
}

#[test]
fn lifecycle_list_delete_and_pages() {
    let mut s = service();
    assert_eq!(ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM})), json!({"stateMachineAliases": []}));
    for i in 1..=3 {
        create(&mut s, &format!("AliasName-{i}"), &[(v(1), 100)]).unwrap();
    }
    let p1 = ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM, "maxResults": 1}));
    assert_eq!(p1["stateMachineAliases"], json!([{"creationDate": 1735689600.0, "stateMachineAliasArn": format!("{SM}:AliasName-1")}]));
    let p2 = ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM, "nextToken": p1["nextToken"]}));
    let names: Vec<&str> = p2["stateMachineAliases"].as_array().unwrap().iter().map(|a| a["stateMachineAliasArn"].as_str().unwrap()).collect();
    assert_eq!(names, [format!("{SM}:AliasName-2"), format!("{SM}:AliasName-3")]);
    assert!(p2.get("nextToken").is_none());
    let e = err(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM, "nextToken": "InvalidToken"}));
    assert_eq!(e, ("InvalidToken".into(), "Invalid Token: 'Invalid token'".into()));
    let e = err(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM, "maxResults": 1001}));
    assert_eq!(e.1, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
    assert_eq!(ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": v(2)})), json!({"stateMachineAliases": []}));
    assert_eq!(ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": v(1)}))["stateMachineAliases"].as_array().unwrap().len(), 3);
    let a1 = format!("{SM}:AliasName-1");
    assert_eq!(ok(&mut s, "DeleteStateMachineAlias", json!({"stateMachineAliasArn": a1})), json!({}));
    assert_eq!(ok(&mut s, "DeleteStateMachineAlias", json!({"stateMachineAliasArn": a1})), json!({}));
    assert_eq!(ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM}))["stateMachineAliases"].as_array().unwrap().len(), 2);
    let e = err(&mut s, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": a1, "description": "Updated state machine alias description"}));
    assert_eq!(e, ("ResourceNotFound".into(), "Request references a resource that does not exist.".into()));
    assert_eq!(err(&mut s, "DescribeStateMachineAlias", json!({"stateMachineAliasArn": a1})).0, "ResourceNotFound");
}

#[test]
fn a_version_an_alias_routes_to_cannot_be_deleted() {
    let mut s = service();
    create(&mut s, "state_machine_alias_name", &[(v(1), 100)]).unwrap();
    let e = err(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": v(1)}));
    assert_eq!(
        e,
        (
            "ConflictException".into(),
            "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [state_machine_alias_name]".into()
        )
    );
    ok(&mut s, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": format!("{SM}:state_machine_alias_name"), "routingConfiguration": route(&[(v(2), 100)])}));
    assert_eq!(ok(&mut s, "DeleteStateMachineVersion", json!({"stateMachineVersionArn": v(1)})), json!({}));
    // Deleting the state machine takes its aliases with it.
    assert_eq!(ok(&mut s, "DeleteStateMachine", json!({"stateMachineArn": SM})), json!({}));
    ok(&mut s, "CreateStateMachine", json!({"name": "sm", "definition": def(json!(1)), "roleArn": ROLE}));
    assert_eq!(ok(&mut s, "ListStateMachineAliases", json!({"stateMachineArn": SM})), json!({"stateMachineAliases": []}));
}

#[test]
fn executions_through_an_alias() {
    let mut s = service();
    let alias = format!("{SM}:live");
    create(&mut s, "live", &[(v(1), 100)]).unwrap();
    let run = ok(&mut s, "StartExecution", json!({"stateMachineArn": alias, "name": "a"}));
    let d = ok(&mut s, "DescribeExecution", json!({"executionArn": run["executionArn"]}));
    assert_eq!(
        d,
        json!({"executionArn": run["executionArn"], "input": "{}", "inputDetails": {"included": true}, "name": "a", "output": "1",
            "outputDetails": {"included": true}, "redriveCount": 0, "redriveStatus": "NOT_REDRIVABLE",
            "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven", "startDate": 1735689600.0,
            "stateMachineAliasArn": alias, "stateMachineArn": SM, "stateMachineVersionArn": v(1), "status": "SUCCEEDED", "stopDate": 1735689600.0})
    );
    ok(&mut s, "StartExecution", json!({"stateMachineArn": v(1), "name": "b"}));
    let listed = ok(&mut s, "ListExecutions", json!({"stateMachineArn": SM}));
    assert_eq!(listed["executions"][0]["name"], "b");
    assert!(listed["executions"][0].get("stateMachineAliasArn").is_none());
    assert_eq!(listed["executions"][1]["stateMachineAliasArn"], json!(alias));
    let by_alias = ok(&mut s, "ListExecutions", json!({"stateMachineArn": alias}));
    assert_eq!(by_alias["executions"].as_array().unwrap().len(), 1);
    assert_eq!(err(&mut s, "StartExecution", json!({"stateMachineArn": format!("{SM}:nope")})).0, "StateMachineDoesNotExist");

    // Two versions by weight: the seeded generator picks, so the same seed picks the same.
    ok(&mut s, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": alias, "routingConfiguration": route(&[(v(1), 50), (v(2), 50)])}));
    let picks = |s: &mut Service| -> Vec<String> {
        (0..40)
            .map(|i| {
                let run = ok(s, "StartExecution", json!({"stateMachineArn": alias, "name": format!("w{i}")}));
                ok(s, "DescribeExecution", json!({"executionArn": run["executionArn"]}))["stateMachineVersionArn"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let first = picks(&mut s);
    assert!(first.contains(&v(1)) && first.contains(&v(2)));
    let mut again = service();
    create(&mut again, "live", &[(v(1), 100)]).unwrap();
    ok(&mut again, "StartExecution", json!({"stateMachineArn": alias, "name": "a"}));
    ok(&mut again, "StartExecution", json!({"stateMachineArn": v(1), "name": "b"}));
    ok(&mut again, "UpdateStateMachineAlias", json!({"stateMachineAliasArn": alias, "routingConfiguration": route(&[(v(1), 50), (v(2), 50)])}));
    assert_eq!(picks(&mut again), first);
}
