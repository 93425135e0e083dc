//! One execution of a definition as `sfnsim run` and `sfnsim test` make it: a fresh service, the
//! simulated world installed, the state machine created under the name its mock configuration
//! knows it by, one execution started (on `<arn>#<TestCase>` when the test case is mocked) and run
//! until nothing more can happen without outside help. The history stays the engine's until a
//! caller asks for AWS's events, so a run that prints only its end never renders them.

use crate::engine::Execution;
use crate::service::{Service, ServiceConfig, Unmocked};
use crate::sim::WorldSpec;
use serde_json::{json, Value};

/// What to run, and in which world.
#[derive(Debug, Clone)]
pub struct RunSetup {
    /// The definition's JSON text.
    pub definition: String,
    /// The execution input's JSON text.
    pub input: String,
    /// The state machine's name in the mock configuration; None picks the configuration's only
    /// machine.
    pub state_machine_name: Option<String>,
    /// Activities, workers, responders and the mock configuration (its `test_case` is unused:
    /// [`RunSetup::test_case`] picks one).
    pub world: WorldSpec,
    /// The mock configuration's test case whose answers the tasks get.
    pub test_case: Option<String>,
    /// A test case the configuration does not have: an error (`sfnsim run`, where it is a
    /// typo), or a run on the default answers (`sfnsim test`, a case with no mocks).
    pub unknown_test_case_is_error: bool,
    pub unmocked: Unmocked,
    pub seed: u64,
}

impl RunSetup {
    pub fn new(definition: &str, input: &str) -> RunSetup {
        RunSetup {
            definition: definition.to_string(),
            input: input.to_string(),
            state_machine_name: None,
            world: WorldSpec::default(),
            test_case: None,
            unknown_test_case_is_error: true,
            unmocked: Unmocked::Echo,
            seed: 0,
        }
    }
}

/// A finished (or quiescent) run: the service that ran it and the execution's ARN.
pub struct FinishedRun {
    pub service: Service,
    pub execution_arn: String,
    /// Whether the run used the mock configuration's test case (false: default answers).
    pub mocked: bool,
}

impl FinishedRun {
    /// The engine's execution (always there: the ARN came from this service's StartExecution).
    pub fn execution(&self) -> Option<&Execution> {
        self.service.execution(&self.execution_arn)
    }
}

/// The name the state machine gets: the one asked for, else the mock configuration's only one,
/// else "StateMachine". Err names the machines to choose from.
pub fn machine_name(asked: Option<&str>, mock_config: Option<&Value>) -> Result<String, String> {
    let names: Vec<String> = mock_config
        .and_then(|c| c["StateMachines"].as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match asked {
        Some(n) if mock_config.is_some() && !names.iter().any(|x| x == n) => Err(format!(
            "state machine '{n}' is not in the mock configuration (it has {})",
            list(&names)
        )),
        Some(n) => Ok(n.to_string()),
        None if names.len() > 1 => Err(format!(
            "the mock configuration has {} state machines ({}): name one (stateMachineName, --state-machine-name)",
            names.len(),
            list(&names)
        )),
        None => Ok(names.into_iter().next().unwrap_or_else(|| "StateMachine".into())),
    }
}

/// Whether the mock configuration has this test case for this machine.
pub fn has_test_case(mock_config: Option<&Value>, machine: &str, test_case: &str) -> bool {
    mock_config.is_some_and(|c| c["StateMachines"][machine]["TestCases"].get(test_case).is_some())
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// Runs the setup to quiescence. Err is a sentence naming what is wrong (the definition, the
/// mock configuration, the test case, the input), never a panic.
pub fn run(setup: &RunSetup) -> Result<FinishedRun, String> {
    let mock_config = setup.world.mock_config.as_ref();
    let name = machine_name(setup.state_machine_name.as_deref(), mock_config)?;
    let mocked = match &setup.test_case {
        Some(tc) if has_test_case(mock_config, &name, tc) => true,
        Some(tc) if setup.unknown_test_case_is_error => {
            return Err(match mock_config {
                None => format!("test case '{tc}' needs a mock configuration (--mock-config)"),
                Some(c) => {
                    let cases: Vec<String> = c["StateMachines"][&name]["TestCases"]
                        .as_object()
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    format!("test case '{tc}' is not in the mock configuration of state machine '{name}' (it has {})", list(&cases))
                }
            });
        }
        _ => false,
    };
    let mut service = Service::new(ServiceConfig { seed: setup.seed, unmocked: setup.unmocked, ..Default::default() });
    let mut world = setup.world.clone();
    world.test_case = None;
    service.install_world(&world).map_err(|e| format!("the simulated world: {}", e.message))?;
    let role = service.scope().role("StepFunctionsRole");
    let created = service
        .call("CreateStateMachine", &json!({"name": name, "definition": setup.definition, "roleArn": role}))
        .map_err(|e| format!("{}: {}", e.code, e.message))?;
    let arn = created["stateMachineArn"].as_str().unwrap_or_default().to_string();
    let target = match (&setup.test_case, mocked) {
        (Some(tc), true) => format!("{arn}#{tc}"),
        _ => arn,
    };
    let started = service
        .call("StartExecution", &json!({"stateMachineArn": target, "input": setup.input}))
        .map_err(|e| format!("{}: {}", e.code, e.message))?;
    let execution_arn = started["executionArn"].as_str().unwrap_or_default().to_string();
    service.run_to_quiescence(i64::MAX);
    Ok(FinishedRun { service, execution_arn, mocked })
}
