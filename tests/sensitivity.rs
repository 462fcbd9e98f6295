//! Sobol' and Morris sweeps and `hedgesim analyze`: the new designs keep every guarantee of the
//! others (thread count, shards and resume change no byte; bad files fail before any output, with
//! file, line and field), and analyze gives the same indices from a sweep and from its merged
//! shards, or a clear error.

mod common;
use common::{assert_fails, hedgesim, ok, s, sweep_file};
use std::fs;
use std::path::{Path, PathBuf};

const AXES: &str = r#"
[[axes]]
path = "great_power.hostility"
range = { from = 0.1, to = 0.9 }

[[axes]]
path = "small_state.gamma"
range = { from = 1.0, to = 12.0 }
distribution = "log-uniform"

[[axes]]
path = "beliefs.fluidity"
range = { from = 0.0, to = 0.15 }
"#;

/// A Sobol' design with second order (16 × 8 = 128 rows) and a Morris design (10 trajectories
/// of 4 rows), 3 replications each.
fn designs() -> [(&'static str, String, u64); 2] {
    let head = "replications = 3\nmaster_seed = 5\ndesign_seed = 2\nmetrics_from_turn = 60\n";
    [
        ("sobol", format!("{head}design = \"sobol\"\nsamples = 16\nsecond_order = true\n{AXES}"), 16 * 8),
        ("morris", format!("{head}design = \"morris\"\ntrajectories = 10\nlevels = 6\n{AXES}"), 10 * 4),
    ]
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn screening_designs_are_thread_shard_and_resume_invariant() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, configs) in designs() {
        let spec = sweep_file(dir.path(), &format!("{name}.toml"), &body);
        let at = |d: &str| dir.path().join(format!("{name}-{d}"));
        let (one, two) = (at("t1"), at("t2"));
        ok(&["sweep", s(&spec), "--out", s(&one), "--threads", "1", "--quiet", "--series"]);
        ok(&["sweep", s(&spec), "--out", s(&two), "--threads", "2", "--quiet", "--series"]);
        let m: serde_json::Value = serde_json::from_slice(&read(&one, "manifest.json")).unwrap();
        assert_eq!((m["design"].as_str(), m["configs"].as_u64()), (Some(name), Some(configs)));
        for f in ["runs.csv", "summary.csv", "series.csv"] {
            assert!(read(&one, f) == read(&two, f), "{name}: {f} differs between 1 and 2 threads");
        }
        // Three shards, run in reverse order, merge into the whole.
        let shards: Vec<PathBuf> = (0..3).map(|i| at(&format!("shard{i}"))).collect();
        for (i, d) in shards.iter().enumerate().rev() {
            ok(&["sweep", s(&spec), "--out", s(d), "--shard", &format!("{i}/3"), "--quiet", "--series"]);
        }
        let merged = at("merged");
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(|p| s(p)));
        args.extend(["--out", s(&merged)]);
        ok(&args);
        for f in ["runs.csv", "summary.csv", "series.csv"] {
            assert!(read(&one, f) == read(&merged, f), "{name}: merged {f} differs from the whole sweep");
        }
        // A sweep cut part-way resumes to the same files.
        let runs = read(&one, "runs.csv");
        let cut = at("cut");
        fs::create_dir(&cut).unwrap();
        fs::write(cut.join("runs.csv.partial"), &runs[..runs.len() * 2 / 5]).unwrap();
        // The series file runs ahead of runs.csv (it is flushed first).
        let series = read(&one, "series.csv");
        fs::write(cut.join("series.csv.partial"), &series[..series.len() / 2]).unwrap();
        fs::write(cut.join("manifest.partial.json"), read(&one, "manifest.json")).unwrap();
        ok(&["sweep", s(&spec), "--out", s(&cut), "--quiet", "--series", "--resume"]);
        for f in ["runs.csv", "summary.csv", "series.csv"] {
            assert!(read(&one, f) == read(&cut, f), "{name}: resumed {f} differs");
        }
        // analyze gives the same bytes on the whole sweep and on the merge of its shards.
        ok(&["analyze", s(&one), "--bootstrap", "200"]);
        ok(&["analyze", s(&merged), "--bootstrap", "200"]);
        for f in ["sensitivity.csv", "sensitivity.json"] {
            assert!(read(&one, f) == read(&merged, f), "{name}: {f} differs between the sweep and the merge");
        }
    }
}

