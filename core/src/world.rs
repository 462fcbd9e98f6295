//! The world and one turn of it — what a small state, its great power and the third powers do each
//! quarter, in the order of docs/model.md §7b. Read [`World::step`] to see the whole model move.
//!
//! The world only *runs*; it does not write anything. Each step returns a [`TurnRecord`] (plain
//! numbers, no allocation) and an observer outside decides what to keep — see [`World::run`] and
//! the `hedgesim` crate's `output` module.

use crate::agents::{Dynamics, GreatPower, GreatPowerAction, SmallState, ThirdPower};
use crate::beliefs::{DEFAULT_PRIOR_HOSTILITY, DEFAULT_PRIOR_RELIABILITY};
use crate::param::{Field, Format};
use crate::payoff::{PayoffModel, PayoffParams};
use crate::rng::{RunRng, run_stream};
use crate::spectrum::{Label, Mix, N};
use rand::Rng;
use rand_distr::StandardNormal;
use serde::Serialize;
use std::sync::Arc;

/// Calendar: turn 0 is `start_year`; a turn is `1 / turns_per_year` of a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Clock {
    pub start_year: f64,
    pub turns_per_year: u32,
}

/// Defaults of the clock (`[meta]` in a scenario): quarters from 2000.
pub const DEFAULT_START_YEAR: f64 = 2000.0;
pub const DEFAULT_TURNS_PER_YEAR: u32 = 4;

impl Default for Clock {
    fn default() -> Self {
        Clock { start_year: DEFAULT_START_YEAR, turns_per_year: DEFAULT_TURNS_PER_YEAR }
    }
}

impl Clock {
    pub fn year(&self, turn: u32) -> f64 {
        self.start_year + f64::from(turn) / f64::from(self.turns_per_year)
    }

    /// The turn whose period contains calendar time `at` (a quarter runs from its start up to the
    /// next one: August 2008 = 2008.6 falls in turn 22 of a 2003 start). May be negative.
    pub fn turn_of(&self, at: f64) -> f64 {
        // A tiny epsilon keeps e.g. 2010.0 from landing a turn early through rounding.
        ((at - self.start_year) * f64::from(self.turns_per_year) + 1e-9).floor()
    }
}

/// One dated change to the world (docs/model.md §8), already resolved and validated.
#[derive(Debug, Clone)]
pub struct Event {
    pub turn: u32,
    pub label: String,
    /// Absolute values, applied first.
    pub set: Vec<(Field<World>, f64)>,
    /// Additions, clipped to the field's range, applied after `set`.
    pub shift: Vec<(Field<World>, f64)>,
    /// A public signal about the great power's hostility (> 0 hostile, < 0 benign).
    pub hostile_signal: Option<f64>,
    /// Signals about third powers' reliability, by index.
    pub reliability_signal: Vec<(usize, f64)>,
    /// Sets the small state's imminence.
    pub imminence: Option<f64>,
}

impl Event {
    pub fn apply(&self, w: &mut World) {
        for (path, v) in &self.set {
            path.set(w, *v);
        }
        for (path, v) in &self.shift {
            path.shift(w, *v);
        }
        if let Some(v) = self.hostile_signal {
            w.small_state.beliefs.hostility.belief.add_signal(v);
        }
        for &(i, v) in &self.reliability_signal {
            w.small_state.beliefs.reliability[i].add_signal(v);
        }
        if let Some(v) = self.imminence {
            w.small_state.imminence = v;
        }
    }
}

/// The numbers behind this turn's decision, kept so that `explain` can show *why*.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Diagnostics {
    pub payoff: PayoffModel,
    /// π: side-taking pressure the state felt.
    pub pressure: f64,
    pub mix_before: Mix,
    /// The great power's action probabilities (reward, hold, pressure, coerce).
    pub action_probabilities: [f64; 4],
}

impl Diagnostics {
    /// All zero: the storage a world's first turn fills.
    const BLANK: Diagnostics = Diagnostics {
        payoff: PayoffModel::BLANK,
        pressure: 0.0,
        mix_before: Mix::uniform(),
        action_probabilities: [0.0; 4],
    };
}

