//! AWS's quotas on what an account holds: 10,000 state machines and 10,000 activities (aws-facts
//! §3.14). The next one is refused with AWS's error until one is deleted; asking again for one that
//! exists is still idempotent.

use serde_json::json;
use sfnsim::service::{Service, ServiceConfig};

const ROLE: &str = "arn:aws:iam::123456789012:role/R";
const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn create_machine(s: &mut Service, name: &str) -> Result<serde_json::Value, String> {
    s.call("CreateStateMachine", &json!({"name": name, "definition": PASS, "roleArn": ROLE}))
        .map_err(|e| e.code.to_string())
}

#[test]
fn the_10001st_state_machine_is_refused_until_one_is_deleted() {
    let mut s = Service::new(ServiceConfig::default());
    for i in 0..10_000 {
        create_machine(&mut s, &format!("m{i}")).unwrap();
    }
    assert_eq!(create_machine(&mut s, "one-more"), Err("StateMachineLimitExceeded".into()));
    // The same request again is idempotent, not a new machine.
    assert!(create_machine(&mut s, "m42").is_ok());
    let arn = create_machine(&mut s, "m7").unwrap()["stateMachineArn"].clone();
    s.call("DeleteStateMachine", &json!({"stateMachineArn": arn})).unwrap();
    s.run_to_quiescence(i64::MAX / 2);
    assert!(create_machine(&mut s, "one-more").is_ok());
}

#[test]
fn the_10001st_activity_is_refused_until_one_is_deleted() {
    let mut s = Service::new(ServiceConfig::default());
    for i in 0..10_000 {
        s.call("CreateActivity", &json!({"name": format!("a{i}")})).unwrap();
    }
    let e = s.call("CreateActivity", &json!({"name": "one-more"})).unwrap_err();
    assert_eq!(e.code, "ActivityLimitExceeded");
    assert!(s.call("CreateActivity", &json!({"name": "a42"})).is_ok());
    let arn = s.call("CreateActivity", &json!({"name": "a7"})).unwrap()["activityArn"].clone();
    s.call("DeleteActivity", &json!({"activityArn": arn})).unwrap();
    assert!(s.call("CreateActivity", &json!({"name": "one-more"})).is_ok());
}
