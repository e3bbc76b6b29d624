//! The Parzen estimator of TPE: a mixture of product kernels, one kernel per
//! observation plus a prior kernel, as Optuna's `_ParzenEstimator`.
//!
//! - numerical parameters: truncated normals (in log space for log parameters),
//!   discretised to a mass on `[x - step/2, x + step/2]` for int and stepped ones;
//! - categorical parameters: one smoothed probability table per kernel.
//!
//! Bandwidths follow Optuna: the larger gap to a neighbour (the domain ends count as
//! neighbours unless `consider_endpoints` is off, then the outer kernels use their inner
//! gap), clipped to `[(high - low) / min(100, 1 + n_kernels), high - low]` by the magic
//! clip. The prior kernel sits at the centre with bandwidth `high - low`.
//!
//! Of a run of equal values (frequent for int and stepped parameters) only the first and
//! the last in the sort get a gap-sized bandwidth, the others the minimum. Here a run is
//! in trial order; Optuna's unstable `np.argsort` leaves it in an order that depends on
//! the CPU's sort kernel. Given the same order, both estimators agree to 1e-9
//! (`optuna_multivariate_agreement` below, on Optuna's own runs). Other orders were
//! measured on the real HPO tables (`bench/run tables`): a hash order that, like numpy's
//! on AVX-512, is arbitrary per parameter, the reverse order, and one bandwidth for a
//! whole run. None did better than trial order, and a whole run's bandwidth did much
//! worse.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::distributions::Distribution;
use crate::fastexp::{exp_near, ln_all, ln_normal};
use crate::rng::{uniform01, Rng};

use super::truncnorm;

/// A store of kernel normalisers between asks: a kernel whose (mu, sigma) did not change
/// bit for bit reuses its normaliser, so results are exactly those of recomputing.
pub trait NormCache {
    /// Appends to `out` the normaliser of each observation `k` with (`mus[k]`,
    /// `sigmas[k]`), computed by `compute(mu, sigma)` when not stored. One call per
    /// estimator and parameter.
    fn norms(
        &self,
        mus: &[f64],
        sigmas: &[f64],
        compute: &dyn Fn(f64, f64) -> f64,
        out: &mut Vec<f64>,
    );
}

/// Options of the estimator (Optuna's `_ParzenEstimatorParameters`).
#[derive(Clone, Copy, Debug)]
pub struct ParzenOptions {
    /// Weight of the prior kernel.
    pub prior_weight: f64,
    /// Clip small bandwidths.
    pub consider_magic_clip: bool,
    /// Let the domain ends widen the outer kernels.
    pub consider_endpoints: bool,
}

enum Kernels {
    Numerical {
        /// Continuous parameters: per kernel, its centre (empty for discrete ones, whose
        /// kernels are their groups').
        mus: Vec<f64>,
        /// Continuous parameters of an estimator that samples: per kernel, its
        /// bandwidth (empty otherwise).
        sigmas: Vec<f64>,
        /// Continuous parameters: 1 / sigma, per kernel.
        inv_sigmas: Vec<f64>,
        /// Bounds in the kernel space (log space for log parameters, widened by half a step).
        low: f64,
        high: f64,
        log: bool,
        /// Grid of discrete parameters, in the parameter's own space.
        step: Option<f64>,
        /// The parameter's own bounds, for discretising samples.
        raw_low: f64,
        raw_high: f64,
        /// Discrete parameters only: the kernels grouped by equal (mu, sigma), with
        /// each group's ln mass on `[low, high]`.
        groups: Groups,
    },
    Categorical {
        /// The distinct rows of `n_choices` probabilities, row-major: one per choice
        /// (the kernels that observed it), then the prior kernel's. Kernels that
        /// observed the same choice have the same row, bit for bit.
        rows: Vec<f64>,
        /// Per kernel: its row.
        row_of: Vec<u32>,
        n_choices: usize,
    },
}

/// Kernels with the same (mu, sigma), bit for bit. A discrete parameter has few values,
/// so thousands of kernels share a handful of groups, and what depends only on a
/// kernel's (mu, sigma), its normaliser and a point's mass under it (an erfc and a log
/// or two each), is computed once per group: the same function of the same bits, so the
/// same result as computing it per kernel.
#[derive(Default)]
struct Groups {
    /// Per kernel: its group.
    of: Vec<u32>,
    /// Per group: its kernels' centre and bandwidth.
    mus: Vec<f64>,
    sigmas: Vec<f64>,
    /// Per group: ln of its kernels' mass on `[low, high]`.
    log_norms: Vec<f64>,
}

