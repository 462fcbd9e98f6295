//! Sweep files (README, "Parameter sweeps"): which scenario, which axes, which design, how many
//! replications. Every path and value is checked before any run starts, and errors name the sweep
//! file (or the design table), the line and the field.

use super::design::{Design, latin_hypercube};
use super::resolve::{FileResolver, Resolve, Unresolved};
use crate::input::{
    InputError, Locator, MAX_INPUT_BYTES, MAX_TABLE_BYTES, Seg, describe_io, int_in, key, show_number, utf8,
};
use crate::output::RecordField;
use crate::output::sha256_hex;
use crate::scenario::{FORMAT, Scenario};
use crate::schema::FieldPath;
use crate::sensitivity::estimators::saltelli_rows_per_sample;
use crate::sensitivity::sampling::{
    Distribution, MAX_SOBOL_PARAMETERS, MAX_SOBOL_SAMPLES, Marginal, morris_unit, saltelli_unit, scale,
};
use serde::Deserialize;
use std::io;
use std::path::{Path, PathBuf};

// Limits: guards against a typo (an extra zero) costing hours, memory or a disk. Each is checked
// before any run starts, and the error gives the computed size and the limit.

/// Most replications per configuration a sweep may ask for.
pub const MAX_REPLICATIONS: u32 = 10_000_000;
/// Most Latin hypercube samples.
pub const MAX_SAMPLES: u32 = 1_000_000;
/// Most axes (swept parameters), in `[[axes]]` or as columns of a design table.
pub const MAX_AXES: usize = 100;
/// Most values of one axis: the length of `values`, or `range.steps`.
pub const MAX_AXIS_VALUES: u32 = 1_000_000;
/// Most numbers a design holds in memory: all axes' values of a grid or zip, samples × axes of a
/// Latin hypercube, rows × columns of a table.
pub const MAX_DESIGN_VALUES: u64 = 10_000_000;
/// Most runs (configurations × replications) in one sweep; a bigger study is several sweeps.
pub const MAX_RUNS: u64 = 1_000_000_000;
/// Default replications per configuration.
pub const DEFAULT_REPLICATIONS: u32 = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    format: Option<i64>,
    scenario: String,
    replications: Option<i64>,
    master_seed: Option<u64>,
    design: Option<String>,
    samples: Option<i64>,
    design_seed: Option<u64>,
    csv: Option<String>,
    metrics_from_turn: Option<i64>,
    series: Option<Vec<String>>,
    second_order: Option<bool>,
    trajectories: Option<i64>,
    levels: Option<i64>,
    #[serde(default)]
    axes: Vec<AxisFile>,
    facts: Option<FactsFile>,
}

/// The `[facts]` table: what `hedgesim facts` checks over the sweep's design (a sweep ignores it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    only: Option<Vec<String>>,
    worst: Option<i64>,
}

/// The `[facts]` table of a sweep file, validated: which facts `hedgesim facts` checks over the
/// design ([`crate::facts`]) and how many of the worst points its summary lists per fact.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsSettings {
    /// Fact ids (`SF1`, `P1a`), in the file's order; `None`: every fact.
    pub only: Option<Vec<String>>,
    pub worst: u32,
}

