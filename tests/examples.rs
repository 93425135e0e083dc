//! Every gallery example loads into the service and runs to the end it promises.

use serde_json::{json, Value};
use sfnsim::playground::examples::{Example, EXAMPLES};
use sfnsim::service::{Service, ServiceConfig};

#[test]
fn every_example_runs_to_its_promised_end() {
    assert!(EXAMPLES.len() >= 10);
    for (id, _) in EXAMPLES {
        let ex = Example::by_id(id).unwrap_or_else(|| panic!("{id}: not a valid example file"));
        assert!(!ex.title.is_empty() && !ex.description.is_empty() && !ex.try_this.is_empty(), "{id}");
        let mut s = Service::new(ServiceConfig::default());
        let arn = ex.install(&mut s).unwrap_or_else(|e| panic!("{id}: {e}"));
        let start = s.now_ms();
        let e = s
            .call("StartExecution", &json!({"stateMachineArn": arn, "input": ex.input.to_string()}))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        s.run_to_quiescence(i64::MAX);
        let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
        assert_eq!(d["status"], ex.expect["status"], "{id}: {d}");
        if let Some(want) = ex.expect.get("output") {
            let got: Value = serde_json::from_str(d["output"].as_str().unwrap_or("null")).unwrap();
            assert_eq!(&got, want, "{id}");
        }
        // The last state entered or left: the page highlights it when the run ends.
        let history = s
            .call("GetExecutionHistory", &json!({"executionArn": e["executionArn"], "reverseOrder": true, "maxResults": 1000}))
            .unwrap();
        let last = history["events"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|ev| ev["stateExitedEventDetails"]["name"].as_str().or(ev["stateEnteredEventDetails"]["name"].as_str()))
            .unwrap_or_default()
            .to_string();
        assert_eq!(Some(last.as_str()), ex.expect["finalState"].as_str(), "{id}: finalState");
        if let Some(secs) = ex.expect.get("virtualSeconds").and_then(Value::as_i64) {
            let stop = (d["stopDate"].as_f64().unwrap() * 1000.0).round() as i64;
            assert_eq!(stop - start, secs * 1000, "{id}: virtual duration");
        }
    }
}

#[test]
fn the_order_workflow_declined_case_ends_in_its_fail_state() {
    let mut ex = Example::by_id("order-workflow").unwrap();
    ex.test_case = Some("Declined".into());
    let mut s = Service::new(ServiceConfig::default());
    let arn = ex.install(&mut s).unwrap();
    let e = s.call("StartExecution", &json!({"stateMachineArn": arn, "input": ex.input.to_string()})).unwrap();
    s.run_to_quiescence(i64::MAX);
    let d = s.call("DescribeExecution", &json!({"executionArn": e["executionArn"]})).unwrap();
    assert_eq!((d["status"].as_str(), d["error"].as_str()), (Some("FAILED"), Some("PaymentDeclined")));
}
