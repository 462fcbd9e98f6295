//! What a sweep is asked to do ([`SweepOptions`], the `hedgesim sweep` flags), and the command
//! that asks for the same again to continue it ([`resume_command`]).

use super::manifest::Shard;
use super::spec::SweepSpec;
use std::path::PathBuf;

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    pub out: PathBuf,
    pub shard: Shard,
    pub resume: bool,
    /// Give every run its own stream instead of common random numbers across configs.
    pub independent_seeds: bool,
    /// Also write per-turn rows (`series.csv`).
    pub series: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Run even if the output would exceed [`super::estimate::MAX_OUTPUT_BYTES`] or its turns
    /// [`super::estimate::MAX_TURNS_TOTAL`].
    pub force: bool,
}

/// The command that continues this sweep.
pub fn resume_command(spec: &SweepSpec, opts: &SweepOptions) -> String {
    let mut cmd = format!("hedgesim sweep {} --out {} --resume", spec.file.display(), opts.out.display());
    if opts.shard != Shard::WHOLE {
        cmd.push_str(&format!(" --shard {}/{}", opts.shard.index, opts.shard.count));
    }
    if opts.series {
        cmd.push_str(" --series");
    }
    if opts.independent_seeds {
        cmd.push_str(" --independent-seeds");
    }
    cmd
}
