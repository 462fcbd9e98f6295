//! What a sweep will cost before it runs: `--dry-run`'s estimate of time and disk, and the limits
//! that refuse a sweep too big to be meant (a typo costing a disk or a day) unless `--force`.

use super::error::SweepError;
use super::metrics::simulate_run;
use super::options::SweepOptions;
use super::spec::SweepSpec;
use crate::output::human_bytes;
use std::time::Instant;

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

/// Refuse a sweep that would write more than [`MAX_OUTPUT_BYTES`] or simulate more than
/// [`MAX_TURNS_TOTAL`] turns, unless `--force`; the error says what to check.
pub(crate) fn check_limits(spec: &SweepSpec, opts: &SweepOptions) -> Result<(), SweepError> {
    if opts.force {
        return Ok(());
    }
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
    Ok(())
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
