//! The factor payoff model: each component's payoff is linear in five uncertain factors — the
//! great power's hostility θ, whether it coerces this turn c, third-power reliability κ, an
//! economic shock z, how far the great power interferes in the state's policymaking a — plus
//! idiosyncratic noise (docs/model.md §4):
//!
//! ```text
//! r_k = b_k + h_k·θ + p_k·c + q_k·κ + e_k·z + a_k·a + idio·ε_k
//! ```
//!
//! Because the factors are few, the covariance
//! `Σ = h hᵀ·Var θ + p pᵀ·π_c(1 − π_c) + q qᵀ·Var κ + e eᵀ·sd_z² + a aᵀ·sd_a² + idio²·I` is never
//! built as a matrix: `Σw` and `wᵀΣw` come from five dot products. That keeps the turn allocation-free and
//! makes the risk-offset visible: `(Σw)_k` is how component k co-moves with the rest of the mix,
//! negative when the other side of the spectrum insures it.
//!
//! The coercion factor and the other v2 terms (docs/calibration/v2-design.md, "The v2
//! structure") are switched by the `payoff.*` weights of [`PayoffParams`]; at their defaults (all
//! zero) every coefficient is the v1 model's to the bit, and `p = 0`.

use crate::doctrine::Doctrine;
use crate::spectrum::{Mix, N, Side, dot};
use serde::Serialize;

/// The inputs of one turn's payoff coefficients: what the small state knows and believes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PayoffInputs {
    pub dep: f64,
    pub stakes: f64,
    /// Own capability and military strength, which cover the insurance terms when
    /// `payoff.insurance_coverage` > 0.
    pub cap: f64,
    pub mil: f64,
    /// The great power's regional focus, which scales the believed chance of coercion.
    pub focus: f64,
    /// V: how exposed the state is if the great power turns hostile.
    pub vulnerability: f64,
    pub imminence: f64,
    /// The rivalry that demands a choice (`decision.rivalry`).
    pub rivalry: f64,
    /// T = Σ_j cap_j·s_j: third-power capability engaged.
    pub third_power_capability: f64,
    /// `T_rival = Σ_j rivalry_j·cap_j·s_j`: engaged capability weighted by each partner's own
    /// rivalry with the great power (negative for a partner it values), which makes leaning on
    /// partners provoke when `payoff.partner_rivalry` > 0.
    pub rival_capability: f64,
    /// k, the believed propensity to punish (`PunishmentBelief::propensity`): π_c per unit of
    /// E[θ]·focus. The prior `payoff.coercion_rate` unless the state learns it.
    pub coercion_propensity: f64,
    /// `E[θ]`: the mean of the small state's belief about the great power's hostility.
    pub believed_hostility: f64,
    /// Var θ of the belief: its variance plus fluidity over the horizon
    /// (`HostilityBelief::planning_variance`), not the great power's true hostility θ*. The
    /// payoff model plans with it scaled by `1 − imminence_certainty·imm`.
    pub planned_hostility_var: f64,
    pub reliability_mean: f64,
    pub reliability_var: f64,
    /// n = Σ_k w_k·PROV_k of the mix before the decision, the mix's net provocation
    /// ([`crate::doctrine::Doctrine::net_provocation`]): below 0 the mix defers more than it
    /// provokes, and with `payoff.provocation_offset` > 0 deference beyond that offset pays less.
    /// Read only while ξ > 0 ([`crate::agents::SmallState::perceive`]); otherwise 0, which leaves
    /// every coefficient as v1's.
    pub net_provocation: f64,
}

