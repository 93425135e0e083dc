//! Phase 6: edges as orthogonal polylines. An edge leaves its source's bottom border (a back
//! edge: its top border) straight down, turns only in the gaps between rows, where no box is,
//! passes every row it skips vertically at its dummy's x, and enters its target's top border
//! straight down; so no edge crosses a box, and every segment is horizontal or vertical.
//!
//! Ports: an edge attaches where it goes when that is in the middle half of its box's side (so
//! an edge straight down is straight), and at the side's middle otherwise (an edge that turns
//! leaves from the middle, not near a corner); several on one side of a node stand at least a
//! step apart, in the order of where they go, in the middle half while they fit there. Columns
//! less than [`SNAP`] apart are lined up, so no edge has a tiny jog.
//!
//! Tracks: where an edge crosses a gap off its column it runs along a horizontal track. Edges
//! whose horizontal runs overlap get different tracks, ordered so that they do not cross where
//! they need not (of two edges going right, the one starting further right runs higher; going
//! left, the one starting further left), and an edge leaving a column another edge enters runs
//! above it. A gap is as tall as its tracks need ([`Plan::gaps`]). Self-loops circle the node's
//! right.

use super::layered::{label_box, Layered};
use super::metrics::{
    label_size, ATTACH_STEP, EDGE_LABEL_H, LOOP_LABEL_GAP, LOOP_REACH, LOOP_STEP, ROW_GAP,
};
use super::place::isotonic;
use super::rows::Rows;
use super::Direction;
use crate::graph::flow::Flow;
use crate::graph::scene::{Edge, Label, Point, Rect};
use petgraph::graph::EdgeIndex;

/// Columns closer than this are lined up (px): a shorter sidestep reads as a kink.
const SNAP: f64 = 6.0;
/// Room between a gap's border and its first or last track (more than an arrowhead), and
/// between tracks.
const TRACK_MARGIN: f64 = 10.0;
const TRACK_STEP: f64 = 6.0;
/// Horizontal runs closer than this share no track.
const TRACK_CLEAR: f64 = 6.0;
/// A column one edge leaves and another enters, closer than this, orders their tracks.
const PIN_NEAR: f64 = 3.0;
/// How much more a port's wish for a straight drop weighs than a wish for the side's middle.
const STRAIGHT: f64 = 100.0;
/// How far in from the corners ports may go on a crowded side.
pub(super) const CROWDED_INSET: f64 = 10.0;

/// The routes' horizontal layout, before the rows' heights are known: every chain's columns
/// and tracks, and how many tracks each gap needs.
pub struct Plan {
    /// Per chain: the x of its vertical run at each of its vertices (ports at the ends).
    cols: Vec<Vec<f64>>,
    /// Per chain: for each gap it crosses, its track, or None where it runs straight.
    tracks: Vec<Vec<Option<usize>>>,
    /// Per row: the tracks in the gap below it.
    gap_tracks: Vec<usize>,
}

impl Plan {
    /// The height of the gap below each row.
    pub fn gaps(&self) -> Vec<f64> {
        self.gap_tracks.iter().map(|&t| gap_height(t)).collect()
    }
}

fn gap_height(tracks: usize) -> f64 {
    ROW_GAP.max(2.0 * TRACK_MARGIN + tracks.saturating_sub(1) as f64 * TRACK_STEP)
}

/// A range of x a port may take.
type Range = (f64, f64);

fn within(v: f64, r: Range) -> bool {
    v >= r.0 - 1e-9 && v <= r.1 + 1e-9
}

