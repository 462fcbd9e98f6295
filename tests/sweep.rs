//! Sweeps: reproducible whatever the thread count, the shard count or an interruption; designs of
//! the documented size; summaries that match a hand computation; clear errors for bad files.

mod common;
use common::{hedgesim, ok, s, sweep_file};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// The binary started in the background, to be killed or raced.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hedgesim")).args(args).spawn().unwrap()
}

const GRID: &str = r#"
replications = 7
master_seed = 3
metrics_from_turn = 40

[[axes]]
path = "great_power.hostility"
values = [0.2, 0.5, 0.8]

[[axes]]
path = "small_state.gamma"
range = { from = 2.0, to = 10.0, steps = 5 }
"#;

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn thread_count_does_not_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "grid.toml", GRID);
    let (one, two) = (dir.path().join("t1"), dir.path().join("t2"));
    ok(&["sweep", s(&spec), "--out", s(&one), "--threads", "1", "--quiet", "--series"]);
    ok(&["sweep", s(&spec), "--out", s(&two), "--threads", "2", "--quiet", "--series"]);
    for f in ["runs.csv", "summary.csv", "series.csv"] {
        assert!(read(&one, f) == read(&two, f), "{f} differs between 1 and 2 threads");
    }
    let runs = String::from_utf8(read(&one, "runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 3 * 5 * 7);
    let series = String::from_utf8(read(&one, "series.csv")).unwrap();
    assert_eq!(series.lines().count(), 1 + 3 * 5 * 7 * 80);
    // Run ids are in order.
    let ids: Vec<u64> = runs.lines().skip(1).map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    assert_eq!(ids, (0..105).collect::<Vec<_>>());
}

#[test]
fn shards_merge_into_the_whole_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "grid.toml", GRID);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet", "--series"]);
    let shards: Vec<PathBuf> = (0..4).map(|i| dir.path().join(format!("shard{i}"))).collect();
    // Run the shards in reverse order: order must not matter.
    for (i, d) in shards.iter().enumerate().rev() {
        ok(&["sweep", s(&spec), "--out", s(d), "--shard", &format!("{i}/4"), "--quiet", "--series"]);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged)]);
    ok(&args);
    for f in ["runs.csv", "summary.csv", "series.csv"] {
        assert!(read(&whole, f) == read(&merged, f), "merged {f} differs from the whole sweep");
    }
    // A missing shard, or a shard of another sweep, is refused.
    let out = hedgesim(&["merge", s(&shards[0]), s(&shards[1]), "--out", s(&dir.path().join("m2"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("every shard"), "{}", String::from_utf8_lossy(&out.stderr));
    let other = sweep_file(dir.path(), "other.toml", &GRID.replace("master_seed = 3", "master_seed = 4"));
    let foreign = dir.path().join("foreign");
    ok(&["sweep", s(&other), "--out", s(&foreign), "--shard", "1/4", "--quiet", "--series"]);
    let out = hedgesim(&[
        "merge",
        s(&shards[0]),
        s(&foreign),
        s(&shards[2]),
        s(&shards[3]),
        "--out",
        s(&dir.path().join("m3")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("different sweeps"));
}

/// Simulate a kill at many byte offsets: cut the finished files, restore the `.partial` state and
/// resume. Every cut must give back the identical outputs.
#[test]
fn resume_after_a_cut_at_any_point_equals_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "grid.toml", GRID);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet", "--series"]);
    let runs = read(&whole, "runs.csv");
    let series = read(&whole, "series.csv");
    let manifest = read(&whole, "manifest.json");
    for (i, frac) in [0.0, 0.01, 0.3, 0.5, 0.77, 0.999].iter().enumerate() {
        let d = dir.path().join(format!("cut{i}"));
        fs::create_dir(&d).unwrap();
        let cut = (runs.len() as f64 * frac) as usize;
        fs::write(d.join("runs.csv.partial"), &runs[..cut]).unwrap();
        // The series file runs ahead of runs.csv (it is flushed first): keep more of it.
        let series_cut = ((series.len() as f64 * (frac + 0.05)).min(series.len() as f64)) as usize;
        fs::write(d.join("series.csv.partial"), &series[..series_cut]).unwrap();
        fs::write(d.join("manifest.partial.json"), &manifest).unwrap();
        // Without --resume the folder is refused.
        let out = hedgesim(&["sweep", s(&spec), "--out", s(&d), "--quiet", "--series"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
        ok(&["sweep", s(&spec), "--out", s(&d), "--quiet", "--series", "--resume"]);
        for f in ["runs.csv", "summary.csv", "series.csv"] {
            assert!(read(&whole, f) == read(&d, f), "cut at {frac}: {f} differs");
        }
        assert!(!d.join("runs.csv.partial").exists() && !d.join("manifest.partial.json").exists());
    }
}

/// A real kill: SIGKILL a larger sweep part-way, resume, and compare with an uninterrupted run.
#[test]
fn resume_after_sigkill_equals_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let body =
        "replications = 4000\nmaster_seed = 9\n[[axes]]\npath = \"small_state.gamma\"\nvalues = [3.0, 6.0, 9.0]\n";
    let spec = sweep_file(dir.path(), "big.toml", body);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet"]);
    let killed = dir.path().join("killed");
    let mut child = spawn(&["sweep", s(&spec), "--out", s(&killed), "--quiet", "--threads", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(60));
    child.kill().unwrap();
    child.wait().unwrap();
    ok(&["sweep", s(&spec), "--out", s(&killed), "--quiet", "--resume"]);
    for f in ["runs.csv", "summary.csv"] {
        assert!(read(&whole, f) == read(&killed, f), "{f} differs after kill and resume");
    }
    // Resuming a finished sweep does nothing and keeps the files.
    ok(&["sweep", s(&spec), "--out", s(&killed), "--quiet", "--resume"]);
    assert!(read(&whole, "runs.csv") == read(&killed, "runs.csv"));
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&read(dir, "manifest.json")).unwrap()
}

#[test]
fn designs_have_the_documented_number_of_configs() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("grid", GRID.to_string(), 15),
        (
            "zip",
            "design = \"zip\"\nreplications = 2\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.1, 0.2, 0.3, 0.4]\n[[axes]]\npath = \"great_power.focus\"\nvalues = [1.0, 0.9, 0.8, 0.7]\n".to_string(),
            4,
        ),
        (
            "lhs",
            "design = \"lhs\"\nsamples = 9\nreplications = 2\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n[[axes]]\npath = \"third_powers.Ally.reliability\"\nrange = { from = 0.0, to = 1.0 }\n".to_string(),
            9,
        ),
        ("table", "design = \"table\"\ncsv = \"design.csv\"\nreplications = 2\n".to_string(), 3),
        ("none", "replications = 2\n".to_string(), 1),
    ];
    fs::write(dir.path().join("design.csv"), "great_power.hostility,small_state.dep\n0.2,0.1\n0.5,0.5\n0.8,0.9\n")
        .unwrap();
    for (name, body, configs) in cases {
        let spec = sweep_file(dir.path(), &format!("{name}.toml"), &body);
        let out = dir.path().join(name);
        ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
        let m = manifest(&out);
        assert_eq!(m["configs"], configs, "{name}");
        let summary = String::from_utf8(read(&out, "summary.csv")).unwrap();
        assert_eq!(summary.lines().count() as u64, 1 + configs, "{name}");
    }
    // The table's values reach the runs, and sweeping dep sets the structural level too.
    let runs = String::from_utf8(read(&dir.path().join("table"), "runs.csv")).unwrap();
    let last = runs.lines().last().unwrap();
    assert!(last.contains(",0.8,0.9,"), "{last}");
    // LHS values stay within their ranges and use every stratum.
    let runs = String::from_utf8(read(&dir.path().join("lhs"), "runs.csv")).unwrap();
    let mut strata: Vec<usize> = runs
        .lines()
        .skip(1)
        .step_by(2)
        .map(|l| ((l.split(',').nth(5).unwrap().parse::<f64>().unwrap() - 0.1) / 0.8 * 9.0) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, (0..9).collect::<Vec<_>>());
}

#[test]
fn summary_ci_matches_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(
        dir.path(),
        "five.toml",
        "replications = 5\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.3, 0.7]\n",
    );
    let out = dir.path().join("o");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let runs = String::from_utf8(read(&out, "runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let h_col = header.iter().position(|c| *c == "mean_H").unwrap();
    let xs: Vec<f64> =
        runs.lines().skip(1 + 5).take(5).map(|l| l.split(',').nth(h_col).unwrap().parse().unwrap()).collect();
    let mean = xs.iter().sum::<f64>() / 5.0;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
    let half = 2.776_445_105 * sd / 5f64.sqrt(); // t(0.975, 4 df)
    let summary = String::from_utf8(read(&out, "summary.csv")).unwrap();
    let sh: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = summary.lines().nth(2).unwrap().split(',').collect();
    let get = |name: &str| row[sh.iter().position(|c| *c == name).unwrap()].parse::<f64>().unwrap();
    assert_eq!(get("config_id"), 1.0);
    assert_eq!(get("n"), 5.0);
    assert!((get("mean_H_mean") - mean).abs() < 1e-12);
    assert!((get("mean_H_sd") - sd).abs() < 1e-12);
    assert!((get("mean_H_ci_lo") - (mean - half)).abs() < 1e-8);
    assert!((get("mean_H_ci_hi") - (mean + half)).abs() < 1e-8);
    // Label shares are the means of indicators.
    let label_col = header.iter().position(|c| *c == "label").unwrap();
    let hedging = runs.lines().skip(6).take(5).filter(|l| l.split(',').nth(label_col) == Some("hedging")).count();
    assert!((get("label_hedging_mean") - hedging as f64 / 5.0).abs() < 1e-12);
}

#[test]
fn common_random_numbers_by_default_and_independent_streams_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(
        dir.path(),
        "crn.toml",
        "replications = 3\n[[axes]]\npath = \"great_power.focus\"\nvalues = [1.0, 1.0]\n",
    );
    let (crn, ind) = (dir.path().join("crn"), dir.path().join("ind"));
    ok(&["sweep", s(&spec), "--out", s(&crn), "--quiet"]);
    ok(&["sweep", s(&spec), "--out", s(&ind), "--quiet", "--independent-seeds"]);
    let rows = |d: &Path| -> Vec<Vec<String>> {
        String::from_utf8(read(d, "runs.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(String::from).collect())
            .collect()
    };
    let (c, i) = (rows(&crn), rows(&ind));
    // Two identical configs: with common random numbers, replication r is the same run in both.
    for r in 0..3 {
        assert_eq!(c[r][4], r.to_string(), "stream = replication");
        assert_eq!(c[r][5..], c[r + 3][5..], "replication {r} differs across identical configs");
        assert_eq!(i[r + 3][4], (r + 3).to_string(), "stream = run_id");
    }
    assert_ne!(i[0][5..], i[3][5..]);
    assert_eq!(manifest(&crn)["common_random_numbers"], true);
    assert_eq!(manifest(&ind)["common_random_numbers"], false);
}

#[test]
fn bad_sweep_files_fail_before_any_run_with_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.csv"), "great_power.hostility\n0.5\nhigh\n").unwrap();
    let cases = [
        ("unknown_key", "replicatons = 3\n", vec![":3:1:", "replicatons", "unknown field"]),
        (
            "bad_path",
            "[[axes]]\npath = \"great_power.hostilty\"\nvalues = [0.1]\n",
            vec![":4:8:", "axes[0].path", "did you mean"],
        ),
        (
            "out_of_range",
            "[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.5, 1.5]\n",
            vec![":5:10:", "axes[0].values", "between 0 and 1, got 1.5"],
        ),
        (
            "zip_lengths",
            "design = \"zip\"\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.1, 0.2]\n[[axes]]\npath = \"great_power.focus\"\nvalues = [1.0]\n",
            vec!["axes[1]", "equal length"],
        ),
        (
            "lhs_no_samples",
            "design = \"lhs\"\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n",
            vec!["samples"],
        ),
        (
            "no_steps",
            "[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n",
            vec!["axes[0].range", "steps"],
        ),
        ("bad_design", "design = \"fast\"\n", vec![":3:10:", "design", "unknown design"]),
        ("zero_reps", "replications = 0\n", vec![":3:16:", "replications"]),
        ("metrics_past_end", "metrics_from_turn = 80\n", vec!["metrics_from_turn", "80 turns"]),
        (
            "table_bad_cell",
            "design = \"table\"\ncsv = \"bad.csv\"\n",
            vec!["bad.csv:3:1:", "great_power.hostility", "`high` is not a number"],
        ),
        ("missing_scenario", "", vec!["scenario"]),
    ];
    for (name, body, expected) in cases {
        let path = dir.path().join(format!("{name}.toml"));
        if name == "missing_scenario" {
            fs::write(&path, "format = 1\nscenario = \"nowhere.toml\"\n").unwrap();
        } else {
            sweep_file(dir.path(), &format!("{name}.toml"), body);
        }
        let out_dir = dir.path().join(format!("{name}-out"));
        let out = hedgesim(&["sweep", s(&path), "--out", s(&out_dir)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        for e in expected {
            assert!(stderr.contains(e), "{name}: expected `{e}` in: {stderr}");
        }
        assert!(!out_dir.exists(), "{name}: an output folder was created before the file was validated");
    }
}

/// Re-running a finished sweep (as `make` or Snakemake does) succeeds and leaves the folder as it
/// is; a different sweep into the same folder is still refused.
#[test]
fn a_finished_sweep_is_not_overwritten_and_its_rerun_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "g.toml", "replications = 2\n");
    let out = dir.path().join("o");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let before =
        fs::read_dir(&out).unwrap().map(|e| read(&out, e.unwrap().file_name().to_str().unwrap())).collect::<Vec<_>>();
    let again = hedgesim(&["sweep", s(&spec), "-o", s(&out)]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds this sweep, finished; nothing to do"));
    let after =
        fs::read_dir(&out).unwrap().map(|e| read(&out, e.unwrap().file_name().to_str().unwrap())).collect::<Vec<_>>();
    assert!(before == after, "the finished folder changed");
    let other = sweep_file(dir.path(), "h.toml", "replications = 3\n");
    common::assert_fails(
        &hedgesim(&["sweep", s(&other), "-o", s(&out)]),
        1,
        &["already holds another sweep, finished"],
    );
}

/// Two sweeps writing into one folder are refused by a lock; a SIGKILLed sweep leaves no lock that
/// blocks its own resume (the OS releases it).
#[test]
fn a_second_sweep_on_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "big.toml", "replications = 30000\n");
    let out = dir.path().join("o");
    let mut first = spawn(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--threads", "1"]);
    // Wait until the first sweep holds the folder.
    for _ in 0..200 {
        if out.join("manifest.partial.json").exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = hedgesim(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--resume"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("another hedgesim sweep or merge is writing"), "{stderr}");
    // After the kill the lock is gone with the process: resume completes.
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--resume"]);
    assert!(out.join("runs.csv").exists() && !out.join(".hedgesim.lock").exists());
}

/// A sweep whose output would exceed the limit is refused before anything is written, with the
/// computed size and the way out (`--force`).
#[test]
fn a_huge_sweep_is_refused_up_front_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(
        dir.path(),
        "huge.toml",
        "replications = 10000000\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9, steps = 9 }\n",
    );
    let out = dir.path().join("o");
    let o = hedgesim(&["sweep", s(&spec), "--out", s(&out)]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("GB") && stderr.contains("90000000 runs") && stderr.contains("--force"), "{stderr}");
    assert!(!out.exists(), "nothing is written before the refusal");
}

/// SIGKILL the same sweep again and again at varied moments (a fixed pseudo-random schedule, so the
/// test is deterministic in what it asks), resuming each time: the final outputs are always
/// byte-identical to an uninterrupted sweep.
#[test]
fn repeated_sigkill_and_resume_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let body = "replications = 3000\nmaster_seed = 5\n[[axes]]\npath = \"small_state.gamma\"\nvalues = [3.0, 9.0]\n";
    let spec = sweep_file(dir.path(), "kill.toml", body);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet", "--series"]);
    let out = dir.path().join("killed");
    let mut delay_ms: u64 = 17;
    let mut kills = 0;
    for _ in 0..24 {
        let mut child =
            spawn(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--series", "--resume", "--threads", "1"]);
        delay_ms = (delay_ms * 37 + 11) % 90 + 5; // 5–94 ms
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(kills >= 20, "only {kills} kills landed while the sweep was running");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--series", "--resume"]);
    for f in ["runs.csv", "summary.csv", "series.csv"] {
        assert!(read(&whole, f) == read(&out, f), "{f} differs after {kills} kills and resumes");
    }
}

/// More shards than runs: the spare shards have nothing to do and say so by finishing empty (and a
/// dry run estimates nothing), rather than simulating a run that does not exist.
#[test]
fn a_shard_with_no_runs_finishes_empty() {
    let dir = tempfile::tempdir().unwrap();
    let lhs = "design = \"lhs\"\nsamples = 2\nreplications = 1\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n";
    let spec = sweep_file(dir.path(), "lhs.toml", lhs);
    let out = dir.path().join("shard3");
    ok(&["sweep", s(&spec), "--out", s(&out), "--shard", "3/4", "--quiet"]);
    let runs = String::from_utf8(read(&out, "runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1, "only the header: {runs}");
    ok(&["sweep", s(&spec), "--out", s(&dir.path().join("dry")), "--shard", "3/4", "--dry-run"]);
}

/// Any run of a sweep replays from its row in runs.csv: `hedgesim run SCENARIO --seed <seed>
/// --replication <stream> --set <axis>=<value>…`, the command manifest.json's `replay` gives, gives the turns whose metrics are the row's, to
/// the last digit: the final mix, label and stocks, the shares of turns in each label, the means
/// and the great power's action counts over the metrics window. Under common random numbers and
/// under --independent-seeds alike (where the stream is the run id, not the replication).
#[test]
fn a_sweep_run_replays_from_its_runs_csv_row() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = fs::canonicalize("scenarios/teaching-dyad.toml").unwrap();
    let body = "replications = 3\nmaster_seed = 5\nmetrics_from_turn = 30\n[[axes]]\npath = \"great_power.hostility\"\n\
                values = [0.3, 0.8]\n[[axes]]\npath = \"third_powers.Ally.cap\"\nvalues = [0.2, 0.6]\n";
    let spec = sweep_file(dir.path(), "replay.toml", body);
    let mut replayed = 0;
    for independent in [false, true] {
        let out = dir.path().join(format!("out-{independent}"));
        let mut args = vec!["sweep", s(&spec), "--out", s(&out), "--quiet"];
        if independent {
            args.push("--independent-seeds");
        }
        ok(&args);
        let mut runs = csv::Reader::from_path(out.join("runs.csv")).unwrap();
        let header = runs.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = runs.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 12);
        for row in [&rows[0], &rows[5], &rows[11]] {
            let get = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
            // The command manifest.json gives, `{column}` filled from the row.
            let mut replay = manifest(&out)["replay"].as_str().unwrap().to_string();
            for (name, value) in header.iter().zip(row.iter()) {
                replay = replay.replace(&format!("{{{name}}}"), value);
            }
            assert!(!replay.contains('{'), "{replay}");
            let expected = format!(
                "hedgesim run {} --seed {} --replication {} --set great_power.hostility={} --set third_powers.Ally.cap={}",
                s(&scenario),
                get("seed"),
                get("stream"),
                get("great_power.hostility"),
                get("third_powers.Ally.cap")
            );
            assert_eq!(replay, expected);
            let mut args: Vec<&str> = replay.split_whitespace().skip(1).collect();
            args.extend(["--format", "csv"]);
            let o = hedgesim(&args);
            assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
            let mut turns = csv::Reader::from_reader(&o.stdout[..]);
            let th = turns.headers().unwrap().clone();
            let turns: Vec<csv::StringRecord> = turns.records().map(|r| r.unwrap()).collect();
            let col = |name: &str| th.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
            let last = turns.last().unwrap();
            let window: Vec<&csv::StringRecord> =
                turns.iter().filter(|t| t[col("turn")].parse::<u32>().unwrap() >= 30).collect();
            let n = window.len() as f64;
            let float = |v: f64| {
                let mut s = String::new();
                hedgesim::output::push_float(&mut s, v);
                s
            };
            let mean = |name: &str| float(window.iter().map(|t| t[col(name)].parse::<f64>().unwrap()).sum::<f64>() / n);
            let count = |name: &str, value: &str| window.iter().filter(|t| &t[col(name)] == value).count();
            let mut compared = 0;
            for (i, name) in header.iter().enumerate() {
                let expected = match name {
                    "run_id" | "config_id" | "replication" | "seed" | "stream" => continue,
                    "great_power.hostility" | "third_powers.Ally.cap" => {
                        let value = |s: &str| s.parse::<f64>().unwrap();
                        assert_eq!(value(&turns[0][col(name)]), value(&row[i]), "the setting's column");
                        continue;
                    }
                    "mean_H" => mean("H"),
                    "mean_x" => mean("x"),
                    "mean_payoff" => mean("payoff"),
                    _ if name.starts_with("share_") => float(count("label", &name["share_".len()..]) as f64 / n),
                    _ if name.starts_with("n_") => count("g_action", &name["n_".len()..]).to_string(),
                    _ => last[col(name)].to_string(),
                };
                assert_eq!(expected, &row[i], "{name} of run {} (independent seeds: {independent})", get("run_id"));
                compared += 1;
            }
            assert_eq!(compared, 13 + 4 + 3 + 4 + 2, "every metric column compared");
            assert_eq!(&last[col("seed")], get("seed"));
            replayed += 1;
        }
    }
    assert_eq!(replayed, 6);
}