/// The design's rows reach the runs: every Sobol' value lies within its range, and each Morris
/// step moves one parameter between two of its levels.
#[test]
fn screening_designs_reach_the_runs_within_their_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let [(_, sobol, _), (_, morris, _)] = designs();
    let ranges = [(0.1, 0.9), (1.0, 12.0), (0.0, 0.15)];
    for (name, body) in [("sobol", sobol), ("morris", morris)] {
        let spec = sweep_file(dir.path(), &format!("{name}.toml"), &body);
        let out = dir.path().join(name);
        ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
        let summary = String::from_utf8(read(&out, "summary.csv")).unwrap();
        let rows: Vec<Vec<f64>> = summary
            .lines()
            .skip(1)
            .map(|l| l.split(',').skip(1).take(3).map(|v| v.parse().unwrap()).collect())
            .collect();
        for r in &rows {
            for (v, (lo, hi)) in r.iter().zip(ranges) {
                assert!((lo..=hi).contains(v), "{name}: {v} outside [{lo}, {hi}]");
            }
        }
        if name == "morris" {
            for t in rows.chunks(4) {
                for w in t.windows(2) {
                    let moved = (0..3).filter(|&i| w[0][i] != w[1][i]).count();
                    assert_eq!(moved, 1, "{name}: a step moved {moved} parameters: {w:?}");
                }
            }
            // Six levels: every value of hostility is one of 0.1 + 0.8·k/5.
            for r in &rows {
                let k = (r[0] - 0.1) / 0.8 * 5.0;
                assert!((k - k.round()).abs() < 1e-9, "hostility {} is not on the grid", r[0]);
            }
        }
    }
}

#[test]
fn bad_screening_sweeps_fail_before_any_output_with_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let axis = "[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n";
    let cases = [
        ("not_power_of_two", format!("design = \"sobol\"\nsamples = 1000\n{axis}"), vec![":4:11:", "samples", "power of two"]),
        ("no_samples", format!("design = \"sobol\"\n{axis}"), vec!["design", "samples = N"]),
        (
            "zero_width",
            "design = \"sobol\"\nsamples = 64\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.4, to = 0.4 }\n"
                .to_string(),
            vec![":7:9:", "axes[0].range", "zero width"],
        ),
        (
            "too_many_runs",
            format!("design = \"sobol\"\nsamples = 65536\nreplications = 10000\n{axis}"),
            vec![":5:16:", "replications", "196608 configurations × 10000 replications", "limit of 1000000000"],
        ),
        ("odd_levels", format!("design = \"morris\"\ntrajectories = 10\nlevels = 5\n{axis}"), vec!["levels", "even"]),
        ("no_trajectories", format!("design = \"morris\"\n{axis}"), vec!["design", "trajectories"]),
        (
            "values_axis",
            "design = \"morris\"\ntrajectories = 4\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.1, 0.2]\n"
                .to_string(),
            vec!["axes[0].path", "range"],
        ),
        (
            "steps",
            "design = \"sobol\"\nsamples = 8\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9, steps = 3 }\n"
                .to_string(),
            vec!["axes[0].range", "no `steps`"],
        ),
        (
            "out_of_field",
            "design = \"sobol\"\nsamples = 8\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 1.9 }\n"
                .to_string(),
            vec!["axes[0].range", "1.9"],
        ),
        (
            "normal_no_sd",
            format!("design = \"sobol\"\nsamples = 8\n{axis}distribution = \"normal\"\nmean = 0.5\n"),
            vec!["axes[0].distribution", "sd"],
        ),
        (
            "log_below_zero",
            "design = \"sobol\"\nsamples = 8\n[[axes]]\npath = \"beliefs.fluidity\"\nrange = { from = 0.0, to = 0.1 }\ndistribution = \"log-uniform\"\n"
                .to_string(),
            vec!["axes[0].distribution", "above 0"],
        ),
        (
            "unknown_distribution",
            format!("design = \"sobol\"\nsamples = 8\n{axis}distribution = \"beta\"\n"),
            vec!["axes[0].distribution", "unknown distribution `beta`"],
        ),
        (
            "distribution_on_lhs",
            format!("design = \"lhs\"\nsamples = 8\n{axis}distribution = \"uniform\"\n"),
            vec!["axes[0].distribution", "only used with design = \"sobol\" or \"morris\""],
        ),
        ("second_order_on_morris", format!("design = \"morris\"\ntrajectories = 4\nsecond_order = true\n{axis}"), vec!["second_order"]),
        ("levels_on_grid", "levels = 4\n".to_string(), vec!["levels", "only used with design = \"morris\""]),
        ("no_axes", "design = \"sobol\"\nsamples = 8\n".to_string(), vec!["design", "at least one"]),
        (
            "downwards",
            "design = \"morris\"\ntrajectories = 4\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.9, to = 0.1 }\n"
                .to_string(),
            vec!["axes[0].range", "must be below `to`"],
        ),
    ];
    for (name, body, expected) in cases {
        let path = sweep_file(dir.path(), &format!("{name}.toml"), &body);
        let out_dir = dir.path().join(format!("{name}-out"));
        let out = hedgesim(&["sweep", s(&path), "--out", s(&out_dir)]);
        let mut parts = vec![s(&path)];
        parts.extend(expected.iter().copied());
        assert_fails(&out, 1, &parts);
        assert!(!out_dir.exists(), "{name}: an output folder was created before the file was validated");
    }
}

