//! Phase 3: fewer crossings. Sweeps down and up the rows, each row sorted by the barycentre of
//! its neighbours in the row just fixed (a stable sort, so ties keep their order); the order with
//! the fewest crossings seen is kept (of two runs: ties kept in order, and a loop's dummies first on
//! ties), then neighbours in a row swap while that removes crossings
//! (each swap strictly lowers the count, so this ends). Crossings between two rows are counted in O(E log V) with
//! a Fenwick tree over the lower row's positions.

use super::layered::Layered;

const SWEEPS: usize = 12;

pub fn reduce_crossings(g: &mut Layered) {
    let start = g.rows.clone();
    let (mut best, mut best_count) = sweeps(g, false);
    if best_count > 0 {
        // A loop's dummy level with the state below its target (the same barycentre) may need to
        // pass it on the left, which no single swap finds: again, with loops first on ties.
        g.rows = start;
        let (other, count) = sweeps(g, true);
        if count < best_count {
            (best, best_count) = (other, count);
        }
    }
    g.rows = best;
    if best_count > 0 {
        let mut pos = vec![0usize; g.verts.len()];
        index(&g.rows, &mut pos);
        transpose(g, &mut pos);
    }
}

/// Barycentre sweeps from the current rows; the rows with the fewest crossings seen and their
/// count. Equal barycentres keep their order; with `loops_first`, a loop's dummies go first.
fn sweeps(g: &mut Layered, loops_first: bool) -> (Vec<Vec<usize>>, usize) {
    let mut in_loop = vec![false; g.verts.len()];
    for c in g.chains.iter().filter(|c| loops_first && c.back) {
        for &v in &c.verts[1..c.verts.len() - 1] {
            in_loop[v] = true;
        }
    }
    let mut pos = vec![0usize; g.verts.len()];
    index(&g.rows, &mut pos);
    let mut best = g.rows.clone();
    let mut best_count = crossings(g, &pos);
    for sweep in 0..SWEEPS {
        if best_count == 0 {
            break;
        }
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..g.rows.len()).collect()
        } else {
            (0..g.rows.len().saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let adj = if downward { &g.up } else { &g.down };
            let mut keyed: Vec<(f64, usize, usize)> = g.rows[l]
                .iter()
                .map(|&v| {
                    let ns = &adj[v];
                    let key = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&(u, _)| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            if loops_first {
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(in_loop[b.2].cmp(&in_loop[a.2])).then(a.1.cmp(&b.1)));
            } else {
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
            for (i, &(_, _, v)) in keyed.iter().enumerate() {
                g.rows[l][i] = v;
                pos[v] = i;
            }
        }
        let count = crossings(g, &pos);
        if count < best_count {
            best_count = count;
            best = g.rows.clone();
        }
    }
    (best, best_count)
}

const TRANSPOSE_PASSES: usize = 6;

/// Swaps neighbours in a row while that lowers the crossings of their edges.
fn transpose(g: &mut Layered, pos: &mut [usize]) {
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for l in 0..g.rows.len() {
            for i in 0..g.rows[l].len().saturating_sub(1) {
                let (u, v) = (g.rows[l][i], g.rows[l][i + 1]);
                if pair_crossings(g, pos, v, u) < pair_crossings(g, pos, u, v) {
                    g.rows[l].swap(i, i + 1);
                    pos[u] = i + 1;
                    pos[v] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between the edges of `left` and those of `right` were `left` just left of `right`.
fn pair_crossings(g: &Layered, pos: &[usize], left: usize, right: usize) -> usize {
    let mut n = 0;
    for adj in [&g.up, &g.down] {
        for &(a, _) in &adj[left] {
            for &(b, _) in &adj[right] {
                if pos[a] > pos[b] {
                    n += 1;
                }
            }
        }
    }
    n
}

fn index(rows: &[Vec<usize>], pos: &mut [usize]) {
    for row in rows {
        for (i, &v) in row.iter().enumerate() {
            pos[v] = i;
        }
    }
}

/// Edge crossings between every pair of neighbouring rows.
pub fn crossings(g: &Layered, pos: &[usize]) -> usize {
    let mut total = 0;
    let mut pairs = Vec::new();
    for l in 0..g.rows.len().saturating_sub(1) {
        pairs.clear();
        for &u in &g.rows[l] {
            for &(v, _) in &g.down[u] {
                pairs.push((pos[u], pos[v]));
            }
        }
        pairs.sort_unstable();
        let size = g.rows[l + 1].len();
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, b)) in pairs.iter().enumerate() {
            // Earlier edges (left or equal upper end) whose lower end lies right of b cross this one.
            let mut i = b + 1;
            let mut not_right = 0;
            while i > 0 {
                not_right += tree[i];
                i &= i - 1;
            }
            total += seen - not_right;
            let mut i = b + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::build;
    use crate::graph::flow::Flow;
    use crate::graph::layout::{acyclic, layering};
    use serde_json::json;

    fn layered(def: serde_json::Value) -> Layered {
        let flow = Flow::top_level(&build(&def).unwrap(), None);
        let back = acyclic::back_edges(&flow);
        let layer = layering::assign(&flow, &back);
        let sizes = vec![(80.0, 36.0); flow.graph.node_count()];
        Layered::build(
            &flow,
            &sizes,
            &layer,
            &back,
            crate::graph::layout::Direction::TopDown,
        )
    }

    fn positions(g: &Layered) -> Vec<usize> {
        let mut pos = vec![0; g.verts.len()];
        index(&g.rows, &mut pos);
        pos
    }

    #[test]
    fn crossings_are_counted_and_removed() {
        let mut g = layered(json!({"StartAt": "A", "States": {
            "A": {"Type": "Choice", "Choices": [
                {"Variable": "$.x", "IsNull": true, "Next": "B"}], "Default": "C"},
            "B": {"Type": "Pass", "Next": "D"},
            "C": {"Type": "Pass", "Next": "E"},
            "D": {"Type": "Succeed"},
            "E": {"Type": "Succeed"}}}));
        assert_eq!(crossings(&g, &positions(&g)), 0);
        // D and E are in one row: swap them and the edges B→D and C→E cross.
        let row = g.rows.iter().position(|r| r.contains(&4)).unwrap();
        let (i, j) = (
            g.rows[row].iter().position(|&v| v == 4).unwrap(),
            g.rows[row].iter().position(|&v| v == 5).unwrap(),
        );
        g.rows[row].swap(i, j);
        assert_eq!(crossings(&g, &positions(&g)), 1);
        reduce_crossings(&mut g);
        assert_eq!(crossings(&g, &positions(&g)), 0);
    }

    #[test]
    fn a_paging_loop_passes_its_choice_on_the_left() {
        // A paging loop as published (delete-s3-data.asl.json of ../shared/realworld): the loop
        // from Page back to Delete has the same barycentre as the Choice below Delete; kept to
        // its right it crossed Default's edge, a layout a single swap cannot undo.
        let mut g = layered(json!({"StartAt": "List", "States": {
            "List": {"Type": "Pass", "Next": "Delete"},
            "Delete": {"Type": "Pass", "Next": "Next page?"},
            "Next page?": {"Type": "Choice", "Choices": [
                {"Variable": "$.token", "IsPresent": true, "Next": "Page"}], "Default": "Done"},
            "Page": {"Type": "Pass", "Next": "Delete"},
            "Done": {"Type": "Succeed"}}}));
        reduce_crossings(&mut g);
        assert_eq!(crossings(&g, &positions(&g)), 0, "{:?}", g.rows);
    }
}
