//! `hedgesim merge`: rebuild a sweep's outputs from its shards, byte-identical to running it whole.
//!
//! Shard i of N holds the runs with `run_id % N == i`, in order, so run r is the next row of shard
//! `r % N`: the merge reads the shards round-robin, checking every run id as it goes.

use super::exec::{MANIFEST_JSON, RUNS_CSV, SERIES_CSV, SweepError, io_err, write_summary};
use super::manifest::{Manifest, Shard, now_rfc3339};
use crate::output::write_atomically;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

fn refused(msg: String) -> SweepError {
    SweepError::Refused(msg)
}

/// Read the shards' manifests and check they are the complete set of shards of one sweep.
fn check_shards(dirs: &[PathBuf]) -> Result<Vec<(Manifest, PathBuf)>, SweepError> {
    if dirs.is_empty() {
        return Err(refused("merge needs at least one shard folder".into()));
    }
    let mut shards = Vec::with_capacity(dirs.len());
    for d in dirs {
        let path = d.join(MANIFEST_JSON);
        let text = fs::read_to_string(&path).map_err(|e| {
            if d.join("manifest.partial.json").exists() {
                refused(format!(
                    "{} is an unfinished shard; finish it with `hedgesim sweep … --resume` first",
                    d.display()
                ))
            } else {
                SweepError::Io { context: format!("reading {}", path.display()), source: e }
            }
        })?;
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
    }
    let n = first.shard.count;
    shards.sort_by_key(|(m, _)| m.shard.index);
    let indices: Vec<u64> = shards.iter().map(|(m, _)| m.shard.index).collect();
    if shards.iter().any(|(m, _)| m.shard.count != n) || indices != (0..n).collect::<Vec<_>>() {
        return Err(refused(format!(
            "the sweep has {n} shards; got shards {indices:?} — every shard 0..{n} exactly once"
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
        let mut r = BufReader::new(
            File::open(&path)
                .map_err(|e| SweepError::Io { context: format!("reading {}", path.display()), source: e })?,
        );
        let mut h = String::new();
        r.read_line(&mut h)
            .map_err(|e| SweepError::Io { context: format!("reading {}", path.display()), source: e })?;
        match &header {
            None => header = Some(h),
            Some(first) if *first != h => {
                return Err(refused(format!("{} has a different header from the first shard", path.display())));
            }
            Some(_) => {}
        }
        readers.push((r, path));
    }
    let io = |e: io::Error| SweepError::Io { context: format!("writing merged {name}"), source: e };
    out.write_all(header.unwrap_or_default().as_bytes()).map_err(io)?;
    let n = dirs.len() as u64;
    let mut line = String::new();
    for run in 0..runs {
        let (reader, path) = &mut readers[(run % n) as usize];
        for _ in 0..rows_per_run {
            line.clear();
            let got = reader
                .read_line(&mut line)
                .map_err(|e| SweepError::Io { context: format!("reading {}", path.display()), source: e })?;
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
    fs::create_dir_all(out)
        .map_err(|e| SweepError::Io { context: format!("creating {}", out.display()), source: e })?;
    if out.join(MANIFEST_JSON).exists() {
        return Err(refused(format!("{} already holds a finished sweep; choose another --out", out.display())));
    }
    let first = shards[0].0.clone();
    let paths: Vec<&Path> = shards.iter().map(|(_, d)| d.as_path()).collect();
    let runs_path = out.join(RUNS_CSV);
    write_atomically(&runs_path, |w| interleave(&paths, RUNS_CSV, first.runs, 1, w))?;
    if first.series.is_some() {
        let series_path = out.join(SERIES_CSV);
        write_atomically(&series_path, |w| interleave(&paths, SERIES_CSV, first.runs, u64::from(first.turns), w))?;
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
