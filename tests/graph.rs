//! The definition graph's layout: invariants on every scene (no overlapping boxes, edges from
//! border to border and around boxes, children inside their boxes), where edges attach and bend
//! ([`port_faults`]: near the middle of a side, never at a corner, orthogonal, no kinks; over the
//! gallery, generated and random definitions and ../shared/realworld when it is there), shapes (a chain is a straight
//! column, a Choice's fan-out is centred under it), stability, snapshots of the example
//! definitions under tests/graph/ (UPDATE_SNAPSHOTS=1 rewrites them), and a property test over
//! random definitions. GRAPH_PICTURES=DIR also writes each example's SVG into DIR.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sfnsim::asl::model;
use sfnsim::asl::validate::MachineType;
use sfnsim::graph::{self, Rect, Scene, StepKind};
use sfnsim::service::load_definition;
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
    let machine = load_definition(text, MachineType::Standard).expect("valid definition");
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
        let machine = load_definition(&text, MachineType::Standard)
            .unwrap_or_else(|e| panic!("{n}: {}", e.message));
        let scene = graph::scene_of(&machine, Some(&def));
        check(&scene).unwrap_or_else(|e| panic!("{n} states: {e}"));
        let f = port_faults(&scene);
        assert!(f.is_empty(), "{n} states: {:?}", &f[..f.len().min(5)]);
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
        let f = port_faults(&scene);
        prop_assert!(f.is_empty(), "{:?}", &f[..f.len().min(5)]);
        prop_assert_eq!(&scene, &graph::scene_of(&machine, Some(&def)));
    }

    #[test]
    fn generated_valid_definitions_keep_the_invariants(states in 1usize..200, seed in any::<u64>()) {
        let def = sfnsim::graph::sample::definition(states, seed);
        let scene = scene_of_text(&def.to_string());
        prop_assert!(check(&scene).is_ok(), "{}", check(&scene).unwrap_err());
        let f = port_faults(&scene);
        prop_assert!(f.is_empty(), "{:?}", &f[..f.len().min(5)]);
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

/// What is wrong with where the edges of `scene` attach and bend:
/// - an end off its box's border or within [`CORNER`] px of a corner;
/// - an end outside the middle half of its side, unless the side has more ends than fit there
///   [`ATTACH_STEP`] apart (an edge leaves from near the middle, not from near a corner);
/// - a segment neither horizontal nor vertical (a slant or a kink), or shorter than [`JOG`] px;
/// - a first or last segment not at right angles to its box's side (leaving or entering
///   along the border), or a last one shorter than the arrowhead.
const CORNER: f64 = 4.0;
const JOG: f64 = 2.0;
/// A horizontal run this short between two verticals reads as a kink too.
const SIDESTEP: f64 = 6.0;
fn port_faults(scene: &Scene) -> Vec<String> {
    use graph::layout::metrics::ATTACH_STEP;
    use graph::svg::ARROW_SIZE;
    let mut out = Vec::new();
    let near_corner = |r: &Rect, p: graph::Point| {
        [
            (r.x, r.y),
            (r.right(), r.y),
            (r.x, r.bottom()),
            (r.right(), r.bottom()),
        ]
        .iter()
        .any(|&(x, y)| (p.x - x).hypot(p.y - y) < CORNER - EPS)
    };
    // The side a border point lies on (0 top, 1 right, 2 bottom, 3 left), its position along
    // it, the side's length, and the direction out of the box.
    let side = |r: &Rect, p: graph::Point| -> (usize, f64, f64, (f64, f64)) {
        if (p.y - r.y).abs() <= EPS {
            (0, p.x - r.x, r.w, (0.0, -1.0))
        } else if (p.y - r.bottom()).abs() <= EPS {
            (2, p.x - r.x, r.w, (0.0, 1.0))
        } else if (p.x - r.right()).abs() <= EPS {
            (1, p.y - r.y, r.h, (1.0, 0.0))
        } else {
            (3, p.y - r.y, r.h, (-1.0, 0.0))
        }
    };
    // (node, side) -> (position along the side, its length, which end).
    type Ends = std::collections::BTreeMap<(usize, usize), Vec<(f64, f64, String)>>;
    let mut ends = Ends::new();
    for e in &scene.edges {
        let (from, to) = (&scene.nodes[e.from], &scene.nodes[e.to]);
        let name = format!("edge {} -> {}", from.id, to.id);
        let k = e.points.len();
        let (first, last) = (e.points[0], e.points[k - 1]);
        for (what, node, p, next) in [
            ("leaves", e.from, first, e.points[1]),
            ("enters", e.to, last, e.points[k - 2]),
        ] {
            let r = &scene.nodes[node].rect;
            if !r.on_border(p, EPS) || near_corner(r, p) {
                out.push(format!(
                    "{name} {what} at a corner or off the border: {p:?}"
                ));
                continue;
            }
            let (s, at, len, (ox, oy)) = side(r, p);
            ends.entry((node, s))
                .or_default()
                .push((at, len, format!("{name} {what}")));
            // From the border outwards, at right angles.
            let (dx, dy) = (next.x - p.x, next.y - p.y);
            let d = dx.hypot(dy);
            if (dx * ox + dy * oy) < d - EPS {
                out.push(format!("{name} {what} its box at a slant: {p:?} {next:?}"));
            }
            if what == "enters" && d < ARROW_SIZE - EPS {
                out.push(format!(
                    "{name} enters after a {d:.2} px segment, shorter than its arrowhead"
                ));
            }
        }
        for s in e.points.windows(2) {
            let (dx, dy) = ((s[1].x - s[0].x).abs(), (s[1].y - s[0].y).abs());
            if dy < EPS && (JOG..SIDESTEP).contains(&dx) {
                out.push(format!("{name} has a {dx:.2} px sidestep at {:?}", s[0]));
            }
            if dx.hypot(dy) < JOG {
                out.push(format!(
                    "{name} has a {:.2} px segment at {:?}",
                    dx.hypot(dy),
                    s[0]
                ));
            } else if dx > EPS && dy > EPS {
                out.push(format!(
                    "{name} has a slanted segment {:?} {:?}",
                    s[0], s[1]
                ));
            }
        }
    }
    for group in ends.values() {
        let (k, len) = (group.len(), group[0].1);
        if (k - 1) as f64 * ATTACH_STEP > len / 2.0 {
            continue;
        }
        for (at, _, what) in group {
            if *at < len / 4.0 - EPS || *at > 3.0 * len / 4.0 + EPS {
                out.push(format!(
                    "{what} {at:.2} px along a {len} px side, off its middle half"
                ));
            }
        }
    }
    out
}

/// The gallery's definitions (www/examples/*.json, each under "definition"), by file name.
fn gallery() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the gallery is at {}", dir.display());
    files
        .iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, v["definition"].to_string())
        })
        .collect()
}