impl Groups {
    /// Cost: O(n) expected (one hash-map probe per kernel), plus one `norm` per group.
    fn of_kernels(mus: &[f64], sigmas: &[f64], norm: impl Fn(f64, f64) -> f64) -> Groups {
        let mut seen: HashMap<(u64, u64), u32, BuildHasherDefault<Mix>> = HashMap::default();
        let mut groups = Groups {
            of: Vec::with_capacity(mus.len()),
            ..Groups::default()
        };
        for k in 0..mus.len() {
            let key = (mus[k].to_bits(), sigmas[k].to_bits());
            let next = groups.mus.len() as u32;
            let g = *seen.entry(key).or_insert(next);
            if g == next {
                groups.mus.push(mus[k]);
                groups.sigmas.push(sigmas[k]);
                groups.log_norms.push(norm(mus[k], sigmas[k]));
            }
            groups.of.push(g);
        }
        groups
    }

    /// Kernel `k`'s (mu, sigma).
    fn kernel(&self, k: usize) -> (f64, f64) {
        let g = self.of[k] as usize;
        (self.mus[g], self.sigmas[g])
    }
}

/// A multiply-rotate hash of whole words (the keys are float bits): fast, and the same
/// on every target. Only lookups use it, so it cannot change a result.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(26) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A mixture of product kernels over the parameters of a search space.
pub struct ParzenEstimator {
    weights: Vec<f64>,
    /// Per kernel: ln weight minus the log normalisers of every continuous dimension.
    base: Vec<f64>,
    kernels: Vec<Kernels>,
    /// The continuous dimensions, whose kernels the density runs along in tight,
    /// vectorisable loops.
    cont_dims: Vec<usize>,
}

/// Per continuous dimension: the kernels' centres and inverse bandwidths.
type Columns<'a> = Vec<(&'a [f64], &'a [f64])>;

const EPS: f64 = 1e-12;

/// Vectors kept between asks for reuse. An ask at n trials needs O(d · n) floats in
/// some thirty vectors; allocated and freed on every ask, they let the allocator
/// return the heap's top to the system and fault it back in on the next ask (glibc
/// does: at n = 1000 that was 40% of an ask). Reused, they cost nothing after the
/// first ask.
#[derive(Debug, Default)]
pub struct Recycled {
    /// Float vectors: observations, weights, kernel parameters, buffers.
    pub floats: Reuse<f64>,
    /// Index vectors: the observations' sort orders.
    pub indices: Reuse<usize>,
}

/// Vectors of one element type given back for reuse.
#[derive(Debug)]
pub struct Reuse<T>(Vec<Vec<T>>);

impl<T> Default for Reuse<T> {
    fn default() -> Self {
        Reuse(Vec::new())
    }
}

impl<T> Reuse<T> {
    /// An empty vector, with the capacity of one given back earlier if there is one.
    pub fn take(&mut self) -> Vec<T> {
        let mut v = self.0.pop().unwrap_or_default();
        v.clear();
        v
    }

    /// Keeps `v` for a later [`Self::take`]. On wasm32 it frees `v` instead: a wasm
    /// heap never returns memory to the system, so freed blocks are reused without a
    /// fault, and a pool would only hold the largest vector of every slot for good
    /// (hundreds of bytes per trial in a Durable Object).
    pub fn give(&mut self, v: Vec<T>) {
        if v.capacity() > 0 && !cfg!(target_arch = "wasm32") {
            self.0.push(v);
        }
    }
}

