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

//! The model itself is the pure `hedgesim-core` crate; its modules are re-exported here under
//! their usual paths (`hedgesim::spectrum::Mix`). This crate adds what touches the machine:
//! reading files ([`read`]), writing them ([`output`], [`durable`]), sweeps on
//! every core ([`sweep`]) and reports ([`report`]).

pub use hedgesim_core::{
    agents, beliefs, decision, doctrine, exp, explain, param, payoff, record, rng, run, schema, spectrum, summary,
    vocabulary, world,
};

pub mod durable;
pub mod events;
pub mod facts;
pub mod output;
pub mod read;
pub mod report;
pub mod sensitivity;
pub mod stats;
pub mod sweep;

/// Input files: the core's positions and errors ([`hedgesim_core::input`]) with the file reading
/// of [`read`].
pub mod input {
    pub use crate::read::{MAX_INPUT_BYTES, MAX_TABLE_BYTES, human_bytes, read_text};
    pub(crate) use crate::read::{describe_io, read_limited, utf8};
    pub use hedgesim_core::input::*;
}

/// Scenario files: the core's parser ([`hedgesim_core::scenario`]) and [`FromFile`] to read one.
pub mod scenario {
    pub use crate::read::FromFile;
    pub use hedgesim_core::scenario::*;
}

pub use scenario::{FromFile, Scenario, ScenarioError};
pub use spectrum::{Component, Label, Mix};
pub use world::{TurnRecord, World};
