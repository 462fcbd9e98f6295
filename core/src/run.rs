//! Which run of a scenario: the seed, the random stream and the settings that make one run what it
//! is. The single-run CSV carries this identity in its first columns and `explain` takes it, so a
//! run written by `run`, a turn explained and a row of a sweep's runs.csv name the same run.

use crate::scenario::Scenario;
use crate::schema::FieldPath;
use crate::world::World;

/// A setting given on the command line (`--set small_state.gamma=4`), applied at turn 0 as a
/// sweep applies an axis.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The path as written, the column name in the CSV.
    pub name: String,
    pub path: FieldPath,
    pub value: f64,
}

/// Which run of a scenario to write: the identity the single-run CSV carries in its first columns
/// (`seed,stream,scenario_sha256`, then one column per setting), so that a file says how to make it
/// again.
#[derive(Debug, Clone)]
pub struct RunSpec<'a> {
    pub seed: u64,
    /// The random stream: run `stream` of `seed` (a sweep's `stream` column).
    pub stream: u64,
    /// SHA-256 of the scenario file's bytes, as in a sweep's manifest.
    pub scenario_sha256: &'a str,
    pub settings: &'a [Setting],
    pub turns: u32,
}

impl RunSpec<'_> {
    /// The world of this run at turn 0.
    pub fn world(&self, scenario: &Scenario) -> World {
        let overrides: Vec<(FieldPath, f64)> = self.settings.iter().map(|s| (s.path, s.value)).collect();
        scenario.world_with(self.seed, self.stream, &overrides)
    }
}
