//! Why a Choice went where it went, in one sentence: "`Check` compared $.total with 100: 250 is
//! greater than 100, so it went to `Approve`", "`IsBig` took its Default, `Small`: `$.total >
//! 1000` is false (250 is not greater than 1000)". Built on the inspector's visit (the Choice's
//! input after InputPath, the rule taken) and the Choice trace of src/asl/choice (the values each
//! comparison saw), re-evaluated here over the recorded input.

use crate::asl::choice::{CompareTrace, Op, Outcome, Rule, Trace, TraceNode};
use crate::asl::template::{self, Scope};
use crate::playground::inspect::{self, RuleOutcome};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One Choice visit, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceWhy {
    pub state: String,
    /// The Choice's Entered event.
    pub entered_event: i64,
    /// The state it went to (None: no rule matched and there is no Default).
    pub next: Option<String>,
    /// It went to its Default.
    pub default: bool,
    /// The value the deciding rule looked at, when it was one comparison (`250`).
    pub value: Option<Value>,
    /// Why, as a clause without the state's name: "compared $.total with 100: 250 is greater
    /// than 100, so it went to `Approve`".
    pub because: String,
}

impl ChoiceWhy {
    /// The whole sentence, naming the state.
    pub fn sentence(&self) -> String {
        format!("`{}` {}", self.state, self.because)
    }
}

/// Explains the Choice visit that starts at the Entered event `entered`.
pub fn choice_why(definition: &str, events: &[Value], entered: i64) -> Option<ChoiceWhy> {
    let def: Value = crate::asl::definition_json::parse(definition).ok()?;
    let e = events.iter().find(|e| e["id"].as_i64() == Some(entered))?;
    why_at(&def, definition, events, e, &variables_before(events, entered))
}

/// As [`choice_why`], given the parsed definition, the Entered event and the variables assigned
/// before it (the teller keeps them as it goes).
pub(super) fn why_at(def: &Value, definition: &str, events: &[Value], e: &Value, variables: &HashMap<String, Value>) -> Option<ChoiceWhy> {
    let entered = e["id"].as_i64()?;
    let name = e["stateEnteredEventDetails"]["name"].as_str()?;
    let raw = super::raw_state(def, name)?;
    if raw.get("Type").and_then(Value::as_str) != Some("Choice") {
        return None;
    }
    let rules = raw.get("Choices").and_then(Value::as_array)?;
    if rules.iter().any(|r| r.get("Condition").is_some()) {
        // JSONata: the inspector evaluates the conditions.
        return from_inspector(definition, events, entered);
    }
    // JSONPath: the rules evaluated here, over the recorded input after InputPath (linear in
    // the history, so a Map of a thousand Choices is told quickly).
    let input = e["stateEnteredEventDetails"]["input"].as_str().and_then(|t| serde_json::from_str::<Value>(t).ok())?;
    let data = match raw.get("InputPath") {
        None => input,
        Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::String(p)) => {
            let path = template::parse_cached(p).ok()?;
            template::select(&path, &mut Data { data: &input, variables }).ok()?
        }
        Some(_) => return None,
    };
    let mut traces: Vec<(String, Trace)> = Vec::new();
    for r in rules {
        let next = r.get("Next").and_then(Value::as_str).unwrap_or("").to_string();
        let rule = Rule::parse(r, true).ok()?;
        match rule.eval_traced(&mut Data { data: &data, variables }) {
            Ok((_, t)) => {
                let matched = t.result;
                traces.push((next, t));
                if matched {
                    break;
                }
            }
            Err(cause) => {
                let because = format!("could not evaluate rule {}: {cause} (States.Runtime)", traces.len() + 1);
                return Some(ChoiceWhy { state: name.into(), entered_event: entered, next: None, default: false, value: None, because });
            }
        }
    }
    let value_of = |t: &Trace| match &t.node {
        TraceNode::Compare(c) => c.value.clone(),
        _ => None,
    };
    let state = name.to_string();
    if let Some((next, t)) = traces.last().filter(|(_, t)| t.result) {
        let because = match &t.node {
            TraceNode::Compare(c) if matches!(c.outcome, Outcome::Compared) => {
                format!("compared {} with {}: {}, so it went to `{next}`", c.variable, operand_text(c), compare_words(c, true))
            }
            _ => format!("went to `{next}` because {}", trace_words(t)),
        };
        return Some(ChoiceWhy { state, entered_event: entered, next: Some(next.clone()), default: false, value: value_of(t), because });
    }
    let list = traces.iter().map(|(_, t)| trace_words(t)).collect::<Vec<_>>().join("; ");
    let none = if traces.len() == 1 { "its rule does not hold".to_string() } else { format!("none of its {} rules holds", traces.len()) };
    let value = traces.first().and_then(|(_, t)| value_of(t));
    Some(match raw.get("Default").and_then(Value::as_str) {
        Some(d) => ChoiceWhy { state, entered_event: entered, next: Some(d.into()), default: true, value, because: format!("took its Default, `{d}`, because {none}: {list}") },
        None => ChoiceWhy { state, entered_event: entered, next: None, default: false, value, because: format!("matched no rule and has no Default, so it failed with States.NoChoiceMatched: {list}") },
    })
}

