//! `hedgesim report`: a self-contained HTML page (inline SVG, no network, no JavaScript) for a
//! scenario — one seed or many — or for a finished sweep folder.

use super::charts::{self, Marker, SPECTRUM, Series, escape, key};
use crate::agents::GreatPowerAction;
use crate::scenario::Scenario;
use crate::spectrum::{Component, Label};
use crate::sweep::folder::{SUMMARY_CSV, SweepFolder};
use crate::world::TurnRecord;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::Path;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}\
.meta{color:#555}figure{margin:.5em 0}figcaption{color:#444;font-size:.95em;margin-top:.3em}\
ul.key{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.92em}\
.swatch{display:inline-block;width:.95em;height:.95em;margin-right:.35em;vertical-align:-0.12em;border:1px solid #999}\
ol.events{font-size:.92em;color:#333}table{border-collapse:collapse;font-size:.92em}td,th{padding:.15em .6em;border-bottom:1px solid #eee;text-align:left}";

const LABEL_COLORS: [(&str, RGBColor); 4] =
    [("bandwagoning", RED), ("hedging", PURPLE), ("balancing", BLUE), ("neutral", RGBColor(0xbd, 0xbd, 0xbd))];
const ACTION_COLORS: [RGBColor; 4] =
    [RGBColor(0x1b, 0x9e, 0x77), RGBColor(0xcc, 0xcc, 0xcc), RGBColor(0xe6, 0xab, 0x02), RGBColor(0x7a, 0x01, 0x77)];
/// The two ends of the spectrum's colour scale: rejection and acceptance.
const BLUE: RGBColor = SPECTRUM[0];
const RED: RGBColor = SPECTRUM[6];
const PURPLE: RGBColor = RGBColor(0x76, 0x2a, 0x83);
const DARK: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<p class=\"meta\">Made by hedgesim {}.</p>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_VERSION")
    )
}

fn figure(svg: &str, caption: &str) -> String {
    format!("<figure>\n{svg}\n<figcaption>{caption}</figcaption>\n</figure>\n")
}

/// The page's bands come from the same quantiles (hedgesim-web).
pub use hedgesim_core::summary::quantile;

/// The quantities `report --runs` draws as medians with 10–90% bands: believed hostility,
/// hedging intensity and alignment. Quantiles need every run's value at a turn, so these are the
/// only per-run values kept; everything else is summed or counted as the runs stream past.
const BANDED: usize = 3;

/// Memory `report --runs` may use for its bands, checked before any run starts, so that a typo
/// in `--runs` is a clear error and not an allocation failure after minutes of work.
pub const REPORT_MEMORY_LIMIT: u64 = 2_000_000_000;

/// Bytes the bands of `runs` runs of `turns` turns keep (one f64 per banded quantity, run and turn).
pub fn band_memory(runs: u32, turns: u32) -> u64 {
    u64::from(runs) * u64::from(turns) * (BANDED * std::mem::size_of::<f64>()) as u64
}

/// Per turn: (median, 10%, 90%) of the runs' values, stored turn-major (`values[t·runs + i]`).
fn bands(values: &mut [f64], runs: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let turns = values.len() / runs;
    let (mut mid, mut lo, mut hi) = (Vec::with_capacity(turns), Vec::with_capacity(turns), Vec::with_capacity(turns));
    for col in values.chunks_mut(runs) {
        mid.push(quantile(col, 0.5));
        lo.push(quantile(col, 0.1));
        hi.push(quantile(col, 0.9));
    }
    (mid, lo, hi)
}

/// What the report draws, accumulated run by run: per turn, sums and counts over the runs, and
/// the banded quantities of every run; the first run's own trajectory for the one-seed charts.
struct Aggregate {
    runs: usize,
    mix_sum: Vec<[f64; crate::spectrum::N]>,
    label_count: Vec<[u32; Label::NAMES.len()]>,
    action_count: Vec<[u32; GreatPowerAction::ALL.len()]>,
    /// Believed hostility, H and x, turn-major; empty for one run.
    banded: [Vec<f64>; BANDED],
    first: Vec<TurnRecord>,
    true_hostility: Vec<f64>,
}

