//! The example gallery (www/examples/*.json): each example is a definition, an input and the
//! simulated world it needs (activities, workers, callback responders, a mock configuration and
//! test case), plus what a run ends with, so the page can load it and the tests can check it.

use crate::service::{Service, ServiceError};
use crate::sim::{ActivityWorker, CallbackResponder};
use serde::Deserialize;
use serde_json::{json, Value};

/// (id, JSON text), in gallery order.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("hello-world", include_str!("../../www/examples/hello-world.json")),
    ("choice", include_str!("../../www/examples/choice.json")),
    ("retry-catch", include_str!("../../www/examples/retry-catch.json")),
    ("map", include_str!("../../www/examples/map.json")),
    ("parallel", include_str!("../../www/examples/parallel.json")),
    ("callback", include_str!("../../www/examples/callback.json")),
    ("activity-worker", include_str!("../../www/examples/activity-worker.json")),
    ("jsonata", include_str!("../../www/examples/jsonata.json")),
    ("variables", include_str!("../../www/examples/variables.json")),
    ("order-workflow", include_str!("../../www/examples/order-workflow.json")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// The gallery id (the file name without `.json`).
    #[serde(skip)]
    pub id: String,
    pub title: String,
    pub description: String,
    /// What to try with it, shown on the page beside the description.
    #[serde(default)]
    pub try_this: String,
    pub definition: Value,
    #[serde(default)]
    pub input: Value,
    #[serde(default)]
    pub state_machine_name: Option<String>,
    #[serde(default)]
    pub activities: Vec<String>,
    #[serde(default)]
    pub workers: Vec<ActivityWorker>,
    #[serde(default)]
    pub responders: Vec<CallbackResponder>,
    #[serde(default)]
    pub mock_config: Option<Value>,
    #[serde(default)]
    pub test_case: Option<String>,
    /// What a run ends with: status, output, and optionally the virtual seconds it takes.
    #[serde(default)]
    pub expect: Value,
}

impl Example {
    pub fn by_id(id: &str) -> Option<Example> {
        let (id, text) = EXAMPLES.iter().find(|(i, _)| *i == id)?;
        let mut example: Example = serde_json::from_str(text).ok()?;
        example.id = id.to_string();
        Some(example)
    }

    /// The definition as the text a user sees (pretty JSON).
    pub fn definition_text(&self) -> String {
        serde_json::to_string_pretty(&self.definition).unwrap_or_default()
    }

    /// Sets the example's world up in `service` and creates its state machine; returns the ARN to
    /// start executions on (with `#TestCase` when the example picks a mock test case).
    pub fn install(&self, service: &mut Service) -> Result<String, ServiceError> {
        self.install_world(service)?;
        let role = service.scope().role("StepFunctionsRole");
        let created = service.call(
            "CreateStateMachine",
            &json!({"name": self.machine_name(), "definition": self.definition_text(), "roleArn": role}),
        )?;
        let arn = created["stateMachineArn"].as_str().unwrap_or_default().to_string();
        Ok(self.start_target(&arn))
    }

    /// The state machine's name (the mock configuration is keyed by it).
    pub fn machine_name(&self) -> String {
        self.state_machine_name.clone().unwrap_or_else(|| "Example".into())
    }

    /// What StartExecution is called on: the machine's ARN, with `#TestCase` when the example
    /// picks a mock test case.
    pub fn start_target(&self, machine_arn: &str) -> String {
        match &self.test_case {
            Some(tc) => format!("{machine_arn}#{tc}"),
            None => machine_arn.to_string(),
        }
    }

    /// The example's simulated world: activities, workers, callback responders, mocks.
    pub fn world(&self) -> crate::sim::WorldSpec {
        crate::sim::WorldSpec {
            activities: self.activities.clone(),
            workers: self.workers.clone(),
            responders: self.responders.clone(),
            mock_config: self.mock_config.clone(),
            test_case: self.test_case.clone(),
        }
    }

    /// The simulated world only: activities, workers, callback responders, mock configuration.
    pub fn install_world(&self, service: &mut Service) -> Result<(), ServiceError> {
        service.install_world(&self.world())
    }
}
