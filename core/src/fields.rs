//! Field paths: the names by which events (and sweep axes) reach into a running world, each with
//! its valid range. This table is the one source of truth for what can be changed and within
//! which bounds; scenario validation checks its own fields against the same table.
//!
//! Paths: `small_state.<field>`, `small_state.legit.<PB…PW>`, `great_power.<field>`,
//! `third_powers.<name>.<field>`, `decision.<field>`, `beliefs.<field>`, `payoff.<field>`,
//! `dynamics.<field>`, `doctrine.<PB…PW>.<coefficient>`.

use crate::doctrine::Coefficient;
use crate::spectrum::{self, Component};
use crate::world::World;
use std::fmt;

/// A scalar field of the world with its range.
pub struct ScalarField {
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    pub get: fn(&World) -> f64,
    pub slot: fn(&mut World) -> &mut f64,
}

macro_rules! scalar {
    ($name:literal, $min:expr, $max:expr, $($field:tt)+) => {
        ScalarField {
            name: $name,
            min: $min,
            max: $max,
            get: |w: &World| w.$($field)+,
            slot: |w: &mut World| &mut w.$($field)+,
        }
    };
}

/// Upper bound on multipliers such as γ, stakes and η: far beyond any sensible value, but small
/// enough that products stay finite.
pub const MAX_MULTIPLIER: f64 = 1e4;
/// Bound on doctrine coefficients and legitimation bonuses.
pub const MAX_COEFFICIENT: f64 = 100.0;
/// Largest magnitude of a belief signal: an event's `hostile_signal` or `reliability_signal`, or
/// the evidence a great-power action gives (`beliefs.*_signal`).
pub const MAX_SIGNAL: f64 = 1000.0;

/// Check a belief signal: finite and at most [`MAX_SIGNAL`] in magnitude.
pub fn check_signal(v: f64) -> Result<(), String> {
    if v.is_finite() && v.abs() <= MAX_SIGNAL {
        Ok(())
    } else {
        Err(format!("must be a finite number from -{MAX_SIGNAL} to {MAX_SIGNAL}, got {}", crate::input::show_number(v)))
    }
}

/// Every scalar field, by path.
pub static SCALARS: &[ScalarField] = &[
    scalar!("small_state.cap", 0.0, 1.0, small_state.cap),
    scalar!("small_state.mil", 0.0, 1.0, small_state.mil),
    scalar!("small_state.dep", 0.0, 1.0, small_state.dep),
    scalar!("small_state.dep0", 0.0, 1.0, small_state.dep0),
    scalar!("small_state.gamma", 0.0, MAX_MULTIPLIER, small_state.gamma),
    scalar!("small_state.stakes", 0.0, MAX_MULTIPLIER, small_state.stakes),
    scalar!("small_state.eta", 0.0, MAX_MULTIPLIER, small_state.eta),
    scalar!("small_state.imminence", 0.0, 1.0, small_state.imminence),
    scalar!("great_power.hostility", 0.0, 1.0, great_power.hostility),
    scalar!("great_power.focus", 0.0, 1.0, great_power.focus),
    scalar!("great_power.beta", 0.0, MAX_MULTIPLIER, great_power.logit_sharpness),
    scalar!("decision.rivalry", 0.0, MAX_MULTIPLIER, decision.rivalry),
    scalar!("decision.imminence_weight", 0.0, MAX_MULTIPLIER, decision.imminence_weight),
    scalar!("decision.label_threshold", 0.0, 0.5, decision.label_threshold),
    scalar!("decision.floor", 0.0, 0.1, decision.floor),
    scalar!("beliefs.forgetting", 0.0, 1.0, small_state.beliefs.hostility.forgetting),
    scalar!("beliefs.fluidity", 0.0, 1.0, small_state.beliefs.hostility.fluidity),
    scalar!("beliefs.horizon", 0.0, 1000.0, small_state.beliefs.hostility.horizon),
    scalar!("beliefs.reward_signal", -MAX_SIGNAL, MAX_SIGNAL, small_state.beliefs.hostility.action_signals[0]),
    scalar!("beliefs.hold_signal", -MAX_SIGNAL, MAX_SIGNAL, small_state.beliefs.hostility.action_signals[1]),
    scalar!("beliefs.pressure_signal", -MAX_SIGNAL, MAX_SIGNAL, small_state.beliefs.hostility.action_signals[2]),
    scalar!("beliefs.coerce_signal", -MAX_SIGNAL, MAX_SIGNAL, small_state.beliefs.hostility.action_signals[3]),
    scalar!("payoff.idio", 0.0, 10.0, payoff.idio),
    scalar!("payoff.shock_sd", 0.0, 10.0, payoff.shock_sd),
    scalar!("payoff.exploitation_base", 0.0, 10.0, payoff.exploitation_base),
    scalar!("payoff.exploitation_dependence", 0.0, 10.0, payoff.exploitation_dependence),
    scalar!("payoff.imminence_stakes", 0.0, MAX_MULTIPLIER, payoff.imminence_stakes),
    scalar!("payoff.rivalry_stakes", 0.0, MAX_MULTIPLIER, payoff.rivalry_stakes),
    scalar!("dynamics.imminence_decay", 0.0, 1.0, dynamics.imminence_decay),
    scalar!("dynamics.support_rate", 0.0, 1.0, dynamics.support_rate),
    scalar!("dynamics.military_rate", 0.0, 1.0, dynamics.military_rate),
    scalar!("dynamics.military_decay", 0.0, 1.0, dynamics.military_decay),
    scalar!("dynamics.dependence_rate", 0.0, 1.0, dynamics.dependence_rate),
];

