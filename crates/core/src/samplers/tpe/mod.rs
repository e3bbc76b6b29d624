//! The Tree-structured Parzen Estimator, at parity with Optuna 5's `TPESampler`.
//!
//! For each ask, finished trials are split into a good group (the best
//! `gamma(n) = min(ceil(0.1 n), 25)` trials; `ceil(0.1 n)` with several objectives) and
//! a bad group. A Parzen estimator l(x) is fitted to the good group and g(x) to the bad
//! one; `n_ei_candidates` points are drawn from l(x) and the one maximising
//! log l(x) - log g(x) is suggested. Until `n_startup_trials` trials finished, sampling
//! is uniform random (with `cost_aware`, the cost-effective design of
//! `samplers::cost::start` once costs can be fitted).
//!
//! Modes, as Optuna: multivariate (the default for one objective; parameters of the
//! intersection search space are drawn jointly), univariate, `group` (joint sampling
//! per group of parameters that always occur together, for define-by-run spaces that
//! change), constant liar (on by default: RUNNING trials count as bad, so concurrent
//! askers spread out), multi-objective splits by non-domination rank and hypervolume,
//! and constraints (infeasible trials rank after feasible ones).
//!
//! # Cost of an ask
//! With n trials, d parameters and C = `n_ei_candidates`: O(n) to split (finished
//! trials are kept sorted between asks, filed once in `after_trial`), O(n · d) to
//! gather observations, O(d · n log n) to fit the bandwidths and O(C · n · d) to score
//! the candidates. Several objectives add the non-domination sort of the complete
//! trials, O(R · n² · m) for R fronts.

mod filed;
mod parzen;
pub(crate) mod split;
pub(crate) mod truncnorm;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::distributions::{Distribution, Param, SearchSpace};
use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::samplers::{draw_uniform, Relative, Sampler};
use crate::search_space::{GroupDecomposedSearchSpace, IntersectionSearchSpace};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

use std::cell::RefCell;

use filed::Filed;
use parzen::{NormCache, ParzenEstimator, ParzenOptions, Recycled};
use split::SplitState;

/// Options of [`TpeSampler`], with Optuna 5's names and defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TpeOptions {
    /// Random trials before TPE starts (10).
    pub n_startup_trials: usize,
    /// Candidates drawn from l(x) per suggestion (24).
    pub n_ei_candidates: usize,
    /// Joint sampling of the intersection search space; absent: on for one objective,
    /// off for several (Optuna's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multivariate: Option<bool>,
    /// Joint sampling per group of co-occurring parameters (needs multivariate).
    pub group: bool,
    /// Count RUNNING trials as bad (true).
    pub constant_liar: bool,
    /// Weight of the prior kernel (1.0).
    pub prior_weight: f64,
    /// Clip small bandwidths (true).
    pub consider_magic_clip: bool,
    /// Let the domain ends widen the outer kernels (false).
    pub consider_endpoints: bool,
    /// Prefer cheap promising points: subtract α times the estimated log cost of each
    /// candidate from its score log l(x) - log g(x), with α the share of the budget
    /// left; startup trials follow the cost-effective design (false).
    pub cost_aware: bool,
}

impl Default for TpeOptions {
    fn default() -> Self {
        TpeOptions {
            n_startup_trials: 10,
            n_ei_candidates: 24,
            multivariate: None,
            group: false,
            constant_liar: true,
            prior_weight: 1.0,
            consider_magic_clip: true,
            consider_endpoints: false,
            cost_aware: false,
        }
    }
}

impl TpeOptions {
    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        if self.n_ei_candidates == 0 || self.n_ei_candidates > 10_000 {
            return Err(Error::config(
                "n_ei_candidates",
                format!("must be from 1 to 10000, got {}", self.n_ei_candidates),
            ));
        }
        if self.n_startup_trials > 1_000_000 {
            return Err(Error::config("n_startup_trials", "must be at most 1000000"));
        }
        if !(self.prior_weight.is_finite() && self.prior_weight > 0.0) {
            return Err(Error::config(
                "prior_weight",
                format!("must be a finite number > 0, got {}", self.prior_weight),
            ));
        }
        if self.group && self.multivariate == Some(false) {
            return Err(Error::config(
                "group",
                "group can only be enabled with multivariate",
            ));
        }
        Ok(self)
    }
}

