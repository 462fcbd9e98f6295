//! The stylized facts as data and code: what the model must reproduce, each with its statement and
//! source, the scenario changes of its treatment and control, its measurement over seeds, its
//! threshold and the region of parameters where it applies.
//!
//! A fact is a small experiment. Its *arms* (a control and one or more treatments) are the scenario
//! under test with events added or a line replaced, or a scenario of the fact's own (SF2's state
//! under a held threat), each with settings on top (`small_state.gamma = 9`). Every arm is played
//! over the same seeds, so a treatment and its control share every random draw (common random
//! numbers) and their difference is the treatment's effect alone. The measurement reads the arms'
//! records and says whether the fact holds, by how much (its *margin*, ≥ 0 when it holds for the
//! facts stated with `≥`), and in numbers a reader can check.
//!
//! A *point* is a setting of some parameters (a sweep's axes, `small_state.cap = 0.05`), applied to
//! every arm before the arm's own settings. A fact may apply only in a *region* of points (SF2a: a
//! weak state whose ally is unreliable); the region is part of the fact's definition, written
//! before any run.
//!
//! [`catalogue`] lists the facts: SF1–SF9 of the v1 calibration (tests/stylized_facts.rs checks
//! them on the 27-point grid) and the measurable forms of model v2's properties 1–3
//! (docs/calibration/v2-design.md) and of its "no balancing without a threat" (P1–P4), the
//! yardstick of the v2 calibration. [`over_box`] checks every fact over a design of points
//! (`hedgesim facts`).

pub mod catalogue;
pub mod over_box;

pub use catalogue::{all, find};

use crate::scenario::Scenario;
use crate::schema::FieldPath;
use crate::spectrum::{Component, Label, Mix, Side};
use crate::world::TurnRecord;
use hedgesim_core::explain::offset_pair;
use std::path::{Path, PathBuf};

/// The turns every fact reads: events land at turn 40, windows end at turn 79.
pub const TURNS: u32 = 80;

/// One stylized fact.
pub struct Fact {
    /// Short id: `SF1`…`SF9` (the v1 calibration's numbering), `P1a`… (model v2's properties,
    /// docs/calibration/v2-design.md).
    pub id: &'static str,
    /// What it says, in the theory's words.
    pub name: &'static str,
    /// Where it comes from (author, title or passage, year).
    pub source: &'static str,
    /// What is measured and what it needs, in words (the code is [`Fact::measure`]).
    pub threshold: &'static str,
    /// The control first, then the treatments: each played over the same seeds.
    pub arms: Vec<Arm>,
    /// Reads the arms' runs (in the order of `arms`) and says whether the fact holds.
    pub measure: fn(&[Runs]) -> Measure,
    /// Where the fact applies; `None`: everywhere.
    pub region: Option<Region>,
}

/// Where a fact applies, as a predicate over a point's parameters.
pub struct Region {
    /// The region in words (`cap ≤ 0.2 and the ally's reliability ≤ 0.5`).
    pub text: &'static str,
    pub contains: fn(&Params) -> bool,
}

/// One arm of a fact: a scenario and settings on top of the point.
#[derive(Debug, Clone)]
pub struct Arm {
    pub scenario: Variant,
    pub settings: Vec<Setting>,
}

impl Arm {
    /// The scenario under test as it is.
    pub fn control() -> Arm {
        Arm { scenario: Variant::AsIs, settings: Vec::new() }
    }

    /// The scenario under test with `toml` appended (events); `{ally}` in it is the name of the
    /// scenario's first third power.
    pub fn with(toml: &'static str) -> Arm {
        Arm { scenario: Variant::Appended(toml), settings: Vec::new() }
    }

    /// The scenario under test with settings on top of the point.
    pub fn set(settings: Vec<Setting>) -> Arm {
        Arm { scenario: Variant::AsIs, settings }
    }
}