#[test]
fn analyze_writes_indices_per_metric_and_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let [(_, sobol, _), (_, morris, _)] = designs();
    for (name, body) in [("sobol", sobol), ("morris", morris)] {
        let spec = sweep_file(dir.path(), &format!("{name}.toml"), &body);
        let out = dir.path().join(name);
        ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
        // Before analyze, the report says how to get the indices; after, it charts them.
        let report = dir.path().join(format!("{name}.html"));
        ok(&["report", s(&out), "-o", s(&report)]);
        let html = fs::read_to_string(&report).unwrap();
        assert!(html.contains("Which parameters drive the outcome") && html.contains("hedgesim analyze"), "{name}");
        assert!(!html.contains("<h3>mean_H</h3>"));
        let run = hedgesim(&["analyze", s(&out), "--metric", "mean_H", "--metric", "mean_x", "--bootstrap", "100"]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let text = String::from_utf8(run.stdout).unwrap();
        assert!(text.contains("mean_H (seed noise") && text.contains("small_state.gamma"), "{text}");
        let csv = String::from_utf8(read(&out, "sensitivity.csv")).unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("metric,index,parameter,parameter2,value,conf,ci_lo,ci_hi,seed_noise_share"));
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        // 9 rows per metric either way. Sobol': S1 and ST of 3 parameters, S2 of 3 pairs; Morris:
        // mu, mu_star and sigma of 3 parameters.
        assert_eq!(rows.len(), 2 * 9, "{csv}");
        let indices: Vec<&str> = rows.iter().map(|r| r[1]).collect();
        let expected: &[&str] = if name == "sobol" { &["S1", "ST", "S2"] } else { &["mu", "mu_star", "sigma"] };
        assert!(expected.iter().all(|i| indices.iter().filter(|&&x| x == *i).count() == 6), "{csv}");
        for r in &rows {
            let value: f64 = r[4].parse().unwrap();
            assert!(value.is_finite());
            if !r[5].is_empty() {
                let (conf, lo, hi): (f64, f64, f64) =
                    (r[5].parse().unwrap(), r[6].parse().unwrap(), r[7].parse().unwrap());
                assert!(
                    conf >= 0.0 && (lo - (value - conf)).abs() < 1e-12 && (hi - (value + conf)).abs() < 1e-12,
                    "{r:?}"
                );
            }
            let noise: f64 = r[8].parse().unwrap();
            assert!((0.0..=1.0).contains(&noise), "{r:?}");
        }
        let json: serde_json::Value = serde_json::from_slice(&read(&out, "sensitivity.json")).unwrap();
        assert_eq!(json["design"]["name"], name);
        assert_eq!(json["metrics"].as_array().unwrap().len(), 2);
        assert_eq!(json["replications"], 3);
        ok(&["report", s(&out), "-o", s(&report)]);
        let html = fs::read_to_string(&report).unwrap();
        for metric in ["mean_H", "mean_x"] {
            let panel =
                html.split(&format!("<h3>{metric}</h3>")).nth(1).unwrap_or_else(|| panic!("{name}: no {metric} panel"));
            let panel = panel.split("</figure>").next().unwrap();
            // A dot for each of two indices of three parameters, every one with a value.
            assert_eq!(panel.matches("<circle").count(), 6, "{name} {metric}");
        }
        // Analyzing again gives the same bytes: the bootstrap is seeded.
        let first = read(&out, "sensitivity.json");
        ok(&["analyze", s(&out), "--metric", "mean_H", "--metric", "mean_x", "--bootstrap", "100"]);
        assert!(first == read(&out, "sensitivity.json"));
    }
}

