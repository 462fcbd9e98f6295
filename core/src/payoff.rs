//! The factor payoff model: each component's payoff is linear in three uncertain factors — the
//! great power's hostility θ, third-power reliability κ, an economic shock z — plus idiosyncratic
//! noise (docs/model.md §4):
//!
//! ```text
//! r_k = b_k + h_k·θ + q_k·κ + e_k·z + idio·ε_k
//! ```
//!
//! Because the factors are few, the covariance `Σ = h hᵀ·Var θ + q qᵀ·Var κ + e eᵀ·sd² + idio²·I`
//! is never built as a matrix: `Σw` and `wᵀΣw` come from three dot products. That keeps the turn
//! allocation-free and makes the risk-offset visible: `(Σw)_k` is how component k co-moves with
//! the rest of the mix, negative when the other side of the spectrum insures it.

use crate::doctrine::Doctrine;
use crate::spectrum::{Mix, N, dot};
use serde::Serialize;

/// The inputs of one turn's payoff coefficients: what the small state knows and believes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PayoffInputs {
    pub dep: f64,
    pub stakes: f64,
    /// V: how exposed the state is if the great power turns hostile.
    pub vulnerability: f64,
    pub imminence: f64,
    /// The rivalry that demands a choice (`decision.rivalry`).
    pub rivalry: f64,
    /// T = Σ_j cap_j·s_j: third-power capability engaged.
    pub third_power_capability: f64,
    /// `E[θ]`: the mean of the small state's belief about the great power's hostility.
    pub believed_hostility: f64,
    /// Var θ the state plans with: its belief's variance plus fluidity over the horizon
    /// (`HostilityBelief::planning_variance`), not the great power's true hostility θ*.
    pub planned_hostility_var: f64,
    pub reliability_mean: f64,
    pub reliability_var: f64,
}

/// Scenario-level constants of the payoff model (docs/model.md §4). `Default` is the doctrine table
/// with the scalars blank (zero): the calibrated numbers are the schema's (`World::default()`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PayoffParams {
    pub doctrine: Doctrine,
    /// Standard deviation of the idiosyncratic noise of each component.
    pub idio: f64,
    /// Standard deviation of the economic shock z.
    pub shock_sd: f64,
    /// Exploitation exposure a state has even at zero dependence (`0.3` in `EXPL·(0.3 + dep)`).
    pub exploitation_base: f64,
    /// How much exploitation exposure grows with dependence (the v1 reference model's implicit 1 in
    /// `EXPL·(0.3 + dep)`). Below 1, dependence's other face, the benign-world returns of
    /// `DEPRET` (rewards for deference, costs of defiance), can win: Preiherman's "heavy multi-level
    /// dependence ... structurally restricts its manoeuvring space".
    pub exploitation_dependence: f64,
    /// How much imminence multiplies provocation (`4` in `σ = 1 + 4·imm + …`).
    pub imminence_stakes: f64,
    /// How much a rivalry that demands a choice multiplies provocation (`σ = … + this·rivalry`):
    /// under a zero-sum rivalry the great power reads rejection as joining the other camp, so
    /// the weak state that rejects pays more and the one that defers is spared more (Labs in Preiherman 2017).
    pub rivalry_stakes: f64,
}

/// `V = clip(focus·(1 − cap) − mil − T·E[κ], 0, 1)`: the gap between the great power's reach and
/// what the state's own strength and its credible partners cover.
pub fn vulnerability(focus: f64, cap: f64, mil: f64, third_power_capability: f64, reliability_mean: f64) -> f64 {
    (focus * (1.0 - cap) - mil - third_power_capability * reliability_mean).clamp(0.0, 1.0)
}

