//! Every fact over a box of points (`hedgesim facts`): model v2's property 4
//! (docs/calibration/v2-design.md), "every stylized fact holds at ≥ 90% of ≥ 500 Latin hypercube
//! points over a documented box".
//!
//! The box is a sweep file ([`SweepSpec`]): its axes and design (`design = "lhs"`, `samples`)
//! give the points, `replications` the seeds of each arm at each point and `master_seed` their
//! streams (run r plays stream r, a sweep's common random numbers), and its `[facts]` table which
//! facts and how many worst points the summary lists. The facts perturb the scenario under test,
//! which replaces the sweep file's own `scenario` (that one is what `hedgesim sweep` runs on the
//! box).
//!
//! Points run in parallel (rayon) and each point's arms in order, so the results are the same
//! whatever the thread count. At a point, two facts that share an arm (most share the control)
//! play it once.

use super::{Fact, FactError, Measure, Prepared, Runs, Seeds};
use crate::input::{InputError, show_number};
use crate::output::write_atomically;
use crate::sweep::SweepSpec;
use crate::sweep::resolve::{FileResolver, Resolve, Resolved, Unresolved};
use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The per-point file: one row per point and fact.
pub const FACTS_CSV: &str = "facts.csv";
/// The per-fact file: share of points in the region where the fact holds, and the worst points.
pub const SUMMARY_CSV: &str = "summary.csv";
/// The summary for a reader: the table, the worst points and where each fact fails.
pub const SUMMARY_MD: &str = "summary.md";

/// What one point found: its axis values and, per fact, its measure (`None` outside the region).
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    pub values: Vec<f64>,
    pub measures: Vec<Option<Measure>>,
}

/// Every fact over every point of the box.
pub struct BoxResult {
    pub axes: Vec<String>,
    /// Parameters held at one value at every point (`hedgesim facts --set`), as given.
    pub fixed: Vec<(String, f64)>,
    pub facts: Vec<Fact>,
    pub seeds: Seeds,
    pub points: Vec<PointResult>,
    pub worst: usize,
}

/// The facts a box file asks for (its `[facts] only`, or all).
pub fn facts_of(spec: &SweepSpec) -> Vec<Fact> {
    match &spec.facts.only {
        None => super::all(),
        Some(ids) => ids.iter().filter_map(|id| super::find(id)).collect(),
    }
}

/// Check `facts` at every point of `spec`'s design on the scenario under test (`text`, read from
/// `file`), with `fixed` set at every point, with a progress bar on standard error if `progress`.
///
/// A fixed parameter is played as one more axis whose value is the same at every point, so that
/// a fact's region and its arms' own settings read it as they read an axis (an arm's setting of
/// the same path still wins); it is not one of the box's axes, which the caller checks.
pub fn run(
    spec: &SweepSpec,
    facts: Vec<Fact>,
    text: &str,
    file: &Path,
    fixed: &[(String, f64)],
    progress: bool,
) -> Result<BoxResult, FactError> {
    let box_axes = spec.axes.len();
    let axes: Vec<&str> =
        spec.axes.iter().map(|a| a.name.as_str()).chain(fixed.iter().map(|(name, _)| name.as_str())).collect();
    let prepared = facts.iter().map(|f| Prepared::new(f, text, file, &axes)).collect::<Result<Vec<_>, _>>()?;
    let seeds = Seeds::Streams { master: spec.master_seed, count: spec.replications };
    let points = spec.configs();
    let bar = crate::sweep::progress::bar_of(progress, points, 0, "points");
    let results = (0..points)
        .into_par_iter()
        .map(|id| {
            let mut values = vec![0.0; axes.len()];
            spec.design.config(id, &mut values[..box_axes]);
            for (v, (_, value)) in values[box_axes..].iter_mut().zip(fixed) {
                *v = *value;
            }
            let measures = at_point(&prepared, &values, seeds);
            bar.inc(1);
            values.truncate(box_axes);
            measures.map(|measures| PointResult { values, measures })
        })
        .collect::<Result<Vec<_>, _>>();
    bar.finish_and_clear();
    Ok(BoxResult {
        axes: spec.axes.iter().map(|a| a.name.clone()).collect(),
        fixed: fixed.to_vec(),
        facts,
        seeds,
        points: results?,
        worst: spec.facts.worst as usize,
    })
}

