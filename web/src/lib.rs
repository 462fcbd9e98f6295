//! # hedgesim-web — the model for the browser page
//!
//! The page (`docs/hedgesim.html`, built by `scripts/build-web.sh`) runs the same model as the
//! CLI: this crate compiles [`hedgesim_core`] to `wasm32-unknown-unknown` behind three C exports
//! and nothing else — no wasm-bindgen, so the build needs crates from the registry alone and no
//! generated glue. The page writes a JSON request into memory it got from [`hs_alloc`], calls
//! [`hs_call`] and reads the JSON answer at [`hs_out`]. [`handle`] is that request → answer
//! function, pure and testable natively.
//!
//! A request names an operation, the scenario's TOML text (the page appends its shock buttons to
//! it as `[[events]]`, so shocks use the model's own event mechanics and `explain` sees them),
//! settings by schema path applied with [`Scenario::set`] (as `--set` applies them), and a seed.
//! Run `r` of a seed is the CLI's `--replication r`: `run` is replication 0, as `hedgesim run
//! --seed S` plays it, and `runs` plays replications `0..n` as `hedgesim report --runs n` does.

use hedgesim_core::explain::{explain, to_text};
use hedgesim_core::param::{Family, Kind};
use hedgesim_core::record::RecordField;
use hedgesim_core::run::RunSpec;
use hedgesim_core::scenario::MAX_TURNS;
use hedgesim_core::spectrum::{Component, Label, N};
use hedgesim_core::summary::quantile;
use hedgesim_core::{Scenario, agents::GreatPowerAction, schema};
use serde::Deserialize;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::path::Path;

/// Most runs one `runs` request may play: enough for smooth bands, few enough for a laptop.
pub const MAX_RUNS: u32 = 1000;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Op {
    /// The scenario's meta, events and every parameter a file may set, with unit, doc and value.
    Describe,
    /// One run (replication 0): every turn's record.
    Run,
    /// `runs` replications: per turn the mean mix, label and action shares, and bands.
    Runs,
    /// One turn of replication 0 taken apart, as `hedgesim explain` does.
    Explain,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    op: Op,
    scenario: String,
    /// How errors name the scenario (a preset's file name).
    #[serde(default)]
    origin: Option<String>,
    /// Settings by schema path, applied in order.
    #[serde(default)]
    set: Vec<(String, f64)>,
    /// The master seed; the scenario's `meta.seed` when absent.
    #[serde(default)]
    seed: Option<u64>,
    /// The number of turns; the scenario's `meta.turns` when absent.
    #[serde(default)]
    turns: Option<u32>,
    #[serde(default)]
    runs: Option<u32>,
    /// The turn to explain.
    #[serde(default)]
    turn: Option<u32>,
}

/// Answer one JSON request with JSON: `{"ok": …}`, or `{"error": "…"}` naming what was wrong.
pub fn handle(request: &str) -> String {
    let answer = match serde_json::from_str::<Request>(request) {
        Ok(r) => answer(&r).map_or_else(|e| json!({ "error": e }), |v| json!({ "ok": v })),
        Err(e) => json!({ "error": format!("bad request: {e}") }),
    };
    answer.to_string()
}

fn answer(r: &Request) -> Result<Value, String> {
    let origin = r.origin.as_deref().unwrap_or("scenario");
    let mut scenario = Scenario::parse(&r.scenario, Path::new(origin)).map_err(|e| e.to_string())?;
    for (path, value) in &r.set {
        scenario.set(path, *value).map_err(|e| e.to_string())?;
    }
    let seed = r.seed.unwrap_or(scenario.meta.seed);
    let turns = r.turns.unwrap_or(scenario.meta.turns);
    if turns == 0 || turns > MAX_TURNS {
        return Err(format!("turns must be from 1 to {MAX_TURNS}, got {turns}"));
    }
    match r.op {
        Op::Describe => Ok(describe(&scenario)),
        Op::Run => Ok(one_run(&scenario, seed, turns)),
        Op::Runs => {
            let runs = r.runs.unwrap_or(50);
            if runs == 0 || runs > MAX_RUNS {
                return Err(format!("runs must be from 1 to {MAX_RUNS}, got {runs}"));
            }
            Ok(many_runs(&scenario, seed, turns, runs))
        }
        Op::Explain => {
            let turn = r.turn.ok_or("explain needs a turn")?;
            if turn >= turns {
                return Err(format!("turn {turn} is past the run's last turn, {}", turns - 1));
            }
            let run = RunSpec { seed, stream: 0, scenario_sha256: "", settings: &[], turns };
            let e = explain(&scenario, &run, turn);
            let text = to_text(&e);
            let mut v = serde_json::to_value(&e).map_err(|e| e.to_string())?;
            v["text"] = json!(text);
            Ok(v)
        }
    }
}

