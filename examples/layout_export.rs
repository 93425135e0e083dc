//! The layout-quality benchmark's Rust half (`make layout-bench`): lays out every definition of
//! a JSON-lines corpus (`{"id", "definition"}` a line; ../shared/realworld/defs.jsonl by default)
//! and prints one JSON line per definition: its id, the layout time in ms (the median of several
//! runs of flow model + layout, release build) and the scene. benches/layout/quality.mjs lays the
//! same nodes out with dagre and compares. `--direction LR` lays out left to right.

use serde_json::{json, Value};
use sfnsim::asl::model;
use sfnsim::graph::{self, Direction, Flow};
use std::io::{BufRead, Write};
use std::time::Instant;

const RUNS: usize = 7;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = "../shared/realworld/defs.jsonl".to_string();
    let mut direction = Direction::TopDown;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--direction" => {
                let d = args.next().unwrap_or_default();
                direction = d.parse().unwrap_or_else(|e: String| panic!("{e}"));
            }
            _ => path = a,
        }
    }
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let out = std::io::stdout();
    let mut out = out.lock();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.expect("readable corpus");
        let Ok(rec) = serde_json::from_str::<Value>(&line) else {
            eprintln!("line {}: not JSON", n + 1);
            continue;
        };
        let id = rec["id"].as_str().unwrap_or("?").to_string();
        let def = &rec["definition"];
        let machine = match model::build(def) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{id}: skipped, does not build: {e}");
                continue;
            }
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut scene = None;
        for _ in 0..RUNS {
            let t = Instant::now();
            let s = graph::layout_in(&Flow::top_level(&machine, Some(def)), direction);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            scene = Some(s);
        }
        times.sort_by(f64::total_cmp);
        let row = json!({"id": id, "ms": times[RUNS / 2], "scene": scene});
        writeln!(out, "{row}").expect("stdout");
    }
}
