//! What an evaluation found, for the page's inspector ([`Trace`], [`CompareTrace`], their
//! one-line reasons and rendering), and the short labels of rules on diagram edges.

use super::rules::{Comparison, Family, Op, Operand, Rule};
use serde_json::Value;
use std::fmt;

/// Why a comparison came out as it did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Both sides had the operator's type and were compared; the result says how.
    Compared,
    /// The variable's value is not of the operator's type: false, never an error.
    VariableType { expected: &'static str },
    /// The `...Path` operand's value is not of the operator's type: false.
    OperandType { expected: &'static str },
    /// A type test: whether the value has the type, and the boolean the rule asked for.
    TypeTest { is: bool, wanted: bool },
}

/// One comparison, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareTrace {
    pub variable: String,
    /// What `Variable` resolved to; None when it matched nothing (only `IsPresent` gets that far).
    pub value: Option<Value>,
    pub op: Op,
    /// The operand: the literal, or what the `...Path` operand resolved to.
    pub operand: Value,
    /// The `...Path` operand's path, when the operator is a Path twin.
    pub operand_path: Option<String>,
    pub outcome: Outcome,
}

/// The evaluation tree: what each rule and sub-rule gave, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The rule's short form ([`Rule::short_label`]).
    pub label: String,
    pub result: bool,
    pub node: TraceNode,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraceNode {
    /// The sub-rules that were evaluated, in order; evaluation stops at the first false one.
    /// `skipped` counts those after it, never evaluated.
    And {
        children: Vec<Trace>,
        skipped: usize,
    },
    /// As `And`, stopping at the first true sub-rule.
    Or {
        children: Vec<Trace>,
        skipped: usize,
    },
    Not(Box<Trace>),
    Compare(CompareTrace),
}

/// Literal strings longer than this are shortened in labels.
const LABEL_LITERAL_MAX: usize = 32;
/// Values longer than this are shortened in explanations.
const EXPLAIN_VALUE_MAX: usize = 80;

