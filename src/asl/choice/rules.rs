//! The typed model of a JSONPath Choice rule (Boolean combinations of comparisons, the 23
//! operators and their `...Path` twins) and its parsing from the definition, with AWS's schema
//! messages and their locations.

use crate::asl::timestamp;
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// One Choice rule: a Boolean combination or a single comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Compare(Comparison),
}

/// `Variable` + one operator + its operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub variable: String,
    pub op: Op,
    pub operand: Operand,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// The operator's value as written (`"StringEquals": "a"`, `"IsNull": true`).
    Literal(Value),
    /// The `...Path` operators: the operand is read from this path at run time.
    Path(String),
}

/// The comparison operators. Each of the String (except `StringMatches`), Numeric, Boolean and
/// Timestamp operators also exists as a `...Path` twin, represented as [`Operand::Path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// What an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    String,
    Numeric,
    Boolean,
    Timestamp,
    TypeTest,
}

impl Op {
    pub const ALL: [Op; 23] = [
        Op::StringEquals,
        Op::StringLessThan,
        Op::StringGreaterThan,
        Op::StringLessThanEquals,
        Op::StringGreaterThanEquals,
        Op::StringMatches,
        Op::NumericEquals,
        Op::NumericLessThan,
        Op::NumericGreaterThan,
        Op::NumericLessThanEquals,
        Op::NumericGreaterThanEquals,
        Op::BooleanEquals,
        Op::TimestampEquals,
        Op::TimestampLessThan,
        Op::TimestampGreaterThan,
        Op::TimestampLessThanEquals,
        Op::TimestampGreaterThanEquals,
        Op::IsNull,
        Op::IsPresent,
        Op::IsNumeric,
        Op::IsString,
        Op::IsBoolean,
        Op::IsTimestamp,
    ];

    /// The field name in the definition (without `Path`).
    pub fn name(self) -> &'static str {
        use Op::*;
        match self {
            StringEquals => "StringEquals",
            StringLessThan => "StringLessThan",
            StringGreaterThan => "StringGreaterThan",
            StringLessThanEquals => "StringLessThanEquals",
            StringGreaterThanEquals => "StringGreaterThanEquals",
            StringMatches => "StringMatches",
            NumericEquals => "NumericEquals",
            NumericLessThan => "NumericLessThan",
            NumericGreaterThan => "NumericGreaterThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            BooleanEquals => "BooleanEquals",
            TimestampEquals => "TimestampEquals",
            TimestampLessThan => "TimestampLessThan",
            TimestampGreaterThan => "TimestampGreaterThan",
            TimestampLessThanEquals => "TimestampLessThanEquals",
            TimestampGreaterThanEquals => "TimestampGreaterThanEquals",
            IsNull => "IsNull",
            IsPresent => "IsPresent",
            IsNumeric => "IsNumeric",
            IsString => "IsString",
            IsBoolean => "IsBoolean",
            IsTimestamp => "IsTimestamp",
        }
    }

    /// Reads a definition field name: `NumericEquals` ⇒ (NumericEquals, false),
    /// `NumericEqualsPath` ⇒ (NumericEquals, true). `StringMatchesPath` and `Is...Path` do not exist.
    pub fn from_field(field: &str) -> Option<(Op, bool)> {
        if let Some(op) = Op::ALL.iter().copied().find(|o| o.name() == field) {
            return Some((op, false));
        }
        let base = field.strip_suffix("Path")?;
        Op::ALL
            .iter()
            .copied()
            .find(|o| o.name() == base && o.has_path_form())
            .map(|o| (o, true))
    }

    /// Whether a `...Path` twin exists.
    pub fn has_path_form(self) -> bool {
        !matches!(self, Op::StringMatches) && !self.is_type_test()
    }

    /// `IsNull`, `IsPresent`, `IsNumeric`, `IsString`, `IsBoolean`, `IsTimestamp`.
    pub fn is_type_test(self) -> bool {
        self.family() == Family::TypeTest
    }

    pub(super) fn family(self) -> Family {
        use Op::*;
        match self {
            StringEquals
            | StringLessThan
            | StringGreaterThan
            | StringLessThanEquals
            | StringGreaterThanEquals
            | StringMatches => Family::String,
            NumericEquals
            | NumericLessThan
            | NumericGreaterThan
            | NumericLessThanEquals
            | NumericGreaterThanEquals => Family::Numeric,
            BooleanEquals => Family::Boolean,
            TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals => Family::Timestamp,
            IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => Family::TypeTest,
        }
    }

    /// The symbol used in labels and traces.
    pub(super) fn symbol(self) -> &'static str {
        use Op::*;
        match self {
            StringEquals | NumericEquals | BooleanEquals | TimestampEquals => "==",
            StringLessThan | NumericLessThan | TimestampLessThan => "<",
            StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ">",
            StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => "<=",
            StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => ">=",
            StringMatches => "matches",
            IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => "is",
        }
    }

    /// For the type tests: the word after "is" (`null`, `present`, `numeric`, ...).
    pub(super) fn type_word(self) -> &'static str {
        use Op::*;
        match self {
            IsNull => "null",
            IsPresent => "present",
            IsNumeric => "numeric",
            IsString => "string",
            IsBoolean => "boolean",
            IsTimestamp => "timestamp",
            _ => "",
        }
    }

    /// Whether an ordering of (variable, operand) satisfies the operator.
    pub(super) fn accepts(self, ord: Ordering) -> bool {
        use Op::*;
        match self {
            StringEquals | NumericEquals | BooleanEquals | TimestampEquals => {
                ord == Ordering::Equal
            }
            StringLessThan | NumericLessThan | TimestampLessThan => ord == Ordering::Less,
            StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => {
                ord == Ordering::Greater
            }
            StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
                ord != Ordering::Greater
            }
            StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
                ord != Ordering::Less
            }
            _ => false,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A top-level choice (rule + Next); nested rules have no Next.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub rule: Rule,
    pub next: String,
    /// The rule's own `Assign` block (JSONPath mode allows one per top-level rule), unevaluated.
    pub assign: Option<Value>,
    pub comment: Option<String>,
}

