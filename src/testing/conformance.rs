//! The conformance runner: replays cases recorded against AWS (shared/conformance/aws-recorded.jsonl)
//! and compares status, output or error and cause, and the history, after the same normalisation
//! the recorder applied. Pure: the caller reads the file.

use crate::asl::validate::{self, MachineType};
use crate::engine::{Config, Execution};
use crate::service::{load_definition, ServiceError};
use crate::sim::{run_with_mocks, Mocks};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

mod rebuilt_inputs;
mod sorted_calls;

/// How one case went.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    pub category: String,
    pub outcome: Outcome,
}

/// Runs every case of a corpus text (one JSON object per line). Lines that are not JSON fail.
pub fn run_corpus(text: &str, category_prefix: Option<&str>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.push(CaseResult {
                    id: format!("line {}", n + 1),
                    category: "?".into(),
                    outcome: Outcome::Failed(format!("bad JSON: {e}")),
                });
                continue;
            }
        };
        let category = case["category"].as_str().unwrap_or("?").to_string();
        if let Some(p) = category_prefix {
            if !category.starts_with(p) {
                continue;
            }
        }
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let outcome = run_case(&case);
        out.push(CaseResult {
            id,
            category,
            outcome,
        });
    }
    out
}

/// Why a case cannot run yet, if it cannot.
fn skip_reason(case: &Value) -> Option<String> {
    if case["kind"] == "validation" || case["kind"] == "test_state" {
        return None;
    }
    if case["self_contained"] != true && case["needs_mock"] != true && rebuilt_inputs::input(case, 0).is_none() {
        return Some(
            "inputs only known at record time (e.g. a Wait on a recorded timestamp)".into(),
        );
    }
    None
}

pub fn run_case(case: &Value) -> Outcome {
    if let Some(r) = skip_reason(case) {
        return Outcome::Skipped(r);
    }
    if case["kind"] == "validation" {
        return run_validation(case);
    }
    if case["kind"] == "test_state" {
        return super::test_state_cases::run(case);
    }
    run_execution(case)
}

fn machine_type(case: &Value) -> MachineType {
    if case["state_machine_type"] == "EXPRESS" {
        MachineType::Express
    } else {
        MachineType::Standard
    }
}

fn run_validation(case: &Value) -> Outcome {
    let raw = case["definition_raw"].as_str().unwrap_or("");
    let expected = &case["expected"];
    match case["api"].as_str() {
        Some("ValidateStateMachineDefinition") => {
            let diags = validate::validate_text(raw, machine_type(case));
            let errors = diags
                .iter()
                .filter(|d| d.severity == validate::Severity::Error)
                .count();
            let mine = serde_json::json!({
                "result": if errors > 0 { "FAIL" } else { "OK" },
                "diagnostics": diags.iter().map(|d| {
                    let mut m = Map::new();
                    m.insert("code".into(), Value::String(d.code.clone()));
                    if let Some(l) = &d.location { m.insert("location".into(), Value::String(l.clone())); }
                    m.insert("message".into(), Value::String(d.message.clone()));
                    m.insert("severity".into(), serde_json::to_value(d.severity).unwrap_or(Value::Null));
                    Value::Object(m)
                }).collect::<Vec<_>>(),
                "truncated": false,
            });
            match compare(expected, &normalize(&mine), "") {
                Ok(()) => Outcome::Passed,
                Err(e) => Outcome::Failed(e),
            }
        }
        _ => match load_definition(raw, machine_type(case)) {
            Ok(_) => Outcome::Failed(format!(
                "accepted a definition AWS rejected with: {}",
                expected["message"]
            )),
            Err(ServiceError { code, message }) => {
                if Some(code) != expected["error"].as_str() {
                    return Outcome::Failed(format!(
                        "error code {code}, AWS said {}",
                        expected["error"]
                    ));
                }
                let want = expected["message"].as_str().unwrap_or("");
                // Some recordings carry LocalStack's own Python text instead of AWS's message:
                // only the error code is AWS's there.
                if want.starts_with("Error=") {
                    return Outcome::Passed;
                }
                let got = normalize_str(&message);
                if str_matches(want, &got) {
                    Outcome::Passed
                } else {
                    Outcome::Failed(format!("message\n      got:  {got}\n      want: {want}"))
                }
            }
        },
    }
}