/// `widths` are the real vertices' box widths.
pub fn plan(g: &Layered, x: &[f64], widths: &[f64]) -> Plan {
    let middle = |v: usize| (x[v] - widths[v] / 4.0, x[v] + widths[v] / 4.0);
    let n = g.chains.len();
    // Out-ports (on the top vertex's bottom) and in-ports (on the bottom vertex's top), each
    // wanting the column of where it goes: a dummy's, or for an edge between neighbouring rows
    // the other end's port (first guessed from the other box's position, then once more from
    // the ports found).
    let mut out_at = vec![(0.0, (0.0, 0.0)); n];
    let mut in_at: Vec<(f64, Range)> = Vec::new();
    for round in 0..2 {
        let mut below: Vec<Vec<End>> = vec![Vec::new(); g.real];
        for (ci, c) in g.chains.iter().enumerate() {
            let (v, u) = (c.verts[0], c.verts[1]);
            let wish = if g.is_dummy(u) {
                x[u]
            } else if round == 0 {
                let m = middle(u);
                x[v].clamp(m.0, m.1)
            } else {
                in_at[ci].0
            };
            below[v].push(End {
                key: x[u],
                wish,
                chain: ci,
                back: c.back,
            });
        }
        for (v, side) in below.iter_mut().enumerate() {
            spread(side, x[v], widths[v], &mut out_at);
        }
        let mut above: Vec<Vec<End>> = vec![Vec::new(); g.real];
        for (ci, c) in g.chains.iter().enumerate() {
            let k = c.verts.len();
            let (v, u) = (c.verts[k - 1], c.verts[k - 2]);
            let wish = if g.is_dummy(u) { x[u] } else { out_at[ci].0 };
            above[v].push(End {
                key: wish,
                wish,
                chain: ci,
                back: c.back,
            });
        }
        in_at = vec![(0.0, (0.0, 0.0)); n];
        for (v, side) in above.iter_mut().enumerate() {
            spread(side, x[v], widths[v], &mut in_at);
        }
    }
    let cols: Vec<Vec<f64>> = g
        .chains
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let k = c.verts.len();
            let mut col: Vec<f64> = c.verts.iter().map(|&v| x[v]).collect();
            col[0] = out_at[ci].0;
            col[k - 1] = in_at[ci].0;
            line_up(&mut col, out_at[ci].1, in_at[ci].1);
            col
        })
        .collect();
    // Tracks, gap by gap.
    let mut nets: Vec<Vec<Net>> = vec![Vec::new(); g.rows.len()];
    let mut tracks: Vec<Vec<Option<usize>>> =
        cols.iter().map(|c| vec![None; c.len() - 1]).collect();
    for (ci, c) in g.chains.iter().enumerate() {
        for s in 0..c.verts.len() - 1 {
            let (a, b) = (cols[ci][s], cols[ci][s + 1]);
            if a != b {
                nets[g.verts[c.verts[s]].layer].push(Net {
                    a,
                    b,
                    chain: ci,
                    seg: s,
                });
            }
        }
    }
    let mut gap_tracks = vec![0; g.rows.len()];
    for (l, gap) in nets.iter().enumerate() {
        let t = assign_tracks(gap);
        gap_tracks[l] = t.iter().map(|t| t + 1).max().unwrap_or(0);
        for (net, t) in gap.iter().zip(t) {
            tracks[net.chain][net.seg] = Some(t);
        }
    }
    Plan {
        cols,
        tracks,
        gap_tracks,
    }
}

/// One end of a chain on a side of a node: what orders it (where it goes), the column it would
/// like to attach at, its chain.
#[derive(Clone)]
struct End {
    key: f64,
    wish: f64,
    chain: usize,
    /// A loop back up: it stands two steps from its neighbours on the side, its own lane apart
    /// from the edges of the main flow (which would otherwise run a step beside it).
    back: bool,
}

