//! The command line as a user meets it: every bundled scenario runs in every format, and every kind
//! of malformed file gives a non-zero exit, a message naming the line and field, no panic and no
//! output file.

mod common;
use ::hedgesim::FromFile;
use common::{assert_fails, hedgesim, sweep_text};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_bundled_scenario_validates_and_runs_in_every_format() {
    let files = bundled();
    assert!(files.len() >= 3, "expected the bundled scenarios, found {files:?}");
    for f in &files {
        let f = f.to_str().unwrap();
        let v = hedgesim(&["validate", f]);
        assert!(v.status.success(), "{f}: {}", String::from_utf8_lossy(&v.stderr));
        for format in ["table", "csv", "jsonl"] {
            let out = hedgesim(&["run", f, "--format", format]);
            assert!(out.status.success(), "{f} --format {format}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(!out.stdout.is_empty());
        }
    }
}

#[test]
fn csv_has_the_contract_columns_and_one_row_per_turn() {
    let out = hedgesim(&["run", "scenarios/azerbaijan-russia.toml", "--format", "csv", "--turns", "30"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for col in
        "seed,stream,scenario_sha256,turn,year,w_PB,w_IB,w_DD,w_EP,w_BE,w_LB,w_PW,A,R,x,H,label,tilt,g_action,belief_mean,belief_var,mil,dep,payoff"
            .split(',')
            .chain(["s_Turkey", "s_West"])
    {
        assert!(header.contains(&col), "missing column {col} in {header:?}");
    }
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 30);
    assert!(rows.iter().all(|r| r.split(',').count() == header.len()));
    let sha = hedgesim::output::sha256_hex(&std::fs::read("scenarios/azerbaijan-russia.toml").unwrap());
    let seed = hedgesim::Scenario::from_file(Path::new("scenarios/azerbaijan-russia.toml")).unwrap().meta.seed;
    assert!(rows[0].starts_with(&format!("{seed},0,{sha},0,2003.0,")), "{}", rows[0]);
    // Every real-valued column is written as a float, also where the value is whole (`imm`, `pi`
    // and the stocks are often exactly 0): only the identity, the turn and the words are not.
    for row in &rows {
        for (name, cell) in header.iter().zip(row.split(',')) {
            if !["seed", "stream", "scenario_sha256", "turn", "label", "tilt", "g_action"].contains(name) {
                assert!(cell.contains('.') || cell.contains('e'), "{name} = {cell}: not written as a float");
                cell.parse::<f64>().unwrap();
            }
        }
    }
}

#[test]
fn jsonl_rows_parse() {
    let out = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--format", "jsonl", "--turns", "5"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let mix = rows[4]["mix"].as_object().unwrap();
    let total: f64 = mix.values().map(|v| v.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(rows[4]["support"]["Ally"].is_number());
}

#[test]
fn out_writes_the_file_and_seed_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let f = "scenarios/teaching-dyad.toml";
    assert!(hedgesim(&["run", f, "--format", "csv", "--seed", "3", "--out", a.to_str().unwrap()]).status.success());
    assert!(hedgesim(&["run", f, "--format", "csv", "--seed", "4", "--out", b.to_str().unwrap()]).status.success());
    let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_ne!(a, b);
    let stdout = hedgesim(&["run", f, "--format", "csv", "--seed", "3"]).stdout;
    assert_eq!(a, stdout, "--out and standard output give the same bytes");
    // Only the two outputs: no temporary files left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

const HEADER: &str = "[meta]\nname = \"x\"\nturns = 40\n";

/// (file name, content, what the message must contain: the line:column and the field).
fn malformed() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        (
            "unknown_key",
            format!("{HEADER}[small_state]\ncap = 0.1\ncapp = 0.2\n"),
            vec![":6:1:", "small_state.capp", "unknown field"],
        ),
        (
            "wrong_type",
            format!("{HEADER}[small_state]\ngamma = \"high\"\n"),
            vec![":5:9:", "small_state.gamma", "expected a number"],
        ),
        (
            "out_of_range",
            format!("{HEADER}[small_state]\ncap = 1.5\n"),
            vec![":5:7:", "small_state.cap", "between 0 and 1"],
        ),
        ("nan", format!("{HEADER}[great_power]\nhostility = nan\n"), vec![":5:13:", "great_power.hostility", "finite"]),
        ("infinite", format!("{HEADER}[small_state]\ngamma = inf\n"), vec![":5:9:", "small_state.gamma", "finite"]),
        (
            "negative",
            format!("{HEADER}[[third_powers]]\nname = \"A\"\ncap = -0.2\n"),
            vec![":6:7:", "third_powers[0].cap", "between"],
        ),
        (
            "unknown_event_path",
            format!("{HEADER}[[events]]\nturn = 3\nset = {{ \"great_power.focs\" = 0.5 }}\n"),
            vec![":6:", "great_power.focs", "did you mean `great_power.focus`"],
        ),
        (
            "unknown_third_power",
            format!("{HEADER}[[events]]\nturn = 3\nreliability_signal = {{ West = -1.0 }}\n"),
            vec![":6:", "reliability_signal.West", "no third power named `West`"],
        ),
        (
            "event_past_end",
            format!("{HEADER}[[events]]\nturn = 40\nhostile_signal = 1.0\n"),
            vec![":5:8:", "events[0].turn", "turns 0 to 39"],
        ),
        (
            "event_date_past_end",
            format!("{HEADER}[[events]]\nat = 2031.0\n"),
            vec![":5:6:", "events[0].at", "outside the scenario"],
        ),
        ("event_without_date", format!("{HEADER}[[events]]\nlabel = \"when?\"\n"), vec!["events[0]", "needs a date"]),
        ("empty", String::new(), vec![":1:1:", "empty"]),
        ("only_comments", "# nothing here\n".to_string(), vec![":1:1:", "meta", "missing"]),
        ("syntax", "[meta]\nname = \"x\"\nturns = \n".to_string(), vec![":3:9:"]),
        (
            "duplicate_name",
            format!("{HEADER}[[third_powers]]\nname = \"A\"\n[[third_powers]]\nname = \"A\"\n"),
            vec![":7:8:", "third_powers[1].name", "duplicate"],
        ),
        (
            "bad_component",
            format!("{HEADER}[small_state]\nlegit = {{ XX = 1.0 }}\n"),
            vec![":5:", "small_state.legit.XX", "unknown component"],
        ),
        (
            "fixed_without_mix",
            format!("{HEADER}[decision]\nrule = \"fixed\"\n"),
            vec![":5:8:", "decision.rule", "needs `mix"],
        ),
        (
            "future_format",
            format!("format = 3\n{HEADER}"),
            vec![
                ":1:10:",
                "format",
                "unsupported format 3",
                "format 1 (rates per turn",
                "format 2 (every rate per year",
            ],
        ),
        (
            "format_2_field_in_format_1",
            format!("{HEADER}[great_power]\nactions_per_year = 4\n"),
            vec![":5:", "great_power.actions_per_year", "is a field of format 2", "write `format = 2`"],
        ),
        ("zero_turns", "[meta]\nname = \"x\"\nturns = 0\n".to_string(), vec![":3:9:", "meta.turns", "whole number"]),
    ]
}

#[test]
fn malformed_files_fail_cleanly_with_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content, expected) in malformed() {
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, content).unwrap();
        let out_file = dir.path().join(format!("{name}.csv"));
        for args in [
            vec!["run", file.to_str().unwrap(), "--format", "csv", "--out", out_file.to_str().unwrap()],
            vec!["validate", file.to_str().unwrap()],
        ] {
            let out = hedgesim(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {args:?}: exit {:?}, stderr {stderr}", out.status);
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            assert!(stderr.contains(&format!("{name}.toml")), "{name}: the message names the file: {stderr}");
            for e in &expected {
                assert!(stderr.contains(e), "{name}: expected `{e}` in: {stderr}");
            }
        }
        assert!(!out_file.exists(), "{name}: an output file was left behind");
    }
    // Nothing but the inputs remains: no temporary files either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), malformed().len());
}