impl Choice {
    /// Parses one element of `Choices`. Errors as [`Rule::parse`].
    pub fn parse(v: &Value) -> Result<Choice, (String, String)> {
        let rule = Rule::parse(v, true)?;
        // Rule::parse(top_level) has checked that Next is a non-empty string and Comment a string.
        let next = v
            .get("Next")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let assign = v.get("Assign").cloned();
        let comment = v.get("Comment").and_then(Value::as_str).map(str::to_string);
        Ok(Choice {
            rule,
            next,
            assign,
            comment,
        })
    }
}

type ParseError = (String, String);

fn err<T>(msg: impl Into<String>, loc: impl Into<String>) -> Result<T, ParseError> {
    Err((msg.into(), loc.into()))
}

/// Paths in `Variable` and `...Path` fields: the input (`$`), the context object (`$$`) or a
/// variable (`$name`). The full syntax is checked when the path is resolved.
fn looks_like_path(s: &str) -> bool {
    s.starts_with('$')
}

impl Rule {
    /// Parses one rule object. `top_level` decides whether Next is required (top) or forbidden (nested:
    /// AWS says "Field 'Next' is not supported"). Errors: (message, location suffix relative to the
    /// rule, e.g. "" or "/And[1]"). Messages follow AWS's schema wording where it is known.
    pub fn parse(v: &Value, top_level: bool) -> Result<Rule, (String, String)> {
        let Value::Object(m) = v else {
            return err("The Choice rule must be an object", "");
        };
        let combinators: Vec<&str> = ["And", "Or", "Not"]
            .into_iter()
            .filter(|k| m.contains_key(*k))
            .collect();
        let mut operator: Option<(&str, Op, bool, &Value)> = None;
        for (key, val) in m {
            match key.as_str() {
                "Comment" => {
                    if !val.is_string() {
                        return err(
                            "The value of the field 'Comment' must be a string",
                            "/Comment",
                        );
                    }
                }
                "Next" | "Assign" if top_level => {}
                "And" | "Or" | "Not" => {
                    if combinators.first() != Some(&key.as_str()) {
                        return err(format!("Field '{key}' is not supported"), "");
                    }
                }
                "Variable" => {
                    if !combinators.is_empty() {
                        return err("Field 'Variable' is not supported", "");
                    }
                }
                _ => match Op::from_field(key) {
                    Some(_) if !combinators.is_empty() => {
                        return err(format!("Field '{key}' is not supported"), "")
                    }
                    Some((op, is_path)) => {
                        if let Some((first, ..)) = operator {
                            return err(format!("A Choice rule must have exactly one comparison operator, found '{first}' and '{key}'"), "");
                        }
                        operator = Some((key.as_str(), op, is_path, val));
                    }
                    None => return err(format!("Field '{key}' is not supported"), ""),
                },
            }
        }
        if top_level {
            match m.get("Next") {
                None => return err("These fields are required: [Next]", ""),
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(_) => {
                    return err(
                        "The value of the field 'Next' must be a non-empty string",
                        "/Next",
                    )
                }
            }
        }

        if let Some(&name) = combinators.first() {
            let val = m.get(name).unwrap_or(&Value::Null);
            if name == "Not" {
                let inner =
                    Rule::parse(val, false).map_err(|(msg, loc)| (msg, format!("/Not{loc}")))?;
                return Ok(Rule::Not(Box::new(inner)));
            }
            let Value::Array(items) = val else {
                return err(
                    format!("The value of the field '{name}' must be an array of Choice rules"),
                    format!("/{name}"),
                );
            };
            if items.is_empty() {
                return err("Value cannot be empty", format!("/{name}"));
            }
            let mut rules = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                rules.push(
                    Rule::parse(item, false)
                        .map_err(|(msg, loc)| (msg, format!("/{name}[{i}]{loc}")))?,
                );
            }
            return Ok(if name == "And" {
                Rule::And(rules)
            } else {
                Rule::Or(rules)
            });
        }