/// The TPE sampler. See the module documentation for the algorithm and its cost.
///
/// ```
/// use edgetune_core::samplers::{SamplerConfig, TpeOptions};
/// use edgetune_core::{Outcome, Study, StudyConfig};
/// let tpe = SamplerConfig::Tpe(TpeOptions { n_startup_trials: 5, ..TpeOptions::default() });
/// let mut study = Study::create(StudyConfig::new("tpe").with_sampler(tpe).with_seed(1)).unwrap();
/// study
///     .optimize(30, |t| Outcome::value(t.suggest_float("x", -5.0, 5.0).unwrap().powi(2)))
///     .unwrap();
/// assert!(study.best_trial().unwrap().value().unwrap() < 1.0);
/// ```
#[derive(Clone, Debug)]
pub struct TpeSampler {
    options: TpeOptions,
    split: SplitState,
    intersection: IntersectionSearchSpace,
    groups: GroupDecomposedSearchSpace,
    columns: Columns,
    /// The last ask's vectors, for the next one (a clone starts without).
    pool: Pool,
}

/// [`Recycled`] behind a `RefCell`, as `sample` borrows the sampler shared.
#[derive(Debug, Default)]
struct Pool(RefCell<Recycled>);

impl Clone for Pool {
    fn clone(&self) -> Self {
        Pool::default()
    }
}

/// The internal values of finished trials, per parameter and distribution, indexed by
/// slot, the trial's position in the view (NaN where a trial lacks the parameter): filled once per trial in
/// `after_trial`, so an ask gathers observations without a map lookup per trial.
#[derive(Clone, Debug, Default)]
struct Columns {
    by_name: BTreeMap<String, Vec<Column>>,
    /// The slots a new column makes room for (see `Sampler::reserve`).
    reserve: usize,
}

/// One parameter's values under one distribution.
#[derive(Clone, Debug)]
struct Column {
    distribution: Distribution,
    /// Internal value by trial number (NaN: the trial lacks it).
    values: Vec<f64>,
    /// Trial numbers by (value, number), ascending when read: the kernels' sort order,
    /// filed per trial so an ask only merges in what finished since the last. Empty
    /// until the first read, which sorts every slot with a value: a replay files
    /// nothing here.
    sorted: RefCell<Filed<u32>>,
    /// Whether `sorted` was read, and so files each new value.
    filing: std::cell::Cell<bool>,
    /// Per trial number: the last (sigma bits, normaliser) of its kernel. Its centre is
    /// the trial's value, which never changes, so the bandwidth is the whole key.
    norms: RefCell<Vec<(u64, f64)>>,
}

impl Column {
    /// Makes room for `trials` slots: the values, and the sort order and normalisers
    /// the first ask makes for the parameters that use them. Made at the wake, they sit
    /// below the first ask's buffers in a wasm heap, which never shrinks, and leave no
    /// hole there.
    fn reserve(&mut self, trials: usize) {
        let more = |len: usize| trials.saturating_sub(len);
        self.values.reserve_exact(more(self.values.len()));
        if !matches!(self.distribution, Distribution::Categorical { .. }) {
            self.sorted.get_mut().reserve(trials);
        }
        if matches!(self.distribution, Distribution::Float { step: None, .. }) {
            let norms = self.norms.get_mut();
            norms.reserve_exact(more(norms.len()));
        }
    }

    /// Calls `f` on the trial numbers in ascending order of (value, number).
    fn for_each_sorted(&self, mut f: impl FnMut(u32)) {
        let values = &self.values;
        let key = |n: &u32| (parzen::ordered_bits(values[*n as usize]), *n);
        let mut filed = self.sorted.borrow_mut();
        if !self.filing.replace(true) {
            let count = values.iter().filter(|v| !v.is_nan()).count();
            filed.extend(
                count,
                (0..values.len() as u32).filter(|&s| !values[s as usize].is_nan()),
            );
        }
        for &n in filed.sorted(|a, b| key(a).cmp(&key(b))) {
            f(n);
        }
    }
}

/// The normaliser store of one column for one estimator's observations.
struct ColumnNorms<'a> {
    numbers: &'a [u64],
    column: &'a Column,
}

