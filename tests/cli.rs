//! The native command line, run as a child process.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sfnsim"))
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// `sfnsim run F --history | head -1`: the reader closes the pipe after one line while the
/// history (a Map over 2000 items, far more than a pipe buffer) is still being written. The
/// command must stop quietly: no "failed printing to stdout" panic, no exit status 101.
#[test]
fn run_history_into_a_closed_pipe_exits_quietly() {
    let def = write_temp(
        "map.json",
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"#,
    );
    let items: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
    let input = write_temp("input.json", &format!("[{}]", items.join(",")));
    let mut child = bin()
        .arg("run")
        .arg(&def)
        .arg("--history")
        .arg("--input")
        .arg(format!("@{}", input.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader (and with it the pipe's read end) is dropped here.
    assert!(first.contains("ExecutionStarted"), "first line: {first}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert_ne!(status.code(), Some(101), "stderr: {stderr}");
    assert!(
        status.success() || status.code() == Some(141),
        "status {status:?}, stderr: {stderr}"
    );
}

/// With an open pipe the whole history and the summary come out.
#[test]
fn run_history_prints_every_event_and_the_summary() {
    let def = write_temp(
        "pass.json",
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
    );
    let out = bin()
        .arg("run")
        .arg(&def)
        .arg("--history")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("ExecutionStarted"), "{text}");
    assert!(lines[3].contains("ExecutionSucceeded"), "{text}");
    assert!(text.contains("\"status\": \"SUCCEEDED\""), "{text}");
}

/// `sfnsim validate` on a definition with thousands of faults prints the first 100 (as
/// ValidateStateMachineDefinition's maxResults caps them) and says how many more there are.
#[test]
fn validate_caps_the_diagnostics_it_prints() {
    let states: Vec<String> = (0..1500)
        .map(|i| format!(r#""S{i}": {{"Type": "Pass", "Next": "Missing{i}"}}"#))
        .collect();
    let def = write_temp("many-faults.json", &format!(r#"{{"StartAt": "S0", "States": {{{}}}}}"#, states.join(",")));
    let out = bin().arg("validate").arg(&def).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().filter(|l| l.starts_with("error[")).count(), 100, "{text}");
    let last = text.lines().last().unwrap();
    let more: usize = last
        .strip_prefix("... and ")
        .and_then(|r| r.strip_suffix(" more diagnostics"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of the rest: {last}"));
    assert!(more >= 1400, "{last}");
}

/// `sfnsim render --collapse ID` draws that Parallel or Map as one box; an unknown id is an
/// error that lists the ids there are.
#[test]
fn render_collapses_the_boxes_asked_and_names_the_ids_when_one_is_unknown() {
    let def = write_temp(
        "fan.json",
        r#"{"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
              "ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}}}}]}}}"#,
    );
    let open = bin().arg("render").arg(&def).output().unwrap();
    assert!(open.status.success());
    let open = String::from_utf8(open.stdout).unwrap();
    assert!(open.contains("data-state=\"B\""), "the Map's state is drawn");
    let inner = bin().args(["render", "--collapse", "Fan/2/Each"]).arg(&def).output().unwrap();
    let inner = String::from_utf8(inner.stdout).unwrap();
    assert!(inner.contains("Map · 1 state"), "{inner}");
    assert!(!inner.contains("data-state=\"B\""), "nothing inside a collapsed box is drawn");
    let top = bin().args(["render", "--collapse", "Fan"]).arg(&def).output().unwrap();
    assert!(String::from_utf8(top.stdout).unwrap().contains("Parallel · 2 branches"));
    let bad = bin().args(["render", "--collapse", "Nope"]).arg(&def).output().unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(err.contains("--collapse Nope") && err.contains("Fan, Fan/2/Each"), "{err}");
}
