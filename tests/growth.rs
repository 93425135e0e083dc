//! Growth benchmark (issue #17): the per-call latency of the API with 10,000 state machines (AWS's
//! quota; the issue asked for 100,000, but the 10,001st is StateMachineLimitExceeded) and 100,000
//! executions, some running (waiting on an activity) and most finished, against a service holding
//! just one page of each listing (so that both answer pages of the same length: a list call's cost
//! is its page's). Each call is made as `sfnsim serve` makes it: the clock brought up to date first,
//! the next timer asked for after.
//!
//! Ignored by `cargo test`; `make bench-growth` runs it (GROWTH_MACHINES, GROWTH_EXECUTIONS,
//! GROWTH_RUNNING, GROWTH_RETAIN size it). It prints the figures and fails when a call is more
//! than GROWTH_MAX_RATIO (default 2) times slower than on the one-page service.

use serde_json::{json, Value};
use sfnsim::service::{Service, ServiceConfig};
use std::time::Instant;

const ROLE: &str = "arn:aws:iam::123456789012:role/R";
const PAGE: usize = 100;
const PASS: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Resident memory of this process, in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn ok(s: &mut Service, op: &str, req: Value) -> Value {
    s.call(op, &req).unwrap_or_else(|e| panic!("{op}: {} {}", e.code, e.message))
}

struct World {
    service: Service,
    busy: String,
    waiting: String,
    finished_execution: String,
}

/// A service with `machines` state machines, `finished` finished executions (half on one machine,
/// the rest spread over all) and `running` executions waiting on an activity nobody polls.
fn build(machines: usize, finished: usize, running: usize, retain: Option<usize>) -> (World, [u64; 3]) {
    let rss0 = rss_kib();
    let cfg = ServiceConfig { retain_executions: retain, ..ServiceConfig::default() };
    let mut s = Service::new(cfg);
    // Each call settles as the endpoint's do, so with GROWTH_RETAIN finished executions are
    // dropped as the build goes.
    for i in 0..10 {
        ok(&mut s, "CreateActivity", json!({"name": format!("activity-{i}")}));
    }
    let activity = ok(&mut s, "CreateActivity", json!({"name": "work"}))["activityArn"].clone();
    let task = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": true}}}).to_string();
    let busy = ok(&mut s, "CreateStateMachine", json!({"name": "busy", "definition": PASS, "roleArn": ROLE}))["stateMachineArn"]
        .as_str()
        .unwrap()
        .to_string();
    let waiting = ok(&mut s, "CreateStateMachine", json!({"name": "waiting", "definition": task, "roleArn": ROLE}))["stateMachineArn"]
        .as_str()
        .unwrap()
        .to_string();
    let mut arns = vec![busy.clone()];
    for i in 2..machines.max(2) {
        let m = ok(&mut s, "CreateStateMachine", json!({"name": format!("m{i:05}"), "definition": PASS, "roleArn": ROLE}));
        arns.push(m["stateMachineArn"].as_str().unwrap().to_string());
    }
    let rss1 = rss_kib();
    let mut finished_execution = String::new();
    for i in 0..finished.max(1) {
        let sm = if i % 2 == 0 { &busy } else { &arns[i % arns.len()] };
        let e = ok(&mut s, "StartExecution", json!({"stateMachineArn": sm, "name": format!("e{i:06}")}));
        // The newest: still there under any GROWTH_RETAIN above the benchmark's own starts.
        if i == finished.max(1) - 1 {
            finished_execution = e["executionArn"].as_str().unwrap().to_string();
        }
    }
    for i in 0..running.max(1) {
        ok(&mut s, "StartExecution", json!({"stateMachineArn": waiting, "name": format!("w{i:06}")}));
    }
    s.run_to_quiescence(s.now_ms());
    let rss2 = rss_kib();
    (World { service: s, busy, waiting, finished_execution }, [rss0, rss1, rss2])
}