#[test]
fn missing_file_and_unwritable_output_are_clear_errors() {
    let out = hedgesim(&["run", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no/such/scenario.toml") && stderr.contains("cannot read"), "{stderr}");

    let out = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--out", "no/such/dir/out.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
    assert!(!Path::new("no/such/dir/out.csv").exists());
}

#[test]
fn validate_reports_every_bad_file_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, format!("{HEADER}[small_state]\ncap = 2\n")).unwrap();
    let out = hedgesim(&["validate", "scenarios/teaching-dyad.toml", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: scenarios/teaching-dyad.toml"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 2 scenario files are invalid"));
}

/// The README's scenario examples are real scenarios: documentation cannot drift from the parser.
#[test]
fn readme_toml_examples_validate() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let blocks: Vec<&str> = readme.split("```toml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    assert!(blocks.len() >= 2, "expected TOML examples in the README");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sweeps")).unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    std::fs::copy("scenarios/teaching-dyad.toml", dir.path().join("scenarios/teaching-dyad.toml")).unwrap();
    let mut sweeps = 0;
    for block in blocks {
        // A sweep file names its scenario; its path is relative to where README's examples live.
        if block.lines().any(|l| l.starts_with("scenario = ")) {
            let file = dir.path().join("sweeps/example.toml");
            std::fs::write(&file, block).unwrap();
            if let Err(e) = hedgesim::sweep::SweepSpec::from_file(&file) {
                panic!("README sweep example does not validate: {e}\n{block}");
            }
            sweeps += 1;
        } else if let Err(e) = hedgesim::Scenario::parse(block, Path::new("README.md")) {
            panic!("README example does not validate: {e}\n{block}");
        }
    }
    assert!(sweeps >= 1, "expected a sweep example in the README");
}

