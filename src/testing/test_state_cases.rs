//! The conformance runner's TestState cases (kind `test_state`, in
//! shared/conformance/aws-recorded-test-state.jsonl): each is sent to the service's TestState and
//! what AWS answered is compared, field by field: status, output, error, cause, nextState and
//! every recorded inspectionData stage (no field more, none fewer).

use super::conformance::{compare, normalize, Outcome};
use crate::service::{Service, ServiceConfig};
use serde_json::{json, Map, Value};

mod inputs;

/// The account the recorder's ARNs show.
const RECORDED_ACCOUNT: &str = "111111111111";

/// The TestState request a case stands for.
pub fn request(case: &Value) -> Value {
    let def = &case["definition"];
    let mut req = Map::new();
    req.insert("definition".into(), json!(def.to_string()));
    if let Some(input) = inputs::input(case) {
        req.insert("input".into(), json!(input.to_string()));
    }
    if let Some(args) = case["test_state_args"].as_object() {
        for (k, v) in args {
            req.insert(k.clone(), v.clone());
        }
    }
    // The recorder's tests give a role to the states that do work (the role is not recorded).
    let name = req.get("stateName").and_then(Value::as_str).map(str::to_string);
    let state = match &name {
        Some(n) => find(def, n).unwrap_or(&Value::Null),
        None => def,
    };
    if matches!(state["Type"].as_str(), Some("Task" | "Map" | "Parallel")) {
        req.insert(
            "roleArn".into(),
            json!(format!("arn:aws:iam::{RECORDED_ACCOUNT}:role/sfn_role")),
        );
    }
    Value::Object(req)
}

fn find<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => {
            if let Some(s) = m.get("States").and_then(|s| s.get(name)) {
                return Some(s);
            }
            m.values().find_map(|x| find(x, name))
        }
        Value::Array(a) => a.iter().find_map(|x| find(x, name)),
        _ => None,
    }
}

/// A JSON text as its value (the recorder decoded some and not others).
fn decoded(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

/// Values that only existed at record time: a `<<opaque:...>>` text of ours stands for whatever
/// AWS had there, and a context object's `State.Name` was rewritten to `StateName`.
fn erase_opaque(want: &Value, got: &mut Value) {
    match (want, got) {
        (_, g @ Value::String(_)) if g.as_str().is_some_and(|s| s.contains("<<opaque:")) => *g = want.clone(),
        (Value::Object(w), Value::Object(g)) => {
            if w.get("Name") == Some(&json!("StateName")) && w.contains_key("EnteredTime") && g.contains_key("Name") {
                g.insert("Name".into(), json!("StateName"));
            }
            for (k, wv) in w {
                if let Some(gv) = g.get_mut(k) {
                    if recorder_replaced(k, wv) {
                        *gv = wv.clone();
                    }
                    erase_opaque(wv, gv);
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            for (wv, gv) in w.iter().zip(g.iter_mut()) {
                erase_opaque(wv, gv);
            }
        }
        _ => {}
    }
}

/// The recorder's key-value rewrites of values that differ on every call (LocalStack's
/// `key_value` transformers for Step Functions): the HTTP headers' request and trace ids and
/// date, and the SDK's request id, recorded as the key's name (`"Date"` as `date`).
fn recorder_replaced(key: &str, want: &Value) -> bool {
    const KEYS: [&str; 4] = ["x-amzn-RequestId", "X-Amzn-Trace-Id", "RequestId", "Date"];
    KEYS.contains(&key) && (want == key || (key == "Date" && want == "date"))
}

/// The response with its JSON texts decoded and the recorder's normalisation applied.
fn readable(resp: &Value) -> Value {
    let mut out = Map::new();
    if let Some(m) = resp.as_object() {
        for (k, v) in m {
            let v = match k.as_str() {
                "output" => decoded(v),
                "inspectionData" => Value::Object(
                    v.as_object()
                        .map(|d| d.iter().map(|(k, x)| (k.clone(), decoded(x))).collect())
                        .unwrap_or_default(),
                ),
                _ => v.clone(),
            };
            out.insert(k.clone(), v);
        }
    }
    normalize(&Value::Object(out))
}

/// Whether `def` reads its input (`$states.input`, or a `.$` field on a `$.` path).
fn reads_input(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("$states.input"),
        Value::Object(m) => m.iter().any(|(k, x)| {
            (k.ends_with(".$") && x.as_str().is_some_and(|p| p.starts_with("$.")))
                || (k == "InputPath" || k == "ItemsPath") && x.as_str().is_some_and(|p| p.starts_with("$."))
                || reads_input(x)
        }),
        Value::Array(a) => a.iter().any(reads_input),
        _ => false,
    }
}

/// Why a case cannot be replayed, if it cannot.
pub fn skip_reason(case: &Value) -> Option<String> {
    if inputs::input(case).is_none() && reads_input(&case["definition"]) {
        return Some("the input was not recorded (null) and the state reads it".into());
    }
    None
}

pub fn run(case: &Value) -> Outcome {
    if let Some(r) = skip_reason(case) {
        return Outcome::Skipped(r);
    }
    let mut svc = Service::new(ServiceConfig {
        account: RECORDED_ACCOUNT.into(),
        ..ServiceConfig::default()
    });
    let resp = match svc.call("TestState", &request(case)) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("{}: {}", e.code, e.message)),
    };
    let mut got = readable(&resp);
    let expected = &case["expected"];
    let mut want = Map::new();
    if let Some(m) = expected.as_object() {
        for (k, v) in m {
            let v = match k.as_str() {
                "output" => decoded(v),
                "inspectionData" => Value::Object(
                    v.as_object()
                        .map(|d| d.iter().map(|(k, x)| (k.clone(), decoded(x))).collect())
                        .unwrap_or_default(),
                ),
                _ => v.clone(),
            };
            want.insert(k.clone(), v);
        }
    }
    let want = Value::Object(want);
    erase_opaque(&want, &mut got);
    match compare(&want, &got, "response") {
        Ok(()) => Outcome::Passed,
        Err(e) => Outcome::Failed(e),
    }
}