impl Aggregate {
    fn run(scenario: &Scenario, runs: u32) -> Self {
        let (runs, turns) = (runs as usize, scenario.meta.turns as usize);
        let banded_len = if runs > 1 { runs * turns } else { 0 };
        let mut agg = Aggregate {
            runs,
            mix_sum: vec![[0.0; crate::spectrum::N]; turns],
            label_count: vec![[0; Label::NAMES.len()]; turns],
            action_count: vec![[0; GreatPowerAction::ALL.len()]; turns],
            banded: std::array::from_fn(|_| vec![0.0; banded_len]),
            first: Vec::with_capacity(turns),
            true_hostility: Vec::with_capacity(turns),
        };
        for i in 0..runs {
            let mut w = scenario.world(scenario.meta.seed, i as u64);
            let mut t = 0;
            w.run(scenario.meta.turns, |r, w| {
                for (s, m) in agg.mix_sum[t].iter_mut().zip(r.mix.0) {
                    *s += m;
                }
                agg.label_count[t][r.label.index()] += 1;
                agg.action_count[t][r.action.index()] += 1;
                if banded_len > 0 {
                    let at = t * runs + i;
                    agg.banded[0][at] = r.belief_mean;
                    agg.banded[1][at] = r.hedging_intensity;
                    agg.banded[2][at] = r.alignment;
                }
                if i == 0 {
                    agg.first.push(*r);
                    agg.true_hostility.push(w.great_power.true_hostility);
                }
                t += 1;
            });
        }
        agg
    }

    /// Per turn: the share of runs with label `name`.
    fn label_share(&self, name: &str) -> Vec<f64> {
        let k = Label::NAMES.iter().position(|l| *l == name).unwrap_or(0);
        self.label_count.iter().map(|c| f64::from(c[k]) / self.runs as f64).collect()
    }

    /// Per turn: the share of runs in which the great power chose `action`.
    fn action_share(&self, action: GreatPowerAction) -> Vec<f64> {
        self.action_count.iter().map(|c| f64::from(c[action.index()]) / self.runs as f64).collect()
    }
}

