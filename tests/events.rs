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

// ---------------------------------------------------------------------------------------------
// Typed events (docs/events.md): a type of the vocabulary stands for fixed numbers.

use hedgesim::vocabulary::{Effect, EventType, PARTNER, Target, VOCABULARY};

/// A scenario with two partners, for typed events; `events` is appended.
fn typed_text(events: &str) -> String {
    format!(
        "[meta]\nname = \"typed\"\nstart_year = 2003.0\nturns = 40\n\n[[third_powers]]\nname = \"West\"\n\
         reliability = 0.5\n\n[[third_powers]]\nname = \"Turkey\"\n\n{events}"
    )
}

fn parse(text: &str) -> Result<Scenario, hedgesim::ScenarioError> {
    Scenario::parse(text, Path::new("case.toml"))
}

/// The hand-written TOML of a type's effects for `partner` or `component`, built from the table's
/// effects one by one (the way a reader of docs/events.md would write it out).
fn hand_written(t: &EventType, partner: &str, component: &str) -> String {
    let fill = |p: &str| p.replace(PARTNER, partner).replace("<component>", component);
    let (mut set, mut shift, mut out) = (Vec::new(), Vec::new(), String::new());
    for e in t.effects {
        match *e {
            Effect::HostileSignal(v) => out.push_str(&format!("hostile_signal = {v:?}\n")),
            Effect::ReliabilitySignal(v) => out.push_str(&format!("reliability_signal = {{ {partner} = {v:?} }}\n")),
            Effect::Imminence(v) => out.push_str(&format!("imminence = {v:?}\n")),
            Effect::Set(p, v) => set.push(format!("\"{}\" = {v:?}", fill(p))),
            Effect::Shift(p, v) => shift.push(format!("\"{}\" = {v:?}", fill(p))),
        }
    }
    for (k, list) in [("set", set), ("shift", shift)] {
        if !list.is_empty() {
            out.push_str(&format!("{k} = {{ {} }}\n", list.join(", ")));
        }
    }
    out
}

fn target_keys(t: &EventType) -> &'static str {
    match t.target {
        Target::None => "",
        Target::Partner => "partner = \"Turkey\"\n",
        Target::Component => "component = \"DD\"\n",
    }
}

#[test]
fn every_type_runs_exactly_as_its_hand_written_expansion() {
    for t in VOCABULARY {
        let typed =
            typed_text(&format!("[[events]]\nturn = 10\nlabel = \"x\"\ntype = \"{}\"\n{}", t.name, target_keys(t)));
        let hand = typed_text(&format!("[[events]]\nturn = 10\nlabel = \"x\"\n{}", hand_written(t, "Turkey", "DD")));
        let (a, b) = (parse(&typed).unwrap(), parse(&hand).unwrap_or_else(|e| panic!("{}: {e}\n{hand}", t.name)));
        let quiet = parse(&typed_text("")).unwrap();
        for seed in [1, 2, 3] {
            let (ra, rb) = (common::run(&a, seed), common::run(&b, seed));
            assert_eq!(ra, rb, "{}: seed {seed}", t.name);
            // The event does something: the run departs from the one without it, or (a set to a
            // default) the type's effect is one the quiet world already has.
            let rq = common::run(&quiet, seed);
            assert!(
                ra != rq || t.effects.iter().all(|e| matches!(e, Effect::Set(..))),
                "{}: the typed event changed nothing",
                t.name
            );
        }
    }
}

