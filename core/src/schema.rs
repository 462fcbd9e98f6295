//! The parameter schema: every number of the model a scenario, an event, a sweep axis or a setter
//! can change, one row each — its path, default, range, unit, kind and a doc line — and how to
//! read and write it in a [`World`]. Scenario parsing and validation, event and axis paths, the
//! calibrated world (`World::default()`), `hedgesim fields` and the field tables of the README
//! and docs/model.md all come from this table; a default or a range is written here and nowhere
//! else. docs/architecture.md, "Adding a parameter", says how to add a row.

use crate::doctrine::DEFAULT_DOCTRINE;
use crate::input::show_number;
use crate::param::{Family, Field, Format, Init, Kind, Param, TimeScale};
use crate::spectrum::{self, Component};
use crate::world::{Clock, World};

/// A row of the model's table.
pub type ParamRow = Param<World>;
/// A resolved path to one number of a world: what events hold and sweep axes vary.
pub type FieldPath = Field<World>;

/// Upper bound on multipliers such as γ, stakes and η: far beyond any sensible value, but small
/// enough that products stay finite.
pub const MAX_MULTIPLIER: f64 = 1e4;
/// Bound on doctrine coefficients and legitimation bonuses.
pub const MAX_COEFFICIENT: f64 = 100.0;
/// Largest magnitude of a belief signal: an event's `hostile_signal` or `reliability_signal`, or
/// the evidence a great-power action gives (`beliefs.*_signal`).
pub const MAX_SIGNAL: f64 = 1000.0;
/// Most decision steps per turn.
pub const MAX_INNER_STEPS: u32 = 1000;

/// A value stored in a world as `f64`, `u32` or `bool`, read and written as a number.
trait Number: Copy {
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
}

impl Number for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(v: f64) -> Self {
        v
    }
}

impl Number for u32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    /// Only whole numbers in range reach here ([`Param::check`]).
    fn from_f64(v: f64) -> Self {
        v as u32
    }
}

