//! The definition graph's layout: invariants on every scene (no overlapping boxes, edges from
//! border to border and around boxes, children inside their boxes), shapes (a chain is a straight
//! column, a Choice's fan-out is centred under it), stability, snapshots of the example
//! definitions under tests/graph/ (UPDATE_SNAPSHOTS=1 rewrites them), and a property test over
//! random definitions. GRAPH_PICTURES=DIR also writes each example's SVG into DIR.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sfnsim::api;
use sfnsim::asl::model;
use sfnsim::asl::validate::MachineType;
use sfnsim::graph::{self, Rect, Scene, StepKind};
use std::path::Path;

/// hello.json is the page's default example (src/ui/mod.rs).
const EXAMPLES: &[&str] = &[
    "hello",
    "chain",
    "choice_loop",
    "parallel3",
    "map_choice",
    "catch",
    "order",
];
const EPS: f64 = 0.02;

fn example(name: &str) -> (String, Value) {
    let text = std::fs::read_to_string(format!("tests/graph/{name}.json")).unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

fn scene_of_text(text: &str) -> Scene {
    let machine = api::load_definition(text, MachineType::Standard).expect("valid definition");
    let value: Value = serde_json::from_str(text).unwrap();
    graph::scene_of(&machine, Some(&value))
}

/// Every invariant a scene must keep; the message names the first one broken.
fn check(scene: &Scene) -> Result<(), String> {
    let bounds = Rect {
        x: 0.0,
        y: 0.0,
        w: scene.width,
        h: scene.height,
    };
    for n in &scene.nodes {
        if !bounds.contains(&n.rect, EPS) {
            return Err(format!("{} lies outside the scene", n.id));
        }
        if let Some(f) = n.frame {
            if !scene.frames[f].rect.contains(&n.rect, EPS) {
                return Err(format!(
                    "{} lies outside its frame {}",
                    n.id, scene.frames[f].title
                ));
            }
        }
    }
    for (i, f) in scene.frames.iter().enumerate() {
        let owner = &scene.nodes[f.owner];
        if !owner.kind.is_compound() || !owner.rect.contains(&f.rect, EPS) {
            return Err(format!("frame {i} lies outside its box {}", owner.id));
        }
        for g in &scene.frames[i + 1..] {
            if g.owner == f.owner && f.rect.overlaps(&g.rect) {
                return Err(format!("frames of {} overlap", owner.id));
            }
        }
    }
    // Boxes in one scope (the top level or one frame): states and edge labels.
    let scope_of_edge = |e: &graph::Edge| scene.nodes[e.from].frame;
    let mut scopes: std::collections::BTreeMap<Option<usize>, Vec<(String, Rect)>> =
        Default::default();
    for n in &scene.nodes {
        scopes
            .entry(n.frame)
            .or_default()
            .push((n.id.clone(), n.rect));
    }
    for e in &scene.edges {
        if let Some(l) = &e.label {
            let s = scope_of_edge(e);
            scopes
                .entry(s)
                .or_default()
                .push((format!("label '{}'", l.text), l.rect));
        }
    }
    for boxes in scopes.values() {
        let mut sorted: Vec<&(String, Rect)> = boxes.iter().collect();
        sorted.sort_by(|a, b| a.1.x.total_cmp(&b.1.x));
        for (i, a) in sorted.iter().enumerate() {
            for b in &sorted[i + 1..] {
                if b.1.x >= a.1.right() {
                    break;
                }
                let shrunk = Rect {
                    x: b.1.x + EPS,
                    y: b.1.y + EPS,
                    w: b.1.w - 2.0 * EPS,
                    h: b.1.h - 2.0 * EPS,
                };
                if a.1.overlaps(&shrunk) {
                    return Err(format!("{} overlaps {}", a.0, b.0));
                }
            }
        }
    }
    for e in &scene.edges {
        let (from, to) = (&scene.nodes[e.from], &scene.nodes[e.to]);
        let name = format!("edge {} -> {}", from.id, to.id);
        if e.points.len() < 2 {
            return Err(format!("{name} has fewer than 2 points"));
        }
        if from.frame != to.frame {
            return Err(format!("{name} crosses a frame's border"));
        }
        if !from.rect.on_border(e.points[0], EPS) {
            return Err(format!("{name} does not start on its source's border"));
        }
        if !to.rect.on_border(*e.points.last().unwrap(), EPS) {
            return Err(format!("{name} does not end on its target's border"));
        }
        for seg in e.points.windows(2) {
            for n in scene.nodes.iter().filter(|n| n.frame == from.frame) {
                if n.rect.crossed_by(seg[0], seg[1], 0.5) {
                    return Err(format!("{name} crosses {}", n.id));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn examples_keep_the_invariants_and_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let pictures = std::env::var_os("GRAPH_PICTURES");
    let mut stale = Vec::new();
    for name in EXAMPLES {
        let (text, _) = example(name);
        let scene = scene_of_text(&text);
        check(&scene).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            scene,
            scene_of_text(&text),
            "{name}: the same definition gives the same scene"
        );
        let json = serde_json::to_string_pretty(&scene).unwrap() + "\n";
        let path = format!("tests/graph/snapshots/{name}.json");
        if update {
            std::fs::write(&path, &json).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
            stale.push(path);
        }
        if let Some(dir) = &pictures {
            std::fs::write(Path::new(dir).join(format!("{name}.svg")), scene.to_svg()).unwrap();
        }
    }
    if let Some(dir) = &pictures {
        let big = sfnsim::graph::sample::definition(300, 7);
        let scene = scene_of_text(&big.to_string());
        std::fs::write(Path::new(dir).join("generated300.svg"), scene.to_svg()).unwrap();
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (UPDATE_SNAPSHOTS=1 rewrites them): {stale:?}"
    );
}

#[test]
fn a_chain_is_a_straight_column() {
    let scene = scene_of_text(&example("chain").0);
    let x = scene.nodes[0].rect.center().x;
    for n in &scene.nodes {
        assert!(
            (n.rect.center().x - x).abs() < EPS,
            "{} is off the column",
            n.id
        );
    }
    let mut ys: Vec<f64> = scene.nodes.iter().map(|n| n.rect.y).collect();
    let sorted = {
        let mut s = ys.clone();
        s.sort_by(f64::total_cmp);
        s
    };
    assert_eq!(ys, sorted, "the chain goes down in definition order");
    ys.dedup();
    assert_eq!(ys.len(), scene.nodes.len(), "one state a row");
    for e in &scene.edges {
        assert_eq!(e.points.len(), 2, "a straight edge");
        assert!((e.points[0].x - e.points[1].x).abs() < EPS);
    }
}

#[test]
fn a_choice_fan_out_is_centred_under_it() {
    for name in ["choice_loop", "map_choice", "order"] {
        let scene = scene_of_text(&example(name).0);
        let mut fans = 0;
        for (i, n) in scene
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == StepKind::Choice)
        {
            let labels: Vec<f64> = scene
                .edges
                .iter()
                .filter(|e| e.from == i && !e.back)
                .filter_map(|e| e.label.as_ref().map(|l| l.rect.center().x))
                .collect();
            if labels.len() < 2 {
                continue;
            }
            fans += 1;
            let mean = labels.iter().sum::<f64>() / labels.len() as f64;
            let (lo, hi) = labels
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            assert!(
                (mean - n.rect.center().x).abs() < 0.5,
                "{name}: {}'s fan-out is centred: {mean} vs {}",
                n.id,
                n.rect.center().x
            );
            assert!(
                lo < n.rect.center().x && n.rect.center().x < hi,
                "{name}: {} sits above the middle of its fan-out",
                n.id
            );
            for e in scene.edges.iter().filter(|e| e.from == i && !e.back) {
                assert!(
                    e.label.as_ref().unwrap().rect.y > n.rect.bottom(),
                    "labels under the Choice"
                );
            }
        }
        assert!(fans > 0, "{name} has a Choice that fans out");
    }
}

#[test]
fn loops_are_back_edges_and_parallel_branches_stand_side_by_side() {
    let scene = scene_of_text(&example("choice_loop").0);
    let back: Vec<_> = scene.edges.iter().filter(|e| e.back).collect();
    assert_eq!(back.len(), 1);
    let (from, to) = (&scene.nodes[back[0].from], &scene.nodes[back[0].to]);
    assert_eq!((from.name.as_str(), to.name.as_str()), ("Enough?", "Work"));
    assert!(to.rect.bottom() < from.rect.y, "the loop goes up");

    let scene = scene_of_text(&example("parallel3").0);
    let frames: Vec<Rect> = scene.frames.iter().map(|f| f.rect).collect();
    assert_eq!(frames.len(), 3);
    assert!(frames
        .windows(2)
        .all(|w| w[0].right() < w[1].x && w[0].y == w[1].y));
    let ids: Vec<&str> = scene.nodes.iter().map(|n| n.id.as_str()).collect();
    assert!(ids.contains(&"Fan out/2/Store labels"), "{ids:?}");
}

#[test]
fn a_small_edit_moves_little() {
    let (_, base) = example("order");
    let before = scene_of_text(&base.to_string());
    // Another threshold, same label width: nothing moves.
    let mut edited = base.clone();
    edited["States"]["Order type?"]["Choices"][0]["NumericGreaterThan"] = json!(2000);
    let after = scene_of_text(&edited.to_string());
    for (a, b) in before.nodes.iter().zip(&after.nodes) {
        assert_eq!(a.rect, b.rect, "{}", a.id);
    }
    // A name 10 characters longer (72 px): the rows stay; nothing moves sideways by more than
    // the box grew.
    let text = base
        .to_string()
        .replace("Send confirmation", "Send the order confirmation");
    let after = scene_of_text(&text);
    for (a, b) in before.nodes.iter().zip(&after.nodes) {
        assert_eq!(a.rect.y, b.rect.y, "{}", a.id);
        assert!(
            (a.rect.center().x - b.rect.center().x).abs() <= 72.5,
            "{} moved {}",
            a.id,
            a.rect.center().x - b.rect.center().x
        );
    }
}

#[test]
fn generated_definitions_are_valid_and_laid_out_well() {
    for (n, seed) in [(20, 1), (100, 2), (300, 7), (500, 3)] {
        let def = sfnsim::graph::sample::definition(n, seed);
        let text = def.to_string();
        let machine = api::load_definition(&text, MachineType::Standard)
            .unwrap_or_else(|e| panic!("{n}: {}", e.message));
        let scene = graph::scene_of(&machine, Some(&def));
        check(&scene).unwrap_or_else(|e| panic!("{n} states: {e}"));
    }
}

/// splitmix64, for decoding a proptest seed into a definition.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

/// A machine of `n` states with arbitrary transitions (loops, self-loops, unreachable states
/// included): the layout must cope with anything the model can hold, valid or not.
fn random_machine(rng: &mut Rng, n: usize, depth: usize, budget: &mut usize) -> Value {
    let n = n.max(1);
    let name = |i: usize| format!("s{i}");
    let mut states = Map::new();
    for i in 0..n {
        let target = |rng: &mut Rng| json!(name(rng.below(n)));
        let kind = rng.below(if depth < 2 && *budget > 4 { 10 } else { 8 });
        let mut s = match kind {
            0 | 1 => json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f"}),
            2 => json!({"Type": "Pass"}),
            3 => json!({"Type": "Wait", "Seconds": 1}),
            4 | 5 => {
                let rules: Vec<Value> = (0..1 + rng.below(3))
                    .map(|r| json!({"Variable": format!("$.v{r}"), "NumericEquals": r, "Next": target(rng)}))
                    .collect();
                let mut c = json!({"Type": "Choice", "Choices": rules});
                if rng.below(3) > 0 {
                    c["Default"] = target(rng);
                }
                c
            }
            6 => json!({"Type": "Succeed"}),
            7 => json!({"Type": "Fail"}),
            8 => {
                let branches: Vec<Value> = (0..1 + rng.below(3))
                    .map(|_| {
                        let k = 1 + rng.below(6.min(*budget));
                        *budget = budget.saturating_sub(k);
                        random_machine(rng, k, depth + 1, budget)
                    })
                    .collect();
                json!({"Type": "Parallel", "Branches": branches})
            }
            _ => {
                let k = 1 + rng.below(8.min(*budget));
                *budget = budget.saturating_sub(k);
                json!({"Type": "Map", "ItemProcessor": random_machine(rng, k, depth + 1, budget)})
            }
        };
        if !matches!(kind, 4..=7) {
            if rng.below(4) == 0 {
                s["End"] = json!(true);
            } else {
                s["Next"] = target(rng);
            }
        }
        if matches!(kind, 0 | 1 | 8 | 9) && rng.below(3) == 0 {
            let catches: Vec<Value> = (0..1 + rng.below(2))
                .map(|_| json!({"ErrorEquals": ["States.ALL"], "Next": target(rng)}))
                .collect();
            s["Catch"] = json!(catches);
        }
        states.insert(name(i), s);
    }
    json!({"StartAt": name(rng.below(n)), "States": states})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn random_definitions_keep_the_invariants(top in 1usize..120, nested in 0usize..80, seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let mut budget = nested;
        let def = random_machine(&mut rng, top, 0, &mut budget);
        let machine = model::build(&def).expect("the model builds");
        let scene = graph::scene_of(&machine, Some(&def));
        prop_assert!(check(&scene).is_ok(), "{}", check(&scene).unwrap_err());
        prop_assert_eq!(&scene, &graph::scene_of(&machine, Some(&def)));
    }

    #[test]
    fn generated_valid_definitions_keep_the_invariants(states in 1usize..200, seed in any::<u64>()) {
        let def = sfnsim::graph::sample::definition(states, seed);
        let scene = scene_of_text(&def.to_string());
        prop_assert!(check(&scene).is_ok(), "{}", check(&scene).unwrap_err());
    }
}

#[test]
fn the_checks_catch_broken_scenes() {
    let scene = scene_of_text(&example("order").0);
    let mut overlap = scene.clone();
    overlap.nodes[2].rect = overlap.nodes[1].rect;
    assert!(check(&overlap).unwrap_err().contains("overlaps"));
    let mut detached = scene.clone();
    detached.edges[0].points[0].y -= 3.0;
    assert!(check(&detached)
        .unwrap_err()
        .contains("start on its source"));
    let mut through = scene.clone();
    let e = through
        .edges
        .iter()
        .position(|e| !e.back && e.points.len() == 2)
        .unwrap();
    let far = through
        .nodes
        .iter()
        .max_by(|a, b| a.rect.y.total_cmp(&b.rect.y))
        .unwrap()
        .rect;
    through.edges[e].points.insert(1, far.center());
    assert!(check(&through).is_err());
    let mut escaped = scene.clone();
    let child = escaped
        .nodes
        .iter()
        .position(|n| n.frame.is_some())
        .unwrap();
    escaped.nodes[child].rect.x -= 400.0;
    assert!(check(&escaped).is_err());
}
