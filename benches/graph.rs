//! Layout of generated definitions (graph::sample) of 100, 500 and 2,000 states: the model from
//! the built machine, then the layered layout into a scene. `cargo bench --bench graph`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use sfnsim::asl::model;
use sfnsim::graph::{self, Flow};

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph_layout");
    group.sample_size(20);
    for n in [100usize, 500, 2000] {
        let def = graph::sample::definition(n, 42);
        let machine = model::build(&def).expect("generated definitions build");
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| graph::layout(&Flow::top_level(&machine, Some(&def))))
        });
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
