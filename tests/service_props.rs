//! Property tests: no request, however malformed, makes the API service or the console panic
//! (a panic in the page kills it); every refusal is an AWS error with a code and a message.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sfnsim::service::{Service, ServiceConfig, OPERATIONS};

const MEMBERS: &[&str] = &[
    "name", "definition", "roleArn", "type", "stateMachineArn", "executionArn", "activityArn", "input",
    "output", "taskToken", "error", "cause", "maxResults", "nextToken", "reverseOrder", "statusFilter",
    "tags", "tagKeys", "resourceArn", "workerName", "includedData", "loggingConfiguration",
    "tracingConfiguration", "publish", "includeExecutionData", "traceHeader",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(|f| json!(f)),
        "\\PC{0,20}".prop_map(Value::String),
        Just(json!("arn:aws:states:us-east-1:123456789012:stateMachine:M")),
        Just(json!("arn:aws:states:us-east-1:123456789012:execution:M:e")),
        Just(json!("arn:aws:states:us-east-1:123456789012:express:M:e:u")),
        Just(json!("arn:aws:states:us-east-1:123456789012:activity:A")),
        Just(json!(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"T"},"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:A","HeartbeatSeconds":3,"End":true}}}"#)),
        Just(json!("{}")),
        Just(json!([{"key": "k", "value": "v"}])),
    ]
}

fn request() -> impl Strategy<Value = Value> {
    let value = leaf().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::vec((prop::sample::select(MEMBERS), value), 0..6).prop_map(|pairs| {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert(k.to_string(), v);
        }
        Value::Object(m)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_call_sequences_never_panic(calls in prop::collection::vec((prop::sample::select(OPERATIONS), request(), 0u32..100), 1..25)) {
        let mut s = Service::new(ServiceConfig::default());
        s.call("CreateActivity", &json!({"name": "A"})).unwrap();
        s.call("CreateStateMachine", &json!({"name": "M", "roleArn": "arn:aws:iam::123456789012:role/R",
            "definition": r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:A","End":true}}}"#})).unwrap();
        for (op, req, advance) in calls {
            match s.call(op, &req) {
                Ok(v) => prop_assert!(v.is_object()),
                Err(e) => {
                    prop_assert!(!e.code.is_empty());
                    prop_assert!(!e.message.is_empty());
                }
            }
            let t = s.now_ms() + advance as i64 * 1000;
            s.advance_to(t);
        }
    }

    #[test]
    fn console_lines_never_panic(line in "\\PC{0,80}") {
        let mut s = Service::new(ServiceConfig::default());
        let _ = sfnsim::playground::console::run(&mut s, &line);
        let _ = sfnsim::playground::console::complete(&line);
    }

    #[test]
    fn console_lines_made_of_real_flags_never_panic(sub in prop::sample::select(sfnsim::playground::console::subcommands()), args in prop::collection::vec(prop_oneof![
        Just("--name".to_string()), Just("--state-machine-arn".to_string()), Just("--tags".to_string()),
        Just("--max-items".to_string()), Just("--no-reverse-order".to_string()), Just("--cli-input-json".to_string()),
        Just("'{\"a\":1}'".to_string()), Just("key=a,value=b".to_string()), Just("=".to_string()), "[a-z0-9=,]{0,8}"], 0..8)) {
        let mut s = Service::new(ServiceConfig::default());
        let line = format!("aws stepfunctions {sub} {}", args.join(" "));
        let _ = sfnsim::playground::console::run(&mut s, &line);
    }
}
