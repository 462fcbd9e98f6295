//! The small state's decision: mean–variance utility with side-taking pressure, climbed by the
//! multiplicative-weights ("Hedge") rule (docs/model.md §5).
//!
//! ```text
//! U(w) = μ·w − (γ/2)·wᵀΣw − 4·π·A(w)·R(w)
//! ```
//!
//! The variance term is Kuik's risk-offset: under high stakes (γ) and high uncertainty the best mix
//! holds both sides. The last term is side-taking pressure π: a threat that is "direct and
//! imminent" (Khalilov 2023) or a rivalry that demands a choice (Preiherman 2017, Labs) punishes
//! holding both sides, and
//! the mean payoff then decides which corner wins (Walt, in Preiherman 2017).
//!
//! A [`Rule`] turns one turn's [`DecisionContext`] into a new mix. [`Rule::Hedge`] is the model's
//! rule; [`Rule::Fixed`] plays a scripted mix, to test one-sided portfolios (SF3) or replay history.

use crate::exp::{exp_each, exp_each_in_range};
use crate::payoff::PayoffModel;
use crate::spectrum::{Component, Mix, N, Side, dot};
use serde::Serialize;

/// How the small state decides (docs/model.md §5): its appetite for risk, its speed, its rule and
/// the rule's settings, all in one place (`SmallState::decision`). The file keeps γ and η under
/// `[small_state]` and the rest under `[decision]`. `Default` is a blank (zero, the Hedge rule):
/// the calibrated numbers are the schema's (`World::default()`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct DecisionParams {
    /// γ: risk aversion; Kuik's "high stakes".
    pub gamma: f64,
    /// η: how fast policy moves.
    pub eta: f64,
    pub rule: Rule,
    pub inner_steps: u32,
    pub floor: f64,
    pub imminence_weight: f64,
    /// Under side-taking pressure, compare the portfolio with its mirror first
    /// ([`crate::decision::DecisionContext::prefers_other_side`]); `false` is the v1 reference model.
    pub side_choice: bool,
}

/// Everything a rule may use to choose this turn's mix.
#[derive(Debug, Clone, Copy)]
pub struct DecisionContext<'a> {
    pub payoff: &'a PayoffModel,
    /// γ: risk aversion (Kuik's "high stakes").
    pub gamma: f64,
    /// π ≥ 0: side-taking pressure ([`side_taking_pressure`]).
    pub pressure: f64,
    /// η: adjustment speed of the multiplicative update.
    pub eta: f64,
    /// Exponentiated-gradient steps per turn.
    pub inner_steps: u32,
    /// Minimum weight of every component.
    pub floor: f64,
    /// Whether the state, under side-taking pressure, compares its portfolio with the same portfolio
    /// on the other side of the spectrum before climbing ([`DecisionContext::prefers_other_side`]).
    pub side_choice: bool,
}

/// `π = imminence_weight·imm + rivalry + Σ_j exclusivity_j·s_j` (docs/model.md §5).
pub fn side_taking_pressure(imminence_weight: f64, imminence: f64, rivalry: f64, exclusive_support: f64) -> f64 {
    imminence_weight * imminence + rivalry + exclusive_support
}

/// The parts of `U(w)`, so that `explain` can show which one drives the choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Utility {
    pub expected: f64,
    /// `(γ/2)·wᵀΣw`, subtracted.
    pub risk: f64,
    /// `4·π·A·R`, subtracted.
    pub side_taking: f64,
}

impl Utility {
    pub fn total(&self) -> f64 {
        self.expected - self.risk - self.side_taking
    }
}

