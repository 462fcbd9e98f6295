//! What one run comes to: [`RunSummary`], accumulated turn by turn by a [`RunSummarizer`].
//!
//! A sweep keeps this of every run (a row of `runs.csv`), and the Python package and the browser
//! page show the same numbers, so they are computed here, once, as typed values; the CSV writer
//! only formats them. A run is summarised two ways: where it *ended* (its last turn), and how it
//! *spent* the turns of a metrics window `[from_turn, turns)` — early turns, while the state's
//! beliefs are still settling from its prior, can be left out by starting the window later.

use crate::agents::GreatPowerAction;
use crate::record::{Cell, RecordField};
use crate::spectrum::Label;
use crate::world::TurnRecord;

/// What one run comes to: its last turn, and its shares, means and counts over the metrics window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSummary {
    /// The run's last turn: the final mix and its acceptance, rejection, alignment, hedging
    /// intensity and label with its tilt (columns `w_PB` … `tilt`), and the small state's
    /// military strength and economic dependence at the end (`mil`, `dep`). Where a run ends is
    /// what a phase diagram plots and what "the share of runs ending in hedging" counts.
    pub last: TurnRecord,
    /// The number of turns in the metrics window: the denominator of the shares and means below
    /// (not a column; one is used when the window is empty, so they are then zero).
    pub window_turns: u32,
    /// Per label, in [`Label::NAMES`] order (hedging, balancing, bandwagoning, neutral), the share
    /// of the window's turns whose mix carried it (`share_hedging` …): how much of the time the
    /// state hedged, not only whether it ended hedging, which one turn's noise can decide.
    pub label_shares: [f64; Label::NAMES.len()],
    /// Mean hedging intensity H over the window (`mean_H`): how much the state held both sides
    /// of the spectrum at once, on average.
    pub mean_hedging_intensity: f64,
    /// Mean alignment x over the window (`mean_x`): which way the state leaned on average,
    /// acceptance of the great power (−1, pure bandwagoning) to rejection (+1, pure balancing).
    pub mean_alignment: f64,
    /// Mean realised payoff over the window (`mean_payoff`): what the policy earned the state,
    /// the quantity its decision trades off against risk.
    pub mean_payoff: f64,
    /// Per great-power action, in [`GreatPowerAction::ALL`] order (reward, hold, pressure,
    /// coerce), the turns of the window on which the great power chose it (`n_reward` …): how
    /// the great power answered the state's alignment.
    pub action_counts: [u32; GreatPowerAction::ALL.len()],
}

impl RunSummary {
    /// The last turn's fields that open the columns: the final mix and its acceptance, rejection,
    /// alignment, hedging intensity, label and tilt (`w_PB` … `tilt`), which are the first fields
    /// of a turn's row in `hedgesim run --format csv`, in the same order.
    pub const ENDING_ALIGNMENT: [RecordField; 13] = *RecordField::ALL.first_chunk().unwrap();

    /// The metrics window's columns, after [`RunSummary::ENDING_ALIGNMENT`]'s: the share of turns
    /// in each label, the means of H, x and the payoff, and the turns of each great-power action.
    pub const WINDOW: [&'static str; 11] = [
        "share_hedging",
        "share_balancing",
        "share_bandwagoning",
        "share_neutral",
        "mean_H",
        "mean_x",
        "mean_payoff",
        "n_reward",
        "n_hold",
        "n_pressure",
        "n_coerce",
    ];

    /// The last turn's fields that close the columns: the small state's military strength and
    /// economic dependence at the end. They came later than the window's columns and follow
    /// them, so that no earlier column of `runs.csv` moved.
    pub const ENDING_STRENGTH: [RecordField; 2] = [RecordField::Mil, RecordField::Dep];

    /// The columns a summary fills, in order (a sweep's `runs.csv` puts the run's identity and
    /// its axis values before them): the last turn's fields under their [`RecordField::name`]s,
    /// the window's in between.
    pub const COLUMNS: [&'static str; COLUMN_COUNT] = {
        let mut names = [""; COLUMN_COUNT];
        let mut i = 0;
        while i < names.len() {
            names[i] = match column(i) {
                Column::LastTurn(f) => f.name(),
                Column::Window(j) => RunSummary::WINDOW[j],
            };
            i += 1;
        }
        names
    };

