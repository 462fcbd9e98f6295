//! The stylized facts of the v1 reference model (SF1–SF8) and the calibration's SF9, each as a
//! statistical statement
//! over 100 fixed seeds (deterministic, so never flaky), checked at every point of a 27-point grid
//! of the other main parameters: the small state's capability `cap`, its economic dependence `dep`
//! and the great power's true hostility, not only at the defaults.
//!
//! Treatment and control runs share seeds, so every random draw is common to both (common random
//! numbers) and a difference between them is the effect of the treatment alone.
//!
//! Run with `--nocapture` to see the table each fact prints: it is the calibration evidence of
//! `docs/calibration/`.

mod common;
use common::{is_balancing, is_bandwagoning, is_hedging, mean, runs_with, share_of};
use hedgesim::agents::GreatPowerAction;
use hedgesim::scenario::Scenario;
use hedgesim::schema::FieldPath;
use hedgesim::spectrum::Component;
use hedgesim::world::TurnRecord;
use std::path::Path;

const SEEDS: u64 = 100;

/// The grid of other main parameters every fact is checked at.
const CAPS: [f64; 3] = [0.05, 0.1, 0.2];
const DEPS: [f64; 3] = [0.1, 0.3, 0.5];
const HOSTILITIES: [f64; 3] = [0.25, 0.4, 0.55];

#[derive(Debug, Clone, Copy)]
struct Setting {
    cap: f64,
    dep: f64,
    hostility: f64,
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "cap {:.2} dep {:.1} hostility {:.2}", self.cap, self.dep, self.hostility)
    }
}

fn grid() -> impl Iterator<Item = Setting> {
    CAPS.into_iter().flat_map(|cap| {
        DEPS.into_iter()
            .flat_map(move |dep| HOSTILITIES.into_iter().map(move |hostility| Setting { cap, dep, hostility }))
    })
}

/// The text of the teaching dyad.
fn dyad_text() -> String {
    std::fs::read_to_string("scenarios/teaching-dyad.toml").unwrap()
}

/// The teaching dyad with `extra` TOML appended (events, or tables the dyad does not set).
fn dyad(extra: &str) -> Scenario {
    scenario(&format!("{}\n{extra}", dyad_text()))
}

/// A scenario from its full text.
fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, Path::new("<stylized fact>")).unwrap()
}

/// `path = value` overrides, parsed against the scenario's third-power names; later entries win.
fn overrides(s: &Scenario, setting: Setting, more: &[(&str, f64)]) -> Vec<(FieldPath, f64)> {
    let names = s.third_power_names();
    [("small_state.cap", setting.cap), ("small_state.dep", setting.dep), ("great_power.hostility", setting.hostility)]
        .iter()
        .chain(more)
        .map(|(p, v)| (FieldPath::parse(p, &names).unwrap(), *v))
        .collect()
}

/// The records of `SEEDS` runs of `s` at `setting` with `more` overrides (run i uses master seed i,
/// stream 0, so a treatment and its control share every draw).
fn runs_at(s: &Scenario, setting: Setting, more: &[(&str, f64)]) -> Vec<Vec<TurnRecord>> {
    runs_with(s, SEEDS, &overrides(s, setting, more))
}

/// Checks `fact` at every grid point, prints one line per point, and fails listing every point
/// where it does not hold.
fn check_grid(name: &str, fact: impl Fn(Setting) -> (bool, String)) {
    let mut failures = Vec::new();
    eprintln!("\n{name}");
    for setting in grid() {
        let (ok, line) = fact(setting);
        eprintln!("  {} {setting}: {line}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            failures.push(format!("{setting}: {line}"));
        }
    }
    assert!(failures.is_empty(), "{name} fails at {} of 27 settings:\n{}", failures.len(), failures.join("\n"));
}

/// A state with one ally (`ally`: its TOML keys) and a reliability prior, facing a direct,
/// imminent threat held from turn 40 to turn 55.
fn threatened(name: &str, prior_reliability: [f64; 2], ally: &str) -> Scenario {
    let threat: String = (40..=55).map(|t| format!("[[events]]\nturn = {t}\nimminence = 1.0\n")).collect();
    scenario(&format!(
        "format = 1\n[meta]\nname = \"{name}\"\nturns = 80\n[beliefs]\nprior_reliability = {prior_reliability:?}\n\
         [[third_powers]]\nname = \"Ally\"\n{ally}\n{threat}"
    ))
}

