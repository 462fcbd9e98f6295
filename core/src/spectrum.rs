//! Kuik's alignment spectrum: the seven components, a mix over them, and the labels read off a mix.
//!
//! The small state's policy is not a single choice but a *mix* `w` on the 7-simplex, ordered from
//! power rejection (pure balancing) to power acceptance (pure bandwagoning). Hedging is holding
//! both sides at once (docs/model.md §1, after Kuik in Jović-Lazić & Bošković 2024). This module
//! knows nothing about payoffs or
//! agents; it is the vocabulary the rest of the crate speaks.

use serde::Serialize;
use std::fmt;

/// Number of components on the spectrum.
pub const N: usize = 7;

/// One position on Kuik's spectrum, ordered from rejection (+3) to acceptance (−3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Component {
    /// Alliance against the great power.
    PureBalancing,
    /// Own military build-up and defence cooperation.
    IndirectBalancing,
    /// Bringing third powers into the region, bypass routes.
    DominanceDenial,
    /// Trade and investment regardless of politics.
    EconomicPragmatism,
    /// Treaties, institutions and summits with the great power.
    BindingEngagement,
    /// Voluntary deference on selected issues.
    LimitedBandwagoning,
    /// Joining the great power's bloc.
    PureBandwagoning,
}

/// Which side of the spectrum a component belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Rejection,
    Neutral,
    Acceptance,
}

impl Component {
    /// All components in spectrum order (index `k` of every `[f64; 7]` in the crate).
    pub const ALL: [Component; N] = [
        Component::PureBalancing,
        Component::IndirectBalancing,
        Component::DominanceDenial,
        Component::EconomicPragmatism,
        Component::BindingEngagement,
        Component::LimitedBandwagoning,
        Component::PureBandwagoning,
    ];

