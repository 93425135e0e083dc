//! The diagram of a definition's text: the page's graph pane, the embeds' `layout` and
//! `renderSvg`, and the CLI's `render` draw from this.

use crate::asl::validate::MachineType;
use crate::graph::{self, Flow, Scene};
use crate::service::{load_definition, ServiceError};
use serde_json::Value;
use std::collections::BTreeSet;

/// The laid-out scene of `definition`, validated and built as CreateStateMachine does (a Standard
/// machine), or the InvalidDefinition error.
pub fn scene(definition: &str) -> Result<Scene, ServiceError> {
    scene_in(definition, graph::Direction::TopDown)
}

/// [`scene`], the flow running in `direction` (top to bottom or left to right).
pub fn scene_in(definition: &str, direction: graph::Direction) -> Result<Scene, ServiceError> {
    Ok(drawing(definition, direction, &BTreeSet::new())?.scene)
}

/// What the page draws of a definition: its scene, and the ids of its Parallel and Map states.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// Laid out in the direction asked, the boxes asked for collapsed.
    pub scene: Scene,
    /// Every Parallel and Map, at every depth, by id (as [`graph::Node::id`] spells it): what
    /// can be collapsed, collapsed or not.
    pub boxes: Vec<String>,
}

/// The [`Drawing`] of `definition`, flowing in `direction`, the Parallel and Map states whose
/// ids are in `collapsed` drawn as one box each.
pub fn drawing(
    definition: &str,
    direction: graph::Direction,
    collapsed: &BTreeSet<String>,
) -> Result<Drawing, ServiceError> {
    let machine = load_definition(definition, MachineType::Standard)?;
    let value: Value =
        crate::asl::definition_json::parse(definition).map_err(ServiceError::invalid_definition)?;
    let flow = Flow::top_level(&machine, Some(&value));
    Ok(Drawing {
        scene: graph::layout_with(&flow, direction, collapsed),
        boxes: flow.box_ids(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_lists_its_boxes_and_collapses_the_ones_asked() {
        let def = r#"{"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "ItemProcessor": {
                "StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}}}}]}}}"#;
        let open = drawing(def, graph::Direction::TopDown, &BTreeSet::new()).unwrap();
        assert_eq!(open.boxes, ["Fan", "Fan/2/Each"]);
        assert_eq!(open.scene, scene(def).unwrap());
        assert!(open.scene.node("Fan/2/Each/B").is_some());
        let inner = drawing(
            def,
            graph::Direction::TopDown,
            &["Fan/2/Each".to_string()].into(),
        )
        .unwrap();
        let each = inner.scene.node("Fan/2/Each").unwrap();
        assert_eq!(each.collapsed.as_ref().unwrap().summary, "1 state");
        assert!(inner.scene.node("Fan/2/Each/B").is_none());
        assert_eq!(
            inner.boxes, open.boxes,
            "collapsed or not, every box is listed"
        );
    }
}