impl Number for bool {
    fn to_f64(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    fn from_f64(v: f64) -> Self {
        v != 0.0
    }
}

/// One row: `row!(kind family "path", default, min, max, "unit", "doc", |w, i| place)`, where
/// `place` names the number in world `w` (member `i` of a family). `row!(events_only …)` is a row
/// no scenario file writes.
///
/// A rate — a number whose meaning depends on the length of a turn — is marked with its
/// [`TimeScale`] and gives format 2's default and unit after format 1's:
/// `row!(per_year Kept, Real One "path", v1_default => v2_default, min, max, "unit per turn" =>
/// "unit per year", "doc", |w, i| place)`. The world stores the per-turn number the turn uses;
/// `get` and `set` convert from and to the unit of the world's format. `row!(v2_only per_year …)`
/// is a rate only a format-2 file may set. A number that is not a rate but whose default differs in
/// format 2 (model v2's weights) writes both defaults the same way:
/// `row!(Real One "path", v1_default => v2_default, min, max, "unit", "doc", |w, i| place)`.
macro_rules! row {
    ($kind:ident $family:ident $path:literal, $default:expr, $min:expr, $max:expr, $unit:literal, $doc:literal,
     |$w:ident, $i:ident| $place:expr) => {
        row!(@with true, false, Fixed, $kind $family $path, $default, $default, $min, $max, $unit, $unit, $doc,
             |$w, $i| $place)
    };
    ($kind:ident $family:ident $path:literal, $default:expr => $v2:expr, $min:expr, $max:expr, $unit:literal,
     $doc:literal, |$w:ident, $i:ident| $place:expr) => {
        row!(@with true, false, Fixed, $kind $family $path, $default, $v2, $min, $max, $unit, $unit, $doc,
             |$w, $i| $place)
    };
    (events_only $kind:ident $family:ident $path:literal, $default:expr, $min:expr, $max:expr, $unit:literal,
     $doc:literal, |$w:ident, $i:ident| $place:expr) => {
        row!(@with false, false, Fixed, $kind $family $path, $default, $default, $min, $max, $unit, $unit, $doc,
             |$w, $i| $place)
    };
    (per_year $time:ident, $kind:ident $family:ident $path:literal, $default:expr => $v2:expr, $min:expr, $max:expr,
     $unit:literal => $unit2:literal, $doc:literal, |$w:ident, $i:ident| $place:expr) => {
        row!(@with true, false, $time, $kind $family $path, $default, $v2, $min, $max, $unit, $unit2, $doc,
             |$w, $i| $place)
    };
    (v2_only per_year $time:ident, $kind:ident $family:ident $path:literal, $default:expr => $v2:expr, $min:expr,
     $max:expr, $unit:literal => $unit2:literal, $doc:literal, |$w:ident, $i:ident| $place:expr) => {
        row!(@with true, true, $time, $kind $family $path, $default, $v2, $min, $max, $unit, $unit2, $doc,
             |$w, $i| $place)
    };
    (@with $in_file:expr, $v2_only:expr, $time:ident, $kind:ident $family:ident $path:literal, $default:expr,
     $v2:expr, $min:expr, $max:expr, $unit:literal, $unit2:literal, $doc:literal, |$w:ident, $i:ident| $place:expr) => {
        Param {
            path: $path,
            family: Family::$family,
            kind: Kind::$kind,
            default: $default,
            default_v2: $v2,
            time: TimeScale::$time,
            v2_only: $v2_only,
            min: $min,
            max: $max,
            in_file: $in_file,
            unit: $unit,
            unit_v2: $unit2,
            doc: $doc,
            get: |$w: &World, $i: usize| {
                let _ = $i;
                let v = Number::to_f64($place);
                TimeScale::$time.to_file(v, $w.format(), f64::from($w.clock().turns_per_year))
            },
            set: |$w: &mut World, $i: usize, v: f64| {
                let _ = $i;
                let v = TimeScale::$time.from_file(v, $w.format(), f64::from($w.clock().turns_per_year));
                $place = Number::from_f64(v);
            },
        }
    };
}

use Init::{Follows, Table, Value};

/// Every parameter of the model, in the order of the file's sections.
pub static PARAMS: &[ParamRow] = &[
    // The small state (docs/model.md §2).
    row!(Real One "small_state.cap", Value(0.1), 0.0, 1.0, "× great power's capability",
        "capability relative to the great power (= 1): how small the small state is",
        |w, i| w.small_state.cap),
    row!(Real One "small_state.mil", Value(0.2), 0.0, 1.0, "index 0–1",
        "military strength; indirect balancing builds it up, and it decays (§7)",
        |w, i| w.small_state.mil),
    row!(Real One "small_state.dep", Value(0.3), 0.0, 1.0, "index 0–1",
        "economic dependence on the great power; the starting value is also `dep0`",
        |w, i| w.small_state.dep),
    row!(events_only Real One "small_state.dep0", Follows("small_state.dep"), 0.0, 1.0, "index 0–1",
        "the structural level dependence drifts around (§7): the file's `dep`; events may move it",
        |w, i| w.small_state.dep0),
    row!(Real One "small_state.gamma", Value(6.0), 0.0, MAX_MULTIPLIER, "per unit of payoff variance",
        "γ, risk aversion: Kuik's \"high stakes\" (§5)",
        |w, i| w.small_state.decision.gamma),
    row!(Real One "small_state.stakes", Value(2.5), 0.0, MAX_MULTIPLIER, "×",
        "multiplier on the hostile-world terms of every payoff (§4)",
        |w, i| w.small_state.stakes),
    row!(per_year Flow, Real One "small_state.eta", Value(0.6) => Value(2.4), 0.0, MAX_MULTIPLIER,
        "per unit of gradient" => "per unit of gradient per year",
        "η, how fast policy moves: the step of the multiplicative-weights update (§5)",
        |w, i| w.small_state.decision.eta),
    row!(Real One "small_state.imminence", Value(0.0), 0.0, 1.0, "index 0–1",
        "how direct and imminent the threat is felt (Khalilov 2023); coercion sets it to 1, then it fades",
        |w, i| w.small_state.imminence),
    row!(Real Component "small_state.legit.<component>", Value(0.0), -MAX_COEFFICIENT, MAX_COEFFICIENT,
        "payoff per turn",
        "domestic legitimation bonus (or penalty) on a component's expected payoff (Khalilov 2023)",
        |w, i| w.small_state.legit[i]),
    // The great power (§6).
    row!(Real One "great_power.hostility", Value(0.4), 0.0, 1.0, "index 0–1",
        "θ*, the great power's true hostility, hidden from the small state",
        |w, i| w.great_power.true_hostility),
    row!(Real One "great_power.focus", Value(1.0), 0.0, 1.0, "index 0–1",
        "regional focus: 1 fully present; a war elsewhere lowers it (Jović-Lazić & Bošković 2024)",
        |w, i| w.great_power.focus),
    row!(Real One "great_power.beta", Value(4.0), 0.0, MAX_MULTIPLIER, "per unit of utility",
        "β, the logit sharpness of the great power's choice among its four actions",
        |w, i| w.great_power.logit_sharpness),
    row!(v2_only per_year Flow, Real One "great_power.actions_per_year", Value(1.0) => Value(4.0), 0.0, 366.0,
        "decisions per turn" => "decisions per year",
        "how often the great power decides: at most once a turn, else it holds without deciding (§6; format 2 only)",
        |w, i| w.great_power.decisions_per_turn),
    // Third powers (§2, §7); the v1 reference model gives no defaults: these describe a middling partner.
    row!(Real ThirdPower "third_powers.<name>.cap", Value(0.3), 0.0, 10.0, "× great power's capability",
        "capability relative to the great power; a partner may be stronger (up to 10×)",
        |w, i| w.third_powers[i].cap),
    row!(Real ThirdPower "third_powers.<name>.reliability", Value(0.5), 0.0, 1.0, "probability",
        "true probability that support is delivered when tested; the small state only learns it",
        |w, i| w.third_powers[i].reliability),
    row!(Real ThirdPower "third_powers.<name>.affinity", Value(0.2), 0.0, 1.0, "share of full support",
        "baseline support, whatever the small state does",
        |w, i| w.third_powers[i].affinity),
    row!(Real ThirdPower "third_powers.<name>.exclusivity", Value(0.0), 0.0, MAX_MULTIPLIER, "per unit of acceptance",
        "support withdrawn when the small state also leans to the great power: a zero-sum rivalry (Labs in Preiherman 2017)",
        |w, i| w.third_powers[i].exclusivity),
    row!(Real ThirdPower "third_powers.<name>.rivalry", Value(0.0), -1.0, 1.0, "index −1–1",
        "its own rivalry with the great power: leaning on a rival provokes, on a partner it values reassures (priced by payoff.partner_rivalry)",
        |w, i| w.third_powers[i].rivalry),
    row!(Real ThirdPower "third_powers.<name>.support", Follows("third_powers.<name>.affinity"), 0.0, 1.0,
        "share of full support",
        "support offered at turn 0, s_j; it then moves toward its target (§7)",
        |w, i| w.third_powers[i].support),
    // Beliefs (§3).
    row!(per_year Kept, Real One "beliefs.forgetting", Value(0.9) => Value(0.6561), 0.0, 1.0,
        "kept per turn" => "kept per year",
        "δ, weight kept on past evidence each turn: the hostility belief forgets toward its prior",
        |w, i| w.small_state.beliefs.hostility.forgetting),
    row!(per_year DriftSd, Real One "beliefs.fluidity", Value(0.06) => Value(0.12), 0.0, 1.0,
        "sd per turn" => "sd per year",
        "σ_f, drift of the great power's intentions: \"always subject to change\" (Kuik 2008)",
        |w, i| w.small_state.beliefs.hostility.fluidity),
    row!(per_year Duration, Real One "beliefs.horizon", Value(8.0) => Value(2.0), 0.0, 1000.0,
        "turns" => "years",
        "how far ahead the state plans; fluidity accumulates over it",
        |w, i| w.small_state.beliefs.hostility.horizon),
    row!(Real One "beliefs.reward_signal", Value(-0.5), -MAX_SIGNAL, MAX_SIGNAL, "Beta counts",
        "evidence of hostility a reward gives (negative: of benign intent), like an event's `hostile_signal`",
        |w, i| w.small_state.beliefs.hostility.action_signals[0]),
    row!(Real One "beliefs.hold_signal", Value(-0.1), -MAX_SIGNAL, MAX_SIGNAL, "Beta counts",
        "evidence of hostility the great power's holding still gives",
        |w, i| w.small_state.beliefs.hostility.action_signals[1]),
    row!(Real One "beliefs.pressure_signal", Value(0.5), -MAX_SIGNAL, MAX_SIGNAL, "Beta counts",
        "evidence of hostility pressure gives",
        |w, i| w.small_state.beliefs.hostility.action_signals[2]),
    row!(Real One "beliefs.coerce_signal", Value(3.0), -MAX_SIGNAL, MAX_SIGNAL, "Beta counts",
        "evidence of hostility coercion gives",
        |w, i| w.small_state.beliefs.hostility.action_signals[3]),
    row!(per_year Kept, Real One "beliefs.reliability_forgetting", Value(1.0) => Value(1.0), 0.0, 1.0,
        "kept per turn" => "kept per year",
        "δ_r, weight kept on past evidence about partners (1 in v1: reliability beliefs never forget)",
        |w, i| w.small_state.beliefs.reliability_forgetting),
    row!(Bool One "beliefs.punishment_learning", Value(0.0), 0.0, 1.0, "true/false",
        "learn the great power's propensity to punish from what it does (false: the prior payoff.coercion_rate)",
        |w, i| w.small_state.beliefs.punishment.learning),
    row!(Bool One "beliefs.punishment_per_reason", Value(0.0), 0.0, 1.0, "true/false",
        "learn the propensity to punish per unit of the reason the mix gave, G(w) from the doctrine's PROV (false: per decision)",
        |w, i| w.small_state.beliefs.punishment.per_reason),
    row!(Real One "beliefs.punishment_memory", Value(0.95), 0.0, 1.0, "kept per great-power decision",
        "δ_c, weight kept on past punishment and its expected rate at each of the great power's decisions",
        |w, i| w.small_state.beliefs.punishment.memory),
    row!(Real One "beliefs.punishment_prior_weight", Value(1.0), 0.0, 1000.0, "decisions of exposure",
        "n0, how many of the great power's decisions of evidence the prior propensity payoff.coercion_rate weighs",
        |w, i| w.small_state.beliefs.punishment.prior_weight),
    // The decision (§5).
    row!(Integer One "decision.inner_steps", Value(3.0), 0.0, MAX_INNER_STEPS as f64, "steps per turn",
        "exponentiated-gradient steps of the Hedge rule each turn",
        |w, i| w.small_state.decision.inner_steps),
    row!(Real One "decision.floor", Value(1e-3), 0.0, 0.1, "share of the mix",
        "minimum weight the Hedge rule keeps on every component",
        |w, i| w.small_state.decision.floor),
    row!(Real One "decision.imminence_weight", Value(3.0), 0.0, MAX_MULTIPLIER, "per unit of imminence",
        "how much imminence adds to side-taking pressure π: a \"direct and imminent\" threat (Khalilov 2023)",
        |w, i| w.small_state.decision.imminence_weight),
    row!(Real One "decision.rivalry", Value(0.0), 0.0, MAX_MULTIPLIER, "index",
        "a rivalry that demands a choice (Labs in Preiherman 2017): adds to π and to the stakes of provocation",
        |w, i| w.rivalry),
    row!(Real One "decision.label_threshold", Value(0.1), 0.0, 0.5, "share of the mix",
        "τ, the observer's: the mass each side needs for a mix to be labelled hedging (§1)",
        |w, i| w.label_threshold),
    row!(Bool One "decision.side_choice", Value(1.0), 0.0, 1.0, "true/false",
        "under side-taking pressure, weigh the portfolio against its mirror first; false is the v1 reference model",
        |w, i| w.small_state.decision.side_choice),
    // Payoffs (§4).
    row!(Real One "payoff.idio", Value(0.15), 0.0, 10.0, "payoff sd",
        "sd of each component's own noise",
        |w, i| w.payoff.idio),
    row!(Real One "payoff.shock_sd", Value(0.3), 0.0, 10.0, "payoff sd",
        "sd of the economic shock z",
        |w, i| w.payoff.shock_sd),
    row!(Real One "payoff.autonomy_sd", Value(0.0), 0.0, 10.0, "payoff sd",
        "sd_a of the autonomy factor, how far the great power will interfere in policymaking; AUT loads on it (0 in v1; Kuik's political risk)",
        |w, i| w.payoff.autonomy_sd),
    row!(Real One "payoff.regional_sd", Value(0.0), 0.0, 10.0, "payoff sd",
        "sd_g of the regional factor, the region's diffuse, cross-border risks apart from the great power; REG loads on it (0 in v1; Jović-Lazić & Bošković 2024)",
        |w, i| w.payoff.regional_sd),
    row!(Real One "payoff.exploitation_base", Value(0.625), 0.0, 10.0, "×",
        "exploitation exposure at zero dependence (0.3 in the v1 reference model)",
        |w, i| w.payoff.exploitation_base),
    row!(Real One "payoff.exploitation_dependence", Value(0.45), 0.0, 10.0, "per unit of dependence",
        "growth of exploitation exposure with dependence (1 in v1): Preiherman's \"heavy multi-level dependence\"",
        |w, i| w.payoff.exploitation_dependence),
    row!(Real One "payoff.exploitation_resistance", Value(0.0), 0.0, 1.0, "share",
        "ν: exploitation is only what the state could resist, EXPL·exposure·((1 − ν) + ν·(1 − V)) (0 in v1; Walt in Preiherman 2017)",
        |w, i| w.payoff.exploitation_resistance),
    row!(Real One "payoff.imminence_stakes", Value(4.0), 0.0, MAX_MULTIPLIER, "per unit of imminence",
        "how much imminence multiplies provocation, σ = 1 + this·imm + …",
        |w, i| w.payoff.imminence_stakes),
    row!(Real One "payoff.rivalry_stakes", Value(3.0), 0.0, MAX_MULTIPLIER, "per unit of rivalry",
        "how much a rivalry that demands a choice multiplies provocation (0 in v1; Labs in Preiherman 2017)",
        |w, i| w.payoff.rivalry_stakes),
    // The v2 structure (docs/calibration/v2-design.md): every weight 0 is the v1 model.
    row!(Real One "payoff.insurance_coverage", Value(0.0), 0.0, 1.0, "share",
        "ω: insurance is INS·((1 − ω) + ω·(cap + mil)), covered by own strength (0 in v1; Walt in Preiherman 2017)",
        |w, i| w.payoff.insurance_coverage),
    row!(Real One "payoff.protection_in_hostility", Value(0.0), 0.0, 1.0, "share",
        "ρ: protection pays in the hostile world, h += ρ·stakes·PROT·T·E[κ] (0 in v1; Jović-Lazić & Bošković 2024)",
        |w, i| w.payoff.protection_in_hostility),
    row!(Real One "payoff.hostile_loss", Value(0.0), 0.0, 1.0, "share of b",
        "λ: benign-world returns lost in a hostile world, h −= λ·b (0 in v1; Jović-Lazić & Bošković 2024)",
        |w, i| w.payoff.hostile_loss),
    row!(Real One "payoff.coercion_channel", Value(0.0), 0.0, 1.0, "share",
        "χ: provocation moved from hostility to the coercion factor, p = −χ·stakes·PROV·V·σ (0 in v1; Rahimova 2022)",
        |w, i| w.payoff.coercion_channel),
    row!(Real One "payoff.coercion_rate", Value(1.25), 0.0, MAX_MULTIPLIER, "per unit of E[θ]·focus",
        "k_c: believed chance of coercion, π_c = min(1, k_c·E[θ]·focus·(1 − imm) + imm); used when χ > 0",
        |w, i| w.payoff.coercion_rate),
    row!(Real One "payoff.imminence_certainty", Value(0.0), 0.0, 1.0, "per unit of imminence",
        "Var θ planned with × (1 − this·imm): a direct and imminent threat is a known one (0 in v1; Khalilov 2023)",
        |w, i| w.payoff.imminence_certainty),
    row!(Real One "payoff.pressure_share", Value(0.0), 0.0, 1.0, "share of a coercion",
        "c_p, a turn of pressure as a realisation of the punishment factor c (coercion is 1; 0 in v1)",
        |w, i| w.payoff.pressure_share),
    row!(Real One "payoff.partner_rivalry", Value(0.0), 0.0, MAX_MULTIPLIER, "× PROT·T_rival",
        "ζ, provocation from leaning on partners that are the great power's rivals: + ζ·PROT·Σ rivalry·cap·s (0 in v1)",
        |w, i| w.payoff.partner_rivalry),
    row!(Real One "payoff.coercion_damage", Value(0.0), 0.0, 1.0, "share of D",
        "ψ: the coercion factor carries the share ψ of a coercion's own damage D = max(0, 1 − mil − T), p = −χ·(stakes·P + ψ·D) (0 in v1)",
        |w, i| w.payoff.coercion_damage),
    row!(Real One "payoff.provocation_offset", Value(0.0), 0.0, 1.0, "share of deference's gain",
        "ξ: the great power answers the mix's net provocation n = Σ w·PROV; while n < 0 every PROV counts × (1 − ξ), so deference beyond the offset pays less (0 in v1)",
        |w, i| w.payoff.provocation_offset),
    row!(Real One "payoff.attention_scale", Value(0.0), 0.0, 1.0, "share",
        "φ: the great power's attention scales how much its hostility matters (h × ((1 − φ) + φ·focus)) instead of entering V (V's reach (1 − φ)·focus + φ; 0 in v1)",
        |w, i| w.payoff.attention_scale),
    // Slow dynamics (§7).
    row!(per_year Kept, Real One "dynamics.imminence_decay", Value(0.7) => Value(0.2401), 0.0, 1.0,
        "kept per turn" => "kept per year",
        "share of imminence kept each turn",
        |w, i| w.dynamics.imminence_decay),
    row!(per_year GapClosing, Real One "dynamics.support_rate", Value(0.3) => Value(0.7599), 0.0, 1.0,
        "per turn" => "share of the gap closed per year",
        "how fast third-power support moves toward its target",
        |w, i| w.dynamics.support_rate),
    row!(per_year Flow, Real One "dynamics.military_rate", Value(0.1) => Value(0.4), 0.0, 1.0,
        "per turn" => "per year",
        "military build-up per unit of indirect balancing",
        |w, i| w.dynamics.military_rate),
    row!(per_year Flow, Real One "dynamics.military_decay", Value(0.05) => Value(0.2), 0.0, 1.0,
        "per turn" => "per year",
        "share of military strength lost each turn (format 1); the rate of its loss per year (format 2)",
        |w, i| w.dynamics.military_decay),
    row!(per_year GapClosing, Real One "dynamics.dependence_rate", Value(0.05) => Value(0.18549375), 0.0, 1.0,
        "per turn" => "share of the gap closed per year",
        "how fast dependence drifts toward its target",
        |w, i| w.dynamics.dependence_rate),
    row!(Real One "dynamics.dependence_policy", Value(0.5), 0.0, 1.0, "per unit of the mix",
        "p: dependence is drawn to clip(dep0 + p·(w_EP + A) − p·(w_DD + w_PB) − o): how far policy moves it from dep0",
        |w, i| w.dynamics.dependence_policy),
    row!(Real One "dynamics.dependence_offset", Value(0.25), -1.0, 1.0, "index 0–1",
        "o: the offset of dependence's target below its structural level dep0 (0.25 in v1)",
        |w, i| w.dynamics.dependence_offset),
    row!(per_year Flow, Real One "dynamics.partner_test_rate", Value(0.0) => Value(0.0), 0.0, 10.0,
        "tests per turn at full support" => "tests per year at full support",
        "how often a partner's support is tested outside coercion (arms, money, backing), in proportion to support (0 in v1)",
        |w, i| w.dynamics.partner_test_rate),
    // The doctrine table (§4): defaults per component from `DEFAULT_DOCTRINE`.
    row!(Real Component "doctrine.<component>.ret", Table(|c| DEFAULT_DOCTRINE.0[c].ret),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "payoff per turn",
        "RET, the component's return in a benign world",
        |w, i| w.payoff.doctrine.0[i].ret),
    row!(Real Component "doctrine.<component>.depret", Table(|c| DEFAULT_DOCTRINE.0[c].depret),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of dependence",
        "DEPRET, extra benign-world return per unit of dependence",
        |w, i| w.payoff.doctrine.0[i].depret),
    row!(Real Component "doctrine.<component>.ins", Table(|c| DEFAULT_DOCTRINE.0[c].ins),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "× stakes",
        "INS, insurance value if the great power is hostile",
        |w, i| w.payoff.doctrine.0[i].ins),
    row!(Real Component "doctrine.<component>.prov", Table(|c| DEFAULT_DOCTRINE.0[c].prov),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "× stakes·V·σ",
        "PROV, provocation of a hostile great power (< 0 reassures)",
        |w, i| w.payoff.doctrine.0[i].prov),
    row!(Real Component "doctrine.<component>.expl", Table(|c| DEFAULT_DOCTRINE.0[c].expl),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "× stakes·exposure",
        "EXPL, exposure to exploitation by a hostile great power (\"overly dependent\")",
        |w, i| w.payoff.doctrine.0[i].expl),
    row!(Real Component "doctrine.<component>.prot", Table(|c| DEFAULT_DOCTRINE.0[c].prot),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of T",
        "PROT, value of third-power protection",
        |w, i| w.payoff.doctrine.0[i].prot),
    row!(Real Component "doctrine.<component>.shock", Table(|c| DEFAULT_DOCTRINE.0[c].shock),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of dependence",
        "SHOCK, exposure to economic shocks",
        |w, i| w.payoff.doctrine.0[i].shock),
    row!(Real Component "doctrine.<component>.div", Table(|c| DEFAULT_DOCTRINE.0[c].div),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of 1 − dep",
        "DIV, the economic shock's loading by what the economy can diversify into, e += DIV·(1 − dep) (0 in v1)",
        |w, i| w.payoff.doctrine.0[i].div),
    row!(Real Component "doctrine.<component>.aut", Table(|c| DEFAULT_DOCTRINE.0[c].aut),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of a",
        "AUT, loading on the autonomy factor a (< 0 gives autonomy away; 0 in v1)",
        |w, i| w.payoff.doctrine.0[i].aut),
    row!(Real Component "doctrine.<component>.reg", Table(|c| DEFAULT_DOCTRINE.0[c].reg),
        -MAX_COEFFICIENT, MAX_COEFFICIENT, "per unit of g",
        "REG, loading on the regional factor g, the region's diffuse, cross-border risks (> 0 insures; 0 in v1)",
        |w, i| w.payoff.doctrine.0[i].reg),
];

/// Every row, for the setters of the browser page and the Python package and for `hedgesim fields`.
pub fn params() -> impl Iterator<Item = &'static ParamRow> {
    PARAMS.iter()
}

