//! Running a sweep: all cores through rayon, rows written in run-id order as they finish, resumable
//! after a kill, and shardable across machines.
//!
//! Runs are processed in blocks of [`BLOCK`] run ids. Within a block rayon runs them in parallel and
//! collects the formatted rows in order; the block is then appended and flushed. The output is
//! therefore byte-identical whatever the thread count, and memory is bounded by one block whatever
//! the number of runs. While a sweep is under way its files carry a `.partial` suffix; they get
//! their final names only when complete.

use super::manifest::{Manifest, Shard, now_rfc3339};
use super::metrics::{RunId, RunMetrics, runs_header, series_header, write_runs_row, write_series_row};
use super::spec::SweepSpec;
use super::summary::summarize;
use crate::durable;
use crate::input::InputError;
use crate::output::{explain_io, human_bytes, write_atomically};
use crate::schema::FieldPath;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs per block: large enough to keep every core busy, small enough to bound memory.
pub const BLOCK: u64 = 1024;

pub const RUNS_CSV: &str = "runs.csv";
pub const SERIES_CSV: &str = "series.csv";
pub const SUMMARY_CSV: &str = "summary.csv";
pub const MANIFEST_JSON: &str = "manifest.json";
pub const MANIFEST_PARTIAL: &str = "manifest.partial.json";
/// Held (an OS file lock) by the sweep writing a folder; released by the OS when the process ends,
/// even by SIGKILL, so a killed sweep never blocks its own `--resume`.
pub const LOCK_FILE: &str = ".hedgesim.lock";

/// A folder's lock, held (an OS file lock) while a sweep or a merge writes the folder.
///
/// Dropping it releases the lock; if the folder is finished by then (it has `manifest.json`) the
/// lock file goes too, so that a finished folder holds only its outputs, whether this process
/// finished it or only looked at it (a refused attempt, a `--resume` with nothing to do).
pub(crate) struct FolderLock {
    dir: PathBuf,
    _file: File,
}

impl FolderLock {
    /// Take the folder's lock, or say who holds it. With the lock held, temporary files left in
    /// the folder by a killed process are removed: nothing else can be writing them.
    pub(crate) fn take(out: &Path) -> Result<FolderLock, SweepError> {
        let path = out.join(LOCK_FILE);
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(format!("creating the lock file {}", path.display())))?;
        match f.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(SweepError::Refused(format!(
                    "another hedgesim sweep or merge is writing to {} right now; wait for it, or choose another --out",
                    out.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(SweepError::Io { context: format!("locking {}", path.display()), error: e });
            }
        }
        for e in fs::read_dir(out).into_iter().flatten().flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".hedgesim-") && name.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
        Ok(FolderLock { dir: out.to_path_buf(), _file: f })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if self.dir.join(MANIFEST_JSON).exists() {
            let _ = fs::remove_file(self.dir.join(LOCK_FILE));
        }
    }
}

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    pub out: PathBuf,
    pub shard: Shard,
    pub resume: bool,
    /// Give every run its own stream instead of common random numbers across configs.
    pub independent_seeds: bool,
    /// Also write per-turn rows (`series.csv`).
    pub series: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Run even if the output would exceed [`MAX_OUTPUT_BYTES`].
    pub force: bool,
}

/// Largest output a sweep writes without `--force`: a guard against a typo costing a disk.
pub const MAX_OUTPUT_BYTES: u64 = 10_000_000_000;

/// Most turns (runs × turns per run) a sweep simulates without `--force`: about an hour and a
/// quarter on one core (BENCHMARKS.md: some 2.2 million turns a second), a guard against a typo
/// costing a day. A shard counts its own runs.
pub const MAX_TURNS_TOTAL: u64 = 10_000_000_000;

/// Bytes the sweep would write, from the rows of its first run (exact for this run, close for the
/// others: rows differ only in the length of their numbers).
pub fn output_bytes(spec: &SweepSpec, opts: &SweepOptions) -> u64 {
    let runs = opts.shard.runs(spec.runs());
    if runs == 0 {
        return 0;
    }
    runs.saturating_mul(run_bytes(spec, opts, 0))
}