impl DecisionContext<'_> {
    pub fn utility(&self, w: &Mix) -> Utility {
        Utility {
            expected: self.payoff.expected(w),
            risk: 0.5 * self.gamma * self.payoff.variance(w),
            side_taking: 4.0 * self.pressure * w.acceptance() * w.rejection(),
        }
    }

    /// Whether, under side-taking pressure, the state is better off with the same portfolio on the
    /// other side of the spectrum ([`Mix::mirrored`]).
    ///
    /// Why: side-taking pressure makes `U` bilinear in A and R, so it has a local optimum in each
    /// corner, and a gradient climb stays on whichever side the state happened to lean when the
    /// pressure came. The theory says the side is *chosen*: "if forced to take a side they will in
    /// all probability bandwagon" (Labs in Preiherman 2017), balancing only when own strength and credible
    /// allies cover the threat (Walt in Preiherman 2017). So a state under pressure first asks which side its
    /// portfolio is worth more on, pairing each option with its opposite as Kuik's risk-offset
    /// does (Jović-Lazić & Bošković 2024: limited bandwagoning and binding engagement against
    /// indirect balancing and
    /// dominance denial). Without pressure `U` is concave and the climb finds the best mix alone.
    #[inline]
    pub fn prefers_other_side(&self, w: &Mix) -> bool {
        self.side_choice_applies() && self.mirror_gain(w) > 0.0
    }

    /// Whether the side choice is on and there is pressure to choose this turn.
    #[inline]
    pub fn side_choice_applies(&self) -> bool {
        self.side_choice && self.pressure > 0.0
    }

    /// `U(mirror) − U(w)`, computed from what differs. The side-taking term is the same for a mix
    /// and its mirror (A and R swap places in A·R), and so is the idiosyncratic variance (the
    /// weights are only permuted); the mean and the factor exposures are what change. Eight dot
    /// products (two more for each of the coercion, autonomy and regional factors that is on)
    /// instead of two whole utilities keep the check cheap on every pressured turn.
    #[inline]
    pub fn mirror_gain(&self, w: &Mix) -> f64 {
        let m = w.mirrored();
        let p = self.payoff;
        let exposure = |loading: &[f64; N], var: f64| {
            let (there, here) = (dot(loading, &m.0), dot(loading, &w.0));
            var * (there * there - here * here)
        };
        let risk = exposure(&p.hostility_loading, p.planned_hostility_var)
            + exposure(&p.protection, p.reliability_var)
            + exposure(&p.shock, p.shock_var)
            // The coercion, autonomy and regional factors only when they have variance (off in
            // v1: two dot products saved for each).
            + if p.coercion_var != 0.0 { exposure(&p.coercion_loading, p.coercion_var) } else { 0.0 }
            + if p.autonomy_var != 0.0 { exposure(&p.autonomy, p.autonomy_var) } else { 0.0 }
            + if p.regional_var != 0.0 { exposure(&p.regional, p.regional_var) } else { 0.0 };
        dot(&p.mean, &m.0) - dot(&p.mean, &w.0) - 0.5 * self.gamma * risk
    }

    /// This context with a negligible side-taking pressure (below [`NEGLIGIBLE_PRESSURE`]; π is
    /// never negative) set to zero, for the update's gradient steps; the side choice has been made
    /// with the pressure as it is.
    ///
    /// Why: imminence fades by a factor above ½ a turn, so after a coercion it ends at the smallest
    /// subnormal number, `5e-324`, and stays there (`5e-324 × 0.7` rounds back to `5e-324`), and
    /// so does π. Every product with a subnormal number takes a slow path in the processor: with
    /// π there, the side-taking term of each inner step cost about 10% of a turn of the v2 file.
    /// Dropping it leaves the new mix unchanged to the bit: the term, `4π·A` or `4π·R`, is below
    /// 2⁻⁹⁹⁴, so `g_k` minus it is `g_k` whenever `|g_k| ≥ 2⁻⁹⁰⁰`; a smaller `g_k` (or a
    /// difference of one) gives an exponent `η·g_k` far below 2⁻⁵⁴ either way, whose exponential
    /// is exactly 1.
    #[inline]
    pub fn for_the_update(&self) -> DecisionContext<'_> {
        // π is never negative (a sum of terms the schema keeps at or above zero), so one
        // comparison: testing `|π|` or the sign as well cost 160 instructions a turn in the
        // compiled turn (callgrind, BENCHMARKS.md).
        debug_assert!(
            self.pressure >= 0.0 || self.pressure.is_nan(),
            "negative side-taking pressure {}",
            self.pressure
        );
        let negligible = self.pressure < NEGLIGIBLE_PRESSURE;
        DecisionContext { pressure: if negligible { 0.0 } else { self.pressure }, ..*self }
    }

    /// `∇U(w)`: `μ_k − γ(Σw)_k − 4π·∂(A·R)/∂w_k`, where `∂(A·R)/∂w_k` is R for an acceptance
    /// component, A for a rejection component and 0 for economic pragmatism.
    #[inline]
    pub fn gradient(&self, w: &Mix) -> [f64; N] {
        let cov = self.payoff.covariance_with(w);
        // Without side-taking pressure the last term is `0·A` or `0·R`, a zero whose subtraction
        // leaves every entry as it is (at most the sign of a zero entry, which its exponential in
        // the update ignores): skip it, on most turns' case.
        if self.pressure == 0.0 {
            return std::array::from_fn(|k| self.payoff.mean[k] - self.gamma * cov[k]);
        }
        let a = w.acceptance();
        let r = w.rejection();
        let mut g = [0.0; N];
        for c in Component::ALL {
            let k = c.index();
            let side = match c.side() {
                Side::Rejection => a,
                Side::Acceptance => r,
                Side::Neutral => 0.0,
            };
            g[k] = self.payoff.mean[k] - self.gamma * cov[k] - 4.0 * self.pressure * side;
        }
        g
    }
}

