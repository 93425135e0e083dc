//! Choice rules: a typed model parsed from the definition, evaluation with AWS's semantics (a type
//! mismatch is false, never an error), a trace of why for the inspector, and short edge labels.

use super::timestamp;
use serde_json::Value;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Compare(Comparison),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub variable: String,
    pub op: Op,
    pub operand: Operand,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Value),
    /// The `...Path` operators: the operand is read from this path.
    Path(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

const OPS: [(&str, Op); 23] = [
    ("StringEquals", Op::StringEquals),
    ("StringLessThan", Op::StringLessThan),
    ("StringGreaterThan", Op::StringGreaterThan),
    ("StringLessThanEquals", Op::StringLessThanEquals),
    ("StringGreaterThanEquals", Op::StringGreaterThanEquals),
    ("StringMatches", Op::StringMatches),
    ("NumericEquals", Op::NumericEquals),
    ("NumericLessThan", Op::NumericLessThan),
    ("NumericGreaterThan", Op::NumericGreaterThan),
    ("NumericLessThanEquals", Op::NumericLessThanEquals),
    ("NumericGreaterThanEquals", Op::NumericGreaterThanEquals),
    ("BooleanEquals", Op::BooleanEquals),
    ("TimestampEquals", Op::TimestampEquals),
    ("TimestampLessThan", Op::TimestampLessThan),
    ("TimestampGreaterThan", Op::TimestampGreaterThan),
    ("TimestampLessThanEquals", Op::TimestampLessThanEquals),
    ("TimestampGreaterThanEquals", Op::TimestampGreaterThanEquals),
    ("IsNull", Op::IsNull),
    ("IsPresent", Op::IsPresent),
    ("IsNumeric", Op::IsNumeric),
    ("IsString", Op::IsString),
    ("IsBoolean", Op::IsBoolean),
    ("IsTimestamp", Op::IsTimestamp),
];

impl Op {
    pub fn name(self) -> &'static str {
        OPS.iter()
            .find(|(_, o)| *o == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
    fn is_type_test(self) -> bool {
        matches!(
            self,
            Op::IsNull
                | Op::IsPresent
                | Op::IsNumeric
                | Op::IsString
                | Op::IsBoolean
                | Op::IsTimestamp
        )
    }
    fn symbol(self) -> &'static str {
        use Op::*;
        match self {
            StringEquals | NumericEquals | BooleanEquals | TimestampEquals => "==",
            StringLessThan | NumericLessThan | TimestampLessThan => "<",
            StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ">",
            StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => "<=",
            StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => ">=",
            StringMatches => "matches",
            _ => "is",
        }
    }
}

/// A top-level choice: a rule and where it leads.
#[derive(Debug, Clone)]
pub struct Choice {
    pub rule: Rule,
    pub next: String,
    pub assign: Option<Value>,
    pub comment: Option<String>,
}

/// Resolves a path text (`$.x`, `$$.x`, `$var.x`) against the state's input, context and variables.
pub trait Env {
    /// Ok(Some(v)) found, Ok(None) the path matched nothing, Err(cause) the path itself is bad.
    fn resolve(&mut self, path: &str) -> Result<Option<Value>, String>;
}

/// Why a rule came out as it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub label: String,
    pub result: bool,
    /// For a comparison: the value found (None = missing) and, when false, the reason.
    pub value: Option<Value>,
    pub reason: Option<String>,
    pub children: Vec<Trace>,
}