/// Bytes of the rows of the shard's `k`-th run (`k` below the shard's run count).
fn run_bytes(spec: &SweepSpec, opts: &SweepOptions, k: u64) -> u64 {
    let mut row = String::new();
    let mut series = String::new();
    simulate_run(spec, opts.shard.run_id(k), opts.independent_seeds, &mut row, opts.series.then_some(&mut series));
    (row.len() + series.len()) as u64
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// An I/O error, said in plain words with what to do ([`explain_io`]); `context` says what
    /// was being done to which file.
    #[error("{context}: {}", explain_io(.error))]
    Io { context: String, error: io::Error },
    #[error("{0}")]
    Refused(String),
    /// An error after runs were written: they are kept, and `resume` is the command that goes on.
    #[error("{error}; the runs written so far are kept: when that is fixed, continue with `{resume}`")]
    Interrupted { error: Box<SweepError>, resume: String },
}

/// For `?` inside [`write_atomically`]'s callers; [`in_file`] adds which file.
impl From<io::Error> for SweepError {
    fn from(error: io::Error) -> Self {
        SweepError::Io { context: String::new(), error }
    }
}

pub(crate) fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> SweepError {
    let context = context.into();
    move |error| SweepError::Io { context, error }
}

/// Name the file an I/O error without context happened in: `writing out/summary.csv: …`.
pub(crate) fn in_file(path: &Path) -> impl FnOnce(SweepError) -> SweepError + '_ {
    move |e| match e {
        SweepError::Io { context, error } if context.is_empty() => {
            SweepError::Io { context: format!("writing {}", path.display()), error }
        }
        e => e,
    }
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOutcome {
    pub runs_in_shard: u64,
    /// Runs found complete in an interrupted sweep and not run again.
    pub runs_resumed: u64,
    pub runs_done: u64,
    pub turns_per_run: u32,
    pub elapsed: Duration,
    pub already_complete: bool,
}

fn partial(name: &str) -> String {
    format!("{name}.partial")
}

/// Simulate run `run_id` and append its `runs.csv` row (and, if asked, its series rows).
pub fn simulate_run(
    spec: &SweepSpec,
    run_id: u64,
    independent_seeds: bool,
    row: &mut String,
    series: Option<&mut String>,
) {
    let reps = u64::from(spec.replications);
    let config_id = run_id / reps;
    let replication = (run_id % reps) as u32;
    let id = RunId {
        run_id,
        config_id,
        replication,
        stream: if independent_seeds { run_id } else { u64::from(replication) },
    };
    let mut values = vec![0.0; spec.axes.len()];
    spec.design.config(config_id, &mut values);
    let overrides: Vec<(FieldPath, f64)> = spec.axes.iter().map(|a| a.path).zip(values.iter().copied()).collect();
    let mut world = spec.scenario.world_with(spec.master_seed, id.stream, &overrides);
    let mut metrics = RunMetrics::new(spec.metrics_from_turn);
    match series {
        Some(out) => world.run(spec.turns(), |r, _| {
            metrics.observe(r);
            write_series_row(out, &id, &spec.series, r);
        }),
        None => world.run(spec.turns(), |r, _| metrics.observe(r)),
    }
    write_runs_row(row, &id, spec.master_seed, &values, &metrics, world.small_state.mil, world.small_state.dep);
}

/// Open a `.partial` file for appending after its last complete line; write `header` if it is new
/// or holds less than a header. Returns the file and its number of complete data rows.
fn open_partial(path: &Path, header: &str, resume: bool) -> Result<(File, u64), SweepError> {
    let ctx = || format!("opening {}", path.display());
    if resume && path.exists() {
        let mut f = OpenOptions::new().read(true).write(true).open(path).map_err(io_err(ctx()))?;
        let (lines, end) = complete_lines(&mut f).map_err(io_err(ctx()))?;
        if lines >= 1 {
            f.set_len(end).map_err(io_err(ctx()))?;
            f.seek(SeekFrom::End(0)).map_err(io_err(ctx()))?;
            return Ok((f, lines - 1));
        }
    }
    let mut f = File::create(path).map_err(io_err(ctx()))?;
    writeln!(f, "{header}").map_err(io_err(ctx()))?;
    Ok((f, 0))
}

