//! The small state: its capabilities, economic ties, appetite for risk, current mix and beliefs,
//! and its own turn — [`SmallState::perceive`], [`SmallState::decide`], [`SmallState::learn`],
//! [`SmallState::drift`] — so that [`crate::world::World::step`] reads as the agents' moves.

use super::third_power::{TESTED_SUPPORT, engaged_capability};
use super::{Dynamics, GreatPower, GreatPowerAction, ThirdPower};
use crate::beliefs::{Beta, HostilityBelief};
use crate::decision::{DecisionContext, DecisionParams, side_taking_pressure};
use crate::payoff::{PayoffInputs, PayoffModel, vulnerability};
use crate::rng::RunRng;
use crate::spectrum::{Component, Mix, N};
use rand::Rng;
use serde::Serialize;

/// What the small state believes about the others (docs/model.md §3): they are its beliefs, so they
/// live with it, not with the great power or the partners they are about.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StateBeliefs {
    pub hostility: HostilityBelief,
    /// One belief about each third power's reliability, in the world's order. Allocated when the
    /// world is built, never in a turn (the turn stays allocation-free).
    pub reliability: Vec<Beta>,
}

impl StateBeliefs {
    /// What the small state believes about its partners as a whole: the mean and variance of κ,
    /// averaged with weights `cap_j·s_j`; mean 0.5 and variance 0 when nobody is engaged
    /// (docs/model.md §3). `total` is T, [`engaged_capability`] of the same partners, which the
    /// caller has already computed for the payoffs.
    pub fn partner_reliability(&self, third_powers: &[ThirdPower], total: f64) -> (f64, f64) {
        debug_assert_eq!(third_powers.len(), self.reliability.len());
        if total <= 0.0 {
            return (0.5, 0.0);
        }
        let pairs = || third_powers.iter().zip(&self.reliability);
        let mean = pairs().map(|(t, b)| t.engaged() * b.mean()).sum::<f64>() / total;
        let var = pairs().map(|(t, b)| t.engaged() * b.variance()).sum::<f64>() / total;
        (mean, var)
    }
}

/// What the small state sees at the start of its turn: the inputs of its payoffs and the
/// side-taking pressure it feels (docs/model.md §4–5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Perception {
    pub inputs: PayoffInputs,
    /// Variance of the hostility belief itself, before fluidity is added for planning.
    pub belief_var: f64,
    /// π: side-taking pressure.
    pub pressure: f64,
}

/// The small state. `Default` is a blank (all zero, the uniform mix): the calibrated numbers are
/// the schema's (`World::default()`, core/src/schema.rs).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
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
    /// Multiplier on the hostile-world terms of every payoff.
    pub stakes: f64,
    /// Domestic legitimation bonus (or penalty) per component (Khalilov 2023).
    pub legit: [f64; N],
    /// How direct and imminent the threat is felt to be (0–1).
    pub imminence: f64,
    /// How it decides: γ, η, the rule and its settings.
    pub decision: DecisionParams,
    /// This turn's policy.
    pub mix: Mix,
    pub beliefs: StateBeliefs,
}

impl SmallState {
    /// Step 2a of the turn: read the world and the beliefs into this turn's payoff inputs
    /// (T, the reliability belief, V, the hostility belief) and the side-taking pressure π.
    pub fn perceive(&self, great_power: &GreatPower, third_powers: &[ThirdPower], rivalry: f64) -> Perception {
        let t_cap = engaged_capability(third_powers);
        let (reliability_mean, reliability_var) = self.beliefs.partner_reliability(third_powers, t_cap);
        let hostility = &self.beliefs.hostility;
        let inputs = PayoffInputs {
            dep: self.dep,
            stakes: self.stakes,
            cap: self.cap,
            mil: self.mil,
            focus: great_power.focus,
            vulnerability: vulnerability(great_power.focus, self.cap, self.mil, t_cap, reliability_mean),
            imminence: self.imminence,
            rivalry,
            third_power_capability: t_cap,
            believed_hostility: hostility.mean(),
            planned_hostility_var: hostility.planning_variance(),
            reliability_mean,
            reliability_var,
        };
        let exclusive_support: f64 = third_powers.iter().map(|t| t.exclusivity * t.support).sum();
        let pressure = side_taking_pressure(self.decision.imminence_weight, self.imminence, rivalry, exclusive_support);
        Perception { inputs, belief_var: hostility.belief.variance(), pressure }
    }

