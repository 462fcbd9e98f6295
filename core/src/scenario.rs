//! Scenario files (README, "The scenario format"; format 1): typed TOML that rejects unknown keys, validated
//! field by field, compiled into a template [`World`] that every run clones.
//!
//! Every error names the file, the line and column, and the field, because scenario files are
//! written by hand and a researcher should never have to guess what went wrong:
//!
//! ```text
//! scenarios/x.toml:12:7: small_state.cap: must be between 0 and 1, got 1.5
//! ```
//!
//! Ranges come from [`crate::fields`], the same table events and sweeps use; defaults come from
//! the model's own `Default` impls, so a default lives in exactly one place.

use crate::agents::small_state::StateBeliefs;
use crate::agents::{Dynamics, GreatPower, SmallState, ThirdPower};
use crate::beliefs::{Beta, HostilityBelief};
use crate::decision::{DecisionRule, Fixed, Hedge};
use crate::doctrine::Coefficient;
use crate::fields::{FieldPath, SCALARS, ThirdPowerField, check_signal};
pub use crate::input::InputError as ScenarioError;
use crate::input::{Locator, Seg, int_in, key, show_list, show_number};
use crate::payoff::PayoffParams;
use crate::rng::run_stream;
use crate::spectrum::{self, Component, Mix, N};
use crate::world::{Clock, DecisionParams, Event, World};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The scenario format this version reads.
pub const FORMAT: u32 = 1;
/// Longest run a scenario may ask for (a guard against typos such as `turns = 8000000`).
pub const MAX_TURNS: u32 = 100_000;
/// Most decision steps per turn.
pub const MAX_INNER_STEPS: u32 = 1000;
pub use crate::fields::MAX_SIGNAL;
/// Most third powers (each adds work to every turn and a column to every output).
pub const MAX_THIRD_POWERS: usize = 100;
pub use crate::input::MAX_EVENTS;

