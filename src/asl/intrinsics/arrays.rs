//! Arrays: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength
//! and ArrayUnique (the iteration order of a Java HashSet, from the values' Java `hashCode` and
//! `equals`). `Array`, `ArrayLength` and `ArrayUnique` are one-liners in the dispatch (`mod.rs`).

use super::java::{java_int_truncated, java_to_string};
use super::{arg, Call, IntrinsicError, MAX_RANGE_ELEMENTS};
use serde_json::Value;

impl Call {
    /// States.ArrayPartition: chunk size truncated toward zero, must be > 0 [aws-obs: 2.4 and
    /// 2.6 both act as 2; 0.6, 0.49, -0.4 fail]; the last chunk may be shorter [rec
    /// intrinsic_functions/test_array.py::TestArray::test_array_partition#exec_hist_resp_22].
    pub(super) fn array_partition(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let Value::Array(items) = arg(a, 0) else {
            return Err(self.invalid());
        };
        let size = java_int_truncated(arg(a, 1)).ok_or_else(|| self.invalid())?;
        if size <= 0 {
            return Err(self.invalid());
        }
        let size = usize::try_from(size).map_err(|_| self.invalid())?;
        Ok(Value::Array(
            items
                .chunks(size)
                .map(|c| Value::Array(c.to_vec()))
                .collect(),
        ))
    }

    /// States.ArrayContains: an element matches when its Java `toString` equals the value's
    /// [aws-obs: `true` matches `"true"`, 9007199254740991 matches "9007199254740991",
    /// `{a:1,b:2}` does not match `{b:2,a:1}`]; deep values match [rec
    /// intrinsic_functions/test_array.py::TestArray::test_array_contains#exec_hist_resp_4 and #exec_hist_resp_6].
    pub(super) fn array_contains(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let Value::Array(items) = arg(a, 0) else {
            return Err(self.invalid());
        };
        let mut wanted = String::new();
        java_to_string(arg(a, 1), &mut wanted);
        let mut buf = String::new();
        let found = items.iter().any(|item| {
            buf.clear();
            java_to_string(item, &mut buf);
            buf == wanted
        });
        Ok(Value::Bool(found))
    }

    /// States.ArrayRange: inclusive end [rec intrinsic_functions/test_array.py::TestArray::test_array_range#exec_hist_resp_0],
    /// arguments truncated toward zero, step 0 fails, an empty result when the step points away
    /// from the end, at most 1000 elements [aws-obs].
    pub(super) fn array_range(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let start = java_int_truncated(arg(a, 0)).ok_or_else(|| self.invalid())?;
        let end = java_int_truncated(arg(a, 1)).ok_or_else(|| self.invalid())?;
        let step = java_int_truncated(arg(a, 2)).ok_or_else(|| self.invalid())?;
        if step == 0 {
            return Err(self.invalid());
        }
        let count = if (step > 0 && end < start) || (step < 0 && end > start) {
            0
        } else {
            (end - start) / step + 1
        };
        if count > MAX_RANGE_ELEMENTS {
            return Err(self.invalid());
        }
        Ok(Value::Array(
            (0..count).map(|i| Value::from(start + i * step)).collect(),
        ))
    }

    /// States.ArrayGetItem: index truncated toward zero [aws-obs: 1.2 acts as 1]; a negative or
    /// too large index fails, except that any index into an empty array gives null [aws-obs].
    pub(super) fn array_get_item(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let Value::Array(items) = arg(a, 0) else {
            return Err(self.invalid());
        };
        let index = java_int_truncated(arg(a, 1)).ok_or_else(|| self.invalid())?;
        if index < 0 {
            return Err(self.invalid());
        }
        if items.is_empty() {
            return Ok(Value::Null);
        }
        usize::try_from(index)
            .ok()
            .and_then(|i| items.get(i))
            .cloned()
            .ok_or_else(|| self.invalid())
    }
}

