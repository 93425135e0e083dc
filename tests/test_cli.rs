//! `sfnsim test`, `sfnsim run` with mocks, and `validate`/`render` on YAML, run as child
//! processes over the files in tests/ci/ and www/examples/.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sfnsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfnsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("test-cli-{}-{name}", std::process::id()))
}

const LEAD: &str = "tests/ci/lead-generation";

#[test]
fn the_examples_expect_blocks_pass() {
    let o = sfnsim(&["test", "www/examples"]);
    let out = stdout(&o);
    let examples = std::fs::read_dir("www/examples").unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json")).count();
    assert!(examples >= 10);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("PASS  www/examples/")).count(), examples, "{out}");
    assert_eq!(out.lines().last(), Some(format!("{examples} passed, 0 failed").as_str()), "{out}");
}

#[test]
fn a_file_with_failing_cases_exits_1_and_says_which_and_why() {
    let o = sfnsim(&["test", &format!("{LEAD}/failing.test.yaml")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let file = format!("{LEAD}/failing.test.yaml");
    let case = |verdict: &str, name: &str| lines.iter().position(|l| l.starts_with(&format!("{verdict}  {file} › {name} ")));
    let happy = case("FAIL", "HappyPathTest").unwrap_or_else(|| panic!("{out}"));
    assert!(lines[happy + 1].contains("✗ status is FAILED: expected FAILED, the execution SUCCEEDED"), "{out}");
    let retry = case("FAIL", "RetryOnServiceExceptionTest").unwrap_or_else(|| panic!("{out}"));
    assert!(lines[retry].contains("1 of 2 checks failed"), "{out}");
    assert!(lines[retry + 1].contains("exactly 2 TaskFailed events: the history has 3 TaskFailed events"), "{out}");
    assert!(case("PASS", "NegativeSentimentTest").is_some(), "{out}");
    // Not in the mock configuration: the default answers, said so.
    let no_mocks = case("FAIL", "NoMocksTest").unwrap_or_else(|| panic!("{out}"));
    assert!(lines[no_mocks].contains("default answers"), "{out}");
    assert!(lines[no_mocks + 1].contains("FAILED in `IsPositive`"), "{out}");
    assert_eq!(lines.last(), Some(&"1 passed, 3 failed"), "{out}");
}

#[test]
fn a_passing_file_checks_retries_events_and_virtual_time() {
    let o = sfnsim(&["test", &format!("{LEAD}/lead-generation.test.json")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("› RetryOnServiceExceptionTest (4 checks, SUCCEEDED"), "{out}");
    assert!(out.contains("› IdentityDownTest (4 checks, FAILED"), "{out}");
    assert_eq!(out.lines().last(), Some("4 passed, 0 failed"));
}

#[test]
fn json_and_junit_reports() {
    let junit = temp("junit.xml");
    let o = sfnsim(&["test", LEAD, "--json", "--junit", junit.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["passed"].as_u64(), v["failed"].as_u64()), (Some(5), Some(3)));
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "the definition and the mock configuration are not test files");
    let retry = files[0]["cases"].as_array().unwrap().iter().find(|c| c["case"] == "RetryOnServiceExceptionTest").unwrap();
    assert_eq!(retry["passed"], false);
    assert_eq!(retry["results"][1]["check"], "exactly 2 TaskFailed events");
    assert_eq!(retry["results"][1]["eventId"], 11, "the last TaskFailed event");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<testsuites name=\"sfnsim test\" tests=\"8\" failures=\"3\" errors=\"0\""), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 3, "{xml}");
}