/// The scenario an arm plays.
#[derive(Debug, Clone)]
pub enum Variant {
    /// The scenario under test.
    AsIs,
    /// The scenario under test with TOML appended (`[[events]]` tables).
    Appended(&'static str),
    /// The scenario under test with one piece of its text replaced: SF3's scripted mixes replace
    /// `rule = "hedge"`. The text must be there, or the arm would silently play the control.
    Replaced { from: &'static str, to: &'static str },
    /// A scenario of the fact's own (SF2's state under a held threat), whatever the scenario
    /// under test; `name` tells arms apart.
    Own { name: &'static str, text: fn() -> String },
}

/// A setting of an arm, applied after the point's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// `path = value`.
    Set(&'static str, f64),
    /// `path = the point's value + delta` (SF9: dependence 0.3 above the point's).
    Add(&'static str, f64),
}

/// What a fact's measurement found.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub holds: bool,
    /// How far the headline measure is from its threshold, signed so that the worst points have
    /// the lowest margin (≥ 0 where a fact stated with `≥` holds).
    pub margin: f64,
    /// The numbers measured, as a reader checks them (`0.83 0.91`).
    pub detail: String,
    /// A category the box run counts (P2a: the component with the largest mean weight).
    pub category: Option<&'static str>,
}

/// One turn of one run as a fact sees it: the record, and what the turn's payoff model says about
/// the risk-offset (v2 property 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Turn {
    pub record: TurnRecord,
    /// `w_Aᵀ Σ w_R`: the covariance of the planned payoffs of the mix's acceptance side and its
    /// rejection side under the turn's payoff model; negative is Kuik's risk-offset.
    pub sides_covariance: f64,
    /// π_c, the chance of punishment the turn's decision planned with (0 while the coercion
    /// channel is off).
    pub believed_punishment: f64,
    /// Whether the main offset pair `explain` names ([`offset_pair`]) is a cross-side pair (a
    /// rejection component against an acceptance one, not economic pragmatism); `None` if no pair
    /// covaries negatively.
    pub cross_side_pair: Option<bool>,
    /// `[w_Aᵀh, w_Rᵀh]` under the turn's payoff model ([`crate::payoff::PayoffModel::sides_hostility`]):
    /// acceptance losing and rejection insuring in the hostile world is Kuik's direction (P1c).
    pub side_hostility: [f64; 2],
    /// `[w_Aᵀa, w_Rᵀa]` on the autonomy factor ([`crate::payoff::PayoffModel::sides_autonomy`]):
    /// acceptance losing and rejection keeping autonomy is Kuik's direction on the political risk
    /// (P1d).
    pub side_autonomy: [f64; 2],
}

/// The runs of one arm: one `Vec<Turn>` per seed, in seed order.
pub type Runs = Vec<Vec<Turn>>;

/// A record as the measurement helpers read it: a bare [`TurnRecord`] (the integration tests') or
/// a fact's [`Turn`].
pub trait Observed {
    fn record(&self) -> &TurnRecord;
}

impl Observed for TurnRecord {
    fn record(&self) -> &TurnRecord {
        self
    }
}

impl Observed for Turn {
    fn record(&self) -> &TurnRecord {
        &self.record
    }
}

/// Mean over runs and over turns `[from, to)` of `f`.
pub fn mean<T: Observed>(runs: &[Vec<T>], from: usize, to: usize, f: impl Fn(&TurnRecord) -> f64) -> f64 {
    let n = (runs.len() * (to - from)) as f64;
    runs.iter().map(|r| r[from..to].iter().map(|t| f(t.record())).sum::<f64>()).sum::<f64>() / n
}

/// Share of `runs` whose record at `turn` satisfies `pred`.
pub fn share_of<T: Observed>(runs: &[Vec<T>], turn: usize, pred: impl Fn(&TurnRecord) -> bool) -> f64 {
    runs.iter().filter(|r| pred(r[turn].record())).count() as f64 / runs.len() as f64
}

pub fn is_hedging(r: &TurnRecord) -> bool {
    r.label.is_hedging()
}

pub fn is_bandwagoning(r: &TurnRecord) -> bool {
    r.label == Label::Bandwagoning
}

pub fn is_balancing(r: &TurnRecord) -> bool {
    r.label == Label::Balancing
}

/// Which runs a fact plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeds {
    /// Run r uses master seed r, stream 0: the seeds of the grid tests since v1.
    Masters(u64),
    /// Run r uses stream r of `master`: a sweep's replication r under common random numbers.
    Streams { master: u64, count: u32 },
}

impl Seeds {
    pub fn count(&self) -> u64 {
        match *self {
            Seeds::Masters(n) => n,
            Seeds::Streams { count, .. } => u64::from(count),
        }
    }

    /// (master seed, stream) of run `r`.
    pub fn run(&self, r: u64) -> (u64, u64) {
        match *self {
            Seeds::Masters(_) => (r, 0),
            Seeds::Streams { master, .. } => (master, r),
        }
    }
}

