//! Layout stability over edits of real definitions (../shared/realworld/defs.jsonl): rename a
//! state, add a Catch to a Task, add a rule to a Choice; then measure how far the states the edit
//! did not touch move (their boxes' centres, px). A small edit should move little: most states
//! stay where they were, and the rest move by about the room the edit added.

use serde_json::{json, Value};
use sfnsim::asl::model;
use sfnsim::graph::{self, Scene};
use std::collections::BTreeMap;
use std::path::Path;

fn realworld() -> Option<Vec<(String, Value)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld/defs.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (
                    v["id"].as_str().unwrap_or_default().to_string(),
                    v["definition"].clone(),
                )
            })
            .collect(),
    )
}

fn scene(def: &Value) -> Option<Scene> {
    let machine = model::build(def).ok()?;
    Some(graph::scene_of(&machine, Some(def)))
}

fn top_states(def: &Value) -> Vec<(String, Value)> {
    def["States"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The definition with top-level state `old` renamed to `new`, every top-level reference too.
fn rename(def: &Value, old: &str, new: &str) -> Value {
    let mut d = def.clone();
    // Only fields that are there (indexing a missing key would add a null).
    let fix = |v: &mut Value, key: &str| {
        if let Some(v) = v.get_mut(key).filter(|v| v.as_str() == Some(old)) {
            *v = json!(new);
        }
    };
    fix(&mut d, "StartAt");
    let states = d["States"].as_object_mut().unwrap();
    let mut renamed = serde_json::Map::new();
    for (k, mut s) in std::mem::take(states) {
        fix(&mut s, "Next");
        fix(&mut s, "Default");
        for list in ["Choices", "Catch"] {
            if let Some(items) = s.get_mut(list).and_then(Value::as_array_mut) {
                items.iter_mut().for_each(|c| fix(c, "Next"));
            }
        }
        renamed.insert(if k == old { new.to_string() } else { k }, s);
    }
    *states = renamed;
    d
}

/// An edit tried on a definition: (what, the edited definition, the node ids it touches, the
/// renaming of ids).
type Edit = (&'static str, Value, Vec<String>, Option<(String, String)>);

fn edits(def: &Value) -> Vec<Edit> {
    let states = top_states(def);
    let mut out = Vec::new();
    // Rename the state with the shortest name (its box may grow a little).
    if let Some((name, _)) = states.iter().min_by_key(|(n, _)| n.len()) {
        let new = format!("{name} renamed");
        out.push((
            "rename",
            rename(def, name, &new),
            vec![],
            Some((name.clone(), new)),
        ));
    }
    // A Catch from the first Task without one to the first Fail.
    let fail = states
        .iter()
        .find(|(_, s)| s["Type"] == "Fail")
        .map(|(n, _)| n.clone());
    let task = states
        .iter()
        .find(|(_, s)| s["Type"] == "Task" && s.get("Catch").is_none())
        .map(|(n, _)| n.clone());
    if let (Some(task), Some(fail)) = (task, fail) {
        let mut d = def.clone();
        d["States"][&task]["Catch"] = json!([{"ErrorEquals": ["States.Timeout"], "Next": fail}]);
        out.push(("add a Catch", d, vec![task, fail], None));
    }
    // A rule on the first Choice, to its Default.
    if let Some((choice, s)) = states.iter().find(|(_, s)| s["Type"] == "Choice") {
        let target = s["Default"]
            .as_str()
            .or(s["Choices"][0]["Next"].as_str())
            .map(str::to_string);
        if let Some(target) = target {
            let mut d = def.clone();
            d["States"][choice]["Choices"]
                .as_array_mut()
                .unwrap()
                .push(json!({"Variable": "$.added", "BooleanEquals": true, "Next": target}));
            out.push(("add a Choice rule", d, vec![choice.clone(), target], None));
        }
    }
    out
}

/// How far each untouched node moved (px), by id.
fn moves(
    before: &Scene,
    after: &Scene,
    touched: &[String],
    renamed: &Option<(String, String)>,
) -> Vec<f64> {
    let at: BTreeMap<&str, graph::Point> = after
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.rect.center()))
        .collect();
    let mut out = Vec::new();
    for n in &before.nodes {
        let top = n.id.split('/').next().unwrap_or_default();
        if touched.iter().any(|t| t == top) {
            continue;
        }
        let id = match renamed {
            Some((old, new)) if top == old => n.id.replacen(old, new, 1),
            _ => n.id.clone(),
        };
        if let Some(p) = at.get(id.as_str()) {
            let c = n.rect.center();
            out.push(((p.x - c.x).powi(2) + (p.y - c.y).powi(2)).sqrt());
        }
    }
    out
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn small_edits_of_real_definitions_move_untouched_states_little() {
    let Some(defs) = realworld() else {
        eprintln!("../shared/realworld is not there: skipped");
        return;
    };
    // Per kind of edit: every untouched node's move, and how many edits moved nothing at all.
    let mut all: BTreeMap<&str, (Vec<f64>, usize, usize)> = BTreeMap::new();
    for (id, def) in &defs {
        let Some(before) = scene(def) else { continue };
        for (what, edited, touched, renamed) in edits(def) {
            let after = scene(&edited).unwrap_or_else(|| panic!("{id}: {what} builds"));
            let m = moves(&before, &after, &touched, &renamed);
            assert!(
                !m.is_empty() || before.nodes.len() <= 4,
                "{id}: {what}: nodes matched"
            );
            let e = all.entry(what).or_default();
            e.1 += 1;
            if m.iter().all(|&d| d < 0.5) {
                e.2 += 1;
            }
            e.0.extend(m);
        }
    }
    for (what, (m, edits, still)) in &mut all {
        let n = m.len();
        let unmoved = m.iter().filter(|&&d| d < 0.5).count() as f64 / n as f64;
        let (median, p90) = (percentile(m, 0.5), percentile(m, 0.9));
        eprintln!(
            "{what}: {edits} edits ({still} moved nothing), {n} untouched states: {:.0} % did not move, median {median:.1} px, 90th percentile {p90:.1} px",
            100.0 * unmoved
        );
        assert!(*edits >= 20, "{what}: enough edits ({edits})");
        // Bounds a little above what the layout does today, so that a change which makes it
        // jumpier fails. A renamed state or a new Catch leaves most states in place; a new rule
        // adds a labelled edge, so the Choice's fan-out re-centres and its row shifts sideways.
        // A new Catch may also let a loop pass on the other side (fewer crossings: order.rs's
        // second sweep), which moved the 90th percentile from 17 to 38 px; crossings over
        // ../shared/realworld fell from 61 to 48 for it.
        let (most, nine_in_ten) = match *what {
            "rename" => (1.0, 30.0),
            "add a Catch" => (1.0, 40.0),
            _ => (25.0, 110.0),
        };
        assert!(median <= most, "{what}: median move {median:.1} px");
        assert!(p90 <= nine_in_ten, "{what}: 90th percentile {p90:.1} px");
    }
}
