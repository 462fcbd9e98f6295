//! `hedgesim analyze DIR`: the sensitivity indices of a finished Sobol' or Morris sweep.
//!
//! The design is rebuilt from the sweep file that `manifest.json` names (its SHA-256 must be the
//! one the sweep ran), `runs.csv` is streamed once, the replications of each design row are
//! averaged, and the estimators of [`super::estimators`] run on the averages. Beside the indices
//! stands the share of the averages' variance that is seed noise, so that a reader sees when the
//! replications are too few for the differences the indices show.

use super::estimators::{self, Estimate, EstimatorError, MorrisIndices, SobolIndices};
use crate::output::{csv_header_line, explain_io, push_float, sha256_hex, write_atomically};
use crate::stats::Welford;
use crate::sweep::design::Design;
use crate::sweep::folder::{Holds, Rows, SweepFolder};
use crate::sweep::manifest::Manifest;
use crate::sweep::summary::SUMMARY_METRICS;
use crate::sweep::{SweepError, SweepSpec};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
pub const SENSITIVITY_JSON: &str = "sensitivity.json";
/// Metrics analysed when `--metric` is not given: the share of turns hedging, mean hedging
/// intensity H and mean alignment x over the metrics window.
pub const DEFAULT_METRICS: &[&str] = &["share_hedging", "mean_H", "mean_x"];
pub const DEFAULT_BOOTSTRAP: u32 = 1000;
pub const MAX_BOOTSTRAP: u32 = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    #[error("{0}")]
    Refused(String),
    /// A row of `runs.csv` that does not fit the design.
    #[error("{}:{line}: {message}", file.display())]
    Data { file: PathBuf, line: u64, message: String },
    #[error("{context}: {}", explain_io(.error))]
    Io { context: String, error: io::Error },
    #[error(transparent)]
    Estimator(#[from] EstimatorError),
}

impl From<io::Error> for AnalyzeError {
    fn from(error: io::Error) -> Self {
        AnalyzeError::Io { context: String::new(), error }
    }
}

/// What `analyze` computes.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Columns of `runs.csv` to analyse (default [`DEFAULT_METRICS`]).
    pub metrics: Vec<String>,
    pub bootstrap: u32,
    /// The sweep file, if not where `manifest.json` says it was.
    pub sweep_file: Option<PathBuf>,
}

/// How the design was built, as `sensitivity.json` records it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum DesignInfo {
    Sobol { samples: u32, second_order: bool },
    Morris { trajectories: u32, levels: u32 },
}

/// One metric's indices.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Indices {
    Sobol(SobolIndices),
    Morris(MorrisIndices),
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricIndices {
    pub metric: String,
    /// Estimated share of the variance of the replication means that is seed noise:
    /// (mean within-row variance / replications) / variance of the row means, at most 1.
    /// `None` with one replication (no estimate) or outputs that do not vary.
    pub seed_noise_share: Option<f64>,
    #[serde(flatten)]
    pub indices: Indices,
}

/// The sensitivity of a sweep's metrics to its parameters: `sensitivity.json` as it is written.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub sweep_id: String,
    pub design: DesignInfo,
    pub parameters: Vec<String>,
    pub configs: u64,
    pub replications: u32,
    pub bootstrap_resamples: u32,
    /// The seed of the bootstrap's ChaCha8 stream: the sweep's design seed.
    pub bootstrap_seed: u64,
    pub confidence: f64,
    pub metrics: Vec<MetricIndices>,
}

