//! Writing runs out: CSV and JSON Lines for analysis, a compact table for the terminal, and atomic
//! files so that a failed run never leaves a half-written output behind.
//!
//! The world produces [`TurnRecord`]s; the writers here only observe them. Numbers are written
//! with Rust's shortest round-trip formatting, so the same run always gives the same bytes, and a
//! real number always has a decimal point (`0.0`, not `0`), so that a column that happens to hold
//! only whole numbers still loads as floats in pandas or R.

use crate::durable;
pub use crate::read::human_bytes;
use crate::record::Cell;
use crate::scenario::Scenario;
use crate::spectrum::{Component, Mix, N};
use crate::world::{TurnRecord, World};
pub use hedgesim_core::record::RecordField;
pub use hedgesim_core::run::{RunSpec, Setting};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

/// How to write a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable per-turn view for the terminal.
    Table,
    Csv,
    /// One JSON object per turn.
    Jsonl,
}

/// Append a real number as CSV writes it: Rust's shortest round-trip form, with `.0` added to a
/// whole number (`0.0`, `1.0`, not `0`, `1`) so that a column reads as floats whatever its values.
/// Allocation-free: a sweep calls it for every column of every turn of `series.csv`.
pub fn push_float(out: &mut String, v: f64) {
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = write!(out, "{v}");
    if out[start..].bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        out.push_str(".0");
    }
}

/// Append a cell as the CSV files write it (a turn's field, [`RecordField::cell`], or a run
/// summary's, [`crate::summary::RunSummary::cells`]): a number by [`push_float`], a count as an
/// integer, a word as it is (words are fixed names, which never need quoting). Allocation-free.
pub fn push_cell(out: &mut String, cell: Cell) {
    match cell {
        Cell::Number(v) => push_float(out, v),
        // Writing to a String cannot fail.
        Cell::Count(n) => {
            let _ = write!(out, "{n}");
        }
        Cell::Word(w) => out.push_str(w),
    }
}

/// SHA-256 of `bytes` in lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Run one scenario and write every turn to `out` in `format`.
pub fn write_run(scenario: &Scenario, run: &RunSpec, format: Format, out: &mut dyn Write) -> io::Result<()> {
    let mut world = run.world(scenario);
    let mut line = String::with_capacity(512);
    let mut result = Ok(());
    // The identity columns, the same on every row.
    let mut identity = format!("{},{},{}", run.seed, run.stream, run.scenario_sha256);
    for s in run.settings {
        identity.push(',');
        push_float(&mut identity, s.value);
    }
    match format {
        Format::Csv => {
            let mut header = vec!["seed".to_string(), "stream".into(), "scenario_sha256".into()];
            header.extend(run.settings.iter().map(|s| s.name.clone()));
            header.extend(["turn".into(), "year".into()]);
            header.extend(RecordField::ALL.iter().map(|f| f.name().to_string()));
            header.extend(scenario.third_power_names().iter().map(|n| format!("s_{n}")));
            write_csv_header(out, &header)?;
        }
        Format::Table => write_table_header(scenario, run, out)?,
        Format::Jsonl => {}
    }
    world.run(run.turns, |r, w| {
        if result.is_err() {
            return;
        }
        line.clear();
        result = match format {
            Format::Csv => {
                line.push_str(&identity);
                line.push(',');
                csv_row(r, w, &mut line);
                writeln!(out, "{line}")
            }
            Format::Jsonl => writeln!(out, "{}", json_row(run, r, w)),
            Format::Table => table_row(scenario, r, w, out),
        };
    });
    result
}

/// Write a CSV header line through the `csv` crate, which quotes a name that needs it (a third
/// power called `"Smith, Jones"`). Rows are numbers and fixed words, which never need quoting,
/// and are written directly: no allocation per row.
pub fn write_csv_header<S: AsRef<[u8]>>(out: &mut dyn Write, names: &[S]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(names).map_err(csv_io)?;
    w.flush()
}

/// A CSV header as a `String` (without the newline), quoted as [`write_csv_header`] quotes it.
pub fn csv_header_line<S: AsRef<[u8]>>(names: &[S]) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv_header(&mut bytes, names);
    bytes.pop();
    String::from_utf8(bytes).unwrap_or_default()
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        k => io::Error::other(format!("{k:?}")),
    }
}

fn csv_row(r: &TurnRecord, w: &World, line: &mut String) {
    let _ = write!(line, "{},", r.turn);
    push_float(line, r.year);
    for f in RecordField::ALL {
        line.push(',');
        push_cell(line, f.cell(r));
    }
    for t in &w.third_powers {
        line.push(',');
        push_float(line, t.support);
    }
}

