//! Writing a value at a reference path (ResultPath and the like): intermediate objects are
//! created, existing members keep their place, and every refusal says why.

use super::eval::effective_index;
use super::misses::{fragment, fragments};
use super::{Path, Seg};
use serde_json::{Map, Value};

impl Path {
    /// Writes `value` at this (reference) path inside `target`, creating intermediate objects as
    /// needed, as AWS ResultPath does ("$" replaces the whole target). Existing members keep
    /// their position. Err(message) when it cannot: a node on the way (or the target itself) is
    /// not an object where a name follows, not an array where an index follows, or an index is
    /// out of range; or the path is not a reference path.
    pub fn assign(&self, target: Value, value: Value) -> Result<Value, String> {
        if !self.is_reference() {
            return Err(format!(
                "'{}' is not a reference path: only names and indexes can be written to",
                self.text
            ));
        }
        let mut target = target;
        let mut value = Some(value);
        let mut cur = &mut target;
        let n = self.segs.len();
        for (i, seg) in self.segs.iter().enumerate() {
            let last = i + 1 == n;
            match seg {
                Seg::Name(name) => {
                    let m = match cur {
                        Value::Object(m) => m,
                        other => {
                            return Err(format!(
                                "Unable to set the property {} of {}: it is {}, not an object",
                                fragment(seg),
                                self.prefix(i),
                                describe(other)
                            ))
                        }
                    };
                    if last {
                        m.insert(name.to_string(), value.take().unwrap_or(Value::Null));
                        break;
                    }
                    cur = m
                        .entry(name.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Seg::Index(k) => {
                    let a = match cur {
                        Value::Array(a) => a,
                        other => {
                            return Err(format!(
                                "Unable to set the element {} of {}: it is {}, not an array",
                                fragment(seg),
                                self.prefix(i),
                                describe(other)
                            ))
                        }
                    };
                    let len = a.len();
                    let Some(slot) = effective_index(*k, len).and_then(|x| a.get_mut(x)) else {
                        return Err(format!(
                            "Unable to set the element {} of {}: the array has {} element(s)",
                            fragment(seg),
                            self.prefix(i),
                            len
                        ));
                    };
                    if last {
                        *slot = value.take().unwrap_or(Value::Null);
                        break;
                    }
                    cur = slot;
                }
                _ => {
                    return Err(format!(
                        "'{}' is not a reference path: only names and indexes can be written to",
                        self.text
                    ))
                }
            }
        }
        match value {
            // An empty path ("$"): the value replaces the whole target.
            Some(v) => Ok(v),
            None => Ok(target),
        }
    }

    fn prefix(&self, i: usize) -> String {
        format!("${}", fragments(self.segs.get(..i).unwrap_or_default()))
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::p;
    use serde_json::{json, Value};

    #[test]
    fn assign_like_result_path() {
        let put = |t: &str, target: Value, v: Value| p(t).assign(target, v);
        assert_eq!(put("$", json!({"x": 1}), json!(2)), Ok(json!(2)));
        assert_eq!(
            put("$.a.b", json!({"x": 1}), json!(2)),
            Ok(json!({"x": 1, "a": {"b": 2}}))
        );
        // An existing member is replaced in place.
        let out = put("$.a", json!({"a": 1, "z": 2}), json!(3)).unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&out).unwrap_or_default(),
            r#"{"a":3,"z":2}"#
        );
        assert_eq!(
            put(
                "$.detail.shipped_output",
                json!({"detail": {"shipped": [1]}}),
                json!([2])
            ),
            Ok(json!({"detail": {"shipped": [1], "shipped_output": [2]}}))
        );
        assert_eq!(
            put("$.a[1]", json!({"a": [1, 2]}), json!(9)),
            Ok(json!({"a": [1, 9]}))
        );
        assert_eq!(
            put("$.a[0].b", json!({"a": [{}]}), json!(9)),
            Ok(json!({"a": [{"b": 9}]}))
        );
        assert_eq!(put("$$.x", json!({}), json!(1)), Ok(json!({"x": 1})));
        assert!(put("$.a.b", json!({"a": "str"}), json!(2)).is_err());
        assert!(put("$.a.b", json!({"a": null}), json!(2)).is_err());
        assert!(put("$.a", json!("text"), json!(2)).is_err());
        assert!(put("$.a", json!([1]), json!(2)).is_err());
        assert!(put("$.a[5]", json!({"a": [1]}), json!(2)).is_err());
        assert!(put("$.a[0]", json!({}), json!(2)).is_err());
        assert!(put("$.a[*]", json!({"a": [1]}), json!(2)).is_err());
        let e = put("$.a.b", json!({"a": "str"}), json!(2))
            .err()
            .unwrap_or_default();
        assert!(e.contains("['b']") && e.contains("$['a']"), "{e}");
    }
}