/// Worst points listed per fact when `[facts]` does not say.
pub const DEFAULT_WORST: u32 = 5;
/// Most worst points listed per fact.
pub const MAX_WORST: u32 = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisFile {
    path: String,
    values: Option<Vec<f64>>,
    range: Option<RangeFile>,
    distribution: Option<String>,
    mean: Option<f64>,
    sd: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFile {
    from: f64,
    to: f64,
    steps: Option<i64>,
}

/// One swept parameter.
#[derive(Debug, Clone)]
pub struct Axis {
    /// The path as written (`great_power.hostility`), used as a column name.
    pub name: String,
    pub path: FieldPath,
}

/// Series columns written when the sweep file does not choose.
pub const DEFAULT_SERIES: &[RecordField] = &[
    RecordField::HedgingIntensity,
    RecordField::Alignment,
    RecordField::Acceptance,
    RecordField::Rejection,
    RecordField::Label,
    RecordField::Action,
];

/// A validated sweep.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    pub file: PathBuf,
    pub scenario_file: PathBuf,
    pub scenario: Scenario,
    pub replications: u32,
    pub master_seed: u64,
    pub design: Design,
    pub design_seed: u64,
    pub axes: Vec<Axis>,
    /// Turns `[metrics_from_turn, turns)` are summarised.
    pub metrics_from_turn: u32,
    /// Per-turn columns of `series.csv` (any of `hedgesim run --format csv`'s).
    pub series: Vec<RecordField>,
    /// SHA-256 of the sweep file, the scenario file and the design table (if any).
    pub sweep_sha256: String,
    pub scenario_sha256: String,
    pub table_sha256: Option<String>,
    /// The design table, for a table design (an input a sweep must not write over).
    pub table_file: Option<PathBuf>,
    /// The `[facts]` table (its defaults if the file has none).
    pub facts: FactsSettings,
}

impl SweepSpec {
    pub fn configs(&self) -> u64 {
        self.design.configs().expect("checked when the spec was read")
    }

    pub fn runs(&self) -> u64 {
        self.configs() * u64::from(self.replications)
    }

    pub fn turns(&self) -> u32 {
        self.scenario.meta.turns
    }

    /// Read and validate a sweep file and the scenario (and table) it names.
    pub fn from_file(path: &Path) -> Result<SweepSpec, InputError> {
        let text = crate::input::read_text(path, "sweep")?;
        SweepSpec::parse(&text, path, &FileResolver::beside(path))
    }