/// Definitions from ../shared/realworld/defs.jsonl that build (every one, or None when the
/// directory is not beside the checkout).
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

#[test]
fn edges_attach_away_from_corners_without_kinks() {
    let mut faults = Vec::new();
    for (name, text) in gallery() {
        let scene = scene_of_text(&text);
        check(&scene).unwrap_or_else(|e| panic!("{name}: {e}"));
        faults.extend(
            port_faults(&scene)
                .into_iter()
                .map(|f| format!("{name}: {f}")),
        );
    }
    for name in EXAMPLES {
        let scene = scene_of_text(&example(name).0);
        faults.extend(
            port_faults(&scene)
                .into_iter()
                .map(|f| format!("{name}: {f}")),
        );
    }
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn realworld_edges_attach_away_from_corners_without_kinks() {
    let Some(defs) = realworld() else {
        eprintln!("../shared/realworld is not there: skipped");
        return;
    };
    let (mut edges, mut faults, mut drawn) = (0, Vec::new(), 0);
    for (id, def) in &defs {
        let Ok(machine) = model::build(def) else {
            continue;
        };
        drawn += 1;
        let scene = graph::scene_of(&machine, Some(def));
        check(&scene).unwrap_or_else(|e| panic!("{id}: {e}"));
        edges += scene.edges.len();
        faults.extend(
            port_faults(&scene)
                .into_iter()
                .map(|f| format!("{id}: {f}")),
        );
    }
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in &faults {
        let kind = [
            "corner",
            "slant",
            "slanted",
            "px segment",
            "sidestep",
            "off its middle",
            "arrowhead",
        ]
        .into_iter()
        .rev()
        .find(|k| f.contains(k))
        .unwrap_or("other");
        *kinds.entry(kind).or_default() += 1;
    }
    let bad_edges: std::collections::BTreeSet<&str> = faults
        .iter()
        .map(|f| {
            &f[..f
                .find(" leaves")
                .or(f.find(" enters"))
                .or(f.find(" has"))
                .unwrap_or(f.len())]
        })
        .collect();
    eprintln!(
        "{drawn} definitions, {edges} edges, {} faults on {} edges: {kinds:?}",
        faults.len(),
        bad_edges.len()
    );
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults[..faults.len().min(40)].join("\n")
    );
}