/// Java's `hashCode` of the converted value.
fn java_hash(v: &Value) -> i32 {
    match v {
        Value::Null => 0,
        Value::Bool(true) => 1231,
        Value::Bool(false) => 1237,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                match i32::try_from(i) {
                    Ok(small) => small, // Integer
                    Err(_) => long_hash(i as u64),
                }
            } else if let Some(u) = n.as_u64() {
                // BigInteger of two 32-bit magnitude words.
                let hi = (u >> 32) as u32 as i32;
                let lo = u as u32 as i32;
                hi.wrapping_mul(31).wrapping_add(lo)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                let bits = if f.is_nan() {
                    0x7ff8_0000_0000_0000u64
                } else {
                    f.to_bits()
                };
                long_hash(bits)
            }
        }
        Value::String(s) => s
            .encode_utf16()
            .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c))),
        Value::Array(items) => items
            .iter()
            .fold(1i32, |h, e| h.wrapping_mul(31).wrapping_add(java_hash(e))),
        Value::Object(m) => m.iter().fold(0i32, |h, (k, e)| {
            let kh = k
                .encode_utf16()
                .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)));
            h.wrapping_add(kh ^ java_hash(e))
        }),
    }
}

fn long_hash(bits: u64) -> i32 {
    (bits ^ (bits >> 32)) as u32 as i32
}

/// The elements of `new java.util.HashSet<>(list)` in its iteration order: distinct by equals
/// (object key order does not matter), ordered by hash bucket, ties in insertion order [aws-obs:
/// AWS returns `[false, true]` for `[true, false, true, false]`, `[[2, 1], [1, 2]]` for
/// `[[1, 2], [1, 2], [2, 1]]` and `[null, 1]` for `[null, null, 1, null]`, exactly this order].
/// Not modelled: the order inside a bin turned into a tree (9+ colliding elements in a table of
/// 64+ buckets).
pub(super) fn java_hash_set_order(items: &[Value]) -> Vec<Value> {
    const MAX_CAPACITY: usize = 1 << 30;
    let initial = ((items.len() as f32 / 0.75f32) as usize)
        .saturating_add(1)
        .max(16);
    let mut cap = initial
        .checked_next_power_of_two()
        .unwrap_or(MAX_CAPACITY)
        .min(MAX_CAPACITY);
    let mut table: Vec<Vec<(u32, usize)>> = vec![Vec::new(); cap];
    let mut size = 0usize;
    for (i, item) in items.iter().enumerate() {
        let h = java_hash(item) as u32;
        let h = h ^ (h >> 16); // HashMap.hash
        let idx = (h as usize) & (cap - 1);
        let Some(bin) = table.get_mut(idx) else {
            continue;
        };
        if bin
            .iter()
            .any(|&(bh, j)| bh == h && items.get(j) == Some(item))
        {
            continue;
        }
        bin.push((h, i));
        let bin_len = bin.len();
        size += 1;
        // HashMap.putVal: a bin of 9+ nodes in a table under 64 buckets resizes instead of
        // treeifying; then the load factor check.
        if bin_len >= 9 && cap < 64 {
            cap = resize(&mut table, cap);
        }
        if size > cap / 4 * 3 && cap < MAX_CAPACITY {
            cap = resize(&mut table, cap);
        }
    }
    table
        .into_iter()
        .flatten()
        .filter_map(|(_, i)| items.get(i).cloned())
        .collect()
}

/// Doubles the table, keeping the relative order of the entries of each bin (as Java does).
fn resize(table: &mut Vec<Vec<(u32, usize)>>, cap: usize) -> usize {
    let new_cap = cap * 2;
    let mut new_table: Vec<Vec<(u32, usize)>> = vec![Vec::new(); new_cap];
    for bin in table.drain(..) {
        for (h, i) in bin {
            if let Some(b) = new_table.get_mut((h as usize) & (new_cap - 1)) {
                b.push((h, i));
            }
        }
    }
    *table = new_table;
    new_cap
}

#[cfg(test)]
mod tests {
    use super::super::java::java_to_string;
    use super::super::parse;
    use super::super::tests::{fails, invalid, ok, TestEnv};
    use serde_json::{json, Value};

