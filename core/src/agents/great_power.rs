//! The great power: it watches the small state's mix and answers with one of four actions, drawn by
//! logit choice from utilities that depend on its true (hidden) hostility (docs/model.md §6).

use crate::exp::exp_each;
use crate::payoff::coercion_damage;
use crate::spectrum::{Component, Mix};
use serde::Serialize;

/// The great power. `Default` is a blank (all zero): the calibrated numbers are the schema's
/// (`World::default()`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct GreatPower {
    pub name: String,
    /// θ*: its true hostility toward the small state, hidden from it (`great_power.hostility` in a
    /// file). Not the small state's belief about it (`StateBeliefs::hostility`), nor a component's
    /// loading on it (`PayoffModel::hostility_loading`).
    pub true_hostility: f64,
    /// Regional focus: 1 fully present; a war elsewhere lowers it (Jović-Lazić & Bošković 2024 on 2023).
    pub focus: f64,
    /// β, the logit sharpness of its choice among actions (`beta` in a scenario file and in the
    /// field path `great_power.beta`); named in full so it is not read as the `Beta` belief.
    pub logit_sharpness: f64,
    /// How many decisions it takes a turn (`great_power.actions_per_year` / `turns_per_year` in a
    /// format-2 file; 1 in format 1): below 1, a turn without a decision is a hold that says
    /// nothing ([`GreatPower::decide`]); at 1 or more it decides every turn.
    pub decisions_per_turn: f64,
}

/// What the great power does this turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum GreatPowerAction {
    Reward,
    Hold,
    Pressure,
    Coerce,
}

impl GreatPowerAction {
    pub const ALL: [GreatPowerAction; 4] =
        [GreatPowerAction::Reward, GreatPowerAction::Hold, GreatPowerAction::Pressure, GreatPowerAction::Coerce];

    pub const fn as_str(self) -> &'static str {
        match self {
            GreatPowerAction::Reward => "reward",
            GreatPowerAction::Hold => "hold",
            GreatPowerAction::Pressure => "pressure",
            GreatPowerAction::Coerce => "coerce",
        }
    }

    /// The action's position in [`GreatPowerAction::ALL`]: the index of its probability, its
    /// utility and the evidence it gives (`HostilityBelief::action_signals`).
    pub const fn index(self) -> usize {
        match self {
            GreatPowerAction::Reward => 0,
            GreatPowerAction::Hold => 1,
            GreatPowerAction::Pressure => 2,
            GreatPowerAction::Coerce => 3,
        }
    }

    /// The action as a realisation of the punishment factor c of the payoff model: coercion is
    /// c = 1, pressure `pressure_share` (`payoff.pressure_share`, 0 in v1), the rest 0.
    pub fn punishment(self, pressure_share: f64) -> f64 {
        match self {
            GreatPowerAction::Coerce => 1.0,
            GreatPowerAction::Pressure => pressure_share,
            GreatPowerAction::Reward | GreatPowerAction::Hold => 0.0,
        }
    }

    /// The action's effect on the small state's realised payoff this turn.
    pub fn payoff_effect(self, mix: &Mix, dep: f64, mil: f64, third_power_capability: f64) -> f64 {
        match self {
            GreatPowerAction::Reward => 0.3 * mix.acceptance(),
            GreatPowerAction::Hold => 0.0,
            GreatPowerAction::Pressure => -(0.4 * dep + 0.2),
            GreatPowerAction::Coerce => -coercion_damage(mil, third_power_capability),
        }
    }
}

