//! Scenario files (README, "The scenario format"; formats 1 and 2): TOML that rejects unknown keys,
//! validated field by field, compiled into a template [`World`] that every run clones.
//!
//! Every error names the file, the line and column, and the field, because scenario files are
//! written by hand and a researcher should never have to guess what went wrong:
//!
//! ```text
//! scenarios/x.toml:12:7: small_state.cap: must be between 0 and 1, got 1.5
//! ```
//!
//! The numbers come from the parameter schema ([`crate::schema`]): a section's keys that are not
//! names, mixes, priors or events are looked up there as `<section>.<key>`, checked against the
//! row's kind and range and set through it, on a world that starts at the schema's defaults.

use crate::beliefs::{Beta, DEFAULT_PRIOR_RELIABILITY};
use crate::decision::Rule;
use crate::input::{Locator, Seg, int_in, key, show_list, show_number};
use crate::param::{Family, Init, Kind};
use crate::rng::run_stream;
use crate::schema::{self, FieldPath, ParamRow, check_signal};
use crate::spectrum::{self, Component, Mix, N};
use crate::vocabulary::{EventType, Target, VOCABULARY};
use crate::world::{Clock, Event, World};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::input::InputError as ScenarioError;
pub use crate::input::MAX_EVENTS;
pub use crate::schema::{MAX_INNER_STEPS, MAX_SIGNAL};
pub use crate::world::{DEFAULT_START_YEAR, DEFAULT_TURNS_PER_YEAR};

/// The scenario format `hedgesim init` writes, and the sweep files' format.
pub const FORMAT: u32 = 1;
/// The scenario formats this version reads (docs/model.md, "Time scale"): 1, rates per turn
/// (model v1), and 2, every rate per year, converted by `meta.turns_per_year`.
pub use crate::param::Format;
/// Longest run a scenario may ask for (a guard against typos such as `turns = 8000000`).
pub const MAX_TURNS: u32 = 100_000;
/// Most third powers (each adds work to every turn and a column to every output).
pub const MAX_THIRD_POWERS: usize = 100;

// ---------------------------------------------------------------------------------------------
// The file as written: every field optional but `meta.name`, unknown keys rejected. The numbers
// of a section are its `params`, checked against the schema in `build`.

/// A section's parameters as written, keyed as in the file.
type Params = BTreeMap<String, toml::Value>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    format: Option<i64>,
    meta: MetaFile,
    #[serde(default)]
    small_state: SmallStateFile,
    #[serde(default)]
    great_power: NamedFile,
    #[serde(default)]
    third_powers: Vec<ThirdPowerFile>,
    #[serde(default)]
    beliefs: BeliefsFile,
    #[serde(default)]
    decision: DecisionFile,
    #[serde(default)]
    doctrine: BTreeMap<String, Params>,
    #[serde(default)]
    payoff: Params,
    #[serde(default)]
    dynamics: Params,
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
struct SmallStateFile {
    name: Option<String>,
    #[serde(default)]
    legit: BTreeMap<String, f64>,
    initial_mix: Option<BTreeMap<String, f64>>,
    #[serde(flatten)]
    params: Params,
}

/// A section with a name and parameters: `[great_power]`.
#[derive(Debug, Default, Deserialize)]
struct NamedFile {
    name: Option<String>,
    #[serde(flatten)]
    params: Params,
}

#[derive(Debug, Deserialize)]
struct ThirdPowerFile {
    name: String,
    #[serde(flatten)]
    params: Params,
}

#[derive(Debug, Default, Deserialize)]
struct BeliefsFile {
    prior_hostility: Option<Vec<f64>>,
    prior_reliability: Option<Vec<f64>>,
    #[serde(flatten)]
    params: Params,
}

#[derive(Debug, Default, Deserialize)]
struct DecisionFile {
    rule: Option<String>,
    mix: Option<BTreeMap<String, f64>>,
    #[serde(flatten)]
    params: Params,
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
    /// A type of the vocabulary ([`crate::vocabulary`]): its effects are fixed, so the event names
    /// what happened, and `partner` or `component` where the type needs one.
    #[serde(rename = "type")]
    kind: Option<String>,
    partner: Option<String>,
    component: Option<String>,
}

