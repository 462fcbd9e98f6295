//! The objective of the v2 dynamic calibration: the training patterns T1–T10 of
//! docs/calibration/v2-patterns.md, measured in the running model for one candidate setting.
//!
//! ```sh
//! echo '{"doctrine.BE.ret": 0.25}' | cargo run --release --example v2_fit -- docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml
//! ```
//!
//! It reads one JSON object per line on standard input, each a candidate: field paths (as in
//! `--set`; the partner is `Ally`) and values set at turn 0 on top of the base scenario. For each it
//! writes one JSON line: every pattern's measure, its shortfall against the threshold (0 when it
//! holds) and `loss`, the sum of the shortfalls. A search (docs/calibration/v2-study/dynamic_search.py)
//! keeps one process open and feeds it candidates. Seeds are fixed, so a candidate always gets the
//! same answer, and treatment and control runs share them (common random numbers).

use hedgesim::facts::catalogue::HELD;
use hedgesim::facts::{Runs, Seeds, Turn, is_balancing, is_hedging, mean, play, share_of};
use hedgesim::scenario::Scenario;
use hedgesim::schema::FieldPath;
use hedgesim::spectrum::{Label, N};
use hedgesim::sweep::design::latin_hypercube;
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

/// Seeds of the dyad and the tilt experiments; seeds of each hypercube point.
const SEEDS: u64 = 100;
const BOX_SEEDS: u64 = 30;
/// The tilts' regions: points each, their hypercube's design seed, seeds per arm
/// (docs/calibration/v2-patterns.md, "Round 2").
const TILT_POINTS: usize = 8;
const TILT_SEED: u64 = 111;
const TILT_SEEDS: u64 = 50;
/// The training hypercube (docs/calibration/v2-patterns.md: 64 points, LHS seed 101).
const BOX_POINTS: usize = 64;
const BOX_SEED: u64 = 101;
/// The documented box, in the order of `BOX_PATHS`.
const BOX_PATHS: [&str; 9] = [
    "small_state.cap",
    "small_state.dep",
    "great_power.hostility",
    "small_state.gamma",
    "great_power.beta",
    "great_power.focus",
    "third_powers.Ally.cap",
    "third_powers.Ally.reliability",
    "third_powers.Ally.affinity",
];
const BOX: [(f64, f64); 9] =
    [(0.02, 0.35), (0.05, 0.8), (0.1, 0.8), (3.0, 12.0), (2.0, 8.0), (0.5, 1.0), (0.1, 0.5), (0.3, 0.9), (0.1, 0.5)];

/// The runs of one arm (master seeds 0…n−1, stream 0), as the facts play them.
fn runs(s: &Scenario, seeds: u64, overrides: &[(FieldPath, f64)]) -> Runs {
    play(s, overrides, Seeds::Masters(seeds))
}

/// The turns `[from, to)` of every run.
fn window(r: &Runs, from: usize, to: usize) -> impl Iterator<Item = &Turn> {
    r.iter().flat_map(move |run| &run[from..to])
}

fn shortfall(value: f64, at_least: f64) -> f64 {
    (at_least - value).max(0.0)
}

