//! Helpers shared by the integration tests: scenarios built from text, and label statistics over
//! many fixed seeds (deterministic, so never flaky).
#![allow(dead_code)]

use hedgesim::scenario::Scenario;
use hedgesim::spectrum::Label;
use hedgesim::world::TurnRecord;
use std::path::Path;

/// The teaching dyad's world with `ally` as its third-power block, `extra` appended (events, …).
pub fn dyad(ally: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
[meta]
name = "test dyad"
turns = 80

[small_state]
cap = 0.1
mil = 0.2
dep = 0.3

[great_power]
hostility = 0.4

{ally}

{extra}
"#
    );
    Scenario::parse(&text, Path::new("<test>")).unwrap_or_else(|e| panic!("test scenario invalid: {e}"))
}

/// `[[events]]` setting imminence to 1 on every turn in `from..to`: a threat held "direct and
/// imminent" (002) for that window.
pub fn held_imminence(from: u32, to: u32) -> String {
    (from..to).map(|t| format!("[[events]]\nturn = {t}\nimminence = 1.0\n")).collect()
}

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

pub const UNRELIABLE_ALLY: &str = r#"
[beliefs]
prior_reliability = [1.0, 3.0]

[[third_powers]]
name = "Ally"
cap = 0.3
reliability = 0.2
affinity = 0.3
"#;

pub const STRONG_RELIABLE_ALLY: &str = r#"
[beliefs]
prior_reliability = [9.0, 1.0]

[[third_powers]]
name = "Ally"
cap = 1.0
reliability = 0.95
affinity = 0.8
"#;
