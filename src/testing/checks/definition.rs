//! What checks read from the definition itself: which states exist and what leads to them, a
//! state's Retry in words, where a field, state type or function is used (`uses`) and the query
//! language each state evaluates in (`queryLanguage`).

use serde_json::{Map, Value};

/// Every state object in a definition, nested ones included: (name, state).
pub fn states(def: &Value) -> Vec<(&str, &Map<String, Value>)> {
    let mut out = Vec::new();
    collect(def, &mut out);
    out
}

fn collect<'a>(machine: &'a Value, out: &mut Vec<(&'a str, &'a Map<String, Value>)>) {
    let Some(states) = machine.get("States").and_then(Value::as_object) else { return };
    for (name, s) in states {
        let Some(obj) = s.as_object() else { continue };
        out.push((name, obj));
        for b in obj.get("Branches").and_then(Value::as_array).into_iter().flatten() {
            collect(b, out);
        }
        for k in ["ItemProcessor", "Iterator"] {
            if let Some(p) = obj.get(k) {
                collect(p, out);
            }
        }
    }
}

pub fn has_state(def: &Value, name: &str) -> bool {
    states(def).iter().any(|(n, _)| *n == name)
}

/// "there is no state `Aprove` in the definition (did you mean `Approve`?)".
pub fn no_such_state(def: &Value, name: &str) -> String {
    let near = states(def).into_iter().map(|(n, _)| (super::parse::distance(&n.to_lowercase(), &name.to_lowercase()), n)).filter(|(d, _)| *d <= 2).min_by_key(|(d, _)| *d);
    let hint = near.map(|(_, n)| format!(" (did you mean `{n}`?)")).unwrap_or_default();
    format!("there is no state `{name}` in the definition{hint}")
}

/// How one state leads to another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lead {
    Choice,
    Catch,
    Next,
}

/// The states that lead to `target`, and how.
pub fn leading_to(def: &Value, target: &str) -> Vec<(String, Lead)> {
    let mut out = Vec::new();
    for (name, s) in states(def) {
        let to = |v: &Value| v.get("Next").and_then(Value::as_str) == Some(target);
        let choices = s.get("Choices").and_then(Value::as_array).into_iter().flatten().any(to);
        if choices || s.get("Default").and_then(Value::as_str) == Some(target) {
            out.push((name.to_string(), Lead::Choice));
        }
        if s.get("Catch").and_then(Value::as_array).into_iter().flatten().any(to) {
            out.push((name.to_string(), Lead::Catch));
        }
        if s.get("Next").and_then(Value::as_str) == Some(target) {
            out.push((name.to_string(), Lead::Next));
        }
    }
    out
}

/// A state's Retry in words: "it has no Retry", "its Retry on States.TaskFailed has MaxAttempts
/// 4 (up to 5 attempts)".
pub fn retry_words(state: &Map<String, Value>) -> String {
    let retriers: Vec<&Map<String, Value>> = state.get("Retry").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
    if retriers.is_empty() {
        return "it has no Retry".into();
    }
    let parts: Vec<String> = retriers
        .iter()
        .map(|r| {
            let on: Vec<&str> = r.get("ErrorEquals").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let max = r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3);
            let default = if r.contains_key("MaxAttempts") { "" } else { " (the default)" };
            format!("on {} has MaxAttempts {max}{default} (up to {} attempts)", on.join(", "), max + 1)
        })
        .collect();
    let word = if parts.len() == 1 { "Retry" } else { "Retriers" };
    format!("its {word} {}", parts.join("; "))
}

/// Where `uses` found its word.
pub enum Found {
    /// The state (None: the top level) and what it has there, in words.
    At(Option<String>, String),
    /// Not found: why, with a hint.
    Nowhere(String),
}

const TYPES: &[&str] = &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
/// Fields whose keys are ASL fields too.
const CONFIG: &[&str] = &["ItemReader", "ItemBatcher", "ResultWriter", "ProcessorConfig", "ReaderConfig"];