/// The names the recorder substituted, used directly as this run's names.
fn config(case: &Value) -> Config {
    let express = case["state_machine_type"] == "EXPRESS";
    let sync = case["execution_api"] == "StartSyncExecution";
    let acct = "111111111111";
    let sm = "<ArnPart_0idx>";
    let (exec_name, exec_arn) = if sync {
        let n = "<SyncExecArn_Part1_0idx>";
        (
            n.to_string(),
            format!(
                "arn:<partition>:states:<region>:{acct}:express:{sm}:{n}:<SyncExecArn_Part2_0idx>"
            ),
        )
    } else if express {
        let n = "<ExpressExecArn_Part1_0idx>";
        (n.to_string(), format!("arn:<partition>:states:<region>:{acct}:express:{sm}:{n}:<ExpressExecArn_Part2_0idx>"))
    } else {
        let n = "<ExecArnPart_0idx>";
        (
            n.to_string(),
            format!("arn:<partition>:states:<region>:{acct}:execution:{sm}:{n}"),
        )
    };
    Config {
        execution_arn: exec_arn,
        execution_name: exec_name,
        state_machine_arn: format!("arn:<partition>:states:<region>:{acct}:stateMachine:{sm}"),
        state_machine_name: sm.into(),
        role_arn: role_arn(case),
        region: "<region>".into(),
        account: acct.into(),
        start_time_ms: 1_735_689_600_000,
        seed: 0,
        redrive_count_in_context: !sync && !recorded_before_redrive(case),
        max_duration_ms: None,
        activities: None,
        objects: None,
    }
}

/// AWS added redrive, and with it `$$.Execution.RedriveCount`, on 2023-11-15: a case recorded
/// before then saw a context object without it.
fn recorded_before_redrive(case: &Value) -> bool {
    // `recorded_date` is "DD-MM-YYYY, HH:MM:SS".
    let date = case["source"]["recorded_date"].as_str().unwrap_or_default();
    let mut parts = date.split([',', '-']).map(|p| p.trim().parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten(), parts.next().flatten()) {
        (Some(d), Some(m), Some(y)) => (y, m, d) < (2023, 11, 15),
        _ => false,
    }
}

/// The execution role as the recorder wrote it for this case.
fn role_arn(case: &Value) -> String {
    let placeholders = case["placeholders"].as_array().cloned().unwrap_or_default();
    let has = |p: &str| placeholders.iter().any(|v| v == p);
    if has("sfn_role_arn") && !has("snf_role_arn") {
        "sfn_role_arn".into()
    } else if has("snf_role_arn") {
        "snf_role_arn".into()
    } else {
        "arn:aws:iam::111111111111:role/<role-name>".into()
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// The case's own `$..Key` replacements (JsonpathTransformer), applied to our values.
fn key_replacements(case: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for t in case["snapshot_transformers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if t["kind"] != "JsonpathTransformer" {
            continue;
        }
        // Either kwargs {jsonpath, replacement} or positional [jsonpath, replacement]; only
        // paths that end in a plain key are used (the key is replaced wherever it appears).
        let (path, replacement) = match t["args"].as_array().filter(|a| a.len() >= 2) {
            Some(a) => (a[0].as_str().unwrap_or(""), a[1].clone()),
            None => (
                t["kwargs"]["jsonpath"].as_str().unwrap_or(""),
                t["kwargs"]["replacement"].clone(),
            ),
        };
        if let Some(key) = path.rsplit(['.', '$']).next() {
            // `$..DETAILS.KEY` (a whole payload of one event kind) is `details_replacements`'.
            let whole_payload = path
                .strip_prefix("$..")
                .and_then(|rest| rest.split_once('.'))
                .is_some_and(|(details, k)| details.ends_with("EventDetails") && k == key);
            if path.starts_with("$..")
                && !whole_payload
                && !key.is_empty()
                && key.chars().all(|c| c.is_alphanumeric() || c == '_')
            {
                out.push((key.to_string(), replacement));
            }
        }
    }
    // `<<opaque:uuid>>` stood for a generated UUID: our UUID-shaped strings get the same name.
    for t in case["snapshot_transformers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if t["kind"] == "RegexTransformer" && t["args"][0] == "<<opaque:uuid>>" {
            out.push(("<uuid>".to_string(), t["args"][1].clone()));
        }
    }
    out
}

