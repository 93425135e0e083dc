//! The inspector over every AWS-recorded history in the conformance corpus: each state visit is
//! explained without error, and the data flow recomputed from the recorded values ends at the
//! output AWS recorded.

use serde_json::Value;
use sfnsim::playground::inspect;

#[test]
fn every_recorded_visit_is_explained_and_its_recomputed_output_matches_aws() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/aws-recorded.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("no corpus at {path}: skipped");
        return;
    };
    let (mut visits, mut errors, mut mismatches) = (0, Vec::new(), Vec::new());
    // Map and Parallel visits, and those whose results array was rebuilt from the history.
    let (mut containers, mut rebuilt) = (0, 0);
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let Some(events) = case["events"].as_array() else { continue };
        if case["kind"] != "execution" || case["expected_source"] != "history" {
            continue;
        }
        let definition = case["definition"].to_string();
        // The ARNs as the recordings rewrote them.
        let info = inspect::RunInfo {
            execution_arn: "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>".into(),
            state_machine_arn: "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>".into(),
            express: case["state_machine_type"] == "EXPRESS",
        };
        for (id, name) in inspect::visits(events) {
            visits += 1;
            match inspect::explain_run(&definition, events, id, &info) {
                Err(e) => errors.push(format!("{} #{id} {name}: {e}", case["id"])),
                Ok(v) => {
                    if matches!(v.kind, "Map" | "Parallel") {
                        containers += 1;
                        let results = v.steps.iter().find(|s| s.field.ends_with(" results"));
                        if results.is_some_and(|s| s.value.is_ok()) {
                            rebuilt += 1;
                        }
                    }
                    if let Some(got) = v.output_mismatch {
                        mismatches.push(format!("{} #{id} {name}: recomputed {got}, recorded {}", case["id"], v.output.unwrap_or_default()));
                    }
                }
            }
        }
    }
    println!("{visits} visits, {} errors, {} recomputed outputs differ", errors.len(), mismatches.len());
    println!("{containers} Map/Parallel visits, {rebuilt} with their results rebuilt from the history");
    for m in errors.iter().chain(&mismatches).take(60) {
        println!("  {m}");
    }
    assert!(visits > 800, "{visits}");
    assert!(errors.is_empty());
    // The rest: Distributed Maps (results in child executions), failed iterations or branches,
    // and recordings whose concurrent events lost their ids.
    assert!(rebuilt >= 42, "{rebuilt} of {containers} Map/Parallel results rebuilt");
    // What cannot match: times AWS recorded as "date" and values drawn at random (States.UUID,
    // States.MathRandom) that the recorder replaced with a placeholder.
    let explained = |m: &&String| m.contains("\"date\"") || m.contains("-time\"") || m.contains("Generated") || m.contains("generated-uuid");
    let unexplained: Vec<_> = mismatches.iter().filter(|m| !explained(m)).collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}

/// Scopes and state names over every AWS-recorded history: each iteration is owned by the Map
/// its MapIterationStarted names, a state's Entered and Exited events lie in the same scope, a
/// container's closing events lie where its Entered event lies, and every event but the
/// execution's own is named.
#[test]
fn scopes_and_state_names_hold_over_every_recorded_history() {
    use sfnsim::playground::inspect::scopes::{scopes_of, state_names};
    use std::collections::HashMap;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/aws-recorded.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("no corpus at {path}: skipped");
        return;
    };
    let (mut histories, mut scoped) = (0, 0);
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let Some(events) = case["events"].as_array() else { continue };
        // Some recordings of concurrent runs replaced the ids (their order is not stable).
        if case["kind"] != "execution" || !events.iter().all(|e| e["id"].is_i64()) {
            continue;
        }
        histories += 1;
        let (scopes, of) = scopes_of(events);
        scoped += scopes.len();
        let names = state_names(events);
        let mut open: HashMap<String, Vec<Option<usize>>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            let t = e["type"].as_str().unwrap_or("");
            let what = format!("{} event {} {t}", case["id"], e["id"]);
            if t.starts_with("Execution") {
                assert_eq!(names[i], None, "{what}");
                assert_eq!(of[i], None, "{what}");
                continue;
            }
            assert!(names[i].is_some(), "{what}");
            if t == "MapIterationStarted" {
                let sc = &scopes[of[i].unwrap()];
                assert_eq!(Some(sc.owner.as_str()), e["mapIterationStartedEventDetails"]["name"].as_str(), "{what}");
            }
            if let Some(n) = e["stateEnteredEventDetails"]["name"].as_str() {
                open.entry(n.to_string()).or_default().push(of[i]);
            }
            if let Some(n) = e["stateExitedEventDetails"]["name"].as_str() {
                let entered = open.get(n).and_then(|v| v.iter().position(|s| *s == of[i]));
                assert!(entered.is_some(), "{what}: no Entered of {n} in its scope {:?}", of[i]);
                open.get_mut(n).unwrap().remove(entered.unwrap());
            }
            if matches!(t, "MapStateSucceeded" | "MapStateFailed" | "ParallelStateSucceeded" | "ParallelStateFailed") {
                assert!(names[i].is_some(), "{what}");
                let container = names[i].clone().unwrap();
                assert!(open.get(&container).is_some_and(|v| v.contains(&of[i])), "{what}: {container} not open in {:?}", of[i]);
            }
        }
    }
    println!("{histories} histories, {scoped} scopes");
    assert!(scoped > 0);
}
