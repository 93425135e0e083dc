//! Phase 6: edges as polylines. An edge leaves its source's bottom border (a back edge: its top
//! border), runs straight down to the bottom of the row, crosses each gap between rows in one
//! segment, passes every row it skips vertically at its dummy's x, and enters its target's top
//! border. Bends happen only in the gaps between rows, where no box is, and the vertical parts
//! run where the row keeps room for them, so no edge crosses a box. An edge attaches above or
//! below where it goes (so an edge straight down is straight), several on one side of a node at
//! least a step apart, in the order of where they go. Self-loops circle the node's right.

use super::layered::Layered;
use super::metrics::{ATTACH_STEP, EDGE_LABEL_H, LABEL_PAD, LOOP_LABEL_GAP, LOOP_REACH, LOOP_STEP};
use super::place::isotonic;
use super::rows::Rows;
use crate::graph::flow::Flow;
use crate::graph::scene::{Edge, Label, Point, Rect};
use crate::graph::text;
use petgraph::graph::EdgeIndex;

pub fn edges(flow: &Flow, g: &Layered, x: &[f64], rows: &Rows, rects: &[Rect]) -> Vec<Edge> {
    let (bottom_at, top_at) = attachments(g, x, rects);
    let mut out: Vec<(usize, Edge)> = Vec::with_capacity(g.chains.len() + g.loops.len());
    for (ci, c) in g.chains.iter().enumerate() {
        let (top, bottom) = (c.verts[0], c.verts[c.verts.len() - 1]);
        let mut pts = Vec::with_capacity(2 * c.verts.len() + 2);
        let (tx, tr) = (bottom_at[ci], rects[top]);
        pts.push(Point {
            x: tx,
            y: tr.bottom(),
        });
        pts.push(Point {
            x: tx,
            y: rows.bottom(g.verts[top].layer),
        });
        for &d in &c.verts[1..c.verts.len() - 1] {
            let l = g.verts[d].layer;
            pts.push(Point {
                x: x[d],
                y: rows.top[l],
            });
            pts.push(Point {
                x: x[d],
                y: rows.bottom(l),
            });
        }
        let (bx, br) = (top_at[ci], rects[bottom]);
        pts.push(Point {
            x: bx,
            y: rows.top[g.verts[bottom].layer],
        });
        pts.push(Point { x: bx, y: br.y });
        let mut pts = simplify(pts);
        if c.back {
            pts.reverse();
        }
        let label = c.label.as_ref().map(|(d, t)| Label {
            text: t.clone(),
            rect: Rect::centered(
                x[*d],
                rows.middle(g.verts[*d].layer),
                text::width(t) + 2.0 * LABEL_PAD,
                EDGE_LABEL_H,
            ),
        });
        out.push((c.edge, edge(flow, c.edge, c.back, pts, label)));
    }
    for s in &g.loops {
        let r = rects[s.node];
        let reach = LOOP_REACH + LOOP_STEP * s.rank as f64;
        let dy = (r.h / 2.0 - 4.0).min(6.0 + 3.0 * s.rank as f64);
        let cy = r.y + r.h / 2.0;
        let pts = vec![
            Point {
                x: r.right(),
                y: cy - dy,
            },
            Point {
                x: r.right() + reach,
                y: cy - dy,
            },
            Point {
                x: r.right() + reach,
                y: cy + dy,
            },
            Point {
                x: r.right(),
                y: cy + dy,
            },
        ];
        let label = s.label.as_ref().map(|t| {
            let w = text::width(t) + 2.0 * LABEL_PAD;
            let all = g.loops.iter().filter(|o| o.node == s.node).count();
            let outer = LOOP_REACH + LOOP_STEP * (all - 1) as f64;
            let y = cy + (s.rank as f64 - (all - 1) as f64 / 2.0) * EDGE_LABEL_H;
            Label {
                text: t.clone(),
                rect: Rect::centered(
                    r.right() + outer + LOOP_LABEL_GAP + w / 2.0,
                    y,
                    w,
                    EDGE_LABEL_H,
                ),
            }
        });
        out.push((s.edge, edge(flow, s.edge, true, pts, label)));
    }
    out.sort_by_key(|(e, _)| *e);
    out.into_iter().map(|(_, e)| e).collect()
}

fn edge(flow: &Flow, e: usize, back: bool, points: Vec<Point>, label: Option<Label>) -> Edge {
    let (s, t) = flow
        .graph
        .edge_endpoints(EdgeIndex::new(e))
        .expect("edge of this flow");
    Edge {
        from: s.index(),
        to: t.index(),
        kind: flow.graph[EdgeIndex::new(e)].kind,
        back,
        points,
        label,
    }
}

/// The x where each chain leaves its top vertex's bottom border and enters its bottom vertex's
/// top border: edges on one side of a node spread around its centre, ordered by where they go.
fn attachments(g: &Layered, x: &[f64], rects: &[Rect]) -> (Vec<f64>, Vec<f64>) {
    let mut below: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.real];
    let mut above: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.real];
    for (ci, c) in g.chains.iter().enumerate() {
        let n = c.verts.len();
        below[c.verts[0]].push((x[c.verts[1]], ci));
        above[c.verts[n - 1]].push((x[c.verts[n - 2]], ci));
    }
    let mut bottom_at = vec![0.0; g.chains.len()];
    let mut top_at = vec![0.0; g.chains.len()];
    for (v, side) in below.iter_mut().enumerate() {
        spread(side, rects[v], &mut bottom_at);
    }
    for (v, side) in above.iter_mut().enumerate() {
        spread(side, rects[v], &mut top_at);
    }
    (bottom_at, top_at)
}

fn spread(side: &mut [(f64, usize)], r: Rect, at: &mut [f64]) {
    side.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = side.len();
    if n == 0 {
        return;
    }
    // Each edge attaches above or below where it goes, kept off the rounded corners and at
    // least a step from its neighbours: an edge straight down stays straight.
    let inset = (r.h / 2.0).min(r.w / 4.0).max(6.0).min(r.w / 2.0);
    let (lo, hi) = (r.x + inset, r.right() - inset);
    let step = if n > 1 {
        ATTACH_STEP.min((hi - lo) / (n - 1) as f64)
    } else {
        0.0
    };
    let want: Vec<f64> = side.iter().map(|&(x, _)| x.clamp(lo, hi)).collect();
    let off: Vec<f64> = (0..n).map(|k| k as f64 * step).collect();
    let x = isotonic(&want, &vec![1.0; n], &off);
    for (k, &(_, ci)) in side.iter().enumerate() {
        let (min, max) = (lo + off[k], hi - off[n - 1 - k]);
        at[ci] = x[k].clamp(min, max.max(min));
    }
}

/// Drops repeated points and the middle of three points on one vertical line.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if let Some(last) = out.last() {
            if (last.x - p.x).abs() < 1e-9 && (last.y - p.y).abs() < 1e-9 {
                continue;
            }
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            if (a.x - b.x).abs() < 1e-9 && (b.x - p.x).abs() < 1e-9 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