/// Count newline-terminated lines and the byte offset just past the last one.
fn complete_lines(f: &mut File) -> io::Result<(u64, u64)> {
    f.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::with_capacity(1 << 20, &mut *f);
    let (mut lines, mut end, mut pos) = (0u64, 0u64, 0u64);
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        for (i, &b) in buf.iter().enumerate() {
            if b == b'\n' {
                lines += 1;
                end = pos + i as u64 + 1;
            }
        }
        let n = buf.len();
        pos += n as u64;
        reader.consume(n);
    }
    Ok((lines, end))
}

/// Cut a series file before the first row of run `next_run` or later (or a torn last line).
fn truncate_series(path: &Path, next_run: u64) -> Result<(), SweepError> {
    let ctx = || format!("resuming {}", path.display());
    let f = File::open(path).map_err(io_err(ctx()))?;
    let mut reader = BufReader::new(f);
    let mut line = String::new();
    let mut keep = 0u64;
    let mut first = true;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(io_err(ctx()))?;
        if n == 0 || !line.ends_with('\n') {
            break;
        }
        if !first {
            let run: u64 = line.split(',').next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
            if run >= next_run {
                break;
            }
        }
        first = false;
        keep += n as u64;
    }
    OpenOptions::new().write(true).open(path).and_then(|f| f.set_len(keep)).map_err(io_err(ctx()))
}

/// Flush and sync a `.partial` file: its rows are on the disk before any file that counts on
/// them (the summary, the final names, the manifest) is written.
fn sync_partial(w: BufWriter<File>, partial: &Path) -> Result<(), SweepError> {
    let ctx = || format!("writing {}", partial.display());
    durable::step("flush").map_err(io_err(ctx()))?;
    let f = w.into_inner().map_err(|e| SweepError::Io { context: ctx(), error: e.into_error() })?;
    durable::sync_file(&f).map_err(io_err(ctx()))
}

/// Give a synced `.partial` file its final name.
fn rename_partial(partial: &Path, done: &Path) -> Result<(), SweepError> {
    durable::rename(partial, done).map_err(io_err(format!("renaming {} to {}", partial.display(), done.display())))
}

pub(crate) fn read_manifest(path: &Path) -> Result<Manifest, SweepError> {
    let text = fs::read_to_string(path).map_err(io_err(format!("reading {}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        SweepError::Refused(format!(
            "{} is not a hedgesim manifest ({e}); hedgesim did not write this folder, so choose another --out",
            path.display()
        ))
    })
}

pub(crate) fn write_manifest(path: &Path, m: &Manifest) -> Result<(), SweepError> {
    write_atomically(path, |w| {
        serde_json::to_writer_pretty(&mut *w, m).map_err(io::Error::other)?;
        writeln!(w)
    })
    .map_err(io_err(format!("writing {}", path.display())))
}

/// Refuse to write a sweep into a folder that holds files of its own: a sweep writes into a new
/// or empty folder, or into its own folder to resume or finish it.
pub(crate) fn refuse_foreign_folder(out: &Path) -> Result<(), SweepError> {
    let Ok(entries) = fs::read_dir(out) else { return Ok(()) };
    if out.join(MANIFEST_JSON).exists() || out.join(MANIFEST_PARTIAL).exists() {
        return Ok(());
    }
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n != LOCK_FILE && !n.starts_with(".hedgesim-"))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let n = foreign.len();
    foreign.truncate(3);
    Err(SweepError::Refused(format!(
        "{} already holds other files ({}{}) and no hedgesim sweep; a sweep writes into a new or empty folder, \
         so choose another --out",
        out.display(),
        foreign.join(", "),
        if n > 3 { format!(", … {n} in all") } else { String::new() }
    )))
}