fn json_row(run: &RunSpec, r: &TurnRecord, w: &World) -> serde_json::Value {
    let mix: serde_json::Map<String, serde_json::Value> =
        Component::ALL.iter().map(|c| (c.code().to_string(), r.mix.0[c.index()].into())).collect();
    let support: serde_json::Map<String, serde_json::Value> =
        w.third_powers.iter().map(|t| (t.name.clone(), t.support.into())).collect();
    let settings: serde_json::Map<String, serde_json::Value> =
        run.settings.iter().map(|s| (s.name.clone(), s.value.into())).collect();
    let mut row = serde_json::json!({
        "seed": run.seed, "stream": run.stream, "scenario_sha256": run.scenario_sha256, "set": settings,
        "turn": r.turn, "year": r.year, "mix": mix, "support": support,
    });
    // Every other field under its column name, from the one mapping of names to values (the mix
    // is nested above, under the components' codes). serde_json keeps keys sorted, so the order
    // of insertion does not show.
    let fields = row.as_object_mut().expect("an object");
    for f in RecordField::ALL.into_iter().filter(|f| !matches!(f, RecordField::Weight(_))) {
        fields.insert(f.name().into(), serde_json::json!(f.cell(r)));
    }
    row
}

/// Characters of the mix bar in the terminal table.
pub const BAR_WIDTH: usize = 28;
/// One glyph per component, rejection to acceptance: solid on the balancing side, light on the
/// bandwagoning side, a dot for economic pragmatism.
pub const BAR_GLYPHS: [char; N] = ['#', '=', '-', '.', '~', '+', '*'];

/// Draw a mix as a bar along the spectrum: each component gets characters in proportion to its
/// weight (largest-remainder rounding, so the bar always has exactly `width` characters).
pub fn mix_bar(mix: &Mix, width: usize) -> String {
    let exact = mix.0.map(|w| w * width as f64);
    let mut counts = exact.map(|x| x.floor() as usize);
    let mut left = width.saturating_sub(counts.iter().sum());
    let mut order: Vec<usize> = (0..N).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    for k in order {
        if left == 0 {
            break;
        }
        counts[k] += 1;
        left -= 1;
    }
    let mut bar = String::with_capacity(width);
    for (k, n) in counts.iter().enumerate() {
        bar.extend(std::iter::repeat_n(BAR_GLYPHS[k], *n));
    }
    bar
}

fn write_table_header(scenario: &Scenario, run: &RunSpec, out: &mut dyn Write) -> io::Result<()> {
    let stream = if run.stream == 0 { String::new() } else { format!(", replication {}", run.stream) };
    writeln!(out, "{} — seed {}{stream}, {} turns", scenario.meta.name, run.seed, run.turns)?;
    for s in run.settings {
        writeln!(out, "set {} = {}", s.name, crate::input::show_number(s.value))?;
    }
    writeln!(
        out,
        "{} facing {}{}",
        scenario.small_state_name(),
        scenario.great_power_name(),
        if scenario.third_power_names().is_empty() {
            String::new()
        } else {
            format!("; third powers: {}", scenario.third_power_names().join(", "))
        }
    )?;
    let legend: Vec<String> =
        Component::ALL.iter().map(|c| format!("{} {}", BAR_GLYPHS[c.index()], c.code())).collect();
    writeln!(out, "mix bar, rejection → acceptance: {}", legend.join("  "))?;
    writeln!(out)?;
    writeln!(
        out,
        "{:>4} {:>8}  {:<width$}  {:<21} {:>4} {:>5}  {:<8}  {:>11}  {:>4}  {:>6}",
        "turn",
        "year",
        "mix",
        "label",
        "H",
        "x",
        "G action",
        "hostility θ",
        "imm",
        "payoff",
        width = BAR_WIDTH
    )
}

fn table_row(scenario: &Scenario, r: &TurnRecord, _w: &World, out: &mut dyn Write) -> io::Result<()> {
    // Unlabelled events are bookkeeping (holding a threat for another turn), not news: not shown.
    for e in scenario.events().iter().filter(|e| e.turn == r.turn && !e.label.is_empty()) {
        writeln!(out, "     ── {:.2}  {}", r.year, e.label)?;
    }
    let label = match r.label.tilt_str() {
        "" => r.label.as_str().to_string(),
        tilt => format!("hedging ({tilt})"),
    };
    writeln!(
        out,
        "{:>4} {:>8.2}  {}  {:<21} {:>4.2} {:>+5.2}  {:<8}  {:>4.2} ± {:>4.2}  {:>4.2}  {:>+6.2}",
        r.turn,
        r.year,
        mix_bar(&r.mix, BAR_WIDTH),
        label,
        r.hedging_intensity,
        r.alignment,
        r.action.as_str(),
        r.belief_mean,
        r.plan_var.sqrt(),
        r.imminence,
        r.payoff
    )
}

