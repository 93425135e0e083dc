//! Deep but legal definitions: Parallel states nested past serde_json's default 128 levels of
//! JSON are accepted, validated and run, up to definition_json::MAX_DEPTH levels; deeper is refused
//! with a Jackson-worded InvalidDefinition, never a stack overflow.

use serde_json::{json, Value};
use sfnsim::asl::definition_json::MAX_DEPTH;
use sfnsim::asl::validate::{self, MachineType};
use sfnsim::service::{load_definition, Service, ServiceConfig};

/// Parallel states nested `levels` deep, a Pass at the bottom: 4 levels of JSON per Parallel, plus 2.
fn nested_parallels(levels: usize) -> String {
    let mut state = json!({"Type": "Pass", "Result": "bottom", "End": true});
    for i in 0..levels {
        state = json!({
            "Type": "Parallel",
            "End": true,
            "Branches": [{"StartAt": format!("L{i}"), "States": {format!("L{i}"): state}}],
        });
    }
    json!({"StartAt": "Top", "States": {"Top": state}}).to_string()
}

/// Runs `f` on a thread with an explicit stack (a debug build's frames are several times a
/// release build's).
fn on_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(32 << 20).spawn(f).unwrap().join().unwrap()
}

/// CreateStateMachine, StartExecution, run to the end, DescribeExecution.
fn create_and_run(definition: String) -> Result<Value, String> {
    let mut s = Service::new(ServiceConfig::default());
    let role = "arn:aws:iam::123456789012:role/R";
    let sm = s
        .call("CreateStateMachine", &json!({"name": "deep", "definition": definition, "roleArn": role}))
        .map_err(|e| e.to_string())?;
    let ex = s.call("StartExecution", &json!({"stateMachineArn": sm["stateMachineArn"]})).unwrap();
    s.run_to_quiescence(i64::MAX / 2);
    Ok(s.call("DescribeExecution", &json!({"executionArn": ex["executionArn"]})).unwrap())
}

#[test]
fn parallels_nested_32_deep_are_accepted_and_run() {
    let definition = nested_parallels(32);
    assert!(serde_json::from_str::<Value>(&definition).is_err(), "past serde_json's own limit");
    let diags = on_stack({
        let d = definition.clone();
        move || validate::validate_text(&d, MachineType::Standard)
    });
    assert_eq!(diags, vec![]);
    let done = on_stack(move || create_and_run(definition)).unwrap();
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"], json!(format!("{}\"bottom\"{}", "[".repeat(32), "]".repeat(32))).as_str().unwrap());
}

#[test]
fn the_deepest_legal_nesting_loads_and_runs() {
    let levels = (MAX_DEPTH - 2) / 4;
    let done = on_stack(move || create_and_run(nested_parallels(levels))).unwrap();
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
}

#[test]
fn one_level_deeper_is_refused_in_jacksons_words() {
    let definition = nested_parallels((MAX_DEPTH - 2) / 4 + 1);
    let e = on_stack(move || load_definition(&definition, MachineType::Standard).unwrap_err());
    assert_eq!(e.code, "InvalidDefinition");
    assert!(
        e.message.contains(&format!("INVALID_JSON_DESCRIPTION: Document nesting depth ({}) exceeds the maximum allowed ({MAX_DEPTH}", MAX_DEPTH + 1)),
        "{}",
        e.message
    );
}

#[test]
fn parallels_nested_32_deep_are_drawn() {
    // The page, the embeds and `sfnsim render` draw through playground::diagram, which parses
    // the text with definition_json as everything else does (serde_json alone refused it).
    let scene = on_stack(|| sfnsim::playground::diagram::scene(&nested_parallels(32)).map_err(|e| e.message));
    let scene = scene.expect("drawn");
    assert_eq!(scene.frames.len(), 32, "a frame per Parallel");
    assert!(scene.nodes.iter().any(|n| n.name == "L31"), "the innermost state is drawn");
}