/// SF2's statement for either corner: at turns 44, 50 and 55 of the held threat, at least 80% of
/// runs carry the label `corner` tests for.
fn held_threat_fact(title: &str, s: &Scenario, corner: fn(&TurnRecord) -> bool) {
    check_grid(title, |setting| {
        let r = runs_at(s, setting, &[]);
        let shares: Vec<f64> = [44, 50, 55].iter().map(|&t| share_of(&r, t, corner)).collect();
        (shares.iter().all(|&x| x >= 0.8), format!("{shares:.2?}"))
    });
}

/// SF1. "when facing a rising power, small states would always follow the strategy of hedging, as
/// long as it is possible." (Khalilov 2023, Kuik 2010) With moderate, uncertain hostility and no imminent
/// threat, most runs end labelled hedging.
#[test]
fn sf1_hedging_is_the_default() {
    let s = dyad("");
    check_grid("SF1 share of runs hedging at turns 40 and 79 (need ≥ 0.6 at both)", |setting| {
        let r = runs_at(&s, setting, &[]);
        let (mid, end) = (share_of(&r, 40, is_hedging), share_of(&r, 79, is_hedging));
        (mid >= 0.6 && end >= 0.6, format!("{mid:.2} {end:.2}"))
    });
}

/// SF2 (weak state alone). "small states would choose a pure-balancing or pure-bandwagoning
/// approach only if the threat to them by a big power is direct and imminent" (Khalilov 2023, Kuik 2010);
/// "Weak states ... may bandwagon when threatened by great powers" (Walt in Preiherman 2017). A threat held
/// from turn 40 drives a weak state without credible allies to bandwagoning within a few turns.
#[test]
fn sf2_imminent_threat_drives_a_weak_state_without_allies_to_bandwagoning() {
    let s = threatened("alone", [1.0, 3.0], "cap = 0.3\nreliability = 0.2\naffinity = 0.3");
    held_threat_fact(
        "SF2a share bandwagoning at turns 44, 50, 55 with an unreliable ally (need ≥ 0.8)",
        &s,
        is_bandwagoning,
    );
}

/// SF2 (strong or allied state). "The greater the probability of allied support, the greater the
/// tendency to balance" (Walt in Preiherman 2017, H2); a state whose own strength or credible
/// allies cover its
/// vulnerability balances when the threat is direct and imminent.
#[test]
fn sf2_imminent_threat_drives_a_well_backed_state_to_balancing() {
    let s = threatened("backed", [9.0, 1.0], "cap = 1.0\nreliability = 0.95\naffinity = 0.8");
    held_threat_fact(
        "SF2b share balancing at turns 44, 50, 55 with a strong, reliable ally (need ≥ 0.8)",
        &s,
        is_balancing,
    );
}

/// SF3. "if a small state exclusively adopts a policy of limited bandwagoning and binding
/// engagement, it risks becoming overly dependent on its larger neighbour ... focusing solely on
/// indirect balancing and dominance denial has disadvantages, such as the absence of cooperation
/// and the possibility of isolation from a large power, which could result in security risks."
/// (Jović-Lazić & Bošković 2024) Scripted one-sided portfolios against a scripted hedge:
/// acceptance-only ends more
/// dependent, and so more exposed to exploitation (its exposure grows with dependence, §4);
/// rejection-only draws more pressure and coercion.
#[test]
fn sf3_one_sided_portfolios_fail_as_the_theory_says() {
    let base = dyad_text();
    let with_mix = |mix: &str| {
        let text = base.replace("rule = \"hedge\"", &format!("rule = \"fixed\"\nmix = {{ {mix} }}"));
        scenario(&text)
    };
    let acceptance = with_mix("BE = 0.5, LB = 0.5");
    let rejection = with_mix("IB = 0.5, DD = 0.5");
    let hedge = with_mix("IB = 0.25, DD = 0.25, BE = 0.25, LB = 0.25");
    check_grid("SF3 final dep (acc > hedge), G pressure+coerce share (rej > hedge > acc)", |setting| {
        let (a, r, h) =
            (runs_at(&acceptance, setting, &[]), runs_at(&rejection, setting, &[]), runs_at(&hedge, setting, &[]));
        let dep = |x: &[Vec<TurnRecord>]| mean(x, 79, 80, |t| t.dep);
        let hostile = |x: &[Vec<TurnRecord>]| {
            mean(x, 0, 80, |t| matches!(t.action, GreatPowerAction::Pressure | GreatPowerAction::Coerce) as u8 as f64)
        };
        let ok = dep(&a) > dep(&h) + 0.05 && hostile(&r) > hostile(&h) + 0.05 && hostile(&h) > hostile(&a);
        (
            ok,
            format!(
                "dep acc {:.2} hedge {:.2} rej {:.2}; pressure+coerce acc {:.2} hedge {:.2} rej {:.2}",
                dep(&a),
                dep(&h),
                dep(&r),
                hostile(&a),
                hostile(&h),
                hostile(&r)
            ),
        )
    });
}