/// Write a file atomically: `fill` writes into a temporary file beside `path`, which is renamed to
/// `path` only if `fill` and the flush succeed. On any error the temporary file is removed and an
/// existing `path` is left untouched.
///
/// A path that names a device or a pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written in place:
/// renaming a file over it would replace the device. A symbolic link to a file is followed, so the
/// file it points to is replaced, not the link. Errors keep their [`io::ErrorKind`];
/// [`explain_io`] puts them in plain words.
pub fn write_atomically<E>(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<(), E>) -> Result<(), E>
where
    E: From<io::Error>,
{
    let mut target = path.to_path_buf();
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(io::Error::from(io::ErrorKind::IsADirectory).into());
        }
        if !meta.is_file() {
            let mut writer = io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
            fill(&mut writer)?;
            return Ok(writer.flush()?);
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            target = std::fs::canonicalize(path)?;
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(durable::TEMP_PREFIX).suffix(durable::TEMP_SUFFIX);
    // Temporary files are private (0600) by default; an output file gets ordinary permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    durable::step("create a temporary file")?;
    let tmp = builder.tempfile_in(dir)?;
    // Registered while it exists: SIGINT or SIGTERM removes it too.
    let _registered = durable::TempFile::register(tmp.path());
    let mut writer = io::BufWriter::new(tmp);
    durable::step("write")?;
    fill(&mut writer)?;
    durable::step("flush")?;
    let tmp = writer.into_inner().map_err(|e| e.into_error())?;
    durable::sync_file(tmp.as_file())?;
    durable::step("rename")?;
    tmp.persist(&target).map_err(|e| e.error)?;
    // The new name must reach the disk too, or a power cut can bring back the old file.
    durable::sync_dir(dir)?;
    Ok(())
}

/// An I/O error met while writing, in plain words with what to do about it:
/// `the disk is full (No space left on device (os error 28)); free some space, or choose a folder
/// on another disk`.
pub fn explain_io(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let (what, todo) = match e.kind() {
        K::NotFound => ("a folder on its path does not exist", "create the folder first, or choose another path"),
        K::NotADirectory => ("a part of its path is a file, not a folder", "choose another path"),
        K::IsADirectory => ("it is a folder", "give the name of a file"),
        K::AlreadyExists => ("a file of that name is in the way", "choose another name"),
        K::PermissionDenied => ("permission denied", "choose a place you can write to"),
        K::ReadOnlyFilesystem => ("the disk is read-only", "choose a folder on a writable disk"),
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
            ("the disk is full", "free some space, or choose a folder on another disk")
        }
        _ => return os_error(e),
    };
    format!("{what} ({}); {todo}", os_error(e))
}

/// The operating system's words for an error, without the name of a temporary file that tempfile
/// adds (`… at path "out/.hedgesim-x1y2.tmp"`), which only confuses.
fn os_error(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" at path \"") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_has_fixed_width_and_follows_weights() {
        let m = Mix::normalised([0.5, 0.0, 0.0, 0.25, 0.0, 0.0, 0.25]).unwrap();
        let bar = mix_bar(&m, 28);
        assert_eq!(bar.chars().count(), 28);
        assert_eq!(bar, format!("{}{}{}", "#".repeat(14), ".".repeat(7), "*".repeat(7)));
        assert_eq!(mix_bar(&Mix::uniform(), 28).chars().count(), 28);
    }

    #[test]
    fn csv_header_quotes_only_what_needs_it() {
        assert_eq!(csv_header_line(&["West", "a,b", "say \"hi\"", "x"]), "West,\"a,b\",\"say \"\"hi\"\"\",x");
    }

    #[test]
    fn floats_always_have_a_decimal_point() {
        let mut s = String::new();
        for v in [0.0, -0.0, 1.0, -3.0, 0.25, 1e20, 1e-7, f64::INFINITY] {
            push_float(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0.0 -0.0 1.0 -3.0 0.25 100000000000000000000.0 0.0000001 inf ");
    }

    /// An I/O error at each step of an atomic write in turn (creating, writing, flushing,
    /// syncing, renaming, syncing the folder): the file is always either the old one or the new
    /// one, whole, and no temporary file is left.
    #[test]
    fn atomic_write_is_old_or_new_whatever_step_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut failed = 0;
        for at in 1.. {
            std::fs::write(&path, "old").unwrap();
            crate::durable::fault::arm(Some(at));
            let r = write_atomically::<io::Error>(&path, |w| w.write_all(b"new"));
            let steps = crate::durable::fault::steps();
            crate::durable::fault::arm(None);
            let now = std::fs::read_to_string(&path).unwrap();
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert_eq!(names, ["out.csv"], "step {at}: a temporary file is left");
            match r {
                Ok(()) => {
                    assert_eq!(now, "new");
                    assert!(at > steps, "step {at} of {steps} failed silently");
                    break;
                }
                Err(e) => {
                    assert!(e.to_string().contains("injected fault"), "{e}");
                    assert!(now == "old" || now == "new", "step {at}: {now}");
                    failed += 1;
                }
            }
        }
        assert!(failed >= 6, "only {failed} steps");
    }

    #[test]
    fn atomic_write_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let r: Result<(), io::Error> = write_atomically(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomically::<io::Error>(&path, |w| w.write_all(b"done")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "done");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "outputs are readable by others, like any file the user writes");
        }
    }
}
