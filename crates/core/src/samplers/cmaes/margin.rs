//! CMA-ES with margin (Hamano et al., 2022), as the `cmaes` package's `CMAwM`: for
//! integer and stepped dimensions the sampled value is snapped to the grid, and after
//! each update the mean and a per-dimension scale `A` are corrected so that the
//! probability of leaving the current grid cell never drops below the margin, which
//! keeps a discrete dimension from freezing.

use crate::samplers::tpe::truncnorm::{ndtr, ppf};

use super::optimizer::{Cov, Run};

/// The discrete dimensions of the unit box: index, grid step and number of values.
#[derive(Clone, Debug)]
pub(super) struct Grid {
    dims: Vec<(usize, f64, usize)>,
    margin: f64,
}

/// The chi-squared (1 degree of freedom) quantile: the squared normal quantile.
fn chi2_ppf(q: f64) -> f64 {
    ppf((1.0 + q) / 2.0, f64::NEG_INFINITY, f64::INFINITY).powi(2)
}

impl Grid {
    /// `steps[i]` is the grid step of dimension i in the unit box, 0 for continuous.
    pub fn new(steps: &[f64], popsize: usize) -> Grid {
        let dims = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(i, &s)| (i, s, libm::ceil((1.0 + s / 2.0) / s) as usize))
            .collect();
        Grid {
            dims,
            margin: 1.0 / (steps.len() * popsize) as f64,
        }
    }

    /// True when some dimension is discrete.
    pub fn is_active(&self) -> bool {
        !self.dims.is_empty()
    }

    /// True for a discrete dimension.
    pub fn is_discrete(&self, i: usize) -> bool {
        self.dims.iter().any(|(d, _, _)| *d == i)
    }

    fn limit(step: f64, k: usize) -> f64 {
        (k as f64 * step + (k + 1) as f64 * step) / 2.0
    }

    /// The grid index nearest `v` by the cell limits.
    fn index(step: f64, size: usize, v: f64) -> usize {
        let mut k = libm::floor(v / step + 0.5).clamp(0.0, (size - 1) as f64) as usize;
        if k > 0 && v <= Self::limit(step, k - 1) {
            k -= 1;
        }
        if k < size - 1 && v > Self::limit(step, k.min(size - 2)) {
            k += 1;
        }
        k
    }

    /// The cell limits around `v`.
    fn limits(step: f64, size: usize, v: f64) -> (f64, f64) {
        let k = Self::index(step, size, v) as isize;
        let clip = |k: isize| k.clamp(0, size as isize - 2) as usize;
        (Self::limit(step, clip(k - 1)), Self::limit(step, clip(k)))
    }

    /// The sample `x` with its discrete dimensions scaled by `a` around the mean and
    /// snapped to the grid.
    pub fn encode(&self, x: &[f64], run: &Run, a: &[f64]) -> Vec<f64> {
        let mut out = x.to_vec();
        for &(i, step, size) in &self.dims {
            let scaled = (x[i] - run.mean[i]) * a[i] + run.mean[i];
            out[i] = Self::index(step, size, scaled) as f64 * step;
        }
        out
    }

    /// The margin correction after a tell: moves the mean and sets `a` so that each
    /// discrete dimension keeps at least `margin` probability outside its cell.
    pub fn correct(&self, run: &mut Run, a: &mut [f64]) {
        let diag = |i: usize| match &run.cov {
            Cov::Full(c) => c[i][i],
            Cov::Diagonal(c) => c[i],
        };
        let half = self.margin / 2.0;
        for &(i, step, size) in &self.dims {
            let m = run.mean[i];
            let c = diag(i);
            let (lo, up) = Self::limits(step, size, m);
            let scale = run.sigma * a[i] * libm::sqrt(c);
            let low_cdf = ndtr((lo - m) / scale);
            let up_cdf = 1.0 - ndtr((up - m) / scale);
            let mid_cdf = 1.0 - (low_cdf + up_cdf);
            if low_cdf.max(up_cdf) > 0.5 {
                if low_cdf.min(up_cdf) < self.margin {
                    let sign = (m - up).signum() * f64::from(m != up);
                    let dist = run.sigma * a[i] * libm::sqrt(chi2_ppf(1.0 - 2.0 * self.margin) * c);
                    run.mean[i] = up + sign * dist;
                }
                continue;
            }
            let low = low_cdf.max(half);
            let upper = up_cdf.max(half);
            let spare = 1.0 - low - upper - mid_cdf;
            let denominator = low + mid_cdf + upper - 3.0 * half;
            let clip = |p: f64| p.clamp(1e-10, 0.5 - 1e-10);
            let low_mod = clip(low + spare * (low - half) / denominator);
            let up_mod = clip(upper + spare * (upper - half) / denominator);
            let chi_low = libm::sqrt(chi2_ppf(1.0 - 2.0 * low_mod));
            let chi_up = libm::sqrt(chi2_ppf(1.0 - 2.0 * up_mod));
            a[i] = (up - lo) / ((chi_low + chi_up) * run.sigma * libm::sqrt(c));
            run.mean[i] = (lo * chi_up + up * chi_low) / (chi_low + chi_up);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_follow_the_cell_limits() {
        // Five values 0, 0.25, ..., 1 in the unit box.
        assert_eq!(Grid::index(0.25, 5, 0.0), 0);
        assert_eq!(Grid::index(0.25, 5, 0.13), 1);
        assert_eq!(Grid::index(0.25, 5, 0.12), 0);
        assert_eq!(Grid::index(0.25, 5, 1.2), 4);
        assert_eq!(Grid::limits(0.25, 5, 0.5), (0.375, 0.625));
        assert_eq!(Grid::new(&[0.25, 0.0], 6).dims, vec![(0, 0.25, 5)]);
    }

    #[test]
    fn chi2_quantile_matches_scipy() {
        // scipy.stats.chi2.ppf(0.95, df=1)
        assert!((chi2_ppf(0.95) - 3.841_458_820_694_124).abs() < 1e-9);
    }

    #[test]
    fn the_margin_keeps_a_converged_discrete_dimension_moving() {
        let grid = Grid::new(&[0.25], 6);
        let mut run = Run::new(vec![0.5], 1e-6, None, 6, false);
        let mut a = vec![1.0];
        grid.correct(&mut run, &mut a);
        let scale = run.sigma * a[0];
        // Leaving the cell [0.375, 0.625] now has at least the margin's probability.
        let outside =
            ndtr((0.375 - run.mean[0]) / scale) + 1.0 - ndtr((0.625 - run.mean[0]) / scale);
        assert!(outside >= grid.margin * 0.99, "{outside}");
    }
}
