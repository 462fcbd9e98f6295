//! `hedgesim explain`: one turn taken apart, for a student.
//!
//! For the chosen turn it shows the state of the world, the doctrine table in use, and for each
//! component its expected payoff, its risk, and the risk-offset it gets from the other side of the
//! spectrum: its covariance with the rest of the mix, negative when the other side pays exactly when
//! it loses. It then shows the gradient and the resulting change of the mix, and closes with a few
//! plain sentences generated from those numbers. Everything is computed from the diagnostics the
//! world keeps for its last turn; nothing here changes the model.

use crate::decision::Utility;
use crate::payoff::{PayoffInputs, PayoffModel, attention_reach, attention_weight};
use crate::run::RunSpec;
use crate::scenario::Scenario;
use crate::spectrum::{Component, Mix, N, Side};
use crate::world::{Diagnostics, TurnRecord, World};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Serialize)]
pub struct ThirdPowerView {
    pub name: String,
    pub cap: f64,
    pub support: f64,
    pub believed_reliability: f64,
    pub reliability_sd: f64,
    /// Its own rivalry with the great power; present only when it is priced
    /// (`payoff.partner_rivalry` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rivalry: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PressureParts {
    pub total: f64,
    pub from_imminence: f64,
    pub from_rivalry: f64,
    pub from_exclusive_partners: f64,
}

/// The world as the state saw it when it decided: every value is the one the turn's payoffs were
/// built from (the perception of step 2a), except the partners' current support and beliefs in
/// `third_powers`.
#[derive(Debug, Clone, Serialize)]
pub struct WorldView {
    pub hostility_mean: f64,
    pub hostility_sd: f64,
    /// sd the state plans with: belief plus fluidity over the horizon.
    pub planning_sd: f64,
    pub vulnerability: f64,
    pub imminence: f64,
    pub gamma: f64,
    pub stakes: f64,
    pub cap: f64,
    pub mil: f64,
    pub dep: f64,
    pub focus: f64,
    /// T = Σ_j cap_j·s_j, the partners' engaged capability.
    pub third_power_capability: f64,
    /// E[κ], the believed reliability of the engaged partners (weighted by their engaged
    /// capability), with which V and protection were priced.
    pub believed_reliability: f64,
    /// π_c, the believed chance of coercion this turn; present only when the coercion channel is
    /// on (`payoff.coercion_channel` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coercion_probability: Option<f64>,
    /// k, the propensity to punish π_c comes from (per unit of E[θ]·focus), and its prior; present
    /// only when the state learns it (`beliefs.punishment_learning`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub punishment_propensity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub punishment_prior: Option<f64>,
    /// G(w), the reason to punish the turn's mix gave, relative to the most provocative option:
    /// the share of a decision's exposure it counts; present only when k is learned per unit of
    /// the reason given (`beliefs.punishment_per_reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_given: Option<f64>,
    /// χ·ψ·D, what a coercion costs the state whatever its mix (the part of every p_k common to
    /// all components); present only when the coercion factor carries it (χ > 0 and
    /// `payoff.coercion_damage` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coercion_damage: Option<f64>,
    /// n = Σ_k w_k·PROV_k of the mix before the decision, and ς, the turn's scale of every PROV
    /// (`1 − ξ` while n < 0); present only when the great power answers the net provocation
    /// (`payoff.provocation_offset` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_provocation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provocation_scale: Option<f64>,
    /// a_V, the great power's reach in V, and a_h, the scale of every hostility loading; present
    /// only when its attention scales the hostile world (`payoff.attention_scale` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention_reach: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention_weight: Option<f64>,
    /// X, the exploitation exposure per unit of EXPL, and ν; present only when exploitation is
    /// limited to what the state could resist (`payoff.exploitation_resistance` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitation_exposure: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitation_resistance: Option<f64>,
    /// sd_a of the autonomy factor; present only when Kuik's trilemma columns are in use
    /// (`payoff.autonomy_sd` > 0 or a `div` or `aut` entry other than 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autonomy_sd: Option<f64>,
    /// sd_g of the regional factor; present only when its column is in use
    /// (`payoff.regional_sd` > 0 or a `reg` entry other than 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional_sd: Option<f64>,
    pub pressure: PressureParts,
    pub third_powers: Vec<ThirdPowerView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentView {
    pub code: &'static str,
    pub name: &'static str,
    pub side: &'static str,
    pub weight_before: f64,
    pub weight: f64,
    pub change: f64,
    /// Doctrine row in use.
    pub doctrine: [f64; 7],
    /// b_k, h_k, q_k, e_k.
    pub benign_return: f64,
    pub hostility_loading: f64,
    /// p_k, the loading on the coercion factor c (negative: loses when coerced); present only when
    /// the coercion channel is on (`payoff.coercion_channel` > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coercion_loading: Option<f64>,
    pub protection_loading: f64,
    /// e_k = SHOCK_k·dep + DIV_k·(1 − dep).
    pub shock_loading: f64,
    /// DIV_k, the shock's loading per unit of `1 − dep`, and a_k = AUT_k, the loading on the
    /// autonomy factor; present only when the trilemma columns are in use (see
    /// [`WorldView::autonomy_sd`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diversification: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autonomy_loading: Option<f64>,
    /// g_k = REG_k, the loading on the regional factor; present only when its column is in use
    /// (see [`WorldView::regional_sd`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional_loading: Option<f64>,
    pub legit: f64,
    /// μ_k.
    pub expected: f64,
    /// Σ_kk.
    pub variance: f64,
    /// (Σw)_k: covariance with the whole current mix.
    pub covariance_with_mix: f64,
    /// Σ over components l on the other side of w_l·Σ_kl: negative is the risk-offset.
    pub offset_from_other_side: f64,
    /// w_k·(Σw)_k: this component's share of the mix's variance (they sum to wᵀΣw).
    pub risk_contribution: f64,
    /// ∂U/∂w_k at the start of the turn: what pushed the weight this turn.
    pub gradient: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UtilityView {
    pub expected: f64,
    pub risk: f64,
    pub side_taking: f64,
    pub total: f64,
}

impl From<Utility> for UtilityView {
    fn from(u: Utility) -> Self {
        UtilityView { expected: u.expected, risk: u.risk, side_taking: u.side_taking, total: u.total() }
    }
}

/// The side choice of a turn under side-taking pressure
/// ([`crate::decision::DecisionContext::prefers_other_side`]): the portfolio the state held at the
/// start of the turn against the same portfolio on the other side of the spectrum.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SideChoiceView {
    /// U of the mix as held at the start of the turn.
    pub utility_as_held: f64,
    /// U of its mirror (PB ↔ PW, IB ↔ LB, DD ↔ BE).
    pub utility_mirrored: f64,
    pub switched: bool,
}

/// The main risk-offset pair under the whole Σ (every factor), named when the coercion channel is
/// on: the rejection component and the component of the other side (or economic pragmatism) whose
/// weighted covariance `w_k·w_l·Σ_kl` is most negative.
#[derive(Debug, Clone, Serialize)]
pub struct OffsetPairView {
    /// Code of the rejection-side component.
    pub rejection: &'static str,
    /// Code of the component that offsets it (acceptance side or EP).
    pub other: &'static str,
    /// Σ_kl, their covariance.
    pub covariance: f64,
    /// The parts of Σ_kl through hostility (h_k·h_l·Var θ), through coercion (p_k·p_l·Var c) and
    /// through the economic shock (e_k·e_l·sd_z²): Kuik's security and developmental risks.
    pub through_hostility: f64,
    pub through_coercion: f64,
    pub through_shock: f64,
    /// The part through the autonomy factor (a_k·a_l·sd_a², Kuik's political risk), present when
    /// it has variance. With protection's (q_k·q_l·Var κ) and the idiosyncratic diagonal (0 for
    /// two components) the parts sum to Σ_kl.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through_autonomy: Option<f64>,
    /// The part through the regional factor (g_k·g_l·sd_g², the region's diffuse risks), present
    /// when it has variance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through_regional: Option<f64>,
}

/// A setting given with `--set`.
#[derive(Debug, Clone, Serialize)]
pub struct SetView {
    pub path: String,
    pub value: f64,
}

/// One turn, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub scenario: String,
    pub seed: u64,
    /// The random stream (`--replication`): run `stream` of `seed`.
    pub stream: u64,
    /// The settings given with `--set`, path and value, in the order given.
    pub set: Vec<SetView>,
    pub turn: u32,
    pub year: f64,
    pub small_state: String,
    pub great_power: String,
    pub events: Vec<String>,
    pub world: WorldView,
    pub components: Vec<ComponentView>,
    /// Present only when the coercion channel is on; the sentences then name this pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset_pair: Option<OffsetPairView>,
    pub utility: UtilityView,
    pub label: String,
    pub tilt: String,
    pub acceptance: f64,
    pub rejection: f64,
    pub alignment: f64,
    pub hedging_intensity: f64,
    pub great_power_action: String,
    /// reward, hold, pressure, coerce.
    pub action_probabilities: [f64; 4],
    /// Present when the side choice is on and the state is under side-taking pressure.
    pub side_choice: Option<SideChoiceView>,
    pub sentences: Vec<String>,
}