/// What happened in one turn: the observer's view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TurnRecord {
    pub turn: u32,
    pub year: f64,
    /// The policy chosen this turn.
    pub mix: Mix,
    pub acceptance: f64,
    pub rejection: f64,
    pub alignment: f64,
    pub hedging_intensity: f64,
    pub label: Label,
    pub action: GreatPowerAction,
    /// Belief about the great power's hostility the decision used (after this turn's events).
    pub belief_mean: f64,
    pub belief_var: f64,
    /// Variance planned with: belief variance plus fluidity over the horizon, times
    /// `1 − payoff.imminence_certainty·imm`.
    pub plan_var: f64,
    pub reliability_mean: f64,
    pub imminence: f64,
    pub vulnerability: f64,
    pub pressure: f64,
    /// End-of-turn military strength and dependence.
    pub mil: f64,
    pub dep: f64,
    /// Realised payoff, including the great power's action effect.
    pub payoff: f64,
}

/// One run's whole state. Cloning a world is how a sweep starts many runs from one scenario.
///
/// `World::default()` is the calibrated world: [`crate::schema`] sets every parameter of a blank
/// world to its default, so that each default is written once, in the schema.
#[derive(Debug, Clone)]
pub struct World {
    pub small_state: SmallState,
    pub great_power: GreatPower,
    pub third_powers: Vec<ThirdPower>,
    pub payoff: PayoffParams,
    pub dynamics: Dynamics,
    /// A rivalry that demands a choice (`decision.rivalry`): a property of the world's structure,
    /// felt by the small state as side-taking pressure and priced into provocation.
    pub rivalry: f64,
    /// τ, how much of each side a mix needs to be labelled hedging (`decision.label_threshold`):
    /// the observer's labelling, not the state's choice.
    pub label_threshold: f64,
    /// The calendar; outside the crate it changes only through [`World::set_clock`], which
    /// converts the rates again.
    pub(crate) clock: Clock,
    /// The format the world's parameters are read and written in (rates per turn or per year);
    /// the turn itself uses the stored per-turn numbers and never looks at it.
    format: Format,
    /// Sorted by turn (stable, so file order holds within a turn).
    pub events: Arc<[Event]>,
    /// The next turn to play.
    pub turn: u32,
    next_event: usize,
    pub rng: RunRng,
    /// The diagnostics of the last turn played.
    pub last: Option<Diagnostics>,
}

impl World {
    /// A world whose parameters are all zero (the agents' `Default`), with the default names and
    /// priors, the given format and clock, the uniform mix, no third powers and no events: the
    /// blank the schema fills ([`World::defaults`]).
    pub(crate) fn blank(format: Format, clock: Clock) -> World {
        let mut small_state = SmallState { name: "Small state".into(), ..SmallState::default() };
        let hostility = &mut small_state.beliefs.hostility;
        (hostility.prior, hostility.belief) = (DEFAULT_PRIOR_HOSTILITY, DEFAULT_PRIOR_HOSTILITY);
        small_state.beliefs.reliability_prior = DEFAULT_PRIOR_RELIABILITY;
        World {
            small_state,
            great_power: GreatPower { name: "Great power".into(), ..GreatPower::default() },
            third_powers: Vec::new(),
            payoff: PayoffParams::default(),
            dynamics: Dynamics::default(),
            rivalry: 0.0,
            label_threshold: 0.0,
            clock,
            format,
            events: Arc::from(Vec::new()),
            turn: 0,
            next_event: 0,
            rng: run_stream(0, 0),
            last: None,
        }
    }

    /// What the small state sees at the start of a turn ([`SmallState::perceive`]).
    pub fn perception(&self) -> crate::agents::small_state::Perception {
        self.small_state.perceive(&self.great_power, &self.third_powers, self.rivalry, &self.payoff)
    }

    /// The calendar: turn 0's year and the turns a year.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The format the world's parameters are read and written in.
    pub fn format(&self) -> Format {
        self.format
    }

    fn apply_due_events(&mut self) {
        // Fast path without touching the shared reference count: in a sweep every run on every
        // core shares this `Arc`, and cloning it each turn made the cores fight over one cache line.
        if self.events.get(self.next_event).is_none_or(|e| e.turn > self.turn) {
            return;
        }
        let events = Arc::clone(&self.events);
        while let Some(e) = events.get(self.next_event) {
            if e.turn > self.turn {
                break;
            }
            e.apply(self);
            self.next_event += 1;
        }
    }

    /// What the small state perceives in the next turn's step 2a: the turn's due events applied
    /// to a copy of the world, then [`World::perception`]. For `explain`, which shows the world as
    /// the decision saw it rather than after the turn's drift; the turn loop never calls it, so
    /// keeping the perception out of [`Diagnostics`] costs a turn nothing.
    pub fn next_perception(&self) -> crate::agents::small_state::Perception {
        let mut world = self.clone();
        world.apply_due_events();
        world.perception()
    }

