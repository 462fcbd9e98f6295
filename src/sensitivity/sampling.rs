//! The sample matrices of the two screening designs, drawn in the unit cube and mapped onto each
//! parameter's range through its distribution.
//!
//! - Sobol' (Saltelli's scheme): N points of a 2D-dimensional Owen-scrambled Sobol' sequence
//!   (the `sobol_burley` crate; docs/sensitivity.md says why that one) give the base matrices A
//!   (first D coordinates) and B (last D); each point yields the rows A, AB_1…AB_D (A with column
//!   i from B), BA_1…BA_D if second order (B with column i from A), and B, in SALib's order. The
//!   scramble is seeded with the design seed. N is a power of two: only then are the first N
//!   points a balanced net of the sequence.
//! - Morris (1991), with Campolongo et al.'s (2007) μ*: r trajectories on a grid of p levels
//!   (p even). Each starts at a random grid point, then moves every parameter once, in random order
//!   and direction, by Δ = p/(2(p − 1)). The draws come from ChaCha8 seeded with the design seed.

use crate::rng::RunRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use statrs::distribution::{ContinuousCDF, Normal};

/// Most base samples of a Sobol' design: the length of sequence `sobol_burley` supports.
pub const MAX_SOBOL_SAMPLES: u32 = 1 << 16;
/// Most parameters of a Sobol' design: 2D dimensions of `sobol_burley`'s 256.
pub const MAX_SOBOL_PARAMETERS: usize = 128;

/// How a parameter's values spread over its range `[from, to]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    Uniform,
    /// Uniform in the logarithm: for scale parameters spanning orders of magnitude (from > 0).
    LogUniform,
    /// A normal distribution truncated to the range, so that every value is one the field takes.
    Normal {
        mean: f64,
        sd: f64,
    },
}

/// One parameter's range (`from` < `to`, as the sweep file's reader checks) and distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marginal {
    pub from: f64,
    pub to: f64,
    pub distribution: Distribution,
}

impl Marginal {
    /// The value at quantile `u` in [0, 1]: 0 gives `from`, 1 gives `to`, and the map is
    /// increasing, so an elementary effect's direction is the same in either scale.
    pub fn at(&self, u: f64) -> f64 {
        let (lo, hi) = (self.from, self.to);
        let v = match self.distribution {
            Distribution::Uniform => self.from + (self.to - self.from) * u,
            Distribution::LogUniform => (self.from.ln() + (self.to.ln() - self.from.ln()) * u).exp(),
            Distribution::Normal { mean, sd } => {
                let uniform = lo + (hi - lo) * u;
                match Normal::new(mean, sd) {
                    // A normal with (almost) no mass in the range, far out or very narrow: no
                    // quantile within it can be told apart, so the range is taken as uniform.
                    Ok(n) if n.cdf(hi) > n.cdf(lo) => {
                        let (pa, pb) = (n.cdf(lo), n.cdf(hi));
                        let v = n.inverse_cdf(pa + (pb - pa) * u);
                        if v.is_nan() { uniform } else { v }
                    }
                    _ => uniform,
                }
            }
        };
        // Rounding must not carry a value an ulp outside its range; -0 is 0.
        if u <= 0.0 {
            self.from + 0.0
        } else if u >= 1.0 {
            self.to + 0.0
        } else {
            v.clamp(lo, hi) + 0.0
        }
    }
}

/// The Owen-scramble seed of `sobol_burley` (32 bits) from a 64-bit design seed.
fn scramble_seed(seed: u64) -> u32 {
    (seed ^ (seed >> 32)) as u32
}

/// The unit-cube Saltelli matrix: `n` base samples of `d` parameters, `n·(d + 2)` rows (or
/// `n·(2d + 2)` with `second_order`), in SALib's order.
pub fn saltelli_unit(n: u32, d: usize, second_order: bool, seed: u64) -> Vec<Vec<f64>> {
    assert!(n <= MAX_SOBOL_SAMPLES && d <= MAX_SOBOL_PARAMETERS, "checked when the sweep file was read");
    let seed = scramble_seed(seed);
    let mut rows = Vec::with_capacity(n as usize * super::estimators::saltelli_rows_per_sample(d, second_order));
    for j in 0..n {
        let point: Vec<f64> = (0..2 * d as u32).map(|k| f64::from(sobol_burley::sample(j, k, seed))).collect();
        let (a, b) = point.split_at(d);
        rows.push(a.to_vec());
        for i in 0..d {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            rows.push(ab);
        }
        if second_order {
            for i in 0..d {
                let mut ba = b.to_vec();
                ba[i] = a[i];
                rows.push(ba);
            }
        }
        rows.push(b.to_vec());
    }
    rows
}