/// The row of a path as the table writes it (`third_powers.<name>.cap`).
pub fn row(path: &str) -> Option<&'static ParamRow> {
    PARAMS.iter().find(|p| p.path == path)
}

/// Set member `i` of every row of `family` to its default in the world's format, rows in table
/// order (a row follows only rows above it).
pub fn reset(w: &mut World, family: Family, i: usize) {
    let format = w.format();
    for p in PARAMS.iter().filter(|p| p.family == family) {
        let v = p.default_in(w, i, PARAMS, format);
        (p.set)(w, i, v);
    }
}

impl Default for World {
    /// The calibrated world of docs/model.md, format 1 (model v1, rates per turn) at the default
    /// clock: every parameter at the schema's default, the uniform mix, the default priors, no
    /// third powers and no events. [`World::defaults`] gives format 2's.
    fn default() -> World {
        World::defaults(Format::V1, Clock::default())
    }
}

impl World {
    /// The default world of a file of `format` on `clock`: every parameter at that format's
    /// default, rates converted to the clock's turns. `World::defaults(Format::V2,
    /// Clock::default())` is format 2's default world at four turns a year.
    pub fn defaults(format: Format, clock: Clock) -> World {
        let mut w = World::blank(format, clock);
        reset(&mut w, Family::One, 0);
        for c in 0..spectrum::N {
            reset(&mut w, Family::Component, c);
        }
        w
    }

