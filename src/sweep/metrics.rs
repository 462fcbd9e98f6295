//! What a sweep keeps of each run: one row of `runs.csv`, accumulated turn by turn without
//! allocation, and optional per-turn `series.csv` rows.

use super::spec::SweepSpec;
use crate::agents::GreatPowerAction;
use crate::output::{RecordField, csv_header_line, push_float};
use crate::spectrum::Label;
use crate::world::TurnRecord;
use std::fmt::Write as _;

/// The per-turn fields a `runs.csv` row reports for the run's last turn: the final mix and its
/// indices and label, named and formatted as everywhere else by [`RecordField`].
const FINAL_FIELDS: &[RecordField] = RecordField::ALL.split_at(13).0;
// The split ends at the tilt, the last field of the mix's description.
const _: () = assert!(matches!(FINAL_FIELDS[FINAL_FIELDS.len() - 1], RecordField::Tilt));

/// The labels in the order of the `share_*` columns.
pub const LABELS: [&str; 4] = Label::NAMES;

/// Running totals of one run over the metrics window `[metrics_from_turn, turns)`.
#[derive(Debug, Clone, Copy)]
pub struct RunMetrics {
    from_turn: u32,
    turns_in_window: u32,
    label_turns: [u32; 4],
    sum_h: f64,
    sum_x: f64,
    sum_payoff: f64,
    actions: [u32; 4],
    last: Option<TurnRecord>,
}

impl RunMetrics {
    pub fn new(from_turn: u32) -> RunMetrics {
        RunMetrics {
            from_turn,
            turns_in_window: 0,
            label_turns: [0; 4],
            sum_h: 0.0,
            sum_x: 0.0,
            sum_payoff: 0.0,
            actions: [0; 4],
            last: None,
        }
    }

    pub fn observe(&mut self, r: &TurnRecord) {
        self.last = Some(*r);
        if r.turn < self.from_turn {
            return;
        }
        self.turns_in_window += 1;
        self.label_turns[r.label.index()] += 1;
        self.sum_h += r.hedging_intensity;
        self.sum_x += r.alignment;
        self.sum_payoff += r.payoff;
        self.actions[r.action.index()] += 1;
    }
}

/// The header of `runs.csv` for a sweep with these axes.
pub fn runs_header(spec: &SweepSpec) -> String {
    let mut names: Vec<String> = ["run_id", "config_id", "replication", "seed", "stream"].map(String::from).into();
    names.extend(spec.axes.iter().map(|a| a.name.clone()));
    names.extend(FINAL_FIELDS.iter().map(|f| f.name().to_string()));
    names.extend(LABELS.iter().map(|l| format!("share_{l}")));
    names.extend(["mean_H", "mean_x", "mean_payoff"].map(String::from));
    names.extend(GreatPowerAction::ALL.iter().map(|a| format!("n_{}", a.as_str())));
    names.extend(["mil", "dep"].map(String::from));
    csv_header_line(&names)
}

/// Identity of one run within a sweep.
#[derive(Debug, Clone, Copy)]
pub struct RunId {
    pub run_id: u64,
    pub config_id: u64,
    pub replication: u32,
    pub stream: u64,
}

/// Append one `runs.csv` row (with its newline) for a finished run.
pub fn write_runs_row(
    out: &mut String,
    id: &RunId,
    master_seed: u64,
    axis_values: &[f64],
    m: &RunMetrics,
    mil: f64,
    dep: f64,
) {
    let _ = write!(out, "{},{},{},{},{}", id.run_id, id.config_id, id.replication, master_seed, id.stream);
    // Ordinary values as they are typed; extreme ones in exponent form (5e-324, not 327 digits).
    for v in axis_values {
        let _ = write!(out, ",{}", crate::input::show_number(*v));
    }
    let last = m.last.expect("a run has at least one turn");
    for f in FINAL_FIELDS {
        out.push(',');
        f.write(&last, out);
    }
    let n = f64::from(m.turns_in_window.max(1));
    let shares = m.label_turns.map(|count| f64::from(count) / n);
    for v in shares.into_iter().chain([m.sum_h / n, m.sum_x / n, m.sum_payoff / n]) {
        out.push(',');
        push_float(out, v);
    }
    for count in m.actions {
        let _ = write!(out, ",{count}");
    }
    for v in [mil, dep] {
        out.push(',');
        push_float(out, v);
    }
    out.push('\n');
}

/// The header of `series.csv`.
pub fn series_header(spec: &SweepSpec) -> String {
    let mut names = vec!["run_id", "config_id", "replication", "turn"];
    names.extend(spec.series.iter().map(|c| c.name()));
    csv_header_line(&names)
}

/// Append one `series.csv` row for a turn.
pub fn write_series_row(out: &mut String, id: &RunId, columns: &[RecordField], r: &TurnRecord) {
    let _ = write!(out, "{},{},{},{}", id.run_id, id.config_id, id.replication, r.turn);
    for c in columns {
        out.push(',');
        c.write(r, out);
    }
    out.push('\n');
}