    /// This turn's [`DecisionContext`]: the one place the world and `explain` build it.
    pub fn decision_context<'a>(&self, payoff: &'a PayoffModel, pressure: f64) -> DecisionContext<'a> {
        let d = &self.decision;
        DecisionContext {
            payoff,
            gamma: d.gamma,
            pressure,
            eta: d.eta,
            inner_steps: d.inner_steps,
            floor: d.floor,
            side_choice: d.side_choice,
        }
    }

    /// Step 2b: adjust the mix by its decision rule, given the priced components and the pressure.
    pub fn decide(&mut self, payoff: &PayoffModel, pressure: f64) {
        let ctx = self.decision_context(payoff, pressure);
        self.decision.rule.decide(&ctx, &mut self.mix);
    }

    /// Steps 5–6: after coercion every partner that offered support is tested (one draw each, in
    /// order) and the state learns who delivers; the great power's decision is read as evidence
    /// about hostility (a turn without one, `None`, gives none: only forgetting); imminence is set
    /// by coercion and then fades.
    pub fn learn(
        &mut self,
        decision: Option<GreatPowerAction>,
        third_powers: &[ThirdPower],
        rng: &mut RunRng,
        d: &Dynamics,
    ) {
        if decision == Some(GreatPowerAction::Coerce) {
            debug_assert_eq!(third_powers.len(), self.beliefs.reliability.len());
            for (t, belief) in third_powers.iter().zip(&mut self.beliefs.reliability) {
                if t.support > TESTED_SUPPORT {
                    belief.observe(rng.random::<f64>() < t.reliability);
                }
            }
            self.imminence = 1.0;
        }
        self.beliefs.hostility.learn(decision.map(GreatPowerAction::index));
        self.imminence *= d.imminence_decay;
    }

    /// Step 7: military strength and dependence drift, using this turn's engaged capability T.
    pub fn drift(&mut self, third_power_capability: f64, d: &Dynamics) {
        self.update_military(third_power_capability, d);
        self.update_dependence(d);
    }

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
    use crate::agents::third_power::tests::partner;
    use crate::world::World;

    /// The calibrated state (docs/model.md §2) holding `mix`.
    fn state(mix: Mix) -> SmallState {
        SmallState { mix, ..World::default().small_state }
    }

    fn dynamics() -> Dynamics {
        World::default().dynamics
    }

    #[test]
    fn military_follows_indirect_balancing() {
        let mut s = state(Mix::normalised([0.2, 0.4, 0.1, 0.1, 0.1, 0.05, 0.05]).unwrap());
        s.update_military(0.5, &dynamics());
        // 0.2 + 0.1·(0.4 + 0.1 + 0.15) − 0.01 = 0.255
        assert!((s.mil - 0.255).abs() < 1e-12);
    }

    #[test]
    fn acceptance_deepens_dependence() {
        let accept = state(Mix::normalised([0.0, 0.0, 0.0, 0.2, 0.3, 0.3, 0.2]).unwrap());
        // 0.3 + 0.5·(0.2 + 0.8) − 0 − 0.25 = 0.55
        assert!((accept.dependence_target() - 0.55).abs() < 1e-12);
        let mut s = accept.clone();
        s.update_dependence(&dynamics());
        assert!((s.dep - (0.3 + 0.05 * 0.25)).abs() < 1e-12);
        let reject = state(Mix::normalised([0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]).unwrap());
        assert_eq!(reject.dependence_target(), 0.0);
    }

    #[test]
    fn reliability_is_weighted_by_engaged_capability() {
        let ts = [partner("A", 0.5, 1.0), partner("B", 0.5, 0.2)];
        // weights 0.5 and 0.1, means 0.8 and 0.2
        let mut beliefs = SmallState::default().beliefs;
        beliefs.reliability = vec![Beta::new(8.0, 2.0), Beta::new(2.0, 8.0)];
        let (m, v) = beliefs.partner_reliability(&ts, engaged_capability(&ts));
        assert!((m - (0.5 * 0.8 + 0.1 * 0.2) / 0.6).abs() < 1e-12);
        let v_expected = (0.5 * Beta::new(8.0, 2.0).variance() + 0.1 * Beta::new(2.0, 8.0).variance()) / 0.6;
        assert!((v - v_expected).abs() < 1e-12);
        beliefs.reliability.clear();
        assert_eq!(beliefs.partner_reliability(&[], 0.0), (0.5, 0.0));
    }
}
