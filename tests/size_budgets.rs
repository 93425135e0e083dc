//! Runaway expressions end quickly, in AWS's error, with a cause that says a limit was hit: each
//! evaluator (JSONata, intrinsics, JSONPath filters, payload templates) charges what it builds
//! and walks against one size limit (`asl::meter`), so a short expression cannot take gigabytes.
//! Each case here took the CLI to gigabytes, or ran for many seconds, before the meter.

use serde_json::{json, Value};
use sfnsim::asl::validate::MachineType;
use sfnsim::engine::{Config, Execution, Status};
use sfnsim::service::load_definition;
use std::time::{Duration, Instant};

/// Unoptimised test builds are slow; the bound still catches a runaway (they took minutes).
const QUICK: Duration = Duration::from_secs(20);

/// Runs a one-state machine and returns (error, cause) of its failure, checking it ended quickly.
fn failure(def: Value, input: Value) -> (String, String) {
    let machine = load_definition(&def.to_string(), MachineType::Standard).expect("valid definition");
    let mut e = Execution::new(machine, &input.to_string(), input, Config::default());
    let started = Instant::now();
    e.run_to_quiescence();
    let took = started.elapsed();
    eprintln!("{took:?}");
    assert!(took < QUICK, "took {took:?}");
    assert_eq!(e.status(), Status::Failed, "{:?}", e.report().output);
    let f = e.failure().expect("a failure");
    (f.error.clone().unwrap_or_default(), f.cause.clone().unwrap_or_default())
}

fn jsonata(expr: &str) -> (String, String) {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Q", "States": {
        "Q": {"Type": "Pass", "Output": format!("{{% {expr} %}}"), "End": true}}});
    failure(def, json!({}))
}

fn jsonpath_parameters(parameters: Value, input: Value) -> (String, String) {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": parameters, "End": true}}});
    failure(def, input)
}

/// The JSONata form: States.QueryEvaluationError, the expression named, the limit said.
fn assert_jsonata_limit((error, cause): (String, String)) {
    assert_eq!(error, "States.QueryEvaluationError", "{cause}");
    assert!(cause.contains("threw an error during evaluation"), "{cause}");
    assert!(cause.contains("U1001: The evaluation exceeded its size limit"), "{cause}");
}

#[test]
fn array_doubling_ends_in_the_size_limit() {
    // Nested: forty levels that share one array; the result would have 2^40 leaves.
    assert_jsonata_limit(jsonata("$reduce([1..40], function($a, $i) { [$a, $a] }, [1])"));
    // Flat: every step copies the array (2^40 items at the end).
    assert_jsonata_limit(jsonata("$reduce([1..40], function($a, $i) { $append($a, $a) }, [1])"));
    // The same through an array constructor that flattens its items.
    assert_jsonata_limit(jsonata("($a := [1,2]; $d := function($x, $n) { $n = 0 ? $x : $d([$x[], $x[]], $n - 1) }; $count($d($a, 40)))"));
}

#[test]
fn object_doubling_ends_in_the_size_limit() {
    assert_jsonata_limit(jsonata("$reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {})"));
    // Compared, not built: the equality walks both shared trees whole.
    assert_jsonata_limit(jsonata("($d := function() { $reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {}) }; $d() = $d())"));
    // Printed: $string walks it.
    assert_jsonata_limit(jsonata("($o := $reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {}); $length($string($o)))"));
}

#[test]
fn string_doubling_ends_in_the_size_limit() {
    assert_jsonata_limit(jsonata("$length($reduce([1..40], function($s, $i) { $s & $s }, 'ab'))"));
    assert_jsonata_limit(jsonata("$length($reduce([1..40], function($s, $i) { $join([$s, $s]) }, 'ab'))"));
    // One string repeated: small to build, huge to join.
    assert_jsonata_limit(jsonata("($s := $pad('', 1000000, 'x'); $length($join([1..1000].($s))))"));
    assert_jsonata_limit(jsonata("$length($replace($pad('', 100000, 'a'), 'a', $pad('', 10000, 'b')))"));
}

#[test]
fn a_huge_range_is_refused() {
    // AWS's $range gives at most 1000 numbers.
    let (error, cause) = jsonata("$count($range(0, 1000000000))");
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("D3150") && cause.contains("at most 1000"), "{cause}");
    // The range operator allows 1e7 items (JSONata's D2014) ...
    let (_, cause) = jsonata("$count([1..100000000])");
    assert!(cause.contains("D2014"), "{cause}");
    // ... and many such ranges run into the size limit.
    assert_jsonata_limit(jsonata("$count([1..5].[1..9999999])"));
}

