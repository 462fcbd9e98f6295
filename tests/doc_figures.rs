//! Every figure the README and the docs quote is an output of a command written beside it, and this
//! test runs those commands and compares.
//!
//! A figure is tied to its command by a marker, an HTML comment (invisible when the page is
//! rendered) written after the sentence or table that quotes it:
//!
//! ```text
//! <!-- figures: `COMMAND` KEY = FIGURE; KEY = FIGURE -->
//! <!-- table: `COMMAND` -->
//! <!-- archived figures: `COMMAND` KEY = FIGURE -->
//! ```
//!
//! An `archived figures` marker quotes a superseded calibration round (its candidate and held-out
//! box stay in the repository, and the figures must still come out of today's code). Those
//! commands are the slow ones, a 500-point `hedgesim facts` run each, so they are checked by an
//! ignored test that CI runs as a step of its own (`cargo test --release --test doc_figures --
//! --ignored`), and the README's `cargo test --release` checks every other marker. A marker moves
//! to `archived` when a later round supersedes the one it reports; it keeps its command and
//! figures.
//!
//! COMMAND is `hedgesim ARGS` (written in the text as `cargo run --release -- ARGS`), `example NAME
//! ARGS` (written as `cargo run --release --example NAME -- ARGS`), or `cat FILE` (a file an earlier
//! command wrote). The first two must appear verbatim in the page, so the reader has the command
//! that makes the figure. Commands run in document order in one scratch folder per page, which
//! holds `scenarios/`, `sweeps/` and `docs/` (read-only links) and an empty `out/`.
//!
//! A KEY picks one value from the command's output:
//! - `[ROW] COLUMN` from a table (Markdown rows `| … |` or CSV): ROW is the first column's value, or
//!   `col=value & col=value` to match several columns;
//! - `/json/pointer` from JSON output;
//! - `count(COLUMN=VALUE)` is the number of table rows with that value, `count(COLUMN>=NUMBER)`
//!   the number at or above a bound, `rows` the number of rows;
//! - `KB(FILE, N)` is the size of FILE (in the scratch folder) in kB (1000 bytes) divided by N;
//! - `contains` requires FIGURE itself (any text) in the output (stdout and stderr).
//!
//! FIGURE is written exactly as the page quotes it (`96%`, `0.66`, `−0.20`, `83`), and must appear
//! in the page's text since the previous marker or heading; the output's value, rounded to the
//! figure's precision, must equal it. A `table` marker requires the Markdown table just above it
//! to be, line for line, the table the command prints. So a change to the model that moves a
//! quoted figure, or an edit of the text that misquotes one, fails here.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pages whose figures are checked, and the least number of markers each must hold (so that
/// markers deleted by mistake are noticed).
const PAGES: &[(&str, usize)] = &[
    ("README.md", 3),
    ("docs/tutorial.md", 6),
    ("docs/cases.md", 2),
    ("docs/calibration/README.md", 2),
    ("docs/model.md", 2),
    ("docs/cluster.md", 1),
    ("docs/writing-a-case.md", 5),
    ("docs/sensitivity.md", 7),
    ("docs/calibration/v2-design.md", 2),
    ("docs/calibration/v2-cases/README.md", 4),
    ("docs/calibration/facts-box.md", 1),
    ("docs/calibration/v2-dynamic.md", 10),
];

/// Which markers a test runs: the README's test command checks the current ones, CI's archive step
/// the archived ones.
#[derive(Clone, Copy, PartialEq)]
enum Markers {
    Current,
    Archived,
}

#[test]
fn every_quoted_figure_matches_its_command() {
    check_pages(Markers::Current);
}

#[test]
#[ignore = "superseded calibration rounds, 500-point runs: CI runs it as a step of its own"]
fn every_archived_figure_matches_its_command() {
    check_pages(Markers::Archived);
}

fn check_pages(which: Markers) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for &(page, min_markers) in PAGES {
        let (n, run) = check_page(page, which, &mut failures);
        ran += run;
        if n < min_markers {
            failures.push(format!("{page}: {n} markers, expected at least {min_markers}"));
        }
    }
    // So that a typo in the prefix cannot leave a test with nothing to check.
    assert!(ran > 0, "no marker was run");
    assert!(failures.is_empty(), "{} figure(s) do not match:\n{}", failures.len(), failures.join("\n"));
}

