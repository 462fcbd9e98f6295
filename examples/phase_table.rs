//! A two-axis sweep's summary as a Markdown table, one row per value of the first axis and one
//! column per value of the second, for the phase tables of `docs/calibration/README.md`.
//!
//! ```sh
//! cargo run --release --example phase_table -- out/cal/summary.csv small_state.dep small_state.cap share_hedging_mean:.2 mean_x_mean:+.2
//! ```
//!
//! Each cell holds the given summary columns, separated by " / ". A column is written `NAME:.2`
//! (two decimals) or `NAME:+.2` (two decimals and a sign). Rows and columns keep the order in which
//! the values first appear in the file, which for a grid is the order of the sweep file.

use std::process::ExitCode;

fn main() -> ExitCode {
    match table() {
        Ok(t) => {
            print!("{t}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn table() -> Result<String, String> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        return Err("usage: phase_table SUMMARY.csv ROW_AXIS COLUMN_AXIS NAME:.2 [NAME:+.2 ...]".into());
    }
    let mut reader = csv::Reader::from_path(&args[1]).map_err(|e| format!("{}: {e}", args[1]))?;
    let header = reader.headers().map_err(|e| format!("{}: {e}", args[1]))?.clone();
    let col = |name: &str| header.iter().position(|h| h == name).ok_or(format!("{}: no column `{name}`", args[1]));
    let (row_col, col_col) = (col(&args[2])?, col(&args[3])?);
    // (column, signed, decimals) per cell value.
    let metrics: Vec<(usize, bool, usize)> = args[4..]
        .iter()
        .map(|m| {
            let (name, spec) = m.split_once(':').ok_or(format!("`{m}`: write NAME:.2 or NAME:+.2"))?;
            let (signed, digits) = match spec.strip_prefix('+') {
                Some(d) => (true, d),
                None => (false, spec),
            };
            let decimals = digits.strip_prefix('.').and_then(|d| d.parse().ok()).ok_or(format!("`{m}`: bad format"))?;
            Ok((col(name)?, signed, decimals))
        })
        .collect::<Result<_, String>>()?;
    let (mut rows, mut cols): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut cells: Vec<(String, String, String)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", args[1]))?;
        let (r, c) = (record[row_col].to_string(), record[col_col].to_string());
        let values: Vec<String> = metrics
            .iter()
            .map(|&(m, signed, d)| {
                let v: f64 = record[m].parse().map_err(|_| format!("{}: `{}` is not a number", args[1], &record[m]))?;
                Ok(if signed { format!("{v:+.d$}") } else { format!("{v:.d$}") })
            })
            .collect::<Result<_, String>>()?;
        if !rows.contains(&r) {
            rows.push(r.clone());
        }
        if !cols.contains(&c) {
            cols.push(c.clone());
        }
        cells.push((r, c, values.join(" / ")));
    }
    let short = |path: &str| path.rsplit('.').next().unwrap_or(path).to_string();
    let mut out = format!("| {} \\ {} | {} |\n", short(&args[2]), short(&args[3]), cols.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(cols.len() + 1)));
    for r in &rows {
        let line: Vec<&str> = cols
            .iter()
            .map(|c| cells.iter().find(|(a, b, _)| a == r && b == c).map_or("", |(_, _, v)| v.as_str()))
            .collect();
        out.push_str(&format!("| {r} | {} |\n", line.join(" | ")));
    }
    Ok(out)
}