    /// Play one turn (docs/model.md §7b) and return its record.
    pub fn step(&mut self) -> TurnRecord {
        // 1. Events dated this turn, in file order.
        self.apply_due_events();

        // 2. The small state reads the world and its beliefs, prices each component and adjusts
        // its mix.
        let seen = self.perception();
        let inputs = seen.inputs;
        let t_cap = inputs.third_power_capability;
        // The payoff model is recomputed where the diagnostics keep it: building it and moving it
        // there cost two copies of its bytes a turn (3–4% of a turn).
        let diagnostics = self.last.get_or_insert(Diagnostics::BLANK);
        diagnostics.payoff.set(&self.payoff, &inputs, &self.small_state.legit);
        diagnostics.pressure = seen.pressure;
        diagnostics.mix_before = self.small_state.mix;
        diagnostics.action_probabilities = [0.0; 4];
        let payoff = &diagnostics.payoff;
        self.small_state.decide(payoff, seen.pressure);
        let s = &self.small_state;
        let w = s.mix;

        // 3. The great power answers by logit choice.
        // In a format-2 file it decides at a rate per year: a turn without a decision is a hold
        // (docs/model.md §8b).
        let probabilities = self.great_power.probabilities(&self.great_power.utilities(&w, s.dep, s.mil, t_cap));
        let decision = self.great_power.decide(&probabilities, self.rng.random::<f64>());
        let action = decision.unwrap_or(GreatPowerAction::Hold);
        diagnostics.action_probabilities = self.great_power.chances(&probabilities);

        // 4. Nature draws the factors; the state collects its realised payoff.
        let mean_reliability = if self.third_powers.is_empty() {
            0.0
        } else {
            self.third_powers.iter().map(|t| t.reliability).sum::<f64>() / self.third_powers.len() as f64
        };
        let kappa = if self.rng.random::<f64>() < mean_reliability { 1.0 } else { 0.0 };
        let z: f64 = self.rng.sample::<f64, _>(StandardNormal) * self.payoff.shock_sd;
        // All seven ε_k are drawn before the sum (the same draws in the same order): with a draw
        // between each term the compiler kept the payoff rows in stack slots across the draws.
        let idio_draws: [f64; N] =
            std::array::from_fn(|_| self.payoff.idio * self.rng.sample::<f64, _>(StandardNormal));
        let mut realised = payoff.realised_payoff(&w, self.great_power.true_hostility, kappa, z, &idio_draws);
        let effect = action.payoff_effect(&w, s.dep, s.mil, t_cap);
        let punishment = action.punishment(self.payoff.pressure_share);
        realised += payoff.punished_payoff(&w, effect, punishment, self.payoff.coercion_channel);

        // 5–6. Partners are tested; the state learns who delivers, reads the action as evidence
        // about hostility and about the readiness to punish; imminence fades.
        // Per unit of the reason given (docs/model.md §3), the exposure counts how provocative
        // the mix the great power answered was; off, or when k is not learned at all, nothing is
        // computed or multiplied and v1 stays to the bit.
        let mut expected_from = inputs.believed_hostility * inputs.focus;
        let punishment_belief = &s.beliefs.punishment;
        if punishment_belief.learning && punishment_belief.per_reason {
            expected_from *= self.payoff.doctrine.reason_given(&w);
        }
        self.small_state.learn(decision, punishment, expected_from, &self.third_powers, &mut self.rng, &self.dynamics);

        // 7. Partners adjust support; military and dependence drift (using this turn's T).
        let (acceptance, rejection) = (w.acceptance(), w.rejection());
        for t in &mut self.third_powers {
            t.update_support(rejection, acceptance, &self.dynamics);
        }
        self.small_state.drift(t_cap, &self.dynamics);

        let record = TurnRecord {
            turn: self.turn,
            year: self.clock.year(self.turn),
            mix: w,
            acceptance,
            rejection,
            alignment: w.alignment(),
            hedging_intensity: w.hedging_intensity(),
            label: w.label(self.label_threshold),
            action,
            belief_mean: inputs.believed_hostility,
            belief_var: seen.belief_var,
            plan_var: payoff.planned_hostility_var,
            reliability_mean: inputs.reliability_mean,
            imminence: inputs.imminence,
            vulnerability: inputs.vulnerability,
            pressure: seen.pressure,
            mil: self.small_state.mil,
            dep: self.small_state.dep,
            payoff: realised,
        };
        self.turn += 1;
        record
    }

    /// Play `turns` turns, handing each record and the world after it to `observe`.
    pub fn run(&mut self, turns: u32, mut observe: impl FnMut(&TurnRecord, &World)) {
        for _ in 0..turns {
            let record = self.step();
            observe(&record, self);
        }
    }
}
