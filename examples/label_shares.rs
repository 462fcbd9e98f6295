//! Share of runs in each label at chosen turns, over many seeds, for the figures the tutorial
//! quotes (docs/tutorial.md).
//!
//! ```sh
//! cargo run --release --example label_shares -- scenarios/teaching/1-uncertainty.toml 100 39,79
//! ```
//!
//! Seeds are the master seeds 0..N, each run as `hedgesim run --seed i` runs it (run 0), so every
//! row can be checked one seed at a time. This is not `report --seeds N`, which draws N random
//! streams of the scenario's one seed.

use hedgesim::spectrum::Label;
use std::process::ExitCode;

#[path = "shared/args.rs"]
mod args;

fn main() -> ExitCode {
    let (scenario, seeds, turns) =
        match args::scenario_seeds_list::<u32>("label_shares SCENARIO SEEDS TURN,TURN,...", "turns") {
            Ok(a) => a,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
    if let Some(t) = turns.iter().find(|&&t| t >= scenario.meta.turns) {
        eprintln!("turn {t} is past the end: the scenario runs turns 0 to {}", scenario.meta.turns - 1);
        return ExitCode::FAILURE;
    }
    // counts[i][label]: runs with that label at turns[i].
    let mut counts = vec![[0u64; Label::NAMES.len()]; turns.len()];
    for seed in 0..seeds {
        let mut world = scenario.world(seed, 0);
        let mut turn = 0u32;
        world.run(scenario.meta.turns, |r, _| {
            for (c, _) in counts.iter_mut().zip(&turns).filter(|&(_, &t)| t == turn) {
                c[r.label.index()] += 1;
            }
            turn += 1;
        });
    }
    println!("| turn | {} |", Label::NAMES.join(" | "));
    println!("|{}", "---|".repeat(1 + Label::NAMES.len()));
    let n = seeds.max(1) as f64;
    for (t, c) in turns.iter().zip(&counts) {
        let shares: Vec<String> = c.iter().map(|&k| format!("{:.0}%", 100.0 * k as f64 / n)).collect();
        println!("| {t} | {} |", shares.join(" | "));
    }
    ExitCode::SUCCESS
}