/// The recorder's JsonpathTransformers on a key of one event's details (`$..DETAILS.KEY`, e.g.
/// `$..executionSucceededEventDetails.output`): (details, key, replacement).
fn details_replacements(case: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for t in case["snapshot_transformers"].as_array().into_iter().flatten() {
        if t["kind"] != "JsonpathTransformer" {
            continue;
        }
        let (path, replacement) = match t["args"].as_array().filter(|a| a.len() >= 2) {
            Some(a) => (a[0].as_str().unwrap_or(""), a[1].clone()),
            None => (t["kwargs"]["jsonpath"].as_str().unwrap_or(""), t["kwargs"]["replacement"].clone()),
        };
        let Some(rest) = path.strip_prefix("$..") else { continue };
        if let Some((details, key)) = rest.split_once('.') {
            let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
            if details.ends_with("EventDetails") && plain(details) && plain(key) {
                out.push((details.to_string(), key.to_string(), replacement));
            }
        }
    }
    out
}

/// Applies `details_replacements` to our events, and to our output where it is the execution's.
fn replace_in_details(report: &mut crate::engine::RunReport, reps: &[(String, String, Value)]) {
    for (details, key, replacement) in reps {
        for e in report.events.iter_mut() {
            if let Some(d) = e.get_mut(details.as_str()).and_then(Value::as_object_mut) {
                if d.contains_key(key.as_str()) {
                    // Payloads are JSON text in our events; the recorder's replacement is raw text.
                    d.insert(key.clone(), replacement.clone());
                }
            }
        }
        if details == "executionSucceededEventDetails" && key == "output" && report.output.is_some() {
            report.output = Some(match replacement {
                Value::String(text) => serde_json::json!({"__raw__": text}),
                other => other.clone(),
            });
        }
    }
}

fn replace_keys(v: &mut Value, reps: &[(String, Value)]) {
    if let Value::String(text) = v {
        if let Some((_, r)) = reps.iter().find(|(k, _)| k == "<uuid>") {
            if is_uuid(text) {
                *v = r.clone();
            }
        }
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if let Some((_, r)) = reps.iter().find(|(key, _)| key == k) {
                    *val = r.clone();
                } else {
                    replace_keys(val, reps);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| replace_keys(x, reps)),
        _ => {}
    }
}

/// Resources that only existed at record time (`<<opaque:...>>`) become what the recorded events
/// show for their state: a Lambda function ARN as recorded, or an activity ARN whose text is
/// replaced by the recorded name in our events. Returns (our ARN, recorded text) pairs.
fn resolve_opaque_resources(def: &mut Value, mocks: &Value) -> Vec<(String, String)> {
    let mut reps = Vec::new();
    let recorded = |state: &str| -> Option<(String, String)> {
        let entry = mocks
            .as_array()?
            .iter()
            .find(|m| m["state"] == state)?;
        let first = entry["events"].as_array()?.first()?;
        Some((
            first["type"].as_str()?.to_string(),
            first["resource"].as_str()?.to_string(),
        ))
    };
    fn walk(
        v: &mut Value,
        recorded: &dyn Fn(&str) -> Option<(String, String)>,
        reps: &mut Vec<(String, String)>,
    ) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(states)) = m.get_mut("States") {
                    for (name, st) in states.iter_mut() {
                        let opaque = st["Resource"]
                            .as_str()
                            .is_some_and(|r| r.starts_with("<<opaque:"));
                        if opaque {
                            let n = reps.len();
                            let resource = match recorded(name) {
                                Some((ty, res)) if ty == "ActivityScheduled" => {
                                    let arn = format!("arn:aws:states:us-east-1:111111111111:activity:opaque{n}");
                                    reps.push((arn.clone(), res));
                                    arn
                                }
                                Some((_, res)) => {
                                    let arn = format!("arn:aws:lambda:us-east-1:111111111111:function:opaque{n}");
                                    reps.push((arn.clone(), res));
                                    arn
                                }
                                // Never scheduled (e.g. a deleted activity): an activity when the
                                // recorder named it so, else a Lambda function.
                                None => {
                                    let r = st["Resource"].as_str().unwrap_or_default();
                                    let label = r.trim_start_matches("<<opaque:").trim_end_matches(">>").to_string();
                                    let arn = if label.contains("activity") {
                                        // Marks the activity as deleted (see run_execution).
                                        reps.push((String::new(), String::new()));
                                        format!("arn:aws:states:us-east-1:111111111111:activity:opaque{}", n + 1)
                                    } else {
                                        format!("arn:aws:lambda:us-east-1:111111111111:function:opaque{n}")
                                    };
                                    reps.push((arn.clone(), label));
                                    arn
                                }
                            };
                            st["Resource"] = Value::String(resource);
                        }
                    }
                }
                for (_, child) in m.iter_mut() {
                    walk(child, recorded, reps);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, recorded, reps)),
            _ => {}
        }
    }
    walk(def, &recorded, &mut reps);
    reps
}

