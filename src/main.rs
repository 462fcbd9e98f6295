//! The `hedgesim` command line: a thin shell over the library.

use anyhow::{Context, Result, anyhow, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use hedgesim::durable::{self, refuse_output_onto_input};
use hedgesim::input::InputError;
use hedgesim::output::{self, Format, RunSpec, Setting, human_bytes};
use hedgesim::scenario::Scenario;
use hedgesim::schema;
use hedgesim::sweep::{self, Shard, SweepFolder, SweepOptions, SweepSpec};
use hedgesim::vocabulary;
use std::io::IsTerminal;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The version and the commit it was built from (build.rs; `unknown` when built outside git):
/// what `--version` prints and a sweep's manifest.json records.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("HEDGESIM_COMMIT"), ")");

#[derive(Parser)]
#[command(
    name = "hedgesim",
    version = VERSION,
    about = "Agent-based simulation of small-state hedging (Kuik's risk-offset logic)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one scenario and print one row per turn.
    Run {
        /// Scenario file (TOML), or `-` to read it from standard input.
        scenario: PathBuf,
        /// Master seed (default: the scenario's `meta.seed`).
        #[arg(long)]
        seed: Option<u64>,
        #[command(flatten)]
        replay: Replay,
        /// Number of turns (default: the scenario's `meta.turns`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=hedgesim::scenario::MAX_TURNS as i64))]
        turns: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        /// Write to this file (atomically) instead of standard output (`-` is standard output).
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
    },
    /// Check scenario files without running them.
    Validate {
        /// Scenario files (TOML); `-` reads one from standard input.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Output format: text for reading, json for programs (one object per file; the exit
        /// code is 1 if any is invalid, as with text).
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Run a parameter sweep on every core: runs.csv, summary.csv and manifest.json in --out.
    Sweep {
        /// Sweep file (TOML).
        sweep: PathBuf,
        /// Output folder: new or empty, or this sweep's own (a finished one is left as it is).
        #[arg(short = 'o', long)]
        out: PathBuf,
        /// Run only the runs with run_id % N == I (for a cluster job array), as I/N.
        #[arg(long, value_parser = parse_shard, default_value = "0/1")]
        shard: Shard,
        /// Continue an interrupted sweep in --out without redoing or duplicating runs.
        #[arg(long)]
        resume: bool,
        /// Give every run its own random stream (default: common random numbers across configs).
        #[arg(long)]
        independent_seeds: bool,
        /// Also write per-turn rows to series.csv (columns: the sweep file's `series`).
        #[arg(long)]
        series: bool,
        /// Print the number of configs and runs and an estimate of time and disk, then stop.
        #[arg(long)]
        dry_run: bool,
        /// Output format of --dry-run: text for reading, json for programs.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text, requires = "dry_run")]
        format: TextOrJson,
        /// No progress bar and no closing report.
        #[arg(long)]
        quiet: bool,
        /// Worker threads, 1 to 256 (default: all cores, or RAYON_NUM_THREADS).
        #[arg(long, value_parser = parse_threads)]
        threads: Option<usize>,
        /// Run even if the output would exceed 10 GB, or the turns simulated 10,000,000,000.
        #[arg(long)]
        force: bool,
    },
    /// Check every stylized fact over a box of points: the share of each fact's points where it
    /// holds (a table on standard output), and facts.csv, summary.csv and summary.md in --out.
    Facts {
        /// The scenario the facts perturb (the teaching dyad for the calibration).
        scenario: PathBuf,
        /// The box: a sweep file whose axes and design give the points, `replications` the seeds
        /// per arm, and `[facts]` which facts (default: model v2's box, docs/calibration/box-v2.toml).
        #[arg(long = "box", value_name = "FILE")]
        box_file: Option<PathBuf>,
        /// Output folder for facts.csv, summary.csv and summary.md (created if missing).
        #[arg(short = 'o', long)]
        out: PathBuf,
        /// Hold a parameter of the scenario at one value at every point, e.g. `--set
        /// payoff.attention_scale=1` (repeatable; not one of the box's axes).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Worker threads, 1 to 256 (default: all cores, or RAYON_NUM_THREADS).
        #[arg(long, value_parser = parse_threads)]
        threads: Option<usize>,
    },
    /// Take one turn apart: beliefs, payoffs, risk-offsets, gradient, and why the state hedges.
    Explain {
        /// Scenario file (TOML), or `-` to read it from standard input.
        scenario: PathBuf,
        /// The turn to explain (0 is the first).
        #[arg(long)]
        turn: u32,
        /// Master seed (default: the scenario's `meta.seed`).
        #[arg(long)]
        seed: Option<u64>,
        #[command(flatten)]
        replay: Replay,
        /// Output format: text for reading, json for programs.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Write a self-contained HTML report (inline SVG charts) of a scenario or a finished sweep folder.
    Report {
        /// A scenario file (`-` reads it from standard input), or a sweep output folder.
        input: PathBuf,
        /// The HTML file to write (`-` is standard output).
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// For a scenario: the number of runs, replications 0..N-1 of the scenario's seed (medians
        /// and 10–90% bands when more than one). `--seeds` is the old name.
        #[arg(long, alias = "seeds", value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        runs: u32,
    },
    /// Rebuild a sweep's outputs from its finished shards, byte-identical to an unsharded sweep.
    Merge {
        /// The finished shard folders (`hedgesim sweep … --shard I/N`), all shards of one sweep.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder: new or empty, or this merge's own.
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// Sensitivity indices of a finished Sobol' or Morris sweep: sensitivity.csv and .json in DIR.
    Analyze {
        /// The sweep's --out folder (finished, or merged from its shards).
        dir: PathBuf,
        /// A metric of runs.csv to analyse (repeatable; default share_hedging, mean_H, mean_x).
        #[arg(long = "metric", value_name = "NAME")]
        metrics: Vec<String>,
        /// Bootstrap resamples for the 95% intervals.
        #[arg(long, value_name = "B", default_value_t = hedgesim::sensitivity::analyze::DEFAULT_BOOTSTRAP,
              value_parser = clap::value_parser!(u32).range(2..=i64::from(hedgesim::sensitivity::analyze::MAX_BOOTSTRAP)))]
        bootstrap: u32,
        /// The sweep file, if it is no longer where manifest.json says (it must be the same file).
        #[arg(long, value_name = "FILE")]
        sweep: Option<PathBuf>,
    },
    /// Write a commented scenario to start a case of your own: it validates and hedges as it is.
    Init {
        /// The file to write (default scenario.toml; `-` is standard output). An existing file is
        /// never overwritten.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
        /// The scenario format to write: 1 (rates per turn) or 2 (every rate per year, converted
        /// by `meta.turns_per_year`; docs/model.md §8b). Both are the same teaching dyad.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2))]
        format_version: u32,
    },
    /// Print a shell completion script: `hedgesim completions bash > ~/.local/share/bash-completion/completions/hedgesim`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `hedgesim man > hedgesim.1; man ./hedgesim.1`.
    Man,
    /// Print every parameter a scenario, an event or a sweep axis can set: path, default, range,
    /// unit, kind and meaning (the field tables of the README and docs/model.md).
    Fields {
        /// Output format.
        #[arg(long, value_enum, default_value_t = FieldsFormat::Text)]
        format: FieldsFormat,
        /// Only path, default, range and unit (the README's table).
        #[arg(long)]
        short: bool,
        /// The scenario format whose defaults and units to show: 1 (rates per turn) or 2 (every
        /// rate per year, converted by `meta.turns_per_year`; docs/model.md, "Time scale").
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2))]
        format_version: u32,
        /// Only the rates (the rows whose number depends on the time step), with how each becomes
        /// the per-turn number a turn uses.
        #[arg(long)]
        rates: bool,
    },
    /// Print the event vocabulary: each type a case names (`type = "…"` in `[[events]]`), with its
    /// fixed effects, why those numbers, and the passages behind it (docs/events.md).
    Events {
        /// Output format (json for programs: the Mesa port reads it).
        #[arg(long, value_enum, default_value_t = FieldsFormat::Text)]
        format: FieldsFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FieldsFormat {
    Markdown,
    Text,
    Json,
}

/// Which run of a seed to play, and settings on top of the scenario: what replays one run of a
/// sweep from its row in runs.csv (`--seed` = `seed`, `--replication` = `stream`, one `--set`
/// per axis column).
#[derive(clap::Args)]
struct Replay {
    /// The run of the seed to play: its random stream (default 0). To replay a sweep's run, give
    /// the `stream` column of its row in runs.csv (the replication under common random numbers,
    /// the run_id under --independent-seeds).
    #[arg(long, visible_alias = "stream", default_value_t = 0, value_name = "R")]
    replication: u64,
    /// Set a field at turn 0, as a sweep axis does: PATH as in sweep axes and events (for
    /// example small_state.gamma, third_powers.China.cap), checked against the field's range.
    /// Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
}

impl Replay {
    /// The run these flags select under `seed` (default: the scenario's), `turns` long.
    fn spec<'a>(
        &self,
        scenario: &Scenario,
        seed: Option<u64>,
        sha: &'a str,
        settings: &'a [Setting],
        turns: u32,
    ) -> RunSpec<'a> {
        RunSpec {
            seed: seed.unwrap_or(scenario.meta.seed),
            stream: self.replication,
            scenario_sha256: sha,
            settings,
            turns,
        }
    }
}

