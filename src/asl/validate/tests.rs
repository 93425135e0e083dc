//! Helpers shared by the validator's tests, and tests of the whole pass: recorded messages,
//! the order of several problems, depth and speed limits, properties, and the conformance
//! corpus.

use super::*;
use serde_json::json;

pub(super) fn diags(def: &Value, mt: MachineType) -> Vec<(String, String, String)> {
    let text = serde_json::to_string(def).expect("json");
    let by_text = validate_text(&text, mt);
    assert_eq!(by_text, validate_value(def, mt), "validate_text and validate_value disagree");
    by_text.into_iter().map(|d| (d.code, d.message, d.location.unwrap_or_default())).collect()
}

/// The one diagnostic of a STANDARD definition, as (message, location); SCHEMA code expected.
pub(super) fn only(def: Value) -> (String, String) {
    only_as(def, MachineType::Standard)
}

pub(super) fn only_as(def: Value, mt: MachineType) -> (String, String) {
    let d = diags(&def, mt);
    assert_eq!(d.len(), 1, "expected one diagnostic, got {d:#?}");
    let (code, message, location) = d.into_iter().next().unwrap_or_default();
    assert_eq!(code, SCHEMA, "{message}");
    (message, location)
}

pub(super) fn ok(def: Value) {
    assert_eq!(diags(&def, MachineType::Standard), vec![], "{def}");
}

/// A machine of one state `A`.
pub(super) fn one(state: Value) -> Value {
    json!({"StartAt": "A", "States": {"A": state}})
}

/// `state` with the fields of `extra` added.
pub(super) fn with(mut state: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().into_iter().flatten() {
        state[k] = v.clone();
    }
    state
}

pub(super) fn pair(m: &str, l: &str) -> (String, String) {
    (m.to_string(), l.to_string())
}

pub(super) const NOT_RECOGNIZED: &str = "is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.";

#[test]
fn recorded_messages() {
    assert_eq!(
        invalid_definition_message(&validate_text(r#"{"StartAt": "A"}"#, MachineType::Standard)),
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    );
    assert_eq!(
        invalid_definition_message(&validate_text(
            r#"{"StartAt": "pass1", "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": true}}}"#,
            MachineType::Standard
        )),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
    );
}

#[test]
fn message_and_serialisation() {
    let d = validate_text("{}", MachineType::Standard);
    assert_eq!(
        serde_json::to_value(&d).unwrap_or_default(),
        json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "These fields are required: [States, StartAt]", "location": "/"}])
    );
    let d = validate_text(" ", MachineType::Standard);
    assert_eq!(
        serde_json::to_value(&d).unwrap_or_default(),
        json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object"}])
    );
    assert_eq!(invalid_definition_message(&d), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
    let j = validate_text("nope", MachineType::Standard);
    assert_eq!(
        invalid_definition_message(&j),
        "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"nope\"; line: 1, column: 5]'"
    );
    let warning = Diagnostic { severity: Severity::Warning, code: "NO_DOLLAR".into(), message: "w".into(), location: None };
    assert_eq!(invalid_definition_message(&[warning]), "Invalid State Machine Definition: ''");
}

#[test]
fn not_an_object() {
    for text in ["", " \n\t\r ", "[]", "1", "\"x\"", "null", "[{\"StartAt\": \"A\"}]"] {
        let d = validate_text(text, MachineType::Standard);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code.as_str(), d[0].message.as_str(), d[0].location.as_deref()), (SCHEMA, NOT_AN_OBJECT, None), "{text:?}");
    }
    assert_eq!(validate_value(&json!([1]), MachineType::Standard)[0].message, NOT_AN_OBJECT);
}