    /// Index into `[f64; 7]` arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The two-letter code used in scenario files and CSV headers (`PB` … `PW`).
    pub const fn code(self) -> &'static str {
        match self {
            Component::PureBalancing => "PB",
            Component::IndirectBalancing => "IB",
            Component::DominanceDenial => "DD",
            Component::EconomicPragmatism => "EP",
            Component::BindingEngagement => "BE",
            Component::LimitedBandwagoning => "LB",
            Component::PureBandwagoning => "PW",
        }
    }

    /// The full name, for sentences a student reads.
    pub const fn name(self) -> &'static str {
        match self {
            Component::PureBalancing => "pure balancing",
            Component::IndirectBalancing => "indirect balancing",
            Component::DominanceDenial => "dominance denial",
            Component::EconomicPragmatism => "economic pragmatism",
            Component::BindingEngagement => "binding engagement",
            Component::LimitedBandwagoning => "limited bandwagoning",
            Component::PureBandwagoning => "pure bandwagoning",
        }
    }

    /// Parse a two-letter code.
    pub fn from_code(code: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Position on the spectrum: +3 (pure balancing) to −3 (pure bandwagoning).
    pub const fn position(self) -> f64 {
        3.0 - self as usize as f64
    }

    pub const fn side(self) -> Side {
        match self {
            Component::PureBalancing | Component::IndirectBalancing | Component::DominanceDenial => Side::Rejection,
            Component::EconomicPragmatism => Side::Neutral,
            _ => Side::Acceptance,
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The codes of all components, in spectrum order, for error messages and headers.
pub fn codes() -> String {
    Component::ALL.map(Component::code).join(", ")
}

/// `Σ a_k` added in pairs, `((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + a₆)`: three dependent additions
/// instead of six. The decision update is a chain of such sums (dot products, the projection's
/// masses) with little else to do meanwhile, so their latency is what a turn waits for.
#[inline]
pub(crate) fn pairwise_sum(a: &[f64; N]) -> f64 {
    const { assert!(N == 7) };
    ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + a[6])
}

/// `Σ_k a_k·b_k` over the components, summed in [`pairwise_sum`]'s order: the expected payoff of a
/// mix and its loadings on each factor are such products, on the decision's critical path.
#[inline]
pub(crate) fn dot(a: &[f64; N], b: &[f64; N]) -> f64 {
    pairwise_sum(&std::array::from_fn(|k| a[k] * b[k]))
}

/// A point on the 7-simplex: the weight the small state puts on each component.
///
/// Invariant (kept by every constructor and by [`Mix::project_with_floor`]): weights are finite,
/// non-negative and sum to one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mix(pub [f64; N]);

impl Default for Mix {
    fn default() -> Self {
        Mix::uniform()
    }
}

impl Mix {
    /// Equal weight on every component: the default initial mix.
    pub const fn uniform() -> Mix {
        Mix([1.0 / N as f64; N])
    }

    /// Normalise non-negative weights to sum to one. Returns `None` when they are all zero or any
    /// is negative or not finite, so callers can report a bad scenario instead of dividing by zero.
    pub fn normalised(weights: [f64; N]) -> Option<Mix> {
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return None;
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return None;
        }
        Some(Mix(weights.map(|w| w / total)))
    }

    pub fn weight(&self, c: Component) -> f64 {
        self.0[c.index()]
    }

    /// The same portfolio on the other side of the spectrum: each component's weight moves to its
    /// opposite (PB ↔ PW, IB ↔ LB, DD ↔ BE; EP stays), the pairs Kuik's risk-offset holds together.
    #[inline]
    pub fn mirrored(&self) -> Mix {
        let mut w = self.0;
        w.reverse();
        Mix(w)
    }

    /// The weights on `side` of the spectrum, zero elsewhere: one side of the mix as a partial
    /// weight vector, for [`crate::payoff::PayoffModel::covariance_between`].
    pub fn side(&self, side: Side) -> [f64; N] {
        std::array::from_fn(|k| if Component::ALL[k].side() == side { self.0[k] } else { 0.0 })
    }

    /// Rejection mass `R = w_PB + w_IB + w_DD`.
    pub fn rejection(&self) -> f64 {
        self.0[0] + self.0[1] + self.0[2]
    }

    /// Acceptance mass `A = w_BE + w_LB + w_PW`.
    pub fn acceptance(&self) -> f64 {
        self.0[4] + self.0[5] + self.0[6]
    }

    /// Alignment index `x = Σ w_k·pos_k / 3 ∈ [−1, 1]`: +1 pure balancing, −1 pure bandwagoning.
    pub fn alignment(&self) -> f64 {
        Component::ALL.iter().map(|c| self.0[c.index()] * c.position()).sum::<f64>() / 3.0
    }

    /// Hedging intensity `H = 2·min(A, R)`: 1 when both sides hold half the mix, 0 at a corner.
    pub fn hedging_intensity(&self) -> f64 {
        2.0 * self.acceptance().min(self.rejection())
    }

    /// Kuik's label for this mix at threshold `tau` (docs/model.md §1).
    pub fn label(&self, tau: f64) -> Label {
        let a = self.acceptance();
        let r = self.rejection();
        match (a >= tau, r >= tau) {
            (true, true) => Label::Hedging(Tilt::of_alignment(self.alignment())),
            (false, true) => Label::Balancing,
            (true, false) => Label::Bandwagoning,
            (false, false) => Label::Neutral,
        }
    }

    /// Renormalise onto the simplex with every weight at least `floor`.
    ///
    /// The v1 reference model (docs/model.md §5) says "floor each weight at 1e-3 and renormalise".
    /// Done literally, renormalising
    /// pushes a floored weight back below the floor; we instead hold floored weights at exactly
    /// `floor` and rescale the others to fill the rest. The result is the mix closest in proportion
    /// to the input with every weight ≥ `floor`. The floor keeps every option alive so the
    /// multiplicative update can revive it: policy moves gradually (Khalilov 2023: "this shift was not
    /// sudden").
    ///
    /// With `P` the pinned set, every free weight ends at `x_k·(1 − floor·|P|)/Σ_free x`, so one
    /// scale per call suffices. Pinning a weight lowers that scale, which can push another below
    /// the floor, so the pinned set grows until no free weight falls below (at most `N` passes,
    /// usually one or two). Each pass only compares; nothing is divided until the set is known.
    ///
    /// Weights that are not finite are treated as zero; if nothing finite and positive remains the
    /// mix becomes uniform, so a diverging update can never leave the simplex.
    pub fn project_with_floor(&mut self, floor: f64) {
        self.project_with_floor_from(floor, &mut [1.0; N]);
    }

    /// [`Mix::project_with_floor`], starting from a guess of which weights end at the floor.
    ///
    /// `free[k]` is 1 for a weight expected above the floor and 0 for one expected at it; on
    /// return it holds the answer. One step of the update seldom frees or pins a weight, so the
    /// last step's answer is usually right, and then one pass confirms it instead of two finding
    /// it. The result is the same whatever the guess: the pinned set is the only one where every
    /// pinned weight falls below the floor and no free one does, and a guess that fails that test
    /// is dropped for the search from no pins.
    ///
    /// Kept out of line: inlined into each of the decision's inner steps, the turn counted 46
    /// more instructions for the teaching dyad and 75 more for the v2 file (callgrind;
    /// BENCHMARKS.md, "Instructions per turn"), same results.
    #[inline(never)]
    pub fn project_with_floor_from(&mut self, floor: f64, free: &mut [f64; N]) {
        let floor = floor.clamp(0.0, 1.0 / N as f64);
        let mut x = self.0;
        let mut total = pairwise_sum(&x);
        // A finite total rules out NaN and ∞ in one test, so the common case checks only signs.
        if !(total < f64::INFINITY && x.iter().all(|&v| v >= 0.0)) {
            x = x.map(|v| if v.is_finite() && v > 0.0 { v } else { 0.0 });
            total = pairwise_sum(&x);
        }
        if !(total > 0.0 && total <= f64::MAX) {
            *self = Mix::uniform();
            return;
        }
        let mut from_no_pins = *free == [1.0; N];
        let (target, free_mass) = loop {
            // Free weights are numbers (1 or 0) rather than flags, so that each pass is plain
            // arithmetic the compiler can do two weights at a time.
            let n_free = pairwise_sum(free);
            let free_mass = pairwise_sum(&std::array::from_fn(|k| x[k] * free[k]));
            let target = 1.0 - floor * (N as f64 - n_free);
            // `x_k·target/free_mass < floor`, without the division.
            let threshold = floor * free_mass;
            let implied = x.map(|v| if v * target < threshold { 0.0 } else { 1.0 });
            if implied == *free {
                break (target, free_mass);
            }
            if from_no_pins {
                // Pins only accumulate: each pass lowers the scale.
                let pinned_more = std::array::from_fn(|k| free[k].min(implied[k]));
                if pinned_more == *free {
                    break (target, free_mass);
                }
                *free = pinned_more;
            } else {
                // The guess was wrong: search from no pins.
                *free = [1.0; N];
                from_no_pins = true;
            }
        };
        let scale = target / free_mass;
        for k in 0..N {
            self.0[k] = if free[k] > 0.0 { x[k] * scale } else { floor };
        }
    }
}

/// Which way a hedging mix leans (threshold ±0.15 on the alignment index, docs/model.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tilt {
    TowardBalancing,
    Even,
    TowardBandwagoning,
}

