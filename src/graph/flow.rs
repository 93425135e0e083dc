//! The petgraph model of a definition: a node per state, an edge per transition (Next, each Choice
//! rule, Default, each Catch), Start and End markers at the top level, and Parallel branches and
//! Map item processors as nested flows, recursively.
//!
//! Node indexes follow the definition: the Start marker (top level only), then the states in the
//! order they are written, then the End marker; edges of a state are added in the order Next,
//! Choices, Default, Catch. So the same definition always gives the same graph.

use crate::asl::model::{Kind, Machine, State};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use serde_json::Value;

/// What a node stands for: a state of some type, or a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum StepKind {
    Start,
    End,
    Task,
    Choice,
    Pass,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StepKind {
    /// Parallel and Map hold nested flows and are drawn as boxes around them.
    pub fn is_compound(self) -> bool {
        matches!(self, StepKind::Parallel | StepKind::Map)
    }

    pub fn is_marker(self) -> bool {
        matches!(self, StepKind::Start | StepKind::End)
    }

    fn of(kind: &Kind) -> StepKind {
        match kind {
            Kind::Pass { .. } => StepKind::Pass,
            Kind::Task(_) => StepKind::Task,
            Kind::Choice { .. } => StepKind::Choice,
            Kind::Wait(_) => StepKind::Wait,
            Kind::Succeed => StepKind::Succeed,
            Kind::Fail { .. } => StepKind::Fail,
            Kind::Parallel { .. } => StepKind::Parallel,
            Kind::Map(_) => StepKind::Map,
        }
    }
}

/// A node: a state (or marker), with the flows nested in it (Parallel branches, a Map processor).
#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub kind: StepKind,
    pub inner: Vec<Flow>,
    /// What the box around the nested flows says, e.g. "Item processor (distributed)".
    pub inner_titles: Vec<String>,
}

impl Step {
    /// The id prefix of this step's `i`-th nested flow, the step's own id being `id`: a Parallel's
    /// branches are numbered (`Fan/2`), a Map's one processor is the Map itself (`Each`).
    pub fn inner_id(&self, id: &str, i: usize) -> String {
        if self.kind == StepKind::Parallel || self.inner.len() > 1 {
            format!("{id}/{}", i + 1)
        } else {
            id.to_string()
        }
    }
}

/// A state's id under a nested flow's prefix (none at the top level).
pub fn child_id(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// Why one state follows another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum LinkKind {
    Next,
    Choice,
    Default,
    Catch,
}

/// An edge: its kind and, for Choice rules, Default and Catch, a short label. Several rules of
/// one Choice with one target are one edge, labelled with their count; `rules` then lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    pub label: Option<String>,
    pub rules: Vec<String>,
}

/// One machine as a graph: the top level, a Parallel branch or a Map processor.
#[derive(Debug, Clone)]
pub struct Flow {
    pub graph: DiGraph<Step, Link>,
    /// The Start marker at the top level, else the machine's StartAt state.
    pub entry: NodeIndex,
}

impl Flow {
    /// The top-level flow, with Start and End markers. `definition` is the JSON the machine was
    /// built from, used only to label JSONata Choice rules with their `Condition`.
    pub fn top_level(machine: &Machine, definition: Option<&Value>) -> Flow {
        Flow::build(machine, definition, true)
    }

    /// A nested flow (no markers): a Parallel branch or a Map processor on its own.
    pub fn nested(machine: &Machine, definition: Option<&Value>) -> Flow {
        Flow::build(machine, definition, false)
    }

    fn build(machine: &Machine, definition: Option<&Value>, markers: bool) -> Flow {
        let mut graph = DiGraph::with_capacity(machine.states.len() + 2, machine.states.len() * 2);
        let start = markers.then(|| graph.add_node(marker("Start", StepKind::Start)));
        let first = graph.node_count();
        let states_json = definition.and_then(|d| d.get("States"));
        for s in &machine.states {
            let json = states_json.and_then(|m| m.get(&*s.name));
            graph.add_node(step(s, json));
        }
        let end = markers.then(|| graph.add_node(marker("End", StepKind::End)));
        let at = |i: usize| NodeIndex::new(first + i);
        if let Some(start) = start {
            graph.add_edge(start, at(machine.start), link(LinkKind::Next, None));
        }
        for (i, s) in machine.states.iter().enumerate() {
            let json = states_json.and_then(|m| m.get(&*s.name));
            for (target, l) in transitions(s, json) {
                graph.add_edge(at(i), at(target), l);
            }
            if let Some(end) = end {
                if ends_machine(s) {
                    graph.add_edge(at(i), end, link(LinkKind::Next, None));
                }
            }
        }
        Flow {
            graph,
            entry: start.unwrap_or(at(machine.start)),
        }
    }
}

