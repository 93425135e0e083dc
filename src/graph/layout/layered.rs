//! The layered graph the later phases work on: the flow's nodes plus a dummy vertex on every row
//! an edge passes through, so that every link joins neighbouring rows. A labelled edge's label
//! rides on one of its dummies (the one next to the edge's source), which reserves room for it.

use super::metrics::{label_size, LOOP_LABEL_GAP, LOOP_REACH, LOOP_STEP};
use super::Direction;
use crate::graph::flow::{Flow, LinkKind};
use crate::graph::text;
use petgraph::visit::EdgeRef;

/// A vertex: a node of the flow (the first `real` vertices) or a dummy.
#[derive(Debug, Clone)]
pub struct Vertex {
    pub layer: usize,
    /// Extent left and right of the vertex's x (its centre), and height.
    pub left: f64,
    pub right: f64,
    pub height: f64,
    /// The label of an edge that is not a back edge: in the last placement sweep it weighs more
    /// than plain dummies (a Choice's labels stay centred under it; loops bend around).
    pub forward_label: bool,
}

/// One edge of the flow as a path of vertices, top to bottom.
#[derive(Debug, Clone)]
pub struct Chain {
    pub edge: usize,
    /// How hard the chain pulls its vertices into line (see [`pull`]).
    pub pull: f64,
    pub verts: Vec<usize>,
    /// A back edge: the flow edge goes from the last vertex up to the first.
    pub back: bool,
    /// The dummy that carries the label, with the label's text.
    pub label: Option<(usize, String)>,
}

/// A self-loop (e.g. a Catch that retries its own state), drawn on the node's right.
#[derive(Debug, Clone)]
pub struct SelfLoop {
    pub edge: usize,
    pub node: usize,
    /// Its rank among the node's self-loops (0 innermost).
    pub rank: usize,
    pub label: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Layered {
    pub verts: Vec<Vertex>,
    pub real: usize,
    pub chains: Vec<Chain>,
    pub loops: Vec<SelfLoop>,
    /// Links to the row above and below, with weights (long edges pull harder, to stay straight).
    pub up: Vec<Vec<(usize, f64)>>,
    pub down: Vec<Vec<(usize, f64)>>,
    /// Each row's vertices, left to right (the crossing reduction reorders them).
    pub rows: Vec<Vec<usize>>,
    /// Which way the scene will run: left to right, every size here is transposed.
    pub direction: Direction,
}

/// How hard an edge pulls its ends into line: the main flow (Next) hardest, then Choice rules,
/// then Catch edges and loops back, which bend around it. Between dummies the pull is 4 times as
/// strong and between a dummy and a node twice, so that long edges run straight.
fn pull(kind: LinkKind, back: bool) -> f64 {
    let base = match kind {
        LinkKind::Next => 8.0,
        LinkKind::Choice | LinkKind::Default => 4.0,
        LinkKind::Catch => 0.25,
    };
    if back {
        base / 8.0
    } else {
        base
    }
}

/// A label's box as the layout sees it: left to right, the layout runs top to bottom on the
/// transposed sizes, so a label's width lies across the rows then.
pub fn label_box(direction: Direction, label: &str) -> (f64, f64) {
    match (direction, label_size(label)) {
        (Direction::TopDown, s) => s,
        (Direction::LeftRight, (w, h)) => (h, w),
    }
}

impl Layered {
    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.real
    }

    /// A dummy carrying the label of an edge that is not a back edge.
    pub fn is_forward_label(&self, v: usize) -> bool {
        self.verts[v].forward_label
    }