#[test]
fn the_port_checks_catch_corners_slants_and_kinks() {
    let scene = scene_of_text(&example("order").0);
    assert_eq!(port_faults(&scene), Vec::<String>::new());
    let straight = scene
        .edges
        .iter()
        .position(|e| !e.back && e.points.len() == 2)
        .unwrap();
    let r = scene.nodes[scene.edges[straight].from].rect;
    let faults = |edit: &dyn Fn(&mut Vec<graph::Point>)| {
        let mut s = scene.clone();
        edit(&mut s.edges[straight].points);
        port_faults(&s).join("\n")
    };
    let corner = faults(&|p| {
        p[0].x = r.right() - 1.0;
        p[1].x = r.right() - 1.0;
    });
    assert!(corner.contains("at a corner"), "{corner}");
    let off_middle = faults(&|p| {
        p[0].x = r.right() - 8.0;
        p[1].x = r.right() - 8.0;
    });
    assert!(off_middle.contains("off its middle half"), "{off_middle}");
    let slant = faults(&|p| p[1].x += 0.4);
    assert!(slant.contains("slant"), "{slant}");
    let kink = faults(&|p| {
        let (a, b) = (p[0], p[1]);
        let y = (a.y + b.y) / 2.0;
        p.splice(
            1..1,
            [graph::Point { x: a.x, y }, graph::Point { x: a.x + 3.0, y }],
        );
        p[3].x += 3.0;
    });
    assert!(kink.contains("sidestep"), "{kink}");
    // A last segment of 5 px (the edge drawn in two pieces).
    let stub = faults(&|p| {
        let b = p[1];
        p.insert(
            1,
            graph::Point {
                x: b.x,
                y: b.y - 5.0,
            },
        );
    });
    assert!(stub.contains("shorter than its arrowhead"), "{stub}");
}

/// Left to right keeps every invariant (the same layout, transposed), on the examples and on
/// ../shared/realworld; edges run rightwards: every forward edge ends right of where it starts.
#[test]
fn left_to_right_keeps_the_invariants() {
    let mut defs: Vec<(String, Value)> = EXAMPLES
        .iter()
        .map(|n| (n.to_string(), example(n).1))
        .collect();
    defs.extend(realworld().unwrap_or_default());
    let mut drawn = 0;
    for (id, def) in &defs {
        let Ok(machine) = model::build(def) else {
            continue;
        };
        drawn += 1;
        let tb = graph::scene_of(&machine, Some(def));
        let lr = graph::scene_in(&machine, Some(def), graph::Direction::LeftRight);
        check(&lr).unwrap_or_else(|e| panic!("{id} (LR): {e}"));
        assert_eq!(lr.nodes.len(), tb.nodes.len());
        for (a, b) in tb.nodes.iter().zip(&lr.nodes) {
            // The same label, and room for it (a box with many edges on a side may be larger).
            assert_eq!(a.label, b.label);
            let lines: Vec<String> = b.label.split('\n').map(str::to_string).collect();
            assert!(
                graph::text::lines_width(&lines) <= b.rect.w,
                "{id}: {} holds its name",
                b.id
            );
        }
        for e in lr.edges.iter().filter(|e| !e.back && e.from != e.to) {
            let (p, q) = (e.points[0], *e.points.last().unwrap());
            assert!(
                q.x > p.x,
                "{id}: edge {} -> {} runs rightwards",
                lr.nodes[e.from].id,
                lr.nodes[e.to].id
            );
        }
    }
    assert!(drawn >= EXAMPLES.len());
}