impl NormCache for ColumnNorms<'_> {
    fn norms(
        &self,
        mus: &[f64],
        sigmas: &[f64],
        compute: &dyn Fn(f64, f64) -> f64,
        out: &mut Vec<f64>,
    ) {
        let mut store = self.column.norms.borrow_mut();
        // The numbers ascend: the last is the largest. Room for every slot of the
        // column at once, so the estimators of one ask do not grow it twice.
        if let Some(&last) = self.numbers.last() {
            if store.len() <= last as usize {
                let len = (last as usize + 1).max(self.column.values.len());
                crate::grow::resize(&mut store, len, (u64::MAX, 0.0));
            }
        }
        out.extend(self.numbers.iter().zip(mus.iter().zip(sigmas)).map(
            |(&number, (&mu, &sigma))| {
                let entry = &mut store[number as usize];
                if entry.0 != sigma.to_bits() {
                    *entry = (sigma.to_bits(), compute(mu, sigma));
                }
                entry.1
            },
        ));
    }
}

impl Columns {
    /// Files the values of the finished trial at `slot` (its position in the view).
    fn add(&mut self, slot: usize, trial: &FrozenTrial) {
        let at = slot;
        for (name, distribution, value) in trial.params.entries() {
            // A name is copied once, when its first column is made, not per trial.
            if !self.by_name.contains_key(name) {
                self.by_name.insert(name.to_string(), Vec::new());
            }
            let columns = self
                .by_name
                .get_mut(name)
                .expect("the name's columns were just made");
            let i = match columns.iter().position(|c| c.distribution == *distribution) {
                Some(i) => i,
                None => {
                    let mut column = Column {
                        distribution: distribution.clone(),
                        values: Vec::new(),
                        sorted: RefCell::new(Filed::default()),
                        filing: std::cell::Cell::new(false),
                        norms: RefCell::new(Vec::new()),
                    };
                    column.reserve(self.reserve);
                    columns.push(column);
                    columns.len() - 1
                }
            };
            let column = &mut columns[i];
            if column.values.len() <= at {
                crate::grow::resize(&mut column.values, at + 1, f64::NAN);
            }
            column.values[at] = value;
            if column.filing.get() {
                column.sorted.get_mut().push(slot as u32);
            }
        }
    }

    fn get(&self, name: &str, distribution: &Distribution) -> Option<&Column> {
        self.by_name
            .get(name)?
            .iter()
            .find(|c| c.distribution == *distribution)
    }
}

/// The normaliser stores of `cached` columns for the observations `kept`.
fn column_norms<'a>(
    cached: &[Option<&'a Column>],
    kept: &'a [u64],
) -> Vec<Option<ColumnNorms<'a>>> {
    cached
        .iter()
        .map(|c| {
            c.map(|column| ColumnNorms {
                numbers: kept,
                column,
            })
        })
        .collect()
}

