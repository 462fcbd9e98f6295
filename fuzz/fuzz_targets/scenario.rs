//! Scenario files: any bytes must give a validated scenario or an error naming the file and a
//! line; a valid scenario must run a few turns with finite numbers. Never a panic.
#![no_main]

use hedgesim_core::Scenario;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Scenario::parse(&text, Path::new("fuzz.toml")) {
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.toml:") && e.line >= 1, "an error without file and line: {msg}");
        }
        Ok(scenario) => {
            let mut world = scenario.world(scenario.meta.seed, 0);
            world.run(scenario.meta.turns.min(8), |r, _| {
                let numbers = [r.hedging_intensity, r.alignment, r.belief_mean, r.belief_var, r.payoff, r.mil, r.dep];
                assert!(numbers.iter().all(|x| x.is_finite()), "a non-finite number in turn {}: {numbers:?}", r.turn);
                assert!((r.mix.0.iter().sum::<f64>() - 1.0).abs() < 1e-9, "the mix left the simplex: {:?}", r.mix);
            });
        }
    }
});
