//! Beta beliefs: the small state's uncertainty about the great power's hostility and about each
//! third power's reliability (docs/model.md §3).
//!
//! Hedging answers uncertainty, so beliefs are distributions, not point estimates. The hostility
//! belief forgets toward its prior (memory fades, intentions change); on top of that, the state
//! plans with extra variance for the *fluidity* of intentions over its planning horizon: "the
//! commitment of a Great Power is always subject to change" (Kuik 2008, quoted in Hamzaoğlu 2025).

use serde::Serialize;

/// The `a + b` for which [`Beta::variance`] uses the textbook `ab / (n²(n + 1))`: every belief of
/// the bundled scenarios, whose outputs must not change by a bit. Beyond it the rearranged form
/// is used, which cannot under- or overflow.
const EXACT_N: (f64, f64) = (1e-100, 1e100);

/// A Beta(a, b) belief about a probability.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Beta {
    pub a: f64,
    pub b: f64,
}

impl Beta {
    pub const fn new(a: f64, b: f64) -> Beta {
        Beta { a, b }
    }

    pub fn mean(&self) -> f64 {
        let n = self.a + self.b;
        // a + b overflows only past 1e308; the ratio form keeps such a belief's mean finite.
        if n.is_finite() { self.a / n } else { 1.0 / (1.0 + self.b / self.a) }
    }

    pub fn variance(&self) -> f64 {
        let n = self.a + self.b;
        if (EXACT_N.0..=EXACT_N.1).contains(&n) {
            self.a * self.b / (n * n * (n + 1.0))
        } else {
            // Outside that range n² under- or overflows (a = b = 1e-200 gave 0/0 = NaN); the same
            // variance as mean·(1 − mean)/(n + 1) has no square to leave the range of f64.
            let m = self.mean();
            m * (1.0 - m) / (n + 1.0)
        }
    }

    /// Add a signed signal: `v > 0` is evidence for (adds to `a`), `v < 0` against (adds |v| to
    /// `b`). This is how scenario events inject public signals (docs/model.md §3).
    pub fn add_signal(&mut self, v: f64) {
        if v > 0.0 {
            self.a += v;
        } else {
            self.b -= v;
        }
    }

    /// One test of the event the belief is about: it happened (adds 1 to `a`) or not (to `b`).
    pub fn observe(&mut self, happened: bool) {
        if happened {
            self.a += 1.0;
        } else {
            self.b += 1.0;
        }
    }

    /// One turn of learning with forgetting toward the prior:
    /// `a ← a0 + δ(a − a0) + for`, `b ← b0 + δ(b − b0) + against`.
    pub fn update_with_forgetting(&mut self, prior: Beta, forgetting: f64, evidence_for: f64, evidence_against: f64) {
        self.a = prior.a + forgetting * (self.a - prior.a) + evidence_for;
        self.b = prior.b + forgetting * (self.b - prior.b) + evidence_against;
    }
}

/// What the small state believes about the great power, and how it turns that into the mean and
/// variance it plans with. `Default` is a blank (all zero); the calibrated numbers are the
/// schema's (`World::default()`) and [`DEFAULT_PRIOR_HOSTILITY`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct HostilityBelief {
    pub belief: Beta,
    pub prior: Beta,
    /// δ: weight kept on past evidence each turn.
    pub forgetting: f64,
    /// σ_f: per-turn drift of the great power's true intentions.
    pub fluidity: f64,
    /// Turns ahead the state plans for; fluidity accumulates over it.
    pub horizon: f64,
    /// The evidence each great-power action gives, in the order of `GreatPowerAction::ALL`
    /// (reward, hold, pressure, coerce), signed like an event's `hostile_signal`: positive is
    /// evidence of hostility, negative of benign intent.
    pub action_signals: [f64; 4],
}

/// Prior belief about the great power's hostility, Beta(2, 3): mean 0.4 (docs/model.md §3).
pub const DEFAULT_PRIOR_HOSTILITY: Beta = Beta::new(2.0, 3.0);
/// Prior belief about a partner's reliability, Beta(2, 2) (docs/model.md §3).
pub const DEFAULT_PRIOR_RELIABILITY: Beta = Beta::new(2.0, 2.0);

