//! The size budget every evaluator shares: JSONata, the intrinsic functions, JSONPath (filters
//! included) and payload templates charge what they build, and what they walk, in approximate
//! bytes. One evaluation may spend [`LIMIT`]; past it, the evaluator stops with an error that says a
//! limit was hit. Step counts alone do not bound memory: `$a := [$a, $a]` forty times is forty
//! steps and a trillion values.
//!
//! The meter lives in a thread-local so that any helper (a deep equality, a JSON rendering) can be
//! charged without threading a context through it. Helpers that cannot return an error call
//! [`spend`] and stop early; the evaluator checks [`exhausted`] at its next step and before it
//! returns, so an early-stopped result never escapes.
//!
//! The engine is single-threaded; an evaluation is metered by [`metered`]. Charges made outside
//! one (a validator, a test calling a helper directly) are free.

use serde_json::Value;
use std::cell::Cell;

/// What one evaluation may build or walk: 256 MiB. It bounds its memory and, since every unit
/// is a byte copied or a node visited, its time (well under 2 s natively).
pub const LIMIT: u64 = 256 << 20;

/// The cost of one value slot (an array item, a JSON node copied).
pub const SLOT: u64 = 32;
/// The cost of one object entry besides its key's bytes.
pub const ENTRY: u64 = 64;

/// The cause every evaluator reports when the limit is hit.
pub const EXCEEDED: &str = "The evaluation exceeded its size limit: the values it built or walked passed 256 MiB";

thread_local! {
    /// Units left in the open evaluation; `None` when no evaluation is metered.
    static LEFT: Cell<Option<u64>> = const { Cell::new(None) };
    /// Set once the open evaluation went past its limit.
    static OVER: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` as one metered evaluation with `limit` units. Nested calls (a template calling an
/// intrinsic calling a path) share the outermost allowance.
pub fn metered<T>(limit: u64, f: impl FnOnce() -> T) -> T {
    if LEFT.with(Cell::get).is_some() {
        return f();
    }
    LEFT.with(|l| l.set(Some(limit)));
    OVER.with(|o| o.set(false));
    // Closes the allowance even if `f` unwinds, so a later evaluation starts fresh.
    struct Close;
    impl Drop for Close {
        fn drop(&mut self) {
            LEFT.with(|l| l.set(None));
            OVER.with(|o| o.set(false));
        }
    }
    let _close = Close;
    f()
}

/// Charges `units`; false once the open evaluation is over its limit (and from then on).
#[inline]
pub fn spend(units: u64) -> bool {
    LEFT.with(|l| match l.get() {
        None => true,
        Some(left) if left >= units => {
            l.set(Some(left - units));
            true
        }
        Some(_) => {
            l.set(Some(0));
            OVER.with(|o| o.set(true));
            false
        }
    })
}

/// Whether the open evaluation went over its limit.
#[inline]
pub fn exhausted() -> bool {
    OVER.with(Cell::get)
}

/// Charges `n` value slots.
#[inline]
pub fn spend_slots(n: usize) -> bool {
    spend((n as u64).saturating_mul(SLOT))
}

/// Charges a JSON value by its size, walking it; the walk stops as soon as the limit is passed,
/// so charging a huge value costs no more than the allowance left.
pub fn spend_json(v: &Value) -> bool {
    if LEFT.with(Cell::get).is_none() {
        return true;
    }
    fn walk(v: &Value) -> bool {
        match v {
            Value::String(s) => spend(SLOT + s.len() as u64),
            Value::Array(a) => spend(SLOT) && a.iter().all(walk),
            Value::Object(m) => spend(SLOT) && m.iter().all(|(k, x)| spend(ENTRY + k.len() as u64) && walk(x)),
            _ => spend(SLOT),
        }
    }
    walk(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn left() -> u64 {
        LEFT.with(Cell::get).unwrap_or(0)
    }

    #[test]
    fn charges_stop_at_the_limit_and_stay_stopped() {
        metered(100, || {
            assert!(spend(60));
            assert!(!exhausted());
            assert!(!spend(41));
            assert!(exhausted());
            assert!(!spend(1), "once over, every charge fails");
        });
        // The next evaluation starts with a fresh allowance.
        metered(100, || {
            assert!(!exhausted());
            assert!(spend(100));
        });
    }

    #[test]
    fn nested_evaluations_share_the_outer_allowance() {
        metered(100, || {
            assert!(spend(80));
            metered(1_000, || assert!(!spend(30)));
            assert!(exhausted());
        });
    }

    #[test]
    fn charges_outside_an_evaluation_are_free() {
        assert!(spend(u64::MAX));
        assert!(!exhausted());
    }

    #[test]
    fn json_values_are_charged_by_size() {
        let small = json!({"a": [1, 2, "xyz"]});
        metered(10_000, || {
            assert!(spend_json(&small));
            // object + entry "a" + array + 3 items (one a 3-byte string).
            assert_eq!(10_000 - left(), SLOT + ENTRY + 1 + SLOT + 3 * SLOT + 3);
        });
        let big = json!(vec!["x".repeat(1000); 1000]);
        metered(10_000, || assert!(!spend_json(&big)));
    }
}
