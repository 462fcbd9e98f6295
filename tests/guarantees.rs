//! The README's guarantees, from the command line: no output written onto an input, finalisation
//! that a stop between any two steps leaves resumable, merges that lock and never mix folders,
//! interruptions that clean up and say how to go on, no stale lock files, bounded threads.
//!
//! The step-by-step fault injection (an I/O error at each flush, fsync, rename and removal of a
//! sweep, a merge and an atomic file) is in the library's own tests (`src/sweep/exec.rs`,
//! `src/sweep/merge.rs`, `src/output.rs`), where the fault hook is compiled in.

mod common;
use common::{assert_fails, hedgesim, ok, s, sweep_file};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hedgesim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait (polling, no time limit that could fail a slow machine) until `cond` holds or the child
/// has exited; true if the child is still running.
fn wait_until(child: &mut Child, cond: impl Fn() -> bool) -> bool {
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

fn signal(child: &Child, sig: &str) {
    let st = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
    assert!(st.success());
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

const GRID: &str =
    "replications = 5\nmaster_seed = 2\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.3, 0.8]\n";

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    fs::copy("scenarios/teaching-dyad.toml", &a).unwrap();
    let original = fs::read(&a).unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let dotted = format!("{}/./a.toml", dir.path().display());
    for out in [s(&a), s(&link), dotted.as_str()] {
        let o = hedgesim(&["run", s(&a), "--format", "csv", "--out", out]);
        assert_fails(&o, 1, &[out, "would destroy it", "choose another output"]);
        let o = hedgesim(&["report", s(&a), "-o", out]);
        assert_fails(&o, 1, &[out, "would destroy it"]);
        assert!(fs::read(&a).unwrap() == original, "the scenario was replaced through {out}");
    }
    // A sweep folder's own files are not report outputs either; a new file beside them is fine.
    let spec = sweep_file(dir.path(), "g.toml", GRID);
    let folder = dir.path().join("out");
    ok(&["sweep", s(&spec), "--out", s(&folder), "--quiet"]);
    let summary = read(&folder, "summary.csv");
    for name in ["summary.csv", "runs.csv", "manifest.json"] {
        let o = hedgesim(&["report", s(&folder), "-o", s(&folder.join(name))]);
        assert_fails(&o, 1, &["one of the files of the sweep folder", "write the report elsewhere"]);
    }
    assert!(read(&folder, "summary.csv") == summary);
    ok(&["report", s(&folder), "-o", s(&folder.join("report.html"))]);
    // The sweep file inside its own output folder, under a name the sweep writes.
    let inside = dir.path().join("inside");
    fs::create_dir(&inside).unwrap();
    let own = sweep_file(&inside, "runs.csv.partial", GRID);
    let o = hedgesim(&["sweep", s(&own), "--out", s(&inside), "--quiet"]);
    assert_fails(&o, 1, &["is the input", "choose another --out"]);
    assert!(fs::read_to_string(&own).unwrap().contains("replications = 5"));
}

/// The stop the issue found: finalising renamed series.csv, then stopped before runs.csv. The
/// resume must keep the series rows (it used to write a header-only series.csv and call the sweep
/// complete).
#[test]
fn a_stop_between_the_two_renames_is_resumed_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "g.toml", GRID);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet", "--series"]);
    for (renamed, pending) in [("series.csv", "runs.csv"), ("runs.csv", "series.csv")] {
        let d = dir.path().join(format!("stopped-{renamed}"));
        fs::create_dir(&d).unwrap();
        fs::write(d.join("manifest.partial.json"), read(&whole, "manifest.json")).unwrap();
        fs::write(d.join(renamed), read(&whole, renamed)).unwrap();
        fs::write(d.join(format!("{pending}.partial")), read(&whole, pending)).unwrap();
        ok(&["sweep", s(&spec), "--out", s(&d), "--quiet", "--series", "--resume"]);
        for f in ["runs.csv", "series.csv", "summary.csv"] {
            assert!(read(&whole, f) == read(&d, f), "{f} differs after a stop with {renamed} renamed");
        }
        assert_eq!(names(&d), ["manifest.json", "runs.csv", "series.csv", "summary.csv"]);
    }
}

/// A finished folder, resumed or asked again, keeps no lock file.
#[test]
fn no_lock_file_is_left_on_a_finished_folder() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "g.toml", GRID);
    let out = dir.path().join("o");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--resume"]);
    assert!(!out.join(".hedgesim.lock").exists(), "--resume on a finished folder left a lock file");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    assert!(!out.join(".hedgesim.lock").exists(), "a re-run of a finished sweep left a lock file");
    let other = sweep_file(dir.path(), "h.toml", "replications = 3\n");
    assert_fails(&hedgesim(&["sweep", s(&other), "--out", s(&out), "--quiet"]), 1, &["already holds another sweep"]);
    assert!(!out.join(".hedgesim.lock").exists(), "a refused attempt on a finished folder left a lock file");
}

