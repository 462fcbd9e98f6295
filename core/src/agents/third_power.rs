//! Third powers: outside partners (Turkey, the West, China…) whose support the small state can lean
//! on, and whose reliability it can only learn by testing it (docs/model.md §2, §7).

use super::Dynamics;
use serde::Serialize;

/// A third power. `Default` is a blank (all zero); a scenario's partner starts from the schema's
/// defaults (core/src/schema.rs).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ThirdPower {
    pub name: String,
    /// Capability relative to the great power.
    pub cap: f64,
    /// True probability that support is delivered when tested.
    pub reliability: f64,
    /// Baseline support, whatever the small state does.
    pub affinity: f64,
    /// How much it withdraws support when the small state also leans to the great power: a
    /// zero-sum rivalry (Preiherman 2017, Labs).
    pub exclusivity: f64,
    /// Its own rivalry with the great power, −1 to 1: leaning on a rival provokes the great power,
    /// leaning on a partner it values (Russia "tolerated" Turkish support: Jović-Lazić & Bošković
    /// 2024, § Relations with Turkey) reassures it. Priced through `payoff.partner_rivalry`.
    pub rivalry: f64,
    /// Support currently offered, s_j ∈ [0, 1]. (What the small state believes about this partner's
    /// reliability is its own: [`super::small_state::StateBeliefs::reliability`].)
    pub support: f64,
}

/// Support below this is not tested when the great power coerces: nobody was counting on it.
pub const TESTED_SUPPORT: f64 = 0.05;

impl ThirdPower {
    /// Capability actually engaged, `cap_j·s_j`.
    pub fn engaged(&self) -> f64 {
        self.cap * self.support
    }

    /// The chance that support is tested this turn outside a coercion, `1 − exp(−rate·s_j)`:
    /// deliveries of arms or money, diplomatic backing, the answer to a neighbour's war come at a
    /// rate in proportion to the support on offer (`dynamics.partner_test_rate`).
    pub fn test_probability(&self, rate: f64) -> f64 {
        -(-rate * self.support).exp_m1()
    }

    /// Whether the draw `u` tests this partner's support this turn, `u < test_probability(rate)`
    /// to the bit, and then the probability (the delivery is drawn against it), without calling
    /// `exp_m1` when `u` is clearly above it.
    ///
    /// Why: the call into libm was about 40 instructions of every turn with partner tests on, and
    /// most draws are far above the probability (at rate 0.25 and support 0.5, 88% of them). Since
    /// `1 − e^(−x) ≤ x`, and libm's `exp_m1` is within an ulp or two (far inside the factor
    /// `1 + 1e-12`, 4,500 ulps), a `u` at or above `x·(1 + 1e-12)` is above the computed
    /// probability too, and the answer is the same as computing it. NaN and negative rates give
    /// `false` either way.
    #[inline]
    pub fn tested(&self, rate: f64, u: f64) -> Option<f64> {
        if u < rate * self.support * (1.0 + 1e-12) {
            let p = self.test_probability(rate);
            if u < p {
                return Some(p);
            }
        }
        None
    }

    /// `target = clip(affinity + R − exclusivity·A, 0, 1)`, `s ← s + rate·(target − s)`.
    pub fn update_support(&mut self, rejection: f64, acceptance: f64, d: &Dynamics) {
        let target = (self.affinity + rejection - self.exclusivity * acceptance).clamp(0.0, 1.0);
        self.support += d.support_rate * (target - self.support);
    }
}

/// `T = Σ_j cap_j·s_j`: third-power capability engaged on the small state's side.
pub fn engaged_capability(third_powers: &[ThirdPower]) -> f64 {
    third_powers.iter().map(ThirdPower::engaged).sum()
}

/// `T_rival = Σ_j rivalry_j·cap_j·s_j`: engaged capability weighted by each partner's own rivalry
/// with the great power.
pub fn rival_capability(third_powers: &[ThirdPower]) -> f64 {
    third_powers.iter().map(|t| t.rivalry * t.engaged()).sum()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::world::World;

    pub(crate) fn partner(name: &str, cap: f64, support: f64) -> ThirdPower {
        ThirdPower { name: name.into(), cap, reliability: 0.7, affinity: 0.2, exclusivity: 1.0, rivalry: 0.0, support }
    }

    #[test]
    fn support_moves_toward_its_target() {
        let mut t = partner("Turkey", 0.3, 0.2);
        t.update_support(0.5, 0.3, &World::default().dynamics);
        // target = 0.2 + 0.5 − 0.3 = 0.4 ; s = 0.2 + 0.3·0.2 = 0.26
        assert!((t.support - 0.26).abs() < 1e-12);
    }

    #[test]
    fn tests_come_in_proportion_to_support() {
        let t = partner("Turkey", 0.3, 0.5);
        assert_eq!(t.test_probability(0.0), 0.0);
        assert!((t.test_probability(0.4) - (1.0 - (-0.2f64).exp())).abs() < 1e-15);
        assert!(partner("West", 0.3, 1.0).test_probability(0.4) > t.test_probability(0.4));
    }

    /// The shortcut answers as the probability would, also for draws at and next to it and for
    /// supports so small that `1 − e^(−x)` rounds to `x`.
    #[test]
    fn tested_is_the_comparison_with_the_probability() {
        let mut checked = 0;
        for support in [0.0, 1e-300, 1e-20, 1e-9, 0.01, 0.3, 0.5, 0.77, 1.0] {
            let t = partner("Turkey", 0.3, support);
            for rate in [0.0, 1e-12, 0.05, 0.25, 0.4, 1.0, 3.0, 50.0, f64::INFINITY, f64::NAN] {
                let p = t.test_probability(rate);
                let near = [p, p.next_up(), p.next_down(), rate * support, (rate * support).next_up()];
                let grid = (0..1000).map(|i| i as f64 / 1000.0);
                for u in near.into_iter().chain(grid).filter(|u| (0.0..1.0).contains(u)) {
                    let expected = if u < p { Some(p.to_bits()) } else { None };
                    assert_eq!(t.tested(rate, u).map(f64::to_bits), expected, "support {support}, rate {rate}, u {u}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 80_000);
    }

    #[test]
    fn exclusivity_withdraws_support_from_a_bandwagoner() {
        let mut t = partner("West", 0.5, 0.5);
        for _ in 0..50 {
            t.update_support(0.05, 0.9, &World::default().dynamics);
        }
        assert!(t.support < 0.01);
    }
}
