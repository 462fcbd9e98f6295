//! Global sensitivity estimators, pure functions of a design's outputs: Sobol' first-order,
//! total and second-order indices from Saltelli's sampling scheme, and Morris's elementary
//! effects, each with bootstrap confidence intervals.
//!
//! The formulas are those of SALib (`SALib.analyze.sobol` and `SALib.analyze.morris`), so that
//! the same outputs give the same indices (`.ci/run` checks this against SALib itself):
//!
//! - first order, Saltelli et al. 2010 ("Variance based sensitivity analysis of model output.
//!   Design and estimator for the total sensitivity index", eq. (b) of table 2):
//!   `S1_i = mean(f(B)·(f(AB_i) − f(A))) / V`;
//! - total, Jansen 1999 (table 2, eq. (f)): `ST_i = mean((f(A) − f(AB_i))²) / 2V`;
//! - second order, Saltelli 2002 ("Making best use of model evaluations to compute sensitivity
//!   indices"): `S2_ij = mean(f(BA_i)·f(AB_j) − f(A)·f(B)) / V − S1_i − S1_j`;
//!
//! where `V` is the variance of `f(A)` and `f(B)` together, and the outputs are first standardised
//! (mean 0, standard deviation 1), as SALib does. Intervals are `±z·sd` of the index over
//! bootstrap resamples of the N base rows (z = Φ⁻¹(0.975)), drawn from a ChaCha8 stream seeded
//! by the caller, so they are reproducible.

use crate::rng::RunRng;
use crate::stats::Welford;
use rand::{Rng, SeedableRng};
use serde::Serialize;

/// z = Φ⁻¹(0.975): the half-width of a 95% interval in standard deviations.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An index and the half-width of its 95% bootstrap interval (`value ± conf`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub conf: f64,
}

/// What a design's outputs cannot give.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimatorError {
    #[error("{outputs} outputs are not a whole number of {what} of {per} rows")]
    Shape { outputs: usize, what: &'static str, per: usize },
    #[error("trajectory {trajectory}, step {step}: {message}")]
    Trajectory { trajectory: usize, step: usize, message: String },
}

/// Rows of a Saltelli design per base sample: A, AB_1…AB_D, (BA_1…BA_D,) B.
pub fn saltelli_rows_per_sample(d: usize, second_order: bool) -> usize {
    if second_order { 2 * d + 2 } else { d + 2 }
}

/// Sobol' indices of D parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndices {
    #[serde(rename = "S1")]
    pub s1: Vec<Estimate>,
    #[serde(rename = "ST")]
    pub st: Vec<Estimate>,
    /// `s2[i][j]` for i < j (the rest `None`), when the design has the BA rows.
    #[serde(rename = "S2")]
    pub s2: Option<Vec<Vec<Option<Estimate>>>>,
}

/// The outputs of a Saltelli design, split by matrix: `a[k]`, `b[k]`, `ab[i][k]`, `ba[i][k]`.
struct Saltelli {
    a: Vec<f64>,
    b: Vec<f64>,
    ab: Vec<Vec<f64>>,
    ba: Vec<Vec<f64>>,
}

