//! The teaching layer: explanations of *why* the small state chose its mix.

pub mod explain;