impl Rule {
    /// Parses one rule. Errors are (message, location suffix relative to the rule).
    pub fn parse(v: &Value, top_level: bool) -> Result<Rule, (String, String)> {
        let m = v
            .as_object()
            .ok_or_else(|| ("A Choice rule must be an object".to_string(), String::new()))?;
        if !top_level && m.contains_key("Next") {
            return Err(("Field 'Next' is not supported".into(), String::new()));
        }
        for combinator in ["And", "Or"] {
            if let Some(list) = m.get(combinator) {
                let arr = list.as_array().ok_or_else(|| {
                    (
                        format!("The field '{combinator}' must be an array"),
                        format!("/{combinator}"),
                    )
                })?;
                if arr.is_empty() {
                    return Err(("Value cannot be empty".into(), format!("/{combinator}")));
                }
                let mut rules = Vec::with_capacity(arr.len());
                for (i, r) in arr.iter().enumerate() {
                    rules.push(
                        Rule::parse(r, false)
                            .map_err(|(msg, loc)| (msg, format!("/{combinator}[{i}]{loc}")))?,
                    );
                }
                return Ok(if combinator == "And" {
                    Rule::And(rules)
                } else {
                    Rule::Or(rules)
                });
            }
        }
        if let Some(inner) = m.get("Not") {
            let r = Rule::parse(inner, false).map_err(|(msg, loc)| (msg, format!("/Not{loc}")))?;
            return Ok(Rule::Not(Box::new(r)));
        }
        let variable = match m.get("Variable") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err((
                    "The field 'Variable' must be a string".into(),
                    "/Variable".into(),
                ))
            }
            None => {
                return Err((
                    "These fields are required: [Variable]".into(),
                    String::new(),
                ))
            }
        };
        let mut found: Option<Comparison> = None;
        for (key, val) in m {
            let (name, is_path) = match key.strip_suffix("Path") {
                Some(base) if OPS.iter().any(|(n, _)| *n == base) && base != "StringMatches" => {
                    (base, true)
                }
                _ => (key.as_str(), false),
            };
            let Some((_, op)) = OPS.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            if found.is_some() {
                return Err((
                    "A Choice rule must have exactly one comparison operator".into(),
                    String::new(),
                ));
            }
            let operand = if is_path {
                match val.as_str() {
                    Some(p) => Operand::Path(p.to_string()),
                    None => {
                        return Err((
                            format!("The field '{key}' must be a path"),
                            format!("/{key}"),
                        ))
                    }
                }
            } else {
                check_literal(*op, val).map_err(|msg| (msg, format!("/{key}")))?;
                Operand::Literal(val.clone())
            };
            found = Some(Comparison {
                variable: variable.clone(),
                op: *op,
                operand,
            });
        }
        found.map(Rule::Compare).ok_or_else(|| {
            (
                "A Choice rule must have a comparison operator".to_string(),
                String::new(),
            )
        })
    }

    pub fn eval(&self, env: &mut dyn Env) -> Result<bool, String> {
        Ok(self.eval_traced(env)?.0)
    }

    pub fn eval_traced(&self, env: &mut dyn Env) -> Result<(bool, Trace), String> {
        match self {
            Rule::And(rules) | Rule::Or(rules) => {
                let is_and = matches!(self, Rule::And(_));
                let mut children = Vec::new();
                let mut result = is_and;
                for r in rules {
                    let (b, t) = r.eval_traced(env)?;
                    children.push(t);
                    if b != is_and {
                        result = !is_and;
                        break; // AWS short-circuits too
                    }
                }
                Ok((
                    result,
                    Trace {
                        label: self.short_label(),
                        result,
                        value: None,
                        reason: None,
                        children,
                    },
                ))
            }
            Rule::Not(inner) => {
                let (b, t) = inner.eval_traced(env)?;
                Ok((
                    !b,
                    Trace {
                        label: self.short_label(),
                        result: !b,
                        value: None,
                        reason: None,
                        children: vec![t],
                    },
                ))
            }
            Rule::Compare(c) => {
                let value = env.resolve(&c.variable)?;
                let operand = match &c.operand {
                    Operand::Literal(v) => Some(v.clone()),
                    Operand::Path(p) => env.resolve(p)?,
                };
                let (result, reason) = compare(c.op, value.as_ref(), operand.as_ref());
                Ok((
                    result,
                    Trace {
                        label: self.short_label(),
                        result,
                        value,
                        reason,
                        children: Vec::new(),
                    },
                ))
            }
        }
    }

    /// A one-line form for diagram edge labels.
    pub fn short_label(&self) -> String {
        match self {
            Rule::And(rs) => rs.iter().map(|r| wrap(r)).collect::<Vec<_>>().join(" and "),
            Rule::Or(rs) => rs.iter().map(|r| wrap(r)).collect::<Vec<_>>().join(" or "),
            Rule::Not(r) => format!("not({})", r.short_label()),
            Rule::Compare(c) => {
                let operand = match &c.operand {
                    Operand::Literal(v) => v.to_string(),
                    Operand::Path(p) => p.clone(),
                };
                if c.op.is_type_test() {
                    let what = &c.op.name()[2..];
                    let neg = c.operand == Operand::Literal(Value::Bool(false));
                    format!(
                        "{} is {}{}",
                        c.variable,
                        if neg { "not " } else { "" },
                        what.to_ascii_lowercase()
                    )
                } else {
                    format!("{} {} {}", c.variable, c.op.symbol(), operand)
                }
            }
        }
    }
}