/// Every fact at one point, each arm played once however many facts share it.
fn at_point(prepared: &[Prepared], values: &[f64], seeds: Seeds) -> Result<Vec<Option<Measure>>, FactError> {
    let mut played: Vec<(String, Runs)> = Vec::new();
    let mut out = Vec::with_capacity(prepared.len());
    for p in prepared {
        if !p.applies_at(values) {
            out.push(None);
            continue;
        }
        let mut arms = Vec::with_capacity(p.arm_count());
        for i in 0..p.arm_count() {
            let key = p.arm_key(i);
            // Taken out of the cache while measured (no copy) and put back after.
            let runs = match played.iter().position(|(k, _)| *k == key) {
                Some(at) => played.swap_remove(at).1,
                None => p.play(i, values, seeds)?,
            };
            arms.push((key, runs));
        }
        let runs: Vec<Runs> = arms.iter_mut().map(|(_, r)| std::mem::take(r)).collect();
        out.push(Some((p.fact.measure)(&runs)));
        played.extend(arms.into_iter().map(|(k, _)| k).zip(runs));
    }
    Ok(out)
}

/// Per fact: points in the region, points where it holds.
pub struct FactSummary<'a> {
    pub fact: &'a Fact,
    pub in_region: usize,
    pub holding: usize,
    /// In-region points, worst (lowest margin) first; ties by point id.
    pub worst: Vec<usize>,
    /// Points where it fails.
    pub failing: Vec<usize>,
    /// Category counts (P2a: the largest component), in first-seen order of the categories.
    pub categories: Vec<(&'static str, usize)>,
}

impl FactSummary<'_> {
    /// Share of the in-region points where the fact holds; NaN for an empty region.
    pub fn share(&self) -> f64 {
        self.holding as f64 / self.in_region as f64
    }
}

