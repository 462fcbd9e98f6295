//! The stylized facts of the v1 reference model (SF1–SF8) and the calibration's SF9, each as a
//! statistical statement over 100 fixed seeds (deterministic, so never flaky), checked at every
//! point of a 27-point grid of the other main parameters: the small state's capability `cap`, its
//! economic dependence `dep` and the great power's true hostility, not only at the defaults.
//!
//! Each fact — statement, source, treatment and control, measurement and threshold — is defined
//! once, in `hedgesim::facts` (src/facts/catalogue.rs); `hedgesim facts` checks the same
//! definitions over a Latin hypercube box. Treatment and control runs share seeds (run i uses
//! master seed i), so every random draw is common to both (common random numbers) and a difference
//! between them is the effect of the treatment alone.
//!
//! Run with `--nocapture` to see the table each fact prints: it is the calibration evidence of
//! `docs/calibration/`.

use hedgesim::facts::{self, Prepared, Seeds};
use std::path::Path;

const SEEDS: Seeds = Seeds::Masters(100);

/// The grid of other main parameters every fact is checked at.
const CAPS: [f64; 3] = [0.05, 0.1, 0.2];
const DEPS: [f64; 3] = [0.1, 0.3, 0.5];
const HOSTILITIES: [f64; 3] = [0.25, 0.4, 0.55];
const AXES: [&str; 3] = ["small_state.cap", "small_state.dep", "great_power.hostility"];

fn grid() -> impl Iterator<Item = [f64; 3]> {
    CAPS.into_iter().flat_map(|cap| {
        DEPS.into_iter().flat_map(move |dep| HOSTILITIES.into_iter().map(move |hostility| [cap, dep, hostility]))
    })
}

fn setting(p: &[f64; 3]) -> String {
    format!("cap {:.2} dep {:.1} hostility {:.2}", p[0], p[1], p[2])
}

/// Checks fact `id` on the teaching dyad at every grid point (each of which must lie in the fact's
/// region), prints one line per point, and fails listing every point where it does not hold.
fn check_grid(id: &str) {
    let fact = facts::find(id).expect("a fact of the catalogue");
    let path = Path::new("scenarios/teaching-dyad.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let prepared = Prepared::new(&fact, &text, path, &AXES).unwrap();
    let mut failures = Vec::new();
    eprintln!("\n{} {} ({})", fact.id, fact.name, fact.threshold);
    for point in grid() {
        let m = prepared
            .measure_at(&point, SEEDS)
            .unwrap()
            .unwrap_or_else(|| panic!("{id}: the grid point {} is outside the fact's region", setting(&point)));
        eprintln!("  {} {}: {}", if m.holds { "ok  " } else { "FAIL" }, setting(&point), m.detail);
        if !m.holds {
            failures.push(format!("{}: {}", setting(&point), m.detail));
        }
    }
    assert!(failures.is_empty(), "{id} fails at {} of 27 settings:\n{}", failures.len(), failures.join("\n"));
}

/// SF1. Most runs end labelled hedging.
#[test]
fn sf1_hedging_is_the_default() {
    check_grid("SF1");
}

/// SF2 (weak state alone): a held threat drives it to bandwagoning.
#[test]
fn sf2_imminent_threat_drives_a_weak_state_without_allies_to_bandwagoning() {
    check_grid("SF2a");
}

/// SF2 (strong or allied state): a held threat drives it to balancing.
#[test]
fn sf2_imminent_threat_drives_a_well_backed_state_to_balancing() {
    check_grid("SF2b");
}

/// SF3. Scripted one-sided portfolios against a scripted hedge.
#[test]
fn sf3_one_sided_portfolios_fail_as_the_theory_says() {
    check_grid("SF3");
}

/// SF4. More risk aversion or fluidity ⇒ more hedging intensity.
#[test]
fn sf4_more_risk_aversion_or_uncertainty_means_more_hedging() {
    check_grid("SF4");
}

/// SF5. A forced choice ends hedging and the weak state bandwagons.
#[test]
fn sf5_a_forced_choice_ends_hedging_and_the_weak_state_bandwagons() {
    check_grid("SF5");
}

/// SF6. An ally failing a neighbour tilts toward acceptance within hedging.
#[test]
fn sf6_an_ally_failing_a_neighbour_tilts_toward_acceptance_within_hedging() {
    check_grid("SF6");
}

/// SF7. A lower regional focus of the great power tilts the mix toward rejection.
#[test]
fn sf7_a_great_power_absorbed_elsewhere_widens_room_for_manoeuvre() {
    check_grid("SF7");
}

/// SF8. A legitimation penalty on limited bandwagoning lowers its weight and shifts the mix.
#[test]
fn sf8_a_legitimation_penalty_lowers_its_component() {
    check_grid("SF8");
}

/// SF9. Higher dependence narrows the hedge toward the acceptance side.
#[test]
fn sf9_dependence_narrows_the_hedge_toward_acceptance() {
    check_grid("SF9");
}