#[test]
fn deep_nesting_is_a_depth_error_not_a_stack_overflow() {
    let (error, cause) = jsonata("($f := function($n) { $n = 0 ? [] : [$f($n - 1)] }; $f(100000))");
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("U1001") && cause.contains("Stack overflow"), "{cause}");
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Q", "States": {
        "Q": {"Type": "Pass", "Output": format!("{{% {deep} %}}"), "End": true}}});
    // Refused with a clear error, at load or when the state runs, never a crash.
    if let Ok(machine) = load_definition(&def.to_string(), MachineType::Standard) {
        let mut e = Execution::new(machine, "{}", json!({}), Config::default());
        e.run_to_quiescence();
        assert_eq!(e.status(), Status::Failed);
    }
}

#[test]
fn intrinsic_array_range_huge_is_refused() {
    let (error, cause) = jsonpath_parameters(json!({"r.$": "States.ArrayRange(0, 1000000000, 1)"}), json!({}));
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("States.ArrayRange"), "{cause}");
}

#[test]
fn intrinsic_string_split_huge_ends_in_the_size_limit() {
    // A 100 KB string, formatted 3,000 times into one, then split into single characters.
    let input = json!({"s": "a,".repeat(50_000)});
    let format = format!("States.Format('{}', {})", "{}".repeat(3000), vec!["$.s"; 3000].join(", "));
    let (error, cause) = jsonpath_parameters(json!({"r.$": format!("States.StringSplit({format}, ',')")}), input.clone());
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("States.Format: The evaluation exceeded its size limit"), "{cause}");
    // Splitting alone: each piece is charged before it is built.
    let (error, cause) = jsonpath_parameters(json!({"r.$": "States.Array(States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','), States.StringSplit($.s, ','))"}), input);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("The evaluation exceeded its size limit"), "{cause}");
}

#[test]
fn a_template_copying_its_input_many_times_ends_in_the_size_limit() {
    let input = json!({"rows": vec!["x".repeat(100); 1000]});
    let mut params = serde_json::Map::new();
    for i in 0..3000 {
        params.insert(format!("f{i}.$"), json!("$"));
    }
    let (error, cause) = jsonpath_parameters(Value::Object(params), input);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("The evaluation exceeded its size limit") && cause.contains("the field 'f"), "{cause}");
}

#[test]
fn a_jsonpath_filter_over_every_node_ends_in_the_size_limit() {
    // For every node, `$..*` copies every node below the root: quadratic in the document.
    let input = json!({"rows": (0..3000).map(|i| json!({"id": i, "tags": ["a", "b"]})).collect::<Vec<_>>()});
    let (error, cause) = jsonpath_parameters(json!({"r.$": "$..[?($..*)]"}), input);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("The evaluation exceeded its size limit"), "{cause}");
}

#[test]
fn ordinary_expressions_are_not_limited() {
    // A 10,000-item document through paths, a filter, an object constructor and $string.
    let input = json!({"rows": (0..10_000).map(|i| json!({"id": i, "name": format!("row {i}"), "ok": i % 3 == 0})).collect::<Vec<_>>()});
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Q", "States": {"Q": {"Type": "Pass",
        "Output": "{% ($r := $states.input.rows; {'n': $count($r[ok]), 'names': $length($join($r.name, ',')), 'text': $length($string($r)), 'by': $count($keys($r{$string(id % 10): name}))}) %}",
        "End": true}}});
    let machine = load_definition(&def.to_string(), MachineType::Standard).expect("valid");
    let mut e = Execution::new(machine, "{}", input, Config::default());
    e.run_to_quiescence();
    assert_eq!(e.status(), Status::Succeeded, "{:?}", e.failure());
    let out = e.report().output.unwrap_or(Value::Null);
    assert_eq!(out["n"], json!(3334));
    assert_eq!(out["by"], json!(10));
}

#[test]
fn the_step_budget_ends_endless_loops_quickly() {
    for expr in ["($inf := function() { $inf() }; $inf())", "($f := function($n) { $f($n + 1) }; $f(0))"] {
        let (error, cause) = jsonata(expr);
        assert_eq!(error, "States.QueryEvaluationError");
        assert!(cause.contains("U1001") && cause.contains("too many steps"), "{cause}");
    }
}