        let variable = match m.get("Variable") {
            Some(Value::String(s)) if looks_like_path(s) => s.clone(),
            Some(_) => return err("The value for the field 'Variable' must be a valid JSONPath", "/Variable"),
            None if operator.is_some() => return err("These fields are required: [Variable]", ""),
            None => return err("A Choice rule must have a Variable and a comparison operator, or one of And, Or, Not", ""),
        };
        let Some((key, op, is_path, val)) = operator else {
            return err(
                "A Choice rule must have exactly one comparison operator",
                "",
            );
        };
        let operand = if is_path {
            match val {
                Value::String(p) if looks_like_path(p) => Operand::Path(p.clone()),
                _ => {
                    return err(
                        format!("The value for the field '{key}' must be a valid JSONPath"),
                        format!("/{key}"),
                    )
                }
            }
        } else {
            check_literal(op, val).map_err(|msg| (msg, format!("/{key}")))?;
            Operand::Literal(val.clone())
        };
        Ok(Rule::Compare(Comparison {
            variable,
            op,
            operand,
        }))
    }

    /// Every path the rule reads (`Variable`s and `...Path` operands), in order.
    pub fn paths(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Rule::And(rs) | Rule::Or(rs) => rs.iter().for_each(|r| r.collect_paths(out)),
            Rule::Not(r) => r.collect_paths(out),
            Rule::Compare(c) => {
                out.push(&c.variable);
                if let Operand::Path(p) = &c.operand {
                    out.push(p);
                }
            }
        }
    }
}