#[test]
fn explain_works_on_every_bundled_scenario_in_text_and_json() {
    for f in bundled() {
        let f = f.to_str().unwrap();
        let text = hedgesim(&["explain", f, "--turn", "12"]);
        assert!(text.status.success(), "{f}: {}", String::from_utf8_lossy(&text.stderr));
        let text = String::from_utf8(text.stdout).unwrap();
        for heading in ["The world as", "Doctrine table in use", "Each component this turn", "Why"] {
            assert!(text.contains(heading), "{f}: no `{heading}` in\n{text}");
        }
        assert!(text.contains("dominance denial") && text.contains("pure bandwagoning"), "full component names");
        let json = hedgesim(&["explain", f, "--turn", "12", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["turn"], 12);
        assert_eq!(v["components"].as_array().unwrap().len(), 7);
        assert!(!v["sentences"].as_array().unwrap().is_empty());
    }
}

#[test]
fn explain_json_shows_the_coercion_factor_only_when_it_is_on() {
    // v1 (every bundled scenario): no coercion fields, so their JSON is as before the v2 terms.
    let json = hedgesim(&["explain", "scenarios/teaching-dyad.toml", "--turn", "30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v.get("offset_pair").is_none() && v["world"].get("coercion_probability").is_none());
    assert!(v["components"].as_array().unwrap().iter().all(|c| c.get("coercion_loading").is_none()));
    // The v2 setting: each component's p_k beside h_k, π_c, and the offset pair under the whole Σ.
    let f = "docs/calibration/v2-study/teaching-dyad-v2-static.toml";
    let json = hedgesim(&["explain", f, "--turn", "30", "--format", "json"]);
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let pi_c = v["world"]["coercion_probability"].as_f64().unwrap();
    assert!(pi_c > 0.0 && pi_c <= 1.0);
    for c in v["components"].as_array().unwrap() {
        assert!(c["coercion_loading"].is_f64(), "{c}");
    }
    let pair = &v["offset_pair"];
    let covariance = pair["covariance"].as_f64().unwrap();
    assert!(covariance < 0.0, "{pair}");
    let side = |code: &serde_json::Value| {
        v["components"].as_array().unwrap().iter().find(|c| c["code"] == *code).unwrap()["side"].clone()
    };
    assert_eq!(side(&pair["rejection"]), "rejection");
    assert_ne!(side(&pair["other"]), "rejection");
}

#[test]
fn explain_agrees_with_run_on_the_same_turn() {
    let run = hedgesim(&["run", "scenarios/azerbaijan-russia.toml", "--format", "jsonl", "--seed", "5"]);
    let row: serde_json::Value =
        serde_json::from_str(String::from_utf8(run.stdout).unwrap().lines().nth(22).unwrap()).unwrap();
    let ex =
        hedgesim(&["explain", "scenarios/azerbaijan-russia.toml", "--turn", "22", "--seed", "5", "--format", "json"]);
    let ex: serde_json::Value = serde_json::from_slice(&ex.stdout).unwrap();
    assert_eq!(ex["label"], row["label"]);
    assert_eq!(ex["great_power_action"], row["g_action"]);
    let pb = ex["components"][0]["weight"].as_f64().unwrap();
    assert_eq!(pb, row["mix"]["PB"].as_f64().unwrap());
    assert!(ex["events"].as_array().unwrap().iter().any(|e| e.as_str().unwrap().contains("Georgia")));
}

#[test]
fn explain_past_the_end_is_a_clear_error() {
    let out = hedgesim(&["explain", "scenarios/teaching-dyad.toml", "--turn", "80"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("turns 0 to 79"));
}

/// Every command in docs/tutorial.md runs as written (in a scratch folder holding the scenarios
/// and sweeps), and every scenario under scenarios/teaching/ validates.
#[test]
fn tutorial_commands_run_as_written() {
    let doc = std::fs::read_to_string("docs/tutorial.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    for d in ["scenarios", "sweeps"] {
        std::os::unix::fs::symlink(std::fs::canonicalize(d).unwrap(), dir.path().join(d)).unwrap();
    }
    let mut ran = 0;
    for line in doc.lines() {
        let line = line.trim();
        if line == "mkdir -p out" {
            std::fs::create_dir_all(dir.path().join("out")).unwrap();
        } else if let Some(args) = line.strip_prefix("cargo run --release -- ") {
            let args: Vec<&str> = args.split_whitespace().collect();
            let out =
                Command::new(env!("CARGO_BIN_EXE_hedgesim")).args(&args).current_dir(dir.path()).output().unwrap();
            assert!(out.status.success(), "`{line}` failed: {}", String::from_utf8_lossy(&out.stderr));
            ran += 1;
        }
    }
    assert!(ran >= 15, "only {ran} tutorial commands found");
    for entry in std::fs::read_dir("scenarios/teaching").unwrap() {
        let path = entry.unwrap().path();
        assert!(hedgesim::Scenario::from_file(&path).is_ok(), "{}", path.display());
    }
}

/// Run `args`: exit `code`, no panic, and every one of `parts` in the message.
fn fails_with(args: &[&str], code: i32, parts: &[&str]) -> String {
    assert_fails(&hedgesim(args), code, parts)
}

/// The mistakes a newcomer makes get a message that says what is wrong, where, and what to do.
#[test]
fn newcomer_mistakes_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    // A missing file, a folder for a file, a file that is not text.
    fails_with(&["run", "no/such/scenario.toml"], 1, &["no/such/scenario.toml", "does not exist", "check the path"]);
    fails_with(
        &["run", "scenarios"],
        1,
        &["scenarios: cannot read the scenario file: it is a folder", "give one of its files", "teaching-dyad.toml"],
    );
    std::fs::write(d("binary.toml"), [0xff, 0xfe, 0x00]).unwrap();
    fails_with(&["validate", &d("binary.toml")], 1, &["binary.toml", "not UTF-8 text", "TOML text"]);

    // A wrong subcommand: clap suggests the right one.
    fails_with(&["runn", "scenarios/teaching-dyad.toml"], 2, &["unrecognized subcommand", "run"]);

    // A sweep file given to `run`, a scenario given to `sweep`.
    fails_with(
        &["run", "sweeps/teaching-hostility-gamma.toml"],
        1,
        &["teaching-hostility-gamma.toml:", "scenario", "this is a sweep file", "hedgesim sweep"],
    );
    fails_with(
        &["sweep", "scenarios/teaching-dyad.toml", "--out", &d("o1")],
        1,
        &["teaching-dyad.toml:22:1: meta: this is a scenario file", "hedgesim run scenarios/teaching-dyad.toml"],
    );

    // A duplicate key names the key and its line.
    std::fs::write(d("dup.toml"), "[meta]\nname = \"x\"\n[small_state]\ncap = 0.1\ncap = 0.2\n").unwrap();
    fails_with(&["validate", &d("dup.toml")], 1, &["dup.toml:5:1:", "duplicate key `cap`", "remove one"]);

    // --out for `run` that is a folder; --out for `sweep` that is a file or holds other files.
    fails_with(
        &["run", "scenarios/teaching-dyad.toml", "--out", dir.path().to_str().unwrap()],
        1,
        &["cannot write", "it is a folder", "give the name of a file"],
    );
    std::fs::write(d("a-file"), "x").unwrap();
    let spec = d("small.toml");
    std::fs::write(&spec, sweep_text("replications = 2\n")).unwrap();
    fails_with(&["sweep", &spec, "--out", &d("a-file")], 1, &["a-file", "a file of that name is in the way"]);
    std::fs::create_dir(d("mine")).unwrap();
    std::fs::write(d("mine/notes.txt"), "my notes").unwrap();
    fails_with(
        &["sweep", &spec, "--out", &d("mine"), "--quiet"],
        1,
        &["mine already holds other files (notes.txt)", "new or empty folder", "choose another --out"],
    );
    assert_eq!(std::fs::read_dir(d("mine")).unwrap().count(), 1, "nothing is written beside the notes");

    // Resuming or rerunning into a folder of another sweep says how they differ.
    assert!(hedgesim(&["sweep", &spec, "--out", &d("done"), "--quiet"]).status.success());
    let other = d("other.toml");
    std::fs::write(&other, sweep_text("replications = 3\n")).unwrap();
    fails_with(
        &["sweep", &other, "--out", &d("done"), "--resume"],
        1,
        &["already holds another sweep, finished", "it comes from", "small.toml", "choose another --out"],
    );
    fails_with(
        &["sweep", &spec, "--out", &d("done"), "--series"],
        1,
        &["already holds another sweep, finished", "it was run without --series"],
    );

    // Merging: a missing shard, a shard twice, a folder that is not a sweep.
    for i in [0, 2] {
        let shard = format!("{i}/3");
        assert!(
            hedgesim(&["sweep", &spec, "--out", &d(&format!("s{i}")), "--shard", &shard, "--quiet"]).status.success()
        );
    }
    fails_with(
        &["merge", &d("s0"), &d("s2"), "--out", &d("m")],
        1,
        &["shard 1/3 is missing", "every shard, 0/3 to 2/3"],
    );
    fails_with(&["merge", &d("s0"), &d("s0"), "--out", &d("m")], 1, &["shard 0/3 is given twice"]);
    fails_with(&["merge", &d("mine"), "--out", &d("m")], 1, &["mine is not a finished sweep folder", "--shard I/N"]);
    fails_with(&["merge", &d("nowhere"), "--out", &d("m")], 1, &["nowhere does not exist"]);
    assert!(!Path::new(&d("m")).exists(), "a refused merge writes nothing");

    // `report` of a folder that is not a finished sweep.
    fails_with(
        &["report", &d("mine"), "-o", &d("r.html")],
        1,
        &["mine is a folder but not a finished sweep", "scenario file or the --out folder"],
    );
}

/// `--out` to a pipe or a device writes into it; renaming a file over it would replace it.
#[test]
fn out_to_a_pipe_writes_into_the_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = hedgesim(&[
        "run",
        "scenarios/teaching-dyad.toml",
        "--format",
        "csv",
        "--turns",
        "3",
        "--out",
        fifo.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = reader.join().unwrap();
    let expected = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--format", "csv", "--turns", "3"]).stdout;
    assert_eq!(got, expected);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
}

#[test]
fn a_shard_out_of_range_says_how_shards_are_numbered() {
    fails_with(
        &["sweep", "sweeps/teaching-hostility-gamma.toml", "--out", "unused", "--shard", "4/4"],
        2,
        &["shard `4/4`", "numbered from 0", "0/4 to 3/4"],
    );
    assert!(!Path::new("unused").exists());
}

/// `--set` takes the paths and ranges of sweep axes; a mistake names the setting and says what
/// would be accepted, and `--replication` picks the stream: a different stream is a different run.
#[test]
fn set_and_replication_replay_one_run_and_bad_settings_are_named() {
    let base = ["run", "scenarios/teaching-dyad.toml", "--format", "csv", "--turns", "5"];
    let with = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let o = hedgesim(&args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let plain = with(&[]);
    let set = with(&["--set", "small_state.gamma=2", "--set", "third_powers.Ally.cap=0.5"]);
    let header: Vec<&str> = set.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header[..6],
        ["seed", "stream", "scenario_sha256", "small_state.gamma", "third_powers.Ally.cap", "turn"]
    );
    assert!(set.lines().nth(1).unwrap().starts_with("1,0,"), "{set}");
    assert!(set.lines().nth(1).unwrap().contains(",2.0,0.5,0,"), "{set}");
    assert_ne!(
        plain.lines().last().unwrap().split(',').skip(4).collect::<Vec<_>>(),
        set.lines().last().unwrap().split(',').skip(6).collect::<Vec<_>>()
    );
    let r3 = with(&["--replication", "3"]);
    assert!(r3.lines().nth(1).unwrap().starts_with("1,3,"));
    assert_ne!(plain.lines().nth(3), r3.lines().nth(3).map(|l| l.replacen("1,3,", "1,0,", 1)).as_deref());
    assert_eq!(with(&["--stream", "3"]), r3, "--stream is --replication");
    // The same run explained shows the settings and the stream.
    let o = hedgesim(&[
        "explain",
        "scenarios/teaching-dyad.toml",
        "--turn",
        "2",
        "--replication",
        "3",
        "--set",
        "small_state.gamma=2",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && text.contains("seed 1, replication 3") && text.contains("set small_state.gamma = 2"),
        "{text}"
    );

    for (set, parts) in [
        ("small_state.gama=2", &["--set small_state.gama", "small_state.gamma"][..]),
        ("small_state.gamma=-1", &["--set small_state.gamma", "must be between"][..]),
        ("small_state.gamma=lots", &["--set small_state.gamma", "`lots` is not a number"][..]),
        ("small_state.gamma", &["--set small_state.gamma", "expected PATH=VALUE"][..]),
        ("third_powers.China.cap=0.5", &["--set third_powers.China.cap", "the scenario has Ally"][..]),
    ] {
        fails_with(&["run", "scenarios/teaching-dyad.toml", "--set", set], 1, parts);
        fails_with(&["explain", "scenarios/teaching-dyad.toml", "--turn", "1", "--set", set], 1, parts);
    }
    fails_with(
        &["run", "scenarios/teaching-dyad.toml", "--set", "small_state.gamma=2", "--set", "small_state.gamma=3"],
        1,
        &["--set small_state.gamma is given twice"],
    );
}

/// `-` is standard input for a scenario and standard output for `--out`/`-o`: the same bytes as
/// the file, and no file named `-`.
#[test]
fn dash_is_standard_input_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let from_file = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--format", "csv"]).stdout;
    let text = std::fs::read("scenarios/teaching-dyad.toml").unwrap();
    let run_stdin = |args: &[&str]| {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_hedgesim"))
            .args(args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&text).unwrap();
        child.wait_with_output().unwrap()
    };
    let o = run_stdin(&["run", "-", "--format", "csv", "-o", "-"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, from_file, "the scenario's hash is of its bytes, wherever they come from");
    let o = run_stdin(&["explain", "-", "--turn", "3"]);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("turn 3"));
    let o = hedgesim(&["report", "scenarios/teaching-dyad.toml", "-o", "-"]);
    assert!(o.status.success() && o.stdout.starts_with(b"<!DOCTYPE html>"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file named -");
    assert!(!Path::new("-").exists());
    // A bad scenario on standard input is named as such.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hedgesim"))
        .args(["run", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"[meta]\nname = \"x\"\nturns = -3\n").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_fails(&o, 1, &["<stdin>", "meta.turns"]);
}

/// A reader that stops early (`hedgesim run … | head`) is not an error: no panic, no message,
/// exit 0. The reading end is closed before the command writes (its output is also far larger
/// than a pipe's buffer), so every write meets a closed pipe.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["run", "scenarios/teaching-dyad.toml", "--turns", "20000"][..],
        &["run", "scenarios/teaching-dyad.toml", "--turns", "20000", "--format", "csv", "-o", "-"][..],
        &["explain", "scenarios/teaching-dyad.toml", "--turn", "5"][..],
        &["explain", "scenarios/teaching-dyad.toml", "--turn", "5", "--format", "json"][..],
        &["validate", "scenarios/teaching-dyad.toml"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hedgesim"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// `hedgesim init` writes a commented scenario that validates and hedges as it is (most turns of
/// its run are labelled hedging), with its commented-out events (free numbers, and a type) valid too; it never overwrites a
/// file, and `init -` prints it.
#[test]
fn init_writes_a_template_that_validates_and_hedges() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    let p = path.to_str().unwrap();
    let o = hedgesim(&["init", p]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.lines().filter(|l| l.trim_start().starts_with('#')).count() > 20, "the template is commented");
    assert!(hedgesim(&["validate", p]).status.success());
    let csv = hedgesim(&["run", p, "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    let label = lines.next().unwrap().split(',').position(|c| c == "label").unwrap();
    let labels: Vec<String> = lines.map(|l| l.split(',').nth(label).unwrap().to_string()).collect();
    let hedging = labels.iter().filter(|l| *l == "hedging").count();
    assert!(labels.len() == 80 && hedging * 10 >= labels.len() * 9, "{hedging} of {} turns hedging", labels.len());
    // Its commented-out event, uncommented, is a valid event.
    let uncommented: String = text
        .lines()
        .map(|l| {
            if l.starts_with("# [[events]]")
                || l.starts_with("# at")
                || l.starts_with("# label")
                || l.starts_with("# hostile_signal")
                || l.starts_with("# imminence")
                || l.starts_with("# shift")
                || l.starts_with("# type")
                || l.starts_with("# partner")
            {
                &l[2..]
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("\n[[events]]"));
    let s = hedgesim::Scenario::parse(&uncommented, Path::new("uncommented.toml")).unwrap();
    assert_eq!(s.events().len(), 2, "the free-number example and the typed one");
    assert_eq!(s.events()[1].reliability_signal, [(0, -1.0)], "the typed example: ally_fails for the Ally");
    // Never over an existing file; `-` prints it.
    std::fs::write(&path, "mine").unwrap();
    assert_fails(&hedgesim(&["init", p]), 1, &["already exists", "never overwrites"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    assert_eq!(hedgesim(&["init", "-"]).stdout, text.as_bytes());
}

/// `hedgesim init --format-version 2` writes the same teaching dyad in format 2 (every rate per
/// year): it validates, and at four turns a year it runs as the format-1 template does, label for
/// label.
#[test]
fn init_writes_a_format_2_template_that_runs_as_format_1() {
    let dir = tempfile::tempdir().unwrap();
    let (v1, v2) = (dir.path().join("v1.toml"), dir.path().join("v2.toml"));
    let (p1, p2) = (v1.to_str().unwrap(), v2.to_str().unwrap());
    assert!(hedgesim(&["init", p1]).status.success());
    let o = hedgesim(&["init", "--format-version", "2", p2]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&v2).unwrap();
    for line in [
        "format = 2 ",
        "eta = 2.4 ",
        "actions_per_year = 4 ",
        "forgetting = 0.6561 ",
        "fluidity = 0.12 ",
        "horizon = 2 ",
    ] {
        assert!(text.lines().any(|l| l.starts_with(line)), "the format-2 template lacks `{line}`");
    }
    assert!(hedgesim(&["validate", p2]).status.success());
    let labels = |p: &str| -> Vec<String> {
        let csv = String::from_utf8(hedgesim(&["run", p, "--format", "csv"]).stdout).unwrap();
        let mut lines = csv.lines();
        let label = lines.next().unwrap().split(',').position(|c| c == "label").unwrap();
        lines.map(|l| l.split(',').nth(label).unwrap().to_string()).collect()
    };
    let (l1, l2) = (labels(p1), labels(p2));
    assert_eq!(l1.len(), 80);
    assert_eq!(l1, l2);
}

/// Shell completions, the man page and the version with its commit; every argument has help.
#[test]
fn completions_man_page_version_and_help_for_every_argument() {
    for shell in ["bash", "zsh", "fish"] {
        let o = hedgesim(&["completions", shell]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success() && text.contains("hedgesim") && text.contains("replication"), "{shell}");
    }
    let man = hedgesim(&["man"]);
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.starts_with(".ie") || man.contains(".TH hedgesim"), "{}", &man[..200.min(man.len())]);
    for sub in ["run", "sweep", "report", "explain", "merge", "init", "completions"] {
        assert!(man.contains(sub), "the man page lists {sub}");
    }
    let v = String::from_utf8(hedgesim(&["--version"]).stdout).unwrap();
    let commit =
        Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output().ok().filter(|o| o.status.success());
    match commit {
        Some(c) => assert_eq!(
            v.trim(),
            format!("hedgesim {} (commit {})", env!("CARGO_PKG_VERSION"), String::from_utf8_lossy(&c.stdout).trim())
        ),
        None => assert!(v.contains(env!("CARGO_PKG_VERSION")), "{v}"),
    }
    // Every argument of every subcommand has a help line: no bare `--flag <X>` in `help`.
    for sub in ["run", "validate", "sweep", "explain", "report", "merge", "init", "completions"] {
        let help = String::from_utf8(hedgesim(&[sub, "--help"]).stdout).unwrap();
        let mut lines = help.lines().peekable();
        while let Some(line) = lines.next() {
            let t = line.trim_start();
            let is_arg = line.starts_with("  ") && (t.starts_with('-') || t.starts_with('<') || t.starts_with('['));
            if is_arg && !t.contains("  ") {
                // clap puts the help on the next line when the argument is long.
                let next = lines.peek().map(|l| l.trim()).unwrap_or("");
                assert!(
                    !next.is_empty() && !next.starts_with(['-', '<', '[']),
                    "`hedgesim {sub}`: `{t}` has no help:\n{help}"
                );
            }
        }
    }
}

/// JSON from `validate` and `sweep --dry-run`, for programs; `-` is refused where a folder is needed.
#[test]
fn validate_and_dry_run_speak_json() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[meta]\nname = \"x\"\n\n[small_state]\ncap = 1.5\n").unwrap();
    let o = hedgesim(&["validate", "--format", "json", "scenarios/teaching-dyad.toml", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["turns"], 80);
    assert_eq!(v[0]["third_powers"][0], "Ally");
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["error"]["line"], 5);
    assert_eq!(v[1]["error"]["field"], "small_state.cap");
    let o = hedgesim(&[
        "sweep",
        "sweeps/teaching-hostility-gamma.toml",
        "-o",
        "unused-dry",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["configs"].as_u64(), v["runs"].as_u64(), v["turns_per_run"].as_u64()),
        (Some(48), Some(9600), Some(80))
    );
    assert!(v["estimated_bytes"].as_u64().unwrap() > 0);
    assert!(!Path::new("unused-dry").exists());
    fails_with(&["sweep", "sweeps/teaching-hostility-gamma.toml", "-o", "-"], 1, &["folder"]);
    fails_with(&["merge", "a", "b", "-o", "-"], 1, &["folder"]);
}