/// One turn's payoff coefficients, expected payoffs and factor variances.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PayoffModel {
    /// b_k: return in a benign world.
    pub base: [f64; N],
    /// h_k: how component k's payoff moves with the great power's hostility θ (its loading on the
    /// hostility factor), not the hostility itself.
    pub hostility_loading: [f64; N],
    /// q_k: loading on third-power reliability.
    pub protection: [f64; N],
    /// e_k: loading on the economic shock.
    pub shock: [f64; N],
    /// The legitimation bonus added to the expected payoff.
    pub legit: [f64; N],
    /// μ_k = b_k + h_k·E[θ] + q_k·E[κ] + legit_k.
    pub mean: [f64; N],
    /// Var θ, as in [`PayoffInputs::planned_hostility_var`].
    pub planned_hostility_var: f64,
    pub reliability_var: f64,
    pub shock_var: f64,
    pub idio_var: f64,
}

impl PayoffModel {
    /// The coefficients of docs/model.md §4 for one turn. Inlined so that the world builds them in place.
    #[inline]
    pub fn new(params: &PayoffParams, inputs: &PayoffInputs, legit: &[f64; N]) -> PayoffModel {
        let sigma = 1.0 + params.imminence_stakes * inputs.imminence + params.rivalry_stakes * inputs.rivalry;
        let mut m = PayoffModel {
            base: [0.0; N],
            hostility_loading: [0.0; N],
            protection: [0.0; N],
            shock: [0.0; N],
            legit: *legit,
            mean: [0.0; N],
            planned_hostility_var: inputs.planned_hostility_var,
            reliability_var: inputs.reliability_var,
            shock_var: params.shock_sd * params.shock_sd,
            idio_var: params.idio * params.idio,
        };
        for (k, row) in params.doctrine.0.iter().enumerate() {
            m.base[k] = row.ret + row.depret * inputs.dep;
            m.hostility_loading[k] = inputs.stakes
                * (row.ins
                    - row.prov * inputs.vulnerability * sigma
                    - row.expl * (params.exploitation_base + params.exploitation_dependence * inputs.dep));
            m.protection[k] = row.prot * inputs.third_power_capability;
            m.shock[k] = row.shock * inputs.dep;
            m.mean[k] = m.base[k]
                + m.hostility_loading[k] * inputs.believed_hostility
                + m.protection[k] * inputs.reliability_mean
                + legit[k];
        }
        m
    }

    /// Expected payoff of a mix, `μ·w`.
    pub fn expected(&self, w: &Mix) -> f64 {
        dot(&self.mean, &w.0)
    }

    /// `Σw`: each component's covariance with the whole mix. A negative entry means the rest of
    /// the mix pays when this component loses — the risk-offset.
    #[inline]
    pub fn covariance_with(&self, w: &Mix) -> [f64; N] {
        let hw = dot(&self.hostility_loading, &w.0) * self.planned_hostility_var;
        let qw = dot(&self.protection, &w.0) * self.reliability_var;
        let ew = dot(&self.shock, &w.0) * self.shock_var;
        let mut out = [0.0; N];
        for k in 0..N {
            out[k] =
                self.hostility_loading[k] * hw + self.protection[k] * qw + self.shock[k] * ew + self.idio_var * w.0[k];
        }
        out
    }

    /// `Σ_kl`, one entry of the covariance matrix.
    pub fn covariance(&self, k: usize, l: usize) -> f64 {
        let diag = if k == l { self.idio_var } else { 0.0 };
        self.hostility_loading[k] * self.hostility_loading[l] * self.planned_hostility_var
            + self.protection[k] * self.protection[l] * self.reliability_var
            + self.shock[k] * self.shock[l] * self.shock_var
            + diag
    }

    /// `wᵀΣw`: the variance of the mix's payoff.
    pub fn variance(&self, w: &Mix) -> f64 {
        dot(&self.covariance_with(w), &w.0)
    }

