//! Running a sweep: all cores through rayon, rows written in run-id order as they finish, resumable
//! after a kill, and shardable across machines.
//!
//! Runs are processed in blocks of [`BLOCK`] run ids. Within a block rayon runs them in parallel and
//! collects the formatted rows in order; the block is then appended and flushed. The output is
//! therefore byte-identical whatever the thread count, and memory is bounded by one block whatever
//! the number of runs. Where the rows go, and how the folder is locked, resumed and finished, is
//! [`super::folder`]'s business; what a sweep will cost, [`super::estimate`]'s.

use super::error::{SweepError, io_err};
use super::estimate::check_limits;
use super::folder::{Holds, Rows, SweepFolder};
use super::manifest::{Manifest, differences};
use super::metrics::{runs_header, series_header, simulate_run};
use super::options::{SweepOptions, resume_command};
use super::progress;
use super::spec::SweepSpec;
use rayon::prelude::*;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

/// Runs per block: large enough to keep every core busy, small enough to bound memory.
pub const BLOCK: u64 = 1024;

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

/// Run (or resume) a sweep into `opts.out`.
pub fn run_sweep(spec: &SweepSpec, opts: &SweepOptions) -> Result<SweepOutcome, SweepError> {
    let start = Instant::now();
    let out = &opts.out;
    let folder = SweepFolder::new(out);
    check_limits(spec, opts)?;
    let inputs = [Some(spec.file.as_path()), Some(spec.scenario_file.as_path()), spec.table_file.as_deref()];
    folder.refuse_writing_over(&inputs.into_iter().flatten().collect::<Vec<_>>())?;
    folder.refuse_foreign()?;
    folder.create()?;
    let _lock = folder.lock()?;
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

    let interrupted = match folder.holds()? {
        Holds::Finished(existing) => {
            if !is_this(&existing) {
                return Err(another(&existing, "finished"));
            }
            folder.check_finished(&existing)?;
            // With or without --resume: the folder already holds what was asked for, so the
            // command succeeds (a Makefile or Snakemake rule re-run on a finished sweep must not
            // fail).
            return Ok(outcome(existing.runs_in_shard, 0, true));
        }
        Holds::Interrupted(existing) => {
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
            true
        }
        Holds::Nothing => false,
    };

    // From here on the folder may hold this sweep: an error keeps what is written and says how to
    // go on (`--resume` also starts a sweep whose partial manifest never reached the disk).
    let resumable = |e| SweepError::Interrupted { error: Box::new(e), resume: resume_command(spec, opts) };
    if !interrupted {
        folder.write_partial_manifest(&manifest).map_err(resumable)?;
    }
    let done = write_runs(spec, opts, &folder, manifest).map_err(resumable)?;
    // The folder is complete: dropping `_lock` removes the lock file.
    Ok(outcome(done, runs_in_shard - done, false))
}

/// Write (or go on writing) the runs of a sweep whose partial manifest is on disk, then finalise
/// the folder. Returns the number of runs that were already done.
fn write_runs(
    spec: &SweepSpec,
    opts: &SweepOptions,
    folder: &SweepFolder,
    mut manifest: Manifest,
) -> Result<u64, SweepError> {
    let runs_in_shard = manifest.runs_in_shard;
    if opts.resume {
        folder.prepare_resume(opts.series)?;
    }
    let (runs_file, done) = folder.open_partial(Rows::Runs, &runs_header(spec), opts.resume)?;
    let done = done.min(runs_in_shard);
    let mut runs_w = BufWriter::with_capacity(1 << 20, runs_file);
    let mut series_w = if opts.series {
        let fresh = !(opts.resume && folder.partial_rows(Rows::Series).exists());
        if !fresh {
            folder.cut_series(opts.shard.run_id(done))?;
        }
        let (f, _) = folder.open_partial(Rows::Series, &series_header(spec), !fresh)?;
        Some(BufWriter::with_capacity(1 << 20, f))
    } else {
        None
    };

    let bar = progress::bar(opts.progress, runs_in_shard, done);

    // Compute blocks on the rayon pool while a writer thread appends the previous block: writing
    // overlaps computing, blocks stay in order, and at most two are in flight (bounded memory).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, String)>>(1);
    // What an error says it was doing, formatted once rather than for every row.
    let (writing_runs, writing_series) = (
        format!("writing {}", folder.partial_rows(Rows::Runs).display()),
        format!("writing {}", folder.partial_rows(Rows::Series).display()),
    );
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

    // Finalise, in the order that a stop at any step leaves resumable (see [`super::folder`]): the
    // rows reach the disk, the summary is written from them, the files take their final names,
    // and then the manifests say the folder is finished.
    if let Some(w) = series_w {
        folder.sync_partial(w, Rows::Series)?;
    }
    folder.sync_partial(runs_w, Rows::Runs)?;
    folder.write_summary(&folder.partial_rows(Rows::Runs), &manifest.axes)?;
    if opts.series {
        folder.promote(Rows::Series)?;
    }
    folder.promote(Rows::Runs)?;
    folder.sync()?;
    folder.finish(&mut manifest)?;
    Ok(done)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::folder::{LOCK_FILE, MANIFEST_JSON, MANIFEST_PARTIAL, RUNS_CSV, SERIES_CSV, SUMMARY_CSV};
    use super::super::manifest::Shard;
    use super::*;
    use crate::durable::fault;
    use std::fs;
    use std::path::Path;

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
