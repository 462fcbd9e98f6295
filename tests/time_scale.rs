//! Property 6 of model v2 (docs/calibration/v2-design.md), "one time scale": a format-2 scenario
//! (every rate per year) means the same at any time step. The same scenario run at 4 and at 12
//! turns a year gives the same yearly label shares and mean x within sampling error (plus a stated
//! allowance for the quarterly step; 12 and 48 turns a year agree without it); at 4 turns a year it
//! reproduces its format-1 twin; and format 1, whose rates are per turn, does not have the property
//! (why format 2 exists).
//!
//! The per-year tables print with `cargo test --release --test time_scale -- --nocapture`;
//! docs/model.md, "Time scale", quotes them.

use hedgesim::scenario::Scenario;
use hedgesim::spectrum::Label;
use std::path::Path;

/// Runs per time step (master seeds 0…RUNS−1, run 0 each).
const RUNS: u64 = 400;
/// Tolerance in standard errors of the difference between the two time steps.
const Z: f64 = 4.0;
/// What the discretisation may move a yearly share or mean x beyond sampling error. The
/// conversions are exact for a rate acting alone (forgetting, decays, gap-closing rates) but the
/// rates act together within a turn and on a mix that moves during it, so a coarser step lags a
/// finer one by a fraction of a turn; 0.03 is a tenth of the smallest per-year changes the cases
/// are read for (docs/cases.md), and the largest gap measured is printed beside it.
const ALLOWANCE: f64 = 0.03;

/// The bundled format-1 file `path` written in format 2: its per-turn rates as rates per year
/// (the defaults of format 2 are format 1's converted at four turns a year, so the rates the
/// file leaves out need nothing), on a clock of `tpy` turns a year over `years` years.
fn format_2(path: &str, tpy: u32, years: u32) -> Scenario {
    format_2_with(path, tpy, years, &[])
}

/// [`format_2`] with more of the file's lines rewritten (`(line as written, line in format 2)`),
/// for files that set rates the bundled ones leave at their defaults.
fn format_2_with(path: &str, tpy: u32, years: u32, more: &[(&str, &str)]) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.trim() {
            "format = 1" => "format = 2".to_string(),
            // η is a flow (0.6 a turn = 2.4 a year), δ a kept share (0.9⁴), σ_f a drift sd
            // (0.06·√4), the horizon a duration (8 quarters = 2 years).
            "eta = 0.6" => "eta = 2.4".to_string(),
            "forgetting = 0.9" => "forgetting = 0.6561".to_string(),
            "fluidity = 0.06" => "fluidity = 0.12".to_string(),
            "horizon = 8" => "horizon = 2".to_string(),
            "turns_per_year = 4" => format!("turns_per_year = {tpy}"),
            l if l.starts_with("turns = ") => format!("turns = {}", years * tpy),
            l => more.iter().find(|(from, _)| *from == l).map_or_else(|| line.to_string(), |(_, to)| to.to_string()),
        };
        out.push_str(&line);
        out.push('\n');
    }
    for rate in ["format = 2", "eta = 2.4", "forgetting = 0.6561", "fluidity = 0.12", "horizon = 2"]
        .into_iter()
        .chain(more.iter().map(|(_, to)| *to))
    {
        assert!(out.contains(rate), "{path} no longer writes the line this test converts to `{rate}`");
    }
    Scenario::parse(&out, Path::new(path)).unwrap()
}

/// The same file in format 1 on another clock (rates per turn, as written).
fn format_1(path: &str, tpy: u32, years: u32) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let text: String = text
        .lines()
        .map(|l| match l.trim() {
            "turns_per_year = 4" => format!("turns_per_year = {tpy}\n"),
            t if t.starts_with("turns = ") => format!("turns = {}\n", years * tpy),
            _ => format!("{l}\n"),
        })
        .collect();
    Scenario::parse(&text, Path::new(path)).unwrap()
}

/// Per year and quantity (hedging, balancing, bandwagoning shares, mean x), the mean over runs of
/// each run's average over the year's turns, and its standard error over runs.
struct Yearly {
    mean: Vec<[f64; 4]>,
    se: Vec<[f64; 4]>,
}

