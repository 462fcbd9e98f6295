//! Resource limits: a file that asks for too much is refused before anything runs, and the error
//! names the file, the line, the field, the size asked for and the limit. README's table of
//! limits quotes the same constants.

mod common;
use common::sweep_text;
use hedgesim::FromFile;
use hedgesim::input::{MAX_INPUT_BYTES, MAX_TABLE_BYTES};
use hedgesim::scenario::{MAX_EVENTS, MAX_INNER_STEPS, MAX_SIGNAL, MAX_THIRD_POWERS, MAX_TURNS, Scenario};
use hedgesim::sweep::estimate::MAX_OUTPUT_BYTES;
use hedgesim::sweep::spec::{MAX_AXES, MAX_AXIS_VALUES, MAX_DESIGN_VALUES, MAX_REPLICATIONS, MAX_RUNS, MAX_SAMPLES};
use hedgesim::sweep::{FileResolver, SweepSpec};
use std::fmt::Write as _;
use std::path::Path;

/// Validate sweep text as `dir/limits.toml`, over the bundled teaching dyad; return the error.
fn sweep_error(dir: &Path, body: &str) -> String {
    let path = dir.join("limits.toml");
    match SweepSpec::parse(&sweep_text(body), &path, &FileResolver::beside(&path)) {
        Ok(_) => panic!("accepted:\n{body}"),
        Err(e) => e.to_string(),
    }
}

fn assert_has(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "expected `{p}` in: {msg}");
    }
}

#[test]
fn too_many_axes() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for i in 0..=MAX_AXES {
        write!(body, "[[axes]]\npath = \"doctrine.PB.ret{i}\"\nvalues = [0.0]\n").unwrap();
    }
    let msg = sweep_error(dir.path(), &body);
    // The first axis over the limit is axis 100, whose header is on line 3 + 3 × 100.
    let line = 3 + 3 * MAX_AXES;
    assert_has(&msg, &["limits.toml", &format!(":{line}:"), "axes[100]", "101 axes", "limit of 100"]);
}

#[test]
fn too_many_values_on_one_axis() {
    let dir = tempfile::tempdir().unwrap();
    let steps = MAX_AXIS_VALUES + 1;
    let msg = sweep_error(
        dir.path(),
        &format!("[[axes]]\npath = \"great_power.hostility\"\nrange = {{ from = 0.0, to = 1.0, steps = {steps} }}\n"),
    );
    assert_has(&msg, &["limits.toml:5:", "axes[0].range", &format!("got {steps}"), "1 to 1000000"]);

    let values = vec!["0.5"; MAX_AXIS_VALUES as usize + 1].join(",");
    let msg = sweep_error(dir.path(), &format!("[[axes]]\npath = \"great_power.hostility\"\nvalues = [{values}]\n"));
    assert_has(&msg, &["limits.toml:5:", "axes[0].values", "1000001 values", "limit of 1000000 per axis"]);
}

