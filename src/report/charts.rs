//! Charts as inline SVG strings, drawn with plotters' SVG backend (no fonts, files or network).
//!
//! A few chart shapes cover every report: stacked areas (the mix along the spectrum, label and
//! action shares), lines with uncertainty bands (beliefs, medians with 10–90% bands, response
//! curves with 95% CIs) and heatmaps (phase diagrams). Legends are drawn as HTML keys beside the
//! chart, never inside the plot, so they cannot cover the data.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use std::fmt::Write as _;

pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 300;
const FONT: &str = "sans-serif";
/// Text sizes as plotters takes them. Its SVG backend writes 0.806 of the size given (19 becomes
/// `font-size="15.3"`), and the charts are 960 px wide, shown at that size in a page 1100 px wide:
/// so on a projector every tick, cell value and event number is 15 px and every axis title 17 px.
const TICK_PX: u32 = 19;
const TITLE_PX: u32 = 21;
const TAG_PX: u32 = 19;

/// A colour as `#rrggbb`, for the HTML keys.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Spectrum colours, rejection (blue) through neutral (grey) to acceptance (red): a diverging
/// ColorBrewer RdBu scheme, readable by most colour-blind viewers and in greyscale.
pub const SPECTRUM: [RGBColor; 7] = [
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x43, 0x93, 0xc3),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0xd9, 0xd9, 0xd9),
    RGBColor(0xf4, 0xa5, 0x82),
    RGBColor(0xd6, 0x60, 0x4d),
    RGBColor(0xb2, 0x18, 0x2b),
];

/// One layer of a stacked area, or one line of a line chart.
pub struct Series<'a> {
    pub name: &'a str,
    pub color: RGBColor,
    pub values: Vec<f64>,
    /// A band around the line (lower, upper), drawn translucent.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    pub dashed: bool,
}

impl<'a> Series<'a> {
    pub fn line(name: &'a str, color: RGBColor, values: Vec<f64>) -> Series<'a> {
        Series { name, color, values, band: None, dashed: false }
    }
}

/// A numbered vertical marker (a dated event).
pub struct Marker {
    pub x: f64,
    pub tag: String,
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing a chart failed: {e:?}")
}

/// Axis numbers without noise: whole numbers as such, others with up to two decimals.
fn tick(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 { format!("{v:.0}") } else { format!("{v:.2}").trim_end_matches('0').to_string() }
}

fn x_range(x: &[f64]) -> std::ops::Range<f64> {
    let lo = x.first().copied().unwrap_or(0.0);
    let hi = x.last().copied().unwrap_or(1.0);
    if hi > lo { lo..hi } else { lo..lo + 1.0 }
}

/// A key (legend) as HTML: a coloured swatch and a name per series.
pub fn key(items: &[(&str, RGBColor)]) -> String {
    let mut s = String::from("<ul class=\"key\">");
    for (name, c) in items {
        let _ = write!(s, "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>", hex(*c), escape(name));
    }
    s.push_str("</ul>");
    s
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Rows of event numbers at the top of a chart: a number drops to the next row when the previous
/// number on its row is too close, so that numbers never overlap.
const TAG_ROWS: usize = 6;

/// The row of each marker's tag: the highest row whose last tag is at least `min_gap` away, or,
/// in a cluster denser than [`TAG_ROWS`] rows can hold, the row whose last tag is farthest.
fn tag_rows(xs: &[f64], min_gap: f64) -> Vec<usize> {
    let mut last = [f64::NEG_INFINITY; TAG_ROWS];
    xs.iter()
        .map(|&x| {
            let row = (0..TAG_ROWS)
                .find(|&r| x - last[r] >= min_gap)
                .unwrap_or_else(|| (0..TAG_ROWS).min_by(|&a, &b| last[a].total_cmp(&last[b])).unwrap_or(0));
            last[row] = x;
            row
        })
        .collect()
}

fn draw_markers(chart: &mut Chart, markers: &[Marker], y: std::ops::Range<f64>) -> Result<(), String> {
    // A tag two digits wide at TAG_PX is about 20 px: 4% of a plot about 860 px wide leaves a gap.
    let span = chart.x_range();
    let min_gap = (span.end - span.start) * 0.04;
    let rows = tag_rows(&markers.iter().map(|m| m.x).collect::<Vec<_>>(), min_gap);
    // Data units per pixel, to put a white box behind each number so that it reads on any colour.
    let (w_px, h_px) = chart.plotting_area().dim_in_pixel();
    let (dx, dy) = ((span.end - span.start) / f64::from(w_px.max(1)), (y.end - y.start) / f64::from(h_px.max(1)));
    for (m, &level) in markers.iter().zip(&rows) {
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(m.x, y.start), (m.x, y.end)],
                4,
                3,
                BLACK.mix(0.55).stroke_width(1),
            )))
            .map_err(err)?;
        let top = y.end - (y.end - y.start) * (0.02 + 0.075 * level as f64);
        let half_w = (5.0 + 5.5 * m.tag.len() as f64) * dx;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(m.x - half_w, top + 2.0 * dy), (m.x + half_w, top - 18.0 * dy)],
                WHITE.mix(0.85).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                m.tag.clone(),
                (m.x, top),
                (FONT, TAG_PX).into_font().color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                )),
            )))
            .map_err(err)?;
    }
    Ok(())
}

