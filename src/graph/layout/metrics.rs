//! Sizes and spacings of a scene, in px.

/// A state's box: height, horizontal padding around the label, least width.
pub const NODE_H: f64 = 44.0;
pub const NODE_PAD_X: f64 = 14.0;
pub const NODE_MIN_W: f64 = 80.0;
/// In a state's box, the centre lines of its type word (at the top left, [`TYPE_INSET`] in)
/// and of its name, below the box's top: the two never overlap.
pub const TYPE_LINE: f64 = 11.0;
pub const NAME_LINE: f64 = 28.0;
pub const TYPE_INSET: f64 = 8.0;
/// Room kept at the right of a Parallel's or Map's title bar, and of a collapsed box's type
/// line, for the page's collapse / expand control.
pub const TOGGLE_ROOM: f64 = 22.0;
/// The Start and End markers.
pub const MARKER_W: f64 = 64.0;
pub const MARKER_H: f64 = 26.0;
/// An edge label's box: height, and padding left and right of its text.
pub const EDGE_LABEL_H: f64 = 18.0;
pub const LABEL_PAD: f64 = 5.0;

/// The box of an edge label whose lines are joined by `\n`: (width, height).
pub fn label_size(label: &str) -> (f64, f64) {
    let lines = label.split('\n').count().max(1);
    let w = label
        .split('\n')
        .map(crate::graph::text::width)
        .fold(0.0, f64::max);
    (
        w + 2.0 * LABEL_PAD,
        EDGE_LABEL_H + (lines - 1) as f64 * crate::graph::text::LINE_STEP,
    )
}

/// A state's box height for a name of `lines` lines.
pub fn node_height(lines: usize) -> f64 {
    NODE_H + lines.saturating_sub(1) as f64 * crate::graph::text::LINE_STEP
}
/// Horizontal room between neighbours in a row: two boxes, a box and an edge, two edges.
pub const GAP_NODES: f64 = 28.0;
pub const GAP_EDGE: f64 = 14.0;
pub const GAP_EDGES: f64 = 10.0;
/// The least vertical room between rows (where edges bend; a gap grows for more tracks).
pub const ROW_GAP: f64 = 34.0;
/// Room around the whole scene.
pub const MARGIN: f64 = 20.0;
/// A Parallel or Map box: its title bar, padding, the gap between branch frames.
pub const BOX_HEADER: f64 = 30.0;
pub const BOX_PAD: f64 = 12.0;
pub const FRAME_GAP: f64 = 16.0;
/// A branch frame: its title line and padding around the branch.
pub const FRAME_TITLE: f64 = 20.0;
pub const FRAME_PAD: f64 = 12.0;
/// Self-loops: how far the first one reaches right of its node, how much further each next one.
pub const LOOP_REACH: f64 = 16.0;
pub const LOOP_STEP: f64 = 10.0;
pub const LOOP_LABEL_GAP: f64 = 4.0;
/// How far apart the edges on one side of a node attach (closer when they do not fit).
pub const ATTACH_STEP: f64 = 12.0;
