//! The small state: its capabilities, economic ties, appetite for risk, and current mix.

use super::Dynamics;
use crate::spectrum::{Component, Mix, N};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmallState {
    pub name: String,
    /// Capability relative to the great power (great power = 1).
    pub cap: f64,
    /// Military strength, built up by indirect balancing.
    pub mil: f64,
    /// Economic dependence on the great power.
    pub dep: f64,
    /// The structural level dependence drifts around (the scenario's starting `dep`).
    pub dep0: f64,
    /// γ: risk aversion; Kuik's "high stakes".
    pub gamma: f64,
    /// Multiplier on the hostile-world terms of every payoff.
    pub stakes: f64,
    /// η: how fast policy moves.
    pub eta: f64,
    /// Domestic legitimation bonus (or penalty) per component (Khalilov 2023).
    pub legit: [f64; N],
    /// How direct and imminent the threat is felt to be (0–1).
    pub imminence: f64,
    /// This turn's policy.
    pub mix: Mix,
}

impl Default for SmallState {
    /// docs/model.md §2: a weak state (a tenth of its great power), modest army, moderate dependence,
    /// high stakes.
    fn default() -> Self {
        SmallState {
            name: "Small state".into(),
            cap: 0.1,
            mil: 0.2,
            dep: 0.3,
            dep0: 0.3,
            gamma: 6.0,
            stakes: 2.5,
            eta: 0.6,
            legit: [0.0; N],
            imminence: 0.0,
            mix: Mix::uniform(),
        }
    }
}

impl SmallState {
    /// `mil ← clip(mil + rate·(w_IB + 0.5·w_PB + 0.3·T) − decay·mil, 0, 1)`.
    pub fn update_military(&mut self, third_power_capability: f64, d: &Dynamics) {
        let w = &self.mix;
        let build = w.weight(Component::IndirectBalancing)
            + 0.5 * w.weight(Component::PureBalancing)
            + 0.3 * third_power_capability;
        self.mil = (self.mil + d.military_rate * build - d.military_decay * self.mil).clamp(0.0, 1.0);
    }

    /// The level dependence is drawn to: engagement deepens ties, denial and balancing loosen them:
    /// `clip(dep0 + 0.5·(w_EP + A) − 0.5·(w_DD + w_PB) − 0.25, 0, 1)`.
    pub fn dependence_target(&self) -> f64 {
        let w = &self.mix;
        (self.dep0 + 0.5 * (w.weight(Component::EconomicPragmatism) + w.acceptance())
            - 0.5 * (w.weight(Component::DominanceDenial) + w.weight(Component::PureBalancing))
            - 0.25)
            .clamp(0.0, 1.0)
    }

    pub fn update_dependence(&mut self, d: &Dynamics) {
        self.dep += d.dependence_rate * (self.dependence_target() - self.dep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(mix: Mix) -> SmallState {
        SmallState {
            name: "S".into(),
            cap: 0.1,
            mil: 0.2,
            dep: 0.3,
            dep0: 0.3,
            gamma: 6.0,
            stakes: 2.5,
            eta: 0.6,
            legit: [0.0; N],
            imminence: 0.0,
            mix,
        }
    }

    #[test]
    fn military_follows_indirect_balancing() {
        let mut s = state(Mix::normalised([0.2, 0.4, 0.1, 0.1, 0.1, 0.05, 0.05]).unwrap());
        s.update_military(0.5, &Dynamics::default());
        // 0.2 + 0.1·(0.4 + 0.1 + 0.15) − 0.01 = 0.255
        assert!((s.mil - 0.255).abs() < 1e-12);
    }

    #[test]
    fn acceptance_deepens_dependence() {
        let accept = state(Mix::normalised([0.0, 0.0, 0.0, 0.2, 0.3, 0.3, 0.2]).unwrap());
        // 0.3 + 0.5·(0.2 + 0.8) − 0 − 0.25 = 0.55
        assert!((accept.dependence_target() - 0.55).abs() < 1e-12);
        let mut s = accept.clone();
        s.update_dependence(&Dynamics::default());
        assert!((s.dep - (0.3 + 0.05 * 0.25)).abs() < 1e-12);
        let reject = state(Mix::normalised([0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]).unwrap());
        assert_eq!(reject.dependence_target(), 0.0);
    }
}