/// A chart on an SVG canvas with numeric axes.
type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A white canvas with axes over `x` (years or an axis of a sweep) and `y`, labelled; a light grid
/// for line charts, none for stacked areas (whose bands are their own grid).
fn time_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    x: &[f64],
    y: std::ops::Range<f64>,
    x_label: &str,
    y_label: &str,
    grid: bool,
) -> Result<Chart<'a, 'b>, String> {
    root.fill(&WHITE).map_err(err)?;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x_range(x), y)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    if grid {
        mesh.light_line_style(BLACK.mix(0.06)).bold_line_style(BLACK.mix(0.12));
    } else {
        mesh.disable_mesh();
    }
    mesh.x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style((FONT, TICK_PX))
        .axis_desc_style((FONT, TITLE_PX))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Stacked areas over `x`: layers are stacked in the order given, the first at the bottom.
///
/// With `steps`, each turn's value is held until the next turn: the honest drawing of per-turn
/// categories (a label, an action), which must not be interpolated between turns.
pub fn stacked_area(
    x: &[f64],
    layers: &[Series],
    x_label: &str,
    y_label: &str,
    markers: &[Marker],
    steps: bool,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = time_chart(&root, x, 0.0..1.0, x_label, y_label, false)?;
        // Cumulative tops; draw the tallest first so each layer shows its own band.
        let mut tops: Vec<Vec<f64>> = Vec::with_capacity(layers.len());
        let mut acc = vec![0.0; x.len()];
        for l in layers {
            for (a, v) in acc.iter_mut().zip(&l.values) {
                *a += v;
            }
            tops.push(acc.clone());
        }
        let dx = if x.len() >= 2 { x[1] - x[0] } else { 1.0 };
        for (l, top) in layers.iter().zip(&tops).rev() {
            let pts: Vec<(f64, f64)> = if steps {
                x.iter()
                    .zip(top)
                    .enumerate()
                    .flat_map(|(t, (&xt, &v))| {
                        let next = x.get(t + 1).copied().unwrap_or(xt + dx).min(x[x.len() - 1]);
                        [(xt, v.min(1.0)), (next, v.min(1.0))]
                    })
                    .collect()
            } else {
                x.iter().copied().zip(top.iter().map(|v| v.min(1.0))).collect()
            };
            chart.draw_series(AreaSeries::new(pts, 0.0, l.color.filled())).map_err(err)?;
        }
        draw_markers(&mut chart, markers, 0.0..1.0)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Lines over `x`, each with an optional translucent band.
pub fn lines(
    x: &[f64],
    series: &[Series],
    y: std::ops::Range<f64>,
    x_label: &str,
    y_label: &str,
    markers: &[Marker],
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = time_chart(&root, x, y.clone(), x_label, y_label, true)?;
        for s in series {
            if let Some((lo, hi)) = &s.band {
                let mut pts: Vec<(f64, f64)> = x.iter().copied().zip(hi.iter().copied()).collect();
                pts.extend(x.iter().copied().zip(lo.iter().copied()).rev());
                chart.draw_series(std::iter::once(Polygon::new(pts, s.color.mix(0.22).filled()))).map_err(err)?;
            }
        }
        for s in series {
            let pts: Vec<(f64, f64)> = x.iter().copied().zip(s.values.iter().copied()).collect();
            if s.dashed {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(pts, 6, 4, s.color.stroke_width(2))))
                    .map_err(err)?;
            } else {
                chart.draw_series(LineSeries::new(pts, s.color.stroke_width(2))).map_err(err)?;
            }
        }
        draw_markers(&mut chart, markers, y)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One index drawn for every parameter: its value and 95% interval (lower, upper), NaN bounds
/// where it has none.
pub struct IndexSeries<'a> {
    pub name: &'a str,
    pub color: RGBColor,
    pub points: Vec<(f64, f64, f64)>,
}