impl Saltelli {
    fn split(y: &[f64], d: usize, second_order: bool) -> Result<Saltelli, EstimatorError> {
        let step = saltelli_rows_per_sample(d, second_order);
        if y.is_empty() || !y.len().is_multiple_of(step) {
            return Err(EstimatorError::Shape { outputs: y.len(), what: "Saltelli samples", per: step });
        }
        // Standardised as SALib does: the estimators of S1 and S2 are not shift-invariant in a
        // finite sample, so the same numbers need the same centring.
        let n_all = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n_all;
        let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n_all).sqrt();
        let z = |v: f64| (v - mean) / sd;
        let col = |offset: usize| y.iter().skip(offset).step_by(step).map(|&v| z(v)).collect::<Vec<f64>>();
        Ok(Saltelli {
            a: col(0),
            b: col(step - 1),
            ab: (0..d).map(|i| col(1 + i)).collect(),
            ba: if second_order { (0..d).map(|i| col(1 + d + i)).collect() } else { Vec::new() },
        })
    }

    /// V over the base rows `rows`: the population variance of f(A) and f(B) together.
    fn variance(&self, rows: &[usize]) -> f64 {
        let n = 2.0 * rows.len() as f64;
        let mean = rows.iter().map(|&k| self.a[k] + self.b[k]).sum::<f64>() / n;
        rows.iter().map(|&k| (self.a[k] - mean).powi(2) + (self.b[k] - mean).powi(2)).sum::<f64>() / n
    }

    fn mean_over(rows: &[usize], f: impl Fn(usize) -> f64) -> f64 {
        rows.iter().map(|&k| f(k)).sum::<f64>() / rows.len() as f64
    }

    fn first(&self, i: usize, rows: &[usize], v: f64) -> f64 {
        Self::mean_over(rows, |k| self.b[k] * (self.ab[i][k] - self.a[k])) / v
    }

    fn total(&self, i: usize, rows: &[usize], v: f64) -> f64 {
        0.5 * Self::mean_over(rows, |k| (self.a[k] - self.ab[i][k]).powi(2)) / v
    }

    fn second(&self, i: usize, j: usize, rows: &[usize], v: f64) -> f64 {
        let vij = Self::mean_over(rows, |k| self.ba[i][k] * self.ab[j][k] - self.a[k] * self.b[k]) / v;
        vij - self.first(i, rows, v) - self.first(j, rows, v)
    }

    /// Every index over `rows`, in a fixed order: S1 (D), ST (D), then S2 for i < j.
    fn all(&self, rows: &[usize], out: &mut Vec<f64>) {
        out.clear();
        let v = self.variance(rows);
        let d = self.ab.len();
        out.extend((0..d).map(|i| self.first(i, rows, v)));
        out.extend((0..d).map(|i| self.total(i, rows, v)));
        if !self.ba.is_empty() {
            for i in 0..d {
                for j in i + 1..d {
                    out.push(self.second(i, j, rows, v));
                }
            }
        }
    }
}

/// Running sums for the bootstrap standard deviation of many statistics at once.
struct Spread {
    stats: Vec<Welford>,
}

impl Spread {
    fn new(k: usize) -> Spread {
        Spread { stats: vec![Default::default(); k] }
    }

    fn push(&mut self, values: &[f64]) {
        self.stats.iter_mut().zip(values).for_each(|(w, &v)| w.push(v));
    }

    /// `z·sd` of each statistic over the resamples (NaN with fewer than two).
    fn conf(&self) -> Vec<f64> {
        self.stats.iter().map(|w| w.sd().map_or(f64::NAN, |sd| Z95 * sd)).collect()
    }
}

/// Draw `resamples` bootstrap resamples of `n` units (with replacement) from a ChaCha8 stream
/// seeded with `seed`, hand each to `each`. The draws depend on nothing but `seed`, `n` and
/// `resamples`, so the intervals are reproducible.
fn bootstrap(n: usize, resamples: u32, seed: u64, mut each: impl FnMut(&[usize])) {
    let mut rng = RunRng::seed_from_u64(seed);
    let mut rows = vec![0usize; n];
    for _ in 0..resamples {
        rows.iter_mut().for_each(|r| *r = rng.random_range(0..n));
        each(&rows);
    }
}

