//! The acquisition function and its optimiser, as Optuna's `LogEI` / `LogEHVI` /
//! `LogCEI` and `optimize_acqf_mixed`: log expected improvement over the best feasible
//! value (or log expected hypervolume improvement for several objectives), plus the
//! log probability of feasibility of each constraint; maximised from the best of
//! scrambled-Sobol preliminary points (and a roulette of good ones) by local search,
//! L-BFGS-B in the continuous dimensions and exhaustive or windowed search in the
//! discrete ones.
//!
//! Cost: O(P · (n · d + n²)) for P preliminary points, plus the local searches.

use crate::parallel;
use crate::rng::{self, Rng};
use crate::samplers::qmc::Sobol;
use crate::samplers::tpe::truncnorm::log_ndtr;

use super::conditional::{QLogEhvi, QLogEi};
use super::ehvi::LogEhvi;
use super::lbfgs;
use super::regressor::Gp;

const LOG_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
const STABILIZING_NOISE: f64 = 1e-12;

/// log h(z) and d log h / dz for h(z) = z Φ(z) + φ(z), the standard expected
/// improvement; an asymptotic series below z = -25, as Optuna's `standard_logei`.
fn log_h(z: f64) -> (f64, f64) {
    if z >= -25.0 {
        let cdf = 0.5 * libm::erfc(-z / std::f64::consts::SQRT_2);
        let pdf = libm::exp(-0.5 * z * z - LOG_SQRT_2PI);
        let h = z * cdf + pdf;
        (libm::log(h), cdf / h)
    } else {
        // Mills' ratio series: 1 + z R(z) = z⁻² - 3 z⁻⁴ + 15 z⁻⁶ - 105 z⁻⁸ + ...
        let w = 1.0 / (z * z);
        let tail = w * (1.0 - w * (3.0 - w * (15.0 - 105.0 * w)));
        let ratio = (1.0 - tail) / -z; // R(z) = Φ / φ
        (-0.5 * z * z - LOG_SQRT_2PI + libm::log(tail), ratio / tail)
    }
}