impl PayoffInputs {
    /// An illustrative turn of the teaching dyad (a weak, fairly dependent state, one middling
    /// partner, no threat): the fixture the unit tests, the benchmarks and the docs' hand
    /// computations start from, so that it is written once. Change a field with struct update
    /// syntax, `PayoffInputs { vulnerability: 0.6, ..PayoffInputs::example() }`.
    pub const fn example() -> PayoffInputs {
        PayoffInputs {
            dep: 0.3,
            stakes: 2.5,
            cap: 0.1,
            mil: 0.2,
            focus: 1.0,
            vulnerability: 0.5,
            imminence: 0.0,
            rivalry: 0.0,
            third_power_capability: 0.1,
            rival_capability: 0.0,
            believed_hostility: 0.4,
            planned_hostility_var: 0.07,
            reliability_mean: 0.5,
            reliability_var: 0.05,
            coercion_propensity: 1.25,
            net_provocation: 0.0,
        }
    }
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
    /// sd_a: standard deviation of the autonomy factor a, how far the great power will interfere
    /// in the state's policymaking, uncertain apart from its hostility: a benign hegemon can
    /// still dictate (Kuik's political risk: small states "are afraid of losing their
    /// independence if they get too close to the great powers", Kuik 2008 in Hamzaoğlu 2025).
    /// A centred factor: its expected cost is in each component's `ret`, so it adds risk, not
    /// mean, and realised payoffs take its mean (no draw, so the random streams are v1's).
    /// 0 in v1.
    pub autonomy_sd: f64,
    /// sd_g: standard deviation of the regional factor g, the region's diffuse, cross-border
    /// risks (a neighbour's war, insurgency, threats at the borders), uncertain apart from the
    /// great power's hostility. Centred and not drawn, as the autonomy factor: it adds risk, no
    /// mean, and realised payoffs are v1's (docs/model.md §4, "Indirect balancing's own risk").
    /// 0 in v1.
    pub regional_sd: f64,
    /// Exploitation exposure a state has even at zero dependence (`0.3` in `EXPL·(0.3 + dep)`).
    pub exploitation_base: f64,
    /// How much exploitation exposure grows with dependence (the v1 reference model's implicit 1 in
    /// `EXPL·(0.3 + dep)`). Below 1, dependence's other face, the benign-world returns of
    /// `DEPRET` (rewards for deference, costs of defiance), can win: Preiherman's "heavy multi-level
    /// dependence ... structurally restricts its manoeuvring space".
    pub exploitation_dependence: f64,
    /// ν: how far exploitation is only what the state could have resisted,
    /// `EXPL·exposure·((1 − ν) + ν·(1 − V))`. A hostile great power takes from a state that cannot
    /// resist it (V near 1: no strength of its own, no credible partner) whatever that state
    /// does, so deferring adds little exploitation to what rejecting would suffer; what
    /// acceptance gives away is what own strength and partners could otherwise have kept. With
    /// ν > 0 a rise in believed hostility tilts a weak state with unreliable partners toward
    /// acceptance and a covered one toward rejection (Walt's hypotheses 1 and 2, and "in the
    /// absence of allies or allied support, a state might choose to pursue the policy of
    /// bandwagoning", Walt in Khalilov 2023; the hypotheses in Preiherman 2017). At 0 (v1) exploitation
    /// does not depend on V.
    pub exploitation_resistance: f64,
    /// How much imminence multiplies provocation (`4` in `σ = 1 + 4·imm + …`).
    pub imminence_stakes: f64,
    /// How much a rivalry that demands a choice multiplies provocation (`σ = … + this·rivalry`):
    /// under a zero-sum rivalry the great power reads rejection as joining the other camp, so
    /// the weak state that rejects pays more and the one that defers is spared more (Labs in Preiherman 2017).
    pub rivalry_stakes: f64,
    /// ω: how far insurance is covered by the state's own strength, `INS·((1 − ω) + ω·(cap + mil))`.
    /// At 0 insurance pays the same for any state; at 1 only what the state can field insures
    /// (Walt in Preiherman 2017: "the stronger the state, the greater its tendency to balance").
    pub insurance_coverage: f64,
    /// ρ: how far third-power protection pays in the hostile world rather than on its own factor:
    /// `h += ρ·stakes·PROT·T·E[κ]`, `q = PROT·T·((1 − ρ) + ρ·stakes·E[θ])`, and μ counts the κ term
    /// with weight `1 − ρ` (at 1 protection's mean is already in `h·E[θ]`).
    pub protection_in_hostility: f64,
    /// λ: how much of the benign-world return is lost in a hostile world, `h −= λ·b`: a hostile
    /// great power takes back what cooperation earned, and rejection's forgone gains stop
    /// mattering (Jović-Lazić & Bošković 2024, "overly dependent").
    pub hostile_loss: f64,
    /// χ: how much of provocation moves from the hostility factor to its own coercion factor c,
    /// `h` keeps `−(1 − χ)·stakes·PROV·V·σ` and `p = −χ·stakes·PROV·V·σ` (Rahimova 2022, Sherwood:
    /// balancing "can provoke").
    pub coercion_channel: f64,
    /// k_c: the believed chance of coercion per unit of believed hostility and focus,
    /// `π_c = min(1, k_c·E[θ]·focus·(1 − imm) + imm)`. Irrelevant while χ = 0.
    pub coercion_rate: f64,
    /// c_p: how much of a coercion a turn of pressure is, as a realisation of the punishment
    /// factor c (coercion is c = 1). With it above 0 pressure costs provocative mixes more and
    /// spares appeasing ones, and the state counts it when it learns the great power's
    /// propensity to punish (0 in v1: pressure is a fixed cost and only coercion is c).
    pub pressure_share: f64,
    /// ζ: how much leaning on a partner that is the great power's rival provokes it,
    /// `provocation_k = PROV_k·V·σ + ζ·PROT_k·T_rival`: a component provokes in proportion to how
    /// much it relies on partners, whatever the state's own vulnerability (Jović-Lazić & Bošković
    /// 2024, § Relations with Turkey: Russia "tolerated" a partner it values).
    pub partner_rivalry: f64,
    /// How much imminence makes the great power's type known: Var θ is planned with
    /// `× (1 − this·imm)` (Khalilov 2023: pure strategies "only if the threat … is direct and
    /// imminent").
    pub imminence_certainty: f64,
    /// ψ: the share of a coercion's own damage that the coercion factor carries,
    /// `p_k = −χ·(stakes·P_k + ψ·D)` with `D = max(0, 1 − mil − T)`, the damage a coercion does
    /// to the whole state whatever its mix ([`crate::agents::GreatPowerAction::payoff_effect`]).
    /// At ψ = 1 the share χ of the fixed effect that a punishing turn stops paying is paid through
    /// the factor instead, so a coercion costs the state as much as at χ = 0, and the state plans
    /// for it: appeasement limits the damage, it does not turn it into a gain (Walt in Preiherman
    /// 2017: a weak state bandwagons because it cannot bear the punishment). 0 in v1 and rounds 1–8.
    pub coercion_damage: f64,
    /// ξ: how far the great power answers the mix's net provocation n = Σ_k w_k·PROV_k rather
    /// than each component's: while n < 0 every PROV counts × ς = 1 − ξ, so deference beyond
    /// offsetting the mix's own provocation pays only `1 − ξ` of its gain, and the rejection
    /// side's provocation is offset by the acceptance side ("The small state seeks to reduce the
    /// risks associated with the first two policies by simultaneously implementing limited
    /// bandwagoning and binding engagement", Kuik in Jović-Lazić & Bošković 2024). 0 in v1: ς = 1.
    pub provocation_offset: f64,
    /// φ: how far the great power's attention (`focus`) scales how much its hostility matters
    /// for every component, instead of making the state weaker. At φ = 1 the vulnerability V
    /// leaves focus out (`a_V = 1`, [`attention_reach`]) and every hostility loading h_k is
    /// multiplied by focus (`a_h = focus`, [`attention_weight`]): proximity and attention set the
    /// threat, the state's strength and its allies the direction of its answer (Walt's balance of
    /// threat and his first hypothesis, in Preiherman 2017; docs/calibration/v2-design.md,
    /// "Reading (b)"). 0 in v1: `a_V = focus`, `a_h = 1`.
    pub attention_scale: f64,
}

/// `a_V = (1 − φ)·focus + φ`: the great power's reach in the vulnerability,
/// `V = clip(a_V·(1 − cap) − mil − T·E[κ], 0, 1)`. Exactly `focus` at φ = 0.
pub fn attention_reach(attention_scale: f64, focus: f64) -> f64 {
    (1.0 - attention_scale) * focus + attention_scale
}

/// `a_h = (1 − φ) + φ·focus`: how much the great power's hostility matters, the scale of every
/// hostility loading h_k. Exactly 1 at φ = 0.
pub fn attention_weight(attention_scale: f64, focus: f64) -> f64 {
    (1.0 - attention_scale) + attention_scale * focus
}

/// `D = max(0, 1 − mil − T)`: what a coercion costs the state whatever its mix, the great power's
/// coercion effect (docs/model.md §6), less what its own forces and engaged partners absorb. One
/// formula for the realised effect ([`crate::agents::GreatPowerAction::payoff_effect`]) and for
/// the share of it the coercion factor carries (ψ, [`PayoffParams::coercion_damage`]).
pub fn coercion_damage(mil: f64, third_power_capability: f64) -> f64 {
    (1.0 - mil - third_power_capability).max(0.0)
}

/// `[w_Aᵀl, w_Rᵀl]`: a loading column `l` summed over the mix's acceptance side and its rejection
/// side.
fn sides(loading: &[f64; N], w: &Mix) -> [f64; 2] {
    [Side::Acceptance, Side::Rejection].map(|side| dot(loading, &w.side(side)))
}

/// `V = clip(a_V·(1 − cap) − mil − T·E[κ], 0, 1)`: the gap between the great power's reach `a_V`
/// (its focus, unless `payoff.attention_scale` > 0: [`attention_reach`]) and what the state's own
/// strength and its credible partners cover.
pub fn vulnerability(reach: f64, cap: f64, mil: f64, third_power_capability: f64, reliability_mean: f64) -> f64 {
    (reach * (1.0 - cap) - mil - third_power_capability * reliability_mean).clamp(0.0, 1.0)
}

/// `π_c = min(1, k_c·E[θ]·focus·(1 − imm) + imm)`: the chance of coercion the state believes in.
/// A direct and imminent threat makes it certain.
pub fn coercion_probability(coercion_rate: f64, believed_hostility: f64, focus: f64, imminence: f64) -> f64 {
    (coercion_rate * believed_hostility * focus * (1.0 - imminence) + imminence).min(1.0)
}

