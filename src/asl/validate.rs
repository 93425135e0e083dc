//! Validation as CreateStateMachine and ValidateStateMachineDefinition do it: every problem is a
//! diagnostic with AWS's code, message and JSON-pointer location, all reported at once.
//! (First version: the checks the recordings show; the full schema check is still to come.)

use super::{intrinsics, path::Path, timestamp};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Severity {
    #[serde(rename = "ERROR")]
    Error,
    #[serde(rename = "WARNING")]
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineType {
    Standard,
    Express,
}

const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
const MISSING: &str = "MISSING_TRANSITION_TARGET";
const TYPES: [&str; 8] = [
    "Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map",
];

fn err(code: &str, message: impl Into<String>, location: impl Into<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code: code.into(),
        message: message.into(),
        location: Some(location.into()),
    }
}

pub fn validate_text(text: &str, machine_type: MachineType) -> Vec<Diagnostic> {
    if text.trim().is_empty() {
        return vec![Diagnostic {
            severity: Severity::Error,
            code: SCHEMA.into(),
            message: "Definition must be a valid JSON object".into(),
            location: None,
        }];
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => validate_value(&v, machine_type),
        Ok(_) => vec![Diagnostic {
            severity: Severity::Error,
            code: SCHEMA.into(),
            message: "Definition must be a valid JSON object".into(),
            location: None,
        }],
        Err(e) => vec![json_error(text, &e)],
    }
}

/// A JSON syntax error in Jackson's words, with line and column.
fn json_error(text: &str, e: &serde_json::Error) -> Diagnostic {
    let source: String = text.chars().take(500).collect();
    let (line, col) = (e.line(), e.column());
    let at = format!(
        "[Source: (String)\"{source}\"; line: {line}, column: {}]",
        col.max(1)
    );
    let first = text
        .trim_start()
        .split(|c: char| c.is_whitespace() || "{}[],:\"".contains(c))
        .next()
        .unwrap_or("");
    let message = if e.is_eof() {
        format!("Unexpected end-of-input\n at {at}")
    } else if !first.is_empty() && !text.trim_start().starts_with(['{', '[', '"']) {
        format!("Unrecognized token '{first}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {at}")
    } else {
        format!("{e}\n at {at}")
    };
    let column = if !first.is_empty() && !text.trim_start().starts_with(['{', '[', '"']) {
        first.chars().count() + 1
    } else {
        col
    };
    let at = format!("[Source: (String)\"{source}\"; line: {line}, column: {column}]");
    let message = match message.rsplit_once("\n at ") {
        Some((m, _)) => format!("{m}\n at {at}"),
        None => message,
    };
    Diagnostic {
        severity: Severity::Error,
        code: "INVALID_JSON_DESCRIPTION".into(),
        message,
        location: Some(at),
    }
}

pub fn validate_value(def: &Value, machine_type: MachineType) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut names = HashMap::new();
    let jsonata = def.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    let mut ctx = Ctx {
        mt: machine_type,
        top_jsonata: jsonata,
        names: &mut names,
    };
    machine(def, "", jsonata, &mut ctx, &mut out);
    out
}

struct Ctx<'a> {
    mt: MachineType,
    /// The whole machine is JSONata: no state may say JSONPath.
    top_jsonata: bool,
    names: &'a mut HashMap<String, String>,
}

