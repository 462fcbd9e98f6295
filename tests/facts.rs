//! `hedgesim facts`: every stylized fact over a box of points, on a tiny box (few points, few
//! seeds): the files it writes, their determinism whatever the thread count, and clear errors for
//! bad box files. No test here asserts that the v1 model passes model v2's property 4 (it does
//! not: docs/calibration/facts-box.md).

mod common;
use common::{assert_fails, hedgesim, s, sweep_file};
use std::fs;
use std::path::Path;
use std::process::Command;

/// A tiny Latin hypercube over four of the box's axes, 4 points × 3 seeds, with `facts` as its
/// `[facts]` table.
fn tiny_box(dir: &Path, facts: &str) -> std::path::PathBuf {
    sweep_file(
        dir,
        "box.toml",
        &format!(
            "design = \"lhs\"\nsamples = 4\nreplications = 3\nmaster_seed = 7\n\
             [[axes]]\npath = \"small_state.cap\"\nrange = {{ from = 0.02, to = 0.35 }}\n\
             [[axes]]\npath = \"great_power.focus\"\nrange = {{ from = 0.5, to = 1.0 }}\n\
             [[axes]]\npath = \"small_state.dep\"\nrange = {{ from = 0.05, to = 0.8 }}\n\
             [[axes]]\npath = \"third_powers.Ally.reliability\"\nrange = {{ from = 0.3, to = 0.9 }}\n{facts}"
        ),
    )
}

/// Run `hedgesim facts` on the teaching dyad with `threads` threads (RAYON_NUM_THREADS).
fn facts_run(boxfile: &Path, out: &Path, threads: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hedgesim"))
        .args(["facts", "scenarios/teaching-dyad.toml", "--box", s(boxfile), "-o", s(out), "--quiet"])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap()
}

#[test]
fn facts_over_a_tiny_box_writes_its_files_the_same_on_one_or_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let boxfile = tiny_box(dir.path(), "[facts]\nworst = 2\n");
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let a = facts_run(&boxfile, &one, "1");
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = facts_run(&boxfile, &two, "2");
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(a.stdout, b.stdout, "the table depends on the thread count");
    for f in ["facts.csv", "summary.csv", "summary.md"] {
        let (x, y) = (fs::read(one.join(f)).unwrap(), fs::read(two.join(f)).unwrap());
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    let facts = hedgesim::facts::all();
    // facts.csv: a header, then one row per point and fact, with the point's parameters.
    let mut csv = csv::Reader::from_path(one.join("facts.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..5],
        ["point", "small_state.cap", "great_power.focus", "small_state.dep", "third_powers.Ally.reliability"]
    );
    assert_eq!(&header[5..], ["fact", "in_region", "holds", "margin", "detail", "category"]);
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4 * facts.len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0].parse::<usize>().unwrap(), i / facts.len());
        assert_eq!(&row[5], facts[i % facts.len()].id);
        let cap: f64 = row[1].parse().unwrap();
        assert!((0.02..=0.35).contains(&cap), "{cap}");
        // A point is in SF5's region (a weak state) exactly when cap ≤ 0.2, and only an in-region
        // row says whether the fact holds.
        if &row[5] == "SF5" {
            assert_eq!(&row[6] == "true", cap <= 0.2, "{row:?}");
        }
        assert_eq!(&row[6] == "true", matches!(&row[7], "true" | "false"), "{row:?}");
    }
    // summary.csv: one row per fact, its counts agreeing with facts.csv.
    let mut summary = csv::Reader::from_path(one.join("summary.csv")).unwrap();
    let summary: Vec<csv::StringRecord> = summary.records().map(Result::unwrap).collect();
    assert_eq!(summary.len(), facts.len());
    for (f, row) in facts.iter().zip(&summary) {
        let of_fact = rows.iter().filter(|r| &r[5] == f.id);
        let in_region = of_fact.clone().filter(|r| &r[6] == "true").count();
        let holding = of_fact.filter(|r| &r[7] == "true").count();
        assert_eq!(
            (&row[0], row[3].parse::<usize>().unwrap(), row[4].parse::<usize>().unwrap()),
            (f.id, in_region, holding)
        );
        assert!(row[6].split(' ').filter(|w| !w.is_empty()).count() <= 2, "worst = 2: {row:?}");
    }
    // The table on standard output: a row per fact.
    let table = String::from_utf8(a.stdout).unwrap();
    assert_eq!(table.lines().filter(|l| l.starts_with("| SF") || l.starts_with("| P")).count(), facts.len());
    let md = fs::read_to_string(one.join("summary.md")).unwrap();
    assert!(md.contains("4 points × 3 seeds per arm (run r: stream r of master seed 7)"), "{md}");
}

#[test]
fn only_checks_the_facts_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let boxfile = tiny_box(dir.path(), "[facts]\nonly = [\"SF1\", \"P2a\"]\n");
    let out = dir.path().join("o");
    let r = facts_run(&boxfile, &out, "2");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    let ids: Vec<&str> = summary.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["SF1", "P2a"]);
    // P2a names the largest component of each point.
    assert!(summary.lines().nth(2).unwrap().contains(":4"), "{summary}");
}