/// Most worker threads `--threads` takes: the runs are pure computation, so threads beyond the
/// cores only add switching (1,000 threads made a sweep 100 times slower); 256 leaves room for
/// the largest nodes.
const MAX_THREADS: usize = 256;

fn parse_threads(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => Ok(n),
        Ok(0) => Err("must be at least 1".into()),
        Ok(_) => Err(format!("at most {MAX_THREADS} threads; more than the cores only slows a sweep down")),
        Err(_) => Err(format!("`{s}` is not a whole number from 1 to {MAX_THREADS}")),
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s)
}

/// Text for people, JSON for programs: `explain`, `validate` and `sweep --dry-run`.
#[derive(Clone, Copy, ValueEnum)]
enum TextOrJson {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

/// The literal `-`: standard input for a scenario, standard output for `--out`.
fn is_dash(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// A scenario read and validated, with the SHA-256 of its bytes (the hash a sweep's manifest
/// gives its scenario). `-` reads standard input, up to the same size limit as a file; a path is
/// read as before, which refuses a device or a pipe given by name.
fn load_scenario(path: &Path) -> Result<(Scenario, String), InputError> {
    let (text, origin) = if is_dash(path) {
        let origin = PathBuf::from("<stdin>");
        if io::stdin().is_terminal() {
            eprintln!("reading the scenario from standard input (type or paste it, then Ctrl-D)");
        }
        let limit = hedgesim::input::MAX_INPUT_BYTES;
        let mut bytes = Vec::new();
        io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::file(&origin, format!("cannot read the scenario from standard input: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(InputError::file(
                &origin,
                format!("the scenario is larger than {}, the limit", human_bytes(limit)),
            ));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| InputError::file(&origin, "a scenario is TOML text, not binary data"))?;
        (text, origin)
    } else {
        (hedgesim::input::read_text(path, "scenario")?, path.to_path_buf())
    };
    let scenario = Scenario::parse(&text, &origin)?;
    Ok((scenario, output::sha256_hex(text.as_bytes())))
}

/// The `--set PATH=VALUE` settings, resolved and checked with the field table a sweep's axes use;
/// an error names the setting.
fn parse_settings(scenario: &Scenario, sets: &[String]) -> Result<Vec<Setting>> {
    let mut out: Vec<Setting> = Vec::new();
    for s in sets {
        let (name, value) = s
            .split_once('=')
            .ok_or_else(|| anyhow!("--set {s}: expected PATH=VALUE, for example --set great_power.hostility=0.7"))?;
        let name = name.trim();
        let path = scenario.real_field(name).map_err(|m| anyhow!("--set {name}: {m}"))?;
        let value: f64 =
            value.trim().parse().map_err(|_| anyhow!("--set {name}: `{}` is not a number", value.trim()))?;
        path.check(value).map_err(|m| anyhow!("--set {name}: {m}"))?;
        if out.iter().any(|o| o.name == name) {
            bail!("--set {name} is given twice; give each path once");
        }
        out.push(Setting { name: name.to_string(), path, value });
    }
    Ok(out)
}

/// Write to standard output through `fill`. A reader that stops early (`hedgesim run … | head`)
/// closes the pipe; that is not an error: the command stops writing and exits 0, quietly, as
/// `head` asked for no more.
fn to_stdout(fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match fill(&mut w).and_then(|()| w.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing to standard output"),
    }
}

/// Write an output file atomically, or to standard output for `-`.
fn write_output(out: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    if is_dash(out) {
        return to_stdout(fill);
    }
    output::write_atomically(out, fill)
        .map_err(|e| anyhow!("cannot write {}: {}", out.display(), output::explain_io(&e)))
}

fn run(
    scenario: PathBuf,
    seed: Option<u64>,
    replay: Replay,
    turns: Option<u32>,
    format: FormatArg,
    out: Option<PathBuf>,
) -> Result<()> {
    let out = out.filter(|p| !is_dash(p));
    if let Some(path) = &out {
        refuse_output_onto_input(path, &[&scenario]).map_err(anyhow::Error::msg)?;
        durable::set_interrupt_hint(format!("nothing was written to {}", path.display()));
    }
    let (scenario, sha) = load_scenario(&scenario)?;
    let settings = parse_settings(&scenario, &replay.set)?;
    let spec = replay.spec(&scenario, seed, &sha, &settings, turns.unwrap_or(scenario.meta.turns));
    write_output(out.as_deref().unwrap_or(Path::new("-")), |w| output::write_run(&scenario, &spec, format.into(), w))
}

fn validate(files: Vec<PathBuf>, format: TextOrJson) -> Result<()> {
    let results: Vec<_> = files.iter().map(|f| (f, load_scenario(f))).collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    match format {
        TextOrJson::Text => {
            let mut text = String::new();
            for (f, r) in &results {
                match r {
                    Ok((s, _)) => text.push_str(&format!(
                        "ok: {} — \"{}\", {} turns, {} events, {} third powers\n",
                        f.display(),
                        s.meta.name,
                        s.meta.turns,
                        s.events().len(),
                        s.third_power_names().len()
                    )),
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            to_stdout(|w| w.write_all(text.as_bytes()))?;
        }
        TextOrJson::Json => {
            let items: Vec<serde_json::Value> = results
                .iter()
                .map(|(f, r)| match r {
                    Ok((s, sha)) => serde_json::json!({
                        "file": f.display().to_string(), "ok": true, "name": s.meta.name, "turns": s.meta.turns,
                        "events": s.events().len(), "third_powers": s.third_power_names(), "scenario_sha256": sha,
                    }),
                    Err(e) => serde_json::json!({
                        "file": f.display().to_string(), "ok": false,
                        "error": {
                            "message": e.to_string(), "file": e.file.display().to_string(), "line": e.line,
                            "column": e.column, "field": e.field, "reason": e.message,
                        },
                    }),
                })
                .collect();
            let json = serde_json::to_string_pretty(&items)? + "\n";
            to_stdout(|w| w.write_all(json.as_bytes()))?;
        }
    }
    if failed > 0 {
        bail!("{failed} of {} scenario files are invalid", files.len());
    }
    Ok(())
}

fn explain_cmd(file: PathBuf, turn: u32, seed: Option<u64>, replay: Replay, format: TextOrJson) -> Result<()> {
    let (scenario, sha) = load_scenario(&file)?;
    if turn >= scenario.meta.turns {
        bail!("--turn {turn} is past the end of {}, which has turns 0 to {}", file.display(), scenario.meta.turns - 1);
    }
    let settings = parse_settings(&scenario, &replay.set)?;
    let spec = replay.spec(&scenario, seed, &sha, &settings, turn + 1);
    let e = hedgesim::report::explain::explain(&scenario, &spec, turn);
    let text = match format {
        TextOrJson::Text => hedgesim::report::explain::to_text(&e),
        TextOrJson::Json => serde_json::to_string_pretty(&e)? + "\n",
    };
    to_stdout(|w| w.write_all(text.as_bytes()))
}

fn report_cmd(input: PathBuf, out: PathBuf, runs: u32) -> Result<()> {
    let to_stdout = is_dash(&out);
    if !to_stdout {
        refuse_output_onto_input(&out, &[&input]).map_err(anyhow::Error::msg)?;
        if input.is_dir() && out.parent().is_some_and(|p| durable::same_file(p, &input)) && out.exists() {
            bail!(
                "{} is one of the files of the sweep folder {}; the report would replace it: write the report \
                 elsewhere (or under a new name)",
                out.display(),
                input.display()
            );
        }
        durable::set_interrupt_hint(format!("nothing was written to {}", out.display()));
    }
    let html = if input.is_dir() {
        let folder = SweepFolder::new(&input);
        if !folder.is_finished() {
            if folder.is_interrupted() {
                bail!(
                    "{} holds an unfinished sweep; finish it with `hedgesim sweep … --resume`, then report it",
                    input.display()
                );
            }
            bail!(
                "{} is a folder but not a finished sweep (it has no {}); report takes a scenario file or the --out \
                 folder of a finished `hedgesim sweep`",
                input.display(),
                sweep::folder::MANIFEST_JSON
            );
        }
        hedgesim::report::html::sweep_report(&input)
    } else {
        let (scenario, _) = load_scenario(&input)?;
        hedgesim::report::html::scenario_report(&scenario, runs)
    }
    .map_err(anyhow::Error::msg)?;
    write_output(&out, |w| w.write_all(html.as_bytes()))?;
    if !to_stdout {
        eprintln!("wrote {} ({} KB)", out.display(), html.len() / 1000);
    }
    Ok(())
}

/// A duration for people: tenths of a second below a minute (a sweep often takes less than one),
/// indicatif's `HumanDuration` above (`3 minutes`, `2 hours`).
fn human_seconds(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        indicatif::HumanDuration(std::time::Duration::from_secs_f64(s)).to_string()
    }
}

/// Start the thread pool with `threads` (`--threads`), or as RAYON_NUM_THREADS says, which has the
/// same bound (0 means all cores).
fn start_threads(threads: Option<usize>) -> Result<()> {
    if threads.is_none()
        && let Ok(v) = std::env::var("RAYON_NUM_THREADS")
        && v.trim().parse::<usize>().is_ok_and(|n| n > MAX_THREADS)
    {
        bail!("RAYON_NUM_THREADS={v}: at most {MAX_THREADS} threads; more than the cores only slows a sweep down");
    }
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("starting the thread pool")?;
    }
    Ok(())
}

/// `hedgesim facts`: every fact over the box, the table on standard output.
fn facts_cmd(
    scenario: PathBuf,
    box_file: Option<PathBuf>,
    out: PathBuf,
    set: Vec<String>,
    quiet: bool,
    threads: Option<usize>,
) -> Result<()> {
    use hedgesim::facts::over_box;
    if is_dash(&out) {
        bail!("`hedgesim facts` writes a folder of files; `-` (standard output) is not one: give a folder with --out");
    }
    start_threads(threads)?;
    let (spec, text) = over_box::read_box(box_file.as_deref(), &scenario)?;
    // The box's scenario is the one under test (`read_box`), its axes resolved against it.
    let settings = parse_settings(&spec.scenario, &set)?;
    for s in &settings {
        // An axis already gives the parameter a value at each point; a fixed value would hide it.
        if let Some(axis) = spec.axes.iter().find(|a| a.path == s.path) {
            bail!(
                "--set {}: the box varies it (its axis `{}`); drop the --set, or the axis from the box file",
                s.name,
                axis.name
            );
        }
    }
    let fixed: Vec<(String, f64)> = settings.iter().map(|s| (s.name.clone(), s.value)).collect();
    let inputs: Vec<&Path> = [Some(scenario.as_path()), box_file.as_deref()].into_iter().flatten().collect();
    for name in [over_box::FACTS_CSV, over_box::SUMMARY_CSV, over_box::SUMMARY_MD] {
        refuse_output_onto_input(&out.join(name), &inputs).map_err(anyhow::Error::msg)?;
    }
    durable::set_interrupt_hint(format!("the files in {} are left as they were", out.display()));
    let facts = over_box::facts_of(&spec);
    let progress = !quiet && io::stderr().is_terminal();
    let result = over_box::run(&spec, facts, &text, &scenario, &fixed, progress)?;
    let files =
        result.write(&out).map_err(|e| anyhow!("cannot write into {}: {}", out.display(), output::explain_io(&e)))?;
    to_stdout(|w| w.write_all(result.table().as_bytes()))?;
    eprintln!(
        "{} facts × {} points × {} seeds per arm; wrote {}",
        result.facts.len(),
        result.points.len(),
        result.seeds.count(),
        files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn sweep_cmd(
    file: PathBuf,
    out: PathBuf,
    shard: Shard,
    resume: bool,
    independent_seeds: bool,
    series: bool,
    dry_run: bool,
    format: TextOrJson,
    quiet: bool,
    threads: Option<usize>,
    force: bool,
) -> Result<()> {
    if is_dash(&out) {
        bail!("a sweep writes a folder of files; `-` (standard output) is not one: give a folder with --out");
    }
    start_threads(threads)?;
    let spec = SweepSpec::from_file(&file)?;
    let opts = SweepOptions {
        out,
        shard,
        resume,
        independent_seeds,
        series,
        progress: !quiet && io::stderr().is_terminal(),
        force,
    };
    if dry_run {
        let e = sweep::estimate(&spec, &opts);
        let text = match format {
            TextOrJson::Text => format!(
                "sweep:        {}\ndesign:       {} over {} axes\nconfigs:      {}\nreplications: {}\n\
                 runs:         {} ({} in shard {}/{})\nturns:        {} per run, {} in all\n\
                 estimate:     {} on {} threads, {} on disk\n",
                file.display(),
                spec.design.name(),
                spec.axes.len(),
                e.configs,
                spec.replications,
                e.runs,
                e.runs_in_shard,
                shard.index,
                shard.count,
                spec.turns(),
                e.runs_in_shard * u64::from(spec.turns()),
                human_seconds(e.seconds),
                e.threads,
                human_bytes(e.bytes)
            ),
            TextOrJson::Json => {
                let json = serde_json::json!({
                    "sweep": file.display().to_string(), "design": spec.design.name(),
                    "axes": spec.axes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
                    "configs": e.configs, "replications": spec.replications, "runs": e.runs,
                    "shard": { "index": shard.index, "count": shard.count }, "runs_in_shard": e.runs_in_shard,
                    "turns_per_run": spec.turns(), "turns": e.runs_in_shard * u64::from(spec.turns()),
                    "threads": e.threads, "estimated_seconds": e.seconds, "estimated_bytes": e.bytes,
                });
                serde_json::to_string_pretty(&json)? + "\n"
            }
        };
        return to_stdout(|w| w.write_all(text.as_bytes()));
    }
    durable::set_interrupt_hint(format!(
        "the runs written so far are kept: resume with `{}`",
        sweep::options::resume_command(&spec, &opts)
    ));
    let o = sweep::run_sweep(&spec, &opts)?;
    if !quiet {
        if o.already_complete {
            eprintln!("{} already holds this sweep, finished; nothing to do", opts.out.display());
        } else {
            let secs = o.elapsed.as_secs_f64().max(1e-9);
            let turns = o.runs_done * u64::from(o.turns_per_run);
            eprintln!(
                "{} runs × {} turns in {} ({:.0} runs/s, {:.0} turns/s){} → {}",
                o.runs_done,
                o.turns_per_run,
                human_seconds(secs),
                o.runs_done as f64 / secs,
                turns as f64 / secs,
                if o.runs_resumed > 0 { format!(", {} resumed", o.runs_resumed) } else { String::new() },
                opts.out.display()
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // SIGINT and SIGTERM end the process without unwinding: the handler removes the temporary
    // files that exist and says how to go on. If it cannot be installed, a signal still stops the
    // process, only less tidily.
    let _ = ctrlc::set_handler(|| durable::on_interrupt());
    let result = match cli.command {
        Command::Run { scenario, seed, replay, turns, format, out } => run(scenario, seed, replay, turns, format, out),
        Command::Validate { scenarios, format } => validate(scenarios, format),
        Command::Sweep {
            sweep,
            out,
            shard,
            resume,
            independent_seeds,
            series,
            dry_run,
            format,
            quiet,
            threads,
            force,
        } => sweep_cmd(sweep, out, shard, resume, independent_seeds, series, dry_run, format, quiet, threads, force),
        Command::Init { path, format_version } => init_cmd(&path, format_version),
        Command::Analyze { dir, metrics, bootstrap, sweep } => analyze_cmd(&dir, metrics, bootstrap, sweep),
        Command::Completions { shell } => to_stdout(|w| {
            clap_complete::generate(shell, &mut Cli::command(), "hedgesim", w);
            Ok(())
        }),
        Command::Man => to_stdout(|w| clap_mangen::Man::new(Cli::command()).render(w)),
        Command::Fields { format, short, format_version, rates } => to_stdout(|w| {
            let file = hedgesim::param::Format::from_number(i64::from(format_version)).unwrap_or_default();
            let text = match format {
                FieldsFormat::Markdown => schema::table(schema::TableFormat::Markdown, !short, file, rates),
                FieldsFormat::Text => schema::table(schema::TableFormat::Text, !short, file, rates),
                FieldsFormat::Json => fields_json()?,
            };
            w.write_all(text.as_bytes())
        }),
        Command::Events { format } => to_stdout(|w| {
            let text = match format {
                FieldsFormat::Markdown => vocabulary::table(vocabulary::TableFormat::Markdown),
                FieldsFormat::Text => vocabulary::table(vocabulary::TableFormat::Text),
                FieldsFormat::Json => hedgesim::events::json(),
            };
            w.write_all(text.as_bytes())
        }),
        Command::Report { input, out, runs } => report_cmd(input, out, runs),
        Command::Facts { scenario, box_file, out, set, quiet, threads } => {
            facts_cmd(scenario, box_file, out, set, quiet, threads)
        }
        Command::Explain { scenario, turn, seed, replay, format } => explain_cmd(scenario, turn, seed, replay, format),
        Command::Merge { shards, out } => {
            durable::set_interrupt_hint(format!(
                "the same `hedgesim merge … --out {}` finishes it (it takes over an interrupted merge)",
                out.display()
            ));
            merge_cmd(&shards, &out)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The schema as JSON for programs: one object per row, a family's default per member. The Mesa
/// peer reads its copy, `bench/peers/mesa/fields.json`, which tests/schema.rs keeps current.
fn fields_json() -> io::Result<String> {
    use hedgesim::param::{Family, Init, Kind};
    let rows: Vec<serde_json::Value> = schema::params()
        .map(|p| {
            let default = |init: Init| match init {
                Init::Value(v) => match p.kind {
                    Kind::Real => serde_json::json!(v),
                    Kind::Integer => serde_json::json!(v as i64),
                    Kind::Bool => serde_json::json!(v != 0.0),
                },
                Init::Table(f) if p.family == Family::Component => {
                    let by_code: serde_json::Map<String, serde_json::Value> =
                        hedgesim::Component::ALL.iter().map(|c| (c.code().to_string(), f(c.index()).into())).collect();
                    serde_json::Value::Object(by_code)
                }
                Init::Table(_) => serde_json::Value::Null,
                Init::Follows(path) => serde_json::json!({ "follows": path }),
            };
            // `default` and `unit` are format 1's; `format_2` gives format 2's and how its
            // per-year number becomes the per-turn one (docs/model.md, "Time scale").
            serde_json::json!({
                "path": p.path, "kind": p.kind.name(), "default": default(p.default), "min": p.min, "max": p.max,
                "unit": p.unit, "in_file": p.in_file, "doc": p.doc,
                "format_1": !p.v2_only,
                "format_2": {
                    "default": default(p.default_v2), "unit": p.unit_v2,
                    "time_scale": p.time.name(), "per_turn": p.time.formula(),
                },
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rows)? + "\n")
}

/// The scenario `hedgesim init` writes: the teaching dyad's set-up, every section commented.
const TEMPLATE: &str = include_str!("template.toml");

/// The lines of [`TEMPLATE`] that format 2 writes otherwise: its rates per year (format 1's
/// values at four turns a year, so it is the same teaching dyad) and the great power's decisions.
const TEMPLATE_V2: [(&str, &str); 6] = [
    ("format = 1", "format = 2               # every rate per year, converted by turns_per_year (docs/model.md §8b)"),
    (
        "eta = 0.6                # how fast it adjusts its mix of options",
        "eta = 2.4                # how fast it adjusts its mix of options, per year",
    ),
    (
        "beta = 4.0               # how sharply it responds to the state's alignment",
        "beta = 4.0               # how sharply it responds to the state's alignment\n\
         actions_per_year = 4     # how often it decides (at most once a turn)",
    ),
    (
        "forgetting = 0.9               # weight of old evidence each turn",
        "forgetting = 0.6561            # weight of old evidence kept over a year",
    ),
    (
        "fluidity = 0.06                # how much the power's intentions may drift: Kuik's uncertainty",
        "fluidity = 0.12                # how much the power's intentions may drift in a year: Kuik's uncertainty",
    ),
    (
        "horizon = 8                    # turns ahead the state plans for",
        "horizon = 2                    # years ahead the state plans for",
    ),
];

/// The template in scenario format `version` (1 or 2).
fn template(version: u32) -> String {
    let mut text = TEMPLATE.to_string();
    if version == 2 {
        for (v1, v2) in TEMPLATE_V2 {
            debug_assert!(text.contains(v1), "the template no longer has `{v1}`");
            text = text.replacen(v1, v2, 1);
        }
    }
    text
}

fn init_cmd(path: &Path, version: u32) -> Result<()> {
    let text = template(version);
    if is_dash(path) {
        return to_stdout(|w| w.write_all(text.as_bytes()));
    }
    // `create_new`: an existing file (a scenario someone has worked on) is never overwritten.
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            anyhow!("{} already exists; init never overwrites a file: give another name", path.display())
        } else {
            anyhow!("cannot write {}: {}", path.display(), output::explain_io(&e))
        }
    })?;
    if let Err(e) = f.write_all(text.as_bytes()).and_then(|()| f.sync_all()) {
        // Never a half-written scenario: the file was created here, so it goes.
        let _ = std::fs::remove_file(path);
        bail!("cannot write {}: {}", path.display(), output::explain_io(&e));
    }
    eprintln!(
        "wrote {p}: a commented scenario that hedges as it is. Next: `hedgesim run {p}`, then edit it and \
         `hedgesim validate {p}` (docs/writing-a-case.md walks through a case)",
        p = path.display()
    );
    Ok(())
}

fn analyze_cmd(dir: &Path, metrics: Vec<String>, bootstrap: u32, sweep: Option<PathBuf>) -> Result<()> {
    use hedgesim::sensitivity::analyze::{self, AnalyzeOptions};
    let metrics =
        if metrics.is_empty() { analyze::DEFAULT_METRICS.iter().map(|m| m.to_string()).collect() } else { metrics };
    let opts = AnalyzeOptions { metrics, bootstrap, sweep_file: sweep };
    durable::set_interrupt_hint(format!("{} is left as it was", dir.display()));
    let a = analyze::analyze(dir, &opts)?;
    a.write(dir)?;
    to_stdout(|w| w.write_all(a.to_text().as_bytes()))?;
    eprintln!(
        "wrote {} and {} ({} metrics × {} parameters, {} bootstrap resamples)",
        dir.join(analyze::SENSITIVITY_CSV).display(),
        analyze::SENSITIVITY_JSON,
        a.metrics.len(),
        a.parameters.len(),
        bootstrap
    );
    Ok(())
}

fn merge_cmd(shards: &[PathBuf], out: &std::path::Path) -> Result<()> {
    if is_dash(out) {
        bail!("a merge writes a folder of files; `-` (standard output) is not one: give a folder with --out");
    }
    let m = sweep::merge(shards, out)?;
    eprintln!("merged {} shards ({} runs) → {}", shards.len(), m.runs, out.display());
    Ok(())
}