fn machine(def: &Value, at: &str, jsonata: bool, ctx: &mut Ctx, out: &mut Vec<Diagnostic>) {
    let Some(m) = def.as_object() else {
        out.push(err(
            SCHEMA,
            "Definition must be a valid JSON object",
            if at.is_empty() { "/" } else { at },
        ));
        return;
    };
    let mut missing = Vec::new();
    if !m.contains_key("States") {
        missing.push("States");
    }
    if !m.contains_key("StartAt") {
        missing.push("StartAt");
    }
    let root = if at.is_empty() {
        "/".to_string()
    } else {
        at.to_string()
    };
    if !missing.is_empty() {
        out.push(err(
            SCHEMA,
            format!("These fields are required: [{}]", missing.join(", ")),
            root,
        ));
        return;
    }
    let Some(states) = m.get("States").and_then(Value::as_object) else {
        out.push(err(
            SCHEMA,
            "The field 'States' must be an object",
            format!("{at}/States"),
        ));
        return;
    };
    let start = m.get("StartAt").and_then(Value::as_str).unwrap_or("");
    if !states.contains_key(start) {
        out.push(err(
            MISSING,
            format!("Missing 'Next' target: {start}"),
            format!("{at}/StartAt"),
        ));
    }
    // Transitions, for reachability.
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, s) in states {
        let here = format!("{at}/States/{name}");
        if ctx.names.insert(name.clone(), here.clone()).is_some() {
            out.push(err(
                "DUPLICATE_STATE_NAME",
                format!("Duplicate State name: {name}"),
                here.clone(),
            ));
        }
        let Some(sm) = s.as_object() else {
            out.push(err(SCHEMA, "A state must be an object", here));
            continue;
        };
        let state_jsonata = match sm.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => true,
            Some("JSONPath") if ctx.top_jsonata => {
                out.push(err(SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", here.clone()));
                false
            }
            _ => jsonata,
        };
        let targets = edges.entry(name.as_str()).or_default();
        let mut target = |t: &Value, loc: String, out: &mut Vec<Diagnostic>| {
            if let Some(t) = t.as_str() {
                if states.contains_key(t) {
                    targets.push(
                        states
                            .get_key_value(t)
                            .map(|(k, _)| k.as_str())
                            .unwrap_or(""),
                    );
                } else {
                    out.push(err(MISSING, format!("Missing 'Next' target: {t}"), loc));
                }
            }
        };
        if let Some(n) = sm.get("Next") {
            target(n, format!("{here}/Next"), out);
        }
        if let Some(d) = sm.get("Default") {
            target(d, format!("{here}/Default"), out);
        }
        for (i, c) in sm
            .get("Choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(n) = c.get("Next") {
                target(n, format!("{here}/Choices[{i}]/Next"), out);
            }
        }
        for (i, c) in sm
            .get("Catch")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(n) = c.get("Next") {
                target(n, format!("{here}/Catch[{i}]/Next"), out);
            }
        }
        state(sm, &here, state_jsonata, ctx, out);
    }
    // Reachability from StartAt.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut stack = vec![start];
    while let Some(s) = stack.pop() {
        if states.contains_key(s) && seen.insert(s) {
            stack.extend(edges.get(s).into_iter().flatten().copied());
        }
    }
    for name in states.keys() {
        if states.contains_key(start) && !seen.contains(name.as_str()) {
            out.push(err(
                MISSING,
                format!("State \"{name}\" is not reachable."),
                format!("{at}/States/{name}"),
            ));
        }
    }
}

/// Fields a JSONPath state of each type may have (besides Type, Comment, QueryLanguage).
fn jsonpath_fields(ty: &str) -> &'static [&'static str] {
    match ty {
        "Pass" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultPath",
            "Result",
            "Assign",
        ],
        "Task" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Assign",
        ],
        "Choice" => &["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        "Wait" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
            "Assign",
        ],
        "Succeed" => &["InputPath", "OutputPath"],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Branches",
            "Assign",
        ],
        "Map" => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "ItemsPath",
            "ItemSelector",
            "ItemProcessor",
            "Iterator",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCountPath",
            "Label",
            "Assign",
        ],
        _ => &[],
    }
}

/// Fields AWS refuses in JSONata states.
const JSONPATH_ONLY: [&str; 16] = [
    "InputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
    "Iterator",
];