impl ParzenEstimator {
    /// Builds the estimator. `observations[j]` holds the internal values of parameter
    /// `j` for every observation; `orders[j]`, when known, the observation indices in
    /// ascending order of value (ties by index); `weights`, one weight per observation.
    /// An estimator that only scores points (`density_only`, TPE's "above" one) keeps
    /// no bandwidths or mixture weights for sampling.
    ///
    /// It consumes its inputs as it goes, turning the observations into kernel centres
    /// in place and giving each parameter's inputs to `pool` once its kernels are
    /// built: at n observations and d parameters its peak is about 4·d·n floats
    /// besides the result's (continuous: centre and inverse bandwidth per kernel;
    /// discrete and categorical: a group or row index).
    ///
    /// Cost: O(d · n) with the orders given, O(d · n log n) without. Its vectors
    /// come from `pool`; [`Self::recycle`] gives them back.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        distributions: &[&Distribution],
        observations: Vec<Vec<f64>>,
        orders: Vec<Option<Vec<usize>>>,
        caches: &[Option<&dyn NormCache>],
        weights: Vec<f64>,
        options: ParzenOptions,
        density_only: bool,
        pool: &mut Recycled,
    ) -> Self {
        let n = weights.len();
        let mut mixture = weights;
        // One more, exactly: doubling a vector of n weights would hold 2n.
        mixture.reserve_exact(1);
        if n == 0 {
            mixture.push(1.0);
        } else {
            mixture.push(options.prior_weight);
        }
        let total: f64 = mixture.iter().sum();
        mixture.iter_mut().for_each(|w| *w /= total);
        let mut base = pool.floats.take();
        ln_all(&mixture, &mut base);
        if density_only {
            pool.floats.give(std::mem::take(&mut mixture));
        }
        let mut orders = orders.into_iter();
        let mut kernels = Vec::with_capacity(distributions.len());
        let mut cont_dims = Vec::new();
        for (j, (d, obs)) in distributions.iter().zip(observations).enumerate() {
            let order = orders.next().flatten();
            let cache = caches.get(j).copied().flatten();
            let (kernel, log_norms) =
                kernels_for(d, obs, order, cache, options, density_only, pool);
            // A continuous parameter's normalisers fold into `base` at once, in the
            // order of the parameters, as the density would subtract them.
            if let Some(log_norms) = log_norms {
                for (b, norm) in base.iter_mut().zip(log_norms.iter()) {
                    *b -= norm;
                }
                pool.floats.give(log_norms);
                cont_dims.push(j);
            }
            kernels.push(kernel);
        }
        ParzenEstimator {
            weights: mixture,
            base,
            kernels,
            cont_dims,
        }
    }

    /// Gives the estimator's vectors to `pool`.
    pub fn recycle(self, pool: &mut Recycled) {
        pool.floats.give(self.weights);
        pool.floats.give(self.base);
        for kernel in self.kernels {
            if let Kernels::Numerical {
                mus,
                sigmas,
                inv_sigmas,
                groups,
                ..
            } = kernel
            {
                for v in [
                    mus,
                    sigmas,
                    inv_sigmas,
                    groups.mus,
                    groups.sigmas,
                    groups.log_norms,
                ] {
                    pool.floats.give(v);
                }
            }
        }
    }

    fn columns(&self) -> Columns<'_> {
        self.cont_dims
            .iter()
            .filter_map(|&j| match &self.kernels[j] {
                Kernels::Numerical {
                    mus, inv_sigmas, ..
                } => Some((mus.as_slice(), inv_sigmas.as_slice())),
                Kernels::Categorical { .. } => None,
            })
            .collect()
    }

    /// Draws `size` points; each is one internal value per parameter. Not for an
    /// estimator built `density_only`.
    pub fn sample(&self, rng: &mut Rng, size: usize) -> Vec<Vec<f64>> {
        debug_assert!(
            !self.weights.is_empty(),
            "a density-only estimator does not sample"
        );
        (0..size)
            .map(|_| {
                let k = pick(&self.weights, uniform01(rng));
                self.kernels
                    .iter()
                    .map(|kernel| sample_kernel(kernel, k, rng))
                    .collect()
            })
            .collect()
    }

    /// ln density (or mass, for discrete parameters) of a point. Cost: O(d · n).
    #[cfg(test)]
    pub fn log_pdf(&self, x: &[f64]) -> f64 {
        self.log_pdf_in(x, &self.columns(), &mut Scratch::default())
    }

    /// [`Self::log_pdf`] of each point, sharing one set of buffers. Cost: O(m · d · n)
    /// for m points: a few flops per kernel on a continuous dimension, one lookup per
    /// kernel on a discrete or categorical one (plus one mass per group of kernels).
    ///
    /// On x86-64 CPUs with AVX2 the same code runs compiled for AVX2: four lanes where
    /// the baseline has two. Rust never fuses a multiply and an add, and the loops keep
    /// each kernel's operations in order, so the results are the same bit for bit.
    /// Its buffers come from `pool` and go back to it.
    pub fn log_pdfs(&self, points: &[Vec<f64>], pool: &mut Recycled) -> Vec<f64> {
        let mut scratch = Scratch {
            point: Vec::new(),
            per_kernel: pool.floats.take(),
            groups: Vec::new(),
        };
        #[cfg(target_arch = "x86_64")]
        let out = if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { self.log_pdfs_avx2(points, &mut scratch) }
        } else {
            self.log_pdfs_portable(points, &mut scratch)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let out = self.log_pdfs_portable(points, &mut scratch);
        pool.floats.give(scratch.per_kernel);
        out
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn log_pdfs_avx2(&self, points: &[Vec<f64>], scratch: &mut Scratch) -> Vec<f64> {
        self.log_pdfs_portable(points, scratch)
    }

    #[inline(always)]
    fn log_pdfs_portable(&self, points: &[Vec<f64>], scratch: &mut Scratch) -> Vec<f64> {
        // A plain loop: an iterator adapter would be compiled outside the AVX2 copy.
        let columns = self.columns();
        let mut out = Vec::with_capacity(points.len());
        for x in points {
            out.push(self.log_pdf_in(x, &columns, scratch));
        }
        out
    }

    #[inline(always)]
    fn log_pdf_in(&self, x: &[f64], columns: &Columns<'_>, scratch: &mut Scratch) -> f64 {
        // Continuous dimensions in the kernel space (log space for log parameters).
        let xc = &mut scratch.point;
        xc.clear();
        for &j in &self.cont_dims {
            if let Kernels::Numerical { low, high, log, .. } = &self.kernels[j] {
                let v = if *log { libm::log(x[j]) } else { x[j] };
                if v < *low || v > *high {
                    return f64::NEG_INFINITY;
                }
                xc.push(v);
            }
        }
        let per_kernel = &mut scratch.per_kernel;
        per_kernel.clear();
        per_kernel.extend_from_slice(&self.base);
        if !xc.is_empty() {
            subtract_squares(columns, xc, per_kernel);
        }
        for (kernel, &xi) in self.kernels.iter().zip(x) {
            match kernel {
                Kernels::Categorical {
                    rows,
                    row_of,
                    n_choices,
                } => {
                    let c = xi as usize;
                    let logs = &mut scratch.groups;
                    logs.clear();
                    logs.extend(rows.chunks_exact(*n_choices).map(|row| libm::log(row[c])));
                    for (lp, &r) in per_kernel.iter_mut().zip(row_of) {
                        *lp += logs[r as usize];
                    }
                }
                Kernels::Numerical { step: None, .. } => {}
                Kernels::Numerical {
                    log,
                    step: Some(step),
                    groups,
                    ..
                } => {
                    let to_space = |v: f64| if *log { libm::log(v) } else { v };
                    let left = to_space(xi - step / 2.0);
                    let right = to_space(xi + step / 2.0);
                    let masses = &mut scratch.groups;
                    masses.clear();
                    let each = groups.mus.iter().zip(&groups.sigmas).zip(&groups.log_norms);
                    masses.extend(each.map(|((&mu, &sigma), norm)| {
                        truncnorm::log_gauss_mass((left - mu) / sigma, (right - mu) / sigma) - norm
                    }));
                    for (lp, &g) in per_kernel.iter_mut().zip(&groups.of) {
                        *lp += masses[g as usize];
                    }
                }
            }
        }
        log_sum_exp(per_kernel)
    }
}

