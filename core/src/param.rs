//! What a parameter is — its path in scenario files, default, range, unit and doc line, and how to
//! read and write it in a world — and [`Field`], a handle on one number of a world that events,
//! sweep axes and `--set` hold. The model's own parameters are the table in [`crate::schema`]; this
//! module knows none of them.
//!
//! Both types are generic over the world `W` they reach into. The world holds its events and an
//! event holds fields, so if these types named the world, the world and the table would import
//! each other; generic, the world imports this module and the table imports both.

use crate::input::show_number;
use crate::spectrum::Component;
use std::fmt;

/// How a parameter is written in a file: a real number, a whole number, or `true`/`false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Real,
    Integer,
    Bool,
}

impl Kind {
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Real => "real",
            Kind::Integer => "integer",
            Kind::Bool => "bool",
        }
    }
}

/// Which numbers one row of the table stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// One number (`small_state.cap`).
    One,
    /// One per component of the spectrum, `<component>` in the path (`doctrine.<component>.ret`).
    Component,
    /// One per third power, `<name>` in the path (`third_powers.<name>.cap`).
    ThirdPower,
}

/// Where a parameter's default comes from.
#[derive(Debug, Clone, Copy)]
pub enum Init {
    /// The same number for every member.
    Value(f64),
    /// One number per member, from a table kept where the model explains it (the doctrine table).
    Table(fn(usize) -> f64),
    /// The value of another parameter of the same member once the file is read, named by its path:
    /// a partner's starting support is its affinity.
    Follows(&'static str),
}

/// A scenario file's format, as far as the numbers are concerned: the unit its rates are written
/// in. What a world was read from decides how its rows read and write ([`Param::get`] and
/// [`Param::set`] speak the file's unit; the turn uses the per-turn numbers the world stores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Format 1 (model v1): every rate is per turn, whatever the clock, as written.
    #[default]
    V1,
    /// Format 2 (model v2): every rate is per year and is converted by `meta.turns_per_year`
    /// ([`TimeScale`]), so that a scenario means the same at any time step.
    V2,
}

impl Format {
    /// The formats this version reads, in the order of their numbers.
    pub const ALL: [Format; 2] = [Format::V1, Format::V2];

    /// The number a file writes: `format = 2`.
    pub const fn number(self) -> u32 {
        match self {
            Format::V1 => 1,
            Format::V2 => 2,
        }
    }

    pub fn from_number(n: i64) -> Option<Format> {
        Format::ALL.into_iter().find(|f| i64::from(f.number()) == n)
    }
}

/// How a rate written per year in a format-2 file becomes the per-turn number a turn uses, at
/// `tpy` turns a year (`meta.turns_per_year`). Each kind is the conversion under which its update
/// rule gives the same path per year whatever the time step (exactly, or to first order in the
/// step for [`TimeScale::Flow`]); docs/model.md, "Time scale", lists the rows of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeScale {
    /// Not a rate: the same number in every format (a level, a weight, a count of evidence).
    Fixed,
    /// A share kept each period, `x ← k·x` (forgetting, imminence's decay): k turns compound to
    /// a year's, so `k_turn = k_year^(1/tpy)`.
    Kept,
    /// A gap-closing rate, `x ← x + r·(target − x)`: the gap left is a kept share,
    /// `1 − r_turn = (1 − r_year)^(1/tpy)`; exact for a target that holds still.
    GapClosing,
    /// A flow per year, `x ← x + rate·(…)`, a step of an ODE: `x_turn = x_year / tpy`. Exact in
    /// the limit of small steps, and it keeps the balance of two flows (a build-up against a
    /// decay) the same at every step.
    Flow,
    /// The sd of a random walk's step: variances add over the turns of a year, so
    /// `σ_turn = σ_year / √tpy`.
    DriftSd,
    /// A duration, written in years, used in turns: `turns = years·tpy`.
    Duration,
}