/// Read a finished sweep folder and compute the indices of `opts.metrics`.
pub fn analyze(dir: &Path, opts: &AnalyzeOptions) -> Result<Analysis, AnalyzeError> {
    let (manifest, spec) = load(dir, opts)?;
    let design = match &spec.design {
        Design::Sobol { samples, second_order, .. } => {
            DesignInfo::Sobol { samples: *samples, second_order: *second_order }
        }
        Design::Morris { trajectories, levels, .. } => {
            DesignInfo::Morris { trajectories: *trajectories, levels: *levels }
        }
        // load() refused the others.
        other => return Err(no_indices(other)),
    };
    for m in &opts.metrics {
        if !SUMMARY_METRICS.contains(&m.as_str()) {
            return Err(AnalyzeError::Refused(format!(
                "--metric {m}: not a metric of runs.csv; expected one of {}",
                SUMMARY_METRICS.join(", ")
            )));
        }
    }
    let means = replication_means(dir, &opts.metrics, spec.configs(), spec.replications)?;
    let d = spec.axes.len();
    let seed = spec.design_seed;
    let mut metrics = Vec::with_capacity(opts.metrics.len());
    for (name, m) in opts.metrics.iter().zip(means) {
        let indices = match &spec.design {
            Design::Sobol { second_order, .. } => {
                Indices::Sobol(estimators::sobol(&m.means, d, *second_order, opts.bootstrap, seed)?)
            }
            Design::Morris { rows, levels, .. } => {
                Indices::Morris(estimators::morris(rows, &m.means, d, *levels, opts.bootstrap, seed)?)
            }
            other => return Err(no_indices(other)),
        };
        metrics.push(MetricIndices { metric: name.clone(), seed_noise_share: m.seed_noise_share, indices });
    }
    Ok(Analysis {
        sweep_id: manifest.sweep_id,
        design,
        parameters: spec.axes.iter().map(|a| a.name.clone()).collect(),
        configs: spec.configs(),
        replications: spec.replications,
        bootstrap_resamples: opts.bootstrap,
        bootstrap_seed: seed,
        confidence: 0.95,
        metrics,
    })
}

fn no_indices(design: &Design) -> AnalyzeError {
    AnalyzeError::Refused(format!(
        "a {} design has no sensitivity indices; analyze needs sobol or morris",
        design.name()
    ))
}

/// The finished sweep's manifest and its sweep, read again from the file the manifest names.
fn load(dir: &Path, opts: &AnalyzeOptions) -> Result<(Manifest, SweepSpec), AnalyzeError> {
    let refused = |m: String| AnalyzeError::Refused(m);
    let manifest = match SweepFolder::new(dir).holds().map_err(|e: SweepError| refused(e.to_string()))? {
        Holds::Finished(m) => *m,
        Holds::Interrupted(_) => {
            return Err(refused(format!(
                "{} holds an unfinished sweep; finish it with `hedgesim sweep … --resume`, then analyze it",
                dir.display()
            )));
        }
        Holds::Nothing => {
            return Err(refused(format!(
                "{} is not a finished sweep folder (it has no manifest.json); analyze takes the --out folder of a \
                 finished `hedgesim sweep` or `hedgesim merge`",
                dir.display()
            )));
        }
    };
    if manifest.shard.count > 1 {
        return Err(refused(format!(
            "{} holds shard {}/{} of a sweep, part of its runs; merge the shards with `hedgesim merge`, then analyze \
             the merged folder",
            dir.display(),
            manifest.shard.index,
            manifest.shard.count
        )));
    }
    if !matches!(manifest.design.as_str(), "sobol" | "morris") {
        return Err(refused(format!(
            "{} holds a {} design; analyze needs design = \"sobol\" or \"morris\" (docs/sensitivity.md)",
            dir.display(),
            manifest.design
        )));
    }
    let file = opts.sweep_file.clone().unwrap_or_else(|| PathBuf::from(&manifest.sweep_file));
    let bytes = std::fs::read(&file).map_err(|e| {
        refused(format!(
            "cannot read the sweep file {} ({}); analyze rebuilds the design from it: give its path with --sweep FILE",
            file.display(),
            explain_io(&e)
        ))
    })?;
    if sha256_hex(&bytes) != manifest.sweep_sha256 {
        return Err(refused(format!(
            "{} is not the sweep file {} ran (its SHA-256 differs from manifest.json's sweep_sha256); give the file it \
             ran with --sweep FILE",
            file.display(),
            dir.display()
        )));
    }
    let spec = SweepSpec::from_file(&file)?;
    if spec.configs() != manifest.configs || spec.replications != manifest.replications {
        return Err(refused(format!(
            "{} gives {} configurations × {} replications, but manifest.json has {} × {}",
            file.display(),
            spec.configs(),
            spec.replications,
            manifest.configs,
            manifest.replications
        )));
    }
    Ok((manifest, spec))
}

