//! `sfnsim lesson check` and `sfnsim lesson list`, run as a child process: a learner's definition
//! from a file or a share link, the lesson's own solution, and the exit codes (0 all pass, 1 a
//! check fails, 2 a malformed lesson or an invalid definition).

use sfnsim::playground::share;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfnsim"))
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lesson-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

const RETRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/lessons/06-retry.md");

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let Output { status, stdout, stderr } = bin().args(args).output().unwrap();
    (status.code(), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// A learner's definition: Retry on every error, once, with no back-off.
const TOO_FEW_RETRIES: &str = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge-card", "Payload.$": "$"},
  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}], "End": true}}}"#;

#[test]
fn the_solution_passes_with_exit_0() {
    let (code, out, err) = run(&["lesson", "check", RETRY, "--solution"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("retry: Retry a flaky call\n"), "{out}");
    assert!(out.contains("PASS `Charge` is attempted at most 3 times: `Charge` was tried 3 times (2 retries)"), "{out}");
    assert!(out.ends_with("5 of 5 checks pass\n"), "{out}");
    // A built-in lesson by its id.
    assert_eq!(run(&["lesson", "check", "retry", "--solution"]).0, Some(0));
}

#[test]
fn a_failing_definition_prints_the_why_and_the_message_with_exit_1() {
    let def = write_temp("few.json", TOO_FEW_RETRIES);
    let (code, out, err) = run(&["lesson", "check", RETRY, "--definition", def.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("FAIL status is SUCCEEDED: expected SUCCEEDED, the execution FAILED in `Charge`"), "{out}");
    assert!(out.contains("`Charge` was tried twice (1 retry): its Retry on States.ALL has MaxAttempts 1 (up to 2 attempts)"), "{out}");
    assert!(out.contains("\n     The result must say charged: true.\n"), "the teacher's message: {out}");
    assert!(out.contains("PASS the definition uses Retry"), "{out}");
    let (_, json, _) = run(&["lesson", "check", RETRY, "--definition", def.to_str().unwrap(), "--json"]);
    let results: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(results[0]["passed"], false);
    assert_eq!(results[0]["state"], "Charge");
    assert!(results[0]["eventId"].as_u64().is_some(), "{json}");
}

#[test]
fn a_share_link_is_checked_by_its_definition() {
    let shared = share::Shared { definition: TOO_FEW_RETRIES.into(), input: "{}".into(), ..Default::default() };
    let link = format!("https://example.com/sfnsim/#share={}", share::encode(&shared));
    let (code, out, _) = run(&["lesson", "check", RETRY, "--share", &link]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAIL status is SUCCEEDED"), "{out}");
    // The payload alone, of the solution, passes.
    let solution = sfnsim::playground::lesson::builtin_lesson("retry").unwrap().solution.unwrap();
    let payload = share::encode(&share::Shared { definition: solution, ..Default::default() });
    assert_eq!(run(&["lesson", "check", RETRY, "--share", &payload]).0, Some(0));
    let (code, _, err) = run(&["lesson", "check", RETRY, "--share", "!!!"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--share: The share link is damaged"), "{err}");
}

#[test]
fn a_malformed_lesson_or_an_invalid_definition_exits_2() {
    let bad = write_temp("bad.md", "---\nid: x\ntitle: X\n---\n## Task\n```json checks\n[{\"stauts\": \"SUCCEEDED\"}]\n```\n");
    let (code, out, err) = run(&["lesson", "check", bad.to_str().unwrap(), "--solution"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("is not a valid lesson (2 errors)"), "{err}");
    assert!(err.contains(":7: [checks] check 1: unknown check kind `stauts` (did you mean `status`?)"), "{err}");
    assert!(err.contains("[asl start] no ```asl start block"), "{err}");
    let def = write_temp("invalid.json", r#"{"StartAt": "Nope", "States": {}}"#);
    let (code, _, err) = run(&["lesson", "check", RETRY, "--definition", def.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("error: the definition is not valid: "), "{err}");
    let (code, _, err) = run(&["lesson", "check", RETRY]);
    assert_eq!(code, Some(2), "one of --definition, --share, --solution is required: {err}");
}

#[test]
fn list_shows_the_builtin_lessons_in_order() {
    let (code, out, _) = run(&["lesson", "list"]);
    assert_eq!(code, Some(0));
    let ids: Vec<&str> = out.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(ids.first(), Some(&"first-machine"));
    assert!(ids.len() >= 12 && ids.contains(&"retry") && ids.last() == Some(&"variables"), "{out}");
}