/// The report of a scenario over `runs` runs (run indices 0..runs of the scenario's seed).
pub fn scenario_report(scenario: &Scenario, runs: u32) -> Result<String, String> {
    let runs = runs.max(1);
    let turns = scenario.meta.turns;
    if band_memory(runs, turns) > REPORT_MEMORY_LIMIT {
        let most = REPORT_MEMORY_LIMIT / band_memory(1, turns);
        return Err(format!(
            "--runs {runs}: the bands of {runs} runs × {turns} turns need {:.1} GB of memory, more than the report's \
             limit of {:.0} GB; with {turns} turns, use --runs {most} or fewer",
            band_memory(runs, turns) as f64 / 1e9,
            REPORT_MEMORY_LIMIT as f64 / 1e9
        ));
    }
    let mut agg = Aggregate::run(scenario, runs);
    let x: Vec<f64> = agg.first.iter().map(|r| r.year).collect();
    let gp = scenario.great_power_name();
    let ss = scenario.small_state_name();
    let many = runs > 1;

    // Labelled events, grouped by turn and numbered, so markers never carry overlapping text. An
    // event without a label is bookkeeping (holding a threat for another turn, say), not news, so
    // it gets no marker.
    let mut markers = Vec::new();
    let mut event_list = String::new();
    let clock = scenario.clock();
    let mut by_turn: Vec<(u32, Vec<&str>)> = Vec::new();
    for e in scenario.events().iter().filter(|e| !e.label.is_empty()) {
        let label = e.label.as_str();
        match by_turn.last_mut() {
            Some((t, labels)) if *t == e.turn => labels.push(label),
            _ => by_turn.push((e.turn, vec![label])),
        }
    }
    for (n, (t, labels)) in by_turn.iter().enumerate() {
        markers.push(Marker { x: clock.year(*t), tag: format!("{}", n + 1) });
        let _ =
            write!(event_list, "<li value=\"{}\">{:.2}: {}</li>", n + 1, clock.year(*t), escape(&labels.join("; ")));
    }
    let events_html =
        if event_list.is_empty() { String::new() } else { format!("<ol class=\"events\">{event_list}</ol>") };

    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1>\n<p class=\"meta\">", escape(&scenario.meta.name));
    if !scenario.meta.description.is_empty() {
        let _ = write!(body, "{}<br>", escape(&scenario.meta.description));
    }
    let _ = writeln!(
        body,
        "{} facing {}{}. {} turns from {:.2}; {}.</p>",
        escape(ss),
        escape(gp),
        if scenario.third_power_names().is_empty() {
            String::new()
        } else {
            format!(" with third powers {}", escape(&scenario.third_power_names().join(", ")))
        },
        turns,
        clock.start_year,
        if many {
            format!(
                "{runs} runs of seed {} (replications 0–{}; medians and 10–90% bands)",
                scenario.meta.seed,
                runs - 1
            )
        } else {
            format!("seed {}", scenario.meta.seed)
        }
    );
    if !scenario.meta.sources.is_empty() {
        body.push_str("<p class=\"meta\">Sources: ");
        body.push_str(&scenario.meta.sources.iter().map(|s| escape(s)).collect::<Vec<_>>().join("; "));
        body.push_str("</p>\n");
    }

    // 1. The mix along the spectrum (mean across runs: the shares still sum to one).
    let layers: Vec<Series> = Component::ALL
        .iter()
        .rev()
        .map(|c| {
            let k = c.index();
            let values = agg.mix_sum.iter().map(|s| s[k] / f64::from(runs)).collect();
            Series::line(c.name(), SPECTRUM[k], values)
        })
        .collect();
    let svg = charts::stacked_area(&x, &layers, "year", "share of policy", &markers, false)?;
    body.push_str("<h2>The mix along Kuik's spectrum</h2>\n");
    let key_items: Vec<(&str, RGBColor)> = Component::ALL.iter().map(|c| (c.name(), SPECTRUM[c.index()])).collect();
    body.push_str(&key(&key_items));
    body.push_str(&figure(
        &svg,
        &format!(
            "{}'s policy each turn{}: rejection of {} at the top (blue), acceptance at the bottom (red), economic pragmatism between. \
             Holding both colours at once is hedging.{}",
            escape(ss),
            if many { ", averaged over the runs" } else { "" },
            escape(gp),
            if markers.is_empty() {
                " The scenario has no dated events."
            } else {
                " Numbered lines are the events listed below."
            }
        ),
    ));
    body.push_str(&events_html);

    // 2. The label band.
    let label_layers: Vec<Series> =
        LABEL_COLORS.iter().map(|(name, color)| Series::line(name, *color, agg.label_share(name))).collect();
    let svg =
        charts::stacked_area(&x, &label_layers, "year", if many { "share of runs" } else { "label" }, &markers, true)?;
    body.push_str("<h2>Balancing, hedging or bandwagoning</h2>\n");
    body.push_str(&key(&LABEL_COLORS));
    body.push_str(&figure(
        &svg,
        "Kuik's label of the mix each turn: hedging when both the rejection and the acceptance side hold at least the threshold \
         (10% by default), a pure label when only one side does.",
    ));

    // 3. Beliefs about hostility.
    let belief = if many {
        let (m, lo, hi) = bands(&mut agg.banded[0], agg.runs);
        Series {
            name: "believed hostility (median of the runs; band: 10–90% of the runs)",
            color: PURPLE,
            values: m,
            band: Some((lo, hi)),
            dashed: false,
        }
    } else {
        let m: Vec<f64> = agg.first.iter().map(|r| r.belief_mean).collect();
        let sd: Vec<f64> = agg.first.iter().map(|r| r.plan_var.sqrt()).collect();
        let lo = m.iter().zip(&sd).map(|(m, s)| (m - s).max(0.0)).collect();
        let hi = m.iter().zip(&sd).map(|(m, s)| (m + s).min(1.0)).collect();
        Series {
            name: "believed hostility (mean; band: ± the state's planning sd)",
            color: PURPLE,
            values: m,
            band: Some((lo, hi)),
            dashed: false,
        }
    };
    let truth = Series {
        name: "true hostility (hidden from the small state)",
        color: DARK,
        values: std::mem::take(&mut agg.true_hostility),
        band: None,
        dashed: true,
    };
    let names = [(belief.name, PURPLE), (truth.name, DARK)];
    let svg = charts::lines(&x, &[belief, truth], 0.0..1.0, "year", "hostility", &markers)?;
    body.push_str(&format!("<h2>What {} believes about {}</h2>\n", escape(ss), escape(gp)));
    body.push_str(&key(&names));
    let caption = if many {
        format!(
            "The line is the median over the {runs} runs of the state's mean belief about the great power's hostility. The band \
             is the spread of that mean across the runs (10–90%): how much chance moves the belief, <em>not</em> the state's \
             own uncertainty. To see the state's own uncertainty (Kuik's \"high uncertainty\"), make the report of one run \
             (without --runs), or read the planning sd in <code>hedgesim explain</code>."
        )
    } else {
        "The line is the state's mean belief about the great power's hostility; the band is the state's own uncertainty, \
         the mean ± the standard deviation it plans with (its belief's sd widened by how much intentions can change over its \
         horizon). The wider the band, the more the risk-offset of holding both sides is worth: Kuik's \"high uncertainty\"."
            .to_string()
    };
    body.push_str(&figure(&svg, &caption));

    // 4. The great power's actions.
    let action_layers: Vec<Series> = GreatPowerAction::ALL
        .iter()
        .zip(ACTION_COLORS)
        .map(|(a, color)| Series::line(a.as_str(), color, agg.action_share(*a)))
        .collect();
    let svg = charts::stacked_area(
        &x,
        &action_layers,
        "year",
        if many { "share of runs" } else { "action" },
        &markers,
        true,
    )?;
    body.push_str(&format!("<h2>How {} responds</h2>\n", escape(gp)));
    let items: Vec<(&str, RGBColor)> = GreatPowerAction::ALL.iter().map(|a| a.as_str()).zip(ACTION_COLORS).collect();
    body.push_str(&key(&items));
    body.push_str(&figure(&svg, "The great power rewards acceptance, and pressures or coerces rejection, more often the more hostile it truly is."));

    // 5. Hedging intensity and alignment across runs.
    if many {
        let (h, hl, hh) = bands(&mut agg.banded[1], agg.runs);
        let (a, al, ah) = bands(&mut agg.banded[2], agg.runs);
        let series = [
            Series { name: "hedging intensity H", color: PURPLE, values: h, band: Some((hl, hh)), dashed: false },
            Series {
                name: "alignment x (+1 balancing, −1 bandwagoning)",
                color: BLUE,
                values: a,
                band: Some((al, ah)),
                dashed: false,
            },
        ];
        let names = [(series[0].name, PURPLE), (series[1].name, BLUE)];
        let svg = charts::lines(&x, &series, -1.0..1.0, "year", "median, 10–90% band", &markers)?;
        body.push_str("<h2>Hedging intensity and alignment across runs</h2>\n");
        body.push_str(&key(&names));
        body.push_str(&figure(
            &svg,
            "Medians over the runs with their 10–90% bands: how much the outcome depends on chance.",
        ));
    }
    Ok(page(&scenario.meta.name, &body))
}