    /// A realised payoff of component k for drawn factors (legitimation is a planning bonus, not
    /// a material payoff, so it is not included).
    pub fn realised(&self, k: usize, theta: f64, kappa: f64, z: f64, idio_draw: f64) -> f64 {
        self.base[k] + self.hostility_loading[k] * theta + self.protection[k] * kappa + self.shock[k] * z + idio_draw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spectrum::Component;
    use crate::world::World;

    fn inputs() -> PayoffInputs {
        PayoffInputs {
            dep: 0.3,
            stakes: 2.5,
            vulnerability: 0.5,
            imminence: 0.25,
            rivalry: 0.1,
            third_power_capability: 0.2,
            believed_hostility: 0.4,
            planned_hostility_var: 0.0688,
            reliability_mean: 0.5,
            reliability_var: 0.05,
        }
    }

    #[test]
    fn coefficients_match_a_hand_computation() {
        let p = World::default().payoff;
        let legit = [0.0, 0.0, 0.0, 0.0, 0.0, -0.3, 0.0];
        let m = PayoffModel::new(&p, &inputs(), &legit);
        // σ = 1 + 4·0.25 (imminence) + 3·0.1 (rivalry) = 2.3; exploitation exposure
        // 0.625 + 0.45·0.3 = 0.76.
        // Pure balancing: b = −0.6 − 0.5·0.3 = −0.75; h = 2.5·(0.3 − 1.2·0.5·2.3 − 0) = −2.7;
        // q = 1.0·0.2 = 0.2; e = 0; μ = −0.75 − 2.7·0.4 + 0.2·0.5 = −1.73.
        let pb = Component::PureBalancing.index();
        assert!((m.base[pb] + 0.75).abs() < 1e-12);
        assert!((m.hostility_loading[pb] + 2.7).abs() < 1e-12);
        assert!((m.protection[pb] - 0.2).abs() < 1e-12);
        assert!((m.mean[pb] + 1.73).abs() < 1e-12);
        // Limited bandwagoning: b = 0.34 + 0.203·0.3 = 0.4009; h = 2.5·(0 + 0.309·0.5·2.3 −
        // 0.55·0.76) = −0.156625; e = 0.1·0.3 = 0.03;
        // μ = 0.4009 − 0.156625·0.4 − 0.3 (legitimation) = 0.03825.
        let lb = Component::LimitedBandwagoning.index();
        assert!((m.base[lb] - 0.4009).abs() < 1e-12);
        assert!((m.hostility_loading[lb] + 0.156625).abs() < 1e-12);
        assert!((m.shock[lb] - 0.03).abs() < 1e-12);
        assert!((m.mean[lb] - 0.03825).abs() < 1e-12);
        // Economic pragmatism: b = 0.45 + 0.3·0.3 = 0.54; h = 2.5·(−0.536·0.76) = −1.0184; e = 0.15.
        let ep = Component::EconomicPragmatism.index();
        assert!((m.base[ep] - 0.54).abs() < 1e-12);
        assert!((m.hostility_loading[ep] + 1.0184).abs() < 1e-12);
        assert!((m.shock[ep] - 0.15).abs() < 1e-12);
    }

    #[test]
    fn covariance_with_mix_equals_the_matrix_product() {
        let p = World::default().payoff;
        let m = PayoffModel::new(&p, &inputs(), &[0.0; N]);
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let fast = m.covariance_with(&w);
        for (k, fast_k) in fast.iter().enumerate() {
            let slow: f64 = (0..N).map(|l| m.covariance(k, l) * w.0[l]).sum();
            assert!((fast_k - slow).abs() < 1e-12);
        }
    }

    #[test]
    fn opposite_sides_offset_hostility_risk() {
        // The risk-offset: pure balancing and limited bandwagoning load on θ with opposite signs,
        // so their covariance through θ is negative.
        let p = World::default().payoff;
        let m = PayoffModel::new(&p, &PayoffInputs { vulnerability: 0.1, imminence: 0.0, ..inputs() }, &[0.0; N]);
        let ib = Component::IndirectBalancing.index();
        let pw = Component::PureBandwagoning.index();
        assert!(m.hostility_loading[ib] > 0.0 && m.hostility_loading[pw] < 0.0);
        assert!(m.covariance(ib, pw) < 0.0);
    }

    #[test]
    fn vulnerability_is_clipped() {
        assert_eq!(vulnerability(1.0, 0.1, 0.2, 0.0, 0.5), 0.7);
        assert_eq!(vulnerability(1.0, 0.1, 0.2, 1.0, 1.0), 0.0);
        assert_eq!(vulnerability(1.0, 0.0, 0.0, 0.0, 0.0), 1.0);
    }
}