/// One turn's payoff coefficients, expected payoffs and factor variances.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PayoffModel {
    /// b_k: return in a benign world.
    pub base: [f64; N],
    /// h_k: how component k's payoff moves with the great power's hostility θ (its loading on the
    /// hostility factor), not the hostility itself.
    pub hostility_loading: [f64; N],
    /// p_k: how component k's payoff moves when the great power coerces this turn (c = 1); zero
    /// while `payoff.coercion_channel` is 0. Negative for what provokes, positive for what appeases.
    pub coercion_loading: [f64; N],
    /// q_k: loading on third-power reliability.
    pub protection: [f64; N],
    /// e_k = SHOCK_k·dep + DIV_k·(1 − dep): loading on the economic shock.
    pub shock: [f64; N],
    /// a_k = AUT_k: loading on the autonomy factor, set while it has variance (`autonomy_var`
    /// > 0); with none, every term it enters is 0 whatever it holds.
    pub autonomy: [f64; N],
    /// g_k = REG_k: loading on the regional factor, set while it has variance (`regional_var`
    /// > 0); with none, every term it enters is 0 whatever it holds.
    pub regional: [f64; N],
    /// The legitimation bonus added to the expected payoff.
    pub legit: [f64; N],
    /// μ_k = b_k + h_k·E[θ] + (1 − ρ)·q_k·E[κ] + p_k·π_c + legit_k.
    pub mean: [f64; N],
    /// Var θ planned with: [`PayoffInputs::planned_hostility_var`] × (1 − imminence_certainty·imm).
    pub planned_hostility_var: f64,
    /// π_c, the believed chance of coercion ([`coercion_probability`]); 0 while the coercion
    /// channel is off (χ = 0), as the v1 model has no coercion factor.
    pub coercion_probability: f64,
    /// k, the propensity to punish π_c was computed from ([`PayoffInputs::coercion_propensity`]),
    /// kept for `explain`.
    pub coercion_propensity: f64,
    /// X = `(exploitation_base + exploitation_dependence·dep)·((1 − ν) + ν·(1 − V))`: what a
    /// hostile great power takes per unit of a component's EXPL entry, kept for `explain`. With
    /// ν > 0 only what the state could have resisted ([`PayoffParams::exploitation_resistance`]).
    pub exploitation_exposure: f64,
    /// χ·ψ·D: what a coercion costs the state whatever its mix, the part of every p_k common to
    /// all components ([`PayoffParams::coercion_damage`]), kept for `explain`; 0 at ψ = 0.
    pub coercion_damage: f64,
    /// ς, the turn's scale of every PROV ([`PayoffParams::provocation_offset`]): `1 − ξ` while the
    /// mix before the decision defers more than it provokes (n < 0), else 1; kept for `explain`.
    pub provocation_scale: f64,
    /// Var c = π_c(1 − π_c).
    pub coercion_var: f64,
    /// ρ·E[κ], subtracted from the drawn κ in realised payoffs: with protection moved into the
    /// hostile world (ρ > 0) its payoff is linearised around (E[θ], E[κ]), and this keeps the
    /// expected realised payoff equal to μ (without it the mean of protection would be counted in
    /// `h·θ` and again in `q·κ`). 0 at the default ρ = 0.
    pub reliability_centre: f64,
    pub reliability_var: f64,
    pub shock_var: f64,
    /// sd_a², 0 unless the autonomy factor is on.
    pub autonomy_var: f64,
    /// sd_g², 0 unless the regional factor is on.
    pub regional_var: f64,
    pub idio_var: f64,
}

impl PayoffModel {
    /// All zero: the storage [`PayoffModel::set`] fills.
    pub const BLANK: PayoffModel = PayoffModel {
        base: [0.0; N],
        hostility_loading: [0.0; N],
        coercion_loading: [0.0; N],
        protection: [0.0; N],
        shock: [0.0; N],
        autonomy: [0.0; N],
        regional: [0.0; N],
        legit: [0.0; N],
        mean: [0.0; N],
        planned_hostility_var: 0.0,
        coercion_probability: 0.0,
        coercion_propensity: 0.0,
        exploitation_exposure: 0.0,
        coercion_damage: 0.0,
        provocation_scale: 0.0,
        coercion_var: 0.0,
        reliability_centre: 0.0,
        reliability_var: 0.0,
        shock_var: 0.0,
        autonomy_var: 0.0,
        regional_var: 0.0,
        idio_var: 0.0,
    };

    /// The coefficients of docs/model.md §4 for one turn.
    #[inline]
    pub fn new(params: &PayoffParams, inputs: &PayoffInputs, legit: &[f64; N]) -> PayoffModel {
        let mut m = PayoffModel::BLANK;
        m.set(params, inputs, legit);
        m
    }

    /// [`PayoffModel::new`] in place: the world recomputes the model kept in its diagnostics, which
    /// saves building one and moving its 600 bytes (two copies a turn, 150 instructions).
    /// Inlined so that the world writes the coefficients where they are kept.
    ///
    /// Each v2 weight enters through a per-turn factor that is exactly 1 or 0 at its default, so
    /// the v1 arithmetic is unchanged to the bit (`1·x`, `x + 0`), which keeps the golden outputs
    /// byte-identical. With the coercion channel off (χ = 0) the model has no coercion factor:
    /// π_c = 0 and `p = 0`, as in v1 (docs/calibration/v2-design.md, "v1 is a special case").
    #[inline]
    pub fn set(&mut self, params: &PayoffParams, inputs: &PayoffInputs, legit: &[f64; N]) {
        // ς: while the mix defers more than it provokes (n < 0), every PROV counts × (1 − ξ); it
        // is folded into σ, and at ξ = 0 it is exactly 1, which leaves σ as it was to the bit.
        let provocation_scale = if inputs.net_provocation < 0.0 { 1.0 - params.provocation_offset } else { 1.0 };
        let sigma = (1.0 + params.imminence_stakes * inputs.imminence + params.rivalry_stakes * inputs.rivalry)
            * provocation_scale;
        let omega = params.insurance_coverage;
        let coverage = (1.0 - omega) + omega * (inputs.cap + inputs.mil);
        let (rho, chi, lambda) = (params.protection_in_hostility, params.coercion_channel, params.hostile_loss);
        let t_cap = inputs.third_power_capability;
        let rival_exposure = params.partner_rivalry * inputs.rival_capability;
        // X: with ν > 0 only what the state could have resisted (at ν = 0 the factor is exactly 1).
        let nu = params.exploitation_resistance;
        let exploitation = (params.exploitation_base + params.exploitation_dependence * inputs.dep)
            * ((1.0 - nu) + nu * (1.0 - inputs.vulnerability));
        // Per-turn factors: the share of provocation left on θ, protection's part on θ (× PROT·T),
        // the scale of its κ loading and the weight of its κ term in μ, and p's scale (× PROV·V·σ).
        let provocation_kept = 1.0 - chi;
        // a_h: the great power's attention scales every hostility loading (exactly 1 at φ = 0).
        let attention = attention_weight(params.attention_scale, inputs.focus);
        let protection_hostile = rho * inputs.reliability_mean;
        let protection_scale = (1.0 - rho) + rho * inputs.stakes * inputs.believed_hostility;
        let protection_mean = (1.0 - rho) * inputs.reliability_mean;
        let coercion_scale = -chi * inputs.stakes;
        // The common part of p, −χ·ψ·D, the same for every component (−0 at ψ = 0, which leaves
        // each p_k as it was to the bit).
        let coercion_common =
            -chi * params.coercion_damage * coercion_damage(inputs.mil, inputs.third_power_capability);
        let pi_c = if chi > 0.0 {
            coercion_probability(inputs.coercion_propensity, inputs.believed_hostility, inputs.focus, inputs.imminence)
        } else {
            0.0
        };
        self.legit = *legit;
        self.planned_hostility_var =
            inputs.planned_hostility_var * (1.0 - params.imminence_certainty * inputs.imminence);
        self.coercion_probability = pi_c;
        self.coercion_propensity = inputs.coercion_propensity;
        self.exploitation_exposure = exploitation;
        self.coercion_damage = -coercion_common;
        self.provocation_scale = provocation_scale;
        self.coercion_var = pi_c * (1.0 - pi_c);
        self.reliability_centre = protection_hostile;
        self.reliability_var = inputs.reliability_var;
        self.shock_var = params.shock_sd * params.shock_sd;
        self.autonomy_var = params.autonomy_sd * params.autonomy_sd;
        // a_k = AUT_k, kept only while the factor has variance: otherwise every term it enters is
        // multiplied by that zero variance, and the model's `autonomy` keeps what it held.
        if self.autonomy_var != 0.0 {
            self.autonomy = params.doctrine.0.map(|row| row.aut);
        }
        // g_k = REG_k, likewise only while the regional factor has variance.
        self.regional_var = params.regional_sd * params.regional_sd;
        if self.regional_var != 0.0 {
            self.regional = params.doctrine.0.map(|row| row.reg);
        }
        self.idio_var = params.idio * params.idio;
        for (k, row) in params.doctrine.0.iter().enumerate() {
            let base = row.ret + row.depret * inputs.dep;
            let provocation = row.prov * inputs.vulnerability * sigma + rival_exposure * row.prot;
            let protection = row.prot * t_cap;
            let hostility = (inputs.stakes
                * (row.ins * coverage - provocation_kept * provocation - row.expl * exploitation
                    + protection * protection_hostile)
                - lambda * base)
                * attention;
            let coercion = coercion_scale * provocation + coercion_common;
            let protection = protection * protection_scale;
            self.base[k] = base;
            self.hostility_loading[k] = hostility;
            self.coercion_loading[k] = coercion;
            self.protection[k] = protection;
            self.shock[k] = row.shock * inputs.dep;
            self.mean[k] = base
                + hostility * inputs.believed_hostility
                + protection * protection_mean
                + coercion * pi_c
                + legit[k];
        }
        // Diversification's `DIV·(1 − dep)` on the shock's loading, only where it is in use: in
        // the loop above it cost 3% of a v1 turn (BENCHMARKS.md). Without it e_k is v1's to the bit.
        for (e, row) in self.shock.iter_mut().zip(&params.doctrine.0) {
            if row.div != 0.0 {
                *e += row.div * (1.0 - inputs.dep);
            }
        }
    }