/// A way of choosing the mix each turn: configuration only, so a world that holds one is cheap to
/// clone for every run of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub enum Rule {
    /// Mean–variance hedging ([`Hedge`]), `rule = "hedge"`.
    #[default]
    Hedge,
    /// A scripted policy: the same mix every turn, whatever happens (`rule = "fixed"` with `mix`).
    Fixed(Mix),
}

impl Rule {
    /// The name used in scenario files (`rule = "hedge"`).
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Hedge => "hedge",
            Rule::Fixed(_) => "fixed",
        }
    }

    /// Move `mix` to this turn's policy.
    #[inline]
    pub fn decide(&self, ctx: &DecisionContext, mix: &mut Mix) {
        match self {
            Rule::Hedge => Hedge.decide(ctx, mix),
            Rule::Fixed(script) => *mix = *script,
        }
    }
}

/// Side-taking pressure below this counts as none in the update's steps
/// ([`DecisionContext::for_the_update`]).
pub const NEGLIGIBLE_PRESSURE: f64 = 1e-300;

/// Exponents below this in size need no shift: factors within `e^±100` cannot overflow the sum of
/// seven weights, nor shrink a weight the floor keeps (≥ 1e-3) anywhere near underflow.
const MODERATE_EXPONENT: f64 = 100.0;

/// Mean–variance hedging by exponentiated-gradient ascent:
/// `w_k ← w_k·exp(η·(g_k − g·w))`, renormalise, floor, `inner_steps` times a turn; under
/// side-taking pressure the state first takes the better side
/// ([`DecisionContext::prefers_other_side`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Hedge;

