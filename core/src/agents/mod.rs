//! The agents of one world: a small state, its great power and any number of third powers
//! (docs/model.md §2, §6, §7). Each agent owns its state and the rules that move it; the order in which
//! they act within a turn lives in [`crate::world`].

pub mod great_power;
pub mod small_state;
pub mod third_power;

pub use great_power::{GreatPower, GreatPowerAction};
pub use small_state::SmallState;
pub use third_power::ThirdPower;

use serde::Serialize;

/// Rates of the slow state dynamics (docs/model.md §6–7). Defaults are the model's; a scenario can
/// override them in `[dynamics]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dynamics {
    /// Imminence kept each turn (`imm ← 0.7·imm`).
    pub imminence_decay: f64,
    /// How fast third-power support moves toward its target (`0.3`).
    pub support_rate: f64,
    /// Military build-up per unit of indirect balancing (`0.1`).
    pub military_rate: f64,
    /// Military decay per turn (`0.05`).
    pub military_decay: f64,
    /// How fast dependence drifts toward its target (`0.05`).
    pub dependence_rate: f64,
}

impl Default for Dynamics {
    fn default() -> Self {
        Dynamics {
            imminence_decay: 0.7,
            support_rate: 0.3,
            military_rate: 0.1,
            military_decay: 0.05,
            dependence_rate: 0.05,
        }
    }
}