fn shards(dir: &Path, spec: &Path) -> Vec<PathBuf> {
    let shards: Vec<PathBuf> = (0..2).map(|i| dir.join(format!("shard{i}"))).collect();
    for (i, d) in shards.iter().enumerate() {
        ok(&["sweep", s(spec), "--out", s(d), "--shard", &format!("{i}/2"), "--quiet", "--series"]);
    }
    shards
}

fn merge(shards: &[PathBuf], out: &Path) -> Output {
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|p| s(p)));
    args.extend(["--out", s(out)]);
    hedgesim(&args)
}

/// Merge takes the folder's lock and writes only into a new or empty folder: never into a folder
/// where a sweep runs, nor over an interrupted sweep; a failed merge leaves no folder behind.
#[test]
fn merge_locks_and_never_writes_into_a_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "g.toml", GRID);
    let shards = shards(dir.path(), &spec);

    // A sweep running in the folder.
    let big = sweep_file(dir.path(), "big.toml", "replications = 200000\n");
    let busy = dir.path().join("busy");
    let mut running = spawn(&["sweep", s(&big), "--out", s(&busy), "--quiet", "--threads", "1"]);
    assert!(wait_until(&mut running, || busy.join("manifest.partial.json").exists()), "the sweep ended early");
    let o = merge(&shards, &busy);
    running.kill().unwrap();
    running.wait().unwrap();
    assert_fails(&o, 1, &["is writing to", "choose another --out"]);
    assert!(!busy.join("manifest.json").exists() && !busy.join("summary.csv").exists());

    // The same folder, its sweep now interrupted: refused, and still resumable.
    let o = merge(&shards, &busy);
    assert_fails(&o, 1, &["unfinished sweep", "--resume"]);
    assert!(!busy.join("runs.csv").exists(), "the merge wrote into the interrupted sweep");

    // A corrupt shard: the merge fails and leaves no folder.
    let runs = shards[1].join("runs.csv");
    let text = fs::read_to_string(&runs).unwrap();
    fs::write(&runs, &text[..text.len() - 10]).unwrap();
    let out = dir.path().join("merged");
    assert_fails(&merge(&shards, &out), 1, &["incomplete or corrupt"]);
    assert!(!out.exists(), "a failed merge left a folder: {:?}", names(&out));
}

/// Ctrl-C (SIGINT) on `run --out` removes the temporary file and says so; SIGTERM on a sweep
/// keeps its runs and prints the command that resumes it, which then finishes the sweep.
#[test]
fn interruptions_clean_up_and_say_how_to_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("run.csv");
    let tmp_exists = || names(dir.path()).iter().any(|n| n.starts_with(".hedgesim-"));
    // A run can finish before the signal lands; try until one is interrupted.
    let mut interrupted = None;
    for _ in 0..20 {
        let mut child = spawn(&[
            "run",
            "scenarios/azerbaijan-russia.toml",
            "--turns",
            "100000",
            "--format",
            "jsonl",
            "--out",
            s(&csv),
        ]);
        if wait_until(&mut child, tmp_exists) {
            signal(&child, "-INT");
            interrupted = Some(child.wait_with_output().unwrap());
            break;
        }
        child.wait().unwrap();
        fs::remove_file(&csv).unwrap();
    }
    let o = interrupted.expect("no run was interrupted in 20 tries");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted; nothing was written to"), "{stderr}");
    assert!(names(dir.path()).is_empty(), "left behind: {:?}", names(dir.path()));

    let spec = sweep_file(dir.path(), "big.toml", "replications = 200000\n");
    let out = dir.path().join("o");
    let mut child = spawn(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--threads", "1"]);
    assert!(wait_until(&mut child, || fs::metadata(out.join("runs.csv.partial")).is_ok_and(|m| m.len() > 0)));
    signal(&child, "-TERM");
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{stderr}");
    let expected = format!(
        "interrupted; the runs written so far are kept: resume with `hedgesim sweep {} --out {} --resume`",
        s(&spec),
        s(&out)
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(out.join("manifest.partial.json").exists());
}

#[test]
fn threads_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "g.toml", GRID);
    let out = dir.path().join("o");
    for n in ["1000", "18446744073709551615", "0"] {
        let o = hedgesim(&["sweep", s(&spec), "--out", s(&out), "--threads", n]);
        assert_fails(&o, 2, &["--threads"]);
        assert!(!out.exists());
    }
    let o = hedgesim(&["sweep", s(&spec), "--out", s(&out), "--threads", "1000"]);
    assert_fails(&o, 2, &["at most 256 threads"]);
    let o = Command::new(env!("CARGO_BIN_EXE_hedgesim"))
        .args(["sweep", s(&spec), "--out", s(&out), "--quiet"])
        .env("RAYON_NUM_THREADS", "100000")
        .output()
        .unwrap();
    assert_fails(&o, 1, &["RAYON_NUM_THREADS=100000", "at most 256 threads"]);
    assert!(!out.exists());
    ok(&["sweep", s(&spec), "--out", s(&out), "--threads", "256", "--quiet"]);
}