/// `lp[k] -= 0.5 · Σ_c ((xc[c] - mu) / sigma)²` over the continuous dimensions, the
/// squares summed in dimension order. Kernels go in blocks of [`LANES`] with the
/// dimensions inside, so the sums stay in registers and the block vectorises; every
/// kernel still sees the same operations in the same order, on every target.
#[inline(always)]
fn subtract_squares(columns: &Columns<'_>, xc: &[f64], lp: &mut [f64]) {
    let kernel_squares = |k: usize| {
        let mut s = 0.0;
        for ((mus, invs), v) in columns.iter().zip(xc) {
            let z = (v - mus[k]) * invs[k];
            s += z * z;
        }
        s
    };
    let blocks = lp.len() / LANES * LANES;
    for (b, out) in lp.chunks_exact_mut(LANES).enumerate() {
        let k0 = b * LANES;
        let mut s = [0.0; LANES];
        for ((mus, invs), v) in columns.iter().zip(xc) {
            let mu = &mus[k0..k0 + LANES];
            let inv = &invs[k0..k0 + LANES];
            for l in 0..LANES {
                let z = (v - mu[l]) * inv[l];
                s[l] += z * z;
            }
        }
        for (o, s) in out.iter_mut().zip(s) {
            *o -= 0.5 * s;
        }
    }
    for (k, value) in lp.iter_mut().enumerate().skip(blocks) {
        *value -= 0.5 * kernel_squares(k);
    }
}

/// Kernels per block in the density loops.
const LANES: usize = 8;

/// Buffers reused across the points of one [`ParzenEstimator::log_pdfs`].
#[derive(Default)]
struct Scratch {
    point: Vec<f64>,
    per_kernel: Vec<f64>,
    /// Per group of kernels (or categorical row): the point's term.
    groups: Vec<f64>,
}

/// Terms gathered per block by [`log_sum_exp`].
const GATHER: usize = 256;

/// `sum` plus e^d of each of `ds`, added in order.
#[inline(always)]
fn add_exps(ds: &mut [f64], mut sum: f64) -> f64 {
    for d in ds.iter_mut() {
        *d = exp_near(*d);
    }
    for d in ds.iter() {
        sum += d;
    }
    sum
}

/// ln Σ e^v, in the order of `values`.
#[inline(always)]
fn log_sum_exp(values: &[f64]) -> f64 {
    // The maximum over LANES running maxima: exact in any order, without one long
    // chain of dependent comparisons.
    let mut lanes = [f64::NEG_INFINITY; LANES];
    let mut blocks = values.chunks_exact(LANES);
    for block in &mut blocks {
        for l in 0..LANES {
            lanes[l] = if block[l] > lanes[l] {
                block[l]
            } else {
                lanes[l]
            };
        }
    }
    let max = blocks
        .remainder()
        .iter()
        .chain(&lanes)
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY || max.is_nan() {
        return max;
    }
    // Terms more than 40 below the largest add less than e^-40 each: with n kernels the
    // relative error of the sum is at most n·e^-40 (4e-15 for 1000 kernels), and far
    // kernels, the common case, cost no exp. The rest are gathered without a branch
    // into a block on the stack, then exponentiated and added to the sum in their
    // order. Deterministic on every target, and no buffer of n floats.
    let mut block = [0.0f64; GATHER];
    let mut len = 0;
    let mut sum = 0.0;
    for v in values {
        let d = v - max;
        block[len] = d;
        len += usize::from(d > -40.0);
        if len == GATHER {
            sum = add_exps(&mut block, sum);
            len = 0;
        }
    }
    // At least the largest term's e^0 = 1: a normal number.
    let sum = add_exps(&mut block[..len], sum);
    ln_normal(sum) + max
}

