//! Checking a definition against a lesson: one fresh service per input (the lesson's seed, its
//! world installed), CreateStateMachine, StartExecution (on `#TestCase` when the world picks a
//! mock test case), run until nothing more can happen, then the checks over the run's facts.

use super::{Lesson, MACHINE_NAME};
use crate::asl::validate::{self, MachineType, Severity};
use crate::service::{Service, ServiceConfig};
use crate::sim::WorldSpec;
use crate::testing::checks::{evaluate, CheckResult, RunFacts};
use serde_json::{json, Value};

/// How far the virtual clock may run for one check: a year (a Wait of days still ends).
const LIMIT_MS: i64 = 366 * 24 * 3600 * 1000;

/// A lesson's world JSON read: `{"spec": WorldSpec, "machineName": …}` as share links write it,
/// or a bare WorldSpec (the machine is then called "Playground", as on the page).
pub(super) fn world_of(world: Option<&Value>) -> Result<(WorldSpec, String), String> {
    let Some(v) = world.filter(|v| !v.is_null()) else { return Ok((WorldSpec::default(), MACHINE_NAME.into())) };
    if !v.is_object() {
        return Err(format!("the world is an object (activities, workers, responders, mockConfig, testCase), not {}", crate::testing::checks::show(v)));
    }
    let wrapped = v.get("spec").is_some() || v.get("machineName").is_some();
    let spec = if wrapped { v.get("spec").cloned().unwrap_or(json!({})) } else { v.clone() };
    if wrapped {
        if let Some(k) = v.as_object().into_iter().flatten().map(|(k, _)| k).find(|k| *k != "spec" && *k != "machineName") {
            return Err(format!("unknown world field `{k}` beside spec and machineName"));
        }
    }
    let spec: WorldSpec = serde_json::from_value(spec).map_err(|e| format!("the world is not a simulated world: {e}"))?;
    let name = match v.get("machineName") {
        None => MACHINE_NAME.to_string(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(other) => return Err(format!("machineName is a state machine name, not {}", crate::testing::checks::show(other))),
    };
    Ok((spec, name))
}

/// Runs `definition` on every input of the lesson (a fresh service each, the lesson's seed and
/// world) and returns each run's facts, in input order. Err: the definition is not valid ASL
/// (the validation messages), or the world cannot be installed.
pub fn run_facts(lesson: &Lesson, definition: &str) -> Result<Vec<RunFacts>, String> {
    let errors: Vec<String> = validate::validate_text(definition, MachineType::Standard)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}{}", d.code, d.message, d.location.map(|l| format!(" (at {l})")).unwrap_or_default()))
        .collect();
    if !errors.is_empty() {
        return Err(format!("the definition is not valid: {}", errors.join("; ")));
    }
    let (spec, machine) = lesson.world_spec()?;
    let unnamed = [super::NamedInput { name: None, text: "{}".into() }];
    let inputs = if lesson.inputs.is_empty() { &unnamed[..] } else { &lesson.inputs[..] };
    let mut out = Vec::new();
    for input in inputs {
        let mut service = Service::new(ServiceConfig { seed: lesson.seed, ..Default::default() });
        let failed = |e: crate::service::ServiceError| format!("{}: {}", e.code, e.message);
        service.install_world(&spec).map_err(|e| format!("the lesson's world cannot be installed: {}", failed(e)))?;
        let role = service.scope().role("StepFunctionsRole");
        let created = service.call("CreateStateMachine", &json!({"name": machine, "definition": definition, "roleArn": role})).map_err(failed)?;
        let arn = created["stateMachineArn"].as_str().unwrap_or_default().to_string();
        let target = match &spec.test_case {
            Some(tc) => format!("{arn}#{tc}"),
            None => arn,
        };
        let started = service.call("StartExecution", &json!({"stateMachineArn": target, "input": input.text})).map_err(failed)?;
        let exec = started["executionArn"].as_str().unwrap_or_default().to_string();
        let limit = service.now_ms() + LIMIT_MS;
        service.run_to_quiescence(limit);
        let facts = RunFacts::from_service(&service, &exec, definition).ok_or_else(|| format!("no execution {exec}"))?;
        out.push(facts.with_input(input.name.as_deref()));
    }
    Ok(out)
}

/// Checks `definition` against the lesson: every check on every input it applies to, in input
/// order; a check of the definition alone (`uses`, `queryLanguage`) once, with no input, unless
/// it names one. Err: as [`run_facts`].
pub fn check(lesson: &Lesson, definition: &str) -> Result<Vec<CheckResult>, String> {
    let mut out = Vec::new();
    for (i, facts) in run_facts(lesson, definition)?.iter().enumerate() {
        let checks: Vec<_> = lesson.checks.iter().filter(|c| i == 0 || !c.is_static() || c.input.is_some()).cloned().collect();
        for (c, mut r) in checks.iter().filter(|c| c.input.is_none() || c.input == facts.input).zip(evaluate(&checks, facts)) {
            if c.is_static() && c.input.is_none() {
                r.input = None;
            }
            out.push(r);
        }
    }
    Ok(out)
}