/// The stores as trait objects, as the estimator takes them.
fn as_caches<'a>(norms: &'a [Option<ColumnNorms<'a>>]) -> Vec<Option<&'a dyn NormCache>> {
    norms
        .iter()
        .map(|c| c.as_ref().map(|c| c as &dyn NormCache))
        .collect()
}

/// For each parameter, the observation indices in ascending order of value (ties by
/// index), read off the cached sorted columns: O(N) per parameter instead of a sort.
/// Observations outside the cache (running trials) are sorted and merged in; with
/// `all_cached`, every observation is its cached value and needs no check.
fn sorted_orders(
    numbers: &[u64],
    obs: &[Vec<f64>],
    cached: &[Option<&Column>],
    n_trials: usize,
    all_cached: bool,
    pool: &mut Recycled,
) -> Vec<Option<Vec<usize>>> {
    let mut index_of = vec![u32::MAX; n_trials];
    for (i, &n) in numbers.iter().enumerate() {
        index_of[n as usize] = i as u32;
    }
    cached
        .iter()
        .zip(obs)
        .map(|(column, values)| {
            let column = (*column)?;
            if matches!(column.distribution, Distribution::Categorical { .. }) {
                return None;
            }
            let mut order = pool.indices.take();
            order.reserve_exact(values.len());
            let mut in_cache = vec![false; values.len()];
            column.for_each_sorted(|number| {
                let i = index_of[number as usize];
                if i != u32::MAX
                    && (all_cached || column.values[number as usize] == values[i as usize])
                {
                    order.push(i as usize);
                    in_cache[i as usize] = true;
                }
            });
            if order.len() < values.len() {
                let mut rest: Vec<usize> = (0..values.len()).filter(|&i| !in_cache[i]).collect();
                rest.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
                let mut merged = Vec::with_capacity(values.len());
                let (mut a, mut b) = (0, 0);
                while a < order.len() || b < rest.len() {
                    let take_a = b >= rest.len()
                        || (a < order.len()
                            && values[order[a]]
                                .total_cmp(&values[rest[b]])
                                .then(order[a].cmp(&rest[b]))
                                .is_lt());
                    if take_a {
                        merged.push(order[a]);
                        a += 1;
                    } else {
                        merged.push(rest[b]);
                        b += 1;
                    }
                }
                order = merged;
            }
            Some(order)
        })
        .collect()
}

impl TpeSampler {
    /// A TPE sampler with validated options.
    pub fn new(options: TpeOptions) -> Self {
        TpeSampler {
            options,
            split: SplitState::default(),
            intersection: IntersectionSearchSpace::default(),
            groups: GroupDecomposedSearchSpace::default(),
            columns: Columns::default(),
            pool: Pool::default(),
        }
    }

    fn multivariate(&self, view: &StudyView<'_>) -> bool {
        self.options
            .multivariate
            .unwrap_or(self.options.group || view.directions.len() == 1)
    }

    fn parzen_options(&self) -> ParzenOptions {
        ParzenOptions {
            prior_weight: self.options.prior_weight,
            consider_magic_clip: self.options.consider_magic_clip,
            consider_endpoints: self.options.consider_endpoints,
        }
    }

    /// The TPE draw of the parameters of `space` for `trial`.
    fn sample(
        &self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        space: &[(&String, &Distribution)],
        rng: &mut Rng,
    ) -> BTreeMap<String, f64> {
        let n = self.split.n_finished;
        let n_below = if view.directions.len() == 1 {
            n.div_ceil(10).min(25)
        } else {
            n.div_ceil(10)
        };
        let (below, above) =
            self.split
                .split(view, n_below, self.options.constant_liar, trial.number);
        let distributions: Vec<&Distribution> = space.iter().map(|(_, d)| *d).collect();
        let cached: Vec<Option<&Column>> = space
            .iter()
            .map(|(name, d)| self.columns.get(name, d))
            .collect();
        let values: Vec<Option<&[f64]>> = cached
            .iter()
            .map(|c| c.map(|c| c.values.as_slice()))
            .collect();
        let pool = &mut *self.pool.0.borrow_mut();
        let (obs_below, kept_below, cached_below) =
            observations(view, &below, space, &values, pool);
        let kept_below = kept_below.as_deref().unwrap_or(&below);
        let (obs_above, kept_above, cached_above) =
            observations(view, &above, space, &values, pool);
        let kept_above = kept_above.as_deref().unwrap_or(&above);
        let (n_obs_below, n_obs_above) = (kept_below.len(), kept_above.len());
        let n_trials = view.trials.len();
        let orders_below = sorted_orders(
            kept_below,
            &obs_below,
            &cached,
            n_trials,
            cached_below,
            pool,
        );
        let orders_above = sorted_orders(
            kept_above,
            &obs_above,
            &cached,
            n_trials,
            cached_above,
            pool,
        );
        let weights_below = if view.directions.len() == 1 {
            default_weights(n_obs_below, pool.floats.take())
        } else {
            vec![1.0; n_obs_below]
        };
        let weights_above = default_weights(n_obs_above, pool.floats.take());
        let options = self.parzen_options();
        let (norms_below, norms_above) = (
            column_norms(&cached, kept_below),
            column_norms(&cached, kept_above),
        );
        // Each estimator consumes its inputs as it builds: at n trials an ask holds
        // O(d · n) floats, and on wasm its peak is what the heap keeps. The "above"
        // estimator only scores, so it keeps nothing for sampling.
        let l = ParzenEstimator::new(
            &distributions,
            obs_below,
            orders_below,
            &as_caches(&norms_below),
            weights_below,
            options,
            false,
            pool,
        );
        let g = ParzenEstimator::new(
            &distributions,
            obs_above,
            orders_above,
            &as_caches(&norms_above),
            weights_above,
            options,
            true,
            pool,
        );
        let candidates = l.sample(rng, self.options.n_ei_candidates);
        let (log_l, log_g) = (l.log_pdfs(&candidates, pool), g.log_pdfs(&candidates, pool));
        l.recycle(pool);
        g.recycle(pool);
        let cost_model = self
            .options
            .cost_aware
            .then(|| crate::samplers::cost::model::CostModel::fit(view, space))
            .flatten();
        let mut best: Option<(f64, &Vec<f64>)> = None;
        for ((c, ll), lg) in candidates.iter().zip(log_l).zip(log_g) {
            // Cost-aware: the score divided by cost^α, in logs.
            let score = match &cost_model {
                None => ll - lg,
                Some(m) => ll - lg - view.cost_cooling * m.log_cost(space, c),
            };
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, c));
            }
        }
        match best {
            Some((_, point)) => crate::sort::collect_map(
                space
                    .iter()
                    .zip(point)
                    .map(|((name, _), v)| ((*name).clone(), *v)),
            ),
            None => BTreeMap::new(),
        }
    }
}