fn evaluate(base: &str, candidate: &Map<String, Value>) -> Result<Value, String> {
    let parse =
        |extra: &str| Scenario::parse(&format!("{base}\n{extra}"), Path::new("<v2_fit>")).map_err(|e| e.to_string());
    let dyad = parse("")?;
    let names = dyad.third_power_names();
    let mut overrides = Vec::new();
    for (path, v) in candidate {
        let v = v.as_f64().ok_or_else(|| format!("{path}: not a number"))?;
        overrides.push((FieldPath::parse(path, &names).map_err(|e| e.to_string())?, v));
    }
    let with = |more: &[(&str, f64)]| -> Result<Vec<(FieldPath, f64)>, String> {
        let mut o = overrides.clone();
        for (p, v) in more {
            o.push((FieldPath::parse(p, &names).map_err(|e| e.to_string())?, *v));
        }
        Ok(o)
    };
    let mut out = Map::new();
    let mut loss = 0.0;
    let mut report = |name: &str, value: Value, short: f64| {
        out.insert(name.into(), json!({"value": value, "shortfall": short}));
        loss += short;
    };

    // T1, T2, T9 at the teaching dyad, turns 40–79.
    let r = runs(&dyad, SEEDS, &overrides);
    let mix: Vec<f64> = (0..N).map(|k| mean(&r, 40, 80, |t| t.mix.0[k])).collect();
    let hedging: Vec<_> = window(&r, 40, 80).filter(|t| is_hedging(&t.record)).collect();
    let n_hedging = hedging.len().max(1) as f64;
    let three = hedging.iter().filter(|t| t.record.mix.0.iter().filter(|&&w| w >= HELD).count() >= 3).count() as f64;
    let offset = hedging.iter().filter(|t| t.sides_covariance < 0.0).count() as f64;
    let middle: f64 = (1..6).map(|k| shortfall(mix[k], 0.05)).sum();
    report("T1_middle_components", json!(mix), 10.0 * middle);
    report("T1_three_components", json!(three / n_hedging), shortfall(three / n_hedging, 0.5));
    report("T2_offset", json!(offset / n_hedging), shortfall(offset / n_hedging, 0.9));
    let run_turns = (r.len() * 40) as f64;
    let hedge_share = hedging.len() as f64 / run_turns;
    report("T1_hedging_share", json!(hedge_share), shortfall(hedge_share, 0.8));
    let pressure_share = dyad.world_with(0, 0, &overrides).payoff.pressure_share;
    let believed = window(&r, 40, 80).map(|t| t.believed_punishment).sum::<f64>() / run_turns;
    let actual = window(&r, 40, 80).map(|t| t.record.action.punishment(pressure_share)).sum::<f64>() / run_turns;
    report("T9_honest_fear", json!([believed, actual]), 2.0 * ((believed - actual).abs() - 0.05).max(0.0));

    // T3–T5: tilts after an event at turn 40 against the control, turns 41–52, each at the 8
    // points of its region (docs/calibration/v2-patterns.md, "Round 2").
    let tilt = |event: &str, more: &[(&str, f64)]| -> Result<(f64, f64), String> {
        let o = with(more)?;
        let control = runs(&dyad, TILT_SEEDS, &o);
        let treated = runs(&parse(&format!("[[events]]\nturn = 40\n{event}\n"))?, TILT_SEEDS, &o);
        let dx = mean(&treated, 41, 53, |t| t.alignment) - mean(&control, 41, 53, |t| t.alignment);
        Ok((dx, share_of(&treated, 52, is_hedging)))
    };
    // Shortfall of a tilt at one point: `sign` −1 wants x to fall by more than 0.02, +1 to rise.
    let point_shortfall = |dx: f64, hedging: Option<f64>, sign: f64| {
        10.0 * (0.02 - sign * dx).max(0.0) + hedging.map_or(0.0, |h| shortfall(h, 0.6))
    };
    let regional =
        |region: [(f64, f64); 9], event: &str, sign: f64, needs_hedging: bool| -> Result<(Value, f64), String> {
            let points = latin_hypercube(&region, TILT_POINTS, TILT_SEED);
            // The points in parallel (each plays its seeds in order): the same numbers at any
            // thread count.
            let tilts: Vec<(f64, f64)> = points
                .par_iter()
                .map(|p| tilt(event, &BOX_PATHS.iter().copied().zip(p.iter().copied()).collect::<Vec<_>>()))
                .collect::<Result<_, _>>()?;
            let (mut held, mut total, mut detail) = (0usize, 0.0, Vec::new());
            for (dx, h) in tilts {
                let short = point_shortfall(dx, needs_hedging.then_some(h), sign);
                held += usize::from(short == 0.0);
                total += short;
                detail.push(json!([dx, h]));
            }
            let share = held as f64 / points.len() as f64;
            Ok((json!({"share": share, "points": detail}), 2.0 * shortfall(share, 0.9) + total / points.len() as f64))
        };
    let mut weak = BOX;
    (weak[0], weak[7]) = ((0.02, 0.15), (0.3, 0.45));
    let mut capable = BOX;
    (capable[0], capable[7]) = ((0.25, 0.35), (0.7, 0.9));
    let (v, short) = regional(weak, "hostile_signal = 1.5", -1.0, true)?;
    report("T3_weak_tilts_to_acceptance", v, short);
    let (v, short) = regional(capable, "hostile_signal = 1.5", 1.0, true)?;
    report("T4_capable_tilts_to_rejection", v, short);
    let (v, short) = regional(BOX, "hostile_signal = 1.0\nreliability_signal = { Ally = -3.0 }", -1.0, false)?;
    report("T5_ally_fails", v, short);

    // T10 (round 4): SF4's fluidity clause over the box: at each of 8 points, mean H over turns
    // 40–79 rises by at least 0.05 from fluidity 0.02 to 0.10 (docs/calibration/v2-patterns.md,
    // "Round 4"). Kuik's "high uncertainty" is about the great power's intentions, so the hedge
    // must widen with it even where other risks hold it.
    let fluidity_points = latin_hypercube(&BOX, TILT_POINTS, TILT_SEED);
    let rises: Vec<f64> = fluidity_points
        .par_iter()
        .map(|p| {
            let point: Vec<(&str, f64)> = BOX_PATHS.iter().copied().zip(p.iter().copied()).collect();
            let h = |fluidity: f64| -> Result<f64, String> {
                let mut more = point.clone();
                more.push(("beliefs.fluidity", fluidity));
                Ok(mean(&runs(&dyad, BOX_SEEDS, &with(&more)?), 40, 80, |t| t.hedging_intensity))
            };
            Ok(h(0.10)? - h(0.02)?)
        })
        .collect::<Result<_, String>>()?;
    let held = rises.iter().filter(|&&d| d >= 0.05).count() as f64 / rises.len() as f64;
    let per_point: f64 = rises.iter().map(|&d| 10.0 * (0.05 - d).max(0.0)).sum::<f64>() / rises.len() as f64;
    report(
        "T10_fluidity_widens_the_hedge",
        json!({"share": held, "rises": rises}),
        2.0 * shortfall(held, 0.9) + per_point,
    );

    // T6, T7 over the training hypercube.
    let points = latin_hypercube(&BOX, BOX_POINTS, BOX_SEED);
    let box_runs: Vec<Runs> = points
        .par_iter()
        .map(|p| {
            Ok(runs(&dyad, BOX_SEEDS, &with(&BOX_PATHS.iter().copied().zip(p.iter().copied()).collect::<Vec<_>>())?))
        })
        .collect::<Result<_, String>>()?;
    let mut hedging_ok = 0usize;
    let mut balancing_excess = 0.0;
    let mut failing = Vec::new();
    for (p, r) in points.iter().zip(&box_runs) {
        let (mid, end) = (share_of(r, 40, is_hedging), share_of(r, 79, is_hedging));
        hedging_ok += usize::from(mid >= 0.6 && end >= 0.6);
        let balancing = share_of(r, 79, is_balancing);
        balancing_excess += (balancing - 0.2).max(0.0);
        if !(mid >= 0.6 && end >= 0.6) {
            let x = mean(r, 79, 80, |t| t.alignment);
            failing.push(json!({"point": p, "hedging": [mid, end], "balancing": balancing, "x": x}));
        }
    }
    report("T6_failing_points", Value::Array(failing), 0.0);
    let ok = hedging_ok as f64 / BOX_POINTS as f64;
    report("T6_hedging_over_the_box", json!(ok), 2.0 * shortfall(ok, 0.9));
    report("T7_no_balancing_without_threat", json!(balancing_excess), balancing_excess);

    // T8: a direct and imminent threat held from turn 40 to 55 ends hedging.
    let threat: String = (40..=55).map(|t| format!("[[events]]\nturn = {t}\nimminence = 1.0\n")).collect();
    let threatened = parse(&threat)?;
    let corner = |more: &[(&str, f64)], label: Label| -> Result<f64, String> {
        let r = runs(&threatened, SEEDS, &with(more)?);
        Ok([44, 50, 55].iter().map(|&t| share_of(&r, t, |rec| rec.label == label)).fold(1.0, f64::min))
    };
    let alone = corner(
        &[("third_powers.Ally.reliability", 0.2), ("third_powers.Ally.cap", 0.3), ("third_powers.Ally.affinity", 0.3)],
        Label::Bandwagoning,
    )?;
    let backed = corner(
        &[("third_powers.Ally.reliability", 0.95), ("third_powers.Ally.cap", 1.0), ("third_powers.Ally.affinity", 0.8)],
        Label::Balancing,
    )?;
    report("T8_imminence_weak_bandwagons", json!(alone), shortfall(alone, 0.8));
    report("T8_imminence_backed_balances", json!(backed), shortfall(backed, 0.8));

    out.insert("loss".into(), json!(loss));
    Ok(Value::Object(out))
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: v2_fit BASE.toml < candidates (one JSON object of path: value per line)");
        return ExitCode::FAILURE;
    };
    let base = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(l) if l.trim().is_empty() => continue,
            Ok(l) => l,
            Err(e) => {
                eprintln!("stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        let answer = match serde_json::from_str::<Map<String, Value>>(&line) {
            Ok(candidate) => evaluate(&base, &candidate).unwrap_or_else(|e| json!({"error": e})),
            Err(e) => json!({"error": format!("not a JSON object: {e}")}),
        };
        let mut out = stdout.lock();
        if writeln!(out, "{answer}").and_then(|_| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