fn side_name(s: Side) -> &'static str {
    match s {
        Side::Rejection => "rejection",
        Side::Neutral => "neutral",
        Side::Acceptance => "acceptance",
    }
}

/// Play the scenario up to and including `turn` and explain that turn. `turn` must be below the
/// scenario's length (checked by the caller, which can say so clearly).
pub fn explain(scenario: &Scenario, run: &RunSpec, turn: u32) -> Explanation {
    let mut world = run.world(scenario);
    for _ in 0..turn {
        world.step();
    }
    let seen = world.next_perception().inputs;
    let record = world.step();
    let d = world.last.expect("a turn was played");
    let mut e = build(scenario, run.seed, &world, &record, &d, &seen);
    e.stream = run.stream;
    e.set = run.settings.iter().map(|s| SetView { path: s.name.clone(), value: s.value }).collect();
    e
}

/// The explanation of the turn just played: `world` after it, `r` its record, `d` its diagnostics
/// and `seen` what the state perceived when it decided ([`World::next_perception`] before it).
fn build(
    scenario: &Scenario,
    seed: u64,
    world: &World,
    r: &TurnRecord,
    d: &Diagnostics,
    seen: &PayoffInputs,
) -> Explanation {
    let s = &world.small_state;
    let p = &d.payoff;
    let w = r.mix;
    let ctx = s.decision_context(p, d.pressure);
    let gradient = ctx.gradient(&d.mix_before);
    let cov = p.covariance_with(&w);
    // The coercion factor's columns are shown only when it is on, so that v1 outputs stay as they were.
    let coercion = world.payoff.coercion_channel > 0.0;
    let learning = coercion && s.beliefs.punishment.learning;
    let per_reason = learning && s.beliefs.punishment.per_reason;
    let resisting = world.payoff.exploitation_resistance > 0.0;
    let offsetting = world.payoff.provocation_offset > 0.0;
    let attending = world.payoff.attention_scale > 0.0;
    // Kuik's trilemma columns, shown only when in use, so that v1 outputs stay as they were.
    let trilemma =
        world.payoff.autonomy_sd > 0.0 || world.payoff.doctrine.0.iter().any(|row| row.div != 0.0 || row.aut != 0.0);
    // The regional factor's column likewise.
    let regional = world.payoff.regional_sd > 0.0 || world.payoff.doctrine.0.iter().any(|row| row.reg != 0.0);
    let components = Component::ALL
        .iter()
        .map(|&c| {
            let k = c.index();
            let other = |l: usize| {
                matches!(
                    (c.side(), Component::ALL[l].side()),
                    (Side::Rejection, Side::Acceptance) | (Side::Acceptance, Side::Rejection)
                )
            };
            let row = world.payoff.doctrine.0[k];
            ComponentView {
                code: c.code(),
                name: c.name(),
                side: side_name(c.side()),
                weight_before: d.mix_before.0[k],
                weight: w.0[k],
                change: w.0[k] - d.mix_before.0[k],
                doctrine: [row.ret, row.depret, row.ins, row.prov, row.expl, row.prot, row.shock],
                benign_return: p.base[k],
                hostility_loading: p.hostility_loading[k],
                // `+ 0.0` shows a zero loading (EP's, with PROV = 0) as 0, not −0.
                coercion_loading: coercion.then_some(p.coercion_loading[k] + 0.0),
                protection_loading: p.protection[k],
                shock_loading: p.shock[k],
                diversification: trilemma.then_some(row.div),
                autonomy_loading: trilemma.then_some(row.aut),
                regional_loading: regional.then_some(row.reg),
                legit: p.legit[k],
                expected: p.mean[k],
                variance: p.covariance(k, k),
                covariance_with_mix: cov[k],
                offset_from_other_side: (0..N).filter(|&l| other(l)).map(|l| w.0[l] * p.covariance(k, l)).sum(),
                risk_contribution: w.0[k] * cov[k],
                gradient: gradient[k],
            }
        })
        .collect();
    // What the state believed about each partner, and each partner's support, at decision time
    // are not kept; report the current ones, which differ after this turn's test and support
    // update. Their totals at decision time are T and E[κ] above.
    let third_powers = world
        .third_powers
        .iter()
        .zip(&s.beliefs.reliability)
        .map(|(t, belief)| ThirdPowerView {
            name: t.name.clone(),
            cap: t.cap,
            support: t.support,
            believed_reliability: belief.mean(),
            reliability_sd: belief.variance().sqrt(),
            rivalry: (world.payoff.partner_rivalry > 0.0).then_some(t.rivalry),
        })
        .collect();
    let exclusive: f64 = d.pressure - s.decision.imminence_weight * r.imminence - world.rivalry;
    let mut e = Explanation {
        scenario: scenario.meta.name.clone(),
        seed,
        stream: 0,
        set: Vec::new(),
        turn: r.turn,
        year: r.year,
        small_state: s.name.clone(),
        great_power: world.great_power.name.clone(),
        events: scenario.events().iter().filter(|e| e.turn == r.turn).map(|e| e.label.clone()).collect(),
        world: WorldView {
            hostility_mean: r.belief_mean,
            hostility_sd: r.belief_var.sqrt(),
            planning_sd: r.plan_var.sqrt(),
            vulnerability: r.vulnerability,
            imminence: r.imminence,
            gamma: s.decision.gamma,
            stakes: seen.stakes,
            cap: seen.cap,
            mil: seen.mil,
            dep: seen.dep,
            focus: seen.focus,
            third_power_capability: seen.third_power_capability,
            believed_reliability: seen.reliability_mean,
            coercion_probability: coercion.then_some(p.coercion_probability),
            punishment_propensity: learning.then_some(p.coercion_propensity),
            punishment_prior: learning.then_some(world.payoff.coercion_rate),
            reason_given: per_reason.then(|| world.payoff.doctrine.reason_given(&w)),
            coercion_damage: (coercion && world.payoff.coercion_damage > 0.0).then_some(p.coercion_damage),
            net_provocation: offsetting.then(|| world.payoff.doctrine.net_provocation(&d.mix_before)),
            provocation_scale: offsetting.then_some(p.provocation_scale),
            attention_reach: attending.then(|| attention_reach(world.payoff.attention_scale, seen.focus)),
            attention_weight: attending.then(|| attention_weight(world.payoff.attention_scale, seen.focus)),
            exploitation_exposure: resisting.then_some(p.exploitation_exposure),
            exploitation_resistance: resisting.then_some(world.payoff.exploitation_resistance),
            autonomy_sd: trilemma.then_some(world.payoff.autonomy_sd),
            regional_sd: regional.then_some(world.payoff.regional_sd),
            pressure: PressureParts {
                total: d.pressure,
                from_imminence: s.decision.imminence_weight * r.imminence,
                from_rivalry: world.rivalry,
                from_exclusive_partners: exclusive.max(0.0),
            },
            third_powers,
        },
        components,
        offset_pair: if coercion { offset_pair(p, &w) } else { None },
        utility: ctx.utility(&w).into(),
        label: r.label.as_str().into(),
        tilt: r.label.tilt_str().into(),
        acceptance: r.acceptance,
        rejection: r.rejection,
        alignment: r.alignment,
        hedging_intensity: r.hedging_intensity,
        great_power_action: r.action.as_str().into(),
        action_probabilities: d.action_probabilities,
        side_choice: ctx.side_choice_applies().then(|| SideChoiceView {
            utility_as_held: ctx.utility(&d.mix_before).total(),
            utility_mirrored: ctx.utility(&d.mix_before.mirrored()).total(),
            switched: ctx.prefers_other_side(&d.mix_before),
        }),
        sentences: Vec::new(),
    };
    e.sentences = sentences(&e, &w);
    e
}