/// Ports for the ends on one side of a node centred at `cx`, `w` wide: each wishing a column
/// in the side's middle half gets it, the others want the middle; `at` gets each chain's x and
/// the range it may move in.
fn spread(side: &mut [End], cx: f64, w: f64, at: &mut [(f64, Range)]) {
    let n = side.len();
    if n == 0 {
        return;
    }
    side.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.chain.cmp(&b.chain)));
    let middle = (cx - w / 4.0, cx + w / 4.0);
    // A loop's end keeps its place in the order (so it crosses none of the main flow's ends)
    // but stands two steps from its neighbours, its own lane rather than a step beside them,
    // where that fits in the middle half (else the side is spread evenly, as any other).
    let mut units: Vec<f64> = (1..n)
        .map(|k| if side[k].back || side[k - 1].back { 2.0 } else { 1.0 })
        .collect();
    if units.iter().sum::<f64>() * ATTACH_STEP > middle.1 - middle.0 {
        units.fill(1.0);
    }
    let total: f64 = units.iter().sum();
    let fits = total * ATTACH_STEP <= middle.1 - middle.0;
    let inset = CROWDED_INSET.min(w / 4.0);
    let (lo, hi) = if fits {
        middle
    } else {
        (cx - w / 2.0 + inset, cx + w / 2.0 - inset)
    };
    let step = if n > 1 {
        ATTACH_STEP.min((hi - lo) / total)
    } else {
        0.0
    };
    // A straight drop weighs far more than a wish for the middle.
    let (want, weight): (Vec<f64>, Vec<f64>) = side
        .iter()
        .map(|e| {
            if within(e.wish, middle) {
                (e.wish.clamp(lo, hi), STRAIGHT)
            } else {
                (cx, 1.0)
            }
        })
        .unzip();
    let mut off = vec![0.0; n];
    for k in 1..n {
        off[k] = off[k - 1] + units[k - 1] * step;
    }
    let x = isotonic(&want, &weight, &off);
    let span = off[n - 1];
    for (k, e) in side.iter().enumerate() {
        let (min, max) = (lo + off[k], hi - (span - off[k]));
        at[e.chain] = (x[k].clamp(min, max.max(min)), (lo, hi));
    }
}

/// Lines up neighbouring columns closer than [`SNAP`]: a dummy's column moves freely, a port
/// within its range.
fn line_up(col: &mut [f64], out: Range, inn: Range) {
    let k = col.len();
    let movable = |i: usize, to: f64| {
        if i == 0 {
            within(to, out)
        } else if i == k - 1 {
            within(to, inn)
        } else {
            true
        }
    };
    let near = |a: f64, b: f64| a != b && (a - b).abs() < SNAP;
    for i in 0..k - 1 {
        if !near(col[i], col[i + 1]) {
            continue;
        }
        if movable(i + 1, col[i]) {
            col[i + 1] = col[i];
            continue;
        }
        // Move the earlier columns instead, back as far as they were lined up.
        let to = col[i + 1];
        let mut j = i;
        loop {
            if !movable(j, to) {
                break;
            }
            let was = col[j];
            col[j] = to;
            if j == 0 || !(col[j - 1] == was || near(col[j - 1], to)) {
                break;
            }
            j -= 1;
        }
    }
}

/// A chain's crossing of one gap off its column: from `a` (the top of the gap) to `b`.
#[derive(Clone)]
struct Net {
    a: f64,
    b: f64,
    chain: usize,
    seg: usize,
}

/// Tracks (0 the highest) for a gap's nets: overlapping ones apart, in an order that adds no
/// crossings, as few as that allows (first fit, in a topological order of "runs above").
fn assign_tracks(nets: &[Net]) -> Vec<usize> {
    let n = nets.len();
    let span = |i: usize| (nets[i].a.min(nets[i].b), nets[i].a.max(nets[i].b));
    let overlap = |i: usize, j: usize| {
        let (a, b) = (span(i), span(j));
        a.0 < b.1 + TRACK_CLEAR && b.0 < a.1 + TRACK_CLEAR
    };
    // above[j]: the nets that must run above j.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (ni, nj) = (&nets[i], &nets[j]);
            let i_over_j = if (ni.a - nj.b).abs() < PIN_NEAR {
                // i leaves a column j enters: i's vertical ends above j's.
                true
            } else if overlap(i, j) && (ni.b > ni.a) == (nj.b > nj.a) {
                // Going right, the one starting further right runs higher; left, mirrored.
                if ni.b > ni.a {
                    ni.a > nj.a
                } else {
                    ni.a < nj.a
                }
            } else {
                false
            };
            if i_over_j && !above[j].contains(&i) {
                above[j].push(i);
            }
        }
    }
    let mut track: Vec<Option<usize>> = vec![None; n];
    for _ in 0..n {
        // The first net all of whose aboves are placed; on a cycle, the one with fewest left.
        let pending = |i: usize| above[i].iter().filter(|&&p| track[p].is_none()).count();
        let i = (0..n)
            .filter(|&i| track[i].is_none())
            .min_by_key(|&i| (pending(i), i))
            .expect("a net left");
        let mut t = above[i]
            .iter()
            .filter_map(|&p| track[p])
            .map(|t| t + 1)
            .max()
            .unwrap_or(0);
        while (0..n).any(|j| track[j] == Some(t) && overlap(i, j)) {
            t += 1;
        }
        track[i] = Some(t);
    }
    track.into_iter().map(|t| t.unwrap_or(0)).collect()
}

