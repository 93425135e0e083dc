//! Phase 4: an x for every vertex, rows keeping their order. The positions minimise
//! Σ w·(x_u − x_v)² over the links (so chains stand straight and a fan-out sits centred under
//! its source) subject to the spacing each row needs. Each row's part of that problem, with the
//! other rows fixed, is a weighted isotonic regression, which pool-adjacent-violators solves
//! exactly in linear time; sweeping the rows down and up is block coordinate descent.
//! The last sweep places every row under the row above only, so that a fan-out is centred under
//! its source, and there states outweigh the dummies of plain edges a thousandfold and labels
//! of forward edges thirtyfold: a box goes where its edges pull it and edges passing through its row bend
//! around it.

use super::layered::Layered;
use super::metrics::{GAP_EDGE, GAP_EDGES, GAP_NODES};

/// Sweeps using both neighbouring rows, between the first and last downward-only sweeps.
const BALANCING_SWEEPS: usize = 8;
/// How much more a state, and an edge label, weighs than a plain dummy in the last sweep.
const STATES_FIRST: f64 = 1000.0;
const LABELS_FIRST: f64 = 30.0;

#[derive(Clone, Copy, PartialEq)]
enum Pull {
    Above,
    Below,
    Both,
}

/// The x of every vertex (its centre); the leftmost extent is 0.
pub fn x_positions(g: &Layered) -> Vec<f64> {
    let mut x = vec![0.0; g.verts.len()];
    for row in &g.rows {
        let off = offsets(g, row);
        for (&v, o) in row.iter().zip(off) {
            x[v] = o;
        }
    }
    sweep(g, &mut x, true, Pull::Above, (1.0, 1.0));
    for i in 0..BALANCING_SWEEPS {
        sweep(g, &mut x, i % 2 == 1, Pull::Both, (1.0, 1.0));
    }
    sweep(g, &mut x, true, Pull::Above, (STATES_FIRST, LABELS_FIRST));
    let min = g
        .verts
        .iter()
        .zip(&x)
        .map(|(v, x)| x - v.left)
        .fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        x.iter_mut().for_each(|x| *x -= min);
    }
    x
}

/// The least distance between the centres of neighbours `a` (left) and `b`.
fn separation(g: &Layered, a: usize, b: usize) -> f64 {
    let gap = match (g.is_dummy(a), g.is_dummy(b)) {
        (false, false) => GAP_NODES,
        (true, true) => GAP_EDGES,
        _ => GAP_EDGE,
    };
    g.verts[a].right + gap + g.verts[b].left
}

/// Cumulative separations along a row: the row packed to the left from 0.
fn offsets(g: &Layered, row: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(row.len());
    let mut at = 0.0;
    for (i, &v) in row.iter().enumerate() {
        if i > 0 {
            at += separation(g, row[i - 1], v);
        }
        out.push(at);
    }
    out
}

/// `boost`: how much more states and edge labels weigh than plain dummies.
fn sweep(g: &Layered, x: &mut [f64], downward: bool, pull: Pull, boost: (f64, f64)) {
    let order: Vec<usize> = if downward {
        (0..g.rows.len()).collect()
    } else {
        (0..g.rows.len()).rev().collect()
    };
    for l in order {
        let row = &g.rows[l];
        let mut want = Vec::with_capacity(row.len());
        let mut weight = Vec::with_capacity(row.len());
        for &v in row {
            let mut sw = 0.0;
            let mut swx = 0.0;
            let mut add = |ns: &[(usize, f64)]| {
                for &(u, w) in ns {
                    sw += w;
                    swx += w * x[u];
                }
            };
            if pull != Pull::Below {
                add(&g.up[v]);
            }
            if pull != Pull::Above {
                add(&g.down[v]);
            }
            if sw > 0.0 {
                want.push(swx / sw);
                weight.push(if !g.is_dummy(v) {
                    sw * boost.0
                } else if g.is_forward_label(v) {
                    sw * boost.1
                } else {
                    sw
                });
            } else {
                // Nothing pulls it: it stays, held lightly.
                want.push(x[v]);
                weight.push(1e-3);
            }
        }
        let off = offsets(g, row);
        for (&v, nx) in row.iter().zip(isotonic(&want, &weight, &off)) {
            x[v] = nx;
        }
    }
}

/// Minimises Σ wᵢ(xᵢ − dᵢ)² subject to xᵢ₊₁ − xᵢ ≥ offᵢ₊₁ − offᵢ, by pool-adjacent-violators
/// on yᵢ = xᵢ − offᵢ (which must not decrease).
pub fn isotonic(want: &[f64], weight: &[f64], off: &[f64]) -> Vec<f64> {
    // Blocks of (total weight, weighted sum of targets, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(want.len());
    for i in 0..want.len() {
        blocks.push((weight[i], weight[i] * (want[i] - off[i]), 1));
        while blocks.len() > 1 {
            let (w1, s1, n1) = blocks[blocks.len() - 1];
            let (w0, s0, n0) = blocks[blocks.len() - 2];
            if s0 / w0 <= s1 / w1 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().unwrap() = (w0 + w1, s0 + s1, n0 + n1);
        }
    }
    let mut out = Vec::with_capacity(want.len());
    for (w, s, n) in blocks {
        let y = s / w;
        for _ in 0..n {
            out.push(y + off[out.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::isotonic;

    #[test]
    fn isotonic_spreads_equal_wishes_around_them() {
        let x = isotonic(&[10.0, 10.0, 10.0], &[1.0; 3], &[0.0, 5.0, 10.0]);
        assert_eq!(x, [5.0, 10.0, 15.0]);
        let x = isotonic(&[0.0, 100.0], &[1.0; 2], &[0.0, 5.0]);
        assert_eq!(x, [0.0, 100.0], "far apart wishes are met");
    }
}