/// Where the definition uses `word`: a field of the top level, a state, a Retrier, a Catcher, a
/// Choice rule or a configuration object; a state type; a function it calls (`States.Format`,
/// `$sum`) or a `States.` error name it names.
pub fn find_use(def: &Value, word: &str) -> Found {
    if let Some(m) = def.as_object() {
        if m.contains_key(word) {
            return Found::At(None, word.to_string());
        }
    }
    let function = word.starts_with("States.") || word.starts_with('$');
    for (name, s) in states(def) {
        if TYPES.contains(&word) && s.get("Type").and_then(Value::as_str) == Some(word) {
            return Found::At(Some(name.into()), format!("is a {word} state"));
        }
        if fields_of(s).iter().any(|k| k == word) {
            return Found::At(Some(name.into()), format!("has {word}"));
        }
        if function {
            let call = format!("{word}(");
            let mut texts = Vec::new();
            strings(&Value::Object(own(s)), &mut texts);
            if let Some(t) = texts.iter().find(|t| t.contains(&call)) {
                return Found::At(Some(name.into()), format!("calls {word} in {}", super::show(&Value::String(t.clone()))));
            }
            if texts.iter().any(|t| t == word) {
                return Found::At(Some(name.into()), format!("names {word}"));
            }
        }
    }
    // Not found: a near miss by case, or the plain fact.
    let lower = word.to_lowercase();
    let near = states(def).into_iter().find_map(|(n, s)| fields_of(s).into_iter().find(|k| k.to_lowercase() == lower).map(|k| (n.to_string(), k)));
    if let Some((n, k)) = near {
        return Found::Nowhere(format!("no state has {word}; `{n}` has `{k}`, but field names are case-sensitive"));
    }
    if TYPES.contains(&word) {
        return Found::Nowhere(format!("the definition has no {word} state"));
    }
    if function {
        return Found::Nowhere(format!("nothing in the definition uses {word}"));
    }
    Found::Nowhere(format!("no state has {word}"))
}

/// The state without its nested machines (their states are looked at on their own).
fn own(s: &Map<String, Value>) -> Map<String, Value> {
    s.iter().filter(|(k, _)| !matches!(k.as_str(), "Branches" | "ItemProcessor" | "Iterator")).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The ASL field names of a state: its own, its Retriers', Catchers', Choice rules' (nested
/// And/Or/Not included), an item processor's, and its configuration objects'.
fn fields_of(s: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = s.keys().cloned().collect();
    for k in ["Retry", "Catch"] {
        for r in s.get(k).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object) {
            out.extend(r.keys().cloned());
        }
    }
    for c in s.get("Choices").and_then(Value::as_array).into_iter().flatten() {
        rule_fields(c, &mut out);
    }
    for k in ["ItemProcessor", "Iterator"] {
        if let Some(p) = s.get(k).and_then(Value::as_object) {
            out.extend(p.keys().filter(|k| !matches!(k.as_str(), "States")).cloned());
            config_fields(p, &mut out);
        }
    }
    config_fields(s, &mut out);
    out
}

fn config_fields(m: &Map<String, Value>, out: &mut Vec<String>) {
    for k in CONFIG {
        if let Some(c) = m.get(*k).and_then(Value::as_object) {
            out.extend(c.keys().cloned());
            config_fields(c, out);
        }
    }
}

fn rule_fields(rule: &Value, out: &mut Vec<String>) {
    let Some(m) = rule.as_object() else { return };
    for (k, v) in m {
        out.push(k.clone());
        match k.as_str() {
            "And" | "Or" => v.as_array().into_iter().flatten().for_each(|r| rule_fields(r, out)),
            "Not" => rule_fields(v, out),
            _ => {}
        }
    }
}

/// Every string in a value, keys included.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

/// Each state and the language it evaluates in: its own QueryLanguage, else its container's
/// (a Map's or Parallel's states inherit from it), else the top level's, else JSONPath.
pub fn languages(def: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let top = def.get("QueryLanguage").and_then(Value::as_str).unwrap_or("JSONPath");
    languages_in(def, top, &mut out);
    out
}

fn languages_in(machine: &Value, inherited: &str, out: &mut Vec<(String, String)>) {
    let Some(states) = machine.get("States").and_then(Value::as_object) else { return };
    for (name, s) in states {
        let lang = s.get("QueryLanguage").and_then(Value::as_str).unwrap_or(inherited);
        out.push((name.clone(), lang.to_string()));
        for b in s.get("Branches").and_then(Value::as_array).into_iter().flatten() {
            languages_in(b, lang, out);
        }
        for k in ["ItemProcessor", "Iterator"] {
            if let Some(p) = s.get(k) {
                languages_in(p, lang, out);
            }
        }
    }
}