/// SF4. Hedging is "a strategic behavior under the conditions of high stakes and
/// high-uncertainties" (Kuik 2010 in Khalilov 2023); "the commitment of a Great Power is always subject to
/// change" (Kuik 2008 in Hamzaoğlu 2025). More risk aversion or more fluidity of intentions ⇒ more hedging
/// intensity H, averaged over turns 40–79: a comparative static between a low and a high level of
/// each (γ 3 → 9, fluidity 0.02 → 0.10), everything else equal.
#[test]
fn sf4_more_risk_aversion_or_uncertainty_means_more_hedging() {
    let s = dyad("");
    check_grid(
        "SF4 mean H at gamma 3 → 9 and at fluidity 0.02 → 0.10 (need a rise of ≥ 0.05 in both)",
        |setting| {
            let h = |more: &[(&str, f64)]| mean(&runs_at(&s, setting, more), 40, 80, |t| t.hedging_intensity);
            let (g_lo, g_hi) = (h(&[("small_state.gamma", 3.0)]), h(&[("small_state.gamma", 9.0)]));
            let (f_lo, f_hi) = (h(&[("beliefs.fluidity", 0.02)]), h(&[("beliefs.fluidity", 0.10)]));
            let ok = g_hi > g_lo + 0.05 && f_hi > f_lo + 0.05;
            (ok, format!("gamma {g_lo:.3} → {g_hi:.3}; fluidity {f_lo:.3} → {f_hi:.3}"))
        },
    );
}

/// SF5. "when small states are not pressured into becoming part of a great power conflict they will
/// actually prefer to stay nonaligned, but if forced to take a side they will in all probability
/// bandwagon." (Labs in Preiherman 2017) A rivalry that demands a choice, from turn 40, ends hedging and the
/// weak state bandwagons.
#[test]
fn sf5_a_forced_choice_ends_hedging_and_the_weak_state_bandwagons() {
    let s = dyad("[[events]]\nturn = 40\nset = { \"decision.rivalry\" = 1.5 }\n");
    check_grid("SF5 hedging share at 39 vs 60, bandwagoning share at 60 and 79 (need fall, ≥ 0.8)", |setting| {
        let r = runs_at(&s, setting, &[]);
        let (before, after) = (share_of(&r, 39, is_hedging), share_of(&r, 60, is_hedging));
        let (b60, b79) = (share_of(&r, 60, is_bandwagoning), share_of(&r, 79, is_bandwagoning));
        (
            after < before - 0.3 && b60 >= 0.8 && b79 >= 0.8,
            format!("hedging {before:.2} → {after:.2}; bandwagoning {b60:.2} {b79:.2}"),
        )
    });
}

/// SF6. After the West did not defend Georgia in 2008, Azerbaijan moved toward Russia but kept
/// hedging (Jović-Lazić & Bošković 2024; Khalilov 2023 on 2008: "this shift was not sudden"). An
/// ally failing a neighbour lowers the
/// reliability belief: the mix tilts toward acceptance (x falls against the control) while most
/// runs still hedge.
#[test]
fn sf6_an_ally_failing_a_neighbour_tilts_toward_acceptance_within_hedging() {
    let control = dyad("");
    let treated = dyad("[[events]]\nturn = 40\nreliability_signal = { Ally = -4.0 }\n");
    check_grid(
        "SF6 mean x over turns 41–60, control → treated; hedging share at 60 (need fall, ≥ 0.6)",
        |setting| {
            let c = runs_at(&control, setting, &[]);
            let t = runs_at(&treated, setting, &[]);
            let (xc, xt) = (mean(&c, 41, 61, |r| r.alignment), mean(&t, 41, 61, |r| r.alignment));
            let hedge = share_of(&t, 60, is_hedging);
            (xt < xc - 0.02 && hedge >= 0.6, format!("x {xc:+.3} → {xt:+.3}; hedging {hedge:.2}"))
        },
    );
}