impl GreatPower {
    /// Utility of each action (in [`GreatPowerAction::ALL`] order) given the small state's mix.
    /// Rewards buy acceptance; pressure and coercion punish rejection, more so the more hostile the
    /// great power, and coercion is costly against a strong, supported state or when the great
    /// power is absorbed elsewhere (`/ focus`; at zero focus it never coerces).
    #[inline]
    pub fn utilities(&self, mix: &Mix, dep: f64, mil: f64, third_power_capability: f64) -> [f64; 4] {
        let x_pos = mix.alignment().max(0.0);
        let reward = 0.6 * (mix.acceptance() + 0.5 * mix.weight(Component::EconomicPragmatism)) - 0.3;
        let pressure = self.true_hostility * (1.5 * x_pos + 0.5 * mix.rejection()) - 0.3 * (1.0 - dep) - 0.1;
        let coerce = if self.focus > 0.0 {
            self.true_hostility * (3.0 * mix.weight(Component::PureBalancing) + x_pos)
                - (1.0 + mil + third_power_capability) / self.focus
        } else {
            f64::NEG_INFINITY
        };
        [reward, 0.0, pressure, coerce]
    }

    /// Logit probabilities `P ∝ exp(β·u)`, computed stably.
    #[inline]
    pub fn probabilities(&self, utilities: &[f64; 4]) -> [f64; 4] {
        let u_max = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut p = exp_each(utilities.map(|u| self.logit_sharpness * (u - u_max)));
        // β = 0 with an infinite utility gives 0·∞; treat a NaN weight as zero.
        p.iter_mut().for_each(|x| {
            if !x.is_finite() {
                *x = 0.0
            }
        });
        let total: f64 = p.iter().sum();
        if total > 0.0 {
            p.iter_mut().for_each(|x| *x /= total);
            p
        } else {
            [0.0, 1.0, 0.0, 0.0]
        }
    }

    /// This turn's decision from the one uniform draw `u ∈ [0, 1)` of the turn: with
    /// `decisions_per_turn` d < 1 the great power decides only if `u < d`, and then picks by
    /// `u / d`, itself uniform on [0, 1) (so no second draw is needed, and at d ≥ 1 the stream
    /// is the one it always was). `None` is a turn without a decision. Its non-hold actions thus
    /// come at d times their logit probabilities a turn, a rate per year that does not depend on
    /// the time step, and hold takes the rest.
    #[inline]
    pub fn decide(&self, probabilities: &[f64; 4], u: f64) -> Option<GreatPowerAction> {
        let d = self.decisions_per_turn;
        if d >= 1.0 {
            Some(GreatPower::choose(probabilities, u))
        } else if u < d {
            Some(GreatPower::choose(probabilities, u / d))
        } else {
            None
        }
    }

    /// The chance of each action this turn, a turn without a decision counted as a hold: the
    /// logit probabilities when it decides every turn.
    #[inline]
    pub fn chances(&self, probabilities: &[f64; 4]) -> [f64; 4] {
        let d = self.decisions_per_turn;
        if d >= 1.0 {
            *probabilities
        } else {
            let mut p = probabilities.map(|p| d * p);
            p[GreatPowerAction::Hold.index()] += 1.0 - d;
            p
        }
    }