/// A third power's changeable fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdPowerField {
    Cap,
    Reliability,
    Affinity,
    Exclusivity,
    Support,
}

impl ThirdPowerField {
    pub const ALL: [ThirdPowerField; 5] = [
        ThirdPowerField::Cap,
        ThirdPowerField::Reliability,
        ThirdPowerField::Affinity,
        ThirdPowerField::Exclusivity,
        ThirdPowerField::Support,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            ThirdPowerField::Cap => "cap",
            ThirdPowerField::Reliability => "reliability",
            ThirdPowerField::Affinity => "affinity",
            ThirdPowerField::Exclusivity => "exclusivity",
            ThirdPowerField::Support => "support",
        }
    }

    /// Capability is relative to the great power, so a partner may be stronger (up to 10×).
    pub const fn range(self) -> (f64, f64) {
        match self {
            ThirdPowerField::Cap => (0.0, 10.0),
            ThirdPowerField::Exclusivity => (0.0, MAX_MULTIPLIER),
            _ => (0.0, 1.0),
        }
    }
}

/// A resolved path to one number in the world.
#[derive(Clone, Copy)]
pub enum FieldPath {
    Scalar(&'static ScalarField),
    Legit(Component),
    ThirdPower(usize, ThirdPowerField),
    Doctrine(Component, Coefficient),
}

impl fmt::Debug for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Scalar(s) => write!(f, "{}", s.name),
            FieldPath::Legit(c) => write!(f, "small_state.legit.{}", c.code()),
            FieldPath::ThirdPower(i, field) => write!(f, "third_powers[{i}].{}", field.key()),
            FieldPath::Doctrine(c, k) => write!(f, "doctrine.{}.{}", c.code(), k.key()),
        }
    }
}

impl FieldPath {
    /// Resolve a dotted path against the third powers' names. The error says what is wrong and
    /// lists what would have been accepted.
    pub fn parse(path: &str, third_power_names: &[&str]) -> Result<FieldPath, String> {
        if let Some(s) = SCALARS.iter().find(|s| s.name == path) {
            return Ok(FieldPath::Scalar(s));
        }
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            ["small_state", "legit", code] => Component::from_code(code).map(FieldPath::Legit).ok_or_else(|| {
                format!("unknown component `{code}` in `{path}`; expected one of {}", spectrum::codes())
            }),
            ["doctrine", code, key] => {
                let c = Component::from_code(code).ok_or_else(|| {
                    format!("unknown component `{code}` in `{path}`; expected one of {}", spectrum::codes())
                })?;
                let k = Coefficient::from_key(key).ok_or_else(|| {
                    let keys: Vec<_> = Coefficient::ALL.iter().map(|c| c.key()).collect();
                    format!("unknown doctrine coefficient `{key}` in `{path}`; expected one of {}", keys.join(", "))
                })?;
                Ok(FieldPath::Doctrine(c, k))
            }
            ["third_powers", name, key] => {
                let i = third_power_names.iter().position(|n| n == name).ok_or_else(|| {
                    if third_power_names.is_empty() {
                        format!("`{path}` names third power `{name}`, but the scenario has no third powers")
                    } else {
                        format!(
                            "`{path}` names third power `{name}`; the scenario has {}",
                            third_power_names.join(", ")
                        )
                    }
                })?;
                let field = ThirdPowerField::ALL.into_iter().find(|f| f.key() == *key).ok_or_else(|| {
                    let keys: Vec<_> = ThirdPowerField::ALL.iter().map(|f| f.key()).collect();
                    format!("unknown third-power field `{key}` in `{path}`; expected one of {}", keys.join(", "))
                })?;
                Ok(FieldPath::ThirdPower(i, field))
            }
            _ => Err(unknown_path_message(path)),
        }
    }

    /// The closed range of valid values.
    pub fn range(&self) -> (f64, f64) {
        match self {
            FieldPath::Scalar(s) => (s.min, s.max),
            FieldPath::Legit(_) | FieldPath::Doctrine(..) => (-MAX_COEFFICIENT, MAX_COEFFICIENT),
            FieldPath::ThirdPower(_, f) => f.range(),
        }
    }

    /// Check a value for this field: finite and within range.
    pub fn check(&self, value: f64) -> Result<(), String> {
        let (lo, hi) = self.range();
        if !value.is_finite() {
            Err(format!("must be a finite number, got {}", crate::input::show_number(value)))
        } else if value < lo || value > hi {
            Err(format!("must be between {lo} and {hi}, got {}", crate::input::show_number(value)))
        } else {
            Ok(())
        }
    }

    fn slot<'w>(&self, w: &'w mut World) -> &'w mut f64 {
        match *self {
            FieldPath::Scalar(s) => (s.slot)(w),
            FieldPath::Legit(c) => &mut w.small_state.legit[c.index()],
            FieldPath::ThirdPower(i, f) => {
                let t = &mut w.third_powers[i];
                match f {
                    ThirdPowerField::Cap => &mut t.cap,
                    ThirdPowerField::Reliability => &mut t.reliability,
                    ThirdPowerField::Affinity => &mut t.affinity,
                    ThirdPowerField::Exclusivity => &mut t.exclusivity,
                    ThirdPowerField::Support => &mut t.support,
                }
            }
            FieldPath::Doctrine(c, k) => w.payoff.doctrine.row_mut(c).get_mut(k),
        }
    }

    pub fn get(&self, w: &World) -> f64 {
        match *self {
            FieldPath::Scalar(s) => (s.get)(w),
            FieldPath::Legit(c) => w.small_state.legit[c.index()],
            FieldPath::ThirdPower(i, f) => {
                let t = &w.third_powers[i];
                match f {
                    ThirdPowerField::Cap => t.cap,
                    ThirdPowerField::Reliability => t.reliability,
                    ThirdPowerField::Affinity => t.affinity,
                    ThirdPowerField::Exclusivity => t.exclusivity,
                    ThirdPowerField::Support => t.support,
                }
            }
            FieldPath::Doctrine(c, k) => w.payoff.doctrine.row(c).get(k),
        }
    }

    /// Set to an absolute value (already checked against the range).
    pub fn set(&self, w: &mut World, value: f64) {
        *self.slot(w) = value;
    }

    /// Add `delta`, then clip to the field's range.
    pub fn shift(&self, w: &mut World, delta: f64) {
        let (lo, hi) = self.range();
        let slot = self.slot(w);
        *slot = (*slot + delta).clamp(lo, hi);
    }
}