/// The unit-cube Morris matrix: `trajectories` trajectories of `d + 1` rows on `levels` levels.
pub fn morris_unit(trajectories: u32, d: usize, levels: u32, seed: u64) -> Vec<Vec<f64>> {
    assert!(levels >= 2 && levels.is_multiple_of(2), "checked when the sweep file was read");
    let mut rng = RunRng::seed_from_u64(seed);
    let grid = f64::from(levels - 1);
    // Δ in grid steps: p/2 levels, so a start in the lower half always has its partner on the grid.
    let jump = levels / 2;
    let mut rows = Vec::with_capacity(trajectories as usize * (d + 1));
    let mut order: Vec<usize> = (0..d).collect();
    for _ in 0..trajectories {
        let mut level: Vec<u32> = Vec::with_capacity(d);
        let mut up: Vec<bool> = Vec::with_capacity(d);
        for _ in 0..d {
            let base = rng.random_range(0..jump);
            let rising = rng.random_bool(0.5);
            level.push(if rising { base } else { base + jump });
            up.push(rising);
        }
        order.shuffle(&mut rng);
        let unit = |level: &[u32]| level.iter().map(|&l| f64::from(l) / grid).collect::<Vec<f64>>();
        rows.push(unit(&level));
        for &i in &order {
            level[i] = if up[i] { level[i] + jump } else { level[i] - jump };
            rows.push(unit(&level));
        }
    }
    rows
}

/// Map unit-cube rows onto the parameters' ranges.
pub fn scale(unit: Vec<Vec<f64>>, marginals: &[Marginal]) -> Vec<Vec<f64>> {
    unit.into_iter().map(|row| row.iter().zip(marginals).map(|(&u, m)| m.at(u)).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marginals_map_the_ends_onto_the_range_and_increase() {
        let ms = [
            Marginal { from: 2.0, to: 10.0, distribution: Distribution::Uniform },
            Marginal { from: 0.01, to: 100.0, distribution: Distribution::LogUniform },
            Marginal { from: 0.0, to: 1.0, distribution: Distribution::Normal { mean: 0.3, sd: 0.2 } },
        ];
        for m in ms {
            assert_eq!((m.at(0.0), m.at(1.0)), (m.from, m.to));
            let vs: Vec<f64> = (0..=100).map(|k| m.at(f64::from(k) / 100.0)).collect();
            assert!(vs.windows(2).all(|w| w[0] < w[1]), "{m:?} is not increasing");
        }
        // Log-uniform: the middle quantile is the geometric mean; uniform: the arithmetic one.
        assert!((ms[1].at(0.5) - 1.0).abs() < 1e-12);
        assert_eq!(ms[0].at(0.5), 6.0);
        // Truncated normal: the median of N(0.3, 0.2) cut to [0, 1] lies just above 0.3.
        let med = ms[2].at(0.5);
        assert!(med > 0.3 && med < 0.33, "{med}");
        // A normal with no mass in the range (far out, or too narrow to resolve) falls back to
        // uniform rather than to NaN or an end.
        for (mean, sd) in [(1e300, 1.0), (0.5, 1e-300), (-50.0, 0.1)] {
            let m = Marginal { from: 0.0, to: 1.0, distribution: Distribution::Normal { mean, sd } };
            let vs: Vec<f64> = (0..=10).map(|k| m.at(f64::from(k) / 10.0)).collect();
            assert!(vs.iter().all(|v| (0.0..=1.0).contains(v)), "N({mean}, {sd}): {vs:?}");
            assert!(vs.windows(2).all(|w| w[0] <= w[1]), "N({mean}, {sd}): {vs:?}");
        }
    }

    #[test]
    fn saltelli_rows_follow_salib_order() {
        let (n, d) = (8, 3);
        let rows = saltelli_unit(n, d, true, 5);
        assert_eq!(rows.len(), 8 * 8);
        for j in 0..n as usize {
            let r = &rows[j * 8..(j + 1) * 8];
            let (a, b) = (&r[0], &r[7]);
            for i in 0..d {
                let ab = &r[1 + i];
                let ba = &r[1 + d + i];
                for k in 0..d {
                    assert_eq!(ab[k], if k == i { b[k] } else { a[k] });
                    assert_eq!(ba[k], if k == i { a[k] } else { b[k] });
                }
            }
        }
        // Each coordinate of the base points hits every one of the N strata once (a net).
        for k in 0..2 * d {
            // Coordinate k of the 2D-dimensional point: A's columns, then B's.
            let at = |j: usize| if k < d { rows[j * 8][k] } else { rows[j * 8 + 7][k - d] };
            let mut strata: Vec<usize> = (0..n as usize).map(|j| (at(j) * f64::from(n)) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..n as usize).collect::<Vec<_>>());
        }
        assert_eq!(rows, saltelli_unit(n, d, true, 5), "reproducible");
        assert_ne!(rows, saltelli_unit(n, d, true, 6), "the seed scrambles");
    }

    #[test]
    fn morris_trajectories_move_each_parameter_once_by_delta() {
        let (r, d, p) = (20, 5, 4);
        let rows = morris_unit(r, d, p, 9);
        assert_eq!(rows.len(), 20 * 6);
        let delta = super::super::estimators::morris_delta(p);
        for t in 0..r as usize {
            let mut moved = vec![0; d];
            for s in 0..d {
                let (x0, x1) = (&rows[t * 6 + s], &rows[t * 6 + s + 1]);
                let diff: Vec<usize> = (0..d).filter(|&i| x0[i] != x1[i]).collect();
                assert_eq!(diff.len(), 1);
                assert!(((x1[diff[0]] - x0[diff[0]]).abs() - delta).abs() < 1e-12);
                moved[diff[0]] += 1;
            }
            assert_eq!(moved, vec![1; d]);
            assert!(rows[t * 6..t * 6 + 6].iter().flatten().all(|&u| (0.0..=1.0).contains(&u)));
        }
        assert_eq!(rows, morris_unit(r, d, p, 9));
    }
}
