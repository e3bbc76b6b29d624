//! Optuna 5's `qLogEI` with its `ConditionalGPRegressor`: log expected improvement
//! when other trials are still running, so concurrent askers spread out.
//!
//! The running points R get fixed fantasy values, drawn once per ask from their joint
//! posterior with scrambled-Sobol normal samples. For a query x, the posterior of f(x)
//! conditioned on each fantasy is normal with mean
//! `μ(x) + c(x)ᵀ Σ_RR⁻¹ (f_R - μ_R)` and variance `σ²(x) - c(x)ᵀ Σ_RR⁻¹ c(x)`, where
//! `c(x)` is the posterior covariance of f(x) with f(R); one more normal sample per
//! fantasy gives f(x). Each sample's utility is the larger log improvement of x and of
//! the fantasies; the acquisition is the log of their mean (Ammann et al., "Unexpected
//! improvements to expected improvement", eq. 10, as Optuna).
//!
//! Cost of an evaluation with r running points and S samples: O(n² + r · n · d + S · r)
//! for n training points and d dimensions; of the set-up, O(r · n² + r³ + S · r²).

use crate::linalg::{self, Matrix};
use crate::rng::Rng;
use crate::samplers::qmc::Sobol;
use crate::samplers::tpe::truncnorm::ppf;

use super::regressor::Gp;

/// Optuna's floor on an improvement, so its log stays finite and differentiable.
const FLOOR: f64 = 1e-12;
/// Optuna's jitter on posterior variances.
const STABILIZING_NOISE: f64 = 1e-12;

/// qLogEI over the running points, for one GP and a threshold (the best score).
pub(super) struct QLogEi<'a> {
    gp: &'a Gp,
    threshold: f64,
    running: Vec<Vec<f64>>,
    /// Per running point j: `K⁻¹ k(X, R_j)`.
    weights: Vec<Vec<f64>>,
    /// The Cholesky factor of the running points' posterior covariance.
    chol: Matrix,
    /// Per sample s, `Σ_RR⁻¹ (f_R,s - μ_R)`: the pull of the fantasies on the mean.
    pull: Vec<Vec<f64>>,
    /// Per sample s, the normal draw of f(x) given the fantasies.
    z: Vec<f64>,
    /// Per sample s, the largest log improvement among the fantasies.
    fantasy_best: Vec<f64>,
}

impl<'a> QLogEi<'a> {
    /// The acquisition over `running`, with `n_samples` fantasies drawn with `rng`;
    /// None when the running points' posterior covariance is not positive definite
    /// or there are more running points than scrambled-Sobol dimensions.
    pub fn new(
        gp: &'a Gp,
        threshold: f64,
        running: &[Vec<f64>],
        n_samples: usize,
        rng: &mut Rng,
    ) -> Option<Self> {
        let r = running.len();
        let sobol = Sobol::new(r + 1, Some(rng)).ok()?;
        let (mean_r, mut cov) = gp.joint_posterior(running);
        for (i, row) in cov.iter_mut().enumerate() {
            row[i] += STABILIZING_NOISE;
        }
        let chol = linalg::cholesky(&cov)?;
        let (mut pull, mut z, mut fantasy_best) = (Vec::new(), Vec::new(), Vec::new());
        for s in 0..n_samples as u64 {
            let normal: Vec<f64> = sobol
                .point(s)
                .iter()
                .map(|u| {
                    ppf(
                        u.clamp(1e-10, 1.0 - 1e-10),
                        f64::NEG_INFINITY,
                        f64::INFINITY,
                    )
                })
                .collect();
            let (fixed, own) = normal.split_at(r);
            // f_R = μ_R + L e, so Σ_RR⁻¹ (f_R - μ_R) = L⁻ᵀ e.
            let fantasy: Vec<f64> = chol
                .iter()
                .zip(&mean_r)
                .map(|(row, m)| m + linalg::dot(row, fixed))
                .collect();
            pull.push(linalg::solve_lower_transposed(&chol, fixed));
            z.push(own[0]);
            fantasy_best.push(
                fantasy
                    .iter()
                    .map(|f| libm::log((f - threshold).max(FLOOR)))
                    .fold(f64::NEG_INFINITY, f64::max),
            );
        }
        Some(QLogEi {
            gp,
            threshold,
            weights: running.iter().map(|p| gp.solve_at(p)).collect(),
            running: running.to_vec(),
            chol,
            pull,
            z,
            fantasy_best,
        })
    }

