//! Plays many turns of the teaching dyad (or the scenario given after the number of turns), for profilers (callgrind counts instructions, so its
//! figures are repeatable whatever else the machine does):
//!
//! ```sh
//! cargo build --release --example profile_turn
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out target/release/examples/profile_turn 100000
//! callgrind_annotate /tmp/cg.out | head -40
//! ```

use hedgesim::scenario::{FromFile, Scenario};
use std::path::Path;

fn main() {
    let turns: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let path = std::env::args().nth(2).unwrap_or_else(|| "scenarios/teaching-dyad.toml".into());
    let s = Scenario::from_file(Path::new(&path)).expect("a readable scenario (run from the repository root)");
    let mut world = s.world(1, 0);
    let mut checksum = 0.0;
    for _ in 0..turns {
        checksum += world.step().payoff;
    }
    println!("{turns} turns, checksum {checksum}");
}
