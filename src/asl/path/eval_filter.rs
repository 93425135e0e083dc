//! Deciding a filter (`[?( )]`) for one item: operands, existence tests, and Jayway's
//! comparisons (numbers by value, a number equal to a string that reads as it, strings in UTF-16
//! order, `in`/`nin`).

use super::eval::{owned_matches, walk_definite, Eval};
use super::java::{big_decimal_string, java_double, number_from_text};
use super::{Expr, FPath, Operand, RelOp};
use crate::asl::meter;
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The value of a filter operand; None is Jayway's "undefined".
fn operand_value<'a>(op: &'a Operand, item: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
    match op {
        Operand::Lit(v) => Some(Cow::Borrowed(v)),
        Operand::Path(p) => fpath_value(p, item, root),
    }
}

fn fpath_value<'a>(p: &'a FPath, item: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
    let base = if p.from_root { root } else { item };
    if p.segs.is_empty() {
        // AWS: "@" does not match scalar values, only objects.
        return (p.from_root || base.is_object()).then_some(Cow::Borrowed(base));
    }
    if p.definite {
        walk_definite(&p.segs, base).ok()
    } else {
        let mut cx = Eval {
            root,
            out: Vec::new(),
            trail: Vec::new(),
        };
        cx.eval(&p.segs, 0, base).ok()?;
        owned_matches(cx.out).ok().map(Cow::Owned)
    }
}

pub(super) fn accept(e: &Expr, item: &Value, root: &Value) -> bool {
    match e {
        Expr::Or(a, b) => accept(a, item, root) || accept(b, item, root),
        Expr::And(a, b) => accept(a, item, root) && accept(b, item, root),
        Expr::Not(a) => !accept(a, item, root),
        Expr::Exists(p, should) => {
            let found = match fpath_value(p, item, root) {
                None => false,
                // An indefinite path "exists" when it matches something.
                Some(v) => {
                    p.definite || p.segs.is_empty() || v.as_array().is_some_and(|a| !a.is_empty())
                }
            };
            found == *should
        }
        Expr::Rel(l, op, r) => {
            let lv = operand_value(l, item, root);
            let rv = operand_value(r, item, root);
            relate(lv.as_deref(), *op, rv.as_deref())
        }
    }
}

/// Jayway's ValueNode kinds.
#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Undefined,
    Null,
    Bool,
    Num,
    Str,
    Json,
}

fn kind(v: Option<&Value>) -> Kind {
    match v {
        None => Kind::Undefined,
        Some(Value::Null) => Kind::Null,
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Number(_)) => Kind::Num,
        Some(Value::String(_)) => Kind::Str,
        Some(Value::Array(_) | Value::Object(_)) => Kind::Json,
    }
}

fn relate(l: Option<&Value>, op: RelOp, r: Option<&Value>) -> bool {
    match op {
        RelOp::Eq => equals(l, r),
        RelOp::Ne => !equals(l, r),
        RelOp::TsEq => kind(l) == kind(r) && equals(l, r),
        RelOp::TsNe => !(kind(l) == kind(r) && equals(l, r)),
        RelOp::Lt => order(l, r) == Some(Ordering::Less),
        RelOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        RelOp::Gt => order(l, r) == Some(Ordering::Greater),
        RelOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        RelOp::In => contains(r, l),
        RelOp::Nin => !contains(r, l),
    }
}

/// Jayway's `left.equals(right)`: numbers compare numerically, and a number equals a string that
/// reads as the same number (left number) or a string equals a number's BigDecimal text (left
/// string); JSON values compare structurally; undefined equals nothing.
fn equals(l: Option<&Value>, r: Option<&Value>) -> bool {
    match (l, r) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => num_cmp(a, b) == Some(Ordering::Equal),
        (Some(Value::Number(a)), Some(Value::String(s))) => {
            number_from_text(s).is_some_and(|b| num_cmp(a, &b) == Some(Ordering::Equal))
        }
        (Some(Value::String(s)), Some(Value::Number(b))) => {
            let text = match b.as_f64() {
                Some(f) if !(b.is_i64() || b.is_u64()) => java_double(f),
                _ => b.to_string(),
            };
            big_decimal_string(&text).is_some_and(|t| &t == s)
        }
        (Some(Value::String(a)), Some(Value::String(b))) => a == b,
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a == b,
        (Some(Value::Null), Some(Value::Null)) => true,
        // Charged by the left side's size (the meter stops a filter comparing large documents
        // item after item; the path then fails with the limit).
        (
            Some(a @ (Value::Array(_) | Value::Object(_))),
            Some(b @ (Value::Array(_) | Value::Object(_))),
        ) => meter::spend_json(a) && a == b,
        _ => false,
    }
}

fn order(l: Option<&Value>, r: Option<&Value>) -> Option<Ordering> {
    match (l, r) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => num_cmp(a, b),
        // Java String.compareTo: UTF-16 code units.
        (Some(Value::String(a)), Some(Value::String(b))) => {
            Some(a.encode_utf16().cmp(b.encode_utf16()))
        }
        _ => None,
    }
}

fn contains(list: Option<&Value>, x: Option<&Value>) -> bool {
    match list {
        Some(Value::Array(a)) => a.iter().any(|e| equals(x, Some(e))),
        _ => false,
    }
}

fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::sel;
    use serde_json::json;

    #[test]
    fn recorded_filter() {
        // Recorded: test_state_pass_regex_json_path_base.
        let input = json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]});
        assert_eq!(
            sel("$.users[?(@.status == 0)]", &input),
            Ok(json!([{"year": 1997, "status": 0}]))
        );
    }

    #[test]
    fn filter_comparisons() {
        let v = json!({"min": 3, "items": [
            {"p": 1, "k": "a", "t": true},
            {"p": 5, "k": "b", "n": null, "tags": ["x", "y"]},
            {"p": 9.5, "k": "B", "s": "5"},
            {"k": "c", "arr": [1, 2]},
            7, "str", [1]
        ]});
        let ps = |f: &str| sel(&format!("$.items[?({f})].k"), &v);
        assert_eq!(ps("@.p < 5"), Ok(json!(["a"])));
        assert_eq!(ps("@.p <= 5"), Ok(json!(["a", "b"])));
        assert_eq!(ps("@.p > 5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p >= 5"), Ok(json!(["b", "B"])));
        assert_eq!(ps("@.p == 9.5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p==5"), Ok(json!(["b"])));
        assert_eq!(ps("@.p != 5"), Ok(json!(["a", "B", "c"])));
        assert_eq!(ps("@.p > -1e1"), Ok(json!(["a", "b", "B"])));
        assert_eq!(ps("@.p > $.min"), Ok(json!(["b", "B"])));
        // Strings compare ordinally (Java compareTo): "B" < "a" < "b" < "c".
        assert_eq!(ps("@.k < 'b'"), Ok(json!(["a", "B"])));
        assert_eq!(ps("@.k >= \"b\""), Ok(json!(["b", "c"])));
        assert_eq!(ps("@.k == 'B'"), Ok(json!(["B"])));
        // Mixed types never order; equality coerces between numbers and strings.
        assert_eq!(ps("@.k < 5"), Ok(json!([])));
        assert_eq!(ps("@.s == 5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p == '5'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p === '5'"), Ok(json!([])));
        assert_eq!(ps("@.p === 5"), Ok(json!(["b"])));
        assert_eq!(ps("@.p !== 5"), Ok(json!(["a", "B", "c"])));
        assert_eq!(ps("@.t == true"), Ok(json!(["a"])));
        assert_eq!(ps("@.n == null"), Ok(json!(["b"])));
        assert_eq!(ps("@.arr == [1, 2]"), Ok(json!(["c"])));
        assert_eq!(ps("@.tags == ['x', 'y']"), Ok(json!(["b"])));
        // Logic.
        assert_eq!(ps("@.p > 1 && @.k == 'b'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p == 1 || @.k == 'c'"), Ok(json!(["a", "c"])));
        assert_eq!(ps("!(@.p > 1)"), Ok(json!(["a", "c"])));
        assert_eq!(ps("(@.p == 1 || @.p == 5) && @.k != 'a'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p == 1 || @.p == 5 && @.k == 'x'"), Ok(json!(["a"])));
        // Existence.
        assert_eq!(ps("@.n"), Ok(json!(["b"])));
        assert_eq!(ps("@.tags"), Ok(json!(["b"])));
        assert_eq!(ps("!@.p"), Ok(json!(["c"])));
        assert_eq!(ps("@.tags[*]"), Ok(json!(["b"])));
        assert_eq!(ps("@.tags[5]"), Ok(json!([])));
        // in / nin.
        assert_eq!(ps("@.k in ['a', 'c']"), Ok(json!(["a", "c"])));
        assert_eq!(ps("@.p in [1, 9.5]"), Ok(json!(["a", "B"])));
        assert_eq!(ps("@.k nin ['a', 'c']"), Ok(json!(["b", "B"])));
        assert_eq!(ps("@.p nin [1]"), Ok(json!(["b", "B", "c"])));
        assert_eq!(ps("@.k IN [\"b\"]"), Ok(json!(["b"])));
        // Functions inside filters.
        assert_eq!(ps("@.tags.length() > 1"), Ok(json!(["b"])));
        // AWS: `@` only matches objects, so scalars and arrays are never selected.
        assert_eq!(sel("$.items[?(@ == 7)]", &v), Ok(json!([])));
        assert_eq!(
            sel("$.items[?(@.zz != 1)]", &v).map(|a| a.as_array().map(Vec::len)),
            Ok(Some(4))
        );
        // A filter on an object tests the object itself.
        assert_eq!(sel("$.items[1][?(@.p == 5)].k", &v), Ok(json!(["b"])));
        assert_eq!(
            sel("$[?(@.min)]", &v).map(|a| a.as_array().map(Vec::len)),
            Ok(Some(1))
        );
        assert_eq!(sel("$.min[?(@.x)]", &v), Ok(json!([])));
        // Nested filters.
        let w = json!({"a": [{"b": [{"c": 1}]}, {"b": [{"c": 2}]}]});
        assert_eq!(sel("$.a[?(@.b[?(@.c == 2)])].b[0].c", &w), Ok(json!([2])));
    }

    #[test]
    fn filter_string_literals_unescape() {
        let v = json!({"a": [{"s": "it's"}, {"s": "tab\there"}, {"s": "q\"q"}]});
        assert_eq!(sel(r"$.a[?(@.s == 'it\'s')].s", &v), Ok(json!(["it's"])));
        assert_eq!(
            sel(r"$.a[?(@.s == 'tab\there')].s", &v),
            Ok(json!(["tab\there"]))
        );
        assert_eq!(sel(r#"$.a[?(@.s == "q\"q")].s"#, &v), Ok(json!(["q\"q"])));
        assert_eq!(sel(r#"$.a[?(@.s in ['q"q'])].s"#, &v), Ok(json!(["q\"q"])));
    }
}
