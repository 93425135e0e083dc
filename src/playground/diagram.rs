//! The diagram of a definition's text: the page's graph pane, the embeds' `layout` and
//! `renderSvg`, and the CLI's `render` draw from this.

use crate::asl::validate::MachineType;
use crate::graph::{self, Scene};
use crate::service::{load_definition, ServiceError};
use serde_json::Value;

/// The laid-out scene of `definition`, validated and built as CreateStateMachine does (a Standard
/// machine), or the InvalidDefinition error.
pub fn scene(definition: &str) -> Result<Scene, ServiceError> {
    scene_in(definition, graph::Direction::TopDown)
}

/// [`scene`], the flow running in `direction` (top to bottom or left to right).
pub fn scene_in(definition: &str, direction: graph::Direction) -> Result<Scene, ServiceError> {
    let machine = load_definition(definition, MachineType::Standard)?;
    let value: Value =
        serde_json::from_str(definition).map_err(ServiceError::invalid_definition)?;
    Ok(graph::scene_in(&machine, Some(&value), direction))
}