/// One metric's replication means per design row, and its seed-noise share.
struct RowMeans {
    means: Vec<f64>,
    seed_noise_share: Option<f64>,
}

/// Stream `runs.csv` once: for each metric, the mean over each configuration's replications,
/// checking that the rows are the design's, in order and complete.
fn replication_means(dir: &Path, metrics: &[String], configs: u64, reps: u32) -> Result<Vec<RowMeans>, AnalyzeError> {
    let path = SweepFolder::new(dir).rows(Rows::Runs);
    let data = |line: u64, message: String| AnalyzeError::Data { file: path.clone(), line, message };
    let f =
        File::open(&path).map_err(|e| AnalyzeError::Io { context: format!("reading {}", path.display()), error: e })?;
    let mut reader = csv::ReaderBuilder::new().from_reader(BufReader::with_capacity(1 << 20, f));
    let header = reader.headers().map_err(|e| data(1, e.to_string()))?.clone();
    let col = |name: &str| header.iter().position(|h| h == name).ok_or_else(|| data(1, format!("no column `{name}`")));
    let config_col = col("config_id")?;
    let cols: Vec<usize> = metrics.iter().map(|m| col(m)).collect::<Result<_, _>>()?;
    let mut means: Vec<Vec<f64>> = vec![Vec::with_capacity(configs as usize); metrics.len()];
    let mut within: Vec<f64> = vec![0.0; metrics.len()];
    let mut row = vec![Welford::default(); metrics.len()];
    let mut current: u64 = 0;
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    let mut close_row = |row: &mut [Welford], line: u64, config: u64| -> Result<(), AnalyzeError> {
        if row[0].n != u64::from(reps) {
            return Err(data(
                line,
                format!("configuration {config} has {} runs, the sweep {reps} replications", row[0].n),
            ));
        }
        for (k, w) in row.iter_mut().enumerate() {
            means[k].push(w.mean);
            within[k] += w.sd().map_or(0.0, |sd| sd * sd);
            *w = Welford::default();
        }
        Ok(())
    };
    while reader.read_record(&mut record).map_err(|e| data(line + 1, e.to_string()))? {
        line = record.position().map_or(line + 1, |p| p.line());
        let config: u64 = record[config_col]
            .parse()
            .map_err(|_| data(line, format!("config_id `{}` is not a whole number", &record[config_col])))?;
        if config != current {
            if config != current + 1 {
                return Err(data(
                    line,
                    format!("config_id {config} follows {current}; the rows are not a whole sweep"),
                ));
            }
            close_row(&mut row, line, current)?;
            current = config;
        }
        for (w, (&c, m)) in row.iter_mut().zip(cols.iter().zip(metrics)) {
            let v: f64 = record[c].parse().map_err(|_| data(line, format!("{m}: `{}` is not a number", &record[c])))?;
            w.push(v);
        }
    }
    if line == 1 {
        return Err(data(1, "no runs".into()));
    }
    close_row(&mut row, line, current)?;
    if current + 1 != configs {
        return Err(data(line, format!("{} configurations, the design {configs}", current + 1)));
    }
    Ok(means
        .into_iter()
        .zip(within)
        .map(|(means, within)| {
            let mut between = Welford::default();
            means.iter().for_each(|&m| between.push(m));
            let var_means = between.sd().map_or(0.0, |sd| sd * sd);
            let noise = within / configs as f64 / f64::from(reps);
            let seed_noise_share = (reps >= 2 && var_means > 0.0).then(|| (noise / var_means).min(1.0));
            RowMeans { means, seed_noise_share }
        })
        .collect())
}

/// Columns of `sensitivity.csv`: one row per metric, index and parameter (and second parameter
/// for S2), tidy for pandas or R.
const CSV_COLUMNS: [&str; 9] =
    ["metric", "index", "parameter", "parameter2", "value", "conf", "ci_lo", "ci_hi", "seed_noise_share"];