/// Sobol' indices from the outputs `y` of a Saltelli design of `d` parameters, in SALib's row
/// order (per base sample: A, AB_1…AB_D, then BA_1…BA_D if `second_order`, then B), with
/// `resamples` bootstrap resamples for the intervals. Outputs with no variance give NaN indices.
pub fn sobol(
    y: &[f64],
    d: usize,
    second_order: bool,
    resamples: u32,
    seed: u64,
) -> Result<SobolIndices, EstimatorError> {
    let s = Saltelli::split(y, d, second_order)?;
    let n = s.a.len();
    let all_rows: Vec<usize> = (0..n).collect();
    let mut point = Vec::new();
    s.all(&all_rows, &mut point);
    let mut spread = Spread::new(point.len());
    let mut scratch = Vec::with_capacity(point.len());
    bootstrap(n, resamples, seed, |rows| {
        s.all(rows, &mut scratch);
        spread.push(&scratch);
    });
    let conf = spread.conf();
    let est = |k: usize| Estimate { value: point[k], conf: conf[k] };
    let s2 = second_order.then(|| {
        let mut k = 2 * d;
        let mut m = vec![vec![None; d]; d];
        for (i, row) in m.iter_mut().enumerate() {
            for cell in row.iter_mut().skip(i + 1) {
                *cell = Some(est(k));
                k += 1;
            }
        }
        m
    });
    Ok(SobolIndices { s1: (0..d).map(est).collect(), st: (d..2 * d).map(est).collect(), s2 })
}

/// Morris's measures of D parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisIndices {
    /// Mean elementary effect: its sign says the direction of a monotone effect.
    pub mu: Vec<f64>,
    /// Mean absolute elementary effect (Campolongo, Cariboni and Saltelli 2007), with its
    /// bootstrap interval: the measure to rank parameters by.
    pub mu_star: Vec<Estimate>,
    /// Standard deviation of the elementary effects (n − 1): interactions or non-linearity.
    pub sigma: Vec<f64>,
}

/// The step of a Morris design of `levels` levels in the unit cube: Δ = p / (2(p − 1)).
pub fn morris_delta(levels: u32) -> f64 {
    f64::from(levels) / (2.0 * f64::from(levels - 1))
}

/// Morris's measures from the rows `x` of a design of trajectories (D + 1 rows each, one
/// parameter moved per step) and their outputs `y`. An elementary effect is
/// `(f(x with x_i at its higher value) − f(x with x_i at its lower)) / Δ`, as SALib computes it, so
/// `x` may be in the parameters' own units (any increasing transform of the unit cube). Intervals
/// of μ* resample whole trajectories.
pub fn morris(
    x: &[Vec<f64>],
    y: &[f64],
    d: usize,
    levels: u32,
    resamples: u32,
    seed: u64,
) -> Result<MorrisIndices, EstimatorError> {
    let per = d + 1;
    if y.is_empty() || !y.len().is_multiple_of(per) || x.len() != y.len() {
        return Err(EstimatorError::Shape { outputs: y.len(), what: "trajectories", per });
    }
    let delta = morris_delta(levels);
    let r = y.len() / per;
    // ee[t][i]: trajectory t's elementary effect of parameter i.
    let mut ee = vec![vec![f64::NAN; d]; r];
    for (t, effects) in ee.iter_mut().enumerate() {
        for step in 0..d {
            let (lo_row, hi_row) = (t * per + step, t * per + step + 1);
            let moved: Vec<usize> = (0..d).filter(|&i| x[lo_row][i] != x[hi_row][i]).collect();
            let err = |message: String| EstimatorError::Trajectory { trajectory: t, step, message };
            let &[i] = moved.as_slice() else {
                return Err(err(format!("{} parameters move in one step; a Morris step moves one", moved.len())));
            };
            if !effects[i].is_nan() {
                return Err(err(format!("parameter {i} moves twice in one trajectory")));
            }
            let up = x[hi_row][i] > x[lo_row][i];
            let diff = if up { y[hi_row] - y[lo_row] } else { y[lo_row] - y[hi_row] };
            effects[i] = diff / delta;
        }
    }
    let all: Vec<usize> = (0..r).collect();
    let mu_of = |rows: &[usize], i: usize| rows.iter().map(|&t| ee[t][i]).sum::<f64>() / rows.len() as f64;
    let mu_star_of = |rows: &[usize], i: usize| rows.iter().map(|&t| ee[t][i].abs()).sum::<f64>() / rows.len() as f64;
    let mut spread = Spread::new(d);
    let mut scratch = vec![0.0; d];
    bootstrap(r, resamples, seed, |rows| {
        scratch.iter_mut().enumerate().for_each(|(i, v)| *v = mu_star_of(rows, i));
        spread.push(&scratch);
    });
    let conf = spread.conf();
    let sigma = (0..d)
        .map(|i| {
            let mut w = Welford::default();
            ee.iter().for_each(|e| w.push(e[i]));
            w.sd().unwrap_or(f64::NAN)
        })
        .collect();
    Ok(MorrisIndices {
        mu: (0..d).map(|i| mu_of(&all, i)).collect(),
        mu_star: (0..d).map(|i| Estimate { value: mu_star_of(&all, i), conf: conf[i] }).collect(),
        sigma,
    })
}

