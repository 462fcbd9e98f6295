//! Sweep files: any bytes must give a validated sweep or an error naming a file and a line; a
//! valid sweep's first and last runs must simulate. The sweep is read as if it were in sweeps/, so
//! `scenario = "../scenarios/teaching-dyad.toml"` (as in the seed corpus) resolves. Never a panic.
#![no_main]

use hedgesim::sweep::{FileResolver, SweepSpec};
use hedgesim::sweep::metrics::simulate_run;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A sweep names files to read; keep the fuzzer away from devices and pipes that never end.
    if ["/dev", "/proc", "/sys"].iter().any(|p| text.contains(p)) {
        return;
    }
    let origin = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sweeps/fuzz.toml"));
    match SweepSpec::parse(&text, origin, &FileResolver::beside(origin)) {
        Err(e) => assert!(e.line >= 1 || e.message.contains("cannot read"), "an error without a line: {e}"),
        Ok(spec) => {
            let mut row = String::new();
            simulate_run(&spec, 0, false, &mut row, None);
            simulate_run(&spec, spec.runs() - 1, true, &mut row, None);
        }
    }
});