/// A metric's (mean, 95% CI low, 95% CI high) in one configuration.
type Interval = (f64, f64, f64);
/// One row of summary.csv: the axis values and the plotted metrics.
type SummaryRow = (Vec<f64>, Vec<Interval>);

/// The report of a finished sweep folder: a phase diagram and response curves from summary.csv.
pub fn sweep_report(dir: &Path) -> Result<String, String> {
    let folder = SweepFolder::new(dir);
    let manifest_path = folder.manifest();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?,
    )
    .map_err(|e| format!("{} is not a hedgesim manifest: {e}", manifest_path.display()))?;
    let axes: Vec<String> = manifest["axes"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let summary_path = folder.summary();
    let mut reader =
        csv::Reader::from_path(&summary_path).map_err(|e| format!("cannot read {}: {e}", summary_path.display()))?;
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| format!("{SUMMARY_CSV} has no column `{name}`"))
    };
    let axis_cols: Vec<usize> = axes.iter().map(|a| col(a)).collect::<Result<_, _>>()?;
    let metric_names = ["label_hedging", "mean_H", "mean_x"];
    let mut metric_cols = Vec::new();
    for m in metric_names {
        metric_cols.push((col(&format!("{m}_mean"))?, col(&format!("{m}_ci_lo"))?, col(&format!("{m}_ci_hi"))?));
    }
    // Every plotted value must be a finite number: an infinite axis value once sent the chart
    // library into an endless loop. An interval may be empty (one run per configuration).
    let mut rows: Vec<SummaryRow> = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", summary_path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let num = |c: usize, may_be_empty: bool| -> Result<f64, String> {
            let text = rec.get(c).unwrap_or("");
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ if may_be_empty && text.is_empty() => Ok(f64::NAN),
                _ => Err(format!(
                    "{}:{line}: column `{}`: `{text}` is not a finite number; {SUMMARY_CSV} is written by hedgesim, so \
                     this file was edited or damaged: re-make it with `hedgesim sweep … --out` or `hedgesim merge`",
                    summary_path.display(),
                    &header[c]
                )),
            }
        };
        let a = axis_cols.iter().map(|&c| num(c, false)).collect::<Result<_, _>>()?;
        let m = metric_cols
            .iter()
            .map(|&(m, lo, hi)| Ok((num(m, false)?, num(lo, true)?, num(hi, true)?)))
            .collect::<Result<_, String>>()?;
        rows.push((a, m));
    }
    let base = |key: &str| {
        let path = manifest[key].as_str().unwrap_or("?");
        Path::new(path).file_name().map_or(path.to_string(), |f| f.to_string_lossy().into_owned())
    };
    let titles: Vec<String> = axes.iter().map(|a| axis_title(a)).collect();
    let design = manifest["design"].as_str().unwrap_or("?");
    let title = if axes.is_empty() {
        "Sweep: one setting".to_string()
    } else {
        format!("Sweep: hedging across {}", titles.join(" × "))
    };
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">Sweep file {} over the scenario {}; design {} over {}; {} configurations × {} \
         replications = {} runs; metrics over turns {} to {}.</p>\n",
        escape(&title),
        escape(&base("sweep_file")),
        escape(&base("scenario_file")),
        escape(design),
        if axes.is_empty() { "no axes".to_string() } else { escape(&axes.join(", ")) },
        manifest["configs"],
        manifest["replications"],
        manifest["runs"],
        manifest["metrics_from_turn"],
        manifest["turns"].as_u64().map_or(0, |t| t.saturating_sub(1)),
    );
    if matches!(design, "sobol" | "morris") {
        body.push_str(&sensitivity_section(dir, design)?);
    }
    if axes.is_empty() || rows.is_empty() {
        body.push_str(&format!("<p>This sweep has no axes: there is nothing to plot against. See {SUMMARY_CSV}.</p>"));
        return Ok(page(&title, &body));
    }
    let distinct = |i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| r.0[i]).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let grid_like = design == "grid" || design == "zip";

    // Phase diagram over the first two axes (averaging over any others).
    if axes.len() >= 2 && grid_like {
        let (xs, ys) = (distinct(0), distinct(1));
        for (m, what_title, what) in [
            (0, "Share of runs ending in hedging", "share of runs whose final label is hedging"),
            (1, "Hedging intensity", "mean hedging intensity H over the metrics window"),
        ] {
            let mut grid = vec![vec![(0.0, 0usize); xs.len()]; ys.len()];
            for (a, ms) in &rows {
                let i = xs.iter().position(|v| *v == a[0]).unwrap_or(0);
                let j = ys.iter().position(|v| *v == a[1]).unwrap_or(0);
                grid[j][i].0 += ms[m].0;
                grid[j][i].1 += 1;
            }
            let values: Vec<Vec<f64>> = grid
                .iter()
                .map(|r| r.iter().map(|(s, n)| if *n > 0 { s / *n as f64 } else { f64::NAN }).collect())
                .collect();
            let svg = charts::heatmap(&xs, &ys, &values, &titles[0], &titles[1])?;
            body.push_str(&format!("<h2>Phase diagram: {what_title}</h2>\n"));
            body.push_str(&figure(
                &svg,
                &format!(
                    "Each cell is one setting of {} and {}: the {what}, from white (0) to dark purple (1).{}",
                    escape(&titles[0]),
                    escape(&titles[1]),
                    if axes.len() > 2 { " Averaged over the other axes." } else { "" }
                ),
            ));
        }
    }

    let palette = [PURPLE, BLUE, RED, RGBColor(0x1b, 0x9e, 0x77), RGBColor(0xe6, 0xab, 0x02), DARK];
    if grid_like {
        // Response curves along each axis. With two axes, one line per value of the other axis, for
        // both axes alike (at most six lines: evenly spaced values when the other axis has more);
        // otherwise averaged over the other axes. Bands are 95% confidence intervals.
        for (ai, _) in axes.iter().enumerate() {
            let xs = distinct(ai);
            if xs.len() < 2 {
                continue;
            }
            let other = if axes.len() == 2 { Some(1 - ai) } else { None };
            let groups: Vec<Option<f64>> = match other {
                Some(o) => spread(&distinct(o), palette.len()).into_iter().map(Some).collect(),
                None => vec![None],
            };
            let labels: Vec<String> = groups
                .iter()
                .map(|g| g.map_or("all settings".to_string(), |v| format!("{} = {v}", titles[other.unwrap_or(0)])))
                .collect();
            let mut series = Vec::new();
            for (gi, g) in groups.iter().enumerate() {
                let (mut mid, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
                for xv in &xs {
                    let sel: Vec<&Interval> = rows
                        .iter()
                        .filter(|(a, _)| a[ai] == *xv && g.is_none_or(|gv| a[other.unwrap_or(0)] == gv))
                        .map(|(_, m)| &m[1])
                        .collect();
                    let n = sel.len().max(1) as f64;
                    mid.push(sel.iter().map(|m| m.0).sum::<f64>() / n);
                    lo.push(sel.iter().map(|m| if m.1.is_finite() { m.1 } else { m.0 }).sum::<f64>() / n);
                    hi.push(sel.iter().map(|m| if m.2.is_finite() { m.2 } else { m.0 }).sum::<f64>() / n);
                }
                series.push(Series {
                    name: &labels[gi],
                    color: palette[gi % palette.len()],
                    values: mid,
                    band: Some((lo, hi)),
                    dashed: false,
                });
            }
            let names: Vec<(&str, RGBColor)> = series.iter().map(|s| (s.name, s.color)).collect();
            let svg = charts::lines(&xs, &series, 0.0..1.0, &titles[ai], "mean hedging intensity H", &[])?;
            body.push_str(&format!("<h2>Response of hedging intensity to {}</h2>\n", escape(&titles[ai])));
            body.push_str(&key(&names));
            let shown = match (other, groups.len()) {
                (Some(o), n) if n < distinct(o).len() => {
                    format!(" One line for each of {n} of the {} values of {}.", distinct(o).len(), escape(&titles[o]))
                }
                _ => String::new(),
            };
            body.push_str(&figure(
                &svg,
                &format!(
                    "Mean hedging intensity per setting, with its 95% confidence interval over the replications.{shown}"
                ),
            ));
        }
    } else {
        // Sampled designs (Latin hypercube, a design table): settings are scattered, so each axis
        // is cut into bins and the configurations in a bin are averaged, with a 95% interval over
        // them; the other axes vary within a bin, which is what a main effect means.
        body.push_str(&format!(
            "<p>{} samples the parameters rather than crossing them, so there is no phase diagram. Each chart below \
             cuts one parameter into bins and averages the configurations in each bin over all the others: its main \
             effect.</p>\n",
            match design {
                "lhs" => "A Latin hypercube",
                "sobol" => "A Sobol' design",
                "morris" => "A Morris design",
                _ => "A design table",
            }
        ));
        for (ai, title) in titles.iter().enumerate() {
            let values: Vec<f64> = rows.iter().map(|r| r.0[ai]).collect();
            let Some(bins) = Bins::new(&values, 10) else { continue };
            let mut series = Vec::new();
            for (m, name, color) in [(0, "share of runs ending hedging", PURPLE), (1, "mean hedging intensity H", BLUE)]
            {
                let (mid, lo, hi) = bins.means(rows.iter().map(|r| (r.0[ai], r.1[m].0)));
                series.push(Series { name, color, values: mid, band: Some((lo, hi)), dashed: false });
            }
            let names: Vec<(&str, RGBColor)> = series.iter().map(|s| (s.name, s.color)).collect();
            let svg = charts::lines(&bins.centres, &series, 0.0..1.0, title, "mean over the bin", &[])?;
            body.push_str(&format!("<h2>Response to {}</h2>\n", escape(title)));
            body.push_str(&key(&names));
            body.push_str(&figure(
                &svg,
                &format!(
                    "{} configurations in {} bins of equal width; each point is a bin's mean over its configurations \
                     at the bin's centre, the band its 95% confidence interval over them.",
                    values.len(),
                    bins.centres.len()
                ),
            ));
        }
    }
    Ok(page(&title, &body))
}

