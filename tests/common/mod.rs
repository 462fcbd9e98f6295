//! Helpers shared by the integration tests: scenarios built from text, and label statistics over
//! many fixed seeds (deterministic, so never flaky).
#![allow(dead_code)]

use hedgesim::fields::FieldPath;
use hedgesim::scenario::Scenario;
use hedgesim::spectrum::Label;
use hedgesim::world::TurnRecord;

/// The records of one run: master seed `seed`, run 0.
pub fn run(scenario: &Scenario, seed: u64) -> Vec<TurnRecord> {
    run_with(scenario, seed, &[])
}

/// The records of one run with `overrides` set at turn 0 (as a sweep sets its axes). Runs with the
/// same seed share every random draw, whatever the overrides: common random numbers.
pub fn run_with(scenario: &Scenario, seed: u64, overrides: &[(FieldPath, f64)]) -> Vec<TurnRecord> {
    let mut world = scenario.world_with(seed, 0, overrides);
    let mut out = Vec::with_capacity(scenario.meta.turns as usize);
    world.run(scenario.meta.turns, |r, _| out.push(*r));
    out
}

/// Share of `seeds` runs whose record at `turn` satisfies `pred`.
pub fn share(scenario: &Scenario, seeds: u64, turn: usize, pred: impl Fn(&TurnRecord) -> bool) -> f64 {
    let runs: Vec<_> = (0..seeds).map(|s| run(scenario, s)).collect();
    share_of(&runs, turn, pred)
}

/// Share of `runs` whose record at `turn` satisfies `pred`.
pub fn share_of(runs: &[Vec<TurnRecord>], turn: usize, pred: impl Fn(&TurnRecord) -> bool) -> f64 {
    runs.iter().filter(|r| pred(&r[turn])).count() as f64 / runs.len() as f64
}

pub fn is_hedging(r: &TurnRecord) -> bool {
    r.label.is_hedging()
}

pub fn is_bandwagoning(r: &TurnRecord) -> bool {
    r.label == Label::Bandwagoning
}

pub fn is_balancing(r: &TurnRecord) -> bool {
    r.label == Label::Balancing
}