/// A JSONata Choice, explained by the inspector (which evaluates its conditions):
/// "went to `Big` because {% $states.input.total > 100 %} is true".
fn from_inspector(definition: &str, events: &[Value], entered: i64) -> Option<ChoiceWhy> {
    let visit = inspect::explain(definition, events, entered).ok()?;
    let taken = visit.choice.iter().find(|r| r.matched == Some(true));
    let (next, default, because) = match taken {
        Some(r) => (Some(r.next.clone()), false, format!("went to `{}` because {}", r.next, r.explanation)),
        None => {
            let list = visit.choice.iter().filter(|r| r.matched.is_some()).map(|r: &RuleOutcome| r.explanation.clone()).collect::<Vec<_>>().join("; ");
            match visit.next.as_deref().and_then(|n| n.strip_prefix("Default: ")) {
                Some(d) => (Some(d.to_string()), true, format!("took its Default, `{d}`, because no condition holds: {list}")),
                None => (None, false, format!("matched no rule and has no Default, so it failed with States.NoChoiceMatched: {list}")),
            }
        }
    };
    Some(ChoiceWhy { state: visit.state, entered_event: entered, next, default, value: None, because })
}

/// A rule's evaluation in words: "`$.total > 1000` is false (250 is not greater than 1000)",
/// "`$.a > 1 and $.b == true` is false (`$.b == true` is false (…))".
pub fn trace_words(t: &Trace) -> String {
    let why = match &t.node {
        TraceNode::Compare(c) => compare_words(c, t.result),
        TraceNode::Not(inner) => format!("the rule inside is {}", inner.result),
        TraceNode::And { children, skipped } | TraceNode::Or { children, skipped } => {
            let is_and = matches!(t.node, TraceNode::And { .. });
            let n = children.len() + skipped;
            match (is_and, t.result) {
                (true, true) => format!("all {n} sub-rules hold"),
                (false, false) => format!("none of the {n} sub-rules holds"),
                // The sub-rule that decided it is the last one evaluated.
                _ => children.last().map(trace_words).unwrap_or_default(),
            }
        }
    };
    format!("`{}` is {} ({why})", t.label, t.result)
}