/// Median microseconds of one call made as the endpoint makes it.
fn per_call(s: &mut Service, iterations: usize, mut request: impl FnMut(usize) -> (&'static str, Value)) -> f64 {
    let mut times = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let (op, req) = request(i);
        let t = Instant::now();
        let now = s.now_ms();
        s.advance_to(now);
        let answer = s.call(op, &req);
        let _ = s.next_due_ms();
        times.push(t.elapsed().as_secs_f64() * 1e6);
        answer.unwrap_or_else(|e| panic!("{op}: {} {}", e.code, e.message));
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

type Case = (&'static str, fn(&World, usize) -> (&'static str, Value));

const CASES: &[Case] = &[
    ("StartExecution", |w, i| ("StartExecution", json!({"stateMachineArn": w.busy, "name": format!("bench-{i}")}))),
    ("DescribeExecution", |w, _| ("DescribeExecution", json!({"executionArn": w.finished_execution}))),
    ("ListExecutions (machine, 1 page)", |w, _| ("ListExecutions", json!({"stateMachineArn": w.busy}))),
    ("ListExecutions (SUCCEEDED, 1 page)", |w, _| {
        ("ListExecutions", json!({"stateMachineArn": w.busy, "statusFilter": "SUCCEEDED"}))
    }),
    ("ListExecutions (RUNNING, 1 page)", |w, _| {
        ("ListExecutions", json!({"stateMachineArn": w.waiting, "statusFilter": "RUNNING"}))
    }),
    ("ListStateMachines (1 page)", |_, _| ("ListStateMachines", json!({}))),
    ("ListActivities", |_, _| ("ListActivities", json!({}))),
];

fn measure(w: &mut World, iterations: usize) -> Vec<f64> {
    CASES
        .iter()
        .map(|(_, request)| {
            let w_ref: *const World = w;
            // The request only reads the ARNs the world was built with.
            per_call(&mut w.service, iterations, |i| request(unsafe { &*w_ref }, i))
        })
        .collect()
}

#[test]
#[ignore = "a benchmark: make bench-growth"]
fn per_call_latency_stays_flat_as_the_service_grows() {
    let machines = env("GROWTH_MACHINES", 10_000);
    let executions = env("GROWTH_EXECUTIONS", 100_000);
    let running = env("GROWTH_RUNNING", 1_000);
    let iterations = env("GROWTH_ITERATIONS", 100);
    let max_ratio: f64 = std::env::var("GROWTH_MAX_RATIO").ok().and_then(|v| v.parse().ok()).unwrap_or(2.0);
    let retain = std::env::var("GROWTH_RETAIN").ok().and_then(|v| v.parse().ok());

    // One full page (100) of state machines, of each execution listing and of running executions.
    let (mut small_world, _) = build(PAGE + 1, 2 * PAGE + 1, PAGE + 1, None);
    let started = Instant::now();
    let (mut full, [rss0, rss1, rss2]) = build(machines, executions - running, running, retain);
    let built = started.elapsed();
    let small = measure(&mut small_world, iterations);
    let large = measure(&mut full, iterations);

    println!("growth: {machines} state machines, {executions} executions ({running} running), built in {:.1} s", built.as_secs_f64());
    println!(
        "memory: {:.1} KiB per state machine, {:.1} KiB per execution (VmRSS {rss0} -> {rss1} -> {rss2} KiB; retain {retain:?})",
        (rss1 - rss0) as f64 / machines as f64,
        rss2.saturating_sub(rss1) as f64 / executions as f64
    );
    println!("{:<38} {:>12} {:>12} {:>7}", "median per call", "1 page µs", "grown µs", "ratio");
    let mut worst = 0f64;
    for ((name, _), (a, b)) in CASES.iter().zip(small.iter().zip(&large)) {
        // Below 50 µs both are noise-level fast; the ratio is taken from there.
        let ratio = b / a.max(50.0);
        worst = worst.max(ratio);
        println!("{name:<38} {a:>12.1} {b:>12.1} {ratio:>7.2}");
    }
    assert!(worst <= max_ratio, "a call is {worst:.1}x slower on the grown service (limit {max_ratio})");
}