/// The sensitivity chart of a Sobol' or Morris sweep, one panel per metric, from the
/// `sensitivity.json` that `hedgesim analyze` wrote into the folder; without it, a note saying
/// how to make it.
fn sensitivity_section(dir: &Path, design: &str) -> Result<String, String> {
    use crate::sensitivity::analyze::SENSITIVITY_JSON;
    let path = dir.join(SENSITIVITY_JSON);
    let mut out = String::from("<h2>Which parameters drive the outcome</h2>\n");
    let Ok(text) = std::fs::read_to_string(&path) else {
        out.push_str(&format!(
            "<p>This is a {design} design: run <code>hedgesim analyze {}</code>, then this report again, to see \
             the sensitivity indices here.</p>\n",
            escape(&dir.display().to_string())
        ));
        return Ok(out);
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!("{} is not hedgesim's sensitivity.json ({e}); make it again with `hedgesim analyze`", path.display())
    })?;
    let params: Vec<String> = json["parameters"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    // (value, value − conf, value + conf) of an {value, conf} object; a bare number has no interval.
    let point = |e: &serde_json::Value| {
        if e.is_object() {
            let (v, c) = (num(&e["value"]), num(&e["conf"]));
            (v, v - c, v + c)
        } else {
            (num(e), f64::NAN, f64::NAN)
        }
    };
    let sobol = design == "sobol";
    out.push_str(&format!(
        "<p>{}. From <code>hedgesim analyze</code>, which writes every number to sensitivity.csv; whiskers are \
         95% bootstrap intervals over {} resamples.</p>\n",
        if sobol {
            "Sobol' indices: S1 is the share of the outcome's variance due to the parameter alone, ST the share \
             in which it has any part, alone or with others; ST − S1 is its part in interactions"
        } else {
            "Morris screening: μ* is the mean absolute change in the outcome when the parameter alone moves, per \
             whole width of its range; σ is the spread of those changes, from interactions or non-linearity"
        },
        json["bootstrap_resamples"],
    ));
    for m in json["metrics"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let metric = m["metric"].as_str().unwrap_or("?");
        let list = |k: &str| -> Vec<(f64, f64, f64)> {
            m[k].as_array().map(|a| a.iter().map(point).collect()).unwrap_or_default()
        };
        let series = if sobol {
            vec![
                charts::IndexSeries { name: "first order S1", color: PURPLE, points: list("S1") },
                charts::IndexSeries { name: "total ST", color: BLUE, points: list("ST") },
            ]
        } else {
            vec![
                charts::IndexSeries { name: "μ*", color: PURPLE, points: list("mu_star") },
                charts::IndexSeries { name: "σ", color: BLUE, points: list("sigma") },
            ]
        };
        let finite =
            series.iter().flat_map(|s| &s.points).flat_map(|&(v, lo, hi)| [v, lo, hi]).filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((0.0f64, if sobol { 1.0f64 } else { 0.0 }), |(a, b), v| (a.min(v), b.max(v)));
        let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
        let svg = charts::intervals(&params, &series, lo..hi, if sobol { "index" } else { "effect per step" })?;
        let names: Vec<(&str, RGBColor)> = series.iter().map(|s| (s.name, s.color)).collect();
        let noise = m["seed_noise_share"]
            .as_f64()
            .map_or("not estimated (one replication)".to_string(), |s| format!("{:.1}%", 100.0 * s));
        out.push_str(&format!("<h3>{}</h3>\n", escape(metric)));
        out.push_str(&key(&names));
        out.push_str(&figure(
            &svg,
            &format!(
                "{} of {}. Seed noise is {noise} of the variance of the replication means: the higher it is, the more \
                 of the indices' differences is noise; more replications lower it.",
                if sobol { "Sobol' indices" } else { "Morris measures" },
                escape(metric)
            ),
        ));
    }
    Ok(out)
}

