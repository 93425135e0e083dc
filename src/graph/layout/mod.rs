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

use crate::graph::flow::{Flow, StepKind};
use crate::graph::scene::{Node, Rect, Scene};
use crate::graph::text;
use metrics::{ATTACH_STEP, MARGIN, MARKER_H, MARKER_W, NODE_MIN_W, NODE_PAD_X, TYPE_INSET};
use petgraph::visit::EdgeRef;

/// The scene of a top-level flow, with a margin around it; coordinates rounded to 1/100 px.
pub fn layout(flow: &Flow) -> Scene {
    let mut scene = layout_flow(flow);
    scene.round();
    scene.shift(MARGIN, MARGIN);
    scene.width += 2.0 * MARGIN;
    scene.height += 2.0 * MARGIN;
    scene
}

/// A flow's scene, its top-left corner at (0, 0), no margin.
fn layout_flow(flow: &Flow) -> Scene {
    let g = &flow.graph;
    let mut boxes: Vec<Option<compound::Boxed>> = g
        .node_weights()
        .map(|s| s.kind.is_compound().then(|| compound::lay_out(s)))
        .collect();
    let sizes: Vec<(f64, f64)> = g
        .node_weights()
        .zip(&boxes)
        .map(|(s, b)| match (b, s.kind) {
            (Some(b), _) => (b.width, b.height),
            (None, k) if k.is_marker() => (MARKER_W, MARKER_H),
            (None, k) => (
                node_width(&s.name, k),
                metrics::node_height(text::name_lines(&s.name).len()),
            ),
        })
        .collect();
    let back = acyclic::back_edges(flow);
    let sizes = room_for_ports(flow, &back, sizes);
    let layer = layering::assign(flow, &back);
    let mut lg = layered::Layered::build(flow, &sizes, &layer, &back);
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
        .map(|(s, r)| Node {
            id: s.name.clone(),
            name: s.name.clone(),
            label: match s.kind {
                k if k.is_compound() => compound::title(s),
                _ => text::name_lines(&s.name).join("\n"),
            },
            kind: s.kind,
            rect: *r,
            frame: None,
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
    for (i, b) in boxes.iter_mut().enumerate() {
        if let Some(b) = b.take() {
            compound::fill(&mut scene, i, b);
        }
    }
    scene
}

/// A state or marker with many edges on one side (a shared handler, the End marker) is widened
/// until they attach at least [`ATTACH_STEP`] apart, so that arrowheads never stack. Compound
/// boxes are wide already, and their contents are laid out to their width.
fn room_for_ports(flow: &Flow, back: &[bool], mut sizes: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
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
        if g[petgraph::graph::NodeIndex::new(v)].kind.is_compound() {
            continue;
        }
        let most = top[v].max(bottom[v]);
        let need = most.saturating_sub(1) as f64 * ATTACH_STEP + 2.0 * route::CROWDED_INSET;
        size.0 = size.0.max(need);
    }
    sizes
}

/// Room for the name's longest line, and for the type word at the top left.
fn node_width(name: &str, kind: StepKind) -> f64 {
    let name = text::lines_width(&text::name_lines(name)) + 2.0 * NODE_PAD_X;
    let word = text::type_width(crate::graph::svg::type_word(kind)) + 2.0 * TYPE_INSET;
    name.max(word).max(NODE_MIN_W)
}
