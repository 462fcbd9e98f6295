//! Parameter sweeps: many configurations × many replications, on every core and across machines.
//!
//! - [`spec`]: the sweep file, validated before any run starts;
//! - [`design`]: grid, zip, Latin hypercube and table designs;
//! - [`exec`]: the parallel, ordered, resumable, shardable executor;
//! - [`metrics`] and [`summary`]: what is kept per run and per configuration;
//! - [`manifest`] and [`merge`]: provenance, and rebuilding a sweep from its shards.
//!
//! Reproducibility contract: run `run_id = config_id × replications + replication` draws from
//! stream `replication` of the master seed (common random numbers across configurations), or from
//! stream `run_id` with `--independent-seeds`. Outputs are byte-identical whatever the thread count,
//! the shard count or the order in which runs finish.

pub mod design;
pub mod exec;
pub mod manifest;
pub mod merge;
pub mod metrics;
pub mod spec;
pub mod summary;

pub use exec::{Estimate, SweepError, SweepOptions, SweepOutcome, estimate, run_sweep};
pub use manifest::Shard;
pub use merge::merge;
pub use spec::SweepSpec;