fn clip(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Compact JSON, shortened.
fn show(v: &Value, max: usize) -> String {
    clip(v.to_string(), max)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Rule {
    /// A short one-line form for diagram edge labels, e.g. `$.n > 10`, `$.s == "a"`,
    /// `not($.x is null)`, `$.a > 1 and ($.b is present or $.c == true)`.
    pub fn short_label(&self) -> String {
        fn part(r: &Rule) -> String {
            match r {
                Rule::And(rs) | Rule::Or(rs) if rs.len() > 1 => format!("({})", r.short_label()),
                _ => r.short_label(),
            }
        }
        match self {
            Rule::And(rs) => rs.iter().map(part).collect::<Vec<_>>().join(" and "),
            Rule::Or(rs) => rs.iter().map(part).collect::<Vec<_>>().join(" or "),
            Rule::Not(r) => format!("not({})", r.short_label()),
            Rule::Compare(c) => c.label(),
        }
    }
}

impl Comparison {
    fn label(&self) -> String {
        match (&self.operand, self.op.is_type_test()) {
            (Operand::Literal(Value::Bool(b)), true) => {
                format!(
                    "{} is {}{}",
                    self.variable,
                    if *b { "" } else { "not " },
                    self.op.type_word()
                )
            }
            (Operand::Literal(v), _) => format!(
                "{} {} {}",
                self.variable,
                self.op.symbol(),
                show(v, LABEL_LITERAL_MAX)
            ),
            (Operand::Path(p), _) => format!("{} {} {}", self.variable, self.op.symbol(), p),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short_label())
    }
}

impl CompareTrace {
    /// One sentence: what was found and why the comparison gave its result.
    pub fn reason(&self, result: bool) -> String {
        let var = &self.variable;
        let found = match &self.value {
            None => format!("{var} matched nothing"),
            Some(v) => format!("{var} = {}", show(v, EXPLAIN_VALUE_MAX)),
        };
        let operand = match &self.operand_path {
            Some(p) => format!("{p} (= {})", show(&self.operand, EXPLAIN_VALUE_MAX)),
            None => show(&self.operand, EXPLAIN_VALUE_MAX),
        };
        match &self.outcome {
            Outcome::TypeTest { is, wanted } => {
                let word = self.op.type_word();
                let fact = if *is {
                    format!("it is {word}")
                } else {
                    format!("it is not {word}")
                };
                if result {
                    format!("{found}: {fact}")
                } else {
                    format!(
                        "{found}: {fact}, but {}: {wanted} asks for the opposite",
                        self.op.name()
                    )
                }
            }
            Outcome::VariableType { expected } => {
                let what = match &self.value {
                    Some(Value::String(_)) if *expected == "timestamp" => {
                        "a string that is not an RFC 3339 timestamp"
                    }
                    Some(v) => type_name(v),
                    None => "missing",
                };
                format!("{found}: {what}, not a {expected}; a type mismatch is false")
            }
            Outcome::OperandType { expected } => {
                let what = match &self.operand {
                    Value::String(_) if *expected == "timestamp" => {
                        "a string that is not an RFC 3339 timestamp"
                    }
                    v => type_name(v),
                };
                format!("{found}; the operand {operand} is {what}, not a {expected}; a type mismatch is false")
            }
            Outcome::Compared => {
                let left = self
                    .value
                    .as_ref()
                    .map(|v| show(v, EXPLAIN_VALUE_MAX))
                    .unwrap_or_default();
                let how = match self.op.family() {
                    Family::Timestamp => " (as instants)",
                    Family::String if self.op != Op::StringMatches => " (ordinal)",
                    _ => "",
                };
                let verdict = if result { "holds" } else { "is false" };
                format!(
                    "{found}: {left} {} {operand} {verdict}{how}",
                    self.op.symbol()
                )
            }
        }
    }
}

impl Trace {
    /// One line for this node: the result and why.
    pub fn reason(&self) -> String {
        match &self.node {
            TraceNode::Compare(c) => c.reason(self.result),
            TraceNode::And { children, skipped } => {
                let n = children.len() + skipped;
                if self.result {
                    format!("all {n} sub-rules are true")
                } else {
                    format!(
                        "sub-rule {} of {n} is false{}",
                        children.len(),
                        skipped_note(*skipped)
                    )
                }
            }
            TraceNode::Or { children, skipped } => {
                let n = children.len() + skipped;
                if self.result {
                    format!(
                        "sub-rule {} of {n} is true{}",
                        children.len(),
                        skipped_note(*skipped)
                    )
                } else {
                    format!("none of the {n} sub-rules is true")
                }
            }
            TraceNode::Not(inner) => format!("the negated rule is {}", inner.result),
        }
    }

    /// The whole tree, one node a line, indented by depth:
    /// `[false] $.n > 10 and $.s == "a" — sub-rule 1 of 2 is false; 1 not evaluated`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0);
        out
    }

    fn render_into(&self, out: &mut String, depth: usize) {
        if !out.is_empty() {
            out.push('\n');
        }
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(&format!(
            "[{}] {} — {}",
            self.result,
            self.label,
            self.reason()
        ));
        match &self.node {
            TraceNode::And { children, .. } | TraceNode::Or { children, .. } => {
                children.iter().for_each(|c| c.render_into(out, depth + 1))
            }
            TraceNode::Not(inner) => inner.render_into(out, depth + 1),
            TraceNode::Compare(_) => {}
        }
    }
}

fn skipped_note(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!("; {skipped} not evaluated")
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{rule, Doc};
    use super::*;
    use serde_json::json;

    #[test]
    fn short_labels() {
        let cases = [
            (
                json!({"Variable": "$.n", "NumericGreaterThan": 10, "Next": "N"}),
                "$.n > 10",
            ),
            (
                json!({"Variable": "$.s", "StringEquals": "a", "Next": "N"}),
                "$.s == \"a\"",
            ),
            (
                json!({"Variable": "$.s", "StringMatches": "log-*", "Next": "N"}),
                "$.s matches \"log-*\"",
            ),
            (
                json!({"Variable": "$.b", "BooleanEquals": true, "Next": "N"}),
                "$.b == true",
            ),
            (
                json!({"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00Z", "Next": "N"}),
                "$.t < \"2016-03-14T01:59:00Z\"",
            ),
            (
                json!({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b", "Next": "N"}),
                "$.a <= $.b",
            ),
            (
                json!({"Not": {"Variable": "$.x", "IsNull": true}, "Next": "N"}),
                "not($.x is null)",
            ),
            (
                json!({"Variable": "$.x", "IsPresent": false, "Next": "N"}),
                "$.x is not present",
            ),
            (
                json!({"Variable": "$$.Execution.Input.k", "IsString": true, "Next": "N"}),
                "$$.Execution.Input.k is string",
            ),
            (
                json!({"Variable": "$v", "IsTimestamp": true, "Next": "N"}),
                "$v is timestamp",
            ),
            (
                json!({"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Or": [{"Variable": "$.b", "IsPresent": true}, {"Variable": "$.c", "BooleanEquals": true}]}], "Next": "N"}),
                "$.a > 1 and ($.b is present or $.c == true)",
            ),
            (
                json!({"And": [{"Variable": "$.a", "NumericGreaterThan": 1}], "Next": "N"}),
                "$.a > 1",
            ),
            (
                json!({"Variable": "$.s", "StringEquals": "a very long literal string that goes on and on", "Next": "N"}),
                "$.s == \"a very long literal string tha…",
            ),
        ];
        for (v, want) in cases {
            assert_eq!(rule(v).short_label(), want);
        }
    }

    #[test]
    fn traces_explain_each_comparison() {
        let r = rule(
            json!({"And": [{"Variable": "$.n", "NumericGreaterThan": 10}, {"Variable": "$.s", "StringEquals": "a"}], "Next": "N"}),
        );
        let (b, t) = r
            .eval_traced(&mut Doc::new(json!({"n": 3, "s": "a"})))
            .unwrap();
        assert!(!b);
        let TraceNode::And { children, skipped } = &t.node else {
            panic!("{t:?}")
        };
        assert_eq!((children.len(), *skipped), (1, 1));
        assert_eq!(t.reason(), "sub-rule 1 of 2 is false; 1 not evaluated");
        assert_eq!(children[0].reason(), "$.n = 3: 3 > 10 is false");
        assert_eq!(t.render(), "[false] $.n > 10 and $.s == \"a\" — sub-rule 1 of 2 is false; 1 not evaluated\n  [false] $.n > 10 — $.n = 3: 3 > 10 is false");

        let why = |rule_json: Value, input: Value| {
            let (b, t) = rule(rule_json).eval_traced(&mut Doc::new(input)).unwrap();
            (b, t.reason())
        };
        assert_eq!(
            why(
                json!({"Variable": "$.x", "StringEquals": "1", "Next": "N"}),
                json!({"x": 1})
            ),
            (
                false,
                "$.x = 1: a number, not a string; a type mismatch is false".into()
            )
        );
        assert_eq!(
            why(json!({"Variable": "$.x", "TimestampEquals": "2016-03-14T01:59:00Z", "Next": "N"}), json!({"x": "2016-03-14"})),
            (false, "$.x = \"2016-03-14\": a string that is not an RFC 3339 timestamp, not a timestamp; a type mismatch is false".into())
        );
        assert_eq!(
            why(
                json!({"Variable": "$.x", "IsPresent": true, "Next": "N"}),
                json!({})
            ),
            (
                false,
                "$.x matched nothing: it is not present, but IsPresent: true asks for the opposite"
                    .into()
            )
        );
        assert_eq!(
            why(
                json!({"Variable": "$.x", "IsNull": true, "Next": "N"}),
                json!({"x": null})
            ),
            (true, "$.x = null: it is null".into())
        );
        assert_eq!(
            why(
                json!({"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "N"}),
                json!({"a": 1, "b": 2})
            ),
            (true, "$.a = 1: 1 < $.b (= 2) holds".into())
        );
        assert_eq!(
            why(json!({"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "N"}), json!({"a": 1, "b": "2"})),
            (false, "$.a = 1; the operand $.b (= \"2\") is a string, not a number; a type mismatch is false".into())
        );
        assert_eq!(
            why(
                json!({"Variable": "$.s", "StringLessThan": "B", "Next": "N"}),
                json!({"s": "A"})
            ),
            (true, "$.s = \"A\": \"A\" < \"B\" holds (ordinal)".into())
        );
        assert_eq!(
            why(
                json!({"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.a", "IsString": true}], "Next": "N"}),
                json!({"a": 1})
            ),
            (false, "none of the 2 sub-rules is true".into())
        );
        let (b, t) = rule(json!({"Not": {"Variable": "$.a", "IsNull": true}, "Next": "N"}))
            .eval_traced(&mut Doc::new(json!({"a": 1})))
            .unwrap();
        assert!(b);
        assert_eq!(
            t.to_string(),
            "[true] not($.a is null) — the negated rule is false\n  [false] $.a is null — $.a = 1: it is not null, but IsNull: true asks for the opposite"
        );
        // The trace keeps the values for the inspector.
        let TraceNode::Not(inner) = &t.node else {
            panic!()
        };
        let TraceNode::Compare(c) = &inner.node else {
            panic!()
        };
        assert_eq!(
            (c.value.clone(), c.op, c.operand.clone()),
            (Some(json!(1)), Op::IsNull, json!(true))
        );
    }
}
