//! Statistics of replications, shared by the sweep's summary, the sensitivity estimators and the
//! reports: a running mean and variance (Welford) and the confidence intervals summary.csv gives.
//! They live apart from `sweep` and `sensitivity` so that neither has to import the other for them.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Welford's running mean and variance: one pass, numerically stable, order-deterministic.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    pub n: u64,
    pub mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Sample standard deviation (n − 1); `None` for fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        (self.n >= 2).then(|| (self.m2 / (self.n - 1) as f64).sqrt())
    }

    /// The 95% confidence interval of the mean, `mean ± t(0.975, n − 1)·sd/√n`.
    pub fn ci95(&self) -> Option<(f64, f64)> {
        let sd = self.sd()?;
        let t = StudentsT::new(0.0, 1.0, (self.n - 1) as f64).ok()?.inverse_cdf(0.975);
        let half = t * sd / (self.n as f64).sqrt();
        Some((self.mean - half, self.mean + half))
    }
}

/// The 95% Wilson score interval of a proportion `p` observed over `n` trials.
///
/// The Student-t interval `p ± t·sd/√n` misbehaves at the edges where shares of hedging runs
/// often sit: at p = 0.015 over 200 runs its lower bound is negative, and at p = 0 it is [0, 0], as
/// if no sampling error were possible. Wilson's interval inverts the score test instead, so it
/// stays within [0, 1] and keeps a width at p = 0 and 1. For a share of runs ending in a label the
/// trials are the runs. A share of turns is a mean of per-run fractions in [0, 1], whose variance is
/// at most p(1 − p), so the same interval over the runs is valid for it, if conservative.
pub fn wilson95(p: f64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    // z = Φ⁻¹(0.975).
    const Z: f64 = 1.959_963_984_540_054;
    let (n, z2) = (n as f64, Z * Z);
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_the_two_pass_formulas() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.push(x));
        assert_eq!(w.mean, 5.0);
        let sd = (xs.iter().map(|x| (x - 5.0f64).powi(2)).sum::<f64>() / 7.0).sqrt();
        assert!((w.sd().unwrap() - sd).abs() < 1e-12);
        // t(0.975, 7) = 2.364624 (tables).
        let (lo, hi) = w.ci95().unwrap();
        assert!((hi - 5.0 - 2.364624 * sd / 8f64.sqrt()).abs() < 1e-5);
        assert!((5.0 - lo - (hi - 5.0)).abs() < 1e-12);
        let mut one = Welford::default();
        one.push(3.0);
        assert_eq!((one.sd(), one.ci95()), (None, None));
    }

    /// Wilson 95% intervals against values computed by hand from
    /// (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
    #[test]
    fn wilson_intervals_match_hand_computed_values() {
        let close = |(lo, hi): (f64, f64), (a, b): (f64, f64)| (lo - a).abs() < 1e-9 && (hi - b).abs() < 1e-9;
        // 3 of 200: the case where Student-t gave a negative lower bound.
        assert!(close(wilson95(0.015, 200).unwrap(), (0.005_114_237_8, 0.043_165_728_8)));
        // None of 200: not [0, 0].
        assert!(close(wilson95(0.0, 200).unwrap(), (0.0, 0.018_845_326_4)));
        assert!(close(wilson95(1.0, 200).unwrap(), (0.981_154_673_6, 1.0)));
        // 5 of 10, the textbook example: [0.2366, 0.7634].
        assert!(close(wilson95(0.5, 10).unwrap(), (0.236_593_090_5, 0.763_406_909_5)));
        assert!(close(wilson95(1.0, 1).unwrap(), (0.206_549_314_4, 1.0)));
        assert_eq!(wilson95(0.5, 0), None);
    }
}