/// The index whose cumulative weight first exceeds `u`.
fn pick(weights: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if u < acc {
            return i;
        }
    }
    weights.len() - 1
}

fn sample_kernel(kernel: &Kernels, k: usize, rng: &mut Rng) -> f64 {
    match kernel {
        Kernels::Categorical {
            rows,
            row_of,
            n_choices,
        } => {
            let r = row_of[k] as usize;
            pick(&rows[r * n_choices..(r + 1) * n_choices], uniform01(rng)) as f64
        }
        Kernels::Numerical {
            mus,
            sigmas,
            low,
            high,
            log,
            step,
            raw_low,
            raw_high,
            groups,
            ..
        } => {
            let (mu, sigma) = match step {
                Some(_) => groups.kernel(k),
                None => (mus[k], sigmas[k]),
            };
            let q = uniform01(rng);
            let z = truncnorm::ppf(q, (low - mu) / sigma, (high - mu) / sigma);
            let mut v = (z * sigma + mu).clamp(*low, *high);
            if *log {
                v = libm::exp(v);
            }
            match step {
                Some(step) => {
                    (raw_low + libm::round((v - raw_low) / step) * step).clamp(*raw_low, *raw_high)
                }
                None => v.clamp(*raw_low, *raw_high),
            }
        }
    }
}

/// The kernels of one parameter from its observations (consumed: a numerical
/// parameter's become its centres in place), and for a continuous parameter its
/// per-kernel normalisers, to fold into the estimator's `base`.
fn kernels_for(
    distribution: &Distribution,
    obs: Vec<f64>,
    order: Option<Vec<usize>>,
    cache: Option<&dyn NormCache>,
    options: ParzenOptions,
    density_only: bool,
    pool: &mut Recycled,
) -> (Kernels, Option<Vec<f64>>) {
    match distribution {
        Distribution::Categorical { choices } => {
            let n_choices = choices.len();
            if let Some(order) = order {
                pool.indices.give(order);
            }
            if obs.is_empty() {
                return (
                    Kernels::Categorical {
                        rows: vec![1.0 / n_choices as f64; n_choices],
                        row_of: vec![0],
                        n_choices,
                    },
                    None,
                );
            }
            // Each kernel's row is the prior's share everywhere plus one at the choice it
            // observed, normalised: the same operations for every kernel of a choice.
            let n_kernels = obs.len() + 1;
            let mut rows =
                vec![options.prior_weight / n_kernels as f64; (n_choices + 1) * n_choices];
            for (c, row) in rows.chunks_mut(n_choices).enumerate() {
                if let Some(p) = row.get_mut(c) {
                    *p += 1.0;
                }
                let sum: f64 = row.iter().sum();
                if sum > 0.0 {
                    row.iter_mut().for_each(|p| *p /= sum);
                }
            }
            let mut row_of: Vec<u32> = obs.iter().map(|&c| c as u32).collect();
            row_of.push(n_choices as u32);
            pool.floats.give(obs);
            (
                Kernels::Categorical {
                    rows,
                    row_of,
                    n_choices,
                },
                None,
            )
        }
        Distribution::Float { .. } | Distribution::Int { .. } => {
            let (raw_low, raw_high, log, step) = distribution
                .numeric_range()
                .expect("float and int distributions are numeric");
            let (mut low, mut high) = (raw_low, raw_high);
            if let Some(step) = step {
                low -= step / 2.0;
                high += step / 2.0;
            }
            let to_space = |v: f64| if log { libm::log(v) } else { v };
            let (low, high) = (to_space(low), to_space(high));
            let mut mus = obs;
            if log {
                mus.iter_mut().for_each(|v| *v = libm::log(*v));
            }
            // Every vector gets exactly its n kernels and the prior's: one more than n
            // by doubling would hold 2n, and on wasm the heap keeps its peak.
            let mut sigmas = pool.floats.take();
            sigmas.reserve_exact(mus.len() + 1);
            bandwidths(&mus, order.as_deref(), low, high, options, &mut sigmas);
            if let Some(order) = order {
                pool.indices.give(order);
            }
            mus.reserve_exact(1);
            mus.push(0.5 * (low + high));
            sigmas.push(high - low);
            let n_obs = mus.len() - 1;
            let compute = |mu: f64, sigma: f64| {
                let mass = truncnorm::log_gauss_mass((low - mu) / sigma, (high - mu) / sigma);
                match step {
                    Some(_) => mass,
                    None => mass + libm::log(sigma) + truncnorm::LOG_SQRT_2PI,
                }
            };
            let bounds = |mus, sigmas, inv_sigmas, groups| Kernels::Numerical {
                mus,
                sigmas,
                inv_sigmas,
                low,
                high,
                log,
                step,
                raw_low,
                raw_high,
                groups,
            };
            if step.is_some() {
                // A discrete parameter's kernels are its groups.
                let groups = Groups::of_kernels(&mus, &sigmas, compute);
                pool.floats.give(mus);
                pool.floats.give(sigmas);
                return (bounds(Vec::new(), Vec::new(), Vec::new(), groups), None);
            }
            // A continuous one's normalisers are per kernel, from the cache when given.
            let mut log_norms = pool.floats.take();
            log_norms.reserve_exact(n_obs + 1);
            match cache {
                Some(c) => c.norms(&mus[..n_obs], &sigmas[..n_obs], &compute, &mut log_norms),
                None => log_norms.extend((0..n_obs).map(|k| compute(mus[k], sigmas[k]))),
            }
            log_norms.push(compute(mus[n_obs], sigmas[n_obs]));
            let mut inv_sigmas = pool.floats.take();
            inv_sigmas.extend(sigmas.iter().map(|s| 1.0 / s));
            if density_only {
                pool.floats.give(std::mem::take(&mut sigmas));
            }
            (
                bounds(mus, sigmas, inv_sigmas, Groups::default()),
                Some(log_norms),
            )
        }
    }
}