    /// Change the clock, keeping every rate's meaning in the file's unit: each rate row is read
    /// in that unit on the old clock and written back on the new one, so no per-turn number is
    /// left computed for another time step. (Format 1's rates are per turn whatever the clock, so
    /// there nothing moves.)
    pub fn set_clock(&mut self, clock: Clock) {
        let members = |w: &World, p: &ParamRow| match p.family {
            Family::One => 1,
            Family::Component => spectrum::N,
            Family::ThirdPower => w.third_powers.len(),
        };
        let mut values: Vec<(&ParamRow, usize, f64)> = Vec::new();
        for p in PARAMS.iter().filter(|p| p.time != TimeScale::Fixed) {
            for i in 0..members(self, p) {
                values.push((p, i, (p.get)(self, i)));
            }
        }
        self.clock = clock;
        for (p, i, v) in values {
            (p.set)(self, i, v);
        }
    }
}

/// Set `field` before a run starts, as a scenario file would: a field no file writes that follows
/// it follows it here too (setting `small_state.dep` sets `dep0`, the structural level dependence
/// drifts around, so that an axis over dependence varies that level, not a one-turn shock).
pub fn set_at_start(w: &mut World, field: &FieldPath, value: f64) {
    field.set(w, value);
    for p in PARAMS.iter().filter(|p| !p.in_file && matches!(p.default, Follows(f) if f == field.param.path)) {
        (p.set)(w, field.member, value);
    }
}

