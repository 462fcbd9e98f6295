//! `summary.csv`: per configuration, the mean, standard deviation, n and 95% confidence interval of
//! each metric, and the share of runs ending in each label (with its interval). Means get a
//! Student-t interval; shares (of runs in a label, or of turns in a label) get a Wilson score
//! interval, which stays within [0, 1] and is not [0, 0] when no run has the label.
//!
//! The summary is computed by streaming `runs.csv`, whose rows are in run-id order and therefore
//! grouped by configuration. So the sweep, a resumed sweep and a merge of shards all produce it the
//! same way, in memory independent of the number of runs.

use super::metrics::LABELS;
use crate::output::{csv_header_line, push_float};
use crate::summary::RunSummary;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::io::{self, Read, Write};

/// Columns of `runs.csv` summarised (all numeric): the last turn's indices, then every column
/// of a run's summary after the last turn's (shares, means, action counts, mil and dep).
pub const SUMMARY_METRICS: [&str; 17] = {
    const INDICES: [&str; 4] = ["H", "x", "A", "R"];
    // The columns of RunSummary after the last turn's mix, indices, label and tilt (metrics.rs tests
    // that the first 13 are those of the last turn).
    const FROM: usize = 13;
    let mut m = [""; 17];
    let mut i = 0;
    while i < m.len() {
        m[i] = if i < INDICES.len() { INDICES[i] } else { RunSummary::COLUMNS[FROM + i - INDICES.len()] };
        i += 1;
    }
    m
};
const _: () = assert!(SUMMARY_METRICS.len() - 4 == RunSummary::COLUMNS.len() - 13);

/// Welford's running mean and variance: one pass, numerically stable, order-deterministic.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    pub n: u64,
    pub mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Sample standard deviation (n − 1); `None` for fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        (self.n >= 2).then(|| (self.m2 / (self.n - 1) as f64).sqrt())
    }

    /// The 95% confidence interval of the mean, `mean ± t(0.975, n − 1)·sd/√n`.
    pub fn ci95(&self) -> Option<(f64, f64)> {
        let sd = self.sd()?;
        let t = StudentsT::new(0.0, 1.0, (self.n - 1) as f64).ok()?.inverse_cdf(0.975);
        let half = t * sd / (self.n as f64).sqrt();
        Some((self.mean - half, self.mean + half))
    }
}

/// The 95% Wilson score interval of a proportion `p` observed over `n` trials.
///
/// The Student-t interval `p ± t·sd/√n` misbehaves at the edges where shares of hedging runs
/// often sit: at p = 0.015 over 200 runs its lower bound is negative, and at p = 0 it is [0, 0], as
/// if no sampling error were possible. Wilson's interval inverts the score test instead, so it
/// stays within [0, 1] and keeps a width at p = 0 and 1. For a share of runs ending in a label the
/// trials are the runs. A share of turns is a mean of per-run fractions in [0, 1], whose variance is
/// at most p(1 − p), so the same interval over the runs is valid for it, if conservative.
pub fn wilson95(p: f64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    // z = Φ⁻¹(0.975).
    const Z: f64 = 1.959_963_984_540_054;
    let (n, z2) = (n as f64, Z * Z);
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

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

    #[test]
    fn welford_matches_the_two_pass_formulas() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.push(x));
        assert_eq!(w.mean, 5.0);
        let sd = (xs.iter().map(|x| (x - 5.0f64).powi(2)).sum::<f64>() / 7.0).sqrt();
        assert!((w.sd().unwrap() - sd).abs() < 1e-12);
        // t(0.975, 7) = 2.364624 (tables).
        let (lo, hi) = w.ci95().unwrap();
        assert!((hi - 5.0 - 2.364624 * sd / 8f64.sqrt()).abs() < 1e-5);
        assert!((5.0 - lo - (hi - 5.0)).abs() < 1e-12);
        let mut one = Welford::default();
        one.push(3.0);
        assert_eq!((one.sd(), one.ci95()), (None, None));
    }

    /// Wilson 95% intervals against values computed by hand from
    /// (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
    #[test]
    fn wilson_intervals_match_hand_computed_values() {
        let close = |(lo, hi): (f64, f64), (a, b): (f64, f64)| (lo - a).abs() < 1e-9 && (hi - b).abs() < 1e-9;
        // 3 of 200: the case where Student-t gave a negative lower bound.
        assert!(close(wilson95(0.015, 200).unwrap(), (0.005_114_237_8, 0.043_165_728_8)));
        // None of 200: not [0, 0].
        assert!(close(wilson95(0.0, 200).unwrap(), (0.0, 0.018_845_326_4)));
        assert!(close(wilson95(1.0, 200).unwrap(), (0.981_154_673_6, 1.0)));
        // 5 of 10, the textbook example: [0.2366, 0.7634].
        assert!(close(wilson95(0.5, 10).unwrap(), (0.236_593_090_5, 0.763_406_909_5)));
        assert!(close(wilson95(1.0, 1).unwrap(), (0.206_549_314_4, 1.0)));
        assert_eq!(wilson95(0.5, 0), None);
    }

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