/// Maps an f64 to a u64 with the same order as `f64::total_cmp`.
pub fn ordered_bits(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The bandwidth of each observation's kernel (Optuna's `compute_sigmas`), into
/// `sigmas` (empty).
fn bandwidths(
    mus: &[f64],
    order: Option<&[usize]>,
    low: f64,
    high: f64,
    options: ParzenOptions,
    sigmas: &mut Vec<f64>,
) {
    let n = mus.len();
    if n == 0 {
        return;
    }
    if let Some(order) = order {
        return bandwidths_in_order(mus, order, low, high, options, sigmas);
    }
    // Sort by (value, index) packed in one integer whose order is f64's total order:
    // plain integer comparisons, and the full key keeps the unstable sort deterministic.
    let mut keys: Vec<u128> = mus
        .iter()
        .enumerate()
        .map(|(i, &m)| (u128::from(ordered_bits(m)) << 64) | i as u128)
        .collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.iter().map(|k| *k as u64 as usize).collect();
    bandwidths_in_order(mus, &order, low, high, options, sigmas)
}

fn bandwidths_in_order(
    mus: &[f64],
    order: &[usize],
    low: f64,
    high: f64,
    options: ParzenOptions,
    sigmas: &mut Vec<f64>,
) {
    let n = mus.len();
    let max_sigma = high - low;
    let min_sigma = if options.consider_magic_clip {
        (high - low) / (100f64).min(1.0 + (n + 1) as f64)
    } else {
        EPS
    };
    sigmas.resize(n, 0.0);
    // Walk the values in ascending order with the domain ends as outer neighbours.
    let mut prev = low;
    for (rank, &i) in order.iter().enumerate() {
        let here = mus[i];
        let next = order.get(rank + 1).map_or(high, |&j| mus[j]);
        let sigma = if !options.consider_endpoints && n >= 2 && rank == 0 {
            next - here
        } else if !options.consider_endpoints && n >= 2 && rank == n - 1 {
            here - prev
        } else {
            (here - prev).max(next - here)
        };
        sigmas[i] = sigma.clamp(min_sigma, max_sigma.max(min_sigma));
        prev = here;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    const OPTIONS: ParzenOptions = ParzenOptions {
        prior_weight: 1.0,
        consider_magic_clip: true,
        consider_endpoints: false,
    };

    #[test]
    fn log_pdfs_match_the_portable_code_bit_for_bit() {
        let dists: Vec<Distribution> = (0..5)
            .map(|_| Distribution::float(-5.0, 5.0, false, None).unwrap())
            .collect();
        let refs: Vec<&Distribution> = dists.iter().collect();
        let mut rng = Rng::seed_from_u64(3);
        let n = 301;
        let obs: Vec<Vec<f64>> = (0..5)
            .map(|_| (0..n).map(|_| 10.0 * uniform01(&mut rng) - 5.0).collect())
            .collect();
        let pe = ParzenEstimator::new(
            &refs,
            obs.clone(),
            vec![None, None, None, None, None],
            &[None, None, None, None, None],
            vec![1.0; n],
            OPTIONS,
            false,
            &mut Recycled::default(),
        );
        let points = pe.sample(&mut rng, 64);
        let fast = pe.log_pdfs(&points, &mut Recycled::default());
        let scratch = &mut Scratch::default();
        let portable = pe.log_pdfs_portable(&points, scratch);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fast), bits(&portable));
        for (p, lp) in points.iter().zip(&fast) {
            assert_eq!(pe.log_pdf(p).to_bits(), lp.to_bits());
        }
    }

    fn bandwidths(
        mus: &[f64],
        order: Option<&[usize]>,
        low: f64,
        high: f64,
        options: ParzenOptions,
    ) -> Vec<f64> {
        let mut sigmas = Vec::new();
        super::bandwidths(mus, order, low, high, options, &mut sigmas);
        sigmas
    }

    #[test]
    fn bandwidths_follow_optuna() {
        // Optuna: mus [0.2, 0.5, 0.6] on [0, 1] with 4 kernels; min sigma = 1/5.
        let s = bandwidths(&[0.5, 0.2, 0.6], None, 0.0, 1.0, OPTIONS);
        // Sorted 0.2, 0.5, 0.6: first uses its inner gap 0.3, middle max(0.3, 0.1) = 0.3,
        // last its inner gap 0.1 -> clipped to 0.2.
        assert_eq!(s, vec![0.3, 0.3, 0.2]);
        let one = bandwidths(&[0.9], None, 0.0, 1.0, OPTIONS);
        assert_eq!(
            bandwidths(&[0.5, 0.2, 0.6], Some(&[1, 0, 2]), 0.0, 1.0, OPTIONS),
            s
        );
        assert_eq!(one, vec![0.9]);
    }

    #[test]
    fn densities_are_normalised_and_samples_valid() {
        let d = Distribution::float(-2.0, 3.0, false, None).unwrap();
        let pe = ParzenEstimator::new(
            &[&d],
            vec![vec![0.0, 1.0, 2.5]],
            vec![None],
            &[None],
            vec![1.0, 1.0, 1.0],
            OPTIONS,
            false,
            &mut Recycled::default(),
        );
        let n = 20_000;
        let h = 5.0 / n as f64;
        let total: f64 = (0..n)
            .map(|i| libm::exp(pe.log_pdf(&[-2.0 + (i as f64 + 0.5) * h])) * h)
            .sum();
        assert!((total - 1.0).abs() < 1e-6, "{total}");
        let mut rng = Rng::seed_from_u64(1);
        for x in pe.sample(&mut rng, 500) {
            assert!((-2.0..=3.0).contains(&x[0]));
        }
    }

    #[test]
    fn discrete_masses_sum_to_one() {
        for d in [
            Distribution::int(1, 10, false, 1).unwrap(),
            Distribution::int(1, 64, true, 1).unwrap(),
            Distribution::float(0.0, 1.0, false, Some(0.25)).unwrap(),
            Distribution::categorical(vec!["a".into(), "b".into(), "c".into()]).unwrap(),
        ] {
            let values: Vec<f64> = match &d {
                Distribution::Int { low, high, .. } => (*low..=*high).map(|v| v as f64).collect(),
                Distribution::Float { .. } => vec![0.0, 0.25, 0.5, 0.75, 1.0],
                Distribution::Categorical { .. } => vec![0.0, 1.0, 2.0],
            };
            let obs = vec![values[1], values[values.len() - 1]];
            let pe = ParzenEstimator::new(
                &[&d],
                vec![obs],
                vec![None],
                &[None],
                vec![1.0, 0.5],
                OPTIONS,
                false,
                &mut Recycled::default(),
            );
            let total: f64 = values.iter().map(|v| libm::exp(pe.log_pdf(&[*v]))).sum();
            assert!((total - 1.0).abs() < 1e-9, "{d:?}: {total}");
            let mut rng = Rng::seed_from_u64(2);
            for x in pe.sample(&mut rng, 200) {
                assert!(d.contains(x[0]), "{d:?}: {}", x[0]);
            }
        }
    }
}

