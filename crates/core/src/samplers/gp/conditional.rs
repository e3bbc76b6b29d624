//! Optuna 5's `qLogEI` and `qLogCEI` with its `ConditionalGPRegressor`: log expected
//! (feasible) improvement when other trials are still running, so concurrent askers
//! spread out.
//!
//! The running points R get fixed fantasy values, drawn once per ask from their joint
//! posterior with scrambled-Sobol normal samples. For a query x, the posterior of f(x)
//! conditioned on each fantasy is normal with mean
//! `μ(x) + c(x)ᵀ Σ_RR⁻¹ (f_R - μ_R)` and variance `σ²(x) - c(x)ᵀ Σ_RR⁻¹ c(x)`, where
//! `c(x)` is the posterior covariance of f(x) with f(R); one more normal sample per
//! fantasy gives f(x). A sample's utility at a point is its log improvement plus, per
//! constraint GP (conditioned the same way), the log of a sigmoid of its margin; each
//! sample keeps the best of x and the running points, and the acquisition is the log
//! of their mean (Ament et al., "Unexpected improvements to expected improvement",
//! eq. 10, as Optuna).
//!
//! Cost of an evaluation with r running points and S samples, per GP (objective and
//! each constraint): O(n² + r · n · d + S · (r + d)) for n training points and d
//! dimensions; of the set-up, O(r · n² + r³ + S · r²).

use crate::linalg::{self, Matrix};
use crate::rng::Rng;

use super::ehvi::{score_boxes, score_reference};
use super::normal_sobol;
use super::regressor::Gp;

/// Optuna's floor on an improvement, so its log stays finite and differentiable.
const FLOOR: f64 = 1e-12;
/// Optuna's jitter on posterior variances.
const STABILIZING_NOISE: f64 = 1e-12;

/// One GP conditioned on fantasies of the running points (Optuna's
/// `ConditionalGPRegressor`): per sample, a fantasy value for each running point and a
/// draw of f(x) given them.
pub(super) struct Conditional<'a> {
    gp: &'a Gp,
    running: &'a [Vec<f64>],
    /// Per running point j: `K⁻¹ k(X, R_j)`.
    weights: Vec<Vec<f64>>,
    /// The Cholesky factor of the running points' posterior covariance.
    chol: Matrix,
    /// Per sample s, `Σ_RR⁻¹ (f_R,s - μ_R)`: the pull of the fantasies on the mean.
    pull: Vec<Vec<f64>>,
    /// Per sample s, the normal draw of f(x) given the fantasies.
    z: Vec<f64>,
    /// Per sample s, the fantasy value of each running point.
    fantasies: Vec<Vec<f64>>,
}

impl<'a> Conditional<'a> {
    /// `gp` conditioned on `n_samples` fantasies of `running`, drawn with `rng`; None
    /// when there are 256 running points or more (the scrambled-Sobol table's
    /// dimensions, one kept for x) or their joint posterior covariance is not positive
    /// definite. O(r · n² + r³ + S · r²).
    pub fn new(
        gp: &'a Gp,
        running: &'a [Vec<f64>],
        n_samples: usize,
        rng: &mut Rng,
    ) -> Option<Self> {
        let r = running.len();
        let normals = normal_sobol(r + 1, n_samples, rng)?;
        let (mean_r, mut cov) = gp.joint_posterior(running);
        for (i, row) in cov.iter_mut().enumerate() {
            row[i] += STABILIZING_NOISE;
        }
        let chol = linalg::cholesky(&cov)?;
        let (mut pull, mut z, mut fantasies) = (Vec::new(), Vec::new(), Vec::new());
        for normal in &normals {
            let (fixed, own) = normal.split_at(r);
            // f_R = μ_R + L e, so Σ_RR⁻¹ (f_R - μ_R) = L⁻ᵀ e.
            fantasies.push(
                chol.iter()
                    .zip(&mean_r)
                    .map(|(row, m)| m + linalg::dot(row, fixed))
                    .collect(),
            );
            pull.push(linalg::solve_lower_transposed(&chol, fixed));
            z.push(own[0]);
        }
        Some(Conditional {
            gp,
            running,
            weights: running.iter().map(|p| gp.solve_at(p)).collect(),
            chol,
            pull,
            z,
            fantasies,
        })
    }