/// Total compute is budgeted up front: a sweep over more turns than the limit is refused before
/// anything is written, with the count and the ways out.
#[test]
fn a_sweep_over_the_compute_budget_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("long.toml");
    fs::write(&scenario, "[meta]\nname = \"long\"\nturns = 100000\n").unwrap();
    let spec = dir.path().join("budget.toml");
    fs::write(&spec, "format = 1\nscenario = \"long.toml\"\nreplications = 200000\n").unwrap();
    let out = dir.path().join("o");
    let o = hedgesim(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    assert_fails(&o, 1, &["200000 runs × 100000 turns = 20000000000 turns", "limit of 10000000000", "--force"]);
    assert!(!out.exists(), "nothing is written before the refusal");
}

fn scenario_error(text: &str) -> String {
    match hedgesim::Scenario::parse(text, Path::new("m.toml")) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Newcomers' messages: short numbers, no echo of huge arrays, the right field,
/// printable names, and an event range that says exactly what is accepted.
#[test]
fn messages_are_short_exact_and_printable() {
    let base = "[meta]\nname = \"m\"\n";
    // Extreme floats in exponent form, not 309 digits.
    let e = scenario_error(&format!("{base}[beliefs]\nprior_hostility = [1e300, 1e-300]\n"));
    assert!(e.contains("got [1e300, 1e-300]") && e.contains("at most 1e6") && e.len() < 250, "{e}");
    // A huge array is not echoed.
    let values = vec!["0.5"; 1_500_000].join(",");
    let e = scenario_error(&format!("{base}[beliefs]\nprior_hostility = [{values}]\n"));
    assert!(e.contains("(1500000 numbers)") && e.len() < 300, "{} bytes: {}", e.len(), &e[..e.len().min(300)]);
    // Huge weights are weights, not zeros.
    let huge = hedgesim::Scenario::parse(
        &format!("{base}[small_state]\ninitial_mix = {{ PB = 1e308, PW = 1e308 }}\n"),
        Path::new("m.toml"),
    )
    .unwrap();
    let mut world = huge.world(1, 0);
    world.run(3, |r, _| assert!(r.mix.0.iter().all(|w| w.is_finite())));
    // Names are printable text on one line.
    for (table, name) in [("meta", "a\\u0000b"), ("small_state", "West\\u202Eevil"), ("great_power", "x\\u001b[31m")] {
        let text = if table == "meta" {
            format!("[meta]\nname = \"{name}\"\n")
        } else {
            format!("{base}[{table}]\nname = \"{name}\"\n")
        };
        let e = scenario_error(&text);
        assert!(e.contains(&format!("{table}.name")) && e.contains("unprintable character U+"), "{e}");
    }
    let e = scenario_error(&format!("{base}[[third_powers]]\nname = \"T\\u2066\"\n"));
    assert!(e.contains("third_powers[0].name") && e.contains("U+2066"), "{e}");
    // An event's time: the message says what is accepted.
    let clock = "[meta]\nname = \"m\"\nstart_year = 2000\nturns_per_year = 4\nturns = 12\n";
    hedgesim::Scenario::parse(&format!("{clock}[[events]]\nat = 2002.9\n"), Path::new("m.toml")).unwrap();
    let e = scenario_error(&format!("{clock}[[events]]\nat = 2003\n"));
    assert!(e.contains("cover 2000 up to (not including) 2003") && e.contains("last turn starts at 2002.75"), "{e}");

    // A sweep without `scenario` names `scenario`.
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("s.toml");
    fs::write(&sweep, "format = 1\nreplications = 3\n").unwrap();
    let e = hedgesim::sweep::SweepSpec::from_file(&sweep).unwrap_err().to_string();
    assert!(e.contains(": scenario: missing `scenario`"), "{e}");
    // Design cells with a NUL or an unterminated quote.
    let table_sweep = |csv: &[u8]| {
        fs::write(dir.path().join("t.csv"), csv).unwrap();
        fs::write(&sweep, common::sweep_text("design = \"table\"\ncsv = \"t.csv\"\n")).unwrap();
        hedgesim::sweep::SweepSpec::from_file(&sweep).unwrap_err().to_string()
    };
    let e = table_sweep(b"great_power.hostility\n0.5\0\n");
    assert!(e.contains("t.csv:2:1") && e.contains("`0.5\\0` is not a number"), "{e}");
    let e = table_sweep(b"great_power.hostility\n0.5\n\"0.3\n0.4\n");
    assert!(e.contains("t.csv:3:1") && e.contains("unterminated"), "{e}");

    // Axis values: -0 is 0, and the tiniest number is written short.
    let spec = sweep_file(
        dir.path(),
        "z.toml",
        "replications = 1\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [5e-324, -0.0]\n",
    );
    let out = dir.path().join("z");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let runs = String::from_utf8(read(&out, "runs.csv")).unwrap();
    let keys: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(5).unwrap()).collect();
    assert_eq!(keys, ["5e-324", "0"]);
}