    /// The summary's values in the order of [`RunSummary::COLUMNS`], so a sweep's `runs.csv` and
    /// the Python package's columns cannot disagree on it; the last turn's are its
    /// [`RecordField::cell`]s, as a turn's row holds them. An array on the stack, not a `Vec`: a
    /// sweep takes the cells of every run it does.
    pub fn cells(&self) -> [Cell; RunSummary::COLUMNS.len()] {
        let [hedging, balancing, bandwagoning, neutral] = self.label_shares.map(Cell::Number);
        let [reward, hold, pressure, coerce] = self.action_counts.map(Cell::Count);
        let number = Cell::Number;
        let window: [Cell; RunSummary::WINDOW.len()] = [
            hedging,
            balancing,
            bandwagoning,
            neutral,
            number(self.mean_hedging_intensity),
            number(self.mean_alignment),
            number(self.mean_payoff),
            reward,
            hold,
            pressure,
            coerce,
        ];
        std::array::from_fn(|i| match column(i) {
            Column::LastTurn(f) => f.cell(&self.last),
            Column::Window(j) => window[j],
        })
    }
}

/// Where a column of a [`RunSummary`] comes from: a field of the last turn, or the window's
/// column of that index in [`RunSummary::WINDOW`].
#[derive(Clone, Copy)]
enum Column {
    LastTurn(RecordField),
    Window(usize),
}

/// Where column `i` comes from: [`RunSummary::ENDING_ALIGNMENT`], [`RunSummary::WINDOW`] and
/// [`RunSummary::ENDING_STRENGTH`] in turn, the one place their order is kept (names and cells
/// both follow it).
const fn column(i: usize) -> Column {
    let (alignment, window) = (RunSummary::ENDING_ALIGNMENT.len(), RunSummary::WINDOW.len());
    if i < alignment {
        Column::LastTurn(RunSummary::ENDING_ALIGNMENT[i])
    } else if i < alignment + window {
        Column::Window(i - alignment)
    } else {
        Column::LastTurn(RunSummary::ENDING_STRENGTH[i - alignment - window])
    }
}

/// How many columns a summary fills: the length of [`RunSummary::COLUMNS`] and of its cells.
const COLUMN_COUNT: usize =
    RunSummary::ENDING_ALIGNMENT.len() + RunSummary::WINDOW.len() + RunSummary::ENDING_STRENGTH.len();

/// Accumulates a [`RunSummary`] from a run's [`TurnRecord`]s: counts and sums in a few dozen
/// bytes, so observing a turn allocates nothing (a sweep observes every turn of every run).
#[derive(Debug, Clone, Copy)]
pub struct RunSummarizer {
    from_turn: u32,
    window_turns: u32,
    label_turns: [u32; Label::NAMES.len()],
    sum_h: f64,
    sum_x: f64,
    sum_payoff: f64,
    action_counts: [u32; GreatPowerAction::ALL.len()],
    last: Option<TurnRecord>,
}

impl RunSummarizer {
    /// A summarizer whose metrics window starts at turn `from_turn`.
    pub fn new(from_turn: u32) -> RunSummarizer {
        RunSummarizer {
            from_turn,
            window_turns: 0,
            label_turns: [0; Label::NAMES.len()],
            sum_h: 0.0,
            sum_x: 0.0,
            sum_payoff: 0.0,
            action_counts: [0; GreatPowerAction::ALL.len()],
            last: None,
        }
    }

    /// Take in one turn (turns in order, as [`crate::world::World::run`] hands them over).
    #[inline]
    pub fn observe(&mut self, r: &TurnRecord) {
        self.last = Some(*r);
        if r.turn < self.from_turn {
            return;
        }
        self.window_turns += 1;
        self.label_turns[r.label.index()] += 1;
        self.sum_h += r.hedging_intensity;
        self.sum_x += r.alignment;
        self.sum_payoff += r.payoff;
        self.action_counts[r.action.index()] += 1;
    }

    /// The summary of the turns observed so far; `None` before the first.
    pub fn summary(&self) -> Option<RunSummary> {
        let last = self.last?;
        let n = f64::from(self.window_turns.max(1));
        Some(RunSummary {
            last,
            window_turns: self.window_turns,
            label_shares: self.label_turns.map(|count| f64::from(count) / n),
            mean_hedging_intensity: self.sum_h / n,
            mean_alignment: self.sum_x / n,
            mean_payoff: self.sum_payoff / n,
            action_counts: self.action_counts,
        })
    }
}