fn yearly(s: &Scenario) -> Yearly {
    let tpy = s.clock().turns_per_year as usize;
    let years = s.meta.turns as usize / tpy;
    // sums[y][q] and sums of squares of each run's yearly average.
    let (mut sum, mut sq) = (vec![[0.0; 4]; years], vec![[0.0; 4]; years]);
    for seed in 0..RUNS {
        let mut per = vec![[0.0; 4]; years];
        let mut w = s.world(seed, 0);
        w.run(s.meta.turns, |r, _| {
            let y = r.turn as usize / tpy;
            let q = &mut per[y];
            match r.label {
                Label::Hedging(_) => q[0] += 1.0,
                Label::Balancing => q[1] += 1.0,
                Label::Bandwagoning => q[2] += 1.0,
                Label::Neutral => {}
            }
            q[3] += r.alignment;
        });
        for y in 0..years {
            for q in 0..4 {
                let v = per[y][q] / tpy as f64;
                sum[y][q] += v;
                sq[y][q] += v * v;
            }
        }
    }
    let n = RUNS as f64;
    let mean: Vec<[f64; 4]> = sum.iter().map(|s| s.map(|v| v / n)).collect();
    let se = sq
        .iter()
        .zip(&mean)
        .map(|(sq, m)| std::array::from_fn(|q| ((sq[q] / n - m[q] * m[q]).max(0.0) * n / (n - 1.0) / n).sqrt()))
        .collect();
    Yearly { mean, se }
}

