//! The doctrine table: how each component pays in a benign world and how that changes when the
//! great power turns hostile, third powers protect, or the economy is shocked (docs/model.md §4).
//!
//! This table is the heart of Kuik's risk-offset logic. The acceptance side pays in a benign world
//! and is exploited in a hostile one (Jović-Lazić & Bošković's "overly dependent"); the rejection side insures
//! against a hostile world but provokes and forgoes cooperation (Rahimova 2022, Sherwood: balancing "can
//! provoke"). Because their hostility loadings have opposite signs, holding both offsets risk.
//! Every entry is overridable per scenario (`[doctrine.PB] prov = 1.0`) and shown by `explain`.

use crate::spectrum::{Component, Mix, N};
use serde::Serialize;

/// One coefficient of a doctrine row, named as in docs/model.md §4 and in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coefficient {
    /// `ret`: return in a benign world.
    Return,
    /// `depret`: extra benign-world return per unit of economic dependence.
    DependenceReturn,
    /// `ins`: insurance value if the great power is hostile.
    Insurance,
    /// `prov`: provocation of a hostile great power, scaled by vulnerability (< 0 reassures).
    Provocation,
    /// `expl`: exposure to exploitation by a hostile great power.
    Exploitation,
    /// `prot`: value of third-power protection.
    Protection,
    /// `shock`: exposure to economic shocks, scaled by dependence.
    Shock,
    /// `div`: how the component pays on the economic shock in proportion to what the economy
    /// can be diversified into, `1 − dep` (Kuik's developmental risk; 0 in v1).
    Diversification,
    /// `aut`: how the component pays when the great power interferes in the state's own
    /// policymaking, its loading on the autonomy factor (Kuik's political risk; 0 in v1).
    Autonomy,
    /// `reg`: how the component pays when the region's diffuse, cross-border risks strike, its
    /// loading on the regional factor (indirect balancing's own insurance; 0 in v1).
    Regional,
}

impl Coefficient {
    pub const ALL: [Coefficient; 10] = [
        Coefficient::Return,
        Coefficient::DependenceReturn,
        Coefficient::Insurance,
        Coefficient::Provocation,
        Coefficient::Exploitation,
        Coefficient::Protection,
        Coefficient::Shock,
        Coefficient::Diversification,
        Coefficient::Autonomy,
        Coefficient::Regional,
    ];

