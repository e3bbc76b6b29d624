//! One run of CMA-ES in the unit box: the state, sampling, the update from a ranked
//! population and the stopping tests, as the `cmaes` package's `CMA` and `SepCMA`
//! (Hansen's tutorial, with negative weights for the full covariance).
//!
//! Cost: a tell is O(λ · d²) plus an O(d³) eigen-decomposition (O(λ · d) separable);
//! a sample is O(d²) (O(d) separable) given the decomposition.

use serde::{Deserialize, Serialize};

use crate::linalg::{self, Matrix};
use crate::rng::{self, Rng};

/// The floor of eigenvalues and of the initial step size (as `cmaes`).
pub(super) const EPS: f64 = 1e-8;
const SIGMA_MAX: f64 = 1e32;
const TOLXUP: f64 = 1e4;
const TOLFUN: f64 = 1e-12;
const TOLCONDITION: f64 = 1e14;

/// The covariance: full, or its diagonal for separable CMA-ES.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Cov {
    Full(Matrix),
    Diagonal(Vec<f64>),
}

/// The state of one CMA-ES run; it is what the study stores between generations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Run {
    pub mean: Vec<f64>,
    pub sigma: f64,
    pub cov: Cov,
    pub p_sigma: Vec<f64>,
    pub pc: Vec<f64>,
    /// Tells so far in this run.
    pub generation: u64,
    pub popsize: usize,
    pub tolx: f64,
    /// Best and worst value of recent generations, for the flat-fitness test.
    pub funhist: Vec<f64>,
}

/// The strategy parameters, derived from (d, λ) on demand.
struct Strategy {
    mu: usize,
    mu_eff: f64,
    cc: f64,
    c1: f64,
    cmu: f64,
    c_sigma: f64,
    d_sigma: f64,
    chi_n: f64,
    weights: Vec<f64>,
}

impl Strategy {
    fn full(d: usize, popsize: usize) -> Strategy {
        let n = d as f64;
        let mu = popsize / 2;
        let prime: Vec<f64> = (0..popsize)
            .map(|i| libm::log((popsize as f64 + 1.0) / 2.0) - libm::log(i as f64 + 1.0))
            .collect();
        let eff = |w: &[f64]| {
            let s: f64 = w.iter().sum();
            s * s / w.iter().map(|x| x * x).sum::<f64>()
        };
        let mu_eff = eff(&prime[..mu]);
        let mu_eff_minus = eff(&prime[mu..]);
        let c1 = 2.0 / ((n + 1.3).powi(2) + mu_eff);
        let cmu = (1.0 - c1 - 1e-8)
            .min(2.0 * (mu_eff - 2.0 + 1.0 / mu_eff) / ((n + 2.0).powi(2) + mu_eff));
        let min_alpha = (1.0 + c1 / cmu)
            .min(1.0 + 2.0 * mu_eff_minus / (mu_eff + 2.0))
            .min((1.0 - c1 - cmu) / (n * cmu));
        let positive: f64 = prime.iter().filter(|w| **w > 0.0).sum();
        let negative: f64 = prime.iter().filter(|w| **w < 0.0).map(|w| -w).sum();
        let weights = prime
            .iter()
            .map(|&w| {
                if w >= 0.0 {
                    w / positive
                } else {
                    min_alpha / negative * w
                }
            })
            .collect();
        let c_sigma = (mu_eff + 2.0) / (n + mu_eff + 5.0);
        Strategy {
            mu,
            mu_eff,
            cc: (4.0 + mu_eff / n) / (n + 4.0 + 2.0 * mu_eff / n),
            c1,
            cmu,
            c_sigma,
            d_sigma: d_sigma(mu_eff, n, c_sigma),
            chi_n: chi_n(n),
            weights,
        }
    }

    fn separable(d: usize, popsize: usize) -> Strategy {
        let n = d as f64;
        let mu = popsize / 2;
        let prime: Vec<f64> = (0..mu)
            .map(|i| libm::log(mu as f64 + 1.0) - libm::log(i as f64 + 1.0))
            .collect();
        let total: f64 = prime.iter().sum();
        let weights: Vec<f64> = prime.iter().map(|w| w / total).collect();
        let mu_eff = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
        let c1 = 2.0 / ((n + 1.3).powi(2) + mu_eff);
        let cmu_full = 2.0 / mu_eff / (n + std::f64::consts::SQRT_2).powi(2)
            + (1.0 - 1.0 / mu_eff) * 1f64.min((2.0 * mu_eff - 1.0) / ((n + 2.0).powi(2) + mu_eff));
        let c_sigma = (mu_eff + 2.0) / (n + mu_eff + 3.0);
        Strategy {
            mu,
            mu_eff,
            cc: 4.0 / (n + 4.0),
            c1,
            cmu: (n + 2.0) / 3.0 * cmu_full,
            c_sigma,
            d_sigma: d_sigma(mu_eff, n, c_sigma),
            chi_n: chi_n(n),
            weights,
        }
    }
}