/// Why a fact cannot be played on a scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: fact {fact}: {message}")]
pub struct FactError {
    pub file: PathBuf,
    pub fact: &'static str,
    pub message: String,
}

/// A point's parameters as a region reads them: the point's own values, else the arm's scenario.
pub struct Params<'a> {
    point: &'a [(FieldPath, f64)],
    scenario: &'a Scenario,
}

impl Params<'_> {
    /// The value of `path` at the point (`small_state.cap`); NaN if the scenario has no such field,
    /// so that a region asking for it does not contain the point.
    pub fn get(&self, path: &str) -> f64 {
        let Ok(field) = FieldPath::parse(path, &self.scenario.third_power_names()) else { return f64::NAN };
        match self.point.iter().rev().find(|(p, _)| *p == field) {
            Some(&(_, v)) => v,
            None => self.scenario.get(path).unwrap_or(f64::NAN),
        }
    }

    /// A field of the scenario's first third power, "the ally" (`reliability`); NaN without one.
    pub fn ally(&self, field: &str) -> f64 {
        match self.scenario.third_power_names().first() {
            Some(name) => self.get(&format!("third_powers.{name}.{field}")),
            None => f64::NAN,
        }
    }
}

/// A fact made ready to play on one scenario: its arms' scenarios parsed, and the paths of the
/// point resolved against each.
pub struct Prepared<'f> {
    pub fact: &'f Fact,
    arms: Vec<PreparedArm>,
}

struct PreparedArm {
    scenario: Scenario,
    /// The axes of the point, resolved against this arm's scenario.
    axes: Vec<FieldPath>,
    settings: Vec<(FieldPath, Setting)>,
}

