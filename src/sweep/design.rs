//! Experimental designs: which parameter values each configuration of a sweep gets.
//!
//! A configuration is identified by its id; its values are computed from the id on demand, so a
//! grid of a billion configurations costs no memory. Latin hypercube samples and table rows are
//! stored, because they are drawn or read once.

use crate::rng::RunRng;
use rand::{Rng, SeedableRng};

/// How the axes combine into configurations.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// Every combination (Cartesian product); the last axis varies fastest.
    Grid { values: Vec<Vec<f64>> },
    /// The i-th value of every axis together; all axes have the same length.
    Zip { values: Vec<Vec<f64>> },
    /// Latin hypercube samples (one row per configuration), drawn with the design seed.
    Lhs { rows: Vec<Vec<f64>> },
    /// Rows read from a CSV file (for Sobol or Morris designs from SALib or the EMA Workbench).
    Table { rows: Vec<Vec<f64>> },
    /// Saltelli's scheme on a scrambled Sobol' sequence (rows in SALib's order, see
    /// [`crate::sensitivity::sampling`]): `samples` base samples, with the BA rows if `second_order`.
    Sobol { rows: Vec<Vec<f64>>, samples: u32, second_order: bool },
    /// Morris trajectories on a grid of `levels` levels, D + 1 rows each.
    Morris { rows: Vec<Vec<f64>>, trajectories: u32, levels: u32 },
}

impl Design {
    pub fn name(&self) -> &'static str {
        match self {
            Design::Grid { .. } => "grid",
            Design::Zip { .. } => "zip",
            Design::Lhs { .. } => "lhs",
            Design::Table { .. } => "table",
            Design::Sobol { .. } => "sobol",
            Design::Morris { .. } => "morris",
        }
    }

    /// Number of configurations, or `None` if a grid is too large to count in a `u64`.
    pub fn configs(&self) -> Option<u64> {
        match self {
            Design::Grid { values } => values.iter().try_fold(1u64, |acc, v| acc.checked_mul(v.len() as u64)),
            Design::Zip { values } => Some(values.first().map_or(1, |v| v.len() as u64)),
            Design::Lhs { rows } | Design::Table { rows } => Some(rows.len() as u64),
            Design::Sobol { rows, .. } | Design::Morris { rows, .. } => Some(rows.len() as u64),
        }
    }

    /// Write configuration `id`'s value of each axis into `out` (one slot per axis).
    pub fn config(&self, id: u64, out: &mut [f64]) {
        match self {
            Design::Grid { values } => {
                let mut rest = id;
                for (slot, axis) in out.iter_mut().zip(values).rev() {
                    let n = axis.len() as u64;
                    *slot = axis[(rest % n) as usize];
                    rest /= n;
                }
            }
            Design::Zip { values } => {
                for (slot, axis) in out.iter_mut().zip(values) {
                    *slot = axis[id as usize];
                }
            }
            Design::Lhs { rows } | Design::Table { rows } => out.copy_from_slice(&rows[id as usize]),
            Design::Sobol { rows, .. } | Design::Morris { rows, .. } => out.copy_from_slice(&rows[id as usize]),
        }
    }
}

/// A Latin hypercube of `samples` points over `ranges`: each axis is cut into `samples` equal
/// strata, every stratum is used once, and the point falls uniformly within it. The draws come from
/// ChaCha8 seeded with `seed`, so the design is reproducible and independent of the runs' streams.
pub fn latin_hypercube(ranges: &[(f64, f64)], samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = RunRng::seed_from_u64(seed);
    let mut rows = vec![vec![0.0; ranges.len()]; samples];
    let mut strata: Vec<usize> = Vec::with_capacity(samples);
    for (a, &(from, to)) in ranges.iter().enumerate() {
        strata.clear();
        strata.extend(0..samples);
        // Fisher–Yates with the design stream.
        for i in (1..samples).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        for (row, &stratum) in rows.iter_mut().zip(&strata) {
            let u: f64 = rng.random();
            // Rounding must not carry a sample an ulp past the end of its range.
            row[a] = (from + (to - from) * (stratum as f64 + u) / samples as f64).clamp(from.min(to), from.max(to));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_a_cartesian_product_with_the_last_axis_fastest() {
        let d = Design::Grid { values: vec![vec![1.0, 2.0], vec![10.0, 20.0, 30.0]] };
        assert_eq!(d.configs(), Some(6));
        let mut out = [0.0; 2];
        let all: Vec<[f64; 2]> = (0..6)
            .map(|i| {
                d.config(i, &mut out);
                out
            })
            .collect();
        assert_eq!(all, [[1.0, 10.0], [1.0, 20.0], [1.0, 30.0], [2.0, 10.0], [2.0, 20.0], [2.0, 30.0]]);
    }

    #[test]
    fn grid_without_axes_is_one_configuration() {
        assert_eq!(Design::Grid { values: vec![] }.configs(), Some(1));
    }

    #[test]
    fn huge_grids_are_counted_without_overflow() {
        let axis: Vec<f64> = (0..1000).map(f64::from).collect();
        let d = Design::Grid { values: vec![axis; 7] };
        assert_eq!(d.configs(), None);
    }

    #[test]
    fn zip_pairs_values() {
        let d = Design::Zip { values: vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]] };
        assert_eq!(d.configs(), Some(3));
        let mut out = [0.0; 2];
        d.config(1, &mut out);
        assert_eq!(out, [2.0, 5.0]);
    }

    #[test]
    fn latin_hypercube_uses_every_stratum_once() {
        let rows = latin_hypercube(&[(0.0, 1.0), (10.0, 20.0)], 50, 7);
        assert_eq!(rows.len(), 50);
        for (a, (from, to)) in [(0.0, 1.0), (10.0, 20.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = rows.iter().map(|r| ((r[a] - from) / (to - from) * 50.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
        assert_eq!(rows, latin_hypercube(&[(0.0, 1.0), (10.0, 20.0)], 50, 7), "reproducible");
        assert_ne!(rows, latin_hypercube(&[(0.0, 1.0), (10.0, 20.0)], 50, 8));
    }
}