/// The command line's output, byte for byte, for the Azerbaijani treaty written as a type and as
/// numbers (all but the column of the file's hash, which differs because the files do).
#[test]
fn a_typed_event_and_its_expansion_give_the_same_output_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let typed = dir.path().join("typed.toml");
    let hand = dir.path().join("hand.toml");
    std::fs::write(
        &typed,
        typed_text(
            "[[events]]\nat = 2010.6\nlabel = \"treaty\"\ntype = \"partner_commitment\"\npartner = \"Turkey\"\n\n\
             [[events]]\nat = 2012.2\nlabel = \"Crimea\"\ntype = \"neighbour_attacked\"\n\n\
             [[events]]\nat = 2012.2\nlabel = \"mild\"\ntype = \"ally_fails\"\npartner = \"West\"\n",
        ),
    )
    .unwrap();
    std::fs::write(
        &hand,
        typed_text(
            "[[events]]\nat = 2010.6\nlabel = \"treaty\"\nreliability_signal = { Turkey = 0.5 }\n\
             shift = { \"third_powers.Turkey.affinity\" = 0.1 }\n\n\
             [[events]]\nat = 2012.2\nlabel = \"Crimea\"\nhostile_signal = 1.5\n\n\
             [[events]]\nat = 2012.2\nlabel = \"mild\"\nreliability_signal = { West = -1.0 }\n",
        ),
    )
    .unwrap();
    let strip_hash = |out: std::process::Output| -> String {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .map(|l| l.split(',').enumerate().filter(|(i, _)| *i != 2).map(|(_, c)| c).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for seed in ["1", "7"] {
        let a = strip_hash(common::hedgesim(&["run", common::s(&typed), "--seed", seed, "--format", "csv"]));
        let b = strip_hash(common::hedgesim(&["run", common::s(&hand), "--seed", seed, "--format", "csv"]));
        assert!(a.lines().count() == 41 && a.starts_with("seed,stream,turn"), "{a}");
        assert_eq!(a, b);
    }
    // explain shows the events with their labels, the same in both.
    let explain = |p: &Path| {
        let out = common::hedgesim(&["explain", common::s(p), "--turn", "36", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let a = explain(&typed);
    assert!(a.contains("\"Crimea\"") && a.contains("\"mild\""), "{a}");
    assert_eq!(a, explain(&hand));
}

#[test]
fn a_typed_event_without_a_label_is_labelled_with_its_type() {
    let s = parse(&typed_text("[[events]]\nturn = 3\ntype = \"great_power_absorbed\"\n")).unwrap();
    assert_eq!(s.events()[0].label, "the great power is absorbed elsewhere");
    let s = parse(&typed_text("[[events]]\nturn = 3\nlabel = \"2022\"\ntype = \"great_power_absorbed\"\n")).unwrap();
    assert_eq!(s.events()[0].label, "2022");
}

#[test]
fn typed_and_free_number_events_mix_in_one_file() {
    let s = parse(&typed_text(
        "[[events]]\nturn = 3\ntype = \"ally_delivers\"\npartner = \"West\"\n\n[[events]]\nturn = 3\nhostile_signal = 0.25\n",
    ))
    .unwrap();
    assert_eq!(s.events().len(), 2);
    assert_eq!(s.events()[0].reliability_signal, [(0, 1.0)]);
    assert_eq!(s.events()[1].hostile_signal, Some(0.25));
}

/// The error for `events` as the event text, at `line` of the file and `field`.
fn error_of(events: &str) -> hedgesim::ScenarioError {
    match parse(&typed_text(events)) {
        Ok(_) => panic!("accepted:\n{events}"),
        Err(e) => e,
    }
}

/// Line (1-based) of the first line of the file holding `needle`.
fn line_of(events: &str, needle: &str) -> usize {
    typed_text(events).lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_typed_events_are_errors_at_their_line_and_field() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // (event text, the line's text, field, parts of the message)
        (
            "[[events]]\nturn = 3\ntype = \"neighbor_attacked\"\n",
            "type =",
            "events[0].type",
            &[
                "unknown event type `neighbor_attacked`",
                "did you mean `neighbour_attacked`?",
                "direct_threat",
                "deepening_dependence",
            ],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"ally_fails\"\n",
            "[[events]]",
            "events[0]",
            &["event type `ally_fails` needs `partner = \"…\"`: one of West, Turkey"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"ally_fails\"\npartner = \"Russia\"\n",
            "partner =",
            "events[0].partner",
            &["no third power named `Russia`; the scenario has West, Turkey"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"neighbour_attacked\"\npartner = \"West\"\n",
            "partner =",
            "events[0].partner",
            &["event type `neighbour_attacked` takes no `partner`"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"legitimacy_gain\"\npartner = \"West\"\n",
            "partner =",
            "events[0].partner",
            &["takes no `partner`; it takes `component`"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"legitimacy_gain\"\ncomponent = \"XX\"\n",
            "component =",
            "events[0].component",
            &["unknown component `XX`"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"legitimacy_gain\"\n",
            "[[events]]",
            "events[0]",
            &["needs `component = \"…\"`", "PB"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"neighbour_attacked\"\nhostile_signal = 2.0\n",
            "hostile_signal =",
            "events[0].hostile_signal",
            &["a typed event's effects are fixed", "without `type`"],
        ),
        (
            "[[events]]\nturn = 3\nhostile_signal = 2.0\npartner = \"West\"\n",
            "partner =",
            "events[0].partner",
            &["give the event a `type` that takes one", "ally_fails"],
        ),
        (
            "[[events]]\nturn = 3\ntype = \"neighbour_attacked\"\nlevel = \"major\"\n",
            "level =",
            "events[0].level",
            &["unknown field `level`"],
        ),
        ("[[events]]\nturn = 3\ntype = 2\n", "type =", "events[0].type", &["invalid type"]),
    ];
    for (events, line_text, field, parts) in cases {
        let e = error_of(events);
        let shown = e.to_string();
        assert_eq!(e.file, Path::new("case.toml"), "{shown}");
        assert_eq!(e.line, line_of(events, line_text), "{shown}");
        assert_eq!(e.field, *field, "{shown}");
        for p in *parts {
            assert!(e.message.contains(p), "expected `{p}` in: {shown}");
        }
    }
}

#[test]
fn the_command_line_reports_a_bad_type_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, typed_text("[[events]]\nturn = 3\ntype = \"coup\"\n")).unwrap();
    let out = common::hedgesim(&["validate", common::s(&path)]);
    common::assert_fails(&out, 1, &["bad.toml:15:8: events[0].type: unknown event type `coup`", "neighbour_attacked"]);
}

// ---------------------------------------------------------------------------------------------
// The vocabulary's documentation and its copy for the Mesa port cannot drift from the table.

use hedgesim::vocabulary::{TableFormat, table};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn docs_events_md_holds_the_current_vocabulary() {
    let doc = read("docs/events.md");
    let start = "<!-- vocabulary: `hedgesim events --format markdown` -->\n";
    let (_, rest) = doc.split_once(start).expect("docs/events.md has the vocabulary's start marker");
    let (block, _) = rest.split_once("<!-- end of vocabulary -->").expect("and its end marker");
    assert!(
        block == table(TableFormat::Markdown),
        "docs/events.md's vocabulary is out of date: replace the block between the markers with \
         `cargo run --release -- events --format markdown`"
    );
}

#[test]
fn every_type_is_documented_in_docs_events_md_with_its_sources() {
    let doc = read("docs/events.md");
    let references = read("docs/references.md");
    for t in VOCABULARY {
        let heading = format!("### `{}`:", t.name);
        let (_, section) =
            doc.split_once(&heading).unwrap_or_else(|| panic!("docs/events.md has no section `{heading}`"));
        let section = section.split("\n### ").next().unwrap();
        assert!(section.contains("Why these numbers:") && !t.passages.is_empty(), "{}", t.name);
        for e in t.effects {
            assert!(section.contains(&e.describe()), "{}: effect `{}` not documented", t.name, e.describe());
        }
        for p in t.passages {
            assert!(
                section.contains(&format!("\"{}\" ({})", p.quote, p.source)),
                "{}: passage of {} missing",
                t.name,
                p.source
            );
            // The source is a paper of docs/references.md, by author and year, with a section.
            let (paper, _) =
                p.source.split_once(", § ").unwrap_or_else(|| panic!("{}: `{}` names no section", t.name, p.source));
            assert!(
                references.contains(&format!("**{paper}.**")),
                "{}: `{paper}` is not in docs/references.md",
                t.name
            );
        }
    }
}

#[test]
fn the_mesa_ports_copy_of_the_vocabulary_is_current() {
    assert!(
        read("bench/peers/mesa/event_types.json") == hedgesim::events::json(),
        "bench/peers/mesa/event_types.json is out of date: \
         `cargo run --release -- events --format json > bench/peers/mesa/event_types.json`"
    );
}

#[test]
fn the_command_line_lists_the_vocabulary() {
    let out = common::hedgesim(&["events", "--format", "json"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), hedgesim::events::json());
    let text = common::hedgesim(&["events"]);
    let text = String::from_utf8(text.stdout).unwrap();
    for t in VOCABULARY {
        assert!(text.contains(t.name) && text.contains(t.title), "{}", t.name);
    }
    assert!(text.contains("ally_fails, partner = \"…\": a partner fails a test"), "{text}");
}
