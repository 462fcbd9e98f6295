//! The facts' measurements on tiny, hand-made cases, and the preparation of their arms.

use super::*;
use crate::spectrum::{N, Tilt};

const DYAD: &str = include_str!("../../scenarios/teaching-dyad.toml");

/// A record of the teaching dyad's first turn, as a template to edit.
fn record() -> TurnRecord {
    let s = Scenario::parse(DYAD, Path::new("<dyad>")).unwrap();
    let mut world = s.world(1, 0);
    world.step()
}

/// A turn with `label`, `mix` and the offset measures given.
fn turn(label: Label, mix: [f64; N], sides_covariance: f64, cross: Option<bool>) -> Turn {
    Turn {
        record: TurnRecord { label, mix: Mix(mix), ..record() },
        sides_covariance,
        believed_punishment: 0.0,
        cross_side_pair: cross,
        side_hostility: [-1.0, 1.0],
        side_autonomy: [-1.0, 1.0],
    }
}

const HEDGING: Label = Label::Hedging(Tilt::Even);

/// `runs` runs of 80 turns, every turn `t`, then `edit` applied to run r's turns.
fn runs_of(n: usize, t: Turn, edit: impl Fn(usize, &mut Vec<Turn>)) -> Runs {
    (0..n)
        .map(|r| {
            let mut v = vec![t; 80];
            edit(r, &mut v);
            v
        })
        .collect()
}

#[test]
fn sf1_is_the_share_of_runs_hedging_at_turns_40_and_79() {
    let mix = [0.0, 0.3, 0.2, 0.0, 0.3, 0.2, 0.0];
    // 10 runs: at turn 40, runs 0–6 hedge (0.7); at turn 79, runs 0–5 (0.6).
    let r = runs_of(10, turn(HEDGING, mix, 0.0, None), |r, v| {
        if r >= 7 {
            v[40].record.label = Label::Balancing;
        }
        if r >= 6 {
            v[79].record.label = Label::Bandwagoning;
        }
    });
    let m = (find("SF1").unwrap().measure)(std::slice::from_ref(&r));
    assert_eq!(m.detail, "0.70 0.60");
    assert!(m.holds && m.margin.abs() < 1e-12, "{m:?}");
    // One run fewer hedging at turn 79: 0.5 < 0.6.
    let mut r = r;
    r[5][79].record.label = Label::Neutral;
    let m = (find("SF1").unwrap().measure)(&[r]);
    assert!(!m.holds && (m.margin + 0.1).abs() < 1e-12, "{m:?}");
}

#[test]
fn p1a_counts_negative_side_covariances_among_hedging_turns_only() {
    let mix = [0.0, 0.3, 0.2, 0.0, 0.3, 0.2, 0.0];
    // 2 runs × turns 20–79 = 120 hedging run-turns; 12 of them (run 0, turns 20–31) covary
    // positively; turns 0–19 (not counted) all positive; a balancing turn with a negative
    // covariance is not counted either.
    let r = runs_of(2, turn(HEDGING, mix, -1.0, None), |r, v| {
        for t in &mut v[..20] {
            t.sides_covariance = 1.0;
        }
        if r == 0 {
            for t in &mut v[20..32] {
                t.sides_covariance = 0.5;
            }
        }
        if r == 1 {
            v[50].record.label = Label::Balancing;
        }
    });
    let m = (find("P1a").unwrap().measure)(&[r]);
    // 119 hedging run-turns, 107 negative.
    assert_eq!(m.detail, format!("{:.2} of 119 hedging run-turns", 107.0 / 119.0));
    assert!(!m.holds && (m.margin - (107.0 / 119.0 - 0.9)).abs() < 1e-12, "{m:?}");
}