/// At most `k` values of `v` (sorted), evenly spaced and including both ends.
fn spread(v: &[f64], k: usize) -> Vec<f64> {
    if v.len() <= k || k < 2 {
        return v.to_vec();
    }
    let mut out: Vec<f64> = (0..k).map(|i| v[(i * (v.len() - 1) + (k - 1) / 2) / (k - 1)]).collect();
    out.dedup();
    out
}

/// Equal-width bins over the range of a sampled axis.
struct Bins {
    lo: f64,
    width: f64,
    centres: Vec<f64>,
}

impl Bins {
    /// Up to `max` bins over the range of `values` (fewer when the axis has fewer distinct values);
    /// `None` when the axis does not vary.
    fn new(values: &[f64], max: usize) -> Option<Bins> {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut distinct = values.to_vec();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let k = max.min(distinct.len());
        if k < 2 || hi <= lo {
            return None;
        }
        let width = (hi - lo) / k as f64;
        Some(Bins { lo, width, centres: (0..k).map(|i| lo + (i as f64 + 0.5) * width).collect() })
    }

    /// Per bin: the mean of the values of the (axis value, value) pairs that fall in it, and the
    /// 95% Student-t interval of that mean (the mean itself when a bin holds one value).
    fn means(&self, pairs: impl Iterator<Item = (f64, f64)>) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let k = self.centres.len();
        let mut stats = vec![crate::stats::Welford::default(); k];
        for (x, v) in pairs {
            let b = (((x - self.lo) / self.width) as usize).min(k - 1);
            stats[b].push(v);
        }
        let mid: Vec<f64> = stats.iter().map(|s| if s.n > 0 { s.mean } else { f64::NAN }).collect();
        let ci: Vec<(f64, f64)> = stats.iter().zip(&mid).map(|(s, &m)| s.ci95().unwrap_or((m, m))).collect();
        (mid, ci.iter().map(|c| c.0).collect(), ci.iter().map(|c| c.1).collect())
    }
}