/// Input values that only existed at record time (`<<opaque:...>>`, e.g. a function ARN passed
/// in the input) take the value the recorded service calls show under the same key.
fn resolve_opaque_inputs(input: &mut Value, mocks: &Value) {
    fn find(v: &Value, key: &str) -> Option<String> {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(s)) = m.get(key) {
                    if !s.starts_with("<<opaque:") {
                        return Some(s.clone());
                    }
                }
                m.values().find_map(|x| find(x, key))
            }
            Value::Array(a) => a.iter().find_map(|x| find(x, key)),
            _ => None,
        }
    }
    fn walk(v: &mut Value, mocks: &Value) {
        if let Value::Object(m) = v {
            for (k, x) in m.iter_mut() {
                match x {
                    Value::String(s) if s.starts_with("<<opaque:") && k != "Resource" => {
                        if let Some(r) = find(mocks, k) {
                            *x = Value::String(r);
                        }
                    }
                    other => walk(other, mocks),
                }
            }
        } else if let Value::Array(a) = v {
            a.iter_mut().for_each(|x| walk(x, mocks));
        }
    }
    walk(input, mocks);
}

/// Replaces whole strings equal to one of `reps` (ours → recorded), and inside other strings.
fn replace_texts(v: &mut Value, reps: &[(String, String)]) {
    match v {
        Value::String(s) => {
            for (ours, theirs) in reps {
                if s.contains(ours.as_str()) {
                    *s = s.replace(ours.as_str(), theirs);
                }
            }
        }
        Value::Object(m) => m.values_mut().for_each(|x| replace_texts(x, reps)),
        Value::Array(a) => a.iter_mut().for_each(|x| replace_texts(x, reps)),
        _ => {}
    }
}

