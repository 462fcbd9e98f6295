//! Helpers shared by the integration tests: runs and label statistics over many fixed seeds
//! (deterministic, so never flaky), and the command line as a user calls it.
#![allow(dead_code)]

use hedgesim::scenario::Scenario;
use hedgesim::schema::FieldPath;
use hedgesim::world::TurnRecord;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The records of one run: master seed `seed`, run 0.
pub fn run(scenario: &Scenario, seed: u64) -> Vec<TurnRecord> {
    run_with(scenario, seed, &[])
}

/// The records of one run with `overrides` set at turn 0 (as a sweep sets its axes). Runs with the
/// same seed share every random draw, whatever the overrides: common random numbers.
pub fn run_with(scenario: &Scenario, seed: u64, overrides: &[(FieldPath, f64)]) -> Vec<TurnRecord> {
    let mut world = scenario.world_with(seed, 0, overrides);
    let mut out = Vec::with_capacity(scenario.meta.turns as usize);
    world.run(scenario.meta.turns, |r, _| out.push(*r));
    out
}

/// The records of `seeds` runs (run i uses master seed i, run 0).
pub fn runs(scenario: &Scenario, seeds: u64) -> Vec<Vec<TurnRecord>> {
    runs_with(scenario, seeds, &[])
}

/// The records of `seeds` runs with `overrides`; a treatment and its control share every draw.
pub fn runs_with(scenario: &Scenario, seeds: u64, overrides: &[(FieldPath, f64)]) -> Vec<Vec<TurnRecord>> {
    (0..seeds).map(|seed| run_with(scenario, seed, overrides)).collect()
}

/// The measurement helpers of the stylized facts, over runs of bare records as well.
#[allow(unused_imports)]
pub use hedgesim::facts::{is_balancing, is_bandwagoning, is_hedging, mean, share_of};

/// The `hedgesim` binary run with `args`.
pub fn hedgesim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hedgesim")).args(args).output().expect("the binary runs")
}

/// Run the binary and require success.
pub fn ok(args: &[&str]) {
    let out = hedgesim(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Exit `code`, no panic, and every one of `parts` in the message; returns the message.
pub fn assert_fails(out: &Output, code: i32, parts: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "exit {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for p in parts {
        assert!(stderr.contains(p), "expected `{p}` in: {stderr}");
    }
    stderr
}

/// A path as the command line takes it.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The text of a sweep file over the bundled teaching dyad; `body` adds the design and axes.
pub fn sweep_text(body: &str) -> String {
    let scenario = std::fs::canonicalize("scenarios/teaching-dyad.toml").unwrap();
    format!("format = 1\nscenario = {:?}\n{body}", scenario.display().to_string())
}

/// [`sweep_text`] written to `dir/name`.
pub fn sweep_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, sweep_text(body)).unwrap();
    path
}
