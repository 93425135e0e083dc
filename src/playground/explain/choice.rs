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
    let visit = inspect::explain(definition, events, entered).ok()?;
    if visit.kind != "Choice" {
        return None;
    }
    let def: Value = serde_json::from_str(definition).ok()?;
    let raw = super::raw_state(&def, &visit.state)?;
    let data = visit.steps.first().and_then(|s| s.value.clone().ok()).or(visit.input.clone())?;
    let variables = variables_before(events, entered);
    let taken = visit.choice.iter().find(|r| r.matched == Some(true));
    let rules = raw.get("Choices").and_then(Value::as_array).cloned().unwrap_or_default();
    let jsonata = visit.query_language == "JSONata";
    let trace_of = |i: usize| -> Option<Trace> {
        let rule = Rule::parse(rules.get(i)?, true).ok()?;
        let mut scope = Data { data: &data, variables: &variables };
        rule.eval_traced(&mut scope).ok().map(|(_, t)| t)
    };
    let words = |r: &RuleOutcome| -> (String, Option<Value>) {
        if jsonata {
            return (r.explanation.clone(), None);
        }
        match trace_of(r.index) {
            Some(t) => {
                let value = match &t.node {
                    TraceNode::Compare(c) => c.value.clone(),
                    _ => None,
                };
                (trace_words(&t), value)
            }
            None => (r.explanation.lines().next().unwrap_or("").to_string(), None),
        }
    };
    let (next, default, value, because) = match taken {
        Some(r) => {
            let (why, value) = words(r);
            let because = match (trace_of(r.index), jsonata) {
                (Some(Trace { node: TraceNode::Compare(c), result, .. }), false) if matches!(c.outcome, Outcome::Compared) => {
                    format!("compared {} with {}: {}, so it went to `{}`", c.variable, operand_text(&c), compare_words(&c, result), r.next)
                }
                _ => format!("went to `{}` because {}", r.next, why),
            };
            (Some(r.next.clone()), false, value, because)
        }
        None => {
            let reasons: Vec<(String, Option<Value>)> = visit.choice.iter().map(words).collect();
            let value = reasons.first().and_then(|(_, v)| v.clone());
            let list = reasons.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>().join("; ");
            let none = if visit.choice.len() == 1 { "its rule does not hold".to_string() } else { format!("none of its {} rules holds", visit.choice.len()) };
            match visit.next.as_deref().and_then(|n| n.strip_prefix("Default: ")) {
                Some(d) => (Some(d.to_string()), true, value, format!("took its Default, `{d}`, because {none}: {list}")),
                None => (None, false, value, format!("matched no rule and has no Default, so it failed with States.NoChoiceMatched: {list}")),
            }
        }
    };
    Some(ChoiceWhy { state: visit.state, entered_event: entered, next, default, value, because })
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