fn run_execution(case: &Value) -> Outcome {
    let mut definition = case["definition"].clone();
    let text_reps = resolve_opaque_resources(&mut definition, &case["mock_results"]);
    resolve_opaque_inputs(&mut definition, &case["mock_results"]);
    let def_text = serde_json::to_string(&definition).unwrap_or_default();
    let machine = match load_definition(&def_text, machine_type(case)) {
        Ok(m) => m,
        Err(e) => return Outcome::Failed(format!("definition rejected: {}", e.message)),
    };
    let mut cfg = config(case);
    let mut input = rebuilt_inputs::input(case, cfg.start_time_ms).unwrap_or_else(|| case["input"].clone());
    resolve_opaque_inputs(&mut input, &case["mock_results"]);
    let input_text = serde_json::to_string(&input).unwrap_or_default();
    // An activity that was never scheduled had been deleted before the run.
    if let Some(pos) = text_reps.iter().position(|(a, _)| a.is_empty()) {
        let registry = crate::engine::ActivityRegistry::default();
        for (ours, _) in &text_reps {
            if ours.contains(":activity:") {
                registry.insert(ours);
            }
        }
        if let Some((deleted, _)) = text_reps.get(pos + 1) {
            registry.remove(deleted);
        }
        cfg.activities = Some(registry);
    }
    let text_reps: Vec<(String, String)> = text_reps.into_iter().filter(|(a, _)| !a.is_empty()).collect();
    // S3 objects the recorder put before the run; an opaque bucket is the one the input names.
    if let Some(objects) = case["service_setup"]["s3_objects"].as_array() {
        let store = crate::engine::ObjectStore::default();
        for o in objects {
            let mut bucket = o["Bucket"].as_str().unwrap_or_default().to_string();
            if bucket.starts_with("<<opaque:") {
                if let Some(b) = case["input"]["Bucket"].as_str() {
                    bucket = b.to_string();
                }
            }
            store.put(&bucket, o["Key"].as_str().unwrap_or_default(), o["Body"].as_str().unwrap_or_default(), cfg.start_time_ms);
        }
        cfg.objects = Some(store);
    }
    let mut exec = Execution::new(machine, &input_text, input, cfg);
    let mut steps = 0u64;
    // A case recorded as ABORTED was stopped by StopExecution while it waited.
    if case["expected"]["status"] == "ABORTED" {
        exec.run_until(exec.now_ms());
        exec.stop(None, None);
    }
    if case["needs_mock"] == true {
        let mut mocks = if case["flags"]["parallel_events_normalized"] == true {
            Mocks::from_recording(&sorted_calls::restore(&case["mock_results"]))
        } else {
            Mocks::from_recording(&case["mock_results"])
        };
        if !run_with_mocks(&mut exec, &mut mocks, 5_000_000) {
            return Outcome::Failed("did not finish within 5,000,000 steps".into());
        }
    }
    while exec.step() {
        steps += 1;
        if steps > 5_000_000 {
            return Outcome::Failed("did not finish within 5,000,000 steps".into());
        }
    }
    let mut report = exec.report();
    if !text_reps.is_empty() {
        for e in report.events.iter_mut() {
            replace_texts(e, &text_reps);
        }
        if let Some(c) = report.cause.as_mut() {
            for (ours, theirs) in &text_reps {
                *c = c.replace(ours.as_str(), theirs);
            }
        }
    }
    replace_in_details(&mut report, &details_replacements(case));
    let reps = key_replacements(case);
    if !reps.is_empty() {
        if let Some(o) = report.output.as_mut() {
            replace_keys(o, &reps);
        }
        for e in report.events.iter_mut() {
            for (_, d) in e.as_object_mut().into_iter().flatten() {
                if let Some(dm) = d.as_object_mut() {
                    for (k, val) in dm.iter_mut() {
                        if let Some((_, r)) = reps.iter().find(|(key, _)| key == k) {
                            *val = r.clone();
                        }
                    }
                    for key in ["input", "output", "parameters"] {
                        if let Some(Value::String(t)) = dm.get(key) {
                            if let Ok(mut parsed) = serde_json::from_str::<Value>(t) {
                                replace_keys(&mut parsed, &reps);
                                dm.insert(key.into(), Value::String(parsed.to_string()));
                            }
                        }
                    }
                }
            }
        }
    }
    let expected = &case["expected"];
    let mut problems = Vec::new();
    if expected["status"].as_str() != Some(report.status.as_str()) {
        problems.push(format!(
            "status {} (AWS: {})",
            report.status, expected["status"]
        ));
    }
    if let Some(want) = expected.get("output") {
        let got = normalize(&report.output.clone().unwrap_or(Value::Null));
        if let Err(e) = compare(want, &got, "output") {
            problems.push(e);
        }
    }
    if let Some(want) = expected.get("error") {
        let got = report
            .error
            .clone()
            .map(Value::String)
            .unwrap_or(Value::Null);
        if let Err(e) = compare(want, &normalize(&got), "error") {
            problems.push(e);
        }
    }
    if let Some(want) = expected.get("cause") {
        let got = decode_cause(want, report.cause.as_deref());
        if let Err(e) = compare(want, &got, "cause") {
            problems.push(e);
        }
    }
    if problems.is_empty() && case["expected_source"] == "history" {
        if let Some(want) = case["events"].as_array() {
            let unordered = case["flags"]["parallel_events_normalized"] == true;
            if let Err(e) = compare_events(want, &report.events, unordered) {
                problems.push(e);
            }
        }
    }
    if problems.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(problems.join("; "))
    }
}