    /// Per sample, f(x) given the fantasies, and (with `with_grad`) its gradient.
    fn sample(&self, x: &[f64], with_grad: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
        let d = x.len();
        let (mean, var, dmean, dvar) = if with_grad {
            self.gp.posterior_grad(x)
        } else {
            let (m, v) = self.gp.posterior(x);
            (m, v, Vec::new(), Vec::new())
        };
        // c_j = k(x, R_j) - k(x, X) K⁻¹ k(X, R_j), with its gradient.
        let (k_xr, dk_xr) = self.gp.covariances_grad(x, self.running);
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
        let sd = (var + STABILIZING_NOISE - linalg::dot(&w, &w))
            .max(0.0)
            .sqrt();
        let dsd: Vec<f64> = if with_grad && sd > 0.0 {
            let u = linalg::solve_lower_transposed(&self.chol, &w);
            (0..d)
                .map(|j| {
                    let dcov: f64 = u.iter().zip(&dc).map(|(ui, dci)| ui * dci[j]).sum();
                    (dvar[j] - 2.0 * dcov) / (2.0 * sd)
                })
                .collect()
        } else {
            vec![0.0; d]
        };
        let mut ys = Vec::with_capacity(self.z.len());
        let mut grads = Vec::new();
        for (pull, z) in self.pull.iter().zip(&self.z) {
            ys.push(mean + linalg::dot(&c, pull) + sd * z);
            if with_grad {
                grads.push(
                    (0..d)
                        .map(|j| {
                            let dpull: f64 = dc.iter().zip(pull).map(|(dci, p)| dci[j] * p).sum();
                            dmean[j] + dpull + dsd[j] * z
                        })
                        .collect(),
                );
            }
        }
        (ys, grads)
    }
}

/// The log utility of an objective sample: log improvement over the threshold
/// (floored), or 0 when nothing is feasible yet (threshold -inf); and its slope.
fn improvement(y: f64, threshold: f64) -> (f64, f64) {
    if threshold == f64::NEG_INFINITY {
        return (0.0, 0.0);
    }
    let gain = y - threshold;
    if gain > FLOOR {
        (libm::log(gain), 1.0 / gain)
    } else {
        (libm::log(FLOOR), 0.0)
    }
}

/// The log utility of a constraint sample: Optuna's smoothed feasibility,
/// log sigmoid((y - threshold) / τ) with τ = 0.01; and its slope.
fn feasibility(y: f64, threshold: f64) -> (f64, f64) {
    const TAU: f64 = 1e-2;
    let t = (y - threshold) / TAU;
    // log σ(t) = -log(1 + e^-t), stable on both sides; d/dt = σ(-t).
    let (value, slope) = if t >= 0.0 {
        let e = libm::exp(-t);
        (-libm::log1p(e), e / (1.0 + e))
    } else {
        let e = libm::exp(t);
        (t - libm::log1p(e), 1.0 / (1.0 + e))
    };
    (value, slope / TAU)
}

