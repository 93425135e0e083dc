//! Path functions (`$.a.length()`): the ones Jayway 2.2 has (`length`, `min`, `max`, `avg`,
//! `stddev`), and any other name, which parses and fails when evaluated.

use serde_json::{Number, Value};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Func {
    Length,
    Min,
    Max,
    Avg,
    Stddev,
    /// Parses (Jayway resolves function names at evaluation time) but fails when evaluated.
    Unknown(Box<str>),
}

impl Func {
    pub(super) fn from_name(n: &str) -> Func {
        match n {
            "length" => Func::Length,
            "min" => Func::Min,
            "max" => Func::Max,
            "avg" => Func::Avg,
            "stddev" => Func::Stddev,
            other => Func::Unknown(other.into()),
        }
    }
    pub(super) fn name(&self) -> &str {
        match self {
            Func::Length => "length",
            Func::Min => "min",
            Func::Max => "max",
            Func::Avg => "avg",
            Func::Stddev => "stddev",
            Func::Unknown(n) => n,
        }
    }
    /// Jayway 2.2's functions: `length()` of an array or object; the aggregations over the
    /// numbers of an array give doubles (`min` of none is Double.MAX_VALUE, `max` of none is
    /// Double.MIN_VALUE — Jayway's starting values); anything else gives null.
    pub(super) fn apply(&self, v: &Value) -> Result<Value, String> {
        let nums = || -> Option<Vec<f64>> {
            v.as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
        };
        Ok(match self {
            Func::Length => match v {
                Value::Array(a) => Value::from(a.len()),
                Value::Object(m) => Value::from(m.len()),
                _ => Value::Null,
            },
            Func::Min => match nums() {
                Some(n) => double(n.into_iter().fold(f64::MAX, f64::min)),
                None => Value::Null,
            },
            Func::Max => match nums() {
                Some(n) => double(n.into_iter().fold(f64::from_bits(1), f64::max)),
                None => Value::Null,
            },
            Func::Avg => match nums() {
                Some(n) if n.is_empty() => double(0.0),
                Some(n) => double(n.iter().sum::<f64>() / n.len() as f64),
                None => Value::Null,
            },
            Func::Stddev => match nums() {
                Some(n) => {
                    let c = n.len() as f64;
                    let sum: f64 = n.iter().sum();
                    let sq: f64 = n.iter().map(|x| x * x).sum();
                    double((sq / c - sum * sum / c / c).sqrt())
                }
                None => Value::Null,
            },
            Func::Unknown(n) => return Err(n.to_string()),
        })
    }
}

fn double(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{miss, sel};
    use serde_json::{json, Value};

    #[test]
    fn functions() {
        let v = json!({"a": [3, 1, 2, "x"], "o": {"k": 1, "j": 2}, "s": "str", "e": [], "neg": [-2, -1]});
        assert_eq!(sel("$.a.length()", &v), Ok(json!(4)));
        assert_eq!(sel("$.o.length()", &v), Ok(json!(2)));
        assert_eq!(sel("$.length()", &v), Ok(json!(5)));
        assert_eq!(sel("$.s.length()", &v), Ok(Value::Null));
        assert_eq!(sel("$.a.min()", &v), Ok(json!(1.0)));
        assert_eq!(sel("$.a.max()", &v), Ok(json!(3.0)));
        assert_eq!(sel("$.a.avg()", &v), Ok(json!(2.0)));
        assert_eq!(sel("$.e.avg()", &v), Ok(json!(0.0)));
        assert_eq!(
            sel("$.a.stddev()", &v).map(|x| x.as_f64().map(|f| (f * 1e6).round())),
            Ok(Some(816497.0))
        );
        // Jayway's starting value for max is Double.MIN_VALUE.
        assert_eq!(sel("$.neg.max()", &v), Ok(json!(f64::from_bits(1))));
        assert_eq!(
            sel("$.a[*].length()", &v),
            Ok(json!([null, null, null, null]))
        );
        // sum() does not exist in AWS's Jayway (recorded on re:Post: a run-time failure).
        assert_eq!(
            miss("$.a.sum()", &v),
            "Function of name: sum cannot be created"
        );
        assert_eq!(
            miss("$.missing.length()", &v),
            "Missing property in path $['missing']"
        );
    }
}
