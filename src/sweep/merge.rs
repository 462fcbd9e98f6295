//! `hedgesim merge`: rebuild a sweep's outputs from its shards, byte-identical to running it whole.
//!
//! Shard i of N holds the runs with `run_id % N == i`, in order, so run r is the next row of shard
//! `r % N`: the merge reads the shards round-robin, checking every run id as it goes.

use super::error::{SweepError, in_file, io_err};
use super::folder::{Holds, MANIFEST_JSON, Rows, SweepFolder};
use super::manifest::{Manifest, Shard};
use crate::durable;
use crate::output::write_atomically;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

fn refused(msg: String) -> SweepError {
    SweepError::Refused(msg)
}

/// What `merge` takes, for error messages.
const MERGE_TAKES: &str = "merge takes the --out folders of a sweep run in shards (`hedgesim sweep … --shard I/N`)";

/// Read the shards' manifests and check they are the complete set of shards of one sweep.
fn check_shards(dirs: &[PathBuf]) -> Result<Vec<(Manifest, PathBuf)>, SweepError> {
    if dirs.is_empty() {
        return Err(refused(format!("no shard folders given; {MERGE_TAKES}")));
    }
    let mut shards = Vec::with_capacity(dirs.len());
    for d in dirs {
        if !d.is_dir() {
            let what = if d.exists() { "is a file, not a folder" } else { "does not exist" };
            return Err(refused(format!("{} {what}; {MERGE_TAKES}", d.display())));
        }
        let folder = SweepFolder::new(d);
        let path = folder.manifest();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) if folder.partial_manifest().exists() => {
                return Err(refused(format!(
                    "{} is an unfinished shard; finish it with `hedgesim sweep … --resume` first",
                    d.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(refused(format!(
                    "{} is not a finished sweep folder (it has no {MANIFEST_JSON}); {MERGE_TAKES}",
                    d.display()
                )));
            }
            Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
        };
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| refused(format!("{} is not a hedgesim manifest: {e}", path.display())))?;
        shards.push((m, d.clone()));
    }
    let first = &shards[0].0;
    for (m, d) in &shards[1..] {
        if m.sweep_id != first.sweep_id {
            return Err(refused(format!(
                "{} and {} come from different sweeps (their manifests' sweep_id differ); only shards of one sweep merge",
                shards[0].1.display(),
                d.display()
            )));
        }
        if m.shard.count != first.shard.count {
            return Err(refused(format!(
                "{} is shard {}/{} but {} is shard {}/{}; only shards of one split merge",
                shards[0].1.display(),
                first.shard.index,
                first.shard.count,
                d.display(),
                m.shard.index,
                m.shard.count
            )));
        }
    }
    let n = first.shard.count;
    shards.sort_by_key(|(m, _)| m.shard.index);
    for pair in shards.windows(2) {
        if pair[0].0.shard.index == pair[1].0.shard.index {
            return Err(refused(format!(
                "shard {}/{n} is given twice ({} and {}); merge needs every shard once",
                pair[0].0.shard.index,
                pair[0].1.display(),
                pair[1].1.display()
            )));
        }
    }
    let missing: Vec<String> =
        (0..n).filter(|i| !shards.iter().any(|(m, _)| m.shard.index == *i)).map(|i| format!("{i}/{n}")).collect();
    if !missing.is_empty() {
        return Err(refused(format!(
            "shard{} {} {} missing: the sweep was run in {n} shards, and merge needs every shard, 0/{n} to \
             {}/{n}, each once",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
            n - 1
        )));
    }
    Ok(shards)
}

/// Interleave the shards' files of `rows` row by row in run-id order: run r's rows come from
/// shard `r % N`; `rows_per_run` is 1 for the runs and the number of turns for the series.
fn interleave(
    shards: &[SweepFolder],
    rows: Rows,
    runs: u64,
    rows_per_run: u64,
    out: &mut dyn Write,
) -> Result<(), SweepError> {
    let mut readers = Vec::with_capacity(shards.len());
    let mut header: Option<String> = None;
    for d in shards {
        let path = d.rows(rows);
        let mut r = BufReader::new(File::open(&path).map_err(io_err(format!("reading {}", path.display())))?);
        let mut h = String::new();
        r.read_line(&mut h).map_err(io_err(format!("reading {}", path.display())))?;
        match &header {
            None => header = Some(h),
            Some(first) if *first != h => {
                return Err(refused(format!("{} has a different header from the first shard", path.display())));
            }
            Some(_) => {}
        }
        readers.push((r, path));
    }
    let io = |e: io::Error| SweepError::Io { context: format!("writing merged {}", rows.name()), error: e };
    out.write_all(header.unwrap_or_default().as_bytes()).map_err(io)?;
    let n = shards.len() as u64;
    let mut line = String::new();
    for run in 0..runs {
        let (reader, path) = &mut readers[(run % n) as usize];
        for _ in 0..rows_per_run {
            line.clear();
            let got = reader
                .read_line(&mut line)
                .map_err(|e| SweepError::Io { context: format!("reading {}", path.display()), error: e })?;
            let id: Option<u64> = line.split(',').next().and_then(|s| s.parse().ok());
            if got == 0 || !line.ends_with('\n') || id != Some(run) {
                return Err(refused(format!(
                    "{} is incomplete or corrupt: expected a row of run {run}",
                    path.display()
                )));
            }
            out.write_all(line.as_bytes()).map_err(io)?;
        }
    }
    Ok(())
}