/// Write `dir/summary.csv` from the runs file `runs` (`runs.csv`, or its `.partial` while a sweep
/// finishes).
pub fn write_summary(dir: &Path, runs: &Path, axes: &[String]) -> Result<(), SweepError> {
    let f = File::open(runs).map_err(io_err(format!("reading {}", runs.display())))?;
    let summary = dir.join(SUMMARY_CSV);
    write_atomically(&summary, |w| summarize(BufReader::new(f), axes, w))
        .map_err(io_err(format!("writing {}", summary.display())))
}

/// The files a finished sweep (or merge) promises, by name.
pub(crate) fn promised_files(m: &Manifest) -> Vec<&'static str> {
    let mut files = vec![RUNS_CSV, SUMMARY_CSV];
    if m.series.is_some() {
        files.push(SERIES_CSV);
    }
    files
}

/// Check that a folder whose `manifest.json` says it is finished holds every file it promises,
/// and remove a partial manifest left by a stop between writing the final one and removing it.
pub(crate) fn check_finished(out: &Path, m: &Manifest) -> Result<(), SweepError> {
    let missing: Vec<&str> = promised_files(m).into_iter().filter(|f| !out.join(f).is_file()).collect();
    if !missing.is_empty() {
        return Err(SweepError::Refused(format!(
            "{} has a manifest.json that says it is finished, but {} {} missing: the folder was changed after \
             it finished; delete the folder and run again",
            out.display(),
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        )));
    }
    let partial = out.join(MANIFEST_PARTIAL);
    if partial.exists() {
        durable::remove(&partial).map_err(io_err(format!("removing {}", partial.display())))?;
    }
    Ok(())
}

