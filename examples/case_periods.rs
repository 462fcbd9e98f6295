//! Period-by-period summary of a case scenario over many seeds, for `docs/cases.md`.
//!
//! ```sh
//! cargo run --release --example case_periods -- scenarios/azerbaijan-russia.toml 200 2003,2008.6,2014,2020.7,2022.1,2024
//! ```
//!
//! For each period `[from, to)` between consecutive boundary years it prints, as a Markdown table
//! row, the median over seeds of each run's mean mix in the period (per component), the median
//! alignment x and hedging intensity H, and the share of run-turns with each label. Seeds are
//! 0..N (master seed i, run 0), so the table is reproducible.

use hedgesim::report::html::quantile;
use hedgesim::spectrum::{Component, Label, N};
use std::process::ExitCode;

#[path = "shared/args.rs"]
mod args;

fn main() -> ExitCode {
    let usage = "case_periods SCENARIO SEEDS YEAR,YEAR,...   (at least two boundary years)";
    let (scenario, seeds, bounds) = match args::scenario_seeds_list::<f64>(usage, "boundary years") {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let periods: Vec<(f64, f64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    // Per period, per seed: mean mix, mean x, mean H; per period: label counts.
    let mut mix = vec![vec![[0.0; N]; seeds as usize]; periods.len()];
    let mut xh = vec![vec![(0.0, 0.0); seeds as usize]; periods.len()];
    let mut labels = vec![[0u64; Label::NAMES.len()]; periods.len()];
    for seed in 0..seeds {
        let mut world = scenario.world(seed, 0);
        let mut count = vec![0u32; periods.len()];
        world.run(scenario.meta.turns, |r, _| {
            let Some(p) = periods.iter().position(|&(a, b)| r.year >= a && r.year < b) else { return };
            let s = seed as usize;
            for (m, w) in mix[p][s].iter_mut().zip(r.mix.0) {
                *m += w;
            }
            xh[p][s].0 += r.alignment;
            xh[p][s].1 += r.hedging_intensity;
            count[p] += 1;
            labels[p][r.label.index()] += 1;
        });
        for (p, &c) in count.iter().enumerate() {
            let c = f64::from(c.max(1));
            mix[p][seed as usize].iter_mut().for_each(|w| *w /= c);
            xh[p][seed as usize].0 /= c;
            xh[p][seed as usize].1 /= c;
        }
    }
    let codes: Vec<&str> = Component::ALL.iter().map(|c| c.code()).collect();
    println!("| period | {} | x | H | {} |", codes.join(" | "), Label::NAMES.join(" | "));
    // One column each: period, the components, x, H, the labels.
    println!("|{}", "---|".repeat(1 + N + 2 + Label::NAMES.len()));
    for (p, &(a, b)) in periods.iter().enumerate() {
        let med: Vec<String> = (0..N)
            .map(|k| {
                let mut v: Vec<f64> = mix[p].iter().map(|m| m[k]).collect();
                format!("{:.2}", quantile(&mut v, 0.5))
            })
            .collect();
        let mut x: Vec<f64> = xh[p].iter().map(|v| v.0).collect();
        let mut h: Vec<f64> = xh[p].iter().map(|v| v.1).collect();
        let total = labels[p].iter().sum::<u64>().max(1) as f64;
        let shares: Vec<String> = labels[p].iter().map(|&n| format!("{:.0}%", 100.0 * n as f64 / total)).collect();
        println!(
            "| {a}–{b} | {} | {:+.2} | {:.2} | {} |",
            med.join(" | "),
            quantile(&mut x, 0.5),
            quantile(&mut h, 0.5),
            shares.join(" | ")
        );
    }
    ExitCode::SUCCESS
}