/// The `q` quantile of `v` (sorted in place), by linear interpolation: the medians and 10–90%
/// bands of `hedgesim report --runs` and of the browser page.
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    if i + 1 < v.len() { v[i] * (1.0 - frac) + v[i + 1] * frac } else { v[i] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::path::Path;

    /// The columns of `runs.csv` are a file format, which analyses read by name and by position:
    /// these names, in this order.
    #[test]
    fn the_columns_are_those_of_runs_csv_in_order() {
        assert_eq!(
            RunSummary::COLUMNS.join(","),
            "w_PB,w_IB,w_DD,w_EP,w_BE,w_LB,w_PW,A,R,x,H,label,tilt,\
             share_hedging,share_balancing,share_bandwagoning,share_neutral,mean_H,mean_x,mean_payoff,\
             n_reward,n_hold,n_pressure,n_coerce,mil,dep"
        );
    }

    /// The share and count columns are named after the labels and actions they count, in order.
    #[test]
    fn window_columns_name_the_labels_and_actions_in_order() {
        let shares: Vec<String> = Label::NAMES.iter().map(|l| format!("share_{l}")).collect();
        let counts: Vec<String> = GreatPowerAction::ALL.iter().map(|a| format!("n_{}", a.as_str())).collect();
        assert_eq!(RunSummary::WINDOW[0..4], shares[..]);
        assert_eq!(RunSummary::WINDOW[7..11], counts[..]);
    }

    /// Each cell is the value its column names: a share under its label's name, a count under its
    /// action's, a mean under its quantity's, and the last turn's fields under theirs. Every
    /// number of the window is made different, so that two cells swapped would be seen.
    #[test]
    fn each_cell_is_the_value_its_column_names() {
        let scenario = Scenario::parse("[meta]\nname = \"t\"\nturns = 5\n", Path::new("<test>")).unwrap();
        let mut summarizer = RunSummarizer::new(0);
        scenario.world(3, 1).run(5, |r, _| summarizer.observe(r));
        let mut s = summarizer.summary().unwrap();
        let mut next = 0.0;
        let mut distinct = || {
            next += 1.0;
            next
        };
        s.label_shares = s.label_shares.map(|_| distinct());
        for v in [&mut s.mean_hedging_intensity, &mut s.mean_alignment, &mut s.mean_payoff] {
            *v = distinct();
        }
        s.action_counts = [11, 12, 13, 14];
        let cells = s.cells();
        let cell = |name: &str| cells[RunSummary::COLUMNS.iter().position(|c| *c == name).unwrap()];
        for (k, l) in Label::NAMES.iter().enumerate() {
            assert_eq!(cell(&format!("share_{l}")), Cell::Number(s.label_shares[k]));
        }
        for (k, a) in GreatPowerAction::ALL.iter().enumerate() {
            assert_eq!(cell(&format!("n_{}", a.as_str())), Cell::Count(s.action_counts[k]));
        }
        assert_eq!(cell("mean_H"), Cell::Number(s.mean_hedging_intensity));
        assert_eq!(cell("mean_x"), Cell::Number(s.mean_alignment));
        assert_eq!(cell("mean_payoff"), Cell::Number(s.mean_payoff));
        for f in RunSummary::ENDING_ALIGNMENT.into_iter().chain(RunSummary::ENDING_STRENGTH) {
            assert_eq!(cell(f.name()), f.cell(&s.last), "{}", f.name());
        }
    }

    /// A summary against the same numbers computed another way, from every record kept: filter the
    /// window, count and average.
    #[test]
    fn a_summary_is_the_window_counted_and_averaged() {
        let scenario = Scenario::parse("[meta]\nname = \"t\"\nturns = 50\n", Path::new("<test>")).unwrap();
        for from_turn in [0, 30, 49] {
            let mut world = scenario.world(7, 2);
            let (mut summarizer, mut records) = (RunSummarizer::new(from_turn), Vec::new());
            assert_eq!(summarizer.summary(), None);
            world.run(50, |r, _| {
                summarizer.observe(r);
                records.push(*r);
            });
            let s = summarizer.summary().unwrap();
            let window: Vec<&TurnRecord> = records.iter().filter(|r| r.turn >= from_turn).collect();
            let n = window.len() as f64;
            assert_eq!(s.window_turns as usize, 50 - from_turn as usize);
            assert_eq!(s.last, records[49]);
            for (k, share) in s.label_shares.iter().enumerate() {
                let count = window.iter().filter(|r| r.label.index() == k).count();
                assert_eq!(*share, count as f64 / n, "share of label {}", Label::NAMES[k]);
            }
            assert!((s.label_shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            for (k, count) in s.action_counts.iter().enumerate() {
                assert_eq!(*count as usize, window.iter().filter(|r| r.action.index() == k).count());
            }
            let mean = |f: fn(&TurnRecord) -> f64| window.iter().map(|r| f(r)).sum::<f64>() / n;
            assert!((s.mean_hedging_intensity - mean(|r| r.hedging_intensity)).abs() < 1e-12);
            assert!((s.mean_alignment - mean(|r| r.alignment)).abs() < 1e-12);
            assert!((s.mean_payoff - mean(|r| r.payoff)).abs() < 1e-12);
        }
    }
}