/// Over the gallery, the examples and ../shared/realworld: how many loop ends share a side of
/// a box with another edge's end, and the distance from each to the nearest other end there.
fn loop_lanes() -> (usize, Vec<f64>) {
    let mut scenes: Vec<Scene> = gallery().iter().map(|(_, t)| scene_of_text(t)).collect();
    scenes.extend(EXAMPLES.iter().map(|n| scene_of_text(&example(n).0)));
    if let Some(defs) = realworld() {
        for (_, d) in defs {
            if load_definition(&d.to_string(), MachineType::Standard).is_ok() {
                scenes.push(scene_of_text(&d.to_string()));
            }
        }
    }
    let mut gaps = Vec::new();
    for s in &scenes {
        // (box, y of the side, x, a loop's) of every edge end.
        let mut at: Vec<(usize, i64, f64, bool)> = Vec::new();
        for e in &s.edges {
            let (a, b) = (e.points[0], *e.points.last().unwrap());
            at.push((e.from, a.y.round() as i64, a.x, e.back));
            at.push((e.to, b.y.round() as i64, b.x, e.back));
        }
        for &(n, y, x, _) in at.iter().filter(|p| p.3) {
            let nearest = at
                .iter()
                .filter(|o| o.0 == n && o.1 == y && !o.3)
                .map(|o| (o.2 - x).abs())
                .fold(f64::INFINITY, f64::min);
            if nearest.is_finite() {
                gaps.push(nearest);
            }
        }
    }
    (gaps.len(), gaps)
}

#[test]
fn a_loop_takes_its_own_lane_beside_the_main_flow() {
    // Before loops had their own lane, 15 of the 192 loop ends that share a side with the
    // main flow ran within 12 px (one attach step) of one of its ends; now none does.
    let (shared, gaps) = loop_lanes();
    let near = gaps.iter().filter(|&&g| g < 12.0).count();
    let closest = gaps.iter().cloned().fold(f64::INFINITY, f64::min);
    eprintln!("loop ends sharing a side: {shared}; within 12 px of another end: {near}; closest {closest:.1} px");
    assert!(shared > 100, "{shared}");
    assert_eq!(near, 0, "a loop's end runs a step beside the main flow's (closest {closest:.1} px)");
}

/// The ids of every Parallel and Map of `def` (what the page can collapse).
fn box_ids(machine: &model::Machine, def: &Value) -> Vec<String> {
    graph::Flow::top_level(machine, Some(def)).box_ids()
}

/// A collapsed Parallel or Map is one box: its contents are gone from the scene, it names its
/// type and what it holds, the states around it keep their transitions to and from it, and every
/// invariant holds, top to bottom and left to right; over the examples, the gallery, random
/// definitions and ../shared/realworld, each box collapsed alone and all of them at once.
#[test]
fn collapsed_boxes_keep_the_invariants() {
    let mut defs: Vec<(String, Value)> = EXAMPLES
        .iter()
        .map(|n| (n.to_string(), example(n).1))
        .collect();
    defs.extend(
        gallery()
            .into_iter()
            .map(|(n, t)| (n, serde_json::from_str(&t).unwrap())),
    );
    let mut rng = Rng(7);
    for i in 0..24 {
        let mut budget = 40;
        defs.push((format!("random {i}"), random_machine(&mut rng, 12, 0, &mut budget)));
    }
    defs.extend(realworld().unwrap_or_default());
    let (mut collapsed_boxes, mut nested) = (0, 0);
    for (id, def) in &defs {
        let Ok(machine) = model::build(def) else {
            continue;
        };
        let boxes = box_ids(&machine, def);
        let mut sets: Vec<std::collections::BTreeSet<String>> =
            boxes.iter().map(|b| [b.clone()].into()).collect();
        if boxes.len() > 1 {
            sets.push(boxes.iter().cloned().collect());
        }
        for direction in [graph::Direction::TopDown, graph::Direction::LeftRight] {
            let open = graph::scene_in(&machine, Some(def), direction);
            check(&open).unwrap_or_else(|e| panic!("{id} ({direction:?}, open): {e}"));
            assert_eq!(
                graph::scene_with(&machine, Some(def), direction, &Default::default()),
                open,
                "{id}: nothing collapsed is the usual scene"
            );
            for set in &sets {
                let scene = graph::scene_with(&machine, Some(def), direction, set);
                check(&scene).unwrap_or_else(|e| panic!("{id} ({direction:?}, {set:?}): {e}"));
                let f = port_faults(&scene);
                assert!(f.is_empty(), "{id} {set:?}: {:?}", &f[..f.len().min(5)]);
                for b in set {
                    // A box inside another collapsed box is not drawn at all.
                    let Some(n) = scene.node(b) else {
                        assert!(set.iter().any(|o| o != b && b.starts_with(&format!("{o}/"))));
                        continue;
                    };
                    collapsed_boxes += 1;
                    nested += usize::from(n.frame.is_some());
                    let c = n
                        .collapsed
                        .as_ref()
                        .unwrap_or_else(|| panic!("{id}: {b} collapsed"));
                    let i = scene.nodes.iter().position(|m| m.id == *b).unwrap();
                    assert!(!scene.frames.iter().any(|f| f.owner == i), "{id}: {b} has no frames");
                    assert!(
                        !scene.nodes.iter().any(|m| m.id.starts_with(&format!("{b}/"))),
                        "{id}: nothing of {b} is drawn"
                    );
                    assert_eq!(
                        c.inner.len(),
                        open.nodes
                            .iter()
                            .filter(|m| m.id.starts_with(&format!("{b}/")))
                            .count(),
                        "{id}: {b} lists every state inside it"
                    );
                    let word = match n.kind {
                        StepKind::Parallel => {
                            let branches = open.frames.iter().filter(|f| open.nodes[f.owner].id == *b).count();
                            format!("{branches} branch{}", if branches == 1 { "" } else { "es" })
                        }
                        _ => {
                            let states = open
                                .nodes
                                .iter()
                                .filter(|m| m.id.starts_with(&format!("{b}/")) && !m.id[b.len() + 1..].contains('/'))
                                .count();
                            format!("{states} state{}", if states == 1 { "" } else { "s" })
                        }
                    };
                    assert_eq!(c.summary, word, "{id}: {b}");
                    // The same transitions in and out of the box.
                    let ends = |s: &Scene, i: usize| {
                        let mut v: Vec<(String, String)> = s
                            .edges
                            .iter()
                            .filter(|e| e.from == i || e.to == i)
                            .map(|e| (s.nodes[e.from].id.clone(), s.nodes[e.to].id.clone()))
                            .collect();
                        v.sort();
                        v
                    };
                    let j = open.nodes.iter().position(|m| m.id == *b).unwrap();
                    assert_eq!(ends(&scene, i), ends(&open, j), "{id}: {b}'s edges");
                }
                assert!(scene.nodes.len() < open.nodes.len(), "{id}: fewer boxes collapsed");
            }
        }
    }
    assert!(collapsed_boxes >= 20, "{collapsed_boxes} collapsed boxes checked");
    assert!(nested >= 2, "{nested} collapsed boxes inside another box");
}

