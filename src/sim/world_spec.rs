//! A simulated world as data: the activities to create, their workers, the callback responders,
//! and a Step Functions Local mock configuration with the test case to use. The gallery examples,
//! the page's world editor and share links all hold one of these; the service installs it.

use super::{ActivityWorker, CallbackResponder};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
// Unknown fields are refused, so a misspelt key (or the playground's `{spec, machineName}`
// wrapper where a bare world belongs) is an error, not a silently empty world.
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct WorldSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workers: Vec<ActivityWorker>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responders: Vec<CallbackResponder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub mock_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_case: Option<String>,
}

impl WorldSpec {
    pub fn is_empty(&self) -> bool {
        *self == WorldSpec::default()
    }
}
