//! The layered layout (Sugiyama's method), top to bottom as in the AWS console, built on
//! petgraph's graph and topological sort with our own phases, one file each:
//! [`acyclic`] (back edges), [`layering`] (rows), [`layered`] (dummy vertices), [`order`]
//! (crossing reduction), [`place`] (x positions), [`rows`] (y positions), [`route`]
//! (polylines), [`compound`] (Parallel and Map boxes, laid out from the inside out).
//!
//! Why not a layout crate: rust-sugiyama (on petgraph) handles no nesting and returns node
//! positions only, no edge routes and no room for edge labels; layout-rs has no subgraphs. Both
//! would leave the hard parts (labels on edges, boxes around branches, routes around boxes) to
//! us, so the phases are written here, small, on petgraph's graph and topological sort.

mod acyclic;
mod compound;
mod layered;
mod layering;
pub mod metrics;
mod order;
mod place;
mod route;
mod rows;

use crate::graph::flow::{child_id, Flow, Step, StepKind};
use crate::graph::scene::{Collapsed, Node, Rect, Scene};
use crate::graph::text;
use metrics::{
    ATTACH_STEP, MARGIN, MARKER_H, MARKER_W, NODE_MIN_W, NODE_PAD_X, TOGGLE_ROOM, TYPE_INSET,
};
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;

/// Which way the flow runs: top to bottom (the AWS console's default) or left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    #[default]
    #[serde(rename = "TB")]
    TopDown,
    #[serde(rename = "LR")]
    LeftRight,
}

impl std::str::FromStr for Direction {
    type Err = String;

    /// `TB` (or `TD`) and `LR`, as Mermaid and Graphviz spell them.
    fn from_str(s: &str) -> Result<Direction, String> {
        match s.to_ascii_uppercase().as_str() {
            "TB" | "TD" => Ok(Direction::TopDown),
            "LR" => Ok(Direction::LeftRight),
            _ => Err(format!("direction {s:?}: expected TB or LR")),
        }
    }
}

/// The scene of a top-level flow, top to bottom, with a margin around it; coordinates rounded
/// to 1/100 px.
pub fn layout(flow: &Flow) -> Scene {
    layout_in(flow, Direction::TopDown)
}

/// The scene of a top-level flow running in `direction`, with a margin around it.
pub fn layout_in(flow: &Flow, direction: Direction) -> Scene {
    layout_with(flow, direction, &BTreeSet::new())
}

/// [`layout_in`], each Parallel and Map whose id is in `collapsed` drawn as one box (its
/// contents hidden, its type and what it holds said on it), the rest laid out around it.
pub fn layout_with(flow: &Flow, direction: Direction, collapsed: &BTreeSet<String>) -> Scene {
    let mut scene = layout_flow(flow, direction, collapsed, "");
    scene.round();
    scene.shift(MARGIN, MARGIN);
    scene.width += 2.0 * MARGIN;
    scene.height += 2.0 * MARGIN;
    scene
}

/// A flow's scene, its top-left corner at (0, 0), no margin. Left to right is top to bottom on
/// transposed sizes, the result transposed back (x for y), so every phase works one way; the
/// boxes of Parallel and Map, laid out in `direction` from the inside out, are filled in after.
/// `prefix` is the flow's id prefix (empty at the top level; see [`Step::inner_id`]).
fn layout_flow(
    flow: &Flow,
    direction: Direction,
    collapsed: &BTreeSet<String>,
    prefix: &str,
) -> Scene {
    let g = &flow.graph;
    let ids: Vec<String> = g
        .node_weights()
        .map(|s| child_id(prefix, &s.name))
        .collect();
    let folded: Vec<Option<Collapsed>> = g
        .node_weights()
        .zip(&ids)
        .map(|(s, id)| (s.kind.is_compound() && collapsed.contains(id)).then(|| summary(s)))
        .collect();
    let mut boxes: Vec<Option<compound::Boxed>> = g
        .node_weights()
        .zip(&ids)
        .zip(&folded)
        .map(|((s, id), f)| {
            (s.kind.is_compound() && f.is_none())
                .then(|| compound::lay_out(s, id, direction, collapsed))
        })
        .collect();
    let sizes: Vec<(f64, f64)> = g
        .node_weights()
        .zip(&boxes)
        .zip(&folded)
        .map(|((s, b), f)| match (b, s.kind) {
            (Some(b), _) => (b.width, b.height),
            (None, k) if k.is_marker() => (MARKER_W, MARKER_H),
            (None, k) => (
                node_width(&s.name, k, f.as_ref()),
                metrics::node_height(text::name_lines(&s.name).len()),
            ),
        })
        .map(|(w, h)| match direction {
            Direction::TopDown => (w, h),
            Direction::LeftRight => (h, w),
        })
        .collect();
    let back = acyclic::back_edges(flow);
    let boxed: Vec<bool> = boxes.iter().map(Option::is_some).collect();
    let sizes = room_for_ports(flow, &back, &boxed, sizes);
    let layer = layering::assign(flow, &back);
    let mut lg = layered::Layered::build(flow, &sizes, &layer, &back, direction);
    order::reduce_crossings(&mut lg);
    let x = place::x_positions(&lg);
    let widths: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let plan = route::plan(&lg, &x, &widths);
    let rows = rows::Rows::measure(&lg, &plan.gaps());
    let rects: Vec<Rect> = (0..lg.real)
        .map(|v| Rect::centered(x[v], rows.middle(layer[v]), sizes[v].0, sizes[v].1))
        .collect();
    let nodes = g
        .node_weights()
        .zip(&rects)
        .zip(folded)
        .map(|((s, r), collapsed)| Node {
            id: s.name.clone(),
            name: s.name.clone(),
            label: match s.kind {
                k if k.is_compound() && collapsed.is_none() => compound::title(s),
                _ => text::name_lines(&s.name).join("\n"),
            },
            kind: s.kind,
            rect: *r,
            frame: None,
            collapsed,
        })
        .collect();
    let edges = route::edges(flow, &lg, &x, &plan, &rows, &rects);
    let width = lg
        .verts
        .iter()
        .zip(&x)
        .map(|(v, x)| x + v.right)
        .fold(0.0, f64::max);
    let mut scene = Scene {
        width,
        height: rows.total(),
        nodes,
        frames: Vec::new(),
        edges,
    };
    if direction == Direction::LeftRight {
        transpose(&mut scene);
    }
    for (i, b) in boxes.iter_mut().enumerate() {
        if let Some(b) = b.take() {
            compound::fill(&mut scene, i, b);
        }
    }
    scene
}

