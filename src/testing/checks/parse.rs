//! A check from its JSON form and back. Written by hand rather than derived so that every mistake
//! a teacher can make gets a sentence that names it: an unknown kind (with the nearest known one),
//! two kinds in one object, a value of the wrong type, an unknown field of `attempts`.

use super::{Check, CheckKind, KINDS, STATUSES};
use serde_json::{json, Map, Value};

impl TryFrom<Value> for Check {
    type Error = String;

    fn try_from(v: Value) -> Result<Check, String> {
        let Value::Object(mut m) = v else {
            return Err(format!("a check is an object such as {{\"status\": \"SUCCEEDED\"}}, not {}", super::show(&v)));
        };
        let message = take_string(&mut m, "message")?;
        let input = take_string(&mut m, "input")?;
        let mut keys = m.keys();
        let (Some(key), None) = (keys.next().cloned(), keys.next()) else {
            if m.is_empty() {
                return Err("a check needs a kind (status, output, visited, …), not only message or input".into());
            }
            let all: Vec<String> = m.keys().map(|k| format!("`{k}`")).collect();
            return Err(format!("one kind per check: {} are in the same object; write one check each", all.join(" and ")));
        };
        let value = m.remove(&key).unwrap_or(Value::Null);
        let kind = kind_of(&key, value)?;
        Ok(Check { kind, message, input })
    }
}

impl From<Check> for Value {
    fn from(c: Check) -> Value {
        use CheckKind::*;
        let range = |min: Option<Value>, max: Option<Value>| {
            let mut m = Map::new();
            if let Some(v) = min {
                m.insert("min".into(), v);
            }
            if let Some(v) = max {
                m.insert("max".into(), v);
            }
            m
        };
        let (key, value) = match c.kind {
            Status(s) => ("status", json!(s)),
            Output(v) => ("output", v),
            OutputContains(v) => ("outputContains", v),
            Error(e) => ("error", json!(e)),
            Cause(s) => ("cause", json!(s)),
            Visited(s) => ("visited", json!(s)),
            NotVisited(s) => ("notVisited", json!(s)),
            Attempts { state, min, max } => {
                let mut m = Map::new();
                m.insert("state".into(), json!(state));
                m.extend(range(min.map(Value::from), max.map(Value::from)));
                ("attempts", Value::Object(m))
            }
            Transitions { min, max } => ("transitions", Value::Object(range(min.map(Value::from), max.map(Value::from)))),
            Duration { min, max } => ("duration", Value::Object(range(min.map(Value::from), max.map(Value::from)))),
            Events(counts) => ("events", super::events::to_json(&counts)),
            Uses(w) => ("uses", json!(w)),
            QueryLanguage(l) => ("queryLanguage", json!(l)),
        };
        let mut m = Map::new();
        m.insert(key.into(), value);
        if let Some(msg) = c.message {
            m.insert("message".into(), json!(msg));
        }
        if let Some(i) = c.input {
            m.insert("input".into(), json!(i));
        }
        Value::Object(m)
    }
}

fn take_string(m: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match m.remove(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` is a string, not {}", super::show(&other))),
    }
}

fn kind_of(key: &str, value: Value) -> Result<CheckKind, String> {
    let text = |what: &str| match &value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        other => Err(format!("`{key}` takes {what}, not {}", super::show(other))),
    };
    Ok(match key {
        "status" => {
            let s = text("a status")?;
            if !STATUSES.contains(&s.as_str()) {
                return Err(format!("`status` takes one of {}, not \"{s}\"", STATUSES.join(", ")));
            }
            CheckKind::Status(s)
        }
        "output" => CheckKind::Output(value),
        "outputContains" => CheckKind::OutputContains(value),
        "error" => CheckKind::Error(text("an error name")?),
        "cause" => CheckKind::Cause(text("a text the cause contains")?),
        "visited" => CheckKind::Visited(text("a state name")?),
        "notVisited" => CheckKind::NotVisited(text("a state name")?),
        "uses" => CheckKind::Uses(text("a field, a state type or a function name")?),
        "queryLanguage" => {
            let l = text("\"JSONata\" or \"JSONPath\"")?;
            if l != "JSONata" && l != "JSONPath" {
                return Err(format!("`queryLanguage` takes \"JSONata\" or \"JSONPath\", not \"{l}\""));
            }
            CheckKind::QueryLanguage(l)
        }
        "attempts" => {
            let mut m = fields(key, value, &["state", "min", "max"])?;
            let state = match m.remove("state") {
                Some(Value::String(s)) if !s.is_empty() => s,
                Some(other) => return Err(format!("`attempts` takes a state name as `state`, not {}", super::show(&other))),
                None => return Err("`attempts` needs the `state` whose attempts are counted".into()),
            };
            let (min, max) = (count(key, &m, "min")?, count(key, &m, "max")?);
            ordered(key, min.map(|v| v as f64), max.map(|v| v as f64))?;
            CheckKind::Attempts { state, min, max }
        }
        "transitions" => {
            let m = fields(key, value, &["min", "max"])?;
            let (min, max) = (count(key, &m, "min")?, count(key, &m, "max")?);
            bounded(key, min.is_some() || max.is_some())?;
            ordered(key, min.map(|v| v as f64), max.map(|v| v as f64))?;
            CheckKind::Transitions { min, max }
        }
        "events" => CheckKind::Events(super::events::parse(value)?),
        "duration" => {
            let m = fields(key, value, &["min", "max"])?;
            let seconds = |f: &str| match m.get(f) {
                None => Ok(None),
                Some(v) => v.as_f64().filter(|s| *s >= 0.0).map(Some).ok_or_else(|| format!("`duration`'s `{f}` is a number of seconds, not {}", super::show(v))),
            };
            let (min, max) = (seconds("min")?, seconds("max")?);
            bounded(key, min.is_some() || max.is_some())?;
            ordered(key, min, max)?;
            CheckKind::Duration { min, max }
        }
        other => {
            let hint = nearest(other).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            return Err(format!("unknown check kind `{other}`{hint}; the kinds are {}", KINDS.join(", ")));
        }
    })
}

/// The object a ranged kind takes, refusing unknown fields.
fn fields(key: &str, value: Value, allowed: &[&str]) -> Result<Map<String, Value>, String> {
    let Value::Object(m) = value else {
        return Err(format!("`{key}` takes an object with {}, not {}", allowed.join(", "), super::show(&value)));
    };
    if let Some(bad) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("`{key}` takes {}, not `{bad}`", allowed.join(", ")));
    }
    Ok(m)
}

fn count(key: &str, m: &Map<String, Value>, f: &str) -> Result<Option<u64>, String> {
    match m.get(f) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("`{key}`'s `{f}` is a whole number, not {}", super::show(v))),
    }
}

fn bounded(key: &str, any: bool) -> Result<(), String> {
    if any {
        Ok(())
    } else {
        Err(format!("`{key}` needs `min`, `max` or both"))
    }
}

fn ordered(key: &str, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    match (min, max) {
        (Some(a), Some(b)) if a > b => Err(format!("`{key}`'s `min` ({a}) is more than its `max` ({b})")),
        _ => Ok(()),
    }
}

/// The known kind nearest to a misspelt one (edit distance at most 2, or a case slip).
fn nearest(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    KINDS
        .iter()
        .map(|k| (distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, over chars.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