/// A cause recorded as an object was JSON text: parse ours the same way.
fn decode_cause(want: &Value, got: Option<&str>) -> Value {
    match got {
        None => Value::Null,
        Some(text) if want.is_object() || want.is_array() => serde_json::from_str(text)
            .map(|v| normalize(&v))
            .unwrap_or_else(|_| Value::String(normalize_str(text))),
        Some(text) => Value::String(normalize_str(text)),
    }
}

const PAYLOAD_KEYS: [&str; 3] = ["input", "output", "parameters"];

/// Our event in the recorder's form: timestamp dropped, payload text decoded, strings normalised.
fn decoded_event(e: &Value) -> Value {
    let mut out = Map::new();
    if let Value::Object(m) = e {
        for (k, v) in m {
            if k == "timestamp" {
                continue;
            }
            if k.ends_with("EventDetails") {
                let mut d = Map::new();
                if let Value::Object(dm) = v {
                    for (dk, dv) in dm {
                        let val = if PAYLOAD_KEYS.contains(&dk.as_str()) {
                            decode_payload(dv)
                        } else if dk == "cause" {
                            // The recorder decoded causes that were JSON text.
                            match dv.as_str().and_then(|t| serde_json::from_str::<Value>(t).ok()) {
                                Some(j) if j.is_object() || j.is_array() => j,
                                _ => dv.clone(),
                            }
                        } else if dk == "assignedVariables" {
                            match dv {
                                Value::Object(vars) => Value::Object(
                                    vars.iter()
                                        .map(|(n, t)| (n.clone(), decode_payload(t)))
                                        .collect(),
                                ),
                                other => other.clone(),
                            }
                        } else {
                            dv.clone()
                        };
                        d.insert(dk.clone(), normalize(&val));
                    }
                }
                out.insert(k.clone(), Value::Object(d));
            } else {
                out.insert(k.clone(), normalize(v));
            }
        }
    }
    Value::Object(out)
}

fn decode_payload(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            serde_json::from_str(s).unwrap_or_else(|_| serde_json::json!({"__raw__": s}))
        }
        other => other.clone(),
    }
}