/// "Field 'X' is not supported" for fields this state type (in its query language) does not have,
/// and the Retry/Catch rules.
fn check_fields(
    ty: &str,
    m: &Map<String, Value>,
    here: &str,
    jsonata: bool,
    out: &mut Vec<Diagnostic>,
) {
    for key in m.keys() {
        if matches!(key.as_str(), "Type" | "Comment" | "QueryLanguage") {
            continue;
        }
        let supported = if jsonata {
            !JSONPATH_ONLY.contains(&key.as_str())
        } else {
            jsonpath_fields(ty).contains(&key.as_str())
        };
        if !supported {
            out.push(err(SCHEMA, format!("Field '{key}' is not supported"), here));
        }
    }
    let retrier: &[&str] = &[
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    ];
    let catcher: &[&str] = &[
        "ErrorEquals",
        "Next",
        "ResultPath",
        "Comment",
        "Assign",
        "Output",
    ];
    for (list, allowed) in [("Retry", retrier), ("Catch", catcher)] {
        let items = m
            .get(list)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{here}/{list}[{i}]");
            let Some(o) = item.as_object() else {
                out.push(err(SCHEMA, "Value must be an object", at));
                continue;
            };
            for k in o.keys().filter(|k| !allowed.contains(&k.as_str())) {
                out.push(err(
                    SCHEMA,
                    format!("Field '{k}' is not supported"),
                    at.clone(),
                ));
            }
            match o.get("ErrorEquals").and_then(Value::as_array) {
                None => out.push(err(
                    SCHEMA,
                    "These fields are required: [ErrorEquals]",
                    at.clone(),
                )),
                Some(a) if a.is_empty() => out.push(err(
                    SCHEMA,
                    "Value cannot be empty",
                    format!("{at}/ErrorEquals"),
                )),
                Some(a) => {
                    let has_all = a.iter().any(|e| e == "States.ALL");
                    if has_all && a.len() > 1 {
                        out.push(err(
                            SCHEMA,
                            "States.ALL must appear alone in ErrorEquals",
                            format!("{at}/ErrorEquals"),
                        ));
                    }
                    if has_all && i + 1 < items.len() {
                        let what = if list == "Retry" {
                            "retrier"
                        } else {
                            "catcher"
                        };
                        out.push(err(
                            SCHEMA,
                            format!("States.ALL must be in the last {what}"),
                            at.clone(),
                        ));
                    }
                }
            }
        }
    }
}

/// Numeric fields and their ranges; JSONata states may give them as `{% %}` expressions instead.
fn check_numbers(
    ty: &str,
    m: &Map<String, Value>,
    here: &str,
    jsonata: bool,
    out: &mut Vec<Diagnostic>,
) {
    let expr = |v: &Value| jsonata && v.as_str().is_some_and(|s| s.starts_with("{%"));
    let int_in = |field: &str,
                  v: Option<&Value>,
                  at: &str,
                  min: i64,
                  max: i64,
                  out: &mut Vec<Diagnostic>| {
        let Some(v) = v else { return };
        if expr(v) {
            return;
        }
        match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => {}
            _ => out.push(err(
                SCHEMA,
                format!("The value of the field '{field}' must be an integer from {min} to {max}"),
                format!("{at}/{field}"),
            )),
        }
    };
    const MAX: i64 = 99_999_999;
    match ty {
        "Task" => {
            if !m.contains_key("Resource") {
                out.push(err(
                    SCHEMA,
                    "The field 'Resource' is required but was missing",
                    here,
                ));
            }
            int_in("TimeoutSeconds", m.get("TimeoutSeconds"), here, 1, MAX, out);
            int_in(
                "HeartbeatSeconds",
                m.get("HeartbeatSeconds"),
                here,
                1,
                MAX,
                out,
            );
        }
        "Wait" => int_in("Seconds", m.get("Seconds"), here, 0, i64::MAX, out),
        "Map" => {
            int_in(
                "MaxConcurrency",
                m.get("MaxConcurrency"),
                here,
                0,
                i64::MAX,
                out,
            );
            int_in(
                "ToleratedFailureCount",
                m.get("ToleratedFailureCount"),
                here,
                0,
                i64::MAX,
                out,
            );
            if let Some(v) = m.get("ToleratedFailurePercentage").filter(|v| !expr(v)) {
                if !v.as_f64().is_some_and(|p| (0.0..=100.0).contains(&p)) {
                    out.push(err(SCHEMA, "The value of the field 'ToleratedFailurePercentage' must be a number from 0 to 100", format!("{here}/ToleratedFailurePercentage")));
                }
            }
        }
        "Fail" => {
            for (a, b) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
                if m.contains_key(a) && m.contains_key(b) {
                    out.push(err(
                        SCHEMA,
                        format!("The fields '{a}' and '{b}' cannot both be set"),
                        here,
                    ));
                }
            }
        }
        _ => {}
    }
    for (i, r) in m
        .get("Retry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("{here}/Retry[{i}]");
        int_in(
            "IntervalSeconds",
            r.get("IntervalSeconds"),
            &at,
            1,
            MAX,
            out,
        );
        int_in("MaxAttempts", r.get("MaxAttempts"), &at, 0, MAX, out);
        int_in(
            "MaxDelaySeconds",
            r.get("MaxDelaySeconds"),
            &at,
            1,
            31_622_400,
            out,
        );
        if let Some(b) = r.get("BackoffRate") {
            if !b.as_f64().is_some_and(|b| b >= 1.0) {
                out.push(err(
                    SCHEMA,
                    "The value of the field 'BackoffRate' must be a number of at least 1.0",
                    format!("{at}/BackoffRate"),
                ));
            }
        }
        if let Some(j) = r.get("JitterStrategy") {
            if !matches!(j.as_str(), Some("FULL" | "NONE")) {
                out.push(err(
                    SCHEMA,
                    "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                    format!("{at}/JitterStrategy"),
                ));
            }
        }
    }
}