/// The objective part of the acquisition.
pub(super) enum Goal<'a> {
    /// Log EI of one GP over the best feasible score.
    Improvement { gp: &'a Gp, threshold: f64 },
    /// Log EI with other trials running: Optuna's qLogEI over fantasies.
    QImprovement(QLogEi<'a>),
    /// Log EHVI of one GP per objective.
    Hypervolume(LogEhvi<'a>),
    /// Log EHVI with other trials running: Optuna's qLogEHVI over fantasies.
    QHypervolume(QLogEhvi<'a>),
    /// Nothing is feasible yet: only the constraints count.
    Feasibility,
}

/// What to maximise: the goal plus log P(feasible) of each constraint GP, minus
/// α · the predicted log cost when sampling is cost-aware (EI / cost^α in log space).
pub(super) struct Acquisition<'a> {
    pub goal: Goal<'a>,
    pub constraints: Vec<(&'a Gp, f64)>,
    /// The GP of standardized log costs and α times their standard deviation.
    pub cost: Option<(&'a Gp, f64)>,
}

impl Acquisition<'_> {
    /// The value at `x`.
    pub fn value(&self, x: &[f64]) -> f64 {
        let mut total = match &self.goal {
            Goal::Improvement { gp, threshold } => {
                let (mean, var) = gp.posterior(x);
                let sigma = (var + STABILIZING_NOISE).sqrt();
                log_h((mean - threshold) / sigma).0 + libm::log(sigma)
            }
            Goal::QImprovement(q) => q.evaluate(x, false).0,
            Goal::Hypervolume(ehvi) => ehvi.evaluate(x, false).0,
            Goal::QHypervolume(q) => q.evaluate(x, false).0,
            Goal::Feasibility => 0.0,
        };
        for (gp, threshold) in &self.constraints {
            let (mean, var) = gp.posterior(x);
            total += log_ndtr((mean - threshold) / (var + STABILIZING_NOISE).sqrt());
        }
        if let Some((gp, scale)) = self.cost {
            total -= scale * gp.posterior(x).0;
        }
        total
    }

    /// The values at each of `xs`, as [`Acquisition::value`], bit for bit, with the
    /// posteriors computed a block of points at a time.
    pub fn values(&self, xs: &[Vec<f64>]) -> Vec<f64> {
        let mut totals: Vec<f64> = match &self.goal {
            Goal::Improvement { gp, threshold } => gp
                .posteriors(xs)
                .into_iter()
                .map(|(mean, var)| {
                    let sigma = (var + STABILIZING_NOISE).sqrt();
                    log_h((mean - threshold) / sigma).0 + libm::log(sigma)
                })
                .collect(),
            Goal::QImprovement(q) => point_by_point(xs, |x| q.evaluate(x, false).0),
            Goal::Hypervolume(ehvi) => point_by_point(xs, |x| ehvi.evaluate(x, false).0),
            Goal::QHypervolume(q) => point_by_point(xs, |x| q.evaluate(x, false).0),
            Goal::Feasibility => vec![0.0; xs.len()],
        };
        for (gp, threshold) in &self.constraints {
            for (total, (mean, var)) in totals.iter_mut().zip(gp.posteriors(xs)) {
                *total += log_ndtr((mean - threshold) / (var + STABILIZING_NOISE).sqrt());
            }
        }
        if let Some((gp, scale)) = self.cost {
            for (total, (mean, _)) in totals.iter_mut().zip(gp.posteriors(xs)) {
                *total -= scale * mean;
            }
        }
        totals
    }

    /// The value at `x` and its gradient.
    pub fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let (mut total, mut grad) = match &self.goal {
            Goal::Improvement { gp, threshold } => {
                let (mean, var, dmean, dvar) = gp.posterior_grad(x);
                let sigma = (var + STABILIZING_NOISE).sqrt();
                let z = (mean - threshold) / sigma;
                let (value, slope) = log_h(z);
                let grad = (0..x.len())
                    .map(|j| {
                        let dsigma = dvar[j] / (2.0 * sigma);
                        let dz = dmean[j] / sigma - z * dsigma / sigma;
                        slope * dz + dsigma / sigma
                    })
                    .collect();
                (value + libm::log(sigma), grad)
            }
            Goal::QImprovement(q) => q.evaluate(x, true),
            Goal::Hypervolume(ehvi) => ehvi.evaluate(x, true),
            Goal::QHypervolume(q) => q.evaluate(x, true),
            Goal::Feasibility => (0.0, vec![0.0; x.len()]),
        };
        for (gp, threshold) in &self.constraints {
            let (mean, var, dmean, dvar) = gp.posterior_grad(x);
            let sigma = (var + STABILIZING_NOISE).sqrt();
            let z = (mean - threshold) / sigma;
            let log_cdf = log_ndtr(z);
            total += log_cdf;
            let slope = libm::exp(-0.5 * z * z - LOG_SQRT_2PI - log_cdf);
            for j in 0..x.len() {
                let dsigma = dvar[j] / (2.0 * sigma);
                grad[j] += slope * (dmean[j] / sigma - z * dsigma / sigma);
            }
        }
        if let Some((gp, scale)) = self.cost {
            let (mean, _, dmean, _) = gp.posterior_grad(x);
            total -= scale * mean;
            for (g, dm) in grad.iter_mut().zip(dmean) {
                *g -= scale * dm;
            }
        }
        (total, grad)
    }
}

/// `f` at each of `xs`, spread over threads natively when there are many: the
/// fantasy and hypervolume goals cost O(n² + samples · boxes) a point.
fn point_by_point(xs: &[Vec<f64>], f: impl Fn(&[f64]) -> f64 + Sync) -> Vec<f64> {
    parallel::map_chunks(xs, 1, xs.len() >= PARALLEL_POINTS, |chunk| {
        chunk.iter().map(|x| f(x)).collect()
    })
}

/// Points from which [`point_by_point`] uses threads.
const PARALLEL_POINTS: usize = 64;

/// One dimension of the normalized space.
#[derive(Clone, Debug)]
pub(super) enum Dim {
    Continuous,
    /// The normalized values of a grid (int or stepped float), ascending.
    Discrete(Vec<f64>),
    /// `n` choices, as indices.
    Categorical(usize),
}

impl Dim {
    /// The admissible value nearest `u` (a unit-interval coordinate for categorical
    /// dimensions is scaled to an index first).
    pub(super) fn snap(&self, u: f64) -> f64 {
        match self {
            Dim::Continuous => u.clamp(0.0, 1.0),
            Dim::Discrete(grid) => nearest(grid, u).1,
            Dim::Categorical(n) => libm::floor(u * *n as f64).clamp(0.0, (*n - 1) as f64),
        }
    }
}

fn nearest(grid: &[f64], v: f64) -> (usize, f64) {
    let at = grid.partition_point(|g| *g < v);
    let candidates = [at.saturating_sub(1), at.min(grid.len() - 1)];
    let i = if (v - grid[candidates[0]]).abs() <= (grid[candidates[1]] - v).abs() {
        candidates[0]
    } else {
        candidates[1]
    };
    (i, grid[i])
}

/// Options of the search.
pub(super) struct Search<'a> {
    pub dims: &'a [Dim],
    pub lengthscales: Vec<f64>,
    pub n_preliminary: usize,
    pub n_local_search: usize,
    /// Whether the local searches are worth spreading over threads (natively; they
    /// find the same points either way).
    pub parallel: bool,
}

impl Search<'_> {
    /// The maximiser found, starting also from `warm` (the best observed points).
    pub fn maximize(&self, acq: &Acquisition<'_>, warm: &[Vec<f64>], rng: &mut Rng) -> Vec<f64> {
        let d = self.dims.len();
        let sobol = Sobol::new(d.min(256), Some(rng)).ok();
        let units: Vec<Vec<f64>> = match sobol {
            Some(sobol) if d <= 256 => sobol.points(self.n_preliminary),
            // Past the Sobol' table's dimensions: uniform random points.
            _ => (0..self.n_preliminary)
                .map(|_| (0..d).map(|_| rng::uniform01(rng)).collect())
                .collect(),
        };
        let points: Vec<Vec<f64>> = units
            .iter()
            .map(|u| {
                u.iter()
                    .zip(self.dims)
                    .map(|(u, dim)| dim.snap(*u))
                    .collect()
            })
            .collect();
        let values = acq.values(&points);
        let best = (0..values.len())
            .max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let mut starts = vec![points[best].clone()];
        // A roulette over the rest, weights exp(f - f_best), without replacement.
        let mut weights: Vec<f64> = values
            .iter()
            .map(|v| {
                if v.is_finite() {
                    libm::exp(v - values[best])
                } else {
                    0.0
                }
            })
            .collect();
        weights[best] = 0.0;
        let extra = self.n_local_search.saturating_sub(1 + warm.len());
        for _ in 0..extra {
            let total: f64 = weights.iter().sum();
            if total.is_nan() || total <= 0.0 {
                break;
            }
            let mut target = rng::uniform01(rng) * total;
            let mut pick = weights.len() - 1;
            for (i, w) in weights.iter().enumerate() {
                if target < *w {
                    pick = i;
                    break;
                }
                target -= w;
            }
            starts.push(points[pick].clone());
            weights[pick] = 0.0;
        }
        starts.extend(warm.iter().cloned());
        let mut best_point = points[best].clone();
        let mut best_value = values[best];
        let searches = parallel::map_chunks(&starts, 1, self.parallel, |chunk| {
            chunk
                .iter()
                .map(|start| self.local_search(acq, start.clone()))
                .collect()
        });
        for (p, v) in searches {
            if v > best_value {
                best_point = p;
                best_value = v;
            }
        }
        best_point
    }

    /// Alternates gradient ascent over the continuous dimensions with a search over
    /// each discrete one until nothing improves.
    fn local_search(&self, acq: &Acquisition<'_>, mut x: Vec<f64>) -> (Vec<f64>, f64) {
        let continuous: Vec<usize> = (0..self.dims.len())
            .filter(|&j| matches!(self.dims[j], Dim::Continuous))
            .collect();
        let mut fx = acq.value(&x);
        for _ in 0..100 {
            if !continuous.is_empty() {
                // In length-scale units, as Optuna, so one tolerance suits every dimension.
                let scales: Vec<f64> = continuous.iter().map(|&j| self.lengthscales[j]).collect();
                let z0: Vec<f64> = continuous
                    .iter()
                    .zip(&scales)
                    .map(|(&j, s)| x[j] / s)
                    .collect();
                let hi: Vec<f64> = scales.iter().map(|s| 1.0 / s).collect();
                let lo = vec![0.0; scales.len()];
                let base = x.clone();
                let f = |z: &[f64]| {
                    let mut p = base.clone();
                    for ((&j, zj), s) in continuous.iter().zip(z).zip(&scales) {
                        p[j] = zj * s;
                    }
                    let (v, g) = acq.value_grad(&p);
                    (
                        -v,
                        continuous
                            .iter()
                            .zip(&scales)
                            .map(|(&j, s)| -g[j] * s)
                            .collect(),
                    )
                };
                let lbfgs::Minimum {
                    x: z,
                    value: neg,
                    iterations,
                    ..
                } = lbfgs::minimize(&mut lbfgs::Smooth(f), &z0, Some((&lo, &hi)), 1e-2, 200);
                if -neg > fx && iterations > 0 {
                    for ((&j, zj), s) in continuous.iter().zip(&z).zip(&scales) {
                        x[j] = (zj * s).clamp(0.0, 1.0);
                    }
                    fx = acq.value(&x);
                }
            }
            let mut changed_discrete = false;
            for (j, dim) in self.dims.iter().enumerate() {
                let choices: Vec<f64> = match dim {
                    Dim::Continuous => continue,
                    Dim::Categorical(n) => (0..*n).map(|c| c as f64).collect(),
                    Dim::Discrete(grid) if grid.len() <= 64 => grid.clone(),
                    Dim::Discrete(grid) => {
                        // A window of 17 grid points around the current one.
                        let (at, _) = nearest(grid, x[j]);
                        grid[at.saturating_sub(8)..(at + 9).min(grid.len())].to_vec()
                    }
                };
                let mut trial = x.clone();
                for c in choices {
                    if c == x[j] {
                        continue;
                    }
                    trial[j] = c;
                    let v = acq.value(&trial);
                    if v > fx {
                        fx = v;
                        x[j] = c;
                        changed_discrete = true;
                    }
                }
            }
            // The continuous part is optimal for these discrete values; unless one of
            // them moved, the search has converged.
            if !changed_discrete {
                break;
            }
        }
        (x, fx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threaded_local_searches_find_the_serial_point() {
        let x = super::super::regressor::tests::points_3d(70, 5);
        let y: Vec<f64> = x
            .iter()
            .map(|p| -((p[0] - 0.3).powi(2) + (p[1] - 0.6).powi(2)) - 0.1 * p[2])
            .collect();
        let (gp, _) = Gp::fit(x.clone(), y, vec![false, false, false], None, false);
        let acq = Acquisition {
            goal: Goal::Improvement {
                gp: &gp,
                threshold: 0.0,
            },
            constraints: Vec::new(),
            cost: None,
        };
        let grid: Vec<f64> = (0..5).map(|v| v as f64).collect();
        let dims = [Dim::Continuous, Dim::Continuous, Dim::Discrete(grid)];
        let point = |parallel: bool| {
            let search = Search {
                dims: &dims,
                lengthscales: vec![0.3, 0.3, 1.0],
                n_preliminary: 256,
                n_local_search: 6,
                parallel,
            };
            search.maximize(&acq, &x[..1], &mut rng::named_rng(7, "threads"))
        };
        assert_eq!(point(true), point(false));
    }

    #[test]
    fn log_h_is_continuous_at_the_switch_and_matches_the_definition() {
        let (a, da) = log_h(-25.0 + 1e-9);
        let (b, db) = log_h(-25.0 - 1e-9);
        assert!(
            (a - b).abs() < 1e-6 && (da - db).abs() / da < 1e-4,
            "{a} {b} {da} {db}"
        );
        // At z = 0, h = φ(0).
        assert!((log_h(0.0).0 + LOG_SQRT_2PI).abs() < 1e-15);
        // The slope is Φ(z) / h(z); check by finite differences.
        for z in [-30.0, -3.0, 0.5, 4.0] {
            let e = 1e-6;
            let numeric = (log_h(z + e).0 - log_h(z - e).0) / (2.0 * e);
            assert!(
                (numeric - log_h(z).1).abs() < 1e-5 * numeric.abs().max(1.0),
                "{z}"
            );
        }
    }
}
