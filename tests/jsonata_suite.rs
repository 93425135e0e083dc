//! The official JSONata test suite (../shared/jsonata-test-suite) against sfnsim's evaluator:
//! prints the pass rate overall and per group, and keeps a ratchet (tests/jsonata.ratchet): a
//! listed case that fails fails the test; UPDATE_RATCHET=1 rewrites the list. A panic in any case
//! fails the test (a panic in the page kills it).

use serde_json::Value;
use sfnsim::asl::jsonata_eval::{Budget, Env, Expression};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/jsonata-test-suite")
}

/// Groups for functions AWS disables in Step Functions, reported apart.
const AWS_DISABLED: &[&str] = &["function-eval"];

fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || ((x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| numbers_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| numbers_equal(v, w))),
        _ => a == b,
    }
}

fn unordered_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| numbers_equal(p, q)))
        }
        _ => numbers_equal(a, b),
    }
}

enum Outcome {
    Pass,
    Fail(String),
}

fn run_case(case: &Value, group_dir: &Path) -> Outcome {
    let expr = match (case.get("expr"), case.get("expr-file")) {
        (Some(Value::String(e)), _) => e.clone(),
        (_, Some(Value::String(f))) => match std::fs::read_to_string(group_dir.join(f)) {
            Ok(t) => t,
            Err(e) => return Outcome::Fail(format!("expr-file: {e}")),
        },
        _ => return Outcome::Fail("no expr".into()),
    };
    let data: Option<Value> = match (case.get("data"), case.get("dataset")) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(Value::String(ds))) => std::fs::read_to_string(suite_dir().join("datasets").join(format!("{ds}.json")))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok()),
        _ => None,
    };
    let bindings = case.get("bindings").cloned().unwrap_or(Value::Null);
    let lookup = |name: &str| bindings.get(name).cloned();
    let mut seed = 12345u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut budget = Budget::default();
    if let Some(d) = case.get("depth").and_then(Value::as_u64) {
        budget.max_depth = budget.max_depth.min(d as u32 * 2);
    }
    let mut env = Env { bindings: &lookup, now_ms: 1_735_689_600_000, random: &mut random, budget };
    let result = Expression::parse(&expr).and_then(|e| e.evaluate(data.as_ref(), &mut env));
    let code = case.get("code").or_else(|| case.get("error").and_then(|e| e.get("code"))).and_then(Value::as_str);
    if let Some(code) = code {
        return match result {
            Err(e) if e.code == code => Outcome::Pass,
            Err(e) => Outcome::Fail(format!("error {} ({}), want {code}", e.code, e.message)),
            Ok(v) => Outcome::Fail(format!("got {v:?}, want error {code}")),
        };
    }
    if case.get("undefinedResult") == Some(&Value::Bool(true)) {
        return match result {
            Ok(None) => Outcome::Pass,
            other => Outcome::Fail(format!("got {other:?}, want undefined")),
        };
    }
    let Some(want) = case.get("result") else {
        return Outcome::Fail("no expectation".into());
    };
    let unordered = case.get("unordered") == Some(&Value::Bool(true));
    match result {
        Ok(Some(got)) if (unordered && unordered_equal(&got, want)) || numbers_equal(&got, want) => Outcome::Pass,
        other => Outcome::Fail(format!("got {other:?}, want {want}")),
    }
}

#[test]
fn official_jsonata_suite() {
    let dir = suite_dir().join("groups");
    let Ok(groups) = std::fs::read_dir(&dir) else {
        assert!(std::env::var("CI").is_err(), "the JSONata suite is missing at {}", dir.display());
        eprintln!("JSONata suite not found at {}: skipped", dir.display());
        return;
    };
    let mut groups: Vec<PathBuf> = groups.filter_map(|e| e.ok().map(|e| e.path())).collect();
    groups.sort();
    let mut per_group: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut passing = Vec::new();
    let mut failures = Vec::new();
    for g in groups {
        let gname = g.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&g).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else { continue };
            let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
            let cases = match v {
                Value::Array(a) => a,
                other => vec![other],
            };
            for (i, case) in cases.iter().enumerate() {
                let id = format!("{gname}/{}#{i}", f.file_stem().unwrap().to_string_lossy());
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(case, &g)))
                    .unwrap_or_else(|_| Outcome::Fail("PANIC".into()));
                let e = per_group.entry(gname.clone()).or_default();
                e.1 += 1;
                match outcome {
                    Outcome::Pass => {
                        e.0 += 1;
                        passing.push(id);
                    }
                    Outcome::Fail(why) => failures.push((id, why)),
                }
            }
        }
    }
    let (mut p, mut t, mut pd, mut td) = (0, 0, 0, 0);
    println!("JSONata suite, per group (passed/total):");
    for (g, (gp, gt)) in &per_group {
        println!("  {g:40} {gp:4}/{gt:<4} {:5.1}%", 100.0 * *gp as f64 / *gt as f64);
        if AWS_DISABLED.contains(&g.as_str()) {
            pd += gp;
            td += gt;
        } else {
            p += gp;
            t += gt;
        }
    }
    println!("overall (without groups AWS disables): {p}/{t} = {:.1}%; disabled groups: {pd}/{td}", 100.0 * p as f64 / t as f64);
    let panics: Vec<&(String, String)> = failures.iter().filter(|(_, w)| w == "PANIC").collect();
    if std::env::var("VERBOSE").is_ok() {
        for (id, why) in &failures {
            println!("FAIL {id}: {}", why.chars().take(200).collect::<String>());
        }
    }
    assert!(panics.is_empty(), "cases that panic: {:?}", panics.iter().map(|(i, _)| i).collect::<Vec<_>>());
    let ratchet = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jsonata.ratchet");
    if std::env::var("UPDATE_RATCHET").is_ok() {
        std::fs::write(&ratchet, passing.join("\n") + "\n").unwrap();
        return;
    }
    let listed = std::fs::read_to_string(&ratchet).unwrap_or_default();
    let regressions: Vec<&str> = listed.lines().filter(|l| !l.is_empty() && !passing.iter().any(|p| p == l)).collect();
    assert!(regressions.is_empty(), "cases that passed before and fail now: {regressions:?}");
}
