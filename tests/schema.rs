//! The parameter schema (core/src/schema.rs) covers the model: every number of the agents and the
//! payoff model is one row's, so a field added without its schema line fails here; and the
//! setters the Python package and the browser page will use check what a file checks.

mod common;

use hedgesim::Scenario;
use hedgesim::param::{Family, Kind};
use hedgesim::schema;
use hedgesim::world::World;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Numbers of the world that are state or typed keys, not schema parameters: the mix, the beliefs
/// and what the state has learned (priors are `beliefs.prior_*`, typed), and the rule (`decision.rule`, `decision.mix`).
const NOT_PARAMETERS: &[&str] = &[
    "/small_state/mix/",
    "/small_state/beliefs/hostility/belief/",
    "/small_state/beliefs/hostility/prior/",
    "/small_state/beliefs/reliability/",
    "/small_state/beliefs/reliability_prior/",
    "/small_state/beliefs/punishment/seen",
    "/small_state/beliefs/punishment/exposure",
    "/small_state/decision/rule",
];

/// Every number and bool of the parts of `w` that hold parameters, by JSON pointer.
fn leaves(w: &World) -> BTreeMap<String, Value> {
    fn walk(v: &Value, at: String, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, format!("{at}/{k}"), out)),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, format!("{at}/{i}"), out)),
            Value::Number(_) | Value::Bool(_) => {
                out.insert(at, v.clone());
            }
            _ => {}
        }
    }
    let parts = serde_json::json!({
        "small_state": w.small_state, "great_power": w.great_power, "third_powers": w.third_powers,
        "payoff": w.payoff, "dynamics": w.dynamics,
    });
    let mut out = BTreeMap::new();
    walk(&parts, String::new(), &mut out);
    out
}

fn with_two_partners() -> Scenario {
    let text = "[meta]\nname = \"x\"\n[[third_powers]]\nname = \"A\"\n[[third_powers]]\nname = \"B\"\n";
    Scenario::parse(text, Path::new("<test>")).unwrap()
}

#[test]
fn every_number_of_the_model_is_one_row_of_the_schema() {
    let base = with_two_partners().world(1, 0);
    let before = leaves(&base);
    let mut covered: BTreeMap<String, String> = BTreeMap::new();
    for p in schema::params() {
        let members = match p.family {
            Family::One => 1,
            Family::Component => hedgesim::spectrum::N,
            Family::ThirdPower => base.third_powers.len(),
        };
        for i in 0..members {
            let mut w = base.clone();
            let v = (p.get)(&w, i);
            (p.set)(&mut w, i, if p.kind == Kind::Bool { 1.0 - v } else { v + 1.0 });
            let changed: Vec<String> =
                leaves(&w).into_iter().filter(|(k, x)| before.get(k) != Some(x)).map(|(k, _)| k).collect();
            // rivalry and label_threshold are the world's own fields, outside the serialised parts.
            let own = ["decision.rivalry", "decision.label_threshold"].contains(&p.path);
            assert_eq!(changed.len(), usize::from(!own), "{} [{i}] changed {changed:?}", p.path);
            for k in changed {
                if let Some(other) = covered.insert(k.clone(), p.path.to_string()) {
                    panic!("{k} is reached by both {other} and {}", p.path);
                }
            }
        }
    }
    let missing: Vec<&String> = before
        .keys()
        .filter(|k| !covered.contains_key(*k) && !NOT_PARAMETERS.iter().any(|n| k.starts_with(n)))
        .collect();
    assert!(
        missing.is_empty(),
        "numbers of the model without a schema row (add one to core/src/schema.rs): {missing:?}"
    );
}

#[test]
fn scenario_get_and_set_check_as_a_file_does() {
    let mut s = with_two_partners();
    assert_eq!(s.get("small_state.cap").unwrap(), 0.1);
    assert_eq!(s.get("third_powers.B.support").unwrap(), s.get("third_powers.B.affinity").unwrap());
    assert_eq!(s.get("decision.inner_steps").unwrap(), 3.0);

    s.set("third_powers.B.cap", 2.0).unwrap();
    assert_eq!(s.world(1, 0).third_powers[1].cap, 2.0);
    // As in a file, dependence sets the level it drifts around.
    s.set("small_state.dep", 0.6).unwrap();
    assert_eq!((s.get("small_state.dep").unwrap(), s.get("small_state.dep0").unwrap()), (0.6, 0.6));
    s.set("decision.side_choice", 0.0).unwrap();
    assert!(!s.world(1, 0).small_state.decision.side_choice);
    s.set("decision.inner_steps", 5.0).unwrap();
    assert_eq!(s.world(1, 0).small_state.decision.inner_steps, 5);

    let e = s.set("small_state.cap", 1.5).unwrap_err();
    assert_eq!(e.to_string(), "small_state.cap: must be between 0 and 1, got 1.5");
    let e = s.set("decision.inner_steps", 2.5).unwrap_err();
    assert!(e.message.contains("whole number from 0 to 1000"), "{e}");
    let e = s.set("great_power.focs", 0.5).unwrap_err();
    assert!(e.message.contains("did you mean `great_power.focus`?"), "{e}");
    let e = s.get("third_powers.C.cap").unwrap_err();
    assert!(e.message.contains("the scenario has A, B"), "{e}");
    assert_eq!(s.get("small_state.cap").unwrap(), 0.1, "a failed set changes nothing");
}

#[test]
fn a_file_parses_to_the_same_world_as_the_setters_make() {
    let text = "[meta]\nname = \"x\"\n[small_state]\ncap = 0.2\ndep = 0.5\n[decision]\ninner_steps = 4\n\
                side_choice = false\n[doctrine.PB]\nprov = 1.5\n[[third_powers]]\nname = \"A\"\naffinity = 0.4\n";
    let file = Scenario::parse(text, Path::new("<test>")).unwrap().world(1, 0);
    let mut set = Scenario::parse("[meta]\nname = \"x\"\n[[third_powers]]\nname = \"A\"\n", Path::new("<t>")).unwrap();
    for (path, v) in [
        ("small_state.cap", 0.2),
        ("small_state.dep", 0.5),
        ("decision.inner_steps", 4.0),
        ("decision.side_choice", 0.0),
        ("doctrine.PB.prov", 1.5),
        ("third_powers.A.affinity", 0.4),
        ("third_powers.A.support", 0.4),
    ] {
        set.set(path, v).unwrap();
    }
    assert_eq!(leaves(&file), leaves(&set.world(1, 0)));
}

/// The Mesa peer reads every default, range and per-year conversion from its copy of this table
/// (bench/peers/mesa/README.md), so a changed row must reach the copy, or the port runs another
/// model without a word.
#[test]
fn the_mesa_ports_copy_of_the_schema_is_current() {
    let out = common::hedgesim(&["fields", "--format", "json", "--format-version", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/peers/mesa/fields.json"))
        .expect("bench/peers/mesa/fields.json is readable");
    assert!(
        copy == out.stdout,
        "bench/peers/mesa/fields.json is out of date: \
         `cargo run --release -- fields --format json --format-version 2 > bench/peers/mesa/fields.json`"
    );
}
