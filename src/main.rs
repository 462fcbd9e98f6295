//! The `hedgesim` command line: a thin shell over the library.

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, Subcommand, ValueEnum};
use hedgesim::durable::{self, refuse_output_onto_input};
use hedgesim::output::{self, Format, human_bytes};
use hedgesim::scenario::{FromFile, Scenario};
use hedgesim::sweep::{self, Shard, SweepOptions, SweepSpec};
use std::io::IsTerminal;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "hedgesim",
    version,
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
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Master seed (default: the scenario's `meta.seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Number of turns (default: the scenario's `meta.turns`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=hedgesim::scenario::MAX_TURNS as i64))]
        turns: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check scenario files without running them.
    Validate {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Run a parameter sweep on every core: runs.csv, summary.csv and manifest.json in --out.
    Sweep {
        /// Sweep file (TOML).
        sweep: PathBuf,
        /// Output folder.
        #[arg(long)]
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
    /// Take one turn apart: beliefs, payoffs, risk-offsets, gradient, and why the state hedges.
    Explain {
        scenario: PathBuf,
        /// The turn to explain (0 is the first).
        #[arg(long)]
        turn: u32,
        /// Master seed (default: the scenario's `meta.seed`).
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
    },
    /// Write a self-contained HTML report (inline SVG charts) of a scenario or a finished sweep folder.
    Report {
        /// A scenario file, or a sweep output folder.
        input: PathBuf,
        /// The HTML file to write.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// For a scenario: the number of runs (medians and 10–90% bands when more than one).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        seeds: u32,
    },
    /// Rebuild a sweep's outputs from its finished shards, byte-identical to an unsharded sweep.
    Merge {
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
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

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
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

fn run(
    scenario: PathBuf,
    seed: Option<u64>,
    turns: Option<u32>,
    format: FormatArg,
    out: Option<PathBuf>,
) -> Result<()> {
    if let Some(path) = &out {
        refuse_output_onto_input(path, &[&scenario]).map_err(anyhow::Error::msg)?;
        durable::set_interrupt_hint(format!("nothing was written to {}", path.display()));
    }
    let scenario = Scenario::from_file(&scenario)?;
    let seed = seed.unwrap_or(scenario.meta.seed);
    let turns = turns.unwrap_or(scenario.meta.turns);
    match out {
        Some(path) => output::write_atomically(&path, |w| output::write_run(&scenario, seed, turns, format.into(), w))
            .map_err(|e| anyhow!("cannot write {}: {}", path.display(), output::explain_io(&e))),
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            let r = output::write_run(&scenario, seed, turns, format.into(), &mut lock).and_then(|_| lock.flush());
            match r {
                // A closed pipe (`hedgesim run … | head`) is not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to standard output"),
            }
        }
    }
}

fn validate(files: Vec<PathBuf>) -> Result<()> {
    let mut failed = 0;
    for f in &files {
        match Scenario::from_file(f) {
            Ok(s) => println!(
                "ok: {} — \"{}\", {} turns, {} events, {} third powers",
                f.display(),
                s.meta.name,
                s.meta.turns,
                s.events().len(),
                s.third_power_names().len()
            ),
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} scenario files are invalid", files.len());
    }
    Ok(())
}

fn explain_cmd(file: PathBuf, turn: u32, seed: Option<u64>, format: ExplainFormat) -> Result<()> {
    let scenario = Scenario::from_file(&file)?;
    if turn >= scenario.meta.turns {
        bail!("--turn {turn} is past the end of {}, which has turns 0 to {}", file.display(), scenario.meta.turns - 1);
    }
    let e = hedgesim::report::explain::explain(&scenario, seed.unwrap_or(scenario.meta.seed), turn);
    match format {
        ExplainFormat::Text => print!("{}", hedgesim::report::explain::to_text(&e)),
        ExplainFormat::Json => println!("{}", serde_json::to_string_pretty(&e)?),
    }
    Ok(())
}

fn report_cmd(input: PathBuf, out: PathBuf, seeds: u32) -> Result<()> {
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
    let html = if input.is_dir() {
        if !input.join(sweep::exec::MANIFEST_JSON).exists() {
            if input.join(sweep::exec::MANIFEST_PARTIAL).exists() {
                bail!(
                    "{} holds an unfinished sweep; finish it with `hedgesim sweep … --resume`, then report it",
                    input.display()
                );
            }
            bail!(
                "{} is a folder but not a finished sweep (it has no manifest.json); report takes a scenario file or \
                 the --out folder of a finished `hedgesim sweep`",
                input.display()
            );
        }
        hedgesim::report::html::sweep_report(&input)
    } else {
        let scenario = Scenario::from_file(&input)?;
        hedgesim::report::html::scenario_report(&scenario, seeds)
    }
    .map_err(anyhow::Error::msg)?;
    output::write_atomically(&out, |w| w.write_all(html.as_bytes()))
        .map_err(|e| anyhow!("cannot write {}: {}", out.display(), output::explain_io(&e)))?;
    eprintln!("wrote {} ({} KB)", out.display(), html.len() / 1000);
    Ok(())
}

fn human_seconds(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
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
    quiet: bool,
    threads: Option<usize>,
    force: bool,
) -> Result<()> {
    // RAYON_NUM_THREADS, the other way to ask for threads, has the same bound (0 means all cores).
    if threads.is_none()
        && let Ok(v) = std::env::var("RAYON_NUM_THREADS")
        && v.trim().parse::<usize>().is_ok_and(|n| n > MAX_THREADS)
    {
        bail!("RAYON_NUM_THREADS={v}: at most {MAX_THREADS} threads; more than the cores only slows a sweep down");
    }
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("starting the thread pool")?;
    }
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
        println!("sweep:        {}", file.display());
        println!("design:       {} over {} axes", spec.design.name(), spec.axes.len());
        println!("configs:      {}", e.configs);
        println!("replications: {}", spec.replications);
        println!("runs:         {} ({} in shard {}/{})", e.runs, e.runs_in_shard, shard.index, shard.count);
        println!("turns:        {} per run, {} in all", spec.turns(), e.runs_in_shard * u64::from(spec.turns()));
        println!(
            "estimate:     {} on {} threads, {} on disk",
            human_seconds(e.seconds),
            e.threads,
            human_bytes(e.bytes)
        );
        return Ok(());
    }
    durable::set_interrupt_hint(format!(
        "the runs written so far are kept: resume with `{}`",
        sweep::exec::resume_command(&spec, &opts)
    ));
    let o = sweep::run_sweep(&spec, &opts)?;
    if !quiet {
        if o.already_complete {
            eprintln!("{} already holds this finished sweep; nothing to do", opts.out.display());
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
        Command::Run { scenario, seed, turns, format, out } => run(scenario, seed, turns, format, out),
        Command::Validate { scenarios } => validate(scenarios),
        Command::Sweep { sweep, out, shard, resume, independent_seeds, series, dry_run, quiet, threads, force } => {
            sweep_cmd(sweep, out, shard, resume, independent_seeds, series, dry_run, quiet, threads, force)
        }
        Command::Report { input, out, seeds } => report_cmd(input, out, seeds),
        Command::Explain { scenario, turn, seed, format } => explain_cmd(scenario, turn, seed, format),
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

fn merge_cmd(shards: &[PathBuf], out: &std::path::Path) -> Result<()> {
    let m = sweep::merge(shards, out)?;
    eprintln!("merged {} shards ({} runs) → {}", shards.len(), m.runs, out.display());
    Ok(())
}
