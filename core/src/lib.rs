//! # hedgesim-core — the model of how small states hedge, as a pure library
//!
//! Everything a run needs and nothing else: the alignment spectrum ([`spectrum`]), beliefs
//! ([`beliefs`]), payoffs and doctrine ([`payoff`], [`doctrine`]), the decision ([`decision`]),
//! the agents ([`agents`]), one turn of the world ([`world::World::step`]), the parameter
//! schema ([`schema`], [`param`]), scenario text and its errors ([`scenario`], [`input`]), the
//! numbers behind `explain` ([`explain`]), a turn's fields by column name ([`record`]) and what a
//! run comes to ([`summary`]).
//!
//! No filesystem, no threads, no terminal: reading files, sweeps, output and reports live in the
//! `hedgesim` crate, which passes text in. This is what lets the model build for the browser
//! (`wasm32-unknown-unknown`) and be wrapped for Python; docs/architecture.md draws the layout.

// Payoff arithmetic indexes several parallel `[f64; 7]` arrays by component; `for k in 0..N`
// reads like the formulas in docs/model.md, so this lint is off.
#![allow(clippy::needless_range_loop)]

pub mod agents;
pub mod beliefs;
pub mod decision;
pub mod doctrine;
pub mod exp;
pub mod explain;
pub mod input;
pub mod param;
pub mod payoff;
pub mod record;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod schema;
pub mod spectrum;
pub mod summary;
pub mod vocabulary;
pub mod world;

pub use scenario::{Scenario, ScenarioError};
pub use spectrum::{Component, Label, Mix};
pub use world::{TurnRecord, World};