#[cfg(test)]
mod tests {
    use super::super::sampling::{Distribution, Marginal, morris_unit, saltelli_unit, scale};
    use super::*;
    use std::f64::consts::PI;

    /// Ishigami and Homma's function, with the usual a = 7, b = 0.1, on [−π, π]³.
    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Its indices, from its variance decomposition (Saltelli et al. 2008, "Global Sensitivity
    /// Analysis. The Primer", § 4.9): V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = 8b²π⁸/225.
    fn ishigami_indices() -> ([f64; 3], [f64; 3], f64) {
        let (a, b, pi4) = (7.0f64, 0.1f64, PI.powi(4));
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * pi4 * pi4 / 225.0;
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v], v13 / v)
    }

    /// Sobol's G function on [0, 1]^D: g_i = (|4x − 2| + a_i)/(1 + a_i), with
    /// V_i = 1/(3(1 + a_i)²), S_i = V_i/V and ST_i = V_i·Π_{j≠i}(1 + V_j)/V, V = Π(1 + V_j) − 1.
    const G_A: [f64; 6] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];

    fn g_function(x: &[f64]) -> f64 {
        x.iter().zip(G_A).map(|(&x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a)).product()
    }

    fn g_indices() -> (Vec<f64>, Vec<f64>) {
        let vi: Vec<f64> = G_A.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
        let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
        let v = prod - 1.0;
        (vi.iter().map(|vi| vi / v).collect(), vi.iter().map(|vi| vi * prod / (1.0 + vi) / v).collect())
    }

    fn close(what: &str, got: f64, want: f64, tol: f64) {
        assert!((got - want).abs() < tol, "{what}: estimated {got:.4}, analytical {want:.4}");
    }

    #[test]
    fn sobol_indices_of_ishigami_match_the_analytical_ones() {
        let box3 = [Marginal { from: -PI, to: PI, distribution: Distribution::Uniform }; 3];
        let x = scale(saltelli_unit(1 << 13, 3, true, 1), &box3);
        let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
        let s = sobol(&y, 3, true, 200, 7).unwrap();
        let (s1, st, s13) = ishigami_indices();
        for i in 0..3 {
            close(&format!("S1_{i}"), s.s1[i].value, s1[i], 0.02);
            close(&format!("ST_{i}"), s.st[i].value, st[i], 0.02);
            assert!(s.s1[i].conf > 0.0 && s.s1[i].conf < 0.05, "S1_{i} interval ±{}", s.s1[i].conf);
            assert!(s.st[i].conf > 0.0 && s.st[i].conf < 0.05, "ST_{i} interval ±{}", s.st[i].conf);
        }
        let s2 = s.s2.unwrap();
        close("S2_13", s2[0][2].unwrap().value, s13, 0.03);
        close("S2_12", s2[0][1].unwrap().value, 0.0, 0.03);
        close("S2_23", s2[1][2].unwrap().value, 0.0, 0.03);
        assert!(s2[1][0].is_none() && s2[0][0].is_none());
        // Reproducible: the same seed gives the same intervals, another seed others.
        assert_eq!(sobol(&y, 3, true, 200, 7).unwrap().s1, sobol(&y, 3, true, 200, 7).unwrap().s1);
        assert_ne!(sobol(&y, 3, true, 200, 8).unwrap().s1[0].conf, s.s1[0].conf);
    }

    #[test]
    fn sobol_indices_of_the_g_function_match_the_analytical_ones() {
        let unit = saltelli_unit(1 << 12, 6, false, 3);
        let y: Vec<f64> = unit.iter().map(|r| g_function(r)).collect();
        let s = sobol(&y, 6, false, 100, 1).unwrap();
        assert!(s.s2.is_none());
        let (s1, st) = g_indices();
        for i in 0..6 {
            close(&format!("S1_{i}"), s.s1[i].value, s1[i], 0.02);
            close(&format!("ST_{i}"), s.st[i].value, st[i], 0.02);
        }
    }

    #[test]
    fn sobol_refuses_outputs_that_are_not_whole_samples() {
        assert!(matches!(sobol(&[1.0; 9], 3, false, 10, 0), Err(EstimatorError::Shape { per: 5, .. })));
        assert!(matches!(sobol(&[], 3, false, 10, 0), Err(EstimatorError::Shape { .. })));
    }

    /// A linear function's elementary effects are its slopes (per Δ of the unit cube), whatever
    /// the trajectory: μ = μ* = slope, σ = 0. A negative slope keeps its sign in μ only.
    #[test]
    fn morris_measures_of_a_linear_function_are_its_slopes() {
        let slopes = [3.0, -2.0, 0.0, 0.5];
        let unit = morris_unit(30, 4, 4, 2);
        let y: Vec<f64> = unit.iter().map(|r| r.iter().zip(slopes).map(|(x, c)| c * x).sum()).collect();
        // Any increasing map of the unit cube gives the same effects: the directions are kept.
        let ms = [Marginal { from: 1.0, to: 10.0, distribution: Distribution::LogUniform }; 4];
        let m = morris(&scale(unit, &ms), &y, 4, 4, 100, 0).unwrap();
        for (i, c) in slopes.into_iter().enumerate() {
            close(&format!("mu_{i}"), m.mu[i], c, 1e-9);
            close(&format!("mu*_{i}"), m.mu_star[i].value, c.abs(), 1e-9);
            close(&format!("sigma_{i}"), m.sigma[i], 0.0, 1e-9);
            close(&format!("mu*_conf_{i}"), m.mu_star[i].conf, 0.0, 1e-9);
        }
    }

    /// On the G function, μ* ranks the parameters as their analytical total indices do (the
    /// lower a_i, the more important), and the two unimportant ones are near zero.
    #[test]
    fn morris_ranks_the_g_function_parameters_like_their_total_indices() {
        let unit = morris_unit(200, 6, 4, 4);
        let y: Vec<f64> = unit.iter().map(|r| g_function(r)).collect();
        let m = morris(&unit, &y, 6, 4, 200, 4).unwrap();
        let mu_star: Vec<f64> = m.mu_star.iter().map(|e| e.value).collect();
        assert!(mu_star.windows(2).take(4).all(|w| w[0] > w[1]), "{mu_star:?}");
        assert!(mu_star[4] < 0.05 * mu_star[0] && mu_star[5] < 0.05 * mu_star[0], "{mu_star:?}");
        assert!(m.mu_star.iter().all(|e| e.conf > 0.0));
        // |4x − 2| is symmetric: the signed effects of parameter 0 cancel, so μ ≪ μ*.
        assert!(m.mu[0].abs() < 0.3 * mu_star[0], "mu {} against mu* {}", m.mu[0], mu_star[0]);
    }

    #[test]
    fn morris_refuses_rows_that_are_not_trajectories() {
        let x = vec![vec![0.0, 0.0], vec![1.0, 1.0], vec![1.0, 0.0]];
        let err = morris(&x, &[1.0, 2.0, 3.0], 2, 4, 10, 0).unwrap_err();
        assert!(err.to_string().contains("2 parameters move in one step"), "{err}");
        let x = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.0, 0.0]];
        let err = morris(&x, &[1.0, 2.0, 3.0], 2, 4, 10, 0).unwrap_err();
        assert!(err.to_string().contains("moves twice"), "{err}");
        assert!(matches!(morris(&x, &[1.0, 2.0], 2, 4, 10, 0), Err(EstimatorError::Shape { .. })));
    }
}
