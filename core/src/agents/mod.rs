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

/// Rates of the slow state dynamics (docs/model.md §6–7; `[dynamics]` in a scenario). `Default` is
/// a blank (all zero): the calibrated rates are the schema's (`World::default()`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Dynamics {
    /// Imminence kept each turn (`imm ← imminence_decay·imm`).
    pub imminence_decay: f64,
    /// How fast third-power support moves toward its target.
    pub support_rate: f64,
    /// Military build-up per unit of indirect balancing.
    pub military_rate: f64,
    /// Military decay per turn.
    pub military_decay: f64,
    /// How fast dependence drifts toward its target.
    pub dependence_rate: f64,
    /// p, how far the mix moves dependence's target away from its structural level
    /// ([`small_state::SmallState::dependence_target`]).
    pub dependence_policy: f64,
    /// o, the target's offset below the structural level.
    pub dependence_offset: f64,
    /// Tests of a partner's support per turn at full support, outside coercion
    /// ([`ThirdPower::test_probability`]); 0 in v1, where only coercion tests partners.
    pub partner_test_rate: f64,
}
