//! Helpers shared by the integration tests: scenarios built from text, and label statistics over
//! many fixed seeds (deterministic, so never flaky).
#![allow(dead_code)]

use hedgesim::scenario::Scenario;
use hedgesim::spectrum::Label;
use hedgesim::world::TurnRecord;

/// The records of one run.
pub fn run(scenario: &Scenario, seed: u64) -> Vec<TurnRecord> {
    let mut world = scenario.world(seed, 0);
    let mut out = Vec::new();
    world.run(scenario.meta.turns, |r, _| out.push(*r));
    out
}

/// Share of `seeds` runs whose record at `turn` satisfies `pred`.
pub fn share(scenario: &Scenario, seeds: u64, turn: usize, pred: impl Fn(&TurnRecord) -> bool) -> f64 {
    let hits = (0..seeds).filter(|&s| pred(&run(scenario, s)[turn])).count();
    hits as f64 / seeds as f64
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