    /// The key used in scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            Coefficient::Return => "ret",
            Coefficient::DependenceReturn => "depret",
            Coefficient::Insurance => "ins",
            Coefficient::Provocation => "prov",
            Coefficient::Exploitation => "expl",
            Coefficient::Protection => "prot",
            Coefficient::Shock => "shock",
            Coefficient::Diversification => "div",
            Coefficient::Autonomy => "aut",
            Coefficient::Regional => "reg",
        }
    }

    pub fn from_key(key: &str) -> Option<Coefficient> {
        Coefficient::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One row of the table: the payoff coefficients of one component.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DoctrineRow {
    pub ret: f64,
    pub depret: f64,
    pub ins: f64,
    pub prov: f64,
    pub expl: f64,
    pub prot: f64,
    pub shock: f64,
    /// DIV: the economic shock's loading per unit of `1 − dep`, what the economy can still be
    /// diversified into. Dominance denial's insurance against the great power's economy is
    /// diversification, and a state bound to that economy has little to diversify into
    /// (Preiherman 2017: "heavy multi-level dependence ... structurally restricts its
    /// manoeuvring space"), so its offset shrinks as dependence grows.
    pub div: f64,
    /// AUT: the loading on the autonomy factor, how far the great power will interfere in the
    /// state's policymaking (Rahimova 2022: dominance denial is against a power able "to
    /// intervene in a state's policymaking in an excessive way"). Negative for what gives
    /// autonomy away, positive for what keeps it.
    pub aut: f64,
    /// REG: the loading on the regional factor, the region's diffuse, cross-border risks,
    /// uncertain apart from the great power's hostility: indirect balancing answers them ("diffuse
    /// uncertainties", Kuik in Rahimova 2022; "various cross-border risks that small states
    /// overcome through international military cooperation and strengthening their military
    /// capacities", Jović-Lazić & Bošković 2024), trade and transit lose by them. Positive for
    /// what insures, negative for what is exposed.
    pub reg: f64,
}

impl DoctrineRow {
    pub fn get(&self, c: Coefficient) -> f64 {
        match c {
            Coefficient::Return => self.ret,
            Coefficient::DependenceReturn => self.depret,
            Coefficient::Insurance => self.ins,
            Coefficient::Provocation => self.prov,
            Coefficient::Exploitation => self.expl,
            Coefficient::Protection => self.prot,
            Coefficient::Shock => self.shock,
            Coefficient::Diversification => self.div,
            Coefficient::Autonomy => self.aut,
            Coefficient::Regional => self.reg,
        }
    }

    pub fn get_mut(&mut self, c: Coefficient) -> &mut f64 {
        match c {
            Coefficient::Return => &mut self.ret,
            Coefficient::DependenceReturn => &mut self.depret,
            Coefficient::Insurance => &mut self.ins,
            Coefficient::Provocation => &mut self.prov,
            Coefficient::Exploitation => &mut self.expl,
            Coefficient::Protection => &mut self.prot,
            Coefficient::Shock => &mut self.shock,
            Coefficient::Diversification => &mut self.div,
            Coefficient::Autonomy => &mut self.aut,
            Coefficient::Regional => &mut self.reg,
        }
    }
}

/// A row of the v1 columns; the v2 factors' columns (`div`, `aut`, `reg`) are 0 in the default table.
const fn row(ret: f64, depret: f64, ins: f64, prov: f64, expl: f64, prot: f64, shock: f64) -> DoctrineRow {
    DoctrineRow { ret, depret, ins, prov, expl, prot, shock, div: 0.0, aut: 0.0, reg: 0.0 }
}

/// The whole table, one row per component in spectrum order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Doctrine(pub [DoctrineRow; N]);

/// The default table: docs/model.md §4 as calibrated (docs/calibration/README.md lists each
/// change from the v1 reference model with its reason). The single source of these numbers.
pub const DEFAULT_DOCTRINE: Doctrine = Doctrine([
    //   ret   depret  ins    prov    expl   prot   shock
    row(-0.60, -0.5, 0.30, 1.20, 0.00, 1.0, 0.0),     // pure balancing
    row(-0.03, -0.443, 0.467, 0.215, 0.00, 0.4, 0.0), // indirect balancing
    row(0.09, -0.127, 0.45, 0.131, 0.00, 0.484, 0.0), // dominance denial
    row(0.45, 0.3, 0.00, 0.00, 0.536, 0.0, 0.5),      // economic pragmatism
    row(0.28, 0.06, 0.00, -0.20, 0.125, 0.0, 0.0),    // binding engagement
    row(0.34, 0.203, 0.00, -0.309, 0.55, 0.0, 0.1),   // limited bandwagoning
    row(0.35, 0.3, 0.00, -0.574, 1.10, 0.0, 0.3),     // pure bandwagoning
]);

impl Default for Doctrine {
    fn default() -> Self {
        DEFAULT_DOCTRINE
    }
}

impl Doctrine {
    pub fn row(&self, c: Component) -> &DoctrineRow {
        &self.0[c.index()]
    }

    pub fn row_mut(&mut self, c: Component) -> &mut DoctrineRow {
        &mut self.0[c.index()]
    }

    /// `G(w) = Σ_k w_k·max(PROV_k, 0) / max_k PROV_k`: how much reason to punish a mix gives,
    /// relative to the most provocative option (1 for a mix all in it, 0 for one that provokes not
    /// at all). Why: the state learns how the great power answers the reasons it is given, not how
    /// often it strikes a state that gives none (docs/model.md §3, "Learning k per unit of the
    /// reason given"). With no component of PROV > 0 every mix gives the same reason, G = 1. (G for
    /// the grounds to punish, since R is the rejection mass.)
    pub fn reason_given(&self, w: &Mix) -> f64 {
        let most = self.0.iter().fold(0.0_f64, |m, row| m.max(row.prov));
        if most > 0.0 {
            self.0.iter().zip(&w.0).map(|(row, wk)| wk * row.prov.max(0.0)).sum::<f64>() / most
        } else {
            1.0
        }
    }

    /// n = Σ_k w_k·PROV_k: the mix's net provocation, negative when its deference outweighs what
    /// it provokes. With `payoff.provocation_offset` > 0 the great power answers this net
    /// reason, not each component's (docs/model.md §4, "Provocation offset within the mix").
    pub fn net_provocation(&self, w: &Mix) -> f64 {
        self.0.iter().zip(&w.0).map(|(row, wk)| wk * row.prov).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostility_loadings_oppose_across_the_spectrum() {
        // The rejection side insures, the acceptance side is exploited: the sign structure that
        // makes holding both sides a hedge.
        let d = DEFAULT_DOCTRINE;
        for c in [Component::PureBalancing, Component::IndirectBalancing, Component::DominanceDenial] {
            assert!(d.row(c).ins > 0.0 && d.row(c).expl == 0.0 && d.row(c).prov > 0.0);
        }
        for c in [Component::BindingEngagement, Component::LimitedBandwagoning, Component::PureBandwagoning] {
            assert!(d.row(c).ins == 0.0 && d.row(c).expl > 0.0 && d.row(c).prov < 0.0);
        }
    }

    /// A mix all in one component.
    fn pure(c: Component) -> Mix {
        Mix(std::array::from_fn(|k| if k == c.index() { 1.0 } else { 0.0 }))
    }

    /// n is the PROV column weighted by the mix: negative for the appeasing end, positive for the
    /// provoking one.
    #[test]
    fn the_net_provocation_is_the_mix_weighted_prov_column() {
        let d = DEFAULT_DOCTRINE;
        let w = Mix::normalised([0.1, 0.2, 0.05, 0.25, 0.2, 0.1, 0.1]).unwrap();
        let by_hand: f64 = Component::ALL.iter().map(|&c| w.0[c.index()] * d.row(c).prov).sum();
        assert_eq!(d.net_provocation(&w), by_hand);
        assert!(d.net_provocation(&pure(Component::PureBandwagoning)) < 0.0);
        assert!(d.net_provocation(&pure(Component::DominanceDenial)) > 0.0);
    }

    /// G is 1 for the most provocative option alone, 0 for a mix of appeasing options, linear in
    /// between, and 1 whatever the mix when nothing provokes.
    #[test]
    fn the_reason_given_is_the_mix_provocation_relative_to_the_most_provocative_option() {
        let d = DEFAULT_DOCTRINE;
        assert_eq!(d.reason_given(&pure(Component::PureBalancing)), 1.0);
        assert_eq!(d.reason_given(&pure(Component::PureBandwagoning)), 0.0);
        let dd = d.row(Component::DominanceDenial).prov / d.row(Component::PureBalancing).prov;
        assert!((d.reason_given(&pure(Component::DominanceDenial)) - dd).abs() < 1e-15);
        let half = Mix(std::array::from_fn(|k| if k == 0 || k == 6 { 0.5 } else { 0.0 }));
        assert_eq!(d.reason_given(&half), 0.5);
        let mut calm = d;
        for row in &mut calm.0 {
            row.prov = row.prov.min(0.0);
        }
        assert_eq!(calm.reason_given(&half), 1.0);
    }

    #[test]
    fn coefficient_keys_round_trip() {
        let mut r = DEFAULT_DOCTRINE.0[0];
        for c in Coefficient::ALL {
            assert_eq!(Coefficient::from_key(c.key()), Some(c));
            *r.get_mut(c) = 9.0;
            assert_eq!(r.get(c), 9.0);
        }
    }
}