/// Optuna's qLogEI, or with constraints its qLogCEI: per sample, the best over x and
/// the running points of the log improvement plus each constraint's log smoothed
/// feasibility; the log of their mean.
pub(super) struct QLogEi<'a> {
    objective: (Conditional<'a>, f64),
    constraints: Vec<(Conditional<'a>, f64)>,
    /// Per sample, the best utility among the running points.
    fantasy_best: Vec<f64>,
}

impl<'a> QLogEi<'a> {
    /// The acquisition for the conditioned objective GP (threshold: the best feasible
    /// score, -inf when none is feasible) and constraint GPs (threshold each), all
    /// conditioned on the same running points.
    pub fn new(
        objective: (Conditional<'a>, f64),
        constraints: Vec<(Conditional<'a>, f64)>,
    ) -> Self {
        let (n_samples, n_running) = (objective.0.z.len(), objective.0.running.len());
        let fantasy_best = (0..n_samples)
            .map(|s| {
                (0..n_running)
                    .map(|j| {
                        let (mut u, _) = improvement(objective.0.fantasies[s][j], objective.1);
                        for (c, t) in &constraints {
                            u += feasibility(c.fantasies[s][j], *t).0;
                        }
                        u
                    })
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .collect();
        QLogEi {
            objective,
            constraints,
            fantasy_best,
        }
    }

    /// The value at `x`, and its gradient when `with_grad`.
    pub fn evaluate(&self, x: &[f64], with_grad: bool) -> (f64, Vec<f64>) {
        let d = x.len();
        let (ys, dys) = self.objective.0.sample(x, with_grad);
        let mut own: Vec<(f64, f64)> = ys
            .iter()
            .map(|&y| improvement(y, self.objective.1))
            .collect();
        let mut own_grad: Vec<Vec<f64>> = if with_grad {
            own.iter()
                .zip(&dys)
                .map(|((_, slope), dy)| dy.iter().map(|g| slope * g).collect())
                .collect()
        } else {
            Vec::new()
        };
        for (c, t) in &self.constraints {
            let (cys, dcys) = c.sample(x, with_grad);
            for (s, y) in cys.iter().enumerate() {
                let (u, slope) = feasibility(*y, *t);
                own[s].0 += u;
                if with_grad {
                    for (g, dy) in own_grad[s].iter_mut().zip(&dcys[s]) {
                        *g += slope * dy;
                    }
                }
            }
        }
        // Per sample: x's utility or the best running point's, whichever larger.
        let best: Vec<f64> = own
            .iter()
            .zip(&self.fantasy_best)
            .map(|((u, _), f)| u.max(*f))
            .collect();
        let top = best.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = best.iter().map(|b| libm::exp(b - top)).sum();
        let value = top + libm::log(total) - libm::log(best.len() as f64);
        if !with_grad {
            return (value, Vec::new());
        }
        // d value = Σ_s softmax_s · d u_s(x), over the samples where x is the best.
        let mut grad = vec![0.0; d];
        for (((u, _), f), (b, g_s)) in own
            .iter()
            .zip(&self.fantasy_best)
            .zip(best.iter().zip(&own_grad))
        {
            if u >= f {
                let share = libm::exp(b - top) / total;
                for (g, gs) in grad.iter_mut().zip(g_s) {
                    *g += share * gs;
                }
            }
        }
        (value, grad)
    }
}

/// Optuna's qLogEHVI: one conditioned GP per objective; per sample, the improvement
/// boxes of the observed scores together with that sample's fantasies, and the log
/// hypervolume x's sample adds; the log of their mean.
pub(super) struct QLogEhvi<'a> {
    objectives: Vec<Conditional<'a>>,
    /// Per sample: (lower corner, side lengths) of each box, in score space.
    boxes: Vec<Vec<(Vec<f64>, Vec<f64>)>>,
}

impl<'a> QLogEhvi<'a> {
    /// For one conditioned GP per objective and the feasible trials' scores `y`
    /// (rows, larger is better). The reference point is Optuna's, from `y` alone.
    /// Set-up: one box decomposition of |y| + r points per sample.
    pub fn new(objectives: Vec<Conditional<'a>>, y: &[Vec<f64>]) -> Self {
        let (n_samples, n_running) = (objectives[0].z.len(), objectives[0].running.len());
        let reference = score_reference(y);
        let boxes = (0..n_samples)
            .map(|s| {
                let mut rows = y.to_vec();
                rows.extend(
                    (0..n_running).map(|j| objectives.iter().map(|c| c.fantasies[s][j]).collect()),
                );
                score_boxes(&rows, &reference)
            })
            .collect();
        QLogEhvi { objectives, boxes }
    }

    /// The value at `x`, and its gradient when `with_grad`.
    pub fn evaluate(&self, x: &[f64], with_grad: bool) -> (f64, Vec<f64>) {
        let samples: Vec<(Vec<f64>, Vec<Vec<f64>>)> = self
            .objectives
            .iter()
            .map(|c| c.sample(x, with_grad))
            .collect();
        // log Σ_{s,b} Π_j clamp(y_sj - lower_bj, FLOOR, interval_bj), by log-sum-exp.
        let mut terms = Vec::new();
        for (s, boxes) in self.boxes.iter().enumerate() {
            for (lower, interval) in boxes {
                let log: f64 = samples
                    .iter()
                    .zip(lower.iter().zip(interval))
                    .map(|((ys, _), (lo, iv))| libm::log((ys[s] - lo).clamp(FLOOR, *iv)))
                    .sum();
                terms.push(log);
            }
        }
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = terms.iter().map(|t| libm::exp(t - top)).sum();
        let value = top + libm::log(total) - libm::log(self.boxes.len() as f64);
        if !with_grad {
            return (value, Vec::new());
        }
        let mut grad = vec![0.0; x.len()];
        let mut at = 0;
        for (s, boxes) in self.boxes.iter().enumerate() {
            for (lower, interval) in boxes {
                let w = libm::exp(terms[at] - top) / total;
                at += 1;
                for ((ys, dys), (lo, iv)) in samples.iter().zip(lower.iter().zip(interval)) {
                    let diff = ys[s] - lo;
                    if diff > FLOOR && diff < *iv {
                        for (g, dy) in grad.iter_mut().zip(&dys[s]) {
                            *g += w / diff * dy;
                        }
                    }
                }
            }
        }
        (value, grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Twelve points in the unit square.
    fn points() -> Vec<Vec<f64>> {
        (0..12)
            .map(|i| vec![(i as f64 * 0.37) % 1.0, (i as f64 * 0.61) % 1.0])
            .collect()
    }

    /// A GP of `f` over [`points`].
    fn gp_of(f: impl Fn(&[f64]) -> f64) -> Gp {
        let x = points();
        let y = x.iter().map(|p| f(p)).collect();
        Gp::fit(x, y, vec![false, false], None, false).0
    }

    fn fitted() -> Gp {
        gp_of(|p| -((p[0] - 0.3).powi(2) + (p[1] - 0.6).powi(2)))
    }

    /// `gp` conditioned on 128 fantasies of `running`, drawn with `rng`.
    fn condition<'a>(gp: &'a Gp, running: &'a [Vec<f64>], rng: &mut Rng) -> Conditional<'a> {
        Conditional::new(gp, running, 128, rng).unwrap()
    }

    /// The gradient of `evaluate` at `p` against forward differences.
    fn assert_gradient(
        evaluate: impl Fn(&[f64], bool) -> (f64, Vec<f64>),
        p: [f64; 2],
        label: &str,
    ) {
        let (v, g) = evaluate(&p, true);
        for j in 0..2 {
            let h = 1e-6;
            let mut q = p;
            q[j] += h;
            let numeric = (evaluate(&q, false).0 - v) / h;
            assert!(
                (numeric - g[j]).abs() < 1e-3 * numeric.abs().max(1.0),
                "{label} {p:?} {j}: {numeric} vs {}",
                g[j]
            );
        }
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let gp = fitted();
        let running = vec![vec![0.31, 0.58], vec![0.7, 0.2]];
        let mut rng = Rng::seed_from_u64(3);
        let acq = QLogEi::new((condition(&gp, &running, &mut rng), -0.01), Vec::new());
        for p in [[0.25, 0.55], [0.5, 0.5], [0.9, 0.1]] {
            assert_eq!(acq.evaluate(&p, true).0, acq.evaluate(&p, false).0);
            assert_gradient(|x, g| acq.evaluate(x, g), p, "qLogEI");
        }
    }

    #[test]
    fn with_constraints_and_nothing_feasible_the_gradient_still_matches() {
        let gp = fitted();
        // A constraint score (larger is feasible) rising along the first dimension.
        let constraint = gp_of(|p| p[0] - 0.5);
        let running = vec![vec![0.31, 0.58]];
        for threshold in [-0.01, f64::NEG_INFINITY] {
            let mut rng = Rng::seed_from_u64(5);
            let objective = condition(&gp, &running, &mut rng);
            let constraints = vec![(condition(&constraint, &running, &mut rng), 0.0)];
            let acq = QLogEi::new((objective, threshold), constraints);
            for p in [[0.45, 0.55], [0.7, 0.3]] {
                assert_gradient(
                    |x, g| acq.evaluate(x, g),
                    p,
                    &format!("qLogCEI {threshold}"),
                );
            }
            // Deeper in the feasible half is better when only feasibility counts.
            if threshold == f64::NEG_INFINITY {
                assert!(acq.evaluate(&[0.9, 0.5], false).0 > acq.evaluate(&[0.1, 0.5], false).0);
            }
        }
    }

    #[test]
    fn the_hypervolume_gradient_matches_finite_differences() {
        let second = |p: &[f64]| -((p[0] - 0.7).powi(2) + p[1] * p[1]);
        let y: Vec<Vec<f64>> = points()
            .iter()
            .map(|p| vec![-((p[0] - 0.3).powi(2) + (p[1] - 0.6).powi(2)), second(p)])
            .collect();
        let gps = [fitted(), gp_of(second)];
        let running = vec![vec![0.5, 0.4]];
        let mut rng = Rng::seed_from_u64(6);
        let conditioned = gps
            .iter()
            .map(|gp| Conditional::new(gp, &running, 32, &mut rng).unwrap())
            .collect();
        let acq = QLogEhvi::new(conditioned, &y);
        for p in [[0.45, 0.35], [0.2, 0.8]] {
            assert_eq!(acq.evaluate(&p, true).0, acq.evaluate(&p, false).0);
            assert_gradient(|x, g| acq.evaluate(x, g), p, "qLogEHVI");
        }
    }

    #[test]
    fn at_a_running_point_x_adds_nothing_to_the_fantasies() {
        let gp = fitted();
        let at = vec![0.3, 0.6];
        let mut rng = Rng::seed_from_u64(4);
        let running = [at.clone()];
        let acq = QLogEi::new((condition(&gp, &running, &mut rng), -0.01), Vec::new());
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
