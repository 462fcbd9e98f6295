//! The teaching layer: explanations of *why* the small state chose its mix, and HTML reports.

pub use hedgesim_core::explain;

pub mod charts;
pub mod html;
