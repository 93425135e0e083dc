//! Phase 1: which edges point back up. A depth-first search from the entry, following each
//! state's edges in definition order (Next, Choices, Default, Catch), then from every state not
//! reached yet; an edge to a state still on the search path closes a loop and is a back edge.
//! Reversing the back edges leaves a DAG to layer; the loops are drawn as back edges.

use crate::graph::flow::Flow;
use petgraph::visit::EdgeRef;

/// `true` for each edge (by index) that is a back edge; self-loops count as back edges.
pub fn back_edges(flow: &Flow) -> Vec<bool> {
    let g = &flow.graph;
    let mut out_edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); g.node_count()];
    for e in g.edge_references() {
        out_edges[e.source().index()].push((e.id().index(), e.target().index()));
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; g.node_count()];
    let mut back = vec![false; g.edge_count()];
    let roots = std::iter::once(flow.entry.index()).chain(0..g.node_count());
    for root in roots {
        if mark[root] != Mark::New {
            continue;
        }
        // (node, next out-edge to look at)
        let mut path = vec![(root, 0usize)];
        mark[root] = Mark::OnPath;
        while let Some(&mut (v, ref mut i)) = path.last_mut() {
            if let Some(&(edge, w)) = out_edges[v].get(*i) {
                *i += 1;
                match mark[w] {
                    Mark::New => {
                        mark[w] = Mark::OnPath;
                        path.push((w, 0));
                    }
                    Mark::OnPath => back[edge] = true,
                    Mark::Done => {}
                }
            } else {
                mark[v] = Mark::Done;
                path.pop();
            }
        }
    }
    back
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::build;
    use crate::graph::flow::Flow;
    use petgraph::algo::is_cyclic_directed;
    use petgraph::graph::DiGraph;
    use serde_json::json;

    #[test]
    fn loops_become_back_edges_and_the_rest_is_acyclic() {
        let def = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "A"},
                {"Variable": "$.n", "NumericEquals": 1, "Next": "B"}], "Default": "C"},
            "C": {"Type": "Succeed"}}});
        let flow = Flow::top_level(&build(&def).unwrap(), None);
        let back = back_edges(&flow);
        let g = &flow.graph;
        let backs: Vec<_> = g
            .edge_references()
            .filter(|e| back[e.id().index()])
            .map(|e| (g[e.source()].name.as_str(), g[e.target()].name.as_str()))
            .collect();
        assert_eq!(backs, [("B", "A"), ("B", "B")]);
        let mut dag = DiGraph::<(), ()>::new();
        g.node_indices().for_each(|_| {
            dag.add_node(());
        });
        for e in g.edge_references().filter(|e| !back[e.id().index()]) {
            dag.add_edge(e.source(), e.target(), ());
        }
        assert!(!is_cyclic_directed(&dag));
    }
}