impl Hedge {
    /// One turn of the rule: the side choice, then `inner_steps` steps.
    ///
    /// Kept out of line: since the rule became an enum this was inlined into `World::step`, and
    /// fat LTO then laid out the whole turn worse (3,849 instructions per turn at d0f23eb against
    /// 3,659 out of line, same checksum; BENCHMARKS.md, "Instructions per turn").
    #[inline(never)]
    pub fn decide(&self, ctx: &DecisionContext, mix: &mut Mix) {
        if ctx.prefers_other_side(mix) {
            *mix = mix.mirrored();
        }
        let ctx = &ctx.for_the_update();
        // A dependence faded to tiny and subnormal numbers (e = SHOCK·dep) makes the shock
        // factor's products in each step take the processor's slow path. Below
        // `shock_is_negligible`'s bound its terms of Σw are under 1e-308: added to a partial sum
        // of at least 2⁻⁹⁴⁰ they change nothing, and sums smaller than that leave g_k either
        // unchanged or so small that exp(η·g_k) is exactly 1 either way (γ, η ≤ 1e4). So the
        // update runs on a copy of the model without them, and the new mix is the same to the bit.
        let quiet;
        let ctx = &if ctx.payoff.shock_is_negligible() {
            quiet = PayoffModel { shock: [0.0; N], ..*ctx.payoff };
            DecisionContext { payoff: &quiet, ..*ctx }
        } else {
            *ctx
        };
        // Weights at the floor now are likely still there after each step.
        let mut free = mix.0.map(|w| if w > ctx.floor { 1.0 } else { 0.0 });
        for _ in 0..ctx.inner_steps {
            let g = ctx.gradient(mix);
            // Any shift of the exponents (g·w in the v1 reference model) gives the same mix after
            // the projection
            // renormalises. With moderate exponents none is needed; otherwise subtracting max g
            // keeps every exponent ≤ 0, so a huge η or γ cannot overflow to infinity. Finding the
            // max only when needed keeps it off the chain of dependent steps.
            let exponents = g.map(|gk| ctx.eta * gk);
            // Every element tested (`&`, not `all`): seven comparisons without a branch each.
            let factors = if exponents.iter().fold(true, |moderate, e| moderate & (e.abs() < MODERATE_EXPONENT)) {
                // Within ±100, every exponent is inside the fast kernel's range: no second test.
                exp_each_in_range(exponents)
            } else {
                let g_max = g.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                exp_each(g.map(|gk| ctx.eta * (gk - g_max)))
            };
            for (w, f) in mix.0.iter_mut().zip(factors) {
                *w *= f;
            }
            mix.project_with_floor_from(ctx.floor, &mut free);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payoff::PayoffInputs;
    use crate::world::World;

    fn model(hostility_var: f64, vulnerability: f64) -> PayoffModel {
        PayoffModel::new(
            &World::default().payoff,
            &PayoffInputs { vulnerability, planned_hostility_var: hostility_var, ..PayoffInputs::example() },
            &[0.0; N],
        )
    }

    fn ctx(m: &PayoffModel, pressure: f64) -> DecisionContext<'_> {
        DecisionContext { payoff: m, gamma: 6.0, pressure, eta: 0.6, inner_steps: 3, floor: 1e-3, side_choice: true }
    }

    /// A side-taking pressure faded to subnormal numbers (imminence stuck at 5e-324 after a
    /// coercion) and a dependence faded to almost nothing give the same mix, to the bit, as the
    /// update with the side-taking term and the shock factor computed.
    #[test]
    fn negligible_pressure_and_shock_leave_the_update_unchanged() {
        let faded = |dep: f64| {
            let inputs = PayoffInputs { dep, vulnerability: 0.5, ..PayoffInputs::example() };
            PayoffModel::new(&World::default().payoff, &inputs, &[0.0; N])
        };
        let models = [model(0.07, 0.5), faded(1e-200), faded(1e-160), faded(3e-320)];
        assert!(!models[0].shock_is_negligible() && models[1..].iter().all(PayoffModel::shock_is_negligible));
        let starts = [
            Mix::uniform(),
            Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap(),
            Mix::normalised([0.001, 0.001, 0.5, 0.2, 0.297, 0.0005, 0.0005]).unwrap(),
        ];
        let pressures = [0.0, 5e-324, 1.5e-323, 1e-310, 0.9e-300];
        for (m, pressure) in models.iter().flat_map(|m| pressures.map(|p| (m, p))) {
            let c = DecisionContext { side_choice: false, ..ctx(m, pressure) };
            for start in starts {
                let mut fast = start;
                Hedge.decide(&c, &mut fast);
                // The update as written before the shortcut, with the full gradient.
                let mut slow = start;
                let mut free = slow.0.map(|w| if w > c.floor { 1.0 } else { 0.0 });
                for _ in 0..c.inner_steps {
                    let factors = exp_each(c.gradient(&slow).map(|g| c.eta * g));
                    for (w, f) in slow.0.iter_mut().zip(factors) {
                        *w *= f;
                    }
                    slow.project_with_floor_from(c.floor, &mut free);
                }
                assert_eq!(
                    fast.0.map(f64::to_bits),
                    slow.0.map(f64::to_bits),
                    "pressure {pressure}, dep {}",
                    m.shock[3]
                );
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let m = model(0.07, 0.5);
        let c = ctx(&m, 1.3);
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let g = c.gradient(&w);
        let h = 1e-6;
        for k in 0..N {
            // U is defined for any vector, so differentiate along each coordinate.
            let mut up = w;
            up.0[k] += h;
            let mut down = w;
            down.0[k] -= h;
            let fd = (c.utility(&up).total() - c.utility(&down).total()) / (2.0 * h);
            assert!((fd - g[k]).abs() < 1e-6, "component {k}: fd {fd} vs gradient {}", g[k]);
        }
    }

    #[test]
    fn hedge_ascends_the_utility() {
        let m = model(0.07, 0.5);
        let c = ctx(&m, 0.0);
        let mut w = Mix::uniform();
        let mut last = c.utility(&w).total();
        for _ in 0..30 {
            Hedge.decide(&DecisionContext { inner_steps: 1, eta: 0.2, ..c }, &mut w);
            let u = c.utility(&w).total();
            assert!(u >= last - 1e-9, "utility fell from {last} to {u}");
            last = u;
        }
    }

    #[test]
    fn uncertainty_holds_both_sides_and_pressure_forces_a_corner() {
        let m = model(0.07, 0.5);
        let mut calm = Mix::uniform();
        let mut pressed = Mix::uniform();
        for _ in 0..60 {
            Hedge.decide(&ctx(&m, 0.0), &mut calm);
            Hedge.decide(&ctx(&m, 3.0), &mut pressed);
        }
        assert!(calm.label(0.1).is_hedging(), "{calm:?}");
        assert!(pressed.hedging_intensity() < 0.5 * calm.hedging_intensity(), "{pressed:?} vs {calm:?}");
    }

    #[test]
    fn under_pressure_the_state_takes_the_better_side() {
        // V = 0.9: a very vulnerable state, for which acceptance reassures and pays more.
        let m = model(0.07, 0.9);
        let rejection_corner = Mix::normalised([0.05, 0.4, 0.4, 0.1, 0.02, 0.02, 0.01]).unwrap();
        let pressed = ctx(&m, 1.5);
        let (here, there) =
            (pressed.utility(&rejection_corner).total(), pressed.utility(&rejection_corner.mirrored()).total());
        assert!(there > here, "the test needs the acceptance side to be better: {there} vs {here}");
        assert!(pressed.prefers_other_side(&rejection_corner));
        let mut w = rejection_corner;
        for _ in 0..20 {
            Hedge.decide(&pressed, &mut w);
        }
        assert!(w.acceptance() > 0.8, "{w:?}");

        // Without the side choice (v1), the climb stays in the corner it starts in.
        let v1 = DecisionContext { side_choice: false, ..pressed };
        assert!(!v1.prefers_other_side(&rejection_corner));
        let mut w = rejection_corner;
        for _ in 0..20 {
            Hedge.decide(&v1, &mut w);
        }
        assert!(w.acceptance() < 0.1 && w.rejection() > 0.5, "{w:?}");

        // The gain computed from what differs is the difference of the two whole utilities.
        for w in [rejection_corner, rejection_corner.mirrored(), Mix::uniform()] {
            let whole = pressed.utility(&w.mirrored()).total() - pressed.utility(&w).total();
            assert!((pressed.mirror_gain(&w) - whole).abs() < 1e-12, "{} vs {whole}", pressed.mirror_gain(&w));
        }

        // Without pressure there is nothing to choose: the climb alone finds the best mix.
        assert!(!ctx(&m, 0.0).prefers_other_side(&rejection_corner));
        // And from the better side there is no reason to switch back.
        assert!(!pressed.prefers_other_side(&rejection_corner.mirrored()));
    }

    #[test]
    fn extreme_parameters_stay_on_the_simplex() {
        let m = model(50.0, 1.0);
        let mut w = Mix::uniform();
        let c = DecisionContext { gamma: 1e9, eta: 1e6, pressure: 1e6, ..ctx(&m, 0.0) };
        for _ in 0..100 {
            Hedge.decide(&c, &mut w);
            assert!(w.0.iter().all(|x| x.is_finite() && *x >= 0.0));
            assert!((w.0.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn the_shift_of_the_exponents_does_not_matter() {
        // Moderate exponents go unshifted; the rule as written subtracts max g. Same mixes.
        let m = model(0.07, 0.5);
        for pressure in [0.0, 0.8, 3.0] {
            let c = DecisionContext { side_choice: false, ..ctx(&m, pressure) };
            let mut fast = Mix::normalised([0.02, 0.2, 0.05, 0.25, 0.2, 0.18, 0.1]).unwrap();
            let mut shifted = fast;
            for _ in 0..20 {
                Hedge.decide(&c, &mut fast);
                for _ in 0..c.inner_steps {
                    let g = c.gradient(&shifted);
                    let g_max = g.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    for k in 0..N {
                        shifted.0[k] *= (c.eta * (g[k] - g_max)).exp();
                    }
                    shifted.project_with_floor(c.floor);
                }
                for k in 0..N {
                    assert!((fast.0[k] - shifted.0[k]).abs() < 1e-13, "{fast:?} vs {shifted:?}");
                }
            }
        }
    }

    #[test]
    fn fixed_rule_plays_its_script() {
        let script = Mix::normalised([0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0]).unwrap();
        let m = model(0.07, 0.5);
        let mut w = Mix::uniform();
        Rule::Fixed(script).decide(&ctx(&m, 0.0), &mut w);
        assert_eq!(w, script);
    }
}
