//! The `hedgesim` command line: a thin shell over the library.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use hedgesim::output::{self, Format};
use hedgesim::scenario::Scenario;
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
    let scenario = Scenario::from_file(&scenario)?;
    let seed = seed.unwrap_or(scenario.meta.seed);
    let turns = turns.unwrap_or(scenario.meta.turns);
    match out {
        Some(path) => output::write_atomically(&path, |w| output::write_run(&scenario, seed, turns, format.into(), w))
            .with_context(|| format!("writing {}", path.display())),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { scenario, seed, turns, format, out } => run(scenario, seed, turns, format, out),
        Command::Validate { scenarios } => validate(scenarios),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