#[test]
fn a_bad_box_file_names_the_file_the_line_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let run = |facts: &str| {
        let boxfile = tiny_box(dir.path(), facts);
        hedgesim(&["facts", "scenarios/teaching-dyad.toml", "--box", s(&boxfile), "-o", s(&out)])
    };
    // The [facts] table starts on line 19 of the tiny box.
    let box_name = "box.toml:";
    assert_fails(
        &run("[facts]\nonly = [\"SF1\", \"SF10\"]\n"),
        1,
        &[box_name, ":20:", "facts.only[1]", "unknown fact `SF10`"],
    );
    assert_fails(&run("[facts]\nonly = [\"SF1\", \"SF1\"]\n"), 1, &[":20:", "facts.only[1]", "appears twice"]);
    assert_fails(&run("[facts]\nonly = []\n"), 1, &[":20:", "facts.only", "lists no facts"]);
    assert_fails(&run("[facts]\nworst = 0\n"), 1, &[":20:", "facts.worst", "from 1 to 100, got 0"]);
    assert_fails(&run("[facts]\nbest = 3\n"), 1, &[":20:", "unknown field `best`"]);
    // An axis the scenario under test cannot take.
    let boxfile = sweep_file(
        dir.path(),
        "bad.toml",
        "design = \"lhs\"\nsamples = 2\n[[axes]]\npath = \"third_powers.China.cap\"\nrange = { from = 0.1, to = 0.5 }\n",
    );
    assert_fails(
        &hedgesim(&["facts", "scenarios/teaching-dyad.toml", "--box", s(&boxfile), "-o", s(&out)]),
        1,
        &["bad.toml:6:", "axes[0].path", "China"],
    );
    // A scenario the facts cannot read: too short.
    let short = dir.path().join("short.toml");
    fs::write(&short, fs::read_to_string("scenarios/teaching-dyad.toml").unwrap().replace("turns = 80", "turns = 40"))
        .unwrap();
    let boxfile = tiny_box(dir.path(), "");
    assert_fails(
        &hedgesim(&["facts", s(&short), "--box", s(&boxfile), "-o", s(&out)]),
        1,
        &["short.toml", "fact SF1", "the scenario has 40 turns"],
    );
    assert!(!out.exists(), "a refused run writes nothing");
    // A missing box file.
    assert_fails(
        &hedgesim(&["facts", "scenarios/teaching-dyad.toml", "--box", "no-such-box.toml", "-o", s(&out)]),
        1,
        &["no-such-box.toml"],
    );
}

#[test]
fn set_holds_a_parameter_at_every_point_as_the_file_would() {
    let dir = tempfile::tempdir().unwrap();
    let boxfile = tiny_box(dir.path(), "[facts]\nonly = [\"SF1\", \"P2b\", \"SF5\"]\n");
    let run = |scenario: &str, sets: &[&str], out: &Path| {
        let mut args = vec!["facts", scenario, "--box", s(&boxfile), "-o", s(out), "--quiet"];
        args.extend(sets);
        let r = hedgesim(&args);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    };
    // The same scenario with γ written as 9 in the file.
    let text = fs::read_to_string("scenarios/teaching-dyad.toml").unwrap();
    assert!(text.contains("gamma = 6.0"), "the teaching dyad's γ line changed");
    let edited = dir.path().join("gamma9.toml");
    fs::write(&edited, text.replace("gamma = 6.0", "gamma = 9.0")).unwrap();
    let (set, file, plain) = (dir.path().join("set"), dir.path().join("file"), dir.path().join("plain"));
    run("scenarios/teaching-dyad.toml", &["--set", "small_state.gamma=9"], &set);
    run(s(&edited), &[], &file);
    run("scenarios/teaching-dyad.toml", &[], &plain);
    for f in ["facts.csv", "summary.csv"] {
        let (a, b, c) =
            (fs::read(set.join(f)).unwrap(), fs::read(file.join(f)).unwrap(), fs::read(plain.join(f)).unwrap());
        assert!(a == b, "{f}: --set small_state.gamma=9 differs from the file with γ = 9");
        assert!(a != c, "{f}: --set small_state.gamma=9 changed nothing");
    }
    let md = fs::read_to_string(set.join("summary.md")).unwrap();
    assert!(md.contains("Set at every point (`--set`): small_state.gamma = 9."), "{md}");
    assert!(!fs::read_to_string(plain.join("summary.md")).unwrap().contains("--set"));

    // A parameter the box varies cannot also be held, and a bad setting is named.
    let out = dir.path().join("refused");
    let facts = |sets: &[&str]| {
        let mut args = vec!["facts", "scenarios/teaching-dyad.toml", "--box", s(&boxfile), "-o", s(&out)];
        args.extend(sets);
        hedgesim(&args)
    };
    assert_fails(&facts(&["--set", "small_state.cap=0.3"]), 1, &["--set small_state.cap", "the box varies it"]);
    assert_fails(
        &facts(&["--set", "third_powers.Ally.reliability=0.5"]),
        1,
        &["--set third_powers.Ally.reliability", "axis `third_powers.Ally.reliability`"],
    );
    assert_fails(&facts(&["--set", "small_state.gamma=-1"]), 1, &["--set small_state.gamma"]);
    assert_fails(&facts(&["--set", "small_state.nerve=1"]), 1, &["--set small_state.nerve"]);
    assert!(!out.exists(), "a refused run writes nothing");
}