/// What an output folder holds when a merge starts.
enum Target {
    /// Nothing (or only a lock file and temporary files): the merge writes it.
    Empty,
    /// A merge of these same shards, stopped part-way: written again from the start.
    InterruptedMerge,
    /// This merge, finished: nothing to do.
    Finished(Box<Manifest>),
}

/// What `out` holds, or why a merge must not write there. A merge writes only into a new or
/// empty folder, or over its own interrupted attempt: never into a sweep's folder, finished,
/// interrupted or running (the lock refuses the last).
fn target(folder: &SweepFolder, m: &Manifest) -> Result<Target, SweepError> {
    // Any merge of this sweep's shards writes the same bytes, wherever the shards were read from.
    let is_this_merge = |e: &Manifest| e.sweep_id == m.sweep_id && !e.merged_from.is_empty();
    let out = folder.dir();
    match folder.holds()? {
        Holds::Finished(existing) => {
            if !is_this_merge(&existing) {
                return Err(refused(format!("{} already holds a finished sweep; choose another --out", out.display())));
            }
            folder.check_finished(&existing)?;
            Ok(Target::Finished(existing))
        }
        Holds::Interrupted(existing) => {
            if is_this_merge(&existing) {
                return Ok(Target::InterruptedMerge);
            }
            let what = if existing.merged_from.is_empty() {
                format!(
                    "an unfinished sweep (shard {}/{}); finish it with `hedgesim sweep … --resume`",
                    existing.shard.index, existing.shard.count
                )
            } else {
                "an unfinished merge of other shards; run that merge again to finish it".to_string()
            };
            Err(refused(format!("{} holds {what}, or choose another --out", out.display())))
        }
        Holds::Nothing => {
            folder.refuse_foreign()?;
            Ok(Target::Empty)
        }
    }
}

/// Merge complete shard folders into `out`, a new or empty folder (or one that holds an
/// interrupted merge of the same shards, which is done again).
///
/// The folder is locked as a sweep locks it, and finalised the same way: a partial manifest that
/// names the shards first, then the files, then `manifest.json`, and only then is the partial
/// manifest removed. A merge that fails removes what it wrote (and the folder, if it made it); one
/// that is killed leaves a partial manifest that the same merge, run again, recognises.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Manifest, SweepError> {
    let shards = check_shards(dirs)?;
    if let Some((_, d)) = shards.iter().find(|(_, d)| durable::same_file(d, out)) {
        return Err(refused(format!("{} is one of the shards; merge into another --out", d.display())));
    }
    let mut m = shards[0].0.clone();
    m.shard = Shard::WHOLE;
    m.runs_in_shard = m.runs;
    m.started = shards.iter().map(|(s, _)| s.started.clone()).min().unwrap_or_default();
    m.finished = None;
    m.merged_from = shards.iter().map(|(_, d)| d.display().to_string()).collect();
    m.machine = super::manifest::Machine::this();
    let folder = SweepFolder::new(out);
    let created = !out.exists();
    folder.create()?;
    let had_lock_file = folder.has_lock_file();
    // Undo what this merge made of the folder: its lock file, and the folder itself.
    let leave = |e: SweepError| {
        if !had_lock_file {
            folder.remove_lock_file();
        }
        if created {
            let _ = fs::remove_dir(out);
        }
        e
    };
    let lock = folder.lock().map_err(|e| if created { leave(e) } else { e })?;
    let result = match target(&folder, &m) {
        Ok(Target::Finished(existing)) => Ok(*existing),
        Ok(Target::InterruptedMerge | Target::Empty) => {
            let written = folder.remove_merge_files().and_then(|()| write_merge(&shards, &folder, m));
            if written.is_err() && !folder.is_finished() {
                // A failed merge leaves nothing: no half-merged files, no folder it made.
                let _ = folder.remove_merge_files();
            }
            written.map_err(leave)
        }
        // Refused: the folder is someone else's, and left as it was.
        Err(e) => Err(leave(e)),
    };
    drop(lock);
    result
}