impl HostilityBelief {
    pub fn mean(&self) -> f64 {
        self.belief.mean()
    }

    /// `Var θ = Var_Beta + horizon·σ_f²`: what is unknown now plus how far intentions can move.
    pub fn planning_variance(&self) -> f64 {
        self.belief.variance() + self.horizon * self.fluidity * self.fluidity
    }

    /// End-of-turn update from the signal of the great power's action (`action` indexes
    /// [`HostilityBelief::action_signals`]); `None`, a turn it took no decision, adds no evidence
    /// and only forgets.
    pub fn learn(&mut self, action: Option<usize>) {
        let v = action.map_or(0.0, |a| self.action_signals[a]);
        self.belief.update_with_forgetting(self.prior, self.forgetting, v.max(0.0), (-v).max(0.0));
    }
}

/// What the small state has learned about how readily the great power punishes: its believed
/// *propensity* k, the punishment per turn per unit of believed hostility and focus, so that the
/// believed chance of punishment is `π_c = min(1, k·E[θ]·focus·(1 − imm) + imm)`
/// ([`crate::payoff::coercion_probability`]).
///
/// Why a propensity and not a plain rate: a sign of hostility (an attack on a neighbour) must
/// raise the punishment the state fears at once, through E[θ], while what the great power
/// actually does keeps the fear honest. The estimate is a ratio of discounted sums,
/// `k = (k0·n0 + seen) / (n0 + exposure)`: `seen` is the punishment observed (a coercion counts 1,
/// pressure `payoff.pressure_share`), `exposure` the E[θ]·focus the state expected it from, both
/// kept with weight δ_c a turn; the prior k0 (`payoff.coercion_rate`) weighs as n0 turns of
/// exposure. A great power that punishes less than feared brings k down until the fear matches its
/// rate (docs/calibration/v2-design.md, "Risks to watch").
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PunishmentBelief {
    /// Whether the state learns k at all; off, k is the prior (v1 and the static study).
    pub learning: bool,
    /// δ_c: weight kept on past observations each turn.
    pub memory: f64,
    /// n0: how many turns of exposure the prior k0 weighs.
    pub prior_weight: f64,
    /// Whether exposure counts the reason the mix gave, `E[θ]·focus·G(w)`
    /// ([`crate::doctrine::Doctrine::reason_given`]), so that k is the propensity to punish a
    /// fully provocative mix; off, every decision counts E[θ]·focus.
    pub per_reason: bool,
    /// Discounted punishment observed.
    pub seen: f64,
    /// Discounted E[θ]·focus (times G(w) when `per_reason`) the punishment was expected from.
    pub exposure: f64,
}

impl PunishmentBelief {
    /// The believed propensity k given the prior `k0`.
    pub fn propensity(&self, k0: f64) -> f64 {
        let weight = self.prior_weight + self.exposure;
        if self.learning && weight > 0.0 { (k0 * self.prior_weight + self.seen) / weight } else { k0 }
    }

