//! Engine throughput (criterion). `make bench` runs it; figures go in the issue notes.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sfnsim::asl::validate::{self, MachineType};
use sfnsim::engine::{Config, Execution, Status};
use sfnsim::service::{load_definition, Service, ServiceConfig};
use std::time::Duration;

#[path = "workloads.rs"]
mod workloads;

fn run(def: &serde_json::Value, input: serde_json::Value) -> Execution {
    let machine = load_definition(&def.to_string(), MachineType::Standard)
        .expect("valid benchmark definition");
    let mut exec = Execution::new(machine, "{}", input, Config::default());
    exec.run_to_quiescence();
    assert_eq!(exec.status(), Status::Succeeded);
    exec
}

fn fail(def: &serde_json::Value) -> Execution {
    let machine = load_definition(&def.to_string(), MachineType::Standard)
        .expect("valid benchmark definition");
    let mut exec = Execution::new(machine, "{}", serde_json::json!({}), Config::default());
    exec.run_to_quiescence();
    assert_eq!(exec.status(), Status::Failed);
    exec
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.measurement_time(Duration::from_secs(5)).sample_size(10);

    let loop_def = workloads::loop_definition(5_000);
    // 1 (Init) + 5,001 Check + 5,000 Inc + Done = 10,003 state transitions.
    g.throughput(Throughput::Elements(10_003));
    g.bench_function("pass_choice_loop_5000", |b| {
        b.iter(|| run(&loop_def, serde_json::json!({})))
    });

    let map_def = workloads::map_definition();
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("inline_map_1000_items_format", |b| {
        b.iter(|| run(&map_def, workloads::map_input(1_000)))
    });

    let par = workloads::parallel_definition(10, 10);
    g.throughput(Throughput::Elements(101));
    g.bench_function("parallel_10x10_pass", |b| {
        b.iter(|| run(&par, serde_json::json!({})))
    });

    let chain = workloads::chain_definition(50);
    let doc = workloads::document(200_000);
    g.throughput(Throughput::Elements(50));
    g.bench_function("chain_50_with_200kb_document", |b| {
        b.iter(|| run(&chain, doc.clone()))
    });

    // JSONata over a 200 KB document: paths, a filter, an object constructor, string functions.
    let query = serde_json::json!({"QueryLanguage": "JSONata", "StartAt": "Q", "States": {"Q": {"Type": "Pass",
        "Output": "{% {'ids': $states.input.rows[ok and id % 7 = 0].id, 'names': $join($states.input.rows[[0..99]].$uppercase(name), ','), 'tags': $count($states.input.rows.tags), 'shaped': $states.input.rows[[0..199]].{'k': name, 'v': id * 2}} %}",
        "End": true}}});
    g.throughput(Throughput::Elements(1));
    g.bench_function("jsonata_query_200kb_document", |b| {
        b.iter(|| run(&query, doc.clone()))
    });

    // Runaway expressions end at a budget: how long the worst of them takes (2 s at most).
    for (name, expr) in [
        ("jsonata_runaway_tail_loop", "($inf := function() { $inf() }; $inf())"),
        ("jsonata_runaway_array_doubling", "$reduce([1..40], function($a, $i) { [$a, $a] }, [1])"),
        ("jsonata_runaway_object_doubling", "$reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {})"),
        ("jsonata_runaway_string_doubling", "$length($reduce([1..40], function($s, $i) { $s & $s }, 'ab'))"),
    ] {
        let def = serde_json::json!({"QueryLanguage": "JSONata", "StartAt": "Q", "States": {"Q": {"Type": "Pass",
            "Output": format!("{{% {expr} %}}"), "End": true}}});
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| b.iter(|| fail(&def)));
    }

    let big = workloads::chain_definition(1_000).to_string();
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("validate_1000_states", |b| {
        b.iter(|| validate::validate_text(&big, MachineType::Standard))
    });
    g.bench_function("validate_and_build_1000_states", |b| {
        b.iter(|| load_definition(&big, MachineType::Standard).expect("valid"))
    });
    // The API service: 1,000 StartExecution calls of a 3-state machine with a 10 s Wait, then the
    // virtual clock run to the end (all 1,000 Waits end together).
    let def = serde_json::json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 10, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}})
    .to_string();
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("service_1000_executions", |b| {
        b.iter(|| {
            let mut s = Service::new(ServiceConfig::default());
            let arn = s
                .call("CreateStateMachine", &serde_json::json!({"name": "M", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/R"}))
                .expect("created")["stateMachineArn"]
                .clone();
            for _ in 0..1_000 {
                s.call("StartExecution", &serde_json::json!({"stateMachineArn": arn})).expect("started");
            }
            s.run_to_quiescence(i64::MAX);
            s
        })
    });
    g.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
