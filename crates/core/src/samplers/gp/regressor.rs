//! Gaussian-process regression as Optuna's `GPRegressor`: a Matérn-5/2 kernel with one
//! length scale per dimension (Hamming distance for categorical ones), a kernel scale
//! and a noise variance, fitted by maximising the marginal likelihood plus Optuna's
//! priors (MAP), with a Cholesky-based posterior.
//!
//! Cost: a fit is O(E · (n³ / 6 + n² · d) + G · n³ / 3) for E evaluations of the
//! objective (a Cholesky factorisation each) and G gradients (the inverse as well),
//! G at most one per L-BFGS iteration; warm-started from the previous fit, a typical
//! ask takes E = 4 and G = 1. A posterior is O(n · d + n²).

use crate::fastexp::exp_nonpositive;
use crate::linalg::{self, Matrix};
use crate::parallel;

use super::lbfgs;

/// The smallest noise variance (Optuna's `DEFAULT_MINIMUM_NOISE_VAR`).
pub(super) const MINIMUM_NOISE: f64 = 1e-6;

/// Matérn-5/2 of a squared scaled distance, and its derivative in that distance.
#[inline(always)]
fn matern(r2: f64) -> (f64, f64) {
    let s = (5.0 * r2).sqrt();
    let e = exp_nonpositive(-s);
    (e * (5.0 / 3.0 * r2 + s + 1.0), -5.0 / 6.0 * (s + 1.0) * e)
}

/// A fitted GP over normalized inputs.
#[derive(Clone, Debug)]
pub(super) struct Gp {
    x: Vec<Vec<f64>>,
    /// The training points dimension by dimension: `xt[c][i] = x[i][c]`.
    xt: Matrix,
    y: Vec<f64>,
    categorical: Vec<bool>,
    /// Inverse squared length scales, one per dimension.
    pub inverse_sq_lengthscales: Vec<f64>,
    scale: f64,
    noise: f64,
    /// L⁻¹ for the Cholesky factor L of K + noise I, row-major (lower triangular).
    linv: Matrix,
    /// (L⁻¹)ᵀ, row-major (upper triangular).
    linv_t: Matrix,
    /// K⁻¹ y.
    alpha: Vec<f64>,
}

/// Points per block of [`Gp::posteriors`].
const BLOCK: usize = 8;

/// Points × n² above which [`Gp::posteriors`] spreads its blocks over threads: about
/// half a millisecond of arithmetic, against tens of microseconds to start a thread.
const PARALLEL_WORK: usize = 1 << 23;

/// Four rows of `L⁻¹` (sharing one [`linalg::lower_end`]) times each of the
/// [`BLOCK`] interleaved vectors of `kt` (`kt[j * BLOCK + p]`): each product summed
/// over ascending columns from zero, as [`linalg::lower_times`] sums it, so the bits
/// agree. The 32 sums are independent vector lanes, and each load of `kt` serves four
/// rows.
#[inline(always)]
fn four_rows_times(rows: [&[f64]; 4], kt: &[f64]) -> [[f64; BLOCK]; 4] {
    let end = rows[0].len();
    let rows = rows.map(|r| &r[..end]);
    let mut acc = [[0.0; BLOCK]; 4];
    for (j, k) in kt[..end * BLOCK].chunks_exact(BLOCK).enumerate() {
        for (acc, row) in acc.iter_mut().zip(&rows) {
            let l = row[j];
            for (a, kp) in acc.iter_mut().zip(k) {
                *a += l * kp;
            }
        }
    }
    acc
}

/// The points `x` (each `d` wide) dimension by dimension.
fn by_dimension(x: &[Vec<f64>], d: usize) -> Matrix {
    (0..d).map(|c| x.iter().map(|p| p[c]).collect()).collect()
}

linalg::avx2_dispatch! {
    /// See [`Gp::kernels_at`]; `xt` holds the `n` training points by dimension.
    kernels_at / kernels_at_avx2 = kernels_at_portable(
        n: usize,
        xt: &Matrix,
        categorical: &[bool],
        isl: &[f64],
        scale: f64,
        x: &[f64]
    ) -> (Vec<f64>, Vec<f64>)
}

