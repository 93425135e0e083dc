//! Math: States.MathRandom (java.util.Random's draw) and States.MathAdd (Java's `Math.round`
//! and int arithmetic).

use super::java::java_int_truncated;
use super::{arg, Call, Env, IntrinsicError};
use serde_json::{Number, Value};

impl Call {
    /// States.MathRandom: an int in [start, end). Bounds truncated toward zero and start < end
    /// required [aws-obs: (1.6, 5.4) can give 1; (1, 1), (10, 5), (1.4, 1.6) fail]; floats are
    /// accepted [rec intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_random#exec_hist_resp_0].
    /// The draw is `new java.util.Random(seed).nextInt(end - start) + start` [guess], so a seeded
    /// call depends on the seed alone; without a seed the seed comes from `env.random_u64()`.
    pub(super) fn math_random(
        &self,
        a: &[Value],
        env: &mut dyn Env,
    ) -> Result<Value, IntrinsicError> {
        let start = java_int_truncated(arg(a, 0)).ok_or_else(|| self.invalid())?;
        let end = java_int_truncated(arg(a, 1)).ok_or_else(|| self.invalid())?;
        let seed = match a.get(2) {
            Some(Value::Number(n)) => number_as_java_long(n).ok_or_else(|| self.invalid())?,
            Some(_) => return Err(self.invalid()),
            None => env.random_u64() as i64,
        };
        if start >= end {
            return Err(self.invalid());
        }
        let bound = i32::try_from(end - start).map_err(|_| self.invalid())?;
        let r = JavaRandom::new(seed).next_int(bound);
        Ok(Value::from(start + i64::from(r)))
    }

    /// States.MathAdd: each argument rounded like Java's `Math.round` (half up: 1.5→2, 2.5→3,
    /// −0.5→0, −1.5→−1, −2.5→−2) [rec intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add#exec_hist_resp_14,
    /// #exec_hist_resp_17, #exec_hist_resp_10, #exec_hist_resp_19], then added as Java ints:
    /// operands and sum must fit in 32 bits [aws-obs]; numbers only [aws-obs].
    pub(super) fn math_add(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let x = java_round_int(arg(a, 0)).ok_or_else(|| self.invalid())?;
        let y = java_round_int(arg(a, 1)).ok_or_else(|| self.invalid())?;
        x.checked_add(y)
            .map(Value::from)
            .ok_or_else(|| self.invalid())
    }
}

/// `Math.round` of the number as a Java int (half up), None outside the 32-bit range.
fn java_round_int(v: &Value) -> Option<i32> {
    let Value::Number(n) = v else { return None };
    if let Some(i) = n.as_i64() {
        return i32::try_from(i).ok();
    }
    let f = n.as_f64()?;
    if !f.is_finite() {
        return None;
    }
    let floor = f.floor();
    let r = if f - floor >= 0.5 { floor + 1.0 } else { floor };
    if r < i32::MIN as f64 || r > i32::MAX as f64 {
        return None;
    }
    Some(r as i32)
}

/// A seed as a Java long (floats truncated, saturating) [guess].
fn number_as_java_long(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        Some(i)
    } else if let Some(u) = n.as_u64() {
        Some(u as i64)
    } else {
        let f = n.as_f64()?;
        if f.is_nan() {
            return None;
        }
        Some(f as i64)
    }
}

