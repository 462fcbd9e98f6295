//! The randomness contract (docs/model.md §9).
//!
//! Every run draws from its own ChaCha8 stream: the key comes from the master seed
//! (`ChaCha8Rng::seed_from_u64(master_seed)`, rand_core's documented PCG32 expansion of a `u64`
//! into a 256-bit key) and the stream id is the run index (`set_stream(run_index)`). Runs are
//! therefore independent of each other and of the order, thread or machine they run on.
//!
//! Within a run, each turn draws in this fixed order (see [`crate::world::World::step`]):
//! 1. one uniform `[0, 1)` for the great power's action;
//! 2. one uniform for the realised third-power reliability κ (Bernoulli);
//! 3. one standard normal for the economic shock z;
//! 4. seven standard normals for the idiosyncratic noise ε, in spectrum order;
//! 5. if the great power coerced: one uniform per tested third power, in file order.
//!
//! Normals come from `rand_distr::StandardNormal` (ziggurat). A golden-file test pins the layout;
//! changing it changes every output and needs a version bump.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator every run uses.
pub type RunRng = ChaCha8Rng;

/// The stream of run `run_index` under `master_seed`.
pub fn run_stream(master_seed: u64, run_index: u64) -> RunRng {
    let mut rng = ChaCha8Rng::seed_from_u64(master_seed);
    rng.set_stream(run_index);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = run_stream(7, 3);
                move |_| r.random()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = run_stream(7, 3);
                move |_| r.random()
            })
            .collect();
        let other_run: u64 = run_stream(7, 4).random();
        let other_seed: u64 = run_stream(8, 3).random();
        assert_eq!(a, b);
        assert_ne!(a[0], other_run);
        assert_ne!(a[0], other_seed);
    }
}