#[inline(always)]
fn kernels_at_portable(
    n: usize,
    xt: &Matrix,
    categorical: &[bool],
    isl: &[f64],
    scale: f64,
    x: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    // Squared scaled distances summed in dimension order, as `Gp::r2`.
    let mut r2 = vec![0.0; n];
    for (((column, &c), l), q) in xt.iter().zip(categorical).zip(isl).zip(x) {
        if c {
            for (r, v) in r2.iter_mut().zip(column) {
                *r += l * f64::from(q != v);
            }
        } else {
            for (r, v) in r2.iter_mut().zip(column) {
                *r += l * ((q - v) * (q - v));
            }
        }
    }
    let mut slopes = vec![0.0; n];
    for (r, s) in r2.iter_mut().zip(&mut slopes) {
        let (value, slope) = matern(*r);
        (*r, *s) = (scale * value, scale * slope);
    }
    (r2, slopes)
}

/// `Σ v_i²` in order from zero, as [`Gp::posteriors`] adds them.
fn sum_of_squares(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |s, t| s + t * t)
}

/// One dimension's squared difference: Hamming (0 or 1) when categorical.
fn sq_diff_one(x: f64, y: f64, categorical: bool) -> f64 {
    if categorical {
        f64::from(x != y)
    } else {
        (x - y) * (x - y)
    }
}

/// The kernel parameters from raw (log) ones: (inverse squared length scales, scale,
/// noise).
fn unpack(raw: &[f64], d: usize, deterministic: bool) -> (Vec<f64>, f64, f64) {
    let isl = raw[..d].iter().map(|v| libm::exp(*v)).collect();
    let scale = libm::exp(raw[d]);
    let noise = if deterministic {
        MINIMUM_NOISE
    } else {
        libm::exp(raw[d + 1]) + MINIMUM_NOISE
    };
    (isl, scale, noise)
}

/// The default raw parameters: every length scale, the scale and the noise at 1.
pub(super) fn default_raw(d: usize) -> Vec<f64> {
    let mut raw = vec![0.0; d + 2];
    raw[d + 1] = libm::log(1.0 - 0.99 * MINIMUM_NOISE);
    raw
}

impl Gp {
    /// Fits the kernel to (x, y), starting from `start` (raw parameters of an earlier
    /// fit) or the defaults. Returns the GP and the fitted raw parameters. As Optuna:
    /// a fit from `start` that fails (a value that is not finite, or a line search that
    /// cannot descend) is retried from the defaults, and when that fails too, the
    /// defaults are used unfitted.
    pub fn fit(
        x: Vec<Vec<f64>>,
        y: Vec<f64>,
        categorical: Vec<bool>,
        start: Option<&[f64]>,
        deterministic: bool,
    ) -> (Gp, Vec<f64>) {
        let d = categorical.len();
        let diffs = PairDiffs::new(&x, &categorical);
        let mut loss = NegativeLogPosterior::new(&diffs, &y, deterministic);
        let defaults = default_raw(d);
        let mut starts: Vec<Vec<f64>> = Vec::new();
        if let Some(s) = start.filter(|s| s.len() == d + 2 && s.iter().all(|v| v.is_finite())) {
            starts.push(s.to_vec());
        }
        starts.push(defaults.clone());
        for s in starts {
            // As Optuna: a fit whose line search fails (scipy's `success` false) is
            // retried from the defaults.
            let lbfgs::Minimum {
                x: raw,
                value,
                converged,
                ..
            } = lbfgs::minimize(&mut loss, &s, None, 1e-2, 200);
            if converged && value.is_finite() {
                // The fit's last factor is usually the one at its result: no need to
                // build and factorise the kernel again.
                let factor = loss
                    .last
                    .take()
                    .filter(|f| f.raw == raw)
                    .map(|f| (f.l, f.linv));
                if let Some(gp) = Gp::with_raw(
                    x.clone(),
                    y.clone(),
                    categorical.clone(),
                    &raw,
                    deterministic,
                    factor,
                ) {
                    return (gp, raw);
                }
            }
        }
        let gp = Gp::with_raw(x, y, categorical, &defaults, deterministic, None)
            .expect("the default kernel with unit noise is positive definite");
        (gp, defaults)
    }

