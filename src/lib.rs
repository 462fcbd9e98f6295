//! # hedgesim — how small states choose alignment toward a great power
//!
//! An agent-based model of Kuik's *risk-offset* logic of hedging. A small state lives beside a
//! great power and can lean on third powers. Each turn it chooses a **mix** over Kuik's alignment
//! spectrum — pure balancing, indirect balancing, dominance denial, economic pragmatism, binding
//! engagement, limited bandwagoning, pure bandwagoning ([`spectrum`]). Under high stakes and high
//! uncertainty about the great power's intentions ([`beliefs`]), options on opposite sides of the
//! spectrum offset each other's risks ([`payoff`], [`doctrine`]), so a mean–variance decision holds
//! both sides: it *hedges* ([`decision`]). A direct, imminent threat or a rivalry that forces a
//! choice adds side-taking pressure, and the state goes to a corner — balancing if its own
//! strength and reliable allies cover it, bandwagoning if not. The great power rewards, pressures
//! or coerces in response, and third powers offer support ([`agents`]). One turn of all this is
//! [`world::World::step`].
//!
//! The model is specified in `docs/model.md`; scenario files are described in the README.
//!
//! ```
//! use hedgesim::scenario::Scenario;
//! use std::path::Path;
//!
//! let text = r#"
//! [meta]
//! name = "A weak state under an uncertain neighbour"
//! turns = 40
//! "#;
//! let scenario = Scenario::parse(text, Path::new("<example>")).unwrap();
//! let mut world = scenario.world(scenario.meta.seed, 0);
//! let mut last = None;
//! world.run(scenario.meta.turns, |record, _| last = Some(*record));
//! let last = last.unwrap();
//! assert!((last.mix.0.iter().sum::<f64>() - 1.0).abs() < 1e-9);
//! println!("after 10 years: {} (H = {:.2})", last.label, last.hedging_intensity);
//! ```

// Payoff arithmetic indexes several parallel `[f64; 7]` arrays by component; `for k in 0..N`
// reads like the formulas in docs/model.md, so this lint is off.
#![allow(clippy::needless_range_loop)]

pub mod agents;
pub mod beliefs;
pub mod decision;
pub mod doctrine;
pub mod durable;
pub mod exp;
pub mod fields;
pub mod input;
pub mod output;
pub mod payoff;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod spectrum;
pub mod sweep;
pub mod world;

pub use scenario::{Scenario, ScenarioError};
pub use spectrum::{Component, Label, Mix};
pub use world::{TurnRecord, World};