fn compare_events(want: &[Value], got: &[Value], unordered: bool) -> Result<(), String> {
    let mut got: Vec<Value> = got.iter().map(decoded_event).collect();
    if unordered && want.len() < got.len() {
        // When it re-sorted Parallel events the recorder also dropped some Parallel bookkeeping
        // events (ParallelStateSucceeded or ParallelStateFailed, nested ParallelStateExited; the
        // ids it kept leave their gap): drop ours that it dropped.
        let count = |list: &[Value], t: &str| list.iter().filter(|e| e["type"] == t).count();
        for t in [
            "ParallelStateSucceeded",
            "ParallelStateFailed",
            "ParallelStateExited",
            "ParallelStateStarted",
        ] {
            let mut extra = count(&got, t).saturating_sub(count(want, t));
            if extra > 0 {
                // Drop the innermost ones first (they come first in our order).
                got.retain(|e| {
                    if extra > 0 && e["type"] == t {
                        extra -= 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
    }
    if want.len() != got.len() {
        let wt: Vec<&str> = want
            .iter()
            .map(|e| e["type"].as_str().unwrap_or("?"))
            .collect();
        let gt: Vec<&str> = got
            .iter()
            .map(|e| e["type"].as_str().unwrap_or("?"))
            .collect();
        return Err(format!(
            "{} events (AWS: {})\n      got:  {}\n      want: {}",
            got.len(),
            want.len(),
            gt.join(","),
            wt.join(",")
        ));
    }
    if unordered {
        // The recorder re-sorted events inside Parallel states: compare as a multiset, ids aside.
        let strip = |e: &Value| {
            let mut e = e.clone();
            if let Value::Object(m) = &mut e {
                m.remove("id");
                m.remove("previousEventId");
            }
            e
        };
        let mut pool: Vec<Value> = got.iter().map(strip).collect();
        for w in want {
            let w = strip(w);
            match pool.iter().position(|g| compare(&w, g, "").is_ok()) {
                Some(i) => {
                    pool.remove(i);
                }
                None => return Err(format!("no event of ours matches AWS's {}", w)),
            }
        }
        return Ok(());
    }
    for (i, (w, g)) in want.iter().zip(got.iter()).enumerate() {
        // After a Map Run, AWS points MapStateExited at MapRunSucceeded in most recordings and at
        // MapRunStarted in others (aws-facts §2.3 rule 8): accept either.
        if w["type"] == "MapStateExited" && w["previousEventId"] != g["previousEventId"] {
            let kind_of = |id: &Value| {
                got.iter()
                    .find(|e| e["id"] == *id)
                    .map(|e| e["type"].clone())
            };
            let wk = kind_of(&w["previousEventId"]);
            let gk = kind_of(&g["previousEventId"]);
            let run = |k: &Option<Value>| {
                matches!(
                    k.as_ref().and_then(Value::as_str),
                    Some("MapRunStarted" | "MapRunSucceeded")
                )
            };
            if run(&wk) && run(&gk) {
                let mut g2 = g.clone();
                g2["previousEventId"] = w["previousEventId"].clone();
                compare(
                    w,
                    &g2,
                    &format!("events[{i}] ({})", w["type"].as_str().unwrap_or("?")),
                )?;
                continue;
            }
        }
        compare(
            w,
            g,
            &format!("events[{i}] ({})", w["type"].as_str().unwrap_or("?")),
        )?;
    }
    Ok(())
}

/// Structural comparison: numbers by value, `<placeholder>` tokens in AWS's strings match anything.
pub fn compare(want: &Value, got: &Value, at: &str) -> Result<(), String> {
    let fail = || Err(format!("{at}: got {} want {}", short(got), short(want)));
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            if a.as_f64() == b.as_f64() {
                Ok(())
            } else {
                fail()
            }
        }
        (Value::String(a), Value::String(b)) => {
            if str_matches(a, b) {
                Ok(())
            } else {
                fail()
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return fail();
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(g) => compare(v, g, &format!("{at}.{k}"))?,
                    None => return Err(format!("{at}.{k}: missing (want {})", short(v))),
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    return Err(format!("{at}.{k}: unexpected (got {})", short(&b[k])));
                }
            }
            Ok(())
        }
        _ => {
            if want == got {
                Ok(())
            } else {
                fail()
            }
        }
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(300).map(|(i, _)| i).unwrap_or(s.len())]
        )
    } else {
        s
    }
}

