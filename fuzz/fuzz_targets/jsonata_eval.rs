//! JSONata: any text as an expression, evaluated over a small document with a small budget,
//! must give a value, undefined or an error — never a panic, a hang or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::asl::jsonata_eval::{Budget, Env, Expression};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = serde_json::json!({
        "a": [1, 2, {"b": "x", "c": [true, null, 3.5]}],
        "s": "Hello, World", "n": -42.25, "o": {"k": {"l": [1, [2, [3]]]}}
    });
    let none = |name: &str| if name == "v" { Some(serde_json::json!([3, 1, 2])) } else { None };
    let mut seed = 1u64;
    let mut random = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed
    };
    let mut env = Env { bindings: &none, now_ms: 1_700_000_000_000, random: &mut random, budget: Budget { max_steps: 20_000, max_depth: 60, max_bytes: 16 << 20 } };
    if let Ok(e) = Expression::parse(text) {
        let _ = e.evaluate(Some(&doc), &mut env);
    }
});
