//! The per-turn fields of a [`TurnRecord`] by column name ([`RecordField`]): the one place that
//! says which column holds which value, so that `hedgesim run --format csv`, a sweep's
//! `series.csv`, the last-turn columns of `runs.csv` ([`crate::summary::RunSummary::cells`]) and
//! the Python package cannot disagree on it.

use crate::spectrum::Component;
use crate::world::TurnRecord;

/// One value of an output column, typed as the column is: a real number (a share, a mean, the
/// mix and indices of a turn), a count of turns, or a word (the label, its tilt, the great
/// power's action). The CSV writers and the Python package each format the kinds their own way,
/// from the same values; a [`TurnRecord`]'s fields ([`RecordField::cell`]) and a run's summary
/// ([`crate::summary::RunSummary::cells`]) are both given as cells.
/// Serialised untagged (a number, a count or a string), as `run --format jsonl` and the page's
/// rows write it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Cell {
    Number(f64),
    Count(u32),
    Word(&'static str),
}

/// One per-turn field of a [`TurnRecord`], by its column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordField {
    Weight(Component),
    Acceptance,
    Rejection,
    Alignment,
    HedgingIntensity,
    Label,
    Tilt,
    Action,
    BeliefMean,
    BeliefVar,
    PlanVar,
    ReliabilityMean,
    Imminence,
    Vulnerability,
    Pressure,
    Mil,
    Dep,
    Payoff,
}

impl RecordField {
    /// Every field, in the column order of `hedgesim run --format csv` (after `turn,year`).
    pub const ALL: [RecordField; 24] = [
        RecordField::Weight(Component::PureBalancing),
        RecordField::Weight(Component::IndirectBalancing),
        RecordField::Weight(Component::DominanceDenial),
        RecordField::Weight(Component::EconomicPragmatism),
        RecordField::Weight(Component::BindingEngagement),
        RecordField::Weight(Component::LimitedBandwagoning),
        RecordField::Weight(Component::PureBandwagoning),
        RecordField::Acceptance,
        RecordField::Rejection,
        RecordField::Alignment,
        RecordField::HedgingIntensity,
        RecordField::Label,
        RecordField::Tilt,
        RecordField::Action,
        RecordField::BeliefMean,
        RecordField::BeliefVar,
        RecordField::PlanVar,
        RecordField::ReliabilityMean,
        RecordField::Imminence,
        RecordField::Vulnerability,
        RecordField::Pressure,
        RecordField::Mil,
        RecordField::Dep,
        RecordField::Payoff,
    ];

    /// The column name (`w_PB`, `A`, `g_action`, …). A `const fn`, so that
    /// [`crate::summary::RunSummary::COLUMNS`] is built from it at compile time.
    pub const fn name(self) -> &'static str {
        match self {
            RecordField::Weight(c) => ["w_PB", "w_IB", "w_DD", "w_EP", "w_BE", "w_LB", "w_PW"][c.index()],
            RecordField::Acceptance => "A",
            RecordField::Rejection => "R",
            RecordField::Alignment => "x",
            RecordField::HedgingIntensity => "H",
            RecordField::Label => "label",
            RecordField::Tilt => "tilt",
            RecordField::Action => "g_action",
            RecordField::BeliefMean => "belief_mean",
            RecordField::BeliefVar => "belief_var",
            RecordField::PlanVar => "plan_var",
            RecordField::ReliabilityMean => "reliability_mean",
            RecordField::Imminence => "imm",
            RecordField::Vulnerability => "V",
            RecordField::Pressure => "pi",
            RecordField::Mil => "mil",
            RecordField::Dep => "dep",
            RecordField::Payoff => "payoff",
        }
    }

    /// The field whose column is called `name`, if any.
    pub fn from_name(name: &str) -> Option<RecordField> {
        RecordField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the field is a word (the label, the tilt, the great power's action) rather than a
    /// number: known before any turn, so that a column can be typed before it is filled.
    pub const fn is_word(self) -> bool {
        matches!(self, RecordField::Label | RecordField::Tilt | RecordField::Action)
    }

    /// The field's word, for the fields that are words (the label, the tilt, the great power's
    /// action); empty for a number.
    pub fn word(self, r: &TurnRecord) -> &'static str {
        match self {
            RecordField::Label => r.label.as_str(),
            RecordField::Tilt => r.label.tilt_str(),
            RecordField::Action => r.action.as_str(),
            _ => "",
        }
    }

    /// The field's number, `None` for a word ([`RecordField::word`]): the typed value the CSV
    /// formats, which the Python package hands over as it is.
    pub fn number(self, r: &TurnRecord) -> Option<f64> {
        Some(match self {
            RecordField::Label | RecordField::Tilt | RecordField::Action => return None,
            RecordField::Weight(c) => r.mix.0[c.index()],
            RecordField::Acceptance => r.acceptance,
            RecordField::Rejection => r.rejection,
            RecordField::Alignment => r.alignment,
            RecordField::HedgingIntensity => r.hedging_intensity,
            RecordField::BeliefMean => r.belief_mean,
            RecordField::BeliefVar => r.belief_var,
            RecordField::PlanVar => r.plan_var,
            RecordField::ReliabilityMean => r.reliability_mean,
            RecordField::Imminence => r.imminence,
            RecordField::Vulnerability => r.vulnerability,
            RecordField::Pressure => r.pressure,
            RecordField::Mil => r.mil,
            RecordField::Dep => r.dep,
            RecordField::Payoff => r.payoff,
        })
    }

    /// The field's value as a [`Cell`]: its number, or its word. What a CSV writer formats, for
    /// a turn's row and for a run summary's last-turn columns alike, so the two write the same
    /// bytes.
    pub fn cell(self, r: &TurnRecord) -> Cell {
        match self.number(r) {
            Some(v) => Cell::Number(v),
            None => Cell::Word(self.word(r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::path::Path;

    /// Every field is found again by its name, so the names are distinct: a sweep file's
    /// `series` columns name fields unambiguously.
    #[test]
    fn each_field_is_found_by_its_name() {
        for f in RecordField::ALL {
            assert_eq!(RecordField::from_name(f.name()), Some(f), "{}", f.name());
        }
        assert_eq!(RecordField::from_name("w_XX"), None);
    }

    /// A field is a number or a word, never both nor neither, and its cell is that value.
    #[test]
    fn each_field_is_a_number_or_a_word() {
        let scenario = Scenario::parse("[meta]\nname = \"t\"\nturns = 3\n", Path::new("<test>")).unwrap();
        scenario.world(1, 0).run(3, |r, _| {
            for f in RecordField::ALL {
                match (f.number(r), f.word(r)) {
                    (Some(v), "") => {
                        assert!(!f.is_word(), "{}", f.name());
                        assert_eq!(f.cell(r), Cell::Number(v));
                    }
                    (None, w) => {
                        assert!(f.is_word(), "{}", f.name());
                        assert_eq!(f.cell(r), Cell::Word(w));
                    }
                    (Some(_), w) => panic!("{} is both a number and the word {w:?}", f.name()),
                }
            }
        });
    }
}