/// Sensitivity indices, one row per parameter (the first on top): a dot per index with a whisker
/// over its interval, the indices of a parameter side by side.
pub fn intervals(
    params: &[String],
    series: &[IndexSeries],
    x: std::ops::Range<f64>,
    x_label: &str,
) -> Result<String, String> {
    let n = params.len();
    let mut svg = String::new();
    {
        let height = 90 + 46 * n as u32;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // Parameter i sits at y = n − 1 − i, so the list reads from the top.
        let at = |i: usize| (n - 1 - i) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(54)
            .y_label_area_size(250)
            .build_cartesian_2d(x.clone(), -0.5..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_label)
            .x_label_formatter(&|v| tick(v))
            .label_style((FONT, TICK_PX))
            .axis_desc_style((FONT, TITLE_PX))
            .draw()
            .map_err(err)?;
        // The parameters' names, right-aligned beside their rows (plotters' own tick labels fall
        // where its tick algorithm puts them, not on the rows).
        let style = (FONT, TICK_PX).into_font().color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Center,
        ));
        for (i, name) in params.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(x.start, at(i)));
            root.draw(&Text::new(name.clone(), (px - 10, py), style.clone())).map_err(err)?;
        }
        let g = series.len() as f64;
        for (k, s) in series.iter().enumerate() {
            let offset = (k as f64 - (g - 1.0) / 2.0) * 0.22;
            for (i, &(v, lo, hi)) in s.points.iter().enumerate() {
                let y = at(i) - offset;
                if lo.is_finite() && hi.is_finite() {
                    let (lo, hi) = (lo.max(x.start), hi.min(x.end));
                    chart
                        .draw_series(std::iter::once(PathElement::new(vec![(lo, y), (hi, y)], s.color.stroke_width(3))))
                        .map_err(err)?;
                }
                if v.is_finite() {
                    chart.draw_series(std::iter::once(Circle::new((v, y), 6, s.color.filled()))).map_err(err)?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A sequential colour scale from white to dark purple, for shares in [0, 1].
pub fn scale(v: f64) -> RGBColor {
    let t = if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 };
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(lerp(247.0, 63.0), lerp(244.0, 0.0), lerp(249.0, 125.0))
}

/// A heatmap of `values[j][i]` (row j = ys[j], column i = xs[i]), one tick label per cell at its
/// centre, each cell labelled with its value when cells are large enough to hold the text.
pub fn heatmap(xs: &[f64], ys: &[f64], values: &[Vec<f64>], x_label: &str, y_label: &str) -> Result<String, String> {
    use plotters::coord::ranged1d::SegmentValue;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (nx, ny) = (xs.len() as i32, ys.len() as i32);
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(54)
            .y_label_area_size(76)
            // A segmented `0..k` range holds k + 1 segments: one per cell needs `0..n − 1`.
            .build_cartesian_2d((0..(nx - 1).max(0)).into_segmented(), (0..(ny - 1).max(0)).into_segmented())
            .map_err(err)?;
        let label = |v: &SegmentValue<i32>, axis: &[f64]| match v {
            SegmentValue::CenterOf(i) => axis.get(*i as usize).map_or(String::new(), |a| format!("{a}")),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(xs.len())
            .y_labels(ys.len())
            .x_label_formatter(&|v| label(v, xs))
            .y_label_formatter(&|v| label(v, ys))
            .x_desc(x_label)
            .y_desc(y_label)
            .label_style((FONT, TICK_PX))
            .axis_desc_style((FONT, TITLE_PX))
            .draw()
            .map_err(err)?;
        for (j, row) in values.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                let (i, j) = (i as i32, j as i32);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                            (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                        ],
                        scale(*v).filled(),
                    )))
                    .map_err(err)?;
                if nx <= 16 && ny <= 16 && v.is_finite() {
                    let color = if *v > 0.55 { WHITE } else { BLACK };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            format!("{v:.2}"),
                            (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                            (FONT, TICK_PX).into_font().color(&color).pos(plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            )),
                        )))
                        .map_err(err)?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Close event numbers take different rows; distant ones share the top row; a cluster larger
    /// than the rows reuses the row whose last number is farthest.
    #[test]
    fn event_numbers_never_share_a_row_when_close() {
        assert_eq!(tag_rows(&[0.0, 10.0, 20.0], 1.0), vec![0, 0, 0]);
        assert_eq!(tag_rows(&[0.0, 0.5, 0.9, 5.0], 1.0), vec![0, 1, 2, 0]);
        let dense: Vec<f64> = (0..8).map(|i| f64::from(i) * 0.1).collect();
        assert_eq!(tag_rows(&dense, 1.0), vec![0, 1, 2, 3, 4, 5, 0, 1]);
    }
}
