//! Model v2's properties as tests over the documented box (docs/calibration/box-v2.toml: every
//! main and nuisance parameter of the box, varied together on a Latin hypercube), for the
//! two best v2 candidates (docs/calibration/v2-study/candidate-round5.toml and
//! candidate-round12.toml, neither of which dominates the other: docs/calibration/v2-dynamic.md,
//! "Round 12"), through the same definitions `hedgesim facts` checks (src/facts/catalogue.rs).
//!
//! What holds over the box is tested here; what does not yet (among them Walt's capable state,
//! P3b, at 17–51% of the held-out box, SF4 at 35–65% and the five-component hedge, P2a, at 0–28%)
//! is reported in docs/calibration/v2-dynamic.md and is not hidden by a threshold. Property 6 (one
//! time scale) is tests/time_scale.rs.
//!
//! The box is the documented one with fewer points and seeds (64 points, 30 seeds an arm, its
//! design seed), so that it runs in seconds; the 500-point, 100-seed figures are in
//! docs/calibration/v2-dynamic.md.

use hedgesim::facts::{self, over_box};
use std::path::Path;

const ROUND_5: &str = "docs/calibration/v2-study/candidate-round5.toml";
const ROUND_12: &str = "docs/calibration/v2-study/candidate-round12.toml";

/// The share of the box's points (in each fact's region) where each of `ids` holds, for the
/// candidate file, on a reduced copy of the documented box.
fn shares(candidate: &str, ids: &[&str]) -> Vec<(String, f64, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let text = over_box::BUILT_IN_BOX
        .replace("samples = 500", "samples = 64")
        .replace("replications = 200", "replications = 30")
        .replace("scenario = \"../../scenarios/teaching-dyad.toml\"", "scenario = \"under-test.toml\"");
    assert!(text.contains("samples = 64") && text.contains("replications = 30"), "the box file's layout changed");
    let box_file = dir.path().join("box.toml");
    std::fs::write(&box_file, text).unwrap();
    let (spec, scenario) = over_box::read_box(Some(&box_file), Path::new(candidate)).unwrap();
    let chosen = ids.iter().map(|id| facts::find(id).expect("a fact of the catalogue")).collect();
    let result = over_box::run(&spec, chosen, &scenario, Path::new(candidate), &[], false).unwrap();
    (0..ids.len())
        .map(|f| {
            let s = result.summary(f);
            eprintln!("{candidate}: {}: holds at {} of {} points", s.fact.id, s.holding, s.in_region);
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
    hold_at_90_percent(ROUND_5, &["P1a", "P1b", "P2b", "P4", "SF1", "SF8"], 60);
}

/// Property 1's direction (P1d, Kuik's offset on each risk: the rejection side insures against
/// hostility and the acceptance side costs autonomy; property 1's direction since session 13,
/// docs/calibration/v2-design.md) with the same offset, hedge and threat facts, and SF9 (more
/// dependence narrows the hedge, over the part of the box where dependence can rise by 0.3), for
/// round 12's candidate, which trains P1d. Held out on box 1414 it holds them at 95–100%.
#[test]
fn kuiks_direction_on_each_risk_and_dependence_narrowing_the_hedge_hold_over_the_box() {
    hold_at_90_percent(ROUND_12, &["P1a", "P1b", "P1d", "P2b", "P4", "SF1", "SF8"], 60);
    hold_at_90_percent(ROUND_12, &["SF9"], 50);
}

/// Each of `ids` holds at ≥ 90% of at least `min_points` points of its region, for `candidate`.
fn hold_at_90_percent(candidate: &str, ids: &[&str], min_points: usize) {
    for (id, share, points) in shares(candidate, ids) {
        assert!(points >= min_points, "{candidate}: {id}: only {points} points in its region");
        assert!(share >= 0.9, "{candidate}: {id} holds at {:.0}% of {points} points, below 90%", 100.0 * share);
    }
}