    /// Expected payoff of a mix, `μ·w`.
    pub fn expected(&self, w: &Mix) -> f64 {
        dot(&self.mean, &w.0)
    }

    /// Whether the economic shock's part of `Σw`, `e_k·(eᵀw)·sd²`, is below 1e-308 for every
    /// mix: every `|e_k| < 1e-155` with `sd² ≤ 100` (the schema's largest `payoff.shock_sd` is 10).
    /// Then dependence has faded to almost nothing (`e = SHOCK·dep` without diversification),
    /// and the decision's update can leave the factor out ([`crate::decision::Hedge::decide`]).
    pub fn shock_is_negligible(&self) -> bool {
        self.shock_var <= 100.0 && self.shock.iter().all(|e| e.abs() < 1e-155)
    }

    /// `Σw`: each component's covariance with the whole mix. A negative entry means the rest of
    /// the mix pays when this component loses — the risk-offset.
    #[inline]
    pub fn covariance_with(&self, w: &Mix) -> [f64; N] {
        let hw = dot(&self.hostility_loading, &w.0) * self.planned_hostility_var;
        let qw = dot(&self.protection, &w.0) * self.reliability_var;
        let ew = dot(&self.shock, &w.0) * self.shock_var;
        // The coercion, autonomy and regional factors only when they have variance (all off in
        // v1): without them, their dot products and seven products and sums each go from every
        // one of the decision's inner steps. Their terms would add `p_k·0`, `a_k·0` or `g_k·0`,
        // a zero, which leaves every sum as it is (a zero sum it could flip to −0 becomes +0
        // again when the idiosyncratic term `idio²·w_k ≥ 0` is added). The autonomy and regional
        // factors go together (`OTHERS`): one is seldom on without the other in a search, and a
        // third branch of forms would double the code of the turn's hottest loop.
        let pw = |m: &Self| dot(&m.coercion_loading, &w.0) * m.coercion_var;
        // Each of the two only when it has variance: the other may be on alone.
        let scaled = |loading: &[f64; N], var: f64| if var != 0.0 { dot(loading, &w.0) * var } else { 0.0 };
        let others = |m: &Self| (scaled(&m.autonomy, m.autonomy_var), scaled(&m.regional, m.regional_var));
        match (self.coercion_var != 0.0, self.autonomy_var != 0.0 || self.regional_var != 0.0) {
            (false, false) => self.combine::<false, false>(w, hw, qw, ew, 0.0, (0.0, 0.0)),
            (true, false) => self.combine::<true, false>(w, hw, qw, ew, pw(self), (0.0, 0.0)),
            (false, true) => self.combine::<false, true>(w, hw, qw, ew, 0.0, others(self)),
            (true, true) => self.combine::<true, true>(w, hw, qw, ew, pw(self), others(self)),
        }
    }

    /// `(Σw)_k` from the factors' `loadingᵀw·variance`, summed in one order (hostility,
    /// protection, shock, coercion if `COERCION`, autonomy and regional if `OTHERS`,
    /// idiosyncratic) so that every form gives the same bits wherever the terms it leaves out are
    /// zero.
    #[inline(always)]
    fn combine<const COERCION: bool, const OTHERS: bool>(
        &self,
        w: &Mix,
        hw: f64,
        qw: f64,
        ew: f64,
        pw: f64,
        (aw, gw): (f64, f64),
    ) -> [f64; N] {
        let mut out = [0.0; N];
        for k in 0..N {
            let mut sum = self.hostility_loading[k] * hw + self.protection[k] * qw + self.shock[k] * ew;
            if COERCION {
                sum += self.coercion_loading[k] * pw;
            }
            if OTHERS {
                sum += self.autonomy[k] * aw;
                sum += self.regional[k] * gw;
            }
            out[k] = sum + self.idio_var * w.0[k];
        }
        out
    }

    /// `Σ_kl`, one entry of the covariance matrix.
    pub fn covariance(&self, k: usize, l: usize) -> f64 {
        let diag = if k == l { self.idio_var } else { 0.0 };
        let [h, q, e, p, a, g] = self.factor_covariances(k, l);
        h + q + e + p + a + g + diag
    }

    /// The factors, each as its loadings and its variance, in the order every sum over them
    /// takes: hostility θ, reliability κ, the economic shock z, coercion c, autonomy a, regional
    /// g. `Σ_kl`,
    /// `aᵀΣb` and `explain`'s offset-pair parts go through it. The turn's two sums keep their own
    /// forms: `Σw` ([`PayoffModel::covariance_with`]) and the side choice's mirror comparison
    /// ([`crate::decision::DecisionContext::mirror_gain`]), which through this list cost about 90
    /// instructions a v1 turn (BENCHMARKS.md).
    #[inline]
    pub fn factors(&self) -> [(&[f64; N], f64); 6] {
        [
            (&self.hostility_loading, self.planned_hostility_var),
            (&self.protection, self.reliability_var),
            (&self.shock, self.shock_var),
            (&self.coercion_loading, self.coercion_var),
            (&self.autonomy, self.autonomy_var),
            (&self.regional, self.regional_var),
        ]
    }