pub fn edges(
    flow: &Flow,
    g: &Layered,
    x: &[f64],
    plan: &Plan,
    rows: &Rows,
    rects: &[Rect],
) -> Vec<Edge> {
    let mut out: Vec<(usize, Edge)> = Vec::with_capacity(g.chains.len() + g.loops.len());
    let track_y = |l: usize, t: usize| {
        let (top, bottom) = (rows.bottom(l), rows.top[l + 1]);
        let k = plan.gap_tracks[l];
        top + (bottom - top - k.saturating_sub(1) as f64 * TRACK_STEP) / 2.0 + t as f64 * TRACK_STEP
    };
    for (ci, c) in g.chains.iter().enumerate() {
        let col = &plan.cols[ci];
        let k = c.verts.len();
        let (top, bottom) = (c.verts[0], c.verts[k - 1]);
        let mut pts = Vec::with_capacity(2 * k + 4);
        pts.push(Point {
            x: col[0],
            y: rects[top].bottom(),
        });
        for s in 0..k - 1 {
            let l = g.verts[c.verts[s]].layer;
            pts.push(Point {
                x: col[s],
                y: rows.bottom(l),
            });
            if let Some(t) = plan.tracks[ci][s] {
                let y = track_y(l, t);
                pts.push(Point { x: col[s], y });
                pts.push(Point { x: col[s + 1], y });
            }
            pts.push(Point {
                x: col[s + 1],
                y: rows.top[l + 1],
            });
        }
        pts.push(Point {
            x: col[k - 1],
            y: rects[bottom].y,
        });
        let mut pts = simplify(pts);
        if c.back {
            pts.reverse();
        }
        let label = c.label.as_ref().map(|(d, t)| {
            let (w, h) = label_size(t);
            Label {
                text: t.clone(),
                // Where the dummy is: a column lined up moved less than SNAP, well inside.
                rect: Rect::centered(x[*d], rows.middle(g.verts[*d].layer), w, h),
            }
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
            // The box as laid out here (transposed left to right; the scene turns it back).
            let (w, h) = label_box(g.direction, t);
            let all = g.loops.iter().filter(|o| o.node == s.node).count();
            let outer = LOOP_REACH + LOOP_STEP * (all - 1) as f64;
            let x = r.right() + outer + LOOP_LABEL_GAP + w / 2.0;
            let rect = match g.direction {
                // The node's loop labels one above the other, beside the loops.
                Direction::TopDown => Rect::centered(
                    x,
                    cy + (s.rank as f64 - (all - 1) as f64 / 2.0) * EDGE_LABEL_H,
                    w,
                    h,
                ),
                // Left to right, one under the other below the loops: side by side here.
                Direction::LeftRight => {
                    let before: f64 = g
                        .loops
                        .iter()
                        .filter(|o| o.node == s.node && o.rank < s.rank)
                        .filter_map(|o| o.label.as_deref())
                        .map(|l| label_box(g.direction, l).0 + LOOP_LABEL_GAP)
                        .sum();
                    Rect::centered(x + before, cy, w, h)
                }
            };
            Label {
                text: t.clone(),
                rect,
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
        rules: flow.graph[EdgeIndex::new(e)].rules.clone(),
    }
}

/// Drops repeated points and the middle of three points on one vertical or horizontal line.
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
            let vertical = (a.x - b.x).abs() < 1e-9 && (b.x - p.x).abs() < 1e-9;
            let horizontal = (a.y - b.y).abs() < 1e-9 && (b.y - p.y).abs() < 1e-9;
            if vertical || horizontal {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