fn wrap(r: &Rule) -> String {
    match r {
        Rule::And(_) | Rule::Or(_) => format!("({})", r.short_label()),
        _ => r.short_label(),
    }
}

/// The literal operand's type is checked when the definition is created.
fn check_literal(op: Op, v: &Value) -> Result<(), String> {
    use Op::*;
    let ok = match op {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals
        | StringMatches => v.is_string(),
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => v.is_number(),
        BooleanEquals => v.is_boolean(),
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => v.is_string(),
        _ => v.is_boolean(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "The value of the field '{}' has an invalid type",
            op.name()
        ))
    }
}

/// Java's String.compareTo: UTF-16 code units.
fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn ordering_ok(op: Op, ord: Ordering) -> bool {
    use Op::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => ord == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => ord == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ord == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            ord != Ordering::Greater
        }
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
            ord != Ordering::Less
        }
        _ => false,
    }
}

/// `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
pub fn string_matches(pattern: &str, text: &str) -> bool {
    enum Tok {
        Lit(char),
        Star,
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => toks.push(Tok::Lit(n)),
                None => toks.push(Tok::Lit('\\')),
            },
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Lit(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Iterative wildcard matching with backtracking to the last star.
    let (mut p, mut t) = (0usize, 0usize);
    let (mut star, mut mark) = (None, 0usize);
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Star) => {
                star = Some(p);
                mark = t;
                p += 1;
            }
            _ => match star {
                Some(s) => {
                    p = s + 1;
                    mark += 1;
                    t = mark;
                }
                None => return false,
            },
        }
    }
    while let Some(Tok::Star) = toks.get(p) {
        p += 1;
    }
    p == toks.len()
}