#[test]
fn p2_reads_the_mean_weights_and_the_components_held() {
    // Half the run-turns hold IB, DD, EP, BE, LB at 0.2 each; half hold DD 0.6, BE 0.4 (two
    // components ≥ 0.1). Mean weights: IB 0.1, DD 0.4, EP 0.1, BE 0.3, LB 0.1.
    let five = [0.0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.0];
    let two = [0.0, 0.0, 0.6, 0.0, 0.4, 0.0, 0.0];
    let r = runs_of(4, turn(HEDGING, five, 0.0, None), |r, v| {
        if r % 2 == 1 {
            v.iter_mut().for_each(|t| t.record.mix = Mix(two));
        }
    });
    let m = (find("P2a").unwrap().measure)(std::slice::from_ref(&r));
    assert_eq!(m.detail, "IB 0.100 DD 0.400 EP 0.100 BE 0.300 LB 0.100; largest DD");
    assert_eq!(m.category, Some("DD"));
    assert!(m.holds && (m.margin - 0.05).abs() < 1e-12, "{m:?}");
    let m = (find("P2b").unwrap().measure)(&[r]);
    assert!(m.holds && m.margin.abs() < 1e-12, "half the hedging run-turns hold five: {m:?}");
}

#[test]
fn p2c_reads_the_pure_ends_mean_weights_over_the_settled_turns() {
    // Run 0 holds PW 0.15 and run 1 PW 0.04 over turns 20–79 (mean 0.095, below τ); both hold
    // PW 0.9 before turn 20, which is not counted.
    let mix = |pw: f64| [0.0, 0.2, 0.3, 0.0, 0.5 - pw, 0.0, pw];
    let r = runs_of(2, turn(HEDGING, mix(0.15), 0.0, None), |r, v| {
        v[..20].iter_mut().for_each(|t| t.record.mix = Mix(mix(0.9)));
        if r == 1 {
            v[20..].iter_mut().for_each(|t| t.record.mix = Mix(mix(0.04)));
        }
    });
    let m = (find("P2c").unwrap().measure)(&[r]);
    assert_eq!(m.detail, "PB 0.000 PW 0.095");
    assert!(m.holds && (m.margin - 0.005).abs() < 1e-12, "{m:?}");
    // Pure balancing held at 0.12 on average is held: the fact fails by 0.02.
    let r = runs_of(2, turn(HEDGING, [0.12, 0.2, 0.2, 0.0, 0.48, 0.0, 0.0], 0.0, None), |_, _| {});
    let m = (find("P2c").unwrap().measure)(&[r]);
    assert_eq!(m.detail, "PB 0.120 PW 0.000");
    assert!(!m.holds && (m.margin + 0.02).abs() < 1e-12, "{m:?}");
}

#[test]
fn a_tilt_compares_mean_x_of_treatment_and_control_over_its_window() {
    // SF6: x over turns 41–60, control 0.10, treated 0.05 (a fall of 0.05 > 0.02), all hedging.
    let mix = [0.0, 0.3, 0.2, 0.0, 0.3, 0.2, 0.0];
    let at = |x: f64| {
        runs_of(3, turn(HEDGING, mix, 0.0, None), move |_, v| v.iter_mut().for_each(|t| t.record.alignment = x))
    };
    let m = (find("SF6").unwrap().measure)(&[at(0.10), at(0.05)]);
    assert_eq!(m.detail, "x +0.100 → +0.050; hedging 1.00");
    assert!(m.holds && (m.margin - 0.03).abs() < 1e-12, "{m:?}");
    // A rise is no tilt toward acceptance.
    assert!(!(find("SF6").unwrap().measure)(&[at(0.05), at(0.10)]).holds);
}

#[test]
fn p1c_needs_both_signs_in_kuiks_direction() {
    let mix = [0.0, 0.3, 0.2, 0.0, 0.3, 0.2, 0.0];
    // 60 hedging run-turns (turns 20–79 of one run): 6 with acceptance gaining in the hostile
    // world, 3 with rejection losing there, 1 with both; the other 50 in Kuik's direction.
    let r = runs_of(1, turn(HEDGING, mix, -1.0, None), |_, v| {
        for t in &mut v[20..26] {
            t.side_hostility[0] = 0.1;
        }
        for t in &mut v[30..33] {
            t.side_hostility[1] = -0.2;
        }
        v[40].side_hostility = [0.3, -0.3];
    });
    let m = (find("P1c").unwrap().measure)(&[r]);
    assert_eq!(m.detail, format!("{:.2} of 60 hedging run-turns", 50.0 / 60.0));
    assert!(!m.holds && (m.margin - (50.0 / 60.0 - 0.9)).abs() < 1e-12, "{m:?}");
}

