//! Third powers: outside partners (Turkey, the West, China…) whose support the small state can lean
//! on, and whose reliability it can only learn by testing it (docs/model.md §2, §7).

use super::Dynamics;
use crate::beliefs::Beta;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Support currently offered, s_j ∈ [0, 1].
    pub support: f64,
    /// The small state's belief about this partner's reliability.
    pub belief: Beta,
}

/// Support below this is not tested when the great power coerces: nobody was counting on it.
pub const TESTED_SUPPORT: f64 = 0.05;

impl ThirdPower {
    /// Capability actually engaged, `cap_j·s_j`.
    pub fn engaged(&self) -> f64 {
        self.cap * self.support
    }

    /// `target = clip(affinity + R − exclusivity·A, 0, 1)`, `s ← s + rate·(target − s)`.
    pub fn update_support(&mut self, rejection: f64, acceptance: f64, d: &Dynamics) {
        let target = (self.affinity + rejection - self.exclusivity * acceptance).clamp(0.0, 1.0);
        self.support += d.support_rate * (target - self.support);
    }
}

/// What the small state believes about its partners as a whole: the mean and variance of κ,
/// averaged with weights `cap_j·s_j`; mean 0.5 and variance 0 when nobody is engaged (docs/model.md §3).
pub fn reliability_belief(third_powers: &[ThirdPower]) -> (f64, f64) {
    let total: f64 = third_powers.iter().map(ThirdPower::engaged).sum();
    if total <= 0.0 {
        return (0.5, 0.0);
    }
    let mean = third_powers.iter().map(|t| t.engaged() * t.belief.mean()).sum::<f64>() / total;
    let var = third_powers.iter().map(|t| t.engaged() * t.belief.variance()).sum::<f64>() / total;
    (mean, var)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(name: &str, cap: f64, support: f64, belief: Beta) -> ThirdPower {
        ThirdPower { name: name.into(), cap, reliability: 0.7, affinity: 0.2, exclusivity: 1.0, support, belief }
    }

    #[test]
    fn support_moves_toward_its_target() {
        let mut t = partner("Turkey", 0.3, 0.2, Beta::new(2.0, 2.0));
        t.update_support(0.5, 0.3, &Dynamics::default());
        // target = 0.2 + 0.5 − 0.3 = 0.4 ; s = 0.2 + 0.3·0.2 = 0.26
        assert!((t.support - 0.26).abs() < 1e-12);
    }

    #[test]
    fn exclusivity_withdraws_support_from_a_bandwagoner() {
        let mut t = partner("West", 0.5, 0.5, Beta::new(2.0, 2.0));
        for _ in 0..50 {
            t.update_support(0.05, 0.9, &Dynamics::default());
        }
        assert!(t.support < 0.01);
    }

    #[test]
    fn reliability_is_weighted_by_engaged_capability() {
        let ts = [
            partner("A", 0.5, 1.0, Beta::new(8.0, 2.0)), // weight 0.5, mean 0.8
            partner("B", 0.5, 0.2, Beta::new(2.0, 8.0)), // weight 0.1, mean 0.2
        ];
        let (m, v) = reliability_belief(&ts);
        assert!((m - (0.5 * 0.8 + 0.1 * 0.2) / 0.6).abs() < 1e-12);
        let v_expected = (0.5 * Beta::new(8.0, 2.0).variance() + 0.1 * Beta::new(2.0, 8.0).variance()) / 0.6;
        assert!((v - v_expected).abs() < 1e-12);
        assert_eq!(reliability_belief(&[]), (0.5, 0.0));
    }
}