impl TimeScale {
    /// The name `hedgesim fields` shows; the Mesa peer (bench/peers/mesa/hedge_mesa.py, `PER_TURN`)
    /// picks each kind's formula by it.
    pub const fn name(self) -> &'static str {
        match self {
            TimeScale::Fixed => "",
            TimeScale::Kept => "kept share",
            TimeScale::GapClosing => "gap-closing rate",
            TimeScale::Flow => "flow per year",
            TimeScale::DriftSd => "drift sd",
            TimeScale::Duration => "duration",
        }
    }

    /// The formula, for the docs: how the per-turn number comes from the per-year one.
    pub const fn formula(self) -> &'static str {
        match self {
            TimeScale::Fixed => "the same",
            TimeScale::Kept => "k^(1/tpy)",
            TimeScale::GapClosing => "1 − (1 − r)^(1/tpy)",
            TimeScale::Flow => "x / tpy",
            TimeScale::DriftSd => "σ / √tpy",
            TimeScale::Duration => "years · tpy",
        }
    }

    /// The per-turn number of a per-year one.
    pub fn per_turn(self, per_year: f64, tpy: f64) -> f64 {
        match self {
            TimeScale::Fixed => per_year,
            TimeScale::Kept => per_year.powf(tpy.recip()),
            TimeScale::GapClosing => 1.0 - (1.0 - per_year).powf(tpy.recip()),
            TimeScale::Flow => per_year / tpy,
            TimeScale::DriftSd => per_year / tpy.sqrt(),
            TimeScale::Duration => per_year * tpy,
        }
    }

    /// The per-year number of a per-turn one: the inverse of [`TimeScale::per_turn`].
    pub fn per_year(self, per_turn: f64, tpy: f64) -> f64 {
        match self {
            TimeScale::Fixed => per_turn,
            TimeScale::Kept => per_turn.powf(tpy),
            TimeScale::GapClosing => 1.0 - (1.0 - per_turn).powf(tpy),
            TimeScale::Flow => per_turn * tpy,
            TimeScale::DriftSd => per_turn * tpy.sqrt(),
            TimeScale::Duration => per_turn / tpy,
        }
    }

    /// Read a stored per-turn number in the unit of `format`.
    pub fn to_file(self, per_turn: f64, format: Format, tpy: f64) -> f64 {
        match format {
            Format::V1 => per_turn,
            Format::V2 => self.per_year(per_turn, tpy),
        }
    }

    /// The per-turn number to store for a number written in the unit of `format`.
    pub fn from_file(self, value: f64, format: Format, tpy: f64) -> f64 {
        match format {
            Format::V1 => value,
            Format::V2 => self.per_turn(value, tpy),
        }
    }
}

/// One row of a parameter table.
pub struct Param<W: 'static> {
    /// The path as files, events and sweep axes write it; a family's member is `<component>` or
    /// `<name>` (`third_powers.<name>.cap`).
    pub path: &'static str,
    pub family: Family,
    pub kind: Kind,
    /// The default in format 1 ([`Format::V1`]), in its unit.
    pub default: Init,
    /// The default in format 2, in its unit (per year for a rate): the v2 model's defaults are
    /// written here, row by row.
    pub default_v2: Init,
    /// How format 2's per-year number becomes the per-turn number the world stores.
    pub time: TimeScale,
    /// Whether only a format-2 file may set it (format 1 runs as model v1 did, without it).
    pub v2_only: bool,
    /// The closed range of valid values.
    pub min: f64,
    pub max: f64,
    /// Whether a scenario file may write it; the others only events, axes and setters change.
    pub in_file: bool,
    pub unit: &'static str,
    /// The unit in format 2 (per year for a rate; the same as `unit` otherwise).
    pub unit_v2: &'static str,
    /// What it is, in one line, with the theory it comes from.
    pub doc: &'static str,
    /// Read member `i` (ignored outside a family) as a number in the unit of the world's format:
    /// 1 or 0 for a bool.
    pub get: fn(&W, usize) -> f64,
    /// Write member `i`, given in the unit of the world's format; the value is already checked
    /// ([`Param::check`]). A rate is stored per turn (converted by [`TimeScale`]).
    pub set: fn(&mut W, usize, f64),
}

impl<W> Param<W> {
    /// The table the key sits in: the path up to its last dot (`third_powers.<name>`).
    pub fn section(&self) -> &'static str {
        self.path.rsplit_once('.').map_or("", |(s, _)| s)
    }

    /// The key within its section (`cap`).
    pub fn key(&self) -> &'static str {
        self.path.rsplit_once('.').map_or(self.path, |(_, k)| k)
    }

    /// Check a value: finite, within range, and whole for an integer, 0 or 1 for a bool.
    pub fn check(&self, value: f64) -> Result<(), String> {
        let (lo, hi) = (self.min, self.max);
        match self.kind {
            _ if !value.is_finite() => Err(format!("must be a finite number, got {}", show_number(value))),
            Kind::Real if value < lo || value > hi => {
                Err(format!("must be between {lo} and {hi}, got {}", show_number(value)))
            }
            Kind::Integer if value < lo || value > hi || value.fract() != 0.0 => {
                Err(format!("must be a whole number from {lo} to {hi}, got {}", show_number(value)))
            }
            Kind::Bool if value != 0.0 && value != 1.0 => {
                Err(format!("must be 1 (true) or 0 (false), got {}", show_number(value)))
            }
            _ => Ok(()),
        }
    }

    /// The default in `format`, in its unit.
    pub fn default_for(&self, format: Format) -> Init {
        match format {
            Format::V1 => self.default,
            Format::V2 => self.default_v2,
        }
    }

    /// The unit in `format`.
    pub fn unit_for(&self, format: Format) -> &'static str {
        match format {
            Format::V1 => self.unit,
            Format::V2 => self.unit_v2,
        }
    }

    /// Whether a file of `format` may set it (through any path: the file, an event, an axis).
    pub fn in_format(&self, format: Format) -> bool {
        !self.v2_only || format == Format::V2
    }

    /// The default of member `i` in `format`, in a world whose other fields are already set (for
    /// [`Init::Follows`]), in that format's unit.
    pub fn default_in(&self, w: &W, i: usize, rows: &'static [Param<W>], format: Format) -> f64 {
        match self.default_for(format) {
            Init::Value(v) => v,
            Init::Table(f) => f(i),
            Init::Follows(path) => {
                let other = rows.iter().find(|r| r.path == path).expect("a followed path is a row of the table");
                (other.get)(w, i)
            }
        }
    }
}

