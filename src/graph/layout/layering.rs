//! Phase 2: a layer (row) for every node, top to bottom. Longest path over the DAG that is left
//! once back edges are reversed, in petgraph's topological order: a node sits one row below the
//! lowest of its predecessors, two rows for a labelled edge (its label gets a row of its own).
//! The End marker gets the bottom row to itself.

use crate::graph::flow::{Flow, StepKind};
use petgraph::algo::toposort;
use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;

/// Rows an edge spans at least: 2 when it carries a label, else 1.
pub fn min_span(labelled: bool) -> usize {
    if labelled {
        2
    } else {
        1
    }
}

/// The layer of each node (by index).
pub fn assign(flow: &Flow, back: &[bool]) -> Vec<usize> {
    let g = &flow.graph;
    let mut dag = DiGraph::<(), usize>::with_capacity(g.node_count(), g.edge_count());
    for _ in g.node_indices() {
        dag.add_node(());
    }
    for e in g.edge_references() {
        if e.source() == e.target() {
            continue;
        }
        let span = min_span(e.weight().label.is_some());
        if back[e.id().index()] {
            dag.add_edge(e.target(), e.source(), span);
        } else {
            dag.add_edge(e.source(), e.target(), span);
        }
    }
    let order = toposort(&dag, None).expect("back edges reversed leave no cycle");
    let mut layer = vec![0usize; g.node_count()];
    for v in order {
        for e in dag.edges(v) {
            let t = e.target().index();
            layer[t] = layer[t].max(layer[v.index()] + e.weight());
        }
    }
    if let Some(end) = g.node_indices().find(|&n| g[n].kind == StepKind::End) {
        let lowest = g
            .node_indices()
            .filter(|&n| n != end)
            .map(|n| layer[n.index()])
            .max()
            .unwrap_or(0);
        layer[end.index()] = lowest + 1;
    }
    layer
}
