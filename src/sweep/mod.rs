//! Parameter sweeps: many configurations × many replications, on every core and across machines.
//!
//! - [`spec`]: the sweep file, validated before any run starts, with the files it names found by a
//!   [`resolve::Resolve`] (the filesystem, or memory);
//! - [`design`]: grid, zip, Latin hypercube and table designs;
//! - [`exec`]: the parallel, ordered, resumable, shardable executor, with its [`progress`] bar and
//!   the [`estimate`] of what a sweep will cost (`--dry-run`, and the limits a sweep is held to);
//! - [`folder`]: the output folder's layout, its lock and `.partial` files, finished or not;
//! - [`error`]: what a sweep or a merge reports when it cannot go on;
//! - [`options`]: what a sweep is asked to do, and the command that continues it;
//! - [`metrics`] and [`summary`]: one run and what is kept of it, and per configuration;
//! - [`manifest`] and [`merge`]: provenance, and rebuilding a sweep from its shards.
//!
//! Reproducibility contract: run `run_id = config_id × replications + replication` draws from
//! stream `replication` of the master seed (common random numbers across configurations), or from
//! stream `run_id` with `--independent-seeds`. Outputs are byte-identical whatever the thread count,
//! the shard count or the order in which runs finish.

pub mod design;
pub mod error;
pub mod estimate;
pub mod exec;
pub mod folder;
pub mod manifest;
pub mod merge;
pub mod metrics;
pub mod options;
pub(crate) mod progress;
pub mod resolve;
pub mod spec;
pub mod summary;

pub use error::SweepError;
pub use estimate::{Estimate, estimate};
pub use exec::{SweepOutcome, run_sweep};
pub use folder::SweepFolder;
pub use manifest::Shard;
pub use merge::merge;
pub use options::SweepOptions;
pub use resolve::{FileResolver, Resolve};
pub use spec::SweepSpec;