/// What the page builds its controls from: every parameter a file may set, one per member of a
/// family (`third_powers.Ally.cap`, `small_state.legit.DD`), with the schema's unit and doc line.
fn describe(s: &Scenario) -> Value {
    let names = s.third_power_names();
    let mut params = Vec::new();
    // The rows a file of this scenario's format may set, in its unit (format 2: rates per year).
    for p in schema::params().filter(|p| p.in_file && p.in_format(s.format())) {
        let paths: Vec<String> = match p.family {
            Family::One => vec![p.path.to_string()],
            Family::Component => Component::ALL.iter().map(|c| p.path.replace("<component>", c.code())).collect(),
            Family::ThirdPower => names.iter().map(|n| p.path.replace("<name>", n)).collect(),
        };
        for path in paths {
            // Every expanded path names a member of this scenario, so `get` finds it.
            let value = s.get(&path).unwrap_or(f64::NAN);
            params.push(json!({
                "path": path, "unit": p.unit_for(s.format()), "doc": p.doc, "min": p.min, "max": p.max,
                "integer": p.kind == Kind::Integer, "bool": p.kind == Kind::Bool, "value": value,
            }));
        }
    }
    let clock = s.clock();
    let events: Vec<Value> = s.events().iter().map(|e| json!({ "turn": e.turn, "label": e.label })).collect();
    json!({
        "name": s.meta.name, "description": s.meta.description, "turns": s.meta.turns, "seed": s.meta.seed,
        "start_year": clock.start_year, "turns_per_year": clock.turns_per_year,
        "small_state": s.small_state_name(), "great_power": s.great_power_name(),
        "third_powers": names, "events": events, "params": params,
        "components": Component::ALL.iter().map(|c| json!({ "code": c.code(), "name": c.name() })).collect::<Vec<_>>(),
    })
}

/// Replication 0 of `seed`, as `hedgesim run --seed` plays it: each turn's [`TurnRecord`] as
/// serde writes it, with the label, tilt and action as the CSV names them, the third powers'
/// support (`s_<name>`) and the great power's true hostility that turn (events may move it).
///
/// [`TurnRecord`]: hedgesim_core::TurnRecord
fn one_run(s: &Scenario, seed: u64, turns: u32) -> Value {
    let mut world = s.world(seed, 0);
    let mut rows = Vec::with_capacity(turns as usize);
    world.run(turns, |r, w| {
        let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
        v["label"] = json!(r.label.as_str());
        v["tilt"] = json!(r.label.tilt_str());
        v["action"] = json!(r.action.as_str());
        v["support"] = json!(w.third_powers.iter().map(|t| t.support).collect::<Vec<_>>());
        v["true_hostility"] = json!(w.great_power.true_hostility);
        // The turn's row as `hedgesim run --format csv` has it, by column name: the page's tests
        // compare the CLI's columns with these, so no column list is kept in JavaScript.
        let columns: serde_json::Map<String, Value> =
            RecordField::ALL.iter().map(|f| (f.name().to_string(), json!(f.cell(r)))).collect();
        v["columns"] = Value::Object(columns);
        rows.push(v);
    });
    json!({ "seed": seed, "rows": rows })
}

/// Replications `0..runs` of `seed`, as `hedgesim report --runs` plays them: per turn the mean
/// mix, the share of runs with each label and each great-power action, and the 10% quantile, the
/// median and the 90% quantile of the believed hostility: what the page's charts draw.
fn many_runs(s: &Scenario, seed: u64, turns: u32, runs: u32) -> Value {
    let (t_len, n) = (turns as usize, runs as usize);
    let mut mix = vec![[0.0; N]; t_len];
    let mut labels = vec![[0u32; Label::NAMES.len()]; t_len];
    let mut actions = vec![[0u32; 4]; t_len];
    // Turn-major, `t·runs + i`, so each turn's values are one slice to take quantiles of.
    let mut belief = vec![0.0; t_len * n];
    let mut hostility = vec![0.0; t_len];
    for i in 0..n {
        let mut world = s.world(seed, i as u64);
        world.run(turns, |r, w| {
            let t = r.turn as usize;
            for (m, v) in mix[t].iter_mut().zip(r.mix.0) {
                *m += v / n as f64;
            }
            labels[t][r.label.index()] += 1;
            actions[t][r.action.index()] += 1;
            belief[t * n + i] = r.belief_mean;
            if i == 0 {
                hostility[t] = w.great_power.true_hostility;
            }
        });
    }
    let share = |c: &[u32]| c.iter().map(|&k| f64::from(k) / n as f64).collect::<Vec<_>>();
    let bands: Vec<[f64; 3]> =
        belief.chunks_mut(n).map(|col| [quantile(col, 0.1), quantile(col, 0.5), quantile(col, 0.9)]).collect();
    json!({
        "seed": seed, "runs": runs, "mix": mix,
        "labels": labels.iter().map(|c| share(c)).collect::<Vec<_>>(),
        "actions": actions.iter().map(|c| share(c)).collect::<Vec<_>>(),
        "label_names": Label::NAMES,
        "action_names": GreatPowerAction::ALL.map(|a| a.as_str()),
        "belief": bands, "true_hostility": hostility,
    })
}