#[test]
fn a_broken_test_file_names_the_field_and_counts_as_a_failure() {
    let dir = temp("broken");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.test.json");
    std::fs::write(&file, r#"{"definition": "missing.asl.json", "testCases": {"A": {"expect": [{"status": "DONE"}]}}}"#).unwrap();
    let o = sfnsim(&["test", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("`testCases.A.expect[0]`: `status` takes one of SUCCEEDED"), "{out}");
    assert_eq!(out.lines().last(), Some("0 passed, 1 failed"));
    std::fs::write(&file, r#"{"definition": "missing.asl.json", "testCases": {"A": {}}}"#).unwrap();
    let out = stdout(&sfnsim(&["test", file.to_str().unwrap()]));
    assert!(out.contains("cannot read definition") && out.contains("missing.asl.json"), "{out}");
    // In a directory, a `*.test.*` file that is not even YAML is reported, not skipped.
    std::fs::write(dir.join("broken.test.yaml"), "testCases: [\n").unwrap();
    let o = sfnsim(&["test", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("broken.test.yaml: test file") && out.contains("is not valid YAML"), "{out}");
    assert_eq!(out.lines().last(), Some("0 passed, 2 failed"), "{out}");
}

#[test]
fn run_with_a_mock_configuration_and_its_test_case() {
    let def = format!("{LEAD}/statemachine.asl.yaml");
    let mocks = format!("{LEAD}/MockConfigFile.json");
    let input = r#"{"data": {"email": "a@example.com", "comments": "ok"}}"#;
    let o = sfnsim(&["run", &def, "--mock-config", &mocks, "--test-case", "IdentityDownTest", "--input", input]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["status"].as_str(), v["error"].as_str()), (Some("FAILED"), Some("IdentityNotChecked")));
    assert_eq!(o.status.code(), Some(1));
    let o = sfnsim(&["run", &def, "--mock-config", &mocks, "--test-case", "Nope"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("test case 'Nope' is not in the mock configuration of state machine 'LeadGeneration'"), "{err}");
    // --history prints every event as a JSON line, then the summary.
    let o = sfnsim(&["run", &def, "--mock-config", &mocks, "--test-case", "HappyPathTest", "--input", input, "--history"]);
    let out = stdout(&o);
    let events: Vec<Value> = out.lines().take_while(|l| l.starts_with('{') && l.ends_with('}')).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.first().map(|e| e["type"].clone()), Some("ExecutionStarted".into()));
    assert_eq!(events.last().map(|e| e["type"].clone()), Some("ExecutionSucceeded".into()));
}

#[test]
fn run_answers_unmocked_calls_by_default_or_leaves_them_open() {
    let def = temp("lambda.json");
    std::fs::write(&def, r#"{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}"#).unwrap();
    let def = def.to_str().unwrap();
    let o = sfnsim(&["run", def, "--input", r#"{"a": 1}"#]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["output"], serde_json::json!({"a": 1}), "a Lambda function echoes its input");
    let o = sfnsim(&["run", def, "--unmocked", "wait"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "RUNNING");
    assert_eq!(v["waitingFor"][0], "L (arn:aws:lambda:us-east-1:123456789012:function:f)");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn validate_json_gives_line_and_column_in_json_and_yaml() {
    let json = temp("bad.asl.json");
    std::fs::write(&json, "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n").unwrap();
    let o = sfnsim(&["validate", json.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let d = &v["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["location"].as_str()), (Some("MISSING_TRANSITION_TARGET"), Some("/States/A/Next")));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(35)));

    let yaml = temp("bad.asl.yaml");
    std::fs::write(&yaml, "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n").unwrap();
    let o = sfnsim(&["validate", yaml.to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(11)), "{v}");
    // The text form says FILE:LINE:COLUMN, as editors link it.
    let o = sfnsim(&["validate", yaml.to_str().unwrap()]);
    assert!(stdout(&o).contains(&format!("--> {}:5:11 at /States/A/Next", yaml.display())), "{}", stdout(&o));

    let broken = temp("broken.asl.yaml");
    std::fs::write(&broken, "StartAt: A\nStates: [\n").unwrap();
    let o = sfnsim(&["validate", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not valid YAML"), "{:?}", o);
}

#[test]
fn render_and_validate_take_a_yaml_definition() {
    let def = format!("{LEAD}/statemachine.asl.yaml");
    let o = sfnsim(&["validate", &def]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), format!("{def}: valid\n")));
    let o = sfnsim(&["render", &def]);
    assert_eq!(o.status.code(), Some(0));
    let svg = stdout(&o);
    assert!(svg.starts_with("<svg") && svg.contains("CustomerAddedToFollowup"), "{}", &svg[..svg.len().min(200)]);
}

#[test]
fn every_gallery_example_runs_from_the_command_line_in_its_world() {
    let mut ran = 0;
    for entry in std::fs::read_dir("www/examples").unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let o = sfnsim(&["run", path.to_str().unwrap()]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}: {}", path.display(), String::from_utf8_lossy(&o.stderr)));
        assert_eq!(v["status"], doc["expect"]["status"], "{}: {v}", path.display());
        assert_eq!(v["output"], doc["expect"]["output"], "{}", path.display());
        ran += 1;
    }
    assert!(ran >= 10);
    // Another of an example's own test cases.
    let o = sfnsim(&["run", "www/examples/order-workflow.json", "--test-case", "Declined"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["status"].as_str(), v["error"].as_str()), (Some("FAILED"), Some("PaymentDeclined")), "{v}");
    let o = sfnsim(&["run", "www/examples/choice.json", "--test-case", "Declined"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("test case 'Declined' needs a mock configuration"));
}

#[test]
fn watch_runs_again_when_a_file_changes() {
    use std::io::{BufRead, BufReader};
    let dir = temp("watch");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("def.json"), r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}}"#).unwrap();
    let test = dir.join("one.test.json");
    std::fs::write(&test, r#"{"definition": "def.json", "testCases": {"A": {"expect": [{"output": 1}]}}}"#).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfnsim"))
        .args(["test", "--watch", test.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next_summary = || lines.by_ref().map(|l| l.unwrap()).find(|l| l.ends_with(" failed")).unwrap();
    assert_eq!(next_summary(), "1 passed, 0 failed");
    // The definition changes (a file the test file reads, not the test file itself).
    std::thread::sleep(std::time::Duration::from_millis(50));
    std::fs::write(dir.join("def.json"), r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":2,"End":true}}}"#).unwrap();
    assert_eq!(next_summary(), "0 passed, 1 failed");
    child.kill().unwrap();
    child.wait().unwrap();
}