    /// The GP with fixed raw parameters, or None when the kernel matrix is not
    /// positive definite. `factor`, when given, is the Cholesky factor of its kernel
    /// matrix (the fit's, built from the same points and parameters), with its inverse
    /// when the fit computed it.
    fn with_raw(
        x: Vec<Vec<f64>>,
        y: Vec<f64>,
        categorical: Vec<bool>,
        raw: &[f64],
        deterministic: bool,
        factor: Option<(Matrix, Option<Matrix>)>,
    ) -> Option<Gp> {
        let (isl, scale, noise) = unpack(raw, categorical.len(), deterministic);
        let mut gp = Gp {
            xt: by_dimension(&x, categorical.len()),
            x,
            y,
            categorical,
            inverse_sq_lengthscales: isl,
            scale,
            noise,
            linv: Vec::new(),
            linv_t: Vec::new(),
            alpha: Vec::new(),
        };
        match factor {
            Some((chol, linv)) => gp.set_factor(&chol, linv),
            None => gp.factorize()?,
        }
        Some(gp)
    }

    /// The squared scaled distance of two points, without allocating.
    fn r2(&self, a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .zip(&self.categorical)
            .zip(&self.inverse_sq_lengthscales)
            .map(|(((x, y), &c), l)| l * sq_diff_one(*x, *y, c))
            .sum()
    }

    fn kernel(&self, a: &[f64], b: &[f64]) -> f64 {
        self.scale * matern(self.r2(a, b)).0
    }

    fn factorize(&mut self) -> Option<()> {
        let n = self.x.len();
        let k: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        self.kernel(&self.x[i], &self.x[j]) + if i == j { self.noise } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        let chol = linalg::cholesky(&k)?;
        self.set_factor(&chol, None);
        Some(())
    }

    /// L⁻¹ (unless given), its transpose and K⁻¹ y from the Cholesky factor L of the
    /// kernel matrix.
    fn set_factor(&mut self, chol: &Matrix, linv: Option<Matrix>) {
        self.linv = linv.unwrap_or_else(|| linalg::lower_inverse(chol));
        self.linv_t = linalg::transpose(&self.linv);
        self.alpha = self.solve(&self.y);
    }

    /// The GP with `points` added as observations at their posterior mean (the
    /// "kriging believer" for running trials): the mean is unchanged, the variance
    /// shrinks around them. Falls back to self when the matrix is not positive
    /// definite.
    pub fn with_fantasies(&self, points: &[Vec<f64>]) -> Gp {
        if points.is_empty() {
            return self.clone();
        }
        let mut gp = self.clone();
        for p in points {
            gp.y.push(self.posterior(p).0);
            gp.x.push(p.clone());
        }
        gp.xt = by_dimension(&gp.x, gp.categorical.len());
        match gp.factorize() {
            Some(()) => gp,
            None => self.clone(),
        }
    }

    /// Posterior mean and variance at `x`.
    pub fn posterior(&self, x: &[f64]) -> (f64, f64) {
        let (k, _) = self.kernels_at(x);
        let mean: f64 = k.iter().zip(&self.alpha).map(|(a, b)| a * b).sum();
        let v = linalg::lower_times(&self.linv_t, &k);
        let var = (self.scale - sum_of_squares(&v)).max(0.0);
        (mean, var)
    }

    /// [`Gp::posterior`] at each of `xs`, the same bit for bit. Points go in blocks of
    /// [`BLOCK`], their kernel vectors interleaved (`kt[j * BLOCK + p]`), so each row of
    /// `L⁻¹` is read once per block, four rows at a time, and every multiply-add runs
    /// across the block's points in vector lanes, each point still summing in
    /// [`linalg::lower_times`]'s order. On x86-64 with AVX2 the same code runs compiled
    /// for AVX2 (no fused multiply-add, so the same bits). O(P · (n · d + n²)) for P
    /// points. Natively, when that work is large, the blocks are shared among
    /// [`parallel::threads`] threads; every point's result is the same either way.
    pub fn posteriors(&self, xs: &[Vec<f64>]) -> Vec<(f64, f64)> {
        let n = self.x.len();
        let large = xs.len() * n * n >= PARALLEL_WORK;
        parallel::map_chunks(xs, BLOCK, large, |chunk| self.posteriors_one_thread(chunk))
    }