impl Flow {
    /// The ids of every Parallel and Map, at every depth, in definition order (depth first), as
    /// the scene's nodes spell them: what can be collapsed.
    pub fn box_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_boxes("", &mut out);
        out
    }

    fn collect_boxes(&self, prefix: &str, out: &mut Vec<String>) {
        for s in self.graph.node_weights().filter(|s| s.kind.is_compound()) {
            let id = child_id(prefix, &s.name);
            out.push(id.clone());
            for (i, f) in s.inner.iter().enumerate() {
                f.collect_boxes(&s.inner_id(&id, i), out);
            }
        }
    }

    /// The names of every state in this flow and the flows nested in it, in definition order.
    pub fn state_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.graph.node_weights().filter(|s| !s.kind.is_marker()) {
            out.push(s.name.clone());
            for f in &s.inner {
                out.extend(f.state_names());
            }
        }
        out
    }
}

/// A state that ends its machine and is not a Fail: Succeed, or any state with `End: true`.
/// Fail states are ends in themselves and get no edge to the End marker, which keeps large
/// definitions (many Fail states) free of long edges down to the bottom.
fn ends_machine(s: &State) -> bool {
    match s.kind {
        Kind::Fail { .. } | Kind::Choice { .. } => false,
        _ => s.next.is_none(),
    }
}

fn marker(name: &str, kind: StepKind) -> Step {
    Step {
        name: name.to_string(),
        kind,
        inner: Vec::new(),
        inner_titles: Vec::new(),
    }
}

fn link(kind: LinkKind, label: Option<String>) -> Link {
    Link {
        kind,
        label,
        rules: Vec::new(),
    }
}

fn step(s: &State, json: Option<&Value>) -> Step {
    let (inner, inner_titles) = match &s.kind {
        Kind::Parallel { branches } => branches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let j = json.and_then(|j| j.get("Branches")).and_then(|b| b.get(i));
                (Flow::nested(b, j), format!("Branch {}", i + 1))
            })
            .unzip(),
        Kind::Map(m) => {
            let j = json.and_then(|j| j.get("ItemProcessor").or_else(|| j.get("Iterator")));
            let title = if m.distributed {
                "Item processor (distributed)"
            } else {
                "Item processor"
            };
            (vec![Flow::nested(&m.processor, j)], vec![title.to_string()])
        }
        _ => (Vec::new(), Vec::new()),
    };
    Step {
        name: s.name.to_string(),
        kind: StepKind::of(&s.kind),
        inner,
        inner_titles,
    }
}

/// The state's outgoing transitions with their links, in the order Next, Choices, Default, Catch.
fn transitions(s: &State, json: Option<&Value>) -> Vec<(usize, Link)> {
    let mut out = Vec::new();
    if let Some(n) = s.next {
        out.push((n, link(LinkKind::Next, None)));
    }
    if let Kind::Choice { choices, default } = &s.kind {
        // One edge per target, in the order the targets first appear.
        let mut by_target: Vec<(usize, Vec<String>)> = Vec::new();
        for (i, c) in choices.iter().enumerate() {
            let label = if s.jsonata {
                condition_label(json, i)
            } else {
                c.rule.short_label()
            };
            match by_target.iter_mut().find(|(t, _)| *t == c.next) {
                Some((_, rules)) => rules.push(label),
                None => by_target.push((c.next, vec![label])),
            }
        }
        for (target, mut rules) in by_target {
            let l = if rules.len() == 1 {
                link(LinkKind::Choice, rules.pop())
            } else {
                Link {
                    kind: LinkKind::Choice,
                    label: Some(format!("{} rules", rules.len())),
                    rules,
                }
            };
            out.push((target, l));
        }
        if let Some(d) = default {
            out.push((*d, link(LinkKind::Default, Some("Default".to_string()))));
        }
    }
    for c in &s.catch {
        out.push((
            c.next,
            link(LinkKind::Catch, Some(c.error_equals.join(", "))),
        ));
    }
    out
}

