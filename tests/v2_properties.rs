//! Model v2's properties as tests over the documented box (docs/calibration/box-v2.toml: every
//! main and nuisance parameter of the box, varied together on a Latin hypercube), for the
//! best v2 candidate (docs/calibration/v2-study/candidate-round5.toml), through
//! the same definitions `hedgesim facts` checks (src/facts/catalogue.rs).
//!
//! What holds over the box is tested here; what does not yet (among them Labs's and Walt's tilts,
//! P3a–P3c at 57–67% of the held-out box, SF4 at 34% and the five-component hedge, P2a, at 24%) is
//! reported in docs/calibration/v2-dynamic.md and is not hidden by a threshold. Property 6 (one time scale)
//! is tests/time_scale.rs.
//!
//! The box is the documented one with fewer points and seeds (64 points, 30 seeds an arm, its
//! design seed), so that it runs in seconds; the 500-point, 100-seed figures are in
//! docs/calibration/v2-dynamic.md.

use hedgesim::facts::{self, over_box};
use std::path::Path;

const CANDIDATE: &str = "docs/calibration/v2-study/candidate-round5.toml";

/// The share of the box's points (in each fact's region) where each of `ids` holds, for the
/// candidate, on a reduced copy of the documented box.
fn shares(ids: &[&str]) -> Vec<(String, f64, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let text = over_box::BUILT_IN_BOX
        .replace("samples = 500", "samples = 64")
        .replace("replications = 200", "replications = 30")
        .replace("scenario = \"../../scenarios/teaching-dyad.toml\"", "scenario = \"under-test.toml\"");
    assert!(text.contains("samples = 64") && text.contains("replications = 30"), "the box file's layout changed");
    let box_file = dir.path().join("box.toml");
    std::fs::write(&box_file, text).unwrap();
    let (spec, scenario) = over_box::read_box(Some(&box_file), Path::new(CANDIDATE)).unwrap();
    let chosen = ids.iter().map(|id| facts::find(id).expect("a fact of the catalogue")).collect();
    let result = over_box::run(&spec, chosen, &scenario, Path::new(CANDIDATE), false).unwrap();
    (0..ids.len())
        .map(|f| {
            let s = result.summary(f);
            eprintln!("{}: holds at {} of {} points", s.fact.id, s.holding, s.in_region);
            (s.fact.id.to_string(), s.share(), s.in_region)
        })
        .collect()
}

/// Property 1 (risk offset): in the hedging run-turns the acceptance and the rejection sides'
/// planned payoffs covary negatively in ≥ 90% (P1a), and `explain`'s main offset pair is a
/// cross-side pair (P1b), each at ≥ 90% of the box's points.
/// Property 2's second half: at least three components ≥ 0.1 in half the hedging run-turns (P2b).
/// Property 4: no balancing without a threat or a forced choice (P4), hedging is the default
/// (SF1), and a legitimation penalty moves the mix away from its component (SF8), each at ≥ 90%
/// of the points. On this copy of the box round 5's candidate holds them at 95–100%.
#[test]
fn the_sides_offset_and_nothing_balances_without_a_threat_over_the_box() {
    for (id, share, points) in shares(&["P1a", "P1b", "P2b", "P4", "SF1", "SF8"]) {
        assert!(points >= 60, "{id}: only {points} points in its region");
        assert!(share >= 0.9, "{id} holds at {:.0}% of {points} points, below 90%", 100.0 * share);
    }
}