    fn posteriors_one_thread(&self, xs: &[Vec<f64>]) -> Vec<(f64, f64)> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.posteriors_avx2(xs) };
        }
        self.posteriors_portable(xs)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn posteriors_avx2(&self, xs: &[Vec<f64>]) -> Vec<(f64, f64)> {
        self.posteriors_portable(xs)
    }

    #[inline(always)]
    fn posteriors_portable(&self, xs: &[Vec<f64>]) -> Vec<(f64, f64)> {
        let (n, d) = (self.x.len(), self.inverse_sq_lengthscales.len());
        let mut out = Vec::with_capacity(xs.len());
        let mut kt = vec![0.0; n * BLOCK];
        // The block's points, dimension-major: `xq[c * BLOCK + p]`.
        let mut xq = vec![0.0; d * BLOCK];
        for block in xs.chunks(BLOCK) {
            // A short block's missing points repeat its last; their lanes are dropped.
            for p in 0..BLOCK {
                let x = &block[p.min(block.len() - 1)];
                for c in 0..d {
                    xq[c * BLOCK + p] = x[c];
                }
            }
            // Squared distances, interleaved; then the kernel of each in one pass over
            // the slice, which vectorises. Each value is `kernel`'s, bit for bit.
            for (j, xj) in self.x.iter().enumerate() {
                let mut r2 = [0.0; BLOCK];
                for c in 0..d {
                    let (l, y, q) = (
                        self.inverse_sq_lengthscales[c],
                        xj[c],
                        &xq[c * BLOCK..(c + 1) * BLOCK],
                    );
                    if self.categorical[c] {
                        for p in 0..BLOCK {
                            r2[p] += l * f64::from(q[p] != y);
                        }
                    } else {
                        for p in 0..BLOCK {
                            r2[p] += l * ((q[p] - y) * (q[p] - y));
                        }
                    }
                }
                kt[j * BLOCK..(j + 1) * BLOCK].copy_from_slice(&r2);
            }
            for v in kt.iter_mut() {
                *v = self.scale * matern(*v).0;
            }
            let mut mean = [0.0; BLOCK];
            for (j, a) in self.alpha.iter().enumerate() {
                let k = &kt[j * BLOCK..(j + 1) * BLOCK];
                for p in 0..BLOCK {
                    mean[p] += k[p] * a;
                }
            }
            // Σ_i (L⁻¹ k)_i², four rows of L⁻¹ at a time, adding the squares in row
            // order as `sum_of_squares` does.
            let mut sum_sq = [0.0; BLOCK];
            let mut add = |v: &[f64; BLOCK]| {
                for (s, v) in sum_sq.iter_mut().zip(v) {
                    *s += v * v;
                }
            };
            for (g, rows) in self.linv.chunks(4).enumerate() {
                // A short last group repeats its last row; the extra sums are dropped.
                let end = linalg::lower_end(4 * g, n);
                let row = |r: usize| &rows[r.min(rows.len() - 1)][..end];
                four_rows_times([row(0), row(1), row(2), row(3)], &kt)
                    .iter()
                    .take(rows.len())
                    .for_each(&mut add);
            }
            for p in 0..block.len() {
                out.push((mean[p], (self.scale - sum_sq[p]).max(0.0)));
            }
        }
        out
    }

    /// The prior covariance of `x` with each of `points`, and its gradient in `x`
    /// (`d` entries per point, zero along categorical dimensions). O(p · d).
    pub fn covariances_grad(&self, x: &[f64], points: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
        points
            .iter()
            .map(|p| {
                let (value, slope) = matern(self.r2(x, p));
                let grad = (0..x.len())
                    .map(|j| {
                        if self.categorical[j] {
                            0.0
                        } else {
                            self.scale
                                * slope
                                * 2.0
                                * self.inverse_sq_lengthscales[j]
                                * (x[j] - p[j])
                        }
                    })
                    .collect();
                (self.scale * value, grad)
            })
            .unzip()
    }

    /// `K⁻¹ k(X, p)`: the weights of the training points in the posterior at `p`.
    /// O(n²).
    pub fn solve_at(&self, p: &[f64]) -> Vec<f64> {
        self.solve(&self.kernels_at(p).0)
    }

    /// `K⁻¹ v = L⁻ᵀ L⁻¹ v`. O(n²).
    fn solve(&self, v: &[f64]) -> Vec<f64> {
        linalg::lower_transposed_times(&self.linv, &linalg::lower_times(&self.linv_t, v))
    }

    /// The training points.
    pub fn points(&self) -> &[Vec<f64>] {
        &self.x
    }

    /// The joint posterior of `points`: their means and covariance matrix. O(p · n²).
    pub fn joint_posterior(&self, points: &[Vec<f64>]) -> (Vec<f64>, Matrix) {
        let ks: Vec<Vec<f64>> = points.iter().map(|p| self.kernels_at(p).0).collect();
        let means = ks
            .iter()
            .map(|k| k.iter().zip(&self.alpha).map(|(a, b)| a * b).sum())
            .collect();
        let vs: Vec<Vec<f64>> = ks
            .iter()
            .map(|k| linalg::lower_times(&self.linv_t, k))
            .collect();
        let cov = points
            .iter()
            .zip(&vs)
            .map(|(a, va)| {
                points
                    .iter()
                    .zip(&vs)
                    .map(|(b, vb)| self.kernel(a, b) - linalg::dot(va, vb))
                    .collect()
            })
            .collect();
        (means, cov)
    }

    /// The kernel of `x` with each training point, and its slope in the squared
    /// scaled distance (times the kernel scale): each as [`Gp::kernel`] gives it, bit
    /// for bit. O(n · d), in vector lanes across the training points.
    fn kernels_at(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        kernels_at(
            self.x.len(),
            &self.xt,
            &self.categorical,
            &self.inverse_sq_lengthscales,
            self.scale,
            x,
        )
    }

    /// Posterior mean and variance at `x` with their gradients in `x` (zero along
    /// categorical dimensions).
    pub fn posterior_grad(&self, x: &[f64]) -> (f64, f64, Vec<f64>, Vec<f64>) {
        let d = x.len();
        let (k, slopes) = self.kernels_at(x);
        let mean: f64 = k.iter().zip(&self.alpha).map(|(a, b)| a * b).sum();
        let v = linalg::lower_times(&self.linv_t, &k);
        let var = self.scale - sum_of_squares(&v);
        let w = linalg::lower_transposed_times(&self.linv, &v);
        let mut dmean = vec![0.0; d];
        let mut dvar = vec![0.0; d];
        // dk_i/dx_j = scale · slope_i · 2 · isl_j · (x_j - X_ij), zero when categorical.
        for (((xi, slope), a), wi) in self.x.iter().zip(&slopes).zip(&self.alpha).zip(&w) {
            for j in 0..d {
                if !self.categorical[j] {
                    let dk = slope * 2.0 * self.inverse_sq_lengthscales[j] * (x[j] - xi[j]);
                    dmean[j] += dk * a;
                    dvar[j] -= 2.0 * dk * wi;
                }
            }
        }
        if var <= 0.0 {
            return (mean, 0.0, dmean, vec![0.0; d]);
        }
        (mean, var, dmean, dvar)
    }
}