/// The literal operand's type is checked when the definition is created.
fn check_literal(op: Op, v: &Value) -> Result<(), String> {
    let name = op.name();
    let (ok, what) = match op.family() {
        Family::String => (v.is_string(), "a string"),
        Family::Numeric => (v.is_number(), "a number"),
        Family::Boolean | Family::TypeTest => (v.is_boolean(), "a boolean"),
        Family::Timestamp => match v.as_str() {
            // Same check and wording as a Wait state's literal Timestamp (recorded).
            Some(s) if timestamp::parse(s).is_none() => {
                return Err("String does not match RFC3339 timestamp".into())
            }
            Some(_) => (true, ""),
            None => (false, "a string"),
        },
    };
    if ok {
        Ok(())
    } else {
        Err(format!("The value of the field '{name}' must be {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::rule;
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_errors_with_locations() {
        let cases: &[(Value, bool, &str, &str)] = &[
            (json!({"Not": {"Variable": "$.s", "IsNull": true, "Next": "X"}, "Next": "N"}), true, "Field 'Next' is not supported", "/Not"),
            (
                json!({"And": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.b", "IsNull": true, "Next": "X"}], "Next": "N"}),
                true,
                "Field 'Next' is not supported",
                "/And[1]",
            ),
            (json!({"Variable": "$.a", "IsNull": true, "Next": "X"}), false, "Field 'Next' is not supported", ""),
            (json!({"Variable": "$.a", "IsNull": true}), true, "These fields are required: [Next]", ""),
            (json!({"Variable": "$.a", "IsNull": true, "Next": 3}), true, "The value of the field 'Next' must be a non-empty string", "/Next"),
            (json!({"Variable": "$.a", "IsNull": true, "Next": ""}), true, "The value of the field 'Next' must be a non-empty string", "/Next"),
            (json!({"Variable": "$.a", "IsNull": true, "Assign": {"x": 1}}), false, "Field 'Assign' is not supported", ""),
            (json!({"Variable": "$.a", "StringEqual": "x", "Next": "N"}), true, "Field 'StringEqual' is not supported", ""),
            (json!({"Variable": "$.a", "IsNullPath": "$.b", "Next": "N"}), true, "Field 'IsNullPath' is not supported", ""),
            (json!({"Variable": "$.a", "StringMatchesPath": "$.b", "Next": "N"}), true, "Field 'StringMatchesPath' is not supported", ""),
            (json!({"Condition": "{% true %}", "Next": "N"}), true, "Field 'Condition' is not supported", ""),
            (json!({"Variable": "$.a", "Next": "N"}), true, "A Choice rule must have exactly one comparison operator", ""),
            (json!({"Next": "N"}), true, "A Choice rule must have a Variable and a comparison operator, or one of And, Or, Not", ""),
            (json!({"StringEquals": "x", "Next": "N"}), true, "These fields are required: [Variable]", ""),
            (
                json!({"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1, "Next": "N"}),
                true,
                "A Choice rule must have exactly one comparison operator, found 'StringEquals' and 'NumericEquals'",
                "",
            ),
            (json!({"Variable": "a", "StringEquals": "x", "Next": "N"}), true, "The value for the field 'Variable' must be a valid JSONPath", "/Variable"),
            (json!({"Variable": 1, "StringEquals": "x", "Next": "N"}), true, "The value for the field 'Variable' must be a valid JSONPath", "/Variable"),
            (
                json!({"Variable": "$.a", "StringEqualsPath": "b", "Next": "N"}),
                true,
                "The value for the field 'StringEqualsPath' must be a valid JSONPath",
                "/StringEqualsPath",
            ),
            (json!({"Variable": "$.a", "StringEquals": 1, "Next": "N"}), true, "The value of the field 'StringEquals' must be a string", "/StringEquals"),
            (json!({"Variable": "$.a", "NumericEquals": "1", "Next": "N"}), true, "The value of the field 'NumericEquals' must be a number", "/NumericEquals"),
            (
                json!({"Variable": "$.a", "BooleanEquals": "true", "Next": "N"}),
                true,
                "The value of the field 'BooleanEquals' must be a boolean",
                "/BooleanEquals",
            ),
            (json!({"Variable": "$.a", "IsPresent": 1, "Next": "N"}), true, "The value of the field 'IsPresent' must be a boolean", "/IsPresent"),
            (
                json!({"Variable": "$.a", "TimestampEquals": "2016-12-05 21:29:29Z", "Next": "N"}),
                true,
                "String does not match RFC3339 timestamp",
                "/TimestampEquals",
            ),
            (
                json!({"Variable": "$.a", "TimestampEquals": 5, "Next": "N"}),
                true,
                "The value of the field 'TimestampEquals' must be a string",
                "/TimestampEquals",
            ),
            (json!({"And": [], "Next": "N"}), true, "Value cannot be empty", "/And"),
            (json!({"Or": {"Variable": "$.a", "IsNull": true}, "Next": "N"}), true, "The value of the field 'Or' must be an array of Choice rules", "/Or"),
            (json!({"Not": [], "Next": "N"}), true, "The Choice rule must be an object", "/Not"),
            (
                json!({"And": [{"Variable": "$.a", "IsNull": true}], "Or": [{"Variable": "$.a", "IsNull": true}], "Next": "N"}),
                true,
                "Field 'Or' is not supported",
                "",
            ),
            (json!({"And": [{"Variable": "$.a", "IsNull": true}], "Variable": "$.a", "Next": "N"}), true, "Field 'Variable' is not supported", ""),
            (json!({"Not": {"Variable": "$.a", "IsNull": true}, "IsNull": true, "Next": "N"}), true, "Field 'IsNull' is not supported", ""),
            (json!({"Or": [{"And": [{"Not": {"Variable": "$.a", "Bogus": 1}}]}], "Next": "N"}), true, "Field 'Bogus' is not supported", "/Or[0]/And[0]/Not"),
            (json!({"Variable": "$.a", "IsNull": true, "Comment": 5, "Next": "N"}), true, "The value of the field 'Comment' must be a string", "/Comment"),
            (json!("StringEquals"), true, "The Choice rule must be an object", ""),
            (json!(null), false, "The Choice rule must be an object", ""),
        ];
        for (v, top, msg, loc) in cases {
            assert_eq!(
                Rule::parse(v, *top),
                Err((msg.to_string(), loc.to_string())),
                "{v}"
            );
        }
    }

    #[test]
    fn parses_every_operator_and_its_path_twin() {
        for op in Op::ALL {
            assert_eq!(Op::from_field(op.name()), Some((op, false)));
            let path_field = format!("{}Path", op.name());
            assert_eq!(
                Op::from_field(&path_field).is_some(),
                op.has_path_form(),
                "{path_field}"
            );
            if op.has_path_form() {
                let r = rule(json!({"Variable": "$.a", path_field.clone(): "$.b", "Next": "N"}));
                assert_eq!(
                    r,
                    Rule::Compare(Comparison {
                        variable: "$.a".into(),
                        op,
                        operand: Operand::Path("$.b".into())
                    })
                );
            }
        }
        assert_eq!(Op::ALL.iter().filter(|o| o.has_path_form()).count(), 16);
        let c = Choice::parse(&json!({"Variable": "$.a", "IsNull": true, "Next": "N", "Assign": {"x.$": "$.a"}, "Comment": "c"})).unwrap();
        assert_eq!(c.next, "N");
        assert_eq!(c.assign, Some(json!({"x.$": "$.a"})));
        assert_eq!(c.comment.as_deref(), Some("c"));
    }
}
