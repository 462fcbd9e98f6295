//! `hedgesim report`: one self-contained HTML file, well-formed, one SVG per chart, no script and
//! nothing fetched from a network; for a scenario (one run or many) and for a sweep folder.

mod common;
use common::{hedgesim, ok, s, sweep_file};

/// Check that every tag is closed in order (HTML void elements and `<…/>` excepted).
fn assert_well_formed(html: &str) {
    const VOID: &[&str] = &["meta", "br", "img", "input", "link", "hr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("an unterminated tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            if !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
}

fn check_page(html: &str, charts: usize) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_well_formed(html);
    assert_eq!(html.matches("<svg").count(), charts, "one SVG per chart");
    assert_eq!(html.matches("<figure>").count(), charts);
    assert!(!html.contains("<script"), "no JavaScript");
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"), "nothing fetched from a network");
}

fn report(input: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let mut args = vec!["report", input, "-o", out.to_str().unwrap()];
    args.extend(extra);
    let o = hedgesim(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn scenario_reports_for_every_bundled_scenario() {
    for f in ["scenarios/teaching-dyad.toml", "scenarios/azerbaijan-russia.toml", "scenarios/belarus-russia.toml"] {
        let one = report(f, &[]);
        check_page(&one, 4);
        let many = report(f, &["--runs", "20"]);
        check_page(&many, 5);
        assert!(many.contains("10–90%"));
        // The belief band says which band it is: the state's own uncertainty for one run, the
        // spread across runs for many.
        assert!(one.contains("the band is the state's own uncertainty") && !one.contains("spread of that mean"));
        assert!(many.contains("spread of that mean across the runs") && many.contains("<em>not</em> the state"));
    }
    // Events appear as a numbered list under the mix, in order.
    let az = report("scenarios/azerbaijan-russia.toml", &[]);
    let georgia = az.find("Russia–Georgia war").unwrap();
    let crimea = az.find("Crimea annexed").unwrap();
    assert!(georgia < crimea);
    for name in ["pure balancing", "dominance denial", "economic pragmatism", "pure bandwagoning", "hedging", "coerce"]
    {
        assert!(az.contains(name), "the key names `{name}`");
    }
}

#[test]
fn sweep_folder_report_has_phase_diagrams_and_response_curves() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(
        dir.path(),
        "s.toml",
        "replications = 10\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.2, 0.5, 0.8]\n\
         [[axes]]\npath = \"small_state.gamma\"\nvalues = [2.0, 6.0]\n",
    );
    let out = dir.path().join("out");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let html = report(s(&out), &[]);
    // Two heatmaps and one response curve per axis.
    check_page(&html, 4);
    assert!(html.contains("Phase diagram") && html.contains("Response of hedging intensity to risk aversion γ"));
    assert!(html.contains("Response of hedging intensity to great-power hostility θ*"));
    assert!(html.contains("95% confidence interval"));
    // The title names the parameters, not a file path.
    assert!(html.contains("<h1>Sweep: hedging across great-power hostility θ* × risk aversion γ</h1>"));
    assert!(!html.contains(&format!("<h1>Sweep: {}", s(&spec))));
    // Both response curves are split by the other axis.
    assert!(html.contains("risk aversion γ = 2") && html.contains("great-power hostility θ* = 0.5"));
}

/// Sampled designs get a page of binned response plots, one per axis, not an empty page.
#[test]
fn lhs_and_table_sweeps_get_binned_response_plots() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("design.csv");
    let mut csv = String::from("great_power.hostility,small_state.gamma\n");
    for i in 0..12 {
        csv += &format!("{},{}\n", 0.1 + 0.07 * f64::from(i), 1.0 + f64::from((i * 5) % 12));
    }
    std::fs::write(&table, csv).unwrap();
    for (name, design) in [
        ("lhs", "design = \"lhs\"\nsamples = 12\ndesign_seed = 3\n[[axes]]\npath = \"great_power.hostility\"\nrange = { from = 0.1, to = 0.9 }\n[[axes]]\npath = \"small_state.gamma\"\nrange = { from = 1.0, to = 12.0 }\n".to_string()),
        ("table", format!("design = \"table\"\ncsv = {:?}\n", table.display().to_string())),
    ] {
        let spec = sweep_file(dir.path(), &format!("{name}.toml"), &format!("replications = 4\n{design}"));
        let out = dir.path().join(name);
        ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
        let html = report(s(&out), &[]);
        check_page(&html, 2);
        assert!(html.contains("Response to great-power hostility θ*") && html.contains("Response to risk aversion γ"), "{name}");
        assert!(html.contains("bins of equal width") && html.contains("main effect"), "{name}");
    }
}

/// A scenario without dated events is not told to look for event lines.
#[test]
fn a_scenario_without_events_mentions_no_event_lines() {
    let html = report("scenarios/teaching-dyad.toml", &[]);
    assert!(html.contains("no dated events") && !html.contains("Numbered lines"));
    let az = report("scenarios/azerbaijan-russia.toml", &[]);
    assert!(az.contains("Numbered lines are the events listed below"));
}

#[test]
fn report_errors_are_clear_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = hedgesim(&["report", dir.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("manifest.json"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
}

/// `report --runs` keeps only what its bands need (24 bytes per run and turn) and refuses, before
/// running anything, a report whose bands would not fit in its memory limit, naming the largest
/// `--runs` that fits (1,000 seeds × 100,000 turns used to abort on an allocation of 18 GB).
#[test]
fn report_seeds_beyond_the_memory_limit_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("long.toml");
    std::fs::write(&scenario, "[meta]\nname = \"long\"\nturns = 100000\n").unwrap();
    let out = dir.path().join("r.html");
    let o = hedgesim(&["report", s(&scenario), "-o", s(&out), "--runs", "1000"]);
    common::assert_fails(&o, 1, &["--runs 1000", "1000 runs × 100000 turns", "2.4 GB", "use --runs 833 or fewer"]);
    assert!(!out.exists());
    assert_eq!(hedgesim::report::html::band_memory(833, 100_000), 1_999_200_000);
    assert!(hedgesim::report::html::band_memory(834, 100_000) > hedgesim::report::html::REPORT_MEMORY_LIMIT);
}

/// A summary.csv with a non-finite value (an edited or damaged file) is refused with the file,
/// the line and the column; an infinite axis value used to make `report DIR` spin forever inside
/// the chart library.
#[test]
fn report_refuses_non_finite_summary_values_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(
        dir.path(),
        "s.toml",
        "replications = 3\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.2, 0.5]\n\
         [[axes]]\npath = \"small_state.gamma\"\nvalues = [2.0, 6.0]\n",
    );
    let out = dir.path().join("out");
    ok(&["sweep", s(&spec), "--out", s(&out), "--quiet"]);
    let summary = out.join("summary.csv");
    let text = std::fs::read_to_string(&summary).unwrap();
    for (bad, column) in [("inf", "small_state.gamma"), ("NaN", "small_state.gamma"), ("x", "small_state.gamma")] {
        // Line 3 is the second configuration: hostility 0.2, gamma 6.
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
        cells[2] = bad.to_string();
        lines[2] = cells.join(",");
        std::fs::write(&summary, lines.join("\n") + "\n").unwrap();
        let html = dir.path().join("r.html");
        let o = hedgesim(&["report", s(&out), "-o", s(&html)]);
        common::assert_fails(&o, 1, &["summary.csv:3", &format!("column `{column}`"), &format!("`{bad}`"), "finite"]);
        assert!(!html.exists());
    }
}