fn state(
    m: &Map<String, Value>,
    here: &str,
    jsonata: bool,
    ctx: &mut Ctx,
    out: &mut Vec<Diagnostic>,
) {
    let mt = ctx.mt;
    let ty = m.get("Type").and_then(Value::as_str).unwrap_or("");
    if !TYPES.contains(&ty) {
        out.push(err(
            SCHEMA,
            format!(
                "The field 'Type' should have one of these values: [{}]",
                TYPES.join(", ")
            ),
            format!("{here}/Type"),
        ));
        return;
    }
    check_fields(ty, m, here, jsonata, out);
    check_numbers(ty, m, here, jsonata, out);
    let ends = matches!(ty, "Succeed" | "Fail" | "Choice");
    if !ends && m.contains_key("Next") == m.contains_key("End") {
        out.push(err(
            SCHEMA,
            "Exactly one of 'Next' or 'End' is required",
            here,
        ));
    }
    if !jsonata {
        for f in ["InputPath", "OutputPath"] {
            check_path(m.get(f), false, &format!("{here}/{f}"), f, out);
        }
        check_path(
            m.get("ResultPath"),
            true,
            &format!("{here}/ResultPath"),
            "ResultPath",
            out,
        );
        for f in ["Parameters", "ResultSelector", "ItemSelector", "Assign"] {
            if let Some(t) = m.get(f) {
                check_template(t, &format!("{here}/{f}"), out);
            }
        }
    }
    match ty {
        "Task" => {
            let resource = m.get("Resource").and_then(Value::as_str).unwrap_or("");
            check_resource(resource, &format!("{here}/Resource"), mt, out);
            if let Some(c) = m.get("Credentials") {
                if c.get("RoleArn").is_none() && c.get("RoleArn.$").is_none() {
                    out.push(err(
                        SCHEMA,
                        "The field 'RoleArn' is required but was missing",
                        format!("{here}/Credentials"),
                    ));
                }
            }
            if let (Some(h), Some(t)) = (
                m.get("HeartbeatSeconds").and_then(Value::as_u64),
                m.get("TimeoutSeconds").and_then(Value::as_u64),
            ) {
                if h >= t {
                    out.push(err(
                        SCHEMA,
                        "HeartbeatSeconds must be smaller than TimeoutSeconds",
                        format!("{here}/HeartbeatSeconds"),
                    ));
                }
            }
        }
        "Wait" => {
            if let Some(t) = m.get("Timestamp") {
                let ok = t.as_str().is_some_and(|s| {
                    timestamp::parse(s).is_some() || (jsonata && s.starts_with("{%"))
                });
                if !ok {
                    out.push(err(
                        SCHEMA,
                        "String does not match RFC3339 timestamp",
                        format!("{here}/Timestamp"),
                    ));
                }
            }
            let count = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
                .iter()
                .filter(|f| m.contains_key(**f))
                .count();
            if count != 1 {
                out.push(err(SCHEMA, "A Wait state must have exactly one of Seconds, Timestamp, SecondsPath or TimestampPath", here));
            }
        }
        "Choice" => match m.get("Choices").and_then(Value::as_array) {
            Some(c) if !c.is_empty() => {
                if !jsonata {
                    for (i, rule) in c.iter().enumerate() {
                        if let Err((msg, loc)) = super::choice::Rule::parse(rule, true) {
                            out.push(err(SCHEMA, msg, format!("{here}/Choices[{i}]{loc}")));
                        }
                    }
                }
            }
            _ => out.push(err(
                SCHEMA,
                "Value cannot be empty",
                format!("{here}/Choices"),
            )),
        },
        "Parallel" => match m.get("Branches").and_then(Value::as_array) {
            Some(b) if !b.is_empty() => {
                for (i, br) in b.iter().enumerate() {
                    machine(br, &format!("{here}/Branches[{i}]"), jsonata, ctx, out);
                }
            }
            _ => out.push(err(
                SCHEMA,
                "Value cannot be empty",
                format!("{here}/Branches"),
            )),
        },
        "Map" => {
            let key = if m.contains_key("ItemProcessor") {
                "ItemProcessor"
            } else {
                "Iterator"
            };
            match m.get(key) {
                Some(p) => machine(p, &format!("{here}/{key}"), jsonata, ctx, out),
                None => out.push(err(
                    SCHEMA,
                    "The field 'ItemProcessor' is required but was missing",
                    here,
                )),
            }
            if let Some(l) = m.get("Label") {
                let l = l.as_str().unwrap_or("");
                let msg = if l.is_empty() {
                    Some("Label cannot be empty".to_string())
                } else if l.chars().count() > 40 {
                    Some("Label cannot exceed 40 characters".to_string())
                } else {
                    l.chars()
                        .find(|c| forbidden_name_char(*c))
                        .map(|c| format!("Label contains invalid character: '{c}'"))
                };
                if let Some(msg) = msg {
                    out.push(err(SCHEMA, msg, format!("{here}/Label")));
                }
            }
            check_path(
                m.get("ItemsPath"),
                true,
                &format!("{here}/ItemsPath"),
                "ItemsPath",
                out,
            );
        }
        _ => {}
    }
}