fn compare(op: Op, value: Option<&Value>, operand: Option<&Value>) -> (bool, Option<String>) {
    use Op::*;
    if op.is_type_test() {
        let want = operand.and_then(Value::as_bool).unwrap_or(true);
        let is = match op {
            IsPresent => value.is_some(),
            IsNull => value.is_some_and(Value::is_null),
            IsNumeric => value.is_some_and(Value::is_number),
            IsString => value.is_some_and(Value::is_string),
            IsBoolean => value.is_some_and(Value::is_boolean),
            IsTimestamp => value
                .and_then(Value::as_str)
                .and_then(timestamp::parse)
                .is_some(),
            _ => false,
        };
        let result = is == want;
        let reason = (!result).then(|| {
            format!(
                "{} is {}",
                describe(value),
                if is { "true" } else { "false" }
            )
        });
        return (result, reason);
    }
    let Some(v) = value else {
        return (false, Some("the variable's path matched nothing".into()));
    };
    let Some(o) = operand else {
        return (false, Some("the operand's path matched nothing".into()));
    };
    let mismatch = |what: &str| {
        (
            false,
            Some(format!("{} is not a {what}", describe(Some(v)))),
        )
    };
    match op {
        StringMatches => match (v, o) {
            (Value::String(s), Value::String(p)) => {
                let r = string_matches(p, s);
                (r, (!r).then(|| format!("{s:?} does not match {p:?}")))
            }
            _ => mismatch("string"),
        },
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (v, o) {
            (Value::String(a), Value::String(b)) => {
                let r = ordering_ok(op, java_cmp(a, b));
                (
                    r,
                    (!r).then(|| format!("{a:?} {} {b:?} is false", op.symbol())),
                )
            }
            _ => mismatch("string"),
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => match (v, o) {
            (Value::Number(a), Value::Number(b)) => {
                let ord = num_cmp(a, b);
                let r = ord.is_some_and(|ord| ordering_ok(op, ord));
                (r, (!r).then(|| format!("{a} {} {b} is false", op.symbol())))
            }
            _ => mismatch("number"),
        },
        BooleanEquals => match (v, o) {
            (Value::Bool(a), Value::Bool(b)) => {
                (a == b, (a != b).then(|| format!("{a} is not {b}")))
            }
            _ => mismatch("boolean"),
        },
        _ => {
            let a = v.as_str().and_then(timestamp::parse);
            let b = o.as_str().and_then(timestamp::parse);
            match (a, b) {
                (Some(a), Some(b)) => {
                    let r = ordering_ok(op, a.cmp(&b));
                    (
                        r,
                        (!r).then(|| format!("{} {} {} is false", v, op.symbol(), o)),
                    )
                }
                _ => mismatch("timestamp"),
            }
        }
    }
}

/// Compares JSON numbers by value: exactly for integers, as doubles otherwise.
fn num_cmp(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn describe(v: Option<&Value>) -> String {
    match v {
        None => "the missing value".into(),
        Some(v) => {
            let s = v.to_string();
            if s.len() > 60 {
                format!("{}…", s.chars().take(60).collect::<String>())
            } else {
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Data(Value);
    impl Env for Data {
        fn resolve(&mut self, path: &str) -> Result<Option<Value>, String> {
            let p = path.strip_prefix("$.").ok_or("bad path")?;
            Ok(self.0.get(p).cloned())
        }
    }

    fn check(rule: Value, data: Value) -> bool {
        Rule::parse(&rule, true)
            .unwrap()
            .eval(&mut Data(data))
            .unwrap()
    }

    #[test]
    fn type_mismatch_is_false_not_an_error() {
        assert!(!check(
            json!({"Variable": "$.x", "StringEquals": "1", "Next": "N"}),
            json!({"x": 1})
        ));
        assert!(!check(
            json!({"Variable": "$.x", "NumericEquals": 1, "Next": "N"}),
            json!({"x": "1"})
        ));
        assert!(!check(
            json!({"Variable": "$.x", "BooleanEquals": true, "Next": "N"}),
            json!({"x": 1})
        ));
        assert!(check(
            json!({"Variable": "$.x", "NumericEquals": 1, "Next": "N"}),
            json!({"x": 1.0})
        ));
    }

    #[test]
    fn is_operators_take_a_boolean() {
        assert!(check(
            json!({"Variable": "$.x", "IsPresent": true, "Next": "N"}),
            json!({"x": null})
        ));
        assert!(check(
            json!({"Variable": "$.y", "IsPresent": false, "Next": "N"}),
            json!({"x": null})
        ));
        assert!(check(
            json!({"Variable": "$.x", "IsNumeric": false, "Next": "N"}),
            json!({"x": "1"})
        ));
    }

    #[test]
    fn string_matches_wildcards_and_escapes() {
        assert!(string_matches("log-*.txt", "log-2024.txt"));
        assert!(string_matches("*", ""));
        assert!(string_matches("a\\*b", "a*b"));
        assert!(!string_matches("a\\*b", "axb"));
        assert!(string_matches("a?b", "a?b"));
        assert!(!string_matches("a?b", "acb"));
        assert!(string_matches("\\\\*", "\\anything"));
    }

    #[test]
    fn path_operators_read_the_operand() {
        assert!(check(
            json!({"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "N"}),
            json!({"a": 1, "b": 2})
        ));
        assert!(!check(
            json!({"Variable": "$.a", "NumericLessThanPath": "$.c", "Next": "N"}),
            json!({"a": 1, "b": 2})
        ));
    }

    #[test]
    fn combinators_and_labels() {
        let r = json!({"And": [{"Variable": "$.n", "NumericGreaterThan": 10}, {"Not": {"Variable": "$.s", "IsNull": true}}], "Next": "N"});
        assert!(check(r.clone(), json!({"n": 11, "s": "x"})));
        assert_eq!(
            Rule::parse(&r, true).unwrap().short_label(),
            "$.n > 10 and not($.s is null)"
        );
        let nested = json!({"Not": {"Variable": "$.s", "IsNull": true, "Next": "X"}, "Next": "N"});
        assert_eq!(
            Rule::parse(&nested, true).unwrap_err().0,
            "Field 'Next' is not supported"
        );
    }

    #[test]
    fn strings_compare_as_java_does() {
        assert!(check(
            json!({"Variable": "$.s", "StringLessThan": "AB", "Next": "N"}),
            json!({"s": "A"})
        ));
        // U+FB01 sorts after U+1F600 in UTF-16 code units (0xD83D < 0xFB01 is false... surrogate 0xD83D < 0xFB01).
        assert!(check(
            json!({"Variable": "$.s", "StringLessThan": "\u{fb01}", "Next": "N"}),
            json!({"s": "\u{1f600}"})
        ));
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let v = serde_json::from_str::<Value>(&s).unwrap_or(Value::String(s));
            let _ = Rule::parse(&v, true);
            let _ = Rule::parse(&serde_json::json!({"Variable": v, "StringEquals": "x"}), false);
        }
    }
}