#[cfg(test)]
mod optuna_agreement {
    use super::*;

    /// Optuna 5.0's `_ParzenEstimator(...).log_pdf` on the same observations and points
    /// (printed by a script against optuna 5.0.0; see bench/).
    #[test]
    fn log_pdf_matches_optuna() {
        let a = Distribution::float(-5.0, 10.0, false, None).unwrap();
        let b = Distribution::float(1e-3, 10.0, true, None).unwrap();
        let c = Distribution::int(1, 9, false, 1).unwrap();
        let d = Distribution::categorical(vec!["x".into(), "y".into(), "z".into()]).unwrap();
        let obs = vec![
            vec![0.5, 3.0, -2.0, 7.5, 1.0],
            vec![0.01, 1.0, 5.0, 0.002, 0.3],
            vec![2.0, 5.0, 9.0, 1.0, 3.0],
            vec![0.0, 2.0, 1.0, 0.0, 0.0],
        ];
        let options = ParzenOptions {
            prior_weight: 1.0,
            consider_magic_clip: true,
            consider_endpoints: false,
        };
        let pe = ParzenEstimator::new(
            &[&a, &b, &c, &d],
            obs,
            vec![None, None, None, None],
            &[None, None, None, None],
            vec![1.0; 5],
            options,
            false,
            &mut Recycled::default(),
        );
        let points = [
            [0.0, 0.005, 1.0, 0.0],
            [2.5, 2.0, 4.0, 1.0],
            [9.9, 9.0, 9.0, 2.0],
        ];
        let optuna = [-6.387446296107897, -8.084399751243946, -9.567864202138729];
        for (p, expected) in points.iter().zip(optuna) {
            let got = pe.log_pdf(p);
            assert!(
                (got - expected).abs() < 1e-9,
                "log_pdf({p:?}) = {got}, Optuna {expected}"
            );
        }
    }
}