/// A JSONata Choice rule's label: its `Condition` without the `{% %}` delimiters, or "Condition"
/// when the definition's JSON is not at hand.
fn condition_label(state: Option<&Value>, i: usize) -> String {
    let cond = state
        .and_then(|s| s.get("Choices"))
        .and_then(|c| c.get(i))
        .and_then(|c| c.get("Condition"));
    match cond {
        Some(Value::String(t)) => {
            let t = t.trim();
            let inner = t
                .strip_prefix("{%")
                .and_then(|t| t.strip_suffix("%}"))
                .unwrap_or(t);
            inner.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        Some(Value::Bool(b)) => b.to_string(),
        _ => "Condition".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::build;
    use petgraph::visit::EdgeRef;
    use serde_json::json;

    fn flow(def: Value) -> Flow {
        Flow::top_level(&build(&def).unwrap(), Some(&def))
    }

    fn edges(f: &Flow) -> Vec<(String, String, LinkKind, Option<String>)> {
        f.graph
            .edge_references()
            .map(|e| {
                (
                    f.graph[e.source()].name.clone(),
                    f.graph[e.target()].name.clone(),
                    e.weight().kind,
                    e.weight().label.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn nodes_edges_and_markers() {
        let f = flow(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "r", "Next": "C",
                  "Catch": [{"ErrorEquals": ["States.Timeout", "X"], "Next": "F"}]},
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "D"}], "Default": "A"},
            "D": {"Type": "Succeed"},
            "F": {"Type": "Fail"}
        }}));
        let names: Vec<_> = f.graph.node_weights().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Start", "A", "C", "D", "F", "End"]);
        let n = |s: &str| Some(s.to_string());
        assert_eq!(
            edges(&f),
            vec![
                ("Start".into(), "A".into(), LinkKind::Next, None),
                ("A".into(), "C".into(), LinkKind::Next, None),
                (
                    "A".into(),
                    "F".into(),
                    LinkKind::Catch,
                    n("States.Timeout, X")
                ),
                ("C".into(), "D".into(), LinkKind::Choice, n("$.n > 10")),
                ("C".into(), "A".into(), LinkKind::Default, n("Default")),
                ("D".into(), "End".into(), LinkKind::Next, None),
            ]
        );
        assert_eq!(f.graph[f.entry].kind, StepKind::Start);
    }

    #[test]
    fn choice_rules_sharing_a_target_are_one_edge() {
        let f = flow(json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericEquals": 1, "Next": "A"},
                {"Variable": "$.n", "NumericEquals": 2, "Next": "B"},
                {"Variable": "$.n", "NumericEquals": 3, "Next": "A"},
                {"Variable": "$.n", "NumericEquals": 4, "Next": "A"}], "Default": "A"},
            "A": {"Type": "Succeed"},
            "B": {"Type": "Succeed"}
        }}));
        let from_c: Vec<_> = f
            .graph
            .edge_references()
            .filter(|e| f.graph[e.source()].name == "C")
            .map(|e| {
                let w = e.weight();
                (
                    f.graph[e.target()].name.clone(),
                    w.kind,
                    w.label.clone().unwrap(),
                    w.rules.clone(),
                )
            })
            .collect();
        assert_eq!(
            from_c,
            vec![
                (
                    "A".into(),
                    LinkKind::Choice,
                    "3 rules".into(),
                    vec!["$.n == 1".to_string(), "$.n == 3".into(), "$.n == 4".into()]
                ),
                ("B".into(), LinkKind::Choice, "$.n == 2".into(), vec![]),
                ("A".into(), LinkKind::Default, "Default".into(), vec![]),
            ]
        );
        let svg = crate::graph::layout(&f).to_svg();
        assert!(
            svg.contains("<title>$.n == 1\n$.n == 3\n$.n == 4</title>"),
            "the rules on hover"
        );
    }

    #[test]
    fn nested_flows_and_jsonata_conditions() {
        let f = flow(
            json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
                "P": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
                        "StartAt": "C", "States": {
                            "C": {"Type": "Choice", "Choices": [
                                {"Condition": "{% $states.input.n > 1 %}", "Next": "Y"}],
                                "Default": "Y"},
                            "Y": {"Type": "Succeed"}}}}}}
                ]}
            }}),
        );
        let p = &f.graph[NodeIndex::new(1)];
        assert_eq!(p.kind, StepKind::Parallel);
        assert_eq!(p.inner_titles, ["Branch 1", "Branch 2"]);
        let m = &p.inner[1].graph[NodeIndex::new(0)];
        assert_eq!(m.kind, StepKind::Map);
        let processor = &m.inner[0];
        assert_eq!(
            processor.graph.node_count(),
            2,
            "nested flows have no markers"
        );
        let labels: Vec<_> = edges(processor).into_iter().map(|e| e.3).collect();
        assert_eq!(
            labels,
            [
                Some("$states.input.n > 1".to_string()),
                Some("Default".into())
            ]
        );
        let without_json = Flow::top_level(
            &build(&json!({"QueryLanguage": "JSONata",
            "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
                {"Condition": "{% true %}", "Next": "Y"}]}, "Y": {"Type": "Succeed"}}}))
            .unwrap(),
            None,
        );
        assert_eq!(edges(&without_json)[1].3.as_deref(), Some("Condition"));
    }
}
