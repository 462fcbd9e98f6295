//! A first look at a scenario in dynamics, for the v2 payoff structure (docs/calibration/v2-design.md):
//! over many seeds, the mean mix in a window of turns, the share of run-turns labelled hedging, and
//! the share in which the acceptance and rejection sides' planned covariance `wᴬᵀΣwᴿ` is negative
//! (Kuik's risk-offset), with the label shares and the believed and the actual rate of coercion
//! and of punishment (the factor c: coercion, and pressure as `payoff.pressure_share` of one)
//! beside them.
//!
//! ```sh
//! cargo run --release --example v2_look -- docs/calibration/v2-study/teaching-dyad-v2-static.toml 100 40,79
//! ```
//!
//! Seeds are the master seeds 0..N, each run as `hedgesim run --seed i` runs it (run 0). It prints,
//! it asserts nothing: a look, not a calibration.

use hedgesim::agents::GreatPowerAction;
use hedgesim::spectrum::{Component, Label, N};
use std::process::ExitCode;

#[path = "shared/args.rs"]
mod args;

fn main() -> ExitCode {
    let (scenario, seeds, window) =
        match args::scenario_seeds_list::<u32>("v2_look SCENARIO SEEDS FIRST_TURN,LAST_TURN", "turns") {
            Ok(a) => a,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
    let [first, last] = window[..] else {
        eprintln!("give the window as FIRST_TURN,LAST_TURN, got {} numbers", window.len());
        return ExitCode::FAILURE;
    };
    if first > last || last >= scenario.meta.turns {
        eprintln!("the window {first}–{last} must lie within turns 0 to {}", scenario.meta.turns - 1);
        return ExitCode::FAILURE;
    }
    let (mut mix, mut run_turns, mut hedging, mut offset, mut offset_hedging) = ([0.0; N], 0u64, 0u64, 0u64, 0u64);
    let (mut believed_coercion, mut coerced, mut punished) = (0.0, 0u64, 0.0);
    let mut labels = [0u64; Label::NAMES.len()];
    // Run-turns whose label differs from the turn before: a mean mix can hide a state that
    // alternates between the corners.
    let mut changed = 0u64;
    for seed in 0..seeds {
        let mut world = scenario.world(seed, 0);
        let mut previous: Option<Label> = None;
        world.run(last + 1, |r, w| {
            let before = previous.replace(r.label);
            if r.turn < first {
                return;
            }
            changed += u64::from(before.is_some_and(|l| l != r.label));
            let d = w.last.as_ref().expect("a turn was played");
            let negative = d.payoff.sides_covariance(&r.mix) < 0.0;
            run_turns += 1;
            mix.iter_mut().zip(&r.mix.0).for_each(|(m, x)| *m += x);
            hedging += u64::from(r.label.is_hedging());
            labels[r.label.index()] += 1;
            offset += u64::from(negative);
            offset_hedging += u64::from(negative && r.label.is_hedging());
            believed_coercion += d.payoff.coercion_probability;
            coerced += u64::from(r.action == GreatPowerAction::Coerce);
            punished += r.action.punishment(w.payoff.pressure_share);
        });
    }
    let n = run_turns.max(1) as f64;
    let share = |k: u64, of: f64| format!("{:.1}%", 100.0 * k as f64 / of.max(1.0));
    println!("{} seeds, turns {first}–{last} ({run_turns} run-turns)\n", seeds);
    println!("| {} |", Component::ALL.map(|c| c.code()).join(" | "));
    println!("|{}", "---|".repeat(N));
    println!("| {} |", mix.map(|m| format!("{:.3}", m / n)).join(" | "));
    println!();
    println!("| {} |", Label::NAMES.join(" | "));
    println!("|{}", "---|".repeat(Label::NAMES.len()));
    println!("| {} |", labels.map(|k| share(k, n)).join(" | "));
    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!("| hedging share of run-turns | {} |", share(hedging, n));
    println!("| label differs from the previous turn's | {} |", share(changed, n));
    println!("| acceptance–rejection planned covariance < 0, all run-turns | {} |", share(offset, n));
    println!("| the same, among hedging run-turns | {} |", share(offset_hedging, hedging as f64));
    println!("| believed chance of coercion π_c, mean | {:.3} |", believed_coercion / n);
    println!("| great power coerced, share of run-turns | {} |", share(coerced, n));
    println!("| punishment c realised (coercion 1, pressure `payoff.pressure_share`), mean | {:.3} |", punished / n);
    ExitCode::SUCCESS
}