/// The multivariate estimators of Optuna's own TPE runs (tests/golden/tpe_parzen.json,
/// written by bench/tpe_parity.py with Optuna 5.1): float, log float, int, stepped int,
/// log int and categorical parameters, ties in the discrete ones, uniform and ramp
/// weights. Given the observations, the weights and the order Optuna's argsort put each
/// parameter's values in, both log densities of every candidate agree to 1e-9, and the
/// candidates' scores rank the same.
#[cfg(test)]
mod optuna_multivariate_agreement {
    use serde_json::Value;

    use super::*;
    use crate::distributions::ParamValue;

    const GOLDEN: &str = include_str!("../../../../../tests/golden/tpe_parzen.json");
    const OPTIONS: ParzenOptions = ParzenOptions {
        prior_weight: 1.0,
        consider_magic_clip: true,
        consider_endpoints: false,
    };

    fn distribution(p: &Value) -> Distribution {
        let f = |k: &str| p[k].as_f64().unwrap();
        match p["type"].as_str().unwrap() {
            "categorical" => Distribution::categorical(
                (0..p["n"].as_u64().unwrap())
                    .map(|i| ParamValue::Str(format!("c{i}")))
                    .collect(),
            ),
            "int" => Distribution::int(
                f("low") as i64,
                f("high") as i64,
                p["log"].as_bool().unwrap(),
                p["step"].as_f64().unwrap_or(1.0) as i64,
            ),
            _ => Distribution::float(
                f("low"),
                f("high"),
                p["log"].as_bool().unwrap(),
                p["step"].as_f64(),
            ),
        }
        .unwrap()
    }

    fn estimator(dists: &[&Distribution], group: &Value) -> ParzenEstimator {
        let observations: Vec<Vec<f64>> =
            serde_json::from_value(group["observations"].clone()).unwrap();
        let orders: Vec<Option<Vec<usize>>> =
            serde_json::from_value(group["orders"].clone()).unwrap();
        let weights: Vec<f64> = serde_json::from_value(group["weights"].clone()).unwrap();
        let caches = vec![None; dists.len()];
        ParzenEstimator::new(
            dists,
            observations,
            orders,
            &caches,
            weights,
            OPTIONS,
            false,
            &mut Recycled::default(),
        )
    }

    /// Candidate indices from the best score to the worst.
    fn ranking(log_l: &[f64], log_g: &[f64]) -> Vec<usize> {
        let mut r: Vec<usize> = (0..log_l.len()).collect();
        r.sort_by(|&a, &b| (log_l[b] - log_g[b]).total_cmp(&(log_l[a] - log_g[a])));
        r
    }

    #[test]
    fn log_densities_and_rankings_match_optunas() {
        let golden: Value = serde_json::from_str(GOLDEN).unwrap();
        let cases = golden["cases"].as_array().unwrap();
        assert!(cases.len() >= 4);
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let dists: Vec<Distribution> = case["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(distribution)
                .collect();
            let refs: Vec<&Distribution> = dists.iter().collect();
            let (l, g) = (
                estimator(&refs, &case["below"]),
                estimator(&refs, &case["above"]),
            );
            let candidates: Vec<Vec<f64>> =
                serde_json::from_value(case["candidates"].clone()).unwrap();
            let want_l: Vec<f64> = serde_json::from_value(case["log_l"].clone()).unwrap();
            let want_g: Vec<f64> = serde_json::from_value(case["log_g"].clone()).unwrap();
            let got_l: Vec<f64> = candidates.iter().map(|c| l.log_pdf(c)).collect();
            let got_g: Vec<f64> = candidates.iter().map(|c| g.log_pdf(c)).collect();
            for (i, c) in candidates.iter().enumerate() {
                assert!(
                    (got_l[i] - want_l[i]).abs() < 1e-9,
                    "{name}: log l({c:?}) = {}, Optuna {}",
                    got_l[i],
                    want_l[i]
                );
                assert!(
                    (got_g[i] - want_g[i]).abs() < 1e-9,
                    "{name}: log g({c:?}) = {}, Optuna {}",
                    got_g[i],
                    want_g[i]
                );
            }
            assert_eq!(ranking(&got_l, &got_g), ranking(&want_l, &want_g), "{name}");
        }
    }
}