fn d_sigma(mu_eff: f64, n: f64, c_sigma: f64) -> f64 {
    1.0 + 2.0 * (libm::sqrt((mu_eff - 1.0) / (n + 1.0)) - 1.0).max(0.0) + c_sigma
}

fn chi_n(n: f64) -> f64 {
    libm::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n))
}

/// The default population size, 4 + ⌊3 ln d⌋.
pub(super) fn default_popsize(d: usize) -> usize {
    4 + libm::floor(3.0 * libm::log(d as f64)) as usize
}

/// `C = B diag(D²) Bᵀ`; for a diagonal covariance `B` is empty.
#[derive(Clone, Debug)]
pub(super) struct Decomposition {
    b: Matrix,
    d: Vec<f64>,
}

impl Decomposition {
    /// `B diag(D) z`.
    fn scale(&self, z: &[f64]) -> Vec<f64> {
        if self.b.is_empty() {
            return z.iter().zip(&self.d).map(|(z, d)| z * d).collect();
        }
        self.b
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&self.d)
                    .zip(z)
                    .map(|((b, d), z)| b * d * z)
                    .sum()
            })
            .collect()
    }

    /// `C^{-1/2} y = B diag(1/D) Bᵀ y`.
    fn whiten(&self, y: &[f64]) -> Vec<f64> {
        if self.b.is_empty() {
            return y.iter().zip(&self.d).map(|(y, d)| y / d).collect();
        }
        let n = self.d.len();
        let projected: Vec<f64> = (0..n)
            .map(|k| (0..n).map(|i| self.b[i][k] * y[i]).sum::<f64>() / self.d[k])
            .collect();
        self.b
            .iter()
            .map(|row| row.iter().zip(&projected).map(|(b, p)| b * p).sum())
            .collect()
    }
}