/// Alignment index beyond which a hedge is said to lean to one side.
pub const TILT_THRESHOLD: f64 = 0.15;

impl Tilt {
    pub fn of_alignment(x: f64) -> Tilt {
        if x > TILT_THRESHOLD {
            Tilt::TowardBalancing
        } else if x < -TILT_THRESHOLD {
            Tilt::TowardBandwagoning
        } else {
            Tilt::Even
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Tilt::TowardBalancing => "balancing",
            Tilt::Even => "even",
            Tilt::TowardBandwagoning => "bandwagoning",
        }
    }
}

/// Kuik's reading of a mix: both sides at once is hedging; one side only is a pure end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Label {
    Hedging(Tilt),
    Balancing,
    Bandwagoning,
    Neutral,
}

impl Label {
    /// The label names in the order of [`Label::index`]: the order of every per-label count and
    /// share column.
    pub const NAMES: [&'static str; 4] = ["hedging", "balancing", "bandwagoning", "neutral"];

    /// The label's position in [`Label::NAMES`], whatever a hedge's tilt.
    pub const fn index(self) -> usize {
        match self {
            Label::Hedging(_) => 0,
            Label::Balancing => 1,
            Label::Bandwagoning => 2,
            Label::Neutral => 3,
        }
    }

    pub const fn as_str(self) -> &'static str {
        Label::NAMES[self.index()]
    }