// ---------------------------------------------------------------------------------------------
// The file as written: every field optional but `meta.name`, unknown keys rejected.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    format: Option<i64>,
    meta: MetaFile,
    #[serde(default)]
    small_state: SmallStateFile,
    #[serde(default)]
    great_power: GreatPowerFile,
    #[serde(default)]
    third_powers: Vec<ThirdPowerFile>,
    #[serde(default)]
    beliefs: BeliefsFile,
    #[serde(default)]
    decision: DecisionFile,
    #[serde(default)]
    doctrine: BTreeMap<String, DoctrineRowFile>,
    #[serde(default)]
    payoff: PayoffFile,
    #[serde(default)]
    dynamics: DynamicsFile,
    #[serde(default)]
    events: Vec<EventFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sources: Vec<String>,
    start_year: Option<f64>,
    turns_per_year: Option<i64>,
    turns: Option<i64>,
    seed: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmallStateFile {
    name: Option<String>,
    cap: Option<f64>,
    mil: Option<f64>,
    dep: Option<f64>,
    gamma: Option<f64>,
    stakes: Option<f64>,
    eta: Option<f64>,
    imminence: Option<f64>,
    #[serde(default)]
    legit: BTreeMap<String, f64>,
    initial_mix: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GreatPowerFile {
    name: Option<String>,
    hostility: Option<f64>,
    focus: Option<f64>,
    /// The file's name for [`GreatPower::logit_sharpness`].
    beta: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThirdPowerFile {
    name: String,
    cap: Option<f64>,
    reliability: Option<f64>,
    affinity: Option<f64>,
    exclusivity: Option<f64>,
    support: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BeliefsFile {
    prior_hostility: Option<Vec<f64>>,
    prior_reliability: Option<Vec<f64>>,
    forgetting: Option<f64>,
    fluidity: Option<f64>,
    horizon: Option<f64>,
    reward_signal: Option<f64>,
    hold_signal: Option<f64>,
    pressure_signal: Option<f64>,
    coerce_signal: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionFile {
    rule: Option<String>,
    mix: Option<BTreeMap<String, f64>>,
    inner_steps: Option<i64>,
    floor: Option<f64>,
    imminence_weight: Option<f64>,
    rivalry: Option<f64>,
    label_threshold: Option<f64>,
    side_choice: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoctrineRowFile {
    ret: Option<f64>,
    depret: Option<f64>,
    ins: Option<f64>,
    prov: Option<f64>,
    expl: Option<f64>,
    prot: Option<f64>,
    shock: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayoffFile {
    idio: Option<f64>,
    shock_sd: Option<f64>,
    exploitation_base: Option<f64>,
    exploitation_dependence: Option<f64>,
    imminence_stakes: Option<f64>,
    rivalry_stakes: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DynamicsFile {
    imminence_decay: Option<f64>,
    support_rate: Option<f64>,
    military_rate: Option<f64>,
    military_decay: Option<f64>,
    dependence_rate: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    at: Option<f64>,
    turn: Option<i64>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    set: BTreeMap<String, f64>,
    #[serde(default)]
    shift: BTreeMap<String, f64>,
    hostile_signal: Option<f64>,
    #[serde(default)]
    reliability_signal: BTreeMap<String, f64>,
    imminence: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// The validated scenario.

/// The scenario's descriptive part.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub sources: Vec<String>,
    pub turns: u32,
    pub seed: u64,
}

/// Defaults of `[meta]`.
pub const DEFAULT_START_YEAR: f64 = 2000.0;
pub const DEFAULT_TURNS_PER_YEAR: u32 = 4;
pub const DEFAULT_TURNS: u32 = 80;
pub const DEFAULT_SEED: u64 = 1;

/// Third powers' defaults (the v1 reference model gives none; these describe a middling partner).
pub const DEFAULT_THIRD_POWER_CAP: f64 = 0.3;
pub const DEFAULT_THIRD_POWER_RELIABILITY: f64 = 0.5;
pub const DEFAULT_THIRD_POWER_AFFINITY: f64 = 0.2;
/// Prior belief about a partner's reliability, Beta(2, 2) (docs/model.md §3).
pub const DEFAULT_PRIOR_RELIABILITY: Beta = Beta::new(2.0, 2.0);

/// A validated scenario, ready to run any number of times.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from (or a name such as `<string>`).
    pub origin: PathBuf,
    pub meta: Meta,
    template: World,
}

impl Scenario {
    /// Validate scenario text; `origin` names it in errors. Reading a file is the `hedgesim`
    /// crate's `FromFile::from_file`, which hands its text here.
    pub fn parse(text: &str, origin: &Path) -> Result<Scenario, ScenarioError> {
        let doc = Locator::new(text, origin)?;
        if text.trim().is_empty() {
            return Err(doc.error_at(
                None,
                "",
                "the file is empty; a scenario needs at least `[meta]` with `name = \"…\"`",
            ));
        }
        if doc.has_top_key("scenario") && !doc.has_top_key("meta") {
            return Err(doc.error(
                &[key("scenario")],
                format!(
                    "this is a sweep file (it names a `scenario`), not a scenario; run it with \
                     `hedgesim sweep {} --out FOLDER`",
                    origin.display()
                ),
            ));
        }
        let file: ScenarioFile = toml::from_str(text).map_err(|e| doc.serde_error(&e))?;
        build(file, &doc).map(|(meta, template)| Scenario { origin: origin.to_path_buf(), meta, template })
    }

    /// The world of run `run_index` under `master_seed`, at turn 0.
    pub fn world(&self, master_seed: u64, run_index: u64) -> World {
        let mut w = self.template.clone();
        w.rng = run_stream(master_seed, run_index);
        w
    }

    /// The world of one sweep configuration: run `stream` under `master_seed`, with `overrides`
    /// set at turn 0 (values already checked against their ranges). Setting `small_state.dep`
    /// also sets `dep0`, because an axis over dependence varies the structural level the state
    /// drifts around, not a one-turn shock.
    pub fn world_with(&self, master_seed: u64, stream: u64, overrides: &[(FieldPath, f64)]) -> World {
        let mut w = self.world(master_seed, stream);
        for (path, value) in overrides {
            path.set(&mut w, *value);
            if let FieldPath::Scalar(s) = path
                && s.name == "small_state.dep"
            {
                w.small_state.dep0 = *value;
            }
        }
        w
    }

    /// Names of the third powers, in file order.
    pub fn third_power_names(&self) -> Vec<&str> {
        self.template.third_powers.iter().map(|t| t.name.as_str()).collect()
    }

    pub fn events(&self) -> &[Event] {
        &self.template.events
    }

    pub fn clock(&self) -> Clock {
        self.template.clock
    }

    pub fn small_state_name(&self) -> &str {
        &self.template.small_state.name
    }

    pub fn great_power_name(&self) -> &str {
        &self.template.great_power.name
    }
}

/// Whether `c` would change how the text around it is shown: a control character (NUL, a line
/// break, an escape sequence's ESC) or a bidirectional override or isolate, which can make a
/// CSV header or a terminal line read differently from what it holds.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Names and labels are written into CSV headers, tables and the terminal as they are: they must
/// be printable text on one line.
fn printable(text: &str, path: &[Seg], doc: &Locator) -> Result<(), ScenarioError> {
    match text.chars().find(|c| is_unprintable(*c)) {
        None => Ok(()),
        Some(c) => Err(doc.error(
            path,
            format!(
                "contains the unprintable character U+{:04X}; names and labels are printable text on one line",
                u32::from(c)
            ),
        )),
    }
}

fn opt_f64(v: Option<f64>, default: f64) -> f64 {
    v.unwrap_or(default)
}

/// Build a mix from `{ CODE = weight }`, naming the first bad key or value.
fn parse_mix(map: &BTreeMap<String, f64>, base: &[Seg], doc: &Locator) -> Result<Mix, ScenarioError> {
    let mut w = [0.0; N];
    for (code, v) in map {
        let mut path = base.to_vec();
        path.push(key(code));
        let c = Component::from_code(code).ok_or_else(|| {
            doc.error(&path, format!("unknown component `{code}`; expected one of {}", spectrum::codes()))
        })?;
        if !v.is_finite() || *v < 0.0 {
            return Err(doc.error(&path, format!("must be a finite, non-negative weight, got {}", show_number(*v))));
        }
        w[c.index()] = *v;
    }
    // Weights near f64::MAX sum to infinity: rescale them first (only then, so that ordinary
    // weights normalise exactly as before).
    if !w.iter().sum::<f64>().is_finite() {
        let max = w.iter().copied().fold(0.0, f64::max);
        w = w.map(|x| x / max);
    }
    Mix::normalised(w).ok_or_else(|| doc.error(base, "weights must not all be zero"))
}

fn positive_pair(v: &Option<Vec<f64>>, default: Beta, path: &[Seg], doc: &Locator) -> Result<Beta, ScenarioError> {
    match v {
        None => Ok(default),
        Some(p) if p.len() == 2 && p.iter().all(|x| x.is_finite() && *x > 0.0 && *x <= 1e6) => {
            Ok(Beta::new(p[0], p[1]))
        }
        Some(p) => Err(doc.error(
            path,
            format!("must be two numbers [a, b] of a Beta prior, each above 0 and at most 1e6, got {}", show_list(p)),
        )),
    }
}
fn build(f: ScenarioFile, doc: &Locator) -> Result<(Meta, World), ScenarioError> {
    if let Some(v) = f.format
        && v != i64::from(FORMAT)
    {
        return Err(doc.error(
            &[key("format")],
            format!("unsupported format {v}; this version of hedgesim reads format {FORMAT}"),
        ));
    }
    let m = &f.meta;
    if m.name.trim().is_empty() {
        return Err(doc.error(&[key("meta"), key("name")], "must not be empty"));
    }
    printable(&m.name, &[key("meta"), key("name")], doc)?;
    for (table, name) in [("small_state", &f.small_state.name), ("great_power", &f.great_power.name)] {
        if let Some(name) = name {
            printable(name, &[key(table), key("name")], doc)?;
        }
    }
    let start_year = opt_f64(m.start_year, DEFAULT_START_YEAR);
    if !start_year.is_finite() || start_year.abs() > 1e5 {
        return Err(doc.error(
            &[key("meta"), key("start_year")],
            format!("must be a finite calendar year, got {}", show_number(start_year)),
        ));
    }
    let turns_per_year =
        int_in(m.turns_per_year, DEFAULT_TURNS_PER_YEAR, 1, 366, &[key("meta"), key("turns_per_year")], doc)?;
    let turns = int_in(m.turns, DEFAULT_TURNS, 1, MAX_TURNS, &[key("meta"), key("turns")], doc)?;
    let meta = Meta {
        name: m.name.clone(),
        description: m.description.clone(),
        sources: m.sources.clone(),
        turns,
        seed: m.seed.unwrap_or(DEFAULT_SEED),
    };
    let clock = Clock { start_year, turns_per_year };

    // Small state.
    let d = SmallState::default();
    let s = &f.small_state;
    let mut legit = [0.0; N];
    for (code, v) in &s.legit {
        let path = [key("small_state"), key("legit"), key(code)];
        let c = Component::from_code(code).ok_or_else(|| {
            doc.error(&path, format!("unknown component `{code}`; expected one of {}", spectrum::codes()))
        })?;
        FieldPath::Legit(c).check(*v).map_err(|e| doc.error(&path, e))?;
        legit[c.index()] = *v;
    }
    let mix = match &s.initial_mix {
        Some(map) => parse_mix(map, &[key("small_state"), key("initial_mix")], doc)?,
        None => Mix::uniform(),
    };
    let dep = opt_f64(s.dep, d.dep);
    let mut small_state = SmallState {
        name: s.name.clone().unwrap_or(d.name),
        cap: opt_f64(s.cap, d.cap),
        mil: opt_f64(s.mil, d.mil),
        dep,
        dep0: dep,
        gamma: opt_f64(s.gamma, d.gamma),
        stakes: opt_f64(s.stakes, d.stakes),
        eta: opt_f64(s.eta, d.eta),
        legit,
        imminence: opt_f64(s.imminence, d.imminence),
        mix,
        beliefs: d.beliefs,
    };

    let g = GreatPower::default();
    let great_power = GreatPower {
        name: f.great_power.name.clone().unwrap_or(g.name),
        hostility: opt_f64(f.great_power.hostility, g.hostility),
        focus: opt_f64(f.great_power.focus, g.focus),
        logit_sharpness: opt_f64(f.great_power.beta, g.logit_sharpness),
    };

    // Beliefs.
    let hb = HostilityBelief::default();
    let b = &f.beliefs;
    let prior = positive_pair(&b.prior_hostility, hb.prior, &[key("beliefs"), key("prior_hostility")], doc)?;
    let prior_reliability = positive_pair(
        &b.prior_reliability,
        DEFAULT_PRIOR_RELIABILITY,
        &[key("beliefs"), key("prior_reliability")],
        doc,
    )?;
    let hostility_belief = HostilityBelief {
        belief: prior,
        prior,
        forgetting: opt_f64(b.forgetting, hb.forgetting),
        fluidity: opt_f64(b.fluidity, hb.fluidity),
        horizon: opt_f64(b.horizon, hb.horizon),
        action_signals: [
            opt_f64(b.reward_signal, hb.action_signals[0]),
            opt_f64(b.hold_signal, hb.action_signals[1]),
            opt_f64(b.pressure_signal, hb.action_signals[2]),
            opt_f64(b.coerce_signal, hb.action_signals[3]),
        ],
    };

    // Third powers.
    if f.third_powers.len() > MAX_THIRD_POWERS {
        return Err(doc.error(
            &[key("third_powers"), Seg::Index(MAX_THIRD_POWERS)],
            format!(
                "the scenario has {} third powers, more than the limit of {MAX_THIRD_POWERS}",
                f.third_powers.len()
            ),
        ));
    }
    let mut third_powers: Vec<ThirdPower> = Vec::with_capacity(f.third_powers.len());
    for (i, t) in f.third_powers.iter().enumerate() {
        let path = [key("third_powers"), Seg::Index(i), key("name")];
        if t.name.trim().is_empty() || t.name.contains('.') {
            return Err(doc.error(
                &path,
                "must be a non-empty name without dots (it is used in paths such as third_powers.<name>.reliability)",
            ));
        }
        printable(&t.name, &path, doc)?;
        if third_powers.iter().any(|o| o.name == t.name) {
            return Err(doc.error(&path, format!("duplicate third power `{}`; names must be unique", t.name)));
        }
        let affinity = opt_f64(t.affinity, DEFAULT_THIRD_POWER_AFFINITY);
        third_powers.push(ThirdPower {
            name: t.name.clone(),
            cap: opt_f64(t.cap, DEFAULT_THIRD_POWER_CAP),
            reliability: opt_f64(t.reliability, DEFAULT_THIRD_POWER_RELIABILITY),
            affinity,
            exclusivity: opt_f64(t.exclusivity, 0.0),
            support: opt_f64(t.support, affinity),
        });
    }
    small_state.beliefs =
        StateBeliefs { hostility: hostility_belief, reliability: vec![prior_reliability; third_powers.len()] };

    // Decision.
    let dd = DecisionParams::default();
    let dec = &f.decision;
    let decision = DecisionParams {
        inner_steps: int_in(
            dec.inner_steps,
            dd.inner_steps,
            0,
            MAX_INNER_STEPS,
            &[key("decision"), key("inner_steps")],
            doc,
        )?,
        floor: opt_f64(dec.floor, dd.floor),
        imminence_weight: opt_f64(dec.imminence_weight, dd.imminence_weight),
        rivalry: opt_f64(dec.rivalry, dd.rivalry),
        label_threshold: opt_f64(dec.label_threshold, dd.label_threshold),
        side_choice: dec.side_choice.unwrap_or(dd.side_choice),
    };
    let rule: Arc<dyn DecisionRule> = match (dec.rule.as_deref().unwrap_or("hedge"), &dec.mix) {
        ("hedge", None) => Arc::new(Hedge),
        ("hedge", Some(_)) => {
            return Err(
                doc.error(&[key("decision"), key("mix")], "a scripted `mix` is only used with rule = \"fixed\"")
            );
        }
        ("fixed", Some(map)) => Arc::new(Fixed { mix: parse_mix(map, &[key("decision"), key("mix")], doc)? }),
        ("fixed", None) => {
            return Err(
                doc.error(&[key("decision"), key("rule")], "rule = \"fixed\" needs `mix = { … }`, the scripted policy")
            );
        }
        (other, _) => {
            return Err(doc.error(
                &[key("decision"), key("rule")],
                format!("unknown rule `{other}`; expected \"hedge\" or \"fixed\""),
            ));
        }
    };

    // Payoff model and doctrine.
    let pd = PayoffParams::default();
    let mut payoff = PayoffParams {
        doctrine: pd.doctrine,
        idio: opt_f64(f.payoff.idio, pd.idio),
        shock_sd: opt_f64(f.payoff.shock_sd, pd.shock_sd),
        exploitation_base: opt_f64(f.payoff.exploitation_base, pd.exploitation_base),
        exploitation_dependence: opt_f64(f.payoff.exploitation_dependence, pd.exploitation_dependence),
        imminence_stakes: opt_f64(f.payoff.imminence_stakes, pd.imminence_stakes),
        rivalry_stakes: opt_f64(f.payoff.rivalry_stakes, pd.rivalry_stakes),
    };
    for (code, row) in &f.doctrine {
        let c = Component::from_code(code).ok_or_else(|| {
            doc.error(
                &[key("doctrine"), key(code)],
                format!("unknown component `{code}`; expected one of {}", spectrum::codes()),
            )
        })?;
        let values = [row.ret, row.depret, row.ins, row.prov, row.expl, row.prot, row.shock];
        for (coef, v) in Coefficient::ALL.into_iter().zip(values) {
            if let Some(v) = v {
                let path = [key("doctrine"), key(code), key(coef.key())];
                FieldPath::Doctrine(c, coef).check(v).map_err(|e| doc.error(&path, e))?;
                *payoff.doctrine.row_mut(c).get_mut(coef) = v;
            }
        }
    }

    let dy = Dynamics::default();
    let dynamics = Dynamics {
        imminence_decay: opt_f64(f.dynamics.imminence_decay, dy.imminence_decay),
        support_rate: opt_f64(f.dynamics.support_rate, dy.support_rate),
        military_rate: opt_f64(f.dynamics.military_rate, dy.military_rate),
        military_decay: opt_f64(f.dynamics.military_decay, dy.military_decay),
        dependence_rate: opt_f64(f.dynamics.dependence_rate, dy.dependence_rate),
    };

    let mut world = World::new(
        small_state,
        great_power,
        third_powers,
        decision,
        payoff,
        dynamics,
        clock,
        rule,
        Arc::from(Vec::new()),
        run_stream(meta.seed, 0),
    );

    // Ranges of every scalar, from the one table (dep0 mirrors dep, so it is skipped).
    for s in SCALARS.iter().filter(|s| s.name != "small_state.dep0") {
        let path: Vec<Seg> = s.name.split('.').map(key).collect();
        FieldPath::Scalar(s).check((s.get)(&world)).map_err(|e| doc.error(&path, e))?;
    }
    for (i, _) in world.third_powers.iter().enumerate() {
        for field in ThirdPowerField::ALL {
            let p = FieldPath::ThirdPower(i, field);
            let path = [key("third_powers"), Seg::Index(i), key(field.key())];
            p.check(p.get(&world)).map_err(|e| doc.error(&path, e))?;
        }
    }

    // Events, resolved against this world's names and dated on its clock.
    let names: Vec<String> = world.third_powers.iter().map(|t| t.name.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if f.events.len() > MAX_EVENTS {
        return Err(doc.error(
            &[key("events"), Seg::Index(MAX_EVENTS)],
            format!("the scenario has {} events, more than the limit of {MAX_EVENTS}", f.events.len()),
        ));
    }
    let mut events = Vec::with_capacity(f.events.len());
    for (i, e) in f.events.iter().enumerate() {
        events.push(build_event(i, e, &clock, turns, &names, doc)?);
    }
    events.sort_by_key(|e| e.turn); // stable: file order within a turn
    world.events = Arc::from(events);
    Ok((meta, world))
}

fn build_event(
    i: usize,
    e: &EventFile,
    clock: &Clock,
    turns: u32,
    names: &[&str],
    doc: &Locator,
) -> Result<Event, ScenarioError> {
    let at = |k: &str| [key("events"), Seg::Index(i), key(k)];
    let whole = [key("events"), Seg::Index(i)];
    printable(&e.label, &at("label"), doc)?;
    let last_year = clock.year(turns - 1);
    let turn = match (e.at, e.turn) {
        (Some(_), Some(_)) => return Err(doc.error(&whole, "give either `at` (calendar time) or `turn`, not both")),
        (None, None) => {
            return Err(doc.error(&whole, "an event needs a date: `at = 2008.6` (calendar time) or `turn = 22`"));
        }
        (Some(y), None) => {
            let t = clock.turn_of(y);
            if !y.is_finite() || t < 0.0 || t >= f64::from(turns) {
                return Err(doc.error(
                    &at("at"),
                    // What is accepted, said exactly: any time in a turn belongs to it, so the
                    // scenario covers its start up to, not including, the end of its last turn.
                    format!(
                        "{} is outside the scenario, whose {turns} turns cover {} up to (not including) {}: the \
                         last turn starts at {}; move the event or extend `meta.turns`",
                        show_number(y),
                        show_number(clock.start_year),
                        show_number(clock.year(turns)),
                        show_number(last_year)
                    ),
                ));
            }
            t as u32
        }
        (None, Some(t)) => {
            if t < 0 || t >= i64::from(turns) {
                return Err(doc.error(
                    &at("turn"),
                    format!("turn {t} is outside the scenario, which has turns 0 to {}; move the event or extend `meta.turns`", turns - 1),
                ));
            }
            t as u32
        }
    };
    let resolve =
        |table: &str, map: &BTreeMap<String, f64>, absolute: bool| -> Result<Vec<(FieldPath, f64)>, ScenarioError> {
            let mut out = Vec::with_capacity(map.len());
            for (p, v) in map {
                let path = [key("events"), Seg::Index(i), key(table), key(p)];
                let fp = FieldPath::parse(p, names).map_err(|msg| doc.error(&path, msg))?;
                if absolute {
                    fp.check(*v).map_err(|msg| doc.error(&path, msg))?;
                } else if !v.is_finite() {
                    return Err(doc.error(&path, format!("must be a finite number, got {}", show_number(*v))));
                }
                out.push((fp, *v));
            }
            Ok(out)
        };
    let set = resolve("set", &e.set, true)?;
    let shift = resolve("shift", &e.shift, false)?;
    if let Some(v) = e.hostile_signal {
        check_signal(v).map_err(|msg| doc.error(&at("hostile_signal"), msg))?;
    }
    let mut reliability_signal = Vec::with_capacity(e.reliability_signal.len());
    for (name, v) in &e.reliability_signal {
        let path = [key("events"), Seg::Index(i), key("reliability_signal"), key(name)];
        let idx = names.iter().position(|n| n == name).ok_or_else(|| {
            doc.error(
                &path,
                format!(
                    "no third power named `{name}`; the scenario has {}",
                    if names.is_empty() { "none".to_string() } else { names.join(", ") }
                ),
            )
        })?;
        check_signal(*v).map_err(|msg| doc.error(&path, msg))?;
        reliability_signal.push((idx, *v));
    }
    if let Some(v) = e.imminence
        && !(0.0..=1.0).contains(&v)
    {
        return Err(doc.error(&at("imminence"), format!("must be between 0 and 1, got {}", show_number(v))));
    }
    Ok(Event {
        turn,
        label: e.label.clone(),
        set,
        shift,
        hostile_signal: e.hostile_signal,
        reliability_signal,
        imminence: e.imminence,
    })
}