#[test]
fn several_problems_at_once() {
    let def = json!({"StartAt": "A", "Bogus": 1, "States": {
        "A": {"Type": "Pass", "Next": "Gone", "Foo": 1},
        "B": {"Type": "Wait", "End": true},
        "C": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}], "End": true}}});
    let got: Vec<String> = validate_text(&def.to_string(), MachineType::Standard)
        .iter()
        .map(|d| format!("{}: {} at {}", d.code, d.message, d.location.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        vec![
            "SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /",
            "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A",
            "SCHEMA_VALIDATION_FAILED: This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp] at /States/B",
            "DUPLICATE_STATE_NAME: Duplicate State name: A at /States/C/Branches[0]/States/A",
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/A/Next",
            "MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B",
            "MISSING_TRANSITION_TARGET: State \"C\" is not reachable. at /States/C",
        ]
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    // Parallel inside Parallel, 40 deep (serde_json's own limit is 128 levels of JSON).
    let mut def = json!({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}});
    for i in 0..40 {
        def = json!({"StartAt": format!("P{i}"), "States": {format!("P{i}"): {"Type": "Parallel", "Branches": [def], "End": true}}});
    }
    let d = validate_value(&def, MachineType::Standard);
    assert!(d.iter().all(|d| d.code != SCHEMA), "{d:?}");
    let _ = validate_text(&def.to_string(), MachineType::Standard);
    let nested =
        format!("{{\"StartAt\":\"A\",\"States\":{{\"A\":{{\"Type\":\"Pass\",\"Parameters\":{}1{},\"End\":true}}}}}}", "[".repeat(120), "]".repeat(120));
    assert_eq!(validate_text(&nested, MachineType::Standard), vec![]);
    let too_deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
    assert_eq!(validate_text(&too_deep, MachineType::Standard)[0].code, INVALID_JSON);
}

fn chain(n: usize) -> String {
    let mut states = Map::new();
    for i in 0..n {
        let s = if i + 1 == n {
            json!({"Type": "Succeed"})
        } else {
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$", "FunctionName": "f"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "ResultPath": "$.r", "Next": format!("S{}", i + 1)})
        };
        states.insert(format!("S{i}"), s);
    }
    json!({"StartAt": "S0", "States": states}).to_string()
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_long_chain_is_fast() {
    let text = chain(1000);
    assert_eq!(validate_text(&text, MachineType::Standard), vec![]);
    let runs = 5;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        assert!(validate_text(&text, MachineType::Standard).is_empty());
    }
    let each = started.elapsed() / runs;
    // Release builds take about a millisecond; the bound is loose for debug builds on a busy machine.
    assert!(each.as_millis() < 500, "{each:?} for 1,000 states");
    // Linear, not quadratic: 4x the states stays well under 16x the time.
    let big = chain(4000);
    let started = std::time::Instant::now();
    assert!(validate_text(&big, MachineType::Standard).is_empty());
    assert!(started.elapsed() < each * 10 + std::time::Duration::from_millis(50), "{:?} vs {each:?}", started.elapsed());
}