/// Characters AWS forbids in names and Map labels.
pub fn forbidden_name_char(c: char) -> bool {
    c.is_whitespace()
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
        || ('\u{0}'..='\u{1f}').contains(&c)
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || c == '\u{fffe}'
        || c == '\u{ffff}'
}

fn check_path(
    v: Option<&Value>,
    reference: bool,
    loc: &str,
    field: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(Value::String(s)) = v else { return };
    let r = if reference {
        Path::parse_reference(s)
    } else {
        Path::parse(s)
    };
    if r.is_err() {
        let what = if reference {
            "a valid reference path"
        } else {
            "a valid JSONPath"
        };
        out.push(err(
            SCHEMA,
            format!("The value for the field '{field}' must be {what}"),
            loc,
        ));
    }
}

fn check_template(v: &Value, loc: &str, out: &mut Vec<Diagnostic>) {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                if k.ends_with(".$") {
                    let ok = match val.as_str() {
                        Some(t) if intrinsics::is_call(t) => intrinsics::parse(t)
                            .is_ok_and(|c| c.paths().iter().all(|p| Path::parse(p).is_ok())),
                        Some(t) => Path::parse(t).is_ok(),
                        None => false,
                    };
                    if !ok {
                        out.push(err(SCHEMA, format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"), loc));
                    }
                } else {
                    check_template(val, loc, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| check_template(x, loc, out)),
        _ => {}
    }
}

/// Optimised integrations AWS recognises (service → actions).
const INTEGRATIONS: [(&str, &[&str]); 12] = [
    ("lambda", &["invoke"]),
    ("sqs", &["sendMessage"]),
    ("sns", &["publish"]),
    (
        "dynamodb",
        &["getItem", "putItem", "updateItem", "deleteItem"],
    ),
    ("states", &["startExecution"]),
    ("events", &["putEvents"]),
    ("apigateway", &["invoke"]),
    ("ecs", &["runTask"]),
    ("batch", &["submitJob"]),
    ("glue", &["startJobRun"]),
    ("s3", &["getObject", "putObject", "listObjectsV2"]),
    ("http", &["invoke"]),
];

fn check_resource(resource: &str, loc: &str, mt: MachineType, out: &mut Vec<Diagnostic>) {
    // Corpus placeholders (<<opaque:activity_arn>>) stand for real ARNs.
    let opaque = resource.contains("<<opaque:");
    let is_activity = resource.contains(":activity:") || (opaque && resource.contains("activity"));
    if mt == MachineType::Express {
        if resource.contains(".waitForTaskToken") {
            out.push(err(
                SCHEMA,
                "Express state machine does not support '.waitForTaskToken' service integration ",
                loc,
            ));
            return;
        }
        if resource.contains(".sync") {
            out.push(err(
                SCHEMA,
                "Express state machine does not support '.sync' service integration",
                loc,
            ));
            return;
        }
        if is_activity {
            out.push(err(
                SCHEMA,
                "Express state machine does not support Activity ARN",
                loc,
            ));
            return;
        }
    }
    if opaque {
        return;
    }
    let Some(rest) = resource
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(':'))
        .and_then(|(_, r)| r.strip_prefix("states:::"))
    else {
        return;
    };
    if rest.starts_with("aws-sdk:") {
        return;
    }
    let (service, action) = rest.split_once(':').unwrap_or((rest, ""));
    let action = action.split('.').next().unwrap_or("");
    let known = INTEGRATIONS
        .iter()
        .find(|(s, _)| *s == service)
        .is_some_and(|(_, actions)| actions.contains(&action));
    if !known && INTEGRATIONS.iter().any(|(s, _)| *s == service) {
        out.push(err(
            SCHEMA,
            format!("The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."),
            loc,
        ));
    }
}

/// The CreateStateMachine InvalidDefinition message.
pub fn invalid_definition_message(diags: &[Diagnostic]) -> String {
    let parts: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| match &d.location {
            Some(l) if d.code != "INVALID_JSON_DESCRIPTION" => {
                format!("{}: {} at {}", d.code, d.message, l)
            }
            _ => format!("{}: {}", d.code, d.message),
        })
        .collect();
    format!("Invalid State Machine Definition: '{}'", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(def: &str) -> String {
        invalid_definition_message(&validate_text(def, MachineType::Standard))
    }

    #[test]
    fn recorded_messages() {
        assert_eq!(msg(r#"{"StartAt": "A"}"#), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'");
        assert_eq!(
            msg(r#"{"StartAt": "pass1", "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": true}}}"#),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
        );
        assert_eq!(
            validate_text("{}", MachineType::Standard)[0].message,
            "These fields are required: [States, StartAt]"
        );
        let d = &validate_text("not a definition", MachineType::Standard)[0];
        assert_eq!(d.code, "INVALID_JSON_DESCRIPTION");
        assert_eq!(
            d.location.as_deref(),
            Some("[Source: (String)\"not a definition\"; line: 1, column: 4]")
        );
    }

    #[test]
    fn unknown_fields_and_retry_rules() {
        let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Bogus": 1,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "T", "_comment": "x"}, {"ErrorEquals": ["A"], "Next": "T"}], "End": true}}}"#;
        let m = msg(def);
        assert!(
            m.contains("SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/T"),
            "{m}"
        );
        assert!(
            m.contains("Field '_comment' is not supported at /States/T/Catch[0]"),
            "{m}"
        );
        assert!(
            m.contains("States.ALL must be in the last catcher at /States/T/Catch[0]"),
            "{m}"
        );
        let retry = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 0,
            "Retry": [{"ErrorEquals": ["A"], "BackoffRate": 0.5, "JitterStrategy": "HALF"}], "End": true}}}"#;
        let m = msg(retry);
        assert!(m.contains("'TimeoutSeconds' must be an integer from 1 to 99999999 at /States/T/TimeoutSeconds"), "{m}");
        assert!(m.contains("at /States/T/Retry[0]/BackoffRate"), "{m}");
        assert!(
            m.contains("[FULL, NONE] at /States/T/Retry[0]/JitterStrategy"),
            "{m}"
        );
        assert!(
            msg(r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "End": true}}}"#)
                .contains("The field 'Resource' is required but was missing at /States/T")
        );
        let succeed_next = r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed", "Next": "S"}}}"#;
        assert!(msg(succeed_next).contains("Field 'Next' is not supported at /States/S"));
        let jsonata = r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a", "Output": "{% 1 %}", "End": true}}}"#;
        assert!(msg(jsonata).contains("Field 'InputPath' is not supported at /States/P"));
    }

    #[test]
    fn valid_definitions_have_no_diagnostics() {
        let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "B"}], "Default": "B"}, "B": {"Type": "Succeed"}}}"#;
        assert_eq!(validate_text(def, MachineType::Standard), vec![]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".{0,80}") {
            let _ = validate_text(&s, MachineType::Standard);
            let _ = validate_text(&format!("{{\"StartAt\":\"A\",\"States\":{{\"A\":{s}}}}}"), MachineType::Express);
        }
    }
}
