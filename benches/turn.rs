//! Criterion benchmarks of the inner loop (figures in BENCHMARKS.md):
//! one turn (v1, and v2 with everything on), the decision update alone, one 80-turn run, and a
//! 1,000-run sweep batch.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use hedgesim::decision::{DecisionContext, Hedge};
use hedgesim::payoff::{PayoffInputs, PayoffModel};
use hedgesim::scenario::{FromFile, Scenario};
use hedgesim::spectrum::{Mix, N};
use hedgesim::sweep::{SweepSpec, metrics::simulate_run};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;

fn teaching() -> Scenario {
    Scenario::from_file(Path::new("scenarios/teaching-dyad.toml")).expect("bundled scenario")
}

fn one_turn(c: &mut Criterion) {
    let mut g = c.benchmark_group("turn");
    g.throughput(Throughput::Elements(1));
    // The v1 model (the bundled dyad), model v2 with every term and mechanism on (the dynamic
    // calibration's base file), and the best candidate so far, which adds Kuik's trilemma (the
    // autonomy factor and DIV), from the same binary: what v2 costs a turn.
    for (name, path) in [
        ("one turn (teaching dyad)", "scenarios/teaching-dyad.toml"),
        ("one turn (teaching dyad, v2 on)", "docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml"),
        ("one turn (v2 round 5 candidate)", "docs/calibration/v2-study/candidate-round5.toml"),
    ] {
        let s = Scenario::from_file(Path::new(path)).expect("a scenario of the repository");
        let mut world = s.world(1, 0);
        for _ in 0..20 {
            world.step();
        }
        g.bench_function(name, |b| b.iter(|| black_box(world.step())));
    }
    g.finish();
}

fn decision_update(c: &mut Criterion) {
    let payoff = PayoffModel::new(
        &hedgesim::World::default().payoff,
        &PayoffInputs { vulnerability: 0.6, ..PayoffInputs::example() },
        &[0.0; N],
    );
    let ctx = DecisionContext {
        payoff: &payoff,
        gamma: 6.0,
        pressure: 0.3,
        eta: 0.6,
        inner_steps: 3,
        floor: 1e-3,
        side_choice: true,
    };
    c.bench_function("decision update (3 inner steps)", |b| {
        b.iter_batched(
            Mix::uniform,
            |mut w| {
                Hedge.decide(black_box(&ctx), &mut w);
                w
            },
            BatchSize::SmallInput,
        )
    });
}

fn one_run(c: &mut Criterion) {
    let s = teaching();
    let mut g = c.benchmark_group("run");
    g.throughput(Throughput::Elements(80));
    g.bench_function("one 80-turn run (teaching dyad)", |b| {
        let mut seed = 0;
        b.iter(|| {
            seed += 1;
            let mut w = s.world(seed, 0);
            let mut payoff = 0.0;
            w.run(80, |r, _| payoff += r.payoff);
            black_box(payoff)
        })
    });
    g.finish();
}

fn sweep_batch(c: &mut Criterion) {
    let spec = SweepSpec::from_file(Path::new("sweeps/bench-10k.toml")).expect("bundled sweep");
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("1,000-run batch (80 turns, all threads)", |b| {
        b.iter(|| {
            let rows: Vec<String> = (0..1000u64)
                .into_par_iter()
                .map(|id| {
                    let mut row = String::with_capacity(512);
                    simulate_run(&spec, id, false, &mut row, None);
                    row
                })
                .collect();
            black_box(rows)
        })
    });
    g.finish();
}

criterion_group!(benches, one_turn, decision_update, one_run, sweep_batch);
criterion_main!(benches);