impl<'f> Prepared<'f> {
    /// Build `fact`'s arms from the scenario under test (`text`, read from `file`), with the
    /// point's parameters named by `axes` (paths as a sweep file writes them).
    pub fn new(fact: &'f Fact, text: &str, file: &Path, axes: &[&str]) -> Result<Prepared<'f>, FactError> {
        let err = |message: String| FactError { file: file.to_path_buf(), fact: fact.id, message };
        let base = Scenario::parse(text, file).map_err(|e| err(e.to_string()))?;
        let ally = base.third_power_names().first().map(|s| s.to_string());
        let mut arms = Vec::with_capacity(fact.arms.len());
        for arm in &fact.arms {
            let (own, text) = match &arm.scenario {
                Variant::AsIs => (false, text.to_string()),
                Variant::Appended(extra) => {
                    let extra = if extra.contains("{ally}") {
                        let ally = ally.as_deref().ok_or_else(|| {
                            err("the fact's event names the scenario's first third power (its ally), and the \
                                 scenario has none"
                                .into())
                        })?;
                        extra.replace("{ally}", ally)
                    } else {
                        extra.to_string()
                    };
                    (false, format!("{text}\n{extra}"))
                }
                Variant::Replaced { from, to } => {
                    if !text.contains(from) {
                        return Err(err(format!(
                            "the fact replaces `{from}` in the scenario, which does not contain it"
                        )));
                    }
                    (false, text.replacen(from, to, 1))
                }
                Variant::Own { text, .. } => (true, text()),
            };
            let origin = if own { PathBuf::from(format!("<fact {}>", fact.id)) } else { file.to_path_buf() };
            let scenario = Scenario::parse(&text, &origin).map_err(|e| err(e.to_string()))?;
            if scenario.meta.turns < TURNS {
                return Err(err(format!(
                    "the facts read turns up to {}; the scenario has {} turns (meta.turns)",
                    TURNS - 1,
                    scenario.meta.turns
                )));
            }
            let names = scenario.third_power_names();
            let resolve = |p: &str| {
                FieldPath::parse(p, &names).map_err(|m| {
                    if own {
                        err(format!("it plays a scenario of its own, to which `{p}` does not apply: {m}"))
                    } else {
                        err(format!("`{p}`: {m}"))
                    }
                })
            };
            let axes = axes.iter().map(|p| resolve(p)).collect::<Result<Vec<_>, _>>()?;
            let settings = arm
                .settings
                .iter()
                .map(|s| match s {
                    Setting::Set(p, _) | Setting::Add(p, _) => resolve(p).map(|f| (f, *s)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            arms.push(PreparedArm { scenario, axes, settings });
        }
        Ok(Prepared { fact, arms })
    }

    /// Whether the point (`values`, one per axis) is in the fact's region.
    pub fn applies_at(&self, values: &[f64]) -> bool {
        let Some(region) = &self.fact.region else { return true };
        let arm = &self.arms[0];
        let point: Vec<(FieldPath, f64)> = arm.axes.iter().copied().zip(values.iter().copied()).collect();
        (region.contains)(&Params { point: &point, scenario: &arm.scenario })
    }

    /// The settings arm `i` plays at the point: the point's, then the arm's own (later wins).
    pub fn settings(&self, i: usize, values: &[f64]) -> Result<Vec<(FieldPath, f64)>, FactError> {
        let arm = &self.arms[i];
        let mut out: Vec<(FieldPath, f64)> = arm.axes.iter().copied().zip(values.iter().copied()).collect();
        for (field, s) in &arm.settings {
            let value = match *s {
                Setting::Set(_, v) => v,
                Setting::Add(path, delta) => {
                    let params = Params { point: &out, scenario: &arm.scenario };
                    params.get(path) + delta
                }
            };
            field.check(value).map_err(|m| FactError {
                file: PathBuf::from(format!("<fact {}>", self.fact.id)),
                fact: self.fact.id,
                message: format!("{field:?} = {value}: {m}"),
            })?;
            out.push((*field, value));
        }
        Ok(out)
    }

    /// The runs of arm `i` at the point.
    pub fn play(&self, i: usize, values: &[f64], seeds: Seeds) -> Result<Runs, FactError> {
        let settings = self.settings(i, values)?;
        Ok(play(&self.arms[i].scenario, &settings, seeds))
    }

    /// Play every arm at the point and measure; `None` outside the fact's region.
    pub fn measure_at(&self, values: &[f64], seeds: Seeds) -> Result<Option<Measure>, FactError> {
        if !self.applies_at(values) {
            return Ok(None);
        }
        let runs = (0..self.arms.len()).map(|i| self.play(i, values, seeds)).collect::<Result<Vec<_>, _>>()?;
        Ok(Some((self.fact.measure)(&runs)))
    }

    /// A key that is equal for two arms (of any facts prepared on the same scenario and axes) that
    /// play the same runs at every point, so that a box run plays them once.
    pub(crate) fn arm_key(&self, i: usize) -> String {
        let arm = &self.fact.arms[i];
        format!("{}|{:?}", variant_key(&arm.scenario), arm.settings)
    }

    pub(crate) fn arm_count(&self) -> usize {
        self.arms.len()
    }
}

/// A variant as a key: an own scenario by its name (a function's address is not a stable key).
fn variant_key(v: &Variant) -> String {
    match v {
        Variant::Own { name, .. } => format!("Own({name})"),
        other => format!("{other:?}"),
    }
}

/// The runs of `scenario` with `settings` set at turn 0, one per seed of `seeds`, with each turn's
/// offset measures read off the payoff model the state planned with.
pub fn play(scenario: &Scenario, settings: &[(FieldPath, f64)], seeds: Seeds) -> Runs {
    let turns = scenario.meta.turns as usize;
    (0..seeds.count())
        .map(|r| {
            let (master, stream) = seeds.run(r);
            let mut world = scenario.world_with(master, stream, settings);
            let mut out = Vec::with_capacity(turns);
            world.run(scenario.meta.turns, |record, world| {
                let ((sides_covariance, cross_side_pair), believed_punishment, side_hostility, side_autonomy) =
                    match &world.last {
                        Some(d) => (
                            offsets(&d.payoff, &record.mix),
                            d.payoff.coercion_probability,
                            d.payoff.sides_hostility(&record.mix),
                            d.payoff.sides_autonomy(&record.mix),
                        ),
                        None => ((0.0, None), 0.0, [0.0; 2], [0.0; 2]),
                    };
                out.push(Turn {
                    record: *record,
                    sides_covariance,
                    believed_punishment,
                    cross_side_pair,
                    side_hostility,
                    side_autonomy,
                });
            });
            out
        })
        .collect()
}

/// `w_Aᵀ Σ w_R` and whether `explain`'s main offset pair is cross-side, for mix `w` under `p`.
pub fn offsets(p: &crate::payoff::PayoffModel, w: &Mix) -> (f64, Option<bool>) {
    let cov = p.sides_covariance(w);
    let pair =
        offset_pair(p, w).map(|pair| Component::from_code(pair.other).is_some_and(|c| c.side() == Side::Acceptance));
    (cov, pair)
}

#[cfg(test)]
mod tests;
