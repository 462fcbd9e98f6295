//! The small state: its capabilities, economic ties, appetite for risk, current mix and beliefs,
//! and its own turn — [`SmallState::perceive`], [`SmallState::decide`], [`SmallState::learn`],
//! [`SmallState::drift`] — so that [`crate::world::World::step`] reads as the agents' moves.

use super::third_power::{TESTED_SUPPORT, engaged_capability, rival_capability};
use super::{Dynamics, GreatPower, GreatPowerAction, ThirdPower};
use crate::beliefs::{Beta, HostilityBelief, PunishmentBelief};
use crate::decision::{DecisionContext, DecisionParams, side_taking_pressure};
use crate::payoff::{PayoffInputs, PayoffModel, PayoffParams, attention_reach, vulnerability};
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
    /// The prior every reliability belief starts from (`beliefs.prior_reliability`) and forgets
    /// toward.
    pub reliability_prior: Beta,
    /// δ_r: weight kept on past evidence about partners each turn. At 1 (v1) reliability beliefs
    /// never forget, so one old failure weighs forever while hostility beliefs fade; below 1 a
    /// partner's record fades like the great power's (docs/calibration/v2-design.md, step 2).
    pub reliability_forgetting: f64,
    /// How readily the great power punishes, learned from what it does.
    pub punishment: PunishmentBelief,
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
    /// (T, the reliability belief, V, the hostility belief, the believed propensity to punish given
    /// its prior `payoff.coercion_rate`, and the mix's net provocation while the great power
    /// answers it) and the side-taking pressure π.
    pub fn perceive(
        &self,
        great_power: &GreatPower,
        third_powers: &[ThirdPower],
        rivalry: f64,
        payoff: &PayoffParams,
    ) -> Perception {
        let t_cap = engaged_capability(third_powers);
        let (reliability_mean, reliability_var) = self.beliefs.partner_reliability(third_powers, t_cap);
        let hostility = &self.beliefs.hostility;
        let inputs = PayoffInputs {
            dep: self.dep,
            stakes: self.stakes,
            cap: self.cap,
            mil: self.mil,
            focus: great_power.focus,
            vulnerability: vulnerability(
                attention_reach(payoff.attention_scale, great_power.focus),
                self.cap,
                self.mil,
                t_cap,
                reliability_mean,
            ),
            imminence: self.imminence,
            rivalry,
            third_power_capability: t_cap,
            rival_capability: rival_capability(third_powers),
            coercion_propensity: self.beliefs.punishment.propensity(payoff.coercion_rate),
            believed_hostility: hostility.mean(),
            planned_hostility_var: hostility.planning_variance(),
            reliability_mean,
            reliability_var,
            // n of the mix the state enters the turn with, only while the great power answers it
            // (ξ > 0): off, nothing is computed and v1 stays to the bit.
            net_provocation: if payoff.provocation_offset != 0.0 {
                payoff.doctrine.net_provocation(&self.mix)
            } else {
                0.0
            },
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

    /// Steps 5–6: the state learns who delivers, reads the great power's decision as evidence
    /// about hostility and about its readiness to punish, and imminence is set by coercion and
    /// fades. A turn without a decision (`None`, format 2: docs/model.md §8b) gives no evidence
    /// about the great power: only forgetting.
    ///
    /// Partners are tested after a coercion (every partner that offered support, one draw each, in
    /// order) or else, when `dynamics.partner_test_rate` > 0, each by chance in proportion to its
    /// support (one draw each: below `P·reliability` it was tested and delivered, below `P` tested
    /// and failed). `punishment` is the decision's weight as the punishment factor c
    /// ([`GreatPowerAction::punishment`]); `expected_from` is the E[θ]·focus planned with. The
    /// propensity to punish is learned per decision, so that π_c is the chance that the great
    /// power's next decision punishes, whatever the time step.
    pub fn learn(
        &mut self,
        decision: Option<GreatPowerAction>,
        punishment: f64,
        expected_from: f64,
        third_powers: &[ThirdPower],
        rng: &mut RunRng,
        d: &Dynamics,
    ) {
        debug_assert_eq!(third_powers.len(), self.beliefs.reliability.len());
        let beliefs = &mut self.beliefs;
        // Forgetting only below 1: `a0 + 1·(a − a0)` is not always `a` to the bit, and v1 beliefs
        // never forget.
        if beliefs.reliability_forgetting != 1.0 {
            for belief in &mut beliefs.reliability {
                belief.update_with_forgetting(beliefs.reliability_prior, beliefs.reliability_forgetting, 0.0, 0.0);
            }
        }
        if decision == Some(GreatPowerAction::Coerce) {
            for (t, belief) in third_powers.iter().zip(&mut beliefs.reliability) {
                if t.support > TESTED_SUPPORT {
                    belief.observe(rng.random::<f64>() < t.reliability);
                }
            }
            self.imminence = 1.0;
        } else if d.partner_test_rate > 0.0 {
            for (t, belief) in third_powers.iter().zip(&mut beliefs.reliability) {
                let u = rng.random::<f64>();
                if let Some(tested) = t.tested(d.partner_test_rate, u) {
                    belief.observe(u < tested * t.reliability);
                }
            }
        }
        beliefs.hostility.learn(decision.map(GreatPowerAction::index));
        if decision.is_some() {
            beliefs.punishment.learn(punishment, expected_from);
        }
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
    /// `clip(dep0 + p·(w_EP + A) − p·(w_DD + w_PB) − o, 0, 1)` with p =
    /// `dynamics.dependence_policy` and o = `dynamics.dependence_offset` (0.5 and 0.25 in v1).
    /// How far policy can move dependence away from its structural level is a model choice: the
    /// papers describe ties that outlast political disputes (THEORY SF11; Jović-Lazić & Bošković
    /// 2024, § Economic Pragmatism), so v2 gives policy a smaller reach.
    pub fn dependence_target(&self, d: &Dynamics) -> f64 {
        let w = &self.mix;
        let p = d.dependence_policy;
        (self.dep0 + p * (w.weight(Component::EconomicPragmatism) + w.acceptance())
            - p * (w.weight(Component::DominanceDenial) + w.weight(Component::PureBalancing))
            - d.dependence_offset)
            .clamp(0.0, 1.0)
    }

    pub fn update_dependence(&mut self, d: &Dynamics) {
        self.dep += d.dependence_rate * (self.dependence_target(d) - self.dep);
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
        assert!((accept.dependence_target(&dynamics()) - 0.55).abs() < 1e-12);
        let mut s = accept.clone();
        s.update_dependence(&dynamics());
        assert!((s.dep - (0.3 + 0.05 * 0.25)).abs() < 1e-12);
        let reject = state(Mix::normalised([0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]).unwrap());
        assert_eq!(reject.dependence_target(&dynamics()), 0.0);
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

    /// With `partner_test_rate` > 0 partners are tested outside coercion, so the belief learns
    /// each partner's true reliability; with reliability forgetting it keeps learning.
    #[test]
    fn partners_tested_at_a_rate_reveal_their_reliability() {
        let mut d = dynamics();
        d.partner_test_rate = 1.0;
        let partners = [
            ThirdPower { reliability: 0.9, ..partner("Reliable", 0.3, 1.0) },
            ThirdPower { reliability: 0.2, ..partner("Unreliable", 0.3, 1.0) },
        ];
        let mut s = state(Mix::uniform());
        s.beliefs.reliability = vec![Beta::new(2.0, 2.0); 2];
        s.beliefs.reliability_prior = Beta::new(2.0, 2.0);
        s.beliefs.reliability_forgetting = 0.95;
        let mut rng = crate::rng::run_stream(3, 0);
        for _ in 0..400 {
            s.learn(Some(GreatPowerAction::Hold), 0.0, 0.4, &partners, &mut rng, &d);
        }
        let (reliable, unreliable) = (s.beliefs.reliability[0].mean(), s.beliefs.reliability[1].mean());
        assert!(reliable > 0.75 && unreliable < 0.35, "{reliable} {unreliable}");
        // Without the rate (v1) a hold tests nobody and the beliefs stay at the prior.
        let mut v1 = state(Mix::uniform());
        v1.beliefs.reliability = vec![Beta::new(2.0, 2.0); 2];
        v1.beliefs.reliability_forgetting = 1.0;
        for _ in 0..400 {
            v1.learn(Some(GreatPowerAction::Hold), 0.0, 0.4, &partners, &mut rng, &dynamics());
        }
        assert_eq!(v1.beliefs.reliability, vec![Beta::new(2.0, 2.0); 2]);
    }
}