/// Refuse a sweep whose inputs (sweep file, scenario, design table) are among the files the sweep
/// writes into `out`: writing would destroy them.
fn refuse_inputs_in_folder(spec: &SweepSpec, out: &Path) -> Result<(), SweepError> {
    let own = [RUNS_CSV, SERIES_CSV, SUMMARY_CSV, MANIFEST_JSON, MANIFEST_PARTIAL, LOCK_FILE];
    let outputs: Vec<PathBuf> = own.iter().flat_map(|n| [out.join(n), out.join(partial(n))]).collect();
    let inputs = [Some(spec.file.as_path()), Some(spec.scenario_file.as_path()), spec.table_file.as_deref()];
    for input in inputs.into_iter().flatten() {
        for o in &outputs {
            if durable::same_file(input, o) {
                return Err(SweepError::Refused(format!(
                    "{} is the input {}; the sweep would write over it: choose another --out",
                    o.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

/// Run (or resume) a sweep into `opts.out`.
pub fn run_sweep(spec: &SweepSpec, opts: &SweepOptions) -> Result<SweepOutcome, SweepError> {
    let start = Instant::now();
    let out = &opts.out;
    if !opts.force {
        let bytes = output_bytes(spec, opts);
        if bytes > MAX_OUTPUT_BYTES {
            return Err(SweepError::Refused(format!(
                "this sweep would write about {} ({} runs{}), more than the {} limit; check the sweep file \
                 (replications, axis steps, --series), or pass --force to run it anyway",
                human_bytes(bytes),
                opts.shard.runs(spec.runs()),
                if opts.series { format!(" × {} turns of series", spec.turns()) } else { String::new() },
                human_bytes(MAX_OUTPUT_BYTES)
            )));
        }
    }
    if !opts.force {
        let runs = opts.shard.runs(spec.runs());
        let turns = runs.saturating_mul(u64::from(spec.turns()));
        if turns > MAX_TURNS_TOTAL {
            return Err(SweepError::Refused(format!(
                "this sweep would simulate {runs} runs × {} turns = {turns} turns, more than the limit of \
                 {MAX_TURNS_TOTAL}; check the sweep file (replications, axis steps, the scenario's turns), split it \
                 into shards (--shard I/N), or pass --force to run it anyway",
                spec.turns()
            )));
        }
    }
    refuse_inputs_in_folder(spec, out)?;
    refuse_foreign_folder(out)?;
    fs::create_dir_all(out).map_err(io_err(format!("creating the output folder {}", out.display())))?;
    let _lock = FolderLock::take(out)?;
    let final_manifest = out.join(MANIFEST_JSON);
    let partial_manifest = out.join(MANIFEST_PARTIAL);
    let threads = rayon::current_num_threads();
    let mut manifest = Manifest::new(spec, opts.shard, opts.independent_seeds, opts.series, threads);
    let runs_in_shard = manifest.runs_in_shard;
    let outcome = |resumed, done, already_complete| SweepOutcome {
        runs_in_shard,
        runs_resumed: resumed,
        runs_done: done,
        turns_per_run: spec.turns(),
        elapsed: start.elapsed(),
        already_complete,
    };
    let another = |existing: &Manifest, state: &str| {
        SweepError::Refused(format!(
            "{} already holds another sweep, {state}: {}; choose another --out",
            out.display(),
            differences(existing, &manifest).join("; ")
        ))
    };
    let is_this = |existing: &Manifest| existing.sweep_id == manifest.sweep_id && existing.shard == manifest.shard;

    if final_manifest.exists() {
        let existing = read_manifest(&final_manifest)?;
        if !is_this(&existing) {
            return Err(another(&existing, "finished"));
        }
        check_finished(out, &existing)?;
        // With or without --resume: the folder already holds what was asked for, so the command
        // succeeds (a Makefile or Snakemake rule re-run on a finished sweep must not fail).
        return Ok(outcome(existing.runs_in_shard, 0, true));
    }
    if partial_manifest.exists() {
        let existing = read_manifest(&partial_manifest)?;
        if !is_this(&existing) {
            return Err(another(&existing, "interrupted"));
        }
        if !opts.resume {
            return Err(SweepError::Refused(format!(
                "{} holds this sweep, interrupted; continue it by adding --resume, or choose another --out",
                out.display()
            )));
        }
        manifest.started = existing.started;
    }

    // From here on the folder may hold this sweep: an error keeps what is written and says how to
    // go on (`--resume` also starts a sweep whose partial manifest never reached the disk).
    let resumable = |e| SweepError::Interrupted { error: Box::new(e), resume: resume_command(spec, opts) };
    if !partial_manifest.exists() {
        write_manifest(&partial_manifest, &manifest).map_err(resumable)?;
    }
    let done = write_runs(spec, opts, manifest).map_err(resumable)?;
    // The folder is complete: dropping `_lock` removes the lock file.
    Ok(outcome(done, runs_in_shard - done, false))
}

/// The command that continues this sweep.
pub fn resume_command(spec: &SweepSpec, opts: &SweepOptions) -> String {
    let mut cmd = format!("hedgesim sweep {} --out {} --resume", spec.file.display(), opts.out.display());
    if opts.shard != Shard::WHOLE {
        cmd.push_str(&format!(" --shard {}/{}", opts.shard.index, opts.shard.count));
    }
    if opts.series {
        cmd.push_str(" --series");
    }
    if opts.independent_seeds {
        cmd.push_str(" --independent-seeds");
    }
    cmd
}

/// How the sweep in a folder differs from the one asked for, in words.
fn differences(existing: &Manifest, new: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    if existing.hedgesim_version != new.hedgesim_version {
        out.push(format!("it was written by hedgesim {}", existing.hedgesim_version));
    }
    if existing.sweep_sha256 != new.sweep_sha256 {
        out.push(if existing.sweep_file == new.sweep_file {
            format!("{} has changed since", existing.sweep_file)
        } else {
            format!("it comes from {}", existing.sweep_file)
        });
    }
    if existing.scenario_sha256 != new.scenario_sha256 {
        out.push(format!("its scenario {} differs", existing.scenario_file));
    }
    if existing.table_sha256 != new.table_sha256 {
        out.push("its design table differs".into());
    }
    if existing.common_random_numbers != new.common_random_numbers {
        out.push(format!(
            "it was run {} --independent-seeds",
            if existing.common_random_numbers { "without" } else { "with" }
        ));
    }
    if existing.series != new.series {
        out.push(match &existing.series {
            None => "it was run without --series".to_string(),
            Some(cols) if new.series.is_some() => format!("its series columns were {}", cols.join(",")),
            Some(_) => "it was run with --series".to_string(),
        });
    }
    if existing.shard != new.shard {
        out.push(format!("it is shard {}/{}", existing.shard.index, existing.shard.count));
    }
    if out.is_empty() {
        out.push("its sweep_id differs".into());
    }
    out
}

/// Write (or go on writing) the runs of a sweep whose partial manifest is on disk, then finalise
/// the folder. Returns the number of runs that were already done.
fn write_runs(spec: &SweepSpec, opts: &SweepOptions, mut manifest: Manifest) -> Result<u64, SweepError> {
    let out = &opts.out;
    let runs_in_shard = manifest.runs_in_shard;
    let runs_path = out.join(partial(RUNS_CSV));
    let series_path = out.join(partial(SERIES_CSV));
    // A file under its final name in an unfinished folder was renamed by an interrupted
    // finalisation, after all its rows were written and synced: it is complete, and goes back to
    // its `.partial` name to be finalised again. Each file on its own: a stop between the two
    // renames leaves one under each name.
    if opts.resume {
        for name in [RUNS_CSV, SERIES_CSV] {
            let (done_path, partial_path) = (out.join(name), out.join(partial(name)));
            if !partial_path.exists() && done_path.exists() {
                durable::rename(&done_path, &partial_path).map_err(io_err(format!("resuming {name}")))?;
            }
        }
        // Series rows are written before the runs rows they belong to: runs without a series file
        // (deleted by hand) cannot be trusted to have theirs, so the sweep starts over.
        if opts.series && !series_path.exists() && runs_path.exists() {
            durable::remove(&runs_path).map_err(io_err(format!("resuming {}", runs_path.display())))?;
        }
    }
    let (runs_file, done) = open_partial(&runs_path, &runs_header(spec), opts.resume)?;
    let done = done.min(runs_in_shard);
    let mut runs_w = BufWriter::with_capacity(1 << 20, runs_file);
    let mut series_w = if opts.series {
        let fresh = !(opts.resume && series_path.exists());
        if !fresh {
            truncate_series(&series_path, opts.shard.run_id(done))?;
        }
        let (f, _) = open_partial(&series_path, &series_header(spec), !fresh)?;
        Some(BufWriter::with_capacity(1 << 20, f))
    } else {
        None
    };

    let bar = if opts.progress {
        let bar = ProgressBar::with_draw_target(Some(runs_in_shard), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} runs  {rate}  elapsed {elapsed}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .with_key("rate", |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} runs/s", s.per_sec());
                }),
        );
        bar.set_position(done);
        bar
    } else {
        ProgressBar::hidden()
    };

    // Compute blocks on the rayon pool while a writer thread appends the previous block: writing
    // overlaps computing, blocks stay in order, and at most two are in flight (bounded memory).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, String)>>(1);
    // What an error says it was doing, formatted once rather than for every row.
    let (writing_runs, writing_series) =
        (format!("writing {}", runs_path.display()), format!("writing {}", series_path.display()));
    let write_blocks = move || -> Result<_, SweepError> {
        for rows in rx {
            // The block's series rows reach the disk before any of its runs rows (a full runs
            // buffer writes itself out): a runs row on disk promises its series rows are there
            // too, after a kill or a full disk alike. On an error nothing of this block has
            // gone into the runs buffer, so dropping it writes nothing that runs ahead.
            if let Some(w) = series_w.as_mut() {
                rows.iter()
                    .try_for_each(|(_, series)| w.write_all(series.as_bytes()))
                    .and_then(|()| w.flush())
                    .map_err(io_err(writing_series.as_str()))?;
            }
            rows.iter()
                .try_for_each(|(row, _)| runs_w.write_all(row.as_bytes()))
                .and_then(|()| runs_w.flush())
                .map_err(io_err(writing_runs.as_str()))?;
        }
        Ok((runs_w, series_w))
    };
    let written = std::thread::scope(|scope| {
        let writer = scope.spawn(write_blocks);
        let mut k = done;
        while k < runs_in_shard {
            let end = (k + BLOCK).min(runs_in_shard);
            let rows: Vec<(String, String)> = (k..end)
                .into_par_iter()
                .map(|i| {
                    let mut row = String::with_capacity(512);
                    let mut series = String::new();
                    simulate_run(
                        spec,
                        opts.shard.run_id(i),
                        opts.independent_seeds,
                        &mut row,
                        opts.series.then_some(&mut series),
                    );
                    bar.inc(1);
                    (row, series)
                })
                .collect();
            if tx.send(rows).is_err() {
                break; // the writer stopped on an error; it is reported below
            }
            k = end;
        }
        drop(tx);
        writer.join().unwrap_or_else(|_| Err(SweepError::Refused("the output writer thread panicked".into())))
    });
    let (runs_w, series_w) = written?;
    bar.finish_and_clear();

    // Finalise, in an order that a stop at any step leaves resumable: the data reaches the disk,
    // then the summary is written from it, then the files take their final names, then the
    // manifest says the folder is finished, and only then does the partial manifest go. Until
    // `manifest.json` exists the folder is unfinished and `--resume` completes it.
    if let Some(w) = series_w {
        sync_partial(w, &series_path)?;
    }
    sync_partial(runs_w, &runs_path)?;
    write_summary(out, &runs_path, &manifest.axes)?;
    if opts.series {
        rename_partial(&series_path, &out.join(SERIES_CSV))?;
    }
    rename_partial(&runs_path, &out.join(RUNS_CSV))?;
    durable::sync_dir(out).map_err(io_err(format!("syncing {}", out.display())))?;
    manifest.finished = Some(now_rfc3339());
    write_manifest(&out.join(MANIFEST_JSON), &manifest)?;
    let partial_manifest = out.join(MANIFEST_PARTIAL);
    durable::remove(&partial_manifest).map_err(io_err(format!("removing {}", partial_manifest.display())))?;
    durable::sync_dir(out).map_err(io_err(format!("syncing {}", out.display())))?;
    Ok(done)
}

/// What `--dry-run` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub configs: u64,
    pub runs: u64,
    pub runs_in_shard: u64,
    pub threads: usize,
    pub seconds: f64,
    pub bytes: u64,
}

/// Time a sample of runs on this machine and extrapolate time and disk for the whole sweep.
pub fn estimate(spec: &SweepSpec, opts: &SweepOptions) -> Estimate {
    let runs_in_shard = opts.shard.runs(spec.runs());
    // A shard with no runs (more shards than runs) has nothing to time.
    let sample = runs_in_shard.min(200);
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let bytes: u64 = (0..sample).map(|j| run_bytes(spec, opts, j * runs_in_shard / sample)).sum();
    let per_run = if sample == 0 { 0.0 } else { start.elapsed().as_secs_f64() / sample as f64 };
    Estimate {
        configs: spec.configs(),
        runs: spec.runs(),
        runs_in_shard,
        threads,
        seconds: per_run * runs_in_shard as f64 / threads as f64,
        bytes: (bytes * runs_in_shard).checked_div(sample).unwrap_or(0),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::durable::fault;

    /// A small sweep over the bundled teaching dyad: 2 configs × 3 replications.
    pub(crate) fn small_spec(dir: &Path) -> SweepSpec {
        let scenario = fs::canonicalize("scenarios/teaching-dyad.toml").unwrap();
        let path = dir.join("sweep.toml");
        let text = format!(
            "format = 1\nscenario = {:?}\nreplications = 3\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.2, 0.7]\n",
            scenario.display().to_string()
        );
        fs::write(&path, text).unwrap();
        SweepSpec::from_file(&path).unwrap()
    }

    pub(crate) fn options(out: &Path, shard: Shard, resume: bool) -> SweepOptions {
        SweepOptions {
            out: out.to_path_buf(),
            shard,
            resume,
            independent_seeds: false,
            series: true,
            progress: false,
            force: false,
        }
    }

    /// The folder's files, by name, with their bytes (the manifest without its timestamps and
    /// machine, which differ between runs by design).
    pub(crate) fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().into_string().unwrap();
                let mut bytes = fs::read(e.path()).unwrap();
                if name == MANIFEST_JSON {
                    let mut m: Manifest = serde_json::from_slice(&bytes).unwrap();
                    (m.started, m.finished, m.threads) = (String::new(), None, 0);
                    m.merged_from.clear();
                    bytes = serde_json::to_vec(&m).unwrap();
                }
                (name, bytes)
            })
            .collect();
        files.sort();
        files
    }

    /// An I/O error at each finalisation step of a sweep in turn (every flush, fsync, rename,
    /// removal and atomic write, from the partial manifest to the last sync of the folder). Each
    /// time the error says how to go on; doing what it says (`--resume`, or the same command
    /// again) ends with exactly the files of a sweep that never failed, and nothing else: no
    /// `.partial` file, no lock file, no temporary file (one is planted, as a kill would leave).
    #[test]
    fn a_fault_at_any_finalisation_step_is_resumed_to_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        let spec = small_spec(dir.path());
        let whole = dir.path().join("whole");
        run_sweep(&spec, &options(&whole, Shard::WHOLE, false)).unwrap();
        let expected = contents(&whole);
        let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, [MANIFEST_JSON, RUNS_CSV, SERIES_CSV, SUMMARY_CSV]);
        let mut faults = 0;
        for at in 1.. {
            let out = dir.path().join(format!("fault{at}"));
            fault::arm(Some(at));
            let first = run_sweep(&spec, &options(&out, Shard::WHOLE, false));
            let steps = fault::steps();
            fault::arm(None);
            let msg = match first {
                Ok(_) => {
                    assert!(at > steps, "step {at} of {steps} failed without an error");
                    break;
                }
                Err(e) => e.to_string(),
            };
            faults += 1;
            assert!(msg.contains("injected fault"), "step {at}: {msg}");
            if out.exists() {
                fs::write(out.join(".hedgesim-stray.tmp"), "left by a kill").unwrap();
            }
            let resume = msg.contains("--resume");
            if resume {
                assert!(msg.contains(&resume_command(&spec, &options(&out, Shard::WHOLE, true))), "step {at}: {msg}");
            }
            if out.join(MANIFEST_JSON).exists() {
                // A finished folder is left as it is, and the command succeeds, with or without --resume.
                let again = run_sweep(&spec, &options(&out, Shard::WHOLE, false));
                assert!(again.is_ok_and(|o| o.already_complete), "step {at}: a finished folder is not done");
            } else if out.join(MANIFEST_PARTIAL).exists() {
                // Without --resume a folder with this sweep in it is refused, not overwritten.
                let again = run_sweep(&spec, &options(&out, Shard::WHOLE, false));
                let refused = again.expect_err("an interrupted folder is not taken over").to_string();
                assert!(refused.contains("--resume"), "step {at}: {refused}");
            }
            run_sweep(&spec, &options(&out, Shard::WHOLE, resume))
                .unwrap_or_else(|e| panic!("step {at}: `{msg}`, then: {e}"));
            assert!(contents(&out) == expected, "step {at} ({msg}): the folder differs from a sweep that never failed");
            // Resuming the finished folder changes nothing and leaves no lock file.
            let o = run_sweep(&spec, &options(&out, Shard::WHOLE, true)).unwrap();
            assert!(o.already_complete);
            assert!(contents(&out) == expected, "step {at}: a resume of the finished folder changed it");
        }
        assert!(faults >= 20, "only {faults} finalisation steps");
        eprintln!("fault injection: each of {faults} steps of a sweep failed in turn; each resumed to identical files");
    }

    /// A folder whose manifest says finished but lacks a promised file is never called complete.
    #[test]
    fn a_finished_folder_missing_a_file_is_refused_with_a_safe_fix() {
        let dir = tempfile::tempdir().unwrap();
        let spec = small_spec(dir.path());
        let out = dir.path().join("o");
        run_sweep(&spec, &options(&out, Shard::WHOLE, false)).unwrap();
        fs::remove_file(out.join(SERIES_CSV)).unwrap();
        let e = run_sweep(&spec, &options(&out, Shard::WHOLE, true)).unwrap_err().to_string();
        assert!(e.contains("series.csv is missing") && e.contains("delete the folder and run again"), "{e}");
        assert!(!out.join(LOCK_FILE).exists(), "a refused attempt on a finished folder leaves no lock file");
    }
}
