//! The definition graph: a petgraph model of a definition ([`Flow`]) and a layered layout of it
//! into a [`Scene`] (positioned nodes, nested boxes for Parallel branches and Map processors,
//! edges as polylines with label positions), which the page renders and [`Scene::to_svg`] exports.
//!
//! Pure Rust: no browser, files, time or threads. Text is measured with a fixed per-character
//! width ([`text`]), so the native export and the page agree without font metrics.

pub mod flow;
pub mod layout;
pub mod marks;
pub mod sample;
pub mod scene;
pub mod svg;
pub mod text;

pub use flow::{Flow, Link, LinkKind, Step, StepKind};
pub use layout::{layout, layout_in, layout_with, Direction};
pub use scene::{Collapsed, Edge, Frame, Label, Node, Point, Rect, Scene};

use crate::asl::model::Machine;
use serde_json::Value;
use std::collections::BTreeSet;

/// The scene of a built definition. `definition` (the JSON the machine was built from) lets
/// JSONata Choice rules be labelled with their `Condition`; without it they read "Condition".
pub fn scene_of(machine: &Machine, definition: Option<&Value>) -> Scene {
    layout(&Flow::top_level(machine, definition))
}

/// [`scene_of`], the flow running in `direction` (left to right: the AWS console's other view).
pub fn scene_in(machine: &Machine, definition: Option<&Value>, direction: Direction) -> Scene {
    layout_in(&Flow::top_level(machine, definition), direction)
}

/// [`scene_in`], with each Parallel and Map whose id (as [`Node::id`] spells it, e.g. `Fan` or
/// `Fan/2/Each`) is in `collapsed` drawn as one box that names its type and what it holds.
pub fn scene_with(
    machine: &Machine,
    definition: Option<&Value>,
    direction: Direction,
    collapsed: &BTreeSet<String>,
) -> Scene {
    layout_with(&Flow::top_level(machine, definition), direction, collapsed)
}