#[test]
fn too_many_values_in_a_design() {
    let dir = tempfile::tempdir().unwrap();
    // A zip of 11 axes of a million values: 11 million numbers.
    let mut body = "design = \"zip\"\nreplications = 1\n".to_string();
    for c in ["PB", "IB", "DD", "EP", "BE", "LB", "PW"].iter().take(6) {
        write!(body, "[[axes]]\npath = \"doctrine.{c}.ret\"\nrange = {{ from = 0.0, to = 1.0, steps = 1000000 }}\n")
            .unwrap();
    }
    for c in ["PB", "IB", "DD", "EP", "BE"] {
        write!(body, "[[axes]]\npath = \"doctrine.{c}.prov\"\nrange = {{ from = 0.0, to = 1.0, steps = 1000000 }}\n")
            .unwrap();
    }
    let msg = sweep_error(dir.path(), &body);
    assert_has(&msg, &["limits.toml:5:", "axes", "11000000 values", "limit of 10000000"]);

    // A Latin hypercube of the most samples over 11 axes: 11 million numbers.
    let samples = MAX_SAMPLES;
    let mut body = format!("design = \"lhs\"\nsamples = {samples}\nreplications = 1\n");
    for c in ["PB", "IB", "DD", "EP", "BE", "LB", "PW"] {
        write!(body, "[[axes]]\npath = \"doctrine.{c}.ret\"\nrange = {{ from = 0.0, to = 1.0 }}\n").unwrap();
    }
    for c in ["PB", "IB", "DD", "EP"] {
        write!(body, "[[axes]]\npath = \"doctrine.{c}.prov\"\nrange = {{ from = 0.0, to = 1.0 }}\n").unwrap();
    }
    let msg = sweep_error(dir.path(), &body);
    assert_has(
        &msg,
        &["limits.toml:4:11:", "samples", "1000000 samples × 11 axes = 11000000 values", "limit of 10000000"],
    );
    // More samples than the limit: refused before a hypercube is drawn (10⁷ samples took 630 MB).
    let msg = sweep_error(
        dir.path(),
        &format!(
            "design = \"lhs\"\nsamples = {}\nreplications = 1\n[[axes]]\npath = \"great_power.hostility\"\nrange = {{ from = 0.0, to = 1.0 }}\n",
            samples + 1
        ),
    );
    assert_has(&msg, &["limits.toml:4:11:", "samples", "1000001"]);
}

#[test]
fn too_many_runs() {
    let dir = tempfile::tempdir().unwrap();
    let msg = sweep_error(
        dir.path(),
        &format!(
            "replications = {MAX_REPLICATIONS}\n[[axes]]\npath = \"great_power.hostility\"\n\
             range = {{ from = 0.0, to = 1.0, steps = 101 }}\n"
        ),
    );
    assert_has(
        &msg,
        &[
            "limits.toml:3:16:",
            "replications",
            "101 configurations × 10000000 replications = 1010000000 runs",
            "limit of 1000000000",
            "fewer replications",
        ],
    );
    // Without `replications`, the error points at what makes the configurations: the axes.
    let mut body = String::new();
    for path in ["great_power.hostility", "great_power.focus", "small_state.cap", "small_state.mil"] {
        write!(body, "[[axes]]\npath = \"{path}\"\nrange = {{ from = 0.0, to = 1.0, steps = 1000 }}\n").unwrap();
    }
    let msg = sweep_error(dir.path(), &body);
    assert_has(&msg, &["limits.toml:3:", "axes", "1000000000000 configurations × 100 replications"]);
}

#[test]
fn too_many_table_columns() {
    let dir = tempfile::tempdir().unwrap();
    let header: Vec<String> = (0..=MAX_AXES).map(|i| format!("doctrine.PB.ret{i}")).collect();
    std::fs::write(dir.path().join("wide.csv"), format!("{}\n", header.join(","))).unwrap();
    let msg = sweep_error(dir.path(), "design = \"table\"\ncsv = \"wide.csv\"\n");
    assert_has(&msg, &["wide.csv:1:101:", "101 parameters", "limit of 100 axes"]);
}

/// An endless input (`/dev/zero`) or a FIFO with no writer is refused before it is opened, not
/// read up to the limit (or waited on forever); a regular file over the limit is refused by its
/// size, before its bytes are read.
#[test]
fn an_endless_input_file_is_refused() {
    let e = Scenario::from_file(Path::new("/dev/zero")).unwrap_err().to_string();
    assert_has(&e, &["/dev/zero", "not a regular file", "save it to a file first"]);
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("zero.toml");
    std::fs::write(&sweep, "format = 1\nscenario = \"/dev/zero\"\n").unwrap();
    let e = SweepSpec::from_file(&sweep).unwrap_err().to_string();
    assert_has(&e, &["zero.toml:2:12:", "scenario", "/dev/zero", "not a regular file"]);
    let table = dir.path().join("zero-table.toml");
    std::fs::write(&table, sweep_text("design = \"table\"\ncsv = \"/dev/zero\"\n")).unwrap();
    let e = SweepSpec::from_file(&table).unwrap_err().to_string();
    assert_has(&e, &["csv", "/dev/zero", "not a regular file"]);

    let fifo = dir.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let e = Scenario::from_file(&fifo).unwrap_err().to_string();
    assert_has(&e, &["fifo.toml", "not a regular file"]);

    let big = dir.path().join("big.toml");
    std::fs::File::create(&big).unwrap().set_len(MAX_INPUT_BYTES + 1).unwrap();
    let e = Scenario::from_file(&big).unwrap_err().to_string();
    assert_has(&e, &["big.toml", "larger than 64.00 MB, the limit"]);
}