impl Analysis {
    /// `sensitivity.csv`: empty cells where an index has no interval (μ, σ) or no value (an
    /// output that does not vary).
    pub fn to_csv(&self) -> String {
        let mut out = csv_header_line(&CSV_COLUMNS) + "\n";
        let num = |out: &mut String, v: Option<f64>| {
            out.push(',');
            if let Some(v) = v.filter(|v| v.is_finite()) {
                push_float(out, v);
            }
        };
        for m in &self.metrics {
            let mut row = |index: &str, p: &str, p2: &str, value: f64, conf: Option<f64>| {
                out.push_str(&csv_header_line(&[m.metric.as_str(), index, p, p2]));
                num(&mut out, Some(value));
                num(&mut out, conf);
                num(&mut out, conf.map(|c| value - c));
                num(&mut out, conf.map(|c| value + c));
                num(&mut out, m.seed_noise_share);
                out.push('\n');
            };
            let est = |e: &Estimate| (e.value, Some(e.conf));
            match &m.indices {
                Indices::Sobol(s) => {
                    for (name, list) in [("S1", &s.s1), ("ST", &s.st)] {
                        for (p, e) in self.parameters.iter().zip(list) {
                            let (v, c) = est(e);
                            row(name, p, "", v, c);
                        }
                    }
                    for (i, cells) in s.s2.iter().flatten().enumerate() {
                        for (j, e) in cells.iter().enumerate() {
                            if let Some(e) = e {
                                let (v, c) = est(e);
                                row("S2", &self.parameters[i], &self.parameters[j], v, c);
                            }
                        }
                    }
                }
                Indices::Morris(mo) => {
                    for (i, p) in self.parameters.iter().enumerate() {
                        row("mu", p, "", mo.mu[i], None);
                        let (v, c) = est(&mo.mu_star[i]);
                        row("mu_star", p, "", v, c);
                        row("sigma", p, "", mo.sigma[i], None);
                    }
                }
            }
        }
        out
    }

    /// A short table for the terminal: per metric, the parameters by their main index.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let width = self.parameters.iter().map(|p| p.len()).max().unwrap_or(9).max(9);
        let f = |v: f64| if v.is_finite() { format!("{v:>6.3}") } else { format!("{:>6}", "—") };
        for m in &self.metrics {
            let noise = m.seed_noise_share.map_or("n/a".to_string(), |s| format!("{:.1}%", 100.0 * s));
            out.push_str(&format!("{} (seed noise {noise} of the variance)\n", m.metric));
            match &m.indices {
                Indices::Sobol(s) => {
                    out.push_str(&format!(
                        "  {:<width$}  {:>6} {:>8}  {:>6} {:>8}\n",
                        "parameter", "S1", "±", "ST", "±"
                    ));
                    for (i, p) in self.parameters.iter().enumerate() {
                        let (a, b) = (s.s1[i], s.st[i]);
                        out.push_str(&format!(
                            "  {p:<width$}  {} {:>8}  {} {:>8}\n",
                            f(a.value),
                            f(a.conf).trim(),
                            f(b.value),
                            f(b.conf).trim()
                        ));
                    }
                }
                Indices::Morris(mo) => {
                    out.push_str(&format!(
                        "  {:<width$}  {:>8} {:>8}  {:>8} {:>8}\n",
                        "parameter", "mu*", "±", "mu", "sigma"
                    ));
                    for (i, p) in self.parameters.iter().enumerate() {
                        out.push_str(&format!(
                            "  {p:<width$}  {:>8.4} {:>8.4}  {:>8.4} {:>8.4}\n",
                            mo.mu_star[i].value, mo.mu_star[i].conf, mo.mu[i], mo.sigma[i]
                        ));
                    }
                }
            }
        }
        out
    }

    /// Write `sensitivity.csv` and `sensitivity.json` into `dir`, each atomically.
    pub fn write(&self, dir: &Path) -> Result<(), AnalyzeError> {
        let csv = self.to_csv();
        let json = serde_json::to_string_pretty(self).map_err(io::Error::other)? + "\n";
        for (name, text) in [(SENSITIVITY_CSV, csv), (SENSITIVITY_JSON, json)] {
            let path = dir.join(name);
            write_atomically(&path, |w: &mut dyn Write| w.write_all(text.as_bytes()))
                .map_err(|e| AnalyzeError::Io { context: format!("writing {}", path.display()), error: e })?;
        }
        Ok(())
    }
}