/// A metric that never varies (no run ends bandwagoning here) has no indices: its cells are
/// empty, not NaN, and the report still draws.
#[test]
fn a_metric_that_does_not_vary_gets_empty_indices() {
    let dir = tempfile::tempdir().unwrap();
    let [(_, sobol, _), _] = designs();
    let spec = sweep_file(dir.path(), "sobol.toml", &sobol);
    let out = dir.path().join("sobol");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let metric = "share_bandwagoning";
    let runs = String::from_utf8(read(&out, "runs.csv")).unwrap();
    let c = runs.lines().next().unwrap().split(',').position(|c| c == metric).unwrap();
    let values: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(c).unwrap()).collect();
    assert!(values.windows(2).all(|w| w[0] == w[1]), "{metric} varies in this sweep; the test needs one that does not");
    ok(&["analyze", s(&out), "--metric", metric, "--bootstrap", "20"]);
    let csv = String::from_utf8(read(&out, "sensitivity.csv")).unwrap();
    for line in csv.lines().skip(1) {
        assert!(line.ends_with(",,,,,"), "{line}");
        assert!(!line.contains("NaN"), "{line}");
    }
    let json = String::from_utf8(read(&out, "sensitivity.json")).unwrap();
    assert!(json.contains("null") && !json.contains("NaN"));
    ok(&["report", s(&out), "-o", s(&dir.path().join("r.html"))]);
}

#[test]
fn analyze_refuses_what_it_cannot_analyse() {
    let dir = tempfile::tempdir().unwrap();
    let [(_, sobol, _), _] = designs();
    let spec = sweep_file(dir.path(), "sobol.toml", &sobol);
    let out = dir.path().join("sobol");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    assert_fails(&hedgesim(&["analyze", s(&out), "--metric", "mean_Q"]), 1, &["--metric mean_Q", "share_hedging"]);
    assert_fails(&hedgesim(&["analyze", s(dir.path())]), 1, &["not a finished sweep folder"]);
    // A shard is part of the runs.
    let shard = dir.path().join("shard");
    ok(&["sweep", s(&spec), "--out", s(&shard), "--shard", "0/2", "--quiet"]);
    assert_fails(&hedgesim(&["analyze", s(&shard)]), 1, &["shard 0/2", "hedgesim merge"]);
    // A grid has no indices.
    let grid = sweep_file(
        dir.path(),
        "grid.toml",
        "replications = 2\n[[axes]]\npath = \"small_state.gamma\"\nvalues = [2.0, 4.0]\n",
    );
    let grid_out = dir.path().join("grid");
    ok(&["sweep", s(&grid), "--out", s(&grid_out), "--quiet"]);
    assert_fails(&hedgesim(&["analyze", s(&grid_out)]), 1, &["grid design", "sobol"]);
    // The sweep file changed since: refused, and --sweep with the file it ran works.
    let original = fs::read(&spec).unwrap();
    fs::write(&spec, [original.as_slice(), b"\n# edited\n"].concat()).unwrap();
    assert_fails(&hedgesim(&["analyze", s(&out)]), 1, &["is not the sweep file", "--sweep FILE"]);
    let kept = dir.path().join("kept.toml");
    fs::write(&kept, &original).unwrap();
    ok(&["analyze", s(&out), "--sweep", s(&kept), "--bootstrap", "50"]);
    // A runs.csv with a run missing names the file and the line.
    let runs = String::from_utf8(read(&out, "runs.csv")).unwrap();
    let cut: Vec<&str> = runs.lines().enumerate().filter(|(i, _)| *i != 5).map(|(_, l)| l).collect();
    fs::write(out.join("runs.csv"), cut.join("\n") + "\n").unwrap();
    assert_fails(
        &hedgesim(&["analyze", s(&out), "--sweep", s(&kept)]),
        1,
        &["runs.csv:", "configuration 1 has 2 runs"],
    );
}