    /// Pick the action whose cumulative probability first exceeds `u ∈ [0, 1)`.
    #[inline]
    pub fn choose(probabilities: &[f64; 4], u: f64) -> GreatPowerAction {
        let mut acc = 0.0;
        for (p, action) in probabilities.iter().zip(GreatPowerAction::ALL) {
            acc += p;
            if u < acc {
                return action;
            }
        }
        // Rounding left u above the last cumulative sum: take the last action with mass.
        GreatPowerAction::ALL
            .into_iter()
            .zip(probabilities)
            .rev()
            .find(|(_, p)| **p > 0.0)
            .map_or(GreatPowerAction::Hold, |(a, _)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn russia(true_hostility: f64) -> GreatPower {
        GreatPower { name: "Russia".into(), true_hostility, focus: 1.0, logit_sharpness: 4.0, decisions_per_turn: 1.0 }
    }

    #[test]
    fn logit_probabilities_match_a_hand_computation() {
        let g = russia(0.4);
        let w = Mix::uniform();
        let u = g.utilities(&w, 0.3, 0.2, 0.0);
        // A = 3/7, w_EP = 1/7, R = 3/7, x = 0, w_PB = 1/7.
        let reward = 0.6 * (3.0 / 7.0 + 0.5 / 7.0) - 0.3;
        let pressure = 0.4 * (0.5 * 3.0 / 7.0) - 0.3 * 0.7 - 0.1;
        let coerce = 0.4 * (3.0 / 7.0) - 1.2;
        assert!((u[0] - reward).abs() < 1e-12);
        assert!((u[2] - pressure).abs() < 1e-12);
        assert!((u[3] - coerce).abs() < 1e-12);
        let p = g.probabilities(&u);
        let z: f64 = u.iter().map(|x| (4.0 * x).exp()).sum();
        for k in 0..4 {
            assert!((p[k] - (4.0 * u[k]).exp() / z).abs() < 1e-12);
        }
    }

    #[test]
    fn hostile_great_power_coerces_a_balancer_more() {
        let w = Mix::normalised([0.7, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0]).unwrap();
        let calm = russia(0.1);
        let hostile = russia(0.9);
        let p_calm = calm.probabilities(&calm.utilities(&w, 0.3, 0.2, 0.0));
        let p_hostile = hostile.probabilities(&hostile.utilities(&w, 0.3, 0.2, 0.0));
        assert!(p_hostile[3] > 2.0 * p_calm[3]);
    }

    #[test]
    fn absent_great_power_never_coerces() {
        let g = GreatPower { focus: 0.0, ..russia(1.0) };
        let w = Mix::normalised([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).unwrap();
        let p = g.probabilities(&g.utilities(&w, 0.3, 0.0, 0.0));
        assert_eq!(p[3], 0.0);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// At one decision a turn or more, the draw picks as it always did; below, only the share d
    /// of draws decides, each action keeping its logit share of them.
    #[test]
    fn decisions_come_at_their_rate() {
        let p = [0.4, 0.3, 0.2, 0.1];
        for d in [1.0, 3.0] {
            let g = GreatPower { decisions_per_turn: d, ..russia(0.4) };
            for u in [0.0, 0.39, 0.41, 0.95] {
                assert_eq!(g.decide(&p, u), Some(GreatPower::choose(&p, u)));
            }
            assert_eq!(g.chances(&p), p);
        }
        let g = GreatPower { decisions_per_turn: 1.0 / 3.0, ..russia(0.4) };
        let n = 30_000;
        let mut counts = [0usize; 5];
        for k in 0..n {
            let u = (k as f64 + 0.5) / n as f64;
            match g.decide(&p, u) {
                Some(a) => counts[a.index()] += 1,
                None => counts[4] += 1,
            }
        }
        for (k, &c) in counts[..4].iter().enumerate() {
            assert!((c as f64 / n as f64 - p[k] / 3.0).abs() < 1e-3, "{k}: {c}");
        }
        assert!((counts[4] as f64 / n as f64 - 2.0 / 3.0).abs() < 1e-3);
        let c = g.chances(&p);
        assert!((c[1] - (0.1 + 2.0 / 3.0)).abs() < 1e-12 && (c[3] - 0.1 / 3.0).abs() < 1e-12);
        assert!((c.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn choice_follows_the_cumulative_distribution() {
        let p = [0.25, 0.25, 0.25, 0.25];
        assert_eq!(GreatPower::choose(&p, 0.0), GreatPowerAction::Reward);
        assert_eq!(GreatPower::choose(&p, 0.3), GreatPowerAction::Hold);
        assert_eq!(GreatPower::choose(&p, 0.6), GreatPowerAction::Pressure);
        assert_eq!(GreatPower::choose(&p, 0.99), GreatPowerAction::Coerce);
        assert_eq!(GreatPower::choose(&[0.5, 0.5 - 1e-17, 0.0, 0.0], 0.999_999_999_999_999_9), GreatPowerAction::Hold);
    }
}