    /// Validate sweep text as if it were the file at `path`: errors name `path`, and the scenario
    /// and design table it names come from `files` (for a file on disk, [`FileResolver::beside`]
    /// `path`), which also gives the paths their errors name.
    pub fn parse(text: &str, path: &Path, files: &dyn Resolve) -> Result<SweepSpec, InputError> {
        let doc = Locator::new(text, path)?;
        if text.trim().is_empty() {
            return Err(doc.error_at(None, "", "the file is empty; a sweep needs at least `scenario = \"…\"`"));
        }
        if doc.has_top_key("meta") && !doc.has_top_key("scenario") {
            return Err(doc.error(
                &[key("meta")],
                format!(
                    "this is a scenario file (it has [meta]), not a sweep file; run it with `hedgesim run {0}`, \
                     or sweep it with a sweep file that names it in `scenario = \"…\"` (see sweeps/)",
                    path.display()
                ),
            ));
        }
        let f: SweepFile = toml::from_str(text).map_err(|e| doc.serde_error(&e))?;
        if let Some(v) = f.format
            && v != i64::from(FORMAT)
        {
            return Err(
                doc.error(&[key("format")], format!("unsupported format {v}; this version reads format {FORMAT}"))
            );
        }
        let (scenario_file, scenario_text) =
            named_file(files, &doc, "scenario", "scenario", &f.scenario, MAX_INPUT_BYTES, utf8)?;
        let scenario = Scenario::parse(&scenario_text, &scenario_file)?;
        let replications =
            int_in(f.replications, DEFAULT_REPLICATIONS, 1, MAX_REPLICATIONS, &[key("replications")], &doc)?;
        let turns = scenario.meta.turns;
        let metrics_from_turn = int_in(f.metrics_from_turn, 0, 0, turns - 1, &[key("metrics_from_turn")], &doc)
            .map_err(|mut e| {
                e.message.push_str(&format!(" (the scenario has {turns} turns)"));
                e
            })?;
        let master_seed = f.master_seed.unwrap_or(scenario.meta.seed);
        let design_seed = f.design_seed.unwrap_or(master_seed);

        let resolve = |i: usize, p: &str| -> Result<FieldPath, InputError> {
            scenario.real_field(p).map_err(|m| doc.error(&[key("axes"), Seg::Index(i), key("path")], m))
        };
        if f.axes.len() > MAX_AXES {
            return Err(doc.error(
                &[key("axes"), Seg::Index(MAX_AXES)],
                format!(
                    "the sweep has {} axes, more than the limit of {MAX_AXES}; sweep fewer parameters at once",
                    f.axes.len()
                ),
            ));
        }
        let mut axes = Vec::with_capacity(f.axes.len());
        for (i, a) in f.axes.iter().enumerate() {
            if f.axes[..i].iter().any(|b| b.path == a.path) {
                return Err(
                    doc.error(&[key("axes"), Seg::Index(i), key("path")], format!("axis `{}` appears twice", a.path))
                );
            }
            axes.push(Axis { name: a.path.clone(), path: resolve(i, &a.path)? });
        }

        let design_name = f.design.as_deref().unwrap_or("grid");
        // Where a design that is too big is reported: the replications if the file sets them,
        // else what sets the number of configurations.
        let size_field: &[Seg] = &[key(match (f.replications, design_name) {
            (Some(_), _) => "replications",
            (None, "lhs") => "samples",
            (None, "table") => "csv",
            (None, "sobol") => "samples",
            (None, "morris") => "trajectories",
            (None, _) => "axes",
        })];
        let mut table_sha256 = None;
        let mut table_file = None;
        let design = match design_name {
            "grid" | "zip" => {
                // Count first, so that a grid too big to run is refused before its values exist.
                let mut counts = Vec::with_capacity(axes.len());
                for (i, a) in f.axes.iter().enumerate() {
                    counts.push(axis_len(i, a, &doc)?);
                }
                let stored: u64 = counts.iter().sum();
                if stored > MAX_DESIGN_VALUES {
                    return Err(doc.error(
                        &[key("axes")],
                        format!(
                            "the axes hold {stored} values in all, more than the limit of {MAX_DESIGN_VALUES}; \
                             use fewer values"
                        ),
                    ));
                }
                if design_name == "zip" {
                    if let Some(&first) = counts.first() {
                        for (i, &n) in counts.iter().enumerate() {
                            if n != first {
                                return Err(doc.error(
                                    &[key("axes"), Seg::Index(i)],
                                    format!(
                                        "a zip design needs axes of equal length; `{}` has {n} values, `{}` has {first}",
                                        axes[i].name, axes[0].name,
                                    ),
                                ));
                            }
                        }
                    }
                    check_runs(counts.first().copied().unwrap_or(1), replications, size_field, &doc)?;
                } else {
                    let configs = counts.iter().fold(1u64, |acc, &n| acc.saturating_mul(n));
                    check_runs(configs, replications, size_field, &doc)?;
                }
                let mut values = Vec::with_capacity(axes.len());
                for (i, a) in f.axes.iter().enumerate() {
                    values.push(axis_values(i, a, counts[i], &axes[i], &doc)?);
                }
                if design_name == "zip" { Design::Zip { values } } else { Design::Grid { values } }
            }
            "lhs" => {
                let samples = int_in(f.samples, 0, 1, MAX_SAMPLES, &[key("samples")], &doc).map_err(|mut e| {
                    e.message.push_str("; a Latin hypercube needs `samples = N`");
                    e
                })?;
                if f.samples.is_none() {
                    return Err(doc.error(
                        &[key("design")],
                        "design = \"lhs\" needs `samples = N`, the number of configurations",
                    ));
                }
                let stored = u64::from(samples) * axes.len() as u64;
                if stored > MAX_DESIGN_VALUES {
                    return Err(doc.error(
                        &[key("samples")],
                        format!(
                            "{samples} samples × {} axes = {stored} values, more than the limit of \
                             {MAX_DESIGN_VALUES}; use fewer samples",
                            axes.len()
                        ),
                    ));
                }
                check_runs(u64::from(samples), replications, size_field, &doc)?;
                let mut ranges = Vec::with_capacity(axes.len());
                for (i, a) in f.axes.iter().enumerate() {
                    let at = |k: &str| [key("axes"), Seg::Index(i), key(k)];
                    let r = axis_range(i, a, "Latin hypercube", &doc)?;
                    for v in [r.from, r.to] {
                        axes[i].path.check(v).map_err(|m| doc.error(&at("range"), m))?;
                    }
                    ranges.push((r.from, r.to));
                }
                Design::Lhs { rows: latin_hypercube(&ranges, samples as usize, design_seed) }
            }
            "table" => {
                if !f.axes.is_empty() {
                    return Err(doc.error(
                        &[key("axes")],
                        "a table design takes its axes from the CSV header; remove the [[axes]]",
                    ));
                }
                let csv_name = f
                    .csv
                    .as_ref()
                    .ok_or_else(|| doc.error(&[key("design")], "design = \"table\" needs `csv = \"design.csv\"`"))?;
                let (csv_path, bytes) = named_file(files, &doc, "csv", "design table", csv_name, MAX_TABLE_BYTES, Ok)?;
                table_sha256 = Some(sha256_hex(&bytes));
                table_file = Some(csv_path.clone());
                let (table_axes, rows) = read_table(&csv_path, &bytes, &scenario)?;
                check_runs(rows.len() as u64, replications, size_field, &doc)?;
                axes = table_axes;
                Design::Table { rows }
            }
            "sobol" | "morris" => {
                screening_design(design_name, &f, &axes, replications, size_field, design_seed, &doc)?
            }
            other => {
                return Err(doc.error(
                    &[key("design")],
                    format!(
                        "unknown design `{other}`; expected \"grid\", \"zip\", \"lhs\", \"table\", \"sobol\" or \"morris\""
                    ),
                ));
            }
        };
        check_screening_fields(design_name, &f, &doc)?;
        if design_name != "table" && f.csv.is_some() {
            return Err(doc.error(&[key("csv")], "`csv` is only used with design = \"table\""));
        }
        if !matches!(design_name, "lhs" | "sobol") && f.samples.is_some_and(|s| s != 0) {
            return Err(doc.error(&[key("samples")], "`samples` is only used with design = \"lhs\" or \"sobol\""));
        }
        if design.configs() == Some(0) {
            return Err(doc.error(&[key("axes")], "the design has no configurations"));
        }

        let series = match &f.series {
            None => DEFAULT_SERIES.to_vec(),
            Some(cols) => {
                let mut fields = Vec::with_capacity(cols.len());
                for (i, c) in cols.iter().enumerate() {
                    let f = RecordField::from_name(c).ok_or_else(|| {
                        let names: Vec<&str> = RecordField::ALL.iter().map(|f| f.name()).collect();
                        doc.error(
                            &[key("series"), Seg::Index(i)],
                            format!("unknown series column `{c}`; expected one of {}", names.join(", ")),
                        )
                    })?;
                    fields.push(f);
                }
                fields
            }
        };

        let facts = facts_settings(f.facts.as_ref(), &doc)?;

        Ok(SweepSpec {
            file: path.to_path_buf(),
            scenario_file,
            scenario,
            replications,
            master_seed,
            design,
            design_seed,
            axes,
            metrics_from_turn,
            series,
            sweep_sha256: sha256_hex(text.as_bytes()),
            scenario_sha256: sha256_hex(scenario_text.as_bytes()),
            table_sha256,
            table_file,
            facts,
        })
    }
}