/// The pair of [`OffsetPairView`]: over rejection components k and components l of the other side
/// or economic pragmatism, both held at ≥ 2%, the most negative `w_k·w_l·Σ_kl`; `None` if no such
/// pair covaries negatively. Public so that the stylized facts can ask, turn by turn, whether the
/// pair `explain` would name is a cross-side pair (v2 property 1).
pub fn offset_pair(p: &PayoffModel, w: &Mix) -> Option<OffsetPairView> {
    let held = |c: &&Component| w.0[c.index()] >= 0.02;
    let rejection = Component::ALL.iter().filter(|c| c.side() == Side::Rejection).filter(held);
    let pairs = rejection.flat_map(|&k| {
        Component::ALL.iter().filter(|c| c.side() != Side::Rejection).filter(held).map(move |&l| (k, l))
    });
    let weighted =
        |&(k, l): &(Component, Component)| w.0[k.index()] * w.0[l.index()] * p.covariance(k.index(), l.index());
    let (k, l) = pairs.filter(|pair| weighted(pair) < 0.0).min_by(|a, b| weighted(a).total_cmp(&weighted(b)))?;
    let (i, j) = (k.index(), l.index());
    let [through_hostility, _, through_shock, through_coercion, through_autonomy, through_regional] =
        p.factor_covariances(i, j);
    Some(OffsetPairView {
        rejection: k.code(),
        other: l.code(),
        covariance: p.covariance(i, j),
        through_hostility,
        through_coercion,
        through_shock,
        through_autonomy: (p.autonomy_var != 0.0).then_some(through_autonomy),
        through_regional: (p.regional_var != 0.0).then_some(through_regional),
    })
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Plain sentences generated from the numbers: the label, the uncertainty, the risk-offset pair,
/// the pressure to choose, and what moved this turn.
fn sentences(e: &Explanation, w: &Mix) -> Vec<String> {
    let mut out = Vec::new();
    let (state, gp) = (&e.small_state, &e.great_power);
    let label = match e.tilt.as_str() {
        "" => e.label.clone(),
        "even" => "hedging, evenly".into(),
        t => format!("hedging with a tilt toward {t}"),
    };
    out.push(format!(
        "At turn {} (year {:.2}) {state} is {label}: {} of its policy on the rejection side and {} on the acceptance side (hedging intensity {:.2}).",
        e.turn,
        e.year,
        pct(e.rejection),
        pct(e.acceptance),
        e.hedging_intensity
    ));
    let wv = &e.world;
    let uncertainty = if wv.planning_sd >= 0.2 {
        "high uncertainty"
    } else if wv.planning_sd >= 0.1 {
        "real uncertainty"
    } else {
        "little uncertainty"
    };
    out.push(format!(
        "It believes {gp}'s hostility is {:.2} ± {:.2}, and plans for ± {:.2} because intentions can change: {uncertainty}, weighed with risk aversion γ = {}.",
        wv.hostility_mean, wv.hostility_sd, wv.planning_sd, wv.gamma
    ));

    // The risk-offset pair. With the coercion channel on, the pair is chosen under the whole Σ
    // (`offset_pair`), because a pair can offset through coercion as well as hostility.
    let by_code = |code: &str| e.components.iter().find(|c| c.code == code);
    let no_pair = || {
        format!(
            "No pair of opposite options insures the other now: the mix holds {} on the rejection side and {} on the acceptance side, so there is little risk left to offset.",
            pct(e.rejection),
            pct(e.acceptance)
        )
    };
    if wv.coercion_probability.is_some() {
        match e.offset_pair.as_ref().map(|pair| (pair, by_code(pair.rejection), by_code(pair.other))) {
            Some((pair, Some(rej), Some(acc))) => {
                let loadings = |c: &ComponentView| {
                    format!(
                        "{:+.2} on hostility, {:+.2} on coercion",
                        c.hostility_loading,
                        c.coercion_loading.unwrap_or(0.0)
                    )
                };
                out.push(format!(
                    "{} ({}; loadings {}) and {} ({}; {}) offset each other most: their covariance is {:+.3}, {:+.3} through hostility and {:+.3} through coercion (security), {:+.3} through the economic shock (developmental){}, so each insures the other.",
                    capitalised(rej.name),
                    pct(rej.weight),
                    loadings(rej),
                    acc.name,
                    pct(acc.weight),
                    loadings(acc),
                    pair.covariance,
                    pair.through_hostility,
                    pair.through_coercion,
                    pair.through_shock,
                    match (pair.through_autonomy, pair.through_regional) {
                        (None, None) => String::new(),
                        (Some(a), None) => format!(" and {a:+.3} through autonomy (political)"),
                        (None, Some(g)) => format!(" and {g:+.3} through the region's diffuse risks"),
                        (Some(a), Some(g)) => format!(
                            ", {a:+.3} through autonomy (political) and {g:+.3} through the region's diffuse risks"
                        ),
                    }
                ));
                out.push(format!(
                    "{} pays {:+.2} in expectation and {} {:+.2}; {gp} is believed to coerce with chance {:.2}; the risk term costs {:.3} and holding both sides costs {:.3} in side-taking pressure.",
                    capitalised(acc.name),
                    acc.expected,
                    rej.name,
                    rej.expected,
                    wv.coercion_probability.unwrap_or(0.0),
                    e.utility.risk,
                    e.utility.side_taking
                ));
            }
            _ => out.push(no_pair()),
        }
    } else {
        // The risk-offset pair: on the rejection side, the component with the largest exposure to
        // hostility (w·h > 0); against it, the component of the acceptance side or economic pragmatism
        // whose exposure offsets it most (w·h < 0). Both are chosen by exposure, not weight, because a
        // heavy component with a flat loading insures nothing.
        let exposure = |c: &ComponentView| c.weight * c.hostility_loading;
        let insurer = e
            .components
            .iter()
            .filter(|c| c.side == "rejection" && c.weight >= 0.02 && c.hostility_loading > 0.0)
            .max_by(|a, b| exposure(a).total_cmp(&exposure(b)));
        let exploited = e
            .components
            .iter()
            .filter(|c| c.side != "rejection" && c.weight >= 0.02 && c.hostility_loading < 0.0)
            .min_by(|a, b| exposure(a).total_cmp(&exposure(b)));
        match (insurer, exploited) {
            (Some(rej), Some(acc)) => {
                let var = wv.planning_sd * wv.planning_sd;
                out.push(format!(
                    "{} keeps {} because its payoff rises when {gp} turns hostile (loading {:+.2}), offsetting the exploitation risk of {} ({}, loading {:+.2}): through hostility their covariance is {:+.3}, so each insures the other.",
                    capitalised(rej.name),
                    pct(rej.weight),
                    rej.hostility_loading,
                    acc.name,
                    pct(acc.weight),
                    acc.hostility_loading,
                    rej.hostility_loading * acc.hostility_loading * var
                ));
                out.push(format!(
                    "{} pays {:+.2} in expectation and {} {:+.2}; the risk term costs {:.3} and holding both sides costs {:.3} in side-taking pressure.",
                    capitalised(acc.name),
                    acc.expected,
                    rej.name,
                    rej.expected,
                    e.utility.risk,
                    e.utility.side_taking
                ));
            }
            _ => out.push(no_pair()),
        }
    }

    let pr = &wv.pressure;
    if pr.total >= 0.5 {
        let mut parts = Vec::new();
        if pr.from_imminence > 0.0 {
            parts.push(format!("a direct and imminent threat ({:.2})", pr.from_imminence));
        }
        if pr.from_rivalry > 0.0 {
            parts.push(format!("a rivalry that demands a choice ({:.2})", pr.from_rivalry));
        }
        if pr.from_exclusive_partners > 0.0 {
            parts.push(format!("partners who punish leaning both ways ({:.2})", pr.from_exclusive_partners));
        }
        out.push(format!(
            "Side-taking pressure is {:.2}, from {}: it punishes holding both sides, so the mix is pushed toward one corner.",
            pr.total,
            parts.join(" and ")
        ));
    }
    if let Some(c) = e.side_choice
        && (c.switched || pr.total >= 0.5)
    {
        let (pairs, verdict) = if c.switched {
            (
                " (each option for its opposite: indirect balancing for limited bandwagoning, dominance denial for \
                 binding engagement)",
                "switched sides this turn",
            )
        } else {
            ("", "kept its side")
        };
        out.push(format!(
            "Under this pressure {state} first weighed its portfolio on the other side of the spectrum{pairs}: it was \
             worth {:+.3} against {:+.3} as held, so {state} {verdict} (vulnerability {:.2}).",
            c.utility_mirrored, c.utility_as_held, wv.vulnerability
        ));
    }

    // What moved this turn.
    let up = e.components.iter().max_by(|a, b| a.change.total_cmp(&b.change));
    let down = e.components.iter().min_by(|a, b| a.change.total_cmp(&b.change));
    if let (Some(up), Some(down)) = (up, down)
        && up.change > 0.005
    {
        out.push(format!(
            "This turn the mix moved toward {} ({:+.1} points, marginal utility {:+.2}) and away from {} ({:+.1} points, {:+.2}).",
            up.name,
            100.0 * up.change,
            up.gradient,
            down.name,
            100.0 * down.change,
            down.gradient
        ));
    } else {
        out.push(
            "This turn the mix hardly moved: the marginal utilities of the components it holds are nearly equal."
                .into(),
        );
    }
    out.push(format!(
        "{gp} answered with {} (probabilities: reward {}, hold {}, pressure {}, coerce {}).",
        e.great_power_action,
        pct(e.action_probabilities[0]),
        pct(e.action_probabilities[1]),
        pct(e.action_probabilities[2]),
        pct(e.action_probabilities[3])
    ));
    debug_assert!((w.0.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    out
}

/// The explanation as text for a terminal.
pub fn to_text(e: &Explanation) -> String {
    let mut t = String::new();
    let stream = if e.stream == 0 { String::new() } else { format!(", replication {}", e.stream) };
    let _ = writeln!(t, "{} — turn {} ({:.2}), seed {}{stream}", e.scenario, e.turn, e.year, e.seed);
    for s in &e.set {
        let _ = writeln!(t, "  set {} = {}", s.path, crate::input::show_number(s.value));
    }
    for ev in &e.events {
        let _ = writeln!(t, "  event this turn: {ev}");
    }
    let wv = &e.world;
    let _ = writeln!(t, "\nThe world as {} sees it", e.small_state);
    let _ = writeln!(
        t,
        "  hostility of {}: {:.2} ± {:.2} (planning ± {:.2})   vulnerability V = {:.2}   imminence = {:.2}",
        e.great_power, wv.hostility_mean, wv.hostility_sd, wv.planning_sd, wv.vulnerability, wv.imminence
    );
    let _ = writeln!(
        t,
        "  capability {:.2}, military {:.2}, dependence {:.2}, risk aversion γ = {}, stakes {}; {}'s focus {:.2}",
        wv.cap, wv.mil, wv.dep, wv.gamma, wv.stakes, e.great_power, wv.focus
    );
    let _ = writeln!(
        t,
        "  side-taking pressure π = {:.2} (imminence {:.2} + rivalry {:.2} + exclusive partners {:.2})",
        wv.pressure.total, wv.pressure.from_imminence, wv.pressure.from_rivalry, wv.pressure.from_exclusive_partners
    );
    if let (Some(x), Some(nu)) = (wv.exploitation_exposure, wv.exploitation_resistance) {
        let _ = writeln!(
            t,
            "  exploitation exposure X = {x:.2}: only what it could resist counts (ν = {nu:.2}, 1 − V = {:.2}); a hostile {} takes the rest whatever {} does",
            1.0 - wv.vulnerability,
            e.great_power,
            e.small_state
        );
    }
    if let (Some(n), Some(scale)) = (wv.net_provocation, wv.provocation_scale) {
        let reading = if n < 0.0 {
            "it defers more than it provokes, so deference beyond the offset pays less"
        } else {
            "it provokes on balance, so provocation counts in full"
        };
        let _ = writeln!(
            t,
            "  {} answers the mix's net provocation n = Σ w·PROV = {n:+.2}: {reading}; every PROV counts × {scale:.2} this turn",
            e.great_power
        );
    }
    if let (Some(reach), Some(weight)) = (wv.attention_reach, wv.attention_weight) {
        let _ = writeln!(
            t,
            "  {}'s attention (focus {:.2}) scales how much its hostility matters: every hostility loading × {weight:.2}; its reach in V is {reach:.2}, so V follows {}'s own strength and its partners",
            e.great_power, wv.focus, e.small_state
        );
    }
    if let Some(sd) = wv.regional_sd {
        let _ = writeln!(
            t,
            "  regional factor sd_g = {sd:.2}: the region's diffuse, cross-border risks, uncertain whatever {}'s hostility (REG loads on it: indirect balancing insures them)",
            e.great_power
        );
    }
    if let Some(sd) = wv.autonomy_sd {
        let _ = writeln!(
            t,
            "  autonomy factor sd_a = {sd:.2}: how far {} will interfere in {}'s policymaking, uncertain whatever its hostility (AUT loads on it); the economic shock's loading is SHOCK·dep + DIV·(1 − dep)",
            e.great_power, e.small_state
        );
    }
    for tp in &wv.third_powers {
        let _ = writeln!(
            t,
            "  {}: capability {:.2}, support {:.2}, believed reliability {:.2} ± {:.2}{}",
            tp.name,
            tp.cap,
            tp.support,
            tp.believed_reliability,
            tp.reliability_sd,
            tp.rivalry.map_or(String::new(), |r| format!(", rivalry with {} {r:+.2}", e.great_power))
        );
    }
    let _ = writeln!(t, "\nDoctrine table in use");
    // The trilemma's columns only when in use, so that v1 outputs stay as they were.
    let trilemma = wv.autonomy_sd.is_some();
    let regional = wv.regional_sd.is_some();
    let _ = writeln!(
        t,
        "  {:<22} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}{}{}",
        "",
        "ret",
        "depret",
        "ins",
        "prov",
        "expl",
        "prot",
        "shock",
        if trilemma { format!(" {:>6} {:>6}", "div", "aut") } else { String::new() },
        if regional { format!(" {:>6}", "reg") } else { String::new() }
    );
    for c in &e.components {
        let d = c.doctrine;
        let mut extra = match (c.diversification, c.autonomy_loading) {
            (Some(div), Some(aut)) => format!(" {div:>6.2} {aut:>6.2}"),
            _ => String::new(),
        };
        if let Some(reg) = c.regional_loading {
            extra += &format!(" {reg:>6.2}");
        }
        let _ = writeln!(
            t,
            "  {:<22} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2}{extra}",
            c.name, d[0], d[1], d[2], d[3], d[4], d[5], d[6]
        );
    }
    let _ = writeln!(t, "\nEach component this turn");
    // The coercion column only when the coercion channel is on, so that v1 outputs stay as they were.
    let coercion = wv.coercion_probability.is_some();
    let _ = writeln!(
        t,
        "  {:<22} {:>7} {:>7} {:>9} {:>9}{} {:>9} {:>10} {:>9}",
        "",
        "weight",
        "change",
        "expected",
        "hostile",
        if coercion { format!(" {:>9}", "coerced") } else { String::new() },
        "cov(mix)",
        "offset",
        "gradient"
    );
    for c in &e.components {
        let _ = writeln!(
            t,
            "  {:<22} {:>6.1}% {:>+6.1}  {:>+9.3} {:>+9.3}{} {:>+9.4} {:>+10.4} {:>+9.3}",
            c.name,
            100.0 * c.weight,
            100.0 * c.change,
            c.expected,
            c.hostility_loading,
            c.coercion_loading.map_or(String::new(), |p| format!(" {p:>+9.3}")),
            c.covariance_with_mix,
            c.offset_from_other_side,
            c.gradient
        );
    }
    if coercion {
        let _ = writeln!(
            t,
            "  expected = μ_k; hostile = h_k, how the payoff moves with hostility; coerced = p_k, how it moves if the great\n  \
             power coerces; cov(mix) = (Σw)_k; offset = the part of it from the other side of the spectrum (negative:\n  \
             insured); gradient = ∂U/∂w_k at the start of the turn."
        );
    } else {
        let _ = writeln!(
            t,
            "  expected = μ_k; hostile = h_k, how the payoff moves with hostility; cov(mix) = (Σw)_k; offset = the part of it\n  \
             from the other side of the spectrum (negative: insured); gradient = ∂U/∂w_k at the start of the turn."
        );
    }
    if let Some(pi_c) = wv.coercion_probability {
        let _ = writeln!(t, "  believed chance of coercion this turn π_c = {pi_c:.2}");
    }
    if let Some(d) = wv.coercion_damage {
        let _ = writeln!(
            t,
            "  a coercion costs {} {d:.2} whatever its mix (in every `coerced` entry): appeasement limits the damage, provocation adds to it",
            e.small_state
        );
    }
    if let (Some(k), Some(k0)) = (wv.punishment_propensity, wv.punishment_prior) {
        let _ = writeln!(
            t,
            "  π_c from a propensity to punish k = {k:.2} per unit of E[θ]·focus, learned from what {} did (prior {k0:.2})",
            e.great_power
        );
    }
    if let Some(r) = wv.reason_given {
        let _ = writeln!(
            t,
            "  k is learned per unit of the reason given: this mix gives G = {r:.2} of the most provocative option's grounds to punish, so {} counts {r:.2} of a decision's exposure",
            e.small_state
        );
    }
    let _ = writeln!(
        t,
        "  U = expected {:.3} − risk {:.3} − side-taking {:.3} = {:.3}",
        e.utility.expected, e.utility.risk, e.utility.side_taking, e.utility.total
    );
    let _ = writeln!(t, "\nWhy");
    for s in &e.sentences {
        let _ = writeln!(t, "  {s}");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The teaching dyad, read at compile time: the core reads no files.
    const DYAD: &str = include_str!("../../scenarios/teaching-dyad.toml");

    fn dyad() -> Scenario {
        Scenario::parse(DYAD, Path::new("scenarios/teaching-dyad.toml")).unwrap()
    }

    /// The static study's v2 file, the base of the tests that switch one v2 term on.
    const V2_STATIC: &str = include_str!("../../docs/calibration/v2-study/teaching-dyad-v2-static.toml");

    /// [`V2_STATIC`] as it is.
    fn v2_static() -> Scenario {
        v2_static_with(&[] as &[(&str, &str)])
    }

    /// [`V2_STATIC`] parsed with each `(table, lines)`'s lines added at the top of that table
    /// (`"payoff"`, `"doctrine.DD"`).
    fn v2_static_with(tables: &[(impl AsRef<str>, impl AsRef<str>)]) -> Scenario {
        let mut text = V2_STATIC.to_string();
        for (table, lines) in tables {
            let header = format!("\n[{}]\n", table.as_ref());
            assert!(text.contains(&header), "the static v2 file has a [{}] table", table.as_ref());
            text = text.replace(&header, &format!("{header}{}", lines.as_ref()));
        }
        Scenario::parse(&text, Path::new("v2.toml")).unwrap()
    }

    /// Turn `turn` of run 0 of `seed`, explained.
    fn explain_at(s: &Scenario, seed: u64, turn: u32) -> Explanation {
        let run = RunSpec { seed, stream: 0, scenario_sha256: "", settings: &[], turns: turn + 1 };
        explain(s, &run, turn)
    }

    #[test]
    fn risk_contributions_sum_to_the_mix_variance() {
        let s = dyad();
        let e = explain_at(&s, 1, 10);
        let total: f64 = e.components.iter().map(|c| c.risk_contribution).sum();
        assert!((0.5 * e.world.gamma * total - e.utility.risk).abs() < 1e-12);
        let change: f64 = e.components.iter().map(|c| c.change).sum();
        assert!(change.abs() < 1e-12, "weights move within the simplex");
    }

    /// The world `explain` shows is the one the turn's payoffs were built from, not the state
    /// after the turn's drift: V recomputed from the shown focus, cap, mil, T and E[κ] is the
    /// shown V to the bit, at turns where the state's strength and its partner's support have
    /// moved since the decision (so that the state after the turn would give another V).
    #[test]
    fn the_world_shown_is_the_one_the_payoffs_were_built_from() {
        let s = dyad();
        for turn in [5, 20, 40] {
            let e = explain_at(&s, 1, turn);
            let w = &e.world;
            assert!(w.attention_reach.is_none(), "the dyad's reach in V is its focus");
            let v =
                crate::payoff::vulnerability(w.focus, w.cap, w.mil, w.third_power_capability, w.believed_reliability);
            assert_eq!(v, w.vulnerability, "turn {turn}");
            let after = run_to(&s, 1, turn);
            assert_ne!(after.small_state.mil, w.mil, "turn {turn}: mil drifted after the decision");
        }
    }

    #[test]
    fn a_forced_choice_is_explained_by_the_side_comparison() {
        // The teaching dyad with a rivalry from turn 40, for a state that leaned to rejection.
        let text = format!(
            "{}\n[[events]]\nturn = 40\nset = {{ \"decision.rivalry\" = 1.5 }}\n",
            DYAD.replace("cap = 0.1", "cap = 0.2")
        );
        let s = Scenario::parse(&text, Path::new("rivalry.toml")).unwrap();
        let before = explain_at(&s, 1, 39);
        assert!(before.side_choice.is_none(), "no pressure, no side choice");
        assert!(before.rejection > before.acceptance);
        let e = explain_at(&s, 1, 40);
        let c = e.side_choice.expect("under pressure the state compares sides");
        assert!(c.switched && c.utility_mirrored > c.utility_as_held, "{c:?}");
        assert!(e.acceptance > e.rejection);
        assert!(e.sentences.join(" ").contains("switched sides this turn"), "{:?}", e.sentences);
        let later = explain_at(&s, 1, 45);
        assert!(!later.side_choice.unwrap().switched);
        assert!(later.sentences.join(" ").contains("kept its side"));
    }

    #[test]
    fn the_coercion_factor_is_shown_beside_hostility_only_when_it_is_on() {
        // v1: no coercion column, no π_c, no whole-Σ pair (so v1 outputs stay as they were).
        let e = explain_at(&dyad(), 1, 30);
        assert!(e.world.coercion_probability.is_none() && e.offset_pair.is_none());
        assert!(e.components.iter().all(|c| c.coercion_loading.is_none()));
        assert!(!to_text(&e).contains("coerced"));
        // v2: p_k beside h_k, and the pair named is the most negative weighted covariance under Σ,
        // across the sides, split into its hostility and coercion parts.
        let s = v2_static();
        let e = explain_at(&s, 1, 30);
        let world = run_to(&s, 1, 30);
        let p = &world.last.unwrap().payoff;
        for c in &e.components {
            assert_eq!(c.coercion_loading, Some(p.coercion_loading[code_index(c.code)] + 0.0));
        }
        let pair = e.offset_pair.as_ref().expect("a pair offsets");
        let (k, l) = (code_index(pair.rejection), code_index(pair.other));
        assert_eq!(Component::ALL[k].side(), Side::Rejection);
        assert_ne!(Component::ALL[l].side(), Side::Rejection);
        assert!((pair.covariance - p.covariance(k, l)).abs() < 1e-15 && pair.covariance < 0.0);
        let rest = p.protection[k] * p.protection[l] * p.reliability_var;
        assert!(pair.through_autonomy.is_none(), "no autonomy factor in this file");
        assert!(
            (pair.through_hostility + pair.through_coercion + pair.through_shock + rest - pair.covariance).abs()
                < 1e-12
        );
        let w = e.components.iter().map(|c| c.weight).collect::<Vec<_>>();
        for (i, j) in (0..N).flat_map(|i| (0..N).map(move |j| (i, j))) {
            let cross = Component::ALL[i].side() == Side::Rejection && Component::ALL[j].side() != Side::Rejection;
            if cross && w[i] >= 0.02 && w[j] >= 0.02 {
                assert!(w[i] * w[j] * p.covariance(i, j) >= w[k] * w[l] * pair.covariance, "({i}, {j}) offsets more");
            }
        }
        let text = to_text(&e);
        assert!(text.contains("coerced") && text.contains("π_c = "), "{text}");
        assert!(e.sentences.join(" ").contains("offset each other most"), "{:?}", e.sentences);
    }

    /// Kuik's trilemma columns (DIV, AUT and sd_a) are shown only when in use, and then as the
    /// payoff used them: a_k is AUT_k, the doctrine table gains `div` and `aut`, and the world a
    /// line with sd_a.
    #[test]
    fn the_trilemma_columns_are_shown_only_when_in_use() {
        let e = explain_at(&dyad(), 1, 30);
        assert!(e.world.autonomy_sd.is_none());
        assert!(e.components.iter().all(|c| c.diversification.is_none() && c.autonomy_loading.is_none()));
        assert!(!to_text(&e).contains("autonomy factor"));
        let s = v2_static_with(&[("payoff", "autonomy_sd = 0.5\n"), ("doctrine.DD", "div = -0.75\naut = 0.8\n")]);
        let e = explain_at(&s, 1, 3);
        assert_eq!(e.world.autonomy_sd, Some(0.5));
        let dd = &e.components[Component::DominanceDenial.index()];
        assert_eq!((dd.diversification, dd.autonomy_loading), (Some(-0.75), Some(0.8)));
        let pw = &e.components[Component::PureBandwagoning.index()];
        assert_eq!((pw.diversification, pw.autonomy_loading), (Some(0.0), Some(0.0)));
        let p = run_to(&s, 1, 3).last.unwrap().payoff;
        assert_eq!(dd.shock_loading, p.shock[Component::DominanceDenial.index()]);
        let text = to_text(&e);
        assert!(text.contains("autonomy factor sd_a = 0.50") && text.contains("   div    aut"), "{text}");
        // The offset pair's covariance in its parts, Kuik's three risks among them.
        let pair = e.offset_pair.as_ref().expect("a pair offsets");
        let (k, l) = (code_index(pair.rejection), code_index(pair.other));
        let through_a = pair.through_autonomy.expect("the autonomy factor has variance");
        assert_eq!(through_a, p.autonomy[k] * p.autonomy[l] * 0.25);
        let protection = p.protection[k] * p.protection[l] * p.reliability_var;
        let parts = pair.through_hostility + pair.through_coercion + pair.through_shock + through_a + protection;
        assert!((parts - pair.covariance).abs() < 1e-12, "{parts} against {}", pair.covariance);
        assert!(e.sentences.join(" ").contains("through autonomy (political)"), "{:?}", e.sentences);
    }

    /// The regional factor's column (REG) and sd are shown only when in use, and the offset pair's
    /// covariance then has a part through it, which with the others sums to Σ_kl.
    #[test]
    fn the_regional_column_is_shown_only_when_in_use() {
        let e = explain_at(&dyad(), 1, 30);
        assert!(e.world.regional_sd.is_none() && e.components.iter().all(|c| c.regional_loading.is_none()));
        assert!(!to_text(&e).contains("regional factor") && e.offset_pair.is_none_or(|p| p.through_regional.is_none()));
        let mut tables = vec![("payoff".to_string(), "regional_sd = 0.5\n".to_string())];
        for (code, reg) in [("IB", 1.0), ("DD", 0.3), ("EP", -0.5), ("BE", -0.4), ("LB", -0.3)] {
            tables.push((format!("doctrine.{code}"), format!("reg = {reg}\n")));
        }
        let s = v2_static_with(&tables);
        let e = explain_at(&s, 1, 3);
        assert_eq!(e.world.regional_sd, Some(0.5));
        assert_eq!(e.components[Component::IndirectBalancing.index()].regional_loading, Some(1.0));
        assert_eq!(e.components[Component::PureBandwagoning.index()].regional_loading, Some(0.0));
        let text = to_text(&e);
        assert!(text.contains("regional factor sd_g = 0.50") && text.contains("   reg\n"), "{text}");
        let p = run_to(&s, 1, 3).last.unwrap().payoff;
        let pair = e.offset_pair.as_ref().expect("a pair offsets");
        let (k, l) = (code_index(pair.rejection), code_index(pair.other));
        let through_g = pair.through_regional.expect("the regional factor has variance");
        assert!(through_g != 0.0 && through_g == p.regional[k] * p.regional[l] * 0.25, "{through_g}");
        let protection = p.protection[k] * p.protection[l] * p.reliability_var;
        let parts = pair.through_hostility + pair.through_coercion + pair.through_shock + through_g + protection;
        assert!((parts - pair.covariance).abs() < 1e-12, "{parts} against {}", pair.covariance);
        assert!(e.sentences.join(" ").contains("through the region's diffuse risks"), "{:?}", e.sentences);
    }

    /// The exploitation exposure X is shown only when ν > 0, and it is the one the payoff used: at
    /// the first turn (same dependence and V with or without ν) it is the exposure at ν = 0 times
    /// (1 − ν) + ν·(1 − V).
    #[test]
    fn the_exploitation_exposure_is_shown_only_when_limited_to_what_can_be_resisted() {
        let e = explain_at(&dyad(), 1, 30);
        assert!(e.world.exploitation_exposure.is_none() && !to_text(&e).contains("exploitation exposure"));
        let plain = v2_static();
        let s = v2_static_with(&[("payoff", "exploitation_resistance = 0.6\n")]);
        let e = explain_at(&s, 1, 0);
        let x = e.world.exploitation_exposure.expect("shown when ν > 0");
        assert_eq!(x, run_to(&s, 1, 0).last.unwrap().payoff.exploitation_exposure);
        assert_eq!(e.world.exploitation_resistance, Some(0.6));
        let full = run_to(&plain, 1, 0).last.unwrap().payoff.exploitation_exposure;
        let v = e.world.vulnerability;
        assert!(v > 0.0 && v < 1.0 && (x - full * (0.4 + 0.6 * (1.0 - v))).abs() < 1e-12, "{x} {full} {v}");
        let text = to_text(&e);
        assert!(text.contains(&format!("exploitation exposure X = {x:.2}")), "{text}");
    }

    /// The mix's net provocation and the turn's scale of PROV are shown only when the great power
    /// answers the net provocation (ξ > 0), and they are the ones the payoff used: n of the mix
    /// before the decision, ς = 1 − ξ while it is negative.
    #[test]
    fn the_net_provocation_is_shown_only_when_the_great_power_answers_it() {
        let e = explain_at(&v2_static(), 1, 30);
        assert!(e.world.net_provocation.is_none() && !to_text(&e).contains("net provocation"));
        let s = v2_static_with(&[("payoff", "provocation_offset = 0.7\n")]);
        let mut seen = [false; 2];
        for turn in [0, 10, 30, 60] {
            let e = explain_at(&s, 1, turn);
            let world = run_to(&s, 1, turn);
            let n = e.world.net_provocation.expect("shown when ξ > 0");
            let mix_before = world.last.unwrap().mix_before;
            assert_eq!(n, world.payoff.doctrine.net_provocation(&mix_before));
            let scale = e.world.provocation_scale.unwrap();
            assert_eq!(scale, if n < 0.0 { 1.0 - 0.7 } else { 1.0 });
            assert_eq!(scale, world.last.unwrap().payoff.provocation_scale);
            seen[usize::from(n < 0.0)] = true;
            assert!(to_text(&e).contains(&format!("net provocation n = Σ w·PROV = {n:+.2}")), "{}", to_text(&e));
        }
        assert!(seen[1], "a deferring mix among the turns explained: {seen:?}");
    }

    /// The great power's attention is shown only when it scales the hostile world (φ > 0), with
    /// the reach in V and the loadings' scale the turn used: V recomputed with the shown reach is
    /// the shown V.
    #[test]
    fn the_attention_is_shown_only_when_it_scales_the_hostile_world() {
        let e = explain_at(&v2_static(), 1, 30);
        assert!(e.world.attention_weight.is_none() && !to_text(&e).contains("attention"));
        let mut s = v2_static_with(&[("payoff", "attention_scale = 0.8\n")]);
        s.set("great_power.focus", 0.6).unwrap();
        let e = explain_at(&s, 1, 30);
        let (reach, weight) = (e.world.attention_reach.unwrap(), e.world.attention_weight.unwrap());
        assert!((reach - (0.2 * 0.6 + 0.8)).abs() < 1e-15 && (weight - (0.2 + 0.8 * 0.6)).abs() < 1e-15);
        let w = &e.world;
        let v = crate::payoff::vulnerability(reach, w.cap, w.mil, w.third_power_capability, w.believed_reliability);
        assert_eq!(v, w.vulnerability);
        assert!(to_text(&e).contains(&format!("every hostility loading × {weight:.2}")), "{}", to_text(&e));
    }

    /// A coercion's common damage is shown only when the coercion factor carries it (ψ > 0), and
    /// it is the one the payoff used (χ·ψ·D, whose formula `payoff::tests` checks), by which
    /// every `coerced` entry stands below the one without it.
    #[test]
    fn the_coercion_damage_is_shown_only_when_the_factor_carries_it() {
        let plain = v2_static();
        let e0 = explain_at(&plain, 1, 0);
        assert!(e0.world.coercion_probability.is_some(), "the static v2 file has the coercion factor on");
        assert!(e0.world.coercion_damage.is_none() && !to_text(&e0).contains("whatever its mix"));
        let s = v2_static_with(&[("payoff", "coercion_damage = 0.5\n")]);
        let e = explain_at(&s, 1, 0);
        let d = e.world.coercion_damage.expect("shown when ψ > 0");
        assert!(d > 0.0);
        assert_eq!(d, run_to(&s, 1, 0).last.unwrap().payoff.coercion_damage);
        for (with, without) in e.components.iter().zip(&e0.components) {
            let (a, b) = (with.coercion_loading.unwrap(), without.coercion_loading.unwrap());
            assert!((b - a - d).abs() < 1e-12, "{a} {b} {d}");
        }
        assert!(to_text(&e).contains(&format!("a coercion costs {} {d:.2} whatever its mix", e.small_state)));
    }

    /// With k learned per unit of the reason given, `explain` shows G for the turn's mix, and the
    /// decision's exposure is E[θ]·focus times that G: the first turn's exposure is the one
    /// without the switch times G, with the same punishment seen. Off, nothing is shown.
    #[test]
    fn the_reason_given_scales_the_exposure_and_is_shown_only_when_learned_per_reason() {
        let text = include_str!("../../docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml");
        let plain = Scenario::parse(text, Path::new("v2.toml")).unwrap();
        let e0 = explain_at(&plain, 3, 0);
        assert!(e0.world.punishment_propensity.is_some() && e0.world.reason_given.is_none());
        assert!(!to_text(&e0).contains("reason given"));
        let per =
            text.replace("punishment_learning = true\n", "punishment_learning = true\npunishment_per_reason = true\n");
        let s = Scenario::parse(&per, Path::new("v2.toml")).unwrap();
        let e = explain_at(&s, 3, 0);
        let r = e.world.reason_given.expect("shown per reason");
        let mix = Mix(std::array::from_fn(|k| e.components[k].weight));
        assert_eq!(r, run_to(&s, 3, 0).payoff.doctrine.reason_given(&mix));
        assert!(r > 0.0 && r < 0.5, "a hedge provokes a fraction of pure balancing: {r}");
        let (a, b) =
            (run_to(&plain, 3, 0).small_state.beliefs.punishment, run_to(&s, 3, 0).small_state.beliefs.punishment);
        assert!(a.exposure > 0.0, "the great power decided on the first turn");
        assert_eq!((b.seen, b.exposure), (a.seen, a.exposure * r));
        assert!(
            to_text(&e)
                .contains(&format!("this mix gives G = {r:.2} of the most provocative option's grounds to punish"))
        );
    }

    fn run_to(s: &Scenario, seed: u64, turn: u32) -> World {
        let run = RunSpec { seed, stream: 0, scenario_sha256: "", settings: &[], turns: turn + 1 };
        let mut world = run.world(s);
        for _ in 0..=turn {
            world.step();
        }
        world
    }

    fn code_index(code: &str) -> usize {
        Component::ALL.iter().position(|c| c.code() == code).unwrap()
    }

    #[test]
    fn a_hedge_is_explained_by_its_offsetting_pair() {
        let s = dyad();
        let e = explain_at(&s, 1, 30);
        assert_eq!(e.label, "hedging");
        let text = e.sentences.join(" ");
        assert!(text.contains("offsetting the exploitation risk of"), "{text}");
        // The pair named has opposite hostility loadings, so their covariance through hostility is
        // negative: the risk-offset, in numbers. Here dominance denial against economic pragmatism.
        let dd = e.components.iter().find(|c| c.code == "DD").unwrap();
        let ep = e.components.iter().find(|c| c.code == "EP").unwrap();
        assert!(text.contains("Dominance denial keeps") && text.contains("exploitation risk of economic pragmatism"));
        assert!(dd.hostility_loading > 0.0 && ep.hostility_loading < 0.0);
    }
}
