//! `sfnsim test-state`, run as a child process.

use serde_json::{json, Value};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfnsim"))
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("test-state-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> (i32, Value, String) {
    let out = bin().arg("test-state").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, String::from_utf8_lossy(&out.stderr).to_string())
}

#[test]
fn a_state_inside_a_definition_with_a_mock_result_and_debug() {
    let def = write_temp(
        "machine.json",
        r#"{"StartAt":"Get","States":{
            "Get":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                   "Parameters":{"FunctionName":"f","Payload.$":"$"},
                   "ResultSelector":{"v.$":"$.Payload.v"},"ResultPath":"$.got","Next":"Done"},
            "Done":{"Type":"Succeed"}}}"#,
    );
    let path = def.to_str().unwrap();
    let (code, resp, err) = run(&[
        path, "--state", "Get", "--input", r#"{"id":7}"#,
        "--mock-result", r#"{"Payload":{"v":42}}"#, "--inspection-level", "DEBUG",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(resp["status"], "SUCCEEDED");
    assert_eq!(resp["nextState"], "Done");
    let output: Value = serde_json::from_str(resp["output"].as_str().unwrap()).unwrap();
    assert_eq!(output, json!({"id": 7, "got": {"v": 42}}));
    assert_eq!(resp["inspectionData"]["afterResultSelector"], r#"{"v":42}"#);
}

#[test]
fn a_mocked_error_that_nothing_handles_fails_with_exit_1() {
    let def = write_temp("task.json", r#"{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}"#);
    let (code, resp, _) = run(&[def.to_str().unwrap(), "--mock-error", "Oops", "--mock-cause", "it broke"]);
    assert_eq!(code, 1);
    assert_eq!(resp, json!({"status": "FAILED", "error": "Oops", "cause": "it broke"}));
}

#[test]
fn a_request_aws_refuses_is_an_error_with_exit_2() {
    let def = write_temp("pass.json", r#"{"Type":"Pass","End":true}"#);
    let (code, _, err) = run(&[def.to_str().unwrap(), "--mock-result", "{}"]);
    assert_eq!(code, 2);
    assert!(err.contains("ValidationException: State type 'Pass' is not supported when a mock is specified"), "{err}");
}
