//! `hedgesim merge`: rebuild a sweep's outputs from its shards, byte-identical to running it whole.
//!
//! Shard i of N holds the runs with `run_id % N == i`, in order, so run r is the next row of shard
//! `r % N`: the merge reads the shards round-robin, checking every run id as it goes.

use super::exec::{
    MANIFEST_JSON, MANIFEST_PARTIAL, RUNS_CSV, SERIES_CSV, SweepError, in_file, io_err, refuse_foreign_folder,
    write_summary,
};
use super::manifest::{Manifest, Shard, now_rfc3339};
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
        let path = d.join(MANIFEST_JSON);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) if d.join(MANIFEST_PARTIAL).exists() => {
                return Err(refused(format!(
                    "{} is an unfinished shard; finish it with `hedgesim sweep … --resume` first",
                    d.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(refused(format!(
                    "{} is not a finished sweep folder (it has no manifest.json); {MERGE_TAKES}",
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

/// Interleave the shards' `name` files row by row in run-id order: run r's rows come from shard
/// `r % N`; `rows_per_run` is 1 for runs.csv and the number of turns for series.csv.
fn interleave(dirs: &[&Path], name: &str, runs: u64, rows_per_run: u64, out: &mut dyn Write) -> Result<(), SweepError> {
    let mut readers = Vec::with_capacity(dirs.len());
    let mut header: Option<String> = None;
    for d in dirs {
        let path = d.join(name);
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
    let io = |e: io::Error| SweepError::Io { context: format!("writing merged {name}"), error: e };
    out.write_all(header.unwrap_or_default().as_bytes()).map_err(io)?;
    let n = dirs.len() as u64;
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

/// Merge complete shard folders into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Manifest, SweepError> {
    let shards = check_shards(dirs)?;
    if out.join(MANIFEST_JSON).exists() {
        return Err(refused(format!("{} already holds a finished sweep; choose another --out", out.display())));
    }
    refuse_foreign_folder(out)?;
    fs::create_dir_all(out).map_err(io_err(format!("creating the output folder {}", out.display())))?;
    let first = shards[0].0.clone();
    let paths: Vec<&Path> = shards.iter().map(|(_, d)| d.as_path()).collect();
    let runs_path = out.join(RUNS_CSV);
    write_atomically(&runs_path, |w| interleave(&paths, RUNS_CSV, first.runs, 1, w)).map_err(in_file(&runs_path))?;
    if first.series.is_some() {
        let series_path = out.join(SERIES_CSV);
        write_atomically(&series_path, |w| interleave(&paths, SERIES_CSV, first.runs, u64::from(first.turns), w))
            .map_err(in_file(&series_path))?;
    }
    write_summary(out, &first.axes)?;
    let mut m = first;
    m.shard = Shard::WHOLE;
    m.runs_in_shard = m.runs;
    m.started = shards.iter().map(|(s, _)| s.started.clone()).min().unwrap_or_default();
    m.finished = Some(now_rfc3339());
    m.merged_from = shards.iter().map(|(_, d)| d.display().to_string()).collect();
    m.machine = super::manifest::Machine::this();
    write_atomically(&out.join(MANIFEST_JSON), |w| {
        serde_json::to_writer_pretty(&mut *w, &m).map_err(io::Error::other)?;
        writeln!(w)
    })
    .map_err(io_err(format!("writing {}", out.join(MANIFEST_JSON).display())))?;
    Ok(m)
}