/// Run the markers of `page` that `which` selects; push each mismatch to `failures`; return the
/// number of markers of either kind and the number run.
fn check_page(page: &str, which: Markers, failures: &mut Vec<String>) -> (usize, usize) {
    let doc = std::fs::read_to_string(page).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for d in ["scenarios", "sweeps", "docs"] {
        std::os::unix::fs::symlink(std::fs::canonicalize(d).unwrap(), dir.path().join(d)).unwrap();
    }
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let lines: Vec<&str> = doc.lines().collect();
    // The text a marker's figures must appear in: from the previous heading, or the first line of
    // text after the previous group of markers, to the marker.
    let mut window_start = 0;
    let mut after_markers = false;
    let mut markers = 0;
    let mut ran = 0;
    // A command's output, kept for the page's later markers that quote the same command (the
    // model is deterministic); `cat` is read again, since a later command may rewrite its file.
    let mut outputs: std::collections::HashMap<&str, Output> = std::collections::HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        let is_marker = ["<!-- figures:", "<!-- table:", "<!-- archived figures:"].iter().any(|p| line.starts_with(p));
        if line.starts_with('#') || (after_markers && !is_marker && !line.is_empty()) {
            window_start = i;
            after_markers = false;
        }
        let (kind, body, archived) = if let Some(b) = line.strip_prefix("<!-- figures:") {
            ("figures", b, false)
        } else if let Some(b) = line.strip_prefix("<!-- table:") {
            ("table", b, false)
        } else if let Some(b) = line.strip_prefix("<!-- archived figures:") {
            ("figures", b, true)
        } else {
            continue;
        };
        markers += 1;
        after_markers = true;
        if archived != (which == Markers::Archived) {
            continue;
        }
        ran += 1;
        let at = format!("{page}:{}", i + 1);
        let body = body.trim().strip_suffix("-->").map(str::trim);
        let Some((command, keys)) = body.and_then(|b| b.strip_prefix('`')).and_then(|b| b.split_once('`')) else {
            failures.push(format!("{at}: a marker is `<!-- figures: `COMMAND` KEY = FIGURE; … -->`"));
            continue;
        };
        let window: Vec<&str> = lines[window_start..i].iter().filter(|l| !l.starts_with("<!--")).copied().collect();
        // Text wraps anywhere, so spaces and line ends are one.
        let window = window.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        if !outputs.contains_key(command) || command.starts_with("cat ") {
            match run(command, dir.path(), &doc) {
                Ok(o) => outputs.insert(command, o),
                Err(e) => {
                    failures.push(format!("{at}: {e}"));
                    continue;
                }
            };
        }
        let output = &outputs[command];
        if kind == "table" {
            let expected: Vec<&str> = lines[..i].iter().rev().take_while(|l| l.starts_with('|')).copied().collect();
            let expected: Vec<&str> = expected.into_iter().rev().collect();
            let got: Vec<&str> = output.stdout.lines().filter(|l| l.starts_with('|')).collect();
            if expected.is_empty() {
                failures.push(format!("{at}: a table marker must follow the table"));
            } else if expected != got {
                failures.push(format!("{at}: the table differs from `{command}`, which prints:\n{}", got.join("\n")));
            }
            continue;
        }
        for item in keys.split(';').map(str::trim).filter(|k| !k.is_empty()) {
            let Some((key, figure)) = item.split_once(" = ").map(|(k, f)| (k.trim(), f.trim())) else {
                failures.push(format!("{at}: `{item}` is not KEY = FIGURE"));
                continue;
            };
            if !window.contains(figure) {
                failures.push(format!("{at}: `{figure}` is not in the text before the marker"));
            }
            if let Err(e) = check(key, figure, output, dir.path()) {
                failures.push(format!("{at}: {key} = {figure}: {e}"));
            }
        }
    }
    (markers, ran)
}

struct Output {
    stdout: String,
    all: String,
}

/// Run a marker's command in `dir`; it must be written in `doc` as the reader would type it.
fn run(command: &str, dir: &Path, doc: &str) -> Result<Output, String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let (program, args, as_written): (PathBuf, &[&str], String) = match words.as_slice() {
        // Written `cargo run --release -- ARGS`, or `hedgesim ARGS` on a page for installed users.
        ["hedgesim", args @ ..] => {
            (env!("CARGO_BIN_EXE_hedgesim").into(), args, format!("cargo run --release -- {}", args.join(" ")))
        }
        ["example", name, args @ ..] => {
            let bin = Path::new(env!("CARGO_BIN_EXE_hedgesim")).parent().unwrap().join("examples").join(name);
            (bin, args, format!("cargo run --release --example {name} -- {}", args.join(" ")))
        }
        ["cat", file] => {
            let text = std::fs::read_to_string(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
            return Ok(Output { stdout: text.clone(), all: text });
        }
        _ => return Err(format!("`{command}`: a command starts with `hedgesim`, `example` or `cat`")),
    };
    let written = doc
        .lines()
        .map(|l| l.trim())
        .map(|l| l.strip_prefix("$ ").unwrap_or(l))
        .any(|l| l == as_written || l == command);
    if !written {
        return Err(format!("`{as_written}` is not written on its own line in the page"));
    }
    let out = Command::new(&program).args(args).current_dir(dir).output().map_err(|e| format!("{command}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`{command}` failed: {stderr}"));
    }
    Ok(Output { all: format!("{stdout}{stderr}"), stdout })
}