/// One comparison in words, with the value it saw.
pub fn compare_words(c: &CompareTrace, result: bool) -> String {
    let value = c.value.as_ref().map(show);
    let operand = show(&c.operand);
    match &c.outcome {
        Outcome::TypeTest { is, .. } => {
            let word = match c.op {
                Op::IsNull => "null",
                Op::IsPresent => "present",
                Op::IsNumeric => "a number",
                Op::IsString => "a string",
                Op::IsBoolean => "a boolean",
                _ => "a timestamp",
            };
            let fact = if c.op == Op::IsPresent && !is {
                format!("{} is missing", c.variable)
            } else {
                format!("{} is {}{word}", c.variable, if *is { "" } else { "not " })
            };
            fact
        }
        Outcome::VariableType { expected } => format!(
            "{} is {}, not {}, so the comparison is false",
            c.variable,
            value.unwrap_or_else(|| "missing".into()),
            article(expected)
        ),
        Outcome::OperandType { expected } => format!("{} is {operand}, not {}, so the comparison is false", operand_text(c), article(expected)),
        Outcome::Compared => {
            let v = value.unwrap_or_default();
            let rel = relation(c.op, result);
            format!("{v} {rel} {operand}")
        }
    }
}

fn article(t: &str) -> String {
    match t {
        "string" => "a string".into(),
        "number" | "numeric" => "a number".into(),
        "boolean" => "a boolean".into(),
        "timestamp" => "a timestamp".into(),
        other => format!("a {other}"),
    }
}

/// The operand as the rule writes it: the literal, or `$.limit (100)` for a Path twin.
fn operand_text(c: &CompareTrace) -> String {
    match &c.operand_path {
        Some(p) => format!("{p} ({})", show(&c.operand)),
        None => show(&c.operand),
    }
}

/// "is greater than" / "is not greater than", by operator.
fn relation(op: Op, holds: bool) -> &'static str {
    let name = op.name();
    let time = name.starts_with("Timestamp");
    let base = name.trim_start_matches("String").trim_start_matches("Numeric").trim_start_matches("Boolean").trim_start_matches("Timestamp");
    match (base, holds, time) {
        ("Equals", true, _) => "equals",
        ("Equals", false, _) => "does not equal",
        ("GreaterThan", true, false) => "is greater than",
        ("GreaterThan", false, false) => "is not greater than",
        ("GreaterThan", true, true) => "is after",
        ("GreaterThan", false, true) => "is not after",
        ("LessThan", true, false) => "is less than",
        ("LessThan", false, false) => "is not less than",
        ("LessThan", true, true) => "is before",
        ("LessThan", false, true) => "is not before",
        ("GreaterThanEquals", true, _) => "is at least",
        ("GreaterThanEquals", false, _) => "is less than",
        ("LessThanEquals", true, _) => "is at most",
        ("LessThanEquals", false, _) => "is more than",
        ("Matches", true, _) => "matches",
        (_, _, _) => "does not match",
    }
}

fn show(v: &Value) -> String {
    crate::testing::checks::show(v)
}

/// Variables assigned before the event `before` (latest wins), as the inspector reads them.
pub(crate) fn variables_before(events: &[Value], before: i64) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for e in events {
        if e["id"].as_i64().unwrap_or(0) >= before {
            continue;
        }
        if let Some(m) = e["stateExitedEventDetails"]["assignedVariables"].as_object() {
            for (k, v) in m {
                let v = v.as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_else(|| v.clone());
                out.insert(k.clone(), v);
            }
        }
    }
    out
}

/// The Choice's input and the variables, for its rules' paths (`$$` reads an empty context).
struct Data<'a> {
    data: &'a Value,
    variables: &'a HashMap<String, Value>,
}

impl Scope for Data<'_> {
    fn data(&self) -> &Value {
        self.data
    }
    fn context(&mut self) -> Value {
        Value::Object(Map::new())
    }
    fn variable(&self, name: &str) -> Option<Value> {
        self.variables.get(name).cloned()
    }
    fn random_u64(&mut self) -> u64 {
        0
    }
}

impl crate::asl::choice::Env for Data<'_> {
    fn resolve(&mut self, path: &str) -> Result<Option<Value>, String> {
        let p = template::parse_cached(path)?;
        Ok(template::select(&p, self).ok())
    }
}