/// Explain an unknown path: the nearest known path if one is close, and the fields of its section.
fn unknown_path_message(path: &str) -> String {
    let mut msg = format!("unknown field path `{path}`");
    let nearest = SCALARS.iter().map(|s| (edit_distance(path, s.name), s.name)).min();
    if let Some((d, name)) = nearest
        && d <= 3
    {
        msg.push_str(&format!("; did you mean `{name}`?"));
    }
    let section = path.split('.').next().unwrap_or("");
    let in_section: Vec<&str> =
        SCALARS.iter().filter_map(|s| s.name.strip_prefix(section).and_then(|r| r.strip_prefix('.'))).collect();
    if !in_section.is_empty() {
        msg.push_str(&format!(" Fields of `{section}`: {}", in_section.join(", ")));
        if section == "small_state" {
            msg.push_str(", legit.<component>");
        }
        msg.push('.');
    } else {
        msg.push_str(
            ". Paths start with small_state, great_power, third_powers.<name>, decision, beliefs, payoff, \
             dynamics or doctrine.<component>.",
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_and_unknown_ones_explain_themselves() {
        let names = ["Turkey", "West"];
        assert!(
            matches!(FieldPath::parse("great_power.focus", &names), Ok(FieldPath::Scalar(s)) if s.name == "great_power.focus")
        );
        assert!(matches!(
            FieldPath::parse("third_powers.West.reliability", &names),
            Ok(FieldPath::ThirdPower(1, ThirdPowerField::Reliability))
        ));
        assert!(matches!(
            FieldPath::parse("doctrine.PB.prov", &names),
            Ok(FieldPath::Doctrine(Component::PureBalancing, Coefficient::Provocation))
        ));
        assert!(matches!(
            FieldPath::parse("small_state.legit.LB", &names),
            Ok(FieldPath::Legit(Component::LimitedBandwagoning))
        ));
        let e = FieldPath::parse("third_powers.China.cap", &names).unwrap_err();
        assert!(e.contains("China") && e.contains("Turkey, West"), "{e}");
        let e = FieldPath::parse("great_power.focs", &names).unwrap_err();
        assert!(e.contains("did you mean `great_power.focus`?"), "{e}");
        let e = FieldPath::parse("nowhere.at_all", &names).unwrap_err();
        assert!(!e.contains("did you mean") && e.contains("Paths start with"), "{e}");
        assert!(FieldPath::parse("doctrine.XX.ret", &names).is_err());
        assert!(FieldPath::parse("doctrine.PB.nope", &names).is_err());
    }

    #[test]
    fn range_checks() {
        let p = FieldPath::parse("small_state.cap", &[]).unwrap();
        assert!(p.check(0.5).is_ok());
        assert!(p.check(1.5).unwrap_err().contains("between 0 and 1"));
        assert!(p.check(f64::NAN).unwrap_err().contains("finite"));
    }
}