thread_local! {
    /// The last answer, kept until the next call so the page can read it at [`hs_out`].
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Memory for a request of `len` bytes; the page writes into it and passes it to [`hs_call`],
/// which frees it.
#[unsafe(no_mangle)]
pub extern "C" fn hs_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Answer the request of `len` bytes at `ptr` (from [`hs_alloc`], freed here) and return the
/// answer's length; the answer is at [`hs_out`] until the next call.
///
/// # Safety
/// `ptr` must come from `hs_alloc(len)` with `len` bytes written, and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hs_call(ptr: *mut u8, len: usize) -> usize {
    // SAFETY: the caller passes the buffer hs_alloc(len) made, filled: a Vec's parts.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    let answer = match std::str::from_utf8(&bytes) {
        Ok(text) => handle(text),
        Err(e) => json!({ "error": format!("the request is not UTF-8: {e}") }).to_string(),
    };
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        *o = answer.into_bytes();
        o.len()
    })
}

/// Where the last answer starts.
#[unsafe(no_mangle)]
pub extern "C" fn hs_out() -> *const u8 {
    OUT.with(|o| o.borrow().as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DYAD: &str = include_str!("../../scenarios/teaching-dyad.toml");

    fn call(v: Value) -> Value {
        serde_json::from_str(&handle(&v.to_string())).unwrap()
    }

    #[test]
    fn a_run_is_the_worlds_run_and_settings_apply() {
        let a = call(json!({ "op": "run", "scenario": DYAD, "seed": 7, "turns": 5 }));
        let rows = a["ok"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        let sc = Scenario::parse(DYAD, Path::new("x")).unwrap();
        let mut w = sc.world(7, 0);
        let r0 = w.step();
        assert_eq!(rows[0]["belief_mean"].as_f64(), Some(r0.belief_mean));
        assert_eq!(rows[0]["label"], r0.label.as_str());
        // Every CSV column is in `columns`, with the CLI's value.
        let columns = rows[0]["columns"].as_object().unwrap();
        assert_eq!(columns.len(), RecordField::ALL.len());
        assert_eq!(columns["w_DD"].as_f64(), Some(r0.mix.0[Component::DominanceDenial.index()]));
        assert_eq!(columns["g_action"], r0.action.as_str());
        let hot = call(json!({ "op": "run", "scenario": DYAD, "seed": 7, "turns": 5,
            "set": [["great_power.hostility", 0.9]] }));
        assert_eq!(hot["ok"]["rows"][0]["true_hostility"].as_f64(), Some(0.9));
    }

    #[test]
    fn errors_name_the_field() {
        let e = call(json!({ "op": "run", "scenario": DYAD, "set": [["small_state.cap", 1.5]] }));
        assert!(e["error"].as_str().unwrap().contains("small_state.cap: must be between 0 and 1"), "{e}");
        let e = call(json!({ "op": "explain", "scenario": DYAD, "turn": 100000 }));
        assert!(e["error"].as_str().unwrap().contains("past the run's last turn"), "{e}");
        let e = call(json!({ "op": "run", "scenario": "[meta]\nname = 3\n", "origin": "p.toml" }));
        assert!(e["error"].as_str().unwrap().starts_with("p.toml:2"), "{e}");
    }

    #[test]
    fn many_runs_give_shares_and_ordered_bands() {
        let a = call(json!({ "op": "runs", "scenario": DYAD, "runs": 9, "turns": 6 }));
        let ok = &a["ok"];
        for t in 0..6 {
            let shares: f64 = ok["labels"][t].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum();
            assert!((shares - 1.0).abs() < 1e-12);
            let b: Vec<f64> = ok["belief"][t].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert!(b[0] <= b[1] && b[1] <= b[2], "{b:?}");
        }
    }

    #[test]
    fn describe_lists_third_power_members_and_explain_has_sentences() {
        let d = call(json!({ "op": "describe", "scenario": DYAD }));
        let params = d["ok"]["params"].as_array().unwrap();
        let name = d["ok"]["third_powers"][0].as_str().unwrap();
        assert!(params.iter().any(|p| p["path"] == format!("third_powers.{name}.reliability")));
        let e = call(json!({ "op": "explain", "scenario": DYAD, "turn": 3 }));
        assert!(!e["ok"]["sentences"].as_array().unwrap().is_empty());
        assert!(e["ok"]["text"].as_str().unwrap().contains("Why"));
    }
}