/// Optuna's `default_weights`: uniform below 25 observations, else a linear ramp from
/// 1/n for the oldest up to 1 for the newest 25.
/// Fills `w`, emptied first.
fn default_weights(n: usize, mut w: Vec<f64>) -> Vec<f64> {
    w.clear();
    // Exactly n, and one more for the prior's weight (see `ParzenEstimator::new`).
    w.reserve_exact(n + 1);
    if n < 25 {
        w.resize(n, 1.0);
        return w;
    }
    let ramp_len = n - 25;
    let start = 1.0 / n as f64;
    w.extend((0..ramp_len).map(|i| {
        if ramp_len == 1 {
            start
        } else {
            start + (1.0 - start) * i as f64 / (ramp_len - 1) as f64
        }
    }));
    w.extend(std::iter::repeat_n(1.0, 25));
    w
}

/// The internal values of `space`'s parameters in the trials `numbers` (ascending),
/// one vector per parameter, over the trials that have all of them. `cached` holds the
/// finished trials' values per parameter (see `Columns`); other trials take the slow
/// path, where a RUNNING trial's relative parameters count as set and values that do
/// not fit the current distribution (the trial used another one) exclude the trial.
/// Also the trials kept, or `None` when they are all of `numbers`, and whether every
/// value came from the cache.
fn observations(
    view: &StudyView<'_>,
    numbers: &[u64],
    space: &[(&String, &Distribution)],
    cached: &[Option<&[f64]>],
    pool: &mut Recycled,
) -> (Vec<Vec<f64>>, Option<Vec<u64>>, bool) {
    // The common case: every value is in the cache. A gather per parameter.
    if let Some(columns) = cached.iter().copied().collect::<Option<Vec<&[f64]>>>() {
        let gathered: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| {
                let mut values = pool.floats.take();
                values.extend(
                    numbers
                        .iter()
                        .map(|&n| c.get(n as usize).copied().unwrap_or(f64::NAN)),
                );
                values
            })
            .collect();
        if !gathered.iter().flatten().any(|v| v.is_nan()) {
            return (gathered, None, true);
        }
        gathered.into_iter().for_each(|v| pool.floats.give(v));
    }
    let mut columns: Vec<Vec<f64>> = space.iter().map(|_| pool.floats.take()).collect();
    let mut row = Vec::with_capacity(space.len());
    let mut kept = Vec::with_capacity(numbers.len());
    'trials: for &number in numbers {
        row.clear();
        for ((name, distribution), column) in space.iter().zip(cached) {
            if let Some(&v) = column.and_then(|c| c.get(number as usize)) {
                if !v.is_nan() {
                    row.push(v);
                    continue;
                }
            }
            let trial = &view.trials[number as usize];
            let value = match trial.params.get(name) {
                Some(v) => {
                    let own = trial
                        .params
                        .distribution(name)
                        .expect("a parameter has a distribution");
                    if own == *distribution {
                        v
                    } else {
                        match own
                            .to_external(v)
                            .and_then(|e| distribution.to_internal(&e))
                        {
                            Ok(v) => v,
                            Err(_) => continue 'trials,
                        }
                    }
                }
                None => match trial.relative_params.get(*name) {
                    Some(r)
                        if trial.state == TrialState::Running
                            && r.distribution == **distribution =>
                    {
                        r.value
                    }
                    _ => continue 'trials,
                },
            };
            row.push(value);
        }
        for (column, v) in columns.iter_mut().zip(&row) {
            column.push(*v);
        }
        kept.push(number);
    }
    (columns, Some(kept), false)
}

