//! The teaching layer: explanations of *why* the small state chose its mix, and HTML reports.

pub mod charts;
pub mod explain;
pub mod html;