    /// One turn of learning: `punishment` is what the great power did (0, the pressure share, or
    /// 1), `expected_from` the E[θ]·focus the state planned this turn with.
    pub fn learn(&mut self, punishment: f64, expected_from: f64) {
        if self.learning {
            self.seen = self.memory * self.seen + punishment;
            self.exposure = self.memory * self.exposure + expected_from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Priors at the extremes a scenario accepts (and beyond) keep finite moments in [0, 1].
    #[test]
    fn extreme_priors_have_finite_moments() {
        for x in [5e-324, 1e-300, 1e-200, 1e-101, 1e101, 1e200, 1e300, f64::MAX] {
            for b in [Beta::new(x, x), Beta::new(x, 1.0), Beta::new(1.0, x), Beta::new(x, 3.0 * x)] {
                let (m, v) = (b.mean(), b.variance());
                assert!(m.is_finite() && (0.0..=1.0).contains(&m), "{b:?}: mean {m}");
                assert!(v.is_finite() && (0.0..=0.25).contains(&v), "{b:?}: variance {v}");
            }
        }
        // a = b = 1e-200: the variance of a Beta(ε, ε) tends to 1/4.
        assert_eq!(Beta::new(1e-200, 1e-200).variance(), 0.25);
    }

    #[test]
    fn beta_moments() {
        let b = Beta::new(2.0, 3.0);
        assert!((b.mean() - 0.4).abs() < 1e-15);
        // 2·3 / (25·6) = 0.04
        assert!((b.variance() - 0.04).abs() < 1e-15);
    }

    #[test]
    fn forgetting_pulls_toward_the_prior_and_adds_evidence() {
        let prior = Beta::new(2.0, 3.0);
        let mut b = Beta::new(6.0, 3.0);
        b.update_with_forgetting(prior, 0.9, 0.5, 0.1);
        // a = 2 + 0.9·4 + 0.5 = 6.1 ; b = 3 + 0.9·0 + 0.1 = 3.1
        assert!((b.a - 6.1).abs() < 1e-12);
        assert!((b.b - 3.1).abs() < 1e-12);
    }

    #[test]
    fn without_evidence_the_belief_returns_to_the_prior() {
        let prior = Beta::new(2.0, 3.0);
        let mut b = Beta::new(20.0, 3.0);
        for _ in 0..400 {
            b.update_with_forgetting(prior, 0.9, 0.0, 0.0);
        }
        assert!((b.a - 2.0).abs() < 1e-9 && (b.b - 3.0).abs() < 1e-9);
    }

    #[test]
    fn repeated_signals_reach_the_fixed_point() {
        // With constant evidence e per turn, a → a0 + e/(1 − δ).
        let prior = Beta::new(2.0, 3.0);
        let mut b = prior;
        for _ in 0..500 {
            b.update_with_forgetting(prior, 0.9, 3.0, 0.0);
        }
        assert!((b.a - 32.0).abs() < 1e-9, "{}", b.a);
    }

    #[test]
    fn signed_signals() {
        let mut b = Beta::new(2.0, 2.0);
        b.add_signal(2.0);
        b.add_signal(-1.5);
        assert_eq!((b.a, b.b), (4.0, 3.5));
    }

    #[test]
    fn actions_teach_their_signed_signals() {
        let prior = Beta::new(2.0, 3.0);
        let mut h = HostilityBelief {
            belief: prior,
            prior,
            forgetting: 1.0,
            action_signals: [-0.5, -0.1, 0.5, 3.0],
            ..HostilityBelief::default()
        };
        h.learn(Some(0)); // reward: benign 0.5
        h.learn(Some(3)); // coerce: hostile 3
        assert_eq!((h.belief.a, h.belief.b), (5.0, 3.5));
    }

    #[test]
    fn fluidity_adds_planning_variance() {
        let h = HostilityBelief {
            belief: Beta::new(2.0, 3.0),
            prior: Beta::new(2.0, 3.0),
            forgetting: 0.9,
            fluidity: 0.06,
            horizon: 8.0,
            ..HostilityBelief::default()
        };
        assert!((h.planning_variance() - (0.04 + 8.0 * 0.0036)).abs() < 1e-15);
    }

    #[test]
    fn punishment_belief_starts_at_the_prior_and_tracks_the_observed_rate() {
        let mut p = PunishmentBelief { learning: true, memory: 0.95, prior_weight: 2.0, ..Default::default() };
        assert_eq!(p.propensity(1.5), 1.5);
        // The great power punishes at 0.1 a turn while the state expects it from E[θ]·focus = 0.4,
        // an observed propensity of 0.25. Fixed point: seen → 0.1/0.05 = 2, exposure → 8, so
        // k = (1.5·2 + 2)/(2 + 8) = 0.5: mostly the evidence, the prior kept as 2 turns of it.
        for _ in 0..2000 {
            p.learn(0.1, 0.4);
        }
        assert!((p.propensity(1.5) - 0.5).abs() < 1e-9, "{}", p.propensity(1.5));
        let mut off = PunishmentBelief { learning: false, memory: 0.95, prior_weight: 10.0, ..Default::default() };
        off.learn(1.0, 0.4);
        assert_eq!((off.seen, off.exposure, off.propensity(1.5)), (0.0, 0.0, 1.5));
    }
}