/// x for y: a scene laid out top to bottom on transposed sizes becomes left to right. Labels
/// keep their own size (text runs horizontally either way), centred where they were.
fn transpose(scene: &mut Scene) {
    let flip = |r: &Rect| Rect {
        x: r.y,
        y: r.x,
        w: r.h,
        h: r.w,
    };
    std::mem::swap(&mut scene.width, &mut scene.height);
    for n in &mut scene.nodes {
        n.rect = flip(&n.rect);
    }
    for f in &mut scene.frames {
        f.rect = flip(&f.rect);
    }
    for e in &mut scene.edges {
        for p in &mut e.points {
            std::mem::swap(&mut p.x, &mut p.y);
        }
        if let Some(l) = &mut e.label {
            let c = l.rect.center();
            let (w, h) = metrics::label_size(&l.text);
            l.rect = Rect::centered(c.y, c.x, w, h);
        }
    }
}

/// A state or marker with many edges on one side (a shared handler, the End marker) is widened
/// until they attach at least [`ATTACH_STEP`] apart, so that arrowheads never stack. Compound
/// boxes are wide already, and their contents are laid out to their width.
fn room_for_ports(
    flow: &Flow,
    back: &[bool],
    boxed: &[bool],
    mut sizes: Vec<(f64, f64)>,
) -> Vec<(f64, f64)> {
    let g = &flow.graph;
    let (mut top, mut bottom) = (vec![0usize; sizes.len()], vec![0usize; sizes.len()]);
    for e in g.edge_references() {
        let (s, t) = (e.source().index(), e.target().index());
        if s == t {
            continue;
        }
        // A back edge leaves its source's top and enters its target's bottom.
        let (above, below) = if back[e.id().index()] { (t, s) } else { (s, t) };
        bottom[above] += 1;
        top[below] += 1;
    }
    for (v, size) in sizes.iter_mut().enumerate() {
        if boxed[v] {
            continue;
        }
        let most = top[v].max(bottom[v]);
        let need = most.saturating_sub(1) as f64 * ATTACH_STEP + 2.0 * route::CROWDED_INSET;
        size.0 = size.0.max(need);
    }
    sizes
}

/// Room for the name's longest line, and for the type word at the top left (a collapsed box's
/// type line says what it holds, and leaves room at its right for the page's expand control).
fn node_width(name: &str, kind: StepKind, collapsed: Option<&Collapsed>) -> f64 {
    let name = text::lines_width(&text::name_lines(name)) + 2.0 * NODE_PAD_X;
    let word = match collapsed {
        Some(c) => {
            text::type_width(&crate::graph::svg::collapsed_word(kind, c))
                + 2.0 * TYPE_INSET
                + TOGGLE_ROOM
        }
        None => text::type_width(crate::graph::svg::type_word(kind)) + 2.0 * TYPE_INSET,
    };
    name.max(word).max(NODE_MIN_W)
}

/// What a collapsed Parallel or Map says of its contents.
fn summary(step: &Step) -> Collapsed {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = match step.kind {
        StepKind::Parallel => count(step.inner.len(), "branch", "branches"),
        _ => count(
            step.inner
                .iter()
                .map(|f| {
                    f.graph
                        .node_weights()
                        .filter(|s| !s.kind.is_marker())
                        .count()
                })
                .sum(),
            "state",
            "states",
        ),
    };
    Collapsed {
        summary,
        inner: step.inner.iter().flat_map(Flow::state_names).collect(),
    }
}
