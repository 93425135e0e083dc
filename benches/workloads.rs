//! Definitions for the engine benchmarks (shared by the criterion bench and the wasm node harness).

use serde_json::{json, Value};

/// A Pass/Choice loop of `n` iterations counting with States.MathAdd: 2 transitions per iteration.
pub fn loop_definition(n: u64) -> Value {
    json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": n, "Next": "Done"}], "Default": "Inc"},
            "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    })
}

/// An inline Map over `n` items with a States.Format ItemSelector.
pub fn map_definition() -> Value {
    json!({
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"label.$": "States.Format('item {} of {}', $$.Map.Item.Value, $.name)"},
                "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
                "End": true
            }
        }
    })
}

pub fn map_input(n: usize) -> Value {
    json!({"name": "bench", "items": (0..n).collect::<Vec<_>>()})
}

/// A Parallel of `branches` branches, each a chain of `depth` Pass states.
pub fn parallel_definition(branches: usize, depth: usize) -> Value {
    let branch = |b: usize| {
        let mut states = serde_json::Map::new();
        for i in 0..depth {
            let mut s = json!({"Type": "Pass"});
            if i + 1 < depth {
                s["Next"] = json!(format!("B{b}S{}", i + 1));
            } else {
                s["End"] = json!(true);
            }
            states.insert(format!("B{b}S{i}"), s);
        }
        json!({"StartAt": format!("B{b}S0"), "States": states})
    };
    json!({
        "StartAt": "Fan",
        "States": {"Fan": {"Type": "Parallel", "Branches": (0..branches).map(branch).collect::<Vec<_>>(), "End": true}}
    })
}

/// A chain of `n` Pass states.
pub fn chain_definition(n: usize) -> Value {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let mut s = json!({"Type": "Pass"});
        if i + 1 < n {
            s["Next"] = json!(format!("S{}", i + 1));
        } else {
            s["End"] = json!(true);
        }
        states.insert(format!("S{i}"), s);
    }
    json!({"StartAt": "S0", "States": states})
}

/// A document of about `bytes` bytes.
pub fn document(bytes: usize) -> Value {
    let rows = bytes / 100;
    json!({"rows": (0..rows).map(|i| json!({"id": i, "name": format!("row number {i:>8}"), "tags": ["alpha", "beta", "gamma"], "ok": true})).collect::<Vec<_>>()})
}