/// The `[facts]` table checked: every id in `only` names a fact, once.
fn facts_settings(f: Option<&FactsFile>, doc: &Locator) -> Result<FactsSettings, InputError> {
    let worst = int_in(f.and_then(|f| f.worst), DEFAULT_WORST, 1, MAX_WORST, &[key("facts"), key("worst")], doc)?;
    let only = f.and_then(|f| f.only.clone());
    if let Some(ids) = &only {
        let known = crate::facts::catalogue::ids();
        if ids.is_empty() {
            return Err(doc.error(&[key("facts"), key("only")], "lists no facts; remove `only` to check every fact"));
        }
        for (i, id) in ids.iter().enumerate() {
            let at = [key("facts"), key("only"), Seg::Index(i)];
            if !known.contains(&id.as_str()) {
                return Err(doc.error(&at, format!("unknown fact `{id}`; expected one of {}", known.join(", "))));
            }
            if ids[..i].contains(id) {
                return Err(doc.error(&at, format!("fact `{id}` appears twice")));
            }
        }
    }
    Ok(FactsSettings { only, worst })
}

/// A Sobol' (Saltelli) or Morris design: its size checked against the limits before its rows
/// are drawn, every axis a range of non-zero width with an optional distribution.
fn screening_design(
    name: &str,
    f: &SweepFile,
    axes: &[Axis],
    replications: u32,
    size_field: &[Seg],
    design_seed: u64,
    doc: &Locator,
) -> Result<Design, InputError> {
    let d = axes.len();
    if d == 0 {
        return Err(doc.error(
            &[key("design")],
            format!("design = \"{name}\" needs at least one [[axes]] with `range = {{ from = …, to = … }}`"),
        ));
    }
    let marginals = f
        .axes
        .iter()
        .zip(axes)
        .enumerate()
        .map(|(i, (a, axis))| marginal(i, a, axis, name, doc))
        .collect::<Result<Vec<_>, _>>()?;
    // The configurations, counted before any row is drawn.
    let (configs, count_field) = if name == "sobol" {
        if f.samples.is_none() {
            return Err(doc.error(
                &[key("design")],
                "design = \"sobol\" needs `samples = N`, the number of base samples (a power of two, such as 1024)",
            ));
        }
        let samples = int_in(f.samples, 0, 2, MAX_SOBOL_SAMPLES, &[key("samples")], doc)?;
        if !samples.is_power_of_two() {
            return Err(doc.error(
                &[key("samples")],
                format!(
                    "must be a power of two (such as 512, 1024 or 2048), got {samples}: only then are the first N points of \
                     the Sobol' sequence balanced"
                ),
            ));
        }
        if d > MAX_SOBOL_PARAMETERS {
            return Err(doc.error(
                &[key("axes"), Seg::Index(MAX_SOBOL_PARAMETERS)],
                format!("a Sobol' design takes at most {MAX_SOBOL_PARAMETERS} axes, this one has {d}"),
            ));
        }
        let per = saltelli_rows_per_sample(d, f.second_order.unwrap_or(false)) as u64;
        (u64::from(samples) * per, "samples")
    } else {
        if f.trajectories.is_none() {
            return Err(doc.error(
                &[key("design")],
                "design = \"morris\" needs `trajectories = r`, the number of trajectories (10 to 50 is usual)",
            ));
        }
        let trajectories = int_in(f.trajectories, 0, 2, MAX_SAMPLES, &[key("trajectories")], doc)?;
        let levels = int_in(f.levels, DEFAULT_LEVELS, 2, MAX_LEVELS, &[key("levels")], doc)?;
        if levels % 2 != 0 {
            return Err(doc.error(
                &[key("levels")],
                format!("must be even, got {levels}: the step Δ = p/(2(p − 1)) lands on the grid only for even p"),
            ));
        }
        (u64::from(trajectories) * (d as u64 + 1), "trajectories")
    };
    let stored = configs.saturating_mul(d as u64);
    if stored > MAX_DESIGN_VALUES {
        return Err(doc.error(
            &[key(count_field)],
            format!(
                "{configs} configurations × {d} axes = {stored} values, more than the limit of {MAX_DESIGN_VALUES}; \
                 use fewer {count_field}"
            ),
        ));
    }
    check_runs(configs, replications, size_field, doc)?;
    // Each count was checked above.
    Ok(if name == "sobol" {
        let samples = f.samples.unwrap_or_default() as u32;
        let second_order = f.second_order.unwrap_or(false);
        let rows = scale(saltelli_unit(samples, d, second_order, design_seed), &marginals);
        Design::Sobol { rows, samples, second_order }
    } else {
        let trajectories = f.trajectories.unwrap_or_default() as u32;
        let levels = f.levels.map_or(DEFAULT_LEVELS, |l| l as u32);
        Design::Morris {
            rows: scale(morris_unit(trajectories, d, levels, design_seed), &marginals),
            trajectories,
            levels,
        }
    })
}