/// Element counts are checked by a scan of the text before it is parsed: three times the events
/// limit, or an array of millions of numbers, is refused at the line that crosses the limit.
#[test]
fn element_counts_are_checked_before_parsing() {
    let mut text = "[meta]\nname = \"x\"\n".to_string();
    for _ in 0..3 * MAX_EVENTS {
        text.push_str("[[events]]\nturn = 1\n");
    }
    let msg = scenario_error(&text);
    assert_has(&msg, &[&format!("limits.toml:{}:", 3 + 2 * MAX_EVENTS), "events[10000]", "limit of 10000"]);
    let values = vec!["0.5"; hedgesim::input::MAX_VALUES + 1].join(",");
    let msg = scenario_error(&format!("[meta]\nname = \"x\"\n[beliefs]\nprior_hostility = [{values}]\n"));
    assert_has(&msg, &["limits.toml:4:", "more than 2000000 values", "design table"]);
}

fn scenario_error(text: &str) -> String {
    match Scenario::parse(text, Path::new("limits.toml")) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn too_many_third_powers_and_events() {
    let mut text = "[meta]\nname = \"x\"\n".to_string();
    for i in 0..=MAX_THIRD_POWERS {
        write!(text, "[[third_powers]]\nname = \"P{i}\"\n").unwrap();
    }
    let msg = scenario_error(&text);
    let line = 3 + 2 * MAX_THIRD_POWERS;
    assert_has(&msg, &[&format!("limits.toml:{line}:"), "third_powers[100]", "101 third powers", "limit of 100"]);

    let mut text = "[meta]\nname = \"x\"\n".to_string();
    for _ in 0..=MAX_EVENTS {
        text.push_str("[[events]]\nturn = 1\n");
    }
    let msg = scenario_error(&text);
    let line = 3 + 2 * MAX_EVENTS;
    assert_has(&msg, &[&format!("limits.toml:{line}:"), "events[10000]", "10001 events", "limit of 10000"]);
}

/// README's table of limits quotes every constant (one source of truth, quoted and tested).
#[test]
fn readme_lists_every_limit() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme.split("### Limits").nth(1).expect("README has a `### Limits` section");
    let with_commas = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let limits: [(&str, u64); 14] = [
        ("size of a scenario or sweep file", MAX_INPUT_BYTES),
        ("size of a design table", MAX_TABLE_BYTES),
        ("`meta.turns`", u64::from(MAX_TURNS)),
        ("`decision.inner_steps`", u64::from(MAX_INNER_STEPS)),
        ("third powers", MAX_THIRD_POWERS as u64),
        ("events in a scenario", MAX_EVENTS as u64),
        ("signals", MAX_SIGNAL as u64),
        ("`replications`", u64::from(MAX_REPLICATIONS)),
        ("`samples`", u64::from(MAX_SAMPLES)),
        ("axes (", MAX_AXES as u64),
        ("values of one axis", u64::from(MAX_AXIS_VALUES)),
        ("numbers a design holds", MAX_DESIGN_VALUES),
        ("runs in one sweep", MAX_RUNS),
        ("output of one sweep", MAX_OUTPUT_BYTES / 1_000_000_000),
    ];
    for (label, value) in limits {
        let row = section
            .lines()
            .find(|l| l.starts_with('|') && l.contains(label))
            .unwrap_or_else(|| panic!("README's limits table has no row for {label}"));
        assert!(row.contains(&with_commas(value)), "README's row for {label} should say {}: {row}", with_commas(value));
    }
}