impl Field<World> {
    /// Resolve a dotted path of a real-valued field against the third powers' names: what events,
    /// sweep axes and `--set` change. The error says what is wrong and lists what would have been
    /// accepted.
    pub fn parse(path: &str, third_power_names: &[&str]) -> Result<FieldPath, String> {
        let field = resolve(path, third_power_names)?;
        match field.param.kind {
            Kind::Real => Ok(field),
            kind => Err(format!(
                "`{path}` is a {} parameter, set in the scenario file; events, sweep axes and --set change \
                 real-valued fields",
                kind.name()
            )),
        }
    }
}

/// Resolve a dotted path of any parameter, whatever its kind.
pub fn resolve(path: &str, third_power_names: &[&str]) -> Result<FieldPath, String> {
    let segs: Vec<&str> = path.split('.').collect();
    let shape = |p: &ParamRow| p.path.split('.').count() == segs.len();
    let literal_match =
        |p: &ParamRow, upto: usize| p.path.split('.').zip(&segs).take(upto).all(|(t, s)| t.starts_with('<') || t == *s);
    let exact = PARAMS.iter().find(|p| shape(p) && literal_match(p, segs.len()));
    // A family row whose section matches: the member is resolved first, so that its error comes first.
    let near: Vec<&ParamRow> =
        PARAMS.iter().filter(|p| p.family != Family::One && shape(p) && literal_match(p, segs.len() - 1)).collect();
    let Some(&first) = exact.as_ref().or(near.first()) else {
        return Err(unknown_path_message(path));
    };
    let member = match first.family {
        Family::One => 0,
        Family::Component => {
            let at = first.path.split('.').position(|t| t == "<component>").unwrap_or(0);
            let code = segs[at];
            Component::from_code(code).map(Component::index).ok_or_else(|| {
                format!("unknown component `{code}` in `{path}`; expected one of {}", spectrum::codes())
            })?
        }
        Family::ThirdPower => {
            let name = segs[1];
            third_power_names.iter().position(|n| *n == name).ok_or_else(|| {
                if third_power_names.is_empty() {
                    format!("`{path}` names third power `{name}`, but the scenario has no third powers")
                } else {
                    format!("`{path}` names third power `{name}`; the scenario has {}", third_power_names.join(", "))
                }
            })?
        }
    };
    match exact {
        Some(param) => Ok(Field { param, member }),
        None => {
            let key = segs[segs.len() - 1];
            let keys: Vec<&str> = near.iter().map(|p| p.key()).collect();
            Err(format!("unknown field `{key}` in `{path}`; {}", suggest(key, &keys)))
        }
    }
}