/// Levels of a Morris grid when the file does not say: Saltelli et al.'s (2008) usual choice.
pub const DEFAULT_LEVELS: u32 = 4;
/// Most levels of a Morris grid.
pub const MAX_LEVELS: u32 = 1000;

/// Axis `i` of a Sobol' or Morris design: `range = { from, to }` of non-zero width within the
/// field's range, and `distribution = "uniform"` (the default), `"log-uniform"` or `"normal"`
/// (with `mean` and `sd`, truncated to the range).
fn marginal(i: usize, a: &AxisFile, axis: &Axis, design: &str, doc: &Locator) -> Result<Marginal, InputError> {
    let at = |k: &str| [key("axes"), Seg::Index(i), key(k)];
    let r = axis_range(i, a, design, doc)?;
    if r.steps.is_some() {
        return Err(doc.error(&at("range"), format!("a {design} range takes no `steps`: the design places the points")));
    }
    for v in [r.from, r.to] {
        axis.path.check(v).map_err(|m| doc.error(&at("range"), format!("{}: {m}", axis.name)))?;
    }
    if r.from > r.to {
        return Err(doc.error(
            &at("range"),
            format!(
                "`from` ({}) must be below `to` ({}): a {design} range runs upwards",
                show_number(r.from),
                show_number(r.to)
            ),
        ));
    }
    if r.from == r.to {
        return Err(doc.error(
            &at("range"),
            format!(
                "the range has zero width (from = to = {}); a parameter that does not vary has no sensitivity: set \
                 it in the scenario, or widen the range",
                show_number(r.from)
            ),
        ));
    }
    let distribution = match a.distribution.as_deref() {
        None | Some("uniform") => Distribution::Uniform,
        Some("log-uniform") if r.from > 0.0 && r.to > 0.0 => Distribution::LogUniform,
        Some("log-uniform") => {
            return Err(doc.error(&at("distribution"), "a log-uniform range must lie above 0 (from > 0 and to > 0)"));
        }
        Some("normal") => {
            let (Some(mean), Some(sd)) = (a.mean, a.sd) else {
                return Err(doc.error(&at("distribution"), "a normal distribution needs `mean = …` and `sd = …`"));
            };
            if !mean.is_finite() {
                return Err(doc.error(&at("mean"), format!("must be a finite number, got {}", show_number(mean))));
            }
            if !(sd > 0.0 && sd.is_finite()) {
                return Err(doc.error(&at("sd"), format!("must be a finite number above 0, got {}", show_number(sd))));
            }
            Distribution::Normal { mean, sd }
        }
        Some(other) => {
            return Err(doc.error(
                &at("distribution"),
                format!("unknown distribution `{other}`; expected \"uniform\", \"log-uniform\" or \"normal\""),
            ));
        }
    };
    if !matches!(distribution, Distribution::Normal { .. }) && (a.mean.is_some() || a.sd.is_some()) {
        let k = if a.mean.is_some() { "mean" } else { "sd" };
        return Err(doc.error(&at(k), "`mean` and `sd` are only used with distribution = \"normal\""));
    }
    Ok(Marginal { from: r.from, to: r.to, distribution })
}