impl Run {
    /// A fresh run around `mean` with step size `sigma` and covariance `cov` (the
    /// identity when None).
    pub fn new(
        mean: Vec<f64>,
        sigma: f64,
        cov: Option<Matrix>,
        popsize: usize,
        separable: bool,
    ) -> Run {
        let d = mean.len();
        let cov = if separable {
            Cov::Diagonal(vec![1.0; d])
        } else {
            Cov::Full(cov.unwrap_or_else(|| {
                (0..d)
                    .map(|i| (0..d).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
                    .collect()
            }))
        };
        let funhist_term = 10 + (30 * d).div_ceil(popsize);
        Run {
            sigma,
            cov,
            p_sigma: vec![0.0; d],
            pc: vec![0.0; d],
            generation: 0,
            popsize,
            tolx: 1e-12 * sigma,
            funhist: vec![0.0; 2 * funhist_term],
            mean,
        }
    }

    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    fn strategy(&self) -> Strategy {
        match self.cov {
            Cov::Full(_) => Strategy::full(self.dim(), self.popsize),
            Cov::Diagonal(_) => Strategy::separable(self.dim(), self.popsize),
        }
    }

    /// The eigen-decomposition of the covariance, with eigenvalues below zero
    /// replaced by `EPS` (as `cmaes`), and the covariance rebuilt from it.
    pub fn decompose(&mut self) -> Decomposition {
        match &mut self.cov {
            Cov::Diagonal(c) => Decomposition {
                b: Vec::new(),
                d: c.iter()
                    .map(|&v| libm::sqrt(if v < 0.0 { EPS } else { v }))
                    .collect(),
            },
            Cov::Full(c) => {
                let n = c.len();
                let symmetric: Matrix = (0..n)
                    .map(|i| (0..n).map(|j| (c[i][j] + c[j][i]) / 2.0).collect())
                    .collect();
                let (values, b) = linalg::symmetric_eigen(&symmetric);
                let d: Vec<f64> = values
                    .iter()
                    .map(|&v| libm::sqrt(if v < 0.0 { EPS } else { v }))
                    .collect();
                *c = (0..n)
                    .map(|i| {
                        (0..n)
                            .map(|j| (0..n).map(|k| b[i][k] * d[k] * d[k] * b[j][k]).sum())
                            .collect()
                    })
                    .collect();
                Decomposition { b, d }
            }
        }
    }

    /// One draw from N(mean, σ² C).
    pub fn sample(&self, decomposition: &Decomposition, rng: &mut Rng) -> Vec<f64> {
        let z: Vec<f64> = (0..self.dim()).map(|_| rng::standard_normal(rng)).collect();
        let y = decomposition.scale(&z);
        self.mean
            .iter()
            .zip(y)
            .map(|(m, y)| m + self.sigma * y)
            .collect()
    }

    /// Updates the run from one generation of `(x, loss)`, exactly λ of them.
    pub fn tell(&mut self, mut solutions: Vec<(Vec<f64>, f64)>) {
        let s = self.strategy();
        let n = self.dim();
        self.generation += 1;
        crate::sort::sort_by(&mut solutions, |a, b| a.1.total_cmp(&b.1));
        let term = self.funhist.len() / 2;
        let at = 2 * (self.generation as usize % term);
        let finite = |v: f64| v.clamp(-f64::MAX, f64::MAX);
        self.funhist[at] = finite(solutions[0].1);
        self.funhist[at + 1] = finite(solutions[solutions.len() - 1].1);
        let decomposition = self.decompose();
        let ys: Vec<Vec<f64>> = solutions
            .iter()
            .map(|(x, _)| {
                x.iter()
                    .zip(&self.mean)
                    .map(|(x, m)| (x - m) / self.sigma)
                    .collect()
            })
            .collect();
        let mut y_w = vec![0.0; n];
        for (y, w) in ys.iter().zip(&s.weights).take(s.mu) {
            for (acc, v) in y_w.iter_mut().zip(y) {
                *acc += w * v;
            }
        }
        for (m, y) in self.mean.iter_mut().zip(&y_w) {
            *m += self.sigma * y;
        }
        let whitened = decomposition.whiten(&y_w);
        let k_sigma = libm::sqrt(s.c_sigma * (2.0 - s.c_sigma) * s.mu_eff);
        for (p, w) in self.p_sigma.iter_mut().zip(&whitened) {
            *p = (1.0 - s.c_sigma) * *p + k_sigma * w;
        }
        let norm_p_sigma = libm::sqrt(self.p_sigma.iter().map(|p| p * p).sum());
        self.sigma *= libm::exp((s.c_sigma / s.d_sigma) * (norm_p_sigma / s.chi_n - 1.0));
        self.sigma = self.sigma.min(SIGMA_MAX);
        let left = norm_p_sigma
            / libm::sqrt(1.0 - libm::pow(1.0 - s.c_sigma, 2.0 * (self.generation + 1) as f64));
        let h_sigma = if left < (1.4 + 2.0 / (n as f64 + 1.0)) * s.chi_n {
            1.0
        } else {
            0.0
        };
        let k_c = h_sigma * libm::sqrt(s.cc * (2.0 - s.cc) * s.mu_eff);
        for (p, y) in self.pc.iter_mut().zip(&y_w) {
            *p = (1.0 - s.cc) * *p + k_c * y;
        }
        let delta_h_sigma = (1.0 - h_sigma) * s.cc * (2.0 - s.cc);
        let weight_sum: f64 = s.weights.iter().sum();
        let keep = 1.0 + s.c1 * delta_h_sigma - s.c1 - s.cmu * weight_sum;
        match &mut self.cov {
            Cov::Diagonal(c) => {
                for (i, ci) in c.iter_mut().enumerate() {
                    let rank_mu: f64 = s
                        .weights
                        .iter()
                        .zip(&ys)
                        .map(|(w, y)| w * y[i] * y[i])
                        .sum();
                    *ci = keep * *ci + s.c1 * self.pc[i] * self.pc[i] + s.cmu * rank_mu;
                }
            }
            Cov::Full(c) => {
                // Negative weights are rescaled by d / |C^{-1/2} y|² (active CMA).
                let w_io: Vec<f64> = s
                    .weights
                    .iter()
                    .zip(&ys)
                    .map(|(&w, y)| {
                        if w >= 0.0 {
                            w
                        } else {
                            let norm2: f64 = decomposition.whiten(y).iter().map(|v| v * v).sum();
                            w * n as f64 / (norm2 + EPS)
                        }
                    })
                    .collect();
                for i in 0..n {
                    for j in 0..n {
                        let rank_mu: f64 = w_io.iter().zip(&ys).map(|(w, y)| w * y[i] * y[j]).sum();
                        c[i][j] = keep * c[i][j] + s.c1 * self.pc[i] * self.pc[j] + s.cmu * rank_mu;
                    }
                }
            }
        }
    }

    /// The `cmaes` package's stopping tests: flat fitness, tiny steps, huge steps, no
    /// effect of a step along an axis or a coordinate, ill-conditioned covariance.
    pub fn should_stop(&mut self) -> bool {
        let decomposition = self.decompose();
        let n = self.dim();
        let diag: Vec<f64> = match &self.cov {
            Cov::Full(c) => (0..n).map(|i| c[i][i]).collect(),
            Cov::Diagonal(c) => c.clone(),
        };
        let term = (self.funhist.len() / 2) as u64;
        if self.generation > term {
            let hi = self
                .funhist
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let lo = self.funhist.iter().copied().fold(f64::INFINITY, f64::min);
            if hi - lo < TOLFUN {
                return true;
            }
        }
        if diag.iter().all(|c| self.sigma * c < self.tolx)
            && self.pc.iter().all(|p| self.sigma * p < self.tolx)
        {
            return true;
        }
        let d_max = decomposition.d.iter().copied().fold(0.0, f64::max);
        let d_min = decomposition
            .d
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        if self.sigma * d_max > TOLXUP {
            return true;
        }
        if self
            .mean
            .iter()
            .zip(&diag)
            .any(|(m, c)| *m == m + 0.2 * self.sigma * libm::sqrt(*c))
        {
            return true;
        }
        let i = self.generation as usize % n;
        let axis_has_no_effect = self.mean.iter().enumerate().all(|(k, m)| {
            let b = if decomposition.b.is_empty() {
                1.0
            } else {
                decomposition.b[k][i]
            };
            *m == m + 0.1 * self.sigma * decomposition.d[i] * b
        });
        axis_has_no_effect || d_max / d_min > TOLCONDITION
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimise(separable: bool, f: fn(&[f64]) -> f64, generations: usize) -> f64 {
        let d = 4;
        let mut run = Run::new(vec![0.5; d], 1.0 / 6.0, None, default_popsize(d), separable);
        let mut rng = rng::named_rng(1, "cma-test");
        let mut best = f64::INFINITY;
        for _ in 0..generations {
            let decomposition = run.decompose();
            let population: Vec<(Vec<f64>, f64)> = (0..run.popsize)
                .map(|_| {
                    let x = run.sample(&decomposition, &mut rng);
                    let y = f(&x);
                    best = best.min(y);
                    (x, y)
                })
                .collect();
            run.tell(population);
        }
        best
    }

    fn ellipsoid(x: &[f64]) -> f64 {
        x.iter()
            .enumerate()
            .map(|(i, v)| 10f64.powi(i as i32) * (v - 0.3).powi(2))
            .sum()
    }

    fn rotated(x: &[f64]) -> f64 {
        let s: f64 = x.iter().map(|v| v - 0.3).sum();
        (x[0] - 0.3).powi(2) + 1e3 * s * s
    }

    #[test]
    fn full_cma_solves_an_ill_conditioned_rotated_problem() {
        assert!(minimise(false, rotated, 150) < 1e-8);
        assert!(minimise(false, ellipsoid, 150) < 1e-8);
    }

    #[test]
    fn separable_cma_solves_an_axis_aligned_ellipsoid() {
        assert!(minimise(true, ellipsoid, 150) < 1e-8);
    }

    #[test]
    fn strategy_parameters_match_the_cmaes_package() {
        // cmaes.CMA(mean=np.zeros(4), sigma=1)._c1, _cmu, _c_sigma, _cc, _weights[0]
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        let s = Strategy::full(4, default_popsize(4));
        assert_eq!(default_popsize(4), 8);
        close(s.c1, 0.065_167_427_382_282_68);
        close(s.cmu, 0.051_023_999_832_594_46);
        close(s.c_sigma, 0.396_561_026_779_838_07);
        close(s.cc, 0.5);
        close(s.weights[0], 0.529_930_184_478_779_2);
        close(s.d_sigma, 1.396_561_026_779_838);
        close(s.weights[7], -0.929_072_295_658_796_6);
        // cmaes.SepCMA(mean=np.zeros(4), sigma=1)
        let s = Strategy::separable(4, 8);
        close(s.c1, 0.064_660_864_179_986_23);
        close(s.cmu, 0.204_227_205_402_483_9);
        close(s.c_sigma, 0.491_901_438_867_978_44);
        close(s.cc, 0.5);
        close(s.weights[0], 0.493_738_377_484_340_96);
        close(s.d_sigma, 1.491_901_438_867_978_3);
    }

    #[test]
    fn a_converged_run_stops() {
        let mut run = Run::new(vec![0.5; 3], 1e-18, None, default_popsize(3), false);
        assert!(run.should_stop());
        let mut fresh = Run::new(vec![0.5; 3], 0.2, None, default_popsize(3), false);
        assert!(!fresh.should_stop());
    }
}