impl Sampler for TpeSampler {
    fn infer_relative_search_space(
        &mut self,
        view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        // Cost-aware startup points are drawn jointly, by the cost-effective design.
        if self.options.cost_aware && self.split.n_finished < self.options.n_startup_trials {
            return self.intersection.sampled(|_| true);
        }
        if !self.multivariate(view) {
            return SearchSpace::default();
        }
        if !self.options.group {
            return self.intersection.sampled(|_| true);
        }
        SearchSpace(
            self.groups
                .groups()
                .iter()
                .flat_map(|g| g.iter())
                .filter(|(_, d)| !d.is_single())
                .map(|(name, d)| Param {
                    name: name.clone(),
                    distribution: d.clone(),
                })
                .collect(),
        )
    }

    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        space: &SearchSpace,
        rng: &mut Rng,
    ) -> Result<Relative> {
        if space.is_empty() {
            return Ok(Relative::default());
        }
        if self.split.n_finished < self.options.n_startup_trials {
            return Ok(if self.options.cost_aware {
                crate::samplers::cost::start::relative(view, trial, space, rng)
            } else {
                Relative::default()
            });
        }
        let wanted: BTreeMap<&String, &Distribution> =
            crate::sort::collect_map(space.0.iter().map(|p| (&p.name, &p.distribution)));
        if self.options.group {
            let mut params = BTreeMap::new();
            for group in self.groups.groups() {
                let sub: Vec<(&String, &Distribution)> = group
                    .keys()
                    .filter_map(|name| wanted.get_key_value(name).map(|(k, v)| (*k, *v)))
                    .collect();
                if !sub.is_empty() {
                    params.extend(self.sample(view, trial, &sub, rng));
                }
            }
            Ok(Relative::values(params))
        } else {
            let all: Vec<(&String, &Distribution)> = wanted.into_iter().collect();
            Ok(Relative::values(self.sample(view, trial, &all, rng)))
        }
    }

    fn sample_independent(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        name: &str,
        distribution: &Distribution,
        rng: &mut Rng,
    ) -> Result<f64> {
        if self.split.n_finished < self.options.n_startup_trials {
            return Ok(draw_uniform(distribution, rng));
        }
        let name = name.to_string();
        let space = [(&name, distribution)];
        Ok(match self.sample(view, trial, &space, rng).get(&name) {
            Some(v) => *v,
            None => draw_uniform(distribution, rng),
        })
    }

    /// Makes room for `trials` slots in each parameter's values and in the split.
    fn reserve(&mut self, trials: usize) {
        self.columns.reserve = trials;
        for column in self.columns.by_name.values_mut().flatten() {
            column.reserve(trials);
        }
        self.split.reserve(trials);
    }

    fn after_trial(&mut self, view: &StudyView<'_>, trial: &FrozenTrial) {
        // The sampler works in slots, positions in the view: they are the trial numbers
        // until trials leave a history window, and the study rebuilds the sampler then.
        let Some(slot) = view.slot(trial.number) else {
            return;
        };
        if matches!(trial.state, TrialState::Complete | TrialState::Pruned) {
            self.columns.add(slot, trial);
            self.intersection.add(trial);
            if self.options.group {
                self.groups.add(trial);
            }
        }
        self.split.add(view.directions, slot as u64, trial);
    }
}

impl crate::samplers::SamplerKind for TpeOptions {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(TpeSampler::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_weights_match_optuna() {
        assert_eq!(default_weights(3, Vec::new()), vec![1.0; 3]);
        let w = default_weights(30, vec![7.0]);
        assert_eq!(w.len(), 30);
        // numpy.linspace(1/30, 1, 5) then 25 ones.
        let ramp = [
            1.0 / 30.0,
            0.275,
            0.516_666_666_666_666_7,
            0.758_333_333_333_333_4,
            1.0,
        ];
        for (a, b) in w[..5].iter().zip(ramp) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert!(w[5..].iter().all(|&x| x == 1.0));
    }
}
