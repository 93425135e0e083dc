//! `sfnsim test`'s test files and what running them gives. A test file (JSON, or the same in
//! YAML) names a definition and a Step Functions Local mock configuration, and per test case the
//! input and the expectations, in the checks' vocabulary (see [`super::checks`]):
//!
//! ```json
//! { "definition": "statemachine.asl.json", "mockConfig": "MockConfigFile.json",
//!   "stateMachineName": "LeadGeneration",
//!   "testCases": {
//!     "HappyPathTest": { "input": {"data": {}}, "expect": [ {"status": "SUCCEEDED"} ] } } }
//! ```
//!
//! A case runs on the mock configuration's test case of the same name, or on the default answers
//! when the configuration has none. Files are the caller's business: [`TestFile::parse`] gives
//! the paths, the caller reads them and builds a [`Suite`]. A gallery example
//! (www/examples/*.json) is a suite too: its world, its input and its `expect` block.

use super::checks::{self, Check, CheckKind, CheckResult, RunFacts};
use super::harness::{self, RunSetup};
use crate::service::Unmocked;
use crate::sim::WorldSpec;
use serde::Serialize;
use serde_json::Value;

/// A test file as written: paths still relative to it.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFile {
    pub definition: String,
    pub mock_config: Option<String>,
    pub state_machine_name: Option<String>,
    pub cases: Vec<(String, Value, Vec<Check>)>,
}

const FIELDS: &[&str] = &["definition", "mockConfig", "stateMachineName", "testCases"];

impl TestFile {
    /// Whether a document is a test file (it has `testCases`).
    pub fn looks_like(doc: &Value) -> bool {
        doc.get("testCases").is_some()
    }

    /// Reads a test file's document. Err names the field (`testCases.HappyPath.expect[1]`).
    pub fn parse(doc: &Value) -> Result<TestFile, String> {
        let Some(top) = doc.as_object() else {
            return Err("a test file is an object with definition, mockConfig and testCases".into());
        };
        if let Some(bad) = top.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            let hint = FIELDS
                .iter()
                .find(|f| checks::distance(&bad.to_lowercase(), &f.to_lowercase()) <= 2)
                .map(|f| format!(" (did you mean `{f}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown field `{bad}`{hint}; a test file has {}", FIELDS.join(", ")));
        }
        let text = |key: &str, required: bool| -> Result<Option<String>, String> {
            match top.get(key) {
                None | Some(Value::Null) if !required => Ok(None),
                None | Some(Value::Null) => Err(format!("`{key}` is missing: the path of the state machine definition, relative to the test file")),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(other) => Err(format!("`{key}` is a non-empty text, not {}", checks::show(other))),
            }
        };
        let definition = text("definition", true)?.unwrap_or_default();
        let mock_config = text("mockConfig", false)?;
        let state_machine_name = text("stateMachineName", false)?;
        let Some(cases) = top.get("testCases").and_then(Value::as_object) else {
            return Err("`testCases` is an object: test case name → {input, expect}".into());
        };
        let mut out = Vec::new();
        for (name, case) in cases {
            let at = format!("testCases.{name}");
            let Some(case) = case.as_object() else {
                return Err(format!("`{at}` is an object with input and expect"));
            };
            if let Some(bad) = case.keys().find(|k| *k != "input" && *k != "expect") {
                return Err(format!("`{at}`: unknown field `{bad}`; a test case has input and expect"));
            }
            let input = case.get("input").cloned().unwrap_or_else(|| Value::Object(Default::default()));
            let expect = match case.get("expect") {
                None => Vec::new(),
                Some(Value::Array(a)) => a.clone(),
                // One check needs no list around it.
                Some(one @ Value::Object(_)) => vec![one.clone()],
                Some(other) => return Err(format!("`{at}.expect` is a list of checks, not {}", checks::show(other))),
            };
            let mut checks = Vec::new();
            for (i, c) in expect.into_iter().enumerate() {
                checks.push(Check::try_from(c).map_err(|e| format!("`{at}.expect[{i}]`: {e}"))?);
            }
            out.push((name.clone(), input, checks));
        }
        Ok(TestFile { definition, mock_config, state_machine_name, cases: out })
    }
}

/// What runs: a definition in a world, and its cases.
#[derive(Debug, Clone)]
pub struct Suite {
    /// What it is called in the report (the test file's path).
    pub name: String,
    /// The definition's JSON text.
    pub definition: String,
    pub state_machine_name: Option<String>,
    pub world: WorldSpec,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The mock configuration's test case it runs on, when it has one.
    pub test_case: Option<String>,
    pub input: Value,
    pub checks: Vec<Check>,
}