/// Write the merged files into `folder` (locked and empty), finalising as a sweep does.
fn write_merge(shards: &[(Manifest, PathBuf)], folder: &SweepFolder, mut m: Manifest) -> Result<Manifest, SweepError> {
    folder.write_partial_manifest(&m)?;
    let shards: Vec<SweepFolder> = shards.iter().map(|(_, d)| SweepFolder::new(d)).collect();
    let runs_path = folder.rows(Rows::Runs);
    write_atomically(&runs_path, |w| interleave(&shards, Rows::Runs, m.runs, 1, w)).map_err(in_file(&runs_path))?;
    if m.series.is_some() {
        let series_path = folder.rows(Rows::Series);
        write_atomically(&series_path, |w| interleave(&shards, Rows::Series, m.runs, u64::from(m.turns), w))
            .map_err(in_file(&series_path))?;
    }
    folder.write_summary(&runs_path, &m.axes)?;
    folder.finish(&mut m)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::super::exec::run_sweep;
    use super::super::exec::tests::{contents, options, small_spec};
    use super::super::folder::{LOCK_FILE, RUNS_CSV};
    use super::*;
    use crate::durable::fault;

    /// Two finished shards of the small sweep, and the folder of their merge made without a fault.
    fn shards_and_merge(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
        let spec = small_spec(dir);
        let shards: Vec<PathBuf> = (0..2).map(|i| dir.join(format!("shard{i}"))).collect();
        for (i, d) in shards.iter().enumerate() {
            run_sweep(&spec, &options(d, Shard { index: i as u64, count: 2 }, false)).unwrap();
        }
        let merged = dir.join("merged");
        merge(&shards, &merged).unwrap();
        (shards, merged)
    }

    /// An I/O error at each step of a merge in turn: the failed merge leaves no folder (or, past
    /// its manifest, a finished one), and the same merge run again gives the same files.
    #[test]
    fn a_fault_at_any_merge_step_leaves_nothing_and_a_rerun_merges() {
        let dir = tempfile::tempdir().unwrap();
        let (shards, merged) = shards_and_merge(dir.path());
        let expected = contents(&merged);
        let mut faults = 0;
        for at in 1.. {
            let out = dir.path().join(format!("fault{at}"));
            fault::arm(Some(at));
            let first = merge(&shards, &out);
            let steps = fault::steps();
            fault::arm(None);
            match first {
                Ok(_) => {
                    assert!(at > steps, "step {at} of {steps} failed without an error");
                    break;
                }
                Err(e) => assert!(e.to_string().contains("injected fault"), "step {at}: {e}"),
            }
            faults += 1;
            assert!(!out.exists() || out.join(MANIFEST_JSON).exists(), "step {at}: a failed merge left {out:?}");
            merge(&shards, &out).unwrap_or_else(|e| panic!("step {at}: the merge again: {e}"));
            assert!(contents(&out) == expected, "step {at}: the merge differs from one that never failed");
        }
        assert!(faults >= 15, "only {faults} merge steps");
        eprintln!("fault injection: each of {faults} steps of a merge failed in turn; each merged again identically");
    }

    /// A merge killed part-way (a partial manifest naming the shards, some files, a temporary
    /// file) is merged again by the same command; a sweep's folder, running or not, is refused.
    #[test]
    fn an_interrupted_merge_is_merged_again_and_a_sweep_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (shards, merged) = shards_and_merge(dir.path());
        let expected = contents(&merged);
        let killed = dir.path().join("killed");
        fs::create_dir(&killed).unwrap();
        let mut m: Manifest = serde_json::from_slice(&fs::read(merged.join(MANIFEST_JSON)).unwrap()).unwrap();
        m.finished = None;
        SweepFolder::new(&killed).write_partial_manifest(&m).unwrap();
        fs::write(killed.join(RUNS_CSV), "run_id,cut sh").unwrap();
        fs::write(killed.join(".hedgesim-abc.tmp"), "x").unwrap();
        fs::write(killed.join(LOCK_FILE), "").unwrap();
        merge(&shards, &killed).unwrap();
        assert!(contents(&killed) == expected);

        // Into a shard's own folder, into a folder with other files, into an unfinished sweep.
        let e = merge(&shards, &shards[0]).unwrap_err().to_string();
        assert!(e.contains("is one of the shards"), "{e}");
        let other = dir.path().join("other");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("notes.txt"), "mine").unwrap();
        let e = merge(&shards, &other).unwrap_err().to_string();
        assert!(e.contains("already holds other files"), "{e}");
        assert_eq!(fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");
        let unfinished = dir.path().join("unfinished");
        fs::create_dir(&unfinished).unwrap();
        let mut sweep_m = m.clone();
        sweep_m.merged_from.clear();
        sweep_m.shard = Shard { index: 1, count: 2 };
        SweepFolder::new(&unfinished).write_partial_manifest(&sweep_m).unwrap();
        let e = merge(&shards, &unfinished).unwrap_err().to_string();
        assert!(e.contains("unfinished sweep (shard 1/2)") && e.contains("--resume"), "{e}");
        assert!(SweepFolder::new(&unfinished).is_interrupted(), "the sweep's folder is left as it was");

        // A folder being written (its lock held) is refused.
        let busy = dir.path().join("busy");
        fs::create_dir(&busy).unwrap();
        let lock = SweepFolder::new(&busy).lock().unwrap();
        let e = merge(&shards, &busy).unwrap_err().to_string();
        assert!(e.contains("is writing to"), "{e}");
        drop(lock);
        merge(&shards, &busy).unwrap();
        assert!(contents(&busy) == expected, "no lock file is left");
    }
}
