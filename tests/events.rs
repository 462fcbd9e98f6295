//! Events (docs/model.md §8): set, shift (clipped), public signals and imminence, applied at the start
//! of their turn in file order.

mod common;
use hedgesim::scenario::Scenario;
use std::path::Path;

fn scenario(events: &str) -> Scenario {
    let text = format!(
        r#"
[meta]
name = "events"
start_year = 2003.0
turns = 40

[[third_powers]]
name = "West"
reliability = 0.5

{events}
"#
    );
    Scenario::parse(&text, Path::new("<test>")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn set_and_shift_apply_at_their_turn() {
    let s = scenario(
        r#"
[[events]]
at = 2008.6
set = { "great_power.focus" = 0.5, "third_powers.West.reliability" = 0.1 }
shift = { "small_state.dep" = 2.0 }
"#,
    );
    assert_eq!(s.events()[0].turn, 22, "August 2008 falls in turn 22 of a 2003 start");
    let mut w = s.world(1, 0);
    for _ in 0..22 {
        w.step();
    }
    assert_eq!(w.great_power.focus, 1.0, "not applied before its turn");
    w.step();
    assert_eq!(w.great_power.focus, 0.5);
    assert_eq!(w.third_powers[0].reliability, 0.1);
    // dep was shifted by +2, clipped to 1, then drifted one step toward its target (≤ 1).
    assert!(w.small_state.dep > 0.9 && w.small_state.dep <= 1.0, "dep {}", w.small_state.dep);
}

#[test]
fn signals_move_beliefs_before_the_decision() {
    let quiet = scenario("");
    let shocked = scenario(
        r#"
[[events]]
turn = 5
hostile_signal = 3.0
reliability_signal = { West = -2.0 }
imminence = 0.8
"#,
    );
    let q = common::run(&quiet, 7);
    let s = common::run(&shocked, 7);
    assert_eq!(q[4], s[4], "identical before the event");
    assert!(s[5].belief_mean > q[5].belief_mean + 0.2, "{} vs {}", s[5].belief_mean, q[5].belief_mean);
    assert!(s[5].reliability_mean < q[5].reliability_mean);
    assert_eq!(s[5].imminence, 0.8, "the decision of turn 5 sees the event's imminence");
}

#[test]
fn events_in_one_turn_apply_in_file_order() {
    let s = scenario(
        r#"
[[events]]
turn = 3
set = { "great_power.hostility" = 0.9 }

[[events]]
turn = 1
set = { "great_power.hostility" = 0.2 }

[[events]]
turn = 3
shift = { "great_power.hostility" = -0.5 }
"#,
    );
    let turns: Vec<u32> = s.events().iter().map(|e| e.turn).collect();
    assert_eq!(turns, [1, 3, 3]);
    let mut w = s.world(1, 0);
    for _ in 0..4 {
        w.step();
    }
    assert!((w.great_power.true_hostility - 0.4).abs() < 1e-12, "set 0.9 then shift −0.5");
}