/// SF7. With Russia absorbed by the war in Ukraine, Azerbaijan gained room for manoeuvre
/// (Jović-Lazić & Bošković 2024 on
/// 2023). A lower regional focus of the great power from turn 40 tilts the mix toward rejection.
#[test]
fn sf7_a_great_power_absorbed_elsewhere_widens_room_for_manoeuvre() {
    let control = dyad("");
    let treated = dyad("[[events]]\nturn = 40\nset = { \"great_power.focus\" = 0.5 }\n");
    check_grid("SF7 mean x over turns 45–79, control → focus 0.5 (need rise)", |setting| {
        let c = runs_at(&control, setting, &[]);
        let t = runs_at(&treated, setting, &[]);
        let (xc, xt) = (mean(&c, 45, 80, |r| r.alignment), mean(&t, 45, 80, |r| r.alignment));
        (xt > xc + 0.02, format!("x {xc:+.3} → {xt:+.3}"))
    });
}

/// SF8. "the reason why Singapore followed a more reserved approach towards China, by not hedging
/// the latter through limited bandwagoning was due to the fact that it was thought that this
/// approach might have destabilized the domestic multicultural arrangement" (Kuik in Khalilov 2023). A
/// legitimation penalty on limited bandwagoning lowers its weight and shifts the mix.
#[test]
fn sf8_a_legitimation_penalty_lowers_its_component() {
    let s = dyad("");
    let lb = Component::LimitedBandwagoning as usize;
    check_grid(
        "SF8 mean w_LB and x over turns 20–79, control → legit LB −0.3 (need w_LB down, x up)",
        |setting| {
            let c = runs_at(&s, setting, &[]);
            let t = runs_at(&s, setting, &[("small_state.legit.LB", -0.3)]);
            let (wc, wt) = (mean(&c, 20, 80, |r| r.mix.0[lb]), mean(&t, 20, 80, |r| r.mix.0[lb]));
            let (xc, xt) = (mean(&c, 20, 80, |r| r.alignment), mean(&t, 20, 80, |r| r.alignment));
            (wt < 0.7 * wc && xt > xc, format!("w_LB {wc:.3} → {wt:.3}; x {xc:+.3} → {xt:+.3}"))
        },
    );
}

/// SF9. Belarus's "heavy multi-level dependence ... structurally restricts its manoeuvring space"
/// (Preiherman 2017), while oil and gas revenue "untied Azerbaijan's hands" (Rahimova 2022,
/// Jović-Lazić & Bošković 2024). Higher dependence
/// narrows the hedge toward the acceptance side: lower x and less rejection, not a move to
/// balancing. Here the grid's `dep` is the low level and the treatment adds 0.3.
#[test]
fn sf9_dependence_narrows_the_hedge_toward_acceptance() {
    let s = dyad("");
    check_grid(
        "SF9 mean x and R over turns 20–79, dep → dep + 0.3 (need both down, no more balancing)",
        |setting| {
            let low = runs_at(&s, setting, &[]);
            let high = runs_at(&s, setting, &[("small_state.dep", setting.dep + 0.3)]);
            let (xl, xh) = (mean(&low, 20, 80, |r| r.alignment), mean(&high, 20, 80, |r| r.alignment));
            let (rl, rh) = (mean(&low, 20, 80, |r| r.rejection), mean(&high, 20, 80, |r| r.rejection));
            let (bl, bh) = (share_of(&low, 79, is_balancing), share_of(&high, 79, is_balancing));
            (
                xh < xl - 0.02 && rh < rl && bh <= bl,
                format!("x {xl:+.3} → {xh:+.3}; R {rl:.3} → {rh:.3}; balancing {bl:.2} → {bh:.2}"),
            )
        },
    );
}