/// A sweep axis as a reader knows it: the parameter's name in the model's words, with its symbol,
/// instead of its path (`small_state.gamma` is "risk aversion γ"). Paths not in the table are shown
/// as they are.
pub fn axis_title(path: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("small_state.cap", "capability (relative to the great power)"),
        ("small_state.mil", "military strength"),
        ("small_state.dep", "economic dependence"),
        ("small_state.dep0", "structural dependence"),
        ("small_state.gamma", "risk aversion γ"),
        ("small_state.stakes", "stakes"),
        ("small_state.eta", "adjustment speed η"),
        ("small_state.imminence", "imminence of a threat"),
        ("great_power.hostility", "great-power hostility θ*"),
        ("great_power.focus", "great-power regional focus"),
        ("great_power.beta", "great-power logit sharpness β"),
        ("decision.rivalry", "rivalry demanding a choice"),
        ("decision.imminence_weight", "weight of imminence in side-taking pressure"),
        ("decision.label_threshold", "label threshold τ"),
        ("beliefs.forgetting", "belief forgetting δ"),
        ("beliefs.fluidity", "fluidity of intentions"),
        ("beliefs.horizon", "planning horizon (turns)"),
    ];
    if let Some((_, name)) = NAMES.iter().find(|(p, _)| *p == path) {
        return (*name).to_string();
    }
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["third_powers", partner, field] => format!("{partner}'s {}", field.replace('_', " ")),
        ["small_state", "legit", code] => format!("legitimation of {code}"),
        _ => path.to_string(),
    }
}