/// Compare one figure with the value `key` picks from `output`.
fn check(key: &str, figure: &str, output: &Output, dir: &Path) -> Result<(), String> {
    if key == "contains" {
        return if output.all.contains(figure) { Ok(()) } else { Err("not in the output".into()) };
    }
    let value = if let Some(args) = key.strip_prefix("KB(").and_then(|k| k.strip_suffix(')')) {
        // A file's size in kB (1000 bytes), divided by a count: bytes per run, say.
        let (file, per) = args.split_once(',').map_or((args, "1"), |(f, n)| (f, n.trim()));
        let bytes = std::fs::metadata(dir.join(file.trim())).map_err(|e| format!("{file}: {e}"))?.len();
        let per: f64 = per.parse().map_err(|_| format!("`{per}` is not a count"))?;
        (bytes as f64 / 1000.0 / per).to_string()
    } else if let Some(pointer) = key.strip_prefix('/').map(|p| format!("/{p}")) {
        let json: serde_json::Value = serde_json::from_str(&output.stdout).map_err(|e| format!("not JSON: {e}"))?;
        json.pointer(&pointer).ok_or("no such field")?.to_string()
    } else {
        let (header, rows) = table(&output.stdout)?;
        let col = |name: &str| header.iter().position(|h| h == name).ok_or(format!("no column `{name}`"));
        if key == "rows" {
            rows.len().to_string()
        } else if let Some(cond) = key.strip_prefix("count(").and_then(|k| k.strip_suffix(')')) {
            if let Some((c, v)) = cond.split_once(">=") {
                // The rows whose value is at least a bound, such as the cells hedging in 80% or more.
                let (c, bound) = (col(c.trim())?, number(v).ok_or("count(COLUMN>=NUMBER)")?.0);
                rows.iter().filter(|r| number(&r[c]).is_some_and(|(x, _)| x >= bound)).count().to_string()
            } else {
                let (c, v) = cond.split_once('=').ok_or("count(COLUMN=VALUE) or count(COLUMN>=NUMBER)")?;
                let c = col(c.trim())?;
                rows.iter().filter(|r| r[c] == v.trim()).count().to_string()
            }
        } else {
            let (row, column) = key.strip_prefix('[').and_then(|k| k.split_once(']')).ok_or("KEY is `[ROW] COLUMN`")?;
            let conds: Vec<(usize, &str)> = if row.contains('=') {
                row.split('&')
                    .map(|c| {
                        c.split_once('=')
                            .ok_or_else(|| "ROW is `col=value & …`".to_string())
                            .and_then(|(c, v)| Ok((col(c.trim())?, v.trim())))
                    })
                    .collect::<Result<_, _>>()?
            } else {
                vec![(0, row.trim())]
            };
            let same = |cell: &str, want: &str| {
                cell == want || matches!((number(cell), number(want)), (Some(a), Some(b)) if a.0 == b.0)
            };
            let hits: Vec<&Vec<String>> = rows.iter().filter(|r| conds.iter().all(|&(c, v)| same(&r[c], v))).collect();
            let [hit] = hits.as_slice() else { return Err(format!("{} rows match [{row}]", hits.len())) };
            hit[col(column.trim())?].clone()
        }
    };
    let value = value.trim_matches('"');
    let Some((want, decimals)) = number(figure) else {
        // A word, such as a label, is compared as it is.
        return if value == figure { Ok(()) } else { Err(format!("the output says {value}")) };
    };
    let (got, _) = number(value).ok_or(format!("`{value}` is not a number"))?;
    if (got - want).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-12 {
        Ok(())
    } else {
        Err(format!("the output says {value}"))
    }
}

/// A number as text writes it (`+0.05`, `−0.20`, `96%`, `1,000`): its value and its decimals.
fn number(text: &str) -> Option<(f64, usize)> {
    let t = text.trim().replace('−', "-").replace(',', "");
    let t = t.strip_prefix('+').unwrap_or(&t);
    let (t, percent) = match t.strip_suffix('%') {
        Some(p) => (p, true),
        None => (t, false),
    };
    let v: f64 = t.parse().ok()?;
    let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
    Some(if percent { (v / 100.0, decimals + 2) } else { (v, decimals) })
}

/// The header and rows of the Markdown table (`| … |` lines) or, failing that, the CSV in `text`.
fn table(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let md: Vec<Vec<String>> = text
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    if let Some((header, rows)) = md.split_first() {
        return Ok((header.clone(), rows.to_vec()));
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format!("not a table: {e}"))?.iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.map(|r| r.iter().map(String::from).collect()).map_err(|e| format!("not a table: {e}")))
        .collect::<Result<_, _>>()?;
    Ok((header, rows))
}

#[test]
fn numbers_are_read_as_the_text_writes_them() {
    assert_eq!(number("96%"), Some((0.96, 2)));
    assert_eq!(number("−0.20"), Some((-0.2, 2)));
    assert_eq!(number("+0.05"), Some((0.05, 2)));
    assert_eq!(number("9,600"), Some((9600.0, 0)));
    assert_eq!(number("hedging"), None);
}