impl BoxResult {
    /// The summary of fact `f`.
    pub fn summary(&self, f: usize) -> FactSummary<'_> {
        let measured: Vec<(usize, &Measure)> =
            self.points.iter().enumerate().filter_map(|(i, p)| p.measures[f].as_ref().map(|m| (i, m))).collect();
        let mut worst: Vec<(usize, f64)> = measured.iter().map(|&(i, m)| (i, m.margin)).collect();
        worst.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut categories: Vec<(&'static str, usize)> = Vec::new();
        for (_, m) in &measured {
            if let Some(c) = m.category {
                match categories.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, n)) => *n += 1,
                    None => categories.push((c, 1)),
                }
            }
        }
        FactSummary {
            fact: &self.facts[f],
            in_region: measured.len(),
            holding: measured.iter().filter(|(_, m)| m.holds).count(),
            worst: worst.into_iter().map(|(i, _)| i).collect(),
            failing: measured.iter().filter(|(_, m)| !m.holds).map(|&(i, _)| i).collect(),
            categories,
        }
    }

    fn summaries(&self) -> Vec<FactSummary<'_>> {
        (0..self.facts.len()).map(|f| self.summary(f)).collect()
    }

    /// `facts.csv`: point, axis values, fact, in_region, holds, margin, detail, category.
    pub fn write_facts_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec!["point".to_string()];
        header.extend(self.axes.iter().cloned());
        header.extend(["fact", "in_region", "holds", "margin", "detail", "category"].map(String::from));
        w.write_record(&header)?;
        for (i, p) in self.points.iter().enumerate() {
            for (f, m) in self.facts.iter().zip(&p.measures) {
                let mut row = vec![i.to_string()];
                row.extend(p.values.iter().map(|&v| show_number(v)));
                row.push(f.id.to_string());
                match m {
                    None => row.extend(["false", "", "", "", ""].map(String::from)),
                    Some(m) => row.extend([
                        "true".into(),
                        m.holds.to_string(),
                        format!("{:.6}", m.margin),
                        m.detail.clone(),
                        m.category.unwrap_or("").to_string(),
                    ]),
                }
                w.write_record(&row)?;
            }
        }
        w.flush()
    }

    /// `summary.csv`: per fact, the points in its region, those where it holds and their share,
    /// the worst points (`id:margin`) and the category counts.
    pub fn write_summary_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "fact",
            "name",
            "region",
            "points_in_region",
            "points_holding",
            "share_holding",
            "worst_points",
            "categories",
        ])?;
        for s in self.summaries() {
            let worst: Vec<String> = s
                .worst
                .iter()
                .take(self.worst)
                .map(|&i| {
                    format!("{i}:{:.4}", self.points[i].measures[self.index(s.fact)].as_ref().map_or(0.0, |m| m.margin))
                })
                .collect();
            let categories: Vec<String> = s.categories.iter().map(|(c, n)| format!("{c}:{n}")).collect();
            w.write_record([
                s.fact.id.to_string(),
                s.fact.name.to_string(),
                s.fact.region.as_ref().map_or("everywhere", |r| r.text).to_string(),
                s.in_region.to_string(),
                s.holding.to_string(),
                if s.in_region == 0 { String::new() } else { format!("{:.4}", s.share()) },
                worst.join(" "),
                categories.join(" "),
            ])?;
        }
        w.flush()
    }

    fn index(&self, fact: &Fact) -> usize {
        self.facts.iter().position(|f| std::ptr::eq(f, fact)).expect("a fact of this box")
    }

    /// The Markdown table printed on standard output: per fact, the points in its region, those
    /// where it holds and their share.
    pub fn table(&self) -> String {
        let mut t = String::from("| fact | in region | hold | share | region |\n|---|---:|---:|---:|---|\n");
        for s in self.summaries() {
            let share = if s.in_region == 0 { "–".to_string() } else { format!("{:.0}%", 100.0 * s.share()) };
            let region = s.fact.region.as_ref().map_or("everywhere", |r| r.text);
            t.push_str(&format!("| {} | {} | {} | {share} | {region} |\n", s.fact.id, s.in_region, s.holding));
        }
        t
    }

    /// `summary.md`: the table, then per fact its statement, threshold, worst points and where it
    /// fails: the mean of each parameter over the failing points against its mean over the region.
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "# Stylized facts over the box\n\n{} points × {} seeds per arm ({}).\n\n{}",
            self.points.len(),
            self.seeds.count(),
            match self.seeds {
                Seeds::Masters(_) => "run r: master seed r".to_string(),
                Seeds::Streams { master, .. } => format!("run r: stream r of master seed {master}"),
            },
            self.table()
        );
        if !self.fixed.is_empty() {
            let fixed: Vec<String> =
                self.fixed.iter().map(|(name, v)| format!("{name} = {}", show_number(*v))).collect();
            md.push_str(&format!("\nSet at every point (`--set`): {}.\n", fixed.join(", ")));
        }
        for s in self.summaries() {
            let f = s.fact;
            let fi = self.index(f);
            md.push_str(&format!("\n## {} {}\n\n{}\n\nNeeds: {}.\n", f.id, f.name, f.source, f.threshold));
            if let Some(r) = &f.region {
                md.push_str(&format!("Region: {}.\n", r.text));
            }
            if !s.categories.is_empty() {
                let c: Vec<String> = s.categories.iter().map(|(c, n)| format!("{c} at {n}")).collect();
                md.push_str(&format!("\nLargest component: {}.\n", c.join(", ")));
            }
            if s.failing.is_empty() {
                continue;
            }
            let region: Vec<usize> = s.worst.clone();
            md.push_str(&format!(
                "\nFails at {} of {} points. Per parameter: its mean over the failing points and over the \
                 region, and the share of the region's points that fail in each third of its range \
                 (low, middle, high):\n\n| parameter | mean failing | mean region | fails low | middle | high |\n\
                 |---|---:|---:|---:|---:|---:|\n",
                s.failing.len(),
                s.in_region
            ));
            for (a, name) in self.axes.iter().enumerate() {
                let value = |i: usize| self.points[i].values[a];
                let avg = |ids: &[usize]| ids.iter().map(|&i| value(i)).sum::<f64>() / ids.len() as f64;
                let (lo, hi) = self
                    .points
                    .iter()
                    .map(|p| p.values[a])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
                let third = |i: usize| (((value(i) - lo) / (hi - lo) * 3.0) as usize).min(2);
                let thirds: Vec<String> = (0..3)
                    .map(|k| {
                        let in_third = region.iter().filter(|&&i| third(i) == k).count();
                        let failing = s.failing.iter().filter(|&&i| third(i) == k).count();
                        if in_third == 0 {
                            "–".to_string()
                        } else {
                            format!("{:.0}%", 100.0 * failing as f64 / in_third as f64)
                        }
                    })
                    .collect();
                md.push_str(&format!(
                    "| {name} | {:.3} | {:.3} | {} |\n",
                    avg(&s.failing),
                    avg(&region),
                    thirds.join(" | ")
                ));
            }
            md.push_str("\nWorst points:\n\n");
            for &i in s.worst.iter().take(self.worst) {
                let p = &self.points[i];
                let m = p.measures[fi].as_ref().expect("in the region");
                let params: Vec<String> =
                    self.axes.iter().zip(&p.values).map(|(a, v)| format!("{a} {}", show_number(round(*v)))).collect();
                md.push_str(&format!("- point {i} ({}): {} (margin {:+.3})\n", params.join(", "), m.detail, m.margin));
            }
        }
        md
    }

    /// Write `facts.csv`, `summary.csv` and `summary.md` into `dir` (created if missing), each
    /// atomically: a file is the old one or the new one, never half written.
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let files = [FACTS_CSV, SUMMARY_CSV, SUMMARY_MD].map(|f| dir.join(f));
        write_atomically(&files[0], |w| self.write_facts_csv(w))?;
        write_atomically(&files[1], |w| self.write_summary_csv(w))?;
        write_atomically(&files[2], |w| w.write_all(self.markdown().as_bytes()))?;
        Ok(files.to_vec())
    }
}