    /// The tilt of a hedge; empty for the pure labels.
    pub const fn tilt_str(self) -> &'static str {
        match self {
            Label::Hedging(t) => t.as_str(),
            _ => "",
        }
    }

    pub const fn is_hedging(self) -> bool {
        matches!(self, Label::Hedging(_))
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(w: [f64; N]) -> Mix {
        Mix::normalised(w).unwrap()
    }

    #[test]
    fn positions_run_from_plus_three_to_minus_three() {
        assert_eq!(Component::PureBalancing.position(), 3.0);
        assert_eq!(Component::EconomicPragmatism.position(), 0.0);
        assert_eq!(Component::PureBandwagoning.position(), -3.0);
        for c in Component::ALL {
            assert_eq!(Component::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn indices_of_a_known_mix() {
        let m = mix([0.1, 0.2, 0.1, 0.2, 0.2, 0.1, 0.1]);
        assert!((m.rejection() - 0.4).abs() < 1e-12);
        assert!((m.acceptance() - 0.4).abs() < 1e-12);
        // x = (0.3 + 0.4 + 0.1 - 0.2 - 0.2 - 0.3) / 3 = 0.1 / 3
        assert!((m.alignment() - 0.1 / 3.0).abs() < 1e-12);
        assert!((m.hedging_intensity() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn labels_follow_the_threshold() {
        let tau = 0.1;
        let hedge = mix([0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1]);
        assert_eq!(hedge.label(tau), Label::Hedging(Tilt::Even));
        let balance = mix([0.5, 0.3, 0.15, 0.0, 0.05, 0.0, 0.0]);
        assert_eq!(balance.label(tau), Label::Balancing);
        let bandwagon = mix([0.0, 0.0, 0.05, 0.1, 0.3, 0.3, 0.25]);
        assert_eq!(bandwagon.label(tau), Label::Bandwagoning);
        let neutral = mix([0.03, 0.03, 0.03, 0.82, 0.03, 0.03, 0.03]);
        assert_eq!(neutral.label(tau), Label::Neutral);
        // Exactly at the threshold counts as holding that side.
        let edge = mix([0.1, 0.0, 0.0, 0.8, 0.1, 0.0, 0.0]);
        assert_eq!(edge.label(tau), Label::Hedging(Tilt::Even));
    }

    #[test]
    fn tilt_thresholds() {
        let lean_reject = mix([0.4, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05]);
        assert!(lean_reject.alignment() > 0.15);
        assert_eq!(lean_reject.label(0.1), Label::Hedging(Tilt::TowardBalancing));
        let lean_accept = mix([0.05, 0.05, 0.1, 0.1, 0.1, 0.2, 0.4]);
        assert_eq!(lean_accept.label(0.1), Label::Hedging(Tilt::TowardBandwagoning));
        assert_eq!(Tilt::of_alignment(0.15), Tilt::Even);
        assert_eq!(Tilt::of_alignment(0.1501), Tilt::TowardBalancing);
        assert_eq!(Tilt::of_alignment(-0.1501), Tilt::TowardBandwagoning);
    }

    #[test]
    fn projection_keeps_the_simplex_and_the_floor() {
        let mut m = Mix([0.9, 1e-9, 0.0, 0.05, 0.0, 0.0, 0.5]);
        m.project_with_floor(1e-3);
        let sum: f64 = m.0.iter().sum();
        assert!((sum - 1.0).abs() < 1e-12, "sum {sum}");
        assert!(m.0.iter().all(|&w| w >= 1e-3 - 1e-15), "{:?}", m.0);
        // Floored weights sit exactly at the floor; the others keep their proportions.
        assert_eq!(m.0[1], 1e-3);
        assert!((m.0[0] / m.0[6] - 0.9 / 0.5).abs() < 1e-9);
    }

    #[test]
    fn projection_leaves_an_interior_mix_alone() {
        let mut m = mix([0.1, 0.2, 0.1, 0.2, 0.2, 0.1, 0.1]);
        let before = m;
        m.project_with_floor(1e-3);
        for k in 0..N {
            assert!((m.0[k] - before.0[k]).abs() < 1e-15);
        }
    }

    /// The projection done the long way, as first written: normalise, rescale the free weights to
    /// fill what the pinned ones leave, pin any that fall below the floor, repeat.
    fn project_by_passes(x: [f64; N], floor: f64) -> [f64; N] {
        let total: f64 = x.iter().sum();
        let mut w = x.map(|v| v / total);
        let mut pinned = [false; N];
        for _ in 0..N {
            let free_mass: f64 = (0..N).filter(|&k| !pinned[k]).map(|k| w[k]).sum();
            let target = 1.0 - floor * pinned.iter().filter(|&&p| p).count() as f64;
            let mut changed = false;
            for k in 0..N {
                if pinned[k] {
                    w[k] = floor;
                } else {
                    w[k] *= target / free_mass;
                    if w[k] < floor {
                        pinned[k] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        (0..N).for_each(|k| {
            if pinned[k] {
                w[k] = floor
            }
        });
        w
    }

    #[test]
    fn projection_agrees_with_repeated_rescaling() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for case in 0..10_000 {
            // Log-uniform weights over many decades, so that zero to six of them end up pinned.
            let x: [f64; N] = std::array::from_fn(|_| 10f64.powf(rng.random_range(-8.0..0.0)));
            let floor = [1e-3, 1e-2, 0.1][case % 3];
            let mut fast = Mix(x);
            fast.project_with_floor(floor);
            let slow = project_by_passes(x, floor);
            for k in 0..N {
                assert!((fast.0[k] - slow[k]).abs() <= 4.0 * f64::EPSILON * slow[k], "{x:?}: {fast:?} vs {slow:?}");
            }
            // Any guess of the pinned set gives the same mix, to the bit, and returns the answer.
            let mut guess: [f64; N] = std::array::from_fn(|_| if rng.random_bool(0.3) { 0.0 } else { 1.0 });
            let mut guessed = Mix(x);
            guessed.project_with_floor_from(floor, &mut guess);
            assert_eq!(guessed, fast, "{x:?} from {guess:?}");
            assert_eq!(guess, fast.0.map(|w| if w > floor { 1.0 } else { 0.0 }), "{x:?}");
        }
    }

    #[test]
    fn projection_recovers_from_non_finite_weights() {
        let mut m = Mix([f64::NAN, f64::INFINITY, 0.0, 0.0, 0.0, 0.0, 0.0]);
        m.project_with_floor(1e-3);
        assert_eq!(m, Mix::uniform());
        let mut m = Mix([f64::NAN, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        m.project_with_floor(1e-3);
        assert!((m.0[1] - (1.0 - 6e-3)).abs() < 1e-12);
    }
}
