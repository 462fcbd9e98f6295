//! `summary.csv`: per configuration, the mean, standard deviation, n and 95% confidence interval of
//! each metric, and the share of runs ending in each label (with its interval).
//!
//! The summary is computed by streaming `runs.csv`, whose rows are in run-id order and therefore
//! grouped by configuration. So the sweep, a resumed sweep and a merge of shards all produce it the
//! same way, in memory independent of the number of runs.

use super::metrics::LABELS;
use crate::output::csv_field;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::io::{self, Read, Write};

/// Columns of `runs.csv` summarised (all numeric).
pub const SUMMARY_METRICS: &[&str] = &[
    "H",
    "x",
    "A",
    "R",
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
    "mil",
    "dep",
];

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

    let mut line = String::from("config_id");
    for a in axes {
        line.push(',');
        line.push_str(&csv_field(a));
    }
    line.push_str(",n");
    let stats_names =
        SUMMARY_METRICS.iter().copied().map(String::from).chain(LABELS.iter().map(|l| format!("label_{l}")));
    for m in stats_names {
        line.push_str(&format!(",{m}_mean,{m}_sd,{m}_ci_lo,{m}_ci_hi"));
    }
    writeln!(out, "{line}")?;

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
        for s in stats {
            line.push_str(&format!(",{}", s.mean));
            match (s.sd(), s.ci95()) {
                (Some(sd), Some((lo, hi))) => line.push_str(&format!(",{sd},{lo},{hi}")),
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
}