/// Turn 30 of master seed 1's run of `s` (the 31st, as `play`'s `runs[1][30]`) and the payoff
/// model its decision used.
fn turn_30(s: &Scenario) -> (TurnRecord, crate::payoff::PayoffModel) {
    let mut world = s.world(1, 0);
    for _ in 0..30 {
        world.step();
    }
    let record = world.step();
    (record, world.last.unwrap().payoff)
}

/// `[w_Aᵀl, w_Rᵀl]` summed by hand, component by component, for a loading column `l`.
fn by_side(mix: &Mix, loading: &[f64; N]) -> [f64; 2] {
    [Side::Acceptance, Side::Rejection]
        .map(|side| (0..N).filter(|&k| Component::ALL[k].side() == side).map(|k| mix.0[k] * loading[k]).sum())
}

#[test]
fn p1d_needs_rejection_insuring_and_autonomy_in_kuiks_direction_but_not_acceptance_losing_on_hostility() {
    let mix = [0.0, 0.3, 0.2, 0.0, 0.3, 0.2, 0.0];
    // 60 hedging run-turns: acceptance gaining in the hostile world at 10 (Labs's weak state, which
    // P1d allows), rejection losing there at 3, acceptance keeping autonomy at 2, rejection losing
    // it at 1: 54 hold.
    let r = runs_of(1, turn(HEDGING, mix, -1.0, None), |_, v| {
        for t in &mut v[20..30] {
            t.side_hostility[0] = 0.1;
        }
        for t in &mut v[30..33] {
            t.side_hostility[1] = -0.2;
        }
        for t in &mut v[40..42] {
            t.side_autonomy[0] = 0.1;
        }
        v[50].side_autonomy[1] = -0.1;
    });
    let m = (find("P1d").unwrap().measure)(std::slice::from_ref(&r));
    assert_eq!(m.detail, format!("{:.2} of 60 hedging run-turns", 54.0 / 60.0));
    assert!(m.holds && (m.margin - (54.0 / 60.0 - 0.9)).abs() < 1e-12, "{m:?}");
    // P1c counts the 10 turns of acceptance gaining against Kuik's direction.
    assert!(!(find("P1c").unwrap().measure)(&[r]).holds);
}

#[test]
fn the_side_autonomy_loadings_are_the_sides_dot_a_and_zero_without_the_factor() {
    let dyad = Scenario::parse(DYAD, Path::new("<dyad>")).unwrap();
    assert!(play(&dyad, &[], Seeds::Masters(1))[0][20..].iter().all(|t| t.side_autonomy == [0.0; 2]));
    let text = include_str!("../../docs/calibration/v2-study/candidate-round5.toml");
    let s = Scenario::parse(text, Path::new("round5.toml")).unwrap();
    assert!(s.world(1, 0).payoff.autonomy_sd > 0.0);
    let runs = play(&s, &[], Seeds::Masters(2));
    let (record, p) = turn_30(&s);
    let want = by_side(&record.mix, &p.autonomy);
    assert_eq!(p.sides_autonomy(&record.mix), want);
    assert_eq!(runs[1][30].side_autonomy, want);
    assert!(want[0] < 0.0 && want[1] > 0.0, "round 5's autonomy loadings are in Kuik's direction: {want:?}");
}

#[test]
fn the_side_hostility_loadings_are_the_sides_dot_h() {
    let s = Scenario::parse(DYAD, Path::new("<dyad>")).unwrap();
    let runs = play(&s, &[], Seeds::Masters(2));
    let (record, p) = turn_30(&s);
    let want = by_side(&record.mix, &p.hostility_loading);
    assert_eq!(p.sides_hostility(&record.mix), want);
    assert_eq!(runs[1][30].side_hostility, want);
    // The teaching dyad's rejection side gains in the hostile world (it is insurance).
    assert!(want[1] > 0.0, "{want:?}");
}

