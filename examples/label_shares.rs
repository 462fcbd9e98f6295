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

use hedgesim::scenario::Scenario;
use hedgesim::spectrum::Label;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: label_shares SCENARIO SEEDS TURN,TURN,...");
        return ExitCode::FAILURE;
    }
    let scenario = match Scenario::from_file(Path::new(&args[1])) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(seeds) = args[2].parse::<u64>() else {
        eprintln!("SEEDS must be a whole number, got `{}`", args[2]);
        return ExitCode::FAILURE;
    };
    let turns: Vec<u32> = match args[3].split(',').map(str::parse).collect() {
        Ok(t) => t,
        Err(_) => {
            eprintln!("turns must be whole numbers separated by commas, got `{}`", args[3]);
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
