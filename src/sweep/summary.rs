//! `summary.csv`: per configuration, the mean, standard deviation, n and 95% confidence interval of
//! each metric, and the share of runs ending in each label (with its interval). Means get a
//! Student-t interval; shares (of runs in a label, or of turns in a label) get a Wilson score
//! interval, which stays within [0, 1] and is not [0, 0] when no run has the label.
//!
//! The summary is computed by streaming `runs.csv`, whose rows are in run-id order and therefore
//! grouped by configuration. So the sweep, a resumed sweep and a merge of shards all produce it the
//! same way, in memory independent of the number of runs.

use super::metrics::LABELS;
use crate::output::{RecordField, csv_header_line, push_float};
use crate::stats::{Welford, wilson95};
use crate::summary::RunSummary;
use std::io::{self, Read, Write};

/// Columns of `runs.csv` summarised (all numeric): the last turn's indices, then every column
/// of a run's summary after the last turn's alignment (shares, means, action counts, mil and dep).
pub const SUMMARY_METRICS: [&str; INDICES.len() + RunSummary::COLUMNS.len() - FROM] = {
    let mut m = [""; INDICES.len() + RunSummary::COLUMNS.len() - FROM];
    let mut i = 0;
    while i < m.len() {
        m[i] = if i < INDICES.len() { INDICES[i].name() } else { RunSummary::COLUMNS[FROM + i - INDICES.len()] };
        i += 1;
    }
    m
};
/// The last turn's indices summary.csv summarises.
const INDICES: [RecordField; 4] =
    [RecordField::HedgingIntensity, RecordField::Alignment, RecordField::Acceptance, RecordField::Rejection];
/// Where the summary's columns after the last turn's mix, indices, label and tilt start.
const FROM: usize = RunSummary::ENDING_ALIGNMENT.len();

/// Whether summary column `name` (a metric of `runs.csv` or `label_<label>`) is a share, which
/// gets a Wilson interval rather than a Student-t one.
fn is_share(name: &str) -> bool {
    name.starts_with("share_") || name.starts_with("label_")
}

fn bad_data(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Read `runs.csv` from `runs` and write `summary.csv` to `out`. `axes` are the axis column names.
pub fn summarize(runs: impl Read, axes: &[String], out: &mut dyn Write) -> io::Result<()> {
    let mut reader = csv::ReaderBuilder::new().from_reader(runs);
    let header = reader.headers().map_err(|e| bad_data(format!("runs.csv: {e}")))?.clone();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| bad_data(format!("runs.csv has no column `{name}`")))
    };
    let config_col = col("config_id")?;
    let label_col = col("label")?;
    let axis_cols: Vec<usize> = axes.iter().map(|a| col(a)).collect::<Result<_, _>>()?;
    let metric_cols: Vec<usize> = SUMMARY_METRICS.iter().map(|m| col(m)).collect::<Result<_, _>>()?;

    let stats_names: Vec<String> =
        SUMMARY_METRICS.iter().copied().map(String::from).chain(LABELS.iter().map(|l| format!("label_{l}"))).collect();
    let mut names: Vec<String> = vec!["config_id".into()];
    names.extend(axes.iter().cloned());
    names.push("n".into());
    for m in &stats_names {
        names.extend(["mean", "sd", "ci_lo", "ci_hi"].map(|s| format!("{m}_{s}")));
    }
    let shares: Vec<bool> = stats_names.iter().map(|m| is_share(m)).collect();
    writeln!(out, "{}", csv_header_line(&names))?;

    let n_stats = SUMMARY_METRICS.len() + LABELS.len();
    let mut stats = vec![Welford::default(); n_stats];
    let mut current: Option<(String, Vec<String>)> = None;
    let flush = |current: &Option<(String, Vec<String>)>, stats: &[Welford], out: &mut dyn Write| -> io::Result<()> {
        let Some((config, axis_values)) = current else { return Ok(()) };
        let mut line = config.clone();
        for v in axis_values {
            line.push(',');
            line.push_str(v);
        }
        line.push_str(&format!(",{}", stats[0].n));
        for (s, &share) in stats.iter().zip(&shares) {
            line.push(',');
            push_float(&mut line, s.mean);
            let ci = if share { wilson95(s.mean, s.n) } else { s.ci95() };
            match (s.sd(), ci) {
                (Some(sd), Some((lo, hi))) => {
                    for v in [sd, lo, hi] {
                        line.push(',');
                        push_float(&mut line, v);
                    }
                }
                _ => line.push_str(",,,"),
            }
        }
        writeln!(out, "{line}")
    };
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| bad_data(format!("runs.csv: {e}")))? {
        let config = &record[config_col];
        if current.as_ref().is_none_or(|(c, _)| c != config) {
            flush(&current, &stats, out)?;
            stats.iter_mut().for_each(|s| *s = Welford::default());
            current = Some((config.to_string(), axis_cols.iter().map(|&c| record[c].to_string()).collect()));
        }
        for (s, &c) in stats.iter_mut().zip(&metric_cols) {
            let v: f64 =
                record[c].parse().map_err(|_| bad_data(format!("runs.csv: `{}` is not a number", &record[c])))?;
            s.push(v);
        }
        let label = &record[label_col];
        for (s, l) in stats[SUMMARY_METRICS.len()..].iter_mut().zip(LABELS) {
            s.push(if label == l { 1.0 } else { 0.0 });
        }
    }
    flush(&current, &stats, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In summary.csv, share and label columns carry Wilson intervals, other metrics Student-t.
    #[test]
    fn summary_puts_wilson_intervals_on_shares() {
        assert!(is_share("share_hedging") && is_share("label_balancing") && !is_share("mean_H") && !is_share("A"));
        let header = "run_id,config_id,label,".to_string() + &SUMMARY_METRICS.join(",");
        let row = |label: &str, share: f64| {
            let metrics: Vec<String> =
                SUMMARY_METRICS.iter().map(|m| if m.starts_with("share_") { share } else { 0.5 }.to_string()).collect();
            format!("0,0,{label},{}", metrics.join(","))
        };
        // 200 runs, 3 of them ending balancing; share_* = 0.015 in every run.
        let mut runs = header + "\n";
        for i in 0..200 {
            runs += &row(if i < 3 { "balancing" } else { "hedging" }, 0.015);
            runs += "\n";
        }
        let mut out = Vec::new();
        summarize(runs.as_bytes(), &[], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        let names: Vec<&str> = lines.next().unwrap().split(',').collect();
        let values: Vec<&str> = lines.next().unwrap().split(',').collect();
        let get = |name: &str| values[names.iter().position(|n| *n == name).unwrap()].parse::<f64>().unwrap();
        assert!((get("label_balancing_ci_lo") - 0.005_114_237_8).abs() < 1e-9);
        assert!((get("label_balancing_ci_hi") - 0.043_165_728_8).abs() < 1e-9);
        assert!((get("label_bandwagoning_ci_hi") - 0.018_845_326_4).abs() < 1e-9);
        assert_eq!(get("label_bandwagoning_ci_lo"), 0.0);
        assert!((get("share_hedging_ci_lo") - 0.005_114_237_8).abs() < 1e-9);
        // A mean keeps its Student-t interval: sd 0, so the interval is the mean itself.
        assert_eq!((get("mean_H_ci_lo"), get("mean_H_ci_hi")), (0.5, 0.5));
    }
}