    /// `Σ_kl` factor by factor, `loading_k·loading_l·variance` in the order of
    /// [`PayoffModel::factors`]: what `explain` splits an offset pair's covariance into.
    pub fn factor_covariances(&self, k: usize, l: usize) -> [f64; 6] {
        self.factors().map(|(loading, var)| loading[k] * loading[l] * var)
    }

    /// `aᵀΣb` for two (partial) weight vectors, e.g. the acceptance and the rejection side of a
    /// mix: negative when one pays exactly when the other loses (Kuik's risk-offset).
    pub fn covariance_between(&self, a: &[f64; N], b: &[f64; N]) -> f64 {
        let [h, q, e, p, u, g] = self.factors().map(|(loading, var)| dot(loading, a) * dot(loading, b) * var);
        h + q + e + p + u + g + self.idio_var * dot(a, b)
    }

    /// `w_Aᵀ Σ w_R`: the covariance of the planned payoffs of the mix's acceptance side and its
    /// rejection side; negative is Kuik's risk-offset (v2 property 1).
    pub fn sides_covariance(&self, w: &Mix) -> f64 {
        self.covariance_between(&w.side(Side::Acceptance), &w.side(Side::Rejection))
    }

    /// `[w_Aᵀh, w_Rᵀh]`: how the planned payoffs of the mix's acceptance side and of its rejection
    /// side move with hostility. Kuik's direction of the offset is the first negative and the
    /// second positive (fact P1c).
    pub fn sides_hostility(&self, w: &Mix) -> [f64; 2] {
        sides(&self.hostility_loading, w)
    }

    /// `[w_Aᵀa, w_Rᵀa]`: how the mix's acceptance side and rejection side load on the autonomy
    /// factor, Kuik's political risk (dependence, loss of independence); `[0, 0]` while the factor
    /// has no variance, since then the state carries no such risk. Kuik's direction on it is the
    /// first negative and the second positive (fact P1d).
    pub fn sides_autonomy(&self, w: &Mix) -> [f64; 2] {
        if self.autonomy_var == 0.0 {
            return [0.0; 2];
        }
        sides(&self.autonomy, w)
    }

    /// `wᵀΣw`: the variance of the mix's payoff.
    pub fn variance(&self, w: &Mix) -> f64 {
        dot(&self.covariance_with(w), &w.0)
    }

    /// A realised payoff of component k for drawn factors, without coercion (legitimation is a
    /// planning bonus, not a material payoff, so it is not included). The autonomy factor takes
    /// its mean, 0: it is not drawn ([`PayoffParams::autonomy_sd`]). The coercion term is
    /// [`PayoffModel::coercion_payoff`], added by the world on a turn the great power coerced.
    pub fn realised(&self, k: usize, theta: f64, kappa: f64, z: f64, idio_draw: f64) -> f64 {
        self.base[k] + self.hostility_loading[k] * theta + self.protection[k] * kappa + self.shock[k] * z + idio_draw
    }

    /// `Σ_k w_k·p_k`: the payoff of mix `w` from the coercion factor when the great power coerces
    /// (c = 1); on other turns c = 0 and it adds nothing.
    pub fn coercion_payoff(&self, w: &Mix) -> f64 {
        dot(&self.coercion_loading, &w.0)
    }

    /// What the great power's action adds to the realised payoff: its fixed `effect`
    /// ([`crate::agents::GreatPowerAction::payoff_effect`]) and, on a punishing turn (c > 0,
    /// [`crate::agents::GreatPowerAction::punishment`]), the punishment factor's realisation:
    /// the share χ (`coercion_channel`) of the fixed cost that the p_k price replaces that share,
    /// and c·p·w is paid instead. On other turns the effect alone, as in v1.
    pub fn punished_payoff(&self, w: &Mix, effect: f64, punishment: f64, coercion_channel: f64) -> f64 {
        if punishment > 0.0 { (1.0 - coercion_channel) * effect + punishment * self.coercion_payoff(w) } else { effect }
    }

