//! One run of a sweep and what is kept of it ([`simulate_run`]): one row of `runs.csv`, the run's
//! [`RunSummary`] (computed by the core) formatted, and optional per-turn `series.csv` rows.

use super::spec::SweepSpec;
use crate::output::{RecordField, csv_header_line, push_cell};
use crate::schema::FieldPath;
use crate::spectrum::Label;
use crate::summary::{RunSummarizer, RunSummary};
use crate::world::TurnRecord;
use std::fmt::Write as _;

/// The labels in the order of the `share_*` columns.
pub const LABELS: [&str; 4] = Label::NAMES;

/// Simulate run `run_id` and append its `runs.csv` row (and, if asked, its series rows).
pub fn simulate_run(
    spec: &SweepSpec,
    run_id: u64,
    independent_seeds: bool,
    row: &mut String,
    series: Option<&mut String>,
) {
    let id = RunId::new(run_id, spec.replications, independent_seeds);
    let mut values = vec![0.0; spec.axes.len()];
    spec.design.config(id.config_id, &mut values);
    let overrides: Vec<(FieldPath, f64)> = spec.axes.iter().map(|a| a.path).zip(values.iter().copied()).collect();
    let mut world = spec.scenario.world_with(spec.master_seed, id.stream, &overrides);
    let mut summarizer = RunSummarizer::new(spec.metrics_from_turn);
    match series {
        Some(out) => world.run(spec.turns(), |r, _| {
            summarizer.observe(r);
            write_series_row(out, &id, &spec.series, r);
        }),
        None => world.run(spec.turns(), |r, _| summarizer.observe(r)),
    }
    let summary = summarizer.summary().expect("a scenario has at least one turn");
    write_runs_row(row, &id, spec.master_seed, &values, &summary);
}

/// The header of `runs.csv` for a sweep with these axes.
pub fn runs_header(spec: &SweepSpec) -> String {
    let mut names: Vec<&str> = vec!["run_id", "config_id", "replication", "seed", "stream"];
    names.extend(spec.axes.iter().map(|a| a.name.as_str()));
    names.extend(RunSummary::COLUMNS);
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

impl RunId {
    /// Run `run_id` of a sweep with `replications` per configuration: configuration
    /// `run_id / replications`, replication `run_id % replications`, and random stream
    /// `replication` (common random numbers across configurations) or `run_id` with independent
    /// seeds.
    pub fn new(run_id: u64, replications: u32, independent_seeds: bool) -> RunId {
        let reps = u64::from(replications);
        let replication = (run_id % reps) as u32;
        RunId {
            run_id,
            config_id: run_id / reps,
            replication,
            stream: if independent_seeds { run_id } else { u64::from(replication) },
        }
    }
}

/// Append one `runs.csv` row (with its newline) for a finished run: its identity, its axis
/// values, then its summary in the order of [`RunSummary::COLUMNS`].
pub fn write_runs_row(out: &mut String, id: &RunId, master_seed: u64, axis_values: &[f64], s: &RunSummary) {
    let _ = write!(out, "{},{},{},{},{}", id.run_id, id.config_id, id.replication, master_seed, id.stream);
    // Ordinary values as they are typed; extreme ones in exponent form (5e-324, not 327 digits).
    for v in axis_values {
        let _ = write!(out, ",{}", crate::input::show_number(*v));
    }
    for cell in s.cells() {
        out.push(',');
        push_cell(out, cell);
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
        push_cell(out, c.cell(r));
    }
    out.push('\n');
}