/// The per-dimension squared differences of every pair i < j, dimension-major
/// (`data[q * pairs + p]` for pair p in (i, j) order), so that the squared distances of
/// all pairs build up one dimension at a time in vectorised passes.
pub(super) struct PairDiffs {
    n: usize,
    d: usize,
    data: Vec<f64>,
}

impl PairDiffs {
    fn new(x: &[Vec<f64>], categorical: &[bool]) -> PairDiffs {
        let (n, d) = (x.len(), categorical.len());
        let mut data = Vec::with_capacity(n * n.saturating_sub(1) / 2 * d);
        for (q, &c) in categorical.iter().enumerate() {
            for i in 0..n {
                for j in i + 1..n {
                    data.push(sq_diff_one(x[i][q], x[j][q], c));
                }
            }
        }
        PairDiffs { n, d, data }
    }

    /// Pairs i < j.
    fn pairs(&self) -> usize {
        self.n * self.n.saturating_sub(1) / 2
    }

    /// Dimension q's squared differences, one per pair.
    fn column(&self, q: usize) -> &[f64] {
        let m = self.pairs();
        &self.data[q * m..(q + 1) * m]
    }
}

/// The kernel matrix of raw parameters, factorised: what the fit's value needs, kept
/// for its gradient at the same point.
struct Factor {
    raw: Vec<f64>,
    isl: Vec<f64>,
    scale: f64,
    noise: f64,
    /// Per pair i < j: the Matérn shape and its slope in the squared distance.
    shape: Vec<f64>,
    slope: Vec<f64>,
    /// The Cholesky factor of K + noise I.
    l: Matrix,
    /// Its inverse, once the gradient has needed it.
    linv: Option<Matrix>,
    /// K⁻¹ y.
    alpha: Vec<f64>,
    value: f64,
}