impl Suite {
    /// The suite of a test file whose definition and mock configuration were read.
    pub fn from_test_file(name: &str, file: TestFile, definition: String, mock_config: Option<Value>) -> Suite {
        let cases = file
            .cases
            .into_iter()
            .map(|(case, input, checks)| Case { test_case: Some(case.clone()), name: case, input, checks })
            .collect();
        Suite {
            name: name.to_string(),
            definition,
            state_machine_name: file.state_machine_name,
            world: WorldSpec { mock_config, ..Default::default() },
            cases,
        }
    }

    /// Whether a document is a gallery example (a definition object and an `expect` block).
    pub fn is_example(doc: &Value) -> bool {
        doc.get("definition").is_some_and(Value::is_object) && doc.get("expect").is_some_and(Value::is_object)
    }

    /// A gallery example as a suite of one case: its world, its input, and its `expect` block as
    /// checks (`status`, `output`, `virtualSeconds` as an exact `duration`, `finalState` as
    /// `visited`).
    pub fn from_example(name: &str, doc: &Value) -> Result<Suite, String> {
        let mut world = serde_json::Map::new();
        for key in ["activities", "workers", "responders", "mockConfig"] {
            if let Some(v) = doc.get(key) {
                world.insert(key.into(), v.clone());
            }
        }
        let world: WorldSpec = serde_json::from_value(Value::Object(world)).map_err(|e| format!("the example's world: {e}"))?;
        let expect = &doc["expect"];
        let mut checks = Vec::new();
        if let Some(s) = expect.get("status").and_then(Value::as_str) {
            checks.push(Check::new(CheckKind::Status(s.into())));
        }
        if let Some(o) = expect.get("output") {
            checks.push(Check::new(CheckKind::Output(o.clone())));
        }
        if let Some(s) = expect.get("finalState").and_then(Value::as_str) {
            checks.push(Check::new(CheckKind::Visited(s.into())));
        }
        if let Some(secs) = expect.get("virtualSeconds").and_then(Value::as_f64) {
            checks.push(Check::new(CheckKind::Duration { min: Some(secs), max: Some(secs) }));
        }
        let test_case = doc.get("testCase").and_then(Value::as_str).map(str::to_string);
        Ok(Suite {
            name: name.to_string(),
            definition: serde_json::to_string_pretty(&doc["definition"]).unwrap_or_default(),
            state_machine_name: doc.get("stateMachineName").and_then(Value::as_str).map(str::to_string),
            world,
            cases: vec![Case {
                name: test_case.clone().unwrap_or_else(|| "expect".into()),
                test_case,
                input: doc.get("input").cloned().unwrap_or_else(|| Value::Object(Default::default())),
                checks,
            }],
        })
    }

    /// Runs every case, each on a fresh service.
    pub fn run(&self) -> Vec<CaseOutcome> {
        self.cases.iter().map(|c| self.run_case(c)).collect()
    }

    /// Runs one case on a fresh service.
    pub fn run_case(&self, case: &Case) -> CaseOutcome {
        let setup = RunSetup {
            definition: self.definition.clone(),
            input: case.input.to_string(),
            state_machine_name: self.state_machine_name.clone(),
            world: self.world.clone(),
            test_case: case.test_case.clone(),
            unknown_test_case_is_error: false,
            unmocked: Unmocked::Echo,
            seed: 0,
        };
        let mut outcome = CaseOutcome { suite: self.name.clone(), case: case.name.clone(), ..Default::default() };
        let finished = match harness::run(&setup) {
            Ok(f) => f,
            Err(e) => {
                outcome.error = Some(e);
                return outcome;
            }
        };
        outcome.mocked = finished.mocked;
        let Some(facts) = RunFacts::from_service(&finished.service, &finished.execution_arn, &self.definition) else {
            outcome.error = Some("the execution is gone".into());
            return outcome;
        };
        outcome.status = facts.status.clone();
        outcome.results = checks::evaluate(&case.checks, &facts);
        outcome.passed = outcome.results.iter().all(|r| r.passed);
        outcome
    }
}

/// One case's result.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOutcome {
    pub suite: String,
    pub case: String,
    /// Every check passed (and the case ran).
    pub passed: bool,
    /// The execution's status (empty when it could not start).
    pub status: String,
    /// Whether the mock configuration's test case answered the tasks (else the default answers).
    pub mocked: bool,
    /// Why the case could not run (the definition is invalid, a mock configuration is wrong).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub results: Vec<CheckResult>,
}