/// java.util.Random (48-bit LCG), enough for `nextInt(bound)`.
struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> Self {
        JavaRandom {
            seed: ((seed as u64) ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB) & Self::MASK;
        (self.seed >> (48 - bits)) as u32 as i32
    }

    /// `bound` must be positive.
    fn next_int(&mut self, bound: i32) -> i32 {
        let mut r = self.next(31);
        let m = bound.wrapping_sub(1);
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        // Java loops until the draw is unbiased; the cap only guards against a broken bound.
        for _ in 0..10_000 {
            r = u.checked_rem(bound).unwrap_or(0);
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                break;
            }
            u = self.next(31);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::{fails, invalid, ok, TestEnv};
    use serde_json::json;

    #[test]
    fn math_add_rounds_half_up() {
        // [rec intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_add#exec_hist_resp_*]
        let t = "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)";
        for (a, b, sum) in [
            (json!(-9), json!(3), -6),
            (json!(1.49), json!(1.5), 3),
            (json!(1.5), json!(1.51), 4),
            (json!(1.49), json!(0), 1),
            (json!(1.49), json!(-1.49), 0),
            (json!(1.5), json!(0), 2),
            (json!(-1.5), json!(0), -1),
            (json!(-1.51), json!(0), -2),
            (json!(0.5), json!(0), 1),
            (json!(2.5), json!(0), 3),
            (json!(3.5), json!(0), 4),
            (json!(-0.5), json!(0.5), 1),
            (json!(-0.5), json!(0), 0),
            (json!(-2.5), json!(0), -2),
            (json!(-3.5), json!(0), -3),
            (json!(0.49999999999999994), json!(0), 0),
        ] {
            let v = ok(
                t,
                json!({"FunctionInput": {"fst": a.clone(), "snd": b.clone()}}),
            );
            assert_eq!(v, json!(sum), "{a} + {b}");
            assert!(v.is_i64(), "integer output");
        }
        // [rec assign/...test_reference_assign[BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE]]: 9+44+6+4.3 → 63
        assert_eq!(
            ok(
                "States.MathAdd(States.MathAdd(States.MathAdd(44, 9), 6), 4.3)",
                json!({})
            ),
            json!(63)
        );
        // 32-bit ints [aws-obs]
        assert_eq!(
            ok("States.MathAdd(2147483646, 1)", json!({})),
            json!(2147483647)
        );
        assert_eq!(
            ok("States.MathAdd(-2147483647, -1)", json!({})),
            json!(-2147483648i64)
        );
        for bad in [
            "States.MathAdd(2147483647, 1)",
            "States.MathAdd(-2147483648, -1)",
            "States.MathAdd(3000000000, 1)",
            "States.MathAdd('a', 1)",
            "States.MathAdd(null, 1)",
            "States.MathAdd(true, 1)",
            "States.MathAdd('1', 2)",
        ] {
            assert_eq!(fails(bad, json!({})).cause, invalid("MathAdd"), "{bad}");
        }
    }

    #[test]
    fn math_random() {
        // [rec intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_random#exec_hist_resp_0 and #2]: value replaced by the recorder.
        let t = "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)";
        for _ in 0..5 {
            let v = ok(t, json!({"FunctionInput": {"fst": 12.5, "snd": 44.51}}))
                .as_i64()
                .unwrap();
            assert!((12..44).contains(&v), "{v}");
            let v = ok(t, json!({"FunctionInput": {"fst": -99999, "snd": -9999}}))
                .as_i64()
                .unwrap();
            assert!((-99999..-9999).contains(&v), "{v}");
        }
        // [rec ...test_math_random_seeded]: deterministic from the seed alone.
        let seeded =
            "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)";
        let input = json!({"FunctionInput": {"fst": 0, "snd": 999, "trd": 3}});
        let a = parse(seeded)
            .unwrap()
            .eval(&mut TestEnv::new(input.clone()))
            .unwrap();
        let mut other = TestEnv::new(input);
        other.rng = 99;
        let b = parse(seeded).unwrap().eval(&mut other).unwrap();
        assert_eq!(a, b);
        // java.util.Random, values printed by a JDK: new Random(3).nextInt(999) == 239,
        // new Random(42).nextInt(100) == 30, new Random(-10).nextInt(9) == 0,
        // new Random(7).nextInt(1000000) == 164236, new Random(123456789).nextInt(64) == 42.
        assert_eq!(a, json!(239));
        assert_eq!(ok("States.MathRandom(0, 100, 42)", json!({})), json!(30));
        assert_eq!(ok("States.MathRandom(1, 10, -10)", json!({})), json!(1));
        assert_eq!(
            ok("States.MathRandom(0, 1000000, 7)", json!({})),
            json!(164236)
        );
        assert_eq!(
            ok("States.MathRandom(0, 64, 123456789)", json!({})),
            json!(42)
        );
        assert_eq!(
            ok("States.MathRandom(1, 1000, 1)", json!({})),
            ok("States.MathRandom(1, 1000, 1)", json!({}))
        );
        // Truncated bounds, start < end [aws-obs].
        for _ in 0..20 {
            let v = ok("States.MathRandom(1.6, 5.4)", json!({}))
                .as_i64()
                .unwrap();
            assert!((1..5).contains(&v));
        }
        for bad in [
            "States.MathRandom(1, 1)",
            "States.MathRandom(10, 5)",
            "States.MathRandom(1.4, 1.6)",
            "States.MathRandom('a', 10)",
            "States.MathRandom(1, 10, 'seed')",
            "States.MathRandom(1, 10, null)",
        ] {
            assert_eq!(fails(bad, json!({})).cause, invalid("MathRandom"), "{bad}");
        }
    }
}