/// The fit's objective: -(log marginal likelihood + log prior) of raw parameters. A
/// value costs O(n² · d) for the kernel plus O(n³ / 6) for its Cholesky factor; the
/// gradient, at the point of the last value, adds O(n³ / 3) for the inverse and
/// O(n² · d) for the derivatives.
struct NegativeLogPosterior<'a> {
    diffs: &'a PairDiffs,
    y: &'a [f64],
    deterministic: bool,
    last: Option<Factor>,
    /// The kernel matrix's upper triangle, refilled by each value.
    kernel: Matrix,
}

impl<'a> NegativeLogPosterior<'a> {
    fn new(diffs: &'a PairDiffs, y: &'a [f64], deterministic: bool) -> Self {
        let n = diffs.n;
        NegativeLogPosterior {
            diffs,
            y,
            deterministic,
            last: None,
            kernel: vec![vec![0.0; n]; n],
        }
    }

    /// The factorised kernel at `raw`, or None when it is not positive definite.
    #[allow(clippy::needless_range_loop)] // symmetric fills read best with indices
    fn factor(&mut self, raw: &[f64]) -> Option<Factor> {
        let (n, d) = (self.diffs.n, self.diffs.d);
        let (isl, scale, noise) = unpack(raw, d, self.deterministic);
        // Squared scaled distances, summed in dimension order, then the kernel of each
        // pair: both in passes over flat slices, which vectorise.
        let mut r2 = vec![0.0; self.diffs.pairs()];
        for (q, l) in isl.iter().enumerate() {
            for (r, df) in r2.iter_mut().zip(self.diffs.column(q)) {
                *r += df * l;
            }
        }
        // The squared distances become the Matérn shapes in place.
        let mut shape = r2;
        let mut slope = vec![0.0; shape.len()];
        for (v, s) in shape.iter_mut().zip(&mut slope) {
            (*v, *s) = matern(*v);
        }
        // The upper triangle only: all `cholesky` reads.
        let mut p = 0;
        for (i, row) in self.kernel.iter_mut().enumerate() {
            row[i] = scale + noise;
            for (v, s) in row[i + 1..].iter_mut().zip(&shape[p..]) {
                *v = scale * s;
            }
            p += n - i - 1;
        }
        let l = linalg::cholesky(&self.kernel)?;
        let alpha = linalg::solve_lower_transposed(&l, &linalg::solve_lower(&l, self.y));
        let log_det: f64 = (0..n).map(|i| libm::log(l[i][i])).sum();
        let mll = -log_det - 0.5 * linalg::dot(self.y, &alpha);
        let log_prior = -isl.iter().map(|v| 0.1 / v + 0.1 * v).sum::<f64>()
            + (libm::log(scale) - scale)
            + (0.1 * libm::log(noise) - 30.0 * noise);
        Some(Factor {
            raw: raw.to_vec(),
            isl,
            scale,
            noise,
            shape,
            slope,
            l,
            linv: None,
            alpha,
            value: -(mll + log_prior),
        })
    }
}

