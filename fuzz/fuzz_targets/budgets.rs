//! The size and step budgets hold: any JSONata expression, and any intrinsic call, run through a
//! real state with the engine's own limits, ends (in a value or an error) within libFuzzer's
//! `-timeout` and `-rss_limit_mb` (`make fuzz` runs it with 5 s and 2048 MB). The first byte picks
//! the evaluator; the rest is the expression.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfnsim::asl::validate::MachineType;
use sfnsim::engine::{Config, Execution};
use sfnsim::service::load_definition;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let state = if pick % 2 == 0 {
        json!({"QueryLanguage": "JSONata", "Type": "Pass", "Output": format!("{{% {text} %}}"), "End": true})
    } else {
        json!({"Type": "Pass", "Parameters": {"r.$": text}, "End": true})
    };
    let def = json!({"StartAt": "S", "States": {"S": state}}).to_string();
    let Ok(machine) = load_definition(&def, MachineType::Standard) else { return };
    let input = json!({
        "a": [1, 2, {"b": "x", "c": [true, null, 3.5]}], "s": "Hello, World", "n": -42.25,
        "o": {"k": {"l": [1, [2, [3]]]}}, "big": "ab,".repeat(1000)
    });
    let mut exec = Execution::new(machine, &input.to_string(), input, Config::default());
    exec.run_to_quiescence();
});