#[test]
fn the_sides_covariance_is_the_sum_of_cross_side_entries_of_sigma() {
    let s = Scenario::parse(DYAD, Path::new("<dyad>")).unwrap();
    let (record, p) = turn_30(&s);
    let w = record.mix.0;
    let by_hand: f64 = (0..N)
        .flat_map(|k| (0..N).map(move |l| (k, l)))
        .filter(|&(k, l)| Component::ALL[k].side() == Side::Acceptance && Component::ALL[l].side() == Side::Rejection)
        .map(|(k, l)| w[k] * w[l] * p.covariance(k, l))
        .sum();
    let (cov, _) = offsets(&p, &record.mix);
    assert!((cov - by_hand).abs() < 1e-12, "{cov} against {by_hand}");
    // And `play` records it turn by turn.
    let runs = play(&s, &[], Seeds::Masters(2));
    let t = &runs[1][30];
    assert_eq!(t.record, record);
    assert_eq!(t.sides_covariance, cov);
}

#[test]
fn seeds_follow_the_tests_or_the_sweeps_numbering() {
    assert_eq!(Seeds::Masters(100).run(7), (7, 0));
    assert_eq!(Seeds::Streams { master: 42, count: 10 }.run(7), (42, 7));
    assert_eq!(Seeds::Streams { master: 42, count: 10 }.count(), 10);
}

#[test]
fn arms_are_built_from_the_scenario_and_the_point() {
    let axes = ["small_state.dep", "third_powers.Ally.reliability"];
    let file = Path::new("dyad.toml");
    // SF9 adds 0.3 to the point's dependence, and applies only where dep ≤ 0.7.
    let sf9 = find("SF9").unwrap();
    let p = Prepared::new(&sf9, DYAD, file, &axes).unwrap();
    let set = p.settings(1, &[0.25, 0.6]).unwrap();
    assert_eq!(set.last().map(|(f, v)| (f.param.path, *v)), Some(("small_state.dep", 0.25 + 0.3)));
    assert!(p.applies_at(&[0.7, 0.6]) && !p.applies_at(&[0.71, 0.6]));
    // SF2a's region reads the point's reliability of the fact's own ally.
    let sf2a = find("SF2a").unwrap();
    let p = Prepared::new(&sf2a, DYAD, file, &["small_state.cap", "third_powers.Ally.reliability"]).unwrap();
    assert!(p.applies_at(&[0.1, 0.5]) && !p.applies_at(&[0.1, 0.51]) && !p.applies_at(&[0.25, 0.3]));
    // Without the axis, the own scenario's reliability (0.2) is unreliable.
    let p = Prepared::new(&sf2a, DYAD, file, &["small_state.cap"]).unwrap();
    assert!(p.applies_at(&[0.1]));
}

#[test]
fn a_fact_that_cannot_be_played_on_a_scenario_says_why() {
    let file = Path::new("case.toml");
    let no_rule = DYAD.replace("rule = \"hedge\"", "");
    let e = Prepared::new(&find("SF3").unwrap(), &no_rule, file, &[]).err().unwrap();
    assert_eq!((e.file.as_path(), e.fact), (file, "SF3"));
    assert!(e.message.contains("does not contain it"), "{e}");
    let short = DYAD.replace("turns = 80", "turns = 60");
    let e = Prepared::new(&find("SF1").unwrap(), &short, file, &[]).err().unwrap();
    assert!(e.to_string().contains("the scenario has 60 turns"), "{e}");
    let e = Prepared::new(&find("SF2a").unwrap(), DYAD, file, &["third_powers.China.cap"]).err().unwrap();
    assert!(e.message.contains("scenario of its own"), "{e}");
}

#[test]
fn every_fact_has_a_distinct_id_and_its_words() {
    let facts = all();
    for (i, f) in facts.iter().enumerate() {
        assert!(facts[..i].iter().all(|g| g.id != f.id), "{} twice", f.id);
        assert!(!f.name.is_empty() && !f.source.is_empty() && !f.threshold.is_empty() && !f.arms.is_empty());
    }
    assert_eq!(catalogue::ids().len(), 21);
}
