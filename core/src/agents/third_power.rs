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

    #[test]
    fn exclusivity_withdraws_support_from_a_bandwagoner() {
        let mut t = partner("West", 0.5, 0.5);
        for _ in 0..50 {
            t.update_support(0.05, 0.9, &World::default().dynamics);
        }
        assert!(t.support < 0.01);
    }
}
