//! Global sensitivity analysis of a sweep: which parameters drive an outcome.
//!
//! - [`sampling`]: the Sobol' (Saltelli) and Morris sample matrices that `design = "sobol"` and
//!   `design = "morris"` sweeps run;
//! - [`estimators`]: Sobol' S1, ST and S2 and Morris μ, μ*, σ from the outputs, with bootstrap
//!   intervals; pure functions, checked on the Ishigami and G functions;
//! - [`analyze`]: `hedgesim analyze DIR`, from a finished sweep folder to `sensitivity.csv` and
//!   `sensitivity.json`.
//!
//! docs/sensitivity.md walks through an example.

pub mod analyze;
pub mod estimators;
pub mod sampling;