impl lbfgs::Objective for NegativeLogPosterior<'_> {
    fn value(&mut self, raw: &[f64]) -> (f64, Option<Vec<f64>>) {
        self.last = self.factor(raw);
        let value = self.last.as_ref().map_or(f64::INFINITY, |f| f.value);
        (value, None)
    }

    /// dMLL/dθ = ½ tr((α αᵀ - K⁻¹) dK/dθ); each pair i < j counts twice.
    #[allow(clippy::needless_range_loop)] // the pair loop reads best with indices
    fn gradient(&mut self, raw: &[f64]) -> Vec<f64> {
        if self.last.as_ref().is_none_or(|f| f.raw != raw) {
            self.last = self.factor(raw);
        }
        let Some(f) = &self.last else {
            return vec![0.0; raw.len()];
        };
        let (n, d, deterministic) = (self.diffs.n, self.diffs.d, self.deterministic);
        let (isl, scale, noise, alpha) = (&f.isl, f.scale, f.noise, &f.alpha);
        let linv = linalg::lower_inverse(&f.l);
        let inverse = linalg::inverse_from_lower_inverse(&linv);
        let mut grad = vec![0.0; raw.len()];
        let mut p = 0;
        // Per pair: the weight of its slope in each length scale's derivative.
        let mut bases = Vec::with_capacity(self.diffs.pairs());
        for i in 0..n {
            let w_ii = 0.5 * (alpha[i] * alpha[i] - inverse[i][i]);
            grad[d] -= w_ii * scale;
            if !deterministic {
                grad[d + 1] -= w_ii * (noise - MINIMUM_NOISE);
            }
            for j in i + 1..n {
                let w = alpha[i] * alpha[j] - inverse[i][j];
                bases.push(w * scale * f.slope[p]);
                grad[d] -= w * scale * f.shape[p];
                p += 1;
            }
        }
        for (q, (g, l)) in grad.iter_mut().zip(isl).enumerate() {
            for (base, df) in bases.iter().zip(self.diffs.column(q)) {
                *g -= base * l * df;
            }
        }
        for (q, g) in grad.iter_mut().take(d).enumerate() {
            *g -= 0.1 / isl[q] - 0.1 * isl[q];
        }
        grad[d] -= 1.0 - scale;
        if !deterministic {
            grad[d + 1] -= (0.1 / noise - 30.0) * (noise - MINIMUM_NOISE);
        }
        if let Some(f) = &mut self.last {
            f.linv = Some(linv);
        }
        grad
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// `n` training points in three dimensions, spread over the unit square in the
    /// first two; the third takes `levels` integer values.
    pub(in crate::samplers::gp) fn points_3d(n: usize, levels: usize) -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| {
                vec![
                    (i as f64 * 0.37) % 1.0,
                    (i as f64 * 0.61) % 1.0,
                    (i % levels) as f64,
                ]
            })
            .collect()
    }

    #[test]
    fn blocked_posteriors_with_a_categorical_dimension_are_pointwise_ones() {
        // 45 points: two passes of sixteen rows and a remainder, eleven groups of four
        // rows and one more.
        let x: Vec<Vec<f64>> = (0..45)
            .map(|i| vec![(i as f64 * 0.37) % 1.0, (i % 3) as f64])
            .collect();
        let y: Vec<f64> = x.iter().map(|p| (3.0 * p[0]).sin() + 0.2 * p[1]).collect();
        let (gp, _) = Gp::fit(x, y, vec![false, true], None, false);
        let points: Vec<Vec<f64>> = (0..19)
            .map(|i| vec![i as f64 / 19.0, (i % 4) as f64])
            .collect();
        let single: Vec<(f64, f64)> = points.iter().map(|q| gp.posterior(q)).collect();
        assert_eq!(gp.posteriors(&points), single);
        assert_eq!(gp.posteriors_portable(&points), single);
    }

    #[test]
    fn posteriors_spread_over_threads_are_pointwise_ones() {
        let x: Vec<Vec<f64>> = (0..100)
            .map(|i| vec![(i as f64 * 0.37) % 1.0, (i as f64 * 0.61) % 1.0])
            .collect();
        let y: Vec<f64> = x.iter().map(|p| (3.0 * p[0]).sin() - p[1]).collect();
        let (gp, _) = Gp::fit(x, y, vec![false, false], None, false);
        // 850 points × 100² passes PARALLEL_WORK, and 850 is not a multiple of BLOCK.
        let points: Vec<Vec<f64>> = (0..850)
            .map(|i| vec![(i as f64 * 0.13) % 1.0, (i as f64 * 0.71) % 1.0])
            .collect();
        assert!(points.len() * 100 * 100 >= PARALLEL_WORK);
        let single: Vec<(f64, f64)> = points.iter().map(|q| gp.posterior(q)).collect();
        assert_eq!(gp.posteriors(&points), single);
        assert_eq!(gp.posteriors_one_thread(&points), single);
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let x = points_3d(8, 3);
        let y: Vec<f64> = x
            .iter()
            .map(|p| (3.0 * p[0]).sin() + p[1] * p[1] + 0.1 * p[2])
            .collect();
        let categorical = vec![false, false, true];
        let diffs = PairDiffs::new(&x, &categorical);
        let raw = vec![0.3, -0.2, 0.1, 0.4, -3.0];
        use lbfgs::Objective;
        let mut loss = NegativeLogPosterior::new(&diffs, &y, false);
        loss.value(&raw);
        let grad = loss.gradient(&raw);
        // Without a value first, the gradient factorises the kernel itself.
        let mut fresh = NegativeLogPosterior::new(&diffs, &y, false);
        assert_eq!(fresh.gradient(&raw), grad);
        for q in 0..raw.len() {
            let h = 1e-6;
            let mut up = raw.clone();
            up[q] += h;
            let mut down = raw.clone();
            down[q] -= h;
            let numeric = (loss.value(&up).0 - loss.value(&down).0) / (2.0 * h);
            assert!(
                (numeric - grad[q]).abs() < 1e-5 * numeric.abs().max(1.0),
                "{q}: {numeric} vs {}",
                grad[q]
            );
        }
    }

    #[test]
    fn the_posterior_interpolates_and_its_gradient_is_right() {
        let x: Vec<Vec<f64>> = (0..10)
            .map(|i| vec![i as f64 / 9.0, (i as f64 * 0.3) % 1.0])
            .collect();
        let y: Vec<f64> = x.iter().map(|p| (4.0 * p[0]).sin() - p[1]).collect();
        let (gp, _) = Gp::fit(x.clone(), y.clone(), vec![false, false], None, false);
        let (m, v) = gp.posterior(&x[3]);
        assert!((m - y[3]).abs() < 0.05 && v < 0.05, "{m} {v}");
        let p = vec![0.42, 0.77];
        // The blocked evaluation is the point-wise one, bit for bit (11 points: a block
        // of eight and a remainder), on the AVX2 copy and the portable one.
        let points: Vec<Vec<f64>> = (0..11).map(|i| vec![i as f64 / 11.0, 0.3]).collect();
        let single: Vec<(f64, f64)> = points.iter().map(|q| gp.posterior(q)).collect();
        assert_eq!(gp.posteriors(&points), single);
        assert_eq!(gp.posteriors_portable(&points), single);
        let (m0, v0, dm, dv) = gp.posterior_grad(&p);
        assert_eq!((m0, v0), gp.posterior(&p));
        for j in 0..2 {
            let h = 1e-6;
            let mut q = p.clone();
            q[j] += h;
            let (m1, v1) = gp.posterior(&q);
            assert!(((m1 - m0) / h - dm[j]).abs() < 1e-4, "mean {j}");
            assert!(((v1 - v0) / h - dv[j]).abs() < 1e-4, "var {j}");
        }
    }
}