/// A parameter value as the summary lists it: three decimals.
fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The built-in box: model v2's (docs/calibration/v2-design.md, property 4), as docs/calibration/box-v2.toml writes it.
pub const BUILT_IN_BOX: &str = include_str!("../../docs/calibration/box-v2.toml");
/// Where the built-in box comes from, as errors name it.
pub const BUILT_IN_BOX_PATH: &str = "docs/calibration/box-v2.toml";

/// Read a box file (`None`: the built-in box) for the scenario under test at `scenario_file`:
/// the sweep file with its `scenario` replaced by that one (so its axes are checked against the
/// scenario the facts perturb), and the scenario's text.
pub fn read_box(box_file: Option<&Path>, scenario_file: &Path) -> Result<(SweepSpec, String), InputError> {
    let scenario_text = crate::input::read_text(scenario_file, "scenario")?;
    let (path, text) = match box_file {
        Some(p) => (p.to_path_buf(), crate::input::read_text(p, "sweep")?),
        None => (PathBuf::from(BUILT_IN_BOX_PATH), BUILT_IN_BOX.to_string()),
    };
    // The name the box gives its scenario; a file that does not parse is reported by the sweep
    // parser below, with its line.
    let named = toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("scenario").and_then(|s| s.as_str()).map(String::from));
    let beside = FileResolver::beside(&path);
    let files = |name: &str, limit: u64| -> Result<Resolved, Unresolved> {
        if named.as_deref() == Some(name) {
            Ok(Resolved { path: scenario_file.to_path_buf(), bytes: scenario_text.clone().into_bytes() })
        } else {
            beside.resolve(name, limit)
        }
    };
    let spec = SweepSpec::parse(&text, &path, &files)?;
    Ok((spec, scenario_text))
}