    #[test]
    fn array() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_0]
        assert_eq!(
            ok("States.Array()", json!({"FunctionInput": "HelloWorld"})),
            json!([])
        );
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_2#exec_hist_resp_0,1,3,5,6,7]
        let t = "States.Array($.FunctionInput.fst, $.FunctionInput.snd)";
        for v in [
            json!(""),
            json!(" "),
            json!(null),
            json!(1.1),
            json!("{\"Arg1\": 1, \"Arg2\": []}"),
            json!({"Arg1": 1, "Arg2": []}),
        ] {
            assert_eq!(
                ok(
                    t,
                    json!({"FunctionInput": {"fst": v.clone(), "snd": v.clone()}})
                ),
                json!([v.clone(), v])
            );
        }
        assert_eq!(
            ok(
                "States.Array(42, true, null, 'hello', States.Array(2, 3))",
                json!({})
            ),
            json!([42, true, null, "hello", [2, 3]])
        );
        // Floats stay floats, integers stay integers.
        assert_eq!(
            serde_json::to_string(&ok("States.Array(1, 1.0, 1.5e2)", json!({}))).unwrap(),
            "[1,1.0,150.0]"
        );
    }

    #[test]
    fn array_partition() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_partition#exec_hist_resp_*]
        let t = "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)";
        let p = |arr: Value, n: i64| ok(t, json!({"FunctionInput": {"fst": arr, "snd": n}}));
        assert_eq!(p(json!([]), 1), json!([]));
        assert_eq!(p(json!([]), 5), json!([]));
        assert_eq!(p(json!([0]), 3), json!([[0]]));
        assert_eq!(p(json!([0, 1]), 1), json!([[0], [1]]));
        assert_eq!(p(json!([0, 1, 2, 3]), 2), json!([[0, 1], [2, 3]]));
        assert_eq!(p(json!([0, 1, 2, 3]), 3), json!([[0, 1, 2], [3]]));
        assert_eq!(p(json!([0, 1, 2, 3]), 5), json!([[0, 1, 2, 3]]));
        // Truncated chunk sizes [aws-obs].
        assert_eq!(
            ok(
                "States.ArrayPartition($.a, 2.6)",
                json!({"a": [1, 2, 3, 4, 5]})
            ),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(
            ok(
                "States.ArrayPartition($.a, 2147483647)",
                json!({"a": [1, 2, 3]})
            ),
            json!([[1, 2, 3]])
        );
        for size in ["0", "-1", "0.6", "-0.4", "'2'", "null"] {
            assert_eq!(
                fails(
                    &format!("States.ArrayPartition($.a, {size})"),
                    json!({"a": [1, 2, 3]})
                )
                .cause,
                invalid("ArrayPartition")
            );
        }
        assert_eq!(
            fails("States.ArrayPartition('not-array', 2)", json!({})).cause,
            invalid("ArrayPartition")
        );
    }

    #[test]
    fn array_contains() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_contains#exec_hist_resp_0..7]
        let t = "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)";
        let c = |arr: Value, v: Value| ok(t, json!({"FunctionInput": {"fst": arr, "snd": v}}));
        assert_eq!(c(json!([]), json!(null)), json!(false));
        assert_eq!(c(json!([]), json!([])), json!(false));
        assert_eq!(c(json!([]), json!(1)), json!(false));
        assert_eq!(c(json!([[1, 2, 3], 2]), json!(null)), json!(false));
        assert_eq!(c(json!([[1, 2, 3], 2]), json!([1, 2, 3])), json!(true));
        assert_eq!(c(json!([{"1": 2, "2": []}]), json!([])), json!(false));
        assert_eq!(
            c(json!([{"1": 2, "2": []}]), json!({"1": 2, "2": []})),
            json!(true)
        );
        assert_eq!(c(json!([true, false]), json!(true)), json!(true));
        // Java toString equality [aws-obs].
        assert_eq!(c(json!(["true", "x"]), json!(true)), json!(true));
        assert_eq!(
            c(json!(["9007199254740991"]), json!(9007199254740991u64)),
            json!(true)
        );
        assert_eq!(
            c(json!([{"a": 1, "b": 2}]), json!({"b": 2, "a": 1})),
            json!(false)
        );
        assert_eq!(
            c(json!([{"a": 1}]), json!({"a": 1, "extra": null})),
            json!(false)
        );
        assert_eq!(c(json!([0, 1, -1, -1.5]), json!(false)), json!(false));
        assert_eq!(
            ok("States.ArrayContains(States.Array(1, 2, 3), 2)", json!({})),
            json!(true)
        );
        assert_eq!(
            fails("States.ArrayContains('not-array', 'x')", json!({})).cause,
            invalid("ArrayContains")
        );
    }

    #[test]
    fn array_range() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_range#exec_hist_resp_0 and #exec_hist_resp_2]
        assert_eq!(
            ok(
                "States.ArrayRange($.a, $.b, $.c)",
                json!({"a": 0, "b": 9, "c": 3})
            ),
            json!([0, 3, 6, 9])
        );
        assert_eq!(
            ok(
                "States.ArrayRange($.a, $.b, $.c)",
                json!({"a": 1, "b": 9, "c": 9})
            ),
            json!([1])
        );
        // [facts §3.4] and the JSONata twins (test_array_jsonata.py test_array_range#exec_hist_resp_1, #3).
        assert_eq!(
            ok("States.ArrayRange(0, 10, 3)", json!({})),
            json!([0, 3, 6, 9])
        );
        assert_eq!(
            ok("States.ArrayRange(1, 9, 2)", json!({})),
            json!([1, 3, 5, 7, 9])
        );
        // [aws-obs]
        assert_eq!(
            ok("States.ArrayRange(-2, 2, 2)", json!({})),
            json!([-2, 0, 2])
        );
        assert_eq!(ok("States.ArrayRange(3, 3, -1)", json!({})), json!([3]));
        assert_eq!(
            ok("States.ArrayRange(5, 1, -2)", json!({})),
            json!([5, 3, 1])
        );
        assert_eq!(ok("States.ArrayRange(5, 1, 1)", json!({})), json!([]));
        assert_eq!(ok("States.ArrayRange(1, 5, -1)", json!({})), json!([]));
        assert_eq!(
            ok("States.ArrayRange(1.4, 5.6, 2.2)", json!({})),
            json!([1, 3, 5])
        );
        assert_eq!(ok("States.ArrayRange(1.6, 1.4, 1)", json!({})), json!([1]));
        assert_eq!(
            ok("States.ArrayRange(5.4, -0.6, -2.4)", json!({})),
            json!([5, 3, 1])
        );
        assert_eq!(
            ok("States.ArrayRange(1, 1000, 1)", json!({}))
                .as_array()
                .unwrap()
                .len(),
            1000
        );
        assert_eq!(
            ok("States.ArrayRange(1000, 1, -1)", json!({}))
                .as_array()
                .unwrap()
                .len(),
            1000
        );
        for bad in [
            "States.ArrayRange(1, 1001, 1)",
            "States.ArrayRange(1001, 1, -1)",
            "States.ArrayRange(1, 10, 0)",
            "States.ArrayRange(1, 10, 0.49)",
            "States.ArrayRange('a', 5, 1)",
            "States.ArrayRange(-2147483648, 2147483647, 1)",
        ] {
            assert_eq!(fails(bad, json!({})).cause, invalid("ArrayRange"), "{bad}");
        }
    }

    #[test]
    fn array_get_item() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_get_item]
        assert_eq!(
            ok(
                "States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)",
                json!({"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}})
            ),
            json!(6)
        );
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_nested_calls_1]
        let mut env = TestEnv::new(json!({}));
        env.context = json!({"StateMachine": {"Name": "abc-def-ghi"}});
        assert_eq!(
            parse("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")
                .unwrap()
                .eval(&mut env)
                .unwrap(),
            json!("abc")
        );
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_nested_calls_2]
        let c = parse("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))").unwrap();
        assert_eq!(c.eval(&mut env).unwrap(), json!("ghi"));
        // [aws-obs]
        assert_eq!(
            ok("States.ArrayGetItem($.a, 1.2)", json!({"a": [10, 20, 30]})),
            json!(20)
        );
        assert_eq!(
            ok("States.ArrayGetItem($.a, 999)", json!({"a": []})),
            json!(null)
        );
        assert_eq!(
            ok("States.ArrayGetItem($.a, 0)", json!({"a": [null]})),
            json!(null)
        );
        for bad in [
            "States.ArrayGetItem($.a, 3)",
            "States.ArrayGetItem($.a, -1)",
            "States.ArrayGetItem($.a, '1')",
            "States.ArrayGetItem('x', 0)",
        ] {
            assert_eq!(
                fails(bad, json!({"a": [10, 20, 30]})).cause,
                invalid("ArrayGetItem"),
                "{bad}"
            );
        }
    }

    #[test]
    fn array_length() {
        // [rec intrinsic_functions/test_array.py::TestArray::test_array_unique] (really ArrayLength)
        let arr = json!([null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]);
        assert_eq!(
            ok(
                "States.ArrayLength($.FunctionInput)",
                json!({"FunctionInput": arr})
            ),
            json!(20)
        );
        assert_eq!(
            ok("States.ArrayLength(States.Array())", json!({})),
            json!(0)
        );
        assert_eq!(
            fails("States.ArrayLength($.o)", json!({"o": {"k": 1}})).cause,
            invalid("ArrayLength")
        );
        assert_eq!(
            fails("States.ArrayLength('not-array')", json!({})).cause,
            invalid("ArrayLength")
        );
    }

    #[test]
    fn array_unique_follows_java_hash_set_order() {
        let u = |arr: Value| ok("States.ArrayUnique($.a)", json!({ "a": arr }));
        // [facts §3.4 / docs example]
        assert_eq!(u(json!([1, 2, 3, 3, 3, 3, 3, 3, 4])), json!([1, 2, 3, 4]));
        // [aws-obs]
        assert_eq!(u(json!([1, 2, 3, 3, 3, 4])), json!([1, 2, 3, 4]));
        assert_eq!(u(json!(["a", "b", "a", "c", "b"])), json!(["a", "b", "c"]));
        assert_eq!(u(json!([])), json!([]));
        assert_eq!(u(json!([true, false, true, false])), json!([false, true]));
        assert_eq!(u(json!([null, null, 1, null])), json!([null, 1]));
        assert_eq!(u(json!([1, "1", "01"])), json!([1, "1", "01"]));
        assert_eq!(
            u(json!([{"a": 1, "b": 2}, {"b": 2, "a": 1}])),
            json!([{"a": 1, "b": 2}])
        );
        assert_eq!(u(json!([[1, 2], [1, 2], [2, 1]])), json!([[2, 1], [1, 2]]));
        assert_eq!(
            u(json!([{"nested": {"x": 1}}, {"nested": {"x": 1}}])),
            json!([{"nested": {"x": 1}}])
        );
        // Integers and doubles are different Java objects.
        assert_eq!(u(json!([1, 1.0])).as_array().unwrap().len(), 2);
        assert_eq!(
            fails("States.ArrayUnique('not-array')", json!({})).cause,
            invalid("ArrayUnique")
        );
    }

    #[test]
    fn array_unique_collisions_resize_small_tables() {
        // 0, 16, 32, ... all land in bucket 0 of a 16-bucket table; the 9th forces a resize to
        // 32 buckets, which splits them (expected orders printed by `new ArrayList<>(new
        // HashSet<>(list))` on JDK 17 and 25).
        let arr: Vec<Value> = (0..10).map(|i| json!(i * 16)).collect();
        let out = ok("States.ArrayUnique($.a)", json!({ "a": arr }));
        assert_eq!(out, json!([0, 32, 64, 96, 128, 16, 48, 80, 112, 144]));
        let mut mixed: Vec<Value> = (0..40).map(|i| json!(format!("k{}", i * 7))).collect();
        mixed.extend([json!(3000000000u64), json!(1.5), json!(-7)]);
        let out = ok("States.ArrayUnique($.a)", json!({ "a": mixed }));
        let mut text = String::new();
        java_to_string(&out, &mut text);
        assert_eq!(text, "[k91, k70, -7, k77, k98, k35, k56, k14, k161, 3000000000, k182, k140, k189, k266, k147, k224, k168, k245, k105, k126, k203, k0, k84, k42, k63, k21, k7, k28, k49, k196, k273, k154, k231, k175, k252, k112, k133, k210, 1.5, k259, k217, k238, k119]");
        // Large arrays keep every distinct element.
        let big: Vec<Value> = (0..3000).map(|i| json!(i % 1000)).collect();
        assert_eq!(
            ok("States.ArrayUnique($.a)", json!({ "a": big }))
                .as_array()
                .unwrap()
                .len(),
            1000
        );
    }
}