#[cfg(not(target_arch = "wasm32"))]
mod fuzz {
    use super::super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| json!(i)),
            (-1e6f64..1e6).prop_map(|f| json!(f)),
            "[$@.*a-zA-Z0-9 {}%'(),\\[\\]:<>?-]{0,12}".prop_map(Value::String),
            prop::sample::select(vec![
                "$",
                "$.a",
                "$$.Execution.Id",
                "$x",
                "States.Format('{}', $.a)",
                "{% 1 %}",
                "2016-03-14T01:59:00Z",
                "States.ALL",
                "DISTRIBUTED",
                "EXPRESS",
                "arn:aws:states:::lambda:invoke.sync",
                "arn:aws:states:us-east-1:123456789012:activity:a",
                "S0",
            ])
            .prop_map(|s| Value::String(s.to_string())),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((field_name(), inner), 0..5).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn field_name() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "Type",
                "Next",
                "End",
                "Comment",
                "QueryLanguage",
                "InputPath",
                "OutputPath",
                "ResultPath",
                "Parameters",
                "ResultSelector",
                "Result",
                "Retry",
                "Catch",
                "Assign",
                "Output",
                "Arguments",
                "Resource",
                "TimeoutSeconds",
                "HeartbeatSeconds",
                "TimeoutSecondsPath",
                "Credentials",
                "Choices",
                "Default",
                "Variable",
                "And",
                "Or",
                "Not",
                "Condition",
                "StringEquals",
                "IsPresent",
                "NumericEqualsPath",
                "Seconds",
                "Timestamp",
                "SecondsPath",
                "Error",
                "Cause",
                "ErrorPath",
                "Branches",
                "ItemProcessor",
                "Iterator",
                "ProcessorConfig",
                "Mode",
                "ExecutionType",
                "ItemsPath",
                "Items",
                "ItemSelector",
                "ItemReader",
                "ReaderConfig",
                "ItemBatcher",
                "ResultWriter",
                "WriterConfig",
                "MaxConcurrency",
                "ToleratedFailurePercentage",
                "Label",
                "ErrorEquals",
                "IntervalSeconds",
                "MaxAttempts",
                "BackoffRate",
                "MaxDelaySeconds",
                "JitterStrategy",
                "RoleArn",
                "StartAt",
                "States",
                "a.$",
                "x",
                "Version",
            ])
            .prop_map(str::to_string),
            "[a-zA-Z.$]{0,6}",
        ]
    }

    fn arb_state() -> impl Strategy<Value = Value> {
        (
            prop::sample::select(vec!["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus"]),
            prop::collection::vec((field_name(), arb_json()), 0..6),
            prop::option::of(prop::sample::select(vec!["S0", "S1", "S2", "gone"])),
            any::<bool>(),
        )
            .prop_map(|(ty, fields, next, end)| {
                let mut m: Map<String, Value> = fields.into_iter().collect();
                m.insert("Type".into(), json!(ty));
                if let Some(n) = next {
                    m.insert("Next".into(), json!(n));
                }
                if end {
                    m.insert("End".into(), json!(true));
                }
                Value::Object(m)
            })
    }

    fn machine(states: Vec<Value>, ql: Option<&'static str>) -> Value {
        let mut m = Map::new();
        m.insert("StartAt".into(), json!("S0"));
        if let Some(q) = ql {
            m.insert("QueryLanguage".into(), json!(q));
        }
        m.insert("States".into(), Value::Object(states.into_iter().enumerate().map(|(i, s)| (format!("S{i}"), s)).collect()));
        Value::Object(m)
    }

    fn arb_machine() -> impl Strategy<Value = Value> {
        let inner = prop::collection::vec(arb_state(), 1..4).prop_map(|s| machine(s, None));
        (prop::collection::vec(arb_state(), 1..5), inner, prop::option::of(prop::sample::select(vec!["JSONPath", "JSONata", "x"]))).prop_map(
            |(mut states, sub, ql)| {
                // The sub-machine as a branch and as a processor.
                states.push(json!({"Type": "Parallel", "Branches": [sub.clone()], "End": true}));
                states.push(json!({"Type": "Map", "ItemProcessor": sub, "End": true}));
                machine(states, ql)
            },
        )
    }

    proptest! {
        #[test]
        fn never_panics_on_strings(s in "\\PC{0,80}") {
            let _ = validate_text(&s, MachineType::Standard);
        }

        #[test]
        fn jackson_agrees_with_serde_on_acceptance(s in "[{}\\[\\]\":,0-9a-z \\\\.eE+-]{0,40}") {
            let d = validate_text(&s, MachineType::Express);
            let _ = invalid_definition_message(&d);
            // The Jackson emulation flags exactly the texts serde_json rejects (on this alphabet
            // the two grammars agree).
            let blank = s.trim_matches([' ', '\t', '\n', '\r']).is_empty();
            if !blank {
                prop_assert_eq!(jackson::check(&s).is_none(), serde_json::from_str::<Value>(&s).is_ok(), "{:?}", s);
            }
        }

        #[test]
        fn never_panics_on_definitions(def in arb_machine()) {
            let text = def.to_string();
            for mt in [MachineType::Standard, MachineType::Express] {
                let d = validate_text(&text, mt);
                prop_assert_eq!(&d, &validate_value(&def, mt));
                let _ = invalid_definition_message(&d);
            }
            // Cut short anywhere: one JSON error, never a panic.
            for cut in [1, text.len() / 3, text.len() / 2, text.len() - 1] {
                if let Some(prefix) = text.get(..cut) {
                    let d = validate_text(prefix, MachineType::Standard);
                    prop_assert_eq!(d.len(), 1);
                    prop_assert_eq!(d[0].code.as_str(), INVALID_JSON);
                }
            }
        }

        #[test]
        fn never_panics_on_random_values(v in arb_json()) {
            let _ = validate_value(&v, MachineType::Standard);
            let _ = validate_text(&v.to_string(), MachineType::Express);
        }
    }
}

