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

/// One row of a parameter table.
pub struct Param<W: 'static> {
    /// The path as files, events and sweep axes write it; a family's member is `<component>` or
    /// `<name>` (`third_powers.<name>.cap`).
    pub path: &'static str,
    pub family: Family,
    pub kind: Kind,
    pub default: Init,
    /// The closed range of valid values.
    pub min: f64,
    pub max: f64,
    /// Whether a scenario file may write it; the others only events, axes and setters change.
    pub in_file: bool,
    pub unit: &'static str,
    /// What it is, in one line, with the theory it comes from.
    pub doc: &'static str,
    /// Read member `i` (ignored outside a family) as a number: 1 or 0 for a bool.
    pub get: fn(&W, usize) -> f64,
    /// Write member `i`; the value is already checked ([`Param::check`]).
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

    /// The default of member `i`, in a world whose other fields are already set (for
    /// [`Init::Follows`]).
    pub fn default_in(&self, w: &W, i: usize, rows: &'static [Param<W>]) -> f64 {
        match self.default {
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