    /// `sizes` are the nodes' (width, height), `layer` their rows, `back` the back edges.
    pub fn build(
        flow: &Flow,
        sizes: &[(f64, f64)],
        layer: &[usize],
        back: &[bool],
        direction: Direction,
    ) -> Layered {
        let label_box = |l: &str| label_box(direction, l);
        let g = &flow.graph;
        let real = g.node_count();
        let mut verts: Vec<Vertex> = sizes
            .iter()
            .zip(layer)
            .map(|(&(w, h), &l)| Vertex {
                layer: l,
                left: w / 2.0,
                right: w / 2.0,
                height: h,
                forward_label: false,
            })
            .collect();
        let mut chains = Vec::with_capacity(g.edge_count());
        let mut loops = Vec::new();
        let mut loop_count = vec![0usize; real];
        let mut loop_labels = vec![0.0f64; real];
        for e in g.edge_references() {
            let (s, t) = (e.source().index(), e.target().index());
            let label = e
                .weight()
                .label
                .as_ref()
                .map(|l| text::label_lines(l).join("\n"));
            if s == t {
                let rank = loop_count[s];
                loop_count[s] += 1;
                let reach = LOOP_REACH + LOOP_STEP * rank as f64;
                let label_w = label
                    .as_deref()
                    .map_or(0.0, |l| LOOP_LABEL_GAP + label_box(l).0);
                // Left to right, a node's loop labels stand one under the other (here: side by
                // side), so their room adds up.
                if direction == Direction::LeftRight {
                    loop_labels[s] += label_w;
                }
                let labels_w = loop_labels[s].max(label_w);
                verts[s].right = verts[s].right.max(sizes[s].0 / 2.0 + reach + labels_w);
                loops.push(SelfLoop {
                    edge: e.id().index(),
                    node: s,
                    rank,
                    label,
                });
                continue;
            }
            let is_back = back[e.id().index()];
            let (top, bottom) = if is_back { (t, s) } else { (s, t) };
            let mut path = vec![top];
            for l in layer[top] + 1..layer[bottom] {
                path.push(verts.len());
                verts.push(Vertex {
                    layer: l,
                    left: 0.0,
                    right: 0.0,
                    height: 0.0,
                    forward_label: false,
                });
            }
            path.push(bottom);
            // Layering gives every labelled edge 2 rows or more, so it has a dummy to carry it.
            let label = label.filter(|_| path.len() > 2).map(|text| {
                // The dummy next to the edge's source.
                let at = if is_back {
                    path[path.len() - 2]
                } else {
                    path[1]
                };
                let (w, h) = label_box(&text);
                let v = &mut verts[at];
                v.left = w / 2.0;
                v.right = w / 2.0;
                v.height = h;
                v.forward_label = !is_back;
                (at, text)
            });
            let pull = pull(e.weight().kind, is_back);
            chains.push(Chain {
                edge: e.id().index(),
                pull,
                verts: path,
                back: is_back,
                label,
            });
        }
        let n = verts.len();
        let (mut up, mut down) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for c in &chains {
            for pair in c.verts.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let w = c.pull
                    * match (a >= real, b >= real) {
                        (true, true) => 4.0,
                        (false, false) => 1.0,
                        _ => 2.0,
                    };
                down[a].push((b, w));
                up[b].push((a, w));
            }
        }
        let rows = vec![Vec::new(); verts.iter().map(|v| v.layer + 1).max().unwrap_or(0)];
        let mut me = Layered {
            verts,
            real,
            chains,
            loops,
            up,
            down,
            rows,
            direction,
        };
        me.initial_order(flow.entry.index());
        me
    }

    /// Rows in depth-first discovery order from the entry (edges in definition order), then from
    /// every vertex not reached: the main path comes first, and the same definition always gives
    /// the same start.
    fn initial_order(&mut self, entry: usize) {
        let n = self.verts.len();
        let mut seen = vec![false; n];
        for root in std::iter::once(entry).chain(0..n) {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                self.rows[self.verts[v].layer].push(v);
                for &(w, _) in self.down[v].iter().rev() {
                    if !seen[w] {
                        seen[w] = true;
                        stack.push(w);
                    }
                }
            }
        }
    }
}