/// The `range = { from, to }` of axis `i` of a sampled design (Latin hypercube, Sobol', Morris),
/// which has no `values`.
fn axis_range<'a>(i: usize, a: &'a AxisFile, design: &str, doc: &Locator) -> Result<&'a RangeFile, InputError> {
    match (&a.range, &a.values) {
        (Some(r), None) => Ok(r),
        _ => Err(doc.error(
            &[key("axes"), Seg::Index(i), key("path")],
            format!("a {design} axis needs `range = {{ from = …, to = … }}` (and no `values`)"),
        )),
    }
}

/// Refuse the fields of the Sobol' and Morris designs in a sweep of another design.
fn check_screening_fields(design: &str, f: &SweepFile, doc: &Locator) -> Result<(), InputError> {
    if design != "sobol" && f.second_order.is_some() {
        return Err(doc.error(&[key("second_order")], "`second_order` is only used with design = \"sobol\""));
    }
    for (k, v) in [("trajectories", f.trajectories), ("levels", f.levels)] {
        if design != "morris" && v.is_some() {
            return Err(doc.error(&[key(k)], format!("`{k}` is only used with design = \"morris\"")));
        }
    }
    if !matches!(design, "sobol" | "morris") {
        for (i, a) in f.axes.iter().enumerate() {
            for (k, given) in
                [("distribution", a.distribution.is_some()), ("mean", a.mean.is_some()), ("sd", a.sd.is_some())]
            {
                if given {
                    return Err(doc.error(
                        &[key("axes"), Seg::Index(i), key(k)],
                        format!("`{k}` is only used with design = \"sobol\" or \"morris\""),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The file the sweep file names `name` in `field` (its `what`: scenario, design table), from
/// `files`, its bytes converted by `read`; an error is at the sweep file's line and field.
fn named_file<T>(
    files: &dyn Resolve,
    doc: &Locator,
    field: &str,
    what: &str,
    name: &str,
    limit: u64,
    read: impl FnOnce(Vec<u8>) -> io::Result<T>,
) -> Result<(PathBuf, T), InputError> {
    let found = files.resolve(name, limit).and_then(|r| match read(r.bytes) {
        Ok(v) => Ok((r.path, v)),
        Err(e) => Err(Unresolved { path: r.path, reason: describe_io(&e) }),
    });
    found.map_err(|u| {
        doc.error(
            &[key(field)],
            format!(
                "cannot read the {what} {}: {}; the path is relative to the sweep file's folder",
                u.path.display(),
                u.reason
            ),
        )
    })
}

/// Refuse a design of more than [`MAX_RUNS`] runs, saying how many it has.
fn check_runs(configs: u64, replications: u32, at: &[Seg], doc: &Locator) -> Result<(), InputError> {
    let runs = configs.saturating_mul(u64::from(replications));
    if runs <= MAX_RUNS {
        return Ok(());
    }
    let runs = if runs == u64::MAX { format!("more than {runs}") } else { runs.to_string() };
    Err(doc.error(
        at,
        format!(
            "the design has {configs} configurations × {replications} replications = {runs} runs, more than the \
             limit of {MAX_RUNS}; use fewer replications or axis values, or split the study into several sweeps"
        ),
    ))
}

/// The number of values of a grid or zip axis: `values = [...]` or `range = { from, to, steps }`.
fn axis_len(i: usize, a: &AxisFile, doc: &Locator) -> Result<u64, InputError> {
    let at = |k: &str| [key("axes"), Seg::Index(i), key(k)];
    match (&a.values, &a.range) {
        (Some(v), None) if v.is_empty() => Err(doc.error(&at("values"), "must list at least one value")),
        (Some(v), None) if v.len() > MAX_AXIS_VALUES as usize => {
            Err(doc
                .error(&at("values"), format!("{} values, more than the limit of {MAX_AXIS_VALUES} per axis", v.len())))
        }
        (Some(v), None) => Ok(v.len() as u64),
        (None, Some(r)) => match r.steps {
            Some(s) if (1..=i64::from(MAX_AXIS_VALUES)).contains(&s) => Ok(s as u64),
            Some(s) => Err(doc.error(
                &at("range"),
                format!("`steps` must be from 1 to {MAX_AXIS_VALUES} (the limit of values per axis), got {s}"),
            )),
            None => Err(doc.error(&at("range"), "a grid or zip range needs `steps`: { from = …, to = …, steps = N }")),
        },
        (Some(_), Some(_)) => Err(doc.error(&at("range"), "give either `values` or `range`, not both")),
        (None, None) => Err(doc.error(&at("path"), "an axis needs `values = [...]` or `range = { from, to, steps }`")),
    }
}

/// The `len` values of a grid or zip axis (its count, which [`axis_len`] checked), each checked
/// against the field's range. A range's values run from `from` to exactly `to`.
fn axis_values(i: usize, a: &AxisFile, len: u64, axis: &Axis, doc: &Locator) -> Result<Vec<f64>, InputError> {
    let at = |k: &str| [key("axes"), Seg::Index(i), key(k)];
    let values = match &a.range {
        Some(r) if a.values.is_none() => {
            let steps = len as usize;
            let (lo, hi) = (r.from.min(r.to), r.from.max(r.to));
            (0..steps)
                .map(|k| match k {
                    0 => r.from,
                    k if k == steps - 1 => r.to,
                    k => (r.from + (r.to - r.from) * k as f64 / (steps - 1) as f64).clamp(lo, hi),
                })
                .collect()
        }
        // axis_len refused an axis with neither, or with both.
        _ => a.values.clone().unwrap_or_default(),
    };
    // -0 is 0: one configuration, written `0`, whichever was typed.
    let values: Vec<f64> = values.into_iter().map(|v| v + 0.0).collect();
    for v in &values {
        axis.path.check(*v).map_err(|m| {
            doc.error(&at(if a.values.is_some() { "values" } else { "range" }), format!("{}: {m}", axis.name))
        })?;
    }
    Ok(values)
}

/// A design table: a header of field paths, then one row of numbers per configuration.
fn read_table(path: &Path, bytes: &[u8], scenario: &Scenario) -> Result<(Vec<Axis>, Vec<Vec<f64>>), InputError> {
    let err = |line: usize, column: usize, field: &str, message: String| InputError {
        file: path.to_path_buf(),
        line,
        column,
        field: field.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let header = reader.headers().map_err(|e| err(1, 1, "", format!("cannot read the header: {e}")))?.clone();
    if header.len() > MAX_AXES {
        return Err(err(
            1,
            MAX_AXES + 1,
            "",
            format!("the header names {} parameters, more than the limit of {MAX_AXES} axes", header.len()),
        ));
    }
    let mut axes = Vec::with_capacity(header.len());
    for (c, name) in header.iter().enumerate() {
        // A spreadsheet may start its CSV with a byte-order mark.
        let name = name.trim().trim_start_matches('\u{feff}');
        let path = scenario.real_field(name).map_err(|m| err(1, c + 1, name, m))?;
        if axes.iter().any(|a: &Axis| a.name == name) {
            return Err(err(1, c + 1, name, format!("column `{name}` appears twice")));
        }
        axes.push(Axis { name: name.to_string(), path });
    }
    if axes.is_empty() {
        return Err(err(1, 1, "", "the header names no parameters".into()));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            err(line, 1, "", format!("{e}"))
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        if (rows.len() as u64 + 1) * axes.len() as u64 > MAX_DESIGN_VALUES {
            return Err(err(
                line,
                1,
                "",
                format!(
                    "the table holds more than {MAX_DESIGN_VALUES} values ({} columns × {} rows so far), the limit \
                     for a design; use fewer rows",
                    axes.len(),
                    rows.len() + 1
                ),
            ));
        }
        let mut row = Vec::with_capacity(axes.len());
        for (c, (cell, axis)) in record.iter().zip(&axes).enumerate() {
            // A quote the CSV reader took as the start of a quoted cell and never saw closed
            // swallows the rest of the file into one cell: say so rather than "not a number".
            if cell.contains('\n') {
                return Err(err(
                    line,
                    c + 1,
                    &axis.name,
                    "a quoted cell runs over several lines (an unterminated `\"`?); a design table holds one number \
                     per cell"
                        .into(),
                ));
            }
            let v: f64 = cell.trim().parse().map_err(|_| {
                let shown: String = cell.chars().take(40).flat_map(char::escape_debug).collect();
                let more = if cell.chars().count() > 40 { "…" } else { "" };
                err(line, c + 1, &axis.name, format!("`{shown}{more}` is not a number"))
            })?;
            axis.path.check(v).map_err(|m| err(line, c + 1, &axis.name, m))?;
            // -0 is 0, as in an axis's values.
            row.push(v + 0.0);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(err(1, 1, "", "the table has a header but no rows".into()));
    }
    Ok((axes, rows))
}