/// Whether `got` matches `want`, where each `<token>` in `want` (letters, digits, `_:-`) matches any text.
pub fn str_matches(want: &str, got: &str) -> bool {
    if want == got {
        return true;
    }
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    let bytes = want.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let end = want[i + 1..].find('>').map(|e| i + 1 + e);
            if let Some(end) = end {
                let token = &want[i + 1..end];
                if !token.is_empty()
                    && token
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_:-.".contains(c))
                {
                    pieces.push(&want[literal_start..i]);
                    i = end + 1;
                    literal_start = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    if pieces.is_empty() {
        return false;
    }
    pieces.push(&want[literal_start..]);
    glob(&pieces, got)
}

/// Matches `got` against literal pieces separated by wildcards.
fn glob(pieces: &[&str], got: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return got.is_empty();
    };
    let Some(mut s) = got.strip_prefix(first) else {
        return false;
    };
    for (i, p) in rest.iter().enumerate() {
        if i == rest.len() - 1 {
            return s.ends_with(p);
        }
        match s.find(p) {
            Some(at) => s = &s[at + p.len()..],
            None => return false,
        }
    }
    true
}

/// Applies the recorder's normalisation to every string in `v`.
pub fn normalize(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(normalize_str(s)),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let normalized = normalize(v);
                    if k.to_ascii_lowercase().contains("timestamp") && normalized != "date" {
                        (k.clone(), Value::String("timestamp".into()))
                    } else {
                        (k.clone(), normalized)
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `arn:aws:` → `arn:<partition>:`, ISO-8601 date-times → `date`.
pub fn normalize_str(s: &str) -> String {
    let s = s.replace("arn:aws:", "arn:<partition>:");
    replace_dates(&s)
}

fn replace_dates(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if let Some(len) = date_at(b, i) {
            out.push_str(&s[last..i]);
            out.push_str("date");
            i += len;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// Length of `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh[:mm])` at `i`, if one starts there.
fn date_at(b: &[u8], i: usize) -> Option<usize> {
    let d = |k: usize| b.get(i + k).is_some_and(u8::is_ascii_digit);
    let num = |k: usize| (b[i + k] - b'0') as u32 * 10 + (b[i + k + 1] - b'0') as u32;
    let c = |k: usize, ch: u8| b.get(i + k) == Some(&ch);
    if !(d(0)
        && d(1)
        && d(2)
        && d(3)
        && c(4, b'-')
        && d(5)
        && d(6)
        && c(7, b'-')
        && d(8)
        && d(9)
        && c(10, b'T')
        && d(11)
        && d(12)
        && c(13, b':')
        && d(14)
        && d(15)
        && c(16, b':')
        && d(17)
        && d(18))
    {
        return None;
    }
    // Only real dates: month 1-12, day 1-31, hour 0-23, minutes and seconds 0-59.
    if !(1..=12).contains(&num(5))
        || !(1..=31).contains(&num(8))
        || num(11) > 23
        || num(14) > 59
        || num(17) > 59
    {
        return None;
    }
    let mut k = 19;
    if c(k, b'.') {
        k += 1;
        while d(k) {
            k += 1;
        }
    }
    if c(k, b'Z') {
        return Some(k + 1);
    }
    if (c(k, b'+') || c(k, b'-')) && d(k + 1) && d(k + 2) {
        k += 3;
        if c(k, b':') && d(k + 1) && d(k + 2) {
            k += 3;
        } else if d(k) && d(k + 1) {
            k += 2;
        }
        return Some(k);
    }
    None
}

/// Pass/fail counts per category and the closing line, as printed by the CLI and the test.
pub fn summary(results: &[CaseResult], verbose: bool) -> String {
    let mut by_cat: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut lines = Vec::new();
    for r in results {
        let e = by_cat.entry(r.category.as_str()).or_default();
        match &r.outcome {
            Outcome::Passed => e.0 += 1,
            Outcome::Failed(why) => {
                e.1 += 1;
                lines.push(format!("FAIL {}: {}", r.id, why));
            }
            Outcome::Skipped(why) => {
                e.2 += 1;
                if verbose {
                    lines.push(format!("SKIP {}: {}", r.id, why));
                }
            }
        }
    }
    let (p, f, s) = by_cat
        .values()
        .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("\nper category (passed/failed/skipped):\n");
    for (cat, (cp, cf, cs)) in &by_cat {
        out.push_str(&format!("  {cat:<70} {cp:>4} {cf:>4} {cs:>4}\n"));
    }
    out.push_str(&format!("{p} passed, {f} failed, {s} skipped"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_anything() {
        assert!(str_matches("a <json-input:1> b", "a {\"x\":1} b"));
        assert!(str_matches("Invalid path '<x>'", "Invalid path 'anything'"));
        assert!(!str_matches("abc", "abd"));
        assert!(str_matches("a < b", "a < b"));
    }

    #[test]
    fn dates_become_date() {
        assert_eq!(
            normalize_str("at 2024-01-01T10:00:05.000Z ok"),
            "at date ok"
        );
        assert_eq!(normalize_str("2024-01-01T10:00:05+01:00"), "date");
        assert_eq!(
            normalize_str("arn:aws:states:x"),
            "arn:<partition>:states:x"
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(compare(&serde_json::json!(1), &serde_json::json!(1.0), "").is_ok());
        assert!(compare(
            &serde_json::json!({"a": 1}),
            &serde_json::json!({"a": 2}),
            ""
        )
        .is_err());
    }
}