/// A handle on one number of a world: a row of the table and, for a family, which member. What
/// events hold, sweep axes vary and `--set` writes.
pub struct Field<W: 'static> {
    pub param: &'static Param<W>,
    /// The component's index or the third power's, for a family; 0 otherwise.
    pub member: usize,
}

impl<W> Clone for Field<W> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W> Copy for Field<W> {}

/// Two handles are equal when they name the same number: the same row of the table and, for a
/// family, the same member (however the path was written: `third_powers.Ally.cap` and the
/// partner's index are one field).
impl<W> PartialEq for Field<W> {
    fn eq(&self, other: &Self) -> bool {
        self.param.path == other.param.path && self.member == other.member
    }
}

impl<W> Eq for Field<W> {}

impl<W> fmt::Debug for Field<W> {
    /// The path with its member filled in: `doctrine.PB.prov`, `third_powers[1].cap`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.param.path;
        match self.param.family {
            Family::One => write!(f, "{p}"),
            Family::Component => write!(f, "{}", p.replace("<component>", Component::ALL[self.member].code())),
            Family::ThirdPower => {
                write!(f, "{}", p.replace("third_powers.<name>", &format!("third_powers[{}]", self.member)))
            }
        }
    }
}

impl<W> Field<W> {
    /// The closed range of valid values.
    pub fn range(&self) -> (f64, f64) {
        (self.param.min, self.param.max)
    }

    /// Check a value for this field ([`Param::check`]).
    pub fn check(&self, value: f64) -> Result<(), String> {
        self.param.check(value)
    }

    pub fn get(&self, w: &W) -> f64 {
        (self.param.get)(w, self.member)
    }

    /// Set to an absolute value (already checked against the range).
    pub fn set(&self, w: &mut W, value: f64) {
        (self.param.set)(w, self.member, value);
    }

    /// Add `delta`, then clip to the field's range.
    pub fn shift(&self, w: &mut W, delta: f64) {
        let (lo, hi) = self.range();
        self.set(w, (self.get(w) + delta).clamp(lo, hi));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind's per-turn number, run for a year of turns by the update rule it stands for,
    /// gives what the per-year number gives in one step of a year, at any time step; and
    /// `per_year` inverts `per_turn`.
    #[test]
    fn each_conversion_gives_the_same_year_at_any_step() {
        for tpy in [1.0, 4.0, 12.0, 52.0] {
            let year = |kind: TimeScale, v: f64, step: &dyn Fn(f64, f64) -> f64, x0: f64| {
                let per_turn = kind.per_turn(v, tpy);
                assert!((kind.per_year(per_turn, tpy) - v).abs() < 1e-12, "{kind:?} does not invert at {tpy}");
                (0..tpy as usize).fold(x0, |x, _| step(x, per_turn))
            };
            // Kept share: x ← k·x; a year keeps k_year.
            let x = year(TimeScale::Kept, 0.6561, &|x, k| k * x, 1.0);
            assert!((x - 0.6561).abs() < 1e-12, "kept, {tpy}: {x}");
            // Gap-closing: x ← x + r·(1 − x) toward a fixed target 1; a year closes r_year of the gap.
            let x = year(TimeScale::GapClosing, 0.7599, &|x, r| x + r * (1.0 - x), 0.0);
            assert!((x - 0.7599).abs() < 1e-12, "gap-closing, {tpy}: {x}");
            // Flow: x ← x + rate; a year adds the yearly rate.
            let x = year(TimeScale::Flow, 0.4, &|x, r| x + r, 0.0);
            assert!((x - 0.4).abs() < 1e-12, "flow, {tpy}: {x}");
            // Drift sd: the variances of a year's steps add up to the yearly variance.
            let v = year(TimeScale::DriftSd, 0.12, &|v, sd| v + sd * sd, 0.0);
            assert!((v - 0.12 * 0.12).abs() < 1e-12, "drift sd, {tpy}: {v}");
            // Duration: two years are 2·tpy turns.
            assert_eq!(TimeScale::Duration.per_turn(2.0, tpy), 2.0 * tpy);
            assert_eq!(TimeScale::Fixed.per_turn(0.3, tpy), 0.3);
        }
    }

    /// Format 1 stores what it reads, to the bit, whatever the clock.
    #[test]
    fn format_1_is_per_turn_as_written() {
        for kind in [TimeScale::Kept, TimeScale::GapClosing, TimeScale::Flow, TimeScale::DriftSd, TimeScale::Duration] {
            for v in [0.0, 0.05, 0.9, 1.0] {
                assert_eq!(kind.from_file(v, Format::V1, 12.0).to_bits(), v.to_bits());
                assert_eq!(kind.to_file(v, Format::V1, 12.0).to_bits(), v.to_bits());
            }
        }
        assert_eq!(Format::from_number(2), Some(Format::V2));
        assert_eq!(Format::from_number(3), None);
    }
}