impl EventFile {
    /// The free-number keys this event gives: what a typed event may not give.
    fn free_keys(&self) -> Vec<&'static str> {
        let given = [
            ("set", !self.set.is_empty()),
            ("shift", !self.shift.is_empty()),
            ("hostile_signal", self.hostile_signal.is_some()),
            ("reliability_signal", !self.reliability_signal.is_empty()),
            ("imminence", self.imminence.is_some()),
        ];
        given.into_iter().filter(|(_, g)| *g).map(|(k, _)| k).collect()
    }
}

/// An event's effects as a hand-written event gives them: the file's own numbers, or a typed
/// event's expansion. Both go through the same checks, so a typed event is exactly its expansion.
struct Effects {
    label: String,
    set: BTreeMap<String, f64>,
    shift: BTreeMap<String, f64>,
    hostile_signal: Option<f64>,
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

/// Defaults of `[meta]` beyond the clock's.
pub const DEFAULT_TURNS: u32 = 80;
pub const DEFAULT_SEED: u64 = 1;

/// A path that [`Scenario::get`] or [`Scenario::set`] could not use, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ParamError {
    pub path: String,
    pub message: String,
}

impl ParamError {
    fn new(path: &str, message: String) -> ParamError {
        ParamError { path: path.to_string(), message }
    }
}

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
    /// set at turn 0 (values already checked against their ranges) as the file would set them
    /// ([`schema::set_at_start`]: setting `small_state.dep` also sets `dep0`).
    pub fn world_with(&self, master_seed: u64, stream: u64, overrides: &[(FieldPath, f64)]) -> World {
        let mut w = self.world(master_seed, stream);
        for (path, value) in overrides {
            schema::set_at_start(&mut w, path, *value);
        }
        w
    }

    /// A parameter of the scenario by its path (`small_state.cap`, `third_powers.Ally.cap`,
    /// `doctrine.PB.prov`, `decision.inner_steps`), as the file set it or its default: for the
    /// Python package and the browser page.
    pub fn get(&self, path: &str) -> Result<f64, ParamError> {
        Ok(self.field(path)?.get(&self.template))
    }

    /// Change a parameter of the scenario by its path, checked against its kind and range with the
    /// messages a file gets; every world made afterwards starts from it. As in a file, setting
    /// `small_state.dep` also sets `dep0`.
    pub fn set(&mut self, path: &str, value: f64) -> Result<(), ParamError> {
        let field = self.field(path)?;
        field.check(value).map_err(|m| ParamError::new(path, m))?;
        let mut template = self.template.clone();
        schema::set_at_start(&mut template, &field, value);
        if let Some(m) = decisions_message(&template) {
            return Err(ParamError::new(path, m));
        }
        self.template = template;
        Ok(())
    }

    /// The field of `path` in this scenario, whatever its kind: resolved against its third
    /// powers' names and allowed by its format ([`in_format`]).
    pub fn field(&self, path: &str) -> Result<FieldPath, ParamError> {
        let field = schema::resolve(path, &self.third_power_names()).map_err(|m| ParamError::new(path, m))?;
        in_format(field.param, self.format()).map_err(|m| ParamError::new(path, m))?;
        Ok(field)
    }

    /// Resolve the path of a real-valued field in this scenario, as events, sweep axes and `--set`
    /// name them: against its third powers' names and allowed by its format ([`in_format`]).
    pub fn real_field(&self, path: &str) -> Result<FieldPath, String> {
        let field = FieldPath::parse(path, &self.third_power_names())?;
        in_format(field.param, self.format())?;
        Ok(field)
    }

    /// The format the scenario was written in: the unit of its rates, and of every value `get`,
    /// `set`, events, sweep axes and `--set` read or write.
    pub fn format(&self) -> Format {
        self.template.format()
    }

    /// Names of the third powers, in file order.
    pub fn third_power_names(&self) -> Vec<&str> {
        self.template.third_powers.iter().map(|t| t.name.as_str()).collect()
    }

    pub fn events(&self) -> &[Event] {
        &self.template.events
    }

    pub fn clock(&self) -> Clock {
        self.template.clock()
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

/// The component a file names by its code (`PB`), or an error at `path` listing the codes.
fn component(code: &str, path: &[Seg], doc: &Locator) -> Result<Component, ScenarioError> {
    Component::from_code(code)
        .ok_or_else(|| doc.error(path, format!("unknown component `{code}`; expected one of {}", spectrum::codes())))
}

/// Build a mix from `{ CODE = weight }`, naming the first bad key or value.
fn parse_mix(map: &BTreeMap<String, f64>, base: &[Seg], doc: &Locator) -> Result<Mix, ScenarioError> {
    let mut w = [0.0; N];
    for (code, v) in map {
        let mut path = base.to_vec();
        path.push(key(code));
        let c = component(code, &path, doc)?;
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
/// What the formats this version reads are, for the error on any other.
fn formats_read() -> String {
    "format 1 (rates per turn, model v1) and format 2 (every rate per year, converted by \
     `meta.turns_per_year`; docs/model.md §8b)"
        .to_string()
}

fn build(f: ScenarioFile, doc: &Locator) -> Result<(Meta, World), ScenarioError> {
    let format = match f.format {
        None => Format::V1,
        Some(v) => Format::from_number(v).ok_or_else(|| {
            doc.error(
                &[key("format")],
                format!("unsupported format {v}; this version of hedgesim reads {}", formats_read()),
            )
        })?,
    };
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
    let start_year = m.start_year.unwrap_or(DEFAULT_START_YEAR);
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
    // The format's defaults on the file's clock: every rate the file writes is converted on it.
    let mut world = World::defaults(format, Clock { start_year, turns_per_year });
    world.rng = run_stream(meta.seed, 0);

    // The small state.
    let s = &f.small_state;
    if let Some(name) = &s.name {
        world.small_state.name = name.clone();
    }
    set_params(&mut world, "small_state", 0, &s.params, &[key("small_state")], &["name", "legit", "initial_mix"], doc)?;
    for (code, v) in &s.legit {
        let path = [key("small_state"), key("legit"), key(code)];
        let c = component(code, &path, doc)?;
        let field =
            schema::resolve(&format!("small_state.legit.{}", c.code()), &[]).map_err(|e| doc.error(&path, e))?;
        field.check(*v).map_err(|e| doc.error(&path, e))?;
        field.set(&mut world, *v);
    }
    if let Some(map) = &s.initial_mix {
        world.small_state.mix = parse_mix(map, &[key("small_state"), key("initial_mix")], doc)?;
    }

    let g = &f.great_power;
    if let Some(name) = &g.name {
        world.great_power.name = name.clone();
    }
    set_params(&mut world, "great_power", 0, &g.params, &[key("great_power")], &["name"], doc)?;

    // Beliefs.
    let b = &f.beliefs;
    let hostility = &mut world.small_state.beliefs.hostility;
    let prior = positive_pair(&b.prior_hostility, hostility.prior, &[key("beliefs"), key("prior_hostility")], doc)?;
    (hostility.prior, hostility.belief) = (prior, prior);
    let prior_reliability = positive_pair(
        &b.prior_reliability,
        DEFAULT_PRIOR_RELIABILITY,
        &[key("beliefs"), key("prior_reliability")],
        doc,
    )?;
    set_params(&mut world, "beliefs", 0, &b.params, &[key("beliefs")], &["prior_hostility", "prior_reliability"], doc)?;

    // Third powers, each from the schema's defaults.
    if f.third_powers.len() > MAX_THIRD_POWERS {
        return Err(doc.error(
            &[key("third_powers"), Seg::Index(MAX_THIRD_POWERS)],
            format!(
                "the scenario has {} third powers, more than the limit of {MAX_THIRD_POWERS}",
                f.third_powers.len()
            ),
        ));
    }
    world.third_powers.reserve_exact(f.third_powers.len());
    for (i, t) in f.third_powers.iter().enumerate() {
        let path = [key("third_powers"), Seg::Index(i), key("name")];
        if t.name.trim().is_empty() || t.name.contains('.') {
            return Err(doc.error(
                &path,
                "must be a non-empty name without dots (it is used in paths such as third_powers.<name>.reliability)",
            ));
        }
        printable(&t.name, &path, doc)?;
        if world.third_powers.iter().any(|o| o.name == t.name) {
            return Err(doc.error(&path, format!("duplicate third power `{}`; names must be unique", t.name)));
        }
        world.third_powers.push(crate::agents::ThirdPower { name: t.name.clone(), ..Default::default() });
        schema::reset(&mut world, Family::ThirdPower, i);
        let at = [key("third_powers"), Seg::Index(i)];
        set_params(&mut world, "third_powers.<name>", i, &t.params, &at, &["name"], doc)?;
    }
    world.small_state.beliefs.reliability = vec![prior_reliability; world.third_powers.len()];
    world.small_state.beliefs.reliability_prior = prior_reliability;

    // The decision.
    let dec = &f.decision;
    set_params(&mut world, "decision", 0, &dec.params, &[key("decision")], &["rule", "mix"], doc)?;
    world.small_state.decision.rule = match (dec.rule.as_deref().unwrap_or("hedge"), &dec.mix) {
        ("hedge", None) => Rule::Hedge,
        ("hedge", Some(_)) => {
            return Err(
                doc.error(&[key("decision"), key("mix")], "a scripted `mix` is only used with rule = \"fixed\"")
            );
        }
        ("fixed", Some(map)) => Rule::Fixed(parse_mix(map, &[key("decision"), key("mix")], doc)?),
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

    // The payoff model, the doctrine table and the slow dynamics.
    set_params(&mut world, "payoff", 0, &f.payoff, &[key("payoff")], &[], doc)?;
    for (code, row) in &f.doctrine {
        let at = [key("doctrine"), key(code)];
        let c = component(code, &at, doc)?;
        set_params(&mut world, "doctrine.<component>", c.index(), row, &at, &[], doc)?;
    }
    set_params(&mut world, "dynamics", 0, &f.dynamics, &[key("dynamics")], &[], doc)?;

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
        events.push(build_event(i, e, &world.clock(), format, turns, &names, doc)?);
    }
    events.sort_by_key(|e| e.turn); // stable: file order within a turn
    world.events = Arc::from(events);
    // Said where the number comes from: the file's `actions_per_year`, or the clock that makes
    // format 2's default too many.
    let written = f.great_power.params.contains_key("actions_per_year");
    let at = if written { [key("great_power"), key("actions_per_year")] } else { [key("meta"), key("turns_per_year")] };
    decisions_fit_the_turns(&world, &at, doc)?;
    Ok((meta, world))
}

/// Set the numbers one section of the file gives (`section` as the schema writes it:
/// `small_state`, `third_powers.<name>`, `doctrine.<component>`; `member` for a family): each key
/// is looked up in the schema, its value checked against the row's kind and range, and set. A key
/// neither the schema nor the section's `typed` keys know is an error at the key, naming the
/// nearest and all. A row the file did not give that follows another (a partner's support, its
/// affinity; `dep0`, `dep`) then takes that row's value.
fn set_params(
    world: &mut World,
    section: &str,
    member: usize,
    given: &Params,
    at: &[Seg],
    typed: &[&str],
    doc: &Locator,
) -> Result<(), ScenarioError> {
    let rows = || schema::params().filter(move |p| p.section() == section);
    for (k, value) in given {
        let mut path = at.to_vec();
        path.push(key(k));
        let Some(p) = rows().find(|p| p.key() == k && p.in_file) else {
            let known: Vec<&str> = typed.iter().copied().chain(rows().filter(|p| p.in_file).map(|p| p.key())).collect();
            return Err(doc.key_error(&path, format!("unknown field `{k}`; {}", schema::suggest(k, &known))));
        };
        in_format(p, world.format()).map_err(|m| doc.error(&path, m))?;
        let v = number(value, p).map_err(|m| doc.error(&path, m))?;
        p.check(v).map_err(|m| doc.error(&path, m))?;
        (p.set)(world, member, v);
    }
    for p in rows().filter(|p| !given.contains_key(p.key())) {
        if let Init::Follows(_) = p.default {
            let v = p.default_in(world, member, schema::PARAMS, world.format());
            (p.set)(world, member, v);
        }
    }
    Ok(())
}

/// Whether a file of `format` may set row `p`: a format-2 field in a format-1 file is an error
/// that names the change.
pub fn in_format(p: &ParamRow, format: Format) -> Result<(), String> {
    if p.in_format(format) {
        Ok(())
    } else {
        Err(format!(
            "`{}` is a field of format 2 (every rate per year); this scenario is format {} (model v1: rates per \
             turn, without format 2's fields): write `format = 2` (and give its rates per year) to use it",
            p.path,
            format.number()
        ))
    }
}

/// The great power decides at most once a turn: a format-2 world whose `actions_per_year` exceeds
/// its turns a year would be capped at one decision a turn, a rate the file did not ask for, so
/// it is an error that says so.
fn decisions_fit_the_turns(world: &World, path: &[Seg], doc: &Locator) -> Result<(), ScenarioError> {
    match decisions_message(world) {
        None => Ok(()),
        Some(m) => Err(doc.error(path, m)),
    }
}

/// What is wrong when the great power's decisions do not fit the turns, if anything.
fn decisions_message(world: &World) -> Option<String> {
    let tpy = world.clock().turns_per_year;
    let per_year = world.great_power.decisions_per_turn * f64::from(tpy);
    (world.format() == Format::V2 && world.great_power.decisions_per_turn > 1.0).then(|| {
        format!(
            "the great power decides {} times a year (`great_power.actions_per_year`), but at {tpy} turns a year \
             it can decide at most once a turn ({tpy} times a year); lower `great_power.actions_per_year` to at \
             most {tpy} or raise `meta.turns_per_year` to at least {}",
            show_number(per_year),
            show_number(per_year.ceil())
        )
    })
}

/// A value of the file as a number of the row's kind, or what is wrong with its type (in the words
/// serde uses for the typed keys).
fn number(v: &toml::Value, p: &ParamRow) -> Result<f64, String> {
    match (p.kind, v) {
        (Kind::Real, toml::Value::Float(x)) => Ok(*x),
        (Kind::Real, toml::Value::Integer(i)) => Ok(*i as f64),
        (Kind::Integer, toml::Value::Integer(i)) => {
            let x = *i as f64;
            if x < p.min || x > p.max {
                // Said here, with the number as written: beyond 2^53 it would round on the way.
                return Err(format!("must be a whole number from {} to {}, got {i}", p.min, p.max));
            }
            Ok(x)
        }
        (Kind::Bool, toml::Value::Boolean(b)) => Ok(if *b { 1.0 } else { 0.0 }),
        (kind, v) => {
            let expected = match kind {
                Kind::Real => "a number",
                Kind::Integer => "a whole number",
                Kind::Bool => "true or false",
            };
            let found = match v {
                toml::Value::String(s) => format!("string {s:?}"),
                toml::Value::Integer(i) => format!("integer `{i}`"),
                toml::Value::Float(x) => format!("floating point `{x}`"),
                toml::Value::Boolean(b) => format!("boolean `{b}`"),
                toml::Value::Datetime(d) => format!("datetime `{d}`"),
                toml::Value::Array(_) => "an array".into(),
                toml::Value::Table(_) => "a table".into(),
            };
            Err(format!("invalid type: {found}, expected {expected}"))
        }
    }
}

fn build_event(
    i: usize,
    e: &EventFile,
    clock: &Clock,
    format: Format,
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
    let fx = effects(i, e, names, doc)?;
    let resolve =
        |table: &str, map: &BTreeMap<String, f64>, absolute: bool| -> Result<Vec<(FieldPath, f64)>, ScenarioError> {
            let mut out = Vec::with_capacity(map.len());
            for (p, v) in map {
                let path = [key("events"), Seg::Index(i), key(table), key(p)];
                let fp = FieldPath::parse(p, names).map_err(|msg| doc.error(&path, msg))?;
                in_format(fp.param, format).map_err(|msg| doc.error(&path, msg))?;
                if absolute {
                    fp.check(*v).map_err(|msg| doc.error(&path, msg))?;
                } else if !v.is_finite() {
                    return Err(doc.error(&path, format!("must be a finite number, got {}", show_number(*v))));
                }
                out.push((fp, *v));
            }
            Ok(out)
        };
    let set = resolve("set", &fx.set, true)?;
    let shift = resolve("shift", &fx.shift, false)?;
    if let Some(v) = fx.hostile_signal {
        check_signal(v).map_err(|msg| doc.error(&at("hostile_signal"), msg))?;
    }
    let mut reliability_signal = Vec::with_capacity(fx.reliability_signal.len());
    for (name, v) in &fx.reliability_signal {
        let path = [key("events"), Seg::Index(i), key("reliability_signal"), key(name)];
        let idx = names.iter().position(|n| n == name).ok_or_else(|| {
            doc.error(&path, format!("no third power named `{name}`; the scenario has {}", partner_list(names)))
        })?;
        check_signal(*v).map_err(|msg| doc.error(&path, msg))?;
        reliability_signal.push((idx, *v));
    }
    if let Some(v) = fx.imminence
        && !(0.0..=1.0).contains(&v)
    {
        return Err(doc.error(&at("imminence"), format!("must be between 0 and 1, got {}", show_number(v))));
    }
    Ok(Event {
        turn,
        label: fx.label,
        set,
        shift,
        hostile_signal: fx.hostile_signal,
        reliability_signal,
        imminence: fx.imminence,
    })
}

/// The effects of event `i`: its own numbers, or, with `type = "…"`, the vocabulary's fixed ones
/// for the `partner` or `component` it names. A typed event gives no numbers of its own (a file
/// that wants others writes a free-number event beside it), and a key its type does not take is
/// an error at that key, as is an unknown type (listing the vocabulary) or partner.
fn effects(i: usize, e: &EventFile, names: &[&str], doc: &Locator) -> Result<Effects, ScenarioError> {
    let at = |k: &str| [key("events"), Seg::Index(i), key(k)];
    let Some(kind) = &e.kind else {
        for (k, v) in [("partner", &e.partner), ("component", &e.component)] {
            if v.is_some() {
                return Err(doc.key_error(
                    &at(k),
                    format!(
                        "`{k}` names the target of a typed event; give the event a `type` that takes one ({}), or \
                         write its effects as numbers",
                        types_taking(if k == "partner" { Target::Partner } else { Target::Component })
                    ),
                ));
            }
        }
        return Ok(Effects {
            label: e.label.clone(),
            set: e.set.clone(),
            shift: e.shift.clone(),
            hostile_signal: e.hostile_signal,
            reliability_signal: e.reliability_signal.clone(),
            imminence: e.imminence,
        });
    };
    let Some(t) = EventType::find(kind) else {
        let known: Vec<&str> = VOCABULARY.iter().map(|t| t.name).collect();
        return Err(doc.error(
            &at("type"),
            format!(
                "unknown event type `{kind}`; {} (`hedgesim events` lists them with their effects)",
                schema::suggest(kind, &known)
            ),
        ));
    };
    if let Some(k) = e.free_keys().first() {
        return Err(doc.key_error(
            &at(k),
            format!(
                "a typed event's effects are fixed (`hedgesim events` lists those of `{kind}`); write free numbers \
                 in an event of their own, without `type`"
            ),
        ));
    }
    // The target: given exactly when the type takes it, and one the scenario has.
    for (k, target, given) in [("partner", Target::Partner, &e.partner), ("component", Target::Component, &e.component)]
    {
        match (t.target == target, given) {
            (true, None) => {
                let choices = if target == Target::Partner { partner_list(names) } else { spectrum::codes() };
                return Err(doc.error(
                    &[key("events"), Seg::Index(i)],
                    format!("event type `{kind}` needs `{k} = \"…\"`: one of {choices}"),
                ));
            }
            (false, Some(_)) => {
                let takes = t.target.key().map_or("nothing but its date and label".to_string(), |k| format!("`{k}`"));
                return Err(doc.key_error(&at(k), format!("event type `{kind}` takes no `{k}`; it takes {takes}")));
            }
            _ => {}
        }
    }
    let partner = match &e.partner {
        Some(name) if !names.contains(&name.as_str()) => {
            return Err(doc.error(
                &at("partner"),
                format!("no third power named `{name}`; the scenario has {}", partner_list(names)),
            ));
        }
        p => p.as_deref(),
    };
    let component = match &e.component {
        Some(code) => Some(component(code, &at("component"), doc)?),
        None => None,
    };
    let x = t.expand(partner, component);
    Ok(Effects {
        label: if e.label.is_empty() { t.title.to_string() } else { e.label.clone() },
        set: x.set.into_iter().collect(),
        shift: x.shift.into_iter().collect(),
        hostile_signal: x.hostile_signal,
        reliability_signal: x.reliability_signal.into_iter().collect(),
        imminence: x.imminence,
    })
}

/// The scenario's third powers, for a message: `Turkey, West`, or `none`.
fn partner_list(names: &[&str]) -> String {
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}

/// The vocabulary's types that take `target`, for a message.
fn types_taking(target: Target) -> String {
    VOCABULARY.iter().filter(|t| t.target == target).map(|t| t.name).collect::<Vec<_>>().join(", ")
}
