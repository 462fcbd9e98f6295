//! Determinism is a feature: the same scenario, seed and version give byte-identical output; the
//! golden file pins the RNG stream layout (docs/model.md §9, `core/src/rng.rs`) so that no change alters
//! behaviour silently. When behaviour changes on purpose, regenerate it in the same commit with
//! `UPDATE_GOLDEN=1 cargo test --release --test determinism` and say why in the message.

use hedgesim::output::{Format, RunSpec, sha256_hex, write_run};
use hedgesim::scenario::{FromFile, Scenario};
use std::path::Path;

fn csv(path: &str, seed: u64) -> Vec<u8> {
    let s = Scenario::from_file(Path::new(path)).unwrap();
    let sha = sha256_hex(&std::fs::read(path).unwrap());
    let run = RunSpec { seed, stream: 0, scenario_sha256: &sha, settings: &[], turns: s.meta.turns };
    let mut out = Vec::new();
    write_run(&s, &run, Format::Csv, &mut out).unwrap();
    out
}

#[test]
fn same_seed_gives_byte_identical_csv() {
    for path in ["scenarios/teaching-dyad.toml", "scenarios/azerbaijan-russia.toml", "scenarios/belarus-russia.toml"] {
        assert_eq!(csv(path, 11), csv(path, 11), "{path}");
    }
}

#[test]
fn different_seeds_differ() {
    let a = csv("scenarios/teaching-dyad.toml", 1);
    let b = csv("scenarios/teaching-dyad.toml", 2);
    assert_ne!(a, b);
    // …but only after the header.
    let header = |v: &[u8]| v.split(|&c| c == b'\n').next().unwrap().to_vec();
    assert_eq!(header(&a), header(&b));
}

#[test]
fn runs_of_one_seed_differ_by_run_index() {
    let s = Scenario::from_file(Path::new("scenarios/teaching-dyad.toml")).unwrap();
    let payoffs = |run: u64| {
        let mut w = s.world(5, run);
        (0..10).map(|_| w.step().payoff).collect::<Vec<_>>()
    };
    assert_eq!(payoffs(3), payoffs(3));
    assert_ne!(payoffs(3), payoffs(4));
}

#[test]
fn golden_run_is_unchanged() {
    let golden = Path::new("tests/golden/teaching-dyad-seed7.csv");
    let now = csv("scenarios/teaching-dyad.toml", 7);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, &now).unwrap();
    }
    let expected = std::fs::read(golden).expect("golden file missing: run with UPDATE_GOLDEN=1");
    assert!(
        now == expected,
        "the seeded run of scenarios/teaching-dyad.toml differs from {}; if the change is intended, \
         regenerate with UPDATE_GOLDEN=1 and explain it in the commit",
        golden.display()
    );
}
