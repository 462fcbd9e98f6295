//! The arguments the figure examples share: `SCENARIO SEEDS LIST`, where LIST is numbers separated
//! by commas (years or turns).

use hedgesim::scenario::{FromFile, Scenario};
use std::path::Path;
use std::str::FromStr;

/// Parse `PROGRAM SCENARIO SEEDS LIST`; the error is the message to print (`usage` if the count is
/// wrong, `what` names LIST's items in the message when one does not parse).
pub fn scenario_seeds_list<T: FromStr>(usage: &str, what: &str) -> Result<(Scenario, u64, Vec<T>), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err(format!("usage: {usage}"));
    }
    let scenario = Scenario::from_file(Path::new(&args[1])).map_err(|e| e.to_string())?;
    let seeds = args[2].parse::<u64>().map_err(|_| format!("SEEDS must be a whole number, got `{}`", args[2]))?;
    let list = args[3]
        .split(',')
        .map(str::parse)
        .collect::<Result<Vec<T>, _>>()
        .map_err(|_| format!("{what} must be numbers separated by commas, got `{}`", args[3]))?;
    Ok((scenario, seeds, list))
}