/// What a collapsed box shows: its name, its type and what it holds, a second border, and room
/// for the page's expand control; a box's title bar keeps room for its collapse control.
#[test]
fn a_collapsed_box_names_its_type_and_contents() {
    let (text, def) = example("parallel3");
    let machine = load_definition(&text, MachineType::Standard).unwrap();
    let set = ["Fan out".to_string()].into();
    let scene = graph::scene_with(&machine, Some(&def), graph::Direction::TopDown, &set);
    let n = scene.node("Fan out").unwrap();
    assert_eq!(n.collapsed.as_ref().unwrap().summary, "3 branches");
    assert_eq!(
        n.collapsed.as_ref().unwrap().inner,
        ["Resize", "Detect labels", "Store labels", "Extract metadata", "Wait for index", "Index"]
    );
    assert_eq!(n.label, "Fan out");
    assert_eq!(scene.nodes.len(), 4, "Start, Fan out, Join, End");
    assert!(scene.frames.is_empty());
    let svg = scene.to_svg();
    assert!(svg.contains(r#"<g class="state parallel collapsed" data-state="Fan out">"#), "{svg}");
    assert!(svg.contains(">Parallel · 3 branches</text>"));
    assert!(svg.contains(r#"<g class="fold">"#));
    let word = graph::text::type_width("Parallel · 3 branches");
    assert!(n.rect.w >= word + 16.0 + 22.0, "room for the type line and the expand control");

    let (text, def) = example("map_choice");
    let machine = load_definition(&text, MachineType::Standard).unwrap();
    let open = graph::scene_of(&machine, Some(&def));
    let inside = open.nodes.iter().filter(|m| m.id.starts_with("Each item/")).count();
    let set = ["Each item".to_string()].into();
    let scene = graph::scene_with(&machine, Some(&def), graph::Direction::LeftRight, &set);
    let svg = scene.to_svg();
    assert!(svg.contains(&format!(">Map · {inside} states</text>")), "{svg}");
    // An open box's title leaves room at its right for the control.
    let m = open.node("Each item").unwrap();
    let title = m.label.split('\n').map(graph::text::width).fold(0.0, f64::max);
    assert!(m.rect.w >= title + 28.0 + 22.0 - EPS);
}