    /// The realised payoff of mix `w`, `Σ_k w_k·realised(k, …)` added in component order, where
    /// `idio_draws[k]` is component k's idiosyncratic draw and κ is taken about
    /// [`PayoffModel::reliability_centre`].
    ///
    /// Not inlined, on purpose: inlined into [`crate::world::World::step`], the compiler loaded
    /// the payoff rows early, held them in stack slots through the rest of the turn and summed
    /// late, which cost more than this call (BENCHMARKS.md, instructions per turn).
    #[inline(never)]
    pub fn realised_payoff(&self, w: &Mix, theta: f64, kappa: f64, z: f64, idio_draws: &[f64; N]) -> f64 {
        let kappa = kappa - self.reliability_centre;
        let mut total = 0.0;
        for k in 0..N {
            total += w.0[k] * self.realised(k, theta, kappa, z, idio_draws[k]);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spectrum::{Component, Side};
    use crate::world::World;

    fn inputs() -> PayoffInputs {
        PayoffInputs {
            imminence: 0.25,
            rivalry: 0.1,
            third_power_capability: 0.2,
            planned_hostility_var: 0.0688,
            ..PayoffInputs::example()
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

    /// The v1 payoff model as it was written before the v2 terms: the reference the defaults must
    /// reproduce to the bit.
    fn v1_model(params: &PayoffParams, inputs: &PayoffInputs, legit: &[f64; N]) -> PayoffModel {
        let sigma = 1.0 + params.imminence_stakes * inputs.imminence + params.rivalry_stakes * inputs.rivalry;
        let mut m = PayoffModel {
            base: [0.0; N],
            hostility_loading: [0.0; N],
            coercion_loading: [0.0; N],
            protection: [0.0; N],
            shock: [0.0; N],
            autonomy: [0.0; N],
            regional: [0.0; N],
            legit: *legit,
            mean: [0.0; N],
            planned_hostility_var: inputs.planned_hostility_var,
            coercion_probability: 0.0,
            coercion_propensity: 0.0,
            exploitation_exposure: params.exploitation_base + params.exploitation_dependence * inputs.dep,
            coercion_damage: 0.0,
            provocation_scale: 1.0,
            coercion_var: 0.0,
            reliability_centre: 0.0,
            reliability_var: inputs.reliability_var,
            shock_var: params.shock_sd * params.shock_sd,
            autonomy_var: 0.0,
            regional_var: 0.0,
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

    fn bits(a: &[f64; N]) -> [u64; N] {
        a.map(f64::to_bits)
    }

    #[test]
    fn defaults_are_the_v1_model_to_the_bit() {
        let p = World::default().payoff;
        let legit = [0.0, 0.1, 0.0, 0.0, -0.2, -0.3, 0.0];
        let cases = [
            inputs(),
            PayoffInputs { imminence: 0.0, rivalry: 0.0, ..inputs() },
            PayoffInputs { imminence: 1.0, vulnerability: 1.0, believed_hostility: 0.9, ..inputs() },
            PayoffInputs { third_power_capability: 0.0, reliability_mean: 0.5, reliability_var: 0.0, ..inputs() },
            PayoffInputs { dep: 0.8, cap: 0.35, mil: 0.6, focus: 0.5, stakes: 1.0, ..inputs() },
            PayoffInputs { net_provocation: -0.5, ..inputs() },
        ];
        for i in &cases {
            let (new, old) = (PayoffModel::new(&p, i, &legit), v1_model(&p, i, &legit));
            assert_eq!(bits(&new.base), bits(&old.base));
            assert_eq!(bits(&new.hostility_loading), bits(&old.hostility_loading), "{i:?}");
            assert_eq!(bits(&new.protection), bits(&old.protection));
            assert_eq!(bits(&new.shock), bits(&old.shock));
            assert_eq!(bits(&new.mean), bits(&old.mean), "{i:?}");
            assert_eq!(new.planned_hostility_var.to_bits(), old.planned_hostility_var.to_bits());
            assert_eq!(new.reliability_centre, 0.0);
            assert!(new.coercion_loading.iter().all(|&x| x == 0.0));
            let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
            assert_eq!(bits(&new.covariance_with(&w)), bits(&old.covariance_with(&w)));
            let draws = [0.1, -0.2, 0.3, 0.0, 0.05, -0.4, 0.2];
            assert_eq!(
                new.realised_payoff(&w, 0.4, 1.0, -0.3, &draws).to_bits(),
                old.realised_payoff(&w, 0.4, 1.0, -0.3, &draws).to_bits()
            );
        }
    }

    /// The v2 setting of the static study (docs/calibration/v2-study/teaching-dyad-v2-static.toml)
    /// and the teaching dyad's turn-0 inputs under it.
    fn v2_world() -> World {
        let text = include_str!("../../docs/calibration/v2-study/teaching-dyad-v2-static.toml");
        let path = std::path::Path::new("docs/calibration/v2-study/teaching-dyad-v2-static.toml");
        crate::scenario::Scenario::parse(text, path).unwrap().world(1, 0)
    }

    fn dyad_inputs(w: &World) -> PayoffInputs {
        w.perception().inputs
    }

    #[test]
    fn v2_sides_load_on_hostility_with_opposite_signs_and_offset() {
        let world = v2_world();
        let p = world.payoff;
        assert_eq!(p.coercion_channel, 1.0, "the v2 file switches the coercion channel on");
        let dyad = dyad_inputs(&world);
        // The design's weak state with an unreliable ally and capable state with a reliable one
        // (docs/calibration/v2-design.md, "The static study"), V recomputed for each.
        let state = |cap: f64, mil: f64, t: f64, kappa: f64| PayoffInputs {
            cap,
            mil,
            third_power_capability: t,
            reliability_mean: kappa,
            vulnerability: vulnerability(dyad.focus, cap, mil, t, kappa),
            ..dyad
        };
        let uniform = Mix::uniform();
        for (name, i) in
            [("dyad", dyad), ("weak", state(0.05, 0.05, 0.03, 0.3)), ("capable", state(0.3, 0.3, 0.25, 0.9))]
        {
            let m = PayoffModel::new(&p, &i, &[0.0; N]);
            let (mut a, mut r) = ([0.0; N], [0.0; N]);
            for c in Component::ALL {
                let k = c.index();
                match c.side() {
                    Side::Acceptance => {
                        assert!(m.hostility_loading[k] < 0.0, "{name}: {c:?} h = {}", m.hostility_loading[k]);
                        a[k] = uniform.0[k];
                    }
                    Side::Rejection => {
                        assert!(m.hostility_loading[k] > 0.0, "{name}: {c:?} h = {}", m.hostility_loading[k]);
                        r[k] = uniform.0[k];
                    }
                    Side::Neutral => {}
                }
            }
            let cov = m.covariance_between(&a, &r);
            assert!(cov < 0.0, "{name}: acceptance and rejection covary {cov}");
            // Provocation now loads on coercion: the rejection side loses when coerced.
            assert!(m.coercion_loading[Component::PureBalancing.index()] < 0.0, "{name}");
            assert!(m.coercion_loading[Component::BindingEngagement.index()] > 0.0, "{name}");
        }
    }

    #[test]
    fn v2_covariances_and_realised_payoffs_agree_with_the_model() {
        let world = v2_world();
        let p = world.payoff;
        let i = PayoffInputs { imminence: 0.3, ..dyad_inputs(&world) };
        let m = PayoffModel::new(&p, &i, &[0.0; N]);
        // Σw from the four dot products is the matrix product, and aᵀΣb agrees with it.
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let fast = m.covariance_with(&w);
        for (k, fast_k) in fast.iter().enumerate() {
            let slow: f64 = (0..N).map(|l| m.covariance(k, l) * w.0[l]).sum();
            assert!((fast_k - slow).abs() < 1e-12);
        }
        assert!((m.covariance_between(&w.0, &w.0) - m.variance(&w)).abs() < 1e-12);
        // Imminence makes coercion likelier and the type better known.
        assert!(m.coercion_probability > PayoffModel::new(&p, &dyad_inputs(&world), &[0.0; N]).coercion_probability);
        assert!((m.planned_hostility_var - i.planned_hostility_var * 0.7).abs() < 1e-15);
        // The expected realised payoff is μ without legitimation: average the realised payoff
        // over κ ∈ {0, 1} with weight E[κ] and over c ∈ {0, 1} with weight π_c, at θ = E[θ].
        let (kappa, pi_c) = (i.reliability_mean, m.coercion_probability);
        let realised = |k: f64| m.realised_payoff(&w, i.believed_hostility, k, 0.0, &[0.0; N]);
        let expected = kappa * realised(1.0) + (1.0 - kappa) * realised(0.0) + pi_c * m.coercion_payoff(&w);
        assert!((expected - m.expected(&w)).abs() < 1e-12, "{expected} against μ·w {}", m.expected(&w));
    }

    /// Kuik's trilemma columns: DIV adds `DIV·(1 − dep)` to the shock's loading, so dominance
    /// denial's offset on z shrinks as dependence grows, and AUT loads on the autonomy factor,
    /// whose covariance enters Σ in every form (`Σw` with and without the coercion factor, `Σ_kl`,
    /// `aᵀΣb`) but whose realisation is its mean, 0.
    #[test]
    fn the_trilemma_columns_load_as_written() {
        let dd = Component::DominanceDenial.index();
        let bw = Component::LimitedBandwagoning.index();
        let mut p = World::default().payoff;
        p.doctrine.0[dd].shock = -0.2;
        p.doctrine.0[dd].div = -1.5;
        p.doctrine.0[dd].aut = 0.8;
        p.doctrine.0[bw].aut = -0.6;
        p.autonomy_sd = 0.4;
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let at = |dep: f64, p: &PayoffParams| PayoffModel::new(p, &PayoffInputs { dep, ..inputs() }, &[0.0; N]);
        let (low, high) = (at(0.2, &p), at(0.7, &p));
        assert!((low.shock[dd] - (-0.2 * 0.2 - 1.5 * 0.8)).abs() < 1e-15);
        assert!((high.shock[dd] - (-0.2 * 0.7 - 1.5 * 0.3)).abs() < 1e-15);
        assert!(high.shock[dd].abs() < low.shock[dd].abs(), "less to diversify into");
        assert!((low.autonomy_var - 0.16).abs() < 1e-15 && low.autonomy[dd] == 0.8 && low.autonomy[bw] == -0.6);
        // Dominance denial and limited bandwagoning offset each other through a: −0.6·0.8·0.16.
        let without = PayoffParams { autonomy_sd: 0.0, ..p };
        let through_a = low.covariance(dd, bw) - at(0.2, &without).covariance(dd, bw);
        assert!((through_a + 0.6 * 0.8 * 0.16).abs() < 1e-15, "{through_a}");
        for coercion in [0.0, 0.5] {
            let p = PayoffParams { coercion_channel: coercion, ..p };
            let m = at(0.2, &p);
            assert_eq!(m.coercion_var != 0.0, coercion > 0.0);
            let fast = m.covariance_with(&w);
            for (k, fast_k) in fast.iter().enumerate() {
                let slow: f64 = (0..N).map(|l| m.covariance(k, l) * w.0[l]).sum();
                assert!((fast_k - slow).abs() < 1e-12);
            }
            assert!((m.covariance_between(&w.0, &w.0) - m.variance(&w)).abs() < 1e-12);
        }
        // No draw of a: the realised payoff is the one without the factor.
        let (m, m0) = (at(0.2, &p), at(0.2, &without));
        assert_eq!(m.realised_payoff(&w, 0.3, 0.5, 0.1, &[0.01; N]), m0.realised_payoff(&w, 0.3, 0.5, 0.1, &[0.01; N]));
    }

    /// The great power's attention (φ, `payoff.attention_scale`) multiplies every hostility
    /// loading by `a_h = (1 − φ) + φ·focus` for the same inputs, and leaves focus out of the V the
    /// state perceives at φ = 1 (`a_V = 1`), so that V then follows the state's own strength and
    /// its partners; at φ = 0 V moves with focus as in v1 (and `defaults_are_the_v1_model_to_the_bit`
    /// keeps the coefficients).
    #[test]
    fn attention_scales_the_hostile_world_and_leaves_v_to_the_state() {
        let plain = World::default().payoff;
        let half = PayoffInputs { focus: 0.5, ..inputs() };
        let before = PayoffModel::new(&plain, &half, &[0.0; N]);
        let phi = 0.6;
        let attending = PayoffModel::new(&PayoffParams { attention_scale: phi, ..plain }, &half, &[0.0; N]);
        let a_h = attention_weight(phi, 0.5);
        assert!((a_h - 0.7).abs() < 1e-15);
        for k in 0..N {
            let (a, b) = (attending.hostility_loading[k], a_h * before.hostility_loading[k]);
            assert!((a - b).abs() < 1e-14, "{k}: {a} {b}");
            assert_eq!(attending.base[k], before.base[k]);
        }
        assert_eq!(attention_reach(0.0, 0.5), 0.5);
        assert_eq!(attention_weight(0.0, 0.5), 1.0);
        assert_eq!(attention_reach(1.0, 0.5), 1.0);
        let v_at = |phi: f64, focus: f64| {
            let mut w = v2_world();
            w.payoff.attention_scale = phi;
            w.great_power.focus = focus;
            w.perception().inputs.vulnerability
        };
        assert_eq!(v_at(1.0, 0.5), v_at(1.0, 1.0), "φ = 1: V leaves focus out");
        assert!(v_at(0.0, 0.5) < v_at(0.0, 1.0), "φ = 0: an absorbed great power leaves the state less exposed");
        assert_eq!(v_at(1.0, 1.0), v_at(0.0, 1.0), "at full focus the reach is 1 either way");
    }

    /// With ξ > 0 a mix that defers more than it provokes (n < 0) makes every PROV count × (1 − ξ):
    /// the model is the one with the PROV column so scaled. One that provokes on balance, or
    /// ξ = 0, leaves every coefficient as it was to the bit.
    #[test]
    fn deference_beyond_the_offset_scales_every_provocation_by_one_minus_xi() {
        let plain = World::default().payoff;
        let at =
            |p: &PayoffParams, n: f64| PayoffModel::new(p, &PayoffInputs { net_provocation: n, ..inputs() }, &[0.0; N]);
        let before = at(&plain, 0.0);
        assert_eq!(bits(&at(&plain, -0.4).mean), bits(&before.mean), "ξ = 0: n changes nothing");
        assert_eq!(bits(&at(&plain, -0.4).hostility_loading), bits(&before.hostility_loading));
        let offset = PayoffParams { provocation_offset: 0.6, coercion_channel: 0.5, ..plain };
        let provoking = at(&offset, 0.3);
        let unscaled = at(&PayoffParams { provocation_offset: 0.0, ..offset }, 0.3);
        assert_eq!(provoking.provocation_scale, 1.0);
        assert_eq!(bits(&provoking.mean), bits(&unscaled.mean), "n ≥ 0: provocation counts in full");
        let deferring = at(&offset, -0.3);
        let mut scaled = PayoffParams { provocation_offset: 0.0, ..offset };
        for row in &mut scaled.doctrine.0 {
            row.prov *= 0.4;
        }
        let by_hand = at(&scaled, -0.3);
        assert!((deferring.provocation_scale - 0.4).abs() < 1e-15);
        for k in 0..N {
            for (a, b) in [
                (deferring.mean[k], by_hand.mean[k]),
                (deferring.hostility_loading[k], by_hand.hostility_loading[k]),
                (deferring.coercion_loading[k], by_hand.coercion_loading[k]),
            ] {
                assert!((a - b).abs() < 1e-14, "{k}: {a} {b}");
            }
        }
        let pb = Component::PureBalancing.index();
        assert!(deferring.hostility_loading[pb] > provoking.hostility_loading[pb], "PB provokes less");
        let pw = Component::PureBandwagoning.index();
        assert!(deferring.hostility_loading[pw] < provoking.hostility_loading[pw], "PW's appeasement gains less");
    }

    /// REG loads on the regional factor: its covariance enters Σ in every form (`Σw` with and
    /// without the coercion factor and with and without the autonomy factor, `Σ_kl`, `aᵀΣb`),
    /// indirect balancing insures what economic pragmatism is exposed to, and, like the autonomy
    /// factor, it is not drawn, so the realised payoff is the one without it; with no variance
    /// `Σw` is the same to the bit whatever REG holds.
    #[test]
    fn the_regional_column_loads_as_written() {
        let ib = Component::IndirectBalancing.index();
        let ep = Component::EconomicPragmatism.index();
        let mut p = World::default().payoff;
        p.doctrine.0[ib].reg = 1.2;
        p.doctrine.0[ep].reg = -0.5;
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let at = |p: &PayoffParams| PayoffModel::new(p, &inputs(), &[0.0; N]);
        let off = at(&p);
        let plain = at(&World::default().payoff);
        assert_eq!(bits(&off.covariance_with(&w)), bits(&plain.covariance_with(&w)), "no variance, no term");
        p.regional_sd = 0.5;
        let on = at(&p);
        assert!(on.regional_var == 0.25 && on.regional[ib] == 1.2 && on.regional[ep] == -0.5);
        let through_g = on.covariance(ib, ep) - off.covariance(ib, ep);
        assert!((through_g + 1.2 * 0.5 * 0.25).abs() < 1e-15, "{through_g}");
        assert_eq!(on.factor_covariances(ib, ep)[5], 1.2 * -0.5 * 0.25);
        for (coercion, autonomy) in [(0.0, 0.0), (0.5, 0.0), (0.0, 0.4), (0.5, 0.4)] {
            let m = at(&PayoffParams { coercion_channel: coercion, autonomy_sd: autonomy, ..p });
            let fast = m.covariance_with(&w);
            for (k, fast_k) in fast.iter().enumerate() {
                let slow: f64 = (0..N).map(|l| m.covariance(k, l) * w.0[l]).sum();
                assert!((fast_k - slow).abs() < 1e-12, "{coercion} {autonomy} {k}");
            }
            assert!((m.covariance_between(&w.0, &w.0) - m.variance(&w)).abs() < 1e-12);
        }
        assert_eq!(on.mean, off.mean, "centred: no mean");
        assert_eq!(
            on.realised_payoff(&w, 0.3, 0.5, 0.1, &[0.01; N]),
            off.realised_payoff(&w, 0.3, 0.5, 0.1, &[0.01; N])
        );
    }

    #[test]
    fn vulnerability_is_clipped() {
        assert_eq!(vulnerability(1.0, 0.1, 0.2, 0.0, 0.5), 0.7);
        assert_eq!(vulnerability(1.0, 0.1, 0.2, 1.0, 1.0), 0.0);
        assert_eq!(vulnerability(1.0, 0.0, 0.0, 0.0, 0.0), 1.0);
    }

    /// Leaning on a partner that is the great power's rival adds `ζ·PROT_k·T_rival` to component
    /// k's provocation, whatever V: with V = 0, only components with PROT > 0 lose on hostility.
    #[test]
    fn a_rival_partner_makes_reliance_on_partners_provoke() {
        let mut p = World::default().payoff;
        let calm = PayoffInputs { vulnerability: 0.0, ..PayoffInputs::example() };
        let rival = PayoffInputs { rival_capability: 0.3, ..calm };
        let before = PayoffModel::new(&p, &rival, &[0.0; N]);
        p.partner_rivalry = 2.0;
        let after = PayoffModel::new(&p, &rival, &[0.0; N]);
        for k in 0..N {
            let prot = p.doctrine.0[k].prot;
            let expected = before.hostility_loading[k] - calm.stakes * 2.0 * 0.3 * prot;
            assert!((after.hostility_loading[k] - expected).abs() < 1e-12, "{k}");
        }
        assert!(after.hostility_loading[Component::DominanceDenial.index()] < before.hostility_loading[2]);
        assert_eq!(after.hostility_loading[Component::LimitedBandwagoning.index()], before.hostility_loading[5]);
    }

    /// With ν = 1 exploitation is only what the state could resist: a state that cannot resist at
    /// all (V = 1) loses nothing to exploitation through its doctrine's EXPL entries, a fully
    /// covered one (V = 0) the whole exposure, and in between the loss scales with 1 − V, so a
    /// weak state's acceptance side loses less on hostility than a covered state's.
    #[test]
    fn exploitation_is_what_the_state_could_resist() {
        let mut p = World::default().payoff;
        let without_expl = |p: &PayoffParams, i: &PayoffInputs| {
            let mut q = *p;
            q.doctrine.0.iter_mut().for_each(|row| row.expl = 0.0);
            PayoffModel::new(&q, i, &[0.0; N]).hostility_loading
        };
        p.exploitation_resistance = 1.0;
        let exposure = p.exploitation_base + p.exploitation_dependence * PayoffInputs::example().dep;
        for v in [0.0, 0.3, 1.0] {
            let i = PayoffInputs { vulnerability: v, ..PayoffInputs::example() };
            let (with, without) = (PayoffModel::new(&p, &i, &[0.0; N]).hostility_loading, without_expl(&p, &i));
            for k in 0..N {
                let loss = i.stakes * p.doctrine.0[k].expl * exposure * (1.0 - v);
                assert!((without[k] - with[k] - loss).abs() < 1e-12, "V = {v}, component {k}");
            }
        }
        // Half way (ν = 0.5) at V = 1: half the exposure.
        p.exploitation_resistance = 0.5;
        let i = PayoffInputs { vulnerability: 1.0, ..PayoffInputs::example() };
        let lb = Component::LimitedBandwagoning.index();
        let half = i.stakes * p.doctrine.0[lb].expl * exposure * 0.5;
        let (with, without) = (PayoffModel::new(&p, &i, &[0.0; N]).hostility_loading, without_expl(&p, &i));
        assert!(half > 0.0 && (without[lb] - with[lb] - half).abs() < 1e-12);
    }

    /// ψ puts a coercion's own damage D = max(0, 1 − mil − T) into the coercion factor as a loading
    /// common to every component, `p_k = −χ·(stakes·P_k + ψ·D)`: each p_k moves by −χ·ψ·D and
    /// nothing else does; at ψ = 1 a coercion's fixed effect (the great power's table) is paid in
    /// full again, `(1 − χ)` of it as before and χ of it through the factor, whatever the mix's
    /// provocation; and the appeasing side, which at ψ = 0 gains on a coercion turn, now loses
    /// there when D is larger than its appeasement.
    #[test]
    fn a_coercion_damages_the_whole_state_in_proportion_to_psi() {
        let mut p = World::default().payoff;
        p.coercion_channel = 0.6;
        p.doctrine.0.iter_mut().zip([1.5, 1.0, 0.5, 0.0, -0.2, -0.5, -1.0]).for_each(|(row, v)| row.prov = v);
        let i = PayoffInputs::example();
        let d = 1.0 - i.mil - i.third_power_capability;
        let plain = PayoffModel::new(&p, &i, &[0.0; N]);
        assert_eq!(plain.coercion_damage, 0.0);
        for psi in [0.5, 1.0] {
            let with = PayoffModel::new(&PayoffParams { coercion_damage: psi, ..p }, &i, &[0.0; N]);
            assert!((with.coercion_damage - 0.6 * psi * d).abs() < 1e-15);
            for k in 0..N {
                assert!((plain.coercion_loading[k] - with.coercion_loading[k] - 0.6 * psi * d).abs() < 1e-12, "{k}");
                assert_eq!(plain.hostility_loading[k], with.hostility_loading[k]);
                let shift = with.mean[k] - plain.mean[k];
                assert!((shift + 0.6 * psi * d * with.coercion_probability).abs() < 1e-12, "{k}");
            }
        }
        let full = PayoffModel::new(&PayoffParams { coercion_damage: 1.0, ..p }, &i, &[0.0; N]);
        let lb = Component::LimitedBandwagoning.index();
        assert!(plain.coercion_loading[lb] > 0.0 && full.coercion_loading[lb] < 0.0, "{:?}", full.coercion_loading);
        let effect = crate::agents::GreatPowerAction::Coerce.payoff_effect(
            &Mix::uniform(),
            i.dep,
            i.mil,
            i.third_power_capability,
        );
        assert!((effect + d).abs() < 1e-15);
        for w in [Mix::uniform(), Mix([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]), Mix([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0])] {
            let provocation_only = plain.coercion_payoff(&w);
            let paid = full.punished_payoff(&w, effect, 1.0, 0.6);
            assert!((paid - (effect + provocation_only)).abs() < 1e-12, "{paid} {effect} {provocation_only}");
        }
    }

    /// A punishing turn pays c·p·w and (1 − χ) of the fixed effect; other turns the effect alone.
    #[test]
    fn punishment_replaces_the_share_chi_of_the_fixed_effect() {
        let mut m = PayoffModel::BLANK;
        m.coercion_loading = [-1.0, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0];
        let w = Mix::normalised([0.2, 0.0, 0.3, 0.0, 0.2, 0.3, 0.0]).unwrap();
        let pw = -0.2 - 0.06 + 0.04 + 0.15;
        assert_eq!(m.punished_payoff(&w, -0.5, 0.0, 0.6), -0.5);
        assert!((m.punished_payoff(&w, -0.5, 0.45, 0.6) - (0.4 * -0.5 + 0.45 * pw)).abs() < 1e-12);
        assert!((m.punished_payoff(&w, -0.5, 1.0, 0.6) - (0.4 * -0.5 + pw)).abs() < 1e-12);
    }
}
