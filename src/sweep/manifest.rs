//! `manifest.json`: what was run, with what, where and when — enough to reproduce a sweep, to
//! resume it, and to check that shards belong together before merging them.

use super::spec::SweepSpec;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// Which share of the runs a process does: those with `run_id % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parse `I/N` as given to `--shard`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("`{s}` is not of the form I/N (for example 0/4)"))?;
        let index: u64 = i.trim().parse().map_err(|_| format!("`{i}` in `{s}` is not a whole number"))?;
        let count: u64 = n.trim().parse().map_err(|_| format!("`{n}` in `{s}` is not a whole number"))?;
        if count == 0 {
            return Err(format!("shard `{s}`: N must be at least 1"));
        }
        if index >= count {
            return Err(format!(
                "shard `{s}`: I must be less than N; shards are numbered from 0, so {count} shards are 0/{count} to {}/{count}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Number of runs of `total` in this shard.
    pub fn runs(&self, total: u64) -> u64 {
        if self.index >= total { 0 } else { (total - self.index).div_ceil(self.count) }
    }

    /// The k-th run id of this shard.
    pub fn run_id(&self, k: u64) -> u64 {
        self.index + k * self.count
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub hostname: String,
    pub cores: usize,
    pub os: String,
    pub arch: String,
}

impl Machine {
    pub fn this() -> Machine {
        // gethostname(2) through the gethostname crate: also where there is no /proc (macOS).
        let hostname = gethostname::gethostname().to_string_lossy().into_owned();
        Machine {
            hostname,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub hedgesim_version: String,
    /// The commit the binary was built from (`unknown` outside git): what to cite with the
    /// version. Not part of the sweep id: rebuilding the same version does not change the runs.
    #[serde(default)]
    pub hedgesim_commit: String,
    /// Identity of the sweep: a hash of everything that determines `runs.csv`. Shards merge only
    /// if theirs agree; a resume continues only a sweep with the same id.
    pub sweep_id: String,
    pub sweep_file: String,
    pub sweep_sha256: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub table_sha256: Option<String>,
    pub master_seed: u64,
    pub common_random_numbers: bool,
    pub seed_formula: String,
    /// How to replay one run from its row of runs.csv: the command, with `{column}` standing
    /// for the row's value in that column.
    #[serde(default)]
    pub replay: String,
    pub design: String,
    pub design_seed: u64,
    pub axes: Vec<String>,
    pub configs: u64,
    pub replications: u32,
    pub runs: u64,
    pub turns: u32,
    pub metrics_from_turn: u32,
    pub series: Option<Vec<String>>,
    pub shard: Shard,
    pub runs_in_shard: u64,
    pub machine: Machine,
    pub threads: usize,
    pub started: String,
    pub finished: Option<String>,
    /// For a merged sweep: the shard folders it came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
}

/// The sweep id: what determines the rows of `runs.csv` (and `series.csv`).
pub fn sweep_id(spec: &SweepSpec, independent_seeds: bool, series: bool) -> String {
    let mut h = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION"),
        &spec.sweep_sha256,
        &spec.scenario_sha256,
        spec.table_sha256.as_deref().unwrap_or("-"),
        if independent_seeds { "independent" } else { "common" },
        &if series { spec.series.iter().map(|f| f.name()).collect::<Vec<_>>().join(",") } else { "-".into() },
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Manifest {
    pub fn new(spec: &SweepSpec, shard: Shard, independent_seeds: bool, series: bool, threads: usize) -> Manifest {
        Manifest {
            hedgesim_version: env!("CARGO_PKG_VERSION").into(),
            hedgesim_commit: env!("HEDGESIM_COMMIT").into(),
            sweep_id: sweep_id(spec, independent_seeds, series),
            sweep_file: spec.file.display().to_string(),
            sweep_sha256: spec.sweep_sha256.clone(),
            scenario_file: spec.scenario_file.display().to_string(),
            scenario_sha256: spec.scenario_sha256.clone(),
            table_sha256: spec.table_sha256.clone(),
            master_seed: spec.master_seed,
            common_random_numbers: !independent_seeds,
            seed_formula: if independent_seeds {
                "ChaCha8Rng::seed_from_u64(master_seed), set_stream(run_id); run_id = config_id × replications + replication"
            } else {
                "ChaCha8Rng::seed_from_u64(master_seed), set_stream(replication): common random numbers across configs"
            }
            .into(),
            replay: replay_command(spec),
            design: spec.design.name().into(),
            design_seed: spec.design_seed,
            axes: spec.axes.iter().map(|a| a.name.clone()).collect(),
            configs: spec.configs(),
            replications: spec.replications,
            runs: spec.runs(),
            turns: spec.turns(),
            metrics_from_turn: spec.metrics_from_turn,
            series: series.then(|| spec.series.iter().map(|f| f.name().to_string()).collect()),
            shard,
            runs_in_shard: shard.runs(spec.runs()),
            machine: Machine::this(),
            threads,
            started: now_rfc3339(),
            finished: None,
            merged_from: Vec::new(),
        }
    }
}

/// `hedgesim run SCENARIO --seed {seed} --replication {stream} --set PATH={PATH}…`: the command
/// that replays a run of this sweep, `{column}` to be filled from its row of runs.csv.
pub fn replay_command(spec: &SweepSpec) -> String {
    let mut cmd = format!("hedgesim run {} --seed {{seed}} --replication {{stream}}", spec.scenario_file.display());
    for a in &spec.axes {
        cmd.push_str(&format!(" --set {0}={{{0}}}", a.name));
    }
    cmd
}

/// The current UTC time as RFC 3339, `YYYY-MM-DDTHH:MM:SSZ` (whole seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// How the sweep in a folder (`existing`) differs from the one asked for (`new`), in words: what
/// a refusal to write over it says.
pub(crate) fn differences(existing: &Manifest, new: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    if existing.hedgesim_version != new.hedgesim_version {
        out.push(format!("it was written by hedgesim {}", existing.hedgesim_version));
    }
    if existing.sweep_sha256 != new.sweep_sha256 {
        out.push(if existing.sweep_file == new.sweep_file {
            format!("{} has changed since", existing.sweep_file)
        } else {
            format!("it comes from {}", existing.sweep_file)
        });
    }
    if existing.scenario_sha256 != new.scenario_sha256 {
        out.push(format!("its scenario {} differs", existing.scenario_file));
    }
    if existing.table_sha256 != new.table_sha256 {
        out.push("its design table differs".into());
    }
    if existing.common_random_numbers != new.common_random_numbers {
        out.push(format!(
            "it was run {} --independent-seeds",
            if existing.common_random_numbers { "without" } else { "with" }
        ));
    }
    if existing.series != new.series {
        out.push(match &existing.series {
            None => "it was run without --series".to_string(),
            Some(cols) if new.series.is_some() => format!("its series columns were {}", cols.join(",")),
            Some(_) => "it was run with --series".to_string(),
        });
    }
    if existing.shard != new.shard {
        out.push(format!("it is shard {}/{}", existing.shard.index, existing.shard.count));
    }
    if out.is_empty() {
        out.push("its sweep_id differs".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        let total = 10;
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut all: Vec<u64> = shards.iter().flat_map(|s| (0..s.runs(total)).map(|k| s.run_id(k))).collect();
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(Shard { index: 5, count: 8 }.runs(3), 0);
    }

    #[test]
    fn shard_parsing() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("4/4").is_err());
        assert!(Shard::parse("1/0").is_err());
        assert!(Shard::parse("a/4").is_err());
        assert!(Shard::parse("3").is_err());
    }

    #[test]
    fn timestamp_is_rfc3339_and_now() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        let parsed = humantime::parse_rfc3339(&t).unwrap();
        let age = SystemTime::now().duration_since(parsed).unwrap();
        assert!(age.as_secs() < 3600, "{t} is not now");
    }
}