/// Print the per-year table of `a` against `b` and return, over years and quantities, the largest
/// gap beyond `Z` standard errors (≤ 0 when every gap is within them) and the largest gap.
fn compare(title: &str, start_year: f64, a: &Yearly, b: &Yearly, labels: (&str, &str)) -> (f64, f64) {
    println!("\n{title}\n");
    println!(
        "| year | hedging {0} | hedging {1} | balancing {0} | balancing {1} | bandwagoning {0} | bandwagoning {1} | mean x {0} | mean x {1} |",
        labels.0, labels.1
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let (mut beyond, mut largest) = (f64::NEG_INFINITY, 0.0f64);
    for y in 0..a.mean.len() {
        let mut row = format!("| {} |", start_year + y as f64);
        for q in 0..4 {
            let (ma, mb) = (a.mean[y][q], b.mean[y][q]);
            let se = (a.se[y][q].powi(2) + b.se[y][q].powi(2)).sqrt();
            let gap = (ma - mb).abs();
            beyond = beyond.max(gap - Z * se);
            largest = largest.max(gap);
            if q < 3 {
                row.push_str(&format!(" {:.1}% | {:.1}% |", 100.0 * ma, 100.0 * mb));
            } else {
                row.push_str(&format!(" {ma:+.3} | {mb:+.3} |"));
            }
        }
        println!("{row}");
    }
    println!("\nlargest gap {largest:.4}; largest gap beyond {Z} SE {beyond:+.4} (allowance {ALLOWANCE})");
    (beyond, largest)
}

const DYAD: &str = "scenarios/teaching-dyad.toml";
const AZERBAIJAN: &str = "scenarios/azerbaijan-russia.toml";

/// The teaching dyad and Azerbaijan 2003–2023 (events dated in calendar years) in format 2 give
/// the same yearly label shares and mean x at 4 and at 12 turns a year.
#[test]
fn a_format_2_scenario_means_the_same_at_4_and_12_turns_a_year() {
    for (path, years, start) in [(DYAD, 20, 0.0), (AZERBAIJAN, 21, 2003.0)] {
        let quarterly = yearly(&format_2(path, 4, years));
        let monthly = yearly(&format_2(path, 12, years));
        let title = format!("{path} in format 2, {RUNS} runs: 4 against 12 turns a year");
        let (beyond, _) = compare(&title, start, &quarterly, &monthly, ("4/yr", "12/yr"));
        assert!(beyond <= ALLOWANCE, "{path}: a yearly gap exceeds {Z} SE by {beyond:.4}");
    }
}

/// The same with every v2 term and mechanism on (docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml):
/// the propensity to punish is learned per decision of the great power, partners are tested at a
/// rate, reliability beliefs forget, so the v2 model too means the same at 4 and at 12 turns a year.
#[test]
fn the_v2_mechanics_mean_the_same_at_4_and_12_turns_a_year() {
    const V2: &str = "docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml";
    // δ_r 0.9 a quarter is 0.6561 a year; 0.25 tests a quarter at full support is 1 a year.
    let more = [
        ("reliability_forgetting = 0.9", "reliability_forgetting = 0.6561"),
        ("partner_test_rate = 0.25", "partner_test_rate = 1.0"),
    ];
    let quarterly = yearly(&format_2_with(V2, 4, 20, &more));
    let monthly = yearly(&format_2_with(V2, 12, 20, &more));
    let title = format!("{V2} in format 2, {RUNS} runs: 4 against 12 turns a year");
    let (beyond, _) = compare(&title, 0.0, &quarterly, &monthly, ("4/yr", "12/yr"));
    assert!(beyond <= ALLOWANCE, "{V2}: a yearly gap exceeds {Z} SE by {beyond:.4}");
}

/// What is left between 4 and 12 turns a year is the quarterly step's discretisation
/// (docs/model.md §8b): it shrinks with the step, so that 12 and 48 turns a year agree within
/// sampling error alone, with no allowance.
#[test]
fn finer_steps_agree_within_sampling_error_alone() {
    for (path, years, start) in [(DYAD, 20, 0.0), (AZERBAIJAN, 21, 2003.0)] {
        let monthly = yearly(&format_2(path, 12, years));
        let weekly = yearly(&format_2(path, 48, years));
        let title = format!("{path} in format 2, {RUNS} runs: 12 against 48 turns a year");
        let (beyond, _) = compare(&title, start, &monthly, &weekly, ("12/yr", "48/yr"));
        assert!(beyond <= 0.0, "{path}: a yearly gap exceeds {Z} SE by {beyond:.4}");
    }
}

/// At four turns a year a format-2 file is its format-1 twin up to the rounding of the
/// conversions (0.6561^(1/4) is 0.9 to the last bit or two).
#[test]
fn format_2_at_4_turns_a_year_is_format_1() {
    for (path, years, start) in [(DYAD, 20, 0.0), (AZERBAIJAN, 21, 2003.0)] {
        let v1 = yearly(&format_1(path, 4, years));
        let v2 = yearly(&format_2(path, 4, years));
        let (_, largest) =
            compare(&format!("{path}: format 1 against format 2, 4 turns a year"), start, &v1, &v2, ("v1", "v2"));
        assert!(largest < 0.01, "{path}: format 2 at 4 turns a year differs from format 1 by {largest}");
    }
}

/// Format 1's rates are per turn: the same file at 12 turns a year is another scenario (faster
/// forgetting in calendar time, a great power that acts three times as often, …). This is why
/// format 2 exists; if it ever matched, the test above would prove nothing.
#[test]
fn format_1_does_not_mean_the_same_at_12_turns_a_year() {
    let quarterly = yearly(&format_1(AZERBAIJAN, 4, 21));
    let monthly = yearly(&format_1(AZERBAIJAN, 12, 21));
    let (beyond, _) =
        compare("Azerbaijan in format 1: 4 against 12 turns a year", 2003.0, &quarterly, &monthly, ("4/yr", "12/yr"));
    assert!(beyond > 0.1, "format 1 at 12 turns a year unexpectedly matches: {beyond}");
}

/// Every way of writing a rate speaks the file's unit: the file, `Scenario::set`, an event's
/// `set`; format-2 fields are refused in format 1; and a great power asked to decide more often
/// than there are turns is an error that says why.
#[test]
fn every_path_to_a_rate_speaks_the_files_unit() {
    let text = "format = 2\n[meta]\nname = \"m\"\nturns_per_year = 12\nturns = 24\n[beliefs]\nforgetting = 0.5\n\
                [[events]]\nat = 2000.5\nset = { \"beliefs.forgetting\" = 0.25 }\n";
    let mut s = Scenario::parse(text, Path::new("m.toml")).unwrap();
    let w = s.world(1, 0);
    assert!((w.small_state.beliefs.hostility.forgetting - 0.5f64.powf(1.0 / 12.0)).abs() < 1e-15);
    assert!((s.get("beliefs.forgetting").unwrap() - 0.5).abs() < 1e-12);
    let mut after = s.world(1, 0);
    after.run(7, |_, _| {});
    assert!((after.small_state.beliefs.hostility.forgetting - 0.25f64.powf(1.0 / 12.0)).abs() < 1e-15);
    s.set("dynamics.military_rate", 0.6).unwrap();
    assert!((s.world(1, 0).dynamics.military_rate - 0.05).abs() < 1e-15);
    assert!((s.get("great_power.actions_per_year").unwrap() - 4.0).abs() < 1e-12);
    let e = s.set("great_power.actions_per_year", 13.0).unwrap_err().to_string();
    assert!(e.contains("at most once a turn"), "{e}");

    let v1 = Scenario::parse("[meta]\nname = \"m\"\n", Path::new("m.toml")).unwrap();
    let e = v1.real_field("great_power.actions_per_year").unwrap_err();
    assert!(e.contains("field of format 2") && e.contains("format = 2"), "{e}");
    assert!(v1.get("great_power.actions_per_year").is_err());

    let yearly = "format = 2\n[meta]\nname = \"m\"\nturns_per_year = 2\n";
    let e = Scenario::parse(yearly, Path::new("y.toml")).unwrap_err().to_string();
    assert!(e.contains("great_power.actions_per_year") && e.contains("at most once a turn"), "{e}");
    let ok = format!("{yearly}[great_power]\nactions_per_year = 2\n");
    assert!(Scenario::parse(&ok, Path::new("y.toml")).is_ok());
}
