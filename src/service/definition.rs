//! A definition loaded as CreateStateMachine and UpdateStateMachine load it: validated (any
//! diagnostic of severity Error refuses it, with AWS's InvalidDefinition message listing them),
//! then built into the typed model the engine runs. This is the one place a definition's text
//! becomes a [`Machine`]: the service, the command line, the page, the embeds, the conformance
//! runner and the benchmarks all load through it.

use super::error::ServiceError;
use crate::asl::model::{self, Machine};
use crate::asl::validate::{self, MachineType};
use serde_json::Value;
use std::sync::Arc;

/// Validates and builds `definition`, or the InvalidDefinition error CreateStateMachine answers.
pub fn load_definition(definition: &str, machine_type: MachineType) -> Result<Arc<Machine>, ServiceError> {
    let diags = validate::validate_text(definition, machine_type);
    if diags.iter().any(|d| d.severity == validate::Severity::Error) {
        return Err(ServiceError::new("InvalidDefinition", validate::invalid_definition_message(&diags)));
    }
    let value: Value = crate::asl::definition_json::parse(definition).map_err(ServiceError::invalid_definition)?;
    model::build(&value).map_err(ServiceError::invalid_definition)
}