/// "did you mean `x`? expected one of a, b, c": the nearest known name if one is close, and all.
pub fn suggest(key: &str, known: &[&str]) -> String {
    let mut msg = String::new();
    if let Some((d, name)) = known.iter().map(|k| (edit_distance(key, k), *k)).min()
        && d <= 3
    {
        msg.push_str(&format!("did you mean `{name}`? "));
    }
    msg.push_str(&format!("expected one of {}", known.join(", ")));
    msg
}

/// The first segment of a path, with the member placeholder if the second is one
/// (`third_powers.<name>`): where paths start.
fn root(path: &str) -> String {
    let mut segs = path.split('.');
    let first = segs.next().unwrap_or("");
    match segs.next() {
        Some(s) if s.starts_with('<') => format!("{first}.{s}"),
        _ => first.to_string(),
    }
}

/// Explain an unknown path: the nearest known path if one is close, and the fields of its section.
fn unknown_path_message(path: &str) -> String {
    let mut msg = format!("unknown field path `{path}`");
    let nearest = PARAMS.iter().map(|p| (edit_distance(path, p.path), p.path)).min();
    if let Some((d, name)) = nearest
        && d <= 3
    {
        msg.push_str(&format!("; did you mean `{name}`?"));
    }
    let section = path.split('.').next().unwrap_or("");
    let in_section: Vec<&str> =
        PARAMS.iter().filter_map(|p| p.path.strip_prefix(section).and_then(|r| r.strip_prefix('.'))).collect();
    if !in_section.is_empty() {
        msg.push_str(&format!(" Fields of `{section}`: {}.", in_section.join(", ")));
    } else {
        let mut roots: Vec<String> = Vec::new();
        for p in PARAMS {
            let r = root(p.path);
            if !roots.contains(&r) {
                roots.push(r);
            }
        }
        let last = roots.pop().unwrap_or_default();
        msg.push_str(&format!(". Paths start with {} or {last}.", roots.join(", ")));
    }
    msg
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != *cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Check a belief signal: finite and at most [`MAX_SIGNAL`] in magnitude.
pub fn check_signal(v: f64) -> Result<(), String> {
    if v.is_finite() && v.abs() <= MAX_SIGNAL {
        Ok(())
    } else {
        Err(format!("must be a finite number from -{MAX_SIGNAL} to {MAX_SIGNAL}, got {}", show_number(v)))
    }
}

/// The schema as a table, as `hedgesim fields` prints it and the README (`full = false`: path,
/// default, range, unit) and docs/model.md (`full`: also kind and meaning) hold it, for files of
/// `file` format: its defaults and units, and only the rows it may set. `rates_only` keeps the
/// rows whose number depends on the time step, with their conversion (docs/model.md, "Time
/// scale").
pub fn table(format: TableFormat, full: bool, file: Format, rates_only: bool) -> String {
    let range = |p: &ParamRow| match p.kind {
        Kind::Bool => "true, false".to_string(),
        _ => format!("{} to {}", show_number(p.min), show_number(p.max)),
    };
    let default = |p: &ParamRow| match p.default_for(file) {
        Value(v) if p.kind == Kind::Bool => (v != 0.0).to_string(),
        Value(v) => show_number(v),
        Table(_) => "doctrine table (§4)".to_string(),
        Follows(f) => format!("= {}", f.rsplit('.').next().unwrap_or(f)),
    };
    // The conversion to the per-turn number, shown for the rates: format 1's are per turn as
    // written.
    let conversion = |p: &ParamRow| match file {
        Format::V1 => "as written".to_string(),
        Format::V2 => format!("{}: {}", p.time.name(), p.time.formula()),
    };
    let only = |p: &ParamRow| if p.in_file { "" } else { " (events only)" };
    let rows = || PARAMS.iter().filter(|p| p.in_format(file) && (!rates_only || p.time != TimeScale::Fixed));
    let mut out = String::new();
    match format {
        TableFormat::Markdown => {
            out.push_str("| path | default | range | unit |");
            if rates_only {
                out.push_str(" per turn |");
            }
            if full {
                out.push_str(" kind | meaning |");
            }
            let columns = 4 + usize::from(rates_only) + 2 * usize::from(full);
            out.push_str(&format!("\n|{}\n", "---|".repeat(columns)));
            for p in rows() {
                out.push_str(&format!(
                    "| `{}`{} | {} | {} | {} |",
                    p.path,
                    only(p),
                    default(p),
                    range(p),
                    p.unit_for(file)
                ));
                if rates_only {
                    out.push_str(&format!(" {} |", conversion(p)));
                }
                if full {
                    out.push_str(&format!(" {} | {} |", p.kind.name(), p.doc));
                }
                out.push('\n');
            }
        }
        TableFormat::Text => {
            let width = rows().map(|p| p.path.chars().count() + only(p).len()).max().unwrap_or(0);
            for p in rows() {
                let path = format!("{}{}", p.path, only(p));
                out.push_str(&format!("{path:width$}  {:<20}  {:<16}  {}", default(p), range(p), p.unit_for(file)));
                if rates_only {
                    out.push_str(&format!("  ({})", conversion(p)));
                }
                out.push('\n');
                if full {
                    out.push_str(&format!("{:width$}  {}\n", "", p.doc));
                }
            }
        }
    }
    out
}

/// Formats of [`table`] (JSON is the `hedgesim` crate's, from [`params`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Markdown,
    Text,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctrine::Coefficient;

    /// How many members a family has in `w`.
    fn members(family: Family, w: &World) -> usize {
        match family {
            Family::One => 1,
            Family::Component => spectrum::N,
            Family::ThirdPower => w.third_powers.len(),
        }
    }

    #[test]
    fn paths_resolve_and_unknown_ones_explain_themselves() {
        let names = ["Turkey", "West"];
        let p = FieldPath::parse("great_power.focus", &names).unwrap();
        assert_eq!(p.param.path, "great_power.focus");
        let p = FieldPath::parse("third_powers.West.reliability", &names).unwrap();
        assert_eq!((p.param.path, p.member), ("third_powers.<name>.reliability", 1));
        let p = FieldPath::parse("doctrine.PB.prov", &names).unwrap();
        assert_eq!((p.param.key(), p.member), (Coefficient::Provocation.key(), Component::PureBalancing.index()));
        let p = FieldPath::parse("small_state.legit.LB", &names).unwrap();
        assert_eq!(format!("{p:?}"), "small_state.legit.LB");
        let e = FieldPath::parse("third_powers.China.cap", &names).unwrap_err();
        assert!(e.contains("China") && e.contains("Turkey, West"), "{e}");
        let e = FieldPath::parse("third_powers.West.capp", &names).unwrap_err();
        assert!(e.contains("did you mean `cap`?") && e.contains("reliability"), "{e}");
        let e = FieldPath::parse("great_power.focs", &names).unwrap_err();
        assert!(e.contains("did you mean `great_power.focus`?"), "{e}");
        let e = FieldPath::parse("nowhere.at_all", &names).unwrap_err();
        assert!(!e.contains("did you mean") && e.contains("Paths start with"), "{e}");
        assert!(e.contains("third_powers.<name>") && e.contains("or doctrine.<component>."), "{e}");
        assert!(FieldPath::parse("doctrine.XX.ret", &names).unwrap_err().contains("unknown component `XX`"));
        assert!(FieldPath::parse("doctrine.PB.nope", &names).unwrap_err().contains("expected one of ret, depret"));
        let e = FieldPath::parse("decision.inner_steps", &names).unwrap_err();
        assert!(e.contains("integer parameter"), "{e}");
        assert!(resolve("decision.inner_steps", &names).is_ok());
    }

    #[test]
    fn range_checks() {
        let p = FieldPath::parse("small_state.cap", &[]).unwrap();
        assert!(p.check(0.5).is_ok());
        assert!(p.check(1.5).unwrap_err().contains("between 0 and 1"));
        assert!(p.check(f64::NAN).unwrap_err().contains("finite"));
        let steps = row("decision.inner_steps").unwrap();
        assert!(steps.check(3.0).is_ok());
        assert!(steps.check(2.5).unwrap_err().contains("whole number from 0 to 1000"));
        assert!(row("decision.side_choice").unwrap().check(2.0).is_err());
    }

    /// Every default lies in its row's range, paths are unique, and a followed row comes first.
    #[test]
    fn the_table_is_consistent() {
        let w = World::default();
        for (n, p) in PARAMS.iter().enumerate() {
            assert!(PARAMS[..n].iter().all(|q| q.path != p.path), "{} twice", p.path);
            if let Follows(f) = p.default {
                assert!(PARAMS[..n].iter().any(|q| q.path == f), "{} follows {f}, which must come first", p.path);
            }
            for i in 0..members(p.family, &w) {
                let v = (p.get)(&w, i);
                assert!(p.check(v).is_ok(), "{}: default {v} out of range", p.path);
                assert_eq!(v, p.default_in(&w, i, PARAMS, Format::V1), "{}", p.path);
            }
        }
    }

    /// Format 2's default world at four turns a year stores format 1's per-turn numbers (its
    /// defaults are format 1's converted at four turns a year); read back, each row gives format
    /// 2's default; and a new clock converts the rates again, so none is left stale.
    #[test]
    fn format_2_defaults_are_format_1_at_four_turns_a_year() {
        let (v1, v2) = (World::default(), World::defaults(Format::V2, Clock::default()));
        for p in PARAMS.iter().filter(|p| p.family == Family::One) {
            let (a, b) = (TimeScale::Fixed.per_turn((p.get)(&v1, 0), 4.0), p.time.per_turn((p.get)(&v2, 0), 4.0));
            assert!((a - b).abs() < 1e-12, "{}: {a} against {b}", p.path);
            assert!(((p.get)(&v2, 0) - p.default_in(&v2, 0, PARAMS, Format::V2)).abs() < 1e-12, "{}", p.path);
            assert!(p.check((p.get)(&v2, 0)).is_ok(), "{}: format 2's default is out of range", p.path);
        }
        let mut monthly = v2.clone();
        monthly.set_clock(Clock { turns_per_year: 12, ..Clock::default() });
        let forgetting = row("beliefs.forgetting").unwrap();
        assert!(((forgetting.get)(&monthly, 0) - 0.6561).abs() < 1e-12);
        assert!((monthly.small_state.beliefs.hostility.forgetting - 0.6561f64.powf(1.0 / 12.0)).abs() < 1e-15);
        assert!((monthly.small_state.beliefs.hostility.horizon - 24.0).abs() < 1e-12);
        assert!((monthly.great_power.decisions_per_turn - 1.0 / 3.0).abs() < 1e-15);
        // Format 1 keeps its per-turn numbers whatever the clock.
        let mut v1_monthly = v1.clone();
        v1_monthly.set_clock(Clock { turns_per_year: 12, ..Clock::default() });
        assert_eq!(v1_monthly.small_state.beliefs.hostility.forgetting, 0.9);
    }

    /// Each row reads and writes its own number: writing one row changes no other.
    #[test]
    fn every_row_reaches_its_own_number() {
        let base = World::default();
        for p in PARAMS.iter().filter(|p| p.family != Family::ThirdPower) {
            let mut w = base.clone();
            let v = if p.kind == Kind::Bool { 0.0 } else { p.max };
            (p.set)(&mut w, 0, v);
            assert_eq!((p.get)(&w, 0), v, "{}", p.path);
            for q in PARAMS.iter().filter(|q| q.family != Family::ThirdPower && q.path != p.path) {
                assert_eq!((q.get)(&w, 0), (q.get)(&base, 0), "setting {} changed {}", p.path, q.path);
            }
        }
    }
}