    /// The value at `x`, and its gradient when `with_grad`.
    pub fn evaluate(&self, x: &[f64], with_grad: bool) -> (f64, Vec<f64>) {
        let d = x.len();
        let (mean, var, dmean, dvar) = if with_grad {
            self.gp.posterior_grad(x)
        } else {
            let (m, v) = self.gp.posterior(x);
            (m, v, Vec::new(), Vec::new())
        };
        // c_j = k(x, R_j) - k(x, X) K⁻¹ k(X, R_j), with its gradient.
        let (k_xr, dk_xr) = self.gp.covariances_grad(x, &self.running);
        let (k_xx, dk_xx) = self.gp.covariances_grad(x, self.gp.points());
        let mut c = Vec::with_capacity(self.running.len());
        let mut dc = Vec::with_capacity(self.running.len());
        for ((k, dk), w) in k_xr.iter().zip(&dk_xr).zip(&self.weights) {
            c.push(k - linalg::dot(&k_xx, w));
            if with_grad {
                let mut g = dk.clone();
                for (dki, wi) in dk_xx.iter().zip(w) {
                    for (gj, dkij) in g.iter_mut().zip(dki) {
                        *gj -= dkij * wi;
                    }
                }
                dc.push(g);
            }
        }
        // Σ_RR⁻¹ c through the factor: w = L⁻¹ c, u = L⁻ᵀ w.
        let w = linalg::solve_lower(&self.chol, &c);
        let cond_var = (var + STABILIZING_NOISE - linalg::dot(&w, &w)).max(0.0);
        let sd = cond_var.sqrt();
        let mut dcond_var = vec![0.0; if with_grad { d } else { 0 }];
        if with_grad {
            let u = linalg::solve_lower_transposed(&self.chol, &w);
            for (j, g) in dcond_var.iter_mut().enumerate() {
                *g = dvar[j] - 2.0 * u.iter().zip(&dc).map(|(ui, dci)| ui * dci[j]).sum::<f64>();
            }
        }
        // Per sample: the log improvement of x or of the best fantasy, whichever larger.
        let mut best = Vec::with_capacity(self.z.len());
        let mut own = Vec::with_capacity(self.z.len());
        for ((pull, z), fantasy_best) in self.pull.iter().zip(&self.z).zip(&self.fantasy_best) {
            let y = mean + linalg::dot(&c, pull) + sd * z;
            let log_improvement = libm::log((y - self.threshold).max(FLOOR));
            let x_wins = log_improvement >= *fantasy_best && y - self.threshold > FLOOR;
            best.push(log_improvement.max(*fantasy_best));
            own.push(x_wins.then_some(y - self.threshold));
        }
        let top = best.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = best.iter().map(|b| libm::exp(b - top)).sum();
        let value = top + libm::log(total) - libm::log(best.len() as f64);
        if !with_grad {
            return (value, Vec::new());
        }
        // d value = Σ_s softmax_s · d log(y_s - threshold), over the samples x wins.
        let mut grad = vec![0.0; d];
        for (s, (b, improvement)) in best.iter().zip(&own).enumerate() {
            let Some(improvement) = improvement else {
                continue;
            };
            let share = libm::exp(b - top) / total / improvement;
            for (j, g) in grad.iter_mut().enumerate() {
                let dpull: f64 = dc
                    .iter()
                    .zip(&self.pull[s])
                    .map(|(dci, p)| dci[j] * p)
                    .sum();
                let dsd = if sd > 0.0 {
                    dcond_var[j] / (2.0 * sd)
                } else {
                    0.0
                };
                *g += share * (dmean[j] + dpull + dsd * self.z[s]);
            }
        }
        (value, grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn fitted() -> Gp {
        let x: Vec<Vec<f64>> = (0..12)
            .map(|i| vec![(i as f64 * 0.37) % 1.0, (i as f64 * 0.61) % 1.0])
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|p| -((p[0] - 0.3).powi(2) + (p[1] - 0.6).powi(2)))
            .collect();
        Gp::fit(x, y, vec![false, false], None, false).0
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let gp = fitted();
        let threshold = -0.01;
        let running = vec![vec![0.31, 0.58], vec![0.7, 0.2]];
        let mut rng = Rng::seed_from_u64(3);
        let acq = QLogEi::new(&gp, threshold, &running, 128, &mut rng).unwrap();
        for p in [[0.25, 0.55], [0.5, 0.5], [0.9, 0.1]] {
            let (v, g) = acq.evaluate(&p, true);
            assert_eq!(v, acq.evaluate(&p, false).0);
            for j in 0..2 {
                let h = 1e-6;
                let mut q = p;
                q[j] += h;
                let numeric = (acq.evaluate(&q, false).0 - v) / h;
                assert!(
                    (numeric - g[j]).abs() < 1e-3 * numeric.abs().max(1.0),
                    "{p:?} {j}: {numeric} vs {}",
                    g[j]
                );
            }
        }
    }

    #[test]
    fn at_a_running_point_x_adds_nothing_to_the_fantasies() {
        let gp = fitted();
        let threshold = -0.01;
        let at = vec![0.3, 0.6];
        let mut rng = Rng::seed_from_u64(4);
        let acq = QLogEi::new(&gp, threshold, std::slice::from_ref(&at), 128, &mut rng).unwrap();
        // f(x) given the fantasy at x is the fantasy: the value is the log of the mean
        // improvement of the fantasies alone.
        let top = acq
            .fantasy_best
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mean: f64 = acq
            .fantasy_best
            .iter()
            .map(|b| libm::exp(b - top))
            .sum::<f64>()
            / acq.fantasy_best.len() as f64;
        let (value, _) = acq.evaluate(&at, false);
        assert!((value - (top + libm::log(mean))).abs() < 1e-4, "{value}");
    }
}