/// The conformance corpus: every `validation` case, and every `execution` case's definition
/// (all ran on AWS, so none may be rejected).
fn corpus() -> Option<String> {
    let local = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/aws-recorded.jsonl");
    [local, "/work/shared/conformance/aws-recorded.jsonl"].iter().find_map(|p| std::fs::read_to_string(p).ok())
}

fn case_type(case: &Value) -> MachineType {
    if case["state_machine_type"] == "EXPRESS" {
        MachineType::Express
    } else {
        MachineType::Standard
    }
}

/// (validation passed, validation total, failures, execution definitions rejected, total).
fn run_corpus(text: &str) -> (usize, usize, Vec<String>, Vec<String>, usize) {
    let (mut passed, mut total, mut failures, mut rejected, mut executions) = (0, 0, Vec::new(), Vec::new(), 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("corpus line");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        match case["kind"].as_str() {
            Some("validation") => {
                total += 1;
                let raw = case["definition_raw"].as_str().unwrap_or("");
                let diags = validate_text(raw, case_type(&case));
                let expected = &case["expected"];
                let ok = if case["api"] == "CreateStateMachine" {
                    let want = expected["message"].as_str().unwrap_or("");
                    if want.starts_with("Error=ValueError") {
                        // LocalStack's text for a Map Label: AWS's is not recorded; any
                        // rejection of the Label passes.
                        diags.iter().any(|d| d.code == SCHEMA && d.location.as_deref().is_some_and(|l| l.ends_with("/Label")))
                    } else {
                        let got = invalid_definition_message(&diags).replace("arn:aws:", "arn:<partition>:");
                        if got != want {
                            failures.push(format!("{id}\n  want {want}\n  got  {got}"));
                        }
                        got == want
                    }
                } else {
                    let result = if diags.iter().any(|d| d.severity == Severity::Error) { "FAIL" } else { "OK" };
                    let got = serde_json::to_value(&diags).unwrap_or_default();
                    let ok = expected["result"] == result && expected["diagnostics"] == got;
                    if !ok {
                        failures.push(format!("{id}\n  want {}\n  got  {got}", expected["diagnostics"]));
                    }
                    ok
                };
                passed += usize::from(ok);
            }
            Some("execution") => {
                executions += 1;
                let text = serde_json::to_string(&case["definition"]).unwrap_or_default();
                let errors: Vec<String> = validate_text(&text, case_type(&case))
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| format!("{}: {} at {}", d.code, d.message, d.location.unwrap_or_default()))
                    .collect();
                if !errors.is_empty() {
                    rejected.push(format!("{id}\n  {}", errors.join("\n  ")));
                }
            }
            _ => {}
        }
    }
    (passed, total, failures, rejected, executions)
}

#[test]
fn conformance_corpus() {
    let Some(text) = corpus() else {
        eprintln!("conformance corpus not found; skipped");
        return;
    };
    let (passed, total, failures, rejected, executions) = run_corpus(&text);
    for f in &failures {
        eprintln!("VALIDATION FAIL {f}");
    }
    for r in &rejected {
        eprintln!("FALSE REJECTION {r}");
    }
    eprintln!("validation cases: {passed}/{total} pass; execution definitions: {} of {executions} wrongly rejected", rejected.len());
    assert_eq!(passed, total);
    assert!(rejected.is_empty());
}
